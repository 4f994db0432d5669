//! Where does the follow-up delay come from? Runs the sales-team queue of a
//! scenario's `[sales]` section and answers four questions:
//!
//! ```text
//! cargo run --release --example capacity -- [--scenario FILE] [--trials N] [--seed S] COMMAND
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

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use lead_decay::capacity::{CapacityModel, CapacityReport, CapacitySimulation, Discipline};
use lead_decay::{Analysis, Hours, Scenario};

use common::{money, percent};

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
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path),
        None => Analysis::from_toml_str(BUILT_IN),
    }
    .map_err(|e| e.to_string())?;
    let scenario = analysis.scenario();
    let model = analysis.capacity_model().map_err(|e| e.to_string())?;
    if let Some(Command::Run { chart: Some(path), .. }) = &args.command {
        // Refuse a chart path we cannot write before spending the run on it.
        common::charts::ChartFormat::of(path)?;
    }
    let currency = scenario.currency();
    let simulate = |m: &CapacityModel| {
        let mut simulation = CapacitySimulation::new(m).trials(args.trials).seed(args.seed);
        if let Some(threads) = args.threads {
            simulation = simulation.threads(threads);
        }
        simulation.run().map_err(|e| e.to_string())
    };
    let default = Command::Run {
        format: Format::Table,
        chart: None,
    };
    match args.command.as_ref().unwrap_or(&default) {
        Command::Run {
            format: Format::Json,
            chart,
        } => {
            let report = simulate(&model)?;
            if let Some(path) = chart {
                fan_chart(scenario, &report, path)?;
            }
            outln!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
        }
        Command::Run {
            format: Format::Table,
            chart,
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
                fan_chart(scenario, &report, path)?;
            }
            outln!(
                "  timing               {seconds:.3} s, {} events, {:.1} M events/s",
                report.events,
                report.events as f64 / seconds / 1e6
            );
        }
        Command::Reps { max_roi_lost, up_to } => {
            header();
            let mut found = None;
            for reps in 1..=*up_to {
                let team = model.team().clone().with_reps(reps).map_err(|e| e.to_string())?;
                let m = model.clone().with_team(team);
                if !m.is_stable() {
                    outln!("{reps:>5}  unstable (offered load {:.2})", m.offered_load());
                    continue;
                }
                let report = simulate(&m)?;
                row(&reps.to_string(), &report, currency);
                let lost = roi_lost(&report).ok_or("the scenario needs a marketing_spend for ROI")?;
                if lost < *max_roi_lost {
                    found = Some(reps);
                    break;
                }
            }
            match found {
                Some(reps) => outln!("\n{reps} reps keep the mean ROI lost under {}.", percent(*max_roi_lost)),
                None => outln!(
                    "\nNo team up to {up_to} reps keeps ROI lost under {}.",
                    percent(*max_roi_lost)
                ),
            }
        }
        Command::Inquiries => {
            header();
            let without = model.clone().without_inquiries();
            let a = simulate(&without)?;
            row("BANT-qualified SQLs only", &a, currency);
            if model.inquiries().is_none() {
                return Err("the scenario forwards no inquiries (set sales.inquiries_per_day)".into());
            }
            let b = match simulate(&model) {
                Ok(b) => b,
                Err(e) => {
                    outln!("with raw inquiries: {e}");
                    return Ok(());
                }
            };
            row("plus raw inquiries", &b, currency);
            let cost = b.metrics.revenue_lost.mean - a.metrics.revenue_lost.mean;
            outln!(
                "\nForwarding raw inquiries costs {} of SQL revenue over the horizon (they won {} themselves).",
                money(cost, currency),
                common::grouped(b.metrics.inquiry_customers.mean, 2),
            );
        }
        Command::Disciplines => {
            header();
            for discipline in Discipline::ALL {
                let m = model
                    .clone()
                    .with_team(model.team().clone().with_discipline(discipline));
                row(discipline.name(), &simulate(&m)?, currency);
            }
        }
        Command::Sla { target, up_to } => {
            outln!(
                "{:>8} {:>5} {:>10} {:>16} {:>10}",
                "SLA",
                "reps",
                "met",
                "revenue lost",
                "ROI lost"
            );
            for (label, hours) in [("5 min", 5.0 / 60.0), ("1 hour", 1.0), ("1 day", 24.0)] {
                let sla = Hours::new(hours).map_err(|e| e.to_string())?;
                let mut met = None;
                for reps in 1..=*up_to {
                    let team = model
                        .team()
                        .clone()
                        .with_reps(reps)
                        .map_err(|e| e.to_string())?
                        .with_sla(sla);
                    let m = model.clone().with_team(team);
                    if !m.is_stable() {
                        continue;
                    }
                    let report = simulate(&m)?;
                    if report.metrics.sla_met.is_some_and(|s| s.mean >= *target) {
                        met = Some((reps, report));
                        break;
                    }
                }
                match met {
                    Some((reps, r)) => outln!(
                        "{label:>8} {reps:>5} {:>10} {:>16} {:>10}",
                        percent(r.metrics.sla_met.map_or(0.0, |s| s.mean)),
                        money(r.metrics.revenue_lost.mean, currency),
                        roi_lost(&r).map_or("-".into(), percent),
                    ),
                    None => outln!("{label:>8}  not met by {up_to} reps or fewer"),
                }
            }
        }
    }
    Ok(())
}

