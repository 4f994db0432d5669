//! The model's inputs moved one at a time, shape kept: a delay with another
//! mean, a decay curve on another time scale, another share never followed
//! up, another deal value. What-ifs and sweeps ([`crate::whatif`]) are built
//! on these.
//!
//! Every `match` here names every shape, so a new shape cannot be left
//! unchanged by a what-if without the compiler saying so.

use crate::error::{Error, Result, check_positive, check_probability};
use crate::model::deal_value::{DealValue, DealValueShape};
use crate::model::decay::{DecayCurve, DecayShape};
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, DelayShape, FollowUp, Neglect};

impl DelayDistribution {
    /// The same distribution stretched in time so that its mean is `mean`:
    /// the family and its shape parameters (gamma shape, log-normal sigma,
    /// the proportions of a uniform range or of observed delays) are kept,
    /// every delay is multiplied by `mean / self.mean()`.
    ///
    /// Two cases have no time scale to stretch: a mean of zero gives
    /// [`DelayDistribution::immediate`], and a distribution whose mean is
    /// zero (every SQL worked at once) becomes exponential with mean `mean`,
    /// the usual model of a follow-up delay.
    ///
    /// # Errors
    ///
    /// As the constructor of the family (e.g. a stretched log-normal whose
    /// median underflows to zero).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{DelayDistribution, Hours};
    ///
    /// let delay = DelayDistribution::lognormal(Hours::new(10.0)?, 0.8)?;
    /// let faster = delay.with_mean(Hours::new(4.0)?)?;
    /// assert!((faster.mean().get() - 4.0).abs() < 1e-12);
    /// let at_once = DelayDistribution::immediate().with_mean(Hours::new(4.0)?)?;
    /// assert_eq!(at_once, DelayDistribution::exponential(Hours::new(4.0)?)?);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_mean(self, mean: Hours) -> Result<DelayDistribution> {
        let mean = mean.get();
        if mean == 0.0 {
            return Ok(DelayDistribution::immediate());
        }
        let old = self.mean().get();
        if !(old > 0.0) {
            return DelayDistribution::exponential(Hours::trusted(mean));
        }
        // The arithmetic (one ratio, then one product per parameter) is the
        // one the `sweep` example used before it moved here: sweeps keep
        // their bits.
        let c = mean / old;
        let shape = match *self.shape() {
            DelayShape::Fixed { .. } => DelayShape::Fixed { delay: mean },
            DelayShape::Exponential { .. } => DelayShape::Exponential { mean },
            DelayShape::Gamma { shape, .. } => DelayShape::Gamma { mean, shape },
            DelayShape::LogNormal { median, sigma } => DelayShape::LogNormal {
                median: median * c,
                sigma,
            },
            DelayShape::Uniform { min, max } => DelayShape::Uniform {
                min: min * c,
                max: max * c,
            },
            DelayShape::Empirical { ref samples } => DelayShape::Empirical {
                samples: samples.iter().map(|x| x * c).collect(),
            },
        };
        DelayDistribution::new(shape)
    }
}

impl DecayCurve {
    /// The curve's time scale: the shelf life of `step` and `linear`, the
    /// half-life of `exponential`, the scale of `weibull`, the period of
    /// `schedule`, the last knot of a `table` (the presets are `linear` or
    /// `table` curves).
    ///
    /// ```
    /// use lead_decay::DecayCurve;
    ///
    /// assert_eq!(DecayCurve::b2b_industrial().time_scale().days(), 30.0);
    /// assert_eq!(DecayCurve::inbound_web().time_scale().days(), 30.0);
    /// ```
    pub fn time_scale(&self) -> Hours {
        let hours = match *self.shape() {
            DecayShape::Step { shelf_life } | DecayShape::Linear { shelf_life } => shelf_life,
            DecayShape::Exponential { half_life } => half_life,
            DecayShape::Weibull { scale, .. } => scale,
            DecayShape::Schedule { period, .. } => period,
            DecayShape::Table { ref points } => points.last().map_or(0.0, |p| p.0),
        };
        Hours::trusted(hours)
    }

