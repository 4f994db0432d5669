//! Exact expectations of every metric, computed without sampling.

use serde::Serialize;

use crate::exact::business::{segment_sla_share, segment_warm_probability};
use crate::model::business_hours::BusinessHours;
use crate::model::decay::DecayCurve;
use crate::model::follow_up::DelayDistribution;
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
    /// Where the loss comes from: SQLs never followed up and SQLs followed
    /// up too late. Exact for [`Expected::of`] and [`Expected::of_segment`];
    /// `None` for Monte Carlo means ([`crate::Metrics::means`]), which do
    /// not tell the two apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<LossSplit>,
}

/// The expected loss split by its cause, exactly:
///
/// ```text
/// never followed up    customers  (N − N_worked) · p           revenue  × mean deal value
/// followed up too late customers  N_worked · p · (1 − E[f(D)])  revenue  × mean deal value
/// ```
///
/// The two add up to `customers_lost` and `revenue_lost` (up to rounding).
///
/// # Example
///
/// The reference case loses 1.25 customers, all to the 5 SQLs never
/// followed up (the others are worked at once):
///
/// ```
/// use lead_decay::{Expected, Scenario};
///
/// let lost = Expected::of(&Scenario::reference()).lost.unwrap();
/// assert_eq!((lost.never_followed_up.customers, lost.too_late.customers), (1.25, 0.0));
/// assert_eq!(lost.never_followed_up.revenue, 125_000.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct LossSplit {
    /// Lost because SQLs were never followed up.
    pub never_followed_up: Loss,
    /// Lost because SQLs were followed up after they had gone cold.
    pub too_late: Loss,
}

/// Expected customers and revenue lost to one cause.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Loss {
    /// Expected customers lost.
    pub customers: f64,
    /// Expected revenue lost.
    pub revenue: f64,
}

impl Loss {
    fn add(self, other: Loss) -> Loss {
        Loss {
            customers: self.customers + other.customers,
            revenue: self.revenue + other.revenue,
        }
    }
}

impl Expected {
    /// The expectations of a whole scenario (summed over segments).
    pub fn of(scenario: &Scenario) -> Expected {
        let parts: Vec<Expected> = scenario.segments().iter().map(Expected::of_segment).collect();
        Expected::of_parts(scenario, &parts)
    }

    /// The expectations of `scenario` from those of its segments, `parts`
    /// ([`Expected::of_segment`] of each, in order).
    pub(crate) fn of_parts(scenario: &Scenario, parts: &[Expected]) -> Expected {
        let mut total = Expected::zero();
        let (mut sla_sqls, mut sla_met) = (0.0, 0.0);
        let none = Loss {
            customers: 0.0,
            revenue: 0.0,
        };
        let mut lost = LossSplit {
            never_followed_up: none,
            too_late: none,
        };
        for (segment, part) in scenario.segments().iter().zip(parts) {
            if let Some(split) = part.lost {
                lost.never_followed_up = lost.never_followed_up.add(split.never_followed_up);
                lost.too_late = lost.too_late.add(split.too_late);
            }
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
        total.lost = Some(lost);
        total.with_spend(scenario.marketing_spend())
    }

    /// The expectations of one segment (ROI is a scenario-level metric and
    /// stays `None` here).
    pub fn of_segment(segment: &Segment) -> Expected {
        let (warm, sla_share) = SegmentIntegrals::values(segment);
        Expected::from_integrals(segment, warm, sla_share)
    }

    /// [`Expected::of_segment`], bit for bit, taking its integrals from
    /// `kept` when they were computed for the same decay, delay, calendar and
    /// SLA, and keeping them there otherwise.
    pub(crate) fn of_segment_kept(segment: &Segment, kept: &mut Option<SegmentIntegrals>) -> Expected {
        let integrals = match kept.take() {
            Some(integrals) if integrals.applies_to(segment) => integrals,
            _ => SegmentIntegrals::of(segment),
        };
        let expected = Expected::from_integrals(segment, integrals.warm, integrals.sla_share);
        *kept = Some(integrals);
        expected
    }

    /// A segment's expectations from its warm probability and SLA share.
    fn from_integrals(segment: &Segment, warm: f64, sla_share: Option<f64>) -> Expected {
        let follow_up = segment.follow_up();
        let n = segment.sqls() as f64;
        let p = segment.close_rate();
        let value = segment.deal_value().mean();
        let worked = segment.worked_sqls();
        let customers = worked * p * warm;
        let customers_ideal = n * p;
        let sla_met = sla_share.map(|within| {
            let worked_share = match follow_up.neglect() {
                Neglect::None => 1.0,
                Neglect::Count(_) if n == 0.0 => 1.0,
                Neglect::Count(_) => worked / n,
                Neglect::Probability(q) => 1.0 - q,
            };
            worked_share * within
        });
        let never = (n - worked) * p;
        let late = worked * p * (1.0 - warm);
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
            lost: Some(LossSplit {
                never_followed_up: Loss {
                    customers: never,
                    revenue: never * value,
                },
                too_late: Loss {
                    customers: late,
                    revenue: late * value,
                },
            }),
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
            lost: None,
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

/// The two integrals of a segment's expectation, its warm probability
/// `E[f(D)]` and its share of SQLs within the SLA, with what they depend on.
/// An expectation over uncertain inputs evaluates thousands of realised
/// segments of which often only a close rate, a count or a deal value
/// moves: those reuse the integrals (a fuzzed segment with a schedule decay
/// and a slow log-normal delay spent 76 s recomputing the same one).
#[derive(Debug, Clone)]
pub(crate) struct SegmentIntegrals {
    decay: DecayCurve,
    delay: DelayDistribution,
    hours: Option<BusinessHours>,
    sla: Option<f64>,
    warm: f64,
    sla_share: Option<f64>,
}

impl SegmentIntegrals {
    /// The warm probability and SLA share of `segment`, computed.
    fn values(segment: &Segment) -> (f64, Option<f64>) {
        let sla = segment.follow_up().sla().map(|h| h.get());
        (
            segment_warm_probability(segment),
            sla.map(|sla| segment_sla_share(segment, sla)),
        )
    }

    /// The integrals of `segment`, computed, with what they depend on.
    fn of(segment: &Segment) -> SegmentIntegrals {
        let (warm, sla_share) = SegmentIntegrals::values(segment);
        SegmentIntegrals {
            decay: segment.decay().clone(),
            delay: segment.follow_up().delay().clone(),
            hours: segment.business_hours().cloned(),
            sla: segment.follow_up().sla().map(|h| h.get()),
            warm,
            sla_share,
        }
    }

    /// Whether these are `segment`'s integrals: the same decay, delay,
    /// calendar and SLA (what [`segment_warm_probability`] and
    /// [`segment_sla_share`] read).
    fn applies_to(&self, segment: &Segment) -> bool {
        self.decay == *segment.decay()
            && self.delay == *segment.follow_up().delay()
            && self.hours.as_ref() == segment.business_hours()
            && self.sla.map(f64::to_bits) == segment.follow_up().sla().map(|h| h.get().to_bits())
    }
}
