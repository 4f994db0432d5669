//! The planner's inputs (the `[plan]` section of a scenario file, or the
//! `plan` example's flags) and its report (the `plan` example's JSON).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::exact::warm::warm_probability;
use crate::model::follow_up::Neglect;
use crate::model::scenario::Scenario;
use crate::plan::confidence::Confidence;
use crate::plan::effect::FollowUpEffect;
use crate::plan::file::{BantInputs, PersonaInputs};
use crate::plan::funnel::{ExtraCount, FixedCost, Funnel, Goal, NeglectOverhead, StageCount, add_stages};
use crate::plan::leads::{BantFunnel, LeadList, LeadScoring};
use crate::plan::marketing::MarketingSplit;
use crate::plan::monitor::{Band, BandStatus, Monitor, MonitorReport, SalesModel, band_warning};
use crate::plan::period::{BusinessDayPlan, BusinessDaysInputs};
use crate::plan::stage::Stage;

/// Everything the planner needs, as plain data: the fields are named like the
/// `plan` example's flags (`--revenue-goal` is `revenue_goal`) so that a
/// `[plan]` section of a scenario file reads the same.
///
/// ```toml
/// [plan]
/// revenue_goal = 10_000_000      # or customer_goal = 10
/// deal_value = 50_000
/// close_rate = 0.25
/// mql_to_sql = 0.2               # or sal_to_sql + mql_to_sal
/// inquiry_to_mql = 0.1
/// confidence = 0.9
/// cost_per_inquiry = 120
/// fixed_costs = { staff = 400_000, agency = 60_000 }
/// neglected = 5                  # with neglected_of = 40, or never_followed_up = 0.36
/// neglected_of = 40
/// warm_probability = 0.8         # E[f(D)] of the segment's decay and follow-up
/// marketing_sourced_share = 0.3  # of the planned deals, checked against the band of
/// sales_model = "field_with_inside_support"   # (or "inside_with_lead_focused_marketing")
///
/// [[plan.personas]]              # a plan (and monitor) per persona; the report is their total
/// name = "smb"
/// customer_goal = 30
/// observed = { mql = 900, customers = 41, marketing_sourced_customers = 14 }
///
/// [plan.bant]                    # BANT scoring of a lead list, fed into the funnel
/// input = "leads.csv"
///
/// [plan.business_days]           # the plan per business day of the goal's period
/// month = "2025-02"              # or from = "2025-02-01", to = "2025-02-28"
/// holidays = ["2025-02-17"]
/// working_days = ["mon-fri"]
/// compare_month = "2025-01"      # and the daily lift against this month
/// ```
///
/// See [`PersonaInputs`], [`BantInputs`] and [`BusinessDaysInputs`] for
/// every key of the last three.
///
/// # Example
///
/// ```
/// use lead_decay::plan::PlanInputs;
///
/// let inputs: PlanInputs = serde_json::from_str(
///     r#"{"revenue_goal": 20000000, "deal_value": 50000, "close_rate": 0.25, "mql_to_sql": 0.2}"#,
/// ).unwrap();
/// let report = inputs.report()?;
/// assert_eq!(report.deals, 400);
/// assert_eq!(report.stages[1].count, 8_000);
/// assert!(serde_json::from_str::<PlanInputs>(r#"{"close_rat": 0.25}"#).is_err()); // typo
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInputs {
    /// Revenue to reach (needs `deal_value`); exclusive with `customer_goal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_goal: Option<f64>,
    /// New customers to win, a whole number (as the scenario's
    /// `customer_goal`); exclusive with `revenue_goal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_goal: Option<u64>,
    /// Average deal value (required with `revenue_goal`; enables ROI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_value: Option<f64>,
    /// SQL -> customer (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_rate: Option<f64>,
    /// MQL -> SQL, when there is no SAL stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql_to_sql: Option<f64>,
    /// SAL -> SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sal_to_sql: Option<f64>,
    /// MQL -> SAL (needs `sal_to_sql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql_to_sal: Option<f64>,
    /// Inquiry -> MQL (needs an MQL stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inquiry_to_mql: Option<f64>,
    /// Visitor -> inquiry (needs `inquiry_to_mql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_to_inquiry: Option<f64>,
    /// Plan the SQLs that reach the goal with this probability, in (0, 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Cost of one visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_visitor: Option<f64>,
    /// Cost of one inquiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_inquiry: Option<f64>,
    /// Cost of one MQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_mql: Option<f64>,
    /// Cost of one SAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_sal: Option<f64>,
    /// Cost of one SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_sql: Option<f64>,
    /// Fixed costs by name (staff, technology, agency, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixed_costs: BTreeMap<String, f64>,
    /// SQLs never followed up, out of every `neglected_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neglected: Option<u64>,
    /// The cohort `neglected` is counted in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neglected_of: Option<u64>,
    /// Probability that each SQL is never followed up; exclusive with `neglected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_followed_up: Option<f64>,
    /// `E[f(D)]`: the chance a worked SQL is still warm (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_probability: Option<f64>,
    /// Share of the planned deals that marketing sources: the plan is split
    /// into marketing-sourced and other, and the share checked against the
    /// band of `sales_model` (see [`MarketingSplit`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_sourced_share: Option<f64>,
    /// How the sales team works: sets the marketing-sourced band (needed
    /// with `marketing_sourced_share` and with observed persona counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_model: Option<SalesModel>,
    /// Personas (`[[plan.personas]]`), each planned with its own goal and
    /// rates (the section's where it gives none), then totalled; the
    /// section itself then has no goal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<PersonaInputs>,
    /// BANT scoring of a lead list (`[plan.bant]`), whose qualified leads
    /// feed the funnel as SQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bant: Option<BantInputs>,
    /// The period the goal is for (`[plan.business_days]`): the plan per
    /// business day of a month or date range, with holidays and the working
    /// week, and the daily lift against a month to compare with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_days: Option<BusinessDaysInputs>,
    /// The team's calendar: a scenario file's top-level `[calendar]`
    /// ([`Analysis::plan_inputs`](crate::Analysis::plan_inputs) sets it).
    /// `business_days` counts its working days when it names none, and its
    /// holidays beside its own ([`BusinessDaysInputs::plan_on`]). Not a key
    /// of the `[plan]` section.
    #[serde(skip)]
    pub team_calendar: Option<Calendar>,
    /// The uncertain inputs of the scenario the plan was completed from
    /// ([`PlanInputs::completed_from`]): the plan uses their given values,
    /// one number each, and its report says so in a warning. Not a key of
    /// the `[plan]` section.
    #[serde(skip)]
    pub uncertain_scenario_inputs: Vec<String>,
}

