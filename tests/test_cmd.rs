//! `borgerblik test`, run as a process the way a municipality or a vendor runs it: the project's own
//! suite, a wrong expectation, snapshots written and compared after a settings change, JUnit and JSON
//! output, and exit 2 for every kind of unreadable input.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borgerblik"))
        .arg("test")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().to_owned()
}

const MUNICIPALITY: &str = r#"{ "code": "0390", "name": "Vordingborg Kommune", "areas": [
  { "kle": "27.36", "open": true } ] }"#;

const CITIZEN: &str = r#"{ "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [
  { "kind": "case", "id": "S-1", "kle": "27.36.08", "createdDate": "2022-02-01", "status": "Oplyst",
    "primaryParty": "0101801234", "documents": [ { "title": "Bevilling", "date": "2022-02-03" } ] },
  { "kind": "case", "id": "S-2", "kle": "27.24.03", "createdDate": "2021-02-01", "status": "Oplyst",
    "primaryParty": "0101801234" } ] }"#;

/// A scenario without a policy, its request in `citizen.json` beside it.
const PINNED: &str = r#"{ "note": "S-1 in the opened 27.36; S-2 outside it.", "requestFile": "citizen.json",
  "expect": { "visible": ["S-1"],
              "reasons": { "S-1": ["OPENED_AREA", "DOCUMENTS_NOT_SHOWN"], "S-2": ["AREA_NOT_OPEN"] } } }"#;

fn with_policy(expect: &str) -> String {
    format!(
        r#"{{ "note": "n", "municipality": {MUNICIPALITY}, "request": {CITIZEN}, "expect": {expect} }}"#
    )
}

fn scenario_count() -> usize {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".json") && !n.ends_with(".overview.json")
        })
        .count()
}

