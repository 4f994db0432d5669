//! Fitting the decay curve: conversion against response delay.

use serde::Serialize;

use super::estimate::{Estimate, Z95, group, group_at, wilson_interval};
use super::export::Export;
use super::labels::Outcome;
use super::ln_curve::LnCurve;
use super::optimize::{
    Taylor, gradient, invert_spd, logistic, logit, minimize, newton_minimize, quadratic_form, search_basin,
};
use super::sales_cycle::{Censoring, CycleRows, SalesCycleFit};
use crate::error::{Error, Result};
use crate::model::decay::DecayCurve;
use crate::model::duration::Hours;

/// Conversion among contacted, decided SQLs whose delay falls in one bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DelayBin {
    /// Shortest delay in the bin, hours.
    pub from_hours: f64,
    /// Longest delay in the bin, hours.
    pub to_hours: f64,
    /// Mean delay in the bin, hours.
    pub mean_hours: f64,
    /// Contacted SQLs decided (won or lost) in the bin.
    pub sqls: u64,
    /// Won among them.
    pub won: u64,
    /// `won / sqls`.
    pub rate: f64,
    /// Wilson 95 % interval of the rate.
    pub ci95_low: f64,
    /// Upper end of the Wilson interval.
    pub ci95_high: f64,
}

/// The decay shapes that can be fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ShapeKind {
    /// `1 if t < L`.
    Step,
    /// `max(0, 1 - t/L)`.
    Linear,
    /// `2^(-t/h)`.
    Exponential,
    /// `exp(-(t/s)^k)`.
    Weibull,
    /// Monotone table (isotonic regression of the binned rates).
    Table,
}

impl ShapeKind {
    /// Every shape, in documentation order.
    pub const ALL: [ShapeKind; 5] = [
        ShapeKind::Step,
        ShapeKind::Linear,
        ShapeKind::Exponential,
        ShapeKind::Weibull,
        ShapeKind::Table,
    ];

    /// The shape of a decay curve (`None` for a schedule, which is never
    /// fitted).
    pub fn of(curve: &DecayCurve) -> Option<ShapeKind> {
        use crate::model::decay::DecayShape;
        match curve.shape() {
            DecayShape::Step { .. } => Some(ShapeKind::Step),
            DecayShape::Linear { .. } => Some(ShapeKind::Linear),
            DecayShape::Exponential { .. } => Some(ShapeKind::Exponential),
            DecayShape::Weibull { .. } => Some(ShapeKind::Weibull),
            DecayShape::Table { .. } => Some(ShapeKind::Table),
            _ => None,
        }
    }

    /// The scenario-file name.
    pub const fn name(self) -> &'static str {
        match self {
            ShapeKind::Step => "step",
            ShapeKind::Linear => "linear",
            ShapeKind::Exponential => "exponential",
            ShapeKind::Weibull => "weibull",
            ShapeKind::Table => "table",
        }
    }
}

impl std::str::FromStr for ShapeKind {
    type Err = Error;

    /// A shape by its scenario-file name, ignoring case.
    ///
    /// ```
    /// use lead_decay::calibrate::ShapeKind;
    ///
    /// assert_eq!("Weibull".parse::<ShapeKind>()?, ShapeKind::Weibull);
    /// assert!("cubic".parse::<ShapeKind>().is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    fn from_str(text: &str) -> Result<ShapeKind> {
        ShapeKind::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                Error::invalid(
                    "shape",
                    format!("{text:?}"),
                    "step, linear, exponential, weibull or table",
                )
            })
    }
}

