//! Where does the follow-up delay come from? Runs the sales-team queue of a
//! scenario's `[sales]` section and answers four questions:
//!
//! ```text
//! cargo run --release --example capacity -- [--scenario FILE] [--trials N] [--precision SHARE] [--seed S] COMMAND
//!   run [--format table|json] [--chart FILE.png|FILE.svg]
//!                                    the team as configured; the chart is a
//!                                    fan chart per week of arrival
//!   reps --max-roi-lost 0.05         how many reps keep ROI lost under 5 %?
//!   inquiries                        what forwarding raw inquiries costs
//!   disciplines                      fifo vs newest-first vs priority
//!   sla [--target 0.9]               the value of an SLA of 5 minutes, 1 hour, 1 day
//! ```
//!
//! Without `--scenario` it uses `examples/scenarios/capacity.toml`: 4 reps in
//! office hours, 600 consumer SQLs over 8 weeks, 12 raw inquiries a day.
//!
//! `--precision 0.01` stops each run once the standard error of its mean
//! revenue lost is 1 % of it (losses under 1 % of the revenue at stake are
//! measured against that 1 %); `--trials` is then the most a run may take,
//! and each run says how many it took.

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use lead_decay::capacity::{CapacityModel, CapacityReport, CapacitySimulation, Discipline, Precision, TeamCriterion};
use lead_decay::{Analysis, Hours};

use common::charts::SweepChart;
use common::{aligned, grouped, money, percent, points};

const BUILT_IN: &str = include_str!("scenarios/capacity.toml");

#[derive(Parser, Debug)]
#[command(about = "Turn a sales team and a lead flow into follow-up delays, customers and ROI lost")]
struct Args {
    /// Scenario file with a [sales] section (default: the built-in one).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Monte Carlo trials per configuration.
    #[arg(long, default_value_t = 400)]
    trials: u64,
    /// Stop each run once the standard error of its mean revenue lost is at
    /// most this share of it (0.01 = 1 %); --trials is then the most trials
    /// a run may take.
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// Seed: the same inputs give bit-identical results.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Threads (default: all cores); results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the team as configured.
    Run {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also draw customers and revenue lost per week of arrival, with
        /// their 90 % bands (a fan chart), to this PNG or SVG file.
        #[arg(long, value_name = "FILE.png|FILE.svg")]
        chart: Option<PathBuf>,
        /// Also write a one-file HTML report (verdict, key figures, the
        /// weekly chart, assumptions) to send to a sales director.
        #[arg(long, value_name = "FILE.html")]
        report: Option<PathBuf>,
    },
    /// The smallest team whose mean ROI lost stays under a threshold.
    Reps {
        /// Largest acceptable ROI lost (a share: 0.05 = 5 percentage points).
        #[arg(long, default_value_t = 0.05)]
        max_roi_lost: f64,
        /// Largest team to try.
        #[arg(long, default_value_t = 40)]
        up_to: u32,
    },
    /// The same team with and without the raw inquiries marketing forwards.
    Inquiries,
    /// The same team under each queue discipline.
    Disciplines,
    /// For SLAs of 5 minutes, 1 hour and 1 day: the team that meets each for
    /// `target` of the SQLs, and what it earns.
    Sla {
        /// Share of SQLs that must be worked within the SLA.
        #[arg(long, default_value_t = 0.9)]
        target: f64,
        /// Largest team to try.
        #[arg(long, default_value_t = 60)]
        up_to: u32,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => common::fail(message),
    }
}

