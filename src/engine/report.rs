//! Tallies of trials (exactly mergeable) and the report they summarise into.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, TrialOutcome};
use crate::error::{Error, Result};
use crate::exact::{CustomerDistribution, Expected, ExpectedOverInputs, Integration, NotExact};
use crate::model::scenario::Scenario;
use crate::model::segment::Segment;
use crate::statistics::{CountHistogram, Summary, ValueAccumulator};

/// The accumulated trials of a run or of a shard of one.
///
/// Memory is bounded whatever the trial count: counts are kept as exact
/// histograms, money in mergeable sketches (see [`crate::statistics`]).
/// Merging is exact, so the order in which shards merge never matters.
///
/// A tally knows the run it belongs to ([`RunIdentity`]: the scenario's
/// fingerprint, the engine and the seed) and which trial indices it holds,
/// so it cannot be merged with a tally of another run, merged twice, or
/// reported for another scenario.
///
/// # Example
///
/// ```
/// use lead_decay::{Scenario, Simulation};
///
/// let scenario = Scenario::reference();
/// let simulation = Simulation::new(&scenario).trials(20_000).seed(5);
/// let mut first = simulation.run_range(0..8_000)?;
/// first.merge(&simulation.run_range(8_000..20_000)?)?;
/// assert_eq!(first.report(&scenario)?, simulation.run()?);
/// assert!(first.merge(&simulation.run_range(0..10)?).is_err()); // trials 0..10 twice
/// let other = Simulation::new(&scenario).seed(6).run_range(20_000..20_010)?;
/// assert!(first.merge(&other).is_err()); // another seed
/// # Ok::<(), lead_decay::Error>(())
/// ```
///
/// # Serialisation
///
/// A tally serialises (serde) with its identity, its trial ranges and the
/// exact state of every accumulator, so shards written by separate
/// processes or machines merge exactly ([`crate::guide::reproducibility`]).
/// Deserialising checks the tally is consistent (ranges canonical and
/// covering `trials`, every accumulator holding `trials` values); a
/// corrupted file is an error, never a panic. [`Tally::report`] also checks
/// its shape against the scenario.
///
/// ```
/// use lead_decay::{Scenario, Simulation, Tally};
///
/// let scenario = Scenario::reference();
/// let simulation = Simulation::new(&scenario).trials(1_000).seed(3);
/// let shard = simulation.run_range(0..400)?;
/// let json = serde_json::to_string(&shard).unwrap();
/// let mut back: Tally = serde_json::from_str(&json).unwrap();
/// back.merge(&simulation.run_range(400..1_000)?)?;
/// assert_eq!(back.report(&scenario)?, simulation.run()?);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "TallyState", try_from = "TallyState")]
pub struct Tally {
    identity: RunIdentity,
    /// The trial indices tallied, as sorted, disjoint, non-adjacent ranges.
    ranges: Vec<Range<u64>>,
    trials: u64,
    total: MetricTally,
    /// One per segment; empty when the scenario has a single segment, whose
    /// tally is then `total` itself. Recording it once instead of twice took
    /// the collapsed engine on the reference from 29 M to 33 M trials/s on
    /// one thread (`simulate --trials 2000000 --engine collapsed --threads 1`).
    segments: Vec<MetricTally>,
    /// `E[metric | inputs]` of every trial, for a scenario with uncertain
    /// inputs (two-level trials); `None` otherwise.
    given_inputs: Option<Box<GivenInputsTally>>,
}

/// The exact conditional expectations `E[metric | inputs]` of the trials of
/// a two-level run, one accumulator per metric that exists (in
/// [`Metrics::NAMES`] order).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenInputsTally {
    metrics: Vec<Option<ValueAccumulator>>,
}

impl GivenInputsTally {
    fn new(scenario: &Scenario) -> GivenInputsTally {
        let exists = Expected::of(scenario);
        GivenInputsTally {
            metrics: exists.iter().map(|(_, v)| v.map(|_| ValueAccumulator::new())).collect(),
        }
    }

    fn record(&mut self, expected: &Expected) {
        for (slot, (_, value)) in self.metrics.iter_mut().zip(expected.iter()) {
            if let (Some(accumulator), Some(value)) = (slot, value) {
                accumulator.record(value);
            }
        }
    }

    fn merge(&mut self, other: &GivenInputsTally) {
        for (mine, theirs) in self.metrics.iter_mut().zip(&other.metrics) {
            if let (Some(mine), Some(theirs)) = (mine, theirs) {
                mine.merge(theirs);
            }
        }
    }

    fn check_counts(&self, trials: u64) -> Result<()> {
        if self.metrics.len() != Metrics::NAMES.len() {
            return Err(Error::invalid(
                "tally.given_inputs.metrics",
                format!("{} metrics", self.metrics.len()),
                format!("{} metrics, one per name of Metrics::NAMES", Metrics::NAMES.len()),
            ));
        }
        for (name, accumulator) in Metrics::NAMES.iter().zip(&self.metrics) {
            if let Some(a) = accumulator
                && a.count() != trials
            {
                return Err(Error::invalid(
                    format!("tally.given_inputs.{name}"),
                    format!("{} trials", a.count()),
                    format!("the tally's {trials} trials"),
                ));
            }
        }
        Ok(())
    }

