//! Exact moments and a deterministic quantile sketch for real-valued metrics.

use std::borrow::Cow;
use std::fmt;

use super::bigint;
use super::exact_sum::{ExactSum, SquareSum};
use super::summary::{Summary, ranks, select_ranks};

/// Mantissa bits kept in a bucket key: buckets have relative width `2^-12`.
const MANTISSA_BITS: u32 = 12;

/// Shift from an `f64` bit pattern to its level-0 bucket key.
const KEY_SHIFT: u32 = 52 - MANTISSA_BITS;

/// Largest number of buckets a side may span before it is coarsened.
const MAX_DENSE: u64 = 1 << 20;

/// Level-0 key of the largest finite magnitude.
const MAX_KEY: u64 = f64::MAX.to_bits() >> KEY_SHIFT;

const SIGN_BIT: u64 = 1 << 63;

/// Non-zero values held back before they enter the sketch, in bulk.
const PENDING: usize = 4096;

/// Accumulates a real-valued metric (money): exact sums of `x` and `x²`,
/// exact minimum and maximum, and a deterministic, mergeable quantile sketch.
///
/// # Sketch
///
/// Non-zero values are split by sign; each sign keeps a dense array of
/// log-linear buckets over the magnitudes it has seen. The level-0 key of a
/// magnitude is its `f64` bit pattern shifted right by `52 − 12` bits (the
/// pattern of a non-negative `f64` is monotone in its value), so a bucket
/// spans a relative width of at most `2^-12`. Zeros (`0.0` and `-0.0`, which
/// is recorded as `0.0`) have their own counter. Each bucket stores its count
/// and the exact smallest and largest magnitude it received.
///
/// A quantile is read from the bucket holding the target rank: its minimum
/// for the bucket's first rank, its maximum for its last, and a linear
/// interpolation by rank in between. So values that fall in distinct buckets
/// (for example money amounts that are multiples of a deal value) give exact
/// quantiles, and any quantile is within the bucket of the exact one: at most
/// `2^-12` relative error at level 0.
///
/// If the keys seen on one side would span more than `2^20` buckets (about 77
/// decades), that side is coarsened: adjacent bucket pairs merge, i.e. keys
/// shift right by one more bit, until the span fits. The level reached is the
/// smallest that fits the side's smallest and largest magnitudes, so it
/// depends only on the recorded multiset, not on the order; [`merge`]
/// brings both operands to the coarser level. Memory is at most about
/// `2 × 2^20 × 24` bytes however many values are recorded, and typically a few
/// hundred kilobytes for money amounts spanning a few decades.
///
/// Values enter the sketch in batches of up to 4,096: the sketch is sized
/// once for a batch's range instead of growing value by value, and an
/// accumulator that saw fewer values than that (the tally of a small chunk
/// of trials) never allocates its buckets at all; merging it passes its
/// values on. On the throughput scenario this took the per-SQL engine from
/// 490 M to 536 M SQL-trials/s (`simulate --scenario
/// benches/data/throughput.toml --trials 200000 --engine per-sql --threads
/// 1`), page faults and bucket re-allocations having been 5 % of its time.
///
/// # Determinism
///
/// Every part of the state is a pure function of the recorded multiset, so
/// [`summary`](Self::summary) is bit-identical for any recording order and
/// any grouping of [`merge`]s. The mean is the exact sum divided by `n`; the
/// standard deviation comes from the exact `n·Σx² − (Σx)²`, so it has no
/// cancellation error.
///
/// ```
/// use lead_decay::statistics::ValueAccumulator;
///
/// let mut a = ValueAccumulator::new();
/// let mut b = ValueAccumulator::new();
/// for customers in 0..=20u32 {
///     let revenue = f64::from(customers) * 100_000.0;
///     if customers % 3 == 0 { a.record(revenue) } else { b.record(revenue) }
/// }
/// a.merge(&b);
/// let s = a.summary();
/// assert_eq!(s.count, 21);
/// assert_eq!(s.p50, 1_000_000.0);
/// assert_eq!(s.p95, 1_900_000.0); // rank ⌈0.95 · 21⌉ = 20
/// assert_eq!(s.mean, 1_000_000.0);
/// ```
///
/// [`merge`]: Self::merge
#[derive(Clone)]
pub struct ValueAccumulator {
    count: u64,
    zeros: u64,
    sum: ExactSum,
    sum_sq: SquareSum,
    /// Magnitudes of positive values (index 0) and negative values (index 1).
    sides: [Side; 2],
    /// Bit patterns of recorded non-zero values not yet in `sides`.
    pending: Vec<u64>,
}

