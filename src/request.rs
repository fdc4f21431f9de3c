//! Reads a request: the envelope strictly (every problem with its path), each record leniently
//! (unknown fields ignored; an unreadable record becomes `INVALID_RECORD`, the others still count).

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::cpr::Cpr;
use crate::error::{InputError, InputKind};
use crate::json::{
    as_array, as_str, check_document, duplicate_key, expected_type, not_json, parse_date,
    JsonValue, Path, Problem, Problems, StrictValue,
};
use crate::policy::parse::{opt, req, unknown_fields, with};
use crate::record::{records_seed, Scalar, Text};
use crate::types::{CustodyFacts, CustodyRelation, Person, RecordInput, Request};

impl Request {
    /// Reads a request document. Records are read straight from the text, without a `Value` tree.
    pub fn from_json_str(text: &str) -> Result<Request, InputError> {
        let refuse = |p: Problem| InputError::new(InputKind::Request, vec![p]);
        check_document(text).map_err(refuse)?;

        // A value no JSON reader can take (a lone surrogate, `1e400`) inside a record must cost
        // only that record (SPEC §8): such values are replaced by a stand-in the record reader
        // refuses, and the text read once more (src/unreadable.rs). Anything else that is not
        // JSON is refused as before, with the first reading's message.
        read_text(text).unwrap_or_else(|e| {
            crate::unreadable::stand_in(text)
                .and_then(|clean| read_text(&clean).ok())
                .unwrap_or_else(|| Err(refuse(not_json(&e))))
        })
    }

    /// Reads a request already parsed (the wasm object API, tests), through the same reader.
    pub fn from_value(v: &Value) -> Result<Request, InputError> {
        RequestSeed.deserialize(v).unwrap_or_else(|e| {
            Err(InputError::new(
                InputKind::Request,
                vec![Problem {
                    path: String::new(),
                    message: e.to_string(),
                }],
            ))
        })
    }
}

/// Reads a request from JSON text; `Err` when the text is not JSON. Not inlined: it is called
/// twice, and the wasm module has a size budget.
#[inline(never)]
fn read_text(text: &str) -> Result<Result<Request, InputError>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    RequestSeed
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|()| r))
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RequestSeed
            .deserialize(d)?
            .map_err(serde::de::Error::custom)
    }
}

const ENVELOPE: [&str; 5] = ["asOf", "viewer", "subject", "custody", "records"];

/// Reads a request: the small envelope into a `Value` map (read strictly, every problem listed),
/// the records streamed one by one.
struct RequestSeed;

impl<'de> DeserializeSeed<'de> for RequestSeed {
    type Value = Result<Request, InputError>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(RequestVisitor)
    }
}

struct RequestVisitor;

impl RequestVisitor {
    fn not_object(got: &Scalar<'_>) -> Result<Request, InputError> {
        Err(InputError::new(
            InputKind::Request,
            vec![Problem {
                path: String::new(),
                message: expected_type("an object", got.type_name()),
            }],
        ))
    }
}

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = Result<Request, InputError>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Map::new();
        let mut records: Option<Result<Vec<RecordInput>, (String, String)>> = None;
        let mut seen_records = false;
        // Keys twice, at any depth of the envelope: the request is refused (SPEC §8).
        let mut duplicates = Vec::new();
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            let repeated = if key == "records" {
                std::mem::replace(&mut seen_records, true)
            } else {
                envelope.contains_key(key.as_ref())
            };
            if repeated {
                duplicates.push(duplicate_key(&Path::Root, &key));
                map.next_value::<IgnoredAny>()?;
            } else if key == "records" {
                records = map.next_value_seed(RecordsField)?;
            } else if ENVELOPE.contains(&key.as_ref()) {
                let root = Path::Root;
                let value = map.next_value_seed(StrictValue {
                    path: root.key(&key),
                    duplicates: &mut duplicates,
                })?;
                envelope.insert(key.into_owned(), value);
            } else {
                map.next_value::<IgnoredAny>()?;
                // Kept (as null) so that the strict reader reports it in place.
                envelope.insert(key.into_owned(), Value::Null);
            }
        }
        Ok(read_envelope(&envelope, records, duplicates))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RequestVisitor::not_object(&Scalar::Array))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::Bool(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::Int(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::UInt(v)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::Float(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::Str(v.into())))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(RequestVisitor::not_object(&Scalar::Null))
    }
}

/// `records`: `null` counts as absent; anything else is read as the list of records.
struct RecordsField;

