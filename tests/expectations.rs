//! Exact expectations `E[f(D)]` and `E[f(D) 1{D <= x}]` against an
//! independent tanh-sinh quadrature of `∫ f(t) g(t) dt`, against Monte Carlo
//! with fixed seeds, and against known values.

use std::f64::consts::{LN_2, PI};

use lead_decay::exact::{warm_probability, warm_probability_within};
use lead_decay::{DecayCurve, DecayShape, DelayDistribution, DelayShape, Hours};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

/// Two parameter sets per decay shape: Weibull with k < 1 and k > 1, a table
/// with a flat tail above 0 and one that reaches 0.
fn decays() -> Vec<DecayCurve> {
    vec![
        DecayCurve::step(h(24.0)).unwrap(),
        DecayCurve::step(h(5.0)).unwrap(),
        DecayCurve::b2b_industrial(),
        DecayCurve::consumer_afternoon(),
        DecayCurve::exponential(h(12.0)).unwrap(),
        DecayCurve::exponential(h(100.0)).unwrap(),
        DecayCurve::weibull(h(30.0), 0.5).unwrap(),
        DecayCurve::weibull(h(10.0), 2.5).unwrap(),
        DecayCurve::table(&[(h(2.0), 0.8), (h(24.0), 0.4), (h(72.0), 0.25)]).unwrap(),
        DecayCurve::table(&[(h(1.0), 0.5), (h(10.0), 0.0)]).unwrap(),
        DecayCurve::schedule(0.5, h(24.0)).unwrap(),
        DecayCurve::schedule(0.2, h(6.0)).unwrap(),
        DecayCurve::inbound_web(),
    ]
}

/// Two parameter sets per delay family, including a lognormal with a large
/// sigma, a gamma with shape < 1, and atoms exactly at a step's shelf life.
fn delays() -> Vec<DelayDistribution> {
    vec![
        DelayDistribution::fixed(h(6.0)).unwrap(),
        DelayDistribution::fixed(h(24.0)).unwrap(),
        DelayDistribution::exponential(h(8.0)).unwrap(),
        DelayDistribution::exponential(h(60.0)).unwrap(),
        DelayDistribution::lognormal(h(10.0), 0.8).unwrap(),
        DelayDistribution::lognormal(h(5.0), 2.5).unwrap(),
        DelayDistribution::gamma(h(20.0), 0.4).unwrap(),
        DelayDistribution::gamma(h(30.0), 6.0).unwrap(),
        DelayDistribution::uniform(Hours::ZERO, h(48.0)).unwrap(),
        DelayDistribution::uniform(h(10.0), h(30.0)).unwrap(),
        DelayDistribution::empirical(&[h(0.0), h(1.5), h(3.0), h(24.0), h(24.0), h(100.0), h(400.0)]).unwrap(),
        DelayDistribution::empirical(&[h(5.0), h(9.5)]).unwrap(),
    ]
}

const HORIZONS: [f64; 4] = [0.0, 6.0, 30.0, f64::INFINITY];

// ---------------------------------------------------------------------------
// Independent reference: tanh-sinh quadrature of ∫ f(t) g(t) dt
// ---------------------------------------------------------------------------

/// Tanh-sinh (double-exponential) quadrature on [a, b], refined until two
/// levels agree to 1e-15.
fn tanh_sinh(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let half = 0.5 * (b - a);
    let mut step = 1.0;
    let mut sum = 0.5 * PI * f(a + half);
    let mut previous = f64::INFINITY;
    for level in 0..12 {
        let mut k = 1;
        loop {
            let tau = k as f64 * step;
            let u = 0.5 * PI * tau.sinh();
            let cu = u.cosh();
            let off = 1.0 / (u.exp() * cu); // 1 - tanh(u), without cancellation
            let weight = 0.5 * PI * tau.cosh() / (cu * cu);
            if weight < 1e-300 || off == 0.0 {
                break;
            }
            sum += weight * (f(a + half * off) + f(b - half * off));
            k += if level == 0 { 1 } else { 2 };
        }
        let estimate = sum * step * half;
        if level >= 3 && (estimate - previous).abs() <= 1e-15 * estimate.abs() {
            return estimate;
        }
        previous = estimate;
        step *= 0.5;
    }
    previous
}

