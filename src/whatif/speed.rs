//! The value of speed: bands from the uncertain inputs at every point of a
//! sweep, and the marginal value of one hour of follow-up delay.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::exact::over_inputs::percentile;
use crate::model::knob::Knob;
use crate::model::scenario::Scenario;
use crate::sampling::quasi::ScrambledSobol;

/// One minute, in hours: the fast end of [`Sweep::value_of_speed`](super::Sweep::value_of_speed).
pub const ONE_MINUTE: f64 = 1.0 / 60.0;

/// Thirty days, in hours: the slow end of [`Sweep::value_of_speed`](super::Sweep::value_of_speed).
pub const THIRTY_DAYS: f64 = 30.0 * 24.0;

/// What the uncertain inputs leave open at one point of a sweep: the 5th,
/// 50th and 95th percentiles over the inputs of the exact expectation
/// `E[metric | inputs]`, metric by metric ("the expected revenue lost is
/// between X and Y").
///
/// The swept knob is set to the point's value after the inputs are drawn,
/// so an uncertain input on the swept knob itself is overridden. The
/// percentiles are those of the exact expectations at `samples` scrambled
/// Sobol points of the inputs, the same points at every point of the
/// sweep (so the bands are smooth across it); the inverted-CDF definition,
/// as the Monte Carlo summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputBands {
    /// The points of the inputs the percentiles are taken over.
    pub samples: usize,
    /// The 5th percentile of each metric's expectation over the inputs.
    pub p05: Expected,
    /// The median.
    pub p50: Expected,
    /// The 95th percentile.
    pub p95: Expected,
}

/// What one more hour of mean follow-up delay costs, at the scenario's own
/// setting: the derivative of every expected metric with respect to the
/// mean delay of the swept segments (each stretched in time, its shape
/// kept, as [`Knob::FollowUpMean`] does), per hour.
///
/// `per_hour.revenue_lost` is "each hour of extra delay costs X in
/// expected revenue"; `per_hour.customers` is negative (customers lost per
/// hour). With uncertain inputs, `per_hour` is the derivative of the
/// expectation over the inputs (the mean of the derivatives) and
/// `per_hour_p05` / `per_hour_p95` the range of the derivative over the
/// inputs.
///
/// The derivative is of the exact expectation (no Monte Carlo noise), by
/// central differences of step 1 % of the mean delay refined by one
/// Richardson extrapolation, so its error is of order `1e-8` relative for a
/// smooth expectation (checked against closed forms in the tests); from a
/// mean of 0 (an immediate follow-up, which the knob turns into an
/// exponential delay) it is one-sided. A fixed delay with a step decay
/// makes the expectation jump where the delay crosses the shelf life: there
/// the derivative is that of the smooth parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MarginalValue {
    /// Today's mean delay in hours: the swept segments' mean delays,
    /// weighted by their SQLs, with every uncertain input at its median.
    pub today_hours: f64,
    /// The derivative of every expected metric per hour of extra mean delay
    /// in every swept segment.
    pub per_hour: Expected,
    /// The 5th percentile of the derivative over the uncertain inputs;
    /// `None` without uncertain inputs.
    pub per_hour_p05: Option<Expected>,
    /// The 95th percentile; `None` without uncertain inputs.
    pub per_hour_p95: Option<Expected>,
}

/// Every metric as an array, in [`Expected::NAMES`] order.
fn values(e: &Expected) -> [Option<f64>; 10] {
    let mut out = [None; 10];
    for (slot, (_, v)) in out.iter_mut().zip(e.iter()) {
        *slot = v;
    }
    out
}

/// An [`Expected`] holding `v` (in [`Expected::NAMES`] order); the
/// metrics that always exist are 0 where `v` has none.
fn from_values(v: [Option<f64>; 10]) -> Expected {
    Expected {
        customers: v[0].unwrap_or(0.0),
        customers_ideal: v[1].unwrap_or(0.0),
        customers_lost: v[2].unwrap_or(0.0),
        revenue: v[3].unwrap_or(0.0),
        revenue_ideal: v[4].unwrap_or(0.0),
        revenue_lost: v[5].unwrap_or(0.0),
        roi: v[6],
        roi_ideal: v[7],
        roi_lost: v[8],
        sla_met: v[9],
        lost: None,
    }
}

