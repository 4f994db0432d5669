//! The demand waterfall and the reverse plan: from a goal at the bottom of the
//! funnel to the count needed at every stage and the budget it takes.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::plan::confidence::{Confidence, smallest_sufficient};
use crate::plan::effect::FollowUpEffect;
use crate::plan::stage::Stage;

/// The largest count a plan reports: beyond 2^53 counts are no longer exact
/// as floating-point numbers, and no real funnel comes near it.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// What the plan must deliver: a number of deals, and what a deal is worth
/// when that is known.
///
/// # Example
///
/// ```
/// use lead_decay::plan::Goal;
///
/// let revenue = Goal::revenue(10_000_000.0, 50_000.0)?;
/// assert_eq!(revenue.deals(), 200);
/// assert_eq!(Goal::revenue(10_000_000.0, 30_000.0)?.deals(), 334); // whole deals, rounded up
/// let customers = Goal::customers(10)?;
/// assert_eq!(customers.deals(), 10);
/// assert_eq!(customers.revenue_of_deals(), None);
/// assert_eq!(revenue.revenue_of_deals(), Some(10_000_000.0));
/// assert!(Goal::revenue(-1.0, 50_000.0).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    deals: u64,
    deal_value: Option<f64>,
}

impl Goal {
    /// A revenue goal met with deals of `deal_value` each: `ceil(revenue /
    /// deal_value)` deals.
    ///
    /// # Errors
    ///
    /// A revenue goal or deal value that is not a finite number > 0 (fields
    /// `revenue_goal`, `deal_value`).
    pub fn revenue(revenue_goal: f64, deal_value: f64) -> Result<Goal> {
        let revenue_goal = check_money_positive("revenue_goal", revenue_goal)?;
        let deal_value = check_money_positive("deal_value", deal_value)?;
        let deals = ceil_count(revenue_goal / deal_value)
            .ok_or_else(|| Error::invalid("revenue_goal", revenue_goal, "at most 2^53 deal values"))?;
        Ok(Goal {
            deals,
            deal_value: Some(deal_value),
        })
    }

    /// A goal of `customers` new customers.
    ///
    /// # Errors
    ///
    /// A goal of zero (field `customer_goal`).
    pub fn customers(customers: u64) -> Result<Goal> {
        if customers == 0 {
            return Err(Error::invalid(
                "customer_goal",
                customers,
                "a whole number of customers >= 1",
            ));
        }
        Ok(Goal {
            deals: customers,
            deal_value: None,
        })
    }

    /// What each deal is worth (enables revenue and ROI in the plan).
    ///
    /// # Errors
    ///
    /// A value that is not a finite number > 0 (field `deal_value`).
    pub fn with_deal_value(mut self, deal_value: f64) -> Result<Goal> {
        self.deal_value = Some(check_money_positive("deal_value", deal_value)?);
        Ok(self)
    }

    /// The number of deals (new customers) the plan must deliver.
    pub fn deals(&self) -> u64 {
        self.deals
    }

    /// The value of one deal, if known.
    pub fn deal_value(&self) -> Option<f64> {
        self.deal_value
    }

    /// The revenue of the goal's deals, `deals x deal_value` (at least the
    /// revenue goal: deals are whole), if the deal value is known.
    pub fn revenue_of_deals(&self) -> Option<f64> {
        self.deal_value.map(|v| self.deals as f64 * v)
    }
}

/// One stage of a [`Funnel`]: its conversion rate to the next stage present
/// below it (to customer, for the SQL stage) and its cost per unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelStage {
    stage: Stage,
    conversion: f64,
    cost_per_unit: Option<f64>,
}

impl FunnelStage {
    /// Which stage this is.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The share of this stage that converts to the next stage present below
    /// it (for SQLs: the close rate).
    pub fn conversion(&self) -> f64 {
        self.conversion
    }

    /// The cost of one unit at this stage (one visitor, one inquiry, ...).
    pub fn cost_per_unit(&self) -> Option<f64> {
        self.cost_per_unit
    }
}

/// A cost that does not scale with volume: staff, technology, agency.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FixedCost {
    /// What the cost is for.
    pub name: String,
    /// The amount, in the scenario's currency.
    pub amount: f64,
}

