//! The sales cycle: how long a contacted SQL takes to be decided, by
//! outcome, and the contacted SQLs still open at the as-of date (immature
//! cohorts), censored on their outcome.
//!
//! A contacted SQL is won with probability `π(D) = p f(D)`; a win is
//! recorded a time `T_w ~ G_w` after the first contact, a loss a time
//! `T_l ~ G_l` after it. Both are Weibull:
//!
//! ```text
//! G(t) = 1 - exp(-(t/s)^k),   median s (ln 2)^(1/k)
//! ```
//!
//! At the as-of date, `a` hours after its first contact, a row says:
//!
//! | row | likelihood |
//! |---|---|
//! | won, decided `t` after contact | `π g_w(t)` |
//! | won, no decision date | `π G_w(a)` |
//! | lost, decided `t` after contact | `(1 - π) g_l(t)` |
//! | lost, no decision date | `(1 - π) G_l(a)` |
//! | open | `π (1 - G_w(a)) + (1 - π) (1 - G_l(a))` |
//!
//! so an SQL contacted yesterday and still open counts as "not decided
//! yet", and one open for months as "probably lost" when wins come within
//! days. The fit maximises this likelihood by expectation-maximisation
//! (EM: each open row is split into a fractional win `w` and loss `1 - w`
//! by its posterior, then the decay and the two cycles are refitted as if
//! complete), and takes standard errors from the observed information of
//! the whole likelihood, so the close rate's interval carries the
//! uncertainty of the cycles.

use serde::Serialize;

use super::estimate::Estimate;
use super::export::Export;
use super::labels::Outcome;
use super::ln_curve::LnCurve;
use super::optimize::{Minimizer, Taylor, logistic, minimize, search_basin};
use super::timestamp::hours_between;

/// Cycle times and ages below one minute count as one minute: a decision
/// recorded at the instant of the first contact (or a date-only close date
/// placed before it) has density zero under a Weibull with `k > 1`.
pub const MIN_CYCLE_HOURS: f64 = 1.0 / 60.0;

/// The Weibull scale is searched in [1 minute, 10^6 hours] and the shape
/// in [0.05, 20]; an optimum at either end means the data do not identify
/// the cycle.
const LN_SCALE_RANGE: (f64, f64) = (-4.094_344_562_222_1, 13.815_510_557_964_274);
const LN_SHAPE_RANGE: (f64, f64) = (-2.995_732_273_553_991, 2.995_732_273_553_991);

/// The fewest decided SQLs of an outcome that identify its cycle.
pub const MIN_DECIDED_PER_OUTCOME: u64 = 5;

/// The fitted time from the first contact to the decision of one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CycleFit {
    /// Decided SQLs of this outcome with a decision date (exact cycles).
    pub dated: u64,
    /// Decided SQLs of this outcome without one (known only to be decided
    /// by the as-of date).
    pub undated: u64,
    /// The median cycle in days.
    pub median_days: Estimate,
    /// The Weibull scale in days.
    pub scale_days: Estimate,
    /// The Weibull shape `k` (1: exponential; above 1: decisions bunch
    /// around the median; below 1: many quick decisions and a long tail).
    pub k: Estimate,
}

/// The sales cycle of won and of lost SQLs, fitted jointly with a decay
/// shape (the likelihood: [`crate::guide::calibration`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SalesCycleFit {
    /// Time from the first contact to a win.
    pub won: CycleFit,
    /// Time from the first contact to a loss.
    pub lost: CycleFit,
}

/// What the decay fits did with the contacted SQLs still open at the
/// as-of date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Censoring {
    /// The moment the export was taken (RFC 3339): every open SQL is
    /// censored there.
    pub as_of: String,
    /// Contacted SQLs still open at the as-of date.
    pub open: u64,
    /// Contacted SQLs won or lost with a decision date.
    pub decided_dated: u64,
    /// Contacted SQLs won or lost without one.
    pub decided_undated: u64,
    /// Whether the decay fits hold the open SQLs as censored on their
    /// outcome (with the sales cycle) or leave them out.
    pub open_censored: bool,
    /// Why the open SQLs are left out, when they are.
    pub left_out_because: Option<String>,
}

