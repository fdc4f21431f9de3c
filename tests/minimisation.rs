//! The view is data minimisation: only the fields SPEC §4 lists may reach it. Every other input
//! field carries a marker; no marker may appear in the view, and the view's keys are exactly the
//! allow-list.

use std::collections::BTreeSet;

use borgerblik::{Engine, Policy, Request};
use serde_json::{json, Value};

const CPR: &str = "0101801234";

fn request() -> Value {
    json!({
        "asOf": "2022-06-15",
        "viewer": { "cpr": CPR },
        "records": [
            { "kind": "case", "id": "S-1", "kle": "32.30.04", "facet": "G01",
              "title": "LEAK-source-title", "sourceSystem": "LEAK-system", "provider": "kommune",
              "createdDate": "2021-02-01", "status": "Oplyst", "closedDate": null,
              "primaryParty": CPR, "propertyOwners": ["LEAK-owner"],
              "sensitivity": "FOELSOMME_PERSONOPLYSNINGER", "targetGroup": "LEAK-target-group",
              "releasedToMinor": false, "hoi": false, "excludedFromCitizen": false,
              "caseNumber": "LEAK-case-number", "description": "LEAK-description",
              "caseworker": "LEAK-caseworker", "journalNote": "LEAK-unknown-field",
              "nested": { "deep": "LEAK-nested" },
              "documents": [ { "id": "LEAK-doc-id", "title": "Afgørelse om sygedagpenge",
                               "date": "2021-02-03", "type": "LEAK-doc-type",
                               "content": "LEAK-doc-content", "author": "LEAK-doc-author",
                               "excludedFromCitizen": false },
                             { "id": "D-2", "title": "LEAK-excluded-document", "date": "2021-02-04",
                               "excludedFromCitizen": true } ] },
            { "kind": "case", "id": "S-2", "kle": "27.36.04", "title": "LEAK-hoi-title",
              "createdDate": "2022-01-10", "status": "Afgjort", "primaryParty": CPR, "hoi": true,
              "documents": [ { "title": "LEAK-hoi-document", "date": "2022-01-11" } ] },
            { "kind": "benefit", "id": "Y-1", "kle": "32.24.04", "caseId": "LEAK-case-id",
              "name": "Hjælp til forsørgelse", "recipient": CPR, "economic": true,
              "startDate": "2021-01-01", "endDate": null, "sourceSystem": "LEAK-benefit-system",
              "provider": "kommune", "sensitivity": "IKKE_FORTROLIGE_DATA",
              "excludedFromCitizen": false, "accountNumber": "LEAK-account",
              "payments": [ { "date": "2021-01-31", "grossAmountOre": 1234500,
                              "netAmountOre": "LEAK-net", "taxCard": "LEAK-tax" } ] },
            { "kind": "case", "id": "S-3", "kle": "32.30.04", "title": "LEAK-hidden-record",
              "createdDate": "2021-02-01", "status": "Oplyst", "primaryParty": "0202804321" }
        ]
    })
}

fn engine() -> Engine {
    let policy = Policy::from_municipality_value(&json!({ "areas": [
        { "kle": "32.30.04", "showDocuments": true },
        { "kle": "27.36", "showDocuments": true }
    ] }))
    .unwrap();
    Engine::new(policy).unwrap()
}

#[test]
fn no_other_input_field_reaches_the_view() {
    let overview = engine().evaluate(&Request::from_value(&request()).unwrap());
    let visible: Vec<&str> = overview
        .decisions
        .iter()
        .filter(|d| d.visible)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(
        visible,
        ["S-1", "S-2", "Y-1"],
        "the test needs its records visible to mean anything"
    );
    let view = serde_json::to_string(&overview.view).unwrap();
    assert!(
        !view.contains("LEAK"),
        "a field leaked into the view: {view}"
    );
    // Sensitivity must be one of four values (SPEC §8), so it cannot carry a marker of its own.
    for level in ["FOELSOMME_PERSONOPLYSNINGER", "IKKE_FORTROLIGE_DATA"] {
        assert!(
            !view.contains(level),
            "the sensitivity leaked into the view: {view}"
        );
    }
    // The shown document proves documents are in the view at all.
    assert!(view.contains("Afgørelse om sygedagpenge"), "{view}");
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_view_has_exactly_the_allow_listed_keys() {
    let overview = engine().evaluate(&Request::from_value(&request()).unwrap());
    let view = serde_json::to_value(&overview.view).unwrap();
    assert_eq!(keys(&view), set(&["cases", "benefits"]));
    for case in view["cases"].as_array().unwrap() {
        assert_eq!(
            keys(case),
            set(&[
                "id",
                "title",
                "kle",
                "status",
                "createdDate",
                "closedDate",
                "provider",
                "documents"
            ])
        );
        for d in case["documents"].as_array().unwrap() {
            assert_eq!(keys(d), set(&["title", "date"]));
        }
    }
    for b in view["benefits"].as_array().unwrap() {
        assert_eq!(
            keys(b),
            set(&[
                "id",
                "name",
                "kle",
                "startDate",
                "endDate",
                "provider",
                "payments"
            ])
        );
        for p in b["payments"].as_array().unwrap() {
            assert_eq!(keys(p), set(&["date", "grossAmountOre"]));
        }
    }
}

#[test]
fn a_source_title_is_shown_only_when_configured() {
    let policy = Policy::from_municipality_value(&json!({ "areas": [
        { "kle": "32.30.04", "title": "source" } ] }))
    .unwrap();
    let overview = Engine::new(policy)
        .unwrap()
        .evaluate(&Request::from_value(&request()).unwrap());
    let s1 = overview.view.cases.iter().find(|c| c.id == "S-1").unwrap();
    assert_eq!(s1.title, "LEAK-source-title");
    assert!(s1.documents.is_empty());
}
