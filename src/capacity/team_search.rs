//! The smallest team that meets a criterion: "how many reps keep ROI lost
//! under 5 points?", "how many reps answer 90 % of SQLs within an hour?".

use serde::{Deserialize, Serialize};

use super::model::CapacityModel;
use super::report::CapacityReport;
use super::run::CapacitySimulation;
use super::team::MAX_REPS;
use crate::error::{Error, Result};
use crate::model::duration::Hours;

/// What a team must achieve in [`CapacityModel::smallest_team`]; each is
/// judged on the Monte Carlo mean over the trials (the queue has no exact
/// expectation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "criterion", rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TeamCriterion {
    /// Mean ROI lost strictly below `max_roi_lost` (a share: 0.05 is 5
    /// percentage points). Needs a marketing spend.
    MaxRoiLost {
        /// The largest acceptable ROI lost.
        max_roi_lost: f64,
    },
    /// With the team's SLA set to `sla`, a mean share of SQLs worked within
    /// it of at least `target`.
    SlaMet {
        /// The follow-up deadline.
        sla: Hours,
        /// The share of SQLs that must be worked within it, in [0, 1].
        target: f64,
    },
}

/// One team size tried by [`CapacityModel::smallest_team`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TeamSize {
    /// Reps.
    pub reps: u32,
    /// The team's offered load (>= 1: it cannot keep up).
    pub offered_load: f64,
    /// The run, or `None` when the team cannot keep up with its leads and
    /// was not run.
    pub report: Option<CapacityReport>,
    /// Whether this team meets the criterion.
    pub meets: bool,
}

/// What [`CapacityModel::smallest_team`] found: every team it tried, in
/// order, and the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TeamSearch {
    /// The criterion.
    pub criterion: TeamCriterion,
    /// The largest team that was allowed.
    pub up_to: u32,
    /// Every team tried, from 1 rep up to the answer (or `up_to`).
    pub evaluated: Vec<TeamSize>,
    /// The smallest team that meets the criterion, if one of at most
    /// `up_to` reps does.
    pub smallest: Option<u32>,
}

impl TeamSearch {
    /// The team of the answer, with its run.
    pub fn answer(&self) -> Option<&TeamSize> {
        self.evaluated.iter().find(|t| t.meets)
    }
}

