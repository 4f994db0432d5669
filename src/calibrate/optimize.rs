//! Maximum likelihood machinery: a Nelder–Mead minimiser on unconstrained
//! (transformed) parameters, Newton's method for objectives with analytic
//! derivatives ([`Taylor`]), numerical Hessians for the others, and the
//! inverse of the observed information.
//!
//! Every fit in [`crate::calibrate`] maximises a log-likelihood over
//! parameters mapped to the whole real line (`logit p`, `ln h`, ...), so the
//! simplex never leaves the valid region and Wald intervals are computed on
//! a scale where the likelihood is close to quadratic.

/// The minimum found by [`minimize`]: the point and the objective there.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
}

/// A minimiser of an objective from a start with a first step:
/// [`minimize`] or [`search_basin`].
pub(crate) type Minimizer = fn(&dyn Fn(&[f64]) -> f64, &[f64], f64) -> Minimum;

/// Minimises `f` from `start` with Nelder–Mead (standard coefficients 1, 2,
/// 1/2, 1/2), restarted from the best point until a restart no longer
/// improves it, so a collapsed simplex cannot stop the search early.
///
/// Non-finite objective values count as `+inf` (outside the model).
pub(crate) fn minimize(f: &dyn Fn(&[f64]) -> f64, start: &[f64], step: f64) -> Minimum {
    let eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut best = Minimum {
        x: start.to_vec(),
        value: eval(start),
    };
    for _restart in 0..6 {
        let found = nelder_mead(&eval, &best.x, step, 2_000);
        let improved = best.value - found.value > 1e-10 * (1.0 + best.value.abs());
        if found.value <= best.value {
            best = found;
        }
        if !improved {
            break;
        }
    }
    best
}

/// A search for a basin, not its bottom: one Nelder–Mead run from
/// `start`, stopped once the simplex is within [`BASIN_SPREAD`] of its best
/// point in every coordinate and its values within `1e-9` relative. For
/// starts whose best point is then polished by [`newton_minimize`]; on the
/// million-row export of BENCHMARKS.md it took 70 % fewer passes over
/// the pooled delays than [`minimize`] (339 to 1,190 instead of 1,162 to
/// 4,249 per shape), for the same optimum after the polish.
pub(crate) fn search_basin(f: &dyn Fn(&[f64]) -> f64, start: &[f64], step: f64) -> Minimum {
    let eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    nelder_mead_to(&eval, start, step, 2_000, (1e-9, BASIN_SPREAD))
}

/// The spread (on the fit's log scale) at which [`search_basin`] stops.
const BASIN_SPREAD: f64 = 1e-4;

fn nelder_mead(f: &dyn Fn(&[f64]) -> f64, start: &[f64], step: f64, max_evals: usize) -> Minimum {
    nelder_mead_to(f, start, step, max_evals, (1e-12, 1e-9))
}

/// Nelder–Mead stopped once the values are within `tolerance.0` (relative)
/// and the points within `tolerance.1` of the best, or after `max_evals`.
fn nelder_mead_to(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    max_evals: usize,
    tolerance: (f64, f64),
) -> Minimum {
    let n = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), f(start)));
    for i in 0..n {
        let mut x = start.to_vec();
        x[i] += step;
        let v = f(&x);
        simplex.push((x, v));
    }
    let mut evals = n + 1;
    while evals < max_evals {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[n].1);
        let spread = simplex
            .iter()
            .skip(1)
            .flat_map(|(x, _)| x.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if (hi - lo).abs() <= tolerance.0 * (1.0 + lo.abs()) && spread < tolerance.1 {
            break;
        }
        if spread < 1e-12 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|(x, _)| x[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n].0)
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };
        let reflected = along(1.0);
        let fr = f(&reflected);
        evals += 1;
        if fr < simplex[0].1 {
            let expanded = along(2.0);
            let fe = f(&expanded);
            evals += 1;
            simplex[n] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let (contracted, fc) = if fr < simplex[n].1 {
                let c = along(0.5);
                let v = f(&c);
                (c, v)
            } else {
                let c = along(-0.5);
                let v = f(&c);
                (c, v)
            };
            evals += 1;
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for vertex in simplex.iter_mut().skip(1) {
                    for (x, b) in vertex.0.iter_mut().zip(&best) {
                        *x = b + 0.5 * (*x - b);
                    }
                    vertex.1 = f(&vertex.0);
                }
                evals += n;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    Minimum { x, value }
}

/// An objective at a point with its analytic gradient and Hessian.
#[derive(Debug, Clone)]
pub(crate) struct Taylor {
    pub value: f64,
    pub gradient: Vec<f64>,
    pub hessian: Vec<Vec<f64>>,
}

impl Taylor {
    /// Zero value and derivatives in `n` coordinates.
    pub(crate) fn zero(n: usize) -> Taylor {
        Taylor {
            value: 0.0,
            gradient: vec![0.0; n],
            hessian: vec![vec![0.0; n]; n],
        }
    }

