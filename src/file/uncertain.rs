//! Uncertain values in scenario files: a segment's number written as a
//! distribution (`close_rate = { dist = "beta", mean = 0.25, sd = 0.04 }`),
//! a reference to a named input (`shelf_life = { input = "market" }`), the
//! `[[inputs]]` that name them and the `[[joint]]` inputs.
//!
//! Reading collects the inputs while the segments are read (each segment
//! gets the base value, the distribution's median unless `base` says
//! otherwise) and builds the scenario's [`Uncertainty`]; the errors of
//! [`Uncertainty::check`], which name `inputs[i]` and `joints[j]` of the
//! model, are given the paths of the file (`segments[0].decay.shelf_life`,
//! `inputs[1]`, `joint[0]`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::curves::DecaySpec;
use super::delays::DelaySpec;
use super::params::{Params, present};
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::knob::{Knob, KnobUnit};
use crate::model::uncertainty::{
    Alternative, InputDistribution, JointInput, JointLaw, Scale, UncertainInput, Uncertainty,
};

/// A number, or a duration written with its unit (`"2d"`).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Quantity {
    Number(f64),
    Text(String),
}

impl Serialize for Quantity {
    /// Whole numbers as integers (`40`, not `40.0`), durations as text.
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Quantity::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => serializer.serialize_i64(*x as i64),
            Quantity::Number(x) => serializer.serialize_f64(*x),
            Quantity::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Quantity, D::Error> {
        struct QuantityVisitor;
        impl Visitor<'_> for QuantityVisitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, or a duration such as \"2d\"")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Quantity, E> {
                Ok(Quantity::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Quantity, E> {
                Ok(Quantity::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Quantity, E> {
                Ok(Quantity::Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Quantity, E> {
                Ok(Quantity::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

impl Quantity {
    /// The value in the knob's unit: a duration's text (`"2d"`) is read for
    /// a duration knob only.
    fn value(&self, hours: bool) -> Result<f64> {
        match self {
            Quantity::Number(x) => Ok(*x),
            Quantity::Text(text) if hours => text.parse::<Hours>().map(Hours::get),
            Quantity::Text(text) => Err(Error::invalid(
                "",
                format!("{text:?}"),
                "a number (a duration with its unit only for a duration input)",
            )),
        }
    }

    /// A plain number (a shape parameter, a probability).
    fn number(&self) -> Result<f64> {
        self.value(false)
    }

    /// A whole number.
    fn whole(&self, hours: bool) -> Result<i64> {
        let x = self.value(hours)?;
        if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 {
            Ok(x as i64)
        } else {
            Err(Error::invalid("", x, "a whole number"))
        }
    }

    /// `x` in the knob's unit: a duration's notation for a duration knob.
    fn of(x: f64, knob: Knob) -> Quantity {
        match Hours::new(x) {
            Ok(h) if knob.unit() == KnobUnit::Hours => Quantity::Text(h.to_string()),
            _ => Quantity::Number(x),
        }
    }
}

/// A segment's number as written: the number itself, or an uncertain value.
#[derive(Debug, Clone)]
pub(super) enum Param<T> {
    Value(T),
    Uncertain(Box<InputSpec>),
}

impl<T: Serialize> Serialize for Param<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Param::Value(v) => v.serialize(serializer),
            Param::Uncertain(spec) => spec.serialize(serializer),
        }
    }
}

/// Reads a scalar as `T` and a table as an uncertain value, without serde's
/// untagged enums (whose errors hide what was wrong inside the table).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Param<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Param<T>, D::Error> {
        struct ParamVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ParamVisitor<T> {
            type Value = Param<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, or an uncertain value such as { dist = \"uniform\", min = 0.2, max = 0.3 }")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Param<T>, E> {
                T::deserialize(v.into_deserializer()).map(Param::Value)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Param<T>, E> {
                T::deserialize(v.into_deserializer()).map(Param::Value)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Param<T>, E> {
                T::deserialize(v.into_deserializer()).map(Param::Value)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Param<T>, E> {
                T::deserialize(v.into_deserializer()).map(Param::Value)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Param<T>, E> {
                T::deserialize(v.into_deserializer()).map(Param::Value)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Param<T>, A::Error> {
                InputSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|spec| Param::Uncertain(Box::new(spec)))
            }
        }
        deserializer.deserialize_any(ParamVisitor(PhantomData))
    }
}

/// An uncertain value, a reference to a named input, or an entry of
/// `[[inputs]]`: one flat table, each use checking its keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InputSpec {
    /// `[[inputs]]` only: the name segments refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// `[[inputs]]` only: the knob it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    knob: Option<String>,
    /// `[[inputs]]` only: the segments it sets, when no segment refers to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<String>>,
    /// A reference to a named input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dist: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mean: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    median: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sd: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sigma: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alpha: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beta: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<Quantity>,
    /// Inline values and references: the segment's base value (default:
    /// the median, rounded for whole-number inputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base: Option<Quantity>,
}

/// The families, for errors.
const FAMILIES: &str = "\"uniform\", \"triangular\", \"pert\", \"normal\", \"lognormal\", \"gamma\", \"beta\", \
                        \"poisson\", \"binomial\" or \"uniform-int\"";

impl InputSpec {
    /// Errors on any of `keys` that is given (keys that belong to another
    /// use of the table).
    fn refuse(&self, keys: &[(&str, bool)], use_: &str) -> Result<()> {
        match keys.iter().find(|(_, given)| *given) {
            Some((key, _)) => Err(Error::Parse {
                field: (*key).to_owned(),
                message: format!("not a key of {use_}"),
            }),
            None => Ok(()),
        }
    }

    /// The distribution of the table, its values in `knob`'s unit.
    fn distribution(&self, knob: Knob) -> Result<InputDistribution> {
        let family = self.dist.as_deref().ok_or_else(|| Error::Parse {
            field: "dist".into(),
            message: format!("missing: an uncertain value needs `dist` ({FAMILIES}) or `input` (a named input)"),
        })?;
        let params = Params {
            family_key: "dist",
            family,
            present: present([
                ("min", self.min.is_some()),
                ("mode", self.mode.is_some()),
                ("max", self.max.is_some()),
                ("mean", self.mean.is_some()),
                ("median", self.median.is_some()),
                ("sd", self.sd.is_some()),
                ("sigma", self.sigma.is_some()),
                ("alpha", self.alpha.is_some()),
                ("beta", self.beta.is_some()),
                ("n", self.n.is_some()),
                ("p", self.p.is_some()),
            ]),
        };
        let hours = knob.unit() == KnobUnit::Hours;
        let value = |key: &'static str, q: &Option<Quantity>| -> Result<f64> {
            params.require(key, q.as_ref())?.value(hours).map_err(|e| e.within(key))
        };
        let number = |key: &'static str, q: &Option<Quantity>| -> Result<f64> {
            params.require(key, q.as_ref())?.number().map_err(|e| e.within(key))
        };
        let whole = |key: &'static str, q: &Option<Quantity>| -> Result<i64> {
            params.require(key, q.as_ref())?.whole(hours).map_err(|e| e.within(key))
        };
        match family {
            "uniform" => {
                params.only(&["min", "max"])?;
                InputDistribution::uniform(value("min", &self.min)?, value("max", &self.max)?)
            }
            "triangular" | "pert" => {
                params.only(&["min", "mode", "max"])?;
                let (min, mode, max) = (
                    value("min", &self.min)?,
                    value("mode", &self.mode)?,
                    value("max", &self.max)?,
                );
                if family == "pert" {
                    InputDistribution::pert(min, mode, max)
                } else {
                    InputDistribution::triangular(min, mode, max)
                }
            }
            "normal" => {
                params.only(&["mean", "sd"])?;
                InputDistribution::normal(value("mean", &self.mean)?, value("sd", &self.sd)?)
            }
            "lognormal" => {
                params.only(&["median", "sigma"])?;
                InputDistribution::lognormal(value("median", &self.median)?, number("sigma", &self.sigma)?)
            }
            "gamma" => {
                params.only(&["mean", "sd"])?;
                InputDistribution::gamma(value("mean", &self.mean)?, value("sd", &self.sd)?)
            }
            "beta" if self.alpha.is_some() || self.beta.is_some() => {
                params.only(&["alpha", "beta"])?;
                InputDistribution::beta(number("alpha", &self.alpha)?, number("beta", &self.beta)?)
            }
            "beta" => {
                params.only(&["mean", "sd"])?;
                InputDistribution::beta_mean_sd(value("mean", &self.mean)?, value("sd", &self.sd)?)
            }
            "poisson" => {
                params.only(&["mean"])?;
                InputDistribution::poisson(value("mean", &self.mean)?)
            }
            "binomial" => {
                params.only(&["n", "p"])?;
                let n = params
                    .require("n", self.n.as_ref())?
                    .whole(false)
                    .map_err(|e| e.within("n"))?;
                let n = u64::try_from(n).map_err(|_| Error::invalid("n", n, "a whole number of trials >= 0"))?;
                InputDistribution::binomial(n, number("p", &self.p)?)
            }
            "uniform-int" => {
                params.only(&["min", "max"])?;
                InputDistribution::uniform_int(whole("min", &self.min)?, whole("max", &self.max)?)
            }
            other => Err(Error::invalid(
                "dist",
                format!("{other:?}"),
                format!("a distribution of an uncertain input: {FAMILIES}"),
            )),
        }
    }

    /// The table of `distribution`, its values in `knob`'s unit.
    pub(super) fn of_distribution(distribution: &InputDistribution, knob: Knob) -> InputSpec {
        let q = |x: f64| Some(Quantity::of(x, knob));
        let n = |x: f64| Some(Quantity::Number(x));
        let spec = InputSpec {
            dist: Some(distribution.family().to_owned()),
            ..InputSpec::default()
        };
        match *distribution {
            InputDistribution::Uniform { min, max } => InputSpec {
                min: q(min),
                max: q(max),
                ..spec
            },
            InputDistribution::Triangular { min, mode, max } | InputDistribution::Pert { min, mode, max } => {
                InputSpec {
                    min: q(min),
                    mode: q(mode),
                    max: q(max),
                    ..spec
                }
            }
            InputDistribution::Normal { mean, sd } | InputDistribution::Gamma { mean, sd } => InputSpec {
                mean: q(mean),
                sd: q(sd),
                ..spec
            },
            InputDistribution::LogNormal { median, sigma } => InputSpec {
                median: q(median),
                sigma: n(sigma),
                ..spec
            },
            InputDistribution::Beta { alpha, beta } => {
                // As the mean and sd people write, when they read back to
                // these very shapes.
                let total = alpha + beta;
                let mean = alpha / total;
                let sd = (alpha * beta / (total * total * (total + 1.0))).sqrt();
                if InputDistribution::beta_mean_sd(mean, sd).is_ok_and(|d| d == *distribution) {
                    InputSpec {
                        mean: q(mean),
                        sd: q(sd),
                        ..spec
                    }
                } else {
                    InputSpec {
                        alpha: n(alpha),
                        beta: n(beta),
                        ..spec
                    }
                }
            }
            InputDistribution::Poisson { mean } => InputSpec { mean: q(mean), ..spec },
            InputDistribution::Binomial { n: trials, p } => InputSpec {
                n: n(trials as f64),
                p: n(p),
                ..spec
            },
            InputDistribution::UniformInt { min, max } => InputSpec {
                min: q(min as f64),
                max: q(max as f64),
                ..spec
            },
        }
    }

    /// The keys of a distribution table (for refusing them elsewhere).
    fn distribution_keys(&self) -> [(&'static str, bool); 12] {
        [
            ("dist", self.dist.is_some()),
            ("min", self.min.is_some()),
            ("mode", self.mode.is_some()),
            ("max", self.max.is_some()),
            ("mean", self.mean.is_some()),
            ("median", self.median.is_some()),
            ("sd", self.sd.is_some()),
            ("sigma", self.sigma.is_some()),
            ("alpha", self.alpha.is_some()),
            ("beta", self.beta.is_some()),
            ("n", self.n.is_some()),
            ("p", self.p.is_some()),
        ]
    }
}

/// A named input of `[[inputs]]` while the segments are read.
#[derive(Debug)]
struct Named {
    name: Option<String>,
    knob: Knob,
    distribution: InputDistribution,
    segments: Option<Vec<String>>,
    referenced: Vec<String>,
}

/// The uncertain inputs of a file, collected while its segments are read,
/// with the path each came from.
#[derive(Debug, Default)]
pub(super) struct Collector {
    named: Vec<Named>,
    inline: Vec<(UncertainInput, String)>,
    joints: Vec<JointInput>,
}

/// Where values are read: a segment of a scenario (uncertain values are
/// collected) or anywhere else (they are refused, with the reason).
pub(super) struct Context<'a> {
    collector: Option<&'a mut Collector>,
    refusal: &'static str,
    segment: &'a str,
    prefix: String,
}

/// The reason an uncertain value is refused inside an alternative.
const IN_ALTERNATIVE: &str = "a number: an alternative sets numbers (it is itself the draw)";

impl<'a> Context<'a> {
    /// Uncertain values refused: `refusal` says what is expected instead.
    pub(super) fn plain(refusal: &'static str) -> Context<'static> {
        Context {
            collector: None,
            refusal,
            segment: "",
            prefix: String::new(),
        }
    }

    /// The segment called `segment`, at `prefix` (`segments[0]`).
    pub(super) fn segment(collector: &'a mut Collector, segment: &'a str, prefix: String) -> Context<'a> {
        Context {
            collector: Some(collector),
            refusal: "",
            segment,
            prefix,
        }
    }

    /// The same context, inside `key` (`decay`).
    pub(super) fn at(&mut self, key: &str) -> Context<'_> {
        Context {
            collector: self.collector.as_deref_mut(),
            refusal: self.refusal,
            segment: self.segment,
            prefix: if self.prefix.is_empty() {
                key.to_owned()
            } else {
                format!("{}.{key}", self.prefix)
            },
        }
    }

    /// A duration of the knob `knob`, at `key`.
    pub(super) fn hours(&mut self, param: Param<Hours>, knob: Knob, key: &str) -> Result<Hours> {
        match param {
            Param::Value(v) => Ok(v),
            Param::Uncertain(spec) => {
                let base = self.uncertain(*spec, knob, key)?;
                Hours::new(base).map_err(|e| e.within(key))
            }
        }
    }

    /// A number of the knob `knob`, at `key`.
    pub(super) fn number(&mut self, param: Param<f64>, knob: Knob, key: &str) -> Result<f64> {
        match param {
            Param::Value(v) => Ok(v),
            Param::Uncertain(spec) => self.uncertain(*spec, knob, key),
        }
    }

    /// A count of the knob `knob`, at `key`.
    pub(super) fn count(&mut self, param: Param<u64>, knob: Knob, key: &str) -> Result<u64> {
        match param {
            Param::Value(v) => Ok(v),
            Param::Uncertain(spec) => {
                let base = self.uncertain(*spec, knob, key)?;
                if base >= 0.0 && base.fract() == 0.0 && base <= 1e18 {
                    Ok(base as u64)
                } else {
                    Err(Error::invalid(format!("{key}.base"), base, "a whole number >= 0"))
                }
            }
        }
    }

    /// Records an uncertain value and returns the segment's base value.
    fn uncertain(&mut self, spec: InputSpec, knob: Knob, key: &str) -> Result<f64> {
        let Some(collector) = self.collector.as_deref_mut() else {
            return Err(Error::invalid(key, "an uncertain value", self.refusal));
        };
        let within = |e: Error| e.within(key);
        let hours = knob.unit() == KnobUnit::Hours;
        let base = |distribution: &InputDistribution| -> Result<f64> {
            match &spec.base {
                Some(q) => q.value(hours).map_err(|e| e.within("base")),
                None if knob.is_whole() => Ok(distribution.median().round()),
                None => Ok(distribution.median()),
            }
        };
        spec.refuse(
            &[
                ("name", spec.name.is_some()),
                ("knob", spec.knob.is_some()),
                ("segments", spec.segments.is_some()),
            ],
            "an uncertain value (only of an entry of [[inputs]])",
        )
        .map_err(within)?;
        if let Some(name) = &spec.input {
            spec.refuse(
                &spec.distribution_keys(),
                "a reference { input = \"...\" } (the named input has its distribution)",
            )
            .map_err(within)?;
            let known = collector
                .named
                .iter()
                .filter_map(|n| n.name.as_deref())
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>();
            let Some(named) = collector.named.iter_mut().find(|n| n.name.as_deref() == Some(name)) else {
                return Err(Error::invalid(
                    format!("{key}.input"),
                    format!("{name:?}"),
                    if known.is_empty() {
                        "the name of an input of [[inputs]] (the file names none)".to_owned()
                    } else {
                        format!("the name of an input of [[inputs]] ({})", known.join(", "))
                    },
                ));
            };
            if named.knob != knob {
                return Err(Error::invalid(
                    format!("{key}.input"),
                    format!("{name:?}"),
                    format!(
                        "an input of {knob}: this key is {knob}, and {name:?} sets {}",
                        named.knob
                    ),
                ));
            }
            named.referenced.push(self.segment.to_owned());
            return base(&named.distribution).map_err(within);
        }
        let distribution = spec.distribution(knob).map_err(within)?;
        if knob.is_whole() && !distribution.is_discrete() {
            return Err(Error::invalid(
                format!("{key}.dist"),
                format!("{:?}", distribution.family()),
                format!(
                    "a discrete distribution (\"poisson\", \"binomial\" or \"uniform-int\"): {knob} takes whole numbers"
                ),
            ));
        }
        let origin = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        };
        collector
            .inline
            .push((UncertainInput::new(knob, distribution).in_segment(self.segment), origin));
        base(&distribution).map_err(within)
    }
}

impl Collector {
    /// Reads `[[inputs]]`, before the segments that refer to them.
    pub(super) fn with_named(inputs: Vec<InputSpec>) -> Result<Collector> {
        let mut named: Vec<Named> = Vec::with_capacity(inputs.len());
        for (k, spec) in inputs.into_iter().enumerate() {
            let within = |e: Error| e.within(&format!("inputs[{k}]"));
            spec.refuse(
                &[("input", spec.input.is_some()), ("base", spec.base.is_some())],
                "an entry of [[inputs]] (a segment's value is its base)",
            )
            .map_err(within)?;
            let knob_name = spec.knob.as_deref().ok_or_else(|| {
                within(Error::Parse {
                    field: "knob".into(),
                    message: "missing: an entry of [[inputs]] needs `knob`, the input it sets (\"close-rate\", ...)"
                        .into(),
                })
            })?;
            let knob: Knob = knob_name.parse().map_err(|e: Error| within(e.at_field("knob")))?;
            if knob.is_team() {
                return Err(within(Error::invalid(
                    "knob",
                    knob,
                    "a knob of the segments: uncertain [sales] inputs are not supported",
                )));
            }
            if let Some(name) = &spec.name
                && named.iter().any(|n| n.name.as_ref() == Some(name))
            {
                return Err(within(Error::invalid(
                    "name",
                    format!("{name:?}"),
                    "a name no earlier input has",
                )));
            }
            let distribution = spec.distribution(knob).map_err(within)?;
            if knob.is_whole() && !distribution.is_discrete() {
                return Err(within(Error::invalid(
                    "dist",
                    format!("{:?}", distribution.family()),
                    format!(
                        "a discrete distribution (\"poisson\", \"binomial\" or \"uniform-int\"): {knob} takes whole numbers"
                    ),
                )));
            }
            named.push(Named {
                name: spec.name,
                knob,
                distribution,
                segments: spec.segments,
                referenced: Vec::new(),
            });
        }
        Ok(Collector {
            named,
            ..Collector::default()
        })
    }

    /// Reads `[[joint]]`.
    pub(super) fn with_joints(mut self, joints: Vec<JointSpec>) -> Result<Collector> {
        for (j, spec) in joints.into_iter().enumerate() {
            let joint = spec.into_joint().map_err(|e| e.within(&format!("joint[{j}]")))?;
            self.joints.push(joint);
        }
        Ok(self)
    }

    /// The scenario's uncertainty, and the file path of each input (the
    /// named inputs first, then the values written in segments, then the
    /// joint inputs).
    pub(super) fn finish(self) -> Result<(Uncertainty, Origins)> {
        let mut uncertainty = Uncertainty::new();
        let mut origins = Origins::default();
        for (k, named) in self.named.into_iter().enumerate() {
            let segments = match (named.segments, named.referenced.is_empty()) {
                (Some(_), false) => {
                    return Err(Error::invalid(
                        format!("inputs[{k}].segments"),
                        "given",
                        format!(
                            "either `segments` or references from segments ({}), not both",
                            named.referenced.join(", ")
                        ),
                    ));
                }
                (Some(listed), true) => listed,
                (None, _) => named.referenced,
            };
            let mut input = UncertainInput::new(named.knob, named.distribution);
            input.segments = segments;
            input.label = named.name;
            uncertainty = uncertainty.with_input(input);
            origins.inputs.push(format!("inputs[{k}]"));
        }
        for (input, origin) in self.inline {
            uncertainty = uncertainty.with_input(input);
            origins.inputs.push(origin);
        }
        for joint in self.joints {
            uncertainty = uncertainty.with_joint(joint);
        }
        Ok((uncertainty, origins))
    }
}

/// Where each input of the model's [`Uncertainty`] came from in the file.
#[derive(Debug, Default)]
pub(super) struct Origins {
    inputs: Vec<String>,
}

impl Origins {
    /// `error` with the model's `inputs[i]` and `joints[j]` replaced by the
    /// file's paths, in its field and its message.
    pub(super) fn repath(&self, error: Error) -> Error {
        let map = |text: &str| self.rewrite(text);
        match error {
            Error::InvalidValue { field, value, expected } => Error::InvalidValue {
                field: map(&field),
                value,
                expected: map(&expected),
            },
            Error::Parse { field, message } => Error::Parse {
                field: map(&field),
                message: map(&message),
            },
            other => other,
        }
    }

    /// `text` with every `inputs[i]` and `joints[j]` replaced, in one pass.
    fn rewrite(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        loop {
            let next = ["inputs[", "joints["]
                .iter()
                .filter_map(|t| rest.find(t).map(|at| (at, *t)))
                .min_by_key(|(at, _)| *at);
            let Some((at, token)) = next else {
                out.push_str(rest);
                return out;
            };
            out.push_str(&rest[..at]);
            let after = &rest[at + token.len()..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            let index = after[..digits].parse::<usize>().ok();
            match (index, after[digits..].starts_with(']')) {
                (Some(i), true) => {
                    let replaced = if token == "inputs[" {
                        self.inputs.get(i).cloned().unwrap_or_else(|| format!("inputs[{i}]"))
                    } else {
                        format!("joint[{i}]")
                    };
                    out.push_str(&replaced);
                    rest = &after[digits + 1..];
                }
                _ => {
                    out.push_str(token);
                    rest = after;
                }
            }
        }
    }
}

/// A `[[joint]]` entry as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JointSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<String>>,
    dist: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    knobs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scales: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mean: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    covariance: Option<Vec<Vec<f64>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alternatives: Option<Vec<AlternativeSpec>>,
}

/// One alternative of a `[[joint]]` of `dist = "alternatives"`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AlternativeSpec {
    weight: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decay: Option<DecaySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<DelaySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    set: Option<BTreeMap<String, Quantity>>,
}

impl JointSpec {
    fn into_joint(self) -> Result<JointInput> {
        let params = Params {
            family_key: "dist",
            family: &self.dist,
            present: present([
                ("knobs", self.knobs.is_some()),
                ("scales", self.scales.is_some()),
                ("mean", self.mean.is_some()),
                ("covariance", self.covariance.is_some()),
                ("alternatives", self.alternatives.is_some()),
            ]),
        };
        let mut joint = match self.dist.as_str() {
            "normal" => {
                params.only(&["knobs", "scales", "mean", "covariance"])?;
                let names = params.require("knobs", self.knobs)?;
                let knobs = names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| name.parse::<Knob>().map_err(|e| e.at_field(&format!("knobs[{i}]"))))
                    .collect::<Result<Vec<Knob>>>()?;
                let scales = match self.scales {
                    None => vec![Scale::Identity; knobs.len()],
                    Some(scales) => {
                        if scales.len() != knobs.len() {
                            return Err(Error::invalid(
                                "scales",
                                scales.len(),
                                format!("{} scales, one per knob", knobs.len()),
                            ));
                        }
                        scales
                            .iter()
                            .enumerate()
                            .map(|(i, s)| s.parse::<Scale>().map_err(|e| e.at_field(&format!("scales[{i}]"))))
                            .collect::<Result<Vec<Scale>>>()?
                    }
                };
                JointInput::normal(
                    knobs.into_iter().zip(scales).collect(),
                    params.require("mean", self.mean)?,
                    params.require("covariance", self.covariance)?,
                )?
            }
            "alternatives" => {
                params.only(&["alternatives"])?;
                let specs = params.require("alternatives", self.alternatives)?;
                let alternatives = specs
                    .into_iter()
                    .enumerate()
                    .map(|(a, spec)| {
                        spec.into_alternative()
                            .map_err(|e| e.within(&format!("alternatives[{a}]")))
                    })
                    .collect::<Result<Vec<Alternative>>>()?;
                JointInput::alternatives(alternatives)?
            }
            other => {
                return Err(Error::invalid(
                    "dist",
                    format!("{other:?}"),
                    "a joint input: \"normal\" (a multivariate normal over knobs) or \"alternatives\"",
                ));
            }
        };
        for segment in self.segments.unwrap_or_default() {
            joint = joint.in_segment(segment);
        }
        if let Some(name) = self.name {
            joint = joint.named(name);
        }
        Ok(joint)
    }

