//! The exact distribution of the customers of a trial, and with it the exact
//! chance of a customer goal.
//!
//! In one trial every SQL of a segment becomes a customer independently of
//! the others and with the same probability (the generative model of
//! [`crate::guide::model`]: its neglect, delay, arrival time, warmth and
//! close are drawn for it alone). So a segment's customers are binomial,
//!
//! ```text
//! neglected = k            C ~ Binomial(N − k, p · E[f(D)])
//! never_followed_up = q    C ~ Binomial(N, (1 − q) · p · E[f(D)])
//! every SQL worked at once C ~ Binomial(N, p)
//! ```
//!
//! (`E[f(D)]` on the team's clock when the segment has business hours:
//! arrivals are drawn per SQL, so independence holds), and the scenario's
//! customers, a sum over independent segments, have the convolution of the
//! segments' distributions. Binomial probabilities come from Loader's
//! saddle-point expansion (full relative precision for any `N`); each
//! distribution keeps the terms above `1e-20` of its largest (it is
//! unimodal, so what is dropped are two tails whose mass is below `1e-17`).
//!
//! Not exact, with the reason ([`NotExact`]):
//!
//! * **uncertain inputs**: a trial first draws the inputs, so the count is a
//!   mixture of binomials over them, not a binomial;
//! * **too large**: segments so many and so large that the convolution would
//!   take more than about `2·10^8` multiply-adds (a fraction of a second).
//!
//! A report then gives the Monte Carlo estimate with its standard error.

use serde::{Deserialize, Serialize};

use crate::exact::business::segment_warm_probability;
use crate::model::follow_up::Neglect;
use crate::model::scenario::Scenario;
use crate::special::binomial_pmf;

/// Terms below this share of the largest are dropped (see the module docs).
const KEEP: f64 = 1e-20;

/// The most multiply-adds the convolution may take.
const BUDGET: f64 = 2e8;

/// Why the customer count has no exact distribution here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum NotExact {
    /// The scenario has uncertain inputs: the count is a mixture of
    /// binomials over them.
    UncertainInputs,
    /// The convolution of the segments would take too long.
    TooLarge,
}

impl std::fmt::Display for NotExact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotExact::UncertainInputs => "the scenario has uncertain inputs",
            NotExact::TooLarge => "too many SQLs for the exact convolution",
        })
    }
}

/// The exact distribution of a whole-number count: `P(X = offset + i)` at
/// index `i`, every value outside negligible (see the module docs).
///
/// # Example
///
/// The reference case: 35 worked SQLs closing at 25 % reach 10 customers
/// with probability 0.374, 40 SQLs worked at once with 0.560.
///
/// ```
/// use lead_decay::Scenario;
/// use lead_decay::exact::CustomerDistribution;
///
/// let reference = Scenario::reference();
/// let customers = CustomerDistribution::of(&reference)?;
/// assert!((customers.at_least(10) - 0.3737).abs() < 1e-4);
/// assert!((customers.mean() - 8.75).abs() < 1e-12);
/// let ideal = CustomerDistribution::ideal(&reference)?;
/// assert!((ideal.at_least(10) - 0.5605).abs() < 1e-4);
/// # Ok::<(), lead_decay::exact::NotExact>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerDistribution {
    offset: u64,
    pmf: Vec<f64>,
}

impl CustomerDistribution {
    /// The customers of a trial of `scenario`, as followed up.
    ///
    /// # Errors
    ///
    /// [`NotExact`] when the model does not allow it (see the module docs).
    pub fn of(scenario: &Scenario) -> Result<CustomerDistribution, NotExact> {
        Self::convolve(scenario, |segment| {
            let p = segment.close_rate();
            let n = segment.sqls();
            let warm = segment_warm_probability(segment);
            match segment.follow_up().neglect() {
                Neglect::None => (n, p * warm),
                Neglect::Count(k) => (n.saturating_sub(k), p * warm),
                Neglect::Probability(q) => (n, (1.0 - q) * p * warm),
            }
        })
    }

    /// The customers of a trial of `scenario` had every SQL been worked at
    /// once.
    ///
    /// # Errors
    ///
    /// [`NotExact`] when the model does not allow it (see the module docs).
    pub fn ideal(scenario: &Scenario) -> Result<CustomerDistribution, NotExact> {
        Self::convolve(scenario, |segment| (segment.sqls(), segment.close_rate()))
    }

