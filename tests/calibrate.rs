//! Calibration as a specification: reading exports (and refusing bad ones
//! clearly), recovering known parameters, choosing the true shape, and the
//! round trip simulate -> export -> calibrate -> simulate.
//!
//! The full 50-repetition recovery study and the large-sample AIC check are
//! `#[ignore]`d (about a minute in release); run them with
//! `cargo test --release --test calibrate -- --ignored`.
//!
//! Last measured (2026-11-24, 20,000 SQLs per repetition, seeds 1000..1049,
//! after the engine's per-trial streams changed): the worst-covered
//! parameter of each shape was covered in 92 % (step), 82 % (linear), 90 %
//! (exponential) and 94 % (weibull) of the repetitions, so the 50-repetition
//! test FAILS for the linear shape. With the streams before, the same seeds
//! gave 92 % for it: the bar was met by the luck of the draw. Over 100
//! repetitions (seeds 1000..1099) the linear shape's close rate and shelf
//! life are covered in 90 % and 90-91 %, and their z-scores have a standard
//! deviation of 1.19 (the exponential shape: 95 %, 94 %, 1.05 and 0.95). The
//! linear likelihood is not regular at the shelf life (a won SQL needs a
//! delay below it, and wins thin out to nothing there): the estimate is
//! biased low with a heavy lower tail, the optimiser finds the true maximum
//! (checked against a profile scan), and profile-likelihood intervals miss
//! the same three of the first twelve repetitions. Known gap of issue 6,
//! open.

mod common;

use jiff::Timestamp;
use lead_decay::calibrate::{
    Calibration, DecayFit, Export, ExportFormat, FollowUpFit, Outcome, ShapeKind, SkipReason, synthetic_export,
    write_export,
};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment, Simulation};

fn start() -> Timestamp {
    "2024-01-01T00:00:00Z".parse().unwrap()
}

fn h(x: f64) -> Hours {
    Hours::new(x).unwrap()
}

fn segment(decay: DecayCurve) -> Segment {
    Segment::builder("truth")
        .sqls(1_000)
        .close_rate(0.3)
        .deal_value(DealValue::fixed(10_000.0).unwrap())
        .decay(decay)
        .never_followed_up(0.1)
        .delay(DelayDistribution::lognormal(h(24.0), 1.0).unwrap())
        .build()
        .unwrap()
}

fn export_of(segment: &Segment, n: usize, seed: u64) -> Export {
    let (records, as_of) = synthetic_export(segment, n, start(), seed).unwrap();
    Export::from_records(records, as_of)
}

fn read(csv: &str) -> lead_decay::Result<Export> {
    Export::from_reader(csv.as_bytes(), &ExportFormat::default())
}

const HEADER: &str = "sql_at,first_contact_at,outcome,deal_value\n";

// ---------------------------------------------------------------- bad input

#[test]
fn a_missing_column_is_an_error_naming_it_and_the_columns_found() {
    let err = read("sql_at,outcome\n2024-01-01,won\n").unwrap_err().to_string();
    assert!(err.contains("\"first_contact_at\""), "{err}");
    assert!(err.contains("found sql_at, outcome"), "{err}");
}

#[test]
fn an_empty_file_is_an_error() {
    let err = read("").unwrap_err().to_string();
    assert!(err.contains("empty file"), "{err}");
}

#[test]
fn bad_rows_are_reported_with_line_and_reason_and_counted() {
    let csv = format!(
        "{HEADER}\
         2024-01-01 09:00,2024-01-01 10:00,won,100\n\
         not a date,2024-01-01 10:00,won,100\n\
         2024-01-02 09:00,2024-01-01 10:00,lost,\n\
         2024-01-02 09:00,2024-01-02 10:00,pending,\n\
         2024-01-02 09:00,,won,100\n\
         2024-01-02 09:00,2024-01-02 10:00,won,-5\n\
         2024-01-02 09:00\n\
         2024-01-03T09:00:00Z,,open,\n"
    );
    let export = read(&csv).unwrap();
    let s = export.summary();
    // A deal value of -5 is unreadable: the row keeps its timing, without
    // a value, and a warning counts it (issue 21).
    assert_eq!((s.rows, s.used, s.skipped), (8, 3, 5));
    let reasons: Vec<(u64, SkipReason)> = export.problems().iter().map(|p| (p.line, p.reason)).collect();
    assert_eq!(
        reasons,
        vec![
            (3, SkipReason::UnparseableTimestamp),
            (4, SkipReason::ContactBeforeSql),
            (5, SkipReason::UnknownOutcome),
            (6, SkipReason::WonWithoutContact),
            (8, SkipReason::WrongFieldCount),
        ]
    );
    assert_eq!(s.skipped_by_reason.values().sum::<u64>(), 5);
    assert_eq!(export.records()[1].line, 7);
    assert_eq!(export.records()[1].deal_value, None);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("\"-5\"") && w.first_lines == [7]),
        "{:?}",
        s.warnings
    );
    assert_eq!(
        export.problems()[0].to_string(),
        "line 3: unparseable timestamp in column \"sql_at\": \"not a date\""
    );
}

