//! The command line, tested as a process: exit codes, stdout, and errors naming file and JSON path.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const MUNICIPALITY: &str = r#"{ "code": "0390", "name": "Vordingborg Kommune", "areas": [
  { "kle": "27", "open": true, "showDocuments": true },
  { "kle": "27.24", "open": false } ] }"#;

const REQUEST: &str = r#"{ "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [
  { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-02-01", "status": "Oplyst",
    "primaryParty": "0101801234", "caseworker": "Bjarne Hansen" },
  { "kind": "case", "id": "S-2", "kle": "27.24.03", "createdDate": "2021-02-01", "status": "Oplyst",
    "primaryParty": "0101801234" } ] }"#;

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borgerblik"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or("").to_owned();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn evaluate_prints_the_overview_from_a_file_and_from_stdin() {
    let d = Dir::new("evaluate");
    let m = d.file("m.json", MUNICIPALITY);
    let r = d.file("r.json", REQUEST);
    let from_file = run(&["evaluate", "--municipality", &m, "--request", &r], None);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let v: serde_json::Value = serde_json::from_str(&stdout(&from_file)).unwrap();
    assert_eq!(v["view"]["cases"][0]["id"], "S-1");
    assert_eq!(v["summary"]["hidden"], 1);
    assert!(!stdout(&from_file).contains("Bjarne"));
    let from_stdin = run(&["evaluate", "--municipality", &m], Some(REQUEST));
    assert_eq!(stdout(&from_stdin), stdout(&from_file));
}

#[test]
fn policy_and_municipality_flags_agree() {
    let d = Dir::new("flags");
    let m = d.file("m.json", MUNICIPALITY);
    let p = d.file(
        "p.json",
        &format!(r#"{{ "municipality": {MUNICIPALITY} }}"#),
    );
    let r = d.file("r.json", REQUEST);
    let a = run(&["evaluate", "--municipality", &m, "--request", &r], None);
    let b = run(&["evaluate", "--policy", &p, "--request", &r], None);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn ndjson_gives_one_overview_per_line() {
    let d = Dir::new("ndjson");
    let m = d.file("m.json", MUNICIPALITY);
    let line = REQUEST.replace('\n', " ");
    let input = format!("{line}\n\n{line}\n");
    let out = run(
        &["evaluate", "--municipality", &m, "--ndjson"],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["summary"]["records"], 2);
    }
    let bad = format!("{line}\n{{\"asOf\": \"2021-02-30\"}}\n");
    let out = run(&["evaluate", "--municipality", &m, "--ndjson"], Some(&bad));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<stdin>:2: asOf"), "{}", stderr(&out));
}

#[test]
fn ndjson_names_the_line_that_is_not_utf8_or_too_long() {
    let d = Dir::new("ndjson-bad-lines");
    let m = d.file("m.json", MUNICIPALITY);
    let line = REQUEST.replace('\n', " ");
    let path = d.0.join("r.ndjson");
    let mut bytes = format!("{line}\n{line}\n").into_bytes();
    // An invalid byte inside a field the reader skips: still refused, with the line number.
    bytes.extend_from_slice(b"{\"unknownField\": \"caf\xe9\"}\n");
    std::fs::write(&path, bytes).unwrap();
    let out = run(
        &[
            "evaluate",
            "--municipality",
            &m,
            "--ndjson",
            "--request",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "r.ndjson:3: not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 21"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out).lines().count(),
        2,
        "the lines before it are answered"
    );

    let long = format!("{line}\n{}\n", " ".repeat(10 * 1024 * 1024 + 2));
    let out = run(&["evaluate", "--municipality", &m, "--ndjson"], Some(&long));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("<stdin>:2: the document is over the limit of 10485760 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn validate_exits_0_when_valid_and_2_with_every_problem() {
    let d = Dir::new("validate");
    let good = d.file("good.json", MUNICIPALITY);
    let out = run(&["validate", "--municipality", &good], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Exactly the one line for a valid policy ("…: valid (0 warnings)"): "invalid" must not pass.
    assert_eq!(stdout(&out), format!("{good}: valid (0 warnings)\n"));

    let bad = d.file(
        "bad.json",
        r#"{ "areas": [ { "kle": "27.3", "open": true },
                        { "kle": "32", "open": false },
                        { "kle": "15", "facets": { "allow": ["g1"] } },
                        { "kle": "27.36", "fromdate": "2021-01-01" } ] }"#,
    );
    let out = run(&["validate", "--municipality", &bad], None);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    for path in [
        "areas[0].kle",
        "areas[2].facets.allow[0]",
        "areas[3].fromdate",
    ] {
        assert!(text.contains(path), "{path} missing in {text}");
    }
    assert!(text.contains("bad.json"), "{text}");
    assert!(text.contains("\"27.3\""), "the value is quoted: {text}");

    // Structurally sound but semantically wrong: every problem at once.
    let semantic = d.file(
        "semantic.json",
        r#"{ "areas": [ { "kle": "32", "open": false },
                        { "kle": "32.30.04", "fromDate": "2021-06-01" },
                        { "kle": "32.30.04" } ] }"#,
    );
    let out = run(&["validate", "--municipality", &semantic, "--json"], None);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"municipality.areas[0].open"), "{paths:?}");
    assert!(
        paths.contains(&"municipality.areas[1].fromDate"),
        "{paths:?}"
    );
    assert!(paths.contains(&"municipality.areas[2].kle"), "{paths:?}");
}

