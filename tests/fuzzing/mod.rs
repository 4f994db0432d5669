//! The differential fuzzer's generators and checks, shared by the fixed-seed
//! batch that `cargo test` runs (`tests/fuzz.rs`) and its `#[ignore]`d long
//! campaign (`FUZZ_CASES=100000 FUZZ_SEED=1 cargo test --release --test fuzz
//! -- --ignored --nocapture`).
//!
//! Scenario documents come from three generators: gallery files
//! (`examples/scenarios/*.toml`) with one field replaced by an extreme value,
//! documents built from the grammar with extreme values (calendars,
//! working-clock follow-ups and SLAs, arrival profiles, uncertain inputs and
//! `[[joint]]` alternatives included), and byte-level
//! mutations of gallery text. CRM exports are random rows, truncated rows,
//! odd quoting and odd timestamps.
//!
//! For every scenario that loads, [`check_scenario`] checks: no panic; every
//! expectation and every report figure finite; the TOML and JSON round trips
//! equal, of the scenario and of the whole file (`to_toml_string` /
//! `from_toml_str`, `to_json_string` / `from_json_str`); the exact expectation
//! (over the uncertain inputs, if any: `ExpectedOverInputs`) within 5
//! standard errors of Monte Carlo and the per-SQL
//! and collapsed engines within 5 standard errors of each other (a flagged
//! comparison is rerun with 100 times the trials before it counts); one
//! thread equal to two bit for bit; peak memory under 1 GiB (a counting
//! global allocator). For every export: rows read = used + skipped, and every
//! skip has a line and a reason.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use lead_decay::calibrate::{Export, ExportFormat};
use lead_decay::exact::ExpectedOverInputs;
use lead_decay::{Analysis, Engine, Expected, Report, Scenario, Simulation};
use rand::{Rng, RngExt};

// ---------------------------------------------------------------------------
// Peak memory
// ---------------------------------------------------------------------------

/// The system allocator, counting the bytes live and their peak.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// Starts a new peak measurement from the bytes live now.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// The peak of live bytes since [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// The peak memory a case may reach.
pub const MEMORY_LIMIT: usize = 1 << 30;

/// The CPU time this process has used (all threads, user and system), read
/// from `/proc/self/stat` in ticks of 1/100 s; `None` where that file does not
/// exist (not Linux). A campaign's time bound is on CPU, not wall time, so a
/// case is not reported as slow because the machine was busy with other work.
pub fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it start
    // with the state (field 3), so utime and stime (fields 14, 15) are the
    // 12th and 13th after the closing parenthesis.
    let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(std::time::Duration::from_millis((utime + stime) * 10))
}

// ---------------------------------------------------------------------------
// Scenario generators
// ---------------------------------------------------------------------------

/// The gallery files' text.
pub fn gallery() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

const DURATIONS: [&str; 16] = [
    "1s",
    "0h",
    "1e-6h",
    "1e-9h",
    "1e-10h",
    "1m",
    "45m",
    "4h",
    "1.05d",
    "30d",
    "2w",
    "1e6h",
    "1e12h",
    "1e13h",
    "110.88000000000001h",
    "1e308h",
];

fn extreme_number<R: Rng>(rng: &mut R) -> toml::Value {
    const FLOATS: [f64; 22] = [
        0.0, -0.0, -1.0, 5e-324, 1e-300, 1e-9, 1e-6, 1e-3, 0.5, 0.999999, 1.0, 1.0000001, 2.0, 30.0, 1e3, 1e6, 1e10,
        1e15, 1e16, 1e30, 1e306, 1.7e308,
    ];
    const INTS: [i64; 8] = [0, 1, 2, 40, 1_000_000, 1_000_000_000, 1_000_000_001, i64::MAX];
    match rng.random_range(0..5) {
        0 => toml::Value::Integer(INTS[rng.random_range(0..INTS.len())]),
        1 => toml::Value::String(DURATIONS[rng.random_range(0..DURATIONS.len())].to_owned()),
        2 => toml::Value::Float([f64::NAN, f64::INFINITY, f64::NEG_INFINITY][rng.random_range(0..3)]),
        _ => toml::Value::Float(FLOATS[rng.random_range(0..FLOATS.len())]),
    }
}

