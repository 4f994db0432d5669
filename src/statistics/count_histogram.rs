//! Exact histogram of a non-negative integer metric.

use std::collections::BTreeMap;
use std::fmt;

use super::bigint;
use super::summary::{Summary, ranks, select_ranks};

/// An exact, mergeable histogram of non-negative integer values (customer
/// counts, leads contacted, …).
///
/// Counts are kept in a dense `Vec<u64>` indexed by `value − offset`, grown
/// on demand to cover the observed range (plus some slack) up to
/// [`CountHistogram::DENSE_LIMIT`] slots (512 KiB); values outside that
/// window are counted in a sorted map beside it. Everything reported —
/// counts, quantiles, mean, standard deviation — is a function of the
/// recorded multiset only, so recording in any order and merging in any
/// grouping gives identical results, whichever side of the window a value
/// falls on.
///
/// # Memory
///
/// At most 512 KiB for the dense window plus about 48 bytes per distinct
/// value outside it: never more than the number of distinct values recorded
/// needs, whatever the values (`record(0)` then `record(u64::MAX)` takes two
/// entries, not 2^64).
///
/// # Panics
///
/// Only if the number of recorded values exceeds `u64::MAX` (in
/// [`CountHistogram::record_n`] and [`CountHistogram::merge`]).
///
/// ```
/// use lead_decay::statistics::CountHistogram;
///
/// let mut a = CountHistogram::new();
/// a.record(3);
/// a.record_n(1, 2);
/// let mut b = CountHistogram::new();
/// b.record(7);
/// a.merge(&b);
/// assert_eq!(a.count(), 4);
/// assert_eq!(a.probability_at_least(3), 0.5);
/// assert_eq!(a.iter().collect::<Vec<_>>(), [(1, 2), (3, 1), (7, 1)]);
///
/// let mut wide = CountHistogram::new();
/// wide.record(0);
/// wide.record(u64::MAX);
/// assert_eq!(wide.iter().collect::<Vec<_>>(), [(0, 1), (u64::MAX, 1)]);
/// ```
#[derive(Clone, Default)]
pub struct CountHistogram {
    /// Value of `counts[0]`.
    offset: u64,
    counts: Vec<u64>,
    /// Counts of the values outside `offset..offset + counts.len()`.
    sparse: BTreeMap<u64, u64>,
    /// Number of recorded values.
    n: u64,
}

impl CountHistogram {
    /// The most slots the dense window holds (2^16 counts: 512 KiB); values
    /// beyond it are counted in a sorted map.
    pub const DENSE_LIMIT: u64 = 1 << 16;

    /// An empty histogram.
    pub const fn new() -> Self {
        Self {
            offset: 0,
            counts: Vec::new(),
            sparse: BTreeMap::new(),
            n: 0,
        }
    }

    /// Records one occurrence of `x`.
    #[inline]
    pub fn record(&mut self, x: u64) {
        self.record_n(x, 1);
    }

    /// Records `times` occurrences of `x`.
    ///
    /// # Panics
    ///
    /// If the number of recorded values would exceed `u64::MAX`.
    #[inline]
    pub fn record_n(&mut self, x: u64, times: u64) {
        let index = x.wrapping_sub(self.offset);
        if index < self.counts.len() as u64 {
            self.counts[index as usize] += times;
            self.n += times;
        } else if times > 0 {
            self.record_slow(x, times);
        }
    }

    #[cold]
    #[inline(never)]
    fn record_slow(&mut self, x: u64, times: u64) {
        let (lo, hi) = match self.dense_observed() {
            Some((lo, hi)) => (lo.min(x), hi.max(x)),
            None => (x, x),
        };
        if hi - lo < Self::DENSE_LIMIT {
            self.reshape(lo, hi);
            let index = (x - self.offset) as usize;
            self.counts[index] += times;
        } else {
            *self.sparse.entry(x).or_insert(0) += times;
        }
        self.n = self
            .n
            .checked_add(times)
            .expect("CountHistogram: more than u64::MAX values");
    }

    /// Smallest and largest values with a non-zero count in the dense window.
    fn dense_observed(&self) -> Option<(u64, u64)> {
        let first = self.counts.iter().position(|&c| c != 0)?;
        let last = self.counts.iter().rposition(|&c| c != 0)?;
        Some((self.offset + first as u64, self.offset + last as u64))
    }

    /// Smallest and largest values with a non-zero count.
    fn observed(&self) -> Option<(u64, u64)> {
        let dense = self.dense_observed();
        let sparse = self.sparse.first_key_value().zip(self.sparse.last_key_value());
        match (dense, sparse) {
            (Some((lo, hi)), Some(((&s_lo, _), (&s_hi, _)))) => Some((lo.min(s_lo), hi.max(s_hi))),
            (Some(range), None) => Some(range),
            (None, Some(((&s_lo, _), (&s_hi, _)))) => Some((s_lo, s_hi)),
            (None, None) => None,
        }
    }

