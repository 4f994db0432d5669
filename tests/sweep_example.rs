//! The `sweep` example: one input varied over a range (table, JSON, CSV),
//! scenarios compared side by side, and clear errors for bad ranges.

mod common;

use serde_json::Value;

const B2B: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-industrial.toml");

fn stdout(args: &[&str]) -> String {
    let output = common::run("sweep", args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_follow_up_sweep_loses_more_the_slower_sales_answers() {
    let text = stdout(&[
        "--scenario",
        B2B,
        "--vary",
        "follow-up-mean",
        "--from",
        "0",
        "--to",
        "20d",
        "--steps",
        "5",
        "--trials",
        "4000",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["input"], "follow-up-mean");
    assert_eq!(v["unit"], "hours");
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 5);
    assert_eq!(points[0]["value"], 0.0);
    assert_eq!(points[4]["value"], 480.0);
    assert_eq!(points[4]["label"], "20d");
    let lost: Vec<f64> = points
        .iter()
        .map(|p| p["expected"]["revenue_lost"].as_f64().unwrap())
        .collect();
    assert!(lost.windows(2).all(|w| w[1] > w[0]), "{lost:?}");
    // Worked at once, only the 12.5 % never followed up are lost: 30 × 12.5 % × 100,000.
    assert!((lost[0] - 375_000.0).abs() < 1e-6, "{}", lost[0]);
    for p in points {
        let m = &p["metrics"]["revenue_lost"];
        assert!(m["p05"].as_f64().unwrap() <= m["p95"].as_f64().unwrap());
        assert!(p["metrics"]["roi_lost"]["p95"].is_number());
        assert!(p["expected"]["customers"].is_number());
    }
}

#[test]
fn every_input_sweeps_as_a_table_and_as_csv() {
    for (input, from, to) in [
        ("follow-up-mean", "1h", "3d"),
        ("shelf-life", "1d", "60d"),
        ("never-followed-up", "0", "0.5"),
        ("sla", "1h", "2d"),
    ] {
        let base = [
            "--scenario",
            B2B,
            "--vary",
            input,
            "--from",
            from,
            "--to",
            to,
            "--steps",
            "3",
            "--trials",
            "1000",
        ];
        let table = stdout(&base);
        assert!(table.contains("revenue lost (EUR)"), "{input}: {table}");
        assert!(table.contains("90 % of trials"), "{input}: {table}");
        assert!(table.contains("ROI lost (% points)"), "{input}: {table}");
        assert!(table.lines().nth(2).unwrap().starts_with("From "), "{input}: {table}");
        let mut csv_args = base.to_vec();
        csv_args.extend(["--format", "csv"]);
        let csv = stdout(&csv_args);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "{input}: {csv}");
        assert!(lines[0].starts_with("value,label,customers,customers_p05"), "{csv}");
    }
    // Neglect from 0 to 50 %: expected customers halve for SQLs worked at once.
    let text = stdout(&[
        "--vary",
        "never-followed-up",
        "--from",
        "0",
        "--to",
        "0.5",
        "--steps",
        "2",
        "--format",
        "csv",
    ]);
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!((rows[0][2], rows[1][2]), ("10", "5"), "{text}");
}

#[test]
fn scenarios_compare_side_by_side() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/");
    let files = [
        "inbound-web-downside.toml",
        "inbound-web.toml",
        "inbound-web-upside.toml",
    ]
    .map(|f| format!("{dir}{f}"));
    let mut args = vec!["--trials", "2000", "--compare"];
    args.extend(files.iter().map(String::as_str));
    let table = stdout(&args);
    let header = table.lines().find(|l| l.starts_with("metric")).unwrap();
    let (down, base, up) = (
        header.find("inbound-web-downside").unwrap(),
        header.find("inbound-web ").unwrap(),
        header.find("inbound-web-upside").unwrap(),
    );
    assert!(down < base && base < up, "{header}");
    assert!(table.contains("revenue lost (expected)"), "{table}");
    assert!(table.contains("USD"), "{table}");
    args.extend(["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&args)).unwrap();
    let lost: Vec<f64> = (0..3)
        .map(|i| v[i]["expected"]["revenue_lost"].as_f64().unwrap())
        .collect();
    assert!(lost[0] > lost[1] && lost[1] > lost[2], "{lost:?}");
}

fn rejected(args: &[&str]) -> String {
    let output = common::run("sweep", args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{args:?} was accepted");
    assert!(output.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn empty_reversed_and_malformed_ranges_are_clear_errors() {
    let base = ["--vary", "follow-up-mean", "--trials", "100"];
    for (from, to, expected) in [
        ("2d", "1d", "the sweep range is empty or reversed"),
        ("1d", "1d", "the sweep range is empty or reversed"),
        ("1d", "-2d", "--to"),
        ("nan", "1d", "--from"),
        ("1x", "1d", "\"1x\""),
    ] {
        let mut args = base.to_vec();
        args.extend(["--from", from, "--to", to]);
        let stderr = rejected(&args);
        assert!(stderr.contains(expected), "{from}..{to}: {stderr}");
    }
    let stderr = rejected(&["--vary", "never-followed-up", "--from", "0", "--to", "1.5"]);
    assert!(stderr.contains("a probability in [0, 1]"), "{stderr}");
    let stderr = rejected(&["--vary", "sla", "--from", "1h", "--to", "2h", "--steps", "1"]);
    assert!(stderr.contains("steps: expected at least 2 points"), "{stderr}");
    let stderr = rejected(&["--vary", "sla", "--from", "1h", "--to", "2h", "--segment", "nope"]);
    assert!(stderr.contains("\"industrial\""), "{stderr}");
    let stderr = rejected(&["--vary", "sla", "--from", "1h"]);
    assert!(stderr.contains("--from and --to"), "{stderr}");
}

#[test]
fn huge_step_counts_are_refused_at_once_naming_steps_and_the_cap() {
    // Issue 14, item 8: `--steps 4294967295` tried to allocate 34 GB.
    let cap = lead_decay::whatif::MAX_STEPS.to_string();
    for steps in [
        "4294967295",
        "4294967296",
        "100001",
        "18446744073709551616",
        "100000000000000000000000000000000000000000",
    ] {
        let stderr = rejected(&[
            "--vary", "sla", "--from", "1h", "--to", "2h", "--steps", steps, "--trials", "10",
        ]);
        assert!(
            stderr.contains("--steps") && stderr.contains(&cap) && stderr.contains("MAX_STEPS"),
            "--steps {steps}: {stderr}"
        );
    }
    // The cap itself is a valid request (refused here only for its range, not
    // its size: a zero-width range).
    let stderr = rejected(&["--vary", "sla", "--from", "1h", "--to", "1h", "--steps", &cap]);
    assert!(stderr.contains("empty or reversed"), "{stderr}");
}

const CAPACITY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/capacity.toml");

#[test]
fn a_reps_sweep_runs_the_capacity_model_and_more_reps_lose_less() {
    let text = stdout(&[
        "--scenario",
        CAPACITY,
        "--vary",
        "reps",
        "--from",
        "5",
        "--to",
        "8",
        "--trials",
        "100",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["input"], "reps");
    assert_eq!(v["unit"], "reps");
    let points = v["points"].as_array().unwrap();
    let values: Vec<f64> = points.iter().map(|p| p["value"].as_f64().unwrap()).collect();
    assert_eq!(values, [5.0, 6.0, 7.0, 8.0]);
    // The queue has no exact expectation: a capacity point says its figures
    // are Monte Carlo and carries no "expected" block.
    assert!(
        points
            .iter()
            .all(|p| p["figures"] == "monte-carlo" && p.get("expected").is_none())
    );
    let lost: Vec<f64> = points
        .iter()
        .map(|p| p["metrics"]["revenue_lost"]["mean"].as_f64().unwrap())
        .collect();
    assert!(lost[0] > lost[3], "5 reps lose {} and 8 reps {}", lost[0], lost[3]);
    assert!(points[0]["metrics"]["sla_met"]["mean"].is_number());
}

#[test]
fn a_reps_sweep_needs_a_team_that_keeps_up_and_a_sales_section() {
    for (args, expected) in [
        (
            vec!["--scenario", CAPACITY, "--vary", "reps", "--from", "1", "--to", "6"],
            "offered load",
        ),
        (
            vec!["--scenario", CAPACITY, "--vary", "reps", "--from", "0", "--to", "6"],
            "a whole number of reps >= 1",
        ),
        (
            vec!["--scenario", B2B, "--vary", "reps", "--from", "1", "--to", "3"],
            "[sales]",
        ),
    ] {
        let output = common::run("sweep", &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} accepted");
        assert!(
            stderr.contains(expected) && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn close_rate_and_deal_value_sweeps_scale_customers_and_revenue() {
    let csv = |input: &str, from: &str, to: &str| {
        stdout(&[
            "--vary", input, "--from", from, "--to", to, "--steps", "2", "--trials", "200", "--format", "csv",
        ])
    };
    // The reference case: 35 SQLs worked at once, deals of 100,000.
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect()
    };
    let close = rows(&csv("close-rate", "0.2", "0.4"));
    assert_eq!((close[0][2].as_str(), close[1][2].as_str()), ("7", "14"), "{close:?}");
    let value = rows(&csv("deal-value", "50000", "200000"));
    let lost: Vec<f64> = value.iter().map(|r| r[5].parse().unwrap()).collect();
    assert_eq!(lost, [62_500.0, 250_000.0], "{value:?}");
    let table = stdout(&[
        "--vary",
        "deal-value",
        "--from",
        "50000",
        "--to",
        "100000",
        "--steps",
        "2",
        "--trials",
        "200",
    ]);
    assert!(
        table.contains("mean deal value") && table.contains("100,000"),
        "{table}"
    );
}

/// The rows of the sweep table (header first).
fn table_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip_while(|l| !l.contains("  customers  "))
        .take_while(|l| !l.is_empty())
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn the_swept_column_has_one_unit_and_each_range_names_its_metric() {
    // 15d, 2.5w and 20d were three notations in one column: now days.
    let table = stdout(&[
        "--vary",
        "shelf-life",
        "--from",
        "15d",
        "--to",
        "20d",
        "--steps",
        "3",
        "--trials",
        "200",
    ]);
    let rows = table_rows(&table);
    assert_eq!(rows[0][0], "shelf life (days)", "{table}");
    let first: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(first, ["15.0", "17.5", "20.0"], "{table}");
    for metric in ["customers", "revenue lost"] {
        assert!(rows[0].contains(&format!("{metric}, 90 % of trials")), "{table}");
    }
    assert!(!rows[0].iter().any(|h| h == "90 % of trials"), "{table}");
    assert!(table.contains("from 15.0 to 20.0 days shelf life"), "{table}");
    // Hours on a short range, never a mix of hours and days.
    let table = stdout(&[
        "--vary",
        "follow-up-mean",
        "--from",
        "30m",
        "--to",
        "3h",
        "--steps",
        "6",
        "--trials",
        "100",
    ]);
    let rows = table_rows(&table);
    assert_eq!(rows[0][0], "mean follow-up delay (minutes)", "{table}");
    assert_eq!(rows[1][0], "30", "{table}");
    assert_eq!(rows[6][0], "180", "{table}");
}

#[test]
fn probabilities_read_in_percent_above_and_in_the_table() {
    let table = stdout(&[
        "--vary",
        "never-followed-up",
        "--from",
        "0",
        "--to",
        "0.5",
        "--steps",
        "3",
        "--trials",
        "200",
    ]);
    assert!(table.contains("from 0 to 50 % of SQLs never followed up"), "{table}");
    assert!(!table.contains("to 0.5 "), "{table}");
    let rows = table_rows(&table);
    assert_eq!(rows[0][0], "never followed up (% of SQLs)", "{table}");
    assert_eq!((rows[1][0].as_str(), rows[3][0].as_str()), ("0", "50"), "{table}");
}

/// A goal chance that one decimal would print as `0.0 %` while it is not
/// zero reads `< 0.1 %` (the exact chance of 30 customers of the quarter at
/// a 20-day mean delay is positive but far below a tenth of a percent).
#[test]
fn a_tiny_goal_chance_reads_below_a_tenth_of_a_percent() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-industrial.toml");
    let table = stdout(&[
        "--scenario",
        scenario,
        "--vary",
        "follow-up-mean",
        "--from",
        "0",
        "--to",
        "20d",
        "--trials",
        "200",
    ]);
    let last = table
        .lines()
        .find(|l| l.starts_with("20 ") || l.starts_with("20.0 "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(last.trim_end().ends_with("< 0.1 %"), "{last}");
    assert!(!table.contains(" 0.0 %"), "{table}");
}

#[test]
fn a_sweep_that_changes_nothing_says_why() {
    // The reference case works every SQL at once: shelf life cannot matter.
    let table = stdout(&["--vary", "shelf-life", "--from", "1d", "--to", "60d", "--trials", "100"]);
    assert!(
        table.contains("Every point gives the same figures: no worked SQL waits long enough to cool"),
        "{table}"
    );
    let moving = stdout(&[
        "--scenario",
        B2B,
        "--vary",
        "shelf-life",
        "--from",
        "1d",
        "--to",
        "60d",
        "--steps",
        "3",
        "--trials",
        "100",
    ]);
    assert!(!moving.contains("Every point gives the same figures"), "{moving}");
}

#[test]
fn a_malformed_duration_names_its_flag_once() {
    let stderr = rejected(&["--vary", "shelf-life", "--from", "0", "--to", "20 days"]);
    assert!(stderr.starts_with("error: --to: expected a duration"), "{stderr}");
    assert!(!stderr.contains(": :"), "{stderr}");
}

const WEEKEND: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/consumer-weekend.toml");
const INBOUND: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml");

/// The expected revenue lost at each point of a sweep of `knob` over the
/// consumer-weekend gallery scenario (Monday to Friday 9 to 17).
fn weekend_sweep(knob: &str, from: &str, to: &str, steps: &str) -> Vec<(String, f64)> {
    let text = stdout(&[
        "--scenario",
        WEEKEND,
        "--vary",
        knob,
        "--from",
        from,
        "--to",
        to,
        "--steps",
        steps,
        "--trials",
        "500",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["input"], knob);
    v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap().to_owned(),
                p["expected"]["revenue_lost"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_team_s_hours_sweep_as_what_ifs_an_evening_a_weekend_and_a_night_reply() {
    // Each later closing time, each extra working day and each faster
    // night reply loses less; the base point is today's file.
    let evenings = weekend_sweep("shift-end", "17h", "23h", "4");
    let base = evenings[0].1;
    assert!(evenings.windows(2).all(|w| w[1].1 < w[0].1), "{evenings:?}");
    let days = weekend_sweep("working-days", "5", "7", "3");
    assert_eq!(days[0].1, base);
    assert!(days.windows(2).all(|w| w[1].1 < w[0].1), "{days:?}");
    // Opening earlier, same closing time: more hours, less lost.
    let mornings = weekend_sweep("shift-start", "6h", "9h", "4");
    assert_eq!(mornings[3].1, base);
    assert!(mornings.windows(2).all(|w| w[1].1 > w[0].1), "{mornings:?}");
    // A reply at night: the sooner, the less lost.
    let replies = weekend_sweep("auto-response", "0", "2h", "3");
    assert!(replies.windows(2).all(|w| w[1].1 > w[0].1), "{replies:?}");
    assert!(replies[2].1 < base, "{replies:?} vs {base}");
    assert!(replies[0].1 < 0.5 * base, "{replies:?} vs {base}");
}

#[test]
fn a_team_hours_knob_on_a_round_the_clock_segment_or_a_bad_hour_is_a_clear_error() {
    let e = rejected(&["--scenario", B2B, "--vary", "shift-end", "--from", "17h", "--to", "21h"]);
    assert!(
        e.contains("calendar.working_hours") && e.contains("business hours"),
        "{e}"
    );
    let e = rejected(&[
        "--scenario",
        WEEKEND,
        "--vary",
        "shift-end",
        "--from",
        "8h",
        "--to",
        "21h",
    ]);
    assert!(e.contains("working_hours.mon"), "{e}");
    let e = rejected(&[
        "--scenario",
        WEEKEND,
        "--vary",
        "working-days",
        "--from",
        "5",
        "--to",
        "8",
        "--steps",
        "4",
    ]);
    assert!(e.contains("working_days"), "{e}");
}

/// Issue 18 item 10: the level a ratio-fitted decay leaves open is a knob
/// the analyst can sweep: customers and revenue at stake scale with it.
#[test]
fn the_instant_response_share_of_a_ratio_fitted_decay_sweeps() {
    let text = stdout(&[
        "--scenario",
        INBOUND,
        "--vary",
        "instant-response-share",
        "--from",
        "0.25",
        "--to",
        "1",
        "--steps",
        "4",
        "--trials",
        "200",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let lost: Vec<f64> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["expected"]["revenue_lost"].as_f64().unwrap())
        .collect();
    assert_eq!(lost.len(), 4);
    // Linear in the share: a quarter of the SQLs, a quarter of the loss.
    assert!((lost[0] - 0.25 * lost[3]).abs() <= 1e-9 * lost[3], "{lost:?}");
    assert!(lost.windows(2).all(|w| w[1] > w[0]), "{lost:?}");
}

#[test]
fn a_reps_sweep_with_a_precision_target_stops_each_team_once_its_loss_is_measured() {
    let sweep = [
        "--scenario",
        CAPACITY,
        "--vary",
        "reps",
        "--from",
        "4",
        "--to",
        "9",
        "--trials",
        "5000",
        "--precision",
        "0.02",
    ];
    let json = stdout(&[&sweep[..], &["--format", "json"]].concat());
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["trials"], 5000);
    let points = v["points"].as_array().unwrap();
    let mut trials = Vec::new();
    for p in points {
        let target = &p["precision"];
        assert_eq!(target["reached"], true, "{p}");
        assert_eq!(target["share"], 0.02);
        let (se, scale) = (target["std_error"].as_f64().unwrap(), target["scale"].as_f64().unwrap());
        assert!(se <= 0.02 * scale, "{se} against {scale}");
        assert_eq!(p["metrics"]["revenue_lost"]["std_error"].as_f64().unwrap(), se);
        trials.push(p["trials"].as_u64().unwrap());
    }
    // The teams whose losses spread widely need many trials; the largest,
    // which loses almost nothing, few.
    assert!(trials.iter().all(|&n| (200..=5_000).contains(&n)), "{trials:?}");
    assert!(trials.iter().max().unwrap() > &(4 * trials[5]), "{trials:?}");
    // The table says so in its first line and a column.
    let table = stdout(&sweep);
    let first = table.lines().next().unwrap();
    assert!(
        first.contains(
            "up to 5,000 trials per point, each stopped once the standard error of its revenue lost is 2.0 % of it"
        ),
        "{first}"
    );
    let rows = table_rows(&table);
    assert_eq!(rows[0].last().unwrap(), "trials");
    assert_eq!(rows[1].last().unwrap(), &grouped(trials[0]));
}

/// `n` with thousands separated by commas.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_precision_target_outside_a_reps_sweep_or_out_of_range_is_refused_naming_it() {
    let stderr = rejected(&[
        "--vary",
        "follow-up-mean",
        "--from",
        "1h",
        "--to",
        "2d",
        "--precision",
        "0.01",
    ]);
    assert!(stderr.contains("precision: expected --vary reps"), "{stderr}");
    let stderr = rejected(&[
        "--scenario",
        CAPACITY,
        "--vary",
        "reps",
        "--from",
        "4",
        "--to",
        "6",
        "--precision",
        "0",
    ]);
    assert!(stderr.contains("precision: expected a share in (0, 1)"), "{stderr}");
}
