//! Calibration on both clocks (issue 17, item 5): an export drawn with a
//! delay on the team's working clock is fitted on that clock and recovers
//! its truth; one drawn on the calendar clock stays there; the `calibrate`
//! example does the same with `--calendar`.
//!
//! Tolerances: each recovered parameter within 4 of its standard errors
//! (the fit's own, from the observed information), at fixed seeds.

mod common;

use jiff::Timestamp;
use lead_decay::calibrate::{Calibration, ClockFit, Export, synthetic_export, write_export};
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Expected, Hours, Segment};

const ROWS: usize = 10_000;

fn start() -> Timestamp {
    "2024-01-01T00:00:00Z".parse().unwrap()
}

/// The truth: 10 % never followed up, the rest answered an exponential
/// 3 working hours (mean) after arrival by a team working `calendar`.
fn truth(calendar: Option<&Calendar>) -> Segment {
    let segment = Segment::builder("web")
        .sqls(ROWS as u64)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(1_000.0).unwrap())
        .decay(DecayCurve::exponential(Hours::new(48.0).unwrap()).unwrap())
        .never_followed_up(0.1)
        .delay(DelayDistribution::exponential(Hours::new(3.0).unwrap()).unwrap())
        .build()
        .unwrap();
    segment.with_business_hours(
        calendar.map(|c| {
            BusinessHours::new(c.clone(), Arrivals::Always, DelayClock::Working, DelayClock::Calendar).unwrap()
        }),
    )
}

fn berlin_office() -> Calendar {
    Calendar::office().with_time_zone("Europe/Berlin").unwrap()
}

fn within_4_se(name: &str, estimate: &lead_decay::calibrate::Estimate, truth: f64) {
    assert!(
        (estimate.value - truth).abs() < 4.0 * estimate.std_error,
        "{name}: {} +- {} against {truth}",
        estimate.value,
        estimate.std_error
    );
}

#[test]
fn an_export_drawn_on_the_working_clock_is_fitted_on_it_and_recovers_the_truth() {
    // A team in Berlin (UTC+1 in winter): its 9-17 is 8-16 in the UTC export.
    let office = berlin_office();
    let truth = truth(Some(&office));
    let (records, as_of) = synthetic_export(&truth, ROWS, start(), 17).unwrap();
    let calibration = Calibration::fit_with_calendar(&Export::from_records(records, as_of), &office).unwrap();
    let clock = calibration.clock.as_ref().unwrap();
    assert_eq!(clock.chosen, DelayClock::Working);
    assert_eq!(clock.contacts_outside_hours, 0);
    assert!(clock.working_log_likelihood > clock.calendar_log_likelihood);

    let exponential = clock.working.fits.iter().find(|f| f.family == "exponential").unwrap();
    within_4_se("mean working delay", &exponential.parameters[0], 3.0);
    within_4_se("never followed up", &exponential.never_followed_up, 0.1);

    // The fitted segment runs on the working clock with the fitted arrivals,
    // and its exact loss is the truth's within the sampling error of a
    // 10,000-row fit (close rate +- 4 SE is about +-3.5 %; the curve and
    // delay add less).
    let segment = calibration.segment("web", ROWS as u64).unwrap();
    let hours = segment.business_hours().unwrap();
    assert_eq!(hours.delay_clock(), DelayClock::Working);
    assert!(matches!(hours.arrivals(), Arrivals::HourOfWeek(w) if w.len() == 168));
    let fitted = Expected::of_segment(&segment).customers;
    let expected = Expected::of_segment(&truth).customers;
    assert!((fitted / expected - 1.0).abs() < 0.05, "{fitted} against {expected}");
}

#[test]
fn an_export_drawn_on_the_calendar_clock_stays_on_the_calendar_clock() {
    let office = berlin_office();
    let (records, as_of) = synthetic_export(&truth(None), ROWS, start(), 18).unwrap();
    let calibration = Calibration::fit_with_calendar(&Export::from_records(records, as_of), &office).unwrap();
    let clock = calibration.clock.as_ref().unwrap();
    assert_eq!(clock.chosen, DelayClock::Calendar);
    // Three quarters of the week is out of hours, and so are most contacts.
    assert!(clock.contacts_outside_hours * 2 > clock.contacts, "{clock:?}");
    assert!(calibration.segment("web", 100).unwrap().business_hours().is_none());
    let exponential = calibration
        .follow_up
        .fits
        .iter()
        .find(|f| f.family == "exponential")
        .unwrap();
    within_4_se("mean calendar delay", &exponential.parameters[0], 3.0);
    assert!(clock.report().contains("outside working hours"), "{}", clock.report());
}

