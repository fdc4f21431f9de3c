//! borgerblik: what a citizen sees of their municipal cases and benefits in "Mit Overblik".
//!
//! One pure, deterministic function, `(policy, request) -> overview with a reason for every
//! decision`, encoding SPEC.md. Build an [`Engine`] once from a [`Policy`], then call
//! [`Engine::evaluate`] per [`Request`]. The CLI and the wasm layer are thin adapters over it.
//!
//! ```
//! use borgerblik::{Engine, Policy, Request};
//! # fn main() -> Result<(), borgerblik::InputError> {
//! let policy = Policy::from_municipality_json_str(r#"{ "areas": [] }"#)?;
//! let engine = Engine::new(policy)?;
//! let request = Request::from_json_str(r#"{ "asOf": "2021-06-15",
//!   "viewer": { "cpr": "0101801234" },
//!   "records": [ { "kind": "case", "id": "S-1", "kle": "32.30.04", "createdDate": "2021-02-01",
//!                  "status": "Oplyst", "primaryParty": "0101801234" } ] }"#)?;
//! let overview = engine.evaluate(&request);
//! assert_eq!(overview.view.cases[0].title, "Udbetaling af sygedagpenge");
//! # Ok(())
//! # }
//! ```

// No panic reachable from input: a panic in wasm kills the module for the page. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// Threads: native only (the wasm module runs on one thread).
#[cfg(not(target_arch = "wasm32"))]
pub mod batch;
pub mod catalogue;
pub mod cpr;
pub mod dates;
pub mod engine;
pub mod error;
pub mod explain;
pub mod generate;
#[cfg(feature = "import")]
pub mod import;
pub mod json;
pub mod kle;
pub mod limits;
pub mod ndjson;
mod order;
pub mod policy;
pub mod reason;
mod record;
pub mod request;
pub mod rules;
pub mod size;
// The scenario runner of `borgerblik test` reads files: native builds only, never in the wasm module.
#[cfg(not(target_arch = "wasm32"))]
pub mod scenario;
#[cfg(feature = "ts")]
pub mod ts_types;
pub mod types;
mod unreadable;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod writer;

pub use engine::{Engine, Validation};
pub use error::{InputError, InputKind};
pub use json::Problem;
pub use reason::ReasonCode;
pub use types::*;

/// Serialises an output as compact JSON. Output types are plain data (string keys, no maps with
/// non-string keys), so serialisation cannot fail; `null` is the unreachable fallback.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
