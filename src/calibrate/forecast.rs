//! The fitted scenario with what the export leaves open: the fit's
//! uncertainty and the choice of decay shape, as joint inputs
//! ([`JointInput`]) that `simulate` draws per trial.

use super::decay_fit::{ShapeKind, curve};
use super::report::{Calibration, SIGNIFICANT_DIGITS, rounded_curve, rounded_delay, significant};
use crate::error::{Error, Result};
use crate::model::deal_value::DealValue;
use crate::model::follow_up::DelayShape;
use crate::model::knob::Knob;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;
use crate::model::uncertainty::{Alternative, JointInput, JointNormal, Scale, Uncertainty};

/// Which decay shapes a fitted scenario carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShapeChoice {
    /// Every identified shape, drawn per trial with its Akaike weight
    /// (model averaging; the exponential's carried by the Weibull, see
    /// [`NESTED_IN_WEIBULL`]); the scenario's own decay is the best by AIC.
    Averaged,
    /// One shape's fit (the best by AIC: [`crate::calibrate::DecayFit::best`]).
    Single(ShapeKind),
}

/// The shapes that are the Weibull with its shape `k` fixed, whose Akaike
/// weight the averaged forecast carries on the Weibull's sampling
/// distribution: the exponential (`k = 1`; a half-life `h` is the Weibull
/// of scale `h / ln 2`).
///
/// Akaike weights say how well each shape fits; they do not make a
/// restricted shape's interval honest. The exponential's interval holds
/// `k = 1` as known, so where the data cannot tell the exponential from
/// the Weibull, its narrow interval, centred where `k = 1` extrapolates
/// the close rate to zero delay, takes half the forecast's weight and the
/// averaged interval covers the truth less often than it says (Hjort &
/// Claeskens, *Frequentist model average estimators*, JASA 2003; measured
/// in BENCHMARKS.md, coverage of the fitted scenario's interval). The
/// Weibull's normal contains `k = 1` and the curves near it, so it carries
/// the exponential's weight as well; the report still shows each shape's
/// own Akaike weight.
pub const NESTED_IN_WEIBULL: [ShapeKind; 1] = [ShapeKind::Exponential];

/// The alternatives that stand for the averaged shapes' sampling
/// distributions, in all: a shape of Akaike weight `w` is drawn from
/// `max(1, round(100 w))` points of its normal (one, its estimate, for the
/// table, whose values are not fitted jointly).
pub const AVERAGED_POINTS: usize = 100;

/// Significant digits of a joint normal's mean (coordinates on the log or
/// logit scale: four digits of `ln 500 = 6.215` would move the value by up
/// to 0.3 %, more than the value's own rounding).
pub const COORDINATE_DIGITS: i32 = 6;

impl Calibration {
    /// A scenario called `scenario` with one segment called `segment` of
    /// `sqls` SQLs that carries what the export leaves open
    /// ([`Calibration::fit_uncertainty`]): its numbers are those of
    /// [`Calibration::segment_with_shape`] (the best shape when averaged),
    /// and each trial draws the fitted parameters from their sampling
    /// distribution (and, when averaged, the decay shape by its Akaike
    /// weight), and, when `deal_value` is `None`, the fitted mean deal
    /// value from its own ([`Calibration::deal_value_uncertainty`]).
    ///
    /// ```
    /// use lead_decay::calibrate::{Calibration, Export, ExportFormat, ShapeChoice};
    /// use lead_decay::exact::ExpectedOverInputs;
    ///
    /// let export = Export::read_path("examples/data/export.csv", &ExportFormat::default())?;
    /// let calibration = Calibration::fit(&export)?;
    /// let scenario = calibration.forecast("fitted", "web", 2_000, ShapeChoice::Averaged, None)?;
    /// // The decay shape, the follow-up fit and the mean deal value.
    /// assert_eq!(scenario.uncertainty().joints().len(), 3);
    /// let over = ExpectedOverInputs::of(&scenario)?;
    /// assert!(over.p05.revenue_lost < over.p95.revenue_lost);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Calibration::segment_with_shape`] and
    /// [`Calibration::fit_uncertainty`].
    pub fn forecast(
        &self,
        scenario: &str,
        segment: &str,
        sqls: u64,
        choice: ShapeChoice,
        deal_value: Option<DealValue>,
    ) -> Result<Scenario> {
        let mut uncertainty = Uncertainty::new();
        for joint in self.fit_uncertainty(segment, choice)? {
            uncertainty = uncertainty.with_joint(joint);
        }
        if deal_value.is_none()
            && let Some(joint) = self.deal_value_uncertainty(segment)?
        {
            uncertainty = uncertainty.with_joint(joint);
        }
        Scenario::builder(scenario)
            .segment(self.forecast_segment(segment, sqls, choice, deal_value)?)
            .uncertainty(uncertainty)
            .build()
    }