#[test]
fn warnings_go_to_stderr_and_do_not_fail() {
    let d = Dir::new("warnings");
    let m = d.file(
        "m.json",
        r#"{ "areas": [ { "kle": "99.99.99", "open": true } ] }"#,
    );
    let out = run(&["validate", "--municipality", &m], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning") && stderr(&out).contains("areas[0].kle"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explain_prints_a_danish_table() {
    let d = Dir::new("explain");
    let m = d.file("m.json", MUNICIPALITY);
    let r = d.file("r.json", REQUEST);
    let out = run(&["explain", "--municipality", &m, "--request", &r], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Vises") && text.contains("Begrundelser"),
        "{text}"
    );
    assert!(
        text.contains("S-1") && text.contains("MANDATORY_AREA"),
        "{text}"
    );
    assert!(
        text.contains("AREA_NOT_OPEN") && text.contains("hverken obligatorisk"),
        "{text}"
    );
    assert!(text.contains("2 poster: 1 vises, 1 skjules"), "{text}");
}

#[test]
fn diff_lists_changed_records_then_counts() {
    let d = Dir::new("diff");
    let a = d.file("a.json", MUNICIPALITY);
    let b = d.file(
        "b.json",
        r#"{ "areas": [ { "kle": "27", "open": true } ] }"#,
    );
    let line = REQUEST.replace('\n', " ");
    let reqs = d.file("r.ndjson", &format!("{line}\n{line}\n"));
    let out = run(
        &[
            "diff",
            "--municipality",
            &a,
            "--against-municipality",
            &b,
            "--requests",
            &reqs,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["change"]["id"], "S-2");
    assert_eq!(lines[0]["change"]["before"]["visible"], false);
    assert_eq!(lines[0]["change"]["after"]["visible"], true);
    let summary = &lines[2]["summary"];
    assert_eq!(summary["changed"], 2);
    assert_eq!(summary["becameVisible"], 2);
    assert_eq!(summary["byReason"]["AREA_NOT_OPEN"]["before"], 2);
    assert_eq!(summary["byReason"]["AREA_NOT_OPEN"]["after"], 0);
}

/// Each bad input: exit 2, a message naming the file and the JSON path, never a panic.
#[test]
fn bad_input_exits_2_naming_file_and_path() {
    let d = Dir::new("bad");
    let m = d.file("m.json", MUNICIPALITY);
    let big = format!(
        r#"{{ "asOf": "2021-06-15", "viewer": {{ "cpr": "0101801234" }}, "records": ["{}"] }}"#,
        "x".repeat(10 * 1024 * 1024)
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("malformed", "{ \"asOf\": ".into(), "not valid JSON"),
        ("empty", "".into(), "empty"),
        ("wrong-type", r#"{ "asOf": 20210615, "viewer": { "cpr": "0101801234" }, "records": [] }"#.into(), "asOf"),
        ("bad-date", r#"{ "asOf": "2021-02-30", "viewer": { "cpr": "0101801234" }, "records": [] }"#.into(), "asOf"),
        ("unknown-field", r#"{ "asOf": "2021-02-01", "viewer": { "cpr": "0101801234", "name": "x" }, "records": [] }"#.into(), "viewer.name"),
        ("bad-cpr", r#"{ "asOf": "2021-02-01", "viewer": { "cpr": "12345678" }, "records": [] }"#.into(), "viewer.cpr"),
        ("no-records", r#"{ "asOf": "2021-02-01", "viewer": { "cpr": "0101801234" } }"#.into(), "records"),
        ("relation", r#"{ "asOf": "2021-02-01", "viewer": { "cpr": "0101801234" }, "subject": { "cpr": "0101104321" }, "custody": { "relations": [ { "childCpr": "0101104321", "type": "0003" } ] }, "records": [] }"#.into(), "custody.relations[0].validFrom"),
        ("too-big", big, "limit"),
    ];
    for (name, text, needle) in cases {
        let r = d.file(&format!("{name}.json"), &text);
        let out = run(&["evaluate", "--municipality", &m, "--request", &r], None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}.json")),
            "{name}: file not named: {err}"
        );
        assert!(err.contains(needle), "{name}: {needle} not in {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    let missing = run(
        &[
            "evaluate",
            "--municipality",
            "/nonexistent/m.json",
            "--request",
            &m,
        ],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/nonexistent/m.json"));
}

#[test]
fn bad_policy_exits_2_naming_file_and_path() {
    let d = Dir::new("badpolicy");
    let r = d.file("r.json", REQUEST);
    let cases = [
        (
            "kle",
            r#"{ "areas": [ { "kle": "27.3", "open": true } ] }"#,
            "areas[0].kle",
        ),
        (
            "facet",
            r#"{ "areas": [ { "kle": "27", "facets": { "deny": ["g1"] } } ] }"#,
            "areas[0].facets.deny[0]",
        ),
        ("unknown", r#"{ "areas": [], "colour": "red" }"#, "colour"),
        (
            "type",
            r#"{ "areas": [ { "kle": "27", "open": "yes" } ] }"#,
            "areas[0].open",
        ),
    ];
    for (name, text, path) in cases {
        let m = d.file(&format!("{name}.json"), text);
        let out = run(&["evaluate", "--municipality", &m, "--request", &r], None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}.json")) && err.contains(path),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_bad_record_is_hidden_and_the_rest_evaluated() {
    let d = Dir::new("badrecord");
    let m = d.file("m.json", MUNICIPALITY);
    let r = d.file(
        "r.json",
        r#"{ "asOf": "2022-06-15", "viewer": { "cpr": "0101801234" }, "records": [
          { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-02-30", "status": "Oplyst", "primaryParty": "0101801234" },
          { "kind": "case", "id": "S-2", "kle": "32.30.04", "createdDate": "2021-02-01", "status": "Oplyst", "primaryParty": "0101801234" } ] }"#,
    );
    let out = run(&["evaluate", "--municipality", &m, "--request", &r], None);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["decisions"][0]["reasons"][0]["code"], "INVALID_RECORD");
    assert_eq!(
        v["decisions"][0]["reasons"][0]["detail"],
        "records[0].createdDate"
    );
    assert_eq!(v["decisions"][1]["visible"], true);
}
