//! The funnel planner against the reference figures of issue 3 and `lead_decay::guide::model`.

use jiff::civil::date;
use lead_decay::plan::{
    Band, BandStatus, BantInputs, BantScorer, BantWeights, BusinessMonth, Confidence, FollowUpEffect, Funnel,
    FunnelCounts, Goal, INQUIRY_BENCHMARKS, InquiryPool, LeadList, MarketingSplit, Monitor, Nurture, PersonaInputs,
    PlanInputs, PlanReport, SalesModel, Stage, binomial_at_least, daily_lift_to_hold_total,
};
use lead_decay::{
    DealValue, DecayCurve, DelayDistribution, Error, FollowUp, Hours, Neglect, Scenario, Segment, Simulation,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn customers(n: u64) -> Goal {
    Goal::customers(n).unwrap()
}

fn field(result: Result<impl std::fmt::Debug, Error>) -> String {
    result.unwrap_err().field().unwrap_or_default().to_owned()
}

// ---- 2. Reverse plan ----------------------------------------------------

#[test]
fn four_hundred_deals_at_25_percent_take_1600_sqls_and_8000_mqls() {
    let funnel = Funnel::new(0.25).unwrap().with_stage(Stage::Mql, 0.2).unwrap();
    let plan = funnel.plan(&customers(400)).unwrap();
    assert_eq!(plan.deals(), 400);
    assert_eq!(plan.count(Stage::Sql), Some(1_600));
    assert_eq!(plan.count(Stage::Mql), Some(8_000));
}

#[test]
fn a_revenue_goal_divides_by_the_deal_value_and_rounds_up() {
    // Issue 3 quotes "goal 10,000,000, deal 50,000 -> 400 deals", but
    // 10,000,000 / 50,000 is 200; 400 deals of 50,000 is a 20,000,000 goal.
    assert_eq!(Goal::revenue(10_000_000.0, 50_000.0).unwrap().deals(), 200);
    let funnel = Funnel::new(0.25).unwrap().with_stage(Stage::Mql, 0.2).unwrap();
    let plan = funnel.plan(&Goal::revenue(20_000_000.0, 50_000.0).unwrap()).unwrap();
    assert_eq!(
        (plan.deals(), plan.sqls(), plan.count(Stage::Mql)),
        (400, 1_600, Some(8_000))
    );
    assert_eq!(plan.revenue(), Some(20_000_000.0));
    assert_eq!(Goal::revenue(10_000_001.0, 50_000.0).unwrap().deals(), 201);
}

#[test]
fn ten_customers_at_25_percent_take_40_sqls() {
    let plan = Funnel::new(0.25).unwrap().plan(&customers(10)).unwrap();
    assert_eq!(plan.sqls(), 40);
    assert_eq!(plan.budget(), None);
    assert_eq!(plan.roi(), None);
}

#[test]
fn counts_round_up_stage_by_stage() {
    // 7 deals / 0.3 = 23.3 -> 24 SQLs; 24 / 0.7 = 34.3 -> 35 SALs; 35 / 0.45 = 77.8 -> 78 MQLs;
    // 78 / 0.06 = 1,300 inquiries; 1,300 / 0.025 = 52,000 visitors.
    let funnel = Funnel::new(0.3)
        .and_then(|f| f.with_stage(Stage::Sal, 0.7))
        .and_then(|f| f.with_stage(Stage::Mql, 0.45))
        .and_then(|f| f.with_stage(Stage::Inquiry, 0.06))
        .and_then(|f| f.with_stage(Stage::Visitor, 0.025))
        .unwrap();
    let plan = funnel.plan(&customers(7)).unwrap();
    let counts: Vec<(Stage, u64)> = plan.stages().iter().map(|s| (s.stage, s.count)).collect();
    assert_eq!(
        counts,
        [
            (Stage::Sql, 24),
            (Stage::Sal, 35),
            (Stage::Mql, 78),
            (Stage::Inquiry, 1_300),
            (Stage::Visitor, 52_000)
        ]
    );
}

#[test]
fn budget_cost_per_customer_and_roi() {
    let funnel = Funnel::new(0.25)
        .and_then(|f| f.with_stage(Stage::Mql, 0.2))
        .and_then(|f| f.with_cost_per_unit(Stage::Mql, 150.0))
        .and_then(|f| f.with_cost_per_unit(Stage::Sql, 100.0))
        .and_then(|f| f.with_fixed_cost("staff", 600_000.0))
        .and_then(|f| f.with_fixed_cost("technology", 40_000.0))
        .unwrap();
    let plan = funnel.plan(&Goal::revenue(20_000_000.0, 50_000.0).unwrap()).unwrap();
    // 8,000 x 150 + 1,600 x 100 + 640,000 = 2,000,000.
    assert_eq!(plan.budget(), Some(2_000_000.0));
    assert_eq!(plan.stages()[1].cost, Some(1_200_000.0));
    assert_eq!(plan.cost_per_customer(), Some(5_000.0));
    assert_eq!(plan.roi(), Some(9.0));
}

// ---- 3. Decay-aware plan ------------------------------------------------

#[test]
fn neglecting_5_of_every_40_sqls_takes_46_sqls_instead_of_40() {
    let funnel = Funnel::new(0.25).unwrap();
    let effect = FollowUpEffect::neglecting(5, 40).unwrap();
    let plan = funnel.plan_with(&customers(10), &effect).unwrap();
    assert_eq!(plan.sqls(), 46);
    let overhead = plan.overhead_over(&funnel.plan(&customers(10)).unwrap());
    assert_eq!(overhead.sqls, 6);
}

#[test]
fn neglect_overhead_reaches_every_stage_and_the_budget() {
    let inputs = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.25),
        mql_to_sql: Some(0.2),
        inquiry_to_mql: Some(0.1),
        cost_per_inquiry: Some(50.0),
        neglected: Some(5),
        neglected_of: Some(40),
        ..PlanInputs::default()
    };
    let report = inputs.report().unwrap();
    // 46 SQLs -> 230 MQLs -> 2,300 inquiries, against 40 -> 200 -> 2,000.
    assert_eq!(
        report.stages.iter().map(|s| s.count).collect::<Vec<_>>(),
        [46, 230, 2_300]
    );
    assert_eq!(report.neglect_overhead.sqls, 6);
    assert_eq!(report.neglect_overhead.count(Stage::Mql), Some(30));
    assert_eq!(report.neglect_overhead.count(Stage::Inquiry), Some(300));
    assert_eq!(report.neglect_overhead.budget, Some(15_000.0));
}

#[test]
fn decay_scales_the_close_rate_by_the_warm_probability() {
    // E[f(D)] = 0.5: every worked SQL has an even chance to be warm.
    let effect = FollowUpEffect::none().with_warm_probability(0.5).unwrap();
    let plan = Funnel::new(0.25).unwrap().plan_with(&customers(10), &effect).unwrap();
    assert_eq!(plan.sqls(), 80);
    assert_eq!(plan.effective_close_rate(), 0.125);
}

