//! Specifications of the working clock: hand-checkable maps, the identity
//! round the clock, holidays, daylight saving, round trips, monotonicity and
//! bad input.

use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

const DAY: f64 = 24.0;

/// Monday to Friday 9-17 plus Saturday 9-13.
fn with_saturday_morning() -> Calendar {
    Calendar::from_week(Week::office().with_day(5, &[(h(9.0), h(13.0))]).unwrap()).unwrap()
}

/// Monday to Friday 8-12 and 13-17.
fn split_days() -> Calendar {
    let mut week = Week::closed();
    for d in 0..5 {
        week = week.with_day(d, &[(h(8.0), h(12.0)), (h(13.0), h(17.0))]).unwrap();
    }
    Calendar::from_week(week).unwrap()
}

#[test]
fn friday_4pm_plus_two_working_hours_is_monday_10am() {
    let office = Calendar::office();
    let friday_4pm = 4.0 * DAY + 16.0;
    assert_eq!(office.add_working(friday_4pm, 2.0), 7.0 * DAY + 10.0);
    assert_eq!(office.working_hours_between(friday_4pm, 7.0 * DAY + 10.0), 2.0);
    assert_eq!(office.to_working(DAY + 17.0), 16.0);
    assert_eq!(office.to_calendar(8.0), DAY + 9.0); // the end of Monday is Tuesday's opening
    assert_eq!(office.to_working(WEEK_HOURS), 40.0);
    assert_eq!(office.next_open(4.0 * DAY + 18.0), WEEK_HOURS + 9.0);
    assert!(office.is_open(9.0) && !office.is_open(17.0) && !office.is_open(5.0 * DAY + 10.0));
}

#[test]
fn saturday_morning_shift_takes_friday_evening_work() {
    let team = with_saturday_morning();
    assert_eq!(team.weekly_hours(), 44.0);
    // Friday 16:00 + 2 h: one hour on Friday, one on Saturday from 9:00.
    assert_eq!(team.add_working(4.0 * DAY + 16.0, 2.0), 5.0 * DAY + 10.0);
    // Saturday 12:00 + 2 h: one hour on Saturday, one on Monday.
    assert_eq!(team.add_working(5.0 * DAY + 12.0, 2.0), WEEK_HOURS + 10.0);
    assert_eq!(team.next_open(5.0 * DAY + 13.0), WEEK_HOURS + 9.0);
    assert_eq!(team.mean_daily_hours(), 44.0 / 6.0);
}

#[test]
fn split_day_pauses_over_lunch() {
    let team = split_days();
    assert_eq!(team.weekly_hours(), 40.0);
    assert_eq!(team.mean_daily_hours(), 8.0);
    // Monday 11:00 + 2 h: 11-12, then 13-14.
    assert_eq!(team.add_working(11.0, 2.0), 14.0);
    assert_eq!(team.next_open(12.5), 13.0);
    assert!(!team.is_open(12.0) && team.is_open(13.0));
    assert_eq!(team.to_working(12.5), 4.0);
    assert_eq!(team.to_calendar(4.0), 13.0);
    assert_eq!(team.open_intervals(), &[]);
    let (from, week) = team.repeating_week().unwrap();
    assert_eq!((from, week.len()), (0.0, 10));
    assert_eq!((week[1].start, week[1].end, week[1].working_before), (13.0, 17.0, 4.0));
}

#[test]
fn round_the_clock_is_the_identity_bit_for_bit() {
    let always = Calendar::always();
    assert!(always.is_always());
    assert!(Calendar::from_week(Week::round_the_clock()).unwrap().is_always());
    // Dates and a daylight-saving zone do not change a 24/7 clock.
    let dated = Calendar::always()
        .with_time_zone("Europe/Berlin")
        .unwrap()
        .with_dates(date(2025, 3, 1), date(2025, 4, 30))
        .unwrap();
    for t in [0.0, 1e-300, 0.1, 7.3, 1_234.567_891, 1e9 + 0.3, f64::MIN_POSITIVE] {
        for c in [&always, &dated] {
            assert_eq!(c.to_working(t).to_bits(), t.to_bits());
            assert_eq!(c.to_calendar(t).to_bits(), t.to_bits());
            assert_eq!(c.next_open(t).to_bits(), t.to_bits());
            assert_eq!(c.add_working(t, 0.7).to_bits(), (t + 0.7).to_bits());
        }
    }
    assert_eq!(always.weekly_hours(), WEEK_HOURS);
    assert_eq!(Calendar::default(), always);
}

