//! Exact expectations over uncertain inputs: `E[metric] = E_X[E[metric | X]]`,
//! the mean over the inputs `X` of the exact conditional expectation, and
//! the spread of `E[metric | X]` ("the expected revenue lost is between X
//! and Y").
//!
//! Every input is a quantile of one coordinate of the unit cube
//! ([`Uncertainty::realise`](crate::model::uncertainty::Uncertainty::realise)),
//! so the expectation over the inputs is an integral over `[0, 1]^d`:
//!
//! - **quadrature** when there are at most [`QUADRATURE_DIMENSIONS`]
//!   coordinates, each a continuous input: a tensor Gauss–Kronrod 7/15 rule
//!   on fixed panels graded towards both ends of each coordinate (where a
//!   quantile function of an unbounded law is steep), with the Kronrod–Gauss
//!   difference as its error estimate. When that estimate exceeds
//!   [`QUADRATURE_TOLERANCE`] relative to any metric, the integral is
//!   computed as below instead;
//! - otherwise **randomised quasi-Monte Carlo**: [`QMC_REPLICATES`]
//!   independent scrambled Sobol replicates of [`QMC_POINTS`] points each,
//!   whose spread gives the standard error that is reported with the means.
//!
//! The cost is bounded: the first points of the design measure what one
//! exact evaluation costs (in deterministic units of work, not time, so
//! the same scenario gets the same design on every machine), and when the
//! whole would exceed [`WORK_BUDGET`] the design has fewer points per
//! replicate (down to [`MIN_QMC_POINTS`]; [`Integration::QuasiMonteCarlo`]
//! says how many, and the standard errors grow accordingly) and quadrature
//! is not attempted. A scenario whose exact model is too slow even for the
//! smallest design is refused with an error.
//!
//! The percentiles of `E[metric | X]` are those of its values at the
//! points of the Monte Carlo design (all replicates pooled), by the
//! inverted-CDF definition used for every summary.
//!
//! # Example
//!
//! ```
//! use lead_decay::exact::{ExpectedOverInputs, Integration};
//! use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
//! use lead_decay::whatif::Knob;
//! use lead_decay::Scenario;
//!
//! // The reference case with a close rate known only as Beta(mean 0.25, sd 0.04).
//! let guess = InputDistribution::beta_mean_sd(0.25, 0.04)?;
//! let scenario = Scenario::builder("guessed close rate")
//!     .segment(Scenario::reference().segments()[0].clone())
//!     .uncertainty(Uncertainty::new().with_input(UncertainInput::new(Knob::CloseRate, guess)))
//!     .build()?;
//! let over = ExpectedOverInputs::of(&scenario)?;
//! assert!(matches!(over.method, Integration::Quadrature { .. }));
//! // Customers are linear in the close rate: 35 worked SQLs times its mean.
//! assert!((over.expected.customers - 35.0 * 0.25).abs() < 1e-9);
//! // ... and the expectation given the inputs spreads with it.
//! assert!(over.p05.customers < 8.0 && over.p95.customers > 9.5);
//! # Ok::<(), lead_decay::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::work;
use crate::error::{Error, Result};
use crate::exact::expected::{Expected, Loss, LossSplit, SegmentIntegrals};
use crate::exact::quadrature::{WG, WGK, XGK};
use crate::model::scenario::Scenario;
use crate::model::uncertainty::Factor;
use crate::sampling::quasi::{ScrambledSobol, replicate_estimate};

/// The most coordinates integrated by quadrature; more go to quasi-Monte
/// Carlo.
pub const QUADRATURE_DIMENSIONS: usize = 2;

/// The largest error estimate of the quadrature, relative to the metric
/// (or absolute below a magnitude of 1), that is reported as exact.
pub const QUADRATURE_TOLERANCE: f64 = 1e-8;

/// Points per replicate of the quasi-Monte Carlo design.
pub const QMC_POINTS: usize = 1024;

/// Independent replicates of the quasi-Monte Carlo design.
pub const QMC_REPLICATES: usize = 16;

/// The fewest points per replicate the design is cut to when each exact
/// evaluation is costly ([`WORK_BUDGET`]).
pub const MIN_QMC_POINTS: usize = 32;

