//! # lead-decay: what does it cost when sales-qualified leads go cold?
//!
//! A sales-qualified lead (SQL) is valuable because of what its buyer feels
//! *now*. That state decays: in about a month in B2B industrial sales, in a
//! day or an afternoon in consumer markets. Each SQL carries a share of the
//! revenue goal, and the share it delivers falls with every hour it waits for
//! sales, to nothing if it is never followed up.
//!
//! This crate models that loss:
//!
//! * a [`DecayCurve`] `f(t)`: the probability that an SQL first worked `t`
//!   hours after it became an SQL is still warm;
//! * a [`FollowUp`] model: who is never followed up ([`Neglect`]), the
//!   [`DelayDistribution`] of the rest, an optional SLA;
//! * [`Segment`]s (cohorts of SQLs with a close rate and a [`DealValue`]) in a
//!   [`Scenario`], built in code or loaded from a TOML or JSON file
//!   (format: [`guide::file_format`]);
//! * [`Expected`]: the exact expectation of every metric, without sampling;
//! * [`Simulation`]: reproducible Monte Carlo trials with common random
//!   numbers, summarised in a [`Report`] (means, standard errors, intervals,
//!   quantiles, `P(customers >= goal)`).
//!
//! Around that core:
//!
//! * [`plan`]: the reverse funnel from a revenue or customer goal to SQLs,
//!   MQLs, inquiries and budget, decay- and confidence-aware; BANT scoring,
//!   business-day metrics and benchmark monitors;
//! * [`capacity`]: where the follow-up delay comes from. A [`SalesTeam`]
//!   works a queue of arriving SQLs (and raw inquiries); a
//!   [`CapacitySimulation`] turns it into delays, SLA compliance,
//!   utilisation, and customers and ROI lost;
//! * [`calibrate`]: from a CRM export (one row per SQL) to fitted follow-up
//!   and decay models and a scenario segment ([`Calibration`]);
//! * [`whatif`]: turn one input (a [`whatif::Knob`]) and see what it
//!   costs: [`whatif::Sweep`]s with common random numbers, the verdict
//!   sentence ([`whatif::Verdict`]); the smallest team that meets a target
//!   is [`CapacityModel::smallest_team`];
//! * [`calendar`]: business hours. A [`Calendar`] (working week, time zone,
//!   holidays, optional dates) maps calendar time to working time and back,
//!   exactly; the capacity queue's reps work on it and the planner counts
//!   business days with it. No calendar means round the clock.
//!
//! ## Guide
//!
//! The [`guide`] explains what every number means:
//!
//! * [`guide::model`]: the generative model, decay curves and follow-up laws,
//!   the reference case worked through;
//! * [`guide::metrics`]: every metric, its exact expectation, and how the
//!   Monte Carlo summaries are defined;
//! * [`guide::file_format`]: scenario files, every section and key;
//! * [`guide::json`]: the JSON contract of the `simulate` example;
//! * [`guide::reproducibility`]: seeds, bit-identical reports, shards;
//! * [`guide::architecture`]: the layers of the crate.
//!
//! ## The reference case
//!
//! Goal 10 customers at a 25 % close rate: 40 SQLs, each worth
//! 10 × 100,000 / 40 = 25,000. Five are never followed up:
//!
//! ```
//! use lead_decay::{Expected, Scenario, Simulation};
//!
//! let scenario = Scenario::reference();
//! let expected = Expected::of(&scenario);
//! assert_eq!(expected.customers, 8.75);            // 35 × 0.25
//! assert_eq!(expected.revenue_lost, 125_000.0);
//!
//! let report = Simulation::new(&scenario).trials(50_000).seed(1).run()?;
//! let customers = report.metrics.customers;        // ~ Binomial(35, 0.25)
//! assert_eq!((customers.p05, customers.p50, customers.p95), (5.0, 9.0, 13.0));
//! let goal = report.goal.unwrap();                 // P(customers >= 10)
//! assert!((goal.probability - 0.374).abs() < 0.01);
//! assert!((goal.probability_ideal - 0.560).abs() < 0.01);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! ## One trial
//!
//! For every SQL: draw its follow-up delay `D` (never, if neglected); it is
//! warm with probability `f(D)`; it would close with the close rate; its deal
//! value is drawn. It is a *customer* if warm and it would close, an *ideal
//! customer* if it would close, *lost* if ideal but not warm. The ideal and
//! actual worlds share the close draw and the deal value (common random
//! numbers), so in every trial `customers <= customers_ideal` and
//! `revenue_lost >= 0`, and the loss estimate has far less variance than the
//! difference of two independent runs. Two engines draw this: [`Engine::PerSql`]
//! SQL by SQL, and [`Engine::Collapsed`] as exact binomial counts; tests show
//! they agree in distribution.
//!
//! ## Reproducibility
//!
//! Trial `i` of a run with seed `s` draws from its own generator, seeded from
//! `(s, i)` alone ([`engine::trial_rng`]), and every accumulator is an exact
//! function of the multiset of trial outcomes. The same scenario, seed and
//! trial count therefore give bit-identical reports with any number of
//! threads, any chunking and on any machine, and shards merge exactly
//! ([`Simulation::run_range`], [`Tally::merge`]).
//!
//! ## Accuracy
//!
//! * Expectations: closed forms where they exist, adaptive quadrature
//!   otherwise, relative error <= 1e-9 ([`exact::warm`]).
//! * Count metrics (customers): exact histograms, so quantiles are exact and
//!   integral. Money metrics: exact sums (mean and variance are exact up to
//!   the final rounding) and a log-bucket sketch whose quantiles are within
//!   2^-12 relative of the true sample quantile, and exact for values that
//!   fall in distinct buckets (see [`statistics`]).
//! * Quantiles use the inverted-CDF definition: `p05` is the smallest
//!   observed value whose empirical CDF reaches 5 %.
//!
//! ## Errors
//!
//! Nothing in this crate panics on user input. Every constructor validates
//! and returns an [`Error`] that names the field (`segments[1].decay.shelf_life`),
//! the value and what was expected; NaN is always rejected.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// Validation is written `!(x > 0.0)` on purpose: unlike `x <= 0.0`, it rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

