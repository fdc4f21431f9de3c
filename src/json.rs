//! Reading JSON values with exact JSON paths in every problem.
//!
//! serde's derive stops at the first error and cannot say "every problem, each with its path", which
//! the policy contract demands; so inputs are read from a `serde_json::Value` by small hand-written
//! readers built on these helpers. Keys are visited in document order, which also gives records the
//! "first bad field in document order" rule for free.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// Collects every problem of a document, up to [`crate::limits::MAX_PROBLEMS`]; past that, the
/// rest are only counted, so a hostile document cannot make the list (and memory) grow with it.
#[derive(Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub(crate) fn new(list: Vec<Problem>) -> Problems {
        let mut p = Problems::default();
        p.extend(list);
        p
    }

    pub(crate) fn add(&mut self, problem: Problem) {
        push_capped(&mut self.list, &mut self.more, problem);
    }

    pub(crate) fn extend(&mut self, problems: impl IntoIterator<Item = Problem>) {
        for p in problems {
            self.add(p);
        }
    }

    pub(crate) fn push(&mut self, path: &Path<'_>, message: impl Into<String>) {
        if self.list.len() >= crate::limits::MAX_PROBLEMS {
            // Not even rendered: the path and message would be dropped anyway.
            self.more += 1;
            return;
        }
        self.list.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems, ending with "and N more problems" when some were only counted.
    pub(crate) fn into_vec(self) -> Vec<Problem> {
        finish_capped(self.list, self.more)
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

/// Pushes `problem` unless `list` is full ([`crate::limits::MAX_PROBLEMS`]); counts it in `more`.
pub(crate) fn push_capped(list: &mut Vec<Problem>, more: &mut usize, problem: Problem) {
    if list.len() < crate::limits::MAX_PROBLEMS {
        list.push(problem);
    } else {
        *more += 1;
    }
}

/// A capped list, with a last problem counting those left out.
pub(crate) fn finish_capped(mut list: Vec<Problem>, more: usize) -> Vec<Problem> {
    if more > 0 {
        list.push(Problem {
            path: String::new(),
            message: format!(
                "and {more} more problems (only the first {} are listed)",
                crate::limits::MAX_PROBLEMS
            ),
        });
    }
    list
}

/// A JSON value the readers can convert: the `Value` tree (policies, request envelopes) or a
/// value streamed straight from the parser (records), so both share one set of rules and messages.
pub(crate) trait JsonValue {
    fn str_value(&self) -> Option<&str>;
    fn bool_value(&self) -> Option<bool>;
    fn u64_value(&self) -> Option<u64>;
    fn i64_value(&self) -> Option<i64>;
    /// `a string`, `a number`, … for messages.
    fn type_name(&self) -> &'static str;
    /// The value as JSON text, for messages.
    fn json_text(&self) -> String;
}

/// The message of a request value of the wrong type: the type only, never the value (a request's
/// values are a citizen's data: a CPR number, a birth date; SECURITY.md).
pub(crate) fn expected_type(what: &str, got: &str) -> String {
    format!("expected {what}, got {got}")
}

impl JsonValue for Value {
    fn str_value(&self) -> Option<&str> {
        self.as_str()
    }
    fn bool_value(&self) -> Option<bool> {
        self.as_bool()
    }
    fn u64_value(&self) -> Option<u64> {
        self.as_u64()
    }
    fn i64_value(&self) -> Option<i64> {
        self.as_i64()
    }
    fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    fn json_text(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out, QUOTED_BYTES);
        out
    }
}

/// Enough JSON text for a quoted value: `quote` keeps 60 characters, which 256 bytes always hold.
const QUOTED_BYTES: usize = 256;

/// Compact JSON text of `v`, as serde_json writes it, stopping once `out` is over `limit` bytes.
/// By hand rather than `Value`'s `Display`, whose error path keeps `<str as Debug>` and Unicode's
/// printable tables in the browser module.
pub(crate) fn write_json(v: &Value, out: &mut String, limit: usize) {
    if out.len() > limit {
        return;
    }
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out, limit);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(item, out, limit);
            }
            out.push('}');
        }
        scalar => write_json_scalar(scalar, out),
    }
}

