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
    Calibration, DecayFit, Export, ExportFormat, FollowUpFit, Outcome, ShapeKind, SkipReason, SqlRecord,
    SyntheticTimeline, synthetic_export, synthetic_export_with, write_export,
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

// ---------------------------------------------------------------- immature cohorts

/// Wins recorded an exponential time with mean one day after the first
/// contact, losses five days: in the export's last two weeks about half
/// the SQLs not won are still open (issue 16's situation).
fn slow_losses() -> SyntheticTimeline {
    SyntheticTimeline::new(
        DelayDistribution::exponential(Hours::from_days(1.0).unwrap()).unwrap(),
        DelayDistribution::exponential(Hours::from_days(5.0).unwrap()).unwrap(),
    )
}

/// The close rate of `shape` and of the best fit, with their intervals.
fn close_rates(fit: &DecayFit, shape: ShapeKind) -> [(f64, f64, f64); 2] {
    let e = |f: &lead_decay::calibrate::ShapeFit| (f.close_rate.value, f.close_rate.ci95_low, f.close_rate.ci95_high);
    [e(fit.get(shape).unwrap()), e(fit.best())]
}

#[test]
fn immature_cohorts_leave_the_close_rate_unbiased_at_200000_rows() {
    let truth = segment(DecayCurve::exponential(h(24.0)).unwrap());
    let (records, as_of) = synthetic_export_with(&truth, 200_000, start(), 1, &slow_losses()).unwrap();
    let two_weeks_before = as_of.checked_sub(jiff::SignedDuration::from_hours(14 * 24)).unwrap();
    let recent: Vec<&SqlRecord> = records
        .iter()
        .filter(|r| r.became_sql >= two_weeks_before && r.outcome != Outcome::Won)
        .collect();
    let open = recent.iter().filter(|r| r.outcome == Outcome::Open).count() as f64 / recent.len() as f64;
    assert!(
        (0.45..0.6).contains(&open),
        "{open} of the recent SQLs not won are open"
    );

    // What the fit did before: open SQLs left out. Losses lag wins, so the
    // decided recent SQLs over-represent wins and the close rate comes out
    // high, its interval above the truth, for the true shape and the best.
    let decided_only: Vec<SqlRecord> = records
        .iter()
        .filter(|r| !(r.outcome == Outcome::Open && r.first_contact.is_some()))
        .cloned()
        .collect();
    let old = DecayFit::fit(&Export::from_records(decided_only, as_of)).unwrap();
    assert_eq!(old.censoring.open, 0);
    for (value, low, _) in close_rates(&old, ShapeKind::Exponential) {
        assert!(low > 0.3, "left out, the close rate is {value} [{low}, ...]");
    }

    // Open SQLs censored on their outcome, with and without the decision
    // dates: the truth 0.300 is inside both intervals (measured, seed 1:
    // exponential 0.2997 [0.2946, 0.3048] with dates, 0.2995 [0.2943,
    // 0.3047] without; the best fit, Weibull, 0.3085 [0.2974, 0.3199] and
    // 0.3083 [0.2972, 0.3197]; left out: exponential 0.3101 [0.3048,
    // 0.3154], Weibull 0.3180 [0.3067, 0.3296]).
    let undated: Vec<SqlRecord> = records
        .iter()
        .cloned()
        .map(|mut r| {
            r.decided_at = None;
            r
        })
        .collect();
    for (name, records) in [("with decision dates", records), ("without", undated)] {
        let fit = DecayFit::fit(&Export::from_records(records, as_of)).unwrap();
        assert!(fit.censoring.open_censored, "{name}: {:?}", fit.censoring);
        assert!(fit.censoring.open > 5_000, "{name}: {:?}", fit.censoring);
        for (value, low, high) in close_rates(&fit, ShapeKind::Exponential) {
            assert!(low <= 0.3 && 0.3 <= high, "{name}: {value} [{low}, {high}]");
        }
        // Each median within four of its standard errors (four 95 %
        // intervals checked at once would miss one in five draws).
        let cycle = fit.sales_cycle().unwrap();
        let ln2 = std::f64::consts::LN_2;
        for (median, truth) in [(&cycle.won.median_days, ln2), (&cycle.lost.median_days, 5.0 * ln2)] {
            assert!(
                (median.value - truth).abs() < 4.0 * median.std_error,
                "{name}: median {median:?}, truth {truth} days"
            );
        }
    }
}

