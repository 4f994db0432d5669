//! The fitted scenario carries what the export leaves open (issue 16): the
//! fit's sampling distribution and the choice of decay shape, as joint
//! inputs that round-trip through the scenario file, and whose spread of
//! the expected revenue lost covers the truth.

use jiff::Timestamp;
use lead_decay::calibrate::{
    AVERAGED_POINTS, Bootstrap, Calibration, Export, MAX_BOOTSTRAP_REPLICATES, ShapeChoice, ShapeKind,
    SyntheticTimeline, synthetic_export, synthetic_export_with,
};
use lead_decay::exact::ExpectedOverInputs;
use lead_decay::model::uncertainty::{JointLaw, Scale};
use lead_decay::whatif::Knob;
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment};

fn days(x: f64) -> Hours {
    Hours::from_days(x).unwrap()
}

fn start() -> Timestamp {
    "2024-01-01T00:00:00Z".parse().unwrap()
}

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

/// The truth of the calibration tests: 30 % close rate, 20 % never followed
/// up, log-normal delays (median a day), deals of 10,000.
fn truth(decay: DecayCurve) -> Segment {
    Segment::builder("truth")
        .sqls(1_000)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(10_000.0).unwrap())
        .decay(decay)
        .never_followed_up(0.2)
        .delay(DelayDistribution::lognormal(h(24.0), 1.0).unwrap())
        .build()
        .unwrap()
}

fn export_of(segment: &Segment, n: usize, seed: u64) -> Export {
    let (records, as_of) = synthetic_export(segment, n, start(), seed).unwrap();
    Export::from_records(records, as_of)
}

#[test]
fn each_fit_carries_its_covariance_on_the_scale_it_fits() {
    let calibration =
        Calibration::fit(&export_of(&truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), 4_000, 3)).unwrap();
    for fit in &calibration.decay.fits {
        if fit.shape == ShapeKind::Table {
            assert!(fit.covariance.is_empty());
            continue;
        }
        let n = 1 + fit.parameters.len();
        assert_eq!(fit.covariance.len(), n, "{:?}", fit.shape);
        // The close rate's standard error is the delta method's on its
        // logit: se(p) = p (1 - p) sqrt(var(logit p)).
        let p = fit.close_rate.value;
        let se = p * (1.0 - p) * fit.covariance[0][0].sqrt();
        assert!(
            (se / fit.close_rate.std_error - 1.0).abs() < 1e-9,
            "{:?}: {se} vs {}",
            fit.shape,
            fit.close_rate.std_error
        );
        if fit.shape != ShapeKind::Step {
            for (i, e) in fit.parameters.iter().enumerate() {
                let se = e.value * fit.covariance[i + 1][i + 1].sqrt();
                assert!(
                    (se / e.std_error - 1.0).abs() < 1e-9,
                    "{:?} {}: {se} vs {}",
                    fit.shape,
                    e.name,
                    e.std_error
                );
            }
        }
    }
    let delay = calibration.follow_up.best();
    assert_eq!(delay.covariance.len(), 1 + delay.parameters.len());
    let q = delay.never_followed_up.value;
    let se = q * (1.0 - q) * delay.covariance[0][0].sqrt();
    assert!((se / delay.never_followed_up.std_error - 1.0).abs() < 1e-9);
}