    /// The sum over the segments of `Binomial(trials(segment))`.
    fn convolve(
        scenario: &Scenario,
        trials: impl Fn(&crate::model::segment::Segment) -> (u64, f64),
    ) -> Result<CustomerDistribution, NotExact> {
        if !scenario.uncertainty().is_empty() {
            return Err(NotExact::UncertainInputs);
        }
        // Segments with the same probability add up to one binomial.
        let mut laws: Vec<(u64, f64)> = Vec::new();
        for segment in scenario.segments() {
            let (n, p) = trials(segment);
            let p = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
            match laws.iter_mut().find(|(_, q)| *q == p) {
                Some((m, _)) => *m += n,
                None => laws.push((n, p)),
            }
        }
        let mut total = CustomerDistribution {
            offset: 0,
            pmf: vec![1.0],
        };
        let mut work = 0.0;
        for (n, p) in laws {
            let law = CustomerDistribution::binomial(n, p)?;
            work += total.pmf.len() as f64 * law.pmf.len() as f64;
            if work > BUDGET {
                return Err(NotExact::TooLarge);
            }
            total = total.plus(&law);
        }
        Ok(total)
    }

    /// `Binomial(n, p)`, its negligible tails dropped.
    fn binomial(n: u64, p: f64) -> Result<CustomerDistribution, NotExact> {
        if p == 0.0 || n == 0 {
            return Ok(CustomerDistribution {
                offset: 0,
                pmf: vec![1.0],
            });
        }
        if p == 1.0 {
            return Ok(CustomerDistribution {
                offset: n,
                pmf: vec![1.0],
            });
        }
        let q = 1.0 - p;
        // The mode, and outwards from it until the terms are negligible
        // (the pmf is unimodal).
        let mode = (((n + 1) as f64 * p).floor() as u64).min(n);
        let peak = binomial_pmf(n, p, q, mode);
        let mut lo = mode;
        while lo > 0 && binomial_pmf(n, p, q, lo - 1) >= KEEP * peak {
            lo -= 1;
            if (mode - lo) as f64 > BUDGET.sqrt() {
                return Err(NotExact::TooLarge);
            }
        }
        let mut hi = mode;
        while hi < n && binomial_pmf(n, p, q, hi + 1) >= KEEP * peak {
            hi += 1;
            if (hi - mode) as f64 > BUDGET.sqrt() {
                return Err(NotExact::TooLarge);
            }
        }
        Ok(CustomerDistribution {
            offset: lo,
            pmf: (lo..=hi).map(|x| binomial_pmf(n, p, q, x)).collect(),
        })
    }

    /// The distribution of the sum of two independent counts.
    fn plus(&self, other: &CustomerDistribution) -> CustomerDistribution {
        let mut pmf = vec![0.0; self.pmf.len() + other.pmf.len() - 1];
        for (i, a) in self.pmf.iter().enumerate() {
            for (j, b) in other.pmf.iter().enumerate() {
                pmf[i + j] += a * b;
            }
        }
        // Drop the tails again: the sum is unimodal too.
        let peak = pmf.iter().copied().fold(0.0, f64::max);
        let first = pmf.iter().position(|&x| x >= KEEP * peak).unwrap_or(0);
        let last = pmf.iter().rposition(|&x| x >= KEEP * peak).unwrap_or(0);
        CustomerDistribution {
            offset: self.offset + other.offset + first as u64,
            pmf: pmf[first..=last].to_vec(),
        }
    }

    /// `P(X >= k)`, in `[0, 1]`.
    pub fn at_least(&self, k: u64) -> f64 {
        let total: f64 = self.pmf.iter().sum();
        let split = k.saturating_sub(self.offset).min(self.pmf.len() as u64) as usize;
        // Sum the smaller side: its terms are not lost next to the larger.
        let below: f64 = self.pmf[..split].iter().sum();
        let above: f64 = self.pmf[split..].iter().sum();
        let p = if above <= below {
            above / total
        } else {
            1.0 - below / total
        };
        // An empty side sums to -0.0 (the float `Sum` starts there): adding
        // +0.0 makes a certain miss 0, never -0.0 ("-0.0 %" in a verdict).
        p.clamp(0.0, 1.0) + 0.0
    }

    /// `P(X = k)`.
    pub fn probability_of(&self, k: u64) -> f64 {
        let total: f64 = self.pmf.iter().sum();
        k.checked_sub(self.offset)
            .and_then(|i| self.pmf.get(i as usize))
            .map_or(0.0, |p| p / total)
    }

