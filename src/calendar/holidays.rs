//! Holidays and business days: dates on which a team that would work does
//! not, and the counting of working dates in a month or a date range.

use jiff::civil::Date;

use super::week::Week;
use crate::error::{Error, Result};

/// Parses the `i`-th holiday, `"2025-12-25"`.
///
/// # Errors
///
/// Anything that is not an ISO date (field `holidays[i]`).
pub(crate) fn parse_date(field: &str, text: &str) -> Result<Date> {
    text.trim().parse::<Date>().map_err(|_| {
        Error::invalid(
            field,
            format!("{text:?}"),
            "a date written YYYY-MM-DD, e.g. \"2025-12-25\"",
        )
    })
}

/// Sorted, without repeats.
pub(crate) fn normalise(holidays: &[Date]) -> Vec<Date> {
    let mut sorted = holidays.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

/// Whether `date` is a business day: its weekday has working hours and it
/// is not in `holidays` (sorted).
pub(crate) fn is_business_day(week: &Week, holidays: &[Date], date: Date) -> bool {
    week.is_working_day(weekday(date)) && holidays.binary_search(&date).is_err()
}

/// Monday = 0.
pub(crate) fn weekday(date: Date) -> u8 {
    // 0..=6 by construction.
    date.weekday().to_monday_zero_offset() as u8
}

/// Business days from `first` to `last`, both included (0 if `last` is
/// before `first`).
pub(crate) fn count(week: &Week, holidays: &[Date], first: Date, last: Date) -> u32 {
    if last < first {
        return 0;
    }
    // Whole weeks hold the same working weekdays; only holidays differ.
    let days = i64::from(first.until(last).map(|s| s.get_days()).unwrap_or(0)) + 1;
    let per_week = (0..7).filter(|&d| week.is_working_day(d)).count() as i64;
    let whole = days / 7;
    let mut n = whole * per_week;
    let mut d = first;
    for _ in 0..days % 7 {
        if week.is_working_day(weekday(d)) {
            n += 1;
        }
        d = match d.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    let lo = holidays.partition_point(|h| *h < first);
    let hi = holidays.partition_point(|h| *h <= last);
    let closed = holidays[lo..hi]
        .iter()
        .filter(|h| week.is_working_day(weekday(**h)))
        .count() as i64;
    // At most 7 * 20,000 years: fits.
    (n - closed) as u32
}

/// The first and last day of month `month` of `year`.
///
/// # Errors
///
/// A month outside 1-12 (field `month`) or a year outside -9999..=9999
/// (field `year`).
pub(crate) fn month_bounds(year: i16, month: i8) -> Result<(Date, Date)> {
    if !(1..=12).contains(&month) {
        return Err(Error::invalid("month", month, "a month in 1..=12"));
    }
    let first = Date::new(year, month, 1).map_err(|_| Error::invalid("year", year, "a year in -9999..=9999"))?;
    Ok((first, first.last_of_month()))
}
