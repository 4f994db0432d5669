//! Issue 13's "no public item panics on any input": every public function
//! that takes a number is called with the numbers that break arithmetic
//! (NaN, the infinities, -0, the smallest subnormal, the largest finite,
//! zero and `u64::MAX`), on a range of valid models, under `catch_unwind`.
//! A constructor may refuse them (an `Err`); nothing may panic, and nothing
//! may return NaN where the documentation promises a probability or a time.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lead_decay::calendar::Calendar;
use lead_decay::capacity::DelayHistogram;
use lead_decay::exact::{CustomerDistribution, warm_probability_within};
use lead_decay::plan::binomial_at_least;
use lead_decay::statistics::{CountHistogram, ExactSum, ValueAccumulator};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Scenario, Segment};

const FLOATS: [f64; 16] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -1.0,
    -0.0,
    0.0,
    5e-324,
    1e-300,
    1e-9,
    0.5,
    1.0,
    2.0,
    1e12,
    1e300,
    f64::MAX,
    -f64::MAX,
];

const COUNTS: [u64; 6] = [0, 1, 2, 1 << 32, 1 << 53, u64::MAX];

/// Valid durations from zero to the largest finite.
fn durations() -> Vec<Hours> {
    [0.0, 5e-324, 1e-9, 1.0, 1e6, 1e12, 1e300, f64::MAX]
        .into_iter()
        .map(|x| Hours::new(x).unwrap())
        .collect()
}

/// Runs `f`, failing with `what` if it panics.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked"),
    }
}

/// Every curve the constructors accept from the extreme durations.
fn curves() -> Vec<DecayCurve> {
    let mut out = vec![];
    for d in durations() {
        out.extend(DecayCurve::step(d));
        out.extend(DecayCurve::linear(d));
        out.extend(DecayCurve::exponential(d));
        for k in FLOATS {
            out.extend(DecayCurve::weibull(d, k));
            out.extend(DecayCurve::schedule(k, d));
        }
        out.extend(DecayCurve::table(&[(d, 0.5)]));
    }
    out
}

/// Every delay the constructors accept from the extreme durations.
fn delays() -> Vec<DelayDistribution> {
    let mut out = vec![];
    for d in durations() {
        out.extend(DelayDistribution::fixed(d));
        out.extend(DelayDistribution::exponential(d));
        for x in FLOATS {
            out.extend(DelayDistribution::lognormal(d, x));
            out.extend(DelayDistribution::gamma(d, x));
        }
        for e in durations() {
            out.extend(DelayDistribution::uniform(d, e));
        }
        out.extend(DelayDistribution::empirical(&[d]));
    }
    out
}

#[test]
fn decay_curves_take_any_time_and_level_without_panicking() {
    for curve in curves() {
        for t in FLOATS {
            let f = no_panic(&format!("{curve:?}.evaluate({t})"), || curve.evaluate(t));
            assert!(t.is_nan() || (0.0..=1.0).contains(&f), "{curve:?}.evaluate({t}) = {f}");
            no_panic(&format!("{curve:?}.time_to({t})"), || curve.time_to(t));
        }
        for d in durations() {
            no_panic(&format!("{curve:?}.at({d:?})"), || curve.at(d));
            no_panic(&format!("{curve:?}.warm_probability"), || {
                curve.warm_probability(Some(d))
            });
        }
        for factor in FLOATS {
            no_panic(&format!("{curve:?}.stretched({factor})"), || {
                curve.stretched(factor).ok()
            });
        }
    }
}

#[test]
fn delays_take_any_time_and_probability_without_panicking() {
    for delay in delays() {
        for t in FLOATS {
            let p = no_panic(&format!("{delay:?}.cdf({t})"), || delay.cdf(t));
            assert!(t.is_nan() || (0.0..=1.0).contains(&p), "{delay:?}.cdf({t}) = {p}");
            no_panic(&format!("{delay:?}.quantile({t})"), || delay.quantile(t).ok());
        }
        for d in durations() {
            no_panic(&format!("{delay:?}.with_mean({d:?})"), || {
                delay.clone().with_mean(d).ok()
            });
        }
    }
}