#[test]
fn renamed_columns_and_custom_timestamp_formats_are_read() {
    let mut format = ExportFormat::default();
    format.columns = lead_decay::calibrate::Columns::default()
        .with_spec("sql_at=Created,first_contact_at=Touched,outcome=Stage")
        .unwrap();
    format.timestamp_formats = vec!["%d/%m/%Y %H:%M".to_owned()];
    format.delimiter = Some(b';');
    let csv = "Created;Touched;Stage\n01/03/2024 09:00;01/03/2024 11:30;Closed Won\n";
    let export = Export::from_reader(csv.as_bytes(), &format).unwrap();
    assert_eq!(export.records()[0].delay_hours(), Some(2.5));
    assert_eq!(export.records()[0].outcome, Outcome::Won);
}

#[test]
fn a_file_with_only_open_deals_says_the_decay_cannot_be_identified() {
    let csv = format!("{HEADER}2024-01-01 09:00,2024-01-01 10:00,open,\n2024-01-02 09:00,,open,\n");
    let export = read(&csv).unwrap();
    assert_eq!(export.summary().open, 2);
    let err = Calibration::fit(&export).unwrap_err().to_string();
    // One contacted SQL and one censored one: the delay fits run away to
    // means beyond the proven range (10^12 h) and are rejected first
    // (issue 14); otherwise the decay is what cannot be identified.
    let delay_unidentified = err.contains("identify a delay distribution");
    assert!(
        delay_unidentified || (err.contains("cannot be identified") && err.contains("open deals are censored")),
        "{err}"
    );
}

#[test]
fn no_contacted_sqls_means_no_follow_up_fit_rather_than_numbers() {
    let csv = format!("{HEADER}2024-01-01 09:00,,lost,\n2024-01-02 09:00,,open,\n");
    let err = FollowUpFit::fit(&read(&csv).unwrap()).unwrap_err().to_string();
    assert!(err.contains("0 contacted SQLs"), "{err}");
    assert!(err.contains("cannot be identified"), "{err}");
}

#[test]
fn equal_delays_leave_the_decay_shapes_unidentified() {
    let rows: String = (0..50)
        .map(|i| {
            format!(
                "2024-01-01 09:00,2024-01-01 10:00,{},\n",
                if i % 3 == 0 { "won" } else { "lost" }
            )
        })
        .collect();
    let err = DecayFit::fit(&read(&format!("{HEADER}{rows}")).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("all delays are equal"), "{err}");
}

#[test]
fn no_wins_is_an_error_not_a_zero_close_rate() {
    let csv = format!("{HEADER}2024-01-01 09:00,2024-01-01 10:00,lost,\n2024-01-02 09:00,2024-01-02 19:00,lost,\n");
    let err = DecayFit::fit(&read(&csv).unwrap()).unwrap_err().to_string();
    assert!(err.contains("0 won"), "{err}");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "\u{0}\u{1}",
        "a,b,c\n\"unterminated",
        "sql_at,first_contact_at,outcome\n,,\n,,,,,\n",
        "\n\n\n",
    ] {
        if let Ok(export) = read(text) {
            let _ = Calibration::fit(&export);
        }
    }
}

// ---------------------------------------------------------------- recovery

fn truths() -> Vec<(ShapeKind, DecayCurve, Vec<f64>)> {
    vec![
        (ShapeKind::Step, DecayCurve::step(h(48.0)).unwrap(), vec![48.0]),
        (ShapeKind::Linear, DecayCurve::linear(h(96.0)).unwrap(), vec![96.0]),
        (
            ShapeKind::Exponential,
            DecayCurve::exponential(h(24.0)).unwrap(),
            vec![24.0],
        ),
        (
            ShapeKind::Weibull,
            DecayCurve::weibull(h(36.0), 1.5).unwrap(),
            vec![36.0, 1.5],
        ),
    ]
}

