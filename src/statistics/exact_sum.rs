//! Exact, order-independent summation of `f64` values (a superaccumulator).

use std::fmt;

use super::bigint;

/// Number of 32-bit-digit chunks: 64 cover every finite `f64` (bit positions
/// `0..=2045 + 52` relative to `2^-1074`), one more takes the high part of the
/// top chunk, two more absorb carries of up to `2^64` additions.
const CHUNKS: usize = 67;

/// Additions between carry propagations. Each addition puts less than `2^52`
/// into a chunk, and a normalised chunk is below `2^32`, so after this many
/// additions a chunk stays below `2^62 + 2^32`, far from `i64` overflow.
const ADDS_BETWEEN_CARRIES: u32 = 1024;

const FRACTION_MASK: u64 = (1 << 52) - 1;
const LOW_MASK: i64 = 0xFFFF_FFFF;

/// An exact, mergeable sum of finite `f64` values.
///
/// Every finite `f64` is an integer multiple of `2^-1074`, so the accumulator
/// holds the exact sum as a fixed-size integer: 67 signed 64-bit chunks, each
/// carrying a 32-bit digit plus headroom (Radford Neal's "small
/// superaccumulator", as in his `xsum` library). [`add`](Self::add) splits
/// the 53-bit significand of `x` into two pieces and adds them into two
/// chunks; carries are propagated once every 1024 additions, so no addition
/// can overflow.
///
/// Because nothing is ever rounded, the state represents the exact sum of the
/// multiset of added values: adding in any order and [merging](Self::merge)
/// partial sums in any grouping gives the same sum, and [`value`](Self::value)
/// — a correctly rounded (to nearest, ties to even) conversion of that exact
/// sum — is therefore bit-identical.
///
/// Memory is fixed: 67 × 8 bytes plus a counter; nothing is allocated.
///
/// ```
/// use lead_decay::statistics::ExactSum;
///
/// let mut a = ExactSum::new();
/// for x in [1e16, 1.0, -1e16] {
///     a.add(x);
/// }
/// assert_eq!(a.value(), 1.0); // a naive f64 sum gives 0.0
///
/// let mut b = ExactSum::new();
/// b.add(0.1);
/// b.add(0.2);
/// let mut c = ExactSum::new();
/// c.add(0.3);
/// c.merge(&b);
/// let mut d = ExactSum::new();
/// for x in [0.3, 0.2, 0.1] {
///     d.add(x);
/// }
/// assert_eq!(c, d);
/// assert_eq!(c.value().to_bits(), d.value().to_bits());
/// ```
#[derive(Clone)]
pub struct ExactSum {
    chunks: [i64; CHUNKS],
    adds_left: u32,
}

impl ExactSum {
    /// An empty sum (value `0.0`).
    pub const fn new() -> Self {
        Self {
            chunks: [0; CHUNKS],
            adds_left: ADDS_BETWEEN_CARRIES,
        }
    }

