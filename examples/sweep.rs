//! What is speed worth? Varies one input of a scenario over a range and
//! reports, at each point, expected customers, revenue lost and ROI lost
//! with the range that 90 % of trials fall in; or compares scenarios
//! (downside, base, upside) side by side.
//!
//! ```text
//! cargo run --release --example sweep -- [--scenario FILE]
//!     --vary follow-up-mean|shelf-life|never-followed-up|sla|reps|close-rate|deal-value
//!            |shift-start|shift-end|working-days|auto-response
//!     --from A --to B [--steps N]
//!     [--segment NAME] [--trials N] [--seed S] [--format table|json|csv]
//!     [--chart FILE.png|FILE.svg]
//! cargo run --release --example sweep -- [--scenario FILE] --speed
//!     [--uncertain KNOB=LOW..HIGH]... [--chart FILE.png]
//! cargo run --release --example sweep -- --compare DOWNSIDE.toml BASE.toml UPSIDE.toml
//!     [--report FILE.html]
//! ```
//!
//! `--speed` is the value of speed: the mean follow-up delay from 1 minute
//! to 30 days on a log grid (25 points unless `--steps`; `--from`/`--to`
//! narrow it), the marginal value of one hour at today's setting ("each
//! hour of extra delay costs X in expected revenue"), and a chart that
//! marks today's setting and the customer goal. `--log` spaces any sweep's
//! points on a log scale.
//!
//! With uncertain inputs (in the scenario file, or `--uncertain
//! close-rate=0.18..0.32`, uniform between two values), every point also
//! shows the range of the *expected* figures over the inputs (5th to 95th
//! percentile of the exact `E[metric | inputs]`): what we do not know about
//! the business, beside the trials' range, which is luck.
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
use lead_decay::capacity::Precision;
use lead_decay::whatif::{
    Knob, KnobUnit, MAX_STEPS, ONE_MINUTE, PointOutcome, Sweep, SweepPoint, SweepReport, THIRTY_DAYS, TeamPoint,
};
use lead_decay::{Analysis, Error, Expected, Hours, Report, Scenario, Simulation, Summary};
use serde::Serialize;

use common::charts::{CompareBar, CompareChart, InputBand, Marker, SweepChart, TimeUnit, short};
use common::figures::probability;
use common::html::{Assumption, Figure, Page, Reproducibility};
use common::simulate_html::{Origins, assumptions, team_assumptions};
use common::{aligned, grouped, money, percent, range};