/// The points of the inputs a sweep's bands and marginal value use: `n`
/// scrambled Sobol points of the scenario's uncertain inputs (one
/// replicate, seeded with `seed`).
pub(crate) fn input_points(scenario: &Scenario, n: usize, seed: u64) -> Result<Vec<Vec<f64>>> {
    if !(2..=ScrambledSobol::MAX_POINTS).contains(&n) {
        return Err(Error::invalid(
            "input_samples",
            n,
            format!("2 to {} points of the uncertain inputs", ScrambledSobol::MAX_POINTS),
        ));
    }
    let design = ScrambledSobol::new(scenario.uncertainty().dimension(), seed, 0)?;
    Ok((0..n)
        .map(|i| {
            let mut u = vec![0.0; design.dimension()];
            design.point(i, &mut u);
            u
        })
        .collect())
}

/// Percentiles metric by metric of a set of expectations.
fn percentiles(all: &[[Option<f64>; 10]], ps: [f64; 3]) -> [Expected; 3] {
    ps.map(|p| {
        let mut out = [None; 10];
        for (m, slot) in out.iter_mut().enumerate() {
            let mut column: Vec<f64> = all.iter().filter_map(|v| v[m]).collect();
            if column.len() == all.len() && !column.is_empty() {
                column.sort_by(f64::total_cmp);
                *slot = Some(percentile(&column, p));
            }
        }
        from_values(out)
    })
}

/// The bands of one sweep point: `knob` at `value` (in `segment`, or every
/// segment) after the inputs at each of `points` are drawn.
pub(crate) fn input_bands(
    scenario: &Scenario,
    knob: Knob,
    value: f64,
    segment: Option<&str>,
    points: &[Vec<f64>],
) -> Result<InputBands> {
    let all = points
        .iter()
        .map(|u| {
            Ok(values(&Expected::of(&knob.apply(
                &scenario.realise(u)?,
                value,
                segment,
            )?)))
        })
        .collect::<Result<Vec<_>>>()?;
    let [p05, p50, p95] = percentiles(&all, [0.05, 0.5, 0.95]);
    Ok(InputBands {
        samples: points.len(),
        p05,
        p50,
        p95,
    })
}

/// The swept segments' names and mean delays.
fn swept(scenario: &Scenario, segment: Option<&str>) -> Vec<(String, f64, u64)> {
    scenario
        .segments()
        .iter()
        .filter(|s| segment.is_none_or(|name| name == s.name()))
        .map(|s| (s.name().to_owned(), s.follow_up().delay().mean().get(), s.sqls()))
        .collect()
}

/// `scenario` with the mean delay of each swept segment `(name, mean)`
/// moved by `h` hours.
fn shifted(scenario: &Scenario, segments: &[(String, f64, u64)], h: f64) -> Result<[Option<f64>; 10]> {
    let mut out = scenario.clone();
    for (name, mean, _) in segments {
        out = Knob::FollowUpMean.apply(&out, mean + h, Some(name))?;
    }
    Ok(values(&Expected::of(&out)))
}

/// The derivative of every expected metric of `scenario` (no uncertainty
/// left) per hour of extra mean delay in the swept segments.
pub(crate) fn derivative(scenario: &Scenario, segment: Option<&str>) -> Result<[Option<f64>; 10]> {
    let segments = swept(scenario, segment);
    let smallest = segments.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let f = |h: f64| shifted(scenario, &segments, h);
    let combine = |a: [Option<f64>; 10], b: [Option<f64>; 10], scale: f64| -> [Option<f64>; 10] {
        let mut out = [None; 10];
        for (slot, (x, y)) in out.iter_mut().zip(a.iter().zip(&b)) {
            *slot = x.zip(*y).map(|(x, y)| (x - y) * scale);
        }
        out
    };
    let richardson = |coarse: [Option<f64>; 10], fine: [Option<f64>; 10], order: f64| {
        let mut out = [None; 10];
        for (slot, (c, f)) in out.iter_mut().zip(coarse.iter().zip(&fine)) {
            // Removes the leading error term, of order h^order.
            let k = 2f64.powf(order);
            *slot = c.zip(*f).map(|(c, f)| (k * f - c) / (k - 1.0));
        }
        out
    };
    let result = if smallest > 0.0 {
        // Central differences, error c2 h² + c4 h⁴: one Richardson step
        // leaves O(h⁴) with h = 1 % of the smallest mean delay.
        let h = 0.01 * smallest;
        let coarse = combine(f(h)?, f(-h)?, 1.0 / (2.0 * h));
        let fine = combine(f(h / 2.0)?, f(-h / 2.0)?, 1.0 / h);
        richardson(coarse, fine, 2.0)
    } else {
        // An immediate follow-up cannot be made faster: forward differences
        // (error c1 h + c2 h²), one Richardson step, h = 36 seconds.
        let h = 0.01;
        let at = f(0.0)?;
        let coarse = combine(f(h)?, at, 1.0 / h);
        let fine = combine(f(h / 2.0)?, at, 2.0 / h);
        richardson(coarse, fine, 1.0)
    };
    if result.iter().flatten().any(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "follow_up.mean",
            "a mean delay where the expectation jumps",
            "a delay whose expected metrics change smoothly with its mean",
        ));
    }
    Ok(result)
}

