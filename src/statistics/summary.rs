//! The summary of one metric over a run.

use serde::{Deserialize, Serialize};

/// Two-sided 95 % normal quantile, `Φ⁻¹(0.975)`.
const Z95: f64 = 1.959963984540054;

/// Percent levels of the reported quantiles, in field order.
const PERCENTS: [u64; 5] = [5, 25, 50, 75, 95];

/// Summary statistics of one metric over `count` trials.
///
/// * `mean`, `std_dev`: sample mean and sample standard deviation
///   (denominator `n − 1`; defined as `0.0` when `n < 2`).
/// * `std_error = std_dev / √n`, and the normal-approximation interval
///   `ci95 = mean ± 1.959963984540054 · std_error`.
/// * `min`, `max`: the exact extremes.
/// * `pXX`: inverted-CDF quantiles — the smallest observed value whose
///   empirical CDF reaches `XX %`, i.e. the `k`-th smallest value with
///   `k = max(1, ⌈XX · n / 100⌉)` computed in exact integer arithmetic.
///
/// The summary of an empty accumulator (`count == 0`) is all zeros; it is
/// also the [`Default`].
///
/// ```
/// use lead_decay::statistics::CountHistogram;
///
/// let mut h = CountHistogram::new();
/// for x in 1..=100 {
///     h.record(x);
/// }
/// let s = h.summary();
/// assert_eq!((s.p05, s.p50, s.p95), (5.0, 50.0, 95.0));
/// assert_eq!(s.mean, 50.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Number of recorded values (trials).
    pub count: u64,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (`n − 1` denominator; `0.0` when `n < 2`).
    pub std_dev: f64,
    /// Standard error of the mean, `std_dev / √n`.
    pub std_error: f64,
    /// Lower end of the 95 % normal confidence interval of the mean.
    pub ci95_low: f64,
    /// Upper end of the 95 % normal confidence interval of the mean.
    pub ci95_high: f64,
    /// Smallest recorded value.
    pub min: f64,
    /// 5th percentile (inverted CDF).
    pub p05: f64,
    /// 25th percentile (inverted CDF).
    pub p25: f64,
    /// Median (inverted CDF: the lower median for even `n`).
    pub p50: f64,
    /// 75th percentile (inverted CDF).
    pub p75: f64,
    /// 95th percentile (inverted CDF).
    pub p95: f64,
    /// Largest recorded value.
    pub max: f64,
}

impl Summary {
    /// The names of the statistics of a summary after `count`, in the order of
    /// [`Summary::values`]: the column headers of every table and CSV file
    /// that lists summaries (and the keys of its JSON form).
    pub const COLUMNS: [&'static str; 12] = [
        "mean",
        "std_dev",
        "std_error",
        "ci95_low",
        "ci95_high",
        "min",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "max",
    ];

    /// The statistics named by [`Summary::COLUMNS`], in that order.
    ///
    /// ```
    /// use lead_decay::Summary;
    ///
    /// let s = Summary { mean: 2.0, max: 5.0, ..Summary::default() };
    /// let values = s.values();
    /// assert_eq!(values[0], 2.0);
    /// assert_eq!(values[Summary::COLUMNS.iter().position(|c| *c == "max").unwrap()], 5.0);
    /// ```
    pub const fn values(&self) -> [f64; 12] {
        [
            self.mean,
            self.std_dev,
            self.std_error,
            self.ci95_low,
            self.ci95_high,
            self.min,
            self.p05,
            self.p25,
            self.p50,
            self.p75,
            self.p95,
            self.max,
        ]
    }

    /// The summary of the derived metric `y = scale · x + offset`.
    ///
    /// Location fields (`mean`, `ci95_*`, `min`, the quantiles, `max`) map
    /// through `x ↦ scale · x + offset`; spread fields (`std_dev`,
    /// `std_error`) are multiplied by `|scale|`. Use it to derive revenue from
    /// a customer count (`scale` = deal value) or ROI from revenue.
    ///
    /// `scale > 0` is the intended use, and then quantiles map exactly (up to
    /// the rounding of the multiplication). A negative `scale` reverses the
    /// order: `min`/`max`, `p05`/`p95`, `p25`/`p75` and the interval ends are
    /// swapped; the swapped quantiles are then the upper rather than the
    /// lower inverted-CDF quantiles of the derived metric. The summary of an
    /// empty accumulator (`count == 0`) is returned unchanged.
    ///
    /// ```
    /// use lead_decay::statistics::CountHistogram;
    ///
    /// let mut customers = CountHistogram::new();
    /// for x in [0, 1, 1, 2] {
    ///     customers.record(x);
    /// }
    /// let revenue = customers.summary().affine(100_000.0, 0.0);
    /// assert_eq!(revenue.mean, 100_000.0);
    /// assert_eq!(revenue.max, 200_000.0);
    /// ```
    pub fn affine(&self, scale: f64, offset: f64) -> Summary {
        if self.count == 0 {
            return *self;
        }
        let f = |x: f64| scale * x + offset;
        let spread = scale.abs();
        if scale >= 0.0 {
            Summary {
                count: self.count,
                mean: f(self.mean),
                std_dev: spread * self.std_dev,
                std_error: spread * self.std_error,
                ci95_low: f(self.ci95_low),
                ci95_high: f(self.ci95_high),
                min: f(self.min),
                p05: f(self.p05),
                p25: f(self.p25),
                p50: f(self.p50),
                p75: f(self.p75),
                p95: f(self.p95),
                max: f(self.max),
            }
        } else {
            Summary {
                count: self.count,
                mean: f(self.mean),
                std_dev: spread * self.std_dev,
                std_error: spread * self.std_error,
                ci95_low: f(self.ci95_high),
                ci95_high: f(self.ci95_low),
                min: f(self.max),
                p05: f(self.p95),
                p25: f(self.p75),
                p50: f(self.p50),
                p75: f(self.p25),
                p95: f(self.p05),
                max: f(self.min),
            }
        }
    }

