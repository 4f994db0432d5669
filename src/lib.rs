//! lead-decay: what does it cost when sales-qualified leads go cold?
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod statistics;
