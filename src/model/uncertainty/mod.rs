//! Uncertain inputs: a [`Knob`] of the model with a distribution attached.
//!
//! A scenario's [`Uncertainty`] lists its uncertain inputs:
//!
//! * independent ones ([`UncertainInput`]): a knob, a distribution
//!   ([`InputDistribution`]) and the segments it sets, one draw shared by
//!   all of them (one shelf life for the whole market) or, when each
//!   segment should draw its own, one input per segment;
//! * joint ones ([`JointInput`]): a multivariate normal over several knobs
//!   on stated scales, or weighted [`Alternative`]s (bootstrap parameter
//!   sets, decay shapes with their Akaike weights).
//!
//! A trial draws a point `u` of the unit cube ([`Uncertainty::dimension`]
//! coordinates: one per independent input, in order, then each joint
//! input's, in order) and [`Uncertainty::realise`] turns it into the
//! scenario of that trial: every input set to the quantile of its
//! coordinate ([`InputDistribution::quantile`]), every joint input drawn
//! from its own. Everything above (the two-level engine, the exact
//! expectation over the inputs, tornado charts and Sobol indices) moves
//! inputs only through `realise`, so they all move them the same way; each
//! independent input and each joint input is one [`Factor`].
//!
//! # Valid in every trial
//!
//! [`Uncertainty::check`] (which [`ScenarioBuilder::build`] calls) makes a
//! failed trial impossible: it applies the lowest, the median and the
//! highest draw of every input ([`InputDistribution::support`]: a normal
//! reaches 8.21 standard deviations, see [`TAIL_PROBABILITY`]), and every
//! alternative, to every segment it sets; it refuses a continuous
//! distribution for a whole-number knob (`sqls`, `neglected`), the team
//! knob, unknown segments, two inputs that set the same number of a segment
//! (or a delay's mean and its median, a replaced decay and its shelf life:
//! one draw per number), and pairs that could cross (`neglected` above
//! `sqls`, a uniform delay's `min` above its `max`).
//!
//! [`ScenarioBuilder::build`]: crate::ScenarioBuilder::build

mod distribution;
mod joint;

use serde::{Deserialize, Serialize};

pub use distribution::{InputDistribution, MAX_BETA_SHAPE, MAX_COUNT, TAIL_PROBABILITY};
pub use joint::{Alternative, JointInput, JointLaw, JointNormal, Scale};

use crate::error::{Error, Result};
use crate::model::decay::DecayCurve;
use crate::model::follow_up::DelayDistribution;
use crate::model::knob::{Knob, KnobUnit, check_segment, set_inputs};
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// One uncertain input: a knob, the segments it sets, and its distribution.
/// One draw per trial sets the knob in every segment it names: an input
/// shared by several segments (one shelf life for the whole market) is one
/// input, not one per segment.
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::{InputDistribution, UncertainInput};
/// use lead_decay::whatif::Knob;
///
/// let close_rate = UncertainInput::new(Knob::CloseRate, InputDistribution::beta_mean_sd(0.25, 0.04)?)
///     .in_segment("industrial");
/// assert_eq!(close_rate.segments(), ["industrial"]);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UncertainInput {
    /// The input it sets.
    pub knob: Knob,
    /// The segments it sets, by name; empty for every segment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Its distribution, in the knob's unit (hours for durations).
    pub distribution: InputDistribution,
    /// Its name, when it was given one (a named input of a scenario file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl UncertainInput {
    /// `knob` drawn from `distribution`, in every segment.
    pub fn new(knob: Knob, distribution: InputDistribution) -> UncertainInput {
        UncertainInput {
            knob,
            segments: Vec::new(),
            distribution,
            label: None,
        }
    }

    /// Gives the input a name for reports (`"market shelf life"`).
    #[must_use]
    pub fn named(mut self, name: impl Into<String>) -> UncertainInput {
        self.label = Some(name.into());
        self
    }

    /// Also (or only, for the first call) in the segment called `name`.
    #[must_use]
    pub fn in_segment(mut self, name: impl Into<String>) -> UncertainInput {
        self.segments.push(name.into());
        self
    }

    /// The segments it sets; empty for every segment.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The input's name in reports: its given name, else the knob with the
    /// segments when it does not set them all (`close-rate[industrial]`).
    pub fn name(&self) -> String {
        if let Some(label) = &self.label {
            label.clone()
        } else if self.segments.is_empty() {
            self.knob.name().to_string()
        } else {
            format!("{}[{}]", self.knob.name(), self.segments.join(","))
        }
    }
}

/// A factor of a sensitivity analysis: one input, or a group of inputs drawn
/// jointly, with the coordinates of the unit cube it owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Factor {
    /// Its name in reports.
    pub name: String,
    /// The coordinates of the unit cube it owns (`start..end`).
    pub coordinates: std::ops::Range<usize>,
}

