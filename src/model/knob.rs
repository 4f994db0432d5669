//! Knobs: the inputs of a scenario, by name: what a what-if turns and what
//! an uncertain input draws.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_probability};
use crate::model::deal_value::DealValueShape;
use crate::model::decay::{DecayCurve, DecayShape};
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, DelayShape, Neglect};
use crate::model::scenario::Scenario;
use crate::model::segment::{MAX_SQLS, Segment};

/// An input of a scenario that a what-if varies or an uncertain input
/// draws, by its name in files and on the command line
/// (`"follow-up-mean"`, ...).
///
/// Each knob sets one number; [`Knob::apply`] changes it in every segment
/// (or in one) and keeps everything else, shape included. Knobs of a
/// parameter that only some shapes have (the Weibull `k`, a log-normal
/// delay's `sigma`) are errors on a segment of another shape.
///
/// | knob | the number | unit | in a segment of a scenario file |
/// |---|---|---|---|
/// | `follow-up-mean` | the mean delay to first follow-up, the delay stretched in time ([`DelayDistribution::with_mean`](crate::DelayDistribution::with_mean)) | hours | `follow_up.mean` (exponential, gamma), `follow_up.delay` (fixed) |
/// | `shelf-life` | the decay curve's time scale ([`DecayCurve::with_time_scale`](crate::DecayCurve::with_time_scale)): shelf life, half-life, Weibull scale, schedule period | hours | `decay.shelf_life`, `decay.half_life`, `decay.scale`, `decay.period` |
/// | `never-followed-up` | the probability that an SQL is never followed up (replaces a count) | probability | `never_followed_up` |
/// | `sla` | the follow-up deadline (only the SLA-met metric changes) | hours | `sla` |
/// | `reps` | the size of the `[sales]` team, through the capacity model (`Knob::apply_to_team` in [`crate::whatif`]) | reps | `[sales] reps` (a what-if only) |
/// | `close-rate` | the close rate (as given: of the SQLs that qualify) | probability | `close_rate` |
/// | `deal-value` | the mean deal value, its spread kept ([`DealValue::with_mean`](crate::DealValue::with_mean)) | money | `deal_value`, `deal_value.mean`, `deal_value.value` |
/// | `sqls` | the SQLs in the cohort | whole SQLs | `sqls` |
/// | `neglected` | the number of SQLs never followed up (replaces a probability) | whole SQLs | `neglected` |
/// | `deal-value-cv` | the deal value's coefficient of variation, its mean kept (lognormal, gamma) | number | `deal_value.cv` |
/// | `weibull-shape` | the Weibull decay's `k`, its scale kept | number | `decay.k` |
/// | `schedule-rate` | the share a schedule decay loses per period | probability | `decay.rate` |
/// | `follow-up-median` | a log-normal delay's median | hours | `follow_up.median` |
/// | `follow-up-sigma` | a log-normal delay's `sigma` | number | `follow_up.sigma` |
/// | `follow-up-shape` | a gamma delay's shape, its mean kept | number | `follow_up.shape` |
/// | `follow-up-min`, `follow-up-max` | a uniform delay's bounds | hours | `follow_up.min`, `follow_up.max` |
/// | `instant-response-share` | the share of SQLs that would qualify with an instant response: the level a decay fitted to response-time ratios leaves open (the close rate is of those that do) | probability in (0, 1] | `instant_response_share` |
/// | `shift-start` | when every working day's first shift starts ([`Week::with_shift_start`](crate::calendar::Week::with_shift_start)) | hours after midnight | `calendar.working_hours` (a what-if only) |
/// | `shift-end` | when every working day's last shift ends: an evening shift ([`Week::with_shift_end`](crate::calendar::Week::with_shift_end)) | hours after midnight | `calendar.working_hours` (a what-if only) |
/// | `working-days` | the first `n` days from Monday work, a new day with the shifts of the day before: 6 adds a Saturday ([`Week::with_working_days`](crate::calendar::Week::with_working_days)) | number (whole, 1 to 7) | `calendar.working_days` (a what-if only) |
/// | `auto-response` | how soon SQLs arriving off hours hear back ([`BusinessHours::with_auto_response`](crate::model::business_hours::BusinessHours::with_auto_response)) | hours | `auto_response` (a what-if only) |
///
/// The last four turn a segment's business hours (its calendar's time zone,
/// holidays and dates, its arrivals and clocks kept), and are errors on a
/// segment without them.
///
/// `sqls`, `neglected` and `reps` take whole numbers only
/// ([`Knob::is_whole`]).
///
/// # Example
///
/// ```
/// use lead_decay::whatif::Knob;
/// use lead_decay::{Expected, Scenario};
///
/// let knob: Knob = "never-followed-up".parse()?;
/// let nobody_dropped = knob.apply(&Scenario::reference(), 0.0, None)?;
/// assert_eq!(Expected::of(&nobody_dropped).customers, 10.0);
/// assert!(Knob::CloseRate.apply(&Scenario::reference(), 0.3, Some("nope")).is_err());
/// // The reference case's decay is linear: it has no Weibull shape.
/// let e = Knob::WeibullShape.apply(&Scenario::reference(), 0.7, None).unwrap_err();
/// assert!(e.to_string().starts_with("segments[0].decay.k:") && e.to_string().contains("linear"));
/// assert!(Knob::Sqls.apply(&Scenario::reference(), 40.5, None).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Knob {
    /// The mean delay to first follow-up (hours).
    FollowUpMean,
    /// The decay curve's time scale (hours).
    ShelfLife,
    /// The probability that an SQL is never followed up.
    NeverFollowedUp,
    /// The follow-up deadline (hours).
    Sla,
    /// Sales reps of the `[sales]` team.
    Reps,
    /// The close rate.
    CloseRate,
    /// The mean deal value.
    DealValue,
    /// The SQLs in the cohort (a whole number).
    Sqls,
    /// The number of SQLs never followed up (a whole number).
    Neglected,
    /// The deal value's coefficient of variation.
    DealValueCv,
    /// The Weibull decay's shape `k`.
    WeibullShape,
    /// The share a schedule decay loses per period.
    ScheduleRate,
    /// A log-normal follow-up delay's median (hours).
    FollowUpMedian,
    /// A log-normal follow-up delay's `sigma`.
    FollowUpSigma,
    /// A gamma follow-up delay's shape.
    FollowUpShape,
    /// A uniform follow-up delay's shortest delay (hours).
    FollowUpMin,
    /// A uniform follow-up delay's longest delay (hours).
    FollowUpMax,
    /// The share of SQLs that would qualify with an instant response
    /// ([`SegmentBuilder::instant_response_share`](crate::SegmentBuilder::instant_response_share)).
    InstantResponseShare,
    /// When every working day's first shift starts (hours after midnight).
    ShiftStart,
    /// When every working day's last shift ends (hours after midnight).
    ShiftEnd,
    /// The number of working days, counted from Monday (1 to 7).
    WorkingDays,
    /// How soon SQLs arriving off hours hear back (hours).
    AutoResponse,
}

