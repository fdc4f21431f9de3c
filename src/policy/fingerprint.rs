//! `policyFingerprint`: "sha256:" + hex SHA-256 of the effective policy as canonical JSON
//! (keys sorted, no insignificant whitespace, defaults written out), so equal policies hash equal
//! whatever the key order or formatting of their input.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::types::Policy;

pub fn fingerprint(policy: &Policy) -> String {
    // Serialising plain data structs to a Value cannot fail; fall back to an empty object so the
    // function stays total.
    let value = serde_json::to_value(policy).unwrap_or(Value::Null);
    let mut canonical = String::new();
    write_canonical(&value, &mut canonical);
    let digest = Sha256::digest(canonical.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

pub(crate) fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::order::sort_by(&mut keys, |a, b| a.cmp(b));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::json::write_json_string(k, out);
                out.push(':');
                write_canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => crate::json::write_json_scalar(scalar, out),
    }
}
