//! Any bytes as a request, evaluated under the sample municipality: never a panic, and the
//! invariants every overview must keep (visible exactly when no hiding reason; the view holds
//! exactly the visible records; the same input gives the same bytes).
#![no_main]

use std::sync::OnceLock;

use borgerblik::{reason::Effect, to_json, Engine, Policy, Request};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let text = include_str!("../../samples/municipality.json");
        Engine::new(Policy::from_municipality_json_str(text).unwrap()).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(request) = Request::from_json_str(text) else { return };
    let o = engine().evaluate(&request);
    assert_eq!(o.decisions.len(), request.records.len());
    for d in &o.decisions {
        assert_eq!(d.visible, !d.reasons.iter().any(|r| r.code.effect() == Effect::Hidden));
    }
    let visible = o.decisions.iter().filter(|d| d.visible).count();
    assert_eq!(visible, o.view.cases.len() + o.view.benefits.len());
    assert_eq!(to_json(&o), to_json(&engine().evaluate(&request)));
});