#[test]
fn the_averaged_forecast_weighs_every_shape_and_round_trips_through_the_file() {
    let calibration =
        Calibration::fit(&export_of(&truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), 2_000, 5)).unwrap();
    let scenario = calibration
        .forecast("fitted", "web", 1_000, ShapeChoice::Averaged, None)
        .unwrap();
    let joints = scenario.uncertainty().joints();
    assert_eq!(joints.len(), 2);
    let JointLaw::Alternatives { alternatives } = joints[0].law() else {
        panic!("{:?}", joints[0]);
    };
    // Every shape is there with its Akaike weight (to four digits).
    let total: f64 = alternatives.iter().map(|a| a.weight()).sum();
    assert!((total - 1.0).abs() < 2e-3, "{total}");
    assert!(alternatives.len() <= AVERAGED_POINTS + calibration.decay.fits.len());
    // ... the exponential's carried by the Weibull, which contains it.
    let akaike = |kind: ShapeKind| {
        calibration
            .shapes
            .iter()
            .find(|s| s.shape == kind)
            .map_or(0.0, |s| s.weight)
    };
    assert!(akaike(ShapeKind::Exponential) > 0.05, "{:?}", calibration.shapes);
    for shape in &calibration.shapes {
        let held: f64 = alternatives
            .iter()
            .filter(|a| ShapeKind::of(a.decay().unwrap()) == Some(shape.shape))
            .map(|a| a.weight())
            .sum();
        let carried = match shape.shape {
            ShapeKind::Exponential => 0.0,
            ShapeKind::Weibull => shape.weight + akaike(ShapeKind::Exponential),
            _ => shape.weight,
        };
        assert!(
            (held - carried).abs() < 2e-3 + 1e-3 * carried,
            "{:?}: {held} vs {carried}",
            shape.shape,
        );
        let forecast = calibration.forecast_weights();
        let weight = forecast.iter().find(|w| w.0 == shape.shape).unwrap().1;
        assert!(
            (weight - carried).abs() < 1e-12,
            "{:?}: {weight} vs {carried}",
            shape.shape
        );
    }
    let JointLaw::Normal(follow_up) = joints[1].law() else {
        panic!("{:?}", joints[1]);
    };
    assert_eq!(
        follow_up.knobs(),
        [
            (Knob::NeverFollowedUp, Scale::Logit),
            (Knob::FollowUpMedian, Scale::Log),
            (Knob::FollowUpSigma, Scale::Log)
        ]
    );
    let text = scenario.to_toml_string();
    assert!(text.contains("[[joint]]"), "{text}");
    let read = Scenario::from_toml_str(&text).unwrap();
    assert_eq!(read.uncertainty(), scenario.uncertainty());
    assert_eq!(read.segments(), scenario.segments());
}

#[test]
fn a_single_shape_is_a_normal_over_its_close_rate_and_parameters() {
    let calibration =
        Calibration::fit(&export_of(&truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), 2_000, 5)).unwrap();
    let scenario = calibration
        .forecast("fitted", "web", 1_000, ShapeChoice::Single(ShapeKind::Weibull), None)
        .unwrap();
    let JointLaw::Normal(decay) = scenario.uncertainty().joints()[0].law() else {
        panic!();
    };
    assert_eq!(
        decay.knobs(),
        [
            (Knob::CloseRate, Scale::Logit),
            (Knob::ShelfLife, Scale::Log),
            (Knob::WeibullShape, Scale::Log)
        ]
    );
    let fit = calibration.decay.get(ShapeKind::Weibull).unwrap();
    assert!((decay.covariance()[1][2] / fit.covariance[1][2] - 1.0).abs() < 1e-3);
    let read = Scenario::from_toml_str(&scenario.to_toml_string()).unwrap();
    assert_eq!(read.uncertainty(), scenario.uncertainty());
    // The table adds no decay normal: only the follow-up's.
    let table = calibration
        .forecast("fitted", "web", 1_000, ShapeChoice::Single(ShapeKind::Table), None)
        .unwrap();
    assert_eq!(table.uncertainty().joints().len(), 1);
}

#[test]
fn when_one_shape_dominates_the_averaged_forecast_is_the_best_fits_within_its_interval() {
    // 40,000 rows of a step decay: the step holds all the weight.
    let calibration = Calibration::fit(&export_of(&truth(DecayCurve::step(h(48.0)).unwrap()), 40_000, 11)).unwrap();
    assert_eq!(calibration.plausible_shapes().len(), 1, "{:?}", calibration.shapes);
    let best = calibration.decay.best().shape;
    let averaged = ExpectedOverInputs::of(
        &calibration
            .forecast("a", "web", 1_000, ShapeChoice::Averaged, None)
            .unwrap(),
    )
    .unwrap();
    let single = ExpectedOverInputs::of(
        &calibration
            .forecast("s", "web", 1_000, ShapeChoice::Single(best), None)
            .unwrap(),
    )
    .unwrap();
    let (a, s) = (averaged.expected.revenue_lost, single.expected.revenue_lost);
    assert!(
        single.p05.revenue_lost <= a && a <= single.p95.revenue_lost,
        "averaged {a} vs single {s} [{}, {}]",
        single.p05.revenue_lost,
        single.p95.revenue_lost
    );
    assert!(
        averaged.p05.revenue_lost <= s && s <= averaged.p95.revenue_lost,
        "single {s} vs averaged [{}, {}]",
        averaged.p05.revenue_lost,
        averaged.p95.revenue_lost
    );
    // ... and the interval is a real one: the fit's uncertainty is in it.
    assert!(single.p95.revenue_lost > single.p05.revenue_lost * 1.001);
}

