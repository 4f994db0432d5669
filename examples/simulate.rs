//! What does neglect cost? Runs a scenario's Monte Carlo trials and prints
//! expected customers, revenue and ROI lost to SQLs that went cold, with
//! honest uncertainty.
//!
//! ```text
//! cargo run --release --example simulate -- [--scenario FILE] [--trials N] [--seed S]
//!     [--format table|json|csv] [--per-trial FILE.csv] [--engine auto|per-sql|collapsed]
//!     [--threads N] [--chart FILE.png|FILE.svg] [--heat-map FILE.png|FILE.svg] [--report FILE.html]
//! ```
//!
//! `--report` writes one self-contained HTML page to hand to a sales
//! director: the verdict, the key figures, the charts, every assumption
//! with its source, and how to reproduce the run.
//!
//! `--chart` draws the decay curve of each segment above its follow-up delay
//! distribution, the histogram of customers (every SQL worked at once beside
//! as followed up) and the distribution of revenue lost. Runs longer than a
//! second show a progress bar on stderr when it is a terminal.
//!
//! For a scenario on business hours (a `[calendar]` and a follow-up on the
//! working clock), the report names the window of the week where the loss
//! concentrates ("SQLs that arrive between Friday 4 pm and Sunday 10 pm lose
//! 94 % of their value; ..."), computed exactly, and `--heat-map` draws the
//! share of value lost by day of the week and hour of arrival.
//!
//! Without `--scenario` it runs the reference case: 40 SQLs at a 25 % close
//! rate, deals worth 100,000, 5 SQLs never followed up, B2B industrial decay
//! (linear over 30 days), a goal of 10 customers.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use lead_decay::engine::{InputsReport, trial_inputs};
use lead_decay::exact::Integration;
use lead_decay::exact::arrival_loss::{ArrivalLoss, LossWindow, loss_by_arrival};
use lead_decay::whatif::Verdict;
use lead_decay::{Engine, Metrics, Report, Scenario, Simulation, Summary, Tally, TrialOutcome};
use serde::Serialize;

use common::charts::DashboardData;
use common::grouped;

#[derive(Parser, Debug)]
#[command(about = "Estimate customers, revenue and ROI lost to neglected sales-qualified leads")]
struct Args {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Number of Monte Carlo trials.
    #[arg(long, default_value_t = 100_000)]
    trials: u64,
    /// Seed: the same scenario, seed and trials give bit-identical results.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output: a table for people, JSON for programs, CSV with one row per metric.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write one CSV row per trial (trial index and every metric) to this file.
    #[arg(long, value_name = "FILE.csv")]
    per_trial: Option<PathBuf>,
    /// Engine: auto picks the fastest exact one.
    #[arg(long, default_value = "auto")]
    engine: Engine,
    /// Threads (default: all cores); results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Also draw the decay, customers and revenue-lost charts to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// For a scenario on business hours: also draw the share of value lost by
    /// day of the week and hour of arrival to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    heat_map: Option<PathBuf>,
    /// Also write a one-file HTML report (verdict, key figures, charts,
    /// assumptions) to send to a sales director.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// Wall-clock time of the simulation (preparing the engine, every trial and
/// the report), without the process's start-up, the scenario's loading or
/// the output.
#[derive(Serialize)]
struct Timing {
    seconds: f64,
    trials_per_second: f64,
    sql_trials_per_second: f64,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    #[serde(flatten)]
    report: &'a Report,
    /// Segments on business hours: the loss by hour of arrival.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    loss_by_arrival: &'a [ArrivalJson<'a>],
    timing: Timing,
}

/// One segment's loss by hour of arrival, its worst window and the sentence.
#[derive(Serialize)]
struct ArrivalJson<'a> {
    #[serde(flatten)]
    loss: &'a ArrivalLoss,
    worst_window: Option<LossWindow>,
    verdict: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => common::fail(message),
    }
}

