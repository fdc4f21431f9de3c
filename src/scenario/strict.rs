//! Reads a scenario file refusing a key that appears twice in one object, as the engine refuses one
//! in a policy or request envelope (SPEC §8): two `"visible"` lists in `expect`, two entries for one
//! record in `expect.reasons` or two `"note"`s would otherwise pin whichever came last, silently.
//!
//! The scenario's `policy`, `municipality` and `request` are left to the engine: they are read as
//! text exactly as `borgerblik evaluate` reads a file, so a key twice inside them is the engine's
//! refusal, an outcome `policyErrors`/`requestErrors` can expect (docs/scenarios.md).

use serde_json::Value;

use crate::json::{parse_listing_duplicates, Problem};

/// The parts of a scenario handed to the engine as text; their own duplicate keys are its to judge.
const ENGINE_INPUTS: [&str; 3] = ["policy", "municipality", "request"];

/// Parses a scenario's text into a value; a key twice anywhere but inside [`ENGINE_INPUTS`] is
/// refused, every such key listed with its path.
pub fn parse(text: &str) -> Result<Value, Vec<Problem>> {
    let (value, mut duplicates) = parse_listing_duplicates(text).map_err(|p| vec![p])?;
    duplicates.retain(|p| !inside_engine_input(&p.path));
    if duplicates.is_empty() {
        Ok(value)
    } else {
        Err(duplicates)
    }
}

/// Whether `path` lies inside (not at) one of the engine's inputs: `policy.central` does, a second
/// top-level `policy` does not.
fn inside_engine_input(path: &str) -> bool {
    ENGINE_INPUTS.iter().any(|k| {
        path.strip_prefix(k)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        parse(text)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.path)
            .collect()
    }

    #[test]
    fn top_level_and_expect_duplicates_are_listed_engine_inputs_are_not() {
        assert_eq!(
            paths(
                r#"{"note":"a","note":"b","expect":{"visible":[],"visible":["S-1"],"reasons":{"S-1":[],"S-1":[]}}}"#
            ),
            ["note", "expect.visible", "expect.reasons.S-1"]
        );
        assert_eq!(
            paths(
                r#"{"policy":{"municipality":{"areas":[],"areas":[]}},"request":{"records":[{"id":"a","id":"b"}]},"expect":{}}"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            paths(r#"{"policy":{},"policy":{},"expect":{}}"#),
            ["policy"]
        );
        assert_eq!(
            paths(r#"{"policyX":{"a":1,"a":2},"expect":{}}"#),
            ["policyX.a"]
        );
    }
}