    /// The same curve with its time scale ([`DecayCurve::time_scale`]) set
    /// to `scale`: the shape parameters (Weibull `k`, schedule `rate`, the
    /// values of a table) are kept and a table's knots are stretched with
    /// its last one.
    ///
    /// # Errors
    ///
    /// A scale of zero, named as the shape's field (`shelf_life`,
    /// `half_life`, `scale`, `period`, `points[i]`).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{DecayCurve, Hours};
    ///
    /// let week = DecayCurve::b2b_industrial().with_time_scale(Hours::from_days(7.0)?)?;
    /// assert_eq!(week, DecayCurve::linear(Hours::from_days(7.0)?)?);
    /// assert!(DecayCurve::b2b_industrial().with_time_scale(Hours::ZERO).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_time_scale(self, scale: Hours) -> Result<DecayCurve> {
        let value = scale.get();
        let shape = match *self.shape() {
            DecayShape::Step { .. } => DecayShape::Step { shelf_life: value },
            DecayShape::Linear { .. } => DecayShape::Linear { shelf_life: value },
            DecayShape::Exponential { .. } => DecayShape::Exponential { half_life: value },
            DecayShape::Weibull { k, .. } => DecayShape::Weibull { scale: value, k },
            DecayShape::Schedule { rate, .. } => DecayShape::Schedule { rate, period: value },
            DecayShape::Table { ref points } => {
                let last = points.last().map_or(1.0, |p| p.0);
                DecayShape::Table {
                    points: points.iter().map(|&(t, f)| (t * value / last, f)).collect(),
                }
            }
        };
        DecayCurve::new(shape)
    }

    /// The same curve with every time multiplied by `factor`: `f'(t) =
    /// f(t / factor)`, so `stretched(2.0)` keeps SQLs warm twice as long.
    ///
    /// # Errors
    ///
    /// `factor` not a finite number > 0 (field `factor`), or a time scale
    /// that overflows.
    ///
    /// ```
    /// use lead_decay::{DecayCurve, Hours};
    ///
    /// let slow = DecayCurve::inbound_web().stretched(2.0)?;
    /// let web = DecayCurve::inbound_web();
    /// assert_eq!(slow.at(Hours::new(2.0)?), web.at(Hours::new(1.0)?));
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn stretched(&self, factor: f64) -> Result<DecayCurve> {
        let factor = check_positive("factor", factor)?;
        let shape = match *self.shape() {
            DecayShape::Step { shelf_life } => DecayShape::Step {
                shelf_life: shelf_life * factor,
            },
            DecayShape::Linear { shelf_life } => DecayShape::Linear {
                shelf_life: shelf_life * factor,
            },
            DecayShape::Exponential { half_life } => DecayShape::Exponential {
                half_life: half_life * factor,
            },
            DecayShape::Weibull { scale, k } => DecayShape::Weibull {
                scale: scale * factor,
                k,
            },
            DecayShape::Schedule { rate, period } => DecayShape::Schedule {
                rate,
                period: period * factor,
            },
            DecayShape::Table { ref points } => DecayShape::Table {
                points: points.iter().map(|&(t, f)| (t * factor, f)).collect(),
            },
        };
        DecayCurve::new(shape)
    }
}

