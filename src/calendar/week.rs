//! The working week: which days a team works and its shifts on each day, in
//! local hours after midnight.

use crate::error::{Error, Result};
use crate::model::duration::Hours;

/// Hours in a week. Time 0 of a weekly calendar is Monday 00:00 local time.
pub const WEEK_HOURS: f64 = 168.0;

/// Day names accepted in scenario files, Monday first.
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const FULL_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parses a day name (`"mon"` ... `"sun"`, or the full English name, any
/// case; at least three letters) into its index, Monday = 0.
///
/// # Errors
///
/// Any other name (field `working_days`).
///
/// # Example
///
/// ```
/// use lead_decay::calendar::parse_day;
///
/// assert_eq!(parse_day("Sat")?, 5);
/// assert!(parse_day("mo").is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
pub fn parse_day(name: &str) -> Result<u8> {
    let lower = name.trim().to_ascii_lowercase();
    FULL_NAMES
        .iter()
        .position(|full| lower.len() >= 3 && full.starts_with(&lower))
        .map(|i| i as u8)
        .ok_or_else(|| Error::invalid("working_days", format!("{name:?}"), "a day name: \"mon\" ... \"sun\""))
}

/// The shifts of each day of the week: sorted, disjoint `[opens, closes)`
/// pairs in local hours after midnight, `0 <= opens < closes <= 24`.
///
/// A day without shifts is a day off. A week is plain data; a [`Calendar`]
/// (which rejects a week without any working hours) turns it into a clock.
///
/// # Example
///
/// ```
/// use lead_decay::calendar::Week;
/// use lead_decay::Hours;
///
/// let h = |x: f64| Hours::new(x).unwrap();
/// // Monday to Friday 9-17, and a Saturday morning shift.
/// let week = Week::office().with_day(5, &[(h(9.0), h(13.0))])?;
/// assert_eq!(week.weekly_hours(), 44.0);
/// // A split day: Wednesday 8-12 and 14-18.
/// let split = week.with_day(2, &[(h(8.0), h(12.0)), (h(14.0), h(18.0))])?;
/// assert_eq!(split.day(2), &[(8.0, 12.0), (14.0, 18.0)]);
/// assert!(Week::office().with_day(0, &[(h(17.0), h(9.0))]).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
///
///
/// In files (and serde) a week is a table of shifts by day name, the
/// `working_hours` table of a [`CalendarSpec`](super::CalendarSpec):
/// `{ mon = ["9h", "17h"], wed = [["8h", "12h"], ["14h", "18h"]] }`.
///
/// [`Calendar`]: super::Calendar
/// It serialises as that table (the serde impls live with the file schema,
/// in `calendar::file`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Week {
    days: [Vec<(f64, f64)>; 7],
}

impl Week {
    /// No working hours on any day (a start for [`Week::with_day`]).
    pub fn closed() -> Week {
        Week::default()
    }

    /// Every day, midnight to midnight.
    pub fn round_the_clock() -> Week {
        Week {
            days: std::array::from_fn(|_| vec![(0.0, 24.0)]),
        }
    }

    /// Monday to Friday, 9 to 17.
    pub fn office() -> Week {
        Week {
            days: std::array::from_fn(|d| if d < 5 { vec![(9.0, 17.0)] } else { Vec::new() }),
        }
    }

    /// The same shift `opens`-`closes` on each day of `days` (0 = Monday ...
    /// 6 = Sunday; repeats are harmless).
    ///
    /// # Errors
    ///
    /// An empty list or a day index above 6 (field `working_days`), or
    /// hours that are not `0 <= opens < closes <= 24` (field
    /// `working_hours`).
    pub fn uniform(days: &[u8], opens: Hours, closes: Hours) -> Result<Week> {
        if days.is_empty() {
            return Err(Error::invalid("working_days", "[]", "at least one working day"));
        }
        let shift = check_shift("working_hours", opens, closes)?;
        let mut week = Week::closed();
        for &day in days {
            let slot = week
                .days
                .get_mut(usize::from(day))
                .ok_or_else(|| Error::invalid("working_days", day, "a day index 0 (Monday) to 6 (Sunday)"))?;
            *slot = vec![shift];
        }
        Ok(week)
    }