#[test]
fn the_projects_own_suite_passes_with_every_snapshot_matched() {
    let o = run(&["tests/scenarios"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let n = scenario_count();
    assert!(n >= 129, "{n}");
    assert_eq!(stdout(&o), format!("{n} passed, 0 failed\n"));
}

#[test]
fn a_wrong_expectation_fails_naming_the_file_and_every_mismatch() {
    let d = Dir::new("wrong");
    d.file("a-right.json", &with_policy(r#"{ "visible": ["S-1"] }"#));
    let wrong = d.file(
        "b-wrong.json",
        &with_policy(
            r#"{ "visible": ["S-1", "S-2"],
                 "reasons": { "S-1": ["DOCUMENTS_NOT_SHOWN", "OPENED_AREA"] },
                 "summary": { "hidden": 0 } }"#,
        ),
    );
    let o = run(&[&d.path()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("FAIL {wrong}\n")), "{out}");
    assert!(!out.contains("a-right"), "{out}");
    for m in [
        r#"  visible: expected ["S-1", "S-2"], got ["S-1"]"#,
        r#"  reasons.S-1: expected ["DOCUMENTS_NOT_SHOWN", "OPENED_AREA"], got ["OPENED_AREA", "DOCUMENTS_NOT_SHOWN"]"#,
        "  summary.hidden: expected 0, got 1",
    ] {
        assert!(out.contains(m), "missing {m:?} in\n{out}");
    }
    assert_eq!(last_line(&o), "1 passed, 1 failed");
}

#[test]
fn update_then_a_settings_change_shows_a_per_record_diff_and_update_again_passes() {
    let d = Dir::new("snapshot");
    let m = d.file("pins/m.json", MUNICIPALITY);
    d.file("pins/citizen.json", CITIZEN);
    let scenario = d.file("pins/citizen-7.json", PINNED);
    let snapshot = d.0.join("pins/citizen-7.overview.json");

    // The municipality file and the request file in the folder are not scenarios.
    let o = run(&["--municipality", &m, &d.path()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("1 scenario has no snapshot; --update writes it"));
    assert_eq!(last_line(&o), "1 passed, 0 failed");
    assert!(!snapshot.exists(), "written without --update");

    let o = run(&["--municipality", &m, "--update", &d.path()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(&format!("wrote {}", snapshot.display())));
    let text = std::fs::read_to_string(&snapshot).unwrap();
    assert!(
        text.contains("\n  \"overview\": {\n"),
        "not pretty:\n{text}"
    );
    assert!(text.contains(r#""policyFingerprint": "[fingerprint]""#));
    assert!(!text.contains("sha256:"));

    // Show documents in 27.36: the expectation (visible ids) still holds; the snapshot does not.
    d.file(
        "pins/m.json",
        r#"{ "code": "0390", "name": "Vordingborg Kommune", "areas": [
           { "kle": "27.36", "open": true, "showDocuments": true } ] }"#,
    );
    let o = run(&["--municipality", &m, &d.path()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("FAIL {scenario}\n")), "{out}");
    assert!(out.contains("reasons.S-1: expected"), "{out}");
    for line in [
        "  snapshot citizen-7.overview.json differs:",
        "    S-1: reason DOCUMENTS_NOT_SHOWN removed",
        r#"    view: case S-1 documents: [] → [{"title":"Bevilling","date":"2022-02-03"}]"#,
        "    summary: DOCUMENTS_NOT_SHOWN 1 → 0",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert_eq!(last_line(&o), "0 passed, 1 failed");

    // Accept the new outcome: pin it again and fix the expectation.
    d.file(
        "pins/citizen-7.json",
        &PINNED.replace(
            r#"["OPENED_AREA", "DOCUMENTS_NOT_SHOWN"]"#,
            r#"["OPENED_AREA"]"#,
        ),
    );
    let o = run(&["--municipality", &m, "--update", &d.path()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(&["--municipality", &m, &d.path()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "1 passed, 0 failed\n");
}

#[test]
fn junit_output_is_valid_xml_with_one_testcase_per_scenario() {
    let d = Dir::new("junit");
    d.file("x/a.json", &with_policy(r#"{ "visible": ["S-1"] }"#));
    d.file("x/b.json", &with_policy(r#"{ "visible": [] }"#));
    let report = d.0.join("report.xml");
    let o = run(&["--junit", &report.to_string_lossy(), &d.path()]);
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        cases
            .iter()
            .map(|c| c.attribute("name").unwrap())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(cases[0].children().all(|n| !n.has_tag_name("failure")));
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some(r#"visible: expected [], got ["S-1"]"#)
    );
    assert!(failure
        .text()
        .unwrap()
        .contains("visible: expected [], got"));
}

#[test]
fn json_output_lists_every_scenario_in_sorted_order_through_subfolders_skipping_hidden_ones() {
    let d = Dir::new("json");
    d.file("b.json", &with_policy(r#"{ "visible": ["S-1"] }"#));
    d.file("a/z.json", &with_policy(r#"{ "visible": ["S-1"] }"#));
    d.file("a/y.json", &with_policy(r#"{ "visible": ["S-2"] }"#));
    // Hidden folders and node_modules are never walked.
    d.file(".git/x.json", &with_policy(r#"{ "visible": [] }"#));
    d.file("node_modules/pkg/x.json", "{ not json");
    let o = run(&["--json", &d.path()]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passed"], 2);
    assert_eq!(v["failed"], 1);
    let names: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["y", "z", "b"]);
    assert_eq!(v["scenarios"][0]["passed"], false);
    assert_eq!(
        v["scenarios"][0]["mismatches"][0],
        r#"visible: expected ["S-2"], got ["S-1"]"#
    );
    assert_eq!(v["scenarios"][1]["snapshot"]["state"], "missing");
}

/// Exit 2, the file and the JSON path on stderr, nothing run.
fn refused(args: &[&str], want: &str) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains(want),
        "missing {want:?} in\n{}",
        stderr(&o)
    );
}

#[test]
fn unreadable_scenarios_and_policies_exit_2_naming_file_and_path() {
    let d = Dir::new("unreadable");
    let m = d.file("m.json", MUNICIPALITY);
    let bad = d.file("bad/s.json", "{ \"note\": ");
    refused(&[&bad], &format!("error: {bad}: not valid JSON"));
    let typo = d.file("typo/s.json", &with_policy(r#"{ "visble": [] }"#));
    refused(
        &[&typo],
        &format!("error: {typo}: expect.visble: unknown field"),
    );
    let code = d.file(
        "code/s.json",
        &with_policy(r#"{ "visible": [], "reasons": { "S-1": ["OPENED"] } }"#),
    );
    refused(
        &[&code],
        &format!("error: {code}: expect.reasons.S-1[0]: \"OPENED\" is not one of"),
    );
    let both = d.file(
        "both/s.json",
        &with_policy(r#"{ "visible": [] }"#)
            .replace("\"request\"", "\"requestFile\": \"c.json\", \"request\""),
    );
    refused(
        &[&both],
        &format!("error: {both}: give `request` or `requestFile`, not both"),
    );
    let no_policy = d.file("nopolicy/s.json", PINNED);
    d.file("nopolicy/citizen.json", CITIZEN);
    refused(&[&no_policy], &format!("error: {no_policy}: no policy"));
    let lost = d.file("lost/s.json", PINNED);
    refused(
        &["--municipality", &m, &lost],
        "requestFile \"citizen.json\": cannot read",
    );
    let not_scenario = d.file("plain/citizen.json", CITIZEN);
    refused(
        &[&not_scenario],
        &format!("error: {not_scenario}: expect: missing"),
    );
    let bad_m = d.file(
        "bad-m.json",
        r#"{ "areas": [ { "kle": "27.36", "open": "ja" } ] }"#,
    );
    refused(
        &["--municipality", &bad_m, &no_policy],
        &format!("error: {bad_m}: municipality.areas[0].open"),
    );
    refused(&[&d.0.join("missing").to_string_lossy()], "cannot read");
}

/// A key twice in a scenario's own top level or in `expect` refuses the file (exit 2, the file and
/// the path of every repeat), as in a policy or request: otherwise the last `visible` would be the pin,
/// silently. A key twice inside the inline policy or request is the engine's refusal instead, an
/// outcome the scenario can expect.
#[test]
fn duplicate_keys_in_a_scenario_exit_2_naming_file_and_path() {
    let d = Dir::new("duplicates");
    let top = d.file(
        "top/s.json",
        &with_policy(r#"{ "visible": ["S-1"] }"#)
            .replace(r#""note": "n","#, r#""note": "n", "note": "m","#),
    );
    refused(
        &[&top],
        &format!("error: {top}: note: the key \"note\" appears more than once in this object"),
    );
    // The second `visible` would have passed (S-1 is visible), the first fails: neither is picked.
    let expect = d.file(
        "expect/s.json",
        &with_policy(r#"{ "visible": [], "visible": ["S-1"], "reasons": { "S-2": ["AREA_NOT_OPEN"], "S-2": [] } }"#),
    );
    let o = run(&[&expect]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "");
    for path in ["expect.visible", "expect.reasons.S-2"] {
        assert!(
            stderr(&o).contains(&format!("error: {expect}: {path}: the key")),
            "missing {path} in\n{}",
            stderr(&o)
        );
    }
    let twice = d.file(
        "twice/s.json",
        &format!(r#"{{ "expect": {{ "visible": ["S-1"] }}, "municipality": {MUNICIPALITY}, "request": {CITIZEN}, "expect": {{ "visible": [] }} }}"#),
    );
    refused(
        &[&twice],
        &format!("error: {twice}: expect: the key \"expect\""),
    );
    // Inside the inline policy and request: the engine's refusal, which `policyErrors` pins.
    let inner = d.file(
        "inner/s.json",
        r#"{ "note": "n", "municipality": { "areas": [], "areas": [] }, "request": { "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [] },
             "expect": { "policyErrors": ["municipality.areas"] } }"#,
    );
    let o = run(&[&inner]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // A JSON file in a scenario folder that is not a scenario is not judged.
    d.file("folder/ok.json", &with_policy(r#"{ "visible": ["S-1"] }"#));
    d.file("folder/citizen.json", r#"{ "records": [], "records": [] }"#);
    let o = run(&[&d.0.join("folder").to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// `indexFiles`: the scenario's request is imported from index XML (IMPORT.md) exactly as
/// `borgerblik import` does, with the import profile of `--profile`; the sample citizen of
/// `samples/xml/` (fictitious) pins three visible records and three hidden ones.
#[test]
fn index_files_are_imported_with_the_profile_and_pinned() {
    let d = Dir::new("index");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in [
        "fremsoeg-sag.xml",
        "ydelse-bevilling.xml",
        "ydelse-udbetalinger.xml",
    ] {
        let xml = std::fs::read_to_string(root.join("samples/xml").join(name)).unwrap();
        d.file(name, &xml);
    }
    let municipality = root.join("samples/municipality.json");
    let municipality = municipality.to_string_lossy();
    let profile = root.join("samples/import-profile.json");
    let profile = profile.to_string_lossy();
    let scenario = |expect: &str| {
        format!(
            r#"{{ "note": "the XML sample citizen", "asOf": "2021-06-15", "viewer": "0202920000",
                 "indexFiles": ["fremsoeg-sag.xml", "ydelse-bevilling.xml", "ydelse-udbetalinger.xml"],
                 "expect": {expect} }}"#
        )
    };
    let pinned = scenario(
        r#"{ "visible": ["f1000000-0000-4000-8000-000000000001",
                         "f1000000-0000-4000-8000-000000000b01:A1", "f1000000-0000-4000-8000-000000000b01:A2"],
             "reasons": {
               "f1000000-0000-4000-8000-000000000001": ["MANDATORY_AREA", "DOCUMENTS_NOT_SHOWN"],
               "f1000000-0000-4000-8000-000000000002": ["NO_CPR", "MANDATORY_AREA", "EXCLUDED_FROM_CITIZEN"],
               "f1000000-0000-4000-8000-000000000003": ["INVALID_RECORD"],
               "f1000000-0000-4000-8000-000000000b02:1": ["NO_CPR", "MANDATORY_AREA"] } }"#,
    );
    let s = d.file("citizen.json", &pinned);
    let o = run(&["--municipality", &municipality, "--profile", &profile, &s]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "1 passed, 0 failed");

    // Without the profile the Visningsklasse of case 2 is not known as an exclusion: the pin fails.
    let o = run(&["--municipality", &municipality, &s]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("EXCLUDED_FROM_CITIZEN"),
        "{}",
        stdout(&o)
    );

    // A file the importer refuses (a root in no namespace) is unreadable input: exit 2 naming it.
    d.file("bare.xml", "<ImporterSagDokumentIndeksInput/>");
    let bare = d.file(
        "bare.json",
        r#"{ "note": "n", "indexFiles": ["bare.xml"], "asOf": "2022-06-15", "viewer": "0101801234",
             "expect": { "visible": [] } }"#,
    );
    refused(
        &["--municipality", &municipality, &bare],
        &format!("error: {bare}: indexFiles: bare.xml:1:1:"),
    );
    let no_viewer = d.file(
        "t.json",
        r#"{ "note": "n", "indexFiles": ["bare.xml"], "asOf": "2022-06-15", "expect": { "visible": [] } }"#,
    );
    refused(
        &["--municipality", &municipality, &no_viewer],
        &format!("error: {no_viewer}: viewer: missing"),
    );
}

/// `--jobs`: scenario files load and run on several threads, and the report (human, JSON, JUnit)
/// and the refusals are the same bytes in the same order as on one thread.
#[test]
fn the_report_is_the_same_on_one_thread_and_on_four() {
    let d = Dir::new("jobs");
    let mut files = Vec::new();
    for i in 0..24 {
        let expect = if i % 3 == 0 {
            r#"{ "visible": [] }"#
        } else {
            r#"{ "visible": ["S-1"] }"#
        };
        files.push(d.file(&format!("s/{i:02}.json"), &with_policy(expect)));
    }
    let both = |args: &[&str]| {
        let one = run(&[args, &["--jobs", "1"]].concat());
        let four = run(&[args, &["--jobs", "4"]].concat());
        assert_eq!(one.status.code(), four.status.code(), "{args:?}");
        assert_eq!(stdout(&one), stdout(&four), "{args:?}");
        assert_eq!(stderr(&one), stderr(&four), "{args:?}");
        one
    };
    let s = d.0.join("s").to_string_lossy().into_owned();
    let o = both(&["tests/scenarios", &s]);
    assert_eq!(o.status.code(), Some(1));
    // Every third of the 24 fails its expectation; all 24 have no snapshot yet.
    assert!(stdout(&o).ends_with(" failed\n"), "{}", stdout(&o));
    let json = both(&["--json", "tests/scenarios", &s]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let names: Vec<String> = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), scenario_count() + 24);
    assert_eq!(names[names.len() - 24..], files[..]);
    let junit = |jobs: &str| {
        let file = d.0.join(format!("junit-{jobs}.xml"));
        let file = file.to_string_lossy().into_owned();
        run(&["--junit", &file, "--jobs", jobs, &s]);
        std::fs::read_to_string(&file).unwrap()
    };
    assert_eq!(junit("1"), junit("4"));
    // Unreadable files: every one refused, in the files' order, on any number of threads.
    for i in [3, 9, 17, 20] {
        d.file(&format!("s/{i:02}.json"), "{ \"note\": ");
    }
    let o = both(&[&s]);
    assert_eq!(o.status.code(), Some(2));
    let text = stderr(&o);
    let refused: Vec<&str> = text.lines().collect();
    assert_eq!(refused.len(), 4, "{text}");
    for (line, i) in refused.iter().zip([3, 9, 17, 20]) {
        assert!(line.starts_with(&format!("error: {}", files[i])), "{line}");
    }
}
