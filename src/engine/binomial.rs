//! Exact binomial draws for the collapsed engine: alias tables at small `n`
//! (one table look-up per draw), `rand_distr::Binomial` (BTPE) above.

use rand::Rng;
use rand_distr::weighted::WeightedAliasIndex;
use rand_distr::{Binomial, Distribution};

/// Largest `n` with a precomputed alias table. Tables for every n up to this
/// cost about `TABLE_MAX² / 2` entries of 12 bytes (about 100 KB).
const TABLE_MAX: u64 = 128;

/// Draws `Binomial(n, p)` for a fixed `p` and any `n`.
#[derive(Debug, Clone)]
pub(crate) struct BinomialFamily {
    p: f64,
    /// `tables[n]` samples Binomial(n, p); `None` where the distribution is a
    /// point mass (p = 0, p = 1 or n = 0).
    tables: Vec<Option<WeightedAliasIndex<f64>>>,
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
            Some(Some(table)) => table.sample(rng) as u64,
            _ => Binomial::new(n, self.p).map_or(0, |b| b.sample(rng)),
        }
    }
}

fn alias_table(n: u64, p: f64) -> Option<WeightedAliasIndex<f64>> {
    if n == 0 {
        return None;
    }
    let (ln_p, ln_q) = (p.ln(), (-p).ln_1p());
    let ln_n_fact = puruspe::ln_gamma(n as f64 + 1.0);
    let weights: Vec<f64> = (0..=n)
        .map(|k| {
            let ln_choose = ln_n_fact - puruspe::ln_gamma(k as f64 + 1.0) - puruspe::ln_gamma((n - k) as f64 + 1.0);
            (ln_choose + k as f64 * ln_p + (n - k) as f64 * ln_q).exp()
        })
        .collect();
    WeightedAliasIndex::new(weights).ok()
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
    fn degenerate_probabilities_are_point_masses() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(BinomialFamily::new(0.0, 10).sample(10, &mut rng), 0);
        assert_eq!(BinomialFamily::new(1.0, 10).sample(10, &mut rng), 10);
        assert_eq!(BinomialFamily::new(0.3, 10).sample(0, &mut rng), 0);
    }
}