    /// Adds `x` exactly.
    ///
    /// The caller guarantees that `x` is finite: NaN and infinities are
    /// rejected by a `debug_assert!` and silently give a meaningless sum in
    /// release builds. `-0.0` and `0.0` add nothing.
    ///
    /// # Panics
    ///
    /// In debug builds, when `x` is NaN or infinite (a caller's bug).
    #[inline]
    pub fn add(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "ExactSum::add needs a finite value, got {x}");
        if self.adds_left == 0 {
            self.carry();
        }
        self.adds_left -= 1;
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7FF) as u32;
        let normal = u32::from(exponent != 0);
        let significand = (bits & FRACTION_MASK) | (u64::from(normal) << 52);
        // |x| = significand · 2^(position − 1074), position in 0..=2045.
        let position = exponent - normal;
        let low = position & 31;
        let high = (position >> 5) as usize & 63;
        let low_part = ((significand << low) as i64) & LOW_MASK;
        let high_part = (significand >> (32 - low)) as i64;
        // Branch-free negation: sign is 0 or -1.
        let sign = (bits as i64) >> 63;
        self.chunks[high] += (low_part ^ sign) - sign;
        self.chunks[high + 1] += (high_part ^ sign) - sign;
    }

    /// Adds the exact sum held by `other`, as if its values had been added
    /// here one by one.
    pub fn merge(&mut self, other: &ExactSum) {
        self.carry();
        // Normalised chunks are below 2^32 and `other`'s are below
        // 2^62 + 2^32, so the chunk-wise sum cannot overflow.
        for (mine, theirs) in self.chunks.iter_mut().zip(other.chunks.iter()) {
            *mine += *theirs;
        }
        self.carry();
    }

    /// The exact sum rounded to the nearest `f64` (ties to even).
    ///
    /// The result depends only on the exact sum, never on the order of
    /// additions or merges. A sum beyond the `f64` range gives `±inf`; an
    /// exact zero gives `+0.0`.
    pub fn value(&self) -> f64 {
        let (negative, words) = self.magnitude_words();
        let (m, e) = bigint::round53(&words);
        let bits = if e == 0 {
            // At most 53 significant bits: m · 2^-1074 has exactly the bit
            // pattern m (subnormal, or the smallest normal binade).
            m
        } else {
            // m in [2^52, 2^53): the implicit bit carries into the exponent.
            let b = ((e as u64) << 52) + m;
            b.min(f64::INFINITY.to_bits())
        };
        f64::from_bits(bits | (u64::from(negative) << 63))
    }

    /// Whether the exact sum is zero.
    pub fn is_zero(&self) -> bool {
        let mut chunks = self.chunks;
        normalise(&mut chunks);
        chunks.iter().all(|&c| c == 0)
    }

    /// Propagates carries so every chunk but the top one is a 32-bit digit.
    #[cold]
    #[inline(never)]
    fn carry(&mut self) {
        normalise(&mut self.chunks);
        self.adds_left = ADDS_BETWEEN_CARRIES;
    }

    /// Sign and magnitude of the exact sum, in units of `2^-1074`, as
    /// little-endian 32-bit words.
    pub(crate) fn magnitude_words(&self) -> (bool, Vec<u32>) {
        let mut chunks = self.chunks;
        normalise(&mut chunks);
        let negative = chunks[CHUNKS - 1] < 0;
        if negative {
            for c in &mut chunks {
                *c = -*c;
            }
            normalise(&mut chunks);
        }
        let top = chunks[CHUNKS - 1] as u64;
        let mut words: Vec<u32> = chunks[..CHUNKS - 1].iter().map(|&c| c as u32).collect();
        words.push(top as u32);
        words.push((top >> 32) as u32);
        (negative, words)
    }
}

/// Canonical form: chunks `0..CHUNKS-1` in `[0, 2^32)`, the top chunk signed.
fn normalise(chunks: &mut [i64; CHUNKS]) {
    for i in 0..CHUNKS - 1 {
        let carry = chunks[i] >> 32;
        chunks[i] &= LOW_MASK;
        chunks[i + 1] += carry;
    }
}

impl Default for ExactSum {
    fn default() -> Self {
        Self::new()
    }
}

/// Two sums are equal when their exact values are equal, whatever their
/// internal carry state.
impl PartialEq for ExactSum {
    fn eq(&self, other: &Self) -> bool {
        let mut a = self.chunks;
        let mut b = other.chunks;
        normalise(&mut a);
        normalise(&mut b);
        a == b
    }
}

impl Eq for ExactSum {}

impl fmt::Debug for ExactSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExactSum")
            .field("value", &self.value())
            .finish_non_exhaustive()
    }
}

/// Limbs of [`SquareSum`]: squares reach bit `2 · 2045 + 106` relative to
/// `2^-2148`, plus 64 bits of carry headroom.
const SQUARE_LIMBS: usize = 134;

/// Each addition puts less than `2^41` into a limb.
const SQUARE_ADDS_BETWEEN_CARRIES: u32 = 1 << 20;

/// An exact, mergeable sum of `x²` over finite `f64` values.
///
/// `x = m · 2^(p − 1074)` with an integer significand `m < 2^53`, so
/// `x² = m² · 2^(2p − 2148)` with `m² < 2^106` computed exactly in `u128`.
/// The sum is kept as an unsigned integer in units of `2^-2148` (squares are
/// never negative), which covers every finite `f64` without overflow or
/// underflow. This makes the variance numerator `n·Σx² − (Σx)²` exact.
#[derive(Clone)]
pub(crate) struct SquareSum {
    limbs: [u64; SQUARE_LIMBS],
    adds_left: u32,
}

impl SquareSum {
    /// An empty sum.
    pub(crate) const fn new() -> Self {
        Self {
            limbs: [0; SQUARE_LIMBS],
            adds_left: SQUARE_ADDS_BETWEEN_CARRIES,
        }
    }

