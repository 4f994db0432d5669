//! A `[[segments]]` entry: the cohort's size, close rate, deal value, decay
//! and follow-up.

use serde::{Deserialize, Serialize};

use super::business_hours::{ArrivalsSpec, SegmentClocks};
use super::curves::DecaySpec;
use super::delays::DelaySpec;
use super::params::scalar_or_table;
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::{Error, Result};
use crate::model::deal_value::{DealValue, DealValueShape};
use crate::model::duration::Hours;
use crate::model::follow_up::{FollowUpPreset, Neglect};
use crate::model::segment::Segment;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SegmentSpec {
    name: String,
    sqls: u64,
    close_rate: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instant_response_share: Option<f64>,
    deal_value: DealValueSpec,
    decay: DecaySpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    neglected: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    never_followed_up: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<FollowUpSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla: Option<Hours>,
    // Business hours: see `business_hours.rs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla_clock: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrivals: Option<ArrivalsSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    calendar: Option<CalendarSpec>,
}

/// A follow-up preset name (neglect and delay), or a delay table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum FollowUpSpec {
    Preset(String),
    Delay(DelaySpec),
}

/// A number, or a distribution table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum DealValueSpec {
    Fixed(f64),
    Distribution(DealValueDistSpec),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DealValueDistSpec {
    dist: String,
    mean: f64,
    cv: f64,
}

scalar_or_table!(
    FollowUpSpec,
    "a follow-up: a preset name such as \"hbr-2011-audit\", or a table such as { dist = \"exponential\", mean = \"2d\" }",
    string(String) => Preset,
    table => Delay(DelaySpec)
);

scalar_or_table!(
    DealValueSpec,
    "a deal value: a number, or a table such as { dist = \"lognormal\", mean = 100000, cv = 0.5 }",
    number(f64) => Fixed,
    table => Distribution(DealValueDistSpec)
);

impl SegmentSpec {
    /// The segment, on the file's top-level `[calendar]` where its
    /// business-hours keys ask for one.
    pub(super) fn into_segment(mut self, top: Option<&Calendar>) -> Result<Segment> {
        let clocks = SegmentClocks {
            calendar: self.calendar.take(),
            arrivals: self.arrivals.take(),
            delay_clock: match &mut self.follow_up {
                Some(FollowUpSpec::Delay(delay)) => delay.take_clock(),
                _ => None,
            },
            sla_clock: self.sla_clock.take(),
            has_sla: self.sla.is_some(),
        };
        let hours = clocks.into_business_hours(top)?;
        let segment = self.into_plain_segment()?;
        Ok(match hours {
            Some(hours) => segment.with_business_hours(Some(hours)),
            None => segment,
        })
    }

    fn into_plain_segment(self) -> Result<Segment> {
        let mut builder = Segment::builder(self.name)
            .sqls(self.sqls)
            .close_rate(self.close_rate)
            .deal_value(self.deal_value.into_deal_value().map_err(|e| e.within("deal_value"))?)
            .decay(self.decay.into_curve().map_err(|e| e.within("decay"))?);
        if let Some(share) = self.instant_response_share {
            builder = builder.instant_response_share(share);
        }
        if let Some(k) = self.neglected {
            builder = builder.neglected(k);
        }
        if let Some(q) = self.never_followed_up {
            builder = builder.never_followed_up(q);
        }
        match self.follow_up {
            None => {}
            Some(FollowUpSpec::Delay(delay)) => {
                builder = builder.delay(delay.into_distribution().map_err(|e| e.within("follow_up"))?);
            }
            Some(FollowUpSpec::Preset(name)) => {
                let preset = FollowUpPreset::from_name(&name).map_err(|e| e.within("follow_up"))?;
                if let Some(key) = [
                    ("neglected", self.neglected.is_some()),
                    ("never_followed_up", self.never_followed_up.is_some()),
                ]
                .into_iter()
                .find_map(|(key, given)| given.then_some(key))
                {
                    return Err(Error::invalid(
                        key,
                        "given",
                        format!(
                            "no `{key}`: follow_up = {:?} already sets who is never followed up",
                            preset.name()
                        ),
                    ));
                }
                let follow_up = preset.follow_up();
                if let Neglect::Probability(q) = follow_up.neglect() {
                    builder = builder.never_followed_up(q);
                }
                builder = builder.delay(follow_up.delay().clone());
            }
        }
        if let Some(sla) = self.sla {
            builder = builder.sla(sla);
        }
        builder.build()
    }

    /// The entry that reads back as `segment` in a file whose top-level
    /// `[calendar]` is `top`.
    pub(super) fn from_segment(segment: &Segment, top: Option<&Calendar>) -> SegmentSpec {
        let clocks = SegmentClocks::from_segment(segment, top);
        let follow_up = segment.follow_up();
        // A preset name cannot carry a clock: a working-clock delay is
        // written as its table.
        let preset = follow_up.preset().filter(|_| clocks.delay_clock.is_none());
        let (neglected, never_followed_up) = match follow_up.neglect() {
            _ if preset.is_some() => (None, None),
            Neglect::None => (None, None),
            Neglect::Count(k) => (Some(k), None),
            Neglect::Probability(q) => (None, Some(q)),
        };
        let follow_up_spec = match preset {
            Some(preset) => Some(FollowUpSpec::Preset(preset.name().to_owned())),
            // A working-clock delay of zero still waits for the next opening.
            None => (!follow_up.delay().is_immediate() || clocks.delay_clock.is_some()).then(|| {
                FollowUpSpec::Delay(DelaySpec::from_distribution(follow_up.delay()).with_clock(clocks.delay_clock))
            }),
        };
        SegmentSpec {
            name: segment.name().to_owned(),
            sqls: segment.sqls(),
            close_rate: segment.qualified_close_rate(),
            instant_response_share: (segment.instant_response_share() != 1.0).then(|| segment.instant_response_share()),
            deal_value: DealValueSpec::from_deal_value(segment.deal_value()),
            decay: DecaySpec::from_curve(segment.decay()),
            neglected,
            never_followed_up,
            follow_up: follow_up_spec,
            sla: follow_up.sla(),
            sla_clock: clocks.sla_clock,
            arrivals: clocks.arrivals,
            calendar: clocks.calendar,
        }
    }
}

impl DealValueSpec {
    pub(super) fn into_deal_value(self) -> Result<DealValue> {
        match self {
            DealValueSpec::Fixed(value) => DealValue::fixed(value).map_err(|e| e.at_field("")),
            DealValueSpec::Distribution(d) => match d.dist.as_str() {
                "lognormal" => DealValue::lognormal(d.mean, d.cv),
                "gamma" => DealValue::gamma(d.mean, d.cv),
                other => Err(Error::invalid(
                    "dist",
                    format!("{other:?}"),
                    "a deal-value distribution: \"lognormal\" or \"gamma\"",
                )),
            },
        }
    }

    pub(super) fn from_deal_value(value: &DealValue) -> DealValueSpec {
        match value.shape() {
            DealValueShape::Fixed { value } => DealValueSpec::Fixed(value),
            DealValueShape::LogNormal { mean, cv } => DealValueSpec::Distribution(DealValueDistSpec {
                dist: "lognormal".into(),
                mean,
                cv,
            }),
            DealValueShape::Gamma { mean, cv } => DealValueSpec::Distribution(DealValueDistSpec {
                dist: "gamma".into(),
                mean,
                cv,
            }),
        }
    }
}