/// The demand waterfall visitor -> inquiry -> MQL -> SAL -> SQL -> customer,
/// with a conversion rate between adjacent stages, costs per unit and fixed
/// costs.
///
/// A funnel always has the SQL stage (its conversion is the close rate);
/// stages above it are added from the bottom up, and any may be left out (an
/// MQL stage right above the SQL stage converts MQL -> SQL).
///
/// ```text
/// count(SQL)   = ceil(deals / close_rate)
/// count(stage) = ceil(count(next stage below) / conversion(stage))
/// budget       = sum of count x cost per unit + fixed costs
/// ```
///
/// # Example
///
/// ```
/// use lead_decay::plan::{Funnel, Goal, Stage};
///
/// // The funnel-planning reference: 400 deals, 25 % close, MQL -> SQL 20 %.
/// let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?;
/// let plan = funnel.plan(&Goal::customers(400)?)?;
/// assert_eq!(plan.deals(), 400);
/// assert_eq!(plan.count(Stage::Sql), Some(1_600));
/// assert_eq!(plan.count(Stage::Mql), Some(8_000));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    /// From SQL upwards: `stages[0]` is the SQL stage.
    stages: Vec<FunnelStage>,
    fixed_costs: Vec<FixedCost>,
}

impl Funnel {
    /// A funnel with only the SQL stage, closing at `close_rate`.
    ///
    /// # Errors
    ///
    /// A close rate outside (0, 1] or NaN (field `close_rate`).
    pub fn new(close_rate: f64) -> Result<Funnel> {
        let close_rate = check_rate("close_rate", close_rate)?;
        Ok(Funnel {
            stages: vec![FunnelStage {
                stage: Stage::Sql,
                conversion: close_rate,
                cost_per_unit: None,
            }],
            fixed_costs: Vec::new(),
        })
    }

    /// Adds `stage` on top of the funnel; `conversion` is the share of it that
    /// reaches the stage currently on top (e.g. MQL -> SQL when only SQLs are
    /// there, MQL -> SAL once a SAL stage was added).
    ///
    /// # Errors
    ///
    /// A stage that is not above the current top stage (field `stage`), or a
    /// conversion outside (0, 1] (field named after the rate, e.g. `mql_to_sql`).
    pub fn with_stage(mut self, stage: Stage, conversion: f64) -> Result<Funnel> {
        let top = self.top().stage;
        if stage >= top {
            return Err(Error::invalid(
                "stage",
                stage,
                format!("a stage above {top} (stages are added from the bottom of the funnel up)"),
            ));
        }
        let conversion = check_rate(&rate_name(stage, top), conversion)?;
        self.stages.push(FunnelStage {
            stage,
            conversion,
            cost_per_unit: None,
        });
        Ok(self)
    }

    /// Sets the cost of one unit at `stage` (cost per visitor, per inquiry, ...).
    ///
    /// # Errors
    ///
    /// A stage not in the funnel (field `stage`), or a cost that is not a
    /// finite number >= 0 (field `cost_per_<stage>`).
    pub fn with_cost_per_unit(mut self, stage: Stage, cost: f64) -> Result<Funnel> {
        let field = format!("cost_per_{stage}");
        let Some(entry) = self.stages.iter_mut().find(|s| s.stage == stage) else {
            return Err(Error::invalid(
                field,
                stage,
                "a stage of the funnel (give its conversion rate first)",
            ));
        };
        if !(cost.is_finite() && cost >= 0.0) {
            return Err(Error::invalid(field, cost, "a finite amount >= 0"));
        }
        entry.cost_per_unit = Some(cost);
        Ok(self)
    }

    /// Adds a fixed cost (staff, technology, agency, ...).
    ///
    /// # Errors
    ///
    /// An amount that is not a finite number >= 0 (field `fixed_costs.<name>`).
    pub fn with_fixed_cost(mut self, name: impl Into<String>, amount: f64) -> Result<Funnel> {
        let name = name.into();
        if !(amount.is_finite() && amount >= 0.0) {
            return Err(Error::invalid(
                format!("fixed_costs.{name}"),
                amount,
                "a finite amount >= 0",
            ));
        }
        self.fixed_costs.push(FixedCost { name, amount });
        Ok(self)
    }

    /// The close rate (SQL -> customer).
    pub fn close_rate(&self) -> f64 {
        self.stages[0].conversion
    }

    /// The stages from SQL upwards.
    pub fn stages(&self) -> &[FunnelStage] {
        &self.stages
    }

