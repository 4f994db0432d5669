//! Where the loss happens: a segment's revenue lost by the hour of the
//! week at which its SQLs arrive, computed exactly, and the window of the
//! week where the loss concentrates.
//!
//! For a segment on business hours, an SQL arriving at `a` waits `C(a, W)`
//! calendar hours ([`crate::model::business_hours`]), so its expected
//! revenue depends on `a`. For each hour `j` of the week (Monday 00:00 local
//! time first) with arrival probability `s_j`:
//!
//! ```text
//! revenue_ideal_j = N · p · v · s_j
//! revenue_j       = N_worked · p · v · ∫_{hour j} g(a) E_W[f(C(a, W))] da     g: the arrival density
//! revenue_lost_j  = revenue_ideal_j − revenue_j
//! ```
//!
//! with the same exact quadrature as [`super::business`] (every hour
//! boundary is a break point), so the hours' losses sum to the segment's
//! [`Expected`](super::Expected) revenue lost to within 1e-9. Neglect counts
//! in every hour alike.
//!
//! The **worst window** ([`ArrivalLoss::worst_window`]) is a run of
//! consecutive hours (possibly across days and the end of the week) whose
//! SQLs each lose at least the segment's average share `L` of their value
//! (hours without arrivals neither end nor start a run): of those runs, the
//! one with the largest loss beyond the average, `Σ_{j in run}
//! (revenue_lost_j − L · revenue_ideal_j)`. It weighs how much worse than
//! average an hour is by how many SQLs arrive in it, so it names where the
//! money goes, not a quiet hour that happens to be bad. When every day
//! looks alike (a team that works seven days), one of the equal runs is
//! named: the sentence then speaks for every day.
//!
//! ```
//! use lead_decay::exact::arrival_loss::loss_by_arrival_hour;
//! use lead_decay::model::business_hours::{Arrivals, BusinessHours, DelayClock};
//! use lead_decay::{Calendar, DealValue, DecayCurve, DelayDistribution, Hours, Segment};
//!
//! // A one-day shelf life, a Monday-to-Friday 9-17 team answering within a working hour.
//! let team = BusinessHours::new(Calendar::office(), Arrivals::Always, DelayClock::Working, DelayClock::Calendar)?;
//! let consumer = Segment::builder("consumer")
//!     .sqls(1_000)
//!     .close_rate(0.1)
//!     .deal_value(DealValue::fixed(400.0)?)
//!     .decay(DecayCurve::consumer())
//!     .delay(DelayDistribution::fixed(Hours::new(1.0)?)?)
//!     .build()?
//!     .with_business_hours(Some(team));
//! let loss = loss_by_arrival_hour(&consumer)?;
//! let saturday_noon = &loss.hours[5 * 24 + 12];
//! assert_eq!(saturday_noon.loss_share(), Some(1.0)); // answered Monday 10:00, 46 h later
//! let tuesday_10am = &loss.hours[24 + 10];
//! assert!((tuesday_10am.warm_probability.unwrap() - 23.0 / 24.0).abs() < 1e-12); // answered in 1 h
//! let worst = loss.worst_window().unwrap();
//! assert_eq!(
//!     worst.to_string(),
//!     "SQLs that arrive between Friday 4 pm and Sunday 10 pm lose 94 % of their value; \
//!      they are 32 % of all SQLs and 62 % of the revenue lost"
//! );
//! # Ok::<(), lead_decay::Error>(())
//! ```

// `!(x > 0.0)` is deliberate: it is true for NaN as well.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::fmt;

use serde::{Deserialize, Serialize};

use super::business::{decay_kinks, expect_pieces};
use super::warm::warm_probability;
use crate::error::{Error, Result};
use crate::model::business_hours::slot_bounds;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// The days of the week in words, Monday first.
pub const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const HOURS_A_WEEK: usize = 168;

