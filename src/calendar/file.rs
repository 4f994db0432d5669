//! The `[calendar]` section of scenario files, as written, and its
//! validation into a [`Calendar`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Calendar;
use super::holidays::parse_date;
use super::week::{DAY_NAMES, Week, parse_day};
use crate::error::{Error, Result};
use crate::model::duration::Hours;

/// The `[calendar]` section as written (see the [module docs](super) for an
/// example). Every key is optional; an empty section is
/// [`Calendar::always`].
///
/// # Example
///
/// ```
/// use lead_decay::calendar::CalendarSpec;
///
/// let spec: CalendarSpec = toml::from_str(r#"
///     time_zone = "Europe/Berlin"
///     working_days = ["mon", "tue", "wed", "thu", "fri"]
///     working_hours = ["9h", "17h"]
///     holidays = ["2025-12-25", "2025-12-26"]
/// "#).unwrap();
/// let calendar = spec.into_calendar()?;
/// assert_eq!(calendar.weekly_hours(), 40.0);
/// assert_eq!(calendar.time_zone(), "Europe/Berlin");
///
/// let late: CalendarSpec = toml::from_str(r#"working_hours = ["17h", "9h"]"#).unwrap();
/// assert_eq!(late.into_calendar().unwrap_err().field(), Some("working_hours"));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CalendarSpec {
    /// IANA time zone name; default `"UTC"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Day names (`"mon"` ... `"sun"`); default: every day, or the days of a
    /// per-day `working_hours` table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<Vec<String>>,
    /// One set of shifts for every working day, or a table by day name;
    /// default round the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<WorkingHoursSpec>,
    /// Days off, `"YYYY-MM-DD"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
    /// First date of arrivals, `"YYYY-MM-DD"` (with `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Last date of arrivals, `"YYYY-MM-DD"` (with `start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// `working_hours`: the same shifts every working day, or a table by day
/// name (`{ mon = ["9h", "17h"], sat = ["9h", "13h"] }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum WorkingHoursSpec {
    /// The same shifts on each working day.
    Every(ShiftsSpec),
    /// Shifts by day name; days not listed are off.
    ByDay(BTreeMap<String, ShiftsSpec>),
}

/// One day's shifts: `["9h", "17h"]`, or several,
/// `[["8h", "12h"], ["14h", "18h"]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ShiftsSpec {
    /// One shift, `[opens, closes]`.
    One((Hours, Hours)),
    /// Several shifts in order.
    Several(Vec<(Hours, Hours)>),
}

impl ShiftsSpec {
    pub(crate) fn shifts(&self) -> Vec<(Hours, Hours)> {
        match self {
            ShiftsSpec::One(shift) => vec![*shift],
            ShiftsSpec::Several(shifts) => shifts.clone(),
        }
    }

    pub(crate) fn from_shifts(shifts: &[(f64, f64)]) -> ShiftsSpec {
        let hours: Vec<(Hours, Hours)> = shifts
            .iter()
            .map(|&(a, b)| (Hours::trusted(a), Hours::trusted(b)))
            .collect();
        match hours.as_slice() {
            [one] => ShiftsSpec::One(*one),
            _ => ShiftsSpec::Several(hours),
        }
    }
}

