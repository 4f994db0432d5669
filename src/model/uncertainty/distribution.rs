//! The distributions an uncertain input may take: every draw is a quantile
//! of a uniform number, so quasi-random designs, tornado charts and Sobol
//! indices all move the same inputs the same way.
//!
//! # The tails: what a draw can reach
//!
//! A draw is [`InputDistribution::quantile`] of a probability `u` clamped to
//! `[TAIL_PROBABILITY, 1 - TAIL_PROBABILITY]`, with [`TAIL_PROBABILITY`] =
//! 2^-53, the smallest probability a 53-bit uniform draw can have above 0.
//! So every distribution has a finite range of draws,
//! [`InputDistribution::support`], even a normal (its mean ± 8.21 standard
//! deviations) or a Poisson, and an input is checked once, at validation,
//! against both ends of that range: a `normal` shelf life of mean 30 days
//! and sd 5 days reaches -11 days and is rejected, rather than failing in
//! one trial out of 10^16.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::special::{beta_i, beta_quantile, gamma_pq, gamma_quantile, normal_quantile};

/// The standard normal quantile, odd about `u = 1/2` (0 there) and computed
/// from the nearer tail, so the upper tail is as accurate as the lower.
fn standard_normal(u: f64) -> f64 {
    if u > 0.5 {
        -normal_quantile(1.0 - u)
    } else if u < 0.5 {
        normal_quantile(u)
    } else {
        0.0
    }
}

/// The smallest probability a draw is taken at, 2^-53 (and the largest is
/// `1 - 2^-53`): see [the tails](crate::guide::model#the-tails-what-a-draw-can-reach). A normal input reaches
/// `normal_quantile(2^-53) = -8.2095` standard deviations below its mean and
/// as far above.
pub const TAIL_PROBABILITY: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The largest beta shape parameter accepted (10^7, a standard deviation
/// of about 1e-4 for a mean of 0.25): the incomplete beta function behind
/// the quantile needs up to about `20 √shape` terms.
pub const MAX_BETA_SHAPE: f64 = 1e7;

/// The largest Poisson mean, binomial `n` and uniform-integer bound
/// accepted (10^9, the most SQLs a segment may hold).
pub const MAX_COUNT: f64 = 1e9;

/// The range of gamma shapes `(mean / sd)²` accepted, the same as the
/// follow-up delay's ([`crate::model::follow_up::GAMMA_SHAPE_RANGE`]).
const GAMMA_SHAPES: (f64, f64) = crate::model::follow_up::GAMMA_SHAPE_RANGE;

/// What an uncertain input may be: its distribution, drawn by
/// [`InputDistribution::quantile`].
///
/// Continuous: `uniform`, `triangular`, `pert`, `normal`, `lognormal`,
/// `gamma`, `beta`. Discrete, for whole-number inputs (SQLs, neglected
/// SQLs): `poisson`, `binomial`, `uniform-int`. Each is built by a
/// validating constructor; `serde` reads the same fields (`{"dist":
/// "beta", "alpha": 2, "beta": 6}`) and validates them.
///
/// ```text
/// uniform      {min, max}          flat on [min, max]
/// triangular   {min, mode, max}    density rising linearly to the mode, then falling
/// pert         {min, mode, max}    min + (max - min) Beta(1 + 4 (mode - min)/(max - min), 1 + 4 (max - mode)/(max - min))
/// normal       {mean, sd}
/// lognormal    {median, sigma}     ln X ~ Normal(ln median, sigma)
/// gamma        {mean, sd}          shape (mean/sd)², scale sd²/mean
/// beta         {alpha, beta}       on [0, 1]; or from {mean, sd}
/// poisson      {mean}              0, 1, 2, ...
/// binomial     {n, p}              0, 1, ..., n
/// uniform-int  {min, max}          min, min + 1, ..., max, equally likely
/// ```
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
/// let sqls = InputDistribution::poisson(40.0)?;
/// assert!(sqls.is_discrete() && sqls.quantile(0.5) == 40.0);
/// // A normal shelf life of 30 ± 5 days can go below 0 (mean - 8.21 sd):
/// let (lowest, _) = InputDistribution::normal(720.0, 120.0)?.support();
/// assert!(lowest < 0.0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Raw", into = "Raw")]
#[non_exhaustive]
pub enum InputDistribution {
    /// Uniform on `[min, max]`.
    Uniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// The smallest value.
        min: f64,
        /// The most likely value.
        mode: f64,
        /// The largest value.
        max: f64,
    },
    /// PERT on `[min, max]` with its peak at `mode`: a beta distribution
    /// stretched over the range, of shapes `1 + 4 (mode - min) / (max -
    /// min)` and `1 + 4 (max - mode) / (max - min)` (mean `(min + 4 mode +
    /// max) / 6`).
    Pert {
        /// The smallest value.
        min: f64,
        /// The most likely value.
        mode: f64,
        /// The largest value.
        max: f64,
    },
    /// Normal with this mean and standard deviation (its draws reach
    /// 8.21 standard deviations either side: see [`TAIL_PROBABILITY`]).
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation (> 0).
        sd: f64,
    },
    /// Log-normal: `ln X ~ Normal(ln median, sigma)`.
    LogNormal {
        /// The median (> 0).
        median: f64,
        /// The standard deviation of `ln X` (> 0).
        sigma: f64,
    },
    /// Gamma with this mean and standard deviation (shape `(mean / sd)²`).
    Gamma {
        /// The mean (> 0).
        mean: f64,
        /// The standard deviation (> 0).
        sd: f64,
    },
    /// Beta with shape parameters `alpha` and `beta`, on `[0, 1]`.
    Beta {
        /// The first shape parameter (> 0).
        alpha: f64,
        /// The second shape parameter (> 0).
        beta: f64,
    },
    /// Poisson with this mean: 0, 1, 2, ...
    Poisson {
        /// The mean (> 0).
        mean: f64,
    },
    /// Binomial: successes in `n` trials of probability `p`.
    Binomial {
        /// The number of trials.
        n: u64,
        /// The probability of each.
        p: f64,
    },
    /// Every whole number from `min` to `max`, equally likely.
    UniformInt {
        /// The smallest value.
        min: i64,
        /// The largest value.
        max: i64,
    },
}

