//! Policy validation on the adversarial policies of issue 11, both under the 10 MiB document
//! limit: before the etape areas were indexed, the first took 24 s natively and the second aborted
//! the CLI (a "may not be closed" message per entry naming 200,000 areas). Validation is now
//! near-linear; this prints how long reading and validating each takes (target: well under a second).

use std::hint::black_box;

use borgerblik::{Engine, Policy};
use criterion::{criterion_group, criterion_main, Criterion};

/// `etapes` etapes of `per_etape` distinct emner each, and the given municipality areas.
fn policy(etapes: usize, per_etape: usize, areas: &str) -> String {
    let mut etaper = Vec::new();
    let mut k = 0;
    for e in 0..etapes {
        let mut list = Vec::new();
        for _ in 0..per_etape {
            list.push(format!(
                r#"{{"kle":"{:02}.{:02}.{:02}"}}"#,
                (k / 10_000) % 100,
                (k / 100) % 100,
                k % 100
            ));
            k += 1;
        }
        etaper.push(format!(
            r#"{{"id":"e{e}","name":"e","mandatoryFrom":"2020-12-31","areas":[{}]}}"#,
            list.join(",")
        ));
    }
    format!(
        r#"{{"central":{{"etaper":[{}]}},"municipality":{{"areas":[{areas}]}}}}"#,
        etaper.join(",")
    )
}

fn read_and_validate(text: &str) -> borgerblik::Validation {
    match Policy::from_json_str(text) {
        Ok(p) => Engine::validate(&p),
        Err(e) => borgerblik::Validation {
            valid: false,
            problems: e.problems,
            warnings: Vec::new(),
        },
    }
}

fn benches(c: &mut Criterion) {
    let fradato: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"kle":"{:02}.{:02}","fromDate":"2030-01-01"}}"#,
                (i / 100) % 100,
                i % 100
            )
        })
        .collect();
    let wide = policy(50, 10_000, &fradato.join(","));
    let closed = vec![r#"{"kle":"01","open":false}"#; 2_000].join(",");
    let closing = policy(20, 10_000, &closed);
    let mut g = c.benchmark_group("validate (adversarial policies under the 10 MiB limit)");
    for (name, text) in [
        ("10,000 areas x 500,000 etape areas", &wide),
        ("2,000 closed '01' x 200,000 etape areas", &closing),
    ] {
        assert!(
            text.len() <= borgerblik::limits::MAX_DOCUMENT_BYTES,
            "{name}: {} bytes",
            text.len()
        );
        let v = read_and_validate(text);
        assert!(!v.valid && v.problems.len() <= borgerblik::limits::MAX_PROBLEMS + 1);
        g.bench_function(format!("{name} ({:.1} MB)", text.len() as f64 / 1e6), |b| {
            b.iter(|| black_box(read_and_validate(black_box(text))))
        });
    }
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = benches
}
criterion_main!(group);
