//! Sweeps: one knob over a list of values, every point run with the same
//! seeds.

use serde::{Deserialize, Serialize};

use crate::capacity::{CapacityModel, CapacityReport, CapacitySimulation, MAX_REPS, Precision};
use crate::engine::{Engine, GoalChance, Metrics, Report, Simulation};
use crate::error::{Error, Result};
use crate::exact::Expected;
use crate::model::knob::{Knob, KnobUnit, check_segment};
use crate::model::scenario::Scenario;
use crate::statistics::Summary;

use super::speed::{self, InputBands, MarginalValue, ONE_MINUTE, THIRTY_DAYS};

/// The most points [`Sweep::range`] spaces out: far more than a chart or
/// a table can show.
pub const MAX_STEPS: u32 = 100_000;

/// One knob turned over a list of values, each point run with the same
/// trials and seed: common random numbers, so the difference between two
/// points is the effect of the knob, not noise between independent runs.
///
/// Defaults: 20,000 trials, seed 42, [`Engine::Auto`], all cores.
///
/// # Example
///
/// ```
/// use lead_decay::whatif::{Knob, Sweep};
/// use lead_decay::Scenario;
///
/// // The value of speed: the reference case followed up after 1 hour to 10 days.
/// let sweep = Sweep::range(Knob::FollowUpMean, 1.0, 240.0, 4)?.trials(2_000).seed(7);
/// let report = sweep.run(&Scenario::reference())?;
/// let lost: Vec<f64> = report.points.iter().map(|p| p.expected().unwrap().revenue_lost).collect();
/// assert!(lost.windows(2).all(|w| w[0] < w[1]));
/// assert_eq!(report.points[3].label, "10d");
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sweep {
    knob: Knob,
    values: Vec<f64>,
    segment: Option<String>,
    trials: u64,
    seed: u64,
    engine: Engine,
    threads: Option<usize>,
    #[serde(default = "default_input_samples")]
    input_samples: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    precision: Option<f64>,
}

fn default_input_samples() -> usize {
    512
}

impl Sweep {
    /// A sweep of `knob` over `values`, in the order given.
    pub fn new(knob: Knob, values: Vec<f64>) -> Sweep {
        Sweep {
            knob,
            values,
            segment: None,
            trials: 20_000,
            seed: 42,
            engine: Engine::default(),
            threads: None,
            input_samples: default_input_samples(),
            precision: None,
        }
    }

    /// A sweep of `knob` from `from` to `to`: `steps` points evenly spaced
    /// on a log scale (each a constant factor above the last), for inputs
    /// that matter over orders of magnitude, such as the delay to first
    /// follow-up.
    ///
    /// # Errors
    ///
    /// `from` not a finite number > 0 (field `from`), `to` not greater than
    /// `from` or not finite (field `to`), fewer than 2 or more than
    /// [`MAX_STEPS`] `steps` (field `steps`), or the team knob `reps` (field
    /// `knob`: its values are whole numbers).
    pub fn log_range(knob: Knob, from: f64, to: f64, steps: u32) -> Result<Sweep> {
        if knob.unit() == KnobUnit::Reps {
            return Err(Error::invalid(
                "knob",
                knob.name(),
                "a knob with continuous values (reps are whole numbers)",
            ));
        }
        if !(from > 0.0 && from.is_finite()) {
            return Err(Error::invalid(
                "from",
                from,
                "a finite value > 0 (a log scale starts above 0)",
            ));
        }
        if !(to > from && to.is_finite()) {
            return Err(Error::invalid(
                "to",
                to,
                format!("a finite value greater than from ({from}): the sweep range is empty or reversed"),
            ));
        }
        if !(2..=MAX_STEPS).contains(&steps) {
            return Err(Error::invalid("steps", steps, format!("2 to {MAX_STEPS} points")));
        }
        Ok(Sweep::new(knob, speed::log_grid(from, to, steps)))
    }

