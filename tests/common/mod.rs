//! Loading and checking scenario files, shared by the scenario tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use borgerblik::{Engine, Overview, Policy, Problem, Request};
use serde_json::{json, Value};

pub struct Scenario {
    pub name: String,
    pub note: String,
    pub doc: Value,
}

impl Scenario {
    pub fn load(path: &Path) -> Scenario {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Scenario {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            note: doc["note"].as_str().unwrap_or_default().to_owned(),
            doc,
        }
    }

    pub fn expect(&self) -> &Value {
        &self.doc["expect"]
    }
}

pub fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

pub fn load_scenarios() -> Vec<Scenario> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Scenario::load(p)).collect()
}

/// What running a scenario produced.
pub enum Outcome {
    PolicyRefused(Vec<Problem>),
    RequestRefused {
        warnings: Vec<Problem>,
        problems: Vec<Problem>,
    },
    PolicyOnly {
        warnings: Vec<Problem>,
    },
    Evaluated {
        warnings: Vec<Problem>,
        overview: Overview,
    },
}

impl Outcome {
    /// The JSON pinned by the snapshot.
    pub fn snapshot(&self) -> Value {
        match self {
            Outcome::PolicyRefused(p) => json!({ "policyProblems": p }),
            Outcome::RequestRefused { warnings, problems } => {
                json!({ "warnings": warnings, "requestProblems": problems })
            }
            Outcome::PolicyOnly { warnings } => json!({ "warnings": warnings }),
            Outcome::Evaluated { warnings, overview } => {
                json!({ "warnings": warnings, "overview": overview })
            }
        }
    }
}

/// The policy of a scenario: `policy`, or `municipality` under the built-in central rules.
/// `policyText`/`municipalityText`/`requestText` give a document as JSON text instead, for input a
/// JSON value cannot hold (a key twice, a lone surrogate escape, `1e400`).
pub fn scenario_policy(doc: &Value) -> Result<Policy, borgerblik::InputError> {
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

pub fn run_scenario(s: &Scenario) -> Outcome {
    let engine = match scenario_policy(&s.doc).and_then(Engine::new) {
        Ok(e) => e,
        Err(e) => return Outcome::PolicyRefused(e.problems),
    };
    let warnings = engine.warnings().to_vec();
    let read = match (
        s.doc.get("requestText").and_then(Value::as_str),
        s.doc.get("request"),
    ) {
        (Some(text), _) => Request::from_json_str(text),
        (None, Some(request)) => Request::from_value(request),
        (None, None) => return Outcome::PolicyOnly { warnings },
    };
    match read {
        Ok(r) => Outcome::Evaluated {
            warnings,
            overview: engine.evaluate(&r),
        },
        Err(e) => Outcome::RequestRefused {
            warnings,
            problems: e.problems,
        },
    }
}

fn paths(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.path.as_str()).collect()
}

fn missing_paths(expected: &Value, problems: &[Problem], what: &str, out: &mut Vec<String>) {
    let have = paths(problems);
    for p in expected.as_array().into_iter().flatten() {
        let p = p.as_str().unwrap_or_default();
        if !have.contains(&p) {
            out.push(format!("expected a {what} at {p}, got {have:?}"));
        }
    }
}

/// Finds the decision a key names: an id, or `#<index>` for a position.
fn decision<'a>(o: &'a Overview, key: &str) -> Option<&'a borgerblik::Decision> {
    match key.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()) {
        Some(i) => o.decisions.get(i),
        None => o.decisions.iter().find(|d| d.id == key),
    }
}

