//! A segment's `decay`: a preset name or a shape table.

use serde::{Deserialize, Serialize};

use super::params::{Params, present, scalar_or_table};
use super::uncertain::{Context, Param};
use crate::error::{Error, Result};
use crate::model::decay::{DecayCurve, DecayPreset, DecayShape};
use crate::model::duration::Hours;
use crate::model::knob::Knob;

/// A preset name, or a shape table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum DecaySpec {
    Preset(String),
    Curve(DecayCurveSpec),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecayCurveSpec {
    shape: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) shelf_life: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) half_life: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) k: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    points: Option<Vec<(Hours, f64)>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rate: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) period: Option<Param<Hours>>,
}

scalar_or_table!(
    DecaySpec,
    "a decay: a preset name such as \"b2b-industrial\", or a table such as { shape = \"linear\", shelf_life = \"30d\" }",
    string(String) => Preset,
    table => Curve(DecayCurveSpec)
);
impl DecaySpec {
    /// The curve; its numbers may be uncertain where `ctx` collects them
    /// (each time scale is the `shelf-life` knob, `k` the `weibull-shape`
    /// and `rate` the `schedule-rate`; the segment keeps their base values).
    pub(super) fn into_curve(self, ctx: &mut Context<'_>) -> Result<DecayCurve> {
        let spec = match self {
            DecaySpec::Preset(name) => return Ok(DecayPreset::from_name(&name)?.curve()),
            DecaySpec::Curve(spec) => spec,
        };
        let params = Params {
            family_key: "shape",
            family: &spec.shape,
            present: present([
                ("shelf_life", spec.shelf_life.is_some()),
                ("half_life", spec.half_life.is_some()),
                ("scale", spec.scale.is_some()),
                ("k", spec.k.is_some()),
                ("points", spec.points.is_some()),
                ("rate", spec.rate.is_some()),
                ("period", spec.period.is_some()),
            ]),
        };
        match spec.shape.as_str() {
            "step" | "linear" => {
                params.only(&["shelf_life"])?;
                let shelf_life = ctx.hours(
                    params.require("shelf_life", spec.shelf_life)?,
                    Knob::ShelfLife,
                    "shelf_life",
                )?;
                if spec.shape == "step" {
                    DecayCurve::step(shelf_life)
                } else {
                    DecayCurve::linear(shelf_life)
                }
            }
            "exponential" => {
                params.only(&["half_life"])?;
                let half_life = params.require("half_life", spec.half_life)?;
                DecayCurve::exponential(ctx.hours(half_life, Knob::ShelfLife, "half_life")?)
            }
            "weibull" => {
                params.only(&["scale", "k"])?;
                let scale = ctx.hours(params.require("scale", spec.scale)?, Knob::ShelfLife, "scale")?;
                let k = ctx.number(params.require("k", spec.k)?, Knob::WeibullShape, "k")?;
                DecayCurve::weibull(scale, k)
            }
            "table" => {
                params.only(&["points"])?;
                let points = spec
                    .points
                    .ok_or_else(|| params.require::<()>("points", None).unwrap_err())?;
                DecayCurve::table(&points)
            }
            "schedule" => {
                params.only(&["rate", "period"])?;
                let period = ctx.hours(params.require("period", spec.period)?, Knob::ShelfLife, "period")?;
                let rate = ctx.number(params.require("rate", spec.rate)?, Knob::ScheduleRate, "rate")?;
                DecayCurve::schedule(rate, period)
            }
            other => Err(Error::invalid(
                "shape",
                format!("{other:?}"),
                "a decay shape: \"step\", \"linear\", \"exponential\", \"weibull\", \"table\" or \"schedule\"",
            )),
        }
    }

    pub(super) fn from_curve(curve: &DecayCurve) -> DecaySpec {
        if let Some(preset) = DecayPreset::ALL.into_iter().find(|p| p.curve() == *curve) {
            return DecaySpec::Preset(preset.name().to_owned());
        }
        DecaySpec::Curve(DecaySpec::table_of(curve))
    }

    /// The curve as a table, even when it is a preset (to write an
    /// uncertain number in it).
    pub(super) fn table_of(curve: &DecayCurve) -> DecayCurveSpec {
        let h = |x: f64| Param::Value(Hours::trusted(x));
        let v = Param::Value;
        match *curve.shape() {
            DecayShape::Step { shelf_life } => DecayCurveSpec {
                shape: "step".into(),
                shelf_life: Some(h(shelf_life)),
                ..Default::default()
            },
            DecayShape::Linear { shelf_life } => DecayCurveSpec {
                shape: "linear".into(),
                shelf_life: Some(h(shelf_life)),
                ..Default::default()
            },
            DecayShape::Exponential { half_life } => DecayCurveSpec {
                shape: "exponential".into(),
                half_life: Some(h(half_life)),
                ..Default::default()
            },
            DecayShape::Weibull { scale, k } => DecayCurveSpec {
                shape: "weibull".into(),
                scale: Some(h(scale)),
                k: Some(v(k)),
                ..Default::default()
            },
            DecayShape::Table { ref points } => DecayCurveSpec {
                shape: "table".into(),
                points: Some(points.iter().skip(1).map(|&(t, f)| (Hours::trusted(t), f)).collect()),
                ..Default::default()
            },
            DecayShape::Schedule { rate, period } => DecayCurveSpec {
                shape: "schedule".into(),
                rate: Some(v(rate)),
                period: Some(h(period)),
                ..Default::default()
            },
        }
    }
}
