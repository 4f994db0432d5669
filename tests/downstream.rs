//! How a crate that depends on lead-decay asserts an ROI scenario in its own
//! test suite: build the scenario (in code or from TOML), read the exact
//! expectations, run with a seed, check a value against the report's interval.

use lead_decay::{DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment, Simulation};

fn inbound_campaign(median_delay: Hours) -> lead_decay::Result<Scenario> {
    let inbound = Segment::builder("inbound")
        .sqls(400)
        .close_rate(0.2)
        .deal_value(DealValue::lognormal(12_000.0, 0.5)?)
        .decay(DecayCurve::consumer())
        .never_followed_up(0.05)
        .delay(DelayDistribution::lognormal(median_delay, 0.8)?)
        .sla(Hours::new(4.0)?)
        .build()?;
    Scenario::builder("inbound-campaign")
        .currency("EUR")
        .marketing_spend(250_000.0)
        .customer_goal(60)
        .segment(inbound)
        .build()
}

#[test]
fn answering_inbound_leads_in_90_minutes_instead_of_12_hours_saves_roi() -> lead_decay::Result<()> {
    let fast = inbound_campaign(Hours::from_minutes(90.0)?)?;
    let slow = inbound_campaign(Hours::new(12.0)?)?;
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
fn a_scenario_from_toml_pins_the_reference_roi() -> lead_decay::Result<()> {
    let scenario = Scenario::from_toml_str(
        r#"
        name = "b2b-industrial"
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
    let expected = Expected::of(&scenario);
    // (875,000 - 400,000) / 400,000 and 125,000 / 400,000.
    assert_eq!(expected.roi, Some(1.1875));
    assert_eq!(expected.roi_lost, Some(0.3125));

    let report = Simulation::new(&scenario).trials(50_000).seed(1).run()?;
    let roi = report.metrics.roi.unwrap();
    assert!((roi.mean - 1.1875).abs() < 4.0 * roi.std_error);
    assert_eq!(roi.p50, 1.25); // 9 customers: (900,000 - 400,000) / 400,000
    Ok(())
}
