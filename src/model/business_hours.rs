//! Business hours in the core model: when a segment's SQLs arrive over the
//! week, and on which clock its follow-up delay and SLA are counted.
//!
//! Without [`BusinessHours`] a segment is what it always was: the delay `D`
//! is calendar hours and the arrival time does not matter. With them, an SQL
//! arrives at a time `a` drawn from the [`Arrivals`] profile, and a delay
//! `W` declared on the [working clock](DelayClock::Working) is working hours
//! after `a` (an SQL that arrives outside hours starts waiting at the next
//! opening), so the buyer, whose interest decays in calendar time, waits
//!
//! ```text
//! C(a, W) = to_calendar(to_working(a) + W) − a      calendar hours
//! ```
//!
//! ```
//! use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
//! use lead_decay::Calendar;
//!
//! let team = BusinessHours::new(Calendar::office(), Arrivals::Always, DelayClock::Working, DelayClock::Working)?;
//! // An SQL arriving Friday 16:00 answered after 2 working hours waits until Monday 10:00.
//! assert_eq!(team.calendar_delay(4.0 * 24.0 + 16.0, 2.0), 66.0);
//! # Ok::<(), lead_decay::Error>(())
//! ```

// `!(x > 0.0)` is deliberate: it is true for NaN as well.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, WEEK_HOURS};
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::DelayDistribution;

/// When a segment's SQLs arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Arrivals {
    /// Uniformly round the clock (the default).
    Always,
    /// Uniformly over the calendar's working hours only.
    WorkingHours,
    /// At rates in proportion to 168 non-negative weights, one per hour of
    /// the week from Monday 00:00 local time (uniform within each hour). On
    /// a dated calendar each local hour of each date takes its hour of the
    /// week's rate over its real length (a daylight-saving night has one
    /// hour fewer, or one local hour two real hours long).
    HourOfWeek(Vec<f64>),
}

/// The clock a duration is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DelayClock {
    /// Real elapsed hours (the buyer's clock; the default).
    Calendar,
    /// Working hours of the team's [`Calendar`].
    Working,
}

/// One stretch of the arrival window with constant arrival density.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ArrivalPiece {
    /// Calendar time at which the stretch starts.
    pub(crate) start: f64,
    /// Calendar time at which it ends (`> start`).
    pub(crate) end: f64,
    /// Probability that an SQL arrives in it.
    pub(crate) probability: f64,
}

/// A segment's business hours: the team's [`Calendar`], when SQLs arrive,
/// and the clocks of the follow-up delay and of the SLA (see the [module
/// docs](self)).
///
/// SQLs arrive over one week from Monday 00:00 for a calendar without
/// dates, and from the start date to the end of the week that holds the end
/// date for a dated one.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    calendar: Calendar,
    arrivals: Arrivals,
    delay_clock: DelayClock,
    sla_clock: DelayClock,
    /// Calendar hours after which an SQL arriving while the team is off
    /// hears from the company (see [`BusinessHours::with_auto_response`]).
    auto_response: Option<f64>,
    pieces: Vec<ArrivalPiece>,
    /// Cumulative probabilities of `pieces` (the last is 1).
    cumulative: Vec<f64>,
}

