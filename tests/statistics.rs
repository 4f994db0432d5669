//! Integration tests of the exactness and merge contract of `statistics`.

use lead_decay::statistics::{CountHistogram, ExactSum, Summary, ValueAccumulator};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, LogNormal, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

// ---------------------------------------------------------------- helpers

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut r = rng(seed);
    for i in (1..v.len()).rev() {
        v.swap(i, r.random_range(0..=i));
    }
}

/// Splits `0..len` at sorted cut points derived from `cuts`.
fn pieces(len: usize, cuts: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut points: Vec<usize> = cuts.iter().map(|&c| c % (len + 1)).collect();
    points.push(0);
    points.push(len);
    points.sort_unstable();
    points.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Every field compared by bit pattern (so `-0.0 != 0.0` here).
fn summary_bits(s: &Summary) -> [u64; 13] {
    [
        s.count,
        s.mean.to_bits(),
        s.std_dev.to_bits(),
        s.std_error.to_bits(),
        s.ci95_low.to_bits(),
        s.ci95_high.to_bits(),
        s.min.to_bits(),
        s.p05.to_bits(),
        s.p25.to_bits(),
        s.p50.to_bits(),
        s.p75.to_bits(),
        s.p95.to_bits(),
        s.max.to_bits(),
    ]
}

fn quantiles(s: &Summary) -> [f64; 7] {
    [s.min, s.p05, s.p25, s.p50, s.p75, s.p95, s.max]
}

/// Inverted-CDF quantiles of a sample, by sorting.
fn sorted_quantiles(values: &[f64]) -> [f64; 7] {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as u128;
    let at = |percent: u128| {
        let k = (percent * n).div_ceil(100).max(1);
        v[k as usize - 1] + 0.0 // -0.0 is reported as 0.0
    };
    [at(0), at(5), at(25), at(50), at(75), at(95), at(100)]
}

/// Neumaier-compensated f64 sum (an independent, accurate reference).
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for x in values {
        let t = sum + x;
        compensation += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

/// Direct two-pass mean and sample standard deviation in f64.
fn two_pass(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = compensated_sum(values.iter().copied()) / n;
    let ss = compensated_sum(values.iter().map(|x| (x - mean) * (x - mean)));
    (mean, (ss / (n - 1.0)).sqrt())
}

fn assert_close(got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs(),
        "got {got}, want {want} (relative error {})",
        ((got - want) / want).abs()
    );
}

fn values_acc(values: &[f64]) -> ValueAccumulator {
    let mut a = ValueAccumulator::new();
    values.iter().for_each(|&x| a.record(x));
    a
}

fn count_hist(values: &[u64]) -> CountHistogram {
    let mut h = CountHistogram::new();
    values.iter().for_each(|&x| h.record(x));
    h
}

fn exact_sum(values: &[f64]) -> ExactSum {
    let mut s = ExactSum::new();
    values.iter().for_each(|&x| s.add(x));
    s
}

/// Any finite f64, including subnormals, zeros of both signs and extremes.
fn any_finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64 as f;
    f::POSITIVE | f::NEGATIVE | f::NORMAL | f::SUBNORMAL | f::ZERO
}

/// Money-like values: zeros, negatives, magnitudes from 1e-3 to 1e12.
fn money() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(-0.0),
        8 => (-3.0f64..12.0, any::<bool>()).prop_map(|(e, neg)| {
            let x = 10f64.powf(e);
            if neg { -x } else { x }
        }),
        2 => (0u64..50).prop_map(|k| k as f64 * 100_000.0),
    ]
}

// ---------------------------------------------------------------- quantiles

#[test]
fn integer_samples_have_exact_quantiles() {
    let mut ints: Vec<u64> = (1..=100).collect();
    shuffle(&mut ints, 1);
    let floats: Vec<f64> = ints.iter().map(|&x| x as f64).collect();
    for s in [count_hist(&ints).summary(), values_acc(&floats).summary()] {
        assert_eq!(quantiles(&s), [1.0, 5.0, 25.0, 50.0, 75.0, 95.0, 100.0]);
        assert_eq!(s.mean, 50.5);
        assert_eq!(s.count, 100);
    }
}

