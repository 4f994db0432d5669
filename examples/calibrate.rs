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
//!     [--shape averaged|best|step|linear|exponential|weibull|table]
//!     [--no-uncertainty | --bootstrap N [--seed S]]
//!     [--out scenario.toml] [--format table|json] [--name NAME] [--sqls N] [--by-segment]
//!     [--calendar team.toml [--delay-clock auto|calendar|working]]
//! ```
//!
//! The scenario written carries what the export leaves open: by default
//! every decay shape drawn per trial by its Akaike weight (the
//! exponential's carried by the Weibull, which contains it), each spread over
//! its fit's sampling distribution, and the follow-up fit's as a joint
//! normal (`[[joint]]` inputs), so `simulate` reports the range of the
//! expected revenue lost the data allow. `--shape best` (or a shape's name)
//! writes one shape's fit with its covariance; `--no-uncertainty` writes
//! the point estimates only. `--bootstrap N` carries the uncertainty as N
//! replicates of the whole fit instead (the rows drawn again with
//! replacement, each replicate refitted and choosing its own shape), one
//! equally weighted alternative each, the same for the same `--seed`.
//!
//! The report leads with what the data say in plain words (the close rate,
//! how leads cool or that the data cannot tell, the follow-up, the sales
//! cycle and the SQLs still open, the revenue lost), then the technical
//! detail below a line, each term explained. A column `decided_at` (the
//! CRM's close date; `--column decided_at=NAME`, named by the presets)
//! sharpens the sales cycle; without it, immature cohorts are still read
//! right (see `lead_decay::guide::calibration`).
//!
//! With the team's calendar (`--calendar`: a scenario file's `[calendar]`
//! section, or a file holding only that section), the follow-up delay is
//! also fitted in working hours, and the fitted scenario counts it on the
//! clock that fits better by likelihood (`clock = "working"`, with the SQLs'
//! arrivals by hour of the week), or on the one `--delay-clock` names.
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
    Bootstrap, BootstrapFit, Calibration, ClockFit, Crm, Export, ExportFormat, OutcomeLabels, SegmentFits, ShapeChoice,
    ShapeKind, import_report, parse_delimiter, synthetic_export, write_export,
};
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::model::uncertainty::Uncertainty;
use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Hours, Scenario, Segment};

use common::fail;

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
    /// first_contact_at, outcome, deal_value, segment, decided_at, id); quote a name
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
    /// The decay shape of the fitted scenario: averaged (every shape drawn
    /// per trial by its Akaike weight), best (the lowest AIC), step,
    /// linear, exponential, weibull or table. The report shows every
    /// shape's weight of evidence either way.
    #[arg(long, default_value = "averaged")]
    shape: String,
    /// Write the point estimates only (with --shape averaged, the best
    /// shape's), without the fit's uncertainty as joint inputs.
    #[arg(long, conflicts_with = "bootstrap")]
    no_uncertainty: bool,
    /// Carry the fit's uncertainty as N bootstrap replicates of the whole
    /// fit instead of its normals: the rows drawn again with replacement N
    /// times (with --seed), every replicate refitted, choosing its own
    /// decay shape (--shape averaged) or fitting the shape named, and
    /// written as one equally weighted alternative (N from 1 to 10,000;
    /// a few hundred is usual, each a whole refit).
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Write the fitted scenario (TOML) here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also draw the binned conversion against delay with every fitted
    /// curve to this PNG or SVG file (the first segment with --by-segment).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// Also write a one-file HTML report (the verdict, key figures, the
    /// conversion chart, every shape, the fitted scenario, the options).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
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
    /// The team's calendar: a TOML (or JSON) file whose [calendar] section
    /// says when the team works (a scenario file, or a file holding only
    /// that section). The follow-up delay is then fitted on the working
    /// clock as well, and counted on the clock that fits better.
    #[arg(long, value_name = "FILE.toml")]
    calendar: Option<PathBuf>,
    /// With --calendar, the clock of the fitted delay: auto (the one that
    /// fits better by likelihood), calendar (real elapsed hours) or working
    /// (the team's working hours).
    #[arg(long, value_enum, default_value_t = ClockChoice::Auto, requires = "calendar")]
    delay_clock: ClockChoice,
    /// Instead: write the synthetic example export (--rows SQLs, default 2,000) to this file
    /// (with --calendar, its delays drawn on the team's working clock).
    #[arg(long, value_name = "FILE.csv")]
    generate: Option<PathBuf>,
    /// Seed of --generate and of --bootstrap.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Rows of --generate.
    #[arg(long, default_value_t = 2_000)]
    rows: usize,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ClockChoice {
    Auto,
    Calendar,
    Working,
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
    calibration: Calibration,
    /// Its bootstrap, with --bootstrap.
    bootstrap: Option<BootstrapFit>,
}

