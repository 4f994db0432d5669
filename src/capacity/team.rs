//! The sales team: reps, working time, queue discipline, triage, SLA.

use super::discipline::Discipline;
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::duration::Hours;

/// A sales team: `reps` people who take the next waiting item whenever they
/// are free and at work.
///
/// Defaults: round-the-clock hours, [`Discipline::Fifo`], no triage, no SLA.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::{Discipline, SalesTeam};
/// use lead_decay::Hours;
///
/// let team = SalesTeam::new(3)?
///     .with_discipline(Discipline::Priority)
///     .with_triage(true)
///     .with_sla(Hours::new(1.0)?);
/// assert_eq!(team.reps(), 3);
/// assert!(SalesTeam::new(0).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SalesTeam {
    reps: u32,
    hours: Calendar,
    discipline: Discipline,
    triage: bool,
    sla: Option<Hours>,
}

/// The largest team the model accepts (a bound that keeps the rep heap small).
pub const MAX_REPS: u32 = 100_000;

impl SalesTeam {
    /// A team of `reps` reps.
    ///
    /// # Errors
    ///
    /// Zero reps, or more than [`MAX_REPS`] (field `reps`).
    pub fn new(reps: u32) -> Result<SalesTeam> {
        if reps == 0 || reps > MAX_REPS {
            return Err(Error::invalid(
                "reps",
                reps,
                format!("at least 1 and at most {MAX_REPS} reps"),
            ));
        }
        Ok(SalesTeam {
            reps,
            hours: Calendar::always(),
            discipline: Discipline::Fifo,
            triage: false,
            sla: None,
        })
    }

    /// The same team with `reps` reps (takes `self`, like every `with_*`;
    /// clone a borrowed team first: `model.team().clone().with_reps(n)`).
    ///
    /// # Errors
    ///
    /// As [`SalesTeam::new`].
    pub fn with_reps(self, reps: u32) -> Result<SalesTeam> {
        Ok(SalesTeam {
            reps: SalesTeam::new(reps)?.reps,
            ..self
        })
    }

    /// The same team working the hours of the calendar `hours` (time 0 of
    /// the queue is the calendar's origin: Monday 00:00 for a repeating
    /// week).
    #[must_use]
    pub fn with_hours(mut self, hours: Calendar) -> SalesTeam {
        self.hours = hours;
        self
    }

    /// The same team with another queue discipline.
    #[must_use]
    pub fn with_discipline(mut self, discipline: Discipline) -> SalesTeam {
        self.discipline = discipline;
        self
    }

    /// With triage, an SQL whose age has reached its decay curve's shelf
    /// life (`f = 0` from then on) is dropped from the queue unworked instead
    /// of taking a rep's time. Curves that never reach 0 are never dropped.
    #[must_use]
    pub fn with_triage(mut self, triage: bool) -> SalesTeam {
        self.triage = triage;
        self
    }

    /// The agreed follow-up deadline.
    #[must_use]
    pub fn with_sla(mut self, sla: Hours) -> SalesTeam {
        self.sla = Some(sla);
        self
    }

    /// Reps.
    pub fn reps(&self) -> u32 {
        self.reps
    }

    /// The team's working calendar.
    pub fn hours(&self) -> &Calendar {
        &self.hours
    }

    /// Queue discipline.
    pub fn discipline(&self) -> Discipline {
        self.discipline
    }

    /// Whether items past their shelf life are dropped.
    pub fn triage(&self) -> bool {
        self.triage
    }

    /// The SLA, if agreed.
    pub fn sla(&self) -> Option<Hours> {
        self.sla
    }
}
