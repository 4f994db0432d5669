//! The `plan` example as an analyst runs it: the JSON contract of issue 3,
//! scenario files with a `[plan]` section, and clear errors.

mod common;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = common::run("plan", &all);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_revenue_goal_plans_deals_sqls_and_mqls() {
    let v = json(&[
        "--revenue-goal",
        "20000000",
        "--deal-value",
        "50000",
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
    ]);
    assert_eq!(v["deals"], 400);
    assert_eq!(v["stages"][0]["stage"], "sql");
    assert_eq!(v["stages"][0]["count"], 1600);
    assert!(v["stages"][0]["cost"].is_null());
    assert_eq!(v["stages"][1]["stage"], "mql");
    assert_eq!(v["stages"][1]["count"], 8000);
    assert!(v["confidence"].is_null());
    for key in ["budget", "cost_per_customer", "neglect_overhead", "warnings"] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn a_confidence_level_plans_55_sqls_for_ten_customers() {
    let v = json(&["--customer-goal", "10", "--close-rate", "0.25", "--confidence", "0.9"]);
    assert_eq!(v["stages"][0]["count"], 40);
    assert_eq!(v["confidence"]["level"], 0.9);
    assert_eq!(v["confidence"]["sqls"], 55);
    assert!((v["confidence"]["probability"].as_f64().unwrap() - 0.9112).abs() < 5e-5);
}

#[test]
fn a_scenario_supplies_goal_close_rate_neglect_and_decay() {
    let dir = common::temp_dir("plan-scenario");
    let path = dir.join("plan.toml");
    let scenario = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/scenarios/reference.toml"
    ))
    .unwrap();
    std::fs::write(&path, format!("{scenario}\n[plan]\nmql_to_sql = 0.2\n")).unwrap();
    let v = json(&["--scenario", path.to_str().unwrap()]);
    // 10 customers at 25 % with 5 of every 40 never followed up: 46 SQLs, 230 MQLs.
    assert_eq!(v["stages"][0]["count"], 46);
    assert_eq!(v["stages"][1]["count"], 230);
    assert_eq!(v["neglect_overhead"]["sqls"], 6);
    // Flags override the file.
    let v = json(&["--scenario", path.to_str().unwrap(), "--customer-goal", "20"]);
    assert_eq!(v["stages"][0]["count"], 92);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_input_names_the_field_and_exits_non_zero() {
    for (args, field) in [
        (vec!["--customer-goal", "10", "--close-rate", "1.5"], "close_rate"),
        (vec!["--customer-goal", "0", "--close-rate", "0.25"], "customer_goal"),
        (
            vec!["--customer-goal", "10", "--close-rate", "0.25", "--confidence", "1"],
            "confidence",
        ),
        (vec!["--customer-goal", "10"], "close_rate"),
    ] {
        let output = common::run("plan", &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} accepted");
        assert!(
            stderr.contains(field) && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}
