//! A delay law as written: the follow-up delay, handling times, return
//! delays (`{ dist = "exponential", mean = "2d" }`).

use serde::{Deserialize, Serialize};

use super::params::{Params, present};
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, DelayShape};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DelaySpec {
    dist: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mean: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    median: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sigma: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shape: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    samples: Option<Vec<Hours>>,
}

impl DelaySpec {
    pub(super) fn into_distribution(self) -> Result<DelayDistribution> {
        let params = Params {
            family_key: "dist",
            family: &self.dist,
            present: present([
                ("delay", self.delay.is_some()),
                ("mean", self.mean.is_some()),
                ("median", self.median.is_some()),
                ("sigma", self.sigma.is_some()),
                ("shape", self.shape.is_some()),
                ("min", self.min.is_some()),
                ("max", self.max.is_some()),
                ("samples", self.samples.is_some()),
            ]),
        };
        match self.dist.as_str() {
            "fixed" => {
                params.only(&["delay"])?;
                DelayDistribution::fixed(params.require("delay", self.delay)?)
            }
            "exponential" => {
                params.only(&["mean"])?;
                DelayDistribution::exponential(params.require("mean", self.mean)?)
            }
            "lognormal" => {
                params.only(&["median", "sigma"])?;
                DelayDistribution::lognormal(
                    params.require("median", self.median)?,
                    params.require("sigma", self.sigma)?,
                )
            }
            "gamma" => {
                params.only(&["mean", "shape"])?;
                DelayDistribution::gamma(params.require("mean", self.mean)?, params.require("shape", self.shape)?)
            }
            "uniform" => {
                params.only(&["min", "max"])?;
                DelayDistribution::uniform(params.require("min", self.min)?, params.require("max", self.max)?)
            }
            "empirical" => {
                params.only(&["samples"])?;
                let samples = self
                    .samples
                    .ok_or_else(|| params.require::<()>("samples", None).unwrap_err())?;
                DelayDistribution::empirical(&samples)
            }
            other => Err(Error::invalid(
                "dist",
                format!("{other:?}"),
                "a follow-up distribution: \"fixed\", \"exponential\", \"lognormal\", \"gamma\", \"uniform\" or \"empirical\"",
            )),
        }
    }

    pub(super) fn from_distribution(delay: &DelayDistribution) -> DelaySpec {
        let h = Hours::trusted;
        match *delay.shape() {
            DelayShape::Fixed { delay } => DelaySpec {
                dist: "fixed".into(),
                delay: Some(h(delay)),
                ..Default::default()
            },
            DelayShape::Exponential { mean } => DelaySpec {
                dist: "exponential".into(),
                mean: Some(h(mean)),
                ..Default::default()
            },
            DelayShape::LogNormal { median, sigma } => DelaySpec {
                dist: "lognormal".into(),
                median: Some(h(median)),
                sigma: Some(sigma),
                ..Default::default()
            },
            DelayShape::Gamma { mean, shape } => DelaySpec {
                dist: "gamma".into(),
                mean: Some(h(mean)),
                shape: Some(shape),
                ..Default::default()
            },
            DelayShape::Uniform { min, max } => DelaySpec {
                dist: "uniform".into(),
                min: Some(h(min)),
                max: Some(h(max)),
                ..Default::default()
            },
            DelayShape::Empirical { ref samples } => DelaySpec {
                dist: "empirical".into(),
                samples: Some(samples.iter().copied().map(h).collect()),
                ..Default::default()
            },
        }
    }
}