impl ValueAccumulator {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Self {
            count: 0,
            zeros: 0,
            sum: ExactSum::new(),
            sum_sq: SquareSum::new(),
            sides: [Side::new(), Side::new()],
            pending: Vec::new(),
        }
    }

    /// Records one value.
    ///
    /// The caller guarantees that `x` is finite: NaN and infinities are
    /// rejected by a `debug_assert!` and corrupt the state in release builds.
    ///
    /// # Panics
    ///
    /// In debug builds, when `x` is NaN or infinite (a caller's bug: the
    /// engines record only finite outcomes).
    #[inline]
    pub fn record(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "ValueAccumulator::record needs a finite value, got {x}");
        self.count += 1;
        self.sum.add(x);
        self.sum_sq.add_square(x);
        let bits = x.to_bits();
        if bits & !SIGN_BIT == 0 {
            self.zeros += 1;
        } else {
            self.pending.push(bits);
            if self.pending.len() >= PENDING {
                self.flush();
            }
        }
    }

    /// Moves the pending values into the sketch: each side is sized once for
    /// their range, then every value lands in an allocated bucket.
    fn flush(&mut self) {
        for (sign, side) in self.sides.iter_mut().enumerate() {
            let magnitudes = self.pending.iter().filter(|&&bits| (bits >> 63) as usize == sign);
            let (lo, hi) = magnitudes.fold((u64::MAX, 0), |(lo, hi), &bits| {
                let magnitude = bits & !SIGN_BIT;
                (lo.min(magnitude), hi.max(magnitude))
            });
            if lo <= hi {
                side.reserve(lo, hi);
            }
        }
        for bits in self.pending.drain(..) {
            self.sides[(bits >> 63) as usize].record(bits & !SIGN_BIT);
        }
    }

    /// This accumulator with nothing pending (a copy only if needed).
    fn flushed(&self) -> Cow<'_, ValueAccumulator> {
        if self.pending.is_empty() {
            Cow::Borrowed(self)
        } else {
            let mut copy = self.clone();
            copy.flush();
            Cow::Owned(copy)
        }
    }

    /// Adds everything recorded in `other`, as if recorded here.
    pub fn merge(&mut self, other: &ValueAccumulator) {
        self.count += other.count;
        self.zeros += other.zeros;
        self.sum.merge(&other.sum);
        self.sum_sq.merge(&other.sum_sq);
        for (mine, theirs) in self.sides.iter_mut().zip(&other.sides) {
            mine.merge(theirs);
        }
        self.pending.extend_from_slice(&other.pending);
        if self.pending.len() >= PENDING {
            self.flush();
        }
    }

    /// Number of recorded values (trials).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The exact sum of all recorded values, correctly rounded to `f64`.
    pub fn sum(&self) -> f64 {
        self.sum.value()
    }

    /// Summary statistics; all zeros when empty.
    ///
    /// `mean` is the exact sum divided by `n` (error within about one ulp),
    /// `std_dev` is computed from the exact `n·Σx² − (Σx)²` (a few ulps),
    /// `min`/`max` are exact, and the quantiles are as described in the
    /// [type documentation](Self).
    pub fn summary(&self) -> Summary {
        let n = self.count;
        if n == 0 {
            return Summary::default();
        }
        let this = self.flushed();
        let (negative, s1) = self.sum.magnitude_words();
        let mean = bigint::mean(&s1, negative, -1074, n);
        let std_dev = bigint::std_dev(&s1, &self.sum_sq.words(), -2148, n);
        let [positive, negative_side] = &this.sides;
        let negatives = negative_side
            .nonempty()
            .rev()
            .map(|b| (b.count, -f64::from_bits(b.max), -f64::from_bits(b.min)));
        let zeros = std::iter::once((this.zeros, 0.0, 0.0));
        let positives = positive
            .nonempty()
            .map(|b| (b.count, f64::from_bits(b.min), f64::from_bits(b.max)));
        let ranked = select_ranks(negatives.chain(zeros).chain(positives), &ranks(n));
        Summary::from_parts(n, mean, std_dev, ranked)
    }

    /// Coarsening level and number of allocated buckets of the positive and
    /// negative sides (for tests of the memory bound).
    #[doc(hidden)]
    pub fn sketch_shape(&self) -> [(u32, usize); 2] {
        self.flushed().sides.each_ref().map(|s| (s.level, s.buckets.len()))
    }
}

