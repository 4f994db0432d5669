//! A downstream crate's test suite, written through the public API only (the
//! crate-root re-exports and the public modules), as a user crate would: the
//! reference case exactly and by Monte Carlo, scenarios from TOML and JSON, a
//! baseline report saved and reloaded, fast against slow follow-up (an ROI
//! scenario asserted against the report's interval and the exact
//! expectation), the planner, the capacity model on several threads, a
//! shard merge, and the shape of the API a user builds on. CI runs it at
//! opt-level 0, as a downstream `cargo test` compiles this crate.

use lead_decay::engine::shard_range;
use lead_decay::plan::Goal;
use lead_decay::rand::distr::Distribution;
use lead_decay::{
    Analysis, CapacityReport, CapacitySimulation, DealValue, DecayCurve, DelayDistribution, Expected, Funnel, Hours,
    Report, Scenario, Segment, Simulation, Stage, Tally,
};

fn inbound(median_delay: Hours) -> lead_decay::Result<Scenario> {
    let segment = Segment::builder("inbound")
        .sqls(200)
        .close_rate(0.2)
        .deal_value(DealValue::lognormal(12_000.0, 0.5)?)
        .decay(DecayCurve::consumer())
        .never_followed_up(0.05)
        .delay(DelayDistribution::lognormal(median_delay, 0.8)?)
        .sla(Hours::new(4.0)?)
        .build()?;
    Scenario::builder("inbound")
        .currency("EUR")
        .marketing_spend(150_000.0)
        .customer_goal(30)
        .segment(segment)
        .build()
}

#[test]
fn the_reference_case_exactly_and_by_monte_carlo() -> lead_decay::Result<()> {
    let scenario = Scenario::reference();
    let expected = Expected::of(&scenario);
    assert_eq!(expected.customers, 8.75);
    assert_eq!(expected.revenue_lost, 125_000.0);
    let report = Simulation::new(&scenario).trials(20_000).seed(1).run()?;
    let customers = report.metrics.customers;
    // Customers ~ Binomial(35, 0.25): sd 2.56, so the mean's standard error is 0.018.
    assert!((customers.mean - 8.75).abs() < 5.0 * customers.std_error);
    assert_eq!(customers.p50, 9.0);
    Ok(())
}

#[test]
fn a_scenario_reads_the_same_from_toml_and_from_json() -> lead_decay::Result<()> {
    let from_toml = Scenario::from_toml_str(
        r#"
        name = "b2b"
        marketing_spend = 400000
        customer_goal = 10
        [[segments]]
        name = "industrial"
        sqls = 40
        close_rate = 0.25
        deal_value = 100000
        decay = "b2b-industrial"
        neglected = 5
        "#,
    )?;
    let from_json = Scenario::from_json_str(&from_toml.to_json_string())?;
    assert_eq!(from_json, from_toml);
    let via_serde: Scenario = serde_json::from_str(&serde_json::to_string(&from_toml).unwrap()).unwrap();
    assert_eq!(via_serde, from_toml);
    let expected = Expected::of(&from_json);
    // (875,000 - 400,000) / 400,000 and 125,000 / 400,000.
    assert_eq!(expected.roi, Some(1.1875));
    assert_eq!(expected.roi_lost, Some(0.3125));
    let report = Simulation::new(&from_json).trials(50_000).seed(1).run()?;
    let roi = report.metrics.roi.unwrap();
    assert!((roi.mean - 1.1875).abs() < 4.0 * roi.std_error);
    assert_eq!(roi.p50, 1.25); // 9 customers: (900,000 - 400,000) / 400,000
    Ok(())
}

