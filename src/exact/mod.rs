//! Exact expectations, computed without sampling: [`Expected`] for every
//! metric of a scenario or segment (and [`LossSplit`], where the loss comes
//! from), built on the warm probability `E[f(D)]` of a decay curve and a
//! delay law ([`warm`]); and [`CustomerDistribution`], the exact law of the
//! customers of a trial, for the chance of a customer goal.
//!
//! Layer 3 of the crate: it reads the model and nothing above it.

pub mod arrival_loss;
pub mod business;
mod customers;
mod expected;
pub mod over_inputs;
mod quadrature;
pub mod warm;
pub(crate) mod work;

pub use customers::{CustomerDistribution, NotExact};
pub use expected::{Expected, Loss, LossSplit};
pub use over_inputs::{ExpectedOverInputs, Integration};
pub use warm::{warm_probability, warm_probability_within};
