//! Checking an outcome against a scenario's `expect`, exactly: visible ids in input order, reasons in
//! rule order (SPEC §8), `summary` when given, and problem lists (policy errors, request errors,
//! warnings) as exact lists of paths (every reported path, none missing, none extra).
//!
//! Every mismatch is reported, not only the first, each as one line naming the `expect` entry.

use serde_json::{Map, Value};

use super::Outcome;
use crate::json::Problem;
use crate::{Decision, Overview};

/// Every way `outcome` differs from `expect`; empty when it passes.
pub fn check(expect: &Value, outcome: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    let e = |key: &str| expect.get(key);
    match outcome {
        Outcome::PolicyRefused(problems) => {
            match e("policyErrors") {
                None => out.push(format!(
                    "policy refused unexpectedly: {}",
                    list_problems(problems)
                )),
                Some(want) => problem_paths("policyErrors", want, problems, &mut out),
            }
            return out;
        }
        Outcome::RequestRefused { problems, .. } => match e("requestErrors") {
            None => out.push(format!(
                "request refused unexpectedly: {}",
                list_problems(problems)
            )),
            Some(want) => problem_paths("requestErrors", want, problems, &mut out),
        },
        Outcome::PolicyOnly { .. } | Outcome::Evaluated { .. } => {
            if e("policyErrors").is_some() {
                out.push("policyErrors: expected the policy to be refused; it was accepted".into());
            }
            if e("requestErrors").is_some() {
                out.push(
                    "requestErrors: expected the request to be refused; it was accepted".into(),
                );
            }
        }
    }
    let (Outcome::RequestRefused { warnings, .. }
    | Outcome::PolicyOnly { warnings }
    | Outcome::Evaluated { warnings, .. }) = outcome
    else {
        return out;
    };
    if let Some(want) = e("warnings") {
        problem_paths("warnings", want, warnings, &mut out);
    }
    let Outcome::Evaluated { overview, .. } = outcome else {
        for key in [
            "visible",
            "reasons",
            "details",
            "area",
            "view",
            "viewOrder",
            "summary",
        ] {
            if e(key).is_some() {
                out.push(format!("{key}: expected an overview, but there is none"));
            }
        }
        return out;
    };
    check_overview(expect, overview, &mut out);
    out
}

fn list_problems(problems: &[Problem]) -> String {
    let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
    all.join("; ")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// An exact list of problem paths: each path as often as reported, in any order (the order in which
/// the engine's passes find problems is not part of the contract).
fn problem_paths(what: &str, want: &Value, problems: &[Problem], out: &mut Vec<String>) {
    let mut want = strings(want);
    let mut got: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    want.sort_unstable();
    got.sort_unstable();
    if want != got {
        out.push(format!("{what}: expected {want:?}, got {got:?}"));
    }
}

/// The decision a key names: `#<index>` for a position, else the first record with that id.
fn decision<'a>(o: &'a Overview, key: &str) -> Option<&'a Decision> {
    match key.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()) {
        Some(i) => o.decisions.get(i),
        None => o.decisions.iter().find(|d| d.id == key),
    }
}

fn text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.into()))
}

fn entries(v: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    v.and_then(Value::as_object).into_iter().flatten()
}

