//! Calibration: from a CRM export of SQLs to a fitted scenario.
//!
//! A shelf life of "about a month" is a guess; the CRM knows better. This
//! module reads an export with one row per SQL ([`Export`]), fits the
//! follow-up model ([`FollowUpFit`]) and the decay curve ([`DecayFit`]), and
//! turns the fits into a scenario segment ready for `simulate`
//! ([`Calibration`]).
//!
//! # What the rows mean
//!
//! * **won**: the SQL was contacted, was still warm and closed;
//! * **lost**: contacted and either cold or would not close; or never
//!   contacted (a closed SQL without a contact was never followed up);
//! * **open**: not decided yet. Not yet contacted, it may still be
//!   (censored in the follow-up fit). Contacted, it is censored on its
//!   outcome: with the sales cycle (the time from the first contact to a
//!   win, and to a loss, fitted from the decided rows: [`SalesCycleFit`])
//!   an SQL contacted yesterday counts as "not decided yet", one open for
//!   months as probably lost, so the close rate stays unbiased when the
//!   last weeks of the export are immature ([`Censoring`]).
//!
//! A decision-date column (`decided_at`, the CRM's close date) sharpens
//! the sales cycle; without it the cycle is read from how the share of
//! SQLs decided grows with the time since contact. The as-of date matters:
//! everything is known as of that moment ([`Calibration::as_of`]). The
//! likelihoods, and how to read the report, are in
//! [`crate::guide::calibration`].
//!
//! # Which shape
//!
//! Every decay shape is fitted; [`Calibration::shapes`] gives each its
//! Akaike weight and the exact expected revenue lost in the scenario fitted
//! with it ([`ShapeWeight`]), so a report shows when the data cannot tell
//! shapes apart. [`Calibration::segment`] writes the best by AIC,
//! [`Calibration::segment_with_shape`] any other, each to
//! [`SIGNIFICANT_DIGITS`] significant digits. [`Calibration::report`] is
//! the text report: what the data say in plain words, then the technical
//! detail with its terms explained.

//! # Reading real exports
//!
//! [`ExportFormat`] says how to read a file: [`ExportFormat::preset`] for a
//! Salesforce, HubSpot or Pipedrive export ([`Crm`], with the layouts each
//! expects), or the parts one by one: column names ([`Columns`], matched
//! ignoring case), outcome labels ([`OutcomeLabels`]: which stages are
//! won, lost, open), the notation of amounts ([`NumberLocale`]), the
//! encoding ([`Encoding`]) and delimiter, timestamp formats, the account's
//! time zone and dates without a time of day. The [`ImportSummary`] says
//! what happened to every row (used, or skipped with its reason and line)
//! and lists each reading that changes the data as an [`ImportWarning`].
//!
//! # Example
//!
//! ```
//! use lead_decay::calibrate::{Calibration, Export, ExportFormat};
//!
//! let export = Export::read_path("examples/data/export.csv", &ExportFormat::default())?;
//! assert_eq!(export.summary().rows, 2_000);
//! let calibration = Calibration::fit(&export)?;
//! let segment = calibration.segment("web", 2_000)?;
//! assert!(segment.close_rate() > 0.0);
//! # Ok::<(), lead_decay::Error>(())
//! ```

mod amount;
mod bootstrap;
mod censored;
mod clock_fit;
mod crm;
mod decay_fit;
mod decode;
mod estimate;
mod export;
mod follow_up_fit;
mod forecast;
mod labels;
mod ln_curve;
mod optimize;
mod report;
mod sales_cycle;
mod synthetic;
mod text;
mod timestamp;

pub use amount::NumberLocale;
pub use bootstrap::{Bootstrap, BootstrapFit, MAX_BOOTSTRAP_REPLICATES, Replicate};
pub use clock_fit::{ClockFit, HOURS_TOLERANCE};
pub use crm::Crm;
pub use decay_fit::{DecayFit, DelayBin, NotIdentified, ShapeFit, ShapeKind};
pub use decode::{Encoding, parse_delimiter};
pub use estimate::{Estimate, wilson_interval};
pub use export::{
    COLUMN_KEYS, Columns, ContactBeforeSql, Export, ExportFormat, FIRST_LINES, ImportSummary, ImportWarning,
    MAX_REPORTED_PROBLEMS, NO_SEGMENT, RowProblem, SkipReason, SqlRecord, WarningKind,
};
pub use follow_up_fit::{DelayFit, FollowUpFit, MAX_EMPIRICAL_SAMPLES, MIN_DELAY_HOURS};
pub use forecast::{AVERAGED_POINTS, COORDINATE_DIGITS, NESTED_IN_WEIBULL, ShapeChoice};
pub use labels::{Outcome, OutcomeLabels};
pub use report::{Calibration, PLAUSIBLE_WEIGHT, SIGNIFICANT_DIGITS, SegmentFits, ShapeWeight, significant};
pub use sales_cycle::{Censoring, CycleFit, MIN_CYCLE_HOURS, MIN_DECIDED_PER_OUTCOME, SalesCycleFit};
pub use synthetic::{
    SYNTHETIC_CLOSE_LAG_DAYS, SYNTHETIC_STALE_DAYS, SYNTHETIC_WINDOW_DAYS, SyntheticTimeline, synthetic_export,
    synthetic_export_with, write_export,
};
pub use text::{GLOSSARY, duration, import_report};
