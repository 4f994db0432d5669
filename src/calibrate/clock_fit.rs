//! Calibration on both clocks: is the follow-up delay counted in calendar
//! hours, or in the team's working hours?
//!
//! Given the team's [`Calendar`], every delay of the export is measured
//! twice: in calendar hours (what the buyer waits) and in working hours
//! (what the team's clock counts: a lead that arrives Friday at 16:00 and
//! is called Monday at 10:00 waited 66 hours, 2 of them working). The
//! follow-up model is fitted on each ([`FollowUpFit::fit_on_clock`]) and
//! the clocks are compared by likelihood.
//!
//! # Why the likelihoods compare
//!
//! Both are likelihoods of the same observations, the contact times. On
//! the working clock, a contact inside a shift at calendar delay `c` has
//! working delay `w(c)`, and within a shift one working hour is one
//! calendar hour (`dw/dc = 1`), so the density of the contact time is the
//! working-time density at `w`: no Jacobian. SQLs never contacted (the
//! share `q`) and SQLs still waiting at the export date (`P(D > age)`, an
//! event, not a density) enter both the same way. A delay on the working
//! clock cannot end outside working hours, so a contact made outside them
//! (more than [`HOURS_TOLERANCE`] from any shift) has zero likelihood on
//! that clock: then the calendar clock is chosen, whatever the fits, and
//! the report says how many contacts were made out of hours.
//!
//! Holidays and daylight-saving changes count: the export's span is read
//! on the calendar with those dates ([`Calendar::covering`]).
//!
//! # The arrival profile
//!
//! The SQLs' arrival times, by hour of the week in the calendar's time
//! zone, are the fitted arrival profile ([`ClockFit::arrivals_by_hour`]),
//! which the fitted segment carries when its delay runs on the working
//! clock (and the calendar has no dates).

use serde::Serialize;

use super::export::Export;
use super::follow_up_fit::FollowUpFit;
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::business_hours::{Arrivals, BusinessHours, DelayClock};

/// A contact within this many hours (one minute, an export's usual
/// resolution) of a shift counts as made in working hours.
pub const HOURS_TOLERANCE: f64 = 1.0 / 60.0;

/// The follow-up delay fitted on the team's working clock beside the
/// calendar clock, and the clock that fits better (see the guide's
/// [calibration chapter](crate::guide::calibration)).
///
/// # Example
///
/// Not run as a doctest: fitting every decay shape's expectations on the
/// working clock takes minutes on this export today (see
/// `tests/calibrate_clock.rs` for the same check, run).
///
/// ```no_run
/// use lead_decay::calibrate::{Calibration, Export, synthetic_export};
/// use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
/// use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Hours, Segment};
///
/// // The truth: answered 3 working hours after arrival, Monday to Friday 9 to 17.
/// let office = Calendar::office();
/// let truth = Segment::builder("web").sqls(1_000).close_rate(0.3).never_followed_up(0.1)
///     .deal_value(DealValue::fixed(1_000.0)?)
///     .decay(DecayCurve::exponential(Hours::new(48.0)?)?)
///     .delay(DelayDistribution::exponential(Hours::new(3.0)?)?)
///     .build()?
///     .with_business_hours(Some(BusinessHours::new(
///         office.clone(), Arrivals::Always, DelayClock::Working, DelayClock::Calendar)?));
/// let (records, as_of) = synthetic_export(&truth, 3_000, "2024-01-01T00:00:00Z".parse().unwrap(), 5)?;
/// let calibration = Calibration::fit_with_calendar(&Export::from_records(records, as_of), &office)?;
/// let clock = calibration.clock.as_ref().unwrap();
/// assert_eq!(clock.chosen, DelayClock::Working);
/// assert_eq!(clock.contacts_outside_hours, 0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ClockFit {
    /// The team's calendar, as given.
    pub calendar: Calendar,
    /// The follow-up model fitted on the working clock (delays and
    /// censoring ages in working hours).
    pub working: FollowUpFit,
    /// Contacts made outside working hours (by more than
    /// [`HOURS_TOLERANCE`]).
    pub contacts_outside_hours: u64,
    /// Contacts in all.
    pub contacts: u64,
    /// The best delay family's maximised log-likelihood on the calendar
    /// clock.
    pub calendar_log_likelihood: f64,
    /// The best delay family's maximised log-likelihood on the working
    /// clock. A likelihood of the same observations as the calendar
    /// clock's only when no contact is outside working hours (otherwise
    /// the working clock's likelihood is zero and this is the fit to the
    /// working hours elapsed).
    pub working_log_likelihood: f64,
    /// The clock the fitted scenario's delay runs on.
    pub chosen: DelayClock,
    /// Whether `chosen` was set by the caller ([`ClockFit::with_chosen`])
    /// rather than by likelihood.
    pub chosen_by_caller: bool,
    /// SQLs by hour of the week in the calendar's time zone, Monday 00:00
    /// first (168 counts): the arrival profile.
    pub arrivals_by_hour: Vec<u64>,
}

