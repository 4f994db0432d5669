//! Who is never followed up, and after how long the rest are worked.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, LogNormal};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result, check_positive, check_probability};
use crate::model::duration::Hours;

/// Which SQLs of a cohort sales never follows up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Neglect {
    /// Every SQL is followed up.
    #[default]
    None,
    /// Exactly this many SQLs of the cohort are never followed up.
    Count(u64),
    /// Each SQL is independently never followed up with this probability.
    Probability(f64),
}

/// The shortest mean or median accepted for a continuous delay law:
/// 10^-9 hours (3.6 µs; below it use a fixed delay of 0). The exact
/// expectations are proven only for scales in
/// `[MIN_DELAY_SCALE, MAX_DELAY_SCALE]`: a subnormal mean makes `1 / mean`
/// infinite.
pub const MIN_DELAY_SCALE: f64 = 1e-9;

/// The longest mean or median accepted for a continuous delay law:
/// 10^12 hours (about 10^8 years). Fixed, uniform and empirical delays are
/// at most this long too, and every time of a decay curve (shelf life,
/// half-life, scale, period, table time) lies in
/// `[MIN_DELAY_SCALE, MAX_DELAY_SCALE]`: beyond it the exact expectations
/// overflowed (a linear shelf life of 1e308 h gave NaN) or underflowed (a
/// Weibull scale of 1e308 h gave 0 customers where the truth was 31).
pub const MAX_DELAY_SCALE: f64 = 1e12;

/// `value` (hours) at most [`MAX_DELAY_SCALE`]: a fixed, uniform or
/// empirical delay (0 is allowed: worked at once).
fn check_delay(field: &str, value: f64) -> Result<f64> {
    if !(value <= MAX_DELAY_SCALE) {
        return Err(Error::invalid(
            field,
            value,
            format!("a delay of at most {MAX_DELAY_SCALE:e} hours"),
        ));
    }
    Ok(value)
}

/// The range of gamma shapes accepted, `[1e-3, 1e10]`: the incomplete gamma
/// functions behind the exact expectations keep their accuracy there (their
/// series needs about `10 √shape` terms); beyond it the delay CDF loses every
/// digit (shapes of 10^15 and more gave 0 or NaN).
pub const GAMMA_SHAPE_RANGE: (f64, f64) = (1e-3, 1e10);

/// The largest log-normal `sigma` accepted (30): the exact expectations are
/// proven up to it.
pub const MAX_LOGNORMAL_SIGMA: f64 = 30.0;

/// `value` (hours) within `[MIN_DELAY_SCALE, MAX_DELAY_SCALE]`: the range of
/// every time scale of the model (delay means and medians, shelf lives,
/// half-lives, Weibull scales, schedule periods, table times).
pub(crate) fn check_scale(field: &str, value: f64) -> Result<f64> {
    let value = check_positive(field, value)?;
    if !(MIN_DELAY_SCALE..=MAX_DELAY_SCALE).contains(&value) {
        return Err(Error::invalid(
            field,
            value,
            format!("a duration between {MIN_DELAY_SCALE:e} and {MAX_DELAY_SCALE:e} hours"),
        ));
    }
    Ok(value)
}

/// The distribution of the delay from "became an SQL" to "first worked by
/// sales", for the SQLs that are worked at all.
///
/// # Example
///
/// ```
/// use lead_decay::{DelayDistribution, Hours};
///
/// let two_days = DelayDistribution::exponential(Hours::from_days(2.0)?)?;
/// assert_eq!(two_days.mean().get(), 48.0);
/// assert!((two_days.cdf(48.0) - (1.0 - (-1f64).exp())).abs() < 1e-15);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DelayDistribution {
    shape: DelayShape,
    sampler: Sampler,
}

