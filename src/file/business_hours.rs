//! Business hours in scenario files: the top-level `[calendar]`, and a
//! segment's calendar override, `arrivals`, the follow-up delay's
//! `clock = "working"`, `sla_clock` and `auto_response`.
//!
//! A segment runs on the team's clock when it says so: with `clock =
//! "working"` in its `follow_up` table, `sla_clock = "working"`, an
//! `arrivals` key, an `auto_response` or its own `calendar`. Its calendar is then its own
//! `calendar` if it has one, else the top-level `[calendar]`. A segment
//! that says none of these has no business hours (round the clock, as
//! before calendars existed), whatever `[calendar]` holds.

use serde::{Deserialize, Serialize};

use super::params::scalar_or_table;
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::{Error, Result};
use crate::model::business_hours::{Arrivals, BusinessHours, DelayClock};
use crate::model::duration::Hours;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// `arrivals`: `"always"`, `"working-hours"`, or `{ hour_of_week = [...] }`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum ArrivalsSpec {
    Named(String),
    Table(HourOfWeekSpec),
}

/// `{ hour_of_week = [168 weights] }`, Monday 00:00 first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HourOfWeekSpec {
    hour_of_week: Vec<f64>,
}

scalar_or_table!(
    ArrivalsSpec,
    "when SQLs arrive: \"always\", \"working-hours\", or a table { hour_of_week = [168 weights from Monday 00:00] }",
    string(String) => Named,
    table => Table(HourOfWeekSpec)
);

/// A segment's business-hours keys as written, gathered from its table.
#[derive(Debug, Default)]
pub(super) struct SegmentClocks {
    /// The segment's own `calendar` (overrides `[calendar]`).
    pub(super) calendar: Option<CalendarSpec>,
    /// `arrivals`.
    pub(super) arrivals: Option<ArrivalsSpec>,
    /// `follow_up.clock`.
    pub(super) delay_clock: Option<String>,
    /// `sla_clock`.
    pub(super) sla_clock: Option<String>,
    /// `auto_response`: how soon SQLs arriving off hours hear back.
    pub(super) auto_response: Option<Hours>,
    /// Whether the segment has an `sla` (`sla_clock` needs one).
    pub(super) has_sla: bool,
}

const WORKING: &str = "working";
const CALENDAR: &str = "calendar";

fn parse_clock(field: &str, text: &str) -> Result<DelayClock> {
    match text {
        WORKING => Ok(DelayClock::Working),
        CALENDAR => Ok(DelayClock::Calendar),
        other => Err(Error::invalid(
            field,
            format!("{other:?}"),
            "\"working\" (the team's working hours) or \"calendar\" (real elapsed hours, the default)",
        )),
    }
}

fn clock_name(clock: DelayClock) -> Option<String> {
    (clock == DelayClock::Working).then(|| WORKING.to_owned())
}

