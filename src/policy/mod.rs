//! The policy: the built-in central rules, reading, validation and the fingerprint.

pub mod builtin;
mod fingerprint;
pub(crate) mod parse;
pub mod validate;

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

pub use fingerprint::fingerprint;
pub use validate::Findings;

use crate::error::{InputError, InputKind};
use crate::json::parse_document;
use crate::types::{Municipality, Policy};

impl Policy {
    /// A policy of the built-in central rules and one municipality's settings.
    pub fn with_municipality(municipality: Municipality) -> Policy {
        Policy {
            central: builtin::central(),
            municipality,
        }
    }

    /// Reads a policy document (`{ "central"?, "municipality" }`), reporting every structural problem.
    pub fn from_json_str(text: &str) -> Result<Policy, InputError> {
        let v = parse_document(text).map_err(|p| InputError::new(InputKind::Policy, p))?;
        Policy::from_value(&v)
    }

    pub fn from_value(v: &Value) -> Result<Policy, InputError> {
        parse::read_policy(v).map_err(|p| InputError::new(InputKind::Policy, p))
    }

    /// Reads a municipality document and pairs it with the built-in central rules.
    pub fn from_municipality_json_str(text: &str) -> Result<Policy, InputError> {
        let v = parse_document(text).map_err(|mut problems| {
            // Policy paths, as for every other problem of a municipality document.
            for p in problems.iter_mut().filter(|p| !p.path.is_empty()) {
                p.path = format!("municipality.{}", p.path);
            }
            InputError::new(InputKind::Policy, problems)
        })?;
        Policy::from_municipality_value(&v)
    }

    pub fn from_municipality_value(v: &Value) -> Result<Policy, InputError> {
        parse::read_municipality_document(v).map_err(|p| InputError::new(InputKind::Policy, p))
    }
}

/// Deserialising goes through the same reader as JSON text, so Rust callers get the same checks.
impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut duplicates = Vec::new();
        let v = crate::json::StrictValue {
            path: crate::json::Path::Root,
            duplicates: &mut duplicates,
        }
        .deserialize(d)?;
        if !duplicates.is_empty() {
            let e = InputError::new(InputKind::Policy, duplicates);
            return Err(serde::de::Error::custom(e));
        }
        Policy::from_value(&v).map_err(serde::de::Error::custom)
    }
}
