//! Monte Carlo runs of a capacity model, seeded per trial like the core.

use std::ops::Range;

use super::model::CapacityModel;
use super::outcome::CapacityOutcome;
use super::precision::{FIRST_ROUND, Precision};
use super::queue::Workspace;
use super::report::{CapacityReport, CapacityTally};
use crate::engine::{RunOptions, trial_rng};
use crate::error::Result;

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
    options: RunOptions,
    precision: Option<f64>,
}

impl<'a> CapacitySimulation<'a> {
    /// A run of `model`: by default 1,000 trials, seed 42, all cores.
    pub fn new(model: &'a CapacityModel) -> CapacitySimulation<'a> {
        CapacitySimulation {
            model,
            options: RunOptions::new(1_000, 42),
            precision: None,
        }
    }

    /// The number of trials (at least 1).
    #[must_use]
    pub fn trials(mut self, trials: u64) -> Self {
        self.options.set_trials(trials);
        self
    }

    /// The seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.options.set_seed(seed);
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
        self.options.set_threads(threads);
        self
    }

    /// A precision target: stop once the standard error of mean revenue
    /// lost is at most `share` of it (0.01: 1 %), with the trial count as
    /// the most trials to run. Trials run in rounds, the first of 200, each
    /// next one sized by how the standard error falls, and a run that stops
    /// after `n` trials is bit for bit the run of `n` trials. Losses below
    /// [`PRECISION_FLOOR`](super::PRECISION_FLOOR) of the revenue at stake
    /// are measured against that instead. The report's
    /// [`precision`](CapacityReport::precision) says where the run stopped
    /// and whether the target was met.
    ///
    /// A team's trials vary with its losses: on the gallery's capacity
    /// scenario a 1 % target takes about 8,000 trials for 4 reps, which
    /// lose a quarter of their revenue, and a few hundred for 10 reps.
    ///
    /// Only [`CapacitySimulation::run`] stops at the target;
    /// [`CapacitySimulation::run_range`] and
    /// [`CapacitySimulation::for_each_trial`] run the trials they are given.
    #[must_use]
    pub fn precision(mut self, share: f64) -> Self {
        self.precision = Some(share);
        self
    }

    /// The run settings: trials, seed, threads.
    pub fn options(&self) -> &RunOptions {
        &self.options
    }

    /// The same settings (trials, seed, threads, precision target) for
    /// another model.
    #[must_use]
    pub fn for_model<'b>(&self, model: &'b CapacityModel) -> CapacitySimulation<'b> {
        CapacitySimulation {
            model,
            options: self.options,
            precision: self.precision,
        }
    }

    /// The model being run.
    pub fn model(&self) -> &'a CapacityModel {
        self.model
    }

    /// Runs every trial and summarises them.
    ///
    /// # Errors
    ///
    /// `trials` or `threads` of 0, a precision target outside (0, 1)
    /// (field `precision`), or an unstable team
    /// ([`CapacityModel::check_stable`]).
    pub fn run(&self) -> Result<CapacityReport> {
        self.options.check_trials()?;
        let most = self.options.trials();
        let Some(share) = self.precision else {
            return self.run_range(0..most)?.report(self.model);
        };
        Precision::check(share)?;
        let mut done = most.min(FIRST_ROUND);
        let mut tally = self.run_range(0..done)?;
        loop {
            let mut report = tally.report(self.model)?;
            let standing = Precision::of(&report, share, most);
            if standing.reached || done == most {
                report.precision = Some(standing);
                return Ok(report);
            }
            let next = standing.next_round(done);
            tally.merge_unchecked(&self.run_range(done..next)?);
            done = next;
        }
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
            &self.options.thread_pool(),
            range,
            chunk,
            || CapacityTally::new(self.model, self.options.seed()),
            |r| self.tally(r),
            CapacityTally::merge_unchecked,
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
            workspace.trial(&mut trial_rng(self.options.seed(), index), &mut outcome);
            visit(index, &outcome);
        }
        Ok(())
    }

    fn tally(&self, range: Range<u64>) -> CapacityTally {
        let mut tally = CapacityTally::new(self.model, self.options.seed());
        let mut workspace = Workspace::new(self.model);
        let mut outcome = CapacityOutcome::default();
        for index in range {
            workspace.trial(&mut trial_rng(self.options.seed(), index), &mut outcome);
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
