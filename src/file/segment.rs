//! A `[[segments]]` entry: the cohort's size, close rate, deal value, decay
//! and follow-up; any of its numbers may be uncertain.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::business_hours::{ArrivalsSpec, SegmentClocks};
use super::curves::{DecayCurveSpec, DecaySpec};
use super::delays::DelaySpec;
use super::params::{Params, present, scalar_or_table};
use super::uncertain::{Context, InputSpec, Param};
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::{Error, Result};
use crate::model::deal_value::{DealValue, DealValueShape};
use crate::model::duration::Hours;
use crate::model::follow_up::{FollowUpPreset, Neglect};
use crate::model::knob::Knob;
use crate::model::segment::Segment;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SegmentSpec {
    name: String,
    sqls: Param<u64>,
    close_rate: Param<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instant_response_share: Option<Param<f64>>,
    deal_value: DealValueSpec,
    decay: DecaySpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    neglected: Option<Param<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    never_followed_up: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<FollowUpSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla: Option<Param<Hours>>,
    // Business hours: see `business_hours.rs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla_clock: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrivals: Option<ArrivalsSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auto_response: Option<Hours>,
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

/// `{ dist = "lognormal", mean = 100000, cv = 0.5 }`, or `{ dist = "fixed",
/// value = ... }` (the spelling of a fixed value that is uncertain).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct DealValueDistSpec {
    dist: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mean: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cv: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Param<f64>>,
    /// The parameters of an uncertain input's distribution, read only to
    /// say that `dist` here is the deal value's family (see
    /// [`DealValueSpec::into_deal_value`]).
    #[serde(flatten, skip_serializing)]
    misplaced: BTreeMap<String, IgnoredAny>,
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
    /// business-hours keys ask for one; its uncertain numbers at their base
    /// values (collected by `ctx` when it is a scenario's segment, refused
    /// otherwise).
    pub(super) fn into_segment(mut self, ctx: &mut Context<'_>, top: Option<&Calendar>) -> Result<Segment> {
        let clocks = SegmentClocks {
            calendar: self.calendar.take(),
            arrivals: self.arrivals.take(),
            delay_clock: match &mut self.follow_up {
                Some(FollowUpSpec::Delay(delay)) => delay.take_clock(),
                _ => None,
            },
            sla_clock: self.sla_clock.take(),
            auto_response: self.auto_response.take(),
            has_sla: self.sla.is_some(),
        };
        let hours = clocks.into_business_hours(top)?;
        let segment = self.into_plain_segment(ctx)?;
        Ok(match hours {
            Some(hours) => segment.with_business_hours(Some(hours)),
            None => segment,
        })
    }

    /// The segment, its uncertain numbers at their base values (collected
    /// by `ctx` when it is a scenario's segment, refused otherwise).
    ///
    /// The numbers are read in this order: `sqls`, `close_rate`,
    /// `deal_value`, `decay`, `instant_response_share`, `neglected`,
    /// `never_followed_up`, `follow_up`, `sla`.
    fn into_plain_segment(self, ctx: &mut Context<'_>) -> Result<Segment> {
        let mut builder = Segment::builder(self.name)
            .sqls(ctx.count(self.sqls, Knob::Sqls, "sqls")?)
            .close_rate(ctx.number(self.close_rate, Knob::CloseRate, "close_rate")?);
        let deal_value = self.deal_value.into_deal_value(&mut ctx.at("deal_value"));
        builder = builder.deal_value(deal_value.map_err(|e| e.within("deal_value"))?);
        let decay = self.decay.into_curve(&mut ctx.at("decay"));
        builder = builder.decay(decay.map_err(|e| e.within("decay"))?);
        if let Some(share) = self.instant_response_share {
            let share = ctx.number(share, Knob::InstantResponseShare, "instant_response_share")?;
            builder = builder.instant_response_share(share);
        }
        let neglected_given = self.neglected.is_some();
        let never_given = self.never_followed_up.is_some();
        if let Some(k) = self.neglected {
            builder = builder.neglected(ctx.count(k, Knob::Neglected, "neglected")?);
        }
        if let Some(q) = self.never_followed_up {
            builder = builder.never_followed_up(ctx.number(q, Knob::NeverFollowedUp, "never_followed_up")?);
        }
        match self.follow_up {
            None => {}
            Some(FollowUpSpec::Delay(delay)) => {
                let delay = delay.into_distribution(&mut ctx.at("follow_up"));
                builder = builder.delay(delay.map_err(|e| e.within("follow_up"))?);
            }
            Some(FollowUpSpec::Preset(name)) => {
                let preset = FollowUpPreset::from_name(&name).map_err(|e| e.within("follow_up"))?;
                if let Some(key) = [("neglected", neglected_given), ("never_followed_up", never_given)]
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
            builder = builder.sla(ctx.hours(sla, Knob::Sla, "sla")?);
        }
        builder.build()
    }

    /// The segment's name as written.
    pub(super) fn name(&self) -> &str {
        &self.name
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
            Neglect::Count(k) => (Some(Param::Value(k)), None),
            Neglect::Probability(q) => (None, Some(Param::Value(q))),
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
            sqls: Param::Value(segment.sqls()),
            close_rate: Param::Value(segment.qualified_close_rate()),
            instant_response_share: (segment.instant_response_share() != 1.0)
                .then(|| Param::Value(segment.instant_response_share())),
            deal_value: DealValueSpec::from_deal_value(segment.deal_value()),
            decay: DecaySpec::from_curve(segment.decay()),
            neglected,
            never_followed_up,
            follow_up: follow_up_spec,
            sla: follow_up.sla().map(Param::Value),
            sla_clock: clocks.sla_clock,
            arrivals: clocks.arrivals,
            auto_response: clocks.auto_response,
            calendar: clocks.calendar,
        }
    }

    /// Writes `table` in the key of `knob` (the decay or deal value turned
    /// into a table if need be); `false` when the segment as written has no
    /// such key, or it already holds an uncertain value.
    pub(super) fn put_inline(&mut self, segment: &Segment, knob: Knob, table: InputSpec) -> bool {
        let table = Box::new(table);
        fn put<T>(slot: &mut Option<Param<T>>, table: Box<InputSpec>) -> bool {
            match slot {
                Some(Param::Value(_)) => {
                    *slot = Some(Param::Uncertain(table));
                    true
                }
                _ => false,
            }
        }
        match knob {
            Knob::Sqls => match self.sqls {
                Param::Value(_) => {
                    self.sqls = Param::Uncertain(table);
                    true
                }
                Param::Uncertain(_) => false,
            },
            Knob::CloseRate => match self.close_rate {
                Param::Value(_) => {
                    self.close_rate = Param::Uncertain(table);
                    true
                }
                Param::Uncertain(_) => false,
            },
            Knob::Neglected => put(&mut self.neglected, table),
            // Optional, 1 when left out: an uncertain share may take its place.
            Knob::InstantResponseShare => match self.instant_response_share {
                None | Some(Param::Value(_)) => {
                    self.instant_response_share = Some(Param::Uncertain(table));
                    true
                }
                Some(Param::Uncertain(_)) => false,
            },
            Knob::NeverFollowedUp => put(&mut self.never_followed_up, table),
            Knob::Sla => put(&mut self.sla, table),
            Knob::DealValue | Knob::DealValueCv => {
                if let DealValueSpec::Fixed(value) = self.deal_value {
                    if knob == Knob::DealValueCv {
                        return false;
                    }
                    self.deal_value = DealValueSpec::Distribution(DealValueDistSpec {
                        dist: "fixed".into(),
                        mean: None,
                        cv: None,
                        value: Some(Param::Value(value)),
                        misplaced: BTreeMap::new(),
                    });
                }
                let DealValueSpec::Distribution(spec) = &mut self.deal_value else {
                    return false;
                };
                match knob {
                    Knob::DealValueCv => put(&mut spec.cv, table),
                    _ if spec.dist == "fixed" => put(&mut spec.value, table),
                    _ => put(&mut spec.mean, table),
                }
            }
            Knob::ShelfLife | Knob::WeibullShape | Knob::ScheduleRate => {
                if let DecaySpec::Preset(_) = self.decay {
                    self.decay = DecaySpec::Curve(DecaySpec::table_of(segment.decay()));
                }
                let DecaySpec::Curve(curve) = &mut self.decay else {
                    return false;
                };
                put_in_curve(curve, knob, table)
            }
            Knob::FollowUpMean
            | Knob::FollowUpMedian
            | Knob::FollowUpSigma
            | Knob::FollowUpShape
            | Knob::FollowUpMin
            | Knob::FollowUpMax => {
                let Some(FollowUpSpec::Delay(delay)) = &mut self.follow_up else {
                    return false;
                };
                match (knob, delay.family()) {
                    (Knob::FollowUpMean, "fixed") => put(&mut delay.delay, table),
                    (Knob::FollowUpMean, "exponential" | "gamma") => put(&mut delay.mean, table),
                    (Knob::FollowUpShape, "gamma") => put(&mut delay.shape, table),
                    (Knob::FollowUpMedian, "lognormal") => put(&mut delay.median, table),
                    (Knob::FollowUpSigma, "lognormal") => put(&mut delay.sigma, table),
                    (Knob::FollowUpMin, "uniform") => put(&mut delay.min, table),
                    (Knob::FollowUpMax, "uniform") => put(&mut delay.max, table),
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// [`SegmentSpec::put_inline`] for a decay table.
fn put_in_curve(curve: &mut DecayCurveSpec, knob: Knob, table: Box<InputSpec>) -> bool {
    let slot_hours = match knob {
        Knob::ShelfLife => [
            &mut curve.shelf_life,
            &mut curve.half_life,
            &mut curve.scale,
            &mut curve.period,
        ]
        .into_iter()
        .find(|slot| matches!(slot, Some(Param::Value(_)))),
        _ => None,
    };
    if let Some(slot) = slot_hours {
        *slot = Some(Param::Uncertain(table));
        return true;
    }
    let slot = match knob {
        Knob::WeibullShape => &mut curve.k,
        Knob::ScheduleRate => &mut curve.rate,
        _ => return false,
    };
    if matches!(slot, Some(Param::Value(_))) {
        *slot = Some(Param::Uncertain(table));
        true
    } else {
        false
    }
}

/// The families of an uncertain input, which a deal value's `dist` is not.
const INPUT_FAMILIES: [&str; 8] = [
    "uniform",
    "triangular",
    "pert",
    "normal",
    "beta",
    "poisson",
    "binomial",
    "uniform-int",
];

impl DealValueSpec {
    /// The deal value; its `value`, `mean` and `cv` may be uncertain where
    /// `ctx` collects them (the `deal-value` and `deal-value-cv` knobs).
    pub(super) fn into_deal_value(self, ctx: &mut Context<'_>) -> Result<DealValue> {
        let d = match self {
            DealValueSpec::Fixed(value) => return DealValue::fixed(value).map_err(|e| e.at_field("")),
            DealValueSpec::Distribution(d) => d,
        };
        if INPUT_FAMILIES.contains(&d.dist.as_str()) {
            return Err(Error::invalid(
                "dist",
                format!("{:?}", d.dist),
                format!(
                    "a deal-value family: \"fixed\", \"lognormal\" or \"gamma\" (an uncertain fixed value is \
                     {{ dist = \"fixed\", value = {{ dist = {:?}, ... }} }})",
                    d.dist
                ),
            ));
        }
        if let Some(key) = d.misplaced.keys().next() {
            return Err(Error::Parse {
                field: key.clone(),
                message: "unknown field: a deal value's table has `dist`, `mean`, `cv` or `value`".into(),
            });
        }
        let params = Params {
            family_key: "dist",
            family: &d.dist,
            present: present([
                ("mean", d.mean.is_some()),
                ("cv", d.cv.is_some()),
                ("value", d.value.is_some()),
            ]),
        };
        match d.dist.as_str() {
            "fixed" => {
                params.only(&["value"])?;
                let value = ctx.number(params.require("value", d.value)?, Knob::DealValue, "value")?;
                DealValue::fixed(value).map_err(|e| e.at_field("value"))
            }
            "lognormal" | "gamma" => {
                params.only(&["mean", "cv"])?;
                let mean = ctx.number(params.require("mean", d.mean)?, Knob::DealValue, "mean")?;
                let cv = ctx.number(params.require("cv", d.cv)?, Knob::DealValueCv, "cv")?;
                if d.dist == "lognormal" {
                    DealValue::lognormal(mean, cv)
                } else {
                    DealValue::gamma(mean, cv)
                }
            }
            other => Err(Error::invalid(
                "dist",
                format!("{other:?}"),
                "a deal-value distribution: \"lognormal\" or \"gamma\" (or \"fixed\" with a `value`)",
            )),
        }
    }

    pub(super) fn from_deal_value(value: &DealValue) -> DealValueSpec {
        let dist = |name: &str, mean: f64, cv: f64| {
            DealValueSpec::Distribution(DealValueDistSpec {
                dist: name.into(),
                mean: Some(Param::Value(mean)),
                cv: Some(Param::Value(cv)),
                value: None,
                misplaced: BTreeMap::new(),
            })
        };
        match value.shape() {
            DealValueShape::Fixed { value } => DealValueSpec::Fixed(value),
            DealValueShape::LogNormal { mean, cv } => dist("lognormal", mean, cv),
            DealValueShape::Gamma { mean, cv } => dist("gamma", mean, cv),
        }
    }
}
