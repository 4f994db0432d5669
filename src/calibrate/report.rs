//! The calibration: follow-up and decay fits side by side, and the scenario
//! segment they imply.

use serde::Serialize;

use super::decay_fit::DecayFit;
use super::export::{Export, ImportSummary};
use super::follow_up_fit::FollowUpFit;
use super::labels::Outcome;
use crate::error::{Error, Result};
use crate::model::deal_value::DealValue;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// Everything fitted from one export.
///
/// # Example
///
/// ```
/// use lead_decay::{DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment};
/// use lead_decay::calibrate::{Calibration, Export, synthetic_export};
///
/// let truth = Segment::builder("web").sqls(1_000).close_rate(0.3)
///     .deal_value(DealValue::fixed(1_000.0)?)
///     .decay(DecayCurve::exponential(Hours::new(24.0)?)?)
///     .never_followed_up(0.1)
///     .delay(DelayDistribution::exponential(Hours::new(12.0)?)?)
///     .build()?;
/// let (records, as_of) = synthetic_export(&truth, 5_000, "2024-01-01T00:00:00Z".parse().unwrap(), 3)?;
/// let calibration = Calibration::fit(&Export::from_records(records, as_of))?;
/// let scenario = calibration.scenario("fitted", "web", 1_000)?;
/// let fitted = Expected::of(&scenario).customers;
/// let true_value = Expected::of_segment(&truth).customers;
/// assert!((fitted / true_value - 1.0).abs() < 0.1);
/// assert!(scenario.to_toml_string().contains("[[segments]]"));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// What happened to the rows of the export.
    pub import: ImportSummary,
    /// Who is never followed up and after how long the rest are.
    pub follow_up: FollowUpFit,
    /// Conversion against delay, with every decay shape fitted.
    pub decay: DecayFit,
    /// Mean value of the won deals that carry one (`None` without values).
    pub mean_deal_value: Option<f64>,
    /// Coefficient of variation of those deal values.
    pub deal_value_cv: Option<f64>,
}

impl Calibration {
    /// Fits the follow-up model and the decay curve to an export.
    ///
    /// # Errors
    ///
    /// An export with no usable row (the error names the skip reasons that
    /// emptied it, with their counts and first lines); whichever part the
    /// data cannot identify (no contacted SQLs, only open deals, no wins,
    /// ...), with the reason; deal values so large that the sum of their
    /// squares overflows (the error names the column and the rows).
    pub fn fit(export: &Export) -> Result<Calibration> {
        if let Some(why) = export.summary().why_empty() {
            return Err(Error::invalid(
                "rows",
                format!("none ({why})"),
                "at least one usable row",
            ));
        }
        let won: Vec<(u64, f64)> = export
            .records()
            .iter()
            .filter(|r| r.outcome == Outcome::Won)
            .filter_map(|r| r.deal_value.map(|v| (r.line, v)))
            .collect();
        let (mean_deal_value, deal_value_cv) = if won.is_empty() {
            (None, None)
        } else {
            let n = won.len() as f64;
            let mean = won.iter().map(|(_, v)| v).sum::<f64>() / n;
            let var = won.iter().map(|(_, v)| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
            if !(mean.is_finite() && var.is_finite()) {
                return Err(too_large(export, &won));
            }
            (Some(mean), (mean > 0.0).then(|| var.sqrt() / mean))
        };
        let follow_up = FollowUpFit::fit(export)?;
        let decay = DecayFit::fit(export)?;
        Ok(Calibration {
            import: export.summary().clone(),
            follow_up,
            decay,
            mean_deal_value,
            deal_value_cv,
        })
    }

    /// A scenario segment called `name` with `sqls` SQLs: the best decay
    /// fit's close rate and curve, the best delay family with its share
    /// never followed up, and the deal values (log-normal with the observed
    /// mean and CV when it is above 1 %, fixed at the mean otherwise).
    ///
    /// # Errors
    ///
    /// An invalid name or cohort size; an export without deal values on
    /// its won rows (field `deal_value`: give one with
    /// [`Calibration::segment_with_deal_value`]).
    pub fn segment(&self, name: &str, sqls: u64) -> Result<Segment> {
        let deal_value = match (self.mean_deal_value, self.deal_value_cv) {
            (Some(mean), Some(cv)) if cv > 0.01 && mean > 0.0 => DealValue::lognormal(mean, cv)?,
            (Some(mean), _) => DealValue::fixed(mean)?,
            (None, _) => {
                let found = match &self.import.deal_value_column {
                    None => "no deal-value column".to_owned(),
                    Some(column) => format!("no won row with a value in column {column:?}"),
                };
                return Err(Error::invalid(
                    "deal_value",
                    format!("{found} in the export"),
                    "a deal value: give one (--deal-value), or name the column holding it (--column deal_value=NAME)",
                ));
            }
        };
        self.segment_with_deal_value(name, sqls, deal_value)
    }

    /// As [`Calibration::segment`], with the deal values given instead of
    /// fitted (for an export without them, or to override them).
    ///
    /// # Errors
    ///
    /// An invalid name or cohort size.
    pub fn segment_with_deal_value(&self, name: &str, sqls: u64, deal_value: DealValue) -> Result<Segment> {
        let decay = self.decay.best();
        let delay = self.follow_up.best();
        Segment::builder(name)
            .sqls(sqls)
            .close_rate(decay.close_rate.value)
            .deal_value(deal_value)
            .decay(decay.curve.clone())
            .never_followed_up(delay.never_followed_up.value)
            .delay(delay.distribution.clone())
            .build()
    }

    /// A one-segment scenario (see [`Calibration::segment`]) ready for
    /// `simulate`; write it with [`Scenario::to_toml_string`].
    ///
    /// # Errors
    ///
    /// As [`Calibration::segment`].
    pub fn scenario(&self, scenario: &str, segment: &str, sqls: u64) -> Result<Scenario> {
        Scenario::builder(scenario)
            .segment(self.segment(segment, sqls)?)
            .build()
    }
}

/// The error for deal values whose sums overflow: the column and the rows
/// with the largest values.
fn too_large(export: &Export, won: &[(u64, f64)]) -> Error {
    let mut largest: Vec<(u64, f64)> = won.to_vec();
    largest.sort_by(|a, b| b.1.total_cmp(&a.1));
    let lines: Vec<String> = largest.iter().take(5).map(|(line, _)| line.to_string()).collect();
    let column = export.summary().deal_value_column.as_deref().unwrap_or("deal_value");
    Error::invalid(
        "deal_value",
        format!(
            "column {column:?} holds values up to {:e} (lines {}{}), whose mean and variance overflow",
            largest[0].1,
            lines.join(", "),
            if largest.len() > 5 { ", ..." } else { "" }
        ),
        "deal values whose squares sum to less than 1.8e308 (check the column's unit and notation)",
    )
}
