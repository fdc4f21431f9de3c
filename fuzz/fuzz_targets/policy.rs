//! Any bytes as a policy or municipality document: refused or accepted, never a panic; an accepted
//! policy builds an engine or is refused with problems, and its fingerprint is stable.
#![no_main]

use borgerblik::{Engine, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for policy in [Policy::from_json_str(text), Policy::from_municipality_json_str(text)] {
        match policy {
            Ok(p) => {
                if let Ok(e) = Engine::new(p.clone()) {
                    assert_eq!(Engine::new(p).ok().map(|x| x.fingerprint().to_owned()).as_deref(), Some(e.fingerprint()));
                }
            }
            Err(e) => assert!(!e.problems.is_empty()),
        }
    }
});
