//! What-ifs over the model: turn one input and see what it costs.
//!
//! * a [`Knob`] names an input a what-if can vary (mean follow-up delay,
//!   shelf life, share never followed up, SLA, close rate, mean deal value,
//!   sales reps) and sets it in a scenario, shape kept ([`Knob::apply`]);
//! * a [`Sweep`] turns a knob over a list of values and runs every point
//!   with the same seed (common random numbers), into a [`SweepReport`]:
//!   per point the exact expectations where the model has them
//!   ([`SweepPoint::expected`]) and the Monte Carlo summaries
//!   ([`SweepPoint::metrics`]); the `reps` knob runs the capacity model,
//!   whose points carry Monte Carlo figures only and say so
//!   ([`TeamPoint::figures`]);
//! * the smallest team that meets a target is
//!   [`CapacityModel::smallest_team`](crate::capacity::CapacityModel::smallest_team);
//! * the value of speed: [`Sweep::value_of_speed`] sweeps the mean
//!   follow-up delay from 1 minute to 30 days on a log grid
//!   ([`Sweep::log_range`]); a follow-up-delay sweep prices one hour of
//!   delay at the scenario's own setting ([`SweepReport::marginal`]), and
//!   with uncertain inputs every point carries the range of the exact
//!   expectations over them ([`SweepPoint::input_bands`]);
//! * [`hours::with_team_week`] moves the segments on business hours to
//!   another working week (an evening or weekend shift, hours moved);
//! * a [`Verdict`] is the one sentence `simulate` opens with.
//!
//! Layer 5 of the crate, beside [`crate::plan`], [`crate::capacity`] and
//! [`crate::calibrate`]: it uses the model, the exact expectations, the
//! engines and the capacity model, and nothing below uses it.
//!
//! # Example: the value of speed
//!
//! ```
//! use lead_decay::whatif::{Knob, Sweep};
//! use lead_decay::Scenario;
//!
//! // 1 hour, 2 days and 4 days to first follow-up, in the reference case.
//! let report = Sweep::new(Knob::FollowUpMean, vec![1.0, 48.0, 96.0])
//!     .trials(5_000)
//!     .run(&Scenario::reference())?;
//! for point in &report.points {
//!     let exact = point.expected().unwrap();      // exact, no sampling
//!     let band = &point.metrics().revenue_lost;   // Monte Carlo, 90 % of trials
//!     println!("{:>4}: {:.0} lost ({:.0} to {:.0})", point.label, exact.revenue_lost, band.p05, band.p95);
//! }
//! let lost = |i: usize| report.points[i].expected().unwrap().revenue_lost;
//! assert!(lost(0) < lost(1) && lost(1) < lost(2));
//! # Ok::<(), lead_decay::Error>(())
//! ```

pub mod hours;
mod speed;
mod sweep;
mod team_knob;
mod verdict;

pub use crate::model::knob::{Knob, KnobUnit};
pub use speed::{InputBands, MarginalValue, ONE_MINUTE, THIRTY_DAYS};
pub use sweep::{Figures, MAX_STEPS, PointOutcome, Sweep, SweepPoint, SweepReport, TeamPoint};
pub use verdict::{Verdict, grouped};
