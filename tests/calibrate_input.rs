//! Calibration input as a specification: every way a real export lost rows
//! or distorted the fit (issues 21, 16 and 14) is read, reported or refused
//! with a reason. Each test fails on the tree before issue 21.

mod common;

use lead_decay::Scenario;
use lead_decay::calibrate::{
    Calibration, Columns, ContactBeforeSql, Export, ExportFormat, NO_SEGMENT, NumberLocale, OutcomeLabels, SkipReason,
    WarningKind, synthetic_export, write_export,
};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};

fn read_with(csv: &str, format: &ExportFormat) -> lead_decay::Result<Export> {
    Export::from_reader(csv.as_bytes(), format)
}

fn read(csv: &str) -> Export {
    read_with(csv, &ExportFormat::default()).unwrap()
}

fn warning(export: &Export, kind: WarningKind) -> &lead_decay::calibrate::ImportWarning {
    export
        .summary()
        .warnings
        .iter()
        .find(|w| w.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} warning in {:?}", export.summary().warnings))
}

const HEADER: &str = "sql_at,first_contact_at,outcome,deal_value\n";

// ------------------------------------------------------------ outcome labels

#[test]
fn open_stages_are_open_when_every_other_label_is_open() {
    let csv = "sql_at,first_contact_at,outcome\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,Closed Won\n\
               2025-01-06T11:00:00Z,2025-01-06T12:00:00Z,Presentation Scheduled\n\
               2025-01-06T12:00:00Z,,Appointment Scheduled\n";
    let mut format = ExportFormat::default();
    format.labels = OutcomeLabels::won_lost(&["Closed Won"], &["Closed Lost"]).open_otherwise();
    let export = read_with(csv, &format).unwrap();
    assert_eq!((export.summary().used, export.summary().open), (3, 2));
}

#[test]
fn an_unmapped_label_is_counted_once_per_label() {
    let rows: String = (0..30)
        .map(|i| {
            let label = ["Presentation Scheduled", "Qualified To Buy", "won"][i % 3];
            format!("2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,{label}\n")
        })
        .collect();
    let export = read(&format!("sql_at,first_contact_at,outcome\n{rows}"));
    let s = export.summary();
    assert_eq!(s.unknown_outcomes.len(), 2);
    assert_eq!(s.unknown_outcomes["Presentation Scheduled"], 10);
    assert_eq!(s.skipped_lines[&SkipReason::UnknownOutcome], [2, 3, 5, 6, 8]);
}

// ------------------------------------------------------------------ amounts

#[test]
fn amounts_with_currency_and_separators_are_read_per_column() {
    let en = read(&format!(
        "{HEADER}2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,\"$14,611.90\"\n\
         2025-01-06T11:00:00Z,2025-01-06T12:00:00Z,won,\"$1,500\"\n"
    ));
    let values: Vec<_> = en.records().iter().map(|r| r.deal_value).collect();
    assert_eq!(values, [Some(14_611.9), Some(1_500.0)]);
    let de = read(
        "sql_at;first_contact_at;outcome;deal_value\n\
         2025-01-06T10:00:00Z;2025-01-06T12:00:00Z;won;14.611,90 €\n\
         2025-01-06T11:00:00Z;2025-01-06T12:00:00Z;won;1.500 €\n",
    );
    let values: Vec<_> = de.records().iter().map(|r| r.deal_value).collect();
    assert_eq!(values, [Some(14_611.9), Some(1_500.0)]);
}

#[test]
fn an_ambiguous_amount_column_is_refused_unless_a_locale_is_given() {
    let csv = format!(
        "{HEADER}2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,\"1,500\"\n\
         2025-01-06T11:00:00Z,2025-01-06T12:00:00Z,won,\"2,250\"\n"
    );
    let err = read_with(&csv, &ExportFormat::default()).unwrap_err().to_string();
    assert!(
        err.contains("ambiguous") && err.contains("\"deal_value\"") && err.contains("line 2"),
        "{err}"
    );
    let mut format = ExportFormat::default();
    format.number_locale = NumberLocale::De;
    let export = read_with(&csv, &format).unwrap();
    assert_eq!(export.records()[0].deal_value, Some(1.5));
}

