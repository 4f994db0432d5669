//! Variance-based (Sobol) sensitivity indices over a randomised
//! quasi-random design.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{check_uncertain, expected_at, factor_label, metric_name, metric_value};
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use crate::sampling::quasi::ScrambledSobol;

/// Sobol indices of each factor: the share of the variance of an output
/// that the factor explains alone (first order) and with all its
/// interactions (total).
///
/// For an output `Y = f(X)` of independent factors `X_1, ..., X_k`:
///
/// ```text
/// S_i  = Var(E[Y | X_i]) / Var(Y)             first order: what fixing X_i alone would remove
/// ST_i = E[Var(Y | X_~i)] / Var(Y)            total: what is left while X_i still varies
/// ```
///
/// `S_i <= ST_i`; `Σ S_i = 1` for an additive output; `ST_i = 0` exactly
/// when the output does not depend on `X_i`. Estimated as in Saltelli et
/// al. (2010, *Comput. Phys. Commun.* 181): two independent matrices `A` and
/// `B` of `N` points each and, per factor, `AB_i` (`A` with the factor's
/// coordinates taken from `B`), so `N (k + 2)` evaluations:
///
/// ```text
/// S_i  ≈ (1/N) Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V          Saltelli (2010)
/// ST_i ≈ (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V               Jansen (1999)
/// V    = the variance of the 2N values f(A), f(B)
/// ```
///
/// The rows of `A` and `B` are the two halves of a scrambled Sobol point
/// set in `2d` dimensions (randomised quasi-Monte Carlo). The design is
/// repeated `replicates` times with independent scrambles: the indices are
/// computed from all rows together, their standard errors from the spread
/// of the replicates' own estimates, and the 95 % confidence interval is the
/// estimate ± Student's `t` (replicates − 1 degrees of freedom) standard
/// errors. An estimate may fall slightly below 0 or above 1; it is reported
/// as it is, with its interval.
///
/// A factor may own several coordinates (a group of inputs drawn jointly):
/// it is moved as one, and its indices are the group's.
///
/// [`Sobol::run`] applies it to a scenario's uncertain inputs with the exact
/// conditional expectation of every metric as the output;
/// [`Sobol::indices`] to any function on the unit cube.
///
/// # Example: the Ishigami function
///
/// ```
/// use lead_decay::sensitivity::Sobol;
/// use std::f64::consts::PI;
///
/// let ishigami = |u: &[f64], out: &mut [f64]| {
///     let x: Vec<f64> = u.iter().map(|u| PI * (2.0 * u - 1.0)).collect();
///     out[0] = x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin();
///     Ok(())
/// };
/// let factors = [("x1", 0..1), ("x2", 1..2), ("x3", 2..3)];
/// let indices = Sobol::new().samples(1024).indices(3, &factors, &["y"], ishigami)?;
/// let x3 = &indices[0].factors[2];
/// // x3 acts only through its interaction with x1: S3 = 0, ST3 = 0.24.
/// assert!(x3.first_order.as_ref().unwrap().estimate.abs() < 0.05);
/// assert!((x3.total.as_ref().unwrap().estimate - 0.2437).abs() < 0.05);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Sobol {
    samples: usize,
    replicates: usize,
    seed: u64,
}

impl Default for Sobol {
    fn default() -> Self {
        Sobol::new()
    }
}

impl Sobol {
    /// 512 rows per replicate, 8 replicates, seed 42.
    pub fn new() -> Sobol {
        Sobol {
            samples: 512,
            replicates: 8,
            seed: 42,
        }
    }

    /// The rows `N` of `A` (and of `B`) in each replicate, 2 to 65,536; a
    /// power of two keeps the Sobol points balanced. The default is 512.
    pub fn samples(mut self, samples: usize) -> Sobol {
        self.samples = samples;
        self
    }

