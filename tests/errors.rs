//! Every error a user can cause names the JSON path and, where there is one, the offending value.
//! This test enumerates bad inputs (policies and requests) and pins their messages in one snapshot,
//! so they stay clear; each must be refused (never a panic) with a problem at the expected path.

use borgerblik::{limits, Engine, Policy, Request};
use serde_json::{json, Value};

/// (name, expected path, municipality document)
fn bad_municipalities() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("not an object", "municipality", json!([1, 2])),
        (
            "areas missing",
            "municipality.areas",
            json!({ "code": "0390" }),
        ),
        (
            "areas not a list",
            "municipality.areas",
            json!({ "areas": {} }),
        ),
        (
            "area not an object",
            "municipality.areas[0]",
            json!({ "areas": ["27"] }),
        ),
        (
            "kle missing",
            "municipality.areas[0].kle",
            json!({ "areas": [ { "open": true } ] }),
        ),
        (
            "kle too short",
            "municipality.areas[0].kle",
            json!({ "areas": [ { "kle": "27.3" } ] }),
        ),
        (
            "kle too long",
            "municipality.areas[0].kle",
            json!({ "areas": [ { "kle": "27.36.04.01" } ] }),
        ),
        (
            "kle a number",
            "municipality.areas[0].kle",
            json!({ "areas": [ { "kle": 27 } ] }),
        ),
        (
            "open a string",
            "municipality.areas[0].open",
            json!({ "areas": [ { "kle": "27", "open": "ja" } ] }),
        ),
        (
            "fromDate impossible",
            "municipality.areas[0].fromDate",
            json!({ "areas": [ { "kle": "27", "fromDate": "2021-02-30" } ] }),
        ),
        (
            "fromDate Danish format",
            "municipality.areas[0].fromDate",
            json!({ "areas": [ { "kle": "27", "fromDate": "01-02-2021" } ] }),
        ),
        (
            "facet lower case",
            "municipality.areas[0].facets.allow[0]",
            json!({ "areas": [ { "kle": "27", "facets": { "allow": ["g1"] } } ] }),
        ),
        (
            "facet three digits",
            "municipality.areas[0].facets.deny[0]",
            json!({ "areas": [ { "kle": "27", "facets": { "deny": ["K001"] } } ] }),
        ),
        (
            "facets unknown key",
            "municipality.areas[0].facets.only",
            json!({ "areas": [ { "kle": "27", "facets": { "only": ["G01"] } } ] }),
        ),
        (
            "facets allow and deny",
            "municipality.areas[0].facets",
            json!({ "areas": [ { "kle": "27", "facets": { "allow": ["G01"], "deny": ["K"] } } ] }),
        ),
        (
            "title unknown",
            "municipality.areas[0].title",
            json!({ "areas": [ { "kle": "27", "title": "sag" } ] }),
        ),
        (
            "minimumAge negative",
            "municipality.areas[0].minimumAge",
            json!({ "areas": [ { "kle": "27", "minimumAge": -1 } ] }),
        ),
        (
            "minimumAge below central",
            "municipality.areas[0].minimumAge",
            json!({ "areas": [ { "kle": "34", "minimumAge": 15 } ] }),
        ),
        (
            "sourceSystems not strings",
            "municipality.areas[0].sourceSystems[1]",
            json!({ "areas": [ { "kle": "27", "sourceSystems": ["SBSYS", 7] } ] }),
        ),
        (
            "misspelt setting",
            "municipality.areas[0].fromdate",
            json!({ "areas": [ { "kle": "27", "fromdate": "2021-01-01" } ] }),
        ),
        (
            "unknown top-level field",
            "municipality.kommune",
            json!({ "areas": [], "kommune": "Vordingborg" }),
        ),
        (
            "closing a mandatory area",
            "municipality.areas[0].open",
            json!({ "areas": [ { "kle": "32.30", "open": false } ] }),
        ),
        (
            "late fradato on a mandatory area",
            "municipality.areas[0].fromDate",
            json!({ "areas": [ { "kle": "27.36.04", "fromDate": "2022-01-01" } ] }),
        ),
        (
            "duplicate selector",
            "municipality.areas[1].kle",
            json!({ "areas": [ { "kle": "27" }, { "kle": "27" } ] }),
        ),
        (
            "text over the limit",
            "municipality.name",
            json!({ "areas": [], "name": "x".repeat(limits::MAX_TEXT_BYTES + 1) }),
        ),
    ]
}