#[derive(Parser, Debug)]
#[command(about = "Sweep one input of a scenario, or compare scenarios side by side")]
struct Args {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// The input to vary.
    #[arg(long, value_enum, required_unless_present_any = ["compare", "speed"])]
    vary: Option<Input>,
    /// The value of speed: the mean follow-up delay from 1 minute to 30 days
    /// on a log grid, with the marginal value of an hour at today's setting.
    #[arg(long, conflicts_with_all = ["vary", "compare"])]
    speed: bool,
    /// Space the points evenly on a log scale.
    #[arg(long)]
    log: bool,
    /// An uncertain input, uniform between two values in every segment:
    /// KNOB=LOW..HIGH (close-rate=0.18..0.32, shelf-life=20d..40d).
    #[arg(long, value_name = "KNOB=LOW..HIGH")]
    uncertain: Vec<String>,
    /// Points of the uncertain inputs behind the bands.
    #[arg(long, default_value_t = 512)]
    input_samples: usize,
    /// First value (a duration such as 30m, 4h, 2d, a probability, or an amount).
    #[arg(long, allow_hyphen_values = true)]
    from: Option<String>,
    /// Last value (greater than --from).
    #[arg(long, allow_hyphen_values = true)]
    to: Option<String>,
    /// Number of points, evenly spaced from --from to --to (2 to 100,000,
    /// `whatif::MAX_STEPS`; default 9, 25 with --speed).
    #[arg(long, value_parser = parse_steps)]
    steps: Option<u32>,
    /// Vary this segment only (default: every segment).
    #[arg(long)]
    segment: Option<String>,
    /// Compare these scenario files side by side instead of sweeping.
    #[arg(long, num_args = 1.., conflicts_with_all = ["vary", "scenario"])]
    compare: Vec<PathBuf>,
    /// Monte Carlo trials per point.
    #[arg(long, default_value_t = 20_000)]
    trials: u64,
    /// With --vary reps: stop each team's run once the standard error of
    /// its mean revenue lost is at most this share of it (0.01 = 1 %);
    /// --trials is then the most trials a point may take.
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// Seed, the same at every point.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output: a table for people, JSON or CSV for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the sweep to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// Also write a one-file HTML report (the verdict, key figures, the
    /// chart, the table, the assumptions) to send as it is.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
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
    /// When every working day's first shift starts (a time such as 7h), for
    /// segments on business hours.
    ShiftStart,
    /// When every working day's last shift ends (21h: an evening shift).
    ShiftEnd,
    /// Working days a week from Monday (6 adds a Saturday, 7 a Sunday).
    WorkingDays,
    /// How soon SQLs arriving off hours hear back (10m: an auto-response).
    AutoResponse,
    /// The share of SQLs that would qualify with an instant response, in
    /// (0, 1]: the level a decay fitted to response-time ratios (the
    /// `inbound-web` preset) leaves open.
    InstantResponseShare,
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
            Input::ShiftStart => Knob::ShiftStart,
            Input::ShiftEnd => Knob::ShiftEnd,
            Input::WorkingDays => Knob::WorkingDays,
            Input::AutoResponse => Knob::AutoResponse,
            Input::InstantResponseShare => Knob::InstantResponseShare,
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
            .map_err(|e| e.within(&format!("--{flag}")).to_string()),
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
    // Refuse a chart or report path we cannot write before spending the run on it.
    if let Some(chart) = &args.chart {
        common::charts::ChartFormat::of(chart)?;
    }
    if let Some(page) = &args.report {
        common::html::check_path(page)?;
    }
    if args.trials == 0 {
        return Err(Error::invalid("trials", 0, "at least 1 trial").to_string());
    }
    if let Some(share) = args.precision {
        Precision::check(share).map_err(|e| e.to_string())?;
        if !args.vary.is_some_and(|v| v.knob().is_team()) {
            return Err(Error::invalid(
                "precision",
                share,
                "--vary reps: a precision target applies to the capacity model's runs (other sweeps print exact \
                 expectations)",
            )
            .to_string());
        }
    }
    if !args.compare.is_empty() {
        if args.chart.is_some() {
            return Err(
                "--chart draws a sweep; it is not available with --compare (--report draws the comparison)".to_owned(),
            );
        }
        return compare(args);
    }
    let knob = if args.speed {
        Knob::FollowUpMean
    } else {
        args.vary.ok_or("--vary is required (or --speed, or --compare)")?.knob()
    };
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path).map_err(|e| e.to_string())?,
        None => Analysis::new(Scenario::reference()),
    };
    let scenario = &common::uncertain::with_inputs(analysis.scenario(), &args.uncertain)?;
    let (from, to) = match (&args.from, &args.to, args.speed) {
        (Some(from), Some(to), _) => (parse(knob, "from", from)?, parse(knob, "to", to)?),
        (from, to, true) => (
            from.as_deref().map_or(Ok(ONE_MINUTE), |f| parse(knob, "from", f))?,
            to.as_deref().map_or(Ok(THIRTY_DAYS), |t| parse(knob, "to", t))?,
        ),
        _ => return Err("--from and --to are required with --vary".to_owned()),
    };
    let steps = args.steps.unwrap_or(if args.speed { 25 } else { 9 });
    let log = args.log || args.speed;
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
    let grid = if log {
        Sweep::log_range(knob, from, to, steps)
    } else {
        Sweep::range(knob, from, to, steps)
    };
    let mut sweep = grid
        .map_err(flag)?
        .trials(args.trials)
        .seed(args.seed)
        .input_samples(args.input_samples);
    if let Some(name) = &args.segment {
        sweep = sweep.segment(name);
    }
    if let Some(share) = args.precision {
        sweep = sweep.precision(share);
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
    emit(args, &report, scenario, log)
}

/// The central figure of each metric at a point: the exact expectation, or
/// for a capacity run (no exact expectation) the Monte Carlo mean.
fn central(p: &SweepPoint) -> Expected {
    p.expected().copied().unwrap_or_else(|| p.metrics().means())
}

