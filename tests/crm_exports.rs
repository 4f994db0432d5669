//! Calibration reads the exports people actually have (issue 21): each
//! CRM-shaped fixture of `tests/fixtures/crm/` reads in full with a preset
//! or the documented flags, and the fit recovers the truth it was drawn
//! from (the share never followed up and the median delay, each within its
//! 95 % interval: a fixed draw, so the check is deterministic).

mod common;
mod crm;

use std::path::{Path, PathBuf};

use lead_decay::calibrate::{
    Calibration, ContactBeforeSql, Crm, Encoding, Export, ExportFormat, FollowUpFit, OutcomeLabels, WarningKind,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/crm")
        .join(name)
}

fn read(name: &str, format: &ExportFormat) -> Export {
    Export::read_path(fixture(name), format).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn zoned(crm: Crm, zone: &str) -> ExportFormat {
    let mut format = ExportFormat::preset(crm);
    format.time_zone = Some(zone.to_owned());
    format
}

/// Every row used, none skipped.
fn assert_read_in_full(export: &Export) {
    let s = export.summary();
    assert_eq!(
        (s.rows, s.used, s.skipped),
        (crm::ROWS as u64, crm::ROWS as u64, 0),
        "{:?}",
        export.problems().first()
    );
}

fn lognormal(export: &Export) -> lead_decay::calibrate::DelayFit {
    let fit = FollowUpFit::fit(export).unwrap();
    fit.fits.into_iter().find(|f| f.family == "lognormal").unwrap()
}

/// The log-normal fit's share never followed up and median delay cover
/// the truth, and are those of the draw (`seed`) the file was written
/// from, to within `tolerance` standard errors: the reading neither lost
/// nor distorted rows. (Timestamps written to the minute move the fit by
/// far less than a tenth of a standard error; dates without a time of
/// day, by more.)
fn assert_recovers(export: &Export, median_hours: f64, seed: u64, tolerance: f64) {
    let fit = lognormal(export);
    let draw = lognormal(&crm::drawn(median_hours, seed));
    let (q, median) = (&fit.never_followed_up, &fit.parameters[0]);
    assert!(q.covers(crm::NEVER_FOLLOWED_UP), "never followed up {q:?}");
    assert!(median.covers(median_hours), "median delay {median:?}");
    for (file, drawn) in [(q, &draw.never_followed_up), (median, &draw.parameters[0])] {
        assert!(
            (file.value - drawn.value).abs() < tolerance * drawn.std_error,
            "{}: file {} vs draw {} (standard error {})",
            file.name,
            file.value,
            drawn.value,
            drawn.std_error
        );
    }
    Calibration::fit(export).unwrap();
}

fn kinds(export: &Export) -> Vec<WarningKind> {
    export.summary().warnings.iter().map(|w| w.kind).collect()
}

#[test]
fn fixtures_are_the_documented_draws() {
    let write = std::env::var_os("LEAD_DECAY_WRITE_FIXTURES").is_some();
    for (name, bytes) in crm::all() {
        let path = fixture(name);
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        assert!(std::fs::read(&path).unwrap() == bytes, "{name} differs from its draw");
    }
}

#[test]
fn a_salesforce_report_reads_in_full_with_its_preset_open_stages_and_footer_included() {
    let export = read("salesforce.csv", &zoned(Crm::Salesforce, "America/New_York"));
    assert_read_in_full(&export);
    // The open stages ("Prospecting", "Negotiation/Review", ...) are open,
    // not errors; the footer is reported once, not as malformed rows.
    assert!(export.summary().open > 50, "{:?}", export.summary());
    assert_eq!(kinds(&export), [WarningKind::Footer], "{:?}", export.summary().warnings);
    assert!(export.summary().warnings[0].message.contains("5 lines after the data"));
    // "$14,611.90" is read.
    let values = export.records().iter().filter(|r| r.deal_value.is_some()).count();
    assert_eq!(values, crm::ROWS);
    assert_recovers(&export, crm::MEDIAN_HOURS, crm::SALESFORCE_SEED, 0.1);
}

#[test]
fn a_hubspot_export_reads_in_full_with_zone_abbreviations_and_early_engagements_kept() {
    let mut format = zoned(Crm::Hubspot, "America/New_York");
    format.contact_before_sql = ContactBeforeSql::Zero;
    let export = read("hubspot.csv", &format);
    assert_read_in_full(&export);
    let warnings = &export.summary().warnings;
    let zeroed = warnings
        .iter()
        .find(|w| w.kind == WarningKind::ContactBeforeSqlZeroed)
        .unwrap();
    assert!(zeroed.rows >= 2, "{zeroed}");
    for abbreviation in ["EST read as UTC-05:00", "EDT read as UTC-04:00"] {
        assert!(
            warnings.iter().any(|w| w.message.contains(abbreviation)),
            "{warnings:?}"
        );
    }
    assert_recovers(&export, crm::MEDIAN_HOURS, crm::HUBSPOT_SEED, 1.0);

    // Skipping them instead says how many, with their lines.
    let skipped = read("hubspot.csv", &zoned(Crm::Hubspot, "America/New_York"));
    let n = skipped.summary().skipped_by_reason[&lead_decay::calibrate::SkipReason::ContactBeforeSql];
    assert_eq!(n, zeroed.rows);
    assert_eq!(
        skipped.summary().skipped_lines[&lead_decay::calibrate::SkipReason::ContactBeforeSql],
        zeroed.first_lines
    );
}

#[test]
fn a_pipedrive_export_reads_in_full_with_its_preset() {
    let export = read("pipedrive.csv", &zoned(Crm::Pipedrive, "Europe/Berlin"));
    assert_read_in_full(&export);
    assert_eq!(kinds(&export), []);
    assert_recovers(&export, crm::MEDIAN_HOURS, crm::PIPEDRIVE_SEED, 0.1);
}

/// The flags of the README's German example.
fn german_format() -> ExportFormat {
    let mut format = ExportFormat::default();
    format.columns = format
        .columns
        .with("sql_at", "Erstellt am")
        .unwrap()
        .with("first_contact_at", "Erste Aktivität")
        .unwrap()
        .with("outcome", "Lead-Status")
        .unwrap()
        .with("deal_value", "Betrag")
        .unwrap();
    format.labels =
        OutcomeLabels::won_lost(&["Abgeschlossen - Gewonnen"], &["Abgeschlossen - Verloren"]).open_otherwise();
    format.timestamp_formats = vec!["%d.%m.%Y %H:%M".to_owned()];
    format.time_zone = Some("Europe/Berlin".to_owned());
    format
}

#[test]
fn a_german_excel_save_reads_in_full_bom_semicolons_crlf_decimal_commas_and_footer() {
    let export = read("german-excel.csv", &german_format());
    assert_read_in_full(&export);
    assert_eq!(kinds(&export), [WarningKind::Footer], "{:?}", export.summary().warnings);
    let won = export.records().iter().filter(|r| r.deal_value.is_some()).count() as u64;
    assert_eq!(won, export.summary().won);
    assert!(
        export
            .records()
            .iter()
            .filter_map(|r| r.deal_value)
            .any(|v| v.fract() != 0.0 && v > 1_000.0),
        "\"14.611,90 €\" reads as 14611.9"
    );
    assert_recovers(&export, crm::MEDIAN_HOURS, crm::GERMAN_SEED, 0.1);
}

#[test]
fn a_windows_1252_save_reads_in_full_with_a_warning() {
    let mut format = zoned(Crm::Hubspot, "America/New_York");
    format.contact_before_sql = ContactBeforeSql::Zero;
    let export = read("hubspot-windows-1252.csv", &format);
    assert_read_in_full(&export);
    assert!(
        kinds(&export).contains(&WarningKind::Encoding),
        "{:?}",
        export.summary().warnings
    );
    assert_recovers(&export, crm::MEDIAN_HOURS, crm::HUBSPOT_SEED, 1.0);

    format.encoding = Encoding::Utf8;
    let err = Export::read_path(fixture("hubspot-windows-1252.csv"), &format)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not UTF-8 on line"), "{err}");
}

#[test]
fn a_date_only_column_is_refused_unless_date_only_and_then_recovers_the_truth() {
    let format = zoned(Crm::Salesforce, "America/New_York");
    let err = Export::read_path(fixture("salesforce-date-only.csv"), &format)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"Created Date\"") && err.contains("--date-only"), "{err}");

    let mut format = format;
    format.date_only = true;
    let export = read("salesforce-date-only.csv", &format);
    assert_read_in_full(&export);
    let warning = export
        .summary()
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::DateOnly)
        .unwrap();
    assert!(warning.message.contains("uncertain by up to a day"), "{warning}");
    assert_recovers(&export, crm::DATE_ONLY_MEDIAN_HOURS, crm::DATE_ONLY_SEED, 1.0);
}