impl FollowUp {
    /// The same follow-up (delay and SLA) with another rule for who is
    /// never followed up.
    ///
    /// # Errors
    ///
    /// A probability outside [0, 1] (field `never_followed_up`). A count is
    /// checked against the cohort by [`crate::Segment::with_follow_up`].
    ///
    /// ```
    /// use lead_decay::{FollowUp, Hours, Neglect};
    ///
    /// let agreed = FollowUp::immediate().with_sla(Hours::new(4.0)?);
    /// let leaky = agreed.clone().with_neglect(Neglect::Probability(0.2))?;
    /// assert_eq!(leaky.neglect(), Neglect::Probability(0.2));
    /// assert_eq!(leaky.sla(), agreed.sla());
    /// assert!(agreed.with_neglect(Neglect::Probability(f64::NAN)).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_neglect(self, neglect: Neglect) -> Result<FollowUp> {
        match neglect {
            Neglect::Probability(q) => {
                check_probability("never_followed_up", q)?;
            }
            Neglect::None | Neglect::Count(_) => {}
        }
        let follow_up = FollowUp::new(neglect)?.with_delay(self.delay().clone());
        Ok(match self.sla() {
            Some(sla) => follow_up.with_sla(sla),
            None => follow_up,
        })
    }
}

impl DealValue {
    /// The same family with another mean (the coefficient of variation of
    /// a distribution is kept).
    ///
    /// # Errors
    ///
    /// As the constructor of the family: a negative fixed value (field
    /// `deal_value`), a mean that is not > 0 for a distribution (`mean`).
    ///
    /// ```
    /// use lead_decay::DealValue;
    ///
    /// let bigger = DealValue::lognormal(50_000.0, 0.6)?.with_mean(80_000.0)?;
    /// assert_eq!(bigger, DealValue::lognormal(80_000.0, 0.6)?);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_mean(self, mean: f64) -> Result<DealValue> {
        match self.shape() {
            DealValueShape::Fixed { .. } => DealValue::fixed(mean),
            DealValueShape::LogNormal { cv, .. } => DealValue::lognormal(mean, cv),
            DealValueShape::Gamma { cv, .. } => DealValue::gamma(mean, cv),
        }
    }

    /// The same family and mean with another coefficient of variation.
    ///
    /// # Errors
    ///
    /// A fixed deal value, which has no spread (field `cv`), or a `cv` the
    /// family rejects (field `cv`).
    ///
    /// ```
    /// use lead_decay::DealValue;
    ///
    /// let wider = DealValue::gamma(50_000.0, 0.6)?.with_cv(1.2)?;
    /// assert_eq!(wider, DealValue::gamma(50_000.0, 1.2)?);
    /// assert!(DealValue::fixed(50_000.0)?.with_cv(0.5).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_cv(&self, cv: f64) -> Result<DealValue> {
        match self.shape() {
            DealValueShape::Fixed { .. } => Err(Error::invalid(
                "cv",
                cv,
                "a deal value given as a distribution (lognormal or gamma): a fixed deal value has no cv",
            )),
            DealValueShape::LogNormal { mean, .. } => DealValue::lognormal(mean, cv),
            DealValueShape::Gamma { mean, .. } => DealValue::gamma(mean, cv),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    fn every_delay() -> Vec<DelayDistribution> {
        vec![
            DelayDistribution::fixed(h(3.0)).unwrap(),
            DelayDistribution::exponential(h(48.0)).unwrap(),
            DelayDistribution::lognormal(h(10.0), 0.8).unwrap(),
            DelayDistribution::gamma(h(20.0), 2.5).unwrap(),
            DelayDistribution::uniform(h(1.0), h(5.0)).unwrap(),
            DelayDistribution::empirical(&[h(1.0), h(2.0), h(6.0)]).unwrap(),
        ]
    }

    fn every_curve() -> Vec<DecayCurve> {
        vec![
            DecayCurve::step(h(10.0)).unwrap(),
            DecayCurve::linear(h(10.0)).unwrap(),
            DecayCurve::exponential(h(10.0)).unwrap(),
            DecayCurve::weibull(h(10.0), 0.7).unwrap(),
            DecayCurve::schedule(0.5, h(10.0)).unwrap(),
            DecayCurve::table(&[(h(1.0), 0.5), (h(10.0), 0.1)]).unwrap(),
            DecayCurve::b2b_industrial(),
            DecayCurve::consumer(),
            DecayCurve::consumer_afternoon(),
            DecayCurve::inbound_web(),
        ]
    }

    #[test]
    fn a_delay_with_another_mean_keeps_its_shape_scaled_in_time() {
        for d in every_delay() {
            let m = d.mean().get();
            let scaled = d.clone().with_mean(h(3.0 * m)).unwrap();
            assert!((scaled.mean().get() / (3.0 * m) - 1.0).abs() < 1e-12, "{:?}", d.shape());
            assert_eq!(
                std::mem::discriminant(scaled.shape()),
                std::mem::discriminant(d.shape())
            );
            // Same shape: the CDF at 3t is the old CDF at t.
            for t in [0.5, 2.0, 7.0, 40.0] {
                let (a, b) = (scaled.cdf(3.0 * t), d.cdf(t));
                assert!((a - b).abs() < 1e-9, "{:?} at {t}: {a} vs {b}", d.shape());
            }
        }
        let immediate = DelayDistribution::immediate();
        assert!(immediate.with_mean(h(5.0)).unwrap().mean().get() == 5.0);
        assert!(every_delay()[1].clone().with_mean(Hours::ZERO).unwrap().is_immediate());
    }

    #[test]
    fn a_curve_on_another_time_scale_keeps_its_shape_for_every_shape_and_preset() {
        for c in every_curve() {
            let scale = c.time_scale().get();
            let moved = c.clone().with_time_scale(h(2.0 * scale)).unwrap();
            let stretched = c.stretched(2.0).unwrap();
            assert_eq!(moved.time_scale().get(), 2.0 * scale, "{c}");
            for t in [0.01, 0.5, 3.0, 9.0, 100.0, 400.0, 800.0] {
                let expected = c.evaluate(t);
                for (name, curve) in [("with_time_scale", &moved), ("stretched", &stretched)] {
                    let got = curve.evaluate(2.0 * t);
                    assert!(
                        (got - expected).abs() < 1e-12,
                        "{c}, {name} at {t}: {got} vs {expected}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_zero_time_scale_or_factor_is_an_error_naming_the_field() {
        let fields = [
            "shelf_life",
            "shelf_life",
            "half_life",
            "scale",
            "period",
            "points[0]",
            "shelf_life",
            "shelf_life",
            "shelf_life",
            "points[0]",
        ];
        for (c, field) in every_curve().into_iter().zip(fields) {
            let e = c.clone().with_time_scale(Hours::ZERO).unwrap_err().to_string();
            assert!(e.starts_with(field), "{c}: {e}");
            for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
                assert!(c.stretched(bad).unwrap_err().to_string().starts_with("factor"), "{c}");
            }
        }
    }

    #[test]
    fn another_neglect_keeps_the_delay_and_the_sla() {
        let follow_up = FollowUp::new(Neglect::Count(3))
            .unwrap()
            .with_delay(every_delay()[2].clone())
            .with_sla(h(24.0));
        let q = follow_up.clone().with_neglect(Neglect::Probability(0.25)).unwrap();
        assert_eq!(q.neglect(), Neglect::Probability(0.25));
        assert_eq!(q.delay(), follow_up.delay());
        assert_eq!(q.sla(), follow_up.sla());
        for bad in [-0.1, 1.1, f64::NAN] {
            let e = follow_up
                .clone()
                .with_neglect(Neglect::Probability(bad))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("never_followed_up"), "{e}");
        }
    }

    #[test]
    fn a_deal_value_with_another_mean_keeps_its_spread() {
        for v in [
            DealValue::fixed(10.0).unwrap(),
            DealValue::lognormal(10.0, 0.5).unwrap(),
            DealValue::gamma(10.0, 0.5).unwrap(),
        ] {
            let w = v.clone().with_mean(25.0).unwrap();
            assert_eq!(w.mean(), 25.0);
            assert_eq!(std::mem::discriminant(&w.shape()), std::mem::discriminant(&v.shape()));
            assert!(v.clone().with_mean(f64::NAN).is_err());
        }
    }
}