fn density(delay: &DelayDistribution, t: f64) -> f64 {
    if !(t > 0.0 && t.is_finite()) {
        return 0.0;
    }
    match *delay.shape() {
        DelayShape::Exponential { mean } => (-t / mean).exp() / mean,
        DelayShape::Gamma { mean, shape } => {
            let theta = mean / shape;
            ((shape - 1.0) * t.ln() - t / theta - shape * theta.ln() - puruspe::gamma(shape).ln()).exp()
        }
        DelayShape::LogNormal { median, sigma } => {
            let z = (t / median).ln() / sigma;
            (-0.5 * z * z).exp() / (t * sigma * (2.0 * PI).sqrt())
        }
        DelayShape::Uniform { min, max } => {
            if t >= min && t <= max {
                1.0 / (max - min)
            } else {
                0.0
            }
        }
        _ => unreachable!("atoms have no density"),
    }
}

/// `E[f(D) 1{D <= x}]` by tanh-sinh between breakpoints (the curve's knots,
/// the horizon, and points spread over the delay's and the curve's scales),
/// with `t = T + T v/(1-v)` on the last, infinite piece; for atoms the plain
/// average.
fn reference(decay: &DecayCurve, delay: &DelayDistribution, x: f64) -> f64 {
    let atoms = match *delay.shape() {
        DelayShape::Fixed { delay } => Some(vec![delay]),
        DelayShape::Empirical { ref samples } => Some(samples.clone()),
        _ => None,
    };
    if let Some(atoms) = atoms {
        return atoms
            .iter()
            .map(|&d| if d <= x { decay.evaluate(d) } else { 0.0 })
            .sum::<f64>()
            / atoms.len() as f64;
    }
    let mut cuts = vec![0.0];
    match *decay.shape() {
        DecayShape::Step { shelf_life } | DecayShape::Linear { shelf_life } => cuts.push(shelf_life),
        DecayShape::Table { ref points } => cuts.extend(points.iter().map(|p| p.0)),
        DecayShape::Exponential { half_life } => {
            cuts.extend([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0].map(|m| m * half_life))
        }
        DecayShape::Weibull { scale, .. } => cuts.extend([0.01, 0.1, 0.5, 1.0, 2.0, 4.0].map(|m| m * scale)),
        // Every step, until (1 - rate)^k < 1e-18.
        DecayShape::Schedule { rate, period } => {
            let steps = (-18.0 * 10f64.ln() / (1.0 - rate).ln()).ceil() as u32;
            cuts.extend((1..=steps).map(|k| f64::from(k) * period))
        }
        _ => unreachable!(),
    }
    let mut upper = f64::INFINITY;
    match *delay.shape() {
        DelayShape::Exponential { mean } | DelayShape::Gamma { mean, .. } => {
            cuts.extend([1e-3, 1e-2, 0.1, 0.3, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0].map(|m| m * mean))
        }
        DelayShape::LogNormal { median, sigma } => cuts.extend((-8..=8).map(|j| median * (sigma * j as f64).exp())),
        DelayShape::Uniform { min, max } => {
            cuts.extend([min, max]);
            upper = max;
        }
        _ => unreachable!(),
    }
    upper = upper.min(x);
    if upper.is_finite() {
        cuts.push(upper);
    }
    cuts.retain(|&c| c <= upper);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let integrand = |t: f64| decay.evaluate(t) * density(delay, t);
    let mut total = 0.0;
    for pair in cuts.windows(2) {
        total += tanh_sinh(&integrand, pair[0], pair[1]);
    }
    if upper == f64::INFINITY {
        let last = *cuts.last().unwrap();
        let tail = |v: f64| {
            let t = last + last * v / (1.0 - v);
            let value = integrand(t);
            if value == 0.0 {
                0.0
            } else {
                value * last / ((1.0 - v) * (1.0 - v))
            }
        };
        total += tanh_sinh(&tail, 0.0, 1.0);
    }
    total
}

fn agree(exact: f64, reference: f64) -> bool {
    (exact - reference).abs() <= 1e-9 * reference.abs() + 1e-13
}

#[test]
fn every_curve_and_delay_agrees_with_independent_quadrature() {
    let mut worst: f64 = 0.0;
    for decay in &decays() {
        for delay in &delays() {
            for x in HORIZONS {
                let exact = warm_probability_within(decay, delay, x);
                let expected = reference(decay, delay, x);
                assert!(
                    agree(exact, expected),
                    "{decay} with {:?} within {x}: {exact} vs quadrature {expected} (diff {:e})",
                    delay.shape(),
                    exact - expected
                );
                if expected > 1e-6 {
                    worst = worst.max(((exact - expected) / expected).abs());
                }
            }
            assert_eq!(
                warm_probability(decay, delay),
                warm_probability_within(decay, delay, f64::INFINITY)
            );
        }
    }
    println!("worst relative difference from the reference quadrature: {worst:e}");
}