impl CalendarSpec {
    /// Validates the section into a [`Calendar`].
    ///
    /// # Errors
    ///
    /// Each names its key: an unknown day (`working_days[i]`), working hours
    /// that end before they start (`working_hours`, or
    /// `working_hours.sat` in a table), days listed in `working_days` but
    /// not in the table or the other way round (`working_days`), a calendar
    /// with no working hours (`working_days` or `working_hours`), an unknown
    /// time zone (`time_zone`), a holiday that is not a date
    /// (`holidays[i]`), a bad or missing `start` / `end`.
    pub fn into_calendar(&self) -> Result<Calendar> {
        let days = match &self.working_days {
            Some(names) => Some(
                names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| parse_day(n).map_err(|e| e.at_field(&format!("working_days[{i}]"))))
                    .collect::<Result<Vec<u8>>>()?,
            ),
            None => None,
        };
        let week = match (&self.working_hours, days) {
            (None, None) => Week::round_the_clock(),
            (None, Some(days)) => Week::uniform(&days, Hours::ZERO, Hours::trusted(24.0))?,
            (Some(WorkingHoursSpec::Every(shifts)), days) => {
                let days = days.unwrap_or_else(|| (0..7).collect());
                if days.is_empty() {
                    return Err(Error::invalid("working_days", "[]", "at least one working day"));
                }
                let shifts = shifts.shifts();
                // Checked once, reported against `working_hours` itself.
                Week::closed().with_day(0, &shifts).map_err(|e| {
                    let field = e
                        .field()
                        .unwrap_or_default()
                        .replacen("working_hours.mon", "working_hours", 1);
                    e.at_field(&field)
                })?;
                let mut week = Week::closed();
                for day in days {
                    week = week.with_day(day, &shifts)?;
                }
                week
            }
            (Some(WorkingHoursSpec::ByDay(table)), days) => {
                let week = Week::try_from(table.clone())?;
                if let Some(mut days) = days {
                    days.sort_unstable();
                    days.dedup();
                    let listed: Vec<u8> = (0..7).filter(|&d| week.is_working_day(d)).collect();
                    if days != listed {
                        return Err(Error::invalid(
                            "working_days",
                            format!("{:?}", self.working_days.clone().unwrap_or_default()),
                            "exactly the days of the working_hours table (or leave working_days out)",
                        ));
                    }
                }
                week
            }
        };
        let mut calendar = Calendar::from_week(week)?;
        if let Some(zone) = &self.time_zone {
            calendar = calendar.with_time_zone(zone)?;
        }
        let holidays = self
            .holidays
            .iter()
            .enumerate()
            .map(|(i, text)| parse_date(&format!("holidays[{i}]"), text))
            .collect::<Result<Vec<_>>>()?;
        calendar = calendar.with_holidays(&holidays);
        match (&self.start, &self.end) {
            (None, None) => Ok(calendar),
            (Some(start), Some(end)) => calendar.with_dates(parse_date("start", start)?, parse_date("end", end)?),
            (Some(_), None) => Err(Error::Parse {
                field: "end".into(),
                message: "missing: `start` needs `end`".into(),
            }),
            (None, Some(_)) => Err(Error::Parse {
                field: "start".into(),
                message: "missing: `end` needs `start`".into(),
            }),
        }
    }

    /// The section that reads back as `calendar`: one set of shifts when
    /// every working day has the same, else a table by day.
    pub fn from_calendar(calendar: &Calendar) -> CalendarSpec {
        let week = calendar.week();
        let working: Vec<u8> = (0..7).filter(|&d| week.is_working_day(d)).collect();
        let same = working.windows(2).all(|w| week.day(w[0]) == week.day(w[1]));
        let (working_days, working_hours) = if week.is_round_the_clock() {
            (None, None)
        } else if same {
            (
                Some(working.iter().map(|&d| DAY_NAMES[usize::from(d)].to_owned()).collect()),
                working
                    .first()
                    .map(|&d| WorkingHoursSpec::Every(ShiftsSpec::from_shifts(week.day(d)))),
            )
        } else {
            let table = working
                .iter()
                .map(|&d| {
                    (
                        DAY_NAMES[usize::from(d)].to_owned(),
                        ShiftsSpec::from_shifts(week.day(d)),
                    )
                })
                .collect();
            (None, Some(WorkingHoursSpec::ByDay(table)))
        };
        let zone = calendar.time_zone();
        CalendarSpec {
            time_zone: (zone != "UTC").then(|| zone.to_owned()),
            working_days,
            working_hours,
            holidays: calendar.holidays().iter().map(ToString::to_string).collect(),
            start: calendar.dates().map(|(s, _)| s.to_string()),
            end: calendar.dates().map(|(_, e)| e.to_string()),
        }
    }
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = Error;

    fn try_from(spec: CalendarSpec) -> Result<Calendar> {
        spec.into_calendar()
    }
}

impl From<Calendar> for CalendarSpec {
    fn from(calendar: Calendar) -> CalendarSpec {
        CalendarSpec::from_calendar(&calendar)
    }
}

impl TryFrom<BTreeMap<String, ShiftsSpec>> for Week {
    type Error = Error;

    fn try_from(table: BTreeMap<String, ShiftsSpec>) -> Result<Week> {
        let mut week = Week::closed();
        for (name, shifts) in table {
            let day = parse_day(&name).map_err(|e| e.at_field(&format!("working_hours.{name}")))?;
            week = week.with_day(day, &shifts.shifts())?;
        }
        Ok(week)
    }
}

impl From<Week> for BTreeMap<String, ShiftsSpec> {
    fn from(week: Week) -> BTreeMap<String, ShiftsSpec> {
        (0..7u8)
            .filter(|&d| week.is_working_day(d))
            .map(|d| {
                (
                    DAY_NAMES[usize::from(d)].to_owned(),
                    ShiftsSpec::from_shifts(week.day(d)),
                )
            })
            .collect()
    }
}

impl Serialize for Week {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        BTreeMap::<String, ShiftsSpec>::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Week {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Week, D::Error> {
        let table = BTreeMap::<String, ShiftsSpec>::deserialize(deserializer)?;
        Week::try_from(table).map_err(serde::de::Error::custom)
    }
}
