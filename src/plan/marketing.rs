//! The planned pipeline split into what marketing sources and the rest,
//! checked against the benchmark band for the way the sales team works.

use serde::Serialize;

use crate::error::{Result, check_probability};
use crate::plan::effect::FollowUpEffect;
use crate::plan::funnel::{Funnel, Goal, Plan, StageCount, ceil_count};
use crate::plan::monitor::{Band, BandStatus, SalesModel, band_warning};

/// One side of a [`MarketingSplit`]: its deals, SQLs, revenue and the units
/// every stage needs for them.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PipelinePart {
    /// Deals.
    pub deals: u64,
    /// SQLs.
    pub sqls: u64,
    /// Revenue of the deals, when the deal value is known.
    pub revenue: Option<f64>,
    /// Units needed at every stage, from SQL upwards: the whole funnel for
    /// the marketing-sourced part, the SQLs alone for the rest (sourced by
    /// sales, partners or referrals, outside the marketing funnel).
    pub stages: Vec<StageCount>,
}

/// The planned pipeline split into marketing-sourced and other, with the
/// marketing-sourced share checked against its benchmark band (20-40 % for
/// a field sales team with inside support, 40-80 % for an inside sales team
/// with lead-focused marketing).
///
/// ```text
/// marketing deals = ceil(share x deals)     marketing SQLs = ceil(share x SQLs)
/// other           = the rest                marketing stages = the funnel above its SQLs
/// ```
///
/// # Example
///
/// ```
/// use lead_decay::plan::{BandStatus, FollowUpEffect, Funnel, Goal, MarketingSplit, SalesModel, Stage};
///
/// let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?;
/// let goal = Goal::revenue(20_000_000.0, 50_000.0)?;
/// let split = MarketingSplit::new(&funnel, &goal, &FollowUpEffect::none(), 0.3, SalesModel::FieldWithInsideSupport)?;
/// assert_eq!((split.marketing.deals, split.other.deals), (120, 280));
/// assert_eq!((split.marketing.sqls, split.other.sqls), (480, 1_120));
/// assert_eq!(split.marketing.stages[1].count, 2_400); // MQLs marketing must deliver
/// assert_eq!(split.status, BandStatus::Within);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct MarketingSplit {
    /// The share of the planned deals marketing sources.
    pub share: f64,
    /// How the sales team works.
    pub sales_model: SalesModel,
    /// The benchmark band for the share.
    pub band: Band,
    /// Where the share falls in it.
    pub status: BandStatus,
    /// What marketing sources.
    pub marketing: PipelinePart,
    /// The rest.
    pub other: PipelinePart,
}

impl MarketingSplit {
    /// Splits the plan of `goal` through `funnel` under `effect`.
    ///
    /// # Errors
    ///
    /// A share outside [0, 1] or NaN (field `marketing_sourced_share`), or
    /// as [`Funnel::plan_with`].
    pub fn new(
        funnel: &Funnel,
        goal: &Goal,
        effect: &FollowUpEffect,
        share: f64,
        sales_model: SalesModel,
    ) -> Result<MarketingSplit> {
        let share = check_probability("marketing_sourced_share", share)?;
        let plan = funnel.plan_with(goal, effect)?;
        let part = |total: u64| ceil_count(share * total as f64).unwrap_or(total).min(total);
        let (deals, sqls) = (part(plan.deals()), part(plan.sqls()));
        let marketing_plan = funnel.plan_from_sqls(goal, sqls, plan.effective_close_rate())?;
        let revenue = |deals: u64| goal.deal_value().map(|v| deals as f64 * v);
        let other_sqls = plan.sqls() - sqls;
        let band = sales_model.marketing_sourced_band();
        Ok(MarketingSplit {
            share,
            sales_model,
            band,
            status: band.status(share),
            marketing: PipelinePart {
                deals,
                sqls,
                revenue: revenue(deals),
                stages: marketing_plan.stages().to_vec(),
            },
            other: PipelinePart {
                deals: plan.deals() - deals,
                sqls: other_sqls,
                revenue: revenue(plan.deals() - deals),
                stages: vec![sql_stage(&plan, other_sqls)],
            },
        })
    }

    /// Sums the splits of several plans (personas): the share of the summed
    /// deals that marketing sources, checked against the band of
    /// `sales_model`.
    pub fn total(parts: &[&MarketingSplit], sales_model: SalesModel) -> Option<MarketingSplit> {
        let first = parts.first()?;
        let sum = |side: fn(&MarketingSplit) -> &PipelinePart| {
            let mut total = PipelinePart {
                deals: 0,
                sqls: 0,
                revenue: Some(0.0),
                stages: Vec::new(),
            };
            for split in parts {
                let p = side(split);
                total.deals += p.deals;
                total.sqls += p.sqls;
                total.revenue = total.revenue.zip(p.revenue).map(|(a, b)| a + b);
                crate::plan::funnel::add_stages(&mut total.stages, &p.stages);
            }
            total
        };
        let (marketing, other) = (sum(|s| &s.marketing), sum(|s| &s.other));
        let deals = marketing.deals + other.deals;
        let share = if deals > 0 {
            marketing.deals as f64 / deals as f64
        } else {
            first.share
        };
        let band = sales_model.marketing_sourced_band();
        Some(MarketingSplit {
            share,
            sales_model,
            band,
            status: band.status(share),
            marketing,
            other,
        })
    }

    /// A warning when the share is outside its band.
    pub fn warning(&self) -> Option<String> {
        (self.status != BandStatus::Within)
            .then(|| band_warning("planned marketing_sourced_share", self.share, self.band, self.status))
    }
}

fn sql_stage(plan: &Plan, sqls: u64) -> StageCount {
    let sql = plan.stages()[0];
    StageCount {
        count: sqls,
        cost: sql.cost_per_unit.map(|c| c * sqls as f64),
        ..sql
    }
}