    /// The value of speed: the mean follow-up delay from 1 minute to 30
    /// days on a log grid of `steps` points ([`Sweep::log_range`]). Its
    /// report carries the marginal value of an hour at the scenario's own
    /// setting ([`SweepReport::marginal`]) and, with uncertain inputs, their
    /// bands at every point ([`SweepPoint::input_bands`]).
    ///
    /// ```
    /// use lead_decay::whatif::{Knob, Sweep};
    /// use lead_decay::Scenario;
    ///
    /// // The reference case, followed up after 2 days on average.
    /// let scenario = Knob::FollowUpMean.apply(&Scenario::reference(), 48.0, None)?;
    /// let sweep = Sweep::value_of_speed(5)?.trials(500);
    /// assert_eq!(sweep.values()[0], 1.0 / 60.0);
    /// assert_eq!(sweep.values()[4], 720.0);
    /// let report = sweep.run(&scenario)?;
    /// let marginal = report.marginal.unwrap();
    /// assert_eq!(marginal.today_hours, 48.0);
    /// println!("each hour of extra delay costs {:.0} in expected revenue", marginal.per_hour.revenue_lost);
    /// assert!(marginal.per_hour.revenue_lost > 0.0);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Sweep::log_range`] for `steps`.
    pub fn value_of_speed(steps: u32) -> Result<Sweep> {
        Sweep::log_range(Knob::FollowUpMean, ONE_MINUTE, THIRTY_DAYS, steps)
    }

    /// A sweep of `knob` from `from` to `to`: `steps` evenly spaced points,
    /// or for `reps` every whole number from `from` to `to` (`steps` does
    /// not apply).
    ///
    /// # Errors
    ///
    /// `to` not greater than `from` (field `to`); fewer than 2 or more than
    /// [`MAX_STEPS`] `steps` (field `steps`); for `reps`, a bound that is
    /// not a whole number from 1 to [`MAX_REPS`] (fields `from`, `to`).
    pub fn range(knob: Knob, from: f64, to: f64, steps: u32) -> Result<Sweep> {
        if !(to > from) {
            return Err(Error::invalid(
                "to",
                to,
                format!("a value greater than from ({from}): the sweep range is empty or reversed"),
            ));
        }
        if knob.unit() == KnobUnit::Reps {
            for (field, bound) in [("from", from), ("to", to)] {
                if !(bound >= 1.0 && bound.fract() == 0.0 && bound <= f64::from(MAX_REPS)) {
                    return Err(Error::invalid(
                        field,
                        bound,
                        format!("a whole number of reps from 1 to {MAX_REPS}"),
                    ));
                }
            }
            return Ok(Sweep::new(knob, (from as u32..=to as u32).map(f64::from).collect()));
        }
        if steps < 2 {
            return Err(Error::invalid("steps", steps, "at least 2 points"));
        }
        if steps > MAX_STEPS {
            return Err(Error::invalid("steps", steps, format!("at most {MAX_STEPS} points")));
        }
        let values = (0..steps)
            .map(|i| from + (to - from) * f64::from(i) / f64::from(steps - 1))
            .collect();
        Ok(Sweep::new(knob, values))
    }

    /// Turns the knob in the segment called `name` only (default: every
    /// segment). Does not apply to `reps`.
    #[must_use]
    pub fn segment(mut self, name: impl Into<String>) -> Self {
        self.segment = Some(name.into());
        self
    }

    /// Monte Carlo trials per point (at least 1).
    #[must_use]
    pub fn trials(mut self, trials: u64) -> Self {
        self.trials = trials;
        self
    }

    /// The seed, the same at every point.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The engine of the core simulation (the capacity model has one).
    #[must_use]
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Threads (default: all cores); results do not depend on it.
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// Points of the uncertain inputs behind the bands and the range of
    /// the marginal value (2 to 65,536; the default is 512). Only a
    /// scenario with uncertain inputs uses them.
    #[must_use]
    pub fn input_samples(mut self, samples: usize) -> Self {
        self.input_samples = samples;
        self
    }

