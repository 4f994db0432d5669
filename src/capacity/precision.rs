//! A precision target instead of a fixed trial count: a capacity run that
//! stops once the standard error of its mean revenue lost is small enough.
//!
//! A team that loses a third of its revenue and one that loses nothing need
//! very different numbers of trials for the same answer: the first has a
//! wide spread of losses, the second almost none. With a target, trials run
//! in rounds over consecutive trial indices (trial `i` always draws from
//! [`crate::engine::trial_rng`]`(seed, i)`), so a run that stops after `n`
//! trials is bit for bit the run of `n` trials, on any number of threads.

use serde::{Deserialize, Serialize};

use super::report::CapacityReport;
use crate::error::{Error, Result};

/// Losses smaller than this share of the revenue at stake (the mean ideal
/// revenue) are measured against it rather than against themselves: a team
/// that loses 4 of 1,260,000 is answered once the standard error is a
/// fraction of 12,600, not of 4.
pub const PRECISION_FLOOR: f64 = 0.01;

/// Trials of a run's first round (fewer if the run allows fewer).
pub(crate) const FIRST_ROUND: u64 = 200;

/// The most one round multiplies the trials by (the standard error of a
/// small first round can be far off).
const MOST_GROWTH: u64 = 16;

/// How a capacity run with a precision target
/// ([`CapacitySimulation::precision`](super::CapacitySimulation::precision))
/// stopped.
///
/// The target is met when the standard error of mean revenue lost is at
/// most `share × scale`, with `scale` the mean revenue lost, but not less
/// than [`PRECISION_FLOOR`] of the mean ideal revenue.
///
/// # Example
///
/// ```
/// use lead_decay::Analysis;
/// use lead_decay::capacity::CapacitySimulation;
///
/// let text = include_str!("../../examples/scenarios/capacity.toml");
/// let model = Analysis::from_toml_str(text)?.capacity_model()?;
/// let report = CapacitySimulation::new(&model).trials(20_000).precision(0.05).run()?;
/// let precision = report.precision.unwrap();
/// assert!(precision.reached && report.trials < 20_000);
/// let lost = report.metrics.core.revenue_lost;
/// assert!(lost.std_error <= 0.05 * precision.scale);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Precision {
    /// The target: the largest standard error of mean revenue lost, as a
    /// share of `scale` (0.01: 1 %).
    pub share: f64,
    /// The most trials the run could take (its trial count).
    pub max_trials: u64,
    /// The standard error of mean revenue lost where the run stopped.
    pub std_error: f64,
    /// What the standard error is measured against: the mean revenue lost,
    /// or [`PRECISION_FLOOR`] of the mean ideal revenue if that is larger.
    pub scale: f64,
    /// Whether the target was met (`false`: the run stopped at
    /// `max_trials` short of it).
    pub reached: bool,
}

impl Precision {
    /// Checks a target: a share in (0, 1) (a command line checks its
    /// argument with it before it runs anything).
    ///
    /// # Errors
    ///
    /// `share` not in (0, 1) (field `precision`).
    pub fn check(share: f64) -> Result<()> {
        if share > 0.0 && share < 1.0 {
            Ok(())
        } else {
            Err(Error::invalid(
                "precision",
                share,
                "a share in (0, 1): the largest standard error of mean revenue lost, relative to it (0.01 is 1 %)",
            ))
        }
    }

    /// How the run of `report` stands against the target `share`.
    pub(crate) fn of(report: &CapacityReport, share: f64, max_trials: u64) -> Precision {
        let core = &report.metrics.core;
        let scale = core
            .revenue_lost
            .mean
            .abs()
            .max(PRECISION_FLOOR * core.revenue_ideal.mean.abs());
        let std_error = core.revenue_lost.std_error;
        Precision {
            share,
            max_trials,
            std_error,
            scale,
            reached: std_error <= share * scale,
        }
    }

    /// The trials the next round should reach from `done`: the count the
    /// standard error predicts (it falls as `1/sqrt(n)`) with a tenth more,
    /// at least half again as many and at most [`MOST_GROWTH`] times, and
    /// never past `max_trials`.
    pub(crate) fn next_round(&self, done: u64) -> u64 {
        let target = self.share * self.scale;
        let predicted = if target > 0.0 {
            done as f64 * (self.std_error / target).powi(2) * 1.1
        } else {
            f64::INFINITY
        };
        let least = done.saturating_add(done.div_ceil(2));
        let most = done.saturating_mul(MOST_GROWTH);
        // A float beyond u64's range saturates.
        (predicted.ceil() as u64).clamp(least, most).min(self.max_trials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(std_error: f64, scale: f64) -> Precision {
        Precision {
            share: 0.01,
            max_trials: 20_000,
            std_error,
            scale,
            reached: false,
        }
    }

    #[test]
    fn a_round_aims_at_the_predicted_count_within_its_bounds() {
        // Twice the target standard error after 200 trials: four times the
        // trials, and a tenth more (880, up to the rounding of 1.1).
        assert!((880..=881).contains(&standing(2.0, 100.0).next_round(200)));
        // Nearly there: still half again as many.
        assert_eq!(standing(1.01, 100.0).next_round(200), 300);
        // Far off: at most sixteen times, and never past the cap.
        assert_eq!(standing(100.0, 100.0).next_round(200), 3_200);
        assert_eq!(standing(100.0, 100.0).next_round(4_000), 20_000);
        // Nothing at stake and a spread anyway: straight to the cap's bound.
        assert_eq!(standing(1.0, 0.0).next_round(200), 3_200);
    }

    #[test]
    fn a_target_outside_0_1_is_an_error_naming_it() {
        for share in [0.0, 1.0, -0.1, f64::NAN, f64::INFINITY] {
            assert_eq!(Precision::check(share).unwrap_err().field(), Some("precision"));
        }
        assert!(Precision::check(0.01).is_ok());
    }
}
