//! Tallies of capacity trials (exactly mergeable) and their report.

use serde::Serialize;

use super::delay_histogram::{DelayHistogram, DelayQuantiles};
use super::model::CapacityModel;
use super::outcome::CapacityOutcome;
use crate::engine::Metrics;
use crate::error::{Error, Result};
use crate::statistics::{CountHistogram, Summary, ValueAccumulator};

/// The accumulated trials of a capacity run or of a shard of one. Memory
/// does not grow with the trial count; merging is exact.
///
/// The accumulators live on the heap: a tally passes by value through the
/// parallel fold, and their exact sums (about 40 KB in all) on the stack
/// overflowed a worker thread's 2 MB stack in debug builds, which is what a
/// downstream crate's `cargo test` compiles.
#[derive(Debug, Clone)]
pub struct CapacityTally {
    trials: u64,
    seed: u64,
    /// The fingerprint of the model the trials ran on.
    model: u64,
    events: u64,
    acc: Box<Accumulators>,
}

/// Every per-trial accumulator of a capacity tally.
#[derive(Debug, Clone)]
struct Accumulators {
    sqls: CountHistogram,
    customers: CountHistogram,
    customers_ideal: CountHistogram,
    customers_lost: CountHistogram,
    dropped: CountHistogram,
    recycled: CountHistogram,
    reverted: CountHistogram,
    lost_to_competitor: CountHistogram,
    inquiry_customers: CountHistogram,
    revenue: ValueAccumulator,
    revenue_ideal: ValueAccumulator,
    revenue_lost: ValueAccumulator,
    sla_revenue_lost: ValueAccumulator,
    reactivation_cost: ValueAccumulator,
    roi: ValueAccumulator,
    roi_ideal: ValueAccumulator,
    roi_lost: ValueAccumulator,
    sla_met: ValueAccumulator,
    mean_delay: ValueAccumulator,
    utilisation: ValueAccumulator,
    queue_length: ValueAccumulator,
    delays: DelayHistogram,
    weekly: Vec<(CountHistogram, ValueAccumulator)>,
}

impl CapacityTally {
    /// An empty tally of a run of `model` seeded with `seed`.
    pub fn new(model: &CapacityModel, seed: u64) -> CapacityTally {
        let weeks = (model.horizon().get() / crate::calendar::WEEK_HOURS).ceil().max(1.0) as usize;
        CapacityTally {
            trials: 0,
            seed,
            model: model.fingerprint(),
            events: 0,
            acc: Box::new(Accumulators {
                sqls: CountHistogram::new(),
                customers: CountHistogram::new(),
                customers_ideal: CountHistogram::new(),
                customers_lost: CountHistogram::new(),
                dropped: CountHistogram::new(),
                recycled: CountHistogram::new(),
                reverted: CountHistogram::new(),
                lost_to_competitor: CountHistogram::new(),
                inquiry_customers: CountHistogram::new(),
                revenue: ValueAccumulator::new(),
                revenue_ideal: ValueAccumulator::new(),
                revenue_lost: ValueAccumulator::new(),
                sla_revenue_lost: ValueAccumulator::new(),
                reactivation_cost: ValueAccumulator::new(),
                roi: ValueAccumulator::new(),
                roi_ideal: ValueAccumulator::new(),
                roi_lost: ValueAccumulator::new(),
                sla_met: ValueAccumulator::new(),
                mean_delay: ValueAccumulator::new(),
                utilisation: ValueAccumulator::new(),
                queue_length: ValueAccumulator::new(),
                delays: DelayHistogram::new(),
                weekly: vec![(CountHistogram::new(), ValueAccumulator::new()); weeks],
            }),
        }
    }

    /// Adds delays of the current trial that its run kept in a histogram
    /// (trials with more worked SQLs than the run buffers).
    pub(crate) fn merge_delays(&mut self, delays: &DelayHistogram) {
        self.acc.delays.merge(delays);
    }

