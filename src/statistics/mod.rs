//! Streaming, exactly mergeable statistics for Monte Carlo runs.
//!
//! # The contract
//!
//! A run is `trials` independent trials, possibly spread over threads and
//! chunks. The report must be **bit-identical for any number of threads and
//! any chunking**, so every accumulator here is a pure function of the
//! *multiset* of recorded values: recording the trials `[0, a)` and `[a, b)`
//! into two accumulators and merging them gives exactly — bit for bit — the
//! same state and [`Summary`] as recording `[0, b)` into one, in any order and
//! any grouping of merges. Memory is bounded independently of the number of
//! trials.
//!
//! Floating-point running sums (naive sums, Welford updates) depend on the
//! order of additions, so none are used:
//!
//! * [`ExactSum`] keeps the exact sum of `f64` values in a fixed-size
//!   superaccumulator and rounds once (correctly) when asked for its value.
//! * [`CountHistogram`] counts non-negative integers exactly in a dense
//!   array; means and variances come from exact integer sums.
//! * [`ValueAccumulator`] holds exact sums of `x` and `x²` (so the variance
//!   numerator `n·Σx² − (Σx)²` is exact), and a log-linear quantile sketch
//!   whose buckets store their count and their exact smallest and largest
//!   value.
//!
//! # Accuracy
//!
//! Means are the exact sum divided by `n` (about one ulp); standard
//! deviations are computed from exact integer numerators (a few ulps). Minima
//! and maxima are exact. [`CountHistogram`] quantiles are exact.
//! [`ValueAccumulator`] quantiles are exact whenever the values around the
//! target rank fall in distinct buckets (for example money amounts that are
//! multiples of a deal value); otherwise the reported value lies in the same
//! bucket as the exact one, within `2^-12` relative error. Only when one sign
//! spans more than about 77 decades is the sketch coarsened, and then by
//! factors of two in bucket width determined by the multiset's extremes.
//!
//! # Serialisation
//!
//! Each accumulator serialises (serde) to its exact state, so a tally
//! written to a file and read back merges and summarises exactly as the
//! original: [`CountHistogram`] as its `[value, count]` pairs,
//! [`ExactSum`] as its canonical digits, [`ValueAccumulator`] as its counts,
//! exact sums and non-empty buckets. Deserialising checks that the state is
//! one a recording could produce; anything else is an error, never a panic.
//!
//! Quantiles follow the inverted-CDF definition: `pXX` is the `k`-th smallest
//! value with `k = max(1, ⌈XX · n / 100⌉)`.
//!
//! ```
//! use lead_decay::statistics::ValueAccumulator;
//!
//! let values: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin() * 1e6).collect();
//! let mut whole = ValueAccumulator::new();
//! values.iter().for_each(|&x| whole.record(x));
//!
//! // Two "threads", recording in opposite orders, merged the other way round.
//! let (left, right) = values.split_at(400);
//! let mut a = ValueAccumulator::new();
//! left.iter().rev().for_each(|&x| a.record(x));
//! let mut b = ValueAccumulator::new();
//! right.iter().for_each(|&x| b.record(x));
//! b.merge(&a);
//! assert_eq!(b.summary(), whole.summary());
//! ```

mod bigint;
mod count_histogram;
mod exact_sum;
mod histogram_serde;
mod summary;
mod value_sketch;

pub use count_histogram::CountHistogram;
pub use exact_sum::ExactSum;
pub use summary::Summary;
pub use value_sketch::ValueAccumulator;

/// FNV-1a (64 bits) of `value`'s complete debug form, in which every number
/// is written exactly: a fingerprint that is the same on every machine.
pub(crate) fn fingerprint(value: &impl std::fmt::Debug) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    format!("{value:?}")
        .bytes()
        .fold(OFFSET, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}