#[test]
fn a_segment_follow_up_model_becomes_an_effect() {
    let follow_up = FollowUp::new(Neglect::Probability(0.36)).unwrap();
    let effect = FollowUpEffect::from_follow_up(&follow_up, 40).unwrap();
    assert!((effect.worked_share() - 0.64).abs() < 1e-15);
    let count = FollowUp::new(Neglect::Count(5)).unwrap();
    assert_eq!(
        FollowUpEffect::from_follow_up(&count, 40).unwrap(),
        FollowUpEffect::neglecting(5, 40).unwrap()
    );
    assert_eq!(field(FollowUpEffect::from_follow_up(&count, 5)), "neglected");
}

// ---- 4. Confidence-aware plan -------------------------------------------

#[test]
fn ten_customers_at_25_percent_take_39_49_55_60_sqls_for_50_80_90_95_percent() {
    let funnel = Funnel::new(0.25).unwrap();
    let none = FollowUpEffect::none();
    for (level, sqls) in [(0.5, 39), (0.8, 49), (0.9, 55), (0.95, 60)] {
        let plan = funnel
            .confidence_plan(&customers(10), &none, Confidence::new(level).unwrap())
            .unwrap();
        assert_eq!(plan.sqls(), sqls, "confidence {level}");
        assert!(plan.probability() >= level);
        assert!(
            binomial_at_least(sqls - 1, 0.25, 10) < level,
            "{} is not the smallest",
            sqls
        );
    }
}

#[test]
fn four_hundred_deals_at_25_percent_take_1690_sqls_for_90_percent() {
    let funnel = Funnel::new(0.25).unwrap().with_stage(Stage::Mql, 0.2).unwrap();
    let plan = funnel
        .confidence_plan(&customers(400), &FollowUpEffect::none(), Confidence::new(0.9).unwrap())
        .unwrap();
    assert_eq!(plan.sqls(), 1_690);
    assert_eq!(plan.plan().count(Stage::Mql), Some(8_450));
    assert!((plan.probability() - 0.902_397_283_495_664_3).abs() < 1e-12);
}

#[test]
fn model_reference_goal_probabilities_with_and_without_neglect() {
    let funnel = Funnel::new(0.25).unwrap();
    let neglect = FollowUpEffect::neglecting(5, 40).unwrap();
    assert!((funnel.goal_probability(&customers(10), &neglect, 40) - 0.374).abs() < 5e-4);
    assert!((funnel.goal_probability(&customers(10), &FollowUpEffect::none(), 40) - 0.560).abs() < 5e-4);
}

#[test]
fn confidence_plans_under_neglect_need_more_sqls() {
    let funnel = Funnel::new(0.25).unwrap();
    let level = Confidence::new(0.9).unwrap();
    let fixed = funnel
        .confidence_plan(&customers(10), &FollowUpEffect::neglecting(5, 40).unwrap(), level)
        .unwrap();
    // 55 worked SQLs are needed; floor(n x 35/40) >= 55 first at n = 63.
    assert_eq!(fixed.sqls(), 63);
    let independent = funnel
        .confidence_plan(
            &customers(10),
            &FollowUpEffect::never_followed_up(0.125).unwrap(),
            level,
        )
        .unwrap();
    assert!(independent.sqls() > 55 && independent.probability() >= 0.9);
}

/// A segment of `sqls` SQLs at a 25 % close rate with the given neglect and
/// a decay / delay pair, as the core engine simulates it.
fn segment(sqls: u64, neglect: Neglect, decay: DecayCurve, delay: DelayDistribution) -> Segment {
    let builder = Segment::builder("planned")
        .sqls(sqls)
        .close_rate(0.25)
        .deal_value(DealValue::fixed(50_000.0).unwrap())
        .decay(decay)
        .delay(delay);
    match neglect {
        Neglect::Count(k) => builder.neglected(k),
        Neglect::Probability(q) => builder.never_followed_up(q),
        Neglect::None => builder,
    }
    .build()
    .unwrap()
}

#[test]
fn simulating_the_planned_sqls_reaches_the_goal_as_often_as_planned() {
    let funnel = Funnel::new(0.25).unwrap();
    let level = Confidence::new(0.9).unwrap();
    let trials = 40_000;
    let days = |d: f64| Hours::from_days(d).unwrap();
    let cases = [
        // 5 of every 40 never followed up; exponential decay and delay.
        (
            Neglect::Count(5),
            DecayCurve::exponential(days(10.0)).unwrap(),
            DelayDistribution::exponential(days(2.0)).unwrap(),
        ),
        // 36 % never followed up; Weibull decay, log-normal delay.
        (
            Neglect::Probability(0.36),
            DecayCurve::weibull(days(5.0), 0.7).unwrap(),
            DelayDistribution::lognormal(days(0.5), 1.0).unwrap(),
        ),
    ];
    for (neglect, decay, delay) in cases {
        // The planner sees the segment's follow-up effect ("5 of every 40").
        let template = segment(40, neglect, decay.clone(), delay.clone());
        let effect = FollowUpEffect::from_segment(&template).unwrap();
        let plan = funnel.confidence_plan(&customers(10), &effect, level).unwrap();
        let n = plan.sqls();
        // The engine simulates the planned cohort with the plan's rounding of
        // "k of every 40": floor(n x 35/40) SQLs worked.
        let neglect = match neglect {
            Neglect::Count(k) => Neglect::Count(n - n * (40 - k) / 40),
            other => other,
        };
        let scenario = Scenario::builder("plan-check")
            .customer_goal(10)
            .segment(segment(n, neglect, decay, delay))
            .build()
            .unwrap();
        let simulated = Simulation::new(&scenario)
            .trials(trials)
            .seed(11)
            .run()
            .unwrap()
            .goal
            .unwrap()
            .probability;
        let se = (plan.probability() * (1.0 - plan.probability()) / trials as f64).sqrt();
        assert!(
            (simulated - plan.probability()).abs() < 4.0 * se,
            "{neglect:?}: simulated {simulated} vs planned {} for {n} SQLs",
            plan.probability()
        );
        assert!(plan.probability() >= 0.9);
    }
}

// ---- 5. BANT --------------------------------------------------------------

#[test]
fn bant_defaults_are_25_points_each_qualified_at_75() {
    let scorer = BantScorer::default();
    assert_eq!(scorer.weights().total(), 100.0);
    assert_eq!(scorer.threshold(), 75.0);
    // All four criteria hold with probability 0.5: 5 of 16 combinations qualify.
    let pool = InquiryPool::new(0.5, 0.5, 0.5, 0.5).unwrap();
    assert_eq!(scorer.qualifying_share(&pool), 5.0 / 16.0);
}