#[test]
fn holidays_skip_days_on_a_dated_calendar_only() {
    // 2025-12-22 is a Monday; Christmas Thursday and Friday.
    let christmas = [date(2025, 12, 25), date(2025, 12, 26)];
    let dated = Calendar::office()
        .with_holidays(&christmas)
        .with_dates(date(2025, 12, 22), date(2025, 12, 31))
        .unwrap();
    // Wednesday 24th, 16:00 + 2 h: one hour, then Monday 29th 10:00.
    assert_eq!(dated.add_working(2.0 * DAY + 16.0, 2.0), 7.0 * DAY + 10.0);
    assert_eq!(dated.to_working(7.0 * DAY), 24.0);
    assert_eq!(dated.open_intervals().len(), 3 + 5); // Jan 1 is not listed
    // The repeating week takes over after Sunday 4 January.
    let (from, _) = dated.repeating_week().unwrap();
    assert_eq!(from, 14.0 * DAY);
    assert_eq!(dated.add_working(from - 1.0, 1.0), from + 10.0);
    // Without dates, holidays do not move the clock.
    let weekly = Calendar::office().with_holidays(&christmas);
    assert_eq!(weekly.add_working(2.0 * DAY + 16.0, 2.0), 3.0 * DAY + 10.0);
    assert_eq!(weekly.business_days(date(2025, 12, 22), date(2025, 12, 31)), 8 - 2);
}

#[test]
fn a_weekend_holiday_on_a_24_7_calendar_closes_that_day() {
    let c = Calendar::always()
        .with_holidays(&[date(2025, 1, 5)])
        .with_dates(date(2025, 1, 1), date(2025, 1, 31))
        .unwrap();
    assert!(!c.is_always());
    assert_eq!(c.to_working(5.0 * DAY), 4.0 * DAY);
    assert_eq!(c.next_open(4.0 * DAY + 3.0), 5.0 * DAY);
    assert_eq!(c.to_calendar(4.0 * DAY), 5.0 * DAY);
}

#[test]
fn daylight_saving_shortens_and_lengthens_nights_not_shifts() {
    // Every day 9-17 in Berlin, over both 2025 changes (Sundays 30 March and
    // 26 October); time 0 is Monday 24 March 00:00 (+01:00).
    let berlin = |start, end| {
        Calendar::weekly(&[0, 1, 2, 3, 4, 5, 6], h(9.0), h(17.0))
            .unwrap()
            .with_time_zone("Europe/Berlin")
            .unwrap()
            .with_dates(start, end)
            .unwrap()
    };
    let spring = berlin(date(2025, 3, 24), date(2025, 4, 6));
    let saturday_9 = 5.0 * DAY + 9.0;
    // Clocks went forward at 02:00 on Sunday: one hour fewer since the origin.
    let sunday_9 = 6.0 * DAY + 9.0 - 1.0;
    let monday_9 = 7.0 * DAY + 9.0 - 1.0;
    assert_eq!(spring.next_open(6.0 * DAY), sunday_9);
    assert_eq!(sunday_9 - saturday_9, 23.0);
    assert_eq!(monday_9 - sunday_9, 24.0);
    // Each day still works 8 hours.
    assert_eq!(spring.add_working(saturday_9, 8.0), sunday_9);
    assert_eq!(spring.add_working(sunday_9, 8.0), monday_9);
    assert_eq!(spring.working_hours_between(sunday_9, sunday_9 + 8.0), 8.0);
    assert_eq!(spring.to_working(monday_9), 7.0 * 8.0);
    assert_eq!(spring.weekly_hours(), 56.0);

    // Clocks went back at 03:00 on Sunday 26 October: one hour more.
    let autumn = berlin(date(2025, 10, 20), date(2025, 11, 2));
    let sunday_9 = 6.0 * DAY + 9.0 + 1.0;
    let monday_9 = 7.0 * DAY + 9.0 + 1.0;
    assert_eq!(autumn.next_open(6.0 * DAY), sunday_9);
    assert_eq!(sunday_9 - saturday_9, 25.0);
    assert_eq!(autumn.working_hours_between(saturday_9, sunday_9), 8.0);
    assert_eq!(autumn.add_working(sunday_9, 8.0), monday_9);
    assert_eq!(autumn.add_working(sunday_9 + 7.0, 2.0), monday_9 + 1.0);
}

