//! The verdict: what neglect costs, in one sentence an analyst can read out.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::{GoalChance, Report};
use crate::exact::LossSplit;

/// The one-sentence answer of a run, from its exact expectations (and its
/// goal probabilities): the customers lost out of those an immediate
/// follow-up would win, the revenue lost, the ROI points lost, which cause
/// dominates (SQLs never followed up or followed up too late), and how the
/// chance of the goal falls (exact where the model allows it, otherwise the
/// Monte Carlo estimate with its standard error).
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
/// assert_eq!(
///     verdict.to_string(),
///     "Neglect costs 1.25 of 10.00 expected customers (12.5 %), 125,000 in expected revenue, \
///      all of it from SQLs never followed up; P(at least 10 customers) falls from 56.0 % to 37.4 %."
/// );
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
    /// Where the loss comes from, when the expectations are exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<LossSplit>,
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
            lost: e.lost,
        }
    }

    /// What the loss is called, and how it splits: the subject of the
    /// sentence and the clause that says which cause dominates.
    fn causes(&self) -> (&'static str, String) {
        let Some(lost) = self.lost else {
            return ("Neglect and delay cost", String::new());
        };
        let (never, late) = (lost.never_followed_up.customers, lost.too_late.customers);
        // A cause whose share of the loss is below rounding counts as none.
        let tiny = 1e-12 * self.customers_ideal.max(1.0);
        match (never > tiny, late > tiny) {
            (true, false) => ("Neglect costs", ", all of it from SQLs never followed up".to_owned()),
            (false, true) => (
                "Slow follow-up costs",
                ", all of it from SQLs followed up too late".to_owned(),
            ),
            (false, false) => ("Neglect and delay cost", String::new()),
            (true, true) => {
                let never_part = ("SQLs never followed up", never);
                let late_part = ("SQLs followed up too late", late);
                let (first, second) = if late >= never {
                    (late_part, never_part)
                } else {
                    (never_part, late_part)
                };
                let most = if first.1 == second.1 { "half" } else { "most" };
                (
                    "Neglect and slow follow-up cost",
                    format!(
                        ": {most} of it from {} ({} customers), the rest from {} ({})",
                        first.0,
                        grouped(first.1, 2),
                        second.0,
                        grouped(second.1, 2)
                    ),
                )
            }
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
        let (subject, split) = self.causes();
        if self.lost.is_some() && split.is_empty() {
            // Exact expectations with no loss at all.
            write!(
                f,
                "Nothing is lost to neglect or delay: all {} expected customers are won, as with every SQL worked at once",
                grouped(self.customers_ideal, 2)
            )?;
        } else {
            write!(
                f,
                "{subject} {} of {} expected customers ({}), {} in expected revenue",
                grouped(self.customers_lost, 2),
                grouped(self.customers_ideal, 2),
                percent(self.share_lost()),
                money(self.revenue_lost, self.currency.as_deref()),
            )?;
            if let Some(roi_lost) = self.roi_lost {
                write!(f, " ({} points of ROI)", grouped(100.0 * roi_lost, 1))?;
            }
            f.write_str(&split)?;
        }
        if let Some(goal) = &self.goal {
            let (probability, probability_ideal) = goal.best();
            write!(f, "; P(at least {} customers) ", goal.customers)?;
            let (from, to) = (chance(probability_ideal), chance(probability));
            if probability < probability_ideal {
                write!(f, "falls from {from} to {to}")?;
            } else if probability > probability_ideal {
                write!(f, "rises from {from} to {to}")?;
            } else {
                write!(f, "stays at {to}")?;
            }
            if let Some(reason) = goal.not_exact.filter(|_| goal.exact.is_none()) {
                write!(
                    f,
                    " (Monte Carlo estimates, standard error {} points; not exact: {reason})",
                    grouped(100.0 * goal.std_error.max(goal.std_error_ideal), 1)
                )?;
            }
        }
        f.write_str(".")
    }
}