/// The family and parameters of a [`DelayDistribution`] (a read-only view;
/// build distributions with the validating constructors).
///
/// Its serde form is the scenario file's, with times in hours:
/// `{"dist": "lognormal", "median": 6, "sigma": 1.2}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
#[non_exhaustive]
pub enum DelayShape {
    /// Always the same delay (hours).
    Fixed {
        /// The delay in hours.
        delay: f64,
    },
    /// Exponential with this mean (hours).
    Exponential {
        /// Mean delay in hours.
        mean: f64,
    },
    /// Log-normal: `ln D ~ Normal(ln median, sigma)`.
    LogNormal {
        /// Median delay in hours.
        median: f64,
        /// Standard deviation of `ln D`.
        sigma: f64,
    },
    /// Gamma with this mean (hours) and shape.
    Gamma {
        /// Mean delay in hours.
        mean: f64,
        /// Shape parameter (1 is exponential).
        shape: f64,
    },
    /// Uniform between `min` and `max` hours.
    Uniform {
        /// Shortest delay in hours.
        min: f64,
        /// Longest delay in hours.
        max: f64,
    },
    /// Drawn uniformly from observed delays (hours, sorted ascending).
    Empirical {
        /// The observed delays, sorted.
        samples: Vec<f64>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Sampler {
    Fixed(f64),
    Exponential(Exp<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Uniform { min: f64, width: f64 },
    Empirical,
}

impl DelayDistribution {
    /// Worked at once: a delay of zero.
    pub fn immediate() -> DelayDistribution {
        DelayDistribution {
            shape: DelayShape::Fixed { delay: 0.0 },
            sampler: Sampler::Fixed(0.0),
        }
    }

    /// Always `delay`.
    ///
    /// # Errors
    ///
    /// A delay longer than [`MAX_DELAY_SCALE`] (field `delay`).
    pub fn fixed(delay: Hours) -> Result<DelayDistribution> {
        let delay = check_delay("delay", delay.get())?;
        Ok(DelayDistribution {
            shape: DelayShape::Fixed { delay },
            sampler: Sampler::Fixed(delay),
        })
    }

    /// Exponential with mean `mean`.
    ///
    /// # Errors
    ///
    /// A mean of zero (use [`DelayDistribution::immediate`]), or outside
    /// [[`MIN_DELAY_SCALE`], [`MAX_DELAY_SCALE`]].
    pub fn exponential(mean: Hours) -> Result<DelayDistribution> {
        let mean = check_scale("mean", mean.get())?;
        let exp = Exp::new(1.0 / mean).map_err(|_| Error::invalid("mean", mean, "a finite number of hours > 0"))?;
        Ok(DelayDistribution {
            shape: DelayShape::Exponential { mean },
            sampler: Sampler::Exponential(exp),
        })
    }

    /// Log-normal with median `median` and log-scale spread `sigma`.
    ///
    /// # Errors
    ///
    /// A median outside [[`MIN_DELAY_SCALE`], [`MAX_DELAY_SCALE`]], or
    /// `sigma` not a finite number in `(0, MAX_LOGNORMAL_SIGMA]`.
    pub fn lognormal(median: Hours, sigma: f64) -> Result<DelayDistribution> {
        let median = check_scale("median", median.get())?;
        let sigma = check_positive("sigma", sigma)?;
        if !(sigma <= MAX_LOGNORMAL_SIGMA) {
            return Err(Error::invalid(
                "sigma",
                sigma,
                format!("a number > 0 and at most {MAX_LOGNORMAL_SIGMA}"),
            ));
        }
        let ln =
            LogNormal::new(median.ln(), sigma).map_err(|_| Error::invalid("sigma", sigma, "a finite number > 0"))?;
        Ok(DelayDistribution {
            shape: DelayShape::LogNormal { median, sigma },
            sampler: Sampler::LogNormal(ln),
        })
    }

    /// Gamma with mean `mean` and shape `shape` (scale `mean / shape`).
    ///
    /// # Errors
    ///
    /// A mean outside [[`MIN_DELAY_SCALE`], [`MAX_DELAY_SCALE`]], or `shape`
    /// outside [`GAMMA_SHAPE_RANGE`].
    pub fn gamma(mean: Hours, shape: f64) -> Result<DelayDistribution> {
        let mean = check_scale("mean", mean.get())?;
        let shape = check_positive("shape", shape)?;
        let (least, most) = GAMMA_SHAPE_RANGE;
        if !(least..=most).contains(&shape) {
            return Err(Error::invalid(
                "shape",
                shape,
                format!("a number between {least:e} and {most:e}"),
            ));
        }
        let gamma =
            Gamma::new(shape, mean / shape).map_err(|_| Error::invalid("shape", shape, "a finite number > 0"))?;
        Ok(DelayDistribution {
            shape: DelayShape::Gamma { mean, shape },
            sampler: Sampler::Gamma(gamma),
        })
    }

    /// Uniform between `min` and `max`.
    ///
    /// # Errors
    ///
    /// `max < min`, or `max` longer than [`MAX_DELAY_SCALE`].
    pub fn uniform(min: Hours, max: Hours) -> Result<DelayDistribution> {
        let (min, max) = (min.get(), max.get());
        check_delay("min", min)?;
        if !(max >= min) {
            return Err(Error::invalid(
                "max",
                Hours::trusted(max),
                format!("a duration >= min ({})", Hours::trusted(min)),
            ));
        }
        check_delay("max", max)?;
        Ok(DelayDistribution {
            shape: DelayShape::Uniform { min, max },
            sampler: Sampler::Uniform { min, width: max - min },
        })
    }

    /// Drawn uniformly from observed delays.
    ///
    /// # Errors
    ///
    /// No samples, or one longer than [`MAX_DELAY_SCALE`] (field
    /// `samples[i]`).
    pub fn empirical(samples: &[Hours]) -> Result<DelayDistribution> {
        if samples.is_empty() {
            return Err(Error::invalid("samples", "[]", "at least one observed delay"));
        }
        for (i, sample) in samples.iter().enumerate() {
            check_delay(&format!("samples[{i}]"), sample.get())?;
        }
        let mut samples: Vec<f64> = samples.iter().map(|h| h.get()).collect();
        samples.sort_by(f64::total_cmp);
        Ok(DelayDistribution {
            shape: DelayShape::Empirical { samples },
            sampler: Sampler::Empirical,
        })
    }

    /// Validates a family and parameters given as data.
    ///
    /// # Errors
    ///
    /// As the constructor of the family; negative, NaN or infinite durations.
    pub fn new(shape: DelayShape) -> Result<DelayDistribution> {
        let hours = |field: &str, x: f64| Hours::new(x).map_err(|e| e.within(field));
        match shape {
            DelayShape::Fixed { delay } => DelayDistribution::fixed(hours("delay", delay)?),
            DelayShape::Exponential { mean } => DelayDistribution::exponential(hours("mean", mean)?),
            DelayShape::LogNormal { median, sigma } => DelayDistribution::lognormal(hours("median", median)?, sigma),
            DelayShape::Gamma { mean, shape } => DelayDistribution::gamma(hours("mean", mean)?, shape),
            DelayShape::Uniform { min, max } => DelayDistribution::uniform(hours("min", min)?, hours("max", max)?),
            DelayShape::Empirical { samples } => {
                let checked = samples
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| hours(&format!("samples[{i}]"), x))
                    .collect::<Result<Vec<_>>>()?;
                DelayDistribution::empirical(&checked)
            }
        }
    }

    /// The family and its parameters.
    pub fn shape(&self) -> &DelayShape {
        &self.shape
    }

    /// Whether every delay is zero (then `f(D) = 1` for every curve).
    pub fn is_immediate(&self) -> bool {
        matches!(self.sampler, Sampler::Fixed(d) if d == 0.0)
    }

    /// Draws one delay in hours.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.sampler {
            Sampler::Fixed(d) => d,
            Sampler::Exponential(ref d) => d.sample(rng),
            Sampler::LogNormal(ref d) => d.sample(rng),
            Sampler::Gamma(ref d) => d.sample(rng),
            Sampler::Uniform { min, width } => min + width * rng.random::<f64>(),
            Sampler::Empirical => {
                let DelayShape::Empirical { ref samples } = self.shape else {
                    unreachable!("an empirical sampler always has empirical samples")
                };
                samples[rng.random_range(0..samples.len())]
            }
        }
    }

