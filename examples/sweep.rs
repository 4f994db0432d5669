//! What is speed worth? Varies one input of a scenario over a range and
//! reports, at each point, expected customers, revenue lost and ROI lost
//! with the range that 90 % of trials fall in; or compares scenarios
//! (downside, base, upside) side by side.
//!
//! ```text
//! cargo run --release --example sweep -- [--scenario FILE]
//!     --vary follow-up-mean|shelf-life|never-followed-up|sla|reps|close-rate|deal-value
//!     --from A --to B [--steps N]
//!     [--segment NAME] [--trials N] [--seed S] [--format table|json|csv]
//!     [--chart FILE.png|FILE.svg]
//! cargo run --release --example sweep -- --compare DOWNSIDE.toml BASE.toml UPSIDE.toml
//! ```
//!
//! Durations take units (`30m`, `4h`, `2d`, `1w`; a bare number is hours);
//! `never-followed-up` and `close-rate` are probabilities, `deal-value` an
//! amount. What each input changes, in every
//! segment (or only in `--segment`), is the library's [`Knob`]:
//!
//! * `follow-up-mean`: the mean delay to first follow-up. The delay keeps its
//!   family and shape, stretched in time (an immediate follow-up becomes
//!   exponential with that mean). Swept from fast to slow, this is the
//!   "value of speed" curve.
//! * `shelf-life`: the decay curve's time scale (shelf life of `step` and
//!   `linear`, half-life of `exponential`, scale of `weibull`, period of
//!   `schedule`, the last knot of a `table`, the rest stretched with it).
//! * `never-followed-up`: the probability that an SQL is never followed up
//!   (replaces a count of neglected SQLs).
//! * `sla`: the follow-up deadline (only the SLA-met metric changes).
//! * `reps`: the size of the scenario's `[sales]` team, every whole number
//!   from `--from` to `--to` (`--steps` does not apply), through the capacity
//!   model; the delay then comes out of the queue. The queue has no closed
//!   form, so the "expected" figures of a reps sweep are Monte Carlo means.
//! * `close-rate`: the close rate of an SQL worked at once.
//! * `deal-value`: the mean deal value; a distribution keeps its spread
//!   (coefficient of variation).
//!
//! Every point runs the same seeds, so differences between points are not
//! noise between independent runs. Without `--scenario` the reference case
//! is swept.

// Validation is written `!(x > y)` on purpose: unlike `x <= y`, it rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use lead_decay::whatif::{Knob, KnobUnit, MAX_STEPS, Sweep, SweepPoint, SweepReport};
use lead_decay::{Analysis, Error, Expected, Hours, Report, Scenario, Simulation, Summary};
use serde::Serialize;

use common::charts::{SweepChart, TimeUnit};
use common::{aligned, grouped, money, percent, range};

#[derive(Parser, Debug)]
#[command(about = "Sweep one input of a scenario, or compare scenarios side by side")]
struct Args {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// The input to vary.
    #[arg(long, value_enum, required_unless_present = "compare")]
    vary: Option<Input>,
    /// First value (a duration such as 30m, 4h, 2d, a probability, or an amount).
    #[arg(long, allow_hyphen_values = true)]
    from: Option<String>,
    /// Last value (greater than --from).
    #[arg(long, allow_hyphen_values = true)]
    to: Option<String>,
    /// Number of points, evenly spaced from --from to --to (2 to 100,000,
    /// `whatif::MAX_STEPS`).
    #[arg(long, default_value_t = 9, value_parser = parse_steps)]
    steps: u32,
    /// Vary this segment only (default: every segment).
    #[arg(long)]
    segment: Option<String>,
    /// Compare these scenario files side by side instead of sweeping.
    #[arg(long, num_args = 1.., conflicts_with_all = ["vary", "scenario"])]
    compare: Vec<PathBuf>,
    /// Monte Carlo trials per point.
    #[arg(long, default_value_t = 20_000)]
    trials: u64,
    /// Seed, the same at every point.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output: a table for people, JSON or CSV for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the sweep to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Input {
    FollowUpMean,
    ShelfLife,
    NeverFollowedUp,
    Sla,
    /// Sales reps of the scenario's `[sales]` team (every whole number from
    /// --from to --to), through the capacity model.
    Reps,
    /// The close rate of an SQL worked at once.
    CloseRate,
    /// The mean deal value (its spread kept), in the scenario's currency.
    DealValue,
}

impl Input {
    fn knob(self) -> Knob {
        match self {
            Input::FollowUpMean => Knob::FollowUpMean,
            Input::ShelfLife => Knob::ShelfLife,
            Input::NeverFollowedUp => Knob::NeverFollowedUp,
            Input::Sla => Knob::Sla,
            Input::Reps => Knob::Reps,
            Input::CloseRate => Knob::CloseRate,
            Input::DealValue => Knob::DealValue,
        }
    }
}

