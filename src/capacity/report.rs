//! Tallies of capacity trials (exactly mergeable) and their report.

use serde::Serialize;

use super::delay_histogram::{DelayHistogram, DelayQuantiles};
use super::model::CapacityModel;
use super::outcome::CapacityOutcome;
use crate::statistics::{CountHistogram, Summary, ValueAccumulator};

/// The accumulated trials of a capacity run or of a shard of one. Memory
/// does not grow with the trial count; merging is exact.
#[derive(Debug, Clone)]
pub struct CapacityTally {
    trials: u64,
    sqls: CountHistogram,
    customers: CountHistogram,
    customers_ideal: CountHistogram,
    customers_lost: CountHistogram,
    dropped: CountHistogram,
    recycled: CountHistogram,
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
    events: u64,
    delays: DelayHistogram,
    weekly: Vec<(CountHistogram, ValueAccumulator)>,
}

impl CapacityTally {
    /// An empty tally for `model`.
    pub fn new(model: &CapacityModel) -> CapacityTally {
        let weeks = (model.horizon() / super::working_hours::WEEK_HOURS).ceil().max(1.0) as usize;
        CapacityTally {
            trials: 0,
            sqls: CountHistogram::new(),
            customers: CountHistogram::new(),
            customers_ideal: CountHistogram::new(),
            customers_lost: CountHistogram::new(),
            dropped: CountHistogram::new(),
            recycled: CountHistogram::new(),
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
            events: 0,
            delays: DelayHistogram::new(),
            weekly: vec![(CountHistogram::new(), ValueAccumulator::new()); weeks],
        }
    }

    /// Adds delays of the current trial that its run kept in a histogram
    /// (trials with more worked SQLs than the run buffers).
    pub(crate) fn merge_delays(&mut self, delays: &DelayHistogram) {
        self.delays.merge(delays);
    }

    /// Adds one trial: its outcome, the delays of its worked SQLs and its
    /// per-week `(customers, revenue lost)`; `spend` enables ROI.
    pub fn record(&mut self, outcome: &CapacityOutcome, delays: &[f64], weekly: &[(u64, f64)], spend: Option<f64>) {
        self.trials += 1;
        self.sqls.record(outcome.sqls);
        self.customers.record(outcome.customers);
        self.customers_ideal.record(outcome.customers_ideal());
        self.customers_lost.record(outcome.customers_lost);
        self.dropped.record(outcome.dropped);
        self.recycled.record(outcome.recycled);
        self.inquiry_customers.record(outcome.inquiry_customers);
        self.revenue.record(outcome.revenue);
        self.revenue_ideal.record(outcome.revenue_ideal());
        self.revenue_lost.record(outcome.revenue_lost);
        self.sla_revenue_lost.record(outcome.sla_revenue_lost);
        self.reactivation_cost.record(outcome.reactivation_cost);
        if let Some(spend) = spend {
            self.roi
                .record((outcome.revenue - outcome.reactivation_cost - spend) / spend);
            self.roi_ideal.record((outcome.revenue_ideal() - spend) / spend);
            self.roi_lost
                .record((outcome.revenue_lost + outcome.reactivation_cost) / spend);
        }
        self.sla_met.record(outcome.sla_share());
        self.mean_delay.record(outcome.mean_delay());
        self.utilisation.record(outcome.utilisation());
        self.queue_length.record(outcome.mean_queue_length());
        self.events += outcome.events;
        for &d in delays {
            self.delays.record(d);
        }
        for ((customers, lost), &(c, l)) in self.weekly.iter_mut().zip(weekly) {
            customers.record(c);
            lost.record(l);
        }
    }