fn run(args: &Args) -> Result<(), String> {
    if args.threads.is_none() {
        // Start the worker threads now, while the scenario loads and the
        // engine prepares it: they start on first use otherwise, and
        // `timing` measures the simulation, not the process's start-up
        // (about 0.3 ms, a fifth of a run of 1,000,000 reference trials).
        rayon::spawn(|| {});
    }
    let scenario = match &args.scenario {
        Some(path) => Scenario::load(path).map_err(|e| e.to_string())?,
        None => Scenario::reference(),
    };
    let mut simulation = Simulation::new(&scenario)
        .trials(args.trials)
        .seed(args.seed)
        .engine(args.engine);
    if let Some(threads) = args.threads {
        simulation = simulation.threads(threads);
    }
    if let Some(chart) = &args.chart {
        common::charts::ChartFormat::of(chart)?;
    }
    if let Some(chart) = &args.heat_map {
        common::charts::ChartFormat::of(chart)?;
    }
    // Exact, so computed before the trials: a bad request fails fast.
    let arrival_losses = loss_by_arrival(&scenario).map_err(|e| e.to_string())?;
    if args.heat_map.is_some() && arrival_losses.is_empty() {
        return Err(
            "--heat-map: no segment's follow-up runs on the team's working clock, so the loss does not \
                    depend on when SQLs arrive (give the scenario a [calendar] and a segment \
                    follow_up = { ..., clock = \"working\" })"
                .to_owned(),
        );
    }
    if let Some(page) = &args.report {
        common::html::check_path(page)?;
    }
    let start = Instant::now();
    let mut chart_data = (args.chart.is_some() || args.report.is_some()).then(DashboardData::default);
    let report = if args.per_trial.is_none() && chart_data.is_none() {
        common::progress::run(&simulation, args.trials, "simulating")?
    } else {
        if args.trials == 0 {
            return Err(lead_decay::Error::invalid("trials", 0, "at least 1 trial").to_string());
        }
        let tally = match &args.per_trial {
            Some(path) => write_per_trial(&simulation, &scenario, args.trials, path, &mut chart_data)?,
            None => {
                let mut tally = simulation.empty_tally();
                let progress = common::progress::Progress::new(args.trials, "simulating", "trials");
                for range in common::progress::chunks(0..args.trials, scenario.total_sqls()) {
                    let n = range.end - range.start;
                    let chunk = simulation
                        .for_each_trial(range, |_, total, _| {
                            if let Some(data) = &mut chart_data {
                                data.record(total);
                            }
                        })
                        .map_err(|e| e.to_string())?;
                    tally.merge(&chunk).map_err(|e| e.to_string())?;
                    progress.inc(n);
                }
                progress.finish();
                tally
            }
        };
        tally.report(&scenario).map_err(|e| e.to_string())?
    };
    let seconds = start.elapsed().as_secs_f64();
    let timing = Timing {
        seconds,
        trials_per_second: args.trials as f64 / seconds,
        sql_trials_per_second: (args.trials * scenario.total_sqls()) as f64 / seconds,
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(
            &mut out,
            &JsonOutput {
                report: &report,
                loss_by_arrival: &arrival_losses
                    .iter()
                    .map(|loss| ArrivalJson {
                        loss,
                        worst_window: loss.worst_window(),
                        verdict: loss.worst_window().map(|w| w.to_string()),
                    })
                    .collect::<Vec<_>>(),
                timing,
            },
        )
        .map_err(std::io::Error::other)
        .and_then(|()| writeln!(out)),
        Format::Csv => write_csv(&mut out, &report),
        Format::Table => write_table(&mut out, &report, &arrival_losses, seconds),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))?;
    drop(out);
    // The report is out first: a chart that cannot be drawn or written (a
    // read-only folder) fails the run afterwards, never discards the report.
    let mut heat_map = (!arrival_losses.is_empty()).then(|| {
        let panels = arrival_losses
            .into_iter()
            .filter_map(|loss| {
                let segment = scenario.segments().iter().find(|s| s.name() == loss.segment)?;
                let calendar = segment.business_hours()?.calendar().clone();
                Some(common::charts::HeatMapPanel { loss, calendar })
            })
            .collect();
        common::charts::HeatMapChart {
            scenario: report.scenario.clone(),
            currency: report.currency.clone(),
            panels,
            worst_window_line: true,
        }
    });
    if let Some(data) = chart_data {
        let dashboard = data.dashboard(&scenario, &report)?;
        if let Some(path) = &args.chart {
            common::charts::save(path, &dashboard)?;
        }
        if let Some(path) = &args.report {
            // The page says the worst window in its own text.
            if let Some(chart) = &mut heat_map {
                chart.worst_window_line = false;
            }
            common::simulate_html::write(
                path,
                &scenario,
                args.scenario.as_deref(),
                &report,
                &dashboard,
                heat_map.as_ref(),
            )?;
        }
    }
    if let (Some(path), Some(chart)) = (&args.heat_map, &mut heat_map) {
        chart.worst_window_line = true;
        common::charts::save(path, chart)?;
    }
    Ok(())
}

