//! What is speed worth? Varies one input of a scenario over a range and
//! reports, at each point, expected customers, revenue lost and ROI lost
//! with the range that 90 % of trials fall in; or compares scenarios
//! (downside, base, upside) side by side.
//!
//! ```text
//! cargo run --release --example sweep -- [--scenario FILE]
//!     --vary follow-up-mean|shelf-life|never-followed-up|sla|reps --from A --to B [--steps N]
//!     [--segment NAME] [--trials N] [--seed S] [--format table|json|csv]
//!     [--chart FILE.png|FILE.svg]
//! cargo run --release --example sweep -- --compare DOWNSIDE.toml BASE.toml UPSIDE.toml
//! ```
//!
//! Durations take units (`30m`, `4h`, `2d`, `1w`; a bare number is hours);
//! `never-followed-up` is a probability. What each input changes, in every
//! segment (or only in `--segment`):
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
use lead_decay::capacity::{CapacityReport, CapacitySimulation};
use lead_decay::{
    Analysis, DecayCurve, DecayShape, DelayDistribution, DelayShape, Engine, Error, FollowUp, Hours, Metrics, Neglect,
    Report, Scenario, Simulation, Summary,
};
use serde::Serialize;

use common::charts::{SweepChart, SweepPoint, TimeUnit};
use common::{grouped, money, percent};

#[derive(Parser, Debug)]
#[command(about = "Sweep one input of a scenario, or compare scenarios side by side")]
struct Args {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// The input to vary.
    #[arg(long, value_enum, required_unless_present = "compare")]
    vary: Option<Input>,
    /// First value (a duration such as 30m, 4h, 2d, or a probability).
    #[arg(long, allow_hyphen_values = true)]
    from: Option<String>,
    /// Last value (greater than --from).
    #[arg(long, allow_hyphen_values = true)]
    to: Option<String>,
    /// Number of points, evenly spaced from --from to --to.
    #[arg(long, default_value_t = 9)]
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
}

impl Input {
    fn name(self) -> &'static str {
        match self {
            Input::FollowUpMean => "follow-up-mean",
            Input::ShelfLife => "shelf-life",
            Input::NeverFollowedUp => "never-followed-up",
            Input::Sla => "sla",
            Input::Reps => "reps",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Input::FollowUpMean => "mean follow-up delay",
            Input::ShelfLife => "shelf life",
            Input::NeverFollowedUp => "never followed up",
            Input::Sla => "SLA",
            Input::Reps => "sales reps",
        }
    }

    fn is_duration(self) -> bool {
        matches!(self, Input::FollowUpMean | Input::ShelfLife | Input::Sla)
    }

    /// Parses a value given on the command line (hours for durations).
    fn parse(self, flag: &str, text: &str) -> Result<f64, String> {
        if self.is_duration() {
            text.parse::<Hours>()
                .map(Hours::get)
                .map_err(|e| format!("--{flag}: {e}"))
        } else if self == Input::Reps {
            match text.trim().parse::<u32>() {
                Ok(reps) if reps >= 1 => Ok(f64::from(reps)),
                _ => Err(Error::invalid(flag, format!("{text:?}"), "a whole number of reps >= 1").to_string()),
            }
        } else {
            match text.trim().parse::<f64>() {
                Ok(q) if (0.0..=1.0).contains(&q) => Ok(q),
                _ => Err(Error::invalid(flag, format!("{text:?}"), "a probability in [0, 1]").to_string()),
            }
        }
    }

    /// The scenario with this input set to `value` in the chosen segments.
    fn apply(self, scenario: &Scenario, segment: Option<&str>, value: f64) -> Result<Scenario, String> {
        scenario
            .map_segments(|s| {
                if segment.is_some_and(|name| name != s.name()) {
                    return Ok(s.clone());
                }
                match self {
                    Input::FollowUpMean => {
                        let delay = with_mean(s.follow_up().delay(), value)?;
                        s.with_follow_up(rebuild(s.follow_up(), s.follow_up().neglect(), delay)?)
                    }
                    Input::NeverFollowedUp => s.with_follow_up(rebuild(
                        s.follow_up(),
                        Neglect::Probability(value),
                        s.follow_up().delay().clone(),
                    )?),
                    Input::Sla => s.with_follow_up(
                        rebuild(s.follow_up(), s.follow_up().neglect(), s.follow_up().delay().clone())?
                            .with_sla(Hours::new(value)?),
                    ),
                    Input::ShelfLife => Ok(s.with_decay(with_time_scale(s.decay(), value)?)),
                    // The team is not part of a segment: see `sweep_reps`.
                    Input::Reps => Ok(s.clone()),
                }
            })
            .map_err(|e| e.to_string())
    }
}