/// The marginal value of an hour at the scenario's own setting, with its
/// range over the uncertain inputs at `points` (none without uncertainty).
pub(crate) fn marginal_value(scenario: &Scenario, segment: Option<&str>, points: &[Vec<f64>]) -> Result<MarginalValue> {
    let base = scenario.without_uncertainty();
    let today = swept(&base, segment);
    let sqls: u64 = today.iter().map(|s| s.2).sum();
    let today_hours = if sqls > 0 {
        today.iter().map(|s| s.1 * s.2 as f64).sum::<f64>() / sqls as f64
    } else {
        today.iter().map(|s| s.1).sum::<f64>() / today.len().max(1) as f64
    };
    if scenario.uncertainty().is_empty() {
        return Ok(MarginalValue {
            today_hours,
            per_hour: from_values(derivative(&base, segment)?),
            per_hour_p05: None,
            per_hour_p95: None,
        });
    }
    let all = points
        .iter()
        .map(|u| derivative(&scenario.realise(u)?, segment))
        .collect::<Result<Vec<_>>>()?;
    let mut mean = [None; 10];
    for (m, slot) in mean.iter_mut().enumerate() {
        let column: Vec<f64> = all.iter().filter_map(|v| v[m]).collect();
        if column.len() == all.len() && !column.is_empty() {
            *slot = Some(column.iter().sum::<f64>() / column.len() as f64);
        }
    }
    let [p05, _, p95] = percentiles(&all, [0.05, 0.5, 0.95]);
    Ok(MarginalValue {
        today_hours,
        per_hour: from_values(mean),
        per_hour_p05: Some(p05),
        per_hour_p95: Some(p95),
    })
}