impl PlanInputs {
    /// These inputs (a scenario file's `[plan]` section, or the default),
    /// completed from `scenario` where they are silent. The goal defaults
    /// to the scenario's `customer_goal`; with a single segment, the close
    /// rate, the mean deal value, the neglect (a count `k` reads as "k of
    /// every `sqls`") and the warm probability `E[f(D)]` of its decay and
    /// follow-up delay make the plan decay-aware. With several segments only
    /// the `[plan]` section and the goal are used. A scenario with uncertain
    /// inputs lends its given values (the plan is one number per stage, not
    /// an interval) and the report warns of it.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{PlanInputs, Scenario};
    ///
    /// let inputs = PlanInputs::default().completed_from(&Scenario::reference());
    /// let report = inputs.report()?;
    /// assert_eq!(report.stages[0].count, 46); // 10 customers, 5 of every 40 neglected
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn completed_from(self, scenario: &Scenario) -> PlanInputs {
        let mut inputs = self;
        if inputs.revenue_goal.is_none() && inputs.customer_goal.is_none() && inputs.personas.is_empty() {
            inputs.customer_goal = scenario.customer_goal();
        }
        if let [segment] = scenario.segments() {
            inputs.close_rate.get_or_insert(segment.close_rate());
            inputs.deal_value.get_or_insert(segment.deal_value().mean());
            if inputs.neglected.is_none() && inputs.never_followed_up.is_none() {
                match segment.follow_up().neglect() {
                    Neglect::None => {}
                    Neglect::Count(k) => {
                        inputs.neglected = Some(k);
                        inputs.neglected_of = Some(segment.sqls());
                    }
                    Neglect::Probability(q) => inputs.never_followed_up = Some(q),
                }
            }
            inputs
                .warm_probability
                .get_or_insert_with(|| warm_probability(segment.decay(), segment.follow_up().delay()));
            inputs.uncertain_scenario_inputs = scenario.uncertainty().factors().into_iter().map(|f| f.name).collect();
        }
        inputs
    }

