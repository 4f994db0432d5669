//! Monte Carlo runs: seeding per trial, the two engines, parallel chunks.
//!
//! Trial `i` of a run with seed `s` draws from its own generator, seeded from
//! `(s, i)` alone, and every accumulator merges exactly. So the same
//! scenario, seed and trial count give bit-identical reports with any
//! number of threads and any chunking, and shards `[0, a)` and `[a, b)` merge
//! into exactly the report of `[0, b)`.

mod binomial;
mod choice;
mod collapsed;
mod finite;
mod options;
mod outcome;
mod per_sql;
mod report;
mod seeding;
mod shard;
mod threads;
mod two_level;

use std::ops::Range;
use std::sync::OnceLock;

pub use choice::Engine;
pub use options::RunOptions;
pub use outcome::TrialOutcome;
pub use report::{
    ExactGoalChance, GoalChance, InputsReport, Metrics, Report, RunIdentity, SegmentReport, Tally, VarianceShare,
};
use seeding::first_word;
pub use seeding::{TrialRng, trial_inputs, trial_rng};
pub use shard::shard_range;
pub(crate) use threads::fold_chunks;

use crate::error::Result;
use crate::model::scenario::Scenario;
use collapsed::CollapsedSegment;

/// A Monte Carlo run of a scenario: how many trials, from which seed, with
/// which engine, on how many threads.
///
/// # Example
///
/// ```
/// use lead_decay::{Scenario, Simulation};
///
/// let report = Simulation::new(&Scenario::reference()).trials(20_000).seed(42).run()?;
/// assert_eq!(report.expected.customers, 8.75);
/// let customers = report.metrics.customers;
/// assert!((customers.mean - 8.75).abs() < 4.0 * customers.std_error);
/// assert_eq!(customers.p50, 9.0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    scenario: &'a Scenario,
    engine: Engine,
    options: RunOptions,
    /// The scenario prepared for the engine (alias tables, thresholds), built
    /// on first use and kept: a run in many ranges (`run_range`,
    /// `for_each_trial`) prepares it once.
    kernel: OnceLock<Kernel<'a>>,
}

/// A scenario prepared for one engine.
#[derive(Debug, Clone)]
enum Kernel<'a> {
    PerSql(Vec<per_sql::PerSqlSegment<'a>>),
    Collapsed(Vec<CollapsedSegment>),
}

impl Kernel<'_> {
    /// Trial `index`: writes each segment's outcome into `segments` and
    /// returns the total.
    #[inline]
    fn trial(&self, seed: u64, index: u64, segments: &mut [TrialOutcome]) -> TrialOutcome {
        let mut rng = trial_rng(seed, index);
        let mut total = TrialOutcome::default();
        match self {
            Kernel::PerSql(prepared) => {
                for (segment, out) in prepared.iter().zip(segments.iter_mut()) {
                    *out = segment.simulate(&mut rng);
                    total.add(out);
                }
            }
            Kernel::Collapsed(prepared) => {
                for (segment, out) in prepared.iter().zip(segments.iter_mut()) {
                    *out = segment.simulate(&mut rng);
                    total.add(out);
                }
            }
        }
        total
    }
}

impl<'a> Simulation<'a> {
    /// A run of `scenario`: by default 100,000 trials, seed 42, the `auto`
    /// engine, all cores.
    pub fn new(scenario: &'a Scenario) -> Simulation<'a> {
        Simulation {
            scenario,
            engine: Engine::Auto,
            options: RunOptions::new(100_000, 42),
            kernel: OnceLock::new(),
        }
    }

    /// The number of trials (at least 1).
    #[must_use]
    pub fn trials(mut self, trials: u64) -> Self {
        self.options.set_trials(trials);
        self
    }

    /// The seed; with the trial count it fixes every result bit for bit.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.options.set_seed(seed);
        self
    }

    /// The engine.
    #[must_use]
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self.kernel = OnceLock::new();
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

    /// The scenario being run.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// Runs every trial and summarises them.
    ///
    /// # Errors
    ///
    /// `trials` of 0, or `threads` of 0; a report with a number that is not
    /// finite (none is known within the parameter ranges the constructors
    /// accept: this is the last guard, never a report computed from NaN).
    pub fn run(&self) -> Result<Report> {
        self.options.check_trials()?;
        self.run_with_progress(|_| {})
    }

