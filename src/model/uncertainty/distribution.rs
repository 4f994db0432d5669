//! The distributions an uncertain input may take: every draw is a quantile
//! of a uniform number, so quasi-random designs, tornado charts and Sobol
//! indices all move the same inputs the same way.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What an uncertain input may be: its distribution, drawn by
/// [`InputDistribution::quantile`].
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::InputDistribution;
///
/// let close_rate = InputDistribution::beta_mean_sd(0.25, 0.04)?;
/// assert!((close_rate.mean() - 0.25).abs() < 1e-12);
/// let shelf_life = InputDistribution::uniform(480.0, 960.0)?;
/// assert_eq!(shelf_life.quantile(0.5), 720.0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputDistribution {
    /// Uniform on `[min, max]`.
    Uniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Beta with shape parameters `alpha` and `beta`, on `[0, 1]`.
    Beta {
        /// The first shape parameter (> 0).
        alpha: f64,
        /// The second shape parameter (> 0).
        beta: f64,
    },
}

impl InputDistribution {
    /// Uniform on `[min, max]`.
    ///
    /// # Errors
    ///
    /// A bound that is not finite, or `min > max` (field `min`).
    pub fn uniform(min: f64, max: f64) -> Result<InputDistribution> {
        if !(min.is_finite() && max.is_finite()) {
            return Err(Error::invalid("min", format!("{min}..{max}"), "finite bounds"));
        }
        if min > max {
            return Err(Error::invalid("min", min, format!("a minimum <= the maximum {max}")));
        }
        Ok(InputDistribution::Uniform { min, max })
    }

    /// Beta with the given mean and standard deviation.
    ///
    /// # Errors
    ///
    /// A mean outside (0, 1) (field `mean`), or a standard deviation that no
    /// beta distribution with that mean has: it must be > 0 and below
    /// `sqrt(mean (1 - mean))` (field `sd`).
    pub fn beta_mean_sd(mean: f64, sd: f64) -> Result<InputDistribution> {
        if !(mean > 0.0 && mean < 1.0) {
            return Err(Error::invalid("mean", mean, "a mean strictly between 0 and 1"));
        }
        let limit = (mean * (1.0 - mean)).sqrt();
        if !(sd > 0.0 && sd < limit) {
            return Err(Error::invalid(
                "sd",
                sd,
                format!("a standard deviation > 0 and < sqrt(mean (1 - mean)) = {limit} for a beta of mean {mean}"),
            ));
        }
        let common = mean * (1.0 - mean) / (sd * sd) - 1.0;
        Ok(InputDistribution::Beta {
            alpha: mean * common,
            beta: (1.0 - mean) * common,
        })
    }

    /// The value at probability `u` in (0, 1): the inverse of the
    /// distribution function (the lower bound at 0, the upper at 1).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            InputDistribution::Uniform { min, max } => min + u * (max - min),
            InputDistribution::Beta { alpha, beta } => puruspe::invbetai(u, alpha, beta),
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match *self {
            InputDistribution::Uniform { min, max } => 0.5 * (min + max),
            InputDistribution::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }

    /// The median: the value an uncertain input takes in the base scenario.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }
}