    /// Adds `x²` exactly (`x` finite).
    #[inline]
    pub(crate) fn add_square(&mut self, x: f64) {
        if self.adds_left == 0 {
            self.carry();
        }
        self.adds_left -= 1;
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7FF) as u32;
        let normal = u32::from(exponent != 0);
        let significand = (bits & FRACTION_MASK) | (u64::from(normal) << 52);
        let position = 2 * (exponent - normal);
        let low = position & 31;
        let high = (position >> 5) as usize & 127;
        let square = u128::from(significand) * u128::from(significand);
        let rest = square >> (32 - low);
        self.limbs[high] += ((square as u64) << low) & 0xFFFF_FFFF;
        self.limbs[high + 1] += rest as u64 & 0xFFFF_FFFF;
        self.limbs[high + 2] += (rest >> 32) as u64 & 0xFFFF_FFFF;
        self.limbs[high + 3] += (rest >> 64) as u64;
    }

    /// Adds the exact sum held by `other`.
    pub(crate) fn merge(&mut self, other: &SquareSum) {
        self.carry();
        for (mine, theirs) in self.limbs.iter_mut().zip(other.limbs.iter()) {
            *mine += *theirs;
        }
        self.carry();
    }

    #[cold]
    #[inline(never)]
    fn carry(&mut self) {
        normalise_unsigned(&mut self.limbs);
        self.adds_left = SQUARE_ADDS_BETWEEN_CARRIES;
    }

    /// The exact sum in units of `2^-2148`, as little-endian 32-bit words.
    pub(crate) fn words(&self) -> Vec<u32> {
        let mut limbs = self.limbs;
        normalise_unsigned(&mut limbs);
        let top = limbs[SQUARE_LIMBS - 1];
        let mut words: Vec<u32> = limbs[..SQUARE_LIMBS - 1].iter().map(|&c| c as u32).collect();
        words.push(top as u32);
        words.push((top >> 32) as u32);
        words
    }
}

fn normalise_unsigned(limbs: &mut [u64; SQUARE_LIMBS]) {
    for i in 0..SQUARE_LIMBS - 1 {
        let carry = limbs[i] >> 32;
        limbs[i] &= 0xFFFF_FFFF;
        limbs[i + 1] += carry;
    }
}

impl PartialEq for SquareSum {
    fn eq(&self, other: &Self) -> bool {
        let mut a = self.limbs;
        let mut b = other.limbs;
        normalise_unsigned(&mut a);
        normalise_unsigned(&mut b);
        a == b
    }
}

impl fmt::Debug for SquareSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (m, e) = bigint::round53(&self.words());
        f.debug_struct("SquareSum")
            .field("value", &bigint::ldexp(m as f64, e - 2148))
            .finish_non_exhaustive()
    }
}

/// The serialised state of an [`ExactSum`]: its canonical (normalised)
/// chunks, as `[index, chunk]` pairs for the non-zero ones.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct ExactSumState(Vec<(usize, i64)>);

/// Serialises the exact sum itself (its canonical digits), so a sum read
/// back is equal to the one written and merges exactly.
impl serde::Serialize for ExactSum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut chunks = self.chunks;
        normalise(&mut chunks);
        let digits = chunks.iter().enumerate().filter(|(_, c)| **c != 0);
        ExactSumState(digits.map(|(i, &c)| (i, c)).collect()).serialize(serializer)
    }
}

/// Accepts only canonical states: indices increasing below 67, digits in
/// `[0, 2^32)` except the signed top chunk, which is bounded as after a carry.
impl<'de> serde::Deserialize<'de> for ExactSum {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let ExactSumState(digits) = ExactSumState::deserialize(deserializer)?;
        let mut sum = ExactSum::new();
        let mut next = 0;
        for (index, chunk) in digits {
            let canonical = if index == CHUNKS - 1 {
                chunk.unsigned_abs() < 1 << 62
            } else {
                (0..1 << 32).contains(&chunk)
            };
            if index < next || index >= CHUNKS || !canonical {
                return Err(D::Error::custom(format!(
                    "exact sum: chunk {index} = {chunk} is not a canonical digit in increasing position below {CHUNKS}"
                )));
            }
            sum.chunks[index] = chunk;
            next = index + 1;
        }
        Ok(sum)
    }
}

impl SquareSum {
    /// The canonical limbs as `[index, limb]` pairs for the non-zero ones.
    pub(crate) fn state(&self) -> Vec<(usize, u64)> {
        let mut limbs = self.limbs;
        normalise_unsigned(&mut limbs);
        limbs
            .iter()
            .enumerate()
            .filter(|(_, l)| **l != 0)
            .map(|(i, &l)| (i, l))
            .collect()
    }