    /// The same week with `shifts` on `day` (0 = Monday), replacing that
    /// day's hours; no shifts makes it a day off.
    ///
    /// # Errors
    ///
    /// A day index above 6 (field `working_days`); a shift that is not
    /// `0 <= opens < closes <= 24`, or shifts out of order or overlapping
    /// (field `working_hours.<day>`, e.g. `working_hours.sat`, with `[i]`
    /// for the i-th of several shifts).
    pub fn with_day(mut self, day: u8, shifts: &[(Hours, Hours)]) -> Result<Week> {
        let name = DAY_NAMES
            .get(usize::from(day))
            .ok_or_else(|| Error::invalid("working_days", day, "a day index 0 (Monday) to 6 (Sunday)"))?;
        let mut checked: Vec<(f64, f64)> = Vec::with_capacity(shifts.len());
        for (i, &(opens, closes)) in shifts.iter().enumerate() {
            let field = if shifts.len() == 1 {
                format!("working_hours.{name}")
            } else {
                format!("working_hours.{name}[{i}]")
            };
            let shift = check_shift(&field, opens, closes)?;
            if let Some(&(_, previous_end)) = checked.last()
                && !(shift.0 >= previous_end)
            {
                return Err(Error::invalid(
                    field,
                    format!("[{opens}, {closes}]"),
                    format!("a shift that starts at or after the previous one ends ({previous_end}h)"),
                ));
            }
            checked.push(shift);
        }
        self.days[usize::from(day)] = checked;
        Ok(self)
    }

    /// The same week with every working day's last shift ending at `closes`
    /// (hours after midnight): the what-if "work until 9 pm"
    /// (`Knob::ShiftEnd`).
    ///
    /// # Errors
    ///
    /// `closes` above 24 or not after the start of a day's last shift
    /// (field `working_hours.<day>`).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::calendar::Week;
    /// use lead_decay::Hours;
    ///
    /// let evenings = Week::office().with_shift_end(Hours::new(21.0)?)?;
    /// assert_eq!((evenings.day(4), evenings.weekly_hours()), (&[(9.0, 21.0)][..], 60.0));
    /// assert!(Week::office().with_shift_end(Hours::new(8.0)?).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_shift_end(self, closes: Hours) -> Result<Week> {
        self.with_each_day(|shifts| {
            if let Some(last) = shifts.last_mut() {
                last.1 = closes.get();
            }
        })
    }

    /// The same week with every working day's first shift starting at
    /// `opens` (hours after midnight): the what-if "open at 7 am"
    /// (`Knob::ShiftStart`).
    ///
    /// # Errors
    ///
    /// `opens` not before the end of a day's first shift (field
    /// `working_hours.<day>`).
    pub fn with_shift_start(self, opens: Hours) -> Result<Week> {
        self.with_each_day(|shifts| {
            if let Some(first) = shifts.first_mut() {
                first.0 = opens.get();
            }
        })
    }

    /// The same week working the first `days` days from Monday (1 to 7),
    /// the rest off: `6` adds Saturday, `7` Sunday as well, `4` drops
    /// Friday (`Knob::WorkingDays`). A day that did not work takes the
    /// shifts of the closest working day before it (or, for the first
    /// days, the first working day after).
    ///
    /// # Errors
    ///
    /// `days` not a whole number from 1 to 7 (field `working_days`).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::calendar::Week;
    ///
    /// let saturdays = Week::office().with_working_days(6.0)?;
    /// assert_eq!((saturdays.day(5), saturdays.weekly_hours()), (&[(9.0, 17.0)][..], 48.0));
    /// assert_eq!(Week::office().with_working_days(4.0)?.weekly_hours(), 32.0);
    /// assert!(Week::office().with_working_days(5.5).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn with_working_days(self, days: f64) -> Result<Week> {
        if !((1.0..=7.0).contains(&days) && days.fract() == 0.0) {
            return Err(Error::invalid(
                "working_days",
                days,
                "a whole number of working days from 1 to 7 (counted from Monday)",
            ));
        }
        let Some(first) = (0..7).find(|&d| !self.days[d].is_empty()) else {
            return Err(Error::invalid(
                "working_days",
                days,
                "a week with working hours on some day, whose shifts the new days take",
            ));
        };
        let mut days_out: [Vec<(f64, f64)>; 7] = Default::default();
        let mut last = self.days[first].clone();
        for (d, slot) in days_out.iter_mut().enumerate().take(days as usize) {
            if !self.days[d].is_empty() {
                last = self.days[d].clone();
            }
            *slot = last.clone();
        }
        Ok(Week { days: days_out })
    }

    /// Each working day's shifts edited by `edit`, then checked as
    /// [`Week::with_day`] checks them.
    fn with_each_day(self, edit: impl Fn(&mut Vec<(f64, f64)>)) -> Result<Week> {
        let mut week = Week::closed();
        for (d, shifts) in self.days.iter().enumerate() {
            let mut shifts = shifts.clone();
            edit(&mut shifts);
            let typed: Vec<(Hours, Hours)> = shifts
                .iter()
                .map(|&(a, b)| (Hours::trusted(a), Hours::trusted(b)))
                .collect();
            week = week.with_day(d as u8, &typed)?;
        }
        Ok(week)
    }

    /// The shifts of `day` (0 = Monday), in local hours; empty on a day off
    /// or for an index above 6.
    pub fn day(&self, day: u8) -> &[(f64, f64)] {
        self.days.get(usize::from(day)).map_or(&[], Vec::as_slice)
    }

    /// Whether `day` (0 = Monday) has working hours.
    pub fn is_working_day(&self, day: u8) -> bool {
        !self.day(day).is_empty()
    }

    /// Working hours on `day` (0 = Monday), on a day without a
    /// daylight-saving change.
    pub fn hours_on(&self, day: u8) -> f64 {
        self.day(day).iter().map(|(a, b)| b - a).sum()
    }

    /// Working hours in the week.
    pub fn weekly_hours(&self) -> f64 {
        (0..7).map(|d| self.hours_on(d)).sum()
    }

    /// Whether every day is worked midnight to midnight.
    pub fn is_round_the_clock(&self) -> bool {
        self.days.iter().all(|d| d.as_slice() == [(0.0, 24.0)])
    }
}

