//! Exact expectations on the team's clock: `E[f(C)]` where the calendar
//! delay `C(a, W) = to_calendar(to_working(a) + W) − a` depends on the
//! arrival time `a` (drawn from the segment's arrival profile) and the
//! working-time delay `W`.
//!
//! The working clock is piecewise linear, so for an arrival `a` the delay
//! splits into one piece per open interval `k` after `a`: while the
//! response falls in interval `k`, `C = c_k + W` with `c_k` constant. The
//! inner expectation over `W` is a sum over those pieces (adaptive
//! Gauss-Kronrod on `g(W) f(c_k + W)`, cut where the delay's tail mass is
//! below 1e-16); the outer integral over `a` is adaptive Gauss-Kronrod
//! between the points where the arrival density or the clock's slope
//! changes (and, for delays with atoms, where a response crosses the end of
//! a shift). Holidays and daylight-saving changes only move the intervals,
//! so a dated calendar is the same finite sum over its dates. Without
//! business hours, or when they change nothing ([`BusinessHours::is_neutral`]),
//! every function here returns exactly what the calendar-time function does.

// `!(x > 0.0)` is deliberate: it is true for NaN as well.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::f64::consts::PI;

use super::quadrature::Adaptive;
use super::warm::{warm_probability, warm_probability_within};
use super::work;
use crate::calendar::{Calendar, WEEK_HOURS};
use crate::model::business_hours::{BusinessHours, DelayClock, open_in_window};
use crate::model::decay::{DecayCurve, DecayShape};
use crate::model::follow_up::{DelayDistribution, DelayShape};
use crate::model::segment::Segment;
use crate::special::{ln_gamma, ln_gamma_kernel};

/// The most atoms for which shift ends become breakpoints of the outer
/// integral (more atoms: adaptive bisection finds the jumps).
const MAX_ATOM_BREAKPOINTS: usize = 64;

/// `E[f(C)]` for a segment: the probability that a worked SQL is warm when
/// first worked, on the segment's business hours if it has any
/// ([`warm_probability`] otherwise, bit for bit).
pub fn segment_warm_probability(segment: &Segment) -> f64 {
    match segment.business_hours() {
        Some(hours) => warm_probability_at_work(segment.decay(), segment.follow_up().delay(), hours),
        None => warm_probability(segment.decay(), segment.follow_up().delay()),
    }
}

/// `P(S <= sla)` for a segment, `S` the delay on the SLA's clock: the first
/// figure of [`segment_within_sla`], bit for bit, without its second (an
/// integral of the decay curve that the expectation of SLA met does not need).
pub fn segment_sla_share(segment: &Segment, sla: f64) -> f64 {
    let delay = segment.follow_up().delay();
    match segment.business_hours() {
        Some(hours) if !hours.is_neutral() => match hours.sla_clock() {
            DelayClock::Working => delay.cdf(sla),
            _ => clamp(expect(
                hours,
                delay,
                |_| 1.0,
                &Kinks::default(),
                Some(Cap::Calendar(sla)),
            )),
        },
        _ => delay.cdf(sla),
    }
}

/// `(P(S <= sla), E[f(C) · 1{S <= sla}])` for a segment, `S` the delay on
/// the SLA's clock: the share of worked SQLs first worked within the SLA,
/// and of those warm then.
pub fn segment_within_sla(segment: &Segment, sla: f64) -> (f64, f64) {
    let (decay, delay) = (segment.decay(), segment.follow_up().delay());
    match segment.business_hours() {
        Some(hours) if !hours.is_neutral() => match hours.sla_clock() {
            DelayClock::Working => (
                segment_sla_share(segment, sla),
                expect(
                    hours,
                    delay,
                    |c| decay.evaluate(c),
                    &decay_kinks(decay),
                    Some(Cap::Working(sla)),
                ),
            ),
            _ => (
                segment_sla_share(segment, sla),
                expect(
                    hours,
                    delay,
                    |c| decay.evaluate(c),
                    &decay_kinks(decay),
                    Some(Cap::Calendar(sla)),
                ),
            ),
        },
        _ => (
            segment_sla_share(segment, sla),
            warm_probability_within(decay, delay, sla),
        ),
    }
}