// ---------------------------------------------------------------- the CLI

fn run(args: &[&str]) -> (bool, String, String) {
    let output = common::run("calibrate", args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn path(name: &str) -> String {
    fixture(name).to_str().unwrap().to_owned()
}

#[test]
fn the_readme_salesforce_and_hubspot_commands_fit_every_row() {
    let dir = common::temp_dir("crm-readme");
    let out = dir.join("fitted.toml");
    for (file, extra) in [
        (
            "salesforce.csv",
            vec!["--crm", "salesforce", "--timezone", "America/New_York"],
        ),
        (
            "hubspot.csv",
            vec![
                "--crm",
                "hubspot",
                "--timezone",
                "America/New_York",
                "--contact-before-sql",
                "zero",
            ],
        ),
    ] {
        let input = path(file);
        let mut args = vec!["--input", input.as_str(), "--out", out.to_str().unwrap()];
        args.extend(extra);
        let (ok, stdout, stderr) = run(&args);
        assert!(ok, "{file}: {stderr}");
        assert!(
            stdout.starts_with("Rows: 1,000 read, 1,000 used, 0 skipped"),
            "{stdout}"
        );
        let scenario = lead_decay::Scenario::load(&out).unwrap();
        assert_eq!(scenario.segments()[0].sqls(), crm::ROWS as u64);
        assert!(scenario.segments()[0].deal_value().mean() > 0.0);
    }
}

#[test]
fn the_german_excel_file_reads_with_the_documented_flags() {
    let input = path("german-excel.csv");
    let (ok, stdout, stderr) = run(&[
        "--input",
        &input,
        "--column",
        "sql_at=Erstellt am",
        "--column",
        "first_contact_at=Erste Aktivität",
        "--column",
        "outcome=Lead-Status",
        "--column",
        "deal_value=Betrag",
        "--won",
        "Abgeschlossen - Gewonnen",
        "--lost",
        "Abgeschlossen - Verloren",
        "--open-otherwise",
        "--timestamp-format",
        "%d.%m.%Y %H:%M",
        "--timezone",
        "Europe/Berlin",
        "--as-of",
        "06.04.2025 07:00",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with("Rows: 1,000 read, 1,000 used, 0 skipped (as of 2025-04-06T05:00:00Z)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: 2 lines after the data are not records"),
        "{stdout}"
    );
}

#[test]
fn without_a_label_mapping_each_unknown_stage_is_reported_once_with_its_count() {
    let input = path("hubspot.csv");
    let (ok, stdout, _) = run(&[
        "--input",
        &input,
        "--column",
        "sql_at=Became a Sales Qualified Lead Date",
        "--column",
        "first_contact_at=Date of first engagement",
        "--column",
        "outcome=deal stage",
        "--column",
        "deal_value=amount",
        "--contact-before-sql",
        "zero",
        "--won",
        "Closed Won",
        "--lost",
        "Closed Lost",
    ]);
    assert!(ok);
    let labels = stdout.lines().find(|l| l.contains("labels:")).unwrap();
    assert!(labels.contains("\"Presentation Scheduled\" x "), "{stdout}");
    assert!(labels.contains("--open-otherwise"), "{labels}");
    assert_eq!(stdout.matches("Presentation Scheduled").count(), 1, "{stdout}");
}