/// Parses a value given on the command line (hours for durations).
fn parse(knob: Knob, flag: &str, text: &str) -> Result<f64, String> {
    let bad = |expected: &str| Error::invalid(flag, format!("{text:?}"), expected).to_string();
    match knob.unit() {
        KnobUnit::Hours => text
            .parse::<Hours>()
            .map(Hours::get)
            .map_err(|e| format!("--{flag}: {e}")),
        KnobUnit::Reps => match text.trim().parse::<u32>() {
            Ok(reps) if reps >= 1 => Ok(f64::from(reps)),
            _ => Err(bad("a whole number of reps >= 1")),
        },
        KnobUnit::Probability => match text.trim().parse::<f64>() {
            Ok(q) if (0.0..=1.0).contains(&q) => Ok(q),
            _ => Err(bad("a probability in [0, 1]")),
        },
        _ => text.trim().parse::<f64>().map_err(|_| bad("a number")),
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// `--steps`: a whole number up to [`MAX_STEPS`], refused with the cap
/// before anything is allocated (`--steps 4294967295` once tried to
/// allocate 34 GB).
fn parse_steps(text: &str) -> Result<u32, String> {
    let cap = format!("at most {MAX_STEPS} points (whatif::MAX_STEPS)");
    let n: u128 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of points, {cap}"))?;
    u32::try_from(n)
        .ok()
        .filter(|&n| n <= MAX_STEPS)
        .ok_or_else(|| format!("expected {cap}, got {n}"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => common::fail(message),
    }
}

fn run(args: &Args) -> Result<(), String> {
    if let Some(chart) = &args.chart {
        common::charts::ChartFormat::of(chart)?;
    }
    if args.trials == 0 {
        return Err(Error::invalid("trials", 0, "at least 1 trial").to_string());
    }
    if !args.compare.is_empty() {
        if args.chart.is_some() {
            return Err("--chart draws a sweep; it is not available with --compare".to_owned());
        }
        return compare(args);
    }
    let knob = args.vary.ok_or("--vary is required (or --compare)")?.knob();
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path).map_err(|e| e.to_string())?,
        None => Analysis::new(Scenario::reference()),
    };
    let scenario = analysis.scenario();
    let (from, to) = match (&args.from, &args.to) {
        (Some(from), Some(to)) => (parse(knob, "from", from)?, parse(knob, "to", to)?),
        _ => return Err("--from and --to are required with --vary".to_owned()),
    };
    if !(to > from) {
        let expected = format!(
            "a value greater than --from ({}): the sweep range is empty or reversed",
            args.from.as_deref().unwrap_or("")
        );
        return Err(Error::invalid("to", args.to.as_deref().unwrap_or(""), expected).to_string());
    }
    let failed = |e: Error| e.to_string();
    // The library names the field `steps`; here it is the flag `--steps`.
    let flag = |e: Error| match e.field() {
        Some("steps") => format!("--{e}"),
        _ => e.to_string(),
    };
    let mut sweep = Sweep::range(knob, from, to, args.steps)
        .map_err(flag)?
        .trials(args.trials)
        .seed(args.seed);
    if let Some(name) = &args.segment {
        sweep = sweep.segment(name);
    }
    let what = if knob.is_team() {
        "sweeping reps".to_owned()
    } else {
        format!("sweeping {}", knob.label())
    };
    let progress = common::progress::Progress::new(sweep.total_trials(), &what, "trials");
    let report = if knob.is_team() {
        let model = analysis.capacity_model().map_err(failed)?;
        sweep.run_team_with_progress(scenario, &model, |n| progress.inc(n))
    } else {
        sweep.run_with_progress(scenario, |n| progress.inc(n))
    }
    .map_err(failed)?;
    progress.finish();
    emit(args, &report, scenario)
}

/// The central figure of each metric at a point: the exact expectation, or
/// for a capacity run (no exact expectation) the Monte Carlo mean.
fn central(p: &SweepPoint) -> Expected {
    p.expected().copied().unwrap_or_else(|| p.metrics().means())
}

/// Writes a sweep as the chart (if asked for) and the table, JSON or CSV.
fn emit(args: &Args, report: &SweepReport, scenario: &Scenario) -> Result<(), String> {
    if let Some(path) = &args.chart {
        common::charts::save(path, &sweep_chart(report, scenario.currency()))?;
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        Format::Csv => sweep_csv(&mut out, report),
        Format::Table => sweep_table(&mut out, report, scenario.currency()),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))
}

