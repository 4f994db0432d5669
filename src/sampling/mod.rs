//! Inlined samplers of the engines' hot loops: a ziggurat for the normal
//! law and a fast `exp` with a proven error bound. Both draw the same bits
//! on every machine.

pub(crate) mod fast_exp;
pub(crate) mod ziggurat;