/// Checks one shift: `0 <= opens < closes <= 24` (NaN cannot reach here:
/// [`Hours`] is finite and `>= 0`).
fn check_shift(field: &str, opens: Hours, closes: Hours) -> Result<(f64, f64)> {
    let (a, b) = (opens.get(), closes.get());
    if !(a < b && b <= 24.0) {
        return Err(Error::invalid(
            field,
            format!("[{opens}, {closes}]"),
            "working hours [opens, closes] with 0 <= opens < closes <= 24h (a shift that ends after it starts)",
        ));
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    #[test]
    fn day_names_parse() {
        assert_eq!(parse_day("Mon").unwrap(), 0);
        assert_eq!(parse_day("sunday").unwrap(), 6);
        assert!(parse_day("funday").is_err());
        assert!(parse_day("mo").is_err());
    }

    #[test]
    fn shifts_that_end_before_they_start_or_overlap_name_the_day() {
        let err = Week::office().with_day(5, &[(h(13.0), h(9.0))]).unwrap_err();
        assert_eq!(err.field(), Some("working_hours.sat"));
        let err = Week::closed()
            .with_day(2, &[(h(8.0), h(12.0)), (h(11.0), h(18.0))])
            .unwrap_err();
        assert_eq!(err.field(), Some("working_hours.wed[1]"));
        assert_eq!(
            Week::uniform(&[0], h(9.0), h(25.0)).unwrap_err().field(),
            Some("working_hours")
        );
        assert_eq!(
            Week::uniform(&[7], h(9.0), h(17.0)).unwrap_err().field(),
            Some("working_days")
        );
        assert_eq!(
            Week::closed().with_day(7, &[]).unwrap_err().field(),
            Some("working_days")
        );
    }

    #[test]
    fn weeks_round_trip_as_tables_by_day() {
        let week = Week::office()
            .with_day(2, &[(h(8.0), h(12.0)), (h(14.0), h(18.0))])
            .unwrap();
        let json = serde_json::to_string(&week).unwrap();
        assert!(json.starts_with(r#"{"fri":["9h","17h"],"mon""#), "{json}");
        assert_eq!(serde_json::from_str::<Week>(&json).unwrap(), week);
        assert!(serde_json::from_str::<Week>(r#"{"sat":["13h","9h"]}"#).is_err());
    }

    #[test]
    fn weekly_hours_add_every_shift() {
        let week = Week::office()
            .with_day(5, &[(h(9.0), h(13.0))])
            .unwrap()
            .with_day(2, &[(h(8.0), h(12.0)), (h(14.0), h(18.0))])
            .unwrap();
        assert_eq!(week.weekly_hours(), 44.0);
        assert!(week.is_working_day(5) && !week.is_working_day(6));
        assert!(Week::round_the_clock().is_round_the_clock());
        assert!(!Week::office().is_round_the_clock());
    }
}
