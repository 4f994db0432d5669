//! Every chart the examples draw, rendered as an analyst would ask for it:
//! PNGs decode to the requested size and are not blank, SVGs name their
//! series, and bad chart paths fail cleanly without leaving a file behind.

mod common;

use std::path::Path;

/// Decodes a PNG: (width, height, RGB(A) pixels, bytes per pixel).
fn decode(path: &Path) -> (u32, u32, Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(frame.buffer_size());
    let channels = frame.color_type.samples();
    (frame.width, frame.height, pixels, channels)
}

/// The PNG has the size asked for, a substantial amount of ink, several
/// colours (series, axes) and dark text-like pixels.
fn assert_png_chart(path: &Path, size: (u32, u32)) {
    let (w, h, pixels, channels) = decode(path);
    assert_eq!((w, h), size, "{}", path.display());
    let px: Vec<&[u8]> = pixels.chunks(channels).collect();
    let ink = px.iter().filter(|p| p[..3] != [255, 255, 255]).count();
    let share = ink as f64 / px.len() as f64;
    assert!(share > 0.03, "{}: only {:.1} % ink", path.display(), 100.0 * share);
    let mut colours: Vec<[u8; 3]> = px.iter().map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 20, "{}: {} colours", path.display(), colours.len());
    // Anti-aliased text of the embedded font leaves dark grey pixels.
    let dark = px.iter().filter(|p| p[0] < 100 && p[1] < 100 && p[2] < 100).count();
    assert!(dark > 2_000, "{}: {dark} dark pixels: no text?", path.display());
}

fn assert_svg_chart(path: &Path, names: &[&str]) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..100.min(text.len())]);
    for name in names {
        assert!(text.contains(name), "{} lacks {name:?}", path.display());
    }
}

