//! Uncertain inputs: a [`Knob`] of the model with a distribution attached.
//!
//! A scenario's [`Uncertainty`] lists its uncertain inputs. A trial draws a
//! point `u` of the unit cube, one coordinate per input
//! ([`Uncertainty::dimension`]), and [`Uncertainty::realise`] turns it into
//! the scenario of that trial: every input set to the quantile of its
//! coordinate. Everything above (the two-level engine, the exact expectation
//! over the inputs, tornado charts and Sobol indices) moves inputs only
//! through `realise`.

mod distribution;

use serde::{Deserialize, Serialize};

pub use distribution::InputDistribution;

use crate::error::{Error, Result};
use crate::model::knob::{Knob, check_segment};
use crate::model::scenario::Scenario;

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
}

impl UncertainInput {
    /// `knob` drawn from `distribution`, in every segment.
    pub fn new(knob: Knob, distribution: InputDistribution) -> UncertainInput {
        UncertainInput {
            knob,
            segments: Vec::new(),
            distribution,
        }
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

    /// The input's name in reports: the knob, with the segments when it does
    /// not set them all (`close-rate[industrial]`).
    pub fn name(&self) -> String {
        if self.segments.is_empty() {
            self.knob.name().to_string()
        } else {
            format!("{}[{}]", self.knob.name(), self.segments.join(","))
        }
    }

    fn apply(&self, scenario: &Scenario, value: f64) -> Result<Scenario> {
        if self.segments.is_empty() {
            return self.knob.apply(scenario, value, None);
        }
        let mut out = scenario.clone();
        for segment in &self.segments {
            out = self.knob.apply(&out, value, Some(segment))?;
        }
        Ok(out)
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Uncertainty {
    inputs: Vec<UncertainInput>,
}

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

    /// Whether every input is a number.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The independent uncertain inputs.
    pub fn inputs(&self) -> &[UncertainInput] {
        &self.inputs
    }

    /// The coordinates of the unit cube a trial draws.
    pub fn dimension(&self) -> usize {
        self.inputs.len()
    }

    /// The factors, in order, each with its coordinates.
    pub fn factors(&self) -> Vec<Factor> {
        self.inputs
            .iter()
            .enumerate()
            .map(|(i, input)| Factor {
                name: input.name(),
                coordinates: i..i + 1,
            })
            .collect()
    }

    /// Checks every input against `base`: known segments, a team knob
    /// refused, and the whole range of each distribution valid for its knob
    /// (both ends and the median are applied).
    ///
    /// # Errors
    ///
    /// The first input that cannot be set, with its path (`inputs[0]`).
    pub fn check(&self, base: &Scenario) -> Result<()> {
        for (i, input) in self.inputs.iter().enumerate() {
            let within = |e: Error| e.within(&format!("inputs[{i}]"));
            for segment in &input.segments {
                check_segment(base, segment).map_err(within)?;
            }
            for u in [0.0, 0.5, 1.0] {
                input.apply(base, input.distribution.quantile(u)).map_err(within)?;
            }
        }
        Ok(())
    }

    /// The scenario at the point `u` of the unit cube: each input set to the
    /// quantile of its coordinates.
    ///
    /// # Errors
    ///
    /// `u` of the wrong length (field `u`), or a value a segment refuses.
    pub fn realise(&self, base: &Scenario, u: &[f64]) -> Result<Scenario> {
        if u.len() != self.dimension() {
            return Err(Error::invalid(
                "u",
                u.len(),
                format!("{} coordinates, one per uncertain input", self.dimension()),
            ));
        }
        let mut scenario = base.clone();
        for (input, &coordinate) in self.inputs.iter().zip(u) {
            scenario = input.apply(&scenario, input.distribution.quantile(coordinate))?;
        }
        Ok(scenario)
    }
}