/// Share of repetitions whose 95 % intervals cover the true close rate and
/// each true parameter, per shape (the worst parameter of the shape).
fn recovery(reps: u64, n: usize) -> Vec<(ShapeKind, f64)> {
    truths()
        .into_iter()
        .map(|(shape, curve, params)| {
            let truth = segment(curve);
            let mut worst = u64::MAX;
            let mut covered = vec![0u64; params.len() + 1];
            for rep in 0..reps {
                let fit = DecayFit::fit(&export_of(&truth, n, 1_000 + rep)).unwrap();
                let f = fit
                    .get(shape)
                    .unwrap_or_else(|| panic!("{shape:?} not fitted: {:?}", fit.not_identified));
                covered[0] += u64::from(f.close_rate.covers(0.3));
                for (i, &p) in params.iter().enumerate() {
                    covered[i + 1] += u64::from(f.parameters[i].covers(p));
                }
            }
            for c in covered {
                worst = worst.min(c);
            }
            (shape, worst as f64 / reps as f64)
        })
        .collect()
}

#[test]
fn known_parameters_are_recovered_within_their_intervals() {
    for (shape, share) in recovery(10, 4_000) {
        assert!(share >= 0.8, "{shape:?}: covered in {share}");
    }
}

#[test]
#[ignore = "50 repetitions per shape; cargo test --release --test calibrate -- --ignored"]
fn known_parameters_are_recovered_in_90_percent_of_50_repetitions() {
    let shares = recovery(50, 20_000);
    println!("{shares:?}");
    for &(shape, share) in &shares {
        assert!(share >= 0.9, "{shape:?}: covered in {share} ({shares:?})");
    }
}

#[test]
#[ignore = "large samples; cargo test --release --test calibrate -- --ignored"]
fn aic_picks_the_true_shape_on_large_samples() {
    for (shape, curve, _) in truths() {
        let fit = DecayFit::fit(&export_of(&segment(curve), 200_000, 7)).unwrap();
        let best = fit.best();
        // The exponential is the Weibull with k = 1: on exponential data
        // AIC may prefer the Weibull only when its k interval holds 1.
        let nested =
            shape == ShapeKind::Exponential && best.shape == ShapeKind::Weibull && best.parameters[1].covers(1.0);
        assert!(best.shape == shape || nested, "{shape:?} data: best {:?}", best.shape);
    }
}

#[test]
fn aic_separates_shapes_on_moderate_samples() {
    for (shape, curve) in [
        (ShapeKind::Step, DecayCurve::step(h(48.0)).unwrap()),
        (ShapeKind::Linear, DecayCurve::linear(h(96.0)).unwrap()),
    ] {
        let fit = DecayFit::fit(&export_of(&segment(curve), 40_000, 11)).unwrap();
        assert_eq!(fit.best().shape, shape);
    }
}

#[test]
fn the_follow_up_fit_recovers_neglect_and_delay_with_censoring() {
    let truth = segment(DecayCurve::exponential(h(24.0)).unwrap());
    let export = export_of(&truth, 20_000, 5);
    assert!(
        export
            .records()
            .iter()
            .any(|r| r.outcome == Outcome::Open && r.first_contact.is_none())
    );
    let fit = FollowUpFit::fit(&export).unwrap();
    let best = fit.best();
    assert_eq!(best.family, "lognormal");
    assert!(best.never_followed_up.covers(0.1), "{:?}", best.never_followed_up);
    assert!(best.parameters[0].covers(24.0), "{:?}", best.parameters);
    assert!(best.parameters[1].covers(1.0), "{:?}", best.parameters);
}

#[test]
fn the_table_fit_is_monotone_and_tracks_the_truth() {
    let table = DecayCurve::table(&[(h(12.0), 0.8), (h(48.0), 0.3), (h(120.0), 0.1)]).unwrap();
    let fit = DecayFit::fit(&export_of(&segment(table.clone()), 20_000, 9)).unwrap();
    let t = fit.get(ShapeKind::Table).unwrap();
    let values: Vec<f64> = t.parameters.iter().map(|p| p.value).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    // Binned rates identify the win probability p f(t), not p and f apart
    // (the table borrows p from the best parametric fit), so each bin's
    // fitted p f is checked against the truth 0.3 f(t), within four
    // binomial standard errors of the bin's observed rate.
    assert_eq!(t.parameters.len(), fit.bins.len());
    for (bin, f) in fit.bins.iter().zip(&t.parameters) {
        let fitted = t.close_rate.value * f.value;
        let truth = 0.3 * table.evaluate(bin.mean_hours);
        let std_error = (bin.rate * (1.0 - bin.rate) / bin.sqls as f64).sqrt();
        assert!(
            (fitted - truth).abs() < 4.0 * std_error,
            "at {:.1} h: p f = {fitted:.4}, truth {truth:.4}, standard error {std_error:.4}",
            bin.mean_hours
        );
    }
}

