//! The `[sales]` section of a scenario: the team and how leads reach it.

use super::flow::{ArrivalHours, InquiryStream, SqlStream, check_handling};
use super::model::CapacityModel;
use super::recycling::Recycling;
use super::team::SalesTeam;
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::DelayDistribution;
use crate::model::scenario::Scenario;

/// How sales is set up in a scenario (its `[sales]` section): the team, the
/// horizon over which the scenario's SQLs arrive, the handling time per
/// SQL, and optionally raw inquiries. Each segment's SQLs arrive as a
/// Poisson process with rate `sqls / horizon`, so the scenario's cohort is
/// the expected arrival count.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesSetup {
    /// The team.
    pub team: SalesTeam,
    /// The arrival horizon.
    pub horizon: Hours,
    /// Handling time per SQL, in working hours.
    pub handling: DelayDistribution,
    /// When SQLs (and inquiries) arrive.
    pub arrivals: ArrivalHours,
    /// Arrivals before this time are left out of the metrics.
    pub warm_up: Hours,
    /// Raw inquiries forwarded to sales, if any.
    pub inquiries: Option<InquiryStream>,
}

impl SalesSetup {
    /// A setup of `team` over `horizon` with `handling` per SQL, round-the-clock
    /// arrivals, no warm-up, no inquiries.
    ///
    /// # Errors
    ///
    /// A handling time without a positive mean (`handling`).
    pub fn new(team: SalesTeam, horizon: Hours, handling: DelayDistribution) -> Result<SalesSetup> {
        check_handling("handling", &handling)?;
        Ok(SalesSetup {
            team,
            horizon,
            handling,
            arrivals: ArrivalHours::Always,
            warm_up: Hours::ZERO,
            inquiries: None,
        })
    }
}

impl SalesSetup {
    /// The capacity model of `scenario` worked by this team, with
    /// `recycling` of cold SQLs if given: one SQL stream per segment with
    /// `sqls` expected arrivals over the horizon (segments without SQLs are
    /// skipped), the scenario's marketing spend for ROI. A scenario file's
    /// `[sales]` and `[recycling]` sections give the same through
    /// `Analysis::capacity_model` (in the file layer above).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::capacity::{SalesSetup, SalesTeam};
    /// use lead_decay::{DelayDistribution, Hours, Scenario};
    ///
    /// let scenario = Scenario::from_toml_str(r#"
    ///     name = "queue"
    ///     [[segments]]
    ///     name = "industrial"
    ///     sqls = 400
    ///     close_rate = 0.25
    ///     deal_value = 100000
    ///     decay = "b2b-industrial"
    /// "#)?;
    /// let team = SalesTeam::new(2)?;
    /// let handling = DelayDistribution::exponential(Hours::new(2.0)?)?;
    /// let setup = SalesSetup::new(team, Hours::new(672.0)?, handling)?;
    /// let model = setup.model_for(&scenario, None)?;
    /// // 400 SQLs in 672 h of 2 h each, over 2 reps round the clock.
    /// assert!((model.offered_load() - 400.0 * 2.0 / (2.0 * 672.0)).abs() < 1e-12);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// No segment with SQLs, or invalid values, named with their field path
    /// (`sales.horizon`). A scenario with uncertain inputs (field `inputs`):
    /// the queue does not draw them yet, and running it at their base
    /// values would pass medians off as the answer.
    pub fn model_for(&self, scenario: &Scenario, recycling: Option<&Recycling>) -> Result<CapacityModel> {
        if !scenario.uncertainty().is_empty() {
            return Err(Error::invalid(
                "inputs",
                format!(
                    "{} uncertain input(s) ({})",
                    scenario.uncertainty().factors().len(),
                    scenario
                        .uncertainty()
                        .factors()
                        .into_iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "numbers only for the capacity model: it does not draw uncertain inputs yet \
                 (simulate, sweep and sensitivity do; or run it on the scenario at its medians)",
            ));
        }
        let setup = self;
        let horizon = setup.horizon.get();
        let hours = setup.team.hours();
        let clock_days = match setup.arrivals {
            ArrivalHours::Always => horizon / 24.0,
            ArrivalHours::WorkingHours => hours.to_working(horizon) / hours.mean_daily_hours(),
        };
        let mut streams = Vec::new();
        for (i, segment) in scenario.segments().iter().enumerate() {
            if segment.sqls() == 0 {
                continue;
            }
            let rate = segment.sqls() as f64 / clock_days;
            streams.push(
                SqlStream::new(segment.clone(), rate, setup.handling.clone())
                    .map_err(|e| e.at_field(&format!("segments[{i}].sqls")))?
                    .with_arrivals(setup.arrivals),
            );
        }
        let mut model = CapacityModel::new(setup.team.clone(), streams, setup.horizon)
            .map_err(|e| e.within("sales"))?
            .with_warm_up(setup.warm_up)
            .map_err(|e| e.within("sales"))?;
        if let Some(inquiries) = &setup.inquiries {
            model = model.with_inquiries(inquiries.clone().with_arrivals(setup.arrivals));
        }
        if let Some(recycling) = recycling {
            model = model.with_recycling(recycling.clone());
        }
        if let Some(spend) = scenario.marketing_spend() {
            model = model.with_marketing_spend(spend)?;
        }
        Ok(model)
    }
}