    /// `-self`: a log-likelihood's expansion as an objective to minimise.
    pub(crate) fn negated(mut self) -> Taylor {
        self.value = -self.value;
        self.gradient.iter_mut().for_each(|g| *g = -*g);
        self.hessian.iter_mut().flatten().for_each(|h| *h = -*h);
        self
    }
}

/// [`newton_minimize`] stops once the Newton decrement is below this:
/// within about `1e-6` standard errors of the minimum.
const NEWTON_DECREMENT: f64 = 1e-12;

/// Below this Newton decrement, [`newton_minimize`] tries only the full
/// step: one that does not gain marks the minimum to rounding.
const NEAR_MINIMUM: f64 = 1e-6;

/// Newton's method with analytic derivatives from `start`, for a smooth
/// objective near its minimum: `taylor(x)` gives the value, gradient and
/// Hessian, `value(x)` the value alone (the same formula, for the line
/// search). Where the Hessian is not positive definite, its diagonal is
/// raised (Levenberg-Marquardt) until it is and the step gains.
///
/// Returns the minimum and the Hessian there once the Newton decrement
/// `g' H^-1 g` of an undamped step (about the squared distance to the
/// minimum in standard errors, when the objective is `-ln L`) falls below
/// [`NEWTON_DECREMENT`], at the point where it does (the step it proposes
/// would gain about half of it, less than the rounding of a sum over many
/// rows: trying it cost a line search of 34 value passes for nothing), or
/// no step along a fresh positive definite Newton direction gains (the
/// minimum to rounding, as at a kink; near the minimum only the full step
/// is tried, see [`NEAR_MINIMUM`]); `None` if neither happens within 100
/// steps or the objective is not finite at `start`.
pub(crate) fn newton_minimize(
    taylor: &dyn Fn(&[f64]) -> Option<Taylor>,
    value: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
) -> Option<(Minimum, Vec<Vec<f64>>)> {
    let mut x = start.to_vec();
    let mut t = taylor(&x).filter(|t| t.value.is_finite())?;
    let mut damping = 0.0;
    for _ in 0..100 {
        let n = x.len();
        let raised: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        t.hessian[i][j]
                            + if i == j {
                                damping * (1.0 + t.hessian[i][i].abs())
                            } else {
                                0.0
                            }
                    })
                    .collect()
            })
            .collect();
        let Some(inverse) = invert_spd(&raised) else {
            damping = if damping == 0.0 { 1e-4 } else { damping * 10.0 };
            if damping > 1e12 {
                return None;
            }
            continue;
        };
        let step: Vec<f64> = inverse
            .iter()
            .map(|row| -row.iter().zip(&t.gradient).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        let decrement: f64 = -step.iter().zip(&t.gradient).map(|(s, g)| s * g).sum::<f64>();
        if !decrement.is_finite() {
            return None;
        }
        if damping == 0.0 && decrement < NEWTON_DECREMENT {
            // Converged: the step could gain about half the decrement,
            // below the rounding of a long sum (a line search here would
            // halve its way through 34 value passes for nothing).
            return Some((Minimum { x, value: t.value }, t.hessian));
        }
        let mut scale = 1.0;
        let mut moved = None;
        // Near the minimum (within about 1e-3 standard errors) a full step
        // that gains nothing meets the rounding of the objective, not a
        // curve Newton's model misjudges: halving it would only chase
        // that noise, 34 value passes at a time.
        let smallest = if damping == 0.0 && decrement < NEAR_MINIMUM {
            1.0
        } else {
            1e-10
        };
        while scale >= smallest {
            let candidate: Vec<f64> = x.iter().zip(&step).map(|(a, s)| a + scale * s).collect();
            let v = value(&candidate);
            if v < t.value {
                moved = Some((candidate, scale));
                break;
            }
            scale *= 0.5;
        }
        let Some((candidate, scale)) = moved else {
            if damping == 0.0 {
                // No descent along a fresh Newton direction: the minimum
                // to rounding.
                return Some((Minimum { x, value: t.value }, t.hessian));
            }
            damping *= 10.0;
            if damping > 1e12 {
                return None;
            }
            continue;
        };
        x = candidate;
        t = taylor(&x).filter(|t| t.value.is_finite())?;
        if damping == 0.0 && scale == 1.0 && decrement < NEWTON_DECREMENT {
            return Some((Minimum { x, value: t.value }, t.hessian));
        }
        damping = if damping > 0.0 { (damping * 0.1).max(1e-4) } else { 0.0 };
        if damping <= 1e-4 && invert_spd(&t.hessian).is_some() {
            damping = 0.0;
        }
    }
    None
}

