//! The plan per business day of a month or a date range (`[plan.business_days]`,
//! the `plan` example's `--month`, `--from`/`--to`, `--holidays`,
//! `--working-days` and `--compare-month`), and the daily lift a period with
//! fewer business days needs to hold the same total.
//!
//! ```toml
//! [plan.business_days]
//! month = "2021-02"                   # or from = "2021-02-01" with to = "2021-02-28"
//! holidays = ["2021-02-15"]           # days off; dates outside the period are ignored
//! working_days = ["mon-fri"]          # day names or ranges; default: [calendar]'s, else Monday to Friday
//! compare_month = "2021-03"           # the lift needed against this month
//! ```
//!
//! Business days are counted by the crate's one [`Calendar`]: a date is a
//! business day when its weekday is a working day and it is not a holiday.
//! In a scenario file with a top-level `[calendar]`, that is the team's
//! week: its working days count when the table names none, and its
//! holidays count beside the table's ([`BusinessDaysInputs::plan_on`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DAY_NAMES, parse_day};
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::plan::business_days::daily_lift_to_hold_total;
use crate::plan::funnel::StageCount;
use crate::plan::stage::Stage;

/// The `[plan.business_days]` table: the period the plan's goal is for (a
/// month, or a date range), the working week and holidays that decide its
/// business days, and optionally a month to compare with. All dates are
/// written `YYYY-MM-DD`, months `YYYY-MM`.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{BusinessDaysInputs, PlanInputs};
///
/// let inputs: PlanInputs = toml::from_str(r#"
///     revenue_goal = 20_000_000
///     deal_value = 50_000
///     close_rate = 0.25
///     mql_to_sql = 0.2
///     [business_days]
///     month = "2021-02"          # 20 business days
///     compare_month = "2021-03"  # 23 business days
/// "#).unwrap();
/// let days = inputs.report()?.business_days.unwrap();
/// assert_eq!(days.period.business_days, 20);
/// assert_eq!(days.stages[0].per_business_day, 80.0); // 1,600 SQLs over 20 days
/// let compare = days.compare.unwrap();
/// assert_eq!(compare.period.business_days, 23);
/// assert!((compare.daily_lift - 0.15).abs() < 1e-12); // +15 % a day to hold the total
///
/// let typo: BusinessDaysInputs = toml::from_str(r#"month = "2021-13""#).unwrap();
/// assert_eq!(typo.calendar_and_period().unwrap_err().field(), Some("month"));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BusinessDaysInputs {
    /// The month planned, `"YYYY-MM"`; exclusive with `from` and `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// The first date planned, `"YYYY-MM-DD"` (with `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The last date planned, `"YYYY-MM-DD"`, included (with `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Days off, `"YYYY-MM-DD"`; a list may cover the whole year (dates
    /// outside the periods count nothing, holidays on days off remove
    /// nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
    /// Working days: names (`"mon"` ... `"sun"`) or ranges (`"mon-fri"`);
    /// default Monday to Friday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<Vec<String>>,
    /// A month to compare with, `"YYYY-MM"` (typically the previous one):
    /// its business days, the plan per business day in it, and the daily
    /// lift the planned period needs to hold the same total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_month: Option<String>,
}

/// A period and its business days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct BusinessPeriod {
    /// `"2021-02"` for a month, `"2021-02-01 to 2021-02-28"` for a range.
    pub label: String,
    /// The first date, `YYYY-MM-DD`.
    pub first: String,
    /// The last date (included), `YYYY-MM-DD`.
    pub last: String,
    /// Business days from `first` to `last`.
    pub business_days: u32,
    /// The holidays that removed a business day in the period.
    pub holidays: Vec<String>,
}

/// One stage's planned count over the period and per business day.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DailyCount {
    /// The stage.
    pub stage: Stage,
    /// The count planned for the whole period.
    pub count: u64,
    /// `count / business days`.
    pub per_business_day: f64,
}