/// A Weibull cycle on the fit's scale: `[ln s, ln k]`, hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weibull {
    ln_scale: f64,
    k: f64,
}

impl Weibull {
    /// `None` outside the searched range.
    pub(crate) fn at(y: &[f64]) -> Option<Weibull> {
        let inside = |v: f64, (lo, hi): (f64, f64)| v.is_finite() && lo <= v && v <= hi;
        (inside(y[0], LN_SCALE_RANGE) && inside(y[1], LN_SHAPE_RANGE)).then(|| Weibull {
            ln_scale: y[0],
            k: y[1].exp(),
        })
    }

    /// `(t/s)^k` at `ln t`.
    fn z(&self, ln_t: f64) -> f64 {
        (self.k * (ln_t - self.ln_scale)).exp()
    }

    /// `ln g(t)`.
    pub(crate) fn ln_density(&self, t: f64) -> f64 {
        let ln_t = t.max(MIN_CYCLE_HOURS).ln();
        self.k.ln() - self.ln_scale + (self.k - 1.0) * (ln_t - self.ln_scale) - self.z(ln_t)
    }

    /// `ln P(T > a)`.
    pub(crate) fn ln_survival(&self, a: f64) -> f64 {
        if a <= 0.0 { 0.0 } else { -self.z(a.ln()) }
    }

    /// `ln P(T > a)` at `ln a` for an age `a > 0`.
    #[inline]
    fn ln_survival_at_ln(&self, ln_a: f64) -> f64 {
        -self.z(ln_a)
    }

    /// `ln P(T <= a)`.
    pub(crate) fn ln_cdf(&self, a: f64) -> f64 {
        let z = self.z(a.max(MIN_CYCLE_HOURS).ln());
        (-(-z).exp_m1()).ln()
    }

    /// `z = (t/s)^k` at `ln t` with its gradient and Hessian in
    /// `[ln s, ln k]`: with `Λ = ln z`, `∂z = [-k z, z Λ]`,
    /// `∂²z = [[k² z, -k z (1 + Λ)], [-k z (1 + Λ), z Λ (1 + Λ)]]`.
    fn z_terms(&self, ln_t: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let big = self.k * (ln_t - self.ln_scale);
        let z = big.exp();
        let k = self.k;
        let cross = -k * z * (1.0 + big);
        (
            z,
            [-k * z, z * big],
            [[k * k * z, cross], [cross, z * big * (1.0 + big)]],
        )
    }

    /// [`Weibull::ln_density`] with its gradient and Hessian in
    /// `[ln s, ln k]`: `ln g = ln k + Λ - ln t - z`.
    fn ln_density_terms(&self, t: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let ln_t = t.max(MIN_CYCLE_HOURS).ln();
        let big = self.k * (ln_t - self.ln_scale);
        let (_, dz, hz) = self.z_terms(ln_t);
        let k = self.k;
        (
            self.ln_density(t),
            [-k - dz[0], 1.0 + big - dz[1]],
            [[-hz[0][0], -k - hz[0][1]], [-k - hz[1][0], big - hz[1][1]]],
        )
    }

    /// [`Weibull::ln_cdf`] with its gradient and Hessian in `[ln s, ln k]`:
    /// with `C = 1 - e^-z` and `h = e^-z / C`, `∂ ln C = h ∂z` and
    /// `∂² ln C = h ∂²z - (h / C) ∂z ∂z'`.
    fn ln_cdf_terms(&self, a: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let (z, dz, hz) = self.z_terms(a.max(MIN_CYCLE_HOURS).ln());
        let c = -(-z).exp_m1();
        let h = (-z).exp() / c;
        let mut second = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                second[i][j] = h * hz[i][j] - h / c * dz[i] * dz[j];
            }
        }
        (self.ln_cdf(a), [h * dz[0], h * dz[1]], second)
    }

    /// [`Weibull::ln_survival`] (`-z`, 0 at ages of zero) with its
    /// gradient and Hessian in `[ln s, ln k]`, given `ln a`.
    #[inline]
    fn ln_survival_terms(&self, a: f64, ln_a: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        if a <= 0.0 {
            return (0.0, [0.0; 2], [[0.0; 2]; 2]);
        }
        let (z, dz, hz) = self.z_terms(ln_a);
        (-z, [-dz[0], -dz[1]], [[-hz[0][0], -hz[0][1]], [-hz[1][0], -hz[1][1]]])
    }
}

