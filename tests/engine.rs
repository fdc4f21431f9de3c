//! Engine-level guarantees that are not about a single rule: the fingerprint's contract,
//! determinism, and the shape of validation results.

use borgerblik::{policy::builtin, to_json, Engine, Policy, Request};
use serde_json::json;

fn engine(policy: serde_json::Value) -> Engine {
    Engine::new(Policy::from_value(&policy).unwrap()).unwrap()
}

#[test]
fn fingerprint_ignores_key_order_and_formatting() {
    let a = Policy::from_json_str(r#"{"municipality":{"code":"0390","areas":[{"kle":"27","open":true,"fromDate":"2021-01-01"}]}}"#).unwrap();
    let b = Policy::from_json_str(
        r#"{
          "municipality": { "areas": [ { "fromDate": "2021-01-01", "open": true, "kle": "27" } ],
                            "code": "0390" }
        }"#,
    )
    .unwrap();
    let fa = Engine::new(a).unwrap().fingerprint().to_owned();
    assert_eq!(fa, Engine::new(b).unwrap().fingerprint());
    assert!(fa.starts_with("sha256:") && fa.len() == 7 + 64, "{fa}");
}

#[test]
fn fingerprint_is_of_the_effective_policy() {
    // Writing out the built-in central rules changes nothing; nor do defaults written out.
    let implicit =
        engine(json!({ "municipality": { "areas": [ { "kle": "27", "open": true } ] } }));
    let central = serde_json::to_value(builtin::central()).unwrap();
    let explicit = engine(json!({ "central": central, "municipality": { "areas": [
        { "kle": "27", "open": true, "showDocuments": false, "title": "kle", "facets": {} } ] } }));
    assert_eq!(implicit.fingerprint(), explicit.fingerprint());
}

#[test]
fn fingerprint_changes_with_any_setting() {
    let base = engine(json!({ "municipality": { "areas": [ { "kle": "27", "open": true } ] } }));
    let variants = [
        json!({ "municipality": { "areas": [ { "kle": "27", "open": true }, { "kle": "02", "open": false } ] } }),
        json!({ "municipality": { "areas": [ { "kle": "27", "open": true, "showDocuments": true } ] } }),
        json!({ "municipality": { "areas": [ { "kle": "27", "open": true } ], "code": "0390" } }),
        json!({ "central": { "sensitivity": { "hidden": [] } }, "municipality": { "areas": [ { "kle": "27", "open": true } ] } }),
        json!({ "central": { "custody": { "enabled": true, "maxVerificationAge": "P1D", "childAgeLimit": 18,
                 "excludedAreas": [ { "kle": "34.25" }, { "kle": "27.24.27" }, { "kle": "27.24.19" } ] } },
               "municipality": { "areas": [ { "kle": "27", "open": true } ] } }),
    ];
    for v in variants {
        assert_ne!(engine(v.clone()).fingerprint(), base.fingerprint(), "{v}");
    }
}

fn sample_request() -> Request {
    Request::from_value(&json!({ "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [
        { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-02-01", "status": "Oplyst", "primaryParty": "0101801234" },
        { "kind": "benefit", "id": "Y-1", "kle": "32.30.04", "caseId": "S-1", "recipient": "0101801234", "economic": true, "startDate": "2021-02-01" },
        { "kind": "case", "id": "S-2", "kle": "27.24.03", "createdDate": "2021-03-01", "status": "Afsluttet", "primaryParty": "0101801234" },
        { "kind": "case", "id": "S-3", "kle": "27.36.04", "createdDate": "2022-03-01", "status": "Afsluttet", "primaryParty": "0101801234" }
    ] }))
    .unwrap()
}

#[test]
fn evaluation_is_deterministic_and_ignores_record_order() {
    let e = engine(json!({ "municipality": { "areas": [ { "kle": "27", "open": true } ] } }));
    let req = sample_request();
    let first = to_json(&e.evaluate(&req));
    assert_eq!(first, to_json(&e.evaluate(&req)));
    let mut reversed = req.clone();
    reversed.records.reverse();
    let a = e.evaluate(&req);
    let b = e.evaluate(&reversed);
    assert_eq!(
        a.view, b.view,
        "the view's order is fixed by the rules, not the input"
    );
    let mut da = a.decisions.clone();
    let mut db = b.decisions.clone();
    da.sort_by(|x, y| x.id.cmp(&y.id));
    db.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(da, db);
    assert_eq!(a.summary, b.summary);
}