/// `E[f(C)]` on business hours: the warm probability of an SQL whose
/// follow-up delay runs on `hours`' clock, averaged over its arrival time.
/// Relative error below 1e-9; in `[0, 1]`.
pub fn warm_probability_at_work(decay: &DecayCurve, delay: &DelayDistribution, hours: &BusinessHours) -> f64 {
    if hours.is_neutral() {
        return warm_probability(decay, delay);
    }
    clamp(expect(hours, delay, |c| decay.evaluate(c), &decay_kinks(decay), None))
}

/// The most kinks of a decay curve given to the inner integrals as break
/// points (a schedule with more periods in reach is left to adaptive
/// bisection).
const MAX_KINKS: usize = 1_024;

/// The calendar delays at which `decay` has a kink or a jump (sorted): the
/// inner integral over the delay is split there, so that Gauss-Kronrod
/// integrates smooth pieces. A fitted table of 30 points took a minute of
/// bisections per expectation without them (perf: 53 % of `calibrate
/// --calendar` in `table_value`).
pub(crate) fn decay_kinks(decay: &DecayCurve) -> Kinks {
    let at = match decay.shape() {
        DecayShape::Step { shelf_life } | DecayShape::Linear { shelf_life } => vec![*shelf_life],
        DecayShape::Table { points } => points
            .iter()
            .map(|p| p.0)
            .filter(|&t| t > 0.0)
            .take(MAX_KINKS)
            .collect(),
        DecayShape::Schedule { period, .. } => (1..=MAX_KINKS).map(|k| k as f64 * period).collect(),
        _ => Vec::new(),
    };
    // A table holds its last value for ever: past its last point the rest
    // of the delay's mass counts at that value, in one step. Without, a
    // fitted table whose last value is above 0 walked every working day
    // until the delay's mass ran out (about 24,000 days for a lognormal
    // with sigma 1.2: 311 s for one expectation, 96 % of `calibrate
    // --calendar` at 10,000 rows).
    let flat_from = match decay.shape() {
        DecayShape::Table { points } => points.last().map(|p| p.0),
        _ => None,
    };
    Kinks { at, flat_from }
}

/// Where a value function of the calendar delay is not smooth: its kinks
/// (sorted), and the delay from which it is constant, if it is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Kinks {
    at: Vec<f64>,
    flat_from: Option<f64>,
}

impl std::ops::Deref for Kinks {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.at
    }
}

