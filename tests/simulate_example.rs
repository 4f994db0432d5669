//! The `simulate` example as an analyst runs it: the reference table, the
//! JSON contract of `lead_decay::guide::json`, CSV, per-trial export, and a clear
//! error with a non-zero exit for every kind of bad input.

mod common;

use std::path::Path;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = common::run("simulate", &all);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn without_arguments_it_prints_the_reference_table_with_a_verdict() {
    let output = common::run("simulate", &["--trials", "20000"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("lead-decay: reference |"), "{text}");
    assert!(
        text.contains("Neglect costs 1.25 of 10.00 expected customers (12.5 %), 125,000 in expected revenue"),
        "{text}"
    );
    assert!(text.contains("P(at least 10 customers) falls from 5"), "{text}");
    assert!(text.contains("875,000"), "{text}");
    for label in ["customers lost", "revenue lost", "95 % CI of the mean"] {
        assert!(text.contains(label), "{label} missing from:\n{text}");
    }
}

/// The table's row that starts with `label`, split on runs of spaces.
fn row<'a>(text: &'a str, label: &'a str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.starts_with(label) && l[label.len()..].starts_with("  "))
        .unwrap_or_else(|| panic!("no row {label:?} in:\n{text}"));
    std::iter::once(label)
        .chain(line[label.len()..].split("  ").map(str::trim).filter(|c| !c.is_empty()))
        .collect()
}

