//! An auto-response at night (issue 17 item 6, "a delay floor per window"):
//! SQLs that arrive while the team is off are answered `R` calendar hours
//! after arriving, and that is their first contact: the decay is
//! `f(min(C, R))` for them, `f(C)` for the others; the SLA still measures
//! the team. Exact expectations against independent computations to 1e-9,
//! Monte Carlo within 4 standard errors (fixed seeds), and the file key.

use lead_decay::exact::business::{segment_within_sla, warm_probability_at_work};
use lead_decay::exact::warm_probability;
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::{
    Calendar, DealValue, DecayCurve, DelayDistribution, Engine, Expected, Hours, Scenario, Segment, Simulation,
};

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

fn hours(arrivals: Arrivals, delay_clock: DelayClock, sla_clock: DelayClock) -> BusinessHours {
    BusinessHours::new(Calendar::office(), arrivals, delay_clock, sla_clock).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs()
}

/// Monday to Friday 9 to 17 by hand: whether the team works at `a` (hours
/// since Monday 00:00), and the calendar time one working hour later.
fn office_open(a: f64) -> bool {
    let day = (a / 24.0).floor();
    (day as i64).rem_euclid(7) < 5 && (9.0..17.0).contains(&(a - 24.0 * day))
}

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
            t = 24.0 * (day + 1.0);
        }
    }
}

#[test]
fn a_ten_minute_night_reply_matches_a_sum_over_arrival_minutes() {
    // Linear decay over 24 h, a fixed working delay of 1 h, uniform
    // arrivals: off hours the buyer keeps 1 - (1/6)/24 of its value.
    // Every break point is on a whole minute or hour, so the midpoint sum
    // over minutes is exact for the piecewise-linear integrand.
    let decay = DecayCurve::linear(h(24.0)).unwrap();
    let minutes = 7 * 24 * 60;
    let sum: f64 = (0..minutes)
        .map(|m| {
            let a = (m as f64 + 0.5) / 60.0;
            let c = office_plus_one_hour(a) - a;
            let contact = if office_open(a) { c } else { c.min(10.0 / 60.0) };
            (1.0 - contact / 24.0).max(0.0)
        })
        .sum();
    let by_minutes = sum / minutes as f64;
    let team = hours(Arrivals::Always, DelayClock::Working, DelayClock::Working)
        .with_auto_response(Hours::from_minutes(10.0).unwrap());
    let exact = warm_probability_at_work(&decay, &DelayDistribution::fixed(h(1.0)).unwrap(), &team);
    assert!(close(exact, by_minutes), "exact {exact} vs minute sum {by_minutes}");
    let without = hours(Arrivals::Always, DelayClock::Working, DelayClock::Working);
    let before = warm_probability_at_work(&decay, &DelayDistribution::fixed(h(1.0)).unwrap(), &without);
    assert!(exact > before + 0.2, "{exact} vs {before} without the reply");
}

#[test]
fn an_instant_night_reply_keeps_every_off_hours_sql_warm() {
    // R = 0: off-hours SQLs (128 of the week's 168 hours) are warm; the
    // others are exactly the SQLs that arrive in working hours.
    let decay = DecayCurve::consumer();
    for delay in [
        DelayDistribution::exponential(h(3.0)).unwrap(),
        DelayDistribution::gamma(h(3.0), 0.5).unwrap(),
        DelayDistribution::lognormal(h(2.0), 1.2).unwrap(),
    ] {
        let instant = hours(Arrivals::Always, DelayClock::Working, DelayClock::Working).with_auto_response(h(0.0));
        let at_work = hours(Arrivals::WorkingHours, DelayClock::Working, DelayClock::Working);
        let exact = warm_probability_at_work(&decay, &delay, &instant);
        let by_parts = 40.0 / 168.0 * warm_probability_at_work(&decay, &delay, &at_work) + 128.0 / 168.0;
        assert!(close(exact, by_parts), "{delay:?}: {exact} vs {by_parts}");
    }
}

#[test]
fn a_night_reply_slower_than_every_follow_up_changes_nothing() {
    let decay = DecayCurve::consumer();
    let delay = DelayDistribution::exponential(h(2.0)).unwrap();
    let plain = hours(Arrivals::Always, DelayClock::Working, DelayClock::Working);
    let slow = plain.clone().with_auto_response(h(1e7));
    let (a, b) = (
        warm_probability_at_work(&decay, &delay, &plain),
        warm_probability_at_work(&decay, &delay, &slow),
    );
    assert!(close(b, a), "{b} vs {a}");
}

