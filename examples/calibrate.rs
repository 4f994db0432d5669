//! How fast do *our* leads go cold? Reads a CRM export (one row per SQL),
//! fits the follow-up model and every decay shape, and writes a scenario
//! segment that `simulate` runs.
//!
//! ```text
//! cargo run --release --example calibrate -- --input export.csv
//!     [--crm salesforce|hubspot|pipedrive] [--column KEY=NAME ...] [--columns KEY=NAME,...]
//!     [--won LABELS] [--lost LABELS] [--open LABELS | --open-otherwise]
//!     [--timestamp-format FORMAT ...] [--timezone ZONE] [--date-only] [--as-of TIME]
//!     [--delimiter auto|,|;|tab] [--encoding auto|utf-8|windows-1252] [--number-locale auto|en|de|fr]
//!     [--contact-before-sql skip|zero] [--deal-value AMOUNT]
//!     [--out scenario.toml] [--format table|json] [--name NAME] [--sqls N] [--by-segment]
//! ```
//!
//! A Salesforce report: `--input report.csv --crm salesforce --timezone
//! America/New_York`. A HubSpot export: `--input contacts.csv --crm hubspot
//! --contact-before-sql zero`. Everything a preset sets can be overridden.
//!
//! Try it on the synthetic export: `--input examples/data/export.csv`. That
//! file was made with
//! `cargo run --release --example calibrate -- --generate examples/data/export.csv`
//! (2,000 SQLs drawn by `calibrate::synthetic_export`, seed 2024, from the
//! segment in `truth()` below). `--generate big.csv --rows 1000000` makes the
//! million-row file of the speed measurement in BENCHMARKS.md.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use lead_decay::calibrate::{
    Calibration, Crm, Estimate, Export, ExportFormat, OutcomeLabels, SkipReason, parse_delimiter, synthetic_export,
    write_export,
};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Scenario, Segment};

use common::{fail, grouped, percent};