impl BusinessHours {
    /// Business hours on `calendar`.
    ///
    /// No auto-response: add one with [`BusinessHours::with_auto_response`].
    ///
    /// # Errors
    ///
    /// An hour-of-week table that is not 168 finite non-negative weights
    /// with a positive sum, or (on a dated calendar) that gives no weight to
    /// any hour of its dates (`arrivals.hour_of_week`); arrivals in working hours or a working-time delay or SLA
    /// with a calendar that has no working hours (`calendar.working_hours`);
    /// a working-time SLA with a calendar-time delay (`sla_clock`, not
    /// supported).
    pub fn new(
        calendar: Calendar,
        arrivals: Arrivals,
        delay_clock: DelayClock,
        sla_clock: DelayClock,
    ) -> Result<BusinessHours> {
        let needs_hours = arrivals == Arrivals::WorkingHours
            || delay_clock == DelayClock::Working
            || sla_clock == DelayClock::Working;
        if needs_hours && !(calendar.weekly_hours() > 0.0) {
            return Err(Error::invalid(
                "calendar.working_hours",
                "no working hours",
                "at least one shift a week for arrivals in working hours or a delay on the working clock",
            ));
        }
        if delay_clock == DelayClock::Calendar && sla_clock == DelayClock::Working {
            return Err(Error::invalid(
                "sla_clock",
                "\"working\" with a delay on the calendar clock",
                "an SLA on the delay's clock, or on the calendar clock",
            ));
        }
        let window = arrival_window(&calendar);
        let pieces: Vec<ArrivalPiece> = match &arrivals {
            Arrivals::Always => vec![ArrivalPiece {
                start: 0.0,
                end: window,
                probability: 1.0,
            }],
            Arrivals::WorkingHours => {
                let open: Vec<(f64, f64)> = open_in_window(&calendar, window);
                let total: f64 = open.iter().map(|(s, e)| e - s).sum();
                open.iter()
                    .map(|&(start, end)| ArrivalPiece {
                        start,
                        end,
                        probability: (end - start) / total,
                    })
                    .collect()
            }
            Arrivals::HourOfWeek(weights) => {
                let field = "arrivals.hour_of_week";
                if weights.len() != 168 {
                    return Err(Error::invalid(
                        field,
                        format!("{} weights", weights.len()),
                        "168 weights, one per hour from Monday 00:00",
                    ));
                }
                if let Some((i, w)) = weights.iter().enumerate().find(|(_, w)| !(**w >= 0.0 && w.is_finite())) {
                    return Err(Error::invalid(format!("{field}[{i}]"), w, "a finite weight >= 0"));
                }
                let total: f64 = weights.iter().sum();
                if !(total > 0.0 && total.is_finite()) {
                    return Err(Error::invalid(field, total, "weights with a positive finite sum"));
                }
                if calendar.dates().is_none() {
                    weights
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| **w > 0.0)
                        .map(|(h, w)| ArrivalPiece {
                            start: h as f64,
                            end: h as f64 + 1.0,
                            probability: w / total,
                        })
                        .collect()
                } else {
                    dated_hour_pieces(&calendar, weights).ok_or_else(|| {
                        let (start, end) = calendar.dates().unwrap_or_default();
                        Error::invalid(
                            field,
                            format!("no weight on any hour from {start} to the end of the week of {end}"),
                            "a positive weight on some hour of the calendar's dates",
                        )
                    })?
                }
            }
        };
        let mut cumulative: Vec<f64> = pieces
            .iter()
            .scan(0.0, |sum, piece| {
                *sum += piece.probability;
                Some(*sum)
            })
            .collect();
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        Ok(BusinessHours {
            calendar,
            arrivals,
            delay_clock,
            sla_clock,
            auto_response: None,
            pieces,
            cumulative,
        })
    }

    /// The team's calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// When SQLs arrive.
    pub fn arrivals(&self) -> &Arrivals {
        &self.arrivals
    }

    /// The clock the follow-up delay is counted on.
    pub fn delay_clock(&self) -> DelayClock {
        self.delay_clock
    }

    /// The clock the SLA is counted on.
    pub fn sla_clock(&self) -> DelayClock {
        self.sla_clock
    }

    /// The same business hours with an **auto-response** for SQLs that
    /// arrive while the team is off: `within` calendar hours after such an
    /// SQL arrives, it hears from the company (an automated reply, a bot, an
    /// on-call message), and that reply counts as the first contact for the
    /// buyer's decay. An SQL arriving at `a` outside working hours (a night,
    /// a weekend, a holiday) whose team follow-up would come `C` calendar
    /// hours later is first contacted after
    ///
    /// ```text
    /// min(C, within)      (C for an SQL that arrives while the team works)
    /// ```
    ///
    /// so its warmth is the decay at that delay (`max(f(C), f(within))`).
    /// The reply is modelled at `within`, the latest "within" allows. The
    /// SLA still measures the team's own follow-up (an automated reply does
    /// not meet it), and the team still works every SQL as before: the
    /// auto-response changes only how warm the night's SQLs are when first
    /// contacted. On a round-the-clock calendar nobody arrives off hours and
    /// it changes nothing.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
    /// use lead_decay::{Calendar, Hours};
    ///
    /// let team = BusinessHours::new(Calendar::office(), Arrivals::Always, DelayClock::Working, DelayClock::Working)?
    ///     .with_auto_response(Hours::from_minutes(10.0)?);
    /// let friday_4pm = 4.0 * 24.0 + 16.0;
    /// let saturday_3am = 5.0 * 24.0 + 3.0;
    /// // At work: the team's own follow-up, 2 working hours (until Monday 10:00).
    /// assert_eq!(team.contact_delay(friday_4pm, 2.0), 66.0);
    /// // Off hours: the auto-response, 10 minutes after arrival.
    /// assert_eq!(team.contact_delay(saturday_3am, 2.0), 1.0 / 6.0);
    /// assert_eq!(team.calendar_delay(saturday_3am, 2.0), 2.0 * 24.0 - 3.0 + 9.0 + 2.0);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_auto_response(mut self, within: Hours) -> BusinessHours {
        self.auto_response = Some(within.get());
        self
    }

    /// The same business hours on another working week: the calendar's time
    /// zone, holidays and dates, the arrivals, the clocks and the
    /// auto-response kept (what the team-hours what-ifs turn).
    ///
    /// # Errors
    ///
    /// A week the calendar or [`BusinessHours::new`] rejects (fields under
    /// `calendar`).
    pub(crate) fn with_week(&self, week: crate::calendar::Week) -> Result<BusinessHours> {
        let calendar = self
            .calendar()
            .clone()
            .with_week(week)
            .map_err(|e| e.within("calendar"))?;
        let moved = BusinessHours::new(calendar, self.arrivals().clone(), self.delay_clock(), self.sla_clock())?;
        Ok(match self.auto_response() {
            Some(r) => moved.with_auto_response(r),
            None => moved,
        })
    }

    /// The auto-response for SQLs arriving off hours, if any (see
    /// [`BusinessHours::with_auto_response`]).
    pub fn auto_response(&self) -> Option<Hours> {
        self.auto_response.and_then(|h| Hours::new(h).ok())
    }

    /// Whether these business hours change nothing: a delay on the calendar
    /// clock without an auto-response (then the arrival time does not
    /// matter), or a round-the-clock calendar (where working time is
    /// calendar time and nobody arrives off hours).
    pub fn is_neutral(&self) -> bool {
        (self.delay_clock == DelayClock::Calendar && self.auto_response.is_none()) || self.calendar.is_always()
    }

    /// The calendar hours an SQL arriving at calendar time `arrival` waits
    /// for the team's follow-up, `delay` hours on the delay's clock.
    pub fn calendar_delay(&self, arrival: f64, delay: f64) -> f64 {
        match self.delay_clock {
            DelayClock::Calendar => delay,
            DelayClock::Working => self.calendar.add_working(arrival, delay) - arrival,
        }
    }

    /// The calendar hours until an SQL arriving at `arrival` is first
    /// contacted: [`BusinessHours::calendar_delay`], or the auto-response's
    /// delay when that is sooner and the SQL arrived off hours.
    pub fn contact_delay(&self, arrival: f64, delay: f64) -> f64 {
        let c = self.calendar_delay(arrival, delay);
        match self.auto_response_at(arrival) {
            Some(r) => c.min(r),
            None => c,
        }
    }

    /// The auto-response's delay for an SQL arriving at `arrival`: `Some`
    /// only with an auto-response and the team off at `arrival`.
    pub(crate) fn auto_response_at(&self, arrival: f64) -> Option<f64> {
        self.auto_response.filter(|_| !self.calendar.is_open(arrival))
    }

    /// `(calendar delay to first contact, the team's delay on the SLA's
    /// clock)` of one SQL: draws its
    /// arrival time and its delay.
    pub(crate) fn sample<R: Rng + ?Sized>(&self, delay: &DelayDistribution, rng: &mut R) -> (f64, f64) {
        let arrival = self.sample_arrival(rng);
        let d = delay.sample(rng);
        let team = self.calendar_delay(arrival, d);
        let c = match self.auto_response_at(arrival) {
            Some(r) => team.min(r),
            None => team,
        };
        // The SLA measures the team's follow-up, not the auto-response.
        match self.sla_clock {
            DelayClock::Calendar => (c, team),
            // With a working-time delay (the only case `new` allows), the
            // working hours elapsed are the delay itself.
            DelayClock::Working => (c, d),
        }
    }

    /// One arrival time: a piece by its probability, then uniform within it.
    pub(crate) fn sample_arrival<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u: f64 = rng.random();
        let i = self.cumulative.partition_point(|&c| c <= u).min(self.pieces.len() - 1);
        let piece = self.pieces[i];
        let v: f64 = rng.random();
        piece.start + v * (piece.end - piece.start)
    }

    /// The arrival pieces (constant density within each).
    pub(crate) fn pieces(&self) -> &[ArrivalPiece] {
        &self.pieces
    }
}

