//! When the sales team works: one [`Calendar`] for the whole crate, and the
//! working clock that counts only working time.
//!
//! A calendar is a working [`Week`] (shifts per day, possibly several a
//! day, possibly different each day), an IANA time zone, holidays, and
//! optionally the dates over which SQLs arrive. The capacity queue uses it
//! for its reps' hours; the planner counts business days with it.
//!
//! # The clock
//!
//! Times are `f64` hours since the calendar's **origin**: Monday 00:00 local
//! time for a repeating week (no dates), or 00:00 local time of the start
//! date for a dated calendar. *Calendar time* `t` runs with the buyer's
//! clock (real elapsed hours, so a night with a daylight-saving change is 23
//! or 25 hours long); *working time* `w(t)` is the working hours elapsed from
//! the origin up to `t`. The map is piecewise linear: slope 1 inside a shift,
//! flat outside. [`Calendar::to_calendar`] is its inverse, the earliest
//! calendar time at which `w` working hours have elapsed, so
//! `to_calendar(to_working(t))` is `t` at work and the next opening
//! otherwise.
//!
//! ```text
//! Mon-Fri 9-17, time 0 = Monday 00:00
//!
//!  w(t)  40 |                                          ____________ (Sat, Sun)
//!           |                                    _____/
//!        16 |              ______________ ... __/
//!         8 |        _____/
//!         0 |_______/
//!           +-------+-----+--------+-----+-- ... ---+------+------> t
//!           0       9     17       33    41         105    113    168
//! ```
//!
//! Friday 16:00 is `t = 4·24 + 16 = 112`, `w = 4·8 + 7 = 39`; two working
//! hours later `w = 41`, which the next week reaches on Monday at 10:00,
//! `t = 168 + 10 = 178`:
//!
//! ```
//! use lead_decay::{Calendar, Hours};
//!
//! let office = Calendar::office(); // Monday to Friday, 9 to 17
//! let friday_4pm = 4.0 * 24.0 + 16.0;
//! assert_eq!(office.to_working(friday_4pm), 39.0);
//! assert_eq!(office.add_working(friday_4pm, 2.0), 168.0 + 10.0); // Monday 10:00
//! assert_eq!(office.next_open(friday_4pm + 2.0), 168.0 + 9.0);   // Friday 18:00 -> Monday 9:00
//! assert_eq!(office.weekly_hours(), 40.0);
//! // Round the clock (the default) is the identity.
//! assert_eq!(Calendar::always().add_working(friday_4pm, 2.0), friday_4pm + 2.0);
//! ```
//!
//! Each call is a binary search over the calendar's open intervals
//! (`O(log intervals)`). Those intervals are public
//! ([`Calendar::open_intervals`], [`Calendar::repeating_week`]) as
//! [`OpenInterval`]s `(start, end, working_before)`, so an integral over the
//! working clock is an exact sum of linear pieces.
//!
//! # Dates, holidays and daylight saving
//!
//! Without dates the week repeats forever in local time: the time zone and
//! the holidays do not move the clock (holidays still count in
//! [`Calendar::business_days`]). With [`Calendar::with_dates`] the clock runs
//! over real dates from the start date through the Sunday on or after the
//! end date: holidays are days off, and a daylight-saving change makes a
//! night one hour shorter or longer in calendar time (a 9-17 shift still
//! works 8 hours). After that Sunday the week repeats without holidays at the
//! UTC offset of that moment. The time-zone database is bundled into the
//! crate, so results do not depend on the machine.
//!
//! # In scenario files
//!
//! [`CalendarSpec`] is the `[calendar]` section:
//!
//! ```toml
//! [calendar]
//! time_zone = "Europe/Berlin"
//! working_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
//! working_hours = { mon = ["9h", "17h"], tue = ["9h", "17h"], wed = [["8h", "12h"], ["14h", "18h"]],
//!                   thu = ["9h", "17h"], fri = ["9h", "17h"], sat = ["9h", "13h"] }
//! holidays = ["2025-12-25", "2025-12-26"]
//! start = "2025-12-01"
//! end = "2025-12-31"
//! ```
//!
//! `working_hours = ["9h", "17h"]` sets one shift for every working day.
//! Defaults: every day, round the clock, UTC, no holidays, no dates, which
//! is [`Calendar::always`].
//!
//! The same table is a segment's own `calendar = { ... }` and `[sales]`'s
//! `calendar = { ... }`. A top-level `[calendar]` is the team's week for
//! every segment that asks for business hours (`clock = "working"` in its
//! `follow_up`, `sla_clock = "working"`, `arrivals`) and for `[sales]` when
//! it sets no hours of its own; giving `[sales]` hours as well is an error.
//! A segment's own `calendar` replaces `[calendar]` for that segment (no
//! merging of keys). See [`crate::guide::file_format`] for every key.
//!
//! Where the loss happens on this clock, by hour of arrival:
//! [`crate::exact::arrival_loss`].
//!
//! # For the crate guide
//!
//! *Business hours.* Buyers cool around the clock; sales works Monday to
//! Friday 9 to 5. A [`Calendar`] holds the team's working week, time zone and
//! holidays and maps calendar time to working time and back, exactly (the
//! map is piecewise linear). The capacity queue's reps work on it, and the
//! planner counts business days with it. Without a calendar the team works
//! round the clock and every result is what it was before calendars existed.

