//! Any bytes as what a client sends the Rust server example (`examples/rust-server.rs`), run through
//! its socket-free exchange (`examples/rust-server/exchange.rs`, shared here): never a panic; exactly
//! one well-formed answer (a status the server documents, a `Content-Length` that matches, a JSON
//! body), after at most one `100 Continue`; and every byte reserved for a body given back.
#![no_main]

use std::sync::OnceLock;

use borgerblik::{Engine, Policy};
use libfuzzer_sys::fuzz_target;

#[path = "../../examples/rust-server/exchange.rs"]
#[allow(dead_code)]
mod exchange;

use exchange::{exchange, Budget, Limits};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let text = include_str!("../../samples/municipality.json");
        Engine::new(Policy::from_municipality_json_str(text).unwrap()).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    // Small limits, so the fuzzer reaches them (431, 413, 503) within its input sizes.
    let limits = Limits {
        max_head_bytes: 2048,
        max_headers: 16,
        max_body_bytes: 16 * 1024,
        max_buffered_bytes: 8 * 1024,
    };
    let budget = Budget::default();
    let mut input: &[u8] = data;
    let mut output = Vec::new();
    let mut outcome = exchange(engine(), &limits, &budget, &mut input, &mut output);
    // Only an answer's bytes are still held, and only until it is dropped.
    let answer_bytes = outcome.held.as_ref().map_or(0, |r| r.bytes());
    assert_eq!(budget.held(), answer_bytes, "a body's reservation outlived its exchange");
    if let (Some(held), Some(response)) = (&outcome.held, &outcome.response) {
        assert_eq!(held.bytes(), response.body.len());
        assert!(held.bytes() <= limits.max_buffered_bytes);
    }
    drop(outcome.held.take());
    assert_eq!(budget.held(), 0, "an answer's reservation outlived its outcome");
    let Some(response) = outcome.response else {
        // No answer only when nothing but empty lines came before the connection ended.
        assert!(output.is_empty());
        assert!(data.iter().all(|b| *b == b'\r' || *b == b'\n'));
        return;
    };
    response.write_to(&mut output).unwrap();
    let answer = output
        .strip_prefix(b"HTTP/1.1 100 Continue\r\n\r\n".as_slice())
        .unwrap_or(&output);
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&answer[..split]).unwrap();
    let body = &answer[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line[9..12].parse().unwrap();
    assert_ne!(exchange::reason(status), "Unknown", "{status_line}");
    assert_eq!(status_line, format!("HTTP/1.1 {status} {}", exchange::reason(status)));
    let length: usize = lines
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, body.len());
    serde_json::from_slice::<serde_json::Value>(body).unwrap();
    // An overview or a problem report about the request's content means its body was read to the end.
    if status == 200 && !body.starts_with(b"{\"fingerprint\"") {
        assert!(!outcome.body_unread);
    }
});