fn run(args: &Args) -> Result<(), String> {
    // Bad arguments fail before anything is printed.
    if args.trials == 0 {
        return Err(lead_decay::Error::invalid("trials", 0, "at least 1 trial").to_string());
    }
    if let Some(share) = args.precision {
        Precision::check(share).map_err(|e| e.to_string())?;
    }
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path),
        None => Analysis::from_toml_str(BUILT_IN),
    }
    .map_err(|e| e.to_string())?;
    let scenario = analysis.scenario();
    let model = analysis.capacity_model().map_err(|e| match &args.scenario {
        Some(path) => e.in_file(path.display().to_string()).to_string(),
        None => e.to_string(),
    })?;
    if let Some(Command::Run { chart, report, .. }) = &args.command {
        // Refuse a chart or report path we cannot write before spending the run on it.
        if let Some(path) = chart {
            common::charts::ChartFormat::of(path)?;
        }
        if let Some(path) = report {
            common::html::check_path(path)?;
        }
    }
    let currency = scenario.currency();
    let mut settings = CapacitySimulation::new(&model).trials(args.trials).seed(args.seed);
    if let Some(threads) = args.threads {
        settings = settings.threads(threads);
    }
    if let Some(share) = args.precision {
        settings = settings.precision(share);
    }
    let simulate = |m: &CapacityModel| settings.for_model(m).run().map_err(|e| e.to_string());
    let team_search = |criterion, up_to| {
        model
            .smallest_team_run_as(criterion, up_to, &settings)
            .map_err(|e| e.to_string())
    };
    // With a precision target each run has its own trial count: tables say it.
    let with_trials = |mut rows: Vec<String>, r: Option<&CapacityReport>| {
        if args.precision.is_some() && rows.len() > 2 {
            rows.push(r.map_or_else(|| "trials".to_owned(), |r| grouped(r.trials as f64, 0)));
        }
        rows
    };
    let default = Command::Run {
        format: Format::Table,
        chart: None,
        report: None,
    };
    match args.command.as_ref().unwrap_or(&default) {
        Command::Run {
            format: Format::Json,
            chart,
            report: page,
        } => {
            let report = simulate(&model)?;
            if let Some(path) = chart {
                common::charts::save(path, &SweepChart::per_week(scenario, &report, model.warm_up(), path)?)?;
            }
            outln!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
            if let Some(path) = page {
                write_report(path, args, &model, scenario, &report)?;
            }
        }
        Command::Run {
            format: Format::Table,
            chart,
            report: page,
        } => {
            outln!(
                "{}: {} reps, {}",
                scenario.name(),
                model.team().reps(),
                model.team().discipline()
            );
            let start = std::time::Instant::now();
            let report = simulate(&model)?;
            let seconds = start.elapsed().as_secs_f64();
            print_report(&report, currency);
            if let Some(path) = chart {
                common::charts::save(path, &SweepChart::per_week(scenario, &report, model.warm_up(), path)?)?;
            }
            outln!(
                "  timing               {seconds:.3} s, {} events, {:.1} M events/s",
                common::grouped(report.events as f64, 0),
                report.events as f64 / seconds / 1e6
            );
            if let Some(path) = page {
                write_report(path, args, &model, scenario, &report)?;
            }
        }
        Command::Reps { max_roi_lost, up_to } => {
            let criterion = TeamCriterion::MaxRoiLost {
                max_roi_lost: *max_roi_lost,
            };
            let search = team_search(criterion, *up_to)?;
            let mut rows = vec![with_trials(header("reps", currency), None)];
            for team in &search.evaluated {
                rows.push(match &team.report {
                    Some(report) => with_trials(row(&team.reps.to_string(), report), Some(report)),
                    None => unstable_row(team.reps, team.offered_load),
                });
            }
            print_rows(&rows);
            match search.smallest {
                Some(reps) => outln!("\n{reps} reps keep the mean ROI lost under {}.", points(*max_roi_lost)),
                None => outln!(
                    "\nNo team up to {up_to} reps keeps ROI lost under {}.",
                    points(*max_roi_lost)
                ),
            }
        }
        Command::Inquiries => {
            if model.inquiries().is_none() {
                return Err("the scenario forwards no inquiries (set sales.inquiries_per_day)".into());
            }
            let without = model.clone().without_inquiries();
            let a = simulate(&without)?;
            let mut rows = vec![with_trials(header("what sales handles", currency), None)];
            rows.push(with_trials(row("SQLs only, no inquiries forwarded", &a), Some(&a)));
            let b = match simulate(&model) {
                Ok(b) => b,
                Err(e) => {
                    print_rows(&rows);
                    outln!("with raw inquiries: {e}");
                    return Ok(());
                }
            };
            rows.push(with_trials(row("plus raw inquiries", &b), Some(&b)));
            print_rows(&rows);
            let cost = b.metrics.core.revenue_lost.mean - a.metrics.core.revenue_lost.mean;
            outln!(
                "\nForwarding raw inquiries costs {} of SQL revenue over the horizon (the inquiries won {} customers themselves).",
                money(cost, currency),
                common::grouped(b.metrics.inquiry_customers.mean, 2),
            );
        }
        Command::Disciplines => {
            let mut rows = vec![with_trials(header("queue discipline", currency), None)];
            for discipline in Discipline::ALL {
                let m = model
                    .clone()
                    .with_team(model.team().clone().with_discipline(discipline));
                let report = simulate(&m)?;
                rows.push(with_trials(row(discipline.name(), &report), Some(&report)));
            }
            print_rows(&rows);
        }
        Command::Sla { target, up_to } => {
            outln!(
                "The smallest team that works {} of the SQLs within each SLA (target set by --target):\n",
                percent(*target)
            );
            let mut rows = vec![with_trials(
                vec![
                    "SLA".to_owned(),
                    "reps".to_owned(),
                    format!("met (target {})", percent(*target)),
                    revenue_lost_header(currency),
                    "ROI lost (% points)".to_owned(),
                ],
                None,
            )];
            for (label, hours) in [("5 min", 5.0 / 60.0), ("1 hour", 1.0), ("1 day", 24.0)] {
                let sla = Hours::new(hours).map_err(|e| e.to_string())?;
                let search = team_search(TeamCriterion::SlaMet { sla, target: *target }, *up_to)?;
                rows.push(match search.answer().and_then(|t| Some((t.reps, t.report.as_ref()?))) {
                    Some((reps, r)) => with_trials(
                        vec![
                            label.to_owned(),
                            reps.to_string(),
                            percent(r.metrics.core.sla_met.map_or(0.0, |s| s.mean)),
                            grouped(r.metrics.core.revenue_lost.mean, 0),
                            roi_lost(r),
                        ],
                        Some(r),
                    ),
                    None => vec![label.to_owned(), format!("not met by {up_to} reps or fewer")],
                });
            }
            print_rows(&rows);
        }
    }
    Ok(())
}

