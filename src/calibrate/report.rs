//! The calibration: follow-up and decay fits side by side, and the scenario
//! segment they imply.

use serde::Serialize;

use super::clock_fit::ClockFit;
use super::decay_fit::{DecayFit, ShapeKind};
use super::export::{Export, ImportSummary};
use super::follow_up_fit::{DelayFit, FollowUpFit};
use super::labels::Outcome;
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::model::business_hours::DelayClock;
use crate::model::deal_value::DealValue;
use crate::model::decay::{DecayCurve, DecayShape};
use crate::model::follow_up::{DelayDistribution, DelayShape};
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// Fitted numbers are written into scenarios to this many significant
/// digits (`half_life = "51.99h"`, not `"51.989257585180745h"`): far finer
/// than any fit's standard error, and readable.
pub const SIGNIFICANT_DIGITS: i32 = 4;

/// `x` rounded to `digits` significant digits (0, NaN and infinities as
/// they are). `digits` is taken within 1 to 17, the significant digits a
/// double can have: 0 or fewer round to 1, more than 17 leave `x` as it is.
/// Where rounding up would pass the largest double, `x` is rounded toward 0.
///
/// ```
/// use lead_decay::calibrate::significant;
///
/// assert_eq!(significant(51.989257585180745, 4), 51.99);
/// assert_eq!(significant(123_456.0, 4), 123_500.0);
/// assert_eq!(significant(0.000_123_456, 2), 0.000_12);
/// ```
pub fn significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() || digits > 17 {
        return x;
    }
    let digits = digits.max(1);
    // |log10 x| <= 324, so this cannot overflow.
    let shift = digits - 1 - x.abs().log10().floor() as i32;
    if shift >= 0 {
        // Below 1e-290, 10^shift is beyond the largest double: scale in two
        // steps (by 1.0 elsewhere, which changes nothing).
        let (pre, shift) = if shift > 300 {
            (1e300, shift - 300)
        } else {
            (1.0, shift)
        };
        let scale = 10f64.powi(shift);
        ((x * pre) * scale).round() / scale / pre
    } else {
        let scale = 10f64.powi(-shift);
        let rounded = (x / scale).round() * scale;
        // Rounding up past the largest double (1.8e308 to 2e308) rounds
        // toward zero instead.
        if rounded.is_finite() {
            rounded
        } else {
            (x / scale).trunc() * scale
        }
    }
}

/// One decay shape's share of the evidence and what its fit implies for
/// the fitted scenario (the same follow-up, deal values and cohort, with
/// this shape's close rate and curve), from the exact expectations.
///
/// The Akaike weight of shape `i` is `exp(-Δ_i / 2) / Σ_j exp(-Δ_j / 2)`,
/// `Δ_i` its AIC minus the lowest: the probability, given the data, that
/// it is the best of the shapes fitted (Burnham & Anderson, *Model
/// Selection and Multimodel Inference*, 2002, ch. 2.9). When several
/// shapes hold a real share, the data cannot tell them apart, and their
/// revenue lost is the range the choice of shape leaves open.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShapeWeight {
    /// The decay shape.
    pub shape: ShapeKind,
    /// Its AIC.
    pub aic: f64,
    /// Its AIC minus the lowest.
    pub delta_aic: f64,
    /// Its Akaike weight, in [0, 1]; the weights sum to 1.
    pub weight: f64,
    /// Its close rate.
    pub close_rate: f64,
    /// Hours until its curve falls to half (`None` if it never does).
    pub time_to_50_hours: Option<f64>,
    /// Expected customers lost to neglect and delay in the scenario fitted
    /// with this shape.
    pub customers_lost: f64,
    /// Expected customers had every SQL been worked at once.
    pub customers_ideal: f64,
    /// Expected revenue lost (`None` without a deal value).
    pub revenue_lost: Option<f64>,
    /// Expected revenue had every SQL been worked at once.
    pub revenue_ideal: Option<f64>,
}

