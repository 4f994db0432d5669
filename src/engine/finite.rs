//! The last guard before a report leaves the crate: every number finite.
//!
//! The constructors bound every parameter to the range where the numerics are
//! proven (deal values, delay scales and shapes, marketing spend), so no
//! NaN or infinity is known to arise. Should one arise all the same, the run
//! returns an error naming the metric, never a report carrying a number
//! computed from NaN or infinity.

use crate::engine::report::{Metrics, Report};
use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::statistics::Summary;

/// `Ok` if every number of `report` is finite; otherwise an error naming the
/// first non-finite figure (`segments[0].expected.customers`).
pub(crate) fn check_report(report: &Report) -> Result<()> {
    check_part("", &report.expected, &report.metrics)?;
    for (i, segment) in report.segments.iter().enumerate() {
        check_part(&format!("segments[{i}]."), &segment.expected, &segment.metrics)?;
    }
    if let Some(goal) = &report.goal {
        for (name, p) in [
            ("probability", goal.probability),
            ("probability_ideal", goal.probability_ideal),
        ] {
            check(&format!("goal.{name}"), p)?;
        }
    }
    Ok(())
}

fn check_part(prefix: &str, expected: &Expected, metrics: &Metrics) -> Result<()> {
    for (name, value) in expected.iter() {
        if let Some(value) = value {
            check(&format!("{prefix}expected.{name}"), value)?;
        }
    }
    for (name, summary) in metrics.iter() {
        check_summary(&format!("{prefix}metrics.{name}"), summary)?;
    }
    Ok(())
}

fn check_summary(path: &str, s: &Summary) -> Result<()> {
    let figures = [
        ("mean", s.mean),
        ("std_dev", s.std_dev),
        ("std_error", s.std_error),
        ("ci95_low", s.ci95_low),
        ("ci95_high", s.ci95_high),
        ("min", s.min),
        ("p05", s.p05),
        ("p25", s.p25),
        ("p50", s.p50),
        ("p75", s.p75),
        ("p95", s.p95),
        ("max", s.max),
    ];
    for (name, value) in figures {
        check(&format!("{path}.{name}"), value)?;
    }
    Ok(())
}

fn check(path: &str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            value,
            "a finite number: an exact expectation could not be computed accurately (parameters outside the \
             range where the numerics are proven, or a business-hours expectation past its bound on work: a \
             follow-up delay far shorter or far longer than the working day); please report this scenario",
        ))
    }
}