fn band(s: &Summary) -> (f64, f64) {
    (s.p05, s.p95)
}

fn sweep_chart(report: &SweepReport, currency: Option<&str>) -> SweepChart {
    let knob = report.input;
    let span = report.points.last().map_or(1.0, |p| p.value);
    let (scale, unit) = match knob.unit() {
        KnobUnit::Hours => {
            let unit = TimeUnit::for_span(span);
            (1.0 / unit.hours, unit.name)
        }
        KnobUnit::Reps => (1.0, "reps"),
        KnobUnit::Money => (1.0, currency.unwrap_or("money")),
        _ if knob == Knob::CloseRate => (100.0, "%"),
        _ => (100.0, "% of SQLs"),
    };
    let segment = report
        .segment
        .as_ref()
        .map_or_else(String::new, |s| format!(" (segment {s})"));
    let what = if knob.is_team() { "team size" } else { knob.label() };
    SweepChart {
        title: format!("{}: what each {what} costs{segment}", report.scenario),
        x_desc: if knob.is_team() {
            knob.label().to_owned()
        } else {
            format!("{} ({unit})", knob.label())
        },
        currency: currency.unwrap_or("").to_owned(),
        points: report
            .points
            .iter()
            .map(|p| {
                let (e, m) = (central(p), p.metrics());
                common::charts::SweepPoint {
                    x: p.value * scale,
                    customers: e.customers,
                    customers_band: band(&m.customers),
                    revenue_lost: e.revenue_lost,
                    revenue_lost_band: band(&m.revenue_lost),
                    roi_lost: e.roi_lost,
                    roi_lost_band: m.roi_lost.as_ref().map(band),
                }
            })
            .collect(),
    }
}

fn sweep_csv(out: &mut impl Write, report: &SweepReport) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "value",
        "label",
        "customers",
        "customers_p05",
        "customers_p95",
        "revenue_lost",
        "revenue_lost_p05",
        "revenue_lost_p95",
        "roi_lost",
        "roi_lost_p05",
        "roi_lost_p95",
        "sla_met",
        "p_goal",
    ])?;
    let opt = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    for p in &report.points {
        let (e, m) = (central(p), p.metrics());
        writer.write_record([
            p.value.to_string(),
            p.label.clone(),
            e.customers.to_string(),
            m.customers.p05.to_string(),
            m.customers.p95.to_string(),
            e.revenue_lost.to_string(),
            m.revenue_lost.p05.to_string(),
            m.revenue_lost.p95.to_string(),
            opt(e.roi_lost),
            opt(m.roi_lost.as_ref().map(|s| s.p05)),
            opt(m.roi_lost.as_ref().map(|s| s.p95)),
            opt(e.sla_met),
            opt(p.goal().map(|g| g.probability)),
        ])?;
    }
    writer.flush()
}

fn sweep_table(out: &mut impl Write, report: &SweepReport, currency: Option<&str>) -> std::io::Result<()> {
    let knob = report.input;
    let (first, last) = (report.points.first(), report.points.last());
    writeln!(
        out,
        "lead-decay sweep: {} | {} from {} to {} | {} trials per point | seed {}\n",
        report.scenario,
        knob.label(),
        first.map_or("", |p| p.label.as_str()),
        last.map_or("", |p| p.label.as_str()),
        grouped(report.trials as f64, 0),
        report.seed
    )?;
    if let (Some(first), Some(last)) = (first, last) {
        let (a, b) = (central(first), central(last));
        writeln!(
            out,
            "From {} to {} {}, expected customers go from {} to {} and revenue lost from {} to {}.\n",
            first.label,
            last.label,
            knob.label(),
            grouped(a.customers, 2),
            grouped(b.customers, 2),
            money(a.revenue_lost, currency),
            money(b.revenue_lost, currency),
        )?;
    }
    let has_roi = report.points.iter().all(|p| central(p).roi_lost.is_some());
    let has_goal = report.points.iter().all(|p| p.goal().is_some());
    let has_sla = report.points.iter().all(|p| central(p).sla_met.is_some());
    let unit = currency.map_or_else(String::new, |c| format!(" ({c})"));
    let trials = "90 % of trials".to_owned();
    let mut header = vec![knob.label().to_owned(), "customers".to_owned(), trials.clone()];
    header.extend([format!("revenue lost{unit}"), trials.clone()]);
    if has_roi {
        header.extend(["ROI lost (% points)".to_owned(), trials]);
    }
    if has_sla {
        header.push("SLA met".to_owned());
    }
    if has_goal {
        header.push("P(goal)".to_owned());
    }
    let mut rows = vec![header];
    for p in &report.points {
        let (e, m) = (central(p), p.metrics());
        let value = match knob.unit() {
            KnobUnit::Probability => percent(p.value),
            KnobUnit::Money => money(p.value, currency),
            _ => p.label.clone(),
        };
        let mut row = vec![value, grouped(e.customers, 2), range(&m.customers, 0, 1.0)];
        row.extend([grouped(e.revenue_lost, 0), range(&m.revenue_lost, 0, 1.0)]);
        if has_roi {
            row.push(grouped(100.0 * e.roi_lost.unwrap_or(f64::NAN), 1));
            row.push(m.roi_lost.as_ref().map_or_else(String::new, |s| range(s, 1, 100.0)));
        }
        if has_sla {
            row.push(percent(e.sla_met.unwrap_or(f64::NAN)));
        }
        if has_goal {
            row.push(p.goal().map_or_else(String::new, |g| percent(g.probability)));
        }
        rows.push(row);
    }
    aligned(out, &rows)
}