/// What a knob's values measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KnobUnit {
    /// A duration in hours.
    Hours,
    /// A probability (or a share) in [0, 1].
    Probability,
    /// A whole number of sales reps.
    Reps,
    /// An amount in the scenario's currency.
    Money,
    /// A whole number of SQLs.
    Sqls,
    /// A plain number: a shape parameter or a coefficient of variation.
    Number,
}

impl KnobUnit {
    /// The unit's name as in reports: `hours`, `probability`, `reps`,
    /// `money`, `sqls`, `number`.
    pub const fn name(self) -> &'static str {
        match self {
            KnobUnit::Hours => "hours",
            KnobUnit::Probability => "probability",
            KnobUnit::Reps => "reps",
            KnobUnit::Money => "money",
            KnobUnit::Sqls => "sqls",
            KnobUnit::Number => "number",
        }
    }
}

impl Knob {
    /// Every knob, in documentation order.
    pub const ALL: [Knob; 22] = [
        Knob::FollowUpMean,
        Knob::ShelfLife,
        Knob::NeverFollowedUp,
        Knob::Sla,
        Knob::Reps,
        Knob::CloseRate,
        Knob::DealValue,
        Knob::Sqls,
        Knob::Neglected,
        Knob::DealValueCv,
        Knob::WeibullShape,
        Knob::ScheduleRate,
        Knob::FollowUpMedian,
        Knob::FollowUpSigma,
        Knob::FollowUpShape,
        Knob::FollowUpMin,
        Knob::FollowUpMax,
        Knob::InstantResponseShare,
        Knob::ShiftStart,
        Knob::ShiftEnd,
        Knob::WorkingDays,
        Knob::AutoResponse,
    ];

