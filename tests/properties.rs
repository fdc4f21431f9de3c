//! Property tests over generated policies and requests: the guarantees users rely on hold for any
//! input, not just the scenarios.
//!
//! The generators produce valid policies by construction (a refused policy fails the test, it is
//! never skipped), so every case checks something. Besides invariants (minimal view, determinism,
//! tightening never reveals), several properties are small independent models of one rule of
//! SPEC.md each, read from the generated JSON and compared with the engine's reasons: parties,
//! scope, facets, source-system and target-group filters, fradato, young viewers, custody,
//! sensitivity, links, invalid records and the summary. `coverage` demands
//! that the generators reach every reason code and the rare-but-important views often enough, and
//! `every_kind_of_tightening_bites` that each kind of tightening actually changes decisions, and
//! `rules_hold_on_their_cutoff_days` aims dates at the days where rules flip (etape, fradato,
//! access birthday) and counts every branch of the area rules it meets.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use borgerblik::{to_json, Engine, Overview, Policy, Request};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

const MARK: &str = "MARKER";

/// Adults by CPR (7th digit 0–3: 1900s).
const ADULTS: [&str; 2] = ["0101801234", "0101901234"];
/// Young people by CPR (7th digit 4: born 2000s for YY <= 36): 2009-06-15 (12–17 over the asOf
/// range), 2007-03-10 (14–19), 2015-02-20 (6–11), 2005-12-24 (15–20).
const YOUNG: [&str; 4] = ["1506094321", "1003074321", "2002154321", "2412054321"];
/// CPRs whose age is unknown: 31 February, and a person born in 2030 (after every asOf).
const UNKNOWN_AGE: [&str; 2] = ["3102104321", "0101304321"];
/// Birth dates given next to the CPR (they override it): a leap-day birth and an unborn person.
const BIRTH_DATES: [&str; 3] = ["2008-02-29", "2006-08-31", "2031-05-01"];

/// Record emner; building cases (hovedgruppe 02) twice as often, since only their owners see them.
const EMNER: [&str; 15] = [
    "27.36.04", "27.24.27", "27.24.05", "32.30.04", "32.24.04", "02.34.02", "02.34.02", "02.00.05",
    "15.17.06", "15.20.10", "34.25.01", "34.01.02", "00.17.15", "27.60.12", "27.60.08",
];
/// Municipality selectors, with what the built-in central rules allow on each (SPEC §6 and §8):
/// (selector, may be closed, latest fromDate as a day number (see `date`), central minimum age).
/// `27`, `27.36`, `27.36.04` touch etape-2 (2021); `15` and `32` touch etape-1 (2020); `15.20` lies
/// inside etape-2's `15`; `27.24` and `34` have the central minimum age 18.
const SELECTORS: [(&str, bool, Option<u32>, u32); 15] = [
    ("27", false, Some(DEC_2021), 15),
    ("27.36", false, Some(DEC_2021), 15),
    ("27.36.04", false, Some(DEC_2021), 15),
    ("27.24", true, None, 18),
    ("27.24.27", true, None, 18),
    ("02", true, None, 15),
    ("02.34", true, None, 15),
    ("15", false, Some(DEC_2020), 15),
    ("15.20", true, Some(DEC_2021), 15),
    ("34", true, None, 18),
    ("34.01", true, None, 18),
    ("00.17", true, None, 15),
    ("32", false, Some(DEC_2020), 15),
    ("27.60.12", false, Some(DEC_2021), 15),
    ("02.00", true, None, 15),
];
/// Selectors outside every etape (entries of `SELECTORS`).
const OPENERS: [(&str, bool, Option<u32>, u32); 4] = [
    ("02", true, None, 15),
    ("02.34", true, None, 15),
    ("34", true, None, 18),
    ("00.17", true, None, 15),
];
/// 2020-12-31 and 2021-12-31 as day numbers of `date`.
const DEC_2020: u32 = 730;
const DEC_2021: u32 = 1095;
/// 2023-06-30.
const MID_2023: u32 = 1641;
const FACETS: [&str; 5] = ["G01", "K02", "A53", "Ø30", "P15"];
const SYSTEMS: [&str; 3] = ["SBSYS", "KMD Nova ESDH", "Acadre"];
const GROUPS: [&str; 2] = ["Sygedagpenge", "Fleksjobvisiterede"];
const CUSTODY_EXCLUDED: [&str; 2] = ["34.25", "27.24.27"];

/// Every reason code in the order SPEC §8 lists them (the order of a decision's reasons).
const RULE_ORDER: [&str; 26] = [
    "NO_CPR",
    "NOT_PARTY",
    "MANDATORY_AREA",
    "OPENED_AREA",
    "AREA_NOT_OPEN",
    "FACET_FILTERED",
    "SOURCE_SYSTEM_FILTERED",
    "TARGET_GROUP_FILTERED",
    "BEFORE_FROM_DATE",
    "ACTIVE_BEFORE_FROM_DATE",
    "UNDER_MINIMUM_AGE",
    "RELEASED_TO_MINOR",
    "BEFORE_ACCESS_AGE",
    "AGE_UNKNOWN",
    "CUSTODY_DISABLED",
    "CUSTODY_NOT_HELD",
    "CUSTODY_STALE",
    "CHILD_OF_AGE",
    "CUSTODY_EXCLUDED_AREA",
    "SENSITIVITY_HIDDEN",
    "EXCLUDED_FROM_CITIZEN",
    "CASE_HIDDEN",
    "NON_ECONOMIC_BENEFIT",
    "DOCUMENTS_NOT_SHOWN",
    // Not in §8's list: an invalid record carries only this code.
    "INVALID_RECORD",
    "",
];
/// The codes that are not hidden-type (SPEC §4): a record is visible exactly when it has none else.
const NOT_HIDING: [&str; 5] = [
    "MANDATORY_AREA",
    "OPENED_AREA",
    "ACTIVE_BEFORE_FROM_DATE",
    "RELEASED_TO_MINOR",
    "DOCUMENTS_NOT_SHOWN",
];

/// Day `days` after 2019-01-01 (asOf and record dates live in 2019–2026).
fn day(days: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).expect("a real date") + chrono::Days::new(u64::from(days))
}

