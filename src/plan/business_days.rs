//! Business days: months compared per business day, not per calendar month.
//!
//! A month with 20 business days produces fewer leads than one with 23 even
//! when marketing performs the same; comparing leads per business day removes
//! that effect. Business days come from the crate's one [`Calendar`]:
//! Monday to Friday by default, or any working week, minus holidays.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::error::{Error, Result};

/// A calendar month and its business days: Monday to Friday, minus holidays
/// ([`BusinessMonth::new`]), or the working days of any [`Calendar`]
/// ([`BusinessMonth::with_calendar`]).
///
/// # Example
///
/// ```
/// use jiff::civil::date;
/// use lead_decay::plan::BusinessMonth;
///
/// let march = BusinessMonth::new(2021, 3, &[])?;
/// assert_eq!(march.business_days(), 23);
/// let february = BusinessMonth::new(2021, 2, &[date(2021, 2, 15)])?; // Presidents' Day
/// assert_eq!(february.business_days(), 19);
/// assert!(BusinessMonth::new(2021, 3, &[date(2020, 12, 25)]).is_err()); // wrong year
///
/// // A team that also works Saturdays.
/// let six_days = lead_decay::Calendar::weekly(&[0, 1, 2, 3, 4, 5], "9h".parse()?, "13h".parse()?)?;
/// assert_eq!(BusinessMonth::with_calendar(2021, 3, &six_days)?.business_days(), 27);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BusinessMonth {
    year: i16,
    month: i8,
    business_days: u32,
}

impl BusinessMonth {
    /// Month `month` (1-12) of `year`, without the weekdays in `holidays`.
    /// The holiday list may cover the whole year: dates in other months are
    /// ignored, holidays on weekends remove nothing.
    ///
    /// # Errors
    ///
    /// A month outside 1-12 or a year outside -9999..=9999 (fields `month`,
    /// `year`), or a holiday in another year (field `holidays[i]`): a list
    /// for the wrong year is almost certainly a mistake.
    pub fn new(year: i16, month: i8, holidays: &[Date]) -> Result<BusinessMonth> {
        let calendar = Calendar::office();
        // Month and year first, so that their errors win over the holidays'.
        calendar.business_days_in_month(year, month)?;
        if let Some((i, h)) = holidays.iter().enumerate().find(|(_, h)| h.year() != year) {
            return Err(Error::invalid(
                format!("holidays[{i}]"),
                h,
                format!("a date in {year}, the month's year"),
            ));
        }
        BusinessMonth::with_calendar(year, month, &calendar.with_holidays(holidays))
    }

    /// Month `month` (1-12) of `year`, counting the business days of
    /// `calendar`: dates whose weekday has working hours and that are not
    /// among its holidays (holidays in any year are accepted here).
    ///
    /// # Errors
    ///
    /// A month outside 1-12 or a year outside -9999..=9999 (fields `month`,
    /// `year`).
    pub fn with_calendar(year: i16, month: i8, calendar: &Calendar) -> Result<BusinessMonth> {
        Ok(BusinessMonth {
            year,
            month,
            business_days: calendar.business_days_in_month(year, month)?,
        })
    }

    /// The year.
    pub fn year(&self) -> i16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(&self) -> i8 {
        self.month
    }

    /// Business days in the month.
    pub fn business_days(&self) -> u32 {
        self.business_days
    }

    /// `leads / business_days` (`None` if holidays took every business day).
    pub fn per_business_day(&self, leads: u64) -> Option<f64> {
        (self.business_days > 0).then(|| leads as f64 / f64::from(self.business_days))
    }

    /// The per-day lift needed in this month to hold the monthly total of
    /// `previous`: `previous days / these days - 1` (`None` if this month has
    /// no business days).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::BusinessMonth;
    ///
    /// let march = BusinessMonth::new(2021, 3, &[])?; // 23 business days
    /// let february = BusinessMonth::new(2021, 2, &[])?; // 20
    /// assert!((february.lift_to_hold_total_of(&march).unwrap() - 0.15).abs() < 1e-12);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn lift_to_hold_total_of(&self, previous: &BusinessMonth) -> Option<f64> {
        daily_lift_to_hold_total(previous.business_days, self.business_days).ok()
    }
}