/// The comparison month of a [`BusinessDayPlan`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct BusinessDayComparison {
    /// The month compared with.
    pub period: BusinessPeriod,
    /// The same totals per business day of that month.
    pub stages: Vec<DailyCount>,
    /// The per-business-day lift the planned period needs to hold the
    /// total of the compared month: `its business days / the period's - 1`
    /// (0.15 for 20 against 23 business days; negative when the period has
    /// more business days).
    pub daily_lift: f64,
}

/// The plan per business day: every stage's planned count divided by the
/// period's business days, and the comparison with another month.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct BusinessDayPlan {
    /// The period planned.
    pub period: BusinessPeriod,
    /// The working days, `"mon"` ... `"sun"`.
    pub working_days: Vec<String>,
    /// Deals per business day.
    pub deals_per_business_day: f64,
    /// Every stage from SQL upwards, as in the report.
    pub stages: Vec<DailyCount>,
    /// The comparison month (omitted without `compare_month`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<BusinessDayComparison>,
}

/// The period planned, as dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    label: String,
    first: Date,
    last: Date,
}

impl BusinessDaysInputs {
    /// Validates the table into the calendar that counts business days and
    /// the first and last date of the period. Field names are the table's
    /// (`month`, `holidays[1]`, ...); [`PlanInputs`](crate::plan::PlanInputs)
    /// reports them under `business_days.`.
    ///
    /// # Errors
    ///
    /// A month that is not `YYYY-MM` (`month`, `compare_month`), a date
    /// that is not `YYYY-MM-DD` (`from`, `to`, `holidays[i]`), `to` before
    /// `from` (`to`), `from` without `to` or the reverse, a month together
    /// with a range, no period at all (`month`), an unknown day or a range
    /// that runs backwards (`working_days[i]`), no working day
    /// (`working_days`).
    pub fn calendar_and_period(&self) -> Result<(Calendar, Date, Date)> {
        let (calendar, period) = self.validated(None)?;
        Ok((calendar, period.first, period.last))
    }

    /// The plan per business day of an expected-value plan's `stages` and
    /// `deals` (a `PlanReport`'s, its total with personas), and the
    /// comparison with `compare_month`.
    ///
    /// # Errors
    ///
    /// As [`BusinessDaysInputs::calendar_and_period`]; a period without
    /// business days (field `holidays`, or `working_days` when no holiday
    /// falls in it).
    pub fn plan(&self, stages: &[StageCount], deals: u64) -> Result<BusinessDayPlan> {
        self.plan_on(stages, deals, None)
    }

    /// As [`BusinessDaysInputs::plan`], for a team working `team` (a
    /// scenario file's top-level `[calendar]`): its working days count when
    /// this section names none (`working_days`), and its holidays are days
    /// off beside the section's own. Without `team`, as `plan`.
    ///
    /// ```
    /// use lead_decay::plan::BusinessDaysInputs;
    /// use lead_decay::Calendar;
    ///
    /// let march: BusinessDaysInputs = toml::from_str(r#"month = "2021-03""#).unwrap();
    /// let six_days = Calendar::from_toml_str(r#"
    ///     [calendar]
    ///     working_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    ///     working_hours = ["9h", "17h"]
    ///     holidays = ["2021-03-01"]
    /// "#)?;
    /// let plan = march.plan_on(&[], 0, Some(&six_days))?;
    /// assert_eq!(plan.period.business_days, 27 - 1); // 27 working days, one holiday
    /// assert_eq!(march.plan(&[], 0)?.period.business_days, 23);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`BusinessDaysInputs::plan`].
    pub fn plan_on(&self, stages: &[StageCount], deals: u64, team: Option<&Calendar>) -> Result<BusinessDayPlan> {
        let (calendar, period) = self.validated(team)?;
        let counted = count(&calendar, &period);
        if counted.business_days == 0 {
            let field = if counted.holidays.is_empty() {
                "working_days"
            } else {
                "holidays"
            };
            return Err(Error::invalid(
                field,
                format!("{:?}", self.holidays_or_days(field)),
                format!(
                    "at least one business day in {} (holidays and working days leave none)",
                    period.label
                ),
            ));
        }
        let per_day = |days: u32| {
            stages
                .iter()
                .map(|s| DailyCount {
                    stage: s.stage,
                    count: s.count,
                    per_business_day: s.count as f64 / f64::from(days),
                })
                .collect::<Vec<_>>()
        };
        let compare = match &self.compare_month {
            None => None,
            Some(month) => {
                let other = count(&calendar, &parse_month("compare_month", month)?);
                let daily_lift = daily_lift_to_hold_total(other.business_days, counted.business_days)?;
                let stages = if other.business_days > 0 {
                    per_day(other.business_days)
                } else {
                    Vec::new()
                };
                Some(BusinessDayComparison {
                    period: other,
                    stages,
                    daily_lift,
                })
            }
        };
        let working_days = (0..7u8)
            .filter(|&d| calendar.week().is_working_day(d))
            .map(|d| DAY_NAMES[usize::from(d)].to_owned())
            .collect();
        Ok(BusinessDayPlan {
            deals_per_business_day: deals as f64 / f64::from(counted.business_days),
            stages: per_day(counted.business_days),
            period: counted,
            working_days,
            compare,
        })
    }