/// The largest whole number every `f64` up to which is exact (2^53).
const EXACT_INTEGERS: i64 = 1 << 53;

impl InputDistribution {
    /// Uniform on `[min, max]` (`min = max` is a fixed value).
    ///
    /// # Errors
    ///
    /// A bound that is not finite, or `min > max` (field `min`).
    pub fn uniform(min: f64, max: f64) -> Result<InputDistribution> {
        check_range(min, None, max)?;
        Ok(InputDistribution::Uniform { min, max })
    }

    /// Triangular on `[min, max]`, most likely at `mode`.
    ///
    /// # Errors
    ///
    /// A value that is not finite, `min > max` (field `min`), or a mode
    /// outside `[min, max]` (field `mode`).
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<InputDistribution> {
        check_range(min, Some(mode), max)?;
        Ok(InputDistribution::Triangular { min, mode, max })
    }

    /// PERT on `[min, max]`, most likely at `mode` (the standard PERT,
    /// lambda = 4).
    ///
    /// # Errors
    ///
    /// As [`InputDistribution::triangular`].
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<InputDistribution> {
        check_range(min, Some(mode), max)?;
        Ok(InputDistribution::Pert { min, mode, max })
    }

    /// Normal with mean `mean` and standard deviation `sd`.
    ///
    /// # Errors
    ///
    /// A mean that is not finite (field `mean`), a standard deviation that
    /// is not a finite number > 0 (field `sd`), or a range of draws that is
    /// not finite.
    pub fn normal(mean: f64, sd: f64) -> Result<InputDistribution> {
        finite("mean", mean)?;
        positive("sd", sd)?;
        InputDistribution::Normal { mean, sd }.with_finite_range()
    }

    /// Log-normal with median `median` and log-scale spread `sigma`.
    ///
    /// # Errors
    ///
    /// `median` or `sigma` not a finite number > 0 (fields `median`,
    /// `sigma`), or a mean or range of draws that is not finite.
    pub fn lognormal(median: f64, sigma: f64) -> Result<InputDistribution> {
        positive("median", median)?;
        positive("sigma", sigma)?;
        InputDistribution::LogNormal { median, sigma }.with_finite_range()
    }

    /// Gamma with mean `mean` and standard deviation `sd`.
    ///
    /// # Errors
    ///
    /// `mean` or `sd` not a finite number > 0 (fields `mean`, `sd`), or a
    /// shape `(mean / sd)²` outside `[1e-3, 1e10]` (field `sd`).
    pub fn gamma(mean: f64, sd: f64) -> Result<InputDistribution> {
        positive("mean", mean)?;
        positive("sd", sd)?;
        let shape = (mean / sd) * (mean / sd);
        let (least, most) = GAMMA_SHAPES;
        if !(least..=most).contains(&shape) {
            return Err(Error::invalid(
                "sd",
                sd,
                format!(
                    "a standard deviation giving a shape (mean / sd)² between {least:e} and {most:e} (it gives {shape:e})"
                ),
            ));
        }
        InputDistribution::Gamma { mean, sd }.with_finite_range()
    }

    /// Beta with shape parameters `alpha` and `beta`, on `[0, 1]`.
    ///
    /// # Errors
    ///
    /// A shape that is not a finite number > 0 or above [`MAX_BETA_SHAPE`]
    /// (fields `alpha`, `beta`).
    pub fn beta(alpha: f64, beta: f64) -> Result<InputDistribution> {
        for (field, shape) in [("alpha", alpha), ("beta", beta)] {
            positive(field, shape)?;
            if !(shape <= MAX_BETA_SHAPE) {
                return Err(Error::invalid(
                    field,
                    shape,
                    format!("a shape parameter > 0 and at most {MAX_BETA_SHAPE:e}"),
                ));
            }
        }
        Ok(InputDistribution::Beta { alpha, beta })
    }

