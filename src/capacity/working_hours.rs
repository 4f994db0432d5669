//! When the sales team works: business days and opening hours, and the
//! clock that counts only working time.

use crate::error::{Error, Result};
use crate::model::duration::Hours;

/// Hours in a week. Time 0 of a capacity run is Monday 00:00.
pub const WEEK_HOURS: f64 = 168.0;

/// Day names accepted in scenario files, Monday first.
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The weekly working time of a sales team: the same opening hours on each
/// business day. Time 0 is Monday 00:00; reps start work only inside these
/// hours, and handling time counts working time only (a call interrupted by
/// closing time continues the next working day).
///
/// The model keeps a *working clock* `w(t)`: the working hours elapsed up to
/// calendar time `t`. [`WorkingHours::to_calendar`] is its inverse, mapping
/// working time back to the earliest calendar time that reaches it, so
/// `to_calendar(to_working(t))` is `t` when the team is at work and the next
/// opening time otherwise.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::WorkingHours;
/// use lead_decay::Hours;
///
/// let office = WorkingHours::new(&[0, 1, 2, 3, 4], Hours::new(9.0)?, Hours::new(17.0)?)?;
/// assert_eq!(office.weekly_hours(), 40.0);
/// assert_eq!(office.next_open(8.0), 9.0);          // Monday 08:00 -> 09:00
/// assert_eq!(office.next_open(17.5), 33.0);        // Monday 17:30 -> Tuesday 09:00
/// assert_eq!(office.next_open(4.0 * 24.0 + 18.0), 168.0 + 9.0); // Friday evening -> Monday
/// assert!(WorkingHours::new(&[], Hours::new(9.0)?, Hours::new(17.0)?).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    days: [bool; 7],
    opens: f64,
    closes: f64,
    /// `(start, end, working hours before start)` of each open interval of
    /// the week, in order; empty when working round the clock.
    intervals: Vec<(f64, f64, f64)>,
    per_week: f64,
}

impl WorkingHours {
    /// Round the clock, every day (the default; the M/M/c setting).
    pub fn always() -> WorkingHours {
        WorkingHours {
            days: [true; 7],
            opens: 0.0,
            closes: 24.0,
            intervals: Vec::new(),
            per_week: WEEK_HOURS,
        }
    }

    /// Open from `opens` to `closes` (hours after midnight, `0 <= opens <
    /// closes <= 24`) on each day of `days` (0 = Monday ... 6 = Sunday).
    ///
    /// # Errors
    ///
    /// An empty working week (`working_days`), a day index above 6, or
    /// opening hours that are not `0 <= opens < closes <= 24`
    /// (`working_hours`).
    pub fn new(days: &[u8], opens: Hours, closes: Hours) -> Result<WorkingHours> {
        if days.is_empty() {
            return Err(Error::invalid("working_days", "[]", "at least one working day"));
        }
        let mut mask = [false; 7];
        for &day in days {
            let slot = mask
                .get_mut(usize::from(day))
                .ok_or_else(|| Error::invalid("working_days", day, "a day index 0 (Monday) to 6 (Sunday)"))?;
            *slot = true;
        }
        let (opens, closes) = (opens.get(), closes.get());
        if !(opens < closes && closes <= 24.0) {
            return Err(Error::invalid(
                "working_hours",
                format!("[{opens}h, {closes}h]"),
                "opening hours [opens, closes] with 0 <= opens < closes <= 24h",
            ));
        }
        if mask == [true; 7] && opens == 0.0 && closes == 24.0 {
            return Ok(WorkingHours::always());
        }
        let mut intervals = Vec::new();
        let mut before = 0.0;
        for (day, _) in mask.iter().enumerate().filter(|(_, open)| **open) {
            let start = 24.0 * day as f64 + opens;
            intervals.push((start, start + (closes - opens), before));
            before += closes - opens;
        }
        Ok(WorkingHours {
            days: mask,
            opens,
            closes,
            intervals,
            per_week: before,
        })
    }