#[test]
fn weibull_with_uniform_falls_back_to_quadrature_where_the_closed_form_would_cancel() {
    let cases = [
        // k < 0.05: Γ(1 + 1/k) is huge.
        (
            DecayCurve::weibull(h(5.0), 0.03).unwrap(),
            DelayDistribution::uniform(h(1.0), h(40.0)).unwrap(),
        ),
        // A narrow uniform: P(1/k, ·) at both ends nearly equal.
        (
            DecayCurve::weibull(h(20.0), 1.5).unwrap(),
            DelayDistribution::uniform(h(10.0), h(10.001)).unwrap(),
        ),
        (
            DecayCurve::weibull(h(20.0), 0.7).unwrap(),
            DelayDistribution::uniform(h(0.0), h(1e-4)).unwrap(),
        ),
    ];
    for (decay, delay) in &cases {
        for x in [5.0, 10.0005, 30.0, f64::INFINITY] {
            let exact = warm_probability_within(decay, delay, x);
            let expected = reference(decay, delay, x);
            assert!(
                agree(exact, expected),
                "{decay} with {:?} within {x}: {exact} vs {expected}",
                delay.shape()
            );
        }
    }
}

/// `Ok` when `|mc - exact| <= 5 SE` (SE from the sample variance; plus 1e-9
/// for the rounding of a 200k-term sum when every sample is the same).
fn monte_carlo_agrees(samples: &[f64], exact: f64) -> Result<(), String> {
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let var = samples.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    if (mean - exact).abs() <= 5.0 * se + 1e-9 {
        Ok(())
    } else {
        Err(format!("monte carlo {mean} ± {se} vs exact {exact}"))
    }
}

/// `f(D_i) 1{D_i <= x}` for 200k draws per horizon in `HORIZONS`.
fn simulate(decay: &DecayCurve, delay: &DelayDistribution, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = vec![Vec::with_capacity(200_000); HORIZONS.len()];
    for _ in 0..200_000 {
        let d = delay.sample(&mut rng);
        let f = decay.evaluate(d);
        for (column, &x) in out.iter_mut().zip(&HORIZONS) {
            column.push(if d <= x { f } else { 0.0 });
        }
    }
    out
}

#[test]
fn every_curve_and_delay_agrees_with_monte_carlo() {
    let mut seed = 20_240_601;
    for decay in &decays() {
        for delay in &delays() {
            seed += 1;
            for (samples, x) in simulate(decay, delay, seed).iter().zip(HORIZONS) {
                let exact = warm_probability_within(decay, delay, x);
                monte_carlo_agrees(samples, exact)
                    .unwrap_or_else(|e| panic!("{decay} with {:?} within {x}: {e}", delay.shape()));
            }
        }
    }
}

#[test]
fn the_monte_carlo_check_rejects_an_error_of_one_percentage_point() {
    // 5 SE <= 5 × 0.5 / √200k = 0.0056 < 0.01, so every such error must show.
    for decay in &decays() {
        for delay in &delays()[2..10] {
            let samples = &simulate(decay, delay, 99)[3];
            let exact = warm_probability(decay, delay);
            for wrong in [exact - 0.01, exact + 0.01] {
                assert!(
                    monte_carlo_agrees(samples, wrong).is_err(),
                    "{decay} with {:?}: {wrong} passed",
                    delay.shape()
                );
            }
        }
    }
}

#[test]
fn exponential_decay_with_exponential_delay_is_one_over_one_plus_mean_ln2_over_half_life() {
    for (half_life, mean) in [(1.0, 1.0), (24.0, 48.0), (4.0, 0.25), (720.0, 3.0), (0.5, 500.0)] {
        let p = warm_probability(
            &DecayCurve::exponential(h(half_life)).unwrap(),
            &DelayDistribution::exponential(h(mean)).unwrap(),
        );
        let expected = 1.0 / (1.0 + mean * LN_2 / half_life);
        assert!((p - expected).abs() <= 1e-15 * expected, "{p} vs {expected}");
    }
    // Gamma delay: (1 + θ ln2 / h)^(-k).
    let p = warm_probability(
        &DecayCurve::exponential(h(10.0)).unwrap(),
        &DelayDistribution::gamma(h(30.0), 3.0).unwrap(),
    );
    assert!((p - (1.0 + 10.0 * LN_2 / 10.0f64).powf(-3.0)).abs() < 1e-15);
}

