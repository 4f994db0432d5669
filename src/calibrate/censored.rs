//! The decay fits with the contacted SQLs still open censored on their
//! outcome: Newton's method with the analytic gradient and Hessian of the
//! whole likelihood over a decay shape and the two sales cycles (see
//! [`super::sales_cycle`]), expectation-maximisation where Newton's method
//! does not settle; standard errors from the observed information of the
//! whole likelihood.

use super::decay_fit::{Data, NotIdentified, ShapeFit, ShapeKind, curve, shape_fit};
use super::estimate::{Estimate, group};
use super::ln_curve::LnCurve;
use super::optimize::{Taylor, hessian, invert_spd, logistic, logit, newton_minimize};
use super::sales_cycle::{CycleRows, SalesCycleFit, Weibull};
use crate::model::decay::DecayCurve;

/// An EM burst (between Newton's tries) ends once a step raises the
/// log-likelihood by less than this, or after [`EM_BURST`] steps.
const EM_CLOSE: f64 = 1.0;

/// EM steps before Newton's method is tried again.
const EM_BURST: usize = 3;

/// EM steps in all before giving up (a fit this slow is barely identified).
const MAX_EM_STEPS: usize = 200;

/// Rounds of EM and Newton's method at most.
const MAX_ROUNDS: usize = 25;

/// EM steps from the crude start of the cycles before Newton's method.
const START_EM_STEPS: usize = 1;

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
    // Each shape's cycles start from the last shape's fitted ones (they
    // differ little between shapes): from the crude start, fitting them
    // took 15 to 18 Newton steps per shape on the million-row export.
    let mut cycles = None;
    for start in uncensored {
        match fit_shape(decided, rows, start, cycles) {
            Ok(f) => {
                cycles = Some(f.1);
                fitted.push(f);
            }
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

/// The whole log-likelihood of a parametric or step `shape` at
/// `z = [x[..free], y]` (`x[free..]` held fixed, `y` the cycles), with its
/// gradient and Hessian in `z` when `derivatives`; `None` outside the
/// parameters' range.
fn taylor(
    decided: &Data,
    rows: &CycleRows,
    shape: ShapeKind,
    fixed: &[f64],
    z: &[f64],
    derivatives: bool,
) -> Option<Taylor> {
    let free = z.len() - CYCLE_PARAMETERS;
    let y = &z[free..];
    let (won, lost) = (Weibull::at(&y[0..2])?, Weibull::at(&y[2..4])?);
    let x: Vec<f64> = z[..free].iter().chain(fixed).copied().collect();
    let c = LnCurve::new(shape, &x[1..])?;
    let decay = decided.taylor(shape, &x, derivatives)?;
    let mut t = Taylor::zero(if derivatives { z.len() } else { 0 });
    t.value = decay.value;
    for i in 0..t.gradient.len().min(free) {
        t.gradient[i] = decay.gradient[i];
        for j in 0..free {
            t.hessian[i][j] = decay.hessian[i][j];
        }
    }
    rows.add_taylor(&c, x[0], free, &won, &lost, &mut t);
    Some(t)
}

/// The decided rows and the open rows as fractional wins: the data of the
/// decay M-step.
fn completed(decided: &Data, rows: &CycleRows, weights: &[f64]) -> Data {
    let mut items = decided.groups.clone();
    items.extend(rows.open.iter().zip(weights).map(|(&(d, _), &w)| (d, [1.0, w])));
    Data::new(group(&mut items, 20_000))
}

/// One shape: the cycles fitted with the decay held at its uncensored
/// fit (from `cycles`, the last shape's, when given), then Newton's method
/// on the whole likelihood with its analytic derivatives (EM alone slows
/// down where the open rows hold much of the information, as without
/// decision dates: measured, 150 steps on a 200,000-row export), EM steps
/// before another try where Newton's method does not settle; then the
/// observed information, the analytic Hessian at the maximum (a numerical
/// one cost 51 to 99 passes over the open rows). Newton's method stops
/// within about 1e-6 standard errors of the maximum (the EM-then-Newton
/// fit it replaces stopped when a step gained less than 1e-8, about 1e-4
/// standard errors).
fn fit_shape(
    decided: &Data,
    rows: &CycleRows,
    start: &ShapeFit,
    cycles: Option<[f64; 4]>,
) -> Result<(ShapeFit, [f64; 4]), String> {
    let shape = start.shape;
    let mut x: Vec<f64> = std::iter::once(logit(start.close_rate.value))
        .chain(start.parameters.iter().map(|e| e.value.ln()))
        .collect();
    let mut y = cycles.unwrap_or_else(|| {
        let c = curve(shape, &x[1..]);
        let mut y = rows.start();
        let mut weights = Vec::new();
        for _ in 0..START_EM_STEPS {
            let Some(c) = &c else { break };
            log_likelihood(decided, rows, logistic(x[0]), c, &y, Some(&mut weights));
            y = rows.refit_roughly(&weights, y);
        }
        y
    });
    // The cycles first, with the decay held at its uncensored fit, so
    // that the joint Newton steps start near the maximum in every
    // coordinate.
    {
        let objective = |z: &[f64]| taylor(decided, rows, shape, &x, z, false).map_or(f64::INFINITY, |t| -t.value);
        let expansion = |z: &[f64]| taylor(decided, rows, shape, &x, z, true).map(Taylor::negated);
        if let Some((m, _)) = newton_minimize(&expansion, &objective, &y) {
            y.copy_from_slice(&m.x);
        }
    }
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
        // Newton's method first, EM steps only where it does not settle
        // (far from the maximum).
        if rounds > 1 {
            em_steps += em(decided, rows, shape, &mut x, &mut y, &mut weights)?;
        }
        let fixed = x[free..].to_vec();
        let objective = |z: &[f64]| taylor(decided, rows, shape, &fixed, z, false).map_or(f64::INFINITY, |t| -t.value);
        let expansion = |z: &[f64]| taylor(decided, rows, shape, &fixed, z, true).map(Taylor::negated);
        let z: Vec<f64> = x[..free].iter().chain(&y).copied().collect();
        let Some((minimum, information)) = newton_minimize(&expansion, &objective, &z) else {
            continue;
        };
        let z = minimum.x;
        x[..free].copy_from_slice(&z[..free]);
        y.copy_from_slice(&z[free..]);
        if shape == ShapeKind::Step {
            let c = curve(shape, &x[1..]).ok_or("fitted parameters out of range")?;
            log_likelihood(decided, rows, logistic(x[0]), &c, &y, Some(&mut weights));
            let moved = step_x(&completed(decided, rows, &weights))?;
            if moved[1] != x[1] {
                x = moved;
                continue;
            }
        }
        let cov = invert_spd(&information)
            .ok_or("the information matrix is singular: the decay and the sales cycle are not identified together")?;
        break (-minimum.value, cov);
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