    /// The knob's name in files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Knob::FollowUpMean => "follow-up-mean",
            Knob::ShelfLife => "shelf-life",
            Knob::NeverFollowedUp => "never-followed-up",
            Knob::Sla => "sla",
            Knob::Reps => "reps",
            Knob::CloseRate => "close-rate",
            Knob::DealValue => "deal-value",
            Knob::Sqls => "sqls",
            Knob::Neglected => "neglected",
            Knob::DealValueCv => "deal-value-cv",
            Knob::WeibullShape => "weibull-shape",
            Knob::ScheduleRate => "schedule-rate",
            Knob::FollowUpMedian => "follow-up-median",
            Knob::FollowUpSigma => "follow-up-sigma",
            Knob::FollowUpShape => "follow-up-shape",
            Knob::FollowUpMin => "follow-up-min",
            Knob::FollowUpMax => "follow-up-max",
            Knob::InstantResponseShare => "instant-response-share",
            Knob::ShiftStart => "shift-start",
            Knob::ShiftEnd => "shift-end",
            Knob::WorkingDays => "working-days",
            Knob::AutoResponse => "auto-response",
        }
    }

    /// The knob in words, for tables and charts (`"mean follow-up delay"`).
    pub const fn label(self) -> &'static str {
        match self {
            Knob::FollowUpMean => "mean follow-up delay",
            Knob::ShelfLife => "shelf life",
            Knob::NeverFollowedUp => "never followed up",
            Knob::Sla => "SLA",
            Knob::Reps => "sales reps",
            Knob::CloseRate => "close rate",
            Knob::DealValue => "mean deal value",
            Knob::Sqls => "SQLs",
            Knob::Neglected => "SQLs never followed up",
            Knob::DealValueCv => "deal value cv",
            Knob::WeibullShape => "Weibull shape",
            Knob::ScheduleRate => "share lost per period",
            Knob::FollowUpMedian => "median follow-up delay",
            Knob::FollowUpSigma => "follow-up delay sigma",
            Knob::FollowUpShape => "follow-up delay shape",
            Knob::FollowUpMin => "shortest follow-up delay",
            Knob::FollowUpMax => "longest follow-up delay",
            Knob::InstantResponseShare => "qualifying at an instant response",
            Knob::ShiftStart => "shift start",
            Knob::ShiftEnd => "shift end",
            Knob::WorkingDays => "working days a week",
            Knob::AutoResponse => "off-hours auto-response",
        }
    }

    /// What the knob's values measure.
    pub const fn unit(self) -> KnobUnit {
        match self {
            Knob::FollowUpMean
            | Knob::ShelfLife
            | Knob::Sla
            | Knob::FollowUpMedian
            | Knob::FollowUpMin
            | Knob::FollowUpMax
            | Knob::ShiftStart
            | Knob::ShiftEnd
            | Knob::AutoResponse => KnobUnit::Hours,
            Knob::NeverFollowedUp | Knob::CloseRate | Knob::ScheduleRate | Knob::InstantResponseShare => {
                KnobUnit::Probability
            }
            Knob::Reps => KnobUnit::Reps,
            Knob::DealValue => KnobUnit::Money,
            Knob::Sqls | Knob::Neglected => KnobUnit::Sqls,
            Knob::DealValueCv | Knob::WeibullShape | Knob::FollowUpSigma | Knob::FollowUpShape | Knob::WorkingDays => {
                KnobUnit::Number
            }
        }
    }

    /// Whether the knob turns the `[sales]` team rather than the segments:
    /// use [`Knob::apply_to_team`] and the capacity model for it.
    pub const fn is_team(self) -> bool {
        matches!(self, Knob::Reps)
    }

    /// Whether the knob takes whole numbers only (`sqls`, `neglected`,
    /// `reps`): an uncertain input of such a knob takes a discrete
    /// distribution (`poisson`, `binomial`, `uniform-int`).
    pub const fn is_whole(self) -> bool {
        matches!(self.unit(), KnobUnit::Sqls | KnobUnit::Reps)
    }

    /// `value` as people write it: a duration with its unit (`2d`), a
    /// number otherwise.
    pub fn label_of(self, value: f64) -> String {
        match self.unit() {
            KnobUnit::Hours => match Hours::new(value) {
                Ok(hours) => hours.to_string(),
                Err(_) => format!("{value}"),
            },
            KnobUnit::Probability | KnobUnit::Reps | KnobUnit::Money | KnobUnit::Sqls | KnobUnit::Number => {
                format!("{value}")
            }
        }
    }

    /// The knob's value in `segment`, or `None` when the segment has no such
    /// number (a Weibull `k` on a linear decay, a neglect count where a
    /// probability is given, the team knob). A segment that neglects
    /// nobody has 0 for both `neglected` and `never-followed-up`.
    ///
    /// ```
    /// use lead_decay::whatif::Knob;
    /// use lead_decay::Scenario;
    ///
    /// let reference = Scenario::reference();
    /// let industrial = &reference.segments()[0];
    /// assert_eq!(Knob::ShelfLife.value_in(industrial), Some(720.0));
    /// assert_eq!(Knob::Neglected.value_in(industrial), Some(5.0));
    /// assert_eq!(Knob::NeverFollowedUp.value_in(industrial), None);
    /// assert_eq!(Knob::WeibullShape.value_in(industrial), None);
    /// ```
    pub fn value_in(self, segment: &Segment) -> Option<f64> {
        let delay = segment.follow_up().delay().shape();
        match self {
            Knob::FollowUpMean => Some(segment.follow_up().delay().mean().get()),
            Knob::ShelfLife => Some(segment.decay().time_scale().get()),
            Knob::NeverFollowedUp => match segment.follow_up().neglect() {
                Neglect::None => Some(0.0),
                Neglect::Probability(q) => Some(q),
                Neglect::Count(_) => None,
            },
            Knob::Neglected => match segment.follow_up().neglect() {
                Neglect::None => Some(0.0),
                Neglect::Count(k) => Some(k as f64),
                Neglect::Probability(_) => None,
            },
            Knob::Sla => segment.follow_up().sla().map(Hours::get),
            Knob::Reps => None,
            Knob::CloseRate => Some(segment.qualified_close_rate()),
            Knob::DealValue => Some(segment.deal_value().mean()),
            Knob::DealValueCv => match segment.deal_value().shape() {
                DealValueShape::LogNormal { cv, .. } | DealValueShape::Gamma { cv, .. } => Some(cv),
                DealValueShape::Fixed { .. } => None,
            },
            Knob::Sqls => Some(segment.sqls() as f64),
            Knob::WeibullShape => match *segment.decay().shape() {
                DecayShape::Weibull { k, .. } => Some(k),
                _ => None,
            },
            Knob::ScheduleRate => match *segment.decay().shape() {
                DecayShape::Schedule { rate, .. } => Some(rate),
                _ => None,
            },
            Knob::FollowUpMedian => match *delay {
                DelayShape::LogNormal { median, .. } => Some(median),
                _ => None,
            },
            Knob::FollowUpSigma => match *delay {
                DelayShape::LogNormal { sigma, .. } => Some(sigma),
                _ => None,
            },
            Knob::FollowUpShape => match *delay {
                DelayShape::Gamma { shape, .. } => Some(shape),
                _ => None,
            },
            Knob::FollowUpMin => match *delay {
                DelayShape::Uniform { min, .. } => Some(min),
                _ => None,
            },
            Knob::FollowUpMax => match *delay {
                DelayShape::Uniform { max, .. } => Some(max),
                _ => None,
            },
            Knob::InstantResponseShare => Some(segment.instant_response_share()),
            Knob::ShiftStart | Knob::ShiftEnd | Knob::WorkingDays | Knob::AutoResponse => {
                let hours = segment.business_hours()?;
                let week = hours.calendar().week();
                let first = (0..7).find(|&d| week.is_working_day(d))?;
                match self {
                    Knob::ShiftStart => week.day(first).first().map(|s| s.0),
                    Knob::ShiftEnd => week.day(first).last().map(|s| s.1),
                    Knob::WorkingDays => Some((0..7).filter(|&d| week.is_working_day(d)).count() as f64),
                    _ => hours.auto_response().map(Hours::get),
                }
            }
        }
    }

    /// `scenario` with this knob set to `value` in every segment, or only
    /// in the segment called `segment`.
    ///
    /// # Errors
    ///
    /// An unknown segment (field `segment`, listing the scenario's), the
    /// team knob `reps` (see [`Knob::apply_to_team`]), a fractional value
    /// for a whole-number knob, a knob the segment's shape does not have
    /// (`weibull-shape` on a linear decay: the error names the field and
    /// the shape), or a value the segment rejects: the error names the
    /// field (`segments[0].decay.shelf_life`), the knob and the segment.
    pub fn apply(self, scenario: &Scenario, value: f64, segment: Option<&str>) -> Result<Scenario> {
        if let Some(name) = segment {
            check_segment(scenario, name)?;
        }
        if self.is_team() {
            return Err(team_knob(self));
        }
        scenario.map_segments(|s| {
            if segment.is_some_and(|name| name != s.name()) {
                return Ok(s.clone());
            }
            set_inputs(s, None, None, &[(self, value)])
        })
    }

    /// The knob's key in a segment of a scenario file, for errors
    /// (`decay.k`).
    fn key(self) -> &'static str {
        match self {
            Knob::FollowUpMean => "follow_up.mean",
            Knob::ShelfLife => "decay",
            Knob::NeverFollowedUp => "never_followed_up",
            Knob::Sla => "sla",
            Knob::Reps => "reps",
            Knob::CloseRate => "close_rate",
            Knob::DealValue => "deal_value",
            Knob::Sqls => "sqls",
            Knob::Neglected => "neglected",
            Knob::DealValueCv => "deal_value.cv",
            Knob::WeibullShape => "decay.k",
            Knob::ScheduleRate => "decay.rate",
            Knob::FollowUpMedian => "follow_up.median",
            Knob::FollowUpSigma => "follow_up.sigma",
            Knob::FollowUpShape => "follow_up.shape",
            Knob::FollowUpMin => "follow_up.min",
            Knob::FollowUpMax => "follow_up.max",
            Knob::InstantResponseShare => "instant_response_share",
            Knob::ShiftStart | Knob::ShiftEnd => "calendar.working_hours",
            Knob::WorkingDays => "calendar.working_days",
            Knob::AutoResponse => "auto_response",
        }
    }

    /// The error for a knob of a parameter the segment's shape lacks.
    fn missing_in(self, value: f64, wanted: &str, found: &str) -> Error {
        Error::invalid(
            self.key(),
            self.label_of(value),
            format!(
                "a segment whose {wanted}: {} sets it, and this one's is {found}",
                self.name()
            ),
        )
    }

    /// `value` as a whole number of SQLs.
    fn whole(self, value: f64) -> Result<u64> {
        if value >= 0.0 && value.fract() == 0.0 && value <= MAX_SQLS as f64 {
            Ok(value as u64)
        } else {
            Err(Error::invalid(
                self.key(),
                value,
                format!("a whole number of SQLs from 0 to {MAX_SQLS}"),
            ))
        }
    }

    /// Adds the knob, its value and the segment to what an error expected.
    fn name_in(self, error: Error, value: f64, segment: &str) -> Error {
        match error {
            Error::InvalidValue {
                field,
                value: got,
                expected,
            } => Error::InvalidValue {
                field,
                value: got,
                expected: format!(
                    "{expected} (setting {} to {} in segment {segment:?})",
                    self.name(),
                    self.label_of(value)
                ),
            },
            other => other,
        }
    }
}

