//! Loading and running the project's scenario files, for the test files that use them. The loading,
//! running and checking code is the library's (`borgerblik::scenario`), the same code
//! `borgerblik test` runs, so the project's tests and the product's runner cannot drift apart.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use borgerblik::scenario::{load_all, NoIndexImport};
pub use borgerblik::scenario::{Outcome, Scenario};
use borgerblik::{InputError, Policy};
use serde_json::Value;

pub fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

/// Every scenario of `tests/scenarios/`, in file-name order.
pub fn load_scenarios() -> Vec<Scenario> {
    load_all(
        &[scenario_dir()],
        &NoIndexImport,
        borgerblik::batch::available_jobs(),
    )
    .unwrap_or_else(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("unreadable scenarios:\n{}", lines.join("\n"))
    })
}

/// The policy of a scenario: `policy`, or `municipality` under the built-in central rules.
/// `policyText`/`municipalityText` give it as JSON text, for input a JSON value cannot hold.
pub fn scenario_policy(doc: &Value) -> Result<Policy, InputError> {
    let text = |key: &str| doc.get(key).and_then(Value::as_str);
    if let Some(t) = text("policyText") {
        return Policy::from_json_str(t);
    }
    if let Some(t) = text("municipalityText") {
        return Policy::from_municipality_json_str(t);
    }
    match (doc.get("policy"), doc.get("municipality")) {
        (Some(p), _) => Policy::from_value(p),
        (None, Some(m)) => Policy::from_municipality_value(m),
        (None, None) => panic!("scenario has neither policy nor municipality"),
    }
}

/// Runs a scenario under its own policy.
pub fn run_scenario(s: &Scenario) -> Outcome {
    s.run(None)
}