/// One decay shape fitted by maximum likelihood: `P(won | D) = p f(D; θ)`.
#[derive(Debug, Clone, Serialize)]
pub struct ShapeFit {
    /// The shape.
    pub shape: ShapeKind,
    /// The fitted curve.
    #[serde(skip)]
    pub curve: DecayCurve,
    /// The close rate `p` of an SQL worked at once.
    pub close_rate: Estimate,
    /// The shape's parameters (`shelf_life_hours`, `half_life_hours`,
    /// `scale_hours` and `k`, or the table's values `f(t)`).
    pub parameters: Vec<Estimate>,
    /// Time for `f` to fall to 50 %, hours (`None` if it never does).
    pub time_to_50: Option<Estimate>,
    /// Time for `f` to fall to 10 %, hours.
    pub time_to_10: Option<Estimate>,
    /// Maximised log-likelihood.
    pub log_likelihood: f64,
    /// `2k - 2 ln L`.
    pub aic: f64,
    /// The sales cycle fitted with this shape (`None` when the export does
    /// not identify it; see [`Censoring`]).
    pub sales_cycle: Option<SalesCycleFit>,
    /// The covariance of the estimates on the fit's scale, `[logit p, ln θ...]`
    /// (`θ` the parameters in the order of [`ShapeFit::parameters`]): the
    /// inverse observed information (its decay block, with the sales cycle
    /// when open SQLs are censored). The step's shelf life is not smooth:
    /// its variance on the log scale is that of its likelihood-ratio
    /// interval, `(ln(hi / lo) / 3.92)^2`, uncorrelated with `p` (0 when the
    /// interval is unbounded). Empty for the table, whose values are not
    /// fitted jointly.
    #[serde(skip)]
    pub covariance: Vec<Vec<f64>>,
}

/// A shape the data cannot identify, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotIdentified {
    /// The shape.
    pub shape: ShapeKind,
    /// Why no numbers are given.
    pub reason: String,
}

/// The decay fits of an export, side by side.
///
/// Data: contacted SQLs with their delay `D`; never-contacted SQLs say
/// nothing about decay. A won SQL was warm and would close, so
/// `P(won | D) = p f(D)`. Contacted SQLs still open at the as-of date are
/// censored on their outcome: with the sales cycle of wins and of losses
/// fitted jointly ([`SalesCycleFit`], [`crate::guide::calibration`]), an SQL contacted yesterday counts as
/// "not decided yet", one open for months as probably lost; the close rate
/// stays unbiased when the recent weeks are immature and losses are
/// recorded later than wins. When the export cannot identify the sales
/// cycle, open SQLs are left out ([`Censoring::left_out_because`] says
/// why), never counted as losses.
///
/// Standard errors come from the observed information (the analytic Hessian
/// of the log-likelihood on the logit/log scale), by the delta method for
/// the times to 50 % and 10 %. Intervals are Wald intervals on the logit
/// scale (close rate) and the log scale (positive parameters and times). The
/// step shape's likelihood is flat between observed delays, so its
/// shelf-life interval is the likelihood-ratio interval (and the standard
/// error its half-width / 1.96). The table's values carry the bins' Wilson
/// intervals divided by the close rate. With open SQLs censored, the
/// information is that of the whole likelihood (decay and sales cycle), so
/// the intervals carry the cycle's uncertainty, and each shape's AIC counts
/// the cycle's four parameters (the same for every shape).
#[derive(Debug, Clone, Serialize)]
pub struct DecayFit {
    /// Contacted, decided SQLs used.
    pub sqls: u64,
    /// Won among them.
    pub won: u64,
    /// Binned conversion with Wilson intervals.
    pub bins: Vec<DelayBin>,
    /// Fitted shapes, best (lowest AIC) first.
    pub fits: Vec<ShapeFit>,
    /// Shapes that could not be fitted, with the reason.
    pub not_identified: Vec<NotIdentified>,
    /// What the fits did with the contacted SQLs still open.
    pub censoring: Censoring,
}