    /// The goal: `revenue_goal` with `deal_value`, or `customer_goal`.
    ///
    /// # Errors
    ///
    /// Neither or both goals; a revenue goal without a deal value; a customer
    /// goal of 0; a non-positive revenue goal or deal value.
    pub fn goal(&self) -> Result<Goal> {
        match (self.revenue_goal, self.customer_goal) {
            (Some(_), Some(c)) => Err(Error::invalid(
                "customer_goal",
                c,
                "no customer_goal when revenue_goal is given",
            )),
            (None, None) => Err(Error::invalid(
                "revenue_goal",
                "nothing",
                "a revenue_goal (with deal_value) or a customer_goal",
            )),
            (Some(revenue), None) => {
                let deal_value = self
                    .deal_value
                    .ok_or_else(|| Error::invalid("deal_value", "nothing", "a deal value with revenue_goal"))?;
                Goal::revenue(revenue, deal_value)
            }
            (None, Some(customers)) => {
                let goal = Goal::customers(customers)?;
                match self.deal_value {
                    Some(v) => goal.with_deal_value(v),
                    None => Ok(goal),
                }
            }
        }
    }

    /// The funnel: SQL with `close_rate`, then SAL (`sal_to_sql`) and MQL
    /// (`mql_to_sal`), or MQL (`mql_to_sql`), then inquiry and visitor; with
    /// the unit and fixed costs.
    ///
    /// # Errors
    ///
    /// A missing close rate, a rate outside (0, 1], a rate for a stage whose
    /// lower neighbour is missing, `mql_to_sql` together with a SAL stage, a
    /// negative cost or a cost for a missing stage; each names its field.
    pub fn funnel(&self) -> Result<Funnel> {
        let close_rate = self
            .close_rate
            .ok_or_else(|| Error::invalid("close_rate", "nothing", "a rate in (0, 1]"))?;
        let mut funnel = Funnel::new(close_rate)?;
        if let Some(sal_to_sql) = self.sal_to_sql {
            funnel = funnel.with_stage(Stage::Sal, sal_to_sql)?;
            if let Some(r) = self.mql_to_sql {
                return Err(Error::invalid(
                    "mql_to_sql",
                    r,
                    "no mql_to_sql with a SAL stage (give mql_to_sal)",
                ));
            }
            if let Some(r) = self.mql_to_sal {
                funnel = funnel.with_stage(Stage::Mql, r)?;
            }
        } else {
            if let Some(r) = self.mql_to_sal {
                return Err(Error::invalid(
                    "mql_to_sal",
                    r,
                    "mql_to_sal only together with sal_to_sql",
                ));
            }
            if let Some(r) = self.mql_to_sql {
                funnel = funnel.with_stage(Stage::Mql, r)?;
            }
        }
        if let Some(r) = self.inquiry_to_mql {
            if !funnel.has(Stage::Mql) {
                return Err(Error::invalid(
                    "inquiry_to_mql",
                    r,
                    "an MQL stage below it (give mql_to_sql, or sal_to_sql and mql_to_sal)",
                ));
            }
            funnel = funnel.with_stage(Stage::Inquiry, r)?;
        }
        if let Some(r) = self.visitor_to_inquiry {
            if !funnel.has(Stage::Inquiry) {
                return Err(Error::invalid(
                    "visitor_to_inquiry",
                    r,
                    "an inquiry stage below it (give inquiry_to_mql)",
                ));
            }
            funnel = funnel.with_stage(Stage::Visitor, r)?;
        }
        let unit_costs = [
            (Stage::Visitor, self.cost_per_visitor),
            (Stage::Inquiry, self.cost_per_inquiry),
            (Stage::Mql, self.cost_per_mql),
            (Stage::Sal, self.cost_per_sal),
            (Stage::Sql, self.cost_per_sql),
        ];
        for (stage, cost) in unit_costs {
            if let Some(cost) = cost {
                funnel = funnel.with_cost_per_unit(stage, cost)?;
            }
        }
        for (name, &amount) in &self.fixed_costs {
            funnel = funnel.with_fixed_cost(name.clone(), amount)?;
        }
        Ok(funnel)
    }