/// One hour of the week: the SQLs that arrive in it and what they lose.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HourLoss {
    /// The day, 0 = Monday ... 6 = Sunday.
    pub day: u8,
    /// The hour of the day, 0-23, local time of the calendar: the SQLs that
    /// arrive from `hour`:00 to `hour + 1`:00.
    pub hour: u8,
    /// The share of the segment's SQLs that arrive in this hour.
    pub share_of_sqls: f64,
    /// The probability that a worked SQL arriving in this hour is still
    /// warm when first worked, `E[f(C) | a in this hour]`; `None` when no
    /// SQL arrives in it.
    pub warm_probability: Option<f64>,
    /// Expected revenue of these SQLs had each been worked at once.
    pub revenue_ideal: f64,
    /// Expected revenue these SQLs lose to neglect and delay.
    pub revenue_lost: f64,
}

impl HourLoss {
    /// The share of their value these SQLs lose, `revenue_lost /
    /// revenue_ideal`; `None` when none arrive (or they are worth nothing).
    pub fn loss_share(&self) -> Option<f64> {
        (self.revenue_ideal > 0.0).then(|| (self.revenue_lost / self.revenue_ideal).clamp(0.0, 1.0))
    }
}

/// A segment's expected revenue lost by the hour of the week its SQLs
/// arrive (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArrivalLoss {
    /// The segment's name.
    pub segment: String,
    /// The 168 hours of the week, Monday 00:00-01:00 first.
    pub hours: Vec<HourLoss>,
    /// The segment's expected revenue had every SQL been worked at once.
    pub revenue_ideal: f64,
    /// The segment's expected revenue lost (the sum over the hours).
    pub revenue_lost: f64,
}

/// A run of consecutive hours of the week and what its SQLs lose: the
/// worst window of [`ArrivalLoss::worst_window`]. Its `Display` is the
/// verdict sentence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LossWindow {
    /// The first hour, counted from Monday 00:00 (0-167).
    pub start: usize,
    /// The number of hours (1-167); the window may run past Sunday
    /// midnight into Monday.
    pub hours: usize,
    /// The share of the segment's SQLs that arrive in the window.
    pub share_of_sqls: f64,
    /// The share of their value these SQLs lose.
    pub loss_share: f64,
    /// Their expected revenue lost.
    pub revenue_lost: f64,
    /// Their share of the segment's expected revenue lost.
    pub share_of_loss: f64,
}

/// The revenue lost by hour of arrival of every segment of `scenario` whose
/// follow-up runs on business hours that change its result (a working-time
/// delay on a calendar that is not round the clock), in segment order.
///
/// # Errors
///
/// As [`loss_by_arrival_hour`].
pub fn loss_by_arrival(scenario: &Scenario) -> Result<Vec<ArrivalLoss>> {
    scenario
        .segments()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.business_hours().is_some_and(|h| !h.is_neutral()))
        .map(|(i, s)| loss_by_arrival_hour(s).map_err(|e| e.within(&format!("segments[{i}]"))))
        .collect()
}

/// The expected revenue lost by the hour of the week at which `segment`'s
/// SQLs arrive, exact (relative error below 1e-9).
///
/// # Errors
///
/// A segment without business hours (`calendar`). On a calendar with
/// dates, each local hour of each date counts towards its hour of the week
/// (so the weeks of the dates are summed, holidays and daylight-saving
/// nights included).
pub fn loss_by_arrival_hour(segment: &Segment) -> Result<ArrivalLoss> {
    let Some(hours) = segment.business_hours() else {
        return Err(Error::invalid(
            "calendar",
            "none",
            "a segment with business hours (a calendar and a clock) to split its loss by arrival time",
        ));
    };
    let (bounds, end) = slot_bounds(hours.calendar());
    // The slot of each stretch [bounds[i], bounds[i + 1]) (the last ends at `end`).
    let stretch_end = |i: usize| bounds.get(i + 1).map_or(end, |b| b.0);
    let mut share = [0.0; HOURS_A_WEEK];
    for piece in hours.pieces() {
        let density = piece.probability / (piece.end - piece.start);
        for (i, &(from, slot)) in bounds.iter().enumerate() {
            let overlap = piece.end.min(stretch_end(i)) - piece.start.max(from);
            if overlap > 0.0 {
                share[slot] += density * overlap;
            }
        }
    }
    let (decay, delay) = (segment.decay(), segment.follow_up().delay());
    let mut warm = [0.0; HOURS_A_WEEK];
    if hours.is_neutral() {
        let w = warm_probability(decay, delay);
        for (slot, s) in warm.iter_mut().zip(&share) {
            *slot = s * w;
        }
    } else {
        let edges: Vec<f64> = bounds.iter().map(|b| b.0).chain([end]).collect();
        expect_pieces(
            hours,
            delay,
            |c| decay.evaluate(c),
            &decay_kinks(decay),
            None,
            &edges,
            |lo, _, part| {
                let i = bounds.partition_point(|b| b.0 <= lo).max(1) - 1;
                warm[bounds[i].1] += part;
            },
        );
    }
    let (n, p, value) = (segment.sqls() as f64, segment.close_rate(), segment.deal_value().mean());
    let worked = segment.worked_sqls();
    let hours: Vec<HourLoss> = (0..HOURS_A_WEEK)
        .map(|j| {
            let s = share[j];
            let w = warm[j].clamp(0.0, s);
            let ideal = n * p * value * s;
            HourLoss {
                day: (j / 24) as u8,
                hour: (j % 24) as u8,
                share_of_sqls: s,
                warm_probability: (s > 0.0).then(|| (w / s).clamp(0.0, 1.0)),
                revenue_ideal: ideal,
                revenue_lost: (ideal - worked * p * value * w).max(0.0),
            }
        })
        .collect();
    Ok(ArrivalLoss {
        segment: segment.name().to_owned(),
        revenue_ideal: hours.iter().map(|h| h.revenue_ideal).sum(),
        revenue_lost: hours.iter().map(|h| h.revenue_lost).sum(),
        hours,
    })
}