fn roi_lost(report: &CapacityReport) -> Option<f64> {
    report.metrics.roi_lost.map(|s| s.mean)
}

fn header() {
    outln!(
        "{:>24} {:>9} {:>8} {:>10} {:>16} {:>10}",
        "",
        "customers",
        "util.",
        "delay p90",
        "revenue lost",
        "ROI lost"
    );
}

fn row(label: &str, r: &CapacityReport, currency: Option<&str>) {
    outln!(
        "{label:>24} {:>9.2} {:>8} {:>9.2}h {:>16} {:>10}",
        r.metrics.customers.mean,
        percent(r.metrics.rep_utilisation.mean),
        r.delay_hours.p90,
        money(r.metrics.revenue_lost.mean, currency),
        roi_lost(r).map_or("-".into(), percent),
    );
}

fn print_report(r: &CapacityReport, currency: Option<&str>) {
    let m = &r.metrics;
    outln!(
        "  trials {}, seed {}, offered load {}",
        r.trials,
        r.seed,
        percent(r.offered_load)
    );
    outln!("  SQLs                 {:>12.1}", m.sqls.mean);
    outln!(
        "  customers            {:>12.2}  (ideal {:.2}, 95 % of trials {}..{})",
        m.customers.mean,
        m.customers_ideal.mean,
        m.customers.p05,
        m.customers.p95
    );
    outln!("  revenue              {:>16}", money(m.revenue.mean, currency));
    outln!(
        "  revenue lost         {:>16}  (± {})",
        money(m.revenue_lost.mean, currency),
        money(1.96 * m.revenue_lost.std_error, currency)
    );
    if let Some(roi) = m.roi_lost {
        outln!("  ROI lost             {:>16}", percent(roi.mean));
    }
    if let (Some(sla), Some(lost)) = (m.sla_met, m.sla_revenue_lost) {
        outln!(
            "  SLA met              {:>16}  (revenue lost on breaches {})",
            percent(sla.mean),
            money(lost.mean, currency)
        );
    }
    outln!(
        "  delay p50/p90/p99    {:.2} h / {:.2} h / {:.2} h  (mean {:.2} h, none {})",
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
}

/// Customers and revenue lost per week of arrival, each with its 5th to 95th
/// percentile band over the trials: how the team's backlog plays out over
/// the horizon.
fn fan_chart(scenario: &Scenario, report: &CapacityReport, path: &std::path::Path) -> Result<(), String> {
    use common::charts::{SweepChart, SweepPoint};
    // Weeks inside the warm-up count nothing: leave them out.
    let weeks: Vec<_> = report
        .weekly
        .iter()
        .filter(|w| w.customers.max > 0.0 || w.revenue_lost.max > 0.0 || w.customers.mean > 0.0)
        .collect();
    if weeks.is_empty() {
        return Err(format!(
            "{}: no week to draw: no SQL arrived after the warm-up",
            path.display()
        ));
    }
    let chart = SweepChart {
        title: format!("{}: {} reps, per week of arrival", scenario.name(), report.reps),
        x_desc: "week of arrival".to_owned(),
        currency: scenario.currency().unwrap_or("").to_owned(),
        points: weeks
            .iter()
            .map(|w| SweepPoint {
                x: w.week as f64 + 1.0,
                customers: w.customers.mean,
                customers_band: (w.customers.p05, w.customers.p95),
                revenue_lost: w.revenue_lost.mean,
                revenue_lost_band: (w.revenue_lost.p05, w.revenue_lost.p95),
                roi_lost: None,
                roi_lost_band: None,
            })
            .collect(),
    };
    common::charts::save(path, &chart)
}
