//! Synthetic exports drawn from a segment with the generative model of the
//! simulation, so fits can be checked against known parameters.

use std::io::Write;

use jiff::{SignedDuration, Timestamp};
use rand::RngExt;

use super::export::SqlRecord;
use super::labels::Outcome;
use super::timestamp::hours_between;
use crate::engine::trial_rng;
use crate::error::{Error, Result};
use crate::model::business_hours::BusinessHours;
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, Neglect};
use crate::model::segment::Segment;

/// SQLs of a synthetic export arrive uniformly over this many days after
/// `start`; the export is taken at the end of the window.
pub const SYNTHETIC_WINDOW_DAYS: f64 = 90.0;
/// A contacted SQL is decided (won or lost) an exponential time with this
/// mean, in days, after its first contact; until then it is open.
pub const SYNTHETIC_CLOSE_LAG_DAYS: f64 = 7.0;
/// A never-contacted SQL is closed as lost this many days after it became an SQL.
pub const SYNTHETIC_STALE_DAYS: f64 = 30.0;

/// How a synthetic export's SQLs are decided: the sales cycle (time from
/// the first contact to the decision) of the SQLs that are won and of
/// those that are lost, and whether the export records the decision dates.
///
/// The default is the timeline of [`synthetic_export`]: both cycles
/// exponential with mean [`SYNTHETIC_CLOSE_LAG_DAYS`], no decision dates.
/// A CRM's losses are usually recorded weeks after a win would have been,
/// so the recent weeks of an export hold many open SQLs that will be lost:
///
/// ```
/// use lead_decay::{DelayDistribution, Hours};
/// use lead_decay::calibrate::SyntheticTimeline;
///
/// let slow_losses = SyntheticTimeline::new(
///     DelayDistribution::exponential(Hours::from_days(3.0)?)?,
///     DelayDistribution::exponential(Hours::from_days(21.0)?)?,
/// );
/// assert!(slow_losses.decision_dates);
/// assert!(!SyntheticTimeline::default().decision_dates);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SyntheticTimeline {
    /// Time from the first contact to the decision of an SQL that is won.
    pub won_cycle: DelayDistribution,
    /// Time from the first contact to the decision of an SQL that is lost.
    pub lost_cycle: DelayDistribution,
    /// Record each won or lost SQL's decision date
    /// ([`SqlRecord::decided_at`]), as a CRM's close date column does.
    pub decision_dates: bool,
}

impl Default for SyntheticTimeline {
    fn default() -> Self {
        let lag = DelayDistribution::exponential(Hours::trusted(SYNTHETIC_CLOSE_LAG_DAYS * 24.0))
            .expect("a week is a valid mean delay");
        SyntheticTimeline {
            won_cycle: lag.clone(),
            lost_cycle: lag,
            decision_dates: false,
        }
    }
}

impl SyntheticTimeline {
    /// Wins decided after `won_cycle`, losses after `lost_cycle`, with the
    /// decision dates recorded.
    pub fn new(won_cycle: DelayDistribution, lost_cycle: DelayDistribution) -> SyntheticTimeline {
        SyntheticTimeline {
            won_cycle,
            lost_cycle,
            decision_dates: true,
        }
    }

    /// The same cycles, with or without the decision dates in the export.
    #[must_use]
    pub fn with_decision_dates(mut self, recorded: bool) -> SyntheticTimeline {
        self.decision_dates = recorded;
        self
    }
}

