//! The value of speed through the `sweep` example: `--speed` sweeps the
//! mean follow-up delay from 1 minute to 30 days on a log grid, prices one
//! hour of delay at today's setting, and with uncertain inputs adds their
//! band at every point.

mod common;

use lead_decay::whatif::Knob;
use lead_decay::{Expected, Scenario};
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
fn speed_sweeps_one_minute_to_thirty_days_on_a_log_grid_and_prices_an_hour() {
    let text = stdout(&["--scenario", B2B, "--speed", "--trials", "300", "--format", "json"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["input"], "follow-up-mean");
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 25);
    let values: Vec<f64> = points.iter().map(|p| p["value"].as_f64().unwrap()).collect();
    assert_eq!(values[0], 1.0 / 60.0);
    assert_eq!(values[24], 720.0);
    let ratios: Vec<f64> = values.windows(2).map(|w| w[1] / w[0]).collect();
    assert!(ratios.iter().all(|r| (r / ratios[0] - 1.0).abs() < 1e-9), "{ratios:?}");
    // No uncertain input: no bands.
    assert!(points.iter().all(|p| p.get("input_bands").is_none()));

    // Today the b2b team answers after 2 days on average; an hour more costs
    // what the exact expectation's slope says (checked here by a plain
    // central difference of the library's exact expectation).
    let marginal = &v["marginal"];
    assert_eq!(marginal["today_hours"], 48.0);
    let per_hour = marginal["per_hour"]["revenue_lost"].as_f64().unwrap();
    let scenario = Scenario::load(B2B).unwrap();
    let lost = |m: f64| Expected::of(&Knob::FollowUpMean.apply(&scenario, m, None).unwrap()).revenue_lost;
    let difference = (lost(48.25) - lost(47.75)) / 0.5;
    assert!(
        per_hour > 0.0 && (per_hour - difference).abs() < 1e-4 * per_hour,
        "{per_hour} vs {difference}"
    );
    assert!(marginal["per_hour"]["customers"].as_f64().unwrap() < 0.0);
    assert!(marginal.get("per_hour_p05").is_none_or(Value::is_null));
}

#[test]
fn uncertain_inputs_band_every_point_and_the_price_of_an_hour() {
    let text = stdout(&[
        "--scenario",
        B2B,
        "--speed",
        "--steps",
        "6",
        "--uncertain",
        "close-rate=0.18..0.32",
        "--uncertain",
        "shelf-life=20d..40d",
        "--trials",
        "300",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        let at = |name: &str| row[column(name)].parse::<f64>().unwrap();
        assert!(at("customers_inputs_p05") < at("customers_inputs_p95"), "{row:?}");
        assert!(at("revenue_lost_inputs_p05") < at("revenue_lost_inputs_p95"), "{row:?}");
        assert!(at("roi_lost_inputs_p05") < at("roi_lost_inputs_p95"), "{row:?}");
    }
    // Slower costs more at every percentile of the inputs.
    let p95: Vec<f64> = rows
        .iter()
        .map(|r| r[column("revenue_lost_inputs_p95")].parse().unwrap())
        .collect();
    assert!(p95.windows(2).all(|w| w[1] > w[0]), "{p95:?}");

    let table = stdout(&[
        "--scenario",
        B2B,
        "--speed",
        "--steps",
        "4",
        "--uncertain",
        "close-rate=0.18..0.32",
        "--trials",
        "300",
    ]);
    assert!(
        table.contains("At today's mean delay (2.0 days), each hour of extra delay costs"),
        "{table}"
    );
    assert!(table.contains("over the uncertain inputs"), "{table}");
    assert!(table.contains("90 % of inputs"), "{table}");
}

#[test]
fn the_speed_chart_draws_bands_today_and_the_goal() {
    let dir = common::temp_dir("speed-chart");
    let svg = dir.join("speed.svg");
    stdout(&[
        "--scenario",
        B2B,
        "--speed",
        "--steps",
        "8",
        "--uncertain",
        "close-rate=0.18..0.32",
        "--trials",
        "200",
        "--chart",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    for words in [
        "the value of speed",
        "today: 2.0 days on average",
        "goal: 30 customers",
        "90 % of the uncertain inputs",
        "1 min",
        "30 days",
    ] {
        assert!(text.contains(words), "the SVG lacks {words:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_log_grid_must_start_above_zero() {
    let output = common::run(
        "sweep",
        &["--vary", "follow-up-mean", "--log", "--from", "0", "--to", "2d"],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("from") && stderr.contains("log scale"), "{stderr}");
}
