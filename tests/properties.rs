//! Property tests over generated policies and requests: the guarantees users rely on hold for any
//! input, not just the scenarios. Each property is a real invariant and can fail.

use std::collections::{BTreeSet, HashMap};

use borgerblik::{to_json, Engine, Overview, Policy, Request};
use proptest::prelude::*;
use serde_json::{json, Value};

const MARK: &str = "MARKER";

/// Adults, young people and a child, by CPR (7th digit 4: born 2000s for YY <= 36).
const PEOPLE: [&str; 5] = [
    "0101801234",
    "1506094321",
    "1003074321",
    "2002154321",
    "0101904321",
];
const EMNER: [&str; 12] = [
    "27.36.04", "27.24.27", "27.24.05", "32.30.04", "32.24.04", "02.34.02", "15.17.06", "15.20.10",
    "34.25.01", "34.01.02", "00.17.15", "27.60.12",
];
const SELECTORS: [&str; 12] = [
    "27", "27.36", "27.36.04", "27.24", "02", "02.34", "15", "15.20", "34", "00.17", "32",
    "27.24.27",
];
const FACETS: [&str; 5] = ["G01", "K02", "A53", "Ø30", "P15"];
const SYSTEMS: [&str; 3] = ["SBSYS", "KMD Nova ESDH", "Acadre"];
const GROUPS: [&str; 2] = ["Sygedagpenge", "Fleksjobvisiterede"];

fn date(days: u32) -> String {
    // 2019-01-01 plus `days`.
    let d =
        chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Days::new(u64::from(days));
    d.to_string()
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn area() -> impl Strategy<Value = Value> {
    (
        pick(&SELECTORS),
        prop::option::of(any::<bool>()),
        prop::option::of(0u32..2500),
        any::<bool>(),
        prop::option::of((any::<bool>(), prop::collection::vec(pick(&["G01", "K", "A53", "Ø"]), 1..3))),
        prop::option::of(prop::collection::vec(pick(&SYSTEMS), 1..3)),
        prop::option::of(prop::collection::vec(pick(&GROUPS), 1..2)),
        (any::<bool>(), any::<bool>(), any::<bool>(), prop::option::of(15u32..20)),
    )
        .prop_map(|(kle, open, from, active, facets, systems, groups, (docs, source, non_econ, min))| {
            let mut a = json!({ "kle": kle, "showActiveBeforeFromDate": active, "showDocuments": docs,
                "title": if source { "source" } else { "kle" }, "showNonEconomicBenefits": non_econ });
            if let Some(o) = open { a["open"] = json!(o); }
            if let Some(f) = from { a["fromDate"] = json!(date(f)); }
            if let Some((allow, list)) = facets { a["facets"] = json!({ if allow { "allow" } else { "deny" }: list }); }
            if let Some(s) = systems { a["sourceSystems"] = json!(s); }
            if let Some(g) = groups { a["targetGroups"] = json!(g); }
            if let Some(m) = min { a["minimumAge"] = json!(m); }
            a
        })
}

/// A valid policy: built-in central rules (custody enabled or not) and up to six areas with
/// distinct selectors; invalid combinations are discarded.
fn policy() -> impl Strategy<Value = Value> {
    (prop::collection::vec(area(), 0..6), any::<bool>()).prop_map(|(areas, custody)| {
        let mut seen = BTreeSet::new();
        let areas: Vec<Value> = areas.into_iter().filter(|a| seen.insert(a["kle"].to_string())).collect();
        json!({ "central": { "custody": { "enabled": custody, "maxVerificationAge": "P1D", "childAgeLimit": 18,
                  "excludedAreas": [ { "kle": "34.25" }, { "kle": "27.24.27" } ] } },
                "municipality": { "code": "0390", "areas": areas } })
    })
}

/// Stands for the subject's CPR until the request is assembled: most records are the subject's own.
const SUBJECT: &str = "SUBJECT";

fn party() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => Just(json!(SUBJECT)),
        2 => pick(&PEOPLE).prop_map(|c| json!(c)),
        1 => Just(json!("12345678")),
        1 => Just(Value::Null),
    ]
}