#[test]
fn an_unreadable_deal_value_keeps_the_rows_timing() {
    let export = read(&format!(
        "{HEADER}2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,n/a\n\
         2025-01-06T11:00:00Z,2025-01-06T12:00:00Z,won,100\n"
    ));
    assert_eq!(export.summary().used, 2);
    assert_eq!(export.records()[0].delay_hours(), Some(2.0));
    let w = warning(&export, WarningKind::UnreadableDealValue);
    assert_eq!((w.rows, w.first_lines.as_slice()), (1, &[2][..]));
}

#[test]
fn an_export_without_deal_values_says_so_and_asks_for_one() {
    let segment = Segment::builder("web")
        .sqls(1_000)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(1_000.0).unwrap())
        .decay(DecayCurve::exponential(Hours::new(24.0).unwrap()).unwrap())
        .never_followed_up(0.1)
        .delay(DelayDistribution::exponential(Hours::new(12.0).unwrap()).unwrap())
        .build()
        .unwrap();
    let (records, _) = synthetic_export(&segment, 2_000, "2025-01-01T00:00:00Z".parse().unwrap(), 3).unwrap();
    let mut csv = Vec::new();
    write_export(&records, &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let without: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{}\n", f[0], f[1], f[2])
        })
        .collect();
    let export = read(&without);
    warning(&export, WarningKind::NoDealValues);
    let calibration = Calibration::fit(&export).unwrap();
    let err = calibration.segment("web", 1_000).unwrap_err().to_string();
    assert!(
        err.contains("no deal-value column") && err.contains("--deal-value"),
        "{err}"
    );
    let given = calibration
        .segment_with_deal_value("web", 1_000, DealValue::fixed(5_000.0).unwrap())
        .unwrap();
    assert_eq!(given.deal_value().mean(), 5_000.0);

    let dir = common::temp_dir("calibrate-no-values");
    let input = dir.join("no-values.csv");
    std::fs::write(&input, &without).unwrap();
    let out = common::run("calibrate", &["--input", input.to_str().unwrap()]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("warning: no deal-value column"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--deal-value"));
    let fitted = dir.join("fitted.toml");
    let out = common::run(
        "calibrate",
        &[
            "--input",
            input.to_str().unwrap(),
            "--deal-value",
            "5000",
            "--out",
            fitted.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        Scenario::load(&fitted).unwrap().segments()[0].deal_value().mean(),
        5_000.0
    );
}

#[test]
fn deal_values_that_overflow_name_the_column_and_rows() {
    let rows: String = (0..40)
        .map(|i| {
            let (outcome, value) = if i % 2 == 0 { ("won", "1e300") } else { ("lost", "") };
            format!(
                "2025-01-{:02}T10:00:00Z,2025-01-{:02}T{:02}:00:00Z,{outcome},{value}\n",
                1 + i % 20,
                1 + i % 20,
                11 + i % 12
            )
        })
        .collect();
    let export = read(&format!("{HEADER}{rows}"));
    let err = Calibration::fit(&export).unwrap_err().to_string();
    assert!(err.contains("column \"deal_value\""), "{err}");
    assert!(err.contains("lines 2, 4, 6, 8, 10, ..."), "{err}");
}

// ---------------------------------------------------------------- the file

#[test]
fn a_semicolon_file_with_bom_crlf_and_blank_lines_reads_without_options() {
    let csv = "\u{feff}SQL_AT;First_Contact_At;Outcome\r\n\
               2025-01-06T10:00:00Z;2025-01-06T12:00:00Z;won\r\n\r\n\
               2025-01-06T11:00:00Z;;lost\r\n";
    let export = read(csv);
    assert_eq!(export.summary().used, 2);
    let lines: Vec<u64> = export.records().iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4]);
}