/// Every leaf of a TOML value, as a path of keys and indices.
fn leaves(value: &toml::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at_path<'a>(value: &'a mut toml::Value, path: &[String]) -> &'a mut toml::Value {
    path.iter().fold(value, |v, key| match v {
        toml::Value::Table(t) => t.get_mut(key).unwrap(),
        toml::Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
        _ => unreachable!(),
    })
}

/// A gallery file with one to three leaves replaced by extreme values.
pub fn mutated_gallery<R: Rng>(rng: &mut R, gallery: &[String]) -> String {
    let text = &gallery[rng.random_range(0..gallery.len())];
    let mut doc: toml::Value = toml::from_str(text).unwrap();
    let mut all = vec![];
    leaves(&doc, &mut vec![], &mut all);
    for _ in 0..rng.random_range(1..=3) {
        let path = &all[rng.random_range(0..all.len())];
        *at_path(&mut doc, path) = extreme_number(rng);
    }
    toml::to_string(&doc).unwrap_or_default()
}

fn pick<'a, R: Rng>(rng: &mut R, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn duration<R: Rng>(rng: &mut R) -> String {
    if rng.random_bool(0.3) {
        format!("\"{}\"", pick(rng, &DURATIONS))
    } else {
        let exponent: f64 = rng.random_range(-10.0..13.0);
        format!("{}", 10f64.powf(exponent))
    }
}

fn number<R: Rng>(rng: &mut R, lo: f64, hi: f64) -> String {
    if rng.random_bool(0.1) {
        extreme_number(rng).to_string()
    } else {
        format!("{}", rng.random_range(lo..=hi))
    }
}

/// A time of day, now and then out of range.
fn clock_time<R: Rng>(rng: &mut R) -> String {
    match rng.random_range(0..10) {
        0 => pick(
            rng,
            &["\"0h\"", "\"24h\"", "\"25h\"", "\"-1h\"", "\"12.5h\"", "\"30m\""],
        )
        .to_owned(),
        _ => format!("\"{}h\"", rng.random_range(0..=24)),
    }
}

/// A date, now and then impossible.
fn date<R: Rng>(rng: &mut R) -> String {
    match rng.random_range(0..12) {
        0 => pick(
            rng,
            &["2026-02-30", "2026-13-01", "1900-01-01", "9999-12-31", "tomorrow", ""],
        )
        .to_owned(),
        _ => format!(
            "{}-{:02}-{:02}",
            rng.random_range(2020..2032),
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        ),
    }
}

/// The keys of a calendar (`key = value`), for a `[calendar]` section or an
/// inline table: working days and hours (one shift, several, or by day), a
/// time zone, holidays and dates (a horizon of a month to a decade).
fn calendar_keys<R: Rng>(rng: &mut R) -> Vec<String> {
    const DAYS: [&str; 8] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "xyz"];
    let mut keys = vec![];
    if rng.random_bool(0.8) {
        let mut days: Vec<String> = vec![];
        for d in DAYS[..7]
            .iter()
            .copied()
            .chain(rng.random_bool(0.03).then_some(DAYS[7]))
        {
            if d == DAYS[7] || rng.random_bool(0.6) {
                days.push(format!("\"{d}\""));
            }
        }
        keys.push(format!("working_days = [{}]", days.join(", ")));
    }
    let shift = |rng: &mut R| format!("[{}, {}]", clock_time(rng), clock_time(rng));
    match rng.random_range(0..5) {
        0 => {}
        1 => {
            let shifts: Vec<String> = (0..rng.random_range(1..4)).map(|_| shift(rng)).collect();
            keys.push(format!("working_hours = [{}]", shifts.join(", ")));
        }
        2 => {
            let mut days: Vec<String> = vec![];
            for d in &DAYS[..7] {
                if rng.random_bool(0.5) {
                    days.push(format!("{d} = {}", shift(rng)));
                }
            }
            keys.push(format!("working_hours = {{ {} }}", days.join(", ")));
        }
        _ => keys.push(format!("working_hours = {}", shift(rng))),
    }
    if rng.random_bool(0.3) {
        let zone = pick(
            rng,
            &[
                "UTC",
                "Europe/Berlin",
                "America/New_York",
                "Australia/Lord_Howe",
                "Mars/Base",
            ],
        );
        keys.push(format!("time_zone = \"{zone}\""));
    }
    if rng.random_bool(0.3) {
        let days: Vec<String> = (0..rng.random_range(0..6))
            .map(|_| format!("\"{}\"", date(rng)))
            .collect();
        keys.push(format!("holidays = [{}]", days.join(", ")));
    }
    if rng.random_bool(0.3) {
        let start = date(rng);
        keys.push(format!("start = \"{start}\""));
        let end = match rng.random_range(0..4) {
            0 => date(rng),
            // A horizon of up to a decade of dates and holidays.
            1 => format!("{}-12-31", rng.random_range(2020..2036)),
            _ => start.clone(),
        };
        if rng.random_bool(0.9) {
            keys.push(format!("end = \"{end}\""));
        }
    }
    keys
}

