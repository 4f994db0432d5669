//! Minimal unsigned big-integer helpers for the rare, exact steps of a summary.
//!
//! Numbers are little-endian slices of 32-bit words. Nothing here is on a hot
//! path: these functions run once per [`Summary`](super::Summary), so clarity
//! beats speed and small allocations are fine.

use std::cmp::Ordering;

/// Removes high zero words so that comparisons and lengths are canonical.
fn trim(v: &mut Vec<u32>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

/// Splits a `u128` into words.
pub(crate) fn from_u128(x: u128) -> Vec<u32> {
    let mut v: Vec<u32> = (0..4).map(|i| (x >> (32 * i)) as u32).collect();
    trim(&mut v);
    v
}

/// Schoolbook product `a * b`.
pub(crate) fn mul(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &ai) in a.iter().enumerate() {
        if ai == 0 {
            continue;
        }
        let mut carry = 0u64;
        for (j, &bj) in b.iter().enumerate() {
            let t = u64::from(ai) * u64::from(bj) + u64::from(out[i + j]) + carry;
            out[i + j] = t as u32;
            carry = t >> 32;
        }
        let mut k = i + b.len();
        while carry != 0 {
            let t = u64::from(out[k]) + carry;
            out[k] = t as u32;
            carry = t >> 32;
            k += 1;
        }
    }
    trim(&mut out);
    out
}