    /// Re-allocates the window to cover `[lo, hi]` (which must contain the
    /// dense observed range, `hi - lo < DENSE_LIMIT`) with slack on both
    /// sides, so that growth is amortised; at most `DENSE_LIMIT` slots.
    fn reshape(&mut self, lo: u64, hi: u64) {
        let span = hi - lo;
        let slack = (span / 2 + 8).min((Self::DENSE_LIMIT - 1 - span) / 2);
        let new_lo = lo.saturating_sub(slack);
        let new_hi = hi.saturating_add(slack);
        // At most DENSE_LIMIT slots: fits a usize on every platform.
        let len = (new_hi - new_lo) as usize + 1;
        let mut counts = vec![0u64; len];
        if let Some((old_lo, old_hi)) = self.dense_observed() {
            let from = (old_lo - self.offset) as usize..=(old_hi - self.offset) as usize;
            let to = (old_lo - new_lo) as usize;
            let src = &self.counts[from];
            counts[to..to + src.len()].copy_from_slice(src);
        }
        self.offset = new_lo;
        self.counts = counts;
        // Values of the map that the new window covers move into it.
        let inside: Vec<u64> = self.sparse.range(new_lo..=new_hi).map(|(&v, _)| v).collect();
        for value in inside {
            if let Some(count) = self.sparse.remove(&value) {
                self.counts[(value - new_lo) as usize] += count;
            }
        }
    }

    /// Adds all values recorded in `other`, as if recorded here.
    ///
    /// # Panics
    ///
    /// If the number of recorded values would exceed `u64::MAX`.
    pub fn merge(&mut self, other: &CountHistogram) {
        if let Some((other_lo, other_hi)) = other.dense_observed() {
            let end = self.offset + self.counts.len() as u64; // exclusive
            let fits = !self.counts.is_empty() && other_lo >= self.offset && other_hi < end;
            let reshaped = fits
                || match self.dense_observed() {
                    Some((lo, hi)) => {
                        let (lo, hi) = (lo.min(other_lo), hi.max(other_hi));
                        hi - lo < Self::DENSE_LIMIT && {
                            self.reshape(lo, hi);
                            true
                        }
                    }
                    None => {
                        self.reshape(other_lo, other_hi);
                        true
                    }
                };
            if reshaped {
                let from = (other_lo - other.offset) as usize..=(other_hi - other.offset) as usize;
                let to = (other_lo - self.offset) as usize;
                for (mine, &theirs) in self.counts[to..].iter_mut().zip(&other.counts[from]) {
                    *mine += theirs;
                }
            } else {
                for (i, &count) in other.counts.iter().enumerate().filter(|&(_, &c)| c != 0) {
                    self.add_outside(other.offset + i as u64, count);
                }
            }
        }
        for (&value, &count) in &other.sparse {
            self.add_outside(value, count);
        }
        self.n = self
            .n
            .checked_add(other.n)
            .expect("CountHistogram: more than u64::MAX values");
    }

    /// Adds `count` occurrences of `value` without touching `n`.
    fn add_outside(&mut self, value: u64, count: u64) {
        let index = value.wrapping_sub(self.offset);
        if index < self.counts.len() as u64 {
            self.counts[index as usize] += count;
        } else {
            *self.sparse.entry(value).or_insert(0) += count;
        }
    }

    /// Number of recorded values (trials).
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Smallest recorded value, if any.
    pub fn min(&self) -> Option<u64> {
        self.observed().map(|(lo, _)| lo)
    }

    /// Largest recorded value, if any.
    pub fn max(&self) -> Option<u64> {
        self.observed().map(|(_, hi)| hi)
    }

    /// Exact sum of all recorded values.
    pub fn sum(&self) -> u128 {
        self.iter()
            .map(|(value, count)| u128::from(value) * u128::from(count))
            .sum()
    }

    /// Fraction of recorded values that are `>= threshold`: an exact count
    /// divided once by the number of values. `0.0` when empty.
    pub fn probability_at_least(&self, threshold: u64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let at_least: u64 = self
            .iter()
            .filter(|&(value, _)| value >= threshold)
            .map(|(_, count)| count)
            .sum();
        at_least as f64 / self.n as f64
    }