#[test]
fn immediate_follow_up_keeps_every_curve_warm() {
    for decay in &decays() {
        assert_eq!(warm_probability(decay, &DelayDistribution::immediate()), 1.0, "{decay}");
        assert_eq!(
            warm_probability_within(decay, &DelayDistribution::immediate(), 0.0),
            1.0,
            "{decay}"
        );
    }
}

#[test]
fn b2b_industrial_worked_after_fifteen_days_is_half_warm() {
    assert_eq!(
        warm_probability(
            &DecayCurve::b2b_industrial(),
            &DelayDistribution::fixed(h(360.0)).unwrap()
        ),
        0.5
    );
}

#[test]
fn a_step_is_cold_at_its_shelf_life_and_a_cdf_before() {
    let step = DecayCurve::step(h(24.0)).unwrap();
    assert_eq!(
        warm_probability(&step, &DelayDistribution::fixed(h(24.0)).unwrap()),
        0.0
    );
    assert_eq!(
        warm_probability(&step, &DelayDistribution::fixed(h(23.999)).unwrap()),
        1.0
    );
    let exp = DelayDistribution::exponential(h(10.0)).unwrap();
    assert!((warm_probability(&step, &exp) + (-2.4f64).exp_m1()).abs() < 1e-15);
    assert!((warm_probability_within(&step, &exp, 5.0) + (-0.5f64).exp_m1()).abs() < 1e-15);
}

#[test]
fn horizons_of_zero_nan_and_below_zero_count_only_delays_of_zero() {
    let decay = DecayCurve::consumer();
    for delay in &delays() {
        let at_zero = warm_probability_within(&decay, delay, 0.0);
        let atoms_at_zero = match *delay.shape() {
            DelayShape::Empirical { ref samples } => {
                samples.iter().filter(|&&d| d == 0.0).count() as f64 / samples.len() as f64
            }
            _ => 0.0,
        };
        assert_eq!(at_zero, atoms_at_zero, "{:?}", delay.shape());
        assert_eq!(warm_probability_within(&decay, delay, -1.0), 0.0);
        assert_eq!(warm_probability_within(&decay, delay, f64::NAN), 0.0);
    }
}

#[test]
fn extreme_parameters_give_finite_probabilities() {
    let curves = [
        DecayCurve::weibull(h(1.0), 0.01).unwrap(),
        DecayCurve::weibull(h(1e-6), 50.0).unwrap(),
        DecayCurve::weibull(h(1e6), 0.03).unwrap(),
        DecayCurve::exponential(h(1e-9)).unwrap(),
        DecayCurve::exponential(h(1e9)).unwrap(),
        DecayCurve::linear(h(1e-9)).unwrap(),
        DecayCurve::table(&[(h(1e-9), 0.9), (h(1e9), 0.1)]).unwrap(),
        DecayCurve::schedule(0.5, h(1e-9)).unwrap(),
        DecayCurve::schedule(1e-9, h(1e9)).unwrap(),
        DecayCurve::schedule(1.0, h(1e-9)).unwrap(),
    ];
    let delays = [
        DelayDistribution::lognormal(h(1e-6), 30.0).unwrap(),
        DelayDistribution::lognormal(h(1e6), 1e-12).unwrap(),
        DelayDistribution::gamma(h(1e-6), 1e-3).unwrap(),
        DelayDistribution::gamma(h(5.0), 1e7).unwrap(),
        // The largest shape and mean the constructors accept (issue 14).
        DelayDistribution::gamma(h(5.0), 1e10).unwrap(),
        DelayDistribution::uniform(h(1e-300), h(1e12)).unwrap(),
        DelayDistribution::uniform(h(5.0), h(5.0 + 1e-12)).unwrap(),
        DelayDistribution::exponential(h(1e12)).unwrap(),
    ];
    for decay in &curves {
        for delay in &delays {
            for x in [0.0, 1e-300, 1.0, 1e300, f64::INFINITY] {
                let p = warm_probability_within(decay, delay, x);
                assert!(
                    (0.0..=1.0).contains(&p),
                    "{decay} with {:?} within {x}: {p}",
                    delay.shape()
                );
            }
        }
    }
}