mod clock;
mod file;
mod holidays;
mod instant;
mod week;
mod zone;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use clock::OpenInterval;
pub(crate) use clock::Walk;
pub use file::{CalendarSpec, ShiftsSpec, WorkingHoursSpec};
pub use instant::REPEATING_WEEK_EPOCH;
pub use week::{DAY_NAMES, WEEK_HOURS, Week, parse_day};

use crate::error::{Error, Result};
use crate::model::duration::Hours;
use clock::{Clock, Dated, Periodic};
use zone::Zone;

/// The longest date range a calendar accepts, in days (about 100 years, the
/// capacity queue's longest horizon).
pub const MAX_DATE_RANGE_DAYS: i32 = 36_525;

/// A team's working time: a [`Week`] of shifts, a time zone, holidays and
/// optionally the dates over which SQLs arrive; and the working clock over
/// them (see the [module docs](self)).
///
/// All clock methods take and return `f64` hours since the calendar's origin
/// (Monday 00:00 local time, or the start date's midnight for a dated
/// calendar); working time is working hours since the origin. Times must
/// be finite; times before the origin are read as the origin on a dated
/// calendar. Durations of shifts are [`Hours`].
///
/// # Example
///
/// ```
/// use jiff::civil::date;
/// use lead_decay::calendar::Week;
/// use lead_decay::{Calendar, Hours};
///
/// let h = |x: f64| Hours::new(x).unwrap();
/// // Mon-Fri 9-17 and a Saturday morning shift, in Berlin, in December 2025.
/// let week = Week::office().with_day(5, &[(h(9.0), h(13.0))])?;
/// let team = Calendar::from_week(week)?
///     .with_time_zone("Europe/Berlin")?
///     .with_holidays(&[date(2025, 12, 25), date(2025, 12, 26)])
///     .with_dates(date(2025, 12, 1), date(2025, 12, 31))?;
/// assert_eq!(team.weekly_hours(), 44.0);
/// assert_eq!(team.business_days(date(2025, 12, 1), date(2025, 12, 31)), 25);
/// // Wednesday 24 December, 16:00: two working hours later it is Saturday 10:00.
/// let t = 23.0 * 24.0 + 16.0;
/// assert_eq!(team.add_working(t, 2.0), 26.0 * 24.0 + 10.0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct Calendar {
    week: Week,
    zone: Zone,
    holidays: Vec<Date>,
    dates: Option<(Date, Date)>,
    clock: Clock,
}

