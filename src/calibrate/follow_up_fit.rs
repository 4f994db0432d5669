//! Fitting the follow-up model: who is never contacted, and the delay of the rest.

use jiff::Timestamp;
use serde::Serialize;

use super::estimate::{Estimate, group};
use super::export::Export;
use super::labels::Outcome;
use super::optimize::{hessian, invert_spd, logistic, logit, minimize, search_basin};
use super::timestamp::hours_between;
use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::model::follow_up::DelayDistribution;

/// Delays below this many hours (one minute) count as one minute in the
/// lognormal and gamma fits, whose densities vanish at zero; exports rarely
/// resolve finer than a minute.
pub const MIN_DELAY_HOURS: f64 = 1.0 / 60.0;

/// The empirical delay distribution keeps at most this many evenly spaced
/// order statistics, so scenario files stay small.
pub const MAX_EMPIRICAL_SAMPLES: usize = 1_000;

/// A delay family fitted by maximum likelihood, jointly with the share
/// never contacted.
#[derive(Debug, Clone, Serialize)]
pub struct DelayFit {
    /// `exponential`, `lognormal` or `gamma`.
    pub family: &'static str,
    /// The fitted distribution (for scenario files).
    #[serde(skip)]
    pub distribution: DelayDistribution,
    /// The share of SQLs never followed up, under this family.
    pub never_followed_up: Estimate,
    /// The family's parameters in hours (`mean_hours`; `median_hours`,
    /// `sigma`; `mean_hours`, `shape`).
    pub parameters: Vec<Estimate>,
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Akaike's information criterion, `2k - 2 ln L`.
    pub aic: f64,
    /// The covariance of the estimates on the fit's scale,
    /// `[logit q, ln θ...]` (`q` the share never followed up, `θ` the
    /// parameters in the order of [`DelayFit::parameters`]): the inverse
    /// observed information. When every SQL was contacted, `q` is 0
    /// exactly and its row and column are 0.
    #[serde(skip)]
    pub covariance: Vec<Vec<f64>>,
}

/// The fitted follow-up model of an export.
///
/// The likelihood: a contacted SQL with delay `d` contributes
/// `(1 - q) g(d)`; a closed (won or lost) SQL never contacted contributes
/// `q` (it was never followed up); an open SQL not yet contacted at the
/// export date, `a` hours after it became an SQL, is right-censored and
/// contributes `q + (1 - q) P(D > a)`: it may still be contacted.
///
/// # Example
///
/// ```
/// use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};
/// use lead_decay::calibrate::{Export, FollowUpFit, synthetic_export};
///
/// let truth = Segment::builder("web").sqls(100).close_rate(0.3)
///     .deal_value(DealValue::fixed(1_000.0)?)
///     .decay(DecayCurve::exponential(Hours::new(24.0)?)?)
///     .never_followed_up(0.2)
///     .delay(DelayDistribution::lognormal(Hours::new(6.0)?, 1.0)?)
///     .build()?;
/// let (records, as_of) = synthetic_export(&truth, 5_000, "2024-01-01T00:00:00Z".parse().unwrap(), 1)?;
/// let fit = FollowUpFit::fit(&Export::from_records(records, as_of))?;
/// let best = fit.best();
/// assert_eq!(best.family, "lognormal");
/// assert!(best.never_followed_up.covers(0.2));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpFit {
    /// SQLs with a first contact.
    pub contacted: u64,
    /// Closed SQLs never contacted (never followed up).
    pub never_contacted: u64,
    /// Open SQLs not yet contacted (right-censored).
    pub censored: u64,
    /// The observed delays, as an empirical distribution (censoring
    /// ignored: long delays not yet seen are missing from it).
    #[serde(skip)]
    pub empirical: DelayDistribution,
    /// Median observed delay in hours.
    pub empirical_median_hours: f64,
    /// The parametric fits, best (lowest AIC) first.
    pub fits: Vec<DelayFit>,
}

impl FollowUpFit {
    /// Fits the follow-up model to an export.
    ///
    /// # Errors
    ///
    /// No contacted SQLs (the delay distribution cannot be identified), or
    /// no family could be fitted.
    pub fn fit(export: &Export) -> Result<FollowUpFit> {
        FollowUpFit::fit_on_clock(export, hours_between)
    }