    /// A precision target for a sweep of reps: each team's run stops once
    /// the standard error of its mean revenue lost is at most `share` of it
    /// ([`CapacitySimulation::precision`]), with the trials per point as the
    /// most it may take. Each point reports its trials and how it stopped
    /// ([`TeamPoint::precision`]). A sweep of a segment knob has exact
    /// expectations and takes no target.
    #[must_use]
    pub fn precision(mut self, share: f64) -> Self {
        self.precision = Some(share);
        self
    }

    /// The knob.
    pub fn knob(&self) -> Knob {
        self.knob
    }

    /// The values, in order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Trials per point.
    pub fn trials_per_point(&self) -> u64 {
        self.trials
    }

    /// Trials over every point (for a progress bar).
    pub fn total_trials(&self) -> u64 {
        self.trials.saturating_mul(self.values.len() as u64)
    }

    /// Runs every point of a knob of the segments through the core
    /// simulation: exact expectations and Monte Carlo summaries per point.
    ///
    /// # Errors
    ///
    /// No values, 0 trials, an unknown segment, the team knob `reps` (see
    /// [`Sweep::run_team`]), or a value a segment rejects. Every point is
    /// checked before any is run.
    pub fn run(&self, scenario: &Scenario) -> Result<SweepReport> {
        self.run_with_progress(scenario, |_| {})
    }