    /// The distinct recorded values with their counts, in ascending order of
    /// value. Values never recorded are skipped.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let offset = self.offset;
        let dense = self
            .counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count != 0)
            .map(move |(i, &count)| (offset + i as u64, count));
        // The map holds no value of the window: a plain merge of two
        // ascending sequences.
        let mut dense = dense.peekable();
        let mut sparse = self.sparse.iter().map(|(&v, &c)| (v, c)).peekable();
        std::iter::from_fn(move || match (dense.peek(), sparse.peek()) {
            (Some(&(a, _)), Some(&(b, _))) => {
                if a < b {
                    dense.next()
                } else {
                    sparse.next()
                }
            }
            (Some(_), None) => dense.next(),
            (None, _) => sparse.next(),
        })
    }

    /// Summary statistics: exact quantiles; the mean and standard deviation
    /// come from exact integer sums (`n·Σx² − (Σx)²` for the variance),
    /// rounded to `f64` only at the end. All zeros when empty.
    pub fn summary(&self) -> Summary {
        let n = self.n;
        if n == 0 {
            return Summary::default();
        }
        let mut sum: u128 = 0;
        // Σ count · value² < 2^64 · 2^128: four 64-bit limbs are plenty.
        let mut sum_sq = [0u64; 4];
        for (value, count) in self.iter() {
            sum += u128::from(value) * u128::from(count);
            let square = u128::from(value) * u128::from(value);
            add_product(&mut sum_sq, square, count);
        }
        let s1 = bigint::from_u128(sum);
        let s2: Vec<u32> = sum_sq
            .iter()
            .flat_map(|&limb| [limb as u32, (limb >> 32) as u32])
            .collect();
        let mean = bigint::mean(&s1, false, 0, n);
        let std_dev = bigint::std_dev(&s1, &s2, 0, n);
        let groups = self.iter().map(|(value, count)| {
            let v = value as f64;
            (count, v, v)
        });
        Summary::from_parts(n, mean, std_dev, select_ranks(groups, &ranks(n)))
    }
}

/// `acc += a · b` on a little-endian 256-bit integer.
fn add_product(acc: &mut [u64; 4], a: u128, b: u64) {
    let low = u128::from(a as u64) * u128::from(b);
    let high = u128::from((a >> 64) as u64) * u128::from(b);
    // a · b = low + high · 2^64, split into three 64-bit limbs.
    let limb0 = low as u64;
    let mid = (low >> 64) + u128::from(high as u64);
    let limb1 = mid as u64;
    let limb2 = ((mid >> 64) + (high >> 64)) as u64;
    let mut carry = 0u128;
    for (i, part) in [limb0, limb1, limb2, 0].into_iter().enumerate() {
        let t = u128::from(acc[i]) + u128::from(part) + carry;
        acc[i] = t as u64;
        carry = t >> 64;
    }
    debug_assert_eq!(carry, 0);
}

/// Equal when the recorded multisets are equal (allocation and slack are
/// ignored).
impl PartialEq for CountHistogram {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n && self.iter().eq(other.iter())
    }
}

impl Eq for CountHistogram {}