    /// The fixed costs.
    pub fn fixed_costs(&self) -> &[FixedCost] {
        &self.fixed_costs
    }

    /// Whether the funnel has `stage`.
    pub fn has(&self, stage: Stage) -> bool {
        self.stages.iter().any(|s| s.stage == stage)
    }

    /// The share of `stage` that becomes a customer (the product of the
    /// conversions from it down), if the funnel has the stage.
    pub fn to_customer(&self, stage: Stage) -> Option<f64> {
        let i = self.stages.iter().position(|s| s.stage == stage)?;
        Some(self.stages[..=i].iter().map(|s| s.conversion).product())
    }

    /// The reverse plan: the count needed at every stage to reach `goal`,
    /// rounded up stage by stage, and the budget it takes.
    ///
    /// # Errors
    ///
    /// A count beyond 2^53 at some stage (field: the rate that led there).
    pub fn plan(&self, goal: &Goal) -> Result<Plan> {
        self.plan_with(goal, &FollowUpEffect::none())
    }

    /// The decay-aware reverse plan: as [`Funnel::plan`] with the effective
    /// close rate `close_rate x worked_share x warm_probability`.
    ///
    /// # Errors
    ///
    /// As [`Funnel::plan`].
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{FollowUpEffect, Funnel, Goal, Stage};
    ///
    /// // 10 customers at 25 % with 5 of every 40 SQLs never followed up.
    /// let funnel = Funnel::new(0.25)?;
    /// let effect = FollowUpEffect::neglecting(5, 40)?;
    /// let plan = funnel.plan_with(&Goal::customers(10)?, &effect)?;
    /// assert_eq!(plan.count(Stage::Sql), Some(46));
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn plan_with(&self, goal: &Goal, effect: &FollowUpEffect) -> Result<Plan> {
        let effective = effect.effective_close_rate(self.close_rate());
        let sqls = ceil_count(goal.deals() as f64 / effective).ok_or_else(|| {
            Error::invalid(
                "close_rate",
                effective,
                "an effective close rate giving at most 2^53 SQLs",
            )
        })?;
        self.plan_from_sqls(goal, sqls, effective)
    }

    /// The confidence-aware plan: the smallest SQL count (and the counts above
    /// it) such that `P(customers >= deals) >= level`, computed exactly with
    /// the binomial distribution of customers under the effective close rate.
    ///
    /// # Errors
    ///
    /// As [`Funnel::plan`].
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{Confidence, FollowUpEffect, Funnel, Goal};
    ///
    /// let funnel = Funnel::new(0.25)?;
    /// let none = FollowUpEffect::none();
    /// let sure = funnel.confidence_plan(&Goal::customers(10)?, &none, Confidence::new(0.9)?)?;
    /// assert_eq!(sure.sqls(), 55);
    /// assert!((sure.probability() - 0.9112).abs() < 1e-4);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn confidence_plan(&self, goal: &Goal, effect: &FollowUpEffect, level: Confidence) -> Result<ConfidencePlan> {
        let (worked, p) = effect.trials(self.close_rate());
        let (sqls, probability) = smallest_sufficient(goal.deals(), p, worked, level)?;
        let plan = self.plan_from_sqls(goal, sqls, effect.effective_close_rate(self.close_rate()))?;
        Ok(ConfidencePlan {
            level,
            probability,
            plan,
        })
    }

    /// The probability that `sqls` SQLs reach the goal under `effect`, exactly.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{FollowUpEffect, Funnel, Goal};
    ///
    /// // The reference case (guide::model): 40 SQLs with 5 neglected reach 10 customers 37.4 % of the time.
    /// let funnel = Funnel::new(0.25)?;
    /// let p = funnel.goal_probability(&Goal::customers(10)?, &FollowUpEffect::neglecting(5, 40)?, 40);
    /// assert!((p - 0.374).abs() < 5e-4);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn goal_probability(&self, goal: &Goal, effect: &FollowUpEffect, sqls: u64) -> f64 {
        let (worked, p) = effect.trials(self.close_rate());
        crate::plan::confidence::binomial_at_least(worked.count(sqls), p, goal.deals())
    }

    fn top(&self) -> &FunnelStage {
        // `new` puts the SQL stage in; stages are never removed.
        self.stages.last().unwrap_or(&self.stages[0])
    }

    pub(crate) fn plan_from_sqls(&self, goal: &Goal, sqls: u64, effective_close_rate: f64) -> Result<Plan> {
        let mut stages = Vec::with_capacity(self.stages.len());
        let mut count = sqls;
        for (i, s) in self.stages.iter().enumerate() {
            if i > 0 {
                let below = self.stages[i - 1].stage;
                count = ceil_count(count as f64 / s.conversion).ok_or_else(|| {
                    Error::invalid(
                        rate_name(s.stage, below),
                        s.conversion,
                        "a rate giving at most 2^53 units",
                    )
                })?;
            }
            stages.push(StageCount {
                stage: s.stage,
                count,
                cost_per_unit: s.cost_per_unit,
                cost: s.cost_per_unit.map(|c| c * count as f64),
            });
        }
        let has_costs = stages.iter().any(|s| s.cost.is_some()) || !self.fixed_costs.is_empty();
        let budget = has_costs.then(|| {
            stages.iter().filter_map(|s| s.cost).sum::<f64>() + self.fixed_costs.iter().map(|f| f.amount).sum::<f64>()
        });
        Ok(Plan {
            deals: goal.deals(),
            revenue: goal.revenue_of_deals(),
            close_rate: self.close_rate(),
            effective_close_rate,
            stages,
            budget,
        })
    }
}