    fn validated(&self, team: Option<&Calendar>) -> Result<(Calendar, Period)> {
        let period = self.period()?;
        let days = match team {
            Some(team) if self.working_days.is_none() => (0..7).filter(|&d| team.week().is_working_day(d)).collect(),
            _ => self.working_days()?,
        };
        let mut holidays = self
            .holidays
            .iter()
            .enumerate()
            .map(|(i, h)| parse_date(&format!("holidays[{i}]"), h))
            .collect::<Result<Vec<_>>>()?;
        holidays.extend(team.map_or(&[][..], Calendar::holidays));
        let calendar = Calendar::weekly(&days, Hours::ZERO, Hours::trusted(24.0))
            .map_err(|_| Error::invalid("working_days", "[]", "at least one working day"))?
            .with_holidays(&holidays);
        Ok((calendar, period))
    }

    fn period(&self) -> Result<Period> {
        match (&self.month, &self.from, &self.to) {
            (Some(month), None, None) => parse_month("month", month),
            (Some(_), Some(from), _) => Err(Error::invalid(
                "from",
                format!("{from:?}"),
                "either month or from and to, not both",
            )),
            (Some(_), None, Some(to)) => Err(Error::invalid(
                "to",
                format!("{to:?}"),
                "either month or from and to, not both",
            )),
            (None, Some(from), Some(to)) => {
                let (first, last) = (parse_date("from", from)?, parse_date("to", to)?);
                if last < first {
                    return Err(Error::invalid("to", last, format!("a date on or after from ({first})")));
                }
                Ok(Period {
                    label: format!("{first} to {last}"),
                    first,
                    last,
                })
            }
            (None, Some(from), None) => Err(Error::invalid(
                "to",
                "nothing",
                format!("the last date of the period, with from ({from})"),
            )),
            (None, None, Some(to)) => Err(Error::invalid(
                "from",
                "nothing",
                format!("the first date of the period, with to ({to})"),
            )),
            (None, None, None) => Err(Error::invalid(
                "month",
                "nothing",
                "the period planned: a month (\"2025-02\") or from and to",
            )),
        }
    }

    /// Working days, Monday = 0, sorted; Monday to Friday by default.
    fn working_days(&self) -> Result<Vec<u8>> {
        let Some(names) = &self.working_days else {
            return Ok(vec![0, 1, 2, 3, 4]);
        };
        let mut days = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let field = format!("working_days[{i}]");
            let day = |n: &str| parse_day(n).map_err(|e| e.at_field(&field));
            match name.split_once('-') {
                None => days.push(day(name)?),
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    if b < a {
                        return Err(Error::invalid(
                            field,
                            format!("{name:?}"),
                            "a range from an earlier to a later day of the week, e.g. \"mon-fri\"",
                        ));
                    }
                    days.extend(a..=b);
                }
            }
        }
        days.sort_unstable();
        days.dedup();
        Ok(days)
    }

    fn holidays_or_days(&self, field: &str) -> Vec<String> {
        if field == "holidays" {
            self.holidays.clone()
        } else {
            self.working_days.clone().unwrap_or_default()
        }
    }
}