/// Mean ROI lost in percentage points, or `-` without a marketing spend.
fn roi_lost(report: &CapacityReport) -> String {
    report
        .metrics
        .core
        .roi_lost
        .map_or_else(|| "-".to_owned(), |s| grouped(100.0 * s.mean, 1))
}

fn revenue_lost_header(currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("revenue lost ({c})"),
        None => "revenue lost".to_owned(),
    }
}

/// The header of a comparison table whose first column is `first`.
fn header(first: &str, currency: Option<&str>) -> Vec<String> {
    vec![
        first.to_owned(),
        "customers".to_owned(),
        "rep utilisation".to_owned(),
        "delay p90 (h)".to_owned(),
        revenue_lost_header(currency),
        "ROI lost (% points)".to_owned(),
    ]
}

fn row(label: &str, r: &CapacityReport) -> Vec<String> {
    vec![
        label.to_owned(),
        grouped(r.metrics.core.customers.mean, 2),
        percent(r.metrics.rep_utilisation.mean),
        grouped(r.delay_hours.p90, 2),
        grouped(r.metrics.core.revenue_lost.mean, 0),
        roi_lost(r),
    ]
}

/// A team too small for the flow: its queue grows without bound, so no
/// figure of it means anything.
fn unstable_row(reps: u32, offered_load: f64) -> Vec<String> {
    vec![
        reps.to_string(),
        format!(
            "unstable: offered load {}, the queue grows without bound",
            percent(offered_load)
        ),
    ]
}

/// Prints a table: the first column left-aligned, the others right-aligned;
/// a row of two cells (a note such as "unstable") runs on after the first.
fn print_rows(rows: &[Vec<String>]) {
    let full: Vec<Vec<String>> = rows.iter().filter(|r| r.len() > 2).cloned().collect();
    let first = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
    let mut out = Vec::new();
    aligned(&mut out, &full).unwrap_or_else(|e| common::output_failed(e));
    let text = String::from_utf8(out).unwrap_or_default();
    let mut lines = text.lines();
    for row in rows {
        if row.len() > 2 {
            outln!("{}", lines.next().unwrap_or(""));
        } else {
            let note = row.get(1).map_or("", String::as_str);
            outln!("{:<first$}  {note}", row[0]);
        }
    }
}