    /// The follow-up effect: `neglected` of every `neglected_of`, or
    /// `never_followed_up`, and `warm_probability`.
    ///
    /// # Errors
    ///
    /// `neglected` without `neglected_of` (or the reverse), both kinds of
    /// neglect, or values out of range; each names its field.
    pub fn follow_up_effect(&self) -> Result<FollowUpEffect> {
        let effect = match (self.neglected, self.neglected_of, self.never_followed_up) {
            (Some(k), _, Some(_)) => {
                return Err(Error::invalid(
                    "neglected",
                    k,
                    "either neglected or never_followed_up, not both",
                ));
            }
            (Some(k), Some(of), None) => FollowUpEffect::neglecting(k, of)?,
            (Some(k), None, None) => {
                return Err(Error::invalid(
                    "neglected",
                    k,
                    "a count with neglected_of (\"5 of every 40\")",
                ));
            }
            (None, Some(of), _) => {
                return Err(Error::invalid(
                    "neglected_of",
                    of,
                    "a cohort size only together with neglected",
                ));
            }
            (None, None, Some(q)) => FollowUpEffect::never_followed_up(q)?,
            (None, None, None) => FollowUpEffect::none(),
        };
        match self.warm_probability {
            Some(w) => effect.with_warm_probability(w),
            None => Ok(effect),
        }
    }

    /// The confidence level, if one is asked for.
    ///
    /// # Errors
    ///
    /// A level outside (0, 1) (field `confidence`).
    pub fn confidence(&self) -> Result<Option<Confidence>> {
        self.confidence.map(Confidence::new).transpose()
    }

    /// Validates everything and builds the report: the plan (or, with
    /// personas, their total with each persona's plan and monitor), the
    /// marketing split, the BANT scoring of `bant.input`, and the plan per
    /// business day of `business_days` (for the total and, with personas,
    /// for each persona over the same period).
    ///
    /// # Errors
    ///
    /// As [`PlanInputs::goal`], [`PlanInputs::funnel`],
    /// [`PlanInputs::follow_up_effect`] and [`PlanInputs::confidence`]
    /// (under `personas[i]` for a persona); a goal at the top of the section
    /// together with personas; a marketing-sourced share or observed counts
    /// without a `sales_model`; as [`PlanInputs::lead_scoring`]; as
    /// [`BusinessDaysInputs::plan`] (under `business_days`).
    pub fn report(&self) -> Result<PlanReport> {
        let mut report = if self.personas.is_empty() {
            self.single_report()?
        } else {
            self.persona_report()?
        };
        report.bant = self.lead_scoring()?;
        if let Some(days) = &self.business_days {
            let per_day = |plan: &PlanReport| {
                days.plan_on(&plan.stages, plan.deals, self.team_calendar.as_ref())
                    .map_err(|e| e.within("business_days"))
            };
            // The period is the same for every persona and the total: each
            // persona's plan per business day sums to the total's.
            report.business_days = Some(per_day(&report)?);
            for persona in &mut report.personas {
                persona.plan.business_days = Some(per_day(&persona.plan)?);
            }
        }
        if !self.uncertain_scenario_inputs.is_empty() {
            report.warnings.push(format!(
                "the scenario's inputs {} are uncertain: the plan uses their given values, so its counts carry none of \
                 that uncertainty (simulate the scenario for the spread of customers)",
                self.uncertain_scenario_inputs.join(", ")
            ));
        }
        Ok(report)
    }

