//! The serde schema of scenario files and its validation into model types;
//! the format itself is documented in [`crate::scenario`].

use serde::{Deserialize, Serialize};

use crate::capacity::{
    ArrivalHours, DAY_NAMES, Discipline, InquiryStream, Recycling, SalesSetup, SalesTeam, WorkingHours, parse_day,
};
use crate::deal_value::{DealValue, DealValueShape};
use crate::decay::{DecayCurve, DecayPreset, DecayShape};
use crate::duration::Hours;
use crate::error::{Error, Result};
use crate::follow_up::{DelayDistribution, DelayShape, FollowUpPreset, Neglect};
use crate::plan::PlanInputs;
use crate::scenario::Scenario;
use crate::segment::Segment;

/// A scenario file as written, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioSpec {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    marketing_spend: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    customer_goal: Option<u64>,
    segments: Vec<SegmentSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plan: Option<PlanInputs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sales: Option<SalesSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recycling: Option<RecyclingSpec>,
}

/// The `[sales]` section as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SalesSpec {
    reps: u32,
    horizon: Hours,
    handling: DelaySpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discipline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    triage: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    working_days: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    working_hours: Option<(Hours, Hours)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrivals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    warm_up: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiries_per_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_handling: Option<DelaySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_close_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_deal_value: Option<f64>,
}

/// The `[recycling]` section as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecyclingSpec {
    revert_probability: f64,
    return_delay: DelaySpec,
    close_rate: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reactivation_cost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lockout: Option<Hours>,
}

impl SalesSpec {
    fn into_setup(self) -> Result<SalesSetup> {
        let mut team = SalesTeam::new(self.reps)?;
        if let Some(d) = self.discipline {
            team = team.with_discipline(d.parse::<Discipline>()?);
        }
        team = team.with_triage(self.triage.unwrap_or(false));
        if let Some(sla) = self.sla {
            team = team.with_sla(sla);
        }
        if self.working_days.is_some() || self.working_hours.is_some() {
            let days = match &self.working_days {
                Some(names) => names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| parse_day(n).map_err(|e| e.at_field(&format!("working_days[{i}]"))))
                    .collect::<Result<Vec<u8>>>()?,
                None => (0..7).collect(),
            };
            let (opens, closes) = self.working_hours.unwrap_or((Hours::ZERO, Hours::trusted(24.0)));
            team = team.with_hours(WorkingHours::new(&days, opens, closes)?);
        }
        let handling = self.handling.into_distribution().map_err(|e| e.within("handling"))?;
        let mut setup = SalesSetup::new(team, self.horizon, handling)?;
        if !(self.horizon.get() > 0.0) {
            return Err(Error::invalid("horizon", self.horizon, "a horizon > 0"));
        }
        setup.arrivals = match self.arrivals.as_deref() {
            None | Some("always") => ArrivalHours::Always,
            Some("working-hours") => ArrivalHours::WorkingHours,
            Some(other) => {
                return Err(Error::invalid(
                    "arrivals",
                    format!("{other:?}"),
                    "\"always\" or \"working-hours\"",
                ));
            }
        };
        if let Some(warm_up) = self.warm_up {
            if !(warm_up < self.horizon) {
                return Err(Error::invalid("warm_up", warm_up, "a warm-up shorter than the horizon"));
            }
            setup.warm_up = warm_up;
        }
        match (self.inquiries_per_day, self.inquiry_handling) {
            (Some(rate), Some(handling)) => {
                let handling = handling.into_distribution().map_err(|e| e.within("inquiry_handling"))?;
                let value = DealValue::fixed(self.inquiry_deal_value.unwrap_or(0.0))
                    .map_err(|e| e.at_field("inquiry_deal_value"))?;
                setup.inquiries = Some(InquiryStream::new(
                    rate,
                    handling,
                    self.inquiry_close_rate.unwrap_or(0.0),
                    value,
                )?);
            }
            (Some(_), None) => {
                return Err(Error::Parse {
                    field: "inquiry_handling".into(),
                    message: "missing: inquiries_per_day needs `inquiry_handling`".into(),
                });
            }
            (None, handling) => {
                if let Some(extra) = [
                    ("inquiry_handling", handling.is_some()),
                    ("inquiry_close_rate", self.inquiry_close_rate.is_some()),
                    ("inquiry_deal_value", self.inquiry_deal_value.is_some()),
                ]
                .iter()
                .find(|(_, present)| *present)
                {
                    return Err(Error::Parse {
                        field: extra.0.into(),
                        message: "given without `inquiries_per_day`".into(),
                    });
                }
            }
        }
        Ok(setup)
    }

    fn from_setup(setup: &SalesSetup) -> SalesSpec {
        let team = &setup.team;
        let hours = team.hours();
        let (working_days, working_hours) = if hours.is_always() {
            (None, None)
        } else {
            let (opens, closes) = hours.opening_hours();
            (
                Some(
                    hours
                        .days()
                        .iter()
                        .zip(DAY_NAMES)
                        .filter(|(open, _)| **open)
                        .map(|(_, name)| name.to_string())
                        .collect(),
                ),
                Some((Hours::trusted(opens), Hours::trusted(closes))),
            )
        };
        SalesSpec {
            reps: team.reps(),
            horizon: setup.horizon,
            handling: DelaySpec::from_distribution(&setup.handling),
            discipline: Some(team.discipline().name().to_owned()),
            triage: Some(team.triage()),
            sla: team.sla(),
            working_days,
            working_hours,
            arrivals: Some(
                match setup.arrivals {
                    ArrivalHours::Always => "always",
                    ArrivalHours::WorkingHours => "working-hours",
                }
                .to_owned(),
            ),
            warm_up: (setup.warm_up.get() > 0.0).then_some(setup.warm_up),
            inquiries_per_day: setup.inquiries.as_ref().map(|i| i.rate_per_day()),
            inquiry_handling: setup
                .inquiries
                .as_ref()
                .map(|i| DelaySpec::from_distribution(i.handling())),
            inquiry_close_rate: setup.inquiries.as_ref().map(|i| i.close_rate()),
            inquiry_deal_value: setup.inquiries.as_ref().map(|i| i.deal_value().mean()),
        }
    }
}

