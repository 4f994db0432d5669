//! What a won deal is worth: a fixed value or a distribution with a given mean.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Gamma, LogNormal, StandardNormal};

use crate::error::{Error, Result, check_non_negative, check_positive};

/// The value `V` of a deal won from one SQL, in the scenario's currency.
///
/// A distribution is given by its mean and coefficient of variation
/// (`cv` = standard deviation / mean), the two figures a sales team knows.
///
/// # Example
///
/// ```
/// use lead_decay::DealValue;
///
/// let fixed = DealValue::fixed(100_000.0)?;
/// assert_eq!(fixed.mean(), 100_000.0);
/// let spread = DealValue::lognormal(50_000.0, 0.6)?;
/// assert_eq!(spread.mean(), 50_000.0);
/// assert!(DealValue::fixed(-1.0).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
///
/// # Bounds
///
/// A value or mean is at most [`MAX_DEAL_VALUE`] and a `cv` at most
/// [`MAX_DEAL_CV`]: within them no sum of deal values of a trial (at most
/// 10^9 SQLs per segment), no square of one, and no total over trials can
/// overflow, so every revenue figure of a report is finite. Larger values are
/// rejected with the bound in the message, never turned into `inf` or NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct DealValue {
    shape: DealValueShape,
    sampler: Sampler,
}

/// The family and parameters of a [`DealValue`] (a read-only view).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum DealValueShape {
    /// Every deal is worth the same.
    Fixed {
        /// The value of one deal.
        value: f64,
    },
    /// Log-normal with this mean and coefficient of variation.
    LogNormal {
        /// Mean deal value.
        mean: f64,
        /// Standard deviation / mean.
        cv: f64,
    },
    /// Gamma with this mean and coefficient of variation.
    Gamma {
        /// Mean deal value.
        mean: f64,
        /// Standard deviation / mean.
        cv: f64,
    },
}

/// The largest deal value (or mean deal value) accepted: 10^15 in the
/// scenario's currency. With [`MAX_DEAL_CV`] a single log-normal draw stays
/// below about 10^28 and a trial's revenue below about 10^37 (10^9 SQLs), so
/// the sums of squares behind the standard errors stay far below `f64::MAX`.
pub const MAX_DEAL_VALUE: f64 = 1e15;

/// The largest coefficient of variation accepted for a deal-value
/// distribution (100: a standard deviation 100 times the mean).
pub const MAX_DEAL_CV: f64 = 100.0;

/// `value` as a deal value or mean: finite, in `[min, MAX_DEAL_VALUE]`.
fn check_amount(field: &str, value: f64, positive: bool) -> Result<f64> {
    let value = if positive {
        check_positive(field, value)?
    } else {
        check_non_negative(field, value)?
    };
    if !(value <= MAX_DEAL_VALUE) {
        let least = if positive { "> 0" } else { ">= 0" };
        return Err(Error::invalid(
            field,
            value,
            format!("a number {least} and at most {MAX_DEAL_VALUE:e} (larger sums could overflow)"),
        ));
    }
    Ok(value)
}

