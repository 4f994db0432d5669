//! Joint inputs: several knobs drawn together, as a fit leaves them.
//!
//! Two laws: a multivariate normal over several knobs, each on a stated
//! [`Scale`] (what a maximum-likelihood fit reports: estimates and their
//! covariance on the scale it fits), and weighted [`Alternative`]s, one
//! drawn per trial (bootstrap replicates of a fit, or the decay shapes a
//! fit could not tell apart, with their Akaike weights).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::distribution::TAIL_PROBABILITY;
use crate::error::{Error, Result};
use crate::model::decay::DecayCurve;
use crate::model::follow_up::DelayDistribution;
use crate::model::knob::Knob;
use crate::special::normal_quantile;

/// The scale on which a coordinate of a joint normal is normal: its knob's
/// value is the coordinate transformed back.
///
/// | scale | the knob's value `v` from the coordinate `x` | for |
/// |---|---|---|
/// | `identity` | `v = x` | values of either sign, or far from their bounds |
/// | `log` | `v = exp(x)` | positive values: durations, shapes, deal values |
/// | `logit` | `v = 1 / (1 + exp(-x))` | probabilities |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Scale {
    /// The coordinate is the value.
    Identity,
    /// The coordinate is the value's natural logarithm.
    Log,
    /// The coordinate is the value's log-odds, `ln(v / (1 - v))`.
    Logit,
}

impl Scale {
    /// Every scale.
    pub const ALL: [Scale; 3] = [Scale::Identity, Scale::Log, Scale::Logit];