    /// The segment whose numbers a forecast's joint inputs vary: the fit of
    /// the chosen shape, or of the best by AIC when averaged.
    ///
    /// # Errors
    ///
    /// As [`Calibration::segment_with_shape`].
    pub fn forecast_segment(
        &self,
        name: &str,
        sqls: u64,
        choice: ShapeChoice,
        deal_value: Option<DealValue>,
    ) -> Result<Segment> {
        let shape = match choice {
            ShapeChoice::Averaged => self.decay.best().shape,
            ShapeChoice::Single(shape) => shape,
        };
        self.segment_with_shape(name, sqls, shape, deal_value)
    }

    /// The joint inputs, in the segment called `segment`, that carry what
    /// the export leaves open:
    ///
    /// * **decay**: averaged, one set of weighted [`Alternative`]s named
    ///   `decay shape`: each identified shape holds its weight
    ///   ([`Calibration::forecast_weights`]: its Akaike weight, the
    ///   exponential's carried by the Weibull),
    ///   spread evenly over `max(1, round(100 w))` points of the
    ///   multivariate normal of its close rate (logit scale) and
    ///   parameters (log scale) with the fit's covariance
    ///   ([`crate::calibrate::ShapeFit::covariance`]), placed by a Kronecker
    ///   (R_d) sequence whose first point is the estimate itself; each
    ///   alternative sets its curve and close rate. A single shape: that
    ///   normal itself (`close-rate`, `shelf-life`, and `weibull-shape` for
    ///   the Weibull), named `decay fit`; the table, whose values are not
    ///   fitted jointly, adds nothing.
    /// * **follow-up**: the normal of the best delay family's parameters
    ///   (log scale) and the share never followed up (logit scale, when it
    ///   is not 0), named `follow-up fit`: independent of the decay, whose
    ///   likelihood is conditional on the delays.
    ///
    /// Numbers are rounded as the segment's: values and covariances to
    /// [`SIGNIFICANT_DIGITS`], means (coordinates) to [`COORDINATE_DIGITS`],
    /// a normal's mean the coordinate of the segment's own (rounded) value.
    ///
    /// # Errors
    ///
    /// A shape the data did not identify (field `shape`).
    pub fn fit_uncertainty(&self, segment: &str, choice: ShapeChoice) -> Result<Vec<JointInput>> {
        let named = |what: &str| format!("{what} [{segment}]");
        let mut joints = Vec::new();
        match choice {
            ShapeChoice::Averaged => {
                joints.push(
                    JointInput::alternatives(self.shape_alternatives()?)?
                        .in_segment(segment)
                        .named(named("decay shape")),
                );
            }
            ShapeChoice::Single(shape) => {
                let fit = self.decay.get(shape).ok_or_else(|| {
                    Error::invalid("shape", shape.name(), "a shape the data identify (see the report)")
                })?;
                if let Some(normal) = decay_normal(fit)? {
                    joints.push(joint(&normal)?.in_segment(segment).named(named("decay fit")));
                }
            }
        }
        if let Some(normal) = self.follow_up_normal()? {
            joints.push(joint(&normal)?.in_segment(segment).named(named("follow-up fit")));
        }
        Ok(joints)
    }

