//! Exact binomial tails, and the smallest SQL count that reaches a customer
//! goal with a given confidence.
//!
//! The expected-value plan (`ceil(goal / close_rate)` SQLs) reaches its goal
//! only about half the time. With `n` SQLs closing independently at rate `p`,
//! the customers won number `X ~ Binomial(n, p)`; the confidence-aware plan is
//! the smallest `n` with `P(X >= goal) >= confidence`.
//!
//! # Accuracy
//!
//! The binomial probabilities use Loader's saddle-point expansion (the
//! algorithm behind R's `dbinom`), which keeps full relative precision for
//! any `n`, and the tail is summed from its largest term outwards until the
//! remaining terms no longer change the sum. Tail probabilities are accurate
//! to about 1e-13 absolute.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::special::binomial_pmf;

/// A confidence level in (0, 1): the probability with which a plan must reach
/// its goal.
///
/// # Example
///
/// ```
/// use lead_decay::plan::Confidence;
///
/// let ninety = Confidence::new(0.9)?;
/// assert_eq!(ninety.get(), 0.9);
/// assert!(Confidence::new(1.0).is_err());
/// assert!(Confidence::new(f64::NAN).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Confidence(f64);

impl Confidence {
    /// A confidence level.
    ///
    /// # Errors
    ///
    /// A value outside the open interval (0, 1) or NaN (field `confidence`):
    /// no finite plan reaches a goal with certainty.
    pub fn new(level: f64) -> Result<Confidence> {
        if level > 0.0 && level < 1.0 {
            Ok(Confidence(level))
        } else {
            Err(Error::invalid("confidence", level, "a probability in (0, 1)"))
        }
    }

    /// The level as a probability.
    pub const fn get(self) -> f64 {
        self.0
    }
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`, computed exactly (no normal
/// approximation).
///
/// `p` outside [0, 1] (or NaN) is treated as the nearest bound; the planner
/// only calls this with validated rates.
///
/// # Example
///
/// ```
/// use lead_decay::plan::binomial_at_least;
///
/// // The reference case (guide::model): 40 SQLs at a 25 % close rate reach 10 customers 56 % of the time.
/// assert!((binomial_at_least(40, 0.25, 10) - 0.5605).abs() < 1e-4);
/// assert_eq!(binomial_at_least(40, 0.25, 0), 1.0);
/// assert_eq!(binomial_at_least(40, 0.25, 41), 0.0);
/// ```
pub fn binomial_at_least(n: u64, p: f64, k: u64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    let q = 1.0 - p;
    let mean = n as f64 * p;
    if k as f64 > mean {
        // Upper tail: terms fall from j = k upwards.
        upper_tail_from(n, p, q, k)
    } else {
        // Lower tail P(X <= k - 1): terms fall from j = k - 1 downwards.
        (1.0 - lower_tail_to(n, p, q, k - 1)).clamp(0.0, 1.0)
    }
}

/// Sum of `P(X = j)` for `j >= k`, where `k > n p` (the terms decrease).
fn upper_tail_from(n: u64, p: f64, q: f64, k: u64) -> f64 {
    let ratio = p / q;
    let mut term = binomial_pmf(n, p, q, k);
    let mut sum = term;
    let mut j = k;
    while j < n {
        term *= (n - j) as f64 / (j + 1) as f64 * ratio;
        let next = sum + term;
        // The terms decrease at least geometrically from here on, so once one
        // no longer changes the sum, none of the rest will.
        if next == sum {
            break;
        }
        sum = next;
        j += 1;
    }
    sum.min(1.0)
}

/// Sum of `P(X = j)` for `j <= k`, where `k <= n p` (the terms decrease downwards).
fn lower_tail_to(n: u64, p: f64, q: f64, k: u64) -> f64 {
    let ratio = q / p;
    let mut term = binomial_pmf(n, p, q, k);
    let mut sum = term;
    let mut j = k;
    while j > 0 {
        term *= j as f64 / (n - j + 1) as f64 * ratio;
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
        j -= 1;
    }
    sum.min(1.0)
}

/// How the number of SQLs that are actually worked grows with the number
/// planned: all of them, or all but a fixed share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Worked {
    /// Every SQL is a trial (neglect, if any, is folded into the rate).
    All,
    /// `neglected` of every `of` SQLs are never followed up: of `n` planned
    /// SQLs, `floor(n (of - neglected) / of)` are worked (a partly neglected
    /// SQL counts as neglected, so the plan errs on the safe side).
    AllBut { neglected: u64, of: u64 },
}