/// Coordinates of the censored likelihood at most: `logit p`, two decay
/// parameters, two per cycle.
const MAX_DIM: usize = 7;

/// Adds `n` times a 2-parameter expansion into `t` at coordinates `at`.
#[allow(clippy::needless_range_loop)] // index notation mirrors the formulas
fn add_block(t: &mut Taylor, at: usize, n: f64, (v, g, h): (f64, [f64; 2], [[f64; 2]; 2])) {
    t.value += n * v;
    if t.gradient.is_empty() {
        return;
    }
    for i in 0..2 {
        t.gradient[at + i] += n * g[i];
        for j in 0..2 {
            t.hessian[at + i][at + j] += n * h[i][j];
        }
    }
}

/// `ln(e^a + e^b)` (`-inf` when both are) and `e^(a - ln(e^a + e^b))`,
/// the share of the first (0 when `a` is `-inf`), with one `exp` and one
/// `ln` (`ln_1p` measured at a quarter of the censored fit's time).
#[inline]
fn log_sum_exp(a: f64, b: f64) -> (f64, f64) {
    if a == f64::NEG_INFINITY {
        return (b, 0.0);
    }
    if b == f64::NEG_INFINITY {
        return (a, 1.0);
    }
    let (m, e) = (a.max(b), (-(a - b).abs()).exp());
    let share = if a >= b { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
    (m + (1.0 + e).ln(), share)
}

/// Values binned on the log scale (2^-8 wide, under 0.3 %), each bin at
/// the mean of its values: a few thousand bins for any number of rows.
#[derive(Debug, Clone, Default)]
struct Binned {
    /// (representative value, count), ascending.
    bins: Vec<(f64, f64)>,
}

fn log_key(v: f64) -> i64 {
    if v > 0.0 {
        (v.log2() * 256.0).floor() as i64
    } else {
        i64::MIN
    }
}

impl Binned {
    /// Bins `values`; returns the bin of each value, in input order.
    fn of(values: &[f64]) -> (Binned, Vec<usize>) {
        // Equal values are interchangeable here (each adds the same `v`
        // to its bin), so an unstable sort gives the same bins, bit for bit.
        let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
        order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut bins: Vec<(f64, f64, i64)> = Vec::new();
        let mut index = vec![0; values.len()];
        for (v, i) in order {
            let key = log_key(v);
            match bins.last_mut() {
                Some(last) if last.2 == key => {
                    last.0 += v;
                    last.1 += 1.0;
                }
                _ => bins.push((v, 1.0, key)),
            }
            index[i] = bins.len() - 1;
        }
        let bins = bins.into_iter().map(|(sum, n, _)| (sum / n, n)).collect();
        (Binned { bins }, index)
    }

    fn len(&self) -> usize {
        self.bins.len()
    }
}

/// The decided SQLs of one outcome: exact cycles and ages of undated ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decided {
    dated: Binned,
    undated: Binned,
    n_dated: u64,
    n_undated: u64,
}

impl Decided {
    fn new(cycles: &[f64], ages: &[f64]) -> Decided {
        Decided {
            dated: Binned::of(cycles).0,
            undated: Binned::of(ages).0,
            n_dated: cycles.len() as u64,
            n_undated: ages.len() as u64,
        }
    }

    fn count(&self) -> u64 {
        self.n_dated + self.n_undated
    }