    /// Assembles a summary of `count >= 1` values from the mean, the sample
    /// standard deviation and the values at [`ranks`] (min, p05..p95, max).
    pub(crate) fn from_parts(count: u64, mean: f64, std_dev: f64, ranked: [f64; 7]) -> Summary {
        let std_error = std_dev / (count as f64).sqrt();
        Summary {
            count,
            mean,
            std_dev,
            std_error,
            ci95_low: mean - Z95 * std_error,
            ci95_high: mean + Z95 * std_error,
            min: ranked[0],
            p05: ranked[1],
            p25: ranked[2],
            p50: ranked[3],
            p75: ranked[4],
            p95: ranked[5],
            max: ranked[6],
        }
    }
}

/// The 1-based ranks of min, p05, p25, p50, p75, p95 and max among `n >= 1`
/// sorted values: `k = max(1, ⌈XX · n / 100⌉)`, in exact integer arithmetic.
pub(crate) fn ranks(n: u64) -> [u64; 7] {
    let mut out = [1, 0, 0, 0, 0, 0, n];
    for (slot, percent) in out[1..6].iter_mut().zip(PERCENTS) {
        let k = (u128::from(percent) * u128::from(n)).div_ceil(100);
        *slot = (k as u64).max(1);
    }
    out
}

/// Values at ascending 1-based `ranks` in a sorted sequence given as groups
/// `(count, first, last)` of consecutive values in ascending order.
///
/// Within a group the first rank gets `first`, the last gets `last`, and
/// ranks in between are interpolated linearly by rank. Groups with a zero
/// count are skipped. Every rank must be at most the total count.
pub(crate) fn select_ranks<I>(groups: I, ranks: &[u64; 7]) -> [f64; 7]
where
    I: IntoIterator<Item = (u64, f64, f64)>,
{
    let mut out = [0.0; 7];
    let mut next = 0;
    let mut before = 0u64; // values in earlier groups
    for (count, first, last) in groups {
        if count == 0 {
            continue;
        }
        while next < ranks.len() && ranks[next] <= before + count {
            let r = ranks[next] - before; // 1..=count
            out[next] = if r == 1 {
                first
            } else if r == count {
                last
            } else {
                first + (last - first) * ((r - 1) as f64 / (count - 1) as f64)
            };
            next += 1;
        }
        if next == ranks.len() {
            break;
        }
        before += count;
    }
    debug_assert_eq!(next, ranks.len(), "a rank exceeds the number of values");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverted_cdf_ranks() {
        assert_eq!(ranks(1), [1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(ranks(3), [1, 1, 1, 2, 3, 3, 3]);
        assert_eq!(ranks(4), [1, 1, 1, 2, 3, 4, 4]);
        assert_eq!(ranks(100), [1, 5, 25, 50, 75, 95, 100]);
        assert_eq!(ranks(101), [1, 6, 26, 51, 76, 96, 101]);
        assert_eq!(ranks(20), [1, 1, 5, 10, 15, 19, 20]);
        let n = u64::MAX;
        let r = ranks(n);
        assert_eq!(r[3], n / 2 + 1);
        assert_eq!(r[6], n);
    }

    #[test]
    fn select_with_interpolation() {
        // Values 1, (2 .. 4 spread over 3 ranks), 10.
        let groups = [(1, 1.0, 1.0), (0, 99.0, 99.0), (3, 2.0, 4.0), (1, 10.0, 10.0)];
        let got = select_ranks(groups, &[1, 2, 3, 4, 4, 5, 5]);
        assert_eq!(got, [1.0, 2.0, 3.0, 4.0, 4.0, 10.0, 10.0]);
    }

    #[test]
    fn affine_maps_fields() {
        let s = Summary::from_parts(4, 2.5, 1.0, [1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
        let t = s.affine(2.0, 1.0);
        assert_eq!(t.mean, 6.0);
        assert_eq!(t.std_dev, 2.0);
        assert_eq!(t.std_error, 1.0);
        assert_eq!((t.min, t.p50, t.max), (3.0, 5.0, 9.0));
        assert_eq!(t.ci95_low, 2.0 * s.ci95_low + 1.0);
        let u = s.affine(-1.0, 0.0);
        assert_eq!((u.min, u.p05, u.p75, u.max), (-4.0, -4.0, -1.0, -1.0));
        assert!(u.ci95_low < u.ci95_high);
        assert_eq!(u.std_dev, 1.0);
        let empty = Summary::default();
        assert_eq!(empty.affine(3.0, 7.0), empty);
    }

    #[test]
    fn serde_round_trip() {
        let s = Summary::from_parts(3, 0.1, 0.2, [0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.3]);
        let json = serde_json::to_string(&s).unwrap();
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }
}
