//! Architecture: the layers of the crate, which module sits in which, and
//! where new work goes.
//!
//! Data flows one way. A scenario, from a file or from code, is validated
//! into model types; exact expectations are computed from it without
//! sampling; an engine turns it into trials, and the trials fold into a
//! report; the features (planning, the sales queue, calibration, what-ifs)
//! are built on that core; scenario files map onto all of it; the example
//! programs print or draw what the library returns.
//!
//! ```text
//!  examples/        simulate  sweep  sensitivity  plan  capacity  calibrate      thin command lines
//!  ───────────────────────────────────────────────────────────────────────────────────────────────
//!  6  file          scenario files: schema, load / save, Analysis
//!  5  features      plan   capacity   calibrate   sensitivity   whatif
//!  4  engine        Simulation, Engine, seeding, kernels, threads, Tally, Report
//!  3  exact         Expected, the exact expectations
//!  2  model         duration  decay  follow_up  deal_value  segment  scenario;  calendar
//!  1  foundations   error  special  sampling  statistics
//! ```
//!
//! **Each module depends only on modules below it**: a layer uses the
//! layers under it and never one above, and within a layer a module may use
//! one listed before it, never one after. There is no import loop, so each
//! layer can be read, tested and compiled without the ones above it: the
//! model knows nothing of files, engines or sales teams.
//!
//! # The layers
//!
//! | layer | module | what it holds |
//! |---|---|---|
//! | 1 | `error` | the one [`Error`](crate::Error) type: field path, bad value, what was expected |
//! | 1 | `special` | special functions (incomplete gamma, error functions), one accurate copy each |
//! | 1 | `sampling` | the inlined samplers of the hot loops (ziggurat normals and exponentials, fast `exp`); scrambled Sobol points for randomised quasi-Monte Carlo (`quasi`) |
//! | 1 | `statistics` | exactly mergeable accumulators (exact sums, count histograms, the value sketch) and [`Summary`](crate::Summary) |
//! | 2 | `model` | the core model: `duration` ([`Hours`](crate::Hours)), `decay` ([`DecayCurve`](crate::DecayCurve)), `follow_up` ([`FollowUp`](crate::FollowUp), [`DelayDistribution`](crate::DelayDistribution)), `deal_value` ([`DealValue`](crate::DealValue)), `segment` ([`Segment`](crate::Segment)), `scenario` ([`Scenario`](crate::Scenario): segments, spend and goal, nothing else) |
//! | 2 | `calendar` | the one [`Calendar`](crate::Calendar) of the crate: working days and hours, time zone, holidays; the map between working and calendar time that the sales queue and the planner share |
//! | 3 | `exact` | [`Expected`](crate::Expected) and the exact expectations: warm probabilities, delay laws, quadrature |
//! | 4 | `engine` | [`Simulation`](crate::Simulation) and the `RunOptions` it shares with the capacity simulation, the [`Engine`](crate::Engine) choice, per-trial seeding, the per-SQL and collapsed kernels, threads, [`Tally`](crate::Tally) (which knows its run: scenario fingerprint, engine, seed, trial ranges) and [`Report`](crate::Report) |
//! | 5 | `plan` | the reverse funnel, confidence plans, BANT, business-day metrics, benchmark monitors ([`crate::plan`]) |
//! | 5 | `capacity` | the sales-team queue that turns a lead flow into follow-up delays ([`crate::capacity`]) |
//! | 5 | `calibrate` | from a CRM export to fitted follow-up and decay models ([`crate::calibrate`]) |
//! | 5 | `sensitivity` | what drives the loss when inputs are uncertain: tornado and Sobol indices on the exact conditional expectation ([`crate::sensitivity`]) |
//! | 5 | `whatif` | what-ifs over the model with the same seeds at every point: the knobs an analyst varies, sweeps over them, the verdict sentence |
//! | 6 | `file` | scenario files: the schema split by concern (curves, follow-up, sales, plan), loading and saving, and the whole-file `Analysis`: the core scenario plus its optional `[plan]`, `[sales]` and `[recycling]` sections |
//!
//! `guide` (these pages) is documentation only and sits outside the layers.
//! The crate root re-exports the types most programs need
//! (`lead_decay::Scenario`, `lead_decay::Simulation`, ...); those paths are
//! the stable way to name them.
//!
//! # The examples
//!
//! The programs in `examples/` are thin command-line layers: each parses its
//! flags (clap), calls the library, and formats the result as a table, JSON,
//! CSV or a chart. Model logic, searches and sweeps live in the library, so
//! another crate can have everything an example prints.
//!
//! | example | answers | library |
//! |---|---|---|
//! | `simulate` | what does neglect cost? ([`json`](super::json)) | `engine`, `exact`, `whatif` (verdict) |
//! | `sweep` | how does the loss change with one input? | `whatif` |
//! | `sensitivity` | which of our uncertain inputs drives the loss? ([`sensitivity`](super::sensitivity)) | `sensitivity` |
//! | `plan` | how many SQLs, MQLs and inquiries does a goal take? | `plan` |
//! | `capacity` | how many reps keep the follow-up delay down? | `capacity` |
//! | `calibrate` | what do our CRM records say the curves are? | `calibrate` |
//!
//! # Where new work goes
//!
//! * A new decay shape or delay law: its type in `model`, its expectation in
//!   `exact`, its sampler in the engine kernels, its keys in `file`. Matches
//!   over shapes are exhaustive inside the crate, so the compiler lists every
//!   place that must handle it.
//! * A new metric: the trial outcome, `Tally` and `Report` in `engine`, its
//!   expectation in `exact`, and its definition in [`metrics`](super::metrics).
//! * A new feature: a module in layer 5 that uses the core, and a section in
//!   `file` if scenario files configure it.
//! * Printing, flags and charts: the examples.