    /// The independent randomised replicates of the design, at least 2
    /// (their spread gives the standard errors). The default is 8.
    pub fn replicates(mut self, replicates: usize) -> Sobol {
        self.replicates = replicates;
        self
    }

    /// The seed of the scrambles. The default is 42.
    pub fn seed(mut self, seed: u64) -> Sobol {
        self.seed = seed;
        self
    }

    /// The number of evaluations of the output for `factors` factors:
    /// `samples × replicates × (factors + 2)`.
    pub fn evaluations(&self, factors: usize) -> u64 {
        (self.samples as u64) * (self.replicates as u64) * (factors as u64 + 2)
    }

    /// The indices of every metric of `scenario` with respect to its
    /// uncertain inputs (a joint group is one factor), the output being the
    /// exact `E[metric | inputs]`. Metrics the scenario does not have (ROI
    /// without a spend, SLA met without an SLA) are left out.
    ///
    /// # Errors
    ///
    /// A scenario without uncertain inputs (field `uncertainty`), a design
    /// as in [`Sobol::indices`], or a value a segment refuses at a point of
    /// the design.
    pub fn run(&self, scenario: &Scenario) -> Result<SobolReport> {
        check_uncertain(scenario)?;
        let uncertainty = scenario.uncertainty();
        let dimension = uncertainty.dimension();
        let base = expected_at(scenario, &vec![0.5; dimension])?;
        let metrics: Vec<&'static str> = base.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| n).collect();
        let factors = uncertainty.factors();
        let named: Vec<(&str, Range<usize>)> = factors
            .iter()
            .map(|f| (f.name.as_str(), f.coordinates.clone()))
            .collect();
        let mut indices = self.indices(dimension, &named, &metrics, |u, out| {
            let expected = expected_at(scenario, u)?;
            for (slot, name) in out.iter_mut().zip(&metrics) {
                *slot = metric_value(&expected, name)
                    .ok_or_else(|| Error::invalid("metric", *name, "a metric defined at every point of the design"))?;
            }
            Ok(())
        })?;
        for metric in &mut indices {
            for (indices, factor) in metric.factors.iter_mut().zip(&factors) {
                indices.label = factor_label(uncertainty, factor);
            }
        }
        Ok(SobolReport {
            scenario: scenario.name().to_owned(),
            samples: self.samples,
            replicates: self.replicates,
            seed: self.seed,
            evaluations: self.evaluations(factors.len()),
            factors: factors.into_iter().map(|f| f.name).collect(),
            metrics: indices,
        })
    }

    /// The indices of each output of `f`, a function on `[0, 1)^dimension`
    /// that writes `outputs.len()` values, with respect to `factors` (a
    /// name and the coordinates it owns; coordinates in no factor vary but
    /// are never attributed). One [`MetricIndices`] per output, named after
    /// `outputs`.
    ///
    /// `f` runs on all cores with the `parallel` feature; the result is the
    /// same bits whatever the number of threads.
    ///
    /// # Errors
    ///
    /// `dimension` outside 1 to 128 (the design uses `2 × dimension`
    /// quasi-random coordinates), no factor or a factor whose coordinates
    /// are empty, overlap another's or leave the cube (field `factors`), no
    /// output (field `outputs`), `samples` outside 2 to 65,536, fewer than 2
    /// replicates, an error from `f`, or a value of `f` that is not finite.
    pub fn indices<F>(
        &self,
        dimension: usize,
        factors: &[(&str, Range<usize>)],
        outputs: &[&str],
        f: F,
    ) -> Result<Vec<MetricIndices>>
    where
        F: Fn(&[f64], &mut [f64]) -> Result<()> + Sync,
    {
        self.check(dimension, factors, outputs)?;
        let (n, k, m) = (self.samples, factors.len(), outputs.len());
        let mut replicates = Vec::with_capacity(self.replicates);
        for replicate in 0..self.replicates {
            let design = ScrambledSobol::new(2 * dimension, self.seed, replicate as u64)?;
            let rows = evaluate_rows(n, |j| row(&design, j, dimension, factors, m, &f))?;
            replicates.push(Replicate::of(&rows, k, m));
        }
        let t = student_t_975(self.replicates - 1);
        Ok(outputs
            .iter()
            .enumerate()
            .map(|(o, name)| pooled(name, o, factors, &replicates, n, t))
            .collect())
    }