/// How many units one stage of a plan needs and what they cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct StageCount {
    /// The stage.
    pub stage: Stage,
    /// Units needed at this stage.
    pub count: u64,
    /// `count x cost_per_unit`, when the stage has a unit cost.
    pub cost: Option<f64>,
    /// The cost of one unit, when given.
    pub cost_per_unit: Option<f64>,
}

/// A reverse plan: the count needed at every stage, the budget and what it
/// returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    deals: u64,
    revenue: Option<f64>,
    close_rate: f64,
    effective_close_rate: f64,
    stages: Vec<StageCount>,
    budget: Option<f64>,
}

impl Plan {
    /// The deals (new customers) the plan delivers.
    pub fn deals(&self) -> u64 {
        self.deals
    }

    /// The stages from SQL upwards.
    pub fn stages(&self) -> &[StageCount] {
        &self.stages
    }

    /// The count needed at `stage`, if the funnel has it.
    pub fn count(&self, stage: Stage) -> Option<u64> {
        self.stages.iter().find(|s| s.stage == stage).map(|s| s.count)
    }

    /// The SQLs needed.
    pub fn sqls(&self) -> u64 {
        self.stages[0].count
    }

    /// The close rate the plan assumes (SQL -> customer, before neglect and decay).
    pub fn close_rate(&self) -> f64 {
        self.close_rate
    }

    /// The close rate after neglect and decay: the chance a planned SQL
    /// becomes a customer.
    pub fn effective_close_rate(&self) -> f64 {
        self.effective_close_rate
    }

    /// Unit costs plus fixed costs; `None` when the funnel has no costs at all.
    pub fn budget(&self) -> Option<f64> {
        self.budget
    }

    /// Budget per deal.
    pub fn cost_per_customer(&self) -> Option<f64> {
        self.budget.map(|b| b / self.deals as f64)
    }

    /// The revenue of the plan's deals, when the deal value is known.
    pub fn revenue(&self) -> Option<f64> {
        self.revenue
    }

    /// `(revenue - budget) / budget`, when both are known and the budget is > 0.
    pub fn roi(&self) -> Option<f64> {
        match (self.revenue, self.budget) {
            (Some(revenue), Some(budget)) if budget > 0.0 => Some((revenue - budget) / budget),
            _ => None,
        }
    }

    /// What this plan needs beyond `ideal` (the same funnel without neglect
    /// and decay): the neglect overhead.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{FollowUpEffect, Funnel, Goal, Stage};
    ///
    /// let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?.with_cost_per_unit(Stage::Mql, 100.0)?;
    /// let goal = Goal::customers(10)?;
    /// let ideal = funnel.plan(&goal)?;
    /// let actual = funnel.plan_with(&goal, &FollowUpEffect::neglecting(5, 40)?)?;
    /// let overhead = actual.overhead_over(&ideal);
    /// assert_eq!(overhead.sqls, 6);
    /// assert_eq!(overhead.count(Stage::Mql), Some(30)); // 230 MQLs instead of 200
    /// assert_eq!(overhead.budget, Some(3_000.0));
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn overhead_over(&self, ideal: &Plan) -> NeglectOverhead {
        let stages: Vec<ExtraCount> = self
            .stages
            .iter()
            .map(|s| ExtraCount {
                stage: s.stage,
                count: s.count.saturating_sub(ideal.count(s.stage).unwrap_or(0)),
            })
            .collect();
        let budget = match (self.budget, ideal.budget) {
            (Some(actual), Some(ideal)) => Some(actual - ideal),
            _ => None,
        };
        NeglectOverhead {
            sqls: self.sqls().saturating_sub(ideal.sqls()),
            budget,
            stages,
        }
    }
}