/// The units of work (a deterministic meter of integrand evaluations and
/// series terms) an expectation over the inputs may take,
/// about two seconds: the design has [`QMC_POINTS`] per replicate when
/// that fits, fewer (halved down to [`MIN_QMC_POINTS`], with standard
/// errors that say so) when each exact evaluation is costly, and quadrature
/// is used only when it fits. A schedule decay of 6-second periods against
/// a follow-up of 100 hours costs about 10 ms an evaluation: 16,384 of them
/// took the fuzzer 167 s.
pub const WORK_BUDGET: u64 = 1 << 26;

/// Points of the first replicate evaluated to measure the cost of one.
const PROBE_POINTS: usize = 16;

/// The units charged per evaluation on top of what its inner loops
/// count: realising the inputs and the closed forms.
const EVALUATION_UNITS: u64 = 64;

/// The seed of the quasi-Monte Carlo design: fixed, so the same scenario
/// always gives the same figures.
const QMC_SEED: u64 = 0x1ead_dec0;

/// The panel edges of one coordinate. Between `TAIL` and `1 - TAIL` the
/// panels are plain; below `TAIL` (and above `1 - TAIL`, mirrored) they are
/// graded geometrically by factors of 100 and integrated in `ln u` (`ln (1
/// - u)`), where a quantile function behaves like a power or a logarithm of
/// `u` and is smooth. Below `1e-16` every input is at its clamped tail
/// (`2^-53`): one flat panel.
const MIDDLE: [f64; 6] = [0.1, 0.3, 0.45, 0.55, 0.7, 0.9];
const TAIL_EDGES: [f64; 9] = [1e-16, 1e-14, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 0.1];

/// How an expectation over the inputs was computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
#[non_exhaustive]
pub enum Integration {
    /// No uncertain input: the expectation is [`Expected::of`].
    NoInputs,
    /// Tensor Gauss–Kronrod quadrature with this many evaluations of the
    /// exact conditional expectation; error below [`QUADRATURE_TOLERANCE`].
    Quadrature {
        /// Points of the unit cube evaluated.
        evaluations: u64,
    },
    /// Randomised quasi-Monte Carlo; the standard errors are reported.
    QuasiMonteCarlo {
        /// Points per replicate.
        points: usize,
        /// Independent replicates.
        replicates: usize,
    },
}

/// The exact expectation of every metric over a scenario's uncertain
/// inputs, and the spread of the expectation given the inputs. See the
/// [module docs](self).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExpectedOverInputs {
    /// How [`expected`](Self::expected) was computed.
    pub method: Integration,
    /// `E[metric] = E_X[E[metric | X]]` for every metric (with the loss
    /// split, also averaged over the inputs).
    pub expected: Expected,
    /// The standard error of each figure of `expected` under quasi-Monte
    /// Carlo; `None` for quadrature (whose error is below
    /// [`QUADRATURE_TOLERANCE`]) and without inputs.
    pub std_error: Option<Expected>,
    /// Each segment's expectations over the inputs, in scenario order.
    pub segments: Vec<Expected>,
    /// The 5th percentile over the inputs of `E[metric | X]`.
    pub p05: Expected,
    /// The median of `E[metric | X]`.
    pub p50: Expected,
    /// The 95th percentile of `E[metric | X]`.
    pub p95: Expected,
    /// The points of the inputs the percentiles are taken over (1 without
    /// inputs).
    pub samples: usize,
}

/// Every figure of an [`Expected`] (metrics, then the loss split) as a
/// fixed list of numbers; `None` where the metric does not exist.
const FIGURES: usize = 14;

fn figures(e: &Expected) -> [Option<f64>; FIGURES] {
    let mut out = [None; FIGURES];
    for (slot, (_, v)) in out.iter_mut().zip(e.iter()) {
        *slot = v;
    }
    if let Some(split) = e.lost {
        out[10] = Some(split.never_followed_up.customers);
        out[11] = Some(split.never_followed_up.revenue);
        out[12] = Some(split.too_late.customers);
        out[13] = Some(split.too_late.revenue);
    }
    out
}

