//! The one error type of the engine's entry points: which document, and every problem in it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::json::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum InputKind {
    Policy,
    Request,
}

/// Bad input: the document is refused as a whole, with every problem and its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InputError {
    pub kind: InputKind,
    pub problems: Vec<Problem>,
}

impl InputError {
    pub fn new(kind: InputKind, problems: Vec<Problem>) -> InputError {
        InputError { kind, problems }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            InputKind::Policy => "invalid policy",
            InputKind::Request => "invalid request",
        };
        write!(f, "{what}")?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}