/// The uncertain inputs of a scenario; empty for a scenario whose inputs are
/// all numbers.
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
/// use lead_decay::whatif::Knob;
/// use lead_decay::{Expected, Scenario};
///
/// let uncertainty = Uncertainty::new()
///     .with_input(UncertainInput::new(Knob::CloseRate, InputDistribution::beta_mean_sd(0.25, 0.04)?))
///     .with_input(UncertainInput::new(Knob::ShelfLife, InputDistribution::uniform(480.0, 960.0)?));
/// let scenario = Scenario::builder("guesses")
///     .segment(Scenario::reference().segments()[0].clone())
///     .uncertainty(uncertainty)
///     .build()?;
/// assert_eq!(scenario.uncertainty().dimension(), 2);
/// let trial = scenario.realise(&[0.5, 0.0])?; // the median close rate, the shortest shelf life
/// assert!(trial.uncertainty().is_empty());
/// assert_eq!(trial.segments()[0].decay().time_scale().get(), 480.0 + 480.0 * 2f64.powi(-53));
/// assert!(Expected::of(&trial).customers < Expected::of(&scenario).customers);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Uncertainty {
    inputs: Vec<UncertainInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    joints: Vec<JointInput>,
}

/// What an input sets in a segment, for finding two inputs that would set
/// the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Knob(Knob),
    /// A replaced decay curve (an alternative's).
    Decay,
    /// A replaced follow-up delay (an alternative's).
    Delay,
}

impl Target {
    /// Whether two inputs setting `self` and `other` in one segment would
    /// make a trial's value depend on the order they are set in.
    fn clashes(self, other: Target) -> bool {
        use Knob::{
            FollowUpMax, FollowUpMean, FollowUpMedian, FollowUpMin, FollowUpShape, FollowUpSigma, Neglected,
            NeverFollowedUp, ScheduleRate, ShelfLife, WeibullShape,
        };
        let pair = |a: Target, b: Target| match (a, b) {
            (Target::Knob(x), Target::Knob(y)) => {
                x == y
                    || matches!((x, y), (Neglected, NeverFollowedUp))
                    || (x == FollowUpMean && matches!(y, FollowUpMedian | FollowUpSigma | FollowUpMin | FollowUpMax))
            }
            (Target::Decay, Target::Decay) | (Target::Delay, Target::Delay) => true,
            (Target::Decay, Target::Knob(k)) => matches!(k, ShelfLife | WeibullShape | ScheduleRate),
            (Target::Delay, Target::Knob(k)) => matches!(
                k,
                FollowUpMean | FollowUpMedian | FollowUpSigma | FollowUpShape | FollowUpMin | FollowUpMax
            ),
            _ => false,
        };
        pair(self, other) || pair(other, self)
    }

    fn describe(self) -> String {
        match self {
            Target::Knob(k) => k.name().to_owned(),
            Target::Decay => "the decay curve".to_owned(),
            Target::Delay => "the follow-up delay".to_owned(),
        }
    }
}

/// The knobs that must not cross, and which end of the other matters:
/// `(knob, partner, partner's end: true for its highest)`.
const PAIRS: [(Knob, Knob, bool); 4] = [
    (Knob::Sqls, Knob::Neglected, false),
    (Knob::Neglected, Knob::Sqls, true),
    (Knob::FollowUpMin, Knob::FollowUpMax, true),
    (Knob::FollowUpMax, Knob::FollowUpMin, false),
];

impl Uncertainty {
    /// No uncertain input.
    pub fn new() -> Uncertainty {
        Uncertainty::default()
    }

    /// With `input` added (checked against a scenario by
    /// [`Uncertainty::check`]).
    #[must_use]
    pub fn with_input(mut self, input: UncertainInput) -> Uncertainty {
        self.inputs.push(input);
        self
    }

    /// With the joint input `joint` added after the others (checked
    /// against a scenario by [`Uncertainty::check`]).
    #[must_use]
    pub fn with_joint(mut self, joint: JointInput) -> Uncertainty {
        self.joints.push(joint);
        self
    }