#[test]
fn a_shift_in_the_skipped_hour_starts_an_hour_later_by_the_clock() {
    let night = Calendar::from_week(Week::closed().with_day(6, &[(h(2.0), h(2.5))]).unwrap())
        .unwrap()
        .with_time_zone("Europe/Berlin")
        .unwrap()
        .with_dates(date(2025, 3, 24), date(2025, 4, 6))
        .unwrap();
    // Sunday 30 March 02:00-02:30 does not exist: read as 03:00-03:30
    // summer time (jiff's "compatible" rule), 146 h after the origin; the
    // next Sunday's shift is 313 h after it.
    let intervals = night.open_intervals();
    assert_eq!(intervals.len(), 2);
    assert_eq!(
        (intervals[0].start, intervals[0].end),
        (6.0 * DAY + 2.0, 6.0 * DAY + 2.5)
    );
    assert_eq!(
        (intervals[1].start, intervals[1].working_before),
        (13.0 * DAY + 2.0 - 1.0, 0.5)
    );
}

#[test]
fn business_days_come_from_the_week_and_the_holidays() {
    let office = Calendar::office();
    assert_eq!(office.business_days_in_month(2021, 3).unwrap(), 23);
    assert_eq!(office.business_days_in_month(2021, 2).unwrap(), 20);
    assert_eq!(
        office
            .clone()
            .with_holidays(&[date(2025, 7, 4)])
            .business_days_in_month(2025, 7)
            .unwrap(),
        22
    );
    // A six-day week: March 2021 has 4 Sundays of 31 days.
    assert_eq!(with_saturday_morning().business_days_in_month(2021, 3).unwrap(), 27);
    assert_eq!(
        Calendar::always().business_days(date(2024, 1, 1), date(2024, 12, 31)),
        366
    );
    assert_eq!(office.business_days(date(2024, 1, 2), date(2024, 1, 1)), 0);
    assert!(!office.is_business_day(date(2025, 12, 27)));
    assert_eq!(
        office.business_days_in_month(2021, 13).unwrap_err().field(),
        Some("month")
    );
    assert_eq!(
        office.business_days_in_month(i16::MAX, 1).unwrap_err().field(),
        Some("year")
    );
}

#[test]
fn bad_calendars_name_their_field() {
    assert_eq!(
        Calendar::weekly(&[0], h(17.0), h(9.0)).unwrap_err().field(),
        Some("working_hours")
    );
    assert_eq!(
        Calendar::from_week(Week::closed()).unwrap_err().field(),
        Some("working_hours")
    );
    let err = Calendar::office().with_time_zone("Mars/Olympus_Mons").unwrap_err();
    assert_eq!(err.field(), Some("time_zone"));
    assert_eq!(
        Calendar::office()
            .with_dates(date(2025, 2, 1), date(2025, 1, 1))
            .unwrap_err()
            .field(),
        Some("end")
    );
    assert_eq!(
        Calendar::office()
            .with_dates(date(1900, 1, 1), date(2025, 1, 1))
            .unwrap_err()
            .field(),
        Some("end")
    );
    assert_eq!(
        Calendar::office()
            .with_dates(date(9999, 1, 1), date(9999, 12, 30))
            .unwrap_err()
            .field(),
        Some("end")
    );
}

fn spec(text: &str) -> Result<Calendar> {
    toml::from_str::<CalendarSpec>(text)
        .map_err(|e| Error::Parse {
            field: String::new(),
            message: e.to_string(),
        })?
        .into_calendar()
}