#[derive(Parser, Debug)]
#[command(about = "Fit follow-up and decay models to a CRM export of sales-qualified leads")]
struct Args {
    /// The export: CSV, one row per SQL.
    #[arg(long, required_unless_present = "generate")]
    input: Option<PathBuf>,
    /// Read the CRM's standard export layout (column names, stage labels,
    /// timestamp formats); every part can still be overridden.
    #[arg(long, value_parser = parse_crm)]
    crm: Option<Crm>,
    /// Column names, as key=name pairs separated by commas (keys: sql_at,
    /// first_contact_at, outcome, deal_value, segment, id); quote a name
    /// with a comma: deal_value="Amount, USD".
    #[arg(long, default_value = "")]
    columns: String,
    /// One column name, KEY=NAME (repeatable; the name may hold commas).
    #[arg(long = "column", value_name = "KEY=NAME")]
    column: Vec<String>,
    /// Outcome labels meaning won, comma-separated (replaces the defaults or the preset's).
    #[arg(long)]
    won: Vec<String>,
    /// Outcome labels meaning lost, comma-separated.
    #[arg(long)]
    lost: Vec<String>,
    /// Outcome labels meaning open, comma-separated (other labels are then
    /// reported and skipped, unless --open-otherwise).
    #[arg(long)]
    open: Vec<String>,
    /// Every outcome label that is not won or lost is open.
    #[arg(long)]
    open_otherwise: bool,
    /// strftime-style timestamp format, tried before the preset's and the ISO-8601 forms (repeatable).
    #[arg(long = "timestamp-format")]
    timestamp_formats: Vec<String>,
    /// Time zone of timestamps without an offset (the CRM account's): an
    /// IANA name such as Europe/Berlin, or +01:00 (default UTC, with a warning).
    #[arg(long)]
    timezone: Option<String>,
    /// Accept time columns without a time of day (each date is read as the middle of its day).
    #[arg(long)]
    date_only: bool,
    /// When the export was taken, in any format the file's timestamps use (default: its latest timestamp).
    #[arg(long)]
    as_of: Option<String>,
    /// Field delimiter: auto (from the header), ",", ";", tab, "|".
    #[arg(long, default_value = "auto")]
    delimiter: String,
    /// Character encoding: auto (UTF-8 if valid, else Windows-1252 with a warning), utf-8, windows-1252.
    #[arg(long, default_value = "auto")]
    encoding: String,
    /// Notation of amounts: auto (decided per column), en (1,234.56), de (1.234,56), fr (1 234,56).
    #[arg(long, default_value = "auto")]
    number_locale: String,
    /// First contacts before the SQL date: skip the row, or zero (the SQL was already being worked).
    #[arg(long, default_value = "skip")]
    contact_before_sql: String,
    /// Deal value of the fitted scenario (fixed), for an export without one, or to override it.
    #[arg(long)]
    deal_value: Option<f64>,
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
    /// Fit each value of the segment column separately (one scenario
    /// segment each; rows without a segment form the segment "(no segment)").
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

fn parse_crm(text: &str) -> Result<Crm, String> {
    text.parse().map_err(|e: lead_decay::Error| e.to_string())
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

/// The export format from the preset and the flags.
fn export_format(args: &Args) -> Result<ExportFormat, lead_decay::Error> {
    let mut format = args.crm.map_or_else(ExportFormat::default, ExportFormat::preset);
    let mut columns = format.columns.clone().with_spec(&args.columns)?;
    for pair in &args.column {
        let (key, name) = pair.split_once('=').ok_or_else(|| {
            lead_decay::Error::invalid("column", format!("{pair:?}"), "KEY=NAME, e.g. deal_value=Amount")
        })?;
        columns = columns.with(key, name)?;
    }
    format.columns = columns;
    let list = |items: &[String]| items.iter().flat_map(|i| OutcomeLabels::list(i)).collect::<Vec<_>>();
    let mut labels = format.labels.clone();
    if !args.won.is_empty() {
        labels.won = list(&args.won);
    }
    if !args.lost.is_empty() {
        labels.lost = list(&args.lost);
    }
    if !args.open.is_empty() {
        labels.open = list(&args.open);
        labels.open_otherwise = false;
    }
    labels.open_otherwise |= args.open_otherwise;
    format.labels = labels;
    let mut formats = args.timestamp_formats.clone();
    formats.append(&mut format.timestamp_formats);
    format.timestamp_formats = formats;
    if args.timezone.is_some() {
        format.time_zone.clone_from(&args.timezone);
    }
    format.date_only |= args.date_only;
    format.delimiter = parse_delimiter(&args.delimiter)?;
    format.encoding = args.encoding.parse()?;
    format.number_locale = args.number_locale.parse()?;
    format.contact_before_sql = args.contact_before_sql.parse()?;
    format.as_of = args.as_of.as_deref().map(|t| format.parse_timestamp(t)).transpose()?;
    Ok(format)
}

/// One fitted part of the export (all of it, or one segment).
struct Part {
    name: String,
    export: Export,
    calibration: Calibration,
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
    if let Some(v) = args.deal_value
        && !(v.is_finite() && v >= 0.0)
    {
        return Err(format!("--deal-value: expected a finite amount >= 0, got {v}"));
    }
    let format = export_format(&args).map_err(err)?;
    let export = Export::read_path(input, &format).map_err(err)?;
    // The import report comes first, whatever the fit then says.
    if let Format::Table = args.format {
        print_import(&export);
    }
    let result = fit_and_write(&args, input, &export);
    match args.format {
        Format::Table => {
            let (parts, not_fitted, toml) = result?;
            for (name, reason) in &not_fitted {
                outln!("\n=== segment {name}: not fitted ===\n  {reason}");
            }
            for p in &parts {
                if args.by_segment {
                    outln!("\n=== segment {} ===", p.name);
                }
                print_fits(&p.calibration);
            }
            outln!("\nScenario:\n{toml}");
            Ok(())
        }
        Format::Json => {
            let mut json = serde_json::json!({
                "input": input.display().to_string(),
                "import": export.summary(),
                "problems": export.problems(),
            });
            let outcome = match &result {
                Ok((parts, not_fitted, toml)) => {
                    let segments: Vec<_> = parts
                        .iter()
                        .map(|p| serde_json::json!({ "name": p.name, "calibration": p.calibration }))
                        .collect();
                    let not_fitted: Vec<_> = not_fitted
                        .iter()
                        .map(|(name, reason)| serde_json::json!({ "name": name, "error": reason }))
                        .collect();
                    json["calibration"] = serde_json::json!(parts[0].calibration);
                    json["segments"] = serde_json::json!(segments);
                    json["not_fitted"] = serde_json::json!(not_fitted);
                    json["scenario"] = serde_json::json!(toml);
                    Ok(())
                }
                Err(e) => {
                    json["error"] = serde_json::json!(e);
                    Err(e.clone())
                }
            };
            outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
            outcome
        }
    }
}

/// The fitted parts, the segments that could not be fitted (name and
/// reason), and the scenario written.
type Fitted = (Vec<Part>, Vec<(String, String)>, String);

fn fit_and_write(args: &Args, input: &Path, export: &Export) -> Result<Fitted, String> {
    let err = |e: lead_decay::Error| e.to_string();
    let mut parts: Vec<Part> = Vec::new();
    let mut not_fitted: Vec<(String, String)> = Vec::new();
    if args.by_segment {
        let split = export.by_segment();
        if split.is_empty() {
            return Err(format!(
                "{}: --by-segment: no segment column {:?}, or it is empty",
                input.display(),
                args.column
                    .iter()
                    .find_map(|c| c.strip_prefix("segment="))
                    .unwrap_or("segment")
            ));
        }
        // One segment that cannot be fitted is reported; the others are fitted.
        for (name, part) in split {
            match Calibration::fit(&part) {
                Ok(calibration) => parts.push(Part {
                    name,
                    export: part,
                    calibration,
                }),
                Err(e) => not_fitted.push((format!("{name} ({} rows)", part.summary().used), e.to_string())),
            }
        }
        if parts.is_empty() {
            let reasons: Vec<String> = not_fitted.iter().map(|(n, r)| format!("{n}: {r}")).collect();
            return Err(format!(
                "{}: no segment could be fitted: {}",
                input.display(),
                reasons.join("; ")
            ));
        }
    } else {
        let calibration = Calibration::fit(export).map_err(|e| format!("{}: {e}", input.display()))?;
        parts.push(Part {
            name: args.name.clone(),
            export: export.clone(),
            calibration,
        });
    }
    let mut builder = Scenario::builder(&args.name);
    for p in &parts {
        let sqls = if args.by_segment {
            p.export.summary().used
        } else {
            args.sqls.unwrap_or(p.export.summary().used)
        };
        let segment = match args.deal_value {
            Some(v) => p
                .calibration
                .segment_with_deal_value(&p.name, sqls, DealValue::fixed(v).map_err(err)?),
            None => p.calibration.segment(&p.name, sqls),
        };
        builder = builder.segment(segment.map_err(|e| format!("{}: {e}", input.display()))?);
    }
    let toml = builder.build().map_err(err)?.to_toml_string();
    if let (Some(path), Some(p)) = (&args.chart, parts.first()) {
        common::charts::save(path, &conversion_chart(&p.name, &p.calibration))?;
    }
    if let Some(out) = &args.out {
        common::write_atomically(out, |f| std::io::Write::write_all(f, toml.as_bytes()))?;
    }
    Ok((parts, not_fitted, toml))
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
        "Rows: {} read, {} used, {} skipped ({})",
        grouped(s.rows as f64, 0),
        grouped(s.used as f64, 0),
        grouped(s.skipped as f64, 0),
        if s.used > 0 {
            format!("as of {}", export.as_of())
        } else {
            "no as-of date: no row used".to_owned()
        }
    );
    for (reason, n) in &s.skipped_by_reason {
        let lines: Vec<String> = s
            .skipped_lines
            .get(reason)
            .map(|l| l.iter().map(u64::to_string).collect())
            .unwrap_or_default();
        let more = if (lines.len() as u64) < *n { ", ..." } else { "" };
        outln!(
            "  skipped: {} x {reason} (lines {}{more})",
            grouped(*n as f64, 0),
            lines.join(", ")
        );
        if *reason == SkipReason::UnknownOutcome {
            // The most frequent labels first; a handful is enough to see the pattern.
            let mut labels: Vec<(&String, &u64)> = s.unknown_outcomes.iter().collect();
            labels.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let shown: Vec<String> = labels.iter().take(12).map(|(l, n)| format!("{l:?} x {n}")).collect();
            let more = labels.len().saturating_sub(12);
            outln!(
                "    labels: {}{}; map them with --won, --lost, --open or --open-otherwise",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        } else if let Some(p) = export.problems().iter().find(|p| p.reason == *reason) {
            outln!("    e.g. {p}");
        }
    }
    for w in &s.warnings {
        outln!("  warning: {w}");
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