impl Default for ValueAccumulator {
    fn default() -> Self {
        Self::new()
    }
}

/// Equal when the recorded multisets give the same state: counts, exact
/// sums, coarsening levels and bucket contents (allocation and slack are
/// ignored).
impl PartialEq for ValueAccumulator {
    fn eq(&self, other: &Self) -> bool {
        self.count == other.count
            && self.zeros == other.zeros
            && self.sum == other.sum
            && self.sum_sq == other.sum_sq
            && self.flushed().sides == other.flushed().sides
    }
}

impl fmt::Debug for ValueAccumulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValueAccumulator")
            .field("count", &self.count)
            .field("zeros", &self.zeros)
            .field("sum", &self.sum)
            .field("sum_sq", &self.sum_sq)
            .field("positive", &self.sides[0])
            .field("negative", &self.sides[1])
            .field("pending", &self.pending.len())
            .finish()
    }
}

/// One bucket: count and the exact extreme magnitudes (as `f64` bits, which
/// order like the magnitudes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Bucket {
    count: u64,
    min: u64,
    max: u64,
}

const EMPTY: Bucket = Bucket {
    count: 0,
    min: u64::MAX,
    max: 0,
};

impl Bucket {
    #[inline]
    fn absorb(&mut self, other: &Bucket) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// Dense log-linear buckets over the non-zero magnitudes of one sign.
#[derive(Clone)]
struct Side {
    /// Keys are `bits >> (KEY_SHIFT + level)`.
    level: u32,
    /// Key of `buckets[0]`.
    offset: u64,
    buckets: Vec<Bucket>,
}

impl Side {
    const fn new() -> Self {
        Self {
            level: 0,
            offset: 0,
            buckets: Vec::new(),
        }
    }

    #[inline]
    fn record(&mut self, magnitude: u64) {
        let key = magnitude >> (KEY_SHIFT + self.level);
        let index = key.wrapping_sub(self.offset);
        if index < self.buckets.len() as u64 {
            let b = &mut self.buckets[index as usize];
            b.count += 1;
            b.min = b.min.min(magnitude);
            b.max = b.max.max(magnitude);
        } else {
            self.record_slow(magnitude);
        }
    }

    /// Makes room for the magnitudes `lo..=hi` (`lo <= hi`, both non-zero).
    fn reserve(&mut self, lo: u64, hi: u64) {
        let shift = KEY_SHIFT + self.level;
        let (lo, hi) = (lo >> shift, hi >> shift);
        let (lo, hi) = match self.observed() {
            Some((first, last)) => (first.min(lo), last.max(hi)),
            None => (lo, hi),
        };
        self.fit(lo, hi);
    }