    /// As [`FollowUpFit::fit`], with every delay and censoring age measured
    /// by `hours(from, to)` instead of calendar hours: working hours of the
    /// team's calendar, for a delay on the working clock
    /// ([`crate::calibrate::ClockFit`]).
    ///
    /// # Errors
    ///
    /// As [`FollowUpFit::fit`].
    pub fn fit_on_clock(export: &Export, hours: impl Fn(Timestamp, Timestamp) -> f64) -> Result<FollowUpFit> {
        let as_of = export.as_of();
        let mut delays = Vec::new();
        let mut censored = Vec::new();
        let mut never = 0u64;
        for r in export.records() {
            match r.first_contact {
                Some(c) => delays.push(hours(r.became_sql, c)),
                None if r.outcome == Outcome::Open => censored.push((hours(r.became_sql, as_of).max(0.0), [1.0])),
                None => never += 1,
            }
        }
        if delays.is_empty() {
            return Err(Error::invalid(
                "follow_up",
                format!("0 contacted SQLs among {} rows", export.records().len()),
                "at least one SQL with a first contact (the delay distribution cannot be identified)",
            ));
        }
        let censored_n = censored.len() as u64;
        let censored = group(&mut censored, 20_000);
        delays.sort_unstable_by(f64::total_cmp);
        let empirical_median_hours = delays[delays.len() / 2];
        let stats = Sufficient::of(&delays, never as f64, censored);
        let step = (delays.len() as f64 / MAX_EMPIRICAL_SAMPLES as f64).max(1.0);
        let samples: Vec<Hours> = (0..delays.len().min(MAX_EMPIRICAL_SAMPLES))
            .map(|i| Hours::trusted(delays[((i as f64 + 0.5) * step) as usize].max(0.0)))
            .collect();
        let empirical = DelayDistribution::empirical(&samples)?;
        let mut fits: Vec<DelayFit> = [Family::Exponential, Family::LogNormal, Family::Gamma]
            .into_iter()
            .filter_map(|family| fit_family(family, &stats))
            .collect();
        if fits.is_empty() {
            return Err(Error::invalid(
                "follow_up",
                format!("{} contacted SQLs", delays.len()),
                "delays that identify a delay distribution",
            ));
        }
        fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
        Ok(FollowUpFit {
            contacted: delays.len() as u64,
            never_contacted: never,
            censored: censored_n,
            empirical,
            empirical_median_hours,
            fits,
        })
    }

    /// The fit with the lowest AIC.
    pub fn best(&self) -> &DelayFit {
        &self.fits[0]
    }
}

#[derive(Clone, Copy)]
enum Family {
    Exponential,
    LogNormal,
    Gamma,
}

struct Sufficient {
    n: f64,
    sum: f64,
    sum_ln: f64,
    sum_ln2: f64,
    never: f64,
    censored: Vec<(f64, [f64; 1])>,
    mean: f64,
    mean_ln: f64,
    var_ln: f64,
}

impl Sufficient {
    fn of(delays: &[f64], never: f64, censored: Vec<(f64, [f64; 1])>) -> Sufficient {
        let n = delays.len() as f64;
        let (mut sum, mut sum_ln, mut sum_ln2) = (0.0, 0.0, 0.0);
        for &d in delays {
            let l = d.max(MIN_DELAY_HOURS).ln();
            sum += d.max(MIN_DELAY_HOURS);
            sum_ln += l;
            sum_ln2 += l * l;
        }
        let mean_ln = sum_ln / n;
        Sufficient {
            n,
            sum,
            sum_ln,
            sum_ln2,
            never,
            censored,
            mean: sum / n,
            mean_ln,
            var_ln: (sum_ln2 / n - mean_ln * mean_ln).max(1e-6),
        }
    }
}

fn distribution(family: Family, x: &[f64]) -> Option<DelayDistribution> {
    let h = |v: f64| Hours::new(v).ok();
    match family {
        Family::Exponential => DelayDistribution::exponential(h(x[1].exp())?).ok(),
        Family::LogNormal => DelayDistribution::lognormal(h(x[1].exp())?, x[2].exp()).ok(),
        Family::Gamma => DelayDistribution::gamma(h(x[1].exp())?, x[2].exp()).ok(),
    }
}

fn neg_log_likelihood(family: Family, s: &Sufficient, x: &[f64]) -> f64 {
    let q = logistic(x[0]);
    let Some(dist) = distribution(family, x) else {
        return f64::INFINITY;
    };
    let density = match family {
        Family::Exponential => {
            let m = x[1].exp();
            -s.n * m.ln() - s.sum / m
        }
        Family::LogNormal => {
            let (mu, sigma) = (x[1], x[2].exp());
            -s.sum_ln
                - s.n * (sigma.ln() + 0.5 * (2.0 * std::f64::consts::PI).ln())
                - (s.sum_ln2 - 2.0 * mu * s.sum_ln + s.n * mu * mu) / (2.0 * sigma * sigma)
        }
        Family::Gamma => {
            let (m, k) = (x[1].exp(), x[2].exp());
            let rate = k / m;
            s.n * (k * rate.ln() - puruspe::ln_gamma(k)) + (k - 1.0) * s.sum_ln - rate * s.sum
        }
    };
    let mut ll = density + s.n * (1.0 - q).ln();
    if s.never > 0.0 {
        ll += s.never * q.ln();
    }
    for &(a, [w]) in &s.censored {
        ll += w * (q + (1.0 - q) * (1.0 - dist.cdf(a))).max(1e-300).ln();
    }
    -ll
}