    fn summary(&self, index: usize) -> Option<Summary> {
        self.metrics
            .get(index)
            .and_then(|a| a.as_ref())
            .map(ValueAccumulator::summary)
    }
}

/// A [`Tally`] as serialised.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TallyState {
    identity: RunIdentity,
    trials: u64,
    ranges: Vec<(u64, u64)>,
    total: MetricTally,
    segments: Vec<MetricTally>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    given_inputs: Option<Box<GivenInputsTally>>,
}

impl From<Tally> for TallyState {
    fn from(tally: Tally) -> TallyState {
        TallyState {
            identity: tally.identity,
            trials: tally.trials,
            ranges: tally.ranges.iter().map(|r| (r.start, r.end)).collect(),
            total: tally.total,
            segments: tally.segments,
            given_inputs: tally.given_inputs,
        }
    }
}

impl TryFrom<TallyState> for Tally {
    type Error = Error;

    fn try_from(state: TallyState) -> Result<Tally> {
        let mut covered = 0u64;
        let mut previous_end = None;
        for &(start, end) in &state.ranges {
            if start >= end || previous_end.is_some_and(|p| start <= p) {
                return Err(Error::invalid(
                    "tally.ranges",
                    format!("{start}..{end}"),
                    "non-empty trial ranges, increasing, disjoint and not adjacent",
                ));
            }
            covered = covered.saturating_add(end - start);
            previous_end = Some(end);
        }
        if covered != state.trials {
            return Err(Error::invalid(
                "tally.trials",
                state.trials,
                format!("the {covered} trials its ranges cover"),
            ));
        }
        if state.segments.len() == 1 {
            return Err(Error::invalid(
                "tally.segments",
                "1 segment tally",
                "none (a single-segment scenario) or one per segment",
            ));
        }
        if state.identity.engine == Engine::Auto {
            return Err(Error::invalid("tally.identity.engine", "auto", "the engine that ran"));
        }
        state.total.check_counts("tally.total", state.trials)?;
        for (i, segment) in state.segments.iter().enumerate() {
            segment.check_counts(&format!("tally.segments[{i}]"), state.trials)?;
        }
        if let Some(given) = &state.given_inputs {
            given.check_counts(state.trials)?;
        }
        Ok(Tally {
            identity: state.identity,
            ranges: state.ranges.into_iter().map(|(start, end)| start..end).collect(),
            trials: state.trials,
            total: state.total,
            segments: state.segments,
            given_inputs: state.given_inputs,
        })
    }
}

/// The accumulators of one segment or of the total.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricTally {
    customers: CountHistogram,
    customers_ideal: CountHistogram,
    customers_lost: CountHistogram,
    /// `None` when every deal is worth the same: money is then a count
    /// times that value, and its summary is derived from the counts.
    money: Option<MoneyTally>,
    sla_met: CountHistogram,
    /// The share of SQLs worked within the SLA, trial by trial, when the
    /// number of SQLs under an SLA changes from trial to trial (uncertain
    /// inputs); `sla_met` then holds the counts and this the shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla_share: Option<ValueAccumulator>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyTally {
    revenue: ValueAccumulator,
    revenue_ideal: ValueAccumulator,
    revenue_lost: ValueAccumulator,
}

impl MetricTally {
    fn new(sampled_money: bool, sla_share: bool) -> MetricTally {
        MetricTally {
            customers: CountHistogram::new(),
            customers_ideal: CountHistogram::new(),
            customers_lost: CountHistogram::new(),
            money: sampled_money.then(|| MoneyTally {
                revenue: ValueAccumulator::new(),
                revenue_ideal: ValueAccumulator::new(),
                revenue_lost: ValueAccumulator::new(),
            }),
            sla_met: CountHistogram::new(),
            sla_share: sla_share.then(ValueAccumulator::new),
        }
    }

    /// Records a two-level trial with `sla_sqls` SQLs under an SLA.
    fn record_with_sla_sqls(&mut self, outcome: &TrialOutcome, sla_sqls: u64) {
        self.record_n(outcome, 1);
        if let Some(share) = &mut self.sla_share {
            share.record(if sla_sqls > 0 {
                outcome.sla_met as f64 / sla_sqls as f64
            } else {
                0.0
            });
        }
    }

    #[inline]
    fn record(&mut self, outcome: &TrialOutcome) {
        self.record_n(outcome, 1);
    }

    #[inline]
    fn record_n(&mut self, outcome: &TrialOutcome, times: u64) {
        self.customers.record_n(outcome.customers, times);
        self.customers_ideal.record_n(outcome.customers_ideal(), times);
        self.customers_lost.record_n(outcome.customers_lost, times);
        if let Some(money) = &mut self.money {
            for _ in 0..times {
                money.revenue.record(outcome.revenue);
                money.revenue_ideal.record(outcome.revenue_ideal());
                money.revenue_lost.record(outcome.revenue_lost);
            }
        }
        self.sla_met.record_n(outcome.sla_met, times);
    }