impl CapacityModel {
    /// The smallest team, from 1 rep up to `up_to`, that meets `criterion`,
    /// each team run with the same `trials` and `seed` (common random
    /// numbers) on `threads` (default: all cores). Teams that cannot keep up
    /// ([`CapacityModel::is_stable`]) are listed but not run. The model's
    /// own team gives everything but the number of reps (and, for
    /// [`TeamCriterion::SlaMet`], the SLA).
    ///
    /// # Errors
    ///
    /// `up_to` of 0 or above [`MAX_REPS`] (field `up_to`), a criterion out
    /// of range (`max_roi_lost` not finite, `target` outside [0, 1]), no
    /// marketing spend for [`TeamCriterion::MaxRoiLost`]
    /// (`marketing_spend`), or what [`CapacitySimulation::run`] reports.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::capacity::{CapacityModel, SalesTeam, SqlStream, TeamCriterion};
    /// use lead_decay::{DelayDistribution, Hours, Scenario};
    ///
    /// let segment = Scenario::reference().segments()[0].clone();
    /// let stream = SqlStream::new(segment, 40.0, DelayDistribution::exponential(Hours::new(1.0)?)?)?;
    /// let model = CapacityModel::new(SalesTeam::new(1)?, vec![stream], Hours::from_days(14.0)?)?;
    /// let sla = TeamCriterion::SlaMet { sla: Hours::new(1.0)?, target: 0.5 };
    /// let search = model.smallest_team(sla, 10, 20, 7, None)?;
    /// // 40 SQLs a day of 1 h each: one rep cannot keep up, two can.
    /// assert!(search.evaluated[0].report.is_none());
    /// let reps = search.smallest.unwrap();
    /// assert!(reps >= 2 && search.answer().unwrap().meets);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn smallest_team(
        &self,
        criterion: TeamCriterion,
        up_to: u32,
        trials: u64,
        seed: u64,
        threads: Option<usize>,
    ) -> Result<TeamSearch> {
        let mut settings = CapacitySimulation::new(self).trials(trials).seed(seed);
        if let Some(threads) = threads {
            settings = settings.threads(threads);
        }
        self.smallest_team_run_as(criterion, up_to, &settings)
    }

    /// [`CapacityModel::smallest_team`], each team run with the settings of
    /// `settings` (trials, seed, threads, and a precision target if it has
    /// one: each team then stops once its own revenue lost is measured
    /// well enough, see [`CapacitySimulation::precision`]).
    ///
    /// # Errors
    ///
    /// As [`CapacityModel::smallest_team`].
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::Analysis;
    /// use lead_decay::capacity::{CapacitySimulation, TeamCriterion};
    ///
    /// let text = include_str!("../../examples/scenarios/capacity.toml");
    /// let model = Analysis::from_toml_str(text)?.capacity_model()?;
    /// let settings = CapacitySimulation::new(&model).trials(20_000).precision(0.02);
    /// let roi = TeamCriterion::MaxRoiLost { max_roi_lost: 0.05 };
    /// let search = model.smallest_team_run_as(roi, 20, &settings)?;
    /// let answer = search.answer().unwrap().report.as_ref().unwrap();
    /// assert!(answer.precision.unwrap().reached && answer.trials < 20_000);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn smallest_team_run_as(
        &self,
        criterion: TeamCriterion,
        up_to: u32,
        settings: &CapacitySimulation<'_>,
    ) -> Result<TeamSearch> {
        if !(1..=MAX_REPS).contains(&up_to) {
            return Err(Error::invalid(
                "up_to",
                up_to,
                format!("a team of 1 to {MAX_REPS} reps"),
            ));
        }
        match criterion {
            TeamCriterion::MaxRoiLost { max_roi_lost } => {
                if !max_roi_lost.is_finite() {
                    return Err(Error::invalid("max_roi_lost", max_roi_lost, "a finite share"));
                }
                if self.marketing_spend().is_none() {
                    return Err(Error::invalid(
                        "marketing_spend",
                        "nothing",
                        "a marketing spend, to judge teams by their ROI lost",
                    ));
                }
            }
            TeamCriterion::SlaMet { target, .. } => {
                if !(0.0..=1.0).contains(&target) {
                    return Err(Error::invalid("target", target, "a share of SQLs in [0, 1]"));
                }
            }
        }
        let mut evaluated = Vec::new();
        let mut smallest = None;
        for reps in 1..=up_to {
            let mut team = self.team().clone().with_reps(reps)?;
            if let TeamCriterion::SlaMet { sla, .. } = criterion {
                team = team.with_sla(sla);
            }
            let model = self.clone().with_team(team);
            let offered_load = model.offered_load();
            if !model.is_stable() {
                evaluated.push(TeamSize {
                    reps,
                    offered_load,
                    report: None,
                    meets: false,
                });
                continue;
            }
            let report = settings.for_model(&model).run()?;
            let meets = match criterion {
                TeamCriterion::MaxRoiLost { max_roi_lost } => {
                    report.metrics.core.roi_lost.is_some_and(|s| s.mean < max_roi_lost)
                }
                TeamCriterion::SlaMet { target, .. } => report.metrics.core.sla_met.is_some_and(|s| s.mean >= target),
            };
            evaluated.push(TeamSize {
                reps,
                offered_load,
                report: Some(report),
                meets,
            });
            if meets {
                smallest = Some(reps);
                break;
            }
        }
        Ok(TeamSearch {
            criterion,
            up_to,
            evaluated,
            smallest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::{SalesTeam, SqlStream};
    use crate::model::follow_up::DelayDistribution;
    use crate::model::scenario::Scenario;

    fn model() -> CapacityModel {
        let segment = Scenario::reference().segments()[0].clone();
        let work = DelayDistribution::exponential(Hours::new(1.0).unwrap()).unwrap();
        let stream = SqlStream::new(segment, 40.0, work).unwrap();
        CapacityModel::new(
            SalesTeam::new(1).unwrap(),
            vec![stream],
            Hours::from_days(14.0).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn the_answer_is_the_first_team_that_meets_the_target_run_with_the_same_seed() {
        let sla = Hours::new(0.5).unwrap();
        let search = model()
            .smallest_team(TeamCriterion::SlaMet { sla, target: 0.8 }, 12, 30, 9, Some(1))
            .unwrap();
        let reps = search
            .smallest
            .expect("12 reps answer 80 % of 40 SQLs a day within 30 minutes");
        assert_eq!(search.evaluated.len() as u32, reps);
        for (i, team) in search.evaluated.iter().enumerate() {
            assert_eq!(team.reps, i as u32 + 1);
            assert_eq!(team.meets, team.reps == reps);
            let met = team
                .report
                .as_ref()
                .and_then(|r| r.metrics.core.sla_met)
                .map(|s| s.mean);
            assert_eq!(team.meets, met.is_some_and(|m| m >= 0.8), "{} reps: {met:?}", team.reps);
        }
        // One rep carries 40 h of work a day: it cannot keep up and is not run.
        assert!(search.evaluated[0].report.is_none() && search.evaluated[0].offered_load > 1.0);
        let team = model().team().clone().with_reps(reps).unwrap().with_sla(sla);
        let direct = CapacitySimulation::new(&model().with_team(team))
            .trials(30)
            .seed(9)
            .run()
            .unwrap();
        assert_eq!(search.answer().unwrap().report.as_ref(), Some(&direct));
    }

    #[test]
    fn a_search_without_the_inputs_it_needs_is_an_error_naming_them() {
        let roi = TeamCriterion::MaxRoiLost { max_roi_lost: 0.05 };
        let e = model().smallest_team(roi, 10, 10, 1, None).unwrap_err();
        assert_eq!(e.field(), Some("marketing_spend"), "{e}");
        let sla = TeamCriterion::SlaMet {
            sla: Hours::new(1.0).unwrap(),
            target: f64::NAN,
        };
        assert_eq!(
            model().smallest_team(sla, 10, 10, 1, None).unwrap_err().field(),
            Some("target")
        );
        let e = model().smallest_team(roi, 0, 10, 1, None).unwrap_err();
        assert_eq!(e.field(), Some("up_to"), "{e}");
    }
}
