//! Bit-identical results for any thread count and chunking; shards merge.

use lead_decay::{DealValue, DecayCurve, DelayDistribution, Engine, Hours, Scenario, Segment, Simulation};

/// Two segments with random deal values, random neglect, delays and an SLA:
/// every accumulator of the report is exercised.
fn busy_scenario() -> Scenario {
    let inbound = Segment::builder("inbound")
        .sqls(120)
        .close_rate(0.2)
        .deal_value(DealValue::lognormal(50_000.0, 0.6).unwrap())
        .decay(DecayCurve::exponential(Hours::from_days(3.0).unwrap()).unwrap())
        .never_followed_up(0.36)
        .delay(DelayDistribution::exponential(Hours::from_days(2.0).unwrap()).unwrap())
        .sla(Hours::from_days(1.0).unwrap())
        .build()
        .unwrap();
    let industrial = Segment::builder("industrial")
        .sqls(40)
        .close_rate(0.25)
        .deal_value(DealValue::fixed(100_000.0).unwrap())
        .decay(DecayCurve::b2b_industrial())
        .neglected(5)
        .delay(DelayDistribution::gamma(Hours::from_days(4.0).unwrap(), 2.0).unwrap())
        .build()
        .unwrap();
    Scenario::builder("busy")
        .marketing_spend(2_000_000.0)
        .customer_goal(12)
        .segment(inbound)
        .segment(industrial)
        .build()
        .unwrap()
}

#[test]
fn reports_are_bit_identical_with_1_2_and_7_threads() {
    let scenario = busy_scenario();
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let run = |threads| {
            Simulation::new(&scenario)
                .trials(30_001)
                .seed(9)
                .engine(engine)
                .threads(threads)
                .run()
                .unwrap()
        };
        let one = run(1);
        assert_eq!(one, run(2), "{engine}");
        assert_eq!(one, run(7), "{engine}");
    }
}

#[test]
fn shards_merge_into_the_report_of_one_run_in_any_order() {
    let scenario = busy_scenario();
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let simulation = Simulation::new(&scenario).trials(20_000).seed(5).engine(engine);
        let whole = simulation.run().unwrap();
        let cuts = [0, 1, 777, 7_000, 13_333, 20_000];
        let shards: Vec<_> = cuts
            .windows(2)
            .map(|w| simulation.run_range(w[0]..w[1]).unwrap())
            .collect();
        for order in [[0, 1, 2, 3, 4], [4, 2, 0, 3, 1]] {
            let mut merged = simulation.empty_tally();
            for i in order {
                merged.merge(&shards[i]).unwrap();
            }
            assert_eq!(merged.trials(), 20_000);
            assert_eq!(merged.ranges(), std::slice::from_ref(&(0..20_000)));
            assert_eq!(merged.report(&scenario).unwrap(), whole, "{engine}, order {order:?}");
        }
    }
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let scenario = busy_scenario();
    let run = |seed| Simulation::new(&scenario).trials(2_000).seed(seed).run().unwrap();
    assert_eq!(run(1), run(1));
    assert_ne!(run(1).metrics.revenue, run(2).metrics.revenue);
}

#[test]
fn per_trial_outcomes_are_the_ones_the_report_summarises() {
    let scenario = busy_scenario();
    let simulation = Simulation::new(&scenario).trials(3_000).seed(77).engine(Engine::PerSql);
    let mut visited = 0;
    let tally = simulation
        .for_each_trial(0..3_000, |index, _, _| {
            assert_eq!(index, visited);
            visited += 1;
        })
        .unwrap();
    assert_eq!(visited, 3_000);
    assert_eq!(tally.report(&scenario).unwrap(), simulation.run().unwrap());
}

#[test]
fn tallies_of_another_run_or_the_same_trials_twice_do_not_merge() {
    let scenario = busy_scenario();
    let simulation = Simulation::new(&scenario).trials(1_000).seed(5).engine(Engine::PerSql);
    let mut tally = simulation.run_range(0..500).unwrap();
    // Another seed, another engine, another scenario: each refused, tally unchanged.
    let other_seed = simulation.clone().seed(6).run_range(500..1_000).unwrap();
    let other_engine = simulation
        .clone()
        .engine(Engine::Collapsed)
        .run_range(500..1_000)
        .unwrap();
    let reference = Scenario::reference();
    let other_scenario = Simulation::new(&reference)
        .seed(5)
        .engine(Engine::PerSql)
        .run_range(500..1_000)
        .unwrap();
    for other in [&other_seed, &other_engine, &other_scenario] {
        let err = tally.merge(other).unwrap_err();
        assert_eq!(err.field(), Some("tally"), "{err}");
    }
    // Overlapping trials are refused and named.
    let err = tally.merge(&simulation.run_range(400..600).unwrap()).unwrap_err();
    assert!(err.to_string().contains("trials 400..500"), "{err}");
    assert_eq!(tally.trials(), 500);
    // A tally reports only for its own scenario.
    assert_eq!(tally.report(&reference).unwrap_err().field(), Some("scenario"));
    // The right shard completes it; a gap shows in its ranges.
    tally.merge(&simulation.run_range(700..1_000).unwrap()).unwrap();
    assert_eq!(tally.ranges(), &[0..500, 700..1_000]);
}

#[test]
fn zero_trials_and_zero_threads_are_errors() {
    let scenario = Scenario::reference();
    let err = Simulation::new(&scenario).trials(0).run().unwrap_err();
    assert_eq!(err.field(), Some("trials"));
    let err = Simulation::new(&scenario).trials(10).threads(0).run().unwrap_err();
    assert_eq!(err.field(), Some("threads"));
}
