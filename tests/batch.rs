//! `--jobs`: the CLI's NDJSON batches (`evaluate --ndjson`, `diff`) on several threads write byte for
//! byte what one thread writes, in input order, and stop at the same bad line with the same message
//! and exit code. Tested as a process on a generated municipality (~6 MB: two dozen blocks of
//! src/batch.rs), with blank lines and bad lines.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use borgerblik::batch::BLOCK_BYTES;

/// The generated municipality's request lines (as `borgerblik generate` writes them), with blank
/// lines mixed in.
fn lines() -> Vec<String> {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut lines = Vec::new();
    for (i, request) in borgerblik::generate::requests(1200, 42, as_of).enumerate() {
        lines.push(borgerblik::to_json(&request));
        match i % 97 {
            5 => lines.push(String::new()),
            50 => lines.push("  \r".into()),
            _ => {}
        }
    }
    lines
}

#[path = "common/dir.rs"]
mod dir;
use dir::Dir;

fn municipality() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/samples/municipality.json").to_owned()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borgerblik"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.to_vec();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `args` with `--jobs 1` and `--jobs 4` and asserts the same exit code, stdout and stderr;
/// returns the one-thread run.
fn same_on_1_and_4_threads(args: &[&str], stdin: &[u8]) -> Output {
    let one = run(&[args, &["--jobs", "1"]].concat(), stdin);
    let four = run(&[args, &["--jobs", "4"]].concat(), stdin);
    assert_eq!(
        four.status.code(),
        one.status.code(),
        "{}",
        text(&four.stderr)
    );
    assert_eq!(text(&four.stderr), text(&one.stderr));
    assert!(
        four.stdout == one.stdout,
        "stdout differs between --jobs 1 and --jobs 4"
    );
    one
}

/// `lines` with a bad line put in before line `at` (1-based); the file's bytes.
fn with_bad_line(lines: &[String], at: usize, bad: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == at {
            bytes.extend_from_slice(bad);
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    bytes
}

/// Requests (non-blank lines) among the first `n` lines.
fn requests_before(lines: &[String], n: usize) -> usize {
    lines[..n].iter().filter(|l| !l.trim().is_empty()).count()
}

#[test]
fn evaluate_ndjson_writes_the_same_bytes_on_1_and_4_threads() {
    let d = Dir::new("evaluate");
    let lines = lines();
    let input = lines.join("\n") + "\n";
    assert!(input.len() > 8 * BLOCK_BYTES, "the input spans many blocks");
    let r = d.file("r.ndjson", input.as_bytes());
    let m = municipality();
    let args = [
        "evaluate",
        "--municipality",
        &m,
        "--ndjson",
        "--request",
        &r,
    ];
    let good = same_on_1_and_4_threads(&args, b"");
    assert_eq!(good.status.code(), Some(0), "{}", text(&good.stderr));
    let out = text(&good.stdout);
    assert_eq!(out.lines().count(), requests_before(&lines, lines.len()));
    // The default (every core) and stdin give the same bytes; so does --pretty.
    let default = run(&args, b"");
    assert!(default.stdout == good.stdout);
    let stdin = same_on_1_and_4_threads(&args[..4], input.as_bytes());
    assert!(stdin.stdout == good.stdout);
    let pretty = same_on_1_and_4_threads(&[&args[..], &["--pretty"]].concat(), b"");
    assert_eq!(pretty.status.code(), Some(0));

    // A bad request deep in the file: the overviews of every line before it, then the error.
    let at = 1000;
    let before = requests_before(&lines, at - 1);
    for (bad, message) in [
        (
            &br#"{"asOf": "2021-02-30", "viewer": {"cpr": "0101801234"}, "records": []}"#[..],
            format!("error: {r}:{at}: asOf: expected a real calendar date"),
        ),
        (
            &b"{\"asOf\": \"\xff\"}"[..],
            format!("error: {r}:{at}: not valid UTF-8"),
        ),
    ] {
        let bytes = with_bad_line(&lines, at, bad);
        std::fs::write(&r, &bytes).unwrap();
        let stopped = same_on_1_and_4_threads(&args, b"");
        assert_eq!(stopped.status.code(), Some(2));
        assert!(
            text(&stopped.stderr).starts_with(&message),
            "{}",
            text(&stopped.stderr)
        );
        let written: Vec<&str> = out.lines().take(before).collect();
        assert_eq!(text(&stopped.stdout), written.join("\n") + "\n");
        let from_stdin = same_on_1_and_4_threads(&args[..4], &bytes);
        assert!(from_stdin.stdout == stopped.stdout);
        assert_eq!(
            text(&from_stdin.stderr),
            text(&stopped.stderr).replace(&r, "<stdin>")
        );
    }
}

#[test]
fn diff_writes_the_same_bytes_on_1_and_4_threads() {
    let d = Dir::new("diff");
    let lines = lines();
    let r = d.file("r.ndjson", (lines.join("\n") + "\n").as_bytes());
    let b = d.file(
        "b.json",
        br#"{ "areas": [ { "kle": "32.21", "open": true }, { "kle": "27", "open": true } ] }"#,
    );
    let m = municipality();
    let args = [
        "diff",
        "--municipality",
        &m,
        "--against-municipality",
        &b,
        "--requests",
        &r,
    ];
    let good = same_on_1_and_4_threads(&args, b"");
    assert_eq!(good.status.code(), Some(0), "{}", text(&good.stderr));
    let out = text(&good.stdout);
    let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let summary = &summary["summary"];
    assert_eq!(summary["requests"], 1200);
    assert!(summary["changed"].as_u64().unwrap() > 1000, "{summary}");
    assert!(summary["becameHidden"].as_u64().unwrap() > 0, "{summary}");
    assert_eq!(
        out.lines().count() as u64,
        summary["changed"].as_u64().unwrap() + 1
    );
    // The line numbers of the changes count blank lines, as one thread counts them: each names a
    // request line holding the changed record's id.
    for l in out.lines().filter(|l| l.starts_with("{\"request\"")) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let at = v["request"].as_str().unwrap();
        let number: usize = at.rsplit(':').next().unwrap().parse().unwrap();
        let id = v["change"]["id"].as_str().unwrap();
        assert!(
            lines[number - 1].contains(&format!("\"id\":\"{id}\"")),
            "{at} {id}"
        );
    }

    // A bad line: the changes of the requests before it, no summary, the error, exit 2.
    let at = 900;
    std::fs::write(&r, with_bad_line(&lines, at, b"{\"asOf\": 1}")).unwrap();
    let stopped = same_on_1_and_4_threads(&args, b"");
    assert_eq!(stopped.status.code(), Some(2));
    assert!(
        text(&stopped.stderr).starts_with(&format!("error: {r}:{at}: asOf: ")),
        "{}",
        text(&stopped.stderr)
    );
    let written: Vec<&str> = out
        .lines()
        .filter(|l| {
            let Some(rest) = l.strip_prefix(&format!("{{\"request\":\"{r}:")) else {
                return false;
            };
            let number: usize = rest.split('"').next().unwrap().parse().unwrap();
            number < at
        })
        .collect();
    assert!(written.len() > 500);
    assert_eq!(text(&stopped.stdout), written.join("\n") + "\n");
}

#[test]
fn jobs_must_be_a_positive_number() {
    let m = municipality();
    for jobs in ["0", "many", "5000"] {
        let out = run(
            &["evaluate", "--municipality", &m, "--ndjson", "--jobs", jobs],
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "--jobs {jobs}");
        assert!(
            text(&out.stderr).contains("--jobs"),
            "{}",
            text(&out.stderr)
        );
    }
}