/// Every way the outcome differs from the scenario's `expect`.
pub fn check(s: &Scenario, outcome: &Outcome) -> Vec<String> {
    let e = s.expect();
    let mut out = Vec::new();
    match outcome {
        Outcome::PolicyRefused(problems) => {
            if e.get("policyErrors").is_none() {
                out.push(format!("policy refused unexpectedly: {problems:?}"));
            }
            missing_paths(&e["policyErrors"], problems, "policy problem", &mut out);
            return out;
        }
        Outcome::RequestRefused { problems, .. } => {
            if e.get("requestErrors").is_none() {
                out.push(format!("request refused unexpectedly: {problems:?}"));
            }
            missing_paths(&e["requestErrors"], problems, "request problem", &mut out);
        }
        Outcome::PolicyOnly { .. } | Outcome::Evaluated { .. } => {
            if e.get("policyErrors").is_some() {
                out.push("expected the policy to be refused".into());
            }
            if e.get("requestErrors").is_some() {
                out.push("expected the request to be refused".into());
            }
        }
    }
    let warnings = match outcome {
        Outcome::RequestRefused { warnings, .. }
        | Outcome::PolicyOnly { warnings }
        | Outcome::Evaluated { warnings, .. } => warnings,
        Outcome::PolicyRefused(_) => unreachable!(),
    };
    missing_paths(&e["warnings"], warnings, "warning", &mut out);
    let Outcome::Evaluated { overview: o, .. } = outcome else {
        return out;
    };
    if let Some(visible) = e.get("visible") {
        let got: Vec<&str> = o
            .decisions
            .iter()
            .filter(|d| d.visible)
            .map(|d| d.id.as_str())
            .collect();
        let want: Vec<&str> = visible
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if got != want {
            out.push(format!("visible: expected {want:?}, got {got:?}"));
        }
    } else {
        out.push("expect.visible is missing".into());
    }
    for (key, codes) in e["reasons"].as_object().into_iter().flatten() {
        let Some(d) = decision(o, key) else {
            out.push(format!("reasons: no record {key}"));
            continue;
        };
        let mut want: Vec<String> = codes
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(String::from))
            .collect();
        let mut got: Vec<String> = d.reasons.iter().map(|r| r.code.to_string()).collect();
        want.sort();
        got.sort();
        if want != got {
            out.push(format!("reasons of {key}: expected {want:?}, got {got:?}"));
        }
    }
    for (key, details) in e["details"].as_object().into_iter().flatten() {
        let Some(d) = decision(o, key) else {
            out.push(format!("details: no record {key}"));
            continue;
        };
        for (code, want) in details.as_object().into_iter().flatten() {
            match d.reasons.iter().find(|r| r.code.to_string() == *code) {
                None => out.push(format!("details of {key}: no reason {code}")),
                Some(r) => {
                    let got = r
                        .detail
                        .as_deref()
                        .map_or(Value::Null, |s| Value::String(s.into()));
                    if got != *want {
                        out.push(format!(
                            "detail of {key} {code}: expected {want}, got {got}"
                        ));
                    }
                }
            }
        }
    }
    for (key, want) in e["area"].as_object().into_iter().flatten() {
        match decision(o, key) {
            None => out.push(format!("area: no record {key}")),
            Some(d) => {
                let got = d
                    .area
                    .as_deref()
                    .map_or(Value::Null, |s| Value::String(s.into()));
                if got != *want {
                    out.push(format!("area of {key}: expected {want}, got {got}"));
                }
            }
        }
    }
    let view = serde_json::to_value(&o.view).unwrap();
    for (key, fields) in e["view"].as_object().into_iter().flatten() {
        let entry = view["cases"]
            .as_array()
            .into_iter()
            .chain(view["benefits"].as_array())
            .flatten()
            .find(|c| c["id"] == *key);
        let Some(entry) = entry else {
            out.push(format!("view: {key} is not in the view"));
            continue;
        };
        for (field, want) in fields.as_object().into_iter().flatten() {
            let got = match field.as_str() {
                "documents" => Value::Array(
                    entry["documents"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|d| d["title"].clone())
                        .collect(),
                ),
                "payments" => Value::Array(
                    entry["payments"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| p["date"].clone())
                        .collect(),
                ),
                f => entry.get(f).cloned().unwrap_or(Value::Null),
            };
            if got != *want {
                out.push(format!("view of {key}.{field}: expected {want}, got {got}"));
            }
        }
    }
    for (list, want) in e["viewOrder"].as_object().into_iter().flatten() {
        let got: Vec<Value> = view[list.as_str()]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["id"].clone())
            .collect();
        if Value::Array(got.clone()) != *want {
            out.push(format!("viewOrder.{list}: expected {want}, got {got:?}"));
        }
    }
    out
}