/// A JSON scalar's text (`null`, a boolean, a number or a string), as serde_json writes it.
pub(crate) fn write_json_scalar(v: &Value, out: &mut String) {
    match v {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_json_string(s, out),
        _ => out.push_str("null"),
    }
}

/// A JSON string literal with serde_json's escapes.
pub(crate) fn write_json_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                out.push_str("\\u00");
                let b = c as usize;
                out.push(char::from(HEX.get(b >> 4).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(b & 15).copied().unwrap_or(b'0')));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Quotes a value for an error message, shortened so a huge value cannot flood the output.
pub(crate) fn quote<J: JsonValue + ?Sized>(v: &J) -> String {
    let s = v.json_text();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

pub(crate) fn expected<J: JsonValue + ?Sized>(what: &str, v: &J) -> String {
    match v.type_name() {
        "null" => format!("expected {what}, got null"),
        t => format!("expected {what}, got {t} {}", quote(v)),
    }
}

pub(crate) fn as_object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

/// The message for a list over its limit.
pub(crate) fn too_many(count: usize, limit: usize) -> String {
    format!("{count} entries; the limit is {limit}")
}

/// An array of at most `limit` items.
pub(crate) fn as_array_max(v: &Value, limit: usize) -> Result<&Vec<Value>, String> {
    let items = v.as_array().ok_or_else(|| expected("an array", v))?;
    if items.len() > limit {
        return Err(too_many(items.len(), limit));
    }
    Ok(items)
}

pub(crate) fn as_array(v: &Value) -> Result<&Vec<Value>, String> {
    as_array_max(v, crate::limits::MAX_LIST_ENTRIES)
}

pub(crate) fn as_str<J: JsonValue + ?Sized>(v: &J) -> Result<&str, String> {
    let s = v.str_value().ok_or_else(|| expected("a string", v))?;
    if s.len() > crate::limits::MAX_TEXT_BYTES {
        return Err(format!(
            "the text is {} bytes; the limit is {} bytes",
            s.len(),
            crate::limits::MAX_TEXT_BYTES
        ));
    }
    Ok(s)
}

pub(crate) fn as_string<J: JsonValue + ?Sized>(v: &J) -> Result<String, String> {
    as_str(v).map(str::to_owned)
}

pub(crate) fn as_bool<J: JsonValue + ?Sized>(v: &J) -> Result<bool, String> {
    v.bool_value().ok_or_else(|| expected("true or false", v))
}

pub(crate) fn as_u32<J: JsonValue + ?Sized>(v: &J) -> Result<u32, String> {
    v.u64_value()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| expected("a whole number of 0 or more", v))
}

pub(crate) fn as_date<J: JsonValue + ?Sized>(v: &J) -> Result<NaiveDate, String> {
    let s = as_str(v).map_err(|_| expected("a date YYYY-MM-DD", v))?;
    parse_date(s)
        .ok_or_else(|| format!("expected a real calendar date YYYY-MM-DD, got {}", quote(v)))
}

/// Strict ISO-8601 calendar date: exactly `YYYY-MM-DD`, a day that exists. Hand-parsed: dates are
/// the most frequent field of a record.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let digit = |c: &u8| c.is_ascii_digit().then(|| u32::from(c - b'0'));
    match s.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            let year = digit(y1)? * 1000 + digit(y2)? * 100 + digit(y3)? * 10 + digit(y4)?;
            let month = digit(m1)? * 10 + digit(m2)?;
            let day = digit(d1)? * 10 + digit(d2)?;
            NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
        }
        _ => None,
    }
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

/// Parses a document, refusing one over the size limit before touching it.
fn document_problem(message: String) -> Problem {
    Problem {
        path: String::new(),
        message,
    }
}