    /// The scale's name in files: `identity`, `log`, `logit`.
    pub const fn name(self) -> &'static str {
        match self {
            Scale::Identity => "identity",
            Scale::Log => "log",
            Scale::Logit => "logit",
        }
    }

    /// The knob's value at the coordinate `x`.
    pub fn value(self, x: f64) -> f64 {
        match self {
            Scale::Identity => x,
            Scale::Log => x.exp(),
            Scale::Logit => 1.0 / (1.0 + (-x).exp()),
        }
    }

    /// The coordinate of the knob's value `v` (NaN outside the scale's
    /// range: `v <= 0` on `log`, `v` outside (0, 1) on `logit`).
    pub fn coordinate(self, v: f64) -> f64 {
        match self {
            Scale::Identity => v,
            Scale::Log if v > 0.0 => v.ln(),
            Scale::Logit if v > 0.0 && v < 1.0 => (v / (1.0 - v)).ln(),
            Scale::Log | Scale::Logit => f64::NAN,
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Scale {
    type Err = Error;

    /// The scale called `name` (`"log"`); the error lists the scales.
    fn from_str(name: &str) -> Result<Scale> {
        Scale::ALL.into_iter().find(|s| s.name() == name).ok_or_else(|| {
            Error::invalid(
                "scale",
                format!("{name:?}"),
                "a scale: \"identity\", \"log\" or \"logit\"",
            )
        })
    }
}

/// How many standard deviations of each independent normal a draw can
/// reach: `-normal_quantile(2^-53)`, 8.2095 (see
/// [`TAIL_PROBABILITY`]).
fn z_reach() -> f64 {
    -normal_quantile(TAIL_PROBABILITY)
}

/// A multivariate normal over several knobs: coordinates `x = mean + L z`,
/// with `L` the Cholesky factor of the covariance and `z` the standard
/// normal quantiles of the trial's uniform coordinates (each clamped to
/// `[2^-53, 1 - 2^-53]`, as every input's), each knob set to its
/// coordinate transformed back from its [`Scale`].
///
/// So a coordinate reaches at most `8.21 Σ_j |L_ij|` from its mean (the
/// corners of the cube of `z`): [`JointNormal::reach`], what
/// [`super::Uncertainty::check`] validates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawNormal", into = "RawNormal")]
#[non_exhaustive]
pub struct JointNormal {
    knobs: Vec<(Knob, Scale)>,
    mean: Vec<f64>,
    covariance: Vec<Vec<f64>>,
    /// The lower-triangular Cholesky factor of the covariance.
    factor: Vec<Vec<f64>>,
}

/// The serde form of [`JointNormal`]: the knobs, their scales, the mean and
/// the covariance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNormal {
    knobs: Vec<Knob>,
    scales: Vec<Scale>,
    mean: Vec<f64>,
    covariance: Vec<Vec<f64>>,
}

impl TryFrom<RawNormal> for JointNormal {
    type Error = Error;

    fn try_from(raw: RawNormal) -> Result<JointNormal> {
        if raw.scales.len() != raw.knobs.len() {
            return Err(Error::invalid(
                "scales",
                raw.scales.len(),
                format!("{} scales, one per knob", raw.knobs.len()),
            ));
        }
        JointNormal::new(
            raw.knobs.into_iter().zip(raw.scales).collect(),
            raw.mean,
            raw.covariance,
        )
    }
}

impl From<JointNormal> for RawNormal {
    fn from(n: JointNormal) -> RawNormal {
        RawNormal {
            knobs: n.knobs.iter().map(|k| k.0).collect(),
            scales: n.knobs.iter().map(|k| k.1).collect(),
            mean: n.mean,
            covariance: n.covariance,
        }
    }
}

impl JointNormal {
    /// A multivariate normal over `knobs` (each on its scale), with `mean`
    /// and `covariance` on those scales.
    ///
    /// # Errors
    ///
    /// No knobs, a knob twice, the team knob `reps` or a whole-number knob
    /// (`sqls`, `neglected`: they take discrete distributions) (field
    /// `knobs[i]`); a mean of the wrong length or not finite (`mean`); a
    /// covariance that is not a square matrix of the knobs' size, not
    /// finite, not symmetric (to 1e-9 relative) or not positive
    /// semi-definite (`covariance`).
    pub fn new(knobs: Vec<(Knob, Scale)>, mean: Vec<f64>, covariance: Vec<Vec<f64>>) -> Result<JointNormal> {
        let n = knobs.len();
        if n == 0 {
            return Err(Error::invalid("knobs", "[]", "at least one knob"));
        }
        for (i, &(knob, _)) in knobs.iter().enumerate() {
            let field = format!("knobs[{i}]");
            if knob.is_team() || knob.is_whole() {
                return Err(Error::invalid(
                    field,
                    knob,
                    "a knob of a segment that takes any number (whole-number knobs take a discrete distribution; \
                     `reps` is the team's)",
                ));
            }
            if knobs[..i].iter().any(|&(k, _)| k == knob) {
                return Err(Error::invalid(field, knob, "a knob not listed before"));
            }
        }
        if mean.len() != n {
            return Err(Error::invalid("mean", mean.len(), format!("{n} means, one per knob")));
        }
        if let Some((i, m)) = mean.iter().enumerate().find(|(_, m)| !m.is_finite()) {
            return Err(Error::invalid(format!("mean[{i}]"), m, "a finite number"));
        }
        if covariance.len() != n || covariance.iter().any(|row| row.len() != n) {
            return Err(Error::invalid(
                "covariance",
                format!("{} rows", covariance.len()),
                format!("a {n} x {n} matrix, one row and column per knob"),
            ));
        }
        let factor = cholesky(&covariance)?;
        Ok(JointNormal {
            knobs,
            mean,
            covariance,
            factor,
        })
    }

    /// The knobs and their scales, in order.
    pub fn knobs(&self) -> &[(Knob, Scale)] {
        &self.knobs
    }

    /// The mean, on the knobs' scales.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The covariance, on the knobs' scales.
    pub fn covariance(&self) -> &[Vec<f64>] {
        &self.covariance
    }

    /// The coordinates a trial draws: one per knob.
    pub fn dimension(&self) -> usize {
        self.knobs.len()
    }

    /// Each knob's value at the point `u` of its coordinates (as many as
    /// knobs, each clamped to `[2^-53, 1 - 2^-53]`; NaN counts as the
    /// lower end).
    pub fn values(&self, u: &[f64]) -> Vec<(Knob, f64)> {
        let z: Vec<f64> = u.iter().map(|&u| standard_normal(u)).collect();
        self.knobs
            .iter()
            .enumerate()
            .map(|(i, &(knob, scale))| {
                let x = self.mean[i] + self.factor[i].iter().zip(&z).map(|(l, z)| l * z).sum::<f64>();
                (knob, scale.value(x))
            })
            .collect()
    }

    /// For each knob, the lowest, the median and the highest value a draw
    /// can give it: its mean ± `8.21 Σ_j |L_ij|` on its scale, transformed
    /// back.
    pub fn reach(&self) -> Vec<(Knob, [f64; 3])> {
        let z = z_reach();
        self.knobs
            .iter()
            .enumerate()
            .map(|(i, &(knob, scale))| {
                let half = z * self.factor[i].iter().map(|l| l.abs()).sum::<f64>();
                let m = self.mean[i];
                (knob, [scale.value(m - half), scale.value(m), scale.value(m + half)])
            })
            .collect()
    }
}

/// The standard normal quantile of `u` clamped as an input's draw is.
fn standard_normal(u: f64) -> f64 {
    let u = if u.is_nan() {
        TAIL_PROBABILITY
    } else {
        u.clamp(TAIL_PROBABILITY, 1.0 - TAIL_PROBABILITY)
    };
    if u > 0.5 {
        -normal_quantile(1.0 - u)
    } else if u < 0.5 {
        normal_quantile(u)
    } else {
        0.0
    }
}

/// The lower-triangular `L` with `L Lᵀ = covariance`, for a symmetric
/// positive semi-definite matrix (a pivot within 1e-10 of 0, relative to
/// its diagonal entry, is taken as 0: the matrix may be singular, e.g. two
/// parameters perfectly correlated).
fn cholesky(c: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    let n = c.len();
    for (i, row) in c.iter().enumerate() {
        for (j, &x) in row.iter().enumerate() {
            if !x.is_finite() {
                return Err(Error::invalid(format!("covariance[{i}][{j}]"), x, "a finite number"));
            }
        }
        if !(row[i] >= 0.0) {
            return Err(Error::invalid(
                format!("covariance[{i}][{i}]"),
                row[i],
                "a variance >= 0 on the diagonal",
            ));
        }
    }
    let scale = |i: usize, j: usize| (c[i][i] * c[j][j]).sqrt();
    for (i, row) in c.iter().enumerate() {
        for (j, &x) in row.iter().enumerate().take(i) {
            if !((x - c[j][i]).abs() <= 1e-9 * scale(i, j)) {
                return Err(Error::invalid(
                    format!("covariance[{i}][{j}]"),
                    x,
                    format!("a symmetric matrix: covariance[{j}][{i}] is {}", c[j][i]),
                ));
            }
        }
    }
    let not_psd = |i: usize| {
        Error::invalid(
            "covariance",
            format!("a matrix whose Cholesky factorisation fails at row {i}"),
            "a positive semi-definite covariance matrix",
        )
    };
    let mut l = vec![vec![0.0; n]; n];
    for j in 0..n {
        let pivot = c[j][j] - (0..j).map(|k| l[j][k] * l[j][k]).sum::<f64>();
        let tolerance = 1e-10 * c[j][j];
        if pivot < -tolerance {
            return Err(not_psd(j));
        }
        let root = if pivot > tolerance { pivot.sqrt() } else { 0.0 };
        l[j][j] = root;
        for i in j + 1..n {
            // The mean of the two triangles, symmetric to 1e-9 above.
            let cij = 0.5 * (c[i][j] + c[j][i]);
            let rest = cij - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if root > 0.0 {
                l[i][j] = rest / root;
            } else if rest.abs() > 1e-9 * scale(i, j).max(f64::MIN_POSITIVE) {
                return Err(not_psd(j));
            }
        }
    }
    Ok(l)
}

/// One of a set of weighted alternatives: what a trial that draws it sets
/// in the segments of its joint input: a decay curve, a follow-up delay
/// (both optional, each replacing the segment's) and knob values.
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::Alternative;
/// use lead_decay::whatif::Knob;
/// use lead_decay::{DecayCurve, Hours};
///
/// let weibull = Alternative::new(0.6)?
///     .with_decay(DecayCurve::weibull(Hours::from_days(20.0)?, 0.8)?)
///     .with_value(Knob::CloseRate, 0.31);
/// assert_eq!(weibull.values(), [(Knob::CloseRate, 0.31)]);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Alternative {
    weight: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decay: Option<DecayCurve>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay: Option<DelayDistribution>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    values: Vec<(Knob, f64)>,
}

