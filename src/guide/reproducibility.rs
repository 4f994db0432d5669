//! Reproducibility: seeds, bit-identical reports, and shards that merge
//! exactly.
//!
//! # What fixes a result
//!
//! A run is `trials` independent trials from a `seed` (a `u64`). The same
//! scenario, seed, trial count and engine give a **bit-identical report**:
//!
//! * with any number of threads (`--threads`, [`Simulation`](crate::Simulation)'s
//!   `threads`), with or without the `parallel` feature;
//! * with any chunking of the trials, and with or without a progress
//!   callback;
//! * on any machine (no thread identity, time or address enters a draw).
//!
//! Change the seed and the trials change; change the trial count and the
//! first trials stay the same ones (trial `i` does not depend on how many
//! trials follow it). The engine matters: `per-sql` and `collapsed` draw the
//! same law with different random numbers, so their reports agree in
//! distribution, not bit for bit. A report names the engine that ran
//! (`auto` is resolved before the run), so it says what reproduces it.
//! The only figure of the `simulate` example that is not reproducible is
//! its `timing`.
//!
//! ```
//! use lead_decay::{Scenario, Simulation};
//!
//! let scenario = Scenario::reference();
//! let run = |threads| Simulation::new(&scenario).trials(30_000).seed(9).threads(threads).run();
//! assert_eq!(run(1)?, run(2)?);
//! assert_ne!(run(1)?.metrics, Simulation::new(&scenario).trials(30_000).seed(10).run()?.metrics);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Seeding per trial
//!
//! Each trial draws from its own generator, derived from `(seed, trial
//! index)` alone and never from a thread or a chunk: trial `i` of a run
//! seeded with `s` uses a xoshiro256++ generator whose four state words are
//! the outputs `4i + 1` to `4i + 4` of one SplitMix64 stream started at a
//! mix of `s` (the seeding the authors of xoshiro recommend, each trial on
//! its own block, so distinct trials never share a state word for
//! `i < 2^62`). The function is public as `engine::trial_rng(seed, trial)`,
//! so a trial can be replayed on its own.
//!
//! # Exact accumulators
//!
//! Threads and chunks finish in any order, and floating-point sums depend on
//! the order of their terms, so no accumulator of a run uses one. Counts go
//! to exact integer histograms; money goes to exact superaccumulator sums
//! (rounded once, when the report is made) and to a deterministic
//! log-bucket sketch for quantiles. Each accumulator is a pure function of
//! the *multiset* of trial outcomes, so merging is exact, in any order and
//! any grouping.
//!
//! # Shards
//!
//! A large run can be spread over machines: `Simulation::run_range(0..a)` on
//! one and `run_range(a..b)` on another return mergeable tallies
//! ([`Tally`](crate::Tally)); merged, they report exactly what a run of the
//! trials `[0, b)` at once reports. Every shard must use the same scenario,
//! seed and engine, and the ranges must not overlap: [`Tally::merge`](crate::Tally::merge)
//! refuses anything else (and `Tally::report` refuses another scenario), and [`Tally::gaps`](crate::Tally::gaps) names the
//! trials no shard holds. A tally serialises (serde, e.g. JSON) with its run
//! identity, trial ranges and the exact state of its accumulators, so shards
//! travel between machines as files. Shard `k` of `m` of a run of `n` trials
//! is [`engine::shard_range(n, k, m)`](crate::engine::shard_range), a
//! function of those three numbers alone, so a batch scheduler's task index
//! is enough and a rerun of a failed index gives the same shard. The
//! `shard` example and the README show it on a Kubernetes Indexed Job and a
//! Slurm job array.
//!
//! # Per-trial output
//!
//! `Simulation::for_each_trial` visits the outcomes the report summarises,
//! in trial order; the `simulate` example's `--per-trial FILE.csv` writes
//! them one row per trial, so the raw distribution can be checked or plotted
//! elsewhere and its summaries recomputed (see [`json`](super::json)).
//!
//! # Capacity runs
//!
//! The capacity queue ([`crate::capacity`]) seeds its trials the same way
//! and merges its accumulators exactly: a capacity report is bit-identical
//! for any thread count too.
//!
//! A capacity run with a precision target
//! ([`CapacitySimulation::precision`](crate::capacity::CapacitySimulation::precision))
//! runs its trials in rounds over consecutive trial indices and decides
//! where to stop from the merged (bit-identical) tally, so it stops at the
//! same trial on any thread count, and its report is bit for bit the report
//! of a run of that many trials (plus
//! [`precision`](crate::capacity::CapacityReport::precision), which says
//! where it stopped and whether the target was met).
//!
//! A FIFO team without triage runs on a recursion with no event list that
//! draws each SQL's arrival, handling time and outcomes from three streams
//! of the trial's generator, so team sizes are compared on common random
//! numbers (see [`crate::capacity`]); its seeded results differ from the
//! event loop's in their bits, and agree with them in distribution.
