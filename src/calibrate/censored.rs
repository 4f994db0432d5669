//! The decay fits with the contacted SQLs still open censored on their
//! outcome: expectation-maximisation over a decay shape and the two sales
//! cycles (see [`super::sales_cycle`]), standard errors from the observed
//! information of the whole likelihood.

use super::decay_fit::{Data, NotIdentified, ShapeFit, ShapeKind, curve, shape_fit};
use super::estimate::{Estimate, group};
use super::optimize::{gradient, hessian, invert_spd, logistic, logit};
use super::sales_cycle::{CycleRows, SalesCycleFit, Weibull};
use crate::model::decay::DecayCurve;

/// EM hands over to Newton's method once a step raises the log-likelihood
/// by less than this, or after [`EM_BURST`] steps.
const EM_CLOSE: f64 = 1.0;

/// EM steps before Newton's method is tried.
const EM_BURST: usize = 3;

/// EM steps in all before giving up (a fit this slow is barely identified).
const MAX_EM_STEPS: usize = 200;

/// Rounds of EM and Newton's method at most.
const MAX_ROUNDS: usize = 25;

/// Newton's method stops when a step gains less than this: the parameters
/// are then within about `sqrt(2e-8)` standard errors of the maximum,
/// whatever the size of the export.
const NEWTON_TOLERANCE: f64 = 1e-8;

/// Newton steps per round at most.
const MAX_NEWTON_STEPS: usize = 20;

/// Parameters of the two Weibull cycles.
const CYCLE_PARAMETERS: usize = 4;

/// The sales cycle of the best censored fit, on the fit's scale and as
/// reported.
pub(super) struct Best {
    y: [f64; 4],
    cycle: SalesCycleFit,
}

/// The censored fits, best (lowest AIC) first.
pub(super) struct Refitted {
    pub(super) fits: Vec<ShapeFit>,
    pub(super) not_identified: Vec<NotIdentified>,
    pub(super) best: Option<Best>,
}

/// Refits every shape of `uncensored` (the fits that leave open SQLs out,
/// used as starting points) with the open SQLs censored.
///
/// # Errors
///
/// No shape could be refitted: the first shape's reason.
pub(super) fn refit(decided: &Data, rows: &CycleRows, uncensored: &[ShapeFit]) -> Result<Refitted, String> {
    let mut fitted: Vec<(ShapeFit, [f64; 4])> = Vec::new();
    let mut not_identified = Vec::new();
    let mut first_reason = None;
    for start in uncensored {
        match fit_shape(decided, rows, start) {
            Ok(f) => fitted.push(f),
            Err(reason) => {
                first_reason.get_or_insert_with(|| format!("{}: {reason}", start.shape.name()));
                not_identified.push(NotIdentified {
                    shape: start.shape,
                    reason: format!("with open SQLs censored: {reason}"),
                });
            }
        }
    }
    if fitted.is_empty() {
        return Err(first_reason.unwrap_or_else(|| "no shape to refit".to_owned()));
    }
    fitted.sort_by(|a, b| a.0.aic.total_cmp(&b.0.aic));
    let best = fitted
        .first()
        .and_then(|(f, y)| f.sales_cycle.clone().map(|cycle| Best { y: *y, cycle }));
    Ok(Refitted {
        fits: fitted.into_iter().map(|(f, _)| f).collect(),
        not_identified,
        best,
    })
}

/// The whole log-likelihood at win probability `p f(D)` and cycles `y`;
/// with `weights`, each open row's posterior probability of ending won.
fn log_likelihood(
    decided: &Data,
    rows: &CycleRows,
    p: f64,
    c: &DecayCurve,
    y: &[f64],
    weights: Option<&mut Vec<f64>>,
) -> f64 {
    let (Some(won), Some(lost)) = (Weibull::at(&y[0..2]), Weibull::at(&y[2..4])) else {
        return f64::NEG_INFINITY;
    };
    decided.log_likelihood(p, c)
        + rows.decided_part(&won, &lost)
        + rows.open_part(&|d| p * c.evaluate(d), &won, &lost, weights)
}

/// The decided rows and the open rows as fractional wins: the data of the
/// decay M-step.
fn completed(decided: &Data, rows: &CycleRows, weights: &[f64]) -> Data {
    let mut items = decided.groups.clone();
    items.extend(rows.open.iter().zip(weights).map(|(&(d, _), &w)| (d, [1.0, w])));
    Data::new(group(&mut items, 20_000))
}