/// The length of the arrival window from the calendar's origin: one week
/// without dates, through the week of the end date with them.
pub(crate) fn arrival_window(calendar: &Calendar) -> f64 {
    match (calendar.dates(), calendar.repeating_week()) {
        (Some(_), Some((from, _))) => from,
        _ => WEEK_HOURS,
    }
}

/// The starts of the local hours over the arrival window, in calendar
/// time, each with its hour of the week (`24 · weekday + hour`), and the
/// window's end. A repeating week is its 168 hours; a dated calendar has
/// every hour of every date, in local time (a daylight-saving night has one
/// hour fewer or more), folded onto the hour of the week.
pub(crate) fn slot_bounds(calendar: &Calendar) -> (Vec<(f64, usize)>, f64) {
    let end = arrival_window(calendar);
    let Some((start, _)) = calendar.dates() else {
        return ((0..168).map(|j| (j as f64, j)).collect(), end);
    };
    let mut bounds = Vec::new();
    let mut date = start;
    loop {
        let day = usize::from(date.weekday().to_monday_zero_offset() as u8);
        for hour in 0..24 {
            match calendar.local_to_calendar(date, hour as f64) {
                Some(t) if t < end => bounds.push((t, 24 * day + hour)),
                _ => return (bounds, end),
            }
        }
        date = match date.tomorrow() {
            Ok(next) => next,
            Err(_) => return (bounds, end),
        };
    }
}