fn date(days: u32) -> String {
    day(days).to_string()
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// One municipality area, valid under the built-in central rules by construction: `open: false`
/// only where no etape area is touched, a `fromDate` no later than the etape year allows, a
/// `minimumAge` never below the central one, `allow` or `deny` but not both.
fn area() -> impl Strategy<Value = Value> {
    area_at(pick(&SELECTORS))
}

/// An area that opens one of the selectors outside every etape, so that building cases, Barnets
/// lov and the like are in scope often enough.
fn opening() -> impl Strategy<Value = Value> {
    area_at(pick(&OPENERS)).prop_map(|mut a| {
        a["open"] = json!(true);
        a
    })
}

/// An area on a selector picked by `selector` (an entry of `SELECTORS`).
fn area_at(
    selector: impl Strategy<Value = (&'static str, bool, Option<u32>, u32)>,
) -> impl Strategy<Value = Value> {
    (
        selector,
        prop_oneof![5 => Just(Some(true)), 1 => Just(Some(false)), 2 => Just(None)],
        prop::option::weighted(0.5, 0u32..2500),
        any::<bool>(),
        prop::option::weighted(
            0.3,
            (any::<bool>(), prop::collection::vec(pick(&["G01", "K", "A53", "Ø"]), 1..3)),
        ),
        prop::option::weighted(0.25, prop::collection::vec(pick(&SYSTEMS), 1..3)),
        prop::option::weighted(0.25, prop::collection::vec(pick(&GROUPS), 1..2)),
        (
            prop::bool::weighted(0.6),
            any::<bool>(),
            any::<bool>(),
            prop::option::weighted(0.35, 0u32..4),
        ),
    )
        .prop_map(
            |(
                (kle, closable, from_limit, central_age),
                open,
                from,
                active,
                facets,
                systems,
                groups,
                (docs, source, non_econ, raise),
            )| {
                let mut a = json!({ "kle": kle, "showActiveBeforeFromDate": active, "showDocuments": docs,
                    "title": if source { "source" } else { "kle" }, "showNonEconomicBenefits": non_econ });
                match open {
                    Some(false) if !closable => a["open"] = json!(true),
                    Some(o) => a["open"] = json!(o),
                    None => {}
                }
                if let Some(f) = from {
                    // Late in the allowed year where the etape limits it, so records fall on both sides.
                    a["fromDate"] = json!(date(from_limit.map_or(f, |limit| limit - f % 400)));
                }
                if let Some((allow, list)) = facets {
                    a["facets"] = json!({ if allow { "allow" } else { "deny" }: list });
                }
                if let Some(s) = systems {
                    a["sourceSystems"] = json!(s);
                }
                if let Some(g) = groups {
                    a["targetGroups"] = json!(g);
                }
                if let Some(r) = raise {
                    a["minimumAge"] = json!(central_age + r);
                }
                a
            },
        )
}

/// A valid policy: built-in central rules (custody enabled or not) and up to eight areas with
/// distinct selectors.
fn policy() -> impl Strategy<Value = Value> {
    (prop::collection::vec(opening(), 0..3), prop::collection::vec(area(), 0..8), prop::bool::weighted(0.7)).prop_map(|(openings, areas, custody)| {
        let mut seen = BTreeSet::new();
        let areas: Vec<Value> = openings
            .into_iter()
            .chain(areas)
            .filter(|a| seen.insert(a["kle"].to_string()))
            .collect();
        json!({ "central": { "custody": { "enabled": custody, "maxVerificationAge": "P1D", "childAgeLimit": 18,
                  "excludedAreas": CUSTODY_EXCLUDED.map(|k| json!({ "kle": k })) } },
                "municipality": { "code": "0390", "areas": areas } })
    })
}

/// Stands for the subject's CPR until the request is assembled: most records are the subject's own.
const SUBJECT: &str = "SUBJECT";

fn party() -> impl Strategy<Value = Value> {
    prop_oneof![
        20 => Just(json!(SUBJECT)),
        2 => pick(&ADULTS).prop_map(|c| json!(c)),
        1 => pick(&YOUNG).prop_map(|c| json!(c)),
        1 => Just(json!("12345678")),
        1 => Just(Value::Null),
    ]
}

/// How a record is made unreadable (rule 10), if at all: the field and its bad value.
fn corruption() -> impl Strategy<Value = Option<(&'static str, Value)>> {
    prop::option::weighted(
        0.06,
        prop_oneof![
            Just(("date", json!("2021-02-30"))),
            Just(("kle", json!("27.36"))),
            Just(("status", json!("Lukket"))),
        ],
    )
}

fn record() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.6),
        pick(&EMNER),
        party(),
        prop::collection::vec(prop_oneof![4 => Just(SUBJECT), 1 => pick(&ADULTS)], 0..4),
        (
            0u32..2800,
            pick(&["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"]),
            prop::option::of(pick(&FACETS)),
        ),
        (
            prop::option::of(pick(&SYSTEMS)),
            prop::option::of(pick(&GROUPS)),
            prop_oneof![8 => Just("IKKE_FORTROLIGE_DATA"), 1 => Just("VIP_SAGER"), 4 => Just("FORTROLIGE_PERSONOPLYSNINGER")],
        ),
        (
            any::<bool>(),
            prop::bool::weighted(0.15),
            prop::bool::weighted(0.05),
            prop_oneof![3 => Just(Some(true)), 2 => Just(Some(false)), 1 => Just(None)],
        ),
        (
            prop::collection::vec((prop::option::of(0u32..2800), prop::bool::weighted(0.2)), 0..4),
            prop::collection::vec((0u32..2800, -100_000i64..10_000_000), 0..3),
        ),
        (prop::option::weighted(0.5, 0usize..8), corruption()),
    )
        .prop_map(
            |(
                is_case,
                kle,
                party,
                owners,
                (created, status, facet),
                (system, group, sensitivity),
                (released, hoi, excluded, economic),
                (docs, payments),
                (case_ref, corrupt),
            )| {
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
                for (k, v) in [
                    ("sourceSystem", json!(system)),
                    ("sensitivity", json!(sensitivity)),
                    ("releasedToMinor", json!(released)),
                    ("excludedFromCitizen", json!(excluded)),
                    ("caseworker", json!(MARK)),
                    ("description", json!(MARK)),
                    ("caseNumber", json!(MARK)),
                    ("extra", json!({ "nested": MARK })),
                ] {
                    r[k] = v;
                }
                if let Some((field, bad)) = corrupt {
                    let field = match field {
                        "date" if is_case => "createdDate",
                        "date" | "status" if !is_case => "startDate",
                        f => f,
                    };
                    r[field] = bad;
                    r["CORRUPTED"] = json!(field);
                }
                r
            },
        )
}

/// A person as the request names them: a CPR and sometimes a `birthDate` that overrides it.
fn person(cprs: impl Strategy<Value = &'static str>) -> impl Strategy<Value = Value> {
    (cprs, prop::option::weighted(0.1, pick(&BIRTH_DATES))).prop_map(|(cpr, birth)| match birth {
        Some(b) => json!({ "cpr": cpr, "birthDate": b }),
        None => json!({ "cpr": cpr }),
    })
}

/// A viewer of their own overview: adults, and often young people (rule 6).
fn own_viewer() -> impl Strategy<Value = Value> {
    person(prop_oneof![
        3 => pick(&ADULTS),
        6 => pick(&YOUNG),
        1 => pick(&UNKNOWN_AGE),
    ])
}

