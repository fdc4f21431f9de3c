//! Throughput of the engine's parts on a synthetic municipality (`borgerblik::generate`), in records
//! per second. `cargo bench --bench engine` prints the figures; BENCHMARKS.md records them.
//! `cargo test --benches` runs each once as a smoke test, so the benchmarks cannot rot.

use std::hint::black_box;

use borgerblik::writer::overview_json;
use borgerblik::{generate, to_json, Engine, Policy, Request};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SAMPLE_MUNICIPALITY: &str = include_str!("../samples/municipality.json");

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// NDJSON lines of `citizens` generated requests, and their record count.
fn lines(citizens: u64) -> (Vec<String>, u64) {
    let lines: Vec<String> = generate::requests(citizens, 42, as_of())
        .map(|r| to_json(&r))
        .collect();
    let records = lines
        .iter()
        .map(|l| Request::from_json_str(l).unwrap().records.len() as u64)
        .sum();
    (lines, records)
}

fn engine() -> Engine {
    Engine::new(Policy::from_municipality_json_str(SAMPLE_MUNICIPALITY).unwrap()).unwrap()
}

fn benches(c: &mut Criterion) {
    let (lines, records) = lines(2_000);
    let requests: Vec<Request> = lines
        .iter()
        .map(|l| Request::from_json_str(l).unwrap())
        .collect();
    let engine = engine();

    let mut g = c.benchmark_group("records");
    g.throughput(Throughput::Elements(records));
    g.bench_function("decide (engine alone, pre-parsed, compact verdicts)", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(engine.decide(r));
            }
        })
    });
    g.bench_function("evaluate (engine alone, pre-parsed, full overview)", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(engine.evaluate(r));
            }
        })
    });
    g.bench_function("parse (request JSON to Request)", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(Request::from_json_str(l).unwrap());
            }
        })
    });
    let overviews: Vec<_> = requests.iter().map(|r| engine.evaluate(r)).collect();
    g.bench_function(
        "serialise (Overview to JSON, hand-written writer: CLI, evaluate_json)",
        |b| {
            b.iter(|| {
                for o in &overviews {
                    black_box(overview_json(o));
                }
            })
        },
    );
    g.bench_function(
        "serialise (Overview to JSON, serde_json: the wasm layer)",
        |b| {
            b.iter(|| {
                for o in &overviews {
                    black_box(to_json(o));
                }
            })
        },
    );
    g.bench_function("end to end (JSON in, JSON out)", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(engine.evaluate_json(l).unwrap());
            }
        })
    });
    g.finish();

    // Latency of one login: a request whose record count is the generated median.
    let mut by_size: Vec<(usize, &String)> = lines
        .iter()
        .zip(&requests)
        .map(|(l, r)| (r.records.len(), l))
        .collect();
    by_size.sort_by_key(|(n, _)| *n);
    let (median, login) = by_size[by_size.len() / 2];
    c.bench_function(
        &format!("one request, JSON in and out ({median} records, the median)"),
        |b| b.iter(|| black_box(engine.evaluate_json(black_box(login)).unwrap())),
    );

    c.bench_function("Engine::new (sample municipality)", |b| {
        b.iter(|| black_box(engine_new()))
    });
}

fn engine_new() -> Engine {
    Engine::new(Policy::from_municipality_json_str(SAMPLE_MUNICIPALITY).unwrap()).unwrap()
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