/// The Hessian of `f` at `x` by central differences (step scaled to each
/// coordinate).
#[allow(clippy::needless_range_loop)]
pub(crate) fn hessian(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let h: Vec<f64> = x.iter().map(|xi| 1e-4 * (1.0 + xi.abs())).collect();
    let at = |di: usize, si: f64, dj: usize, sj: f64| {
        let mut y = x.to_vec();
        y[di] += si * h[di];
        y[dj] += sj * h[dj];
        f(&y)
    };
    let f0 = f(x);
    let mut m = vec![vec![0.0; n]; n];
    for i in 0..n {
        m[i][i] = (at(i, 1.0, i, 0.0) - 2.0 * f0 + at(i, -1.0, i, 0.0)) / (h[i] * h[i]);
        for j in 0..i {
            let v = (at(i, 1.0, j, 1.0) - at(i, 1.0, j, -1.0) - at(i, -1.0, j, 1.0) + at(i, -1.0, j, -1.0))
                / (4.0 * h[i] * h[j]);
            m[i][j] = v;
            m[j][i] = v;
        }
    }
    m
}

/// The inverse of a symmetric positive-definite matrix by Cholesky, or
/// `None` when it is not positive definite (the parameters are not
/// identified by the data) or not finite.
#[allow(clippy::needless_range_loop)] // index notation mirrors the formulas
pub(crate) fn invert_spd(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if !(s > 1e-12 * a[i][i].abs().max(1e-300)) || !s.is_finite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // inv(A) = inv(L)^T inv(L)
    let mut li = vec![vec![0.0; n]; n];
    for i in 0..n {
        li[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let s: f64 = (j..i).map(|k| l[i][k] * li[k][j]).sum();
            li[i][j] = -s / l[i][i];
        }
    }
    let mut inv = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            inv[i][j] = (i.max(j)..n).map(|k| li[k][i] * li[k][j]).sum();
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

/// `g' C g`: the delta-method variance of a function with gradient `g`.
pub(crate) fn quadratic_form(g: &[f64], c: &[Vec<f64>]) -> f64 {
    g.iter()
        .enumerate()
        .map(|(i, gi)| gi * g.iter().enumerate().map(|(j, gj)| c[i][j] * gj).sum::<f64>())
        .sum()
}

/// The gradient of `f` at `x` by central differences.
pub(crate) fn gradient(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let h = 1e-6 * (1.0 + x[i].abs());
            let mut up = x.to_vec();
            let mut down = x.to_vec();
            up[i] += h;
            down[i] -= h;
            (f(&up) - f(&down)) / (2.0 * h)
        })
        .collect()
}

/// The logistic function `1 / (1 + e^-x)`.
pub(crate) fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `ln(p / (1 - p))`.
pub(crate) fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_stops_near_the_minimum_without_chasing_rounding_noise() {
        // A log-likelihood's scale: curvature 1e3 (a standard error of
        // 0.03), values near 5e5 whose evaluation rounds by about 1e-6: here
        // a bump of 1e-6 right at the minimum, far above what a step within
        // 1e-3 standard errors could gain, where the derivatives see none.
        let calls = std::cell::Cell::new(0);
        let noisy = |x: &[f64]| {
            calls.set(calls.get() + 1);
            let bump = if (x[0] - 0.3).abs() < 1e-6 { 1e-6 } else { 0.0 };
            5e5 + 500.0 * (x[0] - 0.3).powi(2) + bump
        };
        let taylor = |x: &[f64]| {
            Some(Taylor {
                value: noisy(x),
                gradient: vec![1e3 * (x[0] - 0.3)],
                hessian: vec![vec![1e3]],
            })
        };
        // Decrement 1e3 * (1e-5)^2 = 1e-7: the full step gains 5e-8 and
        // meets the bump. Halving each step, as before, took 55 calls.
        let (m, _) = newton_minimize(&taylor, &noisy, &[0.3 + 1e-5]).unwrap();
        assert!((m.x[0] - 0.3).abs() <= 1.1e-5, "{m:?}");
        assert!(calls.get() <= 4, "{} evaluations", calls.get());
        // From farther away it still walks to the minimum.
        calls.set(0);
        let (m, _) = newton_minimize(&taylor, &noisy, &[2.0]).unwrap();
        assert!((m.x[0] - 0.3).abs() <= 1.1e-5, "{m:?}");
        assert!(calls.get() <= 8, "{} evaluations", calls.get());
    }

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimize(&f, &[-1.2, 1.0], 0.5);
        assert!((m.x[0] - 1.0).abs() < 1e-4 && (m.x[1] - 1.0).abs() < 1e-4, "{m:?}");
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        let f = |x: &[f64]| 2.0 * x[0] * x[0] + x[0] * x[1] + x[1] * x[1];
        let h = hessian(&f, &[0.3, -0.2]);
        let inv = invert_spd(&h).unwrap();
        // [[4,1],[1,2]]^-1 = [[2,-1],[-1,4]] / 7
        assert!((inv[0][0] - 2.0 / 7.0).abs() < 1e-5);
        assert!((inv[0][1] + 1.0 / 7.0).abs() < 1e-5);
        assert!(invert_spd(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_none());
        assert!((logistic(logit(0.3)) - 0.3).abs() < 1e-15);
    }
}