    /// Beta with the given mean and standard deviation.
    ///
    /// # Errors
    ///
    /// A mean outside (0, 1) (field `mean`), or a standard deviation that
    /// no beta distribution with that mean has: it must be > 0 and below
    /// `sqrt(mean (1 - mean))` (field `sd`), and not so small that a shape
    /// parameter exceeds [`MAX_BETA_SHAPE`].
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
        let (alpha, beta) = (mean * common, (1.0 - mean) * common);
        InputDistribution::beta(alpha, beta).map_err(|_| {
            Error::invalid(
                "sd",
                sd,
                format!(
                    "a standard deviation whose beta shapes are at most {MAX_BETA_SHAPE:e} (it gives {alpha:e} and {beta:e})"
                ),
            )
        })
    }

    /// Poisson with mean `mean`: a count of SQLs that arrive independently.
    ///
    /// # Errors
    ///
    /// A mean that is not a finite number > 0 or above [`MAX_COUNT`]
    /// (field `mean`).
    pub fn poisson(mean: f64) -> Result<InputDistribution> {
        positive("mean", mean)?;
        if !(mean <= MAX_COUNT) {
            return Err(Error::invalid(
                "mean",
                mean,
                format!("a mean > 0 and at most {MAX_COUNT:e}"),
            ));
        }
        Ok(InputDistribution::Poisson { mean })
    }

    /// Binomial: the successes in `n` trials of probability `p` (e.g. the
    /// SQLs of a cohort of `n` that sales never follows up).
    ///
    /// # Errors
    ///
    /// `n` above [`MAX_COUNT`] (field `n`), `p` outside `[0, 1]` (field
    /// `p`).
    pub fn binomial(n: u64, p: f64) -> Result<InputDistribution> {
        if n as f64 > MAX_COUNT {
            return Err(Error::invalid("n", n, format!("at most {MAX_COUNT:e} trials")));
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("p", p, "a probability in [0, 1]"));
        }
        Ok(InputDistribution::Binomial { n, p })
    }

    /// Every whole number from `min` to `max`, equally likely.
    ///
    /// # Errors
    ///
    /// `min > max` (field `min`), or a bound beyond ±2^53 (fields `min`,
    /// `max`).
    pub fn uniform_int(min: i64, max: i64) -> Result<InputDistribution> {
        for (field, bound) in [("min", min), ("max", max)] {
            if !(-EXACT_INTEGERS..=EXACT_INTEGERS).contains(&bound) {
                return Err(Error::invalid(field, bound, "a whole number between -2^53 and 2^53"));
            }
        }
        if min > max {
            return Err(Error::invalid("min", min, format!("a minimum <= the maximum {max}")));
        }
        Ok(InputDistribution::UniformInt { min, max })
    }

    /// Checks the parameters as the constructor of the family does (for a
    /// distribution given as data, e.g. built with struct syntax in this
    /// crate or read by serde).
    ///
    /// # Errors
    ///
    /// As the constructor of the family.
    pub fn validate(&self) -> Result<()> {
        let checked = match *self {
            InputDistribution::Uniform { min, max } => InputDistribution::uniform(min, max),
            InputDistribution::Triangular { min, mode, max } => InputDistribution::triangular(min, mode, max),
            InputDistribution::Pert { min, mode, max } => InputDistribution::pert(min, mode, max),
            InputDistribution::Normal { mean, sd } => InputDistribution::normal(mean, sd),
            InputDistribution::LogNormal { median, sigma } => InputDistribution::lognormal(median, sigma),
            InputDistribution::Gamma { mean, sd } => InputDistribution::gamma(mean, sd),
            InputDistribution::Beta { alpha, beta } => InputDistribution::beta(alpha, beta),
            InputDistribution::Poisson { mean } => InputDistribution::poisson(mean),
            InputDistribution::Binomial { n, p } => InputDistribution::binomial(n, p),
            InputDistribution::UniformInt { min, max } => InputDistribution::uniform_int(min, max),
        };
        checked.map(|_| ())
    }

    /// The family's name as in files: `"uniform"`, `"triangular"`,
    /// `"pert"`, `"normal"`, `"lognormal"`, `"gamma"`, `"beta"`,
    /// `"poisson"`, `"binomial"`, `"uniform-int"`.
    pub const fn family(&self) -> &'static str {
        match self {
            InputDistribution::Uniform { .. } => "uniform",
            InputDistribution::Triangular { .. } => "triangular",
            InputDistribution::Pert { .. } => "pert",
            InputDistribution::Normal { .. } => "normal",
            InputDistribution::LogNormal { .. } => "lognormal",
            InputDistribution::Gamma { .. } => "gamma",
            InputDistribution::Beta { .. } => "beta",
            InputDistribution::Poisson { .. } => "poisson",
            InputDistribution::Binomial { .. } => "binomial",
            InputDistribution::UniformInt { .. } => "uniform-int",
        }
    }

    /// Whether every draw is a whole number (`poisson`, `binomial`,
    /// `uniform-int`): the distributions whole-number inputs take.
    pub const fn is_discrete(&self) -> bool {
        matches!(
            self,
            InputDistribution::Poisson { .. }
                | InputDistribution::Binomial { .. }
                | InputDistribution::UniformInt { .. }
        )
    }

    /// The value at probability `u`: the smallest `x` with `P(X <= x) >=
    /// u`, for `u` clamped to `[TAIL_PROBABILITY, 1 - TAIL_PROBABILITY]`
    /// (NaN counts as the lower end; see [the tails](crate::guide::model#the-tails-what-a-draw-can-reach)). It is
    /// finite and non-decreasing in `u`, and a whole number for the
    /// discrete families.
    ///
    /// Accuracy: closed forms for `uniform`, `triangular` and
    /// `uniform-int`; the normal quantile refined by Newton steps on `erfc`
    /// (`normal`, `lognormal`); safeguarded Newton on the incomplete beta
    /// and gamma functions (`pert`, `beta`, `gamma`), to about 1e-13
    /// relative; the exact smallest count for `poisson` and `binomial`
    /// (searched on their distribution functions).
    pub fn quantile(&self, u: f64) -> f64 {
        // Not `clamp`: NaN must land on the lower end, not stay NaN.
        let u = if u.is_nan() {
            TAIL_PROBABILITY
        } else {
            u.clamp(TAIL_PROBABILITY, 1.0 - TAIL_PROBABILITY)
        };
        match *self {
            InputDistribution::Uniform { min, max } => (min + u * (max - min)).min(max),
            InputDistribution::Triangular { min, mode, max } => {
                let width = max - min;
                if !(width > 0.0) {
                    return min;
                }
                let left = mode - min;
                if u * width < left {
                    (min + (u * width * left).sqrt()).min(mode)
                } else {
                    (max - ((1.0 - u) * width * (max - mode)).sqrt()).max(mode)
                }
            }
            InputDistribution::Pert { min, mode, max } => {
                let width = max - min;
                if !(width > 0.0) {
                    return min;
                }
                let (a, b) = pert_shapes(min, mode, max);
                (min + width * beta_quantile(u, a, b)).clamp(min, max)
            }
            InputDistribution::Normal { mean, sd } => mean + sd * standard_normal(u),
            InputDistribution::LogNormal { median, sigma } => median * (sigma * standard_normal(u)).exp(),
            InputDistribution::Gamma { mean, sd } => {
                let shape = (mean / sd) * (mean / sd);
                gamma_quantile(u, shape) * (sd * sd / mean)
            }
            InputDistribution::Beta { alpha, beta } => beta_quantile(u, alpha, beta),
            InputDistribution::Poisson { mean } => {
                // P(X <= k) = Q(k + 1, mean), P(X > k) = P(k + 1, mean).
                let start = cornish_fisher(mean, mean.sqrt(), u);
                discrete_quantile(u, start, None, |k| {
                    let (p, q) = gamma_pq(k + 1.0, mean);
                    (q, p)
                })
            }
            InputDistribution::Binomial { n, p } => {
                let n = n as f64;
                if p == 0.0 || n == 0.0 {
                    return 0.0;
                }
                if p == 1.0 {
                    return n;
                }
                // P(X <= k) = I_{1-p}(n - k, k + 1) for k < n.
                let start = cornish_fisher(n * p, (n * p * (1.0 - p)).sqrt(), u);
                discrete_quantile(u, start, Some(n), |k| {
                    if k >= n {
                        (1.0, 0.0)
                    } else {
                        beta_i(n - k, k + 1.0, 1.0 - p)
                    }
                })
            }
            InputDistribution::UniformInt { min, max } => {
                let count = (max - min) as f64 + 1.0;
                (min as f64 + (u * count).floor()).min(max as f64)
            }
        }
    }

    /// The smallest and the largest value a draw can take: the quantiles
    /// at `TAIL_PROBABILITY` and `1 - TAIL_PROBABILITY` (see [the
    /// tails](crate::guide::model#the-tails-what-a-draw-can-reach)).
    pub fn support(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match *self {
            InputDistribution::Uniform { min, max } => 0.5 * (min + max),
            InputDistribution::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            InputDistribution::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
            InputDistribution::Normal { mean, .. }
            | InputDistribution::Gamma { mean, .. }
            | InputDistribution::Poisson { mean } => mean,
            InputDistribution::LogNormal { median, sigma } => median * (0.5 * sigma * sigma).exp(),
            InputDistribution::Beta { alpha, beta } => alpha / (alpha + beta),
            InputDistribution::Binomial { n, p } => n as f64 * p,
            InputDistribution::UniformInt { min, max } => 0.5 * (min as f64 + max as f64),
        }
    }

    /// The median: the value an uncertain input takes in the base scenario
    /// of a scenario file (rounded to a whole number for whole-number
    /// inputs; the discrete families' medians already are).
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// Rejects a distribution whose mean or range of draws is not finite.
    fn with_finite_range(self) -> Result<InputDistribution> {
        let (low, high) = self.support();
        if !(low.is_finite() && high.is_finite() && self.mean().is_finite()) {
            return Err(Error::invalid(
                "",
                self,
                format!("a distribution whose draws and mean are finite (its draws reach {low:e} to {high:e})"),
            ));
        }
        Ok(self)
    }
}

