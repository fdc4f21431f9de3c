//! `NAME.overview.json` snapshots: the whole outcome of a scenario, pretty-printed in the engine's
//! own key order with the policy fingerprint masked (a settings change that changes no outcome must
//! not fail a pin), and a short per-record diff when a later run differs.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::Outcome;

/// What stands in for `policyFingerprint` in a snapshot.
pub const MASKED_FINGERPRINT: &str = "[fingerprint]";

/// The most diff lines shown per scenario; the rest are counted.
const MAX_DIFF_LINES: usize = 40;

/// What a run did with a scenario's snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotState {
    /// The snapshot exists and the outcome equals it.
    Matched,
    /// The outcome differs from the snapshot: one line per changed thing.
    Differs(Vec<String>),
    /// `--update` wrote it (new or changed).
    Written,
    /// There is none (only `--update` writes one).
    Missing,
}

/// The JSON a snapshot pins.
pub fn snapshot_value(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::PolicyRefused(p) => json!({ "policyProblems": p }),
        Outcome::RequestRefused { warnings, problems } => {
            json!({ "warnings": warnings, "requestProblems": problems })
        }
        Outcome::PolicyOnly { warnings } => json!({ "warnings": warnings }),
        Outcome::Evaluated { warnings, overview } => {
            let mut overview = serde_json::to_value(overview).unwrap_or(Value::Null);
            if let Some(f) = overview.get_mut("policyFingerprint") {
                *f = Value::String(MASKED_FINGERPRINT.into());
            }
            json!({ "warnings": warnings, "overview": overview })
        }
    }
}

/// The snapshot file's text: pretty JSON and a final newline.
pub fn render(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}

/// Compares the outcome with the snapshot at `path`, or with `update` writes it when new or changed.
/// `Err` only when writing fails.
pub fn compare_or_update(
    path: &Path,
    outcome: &Outcome,
    update: bool,
) -> Result<SnapshotState, String> {
    let now = snapshot_value(outcome);
    // An unreadable or unparsable snapshot counts as changed: --update replaces it, a plain run shows it.
    let before: Option<Value> = std::fs::read_to_string(path)
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap_or(Value::Null));
    match (before, update) {
        (Some(b), _) if b == now && same_key_order(&b, &now) => Ok(SnapshotState::Matched),
        (_, true) => std::fs::write(path, render(&now))
            .map(|()| SnapshotState::Written)
            .map_err(|e| format!("{}: cannot write the snapshot: {e}", path.display())),
        (Some(b), false) => Ok(SnapshotState::Differs(diff(&b, &now))),
        (None, false) => Ok(SnapshotState::Missing),
    }
}

/// serde_json's map equality ignores key order; the order of `byReason` keys is part of the contract.
fn same_key_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys().eq(y.keys())
                && x.values()
                    .zip(y.values())
                    .all(|(p, q)| same_key_order(p, q))
        }
        (Value::Array(x), Value::Array(y)) => x.iter().zip(y).all(|(p, q)| same_key_order(p, q)),
        _ => true,
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// One line per changed record, reason, view field or count: "before → after".
pub fn diff(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["policyProblems", "requestProblems", "warnings"] {
        problems(key, before.get(key), after.get(key), &mut out);
    }
    match (before.get("overview"), after.get("overview")) {
        (Some(b), Some(a)) => overview(b, a, &mut out),
        (None, Some(_)) => out.push("overview: none before, evaluated now".into()),
        (Some(_), None) => out.push("overview: evaluated before, none now".into()),
        (None, None) => {}
    }
    if out.is_empty() && (before != after || !same_key_order(before, after)) {
        out.push(format!(
            "output differs at {}",
            first_difference(before, after, "")
        ));
    }
    if out.len() > MAX_DIFF_LINES {
        let more = out.len() - MAX_DIFF_LINES;
        out.truncate(MAX_DIFF_LINES);
        out.push(format!("… and {more} more differences"));
    }
    out
}

