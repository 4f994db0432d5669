//! Properties that hold for every valid input: per-trial invariants of
//! common random numbers, monotone decay, more delay never helps, and
//! anything the constructors accept simulates without panicking.

use lead_decay::exact::warm_probability;
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Engine, Hours, Scenario, Segment, Simulation};
use proptest::prelude::*;

fn hours(range: std::ops::Range<f64>) -> impl Strategy<Value = Hours> {
    range.prop_map(|h| Hours::new(h).unwrap())
}

fn decay_curve() -> impl Strategy<Value = DecayCurve> {
    prop_oneof![
        hours(0.01..2_000.0).prop_map(|l| DecayCurve::step(l).unwrap()),
        hours(0.01..2_000.0).prop_map(|l| DecayCurve::linear(l).unwrap()),
        hours(0.01..2_000.0).prop_map(|h| DecayCurve::exponential(h).unwrap()),
        (hours(0.01..2_000.0), 0.1f64..5.0).prop_map(|(s, k)| DecayCurve::weibull(s, k).unwrap()),
        prop::collection::vec((0.01f64..100.0, 0.0f64..1.0), 1..6).prop_map(|steps| {
            // Increasing times, non-increasing values: cumulative sums and products.
            let (mut t, mut f) = (0.0, 1.0);
            let points: Vec<(Hours, f64)> = steps
                .into_iter()
                .map(|(dt, keep)| {
                    t += dt;
                    f *= keep;
                    (Hours::new(t).unwrap(), f)
                })
                .collect();
            DecayCurve::table(&points).unwrap()
        }),
    ]
}

fn delay_distribution() -> impl Strategy<Value = DelayDistribution> {
    prop_oneof![
        hours(0.0..500.0).prop_map(|d| DelayDistribution::fixed(d).unwrap()),
        hours(0.01..500.0).prop_map(|m| DelayDistribution::exponential(m).unwrap()),
        (hours(0.01..500.0), 0.05f64..3.0).prop_map(|(m, s)| DelayDistribution::lognormal(m, s).unwrap()),
        (hours(0.01..500.0), 0.2f64..10.0).prop_map(|(m, k)| DelayDistribution::gamma(m, k).unwrap()),
        (hours(0.0..100.0), hours(0.0..400.0)).prop_map(|(a, w)| DelayDistribution::uniform(
            a,
            Hours::new(a.get() + w.get()).unwrap()
        )
        .unwrap()),
        prop::collection::vec(hours(0.0..500.0), 1..8).prop_map(|s| DelayDistribution::empirical(&s).unwrap()),
    ]
}

fn deal_value() -> impl Strategy<Value = DealValue> {
    prop_oneof![
        (0.0f64..1e6).prop_map(|v| DealValue::fixed(v).unwrap()),
        (1.0f64..1e6, 0.01f64..3.0).prop_map(|(m, cv)| DealValue::lognormal(m, cv).unwrap()),
        (1.0f64..1e6, 0.01f64..3.0).prop_map(|(m, cv)| DealValue::gamma(m, cv).unwrap()),
    ]
}

prop_compose! {
    fn segment()(sqls in 1u64..60, close_rate in 0.0f64..=1.0, value in deal_value(), decay in decay_curve(),
                 delay in delay_distribution(), neglect in 0u8..3, share in 0.0f64..=1.0,
                 sla in prop::option::of(hours(0.0..200.0))) -> Segment {
        let mut builder = Segment::builder("s").sqls(sqls).close_rate(close_rate).deal_value(value).decay(decay).delay(delay);
        builder = match neglect {
            0 => builder,
            1 => builder.neglected((share * sqls as f64) as u64),
            _ => builder.never_followed_up(share),
        };
        if let Some(sla) = sla {
            builder = builder.sla(sla);
        }
        builder.build().unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_valid_curve_is_non_increasing_from_one_to_zero(curve in decay_curve(), ts in prop::collection::vec(0.0f64..5_000.0, 2..20)) {
        let mut ts = ts;
        ts.sort_by(f64::total_cmp);
        prop_assert_eq!(curve.evaluate(0.0), 1.0);
        prop_assert_eq!(curve.warm_probability(None), 0.0);
        for pair in ts.windows(2) {
            let (a, b) = (curve.evaluate(pair[0]), curve.evaluate(pair[1]));
            prop_assert!((0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
            prop_assert!(b <= a, "f({}) = {} > f({}) = {}", pair[1], b, pair[0], a);
        }
    }

    #[test]
    fn every_trial_keeps_customers_within_the_ideal_and_losses_non_negative(segment in segment(), seed in any::<u64>()) {
        let scenario = Scenario::builder("p").marketing_spend(1e5).customer_goal(3).segment(segment).build().unwrap();
        for engine in [Engine::PerSql, Engine::Collapsed] {
            let simulation = Simulation::new(&scenario).seed(seed).engine(engine);
            simulation.for_each_trial(0..50, |_, t, _| {
                assert!(t.customers <= t.customers_ideal());
                assert!(t.revenue_lost >= 0.0 && t.revenue >= 0.0);
                assert!(t.revenue <= t.revenue_ideal());
                assert!(t.customers_ideal() <= scenario.total_sqls());
                assert!(t.sla_met <= scenario.total_sqls());
            }).unwrap();
            let report = simulation.trials(50).run().unwrap();
            prop_assert!(report.metrics.customers_lost.min >= 0.0);
            prop_assert!(report.metrics.revenue_lost.min >= 0.0);
            prop_assert!(report.expected.customers <= report.expected.customers_ideal * (1.0 + 1e-12));
        }
    }

    #[test]
    fn more_delay_never_raises_expected_customers(curve in decay_curve(), delay in hours(0.0..500.0), extra in hours(0.0..500.0),
                                                  mean in hours(0.01..500.0), factor in 1.0f64..5.0) {
        let fixed = |d: f64| warm_probability(&curve, &DelayDistribution::fixed(Hours::new(d).unwrap()).unwrap());
        prop_assert!(fixed(delay.get() + extra.get()) <= fixed(delay.get()) + 1e-12);
        let exp = |m: f64| warm_probability(&curve, &DelayDistribution::exponential(Hours::new(m).unwrap()).unwrap());
        prop_assert!(exp(mean.get() * factor) <= exp(mean.get()) + 1e-9);
        let lognormal = |m: f64| warm_probability(&curve, &DelayDistribution::lognormal(Hours::new(m).unwrap(), 1.0).unwrap());
        prop_assert!(lognormal(mean.get() * factor) <= lognormal(mean.get()) + 1e-9);
    }
}