impl DecayFit {
    /// Fits every shape to an export.
    ///
    /// # Errors
    ///
    /// No contacted SQL that is won or lost, no won SQL, or no shape
    /// identified: the error says why instead of returning numbers.
    pub fn fit(export: &Export) -> Result<DecayFit> {
        let mut obs: Vec<(f64, [f64; 2])> = export
            .records()
            .iter()
            .filter(|r| r.outcome != Outcome::Open)
            .filter_map(|r| {
                r.delay_hours()
                    .map(|d| (d, [1.0, f64::from(u8::from(r.outcome == Outcome::Won))]))
            })
            .collect();
        let n = obs.len() as u64;
        if n == 0 {
            return Err(Error::invalid(
                "decay",
                format!("0 contacted SQLs won or lost among {} rows", export.records().len()),
                "contacted SQLs with a decided outcome (open deals are censored; the decay curve cannot be identified)",
            ));
        }
        let data = Data::new(group(&mut obs, 20_000));
        if data.won == 0.0 {
            return Err(Error::invalid(
                "decay",
                format!("0 won among {n} contacted, decided SQLs"),
                "at least one won SQL (the close rate and decay cannot be identified)",
            ));
        }
        let bins = data.bins();
        let mut fits = Vec::new();
        let mut not_identified = Vec::new();
        for shape in [
            ShapeKind::Step,
            ShapeKind::Linear,
            ShapeKind::Exponential,
            ShapeKind::Weibull,
        ] {
            match data.fit(shape) {
                Ok(f) => fits.push(f),
                Err(reason) => not_identified.push(NotIdentified { shape, reason }),
            }
        }
        fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
        let rows = CycleRows::of(export);
        let mut censoring = rows.censoring.clone();
        let mut censored_best = None;
        if !rows.open.is_empty() && !fits.is_empty() {
            match rows
                .unidentified()
                .map_or_else(|| super::censored::refit(&data, &rows, &fits), Err)
            {
                Ok(censored) => {
                    censoring.open_censored = true;
                    not_identified.extend(censored.not_identified);
                    fits = censored.fits;
                    censored_best = censored.best;
                }
                Err(why) => censoring.left_out_because = Some(why),
            }
        } else if rows.unidentified().is_none() {
            // Nothing is censored: the cycles, when dated, are a side fit
            // that changes no decay estimate.
            if let Some(cycle) = super::censored::complete_cycle(&rows) {
                for f in &mut fits {
                    f.sales_cycle = Some(cycle.clone());
                }
            }
        }
        let p_hat = fits.first().map(|f| f.close_rate.value);
        match data.table(&bins, p_hat) {
            Ok(mut f) => {
                if let Some(best) = &censored_best {
                    super::censored::adjust_table(&data, &rows, best, &mut f);
                } else {
                    f.sales_cycle = fits.first().and_then(|b| b.sales_cycle.clone());
                }
                fits.push(f);
            }
            Err(reason) => not_identified.push(NotIdentified {
                shape: ShapeKind::Table,
                reason,
            }),
        }
        fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
        if fits.is_empty() {
            return Err(Error::invalid(
                "decay",
                not_identified
                    .iter()
                    .map(|n| format!("{}: {}", n.shape.name(), n.reason))
                    .collect::<Vec<_>>()
                    .join("; "),
                "data that identify at least one decay shape",
            ));
        }
        Ok(DecayFit {
            sqls: n,
            won: data.won as u64,
            bins,
            fits,
            not_identified,
            censoring,
        })
    }

    /// The fit with the lowest AIC.
    pub fn best(&self) -> &ShapeFit {
        &self.fits[0]
    }

    /// The fit of `shape`, if identified.
    pub fn get(&self, shape: ShapeKind) -> Option<&ShapeFit> {
        self.fits.iter().find(|f| f.shape == shape)
    }

    /// The sales cycle fitted with the best shape, if identified.
    pub fn sales_cycle(&self) -> Option<&SalesCycleFit> {
        self.best().sales_cycle.as_ref()
    }
}

/// Grouped observations: (delay, [decided, won]); with open SQLs censored,
/// an open SQL is one decided SQL won with its posterior probability.
pub(super) struct Data {
    pub(super) groups: Vec<(f64, [f64; 2])>,
    /// `ln d` of each group's delay, computed once for the analytic
    /// likelihood (the Weibull curve is `exp` of it, no `powf`).
    ln_delays: Vec<f64>,
    won: f64,
    max_won_delay: f64,
    median_delay: f64,
}

/// The curve of `shape` at its parameters on the fit's scale (`ln` of each).
pub(super) fn curve(shape: ShapeKind, y: &[f64]) -> Option<DecayCurve> {
    let h = |v: f64| Hours::new(v).ok();
    match shape {
        ShapeKind::Step => DecayCurve::step(h(y[0].exp())?).ok(),
        ShapeKind::Linear => DecayCurve::linear(h(y[0].exp())?).ok(),
        ShapeKind::Exponential => DecayCurve::exponential(h(y[0].exp())?).ok(),
        ShapeKind::Weibull => DecayCurve::weibull(h(y[0].exp())?, y[1].exp()).ok(),
        ShapeKind::Table => None,
    }
}

