//! The settings every Monte Carlo run shares: trials, seed, threads.

use crate::error::{Error, Result};

use super::threads::Threads;

/// How many trials a run draws, from which seed, on how many threads: the
/// part of a run's set-up that the core [`Simulation`](super::Simulation) and
/// the capacity model's simulation share. Both builders set it with their
/// `trials`, `seed` and `threads` methods and show it with `options()`.
///
/// # Example
///
/// ```
/// use lead_decay::{Scenario, Simulation};
///
/// let scenario = Scenario::reference();
/// let simulation = Simulation::new(&scenario).trials(5_000).seed(7).threads(2);
/// let options = simulation.options();
/// assert_eq!((options.trials(), options.seed(), options.threads()), (5_000, 7, Some(2)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    trials: u64,
    seed: u64,
    threads: Option<usize>,
}

impl RunOptions {
    /// `trials` trials from `seed` on all cores.
    pub const fn new(trials: u64, seed: u64) -> RunOptions {
        RunOptions {
            trials,
            seed,
            threads: None,
        }
    }

    /// The number of trials.
    pub const fn trials(&self) -> u64 {
        self.trials
    }

    /// The seed: with the trial count it fixes every result bit for bit.
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// The thread count asked for; `None` runs on all cores. Results do not
    /// depend on it.
    pub const fn threads(&self) -> Option<usize> {
        self.threads
    }

    pub(crate) fn set_trials(&mut self, trials: u64) {
        self.trials = trials;
    }

    pub(crate) fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    pub(crate) fn set_threads(&mut self, threads: usize) {
        self.threads = Some(threads);
    }

    pub(crate) fn thread_pool(&self) -> Threads {
        Threads::new(self.threads)
    }

    /// Errors on a run of no trials (threads are checked where they start).
    pub(crate) fn check_trials(&self) -> Result<()> {
        if self.trials == 0 {
            return Err(Error::invalid("trials", 0, "at least 1 trial"));
        }
        Ok(())
    }
}
