//! Funnel planning: from a goal at the bottom of the demand waterfall to the
//! visitors, inquiries, MQLs, SALs and SQLs it takes, and what neglect,
//! decay and chance add to it.
//!
//! * [`Funnel`] and [`Goal`]: the reverse plan, rounded up stage by stage,
//!   with budget, cost per customer and ROI ([`Plan`]).
//! * [`FollowUpEffect`]: the decay-aware plan with the effective close rate
//!   `close_rate x worked_share x E[f(D)]`, and its [`NeglectOverhead`].
//! * [`Confidence`]: the smallest SQL count that reaches the goal with a
//!   given probability, from the exact binomial distribution
//!   ([`binomial_at_least`]).
//! * [`PlanInputs`] and [`PlanReport`]: the `[plan]` section of a scenario
//!   file and the `plan` example's JSON.
//! * [`BantScorer`]: BANT qualification, the nurture pool and the inquiries
//!   one customer takes.
//! * [`BusinessMonth`]: leads per business day and month-over-month change.
//! * [`BusinessDaysInputs`] and [`BusinessDayPlan`]: the plan per business
//!   day of a month or date range, with holidays and a working week, and the
//!   daily lift a month with fewer business days needs
//!   (`[plan.business_days]`, `plan --month 2025-02`).
//! * [`Monitor`]: observed counts by stage and persona against benchmark bands.
//! * [`PersonaInputs`] and [`PersonaPlan`]: a plan and a monitor per persona,
//!   and their total (`[[plan.personas]]`).
//! * [`MarketingSplit`]: the planned pipeline split into marketing-sourced
//!   and other, checked against the band for the sales model.
//! * [`LeadList`] and [`LeadScoring`]: BANT scoring of a lead list from CSV,
//!   the nurture pool's recontacts, and the qualified leads fed into the
//!   funnel (`[plan.bant]`, `plan bant --input leads.csv`).
//!
//! # Example
//!
//! ```
//! use lead_decay::plan::{Confidence, FollowUpEffect, Funnel, Goal, Stage};
//!
//! // Goal 20,000,000 at 50,000 a deal; 25 % of SQLs close; 20 % of MQLs become SQLs.
//! let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?;
//! let goal = Goal::revenue(20_000_000.0, 50_000.0)?;
//! let plan = funnel.plan(&goal)?;
//! assert_eq!((plan.deals(), plan.sqls(), plan.count(Stage::Mql)), (400, 1_600, Some(8_000)));
//!
//! // 1,600 SQLs reach 400 deals only about half the time; 1,690 reach them 90 % of the time.
//! let sure = funnel.confidence_plan(&goal, &FollowUpEffect::none(), Confidence::new(0.9)?)?;
//! assert_eq!(sure.sqls(), 1_690);
//! # Ok::<(), lead_decay::Error>(())
//! ```

mod bant;
mod business_days;
mod confidence;
mod effect;
mod figures;
mod file;
mod funnel;
mod leads;
mod marketing;
mod monitor;
mod period;
mod report;
mod stage;

pub use bant::{
    BantCredit, BantExpectation, BantOutcome, BantScorer, BantWeights, INQUIRY_BENCHMARKS, InquiryPool, Nurture,
    PublishedFigure,
};
pub use business_days::{BusinessMonth, MonthlyLeads, daily_lift_to_hold_total};
pub use confidence::{Confidence, binomial_at_least};
pub use effect::FollowUpEffect;
pub use figures::PlanFigure;
pub use file::{BantInputs, BantWeightInputs, ObservedCounts, PersonaInputs};
pub use funnel::{ConfidencePlan, ExtraCount, FixedCost, Funnel, FunnelStage, Goal, NeglectOverhead, Plan, StageCount};
pub use leads::{BantFunnel, LeadList, LeadScoring, Recontact, ScoredLead, UnscorableRow};
pub use marketing::{MarketingSplit, PipelinePart};
pub use monitor::{Band, BandStatus, FunnelCounts, Monitor, MonitorReport, PersonaReport, Reading, SalesModel};
pub use period::{BusinessDayComparison, BusinessDayPlan, BusinessDaysInputs, BusinessPeriod, DailyCount};
pub use report::PersonaPlan;
pub use report::{ConfidenceSummary, PlanInputs, PlanReport};
pub use stage::Stage;