/// The PERT's beta shapes.
fn pert_shapes(min: f64, mode: f64, max: f64) -> (f64, f64) {
    let width = max - min;
    (1.0 + 4.0 * (mode - min) / width, 1.0 + 4.0 * (max - mode) / width)
}

/// A starting count for a discrete quantile: the Cornish-Fisher expansion
/// `mean + sd z + (z² - 1) / 6` (its skewness term is exact for the Poisson,
/// a start for the binomial: the search corrects it).
fn cornish_fisher(mean: f64, sd: f64, u: f64) -> f64 {
    let z = standard_normal(u);
    (mean + sd * z + (z * z - 1.0) / 6.0).round().max(0.0)
}

/// The smallest count `k >= 0` (at most `top`) with `P(X <= k) >= u`,
/// where `cdf(k)` returns `(P(X <= k), P(X > k))`: the upper tail is
/// compared with `1 - u` above the median, so both tails keep their
/// precision. A galloping search from `start`, then bisection.
fn discrete_quantile(u: f64, start: f64, top: Option<f64>, cdf: impl Fn(f64) -> (f64, f64)) -> f64 {
    let reaches = |k: f64| {
        if top.is_some_and(|t| k >= t) {
            return true;
        }
        let (lower, upper) = cdf(k);
        if u > 0.5 { upper <= 1.0 - u } else { lower >= u }
    };
    let mut k = top.map_or(start, |t| start.min(t));
    // Bracket: `below` does not reach u (or is -1), `above` does.
    let (mut below, mut above);
    if reaches(k) {
        above = k;
        let mut step = 1.0;
        loop {
            let candidate = above - step;
            if candidate < 0.0 {
                below = -1.0;
                break;
            }
            if reaches(candidate) {
                above = candidate;
                step *= 2.0;
            } else {
                below = candidate;
                break;
            }
        }
    } else {
        below = k;
        let mut step = 1.0;
        loop {
            let candidate = below + step;
            if reaches(candidate) {
                above = candidate;
                break;
            }
            below = candidate;
            step *= 2.0;
        }
    }
    while above - below > 1.0 {
        k = (0.5 * (below + above)).floor();
        if reaches(k) {
            above = k;
        } else {
            below = k;
        }
    }
    above
}

