//! The importer as a library (IMPORT.md): golden values of the two example documents at the dates of
//! sf1470-mapping §5, and this project's own fixtures (tests/import/README.md) for the time model,
//! namespaces, registrations, parties, documents, payments and money.
#![cfg(feature = "import")]

use borgerblik::import::{import, ImportFile, ImportOptions, Imported, Profile};
use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import/");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap()
}

fn run_with(as_of: &str, files: &[&str], profile: Profile) -> Imported {
    let data: Vec<(String, Vec<u8>)> = files.iter().map(|f| (f.to_string(), read(f))).collect();
    let files: Vec<ImportFile<'_>> = data
        .iter()
        .map(|(name, data)| ImportFile { name, data })
        .collect();
    let options = ImportOptions::new(as_of, "0101900000", None, profile).unwrap();
    import(&files, &options).unwrap()
}

fn run(as_of: &str, files: &[&str]) -> Imported {
    run_with(as_of, files, Profile::default())
}

fn profile() -> Profile {
    Profile::from_json_str(&String::from_utf8(read("profile.json")).unwrap()).unwrap()
}

fn records(i: &Imported) -> Vec<Value> {
    let v: Value = serde_json::from_str(&i.request_json()).unwrap();
    v["records"].as_array().unwrap().clone()
}

fn record<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn doc_ids(case: &Value) -> Vec<String> {
    case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

const EXAMPLE_CASE: &str = "e0000000-0000-4000-8000-000000000001";
const D1: &str = "e0000000-0000-4000-8000-0000000000d1";
const D2: &str = "e0000000-0000-4000-8000-0000000000d2";

#[test]
fn golden_example_at_2021_06_15_is_mapping_section_5() {
    let i = run("2021-06-15", &["example-sag.xml", "example-ydelse.xml"]);
    assert_eq!(i.problems, vec![]);
    let expected = json!({
        "asOf": "2021-06-15", "viewer": { "cpr": "0101900000" },
        "records": [
            { "kind": "case", "id": EXAMPLE_CASE, "kle": "32.30.04", "facet": "G01",
              "title": "Sygedagpenge 2021", "sourceSystem": "Demo Sygedagpengesystem", "provider": "kommune",
              "createdDate": "2021-02-01", "status": "Afgjort", "closedDate": null, "primaryParty": "0101900000",
              "sensitivity": "FOELSOMME_PERSONOPLYSNINGER", "excludedFromCitizen": false,
              "documents": [
                { "id": D1, "title": "Lægeerklæring", "date": "2021-02-17", "excludedFromCitizen": false },
                { "id": D2, "title": "Afgørelse om sygedagpenge", "date": "2021-03-05", "excludedFromCitizen": false } ] },
            { "kind": "benefit", "id": "e0000000-0000-4000-8000-000000000b01:1", "kle": "32.30.04",
              "caseId": EXAMPLE_CASE, "name": "Sygedagpenge", "recipient": "0101900000", "economic": true,
              "startDate": "2021-02-01", "endDate": "2021-06-30", "sourceSystem": "Demo Sygedagpengesystem",
              "provider": "kommune", "sensitivity": "FORTROLIGE_PERSONOPLYSNINGER",
              "payments": [ { "date": "2021-03-31", "grossAmountOre": 1234500 } ] } ] });
    let got: Value = serde_json::from_str(&i.request_json()).unwrap();
    assert_eq!(got, expected);
    // Key order is the contract's order (byte-identical output across CLI and wasm).
    assert!(i.request_json().starts_with(
        r#"{"asOf":"2021-06-15","viewer":{"cpr":"0101900000"},"records":[{"kind":"case","id":"#
    ));
}

#[test]
fn golden_example_at_the_dates_of_the_mapping_table() {
    // asOf, status, title, closedDate, documents (mapping §5's table).
    type Row<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a [&'a str]);
    let rows: [Row<'_>; 4] = [
        (
            "2021-02-10",
            "Opstaaet",
            "Ansøgning om sygedagpenge",
            None,
            &[],
        ),
        (
            "2021-02-18",
            "Opstaaet",
            "Ansøgning om sygedagpenge",
            None,
            &[D1],
        ),
        (
            "2021-03-05",
            "Afgjort",
            "Sygedagpenge 2021",
            None,
            &[D1, D2],
        ),
        (
            "2021-06-30",
            "Afsluttet",
            "Sygedagpenge 2021",
            Some("2021-06-30"),
            &[D1, D2],
        ),
    ];
    for (as_of, status, title, closed, docs) in rows {
        let i = run(as_of, &["example-sag.xml", "example-ydelse.xml"]);
        let r = records(&i);
        let case = record(&r, EXAMPLE_CASE);
        assert_eq!(case["status"], status, "{as_of}");
        assert_eq!(case["title"], title, "{as_of}");
        assert_eq!(case["closedDate"], json!(closed), "{as_of}");
        assert_eq!(doc_ids(case), docs, "{as_of}");
    }
    // The benefit exists from its BevilgetYdelse (5 March); non-economic until its first payment.
    let r = records(&run(
        "2021-02-10",
        &["example-sag.xml", "example-ydelse.xml"],
    ));
    assert_eq!(r.len(), 1);
    let r = records(&run(
        "2021-03-05",
        &["example-sag.xml", "example-ydelse.xml"],
    ));
    assert_eq!(r[1]["economic"], false);
    assert_eq!(r[1]["payments"], json!([]));
}

#[test]
fn soap_envelope_default_namespaces_and_rebound_prefixes() {
    let i = run("2021-06-15", &["fremsoeg-soap.xml"]);
    let r = records(&i);
    // Sag 4 is created after the date: three records, in document order.
    let ids: Vec<&str> = r.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "f1000000-0000-4000-8000-000000000001",
            "f1000000-0000-4000-8000-000000000002",
            "f1000000-0000-4000-8000-000000000003"
        ]
    );
    let case = &r[0];
    // Read through the swapped x/g prefixes: kle, facet, owner, party, documents, system.
    assert_eq!(case["kle"], "32.24.04");
    assert_eq!(case["facet"], "G01");
    assert_eq!(case["provider"], "kommune");
    assert_eq!(case["primaryParty"], "0202920000");
    assert_eq!(case["sourceSystem"], "Demo Ydelsessystem v2");
    assert_eq!(case["sensitivity"], "FORTROLIGE_PERSONOPLYSNINGER");
}