#[test]
fn inverted_cdf_on_small_samples() {
    // n = 3: ranks 1, 1, 1, 2, 3, 3, 3.
    let s = values_acc(&[30.0, 10.0, 20.0]).summary();
    assert_eq!(quantiles(&s), [10.0, 10.0, 10.0, 20.0, 30.0, 30.0, 30.0]);
    // n = 2: the median is the lower value.
    let s = count_hist(&[8, 2]).summary();
    assert_eq!(quantiles(&s), [2.0, 2.0, 2.0, 2.0, 8.0, 8.0, 8.0]);
    // n = 20: p05 is the 1st value, p95 the 19th.
    let values: Vec<f64> = (1..=20).map(|x| f64::from(x) * 1.5).collect();
    let s = values_acc(&values).summary();
    assert_eq!((s.p05, s.p25, s.p50, s.p95), (1.5, 7.5, 15.0, 28.5));
}

#[test]
fn discrete_money_values_have_exact_quantiles() {
    let mut r = rng(2);
    let customers: Vec<u64> = (0..100_000)
        .map(|_| {
            let p = 0.03;
            (0..200).filter(|_| r.random_bool(p)).count() as u64
        })
        .collect();
    let revenue: Vec<f64> = customers.iter().map(|&c| c as f64 * 100_000.0).collect();
    let acc = values_acc(&revenue);
    let s = acc.summary();
    assert_eq!(quantiles(&s), sorted_quantiles(&revenue));
    // Deriving revenue from the customer histogram gives the same quantiles.
    let derived = count_hist(&customers).summary().affine(100_000.0, 0.0);
    assert_eq!(quantiles(&derived), quantiles(&s));
    assert_close(derived.mean, s.mean, 1e-15);
    assert_close(derived.std_dev, s.std_dev, 1e-14);
}

#[test]
fn lognormal_quantiles_within_bucket_width() {
    let dist = LogNormal::new(9.0, 2.0).unwrap();
    let mut r = rng(3);
    let values: Vec<f64> = (0..200_000).map(|_| dist.sample(&mut r)).collect();
    let s = values_acc(&values).summary();
    let exact = sorted_quantiles(&values);
    for (got, want) in quantiles(&s).into_iter().zip(exact) {
        assert_close(got, want, 2f64.powi(-12));
    }
    assert_eq!(s.min, exact[0]);
    assert_eq!(s.max, exact[6]);
}

#[test]
fn negative_and_zero_values() {
    let mut r = rng(4);
    let values: Vec<f64> = (0..10_001)
        .map(|i| match i % 4 {
            0 => 0.0,
            1 => -0.0,
            2 => -(r.random_range(1..1000) as f64) * 250.0,
            _ => r.random_range(1..1000) as f64 * 250.0,
        })
        .collect();
    let s = values_acc(&values).summary();
    let exact = sorted_quantiles(&values);
    assert_eq!(quantiles(&s).map(f64::to_bits), exact.map(f64::to_bits));
    let (mean, sd) = two_pass(&values);
    assert!((s.mean - mean).abs() <= 1e-12 * sd);
    assert_close(s.std_dev, sd, 1e-12);
}

#[test]
fn probability_at_least_counts_trials() {
    let mut r = rng(5);
    let values: Vec<u64> = (0..5000).map(|_| r.random_range(0..40)).collect();
    let h = count_hist(&values);
    for t in 0..45 {
        let brute = values.iter().filter(|&&x| x >= t).count() as f64 / values.len() as f64;
        assert_eq!(h.probability_at_least(t), brute, "threshold {t}");
    }
}

// ---------------------------------------------------------------- moments