impl Alternative {
    /// An alternative of weight `weight` (relative to the others' weights)
    /// that changes nothing yet.
    ///
    /// # Errors
    ///
    /// A weight that is not a finite number >= 0 (field `weight`).
    pub fn new(weight: f64) -> Result<Alternative> {
        check_weight(weight)?;
        Ok(Alternative {
            weight,
            decay: None,
            delay: None,
            values: Vec::new(),
        })
    }

    /// Replaces the segments' decay curve (before its knob values are set).
    #[must_use]
    pub fn with_decay(mut self, decay: DecayCurve) -> Alternative {
        self.decay = Some(decay);
        self
    }

    /// Replaces the segments' follow-up delay (before its knob values are
    /// set).
    #[must_use]
    pub fn with_delay(mut self, delay: DelayDistribution) -> Alternative {
        self.delay = Some(delay);
        self
    }

    /// Sets `knob` to `value` (checked against the segments by
    /// [`super::Uncertainty::check`]); the values are kept in the order of
    /// [`Knob::ALL`], and a second value for a knob replaces the first.
    #[must_use]
    pub fn with_value(mut self, knob: Knob, value: f64) -> Alternative {
        self.values.retain(|&(k, _)| k != knob);
        self.values.push((knob, value));
        self.values.sort_by_key(|&(k, _)| knob_order(k));
        self
    }