    /// The sum of a [`state`](Self::state), checked to be canonical.
    pub(crate) fn from_state(digits: &[(usize, u64)]) -> Result<SquareSum, String> {
        let mut sum = SquareSum::new();
        let mut next = 0;
        for &(index, limb) in digits {
            let canonical = index == SQUARE_LIMBS - 1 && limb < 1 << 62 || limb < 1 << 32;
            if index < next || index >= SQUARE_LIMBS || !canonical {
                return Err(format!(
                    "sum of squares: limb {index} = {limb} is not a canonical digit in increasing position below {SQUARE_LIMBS}"
                ));
            }
            sum.limbs[index] = limb;
            next = index + 1;
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn sum_of(values: &[f64]) -> ExactSum {
        let mut s = ExactSum::new();
        for &x in values {
            s.add(x);
        }
        s
    }

    fn shuffle<T>(v: &mut [T], rng: &mut Xoshiro256PlusPlus) {
        for i in (1..v.len()).rev() {
            let j = rng.random_range(0..=i);
            v.swap(i, j);
        }
    }

    #[test]
    fn cancellation() {
        assert_eq!(sum_of(&[1e16, 1.0, -1e16]).value(), 1.0);
        assert_eq!(sum_of(&[1e300, 1e-300, -1e300]).value(), 1e-300);
        // The doubles nearest 0.1, 0.2 and 0.3 differ by exactly 2^-55.
        assert_eq!(sum_of(&[0.1, 0.2, -0.3]).value(), 2f64.powi(-55));
        assert!(sum_of(&[1.5, -1.5]).is_zero());
        assert_eq!(sum_of(&[1.5, -1.5]).value().to_bits(), 0.0f64.to_bits());
        assert_eq!(sum_of(&[-0.0]).value().to_bits(), 0.0f64.to_bits());
        assert_eq!(ExactSum::new().value(), 0.0);
    }

    #[test]
    fn extremes_and_subnormals() {
        let tiny = f64::from_bits(1);
        let s = sum_of(&vec![tiny; 5000]);
        assert_eq!(s.value(), f64::from_bits(5000));
        assert_eq!(sum_of(&[f64::MAX, f64::MAX]).value(), f64::INFINITY);
        assert_eq!(sum_of(&[-f64::MAX, -f64::MAX]).value(), f64::NEG_INFINITY);
        assert_eq!(sum_of(&[f64::MAX, f64::MAX, -f64::MAX]).value(), f64::MAX);
        assert_eq!(sum_of(&[f64::MAX, tiny, -f64::MAX]).value(), tiny);
        let min_normal = f64::MIN_POSITIVE;
        assert_eq!(sum_of(&[min_normal, -tiny]).value(), f64::from_bits((1 << 52) - 1));
        // Many huge values force the carry path through the top chunks.
        let mut big = vec![f64::MAX; 3000];
        big.extend(vec![-f64::MAX; 2999]);
        assert_eq!(sum_of(&big).value(), f64::MAX);
    }

    /// The largest double below 4 has an all-ones significand at a bit
    /// position ≡ 31 (mod 32), so each addition puts almost 2^52 into one
    /// chunk: without regular carries this overflows after ~2^11 additions.
    #[test]
    fn carries_prevent_chunk_overflow() {
        let x = 4.0f64.next_down();
        assert_eq!(x, ((1u64 << 53) - 1) as f64 * 2f64.powi(-51));
        let n = 100_000;
        let s = sum_of(&vec![x; n]);
        let reference = (n as i128 * ((1i128 << 53) - 1)) as f64 * 2f64.powi(-51);
        assert_eq!(s.value(), reference);
        let mut t = sum_of(&vec![-x; n]);
        t.merge(&s);
        assert!(t.is_zero());
    }

    #[test]
    fn ties_round_to_even() {
        let two53 = 9007199254740992.0;
        assert_eq!(sum_of(&[two53, 1.0]).value(), two53);
        assert_eq!(sum_of(&[two53, 3.0]).value(), two53 + 4.0);
        assert_eq!(sum_of(&[two53, 1.0, 2f64.powi(-60)]).value(), two53 + 2.0);
        assert_eq!(sum_of(&[-two53, -1.0, -(2f64.powi(-60))]).value(), -two53 - 2.0);
    }

    /// Values `k · 2^s` with `|k| < 2^53`, `-20 <= s <= 40` are exact
    /// multiples of `2^-20`, so an `i128` sum is an exact reference and
    /// `i128 as f64` (correctly rounded) is the correctly rounded sum.
    #[test]
    fn matches_integer_reference() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for round in 0..50 {
            let len = rng.random_range(1..3000);
            let mut reference: i128 = 0;
            let mut values = Vec::with_capacity(len);
            for _ in 0..len {
                let k: i64 = rng.random_range(-(1i64 << 53) + 1..1i64 << 53);
                let s: i32 = rng.random_range(-20..=40);
                values.push(k as f64 * 2f64.powi(s));
                reference += i128::from(k) << (s + 20);
            }
            let expected = reference as f64 * 2f64.powi(-20);
            assert_eq!(sum_of(&values).value(), expected, "round {round}");
        }
    }

    #[test]
    fn order_and_merge_independent() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut values: Vec<f64> = (0..5000)
            .map(|_| {
                let magnitude = 10f64.powf(rng.random_range(-3.0..12.0));
                if rng.random_bool(0.5) { magnitude } else { -magnitude }
            })
            .collect();
        let whole = sum_of(&values);
        let bits = whole.value().to_bits();
        for _ in 0..20 {
            shuffle(&mut values, &mut rng);
            let cut_a = rng.random_range(0..=values.len());
            let cut_b = rng.random_range(cut_a..=values.len());
            let mut a = sum_of(&values[..cut_a]);
            let b = sum_of(&values[cut_a..cut_b]);
            let c = sum_of(&values[cut_b..]);
            let mut c2 = c.clone();
            c2.merge(&a);
            c2.merge(&b);
            a.merge(&b);
            a.merge(&c);
            assert_eq!(a, whole);
            assert_eq!(c2, whole);
            assert_eq!(a.value().to_bits(), bits);
            assert_eq!(c2.value().to_bits(), bits);
            assert_eq!(sum_of(&values).value().to_bits(), bits);
        }
    }

