//! The guide: what lead-decay computes, and how to read every number it
//! reports.
//!
//! Documentation only; these modules hold no code. Together they are the
//! specification of the model as the crate implements it: any two correct
//! implementations of what is written here agree on every expectation and,
//! in distribution, on every Monte Carlo figure.
//!
//! | chapter | what it answers |
//! |---|---|
//! | [`model`] | the story, the reference case worked through with numbers, decay curves, follow-up and deal-value laws with their formulas, and the generative model of one trial |
//! | [`metrics`] | every metric of a trial, its exact expectation, and how the Monte Carlo summaries are defined (quantiles, interval of the mean, `P(customers >= goal)`, ROI) |
//! | [`file_format`] | scenario files in TOML or JSON: every section and key, units, presets, and the errors a bad file gives |
//! | [`json`] | the output of the `simulate` example: the JSON contract key by key with a real output, the CSV and per-trial formats |
//! | [`sensitivity`] | when inputs are guesses: reading a tornado chart and Sobol indices, and what they cannot say |
//! | [`calibration`] | fitting a CRM export: the follow-up, decay and sales-cycle likelihoods, open SQLs censored on their outcome, the evidence for each decay shape, the report |
//! | [`reproducibility`] | seeding per trial, bit-identical reports across threads and machines, shards that merge exactly |
//! | [`architecture`] | the layers of the crate, which module sits in which, and where new work goes |
//! | [`stability`] | what the API promises across versions: non-exhaustive types, serde formats, pinned values, features |
//!
//! A first reading: [`model`] up to "One trial", then [`metrics`]; an analyst
//! who only runs the examples needs [`file_format`] and [`json`].

pub mod architecture;
pub mod calibration;
pub mod file_format;
pub mod json;
pub mod metrics;
pub mod model;
pub mod reproducibility;
pub mod sensitivity;
pub mod stability;