/// One shape: a few EM steps from its uncensored fit, then Newton's method
/// on the whole likelihood (EM alone slows down where the open rows hold
/// much of the information, as without decision dates: measured, 150
/// steps on a 200,000-row export; Newton then needs a handful), more EM
/// steps where Newton cannot start yet; then the observed information.
fn fit_shape(decided: &Data, rows: &CycleRows, start: &ShapeFit) -> Result<(ShapeFit, [f64; 4]), String> {
    let shape = start.shape;
    let mut x: Vec<f64> = std::iter::once(logit(start.close_rate.value))
        .chain(start.parameters.iter().map(|e| e.value.ln()))
        .collect();
    let mut y = rows.start();
    let mut weights = Vec::new();
    // The step's shelf life is not a smooth parameter: Newton's method
    // holds it at its profile maximum, which is then redone with the new
    // posteriors until it stays.
    let free = if shape == ShapeKind::Step { 1 } else { x.len() };
    let mut em_steps = 0;
    let mut rounds = 0;
    let (ll, cov) = loop {
        rounds += 1;
        if rounds > MAX_ROUNDS || em_steps >= MAX_EM_STEPS {
            return Err(format!(
                "the fit with the sales cycle did not settle ({em_steps} EM steps, {MAX_ROUNDS} Newton rounds): the open SQLs barely identify it"
            ));
        }
        em_steps += em(decided, rows, shape, &mut x, &mut y, &mut weights)?;
        let fixed = x[free..].to_vec();
        let objective = |z: &[f64]| {
            let decay: Vec<f64> = z[..free].iter().chain(&fixed).copied().collect();
            match curve(shape, &decay[1..]) {
                Some(c) => -log_likelihood(decided, rows, logistic(decay[0]), &c, &z[free..], None),
                None => f64::INFINITY,
            }
        };
        let z: Vec<f64> = x[..free].iter().chain(&y).copied().collect();
        let (z, converged) = newton(&objective, z);
        x[..free].copy_from_slice(&z[..free]);
        y.copy_from_slice(&z[free..]);
        if !converged {
            continue;
        }
        if shape == ShapeKind::Step {
            let c = curve(shape, &x[1..]).ok_or("fitted parameters out of range")?;
            log_likelihood(decided, rows, logistic(x[0]), &c, &y, Some(&mut weights));
            let moved = step_x(&completed(decided, rows, &weights))?;
            if moved[1] != x[1] {
                x = moved;
                continue;
            }
        }
        let cov = invert_spd(&hessian(&objective, &z))
            .ok_or("the information matrix is singular: the decay and the sales cycle are not identified together")?;
        break (-objective(&z), cov);
    };
    if CycleRows::at_bound(&y) {
        return Err("the data do not bound the sales cycle (its fit runs to the end of the searched range)".to_owned());
    }
    let k = (x.len() + CYCLE_PARAMETERS) as f64;
    let mut fit = if shape == ShapeKind::Step {
        let c = curve(shape, &x[1..]).ok_or("fitted parameters out of range")?;
        log_likelihood(decided, rows, logistic(x[0]), &c, &y, Some(&mut weights));
        let mut f = completed(decided, rows, &weights).fit_step()?;
        f.close_rate = Estimate::from_logit("close_rate", x[0], cov[0][0].sqrt());
        f.covariance[0][0] = cov[0][0];
        f.log_likelihood = ll;
        f.aic = 2.0 * k - 2.0 * ll;
        f
    } else {
        shape_fit(shape, &x, &cov, ll, k)?
    };
    let block: Vec<Vec<f64>> = cov[free..].iter().map(|row| row[free..].to_vec()).collect();
    fit.sales_cycle = Some(rows.report(&y, &block));
    Ok((fit, y))
}