fn run(args: Args) -> Result<(), String> {
    let err = |e: lead_decay::Error| e.to_string();
    if let Some(path) = &args.generate {
        let start = "2024-01-01T00:00:00Z".parse().map_err(|e| format!("{e}"))?;
        let mut truth = truth().map_err(err)?;
        // With --calendar, the truth's delays run on the team's working clock.
        if let Some(path) = &args.calendar {
            let calendar = Calendar::load(path).map_err(|e| format!("--calendar: {e}"))?;
            let hours = BusinessHours::new(calendar, Arrivals::Always, DelayClock::Working, DelayClock::Calendar);
            truth = truth.with_business_hours(Some(hours.map_err(err)?));
        }
        let (records, _) = synthetic_export(&truth, args.rows, start, args.seed).map_err(err)?;
        return common::write_atomically(path, |f| {
            write_export(&records, f).map_err(|e| std::io::Error::other(e.to_string()))
        });
    }
    let input = args.input.as_ref().ok_or("--input is required")?;
    if let Some(chart) = &args.chart {
        common::charts::ChartFormat::of(chart)?;
    }
    if let Some(page) = &args.report {
        common::html::check_path(page)?;
    }
    if let Some(v) = args.deal_value
        && !(v.is_finite() && v >= 0.0)
    {
        return Err(format!("--deal-value: expected a finite amount >= 0, got {v}"));
    }
    if let Some(n) = args.bootstrap {
        Bootstrap::new(n, args.seed).map_err(|e| format!("--bootstrap: {e}"))?;
    }
    let shape = match args.shape.as_str() {
        "best" | "averaged" => None,
        name => Some(name.parse::<ShapeKind>().map_err(err)?),
    };
    let format = export_format(&args).map_err(err)?;
    let export = Export::read_path(input, &format).map_err(err)?;
    // The import report comes first, whatever the fit then says.
    if let Format::Table = args.format {
        outln!("{}", import_report(&export).trim_end());
    }
    let result = fit_and_write(&args, input, &export, shape);
    match args.format {
        Format::Table => {
            let (parts, not_fitted, toml) = result?;
            for (name, rows, reason) in &not_fitted {
                outln!("\n=== segment {name} ({rows} rows): not fitted ===\n  {reason}");
            }
            for p in &parts {
                if args.by_segment {
                    outln!("\n=== segment {} ===", p.name);
                }
                outln!("\n{}", p.calibration.report().trim_end());
                if let Some(clock) = &p.calibration.clock {
                    outln!("\n{}", clock.report());
                }
                if let Some(boot) = &p.bootstrap {
                    outln!("\n{}", bootstrap_report(boot));
                }
            }
            outln!(
                "\nScenario{}:\n{toml}",
                shape.map_or(String::new(), |s| format!(" (decay shape {})", s.name()))
            );
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
                        .map(|p| {
                            serde_json::json!({
                                "name": p.name,
                                "summary": p.calibration.summary(),
                                "calibration": p.calibration,
                                "bootstrap": p.bootstrap,
                            })
                        })
                        .collect();
                    let not_fitted: Vec<_> = not_fitted
                        .iter()
                        .map(|(name, rows, reason)| serde_json::json!({ "name": name, "rows": rows, "error": reason }))
                        .collect();
                    json["summary"] = serde_json::json!(parts[0].calibration.summary());
                    json["calibration"] = serde_json::json!(parts[0].calibration);
                    json["bootstrap"] = serde_json::json!(parts[0].bootstrap);
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

/// The fitted parts, the segments that could not be fitted (name, rows,
/// reason), and the scenario written.
type Fitted = (Vec<Part>, Vec<(String, u64, String)>, String);

fn fit_and_write(args: &Args, input: &Path, export: &Export, shape: Option<ShapeKind>) -> Result<Fitted, String> {
    let err = |e: lead_decay::Error| format!("{}: {e}", input.display());
    let deal_value = args
        .deal_value
        .map(DealValue::fixed)
        .transpose()
        .map_err(|e| e.to_string())?;
    let (fitted, not_fitted) = if args.by_segment {
        let fits = SegmentFits::fit(export).map_err(err)?;
        (fits.fitted, fits.not_fitted)
    } else {
        let calibration = Calibration::fit(export).map_err(err)?;
        (vec![(args.name.clone(), calibration)], Vec::new())
    };
    let fitted = match &args.calendar {
        None => fitted,
        Some(path) => {
            let calendar = Calendar::load(path).map_err(|e| format!("--calendar: {e}"))?;
            let on_clock = |name: &str, calibration: Calibration| {
                let segment;
                let part = if args.by_segment {
                    segment = export.segment(name);
                    &segment
                } else {
                    export
                };
                let mut clock = ClockFit::fit(part, &calendar, &calibration.follow_up)?;
                match args.delay_clock {
                    ClockChoice::Auto => {}
                    ClockChoice::Calendar => clock = clock.with_chosen(DelayClock::Calendar),
                    ClockChoice::Working => clock = clock.with_chosen(DelayClock::Working),
                }
                calibration.with_clock(clock)
            };
            fitted
                .into_iter()
                .map(|(name, calibration)| Ok((name.clone(), on_clock(&name, calibration).map_err(err)?)))
                .collect::<Result<Vec<_>, String>>()?
        }
    };
    let mut parts = Vec::new();
    let mut builder = Scenario::builder(&args.name);
    let mut uncertainty = Uncertainty::new();
    for (name, calibration) in fitted {
        let used = calibration.import.used;
        let sqls = if args.by_segment {
            used
        } else {
            args.sqls.unwrap_or(used)
        };
        // The shape comparison for the cohort and deal values written.
        let calibration = if sqls != used || deal_value.is_some() {
            calibration.with_cohort(sqls, deal_value.clone()).map_err(err)?
        } else {
            calibration
        };
        let choice = match shape {
            None if args.shape == "averaged" => ShapeChoice::Averaged,
            None => ShapeChoice::Single(calibration.decay.best().shape),
            Some(shape) => ShapeChoice::Single(shape),
        };
        let segment = calibration
            .forecast_segment(&name, sqls, choice, deal_value.clone())
            .map_err(err)?;
        let mut bootstrap = None;
        if let Some(n) = args.bootstrap {
            let mut options = Bootstrap::new(n, args.seed).map_err(|e| format!("--bootstrap: {e}"))?;
            if let Some(path) = &args.calendar {
                options = options.with_calendar(Calendar::load(path).map_err(|e| format!("--calendar: {e}"))?);
            }
            let segment_rows;
            let part = if args.by_segment {
                segment_rows = export.segment(&name);
                &segment_rows
            } else {
                export
            };
            let fit = calibration.bootstrap(part, choice, &options).map_err(err)?;
            uncertainty = uncertainty.with_joint(fit.joint(&name, deal_value.is_none()).map_err(err)?);
            bootstrap = Some(fit);
        } else if !args.no_uncertainty {
            for joint in calibration.fit_uncertainty(&name, choice).map_err(err)? {
                uncertainty = uncertainty.with_joint(joint);
            }
            if deal_value.is_none()
                && let Some(joint) = calibration.deal_value_uncertainty(&name).map_err(err)?
            {
                uncertainty = uncertainty.with_joint(joint);
            }
        }
        builder = builder.segment(segment);
        parts.push(Part {
            name,
            calibration,
            bootstrap,
        });
    }
    let toml = builder
        .uncertainty(uncertainty)
        .build()
        .map_err(|e| e.to_string())?
        .to_toml_string();
    if let (Some(path), Some(p)) = (&args.chart, parts.first()) {
        common::charts::save(path, &conversion_chart(&p.name, &p.calibration))?;
    }
    if let Some(out) = &args.out {
        common::write_atomically(out, |f| std::io::Write::write_all(f, toml.as_bytes()))?;
    }
    if let Some(page) = &args.report {
        write_report(page, args, input, &parts, &not_fitted, &toml)?;
    }
    Ok((parts, not_fitted, toml))
}

/// One line on a bootstrap: its replicates, seed and the shapes they chose.
fn bootstrap_report(boot: &BootstrapFit) -> String {
    let n = boot.replicates.len();
    let shapes: Vec<String> = boot
        .shape_counts()
        .iter()
        .map(|(shape, count)| format!("{} {count}", shape.name()))
        .collect();
    format!(
        "Bootstrap: {n} replicates of the whole fit (seed {}), each one equally weighted alternative of the scenario;\n  decay shape chosen: {}",
        boot.seed,
        shapes.join(", ")
    )
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
                from_hours: b.from_hours,
                to_hours: b.to_hours,
                mean_hours: b.mean_hours,
                rate: b.rate,
                ci95: (b.ci95_low, b.ci95_high),
            })
            .collect(),
        fits,
    }
}