#[test]
fn warm_probability_within_takes_any_horizon_without_panicking() {
    let curves = curves();
    let delays = delays();
    // Every pair is costly: a diagonal walk through both lists covers each
    // curve and each delay with several partners.
    let mut wrong = vec![];
    for (i, curve) in curves.iter().enumerate() {
        for delay in delays.iter().skip(i % 7).step_by(7).take(12) {
            for horizon in FLOATS {
                let p = no_panic(
                    &format!("warm_probability_within({curve:?}, {delay:?}, {horizon})"),
                    || warm_probability_within(curve, delay, horizon),
                );
                if !(0.0..=1.0).contains(&p) {
                    wrong.push(format!("{curve:?} {delay:?} {horizon}: {p}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn deal_values_and_segments_refuse_or_take_any_number_without_panicking() {
    for x in FLOATS {
        for cv in FLOATS {
            no_panic("DealValue::lognormal", || DealValue::lognormal(x, cv).ok());
            no_panic("DealValue::gamma", || DealValue::gamma(x, cv).ok());
        }
        no_panic("DealValue::fixed", || DealValue::fixed(x).ok());
        let segment = Scenario::reference().segments()[0].clone();
        no_panic("with_close_rate", || segment.clone().with_close_rate(x).ok());
        no_panic("Segment builder", || {
            Segment::builder("s")
                .sqls(40)
                .close_rate(x)
                .never_followed_up(x)
                .instant_response_share(x)
                .build()
                .ok()
        });
    }
    for n in COUNTS {
        let segment = Scenario::reference().segments()[0].clone();
        no_panic("with_sqls", || segment.clone().with_sqls(n).ok());
        no_panic("Segment builder", || {
            Segment::builder("s").sqls(n).neglected(n).build().ok()
        });
    }
}

#[test]
fn statistics_take_any_value_without_panicking() {
    let mut sum = ExactSum::default();
    let mut sketch = ValueAccumulator::new();
    let mut delays = DelayHistogram::new();
    for x in FLOATS.into_iter().filter(|x| x.is_finite()) {
        no_panic("ExactSum::add", || sum.add(x));
        no_panic("ValueAccumulator::record", || sketch.record(x));
    }
    for x in FLOATS {
        no_panic("DelayHistogram::record", || delays.record(x));
        no_panic("DelayHistogram::quantile", || delays.quantile(x));
    }
    let mut counts = CountHistogram::new();
    for n in COUNTS {
        no_panic("CountHistogram::record", || counts.record(n));
        no_panic("CountHistogram::probability_at_least", || {
            counts.probability_at_least(n)
        });
    }
}

#[test]
fn binomial_tails_and_customer_distributions_take_any_count_without_panicking() {
    for n in COUNTS {
        for k in COUNTS {
            for p in FLOATS {
                let q = no_panic(&format!("binomial_at_least({n}, {p}, {k})"), || {
                    binomial_at_least(n, p, k)
                });
                assert!((0.0..=1.0).contains(&q), "binomial_at_least({n}, {p}, {k}) = {q}");
            }
        }
    }
    let exact = CustomerDistribution::of(&Scenario::reference()).unwrap();
    for k in COUNTS {
        let p = no_panic("at_least", || exact.at_least(k));
        let q = no_panic("probability_of", || exact.probability_of(k));
        assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&q));
    }
}

#[test]
fn calendars_take_any_time_without_panicking() {
    for calendar in [Calendar::always(), Calendar::office()] {
        for t in FLOATS {
            no_panic(&format!("to_working({t})"), || calendar.to_working(t));
            no_panic(&format!("to_calendar({t})"), || calendar.to_calendar(t));
            no_panic(&format!("next_open({t})"), || calendar.next_open(t));
            no_panic(&format!("is_open({t})"), || calendar.is_open(t));
            for u in FLOATS {
                no_panic(&format!("add_working({t}, {u})"), || calendar.add_working(t, u));
                no_panic(&format!("working_hours_between({t}, {u})"), || {
                    calendar.working_hours_between(t, u)
                });
            }
        }
    }
}

#[test]
fn number_formatting_takes_any_number_of_digits_without_panicking() {
    use lead_decay::calibrate::significant;
    use lead_decay::whatif::grouped;
    for x in FLOATS {
        for digits in [i32::MIN, -1, 0, 1, 4, 17, 18, 400, i32::MAX] {
            let y = no_panic(&format!("significant({x}, {digits})"), || significant(x, digits));
            assert!(x.is_nan() == y.is_nan(), "significant({x}, {digits}) = {y}");
            if x.is_finite() && x != 0.0 {
                assert!(
                    y.is_finite() && y != 0.0 && (y / x - 1.0).abs() < 1.0,
                    "significant({x}, {digits}) = {y}"
                );
            }
        }
        for decimals in [0, 2, 1074, 1075, usize::MAX] {
            let text = no_panic(&format!("grouped({x}, {decimals})"), || grouped(x, decimals));
            assert!(text.len() < 2_000, "grouped({x}, {decimals}): {} bytes", text.len());
        }
    }
    assert_eq!(significant(5e-324, 4), 5e-324);
    assert_eq!(significant(1.234_567e-300, 3), 1.23e-300);
    assert_eq!(grouped(0.5, usize::MAX), grouped(0.5, 1074));
}