impl ArrivalLoss {
    /// The segment's overall share of value lost.
    pub fn loss_share(&self) -> f64 {
        if self.revenue_ideal > 0.0 {
            (self.revenue_lost / self.revenue_ideal).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The window of the week where the loss concentrates (see the [module
    /// docs](self)); `None` when no hour with arrivals loses less than the
    /// average, or the excess is below 1e-9 of the revenue lost (the share
    /// lost does not depend on the arrival hour).
    pub fn worst_window(&self) -> Option<LossWindow> {
        let average = self.loss_share();
        let excess: Vec<f64> = self
            .hours
            .iter()
            .map(|h| h.revenue_lost - average * h.revenue_ideal)
            .collect();
        let arrives = |j: usize| self.hours[j % HOURS_A_WEEK].share_of_sqls > 0.0;
        // Runs of hours at or above the average; an hour without arrivals
        // neither ends a run nor starts one. Scan the cycle from an hour
        // below the average, so no run is cut at Monday 00:00.
        let below = |j: usize| arrives(j) && excess[j % HOURS_A_WEEK] < 0.0;
        let first = (0..HOURS_A_WEEK).find(|&j| below(j))?;
        let (mut best, mut best_sum) = ((0, 0), 0.0);
        let mut run: Option<(usize, f64)> = None;
        for offset in 1..=HOURS_A_WEEK {
            let j = first + offset;
            if below(j) {
                if let Some((start, sum)) = run.take()
                    && sum > best_sum
                {
                    (best, best_sum) = ((start % HOURS_A_WEEK, j - start), sum);
                }
            } else {
                let (_, sum) = run.get_or_insert((j, 0.0));
                *sum += excess[j % HOURS_A_WEEK];
            }
        }
        if !(best_sum > 1e-9 * self.revenue_lost) {
            return None;
        }
        let (mut start, mut len) = best;
        while len > 1 && !arrives(start) {
            start = (start + 1) % HOURS_A_WEEK;
            len -= 1;
        }
        while len > 1 && !arrives(start + len - 1) {
            len -= 1;
        }
        let inside = || (start..start + len).map(|j| &self.hours[j % HOURS_A_WEEK]);
        let ideal: f64 = inside().map(|h| h.revenue_ideal).sum();
        let lost: f64 = inside().map(|h| h.revenue_lost).sum();
        Some(LossWindow {
            start,
            hours: len,
            share_of_sqls: inside().map(|h| h.share_of_sqls).sum::<f64>().min(1.0),
            loss_share: if ideal > 0.0 {
                (lost / ideal).clamp(0.0, 1.0)
            } else {
                0.0
            },
            revenue_lost: lost,
            share_of_loss: (lost / self.revenue_lost).clamp(0.0, 1.0),
        })
    }
}

impl LossWindow {
    /// When the window's SQLs arrive, in words: `"Friday after 3 pm"`,
    /// `"on Saturday"`, `"between Friday 5 pm and Monday 9 am"`.
    pub fn when(&self) -> String {
        let day = |slot: usize| DAYS[(slot / 24) % 7];
        let (first, end) = (self.start, self.start + self.hours);
        let (from, to) = (first % 24, end - 24 * (first / 24));
        if to <= 24 {
            return match (from, to) {
                (0, 24) => format!("on {}", day(first)),
                (_, 24) => format!("{} after {}", day(first), clock(from)),
                (0, _) => format!("{} before {}", day(first), clock(to)),
                _ => format!("{} between {} and {}", day(first), clock(from), clock(to)),
            };
        }
        let start = match from {
            0 => format!("the start of {}", day(first)),
            h => format!("{} {}", day(first), clock(h)),
        };
        let stop = match end % 24 {
            0 => format!("the end of {}", day(end - 1)),
            h => format!("{} {}", day(end), clock(h)),
        };
        format!("between {start} and {stop}")
    }
}

/// `9 am`, `noon`, `5 pm`, `midnight`.
fn clock(hour: usize) -> String {
    match hour % 24 {
        0 => "midnight".to_owned(),
        12 => "noon".to_owned(),
        h if h < 12 => format!("{h} am"),
        h => format!("{} pm", h - 12),
    }
}

/// A share as a whole percentage, with one decimal where rounding would
/// say 0 or 100 of a share that is neither.
fn percent(x: f64) -> String {
    let p = 100.0 * x;
    if p > 0.0 && p < 0.5 {
        format!("{:.1} %", (10.0 * p).ceil() / 10.0)
    } else if p > 99.5 && p < 100.0 {
        format!("{:.1} %", (10.0 * p).floor() / 10.0)
    } else {
        format!("{p:.0} %")
    }
}

/// The verdict: "SQLs that arrive Friday after 3 pm lose 41 % of their
/// value; they are 9 % of all SQLs and 20 % of the revenue lost".
impl fmt::Display for LossWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SQLs that arrive {} lose {} of their value; they are {} of all SQLs and {} of the revenue lost",
            self.when(),
            percent(self.loss_share),
            percent(self.share_of_sqls),
            percent(self.share_of_loss)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: usize, hours: usize) -> String {
        LossWindow {
            start,
            hours,
            share_of_sqls: 0.09,
            loss_share: 0.41,
            revenue_lost: 1.0,
            share_of_loss: 0.2,
        }
        .when()
    }

    #[test]
    fn windows_read_as_a_sales_director_says_them() {
        let friday = 4 * 24;
        assert_eq!(window(friday + 15, 9), "Friday after 3 pm");
        assert_eq!(window(5 * 24, 24), "on Saturday");
        assert_eq!(window(0, 9), "Monday before 9 am");
        assert_eq!(window(24 + 12, 5), "Tuesday between noon and 5 pm");
        assert_eq!(window(friday + 17, 64), "between Friday 5 pm and Monday 9 am");
        assert_eq!(window(friday + 17, 55), "between Friday 5 pm and the end of Sunday");
        assert_eq!(window(5 * 24, 33), "between the start of Saturday and Sunday 9 am");
        assert_eq!(window(6 * 24 + 20, 13), "between Sunday 8 pm and Monday 9 am");
    }

    #[test]
    fn the_sentence_gives_whole_percentages_and_never_rounds_to_0_or_100() {
        let sentence = LossWindow {
            start: 4 * 24 + 15,
            hours: 9,
            share_of_sqls: 0.0912,
            loss_share: 0.4089,
            revenue_lost: 1.0,
            share_of_loss: 0.2,
        }
        .to_string();
        assert_eq!(
            sentence,
            "SQLs that arrive Friday after 3 pm lose 41 % of their value; \
             they are 9 % of all SQLs and 20 % of the revenue lost"
        );
        assert_eq!(percent(0.9996), "99.9 %");
        assert_eq!(percent(0.000_01), "0.1 %");
        assert_eq!(percent(0.9991), "99.9 %");
        assert_eq!(percent(0.003), "0.3 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.0), "0 %");
    }
}