fn print_report(r: &CapacityReport, currency: Option<&str>) {
    let m = &r.metrics;
    outln!(
        "  trials {}, seed {}, offered load {}",
        grouped(r.trials as f64, 0),
        r.seed,
        percent(r.offered_load)
    );
    if let Some(p) = r.precision {
        let verdict = if p.reached {
            "met"
        } else {
            "not met: the run stopped at --trials"
        };
        outln!(
            "  precision            standard error of revenue lost {} of {}, target {} ({verdict}; at most {} trials)",
            percent(p.std_error / p.scale),
            if p.scale > r.metrics.core.revenue_lost.mean.abs() {
                "the floor, 1 % of the revenue at stake"
            } else {
                "its mean"
            },
            percent(p.share),
            grouped(p.max_trials as f64, 0)
        );
    }
    outln!("  SQLs                 {:>12.1}", m.sqls.mean);
    outln!(
        "  customers            {:>12.2}  (all worked at once {:.2}; 90 % of trials {} to {})",
        m.core.customers.mean,
        m.core.customers_ideal.mean,
        m.core.customers.p05,
        m.core.customers.p95
    );
    outln!("  revenue              {:>16}", money(m.core.revenue.mean, currency));
    outln!(
        "  revenue lost         {:>16}  (± {}: the 95 % confidence interval of this mean over {} trials)",
        money(m.core.revenue_lost.mean, currency),
        money(1.96 * m.core.revenue_lost.std_error, currency),
        grouped(r.trials as f64, 0)
    );
    if let Some(roi) = m.core.roi_lost {
        outln!("  ROI lost             {:>14} % points", grouped(100.0 * roi.mean, 1));
    }
    if let (Some(sla), Some(lost)) = (m.core.sla_met, m.sla_revenue_lost) {
        outln!(
            "  SLA met              {:>16}  (revenue lost on breaches {})",
            percent(sla.mean),
            money(lost.mean, currency)
        );
    }
    outln!(
        "  delay p50/p90/p99    {:.2} h / {:.2} h / {:.2} h  (mean {:.2} h; worked with no wait {})",
        r.delay_hours.p50,
        r.delay_hours.p90,
        r.delay_hours.p99,
        m.mean_delay_hours.mean,
        percent(r.delay_hours.zero_share)
    );
    outln!("  rep utilisation      {:>16}", percent(m.rep_utilisation.mean));
    outln!("  queue length (mean)  {:>16.2}", m.queue_length.mean);
    outln!("  dropped by triage    {:>16.1}", m.dropped.mean);
    outln!(
        "  recycled             {:>16.1}  (reactivation {})",
        m.recycled.mean,
        money(m.reactivation_cost.mean, currency)
    );
    outln!(
        "  cold SQLs returned   {:>16.1}  to the MQL pool, {:.1} lost to a competitor",
        m.reverted.mean,
        m.lost_to_competitor.mean
    );
}

/// The verdict of a capacity run, in one sentence.
fn verdict(model: &CapacityModel, r: &CapacityReport, currency: Option<&str>) -> String {
    let core = &r.metrics.core;
    let order = match model.team().discipline().name() {
        "fifo" => "oldest SQL first".to_owned(),
        "newest-first" => "newest SQL first".to_owned(),
        other => format!("{other} order"),
    };
    let mut text = format!(
        "With {} reps working the {order}, the team wins {} of the {} customers its SQLs could bring: waiting in the queue \
         costs {} in revenue",
        model.team().reps(),
        grouped(core.customers.mean, 1),
        grouped(core.customers_ideal.mean, 1),
        money(core.revenue_lost.mean, currency),
    );
    if let Some(roi) = core.roi_lost {
        text.push_str(&format!(" ({} points of ROI)", grouped(100.0 * roi.mean, 1)));
    }
    if let (Some(sla), Some(deadline)) = (core.sla_met, model.team().sla()) {
        text.push_str(&format!(
            "; {} of the SQLs are worked within the SLA of {}",
            percent(sla.mean),
            common::charts::plain_duration(deadline.get())
        ));
    }
    text.push('.');
    text
}

