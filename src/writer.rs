//! Writes an [`Overview`] as compact JSON by hand, byte for byte what serde_json writes for its
//! derived `Serialize` (tests/writer.rs proves it on every scenario, generated municipalities and
//! arbitrary text). serde_json escapes every key and checks every string byte by byte; here keys
//! are literals and strings are scanned eight bytes at a time. Writing the overview was a fifth
//! of a batch run's instructions (BENCHMARKS.md). The wasm layer keeps serde: it is not the
//! bottleneck there, and the browser module has a size budget.

use chrono::NaiveDate;

use crate::types::{
    Decision, Overview, Payment, Reason, RecordKind, Summary, View, ViewBenefit, ViewCase,
    ViewDocument,
};

/// The overview as compact JSON, appended to `out`.
pub fn write_overview(o: &Overview, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"asOf\":");
    date(out, o.as_of);
    out.extend_from_slice(b",\"policyFingerprint\":");
    string(out, &o.policy_fingerprint);
    out.extend_from_slice(b",\"view\":");
    view(out, &o.view);
    out.extend_from_slice(b",\"decisions\":");
    list(out, &o.decisions, decision);
    out.extend_from_slice(b",\"summary\":");
    summary(out, &o.summary);
    out.push(b'}');
}

/// The overview as compact JSON text.
pub fn overview_json(o: &Overview) -> String {
    let mut out = Vec::with_capacity(512);
    write_overview(o, &mut out);
    // Every byte written is ASCII or copied whole from a `str`.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn view(out: &mut Vec<u8>, v: &View) {
    out.extend_from_slice(b"{\"cases\":");
    list(out, &v.cases, case);
    out.extend_from_slice(b",\"benefits\":");
    list(out, &v.benefits, benefit);
    out.push(b'}');
}

fn case(out: &mut Vec<u8>, c: &ViewCase) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &c.id);
    out.extend_from_slice(b",\"title\":");
    string(out, &c.title);
    out.extend_from_slice(b",\"kle\":");
    string(out, &c.kle);
    out.extend_from_slice(b",\"status\":");
    string(out, &c.status);
    out.extend_from_slice(b",\"createdDate\":");
    date(out, c.created_date);
    out.extend_from_slice(b",\"closedDate\":");
    option(out, c.closed_date, date);
    out.extend_from_slice(b",\"provider\":");
    option(out, c.provider.as_deref(), string);
    out.extend_from_slice(b",\"documents\":");
    list(out, &c.documents, document);
    out.push(b'}');
}

fn document(out: &mut Vec<u8>, d: &ViewDocument) {
    out.extend_from_slice(b"{\"title\":");
    option(out, d.title.as_deref(), string);
    out.extend_from_slice(b",\"date\":");
    option(out, d.date, date);
    out.push(b'}');
}

fn benefit(out: &mut Vec<u8>, b: &ViewBenefit) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &b.id);
    out.extend_from_slice(b",\"name\":");
    string(out, &b.name);
    out.extend_from_slice(b",\"kle\":");
    string(out, &b.kle);
    out.extend_from_slice(b",\"startDate\":");
    date(out, b.start_date);
    out.extend_from_slice(b",\"endDate\":");
    option(out, b.end_date, date);
    out.extend_from_slice(b",\"provider\":");
    option(out, b.provider.as_deref(), string);
    out.extend_from_slice(b",\"payments\":");
    list(out, &b.payments, payment);
    out.push(b'}');
}

fn payment(out: &mut Vec<u8>, p: &Payment) {
    out.extend_from_slice(b"{\"date\":");
    date(out, p.date);
    out.extend_from_slice(b",\"grossAmountOre\":");
    out.extend_from_slice(itoa::Buffer::new().format(p.gross_amount_ore).as_bytes());
    out.push(b'}');
}

fn decision(out: &mut Vec<u8>, d: &Decision) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &d.id);
    out.extend_from_slice(b",\"kind\":");
    option(out, d.kind, |out, k| {
        out.extend_from_slice(match k {
            RecordKind::Case => b"\"case\"",
            RecordKind::Benefit => b"\"benefit\"",
        })
    });
    out.extend_from_slice(if d.visible {
        b",\"visible\":true,\"area\":"
    } else {
        b",\"visible\":false,\"area\":"
    });
    option(out, d.area.as_deref(), string);
    out.extend_from_slice(b",\"reasons\":");
    list(out, &d.reasons, reason);
    out.push(b'}');
}

fn reason(out: &mut Vec<u8>, r: &Reason) {
    out.extend_from_slice(b"{\"code\":\"");
    out.extend_from_slice(r.code.as_str().as_bytes());
    out.extend_from_slice(b"\",\"detail\":");
    option(out, r.detail.as_deref(), string);
    out.extend_from_slice(b",\"message\":");
    string(out, &r.message);
    out.push(b'}');
}

fn summary(out: &mut Vec<u8>, s: &Summary) {
    out.extend_from_slice(b"{\"records\":");
    count(out, s.records);
    out.extend_from_slice(b",\"visible\":");
    count(out, s.visible);
    out.extend_from_slice(b",\"hidden\":");
    count(out, s.hidden);
    out.extend_from_slice(b",\"byReason\":{");
    for (i, (code, n)) in s.by_reason.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(code.as_str().as_bytes());
        out.extend_from_slice(b"\":");
        count(out, *n);
    }
    out.extend_from_slice(b"}}");
}

fn count(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn list<T>(out: &mut Vec<u8>, items: &[T], item: fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn option<T>(out: &mut Vec<u8>, v: Option<T>, some: impl FnOnce(&mut Vec<u8>, T)) {
    match v {
        Some(x) => some(out, x),
        None => out.extend_from_slice(b"null"),
    }
}

fn date(out: &mut Vec<u8>, d: NaiveDate) {
    match crate::dates::iso::digits(d) {
        Some(digits) => {
            out.push(b'"');
            out.extend_from_slice(&digits);
            out.push(b'"');
        }
        // Years outside 0–9999 never come from input; chrono's form, as serde_json writes it.
        None => string(out, &d.to_string()),
    }
}

/// `true` for the bytes JSON strings must escape: control characters, `"` and `\`.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of eight bytes needs escaping (Mycroft's zero-byte test, as serde_json's reader uses).
fn any_needs_escape(chunk: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    let ctrl = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let q = chunk ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let s = chunk ^ (ONES * u64::from(b'\\'));
    let slash = s.wrapping_sub(ONES) & !s;
    (ctrl | quote | slash) & (ONES << 7) != 0
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \t \n \f \r`, other control
/// characters as `\u00XX` with lowercase hex; everything else as is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut clean = 0;
    // Whole runs without escapes, eight bytes per step.
    while let Some(chunk) = bytes.get(clean..clean + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if any_needs_escape(u64::from_le_bytes(word)) {
            break;
        }
        clean += 8;
    }
    let (head, rest) = bytes.split_at(clean);
    out.extend_from_slice(head);
    let mut run = 0;
    for (i, &b) in rest.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        out.extend_from_slice(rest.get(run..i).unwrap_or_default());
        run = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0a => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x0d => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                for nibble in [b >> 4, b & 0xf] {
                    out.push(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'));
                }
            }
        }
    }
    out.extend_from_slice(rest.get(run..).unwrap_or_default());
    out.push(b'"');
}