/// `cv` finite, > 0 and at most [`MAX_DEAL_CV`].
fn check_cv(cv: f64) -> Result<f64> {
    let cv = check_positive("cv", cv)?;
    if !(cv <= MAX_DEAL_CV) {
        return Err(Error::invalid(
            "cv",
            cv,
            format!("a number > 0 and at most {MAX_DEAL_CV}"),
        ));
    }
    Ok(cv)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sampler {
    Fixed(f64),
    /// `exp(mu + sigma Z)`, `Z ~ N(0, 1)`: the law of `rand_distr::LogNormal`,
    /// drawn in batches by [`DealValue::sum_of`].
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Gamma(Gamma<f64>),
}

impl DealValue {
    /// Every deal is worth `value`.
    ///
    /// # Errors
    ///
    /// A negative, NaN or infinite value, or one above [`MAX_DEAL_VALUE`]
    /// (field `deal_value`).
    pub fn fixed(value: f64) -> Result<DealValue> {
        let value = check_amount("deal_value", value, false)? + 0.0;
        Ok(DealValue {
            shape: DealValueShape::Fixed { value },
            sampler: Sampler::Fixed(value),
        })
    }

    /// Log-normal deal values with mean `mean` and coefficient of variation `cv`:
    /// `ln V ~ Normal(ln mean - s²/2, s)` with `s² = ln(1 + cv²)`.
    ///
    /// # Errors
    ///
    /// `mean` or `cv` not a finite number > 0, `mean` above
    /// [`MAX_DEAL_VALUE`], `cv` above [`MAX_DEAL_CV`] (fields `mean`, `cv`).
    pub fn lognormal(mean: f64, cv: f64) -> Result<DealValue> {
        let mean = check_amount("mean", mean, true)?;
        let cv = check_cv(cv)?;
        let s2 = cv.mul_add(cv, 1.0).ln();
        let (mu, sigma) = (mean.ln() - 0.5 * s2, s2.sqrt());
        LogNormal::new(mu, sigma).map_err(|_| Error::invalid("cv", cv, "a finite number > 0"))?;
        Ok(DealValue {
            shape: DealValueShape::LogNormal { mean, cv },
            sampler: Sampler::LogNormal { mu, sigma },
        })
    }

    /// Gamma deal values with mean `mean` and coefficient of variation `cv`
    /// (shape `1/cv²`, scale `mean·cv²`).
    ///
    /// # Errors
    ///
    /// `mean` or `cv` not a finite number > 0, `mean` above
    /// [`MAX_DEAL_VALUE`], `cv` above [`MAX_DEAL_CV`] (fields `mean`, `cv`).
    pub fn gamma(mean: f64, cv: f64) -> Result<DealValue> {
        let mean = check_amount("mean", mean, true)?;
        let cv = check_cv(cv)?;
        let shape = 1.0 / (cv * cv);
        let dist = Gamma::new(shape, mean / shape)
            .map_err(|_| Error::invalid("cv", cv, "a finite number > 0 whose 1/cv² is finite"))?;
        Ok(DealValue {
            shape: DealValueShape::Gamma { mean, cv },
            sampler: Sampler::Gamma(dist),
        })
    }

    /// Validates a family and parameters given as data.
    ///
    /// # Errors
    ///
    /// As the constructor of the family.
    pub fn new(shape: DealValueShape) -> Result<DealValue> {
        match shape {
            DealValueShape::Fixed { value } => DealValue::fixed(value),
            DealValueShape::LogNormal { mean, cv } => DealValue::lognormal(mean, cv),
            DealValueShape::Gamma { mean, cv } => DealValue::gamma(mean, cv),
        }
    }

    /// The family and its parameters.
    pub fn shape(&self) -> DealValueShape {
        self.shape
    }

    /// The mean deal value.
    pub fn mean(&self) -> f64 {
        match self.shape {
            DealValueShape::Fixed { value } => value,
            DealValueShape::LogNormal { mean, .. } | DealValueShape::Gamma { mean, .. } => mean,
        }
    }

    /// The value of every deal, when it is fixed.
    pub fn fixed_value(&self) -> Option<f64> {
        match self.sampler {
            Sampler::Fixed(v) => Some(v),
            _ => None,
        }
    }

    /// Draws one deal value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.sampler {
            Sampler::Fixed(v) => v,
            Sampler::LogNormal { mu, sigma } => {
                let z: f64 = rng.sample(StandardNormal);
                crate::sampling::fast_exp::exp(mu + sigma * z)
            }
            Sampler::Gamma(ref d) => d.sample(rng),
        }
    }

    /// The sum of `count` independent deal values: the same law as summing
    /// `count` calls of [`DealValue::sample`], drawn faster.
    ///
    /// Log-normal values are drawn in batches: the normals first, then the
    /// sum of their exponentials (see `fast_exp::sum_exp`), so that no call
    /// breaks the loops and the work of a batch overlaps in the pipeline
    /// (BENCHMARKS.md has the figures).
    ///
    /// ```
    /// use lead_decay::DealValue;
    /// use rand::SeedableRng;
    ///
    /// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    /// assert_eq!(DealValue::fixed(25_000.0)?.sum_of(4, &mut rng), 100_000.0);
    /// let value = DealValue::lognormal(50_000.0, 0.6)?;
    /// let mean = value.sum_of(1_000_000, &mut rng) / 1e6;
    /// assert!((mean - 50_000.0).abs() < 5.0 * 50_000.0 * 0.6 / 1e3); // 5 standard errors
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn sum_of<R: Rng + ?Sized>(&self, count: u64, rng: &mut R) -> f64 {
        match self.sampler {
            Sampler::Fixed(v) => count as f64 * v,
            Sampler::LogNormal { mu, sigma } => {
                const BATCH: usize = 64;
                let mut exponents = [0.0f64; BATCH];
                let mut total = 0.0;
                let mut left = count;
                while left > 0 {
                    let batch = &mut exponents[..left.min(BATCH as u64) as usize];
                    crate::sampling::ziggurat::fill(rng, batch);
                    for x in batch.iter_mut() {
                        *x = mu + sigma * *x;
                    }
                    total += crate::sampling::fast_exp::sum_exp(batch);
                    left -= batch.len() as u64;
                }
                total
            }
            Sampler::Gamma(ref d) => (0..count).map(|_| d.sample(rng)).sum(),
        }
    }
}