impl Worked {
    pub(crate) fn count(self, n: u64) -> u64 {
        match self {
            Worked::All => n,
            Worked::AllBut { neglected, of } => {
                let worked = u128::from(n) * u128::from(of - neglected) / u128::from(of);
                // worked <= n, so it fits.
                u64::try_from(worked).unwrap_or(n)
            }
        }
    }
}

/// The largest SQL count the planner will consider (a sanity bound far beyond
/// any real funnel; reaching it means the effective close rate is ~0).
const MAX_SQLS: u64 = 1 << 50;

/// The smallest `n` with `P(Binomial(worked(n), p) >= goal) >= level`, and
/// that probability.
pub(crate) fn smallest_sufficient(goal: u64, p: f64, worked: Worked, level: Confidence) -> Result<(u64, f64)> {
    let reaches = |n: u64| binomial_at_least(worked.count(n), p, goal);
    // The tail probability never decreases as n grows (more trials), so the
    // sufficient counts form a ray [n*, inf): find a sufficient `hi` by
    // doubling, then bisect.
    let mut lo = goal.max(1) - 1; // insufficient: fewer trials than the goal
    let mut hi = ((goal as f64 / p).ceil() as u64).max(goal).max(1);
    while reaches(hi) < level.get() {
        lo = hi;
        hi = hi.saturating_mul(2);
        if hi > MAX_SQLS {
            return Err(Error::invalid(
                "close_rate",
                p,
                format!("an effective close rate large enough to reach {goal} customers with {MAX_SQLS} SQLs or fewer"),
            ));
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) >= level.get() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok((hi, reaches(hi)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)]
    fn tails_match_high_precision_values_and_the_incomplete_beta() {
        // Reference tails from mpmath at 40 digits (direct summation).
        for &(n, p, k, reference) in &[
            (40, 0.25, 10, 0.560_460_268_327_466_968_4),
            (35, 0.25, 10, 0.373_676_283_613_634_058_17),
            (55, 0.25, 10, 0.911_187_366_815_905_780_63),
            (1690, 0.25, 400, 0.902_397_283_495_664_279_29),
            (1000, 0.01, 3, 0.997_320_568_006_208_466_46),
            (200, 0.9, 150, 0.999_999_999_703_695_094_58),
            (7, 0.5, 7, 0.0078125),
            (7, 0.5, 1, 0.9921875),
            (100_000, 0.3, 30_100, 0.246_086_070_821_597_157_17),
        ] {
            let exact = binomial_at_least(n, p, k);
            assert!((exact - reference).abs() < 1e-13, "{n} {p} {k}: {exact} vs {reference}");
            if n < 3000 {
                // puruspe switches to an 18-point quadrature for large arguments,
                // which returns 0 for the last case: one reason not to use it here.
                let beta = puruspe::betai(k as f64, (n - k + 1) as f64, p);
                assert!((exact - beta).abs() < 1e-8, "{n} {p} {k}: {exact} vs {beta}");
            }
        }
    }

    #[test]
    fn pmf_sums_to_one() {
        for &(n, p) in &[(1u64, 0.3), (16, 0.5), (100, 0.02), (5000, 0.25)] {
            let total: f64 = (0..=n).map(|x| binomial_pmf(n, p, 1.0 - p, x)).sum();
            assert!((total - 1.0).abs() < 1e-12, "{n} {p}: {total}");
        }
    }

    #[test]
    fn model_reference_probabilities() {
        // The reference case (guide::model): Binomial(35, 0.25) >= 10 is 0.374; Binomial(40, 0.25) >= 10 is 0.560.
        assert!((binomial_at_least(35, 0.25, 10) - 0.374).abs() < 5e-4);
        assert!((binomial_at_least(40, 0.25, 10) - 0.560).abs() < 1e-3);
    }

    #[test]
    fn worked_share_rounds_neglect_up() {
        let w = Worked::AllBut { neglected: 5, of: 40 };
        assert_eq!(w.count(40), 35);
        assert_eq!(w.count(46), 40);
        assert_eq!(w.count(0), 0);
        assert_eq!(w.count(u64::MAX), u64::MAX / 8 * 7 + 6);
    }

    #[test]
    fn search_finds_the_smallest_sufficient_count() {
        let c = Confidence::new(0.9).unwrap();
        let (n, prob) = smallest_sufficient(10, 0.25, Worked::All, c).unwrap();
        assert_eq!(n, 55);
        assert!(prob >= 0.9 && binomial_at_least(54, 0.25, 10) < 0.9);
        let (n, _) = smallest_sufficient(1, 1.0, Worked::All, c).unwrap();
        assert_eq!(n, 1);
        assert!(smallest_sufficient(10, 1e-300, Worked::All, c).is_err());
    }
}