/// The scenario of a bootstrap: the best shape's segment (its numbers are
/// the file's), the replicates as its one joint input.
fn bootstrapped(calibration: &Calibration, export: &Export, options: &Bootstrap) -> Scenario {
    let boot = calibration.bootstrap(export, ShapeChoice::Averaged, options).unwrap();
    Scenario::builder("fitted")
        .segment(
            calibration
                .forecast_segment("web", 1_000, ShapeChoice::Averaged, None)
                .unwrap(),
        )
        .uncertainty(lead_decay::model::uncertainty::Uncertainty::new().with_joint(boot.joint("web", true).unwrap()))
        .build()
        .unwrap()
}

#[test]
fn a_bootstrap_is_seeded_writes_one_alternative_per_replicate_and_round_trips() {
    let export = export_of(&truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), 2_000, 5);
    let calibration = Calibration::fit(&export).unwrap();
    let options = Bootstrap::new(8, 7).unwrap();
    let a = calibration.bootstrap(&export, ShapeChoice::Averaged, &options).unwrap();
    let b = calibration.bootstrap(&export, ShapeChoice::Averaged, &options).unwrap();
    assert_eq!(a, b, "the same seed gives the same replicates");
    let other = calibration
        .bootstrap(&export, ShapeChoice::Averaged, &Bootstrap::new(8, 8).unwrap())
        .unwrap();
    assert_ne!(a, other, "another seed draws other rows");
    assert_eq!(a.replicates.len(), 8);
    assert_eq!(a.shape_counts().iter().map(|c| c.1).sum::<usize>(), 8);
    // Each replicate is a refit of as many rows, drawn with replacement.
    let drawn = options.resample(&export, 0);
    assert_eq!(drawn.records().len(), export.records().len());
    assert_ne!(drawn.records(), export.records());
    let scenario = bootstrapped(&calibration, &export, &options);
    let joints = scenario.uncertainty().joints();
    assert_eq!(joints.len(), 1);
    let JointLaw::Alternatives { alternatives } = joints[0].law() else {
        panic!("{:?}", joints[0]);
    };
    assert_eq!(alternatives.len(), 8);
    for (alt, r) in alternatives.iter().zip(&a.replicates) {
        assert_eq!(alt.weight(), 1.0);
        assert_eq!(alt.decay(), Some(&r.decay));
        assert_eq!(alt.delay(), Some(&r.delay));
        let knobs: Vec<Knob> = alt.values().iter().map(|v| v.0).collect();
        assert_eq!(knobs, [Knob::NeverFollowedUp, Knob::CloseRate, Knob::DealValue]);
    }
    let text = scenario.to_toml_string();
    assert!(text.contains("bootstrap [web]"), "{text}");
    let read = Scenario::from_toml_str(&text).unwrap();
    assert_eq!(read.uncertainty(), scenario.uncertainty());
    let over = ExpectedOverInputs::of(&read).unwrap();
    assert!(over.p05.revenue_lost < over.p95.revenue_lost, "{over:?}");
    // A single shape is refitted as that shape in every replicate.
    let exponential = calibration
        .bootstrap(&export, ShapeChoice::Single(ShapeKind::Exponential), &options)
        .unwrap();
    assert!(exponential.replicates.iter().all(|r| r.shape == ShapeKind::Exponential));
    // A shape some replicate cannot identify (at 2,000 rows about one
    // Weibull fit in eight has no sampling distribution) is not replaced by
    // another: the bootstrap says which replicate, or every one is that shape.
    match calibration.bootstrap(&export, ShapeChoice::Single(ShapeKind::Weibull), &options) {
        Ok(weibull) => assert!(weibull.replicates.iter().all(|r| r.shape == ShapeKind::Weibull)),
        Err(e) => {
            let e = e.to_string();
            assert!(
                e.contains("bootstrap") && e.contains("replicate") && e.contains("weibull"),
                "{e}"
            );
        }
    }
}