/// Refuses a document over the size limit, or empty, before it is parsed.
pub(crate) fn check_document(text: &str) -> Result<(), Problem> {
    if text.len() > crate::limits::MAX_DOCUMENT_BYTES {
        return Err(document_problem(crate::limits::document_too_large()));
    }
    if text.trim().is_empty() {
        return Err(document_problem(
            "the document is empty; expected a JSON object".into(),
        ));
    }
    Ok(())
}

/// The problem of a document that is not JSON (serde_json's message names line and column).
pub(crate) fn not_json(e: &serde_json::Error) -> Problem {
    document_problem(format!("not valid JSON: {e}"))
}

/// Parses a document, refusing one over the size limit before touching it, and one with a key
/// twice in an object (every such key listed).
pub(crate) fn parse_document(text: &str) -> Result<Value, Vec<Problem>> {
    check_document(text).map_err(|p| vec![p])?;
    let (value, duplicates) = parse_listing_duplicates(text).map_err(|p| vec![p])?;
    if duplicates.is_empty() {
        Ok(value)
    } else {
        Err(duplicates)
    }
}

/// Parses JSON text, listing every key that appears twice in one object (with its path) rather
/// than keeping either value; the problem when the text is not JSON.
pub(crate) fn parse_listing_duplicates(text: &str) -> Result<(Value, Vec<Problem>), Problem> {
    let mut duplicates = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = StrictValue {
        path: Path::Root,
        duplicates: &mut duplicates,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| not_json(&e))?;
    Ok((value, duplicates))
}

/// The problem of a key that appears twice in one object of a policy or request envelope: the
/// document is refused, since no reader may pick one of two values (SPEC §8).
pub(crate) fn duplicate_key(path: &Path<'_>, key: &str) -> Problem {
    Problem {
        path: path.key(key).to_string(),
        message: format!("the key \"{key}\" appears more than once in this object"),
    }
}

/// Reads any JSON value into a `Value`, as serde_json does, but lists every key that appears twice
/// in an object instead of silently keeping the last value.
pub(crate) struct StrictValue<'p> {
    pub path: Path<'p>,
    pub duplicates: &'p mut Vec<Problem>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let parent = self.path;
        let mut items = Vec::new();
        loop {
            let path = parent.index(items.len());
            let seed = StrictValue {
                path,
                duplicates: &mut *self.duplicates,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let parent = self.path;
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if m.contains_key(&key) {
                self.duplicates.push(duplicate_key(&parent, &key));
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            let path = parent.key(&key);
            let value = map.next_value_seed(StrictValue {
                path,
                duplicates: &mut *self.duplicates,
            })?;
            m.insert(key, value);
        }
        Ok(Value::Object(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The hand-written JSON text is serde_json's, byte for byte, up to the quoting cap.
    #[test]
    fn json_text_is_serde_jsons() {
        let values = [
            json!(null),
            json!(true),
            json!(-12),
            json!(18446744073709551615u64),
            json!(1.5e-7),
            json!("plain æøå 😀"),
            json!("quote \" backslash \\ slash / nl \n cr \r tab \t bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f}"),
            json!([1, "a", [], {}, [null, false]]),
            json!({ "b": { "c\"d": [1, 2] }, "a": "x" }),
            json!({}),
        ];
        for v in values {
            assert_eq!(v.json_text(), serde_json::to_string(&v).unwrap(), "{v:?}");
        }
        let long = Value::Array((0..1000).map(|i| json!(i)).collect());
        let text = long.json_text();
        assert!(text.len() <= QUOTED_BYTES + 8, "{}", text.len());
        assert!(serde_json::to_string(&long).unwrap().starts_with(&text));
        assert_eq!(
            quote(&long),
            quote_of(&serde_json::to_string(&long).unwrap())
        );
    }

    fn quote_of(s: &str) -> String {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    }
}
