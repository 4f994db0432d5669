//! The HTML reports in a real browser (issue 19): headless Chromium renders
//! the reference case, the gallery's inbound-web scenario, a capacity run, a
//! value-of-speed sweep, a comparison of scenarios, a calibration and a plan to PNG and to PDF (A4 and Letter), and each page must
//!
//! * load with no console message at all (the pages run no script, so any
//!   message is the browser's: a blocked load, a CSP violation, a parse
//!   error) and make no network request (Chromium's NetLog: no request
//!   started on the page's behalf);
//! * draw every chart: inside each chart's frame (the one element with the
//!   colour #c5d3e8) a good share of ink in many colours;
//! * show the verdict sentence at the top, above the first chart (its
//!   colour, #0b3d91, is used by nothing else);
//! * print with no chart split across pages: in the PDF's text, each
//!   chart's title and its caption are on one page, on A4 and on Letter.
//!
//! Needs `chromium` (Debian's package) and `pdftotext` (poppler-utils);
//! `.ci/run` installs them and runs this test with `--ignored`. The pages,
//! screenshots and PDFs stay in `target/browser/` to be looked at.
//!
//! ```text
//! cargo test --test browser -- --ignored --nocapture
//! ```

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium flags that work on this machine's closed network.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

const VERDICT: [u8; 3] = [0x0b, 0x3d, 0x91];
const FRAME: [u8; 3] = [0xc5, 0xd3, 0xe8];

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs Chromium on `page` with `extra` flags in a fresh profile; returns
/// its log (stderr, with console messages).
fn run_chromium(page: &Path, extra: &[String]) -> String {
    let profile = common::temp_dir(&format!("chromium-{}", page.file_stem().unwrap().to_string_lossy()));
    let output = Command::new(chromium())
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--enable-logging=stderr", "--v=0"])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (apt-get install chromium)");
    let _ = std::fs::remove_dir_all(profile);
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "chromium failed on {}:\n{log}", page.display());
    log
}

/// The console messages of a Chromium log.
fn console_messages(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The requests the page made, from a NetLog: jobs started for a URL that
/// is not the page's own file, on behalf of a page (Chromium's own
/// background requests have no origin: "not an origin").
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).unwrap();
    let log: serde_json::Value = serde_json::from_str(&text).expect("a complete NetLog");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .unwrap();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .map(str::to_owned)
        .collect()
}

/// RGB pixels of a PNG, with its width and height.
fn decode(path: &Path) -> (usize, usize, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let channels = frame.color_type.samples();
    let pixels = buffer[..frame.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (frame.width as usize, frame.height as usize, pixels)
}

fn near(p: [u8; 3], c: [u8; 3], tolerance: u8) -> bool {
    p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= tolerance)
}

/// The chart frames of a screenshot, as (top, bottom, left, right): rows
/// where the frame colour runs across most of the column, paired.
fn chart_frames(width: usize, height: usize, px: &[[u8; 3]]) -> Vec<(usize, usize, usize, usize)> {
    let mut lines: Vec<(usize, usize, usize)> = Vec::new(); // (row, left, right)
    for y in 0..height {
        let row = &px[y * width..(y + 1) * width];
        let hits: Vec<usize> = (0..width).filter(|&x| near(row[x], FRAME, 3)).collect();
        if hits.len() > width / 2 {
            let (left, right) = (hits[0], hits[hits.len() - 1]);
            // Two-pixel borders: keep one row per line.
            if lines.last().is_none_or(|l| y > l.0 + 2) {
                lines.push((y, left, right));
            }
        }
    }
    lines
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| (pair[0].0, pair[1].0, pair[0].1, pair[0].2))
        .collect()
}