impl fmt::Debug for CountHistogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Counts<'a>(&'a CountHistogram);
        impl fmt::Debug for Counts<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map().entries(self.0.iter()).finish()
            }
        }
        f.debug_struct("CountHistogram")
            .field("count", &self.n)
            .field("counts", &Counts(self))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn from_values(values: &[u64]) -> CountHistogram {
        let mut h = CountHistogram::new();
        for &x in values {
            h.record(x);
        }
        h
    }

    #[test]
    fn quantiles_of_1_to_100() {
        let h = from_values(&(1..=100).rev().collect::<Vec<_>>());
        let s = h.summary();
        assert_eq!(s.count, 100);
        assert_eq!((s.min, s.p05, s.p25, s.p50), (1.0, 5.0, 25.0, 50.0));
        assert_eq!((s.p75, s.p95, s.max), (75.0, 95.0, 100.0));
        assert_eq!(s.mean, 50.5);
        // Variance of 1..=100 is 100·101/12 = 841.666…
        assert_eq!(s.std_dev, (10100.0f64 / 12.0).sqrt());
        assert_eq!(s.std_error, s.std_dev / 10.0);
        assert_eq!(h.sum(), 5050);
    }

    #[test]
    fn inverted_cdf_small_samples() {
        let s = from_values(&[30, 10, 20]).summary();
        assert_eq!([s.p05, s.p25, s.p50, s.p75, s.p95], [10.0, 10.0, 20.0, 30.0, 30.0]);
        let s = from_values(&[4, 1, 3, 2]).summary();
        assert_eq!([s.p05, s.p25, s.p50, s.p75, s.p95], [1.0, 1.0, 2.0, 3.0, 4.0]);
        let s = from_values(&[42]).summary();
        assert_eq!((s.min, s.p50, s.max, s.mean, s.std_dev), (42.0, 42.0, 42.0, 42.0, 0.0));
        assert_eq!((s.ci95_low, s.ci95_high), (42.0, 42.0));
    }

    #[test]
    fn probability_at_least_counts_exactly() {
        let h = from_values(&[0, 0, 1, 2, 2, 2, 5, 9]);
        assert_eq!(h.probability_at_least(0), 1.0);
        assert_eq!(h.probability_at_least(1), 0.75);
        assert_eq!(h.probability_at_least(2), 0.625);
        assert_eq!(h.probability_at_least(3), 0.25);
        assert_eq!(h.probability_at_least(9), 0.125);
        assert_eq!(h.probability_at_least(10), 0.0);
        assert_eq!(CountHistogram::new().probability_at_least(0), 0.0);
    }

    #[test]
    fn empty_is_all_zero() {
        let h = CountHistogram::default();
        assert_eq!(h.count(), 0);
        assert_eq!(h.summary(), Summary::default());
        assert_eq!(h.iter().count(), 0);
        assert_eq!((h.min(), h.max()), (None, None));
        let mut g = CountHistogram::new();
        g.merge(&h);
        assert_eq!(g, h);
        g.record_n(5, 0);
        assert_eq!(g.count(), 0);
    }

    #[test]
    fn huge_values_and_variance() {
        let big = u64::MAX - 3;
        let h = from_values(&[big, big + 2, big + 1, big + 3]);
        let s = h.summary();
        assert_eq!(s.count, 4);
        assert_eq!(s.std_dev, (5.0f64 / 3.0).sqrt());
        assert_eq!(s.mean, (big as f64 + 1.5));
        assert_eq!(h.min(), Some(big));
        assert_eq!(h.max(), Some(u64::MAX));
        assert_eq!(h.sum(), 4 * u128::from(big) + 6);
    }

    #[test]
    fn merge_matches_single_run() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let values: Vec<u64> = (0..20_000).map(|_| rng.random_range(0..300)).collect();
        let whole = from_values(&values);
        for _ in 0..10 {
            let cut = rng.random_range(0..=values.len());
            let mut a = from_values(&values[cut..]);
            let b = from_values(&values[..cut]);
            a.merge(&b);
            assert_eq!(a, whole);
            assert_eq!(a.summary(), whole.summary());
        }
    }

    #[test]
    fn extreme_values_take_two_entries_not_a_dense_range() {
        // record(0) then record(u64::MAX) panicked; record(1 << 40) tried to
        // allocate about 13 TB.
        let mut h = from_values(&[0, u64::MAX, 1 << 40, 7, 1 << 40]);
        assert!(h.counts.len() as u64 <= CountHistogram::DENSE_LIMIT);
        assert_eq!(h.sparse.len(), 2);
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            [(0, 1), (7, 1), (1 << 40, 2), (u64::MAX, 1)]
        );
        assert_eq!((h.min(), h.max()), (Some(0), Some(u64::MAX)));
        let s = h.summary();
        assert_eq!(
            (s.count, s.min, s.max, s.p50),
            (5, 0.0, u64::MAX as f64, (1u64 << 40) as f64)
        );
        h.merge(&from_values(&[u64::MAX - 1]));
        assert_eq!(h.count(), 6);
    }

    #[test]
    fn memory_does_not_grow_with_the_range_or_the_number_of_values() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut h = CountHistogram::new();
        for _ in 0..100_000 {
            h.record(rng.random_range(0..1_000) * 1_000_000_000);
        }
        assert!(h.counts.len() as u64 <= CountHistogram::DENSE_LIMIT);
        assert!(h.sparse.len() <= 1_000);
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn dense_and_sparse_halves_merge_exactly_in_any_order() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let values: Vec<u64> = (0..5_000)
            .map(|i| {
                if i % 3 == 0 {
                    rng.random_range(0..500_000)
                } else {
                    rng.random_range(200_000..201_000)
                }
            })
            .collect();
        let whole = from_values(&values);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        assert_eq!(from_values(&sorted), whole);
        assert_eq!(from_values(&sorted).summary(), whole.summary());
        for cut in [0, 1, 2_500, 4_999] {
            let mut a = from_values(&values[cut..]);
            a.merge(&from_values(&values[..cut]));
            assert_eq!(a, whole);
            assert_eq!(a.summary(), whole.summary());
            let mut b = from_values(&values[..cut]);
            b.merge(&from_values(&values[cut..]));
            assert_eq!(b.summary(), whole.summary());
        }
    }

    #[test]
    fn add_product_carries() {
        let mut acc = [u64::MAX, u64::MAX, 0, 0];
        add_product(&mut acc, 1, 1);
        assert_eq!(acc, [0, 0, 1, 0]);
        let mut acc = [0; 4];
        add_product(&mut acc, u128::MAX, u64::MAX);
        // (2^128 − 1)(2^64 − 1) = 2^192 − 2^128 − 2^64 + 1
        assert_eq!(acc, [1, u64::MAX, u64::MAX - 1, 0]);
    }
}