    fn single_report(&self) -> Result<PlanReport> {
        let goal = self.goal()?;
        let funnel = self.funnel()?;
        let effect = self.follow_up_effect()?;
        let confidence = self.confidence()?;
        let mut report = PlanReport::new(&funnel, &goal, &effect, confidence)?;
        if let Some(share) = self.marketing_sourced_share {
            let sales_model = self.sales_model.ok_or_else(|| {
                Error::invalid(
                    "sales_model",
                    "nothing",
                    "field_with_inside_support or inside_with_lead_focused_marketing, with marketing_sourced_share",
                )
            })?;
            let split = MarketingSplit::new(&funnel, &goal, &effect, share, sales_model)?;
            if let Some(w) = split.warning() {
                report.warnings.insert(0, w);
            }
            report.marketing_sourced = Some(split);
        }
        Ok(report)
    }

    fn persona_report(&self) -> Result<PlanReport> {
        let goal_here = |field: &str, value: String| {
            Error::invalid(
                field,
                value,
                "no goal at the top of [plan] when personas are given (each persona has its own)",
            )
        };
        if let Some(revenue) = self.revenue_goal {
            return Err(goal_here("revenue_goal", revenue.to_string()));
        }
        if let Some(customers) = self.customer_goal {
            return Err(goal_here("customer_goal", customers.to_string()));
        }
        let mut plans = Vec::with_capacity(self.personas.len());
        let mut observed = Vec::new();
        for (i, persona) in self.personas.iter().enumerate() {
            let at = format!("personas[{i}]");
            if self.personas[..i].iter().any(|p| p.name == persona.name) {
                return Err(Error::invalid(
                    format!("{at}.name"),
                    format!("{:?}", persona.name),
                    "a name not used by another persona",
                ));
            }
            let plan = self.for_persona(persona).single_report().map_err(|e| e.within(&at))?;
            if let Some(counts) = &persona.observed {
                observed.push((
                    persona.name.as_str(),
                    counts.counts().map_err(|e| e.within(&format!("{at}.observed")))?,
                ));
            }
            plans.push(PersonaPlan {
                name: persona.name.clone(),
                plan,
            });
        }
        // The section's fixed costs count once, in the total.
        let mut fixed = Funnel::new(1.0)?;
        for (name, &amount) in &self.fixed_costs {
            fixed = fixed.with_fixed_cost(name.clone(), amount)?;
        }
        let mut total = total_of(&plans, fixed.fixed_costs().to_vec(), self.sales_model);
        if !observed.is_empty() {
            let sales_model = self.sales_model.ok_or_else(|| {
                Error::invalid(
                    "sales_model",
                    "nothing",
                    "field_with_inside_support or inside_with_lead_focused_marketing, with observed persona counts",
                )
            })?;
            total.monitor = Some(Monitor::new(sales_model).check(&observed)?);
        }
        Ok(total)
    }

    /// The section's inputs as one persona sees them: its goal, and its own
    /// rates where it gives them; no fixed costs (they count once, in the
    /// total), no personas, no BANT.
    fn for_persona(&self, persona: &PersonaInputs) -> PlanInputs {
        let pick = |own: Option<f64>, section: Option<f64>| own.or(section);
        PlanInputs {
            revenue_goal: persona.revenue_goal,
            customer_goal: persona.customer_goal,
            deal_value: pick(persona.deal_value, self.deal_value),
            close_rate: pick(persona.close_rate, self.close_rate),
            mql_to_sql: pick(persona.mql_to_sql, self.mql_to_sql),
            sal_to_sql: pick(persona.sal_to_sql, self.sal_to_sql),
            mql_to_sal: pick(persona.mql_to_sal, self.mql_to_sal),
            inquiry_to_mql: pick(persona.inquiry_to_mql, self.inquiry_to_mql),
            visitor_to_inquiry: pick(persona.visitor_to_inquiry, self.visitor_to_inquiry),
            marketing_sourced_share: pick(persona.marketing_sourced_share, self.marketing_sourced_share),
            warm_probability: pick(persona.warm_probability, self.warm_probability),
            fixed_costs: BTreeMap::new(),
            personas: Vec::new(),
            bant: None,
            business_days: None,
            ..self.clone()
        }
    }