#[test]
fn weighting_authority_and_need_changes_who_qualifies() {
    let heavy = BantScorer::new(BantWeights::new(15.0, 35.0, 35.0, 15.0).unwrap(), 70.0).unwrap();
    // Authority and need alone reach 70; budget + timeframe + one of them reach only 65.
    let pool = InquiryPool::new(0.5, 0.5, 0.5, 0.5).unwrap();
    // Qualifying sets: {A, N} with any budget/timeframe (4 of 16) -> 0.25.
    assert_eq!(heavy.qualifying_share(&pool), 0.25);
}

#[test]
fn simulated_bant_shares_match_the_exact_enumeration() {
    let scorer = BantScorer::default();
    let pool = InquiryPool::new(0.3, 0.4, 0.6, 0.2).unwrap();
    let nurture = Nurture::new(0.1).unwrap().with_rounds(2);
    let exact = scorer.expected(&pool, &nurture, 0.25).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let run = scorer.simulate(&pool, &nurture, 0.25, 400_000, &mut rng).unwrap();
    assert!((run.share_qualified - exact.share_qualified).abs() < 4.0 * run.share_qualified_std_error);
    let at_once = run.qualified_at_once as f64 / run.inquiries as f64;
    let se_once = (exact.share_qualified_at_once * (1.0 - exact.share_qualified_at_once) / 400_000.0).sqrt();
    assert!((at_once - exact.share_qualified_at_once).abs() < 4.0 * se_once);
    // Inquiries per customer: a ratio estimate; compare customers per inquiry instead.
    let per_inquiry = run.customers as f64 / run.inquiries as f64;
    let exact_per_inquiry = 1.0 / exact.inquiries_per_customer.unwrap();
    let se = (exact_per_inquiry * (1.0 - exact_per_inquiry) / 400_000.0).sqrt();
    assert!((per_inquiry - exact_per_inquiry).abs() < 4.0 * se);
    // Nurtured leads qualify 3 or 6 weeks in.
    let hours = run.mean_hours_to_qualify.unwrap();
    assert!((hours - exact.mean_hours_to_qualify.unwrap()).abs() < 10.0, "{hours}");
}

#[test]
fn the_same_seed_gives_the_same_bant_run() {
    let scorer = BantScorer::default();
    let pool = InquiryPool::new(0.3, 0.4, 0.6, 0.2).unwrap();
    let run = |seed| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        scorer
            .simulate(&pool, &Nurture::none(), 0.25, 10_000, &mut rng)
            .unwrap()
    };
    assert_eq!(run(3), run(3));
}

#[test]
fn published_inquiry_benchmarks_are_available() {
    let value = |name: &str| INQUIRY_BENCHMARKS.iter().find(|b| b.name == name).unwrap().value;
    assert_eq!(value("inquiry_to_lead_average"), 0.044);
    assert_eq!(value("inquiry_to_lead_best_practice_ceiling"), 0.10);
    assert_eq!(value("raw_responder_to_lead"), 0.04);
    assert_eq!(value("scrubbed_responder_to_lead"), 0.08);
    assert_eq!(value("inquiries_wasted"), 0.71);
    assert_eq!(value("inquiries_never_followed_up"), 0.36);
}

// ---- 6. Business days -----------------------------------------------------

#[test]
fn going_from_23_to_20_business_days_needs_15_percent_more_per_day() {
    assert!((daily_lift_to_hold_total(23, 20).unwrap() - 0.15).abs() < 1e-12);
    let march = BusinessMonth::new(2021, 3, &[]).unwrap();
    let february = BusinessMonth::new(2021, 2, &[]).unwrap();
    assert_eq!((march.business_days(), february.business_days()), (23, 20));
    assert!((february.lift_to_hold_total_of(&march).unwrap() - 0.15).abs() < 1e-12);
}

#[test]
fn holidays_on_weekdays_reduce_business_days() {
    let us_2025 = [
        date(2025, 1, 1),
        date(2025, 5, 26),
        date(2025, 7, 4),
        date(2025, 12, 25),
    ];
    // July 2025: 23 weekdays, minus Friday the 4th.
    assert_eq!(BusinessMonth::new(2025, 7, &us_2025).unwrap().business_days(), 22);
    assert_eq!(BusinessMonth::new(2025, 7, &[]).unwrap().business_days(), 23);
}

// ---- 7. Monitors ----------------------------------------------------------

#[test]
fn rates_outside_their_bands_are_warnings_not_errors() {
    let counts = FunnelCounts::new(20, 2)
        .unwrap()
        .with(Stage::Visitor, 50_000)
        .with(Stage::Inquiry, 1_000)
        .with(Stage::Mql, 200)
        .with(Stage::Sql, 60);
    let report = Monitor::new(SalesModel::InsideWithLeadFocusedMarketing)
        .check(&[("it-buyers", counts)])
        .unwrap();
    let reading = |metric: &str| {
        report
            .total
            .readings
            .iter()
            .find(|r| r.metric == metric)
            .unwrap()
            .clone()
    };
    assert_eq!(reading("marketing_sourced_share").status, Some(BandStatus::Below)); // 10 % vs 40-80 %
    // Leads are MQLs: 20 customers of 200 MQLs is 10 %, above 2-5 %.
    assert_eq!(reading("lead_to_customer").value, Some(0.1));
    assert_eq!(reading("lead_to_customer").status, Some(BandStatus::Above));
    assert_eq!(reading("visitor_to_lead").value, Some(0.004));
    assert_eq!(reading("visitor_to_lead").band, None);
    assert_eq!(reading("mql_to_sql").value, Some(0.3));
    assert_eq!(reading("sql_to_customer").value, Some(20.0 / 60.0));
    // Two warnings for the total and two for the (only) persona.
    assert_eq!(report.warnings.len(), 4);
    assert!(report.warnings[0].contains("marketing_sourced_share 10.0 % is below the benchmark band 40.0-80.0 %"));
    assert!(report.notes.is_empty());
}

#[test]
fn field_sales_expects_20_to_40_percent_marketing_sourced() {
    assert_eq!(
        SalesModel::FieldWithInsideSupport.marketing_sourced_band(),
        Band::new(0.2, 0.4).unwrap()
    );
    assert_eq!(
        SalesModel::InsideWithLeadFocusedMarketing.marketing_sourced_band(),
        Band::new(0.4, 0.8).unwrap()
    );
    assert_eq!(Band::LEAD_TO_CUSTOMER, Band::new(0.02, 0.05).unwrap());
}

#[test]
fn counts_are_reported_by_persona_and_in_total() {
    let a = FunnelCounts::new(3, 1).unwrap().with(Stage::Mql, 100);
    let b = FunnelCounts::new(2, 2)
        .unwrap()
        .with(Stage::Mql, 50)
        .with(Stage::Sql, 10);
    let report = Monitor::new(SalesModel::FieldWithInsideSupport)
        .check(&[("cfo", a), ("cto", b)])
        .unwrap();
    assert_eq!(report.personas.len(), 2);
    assert_eq!(report.total.counts.count(Stage::Mql), Some(150));
    assert_eq!(report.total.counts.count(Stage::Sql), Some(10));
    assert_eq!(report.total.counts.customers(), 5);
    assert_eq!(report.personas[1].counts.count(Stage::Sql), Some(10));
}