    /// Checks that every accumulator holds `trials` values.
    fn check_counts(&self, field: &str, trials: u64) -> Result<()> {
        let money = self.money.iter().flat_map(|m| {
            [
                ("revenue", m.revenue.count()),
                ("revenue_ideal", m.revenue_ideal.count()),
                ("revenue_lost", m.revenue_lost.count()),
            ]
        });
        let counts = [
            ("customers", self.customers.count()),
            ("customers_ideal", self.customers_ideal.count()),
            ("customers_lost", self.customers_lost.count()),
            ("sla_met", self.sla_met.count()),
        ];
        let share = self.sla_share.iter().map(|s| ("sla_share", s.count()));
        match counts.into_iter().chain(money).chain(share).find(|&(_, n)| n != trials) {
            Some((name, n)) => Err(Error::invalid(
                format!("{field}.{name}"),
                format!("{n} trials"),
                format!("the tally's {trials} trials"),
            )),
            None => Ok(()),
        }
    }

    fn merge(&mut self, other: &MetricTally) {
        self.customers.merge(&other.customers);
        self.customers_ideal.merge(&other.customers_ideal);
        self.customers_lost.merge(&other.customers_lost);
        if let (Some(mine), Some(theirs)) = (&mut self.money, &other.money) {
            mine.revenue.merge(&theirs.revenue);
            mine.revenue_ideal.merge(&theirs.revenue_ideal);
            mine.revenue_lost.merge(&theirs.revenue_lost);
        }
        self.sla_met.merge(&other.sla_met);
        if let (Some(mine), Some(theirs)) = (&mut self.sla_share, &other.sla_share) {
            mine.merge(theirs);
        }
    }

    /// Summaries; `deal_value` is the common fixed deal value when money is
    /// derived from counts, `spend` enables ROI, `sla_sqls` the SQLs under an
    /// SLA.
    fn metrics(&self, deal_value: Option<f64>, spend: Option<f64>, sla_sqls: u64) -> Metrics {
        let (revenue, revenue_ideal, revenue_lost) = match (&self.money, deal_value) {
            (Some(money), _) => (
                money.revenue.summary(),
                money.revenue_ideal.summary(),
                money.revenue_lost.summary(),
            ),
            (None, value) => {
                let value = value.unwrap_or(0.0);
                (
                    self.customers.summary().affine(value, 0.0),
                    self.customers_ideal.summary().affine(value, 0.0),
                    self.customers_lost.summary().affine(value, 0.0),
                )
            }
        };
        let roi = |s: &Summary, offset: f64| spend.map(|spend| s.affine(1.0 / spend, offset));
        Metrics {
            customers: self.customers.summary(),
            customers_ideal: self.customers_ideal.summary(),
            customers_lost: self.customers_lost.summary(),
            roi: roi(&revenue, -1.0),
            roi_ideal: roi(&revenue_ideal, -1.0),
            roi_lost: roi(&revenue_lost, 0.0),
            revenue,
            revenue_ideal,
            revenue_lost,
            sla_met: (sla_sqls > 0).then(|| match &self.sla_share {
                Some(share) => share.summary(),
                None => self.sla_met.summary().affine(1.0 / sla_sqls as f64, 0.0),
            }),
        }
    }
}

/// The first range of `a` that overlaps a range of `b` (both sorted and
/// disjoint), as the overlapping part.
fn first_overlap(a: &[Range<u64>], b: &[Range<u64>]) -> Option<Range<u64>> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (start, end) = (a[i].start.max(b[j].start), a[i].end.min(b[j].end));
        if start < end {
            return Some(start..end);
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    None
}

/// The fixed deal value shared by every segment, if there is one.
fn common_fixed_value<'a>(mut values: impl Iterator<Item = &'a crate::model::deal_value::DealValue>) -> Option<f64> {
    let first = values.next()?.fixed_value()?;
    values.all(|v| v.fixed_value() == Some(first)).then_some(first)
}

/// The run a [`Tally`] belongs to: tallies merge only with tallies of the
/// same run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunIdentity {
    /// The scenario's [`fingerprint`](Scenario::fingerprint).
    pub scenario: u64,
    /// The engine that drew the trials (never `auto`).
    pub engine: Engine,
    /// The seed.
    pub seed: u64,
}

impl RunIdentity {
    /// The identity of a run of `scenario` with `engine` (resolved) and `seed`.
    pub fn new(scenario: &Scenario, engine: Engine, seed: u64) -> RunIdentity {
        RunIdentity {
            scenario: scenario.fingerprint(),
            engine: engine.resolve(),
            seed,
        }
    }
}

impl std::fmt::Display for RunIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "scenario {:016x}, {} engine, seed {}",
            self.scenario, self.engine, self.seed
        )
    }
}

