//! The verdict: what neglect costs, in one sentence an analyst can read out.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::{GoalChance, Report};

/// The one-sentence answer of a run, from its exact expectations (and its
/// goal probabilities): the customers lost out of those an immediate
/// follow-up would win, the revenue lost, the ROI points lost, and how the
/// chance of the goal falls.
///
/// `Display` gives the sentence `simulate` prints:
///
/// ```
/// use lead_decay::whatif::Verdict;
/// use lead_decay::{Scenario, Simulation};
///
/// let report = Simulation::new(&Scenario::reference()).trials(10_000).seed(42).run()?;
/// let verdict = Verdict::of(&report);
/// assert_eq!(verdict.customers_lost, 1.25);
/// assert!(verdict.to_string().starts_with(
///     "Neglect costs 1.25 of 10.00 expected customers (12.5 %), 125,000 in expected revenue; \
///      P(at least 10 customers) falls from "
/// ));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// Expected customers lost to neglect and delay.
    pub customers_lost: f64,
    /// Expected customers had every SQL been worked at once.
    pub customers_ideal: f64,
    /// Expected revenue lost.
    pub revenue_lost: f64,
    /// The currency label of the revenue.
    pub currency: Option<String>,
    /// Expected ROI lost (a share), when there is a marketing spend.
    pub roi_lost: Option<f64>,
    /// The chance of the goal, as followed up and all worked at once.
    pub goal: Option<GoalChance>,
}

impl Verdict {
    /// The verdict of `report`.
    pub fn of(report: &Report) -> Verdict {
        let e = &report.expected;
        Verdict {
            customers_lost: e.customers_lost,
            customers_ideal: e.customers_ideal,
            revenue_lost: e.revenue_lost,
            currency: report.currency.clone(),
            roi_lost: e.roi_lost,
            goal: report.goal,
        }
    }

    /// The share of the expected customers that is lost (0 when there are
    /// none to lose).
    pub fn share_lost(&self) -> f64 {
        if self.customers_ideal > 0.0 {
            self.customers_lost / self.customers_ideal
        } else {
            0.0
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Neglect costs {} of {} expected customers ({}), {} in expected revenue",
            grouped(self.customers_lost, 2),
            grouped(self.customers_ideal, 2),
            percent(self.share_lost()),
            money(self.revenue_lost, self.currency.as_deref()),
        )?;
        if let Some(roi_lost) = self.roi_lost {
            write!(f, " ({} points of ROI)", grouped(100.0 * roi_lost, 1))?;
        }
        if let Some(goal) = &self.goal {
            write!(
                f,
                "; P(at least {} customers) falls from {} to {}",
                goal.customers,
                percent(goal.probability_ideal),
                percent(goal.probability)
            )?;
        }
        f.write_str(".")
    }
}

/// `1234567.891` with `decimals` decimals and thousands separators:
/// `1,234,567.89`, as the verdict and the examples print numbers.
///
/// ```
/// assert_eq!(lead_decay::whatif::grouped(-1_234_567.891, 2), "-1,234,567.89");
/// ```
pub fn grouped(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    let negative = x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

/// A share as a percentage with one decimal: `0.3737` -> `37.4 %`.
fn percent(share: f64) -> String {
    format!("{:.1} %", 100.0 * share)
}

/// Money with the currency label, no decimals: `125,000 USD`.
fn money(x: f64, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{} {c}", grouped(x, 0)),
        None => grouped(x, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Simulation;
    use crate::model::scenario::Scenario;

    #[test]
    fn the_reference_verdict_reads_as_simulate_prints_it() {
        let report = Simulation::new(&Scenario::reference())
            .trials(20_000)
            .seed(42)
            .run()
            .unwrap();
        let text = Verdict::of(&report).to_string();
        let goal = report.goal.unwrap();
        assert_eq!(
            text,
            format!(
                "Neglect costs 1.25 of 10.00 expected customers (12.5 %), 125,000 in expected revenue; \
                 P(at least 10 customers) falls from {} to {}.",
                percent(goal.probability_ideal),
                percent(goal.probability)
            )
        );
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(grouped(-125_000.0, 0), "-125,000");
        assert_eq!(grouped(-0.0001, 2), "0.00");
        assert_eq!(money(125_000.0, Some("USD")), "125,000 USD");
    }
}