impl<'de> DeserializeSeed<'de> for RecordsField {
    type Value = Option<Result<Vec<RecordInput>, (String, String)>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Result<Vec<RecordInput>, (String, String)>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of records")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                records_seed().deserialize(d).map(Some)
            }
        }
        d.deserialize_option(V)
    }
}

// A refused envelope value is named by its field and type, never shown: it is the citizen's data
// (a CPR number, a birth date; SECURITY.md). Policy values are quoted, these are not.

fn wrong_type(what: &str, v: &Value) -> String {
    expected_type(what, v.type_name())
}

fn string(v: &Value) -> Result<&str, String> {
    match v.is_string() {
        // A string's only error is its length, which quotes nothing.
        true => as_str(v),
        false => Err(wrong_type("a string", v)),
    }
}

fn cpr(v: &Value) -> Result<Cpr, String> {
    Cpr::parse(string(v)?).ok_or_else(|| {
        "malformed CPR number; expected 10 digits, optionally DDMMYY-SSSS".to_owned()
    })
}

fn date(v: &Value) -> Result<chrono::NaiveDate, String> {
    let s = string(v).map_err(|_| wrong_type("a date YYYY-MM-DD", v))?;
    parse_date(s).ok_or_else(|| "expected a real calendar date YYYY-MM-DD".to_owned())
}

fn text(v: &Value) -> Result<String, String> {
    string(v).map(str::to_owned)
}

fn object<'v>(v: &'v Value, path: &Path<'_>, p: &mut Problems) -> Option<&'v Map<String, Value>> {
    p.take(
        path,
        v.as_object().ok_or_else(|| wrong_type("an object", v)),
    )
}

fn array(v: &Value) -> Result<&Vec<Value>, String> {
    match v.is_array() {
        true => as_array(v),
        false => Err(wrong_type("an array", v)),
    }
}

/// Reads the envelope strictly, reporting every problem; `records` were read already.
fn read_envelope(
    m: &Map<String, Value>,
    records: Option<Result<Vec<RecordInput>, (String, String)>>,
    duplicates: Vec<Problem>,
) -> Result<Request, InputError> {
    let mut p = Problems::new(duplicates);
    let path = Path::Root;
    let path = &path;
    unknown_fields(m, path, &ENVELOPE, &mut p);
    let as_of = req(m, "asOf", path, &mut p, with(date));
    let viewer = req(m, "viewer", path, &mut p, read_person);
    let subject = opt(m, "subject", path, &mut p, read_person);
    let custody = opt(m, "custody", path, &mut p, read_custody);
    let records = match records {
        None => {
            p.push(&path.key("records"), "missing required field \"records\"");
            None
        }
        Some(Err((at, message))) => {
            p.add(Problem { path: at, message });
            None
        }
        Some(Ok(records)) => Some(records),
    };
    let request = (|| {
        Some(Request {
            as_of: as_of?,
            viewer: viewer?,
            subject: subject.ok()?,
            custody: custody.ok()?,
            records: records?,
        })
    })();
    match request {
        Some(r) if p.is_empty() => Ok(r),
        _ => Err(InputError::new(InputKind::Request, p.into_vec())),
    }
}

fn read_person(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Person> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["cpr", "birthDate"], p);
    let cpr = req(m, "cpr", path, p, with(cpr));
    let birth_date = opt(m, "birthDate", path, p, with(date));
    Some(Person {
        cpr: cpr?,
        birth_date: birth_date.ok()?,
    })
}

fn read_custody(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<CustodyFacts> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["verifiedAt", "relations"], p);
    let verified_at = opt(m, "verifiedAt", path, p, with(date));
    let relations = opt(m, "relations", path, p, |v, path, p| {
        let items = p.take(path, array(v))?;
        let read: Vec<Option<CustodyRelation>> = items
            .iter()
            .enumerate()
            .map(|(i, r)| read_relation(r, &path.index(i), p))
            .collect();
        read.into_iter().collect()
    });
    Some(CustodyFacts {
        verified_at: verified_at.ok()?,
        relations: relations.ok()?.unwrap_or_default(),
    })
}

fn read_relation(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<CustodyRelation> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["childCpr", "type", "validFrom", "validTo"], p);
    let child = req(m, "childCpr", path, p, with(cpr));
    let kind = req(m, "type", path, p, with(text));
    let from = req(m, "validFrom", path, p, with(date));
    let to = opt(m, "validTo", path, p, with(date));
    Some(CustodyRelation {
        child_cpr: child?,
        relation_type: kind?,
        valid_from: from?,
        valid_to: to.ok()?,
    })
}
