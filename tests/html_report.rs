//! The one-file HTML report (`--report FILE.html` of simulate, plan,
//! capacity run, sweep, sweep --compare, calibrate and sensitivity) as a page: self-contained (no script, no remote load, a
//! Content-Security-Policy that forbids them), the verdict first, the key
//! figures, every chart as inline SVG, the assumptions with their sources,
//! and a footer that reproduces the run. `tests/browser.rs` renders the same
//! pages in headless Chromium.

mod common;

use std::path::{Path, PathBuf};

/// Runs `example` with `args` plus `--report <dir>/<name>.html` (after
/// `before_report`, for a subcommand's flag) and returns the page.
pub fn report(dir: &Path, name: &str, example: &str, args: &[&str]) -> (PathBuf, String) {
    let path = dir.join(format!("{name}.html"));
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--report", path.to_str().unwrap()]);
    let output = common::run(example, &all);
    assert!(
        output.status.success(),
        "{example} {all:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

/// Checks what every report page must be.
fn assert_self_contained(name: &str, html: &str, charts: usize) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';";
    assert!(html.contains(csp), "{name}: no CSP forbidding remote loads");
    assert!(!html.to_ascii_lowercase().contains("<script"), "{name}: a script");
    assert!(
        !html.contains("<link") && !html.contains("@import") && !html.contains("url("),
        "{name}"
    );
    assert!(!html.contains("<img") && !html.contains("<iframe"), "{name}");
    // The only URL is the SVG namespace, which is a name, not a load.
    let urls = html.matches("http://").count() + html.matches("https://").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(urls, namespaces, "{name}: a URL other than the SVG namespace");
    // The verdict is the first thing after the title.
    let verdict = html.find("<p class=\"verdict\" id=\"verdict\">").unwrap();
    assert!(verdict < html.find("<main>").unwrap(), "{name}");
    assert_eq!(html.matches("<figure class=\"chart\"").count(), charts, "{name}");
    assert_eq!(html.matches("<svg ").count(), charts, "{name}");
    assert!(
        html.contains("<h2>Key figures</h2>") && html.contains("<h2>Assumptions</h2>"),
        "{name}"
    );
    for item in [
        "<dt>lead-decay</dt>",
        "<dt>engine</dt>",
        "<dt>date</dt>",
        "<dt>reproduce with</dt>",
    ] {
        assert!(html.contains(item), "{name}: footer lacks {item}");
    }
    assert!(
        html.contains(&format!("<dd>{}</dd>", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );
    // Print: no chart breaks across pages.
    assert!(
        html.contains("figure.chart { margin: 1rem 0;") && html.contains("break-inside: avoid"),
        "{name}"
    );
}

/// The verdict paragraph's text.
fn verdict(html: &str) -> &str {
    let start = html.find("id=\"verdict\">").unwrap() + "id=\"verdict\">".len();
    &html[start..start + html[start..].find("</p>").unwrap()]
}

#[test]
fn simulate_writes_the_reference_case_as_one_self_contained_page() {
    let dir = common::temp_dir("html-simulate");
    let (_, html) = report(&dir, "reference", "simulate", &["--trials", "5000"]);
    assert_self_contained("reference", &html, 3);
    assert!(
        verdict(&html).starts_with("Neglect costs 1.25 of 10.00 expected customers (12.5 %)"),
        "{}",
        verdict(&html)
    );
    for figure in [
        "8.75 of 10.00",
        "125,000",
        "37.4 %",
        "56.0 % with every SQL worked at once (exact)",
    ] {
        assert!(html.contains(figure), "no {figure}");
    }
    // Every input with its unit and source; the run's own inputs too.
    for row in [
        "<td>close rate</td><td class=\"number\">25.00 %</td><td>of SQLs worked at once</td>\
         <td>built-in reference case (lead_decay::guide::model)</td>",
        "<td>follow-up delay</td><td>worked at once</td>",
        "<td>seed</td><td class=\"number\">42</td>",
    ] {
        assert!(html.contains(row), "no row {row}");
    }
    assert!(html.contains("<dd>built-in reference case</dd>"));
    assert!(html.contains("<dd>cargo run --release --example simulate -- --trials 5000 --report "));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A scenario on business hours: the delay panel says which clock the
/// follow-up delay is counted on, and the page shows where the loss
/// happens by day and hour of arrival, with the worst window in words. The
/// same team on the calendar clock says so, and has no heat map (its loss
/// does not depend on when SQLs arrive).
#[test]
fn a_business_hours_page_names_the_delay_clock_and_maps_the_loss_by_arrival() {
    let dir = common::temp_dir("html-business-hours");
    let weekend = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/consumer-weekend.toml");
    let (_, html) = report(
        &dir,
        "weekend",
        "simulate",
        &["--scenario", weekend, "--trials", "2000"],
    );
    assert_self_contained("weekend", &html, 4);
    for text in [
        "time from SQL to first follow-up (hours): working hours after arrival",
        "The follow-up delay is counted in working hours after arrival",
        "<td>time to first follow-up, in working hours after arrival</td>",
        "<h2>When SQLs arrive: where the loss happens</h2>",
        "<figcaption>SQLs that arrive between Friday 4 pm and Sunday 10 pm lose 95 % of their value; \
         they are 32 % of all SQLs and 54 % of the revenue lost.",
        "consumer: % of its value an SQL loses, by day and hour of arrival",
    ] {
        assert!(html.contains(text), "no {text:?}");
    }
    let heat_map = html.find("When SQLs arrive").unwrap();
    assert!(html.find("How fast leads go cold").unwrap() < heat_map);
    assert!(heat_map < html.find("<h2>Customers").unwrap());

    let calendar = dir.join("calendar.toml");
    let text = std::fs::read_to_string(weekend).unwrap();
    let text = text.replace("clock = \"working\" }", "clock = \"calendar\" }");
    let text = text.replace("sla_clock = \"working\"\n", "");
    std::fs::write(&calendar, text).unwrap();
    let (_, html) = report(
        &dir,
        "calendar",
        "simulate",
        &["--scenario", calendar.to_str().unwrap(), "--trials", "2000"],
    );
    assert_self_contained("calendar", &html, 3);
    for text in [
        "time from SQL to first follow-up (hours): calendar hours",
        "The follow-up delay is counted in calendar hours",
        "the follow-up delay runs on the calendar clock",
    ] {
        assert!(html.contains(text), "no {text:?}");
    }
    assert!(!html.contains("working hours after arrival") && !html.contains("When SQLs arrive"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// `sensitivity --report`: the input that matters most first, the tornado
/// as the one chart, the tornado and Sobol tables, and every uncertain
/// input with its percentiles among the assumptions.
#[test]
fn sensitivity_writes_which_guess_matters_most_as_one_page() {
    let dir = common::temp_dir("html-sensitivity");
    let guesses = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-guesses.toml");
    let (_, html) = report(&dir, "guesses", "sensitivity", &["--scenario", guesses]);
    assert_self_contained("guesses", &html, 1);
    assert!(
        verdict(&html).starts_with("The mean follow-up delay (industrial) matters most: it takes part in "),
        "{}",
        verdict(&html)
    );
    for text in [
        "<h2>Each input alone: the tornado</h2>",
        "<h2>All inputs together: Sobol indices</h2>",
        "<th class=\"number\">with interactions</th>",
        "<td>uncertain: close rate (industrial)</td><td class=\"number\">20.0 % to 30.2 %</td>\
         <td>from its 10th to its 90th percentile</td>",
        "218,648 EUR",
        "<dd>cargo run --release --example sensitivity -- --scenario ",
    ] {
        assert!(html.contains(text), "no {text:?}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_scenario_file_is_named_with_its_sha256_and_its_keys() {
    let dir = common::temp_dir("html-web");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml");
    let (_, html) = report(&dir, "web", "simulate", &["--scenario", file, "--trials", "2000"]);
    assert_self_contained("inbound-web", &html, 3);
    assert!(
        verdict(&html).starts_with("Neglect and slow follow-up cost"),
        "{}",
        verdict(&html)
    );
    assert!(html.contains("inbound-web.toml: segments[0].decay = &quot;inbound-web&quot; (a preset)"));
    assert!(html.contains("inbound-web.toml: segments[0].follow_up = &quot;hbr-2011-audit&quot; (a preset)"));
    assert!(
        html.contains("<td>instant response share</td>"),
        "the level the study leaves open"
    );
    // The footer's digest is the file's SHA-256, as `sha256sum` prints it.
    let digest = html.split("(SHA-256 ").nth(1).unwrap().split(')').next().unwrap();
    assert_eq!(digest.len(), 64);
    if let Ok(out) = std::process::Command::new("sha256sum").arg(file).output() {
        let expected = String::from_utf8(out.stdout).unwrap();
        assert!(expected.starts_with(digest), "{expected} vs {digest}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plan_and_capacity_write_their_reports_too() {
    let dir = common::temp_dir("html-plan-capacity");
    let (_, plan) = report(
        &dir,
        "plan",
        "plan",
        &[
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
            "--neglected",
            "5",
            "--neglected-of",
            "40",
        ],
    );
    assert_self_contained("plan", &plan, 1);
    assert!(
        verdict(&plan).starts_with("400 customers (20,000,000 in revenue) take 1,829 SQLs on average, 229 of them"),
        "{}",
        verdict(&plan)
    );
    assert!(plan.contains("<td>close rate</td><td class=\"number\">25.00 %</td><td>SQL to customer</td><td>command line (--close-rate)</td>"));
    assert!(plan.contains("<dd>exact (binomial tails, no sampling)</dd>"));
    let (_, capacity) = report(&dir, "capacity", "capacity", &["--trials", "40", "run"]);
    assert_self_contained("capacity", &capacity, 1);
    assert!(
        verdict(&capacity).starts_with("With 4 reps working the oldest SQL first"),
        "{}",
        verdict(&capacity)
    );
    assert!(capacity.contains("capacity.toml (built in): sales.reps"));
    assert!(capacity.contains("<dt>seed</dt><dd>42</dd>") && capacity.contains("<dt>trials</dt><dd>40</dd>"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_report_path_that_is_not_html_is_refused_before_the_run() {
    for (example, args) in [
        ("simulate", vec!["--report", "out.pdf"]),
        ("capacity", vec!["run", "--report", "out.txt"]),
        (
            "plan",
            vec!["--customer-goal", "10", "--close-rate", "0.25", "--report", "plan.png"],
        ),
        ("sweep", vec!["--speed", "--report", "speed.svg"]),
    ] {
        let output = common::run(example, &args);
        assert!(!output.status.success(), "{example}");
        assert!(output.stdout.is_empty(), "{example}: ran before refusing");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("expected a file name ending in .html"), "{stderr}");
    }
}

#[test]
fn sweep_writes_the_value_of_speed_as_one_page_with_its_chart_and_every_point() {
    let dir = common::temp_dir("html-sweep");
    let (_, html) = report(&dir, "speed", "sweep", &["--speed", "--steps", "7", "--trials", "500"]);
    assert_self_contained("sweep --speed", &html, 1);
    // The verdict is the price of an hour, the sentence the table prints.
    let text = common::run("sweep", &["--speed", "--steps", "7", "--trials", "500"]);
    let table = String::from_utf8(text.stdout).unwrap();
    let sentence = table
        .lines()
        .find(|l| l.contains("each hour of mean delay would cost"))
        .expect("the table's price of an hour");
    assert_eq!(verdict(&html), sentence.replace('\'', "&#39;"));
    assert!(html.contains("<div class=\"label\">each hour of extra delay</div>"));
    // Every point is a row, one unit in the swept column, every range named.
    let body = html.split("<h2>All points</h2>").nth(1).unwrap();
    let table = body.split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr>").count(), 1 + 7, "a header and seven points");
    for header in [
        ">customers, 90 % of trials</th>",
        ">revenue lost, 90 % of trials</th>",
        ">P(goal)</th>",
    ] {
        assert!(table.contains(header), "no {header}");
    }
    // A log sweep's values in one unit, to three significant digits.
    assert!(table.contains("<th>mean follow-up delay (hours)</th>"), "{table}");
    assert!(
        table.contains("<td>0.0167</td>") && table.contains("<td>720</td>"),
        "{table}"
    );
    // The sweep's own inputs and the reference case's, with their sources.
    for row in [
        "<td>swept input</td><td>mean follow-up delay</td><td></td><td>command line (--speed)</td>",
        "<td>points</td><td class=\"number\">7</td><td>evenly spaced on a log scale</td><td>command line (--steps)</td>",
        "<td>close rate</td>",
    ] {
        assert!(html.contains(row), "no row {row}");
    }
    assert!(html.contains("default of --speed (1 minute to 30 days)"));
    assert!(html.contains("500 trials at each of the 7 points, the same seeds at every point"));
    assert!(html.contains("<dd>cargo run --release --example sweep -- --speed --steps 7 --trials 500 --report "));
    std::fs::remove_dir_all(dir).unwrap();
}

/// `sweep --compare A B --report`: which scenario loses the most and the
/// least first, the bar chart of revenue lost, the terminal table's rows,
/// the inputs that differ, and each file's SHA-256 in the footer.
#[test]
fn sweep_compare_writes_the_scenarios_side_by_side_as_one_page() {
    let dir = common::temp_dir("html-compare");
    let web = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml");
    let upside = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/scenarios/inbound-web-upside.toml"
    );
    let args = ["--compare", web, upside, "--trials", "500"];
    let (_, html) = report(&dir, "compare", "sweep", &args);
    assert_self_contained("sweep --compare", &html, 1);
    let verdict = verdict(&html);
    assert!(
        verdict.starts_with("inbound-web loses the most revenue to neglect and slow follow-up: 460,568 USD expected"),
        "{verdict}"
    );
    assert!(
        verdict.contains("more than inbound-web-upside, which loses the least: 71,717 USD"),
        "{verdict}"
    );
    // The chart names both scenarios.
    let svg = html.split("<svg ").nth(1).unwrap().split("</svg>").next().unwrap();
    for name in ["inbound-web", "inbound-web-upside"] {
        assert!(svg.contains(&format!(">\n{name}\n</text>")), "the chart lacks {name}");
    }
    // The table holds the terminal table's rows, one per metric, same cells.
    let text = common::run("sweep", &args);
    let terminal = String::from_utf8(text.stdout).unwrap();
    let metrics: Vec<&str> = terminal
        .lines()
        .skip_while(|l| !l.starts_with("metric"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(metrics.len(), 11, "{terminal}");
    let body = html.split("<h2>Side by side</h2>").nth(1).unwrap();
    let table = body.split("</table>").next().unwrap();
    assert!(
        table.contains(
            "<th>metric</th><th class=\"number\">inbound-web</th><th class=\"number\">inbound-web-upside</th>"
        ),
        "{table}"
    );
    assert_eq!(
        table.matches("<tr>").count(),
        1 + metrics.len(),
        "a header and a row per metric"
    );
    for line in &metrics {
        let label = line.split("  ").next().unwrap();
        assert!(
            table.contains(&format!("<tr><td>{}</td>", label.replace('>', "&gt;"))),
            "no row {label:?}"
        );
    }
    assert!(table.contains("<td class=\"number\">460,568 USD</td><td class=\"number\">71,717 USD</td>"));
    // Only the inputs that differ get a column per scenario.
    let differ = html.split("Where the scenarios differ:").nth(1).unwrap();
    let differ = differ.split("</table>").next().unwrap();
    assert!(
        differ.contains("<td>neglect</td>") && differ.contains("<td>follow-up delay</td>"),
        "{differ}"
    );
    assert!(
        !differ.contains("<td>close rate</td>"),
        "the close rate is the same in both"
    );
    assert_eq!(html.matches("(SHA-256 ").count(), 2, "each file's digest in the footer");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_reps_sweep_page_says_its_figures_are_means_and_lists_the_team() {
    let dir = common::temp_dir("html-sweep-reps");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/capacity.toml");
    let args = [
        "--scenario",
        file,
        "--vary",
        "reps",
        "--from",
        "5",
        "--to",
        "7",
        "--trials",
        "40",
    ];
    let (_, html) = report(&dir, "reps", "sweep", &args);
    assert_self_contained("sweep reps", &html, 1);
    assert!(
        verdict(&html).starts_with("From 5 to 7 reps, mean customers go from"),
        "{}",
        verdict(&html)
    );
    assert!(html.contains("the queue has no exact expectation"));
    assert!(html.contains("<td>sales: reps</td>") && html.contains("capacity.toml: sales.reps"));
    assert!(html.contains("<div class=\"label\">with 5 reps</div>"));
    assert!(html.contains("capacity queue (discrete-event simulation); 40 trials at each of the 3 points"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn calibrate_writes_what_the_export_says_with_its_conversion_chart() {
    let dir = common::temp_dir("html-calibrate");
    let export = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/export.csv");
    let (_, html) = report(&dir, "calibrate", "calibrate", &["--input", export]);
    assert_self_contained("calibrate", &html, 1);
    assert!(
        verdict(&html).starts_with("For 2,000 SQLs, neglect and slow follow-up cost an expected "),
        "{}",
        verdict(&html)
    );
    // Every fitted shape is a row of the shapes table; the bins are listed.
    for shape in ["exponential", "weibull", "linear", "table", "step"] {
        assert!(html.contains(&format!("<tr><td>{shape}</td>")), "no row for {shape}");
    }
    assert!(html.contains("<h2>Conversion by delay</h2>"));
    // The scenario written, and the export named with its digest.
    assert!(html.contains("<pre>name = &quot;calibrated&quot;"));
    // ... without pages of the fit's weighted alternatives: they are counted.
    assert!(!html.contains("[[joint"), "the alternatives are printed");
    assert!(html.contains("The file goes on with the uncertainty of the fit: "));
    assert!(html.contains("export.csv (SHA-256 "));
    assert!(html.contains("<dd>maximum likelihood fits (no sampling)</dd>"));
    std::fs::remove_dir_all(dir).unwrap();
}