// Layer 1: errors, samplers and accumulators.
pub mod error;
mod sampling;
mod special;
pub mod statistics;
// Layer 2: the core model and the calendar its clocks run on.
pub mod calendar;
pub mod model;
// Layer 3: exact expectations.
pub mod exact;
// Layer 4: Monte Carlo engines, tallies and reports.
pub mod engine;
// Layer 5: the features around the core.
#[cfg(feature = "calibrate")]
pub mod calibrate;
pub mod capacity;
pub mod plan;
pub mod sensitivity;
pub mod whatif;
// Layer 6: scenario files, the outer edge.
#[cfg(feature = "files")]
pub mod file;
// Docs only: the model, metrics, file format and architecture.
pub mod guide;

pub use calendar::Calendar;
#[cfg(feature = "calibrate")]
pub use calibrate::{Calibration, Export, ExportFormat};
pub use capacity::{
    CapacityModel, CapacityReport, CapacitySimulation, Discipline, InquiryStream, Recycling, SalesTeam, SqlStream,
};
pub use engine::{Engine, GoalChance, Metrics, Report, SegmentReport, Simulation, Tally, TrialOutcome};
pub use error::{Error, Result};
pub use exact::Expected;
#[cfg(feature = "files")]
pub use file::Analysis;
pub use model::deal_value::{DealValue, DealValueShape};
pub use model::decay::{DecayCurve, DecayPreset, DecayShape};
pub use model::duration::Hours;
pub use model::follow_up::{DelayDistribution, DelayShape, FollowUp, FollowUpPreset, Neglect};
pub use model::scenario::{Scenario, ScenarioBuilder};
pub use model::segment::{Segment, SegmentBuilder};
pub use plan::{Confidence, FollowUpEffect, Funnel, Plan, PlanInputs, PlanReport, Stage};
pub use statistics::Summary;

/// The `rand` crate this crate's public signatures use (`Rng` in the
/// `sample` methods, [`rand::distr::Distribution`] implemented by
/// [`DelayDistribution`] and [`DealValue`]). Name it as `lead_decay::rand`
/// so a different `rand` version in your own dependencies cannot break the
/// build.
pub use rand;
/// The `rand_xoshiro` crate of [`engine::TrialRng`], the generator
/// [`engine::trial_rng`] returns.
pub use rand_xoshiro;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