impl Tally {
    /// An empty tally of a run of `scenario` with `engine` and `seed`.
    pub fn new(scenario: &Scenario, engine: Engine, seed: u64) -> Tally {
        // With uncertain inputs, a deal value or a number of SQLs may change
        // from trial to trial: money is always sampled and SLA shares are
        // kept trial by trial.
        let uncertain = !scenario.uncertainty().is_empty();
        let has_sla = |s: &Segment| uncertain && s.follow_up().sla().is_some();
        let total_sampled =
            uncertain || common_fixed_value(scenario.segments().iter().map(|s| s.deal_value())).is_none();
        Tally {
            identity: RunIdentity::new(scenario, engine, seed),
            ranges: Vec::new(),
            trials: 0,
            total: MetricTally::new(total_sampled, scenario.segments().iter().any(has_sla)),
            segments: if scenario.segments().len() == 1 {
                Vec::new()
            } else {
                scenario
                    .segments()
                    .iter()
                    .map(|s| MetricTally::new(uncertain || s.deal_value().fixed_value().is_none(), has_sla(s)))
                    .collect()
            },
            given_inputs: uncertain.then(|| Box::new(GivenInputsTally::new(scenario))),
        }
    }

    /// Adds one two-level trial (a scenario with uncertain inputs): its
    /// total and each segment's outcome, `realised` the scenario at its
    /// inputs and `expected` its exact expectations there.
    pub(crate) fn record_given_inputs(
        &mut self,
        total: &TrialOutcome,
        segments: &[TrialOutcome],
        realised: &Scenario,
        expected: &Expected,
    ) {
        let sla_sqls = |s: &Segment| if s.follow_up().sla().is_some() { s.sqls() } else { 0 };
        self.trials += 1;
        self.total
            .record_with_sla_sqls(total, realised.segments().iter().map(sla_sqls).sum());
        for ((tally, outcome), segment) in self.segments.iter_mut().zip(segments).zip(realised.segments()) {
            tally.record_with_sla_sqls(outcome, sla_sqls(segment));
        }
        if let Some(given) = &mut self.given_inputs {
            given.record(expected);
        }
    }

    /// Adds one trial: its total and each segment's outcome.
    #[inline]
    pub(crate) fn record(&mut self, total: &TrialOutcome, segments: &[TrialOutcome]) {
        self.trials += 1;
        self.total.record(total);
        for (tally, outcome) in self.segments.iter_mut().zip(segments) {
            tally.record(outcome);
        }
    }

    /// Adds `times` trials with the same outcome: the same tally as calling
    /// [`Tally::record`] `times` times.
    pub(crate) fn record_n(&mut self, total: &TrialOutcome, segments: &[TrialOutcome], times: u64) {
        self.trials += times;
        self.total.record_n(total, times);
        for (tally, outcome) in self.segments.iter_mut().zip(segments) {
            tally.record_n(outcome, times);
        }
    }

    /// Notes that the trials `range` are in this tally (the engine calls it
    /// once per chunk, after recording the chunk's trials).
    pub(crate) fn covers(&mut self, range: Range<u64>) {
        self.add_ranges(std::slice::from_ref(&range));
    }

    fn add_ranges(&mut self, ranges: &[Range<u64>]) {
        self.ranges.extend(ranges.iter().filter(|r| r.start < r.end).cloned());
        self.ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<u64>> = Vec::with_capacity(self.ranges.len());
        for range in self.ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        self.ranges = merged;
    }