/// Days before asOf custody was verified (none: never), and relations: (to the subject rather than
/// another child, type, days since validFrom, days until validTo).
type Custody = (Option<i64>, Vec<(bool, &'static str, u32, Option<i64>)>);

/// Custody facts relative to asOf: verified 0–3 days before (P1D is the limit), 1 day after, or not
/// at all; relations of every type, to the subject or another child, started up to ~16 years
/// before asOf, some ended.
fn custody() -> impl Strategy<Value = Option<Custody>> {
    prop::option::weighted(
        0.9,
        (
            prop_oneof![12 => (0i64..2).prop_map(Some), 4 => (2i64..4).prop_map(Some), 1 => Just(Some(-1)), 1 => Just(None)],
            prop::collection::vec(
                (
                    prop::bool::weighted(0.85),
                    pick(&["0003", "0004", "0005", "0006", "0001", "0002"]),
                    0u32..6000,
                    prop::option::weighted(0.2, -400i64..400),
                ),
                1..3,
            ),
        ),
    )
}

/// A request of one of two shapes: the viewer's own overview, or a parent viewing a child's.
fn request() -> impl Strategy<Value = Value> {
    prop_oneof![3 => own_request(), 2 => custody_request()]
}

fn own_request() -> impl Strategy<Value = Value> {
    (
        1000u32..2900,
        own_viewer(),
        prop::collection::vec(record(), 0..12),
    )
        .prop_map(|(as_of, viewer, records)| assemble(as_of, viewer, None, None, records))
}

fn custody_request() -> impl Strategy<Value = Value> {
    (
        1000u32..2900,
        person(pick(&ADULTS)),
        person(prop_oneof![6 => pick(&YOUNG), 1 => pick(&UNKNOWN_AGE), 1 => Just(ADULTS[1])]),
        custody(),
        prop::collection::vec(record(), 0..12),
    )
        .prop_map(|(as_of, viewer, subject, custody, records)| {
            // A parent never views their own overview this way.
            let subject = if subject["cpr"] == viewer["cpr"] {
                json!({ "cpr": YOUNG[0] })
            } else {
                subject
            };
            assemble(as_of, viewer, Some(subject), custody, records)
        })
}

fn assemble(
    as_of: u32,
    viewer: Value,
    subject: Option<Value>,
    custody: Option<Custody>,
    records: Vec<Value>,
) -> Value {
    let who = subject.as_ref().unwrap_or(&viewer)["cpr"].clone();
    let records: Vec<Value> = records
        .into_iter()
        .enumerate()
        .map(|(i, mut r)| {
            r["id"] = json!(format!("R-{i}"));
            for key in ["primaryParty", "recipient"] {
                if r[key] == json!(SUBJECT) {
                    r[key] = who.clone();
                }
            }
            if let Some(owners) = r["propertyOwners"].as_array_mut() {
                for o in owners.iter_mut().filter(|o| **o == json!(SUBJECT)) {
                    *o = who.clone();
                }
            }
            r
        })
        .collect();
    let mut req = json!({ "asOf": date(as_of), "viewer": viewer, "records": records });
    if let Some(s) = subject {
        req["subject"] = s;
    }
    if let Some((verified_ago, relations)) = custody {
        let rel_day = |ago: i64| (day(as_of) - chrono::Duration::days(ago)).to_string();
        let relations: Vec<Value> = relations
            .into_iter()
            .map(|(to_subject, kind, from_ago, until)| {
                let child = if to_subject { who.clone() } else { json!(YOUNG[2]) };
                let to = until.map(|u| rel_day(-u));
                json!({ "childCpr": child, "type": kind, "validFrom": rel_day(i64::from(from_ago)), "validTo": to })
            })
            .collect();
        req["custody"] = json!({ "relations": relations });
        if let Some(ago) = verified_ago {
            req["custody"]["verifiedAt"] = json!(rel_day(ago));
        }
    }
    req
}

/// Builds the engine; a generated policy is valid by construction, so a refusal is a failure.
fn engine(policy: &Value) -> Result<Engine, TestCaseError> {
    Policy::from_value(policy)
        .and_then(Engine::new)
        .map_err(|e| {
            TestCaseError::fail(format!(
                "generated policy refused: {:?}\n{policy}",
                e.problems
            ))
        })
}

fn evaluate(engine: &Engine, request: &Value) -> Overview {
    let without_marks = strip_marks(request);
    engine.evaluate(&Request::from_value(&without_marks).expect("generated requests are valid"))
}

/// The request without the test's own bookkeeping field (it would be ignored anyway).
fn strip_marks(request: &Value) -> Value {
    let mut r = request.clone();
    for rec in r["records"].as_array_mut().into_iter().flatten() {
        if let Some(o) = rec.as_object_mut() {
            o.remove("CORRUPTED");
        }
    }
    r
}

// ---------------------------------------------------------------------------------------------
// An independent reading of the inputs, straight from SPEC.md.

fn digits(v: &Value) -> Option<String> {
    v.as_str()
        .map(|s| s.replace('-', ""))
        .filter(|s| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// Birth date from a CPR number (SPEC rule 6: DDMMYY and the 7th digit give the century).
fn cpr_birth(cpr: &str) -> Option<NaiveDate> {
    let d: Vec<u32> = cpr
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    let (dd, mm, yy, c7) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5], d[6]);
    let century = match c7 {
        0..=3 => 1900,
        4 | 9 if yy <= 36 => 2000,
        4 | 9 => 1900,
        _ if yy <= 57 => 2000,
        _ => 1800,
    };
    NaiveDate::from_ymd_opt(century + yy as i32, mm, dd)
}

fn birth(person: &Value) -> Option<NaiveDate> {
    match person["birthDate"].as_str() {
        Some(b) => b.parse().ok(),
        None => cpr_birth(person["cpr"].as_str()?),
    }
}

/// Whole years on `on`; unknown for a person born after it.
fn age(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if birth > on {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The day a person turns `years` (29 February: 1 March in non-leap years).
fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    let y = birth.year() + years as i32;
    NaiveDate::from_ymd_opt(y, birth.month(), birth.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 3, 1).expect("1 March exists"))
}

fn text_date(v: &Value) -> NaiveDate {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .expect("a generated date")
}

/// The CPR numbers that may see a record (rule 1).
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

fn covers(selector: &str, kle: &str) -> bool {
    kle == selector
        || kle
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The most specific municipality entry matching `kle`: the settings of rules 3–6 and 9.
fn settings<'a>(policy: &'a Value, kle: &str) -> Option<&'a Value> {
    policy["municipality"]["areas"]
        .as_array()?
        .iter()
        .filter(|a| a["kle"].as_str().is_some_and(|s| covers(s, kle)))
        .max_by_key(|a| a["kle"].as_str().map_or(0, str::len))
}

/// The area's minimum age: the built-in central one (18 for 34 and 27.24), raised to the
/// municipality entry's.
fn minimum_age(policy: &Value, kle: &str) -> u32 {
    let central = if covers("34", kle) || covers("27.24", kle) {
        18
    } else {
        15
    };
    let local = settings(policy, kle)
        .and_then(|a| a["minimumAge"].as_u64())
        .unwrap_or(0);
    central.max(local as u32)
}

/// The overview as JSON, as every consumer reads it.
fn out(o: &Overview) -> Value {
    serde_json::from_str(&to_json(o)).expect("the overview is JSON")
}

fn codes(decision: &Value) -> Vec<&str> {
    decision["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["code"].as_str())
        .collect()
}

fn detail<'a>(decision: &'a Value, code: &str) -> Option<&'a Value> {
    decision["reasons"]
        .as_array()?
        .iter()
        .find(|r| r["code"] == code)
        .map(|r| &r["detail"])
}

fn has(decision: &Value, code: &str) -> bool {
    codes(decision).contains(&code)
}

fn is_own(request: &Value) -> bool {
    request.get("subject").is_none()
}

fn corrupted(r: &Value) -> bool {
    r.get("CORRUPTED").is_some()
}

/// Checks `have == want` for one code of one record, with a readable message.
fn expect_code(
    d: &Value,
    code: &str,
    want: bool,
    why: &str,
    rec: &Value,
) -> Result<(), TestCaseError> {
    let have = has(d, code);
    prop_assert_eq!(
        have,
        want,
        "{} on {}: expected {} ({}); reasons {:?}; record {}",
        code,
        d["id"],
        want,
        why,
        codes(d),
        rec
    );
    Ok(())
}

fn records(request: &Value) -> &Vec<Value> {
    request["records"]
        .as_array()
        .expect("generated requests have records")
}

/// The built-in etape areas of SPEC §5: (selector, etape id, mandatoryFrom as a day number,
/// whether the area is limited to the target groups of `ETAPE_2_GROUPS`).
const ETAPE_AREAS: [(&str, &str, u32, bool); 27] = [
    ("32.30.04", "etape-1", DEC_2020, false),
    ("15.17.06", "etape-1", DEC_2020, false),
    ("32.24.04", "etape-1", DEC_2020, false),
    ("32.24.05", "etape-1", DEC_2020, false),
    ("32.24.06", "etape-1", DEC_2020, false),
    ("32.24.07", "etape-1", DEC_2020, false),
    ("32.24.32", "etape-1", DEC_2020, false),
    ("15.17.12", "etape-1", DEC_2020, false),
    ("32.24.08", "etape-1", DEC_2020, false),
    ("32.24.28", "etape-1", DEC_2020, false),
    ("32.24.30", "etape-1", DEC_2020, false),
    ("32.24.12", "etape-1", DEC_2020, false),
    ("32.27.10", "etape-1", DEC_2020, false),
    ("32.21.12", "etape-1", DEC_2020, false),
    ("27.36.04", "etape-2", DEC_2021, false),
    ("27.36.06", "etape-2", DEC_2021, false),
    ("27.36.24", "etape-2", DEC_2021, false),
    ("27.42.08", "etape-2", DEC_2021, false),
    ("27.45.04", "etape-2", DEC_2021, false),
    ("27.60.04", "etape-2", DEC_2021, false),
    ("27.60.08", "etape-2", DEC_2021, false),
    ("27.60.12", "etape-2", DEC_2021, false),
    ("27.60.16", "etape-2", DEC_2021, false),
    ("27.60.20", "etape-2", DEC_2021, false),
    ("27.60.24", "etape-2", DEC_2021, false),
    ("27.60.28", "etape-2", DEC_2021, false),
    ("15", "etape-2", DEC_2021, true),
];
/// The target groups of etape-2's hovedgruppe 15 (SPEC §5).
const ETAPE_2_GROUPS: [&str; 12] = [
    "Dagpengemodtagere",
    "Jobparate kontanthjælpsmodtagere",
    "Aktivitetsparate kontanthjælpsmodtagere",
    "Uddannelsesparate uddannelseshjælpsmodtagere",
    "Aktivitetsparate uddannelseshjælpsmodtagere",
    "Sygedagpenge",
    "Jobafklaringsforløb",
    "Ressourceforløb",
    "Fleksjobvisiterede",
    "Revalidering",
    "Selvforsørgede",
    "Selvforsørgelses-, hjemrejseprogram og introduktionsprogram",
];