#[test]
fn the_goal_chance_is_exact_whatever_the_trials_and_is_in_the_table() {
    // Ten trials estimate the chance poorly; the verdict and the table give
    // the exact binomial tails all the same.
    let output = common::run("simulate", &["--trials", "10"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("P(at least 10 customers) falls from 56.0 % to 37.4 %."),
        "{text}"
    );
    let goal = row(&text, "P(at least 10 customers)");
    assert_eq!((goal[1], goal[7]), ("37.4", "% of trials"), "{goal:?}");
    let ideal = row(&text, "P(at least 10 customers), all worked at once");
    assert_eq!(ideal[1], "56.0", "{ideal:?}");
    // No currency: the money rows still say what they are in.
    for label in ["revenue", "revenue, all worked at once", "revenue lost"] {
        assert_eq!(row(&text, label)[7], "money (no currency set)", "{text}");
    }
    let v = json(&["--trials", "10"]);
    assert!((v["goal"]["exact"]["probability"].as_f64().unwrap() - 0.3737).abs() < 1e-4);
    assert!((v["goal"]["exact"]["probability_ideal"].as_f64().unwrap() - 0.5605).abs() < 1e-4);
    assert!(v["goal"]["std_error"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_verdict_splits_the_loss_and_names_the_larger_part() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/scenarios/consumer-afternoon.toml"
    );
    let output = common::run("simulate", &["--scenario", path, "--trials", "1000"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "Neglect and slow follow-up cost 35.50 of 60.00 expected customers (59.2 %), 5,324 USD in expected \
             revenue (106.5 points of ROI): most of it from SQLs followed up too late (29.50 customers), the rest \
             from SQLs never followed up (6.00)"
        ),
        "{text}"
    );
    let v = json(&["--scenario", path, "--trials", "100"]);
    let lost = &v["expected"]["lost"];
    assert_eq!(lost["never_followed_up"]["customers"], 6.0);
    // The two causes add up to the loss.
    let late = lost["too_late"]["customers"].as_f64().unwrap();
    let total = v["expected"]["customers_lost"].as_f64().unwrap();
    assert!(
        (6.0 + late - total).abs() < 1e-9 && (late - 29.5).abs() < 0.01,
        "{late} of {total}"
    );
    let reference = json(&["--trials", "100"]);
    assert_eq!(reference["expected"]["lost"]["never_followed_up"]["revenue"], 125_000.0);
    assert_eq!(reference["expected"]["lost"]["too_late"]["customers"], 0.0);
}

#[test]
fn json_output_keeps_the_contract_keys() {
    let v = json(&["--trials", "50000", "--seed", "7"]);
    assert_eq!(v["scenario"], "reference");
    assert_eq!(v["trials"], 50000);
    assert_eq!(v["seed"], 7);
    assert_eq!(v["expected"]["customers"], 8.75);
    assert_eq!(v["expected"]["revenue_lost"], 125000.0);
    assert!(v["expected"]["roi"].is_null());
    for metric in [
        "customers",
        "customers_ideal",
        "customers_lost",
        "revenue",
        "revenue_ideal",
        "revenue_lost",
    ] {
        for key in [
            "mean",
            "std_dev",
            "std_error",
            "ci95_low",
            "ci95_high",
            "min",
            "p05",
            "p25",
            "p50",
            "p75",
            "p95",
            "max",
        ] {
            assert!(v["metrics"][metric][key].is_number(), "metrics.{metric}.{key}");
        }
    }
    assert!(v["metrics"]["roi"].is_null());
    assert_eq!(v["metrics"]["customers"]["p50"], 9.0);
    assert_eq!(v["goal"]["customers"], 10);
    assert!((v["goal"]["probability"].as_f64().unwrap() - 0.3737).abs() < 0.01);
    assert_eq!(v["segments"][0]["name"], "industrial");
    assert_eq!(v["segments"][0]["expected"]["customers"], 8.75);
    assert!(v["segments"][0]["metrics"]["customers"]["mean"].is_number());
    assert!(v["timing"]["seconds"].is_number() && v["timing"]["trials_per_second"].is_number());
}

#[test]
fn engines_and_thread_counts_are_selectable_and_reproducible() {
    let a = json(&["--trials", "5000", "--engine", "per-sql", "--threads", "1"]);
    let b = json(&["--trials", "5000", "--engine", "per-sql", "--threads", "2"]);
    assert_eq!(a["engine"], "per-sql");
    assert_eq!(a["metrics"], b["metrics"]);
    assert_eq!(json(&["--trials", "10"])["engine"], "collapsed");
}

#[test]
fn csv_has_one_row_per_metric() {
    let output = common::run("simulate", &["--format", "csv", "--trials", "1000"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("metric,expected,mean,std_dev"), "{text}");
    assert_eq!(lines.len(), 1 + 6, "{text}");
    assert!(lines[1].starts_with("customers,8.75,"), "{text}");
}

#[test]
fn per_trial_rows_match_the_summary() {
    let dir = common::temp_dir("per-trial");
    let path = dir.join("trials.csv");
    let v = json(&["--trials", "3000", "--per-trial", path.to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "trial");
    assert_eq!(&header[1], "customers");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3000);
    let mean = rows.iter().map(|r| r[1].parse::<f64>().unwrap()).sum::<f64>() / 3000.0;
    assert!((mean - v["metrics"]["customers"]["mean"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(rows[2999][0].parse::<u64>().unwrap(), 2999);
    // The same trials as a run without the export.
    assert_eq!(json(&["--trials", "3000"])["metrics"], v["metrics"]);
    std::fs::remove_dir_all(dir).unwrap();
}

const GOOD: &str = r#"
name = "cli"
[[segments]]
name = "a"
sqls = 40
close_rate = 0.25
deal_value = 100000
decay = "b2b-industrial"
neglected = 5
follow_up = { dist = "exponential", mean = "2d" }
"#;

fn rejected(dir: &Path, name: &str, text: &str, extra: &[&str]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["--scenario", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = common::run("simulate", &args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{name} was accepted");
    assert!(output.stdout.is_empty(), "{name}: printed a result");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{name}: {stderr}"
    );
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "{name}: one paragraph expected: {stderr}"
    );
    stderr
}

#[test]
fn bad_input_gets_a_one_paragraph_error_and_a_non_zero_exit() {
    let dir = common::temp_dir("bad-input");
    let cases: [(&str, String, &str); 10] = [
        (
            "close.toml",
            GOOD.replace("close_rate = 0.25", "close_rate = 1.25"),
            "segments[0].close_rate: expected a probability in [0, 1], got 1.25",
        ),
        (
            "nan.toml",
            GOOD.replace("mean = \"2d\"", "mean = nan"),
            "segments[0].follow_up.mean",
        ),
        (
            "negative.toml",
            GOOD.replace("mean = \"2d\"", "mean = \"-2d\""),
            "segments[0].follow_up.mean",
        ),
        ("unit.toml", GOOD.replace("mean = \"2d\"", "mean = \"3x\""), "\"3x\""),
        (
            "both.toml",
            GOOD.replace("neglected = 5", "neglected = 5\nnever_followed_up = 0.2"),
            "not both",
        ),
        (
            "too-many.toml",
            GOOD.replace("neglected = 5", "neglected = 50"),
            "at most the segment's sqls (40)",
        ),
        (
            "unknown.toml",
            GOOD.replace("sqls = 40", "sqls = 40\nclose_rat = 0.2"),
            "unknown field `close_rat`",
        ),
        (
            "table.toml",
            GOOD.replace(
                "\"b2b-industrial\"",
                "{ shape = \"table\", points = [[1, 0.2], [2, 0.5]] }",
            ),
            "segments[0].decay.points[1]",
        ),
        (
            "none.toml",
            "name = \"x\"\nsegments = []\n".to_owned(),
            "segments: expected at least one segment",
        ),
        (
            "dup.toml",
            format!("{GOOD}{}", &GOOD[GOOD.find("[[segments]]").unwrap()..]),
            "segments[1].name",
        ),
    ];
    for (name, text, expected) in &cases {
        let stderr = rejected(&dir, name, text, &[]);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: the file is not named: {stderr}");
    }
    let stderr = rejected(&dir, "ok.toml", GOOD, &["--trials", "0"]);
    assert!(stderr.contains("trials: expected at least 1 trial"), "{stderr}");
    let output = common::run("simulate", &["--scenario", dir.join("missing.toml").to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.toml"));
    std::fs::remove_dir_all(dir).unwrap();
}