impl Data {
    pub(super) fn new(groups: Vec<(f64, [f64; 2])>) -> Data {
        let won = groups.iter().map(|g| g.1[1]).sum();
        let max_won_delay = groups.iter().filter(|g| g.1[1] > 0.0).map(|g| g.0).fold(0.0, f64::max);
        let total: f64 = groups.iter().map(|g| g.1[0]).sum();
        let mut acc = 0.0;
        let median_delay = groups
            .iter()
            .find(|g| {
                acc += g.1[0];
                acc >= 0.5 * total
            })
            .map_or(1.0, |g| g.0);
        Data {
            ln_delays: groups.iter().map(|g| g.0.ln()).collect(),
            groups,
            won,
            max_won_delay,
            median_delay,
        }
    }

    pub(super) fn log_likelihood(&self, p: f64, curve: &DecayCurve) -> f64 {
        self.groups
            .iter()
            .map(|&(d, [n, w])| {
                let pf = (p * curve.evaluate(d)).clamp(1e-300, 1.0 - 1e-16);
                w * pf.ln() + (n - w) * (1.0 - pf).ln()
            })
            .sum()
    }

    /// `ln L` of a parametric `shape` at `x = [logit p, ln θ...]`, with its
    /// gradient and Hessian in `x` when `derivatives` (else both empty);
    /// `None` outside the shape's parameter range. The same clamps as
    /// [`Data::log_likelihood`] (`p f` in `[1e-300, 1 - 1e-16]`, flat
    /// beyond them); replaces a numerical Hessian (2 n^2 + 1 passes over
    /// the groups) by one pass.
    pub(super) fn taylor(&self, shape: ShapeKind, x: &[f64], derivatives: bool) -> Option<Taylor> {
        let c = LnCurve::new(shape, &x[1..])?;
        let n = if derivatives { x.len() } else { 0 };
        let mut t = Taylor::zero(n);
        let p = logistic(x[0]);
        let ln_p = p.ln();
        for (&(d, [count, w]), &ln_d) in self.groups.iter().zip(&self.ln_delays) {
            let (ln_f, a, b) = if derivatives {
                c.terms(d, ln_d)
            } else {
                (c.value(d, ln_d), [0.0; 2], [[0.0; 2]; 2])
            };
            let u = ln_p + ln_f;
            let raw = u.exp();
            let pi = raw.clamp(1e-300, 1.0 - 1e-16);
            if pi != raw {
                t.value += w * pi.ln() + (count - w) * (1.0 - pi).ln();
                continue;
            }
            t.value += w * u + (count - w) * (1.0 - pi).ln();
            if n == 0 {
                continue;
            }
            let odds = pi / (1.0 - pi);
            let l1 = w - (count - w) * odds;
            let l2 = -(count - w) * odds / (1.0 - pi);
            let du = [1.0 - p, a[0], a[1]];
            for i in 0..n {
                t.gradient[i] += l1 * du[i];
                for j in 0..=i {
                    let second = match (i, j) {
                        (0, 0) => -p * (1.0 - p),
                        (0, _) | (_, 0) => 0.0,
                        _ => b[i - 1][j - 1],
                    };
                    t.hessian[i][j] += l2 * du[i] * du[j] + l1 * second;
                }
            }
        }
        for i in 0..n {
            for j in 0..i {
                t.hessian[j][i] = t.hessian[i][j];
            }
        }
        Some(t)
    }

    pub(super) fn bins(&self) -> Vec<DelayBin> {
        let total: f64 = self.groups.iter().map(|g| g.1[0]).sum();
        let count = ((total / 200.0).floor() as usize).clamp(1, 12);
        let per_bin = total / count as f64;
        let mut bins: Vec<DelayBin> = Vec::new();
        let (mut n, mut w, mut sum, mut from, mut done) = (0.0, 0.0, 0.0, f64::NAN, 0.0);
        for (i, &(d, [gn, gw])) in self.groups.iter().enumerate() {
            if n == 0.0 {
                from = d;
            }
            n += gn;
            w += gw;
            sum += d * gn;
            let last = i + 1 == self.groups.len();
            // Close a bin at its share, unless what remains would make a
            // runt bin (under half a share): then the remainder joins it.
            let remaining = total - done - n;
            if last || (n >= per_bin * 0.999 && remaining >= 0.5 * per_bin) {
                let (lo, hi) = wilson_interval(w as u64, n as u64);
                bins.push(DelayBin {
                    from_hours: from,
                    to_hours: d,
                    mean_hours: sum / n,
                    sqls: n as u64,
                    won: w as u64,
                    rate: w / n,
                    ci95_low: lo,
                    ci95_high: hi,
                });
                done += n;
                (n, w, sum) = (0.0, 0.0, 0.0);
            }
        }
        bins
    }