fn record() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        pick(&EMNER),
        party(),
        prop::collection::vec(prop_oneof![3 => Just(SUBJECT), 1 => pick(&PEOPLE)], 0..2),
        (0u32..2800, pick(&["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"]), prop::option::of(pick(&FACETS))),
        (prop::option::of(pick(&SYSTEMS)), prop::option::of(pick(&GROUPS)), prop_oneof![4 => Just("IKKE_FORTROLIGE_DATA"), 1 => Just("VIP_SAGER"), 2 => Just("FORTROLIGE_PERSONOPLYSNINGER")]),
        (any::<bool>(), any::<bool>(), prop::bool::weighted(0.1), prop::option::of(any::<bool>())),
        (prop::collection::vec((prop::option::of(0u32..2800), prop::bool::weighted(0.2)), 0..3), prop::collection::vec((0u32..2800, -100_000i64..10_000_000), 0..3)),
        prop::option::of(0usize..6),
    )
        .prop_map(|(is_case, kle, party, owners, (created, status, facet), (system, group, sensitivity), (released, hoi, excluded, economic), (docs, payments), case_ref)| {
            let mut r = if is_case {
                json!({ "kind": "case", "kle": kle, "createdDate": date(created), "status": status,
                    "primaryParty": party, "propertyOwners": owners, "hoi": hoi, "targetGroup": group,
                    "title": "Egen sagstitel", "facet": facet,
                    "documents": docs.iter().enumerate().map(|(i, (d, ex))| json!({ "id": format!("{MARK}-doc-{i}"),
                        "title": format!("Dokument {i}"), "date": d.map(date), "excludedFromCitizen": ex,
                        "content": MARK, "type": MARK })).collect::<Vec<_>>() })
            } else {
                json!({ "kind": "benefit", "kle": kle, "startDate": date(created), "recipient": party,
                    "name": "Ydelse", "economic": economic,
                    "caseId": case_ref.map(|i| format!("R-{i}")),
                    "payments": payments.iter().map(|(d, a)| json!({ "date": date(*d), "grossAmountOre": a, "note": MARK })).collect::<Vec<_>>() })
            };
            for (k, v) in [("sourceSystem", json!(system)), ("sensitivity", json!(sensitivity)),
                           ("releasedToMinor", json!(released)), ("excludedFromCitizen", json!(excluded)),
                           ("caseworker", json!(MARK)), ("description", json!(MARK)), ("caseNumber", json!(MARK)),
                           ("extra", json!({ "nested": MARK }))] {
                r[k] = v;
            }
            r
        })
}

fn request() -> impl Strategy<Value = Value> {
    (
        1000u32..2900,
        prop_oneof![3 => Just(PEOPLE[0]), 1 => pick(&PEOPLE)],
        prop::option::weighted(0.25, pick(&PEOPLE)),
        // Custody facts: verified 0–3 days before asOf (P1D is the limit), a relation starting up to
        // ~16 years before asOf; relation type 0001 carries no custody.
        prop::option::of((0u32..4, pick(&["0003", "0004", "0001"]), 0u32..6000)),
        prop::collection::vec(record(), 0..10),
    )
        .prop_map(|(as_of, viewer, subject, custody, records)| {
            let records: Vec<Value> = records
                .into_iter()
                .enumerate()
                .map(|(i, mut r)| {
                    r["id"] = json!(format!("R-{i}"));
                    let who = subject.unwrap_or(viewer);
                    for key in ["primaryParty", "recipient"] {
                        if r[key] == json!(SUBJECT) {
                            r[key] = json!(who);
                        }
                    }
                    if let Some(owners) = r["propertyOwners"].as_array_mut() {
                        for o in owners.iter_mut().filter(|o| **o == json!(SUBJECT)) {
                            *o = json!(who);
                        }
                    }
                    r
                })
                .collect();
            let mut req =
                json!({ "asOf": date(as_of), "viewer": { "cpr": viewer }, "records": records });
            if let Some(s) = subject {
                req["subject"] = json!({ "cpr": s });
            }
            if let (Some(s), Some((verified_ago, kind, from_ago))) = (subject, custody) {
                let day = |ago: u32| {
                    let d = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                        + chrono::Days::new(u64::from(as_of))
                        - chrono::Days::new(u64::from(ago));
                    d.to_string()
                };
                req["custody"] = json!({ "verifiedAt": day(verified_ago),
                    "relations": [ { "childCpr": s, "type": kind, "validFrom": day(from_ago) } ] });
            }
            req
        })
}