/// Prints the time per call of every curve × delay pair (release-like
/// profile: `cargo test --test expectations -- --ignored --nocapture`).
#[test]
#[ignore]
fn time_per_call() {
    for decay in &decays() {
        for delay in &delays() {
            let start = std::time::Instant::now();
            let mut sink = 0.0;
            let n = 2000;
            for i in 0..n {
                sink += warm_probability_within(decay, delay, if i % 2 == 0 { f64::INFINITY } else { 30.0 });
            }
            let per_call = start.elapsed().as_secs_f64() / n as f64;
            println!("{:>8.2} µs  {decay} / {:?} ({sink:.3})", per_call * 1e6, delay.shape());
        }
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn any_decay() -> impl Strategy<Value = DecayCurve> {
    prop_oneof![
        (0.5..2000.0).prop_map(|l| DecayCurve::step(h(l)).unwrap()),
        (0.5..2000.0).prop_map(|l| DecayCurve::linear(h(l)).unwrap()),
        (0.1..1000.0).prop_map(|hl| DecayCurve::exponential(h(hl)).unwrap()),
        (0.5..1000.0, 0.2..5.0).prop_map(|(s, k)| DecayCurve::weibull(h(s), k).unwrap()),
        proptest::collection::vec((0.1..300.0, 0.0..1.0), 1..5).prop_map(|steps| {
            let (mut t, mut f) = (0.0, 1.0);
            let points: Vec<(Hours, f64)> = steps
                .iter()
                .map(|&(dt, keep)| {
                    t += dt;
                    f *= keep;
                    (h(t), f)
                })
                .collect();
            DecayCurve::table(&points).unwrap()
        }),
        (0.05..1.0, 0.5..500.0).prop_map(|(r, p)| DecayCurve::schedule(r, h(p)).unwrap()),
    ]
}

fn any_delay() -> impl Strategy<Value = DelayDistribution> {
    prop_oneof![
        (0.0..2000.0).prop_map(|d| DelayDistribution::fixed(h(d)).unwrap()),
        (0.1..1000.0).prop_map(|m| DelayDistribution::exponential(h(m)).unwrap()),
        (0.1..1000.0, 0.05..3.0).prop_map(|(m, s)| DelayDistribution::lognormal(h(m), s).unwrap()),
        (0.1..1000.0, 0.1..50.0).prop_map(|(m, k)| DelayDistribution::gamma(h(m), k).unwrap()),
        (0.0..500.0, 0.0..500.0).prop_map(|(a, w)| DelayDistribution::uniform(h(a), h(a + w)).unwrap()),
        proptest::collection::vec(0.0..1000.0, 1..20)
            .prop_map(|s| DelayDistribution::empirical(&s.into_iter().map(h).collect::<Vec<_>>()).unwrap()),
    ]
}

/// The same delay with every time multiplied by `c`.
fn scaled(delay: &DelayDistribution, c: f64) -> DelayDistribution {
    let shape = match delay.shape().clone() {
        DelayShape::Fixed { delay } => DelayShape::Fixed { delay: delay * c },
        DelayShape::Exponential { mean } => DelayShape::Exponential { mean: mean * c },
        DelayShape::LogNormal { median, sigma } => DelayShape::LogNormal {
            median: median * c,
            sigma,
        },
        DelayShape::Gamma { mean, shape } => DelayShape::Gamma { mean: mean * c, shape },
        DelayShape::Uniform { min, max } => DelayShape::Uniform {
            min: min * c,
            max: max * c,
        },
        DelayShape::Empirical { samples } => DelayShape::Empirical {
            samples: samples.iter().map(|s| s * c).collect(),
        },
        other => unreachable!("{other:?}"),
    };
    DelayDistribution::new(shape).unwrap()
}

proptest! {
    #[test]
    fn more_delay_never_keeps_more_leads_warm(decay in any_decay(), delay in any_delay(), c in 1.0..10.0f64) {
        let slower = scaled(&delay, c);
        let p = warm_probability(&decay, &delay);
        let q = warm_probability(&decay, &slower);
        prop_assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&q));
        prop_assert!(q <= p + 1e-12 + 1e-10 * p, "{decay}: {p} then {q} after scaling by {c}");
    }

    #[test]
    fn a_later_horizon_never_counts_fewer_warm_leads(decay in any_decay(), delay in any_delay(), x in 0.0..3000.0f64, dx in 0.0..1000.0f64) {
        let total = warm_probability(&decay, &delay);
        let early = warm_probability_within(&decay, &delay, x);
        let late = warm_probability_within(&decay, &delay, x + dx);
        prop_assert!(early <= late + 1e-12 + 1e-10 * late, "{early} then {late}");
        prop_assert!(late <= total + 1e-12 + 1e-10 * total, "{late} above the total {total}");
    }
}