/// Writes a sweep as the chart (if asked for) and the table, JSON or CSV.
fn emit(args: &Args, report: &SweepReport, scenario: &Scenario, log: bool) -> Result<(), String> {
    if let Some(path) = &args.chart {
        common::charts::save(path, &sweep_chart(report, scenario, log, args.speed))?;
    }
    if let Some(path) = &args.report {
        write_report(path, args, report, scenario, log)?;
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

/// A duration in hours as people say it: `45 min`, `31.5 h`, `4.2 days`.
fn duration(hours: f64) -> String {
    if hours < 1.0 {
        let minutes = 60.0 * hours;
        let whole = (minutes - minutes.round()).abs() < 1e-9;
        format!("{} min", grouped(minutes, if hours < 0.1 && !whole { 1 } else { 0 }))
    } else if hours < 48.0 {
        format!("{} h", grouped(hours, if hours < 10.0 { 1 } else { 0 }))
    } else {
        format!("{} days", grouped(hours / 24.0, if hours < 240.0 { 1 } else { 0 }))
    }
}

/// The label of a log axis at `x` = log10(hours): the ticks are round
/// durations (`5 min`, `4 h`, `1 week`).
fn log_hours_label(x: f64) -> String {
    let hours = 10f64.powf(x);
    let round = |v: f64| grouped(v, if (v - v.round()).abs() < 1e-6 { 0 } else { 1 });
    if hours < 0.99 {
        format!("{} min", round(60.0 * hours))
    } else if hours < 23.9 {
        format!("{} h", round(hours))
    } else if (hours - 168.0).abs() < 1e-3 {
        "1 week".to_owned()
    } else if hours < 47.9 {
        "1 day".to_owned()
    } else {
        format!("{} days", round(hours / 24.0))
    }
}

fn band(s: &Summary) -> (f64, f64) {
    (s.p05, s.p95)
}

fn sweep_chart(report: &SweepReport, scenario: &Scenario, log: bool, speed: bool) -> SweepChart {
    let currency = scenario.currency();
    let knob = report.input;
    let span = report.points.last().map_or(1.0, |p| p.value);
    let (scale, unit) = match knob.unit() {
        // A log axis of durations is labelled in words at each tick.
        KnobUnit::Hours if log => (1.0, "log scale"),
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
    let x_of = |value: f64| if log { value.log10() } else { value * scale };
    let (lo, hi) = match (report.points.first(), report.points.last()) {
        (Some(a), Some(b)) => (a.value, b.value),
        _ => (0.0, 0.0),
    };
    let today = report
        .marginal
        .as_ref()
        .filter(|m| m.today_hours >= lo && m.today_hours <= hi && (m.today_hours > 0.0 || !log))
        .map(|m| Marker {
            x: x_of(m.today_hours),
            label: format!("today: {} on average", duration(m.today_hours)),
        });
    SweepChart {
        title: if speed {
            format!("{}: the value of speed{segment}", report.scenario)
        } else {
            format!("{}: what each {what} costs{segment}", report.scenario)
        },
        x_desc: if knob.is_team() {
            knob.label().to_owned()
        } else {
            format!("{} ({unit})", knob.label())
        },
        currency: currency.unwrap_or("").to_owned(),
        log_x: (log && knob.unit() == KnobUnit::Hours).then_some(log_hours_label as fn(f64) -> String),
        today,
        goal: scenario.customer_goal().map(|g| g as f64),
        central: if knob.is_team() { "mean of the runs" } else { "expected" },
        points: report
            .points
            .iter()
            .map(|p| {
                let (e, m) = (central(p), p.metrics());
                common::charts::SweepPoint {
                    x: if log { p.value.log10() } else { p.value * scale },
                    inputs: p.input_bands.as_ref().map(|b| InputBand {
                        customers: (b.p05.customers, b.p95.customers),
                        revenue_lost: (b.p05.revenue_lost, b.p95.revenue_lost),
                        roi_lost: b.p05.roi_lost.zip(b.p95.roi_lost),
                    }),
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
    // The bands over the uncertain inputs come last, and only when there are
    // uncertain inputs: a sweep without them keeps its columns.
    let has_bands = report.points.iter().all(|p| p.input_bands.is_some());
    let band_columns = [
        "customers_inputs_p05",
        "customers_inputs_p95",
        "revenue_lost_inputs_p05",
        "revenue_lost_inputs_p95",
        "roi_lost_inputs_p05",
        "roi_lost_inputs_p95",
    ];
    let mut header = vec![
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
    ];
    if has_bands {
        header.extend(band_columns);
    }
    writer.write_record(&header)?;
    let opt = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    for p in &report.points {
        let (e, m) = (central(p), p.metrics());
        let mut row = vec![
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
        ];
        if let (true, Some(b)) = (has_bands, &p.input_bands) {
            row.extend([
                b.p05.customers.to_string(),
                b.p95.customers.to_string(),
                b.p05.revenue_lost.to_string(),
                b.p95.revenue_lost.to_string(),
                opt(b.p05.roi_lost),
                opt(b.p95.roi_lost),
            ]);
        }
        writer.write_record(&row)?;
    }
    writer.flush()
}

/// The swept values in one unit chosen from the range, with as few
/// decimals (at most 2) as tell them apart: `(header, unit, cells)`.
fn swept_values(report: &SweepReport, currency: Option<&str>) -> (String, String, Vec<String>) {
    let knob = report.input;
    let span = report.points.iter().map(|p| p.value).fold(0.0, f64::max);
    // A log sweep (1 minute to 30 days) reads best in the unit of its
    // geometric middle (hours), each value to three significant digits.
    let smallest = report
        .points
        .iter()
        .map(|p| p.value)
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let log = smallest.is_finite() && span / smallest > 100.0;
    let (scale, unit) = match knob.unit() {
        KnobUnit::Hours => {
            let unit = TimeUnit::for_span(if log { (span * smallest).sqrt() } else { span });
            (1.0 / unit.hours, unit.name.to_owned())
        }
        KnobUnit::Reps => (1.0, "reps".to_owned()),
        KnobUnit::Money => (1.0, currency.unwrap_or("").to_owned()),
        KnobUnit::Probability if knob == Knob::CloseRate => (100.0, "%".to_owned()),
        _ => (100.0, "% of SQLs".to_owned()),
    };
    let values: Vec<f64> = report.points.iter().map(|p| p.value * scale).collect();
    let decimals = (0..=2)
        .find(|&d| {
            let f = 10f64.powi(d);
            values.iter().all(|v| ((v * f).round() - v * f).abs() < 1e-6)
        })
        .unwrap_or(2) as usize;
    let cells = values
        .iter()
        .map(|&v| {
            if log {
                grouped(v, significant_decimals(v, 3))
            } else {
                grouped(v, decimals)
            }
        })
        .collect();
    let header = if knob.is_team() {
        "sales reps".to_owned()
    } else if unit.is_empty() {
        knob.label().to_owned()
    } else {
        format!("{} ({unit})", knob.label())
    };
    (header, unit, cells)
}

/// Decimals that show `v` to `digits` significant digits (none for
/// values of `digits` digits or more).
fn significant_decimals(v: f64, digits: i32) -> usize {
    if v == 0.0 || !v.is_finite() {
        return 0;
    }
    (digits - 1 - v.abs().log10().floor() as i32).clamp(0, 12) as usize
}

/// "From A to B <input>": the swept range in the table's unit.
fn swept_range(report: &SweepReport, currency: Option<&str>) -> String {
    let knob = report.input;
    let (_, unit, values) = swept_values(report, currency);
    let (lo, hi) = match (report.points.first(), report.points.last()) {
        (Some(a), Some(b)) => (a.value, b.value),
        _ => return String::new(),
    };
    match (values.first(), values.last()) {
        // A log sweep of durations spans units: say each end in its own.
        (Some(_), Some(_)) if knob.unit() == KnobUnit::Hours && lo > 0.0 && hi / lo > 100.0 => {
            format!("from {} to {} {}", duration(lo), duration(hi), knob.label())
        }
        (Some(a), Some(b)) if knob.is_team() => format!("from {a} to {b} reps"),
        (Some(a), Some(b)) if unit.is_empty() => format!("from {a} to {b} {}", knob.label()),
        (Some(a), Some(b)) => format!("from {a} to {b} {unit} {}", knob.label()),
        _ => String::new(),
    }
}

/// What the sweep shows, in one sentence: how expected customers and
/// revenue lost move from the first point to the last.
fn summary_sentence(report: &SweepReport, currency: Option<&str>) -> Option<String> {
    let (first, last) = (report.points.first()?, report.points.last()?);
    let ends = swept_range(report, currency);
    let (a, b) = (central(first), central(last));
    let expected = if report.points.iter().all(|p| p.expected().is_some()) {
        "expected"
    } else {
        "mean"
    };
    Some(format!(
        "{}{}, {expected} customers go from {} to {} and revenue lost from {} to {}.",
        ends[..1].to_uppercase(),
        &ends[1..],
        grouped(a.customers, 2),
        grouped(b.customers, 2),
        money(a.revenue_lost, currency),
        money(b.revenue_lost, currency),
    ))
}

/// The value of an hour at today's setting, in one sentence (a sweep of
/// the mean follow-up delay only).
fn marginal_sentence(report: &SweepReport, currency: Option<&str>) -> Option<String> {
    let marginal = report.marginal.as_ref()?;
    let per_hour = &marginal.per_hour;
    let range = match (&marginal.per_hour_p05, &marginal.per_hour_p95) {
        (Some(lo), Some(hi)) => format!(
            " (between {} and {} over the uncertain inputs)",
            money(lo.revenue_lost, currency),
            money(hi.revenue_lost, currency)
        ),
        _ => String::new(),
    };
    let (revenue, customers) = (
        money(per_hour.revenue_lost, currency),
        grouped(-24.0 * per_hour.customers, 2),
    );
    Some(if marginal.today_hours > 0.0 {
        format!(
            "At today's mean delay ({}), each hour of extra delay costs {revenue} in expected revenue{range}, \
             and each day of it costs {customers} expected customers.",
            duration(marginal.today_hours),
        )
    } else {
        // "today's mean delay (0.0 min)" read as a glitch.
        format!(
            "Today every SQL that is followed up is worked at once; each hour of mean delay would cost \
             {revenue} in expected revenue{range}, and each day of it {customers} expected customers."
        )
    })
}

/// The sweep's table, header first: the swept value, then each metric with
/// its ranges, each range naming its metric.
fn table_rows(report: &SweepReport, currency: Option<&str>) -> Vec<Vec<String>> {
    let (column, _, values) = swept_values(report, currency);
    let has_bands = report.points.iter().all(|p| p.input_bands.is_some());
    let has_roi = report.points.iter().all(|p| central(p).roi_lost.is_some());
    let has_goal = report.points.iter().all(|p| p.goal().is_some());
    let has_sla = report.points.iter().all(|p| central(p).sla_met.is_some());
    let unit = currency.map_or_else(String::new, |c| format!(" ({c})"));
    let mut header = vec![column, "customers".to_owned()];
    if has_bands {
        header.push("customers, 90 % of inputs".to_owned());
    }
    header.extend(["customers, 90 % of trials".to_owned(), format!("revenue lost{unit}")]);
    if has_bands {
        header.push("revenue lost, 90 % of inputs".to_owned());
    }
    header.push("revenue lost, 90 % of trials".to_owned());
    if has_roi {
        header.extend(["ROI lost (% points)".to_owned(), "ROI lost, 90 % of trials".to_owned()]);
    }
    if has_sla {
        header.push("SLA met".to_owned());
    }
    if has_goal {
        header.push("P(goal)".to_owned());
    }
    let has_target = report
        .points
        .iter()
        .any(|p| team_of(p).is_some_and(|t| t.precision.is_some()));
    if has_target {
        header.push("trials".to_owned());
    }
    let mut rows = vec![header];
    for (p, value) in report.points.iter().zip(values) {
        let (e, m) = (central(p), p.metrics());
        let band = |f: &dyn Fn(&Expected) -> f64, decimals: usize| {
            p.input_bands.as_ref().map_or_else(String::new, |b| {
                format!("{} to {}", grouped(f(&b.p05), decimals), grouped(f(&b.p95), decimals))
            })
        };
        let mut row = vec![value, grouped(e.customers, 2)];
        if has_bands {
            row.push(band(&|e| e.customers, 2));
        }
        row.extend([range(&m.customers, 0, 1.0), grouped(e.revenue_lost, 0)]);
        if has_bands {
            row.push(band(&|e| e.revenue_lost, 0));
        }
        row.push(range(&m.revenue_lost, 0, 1.0));
        if has_roi {
            row.push(grouped(100.0 * e.roi_lost.unwrap_or(f64::NAN), 1));
            row.push(m.roi_lost.as_ref().map_or_else(String::new, |s| range(s, 1, 100.0)));
        }
        if has_sla {
            row.push(percent(e.sla_met.unwrap_or(f64::NAN)));
        }
        if has_goal {
            row.push(p.goal().map_or_else(String::new, |g| probability(g.best().0)));
        }
        if has_target {
            row.push(team_of(p).map_or_else(String::new, |t| grouped(t.trials as f64, 0)));
        }
        rows.push(row);
    }
    rows
}

/// The capacity run of a point of a reps sweep.
fn team_of(p: &SweepPoint) -> Option<&TeamPoint> {
    match &p.outcome {
        PointOutcome::Team(team) => Some(team),
        _ => None,
    }
}

/// "20,000 trials per point", or with a precision target "up to 20,000
/// trials per point, each stopped at a standard error of revenue lost of
/// 1 %".
fn trials_per_point(report: &SweepReport) -> String {
    let most = grouped(report.trials as f64, 0);
    match report.points.iter().find_map(|p| team_of(p)?.precision) {
        Some(target) => {
            let short = report
                .points
                .iter()
                .filter(|p| team_of(p).and_then(|t| t.precision).is_some_and(|t| !t.reached))
                .count();
            let missed = match short {
                0 => String::new(),
                n => format!(", {n} of them short of it at the most trials"),
            };
            format!(
                "up to {most} trials per point, each stopped once the standard error of its revenue lost is {} of it{missed}",
                percent(target.share)
            )
        }
        None => format!("{most} trials per point"),
    }
}

fn sweep_table(out: &mut impl Write, report: &SweepReport, currency: Option<&str>) -> std::io::Result<()> {
    writeln!(
        out,
        "lead-decay sweep: {} | {} | {} | seed {}\n",
        report.scenario,
        swept_range(report, currency),
        trials_per_point(report),
        report.seed
    )?;
    if let Some(sentence) = summary_sentence(report, currency) {
        writeln!(out, "{sentence}\n")?;
    }
    if let Some(sentence) = marginal_sentence(report, currency) {
        writeln!(out, "{sentence}\n")?;
    }
    aligned(out, &table_rows(report, currency))?;
    if let Some(note) = unchanged_note(report) {
        writeln!(out, "\n{note}")?;
    }
    Ok(())
}

/// The engine behind a sweep's figures, for the report's footer.
fn engine_of(report: &SweepReport) -> String {
    let points = report.points.len();
    let engine = match report.points.first().map(|p| &p.outcome) {
        Some(PointOutcome::Simulated(r)) => r.engine.to_string(),
        _ => "capacity queue (discrete-event simulation)".to_owned(),
    };
    if report
        .points
        .iter()
        .any(|p| team_of(p).is_some_and(|t| t.precision.is_some()))
    {
        format!(
            "{engine}; {points} points, {}, the same seeds at every point",
            trials_per_point(report)
        )
    } else {
        format!(
            "{engine}; {} trials at each of the {points} points, the same seeds at every point",
            grouped(report.trials as f64, 0)
        )
    }
}

/// The key figures of a sweep: the first and last points, and the value
/// of an hour when the mean delay is swept.
fn report_figures(report: &SweepReport, currency: Option<&str>) -> Vec<Figure> {
    let (_, unit, values) = swept_values(report, currency);
    let at = |value: &str| {
        if report.input.is_team() {
            format!("with {value} reps")
        } else if unit.is_empty() {
            format!("at {value}")
        } else {
            format!("at {value} {unit}")
        }
    };
    let expected = if report.points.iter().all(|p| p.expected().is_some()) {
        "expected"
    } else {
        "mean of the runs"
    };
    let mut figures = Vec::new();
    for (p, value) in [
        (report.points.first(), values.first()),
        (report.points.last(), values.last()),
    ] {
        let (Some(p), Some(value)) = (p, value) else { continue };
        let label = if report.input.is_team() {
            at(value)
        } else if report.input.unit() == KnobUnit::Hours {
            // Durations in words: "1 min", not "0.0167 hours".
            format!("{} of {}", report.input.label(), duration(p.value))
        } else {
            format!("{} {}", report.input.label(), at(value))
        };
        let e = central(p);
        let goal = p
            .goal()
            .map_or_else(String::new, |g| format!("; P(goal) {}", probability(g.best().0)));
        figures.push(Figure::new(
            label,
            format!("{} customers", grouped(e.customers, 2)),
            format!("{expected}; revenue lost {}{goal}", money(e.revenue_lost, currency)),
        ));
    }
    if let Some(m) = &report.marginal {
        figures.push(Figure::new(
            "each hour of extra delay",
            money(m.per_hour.revenue_lost, currency),
            if m.today_hours > 0.0 {
                format!(
                    "of expected revenue, at today's mean delay of {}",
                    duration(m.today_hours)
                )
            } else {
                "of expected revenue, from today's follow-up at once".to_owned()
            },
        ));
        figures.push(Figure::new(
            "each day of extra delay",
            format!("{} customers", grouped(-24.0 * m.per_hour.customers, 2)),
            "expected customers lost",
        ));
    }
    figures
}

/// The sweep's own inputs: what was swept, over what, and how often.
fn sweep_assumptions(args: &Args, report: &SweepReport, currency: Option<&str>, log: bool) -> Vec<Assumption> {
    let cli = |flag: &str| format!("command line ({flag})");
    let knob = report.input;
    let mut rows = vec![Assumption::new(
        "swept input",
        if knob.is_team() { "sales reps" } else { knob.label() },
        "",
        if args.speed { cli("--speed") } else { cli("--vary") },
    )];
    let (_, unit, values) = swept_values(report, currency);
    let unit = if knob.unit() == KnobUnit::Money && unit.is_empty() {
        "money (no currency set)".to_owned()
    } else {
        unit
    };
    let source = |flag: &str, given: bool| {
        if given {
            cli(flag)
        } else {
            "default of --speed (1 minute to 30 days)".to_owned()
        }
    };
    let ends = [
        report.points.first().zip(values.first()),
        report.points.last().zip(values.last()),
    ];
    for ((name, flag, given), end) in [
        ("from", "--from", args.from.is_some()),
        ("to", "--to", args.to.is_some()),
    ]
    .into_iter()
    .zip(ends)
    {
        let Some((p, value)) = end else { continue };
        let (value, unit) = if knob.unit() == KnobUnit::Hours {
            (duration(p.value), "duration".to_owned())
        } else {
            (value.clone(), unit.clone())
        };
        rows.push(Assumption::new(name, value, unit, source(flag, given)));
    }
    rows.push(Assumption::new(
        "points",
        report.points.len().to_string(),
        if knob.is_team() {
            "every whole team size".to_owned()
        } else if log {
            "evenly spaced on a log scale".to_owned()
        } else {
            "evenly spaced".to_owned()
        },
        if knob.is_team() {
            cli("--from, --to")
        } else if args.steps.is_some() {
            cli("--steps")
        } else {
            "default".to_owned()
        },
    ));
    rows.push(Assumption::new(
        "segments turned",
        report.segment.clone().unwrap_or_else(|| "every segment".to_owned()),
        "",
        if report.segment.is_some() {
            cli("--segment")
        } else {
            "default".to_owned()
        },
    ));
    for flag in &args.uncertain {
        rows.push(Assumption::new(
            "uncertain input",
            flag.clone(),
            "uniform between the two values, in every segment",
            cli("--uncertain"),
        ));
    }
    if report.points.iter().any(|p| p.input_bands.is_some()) {
        rows.push(Assumption::new(
            "input samples",
            grouped(args.input_samples as f64, 0),
            "points of the uncertain inputs behind each band",
            cli("--input-samples, or its default"),
        ));
    }
    rows.push(Assumption::new(
        "trials",
        grouped(report.trials as f64, 0),
        if args.precision.is_some() {
            "the most simulated campaigns (Monte Carlo trials) at each point; each point stops at its precision target"
        } else {
            "simulated campaigns (Monte Carlo trials) at each point"
        },
        cli("--trials, or its default"),
    ));
    if let Some(share) = args.precision {
        rows.push(Assumption::new(
            "precision",
            percent(share),
            "the standard error of each point's mean revenue lost, relative to it (1 % of the revenue at stake for smaller losses)",
            cli("--precision"),
        ));
    }
    rows.push(Assumption::new(
        "seed",
        report.seed.to_string(),
        "the same at every point",
        cli("--seed, or its default"),
    ));
    rows
}

/// `sweep --report FILE.html`: the sweep as a page for a sales director.
fn write_report(
    path: &std::path::Path,
    args: &Args,
    report: &SweepReport,
    scenario: &Scenario,
    log: bool,
) -> Result<(), String> {
    let currency = scenario.currency();
    let knob = report.input;
    let what = if knob.is_team() { "team size" } else { knob.label() };
    let (kind, title) = if args.speed {
        (
            "lead-decay · the value of speed",
            format!(
                "What each hour of follow-up delay costs: {}",
                short(&report.scenario, 60)
            ),
        )
    } else {
        (
            "lead-decay · what an input is worth",
            format!("What each {what} costs: {}", short(&report.scenario, 60)),
        )
    };
    let verdict = unchanged_note(report)
        .or_else(|| marginal_sentence(report, currency))
        .or_else(|| summary_sentence(report, currency))
        .unwrap_or_default();
    let mut page = Page::new(kind, &title, &verdict);
    page.heading("Key figures").figures(&report_figures(report, currency));
    if let (Some(_), Some(sentence)) = (&report.marginal, summary_sentence(report, currency)) {
        page.note(&sentence);
    }
    let chart = sweep_chart(report, scenario, log, args.speed);
    let panels = if report.points.iter().all(|p| central(p).roi_lost.is_some()) {
        3
    } else {
        2
    };
    let bands = report.points.iter().all(|p| p.input_bands.is_some());
    let mut caption = if knob.is_team() {
        "Each panel: the line is the mean of the simulated runs at each team size (the queue has no exact \
         expectation), the light band holds 90 % of the runs."
            .to_owned()
    } else {
        "Each panel: the line is the exact expected value at each point, the light band holds 90 % of the \
         simulated campaigns (luck)."
            .to_owned()
    };
    if bands {
        caption.push_str(
            " The darker band holds the expected value for 90 % of the uncertain inputs (what we do not know \
             about the business).",
        );
    }
    if chart.today.is_some() {
        caption.push_str(" The grey line marks today's mean delay.");
    }
    if chart.goal.is_some() {
        caption.push_str(" The black line is the customer goal.");
    }
    page.heading(&format!("Across the sweep: {what}"));
    page.chart_at(&chart, (960, if panels == 3 { 980 } else { 720 }), &caption)?;
    page.heading("All points");
    let rows = table_rows(report, currency);
    let header: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    page.table(&header, &rows[1..]);
    if knob.is_team() {
        page.note(
            "The queue has no closed form: the customers and revenue lost of each team size are means of the \
             simulated runs, not exact expectations.",
        );
    }
    page.heading("Assumptions");
    let origins = Origins::read(args.scenario.as_deref())?;
    let mut rows = assumptions(scenario, &origins);
    if knob.is_team() {
        rows.extend(team_assumptions(&origins));
    }
    rows.extend(sweep_assumptions(args, report, currency, log));
    page.assumptions(&rows);
    let notes = match report.points.first().map(|p| &p.outcome) {
        Some(PointOutcome::Simulated(r)) => r.assumptions.clone(),
        _ => Vec::new(),
    };
    for note in &notes {
        page.note(note);
    }
    let footer = Reproducibility {
        scenario: Reproducibility::scenario_of(args.scenario.as_deref(), "built-in reference case")?,
        seed: Some(report.seed),
        trials: Some(report.trials),
        engine: engine_of(report),
        command: Reproducibility::command_line(),
    };
    page.write(path, &footer)
}

/// Why every point of a sweep gives the same figures, when they do.
fn unchanged_note(report: &SweepReport) -> Option<String> {
    let first = central(report.points.first()?);
    let all_same = report.points.len() > 1
        && report.points.iter().all(|p| {
            let e = central(p);
            e.customers == first.customers && e.revenue_lost == first.revenue_lost
        });
    if !all_same {
        return None;
    }
    let why = match report.input {
        Knob::ShelfLife => {
            "no worked SQL waits long enough to cool at any of these shelf lives (with no follow-up delay, \
             none waits at all), so only the SQLs never followed up are lost"
        }
        _ => "this input does not change the expected figures of this scenario",
    };
    Some(format!("Every point gives the same figures: {why}."))
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
    if let Some(path) = &args.report {
        write_compare_report(path, args, &compared, &scenarios)?;
    }
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

/// The verdict of a comparison: which scenario loses the most and the
/// least revenue to neglect and delay, and by how much.
fn compare_verdict(compared: &[Compared]) -> String {
    let lost = |c: &Compared| c.report.expected.revenue_lost;
    let cash = |x: f64, c: &Compared| money(x, c.report.currency.as_deref());
    let (Some(most), Some(least)) = (
        compared.iter().max_by(|a, b| lost(a).total_cmp(&lost(b))),
        compared.iter().min_by(|a, b| lost(a).total_cmp(&lost(b))),
    ) else {
        return String::new();
    };
    let range = |c: &Compared| {
        let m = &c.report.metrics.revenue_lost;
        format!("90 % of trials {} to {}", grouped(m.p05, 0), grouped(m.p95, 0))
    };
    if compared.len() == 1 {
        return format!(
            "{} loses {} in expected revenue to neglect and slow follow-up ({}).",
            most.report.scenario,
            cash(lost(most), most),
            range(most)
        );
    }
    if lost(most) == lost(least) {
        return format!(
            "Every scenario loses the same expected revenue to neglect and slow follow-up: {}.",
            cash(lost(most), most)
        );
    }
    let same_currency = compared.iter().all(|c| c.report.currency == most.report.currency);
    let gap = if same_currency {
        format!(
            ", {} more than {}",
            cash(lost(most) - lost(least), most),
            least.report.scenario
        )
    } else {
        String::new()
    };
    format!(
        "{} loses the most revenue to neglect and slow follow-up: {} expected ({}){gap}, which loses the \
         least: {} ({}).",
        most.report.scenario,
        cash(lost(most), most),
        range(most),
        cash(lost(least), least),
        range(least),
    )
}

/// The chart of a comparison: each scenario's expected revenue lost and the
/// range that 90 % of its trials fall in.
fn compare_chart(compared: &[Compared]) -> CompareChart {
    let first = compared.first().and_then(|c| c.report.currency.clone());
    let currency = if compared.iter().all(|c| c.report.currency == first) {
        first.unwrap_or_default()
    } else {
        String::new()
    };
    let unit = if currency.is_empty() {
        String::new()
    } else {
        format!(" ({currency})")
    };
    CompareChart {
        title: "Revenue lost to neglect and slow follow-up, by scenario".to_owned(),
        x_desc: format!("revenue lost{unit}"),
        currency,
        bars: compared
            .iter()
            .map(|c| CompareBar {
                name: c.report.scenario.clone(),
                expected: c.report.expected.revenue_lost,
                band: band(&c.report.metrics.revenue_lost),
            })
            .collect(),
    }
}

/// The inputs of the compared scenarios: a table of those that differ
/// (one column per scenario) and one of those every scenario shares.
fn compare_assumptions(
    compared: &[Compared],
    scenarios: &[Scenario],
    paths: &[PathBuf],
) -> Result<(Vec<Vec<String>>, Vec<Assumption>), String> {
    let mut each = Vec::with_capacity(scenarios.len());
    for (scenario, path) in scenarios.iter().zip(paths) {
        let origins = Origins::read(Some(path))?;
        each.push(assumptions(scenario, &origins));
    }
    // Inputs in the order they first appear, with their unit.
    let mut inputs: Vec<(String, String)> = Vec::new();
    for rows in &each {
        for a in rows {
            if !inputs.iter().any(|(input, _)| *input == a.input) {
                inputs.push((a.input.clone(), a.unit.clone()));
            }
        }
    }
    let mut differ = Vec::new();
    let mut shared = Vec::new();
    // The scenarios' names head the columns already.
    for (input, unit) in inputs.into_iter().filter(|(input, _)| input != "scenario") {
        let values: Vec<Option<&Assumption>> = each.iter().map(|rows| rows.iter().find(|a| a.input == input)).collect();
        let first = values[0].map(|a| &a.value);
        if values.iter().all(|v| v.map(|a| &a.value) == first) {
            if let Some(a) = values[0] {
                let source = if compared.len() > 1 {
                    "the same in every scenario file".to_owned()
                } else {
                    a.source.clone()
                };
                shared.push(Assumption::new(input, a.value.clone(), unit, source));
            }
        } else {
            let mut row = vec![input, unit];
            row.extend(
                values
                    .iter()
                    .map(|v| v.map_or_else(|| "-".to_owned(), |a| a.value.clone())),
            );
            differ.push(row);
        }
    }
    Ok((differ, shared))
}

/// `sweep --compare A.toml B.toml --report FILE.html`: the comparison as a
/// page for a sales director.
fn write_compare_report(
    path: &std::path::Path,
    args: &Args,
    compared: &[Compared],
    scenarios: &[Scenario],
) -> Result<(), String> {
    let names: Vec<String> = compared.iter().map(|c| short(&c.report.scenario, 30)).collect();
    let title = format!("Scenarios compared: {}", names.join(", "));
    let mut page = Page::new(
        "lead-decay · scenarios side by side",
        &title,
        &compare_verdict(compared),
    );
    page.heading("Key figures").figures(
        &compared
            .iter()
            .map(|c| {
                let e = &c.report.expected;
                Figure::new(
                    format!("revenue lost: {}", short(&c.report.scenario, 40)),
                    money(e.revenue_lost, c.report.currency.as_deref()),
                    format!(
                        "{} of {} customers won (expected)",
                        grouped(e.customers, 1),
                        grouped(e.customers_ideal, 1)
                    ),
                )
            })
            .collect::<Vec<_>>(),
    );
    page.heading("Revenue lost, scenario by scenario");
    let chart = compare_chart(compared);
    let height = 200 + 90 * compared.len().max(1) as u32;
    page.chart_at(
        &chart,
        (1200, height),
        "Each bar is the exact expected revenue lost to neglect and slow follow-up; the whisker holds 90 % of \
         the simulated campaigns (luck). Every scenario runs the same seeds.",
    )?;
    page.heading("Side by side");
    let rows = compare_rows(compared, scenarios, true);
    let header: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    page.table(&header, &rows[1..]);
    page.heading("Assumptions");
    let (differ, shared) = compare_assumptions(compared, scenarios, &args.compare)?;
    if compared.len() > 1 {
        if differ.is_empty() {
            page.note("The scenarios have the same inputs.");
        } else {
            page.note("Where the scenarios differ:");
            let mut header = vec!["input", "unit"];
            header.extend(names.iter().map(String::as_str));
            page.table(&header, &differ);
            page.note("What every scenario shares, with the run's own inputs:");
        }
    }
    let mut shared = shared;
    shared.extend(common::simulate_html::run_assumptions(args.trials, args.seed));
    page.assumptions(&shared);
    let mut files = Vec::with_capacity(args.compare.len());
    for path in &args.compare {
        files.push(Reproducibility::scenario_of(Some(path), "")?);
    }
    let footer = Reproducibility {
        scenario: files.join("; "),
        seed: Some(args.seed),
        trials: Some(args.trials),
        engine: compare_engine(compared),
        command: Reproducibility::command_line(),
    };
    page.write(path, &footer)
}

/// The engines behind a comparison's figures, for the report's footer.
fn compare_engine(compared: &[Compared]) -> String {
    let mut engines: Vec<String> = compared.iter().map(|c| c.report.engine.to_string()).collect();
    engines.dedup();
    format!(
        "{}; exact expectations beside the trials, the same seeds for every scenario",
        engines.join(", ")
    )
}
