//! The `capacity` example as an analyst runs it: every question answers,
//! JSON keys are there, bad input is a clean error.

mod common;

fn run_ok(args: &[&str]) -> String {
    let mut all = vec!["--trials", "30"];
    all.extend_from_slice(args);
    let output = common::run("capacity", &all);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn run_prints_the_team_and_json_has_the_metrics() {
    let table = run_ok(&["run"]);
    assert!(table.contains("rep utilisation"));
    assert!(
        table.contains("to the MQL pool") && table.contains("lost to a competitor"),
        "{table}"
    );
    let v: serde_json::Value = serde_json::from_str(&run_ok(&["run", "--format", "json"])).unwrap();
    for key in [
        "customers",
        "revenue_lost",
        "roi_lost",
        "sla_met",
        "rep_utilisation",
        "queue_length",
        "recycled",
        "reverted",
        "lost_to_competitor",
    ] {
        assert!(v["metrics"].get(key).is_some(), "{key} missing");
    }
    assert!(v["delay_hours"]["p99"].as_f64().unwrap() >= v["delay_hours"]["p50"].as_f64().unwrap());
    assert_eq!(v["weekly"].as_array().unwrap().len(), 8);
}

#[test]
fn each_question_has_an_answer() {
    assert!(run_ok(&["reps", "--max-roi-lost", "0.5"]).contains("reps keep the mean ROI lost under"));
    let inquiries = run_ok(&["inquiries"]);
    assert!(inquiries.contains("Forwarding raw inquiries costs"));
    // No BANT scoring runs: the row is the run without forwarded inquiries.
    assert!(inquiries.contains("SQLs only, no inquiries forwarded"), "{inquiries}");
    assert!(!inquiries.contains("BANT"), "{inquiries}");
    let disciplines = run_ok(&["disciplines"]);
    assert!(disciplines.contains("newest-first") && disciplines.contains("priority"));
    let sla = run_ok(&["sla", "--up-to", "12"]);
    assert!(sla.contains("5 min") && sla.contains("1 day"));
}

#[test]
fn a_bad_scenario_is_a_one_line_error() {
    let dir = common::temp_dir("capacity-bad");
    let path = dir.join("bad.toml");
    let text = include_str!("../examples/scenarios/capacity.toml").replace("reps = 4", "reps = 0");
    std::fs::write(&path, text).unwrap();
    let output = common::run("capacity", &["--scenario", path.to_str().unwrap(), "run"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sales.reps"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn the_run_names_each_figure_plainly() {
    let table = run_ok(&["run"]);
    // p05 to p95 holds 90 % of the trials, not 95 %.
    assert!(
        table.contains("90 % of trials") && !table.contains("95 % of trials"),
        "{table}"
    );
    // ROI lost is a difference of percentages: percentage points.
    let roi = table.lines().find(|l| l.trim_start().starts_with("ROI lost")).unwrap();
    assert!(roi.ends_with("% points"), "{roi}");
    // The share with zero wait is not "never followed up".
    assert!(table.contains("worked with no wait"), "{table}");
    assert!(!table.contains("none "), "{table}");
    // The ± says what it is.
    let lost = table
        .lines()
        .find(|l| l.trim_start().starts_with("revenue lost"))
        .unwrap();
    assert!(
        lost.contains("± ") && lost.contains("95 % confidence interval of this mean"),
        "{lost}"
    );
}

/// The rows of the table that starts with the line beginning `first`.
fn table<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(first))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn every_comparison_table_heads_its_first_column_and_aligns_unstable_teams() {
    let reps = run_ok(&["reps", "--up-to", "5"]);
    let rows = table(&reps, "reps ");
    assert!(rows.len() == 6, "{reps}");
    assert!(
        rows[0].contains("ROI lost (% points)") && rows[0].contains("revenue lost (USD)"),
        "{reps}"
    );
    // Teams of 1 to 3 reps cannot keep up: their note starts where the
    // figures of the other rows start.
    let column = rows[0].find("customers").unwrap();
    let unstable: Vec<&&str> = rows.iter().filter(|r| r.contains("unstable")).collect();
    assert_eq!(unstable.len(), 3, "{reps}");
    for row in unstable {
        assert_eq!(row.find("unstable"), Some(column), "{reps}");
        assert!(
            row.contains("offered load") && row.contains("grows without bound"),
            "{row}"
        );
    }
    let inquiries = run_ok(&["inquiries"]);
    assert_eq!(table(&inquiries, "what sales handles").len(), 3, "{inquiries}");
    let disciplines = run_ok(&["disciplines"]);
    let rows = table(&disciplines, "queue discipline");
    assert_eq!(rows.len(), 4, "{disciplines}");
    // Right-aligned figures end in the same column as their header.
    let end = rows[0].find("ROI lost (% points)").unwrap() + "ROI lost (% points)".len();
    assert!(rows.iter().all(|r| r.len() == end), "{disciplines}");
}

#[test]
fn sla_states_the_target_it_uses() {
    let sla = run_ok(&["sla", "--up-to", "10", "--target", "0.8"]);
    assert!(sla.contains("80.0 % of the SQLs within each SLA"), "{sla}");
    assert!(sla.contains("met (target 80.0 %)"), "{sla}");
}

#[test]
fn zero_trials_fail_before_anything_is_printed() {
    for command in ["run", "reps", "inquiries", "disciplines", "sla"] {
        let output = common::run("capacity", &["--trials", "0", command]);
        assert!(!output.status.success());
        assert!(
            output.stdout.is_empty(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("trials: expected at least 1 trial"), "{stderr}");
    }
}

#[test]
fn a_scenario_without_a_sales_section_is_named_in_the_error() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/reference.toml");
    let output = common::run("capacity", &["--scenario", path, "run"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("reference.toml") && stderr.contains("[sales]"),
        "{stderr}"
    );
}

#[test]
fn a_precision_target_says_where_each_run_stopped() {
    let output = common::run("capacity", &["--trials", "5000", "--precision", "0.05", "run"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("precision"))
        .expect(&text);
    assert!(line.contains("target 5.0 % (met; at most 5,000 trials)"), "{line}");
    let trials = text.lines().find(|l| l.trim_start().starts_with("trials")).unwrap();
    assert!(
        !trials.contains("5,000"),
        "a 5 % target is met before 5,000 trials: {trials}"
    );
    // Comparison tables give each run's trials.
    let output = common::run("capacity", &["--trials", "3000", "--precision", "0.05", "disciplines"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.trim_end().ends_with("trials"), "{header}");
    // A target out of range fails before anything is printed.
    let output = common::run("capacity", &["--precision", "1.5", "run"]);
    assert!(!output.status.success() && output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("precision: expected a share in (0, 1)"), "{stderr}");
}
