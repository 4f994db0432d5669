//! How fast do *our* leads go cold? Reads a CRM export (one row per SQL),
//! fits the follow-up model and every decay shape, and writes a scenario
//! segment that `simulate` runs.
//!
//! ```text
//! cargo run --release --example calibrate -- --input export.csv
//!     [--columns sql_at=Created,first_contact_at=First Touch,outcome=Stage,deal_value=Amount,segment=Team]
//!     [--timestamp-format "%d/%m/%Y %H:%M"] [--as-of 2024-04-01T00:00:00Z]
//!     [--out scenario.toml] [--format table|json] [--name NAME] [--sqls N] [--by-segment]
//! ```
//!
//! Try it on the synthetic export: `--input examples/data/export.csv`. That
//! file was made with
//! `cargo run --release --example calibrate -- --generate examples/data/export.csv`
//! (2,000 SQLs drawn by `calibrate::synthetic_export`, seed 2024, from the
//! segment in `truth()` below). `--generate big.csv --rows 1000000` makes the
//! million-row file of the speed measurement in BENCHMARKS.md.

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use lead_decay::calibrate::{Calibration, Columns, Estimate, Export, ExportFormat, synthetic_export, write_export};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Scenario, Segment};

use common::{fail, grouped, percent};

#[derive(Parser, Debug)]
#[command(about = "Fit follow-up and decay models to a CRM export of sales-qualified leads")]
struct Args {
    /// The export: CSV, one row per SQL.
    #[arg(long, required_unless_present = "generate")]
    input: Option<PathBuf>,
    /// Column names, as key=name pairs (keys: sql_at, first_contact_at, outcome, deal_value, segment).
    #[arg(long, default_value = "")]
    columns: String,
    /// Extra strftime-style timestamp format, tried before the ISO-8601 forms (repeatable).
    #[arg(long = "timestamp-format")]
    timestamp_formats: Vec<String>,
    /// When the export was taken (default: its latest timestamp).
    #[arg(long)]
    as_of: Option<String>,
    /// Write the fitted scenario (TOML) here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also draw the binned conversion against delay with every fitted
    /// curve to this PNG or SVG file (the first segment with --by-segment).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// Output: a table for people or JSON for programs.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Scenario and segment name.
    #[arg(long, default_value = "calibrated")]
    name: String,
    /// SQLs in the fitted segment's cohort (default: the rows used).
    #[arg(long)]
    sqls: Option<u64>,
    /// Fit each value of the segment column separately (one scenario segment each).
    #[arg(long)]
    by_segment: bool,
    /// Instead: write the synthetic example export (--rows SQLs, default 2,000) to this file.
    #[arg(long, value_name = "FILE.csv")]
    generate: Option<PathBuf>,
    /// Seed of --generate.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Rows of --generate.
    #[arg(long, default_value_t = 2_000)]
    rows: usize,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// The segment behind `examples/data/export.csv`.
fn truth() -> Result<Segment, lead_decay::Error> {
    Segment::builder("web")
        .sqls(2_000)
        .close_rate(0.3)
        .deal_value(DealValue::lognormal(20_000.0, 0.5)?)
        .decay(DecayCurve::exponential(Hours::from_days(2.0)?)?)
        .never_followed_up(0.15)
        .delay(DelayDistribution::lognormal(Hours::new(8.0)?, 1.2)?)
        .build()
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn run(args: Args) -> Result<(), String> {
    let err = |e: lead_decay::Error| e.to_string();
    if let Some(path) = &args.generate {
        let start = "2024-01-01T00:00:00Z".parse().map_err(|e| format!("{e}"))?;
        let (records, _) = synthetic_export(&truth().map_err(err)?, args.rows, start, args.seed).map_err(err)?;
        return common::write_atomically(path, |f| {
            write_export(&records, f).map_err(|e| std::io::Error::other(e.to_string()))
        });
    }
    let input = args.input.as_ref().ok_or("--input is required")?;
    if let Some(chart) = &args.chart {
        common::charts::ChartFormat::of(chart)?;
    }
    let format = ExportFormat {
        columns: Columns::default().with_spec(&args.columns).map_err(err)?,
        timestamp_formats: args.timestamp_formats.clone(),
        delimiter: None,
        as_of: args
            .as_of
            .as_deref()
            .map(|t| t.parse().map_err(|e| format!("--as-of {t:?}: {e}")))
            .transpose()?,
    };
    let export = Export::read_path(input, &format).map_err(err)?;
    let fit = |part: &Export, what: &str| Calibration::fit(part).map_err(|e| format!("{}{what}: {e}", input.display()));
    // One calibration per segment with --by-segment, else one for all rows.
    let mut parts: Vec<(String, Export, Calibration)> = Vec::new();
    if args.by_segment {
        let names = export.segments();
        if names.is_empty() {
            return Err(format!(
                "{}: --by-segment: no segment column, or it is empty",
                input.display()
            ));
        }
        for name in names {
            let part = export.segment(&name);
            let calibration = fit(&part, &format!(" (segment {name:?})"))?;
            parts.push((name, part, calibration));
        }
    } else {
        let calibration = fit(&export, "")?;
        parts.push((args.name.clone(), export.clone(), calibration));
    }
    let mut builder = Scenario::builder(&args.name);
    for (name, part, calibration) in &parts {
        let sqls = if args.by_segment {
            part.summary().used
        } else {
            args.sqls.unwrap_or(part.summary().used)
        };
        builder = builder.segment(calibration.segment(name, sqls).map_err(err)?);
    }
    let toml = builder.build().map_err(err)?.to_toml_string();
    if let (Some(path), Some((name, _, calibration))) = (&args.chart, parts.first()) {
        common::charts::save(path, &conversion_chart(name, calibration))?;
    }
    if let Some(out) = &args.out {
        common::write_atomically(out, |f| std::io::Write::write_all(f, toml.as_bytes()))?;
    }
    match args.format {
        Format::Json => {
            let segments: Vec<_> = parts
                .iter()
                .map(|(name, _, c)| serde_json::json!({ "name": name, "calibration": c }))
                .collect();
            let json = serde_json::json!({
                "input": input.display().to_string(),
                "import": export.summary(),
                "problems": export.problems(),
                "calibration": parts[0].2,
                "segments": segments,
                "scenario": toml,
            });
            outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        }
        Format::Table => {
            print_import(&export);
            for (name, _, c) in &parts {
                if args.by_segment {
                    outln!("\n=== segment {name} ===");
                }
                print_fits(c);
            }
            outln!("\nScenario:\n{toml}");
        }
    }
    Ok(())
}

fn est(e: &Estimate) -> String {
    format!("{} [{}, {}]", num(e.value), num(e.ci95_low), num(e.ci95_high))
}

fn num(x: f64) -> String {
    if !x.is_finite() {
        "-".to_owned()
    } else if x.abs() >= 100.0 {
        grouped(x, 0)
    } else {
        format!("{x:.3}")
    }
}

fn print_import(export: &Export) {
    let s = export.summary();
    outln!(
        "Rows: {} read, {} used, {} skipped (as of {})",
        grouped(s.rows as f64, 0),
        grouped(s.used as f64, 0),
        grouped(s.skipped as f64, 0),
        export.as_of()
    );
    for (reason, n) in &s.skipped_by_reason {
        outln!("  skipped: {n} x {reason}");
    }
    for p in export.problems().iter().take(10) {
        outln!("  {p}");
    }
    outln!(
        "Outcomes: {} won, {} lost, {} open; {} contacted",
        s.won,
        s.lost,
        s.open,
        s.contacted
    );
}

fn print_fits(c: &Calibration) {
    let f = &c.follow_up;
    outln!(
        "\nFollow-up: {} contacted, {} never contacted, {} open and not yet contacted (censored); median observed delay {} h",
        f.contacted,
        f.never_contacted,
        f.censored,
        num(f.empirical_median_hours)
    );
    outln!(
        "  {:<12} {:>10} {:>34}  parameters",
        "family",
        "AIC",
        "never followed up [95 %]"
    );
    for fit in &f.fits {
        let params: Vec<String> = fit
            .parameters
            .iter()
            .map(|p| format!("{} {}", p.name, est(p)))
            .collect();
        outln!(
            "  {:<12} {:>10.1} {:>34}  {}",
            fit.family,
            fit.aic,
            est(&fit.never_followed_up),
            params.join(", ")
        );
    }
    let d = &c.decay;
    outln!(
        "\nConversion by delay ({} contacted and decided, {} won):",
        d.sqls,
        d.won
    );
    outln!(
        "  {:>22} {:>7} {:>6} {:>24}",
        "delay (h)",
        "SQLs",
        "won",
        "rate [Wilson 95 %]"
    );
    for b in &d.bins {
        outln!(
            "  {:>10} - {:>9} {:>7} {:>6} {:>8} [{}, {}]",
            num(b.from_hours),
            num(b.to_hours),
            b.sqls,
            b.won,
            percent(b.rate),
            percent(b.ci95_low),
            percent(b.ci95_high)
        );
    }
    outln!("\nDecay fits (best first):");
    for fit in &d.fits {
        let params: Vec<String> = fit
            .parameters
            .iter()
            .take(4)
            .map(|p| format!("{} {}", p.name, est(p)))
            .collect();
        let t = |e: &Option<Estimate>| e.as_ref().map_or("never".to_owned(), est);
        outln!(
            "  {:<12} AIC {:>10.1}  close rate {}  {}{}",
            fit.shape.name(),
            fit.aic,
            est(&fit.close_rate),
            params.join(", "),
            if fit.parameters.len() > 4 { ", ..." } else { "" }
        );
        outln!(
            "  {:<12} to 50 %: {} h; to 10 %: {} h",
            "",
            t(&fit.time_to_50),
            t(&fit.time_to_10)
        );
    }
    for n in &d.not_identified {
        outln!("  {:<12} not identified: {}", n.shape.name(), n.reason);
    }
    if let (Some(mean), cv) = (c.mean_deal_value, c.deal_value_cv) {
        outln!(
            "\nDeal value: mean {} (CV {})",
            grouped(mean, 0),
            cv.map_or("-".to_owned(), num)
        );
    }
}

/// The binned conversion of the export and every fitted `p f(t)`, the
/// AIC-best first.
fn conversion_chart(name: &str, calibration: &Calibration) -> common::charts::ConversionChart {
    use common::charts::{ConversionBin, ConversionChart, FittedCurve};
    let decay = &calibration.decay;
    let best = decay.best();
    let mut fits = vec![FittedCurve {
        name: format!("{} (best by AIC)", best.shape.name()),
        close_rate: best.close_rate.value,
        curve: best.curve.clone(),
    }];
    fits.extend(
        decay
            .fits
            .iter()
            .filter(|f| f.shape != best.shape)
            .map(|f| FittedCurve {
                name: f.shape.name().to_owned(),
                close_rate: f.close_rate.value,
                curve: f.curve.clone(),
            }),
    );
    ConversionChart {
        title: format!("{name}: conversion against response delay"),
        bins: decay
            .bins
            .iter()
            .map(|b| ConversionBin {
                mean_hours: b.mean_hours,
                rate: b.rate,
                ci95: (b.ci95_low, b.ci95_high),
            })
            .collect(),
        fits,
    }
}