    /// [`Decided::log_likelihood`] added into `t` (derivatives when `t`
    /// has them) at the cycle's coordinates `at`.
    fn add_taylor(&self, w: &Weibull, t: &mut Taylor, at: usize) {
        let derivatives = !t.gradient.is_empty();
        for &(x, n) in &self.dated.bins {
            if derivatives {
                add_block(t, at, n, w.ln_density_terms(x));
            } else {
                t.value += n * w.ln_density(x);
            }
        }
        for &(a, n) in &self.undated.bins {
            if derivatives {
                add_block(t, at, n, w.ln_cdf_terms(a));
            } else {
                t.value += n * w.ln_cdf(a);
            }
        }
    }

    /// `Σ ln g(t) + Σ ln G(a)` over the decided rows.
    pub(crate) fn log_likelihood(&self, w: &Weibull) -> f64 {
        let exact: f64 = self.dated.bins.iter().map(|&(t, n)| n * w.ln_density(t)).sum();
        let by: f64 = self.undated.bins.iter().map(|&(a, n)| n * w.ln_cdf(a)).sum();
        exact + by
    }

    /// A start for the fit: exponential with the mean dated cycle, or the
    /// median age of the undated rows.
    fn start(&self) -> [f64; 2] {
        let mean = |b: &Binned| {
            let n: f64 = b.bins.iter().map(|x| x.1).sum();
            b.bins.iter().map(|x| x.0 * x.1).sum::<f64>() / n
        };
        let scale = if self.n_dated > 0 {
            mean(&self.dated)
        } else if self.n_undated > 0 {
            0.5 * mean(&self.undated)
        } else {
            24.0
        };
        [
            scale
                .max(1.0)
                .ln()
                .clamp(LN_SCALE_RANGE.0 + 1.0, LN_SCALE_RANGE.1 - 1.0),
            0.0,
        ]
    }
}

/// The contacted SQLs of an export as the censored fit sees them.
#[derive(Debug, Clone)]
pub(crate) struct CycleRows {
    pub(crate) won: Decided,
    pub(crate) lost: Decided,
    /// Open, contacted SQLs: (delay, age since first contact), hours.
    pub(crate) open: Vec<(f64, f64)>,
    /// `(ln delay, ln age)` of each open row, computed once.
    open_ln: Vec<(f64, f64)>,
    /// The open rows' ages, binned, and each row's bin.
    open_ages: Binned,
    open_bin: Vec<usize>,
    pub(crate) censoring: Censoring,
}

impl CycleRows {
    pub(crate) fn of(export: &Export) -> CycleRows {
        let as_of = export.as_of();
        let (mut won_t, mut won_a, mut lost_t, mut lost_a) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut open = Vec::new();
        for r in export.records() {
            let (Some(contact), Some(delay)) = (r.first_contact, r.delay_hours()) else {
                continue;
            };
            let age = hours_between(contact, as_of).max(0.0);
            match (r.outcome, r.cycle_hours()) {
                (Outcome::Open, _) => open.push((delay, age)),
                (Outcome::Won, Some(t)) => won_t.push(t),
                (Outcome::Won, None) => won_a.push(age),
                (Outcome::Lost, Some(t)) => lost_t.push(t),
                (Outcome::Lost, None) => lost_a.push(age),
            }
        }
        let ages: Vec<f64> = open.iter().map(|o| o.1).collect();
        let (open_ages, open_bin) = Binned::of(&ages);
        let censoring = Censoring {
            as_of: as_of.to_string(),
            open: open.len() as u64,
            decided_dated: (won_t.len() + lost_t.len()) as u64,
            decided_undated: (won_a.len() + lost_a.len()) as u64,
            open_censored: false,
            left_out_because: None,
        };
        CycleRows {
            won: Decided::new(&won_t, &won_a),
            lost: Decided::new(&lost_t, &lost_a),
            open_ln: open.iter().map(|&(d, a)| (d.ln(), a.ln())).collect(),
            open,
            open_ages,
            open_bin,
            censoring,
        }
    }

