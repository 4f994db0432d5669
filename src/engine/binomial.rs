//! Exact binomial draws for the collapsed engine: alias tables at small `n`
//! (one table look-up per draw), `rand_distr::Binomial` (BTPE) above.

use rand::Rng;
use rand_distr::{Binomial, Distribution};

/// A Walker/Vose alias table drawn with one `u64`: the high 32 bits pick a
/// column by multiply-shift, the low 32 bits are compared with the column's
/// threshold. Each probability is thus quantised to about 2^-32 (column
/// choice and threshold both), far below any Monte Carlo resolution.
///
/// Measured: rand_distr's `WeightedAliasIndex` draws two random numbers (a
/// bounded index and an f64); the collapsed engine on the reference spent
/// about 90 ns a trial in three of them, seeding and tallying.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    /// `(threshold, own, alias)`: column `i` yields its own value when the
    /// low half is below `threshold` (2^32 means always), else `alias`.
    columns: Vec<(u64, u32, u32)>,
}

impl Alias {
    /// A table drawing `values[i]` with probability proportional to
    /// `weights[i]` (finite, not all zero, at most 2^32 of them).
    pub(crate) fn new(weights: &[f64], values: &[u32]) -> Option<Alias> {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        if n == 0 || n != values.len() || n > u32::MAX as usize || !(total > 0.0) || !total.is_finite() {
            return None;
        }
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut columns: Vec<(u64, u32, u32)> = values.iter().map(|&v| (1u64 << 32, v, v)).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            columns[s].0 = (scaled[s] * 4_294_967_296.0).round() as u64;
            columns[s].2 = values[l];
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Left-overs are 1 up to rounding: they keep `(2^32, own, own)`.
        Some(Alias { columns })
    }

    /// The value drawn by the 64 random bits `x`.
    #[inline(always)]
    pub(crate) fn pick(&self, x: u64) -> u32 {
        self.picker().pick(x)
    }

    /// The table as a slice, for loops: a local copy of the slice stays in
    /// registers, where the table's own fields, read through a shared
    /// reference, are reloaded after every store the loop makes.
    #[inline(always)]
    pub(crate) fn picker(&self) -> AliasPicker<'_> {
        AliasPicker { columns: &self.columns }
    }
}

/// A borrowed [`Alias`] table (see [`Alias::picker`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AliasPicker<'a> {
    columns: &'a [(u64, u32, u32)],
}

impl AliasPicker<'_> {
    /// The value drawn by the 64 random bits `x`. Values live in the table
    /// itself (one load, not two) and the choice is a select, not a branch:
    /// perf on the collapsed reference showed the threshold branch,
    /// mispredicted at random, and the second load as the costliest
    /// instructions of a trial (50 M -> 54 M trials/s, one thread).
    #[inline(always)]
    pub(crate) fn pick(self, x: u64) -> u32 {
        let column = (((x >> 32) * self.columns.len() as u64) >> 32) as usize;
        let (threshold, own, alias) = self.columns[column];
        let below = (x & 0xFFFF_FFFF) < threshold;
        // A select the compiler turns into a conditional move.
        alias ^ ((own ^ alias) & 0u32.wrapping_sub(u32::from(below)))
    }
}

/// Largest `n` with a precomputed alias table. Tables for every n up to this
/// cost about `TABLE_MAX² / 2` entries of 12 bytes (about 100 KB).
const TABLE_MAX: u64 = 128;

/// Draws `Binomial(n, p)` for a fixed `p` and any `n`.
#[derive(Debug, Clone)]
pub(crate) struct BinomialFamily {
    p: f64,
    /// `tables[n]` samples Binomial(n, p); `None` where the distribution is a
    /// point mass (p = 0, p = 1 or n = 0).
    tables: Vec<Option<Alias>>,
}

