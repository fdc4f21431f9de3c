//! The importer's speed (BENCHMARKS.md "Import"): MB of SF1470 XML per second, and import + evaluate
//! of one citizen's fremsoeg answer (50 cases × 10 documents). `cargo bench --bench import` prints the
//! figures; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use borgerblik::import::{import, synthetic, ImportFile, ImportOptions, Profile};
use borgerblik::{Engine, Policy, Request};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SAMPLE_MUNICIPALITY: &str = include_str!("../samples/municipality.json");

fn benches(c: &mut Criterion) {
    let options = ImportOptions::new("2021-06-15", "0101900000", None, Profile::default()).unwrap();
    let citizen = synthetic::fremsoeg_citizen("0101900000", 50, 10);
    let big = synthetic::fremsoeg_citizen("0101900000", 300, 10);
    let engine =
        Engine::new(Policy::from_municipality_json_str(SAMPLE_MUNICIPALITY).unwrap()).unwrap();

    let mut g = c.benchmark_group("import");
    for (label, xml) in [
        ("one citizen, 50 cases x 10 documents", &citizen),
        ("300 cases x 10 documents", &big),
    ] {
        g.throughput(Throughput::Bytes(xml.len() as u64));
        g.bench_function(format!("import {label} ({} KB)", xml.len() / 1024), |b| {
            b.iter(|| {
                let files = [ImportFile {
                    name: "a.xml",
                    data: xml.as_bytes(),
                }];
                black_box(import(&files, &options).unwrap())
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("citizen");
    g.bench_function(
        "import + evaluate one citizen (50 cases x 10 documents)",
        |b| {
            b.iter(|| {
                let files = [ImportFile {
                    name: "a.xml",
                    data: citizen.as_bytes(),
                }];
                let imported = import(&files, &options).unwrap();
                let request = Request::from_json_str(&imported.request_json()).unwrap();
                black_box(engine.evaluate(&request))
            })
        },
    );
    g.finish();
}

criterion_group!(import_benches, benches);
criterion_main!(import_benches);