    fn fit(&self, shape: ShapeKind) -> std::result::Result<ShapeFit, String> {
        let distinct = self.groups.len();
        if distinct < 2 {
            return Err("all delays are equal: the decay over time cannot be identified".to_owned());
        }
        if shape == ShapeKind::Step {
            return self.fit_step();
        }
        let best = self.optimum(shape, None)?;
        let information = self
            .taylor(shape, &best.x, true)
            .map(Taylor::negated)
            .ok_or("fitted parameters out of range")?;
        let cov = invert_spd(&information.hessian)
            .ok_or("the information matrix is singular: the parameters are not identified by these delays")?;
        let k = best.x.len() as f64;
        shape_fit(shape, &best.x, &cov, -best.value, k)
    }

    /// `-ln L` of `shape` at `x = [logit p, ln θ...]`.
    fn objective(&self, shape: ShapeKind) -> impl Fn(&[f64]) -> f64 + '_ {
        move |x: &[f64]| self.taylor(shape, x, false).map_or(f64::INFINITY, |t| -t.value)
    }

    /// The maximum likelihood of a parametric `shape`: from four starts,
    /// or from `start` (a nearby optimum, as in each step of the censored
    /// fit).
    ///
    /// The four starts search the groups pooled coarsely
    /// ([`Data::coarse`]) with Nelder-Mead; the best of them is then
    /// polished on the groups themselves by Newton's method with the
    /// analytic derivatives ([`Data::taylor`]; Nelder-Mead where it does
    /// not settle), so the optimum is that of the exact likelihood. On the
    /// million-row export of BENCHMARKS.md (35,305 groups, 3,288 coarse
    /// ones) the coarse search took the whole `calibrate` run from 13.2 s
    /// to 8.8 s of CPU, and the analytic derivatives (here and in the
    /// censored fit) further down: see BENCHMARKS.md, issue 20.
    pub(super) fn optimum(
        &self,
        shape: ShapeKind,
        start: Option<&[f64]>,
    ) -> std::result::Result<super::optimize::Minimum, String> {
        let objective = self.objective(shape);
        // Newton's method with the analytic derivatives from the nearby
        // point; Nelder-Mead (a step of 0.1 on the log scale) only where
        // Newton's method does not settle.
        let polish = |x: &[f64]| {
            let mut x = x.to_vec();
            if shape == ShapeKind::Linear && self.max_won_delay > 0.0 {
                // A shelf life at or below the longest won delay gives that
                // SQL a win probability of zero (clamped to 1e-300, where
                // the likelihood is flat in the shelf life): Newton's
                // method starts above it (measured: started from the
                // coarse optimum, it stopped at 317 h instead of 352.26 h
                // on the million-row export).
                x[1] = x[1].max(self.max_won_delay.ln() + 1e-3);
            }
            let taylor = |z: &[f64]| self.taylor(shape, z, true).map(Taylor::negated);
            newton_minimize(&taylor, &objective, &x).map_or_else(|| minimize(&objective, &x, 0.1), |(m, _)| m)
        };
        let best = match start {
            Some(x) => polish(x),
            // The polish may leave the coarse optimum's neighbourhood (a
            // linear shelf life pinned at the longest won delay moves to
            // it).
            None => polish(&self.coarse().as_ref().unwrap_or(self).starts(shape).x),
        };
        if !best.value.is_finite() {
            return Err("the likelihood is zero everywhere".to_owned());
        }
        Ok(best)
    }

    /// The groups pooled within 2^-8 of an octave when that leaves fewer
    /// than half of them (`None` otherwise): a cheap likelihood with the
    /// same basins, to search from several starts.
    fn coarse(&self) -> Option<Data> {
        let mut items = self.groups.clone();
        let pooled = group_at(&mut items, 0, 256.0);
        (pooled.len() * 2 < self.groups.len()).then(|| Data::new(pooled))
    }

    /// The best of four Nelder-Mead searches of `shape`, from starts placed
    /// by the data's close rate and median delay.
    fn starts(&self, shape: ShapeKind) -> super::optimize::Minimum {
        let objective = self.objective(shape);
        let total: f64 = self.groups.iter().map(|g| g.1[0]).sum();
        let p0 = logit((self.won / total * 1.5).clamp(0.01, 0.95));
        let anchor = match shape {
            ShapeKind::Linear => self.max_won_delay.max(self.median_delay) * 1.5,
            _ => self.median_delay,
        }
        .max(1e-3);
        let mut best: Option<super::optimize::Minimum> = None;
        for factor in [0.5, 1.0, 2.0, 5.0] {
            let mut start = vec![p0, (anchor * factor).ln()];
            if shape == ShapeKind::Weibull {
                start.push(0.0);
            }
            let m = search_basin(&objective, &start, 0.5);
            if best.as_ref().is_none_or(|b| m.value < b.value) {
                best = Some(m);
            }
        }
        best.expect("at least one start")
    }

    /// The step shape: for a shelf life `L` between two observed delays the
    /// likelihood is constant, with `p̂(L) = won / decided below L`, so the
    /// profile likelihood is scanned over the gaps between delays.
    pub(super) fn fit_step(&self) -> std::result::Result<ShapeFit, String> {
        let g = &self.groups;
        // profile[i]: log-likelihood with L just above g[i].0 (SQLs 0..=i warm).
        let (mut n, mut w) = (0.0, 0.0);
        let mut profile = Vec::with_capacity(g.len());
        let xlogx = |a: f64, b: f64| if a > 0.0 { a * (a / b).ln() } else { 0.0 };
        for (i, &(_, [gn, gw])) in g.iter().enumerate() {
            n += gn;
            w += gw;
            let ll = if self.max_won_delay > g[i].0 {
                f64::NEG_INFINITY
            } else {
                xlogx(w, n) + xlogx(n - w, n)
            };
            profile.push((ll, n, w));
        }
        let (i_best, &(ll_best, n_best, w_best)) = profile
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
            .ok_or("no data")?;
        if !ll_best.is_finite() {
            return Err("the likelihood is zero everywhere".to_owned());
        }
        if i_best + 1 == g.len() {
            return Err("every delay is below the fitted shelf life: it is not bounded above by these data".to_owned());
        }
        let lo = g[i_best].0;
        let value = 0.5 * (g[i_best].0 + g[i_best + 1].0);
        let threshold = ll_best - 0.5 * Z95 * Z95;
        let last_in = profile.iter().rposition(|p| p.0 >= threshold).unwrap_or(i_best);
        let hi = g.get(last_in + 1).map_or(f64::INFINITY, |x| x.0);
        if value <= 0.0 {
            return Err("the fitted shelf life is zero".to_owned());
        }
        let c = DecayCurve::step(Hours::trusted(value)).map_err(|e| e.to_string())?;
        let p = w_best / n_best;
        let logit_se = 1.0 / (n_best * p * (1.0 - p)).sqrt();
        let close_rate = if p < 1.0 {
            Estimate::from_logit("close_rate", logit(p), logit_se)
        } else {
            return Err("every SQL below the shelf life was won: the close rate is at its bound".to_owned());
        };
        let shelf = Estimate {
            name: "shelf_life_hours".to_owned(),
            value,
            std_error: (hi - lo) / (2.0 * Z95),
            ci95_low: lo,
            ci95_high: hi,
        };
        let renamed = |name: &str| Estimate {
            name: name.to_owned(),
            ..shelf.clone()
        };
        let ll = self.log_likelihood(p, &c);
        let log_se = if hi.is_finite() && lo > 0.0 {
            (hi / lo).ln() / (2.0 * Z95)
        } else {
            0.0
        };
        Ok(ShapeFit {
            covariance: vec![vec![logit_se * logit_se, 0.0], vec![0.0, log_se * log_se]],
            shape: ShapeKind::Step,
            curve: c,
            close_rate,
            time_to_50: Some(renamed("time_to_50_hours")),
            time_to_10: Some(renamed("time_to_10_hours")),
            parameters: vec![shelf],
            log_likelihood: ll,
            aic: 4.0 - 2.0 * ll,
            sales_cycle: None,
        })
    }

    /// The monotone table: isotonic (pool-adjacent-violators) regression of
    /// the binned rates, divided by the close rate of the best parametric
    /// fit (or the first pooled rate when none was identified).
    pub(super) fn table(&self, bins: &[DelayBin], p_hat: Option<f64>) -> std::result::Result<ShapeFit, String> {
        if bins.len() < 2 {
            return Err("fewer than two delay bins: too few SQLs for a table".to_owned());
        }
        let iso = isotonic_decreasing(&bins.iter().map(|b| (b.rate, b.sqls as f64)).collect::<Vec<_>>());
        let p = p_hat.unwrap_or(iso[0]).clamp(1e-9, 1.0);
        let mut points: Vec<(Hours, f64)> = Vec::new();
        let mut parameters = Vec::new();
        let mut prev = 1.0_f64;
        for (b, r) in bins.iter().zip(&iso) {
            let t = b.mean_hours;
            // A table's times lie in [MIN_DELAY_SCALE, MAX_DELAY_SCALE].
            if !(t > points.last().map_or(0.0, |p| p.0.get()) && t >= crate::model::follow_up::MIN_DELAY_SCALE) {
                continue;
            }
            let f = (r / p).min(prev).clamp(0.0, 1.0);
            prev = f;
            points.push((Hours::trusted(t), f));
            parameters.push(Estimate {
                name: format!("f({t:.4}h)"),
                value: f,
                std_error: (b.ci95_high - b.ci95_low) / (2.0 * Z95 * p),
                ci95_low: (b.ci95_low / p).min(1.0),
                ci95_high: (b.ci95_high / p).min(1.0),
            });
        }
        let c = DecayCurve::table(&points).map_err(|e| e.to_string())?;
        let ll = self.log_likelihood(p, &c);
        let at = |level: f64, name: &str| {
            c.time_to(level).map(|t| Estimate {
                name: name.to_owned(),
                value: t.get(),
                std_error: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
            })
        };
        Ok(ShapeFit {
            shape: ShapeKind::Table,
            close_rate: Estimate {
                name: "close_rate".to_owned(),
                value: p,
                std_error: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
            },
            time_to_50: at(0.5, "time_to_50_hours"),
            time_to_10: at(0.1, "time_to_10_hours"),
            curve: c,
            aic: 2.0 * (parameters.len() as f64 + 1.0) - 2.0 * ll,
            parameters,
            log_likelihood: ll,
            sales_cycle: None,
            covariance: Vec::new(),
        })
    }
}

