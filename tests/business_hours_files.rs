//! Business hours in scenario files (issue 17): the top-level `[calendar]`,
//! a segment's calendar override, `arrivals`, `clock = "working"` in the
//! follow-up table and `sla_clock`; they load into the model's
//! `BusinessHours`, are written back by `to_toml_string` / `to_json_string`,
//! and bad input names the field path.

use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::{Analysis, Calendar, DelayDistribution, Expected, Hours, Scenario};

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

const WEEKEND: &str = r#"
name = "consumer weekend"
currency = "EUR"

[calendar]
working_days = ["mon", "tue", "wed", "thu", "fri"]
working_hours = ["9h", "17h"]

[[segments]]
name = "web"
sqls = 1000
close_rate = 0.1
deal_value = 300
decay = "consumer"
follow_up = { dist = "exponential", mean = "2h", clock = "working" }
sla = "4h"
sla_clock = "working"
"#;

fn loaded(text: &str) -> Scenario {
    Scenario::from_toml_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn error(text: &str) -> String {
    match Analysis::from_toml_str(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// The text with `old` replaced by `new` (which must be there).
fn with(text: &str, old: &str, new: &str) -> String {
    assert!(text.contains(old), "{old:?} not in the text");
    text.replacen(old, new, 1)
}

/// Loads back equal from its own TOML and JSON.
fn round_trips(scenario: &Scenario) {
    let toml_text = scenario.to_toml_string();
    assert_eq!(&Scenario::from_toml_str(&toml_text).unwrap(), scenario, "{toml_text}");
    let json = scenario.to_json_string();
    assert_eq!(&Scenario::from_json_str(&json).unwrap(), scenario, "{json}");
}

#[test]
fn a_working_clock_follow_up_on_the_top_level_calendar_loads_into_business_hours() {
    let scenario = loaded(WEEKEND);
    let segment = &scenario.segments()[0];
    let hours = segment.business_hours().expect("business hours");
    assert_eq!(hours.calendar(), &Calendar::office());
    assert_eq!(hours.arrivals(), &Arrivals::Always);
    assert_eq!(hours.delay_clock(), DelayClock::Working);
    assert_eq!(hours.sla_clock(), DelayClock::Working);
    assert_eq!(
        segment.follow_up().delay(),
        &DelayDistribution::exponential(h(2.0)).unwrap()
    );
    // The same segment built in code has the same expectations, bit for bit.
    let in_code = segment.clone().with_business_hours(Some(
        BusinessHours::new(
            Calendar::office(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Working,
        )
        .unwrap(),
    ));
    let scenario_in_code = Scenario::builder("consumer weekend")
        .currency("EUR")
        .segment(in_code)
        .build()
        .unwrap();
    assert_eq!(scenario, scenario_in_code);
    // The weekend costs warmth against the same delay round the clock.
    let round_the_clock = loaded(&with(WEEKEND, ", clock = \"working\"", "").replace("sla_clock = \"working\"\n", ""));
    assert!(round_the_clock.segments()[0].business_hours().is_none());
    assert!(Expected::of(&scenario).customers < 0.8 * Expected::of(&round_the_clock).customers);
    round_trips(&scenario);
}

#[test]
fn a_calendar_alone_changes_nothing_for_segments_that_do_not_ask_for_it() {
    let plain = with(
        &with(WEEKEND, ", clock = \"working\"", ""),
        "sla_clock = \"working\"\n",
        "",
    );
    let scenario = loaded(&plain);
    assert!(scenario.segments()[0].business_hours().is_none());
    let without_calendar = loaded(&with(&plain, CALENDAR, ""));
    assert_eq!(scenario, without_calendar);
    assert_eq!(scenario.to_toml_string(), without_calendar.to_toml_string());
}

#[test]
fn files_without_business_hours_are_written_as_before() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let analysis = Analysis::load(&path).unwrap();
        if analysis
            .scenario()
            .segments()
            .iter()
            .any(|s| s.business_hours().is_some())
        {
            continue;
        }
        for text in [analysis.to_toml_string(), analysis.to_json_string()] {
            for key in ["sla_clock", "\"clock\"", "clock =", "arrivals = {", "hour_of_week"] {
                assert!(!text.contains(key), "{}: {key} in\n{text}", path.display());
            }
            // A top-level calendar appears only with business hours.
            assert!(!text.contains("[calendar]") && !text.contains("\"calendar\": {\n    \"working"));
        }
    }
}

#[test]
fn a_segment_calendar_overrides_the_top_level_one() {
    let text = format!(
        "{WEEKEND}\n[[segments]]\nname = \"evening desk\"\nsqls = 200\nclose_rate = 0.1\ndeal_value = 300\n\
         decay = \"consumer\"\nfollow_up = {{ dist = \"fixed\", delay = \"1h\", clock = \"working\" }}\n\
         calendar = {{ time_zone = \"Europe/Berlin\", working_hours = [\"12h\", \"22h\"] }}\n"
    );
    let scenario = loaded(&text);
    let desk = scenario.segments()[1].business_hours().unwrap();
    assert_eq!(desk.calendar().time_zone(), "Europe/Berlin");
    assert_eq!(desk.calendar().weekly_hours(), 70.0);
    assert_eq!(
        scenario.segments()[0].business_hours().unwrap().calendar(),
        &Calendar::office()
    );
    let written = scenario.to_toml_string();
    // The first segment's calendar is written once, at the top; the
    // override stays with its segment.
    assert!(written.contains("[calendar]"), "{written}");
    assert_eq!(written.matches("Europe/Berlin").count(), 1, "{written}");
    round_trips(&scenario);
}

#[test]
fn arrivals_in_working_hours_and_an_hour_of_week_table_load_and_round_trip() {
    let working = loaded(&with(
        WEEKEND,
        "sla = \"4h\"",
        "sla = \"4h\"\narrivals = \"working-hours\"",
    ));
    assert_eq!(
        working.segments()[0].business_hours().unwrap().arrivals(),
        &Arrivals::WorkingHours
    );
    round_trips(&working);

    let mut weights = vec![1.0; 168];
    weights[4 * 24 + 16] = 5.5; // Friday 16:00-17:00
    let table = format!(
        "arrivals = {{ hour_of_week = [{}] }}",
        weights.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    );
    let weighted = loaded(&with(WEEKEND, "sla = \"4h\"", &format!("sla = \"4h\"\n{table}")));
    assert_eq!(
        weighted.segments()[0].business_hours().unwrap().arrivals(),
        &Arrivals::HourOfWeek(weights)
    );
    round_trips(&weighted);
    assert!(Expected::of(&weighted).customers != Expected::of(&loaded(WEEKEND)).customers);
}

#[test]
fn business_hours_set_in_code_are_written_back() {
    // Every combination the model allows, on a calendar with a time zone,
    // shifts that differ by day and holidays.
    let week = lead_decay::calendar::Week::office()
        .with_day(5, &[(h(9.0), h(13.0))])
        .unwrap();
    let calendar = Calendar::from_week(week)
        .unwrap()
        .with_time_zone("America/New_York")
        .unwrap()
        .with_holidays(&[jiff::civil::date(2025, 12, 25)]);
    let base = loaded(WEEKEND).segments()[0].clone().with_business_hours(None);
    for (arrivals, delay_clock, sla_clock) in [
        (Arrivals::Always, DelayClock::Calendar, DelayClock::Calendar),
        (Arrivals::WorkingHours, DelayClock::Calendar, DelayClock::Calendar),
        (Arrivals::Always, DelayClock::Working, DelayClock::Calendar),
        (Arrivals::WorkingHours, DelayClock::Working, DelayClock::Working),
        (
            Arrivals::HourOfWeek((0..168).map(f64::from).collect()),
            DelayClock::Working,
            DelayClock::Working,
        ),
    ] {
        let hours = BusinessHours::new(calendar.clone(), arrivals, delay_clock, sla_clock).unwrap();
        let segment = base.clone().with_business_hours(Some(hours));
        let scenario = Scenario::builder("in code").segment(segment.clone()).build().unwrap();
        round_trips(&scenario);
        // Alone (the serde of one segment writes its own calendar).
        let json = serde_json::to_string(&segment).unwrap();
        assert_eq!(
            serde_json::from_str::<lead_decay::Segment>(&json).unwrap(),
            segment,
            "{json}"
        );
    }
    // A working-clock delay of zero (waits for the next opening) and a
    // preset's delay on the working clock keep their clock.
    for delay in [
        DelayDistribution::fixed(h(0.0)).unwrap(),
        lead_decay::FollowUp::hbr_2011_audit().delay().clone(),
    ] {
        let hours = BusinessHours::new(
            Calendar::office(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Calendar,
        )
        .unwrap();
        let segment = lead_decay::Segment::builder("s")
            .sqls(10)
            .close_rate(0.2)
            .deal_value(lead_decay::DealValue::fixed(10.0).unwrap())
            .decay(lead_decay::DecayCurve::consumer())
            .delay(delay)
            .build()
            .unwrap()
            .with_business_hours(Some(hours));
        round_trips(&Scenario::builder("zero").segment(segment).build().unwrap());
    }
}

/// `WEEKEND`'s calendar section.
const CALENDAR: &str =
    "[calendar]\nworking_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nworking_hours = [\"9h\", \"17h\"]\n";

const SALES: &str = "\n[sales]\nreps = 2\nhorizon = \"4w\"\nhandling = { dist = \"exponential\", mean = \"30m\" }\n";

#[test]
fn sales_works_on_the_top_level_calendar_when_it_sets_no_hours() {
    let analysis = Analysis::from_toml_str(&format!("{WEEKEND}{SALES}")).unwrap();
    assert_eq!(analysis.sales().unwrap().team.hours(), &Calendar::office());
    let text = analysis.to_toml_string();
    // Written once, at the top: [sales] reads it back from there.
    let sales_section = &text[text.find("[sales]").unwrap()..];
    assert!(
        text.contains("[calendar]") && !sales_section.contains("working_"),
        "{text}"
    );
    assert_eq!(Analysis::from_toml_str(&text).unwrap(), analysis, "{text}");
    assert_eq!(Analysis::from_json_str(&analysis.to_json_string()).unwrap(), analysis);

    // [sales] hours of its own and segments on another calendar: each
    // keeps its own, with no top-level section.
    let own_segment = with(
        &with(WEEKEND, CALENDAR, ""),
        "sla_clock = \"working\"",
        "sla_clock = \"working\"\ncalendar = { working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], working_hours = [\"9h\", \"17h\"] }",
    );
    let own = format!("{own_segment}{SALES}working_days = [\"mon\", \"tue\"]\nworking_hours = [\"8h\", \"12h\"]\n");
    let analysis = Analysis::from_toml_str(&own).unwrap();
    assert_eq!(analysis.sales().unwrap().team.hours().weekly_hours(), 8.0);
    let text = analysis.to_toml_string();
    assert!(!text.contains("[calendar]"), "{text}");
    assert_eq!(Analysis::from_toml_str(&text).unwrap(), analysis, "{text}");
}

#[test]
fn a_top_level_calendar_and_sales_hours_together_are_rejected() {
    for key in [
        "working_hours = [\"8h\", \"18h\"]",
        "working_days = [\"mon\"]",
        "calendar = { working_hours = [\"8h\", \"18h\"] }",
    ] {
        let message = error(&format!("{WEEKEND}{SALES}{key}\n"));
        let field = key.split(' ').next().unwrap();
        assert!(message.starts_with(&format!("sales.{field}: ")), "{message}");
        assert!(message.contains("top-level [calendar]"), "{message}");
    }
}

#[test]
fn bad_business_hours_name_the_field() {
    let calendar = CALENDAR;
    let cases: [(String, &str); 14] = [
        // Working hours that end before they start, at the top and in a segment.
        (
            with(WEEKEND, "[\"9h\", \"17h\"]", "[\"17h\", \"9h\"]"),
            "calendar.working_hours: ",
        ),
        (
            with(
                WEEKEND,
                "sla = \"4h\"",
                "sla = \"4h\"\ncalendar = { working_hours = { mon = [\"18h\", \"8h\"] } }",
            ),
            "segments[0].calendar.working_hours.mon: ",
        ),
        // An unknown time zone.
        (
            with(WEEKEND, "[calendar]", "[calendar]\ntime_zone = \"Mars/Olympus\""),
            "calendar.time_zone: ",
        ),
        // A holiday that is not a date.
        (
            with(
                WEEKEND,
                "[calendar]",
                "[calendar]\nholidays = [\"2025-12-25\", \"Boxing Day\"]",
            ),
            "calendar.holidays[1]: ",
        ),
        // A working-time delay with a calendar that has no working hours.
        (
            with(WEEKEND, "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "[]"),
            "calendar.working_days: ",
        ),
        (
            with(
                WEEKEND,
                "sla = \"4h\"",
                "sla = \"4h\"\ncalendar = { working_hours = {} }",
            ),
            "segments[0].calendar.working_hours: ",
        ),
        // The working clock without any calendar.
        (
            with(&with(WEEKEND, calendar, ""), "sla_clock = \"working\"\n", ""),
            "segments[0].follow_up.clock: given without a calendar",
        ),
        (
            with(&with(WEEKEND, calendar, ""), ", clock = \"working\"", ""),
            "segments[0].sla_clock: given without a calendar",
        ),
        (
            with(
                &with(WEEKEND, calendar, ""),
                "sla_clock = \"working\"",
                "arrivals = \"working-hours\"",
            ),
            "segments[0].follow_up.clock: given without a calendar",
        ),
        // Unknown names.
        (
            with(WEEKEND, "clock = \"working\"", "clock = \"office\""),
            "segments[0].follow_up.clock: ",
        ),
        (
            with(WEEKEND, "sla_clock = \"working\"", "sla_clock = \"business\""),
            "segments[0].sla_clock: ",
        ),
        (
            with(WEEKEND, "sla_clock = \"working\"", "arrivals = \"nights\""),
            "segments[0].arrivals: ",
        ),
        // A working SLA needs an SLA, and a working-time delay.
        (
            with(WEEKEND, "sla = \"4h\"\n", ""),
            "segments[0].sla_clock: given without `sla`",
        ),
        (with(WEEKEND, ", clock = \"working\"", ""), "segments[0].sla_clock: "),
    ];
    for (text, start) in &cases {
        let message = error(text);
        assert!(
            message.starts_with(start),
            "expected {start:?}, got {message:?}\n{text}"
        );
    }
    // The default clock said out loud needs no calendar.
    let explicit = with(
        &with(
            &with(WEEKEND, CALENDAR, ""),
            "clock = \"working\"",
            "clock = \"calendar\"",
        ),
        "sla_clock = \"working\"",
        "sla_clock = \"calendar\"",
    );
    assert!(loaded(&explicit).segments()[0].business_hours().is_none());
    // A clock anywhere but a segment's follow-up.
    let message = error(&format!(
        "{WEEKEND}{}",
        SALES.replace("mean = \"30m\"", "mean = \"30m\", clock = \"working\"")
    ));
    assert!(message.starts_with("sales.handling.clock: "), "{message}");
    // A bad hour-of-week table.
    let message = error(&with(
        WEEKEND,
        "sla = \"4h\"",
        "sla = \"4h\"\narrivals = { hour_of_week = [1, 2, 3] }",
    ));
    assert!(message.starts_with("segments[0].arrivals.hour_of_week: "), "{message}");
    let message = error(&with(
        WEEKEND,
        "sla = \"4h\"",
        "sla = \"4h\"\narrivals = { weights = [1] }",
    ));
    assert!(message.starts_with("segments[0].arrivals.weights: "), "{message}");
}