impl RecyclingSpec {
    fn into_recycling(self) -> Result<Recycling> {
        let delay = self
            .return_delay
            .into_distribution()
            .map_err(|e| e.within("return_delay"))?;
        let mut recycling = Recycling::new(
            self.revert_probability,
            delay,
            self.close_rate,
            self.reactivation_cost.unwrap_or(0.0),
        )?;
        if let Some(lockout) = self.lockout {
            recycling = recycling.with_lockout(lockout);
        }
        Ok(recycling)
    }

    fn from_recycling(r: &Recycling) -> RecyclingSpec {
        RecyclingSpec {
            revert_probability: r.revert_probability(),
            return_delay: DelaySpec::from_distribution(r.return_delay()),
            close_rate: r.close_rate(),
            reactivation_cost: Some(r.reactivation_cost()),
            lockout: Some(r.lockout()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentSpec {
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
}

/// A follow-up preset name (neglect and delay), or a delay table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum FollowUpSpec {
    Preset(String),
    Delay(DelaySpec),
}

/// A number, or a distribution table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum DealValueSpec {
    Fixed(f64),
    Distribution(DealValueDistSpec),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DealValueDistSpec {
    dist: String,
    mean: f64,
    cv: f64,
}

/// A preset name, or a shape table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum DecaySpec {
    Preset(String),
    Curve(DecayCurveSpec),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecayCurveSpec {
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DelaySpec {
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

/// Deserialises "a scalar or a table" without serde's untagged enums, whose
/// errors hide what was wrong inside the table.
macro_rules! scalar_or_table {
    ($spec:ident, $expecting:literal, $scalar:ident($ty:ty) => $variant:ident, table => $table_variant:ident($table:ty)) => {
        impl<'de> Deserialize<'de> for $spec {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$spec, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $spec;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    scalar_or_table!(@scalar $scalar, $ty, $spec, $variant);
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$spec, A::Error> {
                        <$table>::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map($spec::$table_variant)
                    }
                }
                deserializer.deserialize_any(Visitor)
            }
        }
    };
    (@scalar number, $ty:ty, $spec:ident, $variant:ident) => {
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<$spec, E> {
            Ok($spec::$variant(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$spec, E> {
            Ok($spec::$variant(v as f64))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$spec, E> {
            Ok($spec::$variant(v as f64))
        }
    };
    (@scalar string, $ty:ty, $spec:ident, $variant:ident) => {
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$spec, E> {
            Ok($spec::$variant(v.to_owned()))
        }
    };
}

scalar_or_table!(
    DealValueSpec,
    "a deal value: a number, or a table such as { dist = \"lognormal\", mean = 100000, cv = 0.5 }",
    number(f64) => Fixed,
    table => Distribution(DealValueDistSpec)
);
scalar_or_table!(
    DecaySpec,
    "a decay: a preset name such as \"b2b-industrial\", or a table such as { shape = \"linear\", shelf_life = \"30d\" }",
    string(String) => Preset,
    table => Curve(DecayCurveSpec)
);
scalar_or_table!(
    FollowUpSpec,
    "a follow-up: a preset name such as \"hbr-2011-audit\", or a table such as { dist = \"exponential\", mean = \"2d\" }",
    string(String) => Preset,
    table => Delay(DelaySpec)
);

/// Takes the parameters a family needs from a flat table of optional keys,
/// rejecting keys that belong to other families.
struct Params<'a> {
    family_key: &'static str,
    family: &'a str,
    present: Vec<&'static str>,
}

impl Params<'_> {
    fn require<T: Copy>(&self, key: &'static str, value: Option<T>) -> Result<T> {
        value.ok_or_else(|| Error::Parse {
            field: key.to_owned(),
            message: format!("missing: {} = {:?} needs `{key}`", self.family_key, self.family),
        })
    }

    /// Errors on any present key outside `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.present.iter().find(|k| !allowed.contains(k)) {
            None => Ok(()),
            Some(extra) => Err(Error::Parse {
                field: (*extra).to_owned(),
                message: format!(
                    "not a parameter of {} = {:?}; expected {}",
                    self.family_key,
                    self.family,
                    allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }
}

fn present<const N: usize>(keys: [(&'static str, bool); N]) -> Vec<&'static str> {
    keys.into_iter().filter(|(_, p)| *p).map(|(k, _)| k).collect()
}

impl ScenarioSpec {
    pub(crate) fn from_toml_str(text: &str) -> Result<ScenarioSpec> {
        let deserializer = toml::Deserializer::parse(text).map_err(|e| toml_error("", &e, text))?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            toml_error(if field == "." { "" } else { &field }, e.inner(), text)
        })
    }

    pub(crate) fn from_json_str(text: &str) -> Result<ScenarioSpec> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let field = e.path().to_string();
            Error::Parse {
                field: if field == "." { String::new() } else { field },
                message: e.into_inner().to_string(),
            }
        })
    }

    pub(crate) fn to_toml_string(&self) -> String {
        toml::to_string(self).expect("a scenario spec always serialises to TOML")
    }

    pub(crate) fn into_scenario(self) -> Result<Scenario> {
        let mut builder = Scenario::builder(self.name);
        if let Some(currency) = self.currency {
            builder = builder.currency(currency);
        }
        if let Some(spend) = self.marketing_spend {
            builder = builder.marketing_spend(spend);
        }
        if let Some(goal) = self.customer_goal {
            builder = builder.customer_goal(goal);
        }
        if let Some(plan) = self.plan {
            builder = builder.plan(plan);
        }
        if let Some(sales) = self.sales {
            builder = builder.sales(sales.into_setup().map_err(|e| e.within("sales"))?);
        }
        if let Some(recycling) = self.recycling {
            builder = builder.recycling(recycling.into_recycling().map_err(|e| e.within("recycling"))?);
        }
        for (i, segment) in self.segments.into_iter().enumerate() {
            builder = builder.segment(
                segment
                    .into_segment()
                    .map_err(|e| e.within(&format!("segments[{i}]")))?,
            );
        }
        builder.build()
    }

    pub(crate) fn from_scenario(scenario: &Scenario) -> ScenarioSpec {
        ScenarioSpec {
            name: scenario.name().to_owned(),
            currency: scenario.currency().map(str::to_owned),
            marketing_spend: scenario.marketing_spend(),
            customer_goal: scenario.customer_goal(),
            segments: scenario.segments().iter().map(SegmentSpec::from_segment).collect(),
            plan: scenario.plan().cloned(),
            sales: scenario.sales().map(SalesSpec::from_setup),
            recycling: scenario.recycling().map(RecyclingSpec::from_recycling),
        }
    }
}

impl SegmentSpec {
    fn into_segment(self) -> Result<Segment> {
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
                builder = builder.follow_up(delay.into_distribution().map_err(|e| e.within("follow_up"))?);
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
                builder = builder.follow_up(follow_up.delay().clone());
            }
        }
        if let Some(sla) = self.sla {
            builder = builder.sla(sla);
        }
        builder.build()
    }

    fn from_segment(segment: &Segment) -> SegmentSpec {
        let follow_up = segment.follow_up();
        let preset = follow_up.preset();
        let (neglected, never_followed_up) = match follow_up.neglect() {
            _ if preset.is_some() => (None, None),
            Neglect::None => (None, None),
            Neglect::Count(k) => (Some(k), None),
            Neglect::Probability(q) => (None, Some(q)),
        };
        let follow_up_spec = match preset {
            Some(preset) => Some(FollowUpSpec::Preset(preset.name().to_owned())),
            None => (!follow_up.delay().is_immediate())
                .then(|| FollowUpSpec::Delay(DelaySpec::from_distribution(follow_up.delay()))),
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
        }
    }
}

impl DealValueSpec {
    fn into_deal_value(self) -> Result<DealValue> {
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

    fn from_deal_value(value: &DealValue) -> DealValueSpec {
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

impl DecaySpec {
    fn into_curve(self) -> Result<DecayCurve> {
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

    fn from_curve(curve: &DecayCurve) -> DecaySpec {
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

impl DelaySpec {
    fn into_distribution(self) -> Result<DelayDistribution> {
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
                Ok(DelayDistribution::fixed(params.require("delay", self.delay)?))
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

    fn from_distribution(delay: &DelayDistribution) -> DelaySpec {
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

/// A TOML error with its field path and, where known, line and column.
fn toml_error(field: &str, error: &toml::de::Error, text: &str) -> Error {
    let mut message = error.message().trim().to_owned();
    if let Some(span) = error.span() {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        message.push_str(&format!(" (line {line}, column {column})"));
    }
    Error::Parse {
        field: field.to_owned(),
        message,
    }
}