/// The [`Expected`] holding `v` (in the order of [`figures`]), shaped as
/// `like` (which metrics exist).
fn from_figures(v: &[f64], like: &[Option<f64>; FIGURES]) -> Expected {
    let get = |i: usize| like[i].map(|_| v[i]);
    let lost = like[10].map(|_| LossSplit {
        never_followed_up: Loss {
            customers: v[10],
            revenue: v[11],
        },
        too_late: Loss {
            customers: v[12],
            revenue: v[13],
        },
    });
    Expected {
        customers: v[0],
        customers_ideal: v[1],
        customers_lost: v[2],
        revenue: v[3],
        revenue_ideal: v[4],
        revenue_lost: v[5],
        roi: get(6),
        roi_ideal: get(7),
        roi_lost: get(8),
        sla_met: get(9),
        lost,
    }
}

/// The values integrated at one point: the scenario's figures, then each
/// segment's.
/// Each segment's integrals are kept in `kept` for the next point, where
/// the inputs that move do not change them.
fn evaluate(scenario: &Scenario, u: &[f64], out: &mut [f64], kept: &mut Vec<Option<SegmentIntegrals>>) -> Result<()> {
    let trial = scenario.realise(u)?;
    kept.resize_with(trial.segments().len(), || None);
    let parts: Vec<Expected> = trial
        .segments()
        .iter()
        .zip(kept.iter_mut())
        .map(|(segment, kept)| Expected::of_segment_kept(segment, kept))
        .collect();
    let whole = Expected::of_parts(&trial, &parts);
    for (block, expected) in out.chunks_exact_mut(FIGURES).zip(std::iter::once(whole).chain(parts)) {
        for (slot, v) in block.iter_mut().zip(figures(&expected)) {
            *slot = v.unwrap_or(0.0);
        }
    }
    if let Some((i, v)) = out.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::invalid(
            format!("inputs at {u:?}"),
            v,
            format!("a finite exact expectation (figure {i})"),
        ));
    }
    Ok(())
}

impl ExpectedOverInputs {
    /// The expectations of `scenario` over its uncertain inputs (see the
    /// [module docs](self)); without inputs, [`Expected::of`] with every
    /// percentile equal to it.
    ///
    /// # Errors
    ///
    /// An expectation that is not finite at some point of the inputs, or
    /// more uncertain coordinates than the quasi-Monte Carlo design holds.
    pub fn of(scenario: &Scenario) -> Result<ExpectedOverInputs> {
        let uncertainty = scenario.uncertainty();
        let parts: Vec<Expected> = scenario.segments().iter().map(Expected::of_segment).collect();
        let expected = Expected::of_parts(scenario, &parts);
        let shapes: Vec<[Option<f64>; FIGURES]> = std::iter::once(figures(&expected))
            .chain(parts.iter().map(figures))
            .collect();
        if uncertainty.is_empty() {
            return Ok(ExpectedOverInputs {
                method: Integration::NoInputs,
                expected,
                std_error: None,
                segments: parts,
                p05: expected,
                p50: expected,
                p95: expected,
                samples: 1,
            });
        }
        let outputs = FIGURES * shapes.len();
        let dimension = uncertainty.dimension();
        let mut u = vec![0.0; dimension];
        let mut values = vec![0.0; outputs];
        // What one evaluation costs, from the first points of the design
        // (kept: they are its first points), sizes the design.
        let mut kept = Vec::new();
        let started = work::used();
        let mut probe = Vec::with_capacity(PROBE_POINTS);
        let first = ScrambledSobol::new(dimension, QMC_SEED, 0)?;
        for index in 0..PROBE_POINTS {
            first.point(index, &mut u);
            evaluate(scenario, &u, &mut values, &mut kept)?;
            probe.push(values.clone());
        }
        let per_point = (work::used() - started) / PROBE_POINTS as u64 + EVALUATION_UNITS;
        let points = design_points(per_point)?;
        // The quasi-Monte Carlo design: its points give the percentiles
        // always, and the means when quadrature does not apply.
        let mut pooled: Vec<Vec<f64>> = (0..FIGURES)
            .map(|_| Vec::with_capacity(points * QMC_REPLICATES))
            .collect();
        let mut replicate_means: Vec<Vec<f64>> = (0..outputs).map(|_| Vec::with_capacity(QMC_REPLICATES)).collect();
        for replicate in 0..QMC_REPLICATES {
            let design = ScrambledSobol::new(dimension, QMC_SEED, replicate as u64)?;
            let mut sums = vec![0.0; outputs];
            for index in 0..points {
                match probe.get(index).filter(|_| replicate == 0) {
                    Some(known) => values.copy_from_slice(known),
                    None => {
                        design.point(index, &mut u);
                        evaluate(scenario, &u, &mut values, &mut kept)?;
                    }
                }
                for (sum, v) in sums.iter_mut().zip(&values) {
                    *sum += v;
                }
                for (column, v) in pooled.iter_mut().zip(&values) {
                    column.push(*v);
                }
            }
            for (means, sum) in replicate_means.iter_mut().zip(sums) {
                means.push(sum / points as f64);
            }
        }
        let [p05, p50, p95] = [0.05, 0.5, 0.95].map(|p| {
            let v: Vec<f64> = pooled
                .iter_mut()
                .map(|column| {
                    column.sort_by(f64::total_cmp);
                    percentile(column, p)
                })
                .collect();
            from_figures(&v, &shapes[0])
        });
        let affordable = quadrature_evaluations(dimension).saturating_mul(per_point) <= WORK_BUDGET;
        let quadrature = (affordable && quadrature_applies(&uncertainty.factors(), scenario))
            .then(|| quadrature(scenario, dimension, outputs, &mut kept))
            .transpose()?
            .flatten();
        let (method, means, std_error) = match quadrature {
            Some((means, evaluations)) => (Integration::Quadrature { evaluations }, means, None),
            None => {
                let estimates: Vec<_> = replicate_means.iter().map(|m| replicate_estimate(m)).collect();
                let means: Vec<f64> = estimates.iter().map(|e| e.mean).collect();
                let errors: Vec<f64> = estimates.iter().map(|e| e.standard_error).collect();
                (
                    Integration::QuasiMonteCarlo {
                        points,
                        replicates: QMC_REPLICATES,
                    },
                    means,
                    Some(from_figures(&errors[..FIGURES], &shapes[0])),
                )
            }
        };
        let mut blocks = means
            .chunks_exact(FIGURES)
            .zip(&shapes)
            .map(|(v, s)| from_figures(v, s));
        let expected = blocks.next().unwrap_or(p50);
        Ok(ExpectedOverInputs {
            method,
            expected,
            std_error,
            segments: blocks.collect(),
            p05,
            p50,
            p95,
            samples: points * QMC_REPLICATES,
        })
    }
}