    /// Adds the trials of `other`, a tally of the same run with none of the
    /// same trials.
    ///
    /// # Errors
    ///
    /// `other` belongs to another run (another scenario, engine or seed), or
    /// holds trials this tally already holds. The tally is then unchanged.
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        if other.identity != self.identity {
            return Err(Error::invalid(
                "tally",
                format!("a tally of {}", other.identity),
                format!("a tally of the same run ({})", self.identity),
            ));
        }
        if let Some(overlap) = first_overlap(&self.ranges, &other.ranges) {
            return Err(Error::invalid(
                "tally",
                format!("trials {}..{} a second time", overlap.start, overlap.end),
                "tallies of disjoint trial ranges",
            ));
        }
        self.merge_unchecked(other);
        Ok(())
    }

    /// Merges two chunks of one run (the engine's own, always disjoint).
    pub(crate) fn merge_unchecked(&mut self, other: &Tally) {
        self.add_ranges(&other.ranges);
        self.trials += other.trials;
        self.total.merge(&other.total);
        for (mine, theirs) in self.segments.iter_mut().zip(&other.segments) {
            mine.merge(theirs);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.given_inputs, &other.given_inputs) {
            mine.merge(theirs);
        }
    }

    /// Each segment's tally (`total` for a single segment).
    fn segment_tallies(&self) -> impl Iterator<Item = &MetricTally> {
        let single = self.segments.is_empty().then_some(&self.total);
        single.into_iter().chain(&self.segments)
    }

    /// Trials tallied so far.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The run these trials belong to.
    pub fn identity(&self) -> RunIdentity {
        self.identity
    }

    /// The trial indices tallied: sorted, disjoint ranges (one range
    /// `0..trials` for a whole run).
    pub fn ranges(&self) -> &[Range<u64>] {
        &self.ranges
    }

    /// The trial indices of `0..trials` this tally does not hold, as sorted
    /// ranges (empty when it holds them all). Indices at or beyond `trials`
    /// are not gaps; see [`Tally::ranges`] for what the tally holds.
    ///
    /// ```
    /// use lead_decay::{Scenario, Simulation};
    ///
    /// let scenario = Scenario::reference();
    /// let simulation = Simulation::new(&scenario).seed(1);
    /// let mut tally = simulation.run_range(0..10)?;
    /// tally.merge(&simulation.run_range(20..30)?)?;
    /// assert_eq!(tally.gaps(40), [10..20, 30..40]);
    /// assert!(tally.gaps(10).is_empty());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn gaps(&self, trials: u64) -> Vec<Range<u64>> {
        let mut gaps = Vec::new();
        let mut next = 0;
        for range in &self.ranges {
            if range.start > next {
                gaps.push(next..range.start.min(trials));
            }
            next = next.max(range.end);
        }
        if next < trials {
            gaps.push(next..trials);
        }
        gaps.retain(|r| r.start < r.end);
        gaps
    }

    /// The report of the tallied trials of `scenario`.
    ///
    /// # Errors
    ///
    /// `scenario` is not the scenario of the run (its fingerprint differs).
    pub fn report(&self, scenario: &Scenario) -> Result<Report> {
        if scenario.fingerprint() != self.identity.scenario {
            return Err(Error::invalid(
                "scenario",
                format!("{:?} (fingerprint {:016x})", scenario.name(), scenario.fingerprint()),
                format!(
                    "the scenario of the tally (fingerprint {:016x})",
                    self.identity.scenario
                ),
            ));
        }
        let segments = scenario.segments();
        let uncertain = !scenario.uncertainty().is_empty();
        let fixed = common_fixed_value(segments.iter().map(|s| s.deal_value()));
        let shape_matches = self.total.money.is_some() == (uncertain || fixed.is_none())
            && self.given_inputs.is_some() == uncertain
            && if segments.len() == 1 {
                self.segments.is_empty()
            } else {
                self.segments.len() == segments.len()
                    && (segments.iter().zip(&self.segments))
                        .all(|(s, t)| t.money.is_some() == (uncertain || s.deal_value().fixed_value().is_none()))
            };
        if !shape_matches {
            return Err(Error::invalid(
                "tally",
                "accumulators of another shape",
                format!(
                    "the accumulators of scenario {:?} (a corrupted tally?)",
                    scenario.name()
                ),
            ));
        }
        let (seed, engine) = (self.identity.seed, self.identity.engine);
        let spend = scenario.marketing_spend();
        let sla_sqls: u64 = segments
            .iter()
            .filter(|s| s.follow_up().sla().is_some())
            .map(|s| s.sqls())
            .sum();
        let goal = scenario.customer_goal().map(|goal| {
            let probability = self.total.customers.probability_at_least(goal);
            let probability_ideal = self.total.customers_ideal.probability_at_least(goal);
            let exact = CustomerDistribution::of(scenario).and_then(|actual| {
                let ideal = CustomerDistribution::ideal(scenario)?;
                Ok(ExactGoalChance {
                    probability: actual.at_least(goal),
                    probability_ideal: ideal.at_least(goal),
                })
            });
            let mut chance = GoalChance::from_estimate(goal, probability, probability_ideal, self.trials);
            chance.exact = exact.ok();
            chance.not_exact = exact.err();
            chance
        });
        let metrics = self.total.metrics(fixed, spend, sla_sqls);
        let (expected, segment_expected, inputs) = match &self.given_inputs {
            Some(given) => {
                let over = ExpectedOverInputs::of(scenario)?;
                let inputs = InputsReport::new(scenario, &over, given, &metrics);
                (over.expected, over.segments, Some(inputs))
            }
            None => (
                Expected::of(scenario),
                segments.iter().map(Expected::of_segment).collect(),
                None,
            ),
        };
        Ok(Report {
            scenario: scenario.name().to_owned(),
            currency: scenario.currency().map(str::to_owned),
            trials: self.trials,
            seed,
            engine,
            expected,
            metrics,
            goal,
            inputs,
            segments: segments
                .iter()
                .zip(self.segment_tallies())
                .zip(segment_expected)
                .map(|((segment, tally), expected)| SegmentReport {
                    name: segment.name().to_owned(),
                    expected,
                    metrics: tally.metrics(
                        segment.deal_value().fixed_value(),
                        None,
                        if segment.follow_up().sla().is_some() {
                            segment.sqls()
                        } else {
                            0
                        },
                    ),
                })
                .collect(),
            assumptions: segments.iter().flat_map(|s| s.assumptions()).collect(),
        })
    }
}

