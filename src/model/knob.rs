//! Knobs: the inputs of a scenario, by name: what a what-if turns and what
//! an uncertain input draws.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::Neglect;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// An input of a scenario that a what-if varies, by its name in files and
/// on the command line (`"follow-up-mean"`, ...).
///
/// Each knob sets one number; [`Knob::apply`] changes it in every segment
/// (or in one) and keeps everything else, shape included:
///
/// | knob | the number | unit |
/// |---|---|---|
/// | `follow-up-mean` | the mean delay to first follow-up, the delay stretched in time ([`DelayDistribution::with_mean`](crate::DelayDistribution::with_mean)) | hours |
/// | `shelf-life` | the decay curve's time scale ([`DecayCurve::with_time_scale`](crate::DecayCurve::with_time_scale)) | hours |
/// | `never-followed-up` | the probability that an SQL is never followed up (replaces a count) | probability |
/// | `sla` | the follow-up deadline (only the SLA-met metric changes) | hours |
/// | `close-rate` | the close rate | probability |
/// | `deal-value` | the mean deal value, its spread kept ([`DealValue::with_mean`](crate::DealValue::with_mean)) | money |
/// | `reps` | the size of the `[sales]` team, through the capacity model (`Knob::apply_to_team` in [`crate::whatif`]) | reps |
///
/// # Example
///
/// ```
/// use lead_decay::whatif::Knob;
/// use lead_decay::{Expected, Scenario};
///
/// let knob: Knob = "never-followed-up".parse()?;
/// let nobody_dropped = knob.apply(&Scenario::reference(), 0.0, None)?;
/// assert_eq!(Expected::of(&nobody_dropped).customers, 10.0);
/// assert!(Knob::CloseRate.apply(&Scenario::reference(), 0.3, Some("nope")).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Knob {
    /// The mean delay to first follow-up (hours).
    FollowUpMean,
    /// The decay curve's time scale (hours).
    ShelfLife,
    /// The probability that an SQL is never followed up.
    NeverFollowedUp,
    /// The follow-up deadline (hours).
    Sla,
    /// Sales reps of the `[sales]` team.
    Reps,
    /// The close rate.
    CloseRate,
    /// The mean deal value.
    DealValue,
}

/// What a knob's values measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KnobUnit {
    /// A duration in hours.
    Hours,
    /// A probability in [0, 1].
    Probability,
    /// A whole number of sales reps.
    Reps,
    /// An amount in the scenario's currency.
    Money,
}

impl KnobUnit {
    /// The unit's name as in reports: `hours`, `probability`, `reps`, `money`.
    pub const fn name(self) -> &'static str {
        match self {
            KnobUnit::Hours => "hours",
            KnobUnit::Probability => "probability",
            KnobUnit::Reps => "reps",
            KnobUnit::Money => "money",
        }
    }
}

impl Knob {
    /// Every knob, in documentation order.
    pub const ALL: [Knob; 7] = [
        Knob::FollowUpMean,
        Knob::ShelfLife,
        Knob::NeverFollowedUp,
        Knob::Sla,
        Knob::Reps,
        Knob::CloseRate,
        Knob::DealValue,
    ];