    /// `P(D <= t)`.
    pub fn cdf(&self, t: f64) -> f64 {
        if t.is_nan() {
            return 0.0;
        }
        match self.shape {
            DelayShape::Fixed { delay } => f64::from(u8::from(t >= delay)),
            _ if t < 0.0 => 0.0,
            DelayShape::Exponential { mean } => -(-t / mean).exp_m1(),
            DelayShape::LogNormal { median, sigma } => {
                if t == 0.0 {
                    0.0
                } else {
                    0.5 * puruspe::erfc(-(t / median).ln() / (sigma * std::f64::consts::SQRT_2))
                }
            }
            DelayShape::Gamma { mean, shape } => crate::special::gamma_pq(shape, t * shape / mean).0,
            DelayShape::Uniform { min, max } => {
                if t >= max {
                    1.0
                } else if t < min {
                    0.0
                } else {
                    (t - min) / (max - min)
                }
            }
            DelayShape::Empirical { ref samples } => samples.partition_point(|&x| x <= t) as f64 / samples.len() as f64,
        }
    }

    /// The mean delay.
    ///
    /// Always finite, by the constructors' bounds: every scale and delay is
    /// at most [`MAX_DELAY_SCALE`], and a log-normal's mean
    /// `median · e^(sigma²/2)` is at most `1e12 · e^450 ≈ 2.7e207` hours
    /// with `sigma <= MAX_LOGNORMAL_SIGMA` (the largest finite double is
    /// about 1.8e308).
    ///
    /// ```
    /// use lead_decay::{DelayDistribution, Hours};
    /// use lead_decay::model::follow_up::{MAX_DELAY_SCALE, MAX_LOGNORMAL_SIGMA};
    ///
    /// let widest = DelayDistribution::lognormal(Hours::new(MAX_DELAY_SCALE)?, MAX_LOGNORMAL_SIGMA)?;
    /// assert!(widest.mean().get() > 2.7e207 && widest.mean().get() < 2.8e207);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn mean(&self) -> Hours {
        let mean = match self.shape {
            DelayShape::Fixed { delay } => delay,
            DelayShape::Exponential { mean } | DelayShape::Gamma { mean, .. } => mean,
            DelayShape::LogNormal { median, sigma } => median * (0.5 * sigma * sigma).exp(),
            DelayShape::Uniform { min, max } => 0.5 * (min + max),
            DelayShape::Empirical { ref samples } => samples.iter().sum::<f64>() / samples.len() as f64,
        };
        debug_assert!(mean.is_finite() && mean >= 0.0, "{:?}", self.shape);
        Hours::trusted(mean)
    }
}