    /// [`Sweep::run`], calling `progress(n)` as trials complete.
    ///
    /// # Errors
    ///
    /// As [`Sweep::run`].
    pub fn run_with_progress(&self, scenario: &Scenario, progress: impl Fn(u64) + Sync) -> Result<SweepReport> {
        self.check(scenario)?;
        if let Some(share) = self.precision {
            return Err(Error::invalid(
                "precision",
                share,
                "no precision target: a sweep of a segment knob reports exact expectations (a target applies to \
                 a sweep of reps)",
            ));
        }
        // Validate every point before running any.
        // The knob is set to each value after the inputs are drawn: an
        // uncertain input on the knob itself no longer sets it where it is
        // swept.
        let fixed = if scenario.uncertainty().is_empty() {
            scenario.clone()
        } else {
            scenario.with_uncertainty(scenario.uncertainty().without_knob(
                self.knob,
                self.segment.as_deref(),
                scenario,
            )?)?
        };
        let scenarios = self
            .values
            .iter()
            .map(|&v| self.knob.apply(&fixed, v, self.segment.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        // The uncertain inputs' points, the same at every point of the sweep.
        let inputs = if scenario.uncertainty().is_empty() {
            Vec::new()
        } else {
            speed::input_points(scenario, self.input_samples, self.seed)?
        };
        let mut bands = Vec::with_capacity(scenarios.len());
        for &value in &self.values {
            bands.push(if inputs.is_empty() {
                None
            } else {
                Some(speed::input_bands(
                    scenario,
                    self.knob,
                    value,
                    self.segment.as_deref(),
                    &inputs,
                )?)
            });
        }
        let marginal = if self.knob == Knob::FollowUpMean {
            Some(speed::marginal_value(scenario, self.segment.as_deref(), &inputs)?)
        } else {
            None
        };
        let mut points = Vec::with_capacity(scenarios.len());
        for ((&value, point), input_bands) in self.values.iter().zip(&scenarios).zip(bands) {
            let mut simulation = Simulation::new(point)
                .trials(self.trials)
                .seed(self.seed)
                .engine(self.engine);
            if let Some(threads) = self.threads {
                simulation = simulation.threads(threads);
            }
            let report = simulation.run_with_progress(&progress)?;
            points.push(SweepPoint {
                value,
                label: self.knob.label_of(value),
                outcome: PointOutcome::Simulated(report),
                input_bands,
            });
        }
        let mut report = self.report(scenario, points);
        report.marginal = marginal;
        Ok(report)
    }

    /// Runs every point of the team knob `reps` through the capacity model
    /// of `scenario` (its `[sales]` team): the delay comes out of the queue.
    /// The queue has no exact expectation, so the points carry Monte Carlo
    /// figures only ([`PointOutcome::Team`]).
    ///
    /// # Errors
    ///
    /// No values, 0 trials, a knob of the segments (see [`Sweep::run`]), a
    /// segment named, a value that is not a whole number of reps, a team
    /// that cannot keep up with its leads (field `reps`, with its offered
    /// load). Every point is checked before any is run.
    pub fn run_team(&self, scenario: &Scenario, model: &CapacityModel) -> Result<SweepReport> {
        self.run_team_with_progress(scenario, model, |_| {})
    }

    /// [`Sweep::run_team`], calling `progress(n)` as points complete.
    ///
    /// # Errors
    ///
    /// As [`Sweep::run_team`].
    pub fn run_team_with_progress(
        &self,
        scenario: &Scenario,
        model: &CapacityModel,
        progress: impl Fn(u64),
    ) -> Result<SweepReport> {
        self.check(scenario)?;
        if let Some(name) = &self.segment {
            return Err(Error::invalid(
                "segment",
                format!("{name:?}"),
                "no segment: the team knob `reps` turns the whole [sales] team",
            ));
        }
        let models = self
            .values
            .iter()
            .map(|&v| {
                let point = self.knob.apply_to_team(model, v)?;
                if !point.is_stable() {
                    return Err(Error::invalid(
                        "reps",
                        v,
                        format!(
                            "a team that keeps up with its leads: {v} reps carry an offered load of {:.2}",
                            point.offered_load()
                        ),
                    ));
                }
                Ok(point)
            })
            .collect::<Result<Vec<_>>>()?;
        let mut points = Vec::with_capacity(models.len());
        for (&value, point) in self.values.iter().zip(&models) {
            let mut simulation = CapacitySimulation::new(point).trials(self.trials).seed(self.seed);
            if let Some(threads) = self.threads {
                simulation = simulation.threads(threads);
            }
            if let Some(share) = self.precision {
                simulation = simulation.precision(share);
            }
            let report = simulation.run()?;
            // A point stopped early by its target counts as done.
            progress(self.trials);
            points.push(SweepPoint {
                value,
                label: self.knob.label_of(value),
                outcome: PointOutcome::Team(TeamPoint::of(&report)),
                input_bands: None,
            });
        }
        Ok(self.report(scenario, points))
    }

    fn check(&self, scenario: &Scenario) -> Result<()> {
        if self.values.is_empty() {
            return Err(Error::invalid("values", "[]", "at least one value to sweep"));
        }
        if self.trials == 0 {
            return Err(Error::invalid("trials", 0, "at least 1 trial"));
        }
        if let Some(name) = &self.segment
            && !self.knob.is_team()
        {
            check_segment(scenario, name)?;
        }
        Ok(())
    }

    fn report(&self, scenario: &Scenario, points: Vec<SweepPoint>) -> SweepReport {
        SweepReport {
            scenario: scenario.name().to_owned(),
            input: self.knob,
            unit: self.knob.unit(),
            segment: self.segment.clone(),
            trials: self.trials,
            seed: self.seed,
            points,
            marginal: None,
        }
    }
}

/// What a [`Sweep`] found: one [`SweepPoint`] per value, in order.
///
/// Serialises to the JSON of the `sweep` example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SweepReport {
    /// The scenario's name.
    pub scenario: String,
    /// The knob turned.
    pub input: Knob,
    /// What its values measure.
    pub unit: KnobUnit,
    /// The only segment turned, if one was named.
    pub segment: Option<String>,
    /// Trials per point (the most per point with a precision target: each
    /// [`TeamPoint`] then gives its own).
    pub trials: u64,
    /// The seed, the same at every point.
    pub seed: u64,
    /// The points, in the order of the values.
    pub points: Vec<SweepPoint>,
    /// For the mean follow-up delay: what one more hour of delay costs at
    /// the scenario's own setting (absent for other knobs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marginal: Option<MarginalValue>,
}

/// One value of a sweep and what the model gives for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SweepPoint {
    /// The knob's value (hours for durations).
    pub value: f64,
    /// The value as people write it (`2d`, `0.25`).
    pub label: String,
    /// The figures, flattened into the point in JSON.
    #[serde(flatten)]
    pub outcome: PointOutcome,
    /// With uncertain inputs: the 5th, 50th and 95th percentiles of each
    /// metric's exact expectation over the inputs at this point (absent
    /// without uncertain inputs, and for a capacity run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_bands: Option<InputBands>,
}

