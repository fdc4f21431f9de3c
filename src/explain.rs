//! Views of decisions for people: the caseworker's table (`explain`) and the administrator's
//! what-if comparison of two policies (`diff`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Verdict};
use crate::reason::ReasonCode;
use crate::types::{Decision, Overview, Record, RecordInput, RecordKind, Request};

/// The emne a record is filed under, for display (`None` for an unreadable record).
fn record_kle(r: &RecordInput) -> Option<String> {
    match r {
        RecordInput::Valid(Record::Case(c)) => Some(c.kle.to_string()),
        RecordInput::Valid(Record::Benefit(b)) => Some(b.kle.to_string()),
        RecordInput::Invalid(_) => None,
    }
}

/// A plain-text table a caseworker can follow: record, kind, area, visible or not, and every
/// reason in Danish.
pub fn explain(request: &Request, overview: &Overview) -> String {
    let mut out = String::new();
    let subject = request.subject.as_ref().unwrap_or(&request.viewer);
    let _ = writeln!(out, "Borgerblik: hvad borgeren ser pr. {}", overview.as_of);
    if subject.cpr == request.viewer.cpr {
        let _ = writeln!(out, "Borger: {}", mask(&request.viewer.cpr.to_string()));
    } else {
        let _ = writeln!(
            out,
            "Forælder {} ser barnet {}",
            mask(&request.viewer.cpr.to_string()),
            mask(&subject.cpr.to_string())
        );
    }
    let s = &overview.summary;
    let _ = writeln!(
        out,
        "{} poster: {} vises, {} skjules\n",
        s.records, s.visible, s.hidden
    );

    let rows: Vec<[String; 4]> = overview
        .decisions
        .iter()
        .zip(&request.records)
        .map(|(d, r)| {
            let kind = match d.kind {
                Some(RecordKind::Case) => "sag",
                Some(RecordKind::Benefit) => "ydelse",
                None => "?",
            };
            let area = match (&d.area, record_kle(r)) {
                (Some(a), Some(k)) if *a != k => format!("{k} (via {a})"),
                (_, Some(k)) => format!("{k} {}", title_of(&k)),
                (_, None) => "-".to_owned(),
            };
            let shown = if d.visible { "JA" } else { "nej" };
            [d.id.clone(), kind.to_owned(), area, shown.to_owned()]
        })
        .collect();
    let header = ["Post", "Type", "Område", "Vises"];
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header.map(str::to_owned)])
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Cells padded to their column's width and written one after another (no `join`: one
    // instantiation less in the browser module).
    let line = |cells: [&str; 4]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.push_str(&" ".repeat(w.saturating_sub(cell.chars().count())));
        }
        text
    };
    let _ = writeln!(out, "{}  Begrundelser", line(header));
    let indent = widths.iter().sum::<usize>() + 6;
    for (row, d) in rows.iter().zip(&overview.decisions) {
        let first = line([&row[0], &row[1], &row[2], &row[3]]);
        for (i, r) in d.reasons.iter().enumerate() {
            let lead = if i == 0 {
                first.clone()
            } else {
                " ".repeat(indent)
            };
            let _ = writeln!(out, "{lead}  {}: {}", r.code, r.message);
        }
        if d.reasons.is_empty() {
            let _ = writeln!(out, "{first}");
        }
    }
    out
}

fn title_of(kle: &str) -> String {
    crate::catalogue::title(kle)
        .map(|t| format!("({t})"))
        .unwrap_or_default()
}

/// Shows the birth date part of a CPR only: the table may be pasted into an email.
fn mask(cpr: &str) -> String {
    format!("{}-xxxx", cpr.get(..6).unwrap_or(cpr))
}

/// One record whose decision differs between two policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// 0-based position of the record in `records`.
    pub index: usize,
    pub id: String,
    pub before: Decision,
    pub after: Decision,
}

/// How often a reason occurs under each policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counts {
    pub before: usize,
    pub after: usize,
}

/// The what-if comparison of policy A (`before`) and B (`after`) over the same requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DiffSummary {
    pub requests: usize,
    pub records: usize,
    pub changed: usize,
    pub became_visible: usize,
    pub became_hidden: usize,
    /// Each code counted once per record under each policy; codes whose counts are equal are left out.
    pub by_reason: BTreeMap<ReasonCode, Counts>,
}

impl DiffSummary {
    pub fn finish(mut self) -> DiffSummary {
        self.by_reason.retain(|_, c| c.before != c.after);
        self
    }

    /// Adds the counts of another part of the same run (a parallel `diff` counts per worker);
    /// `finish` the whole, not the parts.
    pub fn merge(&mut self, other: DiffSummary) {
        self.requests += other.requests;
        self.records += other.records;
        self.changed += other.changed;
        self.became_visible += other.became_visible;
        self.became_hidden += other.became_hidden;
        for (code, counts) in other.by_reason {
            let total = self.by_reason.entry(code).or_default();
            total.before += counts.before;
            total.after += counts.after;
        }
    }

    /// Counts each code once per record under one policy.
    fn count(&mut self, verdict: &Verdict<'_>, before: bool) {
        let mut last = None;
        for f in verdict.findings.iter() {
            if last == Some(f.code) {
                continue;
            }
            last = Some(f.code);
            let counts = self.by_reason.entry(f.code).or_default();
            if before {
                counts.before += 1;
            } else {
                counts.after += 1;
            }
        }
    }
}

/// Decides one request under both engines, adds it to `summary`, and returns the records whose
/// decision differs. Records are compared by their compact verdicts; only changed ones get full
/// decisions with text, so a what-if over a whole municipality costs little more than two decides.
pub fn diff_request(
    a: &Engine,
    b: &Engine,
    request: &Request,
    summary: &mut DiffSummary,
) -> Vec<Change> {
    let before = a.decide(request);
    let after = b.decide(request);
    summary.requests += 1;
    summary.records += request.records.len();
    // A verdict names an etape by its index: equal verdicts mean equal decisions only when both
    // policies have the same etaper.
    let comparable = a.policy().central.etaper == b.policy().central.etaper;
    let mut changes = Vec::new();
    for (index, ((record, x), y)) in request.records.iter().zip(&before).zip(&after).enumerate() {
        summary.count(x, true);
        summary.count(y, false);
        if comparable && x == y {
            continue;
        }
        let (bd, ad) = (a.decision(record, x), b.decision(record, y));
        // Equal text from different verdicts (e.g. two policies naming an etape alike) is no change.
        if bd == ad {
            continue;
        }
        match (bd.visible, ad.visible) {
            (false, true) => summary.became_visible += 1,
            (true, false) => summary.became_hidden += 1,
            _ => {}
        }
        changes.push(Change {
            index,
            id: bd.id.clone(),
            before: bd,
            after: ad,
        });
    }
    summary.changed += changes.len();
    changes
}