/// `capacity run --report FILE.html`: the run as a page for a sales director.
fn write_report(
    path: &std::path::Path,
    args: &Args,
    model: &CapacityModel,
    scenario: &lead_decay::Scenario,
    r: &CapacityReport,
) -> Result<(), String> {
    use common::html::{Figure, Page, Reproducibility};
    use common::simulate_html::{Origins, assumptions, run_assumptions, team_assumptions};
    let currency = scenario.currency();
    let m = &r.metrics;
    let mut page = Page::new(
        "lead-decay · what the sales team's capacity costs",
        &format!(
            "Follow-up capacity: {}, {} reps",
            common::charts::short(scenario.name(), 50),
            r.reps
        ),
        &verdict(model, r, currency),
    );
    let mut figures = vec![
        Figure::new(
            "customers won (mean)",
            format!(
                "{} of {}",
                grouped(m.core.customers.mean, 1),
                grouped(m.core.customers_ideal.mean, 1)
            ),
            format!(
                "{} to {} in nine runs out of ten",
                grouped(m.core.customers.p05, 0),
                grouped(m.core.customers.p95, 0)
            ),
        ),
        Figure::new(
            "revenue lost (mean)",
            money(m.core.revenue_lost.mean, currency),
            format!(
                "± {} (95 % confidence interval of the mean)",
                money(1.96 * m.core.revenue_lost.std_error, currency)
            ),
        ),
    ];
    if let Some(roi) = m.core.roi_lost {
        figures.push(Figure::new(
            "ROI lost",
            format!("{} points", grouped(100.0 * roi.mean, 1)),
            "of the marketing spend's return",
        ));
    }
    if let Some(sla) = m.core.sla_met {
        figures.push(Figure::new(
            "SLA met",
            percent(sla.mean),
            "of SQLs first worked within the SLA",
        ));
    }
    figures.extend([
        Figure::new(
            "time to first follow-up",
            format!("{} h median", grouped(r.delay_hours.p50, 1)),
            format!(
                "90 % within {} h; {} worked with no wait",
                grouped(r.delay_hours.p90, 1),
                percent(r.delay_hours.zero_share)
            ),
        ),
        Figure::new(
            "rep utilisation",
            percent(m.rep_utilisation.mean),
            format!("offered load {}", percent(r.offered_load)),
        ),
    ]);
    page.heading("Key figures").figures(&figures);
    page.heading("Week by week");
    let chart = SweepChart::per_week(scenario, r, model.warm_up(), path)?;
    page.chart_at(
        &chart,
        (960, 760),
        "Revenue lost and customers won from the SQLs arriving each week: the line is the mean, the band \
         holds 90 % of the simulated runs. A growing loss means the queue builds up over the horizon.",
    )?;
    page.heading("All figures");
    let pair = |label: &str, value: String, note: String| vec![label.to_owned(), value, note];
    let rows = vec![
        pair(
            "SQLs",
            grouped(m.sqls.mean, 1),
            "arriving over the horizon (mean)".to_owned(),
        ),
        pair(
            "customers",
            grouped(m.core.customers.mean, 2),
            format!(
                "all worked at once {}; 90 % of runs {} to {}",
                grouped(m.core.customers_ideal.mean, 2),
                grouped(m.core.customers.p05, 0),
                grouped(m.core.customers.p95, 0)
            ),
        ),
        pair("revenue", money(m.core.revenue.mean, currency), "won (mean)".to_owned()),
        pair(
            "revenue lost",
            money(m.core.revenue_lost.mean, currency),
            "to the wait for a free rep (mean)".to_owned(),
        ),
        pair(
            "delay p50 / p90 / p99",
            format!(
                "{} / {} / {} h",
                grouped(r.delay_hours.p50, 2),
                grouped(r.delay_hours.p90, 2),
                grouped(r.delay_hours.p99, 2)
            ),
            format!("mean {} h", grouped(m.mean_delay_hours.mean, 2)),
        ),
        pair(
            "queue length",
            grouped(m.queue_length.mean, 2),
            "SQLs waiting, on average".to_owned(),
        ),
        pair(
            "recycled",
            grouped(m.recycled.mean, 1),
            format!("reactivation {}", money(m.reactivation_cost.mean, currency)),
        ),
        pair(
            "cold SQLs returned",
            grouped(m.reverted.mean, 1),
            format!(
                "to the MQL pool; {} lost to a competitor",
                grouped(m.lost_to_competitor.mean, 1)
            ),
        ),
    ];
    page.table(&["figure", "value", "note"], &rows);
    let origins = match &args.scenario {
        Some(file) => Origins::read(Some(file))?,
        None => Origins::of_text("capacity.toml (built in)", BUILT_IN, false)?,
    };
    let mut table = assumptions(scenario, &origins);
    table.extend(team_assumptions(&origins));
    table.extend(run_assumptions(r.trials, r.seed));
    page.heading("Assumptions").assumptions(&table);
    let footer = Reproducibility {
        scenario: Reproducibility::scenario_of(args.scenario.as_deref(), "built-in capacity.toml")?,
        seed: Some(r.seed),
        trials: Some(r.trials),
        engine: "capacity queue (discrete-event simulation)".to_owned(),
        command: Reproducibility::command_line(),
    };
    page.write(path, &footer)
}