/// One scenario of a comparison.
#[derive(Serialize)]
struct Compared {
    file: String,
    #[serde(flatten)]
    report: Report,
}

fn compare(args: &Args) -> Result<(), String> {
    let scenarios = args
        .compare
        .iter()
        .map(|path| Scenario::load(path).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, String>>()?;
    let progress =
        common::progress::Progress::new(args.trials * scenarios.len() as u64, "comparing scenarios", "trials");
    let mut compared = Vec::with_capacity(scenarios.len());
    for (path, scenario) in args.compare.iter().zip(&scenarios) {
        let report = Simulation::new(scenario)
            .trials(args.trials)
            .seed(args.seed)
            .run_with_progress(|n| progress.inc(n))
            .map_err(|e| e.to_string())?;
        compared.push(Compared {
            file: path.display().to_string(),
            report,
        });
    }
    progress.finish();
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &compared)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            compare_rows(&compared, &scenarios, false)
                .iter()
                .try_for_each(|row| writer.write_record(row).map_err(std::io::Error::from))
                .and_then(|()| writer.flush())
        }
        Format::Table => writeln!(
            out,
            "lead-decay comparison | {} trials per scenario | seed {}\n",
            grouped(args.trials as f64, 0),
            args.seed
        )
        .and_then(|()| aligned(&mut out, &compare_rows(&compared, &scenarios, true))),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))
}

/// The comparison as rows (metrics) by columns (scenarios); `human` formats
/// numbers for people.
fn compare_rows(compared: &[Compared], scenarios: &[Scenario], human: bool) -> Vec<Vec<String>> {
    let num = |x: f64, d: usize| if human { grouped(x, d) } else { x.to_string() };
    let pct = |x: f64| if human { percent(x) } else { x.to_string() };
    let opt = |x: Option<String>| x.unwrap_or_else(|| if human { "-".to_owned() } else { String::new() });
    let cash = |x: f64, c: &Compared| {
        if human {
            money(x, c.report.currency.as_deref())
        } else {
            x.to_string()
        }
    };
    let spread = |m: &Summary| {
        if human {
            range(m, 0, 1.0)
        } else {
            format!("{} to {}", m.p05, m.p95)
        }
    };
    let mut header = vec!["metric".to_owned()];
    header.extend(compared.iter().map(|c| c.report.scenario.clone()));
    let mut rows = vec![header];
    let mut add = |label: &str, cell: &dyn Fn(&Compared, &Scenario) -> String| {
        let mut row = vec![label.to_owned()];
        row.extend(compared.iter().zip(scenarios).map(|(c, s)| cell(c, s)));
        rows.push(row);
    };
    add("SQLs", &|_, s| num(s.total_sqls() as f64, 0));
    add("customers, all worked at once", &|c, _| {
        num(c.report.expected.customers_ideal, 2)
    });
    add("customers (expected)", &|c, _| num(c.report.expected.customers, 2));
    add("customers, 90 % of trials", &|c, _| spread(&c.report.metrics.customers));
    add("customers lost", &|c, _| num(c.report.expected.customers_lost, 2));
    add("revenue (expected)", &|c, _| cash(c.report.expected.revenue, c));
    add("revenue lost (expected)", &|c, _| {
        cash(c.report.expected.revenue_lost, c)
    });
    add("revenue lost, 90 % of trials", &|c, _| {
        spread(&c.report.metrics.revenue_lost)
    });
    add("ROI lost (% points)", &|c, _| {
        opt(c.report.expected.roi_lost.map(|r| num(100.0 * r, 1)))
    });
    add("P(customers >= goal)", &|c, _| {
        opt(c.report.goal.map(|g| pct(g.probability)))
    });
    add("P(goal), all worked at once", &|c, _| {
        opt(c.report.goal.map(|g| pct(g.probability_ideal)))
    });
    rows
}