    /// Whether the team works round the clock.
    pub fn is_always(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Working days (index 0 = Monday).
    pub fn days(&self) -> [bool; 7] {
        self.days
    }

    /// Opening and closing time, in hours after midnight.
    pub fn opening_hours(&self) -> (f64, f64) {
        (self.opens, self.closes)
    }

    /// Working hours per week.
    pub fn weekly_hours(&self) -> f64 {
        self.per_week
    }

    /// Working hours per working day.
    pub fn daily_hours(&self) -> f64 {
        self.closes - self.opens
    }

    /// Working hours elapsed from time 0 to calendar time `t >= 0`.
    #[inline]
    pub fn to_working(&self, t: f64) -> f64 {
        if self.intervals.is_empty() {
            return t;
        }
        let week = (t / WEEK_HOURS).floor();
        let r = t - week * WEEK_HOURS;
        let mut w = week * self.per_week;
        for &(start, end, _) in &self.intervals {
            if r <= start {
                break;
            }
            w += r.min(end) - start;
        }
        w
    }

    /// The earliest calendar time at which `w` working hours have elapsed.
    #[inline]
    pub fn to_calendar(&self, w: f64) -> f64 {
        if self.intervals.is_empty() {
            return w;
        }
        let week = (w / self.per_week).floor();
        let rem = w - week * self.per_week;
        // The first interval that still has working time left at `rem`; a
        // `rem` at an interval's end maps to the next opening.
        for &(start, end, before) in &self.intervals {
            if before + (end - start) > rem {
                return week * WEEK_HOURS + start + (rem - before);
            }
        }
        (week + 1.0) * WEEK_HOURS + self.intervals[0].0
    }

    /// `t` if the team is at work at `t`, else the next opening time.
    #[inline]
    pub fn next_open(&self, t: f64) -> f64 {
        if self.intervals.is_empty() {
            return t;
        }
        // Exact (not through the working clock), so that an arrival during
        // opening hours starts with a delay of exactly 0.
        let week = (t / WEEK_HOURS).floor();
        let r = t - week * WEEK_HOURS;
        for &(start, end, _) in &self.intervals {
            if r < end {
                return if r >= start { t } else { week * WEEK_HOURS + start };
            }
        }
        (week + 1.0) * WEEK_HOURS + self.intervals[0].0
    }

    /// The calendar time at which `hours` of work started at `start` end.
    #[inline]
    pub fn after_work(&self, start: f64, hours: f64) -> f64 {
        if self.intervals.is_empty() {
            start + hours
        } else {
            self.to_calendar(self.to_working(start) + hours)
        }
    }
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours::always()
    }
}

/// Parses a day name (`"mon"` ... `"sun"`, or the full English name, any
/// case) into its index, Monday = 0.
///
/// # Errors
///
/// Any other name.
pub fn parse_day(name: &str) -> Result<u8> {
    let lower = name.trim().to_ascii_lowercase();
    FULL.iter()
        .position(|full| lower.len() >= 3 && full.starts_with(&lower))
        .map(|i| i as u8)
        .ok_or_else(|| Error::invalid("working_days", format!("{name:?}"), "a day name: \"mon\" ... \"sun\""))
}

const FULL: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> WorkingHours {
        WorkingHours::new(&[0, 1, 2, 3, 4], Hours::new(9.0).unwrap(), Hours::new(17.0).unwrap()).unwrap()
    }

    #[test]
    fn working_clock_round_trips_inside_opening_hours() {
        let o = office();
        for t in [
            9.0,
            12.5,
            16.99,
            24.0 + 9.5,
            4.0 * 24.0 + 16.0,
            168.0 + 10.0,
            1000.0 * 168.0 + 33.0,
        ] {
            assert!((o.to_calendar(o.to_working(t)) - t).abs() < 1e-9, "{t}");
        }
        assert_eq!(o.to_working(17.0), 8.0);
        assert_eq!(o.to_calendar(8.0), 24.0 + 9.0);
        assert_eq!(o.after_work(16.0, 2.0), 24.0 + 10.0);
        assert_eq!(o.to_working(168.0), 40.0);
    }

    #[test]
    fn day_names_parse() {
        assert_eq!(parse_day("Mon").unwrap(), 0);
        assert_eq!(parse_day("sunday").unwrap(), 6);
        assert!(parse_day("funday").is_err());
        assert!(parse_day("mo").is_err());
    }
}