impl BinomialFamily {
    /// A family for probability `p` (clamped to [0, 1]), with tables for
    /// `n <= min(n_max, TABLE_MAX)`.
    pub(crate) fn new(p: f64, n_max: u64) -> BinomialFamily {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let degenerate = p == 0.0 || p == 1.0;
        let tables = if degenerate {
            Vec::new()
        } else {
            (0..=n_max.min(TABLE_MAX)).map(|n| alias_table(n, p)).collect()
        };
        BinomialFamily { p, tables }
    }

    /// One draw of `Binomial(n, p)`.
    #[inline]
    pub(crate) fn sample<R: Rng + ?Sized>(&self, n: u64, rng: &mut R) -> u64 {
        if n == 0 || self.p == 0.0 {
            return 0;
        }
        if self.p == 1.0 {
            return n;
        }
        match self.tables.get(n as usize) {
            Some(Some(table)) => table.pick(rng.next_u64()) as u64,
            _ => Binomial::new(n, self.p).map_or(0, |b| b.sample(rng)),
        }
    }
}

fn alias_table(n: u64, p: f64) -> Option<Alias> {
    if n == 0 {
        return None;
    }
    let values: Vec<u32> = (0..=n as u32).collect();
    Alias::new(&binomial_pmf(n, p), &values)
}

/// `P(K = k)` for `K ~ Binomial(n, p)`, `k = 0..=n`, with `0 < p < 1`.
pub(crate) fn binomial_pmf(n: u64, p: f64) -> Vec<f64> {
    if p <= 0.0 || p >= 1.0 || n == 0 {
        let mut point = vec![0.0; n as usize + 1];
        point[if p >= 1.0 { n as usize } else { 0 }] = 1.0;
        return point;
    }
    let (ln_p, ln_q) = (p.ln(), (-p).ln_1p());
    let ln_n_fact = puruspe::ln_gamma(n as f64 + 1.0);
    (0..=n)
        .map(|k| {
            let ln_choose = ln_n_fact - puruspe::ln_gamma(k as f64 + 1.0) - puruspe::ln_gamma((n - k) as f64 + 1.0);
            (ln_choose + k as f64 * ln_p + (n - k) as f64 * ln_q).exp()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn tables_and_btpe_have_the_binomial_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        for (n, p) in [(35, 0.25), (5, 0.9), (128, 0.01), (1000, 0.25), (7, 0.5)] {
            let family = BinomialFamily::new(p, 2000);
            let draws = 200_000;
            let xs: Vec<f64> = (0..draws).map(|_| family.sample(n, &mut rng) as f64).collect();
            let mean = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let (true_mean, true_var) = (n as f64 * p, n as f64 * p * (1.0 - p));
            let se = (true_var / draws as f64).sqrt();
            assert!((mean - true_mean).abs() < 5.0 * se, "n={n} p={p}: mean {mean}");
            assert!((var / true_var - 1.0).abs() < 0.03, "n={n} p={p}: var {var}");
        }
    }

    #[test]
    fn alias_tables_reproduce_their_weights() {
        let weights = [0.1, 0.0, 0.5, 0.25, 0.15];
        let alias = Alias::new(&weights, &[0, 1, 2, 3, 4]).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let draws = 400_000;
        let mut counts = [0u64; 5];
        for _ in 0..draws {
            counts[alias.pick(rng.next_u64()) as usize] += 1;
        }
        for (w, c) in weights.iter().zip(counts) {
            let se = (w * (1.0 - w) / draws as f64).sqrt();
            assert!((c as f64 / draws as f64 - w).abs() <= 5.0 * se + 1e-12, "{counts:?}");
        }
        assert_eq!(counts[1], 0);
    }

    #[test]
    fn degenerate_probabilities_are_point_masses() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(BinomialFamily::new(0.0, 10).sample(10, &mut rng), 0);
        assert_eq!(BinomialFamily::new(1.0, 10).sample(10, &mut rng), 10);
        assert_eq!(BinomialFamily::new(0.3, 10).sample(0, &mut rng), 0);
    }
}