#[test]
fn a_forced_clock_is_used_and_said_so() {
    let office = Calendar::office();
    let (records, as_of) = synthetic_export(&truth(Some(&office)), 2_000, start(), 19).unwrap();
    let export = Export::from_records(records, as_of);
    let calibration = Calibration::fit(&export).unwrap();
    let clock = ClockFit::fit(&export, &office, &calibration.follow_up)
        .unwrap()
        .with_chosen(DelayClock::Calendar);
    let calibration = calibration.with_clock(clock).unwrap();
    assert!(calibration.segment("web", 100).unwrap().business_hours().is_none());
    let report = calibration.clock.as_ref().unwrap().report();
    assert!(report.contains("calendar clock (as asked)"), "{report}");
    // A calendar without working hours cannot be a team's clock.
    let never = Calendar::from_toml_str("[calendar]\nworking_days = []\nworking_hours = [\"9h\", \"17h\"]");
    assert!(never.is_err());
}

#[test]
fn the_calibrate_example_fits_on_the_team_clock_from_a_calendar_file() {
    let dir = common::temp_dir("calibrate-clock");
    let office = berlin_office();
    let (records, _) = synthetic_export(&truth(Some(&office)), 5_000, start(), 20).unwrap();
    let input = dir.join("export.csv");
    write_export(&records, std::fs::File::create(&input).unwrap()).unwrap();
    let team = dir.join("team.toml");
    std::fs::write(
        &team,
        "name = \"any\"\n[calendar]\ntime_zone = \"Europe/Berlin\"\n\
         working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nworking_hours = [\"9h\", \"17h\"]\n",
    )
    .unwrap();
    let (input, team) = (input.to_str().unwrap(), team.to_str().unwrap());

    let out = common::run("calibrate", &["--input", input, "--calendar", team, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["calibration"]["clock"]["chosen"], "working");
    let scenario = lead_decay::Scenario::from_toml_str(json["scenario"].as_str().unwrap()).unwrap();
    let hours = scenario.segments()[0].business_hours().unwrap();
    assert_eq!(hours.delay_clock(), DelayClock::Working);
    assert_eq!(hours.calendar(), &office);

    let table = common::run("calibrate", &["--input", input, "--calendar", team]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("counts the delay on the working clock (it fits better"),
        "{text}"
    );

    let forced = common::run(
        "calibrate",
        &[
            "--input",
            input,
            "--calendar",
            team,
            "--delay-clock",
            "calendar",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(json["calibration"]["clock"]["chosen"], "calendar");

    // A file without [calendar] names the file and the section.
    let out = common::run("calibrate", &["--input", input, "--calendar", input]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--calendar") && err.contains("calendar"), "{err}");
}

#[test]
fn an_export_where_every_sql_was_followed_up_is_fitted_on_the_working_clock() {
    // Nobody neglected: every contacted SQL has a delay, and the neglect
    // estimate is 0 on both clocks.
    let office = berlin_office();
    let everyone = Segment::builder("web")
        .sqls(2_000)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(1_000.0).unwrap())
        .decay(DecayCurve::exponential(Hours::new(48.0).unwrap()).unwrap())
        .delay(DelayDistribution::exponential(Hours::new(3.0).unwrap()).unwrap())
        .build()
        .unwrap()
        .with_business_hours(Some(
            BusinessHours::new(
                office.clone(),
                Arrivals::Always,
                DelayClock::Working,
                DelayClock::Calendar,
            )
            .unwrap(),
        ));
    let (records, as_of) = synthetic_export(&everyone, 2_000, start(), 23).unwrap();
    let calibration = Calibration::fit_with_calendar(&Export::from_records(records, as_of), &office).unwrap();
    let clock = calibration.clock.as_ref().unwrap();
    assert_eq!(clock.chosen, DelayClock::Working);
    let exponential = clock.working.fits.iter().find(|f| f.family == "exponential").unwrap();
    within_4_se("mean working delay", &exponential.parameters[0], 3.0);
    assert!(
        exponential.never_followed_up.value < 0.01,
        "{:?}",
        exponential.never_followed_up
    );
}