    fn check(&self, dimension: usize, factors: &[(&str, Range<usize>)], outputs: &[&str]) -> Result<()> {
        let most = ScrambledSobol::MAX_DIMENSION / 2;
        if !(1..=most).contains(&dimension) {
            return Err(Error::invalid(
                "dimension",
                dimension,
                format!("1 to {most} coordinates (the design uses twice as many)"),
            ));
        }
        if factors.is_empty() {
            return Err(Error::invalid("factors", "[]", "at least one factor"));
        }
        let mut owner = vec![None; dimension];
        for (i, (name, coordinates)) in factors.iter().enumerate() {
            if coordinates.is_empty() || coordinates.end > dimension {
                return Err(Error::invalid(
                    format!("factors[{i}]"),
                    format!("{name} at {coordinates:?}"),
                    format!("a non-empty range of coordinates within 0..{dimension}"),
                ));
            }
            for c in coordinates.clone() {
                if let Some(other) = owner[c].replace(i) {
                    return Err(Error::invalid(
                        format!("factors[{i}]"),
                        format!("{name} at {coordinates:?}"),
                        format!("coordinates no other factor owns (factor {other} owns coordinate {c})"),
                    ));
                }
            }
        }
        if outputs.is_empty() {
            return Err(Error::invalid("outputs", "[]", "at least one output"));
        }
        if !(2..=ScrambledSobol::MAX_POINTS).contains(&self.samples) {
            return Err(Error::invalid(
                "samples",
                self.samples,
                format!(
                    "2 to {} rows per replicate (a power of two is best)",
                    ScrambledSobol::MAX_POINTS
                ),
            ));
        }
        if self.replicates < 2 {
            return Err(Error::invalid(
                "replicates",
                self.replicates,
                "at least 2 randomised replicates (their spread is the standard error)",
            ));
        }
        Ok(())
    }
}

/// Row `j` of a replicate: `f(A_j)`, `f(B_j)` and `f(AB_i,j)` for each
/// factor, `m` values each, in that order.
fn row<F>(
    design: &ScrambledSobol,
    j: usize,
    d: usize,
    factors: &[(&str, Range<usize>)],
    m: usize,
    f: &F,
) -> Result<Vec<f64>>
where
    F: Fn(&[f64], &mut [f64]) -> Result<()>,
{
    let mut point = vec![0.0; 2 * d];
    design.point(j, &mut point);
    let (a, b) = point.split_at(d);
    let mut values = vec![0.0; (factors.len() + 2) * m];
    f(a, &mut values[..m])?;
    f(b, &mut values[m..2 * m])?;
    let mut ab = a.to_vec();
    for (i, (_, coordinates)) in factors.iter().enumerate() {
        ab[coordinates.clone()].copy_from_slice(&b[coordinates.clone()]);
        f(&ab, &mut values[(i + 2) * m..(i + 3) * m])?;
        ab[coordinates.clone()].copy_from_slice(&a[coordinates.clone()]);
    }
    if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("outputs[{}]", bad % m),
            values[bad],
            format!("a finite value at row {j} of the design"),
        ));
    }
    Ok(values)
}

/// The rows `0..n`, on all cores with the `parallel` feature (in order
/// either way).
fn evaluate_rows(n: usize, row: impl Fn(usize) -> Result<Vec<f64>> + Sync + Send) -> Result<Vec<Vec<f64>>> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(row).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..n).map(row).collect()
    }
}