#[test]
fn decided_sqls_without_open_ones_fit_the_same_as_before_and_report_the_cycle() {
    // Nothing censored: the decay fits are the fits that leave open SQLs
    // out (the same numbers), the cycle a side fit from the decision dates.
    let truth = segment(DecayCurve::exponential(h(24.0)).unwrap());
    let (records, as_of) = synthetic_export_with(&truth, 5_000, start(), 3, &slow_losses()).unwrap();
    let decided: Vec<SqlRecord> = records.into_iter().filter(|r| r.outcome != Outcome::Open).collect();
    let undated: Vec<SqlRecord> = decided
        .iter()
        .cloned()
        .map(|mut r| {
            r.decided_at = None;
            r
        })
        .collect();
    let dated = DecayFit::fit(&Export::from_records(decided, as_of)).unwrap();
    let plain = DecayFit::fit(&Export::from_records(undated, as_of)).unwrap();
    assert!(!dated.censoring.open_censored && dated.censoring.left_out_because.is_none());
    for (a, b) in dated.fits.iter().zip(&plain.fits) {
        assert_eq!(
            (a.shape, a.close_rate.value, a.aic),
            (b.shape, b.close_rate.value, b.aic)
        );
    }
    let cycle = dated.sales_cycle().unwrap();
    assert!(cycle.won.median_days.value < cycle.lost.median_days.value, "{cycle:?}");
    // Without dates and without open SQLs nothing says how long a cycle is.
    assert!(plain.sales_cycle().is_none());
}

#[test]
fn too_few_decided_losses_leave_the_open_sqls_out_and_say_why() {
    let mut csv = String::from("sql_at,first_contact_at,outcome\n");
    for day in 1..=20 {
        let outcome = match day {
            1..=12 => "won",
            13..=14 => "lost",
            _ => "open",
        };
        csv.push_str(&format!(
            "2024-01-{day:02} 09:00,2024-01-{day:02} {:02}:00,{outcome}\n",
            10 + day % 7
        ));
    }
    let fit = DecayFit::fit(&read(&csv).unwrap()).unwrap();
    let c = &fit.censoring;
    assert_eq!((c.open, c.open_censored), (6, false));
    let why = c.left_out_because.as_deref().unwrap();
    assert!(why.contains("2 contacted SQLs lost"), "{why}");
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
    assert!(text.contains("Decay shapes, best first"), "{text}");
    assert!(text.contains("Rows: 2,000 read, 2,000 used, 0 skipped"), "{text}");
}