#[test]
fn the_latest_registration_is_by_instant_not_position_or_text() {
    let r = records(&run("2021-06-15", &["fremsoeg-soap.xml"]));
    assert_eq!(r[0]["title"], "Ansøgning om hjælp til forsørgelse");
}

#[test]
fn utc_times_fall_on_the_next_copenhagen_day_in_winter_and_summer() {
    let r = records(&run("2021-06-15", &["fremsoeg-soap.xml"]));
    // OprettetTidspunkt 2020-12-31T23:15Z (winter, +1) is 1 January.
    assert_eq!(r[0]["createdDate"], "2021-01-01");
    // Afsluttet from 2021-05-20T22:30Z (summer, +2) is 21 May.
    assert_eq!(r[0]["closedDate"], "2021-05-21");
    // A Journalpost from 2021-01-15T23:30Z without its Dokument is dated 16 January.
    assert_eq!(r[0]["documents"][0]["date"], "2021-01-16");
    // And the closing at 22:30Z on the 20th is not yet in force at the end of the 20th in Copenhagen
    // (t = 2021-05-20T22:00Z).
    let r = records(&run("2021-05-20", &["fremsoeg-soap.xml"]));
    assert_eq!(r[0]["status"], "Oplyst");
}

#[test]
fn a_reopened_case_is_not_closed_until_a_new_afsluttet_slice_starts() {
    let at = |d: &str| records(&run(d, &["fremsoeg-soap.xml"]))[0].clone();
    let c = at("2021-03-10");
    assert_eq!(
        (c["status"].clone(), c["closedDate"].clone()),
        (json!("Afsluttet"), json!("2021-03-10"))
    );
    let c = at("2021-04-15");
    assert_eq!(
        (c["status"].clone(), c["closedDate"].clone()),
        (json!("Oplyst"), Value::Null)
    );
    let c = at("2021-05-21");
    assert_eq!(
        (c["status"].clone(), c["closedDate"].clone()),
        (json!("Afsluttet"), json!("2021-05-21"))
    );
}

