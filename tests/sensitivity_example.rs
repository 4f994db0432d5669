//! The `sensitivity` example: which uncertain input drives the loss, as a
//! table, JSON, CSV and a tornado chart, and clear errors when there is
//! nothing to analyse.

mod common;

use serde_json::Value;

const B2B: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-industrial.toml");

fn stdout(args: &[&str]) -> String {
    let output = common::run("sensitivity", args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn stderr_of_failure(args: &[&str]) -> String {
    let output = common::run("sensitivity", args);
    assert!(!output.status.success(), "{args:?} should fail");
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr).unwrap()
}

const FOUR_INPUTS: [&str; 10] = [
    "--scenario",
    B2B,
    "--uncertain",
    "close-rate=0.18..0.32",
    "--uncertain",
    "shelf-life=20d..40d",
    "--uncertain",
    "follow-up-mean=4h..6d",
    "--uncertain",
    "deal-value=60000..140000",
];

#[test]
fn the_tornado_is_sorted_by_swing_and_the_sobol_indices_cover_every_input() {
    let mut args = FOUR_INPUTS.to_vec();
    args.extend(["--samples", "256", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&args)).unwrap();
    let tornado = &v["tornado"];
    assert_eq!(tornado["metric"], "revenue_lost");
    assert_eq!(tornado["low_percentile"], 0.1);
    let bars = tornado["bars"].as_array().unwrap();
    assert_eq!(bars.len(), 4);
    let swings: Vec<f64> = bars.iter().map(|b| b["swing"].as_f64().unwrap()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    // Each bar's ends are exact expectations at the input's 10th and 90th
    // percentiles: the close rate, uniform on [0.18, 0.32], at 0.194 and 0.306.
    let close = bars.iter().find(|b| b["factor"] == "close-rate").unwrap();
    assert!((close["low_value"].as_f64().unwrap() - 0.194).abs() < 1e-12);
    assert!((close["high_value"].as_f64().unwrap() - 0.306).abs() < 1e-12);
    assert_eq!(close["label"], "close rate");
    // A longer shelf life loses less: its bar runs the other way.
    let shelf = bars.iter().find(|b| b["factor"] == "shelf-life").unwrap();
    assert!(shelf["high"]["revenue_lost"].as_f64().unwrap() < shelf["low"]["revenue_lost"].as_f64().unwrap());

    let sobol = &v["sobol"];
    assert_eq!(sobol["samples"], 256);
    assert_eq!(sobol["replicates"], 8);
    assert_eq!(sobol["evaluations"], 256 * 8 * 6);
    let lost = sobol["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "revenue_lost")
        .unwrap();
    let factors = lost["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 4);
    let mut sum_first = 0.0;
    for f in factors {
        let (first, total) = (&f["first_order"], &f["total"]);
        for index in [first, total] {
            let (low, estimate, high) = (
                index["low"].as_f64().unwrap(),
                index["estimate"].as_f64().unwrap(),
                index["high"].as_f64().unwrap(),
            );
            assert!(low <= estimate && estimate <= high, "{index}");
            assert!(high - low < 0.05, "{index}");
        }
        // S_i <= ST_i, within their intervals.
        assert!(first["low"].as_f64().unwrap() <= total["high"].as_f64().unwrap(), "{f}");
        sum_first += first["estimate"].as_f64().unwrap();
    }
    // First-order indices add up to at most 1 (the rest is interactions).
    assert!(sum_first < 1.02 && sum_first > 0.5, "{sum_first}");
}

#[test]
fn customers_owe_nothing_to_the_deal_value_and_everything_to_the_close_rate() {
    let text = stdout(&[
        "--scenario",
        B2B,
        "--uncertain",
        "close-rate=0.18..0.32",
        "--uncertain",
        "deal-value=60000..140000",
        "--metric",
        "customers",
        "--samples",
        "128",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "factor");
    assert_eq!(&headers[13], "total_high");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    // Sorted by swing: the close rate first, the deal value with no swing.
    assert_eq!(&rows[0][0], "close-rate");
    assert_eq!(&rows[1][0], "deal-value");
    assert_eq!(&rows[1][7], "0");
    let field = |row: &csv::StringRecord, i: usize| row[i].parse::<f64>().unwrap();
    for i in 8..14 {
        assert_eq!(field(&rows[1], i), 0.0, "deal value column {}", &headers[i]);
    }
    for i in [8, 11] {
        let (estimate, low, high) = (field(&rows[0], i), field(&rows[0], i + 1), field(&rows[0], i + 2));
        assert!(
            low <= 1.0 && 1.0 <= high && (estimate - 1.0).abs() < 0.02,
            "{:?}",
            &rows[0]
        );
    }
}

#[test]
fn the_table_opens_with_the_input_that_matters_most() {
    let text = stdout(&FOUR_INPUTS);
    assert!(text.starts_with("lead-decay sensitivity: b2b-industrial-quarter | expected revenue lost (EUR)"));
    assert!(text.contains("matters most: it takes part in"), "{text}");
    assert!(text.contains("Tornado: each input alone from its 10th to its 90th percentile"));
    for label in ["close rate", "shelf life", "mean follow-up delay", "mean deal value"] {
        assert!(text.contains(label), "{label}: {text}");
    }
    assert!(text.contains("19.4 %") && text.contains("30.6 %"), "{text}");
    assert!(text.contains("with interactions"), "{text}");
}

#[test]
fn the_tornado_chart_is_drawn_as_png_and_svg() {
    let dir = common::temp_dir("sensitivity-chart");
    let png = dir.join("tornado.png");
    let svg = dir.join("tornado.svg");
    for path in [&png, &svg] {
        let mut args = FOUR_INPUTS.to_vec();
        args.extend(["--samples", "64", "--chart", path.to_str().unwrap()]);
        stdout(&args);
    }
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let info = decoder.read_info().unwrap();
    // 290 pixels of title, legend and axis, 90 per bar.
    assert_eq!((info.info().width, info.info().height), (1400, 290 + 4 * 90));
    let text = std::fs::read_to_string(&svg).unwrap();
    for words in [
        "what drives the expected revenue lost",
        "close rate",
        "swing",
        "10th percentile",
        "EUR",
    ] {
        assert!(text.contains(words), "the SVG lacks {words:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nothing_uncertain_or_a_bad_request_is_a_clear_error() {
    let none = stderr_of_failure(&["--scenario", B2B]);
    assert!(none.contains("no uncertain input to analyse"), "{none}");
    let bad = stderr_of_failure(&["--uncertain", "close-rate=0.3..0.2"]);
    assert!(bad.contains("uncertain") && bad.contains("LOW below HIGH"), "{bad}");
    let unknown = stderr_of_failure(&["--uncertain", "luck=1..2"]);
    assert!(unknown.contains("close-rate"), "lists the knobs: {unknown}");
    let metric = stderr_of_failure(&["--uncertain", "close-rate=0.2..0.3", "--metric", "profit"]);
    assert!(metric.contains("metric") && metric.contains("revenue_lost"), "{metric}");
    // The reference case has no marketing spend, so no ROI.
    let roi = stderr_of_failure(&["--uncertain", "close-rate=0.2..0.3", "--metric", "roi-lost"]);
    assert!(roi.contains("marketing spend"), "{roi}");
    let out_of_range = stderr_of_failure(&["--uncertain", "close-rate=0.5..1.5"]);
    assert!(out_of_range.contains("close_rate"), "{out_of_range}");
    let samples = stderr_of_failure(&["--uncertain", "close-rate=0.2..0.3", "--samples", "1"]);
    assert!(samples.contains("samples"), "{samples}");
}
