//! The tornado: each factor moved alone from its low to its high percentile.

use serde::{Deserialize, Serialize};

use super::{check_uncertain, expected_at, factor_input, factor_label, metric_name, metric_value};
use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::model::knob::Knob;
use crate::model::scenario::Scenario;

/// A tornado analysis: each factor of a scenario's uncertain inputs moved
/// alone from a low to a high percentile (by default the 10th and 90th),
/// every other factor at its median, and the exact expectations at both
/// ends; the bars sorted by how far they swing the chosen metric.
///
/// A factor that is a group of inputs drawn jointly owns several
/// coordinates of the unit cube: all of them move together, to the same
/// percentile of their own marginals (the group's "low" is every member at
/// its 10th percentile). That is a reading, not the group's joint 10th
/// percentile, which has no single meaning in several dimensions; the
/// [`Sobol`](super::Sobol) indices treat groups without that choice.
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
/// use lead_decay::sensitivity::Tornado;
/// use lead_decay::whatif::Knob;
/// use lead_decay::Scenario;
///
/// let base = Scenario::reference();
/// let scenario = Scenario::builder(base.name())
///     .segment(base.segments()[0].clone())
///     .uncertainty(Uncertainty::new().with_input(UncertainInput::new(
///         Knob::CloseRate,
///         InputDistribution::uniform(0.2, 0.3)?,
///     )))
///     .build()?;
/// let tornado = Tornado::new().metric("customers").run(&scenario)?;
/// let bar = &tornado.bars[0];
/// // The close rate at its 10th and 90th percentiles: 0.21 and 0.29.
/// assert!((bar.low_value.unwrap() - 0.21).abs() < 1e-12);
/// // 35 SQLs followed up at once (see Scenario::reference): 35 × 0.08 customers.
/// assert!((bar.swing - 35.0 * (0.29 - 0.21)).abs() < 1e-9);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Tornado {
    metric: String,
    low: f64,
    high: f64,
}

impl Default for Tornado {
    fn default() -> Self {
        Tornado::new()
    }
}

impl Tornado {
    /// The tornado of the expected revenue lost, from the 10th to the 90th
    /// percentile of each factor.
    pub fn new() -> Tornado {
        Tornado {
            metric: "revenue_lost".to_owned(),
            low: 0.1,
            high: 0.9,
        }
    }

    /// The metric that orders the bars: one of [`Expected::NAMES`]
    /// (`revenue_lost` or `revenue-lost`). The default is `revenue_lost`.
    /// Every bar still carries every metric at both ends.
    pub fn metric(mut self, name: impl Into<String>) -> Tornado {
        self.metric = name.into();
        self
    }

    /// The percentiles each factor moves between, as probabilities in
    /// (0, 1) with `low < high`. The default is 0.1 and 0.9.
    pub fn percentiles(mut self, low: f64, high: f64) -> Tornado {
        self.low = low;
        self.high = high;
        self
    }

    /// The tornado of `scenario`.
    ///
    /// # Errors
    ///
    /// A scenario without uncertain inputs (field `uncertainty`), an unknown
    /// metric or one the scenario does not have (ROI without a marketing
    /// spend, SLA met without an SLA; field `metric`), percentiles outside
    /// `0 < low < high < 1` (field `percentiles`), or a value a segment
    /// refuses at either end.
    pub fn run(&self, scenario: &Scenario) -> Result<TornadoReport> {
        check_uncertain(scenario)?;
        let metric = metric_name(&self.metric)?;
        if !(self.low > 0.0 && self.low < self.high && self.high < 1.0) {
            return Err(Error::invalid(
                "percentiles",
                format!("{} to {}", self.low, self.high),
                "probabilities with 0 < low < high < 1",
            ));
        }
        let uncertainty = scenario.uncertainty();
        let dimension = uncertainty.dimension();
        let median = vec![0.5; dimension];
        let base = expected_at(scenario, &median)?;
        if metric_value(&base, metric).is_none() {
            return Err(absent_metric(metric));
        }
        let mut bars = Vec::new();
        for factor in uncertainty.factors() {
            let at = |p: f64| -> Result<Expected> {
                let mut u = median.clone();
                u[factor.coordinates.clone()].fill(p);
                expected_at(scenario, &u).map_err(|e| e.within(&format!("factor {:?}", factor.name)))
            };
            let (low, high) = (at(self.low)?, at(self.high)?);
            let value = |e: &Expected| metric_value(e, metric).ok_or_else(|| absent_metric(metric));
            let swing = (value(&high)? - value(&low)?).abs();
            let input = factor_input(uncertainty, &factor);
            bars.push(TornadoBar {
                label: factor_label(uncertainty, &factor),
                knob: input.map(|i| i.knob),
                low_value: input.map(|i| i.distribution.quantile(self.low)),
                high_value: input.map(|i| i.distribution.quantile(self.high)),
                factor: factor.name,
                low,
                high,
                swing,
            });
        }
        // Widest first; equal swings keep the order of the inputs.
        bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
        Ok(TornadoReport {
            scenario: scenario.name().to_owned(),
            metric: metric.to_owned(),
            low_percentile: self.low,
            high_percentile: self.high,
            base,
            bars,
        })
    }
}

