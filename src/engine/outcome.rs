//! What one trial produces.

/// The outcome of one trial for one segment, or summed over segments.
///
/// Lost figures are kept directly (not as differences) so that
/// `customers <= customers_ideal` and `revenue_lost >= 0` hold exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TrialOutcome {
    /// Customers won: SQLs that were warm when worked and would close.
    pub customers: u64,
    /// Customers lost: SQLs that would have closed if worked at once but
    /// were cold (or never worked).
    pub customers_lost: u64,
    /// Revenue won.
    pub revenue: f64,
    /// Revenue of the lost customers.
    pub revenue_lost: f64,
    /// SQLs first worked within the SLA (0 when the segment has no SLA).
    pub sla_met: u64,
}

impl TrialOutcome {
    /// Customers had every SQL been worked at once.
    pub fn customers_ideal(&self) -> u64 {
        self.customers + self.customers_lost
    }

    /// Revenue had every SQL been worked at once.
    pub fn revenue_ideal(&self) -> f64 {
        self.revenue + self.revenue_lost
    }

    /// The value of every metric in this trial, in the order of
    /// [`Metrics::NAMES`](super::Metrics::NAMES): ROI needs the marketing
    /// `spend`, the SLA share the number of SQLs under an SLA (`sla_sqls`);
    /// `None` where a metric does not apply. These are the numbers a report
    /// summarises over trials.
    ///
    /// ```
    /// use lead_decay::TrialOutcome;
    ///
    /// let t = TrialOutcome { customers: 8, customers_lost: 2, revenue: 800.0, revenue_lost: 200.0, sla_met: 0 };
    /// let values = t.metric_values(Some(500.0), 0);
    /// assert_eq!(values[1], Some(10.0));      // customers_ideal
    /// assert_eq!(values[6], Some(0.6));       // roi = (800 - 500) / 500
    /// assert_eq!(values[9], None);            // no SLA
    /// ```
    pub fn metric_values(&self, spend: Option<f64>, sla_sqls: u64) -> [Option<f64>; 10] {
        [
            Some(self.customers as f64),
            Some(self.customers_ideal() as f64),
            Some(self.customers_lost as f64),
            Some(self.revenue),
            Some(self.revenue_ideal()),
            Some(self.revenue_lost),
            spend.map(|s| (self.revenue - s) / s),
            spend.map(|s| (self.revenue_ideal() - s) / s),
            spend.map(|s| self.revenue_lost / s),
            (sla_sqls > 0).then(|| self.sla_met as f64 / sla_sqls as f64),
        ]
    }

    /// Adds another segment's outcome.
    ///
    /// # Panics
    ///
    /// In debug builds, if a count would exceed `u64::MAX` (no scenario can
    /// produce that: segments hold at most [`MAX_SQLS`](crate::model::segment::MAX_SQLS) SQLs each).
    pub fn add(&mut self, other: &TrialOutcome) {
        self.customers += other.customers;
        self.customers_lost += other.customers_lost;
        self.revenue += other.revenue;
        self.revenue_lost += other.revenue_lost;
        self.sla_met += other.sla_met;
    }
}