/// Runs every trial in order, writing one row each, and tallies them.
fn write_per_trial(
    simulation: &Simulation<'_>,
    scenario: &Scenario,
    trials: u64,
    path: &std::path::Path,
    chart_data: &mut Option<DashboardData>,
) -> Result<Tally, String> {
    let mut tally = simulation.empty_tally();
    let spend = scenario.marketing_spend();
    let sla_sqls: u64 = scenario
        .segments()
        .iter()
        .filter(|s| s.follow_up().sla().is_some())
        .map(|s| s.sqls())
        .sum();
    let progress = common::progress::Progress::new(trials, "simulating", "trials");
    common::write_atomically(path, |file| {
        let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
        let mut header = vec!["trial".to_owned()];
        header.extend(Metrics::NAMES.iter().map(|s| s.to_string()));
        if scenario.segments().len() > 1 {
            for segment in scenario.segments() {
                for column in ["customers", "customers_lost", "revenue", "revenue_lost"] {
                    header.push(format!("{}.{column}", segment.name()));
                }
            }
        }
        // With uncertain inputs: what each trial drew.
        let uncertainty = scenario.uncertainty();
        header.extend(uncertainty.inputs().iter().map(|i| format!("input:{}", i.name())));
        for joint in uncertainty.joints() {
            header.extend((0..joint.dimension()).map(|k| format!("input:{}[{k}]", joint.name())));
        }
        let mut u = vec![0.0; uncertainty.dimension()];
        writer.write_record(&header)?;
        let mut row: Vec<String> = Vec::with_capacity(header.len());
        let mut failure = None;
        tally = simulation
            .for_each_trial(0..trials, |index, total, segments| {
                if failure.is_some() {
                    return;
                }
                if let Some(data) = chart_data.as_mut() {
                    data.record(total);
                }
                if index % 10_000 == 9_999 {
                    progress.inc(10_000);
                }
                row.clear();
                row.push(index.to_string());
                let sla_sqls = if u.is_empty() {
                    sla_sqls
                } else {
                    // The SQLs under an SLA are the trial's own.
                    trial_inputs(simulation.options().seed(), index, &mut u);
                    match scenario.realise(&u) {
                        Ok(realised) => realised
                            .segments()
                            .iter()
                            .filter(|s| s.follow_up().sla().is_some())
                            .map(|s| s.sqls())
                            .sum(),
                        Err(e) => {
                            failure = Some(csv::Error::from(std::io::Error::other(e.to_string())));
                            return;
                        }
                    }
                };
                push_metrics(&mut row, total, spend, sla_sqls);
                if segments.len() > 1 {
                    for s in segments {
                        row.extend([
                            s.customers.to_string(),
                            s.customers_lost.to_string(),
                            s.revenue.to_string(),
                            s.revenue_lost.to_string(),
                        ]);
                    }
                }
                let inputs = uncertainty.inputs();
                for (input, &x) in inputs.iter().zip(&u) {
                    row.push(input.distribution.quantile(x).to_string());
                }
                row.extend(u[inputs.len()..].iter().map(|x| x.to_string()));
                if let Err(e) = writer.write_record(&row) {
                    failure = Some(e);
                }
            })
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        if let Some(e) = failure {
            return Err(std::io::Error::other(e));
        }
        writer.flush()
    })?;
    progress.finish();
    Ok(tally)
}

