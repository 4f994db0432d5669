//! What drives the loss: which uncertain input matters most.
//!
//! A scenario whose inputs are guesses (a close rate known only roughly, a
//! shelf life given as a range, see [`crate::model::uncertainty`]) has an
//! expected loss that depends on where those guesses land. Two analyses say
//! which guess matters, both on the *exact* conditional expectation
//! `E[metric | inputs]` ([`Expected::of`] of the scenario
//! [realised](crate::Scenario::realise) at a point of the unit cube), so no
//! Monte Carlo noise of the SQLs enters them:
//!
//! * a [`Tornado`]: each factor moved alone from its 10th to its 90th
//!   percentile with every other at its median; the bars sorted by swing.
//!   Quick (two exact expectations per factor) and easy to read, but one
//!   factor at a time: it cannot see interactions.
//! * [`Sobol`] indices: the share of the variance of `E[metric | inputs]`
//!   that each factor explains alone (first order, `S_i`) and with all its
//!   interactions (total, `ST_i`), from a randomised quasi-random design,
//!   with 95 % confidence intervals.
//!
//! A *factor* is one uncertain input, or a group of inputs drawn jointly,
//! which counts as one factor and owns several coordinates of the cube
//! ([`Factor`]).
//!
//! [`crate::guide::sensitivity`] explains how to read both.
//!
//! Layer 5 of the crate, beside [`crate::whatif`]: it uses the model, the
//! exact expectations and the quasi-random sampler, and nothing below uses
//! it.
//!
//! # Example
//!
//! ```
//! use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
//! use lead_decay::sensitivity::{Sobol, Tornado};
//! use lead_decay::whatif::Knob;
//! use lead_decay::Scenario;
//!
//! // The reference case, with a close rate known only roughly and a mean
//! // delay to first follow-up somewhere between 1 and 5 days.
//! let base = Scenario::reference();
//! let scenario = Scenario::builder(base.name())
//!     .segment(base.segments()[0].clone())
//!     .uncertainty(
//!         Uncertainty::new()
//!             .with_input(UncertainInput::new(Knob::CloseRate, InputDistribution::beta_mean_sd(0.25, 0.05)?))
//!             .with_input(UncertainInput::new(Knob::FollowUpMean, InputDistribution::uniform(24.0, 120.0)?)),
//!     )
//!     .build()?;
//!
//! let tornado = Tornado::new().metric("revenue-lost").run(&scenario)?;
//! let top = &tornado.bars[0];
//! println!("{} swings the expected revenue lost by {:.0}", top.factor, top.swing);
//!
//! let sobol = Sobol::new().samples(256).replicates(4).run(&scenario)?;
//! let revenue_lost = sobol.metric("revenue_lost").unwrap();
//! for factor in &revenue_lost.factors {
//!     let total = factor.total.as_ref().unwrap();
//!     println!("{}: {:.2} ({:.2} to {:.2})", factor.factor, total.estimate, total.low, total.high);
//! }
//! # Ok::<(), lead_decay::Error>(())
//! ```

mod sobol;
mod tornado;

pub use sobol::{FactorIndices, Index, MetricIndices, Sobol, SobolReport};
pub use tornado::{Tornado, TornadoBar, TornadoReport};

use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::model::scenario::Scenario;
use crate::model::uncertainty::{Factor, UncertainInput, Uncertainty};

/// The metric called `name` (`revenue_lost` or `revenue-lost`), as its
/// name in [`Expected::NAMES`].
pub(crate) fn metric_name(name: &str) -> Result<&'static str> {
    let snake = name.trim().replace('-', "_");
    Expected::NAMES
        .into_iter()
        .find(|known| *known == snake)
        .ok_or_else(|| {
            Error::invalid(
                "metric",
                format!("{name:?}"),
                format!("one of {}", Expected::NAMES.join(", ")),
            )
        })
}

/// The value of the metric `name` (one of [`Expected::NAMES`]), `None`
/// where it does not apply (ROI without a spend, SLA met without an SLA).
pub(crate) fn metric_value(expected: &Expected, name: &str) -> Option<f64> {
    expected.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v)
}

/// Checks that `scenario` has an uncertain input to analyse.
fn check_uncertain(scenario: &Scenario) -> Result<()> {
    if scenario.uncertainty().is_empty() {
        return Err(Error::invalid(
            "uncertainty",
            "no uncertain input",
            "a scenario with at least one uncertain input (a distribution instead of a number)",
        ));
    }
    Ok(())
}

/// `E[metric | inputs]` at the point `u` of the unit cube: every metric.
fn expected_at(scenario: &Scenario, u: &[f64]) -> Result<Expected> {
    Ok(Expected::of(&scenario.realise(u)?))
}

/// The input a factor of one coordinate stands for; `None` for a group.
fn factor_input<'a>(uncertainty: &'a Uncertainty, factor: &Factor) -> Option<&'a UncertainInput> {
    // Inputs own one coordinate each, in order, as long as no input is a
    // joint group; a group's factor has no single knob.
    let one_per_input = uncertainty.inputs().len() == uncertainty.dimension();
    (one_per_input && factor.coordinates.len() == 1).then(|| &uncertainty.inputs()[factor.coordinates.start])
}

/// The factor in words: the knob's label, with the segments it sets
/// (`close rate`, `shelf life (industrial)`); a group keeps its name.
fn factor_label(uncertainty: &Uncertainty, factor: &Factor) -> String {
    match factor_input(uncertainty, factor) {
        Some(input) if input.segments().is_empty() => input.knob.label().to_owned(),
        Some(input) => format!("{} ({})", input.knob.label(), input.segments().join(", ")),
        None => factor.name.clone(),
    }
}
