//! A progress bar on stderr for runs that take more than about a second.
//!
//! The bar starts hidden and appears only once a second has passed, so quick
//! runs print nothing; it is never drawn when stderr is not a terminal (a
//! pipe, a file, a test). It is advanced once per chunk of trials, never per
//! trial, so it costs nothing measurable.
#![allow(dead_code)]

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lead_decay::{Report, Simulation};

/// A progress bar that shows itself after a second, on a terminal only.
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
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
            shown: AtomicBool::new(false),
        }
    }

    /// Advances by `n`; callable from the simulation's worker threads.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// Trials per progress step of a sequential loop (per-trial exports, which
/// visit every trial in order): about 100 steps, each at least 10,000
/// trials and 2^26 SQL draws. Parallel runs report progress through
/// [`Simulation::run_with_progress`] instead: a loop of ranges waits for the
/// slowest thread at every step (a run of 1,000,000 reference trials in
/// steps of 10,000 took 8 ms for 2 ms of work).
pub fn chunks(range: Range<u64>, sqls_per_trial: u64) -> impl Iterator<Item = Range<u64>> {
    let len = range.end.saturating_sub(range.start);
    let chunk = (len / 100).max(10_000).max((1 << 26) / sqls_per_trial.max(1));
    (range.start..range.end)
        .step_by(chunk as usize)
        .map(move |s| s..(s + chunk).min(range.end))
}

/// [`Simulation::run`] with a progress bar; the same report.
/// `label` names the work on the bar.
pub fn run(simulation: &Simulation<'_>, trials: u64, label: &str) -> Result<Report, String> {
    let progress = Progress::new(trials, label, "trials");
    let report = simulation
        .run_with_progress(|n| progress.inc(n))
        .map_err(|e| e.to_string());
    progress.finish();
    report
}