#[test]
fn journalnotat_ended_and_not_yet_started_journalposter_are_not_documents() {
    let d = |n: u8| format!("f1000000-0000-4000-8000-0000000000d{n}");
    let case = |as_of: &str| records(&run(as_of, &["fremsoeg-soap.xml"]))[0].clone();
    // 20 January: d1 is attached (until 1 February), d3 is in force.
    assert_eq!(doc_ids(&case("2021-01-20")), [d(1), d(3)]);
    // 15 June: d1 has ended, d2 has not started, the note and the unknown role are never documents.
    let c = case("2021-06-15");
    assert_eq!(doc_ids(&c), [d(3), d(4)]);
    // 2 July: d2 has started.
    assert_eq!(doc_ids(&case("2021-07-02")), [d(2), d(3), d(4)]); // Journalpost order
                                                                  // Titles: the Journalpost's own, else the Dokument's; the Dokument's BrevDato; Visningsklasse text.
    assert_eq!(c["documents"][0]["title"], "Kvittering for ansøgning");
    assert_eq!(c["documents"][1]["title"], "Partshøring");
    assert_eq!(c["documents"][1]["date"], "2021-02-01");
    assert_eq!(c["documents"][1]["excludedFromCitizen"], true);
    assert_eq!(c["documents"][0]["excludedFromCitizen"], false);
    // A document missing from the input has no Dokument title: the ended d1 on 20 January.
    let c = case("2021-01-20");
    assert_eq!(c["documents"][0]["title"], Value::Null);
    assert_eq!(c["documents"][0]["date"], "2021-01-05");
}

#[test]
fn only_fields_the_engine_reads_leave_the_importer() {
    let i = run_with(
        "2021-06-15",
        &[
            "fremsoeg-soap.xml",
            "example-sag.xml",
            "ydelse-split.xml",
            "ydelse-payments.xml",
        ],
        profile(),
    );
    let out = i.request_json();
    for never in [
        "Telefonnotat",
        "SGVtbWVsaWc",
        "Hemmelig",
        "Fritekst",
        "Sagsbehandler Navnesen",
        "Bjarne Hansen",
        "2021-123",
        "Testa Testesen",
        "Ansøgning om sygedagpenge efter",
        "caseNumber",
        "description",
        "caseworker",
    ] {
        assert!(!out.contains(never), "{never} leaked into the request");
    }
    // Problems never carry a CPR number.
    let problems = serde_json::to_string(&i.problems).unwrap();
    for cpr in ["0101900000", "0202920000", "0303930000"] {
        assert!(!problems.contains(cpr), "a problem quotes a CPR number");
    }
}

#[test]
fn non_cpr_and_ambiguous_parties_give_no_cpr_with_a_problem() {
    let i = run("2021-06-15", &["fremsoeg-soap.xml"]);
    let r = records(&i);
    assert_eq!(r[1]["primaryParty"], Value::Null); // urn:oio:cvr-nr:…
    assert_eq!(r[2]["primaryParty"], Value::Null); // two CPR numbers at once
    let messages: Vec<&str> = i.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages.iter().any(|m| m
        .starts_with("f1000000-0000-4000-8000-000000000002: the Primær part is not a CPR number")));
    assert!(messages
        .iter()
        .any(|m| m
            .starts_with("f1000000-0000-4000-8000-000000000003: 2 different Primær part values")));
    let p = i
        .problems
        .iter()
        .find(|p| p.message.contains("2 different"))
        .unwrap();
    assert_eq!(p.file, "fremsoeg-soap.xml");
    assert!(p.path.ends_with("/sdi:FremsoegSagDokumentIndeksOutput/sdi:SagFiltreretOejebliksbillede[3]/sag:Registrering/sag:RelationListe/sag:Sagspart[2]"), "{}", p.path);
}