#[test]
fn moments_match_two_pass() {
    let mut r = rng(6);
    let lognormal = LogNormal::new(12.0, 1.0).unwrap();
    let a: Vec<f64> = (0..100_000).map(|_| lognormal.sample(&mut r)).collect();
    // A large mean with a small spread defeats the naive Σx² formula.
    let narrow = Normal::new(1e7, 3.0).unwrap();
    let b: Vec<f64> = (0..100_000).map(|_| narrow.sample(&mut r)).collect();
    let c: Vec<f64> = (0..1000).map(|_| r.random_range(-1e-3..1e-3)).collect();
    for values in [a, b, c] {
        let s = values_acc(&values).summary();
        let (mean, sd) = two_pass(&values);
        // Relative to the spread too: the last sample has a mean near zero.
        assert!(
            (s.mean - mean).abs() <= 1e-12 * mean.abs().max(sd),
            "{} vs {mean}",
            s.mean
        );
        assert_close(s.std_dev, sd, 1e-12);
        assert_close(s.std_error, sd / (values.len() as f64).sqrt(), 1e-12);
        // The interval ends are rounded at the magnitude of the mean.
        let half_width = 1.959963984540054 * s.std_error;
        let slack = 2.0 * f64::EPSILON * s.mean.abs() + 1e-12 * half_width;
        assert!((s.ci95_high - s.mean - half_width).abs() <= slack);
        assert!((s.mean - s.ci95_low - half_width).abs() <= slack);
    }
    let counts: Vec<u64> = (0..50_000).map(|_| r.random_range(1000..1010)).collect();
    let floats: Vec<f64> = counts.iter().map(|&x| x as f64).collect();
    let s = count_hist(&counts).summary();
    let (mean, sd) = two_pass(&floats);
    assert_close(s.mean, mean, 1e-12);
    assert_close(s.std_dev, sd, 1e-12);
}

#[test]
fn exact_sum_cancellation_and_reference() {
    assert_eq!(exact_sum(&[1e16, 1.0, -1e16]).value(), 1.0);
    // Multiples of 1/1024 below 2^40 are exact in f64 and their sum is an
    // exact i128 multiple of 1/1024.
    let mut r = rng(7);
    let ks: Vec<i64> = (0..100_000)
        .map(|_| r.random_range(-(1i64 << 50)..1i64 << 50))
        .collect();
    let values: Vec<f64> = ks.iter().map(|&k| k as f64 / 1024.0).collect();
    let reference: i128 = ks.iter().map(|&k| i128::from(k)).sum();
    assert_eq!(exact_sum(&values).value(), reference as f64 / 1024.0);
}

#[test]
fn empty_accumulators() {
    assert_eq!(ValueAccumulator::new().summary(), Summary::default());
    assert_eq!(CountHistogram::new().summary(), Summary::default());
    assert_eq!(ExactSum::new().value(), 0.0);
    assert_eq!(Summary::default().count, 0);
    let mut a = ValueAccumulator::new();
    a.merge(&ValueAccumulator::new());
    assert_eq!(a.count(), 0);
    assert_eq!(a.summary(), Summary::default());
}

#[test]
fn coarsening_stays_bounded_and_order_independent() {
    let mut r = rng(8);
    let mut values: Vec<f64> = (0..30_000)
        .map(|_| {
            let x = 10f64.powf(r.random_range(-300.0..=300.0));
            if r.random_bool(0.5) { x } else { -x }
        })
        .collect();
    values.extend([1e-300, 1e300, -1e-300, -1e300, 0.0]);
    let whole = values_acc(&values);
    for (level, allocated) in whole.sketch_shape() {
        assert!(level > 0);
        assert!(allocated <= 1 << 20);
    }
    let s = whole.summary();
    assert_eq!((s.min, s.max), (-1e300, 1e300));
    let exact = sorted_quantiles(&values);
    for (got, want) in quantiles(&s).into_iter().zip(exact) {
        // Level 3 buckets are 8 times wider than level-0 ones.
        assert!((got - want).abs() <= 2f64.powi(-9) * want.abs(), "{got} vs {want}");
    }
    for seed in 0..3 {
        shuffle(&mut values, 100 + seed);
        let ranges = pieces(values.len(), &[7_000, 19_000, 29_000]);
        let mut parts: Vec<ValueAccumulator> = ranges.into_iter().map(|rg| values_acc(&values[rg])).collect();
        shuffle(&mut parts, 200 + seed);
        let mut merged = parts.pop().unwrap();
        for p in &parts {
            merged.merge(p);
        }
        assert_eq!(merged, whole);
        assert_eq!(summary_bits(&merged.summary()), summary_bits(&s));
    }
}

