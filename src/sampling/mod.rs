//! Inlined samplers of the engines' hot loops: a ziggurat for the normal
//! law and a fast `exp` with a proven error bound. Both draw the same bits
//! on every machine. And randomised quasi-Monte Carlo on the unit cube
//! (`quasi`): scrambled Sobol points, means with a standard error.

pub(crate) mod exponential;
pub(crate) mod fast_exp;
pub(crate) mod ziggurat;
// Sensitivity indices and sweep bands use the points; the mean over the
// cube with its standard error is for the exact expectation over uncertain
// inputs, which arrives in its own commit (until then it is unused).
#[allow(dead_code)]
pub(crate) mod quasi;