    /// The knob's name in files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Knob::FollowUpMean => "follow-up-mean",
            Knob::ShelfLife => "shelf-life",
            Knob::NeverFollowedUp => "never-followed-up",
            Knob::Sla => "sla",
            Knob::Reps => "reps",
            Knob::CloseRate => "close-rate",
            Knob::DealValue => "deal-value",
        }
    }

    /// The knob in words, for tables and charts (`"mean follow-up delay"`).
    pub const fn label(self) -> &'static str {
        match self {
            Knob::FollowUpMean => "mean follow-up delay",
            Knob::ShelfLife => "shelf life",
            Knob::NeverFollowedUp => "never followed up",
            Knob::Sla => "SLA",
            Knob::Reps => "sales reps",
            Knob::CloseRate => "close rate",
            Knob::DealValue => "mean deal value",
        }
    }

    /// What the knob's values measure.
    pub const fn unit(self) -> KnobUnit {
        match self {
            Knob::FollowUpMean | Knob::ShelfLife | Knob::Sla => KnobUnit::Hours,
            Knob::NeverFollowedUp | Knob::CloseRate => KnobUnit::Probability,
            Knob::Reps => KnobUnit::Reps,
            Knob::DealValue => KnobUnit::Money,
        }
    }

    /// Whether the knob turns the `[sales]` team rather than the segments:
    /// use [`Knob::apply_to_team`] and the capacity model for it.
    pub const fn is_team(self) -> bool {
        match self {
            Knob::Reps => true,
            Knob::FollowUpMean
            | Knob::ShelfLife
            | Knob::NeverFollowedUp
            | Knob::Sla
            | Knob::CloseRate
            | Knob::DealValue => false,
        }
    }

    /// `value` as people write it: a duration with its unit (`2d`), a
    /// number otherwise.
    pub fn label_of(self, value: f64) -> String {
        match self.unit() {
            KnobUnit::Hours => match Hours::new(value) {
                Ok(hours) => hours.to_string(),
                Err(_) => format!("{value}"),
            },
            KnobUnit::Probability | KnobUnit::Reps | KnobUnit::Money => format!("{value}"),
        }
    }

    /// `scenario` with this knob set to `value` in every segment, or only
    /// in the segment called `segment`.
    ///
    /// # Errors
    ///
    /// An unknown segment (field `segment`, listing the scenario's), the
    /// team knob `reps` (see [`Knob::apply_to_team`]), or a value the
    /// segment rejects: the error names the field
    /// (`segments[0].decay.shelf_life`), the knob and the segment.
    pub fn apply(self, scenario: &Scenario, value: f64, segment: Option<&str>) -> Result<Scenario> {
        if let Some(name) = segment {
            check_segment(scenario, name)?;
        }
        if self.is_team() {
            return Err(team_knob(self));
        }
        scenario.map_segments(|s| {
            if segment.is_some_and(|name| name != s.name()) {
                return Ok(s.clone());
            }
            self.apply_to_segment(s, value)
                .map_err(|e| self.name_in(e, value, s.name()))
        })
    }

    fn apply_to_segment(self, s: &Segment, value: f64) -> Result<Segment> {
        let follow_up = s.follow_up();
        match self {
            Knob::FollowUpMean => {
                let mean = Hours::new(value).map_err(|e| e.within("follow_up.mean"))?;
                let delay = follow_up
                    .delay()
                    .clone()
                    .with_mean(mean)
                    .map_err(|e| e.within("follow_up"))?;
                s.clone().with_follow_up(follow_up.clone().with_delay(delay))
            }
            Knob::ShelfLife => {
                let scale = Hours::new(value).map_err(|e| e.within("decay"))?;
                Ok(s.clone().with_decay(
                    s.decay()
                        .clone()
                        .with_time_scale(scale)
                        .map_err(|e| e.within("decay"))?,
                ))
            }
            Knob::NeverFollowedUp => s
                .clone()
                .with_follow_up(follow_up.clone().with_neglect(Neglect::Probability(value))?),
            Knob::Sla => {
                let sla = Hours::new(value).map_err(|e| e.within("sla"))?;
                s.clone().with_follow_up(follow_up.clone().with_sla(sla))
            }
            Knob::CloseRate => s.clone().with_close_rate(value),
            Knob::DealValue => Ok(s.clone().with_deal_value(
                s.deal_value()
                    .clone()
                    .with_mean(value)
                    .map_err(|e| e.within("deal_value"))?,
            )),
            Knob::Reps => Err(team_knob(self)),
        }
    }

    /// Adds the knob, its value and the segment to what an error expected.
    fn name_in(self, error: Error, value: f64, segment: &str) -> Error {
        match error {
            Error::InvalidValue {
                field,
                value: got,
                expected,
            } => Error::InvalidValue {
                field,
                value: got,
                expected: format!(
                    "{expected} (setting {} to {} in segment {segment:?})",
                    self.name(),
                    self.label_of(value)
                ),
            },
            other => other,
        }
    }
}

