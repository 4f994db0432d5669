//! `--uncertain KNOB=LOW..HIGH`: an uncertain input from the command line,
//! uniform between two values in every segment (the scenario file can say
//! more: any distribution, per segment).

// Validation is written `!(x > y)` on purpose: unlike `x <= y`, it rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
use lead_decay::whatif::{Knob, KnobUnit};
use lead_decay::{Error, Hours, Scenario};

/// `scenario` with the `--uncertain` inputs added to its own.
pub fn with_inputs(scenario: &Scenario, flags: &[String]) -> Result<Scenario, String> {
    if flags.is_empty() {
        return Ok(scenario.clone());
    }
    let mut uncertainty: Uncertainty = scenario.uncertainty().clone();
    for flag in flags {
        uncertainty = uncertainty.with_input(parse_input(flag)?);
    }
    let mut builder = Scenario::builder(scenario.name()).uncertainty(uncertainty);
    if let Some(currency) = scenario.currency() {
        builder = builder.currency(currency);
    }
    if let Some(spend) = scenario.marketing_spend() {
        builder = builder.marketing_spend(spend);
    }
    if let Some(goal) = scenario.customer_goal() {
        builder = builder.customer_goal(goal);
    }
    for segment in scenario.segments() {
        builder = builder.segment(segment.clone());
    }
    builder.build().map_err(|e| format!("--uncertain: {e}"))
}

/// `KNOB=LOW..HIGH`: the knob uniform between the two values.
pub fn parse_input(flag: &str) -> Result<UncertainInput, String> {
    let bad = |expected: &str| Error::invalid("uncertain", format!("{flag:?}"), expected).to_string();
    let (name, range) = flag
        .split_once('=')
        .ok_or_else(|| bad("KNOB=LOW..HIGH, e.g. close-rate=0.18..0.32"))?;
    let knob: Knob = name.trim().parse().map_err(|e: Error| format!("--uncertain: {e}"))?;
    if knob.is_team() {
        return Err(bad("a knob of the segments: the team size has no exact expectation"));
    }
    let (low, high) = range
        .split_once("..")
        .ok_or_else(|| bad("a range LOW..HIGH after the =, e.g. close-rate=0.18..0.32"))?;
    let value = |text: &str| -> Result<f64, String> {
        match knob.unit() {
            KnobUnit::Hours => text
                .trim()
                .parse::<Hours>()
                .map(Hours::get)
                .map_err(|e| format!("--uncertain {name}: {e}")),
            _ => text
                .trim()
                .parse::<f64>()
                .map_err(|_| bad("numbers for LOW and HIGH (durations with a unit: 4h, 2d)")),
        }
    };
    let (low, high) = (value(low)?, value(high)?);
    if !(high > low) {
        return Err(bad("LOW below HIGH"));
    }
    let distribution = InputDistribution::uniform(low, high).map_err(|e| format!("--uncertain {name}: {e}"))?;
    Ok(UncertainInput::new(knob, distribution))
}
