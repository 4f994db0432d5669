//! Scenario files: the schema of `lead_decay::guide::file_format`, strict validation and
//! errors that name the field path and what was expected.

use lead_decay::{Analysis, Error, Hours, Neglect, Scenario};

const REFERENCE: &str = r#"
name = "b2b-industrial"
currency = "USD"
marketing_spend = 400000
customer_goal = 10

[[segments]]
name = "industrial"
sqls = 40
close_rate = 0.25
deal_value = 100000
decay = { shape = "linear", shelf_life = "30d" }
neglected = 5
follow_up = { dist = "exponential", mean = "2d" }
sla = "1d"
"#;

fn toml_error(text: &str) -> Error {
    Scenario::from_toml_str(text).expect_err("the scenario should be rejected")
}

/// The reference file with one line replaced.
fn reference_with(old: &str, new: &str) -> String {
    assert!(REFERENCE.contains(old), "{old} not in the reference file");
    REFERENCE.replacen(old, new, 1)
}

#[test]
fn the_model_md_example_loads() {
    let scenario = Scenario::from_toml_str(REFERENCE).unwrap();
    assert_eq!(scenario.name(), "b2b-industrial");
    assert_eq!(scenario.currency(), Some("USD"));
    assert_eq!(scenario.marketing_spend(), Some(400_000.0));
    assert_eq!(scenario.customer_goal(), Some(10));
    let segment = &scenario.segments()[0];
    assert_eq!(segment.sqls(), 40);
    assert_eq!(segment.follow_up().neglect(), Neglect::Count(5));
    assert_eq!(segment.follow_up().sla(), Some(Hours::new(24.0).unwrap()));
    assert_eq!(segment.follow_up().delay().mean().get(), 48.0);
    assert_eq!(segment.decay().evaluate(360.0), 0.5);
}

#[test]
fn json_uses_the_same_schema() {
    let json = r#"{"name": "j", "segments": [{"name": "a", "sqls": 10, "close_rate": 0.5,
        "deal_value": {"dist": "gamma", "mean": 1000, "cv": 0.3}, "decay": "consumer",
        "never_followed_up": 0.2, "follow_up": {"dist": "lognormal", "median": "2h", "sigma": 1.0}}]}"#;
    let scenario = Scenario::from_json_str(json).unwrap();
    assert_eq!(scenario.segments()[0].follow_up().neglect(), Neglect::Probability(0.2));
    assert_eq!(scenario.segments()[0].deal_value().mean(), 1000.0);
}

#[test]
fn every_shape_and_distribution_round_trips_through_toml() {
    let text = r#"
name = "all"
[[segments]]
name = "step"
sqls = 1
close_rate = 0.1
deal_value = 1
decay = { shape = "step", shelf_life = "4h" }
follow_up = { dist = "fixed", delay = "30m" }
[[segments]]
name = "exp"
sqls = 2
close_rate = 0.1
deal_value = { dist = "lognormal", mean = 100, cv = 0.5 }
decay = { shape = "exponential", half_life = 3 }
follow_up = { dist = "gamma", mean = "1d", shape = 2.5 }
[[segments]]
name = "weibull"
sqls = 3
close_rate = 0.1
deal_value = 1
decay = { shape = "weibull", scale = "2d", k = 0.7 }
follow_up = { dist = "uniform", min = "1h", max = "1w" }
[[segments]]
name = "table"
sqls = 4
close_rate = 0.1
deal_value = 1
decay = { shape = "table", points = [[1, 0.5], ["2d", 0.1]] }
follow_up = { dist = "empirical", samples = [1, "2h", "3d"] }
"#;
    let scenario = Scenario::from_toml_str(text).unwrap();
    let written = scenario.to_toml_string();
    assert_eq!(Scenario::from_toml_str(&written).unwrap(), scenario, "{written}");
    let reference = Scenario::reference();
    assert_eq!(Scenario::from_toml_str(&reference.to_toml_string()).unwrap(), reference);
}

#[test]
fn a_close_rate_outside_zero_one_names_the_field() {
    let err = toml_error(&reference_with("close_rate = 0.25", "close_rate = 1.5"));
    assert_eq!(err.field(), Some("segments[0].close_rate"));
    assert!(err.to_string().contains("a probability in [0, 1]"), "{err}");
}

#[test]
fn negative_nan_and_malformed_durations_are_rejected() {
    for bad in ["-3", "nan", "\"-1d\"", "\"3x\""] {
        let err = toml_error(&reference_with("shelf_life = \"30d\"", &format!("shelf_life = {bad}")));
        assert_eq!(err.field(), Some("segments[0].decay.shelf_life"), "{bad}: {err}");
        assert!(err.to_string().contains("duration"), "{bad}: {err}");
    }
    let err = toml_error(&reference_with("sla = \"1d\"", "sla = \"3x\""));
    assert_eq!(err.field(), Some("segments[0].sla"));
    assert!(err.to_string().contains("\"3x\""), "{err}");
}

#[test]
fn both_neglected_and_never_followed_up_is_an_error() {
    let err = toml_error(&reference_with(
        "neglected = 5",
        "neglected = 5\nnever_followed_up = 0.1",
    ));
    assert_eq!(err.field(), Some("segments[0].never_followed_up"));
    assert!(err.to_string().contains("not both"), "{err}");
}

#[test]
fn more_neglected_than_sqls_is_an_error() {
    let err = toml_error(&reference_with("neglected = 5", "neglected = 41"));
    assert_eq!(err.field(), Some("segments[0].neglected"));
    assert!(err.to_string().contains("at most the segment's sqls (40)"), "{err}");
}

