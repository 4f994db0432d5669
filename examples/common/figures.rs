//! Figures of a `simulate` report that the table and the HTML report share:
//! the unit of money, and the chance of the customer goal (exact where the
//! model allows it, the Monte Carlo estimate with its standard error
//! otherwise).

use lead_decay::Report;

use super::{grouped, percent};

/// The unit of money columns: the scenario's currency, or a plain word
/// when it sets none (never an empty cell).
pub fn money_unit(report: &Report) -> String {
    report
        .currency
        .clone()
        .unwrap_or_else(|| "money (no currency set)".to_owned())
}

/// A probability as a percentage that never rounds a possible outcome to
/// a certainty: `> 99.9 %`, `< 0.1 %`.
pub fn probability(p: f64) -> String {
    if p > 0.9995 && p < 1.0 {
        "> 99.9 %".to_owned()
    } else if p < 0.0005 && p > 0.0 {
        "< 0.1 %".to_owned()
    } else {
        percent(p)
    }
}

/// The goal rows of the `simulate` table, in its eight columns (metric,
/// expected, mean, 95 % CI of the mean, p05, p50, p95, unit): the exact
/// probability under "expected" (or `-` with the reason below the table),
/// the Monte Carlo share under "mean" with its confidence interval.
pub fn goal_rows(report: &Report) -> Vec<[String; 8]> {
    let Some(goal) = report.goal else {
        return Vec::new();
    };
    let row = |label: String, exact: Option<f64>, estimate: f64, se: f64| {
        let pct = |x: f64| grouped(100.0 * x, 2);
        [
            label,
            // A possible outcome never rounds to a certainty: `< 0.1`.
            exact.map_or_else(|| "-".to_owned(), |p| probability(p).trim_end_matches(" %").to_owned()),
            pct(estimate),
            format!(
                "{} to {}",
                pct((estimate - 1.96 * se).max(0.0)),
                pct((estimate + 1.96 * se).min(1.0))
            ),
            "-".to_owned(),
            "-".to_owned(),
            "-".to_owned(),
            "% of trials".to_owned(),
        ]
    };
    vec![
        row(
            format!("P(at least {} customers)", goal.customers),
            goal.exact.map(|e| e.probability),
            goal.probability,
            goal.std_error,
        ),
        row(
            format!("P(at least {} customers), all worked at once", goal.customers),
            goal.exact.map(|e| e.probability_ideal),
            goal.probability_ideal,
            goal.std_error_ideal,
        ),
    ]
}

/// A note under the table when the goal's chance is only estimated.
pub fn goal_note(report: &Report) -> Option<String> {
    let goal = report.goal?;
    let reason = goal.not_exact.filter(|_| goal.exact.is_none())?;
    Some(format!(
        "P(at least {} customers) is estimated from the trials (standard error {} points), not exact: {reason}.",
        goal.customers,
        grouped(100.0 * goal.std_error.max(goal.std_error_ideal), 2)
    ))
}
