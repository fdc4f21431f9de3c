//! Reading JSON values with exact JSON paths in every problem.
//!
//! serde's derive stops at the first error and cannot say "every problem, each with its path", which
//! the policy contract demands; so inputs are read from a `serde_json::Value` by small hand-written
//! readers built on these helpers. Keys are visited in document order, which also gives records the
//! "first bad field in document order" rule for free.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One problem with an input document: where (JSON path) and what (a message quoting the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// JSON path like `municipality.areas[3].fromDate`; empty for the document itself.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A JSON path built on the stack while descending; rendered only when a problem needs it.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => write!(f, "{key}"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Collects every problem of a document.
#[derive(Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub(crate) fn push(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Records `Err` at `path` and turns the result into an `Option`.
    pub(crate) fn take<T>(&mut self, path: &Path<'_>, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(m) => {
                self.push(path, m);
                None
            }
        }
    }
}

/// Quotes a value for an error message, shortened so a huge value cannot flood the output.
pub(crate) fn quote(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn expected(what: &str, v: &Value) -> String {
    format!("expected {what}, got {} {}", type_name(v), quote(v))
}

pub(crate) fn as_object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

/// An array of at most `limit` items.
pub(crate) fn as_array_max(v: &Value, limit: usize) -> Result<&Vec<Value>, String> {
    let items = v.as_array().ok_or_else(|| expected("an array", v))?;
    if items.len() > limit {
        return Err(format!("{} entries; the limit is {limit}", items.len()));
    }
    Ok(items)
}

pub(crate) fn as_array(v: &Value) -> Result<&Vec<Value>, String> {
    as_array_max(v, crate::limits::MAX_LIST_ENTRIES)
}

pub(crate) fn as_str(v: &Value) -> Result<&str, String> {
    let s = v.as_str().ok_or_else(|| expected("a string", v))?;
    if s.len() > crate::limits::MAX_TEXT_BYTES {
        return Err(format!(
            "the text is {} bytes; the limit is {} bytes",
            s.len(),
            crate::limits::MAX_TEXT_BYTES
        ));
    }
    Ok(s)
}

pub(crate) fn as_string(v: &Value) -> Result<String, String> {
    as_str(v).map(str::to_owned)
}

pub(crate) fn as_bool(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| expected("true or false", v))
}

pub(crate) fn as_u32(v: &Value) -> Result<u32, String> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| expected("a whole number of 0 or more", v))
}

pub(crate) fn as_i64(v: &Value) -> Result<i64, String> {
    v.as_i64().ok_or_else(|| expected("a whole number", v))
}

pub(crate) fn as_date(v: &Value) -> Result<NaiveDate, String> {
    let s = as_str(v).map_err(|_| expected("a date YYYY-MM-DD", v))?;
    parse_date(s)
        .ok_or_else(|| format!("expected a real calendar date YYYY-MM-DD, got {}", quote(v)))
}

/// Strict ISO-8601 calendar date: exactly `YYYY-MM-DD`, a day that exists.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let well_formed = match s.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => [y1, y2, y3, y4, m1, m2, d1, d2]
            .iter()
            .all(|c| c.is_ascii_digit()),
        _ => false,
    };
    if !well_formed {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub(crate) fn as_string_list(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Vec<String>> {
    let items = p.take(path, as_array(v))?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match as_str(item) {
            Ok(s) => out.push(s.to_owned()),
            Err(m) => {
                p.push(&path.index(i), m);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// Iterates an object's present (non-null) fields in document order; `null` means absent everywhere.
pub(crate) fn fields(map: &Map<String, Value>) -> impl Iterator<Item = (&str, &Value)> {
    map.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.as_str(), v))
}

/// Parses a document, refusing one over the size limit before touching it.
pub(crate) fn parse_document(text: &str) -> Result<Value, Problem> {
    if text.len() > crate::limits::MAX_DOCUMENT_BYTES {
        return Err(Problem {
            path: String::new(),
            message: format!(
                "the document is {} bytes; the limit is {} bytes (10 MiB)",
                text.len(),
                crate::limits::MAX_DOCUMENT_BYTES
            ),
        });
    }
    if text.trim().is_empty() {
        return Err(Problem {
            path: String::new(),
            message: "the document is empty; expected a JSON object".into(),
        });
    }
    serde_json::from_str(text).map_err(|e| Problem {
        path: String::new(),
        message: format!("not valid JSON: {e}"),
    })
}