#[test]
fn total_rates_use_only_the_personas_that_count_both_stages() {
    // Issue 18: one persona counts every stage (10 customers of 40 SQLs),
    // the other only inquiries (6 customers). The total's SQL -> customer is
    // the first persona's 10 / 40, not 16 / 40.
    let full = FunnelCounts::new(10, 4)
        .unwrap()
        .with(Stage::Inquiry, 1_000)
        .with(Stage::Mql, 200)
        .with(Stage::Sal, 100)
        .with(Stage::Sql, 40);
    let inquiries_only = FunnelCounts::new(6, 2).unwrap().with(Stage::Inquiry, 300);
    let report = Monitor::new(SalesModel::FieldWithInsideSupport)
        .check(&[("full", full), ("inquiries-only", inquiries_only)])
        .unwrap();
    let total = |metric: &str| {
        report
            .total
            .readings
            .iter()
            .find(|r| r.metric == metric)
            .unwrap()
            .clone()
    };
    assert_eq!(total("sql_to_customer").value, Some(0.25));
    assert_eq!(total("sql_to_customer").over, Some(vec!["full".to_owned()]));
    assert_eq!(total("lead_to_customer").value, Some(10.0 / 200.0));
    assert_eq!(total("inquiry_to_mql").value, Some(0.2));
    // Both personas count inquiries and customers: no note for the share.
    assert_eq!(total("marketing_sourced_share").value, Some(6.0 / 16.0));
    assert_eq!(total("marketing_sourced_share").over, None);
    assert!(
        report.notes.contains(
            &"total sql_to_customer is over full only: inquiries-only does not count both of its stages".to_owned()
        ),
        "{:?}",
        report.notes
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["total"]["readings"][1]["over"][0], "full");
}

#[test]
fn the_lead_to_customer_band_counts_mqls_not_inquiries() {
    // The source's own funnel: inquiries become leads at 4.4 %, leads close
    // at 2-5 %. A plan with 4.4 % inquiry -> MQL, 20 % MQL -> SQL and a 25 %
    // close rate turns 5 % of its MQLs into customers: inside the band.
    let inputs = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.25),
        mql_to_sql: Some(0.2),
        inquiry_to_mql: Some(0.044),
        ..PlanInputs::default()
    };
    let report = inputs.report().unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // The monitor reads leads as MQLs too, even when inquiries are counted.
    let counts = FunnelCounts::new(10, 5)
        .unwrap()
        .with(Stage::Inquiry, 4_546)
        .with(Stage::Mql, 200);
    let monitor = Monitor::new(SalesModel::InsideWithLeadFocusedMarketing)
        .check(&[("web", counts)])
        .unwrap();
    let lead = monitor
        .total
        .readings
        .iter()
        .find(|r| r.metric == "lead_to_customer")
        .unwrap();
    assert_eq!((lead.value, lead.status), (Some(0.05), Some(BandStatus::Within)));
}

// ---- 8. The report (the `plan` example's JSON) -----------------------------

#[test]
fn the_json_report_keeps_the_contract_keys() {
    let inputs = PlanInputs {
        revenue_goal: Some(20_000_000.0),
        deal_value: Some(50_000.0),
        close_rate: Some(0.25),
        mql_to_sql: Some(0.2),
        confidence: Some(0.9),
        ..PlanInputs::default()
    };
    let json = serde_json::to_value(inputs.report().unwrap()).unwrap();
    assert_eq!(json["deals"], 400);
    assert_eq!(
        json["stages"][0],
        serde_json::json!({"stage": "sql", "count": 1600, "cost": null, "cost_per_unit": null})
    );
    assert_eq!(json["stages"][1]["stage"], "mql");
    assert_eq!(json["stages"][1]["count"], 8000);
    assert!(json["budget"].is_null());
    assert!(json["cost_per_customer"].is_null());
    assert_eq!(json["neglect_overhead"]["sqls"], 0);
    assert!(json["neglect_overhead"]["budget"].is_null());
    assert_eq!(json["confidence"]["level"], 0.9);
    assert_eq!(json["confidence"]["sqls"], 1690);
    assert!((json["confidence"]["probability"].as_f64().unwrap() - 0.9024).abs() < 1e-4);
    assert!(json["warnings"].is_array());
}

#[test]
fn the_json_report_for_ten_customers_at_90_percent() {
    let report = PlanReport::new(
        &Funnel::new(0.25).unwrap(),
        &customers(10),
        &FollowUpEffect::none(),
        Some(Confidence::new(0.9).unwrap()),
    )
    .unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["confidence"]["sqls"], 55);
    assert!((json["confidence"]["probability"].as_f64().unwrap() - 0.9112).abs() < 1e-4);
    // The expected-value plan of 40 SQLs reaches 10 customers 56 % of the time.
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("40 SQLs reach 10 deals with probability 56.0 %"))
    );
}

#[test]
fn without_a_confidence_the_confidence_key_is_null() {
    let inputs = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.25),
        ..PlanInputs::default()
    };
    let json = serde_json::to_value(inputs.report().unwrap()).unwrap();
    assert!(json["confidence"].is_null());
    assert_eq!(json["stages"].as_array().unwrap().len(), 1);
}

#[test]
fn plan_inputs_read_from_toml_with_the_flag_names() {
    let inputs: PlanInputs = toml::from_str(
        r#"
        customer_goal = 10
        close_rate = 0.25
        mql_to_sql = 0.2
        inquiry_to_mql = 0.05
        confidence = 0.95
        cost_per_inquiry = 40
        fixed_costs = { staff = 10_000 }
        neglected = 5
        neglected_of = 40
        "#,
    )
    .unwrap();
    let report = inputs.report().unwrap();
    assert_eq!(report.stages[0].count, 46);
    assert_eq!(report.confidence.as_ref().map(|c| c.level), Some(0.95));
    assert!(toml::from_str::<PlanInputs>("close_rate = 0.25\nmql_to_sq = 0.2").is_err());
}

#[test]
fn an_implausible_lead_to_customer_rate_is_a_warning() {
    // MQL -> customer 0.5 x 0.5 = 25 %, far above the typical 2-5 %.
    let inputs = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.5),
        mql_to_sql: Some(0.5),
        ..PlanInputs::default()
    };
    let report = inputs.report().unwrap();
    assert_eq!(
        report.warnings,
        ["planned mql_to_customer 25.0 % is above the benchmark band 2.0-5.0 %"]
    );
}

// ---- 9. Personas, the marketing-sourced share, BANT from data (issue 18) --