#[test]
fn the_report_leads_with_plain_words_then_the_details_with_each_term_explained() {
    let out = common::run("calibrate", &["--input", "examples/data/export.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("no {needle:?} in\n{text}"));
    // Rows first, then the plain words with the as-of date, then a line
    // and the technical detail, then the terms.
    assert!(
        at("Rows: 2,000 read, 2,000 used, 0 skipped (as of 2024-03-30T23:32:48Z)")
            < at("What the data say (2,000 SQLs, as of 2024-03-30 23:32 UTC):")
    );
    assert!(at("What the data say") < at("technical details"));
    assert!(at("technical details") < at("Decay shapes, best first"));
    assert!(at("Decay shapes, best first") < at("Terms:"));
    for term in [
        "AIC:",
        "Akaike weight:",
        "Wilson interval:",
        "censored:",
        "sales cycle:",
    ] {
        at(term);
    }
    // 2,000 SQLs do not tell the shapes apart; the revenue lost is a range.
    at("the data can't tell how leads cool");
    at("depending on how leads cool");
    at("count as not decided yet");
    // Durations rounded and in words, no "never h".
    assert!(!text.contains("never h") && !text.contains("h;"), "{text}");
    // The written scenario's segment holds four significant digits at
    // most; the joint inputs that carry the fit's uncertainty follow it.
    let scenario = &text[at("Scenario:")..at("[[joint]]")];
    for line in scenario.lines().filter(|l| l.contains(" = ") && !l.contains("name")) {
        let value = line.split(" = ").nth(1).unwrap().trim_matches('"');
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let significant = digits.trim_start_matches('0').trim_end_matches('0');
        assert!(significant.len() <= 4, "{line}");
    }
}

#[test]
fn the_json_report_weighs_every_shape_with_its_revenue_lost_and_shape_picks_one() {
    let dir = common::temp_dir("calibrate-shapes");
    let out_path = dir.join("linear.toml");
    let out = common::run(
        "calibrate",
        &[
            "--input",
            "examples/data/export.csv",
            "--format",
            "json",
            "--shape",
            "linear",
            "--out",
            out_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shapes = v["calibration"]["shapes"].as_array().unwrap();
    assert!(shapes.len() >= 4, "{shapes:?}");
    let total: f64 = shapes.iter().map(|s| s["weight"].as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert_eq!(shapes[0]["delta_aic"], 0.0);
    assert!(shapes.iter().all(|s| s["revenue_lost"].as_f64().unwrap() > 0.0));
    assert!(v["summary"].as_array().unwrap().len() >= 4);
    assert_eq!(v["calibration"]["as_of"], "2024-03-30T23:32:48Z");
    assert!(
        v["calibration"]["decay"]["censoring"]["open_censored"]
            .as_bool()
            .unwrap()
    );
    let scenario = Scenario::load(&out_path).unwrap();
    assert!(matches!(
        scenario.segments()[0].decay().shape(),
        lead_decay::DecayShape::Linear { .. }
    ));
    let bad = common::run(
        "calibrate",
        &["--input", "examples/data/export.csv", "--shape", "cubic"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("shape"));
}

#[test]
fn bootstrap_writes_its_replicates_the_same_for_the_same_seed_and_refuses_nonsense() {
    let dir = common::temp_dir("calibrate-bootstrap");
    let run = |name: &str, seed: &str| {
        let path = dir.join(name);
        let out = common::run(
            "calibrate",
            &[
                "--input",
                "examples/data/export.csv",
                "--bootstrap",
                "5",
                "--seed",
                seed,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Bootstrap: 5 replicates of the whole fit (seed"),
            "{text}"
        );
        std::fs::read_to_string(path).unwrap()
    };
    let a = run("a.toml", "3");
    assert_eq!(a, run("b.toml", "3"));
    assert_ne!(a, run("c.toml", "4"));
    assert!(a.contains("bootstrap [calibrated]"), "{a}");
    let scenario = Scenario::from_toml_str(&a).unwrap();
    let joints = scenario.uncertainty().joints();
    assert_eq!(joints.len(), 1);
    let lead_decay::model::uncertainty::JointLaw::Alternatives { alternatives } = joints[0].law() else {
        panic!("{a}");
    };
    assert_eq!(alternatives.len(), 5);
    for (args, field) in [
        (vec!["--bootstrap", "0"], "bootstrap"),
        (vec!["--bootstrap", "10001"], "bootstrap"),
        (vec!["--bootstrap=-1"], "bootstrap"),
        (vec!["--bootstrap", "5", "--no-uncertainty"], "no-uncertainty"),
    ] {
        let mut all = vec!["--input", "examples/data/export.csv"];
        all.extend(args.iter().copied());
        let out = common::run("calibrate", &all);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field) && !err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn when_one_shape_dominates_the_report_names_it_and_the_scenario_is_the_fit_rounded() {
    let truth = segment(DecayCurve::step(h(48.0)).unwrap());
    let calibration = Calibration::fit(&export_of(&truth, 40_000, 11)).unwrap();
    let plausible = calibration.plausible_shapes();
    assert_eq!(plausible.len(), 1, "{:?}", calibration.shapes);
    assert_eq!(plausible[0].shape, ShapeKind::Step);
    let summary = calibration.summary().join("\n");
    assert!(summary.contains("Leads cool all at once"), "{summary}");
    // The scenario is the best fit to four significant digits: its exact
    // expectations move by no more than that rounding.
    let best = calibration.decay.best();
    let segment = calibration.segment("fitted", 40_000).unwrap();
    assert_eq!(
        segment.close_rate(),
        lead_decay::calibrate::significant(best.close_rate.value, 4)
    );
    let written = Expected::of_segment(&segment).customers_lost;
    assert!((written / plausible[0].customers_lost - 1.0).abs() < 1e-12);
    let unrounded = Segment::builder("fitted")
        .sqls(40_000)
        .close_rate(best.close_rate.value)
        .deal_value(segment.deal_value().clone())
        .decay(best.curve.clone())
        .never_followed_up(calibration.follow_up.best().never_followed_up.value)
        .delay(calibration.follow_up.best().distribution.clone())
        .build()
        .unwrap();
    let exact = Expected::of_segment(&unrounded).customers_lost;
    assert!((written / exact - 1.0).abs() < 2e-3, "{written} vs {exact}");
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