/// `min <= mode <= max`, all finite.
fn check_range(min: f64, mode: Option<f64>, max: f64) -> Result<()> {
    finite("min", min)?;
    finite("max", max)?;
    if min > max {
        return Err(Error::invalid("min", min, format!("a minimum <= the maximum {max}")));
    }
    if let Some(mode) = mode {
        finite("mode", mode)?;
        if !(min..=max).contains(&mode) {
            return Err(Error::invalid(
                "mode",
                mode,
                format!("a mode between the minimum {min} and the maximum {max}"),
            ));
        }
    }
    Ok(())
}

fn finite(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a finite number"))
    }
}

fn positive(field: &str, value: f64) -> Result<f64> {
    crate::error::check_positive(field, value)
}

impl fmt::Display for InputDistribution {
    /// As in a scenario file: `normal { mean = 720, sd = 240 }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {{ ", self.family())?;
        match *self {
            InputDistribution::Uniform { min, max } => write!(f, "min = {min}, max = {max}"),
            InputDistribution::Triangular { min, mode, max } | InputDistribution::Pert { min, mode, max } => {
                write!(f, "min = {min}, mode = {mode}, max = {max}")
            }
            InputDistribution::Normal { mean, sd } | InputDistribution::Gamma { mean, sd } => {
                write!(f, "mean = {mean}, sd = {sd}")
            }
            InputDistribution::LogNormal { median, sigma } => write!(f, "median = {median}, sigma = {sigma}"),
            InputDistribution::Beta { alpha, beta } => write!(f, "alpha = {alpha}, beta = {beta}"),
            InputDistribution::Poisson { mean } => write!(f, "mean = {mean}"),
            InputDistribution::Binomial { n, p } => write!(f, "n = {n}, p = {p}"),
            InputDistribution::UniformInt { min, max } => write!(f, "min = {min}, max = {max}"),
        }?;
        f.write_str(" }")
    }
}

/// The serde form: the same fields, read without validation, then
/// validated by [`InputDistribution::validate`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "kebab-case", deny_unknown_fields)]
enum Raw {
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    #[serde(rename = "lognormal")]
    LogNormal {
        median: f64,
        sigma: f64,
    },
    Gamma {
        mean: f64,
        sd: f64,
    },
    Beta {
        alpha: f64,
        beta: f64,
    },
    Poisson {
        mean: f64,
    },
    Binomial {
        n: u64,
        p: f64,
    },
    UniformInt {
        min: i64,
        max: i64,
    },
}

impl TryFrom<Raw> for InputDistribution {
    type Error = Error;

    fn try_from(raw: Raw) -> Result<InputDistribution> {
        let d = match raw {
            Raw::Uniform { min, max } => InputDistribution::Uniform { min, max },
            Raw::Triangular { min, mode, max } => InputDistribution::Triangular { min, mode, max },
            Raw::Pert { min, mode, max } => InputDistribution::Pert { min, mode, max },
            Raw::Normal { mean, sd } => InputDistribution::Normal { mean, sd },
            Raw::LogNormal { median, sigma } => InputDistribution::LogNormal { median, sigma },
            Raw::Gamma { mean, sd } => InputDistribution::Gamma { mean, sd },
            Raw::Beta { alpha, beta } => InputDistribution::Beta { alpha, beta },
            Raw::Poisson { mean } => InputDistribution::Poisson { mean },
            Raw::Binomial { n, p } => InputDistribution::Binomial { n, p },
            Raw::UniformInt { min, max } => InputDistribution::UniformInt { min, max },
        };
        d.validate()?;
        Ok(d)
    }
}