#[test]
fn a_baseline_report_saved_as_json_reloads_equal_bit_for_bit() -> lead_decay::Result<()> {
    let scenario = inbound(Hours::new(2.0)?)?;
    let report = Simulation::new(&scenario).trials(5_000).seed(11).run()?;
    let dir = std::env::temp_dir().join(format!("lead-decay-downstream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    std::fs::write(&baseline, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    let reloaded: Report = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(reloaded, report);
    let (a, b) = (reloaded.metrics.revenue_lost.mean, report.metrics.revenue_lost.mean);
    assert_eq!(a.to_bits(), b.to_bits());
    // A rerun compares equal to the baseline.
    assert_eq!(Simulation::new(&scenario).trials(5_000).seed(11).run()?, reloaded);
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

#[test]
fn answering_in_90_minutes_instead_of_12_hours_loses_less_roi() -> lead_decay::Result<()> {
    let (fast, slow) = (inbound(Hours::from_minutes(90.0)?)?, inbound(Hours::from_hours(12.0)?)?);
    let run = |scenario: &Scenario| Simulation::new(scenario).trials(20_000).seed(2026).run();
    let (fast_report, slow_report) = (run(&fast)?, run(&slow)?);
    let (fast_lost, slow_lost) = (
        fast_report.metrics.roi_lost.unwrap(),
        slow_report.metrics.roi_lost.unwrap(),
    );
    assert!(
        fast_lost.ci95_high < slow_lost.ci95_low,
        "{fast_lost:?} vs {slow_lost:?}"
    );
    // The exact expectations lie within the Monte Carlo error of the means.
    for (scenario, lost) in [(&fast, fast_lost), (&slow, slow_lost)] {
        let exact = Expected::of(scenario).roi_lost.unwrap();
        assert!(
            (lost.mean - exact).abs() < 4.0 * lost.std_error,
            "{} vs {exact}",
            lost.mean
        );
    }
    assert!(fast_report.metrics.sla_met.unwrap().mean > slow_report.metrics.sla_met.unwrap().mean);
    Ok(())
}

#[test]
fn the_planner_counts_back_from_the_goal() -> lead_decay::Result<()> {
    let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?;
    let plan = funnel.plan(&Goal::customers(10)?)?;
    assert_eq!(plan.count(Stage::Sql), Some(40));
    assert_eq!(plan.count(Stage::Mql), Some(200));
    Ok(())
}

#[test]
fn the_capacity_model_runs_on_several_threads_with_the_same_result() -> lead_decay::Result<()> {
    let analysis = Analysis::from_toml_str(
        r#"
        name = "team"
        [[segments]]
        name = "inbound"
        sqls = 300
        close_rate = 0.25
        deal_value = 10000
        decay = "consumer"
        [sales]
        reps = 2
        horizon = "2w"
        handling = { dist = "exponential", mean = "2h" }
        "#,
    )?;
    let model = analysis.capacity_model()?;
    let run = |threads| {
        CapacitySimulation::new(&model)
            .trials(16)
            .seed(4)
            .threads(threads)
            .run()
    };
    let (one, four): (CapacityReport, CapacityReport) = (run(1)?, run(4)?);
    assert_eq!(one, four);
    let json = serde_json::to_string(&four).unwrap();
    assert_eq!(serde_json::from_str::<CapacityReport>(&json).unwrap(), four);
    Ok(())
}

#[test]
fn shards_written_as_json_merge_into_the_report_of_one_run() -> lead_decay::Result<()> {
    let scenario = Scenario::reference();
    let simulation = Simulation::new(&scenario).trials(9_000).seed(5);
    let mut shards: Vec<Tally> = (0..3)
        .map(|k| {
            let tally = simulation.run_range(shard_range(9_000, k, 3)?)?;
            let json = serde_json::to_string(&tally).unwrap();
            Ok(serde_json::from_str(&json).unwrap())
        })
        .collect::<lead_decay::Result<_>>()?;
    shards.reverse();
    let mut merged = shards.pop().unwrap();
    for shard in &shards {
        merged.merge(shard)?;
    }
    assert!(merged.gaps(9_000).is_empty());
    assert_eq!(merged.report(&scenario)?, simulation.run()?);
    let other = Simulation::new(&scenario).trials(9_000).seed(6).run_range(0..10)?;
    assert!(merged.merge(&other).is_err());
    Ok(())
}

/// Mean and standard error of the mean of `n` draws of `law` through
/// rand's `Distribution` trait.
fn sample_mean(law: &impl Distribution<f64>, seed: u64, n: usize) -> (f64, f64) {
    let draws: Vec<f64> = law
        .sample_iter(lead_decay::engine::trial_rng(seed, 0))
        .take(n)
        .collect();
    let mean = draws.iter().sum::<f64>() / n as f64;
    let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    (mean, (var / n as f64).sqrt())
}

#[test]
fn the_delay_and_deal_value_laws_are_rand_distributions_with_their_exact_means() -> lead_decay::Result<()> {
    let delays = [
        DelayDistribution::exponential(Hours::new(3.0)?)?,
        DelayDistribution::gamma(Hours::new(6.0)?, 2.0)?,
        DelayDistribution::lognormal(Hours::new(2.0)?, 0.5)?,
        DelayDistribution::uniform(Hours::new(1.0)?, Hours::new(5.0)?)?,
    ];
    for (seed, delay) in (1..).zip(&delays) {
        let (mean, se) = sample_mean(delay, seed, 40_000);
        // 5 standard errors: a false alarm once in 1.7 million.
        assert!(
            (mean - delay.mean().get()).abs() < 5.0 * se,
            "{delay:?}: {mean} vs {}",
            delay.mean()
        );
    }
    for (seed, value) in (10..).zip([DealValue::lognormal(12_000.0, 0.6)?, DealValue::gamma(5_000.0, 1.2)?]) {
        let (mean, se) = sample_mean(&value, seed, 40_000);
        assert!(
            (mean - value.mean()).abs() < 5.0 * se,
            "{value:?}: {mean} vs {}",
            value.mean()
        );
    }
    Ok(())
}

#[test]
fn with_methods_take_the_value_and_getters_give_durations_as_hours() -> lead_decay::Result<()> {
    // One convention (issue 13): every `with_*` takes `self` and returns
    // the changed value (or a Result of it). These coercions do not compile
    // if a method takes `&self` instead.
    let _: fn(Segment, u64) -> lead_decay::Result<Segment> = Segment::with_sqls;
    let _: fn(Segment, f64) -> lead_decay::Result<Segment> = Segment::with_close_rate;
    let _: fn(Segment, DecayCurve) -> Segment = Segment::with_decay;
    let _: fn(Segment, DealValue) -> Segment = Segment::with_deal_value;
    let _: fn(Segment, lead_decay::FollowUp) -> lead_decay::Result<Segment> = Segment::with_follow_up;
    let _: fn(DelayDistribution, Hours) -> lead_decay::Result<DelayDistribution> = DelayDistribution::with_mean;
    let _: fn(DecayCurve, Hours) -> lead_decay::Result<DecayCurve> = DecayCurve::with_time_scale;
    let _: fn(DealValue, f64) -> lead_decay::Result<DealValue> = DealValue::with_mean;
    let _: fn(lead_decay::SalesTeam, u32) -> lead_decay::Result<lead_decay::SalesTeam> =
        lead_decay::SalesTeam::with_reps;
    // Durations come back as Hours, finite by construction.
    let _: fn(&DelayDistribution) -> Hours = DelayDistribution::mean;
    let segment = Scenario::reference().segments()[0]
        .clone()
        .with_sqls(80)?
        .with_close_rate(0.3)?
        .with_decay(DecayCurve::consumer());
    assert_eq!((segment.sqls(), segment.close_rate()), (80, 0.3));
    let widest = DelayDistribution::lognormal(Hours::new(1e12)?, 30.0)?;
    assert!(widest.mean().get().is_finite());
    Ok(())
}