    /// Scores the lead list `bant.input` (`None` without one), and feeds its
    /// qualified leads into the funnel as SQLs when a close rate is known:
    /// expected customers, and with a goal the SQLs it needs and the exact
    /// probability the qualified leads reach it.
    ///
    /// # Errors
    ///
    /// An unreadable lead list or one without the BANT columns; bad weights,
    /// threshold or nurture inputs (fields `bant.*`); as
    /// [`PlanInputs::follow_up_effect`], and as [`PlanInputs::goal`] and
    /// [`PlanInputs::funnel`] when a goal is given.
    pub fn lead_scoring(&self) -> Result<Option<LeadScoring>> {
        let Some(bant) = &self.bant else { return Ok(None) };
        let Some(path) = &bant.input else { return Ok(None) };
        let scorer = bant.scorer()?;
        #[cfg(feature = "calibrate")]
        {
            let list = LeadList::read_path(path, &scorer)?;
            self.score_leads(&list, bant).map(Some)
        }
        #[cfg(not(feature = "calibrate"))]
        {
            let _ = scorer;
            Err(Error::invalid(
                "bant.input",
                path.display(),
                "a build with the `calibrate` feature, which reads CSV lead lists",
            ))
        }
    }

    /// As [`PlanInputs::lead_scoring`], for a lead list already read.
    ///
    /// # Errors
    ///
    /// As [`PlanInputs::lead_scoring`], except reading the list.
    pub fn score_leads(&self, list: &LeadList, bant: &BantInputs) -> Result<LeadScoring> {
        let scorer = bant.scorer()?;
        let nurture = bant.nurture()?;
        let mut scoring = list.report(&scorer, &nurture);
        if let Some(close_rate) = self.close_rate {
            let effect = self.follow_up_effect()?;
            let effective = effect.effective_close_rate(crate::plan::funnel::check_rate("close_rate", close_rate)?);
            let has_goal = self.revenue_goal.is_some() || self.customer_goal.is_some();
            let (sqls_needed, goal_probability) = if has_goal {
                let (goal, funnel) = (self.goal()?, self.funnel()?);
                (
                    Some(funnel.plan_with(&goal, &effect)?.sqls()),
                    Some(funnel.goal_probability(&goal, &effect, scoring.qualified)),
                )
            } else {
                (None, None)
            };
            scoring.funnel = Some(BantFunnel {
                sqls: scoring.qualified,
                effective_close_rate: effective,
                expected_customers: scoring.qualified as f64 * effective,
                expected_customers_with_nurture: scoring.expected_qualified_with_nurture * effective,
                sqls_needed,
                goal_probability,
            });
        }
        Ok(scoring)
    }
}

/// The confidence-aware part of a [`PlanReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfidenceSummary {
    /// The confidence asked for.
    pub level: f64,
    /// The smallest SQL count reaching the goal with that confidence.
    pub sqls: u64,
    /// The exact probability that this many SQLs reach the goal.
    pub probability: f64,
    /// Every stage's count for that SQL count, from SQL upwards.
    pub stages: Vec<StageCount>,
    /// The budget for those counts.
    pub budget: Option<f64>,
    /// The probability that the expected-value plan's SQLs reach the goal.
    pub expected_plan_probability: f64,
}