/// `1234567.891` with `decimals` decimals and thousands separators:
/// `1,234,567.89`, as the verdict and the examples print numbers.
///
/// At most 1,074 decimals are written (a double's exact binary expansion
/// has no more; a larger `decimals` gives the same text), so that any
/// `decimals` makes a string of bounded size.
///
/// ```
/// assert_eq!(lead_decay::whatif::grouped(-1_234_567.891, 2), "-1,234,567.89");
/// ```
pub fn grouped(x: f64, decimals: usize) -> String {
    /// The last nonzero decimal of a double is at most the 1,074th (`2^-1074`).
    const MAX_DECIMALS: usize = 1074;
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", decimals.min(MAX_DECIMALS), x.abs());
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

/// A probability as a percentage that never rounds a possible outcome to a
/// certainty: `> 99.9 %`, `< 0.1 %`.
fn chance(p: f64) -> String {
    if p > 0.9995 && p < 1.0 {
        "> 99.9 %".to_owned()
    } else if p < 0.0005 && p > 0.0 {
        "< 0.1 %".to_owned()
    } else {
        percent(p)
    }
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
        assert_eq!(
            text,
            "Neglect costs 1.25 of 10.00 expected customers (12.5 %), 125,000 in expected revenue, \
             all of it from SQLs never followed up; P(at least 10 customers) falls from 56.0 % to 37.4 %."
        );
    }

    fn verdict_of(toml: &str) -> String {
        let scenario = Scenario::from_toml_str(toml).unwrap();
        let report = Simulation::new(&scenario).trials(200).seed(1).run().unwrap();
        Verdict::of(&report).to_string()
    }

    #[test]
    fn the_verdict_names_the_cause_that_dominates() {
        // 100 SQLs at 50 %, 10 never followed up, the rest after a day on a
        // step of 12 hours: 5 customers lost to neglect, 45 to delay.
        let both = verdict_of(
            r#"
            name = "late"
            [[segments]]
            name = "web"
            sqls = 100
            close_rate = 0.5
            deal_value = 1000
            decay = { shape = "step", shelf_life = "12h" }
            neglected = 10
            follow_up = { dist = "fixed", delay = "1d" }
            "#,
        );
        assert!(
            both.starts_with(
                "Neglect and slow follow-up cost 50.00 of 50.00 expected customers (100.0 %), 50,000 in expected \
                 revenue: most of it from SQLs followed up too late (45.00 customers), the rest from SQLs never \
                 followed up (5.00)."
            ),
            "{both}"
        );
        let late = verdict_of(
            r#"
            name = "late"
            [[segments]]
            name = "web"
            sqls = 100
            close_rate = 0.5
            deal_value = 1000
            decay = { shape = "step", shelf_life = "12h" }
            follow_up = { dist = "fixed", delay = "1d" }
            "#,
        );
        assert!(late.starts_with("Slow follow-up costs 50.00 of 50.00"), "{late}");
        assert!(late.contains("all of it from SQLs followed up too late"), "{late}");
        let none = verdict_of(
            r#"
            name = "in time"
            customer_goal = 30
            [[segments]]
            name = "web"
            sqls = 100
            close_rate = 0.5
            deal_value = 1000
            decay = { shape = "step", shelf_life = "12h" }
            follow_up = { dist = "fixed", delay = "1h" }
            "#,
        );
        assert!(
            none.starts_with(
                "Nothing is lost to neglect or delay: all 50.00 expected customers are won, as with every SQL \
                 worked at once; P(at least 30 customers) stays at > 99.9 %."
            ),
            "{none}"
        );
    }

    #[test]
    fn without_an_exact_goal_chance_the_estimate_carries_its_standard_error() {
        let mut goal = GoalChance::from_estimate(10, 0.25, 0.5, 400);
        goal.not_exact = Some(crate::exact::NotExact::UncertainInputs);
        let verdict = Verdict {
            customers_lost: 1.0,
            customers_ideal: 10.0,
            revenue_lost: 100.0,
            currency: None,
            roi_lost: None,
            goal: Some(goal),
            lost: None,
        };
        let text = verdict.to_string();
        assert!(
            text.ends_with(
                "P(at least 10 customers) falls from 50.0 % to 25.0 % (Monte Carlo estimates, standard error 2.5 \
                 points; not exact: the scenario has uncertain inputs)."
            ),
            "{text}"
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