/// The texts of an SVG chart (titles, labels, tick labels).
fn svg_texts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_owned()))
        .map(|t| {
            t.replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Every number written on the chart is whole: no `4.5` reps, no week `2.0`.
fn assert_whole_number_ticks(path: &Path) {
    for text in svg_texts(path) {
        let number = text.replace(',', "");
        if number.parse::<f64>().is_ok() {
            assert!(!number.contains('.'), "{}: tick label {text:?}", path.display());
        }
    }
}

fn ok(name: &str, args: &[&str]) {
    let output = common::run(name, args);
    assert!(
        output.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn no_partial_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(!name.ends_with(".partial"), "left behind: {name}");
    }
}

#[test]
fn simulate_draws_decay_customers_and_revenue_lost_as_png_and_svg() {
    let dir = common::temp_dir("simulate-charts");
    let png = dir.join("reference.png");
    let svg = dir.join("reference.svg");
    ok("simulate", &["--trials", "5000", "--chart", png.to_str().unwrap()]);
    assert_png_chart(&png, (1400, 1100));
    ok("simulate", &["--trials", "5000", "--chart", svg.to_str().unwrap()]);
    assert_svg_chart(
        &svg,
        &[
            "industrial: cools evenly, cold after 30 days",
            "share of leads still warm",
            "every worked SQL is followed up at once; never followed up: industrial 12.5 %",
            "ideal: every SQL worked at once",
            "actual: as followed up",
            "goal reached: 10 or more customers (37.4 % of campaigns as followed up)",
            "goal: 10",
            "revenue lost",
            "expected: 125,000",
        ],
    );
    let texts = svg_texts(&svg);
    // No delay to draw: no delay panel, no "mean 0.0 h", no jargon.
    assert!(
        !texts.iter().any(|t| t.contains("f(t)") || t.contains("mean 0.0")),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("share of worked SQLs")), "{texts:?}");
    // A study scenario on a log time axis, with per-trial export beside it.
    let web = dir.join("web.png");
    let trials = dir.join("trials.csv");
    ok(
        "simulate",
        &[
            "--scenario",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml"),
            "--trials",
            "3000",
            "--chart",
            web.to_str().unwrap(),
            "--per-trial",
            trials.to_str().unwrap(),
        ],
    );
    assert_png_chart(&web, (1400, 1100));
    assert!(trials.exists());
    // Its log axis has round times, its legends plain words.
    let web_svg = dir.join("web.svg");
    ok(
        "simulate",
        &[
            "--scenario",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml"),
            "--trials",
            "300",
            "--chart",
            web_svg.to_str().unwrap(),
        ],
    );
    let texts = svg_texts(&web_svg);
    for tick in ["1 min", "5 min", "15 min", "1 h", "4 h", "1 d", "1 w"] {
        assert!(texts.iter().any(|t| t == tick), "no tick {tick}: {texts:?}");
    }
    assert!(
        !texts.iter().any(|t| t.contains("0.60 min") || t.contains("table of")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("web: half cold after") && t.contains("95 % after")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t == "web: first follow-up after 42 hours on average; never followed up 23.0 %"),
        "{texts:?}"
    );
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn simulate_draws_where_the_loss_happens_as_a_heat_map_for_business_hours() {
    let dir = common::temp_dir("heat-map");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/consumer-weekend.toml");
    let (png, svg) = (dir.join("weekend.png"), dir.join("weekend.svg"));
    for path in [&png, &svg] {
        ok(
            "simulate",
            &[
                "--scenario",
                scenario,
                "--trials",
                "500",
                "--heat-map",
                path.to_str().unwrap(),
            ],
        );
    }
    assert_png_chart(&png, (1500, 580));
    assert_svg_chart(
        &svg,
        &[
            "Monday",
            "Sunday",
            "framed: the team at work",
            "revenue lost, by day of arrival",
            "SQLs that arrive between Friday 4 pm and Sunday 10 pm",
            "USD",
        ],
    );
    // Without business hours there is nothing to split by arrival time:
    // one clear line, and no file.
    let none = dir.join("none.png");
    let stderr = rejected("simulate", &["--trials", "100", "--heat-map", none.to_str().unwrap()]);
    assert!(
        stderr.contains("--heat-map: no segment's follow-up runs on the team's working clock"),
        "{stderr}"
    );
    assert!(!none.exists());
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A goal chance one decimal would round to `0.0 %` while it is not zero
/// (ten SQLs at 90 %, nine in ten never followed up: P(6 or more) is
/// 210 x 0.09^6 x 0.91^4 = 7.7e-5) is `< 0.1 %` in the customers legend
/// and in the table; `0 %` only when no campaign can reach the goal (five
/// SQLs worked, a goal of six).
#[test]
fn a_tiny_goal_chance_reads_below_a_tenth_of_a_percent_and_zero_only_when_impossible() {
    let dir = common::temp_dir("goal-legend");
    let scenario = "name = \"tiny-goal\"\ncustomer_goal = 6\n\n[[segments]]\nname = \"few\"\nsqls = 10\n\
                    close_rate = 0.9\ndeal_value = 1000\ndecay = \"b2b-industrial\"\n";
    for (name, neglect, legend, table, verdict) in [
        (
            "tiny",
            "never_followed_up = 0.9",
            "goal reached: 6 or more customers (< 0.1 % of campaigns as followed up)",
            "< 0.1",
            "falls from 99.8 % to < 0.1 %",
        ),
        (
            "zero",
            "neglected = 5",
            "goal reached: 6 or more customers (0 % of campaigns as followed up)",
            "0.0",
            "falls from 99.8 % to 0.0 %",
        ),
    ] {
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, format!("{scenario}{neglect}\n")).unwrap();
        let svg = dir.join(format!("{name}.svg"));
        let output = common::run(
            "simulate",
            &[
                "--scenario",
                file.to_str().unwrap(),
                "--trials",
                "5000",
                "--chart",
                svg.to_str().unwrap(),
            ],
        );
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let texts = svg_texts(&svg);
        assert!(texts.iter().any(|t| t == legend), "{name}: no {legend:?} in {texts:?}");
        assert!(!texts.iter().any(|t| t.contains(" 0.0 %")), "{name}: {texts:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let row = stdout
            .lines()
            .find(|l| l.starts_with("P(at least 6 customers) "))
            .unwrap_or_else(|| panic!("{stdout}"));
        assert_eq!(
            row.split_whitespace().nth(4),
            Some(table.split_whitespace().next().unwrap()),
            "{row}"
        );
        assert!(row.contains(&format!(" {table} ")), "{row}");
        assert!(stdout.contains(verdict), "{name}: {stdout}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn segments_with_one_curve_stay_apart_and_long_names_are_cut() {
    let dir = common::temp_dir("simulate-chart-names");
    // Two segments with the same decay: the second is dashed and says so.
    let svg = dir.join("afternoon.svg");
    ok(
        "simulate",
        &[
            "--scenario",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/scenarios/consumer-afternoon.toml"
            ),
            "--trials",
            "300",
            "--chart",
            svg.to_str().unwrap(),
        ],
    );
    let texts = svg_texts(&svg);
    for label in [
        "weekday: cools evenly, cold after 4 hours",
        "weekend: the same curve as weekday (dashed)",
        "weekday: first follow-up after 2 hours on average; never followed up 10.0 %",
        "weekend: first follow-up after 6 hours on average; never followed up 10.0 %",
    ] {
        assert!(texts.iter().any(|t| t == label), "no {label:?}: {texts:?}");
    }
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains("stroke-dasharray") || text.matches("<polyline").count() > 3,
        "no dashes"
    );
    // A segment name of 80 characters is cut with an ellipsis.
    let long = "a".repeat(30) + &"b".repeat(50);
    let scenario = dir.join("long.toml");
    std::fs::write(
        &scenario,
        format!(
            "name = \"long\"\n[[segments]]\nname = \"{long}\"\nsqls = 40\nclose_rate = 0.25\n\
             deal_value = 1000\ndecay = \"consumer\"\nfollow_up = {{ dist = \"exponential\", mean = \"3h\" }}\n"
        ),
    )
    .unwrap();
    let long_svg = dir.join("long.svg");
    ok(
        "simulate",
        &[
            "--scenario",
            scenario.to_str().unwrap(),
            "--trials",
            "300",
            "--chart",
            long_svg.to_str().unwrap(),
        ],
    );
    let texts = svg_texts(&long_svg);
    assert!(!texts.iter().any(|t| t.contains(&long)), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("…: cools evenly")), "{texts:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn sweep_draws_the_value_of_speed_as_png_and_svg() {
    let dir = common::temp_dir("sweep-charts");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-industrial.toml");
    let png = dir.join("speed.png");
    let svg = dir.join("speed.svg");
    for path in [&png, &svg] {
        ok(
            "sweep",
            &[
                "--scenario",
                scenario,
                "--vary",
                "follow-up-mean",
                "--from",
                "0",
                "--to",
                "10d",
                "--steps",
                "4",
                "--trials",
                "2000",
                "--chart",
                path.to_str().unwrap(),
            ],
        );
    }
    assert_png_chart(&png, (1200, 1000));
    assert_svg_chart(
        &svg,
        &[
            "revenue lost: expected",
            "revenue lost: 90 % of trials (p05 to p95)",
            "ROI lost: expected",
            "customers: expected",
            "mean follow-up delay (days)",
        ],
    );
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_reps_sweep_has_whole_team_sizes_on_its_axis() {
    let dir = common::temp_dir("sweep-reps-chart");
    let svg = dir.join("reps.svg");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/capacity.toml");
    ok(
        "sweep",
        &[
            "--scenario",
            scenario,
            "--vary",
            "reps",
            "--from",
            "5",
            "--to",
            "8",
            "--trials",
            "20",
            "--chart",
            svg.to_str().unwrap(),
        ],
    );
    assert_whole_number_ticks(&svg);
    let texts = svg_texts(&svg);
    for reps in ["5", "6", "7", "8"] {
        assert!(texts.iter().any(|t| t == reps), "no tick {reps}: {texts:?}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plan_draws_the_demand_waterfall_as_png_and_svg() {
    let dir = common::temp_dir("plan-charts");
    let png = dir.join("plan.png");
    let svg = dir.join("plan.svg");
    for path in [&png, &svg] {
        ok(
            "plan",
            &[
                "--revenue-goal",
                "10000000",
                "--deal-value",
                "50000",
                "--close-rate",
                "0.25",
                "--mql-to-sql",
                "0.2",
                "--never-followed-up",
                "0.2",
                "--confidence",
                "0.9",
                "--chart",
                path.to_str().unwrap(),
            ],
        );
    }
    assert_png_chart(&png, (1200, 700));
    assert_svg_chart(
        &svg,
        &[
            "every SQL worked at once",
            "planned, with neglect and decay",
            "confidence of the goal",
            "MQLs",
            "SQLs",
            "customers",
            "4,000",
            "5,000",
        ],
    );
    // A linear funnel: 4,000 MQLs look five times 800 SQLs, and the axis
    // ends just past the longest bar (no empty range up to 100,000).
    let texts = svg_texts(&svg);
    assert!(texts.iter().any(|t| t == "units needed"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("log scale")), "{texts:?}");
    let largest = texts
        .iter()
        .filter_map(|t| t.replace(',', "").parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(largest < 10_000.0, "an axis up to {largest}: {texts:?}");
    // Visitors against customers (a factor of 3,000): a log axis, said in
    // the title, its last decade holding the visitors bar.
    let wide = dir.join("visitors.svg");
    ok(
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
            "--inquiry-to-mql",
            "0.3",
            "--visitor-to-inquiry",
            "0.02",
            "--chart",
            wide.to_str().unwrap(),
        ],
    );
    let texts = svg_texts(&wide);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("(log scale: each bar's number is its size)")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "1,333,350") && texts.iter().any(|t| t == "1,000,000"),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t == "10,000,000"), "{texts:?}");
    let stderr = rejected(
        "plan",
        &["--customer-goal", "10", "--close-rate", "0.25", "--chart", "plan.jpeg"],
    );
    assert!(
        stderr.contains("expected a file name ending in .png or .svg"),
        "{stderr}"
    );
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn capacity_draws_a_fan_chart_per_week_as_png_and_svg() {
    let dir = common::temp_dir("capacity-charts");
    let png = dir.join("weeks.png");
    let svg = dir.join("weeks.svg");
    for path in [&png, &svg] {
        ok(
            "capacity",
            &["--trials", "40", "run", "--chart", path.to_str().unwrap()],
        );
    }
    assert_png_chart(&png, (1200, 1000));
    assert_svg_chart(
        &svg,
        &[
            "per week of arrival",
            // The queue has no exact expectation: the line is a mean.
            "revenue lost: mean of the runs",
            "customers: mean of the runs",
            "90 % of trials",
            "week 1 is the warm-up",
        ],
    );
    assert_whole_number_ticks(&svg);
    let stderr = rejected("capacity", &["--trials", "5", "run", "--chart", "weeks.jpeg"]);
    assert!(
        stderr.contains("expected a file name ending in .png or .svg"),
        "{stderr}"
    );
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn calibrate_draws_binned_conversion_with_the_fitted_curves_as_png_and_svg() {
    let dir = common::temp_dir("calibrate-charts");
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/export.csv");
    let png = dir.join("conversion.png");
    let svg = dir.join("conversion.svg");
    for path in [&png, &svg] {
        ok("calibrate", &["--input", input, "--chart", path.to_str().unwrap()]);
    }
    assert_png_chart(&png, (1200, 750));
    assert_svg_chart(
        &svg,
        &[
            "conversion against response delay",
            "(best by AIC)",
            "fit: step",
            "fit: linear",
            "fit: weibull",
            "fit: table",
            "Wilson 95 % interval",
            "the delays each bin holds",
        ],
    );
    // The axis spans every delay: the export's last bin runs to 14 days
    // (its mean is 62 h), and the step fit drops at 4.9 days. An axis that
    // stopped at the last bin's mean hid both.
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t == "delay to first contact (log scale)"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "1 w"), "no tick at one week: {texts:?}");
    let stderr = rejected("calibrate", &["--input", input, "--chart", "conversion.bmp"]);
    assert!(
        stderr.contains("expected a file name ending in .png or .svg"),
        "{stderr}"
    );
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

fn rejected(name: &str, args: &[&str]) -> String {
    let output = common::run(name, args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{name} {args:?} was accepted");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn bad_chart_paths_fail_cleanly_and_leave_nothing_behind() {
    let dir = common::temp_dir("bad-charts");
    let unknown = dir.join("chart.gif");
    let unwritable = dir.join("missing-dir").join("chart.png");
    let sweep = [
        "--vary", "sla", "--from", "1h", "--to", "2h", "--steps", "2", "--trials", "100",
    ];
    for example in ["simulate", "sweep"] {
        let mut args: Vec<&str> = if example == "sweep" {
            sweep.to_vec()
        } else {
            vec!["--trials", "100"]
        };
        args.extend(["--chart", unknown.to_str().unwrap()]);
        let stderr = rejected(example, &args);
        assert!(
            stderr.contains("expected a file name ending in .png or .svg"),
            "{stderr}"
        );
        args.pop();
        args.push(unwritable.to_str().unwrap());
        let stderr = rejected(example, &args);
        assert!(stderr.contains("chart.png: cannot write"), "{stderr}");
    }
    // A directory in the way of the file.
    let blocked = dir.join("blocked.svg");
    std::fs::create_dir(&blocked).unwrap();
    let stderr = rejected("simulate", &["--trials", "100", "--chart", blocked.to_str().unwrap()]);
    assert!(stderr.contains("blocked.svg: cannot write"), "{stderr}");
    assert!(!unknown.exists() && !unwritable.exists());
    no_partial_files(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_embedded_font_is_a_valid_font() {
    let font: &'static [u8] = include_bytes!("../examples/common/fonts/DejaVuSans.ttf");
    assert!(plotters::style::register_font("test-font", plotters::style::FontStyle::Normal, font).is_ok());
}
