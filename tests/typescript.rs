//! The TypeScript declarations of the JSON contract (cargo feature `ts`):
//! `cargo test --features ts --test typescript` writes them to `target/ts/borgerblik-types.d.ts`
//! (or `$BORGERBLIK_TS_OUT`), which `scripts/build-wasm.sh` appends to `pkg/*/borgerblik.d.ts`,
//! and checks that the input types describe every document the engine accepts.
#![cfg(feature = "ts")]

mod common;

use std::path::{Path, PathBuf};

use borgerblik::ts_types::{self, Municipality, Policy, Request};
use borgerblik::{Engine, ReasonCode};
use common::{load_scenarios, scenario_policy};
use serde_json::Value;

fn out_path() -> PathBuf {
    match std::env::var_os("BORGERBLIK_TS_OUT") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ts/borgerblik-types.d.ts"),
    }
}

#[test]
fn export_declarations() {
    let text = ts_types::declarations();
    for name in [
        "Policy",
        "Municipality",
        "Request",
        "RequestRecord",
        "Overview",
        "Validation",
        "Problem",
        "InputError",
        "Change",
        "DiffSummary",
        "KleEntry",
    ] {
        assert!(
            text.contains(&format!("export type {name} = ")),
            "{name} not declared"
        );
    }
    // Amounts are plain JS numbers, never BigInt; dates are strings.
    assert!(text.contains("grossAmountOre: number"), "{text}");
    // The citizen sees two statuses only (CaseStatus::shown), so the type says so.
    assert!(
        text.contains(r#"status: "Under behandling" | "Afsluttet""#),
        "{text}"
    );
    assert!(!text.contains("bigint"), "{text}");
    assert!(text.contains("asOf: string"));
    // Optional input settings are optional (and nullable: null means absent).
    assert!(text.contains("showDocuments?: boolean | null"), "{text}");
    assert!(text.contains("central?: Central | null"), "{text}");
    let path = out_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the output folder");
    }
    std::fs::write(&path, text).expect("write the declarations");
    eprintln!("wrote {}", path.display());
}

fn has_invalid_record(engine: &Engine, request: &Value) -> bool {
    borgerblik::Request::from_value(request)
        .map(|r| {
            engine.evaluate(&r).decisions.iter().any(|d| {
                d.reasons
                    .iter()
                    .any(|x| x.code == ReasonCode::InvalidRecord)
            })
        })
        .unwrap_or(true)
}

/// A party that is not a string (a number, a list, …): the engine reads it as no CPR (SPEC §8), but
/// the types rightly ask for a string.
fn has_ill_typed_party(request: &serde_json::Value) -> bool {
    let records = request["records"].as_array().into_iter().flatten();
    records.into_iter().any(|r| {
        let bad = |v: &serde_json::Value| !(v.is_string() || v.is_null());
        bad(&r["primaryParty"])
            || bad(&r["recipient"])
            || match &r["propertyOwners"] {
                serde_json::Value::Array(owners) => owners.iter().any(bad),
                other => bad(other),
            }
    })
}

/// Every policy, municipality and request the engine accepts (records all readable) is also a
/// value of the TypeScript input types, so a TypeScript caller can write it without casts.
#[test]
fn input_types_accept_every_accepted_scenario() {
    let mut failures = Vec::new();
    let (mut checked, mut requests) = (0, 0);
    let scenarios = load_scenarios();
    let total = scenarios.len();
    for s in scenarios {
        let Ok(engine) = scenario_policy(&s.doc).and_then(Engine::new) else {
            continue;
        };
        let policy = match (s.doc.get("policy"), s.doc.get("municipality")) {
            (Some(p), _) => serde_json::from_value::<Policy>(p.clone()).map(|_| ()),
            (None, Some(m)) => serde_json::from_value::<Municipality>(m.clone()).map(|_| ()),
            (None, None) => continue,
        };
        if let Err(e) = policy {
            failures.push(format!("{}: policy: {e}", s.name));
        }
        checked += 1;
        let Some(request) = s.doc.get("request") else {
            continue;
        };
        if has_invalid_record(&engine, request) || has_ill_typed_party(request) {
            continue;
        }
        if let Err(e) = serde_json::from_value::<Request>(request.clone()) {
            failures.push(format!("{}: request: {e}", s.name));
        }
        requests += 1;
    }
    eprintln!(
        "{checked} accepted scenario policies and {requests} requests of {total} scenarios checked"
    );
    // Most scenarios have a valid policy and a readable request: a loop that read next to nothing
    // (a moved folder, a broken filter) must not pass.
    assert!(total >= 130, "only {total} scenarios read");
    assert!(
        checked * 4 >= total * 3,
        "only {checked} of {total} scenario policies checked"
    );
    assert!(
        requests * 2 >= total,
        "only {requests} of {total} scenario requests checked"
    );
    assert!(
        failures.is_empty(),
        "the TypeScript input types refuse accepted documents:\n{}",
        failures.join("\n")
    );
}

/// The types are not looser than the engine where it matters: unknown envelope fields are refused.
#[test]
fn input_types_refuse_unknown_envelope_fields() {
    let bad = serde_json::json!({ "asOf": "2021-06-15", "viewer": { "cpr": "0101801234" },
        "records": [], "asof": "2021-06-15" });
    assert!(serde_json::from_value::<Request>(bad).is_err());
    let bad = serde_json::json!({ "areas": [ { "kle": "27", "opne": true } ] });
    assert!(serde_json::from_value::<Municipality>(bad).is_err());
}
