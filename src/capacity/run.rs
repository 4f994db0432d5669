//! Monte Carlo runs of a capacity model, seeded per trial like the core.

use std::ops::Range;

use super::model::CapacityModel;
use super::outcome::CapacityOutcome;
use super::queue::Workspace;
use super::report::{CapacityReport, CapacityTally};
use crate::engine::{Threads, trial_rng};
use crate::error::{Error, Result};

/// A Monte Carlo run of a [`CapacityModel`]: trials, seed, threads.
///
/// Trial `i` draws from [`trial_rng`]`(seed, i)` and every accumulator merges
/// exactly, so reports are bit-identical for any number of threads.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::{CapacityModel, CapacitySimulation, SalesTeam, SqlStream};
/// use lead_decay::{DelayDistribution, Hours, Scenario};
///
/// let segment = Scenario::reference().segments()[0].clone();
/// let stream = SqlStream::new(segment, 20.0, DelayDistribution::exponential(Hours::new(1.0)?)?)?;
/// let model = CapacityModel::new(SalesTeam::new(2)?, vec![stream], Hours::from_days(28.0)?)?;
/// let report = CapacitySimulation::new(&model).trials(200).seed(7).run()?;
/// let utilisation = report.metrics.rep_utilisation.mean;
/// assert!((utilisation - model.offered_load()).abs() < 0.03);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CapacitySimulation<'a> {
    model: &'a CapacityModel,
    trials: u64,
    seed: u64,
    threads: Threads,
}

impl<'a> CapacitySimulation<'a> {
    /// A run of `model`: by default 1,000 trials, seed 42, all cores.
    pub fn new(model: &'a CapacityModel) -> CapacitySimulation<'a> {
        CapacitySimulation {
            model,
            trials: 1_000,
            seed: 42,
            threads: Threads::default(),
        }
    }

    /// The number of trials (at least 1).
    #[must_use]
    pub fn trials(mut self, trials: u64) -> Self {
        self.trials = trials;
        self
    }

    /// The seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Threads to run on (default: all cores). Results do not depend on it.
    ///
    /// One thread runs on the calling thread. Other counts run on a pool of
    /// that size, started on first use and kept for the process (shared by
    /// every simulation that asks for as many), so short runs do not pay
    /// for starting threads.
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Threads::new(Some(threads));
        self
    }

    /// Runs every trial and summarises them.
    ///
    /// # Errors
    ///
    /// `trials` or `threads` of 0, or an unstable team
    /// ([`CapacityModel::check_stable`]).
    pub fn run(&self) -> Result<CapacityReport> {
        if self.trials == 0 {
            return Err(Error::invalid("trials", 0, "at least 1 trial"));
        }
        Ok(self.run_range(0..self.trials)?.report(self.model, self.seed))
    }

    /// Runs trials `range` only; tallies of disjoint ranges merge into the
    /// tally of their union.
    ///
    /// # Errors
    ///
    /// As [`CapacitySimulation::run`].
    pub fn run_range(&self, range: Range<u64>) -> Result<CapacityTally> {
        self.model.check_stable()?;
        let chunk = range.end.saturating_sub(range.start).div_ceil(64).clamp(1, 256);
        crate::engine::fold_chunks(
            &self.threads,
            range,
            chunk,
            || CapacityTally::new(self.model),
            |r| self.tally(r),
            CapacityTally::merge,
        )
    }

    /// Calls `visit(index, outcome)` for every trial of `range`, in order, on
    /// the calling thread.
    ///
    /// # Errors
    ///
    /// An unstable team.
    pub fn for_each_trial(&self, range: Range<u64>, mut visit: impl FnMut(u64, &CapacityOutcome)) -> Result<()> {
        self.model.check_stable()?;
        let mut workspace = Workspace::new(self.model);
        let mut outcome = CapacityOutcome::default();
        for index in range {
            workspace.trial(&mut trial_rng(self.seed, index), &mut outcome);
            visit(index, &outcome);
        }
        Ok(())
    }

    fn tally(&self, range: Range<u64>) -> CapacityTally {
        let mut tally = CapacityTally::new(self.model);
        let mut workspace = Workspace::new(self.model);
        let mut outcome = CapacityOutcome::default();
        for index in range {
            workspace.trial(&mut trial_rng(self.seed, index), &mut outcome);
            tally.record(
                &outcome,
                &workspace.delays,
                &workspace.weekly,
                self.model.marketing_spend(),
            );
            if workspace.delays_overflow.count() > 0 {
                tally.merge_delays(&workspace.delays_overflow);
            }
        }
        tally
    }
}