    #[cold]
    #[inline(never)]
    fn record_slow(&mut self, magnitude: u64) {
        let key = magnitude >> (KEY_SHIFT + self.level);
        let (lo, hi) = match self.observed() {
            Some((lo, hi)) => (lo.min(key), hi.max(key)),
            None => (key, key),
        };
        self.fit(lo, hi);
        let key = magnitude >> (KEY_SHIFT + self.level);
        self.buckets[(key - self.offset) as usize].absorb(&Bucket {
            count: 1,
            min: magnitude,
            max: magnitude,
        });
    }

    /// Keys (at the current level) of the first and last non-empty buckets.
    fn observed(&self) -> Option<(u64, u64)> {
        let first = self.buckets.iter().position(|b| b.count != 0)?;
        let last = self.buckets.iter().rposition(|b| b.count != 0)?;
        Some((self.offset + first as u64, self.offset + last as u64))
    }

    fn nonempty(&self) -> impl DoubleEndedIterator<Item = &Bucket> {
        self.buckets.iter().filter(|b| b.count != 0)
    }

    /// Makes the buckets cover keys `[lo, hi]` (given at the current level,
    /// containing the observed range), coarsening while the span exceeds
    /// [`MAX_DENSE`].
    fn fit(&mut self, mut lo: u64, mut hi: u64) {
        while hi - lo + 1 > MAX_DENSE {
            self.coarsen();
            lo >>= 1;
            hi >>= 1;
        }
        let end = self.offset + self.buckets.len() as u64;
        if !self.buckets.is_empty() && self.offset <= lo && hi < end {
            return;
        }
        // Re-allocate with slack so that growth is amortised, keeping the
        // allocation within MAX_DENSE buckets and the valid key range.
        let span = hi - lo + 1;
        let slack = (span / 2 + 16).min((MAX_DENSE - span) / 2);
        let new_lo = lo.saturating_sub(slack);
        let new_hi = (hi + slack).min((MAX_KEY >> self.level).max(hi));
        let mut buckets = vec![EMPTY; (new_hi - new_lo + 1) as usize];
        for (i, b) in self.buckets.iter().enumerate() {
            if b.count != 0 {
                let key = self.offset + i as u64;
                buckets[(key - new_lo) as usize] = *b;
            }
        }
        self.offset = new_lo;
        self.buckets = buckets;
    }

    /// Merges adjacent bucket pairs: one more bit of key shift.
    fn coarsen(&mut self) {
        let observed = self.observed();
        self.level += 1;
        let Some((lo, hi)) = observed else {
            self.offset = 0;
            self.buckets = Vec::new();
            return;
        };
        let new_lo = lo >> 1;
        let mut buckets = vec![EMPTY; ((hi >> 1) - new_lo + 1) as usize];
        for (i, b) in self.buckets.iter().enumerate() {
            if b.count != 0 {
                let key = (self.offset + i as u64) >> 1;
                buckets[(key - new_lo) as usize].absorb(b);
            }
        }
        self.offset = new_lo;
        self.buckets = buckets;
    }

    fn merge(&mut self, other: &Side) {
        let Some((other_lo, other_hi)) = other.observed() else {
            return;
        };
        if self.observed().is_none() {
            *self = other.clone();
            return;
        }
        while self.level < other.level {
            self.coarsen();
        }
        let shift = self.level - other.level;
        let (lo, hi) = self.observed().expect("non-empty side");
        self.fit(lo.min(other_lo >> shift), hi.max(other_hi >> shift));
        let shift = self.level - other.level;
        for (i, b) in other.buckets.iter().enumerate() {
            if b.count != 0 {
                let key = (other.offset + i as u64) >> shift;
                self.buckets[(key - self.offset) as usize].absorb(b);
            }
        }
    }

