//! Speed target of calibration: one million SQL rows load and fit in a few
//! seconds. Builds a 1,000,000-row synthetic export (seed 1) in memory,
//! then measures reading the CSV, fitting, and both together.
//!
//! `cargo bench --bench calibrate`; results read as cost per row.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lead_decay::calibrate::{Calibration, Export, ExportFormat, synthetic_export, write_export};
use lead_decay::{DealValue, DecayCurve, DelayDistribution, Hours, Segment};

const ROWS: usize = 1_000_000;

fn export_csv() -> Vec<u8> {
    let segment = Segment::builder("bench")
        .sqls(1_000)
        .close_rate(0.3)
        .deal_value(DealValue::lognormal(20_000.0, 0.5).expect("valid"))
        .decay(DecayCurve::weibull(Hours::new(36.0).expect("valid"), 1.5).expect("valid"))
        .never_followed_up(0.1)
        .delay(DelayDistribution::lognormal(Hours::new(24.0).expect("valid"), 1.0).expect("valid"))
        .build()
        .expect("a valid segment");
    let start = "2024-01-01T00:00:00Z".parse().expect("a timestamp");
    let (records, _) = synthetic_export(&segment, ROWS, start, 1).expect("the export draws");
    let mut csv = Vec::new();
    write_export(&records, &mut csv).expect("writes to memory");
    csv
}

fn calibrate(c: &mut Criterion) {
    let csv = export_csv();
    let mut group = c.benchmark_group("calibrate");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.bench_function("read/1M-rows", |b| {
        b.iter(|| Export::from_reader(csv.as_slice(), &ExportFormat::default()).expect("reads"))
    });
    let export = Export::from_reader(csv.as_slice(), &ExportFormat::default()).expect("reads");
    group.bench_function("fit/1M-rows", |b| b.iter(|| Calibration::fit(&export).expect("fits")));
    group.bench_function("read+fit/1M-rows", |b| {
        b.iter(|| {
            let export = Export::from_reader(csv.as_slice(), &ExportFormat::default()).expect("reads");
            Calibration::fit(&export).expect("fits")
        })
    });
    group.finish();
}

criterion_group!(benches, calibrate);
criterion_main!(benches);