/// `steps` values from `from` to `to`, evenly spaced on a log scale.
pub(crate) fn log_grid(from: f64, to: f64, steps: u32) -> Vec<f64> {
    let (a, b) = (from.ln(), to.ln());
    (0..steps)
        .map(|i| {
            if i == 0 {
                from
            } else if i == steps - 1 {
                to
            } else {
                (a + (b - a) * f64::from(i) / f64::from(steps - 1)).exp()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decay::DecayCurve;
    use crate::model::duration::Hours;
    use crate::model::follow_up::DelayDistribution;
    use crate::model::segment::Segment;
    use crate::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};

    /// 100 SQLs, close rate 0.3, deals of 10,000, an exponential delay of
    /// mean `mean` and `decay`.
    fn scenario(mean: f64, decay: DecayCurve) -> Scenario {
        let delay = if mean > 0.0 {
            DelayDistribution::exponential(Hours::new(mean).unwrap()).unwrap()
        } else {
            DelayDistribution::immediate()
        };
        let segment = Segment::builder("web")
            .sqls(100)
            .close_rate(0.3)
            .deal_value(crate::DealValue::fixed(10_000.0).unwrap())
            .decay(decay)
            .delay(delay)
            .build()
            .unwrap();
        Scenario::builder("speed").segment(segment).build().unwrap()
    }

    #[test]
    fn the_derivative_matches_the_closed_form_for_exponential_decay_and_delay() {
        // Half-life T, delay D ~ Exp(mean m): E[2^(-D/T)] = 1 / (1 + λ m) with
        // λ = ln 2 / T, so d E[customers] / dm = -N p λ / (1 + λ m)².
        let half_life = 72.0;
        let lambda = std::f64::consts::LN_2 / half_life;
        for m in [0.5, 10.0, 48.0, 400.0] {
            let s = scenario(m, DecayCurve::exponential(Hours::new(half_life).unwrap()).unwrap());
            let d = derivative(&s, None).unwrap();
            let exact = -100.0 * 0.3 * lambda / (1.0 + lambda * m).powi(2);
            let customers = d[0].unwrap();
            assert!(
                (customers - exact).abs() < 1e-7 * exact.abs(),
                "m = {m}: {customers} vs {exact}"
            );
            // Revenue lost grows as customers fall, deal by deal.
            assert!((d[5].unwrap() + 10_000.0 * customers).abs() < 1e-6 * 10_000.0 * exact.abs());
            // The ideal world does not wait: its derivative is 0.
            assert!(d[1].unwrap().abs() < 1e-9);
        }
    }

    #[test]
    fn the_derivative_matches_the_closed_form_for_linear_decay() {
        // Shelf life L, D ~ Exp(m): E[(1 - D/L)+] = 1 - (m/L)(1 - e^(-L/m)),
        // derivative -(1/L)(1 - e^(-L/m)) + e^(-L/m) / m.
        let shelf = 240.0;
        for m in [1.0, 30.0, 200.0] {
            let s = scenario(m, DecayCurve::linear(Hours::new(shelf).unwrap()).unwrap());
            let d = derivative(&s, None).unwrap()[0].unwrap();
            let e = (-shelf / m).exp();
            let exact = 30.0 * (-(1.0 - e) / shelf + e / m);
            assert!((d - exact).abs() < 1e-6 * exact.abs(), "m = {m}: {d} vs {exact}");
        }
    }

    #[test]
    fn the_derivative_agrees_with_plain_finite_differences_of_the_exact_expectation() {
        let s = scenario(30.0, DecayCurve::b2b_industrial());
        let d = derivative(&s, None).unwrap()[5].unwrap();
        let lost = |m: f64| Expected::of(&Knob::FollowUpMean.apply(&s, m, None).unwrap()).revenue_lost;
        let fd = (lost(30.5) - lost(29.5)) / 1.0;
        assert!(d > 0.0 && (d - fd).abs() < 1e-3 * d, "{d} vs {fd}");
    }

    #[test]
    fn from_an_immediate_follow_up_the_derivative_is_one_sided() {
        // Immediate becomes Exp(m): at m = 0, d/dm 1/(1 + λ m) = -λ.
        let half_life = 24.0;
        let s = scenario(0.0, DecayCurve::exponential(Hours::new(half_life).unwrap()).unwrap());
        let d = derivative(&s, None).unwrap()[0].unwrap();
        let exact = -30.0 * std::f64::consts::LN_2 / half_life;
        assert!((d - exact).abs() < 1e-4 * exact.abs(), "{d} vs {exact}");
    }

    #[test]
    fn with_an_uncertain_close_rate_the_marginal_value_spans_its_range() {
        let base = scenario(48.0, DecayCurve::exponential(Hours::new(72.0).unwrap()).unwrap());
        let s = Scenario::builder(base.name())
            .segment(base.segments()[0].clone())
            .uncertainty(Uncertainty::new().with_input(UncertainInput::new(
                Knob::CloseRate,
                InputDistribution::uniform(0.2, 0.4).unwrap(),
            )))
            .build()
            .unwrap();
        let points = input_points(&s, 256, 1).unwrap();
        let value = marginal_value(&s, None, &points).unwrap();
        assert_eq!(value.today_hours, 48.0);
        // Linear in the close rate: the mean is at 0.3, the 5th and 95th
        // percentiles at about 0.21 and 0.39.
        let lambda = std::f64::consts::LN_2 / 72.0;
        let per_rate = -100.0 * lambda / (1.0 + lambda * 48.0).powi(2);
        assert!((value.per_hour.customers - 0.3 * per_rate).abs() < 1e-4 * per_rate.abs());
        let (p05, p95) = (
            value.per_hour_p05.unwrap().customers,
            value.per_hour_p95.unwrap().customers,
        );
        assert!((p95 / per_rate - 0.21).abs() < 0.005, "{}", p95 / per_rate);
        assert!((p05 / per_rate - 0.39).abs() < 0.005, "{}", p05 / per_rate);
    }

    #[test]
    fn a_log_grid_runs_from_one_minute_to_thirty_days_exactly() {
        let grid = log_grid(ONE_MINUTE, THIRTY_DAYS, 5);
        assert_eq!(grid[0], ONE_MINUTE);
        assert_eq!(grid[4], THIRTY_DAYS);
        let ratios: Vec<f64> = grid.windows(2).map(|w| w[1] / w[0]).collect();
        assert!(ratios.iter().all(|r| (r / ratios[0] - 1.0).abs() < 1e-12), "{ratios:?}");
    }
}