/// The fit of a parametric `shape` at `x = [logit p, ln θ...]` with the
/// covariance `cov` of `x` (at least `x.len()` square), log-likelihood `ll`
/// and `k` parameters in all.
pub(super) fn shape_fit(
    shape: ShapeKind,
    x: &[f64],
    cov: &[Vec<f64>],
    ll: f64,
    k: f64,
) -> std::result::Result<ShapeFit, String> {
    let se = |i: usize| cov[i][i].sqrt();
    let close_rate = Estimate::from_logit("close_rate", x[0], se(0));
    if close_rate.value > 0.999_999 {
        return Err("the close rate is estimated at 1: the data cannot separate it from decay".to_owned());
    }
    let name = match shape {
        ShapeKind::Linear => "shelf_life_hours",
        ShapeKind::Exponential => "half_life_hours",
        _ => "scale_hours",
    };
    let mut parameters = vec![Estimate::from_log(name, x[1], se(1))];
    if shape == ShapeKind::Weibull {
        parameters.push(Estimate::from_log("k", x[2], se(2)));
    }
    let c = curve(shape, &x[1..]).ok_or("fitted parameters out of range")?;
    let block: Vec<Vec<f64>> = cov[..x.len()].iter().map(|row| row[..x.len()].to_vec()).collect();
    let derived = |level: f64, name: &str| -> Option<Estimate> {
        let log_t = |y: &[f64]| {
            curve(shape, &y[1..])
                .and_then(|c| c.time_to(level))
                .map_or(f64::NAN, |t| t.get().ln())
        };
        let v = log_t(x);
        if !v.is_finite() {
            return None;
        }
        let g = gradient(&log_t, x);
        Some(Estimate::from_log(name, v, quadratic_form(&g, &block).sqrt()))
    };
    Ok(ShapeFit {
        shape,
        time_to_50: derived(0.5, "time_to_50_hours"),
        time_to_10: derived(0.1, "time_to_10_hours"),
        curve: c,
        close_rate,
        parameters,
        log_likelihood: ll,
        aic: 2.0 * k - 2.0 * ll,
        sales_cycle: None,
        covariance: block,
    })
}

