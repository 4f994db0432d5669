//! Two-level trials, for a scenario with uncertain inputs: each trial
//! first draws its inputs, then its SQLs given those inputs.
//!
//! Trial `i` of a run seeded with `s` draws its inputs at the point
//! [`trial_inputs`]`(s, i)` of the unit cube, realises the scenario there
//! ([`Scenario::realise`]), and draws its SQLs from [`trial_rng`]`(s, i)`
//! with the run's engine, exactly as a trial of the realised scenario
//! would: the ideal and actual worlds share every draw (common random
//! numbers), and the trial depends on `(s, i)` alone, so reports stay
//! bit-identical across thread counts and shards. Each trial also records
//! the exact conditional expectation `E[metric | inputs]` of its inputs.

use std::ops::Range;
use std::sync::Mutex;

use super::collapsed::CollapsedSegment;
use super::per_sql::PerSqlSegment;
use super::seeding::{trial_inputs, trial_rng};
use super::{Engine, Tally, TrialOutcome};
use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::model::scenario::Scenario;

/// The first error met by any chunk of a run, by trial index, so the
/// error a run reports does not depend on the threads.
#[derive(Debug, Default)]
pub(crate) struct FirstError(Mutex<Option<(u64, Error)>>);

impl FirstError {
    fn keep(&self, trial: u64, error: Error) {
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_none_or(|(first, _)| trial < *first) {
            *slot = Some((trial, error));
        }
    }

    /// The error, if any chunk met one.
    pub(crate) fn into_result(self) -> Result<()> {
        match self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Some((_, error)) => Err(error),
            None => Ok(()),
        }
    }
}

/// One trial of `scenario` (with uncertain inputs) with `engine`: writes
/// each segment's outcome into `segments`, and returns the total and the
/// realised scenario.
pub(crate) fn trial(
    scenario: &Scenario,
    engine: Engine,
    seed: u64,
    index: u64,
    u: &mut [f64],
    segments: &mut [TrialOutcome],
) -> Result<(TrialOutcome, Scenario)> {
    trial_inputs(seed, index, u);
    let realised = scenario.realise(u)?;
    let mut rng = trial_rng(seed, index);
    let mut total = TrialOutcome::default();
    for (segment, out) in realised.segments().iter().zip(segments.iter_mut()) {
        *out = match engine {
            Engine::PerSql => PerSqlSegment::new(segment).simulate(&mut rng),
            _ => CollapsedSegment::for_one_trial(segment).simulate(&mut rng),
        };
        total.add(out);
    }
    Ok((total, realised))
}

/// Tallies trials `range` of `scenario` into `tally`; the first error goes
/// to `error` (and the chunk stops).
pub(crate) fn tally(
    scenario: &Scenario,
    engine: Engine,
    seed: u64,
    range: Range<u64>,
    tally: &mut Tally,
    error: &FirstError,
) {
    let mut u = vec![0.0; scenario.uncertainty().dimension()];
    let mut segments = vec![TrialOutcome::default(); scenario.segments().len()];
    for index in range {
        match trial(scenario, engine, seed, index, &mut u, &mut segments) {
            Ok((total, realised)) => record(tally, &total, &segments, &realised),
            Err(e) => {
                error.keep(index, e.within(&format!("trial {index}")));
                return;
            }
        }
    }
}

/// Records one two-level trial: its outcomes, and the exact expectations
/// given its inputs.
pub(crate) fn record(tally: &mut Tally, total: &TrialOutcome, segments: &[TrialOutcome], realised: &Scenario) {
    tally.record_given_inputs(total, segments, realised, &Expected::of(realised));
}
