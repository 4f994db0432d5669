//! A delay law as written: the follow-up delay, handling times, return
//! delays (`{ dist = "exponential", mean = "2d" }`).

use serde::{Deserialize, Serialize};

use super::params::{Params, present};
use super::uncertain::{Context, Param};
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, DelayShape};
use crate::model::knob::Knob;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DelaySpec {
    dist: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) delay: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) mean: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) median: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) sigma: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) shape: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) min: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) max: Option<Param<Hours>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    samples: Option<Vec<Hours>>,
    /// `"working"` or `"calendar"`: only a segment's `follow_up` has a
    /// clock (`business_hours.rs` takes it out first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clock: Option<String>,
}

impl DelaySpec {
    /// Takes the `clock` key out (a segment's follow-up delay).
    pub(super) fn take_clock(&mut self) -> Option<String> {
        self.clock.take()
    }

    /// With `clock` written.
    pub(super) fn with_clock(self, clock: Option<String>) -> DelaySpec {
        DelaySpec { clock, ..self }
    }

    /// The family's name as written (`"lognormal"`).
    pub(super) fn family(&self) -> &str {
        &self.dist
    }

    /// The distribution; its numbers may be uncertain where `ctx` collects
    /// them (a follow-up delay's: `mean` and a fixed `delay` are the
    /// `follow-up-mean` knob, `median`, `sigma`, `shape`, `min` and `max`
    /// the `follow-up-*` knobs of those names).
    pub(super) fn into_distribution(self, ctx: &mut Context<'_>) -> Result<DelayDistribution> {
        if let Some(clock) = &self.clock {
            return Err(Error::invalid(
                "clock",
                format!("{clock:?}"),
                "no clock here: only a segment's `follow_up` delay may run on the working clock",
            ));
        }
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
                let delay = ctx.hours(params.require("delay", self.delay)?, Knob::FollowUpMean, "delay")?;
                DelayDistribution::fixed(delay)
            }
            "exponential" => {
                params.only(&["mean"])?;
                DelayDistribution::exponential(ctx.hours(
                    params.require("mean", self.mean)?,
                    Knob::FollowUpMean,
                    "mean",
                )?)
            }
            "lognormal" => {
                params.only(&["median", "sigma"])?;
                let median = ctx.hours(params.require("median", self.median)?, Knob::FollowUpMedian, "median")?;
                let sigma = ctx.number(params.require("sigma", self.sigma)?, Knob::FollowUpSigma, "sigma")?;
                DelayDistribution::lognormal(median, sigma)
            }
            "gamma" => {
                params.only(&["mean", "shape"])?;
                let mean = ctx.hours(params.require("mean", self.mean)?, Knob::FollowUpMean, "mean")?;
                let shape = ctx.number(params.require("shape", self.shape)?, Knob::FollowUpShape, "shape")?;
                DelayDistribution::gamma(mean, shape)
            }
            "uniform" => {
                params.only(&["min", "max"])?;
                let min = ctx.hours(params.require("min", self.min)?, Knob::FollowUpMin, "min")?;
                let max = ctx.hours(params.require("max", self.max)?, Knob::FollowUpMax, "max")?;
                DelayDistribution::uniform(min, max)
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
        let h = |x: f64| Param::Value(Hours::trusted(x));
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
                sigma: Some(Param::Value(sigma)),
                ..Default::default()
            },
            DelayShape::Gamma { mean, shape } => DelaySpec {
                dist: "gamma".into(),
                mean: Some(h(mean)),
                shape: Some(Param::Value(shape)),
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
                samples: Some(samples.iter().copied().map(Hours::trusted).collect()),
                ..Default::default()
            },
        }
    }
}