/// (name, expected path, policy document)
fn bad_policies() -> Vec<(&'static str, &'static str, Value)> {
    let m = json!({ "areas": [] });
    vec![
        (
            "municipality missing",
            "municipality",
            json!({ "central": {} }),
        ),
        (
            "central unknown section",
            "central.rules",
            json!({ "central": { "rules": [] }, "municipality": m }),
        ),
        (
            "etape date malformed",
            "central.etaper[0].mandatoryFrom",
            json!({ "central": { "etaper": [ { "id": "e", "name": "E", "mandatoryFrom": "2020", "areas": [] } ] }, "municipality": m }),
        ),
        (
            "etape without id",
            "central.etaper[0].id",
            json!({ "central": { "etaper": [ { "name": "E", "mandatoryFrom": "2020-12-31", "areas": [] } ] }, "municipality": m }),
        ),
        (
            "duplicate etape ids",
            "central.etaper[1].id",
            json!({ "central": { "etaper": [
            { "id": "e", "name": "E", "mandatoryFrom": "2020-12-31", "areas": [] },
            { "id": "e", "name": "F", "mandatoryFrom": "2021-12-31", "areas": [] } ] }, "municipality": m }),
        ),
        (
            "minors section incomplete",
            "central.minors.reviewedMinimumAge",
            json!({ "central": { "minors": { "minimumAge": 15, "areas": [], "hideHistoryBeforeAccess": true } }, "municipality": m }),
        ),
        (
            "duration in hours",
            "central.custody.maxVerificationAge",
            json!({ "central": { "custody": { "enabled": true, "maxVerificationAge": "PT24H", "childAgeLimit": 18, "excludedAreas": [] } }, "municipality": m }),
        ),
        (
            "negative duration",
            "central.custody.maxVerificationAge",
            json!({ "central": { "custody": { "enabled": true, "maxVerificationAge": "P-1D", "childAgeLimit": 18, "excludedAreas": [] } }, "municipality": m }),
        ),
        (
            "duplicate excluded area",
            "central.custody.excludedAreas[1].kle",
            json!({ "central": { "custody": { "enabled": true, "maxVerificationAge": "P1D", "childAgeLimit": 18, "excludedAreas": [ { "kle": "34" }, { "kle": "34" } ] } }, "municipality": m }),
        ),
        (
            "sensitivity not a list",
            "central.sensitivity.hidden",
            json!({ "central": { "sensitivity": { "hidden": "VIP_SAGER" } }, "municipality": m }),
        ),
        (
            "sensitivity misspelt",
            "central.sensitivity.hidden[0]",
            json!({ "central": { "sensitivity": { "hidden": ["vip_sager"] } }, "municipality": m }),
        ),
        (
            "sensitivity with a trailing space",
            "central.sensitivity.hidden[1]",
            json!({ "central": { "sensitivity": { "hidden": ["FOELSOMME_PERSONOPLYSNINGER", "VIP_SAGER "] } }, "municipality": m }),
        ),
        (
            "sensitivity listed twice",
            "central.sensitivity.hidden[2]",
            json!({ "central": { "sensitivity": { "hidden": ["VIP_SAGER", "FOELSOMME_PERSONOPLYSNINGER", "VIP_SAGER"] } }, "municipality": m }),
        ),
    ]
}

/// (name, expected path, request document)
fn bad_requests() -> Vec<(&'static str, &'static str, Value)> {
    let viewer = json!({ "cpr": "0101801234" });
    vec![
        ("not an object", "", json!("request")),
        (
            "asOf missing",
            "asOf",
            json!({ "viewer": viewer, "records": [] }),
        ),
        (
            "asOf impossible",
            "asOf",
            json!({ "asOf": "2021-02-29", "viewer": viewer, "records": [] }),
        ),
        (
            "asOf with time",
            "asOf",
            json!({ "asOf": "2021-06-15T12:00:00Z", "viewer": viewer, "records": [] }),
        ),
        (
            "viewer missing",
            "viewer",
            json!({ "asOf": "2021-06-15", "records": [] }),
        ),
        (
            "viewer CPR too short",
            "viewer.cpr",
            json!({ "asOf": "2021-06-15", "viewer": { "cpr": "01018012" }, "records": [] }),
        ),
        (
            "viewer CPR with letters",
            "viewer.cpr",
            json!({ "asOf": "2021-06-15", "viewer": { "cpr": "010180-12AB" }, "records": [] }),
        ),
        (
            "viewer CPR a number",
            "viewer.cpr",
            json!({ "asOf": "2021-06-15", "viewer": { "cpr": 101801234 }, "records": [] }),
        ),
        (
            "viewer unknown field",
            "viewer.name",
            json!({ "asOf": "2021-06-15", "viewer": { "cpr": "0101801234", "name": "Jens" }, "records": [] }),
        ),
        (
            "birthDate impossible",
            "viewer.birthDate",
            json!({ "asOf": "2021-06-15", "viewer": { "cpr": "0101801234", "birthDate": "1980-13-01" }, "records": [] }),
        ),
        (
            "subject unknown field",
            "subject.role",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "subject": { "cpr": "0101104321", "role": "barn" }, "records": [] }),
        ),
        (
            "custody verifiedAt malformed",
            "custody.verifiedAt",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "custody": { "verifiedAt": "i dag" }, "records": [] }),
        ),
        (
            "relation without type",
            "custody.relations[0].type",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "custody": { "relations": [ { "childCpr": "0101104321", "validFrom": "2010-01-01" } ] }, "records": [] }),
        ),
        (
            "relation with bad child CPR",
            "custody.relations[0].childCpr",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "custody": { "relations": [ { "childCpr": "x", "type": "0003", "validFrom": "2010-01-01" } ] }, "records": [] }),
        ),
        (
            "records not a list",
            "records",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "records": {} }),
        ),
        (
            "unknown top-level field",
            "record",
            json!({ "asOf": "2021-06-15", "viewer": viewer, "records": [], "record": [] }),
        ),
    ]
}

