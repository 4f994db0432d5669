//! Inlined samplers of the engines' hot loops: a ziggurat for the normal
//! law and a fast `exp` with a proven error bound. Both draw the same bits
//! on every machine. And randomised quasi-Monte Carlo on the unit cube
//! (`quasi`): scrambled Sobol points, means with a standard error.

pub(crate) mod fast_exp;
pub(crate) mod ziggurat;
// Its callers (sensitivity indices, the exact expectation over uncertain
// inputs) arrive in their own commits; until each does, parts are unused.
#[allow(dead_code)]
pub(crate) mod quasi;