#[test]
fn a_night_reply_with_a_calendar_clock_delay_matches_the_closed_form() {
    // Exponential decay (half-life 6 h) and an exponential calendar delay
    // (mean 4 h): E[f(min(D, R))] = (1 - e^{-(λ+1/m)R}) / (m (λ+1/m)) +
    // e^{-λR} e^{-R/m}, for the 128 off hours of the week; E[f(D)] for the
    // 40 working hours.
    let (half_life, mean, r) = (6.0, 4.0, 0.5);
    let decay = DecayCurve::exponential(h(half_life)).unwrap();
    let delay = DelayDistribution::exponential(h(mean)).unwrap();
    let lambda = std::f64::consts::LN_2 / half_life;
    let k = lambda + 1.0 / mean;
    let floored = (1.0 - (-k * r).exp()) / (mean * k) + (-k * r).exp();
    let plain = 1.0 / (mean * k);
    let by_hand = 40.0 / 168.0 * plain + 128.0 / 168.0 * floored;
    let team = hours(Arrivals::Always, DelayClock::Calendar, DelayClock::Calendar).with_auto_response(h(r));
    assert!(!team.is_neutral());
    let exact = warm_probability_at_work(&decay, &delay, &team);
    assert!(close(exact, by_hand), "exact {exact} vs by hand {by_hand}");
    assert!(close(plain, warm_probability(&decay, &delay)));
}

#[test]
fn the_sla_still_measures_the_team_not_the_reply() {
    let base = segment(DelayDistribution::exponential(h(2.0)).unwrap(), Some(6.0));
    for sla_clock in [DelayClock::Working, DelayClock::Calendar] {
        let plain = hours(Arrivals::Always, DelayClock::Working, sla_clock);
        let replied = plain.clone().with_auto_response(Hours::from_minutes(5.0).unwrap());
        let (within, warm) = segment_within_sla(&base.clone().with_business_hours(Some(plain)), 6.0);
        let (within_r, warm_r) = segment_within_sla(&base.clone().with_business_hours(Some(replied)), 6.0);
        assert!(close(within_r, within), "{sla_clock:?}: {within_r} vs {within}");
        assert!(warm_r > warm && warm_r <= within_r, "{sla_clock:?}: {warm_r} vs {warm}");
    }
}

fn segment(delay: DelayDistribution, sla: Option<f64>) -> Segment {
    let mut builder = Segment::builder("consumer")
        .sqls(200)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(100.0).unwrap())
        .decay(DecayCurve::linear(h(24.0)).unwrap())
        .delay(delay);
    if let Some(sla) = sla {
        builder = builder.sla(h(sla));
    }
    builder.build().unwrap()
}

/// Mean customers and SLA share per trial against the exact expectations,
/// within 4 standard errors, in both engines.
fn monte_carlo_agrees(segment: Segment, seed: u64) {
    let scenario = Scenario::builder("auto-response").segment(segment).build().unwrap();
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
fn monte_carlo_agrees_with_the_exact_night_reply_on_the_working_clock() {
    let team = hours(Arrivals::Always, DelayClock::Working, DelayClock::Calendar)
        .with_auto_response(Hours::from_minutes(15.0).unwrap());
    let base = segment(DelayDistribution::exponential(h(2.0)).unwrap(), Some(6.0));
    monte_carlo_agrees(base.with_business_hours(Some(team)), 21);
}

#[test]
fn monte_carlo_agrees_with_the_exact_night_reply_on_the_calendar_clock() {
    let team = hours(Arrivals::Always, DelayClock::Calendar, DelayClock::Calendar).with_auto_response(h(1.0));
    let base = segment(DelayDistribution::lognormal(h(8.0), 1.0).unwrap(), Some(12.0));
    monte_carlo_agrees(base.with_business_hours(Some(team)), 22);
}

const FILE: &str = r#"
    name = "night desk"
    [calendar]
    working_days = ["mon", "tue", "wed", "thu", "fri"]
    working_hours = ["9h", "17h"]
    [[segments]]
    name = "consumer"
    sqls = 2000
    close_rate = 0.08
    deal_value = 400
    decay = "consumer"
    follow_up = { dist = "exponential", mean = "2h", clock = "working" }
    auto_response = "10m"
"#;

#[test]
fn auto_response_in_a_file_reads_writes_back_and_cuts_the_loss() {
    let scenario = Scenario::from_toml_str(FILE).unwrap();
    let hours = scenario.segments()[0].business_hours().unwrap();
    assert_eq!(hours.auto_response(), Some(Hours::from_minutes(10.0).unwrap()));
    let again = Scenario::from_toml_str(&scenario.to_toml_string()).unwrap();
    assert_eq!(again, scenario);
    let without = Scenario::from_toml_str(&FILE.replace("auto_response = \"10m\"", "")).unwrap();
    let (with, without) = (
        Expected::of(&scenario).revenue_lost,
        Expected::of(&without).revenue_lost,
    );
    assert!(with < 0.6 * without, "{with} vs {without}");
}

#[test]
fn auto_response_without_a_calendar_or_with_a_bad_duration_names_the_field() {
    let no_calendar = FILE
        .replace("[calendar]", "")
        .replace("working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "")
        .replace("working_hours = [\"9h\", \"17h\"]", "")
        .replace(", clock = \"working\"", "");
    let err = Scenario::from_toml_str(&no_calendar).unwrap_err().to_string();
    assert!(err.contains("auto_response"), "{err}");
    let negative = FILE.replace("\"10m\"", "-5");
    let err = Scenario::from_toml_str(&negative).unwrap_err().to_string();
    assert!(err.contains("auto_response"), "{err}");
}
