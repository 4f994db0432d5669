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

#[test]
fn a_customer_goal_is_a_whole_number_written_either_way() {
    // The library's goal is a u64 now; the flag still reads `10.0` as 10.
    let base = ["--close-rate", "0.25", "--confidence", "0.9"];
    let whole = json(&[&["--customer-goal", "10"][..], &base].concat());
    for same in ["10.0", "1e1"] {
        assert_eq!(json(&[&["--customer-goal", same][..], &base].concat()), whole, "{same}");
    }
    for bad in ["2.5", "-3", "ten"] {
        let output = common::run("plan", &["--customer-goal", bad, "--close-rate", "0.25"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{bad} accepted");
        assert!(
            stderr.contains("--customer-goal") && stderr.contains("a whole number of customers"),
            "{bad}: {stderr}"
        );
    }
}

// ---- Issue 18: personas, the marketing-sourced share, BANT from data -------

fn text(args: &[&str]) -> String {
    let output = common::run("plan", args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

const SMB: &str = "smb:customer_goal=30,deal_value=20000,observed.mql=900,observed.customers=41,observed.marketing_sourced_customers=14";
const ENTERPRISE: &str = "enterprise:revenue_goal=2000000,deal_value=250000,mql_to_sql=0.1";

#[test]
fn the_source_figures_hold_through_the_cli() {
    // 400 deals at 25 % reach the goal 90 % of the time with 1,690 SQLs.
    let v = json(&[
        "--revenue-goal",
        "20000000",
        "--deal-value",
        "50000",
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--confidence",
        "0.9",
    ]);
    assert_eq!(v["confidence"]["sqls"], 1690);
    // MQL -> customer 0.5 x 0.5 = 25 % is far above the 2-5 % lead-to-customer band.
    let v = json(&["--customer-goal", "10", "--close-rate", "0.5", "--mql-to-sql", "0.5"]);
    assert_eq!(
        v["warnings"][0],
        "planned mql_to_customer 25.0 % is above the benchmark band 2.0-5.0 %"
    );
    // The source's own 4.4 % inquiry -> lead rate is no warning (issue 18, item 6).
    let v = json(&[
        "--customer-goal",
        "10",
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--inquiry-to-mql",
        "0.044",
    ]);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn help_shows_personas_marketing_share_and_bant() {
    let help = text(&["--help"]);
    for flag in ["--persona", "--marketing-sourced-share", "--sales-model", "bant"] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let help = text(&["bant", "--help"]);
    for flag in [
        "--input",
        "--weights",
        "--threshold",
        "--requalification-chance",
        "--recontact-after",
        "--rounds",
    ] {
        assert!(help.contains(flag), "{flag} missing from bant --help");
    }
}

#[test]
fn personas_each_get_a_plan_and_a_monitor_and_the_report_is_their_total() {
    let v = json(&[
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--cost-per-mql",
        "50",
        "--fixed-cost",
        "staff=100000",
        "--sales-model",
        "field-with-inside-support",
        "--persona",
        SMB,
        "--persona",
        ENTERPRISE,
    ]);
    // smb: 30 deals / 0.25 = 120 SQLs, / 0.2 = 600 MQLs. enterprise: 2,000,000 /
    // 250,000 = 8 deals, 32 SQLs, / 0.1 (its own rate) = 320 MQLs.
    assert_eq!(v["personas"][0]["name"], "smb");
    assert_eq!(v["personas"][0]["plan"]["stages"][1]["count"], 600);
    assert_eq!(v["personas"][1]["plan"]["stages"][1]["count"], 320);
    assert_eq!(v["personas"][1]["plan"]["revenue"], 2_000_000.0);
    assert_eq!(v["deals"], 38);
    assert_eq!(v["stages"][0]["count"], 152);
    assert_eq!(v["stages"][1]["count"], 920);
    // Unit costs per persona, the fixed cost once.
    assert_eq!(v["budget"], 920.0 * 50.0 + 100_000.0);
    assert_eq!(v["revenue"], 2_600_000.0);
    // The monitor reads the observed persona: 41 customers of 900 MQLs.
    let monitor = &v["monitor"];
    assert_eq!(monitor["personas"][0]["name"], "smb");
    let lead = monitor["total"]["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "lead_to_customer")
        .unwrap();
    assert!((lead["value"].as_f64().unwrap() - 41.0 / 900.0).abs() < 1e-12);
    // The table shows each persona and the total; CSV has a row per figure.
    let table = text(&[
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--sales-model",
        "field-with-inside-support",
        "--persona",
        SMB,
        "--persona",
        ENTERPRISE,
    ]);
    assert!(
        table.contains("Monitor (observed counts against benchmark bands)"),
        "{table}"
    );
    assert!(
        table.contains("Persona smb") && table.contains("Persona enterprise") && table.contains("Total of 2 personas")
    );
    let csv = text(&[
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--sales-model",
        "inside-with-lead-focused-marketing",
        "--persona",
        SMB,
        "--persona",
        ENTERPRISE,
        "--format",
        "csv",
    ]);
    assert!(csv.contains("\nmonitor smb,marketing_sourced_share,"), "{csv}");
    assert!(csv.starts_with("plan,metric,value\n"), "{csv}");
    assert!(
        csv.contains("\ntotal,mql,920\n") && csv.contains("\npersona enterprise,mql,320\n"),
        "{csv}"
    );
}

#[test]
fn a_persona_with_a_typo_or_a_top_level_goal_is_an_error_naming_it() {
    for (args, field) in [
        (
            vec!["--close-rate", "0.25", "--persona", "smb:close_rat=0.3"],
            "personas.smb.close_rat",
        ),
        (
            vec![
                "--close-rate",
                "0.25",
                "--customer-goal",
                "5",
                "--persona",
                "smb:customer_goal=3",
            ],
            "customer_goal",
        ),
        (
            vec!["--close-rate", "0.25", "--persona", "smb:customer_goal=3,close_rate=2"],
            "personas[0].close_rate",
        ),
        (
            vec![
                "--close-rate",
                "0.25",
                "--persona",
                "smb:customer_goal=3,observed.customers=2",
            ],
            "personas.smb.observed",
        ),
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

#[test]
fn the_marketing_sourced_share_splits_the_pipeline_and_is_checked_against_the_band() {
    let base = [
        "--revenue-goal",
        "20000000",
        "--deal-value",
        "50000",
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--marketing-sourced-share",
        "0.3",
    ];
    let mut field = base.to_vec();
    field.extend(["--sales-model", "field-with-inside-support"]);
    let v = json(&field);
    let split = &v["marketing_sourced"];
    assert_eq!(
        (split["band"]["low"].as_f64(), split["band"]["high"].as_f64()),
        (Some(0.2), Some(0.4))
    );
    assert_eq!(split["status"], "within");
    assert_eq!(split["marketing"]["deals"], 120);
    assert_eq!(split["other"]["deals"], 280);
    assert_eq!(split["marketing"]["sqls"], 480);
    assert_eq!(split["marketing"]["stages"][1]["count"], 2400);
    assert_eq!(split["other"]["revenue"], 14_000_000.0);
    assert_eq!(v["warnings"], serde_json::json!([]));
    // An inside sales team expects 40-80 %: 30 % is below.
    let mut inside = base.to_vec();
    inside.extend(["--sales-model", "inside-with-lead-focused-marketing"]);
    let v = json(&inside);
    assert_eq!(v["marketing_sourced"]["band"]["low"], 0.4);
    assert_eq!(v["marketing_sourced"]["band"]["high"], 0.8);
    assert_eq!(
        v["warnings"][0],
        "planned marketing_sourced_share 30.0 % is below the benchmark band 40.0-80.0 %"
    );
    // Without a sales model the band is unknown: an error naming it.
    let output = common::run("plan", &base);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("sales_model"));
    let table = text(&field);
    assert!(
        table.contains("Marketing-sourced share 30.00 %") && table.contains("marketing-sourced"),
        "{table}"
    );
}

const LEADS: &str = "id,Budget,Authority,Need,Timeline,notes\n\
acme,yes,yes,yes,no,hot\n\
globex,yes,partial,no,no,\n\
initech,yes,maybe,yes,yes,\n\
umbrella,1,1,0.5,0.5,\n\
\n\
hooli,no,no,yes,40%,\n\
stark,yes,yes,,yes,\n";

fn leads_file(dir: &std::path::Path) -> String {
    let path = dir.join("leads.csv");
    std::fs::write(&path, LEADS).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn bant_scores_a_lead_list_reports_nurture_and_feeds_the_funnel() {
    let dir = common::temp_dir("plan-bant");
    let leads = leads_file(&dir);
    let v = json(&[
        "bant",
        "--input",
        &leads,
        "--requalification-chance",
        "0.2",
        "--rounds",
        "2",
        "--close-rate",
        "0.25",
        "--customer-goal",
        "2",
    ]);
    // 25 points each, 75 to qualify: acme (75) and umbrella (25 + 25 + 12.5 + 12.5) qualify.
    assert_eq!(v["weights"]["budget"], 25.0);
    assert_eq!(v["threshold"], 75.0);
    assert_eq!((v["rows"].as_u64(), v["scored"].as_u64()), (Some(6), Some(4)));
    assert_eq!((v["qualified"].as_u64(), v["nurtured"].as_u64()), (Some(2), Some(2)));
    // The nurture pool is recontacted after 3 and 6 weeks.
    assert_eq!(v["recontacts"][0]["after_hours"], 504.0);
    assert_eq!(v["recontacts"][1]["after_hours"], 1008.0);
    assert!((v["recontacts"][0]["expected_requalified"].as_f64().unwrap() - 0.4).abs() < 1e-12);
    // Unscorable rows: their true lines (after a blank line too) and reasons.
    assert_eq!(v["unscorable"][0]["line"], 4);
    assert!(
        v["unscorable"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("column Authority: \"maybe\"")
    );
    assert_eq!(v["unscorable"][1]["line"], 8);
    assert_eq!(v["unscorable"][1]["reason"], "column Need: empty");
    assert_eq!(v["leads"][3]["line"], 7);
    // The qualified leads are SQLs: 2 x 25 % = 0.5 expected customers; the goal of
    // 2 needs 8 SQLs, and 2 SQLs reach it with probability 0.25^2.
    let funnel = &v["funnel"];
    assert_eq!(funnel["sqls"], 2);
    assert_eq!(funnel["expected_customers"], 0.5);
    assert_eq!(funnel["sqls_needed"], 8);
    assert!((funnel["goal_probability"].as_f64().unwrap() - 0.0625).abs() < 1e-12);
    // The published inquiry benchmarks come with it.
    let benchmarks: Vec<f64> = v["inquiry_benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["value"].as_f64().unwrap())
        .collect();
    assert_eq!(benchmarks, [0.044, 0.10, 0.04, 0.08, 0.71, 0.36]);
    // Weights and threshold change who qualifies: authority and need count 30 each.
    let v = json(&[
        "bant",
        "--input",
        &leads,
        "--weights",
        "20,30,30,20",
        "--threshold",
        "60",
    ]);
    assert_eq!(v["qualified"], 2);
    assert_eq!(v["leads"][0]["score"], 80.0);
    // CSV: one row per lead, unscorable rows with their reason; the table says it all.
    let csv = text(&["bant", "--input", &leads, "--format", "csv"]);
    assert!(csv.starts_with("line,id,budget,authority,need,timeline,score,status,recontact_after_hours,reason\n"));
    assert!(csv.contains("\n3,globex,1,0.5,0,0,37.5,nurture,504,\n"), "{csv}");
    assert!(csv.contains("\n8,,,,,,,unscorable,,column Need: empty\n"), "{csv}");
    let table = text(&["bant", "--input", &leads]);
    assert!(table.contains("2 qualify at 75.0 points, 2 go to nurture"), "{table}");
    assert!(
        table.contains("recontact 1 after 3w") && table.contains("unscorable: line 8"),
        "{table}"
    );
    // A chart of the lead list.
    let chart = dir.join("bant.svg");
    text(&["bant", "--input", &leads, "--chart", chart.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&chart).unwrap().contains("qualified"));
    // A list without a Timeline column is an error naming the columns found.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "Budget,Authority,Need\nyes,yes,yes\n").unwrap();
    let output = common::run("plan", &["bant", "--input", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("Timeline") && stderr.contains("bad.csv"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_scenario_plan_section_holds_personas_marketing_share_and_bant() {
    let dir = common::temp_dir("plan-sections");
    leads_file(&dir);
    let path = dir.join("plan.toml");
    let section = r#"
[plan]
close_rate = 0.25
mql_to_sql = 0.2
sales_model = "field_with_inside_support"
marketing_sourced_share = 0.3

[[plan.personas]]
name = "smb"
customer_goal = 30
observed = { mql = 900, customers = 41, marketing_sourced_customers = 14 }

[[plan.personas]]
name = "enterprise"
revenue_goal = 2_000_000
deal_value = 250_000
mql_to_sql = 0.1

[plan.bant]
input = "leads.csv"
weights = { budget = 20, authority = 30, need = 30, timeline = 20 }
requalification_chance = 0.2
"#;
    let scenario = format!(
        "name = \"personas\"\n[[segments]]\nname = \"all\"\nsqls = 10\nclose_rate = 0.25\ndeal_value = 1\ndecay = \"consumer\"\n{section}"
    );
    std::fs::write(&path, &scenario).unwrap();
    let v = json(&["--scenario", path.to_str().unwrap()]);
    assert_eq!(v["deals"], 38);
    assert_eq!(v["personas"].as_array().unwrap().len(), 2);
    // 9 + 3 marketing-sourced deals of 38.
    assert_eq!(v["marketing_sourced"]["marketing"]["deals"], 12);
    assert_eq!(v["monitor"]["personas"][0]["name"], "smb");
    assert_eq!(v["bant"]["qualified"], 2);
    assert_eq!(v["bant"]["weights"]["authority"], 30.0);
    // The chart draws every persona beside the total.
    let chart = dir.join("plan.svg");
    text(&["--scenario", path.to_str().unwrap(), "--chart", chart.to_str().unwrap()]);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("persona smb") && svg.contains("marketing-sourced part"));
    // Unknown keys in the new tables are errors naming their path.
    for (typo, field) in [
        ("customer_goal = 30", "customer_gaol = 30"),
        ("requalification_chance = 0.2", "requalify = 0.2"),
        ("mql = 900,", "mqls = 900,"),
    ] {
        std::fs::write(&path, scenario.replacen(typo, field, 1)).unwrap();
        let output = common::run("plan", &["--scenario", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let key = field.split(' ').next().unwrap();
        assert!(!output.status.success() && stderr.contains(key), "{field}: {stderr}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

// ---- Issue 18, item 1: business days ------------------------------------

const FEBRUARY_GOAL: [&str; 8] = [
    "--revenue-goal",
    "20000000",
    "--deal-value",
    "50000",
    "--close-rate",
    "0.25",
    "--mql-to-sql",
    "0.2",
];

fn with_goal(extra: &[&str]) -> Vec<String> {
    FEBRUARY_GOAL.iter().chain(extra).map(|s| (*s).to_owned()).collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn a_month_of_20_business_days_after_one_of_23_needs_15_percent_more_leads_a_day_through_the_cli() {
    let args = with_goal(&["--month", "2021-02", "--compare-month", "2021-03"]);
    let v = json(&strs(&args));
    let days = &v["business_days"];
    assert_eq!(days["period"]["business_days"], 20);
    assert_eq!(days["stages"][0]["per_business_day"], 80.0); // 1,600 SQLs
    assert_eq!(days["stages"][1]["per_business_day"], 400.0); // 8,000 MQLs
    assert_eq!(days["compare"]["period"]["business_days"], 23);
    assert!((days["compare"]["daily_lift"].as_f64().unwrap() - 0.15).abs() < 1e-12);
    // The same through the table and the CSV.
    let table = text(&strs(&args));
    assert!(
        table.contains("Per business day of 2021-02 (20 business days"),
        "{table}"
    );
    assert!(table.contains("needs +15.00 % leads a day"), "{table}");
    let mut csv_args = args.clone();
    csv_args.extend(["--format".to_owned(), "csv".to_owned()]);
    let csv = text(&strs(&csv_args));
    assert!(csv.contains("business_days,sql_per_business_day,80\n"), "{csv}");
    assert!(csv.contains("business_days,compare_business_days,23\n"), "{csv}");
    assert!(
        csv.contains("business_days,daily_lift,0.1499") || csv.contains("business_days,daily_lift,0.15"),
        "{csv}"
    );
}

#[test]
fn a_holiday_and_a_working_week_change_the_business_days_through_the_cli() {
    // Presidents' Day 2021 is Monday 15 February.
    let v = json(&strs(&with_goal(&[
        "--month",
        "2021-02",
        "--holidays",
        "2021-02-15,2021-02-13",
    ])));
    assert_eq!(v["business_days"]["period"]["business_days"], 19);
    assert_eq!(
        v["business_days"]["period"]["holidays"],
        serde_json::json!(["2021-02-15"])
    );
    let v = json(&strs(&with_goal(&[
        "--from",
        "2021-02-01",
        "--to",
        "2021-02-14",
        "--working-days",
        "mon-fri,sat",
    ])));
    assert_eq!(v["business_days"]["period"]["business_days"], 12);
}

#[test]
fn bad_business_day_flags_are_errors_naming_the_flag_and_the_value() {
    for (extra, flag, value) in [
        (vec!["--month", "2021-13"], "--month", "\"2021-13\""),
        (vec!["--from", "2021-02-28", "--to", "2021-02-01"], "--to", "2021-02-01"),
        (
            vec!["--month", "2021-02", "--holidays", "2021-02-15,tomorrow"],
            "--holidays",
            "\"tomorrow\"",
        ),
        (
            vec!["--month", "2021-02", "--working-days", "fri-mon"],
            "--working-days",
            "\"fri-mon\"",
        ),
        (
            vec!["--month", "2021-02", "--compare-month", "March"],
            "--compare-month",
            "\"March\"",
        ),
    ] {
        let args = with_goal(&extra);
        let output = common::run("plan", &strs(&args));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains(flag) && stderr.contains(value) && !stderr.contains("panicked"),
            "{extra:?}: {stderr}"
        );
    }
}

#[test]
fn a_scenario_plan_section_holds_business_days_and_help_shows_them() {
    let dir = common::temp_dir("plan-business-days");
    let path = dir.join("plan.toml");
    let scenario = "name = \"days\"\n[[segments]]\nname = \"all\"\nsqls = 10\nclose_rate = 0.25\ndeal_value = 1\ndecay = \"consumer\"\n\
        [plan]\ncustomer_goal = 20\nclose_rate = 0.25\n[plan.business_days]\nmonth = \"2021-02\"\nholidays = [\"2021-02-15\"]\nworking_days = [\"mon-fri\"]\ncompare_month = \"2021-03\"\n";
    std::fs::write(&path, scenario).unwrap();
    let v = json(&["--scenario", path.to_str().unwrap()]);
    assert_eq!(v["business_days"]["period"]["business_days"], 19);
    assert_eq!(v["business_days"]["compare"]["period"]["business_days"], 23);
    assert!((v["business_days"]["compare"]["daily_lift"].as_f64().unwrap() - (23.0 / 19.0 - 1.0)).abs() < 1e-12);
    // Flags win over the file.
    let v = json(&[
        "--scenario",
        path.to_str().unwrap(),
        "--holidays",
        "2021-02-16,2021-02-17",
    ]);
    assert_eq!(v["business_days"]["period"]["business_days"], 18);
    // A typo in the table is an error naming the key; a bad value names its path.
    std::fs::write(&path, scenario.replace("compare_month", "compare")).unwrap();
    let output = common::run("plan", &["--scenario", path.to_str().unwrap()]);
    assert!(!output.status.success() && String::from_utf8_lossy(&output.stderr).contains("compare"));
    std::fs::write(&path, scenario.replace("\"2021-02\"", "\"2021-02-30\"")).unwrap();
    let output = common::run("plan", &["--scenario", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("business_days.month"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
    let help = text(&["--help"]);
    for flag in [
        "--month",
        "--from",
        "--to",
        "--holidays",
        "--working-days",
        "--compare-month",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn plan_business_days_count_on_the_files_calendar_through_the_cli() {
    // Issue 18: [plan.business_days] reads the top-level [calendar] (a team
    // working Monday to Saturday, with Presidents' Day off) when it names no
    // working days of its own; its own holidays count beside the calendar's.
    let dir = common::temp_dir("plan-business-days-calendar");
    let path = dir.join("plan.toml");
    let scenario = "name = \"days\"\n[calendar]\nworking_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\n\
        working_hours = [\"9h\", \"13h\"]\nholidays = [\"2021-02-15\"]\n\
        [[segments]]\nname = \"all\"\nsqls = 10\nclose_rate = 0.25\ndeal_value = 1\ndecay = \"consumer\"\n\
        [plan]\ncustomer_goal = 20\nclose_rate = 0.25\n[plan.business_days]\nmonth = \"2021-02\"\ncompare_month = \"2021-03\"\n";
    std::fs::write(&path, scenario).unwrap();
    let file = path.to_str().unwrap();
    // February 2021: 24 Monday-to-Saturday days, less Presidents' Day; March: 27.
    let v = json(&["--scenario", file]);
    assert_eq!(v["business_days"]["period"]["business_days"], 23);
    assert_eq!(
        v["business_days"]["period"]["holidays"],
        serde_json::json!(["2021-02-15"])
    );
    assert_eq!(v["business_days"]["compare"]["period"]["business_days"], 27);
    // The section's own working days and holidays: its days win, holidays add up.
    let v = json(&[
        "--scenario",
        file,
        "--working-days",
        "mon-fri",
        "--holidays",
        "2021-02-16",
    ]);
    assert_eq!(v["business_days"]["period"]["business_days"], 20 - 2);
    // Flags alone on a file without [plan.business_days] still use the calendar.
    let bare = scenario.split("[plan.business_days]").next().unwrap();
    std::fs::write(&path, bare).unwrap();
    let v = json(&["--scenario", file, "--month", "2021-02"]);
    assert_eq!(v["business_days"]["period"]["business_days"], 23);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn each_persona_gets_its_plan_per_business_day_through_the_cli() {
    // Issue 18: the goal's period applies to each persona and to the total.
    // smb: 30 deals, 120 SQLs, 600 MQLs; enterprise: 8 deals, 32 SQLs, 320 MQLs;
    // February 2021 has 20 business days, March 23.
    let args = [
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--persona",
        SMB,
        "--persona",
        ENTERPRISE,
        "--sales-model",
        "field-with-inside-support",
        "--month",
        "2021-02",
        "--compare-month",
        "2021-03",
    ];
    let v = json(&args);
    let smb = &v["personas"][0]["plan"]["business_days"];
    let enterprise = &v["personas"][1]["plan"]["business_days"];
    assert_eq!(smb["period"]["business_days"], 20);
    assert_eq!(smb["deals_per_business_day"], 1.5);
    assert_eq!(smb["stages"][0]["per_business_day"], 6.0);
    assert_eq!(smb["stages"][1]["per_business_day"], 30.0);
    assert_eq!(enterprise["stages"][1]["per_business_day"], 16.0);
    assert!((enterprise["compare"]["daily_lift"].as_f64().unwrap() - 0.15).abs() < 1e-12);
    // The personas' days add up to the total's: 46 MQLs a business day.
    assert_eq!(v["business_days"]["stages"][1]["per_business_day"], 46.0);
    // The table shows each persona's days under its plan, and the total's.
    let table = text(&args);
    let smb_part = table.split("Persona enterprise").next().unwrap();
    assert!(
        smb_part.contains("Per business day of 2021-02 (20 business days") && smb_part.contains("30.00"),
        "{table}"
    );
    let total_part = table.split("Total of 2 personas").nth(1).unwrap();
    assert!(
        total_part.contains("Per business day of 2021-02") && total_part.contains("46.00"),
        "{table}"
    );
    // CSV: a `business_days NAME` plan per persona beside the total's.
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let csv = text(&csv_args);
    for row in [
        "\nbusiness_days smb,mql_per_business_day,30\n",
        "\nbusiness_days enterprise,mql_per_business_day,16\n",
        "\nbusiness_days enterprise,daily_lift,",
        "\nbusiness_days,mql_per_business_day,46\n",
    ] {
        assert!(csv.contains(row), "{row:?} missing: {csv}");
    }
    // The chart and the HTML report show the total per business day; the
    // report's table has a column per persona.
    let dir = common::temp_dir("plan-persona-days");
    let chart = dir.join("plan.svg");
    let report = dir.join("plan.html");
    let mut drawn = args.to_vec();
    drawn.extend(["--chart", chart.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    text(&drawn);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("planned per business day of 2021-02 (20 days)"), "{svg}");
    let html = std::fs::read_to_string(&report).unwrap();
    for cell in [
        "Per business day of 2021-02",
        "smb per day",
        "enterprise per day",
        "total per day of 2021-03",
        "+15.00 %",
        "command line (--month)",
        // Every input and its source: the personas and the sales model too.
        "persona smb",
        "customer_goal=30, deal_value=20000, observed.customers=41",
        "field with inside support (band 20-40 %)",
        "command line (--persona)",
    ] {
        assert!(html.contains(cell), "{cell} missing from the report");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_monitor_total_rate_uses_only_the_personas_that_count_both_stages_and_says_so_through_the_cli() {
    // Issue 18, item 5: one persona counts inquiry, MQL, SAL and SQL (10
    // customers of 40 SQLs), the other inquiries only (6 customers). The
    // total's SQL -> customer is 10 / 40, not 16 / 40, and the report says
    // which persona it leaves out.
    let args = [
        "--close-rate",
        "0.25",
        "--sales-model",
        "field-with-inside-support",
        "--persona",
        "full:customer_goal=10,observed.inquiry=1000,observed.mql=200,observed.sal=100,observed.sql=40,observed.customers=10,observed.marketing_sourced_customers=4",
        "--persona",
        "inquiries-only:customer_goal=6,observed.inquiry=300,observed.customers=6,observed.marketing_sourced_customers=2",
    ];
    let v = json(&args);
    let total = |metric: &str| {
        v["monitor"]["total"]["readings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["metric"] == metric)
            .unwrap()
            .clone()
    };
    assert_eq!(total("sql_to_customer")["value"], 0.25);
    assert_eq!(total("sql_to_customer")["over"], serde_json::json!(["full"]));
    let note = "total sql_to_customer is over full only: inquiries-only does not count both of its stages";
    assert!(
        v["monitor"]["notes"].as_array().unwrap().iter().any(|n| n == note),
        "{}",
        v["monitor"]["notes"]
    );
    let table = text(&args);
    assert!(table.contains(&format!("note: {note}")), "{table}");
    assert!(table.contains("sql_to_customer 25.00 %"), "{table}");
}

// ---- Issue 18: the monitor in the chart ---------------------------------

#[test]
fn the_plan_chart_draws_the_monitor_only_when_counts_are_observed() {
    let dir = common::temp_dir("plan-monitor-chart");
    let long = "enterprise-accounts-in-north-america";
    let observed = format!(
        "{long}:customer_goal=6,deal_value=1,observed.mql=100,observed.customers=6,observed.marketing_sourced_customers=5"
    );
    let base = [
        "--close-rate",
        "0.25",
        "--mql-to-sql",
        "0.2",
        "--sales-model",
        "field-with-inside-support",
    ];
    let draw = |personas: &[&str], name: &str| {
        let chart = dir.join(format!("{name}.svg"));
        let report = dir.join(format!("{name}.html"));
        let mut args: Vec<&str> = base.to_vec();
        for p in personas {
            args.extend(["--persona", p]);
        }
        args.extend(["--chart", chart.to_str().unwrap(), "--report", report.to_str().unwrap()]);
        text(&args);
        (
            std::fs::read_to_string(&chart).unwrap(),
            std::fs::read_to_string(&report).unwrap(),
        )
    };
    let (svg, html) = draw(&[SMB, &observed], "with");
    for drawn in [&svg, &html] {
        assert!(
            drawn.contains("monitor: observed rates against benchmark bands"),
            "{drawn}"
        );
        // The panels name their bands: 20-40 % for a field sales team, 2-5 % lead-to-customer.
        assert!(drawn.contains("marketing-sourced share (band 20-40 %)"), "{drawn}");
        assert!(drawn.contains("lead-to-customer (band 2-5 %)"), "{drawn}");
        // Each row's label is a text of its own.
        assert!(
            drawn.contains("\ntotal\n</text>") && drawn.contains("\nsmb\n</text>"),
            "{drawn}"
        );
        // The long name is cut with an ellipsis (the waterfall's legend shows it whole).
        assert!(drawn.contains("\nenterprise-…\n</text>"), "{drawn}");
        // smb's 14 of 41 is inside the band; enterprise's 5 of 6 is not.
        assert!(drawn.contains("observed, within band") && drawn.contains("observed, outside band"));
        assert!(drawn.contains("83.3 %"), "{drawn}");
    }
    // Without observed counts the chart is the waterfall alone, as before.
    let (svg, html) = draw(&[ENTERPRISE], "without");
    for drawn in [&svg, &html] {
        assert!(drawn.contains("persona enterprise"), "{drawn}");
        assert!(
            !drawn.contains("benchmark band") && !drawn.contains("monitor:"),
            "{drawn}"
        );
    }
    assert!(svg.contains("width=\"1200\" height=\"700\""), "{}", &svg[..200]);
    std::fs::remove_dir_all(dir).unwrap();
}
