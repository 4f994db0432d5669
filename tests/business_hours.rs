//! Business hours in the core model (issue 17 items 2-4): SQLs arrive over
//! the week, the follow-up delay runs on the team's working clock, the
//! buyer cools in calendar time. Exact expectations against independent
//! sums, Monte Carlo against the exact values within 4 standard errors
//! (fixed seeds), and the identities that keep old results unchanged.

use jiff::civil::date;
use lead_decay::exact::business::{segment_warm_probability, segment_within_sla, warm_probability_at_work};
use lead_decay::exact::warm_probability;
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::{
    Calendar, DealValue, DecayCurve, DelayDistribution, Engine, Expected, Hours, Scenario, Segment, Simulation,
};

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

fn linear_day() -> DecayCurve {
    DecayCurve::linear(h(24.0)).unwrap()
}

fn at_work(calendar: Calendar, arrivals: Arrivals) -> BusinessHours {
    BusinessHours::new(calendar, arrivals, DelayClock::Working, DelayClock::Working).unwrap()
}

/// Monday to Friday 9 to 17, written out by hand (not with `Calendar`): the
/// calendar time at which one working hour after arrival `a` (hours since
/// Monday 00:00, within the week) has elapsed.
fn office_plus_one_hour(a: f64) -> f64 {
    let mut t = a;
    let mut left = 1.0;
    loop {
        let day = (t / 24.0).floor();
        let hour = t - 24.0 * day;
        let weekday = (day as i64).rem_euclid(7);
        if weekday < 5 && (9.0..17.0).contains(&hour) {
            let room = 17.0 - hour;
            if room >= left {
                return t + left;
            }
            left -= room;
            t = 24.0 * day + 17.0;
        } else if weekday < 5 && hour < 9.0 {
            t = 24.0 * day + 9.0;
        } else {
            t = 24.0 * (day + 1.0) + 9.0 - 9.0; // next midnight
        }
    }
}

#[test]
fn hand_checkable_week_matches_a_sum_over_arrival_minutes() {
    // Every break point of C(a) and of f(C) falls on a whole hour, so the
    // midpoint sum over minutes is exact for this piecewise-linear integrand.
    let minutes = 7 * 24 * 60;
    let sum: f64 = (0..minutes)
        .map(|m| {
            let a = (m as f64 + 0.5) / 60.0;
            let c = office_plus_one_hour(a) - a;
            (1.0 - c / 24.0).max(0.0)
        })
        .sum();
    let by_minutes = sum / minutes as f64;
    let hours = at_work(Calendar::office(), Arrivals::Always);
    let exact = warm_probability_at_work(&linear_day(), &DelayDistribution::fixed(h(1.0)).unwrap(), &hours);
    assert!(
        ((exact - by_minutes) / by_minutes).abs() <= 1e-9,
        "exact {exact} vs minute sum {by_minutes}"
    );
    // The weekend costs: round the clock the same delay keeps 23/24.
    assert!(exact < 0.7 * (23.0 / 24.0), "{exact}");
}

#[test]
fn a_gamma_working_delay_with_shape_below_one_matches_an_mpmath_reference() {
    // The density of a gamma delay with shape k < 1 is infinite at 0, where
    // every arrival's first working stretch starts. References: mpmath 1.3
    // (30 digits), the inner expectation in closed form with regularised
    // incomplete gammas, the outer integral over the week by tanh-sinh
    // between every half hour (scripts/business-hours-gamma-reference.py).
    for (shape, mean, reference) in [(0.5, 2.0, 0.460_735_718_611_393_7), (0.2, 4.0, 0.429_384_694_616_602_8)] {
        let hours = at_work(Calendar::office(), Arrivals::Always);
        let delay = DelayDistribution::gamma(h(mean), shape).unwrap();
        let exact = warm_probability_at_work(&linear_day(), &delay, &hours);
        assert!(
            ((exact - reference) / reference).abs() <= 1e-9,
            "shape {shape}: exact {exact} vs mpmath {reference}"
        );
    }
}