const PERSONAS: &str = r#"
close_rate = 0.25
mql_to_sql = 0.2
cost_per_mql = 50
fixed_costs = { staff = 100_000 }
sales_model = "field_with_inside_support"
marketing_sourced_share = 0.3

[[personas]]
name = "smb"
customer_goal = 30
deal_value = 20_000
observed = { mql = 900, sql = 160, customers = 41, marketing_sourced_customers = 14 }

[[personas]]
name = "enterprise"
revenue_goal = 2_000_000
deal_value = 250_000
mql_to_sql = 0.1
observed = { inquiry = 3_000, customers = 6, marketing_sourced_customers = 1 }
"#;

#[test]
fn each_persona_is_planned_with_its_own_rates_and_the_report_is_their_total() {
    let inputs: PlanInputs = toml::from_str(PERSONAS).unwrap();
    let report = inputs.report().unwrap();
    let (smb, enterprise) = (&report.personas[0].plan, &report.personas[1].plan);
    assert_eq!((smb.deals, smb.stages[0].count, smb.stages[1].count), (30, 120, 600));
    assert_eq!(
        (enterprise.deals, enterprise.stages[0].count, enterprise.stages[1].count),
        (8, 32, 320)
    );
    assert_eq!(report.deals, 38);
    assert_eq!((report.stages[0].count, report.stages[1].count), (152, 920));
    assert_eq!(report.revenue, Some(2_600_000.0));
    // Unit costs per persona, the section's fixed cost once.
    assert_eq!((smb.budget, enterprise.budget), (Some(30_000.0), Some(16_000.0)));
    assert_eq!(report.budget, Some(146_000.0));
    assert_eq!(report.close_rate, 0.25);
    // Each persona's marketing split, and theirs: ceil(0.3 x 30) + ceil(0.3 x 8) = 12 of 38.
    let split = report.marketing_sourced.as_ref().unwrap();
    assert_eq!((split.marketing.deals, split.other.deals), (12, 26));
    assert!((split.share - 12.0 / 38.0).abs() < 1e-15);
    // The monitor: enterprise counts inquiries only, so total MQL rates are smb's.
    let monitor = report.monitor.as_ref().unwrap();
    assert_eq!(monitor.personas.len(), 2);
    let total = |metric: &str| monitor.total.readings.iter().find(|r| r.metric == metric).unwrap();
    assert_eq!(total("sql_to_customer").value, Some(41.0 / 160.0));
    assert_eq!(total("sql_to_customer").over, Some(vec!["smb".to_owned()]));
    assert!(
        monitor
            .warnings
            .iter()
            .any(|w| w.starts_with("enterprise: marketing_sourced_share 16.7 %"))
    );
    // JSON keys of the new parts.
    let json = serde_json::to_value(&report).unwrap();
    for key in ["personas", "monitor", "marketing_sourced"] {
        assert!(json.get(key).is_some(), "{key} missing");
    }
    // And none of them without personas: the JSON of issue 3 is unchanged.
    let plain = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.25),
        ..PlanInputs::default()
    };
    let json = serde_json::to_value(plain.report().unwrap()).unwrap();
    for key in ["personas", "monitor", "marketing_sourced", "bant"] {
        assert!(json.get(key).is_none(), "{key} present");
    }
}

#[test]
fn persona_inputs_are_checked_and_errors_name_the_persona() {
    let with = |extra: &str| toml::from_str::<PlanInputs>(&format!("{extra}\n{PERSONAS}"));
    assert!(with("").is_ok());
    let err = with("customer_goal = 5").unwrap().report().unwrap_err();
    assert_eq!(err.field(), Some("customer_goal"));
    let bad_rate = PERSONAS.replace("mql_to_sql = 0.1", "mql_to_sql = 1.1");
    let err = toml::from_str::<PlanInputs>(&bad_rate).unwrap().report().unwrap_err();
    assert_eq!(err.field(), Some("personas[1].mql_to_sql"));
    let twice = PERSONAS.replace("\"enterprise\"", "\"smb\"");
    let err = toml::from_str::<PlanInputs>(&twice).unwrap().report().unwrap_err();
    assert_eq!(err.field(), Some("personas[1].name"));
    let too_many = PERSONAS.replace("marketing_sourced_customers = 1 }", "marketing_sourced_customers = 7 }");
    let err = toml::from_str::<PlanInputs>(&too_many).unwrap().report().unwrap_err();
    assert_eq!(err.field(), Some("personas[1].observed.marketing_sourced_customers"));
    let no_model = PERSONAS.replace("sales_model = \"field_with_inside_support\"", "");
    let err = toml::from_str::<PlanInputs>(&no_model).unwrap().report().unwrap_err();
    assert_eq!(err.field(), Some("personas[0].sales_model"));
    assert!(toml::from_str::<PlanInputs>(&PERSONAS.replace("customer_goal = 30", "goal = 30")).is_err());
    assert!(toml::from_str::<PlanInputs>(&PERSONAS.replace("mql = 900", "mqls = 900")).is_err());
    // The command-line form reads the same keys.
    let smb = PersonaInputs::parse(
        "smb:customer_goal=30,deal_value=20000,observed.customers=4,observed.marketing_sourced_customers=1",
    )
    .unwrap();
    assert_eq!(smb.customer_goal, Some(30));
    assert_eq!(smb.observed.unwrap().customers, 4);
    assert_eq!(
        PersonaInputs::parse(":close_rate=0.3").unwrap_err().field(),
        Some("personas")
    );
    assert_eq!(
        PersonaInputs::parse("smb:close_rate=high").unwrap_err().field(),
        Some("personas.smb.close_rate")
    );
    // NaN would read as "not given" in JSON: it is an error instead.
    for bad in ["NaN", "inf"] {
        let err = PersonaInputs::parse(&format!("smb:close_rate={bad}")).unwrap_err();
        assert_eq!(err.field(), Some("personas.smb.close_rate"), "{bad}");
    }
}