/// How many more units one stage needs because of neglect and decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ExtraCount {
    /// The stage.
    pub stage: Stage,
    /// Extra units needed.
    pub count: u64,
}

/// What neglect and decay cost a plan: the extra SQLs (and MQLs,
/// inquiries, ...) and the extra budget.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NeglectOverhead {
    /// Extra SQLs.
    pub sqls: u64,
    /// Extra budget, when the funnel has costs.
    pub budget: Option<f64>,
    /// Extra units at every stage, from SQL upwards.
    pub stages: Vec<ExtraCount>,
}

impl NeglectOverhead {
    /// Extra units at `stage`, if the funnel has it.
    pub fn count(&self, stage: Stage) -> Option<u64> {
        self.stages.iter().find(|s| s.stage == stage).map(|s| s.count)
    }
}

/// A plan sized so that the goal is reached with a given confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfidencePlan {
    level: Confidence,
    probability: f64,
    plan: Plan,
}

impl ConfidencePlan {
    /// The confidence asked for.
    pub fn level(&self) -> Confidence {
        self.level
    }

    /// The smallest SQL count reaching the goal with that confidence.
    pub fn sqls(&self) -> u64 {
        self.plan.sqls()
    }

    /// The exact probability that [`ConfidencePlan::sqls`] SQLs reach the goal
    /// (at least the level).
    pub fn probability(&self) -> f64 {
        self.probability
    }

    /// The full plan (every stage and the budget) for that SQL count.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}

/// The name of the rate from `stage` to `below` in files and on the command
/// line: `mql_to_sql`; the SQL stage's rate is `close_rate`.
pub(crate) fn rate_name(stage: Stage, below: Stage) -> String {
    format!("{stage}_to_{below}")
}

/// Checks that `value` is a conversion rate in (0, 1] (NaN fails).
pub(crate) fn check_rate(field: &str, value: f64) -> Result<f64> {
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a rate in (0, 1]"))
    }
}

fn check_money_positive(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a finite amount > 0"))
    }
}

/// Rounds a planned count up, treating values within 1e-9 (relative) of a
/// whole number as that number: 1,600 / 0.2 is 8,000 MQLs, not 8,001 because
/// 0.2 is not exact in binary.
pub(crate) fn ceil_count(x: f64) -> Option<u64> {
    if !(x.is_finite() && x <= MAX_COUNT) {
        return None;
    }
    let nearest = x.round();
    let rounded = if (x - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        x.ceil()
    };
    // Finite, within [0, 2^53]: the conversion is exact.
    Some(rounded.max(0.0) as u64)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_count_forgives_binary_fractions_only() {
        assert_eq!(ceil_count(1_600.0 / 0.2), Some(8_000));
        assert_eq!(ceil_count(10.0 / (0.25 * 0.875)), Some(46));
        assert_eq!(ceil_count(40.000_001), Some(41));
        assert_eq!(ceil_count(f64::INFINITY), None);
        assert_eq!(ceil_count(1e300), None);
    }

    #[test]
    fn stages_must_be_added_bottom_up() {
        let funnel = Funnel::new(0.25).unwrap().with_stage(Stage::Mql, 0.2).unwrap();
        assert_eq!(
            funnel.clone().with_stage(Stage::Sal, 0.5).unwrap_err().field(),
            Some("stage")
        );
        assert_eq!(
            funnel.clone().with_stage(Stage::Inquiry, 1.5).unwrap_err().field(),
            Some("inquiry_to_mql")
        );
        assert_eq!(
            funnel.with_cost_per_unit(Stage::Visitor, 1.0).unwrap_err().field(),
            Some("cost_per_visitor")
        );
    }
}