#[test]
fn json_entry_points_match_the_typed_ones() {
    let e = engine(json!({ "municipality": { "areas": [] } }));
    let req = sample_request();
    let text = serde_json::to_string(&json!({ "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [
        { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-02-01", "status": "Oplyst", "primaryParty": "0101801234" },
        { "kind": "benefit", "id": "Y-1", "kle": "32.30.04", "caseId": "S-1", "recipient": "0101801234", "economic": true, "startDate": "2021-02-01" },
        { "kind": "case", "id": "S-2", "kle": "27.24.03", "createdDate": "2021-03-01", "status": "Afsluttet", "primaryParty": "0101801234" },
        { "kind": "case", "id": "S-3", "kle": "27.36.04", "createdDate": "2022-03-01", "status": "Afsluttet", "primaryParty": "0101801234" }
    ] }))
    .unwrap();
    assert_eq!(e.evaluate_json(&text).unwrap(), to_json(&e.evaluate(&req)));
    // Serde deserialisation runs the same reader.
    let via_serde: Request = serde_json::from_str(&text).unwrap();
    assert_eq!(via_serde, req);
    let bad: Result<Request, _> = serde_json::from_str(
        r#"{ "asOf": "2021-02-30", "viewer": { "cpr": "0101801234" }, "records": [] }"#,
    );
    assert!(bad.unwrap_err().to_string().contains("asOf"));
}

#[test]
fn validation_lists_every_problem_with_its_path_and_value() {
    let policy = Policy::from_value(&json!({
        "central": { "etaper": [
            { "id": "e1", "name": "A", "mandatoryFrom": "2020-12-31", "areas": [ { "kle": "32.30.04" } ] },
            { "id": "e1", "name": "B", "mandatoryFrom": "2021-12-31", "areas": [ { "kle": "15", "targetGroups": ["Sygedagpenge"] } ] } ],
          "minors": { "minimumAge": 15, "reviewedMinimumAge": 13, "hideHistoryBeforeAccess": true,
                      "areas": [ { "kle": "34", "minimumAge": 18 }, { "kle": "34", "minimumAge": 18 } ] } },
        "municipality": { "areas": [
            { "kle": "32.30", "open": false },
            { "kle": "15.17", "fromDate": "2022-01-01" },
            { "kle": "34.01", "minimumAge": 16 },
            { "kle": "27", "facets": { "allow": ["G01"], "deny": ["K"] } },
            { "kle": "27" } ] }
    }))
    .unwrap();
    let v = Engine::validate(&policy);
    assert!(!v.valid);
    let paths: Vec<&str> = v.problems.iter().map(|p| p.path.as_str()).collect();
    for want in [
        "central.etaper[1].id",
        "central.minors.areas[1].kle",
        "municipality.areas[0].open",
        "municipality.areas[1].fromDate",
        "municipality.areas[2].minimumAge",
        "municipality.areas[3].facets",
        "municipality.areas[4].kle",
    ] {
        assert!(paths.contains(&want), "{want} not in {paths:?}");
    }
    let from = v
        .problems
        .iter()
        .find(|p| p.path == "municipality.areas[1].fromDate")
        .unwrap();
    assert!(
        from.message.contains("2022-01-01") && from.message.contains("2021-12-31"),
        "{}",
        from.message
    );
    assert!(Engine::new(policy).is_err());
}

#[test]
fn structural_problems_are_all_reported_together() {
    let err = Policy::from_value(&json!({
        "municipality": { "areas": [
            { "kle": "27.3" }, { "kle": "27", "facets": { "deny": ["g1"] } }, { "kle": "27", "colour": 1 },
            { "kle": "02", "fromDate": "2021-02-30" } ] },
        "centrl": {}
    }))
    .unwrap_err();
    let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "centrl",
            "municipality.areas[0].kle",
            "municipality.areas[1].facets.deny[0]",
            "municipality.areas[2].colour",
            "municipality.areas[3].fromDate",
            // The semantic checks still run on the readable areas: 27 is listed twice.
            "municipality.areas[2].kle"
        ]
    );
    let custody = Policy::from_value(
        &json!({ "central": { "custody": { "enabled": true, "maxVerificationAge": "P-1D",
        "childAgeLimit": 18, "excludedAreas": [] } }, "municipality": { "areas": [] } }),
    )
    .unwrap_err();
    assert_eq!(
        custody.problems[0].path,
        "central.custody.maxVerificationAge"
    );
}