    /// The observed buckets with their first key (empty sides compare equal).
    fn trimmed(&self) -> Option<(u32, u64, &[Bucket])> {
        let (lo, hi) = self.observed()?;
        let from = (lo - self.offset) as usize;
        let to = (hi - self.offset) as usize;
        Some((self.level, lo, &self.buckets[from..=to]))
    }
}

impl Default for Side {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for Side {
    fn eq(&self, other: &Self) -> bool {
        self.trimmed() == other.trimmed()
    }
}

impl fmt::Debug for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let observed = self.observed();
        f.debug_struct("Side")
            .field("level", &self.level)
            .field("observed_keys", &observed)
            .field("allocated", &self.buckets.len())
            .field("nonempty", &self.nonempty().count())
            .finish()
    }
}

/// The serialised state of a [`ValueAccumulator`]: counts, the exact sums
/// and the non-empty buckets of each side (pending values flushed first).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AccumulatorState {
    count: u64,
    zeros: u64,
    sum: ExactSum,
    sum_sq: Vec<(usize, u64)>,
    positive: SideState,
    negative: SideState,
}

/// A side's coarsening level and its non-empty buckets as
/// `[key, count, min bits, max bits]`.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SideState {
    level: u32,
    buckets: Vec<(u64, u64, u64, u64)>,
}

impl SideState {
    fn of(side: &Side) -> SideState {
        let buckets = match side.trimmed() {
            Some((_, lo, buckets)) => (lo..)
                .zip(buckets)
                .filter(|(_, b)| b.count != 0)
                .map(|(key, b)| (key, b.count, b.min, b.max))
                .collect(),
            None => Vec::new(),
        };
        SideState {
            level: side.level,
            buckets,
        }
    }

    /// The side, if the state is one a recording could have produced:
    /// keys increasing within the sketch's bounds, every bucket non-empty
    /// and holding finite non-zero magnitudes of its own key.
    fn into_side(self, name: &str) -> Result<(Side, u64), String> {
        let invalid = |what: String| Err(format!("value accumulator, {name} side: {what}"));
        if self.level > 63 - KEY_SHIFT {
            return invalid(format!("coarsening level {} above {}", self.level, 63 - KEY_SHIFT));
        }
        let shift = KEY_SHIFT + self.level;
        let mut side = Side::new();
        side.level = self.level;
        let (Some(first), Some(last)) = (self.buckets.first(), self.buckets.last()) else {
            return Ok((side, 0));
        };
        if last.0 - first.0.min(last.0) >= MAX_DENSE {
            return invalid(format!(
                "keys {}..={} span more than {MAX_DENSE} buckets",
                first.0, last.0
            ));
        }
        side.fit(first.0, last.0.max(first.0));
        let mut total = 0u64;
        let mut previous = None;
        for (key, count, min, max) in self.buckets {
            let in_order = previous.is_none_or(|p| key > p);
            let finite = max < f64::INFINITY.to_bits();
            if !in_order || count == 0 || min == 0 || min > max || !finite || min >> shift != key || max >> shift != key
            {
                return invalid(format!(
                    "bucket {key} (count {count}, min {min:#x}, max {max:#x}) is inconsistent"
                ));
            }
            side.buckets[(key - side.offset) as usize] = Bucket { count, min, max };
            total = total
                .checked_add(count)
                .ok_or_else(|| format!("value accumulator, {name} side: counts overflow"))?;
            previous = Some(key);
        }
        Ok((side, total))
    }
}

/// Serialises the accumulator's exact state (not a summary), so one read
/// back is equal to the one written and merges exactly.
impl serde::Serialize for ValueAccumulator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let this = self.flushed();
        AccumulatorState {
            count: this.count,
            zeros: this.zeros,
            sum: this.sum.clone(),
            sum_sq: this.sum_sq.state(),
            positive: SideState::of(&this.sides[0]),
            negative: SideState::of(&this.sides[1]),
        }
        .serialize(serializer)
    }
}

