//! What a won deal is worth: a fixed value or a distribution with a given mean.

use rand::Rng;
use rand_distr::{Distribution, Gamma, LogNormal};

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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sampler {
    Fixed(f64),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
}

impl DealValue {
    /// Every deal is worth `value`.
    ///
    /// # Errors
    ///
    /// A negative, NaN or infinite value (field `deal_value`).
    pub fn fixed(value: f64) -> Result<DealValue> {
        let value = check_non_negative("deal_value", value)? + 0.0;
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
    /// `mean` or `cv` not a finite number > 0 (fields `mean`, `cv`).
    pub fn lognormal(mean: f64, cv: f64) -> Result<DealValue> {
        let mean = check_positive("mean", mean)?;
        let cv = check_positive("cv", cv)?;
        let s2 = cv.mul_add(cv, 1.0).ln();
        let dist = LogNormal::new(mean.ln() - 0.5 * s2, s2.sqrt())
            .map_err(|_| Error::invalid("cv", cv, "a finite number > 0"))?;
        Ok(DealValue {
            shape: DealValueShape::LogNormal { mean, cv },
            sampler: Sampler::LogNormal(dist),
        })
    }

    /// Gamma deal values with mean `mean` and coefficient of variation `cv`
    /// (shape `1/cv²`, scale `mean·cv²`).
    ///
    /// # Errors
    ///
    /// `mean` or `cv` not a finite number > 0 (fields `mean`, `cv`).
    pub fn gamma(mean: f64, cv: f64) -> Result<DealValue> {
        let mean = check_positive("mean", mean)?;
        let cv = check_positive("cv", cv)?;
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
            Sampler::LogNormal(ref d) => d.sample(rng),
            Sampler::Gamma(ref d) => d.sample(rng),
        }
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
    fn invalid_parameters_name_the_field() {
        assert_eq!(DealValue::fixed(f64::NAN).unwrap_err().field(), Some("deal_value"));
        assert_eq!(DealValue::lognormal(0.0, 0.5).unwrap_err().field(), Some("mean"));
        assert_eq!(DealValue::gamma(10.0, -0.5).unwrap_err().field(), Some("cv"));
        assert_eq!(DealValue::gamma(10.0, 1e-300).unwrap_err().field(), Some("cv"));
    }
}