#[test]
fn unknown_keys_are_errors_at_every_level() {
    let err = toml_error(&reference_with(
        "customer_goal = 10",
        "customer_goal = 10\ncustomer_gaol = 3",
    ));
    assert!(err.to_string().contains("customer_gaol"), "{err}");
    let err = toml_error(&reference_with("sqls = 40", "sqls = 40\nsql = 40"));
    assert_eq!(err.field(), Some("segments[0].sql"));
    assert!(err.to_string().contains("unknown field `sql`"), "{err}");
    let err = toml_error(&reference_with("shelf_life = \"30d\"", "shelf_lif = \"30d\""));
    assert_eq!(err.field(), Some("segments[0].decay.shelf_lif"));
    assert!(err.to_string().contains("unknown field"), "{err}");
    let err = toml_error(&reference_with("mean = \"2d\"", "mean = \"2d\", half_life = 3"));
    assert!(err.to_string().contains("half_life"), "{err}");
    // A key of another family is not silently ignored either.
    let err = toml_error(&reference_with(
        "shelf_life = \"30d\"",
        "shelf_life = \"30d\", half_life = \"3d\"",
    ));
    assert_eq!(err.field(), Some("segments[0].decay.half_life"));
}

#[test]
fn a_non_monotone_table_names_the_point() {
    let err = toml_error(&reference_with(
        "{ shape = \"linear\", shelf_life = \"30d\" }",
        "{ shape = \"table\", points = [[1, 0.5], [2, 0.7]] }",
    ));
    assert_eq!(err.field(), Some("segments[0].decay.points[1]"));
    assert!(err.to_string().contains("may not increase"), "{err}");
}

#[test]
fn no_segments_and_duplicate_names_are_errors() {
    let err = toml_error("name = \"x\"\nsegments = []");
    assert_eq!(err.field(), Some("segments"));
    let twice = format!("{REFERENCE}\n{}", &REFERENCE[REFERENCE.find("[[segments]]").unwrap()..]);
    let err = toml_error(&twice);
    assert_eq!(err.field(), Some("segments[1].name"));
}

#[test]
fn unknown_presets_shapes_and_distributions_list_the_choices() {
    let err = toml_error(&reference_with(
        "{ shape = \"linear\", shelf_life = \"30d\" }",
        "\"b2b\"",
    ));
    assert_eq!(err.field(), Some("segments[0].decay"));
    assert!(err.to_string().contains("\"consumer-afternoon\""), "{err}");
    let err = toml_error(&reference_with("dist = \"exponential\"", "dist = \"poisson\""));
    assert_eq!(err.field(), Some("segments[0].follow_up.dist"));
    let err = toml_error(&reference_with(
        "dist = \"exponential\", mean = \"2d\"",
        "dist = \"lognormal\", median = \"2d\"",
    ));
    assert_eq!(err.field(), Some("segments[0].follow_up.sigma"));
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn wrong_types_and_syntax_errors_say_where() {
    let err = toml_error(&reference_with("sqls = 40", "sqls = -3"));
    assert_eq!(err.field(), Some("segments[0].sqls"));
    let err = toml_error(&reference_with("sqls = 40", "sqls = \"forty\""));
    assert_eq!(err.field(), Some("segments[0].sqls"));
    let err = toml_error("name = \"x\"\n[[segments]\n");
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = Scenario::from_json_str("{\"name\": 3}").unwrap_err();
    assert_eq!(err.field(), Some("name"));
}

#[test]
fn load_adds_the_file_name_and_reports_missing_files() {
    let dir = std::env::temp_dir().join(format!("lead-decay-scenario-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, reference_with("close_rate = 0.25", "close_rate = -0.1")).unwrap();
    let err = Scenario::load(&path).unwrap_err();
    assert!(err.to_string().starts_with(&path.display().to_string()), "{err}");
    assert_eq!(err.field(), Some("segments[0].close_rate"));
    let err = Scenario::load(dir.join("missing.toml")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "prints the messages for a human to read: cargo test --test scenario_files -- --ignored --nocapture"]
fn show_error_messages() {
    for (old, new) in [
        ("close_rate = 0.25", "close_rate = 1.5"),
        ("shelf_life = \"30d\"", "shelf_life = \"3x\""),
        ("sqls = 40", "sqls = 40\nsql = 40"),
        ("shelf_life = \"30d\"", "shelf_lif = \"30d\""),
        ("neglected = 5", "neglected = 41"),
        ("dist = \"exponential\"", "dist = \"poisson\""),
        ("sqls = 40", "sqls = -3"),
    ] {
        println!("{}", toml_error(&reference_with(old, new)));
    }
    println!("{}", toml_error("name = \"x\"\n[[segments]\n"));
}

#[test]
fn a_plan_section_is_read_strictly_and_written_back() {
    let text = format!("{REFERENCE}\n[plan]\nconfidence = 0.9\nmql_to_sql = 0.2\n");
    let analysis = Analysis::from_toml_str(&text).unwrap();
    let plan = analysis.plan().unwrap();
    assert_eq!((plan.confidence, plan.mql_to_sql), (Some(0.9), Some(0.2)));
    assert_eq!(Analysis::from_toml_str(&analysis.to_toml_string()).unwrap(), analysis);
    let err = toml_error(&format!("{REFERENCE}\n[plan]\nconfidense = 0.9\n"));
    assert_eq!(err.field(), Some("plan.confidense"));
}