/// A segment's `arrivals`: round the clock, in working hours, or 168 hourly
/// weights (now and then all zero, negative or too few).
fn arrivals<R: Rng>(rng: &mut R) -> String {
    match rng.random_range(0..4) {
        0 => "arrivals = \"always\"".to_owned(),
        1 => "arrivals = \"working-hours\"".to_owned(),
        _ => {
            let n = if rng.random_bool(0.05) { 167 } else { 168 };
            let weights: Vec<String> = (0..n)
                .map(|_| match rng.random_range(0..20) {
                    0 => "0".to_owned(),
                    1 if rng.random_bool(0.1) => "-1".to_owned(),
                    _ => format!("{}", rng.random_range(0.0..10.0f64)),
                })
                .collect();
            format!("arrivals = {{ hour_of_week = [{}] }}", weights.join(", "))
        }
    }
}

/// An uncertain number (`{ dist = ..., ... }`) around the range `lo..hi`.
fn uncertain<R: Rng>(rng: &mut R, lo: f64, hi: f64, duration: bool) -> String {
    let unit = if duration { "h" } else { "" };
    let q = |x: f64| {
        if duration {
            format!("\"{x}{unit}\"")
        } else {
            format!("{x}")
        }
    };
    let (a, b) = (rng.random_range(lo..hi), rng.random_range(lo..hi));
    let (min, max) = (a.min(b), a.max(b));
    match rng.random_range(0..5) {
        0 => format!("{{ dist = \"uniform\", min = {}, max = {} }}", q(min), q(max)),
        1 => format!(
            "{{ dist = \"triangular\", min = {}, mode = {}, max = {} }}",
            q(min),
            q(0.5 * (min + max)),
            q(max)
        ),
        2 => format!(
            "{{ dist = \"pert\", min = {}, mode = {}, max = {} }}",
            q(min),
            q(min),
            q(max)
        ),
        3 => format!(
            "{{ dist = \"lognormal\", median = {}, sigma = {} }}",
            q(max),
            number(rng, 0.01, 1.0)
        ),
        _ => format!("{{ dist = \"gamma\", mean = {}, sd = {} }}", q(max), q(0.3 * max)),
    }
}

