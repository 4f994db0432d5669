//! Exact expectations of every metric, computed without sampling.

use serde::Serialize;

use crate::exact::business::{segment_warm_probability, segment_within_sla};
use crate::model::follow_up::Neglect;
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;

/// The exact expected value of every metric of a trial.
///
/// ```text
/// E[customers]       = N_worked · p · E[f(D)]      N_worked = N − neglected, or N·(1 − q)
/// E[customers_ideal] = N · p
/// E[revenue]         = E[customers] · mean deal value      (likewise ideal and lost)
/// E[roi]             = (E[revenue] − spend) / spend         (only with a marketing spend)
/// E[sla_met]         = (N_worked / N) · P(D <= sla)         (only with an SLA)
/// ```
///
/// `E[f(D)]` comes from [`crate::exact::warm::warm_probability`]: a closed
/// form where one exists, otherwise quadrature with relative error <= 1e-9.
///
/// # Example
///
/// ```
/// use lead_decay::{Expected, Scenario};
///
/// let expected = Expected::of(&Scenario::reference());
/// assert_eq!(expected.customers, 8.75);
/// assert_eq!(expected.revenue_lost, 125_000.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Expected {
    /// Expected customers won.
    pub customers: f64,
    /// Expected customers had every SQL been worked at once.
    pub customers_ideal: f64,
    /// Expected customers lost to neglect and delay.
    pub customers_lost: f64,
    /// Expected revenue won.
    pub revenue: f64,
    /// Expected revenue had every SQL been worked at once.
    pub revenue_ideal: f64,
    /// Expected revenue lost to neglect and delay.
    pub revenue_lost: f64,
    /// Expected ROI, `(revenue − spend) / spend`; `None` without a spend.
    pub roi: Option<f64>,
    /// Expected ROI had every SQL been worked at once.
    pub roi_ideal: Option<f64>,
    /// Expected ROI lost: `revenue_lost / spend`.
    pub roi_lost: Option<f64>,
    /// Expected share of SQLs first worked within the SLA (pooled over the
    /// segments that have one, weighted by SQL count); `None` without an SLA.
    pub sla_met: Option<f64>,
}

impl Expected {
    /// The expectations of a whole scenario (summed over segments).
    pub fn of(scenario: &Scenario) -> Expected {
        let mut total = Expected::zero();
        let (mut sla_sqls, mut sla_met) = (0.0, 0.0);
        for segment in scenario.segments() {
            let part = Expected::of_segment(segment);
            total.customers += part.customers;
            total.customers_ideal += part.customers_ideal;
            total.revenue += part.revenue;
            total.revenue_ideal += part.revenue_ideal;
            if let Some(share) = part.sla_met {
                sla_sqls += segment.sqls() as f64;
                sla_met += share * segment.sqls() as f64;
            }
        }
        total.customers_lost = total.customers_ideal - total.customers;
        total.revenue_lost = total.revenue_ideal - total.revenue;
        total.sla_met = (sla_sqls > 0.0).then(|| sla_met / sla_sqls);
        total.with_spend(scenario.marketing_spend())
    }

    /// The expectations of one segment (ROI is a scenario-level metric and
    /// stays `None` here).
    pub fn of_segment(segment: &Segment) -> Expected {
        let follow_up = segment.follow_up();
        let n = segment.sqls() as f64;
        let p = segment.close_rate();
        let value = segment.deal_value().mean();
        let worked = segment.worked_sqls();
        let warm = segment_warm_probability(segment);
        let customers = worked * p * warm;
        let customers_ideal = n * p;
        let sla_met = follow_up.sla().map(|sla| {
            let worked_share = match follow_up.neglect() {
                Neglect::None => 1.0,
                Neglect::Count(_) if n == 0.0 => 1.0,
                Neglect::Count(_) => worked / n,
                Neglect::Probability(q) => 1.0 - q,
            };
            worked_share * segment_within_sla(segment, sla.get()).0
        });
        Expected {
            customers,
            customers_ideal,
            customers_lost: customers_ideal - customers,
            revenue: customers * value,
            revenue_ideal: customers_ideal * value,
            revenue_lost: (customers_ideal - customers) * value,
            roi: None,
            roi_ideal: None,
            roi_lost: None,
            sla_met,
        }
    }

    /// The name of every metric, in report order: the fields of
    /// [`Expected`] and of the Monte Carlo `Metrics`, their JSON keys, and
    /// the column names of tables and CSV files. One list for the crate.
    pub const NAMES: [&'static str; 10] = [
        "customers",
        "customers_ideal",
        "customers_lost",
        "revenue",
        "revenue_ideal",
        "revenue_lost",
        "roi",
        "roi_ideal",
        "roi_lost",
        "sla_met",
    ];

    /// `(name, value)` for every metric in report order ([`Expected::NAMES`]);
    /// `None` where the metric does not apply.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> {
        let values = [
            Some(self.customers),
            Some(self.customers_ideal),
            Some(self.customers_lost),
            Some(self.revenue),
            Some(self.revenue_ideal),
            Some(self.revenue_lost),
            self.roi,
            self.roi_ideal,
            self.roi_lost,
            self.sla_met,
        ];
        Expected::NAMES.into_iter().zip(values)
    }

    fn zero() -> Expected {
        Expected {
            customers: 0.0,
            customers_ideal: 0.0,
            customers_lost: 0.0,
            revenue: 0.0,
            revenue_ideal: 0.0,
            revenue_lost: 0.0,
            roi: None,
            roi_ideal: None,
            roi_lost: None,
            sla_met: None,
        }
    }

    fn with_spend(mut self, spend: Option<f64>) -> Expected {
        if let Some(spend) = spend {
            self.roi = Some((self.revenue - spend) / spend);
            self.roi_ideal = Some((self.revenue_ideal - spend) / spend);
            self.roi_lost = Some(self.revenue_lost / spend);
        }
        self
    }
}