    /// [`run`](Self::run), calling `progress(n)` each time `n` more trials
    /// are tallied, from whichever thread tallied them (a progress bar's
    /// `inc`). The report is the same.
    ///
    /// One call runs every trial with no pause, unlike a loop over
    /// [`run_range`](Self::run_range) whose every call waits for its
    /// slowest thread. Calls come about once per chunk of trials (a few
    /// hundred per run, at most 2^22 SQL draws each), never per trial.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use lead_decay::{Scenario, Simulation};
    ///
    /// let scenario = Scenario::reference();
    /// let done = AtomicU64::new(0);
    /// let report = Simulation::new(&scenario)
    ///     .trials(50_000)
    ///     .run_with_progress(|n| {
    ///         done.fetch_add(n, Ordering::Relaxed);
    ///     })?;
    /// assert_eq!(done.into_inner(), 50_000);
    /// assert_eq!(report, Simulation::new(&scenario).trials(50_000).run()?);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Simulation::run`].
    pub fn run_with_progress(&self, progress: impl Fn(u64) + Sync) -> Result<Report> {
        self.options.check_trials()?;
        let report = self
            .run_range_with_progress(0..self.options.trials(), progress)?
            .report(self.scenario)?;
        finite::check_report(&report)?;
        Ok(report)
    }

    /// Runs trials `range` only and returns their mergeable tally: run
    /// `[0, a)` on one machine and `[a, b)` on another, [`Tally::merge`]
    /// them, and the report equals that of `[0, b)` at once.
    ///
    /// # Errors
    ///
    /// `threads` of 0.
    pub fn run_range(&self, range: Range<u64>) -> Result<Tally> {
        self.run_range_with_progress(range, |_| {})
    }

    /// [`run_range`](Self::run_range), calling `progress(n)` each time `n`
    /// more trials are tallied (see [`run_with_progress`](Self::run_with_progress)).
    ///
    /// # Errors
    ///
    /// `threads` of 0.
    pub fn run_range_with_progress(&self, range: Range<u64>, progress: impl Fn(u64) + Sync) -> Result<Tally> {
        let chunk = chunk_size(range.end.saturating_sub(range.start), self.scenario.total_sqls());
        if !self.scenario.uncertainty().is_empty() {
            let (seed, engine) = (self.options.seed(), self.engine.resolve());
            let error = two_level::FirstError::default();
            let tally = fold_chunks(
                &self.options.thread_pool(),
                range,
                chunk,
                || self.empty_tally(),
                |r| {
                    let n = r.end - r.start;
                    let mut tally = self.empty_tally();
                    tally.covers(r.clone());
                    two_level::tally(self.scenario, engine, seed, r, &mut tally, &error);
                    progress(n);
                    tally
                },
                Tally::merge_unchecked,
            )?;
            error.into_result()?;
            return Ok(tally);
        }
        let kernel = self.kernel();
        fold_chunks(
            &self.options.thread_pool(),
            range,
            chunk,
            || self.empty_tally(),
            |r| {
                let n = r.end - r.start;
                let tally = self.tally(kernel, r);
                progress(n);
                tally
            },
            Tally::merge_unchecked,
        )
    }

    /// Calls `visit(index, total, per_segment)` for every trial of `range`, in
    /// order, on the calling thread (for per-trial exports), and returns the
    /// tally of those trials: the outcomes are those [`Simulation::run`]
    /// summarises, and the tally equals [`Simulation::run_range`]'s.
    ///
    /// # Errors
    ///
    /// A trial's uncertain inputs that the scenario refuses (impossible once
    /// the scenario is built: its inputs were checked at every point).
    pub fn for_each_trial(
        &self,
        range: Range<u64>,
        mut visit: impl FnMut(u64, &TrialOutcome, &[TrialOutcome]),
    ) -> Result<Tally> {
        let mut tally = self.empty_tally();
        let mut segments = vec![TrialOutcome::default(); self.scenario.segments().len()];
        if !self.scenario.uncertainty().is_empty() {
            let (seed, engine) = (self.options.seed(), self.engine.resolve());
            let mut u = vec![0.0; self.scenario.uncertainty().dimension()];
            for index in range.clone() {
                let (total, realised) = two_level::trial(self.scenario, engine, seed, index, &mut u, &mut segments)
                    .map_err(|e| e.within(&format!("trial {index}")))?;
                two_level::record(&mut tally, &total, &segments, &realised);
                visit(index, &total, &segments);
            }
        } else {
            let kernel = self.kernel();
            for index in range.clone() {
                let total = kernel.trial(self.options.seed(), index, &mut segments);
                tally.record(&total, &segments);
                visit(index, &total, &segments);
            }
        }
        tally.covers(range);
        Ok(tally)
    }