/// Rejects any state a recording could not have produced (see
/// `SideState::into_side`); bucket counts and zeros must add up to `count`.
impl<'de> serde::Deserialize<'de> for ValueAccumulator {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let state = AccumulatorState::deserialize(deserializer)?;
        let (positive, n_positive) = state.positive.into_side("positive").map_err(D::Error::custom)?;
        let (negative, n_negative) = state.negative.into_side("negative").map_err(D::Error::custom)?;
        let recorded = [n_positive, n_negative, state.zeros]
            .into_iter()
            .try_fold(0u64, u64::checked_add);
        if recorded != Some(state.count) {
            return Err(D::Error::custom(format!(
                "value accumulator: {} values in buckets and {} zeros, but count {}",
                n_positive.saturating_add(n_negative),
                state.zeros,
                state.count
            )));
        }
        if state.count == 0 && !state.sum.is_zero() {
            return Err(D::Error::custom("value accumulator: no values but a non-zero sum"));
        }
        Ok(ValueAccumulator {
            count: state.count,
            zeros: state.zeros,
            sum: state.sum,
            sum_sq: SquareSum::from_state(&state.sum_sq).map_err(D::Error::custom)?,
            sides: [positive, negative],
            pending: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, LogNormal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn from_values(values: &[f64]) -> ValueAccumulator {
        let mut a = ValueAccumulator::new();
        for &x in values {
            a.record(x);
        }
        a
    }

    fn sorted(values: &[f64]) -> Vec<f64> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    fn exact_quantiles(values: &[f64]) -> [f64; 7] {
        let v = sorted(values);
        ranks(v.len() as u64).map(|k| v[k as usize - 1])
    }

    fn quantiles(s: &Summary) -> [f64; 7] {
        [s.min, s.p05, s.p25, s.p50, s.p75, s.p95, s.max]
    }

    #[test]
    fn integers_1_to_100() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = from_values(&values).summary();
        assert_eq!(quantiles(&s), [1.0, 5.0, 25.0, 50.0, 75.0, 95.0, 100.0]);
        assert_eq!(s.mean, 50.5);
        assert_eq!(s.std_dev, (10100.0f64 / 12.0).sqrt());
    }

    #[test]
    fn zeros_negatives_and_signed_zero() {
        let values = [-3.5, 0.0, -0.0, 2.0, -1e-9, 0.0, 7.25, -3.5];
        let a = from_values(&values);
        let s = a.summary();
        let mut expected = exact_quantiles(&values);
        for q in &mut expected {
            *q += 0.0; // -0.0 is recorded as 0.0
        }
        assert_eq!(quantiles(&s).map(f64::to_bits), expected.map(f64::to_bits));
        assert_eq!(s.min, -3.5);
        assert_eq!(s.max, 7.25);
        // Recording -0.0 or 0.0 first makes no difference.
        let b = from_values(&[-0.0, 0.0]);
        let c = from_values(&[0.0, -0.0]);
        assert_eq!(b, c);
        assert_eq!(b.summary().min.to_bits(), 0);
        // The exact sum -1e-9 + 2.25, rounded once.
        assert_eq!(a.sum(), 2.25 - 1e-9);
    }

    #[test]
    fn empty_and_single() {
        let a = ValueAccumulator::default();
        assert_eq!(a.count(), 0);
        assert_eq!(a.summary(), Summary::default());
        let mut b = ValueAccumulator::new();
        b.merge(&a);
        assert_eq!(a, b);
        b.record(-2.5);
        let s = b.summary();
        assert_eq!(quantiles(&s), [-2.5; 7]);
        assert_eq!((s.mean, s.std_dev, s.std_error), (-2.5, 0.0, 0.0));
    }

    #[test]
    fn lognormal_quantiles_within_one_bucket() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        let dist = LogNormal::new(11.0, 1.5).unwrap();
        let values: Vec<f64> = (0..50_000).map(|_| dist.sample(&mut rng)).collect();
        let s = from_values(&values).summary();
        let exact = exact_quantiles(&values);
        for (got, want) in quantiles(&s).into_iter().zip(exact) {
            assert!(((got - want) / want).abs() <= 2f64.powi(-12), "got {got}, want {want}");
        }
        assert_eq!(s.min, exact[0]);
        assert_eq!(s.max, exact[6]);
    }

