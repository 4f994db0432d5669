//! The `simulate` dashboard: three charts on one canvas.

use plotters::coord::Shift;
use plotters::prelude::*;

use lead_decay::statistics::CountHistogram;
use lead_decay::{Report, Scenario, TrialOutcome};

use super::super::grouped;
use super::{Chart, CustomersChart, DecayChart, DecaySeries, MoneyChart};

/// The `simulate` dashboard: decay and follow-up on top, the customers
/// histogram and the distribution of revenue lost below.
pub struct Dashboard {
    /// Top panel.
    pub decay: DecayChart,
    /// Bottom left.
    pub customers: CustomersChart,
    /// Bottom right.
    pub revenue_lost: MoneyChart,
}

impl Chart for Dashboard {
    fn size(&self) -> (u32, u32) {
        (1400, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (top, bottom) = root.split_vertically(560);
        self.decay.draw_in(&top)?;
        let (left, right) = bottom.split_horizontally(700);
        self.customers.draw_in(&left)?;
        self.revenue_lost.draw_in(&right)
    }
}

/// What the charts need beyond the report: the distribution of customers
/// (ideal and actual, in bounded histograms) and the revenue lost of each
/// trial, the latter for the first [`DashboardData::MAX_VALUES`] trials
/// (memory stays bounded).
#[derive(Default)]
pub struct DashboardData {
    ideal: CountHistogram,
    actual: CountHistogram,
    revenue_lost: Vec<f64>,
}

impl DashboardData {
    const MAX_VALUES: usize = 1_000_000;
    /// The largest customer count the customers chart draws (one bar per
    /// count, from 0): a scenario that reaches more is refused with this
    /// limit, after its report is printed.
    const MAX_CUSTOMERS: u64 = 1_000_000;

    /// Adds one trial.
    pub fn record(&mut self, total: &TrialOutcome) {
        self.ideal.record(total.customers_ideal());
        self.actual.record(total.customers);
        if self.revenue_lost.len() < Self::MAX_VALUES {
            self.revenue_lost.push(total.revenue_lost);
        }
    }

    /// Trials with `k` customers at index `k`.
    fn dense(histogram: &CountHistogram) -> Result<Vec<u64>, String> {
        let max = histogram.max().unwrap_or(0);
        if max > Self::MAX_CUSTOMERS {
            return Err(format!(
                "--chart: the customers chart draws up to {} customers in a trial, this scenario reaches {}; \
                 leave out --chart (the report above is complete)",
                grouped(Self::MAX_CUSTOMERS as f64, 0),
                grouped(max as f64, 0)
            ));
        }
        let mut counts = vec![0u64; max as usize + 1];
        for (k, n) in histogram.iter() {
            counts[k as usize] = n;
        }
        Ok(counts)
    }

    /// The dashboard of `scenario` and its `report`.
    ///
    /// # Errors
    ///
    /// More customers in a trial than the chart draws.
    pub fn dashboard(self, scenario: &Scenario, report: &Report) -> Result<Dashboard, String> {
        use super::DecaySeries;
        let currency = report.currency.as_deref();
        let series = scenario
            .segments()
            .iter()
            .map(|s| DecaySeries {
                name: s.name().to_owned(),
                decay: s.decay().clone(),
                delay: s.follow_up().delay().clone(),
                never: 1.0 - s.worked_sqls() / s.sqls().max(1) as f64,
                clock: s.business_hours().map(|b| b.delay_clock()),
            })
            .collect();
        Ok(Dashboard {
            decay: DecayChart {
                title: if scenario.uncertainty().is_empty() {
                    format!(
                        "{}: how fast SQLs go cold, and how fast sales follows up",
                        report.scenario
                    )
                } else {
                    format!(
                        "{}: how fast SQLs go cold, and how fast sales follows up (uncertain inputs at their medians)",
                        report.scenario
                    )
                },
                series,
            },
            customers: CustomersChart {
                title: format!("customers in {} simulated campaigns", grouped(report.trials as f64, 0)),
                ideal: Self::dense(&self.ideal)?,
                actual: Self::dense(&self.actual)?,
                goal: report.goal.map(|g| g.customers),
                goal_probability: report.goal.map(|g| g.best().0),
            },
            revenue_lost: MoneyChart {
                title: "revenue lost to neglect and delay".to_owned(),
                x_desc: match currency {
                    Some(c) => format!("revenue lost in one simulated campaign ({c})"),
                    None => "revenue lost in one simulated campaign".to_owned(),
                },
                name: "revenue lost".to_owned(),
                values: self.revenue_lost,
                expected: Some(report.expected.revenue_lost),
                bands: match &report.inputs {
                    Some(inputs) => {
                        let (outcomes, given) = (report.metrics.revenue_lost, inputs.given_inputs.revenue_lost);
                        vec![
                            (
                                outcomes.p05,
                                outcomes.p95,
                                "90 % of campaigns (inputs and luck)".to_owned(),
                            ),
                            (
                                given.p05,
                                given.p95,
                                "90 % of expected losses given the inputs".to_owned(),
                            ),
                        ]
                    }
                    None => Vec::new(),
                },
            },
        })
    }
}