/// The summary of every metric of a trial (defined in [`crate::guide::metrics`]).
///
/// Produced by [`Tally::report`]; non-exhaustive so that new metrics can be
/// added, and it deserialises so a report kept as a file can be compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metrics {
    /// Customers won.
    pub customers: Summary,
    /// Customers had every SQL been worked at once.
    pub customers_ideal: Summary,
    /// Customers lost to neglect and delay.
    pub customers_lost: Summary,
    /// Revenue won.
    pub revenue: Summary,
    /// Revenue had every SQL been worked at once.
    pub revenue_ideal: Summary,
    /// Revenue lost to neglect and delay.
    pub revenue_lost: Summary,
    /// `(revenue − spend) / spend`; `None` without a marketing spend.
    pub roi: Option<Summary>,
    /// ROI had every SQL been worked at once.
    pub roi_ideal: Option<Summary>,
    /// ROI lost: `revenue_lost / spend`.
    pub roi_lost: Option<Summary>,
    /// Share of SQLs first worked within the SLA; `None` without an SLA.
    pub sla_met: Option<Summary>,
}

impl Metrics {
    /// The name of every metric, in report order ([`Expected::NAMES`]).
    pub const NAMES: [&'static str; 10] = Expected::NAMES;

    /// Metrics from the summaries of the count and money metrics, without
    /// ROI or SLA (add them with [`Metrics::with_roi`] and
    /// [`Metrics::with_sla_met`]). For programs that assemble a report from
    /// summaries of their own (runs report theirs with [`Tally::report`]).
    pub fn new(
        customers: Summary,
        customers_ideal: Summary,
        customers_lost: Summary,
        revenue: Summary,
        revenue_ideal: Summary,
        revenue_lost: Summary,
    ) -> Metrics {
        Metrics {
            customers,
            customers_ideal,
            customers_lost,
            revenue,
            revenue_ideal,
            revenue_lost,
            roi: None,
            roi_ideal: None,
            roi_lost: None,
            sla_met: None,
        }
    }

    /// With the ROI summaries (`None`s without a marketing spend).
    #[must_use]
    pub fn with_roi(mut self, roi: Option<Summary>, roi_ideal: Option<Summary>, roi_lost: Option<Summary>) -> Metrics {
        self.roi = roi;
        self.roi_ideal = roi_ideal;
        self.roi_lost = roi_lost;
        self
    }

    /// With the share of SLA-met SQLs (`None` without an SLA).
    #[must_use]
    pub fn with_sla_met(mut self, sla_met: Option<Summary>) -> Metrics {
        self.sla_met = sla_met;
        self
    }

    /// The Monte Carlo means in the shape of exact expectations, for a
    /// report whose expectations can only be estimated.
    pub fn means(&self) -> Expected {
        let mean = |s: &Option<Summary>| s.as_ref().map(|s| s.mean);
        Expected {
            customers: self.customers.mean,
            customers_ideal: self.customers_ideal.mean,
            customers_lost: self.customers_lost.mean,
            revenue: self.revenue.mean,
            revenue_ideal: self.revenue_ideal.mean,
            revenue_lost: self.revenue_lost.mean,
            roi: mean(&self.roi),
            roi_ideal: mean(&self.roi_ideal),
            roi_lost: mean(&self.roi_lost),
            sla_met: mean(&self.sla_met),
            lost: None,
        }
    }

    /// `(name, summary)` for every metric present, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Summary)> {
        let summaries = [
            Some(&self.customers),
            Some(&self.customers_ideal),
            Some(&self.customers_lost),
            Some(&self.revenue),
            Some(&self.revenue_ideal),
            Some(&self.revenue_lost),
            self.roi.as_ref(),
            self.roi_ideal.as_ref(),
            self.roi_lost.as_ref(),
            self.sla_met.as_ref(),
        ];
        Metrics::NAMES
            .into_iter()
            .zip(summaries)
            .filter_map(|(name, summary)| summary.map(|s| (name, s)))
    }
}

impl Report {
    /// A report of `trials` trials of `scenario` (its name and currency)
    /// from `expected` and `metrics`, with no goal and no segments. For
    /// programs that present results of their own in the report's shape;
    /// runs report with [`Tally::report`].
    pub fn new(
        scenario: &Scenario,
        trials: u64,
        seed: u64,
        engine: Engine,
        expected: Expected,
        metrics: Metrics,
    ) -> Report {
        Report {
            scenario: scenario.name().to_owned(),
            currency: scenario.currency().map(str::to_owned),
            trials,
            seed,
            engine,
            expected,
            metrics,
            goal: None,
            inputs: None,
            segments: Vec::new(),
            assumptions: Vec::new(),
        }
    }
}

