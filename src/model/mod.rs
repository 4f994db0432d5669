//! The core model: how long an SQL stays warm ([`decay`]), when sales
//! follows it up ([`follow_up`]), what a deal is worth ([`deal_value`]), the
//! cohorts of SQLs ([`segment`]) and one analysis of them ([`scenario`]).
//!
//! Layer 2 of the crate (see [`crate::guide`]): it depends only on
//! [`crate::error`] and the special functions, and knows nothing of engines,
//! features or files. Every type validates at construction, so a value of
//! these types is always a valid input to everything above.

pub mod business_hours;
pub mod deal_value;
pub mod decay;
mod delay_quantile;
pub mod duration;
pub mod follow_up;
pub mod knob;
mod rescale;
pub mod scenario;
pub mod segment;
pub mod uncertainty;
