//! What one capacity trial produces.

/// The outcome of one trial of a capacity model (counted SQLs only: those
/// that first arrived after the warm-up).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CapacityOutcome {
    /// SQLs that arrived (first arrivals, not recycled returns).
    pub sqls: u64,
    /// SQLs first worked (the rest were dropped by triage).
    pub worked: u64,
    /// SQLs dropped unworked by triage.
    pub dropped: u64,
    /// SQLs first worked within the SLA.
    pub sla_met: u64,
    /// Worked SQLs with no wait at all.
    pub zero_delay: u64,
    /// Sum of the first-follow-up delays of worked SQLs, in hours.
    pub delay_hours: f64,
    /// Customers won (including recycled SQLs won back).
    pub customers: u64,
    /// Customers of the ideal world (every SQL worked at once) not won.
    pub customers_lost: u64,
    /// Revenue won.
    pub revenue: f64,
    /// Revenue of the lost customers.
    pub revenue_lost: f64,
    /// Revenue lost on SQLs whose first follow-up missed the SLA.
    pub sla_revenue_lost: f64,
    /// Cold SQLs that reverted to the MQL pool.
    pub reverted: u64,
    /// Cold SQLs lost to a competitor.
    pub lost_to_competitor: u64,
    /// Recycled SQLs that came back within the horizon.
    pub recycled: u64,
    /// What reactivating them cost.
    pub reactivation_cost: f64,
    /// Raw inquiries handled.
    pub inquiries: u64,
    /// Inquiries that became customers.
    pub inquiry_customers: u64,
    /// Their revenue (not part of `revenue`, which is the SQLs').
    pub inquiry_revenue: f64,
    /// Rep working hours spent handling, within `[warm_up, horizon)`.
    pub busy_hours: f64,
    /// Rep working hours available within `[warm_up, horizon)`.
    pub rep_hours: f64,
    /// Integral of the queue length over `[warm_up, horizon)`, in item-hours.
    pub queue_hours: f64,
    /// Length of that interval in hours.
    pub queue_hours_span: f64,
    /// Events processed: arrivals plus handlings.
    pub events: u64,
}

impl CapacityOutcome {
    /// Customers had every SQL been worked at once.
    pub fn customers_ideal(&self) -> u64 {
        self.customers + self.customers_lost
    }

    /// Revenue had every SQL been worked at once.
    pub fn revenue_ideal(&self) -> f64 {
        self.revenue + self.revenue_lost
    }

    /// Share of the reps' working time spent handling.
    pub fn utilisation(&self) -> f64 {
        if self.rep_hours > 0.0 {
            self.busy_hours / self.rep_hours
        } else {
            0.0
        }
    }

    /// Time-average number of items waiting.
    pub fn mean_queue_length(&self) -> f64 {
        if self.queue_hours_span > 0.0 {
            self.queue_hours / self.queue_hours_span
        } else {
            0.0
        }
    }

    /// Share of SQLs first worked within the SLA (dropped ones missed it);
    /// 1 when no SQL arrived.
    pub fn sla_share(&self) -> f64 {
        if self.sqls > 0 {
            self.sla_met as f64 / self.sqls as f64
        } else {
            1.0
        }
    }

    /// Mean first-follow-up delay of the worked SQLs, in hours (0 if none).
    pub fn mean_delay(&self) -> f64 {
        if self.worked > 0 {
            self.delay_hours / self.worked as f64
        } else {
            0.0
        }
    }
}