/// Weighted isotonic regression onto non-increasing sequences
/// (pool adjacent violators).
fn isotonic_decreasing(values: &[(f64, f64)]) -> Vec<f64> {
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new(); // (mean, weight, len)
    for &(v, w) in values {
        blocks.push((v, w.max(1e-12), 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 < blocks[blocks.len() - 1].0 {
            let (m2, w2, l2) = blocks.pop().expect("two blocks");
            let (m1, w1, l1) = blocks.pop().expect("two blocks");
            blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, l1 + l2));
        }
    }
    blocks
        .into_iter()
        .flat_map(|(m, _, l)| std::iter::repeat_n(m, l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decided delays of a 6,000-row synthetic export (Weibull decay,
    /// log-normal delays to the second), grouped as the fits group them.
    fn decided_delays(seed: u64) -> Data {
        use crate::calibrate::synthetic_export;
        use crate::model::deal_value::DealValue;
        use crate::model::follow_up::DelayDistribution;
        use crate::model::segment::Segment;
        let segment = Segment::builder("pooling")
            .sqls(1_000)
            .close_rate(0.3)
            .deal_value(DealValue::fixed(1_000.0).unwrap())
            .decay(DecayCurve::weibull(Hours::new(36.0).unwrap(), 1.5).unwrap())
            .delay(DelayDistribution::lognormal(Hours::new(24.0).unwrap(), 1.0).unwrap())
            .build()
            .unwrap();
        let start = "2024-01-01T00:00:00Z".parse().unwrap();
        let (records, _) = synthetic_export(&segment, 6_000, start, seed).unwrap();
        let mut obs: Vec<(f64, [f64; 2])> = records
            .iter()
            .filter(|r| r.outcome != Outcome::Open)
            .filter_map(|r| {
                r.delay_hours()
                    .map(|d| (d, [1.0, f64::from(u8::from(r.outcome == Outcome::Won))]))
            })
            .collect();
        Data::new(group(&mut obs, 20_000))
    }

    #[test]
    fn starts_searched_on_pooled_delays_then_polished_find_the_optimum_of_four_exact_searches() {
        // Issue 20: the four starts search delays pooled within 2^-8 of an
        // octave, the best is polished on the exact groups. The optimum must
        // be the one the four searches on the exact groups found: the same
        // likelihood to 1e-7 and every estimate within 1 % of its standard
        // error, for each parametric shape and two exports.
        for seed in 1..=2 {
            let data = decided_delays(seed);
            assert!(data.coarse().is_some(), "pooling applies: {} groups", data.groups.len());
            for shape in [ShapeKind::Linear, ShapeKind::Exponential, ShapeKind::Weibull] {
                // The four searches on the exact groups find the basin;
                // Nelder-Mead to its bottom (to rounding) from the best.
                let basin = data.starts(shape);
                let exact = minimize(&data.objective(shape), &basin.x, 0.1);
                assert!(exact.value <= basin.value);
                let polished = data.optimum(shape, None).unwrap();
                assert!(
                    (exact.value - polished.value).abs() < 1e-7,
                    "{shape:?}, seed {seed}: -ln L {} vs {}",
                    exact.value,
                    polished.value
                );
                let fit = data.fit(shape).unwrap();
                let natural = |x: &[f64]| -> Vec<f64> {
                    std::iter::once(logistic(x[0]))
                        .chain(x[1..].iter().map(|v| v.exp()))
                        .collect()
                };
                let estimates = std::iter::once(&fit.close_rate).chain(&fit.parameters);
                for ((a, b), e) in natural(&exact.x).into_iter().zip(natural(&polished.x)).zip(estimates) {
                    assert!(
                        (a - b).abs() < 0.01 * e.std_error,
                        "{shape:?}, seed {seed}, {}: {a} vs {b} (se {})",
                        e.name,
                        e.std_error
                    );
                }
            }
        }
    }

    #[test]
    fn pool_adjacent_violators_makes_rates_non_increasing() {
        let iso = isotonic_decreasing(&[(0.3, 1.0), (0.4, 1.0), (0.2, 2.0), (0.25, 2.0)]);
        assert_eq!(iso, vec![0.35, 0.35, 0.225, 0.225]);
    }
}