    /// Adds one trial: its outcome, the delays of its worked SQLs and its
    /// per-week `(customers, revenue lost)`; `spend` enables ROI.
    ///
    /// # Panics
    ///
    /// In debug builds, if a revenue, a delay or the ROI is NaN or infinite
    /// (a `spend` of 0, or an outcome the engine cannot produce): the value
    /// accumulators need finite values ([`ValueAccumulator::record`]).
    pub fn record(&mut self, outcome: &CapacityOutcome, delays: &[f64], weekly: &[(u64, f64)], spend: Option<f64>) {
        self.trials += 1;
        self.acc.sqls.record(outcome.sqls);
        self.acc.customers.record(outcome.customers);
        self.acc.customers_ideal.record(outcome.customers_ideal());
        self.acc.customers_lost.record(outcome.customers_lost);
        self.acc.dropped.record(outcome.dropped);
        self.acc.recycled.record(outcome.recycled);
        self.acc.reverted.record(outcome.reverted);
        self.acc.lost_to_competitor.record(outcome.lost_to_competitor);
        self.acc.inquiry_customers.record(outcome.inquiry_customers);
        self.acc.revenue.record(outcome.revenue);
        self.acc.revenue_ideal.record(outcome.revenue_ideal());
        self.acc.revenue_lost.record(outcome.revenue_lost);
        self.acc.sla_revenue_lost.record(outcome.sla_revenue_lost);
        self.acc.reactivation_cost.record(outcome.reactivation_cost);
        if let Some(spend) = spend {
            self.acc
                .roi
                .record((outcome.revenue - outcome.reactivation_cost - spend) / spend);
            self.acc.roi_ideal.record((outcome.revenue_ideal() - spend) / spend);
            self.acc
                .roi_lost
                .record((outcome.revenue_lost + outcome.reactivation_cost) / spend);
        }
        self.acc.sla_met.record(outcome.sla_share());
        self.acc.mean_delay.record(outcome.mean_delay());
        self.acc.utilisation.record(outcome.utilisation());
        self.acc.queue_length.record(outcome.mean_queue_length());
        self.events += outcome.events;
        for &d in delays {
            self.acc.delays.record(d);
        }
        for ((customers, lost), &(c, l)) in self.acc.weekly.iter_mut().zip(weekly) {
            customers.record(c);
            lost.record(l);
        }
    }

    /// Adds the trials of `other`, a tally of the same model and seed.
    ///
    /// # Errors
    ///
    /// `other` ran another model or seed; the tally is then unchanged.
    pub fn merge(&mut self, other: &CapacityTally) -> Result<()> {
        if (other.model, other.seed) != (self.model, self.seed) {
            return Err(Error::invalid(
                "tally",
                format!("a tally of model {:016x}, seed {}", other.model, other.seed),
                format!(
                    "a tally of the same run (model {:016x}, seed {})",
                    self.model, self.seed
                ),
            ));
        }
        self.merge_unchecked(other);
        Ok(())
    }

    /// Merges two chunks of one run (the engine's own).
    pub(crate) fn merge_unchecked(&mut self, other: &CapacityTally) {
        self.trials += other.trials;
        self.acc.sqls.merge(&other.acc.sqls);
        self.acc.customers.merge(&other.acc.customers);
        self.acc.customers_ideal.merge(&other.acc.customers_ideal);
        self.acc.customers_lost.merge(&other.acc.customers_lost);
        self.acc.dropped.merge(&other.acc.dropped);
        self.acc.recycled.merge(&other.acc.recycled);
        self.acc.reverted.merge(&other.acc.reverted);
        self.acc.lost_to_competitor.merge(&other.acc.lost_to_competitor);
        self.acc.inquiry_customers.merge(&other.acc.inquiry_customers);
        for (a, b) in [
            (&mut self.acc.revenue, &other.acc.revenue),
            (&mut self.acc.revenue_ideal, &other.acc.revenue_ideal),
            (&mut self.acc.revenue_lost, &other.acc.revenue_lost),
            (&mut self.acc.sla_revenue_lost, &other.acc.sla_revenue_lost),
            (&mut self.acc.reactivation_cost, &other.acc.reactivation_cost),
            (&mut self.acc.roi, &other.acc.roi),
            (&mut self.acc.roi_ideal, &other.acc.roi_ideal),
            (&mut self.acc.roi_lost, &other.acc.roi_lost),
            (&mut self.acc.sla_met, &other.acc.sla_met),
            (&mut self.acc.mean_delay, &other.acc.mean_delay),
            (&mut self.acc.utilisation, &other.acc.utilisation),
            (&mut self.acc.queue_length, &other.acc.queue_length),
        ] {
            a.merge(b);
        }
        self.events += other.events;
        self.acc.delays.merge(&other.acc.delays);
        for (a, b) in self.acc.weekly.iter_mut().zip(&other.acc.weekly) {
            a.0.merge(&b.0);
            a.1.merge(&b.1);
        }
    }