    pub(super) fn of_joint(joint: &JointInput) -> JointSpec {
        let spec = JointSpec {
            name: joint.label().map(str::to_owned),
            segments: (!joint.segments().is_empty()).then(|| joint.segments().to_vec()),
            ..JointSpec::default()
        };
        match joint.law() {
            JointLaw::Normal(normal) => JointSpec {
                dist: "normal".into(),
                knobs: Some(normal.knobs().iter().map(|k| k.0.name().to_owned()).collect()),
                scales: Some(normal.knobs().iter().map(|k| k.1.name().to_owned()).collect()),
                mean: Some(normal.mean().to_vec()),
                covariance: Some(normal.covariance().to_vec()),
                ..spec
            },
            JointLaw::Alternatives { alternatives } => JointSpec {
                dist: "alternatives".into(),
                alternatives: Some(alternatives.iter().map(AlternativeSpec::of_alternative).collect()),
                ..spec
            },
        }
    }
}

impl AlternativeSpec {
    fn into_alternative(self) -> Result<Alternative> {
        let mut alternative = Alternative::new(self.weight)?;
        if let Some(decay) = self.decay {
            let mut plain = Context::plain(IN_ALTERNATIVE);
            alternative = alternative.with_decay(decay.into_curve(&mut plain).map_err(|e| e.within("decay"))?);
        }
        if let Some(delay) = self.follow_up {
            let mut plain = Context::plain(IN_ALTERNATIVE);
            alternative =
                alternative.with_delay(delay.into_distribution(&mut plain).map_err(|e| e.within("follow_up"))?);
        }
        for (name, quantity) in self.set.unwrap_or_default() {
            let field = format!("set.{name}");
            let knob: Knob = name.parse().map_err(|e: Error| e.at_field(&field))?;
            let value = quantity
                .value(knob.unit() == KnobUnit::Hours)
                .map_err(|e| e.within(&field))?;
            alternative = alternative.with_value(knob, value);
        }
        Ok(alternative)
    }