/// The texts a page's charts must keep together when printed: each
/// chart's title (its SVG's first text) and its caption's first words.
fn chart_texts(html: &str) -> Vec<(String, String)> {
    html.split("<figure class=\"chart\"")
        .skip(1)
        .map(|figure| {
            let title = figure
                .split("<text")
                .nth(1)
                .and_then(|t| t.split_once('>'))
                .map(|(_, rest)| rest.split("</text>").next().unwrap().trim().to_owned())
                .unwrap();
            let caption = figure.split("<figcaption>").nth(1).unwrap();
            let words: Vec<&str> = caption.split_whitespace().take(4).collect();
            (unescape(&title), unescape(&words.join(" ")))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Collapses runs of whitespace (pdftotext lays words out in columns).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the page, renders it and checks it; returns the screenshot.
fn check_page(name: &str, page: &Path) -> PathBuf {
    let dir = out_dir();
    let html = std::fs::read_to_string(page).unwrap();
    let charts = html.matches("<figure class=\"chart\"").count();
    assert!(charts >= 1, "{name}: no chart");

    // Screen: a tall window holds the whole page.
    let png = dir.join(format!("{name}.png"));
    let netlog = dir.join(format!("{name}.netlog.json"));
    let log = run_chromium(
        page,
        &[
            "--window-size=1000,7000".to_owned(),
            format!("--screenshot={}", png.display()),
            format!("--log-net-log={}", netlog.display()),
        ],
    );
    assert_eq!(console_messages(&log), Vec::<&str>::new(), "{name}: console messages");
    assert_eq!(page_requests(&netlog), Vec::<String>::new(), "{name}: network requests");

    let (width, height, px) = decode(&png);
    let frames = chart_frames(width, height, &px);
    assert_eq!(
        frames.len(),
        charts,
        "{name}: {} chart frames in the screenshot",
        frames.len()
    );
    for (i, &(top, bottom, left, right)) in frames.iter().enumerate() {
        assert!(bottom > top + 200, "{name}: chart {i} is {} pixels high", bottom - top);
        // The chart without its caption (the bottom 70 pixels).
        let mut ink = 0usize;
        let mut colours: Vec<[u8; 3]> = Vec::new();
        let mut area = 0usize;
        for y in top + 4..bottom.saturating_sub(70) {
            for x in left + 4..right.saturating_sub(4) {
                let p = px[y * width + x];
                area += 1;
                if !near(p, [255, 255, 255], 6) && !near(p, FRAME, 3) {
                    ink += 1;
                    if colours.len() < 64 && !colours.contains(&p) {
                        colours.push(p);
                    }
                }
            }
        }
        let share = ink as f64 / area.max(1) as f64;
        assert!(share > 0.02, "{name}: chart {i} is empty ({:.2} % ink)", 100.0 * share);
        assert!(colours.len() > 10, "{name}: chart {i} has {} colours", colours.len());
    }
    // The verdict: at the top, above the first chart.
    let verdict_rows: Vec<usize> = (0..height)
        .filter(|&y| px[y * width..(y + 1) * width].iter().any(|&p| near(p, VERDICT, 2)))
        .collect();
    assert!(
        verdict_rows.len() > 20,
        "{name}: no verdict text ({} rows)",
        verdict_rows.len()
    );
    assert!(
        verdict_rows[0] < 250,
        "{name}: the verdict starts at row {}",
        verdict_rows[0]
    );
    assert!(
        *verdict_rows.last().unwrap() < frames[0].0,
        "{name}: verdict-coloured pixels below the first chart"
    );

    // Print: A4 and Letter, no chart split across pages.
    let titles = chart_texts(&html);
    for paper in ["A4", "Letter"] {
        let sized = dir.join(format!("{name}-{paper}.html"));
        std::fs::write(
            &sized,
            html.replacen(
                "</head>",
                &format!("<style>@page {{ size: {paper}; }}</style>\n</head>"),
                1,
            ),
        )
        .unwrap();
        let pdf = dir.join(format!("{name}-{paper}.pdf"));
        let log = run_chromium(
            &sized,
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".to_owned(),
            ],
        );
        assert_eq!(
            console_messages(&log),
            Vec::<&str>::new(),
            "{name} {paper}: console messages"
        );
        let text = Command::new("pdftotext")
            .args(["-layout", pdf.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext runs (apt-get install poppler-utils)");
        let text = String::from_utf8_lossy(&text.stdout).into_owned();
        let pages: Vec<String> = text.split('\u{c}').map(words).collect();
        assert!(pages.len() >= 2, "{name} {paper}: {} page(s)", pages.len());
        assert!(
            pages[0].contains(
                &words(&unescape(
                    html.split("id=\"verdict\">")
                        .nth(1)
                        .unwrap()
                        .split("</p>")
                        .next()
                        .unwrap()
                ))[..40]
            )
        );
        for (title, caption) in &titles {
            let together = pages
                .iter()
                .any(|p| p.contains(&words(title)) && p.contains(&words(caption)));
            assert!(
                together,
                "{name} {paper}: chart {title:?} and its caption {caption:?} are not on one page"
            );
        }
        let _ = std::fs::remove_file(sized);
    }
    png
}

/// Runs an example with `--report` into `target/browser/<name>.html`.
fn make_report(name: &str, example: &str, args: &[&str]) -> PathBuf {
    let page = out_dir().join(format!("{name}.html"));
    let mut all = args.to_vec();
    all.extend(["--report", page.to_str().unwrap()]);
    let output = common::run(example, &all);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    page
}

#[test]
#[ignore = "needs chromium and pdftotext: .ci/run installs them and runs it"]
fn reports_render_in_headless_chromium_with_every_chart_and_nothing_fetched() {
    let web = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/inbound-web.toml");
    let pages = [
        (
            "reference",
            make_report("reference", "simulate", &["--trials", "20000"]),
        ),
        (
            "inbound-web",
            make_report("inbound-web", "simulate", &["--scenario", web, "--trials", "20000"]),
        ),
        (
            "consumer-weekend",
            make_report(
                "consumer-weekend",
                "simulate",
                &[
                    "--scenario",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/consumer-weekend.toml"),
                    "--trials",
                    "20000",
                ],
            ),
        ),
        (
            "capacity",
            make_report("capacity", "capacity", &["--trials", "200", "run"]),
        ),
        (
            "sensitivity",
            make_report(
                "sensitivity",
                "sensitivity",
                &[
                    "--scenario",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios/b2b-guesses.toml"),
                ],
            ),
        ),
        (
            "sweep-speed",
            make_report(
                "sweep-speed",
                "sweep",
                &["--scenario", web, "--speed", "--trials", "2000"],
            ),
        ),
        (
            "sweep-compare",
            make_report(
                "sweep-compare",
                "sweep",
                &[
                    "--compare",
                    concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/examples/scenarios/inbound-web-downside.toml"
                    ),
                    web,
                    concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/examples/scenarios/inbound-web-upside.toml"
                    ),
                    "--trials",
                    "2000",
                ],
            ),
        ),
        (
            "calibrate",
            make_report(
                "calibrate",
                "calibrate",
                &[
                    "--input",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/export.csv"),
                ],
            ),
        ),
        (
            "plan",
            make_report(
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
                    "--cost-per-mql",
                    "120",
                ],
            ),
        ),
    ];
    for (name, page) in &pages {
        let png = check_page(name, page);
        println!("{name}: {} checked ({})", page.display(), png.display());
    }
}

#[test]
#[ignore = "needs chromium: .ci/run runs it"]
fn the_checks_catch_a_console_message_a_request_and_an_empty_chart() {
    // A page with a script that logs, an image from the network and no
    // CSP: each check must see what is wrong.
    let dir = out_dir();
    let bad = dir.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bad</title></head><body>\
         <p>bad</p><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('broken');</script>\
         <figure class=\"chart\" style=\"border: 2px solid #c5d3e8; height: 400px; margin: 0\"></figure>\
         </body></html>",
    )
    .unwrap();
    let png = dir.join("bad.png");
    let netlog = dir.join("bad.netlog.json");
    let log = run_chromium(
        &bad,
        &[
            "--window-size=1000,800".to_owned(),
            format!("--screenshot={}", png.display()),
            format!("--log-net-log={}", netlog.display()),
        ],
    );
    assert!(console_messages(&log).iter().any(|m| m.contains("broken")), "{log}");
    assert_eq!(page_requests(&netlog), ["http://127.0.0.1:9/x.png"]);
    let (width, height, px) = decode(&png);
    let frames = chart_frames(width, height, &px);
    assert_eq!(frames.len(), 1);
    let (top, bottom, left, right) = frames[0];
    let ink = (top + 4..bottom - 4)
        .flat_map(|y| (left + 4..right - 4).map(move |x| (x, y)))
        .filter(|&(x, y)| !near(px[y * width + x], [255, 255, 255], 6))
        .count();
    assert_eq!(ink, 0, "an empty frame has no ink");
}