/// EM steps from `(x, y)` until one gains less than [`EM_CLOSE`] or
/// [`EM_BURST`] are done; returns the steps taken.
fn em(
    decided: &Data,
    rows: &CycleRows,
    shape: ShapeKind,
    x: &mut Vec<f64>,
    y: &mut [f64; 4],
    weights: &mut Vec<f64>,
) -> Result<usize, String> {
    let mut previous = f64::NEG_INFINITY;
    for step in 0..EM_BURST {
        let c = curve(shape, &x[1..]).ok_or("fitted parameters out of range")?;
        let ll = log_likelihood(decided, rows, logistic(x[0]), &c, &y[..], Some(weights));
        if !ll.is_finite() {
            return Err("the likelihood is zero everywhere".to_owned());
        }
        if ll - previous < EM_CLOSE {
            return Ok(step);
        }
        previous = ll;
        let data = completed(decided, rows, weights);
        *x = match shape {
            ShapeKind::Step => step_x(&data)?,
            _ => data.optimum(shape, Some(x))?.x,
        };
        *y = rows.refit(weights, *y);
    }
    Ok(EM_BURST)
}

/// The step's `[logit p, ln L]` at the maximum of its profile likelihood.
fn step_x(data: &Data) -> Result<Vec<f64>, String> {
    let f = data.fit_step()?;
    Ok(vec![logit(f.close_rate.value), f.parameters[0].value.ln()])
}

/// Newton's method from `z` (near the minimum) with step halving, the
/// Hessian reused while its steps gain (a numerical Hessian costs about
/// `2 n^2` evaluations, a gradient `2 n`: measured on the million-row
/// export of BENCHMARKS.md, reusing it cut the whole run from 14.2 s to
/// 10.7 s CPU).
/// Returns the point and whether it is the minimum: a step gained less
/// than [`NEWTON_TOLERANCE`], or no step along Newton's direction gains at
/// a fresh positive definite Hessian (the minimum to rounding). Not where
/// the Hessian is not positive definite (too far from the minimum).
fn newton(objective: &dyn Fn(&[f64]) -> f64, mut z: Vec<f64>) -> (Vec<f64>, bool) {
    let mut value = objective(&z);
    let mut inverse: Option<Vec<Vec<f64>>> = None;
    for _ in 0..MAX_NEWTON_STEPS {
        let fresh = inverse.is_none();
        let h = match inverse.take() {
            Some(h) => h,
            None => match invert_spd(&hessian(objective, &z)) {
                Some(h) => h,
                None => return (z, false),
            },
        };
        let g = gradient(objective, &z);
        let step: Vec<f64> = h
            .iter()
            .map(|row| -row.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        let mut t = 1.0;
        let mut moved = None;
        while t > 1e-3 {
            let candidate: Vec<f64> = z.iter().zip(&step).map(|(a, s)| a + t * s).collect();
            let v = objective(&candidate);
            if v < value {
                moved = Some((candidate, v, t));
                break;
            }
            t *= 0.5;
        }
        let Some((candidate, v, t)) = moved else {
            if fresh {
                return (z, true);
            }
            continue; // an old Hessian: retry with a fresh one
        };
        let gain = value - v;
        z = candidate;
        value = v;
        if gain < NEWTON_TOLERANCE {
            return (z, true);
        }
        // A full step: the Hessian still describes the surface.
        if t == 1.0 {
            inverse = Some(h);
        }
    }
    (z, false)
}

/// The table shape with the best fit's cycles: its log-likelihood is the
/// whole model's (the cycles not refitted for it) and its AIC counts the
/// cycles' parameters, so it compares with the censored fits.
pub(super) fn adjust_table(decided: &Data, rows: &CycleRows, best: &Best, table: &mut ShapeFit) {
    let ll = log_likelihood(decided, rows, table.close_rate.value, &table.curve, &best.y, None);
    let k = (table.parameters.len() + 1 + CYCLE_PARAMETERS) as f64;
    table.log_likelihood = ll;
    table.aic = 2.0 * k - 2.0 * ll;
    table.sales_cycle = Some(best.cycle.clone());
}

/// The sales cycles of an export without open contacted SQLs (nothing is
/// censored: the cycles are a side fit), when its decision dates bound
/// them.
pub(super) fn complete_cycle(rows: &CycleRows) -> Option<SalesCycleFit> {
    let y = rows.refit(&[], rows.start());
    if CycleRows::at_bound(&y) {
        return None;
    }
    let objective = |z: &[f64]| match (Weibull::at(&z[0..2]), Weibull::at(&z[2..4])) {
        (Some(w), Some(l)) => -rows.decided_part(&w, &l),
        _ => f64::INFINITY,
    };
    let cov = invert_spd(&hessian(&objective, &y))?;
    Some(rows.report(&y, &cov))
}