/// Rule 2's scope of a record: (reason code, its detail, `decisions[].area`). Mandatory etape areas
/// win (the earliest `mandatoryFrom`, then the most specific area of that etape); otherwise the
/// most specific municipality entry that states `open` decides.
fn scope_of(p: &Value, as_of: NaiveDate, rec: &Value) -> (&'static str, Value, Value) {
    let kle = rec["kle"].as_str().unwrap_or_default();
    let group = (rec["kind"] == "case")
        .then(|| rec["targetGroup"].as_str())
        .flatten();
    let mandatory = ETAPE_AREAS
        .iter()
        .filter(|(sel, _, from, grouped)| {
            covers(sel, kle)
                && day(*from) <= as_of
                && (!grouped || group.is_some_and(|g| ETAPE_2_GROUPS.contains(&g)))
        })
        .min_by_key(|(sel, _, from, _)| (*from, std::cmp::Reverse(sel.len())));
    if let Some((sel, id, _, _)) = mandatory {
        return ("MANDATORY_AREA", json!(id), json!(sel));
    }
    let deciding = p["municipality"]["areas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["kle"].as_str().is_some_and(|s| covers(s, kle)) && a["open"].is_boolean())
        .max_by_key(|a| a["kle"].as_str().map_or(0, str::len));
    match deciding {
        Some(a) if a["open"] == true => ("OPENED_AREA", a["kle"].clone(), a["kle"].clone()),
        _ => ("AREA_NOT_OPEN", Value::Null, Value::Null),
    }
}

/// The case a benefit's `caseId` names: the first case record with that id.
fn linked_case<'a>(recs: &'a [Value], rec: &Value) -> Option<&'a Value> {
    let id = rec["caseId"].as_str()?;
    recs.iter().find(|c| c["id"] == id && c["kind"] == "case")
}

/// The date rules 5 and 6 call "created": a case's `createdDate`; a benefit's case's (a readable
/// case record), else its own `startDate`.
fn created_of(recs: &[Value], rec: &Value) -> NaiveDate {
    match (rec["kind"].as_str(), linked_case(recs, rec)) {
        (Some("case"), _) => text_date(&rec["createdDate"]),
        (_, Some(c)) if !corrupted(c) => text_date(&c["createdDate"]),
        _ => text_date(&rec["startDate"]),
    }
}

/// Rule 5's "active": a case not `Afsluttet`, or a benefit of such a (readable) case; a benefit
/// without a case never is (SPEC §8).
fn active_of(recs: &[Value], rec: &Value) -> bool {
    let case = match rec["kind"].as_str() {
        Some("case") => Some(rec),
        _ => linked_case(recs, rec).filter(|c| !corrupted(c)),
    };
    case.is_some_and(|c| c["status"] != "Afsluttet")
}

/// What the checks met, by name: evidence that a property bites (a rule never exercised is never
/// tested).
type Counts = BTreeMap<&'static str, usize>;

fn count(counts: &mut Counts, what: &'static str, hit: bool) {
    *counts.entry(what).or_default() += usize::from(hit);
}

/// Rules 2–5 re-derived from the generated JSON and compared with the engine's decisions: scope
/// (etape cutoffs included), handlingsfacet allow/deny (a letter selects its category), the
/// source-system and target-group filters, and fradato with active cases before it; each with the
/// detail SPEC §8 names. `counts` records which branches were met.
fn check_area_rules(
    p: &Value,
    r: &Value,
    o: &Value,
    counts: &mut Counts,
) -> Result<(), TestCaseError> {
    let as_of = text_date(&r["asOf"]);
    let recs = records(r);
    for (d, rec) in o["decisions"].as_array().unwrap().iter().zip(recs) {
        if corrupted(rec) {
            continue;
        }
        let kle = rec["kle"].as_str().unwrap();
        let is_case = rec["kind"] == "case";

        // Rule 2: exactly one scope reason, its detail, and the deciding selector.
        let (code, want_detail, want_area) = scope_of(p, as_of, rec);
        for c in ["MANDATORY_AREA", "OPENED_AREA", "AREA_NOT_OPEN"] {
            expect_code(d, c, c == code, &format!("scope on {as_of}"), rec)?;
        }
        prop_assert_eq!(
            detail(d, code),
            Some(&want_detail),
            "detail of {} on {}",
            code,
            rec
        );
        prop_assert_eq!(&d["area"], &want_area, "decisions[].area of {}", rec);
        for &(sel, _, from, _) in &ETAPE_AREAS {
            if covers(sel, kle) {
                count(
                    counts,
                    "asOf on an etape's mandatoryFrom",
                    as_of == day(from),
                );
                count(
                    counts,
                    "asOf the day before an etape's mandatoryFrom",
                    as_of + chrono::Days::new(1) == day(from),
                );
            }
        }
        count(
            counts,
            "mandatory by an etape area's target group",
            code == "MANDATORY_AREA" && want_detail == "etape-2" && want_area == "15",
        );
        let settings = settings(p, kle);
        count(
            counts,
            "scope decided by a broader entry than the settings'",
            code != "MANDATORY_AREA"
                && settings.is_some_and(|s| !s["open"].is_boolean())
                && p["municipality"]["areas"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| {
                        a["open"].is_boolean() && a["kle"].as_str().is_some_and(|s| covers(s, kle))
                    }),
        );
        count(
            counts,
            "closed inside an opened area",
            code == "AREA_NOT_OPEN"
                && p["municipality"]["areas"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| {
                        a["open"] == true && a["kle"].as_str().is_some_and(|s| covers(s, kle))
                    }),
        );
        let Some(settings) = settings else {
            for c in [
                "FACET_FILTERED",
                "SOURCE_SYSTEM_FILTERED",
                "TARGET_GROUP_FILTERED",
                "BEFORE_FROM_DATE",
                "ACTIVE_BEFORE_FROM_DATE",
            ] {
                expect_code(d, c, false, "no municipality entry", rec)?;
            }
            continue;
        };

        // Rule 3, cases only: a facet selector of one letter selects that category.
        let facet = rec["facet"].as_str();
        let selects = |list: &Value| {
            list.as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .any(|sel| {
                    facet.is_some_and(|f| {
                        f == sel || (sel.chars().count() == 1 && f.starts_with(sel))
                    })
                })
        };
        let facets = &settings["facets"];
        let facet_filtered = is_case
            && if facets["allow"].is_array() {
                !selects(&facets["allow"])
            } else {
                selects(&facets["deny"])
            };
        expect_code(
            d,
            "FACET_FILTERED",
            facet_filtered,
            &format!("facets {facets}"),
            rec,
        )?;
        if facet_filtered {
            prop_assert_eq!(detail(d, "FACET_FILTERED"), Some(&json!(facet)));
        }
        let one_letter = |list: &Value| {
            list.as_array().into_iter().flatten().any(|s| {
                s.as_str().is_some_and(|s| {
                    s.chars().count() == 1 && facet.is_some_and(|f| f.starts_with(s))
                })
            })
        };
        count(
            counts,
            "facet filtered by an allow list",
            facet_filtered && facets["allow"].is_array(),
        );
        count(
            counts,
            "facet filtered for missing under allow",
            facet_filtered && facet.is_none(),
        );
        count(
            counts,
            "facet passed an allow list by its letter",
            is_case && !facet_filtered && one_letter(&facets["allow"]),
        );
        count(
            counts,
            "facet denied by its letter",
            facet_filtered && one_letter(&facets["deny"]),
        );
        count(
            counts,
            "facet passed a deny list",
            is_case && facets["deny"].is_array() && !facet_filtered,
        );
        count(
            counts,
            "benefit under a facet filter",
            !is_case && facets.is_object(),
        );

        // Rule 4: the source-system filter for both kinds (no system fails it), target groups for cases.
        let system = rec["sourceSystem"].as_str();
        let systems = &settings["sourceSystems"];
        let system_filtered = systems.is_array()
            && !system.is_some_and(|s| systems.as_array().unwrap().contains(&json!(s)));
        expect_code(
            d,
            "SOURCE_SYSTEM_FILTERED",
            system_filtered,
            &format!("systems {systems}"),
            rec,
        )?;
        if system_filtered {
            prop_assert_eq!(detail(d, "SOURCE_SYSTEM_FILTERED"), Some(&json!(system)));
        }
        count(
            counts,
            "source system filtered",
            system_filtered && system.is_some(),
        );
        count(
            counts,
            "source system filtered for missing",
            system_filtered && system.is_none(),
        );
        count(
            counts,
            "source system passed a filter",
            systems.is_array() && !system_filtered,
        );
        count(
            counts,
            "benefit filtered by source system",
            system_filtered && !is_case,
        );
        let group = rec["targetGroup"].as_str();
        let groups = &settings["targetGroups"];
        let group_filtered = is_case
            && groups.is_array()
            && !group.is_some_and(|g| groups.as_array().unwrap().contains(&json!(g)));
        expect_code(
            d,
            "TARGET_GROUP_FILTERED",
            group_filtered,
            &format!("groups {groups}"),
            rec,
        )?;
        if group_filtered {
            prop_assert_eq!(detail(d, "TARGET_GROUP_FILTERED"), Some(&Value::Null));
        }
        count(counts, "target group filtered", group_filtered);
        count(
            counts,
            "target group passed a filter",
            is_case && groups.is_array() && !group_filtered,
        );

        // Rule 5: created before fromDate hides, unless the case (or a benefit's case) is active and
        // the area shows active records before its fromDate.
        let from = settings["fromDate"]
            .as_str()
            .map(|f| f.parse::<NaiveDate>().unwrap());
        let created = created_of(recs, rec);
        let before = from.is_some_and(|f| created < f);
        let active = settings["showActiveBeforeFromDate"] == true && active_of(recs, rec);
        expect_code(
            d,
            "BEFORE_FROM_DATE",
            before && !active,
            &format!("created {created}, fromDate {from:?}"),
            rec,
        )?;
        expect_code(
            d,
            "ACTIVE_BEFORE_FROM_DATE",
            before && active,
            &format!("created {created}, fromDate {from:?}, active {active}"),
            rec,
        )?;
        if before && !active {
            prop_assert_eq!(
                detail(d, "BEFORE_FROM_DATE"),
                Some(&json!(from.map(|f| f.to_string())))
            );
        }
        count(
            counts,
            "record created on its area's fromDate",
            from == Some(created),
        );
        count(
            counts,
            "record created the day before its area's fromDate",
            from == Some(created + chrono::Days::new(1)),
        );
        count(
            counts,
            "benefit dated by its case before fromDate",
            before && !is_case && linked_case(recs, rec).is_some_and(|c| !corrupted(c)),
        );
        count(
            counts,
            "benefit of an active case shown before fromDate",
            before && active && !is_case,
        );
    }
    Ok(())
}

