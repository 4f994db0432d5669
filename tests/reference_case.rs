//! The reference case (`lead_decay::guide::model`): 40 SQLs, close rate 25 %, deals
//! worth 100,000, 5 never followed up, B2B industrial decay, goal 10.

use lead_decay::{Engine, Report, Scenario, Simulation};

const TRIALS: u64 = 200_000;

fn run(scenario: &Scenario, engine: Engine) -> Report {
    Simulation::new(scenario)
        .trials(TRIALS)
        .seed(20_261_124)
        .engine(engine)
        .run()
        .unwrap()
}

fn nothing_neglected() -> Scenario {
    Scenario::reference()
        .map_segments(|s| s.clone().with_follow_up(lead_decay::FollowUp::immediate()))
        .unwrap()
}

#[test]
fn neglecting_five_of_forty_leaves_8_75_expected_customers() {
    let e = lead_decay::Expected::of(&Scenario::reference());
    assert_eq!(e.customers, 8.75);
    assert_eq!(e.customers_ideal, 10.0);
    assert_eq!(e.customers_lost, 1.25);
    assert_eq!(e.revenue, 875_000.0);
    assert_eq!(e.revenue_ideal, 1_000_000.0);
    assert_eq!(e.revenue_lost, 125_000.0);
    assert_eq!(e.roi, None);
    assert_eq!(e.sla_met, None);
}

#[test]
fn monte_carlo_matches_binomial_35_quarter_with_both_engines() {
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let report = run(&Scenario::reference(), engine);
        let c = report.metrics.customers;
        assert!(
            (c.mean - 8.75).abs() < 4.0 * c.std_error,
            "{engine}: mean {} se {}",
            c.mean,
            c.std_error
        );
        // Binomial(35, 0.25): sd = sqrt(35 * 0.25 * 0.75) = 2.562.
        assert!((c.std_dev - 2.5617).abs() < 0.02, "{engine}: sd {}", c.std_dev);
        assert_eq!((c.p05, c.p50, c.p95), (5.0, 9.0, 13.0), "{engine}");
        let goal = report.goal.unwrap();
        assert_eq!(goal.customers, 10);
        assert!(
            (goal.probability - 0.3737).abs() < 0.005,
            "{engine}: P(goal) {}",
            goal.probability
        );
        assert!(
            (goal.probability_ideal - 0.5605).abs() < 0.005,
            "{engine}: P(goal, ideal) {}",
            goal.probability_ideal
        );
        // Money is the count times 100,000 in every trial.
        assert_eq!(report.metrics.revenue.p50, 900_000.0);
        assert_eq!(report.metrics.revenue.mean, c.mean * 100_000.0);
        let lost = report.metrics.revenue_lost;
        assert!(
            (lost.mean - 125_000.0).abs() < 4.0 * lost.std_error,
            "{engine}: lost {}",
            lost.mean
        );
        assert!(lost.min >= 0.0);
    }
}

#[test]
fn with_nothing_neglected_the_goal_is_reached_56_percent_of_the_time() {
    for engine in [Engine::PerSql, Engine::Collapsed] {
        let report = run(&nothing_neglected(), engine);
        let goal = report.goal.unwrap();
        assert!(
            (goal.probability - 0.5605).abs() < 0.005,
            "{engine}: {}",
            goal.probability
        );
        assert_eq!(report.metrics.customers_lost.max, 0.0, "{engine}");
        assert_eq!(report.expected.customers, 10.0);
    }
}

#[test]
fn fifty_five_sqls_reach_ten_customers_with_90_percent_confidence() {
    let scenario = nothing_neglected().map_segments(|s| s.clone().with_sqls(55)).unwrap();
    let p = run(&scenario, Engine::Collapsed).goal.unwrap().probability;
    // Exact: P(Binomial(55, 0.25) >= 10) = 0.9112; 54 SQLs give 0.8969.
    assert!((p - 0.9112).abs() < 0.005, "{p}");
}
