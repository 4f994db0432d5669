//! An estimate with its standard error and 95 % interval.

use serde::Serialize;

/// A fitted quantity: the estimate, its standard error (from the observed
/// information, by the delta method for derived quantities) and a 95 %
/// interval. Intervals of positive parameters are computed on the log
/// scale (of probabilities, on the logit scale) and transformed back, so
/// they stay in range and need not be symmetric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// What is estimated (`close_rate`, `half_life_hours`, ...).
    pub name: String,
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// Its standard error (NaN when the information is singular).
    pub std_error: f64,
    /// Lower end of the 95 % interval.
    pub ci95_low: f64,
    /// Upper end of the 95 % interval.
    pub ci95_high: f64,
}

/// The 97.5 % standard normal quantile.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

impl Estimate {
    /// Whether `x` lies in the 95 % interval.
    pub fn covers(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }

    /// A positive quantity estimated as `exp(log_value)` with standard
    /// error `log_se` on the log scale.
    pub(crate) fn from_log(name: &str, log_value: f64, log_se: f64) -> Estimate {
        let value = log_value.exp();
        Estimate {
            name: name.to_owned(),
            value,
            std_error: value * log_se,
            ci95_low: (log_value - Z95 * log_se).exp(),
            ci95_high: (log_value + Z95 * log_se).exp(),
        }
    }

    /// A probability estimated as `logistic(logit_value)` with standard
    /// error `logit_se` on the logit scale.
    pub(crate) fn from_logit(name: &str, logit_value: f64, logit_se: f64) -> Estimate {
        let l = super::optimize::logistic;
        let value = l(logit_value);
        Estimate {
            name: name.to_owned(),
            value,
            std_error: value * (1.0 - value) * logit_se,
            ci95_low: l(logit_value - Z95 * logit_se),
            ci95_high: l(logit_value + Z95 * logit_se),
        }
    }
}

/// The Wilson score interval for `successes` of `n` at 95 %.
///
/// ```
/// use lead_decay::calibrate::wilson_interval;
///
/// let (low, high) = wilson_interval(5, 20);
/// assert!((low - 0.1119).abs() < 1e-4 && (high - 0.4687).abs() < 1e-4);
/// assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
/// ```
pub fn wilson_interval(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (successes as f64, n as f64);
    let z2 = Z95 * Z95;
    let p = k / n;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Groups `(value, weight...)` observations with equal values, and, when
/// more than `max_groups` distinct values remain, values in the same bin
/// of 2^-12 of an octave (a relative width of about 0.017 %; weighted mean
/// value), so likelihoods over a million rows cost tens of thousands of
/// terms (35,305 for the decided delays of the million-row export of
/// BENCHMARKS.md). Input is sorted in place.
///
/// Bins of 2^-8 of an octave (0.27 %) were tried for speed (3,288 groups
/// there, the whole run 2.6 times faster in one run) and rejected: the linear shape's
/// shelf life sits at the longest won delay, and pooling moved it by 0.08 %
/// of its value, 30 of its standard errors on that export. They serve
/// only to search for the optimum's basin ([`group_at`]).
pub(crate) fn group<const W: usize>(items: &mut [(f64, [f64; W])], max_groups: usize) -> Vec<(f64, [f64; W])> {
    group_at(items, max_groups, 4096.0)
}

/// [`group`] with `per_octave` bins per doubling of the value when pooling.
pub(crate) fn group_at<const W: usize>(
    items: &mut [(f64, [f64; W])],
    max_groups: usize,
    per_octave: f64,
) -> Vec<(f64, [f64; W])> {
    // Unstable, with ties broken by the weights: items equal in both are
    // interchangeable, and whole counts sum exactly in any order (the
    // decided delays and the censored ages). Fractional weights (the EM's
    // completed rows) that tie on the value may be summed in another order
    // than the input's: the same group up to rounding.
    items.sort_unstable_by(|a, b| {
        a.0.total_cmp(&b.0).then_with(|| {
            a.1.iter()
                .zip(&b.1)
                .map(|(x, y)| x.total_cmp(y))
                .fold(std::cmp::Ordering::Equal, std::cmp::Ordering::then)
        })
    });
    let mut exact: Vec<(f64, [f64; W])> = Vec::new();
    for &(v, w) in items.iter() {
        match exact.last_mut() {
            Some(last) if last.0 == v => (0..W).for_each(|i| last.1[i] += w[i]),
            _ => exact.push((v, w)),
        }
    }
    if exact.len() <= max_groups {
        return exact;
    }
    let key = |v: f64| {
        if v > 0.0 {
            (v.log2() * per_octave).floor() as i64
        } else {
            i64::MIN
        }
    };
    let mut out: Vec<(f64, [f64; W], f64, i64)> = Vec::new();
    for (v, w) in exact {
        let count = w[0].max(1e-300);
        match out.last_mut() {
            Some(last) if last.3 == key(v) => {
                last.0 += v * count;
                last.2 += count;
                (0..W).for_each(|i| last.1[i] += w[i]);
            }
            _ => out.push((v * count, w, count, key(v))),
        }
    }
    out.into_iter().map(|(s, w, c, _)| (s / c, w)).collect()
}