/// `calibrate --report FILE.html`: the calibration as a page for a sales
/// director.
fn write_report(
    page: &Path,
    args: &Args,
    input: &Path,
    parts: &[Part],
    not_fitted: &[(String, u64, String)],
    toml: &str,
) -> Result<(), String> {
    use common::calibrate_html::{Part as Page, Run, write};
    use common::html::Assumption;
    let cli = |flag: &str| format!("command line ({flag})");
    let default = |flag: &str| format!("default ({flag} not given)");
    let given = |flag: &str, set: bool| if set { cli(flag) } else { default(flag) };
    let mut options = vec![
        Assumption::new(
            "CRM export",
            input.display().to_string(),
            "CSV, one row per SQL",
            cli("--input"),
        ),
        Assumption::new(
            "CRM layout",
            args.crm
                .map_or_else(|| "generic columns".to_owned(), |c| c.name().to_owned()),
            "",
            given("--crm", args.crm.is_some()),
        ),
        Assumption::new(
            "time zone",
            args.timezone.clone().unwrap_or_else(|| "UTC".to_owned()),
            "of timestamps without an offset",
            given("--timezone", args.timezone.is_some()),
        ),
        Assumption::new(
            "as of",
            parts.first().map_or_else(String::new, |p| p.calibration.as_of.clone()),
            "when the export was taken: open SQLs are censored there",
            if args.as_of.is_some() {
                cli("--as-of")
            } else {
                "the export's latest timestamp".to_owned()
            },
        ),
        Assumption::new(
            "decay shape written",
            args.shape.clone(),
            "averaged: every shape by its Akaike weight; best: the lowest AIC",
            given("--shape", args.shape != "averaged"),
        ),
        Assumption::new(
            "SQLs of the fitted scenario",
            parts
                .first()
                .map_or_else(String::new, |p| common::grouped(p.calibration.sqls as f64, 0)),
            "SQLs",
            given("--sqls", args.sqls.is_some()),
        ),
    ];
    options.push(Assumption::new(
        "fit's uncertainty written",
        match args.bootstrap {
            Some(n) => format!(
                "bootstrap, {} replicates, seed {}",
                common::grouped(n as f64, 0),
                args.seed
            ),
            None if args.no_uncertainty => "none".to_owned(),
            None => "normals".to_owned(),
        },
        "normals: each fit's asymptotic normal; bootstrap: replicates of the whole fit",
        match (args.bootstrap, args.no_uncertainty) {
            (None, true) => cli("--no-uncertainty"),
            (bootstrap, _) => given("--bootstrap", bootstrap.is_some()),
        },
    ));
    if let Some(value) = args.deal_value {
        options.push(Assumption::new(
            "deal value",
            common::grouped(value, 0),
            "per deal (fixed)",
            cli("--deal-value"),
        ));
    }
    options.push(Assumption::new(
        "first contact before the SQL",
        args.contact_before_sql.clone(),
        "skip the row, or count a zero delay",
        given("--contact-before-sql", args.contact_before_sql != "skip"),
    ));
    let pages: Vec<Page> = parts
        .iter()
        .map(|p| Page {
            name: &p.name,
            calibration: &p.calibration,
            chart: conversion_chart(&p.name, &p.calibration),
        })
        .collect();
    let run = Run {
        input,
        options,
        scenario: toml,
        not_fitted,
    };
    write(page, &run, &pages, None)
}