impl ClockFit {
    /// Fits the follow-up delay on the working clock of `calendar` and
    /// compares it with `on_calendar`, the fit on the calendar clock
    /// ([`FollowUpFit::fit`] of the same export).
    ///
    /// # Errors
    ///
    /// A calendar without working hours (`calendar.working_hours`); an
    /// export spanning more than
    /// [`MAX_DATE_RANGE_DAYS`](crate::calendar::MAX_DATE_RANGE_DAYS) (field
    /// `end`); what [`FollowUpFit::fit_on_clock`] rejects.
    pub fn fit(export: &Export, calendar: &Calendar, on_calendar: &FollowUpFit) -> Result<ClockFit> {
        if !(calendar.weekly_hours() > 0.0) {
            return Err(Error::invalid(
                "calendar.working_hours",
                "no working hours",
                "a team calendar with at least one shift a week",
            ));
        }
        let records = export.records();
        let first = records.iter().map(|r| r.became_sql).min().unwrap_or(export.as_of());
        let last = records
            .iter()
            .filter_map(|r| r.first_contact)
            .chain([export.as_of()])
            .max()
            .unwrap_or(export.as_of());
        let dated = calendar.covering(first, last)?;
        let working = FollowUpFit::fit_on_clock(export, |from, to| {
            dated.working_hours_between(dated.time_of(from), dated.time_of(to))
        })?;
        let in_hours = |t: f64| {
            [t, t - HOURS_TOLERANCE, t + HOURS_TOLERANCE]
                .into_iter()
                .any(|x| dated.is_open(x))
        };
        let contacts = records.iter().filter(|r| r.first_contact.is_some()).count() as u64;
        let contacts_outside_hours = records
            .iter()
            .filter_map(|r| r.first_contact)
            .filter(|&c| !in_hours(dated.time_of(c)))
            .count() as u64;
        let mut arrivals_by_hour = vec![0u64; 168];
        for r in records {
            arrivals_by_hour[calendar.hour_of_week(r.became_sql)] += 1;
        }
        let calendar_log_likelihood = on_calendar.best().log_likelihood;
        let working_log_likelihood = working.best().log_likelihood;
        let chosen = if contacts_outside_hours == 0 && working_log_likelihood > calendar_log_likelihood {
            DelayClock::Working
        } else {
            DelayClock::Calendar
        };
        Ok(ClockFit {
            calendar: calendar.clone(),
            working,
            contacts_outside_hours,
            contacts,
            calendar_log_likelihood,
            working_log_likelihood,
            chosen,
            chosen_by_caller: false,
            arrivals_by_hour,
        })
    }

    /// The same fit with the delay on `clock` whatever the likelihoods say
    /// (the report still gives them).
    #[must_use]
    pub fn with_chosen(mut self, clock: DelayClock) -> ClockFit {
        self.chosen = clock;
        self.chosen_by_caller = true;
        self
    }

    /// The fitted segment's business hours: `None` on the calendar clock;
    /// on the working clock the calendar, the delay on its working clock and
    /// SQLs arriving by the fitted hour-of-week profile
    /// ([`Arrivals::HourOfWeek`]; round the clock on a dated calendar).
    ///
    /// # Errors
    ///
    /// What [`BusinessHours::new`] rejects.
    pub fn business_hours(&self) -> Result<Option<BusinessHours>> {
        if self.chosen == DelayClock::Calendar {
            return Ok(None);
        }
        let arrivals = if self.calendar.dates().is_some() {
            Arrivals::Always
        } else {
            Arrivals::HourOfWeek(self.arrivals_by_hour.iter().map(|&n| n as f64).collect())
        };
        BusinessHours::new(
            self.calendar.clone(),
            arrivals,
            DelayClock::Working,
            DelayClock::Calendar,
        )
        .map(Some)
    }

    /// The comparison in plain words, for the text report.
    pub fn report(&self) -> String {
        let working = self.working.best();
        let mean = super::text::duration(working.distribution.mean().get());
        let mut lines = vec![format!(
            "Clock of the follow-up delay (team calendar: {:.0} working hours a week, {}):",
            self.calendar.weekly_hours(),
            self.calendar.time_zone()
        )];
        lines.push(format!(
            "  calendar clock: log-likelihood {:.1}; working clock: {:.1} ({} delay, mean {mean} of working time)",
            self.calendar_log_likelihood, self.working_log_likelihood, working.family
        ));
        if self.contacts_outside_hours > 0 {
            lines.push(format!(
                "  {} of {} first contacts ({:.1} %) were made outside working hours, which a delay on the working \
                 clock cannot produce.",
                self.contacts_outside_hours,
                self.contacts,
                100.0 * self.contacts_outside_hours as f64 / self.contacts.max(1) as f64
            ));
        }
        let clock = match self.chosen {
            DelayClock::Working => "working",
            _ => "calendar",
        };
        let why = if self.chosen_by_caller {
            "as asked"
        } else {
            "it fits better by likelihood"
        };
        lines.push(format!(
            "  The fitted scenario counts the delay on the {clock} clock ({why})."
        ));
        lines.join("\n")
    }
}
