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
    /// (model averaging); the scenario's own decay is the best by AIC.
    Averaged,
    /// One shape's fit (the best by AIC: [`crate::calibrate::DecayFit::best`]).
    Single(ShapeKind),
}

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
    /// weight).
    ///
    /// ```
    /// use lead_decay::calibrate::{Calibration, Export, ExportFormat, ShapeChoice};
    /// use lead_decay::exact::ExpectedOverInputs;
    ///
    /// let export = Export::read_path("examples/data/export.csv", &ExportFormat::default())?;
    /// let calibration = Calibration::fit(&export)?;
    /// let scenario = calibration.forecast("fitted", "web", 2_000, ShapeChoice::Averaged, None)?;
    /// assert_eq!(scenario.uncertainty().joints().len(), 2);
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
    ///   `decay shape`: each identified shape holds its Akaike weight,
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

    /// Every identified shape's points, with their Akaike weights.
    fn shape_alternatives(&self) -> Result<Vec<Alternative>> {
        let best = self.decay.best().aic;
        let total: f64 = self.decay.fits.iter().map(|f| (-(f.aic - best) / 2.0).exp()).sum();
        let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
        let mut alternatives = Vec::new();
        for fit in &self.decay.fits {
            let weight = (-(fit.aic - best) / 2.0).exp() / total;
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