/// One replicate's sums, per output `o`: the mean and variance of the `2N`
/// values of `f(A)` and `f(B)`, and the numerators of `S_i` and `ST_i`.
struct Replicate {
    mean: Vec<f64>,
    variance: Vec<f64>,
    /// `first[o][i]`: `(1/N) Σ f(B) (f(AB_i) − f(A))`.
    first: Vec<Vec<f64>>,
    /// `total[o][i]`: `(1/2N) Σ (f(A) − f(AB_i))²`.
    total: Vec<Vec<f64>>,
    /// The largest |value|, to tell a constant output from rounding.
    scale: Vec<f64>,
}

impl Replicate {
    fn of(rows: &[Vec<f64>], k: usize, m: usize) -> Replicate {
        let n = rows.len() as f64;
        let mut out = Replicate {
            mean: vec![0.0; m],
            variance: vec![0.0; m],
            first: vec![vec![0.0; k]; m],
            total: vec![vec![0.0; k]; m],
            scale: vec![0.0; m],
        };
        for o in 0..m {
            let ends = || rows.iter().flat_map(|r| [r[o], r[m + o]]);
            let mean = ends().sum::<f64>() / (2.0 * n);
            out.mean[o] = mean;
            out.variance[o] = ends().map(|y| (y - mean).powi(2)).sum::<f64>() / (2.0 * n - 1.0);
            out.scale[o] = rows
                .iter()
                .flatten()
                .skip(o)
                .step_by(m)
                .fold(0.0, |s, v| s.max(v.abs()));
            for i in 0..k {
                let (mut first, mut total) = (0.0, 0.0);
                for r in rows {
                    let (a, b, ab) = (r[o], r[m + o], r[(i + 2) * m + o]);
                    // Centred on the mean: the same estimator, less rounding
                    // when the output is far from 0.
                    first += (b - mean) * (ab - a);
                    total += (a - ab).powi(2);
                }
                out.first[o][i] = first / n;
                out.total[o][i] = total / (2.0 * n);
            }
        }
        out
    }
}

/// The indices of output `o` from all replicates.
fn pooled(
    name: &str,
    o: usize,
    factors: &[(&str, Range<usize>)],
    replicates: &[Replicate],
    n: usize,
    t: f64,
) -> MetricIndices {
    let r = replicates.len() as f64;
    let rows = 2.0 * n as f64;
    let mean = replicates.iter().map(|x| x.mean[o]).sum::<f64>() / r;
    let mean_se = spread(replicates.iter().map(|x| x.mean[o])) / r.sqrt();
    // The variance of all 2NR values, from each replicate's mean and variance.
    let variance = replicates
        .iter()
        .map(|x| (rows - 1.0) * x.variance[o] + rows * (x.mean[o] - mean).powi(2))
        .sum::<f64>()
        / (rows * r - 1.0);
    let scale = replicates.iter().map(|x| x.scale[o]).fold(0.0, f64::max);
    let varies = variance > (1e-12 * scale).powi(2);
    let index = |numerator: &dyn Fn(&Replicate) -> f64| -> Option<Index> {
        if !varies {
            return None;
        }
        let estimate = replicates.iter().map(numerator).sum::<f64>() / r / variance;
        // Each replicate's own estimate; a replicate whose outputs happen
        // not to vary borrows the pooled variance.
        let own = replicates.iter().map(|x| {
            let v = if x.variance[o] > (1e-12 * scale).powi(2) {
                x.variance[o]
            } else {
                variance
            };
            numerator(x) / v
        });
        let standard_error = spread(own) / r.sqrt();
        Some(Index {
            estimate,
            standard_error,
            low: estimate - t * standard_error,
            high: estimate + t * standard_error,
        })
    };
    MetricIndices {
        metric: name.to_owned(),
        mean,
        mean_standard_error: mean_se,
        variance,
        factors: factors
            .iter()
            .enumerate()
            .map(|(i, (factor, _))| FactorIndices {
                factor: (*factor).to_owned(),
                label: (*factor).to_owned(),
                first_order: index(&|x| x.first[o][i]),
                total: index(&|x| x.total[o][i]),
            })
            .collect(),
    }
}