/// Writes the [`DelayShape`] (times in hours).
impl Serialize for DelayDistribution {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.shape.serialize(serializer)
    }
}

/// Reads a [`DelayShape`] and validates it as [`DelayDistribution::new`]
/// does.
impl<'de> Deserialize<'de> for DelayDistribution {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        DelayDistribution::new(DelayShape::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Default for DelayDistribution {
    fn default() -> Self {
        DelayDistribution::immediate()
    }
}

/// How a segment's SQLs are followed up: who never is, how long the rest
/// wait, and the deadline agreed between marketing and sales.
///
/// # Example
///
/// ```
/// use lead_decay::{DelayDistribution, FollowUp, Hours, Neglect};
///
/// let follow_up = FollowUp::new(Neglect::Probability(0.36))?
///     .with_delay(DelayDistribution::exponential(Hours::from_days(2.0)?)?)
///     .with_sla(Hours::from_days(1.0)?);
/// assert_eq!(follow_up.sla(), Some(Hours::new(24.0)?));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowUp {
    neglect: Neglect,
    delay: DelayDistribution,
    sla: Option<Hours>,
}

impl FollowUp {
    /// Every SQL worked at once, no SLA.
    pub fn immediate() -> FollowUp {
        FollowUp::default()
    }

    /// Who is never followed up; the rest are worked at once until
    /// [`FollowUp::with_delay`] says otherwise.
    ///
    /// # Errors
    ///
    /// A probability outside [0, 1] (field `never_followed_up`). A count is
    /// checked against the cohort size by the segment.
    pub fn new(neglect: Neglect) -> Result<FollowUp> {
        if let Neglect::Probability(q) = neglect {
            check_probability("never_followed_up", q)?;
        }
        Ok(FollowUp {
            neglect,
            ..FollowUp::default()
        })
    }

