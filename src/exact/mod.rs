//! Exact expectations, computed without sampling: [`Expected`] for every
//! metric of a scenario or segment, built on the warm probability
//! `E[f(D)]` of a decay curve and a delay law ([`warm`]).
//!
//! Layer 3 of the crate: it reads the model and nothing above it.

pub mod arrival_loss;
pub mod business;
mod expected;
mod quadrature;
pub mod warm;

pub use expected::Expected;
pub use warm::{warm_probability, warm_probability_within};