    /// The sampling distribution of the fitted mean deal value, in the
    /// segment called `segment`, named `deal value fit`: a normal of
    /// `ln(mean)` with variance `ln(1 + cv^2 / n)` (`n` the won rows with a
    /// value: [`Calibration::deal_values`]), centred on the segment's
    /// rounded mean; `None` without a fitted deal value, or when the values
    /// do not vary or are fewer than two. Only for a scenario whose deal
    /// value is the fitted one.
    ///
    /// # Errors
    ///
    /// None in practice (a non-finite variance is refused, field
    /// `covariance`).
    pub fn deal_value_uncertainty(&self, segment: &str) -> Result<Option<JointInput>> {
        let (Some(cv), Ok(value)) = (self.deal_value_cv, self.fitted_deal_value()) else {
            return Ok(None);
        };
        let mean = value.mean();
        if self.deal_values < 2 || !(cv > 0.0) || !(mean > 0.0) {
            return Ok(None);
        }
        let variance = (cv * cv / self.deal_values as f64).ln_1p();
        let joint = JointInput::normal(
            vec![(Knob::DealValue, Scale::Log)],
            vec![significant(mean.ln(), COORDINATE_DIGITS)],
            vec![vec![significant(variance, SIGNIFICANT_DIGITS)]],
        )?;
        Ok(Some(
            joint.in_segment(segment).named(format!("deal value fit [{segment}]")),
        ))
    }

    /// The weight each fit carries in the averaged forecast, in the order
    /// of [`crate::calibrate::DecayFit::fits`]: its Akaike weight, except
    /// that the shapes of [`NESTED_IN_WEIBULL`] give theirs to the Weibull
    /// when the Weibull has a sampling distribution (the weights sum to 1).
    pub fn forecast_weights(&self) -> Vec<(ShapeKind, f64)> {
        let best = self.decay.best().aic;
        let total: f64 = self.decay.fits.iter().map(|f| (-(f.aic - best) / 2.0).exp()).sum();
        let akaike = |f: &super::decay_fit::ShapeFit| (-(f.aic - best) / 2.0).exp() / total;
        let weibull = self
            .decay
            .get(ShapeKind::Weibull)
            .is_some_and(|f| !f.covariance.is_empty());
        let carried: f64 = self
            .decay
            .fits
            .iter()
            .filter(|f| weibull && NESTED_IN_WEIBULL.contains(&f.shape))
            .map(akaike)
            .sum();
        self.decay
            .fits
            .iter()
            .map(|f| match f.shape {
                ShapeKind::Weibull => (f.shape, akaike(f) + carried),
                s if weibull && NESTED_IN_WEIBULL.contains(&s) => (s, 0.0),
                s => (s, akaike(f)),
            })
            .collect()
    }

    /// Every identified shape's points, with their forecast weights.
    fn shape_alternatives(&self) -> Result<Vec<Alternative>> {
        let weights = self.forecast_weights();
        let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
        let mut alternatives = Vec::new();
        for (fit, &(_, weight)) in self.decay.fits.iter().zip(&weights) {
            if weight == 0.0 {
                continue;
            }
            let normal = decay_normal(fit)?;
            let points = match &normal {
                Some(_) => ((AVERAGED_POINTS as f64 * weight).round() as usize).max(1),
                None => 1,
            };
            let each = Alternative::new(round(weight / points as f64))?;
            let Some(normal) = normal else {
                alternatives.push(
                    each.with_decay(rounded_curve(&fit.curve))
                        .with_value(Knob::CloseRate, round(fit.close_rate.value)),
                );
                continue;
            };
            for u in kronecker(points, normal.dimension()) {
                let values = normal.values(&u);
                let p = values[0].1;
                let logs: Vec<f64> = values[1..].iter().map(|v| v.1.ln()).collect();
                let c = curve(fit.shape, &logs).ok_or_else(|| {
                    Error::invalid(
                        "decay",
                        format!("{} parameters {:?}", fit.shape.name(), values),
                        "a drawn curve within the model's bounds",
                    )
                })?;
                alternatives.push(
                    each.clone()
                        .with_decay(rounded_curve(&c))
                        .with_value(Knob::CloseRate, round(p)),
                );
            }
        }
        Ok(alternatives)
    }