    /// The run settings: trials, seed, threads.
    pub fn options(&self) -> &RunOptions {
        &self.options
    }

    /// The engine that runs the trials (`auto` resolved).
    pub fn engine_in_use(&self) -> Engine {
        self.engine.resolve()
    }

    /// An empty tally of this run.
    pub fn empty_tally(&self) -> Tally {
        Tally::new(self.scenario, self.engine, self.options.seed())
    }

    fn kernel(&self) -> &Kernel<'a> {
        let scenario = self.scenario;
        self.kernel.get_or_init(|| match self.engine.resolve() {
            Engine::PerSql => Kernel::PerSql(scenario.segments().iter().map(per_sql::PerSqlSegment::new).collect()),
            _ => Kernel::Collapsed(scenario.segments().iter().map(CollapsedSegment::new).collect()),
        })
    }

    fn tally(&self, kernel: &Kernel<'_>, range: Range<u64>) -> Tally {
        // A local copy: `self` holds a `OnceLock`, so the compiler may not
        // assume `self.options.seed()` unchanged by the loops' stores, and reloads it
        // (248 M -> 178 M trials/s on the collapsed reference, one thread).
        let seed = self.options.seed();
        let mut tally = self.empty_tally();
        tally.covers(range.clone());
        if let Kernel::Collapsed(prepared) = kernel
            && let [segment] = prepared.as_slice()
        {
            // One segment: its outcome is the total. Passing it straight to
            // the tally, not through `Kernel::trial`'s buffers, avoids
            // stack copies that perf showed as 28 % of a collapsed trial on
            // the reference (33 M -> 50 M trials/s, one thread).
            if let Some(picker) = segment.slot_picker().filter(|_| segment.is_one_word()) {
                // A trial is one word and one of a few hundred outcomes:
                // count the outcomes, then tally each distinct one once
                // (the same tally: records commute and merge exactly). This
                // took the reference from 144 M to 268 M trials/s, one thread
                // (`simulate --trials 50000000 --engine collapsed --threads 1`).
                let mut hits = vec![0u64; segment.slots()];
                for index in range {
                    hits[picker.pick(first_word(seed, index)) as usize] += 1;
                }
                for (slot, &times) in hits.iter().enumerate().filter(|(_, times)| **times > 0) {
                    let outcome = segment.outcome_of_slot(slot);
                    tally.record_n(&outcome, std::slice::from_ref(&outcome), times);
                }
                return tally;
            }
            for index in range {
                let outcome = segment.simulate(&mut trial_rng(seed, index));
                tally.record(&outcome, std::slice::from_ref(&outcome));
            }
            return tally;
        }
        let mut segments = vec![TrialOutcome::default(); self.scenario.segments().len()];
        for index in range {
            let total = kernel.trial(seed, index, &mut segments);
            tally.record(&total, &segments);
        }
        tally
    }
}

/// Trials per chunk: large enough to amortise a tally, small enough that
/// every core gets work and memory stays bounded.
///
/// A chunk is at least 2^18 SQL draws when there are that many: creating
/// and merging a tally of sampled money (three value sketches) costs about
/// as much as a few hundred trials of 1,000 SQLs, and 2,000 such trials cut
/// into 64 chunks of 32 ran at 312 M SQL-trials/s against 435 M for 200,000
/// (`simulate --scenario benches/data/throughput.toml --engine per-sql
/// --threads 1`). Otherwise about 64 chunks balance the cores, each at most
/// 2^22 SQL draws or 2^16 trials.
fn chunk_size(trials: u64, sqls_per_trial: u64) -> u64 {
    let sqls = sqls_per_trial.max(1);
    let most = ((1u64 << 22) / sqls).clamp(1, 1 << 16);
    let least = ((1u64 << 18) / sqls).clamp(1, most);
    trials.div_ceil(64).clamp(least, most)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn the_first_word_is_the_trial_generators_first_output() {
        for (seed, trial) in [(0, 0), (42, 7), (u64::MAX, 123_456_789), (20_261_124, u64::MAX)] {
            assert_eq!(first_word(seed, trial), trial_rng(seed, trial).next_u64());
        }
    }
}
