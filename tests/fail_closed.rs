//! Fail closed on ambiguous input (SPEC §8, issue 11): properties over generated records, and the
//! guarantees the scenario files cannot express (JSON text no `Value` can hold, messages, limits).
//!
//! Properties: duplicating a key of a record with another value never makes a hidden record
//! visible; a party of another JSON type, or `null` elements added to a list, never turn a
//! decision into `INVALID_RECORD` (and change nothing at all).

use borgerblik::limits::{MAX_DOCUMENT_BYTES, MAX_PROBLEMS};
use borgerblik::ndjson::{LineProblem, Requests};
use borgerblik::{Decision, Engine, Policy, ReasonCode, Request};
use proptest::prelude::*;
use serde_json::{json, Value};

const VIEWER: &str = "1203801234";
const OTHER: &str = "0101701234";

/// Opens every hovedgruppe the records use, with documents and non-economic benefits shown, so
/// that many generated records are visible and a change can show.
fn engine() -> Engine {
    let areas: Vec<Value> = ["02", "27", "32", "15"]
        .iter()
        .map(|k| json!({ "kle": k, "open": true, "showDocuments": true, "showNonEconomicBenefits": true }))
        .collect();
    Engine::new(Policy::from_municipality_value(&json!({ "areas": areas })).unwrap()).unwrap()
}

/// A record as its members in document order, so a key can be repeated in its JSON text.
type Members = Vec<(String, Value)>;

fn text(members: &Members) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::String(k.clone())))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn request_text(records: &[String]) -> String {
    format!(
        r#"{{"asOf":"2022-03-01","viewer":{{"cpr":"{VIEWER}"}},"records":[{}]}}"#,
        records.join(",")
    )
}

fn decide(engine: &Engine, records: &[String]) -> Vec<Decision> {
    let request = Request::from_json_str(&request_text(records)).expect("the envelope is valid");
    engine.evaluate(&request).decisions
}

fn decide_one(engine: &Engine, members: &Members) -> Decision {
    decide(engine, &[text(members)]).remove(0)
}

fn invalid(d: &Decision) -> bool {
    d.reasons
        .iter()
        .any(|r| r.code == ReasonCode::InvalidRecord)
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// A JSON value of any type, for a repeated key or a non-CPR party.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        pick(&[
            VIEWER,
            OTHER,
            "case",
            "benefit",
            "Oplyst",
            "Afsluttet",
            "VIP_SAGER",
            "32.30.04",
            "2021-05-01",
            ""
        ])
        .prop_map(Value::from),
        Just(json!([VIEWER])),
        Just(json!({ "cpr": VIEWER })),
    ]
}

