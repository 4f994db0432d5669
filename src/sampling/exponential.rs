//! Standard exponential draws for the capacity queue's FIFO recursion: the
//! ziggurat of Marsaglia and Tsang (2000) with 256 layers, in the form
//! `rand_distr::Exp1` uses, written so that its fast path inlines into the
//! caller's loop (as [`super::ziggurat`] does for the normal law).
//!
//! `rand_distr::Exp1` is exact and as fast per draw, but each draw is a
//! call; in the queue's recursion, two draws an SQL, the calls were a fifth
//! of the time.
//!
//! The algorithm: 256 strips of equal area `V` cover the density
//! `f(x) = exp(-x)`; the base strip holds the tail beyond `R`. One random
//! word picks a strip (its low 8 bits) and a position in it (its top 52
//! bits); points inside the strip's part wholly under the curve (about
//! 98.9 % of words) are returned at once. Otherwise the point is accepted
//! if it lies under the curve (a second uniform and an `exp`), or drawn from
//! the tail (`R` plus a standard exponential, by memorylessness) in the base
//! strip, or rejected and redrawn. The method is exact up to the rounding
//! of the tables.

use std::sync::LazyLock;

use rand::Rng;

/// Start of the tail: the right edge of the base strip's rectangle (the
/// constant of `rand_distr`'s tables).
const R: f64 = 7.697_117_470_131_05;

/// `x[i]` is the right edge of strip `i`'s rectangle (`x[0] = V / f(R)` is
/// the base strip's pseudo-width, `x[1] = R`, `x[256] = 0`), and `f[i]` the
/// density there.
struct Tables {
    x: [f64; 257],
    f: [f64; 257],
}

/// Area of every strip: `R f(R) + ∫_R^∞ f = (R + 1) exp(-R)`.
fn area() -> f64 {
    (R + 1.0) * (-R).exp()
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let v = area();
    let mut x = [0.0; 257];
    x[0] = v / (-R).exp();
    x[1] = R;
    for i in 1..255 {
        // Strip i spans heights f(x[i])..f(x[i+1]) over width x[i]: area V.
        x[i + 1] = -(v / x[i] + (-x[i]).exp()).ln();
    }
    x[256] = 0.0;
    let f = x.map(|x| (-x).exp());
    Tables { x, f }
});

/// A handle on the tables, to hoist their first-use check out of a loop.
#[derive(Clone, Copy)]
pub(crate) struct Exponential(&'static Tables);

impl Exponential {
    /// The sampler (builds the tables on first use).
    pub(crate) fn new() -> Exponential {
        Exponential(&TABLES)
    }

    /// One standard exponential draw (mean 1).
    #[inline(always)]
    pub(crate) fn draw<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        let tables = self.0;
        loop {
            let bits = rng.next_u64();
            let strip = (bits & 0xFF) as usize;
            // The top 52 bits as a number in [1, 2), less 1: u in [0, 1).
            let u = f64::from_bits((bits >> 12) | 0x3FF0_0000_0000_0000) - 1.0;
            let x = u * tables.x[strip];
            if x < tables.x[strip + 1] {
                return x;
            }
            if let Some(x) = outside_the_rectangle(tables, rng, strip, x) {
                return x;
            }
        }
    }
}

/// The rare case: the point `x` of strip `strip` is beyond the part of its
/// rectangle wholly under the curve. Returns the draw, or `None` to redraw.
#[cold]
#[inline(never)]
fn outside_the_rectangle<G: Rng + ?Sized>(tables: &Tables, rng: &mut G, strip: usize, x: f64) -> Option<f64> {
    if strip == 0 {
        // Beyond R the law is R plus a standard exponential.
        return Some(R - open01(rng).ln());
    }
    // A uniform height in the strip, accepted under the curve.
    let (low, high) = (tables.f[strip], tables.f[strip + 1]);
    let height = low + (high - low) * open01(rng);
    (height < (-x).exp()).then_some(x)
}

/// A uniform number in (0, 1), so that its logarithm is finite.
fn open01<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    // 52 random bits plus a half: (k + 1/2) 2^-52 for k in 0..2^52.
    ((rng.next_u64() >> 12) as f64 + 0.5) * f64::EPSILON
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn the_strips_have_equal_areas_and_close_at_zero() {
        let t = &*TABLES;
        let v = area();
        assert!((t.x[0] * t.f[1] - v).abs() < 1e-15 * v, "pseudo-width");
        for i in 1..256 {
            let strip = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!((strip - v).abs() < 1e-12 * v, "strip {i}: area {strip}");
            assert!(t.x[i + 1] < t.x[i], "strip {i} edges decrease");
        }
        // The last strip closes at zero: f(x[255]) + V / x[255] is 1.
        assert!(
            (t.f[255] + v / t.x[255] - 1.0).abs() < 1e-12,
            "{}",
            t.f[255] + v / t.x[255]
        );
        assert_eq!((t.x[256], t.f[256]), (0.0, 1.0));
    }

    #[test]
    fn draws_follow_the_exponential_law() {
        // Chi-square over 200 equiprobable bins of 4 million draws (critical
        // value for p = 1e-6 at 199 degrees of freedom), mean and variance
        // within 5 standard errors, and the tail beyond R and beyond 10 and
        // the bands just inside each strip's edge (where the wedge test adds
        // its draws) at their exact weight within 5 binomial SEs.
        let sampler = Exponential::new();
        let t = &*TABLES;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2026);
        let (n, bins) = (4_000_000usize, 200usize);
        let draws: Vec<f64> = (0..n).map(|_| sampler.draw(&mut rng)).collect();
        let mut counts = vec![0u64; bins];
        for &x in &draws {
            assert!(x >= 0.0 && x.is_finite());
            counts[((-(-x).exp_m1() * bins as f64) as usize).min(bins - 1)] += 1;
        }
        let expected = n as f64 / bins as f64;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
        assert!(chi2 < 303.0, "chi-square {chi2}");
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!((mean - 1.0).abs() < 5.0 / (n as f64).sqrt(), "mean {mean}");
        // Var of (X - 1)^2 for a standard exponential is 8.
        assert!((var - 1.0).abs() < 5.0 * (8.0 / n as f64).sqrt(), "variance {var}");
        let in_band = |x: f64| {
            let k = t.x[1..256].partition_point(|&edge| edge > x);
            k >= 1 && x >= 0.997 * t.x[k]
        };
        let band_weight: f64 = (1..256).map(|i| (-0.997 * t.x[i]).exp() - (-t.x[i]).exp()).sum();
        let n = n as f64;
        for (name, count, p) in [
            ("X > R", draws.iter().filter(|&&x| x > R).count(), (-R).exp()),
            ("X > 10", draws.iter().filter(|&&x| x > 10.0).count(), (-10.0f64).exp()),
            ("bands", draws.iter().filter(|&&x| in_band(x)).count(), band_weight),
        ] {
            let (expected, se) = (n * p, (n * p * (1.0 - p)).sqrt());
            assert!(
                (count as f64 - expected).abs() < 5.0 * se,
                "{name}: {count} vs {expected:.1} ± {se:.1}"
            );
        }
    }
}
