//! Any bytes as SF1470 XML (split into files at each NUL byte, so joins across files are reached):
//! refused with a position, or imported into a request the engine reads; never a panic.
#![no_main]

use borgerblik::import::{import, ImportFile, ImportOptions, Profile};
use borgerblik::{Engine, Policy, Request};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Built once: the target is about the importer, not about building engines.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(Policy::from_municipality_json_str(r#"{ "areas": [] }"#).unwrap()).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let names = ["a.xml", "b.xml", "c.xml", "d.xml"];
    let files: Vec<ImportFile<'_>> = data
        .split(|&b| b == 0)
        .take(names.len())
        .zip(names)
        .map(|(data, name)| ImportFile { name, data })
        .collect();
    for as_of in ["2021-06-15", "2021-03-05"] {
        let options = ImportOptions::new(as_of, "0101900000", None, Profile::default()).unwrap();
        match import(&files, &options) {
            Err(e) => {
                assert!(!e.refusals.is_empty());
                for r in &e.refusals {
                    assert!(r.line >= 1 && r.column >= 1, "{r}");
                }
            }
            Ok(imported) => {
                // The request is always one the engine accepts (records may still be INVALID_RECORD).
                let json = imported.request_json();
                let request = Request::from_json_str(&json).expect("the engine refused an imported request");
                let overview = engine().evaluate(&request);
                assert_eq!(overview.decisions.len(), request.records.len());
                // Deterministic.
                assert_eq!(import(&files, &options).unwrap().request_json(), json);
            }
        }
    }
});