    /// Why the cycles cannot be fitted, if they cannot: too few decided
    /// SQLs of an outcome.
    pub(crate) fn unidentified(&self) -> Option<String> {
        for (name, d) in [("won", &self.won), ("lost", &self.lost)] {
            if d.count() < MIN_DECIDED_PER_OUTCOME {
                return Some(format!(
                    "{} contacted SQLs {name} (at least {MIN_DECIDED_PER_OUTCOME} are needed to fit the time to a {}",
                    d.count(),
                    if name == "won" { "win)" } else { "loss)" }
                ));
            }
        }
        if self.won.n_dated == 0 && self.lost.n_dated == 0 && self.open_ages.len() < 3 {
            return Some("no decision dates and fewer than three distinct ages of open SQLs".to_owned());
        }
        None
    }

    /// The starting cycles, `[ln s_w, ln k_w, ln s_l, ln k_l]`.
    pub(crate) fn start(&self) -> [f64; 4] {
        let (w, l) = (self.won.start(), self.lost.start());
        [w[0], w[1], l[0], l[1]]
    }

    /// `ln P(won) + ln S_w(a)` and `ln P(lost) + ln S_l(a)` of an open row
    /// with win probability `pi`: the two ways it can still end.
    fn branches(pi: f64, age: f64, won: &Weibull, lost: &Weibull) -> (f64, f64) {
        let pi = pi.clamp(0.0, 1.0);
        (pi.ln() + won.ln_survival(age), (1.0 - pi).ln() + lost.ln_survival(age))
    }

    /// The open rows' part of the log-likelihood, given each row's win
    /// probability; and, when `weights` is given, each row's posterior
    /// probability of ending won (the E-step).
    pub(crate) fn open_part(
        &self,
        pi: &dyn Fn(f64) -> f64,
        won: &Weibull,
        lost: &Weibull,
        mut weights: Option<&mut Vec<f64>>,
    ) -> f64 {
        if let Some(w) = weights.as_deref_mut() {
            w.clear();
        }
        let mut ll = 0.0;
        for &(delay, age) in &self.open {
            let (a, b) = CycleRows::branches(pi(delay), age, won, lost);
            let m = a.max(b);
            let total = if m == f64::NEG_INFINITY {
                f64::NEG_INFINITY
            } else {
                m + ((a - m).exp() + (b - m).exp()).ln()
            };
            ll += total;
            if let Some(w) = weights.as_deref_mut() {
                w.push(if a == f64::NEG_INFINITY { 0.0 } else { (a - total).exp() });
            }
        }
        ll
    }