fn problems(what: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<String>) {
    let line = |p: &Value| {
        format!(
            "{}: {}",
            field(p, "path").as_str().unwrap_or_default(),
            field(p, "message").as_str().unwrap_or_default()
        )
    };
    let (b, a) = (arr(before), arr(after));
    for p in b.iter().filter(|p| !a.contains(p)) {
        out.push(format!("{what}: removed {}", line(p)));
    }
    for p in a.iter().filter(|p| !b.contains(p)) {
        out.push(format!("{what}: added {}", line(p)));
    }
}

/// A record's label: its id, with its position when the id is empty or repeated.
fn label(decisions: &[Value], i: usize) -> String {
    let id = decisions
        .get(i)
        .and_then(|d| field(d, "id").as_str())
        .unwrap_or_default();
    let repeated = decisions
        .iter()
        .filter(|d| field(d, "id").as_str() == Some(id))
        .count()
        > 1;
    if id.is_empty() || repeated {
        format!("{id}#{i}")
    } else {
        id.to_owned()
    }
}

fn reason_text(r: &Value) -> String {
    let code = field(r, "code").as_str().unwrap_or_default();
    match field(r, "detail").as_str() {
        Some(d) => format!("{code} ({d})"),
        None => code.to_owned(),
    }
}

fn overview(b: &Value, a: &Value, out: &mut Vec<String>) {
    if field(b, "asOf") != field(a, "asOf") {
        out.push(format!(
            "asOf: {} → {}",
            compact(field(b, "asOf")),
            compact(field(a, "asOf"))
        ));
    }
    let (db, da) = (arr(b.get("decisions")), arr(a.get("decisions")));
    if db.len() != da.len() {
        out.push(format!("records: {} → {}", db.len(), da.len()));
    }
    for (i, (x, y)) in db.iter().zip(da).enumerate() {
        decision(&label(da, i), x, y, out);
    }
    for list in ["cases", "benefits"] {
        let kind = &list[..list.len() - 1];
        let vb = arr(b.get("view").and_then(|v| v.get(list)));
        let va = arr(a.get("view").and_then(|v| v.get(list)));
        view_list(kind, vb, va, out);
    }
    summary(field(b, "summary"), field(a, "summary"), out);
}

fn decision(id: &str, b: &Value, a: &Value, out: &mut Vec<String>) {
    let shown = |d: &Value| match field(d, "visible").as_bool() {
        Some(true) => "visible",
        _ => "hidden",
    };
    if field(b, "id") != field(a, "id") {
        out.push(format!(
            "record {id}: id {} → {}",
            compact(field(b, "id")),
            compact(field(a, "id"))
        ));
    }
    if field(b, "visible") != field(a, "visible") {
        out.push(format!("{id}: {} → {}", shown(b), shown(a)));
    }
    for key in ["kind", "area"] {
        if field(b, key) != field(a, key) {
            out.push(format!(
                "{id}: {key} {} → {}",
                compact(field(b, key)),
                compact(field(a, key))
            ));
        }
    }
    let (rb, ra) = (arr(b.get("reasons")), arr(a.get("reasons")));
    let key = |r: &Value| (field(r, "code").clone(), field(r, "detail").clone());
    let kb: Vec<_> = rb.iter().map(key).collect();
    let ka: Vec<_> = ra.iter().map(key).collect();
    let before = out.len();
    for r in rb.iter().filter(|r| !ka.contains(&key(r))) {
        out.push(format!("{id}: reason {} removed", reason_text(r)));
    }
    for r in ra.iter().filter(|r| !kb.contains(&key(r))) {
        out.push(format!("{id}: reason {} added", reason_text(r)));
    }
    if out.len() == before && kb != ka {
        let list = |l: &[Value]| l.iter().map(reason_text).collect::<Vec<_>>().join(", ");
        out.push(format!("{id}: reasons [{}] → [{}]", list(rb), list(ra)));
    }
    if out.len() == before && rb != ra {
        for (x, y) in rb.iter().zip(ra).filter(|(x, y)| x != y) {
            out.push(format!(
                "{id}: message of {} {} → {}",
                reason_text(x),
                compact(field(x, "message")),
                compact(field(y, "message"))
            ));
        }
    }
}