// ---------------------------------------------------------------- proptest

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exact_sum_is_order_and_merge_invariant(
        values in prop::collection::vec(any_finite(), 0..200),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
        seed in any::<u64>(),
    ) {
        let whole = exact_sum(&values);
        let mut shuffled = values.clone();
        shuffle(&mut shuffled, seed);
        let mut parts: Vec<ExactSum> = pieces(shuffled.len(), &cuts)
            .into_iter()
            .map(|r| exact_sum(&shuffled[r]))
            .collect();
        shuffle(&mut parts, seed ^ 1);
        let mut merged = ExactSum::new();
        for p in &parts {
            merged.merge(p);
        }
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(merged.value().to_bits(), whole.value().to_bits());
        prop_assert_eq!(exact_sum(&shuffled).value().to_bits(), whole.value().to_bits());
    }

    #[test]
    fn exact_sum_of_money_is_correctly_rounded_for_two_terms(a in money(), b in money()) {
        // A single f64 addition is correctly rounded, so it is the reference.
        prop_assert_eq!(exact_sum(&[a, b]).value(), a + b);
    }

    #[test]
    fn count_histogram_is_order_and_merge_invariant(
        values in prop::collection::vec(0u64..500, 0..400),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
        seed in any::<u64>(),
    ) {
        let whole = count_hist(&values);
        let mut shuffled = values.clone();
        shuffle(&mut shuffled, seed);
        let mut parts: Vec<CountHistogram> = pieces(shuffled.len(), &cuts)
            .into_iter()
            .map(|r| count_hist(&shuffled[r]))
            .collect();
        shuffle(&mut parts, seed ^ 1);
        let mut merged = CountHistogram::new();
        for p in &parts {
            merged.merge(p);
        }
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(summary_bits(&merged.summary()), summary_bits(&whole.summary()));
        prop_assert_eq!(merged.count(), values.len() as u64);
        if !values.is_empty() {
            let floats: Vec<f64> = values.iter().map(|&x| x as f64).collect();
            prop_assert_eq!(quantiles(&whole.summary()), sorted_quantiles(&floats));
        }
    }

    #[test]
    fn value_accumulator_is_order_and_merge_invariant(
        values in prop::collection::vec(money(), 0..400),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
        seed in any::<u64>(),
    ) {
        let whole = values_acc(&values);
        let mut shuffled = values.clone();
        shuffle(&mut shuffled, seed);
        let mut parts: Vec<ValueAccumulator> = pieces(shuffled.len(), &cuts)
            .into_iter()
            .map(|r| values_acc(&shuffled[r]))
            .collect();
        shuffle(&mut parts, seed ^ 1);
        let mut merged = ValueAccumulator::new();
        for p in &parts {
            merged.merge(p);
        }
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(summary_bits(&merged.summary()), summary_bits(&whole.summary()));
        if !values.is_empty() {
            // Money-like samples: quantiles within one level-0 bucket.
            let s = whole.summary();
            for (got, want) in quantiles(&s).into_iter().zip(sorted_quantiles(&values)) {
                prop_assert!((got - want).abs() <= 2f64.powi(-12) * want.abs());
            }
            prop_assert_eq!(s.min, sorted_quantiles(&values)[0]);
        }
    }
}

proptest! {
    // Values over the whole f64 range allocate the largest sketches: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn value_accumulator_invariant_over_whole_range(
        values in prop::collection::vec(any_finite(), 1..100),
        cut in any::<usize>(),
        seed in any::<u64>(),
    ) {
        let whole = values_acc(&values);
        let mut shuffled = values.clone();
        shuffle(&mut shuffled, seed);
        let cut = cut % (shuffled.len() + 1);
        let mut b = values_acc(&shuffled[cut..]);
        b.merge(&values_acc(&shuffled[..cut]));
        prop_assert_eq!(&b, &whole);
        let s = whole.summary();
        prop_assert_eq!(summary_bits(&b.summary()), summary_bits(&s));
        let exact = sorted_quantiles(&values);
        prop_assert_eq!(s.min, exact[0]);
        prop_assert_eq!(s.max, exact[6]);
        for (_, allocated) in whole.sketch_shape() {
            prop_assert!(allocated <= 1 << 20);
        }
    }
}