    fn of_alternative(alternative: &Alternative) -> AlternativeSpec {
        let set: BTreeMap<String, Quantity> = alternative
            .values()
            .iter()
            .map(|&(knob, value)| (knob.name().to_owned(), Quantity::of(value, knob)))
            .collect();
        AlternativeSpec {
            weight: alternative.weight(),
            decay: alternative.decay().map(DecaySpec::from_curve),
            follow_up: alternative.delay().map(DelaySpec::from_distribution),
            set: (!set.is_empty()).then_some(set),
        }
    }
}

/// The `[[inputs]]` entry of `input` (written when it cannot sit in its
/// segment's key).
pub(super) fn named_entry(input: &UncertainInput) -> InputSpec {
    InputSpec {
        name: input.label.clone(),
        knob: Some(input.knob.name().to_owned()),
        segments: (!input.segments.is_empty()).then(|| input.segments.clone()),
        ..InputSpec::of_distribution(&input.distribution, input.knob)
    }
}

/// The table of `input` written in its segment's key, with the segment's
/// own value as `base` when it is not the default (the median, rounded for
/// whole numbers).
pub(super) fn inline_entry(input: &UncertainInput, own: Option<f64>) -> InputSpec {
    let median = input.distribution.median();
    let default = if input.knob.is_whole() { median.round() } else { median };
    InputSpec {
        base: own.filter(|&v| v != default).map(|v| Quantity::of(v, input.knob)),
        ..InputSpec::of_distribution(&input.distribution, input.knob)
    }
}