/// Rule 6 for the viewer's own overview re-derived from the generated JSON: minimum age per area
/// (central, raised by the municipality), release to a minor from the reviewed age, history before
/// the access age hidden while under 18, unknown age; with the details SPEC §8 names.
fn check_young(p: &Value, r: &Value, o: &Value, counts: &mut Counts) -> Result<(), TestCaseError> {
    let as_of = text_date(&r["asOf"]);
    let viewer_age = birth(&r["viewer"]).and_then(|b| age(b, as_of).map(|a| (b, a)));
    let recs = records(r);
    for (d, rec) in o["decisions"].as_array().unwrap().iter().zip(recs) {
        if corrupted(rec) {
            continue;
        }
        let Some((born, years)) = viewer_age else {
            expect_code(d, "AGE_UNKNOWN", true, "viewer's age unknown", rec)?;
            for c in [
                "UNDER_MINIMUM_AGE",
                "RELEASED_TO_MINOR",
                "BEFORE_ACCESS_AGE",
            ] {
                expect_code(d, c, false, "viewer's age unknown", rec)?;
            }
            continue;
        };
        expect_code(d, "AGE_UNKNOWN", false, "viewer's age known", rec)?;
        let kle = rec["kle"].as_str().unwrap();
        let minimum = minimum_age(p, kle);
        let released = rec["releasedToMinor"] == true && years >= 13;
        let under = years < minimum;
        expect_code(
            d,
            "UNDER_MINIMUM_AGE",
            under && !released,
            "under the area's minimum age",
            rec,
        )?;
        expect_code(
            d,
            "RELEASED_TO_MINOR",
            under && released,
            "released and at least 13",
            rec,
        )?;
        if under && !released {
            prop_assert_eq!(
                detail(d, "UNDER_MINIMUM_AGE"),
                Some(&json!(minimum.to_string()))
            );
        }
        let created = created_of(recs, rec);
        let access = birthday(born, access_age(minimum, released));
        let hidden_history = years < 18 && created < access;
        expect_code(
            d,
            "BEFORE_ACCESS_AGE",
            hidden_history,
            &format!("created {created}, access {access}"),
            rec,
        )?;
        if hidden_history {
            prop_assert_eq!(
                detail(d, "BEFORE_ACCESS_AGE"),
                Some(&json!(access.to_string()))
            );
        }
        count(
            counts,
            "minor's record created on the access birthday",
            years < 18 && created == access,
        );
        count(
            counts,
            "minor's record created the day before the access birthday",
            years < 18 && created + chrono::Days::new(1) == access,
        );
    }
    Ok(())
}

/// The age from which a record counts as seen (SPEC §8 "Access age").
fn access_age(minimum: u32, released: bool) -> u32 {
    if released {
        minimum.min(13)
    } else {
        minimum
    }
}

// ---------------------------------------------------------------------------------------------
// The properties.