#[test]
fn a_bootstrap_of_no_or_absurdly_many_replicates_is_refused_naming_the_field() {
    for n in [0, MAX_BOOTSTRAP_REPLICATES + 1, usize::MAX] {
        let e = Bootstrap::new(n, 1).unwrap_err().to_string();
        assert!(e.contains("bootstrap") && e.contains(&n.to_string()), "{e}");
    }
    assert!(Bootstrap::new(MAX_BOOTSTRAP_REPLICATES, 1).is_ok());
    // A replicate that cannot be fitted says which and why.
    let few = export_of(&truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), 12, 1);
    if let Ok(calibration) = Calibration::fit(&few) {
        let e = calibration
            .bootstrap(
                &few,
                ShapeChoice::Single(ShapeKind::Weibull),
                &Bootstrap::new(50, 1).unwrap(),
            )
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("bootstrap") && e.contains("replicate"), "{e}");
    }
}

/// The recovery study of issue 16 (item 5): exports drawn from three
/// truths (Weibull decay; linear decay; Weibull decay with losses recorded
/// three weeks after a contact, wins after three days, so the last weeks
/// are immature) at 2,000 and 20,000 rows, each fitted with the default
/// options (every shape by its Akaike weight, the fit's covariance), and the
/// share whose 90 % interval of the expected revenue lost (p05 to p95 of
/// E[revenue lost | inputs], [`ExpectedOverInputs`]) covers the truth's
/// exact value. Exports per size and truth: `COVERAGE_EXPORTS` (default
/// 50). Run (see BENCHMARKS.md):
///
/// ```text
/// COVERAGE_EXPORTS=50 cargo test --release --test calibrate_forecast -- --ignored --nocapture coverage_of
/// ```
///
/// It prints each cell's coverage and fails below 85 % (the issue's target).
#[test]
#[ignore = "a recovery study: minutes in release"]
fn coverage_of_the_expected_revenue_lost_from_the_default_fit() {
    let exports: u64 = std::env::var("COVERAGE_EXPORTS").map_or(50, |v| v.parse().unwrap());
    recovery_study(&[2_000, 20_000], exports, |export, sqls, _| {
        Calibration::fit(export).and_then(|c| c.forecast("fitted", "truth", sqls, ShapeChoice::Averaged, None))
    });
}

/// The recovery study of the bootstrap (`--bootstrap N`, the choice of
/// shape redone in each replicate): as
/// [`coverage_of_the_expected_revenue_lost_from_the_default_fit`], with
/// `BOOTSTRAP_REPLICATES` replicates (default 100) drawn with the
/// export's seed, at the sizes in `BOOTSTRAP_ROWS` (comma-separated, default
/// 2000: each export costs a hundred whole fits), and of the truth named
/// in `COVERAGE_TRUTH` (`weibull`, `linear` or `weibull, immature`;
/// default all three). The run of BENCHMARKS.md:
///
/// ```text
/// COVERAGE_EXPORTS=50 BOOTSTRAP_REPLICATES=50 COVERAGE_TRUTH=weibull \
///     cargo test --release --test calibrate_forecast -- --ignored --nocapture bootstrap_recovery
/// ```
#[test]
#[ignore = "a recovery study: many minutes in release"]
fn bootstrap_recovery_study_of_the_revenue_lost() {
    let exports: u64 = std::env::var("COVERAGE_EXPORTS").map_or(50, |v| v.parse().unwrap());
    let replicates: usize = std::env::var("BOOTSTRAP_REPLICATES").map_or(100, |v| v.parse().unwrap());
    let rows: Vec<usize> = std::env::var("BOOTSTRAP_ROWS")
        .unwrap_or_else(|_| "2000".to_owned())
        .split(',')
        .map(|r| r.trim().parse().unwrap())
        .collect();
    recovery_study(&rows, exports, |export, sqls, seed| {
        let calibration = Calibration::fit(export)?;
        let boot = calibration.bootstrap(export, ShapeChoice::Averaged, &Bootstrap::new(replicates, seed)?)?;
        Scenario::builder("fitted")
            .segment(calibration.forecast_segment("truth", sqls, ShapeChoice::Averaged, None)?)
            .uncertainty(lead_decay::model::uncertainty::Uncertainty::new().with_joint(boot.joint("truth", true)?))
            .build()
    });
}