#[test]
fn calendar_sections_read_every_key() {
    let c = spec(
        r#"
        time_zone = "Europe/Berlin"
        working_hours = { mon = ["9h", "17h"], wed = [["8h", "12h"], ["14h", "18h"]], sat = ["9h", "13h"] }
        holidays = ["2025-12-25"]
        start = "2025-12-01"
        end = "2025-12-31"
        "#,
    )
    .unwrap();
    assert_eq!(c.weekly_hours(), 20.0);
    assert_eq!(c.week().day(2), &[(8.0, 12.0), (14.0, 18.0)]);
    assert_eq!(c.dates(), Some((date(2025, 12, 1), date(2025, 12, 31))));
    assert_eq!(c.holidays(), &[date(2025, 12, 25)]);
    assert!(spec("").unwrap().is_always());
    assert_eq!(spec(r#"working_days = ["mon", "fri"]"#).unwrap().weekly_hours(), 48.0);
    assert_eq!(
        spec(
            r#"working_days = ["mon"]
                working_hours = [["8h", "12h"], ["13h", "15h"]]"#
        )
        .unwrap()
        .weekly_hours(),
        6.0
    );
}

#[test]
fn bad_calendar_sections_name_the_field() {
    let field = |text: &str| spec(text).unwrap_err().field().map(str::to_owned);
    assert_eq!(
        field(r#"working_hours = ["17h", "9h"]"#).as_deref(),
        Some("working_hours")
    );
    assert_eq!(
        field(r#"working_hours = [["8h", "12h"], ["13h", "11h"]]"#).as_deref(),
        Some("working_hours[1]")
    );
    assert_eq!(
        field(r#"working_hours = { sat = ["13h", "9h"] }"#).as_deref(),
        Some("working_hours.sat")
    );
    assert_eq!(
        field(r#"working_hours = { caturday = ["9h", "13h"] }"#).as_deref(),
        Some("working_hours.caturday")
    );
    assert_eq!(field(r#"working_days = []"#).as_deref(), Some("working_days"));
    assert_eq!(
        field(r#"working_days = ["mon", "funday"]"#).as_deref(),
        Some("working_days[1]")
    );
    assert_eq!(
        field(
            r#"working_days = ["mon"]
                 working_hours = { tue = ["9h", "17h"] }"#
        )
        .as_deref(),
        Some("working_days")
    );
    assert_eq!(field(r#"working_hours = {}"#).as_deref(), Some("working_hours"));
    assert_eq!(field(r#"time_zone = "Europe/Atlantis""#).as_deref(), Some("time_zone"));
    let err = spec(r#"holidays = ["2025-12-25", "Christmas"]"#).unwrap_err();
    assert_eq!(err.field(), Some("holidays[1]"));
    assert!(err.to_string().contains("\"Christmas\""), "{err}");
    assert_eq!(field(r#"holidays = ["2025-02-30"]"#).as_deref(), Some("holidays[0]"));
    assert_eq!(field(r#"start = "2025-01-01""#).as_deref(), Some("end"));
    assert_eq!(
        field(
            r#"start = "2025-01-01"
                 end = "soon""#
        )
        .as_deref(),
        Some("end")
    );
    assert!(toml::from_str::<CalendarSpec>("timezone = \"UTC\"").is_err());
}

#[test]
fn calendars_round_trip_through_their_section() {
    let calendars = [
        Calendar::always(),
        Calendar::office(),
        with_saturday_morning(),
        split_days(),
        with_saturday_morning()
            .with_time_zone("America/New_York")
            .unwrap()
            .with_holidays(&[date(2025, 7, 4), date(2025, 1, 1)])
            .with_dates(date(2025, 1, 1), date(2025, 12, 31))
            .unwrap(),
        Calendar::weekly(&[0, 2, 4], h(8.25), h(16.0 + 1.0 / 3.0)).unwrap(),
    ];
    for c in calendars {
        let text = toml::to_string(&c).unwrap();
        let back: Calendar = toml::from_str(&text).unwrap();
        assert_eq!(back, c, "{text}");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), c, "{json}");
        assert_eq!(CalendarSpec::from_calendar(&c).into_calendar().unwrap(), c);
    }
}

fn calendars() -> Vec<Calendar> {
    vec![
        Calendar::office(),
        with_saturday_morning(),
        split_days(),
        Calendar::office()
            .with_time_zone("Europe/Berlin")
            .unwrap()
            .with_holidays(&[date(2025, 3, 28), date(2025, 10, 27)])
            .with_dates(date(2025, 3, 1), date(2025, 11, 30))
            .unwrap(),
        Calendar::weekly(&[0, 1, 2, 3, 4, 5, 6], h(1.5), h(22.75))
            .unwrap()
            .with_time_zone("America/Sao_Paulo")
            .unwrap()
            .with_dates(date(2018, 10, 1), date(2019, 3, 31))
            .unwrap(),
    ]
}

proptest! {
    #[test]
    fn the_working_clock_is_monotone_and_round_trips(a in 0.0..20_000.0f64, b in 0.0..20_000.0f64) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        for c in calendars() {
            let (wa, wb) = (c.to_working(a), c.to_working(b));
            prop_assert!(wa <= wb);
            prop_assert!(c.to_calendar(wa) <= c.to_calendar(wb));
            prop_assert!(c.next_open(a) >= a);
            prop_assert!(c.is_open(c.next_open(a)));
            // At work, the round trip is the identity (to rounding); outside
            // it, it is the next opening.
            let back = c.to_calendar(wa);
            let expected = c.next_open(a);
            prop_assert!((back - expected).abs() <= 1e-9 * expected.max(1.0), "{back} {expected}");
            // The inverse lands exactly on the working time asked for.
            prop_assert!((c.to_working(c.to_calendar(wa)) - wa).abs() <= 1e-9 * wa.max(1.0));
            prop_assert!(c.working_hours_between(a, b) >= 0.0);
            prop_assert!(c.working_hours_between(a, b) <= b - a + 1e-9);
        }
    }
}