fn cases() -> u32 {
    256
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// The view holds exactly the visible records, only allow-listed fields, and no marker; a
    /// record is visible exactly when it has no hidden-type reason, and its reasons come in rule order.
    #[test]
    fn view_is_minimal_and_matches_the_decisions(p in policy(), r in request()) {
        let e = engine(&p)?;
        let o = out(&evaluate(&e, &r));
        let visible: BTreeSet<&str> = o["decisions"].as_array().unwrap().iter()
            .filter(|d| d["visible"] == true).filter_map(|d| d["id"].as_str()).collect();
        let shown: BTreeSet<&str> = ["cases", "benefits"].iter()
            .flat_map(|k| o["view"][k].as_array().unwrap().iter().filter_map(|c| c["id"].as_str())).collect();
        prop_assert_eq!(visible, shown);
        let view = o["view"].to_string();
        prop_assert!(!view.contains(MARK), "marker leaked: {}", view);
        for d in o["decisions"].as_array().unwrap() {
            let hides = codes(d).iter().any(|c| !NOT_HIDING.contains(c));
            prop_assert_eq!(d["visible"] == true, !hides, "{}", d);
            let ranks: Vec<usize> = codes(d).iter()
                .map(|c| RULE_ORDER.iter().position(|x| x == c).unwrap_or(usize::MAX)).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] < w[1]), "reasons out of rule order: {:?}", codes(d));
        }
    }

    /// Rule 1: `NO_CPR` exactly when the record names no CPR party (a building case: no property
    /// owner), `NOT_PARTY` exactly when it names some but not the subject; nobody else sees it.
    #[test]
    fn party_gate_follows_the_spec(p in policy(), r in request()) {
        let e = engine(&p)?;
        let o = out(&evaluate(&e, &r));
        let subject = digits(&r.get("subject").unwrap_or(&r["viewer"])["cpr"]).unwrap();
        for (d, rec) in o["decisions"].as_array().unwrap().iter().zip(records(&r)) {
            if corrupted(rec) { continue }
            let who = parties(rec);
            expect_code(d, "NO_CPR", who.is_empty(), "no CPR party", rec)?;
            expect_code(d, "NOT_PARTY", !who.is_empty() && !who.contains(&subject), "subject not a party", rec)?;
            if d["visible"] == true {
                prop_assert!(who.contains(&subject), "{} visible to {}: {}", d["id"], subject, rec);
            }
        }
    }

    /// Rule 6 for the viewer's own overview: minimum age per area (central, raised by the
    /// municipality), release to a minor from the reviewed age, history before the access age
    /// hidden while under 18, unknown age; with the details SPEC §8 names.
    #[test]
    fn young_viewer_gates_follow_the_spec(p in policy(), r in own_request()) {
        let e = engine(&p)?;
        check_young(&p, &r, &out(&evaluate(&e, &r)), &mut Counts::new())?;
    }

    /// Rules 2–5 (scope, facets, source-system and target-group filters, fradato) re-derived from
    /// the generated JSON; half the policies date every area so that fradato is often in play.
    #[test]
    fn area_gates_follow_the_spec(p in prop_oneof![policy(), policy().prop_map(with_fradato)], r in request()) {
        let e = engine(&p)?;
        check_area_rules(&p, &r, &out(&evaluate(&e, &r)), &mut Counts::new())?;
    }

    /// Rule 7 for a parent viewing a child: custody disabled, held (a relation of type 0003–0006 to
    /// the subject valid on asOf), fresh (verified at most P1D before asOf), child under 18,
    /// excluded areas; rule 6 does not apply.
    #[test]
    fn custody_gates_follow_the_spec(p in policy(), r in custody_request()) {
        let e = engine(&p)?;
        let o = out(&evaluate(&e, &r));
        let as_of = text_date(&r["asOf"]);
        let subject = digits(&r["subject"]["cpr"]).unwrap();
        let enabled = p["central"]["custody"]["enabled"] == true;
        let held = r["custody"]["relations"].as_array().into_iter().flatten().any(|rel| {
            digits(&rel["childCpr"]).as_ref() == Some(&subject)
                && ["0003", "0004", "0005", "0006"].contains(&rel["type"].as_str().unwrap())
                && text_date(&rel["validFrom"]) <= as_of
                && rel["validTo"].as_str().is_none_or(|to| as_of < to.parse::<NaiveDate>().unwrap())
        });
        let verified = r["custody"]["verifiedAt"].as_str().map(|v| v.parse::<NaiveDate>().unwrap());
        let stale = verified.is_none_or(|v| (as_of - v).num_days() > 1);
        let child_age = birth(&r["subject"]).and_then(|b| age(b, as_of));
        for (d, rec) in o["decisions"].as_array().unwrap().iter().zip(records(&r)) {
            if corrupted(rec) { continue }
            expect_code(d, "CUSTODY_DISABLED", !enabled, "custody enabled?", rec)?;
            expect_code(d, "CUSTODY_NOT_HELD", !held, &format!("custody {}", r["custody"]), rec)?;
            expect_code(d, "CUSTODY_STALE", stale, &format!("verified {verified:?}"), rec)?;
            if stale {
                prop_assert_eq!(detail(d, "CUSTODY_STALE"), Some(&json!(verified.map(|v| v.to_string()))));
            }
            expect_code(d, "CHILD_OF_AGE", child_age.is_some_and(|a| a >= 18), "child 18 or older", rec)?;
            expect_code(d, "AGE_UNKNOWN", child_age.is_none(), "child's age unknown", rec)?;
            let kle = rec["kle"].as_str().unwrap();
            expect_code(d, "CUSTODY_EXCLUDED_AREA", CUSTODY_EXCLUDED.iter().any(|s| covers(s, kle)), "excluded area", rec)?;
            for c in ["UNDER_MINIMUM_AGE", "RELEASED_TO_MINOR", "BEFORE_ACCESS_AGE"] {
                expect_code(d, c, false, "rule 6 is not for custodians", rec)?;
            }
        }
    }

    /// Rules 8–10: sensitivity, display exclusion, a benefit of a hidden case, non-economic
    /// benefits (their area's own setting), and an unreadable record carrying only INVALID_RECORD
    /// with the path of its bad field.
    #[test]
    fn record_gates_follow_the_spec(p in policy(), r in request()) {
        let e = engine(&p)?;
        let o = out(&evaluate(&e, &r));
        let decisions = o["decisions"].as_array().unwrap();
        let recs = records(&r);
        for (i, (d, rec)) in decisions.iter().zip(recs).enumerate() {
            if let Some(field) = rec["CORRUPTED"].as_str() {
                prop_assert_eq!(codes(d), vec!["INVALID_RECORD"]);
                prop_assert_eq!(detail(d, "INVALID_RECORD"), Some(&json!(format!("records[{i}].{field}"))));
                continue;
            }
            expect_code(d, "INVALID_RECORD", false, "a readable record", rec)?;
            expect_code(d, "SENSITIVITY_HIDDEN", rec["sensitivity"] == "VIP_SAGER", "VIP_SAGER", rec)?;
            expect_code(d, "EXCLUDED_FROM_CITIZEN", rec["excludedFromCitizen"] == true, "excluded", rec)?;
            let kle = rec["kle"].as_str().unwrap();
            let is_benefit = rec["kind"] == "benefit";
            // SPEC §8: a caseId naming a hidden case, or a record that could not be read (whatever
            // its kind), hides the benefit.
            let case_hidden = is_benefit && rec["caseId"].as_str().is_some_and(|id| {
                recs.iter().zip(decisions).any(|(c, cd)| {
                    c["id"] == id
                        && ((c["kind"] == "case" && cd["visible"] == false) || c["CORRUPTED"].is_string())
                })
            });
            expect_code(d, "CASE_HIDDEN", case_hidden, "its case is hidden", rec)?;
            let shows_non_economic = settings(&p, kle).is_some_and(|a| a["showNonEconomicBenefits"] == true);
            expect_code(d, "NON_ECONOMIC_BENEFIT", is_benefit && rec["economic"] != true && !shows_non_economic, "non-economic", rec)?;
        }
    }

    /// The summary counts every decision, visible and hidden, and each code once per record.
    #[test]
    fn summary_counts_every_decision(p in policy(), r in request()) {
        let e = engine(&p)?;
        let o = out(&evaluate(&e, &r));
        let decisions = o["decisions"].as_array().unwrap();
        let visible = decisions.iter().filter(|d| d["visible"] == true).count();
        let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
        for d in decisions {
            for c in codes(d).into_iter().collect::<BTreeSet<_>>() {
                *by_reason.entry(c).or_default() += 1;
            }
        }
        let s = &o["summary"];
        prop_assert_eq!(s["records"].as_u64(), Some(records(&r).len() as u64));
        prop_assert_eq!(s["visible"].as_u64(), Some(visible as u64));
        prop_assert_eq!(s["hidden"].as_u64(), Some((decisions.len() - visible) as u64));
        let have: BTreeMap<&str, usize> = s["byReason"].as_object().unwrap().iter()
            .map(|(k, v)| (k.as_str(), v.as_u64().unwrap() as usize)).collect();
        prop_assert_eq!(have, by_reason);
        let keys: Vec<usize> = s["byReason"].as_object().unwrap().keys()
            .map(|k| RULE_ORDER.iter().position(|x| x == k).unwrap_or(usize::MAX)).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "byReason keys out of rule order: {}", s);
    }

    /// Same input, same bytes; the order of records changes nothing but positions.
    #[test]
    fn deterministic_and_independent_of_record_order(p in policy(), r in request(), rotate in 0usize..10) {
        let e = engine(&p)?;
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
        // Paths in INVALID_RECORD details name positions, so compare those without the detail.
        let by_id = |o: &Overview| o.decisions.iter().map(|d| {
            let mut d = d.clone();
            for r in &mut d.reasons {
                if r.code == borgerblik::ReasonCode::InvalidRecord { r.detail = None; r.message = std::borrow::Cow::Borrowed(""); }
            }
            (d.id.clone(), d)
        }).collect::<HashMap<_, _>>();
        prop_assert_eq!(by_id(&a), by_id(&b));
    }

    /// The JSON text entry point gives the same result as the typed one.
    #[test]
    fn json_round_trip_matches_native(p in policy(), r in request()) {
        let e = engine(&p)?;
        let native = to_json(&evaluate(&e, &r));
        let text = e.evaluate_json(&serde_json::to_string(&strip_marks(&r)).unwrap()).unwrap();
        prop_assert_eq!(native, text);
        let policy_text = serde_json::to_string_pretty(&p).unwrap();
        let reread = Engine::from_json(&policy_text).unwrap();
        prop_assert_eq!(reread.fingerprint(), e.fingerprint());
    }
}

