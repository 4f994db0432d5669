//! Value stability: the results this crate promises to reproduce, pinned
//! across versions (as `rand_distr`'s `tests/value_stability.rs` pins its
//! samplers).
//!
//! The crate promises bit-identical reports for the same scenario, seed,
//! trial count and engine on any thread count and machine. These tests pin
//! them across versions too: the first outputs of the per-trial generator,
//! and the JSON of a few reports of the library and of every example, are
//! kept under `tests/value_stability/`. Every number in a pinned file must be
//! reproduced bit for bit (JSON numbers are written and read exactly). A new
//! field is an addition and passes; a changed or removed one fails.
//!
//! A deliberate change of results regenerates the pins on purpose, in a commit
//! that says which results changed and why:
//!
//! ```text
//! LEAD_DECAY_UPDATE_PINS=1 cargo test --test value_stability
//! ```

mod common;

use std::path::PathBuf;

use lead_decay::capacity::CapacitySimulation;
use lead_decay::engine::trial_rng;
use lead_decay::{Engine, Expected, Scenario, Simulation};
use rand::RngExt;
use serde_json::{Value, json};

fn pin_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/value_stability")
        .join(format!("{name}.json"))
}

fn scenario_file(path: &str) -> Scenario {
    Scenario::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// Compares `actual` with the pinned value `name`, or writes the pin when
/// `LEAD_DECAY_UPDATE_PINS` is set.
fn assert_pinned(name: &str, actual: &Value) {
    let path = pin_path(name);
    if std::env::var_os("LEAD_DECAY_UPDATE_PINS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(actual).unwrap() + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (LEAD_DECAY_UPDATE_PINS=1 writes it)", path.display()));
    let pinned: Value = serde_json::from_str(&text).unwrap();
    let mut differences = Vec::new();
    compare(&pinned, actual, String::new(), &mut differences);
    assert!(
        differences.is_empty(),
        "{name}: {} pinned value(s) changed:\n{}",
        differences.len(),
        differences.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// Every value of `pinned` must be in `actual`, equal bit for bit; keys that
/// only `actual` has are additions.
fn compare(pinned: &Value, actual: &Value, at: String, differences: &mut Vec<String>) {
    match (pinned, actual) {
        (Value::Object(p), Value::Object(a)) => {
            for (key, value) in p {
                match a.get(key) {
                    Some(other) => compare(value, other, format!("{at}.{key}"), differences),
                    None => differences.push(format!("{at}.{key}: removed (was {value})")),
                }
            }
        }
        (Value::Array(p), Value::Array(a)) if p.len() == a.len() => {
            for (i, (value, other)) in p.iter().zip(a).enumerate() {
                compare(value, other, format!("{at}[{i}]"), differences);
            }
        }
        (Value::Number(p), Value::Number(a)) => {
            let same = match (p.as_u64(), a.as_u64(), p.as_i64(), a.as_i64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => p.as_f64().map(f64::to_bits) == a.as_f64().map(f64::to_bits),
            };
            if !same {
                differences.push(format!("{at}: pinned {p}, now {a}"));
            }
        }
        (p, a) if p == a => {}
        (p, a) => differences.push(format!("{at}: pinned {p}, now {a}")),
    }
}

#[test]
fn the_per_trial_generator_keeps_its_streams() {
    let mut streams = serde_json::Map::new();
    for (seed, trial) in [(0u64, 0u64), (1, 0), (1, 1), (42, 999_999), (u64::MAX, u64::MAX)] {
        let mut rng = trial_rng(seed, trial);
        let words: Vec<String> = (0..4).map(|_| format!("{:016x}", rng.random::<u64>())).collect();
        streams.insert(format!("seed {seed}, trial {trial}"), json!(words));
    }
    assert_pinned("trial_rng", &Value::Object(streams));
}

/// The library's reports of a few scenarios, on both engines.
#[test]
fn simulation_reports_keep_their_bits() {
    let cases: [(&str, Scenario, u64); 6] = [
        ("reference", Scenario::reference(), 20_000),
        (
            "b2b_industrial",
            scenario_file("examples/scenarios/b2b-industrial.toml"),
            5_000,
        ),
        (
            "consumer_afternoon",
            scenario_file("examples/scenarios/consumer-afternoon.toml"),
            5_000,
        ),
        (
            "inbound_web",
            scenario_file("examples/scenarios/inbound-web.toml"),
            5_000,
        ),
        (
            "score_decay",
            scenario_file("examples/scenarios/score-decay.toml"),
            5_000,
        ),
        ("throughput", scenario_file("benches/data/throughput.toml"), 500),
    ];
    for (name, scenario, trials) in cases {
        let mut pinned = serde_json::Map::new();
        pinned.insert(
            "expected".into(),
            serde_json::to_value(Expected::of(&scenario)).unwrap(),
        );
        for engine in [Engine::PerSql, Engine::Collapsed] {
            let report = Simulation::new(&scenario)
                .trials(trials)
                .seed(7)
                .engine(engine)
                .run()
                .unwrap();
            pinned.insert(engine.name().into(), serde_json::to_value(&report).unwrap());
        }
        assert_pinned(&format!("report_{name}"), &Value::Object(pinned));
    }
}

#[test]
fn a_capacity_run_keeps_its_bits() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/capacity.toml");
    let model = lead_decay::Analysis::load(path).unwrap().capacity_model().unwrap();
    let report = CapacitySimulation::new(&model).trials(12).seed(3).run().unwrap();
    assert_pinned("capacity_run", &serde_json::to_value(&report).unwrap());
}

/// The gallery's capacity scenario with another `[sales]` working week.
fn with_week(days: &str, hours: &str, arrivals: &str) -> String {
    include_str!("../examples/scenarios/capacity.toml")
        .replacen(
            "working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            &format!("working_days = {days}"),
            1,
        )
        .replacen(
            "working_hours = [\"9h\", \"17h\"]",
            &format!("working_hours = {hours}"),
            1,
        )
        .replacen("arrivals = \"working-hours\"", &format!("arrivals = \"{arrivals}\""), 1)
}

/// The queue on other working weeks, pinned when it moved onto the shared
/// `Calendar` (the same bits as before the move, which an earlier test
/// compared on the old tree).
#[test]
fn capacity_runs_on_other_working_weeks_keep_their_bits() {
    let weekdays = "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]";
    let cases = [
        ("office_always", with_week(weekdays, "[\"9h\", \"17h\"]", "always"), 11),
        (
            "six_day_half_hours",
            with_week(
                "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]",
                "[\"8.5h\", \"16.25h\"]",
                "working-hours",
            ),
            3,
        ),
        (
            "round_the_clock",
            include_str!("../examples/scenarios/capacity.toml")
                .replacen("working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n", "", 1)
                .replacen("working_hours = [\"9h\", \"17h\"]\n", "", 1)
                .replacen("arrivals = \"working-hours\"", "arrivals = \"always\"", 1),
            5,
        ),
    ];
    for (name, text, seed) in cases {
        let model = lead_decay::Analysis::from_toml_str(&text)
            .unwrap()
            .capacity_model()
            .unwrap();
        let report = CapacitySimulation::new(&model).trials(10).seed(seed).run().unwrap();
        assert_pinned(&format!("capacity_{name}"), &serde_json::to_value(&report).unwrap());
    }
}

fn example_json(example: &str, args: &[&str]) -> Value {
    let output = common::run(example, args);
    assert!(
        output.status.success(),
        "{example} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut value: Value = serde_json::from_slice(&output.stdout).unwrap();
    strip_timings(&mut value);
    value
}

/// Wall-clock figures are not results.
fn strip_timings(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !key.contains("seconds") && !key.contains("per_second"));
            map.values_mut().for_each(strip_timings);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_timings),
        _ => {}
    }
}