fn engine(policy: &Value) -> Option<Engine> {
    Policy::from_value(policy)
        .ok()
        .and_then(|p| Engine::new(p).ok())
}

fn digits(v: &Value) -> Option<String> {
    v.as_str()
        .map(|s| s.replace('-', ""))
        .filter(|s| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// The CPR numbers that may see a record, read from the generated JSON independently of the engine.
fn parties(r: &Value) -> Vec<String> {
    if r["kind"] == "benefit" {
        return digits(&r["recipient"]).into_iter().collect();
    }
    if r["kle"].as_str().is_some_and(|k| k.starts_with("02.")) {
        return r["propertyOwners"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(digits)
            .collect();
    }
    digits(&r["primaryParty"]).into_iter().collect()
}

fn evaluate(engine: &Engine, request: &Value) -> Overview {
    engine.evaluate(&Request::from_value(request).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The view holds exactly the visible records, only allow-listed fields, and no marker.
    #[test]
    fn view_is_minimal_and_matches_the_decisions(p in policy(), r in request()) {
        let Some(e) = engine(&p) else { return Ok(()) };
        let o = evaluate(&e, &r);
        let visible: BTreeSet<&str> = o.decisions.iter().filter(|d| d.visible).map(|d| d.id.as_str()).collect();
        let shown: BTreeSet<&str> = o.view.cases.iter().map(|c| c.id.as_str()).chain(o.view.benefits.iter().map(|b| b.id.as_str())).collect();
        prop_assert_eq!(visible, shown);
        let view = serde_json::to_string(&o.view).unwrap();
        prop_assert!(!view.contains(MARK), "marker leaked: {}", view);
        for d in &o.decisions {
            let hides = d.reasons.iter().any(|r| r.code.effect() == borgerblik::reason::Effect::Hidden);
            prop_assert_eq!(d.visible, !hides);
        }
    }

    /// Nobody sees another person's record, and a record without a CPR is never visible.
    #[test]
    fn only_the_subject_sees_their_records(p in policy(), r in request()) {
        let Some(e) = engine(&p) else { return Ok(()) };
        let o = evaluate(&e, &r);
        let subject = digits(&r["subject"]["cpr"]).or_else(|| digits(&r["viewer"]["cpr"])).unwrap();
        for (d, rec) in o.decisions.iter().zip(r["records"].as_array().unwrap()) {
            if d.visible {
                prop_assert!(parties(rec).contains(&subject), "{} visible to {}: {}", d.id, subject, rec);
            }
            if d.reasons.iter().any(|x| x.code == borgerblik::ReasonCode::NoCpr) {
                prop_assert!(!d.visible);
            }
        }
    }

    /// Same input, same bytes; the order of records changes nothing but positions.
    #[test]
    fn deterministic_and_independent_of_record_order(p in policy(), r in request(), rotate in 0usize..10) {
        let Some(e) = engine(&p) else { return Ok(()) };
        let a = evaluate(&e, &r);
        prop_assert_eq!(to_json(&a), to_json(&evaluate(&e, &r)));
        let mut shuffled = r.clone();
        let records = shuffled["records"].as_array_mut().unwrap();
        if !records.is_empty() {
            let n = rotate % records.len();
            records.rotate_left(n);
            records.reverse();
        }
        let b = evaluate(&e, &shuffled);
        prop_assert_eq!(&a.view, &b.view);
        prop_assert_eq!(&a.summary, &b.summary);
        let by_id = |o: &Overview| o.decisions.iter().map(|d| (d.id.clone(), d.clone())).collect::<HashMap<_, _>>();
        prop_assert_eq!(by_id(&a), by_id(&b));
    }

    /// The JSON text entry point gives the same result as the typed one.
    #[test]
    fn json_round_trip_matches_native(p in policy(), r in request()) {
        let Some(e) = engine(&p) else { return Ok(()) };
        let native = to_json(&evaluate(&e, &r));
        let text = e.evaluate_json(&serde_json::to_string(&r).unwrap()).unwrap();
        prop_assert_eq!(native, text);
        let policy_text = serde_json::to_string_pretty(&p).unwrap();
        let reread = Engine::from_json(&policy_text).unwrap();
        prop_assert_eq!(reread.fingerprint(), e.fingerprint());
    }

    /// Tightening a setting never makes a hidden record visible: every kind of tightening is tried
    /// on every area of the generated policy.
    #[test]
    fn tightening_never_reveals(p in policy(), r in request(), shift in 1u32..900) {
        let Some(e) = engine(&p) else { return Ok(()) };
        let before = evaluate(&e, &r);
        let n = p["municipality"]["areas"].as_array().map_or(0, Vec::len);
        for which in 0..6 {
            for at in 0..n.max(1) {
                let Some(tight) = tighten(&p, which, at, shift) else { continue };
                let Some(t) = engine(&tight) else { continue };
                let after = evaluate(&t, &r);
                for (b, a) in before.decisions.iter().zip(&after.decisions) {
                    prop_assert!(b.visible || !a.visible, "tightening {} of area {}: {} became visible: {:?} -> {:?}", which, at, b.id, b.reasons, a.reasons);
                }
            }
        }
    }
}

/// One tightening of the policy: close an opened area, a later fradato, a higher minimum age, a
/// deny filter, a source-system filter, or custody disabled. `None` when it does not apply.
fn tighten(p: &Value, which: usize, at: usize, shift: u32) -> Option<Value> {
    let mut tight = p.clone();
    if which == 5 {
        tight["central"]["custody"]["enabled"] = json!(false);
        return Some(tight);
    }
    let a = tight["municipality"]["areas"].as_array_mut()?.get_mut(at)?;
    match which {
        0 if a["open"] == json!(true) => a["open"] = json!(false),
        1 => {
            let start = chrono::NaiveDate::from_ymd_opt(2019, 1, 1)?;
            let from = a["fromDate"].as_str().map_or(0, |d| {
                (chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap() - start).num_days()
                    as u32
            });
            a["fromDate"] = json!(date(from + shift));
        }
        2 => {
            a["minimumAge"] =
                json!(a["minimumAge"].as_u64().unwrap_or(15) + 1 + u64::from(shift % 3))
        }
        3 if a["facets"].get("allow").is_none() => match a["facets"]["deny"].as_array_mut() {
            Some(deny) => deny.push(json!("K")),
            None => a["facets"] = json!({ "deny": ["K", "G01"] }),
        },
        4 if a["sourceSystems"].is_null() => a["sourceSystems"] = json!(["SBSYS"]),
        _ => return None,
    }
    Some(tight)
}

/// The generators must produce valid policies and visible records often enough for the properties
/// above to mean something.
#[test]
fn generators_are_not_vacuous() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut valid, mut with_visible, mut with_hidden) = (0, 0, 0);
    for _ in 0..300 {
        let p = policy().new_tree(&mut runner).unwrap().current();
        let r = request().new_tree(&mut runner).unwrap().current();
        let Some(e) = engine(&p) else { continue };
        valid += 1;
        let o = evaluate(&e, &r);
        with_visible += usize::from(o.summary.visible > 0);
        with_hidden += usize::from(o.summary.hidden > 0);
    }
    assert!(
        valid > 100,
        "only {valid} of 300 generated policies are valid"
    );
    assert!(
        with_visible > 30,
        "only {with_visible} requests show anything"
    );
    assert!(
        with_hidden > 100,
        "only {with_hidden} requests hide anything"
    );
}