fn problems_of_municipality(m: &Value) -> Vec<borgerblik::Problem> {
    match Policy::from_municipality_value(m).and_then(Engine::new) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    }
}

fn problems_of_policy(p: &Value) -> Vec<borgerblik::Problem> {
    match Policy::from_value(p).and_then(Engine::new) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    }
}

fn problems_of_request(r: &Value) -> Vec<borgerblik::Problem> {
    match Request::from_value(r) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    }
}

/// A kind of document, its bad inputs (name, expected path, document), and how to read it.
type Group = (
    &'static str,
    Vec<(&'static str, &'static str, Value)>,
    fn(&Value) -> Vec<borgerblik::Problem>,
);

#[test]
fn every_bad_input_is_refused_with_its_path_and_a_clear_message() {
    let mut pinned = Vec::new();
    let mut failures = Vec::new();
    let groups: [Group; 3] = [
        (
            "municipality",
            bad_municipalities(),
            problems_of_municipality,
        ),
        ("policy", bad_policies(), problems_of_policy),
        ("request", bad_requests(), problems_of_request),
    ];
    let mut count = 0;
    for (group, cases, problems_of) in groups {
        for (name, path, doc) in cases {
            count += 1;
            let problems = problems_of(&doc);
            if !problems.iter().any(|p| p.path == path) {
                failures.push(format!(
                    "{group} / {name}: no problem at {path:?}: {problems:?}"
                ));
            }
            for p in &problems {
                if p.message.trim().is_empty() {
                    failures.push(format!("{group} / {name}: empty message at {}", p.path));
                }
            }
            let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            pinned.push(json!({ "input": format!("{group}: {name}"), "problems": shown }));
        }
    }
    assert!(count >= 30, "only {count} bad inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    insta::assert_json_snapshot!(pinned);
}

#[test]
fn limits_are_enforced_with_errors_not_truncation() {
    let record = json!({ "kind": "case", "id": "S", "kle": "32.30.04", "createdDate": "2021-01-01", "status": "Oplyst" });
    let too_many = json!({ "asOf": "2021-06-15", "viewer": { "cpr": "0101801234" },
        "records": vec![record; limits::MAX_RECORDS + 1] });
    let err = Request::from_value(&too_many).unwrap_err();
    assert_eq!(err.problems[0].path, "records");
    assert!(
        err.problems[0].message.contains("100000"),
        "{}",
        err.problems[0].message
    );

    let documents = vec![json!({ "title": "Brev" }); limits::MAX_DOCUMENTS_PER_CASE + 1];
    let long_title = "x".repeat(limits::MAX_TEXT_BYTES + 1);
    let request = json!({ "asOf": "2021-06-15", "viewer": { "cpr": "0101801234" }, "records": [
        { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-01-01", "status": "Oplyst", "documents": documents },
        { "kind": "case", "id": "S-2", "kle": "32.30.04", "createdDate": "2021-01-01", "status": "Oplyst", "title": long_title },
        { "kind": "benefit", "id": "Y-1", "kle": "32.30.04", "startDate": "2021-01-01",
          "payments": vec![json!({ "date": "2021-01-31", "grossAmountOre": 1 }); limits::MAX_PAYMENTS_PER_BENEFIT + 1] }
    ] });
    let engine =
        Engine::new(Policy::from_municipality_value(&json!({ "areas": [] })).unwrap()).unwrap();
    let o = engine.evaluate(&Request::from_value(&request).unwrap());
    let details: Vec<Option<&str>> = o
        .decisions
        .iter()
        .map(|d| d.reasons[0].detail.as_deref())
        .collect();
    assert_eq!(
        details,
        [
            Some("records[0].documents"),
            Some("records[1].title"),
            Some("records[2].payments")
        ]
    );
    assert!(o.decisions.iter().all(|d| !d.visible));
}

#[test]
fn a_document_over_10_mib_is_refused_before_parsing() {
    let text = format!(
        "{{\"pad\": \"{}\"}}",
        " ".repeat(limits::MAX_DOCUMENT_BYTES)
    );
    for err in [
        Request::from_json_str(&text).unwrap_err(),
        Policy::from_json_str(&text).unwrap_err(),
    ] {
        assert!(
            err.problems[0].message.contains("10 MiB"),
            "{}",
            err.problems[0].message
        );
    }
}