/// A follow-up model with `neglect` and `delay` and the SLA of `old`.
fn rebuild(old: &FollowUp, neglect: Neglect, delay: DelayDistribution) -> lead_decay::Result<FollowUp> {
    let follow_up = FollowUp::new(neglect)?.with_delay(delay);
    Ok(match old.sla() {
        Some(sla) => follow_up.with_sla(sla),
        None => follow_up,
    })
}

/// `delay` stretched in time to mean `mean` (exponential if it had none).
fn with_mean(delay: &DelayDistribution, mean: f64) -> lead_decay::Result<DelayDistribution> {
    if mean == 0.0 {
        return Ok(DelayDistribution::immediate());
    }
    let old = delay.mean();
    if !(old > 0.0) {
        return DelayDistribution::exponential(Hours::new(mean)?);
    }
    let c = mean / old;
    let shape = match delay.shape().clone() {
        DelayShape::Fixed { .. } => DelayShape::Fixed { delay: mean },
        DelayShape::Exponential { .. } => DelayShape::Exponential { mean },
        DelayShape::Gamma { shape, .. } => DelayShape::Gamma { mean, shape },
        DelayShape::LogNormal { median, sigma } => DelayShape::LogNormal {
            median: median * c,
            sigma,
        },
        DelayShape::Uniform { min, max } => DelayShape::Uniform {
            min: min * c,
            max: max * c,
        },
        DelayShape::Empirical { samples } => DelayShape::Empirical {
            samples: samples.iter().map(|x| x * c).collect(),
        },
        other => other,
    };
    DelayDistribution::new(shape)
}