/// The chance of reaching the customer goal (not to be confused with
/// [`plan::Goal`](crate::plan::Goal), the planner's target): the Monte
/// Carlo share of trials that reach it, with its standard error, and the
/// exact probability where the model allows it
/// ([`CustomerDistribution`](crate::exact::CustomerDistribution)).
///
/// ```
/// use lead_decay::{Scenario, Simulation};
///
/// let report = Simulation::new(&Scenario::reference()).trials(10_000).seed(42).run()?;
/// let goal = report.goal.unwrap();
/// let exact = goal.exact.unwrap();
/// assert!((exact.probability - 0.3737).abs() < 1e-4);
/// // The estimate is within a few standard errors of it.
/// assert!((goal.probability - exact.probability).abs() < 5.0 * goal.std_error);
/// assert_eq!(goal.best(), (exact.probability, exact.probability_ideal));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GoalChance {
    /// The goal.
    pub customers: u64,
    /// Share of trials with `customers >= goal`.
    pub probability: f64,
    /// Share of trials with `customers_ideal >= goal`: the chance with
    /// every SQL worked at once.
    pub probability_ideal: f64,
    /// The standard error of `probability` as an estimate,
    /// `sqrt(P (1 − P) / trials)`.
    #[serde(default)]
    pub std_error: f64,
    /// The standard error of `probability_ideal`.
    #[serde(default)]
    pub std_error_ideal: f64,
    /// The exact probabilities, when the model allows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<ExactGoalChance>,
    /// Why there are no exact probabilities (`exact` is `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_exact: Option<NotExact>,
}

impl GoalChance {
    /// The chance of `goal` estimated from `trials` trials (shares of
    /// trials `probability` as followed up and `probability_ideal` all
    /// worked at once), with their standard errors and no exact values.
    pub fn from_estimate(goal: u64, probability: f64, probability_ideal: f64, trials: u64) -> GoalChance {
        let n = trials.max(1) as f64;
        let se = |p: f64| (p * (1.0 - p) / n).sqrt();
        GoalChance {
            customers: goal,
            probability,
            probability_ideal,
            std_error: se(probability),
            std_error_ideal: se(probability_ideal),
            exact: None,
            not_exact: None,
        }
    }

    /// `(P(customers >= goal), P(customers_ideal >= goal))`: exact when
    /// known, the Monte Carlo shares otherwise.
    pub fn best(&self) -> (f64, f64) {
        match self.exact {
            Some(exact) => (exact.probability, exact.probability_ideal),
            None => (self.probability, self.probability_ideal),
        }
    }
}

/// The exact chance of the customer goal, without sampling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExactGoalChance {
    /// `P(customers >= goal)`.
    pub probability: f64,
    /// `P(customers_ideal >= goal)`: with every SQL worked at once.
    pub probability_ideal: f64,
}

/// One segment's part of a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SegmentReport {
    /// The segment's name.
    pub name: String,
    /// Its exact expectations (ROI is reported for the scenario only).
    pub expected: Expected,
    /// Its metrics.
    pub metrics: Metrics,
}

/// What a run found: exact expectations beside Monte Carlo summaries of
/// every metric, for the scenario and for each segment.
///
/// Serialises to the JSON contract of the `simulate` example
/// ([`crate::guide::json`]), and deserialises from it: a test suite can keep
/// a baseline report as a JSON file and compare a new run with it, bit for
/// bit (every `f64` round-trips exactly).
///
/// Non-exhaustive: new fields may be added in minor versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's currency label.
    pub currency: Option<String>,
    /// Trials run.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// The engine that ran (never `auto`).
    pub engine: Engine,
    /// Exact expectations, without sampling.
    pub expected: Expected,
    /// Monte Carlo summaries of every metric.
    pub metrics: Metrics,
    /// `P(customers >= goal)`, when the scenario has a customer goal.
    pub goal: Option<GoalChance>,
    /// What the uncertain inputs leave open, apart from the luck of the
    /// draw: present only for a scenario with uncertain inputs (omitted
    /// from JSON otherwise). `expected` is then the expectation over the
    /// inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<InputsReport>,
    /// Per-segment expectations and summaries.
    pub segments: Vec<SegmentReport>,
    /// Assumptions the results rest on that the scenario does not state
    /// (e.g. the level of a decay fitted to ratios: see
    /// [`Segment::assumptions`](crate::Segment::assumptions)); omitted from
    /// JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
}