/// The smallest Akaike weight of a shape the data cannot rule out, in the
/// report's words ("the data can't tell ... apart").
pub const PLAUSIBLE_WEIGHT: f64 = 0.05;

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
    /// How many won rows carry a deal value: the sample of the mean, whose
    /// sampling error is about `cv / sqrt(deal_values)` relative.
    pub deal_values: u64,
    /// When the export was taken (RFC 3339): open SQLs are censored there.
    pub as_of: String,
    /// The cohort of [`Calibration::shapes`]: the SQLs of the fitted
    /// scenario segment (by default the rows used).
    pub sqls: u64,
    /// Every fitted decay shape's Akaike weight and expected losses, best
    /// first (see [`ShapeWeight`]).
    pub shapes: Vec<ShapeWeight>,
    /// The delay on the team's working clock beside the calendar clock,
    /// when fitted with a calendar ([`Calibration::fit_with_calendar`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockFit>,
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
        let mut calibration = Calibration {
            import: export.summary().clone(),
            follow_up,
            decay,
            mean_deal_value,
            deal_value_cv,
            deal_values: won.len() as u64,
            as_of: export.as_of().to_string(),
            sqls: export.summary().used,
            shapes: Vec::new(),
            clock: None,
        };
        calibration.shapes = calibration.compare_shapes(calibration.sqls, None)?;
        Ok(calibration)
    }

    /// As [`Calibration::fit`], with the team's `calendar`: the follow-up
    /// delay is fitted on its working clock as well, and the fitted
    /// scenario counts it on the clock that fits better
    /// ([`ClockFit`], in [`Calibration::clock`]). The decay is fitted on
    /// the calendar clock either way: the buyer cools around the clock.
    ///
    /// # Errors
    ///
    /// As [`Calibration::fit`] and [`ClockFit::fit`].
    pub fn fit_with_calendar(export: &Export, calendar: &Calendar) -> Result<Calibration> {
        let calibration = Calibration::fit(export)?;
        let clock = ClockFit::fit(export, calendar, &calibration.follow_up)?;
        calibration.with_clock(clock)
    }

    /// The same calibration with the delay's clock fit `clock` (e.g. a
    /// [`ClockFit::with_chosen`] to force a clock), [`Calibration::shapes`]
    /// recomputed on it.
    ///
    /// # Errors
    ///
    /// As [`Calibration::compare_shapes`].
    pub fn with_clock(mut self, clock: ClockFit) -> Result<Calibration> {
        self.clock = Some(clock);
        self.shapes = self.compare_shapes(self.sqls, None)?;
        Ok(self)
    }

    /// The delay fit of the fitted scenario: the best family on the chosen
    /// clock ([`Calibration::clock`]; the calendar clock without one).
    pub fn delay_fit(&self) -> &DelayFit {
        match &self.clock {
            Some(clock) if clock.chosen == DelayClock::Working => clock.working.best(),
            _ => self.follow_up.best(),
        }
    }

    /// The same calibration with [`Calibration::shapes`] for a cohort of
    /// `sqls` SQLs and, when given, these deal values instead of the
    /// fitted ones.
    ///
    /// # Errors
    ///
    /// As [`Calibration::compare_shapes`].
    pub fn with_cohort(mut self, sqls: u64, deal_value: Option<DealValue>) -> Result<Calibration> {
        self.shapes = self.compare_shapes(sqls, deal_value)?;
        self.sqls = sqls;
        Ok(self)
    }

    /// Every fitted shape's Akaike weight and the expected losses of the
    /// scenario fitted with it, for `sqls` SQLs, best first. Deal values:
    /// `deal_value`, else the fitted ones; without either, revenue is
    /// `None` (customers are still given).
    ///
    /// # Errors
    ///
    /// A cohort of zero SQLs, or a shape whose exact expectation is not
    /// finite (field `shapes[SHAPE].METRIC`).
    pub fn compare_shapes(&self, sqls: u64, deal_value: Option<DealValue>) -> Result<Vec<ShapeWeight>> {
        let deal_value = deal_value.or_else(|| self.fitted_deal_value().ok());
        let best = self.decay.best().aic;
        let total: f64 = self.decay.fits.iter().map(|f| (-(f.aic - best) / 2.0).exp()).sum();
        self.decay
            .fits
            .iter()
            .map(|f| {
                let value = deal_value.clone().unwrap_or(DealValue::fixed(1.0)?);
                let segment = self.segment_with_shape("shape", sqls, f.shape, Some(value))?;
                let e = Expected::of_segment(&segment);
                if let Some((name, v)) = e
                    .iter()
                    .find_map(|(name, v)| v.filter(|v| !v.is_finite()).map(|v| (name, v)))
                {
                    return Err(Error::invalid(
                        format!("shapes[{}].{name}", f.shape.name()),
                        v,
                        "a finite exact expectation of the scenario fitted with this shape (its parameters are \
                         outside the range where the numerics are proven, or a business-hours expectation is past \
                         its bound on work)",
                    ));
                }
                let delta = f.aic - best;
                Ok(ShapeWeight {
                    shape: f.shape,
                    aic: f.aic,
                    delta_aic: delta,
                    weight: (-delta / 2.0).exp() / total,
                    close_rate: segment.close_rate(),
                    time_to_50_hours: f.time_to_50.as_ref().map(|t| t.value),
                    customers_lost: e.customers_lost,
                    customers_ideal: e.customers_ideal,
                    revenue_lost: deal_value.is_some().then_some(e.revenue_lost),
                    revenue_ideal: deal_value.is_some().then_some(e.revenue_ideal),
                })
            })
            .collect()
    }

    /// The shapes the data cannot rule out: Akaike weight at least
    /// [`PLAUSIBLE_WEIGHT`], best first.
    pub fn plausible_shapes(&self) -> Vec<&ShapeWeight> {
        self.shapes.iter().filter(|s| s.weight >= PLAUSIBLE_WEIGHT).collect()
    }

    /// The deal values of the fitted scenario: log-normal with the observed
    /// mean and CV when it is above 1 %, fixed at the mean otherwise, both
    /// to [`SIGNIFICANT_DIGITS`].
    ///
    /// # Errors
    ///
    /// No won row with a deal value (field `deal_value`).
    pub fn fitted_deal_value(&self) -> Result<DealValue> {
        let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
        match (self.mean_deal_value, self.deal_value_cv) {
            (Some(mean), Some(cv)) if cv > 0.01 && mean > 0.0 => DealValue::lognormal(round(mean), round(cv)),
            (Some(mean), _) => DealValue::fixed(round(mean)),
            (None, _) => {
                let found = match &self.import.deal_value_column {
                    None => "no deal-value column".to_owned(),
                    Some(column) => format!("no won row with a value in column {column:?}"),
                };
                Err(Error::invalid(
                    "deal_value",
                    format!("{found} in the export"),
                    "a deal value: give one (--deal-value), or name the column holding it (--column deal_value=NAME)",
                ))
            }
        }
    }

    /// A scenario segment called `name` with `sqls` SQLs: the best decay
    /// fit's close rate and curve, the best delay family with its share
    /// never followed up (on the chosen clock, with its business hours,
    /// when fitted with a calendar: [`Calibration::delay_fit`]), and the
    /// fitted deal values
    /// ([`Calibration::fitted_deal_value`]). Every fitted number is written
    /// to [`SIGNIFICANT_DIGITS`] significant digits.
    ///
    /// # Errors
    ///
    /// An invalid name or cohort size; an export without deal values on
    /// its won rows (field `deal_value`: give one with
    /// [`Calibration::segment_with_deal_value`]).
    pub fn segment(&self, name: &str, sqls: u64) -> Result<Segment> {
        self.segment_with_shape(name, sqls, self.decay.best().shape, None)
    }

    /// As [`Calibration::segment`], with the deal values given instead of
    /// fitted (for an export without them, or to override them).
    ///
    /// # Errors
    ///
    /// An invalid name or cohort size.
    pub fn segment_with_deal_value(&self, name: &str, sqls: u64, deal_value: DealValue) -> Result<Segment> {
        self.segment_with_shape(name, sqls, self.decay.best().shape, Some(deal_value))
    }

    /// As [`Calibration::segment`], with the decay fit of `shape` instead of
    /// the best, and `deal_value` instead of the fitted deal values when
    /// given.
    ///
    /// ```
    /// use lead_decay::DecayShape;
    /// use lead_decay::calibrate::{Calibration, Export, ExportFormat, ShapeKind};
    ///
    /// let export = Export::read_path("examples/data/export.csv", &ExportFormat::default())?;
    /// let calibration = Calibration::fit(&export)?;
    /// let linear = calibration.segment_with_shape("web", 2_000, ShapeKind::Linear, None)?;
    /// assert!(matches!(linear.decay().shape(), DecayShape::Linear { .. }));
    /// assert!(calibration.segment_with_shape("web", 2_000, ShapeKind::Table, None).is_ok());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A shape the data did not identify (field `shape`); as
    /// [`Calibration::segment`].
    pub fn segment_with_shape(
        &self,
        name: &str,
        sqls: u64,
        shape: ShapeKind,
        deal_value: Option<DealValue>,
    ) -> Result<Segment> {
        let decay = self.decay.get(shape).ok_or_else(|| {
            let fitted: Vec<&str> = self.decay.fits.iter().map(|f| f.shape.name()).collect();
            Error::invalid(
                "shape",
                shape.name(),
                format!("a shape the data identify: one of {}", fitted.join(", ")),
            )
        })?;
        let deal_value = match deal_value {
            Some(v) => v,
            None => self.fitted_deal_value()?,
        };
        let delay = self.delay_fit();
        let hours = match &self.clock {
            Some(clock) => clock.business_hours()?,
            None => None,
        };
        let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
        let segment = Segment::builder(name)
            .sqls(sqls)
            .close_rate(round(decay.close_rate.value))
            .deal_value(deal_value)
            .decay(rounded_curve(&decay.curve))
            .never_followed_up(round(delay.never_followed_up.value))
            .delay(rounded_delay(&delay.distribution))
            .build()?;
        Ok(segment.with_business_hours(hours))
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

/// The fits of an export split by its segment column
/// ([`Export::by_segment`]): every segment that could be fitted, and each
/// that could not with the reason, so one bad segment does not stop the
/// others.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SegmentFits {
    /// The fitted segments, in order of first appearance: name and fit.
    pub fitted: Vec<(String, Calibration)>,
    /// The segments that could not be fitted: name, rows used, reason.
    pub not_fitted: Vec<(String, u64, String)>,
}

