//! Any bytes as a request document: refused with problems or read, never a panic; and the reader
//! every NDJSON line goes through first (src/record/fast.rs) answers only with the request the
//! general reader reads.
#![no_main]

use borgerblik::Request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let general = Request::from_json_str(text);
    if let Err(e) = &general {
        assert!(!e.problems.is_empty());
    }
    if let Some(fast) = borgerblik::ndjson::fast_request(text) {
        assert_eq!(general.as_ref().ok(), Some(&fast));
    }
});