/// The per-business-day lift needed to hold a monthly total when a month of
/// `from_days` business days is followed by one of `to_days`:
/// `from_days / to_days - 1`. 23 -> 20 business days needs +15 %.
///
/// # Errors
///
/// `to_days` of zero (field `to_days`).
///
/// # Example
///
/// ```
/// use lead_decay::plan::daily_lift_to_hold_total;
///
/// assert!((daily_lift_to_hold_total(23, 20)? - 0.15).abs() < 1e-12);
/// # Ok::<(), lead_decay::Error>(())
/// ```
pub fn daily_lift_to_hold_total(from_days: u32, to_days: u32) -> Result<f64> {
    if to_days == 0 {
        return Err(Error::invalid("to_days", to_days, "a number of business days >= 1"));
    }
    Ok(f64::from(from_days) / f64::from(to_days) - 1.0)
}

/// Leads counted in one month.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{BusinessMonth, MonthlyLeads};
///
/// let march = MonthlyLeads::new(BusinessMonth::new(2021, 3, &[])?, 460); // 20 a day
/// let april = MonthlyLeads::new(BusinessMonth::new(2021, 4, &[])?, 462); // 22 days: 21 a day
/// assert_eq!(march.per_business_day(), Some(20.0));
/// assert!((april.change_from(&march).unwrap() - 0.05).abs() < 1e-12);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthlyLeads {
    month: BusinessMonth,
    leads: u64,
}

impl MonthlyLeads {
    /// `leads` counted in `month`.
    pub fn new(month: BusinessMonth, leads: u64) -> MonthlyLeads {
        MonthlyLeads { month, leads }
    }

    /// The month.
    pub fn month(&self) -> BusinessMonth {
        self.month
    }

    /// The leads counted.
    pub fn leads(&self) -> u64 {
        self.leads
    }

    /// Leads per business day.
    pub fn per_business_day(&self) -> Option<f64> {
        self.month.per_business_day(self.leads)
    }

    /// Month-over-month change on a per-business-day basis:
    /// `this per day / previous per day - 1` (`None` when either month has no
    /// business days or the previous month had no leads).
    pub fn change_from(&self, previous: &MonthlyLeads) -> Option<f64> {
        let now = self.per_business_day()?;
        let before = previous.per_business_day()?;
        (before > 0.0).then(|| now / before - 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weekend_holidays_remove_nothing() {
        // 2022-12-25 is a Sunday; 2022-12-26 a Monday.
        let december =
            BusinessMonth::new(2022, 12, &[date(2022, 12, 25), date(2022, 12, 26), date(2022, 1, 3)]).unwrap();
        assert_eq!(december.business_days(), 22 - 1);
    }

    #[test]
    fn calendar_counts_match_a_weekday_by_weekday_count_for_31_years() {
        use jiff::civil::Weekday;
        for year in 2000..=2030i16 {
            let holidays = [
                date(year, 1, 1),
                date(year, 7, 4),
                date(year, 12, 25),
                date(year, 12, 26),
            ];
            for month in 1..=12i8 {
                let first = date(year, month, 1);
                let brute = (1..=first.days_in_month())
                    .map(|day| date(year, month, day))
                    .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
                    .filter(|d| !holidays.contains(d))
                    .count() as u32;
                assert_eq!(
                    BusinessMonth::new(year, month, &holidays).unwrap().business_days(),
                    brute
                );
            }
        }
    }

    #[test]
    fn bad_months_and_years_name_their_field() {
        assert_eq!(BusinessMonth::new(2021, 13, &[]).unwrap_err().field(), Some("month"));
        assert_eq!(BusinessMonth::new(i16::MAX, 1, &[]).unwrap_err().field(), Some("year"));
        let err = BusinessMonth::new(2021, 3, &[date(2021, 1, 1), date(2022, 1, 1)]).unwrap_err();
        assert_eq!(err.field(), Some("holidays[1]"));
        assert_eq!(
            err.to_string(),
            "holidays[1]: expected a date in 2021, the month's year, got 2022-01-01"
        );
    }
}