    /// The delay distribution of the SQLs that are worked.
    #[must_use]
    pub fn with_delay(mut self, delay: DelayDistribution) -> FollowUp {
        self.delay = delay;
        self
    }

    /// The follow-up deadline agreed between marketing and sales.
    #[must_use]
    pub fn with_sla(mut self, sla: Hours) -> FollowUp {
        self.sla = Some(sla);
        self
    }

    /// Who is never followed up.
    pub fn neglect(&self) -> Neglect {
        self.neglect
    }

    /// The delay distribution of the SQLs that are worked.
    pub fn delay(&self) -> &DelayDistribution {
        &self.delay
    }

    /// The SLA, if one was agreed.
    pub fn sla(&self) -> Option<Hours> {
        self.sla
    }

    /// The expected number of the `sqls` SQLs that are worked at all.
    pub fn expected_worked(&self, sqls: u64) -> f64 {
        match self.neglect {
            Neglect::None => sqls as f64,
            Neglect::Count(k) => sqls.saturating_sub(k) as f64,
            Neglect::Probability(q) => sqls as f64 * (1.0 - q),
        }
    }
}

/// A named follow-up model (neglect and delay together) with its
/// scenario-file spelling: `follow_up = "hbr-2011-audit"`.
///
/// A preset sets *who is never followed up* as well as the delay of the
/// rest, so a segment that names one may not also give `neglected` or
/// `never_followed_up` (its SLA stays its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FollowUpPreset {
    /// `hbr-2011-audit`: how 2,241 US companies answered web leads, from the
    /// audit in Harvard Business Review, "The Short Life of Online Sales
    /// Leads" (Oldroyd, McElheran, Elkington, March 2011). See
    /// [`FollowUp::hbr_2011_audit`].
    Hbr2011Audit,
}

impl FollowUpPreset {
    /// Every preset, in documentation order.
    pub const ALL: [FollowUpPreset; 1] = [FollowUpPreset::Hbr2011Audit];

    /// The scenario-file name (`"hbr-2011-audit"`).
    pub const fn name(self) -> &'static str {
        match self {
            FollowUpPreset::Hbr2011Audit => "hbr-2011-audit",
        }
    }

    /// The preset called `name` in scenario files.
    ///
    /// # Errors
    ///
    /// An unknown name; the message lists the known ones.
    pub fn from_name(name: &str) -> Result<FollowUpPreset> {
        FollowUpPreset::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                Error::invalid(
                    "",
                    format!("{name:?}"),
                    format!(
                        "a follow-up preset ({}) or a table such as {{ dist = \"exponential\", mean = \"2d\" }}",
                        FollowUpPreset::ALL.map(|p| format!("{:?}", p.name())).join(", ")
                    ),
                )
            })
    }

    /// The follow-up model (no SLA).
    pub fn follow_up(self) -> FollowUp {
        match self {
            FollowUpPreset::Hbr2011Audit => FollowUp {
                neglect: Neglect::Probability(HBR_NEVER),
                delay: DelayDistribution {
                    shape: DelayShape::Empirical {
                        samples: hbr_2011_delays(),
                    },
                    sampler: Sampler::Empirical,
                },
                sla: None,
            },
        }
    }
}

