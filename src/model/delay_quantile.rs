//! Quantiles of the follow-up delay: "by when are 99 % of the worked SQLs
//! followed up?"

use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, DelayShape};
use crate::special::normal_quantile;

impl DelayDistribution {
    /// The `p`-quantile of the delay: the shortest delay `t` with
    /// `P(D <= t) >= p` ([`DelayDistribution::cdf`]), so that
    /// `quantile(cdf(t)) == t` wherever the distribution has mass around `t`.
    /// `quantile(0)` is the shortest possible delay.
    ///
    /// Accuracy, by shape:
    ///
    /// * `fixed`, `uniform`, `empirical`, `exponential`: closed forms, exact
    ///   to the rounding of one or two floating-point operations (an
    ///   empirical quantile is one of the observed delays);
    /// * `lognormal`: `median · exp(sigma · z)` with `z` the normal quantile
    ///   from an inverse complementary error function refined by a Newton
    ///   step on the same `erfc` the CDF uses: relative error below 1e-13;
    /// * `gamma`: bisection on the bits of the delay against the CDF itself:
    ///   the result is the smallest floating-point number whose computed
    ///   CDF reaches `p` (at most 64 evaluations of the CDF).
    ///
    /// # Errors
    ///
    /// `p` outside `[0, 1]` or NaN (field `p`), and `p = 1` for a delay
    /// without a longest value (exponential, log-normal, gamma).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{DelayDistribution, Hours};
    ///
    /// let delay = DelayDistribution::exponential(Hours::from_days(2.0)?)?;
    /// let median = delay.quantile(0.5)?;
    /// assert!((median.get() - 48.0 * 2f64.ln()).abs() < 1e-12);
    /// assert!(delay.quantile(1.0).is_err());
    /// assert!(delay.quantile(f64::NAN).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn quantile(&self, p: f64) -> Result<Hours> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("p", p, "a probability in [0, 1]"));
        }
        let unbounded = |family: &str| {
            Error::invalid(
                "p",
                p,
                format!("a probability < 1: a {family} delay has no longest value"),
            )
        };
        let hours = match *self.shape() {
            DelayShape::Fixed { delay } => delay,
            DelayShape::Uniform { min, max } => {
                if p == 1.0 {
                    max
                } else {
                    (min + p * (max - min)).min(max)
                }
            }
            DelayShape::Empirical { ref samples } => {
                // F jumps by 1/n at each sorted sample: the smallest k with
                // k / n >= p is ceil(p n), and the quantile is samples[k - 1].
                // (k / n computed as the CDF computes it, so that
                // quantile(cdf(t)) is t even where p n rounds up.)
                let n = samples.len();
                let share = |k: usize| k as f64 / n as f64;
                let mut k = ((p * n as f64).ceil() as usize).clamp(1, n);
                while k > 1 && share(k - 1) >= p {
                    k -= 1;
                }
                while k < n && share(k) < p {
                    k += 1;
                }
                samples[k - 1]
            }
            DelayShape::Exponential { mean } => {
                if p == 1.0 {
                    return Err(unbounded("exponential"));
                }
                -mean * (-p).ln_1p()
            }
            DelayShape::LogNormal { median, sigma } => {
                if p == 1.0 {
                    return Err(unbounded("log-normal"));
                }
                if p == 0.0 {
                    0.0
                } else {
                    median * (sigma * normal_quantile(p)).exp()
                }
            }
            DelayShape::Gamma { .. } => {
                if p == 1.0 {
                    return Err(unbounded("gamma"));
                }
                self.invert_cdf(p)
            }
        };
        // Every branch yields a finite delay >= 0 for p in [0, 1); say so
        // rather than return a NaN if a parameter ever made it otherwise.
        Hours::new(hours).map_err(|_| Error::invalid("p", p, "a probability whose quantile is a finite delay"))
    }

    /// The smallest `t >= 0` (a floating-point number) with `cdf(t) >= p`,
    /// for `0 <= p < 1`, by bisection on the bits of `t` (for non-negative
    /// numbers the order of the bits is the order of the values).
    fn invert_cdf(&self, p: f64) -> f64 {
        if self.cdf(0.0) >= p {
            return 0.0;
        }
        // Bracket by doubling from the mean: the CDF of a distribution with
        // a finite mean reaches any p < 1 at a finite delay.
        let mut top = self.mean().get().max(f64::MIN_POSITIVE);
        while top < f64::MAX / 2.0 && !(self.cdf(top) >= p) {
            top *= 2.0;
        }
        let (mut lo, mut hi) = (0u64, top.to_bits());
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.cdf(f64::from_bits(mid)) >= p {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        f64::from_bits(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    fn every_shape() -> Vec<DelayDistribution> {
        vec![
            DelayDistribution::fixed(h(3.0)).unwrap(),
            DelayDistribution::immediate(),
            DelayDistribution::exponential(h(48.0)).unwrap(),
            DelayDistribution::lognormal(h(10.0), 0.8).unwrap(),
            DelayDistribution::lognormal(h(0.2), 2.5).unwrap(),
            DelayDistribution::gamma(h(20.0), 2.5).unwrap(),
            DelayDistribution::gamma(h(20.0), 0.3).unwrap(),
            DelayDistribution::gamma(h(5.0), 40.0).unwrap(),
            DelayDistribution::uniform(h(1.0), h(5.0)).unwrap(),
            DelayDistribution::uniform(h(2.0), h(2.0)).unwrap(),
            DelayDistribution::empirical(&[h(1.0), h(2.0), h(2.0), h(6.0)]).unwrap(),
        ]
    }

    #[test]
    fn the_quantile_of_the_cdf_is_the_delay_for_every_shape() {
        for d in every_shape() {
            // Delays where the distribution has mass: its own quantiles at
            // p = 0.001 ... 0.999, read back through the CDF.
            for i in 1..1000 {
                let p = f64::from(i) / 1000.0;
                let t = d.quantile(p).unwrap().get();
                let back = d.quantile(d.cdf(t)).unwrap().get();
                assert!(
                    (back - t).abs() <= 1e-12 * t.max(1e-300),
                    "{:?}: quantile(cdf({t})) = {back}",
                    d.shape()
                );
                // The definition: F(Q(p)) >= p, and F just below Q(p) < p.
                assert!(
                    d.cdf(t) >= p * (1.0 - 1e-12),
                    "{:?}: cdf(Q({p})) = {}",
                    d.shape(),
                    d.cdf(t)
                );
            }
        }
    }

    #[test]
    fn continuous_quantiles_match_their_closed_forms() {
        let exp = DelayDistribution::exponential(h(48.0)).unwrap();
        assert!((exp.quantile(0.5).unwrap().get() - 48.0 * 2f64.ln()).abs() < 1e-12);
        let ln = DelayDistribution::lognormal(h(10.0), 0.8).unwrap();
        assert!((ln.quantile(0.5).unwrap().get() - 10.0).abs() < 1e-12);
        // Phi(1.6448536269514722) = 0.95 (Abramowitz and Stegun 26.2).
        let q95 = 10.0 * (0.8f64 * 1.644_853_626_951_472_2).exp();
        assert!((ln.quantile(0.95).unwrap().get() / q95 - 1.0).abs() < 1e-13);
        // A gamma of shape 1 is the exponential of the same mean.
        let g1 = DelayDistribution::gamma(h(48.0), 1.0).unwrap();
        for p in [0.01, 0.5, 0.99] {
            let (a, b) = (g1.quantile(p).unwrap().get(), exp.quantile(p).unwrap().get());
            assert!((a / b - 1.0).abs() < 1e-9, "p {p}: gamma {a}, exponential {b}");
        }
        let u = DelayDistribution::uniform(h(1.0), h(5.0)).unwrap();
        assert_eq!(u.quantile(0.25).unwrap().get(), 2.0);
        assert_eq!(u.quantile(1.0).unwrap().get(), 5.0);
    }

    #[test]
    fn discrete_quantiles_are_observed_delays() {
        let e = DelayDistribution::empirical(&[h(6.0), h(1.0), h(2.0), h(2.0)]).unwrap();
        assert_eq!(e.quantile(0.0).unwrap().get(), 1.0);
        assert_eq!(e.quantile(0.25).unwrap().get(), 1.0);
        assert_eq!(e.quantile(0.26).unwrap().get(), 2.0);
        assert_eq!(e.quantile(0.75).unwrap().get(), 2.0);
        assert_eq!(e.quantile(1.0).unwrap().get(), 6.0);
        let f = DelayDistribution::fixed(h(3.0)).unwrap();
        assert_eq!(f.quantile(0.0).unwrap().get(), 3.0);
        assert_eq!(f.quantile(1.0).unwrap().get(), 3.0);
    }

    #[test]
    fn a_probability_outside_zero_one_or_an_unbounded_top_is_an_error() {
        for d in every_shape() {
            for p in [f64::NAN, -0.1, 1.5, f64::INFINITY] {
                let e = d.quantile(p).unwrap_err().to_string();
                assert!(e.starts_with("p:"), "{e}");
            }
        }
        let e = DelayDistribution::gamma(h(20.0), 2.5)
            .unwrap()
            .quantile(1.0)
            .unwrap_err();
        assert!(e.to_string().contains("no longest value"), "{e}");
    }
}
