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

    /// Adds another segment's outcome.
    pub fn add(&mut self, other: &TrialOutcome) {
        self.customers += other.customers;
        self.customers_lost += other.customers_lost;
        self.revenue += other.revenue;
        self.revenue_lost += other.revenue_lost;
        self.sla_met += other.sla_met;
    }
}