#[test]
fn arrivals_in_working_hours_only_wait_one_hour_or_the_night() {
    // Arriving at work, a 1 h delay is 1 h, except in the last hour of a day
    // (the rest of the hour waits overnight, or over the weekend on Friday).
    let hours = at_work(Calendar::office(), Arrivals::WorkingHours);
    let exact = warm_probability_at_work(&linear_day(), &DelayDistribution::fixed(h(1.0)).unwrap(), &hours);
    // 7 of 8 hours: C = 1. Last hour Mon-Thu: arrival 16+x, C = 16 + 1 = 17 h (f = 7/24).
    // Friday's last hour: C = 65 h, f = 0.
    let expected = (7.0 / 8.0) * (23.0 / 24.0) + (1.0 / 8.0) * (4.0 / 5.0) * (7.0 / 24.0);
    assert!(((exact - expected) / expected).abs() <= 1e-9, "{exact} vs {expected}");
}

#[test]
fn an_hour_of_week_table_weights_the_arrivals() {
    // All SQLs on Saturday 10:00-11:00: answered Monday 10:00 +- 1 h => C = 47 h, f = 0.
    let mut weights = vec![0.0; 168];
    weights[5 * 24 + 10] = 3.0;
    let hours = at_work(Calendar::office(), Arrivals::HourOfWeek(weights.clone()));
    let exact = warm_probability_at_work(&linear_day(), &DelayDistribution::fixed(h(1.0)).unwrap(), &hours);
    assert_eq!(exact, 0.0);
    // Tuesday 10:00-11:00: C = 1 h exactly.
    let mut tuesday = vec![0.0; 168];
    tuesday[24 + 10] = 1.0;
    let hours = at_work(Calendar::office(), Arrivals::HourOfWeek(tuesday));
    let exact = warm_probability_at_work(&linear_day(), &DelayDistribution::fixed(h(1.0)).unwrap(), &hours);
    assert!((exact - 23.0 / 24.0).abs() <= 1e-12, "{exact}");
}

#[test]
fn round_the_clock_calendar_reproduces_calendar_time_results_exactly() {
    let base = segment(DelayDistribution::exponential(h(3.0)).unwrap(), Some(4.0));
    let always = base
        .clone()
        .with_business_hours(Some(at_work(Calendar::always(), Arrivals::Always)));
    assert_eq!(
        segment_warm_probability(&always),
        warm_probability(base.decay(), base.follow_up().delay())
    );
    let scenario = |s: &Segment| Scenario::builder("s").segment(s.clone()).build().unwrap();
    let (plain, clocked) = (scenario(&base), scenario(&always));
    assert_eq!(Expected::of(&plain), Expected::of(&clocked));
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let run = |s: &Scenario| Simulation::new(s).trials(2_000).seed(7).engine(engine).run().unwrap();
        assert_eq!(run(&plain), run(&clocked), "{engine:?}");
    }
}

fn segment(delay: DelayDistribution, sla: Option<f64>) -> Segment {
    let mut builder = Segment::builder("consumer")
        .sqls(200)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(100.0).unwrap())
        .decay(linear_day())
        .delay(delay);
    if let Some(sla) = sla {
        builder = builder.sla(h(sla));
    }
    builder.build().unwrap()
}

/// Mean customers and SLA share per trial against the exact expectations,
/// within 4 standard errors.
fn monte_carlo_agrees(segment: Segment, seed: u64) {
    let scenario = Scenario::builder("business hours").segment(segment).build().unwrap();
    let expected = Expected::of(&scenario);
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let simulation = Simulation::new(&scenario).seed(seed).engine(engine);
        let (mut n, mut sum, mut sum_sq, mut sla, mut sla_sq) = (0.0, 0.0, 0.0, 0.0, 0.0);
        simulation
            .for_each_trial(0..4_000, |_, total, _| {
                let c = total.customers as f64;
                let s = total.sla_met as f64;
                n += 1.0;
                sum += c;
                sum_sq += c * c;
                sla += s;
                sla_sq += s * s;
            })
            .unwrap();
        let check = |what: &str, sum: f64, sum_sq: f64, exact: f64| {
            let mean = sum / n;
            let se = ((sum_sq / n - mean * mean) / n).sqrt();
            assert!(
                (mean - exact).abs() <= 4.0 * se,
                "{engine:?} {what}: mean {mean} vs exact {exact} (se {se})"
            );
        };
        check("customers", sum, sum_sq, expected.customers);
        let sqls = scenario.total_sqls() as f64;
        check("sla_met", sla, sla_sq, expected.sla_met.unwrap() * sqls);
    }
}