/// HBR 2011: 23 % of companies never answered.
const HBR_NEVER: f64 = 0.23;

/// The delays of the 77 % of HBR 2011's companies that answered, as 77
/// equally likely atoms, one per percent of all companies: 37 within the
/// first hour, 16 between 1 and 24 hours, 24 after more than 24 hours, with
/// a mean of 42 hours. Within a bucket the atoms are spread evenly (the first
/// two) or along exponential quantiles above 24 hours, scaled so that the
/// mean is exactly 42 hours; the longest is about 17 days, within the
/// study's 30-day window.
fn hbr_2011_delays() -> Vec<f64> {
    let mut samples = Vec::with_capacity(77);
    samples.extend((0..37).map(|i| (f64::from(i) + 0.5) / 37.0));
    samples.extend((0..16).map(|i| 1.0 + 23.0 * (f64::from(i) + 0.5) / 16.0));
    let quantiles: Vec<f64> = (0..24).map(|i| -(-(f64::from(i) + 0.5) / 24.0).ln_1p()).collect();
    let short: f64 = samples.iter().sum();
    let excess_needed = 42.0 * 77.0 - short - 24.0 * 24.0;
    let scale = excess_needed / quantiles.iter().sum::<f64>();
    samples.extend(quantiles.iter().map(|q| 24.0 + scale * q));
    samples
}

impl FollowUp {
    /// The HBR 2011 audit of how companies answer web leads: 37 % answered
    /// within an hour, 16 % within 1 to 24 hours, 24 % after more than 24
    /// hours, 23 % never; those that answered within 30 days took 42 hours
    /// on average.
    ///
    /// Source: Harvard Business Review, "The Short Life of Online Sales
    /// Leads" (Oldroyd, McElheran, Elkington, March 2011). Modelled as
    /// `never_followed_up = 0.23` and an empirical delay of 77 atoms (one per
    /// percent of companies, see the `hbr-2011-audit` notes in
    /// [`FollowUpPreset`]); `tests/presets.rs` checks every figure.
    ///
    /// ```
    /// use lead_decay::{FollowUp, Neglect};
    ///
    /// let audit = FollowUp::hbr_2011_audit();
    /// assert_eq!(audit.neglect(), Neglect::Probability(0.23));
    /// assert!((audit.delay().mean().get() - 42.0).abs() < 1e-9);
    /// ```
    pub fn hbr_2011_audit() -> FollowUp {
        FollowUpPreset::Hbr2011Audit.follow_up()
    }

    /// The preset this follow-up model is, ignoring the SLA, if any.
    pub fn preset(&self) -> Option<FollowUpPreset> {
        FollowUpPreset::ALL.into_iter().find(|p| {
            let preset = p.follow_up();
            preset.neglect == self.neglect && preset.delay == self.delay
        })
    }
}

/// Checks a neglect count against the cohort size.
pub(crate) fn check_neglect(neglect: Neglect, sqls: u64) -> Result<()> {
    match neglect {
        Neglect::Count(k) if k > sqls => Err(Error::invalid(
            "neglected",
            k,
            format!("at most the segment's sqls ({sqls})"),
        )),
        Neglect::Probability(q) => check_probability("never_followed_up", q).map(|_| ()),
        _ => Ok(()),
    }
}