/// The name of a decay's shape, for errors.
fn decay_family(shape: &DecayShape) -> &'static str {
    match shape {
        DecayShape::Step { .. } => "step",
        DecayShape::Linear { .. } => "linear",
        DecayShape::Exponential { .. } => "exponential",
        DecayShape::Weibull { .. } => "weibull",
        DecayShape::Table { .. } => "a table",
        DecayShape::Schedule { .. } => "schedule",
    }
}

/// The name of a delay's family, for errors.
fn delay_family(shape: &DelayShape) -> &'static str {
    match shape {
        DelayShape::Fixed { .. } => "fixed",
        DelayShape::Exponential { .. } => "exponential",
        DelayShape::LogNormal { .. } => "lognormal",
        DelayShape::Gamma { .. } => "gamma",
        DelayShape::Uniform { .. } => "uniform",
        DelayShape::Empirical { .. } => "empirical",
    }
}

/// `segment` with its decay curve and delay replaced (when given) and then
/// every `(knob, value)` set, validated once at the end: what
/// [`Knob::apply`] does for one knob and what an uncertain trial does for
/// all its inputs. Team knobs are errors.
///
/// Knobs of one part commute (`shelf-life` and `weibull-shape`;
/// `follow-up-shape` and `follow-up-mean` of a gamma delay; `deal-value` and
/// `deal-value-cv`), and the parameters of a delay are set together before
/// its mean, so a uniform delay's `min` and `max` may both move past each
/// other's old value, and `sqls` and `neglected` may both change.
pub(crate) fn set_inputs(
    s: &Segment,
    decay: Option<&DecayCurve>,
    delay: Option<&DelayDistribution>,
    values: &[(Knob, f64)],
) -> Result<Segment> {
    let name = s.name();
    let mut curve = Cow::Borrowed(decay.unwrap_or(s.decay()));
    let mut follow_up = Cow::Borrowed(s.follow_up());
    if let Some(delay) = delay {
        follow_up = Cow::Owned(follow_up.into_owned().with_delay(delay.clone()));
    }
    let mut deal_value = Cow::Borrowed(s.deal_value());
    let mut sqls = s.sqls();
    let mut close_rate = s.qualified_close_rate();
    let mut instant_share = None;
    // The delay's own parameters, set together, then its mean.
    let mut delay_shape: Option<DelayShape> = None;
    let mut delay_mean = None;
    // Who set the cohort size and the neglect, for the final check.
    let mut cohort: Option<(Knob, f64)> = None;
    // Knobs of the business hours, applied to the built segment.
    let mut clock_knobs: Vec<(Knob, f64)> = Vec::new();
    for &(knob, value) in values {
        let named = |e: Error| knob.name_in(e, value, name);
        let hours = |field: &str| Hours::new(value).map_err(|e| e.within(field)).map_err(named);
        match knob {
            Knob::ShelfLife => {
                let scale = hours("decay")?;
                curve = Cow::Owned(
                    curve
                        .into_owned()
                        .with_time_scale(scale)
                        .map_err(|e| named(e.within("decay")))?,
                );
            }
            Knob::WeibullShape => match *curve.shape() {
                DecayShape::Weibull { scale, .. } => {
                    let next = DecayCurve::weibull(Hours::trusted(scale), value);
                    curve = Cow::Owned(next.map_err(|e| named(e.within("decay")))?);
                }
                ref other => {
                    return Err(named(knob.missing_in(value, "decay is weibull", decay_family(other))));
                }
            },
            Knob::ScheduleRate => match *curve.shape() {
                DecayShape::Schedule { period, .. } => {
                    let next = DecayCurve::schedule(value, Hours::trusted(period));
                    curve = Cow::Owned(next.map_err(|e| named(e.within("decay")))?);
                }
                ref other => {
                    return Err(named(knob.missing_in(
                        value,
                        "decay is a schedule",
                        decay_family(other),
                    )));
                }
            },
            Knob::FollowUpMedian
            | Knob::FollowUpSigma
            | Knob::FollowUpShape
            | Knob::FollowUpMin
            | Knob::FollowUpMax => {
                let shape = delay_shape.get_or_insert_with(|| follow_up.delay().shape().clone());
                let (wanted, slot) = match (knob, shape) {
                    (Knob::FollowUpMedian, DelayShape::LogNormal { median, .. }) => ("lognormal", Some(median)),
                    (Knob::FollowUpSigma, DelayShape::LogNormal { sigma, .. }) => ("lognormal", Some(sigma)),
                    (Knob::FollowUpShape, DelayShape::Gamma { shape, .. }) => ("gamma", Some(shape)),
                    (Knob::FollowUpMin, DelayShape::Uniform { min, .. }) => ("uniform", Some(min)),
                    (Knob::FollowUpMax, DelayShape::Uniform { max, .. }) => ("uniform", Some(max)),
                    (Knob::FollowUpMedian | Knob::FollowUpSigma, _) => ("lognormal", None),
                    (Knob::FollowUpShape, _) => ("gamma", None),
                    _ => ("uniform", None),
                };
                let Some(slot) = slot else {
                    let found = delay_family(follow_up.delay().shape());
                    return Err(named(knob.missing_in(
                        value,
                        &format!("follow-up delay is {wanted}"),
                        found,
                    )));
                };
                *slot = if knob.unit() == KnobUnit::Hours {
                    hours(knob.key())?.get()
                } else {
                    value
                };
            }
            Knob::FollowUpMean => delay_mean = Some((hours("follow_up.mean")?, value)),
            Knob::NeverFollowedUp => {
                let next = follow_up
                    .into_owned()
                    .with_neglect(Neglect::Probability(value))
                    .map_err(named)?;
                follow_up = Cow::Owned(next);
                cohort = Some((knob, value));
            }
            Knob::Neglected => {
                let count = knob.whole(value).map_err(named)?;
                let next = follow_up
                    .into_owned()
                    .with_neglect(Neglect::Count(count))
                    .map_err(named)?;
                follow_up = Cow::Owned(next);
                cohort = cohort.or(Some((knob, value)));
            }
            Knob::Sqls => {
                sqls = knob.whole(value).map_err(named)?;
                cohort = Some((knob, value));
            }
            Knob::Sla => {
                let sla = hours("sla")?;
                follow_up = Cow::Owned(follow_up.into_owned().with_sla(sla));
            }
            Knob::CloseRate => close_rate = check_probability("close_rate", value).map_err(named)?,
            Knob::InstantResponseShare => instant_share = Some(value),
            Knob::DealValue => {
                let next = deal_value
                    .into_owned()
                    .with_mean(value)
                    .map_err(|e| named(e.within("deal_value")))?;
                deal_value = Cow::Owned(next);
            }
            Knob::DealValueCv => {
                let next = deal_value.with_cv(value).map_err(|e| named(e.within("deal_value")))?;
                deal_value = Cow::Owned(next);
            }
            Knob::ShiftStart | Knob::ShiftEnd | Knob::WorkingDays | Knob::AutoResponse => {
                clock_knobs.push((knob, value));
            }
            Knob::Reps => return Err(team_knob(knob)),
        }
    }
    if let Some(shape) = delay_shape {
        let delay = DelayDistribution::new(shape).map_err(|e| {
            // Name the knob of the parameter refused (the last one set if
            // the error names none of them).
            let e = e.within("follow_up");
            let knob = values
                .iter()
                .rev()
                .filter(|(k, _)| k.key().starts_with("follow_up.") && *k != Knob::FollowUpMean)
                .find(|(k, _)| e.field() == Some(k.key()))
                .or_else(|| values.iter().rev().find(|(k, _)| k.key().starts_with("follow_up.")));
            match knob {
                Some(&(knob, value)) => knob.name_in(e, value, name),
                None => e,
            }
        })?;
        follow_up = Cow::Owned(follow_up.into_owned().with_delay(delay));
    }
    if let Some((mean, value)) = delay_mean {
        let delay = follow_up
            .delay()
            .clone()
            .with_mean(mean)
            .map_err(|e| Knob::FollowUpMean.name_in(e.within("follow_up"), value, name))?;
        follow_up = Cow::Owned(follow_up.into_owned().with_delay(delay));
    }
    let built = s
        .with_inputs(
            sqls,
            close_rate,
            deal_value.into_owned(),
            curve.into_owned(),
            follow_up.into_owned(),
        )
        .map_err(|e| match cohort {
            Some((knob, value)) => knob.name_in(e, value, name),
            None => e,
        })?;
    let built = match instant_share {
        Some(share) => built
            .with_instant_response_share(share)
            .map_err(|e| Knob::InstantResponseShare.name_in(e, share, name))?,
        None => built,
    };
    clock_knobs.into_iter().try_fold(built, |segment, (knob, value)| {
        set_clock_knob(segment, knob, value).map_err(|e| knob.name_in(e, value, name))
    })
}

