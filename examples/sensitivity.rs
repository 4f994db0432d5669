//! What drives the loss? For a scenario whose inputs are guesses, shows
//! which guess matters most: a tornado (each uncertain input moved alone
//! from its 10th to its 90th percentile, the others at their medians) and
//! Sobol indices (the share of the variance of the expected loss each input
//! explains, alone and with its interactions, with 95 % intervals). Both
//! use exact expectations, so no Monte Carlo noise of the SQLs enters them.
//!
//! ```text
//! cargo run --release --example sensitivity -- [--scenario FILE]
//!     [--uncertain KNOB=LOW..HIGH]... [--metric revenue-lost]
//!     [--samples N] [--replicates R] [--seed S]
//!     [--format table|json|csv] [--chart tornado.png|tornado.svg] [--report FILE.html]
//! ```
//!
//! `--report` writes one self-contained HTML page to hand to a sales
//! director: the input that matters most in one sentence, the tornado, the
//! Sobol indices, every assumption with its source, and how to reproduce it.
//!
//! The uncertain inputs come from the scenario file; `--uncertain` adds one
//! from the command line, uniform between two values in every segment
//! (`--uncertain close-rate=0.18..0.32`, `--uncertain shelf-life=20d..40d`,
//! `--uncertain follow-up-mean=4h..6d`, `--uncertain deal-value=60000..140000`).
//! Without `--scenario` the reference case is analysed.
//!
//! `--samples` is the number of rows of each Sobol design matrix per
//! replicate (a power of two is best); the Sobol analysis computes
//! `samples × replicates × (inputs + 2)` exact expectations.

// Validation is written `!(x > y)` on purpose: unlike `x <= y`, it rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use lead_decay::sensitivity::{MetricIndices, Sobol, SobolReport, Tornado, TornadoBar, TornadoReport};
use lead_decay::whatif::{Knob, KnobUnit};
use lead_decay::{Analysis, Error, Scenario};
use serde::Serialize;

use common::{aligned, grouped, percent};

#[derive(Parser, Debug)]
#[command(about = "Which uncertain input drives the loss: a tornado and Sobol indices")]
struct Args {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// An uncertain input, uniform between two values in every segment:
    /// KNOB=LOW..HIGH (close-rate=0.18..0.32, shelf-life=20d..40d).
    #[arg(long, value_name = "KNOB=LOW..HIGH")]
    uncertain: Vec<String>,
    /// The metric to explain: customers, revenue-lost, roi-lost, ... (the
    /// names of the JSON report, with - or _).
    #[arg(long, default_value = "revenue-lost")]
    metric: String,
    /// Rows of each Sobol design matrix per replicate.
    #[arg(long, default_value_t = 512)]
    samples: usize,
    /// Independent randomised replicates (their spread gives the intervals).
    #[arg(long, default_value_t = 8)]
    replicates: usize,
    /// Seed of the quasi-random design.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output: a table for people, JSON or CSV for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the tornado to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// Also write a one-file HTML report (the input that matters most, the
    /// tornado, the Sobol indices, the assumptions) to this file.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// What the JSON output holds.
#[derive(Serialize)]
struct Output<'a> {
    tornado: &'a TornadoReport,
    sobol: &'a SobolReport,
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
    if let Some(page) = &args.report {
        common::html::check_path(page)?;
    }
    let failed = |e: Error| e.to_string();
    let analysis = match &args.scenario {
        Some(path) => Analysis::load(path).map_err(failed)?,
        None => Analysis::new(Scenario::reference()),
    };
    let scenario = common::uncertain::with_inputs(analysis.scenario(), &args.uncertain)?;
    if scenario.uncertainty().is_empty() {
        return Err(format!(
            "{}: no uncertain input to analyse: give an input a distribution in the scenario file, \
             or add one with --uncertain KNOB=LOW..HIGH (e.g. --uncertain close-rate=0.18..0.32)",
            scenario.name()
        ));
    }
    let tornado = Tornado::new().metric(&args.metric).run(&scenario).map_err(failed)?;
    let sobol = Sobol::new()
        .samples(args.samples)
        .replicates(args.replicates)
        .seed(args.seed)
        .run(&scenario)
        .map_err(failed)?;
    let indices = sobol
        .metric(&tornado.metric)
        .ok_or_else(|| format!("metric {}: not in the Sobol report", tornado.metric))?;
    let view = View {
        scenario: &scenario,
        metric: tornado.metric.as_str(),
    };
    if let Some(path) = &args.chart {
        common::charts::save(path, &view.chart(&tornado))?;
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(
            &mut out,
            &Output {
                tornado: &tornado,
                sobol: &sobol,
            },
        )
        .map_err(std::io::Error::other)
        .and_then(|()| writeln!(out)),
        Format::Csv => view.csv(&mut out, &tornado, indices),
        Format::Table => view.table(&mut out, &tornado, &sobol, indices),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))?;
    drop(out);
    // The table is out first: a page that cannot be written fails the run
    // afterwards, never discards the table.
    if let Some(path) = &args.report {
        view.report(path, args, &tornado, &sobol, indices)?;
    }
    Ok(())
}