/// Rounding into `[0, 1]`; NaN stays NaN, so that a report carrying it is
/// an error (`Simulation::run` refuses a NaN expectation, naming it), never
/// 0 customers.
fn clamp(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// An SLA bound on the working delay `W` or on the calendar delay `C`.
#[derive(Clone, Copy)]
pub(crate) enum Cap {
    Working(f64),
    Calendar(f64),
}

/// `E[value(C) · 1{within cap}]` over the arrival profile and the delay.
fn expect(
    hours: &BusinessHours,
    delay: &DelayDistribution,
    value: impl Fn(f64) -> f64,
    kinks: &Kinks,
    cap: Option<Cap>,
) -> f64 {
    let mut total = 0.0;
    expect_pieces(hours, delay, value, kinks, cap, &[], |_, _, part| total += part);
    total
}

/// `E[value(C) · 1{a in [lo, hi)}]` for consecutive arrival intervals
/// `[lo, hi)` that cover the arrival window, each passed to `sink` as `(lo,
/// hi, part)` in order; every point of `extra` inside the window is an
/// interval boundary. `kinks` (sorted) are the calendar delays where
/// `value` is not smooth ([`decay_kinks`]). The parts sum to [`expect`]'s value (bit for bit
/// when `extra` is empty).
///
/// The work is bounded by [`BUDGET`]: past it, the parts are NaN, which
/// every caller refuses with an error naming the figure.
pub(crate) fn expect_pieces(
    hours: &BusinessHours,
    delay: &DelayDistribution,
    value: impl Fn(f64) -> f64,
    kinks: &Kinks,
    cap: Option<Cap>,
    extra: &[f64],
    sink: impl FnMut(f64, f64, f64),
) {
    work::within(BUDGET, || {
        expect_pieces_unbounded(hours, delay, value, kinks, cap, extra, sink)
    });
}

/// The units of work ([`work`]) one business-hours expectation may take:
/// about three seconds. A follow-up far shorter than a working day with a
/// very wide spread (a log-normal of median 4e-8 h and sigma 3.6), or far
/// longer than any shelf life of interest (a gamma of mean 1e6 working
/// hours), would otherwise cost minutes; the fuzzer found both. The
/// costliest legitimate expectation in the tests, a fitted table decay with
/// a gamma follow-up of shape 1.019 (`tests/calibrate_clock.rs`), takes
/// 26 M units, 2.6 times less.
pub(crate) const BUDGET: u64 = 1 << 26;

fn expect_pieces_unbounded(
    hours: &BusinessHours,
    delay: &DelayDistribution,
    value: impl Fn(f64) -> f64,
    kinks: &Kinks,
    cap: Option<Cap>,
    extra: &[f64],
    mut sink: impl FnMut(f64, f64, f64),
) {
    let calendar = hours.calendar();
    let atoms: Option<&[f64]> = match delay.shape() {
        DelayShape::Fixed { delay } => Some(std::slice::from_ref(delay)),
        DelayShape::Uniform { min, max } if min == max => Some(std::slice::from_ref(min)),
        DelayShape::Empirical { samples } => Some(samples),
        _ => None,
    };
    let mass = MassPoints::of(delay);
    // A calendar-clock delay (business hours only for an auto-response)
    // does not depend on the arrival time, only on whether the team is off
    // then: two numbers, and the outer integral is of a step function.
    let off_hours_law = (atoms.is_none() && hours.delay_clock() == DelayClock::Calendar).then(|| {
        let at = |floor| continuous_at(None, delay, 0.0, &value, kinks, &mass, cap, floor);
        (at(None), at(hours.auto_response().map(|r| r.get())))
    });
    let h = |a: f64| match (atoms, off_hours_law) {
        (Some(atoms), _) => atoms_at(hours, atoms, a, &value, cap),
        (None, Some((at_work, off))) => {
            if hours.auto_response_at(a).is_some() {
                off
            } else {
                at_work
            }
        }
        (None, None) => continuous_at(
            Some(calendar),
            delay,
            a,
            &value,
            kinks,
            &mass,
            cap,
            hours.auto_response_at(a),
        ),
    };
    let window = crate::model::business_hours::arrival_window(calendar);
    let mut edges: Vec<f64> = open_in_window(calendar, window)
        .into_iter()
        .flat_map(|(s, e)| [s, e])
        .chain(extra.iter().copied())
        .collect();
    if let Some(atoms) = atoms.filter(|atoms| atoms.len() <= MAX_ATOM_BREAKPOINTS) {
        // A response crosses the end of a shift where to_working(a) + d is a
        // shift's working_after: a discontinuity of C in a.
        for &d in atoms {
            for (_, end) in open_in_window(calendar, window + d + WEEK_HOURS) {
                let w = calendar.to_working(end) - d;
                if w >= 0.0 {
                    edges.push(calendar.to_calendar(w));
                }
            }
        }
    }
    for piece in hours.pieces() {
        let mut points: Vec<f64> = edges
            .iter()
            .copied()
            .filter(|&x| x > piece.start && x < piece.end)
            .chain([piece.start, piece.end])
            .collect();
        points.sort_by(f64::total_cmp);
        points.dedup();
        let density = piece.probability / (piece.end - piece.start);
        let singular = singular_gamma(delay).filter(|_| atoms.is_none());
        for pair in points.windows(2) {
            let (lo, hi) = (pair[0], pair[1]);
            let integral = match singular {
                // An arrival at `a` just before a shift ends leaves it
                // `(end - a)` to answer in: `h` goes as `(end - a)^k`, so
                // `a = hi - u^(1/k)` makes it smooth in `u` (without, the
                // bisection towards every shift's end ran to its depth).
                Some((k, _, _)) => {
                    let in_u = |u: f64| {
                        let s = u.powf(1.0 / k);
                        h(hi - s) * s / u / k
                    };
                    Adaptive::new(&in_u).integrate(0.0, (hi - lo).powf(k), 1e-13 * (hi - lo))
                }
                None => Adaptive::new(&h).integrate(lo, hi, 1e-13 * (hi - lo)),
            };
            sink(lo, hi, density * integral);
        }
    }
}

/// `E_W[value(contact delay) · 1{team's delay within cap}]` over equally
/// likely atoms `d`.
fn atoms_at(hours: &BusinessHours, atoms: &[f64], a: f64, value: &impl Fn(f64) -> f64, cap: Option<Cap>) -> f64 {
    let floor = hours.auto_response_at(a);
    let sum: f64 = atoms
        .iter()
        .map(|&d| {
            let c = hours.calendar_delay(a, d);
            let within = match cap {
                None => true,
                Some(Cap::Working(s)) => d <= s,
                Some(Cap::Calendar(s)) => c <= s,
            };
            let contact = floor.map_or(c, |r| c.min(r));
            if within { value(contact) } else { 0.0 }
        })
        .sum();
    sum / atoms.len() as f64
}

/// `E_W[value(min(C(a, W), floor)) · 1{within cap}]` for a delay law with a
/// density; `value` non-increasing (a decay curve, or a constant). `map`
/// is the working clock the delay runs on (`None`: the calendar clock, `C =
/// W`); `floor` the auto-response's delay when `a` is off hours; the cap
/// bounds the team's delay `W` or `C`, not the floor.
#[allow(clippy::too_many_arguments)]
fn continuous_at(
    map: Option<&Calendar>,
    delay: &DelayDistribution,
    a: f64,
    value: &impl Fn(f64) -> f64,
    kinks: &Kinks,
    mass: &MassPoints,
    cap: Option<Cap>,
    floor: Option<f64>,
) -> f64 {
    // Past the point where `value` is constant, min(C, flat) counts the
    // same as C: a floor there changes nothing but where the walk stops.
    let floor = match (floor, kinks.flat_from) {
        (Some(r), Some(flat)) => Some(r.min(flat)),
        (r, flat) => r.or(flat),
    };
    let w = map.map_or(a, |calendar| calendar.to_working(a));
    let (support_lo, support_hi) = match *delay.shape() {
        DelayShape::Uniform { min, max } => (min, max),
        _ => (0.0, f64::INFINITY),
    };
    // The working delay at which the cap binds: P(W in (x, w_cap]) is the
    // mass of the team's delays beyond x still within the cap.
    let w_cap = match cap {
        None => f64::INFINITY,
        Some(Cap::Working(s)) => s,
        Some(Cap::Calendar(s)) => map.map_or(a + s, |calendar| calendar.to_working(a + s)) - w,
    };
    let mass_beyond = |x: f64| {
        let upto = if w_cap.is_finite() { delay.cdf(w_cap) } else { 1.0 };
        (upto - delay.cdf(x)).max(0.0)
    };
    // On the calendar clock the delay is one stretch; cut into weeks so the
    // walk below stops where the mass or the value runs out.
    let stretches: Box<dyn Iterator<Item = (f64, f64, f64)>> = match map {
        Some(calendar) => Box::new(intervals_after(calendar, a)),
        None => Box::new((0u64..).map(move |n| {
            let start = a + n as f64 * WEEK_HOURS;
            (start, start + WEEK_HOURS, start)
        })),
    };
    let mut total = 0.0;
    for (start, end, before) in stretches {
        work::charge(1);
        if work::exhausted() {
            return f64::NAN;
        }
        let after = before + (end - start);
        let c = start - before + w - a;
        let lo = (before - w).max(0.0).max(support_lo);
        let mut hi = (after - w).min(support_hi);
        match cap {
            Some(Cap::Working(s)) if lo > s => break,
            Some(Cap::Calendar(s)) if c + lo > s => break,
            Some(Cap::Working(s)) => hi = hi.min(s),
            Some(Cap::Calendar(s)) => hi = hi.min(s - c),
            None => {}
        }
        // From the auto-response on, the buyer has been contacted: every
        // later follow-up counts at the floor's value.
        let mut at_floor = false;
        if let Some(r) = floor {
            if c + lo >= r {
                total += value(r) * mass_beyond(lo);
                break;
            }
            if c + hi > r {
                hi = r - c;
                at_floor = true;
            }
        }
        // What is left is at most value(c + lo) · P(W > lo): `value` is
        // non-increasing in the calendar delay (a decay curve, or 1 under a
        // calendar cap). Stopping where the decay has gone cold, not only
        // where the delay's mass has run out, bounds the cost of a slow
        // working-clock follow-up: a mean of 1,000 working hours walked
        // about 5,000 working days per arrival point (25 min in the fuzzer).
        let left = 1.0 - delay.cdf(lo);
        if lo >= support_hi || left < 1e-17 || value(c + lo) * left < 1e-17 {
            break;
        }
        if hi > lo {
            let integrand = |x: f64| density(delay, x) * value(c + x);
            // Between the kinks of `value` in (lo, hi), in x = kink - c,
            // and where the delay's mass is when it is narrow.
            let first = kinks.partition_point(|&k| k - c <= lo);
            let kink_cuts = kinks[first..].iter().map(|&k| k - c).take_while(|&x| x < hi);
            let piece = |from: f64, to: f64| match singular_gamma(delay).or_else(|| {
                // A shape just above 1 is as hard from x = 0: x^(k-1) has
                // an infinite slope there (a fitted shape of 1.019 cost 20 s).
                (from == 0.0).then(|| rough_gamma(delay)).flatten()
            }) {
                // x = t^(1/k): x^(k-1) dx = dt / k, so the
                // integrand is smooth in t (it is infinite at x = 0).
                Some((k, theta, ln_norm)) => {
                    let in_t = |t: f64| {
                        let x = t.powf(1.0 / k);
                        (-x / theta - ln_norm).exp() * value(c + x)
                    };
                    Adaptive::new(&in_t).integrate(from.powf(k), to.powf(k), 1e-15)
                }
                None => Adaptive::new(&integrand).integrate(from, to, 1e-15),
            };
            let mut from = lo;
            let mut step = |to: f64| {
                if to > from {
                    total += piece(from, to);
                }
                from = to;
            };
            if mass.cuts(lo, hi) {
                // Rare (a delay far shorter than the stretch): sorted with
                // the delay's mass points.
                let mut cuts: Vec<f64> = kink_cuts.chain(mass.within(lo, hi)).collect();
                cuts.sort_by(f64::total_cmp);
                cuts.into_iter().chain([hi]).for_each(&mut step);
            } else {
                kink_cuts.chain([hi]).for_each(&mut step);
            }
        }
        if at_floor {
            total += floor.map_or(0.0, |r| value(r) * mass_beyond(hi));
            break;
        }
    }
    total
}

/// Where a delay law's mass lies: a few of its quantiles, from the 0.001
/// quantile out to where a survival of 1e-15 is left. A follow-up far
/// faster than the working day (an exponential of mean 1e-6 h in a 9-to-5
/// shift) puts all its mass in a sliver that Gauss-Kronrod's nodes over the
/// shift never touch: the adaptive rule saw 0 and agreed with itself, and
/// the warm probability came out 6e-62 instead of about 1 (the long fuzz
/// campaign, seed 1, case 4655). Cutting the shift at these points puts
/// nodes where the mass is.
pub(crate) struct MassPoints {
    points: Vec<f64>,
    median: f64,
}

impl MassPoints {
    /// The lower and upper tail probabilities cut at.
    const LOWER: [f64; 2] = [1e-3, 0.5];
    const SURVIVAL: [f64; 5] = [1e-3, 1e-6, 1e-9, 1e-12, 1e-15];

    fn of(delay: &DelayDistribution) -> MassPoints {
        let quantile = |p: f64| delay.quantile(p).ok().map(|q| q.get()).filter(|q| q.is_finite());
        let mut points: Vec<f64> = Self::LOWER
            .into_iter()
            .chain(Self::SURVIVAL.map(|s| 1.0 - s))
            .filter_map(quantile)
            .filter(|&q| q > 0.0)
            .collect();
        points.sort_by(f64::total_cmp);
        points.dedup();
        let median = quantile(0.5).unwrap_or(f64::INFINITY);
        MassPoints { points, median }
    }

    /// Whether the stretch `(lo, hi)` is cut at the mass points: when the
    /// delay's median is under 1/16 of it. A wider law is resolved by the
    /// adaptive rule as it is (and its results stay bit for bit).
    fn cuts(&self, lo: f64, hi: f64) -> bool {
        hi - lo > 16.0 * self.median && self.points.iter().any(|&x| x > lo && x < hi)
    }

    /// The mass points in `(lo, hi)`, in order.
    fn within(&self, lo: f64, hi: f64) -> impl Iterator<Item = f64> + '_ {
        self.points.iter().copied().filter(move |&x| x > lo && x < hi)
    }
}

