//! `borgerblik import` as a process (IMPORT.md §1, §5): stdout, stderr lines, exit codes, refusals
//! with file, line and column, and the pipeline into `borgerblik evaluate`.
#![cfg(feature = "import")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import/");

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_borgerblik"))
}

fn fixture(name: &str) -> String {
    format!("{DIR}{name}")
}

fn import(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin();
    cmd.arg("import").args(args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(data) = stdin {
        // A refused run may exit before reading all of stdin.
        let _ = pipe.write_all(data);
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const DATE: [&str; 4] = ["--as-of", "2021-06-15", "--viewer", "0101900000"];

fn refused(file: &str) -> String {
    let path = fixture(&format!("refused/{file}"));
    let out = import(&[&DATE[..], &[path.as_str()]].concat(), None);
    assert_eq!(out.status.code(), Some(2), "{file}: {}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{file}: something on stdout");
    let err = text(&out.stderr);
    assert!(!err.contains("panic"), "{file}: {err}");
    err
}

#[test]
fn refusals_name_file_line_and_column() {
    let cases = [
        ("not-well-formed.xml", ":3:18: not well-formed XML"),
        ("billion-laughs.xml", ":2:1: a DOCTYPE (DTD) is refused"),
        ("external-entity.xml", ":3:1: a DOCTYPE (DTD) is refused"),
        ("undeclared-entity.xml", ":3:18: not well-formed XML: unknown entity reference"),
        ("opdater.xml", ":4:5: refused root sdi:OpdaterSagIndeksInput: a partial update"),
        (
            "sf1470-v1.2.xml",
            ":2:1: refused root {urn:oio:sts:sagdok:sagdokumentindeks:1.2.4.0}ImporterSagDokumentIndeksInput: the SF1470 1.2 schemas",
        ),
        ("latin1.xml", ":1:21: the XML declaration names an encoding other than UTF-8"),
        ("not-utf8.xml", ":3:18: not UTF-8 text"),
        ("other-root.xml", ":2:1: refused root {urn:example:not-an-index}request"),
        // Checks the importer's tree builder adds to quick-xml's (src/import/tree.rs).
        ("duplicate-attribute.xml", ":3:3: not well-formed XML: a duplicate attribute"),
        ("attributes-without-space.xml", ":3:3: not well-formed XML: attributes not separated"),
        ("bad-character-reference.xml", ":3:18: not well-formed XML: a character reference to a character XML does not allow"),
        ("control-character.xml", ":3:19: not well-formed XML: a character XML does not allow"),
        ("cdata-end-in-text.xml", ":3:18: not well-formed XML: ']]>' in text"),
        ("text-outside-root.xml", ":4:1: not well-formed XML: text outside the root element"),
        ("second-root.xml", ":4:1: not well-formed XML: a second root element"),
        ("unclosed.xml", ":4:1: not well-formed XML: an element is not closed at the end of the file"),
        ("undeclared-prefix.xml", ":3:3: not well-formed XML: an element with an undeclared namespace prefix"),
        ("bad-name.xml", ":3:3: not well-formed XML: an element name that is not an XML name"),
        ("xml-version.xml", ":1:1: not well-formed XML: an XML version other than 1.x"),
    ];
    for (file, expected) in cases {
        let err = refused(file);
        let want = format!("error: {}{expected}", fixture(&format!("refused/{file}")));
        assert!(err.starts_with(&want), "{file}:\n{err}\nwanted {want}");
    }
}

#[test]
fn a_file_over_the_limit_is_refused_from_stdin_too() {
    let limit = borgerblik::limits::MAX_XML_BYTES;
    let mut big = b"<sdi:ImporterSagDokumentIndeksInput xmlns:sdi=\"urn:oio:sts:sagdok:sagdokumentindeks:6\">\n"
        .to_vec();
    big.resize(limit + 10, b' ');
    let out = import(&[&DATE[..], &["-"]].concat(), Some(&big));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: <stdin>:2:"), "{err}");
    assert!(err.contains("over the limit of 16777216 bytes"), "{err}");
    // Exactly at the limit is read (and then refused only for what it is: no root end here).
    big.truncate(limit);
    let out = import(&[&DATE[..], &["-"]].concat(), Some(&big));
    assert!(!text(&out.stderr).contains("over the limit"));
}

#[test]
fn one_refused_file_refuses_the_run_and_every_refused_file_is_listed() {
    let good = fixture("example-sag.xml");
    let a = fixture("refused/opdater.xml");
    let b = fixture("refused/billion-laughs.xml");
    let out = import(
        &[&DATE[..], &[good.as_str(), a.as_str(), b.as_str()]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("opdater.xml:4:5"));
    assert!(err.contains("billion-laughs.xml:2:1"));
}

#[test]
fn prints_the_request_and_problems_one_a_line() {
    let a = fixture("ydelse-split.xml");
    let b = fixture("ydelse-payments.xml");
    let out = import(
        &[
            &DATE[..],
            &["--subject", "0202920000", a.as_str(), b.as_str()],
        ]
        .concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with(
        r#"{"asOf":"2021-06-15","viewer":{"cpr":"0101900000"},"subject":{"cpr":"0202920000"},"records":[{"kind":"benefit""#
    ));
    assert!(stdout.ends_with("}\n"));
    assert_eq!(stdout.lines().count(), 1);
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    // FILE: <xml path>: message, the object's UUID first.
    assert!(lines[0].starts_with(&format!(
        "{b}: /{{http://schemas.xmlsoap.org/soap/envelope/}}Envelope/{{http://schemas.xmlsoap.org/soap/envelope/}}Body/yi:FremsoegYdelseIndeksOutput/yi:OekonomiskEffektueringFiltreretOejebliksbillede[2]/"
    )), "{}", lines[0]);
    assert!(lines[0]
        .contains(": f1000000-0000-4000-8000-000000000e02: the amount is more than two decimals"));
    assert!(lines[1].starts_with(&format!(
        "{a}: /yi:ImporterYdelseIndeksInput/yi:BevillingIndeks[2]/bi:BevillingIndeks/"
    )));
    assert!(!err.contains("0202920000"));
}

#[test]
fn stdin_is_a_file_named_dash() {
    let data = std::fs::read(fixture("example-sag.xml")).unwrap();
    let from_stdin = import(&[&DATE[..], &["-"]].concat(), Some(&data));
    let path = fixture("example-sag.xml");
    let from_file = import(&[&DATE[..], &[path.as_str()]].concat(), None);
    assert_eq!(from_stdin.status.code(), Some(0));
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn usage_and_profile_errors_exit_2() {
    let f = fixture("example-sag.xml");
    for args in [
        vec!["--as-of", "2021-06-15", f.as_str()], // no --viewer
        vec![
            "--as-of",
            "15-06-2021",
            "--viewer",
            "0101900000",
            f.as_str(),
        ], // bad date
        vec![
            "--as-of",
            "2021-06-15",
            "--viewer",
            "010190-000",
            f.as_str(),
        ], // bad CPR
        vec!["--as-of", "2021-06-15", "--viewer", "0101900000"], // no FILE
        vec![
            "--as-of",
            "2021-06-15",
            "--viewer",
            "0101900000",
            "--bogus",
            f.as_str(),
        ],
        vec![
            "--as-of",
            "2021-06-15",
            "--viewer",
            "0101900000",
            "/nonexistent.xml",
        ],
    ] {
        let out = import(&args, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        assert!(!text(&out.stderr).contains("010190-000"), "a CPR is quoted");
    }
    let dir = std::env::temp_dir().join(format!("borgerblik-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("p.json");
    std::fs::write(
        &profile,
        r#"{ "udkCvr": ["19435075"], "visningsklasser": {} }"#,
    )
    .unwrap();
    let p = profile.to_string_lossy().into_owned();
    let out = import(
        &[&DATE[..], &["--profile", p.as_str(), f.as_str()]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("p.json: line 1 column") && err.contains("unknown field `visningsklasser`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_pipes_into_evaluate() {
    let dir = std::env::temp_dir().join(format!("borgerblik-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let m = dir.join("m.json");
    std::fs::write(
        &m,
        r#"{ "areas": [ { "kle": "32.30.04", "showDocuments": true } ] }"#,
    )
    .unwrap();
    let sag = fixture("example-sag.xml");
    let ydelse = fixture("example-ydelse.xml");
    let imported = import(
        &[&DATE[..], &[sag.as_str(), ydelse.as_str()]].concat(),
        None,
    );
    assert_eq!(imported.status.code(), Some(0));
    let mut evaluate = bin()
        .args(["evaluate", "--municipality"])
        .arg(&m)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    evaluate
        .stdin
        .take()
        .unwrap()
        .write_all(&imported.stdout)
        .unwrap();
    let out = evaluate.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let overview: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cases = overview["view"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["status"], "Under behandling");
    assert_eq!(cases[0]["documents"].as_array().unwrap().len(), 2);
    let benefits = overview["view"]["benefits"].as_array().unwrap();
    assert_eq!(benefits[0]["payments"][0]["grossAmountOre"], 1234500);
    assert_eq!(overview["summary"]["visible"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}