/// `segment` with one knob of its business hours set: the week's shift
/// start or end or its working days (the calendar's zone, holidays and
/// dates, the arrivals and clocks kept), or the off-hours auto-response.
fn set_clock_knob(segment: Segment, knob: Knob, value: f64) -> Result<Segment> {
    let Some(hours) = segment.business_hours() else {
        return Err(knob.missing_in(
            value,
            "follow-up runs on business hours (a `calendar` with a working clock, arrivals or an auto-response)",
            "round the clock, without business hours",
        ));
    };
    let within = |field: &str| Hours::new(value).map_err(|e| e.within(field));
    let week = hours.calendar().week().clone();
    let week = match knob {
        Knob::ShiftStart => week.with_shift_start(within("calendar.working_hours")?),
        Knob::ShiftEnd => week.with_shift_end(within("calendar.working_hours")?),
        Knob::WorkingDays => week.with_working_days(value),
        _ => {
            let moved = hours.clone().with_auto_response(within("auto_response")?);
            return Ok(segment.with_business_hours(Some(moved)));
        }
    }
    .map_err(|e| e.within("calendar"))?;
    let moved = hours.with_week(week)?;
    Ok(segment.with_business_hours(Some(moved)))
}

/// The error for a team knob given to [`Knob::apply`].
fn team_knob(knob: Knob) -> Error {
    Error::invalid(
        "knob",
        knob.name(),
        "a knob of the segments: `reps` varies the [sales] team (Knob::apply_to_team)",
    )
}