fn push_metrics(row: &mut Vec<String>, t: &TrialOutcome, spend: Option<f64>, sla_sqls: u64) {
    row.extend(
        t.metric_values(spend, sla_sqls)
            .map(|x| x.map_or_else(String::new, |x| x.to_string())),
    );
}

/// The CSV columns a scenario with uncertain inputs adds: the percentiles
/// of each metric's expectation given the inputs, and the share of its
/// variance they explain.
const INPUT_COLUMNS: [&str; 4] = [
    "expected_given_inputs_p05",
    "expected_given_inputs_p50",
    "expected_given_inputs_p95",
    "variance_share_inputs",
];

fn write_csv(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let extra = if report.inputs.is_some() {
        &INPUT_COLUMNS[..]
    } else {
        &[]
    };
    writer.write_record(
        ["metric", "expected"]
            .into_iter()
            .chain(Summary::COLUMNS)
            .chain(extra.iter().copied()),
    )?;
    for (name, s) in report.metrics.iter() {
        let e = report.expected.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v);
        let mut record = vec![name.to_owned(), e.map_or_else(String::new, |e| e.to_string())];
        record.extend(s.values().map(|x| x.to_string()));
        if let Some(inputs) = &report.inputs {
            let given = inputs.given_inputs.iter().find(|(n, _)| *n == name).map(|(_, s)| *s);
            let share = inputs
                .variance_share
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v);
            let text = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
            record.extend([
                text(given.map(|g| g.p05)),
                text(given.map(|g| g.p50)),
                text(given.map(|g| g.p95)),
                text(share),
            ]);
        }
        writer.write_record(&record)?;
    }
    writer.flush()
}

fn write_table(
    out: &mut impl Write,
    report: &Report,
    arrival_losses: &[ArrivalLoss],
    seconds: f64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "lead-decay: {} | {} trials | seed {} | {} engine | {:.2} s",
        report.scenario,
        grouped(report.trials as f64, 0),
        report.seed,
        report.engine,
        seconds
    )?;
    writeln!(out)?;
    writeln!(out, "{}", Verdict::of(report))?;
    writeln!(out)?;
    // Where the loss happens, for segments on business hours (exact).
    let named = report.segments.len() > 1;
    let mut wrote = false;
    for loss in arrival_losses {
        if let Some(window) = loss.worst_window() {
            match named {
                true => writeln!(out, "{}: {window}.", loss.segment)?,
                false => writeln!(out, "{window}.")?,
            }
            wrote = true;
        }
    }
    if wrote {
        writeln!(out)?;
    }
    let currency = common::figures::money_unit(report);
    let mut rows: Vec<[String; 8]> = report
        .expected
        .iter()
        .filter_map(|(name, expected)| {
            let summary = report.metrics.iter().find(|(n, _)| *n == name).map(|(_, s)| s)?;
            Some(table_row(name, expected, summary, &currency))
        })
        .collect();
    rows.extend(common::figures::goal_rows(report));
    let header = [
        "metric",
        "expected",
        "mean",
        "95 % CI of the mean",
        "p05",
        "p50",
        "p95",
        "unit",
    ]
    .map(str::to_owned);
    let widths: Vec<usize> = (0..8)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = format!("{:<w$}", row[0], w = widths[0]);
        for c in 1..7 {
            line.push_str(&format!("  {:>w$}", row[c], w = widths[c]));
        }
        line.push_str(&format!("  {}", row[7]));
        writeln!(out, "{}", line.trim_end())?;
    }
    if let Some(inputs) = &report.inputs {
        write_inputs_table(out, inputs, &currency)?;
    }
    if let Some(note) = common::figures::goal_note(report) {
        writeln!(out, "\n{note}")?;
    }
    if !report.assumptions.is_empty() {
        writeln!(out)?;
        writeln!(out, "Assumptions:")?;
        for assumption in &report.assumptions {
            writeln!(out, "  - {assumption}")?;
        }
    }
    Ok(())
}