    /// The normal of the best delay family's parameters and the share
    /// never followed up, on the clock the scenario counts the delay on
    /// ([`Calibration::delay_fit`]); `None` when nothing is uncertain.
    fn follow_up_normal(&self) -> Result<Option<JointNormal>> {
        let fit = self.delay_fit();
        let delay = rounded_delay(&fit.distribution);
        let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
        // (knob, scale, the rounded value, its index in the covariance)
        let mut knobs: Vec<(Knob, Scale, f64, usize)> = Vec::new();
        let q = round(fit.never_followed_up.value);
        if q > 0.0 && fit.covariance[0][0] > 0.0 {
            knobs.push((Knob::NeverFollowedUp, Scale::Logit, q, 0));
        }
        match *delay.shape() {
            DelayShape::Exponential { mean } => knobs.push((Knob::FollowUpMean, Scale::Log, mean, 1)),
            DelayShape::LogNormal { median, sigma } => {
                knobs.push((Knob::FollowUpMedian, Scale::Log, median, 1));
                knobs.push((Knob::FollowUpSigma, Scale::Log, sigma, 2));
            }
            DelayShape::Gamma { mean, shape } => {
                knobs.push((Knob::FollowUpMean, Scale::Log, mean, 1));
                knobs.push((Knob::FollowUpShape, Scale::Log, shape, 2));
            }
            _ => {}
        }
        if knobs.is_empty() {
            return Ok(None);
        }
        normal(&knobs, &fit.covariance).map(Some)
    }
}

/// The joint input of a normal.
fn joint(normal: &JointNormal) -> Result<JointInput> {
    JointInput::normal(
        normal.knobs().to_vec(),
        normal.mean().to_vec(),
        normal.covariance().to_vec(),
    )
}

/// The normal of a decay fit's close rate and parameters at the segment's
/// rounded values; `None` for the table.
fn decay_normal(fit: &super::decay_fit::ShapeFit) -> Result<Option<JointNormal>> {
    if fit.covariance.is_empty() {
        return Ok(None);
    }
    let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
    let mut knobs = vec![(Knob::CloseRate, Scale::Logit, round(fit.close_rate.value), 0)];
    knobs.push((Knob::ShelfLife, Scale::Log, round(fit.parameters[0].value), 1));
    if fit.shape == ShapeKind::Weibull {
        knobs.push((Knob::WeibullShape, Scale::Log, round(fit.parameters[1].value), 2));
    }
    normal(&knobs, &fit.covariance).map(Some)
}

/// A normal over `knobs` (knob, scale, value, index into `covariance`),
/// its mean the values' coordinates to [`COORDINATE_DIGITS`], its
/// covariance the rows and columns picked, to [`SIGNIFICANT_DIGITS`] (or
/// unrounded if rounding would leave it not positive semi-definite).
fn normal(knobs: &[(Knob, Scale, f64, usize)], covariance: &[Vec<f64>]) -> Result<JointNormal> {
    let mean: Vec<f64> = knobs
        .iter()
        .map(|&(_, scale, v, _)| significant(scale.coordinate(v), COORDINATE_DIGITS))
        .collect();
    let picked: Vec<Vec<f64>> = knobs
        .iter()
        .map(|a| knobs.iter().map(|b| covariance[a.3][b.3]).collect())
        .collect();
    let rounded: Vec<Vec<f64>> = picked
        .iter()
        .map(|row| row.iter().map(|&c| significant(c, SIGNIFICANT_DIGITS)).collect())
        .collect();
    let pairs: Vec<(Knob, Scale)> = knobs.iter().map(|&(k, s, _, _)| (k, s)).collect();
    JointNormal::new(pairs.clone(), mean.clone(), rounded).or_else(|_| JointNormal::new(pairs, mean, picked))
}

/// `n` points of the unit cube `[0, 1)^d` from the Kronecker (R_d)
/// sequence of Roberts (2018), `u_i = frac(1/2 + i α)` with
/// `α_j = φ_d^-(j+1)` and `φ_d` the root of `x^(d+1) = x + 1`: evenly
/// spread for any `n`, and its first point the centre (the estimate).
fn kronecker(n: usize, d: usize) -> Vec<Vec<f64>> {
    let mut phi = 2.0_f64;
    for _ in 0..64 {
        phi = (1.0 + phi).powf(1.0 / (d as f64 + 1.0));
    }
    let alpha: Vec<f64> = (1..=d).map(|j| phi.powi(-(j as i32))).collect();
    (0..n)
        .map(|i| alpha.iter().map(|a| (0.5 + i as f64 * a).fract()).collect())
        .collect()
}