#[test]
fn monte_carlo_agrees_with_the_exact_week_for_a_fixed_working_delay() {
    let base = segment(DelayDistribution::fixed(h(1.0)).unwrap(), Some(2.0));
    monte_carlo_agrees(
        base.with_business_hours(Some(at_work(Calendar::office(), Arrivals::Always))),
        11,
    );
}

#[test]
fn monte_carlo_agrees_with_the_exact_week_for_an_exponential_working_delay_and_calendar_sla() {
    let base = segment(DelayDistribution::exponential(h(2.0)).unwrap(), Some(6.0));
    let hours = BusinessHours::new(
        Calendar::office(),
        Arrivals::Always,
        DelayClock::Working,
        DelayClock::Calendar,
    )
    .unwrap();
    let clocked = base.with_business_hours(Some(hours));
    let (within, warm_within) = segment_within_sla(&clocked, 6.0);
    assert!(
        within > 0.0 && within < 1.0 && warm_within < within,
        "{within} {warm_within}"
    );
    monte_carlo_agrees(clocked, 12);
}

/// Calendar December 2025 in Berlin with Christmas off; March 2025 in Berlin
/// over the switch to summer time (30 March).
fn dated(start: jiff::civil::Date, end: jiff::civil::Date, holidays: &[jiff::civil::Date]) -> Calendar {
    Calendar::office()
        .with_time_zone("Europe/Berlin")
        .unwrap()
        .with_holidays(holidays)
        .with_dates(start, end)
        .unwrap()
}

/// The exact warm probability over a dated calendar against the midpoint
/// sum over arrival minutes of `f(add_working(a, 1) − a)`.
fn dated_matches_minute_sum(calendar: Calendar) -> f64 {
    let hours = at_work(calendar.clone(), Arrivals::Always);
    let window = calendar.repeating_week().unwrap().0;
    let minutes = (window * 60.0).round() as u64;
    assert_eq!(minutes as f64, window * 60.0);
    let sum: f64 = (0..minutes)
        .map(|m| {
            let a = (m as f64 + 0.5) / 60.0;
            let c = calendar.add_working(a, 1.0) - a;
            (1.0 - c / 24.0).max(0.0)
        })
        .sum();
    let by_minutes = sum / minutes as f64;
    let exact = warm_probability_at_work(&linear_day(), &DelayDistribution::fixed(h(1.0)).unwrap(), &hours);
    assert!(
        ((exact - by_minutes) / by_minutes).abs() <= 1e-9,
        "exact {exact} vs minute sum {by_minutes}"
    );
    exact
}

#[test]
fn holidays_in_the_horizon_cost_warmth() {
    let with = dated_matches_minute_sum(dated(
        date(2025, 12, 1),
        date(2025, 12, 31),
        &[date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26)],
    ));
    let without = dated_matches_minute_sum(dated(date(2025, 12, 1), date(2025, 12, 31), &[]));
    assert!(with < without, "{with} vs {without}");
}

#[test]
fn a_daylight_saving_change_in_the_horizon_is_integrated_exactly() {
    let calendar = dated(date(2025, 3, 24), date(2025, 4, 6), &[]);
    // The night of 29-30 March has 23 hours: the window is one hour short of two weeks.
    assert_eq!(calendar.repeating_week().unwrap().0, 14.0 * 24.0 - 1.0);
    dated_matches_minute_sum(calendar);
}

#[test]
fn an_hour_of_week_table_on_a_dated_calendar_weights_each_local_hour() {
    // Over the spring daylight-saving change in Berlin.
    let march = dated(date(2025, 3, 24), date(2025, 4, 6), &[]);
    let one_hour = DelayDistribution::fixed(h(1.0)).unwrap();
    // Tuesdays 10:00-11:00 local time, both weeks: answered after 1 h, C = 1 h exactly.
    let mut tuesday = vec![0.0; 168];
    tuesday[24 + 10] = 1.0;
    let exact = warm_probability_at_work(
        &linear_day(),
        &one_hour,
        &at_work(march.clone(), Arrivals::HourOfWeek(tuesday)),
    );
    assert!((exact - 23.0 / 24.0).abs() <= 1e-12, "{exact}");
    // Equal weights are equal rates per real hour: arrivals round the clock.
    let flat = at_work(march.clone(), Arrivals::HourOfWeek(vec![2.5; 168]));
    let always = at_work(march.clone(), Arrivals::Always);
    let (a, b) = (
        warm_probability_at_work(&linear_day(), &one_hour, &flat),
        warm_probability_at_work(&linear_day(), &one_hour, &always),
    );
    assert!(((a - b) / b).abs() <= 1e-9, "{a} vs {b}");
    // Monte Carlo on the dated table agrees with the exact value.
    let mut weights = vec![1.0; 168];
    weights[4 * 24 + 16] = 40.0; // Friday 16:00-17:00 busy
    let base = segment(DelayDistribution::exponential(h(2.0)).unwrap(), Some(3.0));
    monte_carlo_agrees(
        base.with_business_hours(Some(at_work(march, Arrivals::HourOfWeek(weights)))),
        12,
    );
}