/// The sample standard deviation of `values` (at least two).
fn spread(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    (values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom: with
/// `x = df / (df + t²)`, `P(|T| > t) = I_x(df/2, 1/2)`.
fn student_t_975(df: usize) -> f64 {
    let df = df as f64;
    let x = puruspe::invbetai(0.05, df / 2.0, 0.5);
    (df * (1.0 - x) / x).sqrt()
}

/// The Sobol indices of a scenario's uncertain inputs, for every metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SobolReport {
    /// The scenario's name.
    pub scenario: String,
    /// Rows of `A` (and of `B`) per replicate.
    pub samples: usize,
    /// Independent randomised replicates of the design.
    pub replicates: usize,
    /// The seed of the scrambles.
    pub seed: u64,
    /// Exact expectations computed: `samples × replicates × (factors + 2)`.
    pub evaluations: u64,
    /// The factors' names, in the scenario's order.
    pub factors: Vec<String>,
    /// One entry per metric the scenario has, in [`crate::Expected::NAMES`]
    /// order.
    pub metrics: Vec<MetricIndices>,
}

impl SobolReport {
    /// The indices of the metric `name` (`revenue_lost` or `revenue-lost`).
    pub fn metric(&self, name: &str) -> Option<&MetricIndices> {
        let name = metric_name(name).ok()?;
        self.metrics.iter().find(|m| m.metric == name)
    }
}

/// The Sobol indices of one output (a metric) for every factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricIndices {
    /// The output's name (for a scenario, one of [`crate::Expected::NAMES`]).
    pub metric: String,
    /// The mean of the output over the design: for a scenario, the exact
    /// expectation over the uncertain inputs, estimated by randomised QMC.
    pub mean: f64,
    /// The standard error of `mean` (from the replicates).
    pub mean_standard_error: f64,
    /// The variance of the output over the inputs: the denominator of every
    /// index.
    pub variance: f64,
    /// One entry per factor, in the factors' order.
    pub factors: Vec<FactorIndices>,
}

/// A factor's first-order and total indices for one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FactorIndices {
    /// The factor's name.
    pub factor: String,
    /// The factor in words (`close rate`, `shelf life (industrial)`).
    pub label: String,
    /// `S_i`: the share of the variance the factor explains alone; `None`
    /// when the output does not vary at all (no share to give).
    pub first_order: Option<Index>,
    /// `ST_i`: the share it explains with all its interactions; `None` when
    /// the output does not vary.
    pub total: Option<Index>,
}

