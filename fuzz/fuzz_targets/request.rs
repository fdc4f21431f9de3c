//! Any bytes as a request document: refused with problems or read, never a panic.
#![no_main]

use borgerblik::Request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = Request::from_json_str(text) {
        assert!(!e.problems.is_empty());
    }
});