    /// The whole censored log-likelihood (decided rows' cycles and open
    /// rows; the decided rows' decay part is [`super::decay_fit::Data`]'s)
    /// at the decay curve `curve` with close rate `logistic(logit_p)` and
    /// the cycles `won`, `lost`, added into `t`, whose coordinates are
    /// `free` decay coordinates (`logit p` first) then `[ln s_w, ln k_w,
    /// ln s_l, ln k_l]`; with their gradient and Hessian when `t` has them
    /// (one pass over the open rows instead of a numerical Hessian's
    /// `2 n^2 + 1`).
    ///
    /// An open row's log-likelihood is `ln(e^A + e^B)` with
    /// `A = ln π + ln S_w(a)` and `B = ln(1 - π) + ln S_l(a)`; with the
    /// posterior `r = e^(A - total)`, its gradient is `r ∂A + (1 - r) ∂B`
    /// and its Hessian `r ∂²A + (1 - r) ∂²B + r (1 - r) (∂A - ∂B)(∂A - ∂B)'`.
    pub(crate) fn add_taylor(
        &self,
        curve: &LnCurve,
        logit_p: f64,
        free: usize,
        won: &Weibull,
        lost: &Weibull,
        t: &mut Taylor,
    ) {
        self.won.add_taylor(won, t, free);
        self.lost.add_taylor(lost, t, free + 2);
        let derivatives = !t.gradient.is_empty();
        let dim = free + 4;
        let p = logistic(logit_p);
        let ln_p = p.ln();
        let (w_at, l_at) = (free, free + 2);
        for (&(d, a), &(ln_d, ln_a)) in self.open.iter().zip(&self.open_ln) {
            if !derivatives {
                let u = ln_p + curve.value(d, ln_d);
                let pi = u.exp().min(1.0);
                let sa = if a <= 0.0 { 0.0 } else { won.ln_survival_at_ln(ln_a) };
                let sb = if a <= 0.0 { 0.0 } else { lost.ln_survival_at_ln(ln_a) };
                t.value += log_sum_exp(u + sa, (1.0 - pi).ln() + sb).0;
                continue;
            }
            let (ln_f, fa, fb) = curve.terms(d, ln_d);
            let u = ln_p + ln_f;
            let pi = u.exp().min(1.0);
            let sw = won.ln_survival_terms(a, ln_a);
            let sl = lost.ln_survival_terms(a, ln_a);
            let (total, r) = log_sum_exp(u + sw.0, (1.0 - pi).ln() + sl.0);
            t.value += total;
            let odds = pi / (1.0 - pi);
            let du = [1.0 - p, fa[0], fa[1]];
            // ∂A - ∂B, and the gradient r ∂A + (1 - r) ∂B.
            let mut delta = [0.0; MAX_DIM];
            for i in 0..free {
                delta[i] = du[i] * (1.0 + odds);
                t.gradient[i] += (r - (1.0 - r) * odds) * du[i];
            }
            for i in 0..2 {
                delta[w_at + i] = sw.1[i];
                delta[l_at + i] = -sl.1[i];
                t.gradient[w_at + i] += r * sw.1[i];
                t.gradient[l_at + i] += (1.0 - r) * sl.1[i];
            }
            let spread = r * (1.0 - r);
            for i in 0..dim {
                for j in 0..=i {
                    t.hessian[i][j] += spread * delta[i] * delta[j];
                }
            }
            for i in 0..free {
                for j in 0..=i {
                    let second = match (i, j) {
                        (0, 0) => -p * (1.0 - p),
                        (0, _) | (_, 0) => 0.0,
                        _ => fb[i - 1][j - 1],
                    };
                    // r ∂²A + (1 - r) ∂²B on the decay block.
                    t.hessian[i][j] +=
                        (r - (1.0 - r) * odds) * second - (1.0 - r) * odds * (1.0 + odds) * du[i] * du[j];
                }
            }
            for i in 0..2 {
                for j in 0..=i {
                    t.hessian[w_at + i][w_at + j] += r * sw.2[i][j];
                    t.hessian[l_at + i][l_at + j] += (1.0 - r) * sl.2[i][j];
                }
            }
        }
        if derivatives {
            for i in 0..dim {
                for j in 0..i {
                    t.hessian[j][i] = t.hessian[i][j];
                }
            }
        }
    }

    /// The cycles' part of the log-likelihood from decided rows.
    pub(crate) fn decided_part(&self, won: &Weibull, lost: &Weibull) -> f64 {
        self.won.log_likelihood(won) + self.lost.log_likelihood(lost)
    }

    /// The M-step of the cycles: each refitted to its decided rows and the
    /// open rows weighted by their posterior (`weights`: of ending won).
    pub(crate) fn refit(&self, weights: &[f64], y: [f64; 4]) -> [f64; 4] {
        self.refit_by(weights, y, minimize)
    }

    /// [`CycleRows::refit`] to the basin of the maximum only
    /// ([`search_basin`]): a start for Newton's method.
    pub(crate) fn refit_roughly(&self, weights: &[f64], y: [f64; 4]) -> [f64; 4] {
        self.refit_by(weights, y, search_basin)
    }

