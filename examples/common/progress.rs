//! A progress bar on stderr for runs that take more than about a second.
//!
//! The bar starts hidden and appears only once a second has passed, so quick
//! runs print nothing; it is never drawn when stderr is not a terminal (a
//! pipe, a file, a test). It is advanced once per chunk of trials, never per
//! trial, so it costs nothing measurable.
#![allow(dead_code)]

use std::ops::Range;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lead_decay::{Engine, Report, Scenario, Simulation, Tally};

/// A progress bar that shows itself after a second, on a terminal only.
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: bool,
}

impl Progress {
    /// A bar counting to `len` (in `unit`s).
    pub fn new(len: u64, what: &str, unit: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        let template = format!("{{msg}} [{{bar:40.cyan/blue}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)");
        bar.set_style(
            ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(what.to_owned());
        Progress {
            bar,
            start: Instant::now(),
            shown: false,
        }
    }

    /// Advances by `n`.
    pub fn inc(&mut self, n: u64) {
        self.bar.inc(n);
        if !self.shown && self.start.elapsed() >= Duration::from_secs(1) {
            self.shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// Trials per progress step: about 100 steps, each at least 10,000 trials
/// and 2^26 SQL draws (so a quick run is one call, as fast as
/// [`Simulation::run`]). Each step wakes the worker threads and waits for
/// them: with steps of 10,000 trials, a run of 1,000,000 reference trials
/// (2 ms of work) took 8 ms.
pub fn chunks(range: Range<u64>, sqls_per_trial: u64) -> impl Iterator<Item = Range<u64>> {
    let len = range.end.saturating_sub(range.start);
    let chunk = (len / 100).max(10_000).max((1 << 26) / sqls_per_trial.max(1));
    (range.start..range.end)
        .step_by(chunk as usize)
        .map(move |s| s..(s + chunk).min(range.end))
}

/// [`Simulation::run`] in chunks, with a progress bar; the same report (tallies
/// merge exactly).
/// `engine` is the one the simulation was built with.
pub fn run(
    simulation: &Simulation<'_>,
    scenario: &Scenario,
    (trials, seed, engine): (u64, u64, Engine),
    label: &str,
) -> Result<Report, String> {
    if trials == 0 {
        return Err(lead_decay::Error::invalid("trials", 0, "at least 1 trial").to_string());
    }
    let mut progress = Progress::new(trials, label, "trials");
    let mut tally = Tally::new(scenario);
    for range in chunks(0..trials, scenario.total_sqls()) {
        let n = range.end - range.start;
        tally.merge(&simulation.run_range(range).map_err(|e| e.to_string())?);
        progress.inc(n);
    }
    progress.finish();
    Ok(tally.report(scenario, seed, engine.resolve(scenario)))
}
