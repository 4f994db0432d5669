//! What-ifs on the team's hours: an evening or weekend shift, or the same
//! hours moved, for the segments whose follow-up runs on business hours.
//!
//! A [`Week`] says when the team works; [`with_team_week`] puts every
//! segment on business hours onto it (each keeps its time zone, holidays,
//! dates, arrival profile and clocks), and the exact expectations and
//! [`loss_by_arrival_hour`](crate::exact::arrival_loss::loss_by_arrival_hour)
//! say what it changes.
//!
//! # Example: what an evening or a Saturday shift is worth
//!
//! ```
//! use lead_decay::calendar::Week;
//! use lead_decay::whatif::hours::with_team_week;
//! use lead_decay::{Expected, Hours, Scenario};
//!
//! let base = Scenario::from_toml_str(r#"
//!     name = "consumer-weekend"
//!     [calendar]
//!     working_days = ["mon", "tue", "wed", "thu", "fri"]
//!     working_hours = ["9h", "17h"]
//!     [[segments]]
//!     name = "consumer"
//!     sqls = 2000
//!     close_rate = 0.08
//!     deal_value = 400
//!     decay = "consumer"
//!     follow_up = { dist = "exponential", mean = "2h", clock = "working" }
//! "#)?;
//! let h = |x: f64| Hours::new(x).unwrap();
//! let weekdays = |week: Week, shifts: &[(Hours, Hours)]| {
//!     (0..5).try_fold(week, |week, day| week.with_day(day, shifts))
//! };
//! let evenings = weekdays(Week::office(), &[(h(9.0), h(21.0))])?;      // 9 to 21
//! let saturday = Week::office().with_day(5, &[(h(10.0), h(14.0))])?;  // plus Saturday 10-14
//! let later = weekdays(Week::office(), &[(h(11.0), h(19.0))])?;       // 11 to 19, same 40 h
//! let lost = |week: Option<Week>| -> Result<f64, lead_decay::Error> {
//!     let scenario = match week {
//!         Some(week) => with_team_week(&base, &week)?,
//!         None => base.clone(),
//!     };
//!     Ok(Expected::of(&scenario).revenue_lost)
//! };
//! let now = lost(None)?;
//! assert!(lost(Some(evenings))? < now);
//! assert!(lost(Some(saturday))? < now);
//! // SQLs that arrive evenly round the clock do not care when the 40 hours
//! // start; with more SQLs in the evening (an `arrivals` profile) they would.
//! assert!((lost(Some(later))? - now).abs() < 1e-9 * now);
//! # Ok::<(), lead_decay::Error>(())
//! ```

use crate::calendar::Week;
use crate::error::Result;
use crate::model::scenario::Scenario;

/// `scenario` with every segment that has business hours working `week`
/// instead of its calendar's week (time zone, holidays, dates, arrival
/// profile, clocks and auto-response kept); segments without business
/// hours are unchanged. The knobs `shift-start`, `shift-end`,
/// `working-days` and `auto-response` ([`crate::whatif::Knob`]) make the
/// common edits sweepable.
///
/// # Errors
///
/// A week without working hours (`segments[i].calendar.working_hours`), or
/// what [`BusinessHours::new`](crate::model::business_hours::BusinessHours::new) rejects for the new week.
pub fn with_team_week(scenario: &Scenario, week: &Week) -> Result<Scenario> {
    // `map_segments` puts `segments[i]` in front of the field.
    scenario.map_segments(|segment| {
        let Some(hours) = segment.business_hours() else {
            return Ok(segment.clone());
        };
        Ok(segment
            .clone()
            .with_business_hours(Some(hours.with_week(week.clone())?)))
    })
}