/// Points per replicate of the quasi-Monte Carlo design for evaluations of
/// `per_point` units of work each: [`QMC_POINTS`], halved while the design
/// would cost more than [`WORK_BUDGET`], down to [`MIN_QMC_POINTS`].
///
/// # Errors
///
/// When even the smallest design would cost more than four budgets: each
/// exact evaluation is too slow for an expectation over the inputs.
fn design_points(per_point: u64) -> Result<usize> {
    let cost = |points: usize| (points * QMC_REPLICATES) as u64 * per_point;
    let mut points = QMC_POINTS;
    while points > MIN_QMC_POINTS && cost(points) > WORK_BUDGET {
        points /= 2;
    }
    if cost(points) > 4 * WORK_BUDGET {
        return Err(Error::invalid(
            "inputs",
            format_args!("{per_point} units of work per exact evaluation"),
            format!(
                "uncertain inputs whose exact expectation can be averaged over {} points within {WORK_BUDGET} units \
                 (each evaluation of this scenario's exact model is too slow; fix the slowest input at a value, \
                 or give the follow-up and decay scales closer to each other)",
                points * QMC_REPLICATES
            ),
        ));
    }
    Ok(points)
}

/// Evaluations of the tensor quadrature in `dimension` coordinates.
fn quadrature_evaluations(dimension: usize) -> u64 {
    let per_coordinate: u64 = panels().iter().map(|p| p.len() as u64).sum();
    per_coordinate.saturating_pow(dimension as u32)
}

/// The percentile `p` (inverted CDF) of sorted values.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Whether the inputs are few and continuous enough for quadrature: at
/// most [`QUADRATURE_DIMENSIONS`] factors of one continuous coordinate
/// each.
fn quadrature_applies(factors: &[Factor], scenario: &Scenario) -> bool {
    let uncertainty = scenario.uncertainty();
    factors.len() <= QUADRATURE_DIMENSIONS
        && uncertainty.joints().is_empty()
        && uncertainty
            .inputs()
            .iter()
            .all(|input| !input.distribution.is_discrete())
}