impl BusinessDayPlan {
    /// The count planned per business day for `stage`, if the plan has it.
    pub fn per_business_day(&self, stage: Stage) -> Option<f64> {
        self.stages
            .iter()
            .find(|s| s.stage == stage)
            .map(|s| s.per_business_day)
    }
}

fn count(calendar: &Calendar, period: &Period) -> BusinessPeriod {
    let holidays = calendar
        .holidays()
        .iter()
        .filter(|h| (period.first..=period.last).contains(*h))
        .filter(|h| {
            calendar
                .week()
                .is_working_day(h.weekday().to_monday_zero_offset() as u8)
        })
        .map(ToString::to_string)
        .collect();
    BusinessPeriod {
        label: period.label.clone(),
        first: period.first.to_string(),
        last: period.last.to_string(),
        business_days: calendar.business_days(period.first, period.last),
        holidays,
    }
}

fn parse_date(field: &str, text: &str) -> Result<Date> {
    text.trim().parse::<Date>().map_err(|_| {
        Error::invalid(
            field,
            format!("{text:?}"),
            "a date written YYYY-MM-DD, e.g. \"2025-02-17\"",
        )
    })
}

fn parse_month(field: &str, text: &str) -> Result<Period> {
    let bad = || Error::invalid(field, format!("{text:?}"), "a month written YYYY-MM, e.g. \"2025-02\"");
    let trimmed = text.trim();
    // `YYYY-MM` and nothing else: "2025-02-03" is a date, not a month.
    if trimmed.matches('-').count() != 1 {
        return Err(bad());
    }
    let first: Date = format!("{trimmed}-01").parse().map_err(|_| bad())?;
    Ok(Period {
        label: trimmed.to_owned(),
        first,
        last: first.last_of_month(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(toml: &str) -> BusinessDaysInputs {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn a_month_is_its_first_to_its_last_day() {
        let (calendar, first, last) = inputs(r#"month = "2024-02""#).calendar_and_period().unwrap();
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(calendar.business_days(first, last), 21);
    }

    #[test]
    fn working_day_ranges_expand_and_backward_ranges_are_rejected() {
        let six = inputs(
            r#"month = "2021-03"
working_days = ["mon-fri", "sat"]"#,
        );
        let (calendar, first, last) = six.calendar_and_period().unwrap();
        assert_eq!(calendar.business_days(first, last), 27);
        let backwards = inputs(
            r#"month = "2021-03"
working_days = ["mon", "fri-mon"]"#,
        );
        let err = backwards.calendar_and_period().unwrap_err();
        assert_eq!(err.field(), Some("working_days[1]"));
        assert!(err.to_string().contains("\"fri-mon\""), "{err}");
        let unknown = inputs(
            r#"month = "2021-03"
working_days = ["mon-fry"]"#,
        );
        assert_eq!(
            unknown.calendar_and_period().unwrap_err().field(),
            Some("working_days[0]")
        );
        let none = inputs(
            r#"month = "2021-03"
working_days = []"#,
        );
        assert_eq!(none.calendar_and_period().unwrap_err().field(), Some("working_days"));
    }

    #[test]
    fn a_period_is_a_month_or_a_range_never_both_nor_half() {
        for (toml, field) in [
            ("", "month"),
            (r#"from = "2021-02-01""#, "to"),
            (r#"to = "2021-02-01""#, "from"),
            (
                r#"month = "2021-02"
from = "2021-02-01"
to = "2021-02-28""#,
                "from",
            ),
            (r#"month = "2021-02-01""#, "month"),
            (r#"month = "2021""#, "month"),
            (
                r#"from = "2021-02-01"
to = "2021-02-30""#,
                "to",
            ),
        ] {
            assert_eq!(
                inputs(toml).calendar_and_period().unwrap_err().field(),
                Some(field),
                "{toml}"
            );
        }
    }
}
