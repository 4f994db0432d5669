//! Instants on the calendar's clock: where a real moment (a CRM timestamp)
//! falls in calendar time, and back.
//!
//! A dated calendar's calendar time is real elapsed hours since the start
//! date's midnight, so an instant is read as the hours since that moment.
//! A repeating week runs in local civil time (its shifts are local times
//! every week, whatever the UTC offset), so an instant is read as its
//! local date and time in the calendar's zone, in hours since a Monday
//! midnight ([`REPEATING_WEEK_EPOCH`]): working hours between two instants
//! are then counted on the local clock the team works by.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, date};
use jiff::tz::TimeZone;

use super::Calendar;

/// The Monday whose midnight (local time) is calendar time 0 when a
/// repeating week reads real instants ([`Calendar::time_of`]): Monday 1
/// January 2001.
pub const REPEATING_WEEK_EPOCH: Date = date(2001, 1, 1);

impl Calendar {
    /// The calendar time of the instant `at`: real hours since the start
    /// date's midnight on a dated calendar (negative before it), local civil
    /// hours since [`REPEATING_WEEK_EPOCH`]'s midnight on a repeating week
    /// (and round the clock).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::Calendar;
    ///
    /// let office = Calendar::office().with_time_zone("Europe/Berlin")?;
    /// // Friday 2024-03-08, 16:00 in Berlin (15:00 UTC) ...
    /// let friday = office.time_of("2024-03-08T15:00:00Z".parse().unwrap());
    /// // ... answered after 2 working hours: Monday 10:00 in Berlin.
    /// let answered = office.timestamp_at(office.add_working(friday, 2.0));
    /// assert_eq!(answered, "2024-03-11T09:00:00Z".parse().ok());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn time_of(&self, at: Timestamp) -> f64 {
        match self.dates {
            Some((start, _)) => (at.as_nanosecond() - self.origin(start).as_nanosecond()) as f64 / 3.6e12,
            None => {
                let local = self.zone.time_zone().to_datetime(at);
                let epoch = REPEATING_WEEK_EPOCH.at(0, 0, 0, 0);
                let nanos = epoch.duration_until(local).as_nanos();
                nanos as f64 / 3.6e12
            }
        }
    }

    /// The instant at calendar time `t` (the inverse of
    /// [`Calendar::time_of`], to the nanosecond); a local time that a
    /// daylight-saving change skips or repeats is read as the clock reads
    /// it (the offset before the change, the first of two). `None` outside
    /// the range of timestamps.
    pub fn timestamp_at(&self, t: f64) -> Option<Timestamp> {
        if !t.is_finite() {
            return None;
        }
        let nanos = (t * 3.6e12).round();
        if nanos.abs() > 9.0e18 {
            return None;
        }
        let span = jiff::SignedDuration::from_nanos(nanos as i64);
        match self.dates {
            Some((start, _)) => self.origin(start).checked_add(span).ok(),
            None => {
                let local: DateTime = REPEATING_WEEK_EPOCH.at(0, 0, 0, 0).checked_add(span).ok()?;
                self.zone.time_zone().to_ambiguous_timestamp(local).compatible().ok()
            }
        }
    }

    /// The same calendar over the local dates from `first`'s to `last`'s
    /// (replacing any dates it had): holidays and daylight-saving changes
    /// then move its clock between those instants, as they did for a CRM
    /// export taken over them.
    ///
    /// # Errors
    ///
    /// As [`Calendar::with_dates`]: more than
    /// [`MAX_DATE_RANGE_DAYS`](super::MAX_DATE_RANGE_DAYS) between the
    /// dates (field `end`).
    pub fn covering(&self, first: Timestamp, last: Timestamp) -> crate::error::Result<Calendar> {
        let tz = self.zone.time_zone();
        let (a, b) = (tz.to_datetime(first).date(), tz.to_datetime(last).date());
        self.clone().with_dates(a.min(b), a.max(b))
    }

    /// The hour of the week of the instant `at` in the calendar's time
    /// zone: 0 for Monday 00:00-01:00 local time, ..., 167 for Sunday
    /// 23:00-24:00.
    pub fn hour_of_week(&self, at: Timestamp) -> usize {
        let local = self.zone.time_zone().to_datetime(at);
        let day = local.date().weekday().to_monday_zero_offset() as usize;
        24 * day + local.hour() as usize
    }

    /// The instant of a dated calendar's origin: `start` at 00:00 local
    /// time, read with the offset the clock uses.
    fn origin(&self, start: Date) -> Timestamp {
        let offset = self.local_offset(start, 0.0);
        let utc = start.at(0, 0, 0, 0).to_zoned(TimeZone::UTC).map(|z| z.timestamp());
        utc.ok()
            .and_then(|t| t.checked_sub(jiff::SignedDuration::from_secs(offset)).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_repeating_week_reads_instants_in_local_time() {
        let office = Calendar::office().with_time_zone("America/New_York").unwrap();
        // Monday 2024-03-11 09:00 New York (summer time, UTC-4) is an opening.
        let t = office.time_of(ts("2024-03-11T13:00:00Z"));
        assert_eq!(t % 168.0, 9.0);
        assert!(office.is_open(t));
        // The Monday before, 09:00 New York was 14:00 UTC (winter time): a
        // week of local time is 167 real hours across the change.
        let before = office.time_of(ts("2024-03-04T14:00:00Z"));
        assert_eq!(t - before, 168.0);
        assert_eq!(office.timestamp_at(t), Some(ts("2024-03-11T13:00:00Z")));
        assert_eq!(office.timestamp_at(before), Some(ts("2024-03-04T14:00:00Z")));
    }

    #[test]
    fn a_dated_calendar_reads_instants_in_real_hours() {
        let march = Calendar::office()
            .with_time_zone("Europe/Berlin")
            .unwrap()
            .with_dates(date(2025, 3, 24), date(2025, 4, 6))
            .unwrap();
        // Origin: Monday 24 March 00:00 Berlin = 23:00 UTC the day before.
        assert_eq!(march.time_of(ts("2025-03-23T23:00:00Z")), 0.0);
        // Monday 31 March 09:00 summer time (07:00 UTC): 7 * 24 - 1 + 9 real hours.
        let monday = march.time_of(ts("2025-03-31T07:00:00Z"));
        assert_eq!(monday, 7.0 * 24.0 - 1.0 + 9.0);
        assert!(march.is_open(monday) && !march.is_open(monday - 0.5));
        assert_eq!(march.timestamp_at(monday), Some(ts("2025-03-31T07:00:00Z")));
        assert_eq!(march.timestamp_at(f64::NAN), None);
        // Sunday 30 March 02:00 UTC is 04:00 summer time in Berlin.
        assert_eq!(march.hour_of_week(ts("2025-03-30T02:00:00Z")), 6 * 24 + 4);
        assert_eq!(march.timestamp_at(1e20), None);
    }
}