#[test]
fn an_hour_of_week_table_with_no_weight_on_the_dates_is_refused() {
    // Saturday 29 March to the end of that week: Saturday and Sunday only.
    let weekend = dated(date(2025, 3, 29), date(2025, 3, 29), &[]);
    let mut monday = vec![0.0; 168];
    monday[9] = 1.0;
    let error = BusinessHours::new(
        weekend,
        Arrivals::HourOfWeek(monday),
        DelayClock::Working,
        DelayClock::Working,
    )
    .unwrap_err();
    assert_eq!(error.field(), Some("arrivals.hour_of_week"));
    assert!(error.to_string().contains("2025-03-29"), "{error}");
}

#[test]
fn a_working_time_delay_needs_working_hours() {
    let closed = Calendar::from_week(lead_decay::calendar::Week::closed());
    let error = match closed {
        Err(e) => e.to_string(),
        Ok(calendar) => BusinessHours::new(calendar, Arrivals::Always, DelayClock::Working, DelayClock::Working)
            .unwrap_err()
            .to_string(),
    };
    assert!(error.contains("working_hours"), "{error}");
}

#[test]
fn a_bad_hour_of_week_table_is_rejected_naming_the_field() {
    for weights in [vec![1.0; 24], vec![0.0; 168], {
        let mut w = vec![1.0; 168];
        w[3] = f64::NAN;
        w
    }] {
        let error = BusinessHours::new(
            Calendar::office(),
            Arrivals::HourOfWeek(weights),
            DelayClock::Working,
            DelayClock::Working,
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("arrivals.hour_of_week"), "{error}");
    }
}

#[test]
fn bad_calendar_input_names_the_field() {
    let cases = [
        (r#"working_hours = ["17h", "9h"]"#, "working_hours"),
        (r#"time_zone = "Mars/Olympus""#, "time_zone"),
        (r#"holidays = ["Christmas"]"#, "holidays"),
    ];
    for (toml_text, field) in cases {
        let spec: Result<lead_decay::calendar::CalendarSpec, _> = toml::from_str(toml_text);
        let error = match spec {
            Err(e) => e.to_string(),
            Ok(spec) => spec.into_calendar().unwrap_err().to_string(),
        };
        assert!(error.contains(field), "{toml_text}: {error}");
    }
}

#[test]
fn a_table_decay_that_stays_warm_integrates_its_flat_tail_exactly_and_fast() {
    // A table from 1 at 0 to 0.5 at 24 h, then 0.5 for ever, is 0.5 + 0.5 x
    // the linear decay over 24 h. The flat tail is now one step (it walked
    // every working day until a lognormal delay's mass ran out: 311 s for
    // one expectation in `calibrate --calendar`); the identity pins it.
    let table = DecayCurve::table(&[(h(24.0), 0.5)]).unwrap();
    let hours = at_work(Calendar::office(), Arrivals::Always);
    for delay in [
        DelayDistribution::lognormal(h(8.0), 1.2).unwrap(),
        DelayDistribution::exponential(h(3.0)).unwrap(),
    ] {
        let flat = warm_probability_at_work(&table, &delay, &hours);
        let linear = warm_probability_at_work(&linear_day(), &delay, &hours);
        let by_identity = 0.5 + 0.5 * linear;
        assert!(
            ((flat - by_identity) / by_identity).abs() <= 1e-9,
            "{delay:?}: {flat} vs {by_identity}"
        );
    }
}
