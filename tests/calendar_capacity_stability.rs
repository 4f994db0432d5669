//! Value stability of the capacity queue across its move onto
//! [`lead_decay::Calendar`]: the exact bits of a few seeded capacity reports,
//! pinned before the queue's own working-hours type was replaced (issue 17,
//! item 7). Each case is a scenario file, so this file reads the same before
//! and after the change; the whole report is compared through its JSON text
//! (serde_json prints every `f64` with the shortest digits that round-trip,
//! so equal text means equal bits) and a few figures by `f64::to_bits`.

use lead_decay::Scenario;
use lead_decay::capacity::{CapacityModel, CapacityReport, CapacitySimulation};

const CAPACITY: &str = include_str!("../examples/scenarios/capacity.toml");

/// FNV-1a, 64 bits: a stable fingerprint of the report's JSON text.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn report(toml: &str, seed: u64, trials: u64) -> CapacityReport {
    let scenario = Scenario::from_toml_str(toml).unwrap();
    let model = CapacityModel::from_scenario(&scenario).unwrap();
    CapacitySimulation::new(&model).seed(seed).trials(trials).run().unwrap()
}

/// `(offered load, mean delay, revenue lost, zero-delay share)` as bits, and
/// the fingerprint of the whole report.
fn pins(report: &CapacityReport) -> ([u64; 4], u64) {
    let bits = [
        report.offered_load.to_bits(),
        report.metrics.mean_delay_hours.mean.to_bits(),
        report.metrics.revenue_lost.mean.to_bits(),
        report.delay_hours.zero_share.to_bits(),
    ];
    (bits, fnv1a(&serde_json::to_string(report).unwrap()))
}

/// The gallery's capacity scenario with another `[sales]` working week.
fn with_week(days: &str, hours: &str, arrivals: &str) -> String {
    CAPACITY
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

fn print(name: &str, report: &CapacityReport) {
    let (bits, hash) = pins(report);
    println!(
        "{name}: [{:#018x}, {:#018x}, {:#018x}, {:#018x}], {hash:#018x}",
        bits[0], bits[1], bits[2], bits[3]
    );
}

#[test]
fn gallery_capacity_scenario_keeps_its_bits() {
    let r = report(CAPACITY, 7, 12);
    print("gallery", &r);
    assert_eq!(pins(&r), GALLERY);
}

#[test]
fn office_hours_with_round_the_clock_arrivals_keep_their_bits() {
    let text = with_week(
        "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
        "[\"9h\", \"17h\"]",
        "always",
    );
    let r = report(&text, 11, 10);
    print("office", &r);
    assert_eq!(pins(&r), OFFICE);
}

#[test]
fn six_day_week_with_half_hours_keeps_its_bits() {
    let text = with_week(
        "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]",
        "[\"8.5h\", \"16.25h\"]",
        "working-hours",
    );
    let r = report(&text, 3, 10);
    print("six-day", &r);
    assert_eq!(pins(&r), SIX_DAY);
}

#[test]
fn round_the_clock_team_keeps_its_bits() {
    let text = CAPACITY
        .replacen("working_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n", "", 1)
        .replacen("working_hours = [\"9h\", \"17h\"]\n", "", 1)
        .replacen("arrivals = \"working-hours\"", "arrivals = \"always\"", 1);
    let r = report(&text, 5, 10);
    print("always", &r);
    assert_eq!(pins(&r), ALWAYS);
}

/// Pinned on the tree before the change (commit d88cbc9).
const GALLERY: ([u64; 4], u64) = (
    [
        0x3fea800000000000,
        0x402e233564c57cef,
        0x4118cb88383633e1,
        0x3fcb32e04f017f5f,
    ],
    0xf9b19d3bf8d48c3c,
);
/// Pinned on the tree before the change (commit d88cbc9).
const OFFICE: ([u64; 4], u64) = (
    [
        0x3fec19999999999a,
        0x40567ec3b8878628,
        0x413265e570489cde,
        0x3f74353d7f901435,
    ],
    0x81e3f8478422998b,
);
/// Pinned on the tree before the change (commit d88cbc9).
const SIX_DAY: ([u64; 4], u64) = (
    [
        0x3fe77bdef7bdef7c,
        0x4001b02ec7e0d3f7,
        0x40f4c3273af4590a,
        0x3fdf9857f36f825b,
    ],
    0xbd4fb958c5b22c35,
);
/// Pinned on the tree before the change (commit d88cbc9).
const ALWAYS: ([u64; 4], u64) = (
    [
        0x3fcac30c30c30c31,
        0x3f7d460688953d7d,
        0x0000000000000000,
        0x3fef73698a1e9b00,
    ],
    0x34720ba1dde2f25f,
);
