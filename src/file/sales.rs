//! The `[sales]` and `[recycling]` sections: the team and how leads reach
//! it, and what happens to cold SQLs.

use serde::{Deserialize, Serialize};

use super::delays::DelaySpec;
use super::uncertain::Context;
use crate::calendar::{Calendar, CalendarSpec, ShiftsSpec, WorkingHoursSpec};
use crate::capacity::{ArrivalHours, Discipline, InquiryStream, Recycling, SalesSetup, SalesTeam, parse_day};
use crate::error::{Error, Result};
use crate::model::deal_value::DealValue;
use crate::model::duration::Hours;

/// Why `[sales]` refuses uncertain values: the queue has no exact
/// conditional expectation to carry them.
pub(super) const NOT_IN_SALES: &str = "a number: uncertain [sales] inputs are not supported";

/// Why `[recycling]` refuses uncertain values.
pub(super) const NOT_IN_RECYCLING: &str = "a number: uncertain [recycling] inputs are not supported";

/// The `[sales]` section as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SalesSpec {
    reps: u32,
    horizon: Hours,
    handling: DelaySpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discipline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    triage: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    working_days: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    working_hours: Option<(Hours, Hours)>,
    /// The team's hours when `working_days` / `working_hours` cannot say
    /// them (shifts that differ by day, a time zone, holidays, dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    calendar: Option<CalendarSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrivals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    warm_up: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiries_per_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_handling: Option<DelaySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_close_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inquiry_deal_value: Option<f64>,
}

/// The `[recycling]` section as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RecyclingSpec {
    revert_probability: f64,
    return_delay: DelaySpec,
    close_rate: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reactivation_cost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lockout: Option<Hours>,
}