#[test]
fn the_marketing_sourced_share_is_checked_against_the_band_of_the_sales_model() {
    let funnel = Funnel::new(0.25).unwrap().with_stage(Stage::Mql, 0.2).unwrap();
    let goal = Goal::revenue(20_000_000.0, 50_000.0).unwrap();
    let none = FollowUpEffect::none();
    let split = |share, model| MarketingSplit::new(&funnel, &goal, &none, share, model).unwrap();
    for (share, model, status) in [
        (0.2, SalesModel::FieldWithInsideSupport, BandStatus::Within),
        (0.4, SalesModel::FieldWithInsideSupport, BandStatus::Within),
        (0.41, SalesModel::FieldWithInsideSupport, BandStatus::Above),
        (0.39, SalesModel::InsideWithLeadFocusedMarketing, BandStatus::Below),
        (0.8, SalesModel::InsideWithLeadFocusedMarketing, BandStatus::Within),
    ] {
        assert_eq!(split(share, model).status, status, "{share} {model:?}");
    }
    let s = split(0.3, SalesModel::FieldWithInsideSupport);
    // Marketing delivers the MQLs for its 480 SQLs; the other 1,120 SQLs come from sales.
    assert_eq!((s.marketing.sqls, s.other.sqls), (480, 1_120));
    assert_eq!(s.marketing.stages[1].count, 2_400);
    assert_eq!(s.other.stages.len(), 1);
    assert_eq!(s.marketing.revenue, Some(6_000_000.0));
    assert!(s.warning().is_none());
    assert!(
        split(0.1, SalesModel::FieldWithInsideSupport)
            .warning()
            .unwrap()
            .contains("below the benchmark band 20.0-40.0 %")
    );
    assert!(MarketingSplit::new(&funnel, &goal, &none, f64::NAN, SalesModel::FieldWithInsideSupport).is_err());
}

#[test]
fn a_lead_list_scores_with_partial_credit_and_keeps_every_unscorable_row() {
    let csv = "Lead,budget,AUTHORITY,Need,Timeframe\n\
               a,yes,yes,yes,no\n\
               b,y,n,partial,75%\n\
               c,1,1,1,\n\
               d,true,false,2,1\n\
               e,no,no,no,no\n";
    let scorer = BantScorer::default();
    let list = LeadList::from_reader(csv.as_bytes(), &scorer).unwrap();
    assert_eq!(list.leads().len(), 3);
    assert_eq!(list.leads()[1].score, 25.0 + 12.5 + 18.75);
    assert_eq!(list.leads()[0].id.as_deref(), Some("a"));
    assert_eq!((list.qualified(), list.nurtured()), (1, 2));
    let lines: Vec<u64> = list.unscorable().iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 5]);
    assert_eq!(list.unscorable()[0].reason, "column Timeline: empty");
    // Two nurture rounds three weeks apart, requalifying 50 % each time.
    let mut bant = BantInputs::default();
    bant.requalification_chance = Some(0.5);
    bant.rounds = Some(2);
    let inputs = PlanInputs {
        customer_goal: Some(1),
        close_rate: Some(0.25),
        ..PlanInputs::default()
    };
    let scoring = inputs.score_leads(&list, &bant).unwrap();
    assert_eq!(scoring.recontacts.len(), 2);
    assert_eq!(
        (scoring.recontacts[0].leads, scoring.recontacts[0].expected_requalified),
        (2.0, 1.0)
    );
    assert_eq!(
        (
            scoring.recontacts[1].after_hours,
            scoring.recontacts[1].expected_requalified
        ),
        (1008.0, 0.5)
    );
    assert_eq!(scoring.expected_qualified_with_nurture, 2.5);
    // One qualified SQL closes at 25 %: the goal of 1 needs 4 SQLs.
    let funnel = scoring.funnel.unwrap();
    assert_eq!((funnel.sqls, funnel.sqls_needed), (1, Some(4)));
    assert_eq!(funnel.expected_customers, 0.25);
    assert_eq!(funnel.goal_probability, Some(0.25));
    assert_eq!(funnel.expected_customers_with_nurture, 0.625);
    // Missing columns are an error listing what was found.
    let err = LeadList::from_reader("Budget,Need\nyes,yes\n".as_bytes(), &scorer).unwrap_err();
    assert_eq!(err.field(), Some("columns"));
    assert!(
        err.to_string().contains("no column \"Authority\" (found Budget, Need)"),
        "{err}"
    );
    // Bad weights name their field under bant.
    let mut bad = BantInputs::default();
    bad.threshold = Some(120.0);
    assert_eq!(
        inputs.score_leads(&list, &bad).unwrap_err().field(),
        Some("bant.threshold")
    );
}

// ---- Bad input names the field ---------------------------------------------

#[test]
fn rates_outside_0_1_are_errors_naming_the_rate() {
    for bad in [0.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
        assert_eq!(field(Funnel::new(bad)), "close_rate");
        let inputs = PlanInputs {
            customer_goal: Some(10),
            close_rate: Some(0.25),
            mql_to_sql: Some(bad),
            ..PlanInputs::default()
        };
        assert_eq!(field(inputs.report()), "mql_to_sql");
    }
    let err = Funnel::new(1.5).unwrap_err();
    assert_eq!(err.to_string(), "close_rate: expected a rate in (0, 1], got 1.5");
    assert!(Funnel::new(1.0).is_ok());
}

#[test]
fn zero_or_negative_goals_and_deal_values_are_errors() {
    assert_eq!(field(Goal::customers(0)), "customer_goal");
    assert_eq!(field(Goal::revenue(0.0, 50_000.0)), "revenue_goal");
    assert_eq!(field(Goal::revenue(-1.0, 50_000.0)), "revenue_goal");
    assert_eq!(field(Goal::revenue(1e6, 0.0)), "deal_value");
    assert_eq!(field(Goal::revenue(1e6, -5.0)), "deal_value");
    let inputs = PlanInputs {
        customer_goal: Some(0),
        close_rate: Some(0.25),
        ..PlanInputs::default()
    };
    assert_eq!(field(inputs.report()), "customer_goal");
}