#[test]
fn a_case_created_after_the_date_gives_no_record() {
    let i = run("2021-06-15", &["fremsoeg-soap.xml"]);
    assert!(i.problems.iter().any(|p| p
        .message
        .starts_with("f1000000-0000-4000-8000-000000000004: the case is created after")));
    let r = records(&run("2021-07-01", &["fremsoeg-soap.xml"]));
    assert_eq!(r.len(), 4);
    // Also when the slice holding its OprettetTidspunkt has not started yet (from 1 June).
    let i = run("2021-04-15", &["fremsoeg-soap.xml"]);
    assert!(records(&i)
        .iter()
        .all(|r| r["id"] != "f1000000-0000-4000-8000-000000000004"));
    assert!(i.problems.iter().any(|p| p
        .message
        .starts_with("f1000000-0000-4000-8000-000000000004: the case is created after")));
}

#[test]
fn the_profile_supplies_visningsklasse_roles_it_system_names_and_udk() {
    let without = records(&run(
        "2021-06-15",
        &["fremsoeg-soap.xml", "ydelse-split.xml"],
    ));
    let with = records(&run_with(
        "2021-06-15",
        &["fremsoeg-soap.xml", "ydelse-split.xml"],
        profile(),
    ));
    let sag2 = "f1000000-0000-4000-8000-000000000002";
    assert_eq!(record(&without, sag2)["excludedFromCitizen"], false);
    assert_eq!(record(&with, sag2)["excludedFromCitizen"], true);
    let sag1 = "f1000000-0000-4000-8000-000000000001";
    assert_eq!(record(&with, sag1)["sourceSystem"], "Demo Ydelsessystem");
    let b2 = "f1000000-0000-4000-8000-000000000b02:1";
    assert_eq!(record(&without, b2)["provider"], "kommune");
    assert_eq!(record(&with, b2)["provider"], "UDK");
    // With a classes list, only those classes under the role exclude.
    let only_other = Profile::from_json_str(
        r#"{ "visningsklasse": { "roles": ["f1000000-0000-4000-8000-00000000715a"], "classes": ["f1000000-0000-4000-8000-0000000071ff"] } }"#,
    )
    .unwrap();
    let r = records(&run_with("2021-06-15", &["fremsoeg-soap.xml"], only_other));
    assert_eq!(record(&r, sag2)["excludedFromCitizen"], false);
}

#[test]
fn property_owners_come_from_the_profile_only() {
    let r = records(&run("2021-06-15", &["example-sag.xml"]));
    assert!(r[0].get("propertyOwners").is_none());
    let p = Profile::from_json_str(
        r#"{ "propertyOwners": { "urn:oio:ejendom:bfe-nr:1": ["0101900000"] } }"#,
    )
    .unwrap();
    let r = records(&run_with("2021-06-15", &["example-sag.xml"], p));
    assert_eq!(r[0]["propertyOwners"], json!([]));
}