    #[test]
    fn merging_different_levels_in_either_direction() {
        let narrow: Vec<f64> = (1..2000).map(|i| f64::from(i) * 0.75).collect();
        let wide = [1e-250, 3e-100, 1.0, 5e200, 7e250];
        let all: Vec<f64> = narrow.iter().chain(&wide).copied().collect();
        let whole = from_values(&all);
        assert!(whole.sketch_shape()[0].0 > 0);
        let mut a = from_values(&narrow);
        assert_eq!(a.sketch_shape()[0].0, 0);
        let b = from_values(&wide);
        let mut b2 = b.clone();
        a.merge(&b);
        b2.merge(&from_values(&narrow));
        assert_eq!(a, whole);
        assert_eq!(b2, whole);
        assert_eq!(a.summary(), whole.summary());
    }

    #[test]
    fn coarsening_is_bounded_and_order_independent() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(23);
        let mut values: Vec<f64> = (0..20_000)
            .map(|_| {
                let x = 10f64.powf(rng.random_range(-300.0..300.0));
                if rng.random_bool(0.3) { -x } else { x }
            })
            .collect();
        values.push(1e-300);
        values.push(1e300);
        let whole = from_values(&values);
        for (level, len) in whole.sketch_shape() {
            assert!(level >= 1, "the span must force coarsening");
            assert!(len as u64 <= MAX_DENSE);
        }
        let s = whole.summary();
        assert_eq!(s.min, exact_quantiles(&values)[0]);
        assert_eq!(s.max, 1e300);
        for _ in 0..3 {
            for i in (1..values.len()).rev() {
                values.swap(i, rng.random_range(0..=i));
            }
            let cut = rng.random_range(0..values.len());
            let mut a = from_values(&values[cut..]);
            a.merge(&from_values(&values[..cut]));
            assert_eq!(a, whole);
            assert_eq!(a.summary(), s);
            assert_eq!(from_values(&values), whole);
        }
    }

    #[test]
    fn an_accumulator_serialises_its_exact_state_and_reads_back_equal() {
        let values: Vec<f64> = (0..5_000).map(|i| (f64::from(i) * 0.37).sin() * 1e6).collect();
        let mut whole = ValueAccumulator::new();
        values.iter().for_each(|&x| whole.record(x));
        whole.record(0.0);
        let json = serde_json::to_string(&whole).unwrap();
        let back: ValueAccumulator = serde_json::from_str(&json).unwrap();
        assert_eq!(back, whole);
        assert_eq!(back.summary(), whole.summary());
        let mut merged = back.clone();
        merged.merge(&whole);
        let mut twice = whole.clone();
        twice.merge(&whole);
        assert_eq!(merged.summary(), twice.summary());
    }

    #[test]
    fn a_corrupted_accumulator_state_is_an_error_not_a_panic() {
        let mut acc = ValueAccumulator::new();
        [1.0, 2.0, -3.0].iter().for_each(|&x| acc.record(x));
        let json = serde_json::to_string(&acc).unwrap();
        let corruptions = [
            json.replace("\"count\":3", "\"count\":4"),
            json.replace("\"level\":0", "\"level\":99"),
            r#"{"count":1,"zeros":0,"sum":[],"sum_sq":[],"positive":{"level":0,"buckets":[[0,1,0,0]]},"negative":{"level":0,"buckets":[]}}"#.to_owned(),
            r#"{"count":2,"zeros":0,"sum":[],"sum_sq":[],"positive":{"level":0,"buckets":[[1,1,1,1],[4000000000,1,1,1]]},"negative":{"level":0,"buckets":[]}}"#.to_owned(),
        ];
        for bad in corruptions {
            assert_ne!(bad, json);
            assert!(serde_json::from_str::<ValueAccumulator>(&bad).is_err(), "{bad}");
        }
    }
}
