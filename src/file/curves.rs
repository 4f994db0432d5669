//! A segment's `decay`: a preset name or a shape table.

use serde::{Deserialize, Serialize};

use super::params::{Params, present, scalar_or_table};
use crate::error::{Error, Result};
use crate::model::decay::{DecayCurve, DecayPreset, DecayShape};
use crate::model::duration::Hours;

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
    shelf_life: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    half_life: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scale: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    points: Option<Vec<(Hours, f64)>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<Hours>,
}

scalar_or_table!(
    DecaySpec,
    "a decay: a preset name such as \"b2b-industrial\", or a table such as { shape = \"linear\", shelf_life = \"30d\" }",
    string(String) => Preset,
    table => Curve(DecayCurveSpec)
);
impl DecaySpec {
    pub(super) fn into_curve(self) -> Result<DecayCurve> {
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
                let shelf_life = params.require("shelf_life", spec.shelf_life)?;
                if spec.shape == "step" {
                    DecayCurve::step(shelf_life)
                } else {
                    DecayCurve::linear(shelf_life)
                }
            }
            "exponential" => {
                params.only(&["half_life"])?;
                DecayCurve::exponential(params.require("half_life", spec.half_life)?)
            }
            "weibull" => {
                params.only(&["scale", "k"])?;
                DecayCurve::weibull(params.require("scale", spec.scale)?, params.require("k", spec.k)?)
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
                DecayCurve::schedule(
                    params.require("rate", spec.rate)?,
                    params.require("period", spec.period)?,
                )
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
        let h = Hours::trusted;
        let spec = match *curve.shape() {
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
                k: Some(k),
                ..Default::default()
            },
            DecayShape::Table { ref points } => DecayCurveSpec {
                shape: "table".into(),
                points: Some(points.iter().skip(1).map(|&(t, f)| (h(t), f)).collect()),
                ..Default::default()
            },
            DecayShape::Schedule { rate, period } => DecayCurveSpec {
                shape: "schedule".into(),
                rate: Some(rate),
                period: Some(h(period)),
                ..Default::default()
            },
        };
        DecaySpec::Curve(spec)
    }
}