/// Draws an export of `n` SQLs from `segment` with the generative model
/// ([`crate::guide::model`]): for each SQL, never followed up with the segment's neglect
/// probability (a count `k` of `sqls` becomes the probability `k / sqls`),
/// else a delay `D` from [`DelayDistribution::sample`](crate::DelayDistribution::sample);
/// warm iff `W < f(D)`; would close iff `U < close_rate`; won iff warm and
/// would close, with a deal value drawn from the segment.
///
/// The timeline: SQL times uniform over [`SYNTHETIC_WINDOW_DAYS`] after
/// `start`, the export taken at the end of that window (returned with the
/// records). A contacted SQL is decided an exponential lag (mean
/// [`SYNTHETIC_CLOSE_LAG_DAYS`]) after contact, a never-contacted one is
/// closed as lost [`SYNTHETIC_STALE_DAYS`] after it became an SQL; SQLs not
/// decided (or not contacted) by the export date are open (censored),
/// independently of their outcome, as in a real CRM. Timestamps are whole
/// seconds. A segment whose delay runs on its team's working clock
/// ([`Segment::business_hours`]) has its delays drawn in working hours and
/// turned into the calendar hours they take from each SQL's arrival (the
/// arrival times stay uniform over the window, whatever the segment's
/// arrival profile). The draws come from [`trial_rng`]`(seed, 0)`, so the same
/// arguments give the same export on any machine.
///
/// # Example
///
/// ```
/// use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};
/// use lead_decay::calibrate::{Outcome, synthetic_export};
///
/// let segment = Segment::builder("web").sqls(100).close_rate(0.3)
///     .deal_value(DealValue::fixed(1_000.0)?)
///     .decay(DecayCurve::exponential(Hours::new(24.0)?)?)
///     .never_followed_up(0.1)
///     .delay(DelayDistribution::exponential(Hours::new(12.0)?)?)
///     .build()?;
/// let (records, as_of) = synthetic_export(&segment, 2_000, "2024-01-01T00:00:00Z".parse().unwrap(), 7)?;
/// assert_eq!(records.len(), 2_000);
/// assert!(records.iter().all(|r| r.became_sql <= as_of));
/// assert!(records.iter().any(|r| r.outcome == Outcome::Won));
/// # Ok::<(), lead_decay::Error>(())
/// ```
///
/// # Errors
///
/// A timeline that does not fit in the timestamp range.
pub fn synthetic_export(
    segment: &Segment,
    n: usize,
    start: Timestamp,
    seed: u64,
) -> Result<(Vec<SqlRecord>, Timestamp)> {
    synthetic_export_with(segment, n, start, seed, &SyntheticTimeline::default())
}

/// As [`synthetic_export`], with the sales cycles of `timeline`: a
/// contacted SQL that is won is decided a `won_cycle` draw after its first
/// contact, one that is lost a `lost_cycle` draw after it (one draw per
/// SQL, in the place of the default's exponential lag, so the default
/// timeline gives exactly [`synthetic_export`]'s export). With
/// [`SyntheticTimeline::decision_dates`], won and lost rows carry their
/// decision date.
///
/// ```
/// use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};
/// use lead_decay::calibrate::{Outcome, SyntheticTimeline, synthetic_export_with};
///
/// let segment = Segment::builder("web").sqls(100).close_rate(0.3)
///     .deal_value(DealValue::fixed(1_000.0)?)
///     .decay(DecayCurve::exponential(Hours::new(24.0)?)?)
///     .delay(DelayDistribution::exponential(Hours::new(12.0)?)?)
///     .build()?;
/// let timeline = SyntheticTimeline::new(
///     DelayDistribution::exponential(Hours::from_days(2.0)?)?,
///     DelayDistribution::exponential(Hours::from_days(20.0)?)?,
/// );
/// let start = "2024-01-01T00:00:00Z".parse().unwrap();
/// let (records, _) = synthetic_export_with(&segment, 2_000, start, 7, &timeline)?;
/// let decided = records.iter().filter(|r| r.outcome != Outcome::Open);
/// assert!(decided.clone().all(|r| r.decided_at.is_some() && r.cycle_hours().is_some()));
/// # Ok::<(), lead_decay::Error>(())
/// ```
///
/// # Errors
///
/// A timeline that does not fit in the timestamp range.
pub fn synthetic_export_with(
    segment: &Segment,
    n: usize,
    start: Timestamp,
    seed: u64,
    timeline: &SyntheticTimeline,
) -> Result<(Vec<SqlRecord>, Timestamp)> {
    let mut rng = trial_rng(seed, 0);
    let q = match segment.follow_up().neglect() {
        Neglect::None => 0.0,
        Neglect::Probability(q) => q,
        Neglect::Count(k) => k as f64 / segment.sqls().max(1) as f64,
    };
    let delay = segment.follow_up().delay();
    let decay = segment.decay();
    let p = segment.close_rate();
    let window = SYNTHETIC_WINDOW_DAYS * 24.0;
    let at = |hours: f64| -> Result<Timestamp> {
        let secs = (hours * 3600.0).round() as i64;
        start.checked_add(SignedDuration::from_secs(secs)).map_err(|_| {
            Error::invalid(
                "start",
                start,
                "a start time that leaves room for the synthetic timeline",
            )
        })
    };
    let as_of = at(window)?;
    let hours = segment.business_hours().filter(|h| !h.is_neutral());
    let mut records = Vec::with_capacity(n);
    for i in 0..n {
        let sql_h = (window * rng.random::<f64>()).floor().min(window);
        let neglected = q > 0.0 && rng.random::<f64>() < q;
        let d = if neglected {
            f64::INFINITY
        } else {
            let d = delay.sample(&mut rng);
            match hours {
                Some(hours) => calendar_delay(hours, at(sql_h)?, d),
                None => d,
            }
        };
        let warm = rng.random::<f64>() < decay.evaluate(d);
        let would_close = rng.random::<f64>() < p;
        let value = segment.deal_value().sample(&mut rng);
        let won = !neglected && warm && would_close;
        let lag = if won {
            timeline.won_cycle.sample(&mut rng)
        } else {
            timeline.lost_cycle.sample(&mut rng)
        };
        let became_sql = at(sql_h)?;
        let (first_contact, decided_h) = if neglected {
            (None, sql_h + SYNTHETIC_STALE_DAYS * 24.0)
        } else {
            let contact_h = sql_h + (d * 3600.0).round() / 3600.0;
            (Some(contact_h), contact_h + lag)
        };
        let contacted_by_export = first_contact.filter(|&c| c <= window);
        let outcome = if decided_h > window {
            Outcome::Open
        } else if won {
            Outcome::Won
        } else {
            Outcome::Lost
        };
        records.push(SqlRecord {
            line: i as u64 + 2,
            became_sql,
            first_contact: contacted_by_export.map(at).transpose()?,
            outcome,
            deal_value: (outcome == Outcome::Won).then_some(value),
            segment: Some(segment.name().to_owned()),
            decided_at: (timeline.decision_dates && outcome != Outcome::Open)
                .then(|| at(decided_h))
                .transpose()?,
        });
    }
    Ok((records, as_of))
}