/// Checks that `scenario` has a segment called `name`.
pub(crate) fn check_segment(scenario: &Scenario, name: &str) -> Result<()> {
    if scenario.segments().iter().any(|s| s.name() == name) {
        return Ok(());
    }
    Err(Error::invalid(
        "segment",
        format!("{name:?}"),
        format!(
            "a segment of the scenario ({})",
            scenario
                .segments()
                .iter()
                .map(|s| format!("{:?}", s.name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

impl fmt::Display for Knob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Knob {
    type Err = Error;

    /// The knob called `name` (`"shelf-life"`); the error lists the knobs.
    fn from_str(name: &str) -> Result<Knob> {
        Knob::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            Error::invalid(
                "knob",
                format!("{name:?}"),
                format!("a knob ({})", Knob::ALL.map(|k| format!("{:?}", k.name())).join(", ")),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Expected;

    fn reference() -> Scenario {
        Scenario::reference()
    }

    #[test]
    fn every_knob_has_a_name_that_parses_back() {
        for knob in Knob::ALL {
            assert_eq!(knob.name().parse::<Knob>().unwrap(), knob);
            let json = serde_json::to_string(&knob).unwrap();
            assert_eq!(json, format!("{:?}", knob.name()));
        }
        let e = "speed".parse::<Knob>().unwrap_err().to_string();
        assert!(e.contains("\"follow-up-mean\"") && e.contains("\"speed\""), "{e}");
    }

    #[test]
    fn each_segment_knob_moves_the_expectation_it_should() {
        let base = Expected::of(&reference());
        let at = |knob: Knob, value: f64| Expected::of(&knob.apply(&reference(), value, None).unwrap());
        assert_eq!(at(Knob::CloseRate, 0.5).customers, 2.0 * base.customers);
        assert_eq!(at(Knob::DealValue, 50_000.0).revenue, 0.5 * base.revenue);
        assert_eq!(at(Knob::NeverFollowedUp, 0.0).customers, 10.0);
        // The reference case works its SQLs at once: a slower follow-up costs more.
        assert!(at(Knob::FollowUpMean, 240.0).customers < base.customers);
        assert!(at(Knob::Sla, 24.0).sla_met.is_some());
        let short = at(Knob::FollowUpMean, 240.0).customers;
        let shelf = Knob::ShelfLife.apply(
            &Knob::FollowUpMean.apply(&reference(), 240.0, None).unwrap(),
            1440.0,
            None,
        );
        assert!(Expected::of(&shelf.unwrap()).customers > short);
    }

    #[test]
    fn a_bad_value_names_the_field_the_knob_and_the_segment() {
        let e = Knob::ShelfLife.apply(&reference(), 0.0, None).unwrap_err().to_string();
        assert!(e.starts_with("segments[0].decay.shelf_life:"), "{e}");
        assert!(e.contains("shelf-life") && e.contains("\"industrial\""), "{e}");
        let e = Knob::CloseRate.apply(&reference(), 1.5, None).unwrap_err().to_string();
        assert!(
            e.starts_with("segments[0].close_rate:") && e.contains("close-rate"),
            "{e}"
        );
        for knob in [Knob::FollowUpMean, Knob::Sla, Knob::NeverFollowedUp, Knob::DealValue] {
            let e = knob.apply(&reference(), f64::NAN, None).unwrap_err().to_string();
            assert!(e.starts_with("segments[0]") && e.contains(knob.name()), "{knob}: {e}");
        }
        let e = Knob::Sla
            .apply(&reference(), 1.0, Some("nope"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("segment: ") && e.contains("\"nope\""), "{e}");
        assert!(Knob::Reps.apply(&reference(), 3.0, None).is_err());
    }

    /// One segment of every shape a knob needs: Weibull decay, log-normal
    /// delay, log-normal deal value (and a schedule, gamma and uniform
    /// variant through `with`).
    fn shaped() -> Scenario {
        use crate::model::deal_value::DealValue;
        use crate::model::follow_up::DelayDistribution;
        let h = |x: f64| Hours::new(x).unwrap();
        let segment = Segment::builder("web")
            .sqls(200)
            .close_rate(0.2)
            .deal_value(DealValue::lognormal(10_000.0, 0.5).unwrap())
            .decay(DecayCurve::weibull(h(72.0), 0.8).unwrap())
            .never_followed_up(0.1)
            .delay(DelayDistribution::lognormal(h(6.0), 1.2).unwrap())
            .sla(h(24.0))
            .build()
            .unwrap();
        Scenario::builder("shaped").segment(segment).build().unwrap()
    }

    fn with(scenario: &Scenario, map: impl Fn(&Segment) -> Segment) -> Scenario {
        scenario.map_segments(|s| Ok(map(s))).unwrap()
    }

    #[test]
    fn every_knob_sets_the_number_it_reads() {
        use crate::model::follow_up::DelayDistribution;
        let h = |x: f64| Hours::new(x).unwrap();
        let lognormal = shaped();
        let schedule = with(&lognormal, |s| {
            s.clone().with_decay(DecayCurve::schedule(0.5, h(720.0)).unwrap())
        });
        let gamma = with(&lognormal, |s| {
            s.clone()
                .with_follow_up(
                    s.follow_up()
                        .clone()
                        .with_delay(DelayDistribution::gamma(h(10.0), 2.0).unwrap()),
                )
                .unwrap()
        });
        let uniform = with(&lognormal, |s| {
            s.clone()
                .with_follow_up(
                    s.follow_up()
                        .clone()
                        .with_delay(DelayDistribution::uniform(h(1.0), h(5.0)).unwrap()),
                )
                .unwrap()
        });
        let counted = reference();
        let cases = [
            (Knob::FollowUpMean, &lognormal, 30.0),
            (Knob::ShelfLife, &lognormal, 100.0),
            (Knob::NeverFollowedUp, &lognormal, 0.3),
            (Knob::Sla, &lognormal, 4.0),
            (Knob::CloseRate, &lognormal, 0.35),
            (Knob::DealValue, &lognormal, 20_000.0),
            (Knob::Sqls, &counted, 80.0),
            (Knob::Neglected, &counted, 12.0),
            (Knob::DealValueCv, &lognormal, 1.5),
            (Knob::WeibullShape, &lognormal, 1.7),
            (Knob::ScheduleRate, &schedule, 0.2),
            (Knob::FollowUpMedian, &lognormal, 2.0),
            (Knob::FollowUpSigma, &lognormal, 0.4),
            (Knob::FollowUpShape, &gamma, 5.0),
            (Knob::FollowUpMin, &uniform, 2.0),
            (Knob::FollowUpMax, &uniform, 9.0),
        ];
        for (knob, scenario, value) in cases {
            let before = knob.value_in(&scenario.segments()[0]).unwrap();
            assert!(before != value, "{knob}");
            let moved = knob.apply(scenario, value, None).unwrap();
            let after = knob.value_in(&moved.segments()[0]).unwrap();
            assert!((after - value).abs() <= 1e-12 * value, "{knob}: {after} not {value}");
            // Setting the value a segment has changes nothing.
            let same = knob.apply(scenario, before, None).unwrap();
            assert!(
                (knob.value_in(&same.segments()[0]).unwrap() - before).abs() <= 1e-12 * before,
                "{knob}"
            );
        }
        assert_eq!(Knob::Reps.value_in(&reference().segments()[0]), None);
        // The close rate is the one given, of the SQLs that qualify.
        assert_eq!(
            Expected::of(&Knob::Sqls.apply(&reference(), 80.0, None).unwrap()).customers,
            0.25 * 75.0
        );
    }

    #[test]
    fn a_knob_the_segment_shape_lacks_names_the_field_and_the_shape() {
        let cases = [
            (Knob::WeibullShape, "segments[0].decay.k:", "linear"),
            (Knob::ScheduleRate, "segments[0].decay.rate:", "linear"),
            (Knob::FollowUpMedian, "segments[0].follow_up.median:", "fixed"),
            (Knob::FollowUpSigma, "segments[0].follow_up.sigma:", "fixed"),
            (Knob::FollowUpShape, "segments[0].follow_up.shape:", "fixed"),
            (Knob::FollowUpMin, "segments[0].follow_up.min:", "fixed"),
            (Knob::FollowUpMax, "segments[0].follow_up.max:", "fixed"),
            (Knob::DealValueCv, "segments[0].deal_value.cv:", "fixed deal value"),
        ];
        for (knob, field, shape) in cases {
            let e = knob.apply(&reference(), 1.0, None).unwrap_err().to_string();
            assert!(
                e.starts_with(field) && e.contains(shape) && e.contains(knob.name()),
                "{knob}: {e}"
            );
            assert!(e.contains("\"industrial\""), "{e}");
        }
        let e = Knob::FollowUpShape.apply(&shaped(), 2.0, None).unwrap_err().to_string();
        assert!(e.contains("gamma") && e.contains("lognormal"), "{e}");
    }

    #[test]
    fn whole_number_knobs_refuse_fractions_and_counts_beyond_the_cohort() {
        for knob in [Knob::Sqls, Knob::Neglected] {
            assert!(knob.is_whole());
            for bad in [2.5, -1.0, f64::NAN, f64::INFINITY] {
                let e = knob.apply(&reference(), bad, None).unwrap_err().to_string();
                assert!(
                    e.starts_with(&format!("segments[0].{}:", knob.key())) && e.contains("whole"),
                    "{e}"
                );
            }
        }
        assert!(!Knob::CloseRate.is_whole() && Knob::Reps.is_whole());
        let e = Knob::Sqls.apply(&reference(), 3.0, None).unwrap_err().to_string();
        assert!(
            e.starts_with("segments[0].neglected:") && e.contains("setting sqls to 3"),
            "{e}"
        );
        let e = Knob::Sqls.apply(&reference(), 0.0, None).unwrap_err().to_string();
        assert!(e.starts_with("segments[0].sqls:"), "{e}");
    }

    #[test]
    fn inputs_set_together_may_pass_each_others_old_values() {
        use crate::model::follow_up::DelayDistribution;
        let h = |x: f64| Hours::new(x).unwrap();
        let scenario = reference();
        let s = &scenario.segments()[0];
        // 3 SQLs with 2 neglected: neither alone fits the other's old value.
        let small = set_inputs(s, None, None, &[(Knob::Sqls, 3.0), (Knob::Neglected, 2.0)]).unwrap();
        assert_eq!((small.sqls(), small.follow_up().neglect()), (3, Neglect::Count(2)));
        let small = set_inputs(s, None, None, &[(Knob::Neglected, 2.0), (Knob::Sqls, 3.0)]).unwrap();
        assert_eq!(small.sqls(), 3);
        let uniform = s
            .clone()
            .with_follow_up(
                s.follow_up()
                    .clone()
                    .with_delay(DelayDistribution::uniform(h(1.0), h(2.0)).unwrap()),
            )
            .unwrap();
        let later = set_inputs(
            &uniform,
            None,
            None,
            &[(Knob::FollowUpMin, 5.0), (Knob::FollowUpMax, 9.0)],
        )
        .unwrap();
        assert_eq!(
            later.follow_up().delay(),
            &DelayDistribution::uniform(h(5.0), h(9.0)).unwrap()
        );
        let e = set_inputs(
            &uniform,
            None,
            None,
            &[(Knob::FollowUpMin, 5.0), (Knob::FollowUpMax, 4.0)],
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("follow_up.max:") && e.contains("follow-up-max"), "{e}");
        // A replaced curve and delay, then the knobs on them.
        let weibull = DecayCurve::weibull(h(100.0), 0.5).unwrap();
        let lognormal = DelayDistribution::lognormal(h(3.0), 1.0).unwrap();
        let moved = set_inputs(
            s,
            Some(&weibull),
            Some(&lognormal),
            &[(Knob::WeibullShape, 2.0), (Knob::FollowUpSigma, 0.5)],
        )
        .unwrap();
        assert_eq!(moved.decay(), &DecayCurve::weibull(h(100.0), 2.0).unwrap());
        assert_eq!(
            moved.follow_up().delay(),
            &DelayDistribution::lognormal(h(3.0), 0.5).unwrap()
        );
        assert_eq!(moved.follow_up().neglect(), Neglect::Count(5));
    }
}