/// The 15 Gauss–Kronrod nodes of `[a, b]`: `(x, Kronrod weight, Gauss
/// weight)`.
fn kronrod_nodes(a: f64, b: f64) -> Vec<(f64, f64, f64)> {
    let (center, half) = (0.5 * (a + b), 0.5 * (b - a));
    let mut nodes = Vec::with_capacity(15);
    for i in 0..8 {
        // The 7-point Gauss rule uses the nodes of odd index and the centre.
        let gauss = if i % 2 == 1 { WG[i / 2] } else { 0.0 };
        let (wk, wg) = (WGK[i] * half, gauss * half);
        if i == 7 {
            nodes.push((center, wk, wg));
        } else {
            let dx = half * XGK[i];
            nodes.push((center - dx, wk, wg));
            nodes.push((center + dx, wk, wg));
        }
    }
    nodes
}

/// The nodes of each panel of one coordinate: `(u, Kronrod weight, Gauss
/// weight)` (see [`MIDDLE`] and [`TAIL_EDGES`]).
fn panels() -> Vec<Vec<(f64, f64, f64)>> {
    let mut out = Vec::new();
    // Below 1e-16 (and above 1 - 1e-16) an input is at its clamped tail.
    let flat = TAIL_EDGES[0];
    out.push(vec![(0.5 * flat, flat, flat)]);
    out.push(vec![(1.0 - 0.5 * flat, flat, flat)]);
    // In the tails, u = e^t: du = u dt.
    for edge in TAIL_EDGES.windows(2) {
        let nodes = kronrod_nodes(edge[0].ln(), edge[1].ln());
        out.push(
            nodes
                .iter()
                .map(|&(t, wk, wg)| (t.exp(), wk * t.exp(), wg * t.exp()))
                .collect(),
        );
        out.push(
            nodes
                .iter()
                .map(|&(t, wk, wg)| (1.0 - t.exp(), wk * t.exp(), wg * t.exp()))
                .collect(),
        );
    }
    for edge in MIDDLE.windows(2) {
        out.push(kronrod_nodes(edge[0], edge[1]));
    }
    out
}

