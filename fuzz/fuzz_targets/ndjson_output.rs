//! `evaluateNdjson`'s code path (`ndjson::evaluate_bounded`) on NDJSON with arbitrary line sizes
//! and an arbitrary output bound: never a panic, never more output than the bound, and when it
//! answers, exactly the overviews one by one. The input is either raw bytes, or requests built from
//! the bytes with arbitrary record counts (records of a few bytes give ~75 times their size out),
//! padding (line sizes) and blank lines.
#![no_main]

use std::sync::OnceLock;

use borgerblik::ndjson::{evaluate_bounded, BatchError, Requests};
use borgerblik::{writer, Engine, Policy};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let m = r#"{"areas":[{"kle":"27","open":true,"showDocuments":true}]}"#;
        Engine::new(Policy::from_municipality_json_str(m).expect("policy")).expect("engine")
    })
}

const RECORDS: [&str; 4] = [
    "{}",
    r#"{"kind":"case","id":"S","kle":"27.36.04","createdDate":"2021-01-01","status":"Oplyst","primaryParty":"1203801234","documents":[{"title":"t","date":"2021-02-01"}]}"#,
    r#"{"kind":"benefit","id":"Y","kle":"32.24.04","caseId":"S","recipient":"1203801234","economic":true,"startDate":"2021-01-01","payments":[{"date":"2021-02-01","grossAmountOre":1}]}"#,
    r#"{"kind":"case","id":"\ud800","title":1e400}"#,
];

/// NDJSON from the bytes: three bytes a line (record kind and count, padding).
fn built(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| chunk.get(i).copied().unwrap_or(0));
        if a == 0 {
            out.extend_from_slice(b"\n");
            continue;
        }
        let record = RECORDS[usize::from(a) % RECORDS.len()];
        let count = usize::from(b) * usize::from(a % 8);
        out.extend_from_slice(br#"{"asOf":"2022-03-01","viewer":{"cpr":"1203801234"},"records":["#);
        for i in 0..count {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(record.as_bytes());
        }
        out.extend_from_slice(b"]}");
        out.resize(out.len() + usize::from(c) * 64, b' ');
        out.push(b'\n');
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&[k0, k1, mode], rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let max_output = usize::from(u16::from_le_bytes([k0, k1])) * 16;
    let input = if mode % 2 == 0 { built(rest) } else { rest.to_vec() };
    let result = evaluate_bounded(engine(), &input, max_output, writer::write_overview);
    // The same requests one by one, up to the first line that is not a request.
    let mut one_by_one = Vec::new();
    let mut sizes = Vec::new();
    for read in Requests::from_slice(&input) {
        let Ok((line, request)) = read else { break };
        let overview = engine().evaluate(&request);
        let text = writer::overview_json(&overview);
        assert!(borgerblik::size::overview_json_bound(&overview) >= text.len());
        one_by_one.extend_from_slice(text.as_bytes());
        one_by_one.push(b'\n');
        sizes.push((line, one_by_one.len()));
    }
    match result {
        Ok(out) => {
            assert!(out.len() <= max_output);
            assert_eq!(out, one_by_one);
        }
        Err(BatchError::TooMuchOutput { line, limit }) => {
            assert_eq!(limit, max_output);
            assert!(sizes.iter().any(|(l, _)| *l == line), "refused at a request line");
        }
        Err(BatchError::Line(e)) => {
            assert!(sizes.iter().all(|(l, _)| *l < e.line));
        }
    }
});