/// A document built from the grammar, with extreme values now and then:
/// segments, calendars (a `[calendar]` section and per-segment ones),
/// working-clock follow-ups and SLAs, arrival profiles, and uncertain inputs
/// (distributions in place of numbers, `[[inputs]]` and `[[joint]]`
/// alternatives). Uncertain inputs and business hours do not meet in one
/// document: each point of the expectation over inputs and each two-level
/// trial would cost a business-hours quadrature. The calendar part found two
/// follow-ups whose business-hours expectation cost minutes (a log-normal of
/// median 4e-8 h and sigma 3.6; a gamma of 1e6 working hours against a
/// half-life of 3e11 h); they are now refused past a bound on work, which
/// the check counts as `refused` (`tests/fixtures/fuzz-refused`).
pub fn grammar<R: Rng>(rng: &mut R) -> String {
    let mut out = String::from("name = \"fuzz\"\n");
    if rng.random_bool(0.4) {
        out += &format!("marketing_spend = {}\n", number(rng, 1.0, 1e7));
    }
    if rng.random_bool(0.3) {
        out += &format!("customer_goal = {}\n", rng.random_range(1..50));
    }
    let is_uncertain = rng.random_bool(0.2);
    let hours = !is_uncertain && rng.random_bool(0.35);
    let mut shared_life = false;
    let mut tail = String::new();
    if hours && rng.random_bool(0.7) {
        out += &format!("[calendar]\n{}\n", calendar_keys(rng).join("\n"));
    }
    for i in 0..rng.random_range(1..=3) {
        out += &format!("[[segments]]\nname = \"s{i}\"\n");
        if hours {
            if rng.random_bool(0.3) {
                out += &format!("calendar = {{ {} }}\n", calendar_keys(rng).join(", "));
            }
            if rng.random_bool(0.6) {
                out += &arrivals(rng);
                out.push('\n');
            }
            if rng.random_bool(0.4) {
                out += &format!("sla_clock = \"{}\"\n", pick(rng, &["working", "calendar", "lunar"]));
            }
        }
        let sqls = match rng.random_range(0..10) {
            0 => rng.random_range(0..3u64),
            1 => rng.random_range(1_000..100_000u64),
            _ => rng.random_range(1..200u64),
        };
        let close_rate = if is_uncertain && rng.random_bool(0.5) {
            format!(
                "{{ dist = \"beta\", mean = {}, sd = {} }}",
                number(rng, 0.01, 0.9),
                number(rng, 0.001, 0.1)
            )
        } else {
            number(rng, 0.0, 1.0)
        };
        out += &format!("sqls = {sqls}\nclose_rate = {close_rate}\n");
        out += &match rng.random_range(0..3) {
            0 => format!("deal_value = {}\n", number(rng, 0.0, 1e6)),
            1 => format!(
                "deal_value = {{ dist = \"lognormal\", mean = {}, cv = {} }}\n",
                number(rng, 1.0, 1e6),
                number(rng, 0.01, 3.0)
            ),
            _ => format!(
                "deal_value = {{ dist = \"gamma\", mean = {}, cv = {} }}\n",
                number(rng, 1.0, 1e6),
                number(rng, 0.01, 3.0)
            ),
        };
        out += &match rng.random_range(0..8) {
            0 => format!(
                "decay = \"{}\"\n",
                pick(
                    rng,
                    &["b2b-industrial", "consumer", "consumer-afternoon", "inbound-web"]
                )
            ),
            1 => format!("decay = {{ shape = \"step\", shelf_life = {} }}\n", duration(rng)),
            2 if is_uncertain => {
                shared_life = true;
                "decay = { shape = \"linear\", shelf_life = { input = \"life\" } }\n".to_owned()
            }
            2 => format!("decay = {{ shape = \"linear\", shelf_life = {} }}\n", duration(rng)),
            3 => format!("decay = {{ shape = \"exponential\", half_life = {} }}\n", duration(rng)),
            4 => format!(
                "decay = {{ shape = \"weibull\", scale = {}, k = {} }}\n",
                duration(rng),
                number(rng, 0.05, 5.0)
            ),
            5 => format!(
                "decay = {{ shape = \"schedule\", rate = {}, period = {} }}\n",
                number(rng, 1e-6, 1.0),
                duration(rng)
            ),
            _ => {
                let n = rng.random_range(1..6);
                let (mut t, mut f) = (0.0f64, 1.0f64);
                let points: Vec<String> = (0..n)
                    .map(|_| {
                        t += 10f64.powf(rng.random_range(-3.0..3.0));
                        f *= rng.random_range(0.0..=1.0);
                        format!("[{t}, {f}]")
                    })
                    .collect();
                format!("decay = {{ shape = \"table\", points = [{}] }}\n", points.join(", "))
            }
        };
        let clock = if hours && rng.random_bool(0.7) {
            format!(
                ", clock = \"{}\"",
                pick(rng, &["working", "working", "calendar", "sidereal"])
            )
        } else {
            String::new()
        };
        let follow_up = match rng.random_range(0..6) {
            0 if is_uncertain => format!(
                "follow_up = {{ dist = \"exponential\", mean = {} }}\n",
                uncertain(rng, 0.1, 200.0, true)
            ),
            0 => format!("follow_up = {{ dist = \"exponential\", mean = {} }}\n", duration(rng)),
            1 => format!(
                "follow_up = {{ dist = \"gamma\", mean = {}, shape = {} }}\n",
                duration(rng),
                number(rng, 1e-3, 50.0)
            ),
            2 => format!(
                "follow_up = {{ dist = \"lognormal\", median = {}, sigma = {} }}\n",
                duration(rng),
                number(rng, 0.01, 5.0)
            ),
            3 => format!(
                "follow_up = {{ dist = \"uniform\", min = {}, max = {} }}\n",
                duration(rng),
                duration(rng)
            ),
            4 => format!("follow_up = {{ dist = \"fixed\", delay = {} }}\n", duration(rng)),
            _ => String::new(),
        };
        // The clock goes inside the follow-up's inline table.
        out += &match follow_up.strip_suffix(" }\n") {
            Some(body) => format!("{body}{clock} }}\n"),
            None => follow_up,
        };
        if rng.random_bool(0.3) {
            out += &format!("sla = {}\n", duration(rng));
        }
        match rng.random_range(0..4) {
            0 => out += &format!("neglected = {}\n", rng.random_range(0..=sqls.max(1))),
            1 if is_uncertain => out += &format!("never_followed_up = {}\n", uncertain(rng, 0.0, 0.5, false)),
            1 => out += &format!("never_followed_up = {}\n", number(rng, 0.0, 1.0)),
            _ => {}
        }
        if is_uncertain && rng.random_bool(0.2) {
            tail += &format!(
                "[[joint]]\nsegments = [\"s{i}\"]\ndist = \"alternatives\"\n\
                 [[joint.alternatives]]\nweight = {}\ndecay = \"consumer\"\n\
                 [[joint.alternatives]]\nweight = {}\nfollow_up = {{ dist = \"exponential\", mean = {} }}\n\
                 [[joint.alternatives]]\nweight = 0.2\nset = {{ sla = {} }}\n",
                number(rng, 0.0, 1.0),
                number(rng, 0.0, 1.0),
                duration(rng),
                duration(rng),
            );
        }
    }
    if shared_life {
        out += &format!(
            "[[inputs]]\nname = \"life\"\nknob = \"shelf-life\"\ndist = \"triangular\"\nmin = \"{}h\"\nmode = \"{}h\"\nmax = \"{}h\"\n",
            1,
            rng.random_range(1..100),
            rng.random_range(100..2000)
        );
    }
    out + &tail
}

