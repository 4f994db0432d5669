//! Stability: what a crate that depends on lead-decay can rely on across
//! versions, and what may change.
//!
//! # Names
//!
//! The crate-root re-exports (`lead_decay::Scenario`, `lead_decay::Report`,
//! ...) and the public modules are the stable paths. `rand` and
//! `rand_xoshiro`, whose types appear in public signatures (the `sample`
//! methods, [`engine::trial_rng`](crate::engine::trial_rng) returning
//! [`engine::TrialRng`](crate::engine::TrialRng)), are re-exported as
//! [`lead_decay::rand`](crate::rand) and
//! [`lead_decay::rand_xoshiro`](crate::rand_xoshiro): name them through this
//! crate and your own `rand` version cannot break the build.
//! [`DelayDistribution`](crate::DelayDistribution) and
//! [`DealValue`](crate::DealValue) implement `rand`'s `Distribution<f64>`.
//!
//! Methods named `with_*` take the value (`self`) and return the changed
//! value, or a `Result` of it where the change is validated:
//! `segment.with_sqls(55)?`, `team.with_reps(3)?`,
//! `follow_up.with_sla(sla)`. Keep the original with `.clone()` first
//! (`segment.clone().with_decay(curve)`); the model types are small. Getters
//! borrow (`segment.decay()`), and durations go in and come out as
//! [`Hours`](crate::Hours).
//!
//! # Room to grow
//!
//! Enums that may gain variants ([`Engine`](crate::Engine),
//! [`Discipline`](crate::Discipline), the presets, the decay, delay and
//! deal-value shapes, [`Error`](crate::Error), ...) and result structs that
//! may gain fields ([`Report`](crate::Report), [`Metrics`](crate::Metrics),
//! [`SegmentReport`](crate::SegmentReport), [`Expected`](crate::Expected),
//! [`GoalChance`](crate::GoalChance), [`PlanReport`](crate::PlanReport),
//! [`CapacityReport`](crate::CapacityReport), ...) are `#[non_exhaustive]`:
//! a minor version may add a variant or a field. Match them with a `_` arm;
//! read their fields freely; build the few a program assembles itself with
//! their constructors ([`Metrics::new`](crate::Metrics::new),
//! [`Report::new`](crate::Report::new)). Model types have private fields and
//! validating constructors and builders.
//!
//! # Errors
//!
//! [`Error`](crate::Error)'s `Display` is the whole message, cause included,
//! and `source()` is `None`, so reporters such as `anyhow` print each cause
//! once. Variants carry their context as fields (the field path, the bad
//! value, the constraint; `line` and `column` for syntax errors). The text
//! of messages may improve between versions; match on variants and fields,
//! not on text.
//!
//! # Serialised formats
//!
//! * Scenario files (TOML and JSON, [`file_format`](super::file_format)) are
//!   the one serialised form of [`Scenario`](crate::Scenario),
//!   [`Segment`](crate::Segment) and [`Analysis`](crate::Analysis) (serde
//!   both ways). A file that loads keeps loading, to an equal scenario, in
//!   every 0.x release that does not announce otherwise.
//! * [`Report`](crate::Report), [`Expected`](crate::Expected), the capacity
//!   and plan reports serialise to JSON (the contract of
//!   [`json`](super::json)) and deserialise from it; every `f64`
//!   round-trips exactly, so a saved baseline report compares bit for bit.
//!   New fields may appear; existing keys keep their meaning.
//! * A [`Tally`](crate::Tally) serialises with its run identity (the
//!   scenario's fingerprint, the engine, the seed), its trial ranges and the
//!   exact state of its accumulators. Shards merge across processes and
//!   machines running the same version; the scenario fingerprint is a
//!   function of the scenario's debug form, so shards of different versions
//!   are refused rather than mixed. Deserialising validates the state: a
//!   corrupted tally is an error, never a panic.
//!
//! # Values
//!
//! The same scenario, seed, trial count and engine give bit-identical
//! reports on every machine and for any thread count
//! ([`reproducibility`](super::reproducibility)). `tests/value_stability.rs`
//! pins the first outputs of the per-trial streams and the bits of several
//! library and example reports: a change of any seeded result fails it, and
//! is made only on purpose, said in the commit and the release notes.
//!
//! # Features
//!
//! `parallel`, `files` and `calibrate` are on by default. Without default
//! features the model, the exact expectations, the engines, the planner and
//! the capacity queue still build (CI checks `--no-default-features` and
//! `--no-default-features --features files`); results never depend on
//! `parallel`.
//!
//! # Panics
//!
//! No public function panics on user data. The few that can panic on a
//! programming error say so in a `# Panics` section.
