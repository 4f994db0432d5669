//! The pooled distribution of follow-up delays, exactly mergeable.

use serde::Serialize;

/// Mantissa bits kept per bucket: buckets are `2^-7` (0.8 %) wide, relative.
const MANTISSA_BITS: u32 = 7;
const SHIFT: u32 = 52 - MANTISSA_BITS;
/// Delays below `2^-20` h (3.4 ms) count as zero-ish, above `2^20` h (120
/// years) as that.
const LOW: f64 = 1.0 / 1_048_576.0;
const HIGH: f64 = 1_048_576.0;

/// A log-bucket histogram of follow-up delays pooled over every SQL of every
/// trial. Zero delays are counted exactly; positive ones in buckets of
/// relative width `2^-7`, so quantiles are within 0.8 % (below) of the
/// exact sample quantile. Counts merge exactly, in any order.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::DelayHistogram;
///
/// let mut h = DelayHistogram::new();
/// for d in [0.0, 0.0, 1.0, 2.0, 10.0] {
///     h.record(d);
/// }
/// assert_eq!(h.quantile(0.4), 0.0);
/// assert_eq!(h.quantile(0.6), 1.0);
/// assert!((h.quantile(1.0) - 10.0).abs() / 10.0 < 0.008);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayHistogram {
    zero: u64,
    buckets: Vec<u64>,
    count: u64,
}

fn key(x: f64) -> u64 {
    x.to_bits() >> SHIFT
}

impl DelayHistogram {
    /// An empty histogram.
    pub fn new() -> DelayHistogram {
        DelayHistogram {
            zero: 0,
            buckets: vec![0; (key(HIGH) - key(LOW) + 1) as usize],
            count: 0,
        }
    }

    /// Records one delay in hours (negative and NaN count as zero).
    #[inline]
    pub fn record(&mut self, delay: f64) {
        self.count += 1;
        if !(delay > 0.0) {
            self.zero += 1;
            return;
        }
        let i = key(delay.clamp(LOW, HIGH)) - key(LOW);
        self.buckets[i as usize] += 1;
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &DelayHistogram) {
        self.count += other.count;
        self.zero += other.zero;
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            *a += b;
        }
    }

    /// Delays recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Share of zero delays.
    pub fn zero_share(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.zero as f64 / self.count as f64
        }
    }

    /// The inverted-CDF quantile `q` in hours: the lower edge of the bucket
    /// holding the `max(1, ⌈q·n⌉)`-th smallest delay (0 when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = self.zero;
        if seen >= rank {
            return 0.0;
        }
        for (i, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return f64::from_bits((i as u64 + key(LOW)) << SHIFT);
            }
        }
        HIGH
    }

    /// p50, p90 and p99.
    pub fn quantiles(&self) -> DelayQuantiles {
        DelayQuantiles {
            p50: self.quantile(0.5),
            p90: self.quantile(0.9),
            p99: self.quantile(0.99),
            zero_share: self.zero_share(),
        }
    }
}

impl Default for DelayHistogram {
    fn default() -> Self {
        DelayHistogram::new()
    }
}

/// Quantiles of the first-follow-up delay over all SQLs of all trials, in
/// hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DelayQuantiles {
    /// Median delay.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Share of SQLs worked without any wait.
    pub zero_share: f64,
}