/// A full funnel plan, serialised as the `plan` example's JSON (the keys are
/// a contract; more may be added).
///
/// `stages` holds the plan that meets the goal in expectation after neglect
/// and decay (the plain reverse plan when there is none), from SQL upwards;
/// `neglect_overhead` says how much of it neglect and decay cost.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{Confidence, FollowUpEffect, Funnel, Goal, PlanReport};
///
/// let funnel = Funnel::new(0.25)?;
/// let goal = Goal::customers(10)?;
/// let effect = FollowUpEffect::neglecting(5, 40)?;
/// let report = PlanReport::new(&funnel, &goal, &effect, Some(Confidence::new(0.9)?))?;
/// assert_eq!(report.stages[0].count, 46);
/// assert_eq!(report.neglect_overhead.sqls, 6);
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["stages"][0]["stage"], "sql");
/// assert_eq!(json["confidence"]["level"], 0.9);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanReport {
    /// Deals (new customers) to win.
    pub deals: u64,
    /// Revenue of those deals, when the deal value is known.
    pub revenue: Option<f64>,
    /// SQL -> customer before neglect and decay.
    pub close_rate: f64,
    /// `close_rate x worked_share x warm_probability`.
    pub effective_close_rate: f64,
    /// Count and cost at every stage, from SQL upwards.
    pub stages: Vec<StageCount>,
    /// Fixed costs included in the budget.
    pub fixed_costs: Vec<FixedCost>,
    /// Unit costs plus fixed costs (`null` without any costs).
    pub budget: Option<f64>,
    /// Budget per deal.
    pub cost_per_customer: Option<f64>,
    /// `(revenue - budget) / budget`.
    pub roi: Option<f64>,
    /// What neglect and decay add to the plan.
    pub neglect_overhead: NeglectOverhead,
    /// The confidence-aware plan (`null` without a confidence).
    pub confidence: Option<ConfidenceSummary>,
    /// Assumptions outside benchmark bands, and what the plan leaves to chance.
    pub warnings: Vec<String>,
    /// The plan split into marketing-sourced and other (omitted without a
    /// `marketing_sourced_share`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing_sourced: Option<MarketingSplit>,
    /// Each persona's plan (omitted without personas; the report's own
    /// figures are then their total).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<PersonaPlan>,
    /// The personas' observed counts against benchmark bands (omitted
    /// without observed counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<MonitorReport>,
    /// The BANT scoring of `bant.input` (omitted without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bant: Option<LeadScoring>,
    /// The plan per business day of the goal's period, and the comparison
    /// month (omitted without `business_days`). With personas, each
    /// persona's plan has its own, over the same period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_days: Option<BusinessDayPlan>,
}

impl PlanReport {
    /// Plans `goal` through `funnel` under `effect`, with a confidence-aware
    /// plan when `confidence` is given.
    ///
    /// # Errors
    ///
    /// As [`Funnel::plan_with`] and [`Funnel::confidence_plan`].
    pub fn new(
        funnel: &Funnel,
        goal: &Goal,
        effect: &FollowUpEffect,
        confidence: Option<Confidence>,
    ) -> Result<PlanReport> {
        let ideal = funnel.plan(goal)?;
        let plan = funnel.plan_with(goal, effect)?;
        let neglect_overhead = plan.overhead_over(&ideal);
        let mut warnings = Vec::new();
        if let Some(w) = lead_to_customer_warning(funnel) {
            warnings.push(w);
        }
        if neglect_overhead.sqls > 0 {
            warnings.push(format!(
                "neglect and decay cost {} extra SQLs (+{:.1} %): {} instead of {}",
                thousands(neglect_overhead.sqls),
                100.0 * neglect_overhead.sqls as f64 / ideal.sqls() as f64,
                thousands(plan.sqls()),
                thousands(ideal.sqls()),
            ));
        }
        let confidence = match confidence {
            None => None,
            Some(level) => {
                let sure = funnel.confidence_plan(goal, effect, level)?;
                let expected_plan_probability = funnel.goal_probability(goal, effect, plan.sqls());
                if expected_plan_probability < level.get() {
                    warnings.push(format!(
                        "{} SQLs reach {} deals with probability {:.1} % only; {} SQLs reach them with {:.1} %",
                        thousands(plan.sqls()),
                        thousands(goal.deals()),
                        100.0 * expected_plan_probability,
                        thousands(sure.sqls()),
                        100.0 * sure.probability(),
                    ));
                }
                Some(ConfidenceSummary {
                    level: level.get(),
                    sqls: sure.sqls(),
                    probability: sure.probability(),
                    stages: sure.plan().stages().to_vec(),
                    budget: sure.plan().budget(),
                    expected_plan_probability,
                })
            }
        };
        Ok(PlanReport {
            deals: plan.deals(),
            revenue: plan.revenue(),
            close_rate: plan.close_rate(),
            effective_close_rate: plan.effective_close_rate(),
            stages: plan.stages().to_vec(),
            fixed_costs: funnel.fixed_costs().to_vec(),
            budget: plan.budget(),
            cost_per_customer: plan.cost_per_customer(),
            roi: plan.roi(),
            neglect_overhead,
            confidence,
            warnings,
            marketing_sourced: None,
            personas: Vec::new(),
            monitor: None,
            bant: None,
            business_days: None,
        })
    }
}

