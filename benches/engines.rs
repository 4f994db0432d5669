//! Throughput of both engines on the reference case and on the throughput
//! scenario of `../shared/bench/throughput.toml` (copied to `benches/data/`).
//!
//! `cargo bench --bench engines`; results read as cost per SQL-trial.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use lead_decay::{Engine, Scenario, Simulation};

fn scenarios() -> Vec<(&'static str, Scenario)> {
    let throughput = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/throughput.toml"))
        .expect("the throughput scenario loads");
    vec![("reference", Scenario::reference()), ("throughput", throughput)]
}

/// Issue 15's speed check: the throughput scenario with a beta close rate,
/// a uniform half-life and a triangular mean delay (two-level trials)
/// beside the same scenario with fixed inputs, one thread, per trial.
fn uncertain_inputs(c: &mut Criterion) {
    let load = |file: &str| {
        Scenario::load(format!("{}/benches/data/{file}", env!("CARGO_MANIFEST_DIR"))).expect("the scenario loads")
    };
    let trials: u64 = 20_000;
    let mut group = c.benchmark_group("uncertain-inputs");
    group.throughput(Throughput::Elements(trials));
    group.sample_size(10);
    for (name, scenario) in [
        ("fixed", load("throughput.toml")),
        ("uncertain", load("throughput-uncertain.toml")),
    ] {
        for engine in [Engine::PerSql, Engine::Collapsed] {
            let id = BenchmarkId::new(format!("{name}/{engine}"), trials);
            group.bench_function(id, |b| {
                b.iter(|| {
                    Simulation::new(&scenario)
                        .trials(trials)
                        .seed(1)
                        .engine(engine)
                        .threads(1)
                        .run_range(0..trials)
                        .expect("the run succeeds")
                })
            });
        }
    }
    group.finish();
}

fn engines(c: &mut Criterion) {
    for (name, scenario) in scenarios() {
        let mut group = c.benchmark_group(format!("engines/{name}"));
        let trials: u64 = if name == "reference" { 1_000_000 } else { 20_000 };
        group.throughput(Throughput::Elements(trials * scenario.total_sqls()));
        group.sample_size(10);
        for engine in [Engine::PerSql, Engine::Collapsed] {
            for threads in [1, 2] {
                let id = BenchmarkId::new(format!("{engine}/{threads}-thread"), trials);
                group.bench_function(id, |b| {
                    b.iter(|| {
                        Simulation::new(&scenario)
                            .trials(trials)
                            .seed(1)
                            .engine(engine)
                            .threads(threads)
                            .run()
                            .expect("the run succeeds")
                    })
                });
            }
        }
        group.finish();
    }
}

/// The random-number limit of issue 7: seeding each trial's generator and
/// drawing one uniform 64-bit word per SQL, nothing else. The engines are
/// compared with this floor (same trial count, same seeding).
fn random_number_limit(c: &mut Criterion) {
    use rand::Rng;
    let sqls = 1_000u64;
    let trials = 20_000u64;
    let mut group = c.benchmark_group("limit/one-uniform-per-sql");
    group.throughput(Throughput::Elements(trials * sqls));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("1-thread", trials), |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for trial in 0..trials {
                let mut rng = lead_decay::engine::trial_rng(1, trial);
                for _ in 0..sqls {
                    acc = acc.wrapping_add(rng.next_u64());
                }
            }
            std::hint::black_box(acc)
        })
    });
    group.finish();
}

/// Issue 20's information limit of the per-SQL engine on the throughput
/// scenario: seeding each trial's generator, one uniform 64-bit word, and
/// one deal value (the engine's own sampler, [`lead_decay::DealValue::sample`])
/// for each SQL that would close, `sqls x close_rate` of them (250 log-normal
/// values), nothing else. Compare with `engines/throughput/per-sql/1-thread`.
fn information_limit(c: &mut Criterion) {
    use rand::Rng;
    let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/throughput.toml"))
        .expect("the throughput scenario loads");
    let trials = 20_000u64;
    let segments: Vec<(u64, lead_decay::DealValue)> = scenario
        .segments()
        .iter()
        .map(|s| {
            (
                (s.sqls() as f64 * s.close_rate()).round() as u64,
                s.deal_value().clone(),
            )
        })
        .collect();
    let mut group = c.benchmark_group("limit/deal-values-and-a-word");
    group.throughput(Throughput::Elements(trials * scenario.total_sqls()));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("1-thread", trials), |b| {
        b.iter(|| {
            let (mut words, mut values) = (0u64, 0.0f64);
            for trial in 0..trials {
                let mut rng = lead_decay::engine::trial_rng(1, trial);
                words = words.wrapping_add(rng.next_u64());
                for (closing, deal_value) in &segments {
                    for _ in 0..*closing {
                        values += deal_value.sample(&mut rng);
                    }
                }
            }
            std::hint::black_box((words, values))
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    engines,
    random_number_limit,
    information_limit,
    uncertain_inputs
);

/// criterion's report charts draw their text with plotters, which (with the
/// `ab_glyph` feature the examples' charts enable) needs a registered font:
/// the same embedded DejaVu Sans as the examples.
fn main() {
    let _ = plotters::style::register_font(
        "sans-serif",
        plotters::style::FontStyle::Normal,
        include_bytes!("../examples/common/fonts/DejaVuSans.ttf"),
    );
    benches();
    Criterion::default().configure_from_args().final_summary();
}