fn fit_family(family: Family, s: &Sufficient) -> Option<DelayFit> {
    // q = 0 exactly when no SQL is missing a contact: then fit without it.
    let free_q = s.never > 0.0 || !s.censored.is_empty();
    fit_family_with(family, s, free_q)
}

/// Below this logit of `q` (q < 2e-9) the likelihood's maximum is at the
/// boundary q = 0, where its curvature in q vanishes.
const BOUNDARY_LOGIT: f64 = -20.0;

/// [`fit_family`] with the neglect share `q` free or fixed at 0.
fn fit_family_with(family: Family, s: &Sufficient, free_q: bool) -> Option<DelayFit> {
    let q0 =
        ((s.never + 0.5 * s.censored.iter().map(|c| c.1[0]).sum::<f64>()) / (s.n + s.never + 1.0)).clamp(0.01, 0.99);
    let (mut start, names): (Vec<f64>, &[&str]) = match family {
        Family::Exponential => (vec![logit(q0), s.mean.ln()], &["mean_hours"]),
        Family::LogNormal => (
            vec![logit(q0), s.mean_ln, 0.5 * s.var_ln.ln()],
            &["median_hours", "sigma"],
        ),
        Family::Gamma => {
            let k = (s.mean.ln() - s.mean_ln).max(1e-6);
            let shape = (3.0 - k + ((k - 3.0).powi(2) + 24.0 * k).sqrt()) / (12.0 * k);
            (vec![logit(q0), s.mean.ln(), shape.ln()], &["mean_hours", "shape"])
        }
    };
    let full = |y: &[f64]| -> Vec<f64> {
        if free_q {
            y.to_vec()
        } else {
            std::iter::once(-800.0).chain(y.iter().copied()).collect()
        }
    };
    if !free_q {
        start.remove(0);
    }
    let objective = |y: &[f64]| neg_log_likelihood(family, s, &full(y));
    // The basin from the moment estimates, then its bottom from a small
    // simplex (the first search's precision): 40 % fewer evaluations of
    // the censored rows than one search to the bottom from the start.
    let basin = search_basin(&objective, &start, 0.3);
    let best = minimize(&objective, &basin.x, 1e-3);
    if !best.value.is_finite() {
        return None;
    }
    if free_q && best.x[0] < BOUNDARY_LOGIT && s.never == 0.0 {
        // Nobody was neglected and the SQLs still waiting are better
        // explained by the delay than by neglect: q's estimate runs to 0,
        // the information matrix is singular there, and every family was
        // refused (an export where everyone was followed up failed to fit).
        // The estimate is q = 0, as when no SQL lacks a contact.
        return fit_family_with(family, s, false);
    }
    let cov = invert_spd(&hessian(&objective, &best.x))?;
    let se = |i: usize| cov[i][i].sqrt();
    let offset = usize::from(free_q);
    let x = full(&best.x);
    let never_followed_up = if free_q {
        Estimate::from_logit("never_followed_up", x[0], se(0))
    } else {
        Estimate {
            name: "never_followed_up".to_owned(),
            value: 0.0,
            std_error: 0.0,
            ci95_low: 0.0,
            ci95_high: 0.0,
        }
    };
    let parameters = names
        .iter()
        .enumerate()
        .map(|(i, name)| Estimate::from_log(name, x[i + 1], se(i + offset)))
        .collect();
    let k = best.x.len() as f64;
    let n = names.len() + 1;
    let covariance = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i < 1 - offset || j < 1 - offset {
                        0.0
                    } else {
                        cov[i + offset - 1][j + offset - 1]
                    }
                })
                .collect()
        })
        .collect();
    Some(DelayFit {
        covariance,
        family: match family {
            Family::Exponential => "exponential",
            Family::LogNormal => "lognormal",
            Family::Gamma => "gamma",
        },
        distribution: distribution(family, &x)?,
        never_followed_up,
        parameters,
        log_likelihood: -best.value,
        aic: 2.0 * k + 2.0 * best.value,
    })
}