    /// Its weight, relative to the other alternatives'.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The decay curve it sets, if any.
    pub fn decay(&self) -> Option<&DecayCurve> {
        self.decay.as_ref()
    }

    /// The follow-up delay it sets, if any.
    pub fn delay(&self) -> Option<&DelayDistribution> {
        self.delay.as_ref()
    }

    /// The knob values it sets, in the order of [`Knob::ALL`].
    pub fn values(&self) -> &[(Knob, f64)] {
        &self.values
    }
}

/// The position of `knob` in [`Knob::ALL`].
pub(super) fn knob_order(knob: Knob) -> usize {
    Knob::ALL.iter().position(|&k| k == knob).unwrap_or(usize::MAX)
}

fn check_weight(weight: f64) -> Result<f64> {
    if weight.is_finite() && weight >= 0.0 {
        Ok(weight)
    } else {
        Err(Error::invalid("weight", weight, "a finite weight >= 0"))
    }
}

/// The law of a [`JointInput`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum JointLaw {
    /// A multivariate normal over several knobs: one coordinate per knob.
    Normal(JointNormal),
    /// Weighted alternatives, one drawn per trial: one coordinate.
    Alternatives {
        /// The alternatives, in order (the coordinate picks the first whose
        /// cumulative share of the total weight exceeds it).
        alternatives: Vec<Alternative>,
    },
}

/// Several inputs drawn together in the segments it names (every segment
/// when it names none): a multivariate normal over knobs, or weighted
/// alternatives. One [`super::Factor`] of a sensitivity analysis, however
/// many coordinates it owns.
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::{Alternative, JointInput, Scale};
/// use lead_decay::whatif::Knob;
/// use lead_decay::{DecayCurve, Hours};
///
/// // A fit's estimates with their covariance: close rate on the logit
/// // scale, shelf life (hours) on the log scale.
/// let fit = JointInput::normal(
///     vec![(Knob::CloseRate, Scale::Logit), (Knob::ShelfLife, Scale::Log)],
///     vec![-1.1, 720f64.ln()],
///     vec![vec![0.01, 0.002], vec![0.002, 0.04]],
/// )?
/// .in_segment("industrial");
/// assert_eq!(fit.dimension(), 2);
///
/// // Two decay shapes, weighted 0.7 and 0.3.
/// let shapes = JointInput::alternatives(vec![
///     Alternative::new(0.7)?.with_decay(DecayCurve::linear(Hours::from_days(30.0)?)?),
///     Alternative::new(0.3)?.with_decay(DecayCurve::weibull(Hours::from_days(20.0)?, 0.8)?),
/// ])?
/// .named("decay shape");
/// assert_eq!((shapes.dimension(), shapes.name()), (1, "decay shape".to_string()));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawJoint", into = "RawJoint")]
#[non_exhaustive]
pub struct JointInput {
    label: Option<String>,
    segments: Vec<String>,
    law: JointLaw,
}

