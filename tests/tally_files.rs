//! Tallies as files: a tally serialised and read back merges and reports
//! exactly as the original, and a corrupted or inconsistent tally file is an
//! error, never a panic.

use lead_decay::{Scenario, Simulation, Tally};
use serde_json::Value;

fn two_segments() -> Scenario {
    Scenario::from_toml_str(
        r#"
        name = "two"
        marketing_spend = 90000
        customer_goal = 12
        [[segments]]
        name = "a"
        sqls = 30
        close_rate = 0.3
        deal_value = { dist = "lognormal", mean = 20000, cv = 0.5 }
        decay = "consumer"
        follow_up = { dist = "exponential", mean = "6h" }
        sla = "2h"
        [[segments]]
        name = "b"
        sqls = 20
        close_rate = 0.2
        deal_value = 15000
        decay = "b2b-industrial"
        neglected = 2
        "#,
    )
    .unwrap()
}

#[test]
fn a_tally_read_back_from_json_reports_and_merges_exactly_as_the_original() {
    let scenario = two_segments();
    let simulation = Simulation::new(&scenario).trials(3_000).seed(17);
    let first = simulation.run_range(0..1_234).unwrap();
    let json = serde_json::to_string(&first).unwrap();
    let mut back: Tally = serde_json::from_str(&json).unwrap();
    assert_eq!(back.identity(), first.identity());
    assert_eq!(back.ranges(), first.ranges());
    assert_eq!(back.report(&scenario).unwrap(), first.report(&scenario).unwrap());
    back.merge(&simulation.run_range(1_234..3_000).unwrap()).unwrap();
    assert_eq!(back.report(&scenario).unwrap(), simulation.run().unwrap());
}

/// A change to a tally's JSON.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn a_corrupted_or_inconsistent_tally_file_is_an_error_not_a_panic() {
    let scenario = two_segments();
    let tally = Simulation::new(&scenario).seed(3).run_range(0..200).unwrap();
    let original: Value = serde_json::to_value(&tally).unwrap();
    let edits: Vec<(&str, Edit)> = vec![
        ("trials disagree with ranges", Box::new(|v| v["trials"] = 201.into())),
        ("empty range", Box::new(|v| v["ranges"] = serde_json::json!([[0, 0]]))),
        (
            "overlapping ranges",
            Box::new(|v| v["ranges"] = serde_json::json!([[0, 150], [100, 150]])),
        ),
        (
            "a histogram of another count",
            Box::new(|v| v["total"]["customers"] = serde_json::json!([[1, 5]])),
        ),
        (
            "a single segment tally",
            Box::new(|v| {
                let first = v["segments"][0].clone();
                v["segments"] = Value::Array(vec![first]);
            }),
        ),
        ("engine auto", Box::new(|v| v["identity"]["engine"] = "auto".into())),
        ("an unknown key", Box::new(|v| v["extra"] = 1.into())),
        (
            "a missing accumulator",
            Box::new(|v| {
                v["total"].as_object_mut().unwrap().remove("sla_met");
            }),
        ),
    ];
    for (what, edit) in edits {
        let mut corrupted = original.clone();
        edit(&mut corrupted);
        assert!(
            serde_json::from_value::<Tally>(corrupted).is_err(),
            "{what} was accepted"
        );
    }
    // Money accumulators removed where the scenario samples deal values:
    // the file parses, but the report refuses it.
    let mut no_money = original.clone();
    no_money["total"]["money"] = Value::Null;
    let parsed: Tally = serde_json::from_value(no_money).unwrap();
    let error = parsed.report(&scenario).unwrap_err();
    assert_eq!(error.field(), Some("tally"), "{error}");
    assert!(serde_json::from_str::<Tally>("{").is_err());
}
