//! The scenario suite: every file in `tests/scenarios/` is a readable case (note, policy, request,
//! expected outcome) with its `NAME.overview.json` snapshot beside it. The suite runs through the
//! library's runner, the code `borgerblik test` runs (`cargo run -- test --update tests/scenarios`
//! writes the snapshots); these tests add the project's own bar: every record's reasons pinned, every
//! snapshot present, and a checker that bites.

mod common;

use borgerblik::scenario::check::check;
use borgerblik::scenario::schema::Schema;
use borgerblik::scenario::snapshot::SnapshotState;
use borgerblik::scenario::{run_one, Outcome, RunOptions};
use borgerblik::ReasonCode;
use common::{load_scenarios, run_scenario};
use serde_json::{json, Value};

#[test]
fn at_least_sixty_scenarios_each_with_a_note() {
    let all = load_scenarios();
    assert!(all.len() >= 60, "only {} scenarios", all.len());
    for s in &all {
        assert!(!s.note.trim().is_empty(), "{} has no note", s.name);
    }
}

/// Expectations and snapshots of every scenario, all mismatches reported at once.
#[test]
fn expectations_and_snapshots() {
    let options = RunOptions {
        fallback: None,
        update: false,
    };
    let mut failures = Vec::new();
    let all = load_scenarios();
    for s in &all {
        let r = run_one(s, &options).unwrap();
        for m in &r.mismatches {
            failures.push(format!("{}: {m}", s.name));
        }
        match &r.snapshot {
            SnapshotState::Matched => {}
            SnapshotState::Missing => failures.push(format!(
                "{}: no snapshot; run `cargo run -- test --update tests/scenarios` and review it",
                s.name
            )),
            SnapshotState::Differs(lines) => failures.push(format!(
                "{}: snapshot differs:\n  {}",
                s.name,
                lines.join("\n  ")
            )),
            SnapshotState::Written => unreachable!("not updating"),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The project's bar, stricter than the format: an evaluated scenario states the visible ids and the
/// reasons of every record, so no decision goes unchecked.
#[test]
fn every_record_of_every_evaluated_scenario_has_its_reasons_pinned() {
    let mut unpinned = Vec::new();
    for s in load_scenarios() {
        let Outcome::Evaluated { overview, .. } = run_scenario(&s) else {
            continue;
        };
        let reasons = &s.expectation()["reasons"];
        for (i, d) in overview.decisions.iter().enumerate() {
            let first_with_id = overview.decisions.iter().position(|e| e.id == d.id) == Some(i);
            let by_id = first_with_id && reasons.get(&d.id).is_some();
            if !by_id && reasons.get(format!("#{i}")).is_none() {
                unpinned.push(format!("{}: {} (#{i})", s.name, d.id));
            }
        }
        if overview.decisions.is_empty() && s.expectation().get("summary").is_none() {
            unpinned.push(format!("{}: no records and no summary", s.name));
        }
    }
    assert!(
        unpinned.is_empty(),
        "records without expected reasons:\n{}",
        unpinned.join("\n")
    );
}

fn evaluated(name: &str) -> (Value, Outcome) {
    let s = load_scenarios()
        .into_iter()
        .find(|s| s.name.starts_with(name))
        .unwrap();
    (s.expectation().clone(), run_scenario(&s))
}

/// Each exactness rule of the checker, broken on purpose in a passing scenario's expectation.
#[test]
fn the_checker_catches_each_kind_of_wrong_expectation() {
    let (expect, outcome) = evaluated("034-");
    assert!(check(&expect, &outcome).is_empty());
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut e = expect.clone();
        f(&mut e);
        check(&e, &outcome)
    };
    // Reasons in another order (same set).
    let m = mutate(&|e| {
        let r = e["reasons"]["S-1"].as_array_mut().unwrap();
        r.swap(0, 1);
    });
    assert!(m.iter().any(|m| m.starts_with("reasons.S-1:")), "{m:?}");
    // A wrong summary count, and byReason in another order.
    let m = mutate(&|e| e["summary"] = json!({ "records": 99 }));
    assert!(m.iter().any(|m| m.starts_with("summary.records:")), "{m:?}");
    let (_, Outcome::Evaluated { overview, .. }) = (&expect, &outcome) else {
        unreachable!()
    };
    let mut by_reason: Vec<(String, Value)> = overview
        .summary
        .by_reason
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let right: serde_json::Map<String, Value> = by_reason.iter().cloned().collect();
    assert!(mutate(&|e| e["summary"] = json!({ "byReason": right.clone() })).is_empty());
    by_reason.reverse();
    let reversed: serde_json::Map<String, Value> = by_reason.into_iter().collect();
    let m = mutate(&|e| e["summary"] = json!({ "byReason": reversed.clone() }));
    assert!(
        m.iter().any(|m| m.starts_with("summary.byReason:")),
        "{m:?}"
    );

    // Policy errors: one path fewer than reported is a mismatch, not "among those reported".
    let (expect, outcome) = evaluated("167-");
    assert!(check(&expect, &outcome).is_empty());
    let mut fewer = expect.clone();
    fewer["policyErrors"].as_array_mut().unwrap().pop();
    assert!(check(&fewer, &outcome)
        .iter()
        .any(|m| m.starts_with("policyErrors:")));
}

/// The validator implements every keyword the published schema uses, and the schema's reason codes
/// are the engine's.
#[test]
fn the_schema_uses_only_implemented_keywords_and_knows_every_reason_code() {
    let schema = Schema::scenario().unwrap();
    assert_eq!(schema.unsupported_keywords(), Vec::<String>::new());
    let codes: Vec<String> = ReasonCode::ALL.iter().map(ToString::to_string).collect();
    let listed: Vec<String> = schema.root()["$defs"]["reasonCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, codes);
}

#[test]
fn the_schema_names_the_path_of_each_structural_mistake() {
    let schema = Schema::scenario().unwrap();
    let problems = |doc: Value| -> Vec<String> {
        schema
            .validate(&doc)
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    };
    assert_eq!(
        problems(json!({ "note": "n", "expect": { "visible": [] } })),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(json!({ "note": "n", "expect": { "visble": [] } })),
        ["expect.visble: unknown field"]
    );
    assert_eq!(
        problems(
            json!({ "note": "n", "expect": { "reasons": { "S-1": ["MANDATORY_AREA", "VIP"] } } })
        )
        .len(),
        1
    );
    assert!(
        problems(json!({ "note": "n", "expect": { "reasons": { "S-1": ["VIP"] } } }))[0]
            .starts_with("expect.reasons.S-1[0]: \"VIP\" is not one of")
    );
    assert_eq!(
        problems(json!({ "expect": {}, "policy": {}, "municipality": {} })),
        [
            ": give `policy` or `municipality`, not both",
            "note: missing; it is required"
        ]
    );
    assert_eq!(
        problems(json!({ "note": 1, "expect": { "summary": { "visible": -1 } } })),
        [
            "note: expected string, got a number",
            "expect.summary.visible: expected at least 0, got -1"
        ]
    );
}

/// The snapshot diff names each kind of change on its own line, before → after.
#[test]
fn the_snapshot_diff_names_each_change_per_record() {
    use borgerblik::scenario::snapshot::{diff, snapshot_value};
    let (_, outcome) = evaluated("109-");
    let before = snapshot_value(&outcome);
    assert_eq!(diff(&before, &before), Vec::<String>::new());
    let mut after = before.clone();
    let o = &mut after["overview"];
    o["decisions"][0]["visible"] = json!(false);
    o["decisions"][0]["reasons"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "code": "BEFORE_FROM_DATE", "detail": "2021-06-01", "message": "m" }));
    o["decisions"][1]["area"] = json!("32.24");
    let cases = o["view"]["cases"].as_array_mut().unwrap();
    let gone = cases.remove(1); // S-3 leaves the view
    assert_eq!(gone["id"], "S-3");
    cases[0]["title"] = json!("Ny titel");
    o["view"]["benefits"].as_array_mut().unwrap().reverse();
    o["summary"]["visible"] = json!(5);
    let lines = diff(&before, &after);
    for want in [
        "S-3: visible → hidden",
        "S-3: reason BEFORE_FROM_DATE (2021-06-01) added",
        r#"S-1: area "32.24.05" → "32.24""#,
        "view: case S-3 left the view",
        r#"view: case S-2 title: "Nedsættelse af kontanthjælp" → "Ny titel""#,
        r#"view: order of benefits ["Y-3","Y-1","Y-2"] → ["Y-2","Y-1","Y-3"]"#,
        "summary: visible 6 → 5",
    ] {
        assert!(
            lines.iter().any(|l| l == want),
            "missing {want:?} in {lines:#?}"
        );
    }
}