// ---------------------------------------------------------------------------------------------
// Cutoffs: the dates where a rule flips, aimed at on purpose (random dates rarely land on them).

/// Moves one cutoff of the input onto (or next to) one of its records: `asOf` onto an etape's
/// `mandatoryFrom` (0), an area's `fromDate` onto a record's created date (1), or a record's
/// created date onto the young viewer's access birthday (2). `delta` is days after the cutoff.
/// The policy stays valid: a fromDate the etape rules forbid is not aimed at.
fn aim(p: &mut Value, r: &mut Value, which: u8, at: usize, delta: i64) {
    let shifted = |d: NaiveDate| d + chrono::Duration::days(delta);
    let n = records(r).len();
    match which {
        0 => {
            let cutoff = if at % 2 == 0 { DEC_2020 } else { DEC_2021 };
            r["asOf"] = json!(shifted(day(cutoff)).to_string());
        }
        1 if n > 0 => {
            let recs = records(r);
            let rec = &recs[at % n];
            let Some(kle) = rec["kle"].as_str().filter(|_| !corrupted(rec)) else {
                return;
            };
            let from = shifted(created_of(recs, rec));
            let Some(a) = p["municipality"]["areas"].as_array_mut().and_then(|areas| {
                let best = areas
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a["kle"].as_str().is_some_and(|s| covers(s, kle)))
                    .max_by_key(|(_, a)| a["kle"].as_str().map_or(0, str::len))?
                    .0;
                areas.get_mut(best)
            }) else {
                return;
            };
            let limit = SELECTORS.iter().find(|s| a["kle"] == s.0).and_then(|s| s.2);
            if limit.is_none_or(|l| from <= day(l)) {
                a["fromDate"] = json!(from.to_string());
            }
        }
        2 if n > 0 && is_own(r) => {
            let as_of = text_date(&r["asOf"]);
            let Some((born, years)) = birth(&r["viewer"]).and_then(|b| Some((b, age(b, as_of)?)))
            else {
                return;
            };
            let recs = records(r);
            let i = at % n;
            let rec = &recs[i];
            let Some(kle) = rec["kle"].as_str().filter(|_| !corrupted(rec)) else {
                return;
            };
            let released = rec["releasedToMinor"] == true && years >= 13;
            let access =
                shifted(birthday(born, access_age(minimum_age(p, kle), released))).to_string();
            // A benefit of a readable case is dated by that case: move the case.
            let (target, field) = match (rec["kind"].as_str(), linked_case(recs, rec)) {
                (Some("case"), _) => (i, "createdDate"),
                (_, Some(c)) if !corrupted(c) => (
                    recs.iter().position(|x| std::ptr::eq(x, c)).unwrap(),
                    "createdDate",
                ),
                _ => (i, "startDate"),
            };
            r["records"][target][field] = json!(access);
        }
        _ => {}
    }
}