/// The cells of the recovery studies: three truths at each size in
/// `sizes`, `exports` exports each, each fitted by `forecast` (export,
/// cohort, the export's seed) into a scenario whose p05 to p95 of E[revenue lost | inputs]
/// should cover the truth's. Prints each cell; fails below 85 %.
fn recovery_study(sizes: &[usize], exports: u64, forecast: impl Fn(&Export, u64, u64) -> lead_decay::Result<Scenario>) {
    let immature = SyntheticTimeline::new(
        DelayDistribution::exponential(days(3.0)).unwrap(),
        DelayDistribution::exponential(days(21.0)).unwrap(),
    );
    let truths = [
        ("weibull", truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()), None),
        ("linear", truth(DecayCurve::linear(h(120.0)).unwrap()), None),
        (
            "weibull, immature",
            truth(DecayCurve::weibull(h(36.0), 1.5).unwrap()),
            Some(immature),
        ),
    ];
    // `COVERAGE_TRUTH`: only the truth of that name (for a costly study).
    let only = std::env::var("COVERAGE_TRUTH").ok();
    let mut failures = Vec::new();
    for &rows in sizes {
        for (name, segment, timeline) in truths.iter().filter(|t| only.as_deref().is_none_or(|o| o == t.0)) {
            let exact = Expected::of_segment(segment).revenue_lost;
            let (mut covered, mut below, mut above, mut fitted) = (0, 0, 0, 0);
            let mut not_fitted = Vec::new();
            for seed in 1..=exports {
                let (records, as_of) = match timeline {
                    Some(t) => synthetic_export_with(segment, rows, start(), seed, t).unwrap(),
                    None => synthetic_export(segment, rows, start(), seed).unwrap(),
                };
                let result = forecast(&Export::from_records(records, as_of), segment.sqls(), seed)
                    .and_then(|s| ExpectedOverInputs::of(&s));
                match result {
                    Ok(over) => {
                        fitted += 1;
                        if exact < over.p05.revenue_lost {
                            below += 1;
                        } else if exact > over.p95.revenue_lost {
                            above += 1;
                        } else {
                            covered += 1;
                        }
                    }
                    Err(e) => not_fitted.push(format!("seed {seed}: {e}")),
                }
            }
            let share = covered as f64 / exports as f64;
            println!(
                "{rows:>6} rows, {name:<18}: {covered}/{exports} covered ({:.0} %), truth below p05 {below}, above p95 {above}, not fitted {}",
                100.0 * share,
                exports - fitted
            );
            for n in &not_fitted {
                println!("        {n}");
            }
            if share < 0.85 {
                failures.push(format!("{rows} rows, {name}: {:.0} %", 100.0 * share));
            }
        }
    }
    assert!(failures.is_empty(), "coverage below 85 %: {failures:?}");
}

/// Why the Weibull cells of the recovery study miss (a diagnostic, not a
/// check): for 20 exports of 2,000 rows of the Weibull truth, the 90 %
/// interval of the expected revenue lost, whether it lies above (`LOW`:
/// the truth is below p05) or below (`HIGH`) the truth, and each shape's
/// Akaike weight, implied revenue lost and close rate at zero delay. See
/// BENCHMARKS.md (coverage) for what it showed.
///
/// ```text
/// cargo test --release --test calibrate_forecast -- --ignored --nocapture misses_explained
/// ```
#[test]
#[ignore = "a diagnostic: prints, asserts nothing beyond the fits succeeding"]
fn coverage_misses_explained() {
    let segment = truth(DecayCurve::weibull(h(36.0), 1.5).unwrap());
    let exact = Expected::of_segment(&segment).revenue_lost;
    println!("truth: revenue lost {exact:.0}, close rate 0.300");
    for seed in 1..=20 {
        let calibration = Calibration::fit(&export_of(&segment, 2_000, seed)).unwrap();
        let over = calibration
            .forecast("fitted", "truth", segment.sqls(), ShapeChoice::Averaged, None)
            .and_then(|s| ExpectedOverInputs::of(&s))
            .unwrap();
        let (p05, p50, p95) = (over.p05.revenue_lost, over.p50.revenue_lost, over.p95.revenue_lost);
        let mark = match () {
            _ if exact < p05 => "LOW",
            _ if exact > p95 => "HIGH",
            _ => "",
        };
        print!("seed {seed:2} [{p05:.0} {p50:.0} {p95:.0}] {mark:4}");
        let shapes = calibration
            .compare_shapes(segment.sqls(), Some(DealValue::fixed(10_000.0).unwrap()))
            .unwrap();
        for w in shapes.iter().filter(|w| w.weight >= 0.005) {
            print!(
                "  {}: w {:.2}, lost {:.0}, close rate {:.3}",
                w.shape.name(),
                w.weight,
                w.revenue_lost.unwrap_or(f64::NAN),
                w.close_rate
            );
        }
        println!();
    }
}