impl SegmentClocks {
    /// The segment's business hours: `None` when it sets none of the keys.
    ///
    /// # Errors
    ///
    /// Each naming its key within the segment: a bad `calendar`, an
    /// unknown `arrivals` name or a bad hour-of-week table, a clock other
    /// than `"working"` / `"calendar"` (`follow_up.clock`, `sla_clock`),
    /// `sla_clock` without `sla`, a working clock or `arrivals` with no
    /// calendar at all (neither the segment's nor a top-level
    /// `[calendar]`; `"calendar"` clocks are the default and need none), and what
    /// [`BusinessHours::new`] rejects.
    pub(super) fn into_business_hours(self, top: Option<&Calendar>) -> Result<Option<BusinessHours>> {
        let delay_clock = match &self.delay_clock {
            Some(text) => Some(parse_clock("follow_up.clock", text)?),
            None => None,
        };
        let sla_clock = match &self.sla_clock {
            Some(text) => Some(parse_clock("sla_clock", text)?),
            None => None,
        };
        if sla_clock.is_some() && !self.has_sla {
            return Err(Error::Parse {
                field: "sla_clock".into(),
                message: "given without `sla`: the clock of which deadline?".into(),
            });
        }
        let arrivals = match self.arrivals {
            None => None,
            Some(ArrivalsSpec::Named(name)) => Some(match name.as_str() {
                "always" => Arrivals::Always,
                "working-hours" => Arrivals::WorkingHours,
                other => {
                    return Err(Error::invalid(
                        "arrivals",
                        format!("{other:?}"),
                        "\"always\", \"working-hours\", or { hour_of_week = [168 weights] }",
                    ));
                }
            }),
            Some(ArrivalsSpec::Table(table)) => Some(Arrivals::HourOfWeek(table.hour_of_week)),
        };
        let own = match &self.calendar {
            Some(spec) => Some(spec.into_calendar().map_err(|e| e.within("calendar"))?),
            None => None,
        };
        // `"calendar"` is the default clock: saying so asks for nothing.
        let working = |clock: Option<DelayClock>| clock.filter(|c| *c == DelayClock::Working);
        let (delay_clock, sla_clock) = (working(delay_clock), working(sla_clock));
        if own.is_none()
            && delay_clock.is_none()
            && sla_clock.is_none()
            && arrivals.is_none()
            && self.auto_response.is_none()
        {
            return Ok(None);
        }
        let Some(calendar) = own.or_else(|| top.cloned()) else {
            let field = [
                ("follow_up.clock", delay_clock.is_some()),
                ("sla_clock", sla_clock.is_some()),
                ("arrivals", arrivals.is_some()),
                ("auto_response", self.auto_response.is_some()),
            ]
            .into_iter()
            .find_map(|(key, given)| given.then_some(key))
            .unwrap_or("calendar");
            return Err(Error::Parse {
                field: field.into(),
                message: "given without a calendar: add a top-level [calendar] section (the team's working week) \
                          or a `calendar` in this segment"
                    .into(),
            });
        };
        BusinessHours::new(
            calendar,
            arrivals.unwrap_or(Arrivals::Always),
            delay_clock.unwrap_or(DelayClock::Calendar),
            sla_clock.unwrap_or(DelayClock::Calendar),
        )
        .map(|hours| match self.auto_response {
            Some(within) => Some(hours.with_auto_response(within)),
            None => Some(hours),
        })
    }

    /// The keys that read back as `segment`'s business hours, given the
    /// file's top-level calendar `top`.
    pub(super) fn from_segment(segment: &Segment, top: Option<&Calendar>) -> SegmentClocks {
        let Some(hours) = segment.business_hours() else {
            return SegmentClocks::default();
        };
        let mut clocks = SegmentClocks {
            calendar: (Some(hours.calendar()) != top).then(|| CalendarSpec::from_calendar(hours.calendar())),
            arrivals: match hours.arrivals() {
                Arrivals::Always => None,
                Arrivals::WorkingHours => Some(ArrivalsSpec::Named("working-hours".into())),
                Arrivals::HourOfWeek(weights) => Some(ArrivalsSpec::Table(HourOfWeekSpec {
                    hour_of_week: weights.clone(),
                })),
            },
            delay_clock: clock_name(hours.delay_clock()),
            sla_clock: clock_name(hours.sla_clock()),
            auto_response: hours.auto_response(),
            has_sla: segment.follow_up().sla().is_some(),
        };
        if clocks.calendar.is_none()
            && clocks.arrivals.is_none()
            && clocks.delay_clock.is_none()
            && clocks.sla_clock.is_none()
            && clocks.auto_response.is_none()
        {
            // Business hours that change nothing still read back as
            // business hours: say when the SQLs arrive.
            clocks.arrivals = Some(ArrivalsSpec::Named("always".into()));
        }
        clocks
    }
}

/// The calendar a scenario file writes as its top-level `[calendar]`: the
/// first segment's with business hours (a [`Scenario`] has no team
/// calendar of its own; an [`Analysis`](super::Analysis) writes only its
/// own).
pub(super) fn shared_calendar(scenario: &Scenario) -> Option<Calendar> {
    scenario
        .segments()
        .iter()
        .find_map(Segment::business_hours)
        .map(|hours| hours.calendar().clone())
}
