//! The exact chance of a customer goal (issue 19): the customers of a trial
//! are a sum of independent binomials, so `P(customers >= goal)` is exact;
//! Monte Carlo agrees within 5 standard errors (fixed seeds), with both
//! engines, several segments and business hours; and without an exact value
//! (uncertain inputs) the report carries the estimate and says why.

use lead_decay::exact::{CustomerDistribution, NotExact};
use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
use lead_decay::whatif::Knob;
use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Engine, Hours, Scenario, Segment, Simulation};

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

fn gallery(file: &str) -> Scenario {
    Scenario::load(format!("{}/examples/scenarios/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The report's exact goal chance against its own Monte Carlo share.
fn agrees(scenario: &Scenario, engine: Engine, trials: u64) {
    let report = Simulation::new(scenario)
        .trials(trials)
        .seed(11)
        .engine(engine)
        .run()
        .unwrap();
    let goal = report.goal.unwrap();
    let exact = goal
        .exact
        .unwrap_or_else(|| panic!("{}: {:?}", scenario.name(), goal.not_exact));
    for (estimate, se, exact, what) in [
        (goal.probability, goal.std_error, exact.probability, "as followed up"),
        (
            goal.probability_ideal,
            goal.std_error_ideal,
            exact.probability_ideal,
            "all worked at once",
        ),
    ] {
        // A share of 0 or 1 has a zero standard error: allow one trial.
        let tolerance = 5.0 * se.max(1.0 / trials as f64);
        assert!(
            (estimate - exact).abs() <= tolerance,
            "{} {engine:?} {what}: exact {exact}, estimate {estimate} ± {se}",
            scenario.name()
        );
    }
}

#[test]
fn gallery_goal_chances_are_exact_and_monte_carlo_agrees() {
    for file in [
        "reference.toml",
        "consumer-afternoon.toml",
        "inbound-web.toml",
        "b2b-industrial.toml",
    ] {
        let scenario = gallery(file);
        for engine in [Engine::PerSql, Engine::Collapsed] {
            agrees(&scenario, engine, 20_000);
        }
    }
}

#[test]
fn the_reference_goal_is_binomial_35_and_40() {
    let report = Simulation::new(&Scenario::reference())
        .trials(10)
        .seed(1)
        .run()
        .unwrap();
    let exact = report.goal.unwrap().exact.unwrap();
    // P(Binomial(35, 0.25) >= 10) and P(Binomial(40, 0.25) >= 10).
    assert!((exact.probability - lead_decay::plan::binomial_at_least(35, 0.25, 10)).abs() < 1e-13);
    assert!((exact.probability_ideal - lead_decay::plan::binomial_at_least(40, 0.25, 10)).abs() < 1e-13);
}

#[test]
fn business_hours_keep_sqls_independent_so_the_chance_stays_exact() {
    let hours = BusinessHours::new(
        Calendar::office(),
        Arrivals::Always,
        DelayClock::Working,
        DelayClock::Working,
    )
    .unwrap();
    let segment = Segment::builder("office")
        .sqls(60)
        .close_rate(0.4)
        .deal_value(DealValue::fixed(1_000.0).unwrap())
        .decay(DecayCurve::linear(h(24.0)).unwrap())
        .never_followed_up(0.1)
        .delay(DelayDistribution::exponential(h(4.0)).unwrap())
        .build()
        .unwrap()
        .with_business_hours(Some(hours));
    let scenario = Scenario::builder("office")
        .customer_goal(12)
        .segment(segment)
        .build()
        .unwrap();
    let distribution = CustomerDistribution::of(&scenario).unwrap();
    let expected = lead_decay::Expected::of(&scenario).customers;
    assert!((distribution.mean() - expected).abs() < 1e-9 * expected);
    for engine in [Engine::PerSql, Engine::Collapsed] {
        agrees(&scenario, engine, 20_000);
    }
}

#[test]
fn uncertain_inputs_give_the_estimate_with_its_standard_error_and_the_reason() {
    let close_rate = InputDistribution::beta_mean_sd(0.25, 0.04).unwrap();
    let scenario = Scenario::builder("unsure")
        .customer_goal(10)
        .segment(
            Segment::builder("a")
                .sqls(40)
                .close_rate(0.25)
                .deal_value(DealValue::fixed(1_000.0).unwrap())
                .decay(DecayCurve::b2b_industrial())
                .build()
                .unwrap(),
        )
        .uncertainty(Uncertainty::new().with_input(UncertainInput::new(Knob::CloseRate, close_rate)))
        .build()
        .unwrap();
    let report = Simulation::new(&scenario).trials(2_000).seed(1).run().unwrap();
    let goal = report.goal.unwrap();
    assert_eq!((goal.exact, goal.not_exact), (None, Some(NotExact::UncertainInputs)));
    assert_eq!(goal.best(), (goal.probability, goal.probability_ideal));
    let se = (goal.probability * (1.0 - goal.probability) / 2_000.0).sqrt();
    assert!(se > 0.0 && (goal.std_error - se).abs() < 1e-15);
    let verdict = lead_decay::whatif::Verdict::of(&report).to_string();
    assert!(
        verdict.contains("(Monte Carlo estimates, standard error") && verdict.contains("uncertain inputs"),
        "{verdict}"
    );
}
