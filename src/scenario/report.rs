//! The run's report for people (one block per failing scenario, `N passed, M failed` last), for
//! programs (`--json`) and for CI servers (`--junit`, JUnit XML as GitLab, Jenkins and Azure DevOps
//! read it).

use serde_json::{json, Value};

use super::snapshot::SnapshotState;
use super::ScenarioResult;

/// Passed and failed counts.
pub fn counts(results: &[ScenarioResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| r.passed()).count();
    (passed, results.len() - passed)
}

/// Every problem of a failed scenario: the `expect` mismatches, then the snapshot diff.
pub fn failures(r: &ScenarioResult) -> Vec<String> {
    let mut all = r.mismatches.clone();
    if let SnapshotState::Differs(lines) = &r.snapshot {
        let snap = format!("{}{}", r.name, super::SNAPSHOT_SUFFIX);
        all.push(format!("snapshot {snap} differs:"));
        all.extend(lines.iter().map(|l| format!("  {l}")));
    }
    all
}

/// The human report: `FAIL file` and its mismatches for each failing scenario, the snapshots written,
/// and `N passed, M failed` as the last line.
pub fn human(results: &[ScenarioResult]) -> String {
    let mut out = String::new();
    for r in results {
        if !r.passed() {
            out.push_str(&format!("FAIL {}\n", r.file));
            for line in failures(r) {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if r.snapshot == SnapshotState::Written {
            let snap = std::path::Path::new(&r.file).with_file_name(format!(
                "{}{}",
                r.name,
                super::SNAPSHOT_SUFFIX
            ));
            out.push_str(&format!("wrote {}\n", snap.display()));
        }
    }
    let missing = results
        .iter()
        .filter(|r| r.snapshot == SnapshotState::Missing)
        .count();
    if missing > 0 {
        out.push_str(&if missing == 1 {
            "1 scenario has no snapshot; --update writes it\n".to_owned()
        } else {
            format!("{missing} scenarios have no snapshot; --update writes them\n")
        });
    }
    let (passed, failed) = counts(results);
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    out
}

fn state(s: &SnapshotState) -> &'static str {
    match s {
        SnapshotState::Matched => "matched",
        SnapshotState::Differs(_) => "differs",
        SnapshotState::Written => "written",
        SnapshotState::Missing => "missing",
    }
}

/// The machine-readable report (`--json`).
pub fn json(results: &[ScenarioResult]) -> Value {
    let (passed, failed) = counts(results);
    let scenarios: Vec<Value> = results
        .iter()
        .map(|r| {
            let diff = match &r.snapshot {
                SnapshotState::Differs(lines) => lines.clone(),
                _ => Vec::new(),
            };
            json!({
                "file": r.file,
                "name": r.name,
                "passed": r.passed(),
                "mismatches": r.mismatches,
                "snapshot": { "state": state(&r.snapshot), "diff": diff },
            })
        })
        .collect();
    json!({ "passed": passed, "failed": failed, "scenarios": scenarios })
}

/// Escapes text for an XML attribute or element; characters XML 1.0 cannot carry become U+FFFD.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `testsuite` named `borgerblik`, one `testcase` per scenario (classname: its folder),
/// a `failure` with every mismatch for a failing one. No timings: the report is deterministic.
pub fn junit(results: &[ScenarioResult]) -> String {
    let (_, failed) = counts(results);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"borgerblik test\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">\n",
        results.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"borgerblik\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n",
        results.len()
    ));
    for r in results {
        let folder = std::path::Path::new(&r.file)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
            xml(&r.name),
            xml(&folder),
            xml(&r.file)
        ));
        if r.passed() {
            out.push_str("/>\n");
            continue;
        }
        let lines = failures(r);
        let first = lines.first().map(String::as_str).unwrap_or_default();
        out.push_str(&format!(
            ">\n      <failure message=\"{}\" type=\"mismatch\">{}</failure>\n    </testcase>\n",
            xml(first),
            xml(&lines.join("\n"))
        ));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
