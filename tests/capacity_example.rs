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
