//! Events per second of the capacity model's event loop: an M/M/5 queue at
//! 90 % load (9 SQLs an hour, 30-minute exponential handling), fifo, round
//! the clock, one thread. An event is an arrival or the start of a handling
//! (each handling's end is the next start of its rep).
//!
//! `cargo bench --bench capacity`; the SimPy model of the same queue is
//! `benches/peers/simpy_mmc.py`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lead_decay::capacity::{CapacityModel, CapacitySimulation, Discipline, SalesTeam, SqlStream};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};

fn model(discipline: Discipline) -> CapacityModel {
    let segment = Segment::builder("bench")
        .sqls(1)
        .close_rate(0.25)
        .deal_value(DealValue::fixed(10_000.0).expect("valid"))
        .decay(DecayCurve::consumer())
        .build()
        .expect("valid");
    let stream = SqlStream::new(
        segment,
        9.0 * 24.0,
        DelayDistribution::exponential(Hours::new(0.5).expect("valid")).expect("valid"),
    )
    .expect("valid");
    let team = SalesTeam::new(5).expect("valid").with_discipline(discipline);
    CapacityModel::new(team, vec![stream], Hours::new(10_000.0).expect("valid")).expect("valid")
}

fn capacity(c: &mut Criterion) {
    let mut group = c.benchmark_group("capacity/mm5-rho0.9");
    group.sample_size(10);
    let trials = 10;
    for discipline in Discipline::ALL {
        let model = model(discipline);
        let run = || {
            CapacitySimulation::new(&model)
                .trials(trials)
                .seed(1)
                .threads(1)
                .run()
                .expect("the run succeeds")
        };
        group.throughput(Throughput::Elements(run().events));
        group.bench_function(BenchmarkId::new(format!("{discipline}/1-thread"), trials), |b| {
            b.iter(run)
        });
    }
    group.finish();
}

criterion_group!(benches, capacity);
criterion_main!(benches);