/// What a scenario's uncertain inputs leave open, beside the luck of the
/// draw: part of a [`Report`] of a scenario with uncertain inputs.
///
/// Each trial draws its inputs, then its SQLs given them (two-level
/// trials), so a metric's trial outcomes ([`Report::metrics`]) spread for
/// both reasons. The exact conditional expectation `E[metric | inputs]` of
/// each trial's inputs spreads only for the first:
/// [`given_inputs`](Self::given_inputs) summarises it over the trials
/// ("the expected revenue lost is between its p05 and p95"), and
/// [`variance_share`](Self::variance_share) is the share of each metric's
/// variance it explains, `Var(E[M | X]) / Var(M)` (the law of total
/// variance: the rest, `E[Var(M | X)]`, is luck).
///
/// # Example
///
/// ```
/// use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
/// use lead_decay::whatif::Knob;
/// use lead_decay::{Scenario, Simulation};
///
/// let guess = InputDistribution::beta_mean_sd(0.25, 0.04)?;
/// let scenario = Scenario::builder("guessed close rate")
///     .segment(Scenario::reference().segments()[0].clone())
///     .uncertainty(Uncertainty::new().with_input(UncertainInput::new(Knob::CloseRate, guess)))
///     .build()?;
/// let report = Simulation::new(&scenario).trials(20_000).seed(7).run()?;
/// let inputs = report.inputs.as_ref().unwrap();
/// // E[customers | close rate] = 35 × close rate: its p05-p95 band is the
/// // Beta's, times 35 (about 6.6 to 11.1).
/// let band = inputs.given_inputs.customers;
/// assert!(band.p05 > 6.0 && band.p05 < 7.2 && band.p95 > 10.5 && band.p95 < 11.7);
/// // The close rate explains part of the spread of customers, luck the
/// // rest: Var(35 p) = 35² 0.04² = 1.96 against the binomial's mean
/// // variance 35 E[p (1 - p)] = 6.51, a share of 1.96 / 8.47 = 0.23.
/// let share = inputs.variance_share.customers.unwrap();
/// assert!((share - 0.23).abs() < 0.03, "{share}");
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputsReport {
    /// The uncertain inputs (factors), by name, in the order of the unit
    /// cube's coordinates.
    pub factors: Vec<String>,
    /// How [`Report::expected`] was computed over the inputs: quadrature,
    /// or quasi-Monte Carlo with [`expected_std_error`](Self::expected_std_error).
    pub method: Integration,
    /// The standard error of each figure of [`Report::expected`] when it
    /// comes from quasi-Monte Carlo; `None` for quadrature.
    pub expected_std_error: Option<Expected>,
    /// Summaries over the trials of the exact `E[metric | inputs]` of each
    /// trial's inputs: its mean, spread and percentiles.
    pub given_inputs: Metrics,
    /// For each metric, the share of its variance over the trials due to
    /// the inputs, `Var(E[M | X]) / Var(M)`, estimated from the trials (so
    /// it can exceed 1 by sampling error when luck adds little); `None`
    /// where the metric does not vary.
    pub variance_share: VarianceShare,
}

/// The share of each metric's variance due to the uncertain inputs (see
/// [`InputsReport::variance_share`]); `None` for a metric that is absent
/// or does not vary.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VarianceShare {
    /// Customers won.
    pub customers: Option<f64>,
    /// Customers had every SQL been worked at once.
    pub customers_ideal: Option<f64>,
    /// Customers lost.
    pub customers_lost: Option<f64>,
    /// Revenue won.
    pub revenue: Option<f64>,
    /// Revenue had every SQL been worked at once.
    pub revenue_ideal: Option<f64>,
    /// Revenue lost.
    pub revenue_lost: Option<f64>,
    /// ROI.
    pub roi: Option<f64>,
    /// ROI had every SQL been worked at once.
    pub roi_ideal: Option<f64>,
    /// ROI lost.
    pub roi_lost: Option<f64>,
    /// Share of SQLs worked within the SLA.
    pub sla_met: Option<f64>,
}

impl VarianceShare {
    /// `(name, share)` for every metric, in [`Metrics::NAMES`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> {
        Metrics::NAMES.into_iter().zip([
            self.customers,
            self.customers_ideal,
            self.customers_lost,
            self.revenue,
            self.revenue_ideal,
            self.revenue_lost,
            self.roi,
            self.roi_ideal,
            self.roi_lost,
            self.sla_met,
        ])
    }

    fn from_values(v: [Option<f64>; 10]) -> VarianceShare {
        VarianceShare {
            customers: v[0],
            customers_ideal: v[1],
            customers_lost: v[2],
            revenue: v[3],
            revenue_ideal: v[4],
            revenue_lost: v[5],
            roi: v[6],
            roi_ideal: v[7],
            roi_lost: v[8],
            sla_met: v[9],
        }
    }
}

impl InputsReport {
    fn new(
        scenario: &Scenario,
        over: &ExpectedOverInputs,
        given: &GivenInputsTally,
        outcomes: &Metrics,
    ) -> InputsReport {
        let summaries: Vec<Option<Summary>> = (0..Metrics::NAMES.len()).map(|i| given.summary(i)).collect();
        let get = |i: usize| summaries[i].unwrap_or_default();
        let given_inputs = Metrics::new(get(0), get(1), get(2), get(3), get(4), get(5))
            .with_roi(summaries[6], summaries[7], summaries[8])
            .with_sla_met(summaries[9]);
        let mut shares = [None; 10];
        let outcome_summaries: Vec<Option<&Summary>> = {
            let present: Vec<(&str, &Summary)> = outcomes.iter().collect();
            Metrics::NAMES
                .iter()
                .map(|name| present.iter().find(|(n, _)| n == name).map(|(_, s)| *s))
                .collect()
        };
        for (i, share) in shares.iter_mut().enumerate() {
            if let (Some(conditional), Some(outcome)) = (summaries[i], outcome_summaries[i])
                && outcome.std_dev > 0.0
            {
                *share = Some((conditional.std_dev / outcome.std_dev).powi(2));
            }
        }
        InputsReport {
            factors: scenario.uncertainty().factors().into_iter().map(|f| f.name).collect(),
            method: over.method,
            expected_std_error: over.std_error,
            given_inputs,
            variance_share: VarianceShare::from_values(shares),
        }
    }
}
