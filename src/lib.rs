//! lead-decay: what does it cost when sales-qualified leads go cold?
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod deal_value;
pub mod decay;
pub mod duration;
pub mod error;
pub mod follow_up;
pub mod plan;
pub mod statistics;

pub use deal_value::{DealValue, DealValueShape};
pub use decay::{DecayCurve, DecayPreset, DecayShape};
pub use duration::Hours;
pub use error::{Error, Result};
pub use follow_up::{DelayDistribution, DelayShape, FollowUp, Neglect};
pub use plan::{Confidence, FollowUpEffect, Funnel, Goal, Plan, PlanInputs, PlanReport, Stage};