/// Draws delays in hours, exactly as [`DelayDistribution::sample`], so a
/// delay law works wherever `rand` takes a distribution
/// (`rng.sample(&delay)`, `sample_iter`), as `rand_distr`'s do.
///
/// ```
/// use lead_decay::DelayDistribution;
/// use lead_decay::rand::distr::Distribution;
///
/// let delay = DelayDistribution::exponential(lead_decay::Hours::new(2.0)?)?;
/// let mut rng = lead_decay::engine::trial_rng(1, 0);
/// let draws: Vec<f64> = delay.sample_iter(&mut rng).take(3).collect();
/// assert!(draws.iter().all(|&d| d >= 0.0));
/// # Ok::<(), lead_decay::Error>(())
/// ```
impl Distribution<f64> for DelayDistribution {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        DelayDistribution::sample(self, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    #[test]
    fn sample_means_match_the_stated_means() {
        let dists = [
            DelayDistribution::fixed(h(3.0)).unwrap(),
            DelayDistribution::exponential(h(48.0)).unwrap(),
            DelayDistribution::lognormal(h(10.0), 0.8).unwrap(),
            DelayDistribution::gamma(h(20.0), 2.5).unwrap(),
            DelayDistribution::uniform(h(1.0), h(5.0)).unwrap(),
            DelayDistribution::empirical(&[h(1.0), h(2.0), h(6.0)]).unwrap(),
        ];
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let n = 200_000;
        for d in &dists {
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            assert!(
                (mean - d.mean().get()).abs() <= 5.0 * se + 1e-12,
                "{:?}: {mean} vs {}",
                d.shape(),
                d.mean()
            );
            // The CDF at the sample median is close to one half (or a jump covers it).
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[n / 2];
            let below = d.cdf(median - 1e-9);
            let at = d.cdf(median);
            assert!(
                below <= 0.5 + 0.01 && at >= 0.5 - 0.01,
                "{:?}: cdf {below}..{at}",
                d.shape()
            );
        }
    }

    #[test]
    fn invalid_parameters_name_the_field() {
        assert_eq!(
            DelayDistribution::exponential(Hours::ZERO).unwrap_err().field(),
            Some("mean")
        );
        assert_eq!(
            DelayDistribution::lognormal(h(1.0), 0.0).unwrap_err().field(),
            Some("sigma")
        );
        assert_eq!(
            DelayDistribution::gamma(h(1.0), -1.0).unwrap_err().field(),
            Some("shape")
        );
        assert_eq!(
            DelayDistribution::uniform(h(2.0), h(1.0)).unwrap_err().field(),
            Some("max")
        );
        assert_eq!(DelayDistribution::empirical(&[]).unwrap_err().field(), Some("samples"));
        assert_eq!(
            DelayDistribution::new(DelayShape::Empirical {
                samples: vec![1.0, -2.0]
            })
            .unwrap_err()
            .field(),
            Some("samples[1]")
        );
        assert_eq!(
            FollowUp::new(Neglect::Probability(1.5)).unwrap_err().field(),
            Some("never_followed_up")
        );
        assert_eq!(
            check_neglect(Neglect::Count(41), 40).unwrap_err().field(),
            Some("neglected")
        );
    }

    #[test]
    fn the_gamma_cdf_keeps_its_digits_far_below_the_mean() {
        // P(1/2, x) = erf(sqrt(x)) ~ 2 sqrt(x / pi) for tiny x; puruspe::gammp,
        // which this CDF used before, returned 0 for x < a·ε.
        let d = DelayDistribution::gamma(Hours::new(0.5).unwrap(), 0.5).unwrap(); // scale 1 h
        for x in [1e-30, 1e-20, 1e-17] {
            let exact = 2.0 * (x / std::f64::consts::PI).sqrt() * (1.0 - x / 3.0);
            let got = d.cdf(x);
            assert!(
                (got - exact).abs() <= 1e-13 * exact,
                "P(1/2, {x}) = {got}, expected {exact}"
            );
        }
        // Exponential as a gamma of shape 1 agrees with the closed form.
        let e = DelayDistribution::gamma(Hours::new(2.0).unwrap(), 1.0).unwrap();
        for t in [1e-12, 0.1, 2.0, 30.0] {
            assert!((e.cdf(t) - -(-t / 2.0f64).exp_m1()).abs() <= 1e-15);
        }
    }
}