#[test]
fn a_plan_customer_goal_is_a_whole_number_of_customers_as_in_the_scenario() {
    // `[plan] customer_goal` and the scenario's `customer_goal` have one
    // type: a fraction or a negative number is refused when the file loads.
    for bad in ["2.5", "-3", "nan", "\"ten\""] {
        let text = format!(
            "name = \"p\"\n[[segments]]\nname = \"s\"\nsqls = 40\nclose_rate = 0.25\ndeal_value = 1.0\ndecay = \"consumer\"\n[plan]\ncustomer_goal = {bad}\n"
        );
        let error = lead_decay::Analysis::from_toml_str(&text).unwrap_err();
        assert_eq!(error.field(), Some("plan.customer_goal"), "{bad}: {error}");
    }
    assert!(serde_json::from_str::<PlanInputs>(r#"{"customer_goal": 2.5}"#).is_err());
    let inputs: PlanInputs = serde_json::from_str(r#"{"customer_goal": 10}"#).unwrap();
    assert_eq!(inputs.customer_goal, Some(10));
    // The scenario's goal carries over unchanged, u64 to u64.
    let scenario = lead_decay::Scenario::builder("goal")
        .segment(lead_decay::Scenario::reference().segments()[0].clone())
        .customer_goal(u64::MAX)
        .build()
        .unwrap();
    let completed = PlanInputs::default().completed_from(&scenario);
    assert_eq!(completed.customer_goal, scenario.customer_goal());
}

#[test]
fn inconsistent_plan_inputs_name_the_field() {
    let base = PlanInputs {
        customer_goal: Some(10),
        close_rate: Some(0.25),
        ..PlanInputs::default()
    };
    let with = |f: fn(&mut PlanInputs)| {
        let mut inputs = base.clone();
        f(&mut inputs);
        field(inputs.report())
    };
    assert_eq!(with(|i| i.revenue_goal = Some(1e6)), "customer_goal");
    assert_eq!(with(|i| i.customer_goal = None), "revenue_goal");
    assert_eq!(
        with(|i| {
            i.customer_goal = None;
            i.revenue_goal = Some(1e6);
        }),
        "deal_value"
    );
    assert_eq!(with(|i| i.close_rate = None), "close_rate");
    assert_eq!(with(|i| i.inquiry_to_mql = Some(0.1)), "inquiry_to_mql");
    assert_eq!(with(|i| i.mql_to_sal = Some(0.5)), "mql_to_sal");
    assert_eq!(
        with(|i| {
            i.sal_to_sql = Some(0.5);
            i.mql_to_sql = Some(0.5);
        }),
        "mql_to_sql"
    );
    assert_eq!(with(|i| i.cost_per_mql = Some(10.0)), "cost_per_mql");
    assert_eq!(with(|i| i.cost_per_sql = Some(-1.0)), "cost_per_sql");
    assert_eq!(with(|i| i.neglected = Some(5)), "neglected");
    assert_eq!(with(|i| i.neglected_of = Some(40)), "neglected_of");
    assert_eq!(with(|i| i.warm_probability = Some(0.0)), "warm_probability");
    assert_eq!(
        with(|i| {
            i.fixed_costs.insert("agency".into(), -5.0);
        }),
        "fixed_costs.agency"
    );
}

#[test]
fn confidences_outside_0_1_are_errors() {
    for bad in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        assert_eq!(field(Confidence::new(bad)), "confidence");
    }
}

#[test]
fn bad_bant_weights_and_thresholds_are_errors() {
    assert_eq!(field(BantWeights::new(-1.0, 25.0, 25.0, 25.0)), "weights.budget");
    assert_eq!(field(BantWeights::new(25.0, 25.0, f64::NAN, 25.0)), "weights.need");
    assert_eq!(field(BantWeights::new(0.0, 0.0, 0.0, 0.0)), "weights");
    assert_eq!(field(BantScorer::new(BantWeights::default(), 100.5)), "threshold");
    assert!(BantScorer::new(BantWeights::default(), 100.0).is_ok());
    assert_eq!(field(InquiryPool::new(0.5, 1.5, 0.5, 0.5)), "pool.authority");
    assert_eq!(field(Nurture::new(-0.1)), "requalification_chance");
}

#[test]
fn a_holiday_outside_the_months_year_is_an_error() {
    let err = BusinessMonth::new(2025, 12, &[date(2025, 12, 25), date(2026, 1, 1)]).unwrap_err();
    assert_eq!(err.field(), Some("holidays[1]"));
}

proptest! {
    /// Whatever the planner accepts, it plans without panicking, and the
    /// confidence plan never needs fewer SQLs than the sum of its parts allows.
    #[test]
    fn accepted_inputs_never_panic(
        goal in 1u64..5_000,
        close_rate in 0.001f64..=1.0,
        mql_to_sql in prop::option::of(0.001f64..=1.0),
        neglected in 0u64..40,
        warm in 0.01f64..=1.0,
        level in 0.01f64..0.999,
    ) {
        let inputs = PlanInputs {
            customer_goal: Some(goal),
            close_rate: Some(close_rate),
            mql_to_sql,
            neglected: Some(neglected),
            neglected_of: Some(40),
            warm_probability: Some(warm),
            confidence: Some(level),
            ..PlanInputs::default()
        };
        let report = inputs.report().unwrap();
        let sure = report.confidence.unwrap();
        prop_assert!(sure.probability >= level);
        prop_assert!(sure.sqls >= goal);
    }
}

#[test]
fn a_plan_section_with_personas_and_bant_round_trips_through_a_scenario_file() {
    let text = format!(
        "name = \"p\"\n[[segments]]\nname = \"all\"\nsqls = 10\nclose_rate = 0.25\ndeal_value = 1\ndecay = \"consumer\"\n\n[plan]\n{}\n[plan.bant]\ninput = \"leads.csv\"\nweights = {{ budget = 20, authority = 30, need = 30, timeline = 20 }}\nrecontact_after = \"4w\"\nrounds = 2\n",
        PERSONAS.replace("[[personas]]", "[[plan.personas]]")
    );
    let analysis = lead_decay::Analysis::from_toml_str(&text).unwrap();
    let plan = analysis.plan().unwrap();
    assert_eq!(plan.personas.len(), 2);
    assert_eq!(plan.bant.as_ref().unwrap().rounds, Some(2));
    let written = analysis.to_toml_string();
    assert_eq!(
        lead_decay::Analysis::from_toml_str(&written).unwrap(),
        analysis,
        "{written}"
    );
}

// ---- Issue 18, item 1: the plan per business day ----------------------

fn february_2021(days: &str) -> PlanInputs {
    toml::from_str(&format!(
        "revenue_goal = 20_000_000\ndeal_value = 50_000\nclose_rate = 0.25\nmql_to_sql = 0.2\ninquiry_to_mql = 0.1\n[business_days]\n{days}"
    ))
    .unwrap()
}

#[test]
fn a_month_of_20_business_days_against_one_of_23_needs_15_percent_more_leads_a_day() {
    let report = february_2021("month = \"2021-02\"\ncompare_month = \"2021-03\"")
        .report()
        .unwrap();
    let days = report.business_days.unwrap();
    assert_eq!(days.period.business_days, 20);
    assert_eq!(days.period.first, "2021-02-01");
    assert_eq!(days.period.last, "2021-02-28");
    // 1,600 SQLs, 8,000 MQLs, 80,000 inquiries over 20 business days.
    assert_eq!(days.per_business_day(Stage::Sql), Some(80.0));
    assert_eq!(days.per_business_day(Stage::Mql), Some(400.0));
    assert_eq!(days.per_business_day(Stage::Inquiry), Some(4_000.0));
    assert_eq!(days.deals_per_business_day, 20.0);
    let march = days.compare.unwrap();
    assert_eq!(march.period.business_days, 23);
    assert!((march.daily_lift - 0.15).abs() < 1e-12, "{}", march.daily_lift);
    // The same total over March's 23 days is 15 % fewer a day.
    let march_sqls = march.stages[0].per_business_day;
    assert!((march_sqls * (1.0 + march.daily_lift) - 80.0).abs() < 1e-9);
    assert!((march.daily_lift - daily_lift_to_hold_total(23, 20).unwrap()).abs() < 1e-15);
}

#[test]
fn a_holiday_on_a_weekday_removes_a_business_day_and_one_on_a_weekend_does_not() {
    // 2021-02-15 is a Monday (Presidents' Day), 2021-02-13 a Saturday, 2021-12-25 out of the period.
    let report = february_2021("month = \"2021-02\"\nholidays = [\"2021-02-15\", \"2021-02-13\", \"2021-12-25\"]")
        .report()
        .unwrap();
    let days = report.business_days.unwrap();
    assert_eq!(days.period.business_days, 19);
    assert_eq!(days.period.holidays, vec!["2021-02-15".to_owned()]);
    assert!((days.per_business_day(Stage::Sql).unwrap() - 1_600.0 / 19.0).abs() < 1e-12);
    // The count is the crate's one calendar's.
    let calendar = lead_decay::Calendar::office().with_holidays(&[date(2021, 2, 15)]);
    assert_eq!(calendar.business_days_in_month(2021, 2).unwrap(), 19);
}

#[test]
fn a_date_range_and_a_working_week_set_the_business_days() {
    // 2021-02-01 (Mon) to 2021-02-14 (Sun): 10 weekdays, 12 days with Saturdays.
    let range = "from = \"2021-02-01\"\nto = \"2021-02-14\"";
    let weekdays = february_2021(range).report().unwrap().business_days.unwrap();
    assert_eq!(weekdays.period.business_days, 10);
    assert_eq!(weekdays.period.label, "2021-02-01 to 2021-02-14");
    let six = february_2021(&format!("{range}\nworking_days = [\"mon-fri\", \"sat\"]"))
        .report()
        .unwrap()
        .business_days
        .unwrap();
    assert_eq!(six.period.business_days, 12);
    assert_eq!(six.working_days, ["mon", "tue", "wed", "thu", "fri", "sat"]);
}

#[test]
fn bad_business_day_inputs_name_their_field_and_value() {
    for (days, field, value) in [
        ("month = \"2021-13\"", "business_days.month", "\"2021-13\""),
        ("month = \"February\"", "business_days.month", "\"February\""),
        (
            "from = \"2021-02-28\"\nto = \"2021-02-01\"",
            "business_days.to",
            "2021-02-01",
        ),
        (
            "month = \"2021-02\"\nholidays = [\"2021-02-15\", \"15/02/2021\"]",
            "business_days.holidays[1]",
            "\"15/02/2021\"",
        ),
        (
            "month = \"2021-02\"\ncompare_month = \"2021-3\"",
            "business_days.compare_month",
            "\"2021-3\"",
        ),
        (
            "month = \"2021-02\"\nworking_days = [\"mon-fry\"]",
            "business_days.working_days[0]",
            "\"fry\"",
        ),
        ("from = \"2021-02-01\"", "business_days.to", "nothing"),
        ("holidays = [\"2021-02-15\"]", "business_days.month", "nothing"),
        // Every business day of the period is a holiday.
        (
            "from = \"2021-02-15\"\nto = \"2021-02-15\"\nholidays = [\"2021-02-15\"]",
            "business_days.holidays",
            "2021-02-15",
        ),
    ] {
        let err = february_2021(days).report().unwrap_err();
        assert_eq!(err.field(), Some(field), "{days}");
        assert!(err.to_string().contains(value), "{days}: {err}");
    }
    // Unknown keys are errors.
    let typo = "revenue_goal = 1\ndeal_value = 1\nclose_rate = 0.25\n[business_days]\nmonths = \"2021-02\"";
    assert!(
        toml::from_str::<PlanInputs>(typo)
            .unwrap_err()
            .to_string()
            .contains("months")
    );
}

#[test]
fn business_days_reach_the_figures_and_the_json_with_personas_as_their_total() {
    let inputs: PlanInputs = toml::from_str(
        "close_rate = 0.25\nmql_to_sql = 0.2\n[[personas]]\nname = \"a\"\ncustomer_goal = 10\n[[personas]]\nname = \"b\"\ncustomer_goal = 10\n[business_days]\nmonth = \"2021-02\"\ncompare_month = \"2021-03\"",
    )
    .unwrap();
    let report = inputs.report().unwrap();
    // 20 deals, 80 SQLs in total over 20 business days.
    let figure = |metric: &str| {
        report
            .figures()
            .into_iter()
            .find(|f| f.plan == "business_days" && f.metric == metric)
            .map(|f| f.value)
    };
    assert_eq!(figure("business_days"), Some(20.0));
    assert_eq!(figure("sql_per_business_day"), Some(4.0));
    assert_eq!(figure("mql_per_business_day"), Some(20.0));
    assert_eq!(figure("compare_business_days"), Some(23.0));
    assert!((figure("daily_lift").unwrap() - 0.15).abs() < 1e-12);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["business_days"]["period"]["label"], "2021-02");
    assert_eq!(json["business_days"]["stages"][0]["stage"], "sql");
    // Each persona over the same period: 10 deals, 40 SQLs, 200 MQLs in 20 days.
    for (i, persona) in report.personas.iter().enumerate() {
        let days = persona.plan.business_days.as_ref().unwrap();
        assert_eq!(days.period.business_days, 20);
        assert_eq!(days.deals_per_business_day, 0.5);
        assert_eq!(days.per_business_day(Stage::Sql), Some(2.0));
        assert_eq!(days.per_business_day(Stage::Mql), Some(10.0));
        assert!((days.compare.as_ref().unwrap().daily_lift - 0.15).abs() < 1e-12);
        assert_eq!(
            json["personas"][i]["plan"]["business_days"]["stages"][1]["per_business_day"],
            10.0
        );
    }
    let persona_figure = |plan: &str, metric: &str| {
        report
            .figures()
            .into_iter()
            .find(|f| f.plan == plan && f.metric == metric)
            .map(|f| f.value)
    };
    assert_eq!(persona_figure("business_days a", "sql_per_business_day"), Some(2.0));
    assert_eq!(persona_figure("business_days b", "compare_business_days"), Some(23.0));
}

/// A plan completed from a scenario with uncertain inputs uses their given
/// values and says so; a scenario of plain numbers gets no such warning.
#[test]
fn a_plan_from_an_uncertain_scenario_says_it_uses_the_given_values() {
    let uncertain = lead_decay::Analysis::from_toml_str(
        r#"
        name = "guesses"
        customer_goal = 10
        [[segments]]
        name = "all"
        sqls = 40
        close_rate = { dist = "beta", mean = 0.25, sd = 0.04 }
        deal_value = 100000
        decay = { shape = "linear", shelf_life = "4w" }
        follow_up = { dist = "exponential", mean = "2d" }
        "#,
    )
    .unwrap();
    let report = uncertain.plan_inputs().report().unwrap();
    let warning = report.warnings.iter().find(|w| w.contains("uncertain"));
    assert!(
        warning.is_some_and(|w| w.contains("close-rate") && w.contains("given values")),
        "{:?}",
        report.warnings
    );
    let plain = PlanInputs::default().completed_from(&lead_decay::Scenario::reference());
    assert!(!plain.report().unwrap().warnings.iter().any(|w| w.contains("uncertain")));
}