/// Compares two trimmed or untrimmed numbers by value.
fn cmp(a: &[u32], b: &[u32]) -> Ordering {
    let len = a.len().max(b.len());
    for i in (0..len).rev() {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        match x.cmp(&y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// `a - b`, or zero when `b > a`.
pub(crate) fn sub_saturating(a: &[u32], b: &[u32]) -> Vec<u32> {
    if cmp(a, b) != Ordering::Greater {
        return Vec::new();
    }
    let mut out = a.to_vec();
    let mut borrow = 0i64;
    for (i, word) in out.iter_mut().enumerate() {
        let t = i64::from(*word) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        borrow = i64::from(t < 0);
        *word = t.rem_euclid(1 << 32) as u32;
    }
    debug_assert_eq!(borrow, 0);
    trim(&mut out);
    out
}

/// Rounds a number to 53 significant bits, to nearest with ties to even.
///
/// Returns `(m, e)` with value ≈ `m · 2^e`. If the number has at most 53
/// significant bits it is returned exactly with `e == 0`; otherwise
/// `2^52 <= m < 2^53` and `e >= 1`. Zero gives `(0, 0)`.
pub(crate) fn round53(w: &[u32]) -> (u64, i64) {
    let Some(top) = w.iter().rposition(|&x| x != 0) else {
        return (0, 0);
    };
    let bit_len = 32 * top as i64 + i64::from(32 - w[top].leading_zeros());
    if bit_len <= 53 {
        let lo = u64::from(w[0]);
        let hi = w.get(1).map_or(0, |&x| u64::from(x));
        return (lo | (hi << 32), 0);
    }
    let word = |i: i64| -> u128 { if i >= 0 { u128::from(w[i as usize]) } else { 0 } };
    let top_i = top as i64;
    // A 96-bit window whose bit 0 is bit `32 * (top - 2)` of the number.
    let window = (word(top_i) << 64) | (word(top_i - 1) << 32) | word(top_i - 2);
    let shift = bit_len - 32 * top_i; // in 1..=32
    let m64 = (window >> shift) as u64; // the top 64 bits; bit 63 is set
    let below_window = top >= 2 && w[..top - 2].iter().any(|&x| x != 0);
    let sticky = (window & ((1u128 << shift) - 1)) != 0 || below_window;
    let mut m = m64 >> 11;
    let rest = m64 & 0x7FF;
    let mut e = bit_len - 53;
    if rest > 0x400 || (rest == 0x400 && (sticky || m & 1 == 1)) {
        m += 1;
        if m == 1 << 53 {
            m = 1 << 52;
            e += 1;
        }
    }
    (m, e)
}

/// `x · 2^e` for any exponent, saturating to infinity or zero.
///
/// Exact whenever the result is a normal number.
pub(crate) fn ldexp(mut x: f64, mut e: i64) -> f64 {
    let two_pow_1023 = f64::from_bits(0x7FE << 52);
    let two_pow_minus_1022 = f64::from_bits(1 << 52);
    while e > 1023 {
        x *= two_pow_1023;
        e -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1022 {
        x *= two_pow_minus_1022;
        e += 1022;
        if x == 0.0 {
            return x;
        }
    }
    x * f64::from_bits(((e + 1023) as u64) << 52)
}

/// Mean `±s1 · 2^scale / n` for `n >= 1`.
pub(crate) fn mean(s1: &[u32], negative: bool, scale: i64, n: u64) -> f64 {
    let (m, e) = round53(s1);
    let v = ldexp(m as f64 / n as f64, e + scale);
    if negative { -v } else { v }
}

/// Sample standard deviation from exact sums.
///
/// `s1` is `|Σx| / 2^(scale / 2)` and `s2` is `Σx² / 2^scale`, both exact
/// integers, so `D = n·s2 − s1²` is the exact numerator of the variance
/// `D · 2^scale / (n (n − 1))`. Returns 0 for `n < 2`.
pub(crate) fn std_dev(s1: &[u32], s2: &[u32], scale: i64, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let n_words = from_u128(u128::from(n));
    let d = sub_saturating(&mul(s2, &n_words), &mul(s1, s1));
    let (m, e) = round53(&d);
    if m == 0 {
        return 0.0;
    }
    let mut e = e + scale;
    let mut mf = m as f64;
    if e.rem_euclid(2) != 0 {
        mf *= 2.0;
        e -= 1;
    }
    let denominator = (u128::from(n) * u128::from(n - 1)) as f64;
    ldexp((mf / denominator).sqrt(), e / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(x: u128) -> Vec<u32> {
        from_u128(x)
    }

    #[test]
    fn round53_exact_and_ties_to_even() {
        assert_eq!(round53(&[]), (0, 0));
        assert_eq!(round53(&words(12345)), (12345, 0));
        assert_eq!(round53(&words((1 << 53) - 1)), ((1 << 53) - 1, 0));
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: ties go to even.
        assert_eq!(round53(&words((1 << 53) + 1)), (1 << 52, 1));
        // 2^53 + 3 is a tie between 2^53 + 2 and 2^53 + 4: even is 2^53 + 4.
        assert_eq!(round53(&words((1 << 53) + 3)), ((1 << 52) + 2, 1));
        // A tiny sticky bit far below breaks the tie upwards.
        let mut w = words(((1u128 << 53) + 1) << 40);
        w[0] |= 1;
        assert_eq!(round53(&w), ((1 << 52) + 1, 41));
        // Rounding up can carry into a new bit.
        assert_eq!(round53(&words((1 << 54) - 1)), (1 << 52, 2));
        for x in [u128::MAX, 3 << 100, 0xDEAD_BEEF_CAFE_F00D_1234_5678_9ABC_DEF0] {
            let (m, e) = round53(&words(x));
            assert_eq!(ldexp(m as f64, e), x as f64, "{x}");
        }
    }

    #[test]
    fn arithmetic_matches_u128() {
        let a = 0xFFFF_FFFF_FFFF_FFFF_u128;
        let b = 0x1234_5678_9ABC_u128;
        assert_eq!(mul(&words(a), &words(b)), words(a * b));
        assert_eq!(sub_saturating(&words(a), &words(b)), words(a - b));
        assert!(sub_saturating(&words(b), &words(a)).is_empty());
        assert!(sub_saturating(&words(a), &words(a)).is_empty());
    }

    #[test]
    fn ldexp_extremes() {
        assert_eq!(ldexp(1.0, 1023), f64::from_bits(0x7FE << 52));
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(3.0, 2000), f64::INFINITY);
        assert_eq!(ldexp(3.0, -3000), 0.0);
        assert_eq!(ldexp(0.75, 4), 12.0);
        assert_eq!(ldexp(2f64.powi(60), -1100), 2f64.powi(-1040));
    }

    #[test]
    fn std_dev_of_small_integers() {
        // 1, 2, 3, 4: Σx = 10, Σx² = 30, variance = (4·30 − 100) / 12 = 5/3.
        let s = std_dev(&words(10), &words(30), 0, 4);
        assert_eq!(s, (5.0f64 / 3.0).sqrt());
        assert_eq!(std_dev(&words(7), &words(49), 0, 1), 0.0);
        assert_eq!(mean(&words(10), true, 0, 4), -2.5);
    }
}