/// `(k, θ, ln(k Γ(k) θ^k))` of a gamma delay with shape `k < 1`, whose
/// density `x^(k-1) e^(-x/θ) / (Γ(k) θ^k)` is infinite at 0, where every
/// arrival's first working stretch starts: integrated in `t = x^k`, where
/// it is `e^(-x/θ) / (k Γ(k) θ^k)`. Adaptive bisection towards the
/// singularity took minutes per expectation at shape 0.2 (perf: 48 % in
/// `density` and `ln`), and is not needed.
fn singular_gamma(delay: &DelayDistribution) -> Option<(f64, f64, f64)> {
    gamma_in_power(delay, |shape| shape < 1.0)
}

/// [`singular_gamma`]'s constants for a gamma delay of shape in `(1, 2)`,
/// whose density is finite at 0 but not smooth there: `x^(k-1)` has an
/// infinite slope at 0, and adaptive bisection towards it from every
/// working stretch that starts at the arrival took seconds per arrival
/// point (a fitted shape of 1.019 on a working clock: 20 s for one
/// expectation). In `t = x^k` the integrand is smooth.
fn rough_gamma(delay: &DelayDistribution) -> Option<(f64, f64, f64)> {
    gamma_in_power(delay, |shape| shape > 1.0 && shape < 2.0)
}