impl From<InputDistribution> for Raw {
    fn from(d: InputDistribution) -> Raw {
        match d {
            InputDistribution::Uniform { min, max } => Raw::Uniform { min, max },
            InputDistribution::Triangular { min, mode, max } => Raw::Triangular { min, mode, max },
            InputDistribution::Pert { min, mode, max } => Raw::Pert { min, mode, max },
            InputDistribution::Normal { mean, sd } => Raw::Normal { mean, sd },
            InputDistribution::LogNormal { median, sigma } => Raw::LogNormal { median, sigma },
            InputDistribution::Gamma { mean, sd } => Raw::Gamma { mean, sd },
            InputDistribution::Beta { alpha, beta } => Raw::Beta { alpha, beta },
            InputDistribution::Poisson { mean } => Raw::Poisson { mean },
            InputDistribution::Binomial { n, p } => Raw::Binomial { n, p },
            InputDistribution::UniformInt { min, max } => Raw::UniformInt { min, max },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ln C(n, j)` by a sum of logarithms: independent of the special
    /// functions under test.
    fn ln_choose(n: u64, j: u64) -> f64 {
        (1..=j).map(|i| ((n - j + i) as f64 / i as f64).ln()).sum()
    }

    /// `I_x(a, b)` for whole `a, b`: `P(Binomial(a + b - 1, x) >= a)`.
    fn beta_cdf_whole(a: u64, b: u64, x: f64) -> f64 {
        let n = a + b - 1;
        (a..=n)
            .map(|j| (ln_choose(n, j) + j as f64 * x.ln() + (n - j) as f64 * (-x).ln_1p()).exp())
            .sum()
    }

    /// `P(Gamma(n, 1) <= x) = e^-x Σ_{j>=n} x^j / j!` and its complement
    /// `e^-x Σ_{j<n} x^j / j!`, for whole `n` (Poisson sums, each side
    /// summed on its own so neither loses its digits).
    fn gamma_cdf_whole(n: u32, x: f64) -> (f64, f64) {
        let (mut ln_term, mut lower, mut upper) = (-x, 0.0, 0.0);
        for j in 0..n + 2000 {
            if j > 0 {
                ln_term += x.ln() - f64::from(j).ln();
            }
            if j < n {
                upper += ln_term.exp();
            } else {
                lower += ln_term.exp();
            }
        }
        (lower, upper)
    }

    /// Probabilities from the far tails to the middle.
    fn grid() -> Vec<f64> {
        let mut u = vec![TAIL_PROBABILITY, 1e-12, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5];
        let upper: Vec<f64> = u.iter().rev().skip(1).map(|p| 1.0 - p).collect();
        u.extend(upper);
        u
    }

    /// `cdf` returns `(P(X <= x), P(X > x))`: the one on the side of `u`
    /// must be `u` (or `1 - u`) to `rel` relative.
    fn assert_inverts(name: &str, d: InputDistribution, cdf: impl Fn(f64) -> (f64, f64), rel: f64) {
        for u in grid() {
            let x = d.quantile(u);
            let side = |x: f64| if u <= 0.5 { cdf(x).0 } else { cdf(x).1 };
            let (got, want) = (side(x), if u <= 0.5 { u } else { 1.0 - u });
            // x is a floating-point number: allow what the CDF moves over
            // two of its neighbours.
            let slack = (side(x.next_up().next_up()) - got)
                .abs()
                .max((got - side(x.next_down().next_down())).abs());
            assert!(
                (got - want).abs() <= rel * want + slack,
                "{name} {d}: quantile({u:e}) = {x}, where the CDF side is {got:e}, not {want:e}"
            );
        }
    }

    #[test]
    fn continuous_quantiles_invert_their_distribution_functions() {
        let d = InputDistribution::uniform(480.0, 960.0).unwrap();
        assert_inverts("uniform", d, |x| ((x - 480.0) / 480.0, (960.0 - x) / 480.0), 1e-9);
        let (a, c, b) = (1.0, 2.0, 5.0);
        let d = InputDistribution::triangular(a, c, b).unwrap();
        let tri = |x: f64| {
            if x <= c {
                let f = (x - a) * (x - a) / ((b - a) * (c - a));
                (f, 1.0 - f)
            } else {
                let s = (b - x) * (b - x) / ((b - a) * (b - c));
                (1.0 - s, s)
            }
        };
        assert_inverts("triangular", d, tri, 1e-7);
        // PERT on [0, 1] with mode 0.25: Beta(2, 4).
        let d = InputDistribution::pert(0.0, 0.25, 1.0).unwrap();
        let whole = |a: u64, b: u64| move |x: f64| (beta_cdf_whole(a, b, x), beta_cdf_whole(b, a, 1.0 - x));
        assert_inverts("pert", d, whole(2, 4), 1e-11);
        assert!((d.mean() - 2.0 / 6.0).abs() < 1e-15);
        for (alpha, beta) in [(2, 6), (30, 90), (117, 351), (1, 1), (1, 40)] {
            let d = InputDistribution::beta(alpha as f64, beta as f64).unwrap();
            assert_inverts("beta", d, whole(alpha, beta), 1e-10);
        }
        // Beta(1/2, 1/2) is the arcsine law: I_x = (2/π) asin(√x).
        let arcsine = |x: f64| {
            let f = std::f64::consts::FRAC_2_PI * x.sqrt().asin();
            (f, std::f64::consts::FRAC_2_PI * (1.0 - x).sqrt().asin())
        };
        assert_inverts("beta", InputDistribution::beta(0.5, 0.5).unwrap(), arcsine, 1e-9);
        let normal = |x: f64| {
            let z = (x - 10.0) / 3.0;
            (crate::special::normal_cdf(z), crate::special::normal_cdf(-z))
        };
        assert_inverts("normal", InputDistribution::normal(10.0, 3.0).unwrap(), normal, 1e-12);
        let lognormal = |x: f64| {
            let z = (x / 5.0).ln() / 0.7;
            (crate::special::normal_cdf(z), crate::special::normal_cdf(-z))
        };
        assert_inverts(
            "lognormal",
            InputDistribution::lognormal(5.0, 0.7).unwrap(),
            lognormal,
            1e-12,
        );
        // Gamma of mean 6 and sd 3: shape 4, scale 1.5; of mean 2, sd 2: shape 1.
        for (mean, sd, shape, scale) in [(6.0, 3.0, 4, 1.5), (2.0, 2.0, 1, 2.0), (40.0, 4.0, 100, 0.4)] {
            let d = InputDistribution::gamma(mean, sd).unwrap();
            assert_inverts("gamma", d, |x| gamma_cdf_whole(shape, x / scale), 1e-11);
        }
    }

    #[test]
    fn normal_quantiles_match_published_values() {
        let z = InputDistribution::normal(0.0, 1.0).unwrap();
        // Abramowitz and Stegun 26.2.
        for (u, want) in [
            (0.95, 1.644_853_626_951_472_2),
            (0.975, 1.959_963_984_540_054),
            (0.999, 3.090_232_306_167_813),
        ] {
            assert!((z.quantile(u) - want).abs() < 1e-13, "{u}");
            assert!((z.quantile(1.0 - u) + want).abs() < 1e-13, "{u}");
        }
        assert_eq!(z.quantile(0.5), 0.0);
        // The tail rule: 8.2095 standard deviations either side.
        let (low, high) = z.support();
        assert!(
            (low + 8.209_536_151_601_387).abs() < 1e-9 && (high - 8.209_536_151_601_387).abs() < 1e-9,
            "{low} {high}"
        );
        assert_eq!(z.quantile(f64::NAN), low);
        assert_eq!(z.quantile(-3.0), low);
        assert_eq!(z.quantile(7.0), high);
    }

    /// `(P(X <= x), P(X > x))` from the probabilities of 0, 1, 2, ... summed.
    fn discrete_cdf(pmf: impl Fn(u64) -> f64, x: f64, top: u64) -> (f64, f64) {
        let k = x as u64;
        let lower: f64 = (0..=k.min(top)).map(&pmf).sum();
        let upper: f64 = (k + 1..=top).map(&pmf).sum();
        (lower, upper)
    }

    #[test]
    fn discrete_quantiles_are_the_smallest_counts_reaching_u() {
        type Pmf = Box<dyn Fn(u64) -> f64>;
        let cases: Vec<(InputDistribution, Pmf, u64)> = vec![
            (
                InputDistribution::poisson(3.5).unwrap(),
                Box::new(|k| (-3.5 + k as f64 * 3.5f64.ln() - (1..=k).map(|i| (i as f64).ln()).sum::<f64>()).exp()),
                200,
            ),
            (
                InputDistribution::poisson(40.0).unwrap(),
                Box::new(|k| (-40.0 + k as f64 * 40f64.ln() - (1..=k).map(|i| (i as f64).ln()).sum::<f64>()).exp()),
                400,
            ),
            (
                InputDistribution::binomial(40, 0.125).unwrap(),
                Box::new(|k| {
                    if k > 40 {
                        0.0
                    } else {
                        (ln_choose(40, k) + k as f64 * 0.125f64.ln() + (40 - k) as f64 * 0.875f64.ln()).exp()
                    }
                }),
                40,
            ),
            (
                InputDistribution::uniform_int(3, 9).unwrap(),
                Box::new(|k| if (3..=9).contains(&k) { 1.0 / 7.0 } else { 0.0 }),
                9,
            ),
        ];
        for (d, pmf, top) in cases {
            for u in grid().into_iter().chain((1..100).map(|i| f64::from(i) / 100.0)) {
                let q = d.quantile(u);
                assert_eq!(q.fract(), 0.0, "{d} at {u}");
                let (lower, upper) = discrete_cdf(&pmf, q, top);
                let reaches = if u > 0.5 {
                    upper <= (1.0 - u) * (1.0 + 1e-12)
                } else {
                    lower >= u * (1.0 - 1e-12)
                };
                assert!(reaches, "{d}: P(X <= {q}) = {lower} < {u}");
                if q > 0.0 {
                    let (lower, upper) = discrete_cdf(&pmf, q - 1.0, top);
                    let short = if u > 0.5 {
                        upper > (1.0 - u) * (1.0 - 1e-12)
                    } else {
                        lower < u * (1.0 + 1e-12)
                    };
                    assert!(short, "{d}: P(X <= {}) = {lower} already reaches {u}", q - 1.0);
                }
            }
        }
        assert_eq!(InputDistribution::poisson(40.0).unwrap().median(), 40.0);
        assert_eq!(InputDistribution::binomial(10, 0.0).unwrap().support(), (0.0, 0.0));
        assert_eq!(InputDistribution::binomial(10, 1.0).unwrap().support(), (10.0, 10.0));
        assert_eq!(InputDistribution::uniform_int(3, 9).unwrap().support(), (3.0, 9.0));
        // A Poisson of mean 40 never draws fewer than a handful of SQLs.
        let (low, high) = InputDistribution::poisson(40.0).unwrap().support();
        assert!(low >= 1.0 && high < 200.0, "{low} {high}");
        let big = InputDistribution::poisson(1e6).unwrap();
        assert!((big.median() - 1e6).abs() <= 1.0);
    }

    #[test]
    fn moments_and_families_are_as_documented() {
        let b = InputDistribution::beta_mean_sd(0.25, 0.04).unwrap();
        let InputDistribution::Beta { alpha, beta } = b else {
            unreachable!()
        };
        let var = alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0));
        assert!((b.mean() - 0.25).abs() < 1e-15 && (var.sqrt() - 0.04).abs() < 1e-15);
        assert_eq!(InputDistribution::triangular(1.0, 2.0, 6.0).unwrap().mean(), 3.0);
        assert_eq!(InputDistribution::lognormal(5.0, 0.7).unwrap().median(), 5.0);
        assert!((InputDistribution::gamma(6.0, 3.0).unwrap().mean() - 6.0).abs() < 1e-15);
        assert_eq!(InputDistribution::binomial(40, 0.125).unwrap().mean(), 5.0);
        assert_eq!(InputDistribution::uniform_int(3, 9).unwrap().mean(), 6.0);
        for d in [
            InputDistribution::poisson(2.0).unwrap(),
            InputDistribution::binomial(3, 0.5).unwrap(),
            InputDistribution::uniform_int(0, 1).unwrap(),
        ] {
            assert!(d.is_discrete());
        }
        assert!(!InputDistribution::normal(0.0, 1.0).unwrap().is_discrete());
        assert_eq!(InputDistribution::uniform(2.0, 2.0).unwrap().support(), (2.0, 2.0));
        assert_eq!(InputDistribution::pert(2.0, 2.0, 2.0).unwrap().quantile(0.3), 2.0);
        let t = InputDistribution::triangular(1.0, 2.0, 5.0).unwrap();
        let mut last = f64::NEG_INFINITY;
        for i in 0..=1000 {
            let x = t.quantile(f64::from(i) / 1000.0);
            assert!(x >= last && (1.0..=5.0).contains(&x));
            last = x;
        }
    }

    #[test]
    fn invalid_parameters_name_the_field() {
        let field = |r: Result<InputDistribution>| r.unwrap_err().field().map(str::to_owned).unwrap();
        assert_eq!(field(InputDistribution::uniform(2.0, 1.0)), "min");
        assert_eq!(field(InputDistribution::uniform(f64::NAN, 1.0)), "min");
        assert_eq!(field(InputDistribution::triangular(1.0, 6.0, 5.0)), "mode");
        assert_eq!(field(InputDistribution::pert(3.0, 2.0, 1.0)), "min");
        assert_eq!(field(InputDistribution::normal(1.0, 0.0)), "sd");
        assert_eq!(field(InputDistribution::normal(f64::INFINITY, 1.0)), "mean");
        assert_eq!(field(InputDistribution::lognormal(0.0, 1.0)), "median");
        assert_eq!(field(InputDistribution::lognormal(1.0, f64::NAN)), "sigma");
        assert_eq!(field(InputDistribution::gamma(1.0, 1e-9)), "sd");
        assert_eq!(field(InputDistribution::beta(0.0, 1.0)), "alpha");
        assert_eq!(field(InputDistribution::beta(1.0, 1e12)), "beta");
        assert_eq!(field(InputDistribution::beta_mean_sd(1.0, 0.1)), "mean");
        let e = InputDistribution::beta_mean_sd(0.25, 0.5).unwrap_err().to_string();
        assert!(e.starts_with("sd:") && e.contains("sqrt(mean (1 - mean))"), "{e}");
        assert_eq!(field(InputDistribution::poisson(-1.0)), "mean");
        assert_eq!(field(InputDistribution::binomial(10, 1.5)), "p");
        assert_eq!(field(InputDistribution::uniform_int(5, 4)), "min");
        // A log-normal whose mean overflows is no distribution for an input.
        assert!(InputDistribution::lognormal(1.0, 40.0).is_err());
    }

    #[test]
    fn serde_reads_the_fields_and_validates_them() {
        for d in [
            InputDistribution::uniform(1.0, 2.0).unwrap(),
            InputDistribution::triangular(1.0, 2.0, 5.0).unwrap(),
            InputDistribution::pert(1.0, 2.0, 5.0).unwrap(),
            InputDistribution::normal(1.0, 2.0).unwrap(),
            InputDistribution::lognormal(1.0, 2.0).unwrap(),
            InputDistribution::gamma(1.0, 2.0).unwrap(),
            InputDistribution::beta(1.0, 2.0).unwrap(),
            InputDistribution::poisson(2.0).unwrap(),
            InputDistribution::binomial(7, 0.5).unwrap(),
            InputDistribution::uniform_int(-2, 5).unwrap(),
        ] {
            let json = serde_json::to_string(&d).unwrap();
            assert!(json.contains(&format!("\"dist\":\"{}\"", d.family())), "{json}");
            assert_eq!(serde_json::from_str::<InputDistribution>(&json).unwrap(), d);
        }
        let e = serde_json::from_str::<InputDistribution>(r#"{"dist":"uniform","min":3,"max":1}"#).unwrap_err();
        assert!(e.to_string().contains("min"), "{e}");
        assert!(serde_json::from_str::<InputDistribution>(r#"{"dist":"cauchy","x":1}"#).is_err());
    }
}