/// The real hours an SQL that became one at `sql` waits for a delay `d`
/// on `hours`' clock (through the calendar's reading of instants,
/// [`Calendar::time_of`](crate::Calendar::time_of), so a daylight-saving
/// change on a repeating week's zone counts as it did).
fn calendar_delay(hours: &BusinessHours, sql: Timestamp, d: f64) -> f64 {
    let calendar = hours.calendar();
    let t = calendar.time_of(sql);
    match calendar.timestamp_at(t + hours.calendar_delay(t, d)) {
        Some(contact) => hours_between(sql, contact).max(0.0),
        // Beyond the timestamp range: never within the export.
        None => f64::INFINITY,
    }
}

/// Writes records as an export CSV with the default column names
/// (`sql_at,first_contact_at,outcome,deal_value,segment`, RFC 3339 times),
/// and `decided_at` when some record has a decision date.
///
/// # Errors
///
/// The writer fails (field `output`).
pub fn write_export(records: &[SqlRecord], writer: impl Write) -> Result<()> {
    let mut csv = csv::Writer::from_writer(writer);
    let fail = |e: csv::Error| Error::invalid("output", e, "a writable destination");
    let decided = records.iter().any(|r| r.decided_at.is_some());
    let mut header = vec!["sql_at", "first_contact_at", "outcome", "deal_value", "segment"];
    if decided {
        header.push("decided_at");
    }
    csv.write_record(&header).map_err(fail)?;
    for r in records {
        let mut row = vec![
            r.became_sql.to_string(),
            r.first_contact.map(|c| c.to_string()).unwrap_or_default(),
            r.outcome.name().to_owned(),
            r.deal_value.map(|v| format!("{v:.2}")).unwrap_or_default(),
            r.segment.clone().unwrap_or_default(),
        ];
        if decided {
            row.push(r.decided_at.map(|d| d.to_string()).unwrap_or_default());
        }
        csv.write_record(&row).map_err(fail)?;
    }
    csv.flush()
        .map_err(|e| Error::invalid("output", e, "a writable destination"))
}