// ---------------------------------------------------------------- round trip

#[test]
fn simulate_export_calibrate_simulate_reproduces_expected_customers() {
    let truth = segment(DecayCurve::exponential(h(24.0)).unwrap());
    let export = export_of(&truth, 100_000, 21);
    let mut csv = Vec::new();
    write_export(export.records(), &mut csv).unwrap();
    let mut format = ExportFormat::default();
    format.as_of = Some(export.as_of());
    let reread = Export::from_reader(csv.as_slice(), &format).unwrap();
    assert_eq!(reread.records().len(), export.records().len());
    let calibration = Calibration::fit(&reread).unwrap();
    let fitted = calibration.scenario("fitted", "truth", truth.sqls()).unwrap();
    let fitted = Scenario::from_toml_str(&fitted.to_toml_string()).unwrap();
    let original = Scenario::builder("truth").segment(truth).build().unwrap();

    let a = Simulation::new(&original)
        .trials(20_000)
        .seed(1)
        .run()
        .unwrap()
        .metrics
        .customers;
    let b = Simulation::new(&fitted)
        .trials(20_000)
        .seed(2)
        .run()
        .unwrap()
        .metrics
        .customers;
    // Monte Carlo error of both runs plus the sampling error of the fit,
    // whose relative size is about 1 / sqrt(wins in the export).
    let fit_error = Expected::of(&original).customers / (calibration.decay.won as f64).sqrt();
    let tolerance = 4.0 * (a.std_error.powi(2) + b.std_error.powi(2)).sqrt() + 3.0 * fit_error;
    assert!(
        (a.mean - b.mean).abs() < tolerance,
        "{} vs {} (tolerance {tolerance})",
        a.mean,
        b.mean
    );
}

// ---------------------------------------------------------------- example

#[test]
fn the_example_data_are_the_documented_seeded_draw() {
    let dir = common::temp_dir("calibrate-generate");
    let path = dir.join("export.csv");
    let output = common::run("calibrate", &["--generate", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        std::fs::read_to_string(root.join("examples/data/export.csv")).unwrap()
    );
}

#[test]
fn the_example_writes_a_scenario_that_simulate_runs() {
    let dir = common::temp_dir("calibrate-example");
    let out = dir.join("scenario.toml");
    let output = common::run(
        "calibrate",
        &[
            "--input",
            "examples/data/export.csv",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["calibration"]["import"]["rows"], 2000);
    assert!(v["calibration"]["decay"]["fits"].as_array().unwrap().len() >= 4);
    let sim = common::run("simulate", &["--scenario", out.to_str().unwrap(), "--trials", "2000"]);
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));

    let table = common::run("calibrate", &["--input", "examples/data/export.csv"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("Decay fits (best first)"), "{text}");
    assert!(text.contains("Rows: 2,000 read, 2,000 used, 0 skipped"), "{text}");
}

#[test]
fn the_example_fails_cleanly_on_bad_input() {
    let dir = common::temp_dir("calibrate-bad");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "created,outcome\n2024-01-01,won\n").unwrap();
    for args in [
        vec!["--input", bad.to_str().unwrap()],
        vec!["--input", "/nonexistent.csv"],
    ] {
        let output = common::run("calibrate", &args);
        assert!(!output.status.success());
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(err.starts_with("error: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn by_segment_fits_each_segment_into_its_own_scenario_segment() {
    let dir = common::temp_dir("calibrate-segments");
    let path = dir.join("two.csv");
    let fast = segment(DecayCurve::exponential(h(12.0)).unwrap());
    let (mut records, _) = synthetic_export(&fast, 3_000, start(), 1).unwrap();
    let (slow, _) = synthetic_export(&segment(DecayCurve::linear(h(200.0)).unwrap()), 3_000, start(), 2).unwrap();
    records.extend(slow.into_iter().map(|mut r| {
        r.segment = Some("slow".to_owned());
        r
    }));
    write_export(&records, std::fs::File::create(&path).unwrap()).unwrap();
    let out = dir.join("scenario.toml");
    let output = common::run(
        "calibrate",
        &[
            "--input",
            path.to_str().unwrap(),
            "--by-segment",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("=== segment truth ===") && text.contains("=== segment slow ==="),
        "{text}"
    );
    let scenario = Scenario::load(&out).unwrap();
    let names: Vec<&str> = scenario.segments().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["truth", "slow"]);
    assert_eq!(scenario.segments()[0].sqls(), 3_000);
}