fn check_overview(expect: &Value, o: &Overview, out: &mut Vec<String>) {
    match expect.get("visible") {
        Some(visible) => {
            let got: Vec<&str> = o
                .decisions
                .iter()
                .filter(|d| d.visible)
                .map(|d| d.id.as_str())
                .collect();
            let want = strings(visible);
            if got != want {
                out.push(format!("visible: expected {want:?}, got {got:?}"));
            }
        }
        None => out.push("visible: missing from expect (the visible ids are required)".into()),
    }
    for (key, codes) in entries(expect.get("reasons")) {
        let Some(d) = decision(o, key) else {
            out.push(format!("reasons.{key}: there is no record {key}"));
            continue;
        };
        let want = strings(codes);
        let got: Vec<String> = d.reasons.iter().map(|r| r.code.to_string()).collect();
        if want != got {
            out.push(format!("reasons.{key}: expected {want:?}, got {got:?}"));
        }
    }
    for (key, details) in entries(expect.get("details")) {
        let Some(d) = decision(o, key) else {
            out.push(format!("details.{key}: there is no record {key}"));
            continue;
        };
        for (code, want) in details.as_object().into_iter().flatten() {
            match d.reasons.iter().find(|r| r.code.to_string() == *code) {
                None => out.push(format!("details.{key}.{code}: {key} has no reason {code}")),
                Some(r) => {
                    let got = text(r.detail.as_deref());
                    if got != *want {
                        out.push(format!("details.{key}.{code}: expected {want}, got {got}"));
                    }
                }
            }
        }
    }
    for (key, want) in entries(expect.get("area")) {
        match decision(o, key) {
            None => out.push(format!("area.{key}: there is no record {key}")),
            Some(d) => {
                let got = text(d.area.as_deref());
                if got != *want {
                    out.push(format!("area.{key}: expected {want}, got {got}"));
                }
            }
        }
    }
    let view = serde_json::to_value(&o.view).unwrap_or(Value::Null);
    let lists = ["cases", "benefits"];
    for (key, fields) in entries(expect.get("view")) {
        let entry = lists
            .iter()
            .filter_map(|l| view.get(*l).and_then(Value::as_array))
            .flatten()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(key));
        let Some(entry) = entry else {
            out.push(format!("view.{key}: {key} is not in the view"));
            continue;
        };
        for (field, want) in fields.as_object().into_iter().flatten() {
            let got = view_field(entry, field);
            if got != *want {
                out.push(format!("view.{key}.{field}: expected {want}, got {got}"));
            }
        }
    }
    for (list, want) in entries(expect.get("viewOrder")) {
        let got: Vec<&str> = view
            .get(list.as_str())
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("id").and_then(Value::as_str))
            .collect();
        let want = strings(want);
        if got != want {
            out.push(format!("viewOrder.{list}: expected {want:?}, got {got:?}"));
        }
    }
    if let Some(want) = expect.get("summary").and_then(Value::as_object) {
        check_summary(want, o, out);
    }
}

/// A view field as `expect.view` states it: documents as their titles, payments as their dates.
fn view_field(entry: &Value, field: &str) -> Value {
    let pick = |list: &str, key: &str| {
        Value::Array(
            entry
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|d| d.get(key).cloned().unwrap_or(Value::Null))
                .collect(),
        )
    };
    match field {
        "documents" => pick("documents", "title"),
        "payments" => pick("payments", "date"),
        f => entry.get(f).cloned().unwrap_or(Value::Null),
    }
}

/// The counts given, exactly; `byReason` as an exact list of codes and counts in rule order.
fn check_summary(want: &Map<String, Value>, o: &Overview, out: &mut Vec<String>) {
    let s = &o.summary;
    for (key, got) in [
        ("records", s.records),
        ("visible", s.visible),
        ("hidden", s.hidden),
    ] {
        if let Some(w) = want.get(key) {
            if w.as_u64() != Some(got as u64) {
                out.push(format!("summary.{key}: expected {w}, got {got}"));
            }
        }
    }
    if let Some(w) = want.get("byReason").and_then(Value::as_object) {
        let want: Vec<(String, Option<u64>)> =
            w.iter().map(|(k, v)| (k.clone(), v.as_u64())).collect();
        let got: Vec<(String, Option<u64>)> = s
            .by_reason
            .iter()
            .map(|(k, v)| (k.to_string(), Some(*v as u64)))
            .collect();
        if want != got {
            let show = |l: &[(String, Option<u64>)]| {
                let parts: Vec<String> = l
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.map_or("?".into(), |n| n.to_string())))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            };
            out.push(format!(
                "summary.byReason: expected {}, got {}",
                show(&want),
                show(&got)
            ));
        }
    }
}