impl SalesSpec {
    /// The setup; the team works on `top` (the file's `[calendar]`) when
    /// the section sets no hours of its own.
    pub(super) fn into_setup(self, top: Option<&Calendar>) -> Result<SalesSetup> {
        let mut team = SalesTeam::new(self.reps)?;
        if let Some(d) = self.discipline {
            team = team.with_discipline(d.parse::<Discipline>()?);
        }
        team = team.with_triage(self.triage.unwrap_or(false));
        if let Some(sla) = self.sla {
            team = team.with_sla(sla);
        }
        if self.working_days.is_some() || self.working_hours.is_some() {
            let days = match &self.working_days {
                Some(names) => names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| parse_day(n).map_err(|e| e.at_field(&format!("working_days[{i}]"))))
                    .collect::<Result<Vec<u8>>>()?,
                None => (0..7).collect(),
            };
            let (opens, closes) = self.working_hours.unwrap_or((Hours::ZERO, Hours::trusted(24.0)));
            if self.calendar.is_some() {
                return Err(Error::Parse {
                    field: "calendar".into(),
                    message: "given with `working_days` / `working_hours`: set the team's hours in one place".into(),
                });
            }
            team = team.with_hours(Calendar::weekly(&days, opens, closes)?);
        }
        if let Some(calendar) = &self.calendar {
            team = team.with_hours(calendar.into_calendar().map_err(|e| e.within("calendar"))?);
        }
        if let Some(top) = top {
            // One team, one calendar: two places to set it would leave the
            // reader guessing which one the queue uses.
            if let Some(key) = [
                ("working_days", self.working_days.is_some()),
                ("working_hours", self.working_hours.is_some()),
                ("calendar", self.calendar.is_some()),
            ]
            .into_iter()
            .find_map(|(key, given)| given.then_some(key))
            {
                return Err(Error::Parse {
                    field: key.into(),
                    message: "given with a top-level [calendar]: set the team's hours in one place ([sales] works on [calendar] when it sets no hours of its own)"
                        .into(),
                });
            }
            team = team.with_hours(top.clone());
        }
        let handling = self
            .handling
            .into_distribution(&mut Context::plain(NOT_IN_SALES))
            .map_err(|e| e.within("handling"))?;
        let mut setup = SalesSetup::new(team, self.horizon, handling)?;
        if !(self.horizon.get() > 0.0) {
            return Err(Error::invalid("horizon", self.horizon, "a horizon > 0"));
        }
        setup.arrivals = match self.arrivals.as_deref() {
            None | Some("always") => ArrivalHours::Always,
            Some("working-hours") => ArrivalHours::WorkingHours,
            Some(other) => {
                return Err(Error::invalid(
                    "arrivals",
                    format!("{other:?}"),
                    "\"always\" or \"working-hours\"",
                ));
            }
        };
        if let Some(warm_up) = self.warm_up {
            if !(warm_up < self.horizon) {
                return Err(Error::invalid("warm_up", warm_up, "a warm-up shorter than the horizon"));
            }
            setup.warm_up = warm_up;
        }
        match (self.inquiries_per_day, self.inquiry_handling) {
            (Some(rate), Some(handling)) => {
                let handling = handling
                    .into_distribution(&mut Context::plain(NOT_IN_SALES))
                    .map_err(|e| e.within("inquiry_handling"))?;
                let value = DealValue::fixed(self.inquiry_deal_value.unwrap_or(0.0))
                    .map_err(|e| e.at_field("inquiry_deal_value"))?;
                setup.inquiries = Some(InquiryStream::new(
                    rate,
                    handling,
                    self.inquiry_close_rate.unwrap_or(0.0),
                    value,
                )?);
            }
            (Some(_), None) => {
                return Err(Error::Parse {
                    field: "inquiry_handling".into(),
                    message: "missing: inquiries_per_day needs `inquiry_handling`".into(),
                });
            }
            (None, handling) => {
                if let Some(extra) = [
                    ("inquiry_handling", handling.is_some()),
                    ("inquiry_close_rate", self.inquiry_close_rate.is_some()),
                    ("inquiry_deal_value", self.inquiry_deal_value.is_some()),
                ]
                .iter()
                .find(|(_, present)| *present)
                {
                    return Err(Error::Parse {
                        field: extra.0.into(),
                        message: "given without `inquiries_per_day`".into(),
                    });
                }
            }
        }
        Ok(setup)
    }

    /// The section that reads back as `setup` in a file whose top-level
    /// `[calendar]` is `top` (equal to the team's hours, or `None`).
    pub(super) fn from_setup(setup: &SalesSetup, top: Option<&Calendar>) -> SalesSpec {
        let team = &setup.team;
        let hours = team.hours();
        let (working_days, working_hours, calendar) = if hours.is_always() || top.is_some() {
            (None, None, None)
        } else {
            // The `[sales]` keys when they can say the team's hours, the
            // full calendar otherwise.
            let spec = CalendarSpec::from_calendar(hours);
            let weekly_only = spec.time_zone.is_none() && spec.holidays.is_empty() && spec.start.is_none();
            match (&spec.working_days, &spec.working_hours) {
                (Some(days), Some(WorkingHoursSpec::Every(ShiftsSpec::One(shift)))) if weekly_only => {
                    (Some(days.clone()), Some(*shift), None)
                }
                _ => (None, None, Some(spec)),
            }
        };
        SalesSpec {
            reps: team.reps(),
            horizon: setup.horizon,
            handling: DelaySpec::from_distribution(&setup.handling),
            discipline: Some(team.discipline().name().to_owned()),
            triage: Some(team.triage()),
            sla: team.sla(),
            working_days,
            working_hours,
            calendar,
            arrivals: Some(
                match setup.arrivals {
                    ArrivalHours::Always => "always",
                    ArrivalHours::WorkingHours => "working-hours",
                }
                .to_owned(),
            ),
            warm_up: (setup.warm_up.get() > 0.0).then_some(setup.warm_up),
            inquiries_per_day: setup.inquiries.as_ref().map(|i| i.rate_per_day()),
            inquiry_handling: setup
                .inquiries
                .as_ref()
                .map(|i| DelaySpec::from_distribution(i.handling())),
            inquiry_close_rate: setup.inquiries.as_ref().map(|i| i.close_rate()),
            inquiry_deal_value: setup.inquiries.as_ref().map(|i| i.deal_value().mean()),
        }
    }
}

impl RecyclingSpec {
    pub(super) fn into_recycling(self) -> Result<Recycling> {
        let delay = self
            .return_delay
            .into_distribution(&mut Context::plain(NOT_IN_RECYCLING))
            .map_err(|e| e.within("return_delay"))?;
        let mut recycling = Recycling::new(
            self.revert_probability,
            delay,
            self.close_rate,
            self.reactivation_cost.unwrap_or(0.0),
        )?;
        if let Some(lockout) = self.lockout {
            recycling = recycling.with_lockout(lockout);
        }
        Ok(recycling)
    }

    pub(super) fn from_recycling(r: &Recycling) -> RecyclingSpec {
        RecyclingSpec {
            revert_probability: r.revert_probability(),
            return_delay: DelaySpec::from_distribution(r.return_delay()),
            close_rate: r.close_rate(),
            reactivation_cost: Some(r.reactivation_cost()),
            lockout: Some(r.lockout()),
        }
    }
}