/// The arrival pieces of an hour-of-week table on a dated calendar: each
/// local hour of the window at its hour of the week's rate, so with a
/// probability in proportion to weight times real length. `None` when no
/// hour of the window has a weight.
fn dated_hour_pieces(calendar: &Calendar, weights: &[f64]) -> Option<Vec<ArrivalPiece>> {
    let (bounds, end) = slot_bounds(calendar);
    let mut pieces: Vec<ArrivalPiece> = bounds
        .iter()
        .enumerate()
        .map(|(i, &(start, hour))| {
            let stop = bounds.get(i + 1).map_or(end, |b| b.0);
            ArrivalPiece {
                start,
                end: stop,
                probability: weights[hour] * (stop - start),
            }
        })
        .filter(|p| p.end > p.start && p.probability > 0.0)
        .collect();
    let total: f64 = pieces.iter().map(|p| p.probability).sum();
    if !(total > 0.0) {
        return None;
    }
    for piece in &mut pieces {
        piece.probability /= total;
    }
    Some(pieces)
}

/// The open intervals `(start, end)` within `[0, window)`.
pub(crate) fn open_in_window(calendar: &Calendar, window: f64) -> Vec<(f64, f64)> {
    if calendar.is_always() {
        return vec![(0.0, window)];
    }
    let intervals = if calendar.dates().is_some() {
        calendar.open_intervals()
    } else {
        calendar.repeating_week().map_or(&[][..], |(_, week)| week)
    };
    intervals
        .iter()
        .filter(|iv| iv.start < window)
        .map(|iv| (iv.start, iv.end.min(window)))
        .collect()
}