    /// The mean, `E[X]`.
    pub fn mean(&self) -> f64 {
        let total: f64 = self.pmf.iter().sum();
        self.pmf
            .iter()
            .enumerate()
            .map(|(i, p)| (self.offset + i as u64) as f64 * p)
            .sum::<f64>()
            / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::deal_value::DealValue;
    use crate::model::decay::DecayCurve;
    use crate::model::duration::Hours;
    use crate::model::follow_up::DelayDistribution;
    use crate::model::segment::Segment;

    /// `P(X >= k)` for `X ~ Binomial(n, p)`, term by term (small `n` only).
    fn naive_at_least(n: u64, p: f64, k: u64) -> f64 {
        let mut term = (1.0 - p).powi(n as i32);
        let mut tail = 0.0;
        for x in 0..=n {
            if x >= k {
                tail += term;
            }
            term *= (n - x) as f64 / (x + 1) as f64 * p / (1.0 - p);
        }
        tail
    }

    fn segment(name: &str, sqls: u64, close_rate: f64) -> crate::model::segment::SegmentBuilder {
        Segment::builder(name)
            .sqls(sqls)
            .close_rate(close_rate)
            .deal_value(DealValue::fixed(1_000.0).unwrap())
            .decay(DecayCurve::b2b_industrial())
    }

    #[test]
    fn the_reference_goal_is_the_binomial_tail_of_35_and_40_sqls() {
        let reference = Scenario::reference();
        let actual = CustomerDistribution::of(&reference).unwrap();
        let ideal = CustomerDistribution::ideal(&reference).unwrap();
        assert!((actual.at_least(10) - naive_at_least(35, 0.25, 10)).abs() < 1e-13);
        assert!((ideal.at_least(10) - naive_at_least(40, 0.25, 10)).abs() < 1e-13);
        assert_eq!(actual.at_least(0), 1.0);
        assert_eq!(actual.at_least(36), 0.0);
    }

    #[test]
    fn two_segments_convolve_to_the_sum_of_their_customers() {
        // 10 SQLs at 0.5 and 20 at 0.1 (worked at once): P(X = 0) = 0.5^10 0.9^20.
        let scenario = Scenario::builder("two")
            .segment(segment("a", 10, 0.5).build().unwrap())
            .segment(segment("b", 20, 0.1).build().unwrap())
            .build()
            .unwrap();
        let d = CustomerDistribution::of(&scenario).unwrap();
        let p0 = 0.5f64.powi(10) * 0.9f64.powi(20);
        assert!((d.probability_of(0) - p0).abs() < 1e-15, "{}", d.probability_of(0));
        assert!((d.mean() - 7.0).abs() < 1e-12);
        // P(X = 30): every SQL closes.
        let p30 = 0.5f64.powi(10) * 0.1f64.powi(20);
        assert!((d.probability_of(30) / p30 - 1.0).abs() < 1e-9 || d.probability_of(30) == 0.0);
        let total: f64 = (0..=30).map(|k| d.probability_of(k)).sum();
        assert!((total - 1.0).abs() < 1e-14);
    }

    #[test]
    fn neglect_by_probability_and_delay_thin_the_close_rate() {
        // 100 SQLs, 20 % never followed up, exponential decay with a half-life
        // equal to the fixed delay: each closes with 0.8 · 0.3 · 0.5 = 0.12.
        let half = Hours::new(24.0).unwrap();
        let s = segment("s", 100, 0.3)
            .never_followed_up(0.2)
            .decay(DecayCurve::exponential(half).unwrap())
            .delay(DelayDistribution::fixed(half).unwrap())
            .build()
            .unwrap();
        let scenario = Scenario::builder("thin").segment(s).build().unwrap();
        let d = CustomerDistribution::of(&scenario).unwrap();
        assert!((d.at_least(15) - naive_at_least(100, 0.12, 15)).abs() < 1e-12);
    }

    #[test]
    fn uncertain_inputs_make_the_count_a_mixture_not_a_binomial() {
        use crate::model::knob::Knob;
        use crate::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
        let close_rate = InputDistribution::beta_mean_sd(0.25, 0.04).unwrap();
        let scenario = Scenario::builder("unsure")
            .customer_goal(10)
            .segment(segment("a", 40, 0.25).build().unwrap())
            .uncertainty(Uncertainty::new().with_input(UncertainInput::new(Knob::CloseRate, close_rate)))
            .build()
            .unwrap();
        assert_eq!(CustomerDistribution::of(&scenario), Err(NotExact::UncertainInputs));
        assert_eq!(CustomerDistribution::ideal(&scenario), Err(NotExact::UncertainInputs));
    }

    #[test]
    fn a_large_scenario_keeps_its_mean_and_a_huge_one_is_too_large() {
        let big = Scenario::builder("big")
            .segment(segment("a", 2_000_000, 0.3).build().unwrap())
            .segment(segment("b", 1_000_000, 0.2).build().unwrap())
            .build()
            .unwrap();
        let d = CustomerDistribution::of(&big).unwrap();
        assert!((d.mean() / 800_000.0 - 1.0).abs() < 1e-12);
        assert!((d.at_least(800_000) - 0.5).abs() < 1e-3);
        let mut builder = Scenario::builder("huge");
        for i in 0..400 {
            let rate = 0.1 + 0.001 * f64::from(i);
            builder = builder.segment(segment(&format!("s{i}"), 5_000_000, rate).build().unwrap());
        }
        assert_eq!(
            CustomerDistribution::of(&builder.build().unwrap()),
            Err(NotExact::TooLarge)
        );
    }
}