/// The serde form of [`JointInput`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RawJoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    segments: Vec<String>,
    #[serde(flatten)]
    law: JointLaw,
}

impl TryFrom<RawJoint> for JointInput {
    type Error = Error;

    fn try_from(raw: RawJoint) -> Result<JointInput> {
        if let JointLaw::Alternatives { alternatives } = &raw.law {
            check_alternatives(alternatives)?;
        }
        Ok(JointInput {
            label: raw.name,
            segments: raw.segments,
            law: raw.law,
        })
    }
}

impl From<JointInput> for RawJoint {
    fn from(j: JointInput) -> RawJoint {
        RawJoint {
            name: j.label,
            segments: j.segments,
            law: j.law,
        }
    }
}

/// At least one alternative, every weight finite and >= 0, a positive
/// total.
fn check_alternatives(alternatives: &[Alternative]) -> Result<()> {
    if alternatives.is_empty() {
        return Err(Error::invalid("alternatives", "[]", "at least one alternative"));
    }
    for (i, a) in alternatives.iter().enumerate() {
        check_weight(a.weight).map_err(|e| e.within(&format!("alternatives[{i}]")))?;
    }
    if !(alternatives.iter().map(|a| a.weight).sum::<f64>() > 0.0) {
        return Err(Error::invalid(
            "alternatives",
            "weights summing to 0",
            "a positive total weight",
        ));
    }
    Ok(())
}

impl JointInput {
    /// A multivariate normal over `knobs` (see [`JointNormal::new`]), in
    /// every segment until [`JointInput::in_segment`] names some.
    ///
    /// # Errors
    ///
    /// As [`JointNormal::new`].
    pub fn normal(knobs: Vec<(Knob, Scale)>, mean: Vec<f64>, covariance: Vec<Vec<f64>>) -> Result<JointInput> {
        Ok(JointInput {
            label: None,
            segments: Vec::new(),
            law: JointLaw::Normal(JointNormal::new(knobs, mean, covariance)?),
        })
    }

    /// Weighted alternatives, one drawn per trial with probability its
    /// weight over the total.
    ///
    /// # Errors
    ///
    /// No alternatives, or weights summing to 0 (field `alternatives`).
    pub fn alternatives(alternatives: Vec<Alternative>) -> Result<JointInput> {
        check_alternatives(&alternatives)?;
        Ok(JointInput {
            label: None,
            segments: Vec::new(),
            law: JointLaw::Alternatives { alternatives },
        })
    }

    /// Also (or only, for the first call) in the segment called `name`.
    #[must_use]
    pub fn in_segment(mut self, name: impl Into<String>) -> JointInput {
        self.segments.push(name.into());
        self
    }

    /// Gives the input a name for reports (default: made from its knobs).
    #[must_use]
    pub fn named(mut self, name: impl Into<String>) -> JointInput {
        self.label = Some(name.into());
        self
    }

    /// The segments it sets; empty for every segment.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The name it was given, if any.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// Its law.
    pub fn law(&self) -> &JointLaw {
        &self.law
    }

    /// The input's name in reports: its given name, else its knobs
    /// (`joint(close-rate,shelf-life)`) or `alternatives`, with the segments
    /// when it does not set them all.
    pub fn name(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        let what = match &self.law {
            JointLaw::Normal(n) => format!(
                "joint({})",
                n.knobs.iter().map(|k| k.0.name()).collect::<Vec<_>>().join(",")
            ),
            JointLaw::Alternatives { .. } => "alternatives".to_owned(),
        };
        if self.segments.is_empty() {
            what
        } else {
            format!("{what}[{}]", self.segments.join(","))
        }
    }