fn view_list(kind: &str, b: &[Value], a: &[Value], out: &mut Vec<String>) {
    let id = |v: &Value| field(v, "id").clone();
    let find = |l: &[Value], want: &Value| l.iter().find(|v| id(v) == *want).cloned();
    for v in b {
        let key = id(v);
        let name = key.as_str().unwrap_or_default().to_owned();
        match find(a, &key) {
            None => out.push(format!("view: {kind} {name} left the view")),
            Some(now) => {
                let mut keys: Vec<&String> = v
                    .as_object()
                    .map(|m| m.keys().collect())
                    .unwrap_or_default();
                for k in now.as_object().map(Map::keys).into_iter().flatten() {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                let show = |x: Option<&Value>| x.map_or_else(|| "(none)".to_owned(), compact);
                for f in keys {
                    let (x, y) = (v.get(f), now.get(f));
                    if x != y {
                        out.push(format!(
                            "view: {kind} {name} {f}: {} → {}",
                            show(x),
                            show(y)
                        ));
                    }
                }
            }
        }
    }
    for v in a.iter().filter(|v| find(b, &id(v)).is_none()) {
        let name = field(v, "id").as_str().unwrap_or_default();
        out.push(format!("view: {kind} {name} entered the view"));
    }
    let ids = |l: &[Value]| l.iter().map(id).collect::<Vec<_>>();
    let (ib, ia) = (ids(b), ids(a));
    let mut sb = ib.iter().map(compact).collect::<Vec<_>>();
    let mut sa = ia.iter().map(compact).collect::<Vec<_>>();
    let order_changed = sb != sa;
    sb.sort();
    sa.sort();
    if order_changed && sb == sa {
        out.push(format!(
            "view: order of {kind}s {} → {}",
            compact(&Value::Array(ib)),
            compact(&Value::Array(ia))
        ));
    }
}

fn summary(b: &Value, a: &Value, out: &mut Vec<String>) {
    let mut parts = Vec::new();
    for key in ["records", "visible", "hidden"] {
        if field(b, key) != field(a, key) {
            parts.push(format!(
                "{key} {} → {}",
                compact(field(b, key)),
                compact(field(a, key))
            ));
        }
    }
    let (rb, ra) = (field(b, "byReason"), field(a, "byReason"));
    let codes = rb.as_object().map(Map::keys).into_iter().flatten();
    let mut seen: Vec<&String> = Vec::new();
    for code in codes.chain(ra.as_object().map(Map::keys).into_iter().flatten()) {
        if seen.contains(&code) {
            continue;
        }
        seen.push(code);
        let count = |v: &Value| v.get(code).and_then(Value::as_u64).unwrap_or(0);
        if count(rb) != count(ra) {
            parts.push(format!("{code} {} → {}", count(rb), count(ra)));
        }
    }
    if !parts.is_empty() {
        out.push(format!("summary: {}", parts.join(", ")));
    }
}

/// The JSON path of the first difference, for anything the per-record diff does not name.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if !x.keys().eq(y.keys()) {
                return format!(
                    "{} (keys or their order)",
                    if path.is_empty() { "$" } else { path }
                );
            }
            for (k, v) in x {
                let w = field(b, k);
                if v != w || !same_key_order(v, w) {
                    return first_difference(v, w, &format!("{path}.{k}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w || !same_key_order(v, w) {
                    return first_difference(v, w, &format!("{path}[{i}]"));
                }
            }
        }
        _ => {}
    }
    format!(
        "{}: {} → {}",
        if path.is_empty() { "$" } else { path },
        compact(a),
        compact(b)
    )
}