/// The figures of one point: a core report (exact expectations and Monte
/// Carlo summaries), or a capacity run (Monte Carlo only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
// A sweep holds a few dozen points, each a whole report: boxing the larger
// variant would save nothing worth a break of the public type.
#[allow(clippy::large_enum_variant)]
pub enum PointOutcome {
    /// A run of the core simulation: [`Report::expected`] holds the exact
    /// expectations, [`Report::metrics`] the Monte Carlo summaries.
    Simulated(Report),
    /// A run of the capacity model (the `reps` knob): Monte Carlo
    /// summaries only, as [`TeamPoint::figures`] says.
    Team(TeamPoint),
}

/// How the figures of a [`TeamPoint`] were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Figures {
    /// Monte Carlo means and summaries of the capacity model's trials: the
    /// queue has no exact expectation.
    MonteCarlo,
}

/// A capacity run of one team size, in the core metrics' vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TeamPoint {
    /// Always [`Figures::MonteCarlo`]: no figure here is exact.
    pub figures: Figures,
    /// Reps.
    pub reps: u32,
    /// The team's offered load.
    pub offered_load: f64,
    /// Monte Carlo summaries of the core metrics.
    pub metrics: Metrics,
    /// The mean follow-up delay per trial (hours).
    pub mean_delay_hours: Summary,
    /// The reps' utilisation.
    pub rep_utilisation: Summary,
    /// Trials run for this team.
    #[serde(default)]
    pub trials: u64,
    /// With a precision target: how this team's run stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

impl TeamPoint {
    /// The core metrics of a capacity run.
    pub fn of(report: &CapacityReport) -> TeamPoint {
        let m = &report.metrics;
        TeamPoint {
            figures: Figures::MonteCarlo,
            reps: report.reps,
            offered_load: report.offered_load,
            metrics: m.core,
            mean_delay_hours: m.mean_delay_hours,
            rep_utilisation: m.rep_utilisation,
            trials: report.trials,
            precision: report.precision,
        }
    }
}

impl SweepPoint {
    /// The exact expectations, where the model has them (`None` for a
    /// capacity run).
    pub fn expected(&self) -> Option<&Expected> {
        match &self.outcome {
            PointOutcome::Simulated(report) => Some(&report.expected),
            PointOutcome::Team(_) => None,
        }
    }

    /// The Monte Carlo summaries of every metric.
    pub fn metrics(&self) -> &Metrics {
        match &self.outcome {
            PointOutcome::Simulated(report) => &report.metrics,
            PointOutcome::Team(team) => &team.metrics,
        }
    }