/// Draws deal values, exactly as [`DealValue::sample`], so a deal-value
/// law works wherever `rand` takes a distribution (`rng.sample(&value)`,
/// `sample_iter`), as `rand_distr`'s do.
impl Distribution<f64> for DealValue {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        DealValue::sample(self, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn distributions_have_the_stated_mean_and_cv() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for dv in [
            DealValue::lognormal(50_000.0, 0.6).unwrap(),
            DealValue::gamma(50_000.0, 0.6).unwrap(),
        ] {
            let n = 400_000;
            let xs: Vec<f64> = (0..n).map(|_| dv.sample(&mut rng)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            let se = sd / (n as f64).sqrt();
            assert!((mean - 50_000.0).abs() < 5.0 * se, "{:?}: mean {mean}", dv.shape());
            assert!((sd / mean - 0.6).abs() < 0.01, "{:?}: cv {}", dv.shape(), sd / mean);
        }
    }

    #[test]
    fn batched_log_normal_sums_follow_the_log_normal_law() {
        // Sums of one value: 400,000 draws against the log-normal CDF in 100
        // equiprobable bins (chi-square critical value at p = 1e-6, 99 df:
        // 173). Sums of 67 values (a full batch of 64 and a remainder of 3)
        // have mean 67 m and variance 67 (cv m)²: within 5 standard errors.
        let (mean, cv) = (50_000.0, 0.6);
        let value = DealValue::lognormal(mean, cv).unwrap();
        let s2 = (1.0 + cv * cv).ln();
        let (mu, sigma) = (mean.ln() - 0.5 * s2, s2.sqrt());
        let cdf = |v: f64| 0.5 * puruspe::erfc(-(v.ln() - mu) / (sigma * std::f64::consts::SQRT_2));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let (n, bins) = (400_000, 100);
        let mut counts = vec![0u64; bins];
        for _ in 0..n {
            let v = value.sum_of(1, &mut rng);
            counts[((cdf(v) * bins as f64) as usize).min(bins - 1)] += 1;
        }
        let expected = n as f64 / bins as f64;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
        assert!(chi2 < 173.0, "chi-square {chi2}");

        let (k, n) = (67u64, 100_000);
        let sums: Vec<f64> = (0..n).map(|_| value.sum_of(k, &mut rng)).collect();
        let m = sums.iter().sum::<f64>() / n as f64;
        let var = sums.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        let exact_var = k as f64 * (cv * mean).powi(2);
        assert!(
            (m - k as f64 * mean).abs() < 5.0 * (exact_var / n as f64).sqrt(),
            "mean {m}"
        );
        // The variance's standard error from the fourth central moment.
        let m4 = sums.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64;
        let var_se = ((m4 - var * var) / n as f64).sqrt();
        assert!(
            (var - exact_var).abs() < 5.0 * var_se,
            "variance {var} vs {exact_var} ± {var_se}"
        );
        assert_eq!(value.sum_of(0, &mut rng), 0.0);
    }

    #[test]
    fn invalid_parameters_name_the_field() {
        assert_eq!(DealValue::fixed(f64::NAN).unwrap_err().field(), Some("deal_value"));
        assert_eq!(DealValue::lognormal(0.0, 0.5).unwrap_err().field(), Some("mean"));
        assert_eq!(DealValue::gamma(10.0, -0.5).unwrap_err().field(), Some("cv"));
        assert_eq!(DealValue::gamma(10.0, 1e-300).unwrap_err().field(), Some("cv"));
    }
}