/// `(k, θ, ln(k Γ(k) θ^k))` of a gamma delay whose shape `k` is `wanted`.
fn gamma_in_power(delay: &DelayDistribution, wanted: impl Fn(f64) -> bool) -> Option<(f64, f64, f64)> {
    match *delay.shape() {
        DelayShape::Gamma { mean, shape } if wanted(shape) => {
            let theta = mean / shape;
            Some((shape, theta, shape.ln() + ln_gamma(shape) + shape * theta.ln()))
        }
        _ => None,
    }
}

/// The density of a delay law with one, at `x > 0`.
fn density(delay: &DelayDistribution, x: f64) -> f64 {
    if !(x > 0.0) {
        return 0.0;
    }
    match *delay.shape() {
        DelayShape::Exponential { mean } => (-x / mean).exp() / mean,
        DelayShape::Gamma { mean, shape } => ln_gamma_kernel(shape, x * shape / mean).exp() / x,
        DelayShape::LogNormal { median, sigma } => {
            let z = (x / median).ln() / sigma;
            (-0.5 * z * z).exp() / (x * sigma * (2.0 * PI).sqrt())
        }
        DelayShape::Uniform { min, max } if x >= min && x <= max => 1.0 / (max - min),
        _ => 0.0,
    }
}

/// The open intervals `(start, end, working_before)` in absolute calendar
/// time that end after `t`, in order, forever.
fn intervals_after(calendar: &Calendar, t: f64) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
    let table = calendar.open_intervals();
    let first = table.partition_point(|iv| iv.end <= t);
    let (from, week) = calendar.repeating_week().unwrap_or((0.0, &[]));
    let w_from = calendar.to_working(from);
    let per_week: f64 = week.iter().map(|iv| iv.end - iv.start).sum();
    let first_week = if t > from {
        ((t - from) / WEEK_HOURS).floor() as u64
    } else {
        0
    };
    let tail = (first_week..).flat_map(move |n| {
        let offset = from + n as f64 * WEEK_HOURS;
        let worked = w_from + n as f64 * per_week;
        week.iter()
            .map(move |iv| (offset + iv.start, offset + iv.end, worked + iv.working_before))
    });
    table[first..]
        .iter()
        .map(|iv| (iv.start, iv.end, iv.working_before))
        .chain(tail)
        .filter(move |&(_, end, _)| end > t)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::model::business_hours::{Arrivals, DelayClock};
    use crate::model::duration::Hours;

    #[test]
    fn a_gamma_follow_up_of_shape_just_above_one_costs_little_on_a_working_clock() {
        // `calibrate --calendar` fitted a gamma of shape 1.019 to an
        // exponential truth: x^0.019 has an infinite slope at 0, where
        // every arrival's first working stretch starts, and one expectation
        // cost 126 M units of work (20 s). Integrated in t = x^k from 0 it
        // costs 4.6 M, and the result is the same.
        let hours = BusinessHours::new(
            Calendar::office().with_time_zone("Europe/Berlin").unwrap(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Calendar,
        )
        .unwrap();
        let decay = DecayCurve::exponential(Hours::new(53.13).unwrap()).unwrap();
        let p = |shape: f64| {
            let delay = DelayDistribution::gamma(Hours::new(2.998).unwrap(), shape).unwrap();
            let before = work::used();
            let p = warm_probability_at_work(&decay, &delay, &hours);
            (p, work::used() - before)
        };
        let (rough, cost) = p(1.019);
        assert!(cost < 1 << 23, "{cost} units");
        // Continuous in the shape: between its neighbours at 1 and 1.04,
        // which take other paths (exponential; and a smooth enough density).
        let ((one, _), (more, _)) = (p(1.0), p(1.04));
        assert!((rough - one) * (more - rough) >= 0.0, "{one} {rough} {more}");
        assert!((rough - one).abs() < 2e-3, "{one} {rough}");
    }

    #[test]
    fn a_nan_expectation_stays_nan_and_is_never_rounded_to_zero() {
        // Issue 14 finding 3: a NaN was turned into 0 customers.
        assert!(clamp(f64::NAN).is_nan());
        assert_eq!(clamp(-1e-17), 0.0);
        assert_eq!(clamp(1.0 + 1e-15), 1.0);
    }

    #[test]
    fn a_follow_up_far_faster_than_a_shift_is_not_lost_between_the_nodes() {
        // The long fuzz campaign's case 4655 (seed 1): an exponential
        // follow-up of mean 1e-6 working hours on a 9-17 weekday calendar.
        // The mass sat in a sliver no Gauss-Kronrod node of the shift
        // touched: 6e-62 where an answer at the next opening (a fixed delay
        // of the same mean) is the truth to within the decay's slope times
        // the mean.
        let hours = BusinessHours::new(
            Calendar::office(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Working,
        )
        .unwrap();
        let decay = DecayCurve::consumer();
        for mean in [1e-9, 1e-6, 1e-3] {
            let fast = DelayDistribution::exponential(Hours::new(mean).unwrap()).unwrap();
            let fixed = DelayDistribution::fixed(Hours::new(mean).unwrap()).unwrap();
            let (p, truth) = (
                warm_probability_at_work(&decay, &fast, &hours),
                warm_probability_at_work(&decay, &fixed, &hours),
            );
            assert!(truth > 0.5, "{truth}");
            // Linear over 24 h: f moves by at most mean / 24 per SQL, and
            // the exponential's spread is its mean.
            assert!(
                (p - truth).abs() <= 2.0 * mean / 24.0 + 1e-12,
                "mean {mean}: {p} vs {truth}"
            );
        }
    }

    #[test]
    fn a_slow_working_clock_follow_up_costs_a_bounded_number_of_evaluations() {
        // The long fuzz campaign's case 978 (seed 2): the consumer decay, an
        // exponential follow-up of mean 1,000 working hours on a 9-17
        // weekday calendar. Each arrival point walked about 5,000 working
        // days, to where the delay's mass ran out, though the decay was cold
        // after the first: 25 minutes for one expectation. Now the walk stops
        // once value x mass left is below 1e-17.
        let hours = BusinessHours::new(
            Calendar::office(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Working,
        )
        .unwrap();
        let decay = DecayCurve::consumer();
        let calls = Cell::new(0u64);
        let mut counts = vec![];
        for mean in [10.0, 1e3, 1e6, 1e9] {
            let delay = DelayDistribution::exponential(Hours::new(mean).unwrap()).unwrap();
            calls.set(0);
            let p = expect(
                &hours,
                &delay,
                |c| {
                    calls.set(calls.get() + 1);
                    // Over budget: fail now rather than run for years.
                    assert!(
                        counts.is_empty() || calls.get() <= 3 * counts[0],
                        "mean {mean}: over budget"
                    );
                    decay.evaluate(c)
                },
                &decay_kinks(&decay),
                None,
            );
            assert!((0.0..=1.0).contains(&p), "mean {mean}: {p}");
            counts.push(calls.get());
        }
        // The cost does not grow with the mean delay (it grew in proportion,
        // and a mean of 1e9 h would have taken years).
        assert!(counts[1..].iter().all(|&n| n <= 3 * counts[0]), "{counts:?}");
    }

    #[test]
    fn a_table_decay_that_stays_warm_costs_no_more_than_one_that_goes_cold() {
        // `calibrate --calendar`'s fitted table kept 0.1 past its last
        // point: each arrival point walked ~24,000 working days to where a
        // lognormal delay's mass ran out (311 s for one expectation). A
        // table ending at 0 stopped at once; one ending warm now costs the
        // same, its flat tail counted in one step.
        let hours = BusinessHours::new(
            Calendar::office(),
            Arrivals::Always,
            DelayClock::Working,
            DelayClock::Working,
        )
        .unwrap();
        let delay = DelayDistribution::lognormal(Hours::new(8.0).unwrap(), 1.2).unwrap();
        let calls = |last: f64| {
            let decay =
                DecayCurve::table(&[(Hours::new(24.0).unwrap(), 0.5), (Hours::new(90.0).unwrap(), last)]).unwrap();
            let count = Cell::new(0u64);
            let p = expect(
                &hours,
                &delay,
                |c| {
                    count.set(count.get() + 1);
                    assert!(count.get() < 100_000_000, "over budget");
                    decay.evaluate(c)
                },
                &decay_kinks(&decay),
                None,
            );
            assert!((0.0..=1.0).contains(&p), "{p}");
            count.get()
        };
        let (cold, warm) = (calls(0.0), calls(0.1));
        assert!(warm <= 3 * cold, "{warm} evaluations against {cold}");
    }
}
