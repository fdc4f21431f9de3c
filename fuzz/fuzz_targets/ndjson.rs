//! Any bytes as NDJSON: never a panic, and memory and a stream are cut into the same lines and
//! read as the same requests (the wasm `evaluateNdjson` reads memory, the CLI a stream). The
//! first byte picks a small line limit and read buffer, so over-long lines and buffer growth occur.
#![no_main]

use borgerblik::ndjson::{LineError, LineSource, Lines, Requests, SliceLines};
use libfuzzer_sys::fuzz_target;

/// A line source's whole output: each line, or the error that stopped it.
fn all(mut source: impl LineSource) -> Vec<Result<(usize, Vec<u8>), String>> {
    let mut out = Vec::new();
    loop {
        match source.next_line() {
            Ok(Some((n, line))) => out.push(Ok((n, line.to_vec()))),
            Ok(None) => return out,
            Err(e) => {
                out.push(Err(describe(&e)));
                return out;
            }
        }
    }
}

fn describe(e: &LineError) -> String {
    format!("{}: {}", e.line, e.problem)
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else { return };
    let limit = usize::from(k % 16) + 1;
    let buffer = usize::from(k / 16) + 1;
    let streamed = all(Lines::new(rest, limit, buffer));
    assert_eq!(streamed, all(SliceLines::new(rest, limit)));
    let mut number = 0;
    for line in streamed.iter().flatten() {
        number += 1;
        assert_eq!(line.0, number);
        assert!(line.1.len() <= limit + 2);
    }

    let read = |r: Result<(usize, borgerblik::Request), LineError>| {
        r.map(|(n, request)| (n, request.records.len())).map_err(|e| describe(&e))
    };
    let from_stream: Vec<_> = Requests::new(rest, buffer).map(read).collect();
    let from_memory: Vec<_> = Requests::from_slice(rest).map(read).collect();
    assert_eq!(from_stream, from_memory);
    assert!(from_stream.iter().rev().skip(1).all(|r| r.is_ok()), "only the last may be an error");
});
