//! The calibration in words: what the data say, as a sales manager would
//! say it, then the technical detail below a line, each term explained.
//! Numbers to a sensible precision: durations in minutes, hours or days
//! with two or three digits, counts and money with thousands separators.

use std::fmt::Write as _;

use super::decay_fit::ShapeKind;
use super::estimate::Estimate;
use super::export::{Export, SkipReason};
use super::report::{Calibration, ShapeWeight};
use crate::model::follow_up::DelayDistribution;
use crate::whatif::grouped;

/// The terms of the technical detail, each with a one-line explanation
/// (printed under it).
pub const GLOSSARY: &[(&str, &str)] = &[
    (
        "95 % interval",
        "the range of values the data leave plausible for an estimate; 95 % of intervals made this way hold the truth",
    ),
    (
        "Wilson interval",
        "the 95 % interval of a share such as won / decided, accurate even for a handful of SQLs",
    ),
    (
        "AIC",
        "Akaike's information criterion: how well a model fits, with a penalty for each parameter; lower is better, and a difference under 2 is no real evidence",
    ),
    (
        "Akaike weight",
        "the probability, given the data, that a shape is the best of those fitted (from the AIC differences)",
    ),
    (
        "censored",
        "an SQL still open at the as-of date has no outcome yet: it counts as \"not decided yet\", neither won nor lost, and weighs by how long it has been open",
    ),
    (
        "sales cycle",
        "the time from the first contact to the decision, won or lost; fitted separately for each (Weibull)",
    ),
    (
        "never followed up",
        "the share of SQLs that sales never contact; closed SQLs without a contact count here, open ones may still be contacted",
    ),
];

/// A duration for people: minutes under an hour, hours under two days,
/// days beyond, with two or three significant digits.
///
/// ```
/// use lead_decay::calibrate::duration;
///
/// assert_eq!(duration(0.58), "35 min");
/// assert_eq!(duration(8.234), "8.2 h");
/// assert_eq!(duration(51.989257585180745), "2.2 days");
/// assert_eq!(duration(24.0 * 1_234.4), "1,234 days");
/// assert_eq!(duration(f64::INFINITY), "never");
/// ```
pub fn duration(hours: f64) -> String {
    if !hours.is_finite() {
        return "never".to_owned();
    }
    if hours < 1.0 {
        format!("{} min", grouped(hours * 60.0, 0))
    } else if hours < 48.0 {
        format!("{} h", grouped(hours, usize::from(hours < 10.0)))
    } else {
        let days = hours / 24.0;
        format!("{} days", grouped(days, usize::from(days < 10.0)))
    }
}

fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1} %", 100.0 * share)
    } else {
        "-".to_owned()
    }
}

fn count(n: u64) -> String {
    grouped(n as f64, 0)
}

/// An estimate as `value [low, high]`, each through `show`.
fn with_interval(e: &Estimate, show: impl Fn(f64) -> String) -> String {
    if e.ci95_low.is_finite() && e.ci95_high.is_finite() {
        format!("{} [{}, {}]", show(e.value), show(e.ci95_low), show(e.ci95_high))
    } else {
        show(e.value)
    }
}