/// A valid case or benefit of the viewer (mostly), with the optional fields in any subset.
fn record() -> impl Strategy<Value = Members> {
    (
        any::<bool>(),
        pick(&["02.00.05", "27.36.04", "32.30.04", "15.20.10", "32.24.04"]),
        pick(&["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"]),
        prop::option::of(pick(&["IKKE_FORTROLIGE_DATA", "FORTROLIGE_PERSONOPLYSNINGER", "VIP_SAGER"])),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::collection::vec((0u32..28, any::<bool>()), 0..3),
        pick(&[VIEWER, VIEWER, OTHER]),
    )
        .prop_map(|(is_case, kle, status, sensitivity, excluded, economic, items, party)| {
            let mut m: Members = vec![
                ("kind".into(), json!(if is_case { "case" } else { "benefit" })),
                ("id".into(), json!("R-1")),
                ("kle".into(), json!(kle)),
            ];
            let day = |d: u32| json!(format!("2021-06-{:02}", d + 1));
            if is_case {
                m.push(("createdDate".into(), json!("2021-05-01")));
                m.push(("status".into(), json!(status)));
                if kle.starts_with("02") {
                    m.push(("propertyOwners".into(), json!([party])));
                } else {
                    m.push(("primaryParty".into(), json!(party)));
                }
                let docs: Vec<Value> = items
                    .iter()
                    .map(|(d, ex)| json!({ "title": "Brev", "date": day(*d), "excludedFromCitizen": ex }))
                    .collect();
                m.push(("documents".into(), Value::Array(docs)));
            } else {
                m.push(("startDate".into(), json!("2021-05-01")));
                m.push(("recipient".into(), json!(party)));
                let pays: Vec<Value> = items
                    .iter()
                    .map(|(d, _)| json!({ "date": day(*d), "grossAmountOre": 100 }))
                    .collect();
                m.push(("payments".into(), Value::Array(pays)));
                if let Some(e) = economic {
                    m.push(("economic".into(), json!(e)));
                }
            }
            if let Some(s) = sensitivity {
                m.push(("sensitivity".into(), json!(s)));
            }
            if let Some(x) = excluded {
                m.push(("excludedFromCitizen".into(), json!(x)));
            }
            m
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A key twice with two values: whichever a reader took, if either hides the record, the
    /// record stays hidden (it is `INVALID_RECORD`). Also for a second `id`, and for a key given
    /// first with the other value.
    #[test]
    fn a_repeated_key_never_reveals_a_hidden_record(
        members in record(), which in any::<prop::sample::Index>(), other in any_value(), first in any::<bool>()
    ) {
        let engine = engine();
        let i = which.index(members.len());
        let (key, value) = members[i].clone();
        prop_assume!(other != value);
        let mut swapped = members.clone();
        swapped[i].1 = other.clone();
        let hidden = [&members, &swapped].iter().any(|m| !decide_one(&engine, m).visible);
        let mut repeated = members.clone();
        let at = if first { i } else { i + 1 };
        repeated.insert(at, (key.clone(), other));
        let d = decide_one(&engine, &repeated);
        if hidden {
            prop_assert!(!d.visible, "{key} twice revealed a hidden record: {}", text(&repeated));
        }
        prop_assert!(invalid(&d), "{key} twice is not INVALID_RECORD: {}", text(&repeated));
    }

    /// A party of another JSON type is no CPR: never `INVALID_RECORD`; the record is then hidden
    /// (`NO_CPR`), unless another owner still sees it.
    #[test]
    fn a_party_of_another_type_is_no_cpr(members in record(), value in any_value()) {
        prop_assume!(!value.is_string());
        let engine = engine();
        let before = decide_one(&engine, &members);
        let mut changed = members.clone();
        for (k, v) in changed.iter_mut() {
            match k.as_str() {
                "primaryParty" | "recipient" => *v = value.clone(),
                "propertyOwners" => *v = json!([value.clone()]),
                _ => {}
            }
        }
        let after = decide_one(&engine, &changed);
        prop_assert_eq!(invalid(&after), invalid(&before), "{}", text(&changed));
        prop_assert!(!after.visible || before.visible);
        if !invalid(&after) {
            prop_assert!(!after.visible);
            prop_assert!(after.reasons.iter().any(|r| r.code == ReasonCode::NoCpr));
        }
    }

    /// `null` elements added anywhere in a record's lists change nothing.
    #[test]
    fn null_list_elements_change_nothing(members in record(), at in any::<prop::sample::Index>()) {
        let engine = engine();
        let before = decide(&engine, &[text(&members)]);
        let mut changed = members.clone();
        for (k, v) in changed.iter_mut() {
            if matches!(k.as_str(), "propertyOwners" | "documents" | "payments") {
                let list = v.as_array_mut().unwrap();
                let i = at.index(list.len() + 1);
                list.insert(i, Value::Null);
                list.push(Value::Null);
            }
        }
        let after = decide(&engine, &[text(&changed)]);
        prop_assert!(!invalid(&after[0]), "{}", text(&changed));
        prop_assert_eq!(&after, &before);
    }
}

/// A request's decisions and `explain` table for records whose bad values are secrets.
#[test]
fn invalid_record_messages_quote_no_record_values() {
    let engine = engine();
    let secret = "SECRET-1101801234";
    let bad: Vec<(&str, Value)> = vec![
        ("kind", json!(secret)),
        ("kle", json!(secret)),
        ("status", json!(secret)),
        ("createdDate", json!(secret)),
        ("facet", json!(secret)),
        ("sensitivity", json!(secret)),
        ("excludedFromCitizen", json!(secret)),
        ("title", json!(1101801234)),
        ("documents", json!([{ "date": secret }])),
        ("documents", json!(secret)),
        ("id", json!(1101801234)),
        ("closedDate", json!(1101801234)),
    ];
    let mut records = Vec::new();
    for (key, value) in &bad {
        let mut m: Members = vec![
            ("kind".into(), json!("case")),
            ("id".into(), json!("S-1")),
            ("kle".into(), json!("27.36.04")),
            ("createdDate".into(), json!("2021-05-01")),
            ("status".into(), json!("Oplyst")),
            ("primaryParty".into(), json!(VIEWER)),
        ];
        m.retain(|(k, _)| k != key);
        m.push(((*key).into(), value.clone()));
        records.push(text(&m));
    }
    records.push(
        r#"{"kind":"benefit","id":"Y-1","kle":"32.24.04","startDate":"2021-05-01","payments":[{"date":"2021-06-01","grossAmountOre":"SECRET-1101801234"}]}"#.into(),
    );
    let text = request_text(&records);
    let request = Request::from_json_str(&text).unwrap();
    let overview = engine.evaluate(&request);
    for d in &overview.decisions {
        assert!(invalid(d), "{d:?}");
        for r in &d.reasons {
            assert!(
                !r.message.contains("SECRET") && !r.message.contains("1101801234"),
                "{}",
                r.message
            );
        }
    }
    let table = borgerblik::explain::explain(&request, &overview);
    assert!(
        !table.contains("SECRET") && !table.contains("1101801234"),
        "{table}"
    );
}

/// A refused request envelope names the field and what is wrong, never the value: a viewer sent
/// as a bare CPR number, a CPR number with a typo, a birth date that is no date (SECURITY.md).
#[test]
fn envelope_messages_quote_no_request_values() {
    let secret = "SECRET-1101801234";
    let number = 1101801234_u64;
    let good_viewer = json!({ "cpr": VIEWER });
    let relation = |key: &str, value: Value| {
        let mut r = json!({ "childCpr": OTHER, "type": "0001", "validFrom": "2020-01-01" });
        r[key] = value;
        json!({ "relations": [r] })
    };
    let envelopes: Vec<(&str, Value, Value)> = vec![
        ("asOf", json!(secret), good_viewer.clone()),
        ("asOf", json!("1101-80-1234"), good_viewer.clone()),
        ("viewer", json!(secret), json!(null)),
        ("viewer", json!(number), json!(null)),
        ("viewer", json!([secret]), json!(null)),
        ("viewer", json!({ "cpr": "11018012345" }), json!(null)),
        ("viewer", json!({ "cpr": secret }), json!(null)),
        ("viewer", json!({ "cpr": number }), json!(null)),
        (
            "viewer",
            json!({ "cpr": VIEWER, "birthDate": secret }),
            json!(null),
        ),
        ("subject", json!(secret), good_viewer.clone()),
        ("custody", json!(secret), good_viewer.clone()),
        (
            "custody",
            json!({ "verifiedAt": secret }),
            good_viewer.clone(),
        ),
        (
            "custody",
            json!({ "relations": secret }),
            good_viewer.clone(),
        ),
        (
            "custody",
            relation("childCpr", json!("110180123")),
            good_viewer.clone(),
        ),
        (
            "custody",
            relation("childCpr", json!(number)),
            good_viewer.clone(),
        ),
        (
            "custody",
            relation("type", json!(number)),
            good_viewer.clone(),
        ),
        (
            "custody",
            relation("validFrom", json!(secret)),
            good_viewer.clone(),
        ),
        (
            "custody",
            relation("validTo", json!(secret)),
            good_viewer.clone(),
        ),
        ("records", json!(secret), good_viewer.clone()),
    ];
    let mut texts: Vec<String> = vec![json!(secret).to_string(), number.to_string()];
    for (key, value, viewer) in envelopes {
        let mut envelope = json!({ "asOf": "2022-03-01", "records": [] });
        if !viewer.is_null() {
            envelope["viewer"] = viewer;
        }
        envelope[key] = value;
        texts.push(envelope.to_string());
    }
    let leaks = |message: &str| {
        message.contains("SECRET") || message.contains("1101") || message.contains("110180")
    };
    for text in &texts {
        let error = Request::from_json_str(text).expect_err(text);
        assert!(!leaks(&error.to_string()), "{text}: {error}");
        // The NDJSON reader (CLI `--ndjson`, wasm `evaluateNdjson`) says the same.
        let line = format!("{text}\n");
        for read in Requests::from_slice(line.as_bytes()) {
            if let Err(e) = read {
                let shown = format!("{e:?}");
                assert!(!leaks(&shown), "{text}: {shown}");
            }
        }
    }
}

/// Values no JSON reader can take cost only their record, but the envelope stays strict, and
/// input that is not JSON at all is refused with the same message as before.
#[test]
fn unreadable_values_cost_their_record_but_not_json_is_refused() {
    let engine = engine();
    let ok = r#"{"kind":"case","id":"S-2","kle":"27.36.04","createdDate":"2021-05-01","status":"Oplyst","primaryParty":"1203801234"}"#;
    let bad = r#"{"kind":"case","id":"S-1","kle":"27.36.04","title":"\ud800","createdDate":"2021-05-01","status":"Oplyst","primaryParty":"1203801234"}"#;
    let d = decide(&engine, &[bad.into(), ok.into()]);
    assert!(invalid(&d[0]) && d[1].visible, "{d:?}");
    // Through the NDJSON reader too (CLI --ndjson, wasm evaluateNdjson).
    let line = request_text(&[bad.into(), ok.into()]);
    let read: Vec<_> = Requests::from_slice(line.as_bytes()).collect();
    assert!(matches!(read.as_slice(), [Ok((1, _))]));

    for (text, expected) in [
        (
            r#"{"asOf":"2022-03-01","viewer":{"cpr":"\ud800"},"records":[]}"#,
            "not valid JSON: unexpected end of hex escape",
        ),
        (
            r#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"records":[{"id":}]}"#,
            "not valid JSON: expected value",
        ),
        (
            r#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"records":[{"title":"\ud800"]}"#,
            "not valid JSON: unexpected end of hex escape",
        ),
    ] {
        let e = Request::from_json_str(text).unwrap_err();
        assert_eq!(e.problems.len(), 1, "{e}");
        assert!(e.problems[0].message.starts_with(expected), "{e}");
    }
}

/// Every reader of a policy or request refuses a key twice: text, and serde's `Deserialize`.
#[test]
fn duplicate_keys_are_refused_through_every_reader() {
    let request = r#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"subject":{"cpr":"0101701234"},"subject":null,"records":[]}"#;
    assert_eq!(
        Request::from_json_str(request).unwrap_err().problems[0].path,
        "subject"
    );
    assert!(serde_json::from_str::<Request>(request).is_err());
    let policy = r#"{"municipality":{"areas":[{"kle":"27.36","open":false,"open":true}]}}"#;
    let e = Policy::from_json_str(policy).unwrap_err();
    assert_eq!(e.problems[0].path, "municipality.areas[0].open");
    assert!(serde_json::from_str::<Policy>(policy).is_err());
    let nested = r#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"custody":{"relations":[{"childCpr":"0101701234","childCpr":"0101701234","type":"0003","validFrom":"2010-01-01"}]},"records":[]}"#;
    assert_eq!(
        Request::from_json_str(nested).unwrap_err().problems[0].path,
        "custody.relations[0].childCpr"
    );
}

/// The size limit counts the document, not the newline that ends its NDJSON line.
#[test]
fn an_ndjson_line_of_exactly_the_limit_is_read() {
    let head = r#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"records":[]}"#;
    let exactly = format!("{head}{}", " ".repeat(MAX_DOCUMENT_BYTES - head.len()));
    assert_eq!(exactly.len(), MAX_DOCUMENT_BYTES);
    for input in [
        format!("{exactly}\n{head}\n"),
        format!("{exactly}\r\n{head}\n"),
        format!("{head}\n{exactly}"),
    ] {
        let ending = &input[input.len() - 2..];
        let read: Vec<_> = Requests::from_slice(input.as_bytes())
            .map(|r| r.map(|(n, _)| n))
            .collect();
        assert!(
            matches!(read.as_slice(), [Ok(1), Ok(2)]),
            "{ending:?}: {read:?}"
        );
    }
    let over = format!("{exactly} \n");
    let read: Vec<_> = Requests::from_slice(over.as_bytes()).collect();
    match read.as_slice() {
        [Err(e)] => {
            assert!(
                matches!(e.problem, LineProblem::TooLong | LineProblem::Invalid(_)),
                "{e:?}"
            );
            assert!(e
                .problem
                .to_string()
                .contains("the document is over the limit of 10485760 bytes (10 MiB)"));
        }
        other => panic!("{other:?}"),
    }
}

/// A policy with very many problems lists at most `MAX_PROBLEMS` of them, and says how many more.
#[test]
fn problem_lists_are_capped() {
    // In descending KLE order: the areas named must be the first in policy order, not by number.
    let etape_areas: Vec<Value> = (0..5000)
        .rev()
        .map(|i| json!({ "kle": format!("{:02}.{:02}.{:02}", 10 + i / 10000, (i / 100) % 100, i % 100) }))
        .collect();
    // 599 duplicate selectors first, then 600 closed mandatory areas.
    let areas: Vec<Value> = (0..600)
        .map(|_| json!({ "kle": "10", "open": false }))
        .collect();
    let policy = json!({
        "central": { "etaper": [ { "id": "e", "name": "e", "mandatoryFrom": "2020-12-31", "areas": etape_areas } ] },
        "municipality": { "areas": areas }
    });
    let v = Engine::validate(&Policy::from_value(&policy).unwrap());
    assert!(!v.valid);
    assert_eq!(v.problems.len(), MAX_PROBLEMS + 1);
    let last = v.problems.last().unwrap();
    assert!(
        last.message.starts_with("and ") && last.message.contains("more problems"),
        "{last:?}"
    );
    let closed = v
        .problems
        .iter()
        .find(|p| p.path == "municipality.areas[0].open")
        .unwrap();
    assert!(
        closed.message.ends_with("and 4980 more"),
        "{}",
        closed.message
    );
    assert!(
        closed
            .message
            .contains("mandatory area(s) 10.49.99 (e), 10.49.98 (e), "),
        "{}",
        closed.message
    );
}

/// `size::overview_json_bound` is never below the JSON written, whatever the strings hold.
#[test]
fn the_overview_size_bound_holds() {
    let engine = engine();
    // Mostly bytes JSON writes as six (`\u0001`): a bound that counted them once would be short.
    let weird = &format!("{}\"\\\u{1f}ø\n", "\u{1}".repeat(1000));
    let case = json!({ "kind": "case", "id": weird, "kle": "27.36.04", "title": weird, "createdDate": "2021-05-01",
        "status": "Oplyst", "primaryParty": VIEWER, "provider": weird,
        "documents": [ { "title": weird, "date": "2021-06-01" }, { "title": null } ] });
    let benefit = json!({ "kind": "benefit", "id": weird, "kle": "32.24.04", "name": weird, "startDate": "2021-05-01",
        "recipient": VIEWER, "economic": true, "provider": weird, "caseId": weird,
        "payments": [ { "date": "2021-06-01", "grossAmountOre": i64::MIN } ] });
    let bad = json!({ "kind": "case", "id": weird, "kle": weird });
    for records in [
        vec![],
        vec![case.clone()],
        vec![case, benefit, bad.clone(), bad],
    ] {
        let request = Request::from_value(
            &json!({ "asOf": "2022-03-01", "viewer": { "cpr": VIEWER }, "records": records }),
        )
        .unwrap();
        let overview = engine.evaluate(&request);
        let written = borgerblik::writer::overview_json(&overview);
        assert!(
            borgerblik::size::overview_json_bound(&overview) >= written.len(),
            "{written}"
        );
    }
}