/// The tensor Gauss–Kronrod means of every output, with the number of
/// evaluations; `None` when the error estimate is above tolerance.
///
/// Each cell (a panel, or a product of two) gets QUADPACK's error estimate
/// of its Kronrod value, `asc · min(1, (200 |K − G| / asc)^1.5)`, where
/// `asc` is the Kronrod integral of `|f − mean|` over the cell; the cells'
/// estimates add up.
fn quadrature(
    scenario: &Scenario,
    dimension: usize,
    outputs: usize,
    kept: &mut Vec<Option<SegmentIntegrals>>,
) -> Result<Option<(Vec<f64>, u64)>> {
    let panels = panels();
    let cells: Vec<Vec<(Vec<f64>, f64, f64)>> = match dimension {
        1 => panels
            .iter()
            .map(|p| p.iter().map(|&(u, wk, wg)| (vec![u], wk, wg)).collect())
            .collect(),
        2 => panels
            .iter()
            .flat_map(|p0| {
                panels.iter().map(move |p1| {
                    p0.iter()
                        .flat_map(|&(u0, wk0, wg0)| {
                            p1.iter()
                                .map(move |&(u1, wk1, wg1)| (vec![u0, u1], wk0 * wk1, wg0 * wg1))
                        })
                        .collect()
                })
            })
            .collect(),
        _ => return Ok(None),
    };
    let mut total = vec![0.0; outputs];
    let mut error = vec![0.0; outputs];
    let mut magnitude = vec![0.0f64; outputs];
    let mut evaluations = 0u64;
    let mut values: Vec<Vec<f64>> = Vec::new();
    for cell in &cells {
        values.clear();
        for (u, _, _) in cell {
            let mut v = vec![0.0; outputs];
            evaluate(scenario, u, &mut v, kept)?;
            evaluations += 1;
            values.push(v);
        }
        let area: f64 = cell.iter().map(|c| c.1).sum();
        for o in 0..outputs {
            let (mut kronrod, mut gauss) = (0.0, 0.0);
            for ((_, wk, wg), v) in cell.iter().zip(&values) {
                kronrod += wk * v[o];
                gauss += wg * v[o];
                magnitude[o] = magnitude[o].max(v[o].abs());
            }
            let mean = kronrod / area;
            let asc: f64 = cell
                .iter()
                .zip(&values)
                .map(|((_, wk, _), v)| wk * (v[o] - mean).abs())
                .sum();
            let difference = (kronrod - gauss).abs();
            error[o] += if asc > 0.0 && difference > 0.0 {
                asc * (200.0 * difference / asc).powf(1.5).min(1.0)
            } else {
                difference
            };
            total[o] += kronrod;
        }
    }
    let accurate = (0..outputs).all(|o| error[o] <= QUADRATURE_TOLERANCE * magnitude[o].max(1.0));
    Ok(accurate.then_some((total, evaluations)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_whose_integrals_the_inputs_do_not_move_are_integrated_once() {
        // The long fuzz campaign's seed 2, case 12219: a segment with a
        // schedule decay and a log-normal delay of median 1.75e8 h (about
        // 2,000 terms of its series) whose only uncertain input is its close
        // rate. Each of the design's 2,048 points recomputed its warm
        // probability, twice: 76 s of CPU for the fuzzer's checks.
        let text = include_str!("../../tests/fixtures/fuzz-costly/seed-2-case-12219.toml");
        let scenario = crate::file::Analysis::from_toml_str(text).unwrap().into_scenario();
        let before = work::used();
        let one = Expected::of(&scenario);
        let per_evaluation = work::used() - before;
        assert!(per_evaluation > 1_000, "{per_evaluation}");
        let before = work::used();
        let over = ExpectedOverInputs::of(&scenario).unwrap();
        let used = work::used() - before;
        // The full design, and about two evaluations' work in all: the
        // segment's integrals once, the other segments' (one of which moves
        // with the uncertain shelf life) cheap.
        assert_eq!(over.samples, QMC_POINTS * QMC_REPLICATES, "{:?}", over.method);
        assert!(
            used < 3 * per_evaluation,
            "{used} units against {per_evaluation} for one evaluation"
        );
        assert!(one.customers.is_finite());
        // At a point after another, the kept integrals give the figures
        // that integrals computed afresh give, bit for bit.
        let outputs = FIGURES * (scenario.segments().len() + 1);
        let dimension = scenario.uncertainty().dimension();
        let (mut kept, mut after, mut afresh) = (Vec::new(), vec![0.0; outputs], vec![0.0; outputs]);
        evaluate(&scenario, &vec![0.2; dimension], &mut after, &mut kept).unwrap();
        evaluate(&scenario, &vec![0.7; dimension], &mut after, &mut kept).unwrap();
        evaluate(&scenario, &vec![0.7; dimension], &mut afresh, &mut Vec::new()).unwrap();
        assert!(after.iter().zip(&afresh).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_ne!(after[0], 0.0);
    }

    #[test]
    fn the_design_is_cut_to_fit_the_budget_and_refused_past_four_budgets() {
        // Cheap evaluations: the full design.
        assert_eq!(design_points(EVALUATION_UNITS).unwrap(), QMC_POINTS);
        let full = (QMC_POINTS * QMC_REPLICATES) as u64;
        assert_eq!(design_points(WORK_BUDGET / full).unwrap(), QMC_POINTS);
        // Twice as costly: half the points.
        assert_eq!(design_points(WORK_BUDGET / full + 1).unwrap(), QMC_POINTS / 2);
        // The smallest design, up to four budgets; past that an error
        // naming the inputs.
        let smallest = (MIN_QMC_POINTS * QMC_REPLICATES) as u64;
        assert_eq!(design_points(4 * WORK_BUDGET / smallest).unwrap(), MIN_QMC_POINTS);
        let error = design_points(4 * WORK_BUDGET / smallest + 1).unwrap_err().to_string();
        assert!(error.contains("inputs") && error.contains("units of work"), "{error}");
    }

    #[test]
    fn quadrature_evaluations_count_every_node_of_the_tensor_rule() {
        let one: u64 = panels().iter().map(|p| p.len() as u64).sum();
        assert_eq!(quadrature_evaluations(1), one);
        assert_eq!(quadrature_evaluations(2), one * one);
    }
}