impl SegmentFits {
    /// Fits each segment of `export` on its own.
    ///
    /// # Errors
    ///
    /// An export without segments (field `segment`), or no segment could
    /// be fitted (field `segments`, with each segment's reason).
    pub fn fit(export: &Export) -> Result<SegmentFits> {
        let split = export.by_segment();
        if split.is_empty() {
            return Err(Error::invalid(
                "segment",
                "no segment column, or it is empty",
                "a segment column (name it with --column segment=NAME)",
            ));
        }
        let mut fits = SegmentFits {
            fitted: Vec::new(),
            not_fitted: Vec::new(),
        };
        for (name, part) in split {
            match Calibration::fit(&part) {
                Ok(calibration) => fits.fitted.push((name, calibration)),
                Err(e) => fits.not_fitted.push((name, part.summary().used, e.to_string())),
            }
        }
        if fits.fitted.is_empty() {
            let reasons: Vec<String> = fits
                .not_fitted
                .iter()
                .map(|(name, rows, reason)| format!("{name} ({rows} rows): {reason}"))
                .collect();
            return Err(Error::invalid(
                "segments",
                format!("none could be fitted: {}", reasons.join("; ")),
                "at least one segment with usable rows",
            ));
        }
        Ok(fits)
    }
}

/// The curve with its durations and levels to [`SIGNIFICANT_DIGITS`]
/// (unchanged if rounding would make it invalid, as two table times that
/// round to one).
pub(super) fn rounded_curve(curve: &DecayCurve) -> DecayCurve {
    let r = |x: f64| significant(x, SIGNIFICANT_DIGITS);
    let shape = match curve.shape().clone() {
        DecayShape::Step { shelf_life } => DecayShape::Step {
            shelf_life: r(shelf_life),
        },
        DecayShape::Linear { shelf_life } => DecayShape::Linear {
            shelf_life: r(shelf_life),
        },
        DecayShape::Exponential { half_life } => DecayShape::Exponential {
            half_life: r(half_life),
        },
        DecayShape::Weibull { scale, k } => DecayShape::Weibull {
            scale: r(scale),
            k: r(k),
        },
        DecayShape::Table { points } => DecayShape::Table {
            points: points.iter().map(|&(t, f)| (r(t), r(f))).collect(),
        },
        other => other,
    };
    DecayCurve::new(shape).unwrap_or_else(|_| curve.clone())
}

/// The delay distribution with its parameters to [`SIGNIFICANT_DIGITS`].
pub(super) fn rounded_delay(delay: &DelayDistribution) -> DelayDistribution {
    let r = |x: f64| significant(x, SIGNIFICANT_DIGITS);
    let shape = match delay.shape().clone() {
        DelayShape::Exponential { mean } => DelayShape::Exponential { mean: r(mean) },
        DelayShape::LogNormal { median, sigma } => DelayShape::LogNormal {
            median: r(median),
            sigma: r(sigma),
        },
        DelayShape::Gamma { mean, shape } => DelayShape::Gamma {
            mean: r(mean),
            shape: r(shape),
        },
        other => other,
    };
    DelayDistribution::new(shape).unwrap_or_else(|_| delay.clone())
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