    /// Whether every input is a number.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty() && self.joints.is_empty()
    }

    /// The independent uncertain inputs.
    pub fn inputs(&self) -> &[UncertainInput] {
        &self.inputs
    }

    /// The joint inputs.
    pub fn joints(&self) -> &[JointInput] {
        &self.joints
    }

    /// The coordinates of the unit cube a trial draws: one per independent
    /// input, then each joint input's ([`JointInput::dimension`]).
    pub fn dimension(&self) -> usize {
        self.inputs.len() + self.joints.iter().map(JointInput::dimension).sum::<usize>()
    }

    /// The factors, in order, each with its coordinates: the independent
    /// inputs, then the joint inputs (one factor each, however many
    /// coordinates it owns).
    pub fn factors(&self) -> Vec<Factor> {
        let mut factors: Vec<Factor> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| Factor {
                name: input.name(),
                coordinates: i..i + 1,
            })
            .collect();
        let mut start = self.inputs.len();
        for joint in &self.joints {
            let end = start + joint.dimension();
            factors.push(Factor {
                name: joint.name(),
                coordinates: start..end,
            });
            start = end;
        }
        factors
    }

    /// Checks every input against `base` (see the [module docs](self)):
    /// after it, [`Uncertainty::realise`] succeeds at every point of the
    /// unit cube.
    ///
    /// # Errors
    ///
    /// The first input that could fail, with its path (`inputs[0]`,
    /// `joints[1]`): the team knob (`inputs[i].knob`), a continuous
    /// distribution for a whole-number knob (`inputs[i].distribution`),
    /// invalid parameters, an unknown or repeated segment, two inputs that
    /// set the same number of a segment, a draw a segment refuses (the
    /// message gives the draw: "its lowest draw, -11d, ..."), or two knobs
    /// that could cross.
    pub fn check(&self, base: &Scenario) -> Result<()> {
        let segments = base.segments();
        // Who sets what, by segment: (path, target).
        let mut setters: Vec<Vec<(String, Target)>> = vec![Vec::new(); segments.len()];
        for (i, input) in self.inputs.iter().enumerate() {
            let path = format!("inputs[{i}]");
            let within = |e: Error| e.within(&path);
            if input.knob.is_team() {
                return Err(Error::invalid(
                    format!("{path}.knob"),
                    input.knob,
                    "a knob of the segments: `reps` is the [sales] team's, which has no uncertain inputs",
                ));
            }
            input
                .distribution
                .validate()
                .map_err(|e| e.within(&format!("{path}.distribution")))?;
            if input.knob.is_whole() && !input.distribution.is_discrete() {
                return Err(Error::invalid(
                    format!("{path}.distribution"),
                    input.distribution.family(),
                    format!(
                        "a discrete distribution (\"poisson\", \"binomial\" or \"uniform-int\"): {} takes whole numbers",
                        input.knob
                    ),
                ));
            }
            for index in targets(&input.segments, base).map_err(within)? {
                setters[index].push((path.clone(), Target::Knob(input.knob)));
            }
        }
        for (j, joint) in self.joints.iter().enumerate() {
            let path = format!("joints[{j}]");
            let mut what: Vec<Target> = Vec::new();
            match joint.law() {
                JointLaw::Normal(normal) => what.extend(normal.knobs().iter().map(|&(k, _)| Target::Knob(k))),
                JointLaw::Alternatives { alternatives } => {
                    for (a, alternative) in alternatives.iter().enumerate() {
                        let at = format!("{path}.alternatives[{a}]");
                        for (v, &(knob, _)) in alternative.values().iter().enumerate() {
                            if knob.is_team() || alternative.values()[..v].iter().any(|&(k, _)| k == knob) {
                                return Err(Error::invalid(
                                    format!("{at}.values[{v}]"),
                                    knob,
                                    "a knob of the segments, set once",
                                ));
                            }
                        }
                        let sets = alternative
                            .decay()
                            .map(|_| Target::Decay)
                            .into_iter()
                            .chain(alternative.delay().map(|_| Target::Delay))
                            .chain(alternative.values().iter().map(|&(k, _)| Target::Knob(k)));
                        for target in sets {
                            if !what.contains(&target) {
                                what.push(target);
                            }
                        }
                    }
                }
            }
            for index in targets(joint.segments(), base).map_err(|e| e.within(&path))? {
                setters[index].extend(what.iter().map(|&t| (path.clone(), t)));
            }
        }
        for (s, set) in setters.iter().enumerate() {
            for (b, (path, target)) in set.iter().enumerate() {
                if let Some((earlier, other)) = set[..b].iter().find(|(p, t)| p != path && t.clashes(*target)) {
                    return Err(Error::invalid(
                        path.clone(),
                        target.describe(),
                        format!(
                            "an input that sets nothing another sets in segment {:?}: {earlier} already sets {} \
                             (one draw per number: set it in one input, or join them in a joint input)",
                            segments[s].name(),
                            other.describe()
                        ),
                    ));
                }
            }
        }
        // The range each pair knob can take in each segment, over every
        // input that sets it (the segment's own value when none does).
        let ranges = self.pair_ranges(base);
        let partners = |s: usize, knob: Knob| -> Vec<(Knob, f64)> {
            PAIRS
                .iter()
                .filter(|&&(k, _, _)| k == knob)
                .filter_map(|&(_, partner, high)| {
                    ranges[s]
                        .iter()
                        .find(|r| r.0 == partner)
                        .map(|r| (partner, if high { r.1[1] } else { r.1[0] }))
                })
                .collect()
        };
        let try_value = |s: usize, knob: Knob, value: f64| {
            let mut values = partners(s, knob);
            values.push((knob, value));
            set_inputs(&segments[s], None, None, &values).map(|_| ())
        };
        for (i, input) in self.inputs.iter().enumerate() {
            let (low, high) = input.distribution.support();
            let points = [
                ("lowest", low),
                ("median", input.distribution.median()),
                ("highest", high),
            ];
            for s in targets(&input.segments, base)? {
                for (which, value) in points {
                    try_value(s, input.knob, value).map_err(|e| {
                        refused(
                            format!("inputs[{i}]"),
                            &input.distribution.to_string(),
                            input.knob,
                            which,
                            value,
                            e,
                        )
                    })?;
                }
            }
        }
        for (j, joint) in self.joints.iter().enumerate() {
            let path = format!("joints[{j}]");
            let indices = targets(joint.segments(), base)?;
            match joint.law() {
                JointLaw::Normal(normal) => {
                    for (knob, reach) in normal.reach() {
                        for s in &indices {
                            for (which, value) in ["lowest", "median", "highest"].into_iter().zip(reach) {
                                try_value(*s, knob, value)
                                    .map_err(|e| refused(path.clone(), "a joint normal", knob, which, value, e))?;
                            }
                        }
                    }
                }
                JointLaw::Alternatives { alternatives } => {
                    for (a, alternative) in alternatives.iter().enumerate() {
                        for &s in &indices {
                            let mut values: Vec<(Knob, f64)> = Vec::new();
                            for &(knob, _) in alternative.values() {
                                values.extend(partners(s, knob));
                            }
                            values.retain(|(k, _)| alternative.values().iter().all(|(own, _)| own != k));
                            values.extend_from_slice(alternative.values());
                            set_inputs(&segments[s], alternative.decay(), alternative.delay(), &values).map_err(
                                |e| {
                                    Error::invalid(
                                        format!("{path}.alternatives[{a}]"),
                                        format!("the alternative of weight {}", alternative.weight()),
                                        format!(
                                            "an alternative every segment it sets accepts; segment {:?} refuses it: {}",
                                            segments[s].name(),
                                            refusal(&e)
                                        ),
                                    )
                                },
                            )?;
                        }
                    }
                }
            }
        }
        // Pairs that could cross.
        for (s, range) in ranges.iter().enumerate() {
            for &(low_knob, high_knob) in &[(Knob::Neglected, Knob::Sqls), (Knob::FollowUpMin, Knob::FollowUpMax)] {
                let (Some(small), Some(big)) = (
                    range.iter().find(|r| r.0 == low_knob),
                    range.iter().find(|r| r.0 == high_knob),
                ) else {
                    continue;
                };
                if small.1[1] > big.1[0] {
                    let who = setters[s]
                        .iter()
                        .filter(|(_, t)| *t == Target::Knob(low_knob) || *t == Target::Knob(high_knob))
                        .map(|(p, _)| p.clone())
                        .next_back()
                        .unwrap_or_default();
                    return Err(Error::invalid(
                        who,
                        format!(
                            "{low_knob} up to {} and {high_knob} down to {}",
                            low_knob.label_of(small.1[1]),
                            high_knob.label_of(big.1[0])
                        ),
                        format!(
                            "inputs under which {low_knob} never exceeds {high_knob} in segment {:?}",
                            segments[s].name()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// For each segment, the lowest and highest value of each knob of
    /// [`PAIRS`] that some input sets there (with the segment's own value
    /// when an alternative leaves it).
    fn pair_ranges(&self, base: &Scenario) -> Vec<Vec<(Knob, [f64; 2])>> {
        let segments = base.segments();
        let mut ranges: Vec<Vec<(Knob, [f64; 2])>> = vec![Vec::new(); segments.len()];
        let mut widen = |s: usize, knob: Knob, low: f64, high: f64| match ranges[s].iter_mut().find(|r| r.0 == knob) {
            Some(r) => r.1 = [r.1[0].min(low), r.1[1].max(high)],
            None => ranges[s].push((knob, [low, high])),
        };
        let paired = |knob: Knob| PAIRS.iter().any(|p| p.0 == knob);
        for input in &self.inputs {
            if paired(input.knob) {
                let (low, high) = input.distribution.support();
                for s in targets(&input.segments, base).unwrap_or_default() {
                    widen(s, input.knob, low, high);
                }
            }
        }
        for joint in &self.joints {
            let indices = targets(joint.segments(), base).unwrap_or_default();
            match joint.law() {
                JointLaw::Normal(normal) => {
                    for (knob, [low, _, high]) in normal.reach() {
                        if paired(knob) {
                            for &s in &indices {
                                widen(s, knob, low, high);
                            }
                        }
                    }
                }
                JointLaw::Alternatives { alternatives } => {
                    for &(knob, _, _) in &PAIRS {
                        let set: Vec<f64> = alternatives
                            .iter()
                            .filter_map(|a| a.values().iter().find(|v| v.0 == knob).map(|v| v.1))
                            .collect();
                        if set.is_empty() {
                            continue;
                        }
                        for &s in &indices {
                            let mut low = set.iter().copied().fold(f64::INFINITY, f64::min);
                            let mut high = set.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                            if set.len() < alternatives.len()
                                && let Some(own) = knob.value_in(&segments[s])
                            {
                                (low, high) = (low.min(own), high.max(own));
                            }
                            widen(s, knob, low, high);
                        }
                    }
                }
            }
        }
        ranges
    }

    /// These inputs with `knob` fixed in `segment` (every segment for
    /// `None`): the inputs on `knob` no longer set it there, so a
    /// what-if that sets `knob` to a value is not overridden by a draw (a
    /// [`Sweep`](crate::whatif::Sweep) over an uncertain knob).
    ///
    /// # Errors
    ///
    /// An input on another knob, or a joint input, that sets `knob` or a
    /// number it depends on in `segment` (a swept mean delay with an
    /// uncertain median): fixing one would leave the other drawn, so the
    /// what-if has no single meaning (field `inputs[i]` or `joints[j]`).
    pub fn without_knob(&self, knob: Knob, segment: Option<&str>, base: &Scenario) -> Result<Uncertainty> {
        let swept = |names: &[String]| -> Result<Vec<usize>> {
            let indices = targets(names, base)?;
            Ok(indices
                .into_iter()
                .filter(|&s| segment.is_none_or(|name| base.segments()[s].name() == name))
                .collect())
        };
        let mut inputs = Vec::with_capacity(self.inputs.len());
        for (i, input) in self.inputs.iter().enumerate() {
            let hit = swept(&input.segments)?;
            if hit.is_empty() || !Target::Knob(input.knob).clashes(Target::Knob(knob)) {
                inputs.push(input.clone());
                continue;
            }
            if input.knob != knob {
                return Err(Error::invalid(
                    format!("inputs[{i}]"),
                    input.knob,
                    format!("no uncertain input on a number that {knob} sets, to set {knob} to one value"),
                ));
            }
            // Keep the input in the segments that are not swept.
            let kept: Vec<String> = targets(&input.segments, base)?
                .into_iter()
                .filter(|s| !hit.contains(s))
                .map(|s| base.segments()[s].name().to_owned())
                .collect();
            if !kept.is_empty() {
                let mut narrowed = input.clone();
                narrowed.segments = kept;
                inputs.push(narrowed);
            }
        }
        for (j, joint) in self.joints.iter().enumerate() {
            if swept(joint.segments())?.is_empty() {
                continue;
            }
            let sets_it = match joint.law() {
                JointLaw::Normal(normal) => normal
                    .knobs()
                    .iter()
                    .any(|&(k, _)| Target::Knob(k).clashes(Target::Knob(knob))),
                JointLaw::Alternatives { alternatives } => alternatives.iter().any(|a| {
                    a.values()
                        .iter()
                        .any(|&(k, _)| Target::Knob(k).clashes(Target::Knob(knob)))
                        || (a.decay().is_some() && Target::Decay.clashes(Target::Knob(knob)))
                        || (a.delay().is_some() && Target::Delay.clashes(Target::Knob(knob)))
                }),
            };
            if sets_it {
                return Err(Error::invalid(
                    format!("joints[{j}]"),
                    joint.name(),
                    format!("no joint input that draws {knob}, to set {knob} to one value"),
                ));
            }
        }
        Ok(Uncertainty {
            inputs,
            joints: self.joints.clone(),
        })
    }

    /// The scenario at the point `u` of the unit cube: `base` with each
    /// input set to the quantile of its coordinate and each joint input
    /// drawn from its coordinates, and no uncertainty left. Each segment
    /// is set once, with all its inputs together; the scenario is not
    /// validated again.
    ///
    /// # Errors
    ///
    /// `u` of the wrong length (field `u`) or a coordinate outside `[0, 1]`
    /// (field `u[i]`), an unknown segment, or a value a segment refuses:
    /// impossible once [`Uncertainty::check`] has passed for `base`.
    pub fn realise(&self, base: &Scenario, u: &[f64]) -> Result<Scenario> {
        if u.len() != self.dimension() {
            return Err(Error::invalid(
                "u",
                u.len(),
                format!("{} coordinates, one per uncertain input", self.dimension()),
            ));
        }
        if let Some((i, x)) = u.iter().enumerate().find(|(_, x)| !(0.0..=1.0).contains(*x)) {
            return Err(Error::invalid(format!("u[{i}]"), x, "a coordinate in [0, 1]"));
        }
        let segments = base.segments();
        let mut plans: Vec<Plan<'_>> = (0..segments.len()).map(|_| Plan::default()).collect();
        for (input, &coordinate) in self.inputs.iter().zip(u) {
            let value = input.distribution.quantile(coordinate);
            for s in targets(&input.segments, base)? {
                plans[s].values.push((input.knob, value));
            }
        }
        let mut start = self.inputs.len();
        for joint in &self.joints {
            let coordinates = &u[start..start + joint.dimension()];
            start += joint.dimension();
            let indices = targets(joint.segments(), base)?;
            match joint.law() {
                JointLaw::Normal(normal) => {
                    let values = normal.values(coordinates);
                    for &s in &indices {
                        plans[s].values.extend_from_slice(&values);
                    }
                }
                JointLaw::Alternatives { .. } => {
                    if let Some(alternative) = joint.alternative_at(coordinates[0]) {
                        for &s in &indices {
                            let plan = &mut plans[s];
                            plan.decay = alternative.decay().or(plan.decay);
                            plan.delay = alternative.delay().or(plan.delay);
                            plan.values.extend_from_slice(alternative.values());
                        }
                    }
                }
            }
        }
        let realised = segments
            .iter()
            .zip(&plans)
            .enumerate()
            .map(|(s, (segment, plan))| {
                if plan.values.is_empty() && plan.decay.is_none() && plan.delay.is_none() {
                    Ok(segment.clone())
                } else {
                    set_inputs(segment, plan.decay, plan.delay, &plan.values)
                        .map_err(|e| e.within(&format!("segments[{s}]")))
                }
            })
            .collect::<Result<Vec<Segment>>>()?;
        Ok(base.realised(realised))
    }
}

/// What one trial sets in one segment.
#[derive(Default)]
struct Plan<'a> {
    decay: Option<&'a DecayCurve>,
    delay: Option<&'a DelayDistribution>,
    values: Vec<(Knob, f64)>,
}

/// The indices of the segments named (every segment when none is).
///
/// # Errors
///
/// An unknown segment (field `segment`), or one named twice (field
/// `segments`).
fn targets(names: &[String], base: &Scenario) -> Result<Vec<usize>> {
    if names.is_empty() {
        return Ok((0..base.segments().len()).collect());
    }
    let mut indices = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(Error::invalid(
                format!("segments[{i}]"),
                format!("{name:?}"),
                "a segment named once",
            ));
        }
        match base.segments().iter().position(|s| s.name() == name) {
            Some(index) => indices.push(index),
            None => return Err(check_segment(base, name).unwrap_err()),
        }
    }
    Ok(indices)
}

/// The error for a draw a segment refuses.
fn refused(path: String, what: &str, knob: Knob, which: &str, value: f64, inner: Error) -> Error {
    let at = match which {
        "lowest" => " (at probability 2^-53)",
        "highest" => " (at probability 1 - 2^-53)",
        _ => "",
    };
    Error::invalid(
        path,
        what,
        format!(
            "a distribution whose every draw is a valid {knob}: its {which} draw, {}{at}, is refused: {}",
            draw_label(knob, value),
            refusal(&inner)
        ),
    )
}

/// A draw as people read it: a duration with its unit, other numbers to
/// six decimals (the message is about a range, not the last digit).
fn draw_label(knob: Knob, value: f64) -> String {
    match crate::model::duration::Hours::new(value) {
        Ok(hours) if knob.unit() == KnobUnit::Hours => hours.to_string(),
        _ if knob.unit() == KnobUnit::Hours => format!("{:.1} hours", value),
        _ => format!("{}", (value * 1e6).round() / 1e6),
    }
}

/// What refused a value, without repeating the value: `close_rate expects
/// a probability in [0, 1] (...)`.
fn refusal(error: &Error) -> String {
    match error {
        Error::InvalidValue { field, expected, .. } => format!("{field} expects {expected}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Expected;
    use crate::model::deal_value::DealValue;
    use crate::model::duration::Hours;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    /// Two segments: the reference case's, and a web segment with a
    /// log-normal delay and a Weibull decay.
    fn two() -> Scenario {
        let web = Segment::builder("web")
            .sqls(200)
            .close_rate(0.1)
            .deal_value(DealValue::lognormal(5_000.0, 0.5).unwrap())
            .decay(DecayCurve::weibull(h(48.0), 0.8).unwrap())
            .never_followed_up(0.2)
            .delay(DelayDistribution::lognormal(h(4.0), 1.0).unwrap())
            .build()
            .unwrap();
        Scenario::builder("two")
            .segment(Scenario::reference().segments()[0].clone())
            .segment(web)
            .build()
            .unwrap()
    }

    fn with(uncertainty: Uncertainty) -> Result<Scenario> {
        let base = two();
        Scenario::builder("two")
            .segment(base.segments()[0].clone())
            .segment(base.segments()[1].clone())
            .uncertainty(uncertainty)
            .build()
    }

    fn input(knob: Knob, d: Result<InputDistribution>) -> UncertainInput {
        UncertainInput::new(knob, d.unwrap())
    }

    fn error(uncertainty: Uncertainty) -> String {
        with(uncertainty).unwrap_err().to_string()
    }

    #[test]
    fn each_input_and_each_joint_input_is_one_factor_owning_its_coordinates() {
        let u = Uncertainty::new()
            .with_input(input(Knob::CloseRate, InputDistribution::beta_mean_sd(0.2, 0.05)).in_segment("web"))
            .with_joint(
                JointInput::normal(
                    vec![(Knob::FollowUpMedian, Scale::Log), (Knob::FollowUpSigma, Scale::Log)],
                    vec![4f64.ln(), 0.0],
                    vec![vec![0.04, 0.0], vec![0.0, 0.01]],
                )
                .unwrap()
                .in_segment("web"),
            )
            .with_input(input(Knob::Sla, InputDistribution::uniform(1.0, 24.0)))
            .with_joint(
                JointInput::alternatives(vec![
                    Alternative::new(1.0).unwrap().with_value(Knob::DealValue, 90_000.0),
                    Alternative::new(1.0).unwrap().with_value(Knob::DealValue, 110_000.0),
                ])
                .unwrap()
                .in_segment("industrial")
                .named("deal size"),
            );
        assert_eq!(u.dimension(), 5);
        let factors = u.factors();
        let shown: Vec<(&str, std::ops::Range<usize>)> = factors
            .iter()
            .map(|f| (f.name.as_str(), f.coordinates.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                ("close-rate[web]", 0..1),
                ("sla", 1..2),
                ("joint(follow-up-median,follow-up-sigma)[web]", 2..4),
                ("deal size", 4..5),
            ]
        );
        let scenario = with(u).unwrap();
        let trial = scenario.realise(&[0.5, 0.0, 0.5, 0.5, 0.99]).unwrap();
        assert!(trial.uncertainty().is_empty());
        let (industrial, web) = (&trial.segments()[0], &trial.segments()[1]);
        assert_eq!(
            web.close_rate(),
            InputDistribution::beta_mean_sd(0.2, 0.05).unwrap().median()
        );
        assert_eq!(industrial.close_rate(), 0.25);
        assert_eq!(industrial.follow_up().sla(), Some(h(1.0 + 23.0 * TAIL_PROBABILITY)));
        assert_eq!(
            web.follow_up().delay(),
            &DelayDistribution::lognormal(h(4.0), 1.0).unwrap()
        );
        assert_eq!(industrial.deal_value().mean(), 110_000.0);
        assert_eq!(web.deal_value().mean(), 5_000.0);
        let e = scenario.realise(&[0.5; 4]).unwrap_err();
        assert_eq!(e.field(), Some("u"));
        let e = scenario.realise(&[0.5, 0.5, f64::NAN, 0.5, 0.5]).unwrap_err();
        assert_eq!(e.field(), Some("u[2]"));
    }

    #[test]
    fn a_scenario_of_numbers_realises_to_itself() {
        let scenario = two();
        assert_eq!(scenario.realise(&[]).unwrap(), scenario);
        assert_eq!(scenario.uncertainty().dimension(), 0);
        assert!(scenario.uncertainty().factors().is_empty());
    }

    #[test]
    fn after_check_every_point_of_the_cube_realises() {
        let u = Uncertainty::new()
            .with_input(input(Knob::Sqls, InputDistribution::poisson(400.0)).in_segment("industrial"))
            .with_input(input(Knob::Neglected, InputDistribution::binomial(5, 0.5)).in_segment("industrial"))
            .with_input(input(Knob::ShelfLife, InputDistribution::lognormal(720.0, 0.3)))
            .with_input(input(Knob::FollowUpMean, InputDistribution::pert(1.0, 24.0, 96.0)).in_segment("industrial"))
            .with_input(input(Knob::NeverFollowedUp, InputDistribution::beta(2.0, 8.0)).in_segment("web"))
            .with_joint(
                JointInput::normal(
                    vec![(Knob::CloseRate, Scale::Logit), (Knob::WeibullShape, Scale::Log)],
                    vec![-2.0, -0.2],
                    vec![vec![0.09, -0.02], vec![-0.02, 0.04]],
                )
                .unwrap()
                .in_segment("web"),
            );
        let scenario = with(u).unwrap();
        let dimension = scenario.uncertainty().dimension();
        // Corners, the centre and a scatter of points.
        let mut points: Vec<Vec<f64>> = vec![vec![0.0; dimension], vec![1.0; dimension], vec![0.5; dimension]];
        let mut x = 0.123_456_789_f64;
        for _ in 0..200 {
            points.push(
                (0..dimension)
                    .map(|_| {
                        x = (x * 997.0 + 0.31).fract();
                        x
                    })
                    .collect(),
            );
        }
        for point in points {
            let trial = scenario.realise(&point).unwrap();
            let e = Expected::of(&trial);
            assert!(e.customers.is_finite() && e.revenue_lost.is_finite(), "{point:?}");
        }
    }

    #[test]
    fn check_refuses_what_could_fail_in_some_trial_naming_the_input() {
        // A normal shelf life that can go below 0.
        let e = error(Uncertainty::new().with_input(input(Knob::ShelfLife, InputDistribution::normal(720.0, 120.0))));
        assert!(
            e.starts_with("inputs[0]: expected a distribution whose every draw is a valid shelf-life"),
            "{e}"
        );
        assert!(
            e.contains("lowest draw, -265.1") && e.contains("2^-53") && e.contains("normal { mean = 720"),
            "{e}"
        );
        // ... while one of sd below mean / 8.21 is fine.
        assert!(
            with(Uncertainty::new().with_input(input(Knob::ShelfLife, InputDistribution::normal(720.0, 80.0)))).is_ok()
        );
        // A continuous distribution for a whole number.
        let e = error(Uncertainty::new().with_input(input(Knob::Sqls, InputDistribution::normal(40.0, 2.0))));
        assert!(
            e.starts_with("inputs[0].distribution:") && e.contains("discrete") && e.contains("sqls"),
            "{e}"
        );
        // The team knob.
        let e = error(Uncertainty::new().with_input(input(Knob::Reps, InputDistribution::uniform_int(1, 3))));
        assert!(e.starts_with("inputs[0].knob:"), "{e}");
        // Unknown and repeated segments.
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::CloseRate, InputDistribution::uniform(0.1, 0.2)).in_segment("nope")),
        );
        assert!(
            e.starts_with("inputs[0].segment:") && e.contains("\"nope\"") && e.contains("\"web\""),
            "{e}"
        );
        let e = error(
            Uncertainty::new().with_input(
                input(Knob::CloseRate, InputDistribution::uniform(0.1, 0.2))
                    .in_segment("web")
                    .in_segment("web"),
            ),
        );
        assert!(e.starts_with("inputs[0].segments[1]:"), "{e}");
        // Invalid parameters given as data.
        let bad = UncertainInput::new(Knob::CloseRate, InputDistribution::Uniform { min: 0.3, max: 0.1 });
        assert!(error(Uncertainty::new().with_input(bad)).starts_with("inputs[0].distribution.min:"));
        // A shape the segment lacks.
        let e = error(Uncertainty::new().with_input(input(Knob::WeibullShape, InputDistribution::uniform(0.5, 1.5))));
        assert!(
            e.starts_with("inputs[0]:") && e.contains("decay.k") && e.contains("linear"),
            "{e}"
        );
        // Two inputs setting one number, and a delay's mean with its median.
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::CloseRate, InputDistribution::uniform(0.1, 0.2)))
                .with_input(input(Knob::CloseRate, InputDistribution::uniform(0.1, 0.3)).in_segment("web")),
        );
        assert!(
            e.starts_with("inputs[1]:") && e.contains("inputs[0] already sets close-rate") && e.contains("\"web\""),
            "{e}"
        );
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::FollowUpMedian, InputDistribution::uniform(1.0, 5.0)).in_segment("web"))
                .with_input(input(Knob::FollowUpMean, InputDistribution::uniform(1.0, 50.0)).in_segment("web")),
        );
        assert!(e.starts_with("inputs[1]:") && e.contains("follow-up-median"), "{e}");
        // A joint normal reaching a close rate above 1 on the identity scale.
        let e = error(Uncertainty::new().with_joint(
            JointInput::normal(vec![(Knob::CloseRate, Scale::Identity)], vec![0.5], vec![vec![0.01]]).unwrap(),
        ));
        assert!(e.starts_with("joints[0]:") && e.contains("lowest draw, -0.32"), "{e}");
        // An alternative a segment refuses.
        let e = error(
            Uncertainty::new().with_joint(
                JointInput::alternatives(vec![
                    Alternative::new(1.0).unwrap().with_value(Knob::WeibullShape, 2.0),
                    Alternative::new(1.0).unwrap(),
                ])
                .unwrap(),
            ),
        );
        assert!(
            e.starts_with("joints[0].alternatives[0]:") && e.contains("\"industrial\""),
            "{e}"
        );
        // An alternative replacing the decay clashes with an uncertain shelf life.
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::ShelfLife, InputDistribution::uniform(100.0, 200.0)).in_segment("web"))
                .with_joint(
                    JointInput::alternatives(vec![
                        Alternative::new(1.0)
                            .unwrap()
                            .with_decay(DecayCurve::linear(h(300.0)).unwrap()),
                    ])
                    .unwrap()
                    .in_segment("web"),
                ),
        );
        assert!(e.starts_with("joints[0]:") && e.contains("shelf-life"), "{e}");
    }

    #[test]
    fn counts_and_bounds_are_checked_together_not_one_at_a_time() {
        // Alone, 3 SQLs would refuse the base's 5 neglected, and 8 neglected
        // the base's... but drawn together they never cross.
        let together = Uncertainty::new()
            .with_input(input(Knob::Sqls, InputDistribution::uniform_int(3, 10)).in_segment("industrial"))
            .with_input(input(Knob::Neglected, InputDistribution::uniform_int(0, 3)).in_segment("industrial"));
        let scenario = with(together).unwrap();
        let trial = scenario.realise(&[0.0, 1.0]).unwrap();
        assert_eq!(trial.segments()[0].sqls(), 3);
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::Sqls, InputDistribution::uniform_int(3, 10)).in_segment("industrial"))
                .with_input(input(Knob::Neglected, InputDistribution::uniform_int(0, 4)).in_segment("industrial")),
        );
        assert!(
            e.starts_with("inputs[1]:") && e.contains("neglected up to 4 and sqls down to 3"),
            "{e}"
        );
        // One alone still meets the segment's own value.
        let e = error(
            Uncertainty::new()
                .with_input(input(Knob::Sqls, InputDistribution::uniform_int(3, 10)).in_segment("industrial")),
        );
        assert!(e.starts_with("inputs[0]:") && e.contains("neglected"), "{e}");
    }
}