#[test]
fn a_column_name_may_hold_a_comma_and_matches_ignoring_case() {
    let csv = "\"Created, UTC\",FIRST_CONTACT_AT,outcome,Outcome\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,lost\n";
    let mut format = ExportFormat::default();
    format.columns = Columns::default().with("sql_at", "created, utc").unwrap();
    let export = read_with(csv, &format).unwrap();
    assert_eq!(export.records()[0].delay_hours(), Some(2.0));
    // Exact "outcome" wins over "Outcome"; "created, utc" matched ignoring case.
    assert_eq!(export.records()[0].outcome, lead_decay::calibrate::Outcome::Won);
    format.columns = Columns::default()
        .with_spec(r#"sql_at="Created, UTC",outcome=OUTCOME"#)
        .unwrap();
    let export = read_with(csv, &format).unwrap();
    let w = warning(&export, WarningKind::AmbiguousColumn);
    assert!(w.message.contains("2 columns match \"OUTCOME\""), "{w}");
}

#[test]
fn a_row_with_the_wrong_number_of_fields_says_so_in_every_output() {
    let csv = "a,sql_at,first_contact_at,outcome,deal_value,segment\n\
               x,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,100,web\n\
               x,2025-01-06T10:00:00Z,won\n\
               x,2025-01-06T11:00:00Z,2025-01-06T12:00:00Z,lost,,web\n";
    let export = read(csv);
    assert_eq!(export.summary().skipped_by_reason[&SkipReason::WrongFieldCount], 1);
    let problem = export.problems()[0].to_string();
    assert_eq!(problem, "line 3: wrong number of fields: 3 fields, the header has 6");

    let dir = common::temp_dir("calibrate-fields");
    let input = dir.join("short.csv");
    std::fs::write(&input, csv).unwrap();
    let out = common::run("calibrate", &["--input", input.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("skipped: 1 x wrong number of fields (lines 3)"),
        "{stdout}"
    );
    assert!(stdout.contains(&problem), "{stdout}");
    let out = common::run("calibrate", &["--input", input.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"][0]["value"], "3 fields, the header has 6");
    assert_eq!(v["problems"][0]["reason"], "wrong_field_count");
}

#[test]
fn a_report_footer_is_reported_once_and_not_counted_as_rows() {
    let csv = format!(
        "{HEADER}2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,1\n\n\
         \"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.\"\n\
         \"Confidential Information - Do Not Distribute\"\n"
    );
    let export = read(&csv);
    let s = export.summary();
    assert_eq!((s.rows, s.used, s.skipped), (1, 1, 0));
    assert!(
        warning(&export, WarningKind::Footer)
            .message
            .contains("2 lines after the data are not records")
    );
}

// --------------------------------------------------------------- timestamps

#[test]
fn zone_names_are_their_zones_not_utc() {
    let csv = "sql_at,first_contact_at,outcome\n\
               2025-01-06T10:00:00-05:00[America/New_York],2025-01-06T16:00:00Z,won\n\
               2025-01-06T10:00[America/New_York],2025-01-06T16:00:00Z,won\n\
               2025-01-06 10:00 EST,2025-01-06T16:00:00Z,won\n";
    let export = read(csv);
    let delays: Vec<_> = export.records().iter().map(|r| r.delay_hours()).collect();
    assert_eq!(delays, [Some(1.0); 3]);
    let w = warning(&export, WarningKind::ZoneAbbreviation);
    assert_eq!(w.first_lines, [4]);
}

#[test]
fn civil_times_are_read_in_the_given_time_zone_and_say_so_otherwise() {
    let csv = "sql_at,first_contact_at,outcome\n2025-07-01 10:00,2025-07-01T09:00:00Z,won\n";
    let utc = read(csv);
    assert_eq!(utc.summary().used, 0); // read as UTC, the contact comes first
    assert_eq!(warning(&utc, WarningKind::CivilTimesAsUtc).rows, 1);
    let mut format = ExportFormat::default();
    format.time_zone = Some("Europe/Berlin".to_owned());
    let berlin = read_with(csv, &format).unwrap();
    assert_eq!(berlin.records()[0].delay_hours(), Some(1.0));
    assert!(
        !berlin
            .summary()
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::CivilTimesAsUtc)
    );
}

#[test]
fn as_of_is_read_in_the_files_own_format() {
    let mut format = ExportFormat::default();
    format.timestamp_formats = vec!["%m/%d/%Y, %I:%M %p".to_owned()];
    let at = format.parse_timestamp("3/31/2025, 6:00 PM").unwrap();
    assert_eq!(at.to_string(), "2025-03-31T18:00:00Z");
    assert!(
        format
            .parse_timestamp("next tuesday")
            .unwrap_err()
            .to_string()
            .contains("as_of")
    );
}

#[test]
fn a_timestamp_format_without_directives_is_an_error() {
    let mut format = ExportFormat::default();
    format.timestamp_formats = vec!["DD.MM.YYYY hh:mm".to_owned()];
    let err = read_with(HEADER, &format).unwrap_err().to_string();
    assert!(
        err.contains("timestamp_formats[0]") && err.contains("no % directive"),
        "{err}"
    );
}

#[test]
fn a_date_only_column_is_an_error_naming_it_unless_date_only() {
    let csv = "sql_at,first_contact_at,outcome\n2025-01-06,2025-01-06T16:00:00Z,won\n2025-01-07,,lost\n";
    let err = read_with(csv, &ExportFormat::default()).unwrap_err().to_string();
    assert!(
        err.contains("column \"sql_at\"") && err.contains("--date-only"),
        "{err}"
    );
    let mut format = ExportFormat::default();
    format.date_only = true;
    let export = read_with(csv, &format).unwrap();
    // The SQL is somewhere before 16:00 that day: the middle of that part.
    assert_eq!(export.records()[0].delay_hours(), Some(8.0));
    assert_eq!(warning(&export, WarningKind::DateOnly).rows, 2);
}

#[test]
fn contacts_before_the_sql_date_are_skipped_or_zero_and_counted_either_way() {
    let csv = "sql_at,first_contact_at,outcome\n\
               2025-01-06T10:00:00Z,2025-01-06T09:00:00Z,won\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,lost\n";
    let skipped = read(csv);
    assert_eq!(skipped.summary().skipped_by_reason[&SkipReason::ContactBeforeSql], 1);
    let mut format = ExportFormat::default();
    format.contact_before_sql = ContactBeforeSql::Zero;
    let zero = read_with(csv, &format).unwrap();
    assert_eq!(zero.records()[0].delay_hours(), Some(0.0));
    assert_eq!(warning(&zero, WarningKind::ContactBeforeSqlZeroed).rows, 1);
}

#[test]
fn timestamps_after_as_of_are_skipped_with_a_reason_and_as_of_stays() {
    let csv = "sql_at,first_contact_at,outcome\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won\n\
               2025-03-06T10:00:00Z,,open\n";
    let mut format = ExportFormat::default();
    format.as_of = Some("2025-02-01T00:00:00Z".parse().unwrap());
    let export = read_with(csv, &format).unwrap();
    assert_eq!(export.as_of(), format.as_of.unwrap());
    assert_eq!(export.problems()[0].reason, SkipReason::AfterExport);
    assert_eq!(export.problems()[0].line, 3);
}

#[test]
fn a_repeated_sql_id_is_reported() {
    let csv = "id,sql_at,first_contact_at,outcome\n\
               7,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won\n\
               8,2025-01-06T11:00:00Z,,lost\n\
               7,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won\n";
    let mut format = ExportFormat::default();
    format.columns = Columns::default().with("id", "ID").unwrap();
    let export = read_with(csv, &format).unwrap();
    assert_eq!(export.summary().used, 2);
    assert_eq!(
        export.problems()[0].to_string(),
        "line 4: repeated SQL id in column \"ID\": \"7\""
    );
}

// ---------------------------------------------------------- decision dates

#[test]
fn decision_dates_are_read_on_decided_rows_and_a_close_date_on_an_open_deal_is_a_forecast() {
    let csv = "sql_at,first_contact_at,outcome,decided_at\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,2025-01-08T12:00:00Z\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,lost,2025-01-20\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,open,2025-06-30\n\
               2025-01-06T10:00:00Z,,lost,2025-01-10T00:00:00Z\n\
               2025-01-07T10:00:00Z,2025-01-07T12:00:00Z,won,\n";
    let export = read(csv);
    let r = export.records();
    assert_eq!(export.summary().decided_column.as_deref(), Some("decided_at"));
    assert_eq!(r[0].cycle_hours(), Some(48.0));
    // A date without a time of day: the middle of that day.
    assert_eq!(r[1].cycle_hours(), Some(14.0 * 24.0));
    // On an open deal the CRM's close date is a forecast: not read, and
    // not the as-of date either.
    assert_eq!(r[2].decided_at, None);
    assert_eq!(export.as_of().to_string(), "2025-01-20T12:00:00Z");
    // Never contacted: no cycle; won without a date: decided by the as-of date.
    assert_eq!((r[3].cycle_hours(), r[4].cycle_hours()), (None, None));
}

#[test]
fn a_decision_date_after_as_of_is_skipped_with_its_column_and_bad_ones_are_warnings() {
    let csv = "sql_at,first_contact_at,outcome,Close Date\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,won,2025-03-01T00:00:00Z\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,lost,soon\n\
               2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,lost,2025-01-06T11:00:00Z\n";
    let mut format = ExportFormat::default();
    format.columns = Columns::default().with("decided_at", "Close Date").unwrap();
    format.as_of = Some("2025-02-01T00:00:00Z".parse().unwrap());
    let export = read_with(csv, &format).unwrap();
    assert_eq!(export.as_of(), format.as_of.unwrap());
    assert_eq!(
        export.problems()[0].to_string(),
        "line 2: timestamp after the export date in column \"Close Date\": \"2025-03-01T00:00:00Z\""
    );
    let unreadable = warning(&export, WarningKind::UnreadableDecisionDate);
    assert_eq!(unreadable.first_lines, [3]);
    assert!(unreadable.message.contains("\"soon\""), "{unreadable}");
    assert_eq!(export.records()[0].decided_at, None);
    let early = warning(&export, WarningKind::DecisionBeforeContact);
    assert_eq!(early.first_lines, [4]);
    assert_eq!(export.records()[1].cycle_hours(), Some(0.0));
}

#[test]
fn a_written_export_with_decision_dates_reads_back_the_same() {
    let truth = segment(DecayCurve::exponential(Hours::new(24.0).unwrap()).unwrap());
    let timeline = lead_decay::calibrate::SyntheticTimeline::new(
        DelayDistribution::exponential(Hours::from_days(1.0).unwrap()).unwrap(),
        DelayDistribution::exponential(Hours::from_days(5.0).unwrap()).unwrap(),
    );
    let start = "2025-01-06T00:00:00Z".parse().unwrap();
    let (records, as_of) = lead_decay::calibrate::synthetic_export_with(&truth, 500, start, 4, &timeline).unwrap();
    let mut csv = Vec::new();
    write_export(&records, &mut csv).unwrap();
    let mut format = ExportFormat::default();
    format.as_of = Some(as_of);
    let export = Export::from_reader(csv.as_slice(), &format).unwrap();
    // The reader keeps the decision dates of contacted SQLs (those of
    // SQLs never contacted say nothing about a sales cycle).
    let dates = |r: &[lead_decay::calibrate::SqlRecord]| {
        r.iter()
            .filter(|r| r.first_contact.is_some())
            .map(|r| r.decided_at)
            .collect::<Vec<_>>()
    };
    let (read, written) = (dates(export.records()), dates(&records));
    assert!(read == written, "the decision dates differ");
    assert!(written.iter().filter(|d| d.is_some()).count() > 200);
}

// ------------------------------------------------------- when nothing is left

#[test]
fn when_every_row_is_skipped_the_report_is_printed_and_the_error_names_the_reason() {
    let dir = common::temp_dir("calibrate-all-skipped");
    let input = dir.join("us-dates.csv");
    std::fs::write(
        &input,
        "sql_at,first_contact_at,outcome\n1/6/2025 10:00,1/6/2025 12:00,won\n1/7/2025 10:00,,lost\n",
    )
    .unwrap();
    for format in ["table", "json"] {
        let out = common::run("calibrate", &["--input", input.to_str().unwrap(), "--format", format]);
        assert!(!out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.contains("unparseable"), "{format}: {stdout}");
        assert!(
            stderr.contains("all 2 rows were skipped: 2 x unparseable timestamp (lines 2, 3)"),
            "{stderr}"
        );
    }
}

// ---------------------------------------------------------------- segments

fn segment(decay: DecayCurve) -> Segment {
    Segment::builder("truth")
        .sqls(1_000)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(10_000.0).unwrap())
        .decay(decay)
        .never_followed_up(0.1)
        .delay(DelayDistribution::lognormal(Hours::new(24.0).unwrap(), 1.0).unwrap())
        .build()
        .unwrap()
}

#[test]
fn by_segment_splits_in_one_pass_and_keeps_rows_without_a_segment() {
    let start = "2025-01-01T00:00:00Z".parse().unwrap();
    let (mut records, as_of) = synthetic_export(
        &segment(DecayCurve::exponential(Hours::new(12.0).unwrap()).unwrap()),
        20_000,
        start,
        1,
    )
    .unwrap();
    // 19,999 segments of one row (an id column used as the segment) and
    // one row without a segment.
    for (i, r) in records.iter_mut().enumerate() {
        r.segment = (i > 0).then(|| format!("s{i}"));
    }
    let export = Export::from_records(records, as_of);
    let parts = export.by_segment();
    assert_eq!(parts.len(), 20_000);
    assert_eq!(parts[0].0, NO_SEGMENT);
    assert!(parts.iter().all(|(_, p)| p.records().len() == 1));
}

#[test]
fn by_segment_reports_a_segment_it_cannot_fit_and_fits_the_others() {
    let dir = common::temp_dir("calibrate-segment-fails");
    let path = dir.join("segments.csv");
    let start = "2025-01-01T00:00:00Z".parse().unwrap();
    let (mut records, _) = synthetic_export(
        &segment(DecayCurve::exponential(Hours::new(12.0).unwrap()).unwrap()),
        3_000,
        start,
        1,
    )
    .unwrap();
    for r in records.iter_mut().skip(2_700) {
        r.segment = None; // 300 rows without a segment
    }
    // A segment with only open deals cannot be fitted.
    let mut open = records[..5].to_vec();
    for r in &mut open {
        r.segment = Some("new".to_owned());
        r.outcome = lead_decay::calibrate::Outcome::Open;
        r.deal_value = None;
    }
    records.extend(open);
    write_export(&records, std::fs::File::create(&path).unwrap()).unwrap();
    let out_path = dir.join("scenario.toml");
    let out = common::run(
        "calibrate",
        &[
            "--input",
            path.to_str().unwrap(),
            "--by-segment",
            "--deal-value",
            "1000",
            "--out",
            out_path.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("=== segment new (5 rows): not fitted ==="), "{stdout}");
    let scenario = Scenario::load(&out_path).unwrap();
    let names: Vec<&str> = scenario.segments().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["truth", NO_SEGMENT]);
    assert_eq!(scenario.segments()[1].sqls(), 300);
}