    /// The M-step with the minimiser `minimizer`.
    fn refit_by(&self, weights: &[f64], y: [f64; 4], minimizer: Minimizer) -> [f64; 4] {
        let mut won_w = vec![0.0; self.open_ages.len()];
        let mut lost_w = vec![0.0; self.open_ages.len()];
        for (i, &w) in weights.iter().enumerate() {
            won_w[self.open_bin[i]] += w;
            lost_w[self.open_bin[i]] += 1.0 - w;
        }
        let fit = |decided: &Decided, open: &[f64], start: [f64; 2]| -> [f64; 2] {
            let objective = |y: &[f64]| match Weibull::at(y) {
                Some(c) => {
                    let censored: f64 = self
                        .open_ages
                        .bins
                        .iter()
                        .zip(open)
                        .map(|(&(a, _), &w)| if w > 0.0 { w * c.ln_survival(a) } else { 0.0 })
                        .sum();
                    -(decided.log_likelihood(&c) + censored)
                }
                None => f64::INFINITY,
            };
            let m = minimizer(&objective, &start, 0.2);
            [m.x[0], m.x[1]]
        };
        let w = fit(&self.won, &won_w, [y[0], y[1]]);
        let l = fit(&self.lost, &lost_w, [y[2], y[3]]);
        [w[0], w[1], l[0], l[1]]
    }

    /// The sales cycle at `y` with the covariance `cov` of `y`.
    pub(crate) fn report(&self, y: &[f64], cov: &[Vec<f64>]) -> SalesCycleFit {
        let one = |d: &Decided, i: usize| -> CycleFit {
            let (ln_s, ln_k) = (y[i], y[i + 1]);
            let k = ln_k.exp();
            let ln_days = ln_s - 24f64.ln();
            // ln median = ln s + ln(ln 2) / k; its gradient in (ln s, ln k).
            let ln_ln2 = std::f64::consts::LN_2.ln();
            let g = [1.0, -ln_ln2 / k];
            let var_median =
                g[0] * g[0] * cov[i][i] + 2.0 * g[0] * g[1] * cov[i][i + 1] + g[1] * g[1] * cov[i + 1][i + 1];
            CycleFit {
                dated: d.n_dated,
                undated: d.n_undated,
                median_days: Estimate::from_log("median_days", ln_days + ln_ln2 / k, var_median.max(0.0).sqrt()),
                scale_days: Estimate::from_log("scale_days", ln_days, cov[i][i].max(0.0).sqrt()),
                k: Estimate::from_log("k", ln_k, cov[i + 1][i + 1].max(0.0).sqrt()),
            }
        };
        SalesCycleFit {
            won: one(&self.won, 0),
            lost: one(&self.lost, 2),
        }
    }

    /// Whether `y` sits at an end of the searched range (the data do not
    /// bound the cycle).
    pub(crate) fn at_bound(y: &[f64]) -> bool {
        let near = |v: f64, (lo, hi): (f64, f64)| v - lo < 1e-3 || hi - v < 1e-3;
        near(y[0], LN_SCALE_RANGE)
            || near(y[1], LN_SHAPE_RANGE)
            || near(y[2], LN_SCALE_RANGE)
            || near(y[3], LN_SHAPE_RANGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weibull_pieces_agree_with_the_closed_form() {
        let w = Weibull::at(&[48f64.ln(), 1.5f64.ln()]).unwrap();
        let t = 30.0;
        let z = (t / 48.0f64).powf(1.5);
        assert!((w.ln_survival(t) + z).abs() < 1e-12);
        assert!((w.ln_cdf(t) - (1.0 - (-z).exp()).ln()).abs() < 1e-12);
        let density = 1.5 / 48.0 * (t / 48.0f64).powf(0.5) * (-z).exp();
        assert!((w.ln_density(t) - density.ln()).abs() < 1e-12);
        assert!(Weibull::at(&[48f64.ln(), 4.0]).is_none());
    }

    #[test]
    fn binning_keeps_counts_and_means() {
        let values = [1.0, 1.0001, 2.0, 0.0, 1000.0];
        let (b, index) = Binned::of(&values);
        assert_eq!(b.bins.iter().map(|x| x.1).sum::<f64>(), 5.0);
        assert_eq!(index[0], index[1]);
        assert_ne!(index[0], index[2]);
        assert_eq!(b.bins[index[3]].0, 0.0);
    }
}
