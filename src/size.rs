//! An upper bound of an overview's JSON size, worked out before the JSON is written, so a caller
//! holding many overviews in memory (wasm `evaluateNdjson`) can refuse one that would not fit
//! instead of running out of memory (issue 11). Strings are measured exactly as JSON escapes them;
//! the fixed parts (keys, punctuation, numbers, dates) are counted generously. `tests/fail_closed.rs`
//! checks the bound against the written JSON.

use crate::types::{Decision, Overview, ViewBenefit, ViewCase};

/// At most this many bytes: keys and punctuation of one object of each kind, with room for its
/// numbers (20 digits) and dates (10 characters and quotes).
const OVERVIEW: usize = 256;
const BY_REASON_ENTRY: usize = 48;
const CASE: usize = 160;
const DOCUMENT: usize = 48;
const BENEFIT: usize = 160;
const PAYMENT: usize = 64;
const DECISION: usize = 80;
const REASON: usize = 80;

/// The bytes of `s` as a JSON string, quotes included: at most 6 bytes for a byte JSON escapes
/// (`\u001f`), the byte itself otherwise.
fn string(s: &str) -> usize {
    let escaped = s
        .bytes()
        .filter(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .count();
    s.len() + 5 * escaped + 2
}

fn opt(s: Option<&str>) -> usize {
    s.map_or(4, string)
}

fn case(c: &ViewCase) -> usize {
    let mut n = CASE
        + string(&c.id)
        + string(&c.title)
        + string(&c.kle)
        + string(&c.status)
        + opt(c.provider.as_deref());
    for d in &c.documents {
        n += DOCUMENT + opt(d.title.as_deref());
    }
    n
}

fn benefit(b: &ViewBenefit) -> usize {
    BENEFIT
        + string(&b.id)
        + string(&b.name)
        + string(&b.kle)
        + opt(b.provider.as_deref())
        + PAYMENT * b.payments.len()
}

fn decision(d: &Decision) -> usize {
    let mut n = DECISION + string(&d.id) + opt(d.area.as_deref());
    for r in &d.reasons {
        n += REASON + opt(r.detail.as_deref()) + string(&r.message);
    }
    n
}

/// At least the number of bytes `crate::to_json(o)` (and the writer) produce for `o`.
pub fn overview_json_bound(o: &Overview) -> usize {
    let mut n =
        OVERVIEW + string(&o.policy_fingerprint) + BY_REASON_ENTRY * o.summary.by_reason.len();
    for c in &o.view.cases {
        n += case(c);
    }
    for b in &o.view.benefits {
        n += benefit(b);
    }
    for d in &o.decisions {
        n += decision(d);
    }
    n
}