    #[test]
    fn square_sum_is_exact() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut s = SquareSum::new();
        let mut reference: u128 = 0;
        for _ in 0..10_000 {
            let k: i64 = rng.random_range(-(1i64 << 40)..1i64 << 40);
            s.add_square(k as f64);
            reference += (i128::from(k) * i128::from(k)) as u128;
        }
        // Integers are multiples of 2^0 = 2^2148 units of 2^-2148.
        let words = s.words();
        let (m, e) = bigint::round53(&words);
        assert_eq!(bigint::ldexp(m as f64, e - 2148), reference as f64);
        let shift_words = 2148 / 32;
        let shift_bits = 2148 % 32;
        assert!(words[..shift_words].iter().all(|&w| w == 0));
        assert!(words[shift_words + 4..].iter().all(|&w| w == 0));
        let mut low: u128 = 0;
        for i in (0..4).rev() {
            low = (low << 32) | u128::from(words[shift_words + i]);
        }
        assert_eq!(low, reference << shift_bits);
    }

    #[test]
    fn square_sum_extremes_and_merge() {
        let mut a = SquareSum::new();
        let mut b = SquareSum::new();
        let values = [f64::MAX, -f64::MAX, f64::from_bits(1), 1e-300, 3.0, -0.0];
        for &x in &values {
            a.add_square(x);
        }
        for &x in values.iter().rev() {
            b.add_square(x);
        }
        assert_eq!(a, b);
        let mut c = SquareSum::new();
        c.add_square(3.0);
        c.add_square(1e-300);
        let mut d = SquareSum::new();
        for &x in &[f64::MAX, f64::from_bits(1), -f64::MAX] {
            d.add_square(x);
        }
        c.merge(&d);
        assert_eq!(c, a);
        // The smallest subnormal squared is exactly 1 unit.
        let mut tiny = SquareSum::new();
        tiny.add_square(f64::from_bits(1));
        let w = tiny.words();
        assert_eq!(w[0], 1);
        assert!(w[1..].iter().all(|&x| x == 0));
    }

    #[test]
    fn an_exact_sum_serialises_to_its_canonical_digits_and_reads_back_equal() {
        let sum = sum_of(&[1e300, -3.5, 1e-300, 0.1, -1e300]);
        let json = serde_json::to_string(&sum).unwrap();
        let back: ExactSum = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sum);
        assert_eq!(back.value().to_bits(), sum.value().to_bits());
        for bad in ["[[67,1]]", "[[3,1],[2,1]]", "[[0,4294967296]]", "[[0,-1]]", "{}"] {
            assert!(serde_json::from_str::<ExactSum>(bad).is_err(), "{bad}");
        }
    }
}