/// A warning when the funnel's leads convert to customers outside the typical
/// 2-5 %. A lead is an MQL (else a SAL): the benchmark counts qualified
/// leads, and its source converts inquiries to leads at 4.4 %, so checking
/// inquiries against it would flag every plan that uses the source's own
/// inquiry-to-lead rate. A funnel without MQLs or SALs is not checked.
fn lead_to_customer_warning(funnel: &Funnel) -> Option<String> {
    let lead = [Stage::Mql, Stage::Sal].into_iter().find(|&s| funnel.has(s))?;
    let rate = funnel.to_customer(lead)?;
    let band = Band::LEAD_TO_CUSTOMER;
    let status = band.status(rate);
    (status != BandStatus::Within).then(|| band_warning(&format!("planned {lead}_to_customer"), rate, band, status))
}

/// `1234567` as `"1,234,567"`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    /// A persona's keys are the section's (a persona is the section with
    /// overrides): every override a persona can set is a `[plan]` key and
    /// reaches its plan through `for_persona`. The two structs repeat the
    /// fields because serde's `flatten` cannot be combined with
    /// `deny_unknown_fields`, which catches typos in both.
    #[test]
    fn every_persona_override_is_a_section_key_and_reaches_its_plan() {
        let persona: PersonaInputs = serde_json::from_str(
            r#"{"name": "smb", "revenue_goal": 1000000, "customer_goal": 50, "deal_value": 20000, "close_rate": 0.3,
                "mql_to_sql": 0.11, "sal_to_sql": 0.12, "mql_to_sal": 0.13, "inquiry_to_mql": 0.14,
                "visitor_to_inquiry": 0.15, "marketing_sourced_share": 0.16, "warm_probability": 0.17,
                "observed": {"customers": 3, "marketing_sourced_customers": 1}}"#,
        )
        .unwrap();
        let mut overrides = serde_json::to_value(&persona).unwrap();
        let keys = overrides.as_object_mut().unwrap();
        keys.remove("name");
        keys.remove("observed");
        assert_eq!(keys.len(), 11);
        // Every field of the struct is set above (name and observed aside):
        // a new persona field fails here until it is added to this test.
        let fields = format!("{:?}", PersonaInputs::default()).matches(": ").count();
        assert_eq!(fields, 2 + keys.len(), "a new persona field: set it in this test");
        let as_section: PlanInputs = serde_json::from_value(overrides.clone()).unwrap();
        let section = PlanInputs {
            close_rate: Some(0.9),
            mql_to_sql: Some(0.9),
            warm_probability: Some(0.9),
            cost_per_sql: Some(5.0),
            ..PlanInputs::default()
        };
        let planned = section.for_persona(&persona);
        assert_eq!(
            PlanInputs {
                cost_per_sql: Some(5.0),
                ..as_section
            },
            planned
        );
        let mut planned = serde_json::to_value(&planned).unwrap();
        planned.as_object_mut().unwrap().remove("cost_per_sql");
        assert_eq!(planned, overrides);
    }
}