impl Calendar {
    /// Round the clock, every day (the default): working time is calendar
    /// time, bit for bit.
    pub fn always() -> Calendar {
        Calendar {
            week: Week::round_the_clock(),
            zone: Zone::utc(),
            holidays: Vec::new(),
            dates: None,
            clock: Clock::Always,
        }
    }

    /// Monday to Friday, 9 to 17, UTC, a repeating week.
    pub fn office() -> Calendar {
        Calendar::always().rebuilt_with_week(Week::office())
    }

    /// The same shift `opens`-`closes` (hours after midnight) on each day of
    /// `days` (0 = Monday ... 6 = Sunday): the `[sales]` section's
    /// `working_days` and `working_hours`.
    ///
    /// # Errors
    ///
    /// As [`Week::uniform`].
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{Calendar, Hours};
    ///
    /// let office = Calendar::weekly(&[0, 1, 2, 3, 4], Hours::new(9.0)?, Hours::new(17.0)?)?;
    /// assert_eq!(office, Calendar::office());
    /// assert_eq!(office.next_open(8.0), 9.0); // Monday 08:00 -> 09:00
    /// assert_eq!(office.next_open(17.5), 33.0); // Monday 17:30 -> Tuesday 09:00
    /// assert!(Calendar::weekly(&[], Hours::new(9.0)?, Hours::new(17.0)?).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn weekly(days: &[u8], opens: Hours, closes: Hours) -> Result<Calendar> {
        Calendar::from_week(Week::uniform(days, opens, closes)?)
    }

    /// A repeating week of `week`'s shifts, in UTC.
    ///
    /// # Errors
    ///
    /// A week without working hours (field `working_hours`).
    pub fn from_week(week: Week) -> Result<Calendar> {
        if !(week.weekly_hours() > 0.0) {
            return Err(Error::invalid(
                "working_hours",
                "no working hours on any day",
                "a calendar with working hours on at least one day",
            ));
        }
        Ok(Calendar::always().rebuilt_with_week(week))
    }

    /// The same calendar (time zone, holidays, dates) working `week`
    /// instead: a what-if on the team's hours (an evening or weekend shift,
    /// hours moved).
    ///
    /// # Errors
    ///
    /// A week without working hours (field `working_hours`).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::calendar::Week;
    /// use lead_decay::{Calendar, Hours};
    ///
    /// let h = |x: f64| Hours::new(x).unwrap();
    /// let berlin = Calendar::office().with_time_zone("Europe/Berlin")?;
    /// let saturdays = berlin.with_week(Week::office().with_day(5, &[(h(10.0), h(14.0))])?)?;
    /// assert_eq!((saturdays.weekly_hours(), saturdays.time_zone()), (44.0, "Europe/Berlin"));
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_week(self, week: Week) -> Result<Calendar> {
        if !(week.weekly_hours() > 0.0) {
            return Calendar::from_week(week);
        }
        Ok(self.rebuilt_with_week(week))
    }

    /// The same calendar in the IANA time zone `name` (`"Europe/Berlin"`,
    /// case-insensitive), from the bundled time-zone database.
    ///
    /// # Errors
    ///
    /// An unknown zone (field `time_zone`).
    pub fn with_time_zone(mut self, name: &str) -> Result<Calendar> {
        self.zone = Zone::named(name)?;
        Ok(self.rebuilt())
    }

    /// The same calendar with `holidays` as days off (replacing any before;
    /// order and repeats do not matter). They move the clock only on a
    /// dated calendar ([`Calendar::with_dates`]); business days always
    /// count them.
    #[must_use]
    pub fn with_holidays(mut self, holidays: &[Date]) -> Calendar {
        self.holidays = holidays::normalise(holidays);
        self.rebuilt()
    }

    /// The same calendar over real dates: SQLs arrive from `start` to `end`
    /// (both included), time 0 is `start` at 00:00 local time, and
    /// holidays and daylight-saving changes apply (see the module docs).
    ///
    /// # Errors
    ///
    /// `end` before `start`, or more than [`MAX_DATE_RANGE_DAYS`] days
    /// apart, or too close to the end of the calendar (year 9999) (field
    /// `end`).
    pub fn with_dates(mut self, start: Date, end: Date) -> Result<Calendar> {
        let days = start.until(end).map(|s| s.get_days()).unwrap_or(-1);
        if !(0..=MAX_DATE_RANGE_DAYS).contains(&days) {
            return Err(Error::invalid(
                "end",
                end,
                format!("a date on or after the start date {start}, at most {MAX_DATE_RANGE_DAYS} days later"),
            ));
        }
        // The table runs to the Monday after `end`'s week.
        let next_monday = end.nth_weekday(1, jiff::civil::Weekday::Monday).ok();
        if next_monday.and_then(|m| m.tomorrow().ok()).is_none() {
            return Err(Error::invalid("end", end, "a date before 9999-12-24"));
        }
        self.dates = Some((start, end));
        Ok(self.rebuilt())
    }

    fn rebuilt_with_week(mut self, week: Week) -> Calendar {
        self.week = week;
        self.rebuilt()
    }

    /// Recomputes the clock from the parts.
    fn rebuilt(mut self) -> Calendar {
        self.clock = self.build_clock();
        self
    }

    fn build_clock(&self) -> Clock {
        let weekly = || {
            let spans: Vec<(f64, f64)> = (0..7u8)
                .flat_map(|d| {
                    self.week.day(d).iter().map(move |&(a, b)| {
                        let start = 24.0 * f64::from(d) + a;
                        (start, start + (b - a))
                    })
                })
                .collect();
            Periodic::new(&spans, WEEK_HOURS)
        };
        match self.dates {
            _ if self.week.is_round_the_clock() && self.dated_holidays().is_empty() => Clock::Always,
            None => Clock::Weekly(weekly()),
            Some((start, end)) => Clock::Dated(self.dated_clock(start, end, weekly())),
        }
    }

    /// Holidays inside the dated table (none without dates).
    fn dated_holidays(&self) -> &[Date] {
        match self.dates {
            None => &[],
            Some((start, end)) => {
                let last = end.nth_weekday(1, jiff::civil::Weekday::Monday).unwrap_or(end);
                let lo = self.holidays.partition_point(|h| *h < start);
                let hi = self.holidays.partition_point(|h| *h < last);
                &self.holidays[lo..hi]
            }
        }
    }

    /// The UTC offset in seconds by which local time `hours` (0-24) of
    /// `date` is read.
    fn local_offset(&self, date: Date, hours: f64) -> i64 {
        // Whole seconds locate the UTC offset; the hours stay exact.
        let seconds = (hours * 3600.0).round() as i64;
        let (date, seconds) = if seconds >= 86_400 {
            (date.tomorrow().unwrap_or(date), seconds - 86_400)
        } else {
            (date, seconds)
        };
        let at = date.at(
            (seconds / 3600) as i8,
            (seconds / 60 % 60) as i8,
            (seconds % 60) as i8,
            0,
        );
        self.zone.offset_seconds(at)
    }

    /// On a dated calendar, the calendar time (hours since the origin) at
    /// which local time `hours` (0 to 24) of `date` occurs, read as the
    /// working clock reads local times (a time skipped by a daylight-saving
    /// change with the offset before it, a repeated time the first time);
    /// `None` for a repeating week or hours outside 0-24.
    ///
    /// ```
    /// use jiff::civil::date;
    /// use lead_decay::Calendar;
    ///
    /// // Berlin moves to summer time on 30 March 2025: that day has 23 hours.
    /// let march = Calendar::office()
    ///     .with_time_zone("Europe/Berlin")?
    ///     .with_dates(date(2025, 3, 24), date(2025, 4, 6))?;
    /// let sunday = march.local_to_calendar(date(2025, 3, 30), 0.0).unwrap();
    /// let monday = march.local_to_calendar(date(2025, 3, 31), 0.0).unwrap();
    /// assert_eq!((sunday, monday - sunday), (6.0 * 24.0, 23.0));
    /// assert_eq!(Calendar::office().local_to_calendar(date(2025, 3, 30), 0.0), None);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn local_to_calendar(&self, date: Date, hours: f64) -> Option<f64> {
        let (start, _) = self.dates?;
        if !(0.0..=24.0).contains(&hours) {
            return None;
        }
        let days = f64::from(start.until(date).ok()?.get_days());
        let origin = self.local_offset(start, 0.0);
        Some(24.0 * days + hours - (self.local_offset(date, hours) - origin) as f64 / 3600.0)
    }

    fn dated_clock(&self, start: Date, end: Date, tail: Periodic) -> Dated {
        let local = |date: Date, hours: f64| self.local_offset(date, hours);
        let origin = local(start, 0.0);
        let shift = |offset: i64| (offset - origin) as f64 / 3600.0;
        // Checked in `with_dates`.
        let stop = end.nth_weekday(1, jiff::civil::Weekday::Monday).unwrap_or(end);
        let mut spans = Vec::new();
        let mut date = start;
        let mut n = 0.0;
        while date < stop {
            if holidays::is_business_day(&self.week, &self.holidays, date) {
                for &(a, b) in self.week.day(holidays::weekday(date)) {
                    let (off_a, off_b) = (local(date, a), local(date, b));
                    let s = 24.0 * n + a - shift(off_a);
                    let e = if off_a == off_b {
                        s + (b - a)
                    } else {
                        24.0 * n + b - shift(off_b)
                    };
                    // A shift that starts in a skipped hour (read an hour
                    // later) and ends just after it has no working time.
                    if e > s {
                        spans.push((s, e));
                    }
                }
            }
            n += 1.0;
            date = match date.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        let table_end = 24.0 * n - shift(local(stop, 0.0));
        Dated::new(&spans, table_end, tail)
    }

    /// Whether the team works round the clock with no day off (the clock
    /// is the identity).
    pub fn is_always(&self) -> bool {
        self.clock == Clock::Always
    }

    /// The working week.
    pub fn week(&self) -> &Week {
        &self.week
    }

    /// The IANA name of the time zone (`"UTC"` unless set).
    pub fn time_zone(&self) -> &str {
        self.zone.name()
    }

    /// The holidays, sorted.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// The first and last date of arrivals, on a dated calendar.
    pub fn dates(&self) -> Option<(Date, Date)> {
        self.dates
    }

    /// Working hours in a week without holidays or daylight-saving changes.
    pub fn weekly_hours(&self) -> f64 {
        match &self.clock {
            Clock::Always => WEEK_HOURS,
            Clock::Weekly(p) | Clock::Dated(Dated { tail: p, .. }) => p.per_period,
        }
    }

    /// Working hours of a working day: the hours of each working day when
    /// all are equal (exactly as written), otherwise their mean over the
    /// week (24 round the clock).
    pub fn mean_daily_hours(&self) -> f64 {
        let days: Vec<f64> = (0..7u8)
            .filter(|&d| self.week.is_working_day(d))
            .map(|d| self.week.hours_on(d))
            .collect();
        match days.as_slice() {
            [] => 24.0,
            [first, rest @ ..] if rest.iter().all(|h| h == first) => *first,
            all => all.iter().sum::<f64>() / all.len() as f64,
        }
    }

    /// Working hours elapsed from the origin to calendar time `t`.
    #[inline]
    pub fn to_working(&self, t: f64) -> f64 {
        self.clock.to_working(t)
    }

    /// A walk over this calendar's open intervals for times that grow: the
    /// maps of [`Calendar::to_working`], [`Calendar::to_calendar`] and
    /// [`Calendar::next_open`] to within rounding, each in a comparison or
    /// two (the capacity queue's FIFO recursion).
    pub(crate) fn walk(&self) -> clock::Walk<'_> {
        clock::Walk::new(&self.clock)
    }

    /// The earliest calendar time at which `w` working hours have elapsed
    /// since the origin (the inverse of [`Calendar::to_working`]).
    #[inline]
    pub fn to_calendar(&self, w: f64) -> f64 {
        self.clock.to_calendar(w)
    }

    /// `t` if the team is at work at `t`, else the next opening time.
    #[inline]
    pub fn next_open(&self, t: f64) -> f64 {
        self.clock.next_open(t)
    }

    /// Whether the team is at work at calendar time `t` (shifts include
    /// their start, not their end).
    pub fn is_open(&self, t: f64) -> bool {
        self.clock.next_open(t) == t
    }

    /// The calendar time at which `hours` of work started at `t` end
    /// (`t + hours` round the clock).
    #[inline]
    pub fn add_working(&self, t: f64, hours: f64) -> f64 {
        match self.clock {
            Clock::Always => t + hours,
            _ => self.to_calendar(self.to_working(t) + hours),
        }
    }

    /// Working hours between calendar times `a` and `b` (negative if `b`
    /// is before `a`).
    pub fn working_hours_between(&self, a: f64, b: f64) -> f64 {
        match self.clock {
            Clock::Always => b - a,
            _ => self.to_working(b) - self.to_working(a),
        }
    }

    /// The open intervals over the dates of a dated calendar, in calendar
    /// time since the origin; empty for a repeating week or round the clock.
    /// From [`Calendar::repeating_week`]'s start on, the week repeats.
    pub fn open_intervals(&self) -> &[OpenInterval] {
        match &self.clock {
            Clock::Dated(d) => &d.intervals,
            _ => &[],
        }
    }

    /// `(from, intervals)`: from calendar time `from` on, the week's open
    /// intervals repeat every [`WEEK_HOURS`], offsets into the week counted
    /// from `from` (a Monday 00:00), with `working_before` counted from the
    /// week's start; working time at `from` is `to_working(from)`. `None`
    /// round the clock.
    pub fn repeating_week(&self) -> Option<(f64, &[OpenInterval])> {
        match &self.clock {
            Clock::Always => None,
            Clock::Weekly(p) => Some((0.0, &p.intervals)),
            Clock::Dated(d) => Some((d.table_end, &d.tail.intervals)),
        }
    }

    /// Whether `date` is a business day: its weekday has working hours and
    /// it is not a holiday.
    pub fn is_business_day(&self, date: Date) -> bool {
        holidays::is_business_day(&self.week, &self.holidays, date)
    }

    /// Business days from `first` to `last`, both included (0 when `last`
    /// is before `first`).
    pub fn business_days(&self, first: Date, last: Date) -> u32 {
        holidays::count(&self.week, &self.holidays, first, last)
    }

    /// Business days in month `month` (1-12) of `year`.
    ///
    /// # Errors
    ///
    /// A month outside 1-12 (field `month`) or a year outside
    /// -9999..=9999 (field `year`).
    ///
    /// # Example
    ///
    /// ```
    /// use jiff::civil::date;
    /// use lead_decay::Calendar;
    ///
    /// let office = Calendar::office();
    /// assert_eq!(office.business_days_in_month(2021, 3)?, 23);
    /// let us = office.with_holidays(&[date(2021, 2, 15)]); // Presidents' Day
    /// assert_eq!(us.business_days_in_month(2021, 2)?, 19);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn business_days_in_month(&self, year: i16, month: i8) -> Result<u32> {
        let (first, last) = holidays::month_bounds(year, month)?;
        Ok(self.business_days(first, last))
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::always()
    }
}

#[cfg(test)]
mod tests;