/// How the scenario's numbers read for people.
struct View<'a> {
    scenario: &'a Scenario,
    metric: &'a str,
}

impl View<'_> {
    fn is_money(&self) -> bool {
        self.metric.starts_with("revenue")
    }

    fn is_share(&self) -> bool {
        self.metric.starts_with("roi") || self.metric == "sla_met"
    }

    /// The metric in words: `expected revenue lost`.
    fn metric_words(&self) -> String {
        if self.metric == "sla_met" {
            return "expected share of SQLs worked within the SLA".to_owned();
        }
        let words = self.metric.replace('_', " ").replace("roi", "ROI");
        format!("expected {words}")
    }

    /// The metric in words with its unit, for an axis.
    fn metric_axis(&self) -> String {
        let words = self.metric_words();
        match self.scenario.currency() {
            Some(c) if self.is_money() => format!("{words} ({c})"),
            _ if self.metric.starts_with("roi") => format!("{words} (% points)"),
            _ if self.is_share() => format!("{words} (%)"),
            _ => words,
        }
    }

    /// A value of the metric in a sentence, with its unit.
    fn amount(&self, x: f64) -> String {
        if self.is_money() {
            common::money(x, self.scenario.currency())
        } else if self.metric.starts_with("roi") {
            format!("{} % points", grouped(100.0 * x, 1))
        } else if self.is_share() {
            format!("{} %", grouped(100.0 * x, 1))
        } else {
            grouped(x, 2)
        }
    }

    /// A value of the metric for people (ROI and SLA met in percent).
    fn value(&self, x: f64) -> String {
        if self.is_money() {
            grouped(x, 0)
        } else if self.is_share() {
            grouped(100.0 * x, 1)
        } else {
            grouped(x, 2)
        }
    }

    /// An input's value for people, in its unit.
    fn input(&self, knob: Knob, value: f64) -> String {
        match knob.unit() {
            KnobUnit::Probability => percent(value),
            KnobUnit::Money => common::money(value, self.scenario.currency()),
            KnobUnit::Hours => duration(value),
            KnobUnit::Reps => grouped(value, 0),
            _ => format!("{value}"),
        }
    }

    /// The bar's input in words with its range: `close rate: 18.4 % → 31.9 %`.
    fn bar_label(&self, bar: &TornadoBar) -> String {
        match (bar.knob, bar.low_value, bar.high_value) {
            (Some(knob), Some(lo), Some(hi)) => {
                format!("{}: {} → {}", bar.label, self.input(knob, lo), self.input(knob, hi))
            }
            _ => bar.label.clone(),
        }
    }

    fn chart(&self, tornado: &TornadoReport) -> common::charts::TornadoChart {
        let scale = if self.is_share() { 100.0 } else { 1.0 };
        let ends = |b: &TornadoBar| b.ends(&tornado.metric).unwrap_or((0.0, 0.0));
        common::charts::TornadoChart {
            title: format!("{}: what drives the {}", self.scenario.name(), self.metric_words()),
            subtitle: format!(
                "Each uncertain input moved alone from its {} to its {} percentile, the others at their medians. \
                 Exact expectations.",
                ordinal(tornado.low_percentile),
                ordinal(tornado.high_percentile)
            ),
            x_desc: self.metric_axis(),
            currency: if self.is_money() {
                self.scenario.currency().unwrap_or("").to_owned()
            } else {
                String::new()
            },
            decimals: if self.is_money() { 0 } else { 2 },
            base: scale * tornado.base_value(),
            ends: (
                format!("{} percentile", ordinal(tornado.low_percentile)),
                format!("{} percentile", ordinal(tornado.high_percentile)),
            ),
            bars: tornado
                .bars
                .iter()
                .map(|b| common::charts::TornadoBar {
                    label: self.bar_label(b),
                    at_low: scale * ends(b).0,
                    at_high: scale * ends(b).1,
                })
                .collect(),
        }
    }

    fn table(
        &self,
        out: &mut impl Write,
        tornado: &TornadoReport,
        sobol: &SobolReport,
        indices: &MetricIndices,
    ) -> std::io::Result<()> {
        let words = self.metric_words();
        writeln!(
            out,
            "lead-decay sensitivity: {} | {} | {} | Sobol design {} rows x {} replicates, seed {}\n",
            self.scenario.name(),
            self.metric_axis(),
            match sobol.factors.len() {
                1 => "1 uncertain input".to_owned(),
                n => format!("{n} uncertain inputs"),
            },
            grouped(sobol.samples as f64, 0),
            sobol.replicates,
            sobol.seed
        )?;
        if let Some(sentence) = self.verdict(tornado, indices) {
            writeln!(out, "{sentence}\n")?;
        }
        let (lo, hi) = (ordinal(tornado.low_percentile), ordinal(tornado.high_percentile));
        writeln!(
            out,
            "Tornado: each input alone from its {lo} to its {hi} percentile, the others at their medians \
             ({words} at the medians: {}).",
            self.amount(tornado.base_value())
        )?;
        let mut rows = vec![vec![
            "input".to_owned(),
            format!("{lo} pct"),
            format!("{hi} pct"),
            format!("at {lo}"),
            format!("at {hi}"),
            "swing".to_owned(),
        ]];
        for bar in &tornado.bars {
            let (a, b) = bar.ends(&tornado.metric).unwrap_or((f64::NAN, f64::NAN));
            let value = |v: Option<f64>| match (bar.knob, v) {
                (Some(knob), Some(v)) => self.input(knob, v),
                _ => "-".to_owned(),
            };
            rows.push(vec![
                bar.label.clone(),
                value(bar.low_value),
                value(bar.high_value),
                self.value(a),
                self.value(b),
                self.value(bar.swing),
            ]);
        }
        aligned(out, &rows)?;
        writeln!(
            out,
            "\nSobol indices: the share of the variance of the {words} each input explains \
             (95 % intervals).\nAlone: if it were known exactly. With interactions: everything it takes part in."
        )?;
        writeln!(
            out,
            "Over the inputs: mean {} (± {}), standard deviation {}.",
            self.amount(indices.mean),
            self.value(1.96 * indices.mean_standard_error),
            self.amount(indices.variance.sqrt())
        )?;
        let mut rows = vec![vec![
            "input".to_owned(),
            "alone".to_owned(),
            "95 % interval".to_owned(),
            "with interactions".to_owned(),
            "95 % interval".to_owned(),
        ]];
        let share = |x: f64| format!("{:.1} %", 100.0 * x);
        for factor in &indices.factors {
            let mut row = vec![factor.label.clone()];
            for index in [&factor.first_order, &factor.total] {
                match index {
                    Some(i) => row.extend([share(i.estimate), format!("{} to {}", share(i.low), share(i.high))]),
                    None => row.extend(["-".to_owned(), "does not vary".to_owned()]),
                }
            }
            rows.push(row);
        }
        aligned(out, &rows)
    }

    /// `--report FILE.html`: the analysis as a page for a sales director.
    fn report(
        &self,
        path: &std::path::Path,
        args: &Args,
        tornado: &TornadoReport,
        sobol: &SobolReport,
        indices: &MetricIndices,
    ) -> Result<(), String> {
        use common::html::{Assumption, Figure, Page, Reproducibility};
        use common::simulate_html::{Origins, assumptions};
        let words = self.metric_words();
        let verdict = self
            .verdict(tornado, indices)
            .unwrap_or_else(|| format!("The uncertain inputs and the {words}."));
        let mut page = Page::new(
            "lead-decay · which guess matters most",
            &format!(
                "What drives the {words}: {}",
                common::charts::short(self.scenario.name(), 60)
            ),
            &verdict,
        );
        let mut figures = vec![
            Figure::new(
                format!("{words}, every input at its median"),
                self.amount(tornado.base_value()),
                "exact expectation",
            ),
            Figure::new(
                format!("{words}, over the uncertain inputs"),
                self.amount(indices.mean),
                format!(
                    "mean (± {}, 95 % interval of the estimate); standard deviation {}",
                    self.amount(1.96 * indices.mean_standard_error),
                    self.amount(indices.variance.sqrt())
                ),
            ),
        ];
        if let Some(bar) = tornado.bars.first() {
            figures.push(Figure::new(
                "largest swing",
                self.amount(bar.swing),
                self.bar_label(bar),
            ));
        }
        page.heading("Key figures").figures(&figures);
        let (lo, hi) = (ordinal(tornado.low_percentile), ordinal(tornado.high_percentile));
        page.heading("Each input alone: the tornado");
        let chart = self.chart(tornado);
        page.chart_at(
            &chart,
            // Wide enough for the labels, the bars and the swing beside them.
            (1200, 290 + 80 * tornado.bars.len().max(1) as u32),
            &format!(
                "Each bar moves one uncertain input from its {lo} to its {hi} percentile, the others at their \
                 medians: the longer the bar, the more the {words} depends on that guess. The line marks every \
                 input at its median. Exact expectations, no sampling noise."
            ),
        )?;
        let mut rows = Vec::new();
        for bar in &tornado.bars {
            let (a, b) = bar.ends(&tornado.metric).unwrap_or((f64::NAN, f64::NAN));
            let value = |v: Option<f64>| match (bar.knob, v) {
                (Some(knob), Some(v)) => self.input(knob, v),
                _ => "-".to_owned(),
            };
            rows.push(vec![
                bar.label.clone(),
                format!("{} to {}", value(bar.low_value), value(bar.high_value)),
                self.value(a),
                self.value(b),
                self.value(bar.swing),
            ]);
        }
        let unit = self.metric_axis();
        let (at_lo, at_hi) = (format!("{unit} at the {lo}"), format!("{unit} at the {hi}"));
        page.table(
            &["input", &format!("{lo} to {hi} percentile"), &at_lo, &at_hi, "swing"],
            &rows,
        );
        page.heading("All inputs together: Sobol indices");
        let share = |x: f64| format!("{:.1} %", 100.0 * x);
        let mut rows = Vec::new();
        for factor in &indices.factors {
            let mut row = vec![factor.label.clone()];
            for index in [&factor.first_order, &factor.total] {
                match index {
                    Some(i) => row.extend([share(i.estimate), format!("{} to {}", share(i.low), share(i.high))]),
                    None => row.extend(["-".to_owned(), "does not vary".to_owned()]),
                }
            }
            rows.push(row);
        }
        page.table(
            &["input", "alone", "95 % interval", "with interactions", "95 % interval"],
            &rows,
        );
        page.note(&format!(
            "The share of the variance of the {words} each input explains when all vary together: alone, if it \
             were known exactly; with interactions, everything it takes part in. An input worth measuring has a \
             large share."
        ));
        page.heading("Assumptions");
        let origins = Origins::read(args.scenario.as_deref())?;
        let mut rows = assumptions(self.scenario, &origins);
        for bar in &tornado.bars {
            let value = |v: Option<f64>| match (bar.knob, v) {
                (Some(knob), Some(v)) => self.input(knob, v),
                _ => "-".to_owned(),
            };
            rows.push(Assumption::new(
                format!("uncertain: {}", bar.label),
                format!("{} to {}", value(bar.low_value), value(bar.high_value)),
                format!("from its {lo} to its {hi} percentile"),
                if args.uncertain.is_empty() {
                    "the scenario file's uncertain inputs"
                } else {
                    "the scenario file, or --uncertain"
                },
            ));
        }
        rows.push(Assumption::new(
            "Sobol design",
            format!(
                "{} rows x {} replicates",
                grouped(sobol.samples as f64, 0),
                sobol.replicates
            ),
            "exact expectations per row and input",
            "command line (--samples, --replicates, or their defaults)",
        ));
        rows.push(Assumption::new(
            "seed",
            sobol.seed.to_string(),
            "of the quasi-random design",
            "command line (--seed, or its default)",
        ));
        page.assumptions(&rows);
        let footer = Reproducibility {
            scenario: Reproducibility::scenario_of(args.scenario.as_deref(), "built-in reference case")?,
            seed: Some(sobol.seed),
            trials: None,
            engine: "exact expectations (tornado), quasi-random Sobol design".to_owned(),
            command: Reproducibility::command_line(),
        };
        page.write(path, &footer)
    }

    /// The sentence the table opens with: the input that takes part in
    /// most of the variance (the Sobol total index), and its tornado swing.
    fn verdict(&self, tornado: &TornadoReport, indices: &MetricIndices) -> Option<String> {
        let words = self.metric_words();
        let top = indices
            .factors
            .iter()
            .filter_map(|f| Some((f, f.total?)))
            .max_by(|a, b| a.1.estimate.total_cmp(&b.1.estimate));
        let Some((factor, total)) = top else {
            return Some(format!("None of the uncertain inputs moves the {words}."));
        };
        let bar = tornado.bars.iter().find(|b| b.factor == factor.factor)?;
        Some(format!(
            "The {} matters most: it takes part in {} of the variance of the {words}, \
             and moved alone from its {} to its {} percentile it changes it by {}.",
            factor.label,
            percent(total.estimate.clamp(0.0, 1.0)),
            ordinal(tornado.low_percentile),
            ordinal(tornado.high_percentile),
            self.amount(bar.swing),
        ))
    }

    fn csv(&self, out: &mut impl Write, tornado: &TornadoReport, indices: &MetricIndices) -> std::io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "factor",
            "label",
            "metric",
            "low_value",
            "high_value",
            "at_low",
            "at_high",
            "swing",
            "first_order",
            "first_order_low",
            "first_order_high",
            "total",
            "total_low",
            "total_high",
        ])?;
        let opt = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
        for bar in &tornado.bars {
            let (a, b) = bar.ends(&tornado.metric).unwrap_or((f64::NAN, f64::NAN));
            let factor = indices.factors.iter().find(|f| f.factor == bar.factor);
            let first = factor.and_then(|f| f.first_order);
            let total = factor.and_then(|f| f.total);
            writer.write_record([
                bar.factor.clone(),
                bar.label.clone(),
                tornado.metric.clone(),
                opt(bar.low_value),
                opt(bar.high_value),
                a.to_string(),
                b.to_string(),
                bar.swing.to_string(),
                opt(first.map(|i| i.estimate)),
                opt(first.map(|i| i.low)),
                opt(first.map(|i| i.high)),
                opt(total.map(|i| i.estimate)),
                opt(total.map(|i| i.low)),
                opt(total.map(|i| i.high)),
            ])?;
        }
        writer.flush()
    }
}

/// `0.1` -> `10th`, `0.05` -> `5th`.
fn ordinal(p: f64) -> String {
    let n = (100.0 * p).round() as i64;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A duration in hours as people say it: `45 min`, `31.5 h`, `4.2 days`.
fn duration(hours: f64) -> String {
    if hours < 1.0 {
        format!("{:.0} min", 60.0 * hours)
    } else if hours < 48.0 {
        format!("{} h", grouped(hours, 1))
    } else {
        format!("{} days", grouped(hours / 24.0, 1))
    }
}