/// An index with its standard error and 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Index {
    /// The estimate (from every row of every replicate).
    pub estimate: f64,
    /// Its standard error, from the spread of the replicates' estimates.
    pub standard_error: f64,
    /// The lower end of the 95 % confidence interval.
    pub low: f64,
    /// The upper end of the 95 % confidence interval.
    pub high: f64,
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;
    use crate::model::knob::Knob;
    use crate::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};

    fn ishigami(u: &[f64], out: &mut [f64]) -> Result<()> {
        let x: Vec<f64> = u.iter().map(|u| PI * (2.0 * u - 1.0)).collect();
        out[0] = x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin();
        Ok(())
    }

    /// Asserts the index is within 4.5 standard errors of `truth` (plus a
    /// hair for an index whose every replicate agrees exactly), and that
    /// the interval is narrow enough for the check to mean something.
    fn close(index: &Option<Index>, truth: f64, widest: f64) {
        let index = index.expect("an index");
        assert!(
            (index.estimate - truth).abs() <= 4.5 * index.standard_error + 1e-12,
            "{index:?} vs {truth}"
        );
        assert!(index.high - index.low < widest, "{index:?}");
        assert!(index.low <= index.estimate && index.estimate <= index.high);
    }

    #[test]
    fn ishigami_indices_match_the_closed_forms_within_their_standard_errors() {
        // a = 7, b = 0.1: V = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2, V1 = (1 + b π⁴/5)²/2,
        // V2 = a²/8, V13 = b² π⁸ (1/18 − 1/50) (Ishigami & Homma 1990).
        let (a, b) = (7.0, 0.1);
        let pi4 = PI.powi(4);
        let v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi4 * pi4 / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0);
        let (s1, s2, st1, st3) = (v1 / v, v2 / v, (v1 + v13) / v, v13 / v);
        assert!((s1 - 0.3139).abs() < 1e-4 && (s2 - 0.4424).abs() < 1e-4);
        assert!((st1 - 0.5576).abs() < 1e-4 && (st3 - 0.2437).abs() < 1e-4);

        let factors = [("x1", 0..1), ("x2", 1..2), ("x3", 2..3)];
        let out = Sobol::new()
            .samples(2048)
            .replicates(10)
            .seed(7)
            .indices(3, &factors, &["y"], ishigami)
            .unwrap();
        let y = &out[0];
        assert!((y.variance - v).abs() < 0.02 * v, "{} vs {v}", y.variance);
        // E[y] = a / 2.
        assert!((y.mean - 3.5).abs() < 5.0 * y.mean_standard_error, "{}", y.mean - 3.5);
        close(&y.factors[0].first_order, s1, 0.05);
        close(&y.factors[1].first_order, s2, 0.05);
        close(&y.factors[2].first_order, 0.0, 0.05);
        close(&y.factors[0].total, st1, 0.05);
        close(&y.factors[1].total, s2, 0.05);
        close(&y.factors[2].total, st3, 0.05);
    }

    #[test]
    fn a_group_of_two_coordinates_is_one_factor_with_its_interaction_inside() {
        // y = u1 u2 + u3: Var(u1 u2) = 1/9 − 1/16 = 7/144, Var(u3) = 12/144.
        // Grouped, {u1, u2} explains 7/19 alone and in total, u3 12/19; the
        // u1 u2 interaction stays inside the group.
        let f = |u: &[f64], out: &mut [f64]| {
            out[0] = u[0] * u[1] + u[2];
            Ok(())
        };
        let factors = [("u1 and u2", 0..2), ("u3", 2..3)];
        let out = Sobol::new().samples(1024).indices(3, &factors, &["y"], f).unwrap();
        let y = &out[0];
        close(&y.factors[0].first_order, 7.0 / 19.0, 0.03);
        close(&y.factors[0].total, 7.0 / 19.0, 0.03);
        close(&y.factors[1].first_order, 12.0 / 19.0, 0.03);
        close(&y.factors[1].total, 12.0 / 19.0, 0.03);
        // Apart, u1 alone explains only (1/4 · 1/12) / (19/144) = 3/19.
        let apart = [("u1", 0..1), ("u2", 1..2), ("u3", 2..3)];
        let out = Sobol::new().samples(1024).indices(3, &apart, &["y"], f).unwrap();
        close(&out[0].factors[0].first_order, 3.0 / 19.0, 0.03);
        close(&out[0].factors[0].total, 4.0 / 19.0, 0.03);
    }

    #[test]
    fn the_same_seed_gives_the_same_bits_and_another_seed_other_bits() {
        let factors = [("x1", 0..1), ("x2", 1..2), ("x3", 2..3)];
        let run = |seed| {
            Sobol::new()
                .samples(64)
                .seed(seed)
                .indices(3, &factors, &["y"], ishigami)
                .unwrap()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }

    #[test]
    fn customers_depend_on_the_close_rate_alone_not_on_the_deal_value() {
        let base = Scenario::reference();
        let scenario = Scenario::builder(base.name())
            .segment(base.segments()[0].clone())
            .uncertainty(
                Uncertainty::new()
                    .with_input(UncertainInput::new(
                        Knob::DealValue,
                        InputDistribution::uniform(30_000.0, 70_000.0).unwrap(),
                    ))
                    .with_input(UncertainInput::new(
                        Knob::CloseRate,
                        InputDistribution::beta_mean_sd(0.25, 0.04).unwrap(),
                    )),
            )
            .build()
            .unwrap();
        let report = Sobol::new().samples(256).run(&scenario).unwrap();
        assert_eq!(report.factors, ["deal-value", "close-rate"]);
        assert_eq!(report.evaluations, 256 * 8 * 4);
        let customers = report.metric("customers").unwrap();
        let (deal_value, close_rate) = (&customers.factors[0], &customers.factors[1]);
        assert_eq!(deal_value.label, "mean deal value");
        // Moving the deal value leaves customers unchanged to the bit: 0 exactly.
        for index in [&deal_value.first_order, &deal_value.total] {
            let index = index.unwrap();
            assert_eq!((index.estimate, index.low, index.high), (0.0, 0.0, 0.0));
        }
        // Customers are linear in the close rate alone: both indices are 1.
        close(&close_rate.first_order, 1.0, 0.03);
        close(&close_rate.total, 1.0, 0.03);
        // The mean is E[customers] = 35 × E[p]: 35 SQLs worked at once.
        assert!((customers.mean - 35.0 * 0.25).abs() < 5.0 * customers.mean_standard_error);
        // Revenue lost depends on both; customers_ideal on the close rate
        // alone; ROI is not there without a spend.
        let lost = report.metric("revenue-lost").unwrap();
        assert!(lost.factors.iter().all(|f| f.total.unwrap().estimate > 0.1));
        assert!(report.metric("roi").is_none());
    }

    #[test]
    fn an_output_that_does_not_vary_has_no_indices() {
        let f = |_: &[f64], out: &mut [f64]| {
            out[0] = 3.0;
            Ok(())
        };
        let out = Sobol::new()
            .samples(16)
            .indices(2, &[("a", 0..1), ("b", 1..2)], &["y"], f)
            .unwrap();
        assert_eq!(out[0].variance, 0.0);
        assert!(
            out[0]
                .factors
                .iter()
                .all(|f| f.first_order.is_none() && f.total.is_none())
        );
    }

    #[test]
    fn bad_designs_and_outputs_are_errors_that_name_their_field() {
        let f = |u: &[f64], out: &mut [f64]| {
            out[0] = u[0];
            Ok(())
        };
        let message = |s: Sobol, d: usize, factors: &[(&str, Range<usize>)]| {
            s.indices(d, factors, &["y"], f).unwrap_err().to_string()
        };
        let one = [("a", 0..1)];
        assert!(message(Sobol::new(), 0, &one).starts_with("dimension:"));
        assert!(message(Sobol::new(), 129, &one).starts_with("dimension:"));
        assert!(message(Sobol::new(), 1, &[]).starts_with("factors:"));
        assert!(message(Sobol::new(), 2, &[("a", 0..2), ("b", 1..2)]).starts_with("factors[1]:"));
        assert!(message(Sobol::new(), 2, &[("a", 0..3)]).starts_with("factors[0]:"));
        assert!(message(Sobol::new(), 2, &[("a", 1..1)]).starts_with("factors[0]:"));
        assert!(message(Sobol::new().samples(1), 1, &one).starts_with("samples:"));
        assert!(message(Sobol::new().samples(1 << 17), 1, &one).starts_with("samples:"));
        assert!(message(Sobol::new().replicates(1), 1, &one).starts_with("replicates:"));
        let nan = Sobol::new().indices(1, &one, &["y"], |_, out| {
            out[0] = f64::NAN;
            Ok(())
        });
        assert!(nan.unwrap_err().to_string().starts_with("outputs[0]:"));
        assert!(
            Sobol::new()
                .run(&Scenario::reference())
                .unwrap_err()
                .to_string()
                .starts_with("uncertainty:")
        );
    }
}