    /// `P(customers >= goal)`, when the scenario has a goal and the point
    /// is a core run.
    pub fn goal(&self) -> Option<&GoalChance> {
        match &self.outcome {
            PointOutcome::Simulated(report) => report.goal.as_ref(),
            PointOutcome::Team(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_evenly_spaced_and_reps_are_whole_numbers() {
        let s = Sweep::range(Knob::Sla, 1.0, 3.0, 3).unwrap();
        assert_eq!(s.values(), [1.0, 2.0, 3.0]);
        let r = Sweep::range(Knob::Reps, 2.0, 5.0, 99).unwrap();
        assert_eq!(r.values(), [2.0, 3.0, 4.0, 5.0]);
        for (from, to, steps, field) in [
            (2.0, 1.0, 3, "to"),
            (1.0, 1.0, 3, "to"),
            (1.0, f64::NAN, 3, "to"),
            (1.0, 2.0, 1, "steps"),
            (1.0, 2.0, MAX_STEPS + 1, "steps"),
        ] {
            let e = Sweep::range(Knob::Sla, from, to, steps).unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
        }
        assert_eq!(Sweep::range(Knob::Reps, 0.0, 3.0, 2).unwrap_err().field(), Some("from"));
        assert_eq!(Sweep::range(Knob::Reps, 1.0, 3.5, 2).unwrap_err().field(), Some("to"));
        let too_many = Sweep::range(Knob::Reps, 1.0, f64::from(MAX_REPS) + 1.0, 2);
        assert_eq!(too_many.unwrap_err().field(), Some("to"));
    }

    #[test]
    fn every_point_runs_the_same_seed_so_an_unchanged_input_gives_the_same_bits() {
        // The reference case works its SQLs at once: an SLA changes only
        // the SLA-met metric, so customers are identical at every point.
        let report = Sweep::range(Knob::Sla, 1.0, 48.0, 3)
            .unwrap()
            .trials(500)
            .seed(3)
            .run(&Scenario::reference())
            .unwrap();
        let first = report.points[0].metrics().customers;
        assert!(report.points.iter().all(|p| p.metrics().customers == first));
        let single = Simulation::new(&Knob::Sla.apply(&Scenario::reference(), 48.0, None).unwrap())
            .trials(500)
            .seed(3)
            .run()
            .unwrap();
        assert_eq!(report.points[2].outcome, PointOutcome::Simulated(single));
    }

    #[test]
    fn a_report_round_trips_through_json() {
        let report = Sweep::new(Knob::CloseRate, vec![0.1, 0.2])
            .trials(50)
            .run(&Scenario::reference())
            .unwrap();
        let json = serde_json::to_string(&report).unwrap();
        let back: SweepReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
        assert!(
            json.contains("\"input\":\"close-rate\",\"unit\":\"probability\""),
            "{json}"
        );
    }

    fn with_inputs(scenario: &Scenario, inputs: Vec<crate::model::uncertainty::UncertainInput>) -> Scenario {
        let uncertainty = inputs
            .into_iter()
            .fold(crate::model::uncertainty::Uncertainty::new(), |u, i| u.with_input(i));
        Scenario::builder(scenario.name())
            .segment(scenario.segments()[0].clone())
            .uncertainty(uncertainty)
            .build()
            .unwrap()
    }

    #[test]
    fn uncertain_inputs_give_each_point_a_band_of_exact_expectations() {
        use crate::model::uncertainty::{InputDistribution, UncertainInput};
        let delayed = Knob::FollowUpMean.apply(&Scenario::reference(), 48.0, None).unwrap();
        let scenario = with_inputs(
            &delayed,
            vec![UncertainInput::new(
                Knob::CloseRate,
                InputDistribution::uniform(0.2, 0.3).unwrap(),
            )],
        );
        let report = Sweep::log_range(Knob::FollowUpMean, 1.0, 240.0, 3)
            .unwrap()
            .trials(200)
            .input_samples(1024)
            .run(&scenario)
            .unwrap();
        for point in &report.points {
            let bands = point.input_bands.as_ref().unwrap();
            assert_eq!(bands.samples, 1024);
            // Customers are linear in the close rate: the band is the close
            // rate's own 5th to 95th percentile, 0.205 to 0.295, times the
            // exact customers per unit of close rate at this delay.
            let at = |p: f64| {
                let s = Knob::CloseRate.apply(&delayed, p, None).unwrap();
                Expected::of(&Knob::FollowUpMean.apply(&s, point.value, None).unwrap()).customers
            };
            // 1024 scrambled points: the empirical percentiles are within
            // a point's spacing (1/1024 of the range) of the true ones.
            assert!((bands.p05.customers - at(0.205)).abs() < 2e-3 * at(0.3), "{bands:?}");
            assert!((bands.p95.customers - at(0.295)).abs() < 2e-3 * at(0.3), "{bands:?}");
            assert!((bands.p50.customers - at(0.25)).abs() < 2e-3 * at(0.3), "{bands:?}");
            assert!(bands.p05.revenue_lost < bands.p50.revenue_lost && bands.p50.revenue_lost < bands.p95.revenue_lost);
        }
        // The marginal value is there for the follow-up delay, with its range.
        let marginal = report.marginal.as_ref().unwrap();
        assert_eq!(marginal.today_hours, 48.0);
        let (lo, hi) = (marginal.per_hour_p05.unwrap(), marginal.per_hour_p95.unwrap());
        assert!(lo.revenue_lost < marginal.per_hour.revenue_lost && marginal.per_hour.revenue_lost < hi.revenue_lost);
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(serde_json::from_str::<SweepReport>(&json).unwrap(), report);
    }

    #[test]
    fn an_uncertain_input_on_the_swept_knob_is_overridden_at_each_point() {
        use crate::model::uncertainty::{InputDistribution, UncertainInput};
        let scenario = with_inputs(
            &Scenario::reference(),
            vec![UncertainInput::new(
                Knob::FollowUpMean,
                InputDistribution::uniform(10.0, 100.0).unwrap(),
            )],
        );
        let report = Sweep::new(Knob::FollowUpMean, vec![5.0, 50.0])
            .trials(100)
            .input_samples(64)
            .run(&scenario)
            .unwrap();
        for point in &report.points {
            let bands = point.input_bands.as_ref().unwrap();
            let mut exact = Expected::of(
                &Knob::FollowUpMean
                    .apply(&Scenario::reference(), point.value, None)
                    .unwrap(),
            );
            // Bands are quantiles metric by metric: they carry no loss split.
            exact.lost = None;
            assert_eq!((bands.p05, bands.p95), (exact, exact));
        }
    }

    #[test]
    fn without_uncertain_inputs_there_are_no_bands_and_other_knobs_have_no_marginal_value() {
        let report = Sweep::new(Knob::CloseRate, vec![0.1, 0.2])
            .trials(50)
            .run(&Scenario::reference())
            .unwrap();
        assert!(report.marginal.is_none() && report.points.iter().all(|p| p.input_bands.is_none()));
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains("input_bands") && !json.contains("marginal"), "{json}");
        for (from, to, steps, field) in [
            (0.0, 2.0, 3, "from"),
            (f64::NAN, 2.0, 3, "from"),
            (2.0, 1.0, 3, "to"),
            (1.0, f64::INFINITY, 3, "to"),
            (1.0, 2.0, 1, "steps"),
        ] {
            let e = Sweep::log_range(Knob::FollowUpMean, from, to, steps).unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
        }
        assert_eq!(
            Sweep::log_range(Knob::Reps, 1.0, 4.0, 3).unwrap_err().field(),
            Some("knob")
        );
        let e = Sweep::new(Knob::Sla, vec![1.0])
            .input_samples(1)
            .run(&with_inputs(
                &Scenario::reference(),
                vec![crate::model::uncertainty::UncertainInput::new(
                    Knob::CloseRate,
                    crate::model::uncertainty::InputDistribution::uniform(0.2, 0.3).unwrap(),
                )],
            ))
            .unwrap_err();
        assert_eq!(e.field(), Some("input_samples"), "{e}");
    }

    fn team_model() -> CapacityModel {
        use crate::capacity::{SalesTeam, SqlStream};
        use crate::model::duration::Hours;
        use crate::model::follow_up::DelayDistribution;
        let segment = Scenario::reference().segments()[0].clone();
        let work = DelayDistribution::exponential(Hours::new(1.0).unwrap()).unwrap();
        let stream = SqlStream::new(segment, 40.0, work).unwrap();
        CapacityModel::new(
            SalesTeam::new(3).unwrap(),
            vec![stream],
            Hours::from_days(14.0).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_reps_sweep_carries_monte_carlo_figures_labelled_as_such() {
        let (scenario, model) = (Scenario::reference(), team_model());
        let report = Sweep::range(Knob::Reps, 2.0, 4.0, 2)
            .unwrap()
            .trials(20)
            .seed(5)
            .threads(1)
            .run_team(&scenario, &model)
            .unwrap();
        assert_eq!(report.unit, KnobUnit::Reps);
        for (point, reps) in report.points.iter().zip([2, 3, 4]) {
            assert!(point.expected().is_none() && point.goal().is_none());
            let PointOutcome::Team(team) = &point.outcome else {
                panic!("a reps point is a capacity run")
            };
            assert_eq!((team.figures, team.reps), (Figures::MonteCarlo, reps));
            let direct = CapacitySimulation::new(&Knob::Reps.apply_to_team(&model, f64::from(reps)).unwrap())
                .trials(20)
                .seed(5)
                .run()
                .unwrap();
            assert_eq!(point.metrics().revenue_lost, direct.metrics.core.revenue_lost);
        }
        let json = serde_json::to_string(&report).unwrap();
        assert!(
            json.contains("\"figures\":\"monte-carlo\"") && !json.contains("\"expected\""),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<SweepReport>(&json).unwrap(), report);
        // With a precision target each point is the run of as many trials
        // as it took, and says so; a segment knob takes no target.
        let targeted = Sweep::range(Knob::Reps, 2.0, 4.0, 2)
            .unwrap()
            .trials(3_000)
            .seed(5)
            .precision(0.05)
            .run_team(&scenario, &model)
            .unwrap();
        for (point, reps) in targeted.points.iter().zip([2, 3, 4]) {
            let PointOutcome::Team(team) = &point.outcome else {
                panic!("a reps point is a capacity run")
            };
            let target = team.precision.expect("a target says where each point stopped");
            assert!(target.reached && team.trials < 3_000, "{target:?}");
            let direct = CapacitySimulation::new(&Knob::Reps.apply_to_team(&model, f64::from(reps)).unwrap())
                .trials(team.trials)
                .seed(5)
                .run()
                .unwrap();
            assert_eq!(point.metrics().revenue_lost, direct.metrics.core.revenue_lost);
        }
        let e = Sweep::new(Knob::CloseRate, vec![0.1])
            .precision(0.01)
            .run(&scenario)
            .unwrap_err();
        assert_eq!(e.field(), Some("precision"), "{e}");
        // One rep carries 40 h of work a day: refused before anything runs.
        let e = Sweep::range(Knob::Reps, 1.0, 3.0, 2)
            .unwrap()
            .run_team(&scenario, &model)
            .unwrap_err();
        assert!(
            e.field() == Some("reps") && e.to_string().contains("offered load"),
            "{e}"
        );
    }

    #[test]
    fn the_team_knob_and_the_segment_knobs_each_have_their_runner() {
        let scenario = Scenario::reference();
        let e = Sweep::new(Knob::Reps, vec![2.0]).run(&scenario).unwrap_err();
        assert_eq!(e.field(), Some("knob"), "{e}");
        let e = Sweep::new(Knob::Sla, vec![]).run(&scenario).unwrap_err();
        assert_eq!(e.field(), Some("values"), "{e}");
        let e = Sweep::new(Knob::Sla, vec![1.0]).trials(0).run(&scenario).unwrap_err();
        assert_eq!(e.field(), Some("trials"), "{e}");
        let e = Sweep::new(Knob::Sla, vec![1.0])
            .run_team(&scenario, &team_model())
            .unwrap_err();
        assert_eq!(e.field(), Some("knob"), "{e}");
    }
}