/// Rules 2–6 hold on their cutoff days: an etape becomes mandatory on its `mandatoryFrom` (not the
/// day after), a record created on its area's `fromDate` is not before it, a record created on the
/// young viewer's access birthday is not history. Counted: every cutoff, and every branch of the
/// area rules, is met often enough that an off-by-one or a dropped branch fails here.
#[test]
fn rules_hold_on_their_cutoff_days() {
    let counts = RefCell::new(Counts::new());
    let policies = prop_oneof![policy(), policy().prop_map(with_fradato)];
    let aims = (0u8..3, 0usize..64, -1i64..=1);
    // The rarest branch (a deny list hitting a facet by its letter) is met about 20 times in
    // 2,500 cases, so the minimum of 5 fails by chance about once in 50,000 runs.
    run_fresh(
        2500,
        (policies, request(), aims),
        |(mut p, mut r, (which, at, delta))| {
            aim(&mut p, &mut r, which, at, delta);
            let e = engine(&p)?;
            let o = out(&evaluate(&e, &r));
            let mut counts = counts.borrow_mut();
            check_area_rules(&p, &r, &o, &mut counts)?;
            if is_own(&r) {
                check_young(&p, &r, &o, &mut counts)?;
            }
            Ok(())
        },
    );
    let counts = counts.into_inner();
    eprintln!("{counts:#?}");
    let thin: Vec<String> = counts
        .iter()
        .filter(|(_, &n)| n < 5)
        .map(|(what, n)| format!("{what}: {n}, want 5"))
        .collect();
    assert!(
        thin.is_empty(),
        "cutoffs and branches met too rarely in 2,500 cases:\n{}",
        thin.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Tightening: a stricter policy never shows more, and each kind of tightening really bites.

/// The kinds of tightening, by index into `tighten`.
const TIGHTENINGS: [&str; 10] = [
    "close an opened area",
    "a later fromDate",
    "a higher minimumAge",
    "a facet deny filter",
    "a source-system filter",
    "custody disabled",
    "non-economic benefits off",
    "active cases before the fromDate off",
    "a target-group filter",
    "a facet allow filter",
];

/// One tightening of the policy, applied to area `at`; `None` when it does not apply there or would
/// make the policy invalid (the policy stays valid by construction). A later fromDate and a higher
/// minimumAge are aimed at the request (just after a record's date, just above the viewer's age),
/// so that they can bite; they are still tightenings whatever the request.
fn tighten(p: &Value, r: &Value, which: usize, at: usize, shift: u32) -> Option<Value> {
    let mut tight = p.clone();
    if which == 5 {
        if tight["central"]["custody"]["enabled"] != true {
            return None;
        }
        tight["central"]["custody"]["enabled"] = json!(false);
        return Some(tight);
    }
    let a = tight["municipality"]["areas"].as_array_mut()?.get_mut(at)?;
    let selector = a["kle"].as_str()?.to_owned();
    let &(_, closable, from_limit, _) = SELECTORS.iter().find(|s| s.0 == selector)?;
    match which {
        0 if a["open"] == json!(true) && closable => a["open"] = json!(false),
        1 => {
            let from = a["fromDate"]
                .as_str()
                .map_or(day(0), |d| d.parse().unwrap());
            // The day after one of this area's records, picked by `shift`, else `shift` days later.
            let dates: Vec<NaiveDate> = records(r)
                .iter()
                .filter(|rec| {
                    rec["kle"]
                        .as_str()
                        .and_then(|k| settings(p, k))
                        .is_some_and(|s| s["kle"] == selector.as_str())
                })
                .filter_map(|rec| {
                    rec["createdDate"]
                        .as_str()
                        .or(rec["startDate"].as_str())?
                        .parse()
                        .ok()
                })
                .filter(|d| *d >= from)
                .collect();
            let later = match dates.len() {
                0 => from + chrono::Days::new(u64::from(shift)),
                n => dates[shift as usize % n] + chrono::Days::new(1),
            };
            if from_limit.is_some_and(|limit| later > day(limit)) {
                return None;
            }
            a["fromDate"] = json!(later.to_string());
        }
        2 => {
            let now = a["minimumAge"]
                .as_u64()
                .map_or_else(|| minimum_age(p, &selector), |m| m as u32);
            let viewer = is_own(r)
                .then(|| birth(&r["viewer"]).and_then(|b| age(b, text_date(&r["asOf"]))))
                .flatten();
            let higher = match viewer {
                Some(v) if v >= now && shift % 4 != 0 => v + 1 + shift % 2,
                _ => now + 1 + shift % 3,
            };
            a["minimumAge"] = json!(higher);
        }
        3 if a["facets"].get("allow").is_none() => {
            // The facet category of one of this area's cases, picked by `shift`, else K.
            let letters: Vec<String> = records(r)
                .iter()
                .filter(|rec| {
                    rec["kle"]
                        .as_str()
                        .and_then(|k| settings(p, k))
                        .is_some_and(|s| s["kle"] == selector.as_str())
                })
                .filter_map(|rec| rec["facet"].as_str()?.chars().next().map(String::from))
                .collect();
            let letter = letters
                .get(shift as usize % letters.len().max(1))
                .cloned()
                .unwrap_or_else(|| "K".into());
            match a["facets"]["deny"].as_array_mut() {
                Some(deny) if !deny.contains(&json!(letter)) => deny.push(json!(letter)),
                Some(_) => return None,
                None => a["facets"] = json!({ "deny": [letter] }),
            }
        }
        4 if a["sourceSystems"].is_null() => a["sourceSystems"] = json!(["SBSYS"]),
        6 if a["showNonEconomicBenefits"] == true => a["showNonEconomicBenefits"] = json!(false),
        7 if a["showActiveBeforeFromDate"] == true => a["showActiveBeforeFromDate"] = json!(false),
        8 if a["targetGroups"].is_null() => a["targetGroups"] = json!(["Sygedagpenge"]),
        9 if a["facets"].is_null() => a["facets"] = json!({ "allow": ["G01", "K"] }),
        _ => return None,
    }
    Some(tight)
}

/// The policy with a fromDate on every area (the latest the etapes allow, else 2023-06-30),
/// active cases shown before it, and non-economic benefits shown: what the rarer tightenings take away.
fn with_fradato(mut p: Value) -> Value {
    for a in p["municipality"]["areas"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        let limit = SELECTORS.iter().find(|s| a["kle"] == s.0).and_then(|s| s.2);
        if a["fromDate"].is_null() {
            a["fromDate"] = json!(date(limit.unwrap_or(MID_2023)));
        }
        a["showActiveBeforeFromDate"] = json!(true);
        a["showNonEconomicBenefits"] = json!(true);
    }
    p
}

/// Runs `test` on `cases` fresh random inputs (no stored seeds), shrinking a failure as proptest
/// does; for properties that count across cases.
fn run_fresh<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

/// Tightening a setting never makes a hidden record visible, and each kind of tightening hides
/// visible records (counted: decisions that changed) often enough: a kind that never bites would
/// test nothing.
#[test]
fn every_kind_of_tightening_bites() {
    let bites = RefCell::new([0usize; TIGHTENINGS.len()]);
    let tried = RefCell::new([0usize; TIGHTENINGS.len()]);
    // Half the policies date every area and show everything optional, so that the rarer tightenings
    // (fradato, active cases, non-economic benefits) have something to take away.
    let policies = prop_oneof![policy(), policy().prop_map(with_fradato)];
    run_fresh(600, (policies, request(), 1u32..900), |(p, r, shift)| {
        let e = engine(&p)?;
        let before = evaluate(&e, &r);
        let n = p["municipality"]["areas"].as_array().map_or(0, Vec::len);
        for (which, _) in TIGHTENINGS.iter().enumerate() {
            for at in 0..n.max(1) {
                let Some(tight) = tighten(&p, &r, which, at, shift) else {
                    continue;
                };
                let after = evaluate(&engine(&tight)?, &r);
                tried.borrow_mut()[which] += 1;
                for (b, a) in before.decisions.iter().zip(&after.decisions) {
                    prop_assert!(
                        b.visible || !a.visible,
                        "{} (area {}) revealed {}: {:?} -> {:?}",
                        TIGHTENINGS[which],
                        at,
                        b.id,
                        b.reasons,
                        a.reasons
                    );
                    bites.borrow_mut()[which] += usize::from(b.visible && !a.visible);
                }
            }
        }
        Ok(())
    });
    let (bites, tried) = (bites.into_inner(), tried.into_inner());
    let report: Vec<String> = TIGHTENINGS
        .iter()
        .zip(bites.iter().zip(tried))
        .map(|(k, (b, t))| format!("{k}: hid {b} visible records in {t} tries"))
        .collect();
    eprintln!("{}", report.join("\n"));
    for (k, b) in TIGHTENINGS.iter().zip(bites) {
        assert!(
            b >= 5,
            "tightening `{k}` hid only {b} visible records in 600 cases:\n{}",
            report.join("\n")
        );
    }
}

/// The generators reach every reason code and the views that matter often enough for the
/// properties above to mean something (a fixed seed, so the counts are stable).
#[test]
fn coverage() {
    use proptest::strategy::ValueTree;
    const CUSTODY_VIEWS: &str = "custody views with a visible record";
    const MINOR_VIEWS: &str = "minors' own views with a visible record";
    const BUILDING: &str = "visible building cases";
    const DOCUMENTS: &str = "shown document titles";
    const BENEFITS: &str = "visible benefits";
    const RELEASED: &str = "visible records released to a minor";
    const ACTIVE: &str = "visible active cases before the fromDate";
    const N: usize = 1000;
    let mut runner = TestRunner::deterministic();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..N {
        let p = policy().new_tree(&mut runner).unwrap().current();
        let r = request().new_tree(&mut runner).unwrap().current();
        let e = match engine(&p) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        };
        let o = out(&evaluate(&e, &r));
        let decisions = o["decisions"].as_array().unwrap();
        for d in decisions {
            for c in codes(d) {
                *by_code.entry(c.to_owned()).or_default() += 1;
            }
        }
        let any_visible = decisions.iter().any(|d| d["visible"] == true);
        let as_of = text_date(&r["asOf"]);
        let minor = birth(&r["viewer"])
            .and_then(|b| age(b, as_of))
            .is_some_and(|a| a < 18);
        let mut count = |what, n: usize| *counts.entry(what).or_default() += n;
        count(CUSTODY_VIEWS, usize::from(!is_own(&r) && any_visible));
        count(MINOR_VIEWS, usize::from(is_own(&r) && minor && any_visible));
        count(
            BUILDING,
            o["view"]["cases"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["kle"].as_str().is_some_and(|k| k.starts_with("02.")))
                .count(),
        );
        count(
            DOCUMENTS,
            o["view"]["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["documents"].as_array().map_or(0, Vec::len))
                .sum(),
        );
        count(BENEFITS, o["view"]["benefits"].as_array().unwrap().len());
        count(
            RELEASED,
            decisions
                .iter()
                .filter(|d| d["visible"] == true && has(d, "RELEASED_TO_MINOR"))
                .count(),
        );
        count(
            ACTIVE,
            decisions
                .iter()
                .filter(|d| d["visible"] == true && has(d, "ACTIVE_BEFORE_FROM_DATE"))
                .count(),
        );
    }
    let mut short = Vec::new();
    for code in RULE_ORDER.iter().filter(|c| !c.is_empty()) {
        let n = by_code.get(*code).copied().unwrap_or(0);
        if n < 40 {
            short.push(format!("{code}: {n} decisions, want 40"));
        }
    }
    // Minimums at about 60 % of what the fixed seed gives (SPEC-relevant views that were rare).
    for (what, want) in [
        (CUSTODY_VIEWS, 30),
        (MINOR_VIEWS, 40),
        (BUILDING, 20),
        (DOCUMENTS, 50),
        (BENEFITS, 80),
        (RELEASED, 15),
        (ACTIVE, 5),
    ] {
        let n = counts.get(what).copied().unwrap_or(0);
        if n < want {
            short.push(format!("{what}: {n}, want {want}"));
        }
    }
    eprintln!("reason codes: {by_code:?}\nviews: {counts:?}");
    assert!(
        short.is_empty(),
        "generators too thin over {N} cases:\n{}",
        short.join("\n")
    );
}