/// `decay` with its time-scale parameter set to `value` hours.
fn with_time_scale(decay: &DecayCurve, value: f64) -> lead_decay::Result<DecayCurve> {
    let shape = match decay.shape().clone() {
        DecayShape::Step { .. } => DecayShape::Step { shelf_life: value },
        DecayShape::Linear { .. } => DecayShape::Linear { shelf_life: value },
        DecayShape::Exponential { .. } => DecayShape::Exponential { half_life: value },
        DecayShape::Weibull { k, .. } => DecayShape::Weibull { scale: value, k },
        DecayShape::Schedule { rate, .. } => DecayShape::Schedule { rate, period: value },
        DecayShape::Table { points } => {
            let last = points.last().map_or(1.0, |p| p.0);
            DecayShape::Table {
                points: points.iter().map(|&(t, f)| (t * value / last, f)).collect(),
            }
        }
        other => other,
    };
    DecayCurve::new(shape).map_err(|e| e.within("decay"))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// One point of the sweep, as JSON.
#[derive(Serialize)]
struct Point {
    /// The swept value (hours for durations, a probability otherwise).
    value: f64,
    /// The value as written (`2d`, `0.25`).
    label: String,
    #[serde(flatten)]
    report: Report,
}

#[derive(Serialize)]
struct SweepOutput<'a> {
    scenario: &'a str,
    input: &'static str,
    unit: &'static str,
    segment: Option<&'a str>,
    trials: u64,
    seed: u64,
    points: Vec<Point>,
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
    let input = args.vary.ok_or("--vary is required (or --compare)")?;
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path).map_err(|e| e.to_string())?,
        None => Analysis::new(Scenario::reference()),
    };
    let scenario = analysis.scenario();
    if let Some(name) = &args.segment
        && !scenario.segments().iter().any(|s| s.name() == name)
    {
        return Err(Error::invalid(
            "segment",
            format!("{name:?}"),
            format!(
                "a segment of the scenario ({})",
                scenario
                    .segments()
                    .iter()
                    .map(|s| format!("{:?}", s.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .to_string());
    }
    let (from, to) = match (&args.from, &args.to) {
        (Some(from), Some(to)) => (input.parse("from", from)?, input.parse("to", to)?),
        _ => return Err("--from and --to are required with --vary".to_owned()),
    };
    if !(to > from) {
        return Err(Error::invalid(
            "to",
            args.to.as_deref().unwrap_or(""),
            format!(
                "a value greater than --from ({}): the sweep range is empty or reversed",
                args.from.as_deref().unwrap_or("")
            ),
        )
        .to_string());
    }
    if input == Input::Reps {
        return sweep_reps(args, &analysis, from as u32, to as u32);
    }
    if args.steps < 2 {
        return Err(Error::invalid("steps", args.steps, "at least 2 points").to_string());
    }
    let values: Vec<f64> = (0..args.steps)
        .map(|i| from + (to - from) * f64::from(i) / f64::from(args.steps - 1))
        .collect();
    // Validate every point before running any.
    let scenarios = values
        .iter()
        .map(|&v| input.apply(scenario, args.segment.as_deref(), v))
        .collect::<Result<Vec<_>, String>>()?;
    let progress = common::progress::Progress::new(
        args.trials * u64::from(args.steps),
        &format!("sweeping {}", input.label()),
        "trials",
    );
    let mut points = Vec::with_capacity(values.len());
    for (&value, point) in values.iter().zip(&scenarios) {
        let report = Simulation::new(point)
            .trials(args.trials)
            .seed(args.seed)
            .run_with_progress(|n| progress.inc(n))
            .map_err(|e| e.to_string())?;
        let label = if input.is_duration() {
            Hours::new(value).map_err(|e| e.to_string())?.to_string()
        } else {
            format!("{value}")
        };
        points.push(Point { value, label, report });
    }
    progress.finish();
    let output = SweepOutput {
        scenario: scenario.name(),
        input: input.name(),
        unit: if input.is_duration() { "hours" } else { "probability" },
        segment: args.segment.as_deref(),
        trials: args.trials,
        seed: args.seed,
        points,
    };
    emit(args, &output, input, scenario)
}

/// Sweeps the team size through the capacity model: every whole number of
/// reps from `from` to `to`. The queue has no closed form, so the
/// "expected" figures of these points are Monte Carlo means.
fn sweep_reps(args: &Args, analysis: &Analysis, from: u32, to: u32) -> Result<(), String> {
    let scenario = analysis.scenario();
    let model = analysis.capacity_model().map_err(|e| e.to_string())?;
    let progress = common::progress::Progress::new(args.trials * u64::from(to - from + 1), "sweeping reps", "trials");
    let mut points = Vec::new();
    for reps in from..=to {
        let team = model.team().clone().with_reps(reps).map_err(|e| e.to_string())?;
        let point = model.clone().with_team(team);
        if !point.is_stable() {
            return Err(Error::invalid(
                "from",
                reps,
                format!(
                    "a team that keeps up with its leads: {reps} reps carry an offered load of {:.2}",
                    point.offered_load()
                ),
            )
            .to_string());
        }
        let report = CapacitySimulation::new(&point)
            .trials(args.trials)
            .seed(args.seed)
            .run()
            .map_err(|e| e.to_string())?;
        progress.inc(args.trials);
        points.push(Point {
            value: f64::from(reps),
            label: reps.to_string(),
            report: as_report(scenario, &report),
        });
    }
    progress.finish();
    let output = SweepOutput {
        scenario: scenario.name(),
        input: Input::Reps.name(),
        unit: "reps",
        segment: None,
        trials: args.trials,
        seed: args.seed,
        points,
    };
    emit(args, &output, Input::Reps, scenario)
}

/// A capacity run in the shape of a core report, so one table, CSV, JSON
/// and chart serve every sweep; expectations are the Monte Carlo means.
fn as_report(scenario: &Scenario, r: &CapacityReport) -> Report {
    let m = &r.metrics;
    let metrics = Metrics::new(
        m.customers,
        m.customers_ideal,
        m.customers_lost,
        m.revenue,
        m.revenue_ideal,
        m.revenue_lost,
    )
    .with_roi(m.roi, m.roi_ideal, m.roi_lost)
    .with_sla_met(m.sla_met);
    Report::new(scenario, r.trials, r.seed, Engine::PerSql, metrics.means(), metrics)
}

/// Writes a sweep as the chart (if asked for) and the table, JSON or CSV.
fn emit(args: &Args, output: &SweepOutput<'_>, input: Input, scenario: &Scenario) -> Result<(), String> {
    if let Some(path) = &args.chart {
        common::charts::save(path, &sweep_chart(output, input, scenario.currency()))?;
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, output)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        Format::Csv => sweep_csv(&mut out, output),
        Format::Table => sweep_table(&mut out, output, input, scenario.currency()),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))
}

fn band(s: &Summary) -> (f64, f64) {
    (s.p05, s.p95)
}

fn sweep_chart(output: &SweepOutput<'_>, input: Input, currency: Option<&str>) -> SweepChart {
    let span = output.points.last().map_or(1.0, |p| p.value);
    let (scale, unit) = if input.is_duration() {
        let unit = TimeUnit::for_span(span);
        (1.0 / unit.hours, unit.name)
    } else if input == Input::Reps {
        (1.0, "reps")
    } else {
        (100.0, "% of SQLs")
    };
    SweepChart {
        title: format!(
            "{}: what each {} costs{}",
            output.scenario,
            if input == Input::Reps {
                "team size"
            } else {
                input.label()
            },
            output.segment.map_or_else(String::new, |s| format!(" (segment {s})"))
        ),
        x_desc: if input == Input::Reps {
            input.label().to_owned()
        } else {
            format!("{} ({unit})", input.label())
        },
        currency: currency.unwrap_or("").to_owned(),
        points: output
            .points
            .iter()
            .map(|p| SweepPoint {
                x: p.value * scale,
                customers: p.report.expected.customers,
                customers_band: band(&p.report.metrics.customers),
                revenue_lost: p.report.expected.revenue_lost,
                revenue_lost_band: band(&p.report.metrics.revenue_lost),
                roi_lost: p.report.expected.roi_lost,
                roi_lost_band: p.report.metrics.roi_lost.as_ref().map(band),
            })
            .collect(),
    }
}

const CSV_HEADER: [&str; 13] = [
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

fn sweep_csv(out: &mut impl Write, output: &SweepOutput<'_>) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let opt = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    for p in &output.points {
        let (r, e, m) = (&p.report, &p.report.expected, &p.report.metrics);
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
            opt(r.goal.map(|g| g.probability)),
        ])?;
    }
    writer.flush()
}