/// The error for a team knob given to [`Knob::apply`].
fn team_knob(knob: Knob) -> Error {
    Error::invalid(
        "knob",
        knob.name(),
        "a knob of the segments: `reps` varies the [sales] team (Knob::apply_to_team)",
    )
}

/// Checks that `scenario` has a segment called `name`.
pub(crate) fn check_segment(scenario: &Scenario, name: &str) -> Result<()> {
    if scenario.segments().iter().any(|s| s.name() == name) {
        return Ok(());
    }
    Err(Error::invalid(
        "segment",
        format!("{name:?}"),
        format!(
            "a segment of the scenario ({})",
            scenario
                .segments()
                .iter()
                .map(|s| format!("{:?}", s.name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

impl fmt::Display for Knob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Knob {
    type Err = Error;

    /// The knob called `name` (`"shelf-life"`); the error lists the knobs.
    fn from_str(name: &str) -> Result<Knob> {
        Knob::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            Error::invalid(
                "knob",
                format!("{name:?}"),
                format!("a knob ({})", Knob::ALL.map(|k| format!("{:?}", k.name())).join(", ")),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Expected;

    fn reference() -> Scenario {
        Scenario::reference()
    }

    #[test]
    fn every_knob_has_a_name_that_parses_back() {
        for knob in Knob::ALL {
            assert_eq!(knob.name().parse::<Knob>().unwrap(), knob);
            let json = serde_json::to_string(&knob).unwrap();
            assert_eq!(json, format!("{:?}", knob.name()));
        }
        let e = "speed".parse::<Knob>().unwrap_err().to_string();
        assert!(e.contains("\"follow-up-mean\"") && e.contains("\"speed\""), "{e}");
    }

    #[test]
    fn each_segment_knob_moves_the_expectation_it_should() {
        let base = Expected::of(&reference());
        let at = |knob: Knob, value: f64| Expected::of(&knob.apply(&reference(), value, None).unwrap());
        assert_eq!(at(Knob::CloseRate, 0.5).customers, 2.0 * base.customers);
        assert_eq!(at(Knob::DealValue, 50_000.0).revenue, 0.5 * base.revenue);
        assert_eq!(at(Knob::NeverFollowedUp, 0.0).customers, 10.0);
        // The reference case works its SQLs at once: a slower follow-up costs more.
        assert!(at(Knob::FollowUpMean, 240.0).customers < base.customers);
        assert!(at(Knob::Sla, 24.0).sla_met.is_some());
        let short = at(Knob::FollowUpMean, 240.0).customers;
        let shelf = Knob::ShelfLife.apply(
            &Knob::FollowUpMean.apply(&reference(), 240.0, None).unwrap(),
            1440.0,
            None,
        );
        assert!(Expected::of(&shelf.unwrap()).customers > short);
    }

    #[test]
    fn a_bad_value_names_the_field_the_knob_and_the_segment() {
        let e = Knob::ShelfLife.apply(&reference(), 0.0, None).unwrap_err().to_string();
        assert!(e.starts_with("segments[0].decay.shelf_life:"), "{e}");
        assert!(e.contains("shelf-life") && e.contains("\"industrial\""), "{e}");
        let e = Knob::CloseRate.apply(&reference(), 1.5, None).unwrap_err().to_string();
        assert!(
            e.starts_with("segments[0].close_rate:") && e.contains("close-rate"),
            "{e}"
        );
        for knob in [Knob::FollowUpMean, Knob::Sla, Knob::NeverFollowedUp, Knob::DealValue] {
            let e = knob.apply(&reference(), f64::NAN, None).unwrap_err().to_string();
            assert!(e.starts_with("segments[0]") && e.contains(knob.name()), "{knob}: {e}");
        }
        let e = Knob::Sla
            .apply(&reference(), 1.0, Some("nope"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("segment: ") && e.contains("\"nope\""), "{e}");
        assert!(Knob::Reps.apply(&reference(), 3.0, None).is_err());
    }
}