    /// Adds the trials of `other` (a tally of the same model).
    pub fn merge(&mut self, other: &CapacityTally) {
        self.trials += other.trials;
        self.sqls.merge(&other.sqls);
        self.customers.merge(&other.customers);
        self.customers_ideal.merge(&other.customers_ideal);
        self.customers_lost.merge(&other.customers_lost);
        self.dropped.merge(&other.dropped);
        self.recycled.merge(&other.recycled);
        self.inquiry_customers.merge(&other.inquiry_customers);
        for (a, b) in [
            (&mut self.revenue, &other.revenue),
            (&mut self.revenue_ideal, &other.revenue_ideal),
            (&mut self.revenue_lost, &other.revenue_lost),
            (&mut self.sla_revenue_lost, &other.sla_revenue_lost),
            (&mut self.reactivation_cost, &other.reactivation_cost),
            (&mut self.roi, &other.roi),
            (&mut self.roi_ideal, &other.roi_ideal),
            (&mut self.roi_lost, &other.roi_lost),
            (&mut self.sla_met, &other.sla_met),
            (&mut self.mean_delay, &other.mean_delay),
            (&mut self.utilisation, &other.utilisation),
            (&mut self.queue_length, &other.queue_length),
        ] {
            a.merge(b);
        }
        self.events += other.events;
        self.delays.merge(&other.delays);
        for (a, b) in self.weekly.iter_mut().zip(&other.weekly) {
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

    /// The report of the tallied trials.
    pub fn report(&self, model: &CapacityModel, seed: u64) -> CapacityReport {
        let spend = model.marketing_spend().is_some();
        let has_sla = model.team().sla().is_some();
        CapacityReport {
            trials: self.trials,
            seed,
            reps: model.team().reps(),
            discipline: model.team().discipline().name(),
            offered_load: model.offered_load(),
            stable: model.is_stable(),
            events: self.events,
            metrics: CapacityMetrics {
                sqls: self.sqls.summary(),
                customers: self.customers.summary(),
                customers_ideal: self.customers_ideal.summary(),
                customers_lost: self.customers_lost.summary(),
                revenue: self.revenue.summary(),
                revenue_ideal: self.revenue_ideal.summary(),
                revenue_lost: self.revenue_lost.summary(),
                roi: spend.then(|| self.roi.summary()),
                roi_ideal: spend.then(|| self.roi_ideal.summary()),
                roi_lost: spend.then(|| self.roi_lost.summary()),
                sla_met: has_sla.then(|| self.sla_met.summary()),
                sla_revenue_lost: has_sla.then(|| self.sla_revenue_lost.summary()),
                mean_delay_hours: self.mean_delay.summary(),
                rep_utilisation: self.utilisation.summary(),
                queue_length: self.queue_length.summary(),
                dropped: self.dropped.summary(),
                recycled: self.recycled.summary(),
                reactivation_cost: self.reactivation_cost.summary(),
                inquiry_customers: self.inquiry_customers.summary(),
            },
            delay_hours: self.delays.quantiles(),
            weekly: self
                .weekly
                .iter()
                .enumerate()
                .map(|(week, (customers, lost))| WeekReport {
                    week: week as u64,
                    customers: customers.summary(),
                    revenue_lost: lost.summary(),
                })
                .collect(),
        }
    }
}

/// Summaries of every per-trial metric of a capacity run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapacityMetrics {
    /// SQLs that arrived (after the warm-up).
    pub sqls: Summary,
    /// Customers won.
    pub customers: Summary,
    /// Customers had every SQL been worked at once.
    pub customers_ideal: Summary,
    /// Customers lost to waiting (and to triage).
    pub customers_lost: Summary,
    /// Revenue won.
    pub revenue: Summary,
    /// Revenue had every SQL been worked at once.
    pub revenue_ideal: Summary,
    /// Revenue lost to neglect.
    pub revenue_lost: Summary,
    /// `(revenue − reactivation cost − spend) / spend`; `None` without a spend.
    pub roi: Option<Summary>,
    /// `(revenue_ideal − spend) / spend`.
    pub roi_ideal: Option<Summary>,
    /// `(revenue_lost + reactivation cost) / spend`.
    pub roi_lost: Option<Summary>,
    /// Share of SQLs first worked within the SLA; `None` without an SLA.
    pub sla_met: Option<Summary>,
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
    /// Their reactivation cost.
    pub reactivation_cost: Summary,
    /// Raw inquiries that became customers.
    pub inquiry_customers: Summary,
}

/// One week of the horizon (by the week the SQLs arrived in), for fan charts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeekReport {
    /// Week index, 0 = the first week.
    pub week: u64,
    /// Customers won from that week's SQLs.
    pub customers: Summary,
    /// Revenue lost on that week's SQLs.
    pub revenue_lost: Summary,
}

/// What a capacity run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityReport {
    /// Trials run.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// Reps in the team.
    pub reps: u32,
    /// The queue discipline.
    pub discipline: &'static str,
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
}