/// A gallery file with a few bytes deleted, duplicated or replaced.
pub fn text_mutation<R: Rng>(rng: &mut R, gallery: &[String]) -> String {
    let mut bytes = gallery[rng.random_range(0..gallery.len())].clone().into_bytes();
    for _ in 0..rng.random_range(1..=4) {
        if bytes.is_empty() {
            break;
        }
        let i = rng.random_range(0..bytes.len());
        match rng.random_range(0..4) {
            0 => {
                bytes.remove(i);
            }
            1 => bytes.insert(i, bytes[i]),
            2 => bytes[i] = b"0123456789.e-+\"[]{}=,\n #"[rng.random_range(0..24)],
            _ => bytes.truncate(i),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One scenario document from one of the three generators.
pub fn scenario_case<R: Rng>(rng: &mut R, gallery: &[String]) -> String {
    match rng.random_range(0..3) {
        0 => mutated_gallery(rng, gallery),
        1 => grammar(rng),
        _ => text_mutation(rng, gallery),
    }
}

// ---------------------------------------------------------------------------
// Scenario checks
// ---------------------------------------------------------------------------

/// What a scenario case did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// The document loaded as a scenario.
    pub valid: bool,
    /// A statistical comparison fired at 5 SE and passed its 100x rerun.
    pub reruns: u32,
    /// The exact expectation is NaN (on business hours, past its budget of
    /// evaluations) and the simulation refused the scenario with an error.
    pub refused: bool,
}

fn finite_report(what: &str, report: &Report) -> Result<(), String> {
    for (name, s) in report.metrics.iter() {
        for v in [s.mean, s.std_dev, s.std_error, s.min, s.p05, s.p50, s.p95, s.max] {
            if !v.is_finite() {
                return Err(format!("{what}: {name} not finite: {v}"));
            }
        }
    }
    Ok(())
}

/// `a` and `b` (customer counts, means of `n` trials) within 5 standard
/// errors. A count's variance is about its mean where it is rare, so the
/// standard error is at least `sqrt(mean / n)`: all-zero trials of a tiny
/// expectation have a sample standard error of 0 but say nothing against it.
fn within(a: f64, b: f64, se: f64, n: u64) -> bool {
    let se = se.max((a.abs().max(b.abs()) / n as f64).sqrt());
    (a - b).abs() <= 5.0 * se + 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Runs every check on `text`; `Err` describes the first finding.
pub fn check_scenario(text: &str) -> Result<Outcome, String> {
    let Ok(analysis) = Analysis::from_toml_str(text) else {
        return Ok(Outcome::default());
    };
    // The whole file ([plan], [sales], ... too) round-trips in both formats.
    let toml = analysis.to_toml_string();
    if Analysis::from_toml_str(&toml).map_err(|e| format!("file round trip does not load: {e}\n{toml}"))? != analysis {
        return Err(format!("file round trip differs:\n{toml}"));
    }
    let json = analysis.to_json_string();
    if Analysis::from_json_str(&json).map_err(|e| format!("JSON file round trip does not load: {e}\n{json}"))?
        != analysis
    {
        return Err(format!("JSON file round trip differs:\n{json}"));
    }
    let scenario = analysis.into_scenario();
    let mut outcome = Outcome {
        valid: true,
        ..Outcome::default()
    };
    let back = Scenario::from_toml_str(&scenario.to_toml_string())
        .map_err(|e| format!("round trip does not load: {e}\n{}", scenario.to_toml_string()))?;
    if back != scenario {
        return Err(format!("round trip differs:\n{}", scenario.to_toml_string()));
    }
    let json = scenario.to_json_string();
    let back = Scenario::from_json_str(&json).map_err(|e| format!("JSON round trip does not load: {e}\n{json}"))?;
    if back != scenario {
        return Err(format!("JSON round trip differs:\n{json}"));
    }
    // Monte Carlo draws the uncertain inputs anew each trial: its mean is
    // the expectation over the inputs (with its own standard error under
    // quasi-Monte Carlo), not `Expected::of` at their base values.
    let (expected, expected_se) = if scenario.uncertainty().is_empty() {
        (Expected::of(&scenario), 0.0)
    } else {
        match ExpectedOverInputs::of(&scenario) {
            Ok(over) => (over.expected, over.std_error.map_or(0.0, |se| se.customers)),
            // Each exact evaluation too costly even for the smallest design:
            // refused with an error that says so (and `simulate` with it).
            Err(e) if e.to_string().contains("units of work") => {
                let refused = Simulation::new(&scenario)
                    .trials(50)
                    .run()
                    .is_err_and(|r| r.to_string() == e.to_string());
                if refused {
                    outcome.refused = true;
                    return Ok(outcome);
                }
                return Err(format!("expectation over inputs refused, but the run was not: {e}"));
            }
            Err(e) => return Err(format!("expectation over inputs fails: {e}")),
        }
    };
    let sqls = scenario.total_sqls();
    let trials = (2_000_000 / sqls.max(1)).clamp(50, 2_000);
    let run = |engine: Engine, trials: u64, threads: usize| {
        Simulation::new(&scenario)
            .trials(trials)
            .seed(7)
            .engine(engine)
            .threads(threads)
            .run()
    };
    for (name, value) in expected.iter() {
        if let Some(v) = value
            && !v.is_finite()
        {
            // An exact business-hours expectation past its budget is NaN;
            // the run must then refuse, naming the figure, never report.
            let refused = v.is_nan()
                && scenario.segments().iter().any(|s| s.business_hours().is_some())
                && run(Engine::Collapsed, 50, 1).is_err_and(|e| e.to_string().contains("expected."));
            if refused {
                outcome.refused = true;
                return Ok(outcome);
            }
            return Err(format!("expected {name} not finite: {v}"));
        }
    }
    if sqls > 10_000_000 {
        return Ok(outcome); // Monte Carlo too costly for a fuzz case.
    }
    let collapsed = match run(Engine::Collapsed, trials, 1) {
        Ok(report) => report,
        // The final guard: an error rather than a number from NaN.
        Err(e) => return Err(format!("a valid scenario does not simulate: {e}")),
    };
    finite_report("collapsed", &collapsed)?;
    let two = run(Engine::Collapsed, trials, 2).map_err(|e| e.to_string())?;
    if serde_json::to_string(&two).unwrap() != serde_json::to_string(&collapsed).unwrap() {
        return Err("1 thread and 2 threads differ".to_owned());
    }
    let c = &collapsed.metrics.customers;
    if !within(c.mean, expected.customers, c.std_error.hypot(expected_se), trials) {
        let bigger = run(Engine::Collapsed, trials * 100, 2).map_err(|e| e.to_string())?;
        let b = &bigger.metrics.customers;
        if !within(b.mean, expected.customers, b.std_error.hypot(expected_se), trials * 100) {
            return Err(format!(
                "exact {} vs collapsed {} ± {} (and {} ± {} at 100x)",
                expected.customers, c.mean, c.std_error, b.mean, b.std_error
            ));
        }
        outcome.reruns += 1;
    }
    if sqls * trials <= 2_000_000 {
        let per_sql = run(Engine::PerSql, trials, 1).map_err(|e| e.to_string())?;
        finite_report("per-SQL", &per_sql)?;
        let p = &per_sql.metrics.customers;
        if !within(p.mean, c.mean, p.std_error.hypot(c.std_error), trials) {
            let n = trials * 100;
            let (a, b) = (
                run(Engine::PerSql, n, 2).map_err(|e| e.to_string())?,
                run(Engine::Collapsed, n, 2).map_err(|e| e.to_string())?,
            );
            let (a, b) = (&a.metrics.customers, &b.metrics.customers);
            if !within(a.mean, b.mean, a.std_error.hypot(b.std_error), n) {
                return Err(format!(
                    "per-SQL {} ± {} vs collapsed {} ± {} at 100x",
                    a.mean, a.std_error, b.mean, b.std_error
                ));
            }
            outcome.reruns += 1;
        }
    }
    Ok(outcome)
}

// ---------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------

/// A CRM export: a header, then random, truncated and oddly quoted rows with
/// odd timestamps.
pub fn export_case<R: Rng>(rng: &mut R) -> String {
    const STAMPS: [&str; 10] = [
        "2024-01-01 09:00",
        "2024-02-30 09:00",
        "2024-01-01T09:00:00Z",
        "01/03/2024 09:00",
        "1970-01-01 00:00",
        "9999-12-31 23:59",
        "",
        "yesterday",
        "2024-01-01 25:61",
        "\"2024-01-02 10:00\"",
    ];
    const OUTCOMES: [&str; 8] = ["won", "lost", "open", "Closed Won", "", "WON", "\"lost\"", "maybe"];
    let mut out = String::from("sql_at,first_contact_at,outcome,deal_value\n");
    for _ in 0..rng.random_range(0..60) {
        let fields = [
            pick(rng, &STAMPS).to_owned(),
            pick(rng, &STAMPS).to_owned(),
            pick(rng, &OUTCOMES).to_owned(),
            match rng.random_range(0..5) {
                0 => String::new(),
                1 => "1e308".to_owned(),
                2 => "-5".to_owned(),
                3 => "\"12,5\"".to_owned(),
                _ => format!("{}", rng.random_range(0.0..1e6)),
            },
        ];
        let keep = if rng.random_bool(0.1) {
            rng.random_range(0..4)
        } else {
            4
        };
        out += &fields[..keep].join(",");
        if rng.random_bool(0.05) {
            out += ",\"unterminated";
        }
        out.push('\n');
    }
    if rng.random_bool(0.2) {
        out.truncate(rng.random_range(0..=out.len()));
    }
    out
}

/// Rows read = used + skipped, and every skip names a line and a reason.
pub fn check_export(text: &str) -> Result<(), String> {
    let Ok(export) = Export::from_reader(text.as_bytes(), &ExportFormat::default()) else {
        return Ok(());
    };
    let s = export.summary();
    if s.rows != s.used + s.skipped {
        return Err(format!("{} rows read, {} used + {} skipped", s.rows, s.used, s.skipped));
    }
    if export.records().len() as u64 != s.used {
        return Err(format!("{} records for {} used rows", export.records().len(), s.used));
    }
    let by_reason: u64 = s.skipped_by_reason.values().sum();
    if by_reason != s.skipped || export.problems().iter().any(|p| p.line == 0) {
        return Err(format!(
            "{} skipped, {} by reason, problems {:?}",
            s.skipped,
            by_reason,
            export.problems()
        ));
    }
    Ok(())
}