/// Writes rows with the first column left-aligned and the rest right-aligned.
fn aligned(out: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c == 0 {
                line.push_str(&format!("{cell:<w$}", w = widths[0]));
            } else {
                line.push_str(&format!("  {cell:>w$}", w = widths[c]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn range(s: &Summary, decimals: usize, scale: f64) -> String {
    format!(
        "{} to {}",
        grouped(scale * s.p05, decimals),
        grouped(scale * s.p95, decimals)
    )
}

fn sweep_table(
    out: &mut impl Write,
    output: &SweepOutput<'_>,
    input: Input,
    currency: Option<&str>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "lead-decay sweep: {} | {} from {} to {} | {} trials per point | seed {}",
        output.scenario,
        input.label(),
        output.points.first().map_or("", |p| p.label.as_str()),
        output.points.last().map_or("", |p| p.label.as_str()),
        grouped(output.trials as f64, 0),
        output.seed
    )?;
    writeln!(out)?;
    if let (Some(first), Some(last)) = (output.points.first(), output.points.last()) {
        let (a, b) = (&first.report.expected, &last.report.expected);
        writeln!(
            out,
            "From {} to {} {}, expected customers go from {} to {} and revenue lost from {} to {}.",
            first.label,
            last.label,
            input.label(),
            grouped(a.customers, 2),
            grouped(b.customers, 2),
            money(a.revenue_lost, currency),
            money(b.revenue_lost, currency),
        )?;
        writeln!(out)?;
    }
    let has_roi = output.points.iter().all(|p| p.report.expected.roi_lost.is_some());
    let has_goal = output.points.iter().all(|p| p.report.goal.is_some());
    let has_sla = output.points.iter().all(|p| p.report.expected.sla_met.is_some());
    let unit = currency.map_or_else(String::new, |c| format!(" ({c})"));
    let mut header = vec![
        input.label().to_owned(),
        "customers".to_owned(),
        "90 % of trials".to_owned(),
        format!("revenue lost{unit}"),
        "90 % of trials".to_owned(),
    ];
    if has_roi {
        header.extend(["ROI lost (% points)".to_owned(), "90 % of trials".to_owned()]);
    }
    if has_sla {
        header.push("SLA met".to_owned());
    }
    if has_goal {
        header.push("P(goal)".to_owned());
    }
    let mut rows = vec![header];
    for p in &output.points {
        let (r, e, m) = (&p.report, &p.report.expected, &p.report.metrics);
        let value = if input == Input::NeverFollowedUp {
            percent(p.value)
        } else {
            p.label.clone()
        };
        let mut row = vec![
            value,
            grouped(e.customers, 2),
            range(&m.customers, 0, 1.0),
            grouped(e.revenue_lost, 0),
            range(&m.revenue_lost, 0, 1.0),
        ];
        if has_roi {
            row.push(grouped(100.0 * e.roi_lost.unwrap_or(f64::NAN), 1));
            row.push(m.roi_lost.as_ref().map_or_else(String::new, |s| range(s, 1, 100.0)));
        }
        if has_sla {
            row.push(percent(e.sla_met.unwrap_or(f64::NAN)));
        }
        if has_goal {
            row.push(r.goal.map_or_else(String::new, |g| percent(g.probability)));
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
        Format::Csv => compare_rows(&compared, &scenarios, false).and_then(|rows| {
            let mut writer = csv::Writer::from_writer(&mut out);
            for row in rows {
                writer.write_record(row)?;
            }
            writer.flush()
        }),
        Format::Table => compare_rows(&compared, &scenarios, true).and_then(|rows| {
            writeln!(
                out,
                "lead-decay comparison | {} trials per scenario | seed {}",
                grouped(args.trials as f64, 0),
                args.seed
            )?;
            writeln!(out)?;
            aligned(&mut out, &rows)
        }),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))
}

/// The comparison as rows (metrics) by columns (scenarios); `human` formats
/// numbers for people.
fn compare_rows(compared: &[Compared], scenarios: &[Scenario], human: bool) -> std::io::Result<Vec<Vec<String>>> {
    let num = |x: f64, d: usize| if human { grouped(x, d) } else { x.to_string() };
    let pct = |x: f64| if human { percent(x) } else { x.to_string() };
    let opt = |x: Option<String>| x.unwrap_or_else(|| if human { "-".to_owned() } else { String::new() });
    let mut rows: Vec<Vec<String>> = vec![{
        let mut header = vec!["metric".to_owned()];
        header.extend(compared.iter().map(|c| c.report.scenario.clone()));
        header
    }];
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
    add("customers, 90 % of trials", &|c, _| {
        let m = &c.report.metrics.customers;
        if human {
            range(m, 0, 1.0)
        } else {
            format!("{} to {}", m.p05, m.p95)
        }
    });
    add("customers lost", &|c, _| num(c.report.expected.customers_lost, 2));
    add("revenue (expected)", &|c, _| {
        let r = c.report.expected.revenue;
        if human {
            money(r, c.report.currency.as_deref())
        } else {
            r.to_string()
        }
    });
    add("revenue lost (expected)", &|c, _| {
        let r = c.report.expected.revenue_lost;
        if human {
            money(r, c.report.currency.as_deref())
        } else {
            r.to_string()
        }
    });
    add("revenue lost, 90 % of trials", &|c, _| {
        let m = &c.report.metrics.revenue_lost;
        if human {
            range(m, 0, 1.0)
        } else {
            format!("{} to {}", m.p05, m.p95)
        }
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
    Ok(rows)
}