    /// Trials tallied so far.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Events processed over all tallied trials.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The report of the tallied trials of `model`.
    ///
    /// # Errors
    ///
    /// `model` is not the model the trials ran on.
    pub fn report(&self, model: &CapacityModel) -> Result<CapacityReport> {
        if model.fingerprint() != self.model {
            return Err(Error::invalid(
                "model",
                format!("a model with fingerprint {:016x}", model.fingerprint()),
                format!("the model of the tally (fingerprint {:016x})", self.model),
            ));
        }
        let spend = model.marketing_spend().is_some();
        let has_sla = model.team().sla().is_some();
        Ok(CapacityReport {
            trials: self.trials,
            seed: self.seed,
            reps: model.team().reps(),
            discipline: model.team().discipline(),
            offered_load: model.offered_load(),
            stable: model.is_stable(),
            events: self.events,
            metrics: CapacityMetrics {
                core: Metrics {
                    customers: self.acc.customers.summary(),
                    customers_ideal: self.acc.customers_ideal.summary(),
                    customers_lost: self.acc.customers_lost.summary(),
                    revenue: self.acc.revenue.summary(),
                    revenue_ideal: self.acc.revenue_ideal.summary(),
                    revenue_lost: self.acc.revenue_lost.summary(),
                    roi: spend.then(|| self.acc.roi.summary()),
                    roi_ideal: spend.then(|| self.acc.roi_ideal.summary()),
                    roi_lost: spend.then(|| self.acc.roi_lost.summary()),
                    sla_met: has_sla.then(|| self.acc.sla_met.summary()),
                },
                sqls: self.acc.sqls.summary(),
                sla_revenue_lost: has_sla.then(|| self.acc.sla_revenue_lost.summary()),
                mean_delay_hours: self.acc.mean_delay.summary(),
                rep_utilisation: self.acc.utilisation.summary(),
                queue_length: self.acc.queue_length.summary(),
                dropped: self.acc.dropped.summary(),
                recycled: self.acc.recycled.summary(),
                reverted: self.acc.reverted.summary(),
                lost_to_competitor: self.acc.lost_to_competitor.summary(),
                reactivation_cost: self.acc.reactivation_cost.summary(),
                inquiry_customers: self.acc.inquiry_customers.summary(),
            },
            delay_hours: self.acc.delays.quantiles(),
            weekly: self
                .acc
                .weekly
                .iter()
                .enumerate()
                .map(|(week, (customers, lost))| WeekReport {
                    week: week as u64,
                    customers: customers.summary(),
                    revenue_lost: lost.summary(),
                })
                .collect(),
            precision: None,
        })
    }
}

/// Summaries of every per-trial metric of a capacity run: the core model's
/// [`Metrics`], under the same names (and flattened into the same JSON
/// object), and the queue's own.
///
/// In a capacity run, customers and revenue are lost to waiting in the
/// queue (and to triage); ROI counts the reactivation cost of recycled
/// SQLs: `roi = (revenue − reactivation cost − spend) / spend`,
/// `roi_lost = (revenue_lost + reactivation cost) / spend`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct CapacityMetrics {
    /// The metrics the core model reports, with the same names.
    #[serde(flatten)]
    pub core: Metrics,
    /// SQLs that arrived (after the warm-up).
    pub sqls: Summary,
    /// Revenue lost on SQLs that missed the SLA.
    pub sla_revenue_lost: Option<Summary>,
    /// Mean follow-up delay of the worked SQLs of a trial, in hours.
    pub mean_delay_hours: Summary,
    /// Share of the reps' working time spent handling.
    pub rep_utilisation: Summary,
    /// Time-average number of items waiting.
    pub queue_length: Summary,
    /// SQLs dropped by triage.
    pub dropped: Summary,
    /// Recycled SQLs that came back.
    pub recycled: Summary,
    /// Cold counted SQLs that reverted to the MQL pool (whether or not they
    /// returned within the horizon).
    pub reverted: Summary,
    /// Cold counted SQLs lost to a competitor (they return, if at all, only
    /// after the lockout).
    pub lost_to_competitor: Summary,
    /// Their reactivation cost.
    pub reactivation_cost: Summary,
    /// Raw inquiries that became customers.
    pub inquiry_customers: Summary,
}

/// One week of the horizon (by the week the SQLs arrived in), for fan charts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct WeekReport {
    /// Week index, 0 = the first week.
    pub week: u64,
    /// Customers won from that week's SQLs.
    pub customers: Summary,
    /// Revenue lost on that week's SQLs.
    pub revenue_lost: Summary,
}

/// What a capacity run found.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct CapacityReport {
    /// Trials run.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// Reps in the team.
    pub reps: u32,
    /// The queue discipline.
    pub discipline: crate::capacity::Discipline,
    /// The offered load `ρ` ([`CapacityModel::offered_load`]).
    pub offered_load: f64,
    /// Whether the queue stays bounded ([`CapacityModel::is_stable`]).
    pub stable: bool,
    /// Events processed (arrivals plus handlings).
    pub events: u64,
    /// Per-trial metrics.
    pub metrics: CapacityMetrics,
    /// Pooled first-follow-up delays.
    pub delay_hours: DelayQuantiles,
    /// Per week of the horizon.
    pub weekly: Vec<WeekReport>,
    /// With a precision target: how the run stopped (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<super::precision::Precision>,
}