#[test]
fn two_bevilget_ydelser_share_a_bevilling_and_payments_split_between_them() {
    let i = run("2021-06-15", &["ydelse-split.xml", "ydelse-payments.xml"]);
    let r = records(&i);
    let a1 = record(&r, "f1000000-0000-4000-8000-000000000b01:A1");
    let a2 = record(&r, "f1000000-0000-4000-8000-000000000b01:A2");
    // One decimal, a negative total (no Ydelsesbeloeb, upper-case UUID), a future whole-kroner payment;
    // "a1" matches nothing (Ids compare exactly).
    assert_eq!(
        a1["payments"],
        json!([
            { "date": "2021-04-01", "grossAmountOre": 100050 },
            { "date": "2021-04-30", "grossAmountOre": -10000 },
            { "date": "2021-12-01", "grossAmountOre": 700 } ])
    );
    // Two decimals kept; three decimals (12.345) left out with a problem.
    assert_eq!(
        a2["payments"],
        json!([{ "date": "2021-04-01", "grossAmountOre": 25025 }])
    );
    let p = i
        .problems
        .iter()
        .find(|p| p.message.contains("more than two decimals"))
        .unwrap();
    assert!(p
        .message
        .starts_with("f1000000-0000-4000-8000-000000000e02: "));
    assert!(p.path.ends_with("/yi:OekonomiskEffektueringFiltreretOejebliksbillede[2]/oef:Registrering/oef:RelationListe/oef:OekonomiskYdelseEffektueringRelation[2]/oef:Ydelsesbeloeb"), "{}", p.path);
    assert_eq!(p.file, "ydelse-payments.xml");
    // Names, dates, the slice in force of a repeated Id, the case link, the fallback recipient.
    assert_eq!(a1["name"], "Hjælp til forsørgelse");
    assert_eq!(a2["name"], "Særlig støtte");
    assert_eq!(a1["startDate"], "2021-03-01"); // 2021-02-28T23:00Z
    assert_eq!(a2["endDate"], "2021-11-01"); // 2021-10-31T23:30Z, winter time again
    assert_eq!(a1["caseId"], "f1000000-0000-4000-8000-000000000001");
    assert_eq!(a1["recipient"], "0202920000"); // only a Bevillingsmodtager
    assert_eq!(a1["economic"], true);
    assert_eq!(a2["economic"], true);
    // A non-CPR Ydelsesmodtager blocks the Bevillingsmodtager fallback; a plan makes it economic.
    let b2 = record(&r, "f1000000-0000-4000-8000-000000000b02:1");
    assert_eq!(b2["recipient"], Value::Null);
    assert_eq!(b2["economic"], true);
    assert_eq!(b2["payments"], json!([]));
}

#[test]
fn payments_join_across_files_and_without_them_the_benefit_is_non_economic() {
    let r = records(&run("2021-06-15", &["ydelse-split.xml"]));
    let a1 = record(&r, "f1000000-0000-4000-8000-000000000b01:A1");
    assert_eq!(a1["economic"], false);
    assert_eq!(a1["payments"], json!([]));
    // Before A1's current slice (from 1 March), its earlier slice is in force.
    let r = records(&run("2021-02-15", &["ydelse-split.xml"]));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["name"], "Gammelt navn");
    assert_eq!(r[0]["startDate"], "2021-01-01");
    // File order gives record order; the payments file may come first.
    let r = records(&run(
        "2021-06-15",
        &["ydelse-payments.xml", "ydelse-split.xml", "example-sag.xml"],
    ));
    assert_eq!(r[0]["id"], "f1000000-0000-4000-8000-000000000b01:A1");
    assert_eq!(r[0]["payments"].as_array().unwrap().len(), 3);
    assert_eq!(r[3]["kind"], "case");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let files = [
        "fremsoeg-soap.xml",
        "ydelse-split.xml",
        "ydelse-payments.xml",
    ];
    let a = run_with("2021-06-15", &files, profile());
    let b = run_with("2021-06-15", &files, profile());
    assert_eq!(a.request_json(), b.request_json());
    assert_eq!(a.problems, b.problems);
}

#[test]
fn options_are_checked_without_quoting_a_cpr() {
    let e = ImportOptions::new("2021-6-15", "12345", Some("0101900000"), Profile::default())
        .unwrap_err();
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].path, "asOf");
    assert_eq!(e[1].path, "viewer");
    assert!(!e[1].message.contains("12345"));
}