    /// The coordinates of the unit cube it owns: one per knob of a normal,
    /// one for alternatives.
    pub fn dimension(&self) -> usize {
        match &self.law {
            JointLaw::Normal(n) => n.dimension(),
            JointLaw::Alternatives { .. } => 1,
        }
    }

    /// The alternative drawn at the coordinate `u` (clamped to `[0, 1]`):
    /// the first whose cumulative weight exceeds `u` times the total.
    /// `None` for a normal.
    pub fn alternative_at(&self, u: f64) -> Option<&Alternative> {
        let JointLaw::Alternatives { alternatives } = &self.law else {
            return None;
        };
        let total: f64 = alternatives.iter().map(|a| a.weight).sum();
        let target = if u.is_nan() { 0.0 } else { u.clamp(0.0, 1.0) } * total;
        let mut cumulative = 0.0;
        for a in alternatives {
            cumulative += a.weight;
            if target < cumulative {
                return Some(a);
            }
        }
        alternatives.iter().rev().find(|a| a.weight > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::Hours;

    #[test]
    fn a_joint_normal_draws_mean_plus_its_cholesky_factor_times_normal_quantiles() {
        let joint = JointNormal::new(
            vec![(Knob::CloseRate, Scale::Logit), (Knob::ShelfLife, Scale::Log)],
            vec![-1.0, 6.0],
            vec![vec![0.04, 0.03], vec![0.03, 0.09]],
        )
        .unwrap();
        // L = [[0.2, 0], [0.15, sqrt(0.09 - 0.0225)]].
        let l11 = (0.09f64 - 0.0225).sqrt();
        assert!((joint.factor[1][1] - l11).abs() < 1e-15 && (joint.factor[1][0] - 0.15).abs() < 1e-15);
        let centre = joint.values(&[0.5, 0.5]);
        assert_eq!(centre[0], (Knob::CloseRate, 1.0 / (1.0 + 1f64.exp())));
        assert_eq!(centre[1], (Knob::ShelfLife, 6f64.exp()));
        let z = normal_quantile(0.1);
        let v = joint.values(&[0.1, 0.5]);
        assert!((Scale::Logit.coordinate(v[0].1) - (-1.0 + 0.2 * z)).abs() < 1e-12);
        assert!((v[1].1.ln() - (6.0 + 0.15 * z)).abs() < 1e-12);
        let reach = joint.reach();
        let half = z_reach() * (0.15 + l11);
        assert!((reach[1].1[2].ln() - (6.0 + half)).abs() < 1e-12);
        assert!((z_reach() - 8.209_536_151_601_387).abs() < 1e-9);
    }

    #[test]
    fn a_singular_covariance_is_accepted_and_a_bad_one_named() {
        // Perfectly correlated: positive semi-definite, not definite.
        let ok = JointNormal::new(
            vec![(Knob::CloseRate, Scale::Logit), (Knob::NeverFollowedUp, Scale::Logit)],
            vec![0.0, 0.0],
            vec![vec![1.0, 1.0], vec![1.0, 1.0]],
        )
        .unwrap();
        let v = ok.values(&[0.3, 0.9]);
        assert!((v[0].1 - v[1].1).abs() < 1e-15);
        let knobs = || vec![(Knob::CloseRate, Scale::Logit), (Knob::NeverFollowedUp, Scale::Logit)];
        let field = |r: Result<JointNormal>| r.unwrap_err().field().unwrap().to_owned();
        assert_eq!(
            field(JointNormal::new(
                knobs(),
                vec![0.0, 0.0],
                vec![vec![1.0, 2.0], vec![2.0, 1.0]]
            )),
            "covariance"
        );
        assert_eq!(
            field(JointNormal::new(
                knobs(),
                vec![0.0, 0.0],
                vec![vec![1.0, 0.5], vec![0.4, 1.0]]
            )),
            "covariance[1][0]"
        );
        assert_eq!(
            field(JointNormal::new(
                knobs(),
                vec![0.0, 0.0],
                vec![vec![-1.0, 0.0], vec![0.0, 1.0]]
            )),
            "covariance[0][0]"
        );
        assert_eq!(
            field(JointNormal::new(
                knobs(),
                vec![0.0],
                vec![vec![1.0, 0.0], vec![0.0, 1.0]]
            )),
            "mean"
        );
        assert_eq!(
            field(JointNormal::new(knobs(), vec![0.0, 0.0], vec![vec![1.0, 0.0]])),
            "covariance"
        );
        assert_eq!(
            field(JointNormal::new(
                vec![(Knob::Sqls, Scale::Log)],
                vec![0.0],
                vec![vec![1.0]]
            )),
            "knobs[0]"
        );
        assert_eq!(
            field(JointNormal::new(
                vec![(Knob::CloseRate, Scale::Logit), (Knob::CloseRate, Scale::Identity)],
                vec![0.0, 0.0],
                vec![vec![1.0, 0.0], vec![0.0, 1.0]]
            )),
            "knobs[1]"
        );
        assert_eq!(field(JointNormal::new(vec![], vec![], vec![])), "knobs");
    }

    #[test]
    fn alternatives_are_drawn_in_proportion_to_their_weights() {
        let h = |d: f64| Hours::from_days(d).unwrap();
        let joint = JointInput::alternatives(vec![
            Alternative::new(3.0)
                .unwrap()
                .with_decay(DecayCurve::linear(h(30.0)).unwrap()),
            Alternative::new(0.0).unwrap().with_value(Knob::CloseRate, 0.9),
            Alternative::new(1.0)
                .unwrap()
                .with_decay(DecayCurve::step(h(10.0)).unwrap()),
        ])
        .unwrap();
        let pick = |u: f64| joint.alternative_at(u).unwrap().weight();
        assert_eq!((pick(0.0), pick(0.7499), pick(0.75), pick(1.0)), (3.0, 3.0, 1.0, 1.0));
        assert_eq!(joint.dimension(), 1);
        assert_eq!(joint.name(), "alternatives");
        assert!(JointInput::alternatives(vec![]).is_err());
        assert!(JointInput::alternatives(vec![Alternative::new(0.0).unwrap()]).is_err());
        assert_eq!(Alternative::new(f64::NAN).unwrap_err().field(), Some("weight"));
        let a = Alternative::new(1.0)
            .unwrap()
            .with_value(Knob::Sla, 2.0)
            .with_value(Knob::CloseRate, 0.2)
            .with_value(Knob::Sla, 3.0);
        assert_eq!(a.values(), [(Knob::Sla, 3.0), (Knob::CloseRate, 0.2)]);
    }

    #[test]
    fn joint_inputs_round_trip_through_serde_and_are_validated_on_the_way_in() {
        let h = |d: f64| Hours::from_days(d).unwrap();
        for joint in [
            JointInput::normal(
                vec![(Knob::CloseRate, Scale::Logit), (Knob::ShelfLife, Scale::Log)],
                vec![-1.0, 6.0],
                vec![vec![0.04, 0.03], vec![0.03, 0.09]],
            )
            .unwrap()
            .in_segment("a")
            .named("fit"),
            JointInput::alternatives(vec![
                Alternative::new(0.5)
                    .unwrap()
                    .with_decay(DecayCurve::weibull(h(20.0), 0.8).unwrap())
                    .with_delay(DelayDistribution::lognormal(h(0.5), 1.1).unwrap())
                    .with_value(Knob::CloseRate, 0.3),
                Alternative::new(0.5).unwrap(),
            ])
            .unwrap(),
        ] {
            let json = serde_json::to_string(&joint).unwrap();
            assert_eq!(serde_json::from_str::<JointInput>(&json).unwrap(), joint, "{json}");
        }
        let bad = r#"{"dist":"normal","knobs":["close-rate"],"scales":["logit"],"mean":[0],"covariance":[[-1]]}"#;
        assert!(serde_json::from_str::<JointInput>(bad).is_err());
        let bad = r#"{"dist":"alternatives","alternatives":[{"weight":-1}]}"#;
        assert!(serde_json::from_str::<JointInput>(bad).is_err());
        assert_eq!("logit".parse::<Scale>().unwrap(), Scale::Logit);
        assert!("probit".parse::<Scale>().is_err());
    }
}
