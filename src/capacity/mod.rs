//! The sales-team queue: how a team and a lead flow turn into follow-up
//! delays, customers and ROI lost.
//!
//! In the core model the follow-up delay is an input. Here it is an output:
//! SQLs of each segment arrive as a Poisson process ([`SqlStream`]), raw
//! inquiries forwarded by marketing may join the same queue
//! ([`InquiryStream`]), and a [`SalesTeam`] of reps takes the next item by
//! its [`Discipline`] whenever a rep is free and at work (its [`Calendar`](crate::Calendar)).
//! The follow-up delay of an SQL is the time from its arrival to the start
//! of its first handling. Each SQL's outcome then follows [`crate::guide::model`]
//! exactly as the per-SQL engine does: warm iff `W < f(D)`, would close iff
//! `U < close_rate`, value `V`, with the ideal world (every SQL worked at
//! once) sharing `U` and `V`. Cold SQLs may be recycled ([`Recycling`]).
//!
//! ```text
//! arrivals (Poisson, per segment; inquiries) -> queue (fifo | newest-first | priority, triage)
//!   -> reps (working hours, handling time) -> delay D -> warm? close? value -> CapacityReport
//! ```
//!
//! # Stability
//!
//! The offered load `ρ = Σ λ·E[handling] / (reps · working hours)`
//! ([`CapacityModel::offered_load`]) must be below 1, or the queue grows
//! without bound; a run of such a team returns an error naming `sales.reps`
//! instead of running away. With triage, and when every waiting item has a
//! finite shelf life, the queue is bounded whatever `ρ`, and such runs are
//! allowed ([`CapacityModel::is_stable`]).
//!
//! # Horizon and warm-up
//!
//! Items arrive during `[0, horizon)`; the queue then drains (every SQL that
//! arrived is eventually worked or dropped). Items arriving before the
//! warm-up load the queue but are left out of every metric. Utilisation and
//! queue length are measured over `[warm_up, horizon)`.
//!
//! # Reproducibility and speed
//!
//! Trial `i` of a run with seed `s` draws from
//! [`crate::engine::trial_rng`]`(s, i)`; accumulators merge exactly, so the
//! report is bit-identical for any thread count. The event loop keeps its
//! heap and queue across trials (cleared, not reallocated) and allocates
//! nothing per event.
//!
//! A FIFO team without triage (any calendar, with or without inquiries or
//! recycling) runs by a faster path chosen automatically: no event list,
//! each SQL's follow-up starts when the earliest free rep is at work (a
//! recursion over the arrivals, on the team's working clock; recycled SQLs
//! come back into it in order of arrival). It draws arrivals, handling
//! times and outcomes from three separate streams of the trial's
//! generator, so the `k`-th SQL of a trial has the same arrival, handling
//! time and outcome draws whatever the team's size: team sizes are compared
//! on common random numbers. Without recycling a larger team never makes an
//! SQL wait longer in any trial; with it, returns come back at times that
//! depend on the team, so that holds on average, not trial by trial. Its
//! results agree in distribution with the event loop's, not bit for bit.
//!
//! # Example: M/M/2 at 80 % load
//!
//! ```
//! use lead_decay::capacity::{CapacityModel, CapacitySimulation, SalesTeam, SqlStream};
//! use lead_decay::{DelayDistribution, Hours, Scenario};
//!
//! let segment = Scenario::reference().segments()[0].clone();
//! // 38.4 SQLs a day = 1.6 an hour, 1 h each, 2 reps: ρ = 0.8.
//! let stream = SqlStream::new(segment, 38.4, DelayDistribution::exponential(Hours::new(1.0)?)?)?;
//! let model = CapacityModel::new(SalesTeam::new(2)?, vec![stream], Hours::from_days(200.0)?)?
//!     .with_warm_up(Hours::from_days(10.0)?)?;
//! let report = CapacitySimulation::new(&model).trials(40).seed(1).run()?;
//! // Erlang C: P(wait > 0) = 0.711, E[wait] = 1.78 h.
//! let wait = report.metrics.mean_delay_hours;
//! assert!((wait.mean - 1.778).abs() < 4.0 * wait.std_error + 0.05);
//! # Ok::<(), lead_decay::Error>(())
//! ```

mod delay_histogram;
mod discipline;
mod flow;
mod model;
mod outcome;
mod precision;
mod queue;
mod recycling;
mod report;
mod run;
mod setup;
mod team;
mod team_search;

pub use delay_histogram::{DelayHistogram, DelayQuantiles};
pub use discipline::Discipline;
pub use flow::{ArrivalHours, InquiryStream, SqlStream};
pub use model::{CapacityModel, MAX_HORIZON_HOURS};
pub use outcome::CapacityOutcome;
pub use precision::{PRECISION_FLOOR, Precision};
pub use recycling::Recycling;
pub use report::{CapacityMetrics, CapacityReport, CapacityTally, WeekReport};
pub use run::CapacitySimulation;
pub use setup::SalesSetup;
pub use team::{MAX_REPS, SalesTeam};
// The week's constants moved to `calendar` with the team's hours.
pub use crate::calendar::{DAY_NAMES, WEEK_HOURS, parse_day};
pub use team_search::{TeamCriterion, TeamSearch, TeamSize};