/// What the uncertain inputs leave open: the band of each metric's
/// expectation given the inputs, and the share of its spread they explain.
fn write_inputs_table(out: &mut impl Write, inputs: &InputsReport, currency: &str) -> std::io::Result<()> {
    let method = match inputs.method {
        Integration::Quadrature { .. } => "exact, by quadrature over the inputs".to_owned(),
        Integration::QuasiMonteCarlo { points, replicates } => format!(
            "exact given the inputs, averaged over {} quasi-random points of them",
            grouped((points * replicates) as f64, 0)
        ),
        _ => "exact".to_owned(),
    };
    writeln!(out)?;
    writeln!(
        out,
        "Uncertain inputs: {}. Each trial draws them, then its SQLs; \"expected\" above is {method}.",
        inputs.factors.join(", ")
    )?;
    let lost = inputs.given_inputs.revenue_lost;
    let share = inputs.variance_share.revenue_lost.map_or(String::new(), |s| {
        format!(
            " What we don't know explains {:.0} % of the spread of revenue lost; the luck of the draw the rest.",
            100.0 * s.min(1.0)
        )
    });
    writeln!(
        out,
        "Given what we don't know, the expected revenue lost is between {} and {} {currency} (p05 to p95).{share}",
        grouped(lost.p05, 0),
        grouped(lost.p95, 0),
    )?;
    writeln!(out)?;
    let header = [
        "metric",
        "expected given the inputs: p05",
        "p50",
        "p95",
        "share of spread due to inputs",
        "unit",
    ]
    .map(str::to_owned);
    let shares: Vec<(&str, Option<f64>)> = inputs.variance_share.iter().collect();
    let rows: Vec<[String; 6]> = inputs
        .given_inputs
        .iter()
        .map(|(name, s)| {
            let row = table_row(name, None, s, currency);
            let share = shares
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| *v)
                .map_or_else(|| "-".to_owned(), |v| format!("{:.0} %", 100.0 * v.min(1.0)));
            let decimals = if row[7] == "customers" { 2 } else { 0 };
            let scale = if row[7].starts_with('%') { 100.0 } else { 1.0 };
            let d = if scale == 100.0 { 1 } else { decimals };
            let f = |x: f64| grouped(scale * x, d);
            [row[0].clone(), f(s.p05), f(s.p50), f(s.p95), share, row[7].clone()]
        })
        .collect();
    let widths: Vec<usize> = (0..6)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = format!("{:<w$}", row[0], w = widths[0]);
        for c in 1..5 {
            line.push_str(&format!("  {:>w$}", row[c], w = widths[c]));
        }
        line.push_str(&format!("  {}", row[5]));
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn table_row(name: &str, expected: Option<f64>, s: &Summary, currency: &str) -> [String; 8] {
    let (label, unit, decimals, scale) = match name {
        "customers" => ("customers", "customers", 2, 1.0),
        "customers_ideal" => ("customers, all worked at once", "customers", 2, 1.0),
        "customers_lost" => ("customers lost", "customers", 2, 1.0),
        "revenue" => ("revenue", currency, 0, 1.0),
        "revenue_ideal" => ("revenue, all worked at once", currency, 0, 1.0),
        "revenue_lost" => ("revenue lost", currency, 0, 1.0),
        "roi" => ("ROI", "%", 1, 100.0),
        "roi_ideal" => ("ROI, all worked at once", "%", 1, 100.0),
        "roi_lost" => ("ROI lost", "% points", 1, 100.0),
        _ => ("SLA met", "% of SQLs", 1, 100.0),
    };
    let f = |x: f64, d: usize| grouped(scale * x, d);
    // Quantiles of counts are whole numbers: show them so.
    let qd = if unit == "customers" { 0 } else { decimals };
    [
        label.to_owned(),
        expected.map_or_else(|| "-".to_owned(), |e| f(e, decimals)),
        f(s.mean, decimals + usize::from(decimals > 0)),
        format!(
            "{} to {}",
            f(s.ci95_low, decimals + usize::from(decimals > 0)),
            f(s.ci95_high, decimals + usize::from(decimals > 0))
        ),
        f(s.p05, qd),
        f(s.p50, qd),
        f(s.p95, qd),
        unit.to_owned(),
    ]
}