/// A plain number: three significant digits below 100, whole numbers with
/// separators above.
fn number(x: f64) -> String {
    if !x.is_finite() {
        "-".to_owned()
    } else if x.abs() >= 100.0 {
        grouped(x, 0)
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// A fitted parameter as `name value [low, high]`: durations (`*_hours`,
/// the table's `f(12.5h)`) in minutes, hours or days.
fn parameter(p: &Estimate) -> String {
    if let Some(name) = p.name.strip_suffix("_hours") {
        return format!("{name} {}", with_interval(p, duration));
    }
    let at = p
        .name
        .strip_prefix("f(")
        .and_then(|t| t.strip_suffix("h)"))
        .and_then(|t| t.parse::<f64>().ok());
    match at {
        Some(t) => format!("f({}) {}", duration(t), with_interval(p, number)),
        None => format!("{} {}", p.name, with_interval(p, number)),
    }
}

/// The as-of date as `2024-03-31 00:00 UTC`.
fn as_of(text: &str) -> String {
    text.parse::<jiff::Timestamp>()
        .map_or_else(|_| text.to_owned(), |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
}

/// How leads cool under each shape, in words.
fn cools(shape: ShapeKind) -> &'static str {
    match shape {
        ShapeKind::Step => "all at once",
        ShapeKind::Linear => "steadily, in a straight line to nothing",
        ShapeKind::Exponential => "gradually, losing the same share every hour",
        ShapeKind::Weibull => "gradually, at a pace that changes with time",
        ShapeKind::Table => "as the binned rates show",
    }
}

/// The median of a delay distribution (by bisection on its CDF).
fn median(delay: &DelayDistribution) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while delay.cdf(hi) < 0.5 && hi < 1e12 {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if delay.cdf(mid) < 0.5 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// What happened to the rows of an export, for people: rows read, used and
/// skipped (each reason with its count, first lines and an example), every
/// warning, the outcomes, and the as-of date. Printed before any fit, and
/// also when every row was skipped.
pub fn import_report(export: &Export) -> String {
    let s = export.summary();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Rows: {} read, {} used, {} skipped ({})",
        count(s.rows),
        count(s.used),
        count(s.skipped),
        if s.used > 0 {
            format!("as of {}", export.as_of())
        } else {
            "no as-of date: no row used".to_owned()
        }
    );
    for (reason, n) in &s.skipped_by_reason {
        let lines: Vec<String> = s
            .skipped_lines
            .get(reason)
            .map(|l| l.iter().map(u64::to_string).collect())
            .unwrap_or_default();
        let more = if (lines.len() as u64) < *n { ", ..." } else { "" };
        let _ = writeln!(
            out,
            "  skipped: {} x {reason} (lines {}{more})",
            count(*n),
            lines.join(", ")
        );
        if *reason == SkipReason::UnknownOutcome {
            // The most frequent labels first; a handful shows the pattern.
            let mut labels: Vec<(&String, &u64)> = s.unknown_outcomes.iter().collect();
            labels.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let shown: Vec<String> = labels
                .iter()
                .take(12)
                .map(|(l, n)| format!("{l:?} x {}", count(**n)))
                .collect();
            let more = labels.len().saturating_sub(12);
            let _ = writeln!(
                out,
                "    labels: {}{}; map them with --won, --lost, --open or --open-otherwise",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        } else if let Some(p) = export.problems().iter().find(|p| p.reason == *reason) {
            let _ = writeln!(out, "    e.g. {p}");
        }
    }
    for w in &s.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let _ = writeln!(
        out,
        "Outcomes: {} won, {} lost, {} open; {} contacted",
        count(s.won),
        count(s.lost),
        count(s.open),
        count(s.contacted)
    );
    out
}

impl Calibration {
    /// What the data say, in a manager's words, one sentence a line: the
    /// close rate, how leads cool (or that the data cannot tell), who is
    /// never followed up and how long the rest wait, the sales cycle and
    /// the SQLs still open, and the revenue lost to neglect and delay
    /// (for [`Calibration::sqls`] SQLs; a range when the shapes the data
    /// cannot tell apart disagree).
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let best = self.decay.best();
        lines.push(format!(
            "What the data say ({} SQLs, as of {}):",
            count(self.import.used),
            as_of(&self.as_of)
        ));
        let p = &best.close_rate;
        lines.push(if p.ci95_low.is_finite() {
            format!(
                "Worked at once, about {} of SQLs close (95 % interval {} to {}).",
                percent(p.value),
                percent(p.ci95_low),
                percent(p.ci95_high)
            )
        } else {
            format!("Worked at once, about {} of SQLs close.", percent(p.value))
        });
        let plausible = self.plausible_shapes();
        let half = |s: &ShapeWeight| match s.time_to_50_hours {
            Some(t) => format!("half the chance of closing is gone after {}", duration(t)),
            None => "the chance of closing does not fall by half over these delays".to_owned(),
        };
        match plausible.as_slice() {
            [] => {}
            [one] => lines.push(format!(
                "Leads cool {}: {} ({} fits best, with {} of the evidence).",
                cools(one.shape),
                half(one),
                one.shape.name(),
                percent(one.weight)
            )),
            many => {
                let list: Vec<String> = many
                    .iter()
                    .map(|s| format!("{} ({}, {})", cools(s.shape), s.shape.name(), percent(s.weight)))
                    .collect();
                let c = &self.decay.censoring;
                let contacted = self.decay.sqls + if c.open_censored { c.open } else { 0 };
                lines.push(format!(
                    "On {} contacted SQLs the data can't tell how leads cool: {}.",
                    count(contacted),
                    list.join("; or ")
                ));
            }
        }
        let delay = self.follow_up.best();
        lines.push(format!(
            "{} of SQLs are never followed up; the rest are first contacted after a median of {}.",
            percent(delay.never_followed_up.value),
            duration(median(&delay.distribution))
        ));
        let c = &self.decay.censoring;
        match (self.decay.sales_cycle(), c.open_censored) {
            (Some(cycle), true) => lines.push(format!(
                "Won deals are decided a median of {} after the first contact, lost ones {}; the {} contacted SQLs still open count as not decided yet.",
                duration(24.0 * cycle.won.median_days.value),
                duration(24.0 * cycle.lost.median_days.value),
                count(c.open)
            )),
            (cycle, false) => {
                if let Some(cycle) = cycle {
                    lines.push(format!(
                        "Won deals are decided a median of {} after the first contact, lost ones {}.",
                        duration(24.0 * cycle.won.median_days.value),
                        duration(24.0 * cycle.lost.median_days.value)
                    ));
                }
                if c.open > 0 {
                    lines.push(format!(
                        "{} contacted SQLs are still open and were left out ({}): if losses are recorded later than wins, the close rate is too high.",
                        count(c.open),
                        c.left_out_because.as_deref().unwrap_or("the sales cycle is not identified")
                    ));
                }
            }
            (None, true) => {}
        }
        let considered: Vec<&ShapeWeight> = if plausible.is_empty() {
            self.shapes.iter().take(1).collect()
        } else {
            plausible
        };
        let spread = |get: &dyn Fn(&ShapeWeight) -> Option<(f64, f64)>| -> Option<(f64, f64, f64, f64)> {
            let values: Vec<(f64, f64)> = considered.iter().filter_map(|s| get(s)).collect();
            let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v.0), hi.max(v.0))
            });
            let share = |x: f64, ideal: f64| if ideal > 0.0 { x / ideal } else { 0.0 };
            let lo_share = values.iter().map(|v| share(v.0, v.1)).fold(f64::INFINITY, f64::min);
            let hi_share = values.iter().map(|v| share(v.0, v.1)).fold(f64::NEG_INFINITY, f64::max);
            (!values.is_empty()).then_some((lo, hi, lo_share, hi_share))
        };
        let cost = |what: &str, decimals: usize, (lo, hi, lo_share, hi_share): (f64, f64, f64, f64)| {
            // Shapes that agree on the cost to 2 % give one number.
            if considered.len() > 1 && hi - lo <= 0.02 * hi.abs() {
                format!(
                    "For {} SQLs, neglect and delay cost an expected {} {what} ({} of what working every SQL at once would bring), whichever of these shapes is right.",
                    count(self.sqls),
                    grouped(0.5 * (lo + hi), decimals),
                    percent(0.5 * (lo_share + hi_share))
                )
            } else if considered.len() > 1 {
                format!(
                    "For {} SQLs, neglect and delay cost an expected {} to {} {what} ({} to {}), depending on how leads cool.",
                    count(self.sqls),
                    grouped(lo, decimals),
                    grouped(hi, decimals),
                    percent(lo_share),
                    percent(hi_share)
                )
            } else {
                format!(
                    "For {} SQLs, neglect and delay cost an expected {} {what} ({} of what working every SQL at once would bring).",
                    count(self.sqls),
                    grouped(lo, decimals),
                    percent(lo_share)
                )
            }
        };
        if let Some(revenue) = spread(&|s| s.revenue_lost.zip(s.revenue_ideal)) {
            lines.push(cost("in revenue", 0, revenue));
        } else if let Some(customers) = spread(&|s| Some((s.customers_lost, s.customers_ideal))) {
            lines.push(cost("customers", 1, customers));
        }
        lines
    }

    /// The technical detail: the follow-up fits, conversion by delay, every
    /// decay shape with its AIC, Akaike weight and expected losses, the
    /// sales cycle and what was done with open SQLs, the deal values, and
    /// the terms explained ([`GLOSSARY`]).
    pub fn details(&self) -> String {
        let mut out = String::new();
        let f = &self.follow_up;
        let _ = writeln!(
            out,
            "Follow-up: {} contacted, {} never contacted, {} open and not yet contacted (censored); median observed delay {}",
            count(f.contacted),
            count(f.never_contacted),
            count(f.censored),
            duration(f.empirical_median_hours)
        );
        let _ = writeln!(
            out,
            "  {:<12} {:>12} {:>28}  parameters",
            "family", "AIC", "never followed up [95 %]"
        );
        for fit in &f.fits {
            let params: Vec<String> = fit.parameters.iter().map(parameter).collect();
            let _ = writeln!(
                out,
                "  {:<12} {:>12} {:>28}  {}",
                fit.family,
                grouped(fit.aic, 1),
                with_interval(&fit.never_followed_up, percent),
                params.join(", ")
            );
        }
        let d = &self.decay;
        let _ = writeln!(
            out,
            "\nConversion by delay ({} contacted and decided, {} won; Wilson 95 % intervals):",
            count(d.sqls),
            count(d.won)
        );
        let _ = writeln!(
            out,
            "  {:>23} {:>8} {:>7} {:>26}",
            "delay", "SQLs", "won", "rate [95 %]"
        );
        for b in &d.bins {
            let _ = writeln!(
                out,
                "  {:>10} - {:>10} {:>8} {:>7} {:>26}",
                duration(b.from_hours),
                duration(b.to_hours),
                count(b.sqls),
                count(b.won),
                format!(
                    "{} [{}, {}]",
                    percent(b.rate),
                    percent(b.ci95_low),
                    percent(b.ci95_high)
                )
            );
        }
        let _ = writeln!(
            out,
            "\nDecay shapes, best first (expected losses for {} SQLs):",
            count(self.sqls)
        );
        let money = self.shapes.iter().any(|s| s.revenue_lost.is_some());
        let _ = writeln!(
            out,
            "  {:<12} {:>12} {:>8} {:>7} {:>28} {:>14} {:>14} {:>16}",
            "shape",
            "AIC",
            "ΔAIC",
            "weight",
            "close rate [95 %]",
            "half gone",
            "90 % gone",
            if money { "revenue lost" } else { "customers lost" }
        );
        for fit in &d.fits {
            let weight = self.shapes.iter().find(|s| s.shape == fit.shape);
            let time = |e: &Option<Estimate>| e.as_ref().map_or("never".to_owned(), |e| duration(e.value));
            let lost = weight.map_or("-".to_owned(), |w| match w.revenue_lost {
                Some(r) => grouped(r, 0),
                None => grouped(w.customers_lost, 1),
            });
            let _ = writeln!(
                out,
                "  {:<12} {:>12} {:>8} {:>7} {:>28} {:>14} {:>14} {:>16}",
                fit.shape.name(),
                grouped(fit.aic, 1),
                weight.map_or("-".to_owned(), |w| grouped(w.delta_aic, 1)),
                weight.map_or("-".to_owned(), |w| percent(w.weight)),
                with_interval(&fit.close_rate, percent),
                time(&fit.time_to_50),
                time(&fit.time_to_10),
                lost
            );
            let params: Vec<String> = fit.parameters.iter().take(4).map(parameter).collect();
            let _ = writeln!(
                out,
                "  {:<12} {}{}",
                "",
                params.join(", "),
                if fit.parameters.len() > 4 { ", ..." } else { "" }
            );
        }
        for n in &d.not_identified {
            let _ = writeln!(out, "  {:<12} not identified: {}", n.shape.name(), n.reason);
        }
        let c = &d.censoring;
        let _ = writeln!(
            out,
            "\nAs of {}: {} contacted SQLs still open; {} decided with a decision date, {} without.",
            as_of(&c.as_of),
            count(c.open),
            count(c.decided_dated),
            count(c.decided_undated)
        );
        if c.open_censored {
            let _ = writeln!(
                out,
                "  Open SQLs are censored on their outcome, with the sales cycle fitted jointly with each shape{}.",
                if c.decided_dated == 0 {
                    " (no decision dates: the cycle is read from how the share decided grows with the time since contact)"
                } else {
                    ""
                }
            );
        } else if let Some(why) = &c.left_out_because {
            let _ = writeln!(out, "  Open SQLs are left out of the decay fits: {why}.");
        }
        if let Some(cycle) = d.sales_cycle() {
            for (name, part) in [("won", &cycle.won), ("lost", &cycle.lost)] {
                let days = |x: f64| duration(24.0 * x);
                let _ = writeln!(
                    out,
                    "  Sales cycle, {name}: median {}, Weibull scale {}, k {} ({} with a date, {} without)",
                    with_interval(&part.median_days, days),
                    with_interval(&part.scale_days, days),
                    with_interval(&part.k, number),
                    count(part.dated),
                    count(part.undated)
                );
            }
        }
        if let (Some(mean), cv) = (self.mean_deal_value, self.deal_value_cv) {
            let _ = writeln!(
                out,
                "\nDeal value: mean {} (coefficient of variation {})",
                grouped(mean, 0),
                cv.map_or("-".to_owned(), number)
            );
        }
        let _ = writeln!(out, "\nTerms:");
        for (term, meaning) in GLOSSARY {
            let _ = writeln!(out, "  {term}: {meaning}");
        }
        out
    }

    /// The whole text report: [`Calibration::summary`], a line, then
    /// [`Calibration::details`].
    pub fn report(&self) -> String {
        let mut out = self.summary().join("\n  ");
        out.push_str("\n\n---------------------------------------- technical details\n");
        out.push_str(&self.details());
        out
    }
}