/// What the example programs print for programs (their JSON), as an analyst
/// runs them.
#[test]
fn the_examples_print_the_same_results() {
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "simulate_reference",
            "simulate",
            &["--format", "json", "--trials", "20000", "--seed", "11"],
        ),
        (
            "simulate_consumer_day",
            "simulate",
            &[
                "--format",
                "json",
                "--trials",
                "3000",
                "--scenario",
                "examples/scenarios/consumer-day.toml",
            ],
        ),
        (
            "sweep_follow_up_mean",
            "sweep",
            &[
                "--format",
                "json",
                "--trials",
                "2000",
                "--vary",
                "follow-up-mean",
                "--scenario",
                "examples/scenarios/b2b-industrial.toml",
                "--from",
                "1h",
                "--to",
                "10d",
                "--steps",
                "4",
            ],
        ),
        (
            "sweep_compare",
            "sweep",
            &[
                "--format",
                "json",
                "--trials",
                "2000",
                "--compare",
                "examples/scenarios/inbound-web.toml",
                "examples/scenarios/inbound-web-upside.toml",
                "examples/scenarios/inbound-web-downside.toml",
            ],
        ),
        (
            "plan_revenue_goal",
            "plan",
            &[
                "--format",
                "json",
                "--revenue-goal",
                "20000000",
                "--deal-value",
                "50000",
                "--close-rate",
                "0.25",
                "--confidence",
                "0.9",
            ],
        ),
        (
            "capacity_run",
            "capacity",
            &["--trials", "8", "run", "--format", "json"],
        ),
    ];
    for (name, example, args) in cases {
        assert_pinned(&format!("example_{name}"), &example_json(example, args));
    }
}