/// The error for a metric the scenario does not report.
fn absent_metric(metric: &str) -> Error {
    Error::invalid(
        "metric",
        metric,
        "a metric the scenario has (ROI needs a marketing spend, SLA met an SLA)",
    )
}

/// A tornado: the bars, widest first, and the expectations at the medians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TornadoReport {
    /// The scenario's name.
    pub scenario: String,
    /// The metric that orders the bars (one of [`Expected::NAMES`]).
    pub metric: String,
    /// The percentile each factor's low end is at (0.1 by default).
    pub low_percentile: f64,
    /// The percentile each factor's high end is at (0.9 by default).
    pub high_percentile: f64,
    /// Every metric with every factor at its median: where the bars start.
    pub base: Expected,
    /// One bar per factor, the widest swing first.
    pub bars: Vec<TornadoBar>,
}

impl TornadoReport {
    /// The ordering metric with every factor at its median.
    pub fn base_value(&self) -> f64 {
        metric_value(&self.base, &self.metric).unwrap_or(0.0)
    }
}

/// One bar of a tornado: a factor at its low and at its high percentile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TornadoBar {
    /// The factor's name ([`Factor::name`](crate::model::uncertainty::Factor::name): `close-rate`,
    /// `shelf-life[industrial]`).
    pub factor: String,
    /// The factor in words (`close rate`, `shelf life (industrial)`).
    pub label: String,
    /// The input's knob, for a factor of one input; `None` for a group.
    pub knob: Option<Knob>,
    /// The input at the low percentile, in the knob's unit (hours for
    /// durations); `None` for a group.
    pub low_value: Option<f64>,
    /// The input at the high percentile; `None` for a group.
    pub high_value: Option<f64>,
    /// Every metric with this factor at its low percentile.
    pub low: Expected,
    /// Every metric with this factor at its high percentile.
    pub high: Expected,
    /// `|high - low|` of the ordering metric.
    pub swing: f64,
}

impl TornadoBar {
    /// The metric `name` (one of [`Expected::NAMES`]) at the low and at the
    /// high end; `None` where the metric does not apply.
    pub fn ends(&self, name: &str) -> Option<(f64, f64)> {
        Some((metric_value(&self.low, name)?, metric_value(&self.high, name)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};

    fn reference_with(inputs: Vec<UncertainInput>) -> Scenario {
        let base = Scenario::reference();
        let uncertainty = inputs.into_iter().fold(Uncertainty::new(), Uncertainty::with_input);
        Scenario::builder(base.name())
            .segment(base.segments()[0].clone())
            .uncertainty(uncertainty)
            .build()
            .unwrap()
    }

    #[test]
    fn bars_are_sorted_by_swing_and_an_input_customers_ignore_has_none() {
        let scenario = reference_with(vec![
            UncertainInput::new(Knob::DealValue, InputDistribution::uniform(40_000.0, 60_000.0).unwrap()),
            UncertainInput::new(Knob::CloseRate, InputDistribution::beta_mean_sd(0.25, 0.04).unwrap()),
        ]);
        let tornado = Tornado::new().metric("customers").run(&scenario).unwrap();
        assert_eq!(tornado.bars[0].knob, Some(Knob::CloseRate));
        assert_eq!(tornado.bars[1].knob, Some(Knob::DealValue));
        assert_eq!(tornado.bars[1].swing, 0.0);
        // Customers are linear in the close rate: 35 SQLs worked at once.
        let bar = &tornado.bars[0];
        let (lo, hi) = (bar.low_value.unwrap(), bar.high_value.unwrap());
        assert!((bar.swing - 35.0 * (hi - lo)).abs() < 1e-9);
        // The base is every input at its median.
        let median = InputDistribution::beta_mean_sd(0.25, 0.04).unwrap().median();
        assert!((tornado.base.customers - 35.0 * median).abs() < 1e-9);
        // By revenue lost both matter, and every metric is at both ends.
        let by_revenue = Tornado::new().run(&scenario).unwrap();
        assert!(by_revenue.bars.iter().all(|b| b.swing > 0.0));
        assert!(by_revenue.bars[0].ends("revenue_lost").is_some());
        assert_eq!(by_revenue.bars[0].ends("roi"), None);
    }

    #[test]
    fn errors_name_the_metric_the_percentiles_and_a_scenario_without_uncertainty() {
        let scenario = reference_with(vec![UncertainInput::new(
            Knob::CloseRate,
            InputDistribution::uniform(0.2, 0.3).unwrap(),
        )]);
        let message = |t: Tornado, s: &Scenario| t.run(s).unwrap_err().to_string();
        assert!(message(Tornado::new().metric("profit"), &scenario).starts_with("metric:"));
        assert!(message(Tornado::new().metric("roi"), &scenario).starts_with("metric:"));
        assert!(message(Tornado::new().percentiles(0.9, 0.1), &scenario).starts_with("percentiles:"));
        assert!(message(Tornado::new().percentiles(f64::NAN, 0.9), &scenario).starts_with("percentiles:"));
        assert!(message(Tornado::new(), &Scenario::reference()).starts_with("uncertainty:"));
    }
}
