//! A plan per persona, and their total.

use serde::Serialize;

use crate::plan::funnel::{ExtraCount, FixedCost, NeglectOverhead, StageCount};
use crate::plan::marketing::MarketingSplit;
use crate::plan::monitor::SalesModel;
use crate::plan::report::PlanReport;

/// One persona's plan (its own goal, rates and deal value).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PersonaPlan {
    /// The persona's name.
    pub name: String,
    /// Its plan.
    pub plan: PlanReport,
}

/// The total of several persona plans, as one [`PlanReport`]: deals,
/// revenue, every stage's count and cost, the neglect overhead and the
/// marketing split are sums; the budget is the personas' budgets plus the
/// section's `fixed_costs` (counted once); `close_rate` and
/// `effective_close_rate` are deals per SQL without and with neglect and
/// decay. A confidence is planned per persona only: the total has none.
pub(crate) fn total_of(
    personas: &[PersonaPlan],
    fixed_costs: Vec<FixedCost>,
    sales_model: Option<SalesModel>,
) -> PlanReport {
    let mut stages: Vec<StageCount> = Vec::new();
    let mut extra: Vec<StageCount> = Vec::new();
    let (mut deals, mut sqls, mut extra_sqls) = (0u64, 0u64, 0u64);
    let mut revenue = Some(0.0);
    let mut budget: Option<f64> = None;
    let mut overhead_budget: Option<f64> = None;
    let mut warnings = Vec::new();
    for p in personas {
        let plan = &p.plan;
        deals += plan.deals;
        sqls += plan.stages[0].count;
        extra_sqls += plan.neglect_overhead.sqls;
        revenue = revenue.zip(plan.revenue).map(|(a, b)| a + b);
        add_stages(&mut stages, &plan.stages);
        let as_counts: Vec<StageCount> = plan
            .neglect_overhead
            .stages
            .iter()
            .map(|e| StageCount {
                stage: e.stage,
                count: e.count,
                cost: None,
                cost_per_unit: None,
            })
            .collect();
        add_stages(&mut extra, &as_counts);
        if let Some(b) = plan.budget {
            budget = Some(budget.unwrap_or(0.0) + b);
        }
        if let Some(b) = plan.neglect_overhead.budget {
            overhead_budget = Some(overhead_budget.unwrap_or(0.0) + b);
        }
        warnings.extend(plan.warnings.iter().map(|w| format!("{}: {w}", p.name)));
    }
    let fixed: f64 = fixed_costs.iter().map(|f| f.amount).sum();
    if !fixed_costs.is_empty() {
        budget = Some(budget.unwrap_or(0.0) + fixed);
    }
    let splits: Vec<&MarketingSplit> = personas
        .iter()
        .filter_map(|p| p.plan.marketing_sourced.as_ref())
        .collect();
    let marketing_sourced = match sales_model {
        Some(model) if splits.len() == personas.len() => MarketingSplit::total(&splits, model),
        _ => None,
    };
    if let Some(w) = marketing_sourced.as_ref().and_then(MarketingSplit::warning) {
        warnings.insert(0, format!("total: {w}"));
    }
    let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    PlanReport {
        deals,
        revenue,
        close_rate: ratio(deals, sqls - extra_sqls),
        effective_close_rate: ratio(deals, sqls),
        stages,
        fixed_costs,
        budget,
        cost_per_customer: budget.filter(|_| deals > 0).map(|b| b / deals as f64),
        roi: match (revenue, budget) {
            (Some(r), Some(b)) if b > 0.0 => Some((r - b) / b),
            _ => None,
        },
        neglect_overhead: NeglectOverhead {
            sqls: extra_sqls,
            budget: overhead_budget,
            stages: extra
                .iter()
                .map(|s| ExtraCount {
                    stage: s.stage,
                    count: s.count,
                })
                .collect(),
        },
        confidence: None,
        warnings,
        marketing_sourced,
        personas: personas.to_vec(),
        monitor: None,
        bant: None,
        business_days: None,
    }
}

/// Adds `more` into `into` stage by stage (SQL upwards): counts and costs
/// add; the unit cost is kept only where every plan has the same one.
pub(crate) fn add_stages(into: &mut Vec<StageCount>, more: &[StageCount]) {
    for s in more {
        match into.iter_mut().find(|t| t.stage == s.stage) {
            Some(t) => {
                t.count += s.count;
                t.cost = match (t.cost, s.cost) {
                    (None, None) => None,
                    (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
                };
                if t.cost_per_unit != s.cost_per_unit {
                    t.cost_per_unit = None;
                }
            }
            None => into.push(*s),
        }
    }
    into.sort_by_key(|s| std::cmp::Reverse(s.stage));
}
