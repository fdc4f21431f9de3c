//! Reads records straight from the JSON parser, without building a `Value` tree first: records are
//! the bulk of every request, and the tree cost more than all the rules together (BENCHMARKS.md).
//!
//! A record never fails the request. Every field the record may carry is read leniently in document
//! order; when the map ends, the first problem that concerns the record's kind wins (`kind` may come
//! last), then missing required fields. Unknown fields are skipped unread.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

pub(crate) mod fast;

use crate::cpr::Cpr;
use crate::json::{as_str, parse_date, too_many, JsonValue};
use crate::kle::{Facet, Kle};
use crate::limits;
use crate::types::{
    Benefit, Case, CaseStatus, Document, InvalidRecord, Payment, Record, RecordInput, RecordKind,
};

/// A record's first problem: JSON path and message.
pub(crate) type Bad = (String, String);

// ---------------------------------------------------------------- values as the parser hands them

/// Text borrowed from the input when it has no escapes.
pub(crate) struct Text<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Any JSON value, read without failing on its type; arrays and objects are skipped, not kept.
pub(crate) enum Scalar<'de> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::UInt(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Object)
    }
}

impl JsonValue for Scalar<'_> {
    fn str_value(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
    fn bool_value(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn u64_value(&self) -> Option<u64> {
        match self {
            Scalar::UInt(n) => Some(*n),
            Scalar::Int(n) => u64::try_from(*n).ok(),
            _ => None,
        }
    }
    fn i64_value(&self) -> Option<i64> {
        match self {
            Scalar::Int(n) => Some(*n),
            Scalar::UInt(n) => i64::try_from(*n).ok(),
            _ => None,
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a boolean",
            Scalar::Int(_) | Scalar::UInt(_) | Scalar::Float(_) => "a number",
            Scalar::Str(_) => "a string",
            Scalar::Array => "an array",
            Scalar::Object => "an object",
        }
    }
    fn json_text(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(n) => n.to_string(),
            Scalar::UInt(n) => n.to_string(),
            // Through serde_json's own float printer: `f64`'s Display would add core's float
            // formatting tables to the wasm module.
            Scalar::Float(n) => serde_json::Number::from_f64(*n)
                .map_or_else(|| "null".to_owned(), |n| n.to_string()),
            Scalar::Str(s) => {
                let mut out = String::new();
                crate::json::write_json_string(s, &mut out);
                out
            }
            Scalar::Array => "[…]".into(),
            Scalar::Object => "{…}".into(),
        }
    }
}

// ---------------------------------------------------------------- objects and lists, leniently

/// Reads one JSON object field by field; anything else is reported, never fatal.
pub(crate) trait ObjectReader<'de>: Sized {
    type Out;
    fn field<A: MapAccess<'de>>(
        &mut self,
        key: &Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error>;

    fn finish(self) -> Self::Out;
    /// The value was not an object (`got` describes it).
    fn not_object(self, got: &Scalar<'_>) -> Self::Out;
}

pub(crate) struct ObjectSeed<R>(pub R);

impl<'de, R: ObjectReader<'de>> DeserializeSeed<'de> for ObjectSeed<R> {
    type Value = R::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R::Out, D::Error> {
        d.deserialize_any(ObjectVisitor(self.0))
    }
}

struct ObjectVisitor<R>(R);

/// Every non-matching JSON value is consumed and handed to `$reject` as a `Scalar`.
macro_rules! others {
    ($reject:ident) => {
        fn visit_bool<Er: de::Error>(self, v: bool) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Bool(v)))
        }
        fn visit_i64<Er: de::Error>(self, v: i64) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Int(v)))
        }
        fn visit_u64<Er: de::Error>(self, v: u64) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::UInt(v)))
        }
        fn visit_f64<Er: de::Error>(self, v: f64) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Float(v)))
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Str(Cow::Borrowed(v))))
        }
        fn visit_unit<Er: de::Error>(self) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Null))
        }
        fn visit_none<Er: de::Error>(self) -> Result<Self::Value, Er> {
            Ok(self.$reject(&Scalar::Null))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

impl<'de, R: ObjectReader<'de>> ObjectVisitor<R> {
    fn reject(self, got: &Scalar<'_>) -> R::Out {
        self.0.not_object(got)
    }
}

impl<'de, R: ObjectReader<'de>> Visitor<'de> for ObjectVisitor<R> {
    type Value = R::Out;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    others!(reject);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<R::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.reject(&Scalar::Array))
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<R::Out, A::Error> {
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            self.0.field(&key, &mut map)?;
        }
        Ok(self.0.finish())
    }
}

/// Makes the reader of each element of a list.
pub(crate) trait Elements<'de> {
    type Item;
    /// `Ok(None)`: the element is absent (`null`, SPEC §8).
    type Seed: DeserializeSeed<'de, Value = Result<Option<Self::Item>, Bad>>;
    fn at(&self, index: usize) -> Self::Seed;
}

/// A list of at most `limit` elements; `null` is an empty list, and a `null` element is absent
/// (SPEC §8: "within a list, a `null` element is absent"). The over-limit problem comes before
/// any element's; otherwise the first element's problem wins.
pub(crate) struct ListSeed<E> {
    pub path: fn(&E) -> String,
    pub limit: usize,
    pub elements: E,
    /// A value that is not a list counts as an empty list instead of a problem (`propertyOwners`:
    /// SPEC §8 "`propertyOwners` that is not a list counts as no owners").
    pub not_a_list_is_empty: bool,
}

impl<'de, E: Elements<'de>> DeserializeSeed<'de> for ListSeed<E> {
    type Value = Result<Vec<E::Item>, Bad>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Elements<'de>> ListSeed<E> {
    fn reject(self, got: &Scalar<'_>) -> Result<Vec<E::Item>, Bad> {
        match got {
            Scalar::Null => Ok(Vec::new()),
            _ if self.not_a_list_is_empty => Ok(Vec::new()),
            _ => Err(((self.path)(&self.elements), wrong_type("an array", got))),
        }
    }
}

impl<'de, E: Elements<'de>> Visitor<'de> for ListSeed<E> {
    type Value = Result<Vec<E::Item>, Bad>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    others!(reject);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.reject(&Scalar::Object))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut first: Option<Bad> = None;
        let mut count = 0;
        loop {
            if count >= self.limit {
                // Over the limit: count the rest without reading them.
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                break;
            }
            let Some(read) = seq.next_element_seed(self.elements.at(count))? else {
                break;
            };
            match read {
                Ok(Some(item)) => out.push(item),
                Ok(None) => {}
                Err(bad) => {
                    first.get_or_insert(bad);
                }
            }
            count += 1;
        }
        if count > self.limit {
            return Ok(Err((
                (self.path)(&self.elements),
                too_many(count, self.limit),
            )));
        }
        Ok(match first {
            Some(bad) => Err(bad),
            None => Ok(out),
        })
    }
}

// ---------------------------------------------------------------- field conversions

// A record's problems describe what is wrong without quoting the value (SPEC §8: it may be a CPR
// number or a caseworker's note, and decisions and `explain` are passed on); policy problems, by
// contrast, quote their values (json.rs).

/// "expected a string, got a number": the value's JSON type, never the value.
fn wrong_type(what: &str, v: &Scalar<'_>) -> String {
    if let Scalar::Str(s) = v {
        if s == crate::unreadable::UNREADABLE {
            return crate::unreadable::MESSAGE.into();
        }
    }
    format!("expected {what}, got {}", v.type_name())
}

/// A string within the text limit (and not the stand-in for a value that cannot be read).
fn text<'a>(v: &'a Scalar<'_>) -> Result<&'a str, String> {
    match v {
        Scalar::Str(s) if s == crate::unreadable::UNREADABLE => {
            Err(crate::unreadable::MESSAGE.into())
        }
        Scalar::Str(_) => as_str(v),
        _ => Err(wrong_type("a string", v)),
    }
}

fn owned_text(v: &Scalar<'_>) -> Result<String, String> {
    text(v).map(str::to_owned)
}

fn flag(v: &Scalar<'_>) -> Result<bool, String> {
    v.bool_value().ok_or_else(|| wrong_type("true or false", v))
}

fn date(v: &Scalar<'_>) -> Result<NaiveDate, String> {
    let s = text(v).map_err(|_| wrong_type("a date YYYY-MM-DD", v))?;
    parse_date(s).ok_or_else(|| "expected a real calendar date YYYY-MM-DD".to_owned())
}

fn whole_number(v: &Scalar<'_>) -> Result<i64, String> {
    match v {
        Scalar::Float(_) => Err("expected a whole number, got a fraction".into()),
        Scalar::UInt(_) | Scalar::Int(_) => v
            .i64_value()
            .ok_or_else(|| "expected a whole number, got a number out of range".into()),
        _ => Err(wrong_type("a whole number", v)),
    }
}

/// A party value that is not a CPR number counts as no CPR, whatever its JSON type (SPEC §8): a
/// CVR number, a number, a list, an object. Only a text over the length limit is a bad record.
fn party(v: &Scalar<'_>) -> Result<Option<Cpr>, String> {
    match v {
        Scalar::Str(_) => Ok(Cpr::parse(text(v)?)),
        _ => Ok(None),
    }
}

fn kind(v: &Scalar<'_>) -> Result<RecordKind, String> {
    match text(v)? {
        "case" => Ok(RecordKind::Case),
        "benefit" => Ok(RecordKind::Benefit),
        _ => Err("unknown kind; expected \"case\" or \"benefit\"".into()),
    }
}

fn non_empty(v: &Scalar<'_>) -> Result<String, String> {
    let s = owned_text(v)?;
    if s.is_empty() {
        return Err("expected a non-empty string".into());
    }
    Ok(s)
}

fn emne(v: &Scalar<'_>) -> Result<Kle, String> {
    Kle::parse_emne(text(v)?).ok_or_else(|| "malformed KLE emne; expected NN.NN.NN".into())
}

fn facet_code(v: &Scalar<'_>) -> Result<Facet, String> {
    Facet::parse_code(text(v)?)
        .ok_or_else(|| "malformed facet; expected a capital letter and two digits (G01)".into())
}

fn status(v: &Scalar<'_>) -> Result<CaseStatus, String> {
    CaseStatus::parse(text(v)?)
        .ok_or_else(|| "unknown status; expected Opstaaet, Oplyst, Afgjort or Afsluttet".into())
}

/// The four sensitivity values of SPEC §2.2, spelt exactly. Anything else fails closed (SPEC §8):
/// a misspelt `VIP_SAGER` must never show a case.
pub const SENSITIVITIES: [&str; 4] = [
    "IKKE_FORTROLIGE_DATA",
    "FORTROLIGE_PERSONOPLYSNINGER",
    "FOELSOMME_PERSONOPLYSNINGER",
    "VIP_SAGER",
];

fn sensitivity(v: &Scalar<'_>) -> Result<String, String> {
    let s = text(v)?;
    if SENSITIVITIES.contains(&s) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "unknown sensitivity; expected one of {}",
            SENSITIVITIES.join(", ")
        ))
    }
}

/// The problem of a key that appears twice in one object (SPEC §8: no reader may pick one of two
/// values). The path names the key; the message quotes nothing.
const DUPLICATE_KEY: &str = "the same key appears more than once in this object";

/// Keys already seen in one object: the known ones as bits, the others in a short array (a
/// record or document carries a few keys the engine does not read: `caseNumber`, `content`, ...)
/// and past that in a list. The array spares an allocation per object (callgrind: ~2 % of a run).
#[derive(Default)]
struct SeenKeys<'de> {
    known: u32,
    few: [Cow<'de, str>; FEW_OTHER_KEYS],
    /// How many of `few` are used.
    counted: usize,
    more: Vec<Cow<'de, str>>,
}

/// Unknown keys an object may carry before [`SeenKeys`] allocates.
#[cfg(any(not(target_arch = "wasm32"), feature = "wasm-batch"))]
const FEW_OTHER_KEYS: usize = 4;
/// None in the size-budgeted browser builds (one citizen at a time; the array cost ~1 KB raw).
#[cfg(all(target_arch = "wasm32", not(feature = "wasm-batch")))]
const FEW_OTHER_KEYS: usize = 0;

impl<'de> SeenKeys<'de> {
    /// Marks a key seen; true when it was seen before. `bit` is the known key's position.
    // A `Cow`, not a `&str`: an unknown key is kept, and cloning a borrowed key copies nothing.
    #[allow(clippy::ptr_arg)]
    #[inline]
    fn repeated(&mut self, bit: Option<u32>, key: &Cow<'de, str>) -> bool {
        match bit {
            Some(b) => {
                let mask = 1u32 << b;
                let seen = self.known & mask != 0;
                self.known |= mask;
                seen
            }
            None => self.other(key),
        }
    }

    #[allow(clippy::ptr_arg)]
    fn other(&mut self, key: &Cow<'de, str>) -> bool {
        let few = self.few.get(..self.counted).unwrap_or_default();
        if few.iter().chain(&self.more).any(|k| k == key) {
            return true;
        }
        match self.few.get_mut(self.counted) {
            Some(slot) => {
                *slot = key.clone();
                self.counted += 1;
            }
            None => self.more.push(key.clone()),
        }
        false
    }
}

// ---------------------------------------------------------------- documents, payments, owners

pub(crate) struct DocumentReader<'de> {
    record: usize,
    index: usize,
    document: Document,
    seen: SeenKeys<'de>,
    first: Option<Bad>,
}

impl<'de> DocumentReader<'de> {
    fn path(&self, key: &str) -> String {
        format!("records[{}].documents[{}].{key}", self.record, self.index)
    }
}

impl<'de> ObjectReader<'de> for DocumentReader<'de> {
    type Out = Result<Option<Document>, Bad>;
    fn field<A: MapAccess<'de>>(
        &mut self,
        key: &Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let bit = match key.as_ref() {
            "id" => Some(0),
            "title" => Some(1),
            "date" => Some(2),
            "excludedFromCitizen" => Some(3),
            _ => None,
        };
        if self.seen.repeated(bit, key) && self.first.is_none() {
            self.first = Some((self.path(key), DUPLICATE_KEY.into()));
        }
        if bit.is_none() || self.first.is_some() {
            map.next_value::<IgnoredAny>()?;
            return Ok(());
        }
        let v: Scalar = map.next_value()?;
        let d = &mut self.document;
        let read = match (key.as_ref(), &v) {
            (_, Scalar::Null) => Ok(()),
            ("id", v) => owned_text(v).map(|s| d.id = Some(s)),
            ("title", v) => owned_text(v).map(|s| d.title = Some(s)),
            ("date", v) => date(v).map(|x| d.date = Some(x)),
            (_, v) => flag(v).map(|b| d.excluded_from_citizen = b),
        };
        if let Err(msg) = read {
            self.first = Some((self.path(key), msg));
        }
        Ok(())
    }
    fn finish(self) -> Self::Out {
        match self.first {
            Some(bad) => Err(bad),
            None => Ok(Some(self.document)),
        }
    }
    fn not_object(self, got: &Scalar<'_>) -> Self::Out {
        if let Scalar::Null = got {
            return Ok(None);
        }
        Err((
            format!("records[{}].documents[{}]", self.record, self.index),
            wrong_type("an object", got),
        ))
    }
}

pub(crate) struct Documents(usize);

impl<'de> Elements<'de> for Documents {
    type Item = Document;
    type Seed = ObjectSeed<DocumentReader<'de>>;
    fn at(&self, index: usize) -> Self::Seed {
        ObjectSeed(DocumentReader {
            record: self.0,
            index,
            document: Document {
                id: None,
                title: None,
                date: None,
                excluded_from_citizen: false,
            },
            seen: SeenKeys::default(),
            first: None,
        })
    }
}

pub(crate) struct PaymentReader<'de> {
    record: usize,
    index: usize,
    date: Option<NaiveDate>,
    amount: Option<i64>,
    seen: SeenKeys<'de>,
    first: Option<Bad>,
}

impl<'de> PaymentReader<'de> {
    fn path(&self, key: &str) -> String {
        format!("records[{}].payments[{}].{key}", self.record, self.index)
    }
}

impl<'de> ObjectReader<'de> for PaymentReader<'de> {
    type Out = Result<Option<Payment>, Bad>;
    fn field<A: MapAccess<'de>>(
        &mut self,
        key: &Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let bit = match key.as_ref() {
            "date" => Some(0),
            "grossAmountOre" => Some(1),
            _ => None,
        };
        if self.seen.repeated(bit, key) && self.first.is_none() {
            self.first = Some((self.path(key), DUPLICATE_KEY.into()));
        }
        if bit.is_none() || self.first.is_some() {
            map.next_value::<IgnoredAny>()?;
            return Ok(());
        }
        let v: Scalar = map.next_value()?;
        let read = match (key.as_ref(), &v) {
            (_, Scalar::Null) => Ok(()),
            ("date", v) => date(v).map(|d| self.date = Some(d)),
            (_, v) => whole_number(v).map(|a| self.amount = Some(a)),
        };
        if let Err(msg) = read {
            self.first = Some((self.path(key), msg));
        }
        Ok(())
    }
    fn finish(self) -> Self::Out {
        if let Some(bad) = self.first {
            return Err(bad);
        }
        let missing = |k: &str| (self.path(k), format!("missing required field \"{k}\""));
        Ok(Some(Payment {
            date: self.date.ok_or_else(|| missing("date"))?,
            gross_amount_ore: self.amount.ok_or_else(|| missing("grossAmountOre"))?,
        }))
    }
    fn not_object(self, got: &Scalar<'_>) -> Self::Out {
        if let Scalar::Null = got {
            return Ok(None);
        }
        Err((
            format!("records[{}].payments[{}]", self.record, self.index),
            wrong_type("an object", got),
        ))
    }
}

pub(crate) struct Payments(usize);

impl<'de> Elements<'de> for Payments {
    type Item = Payment;
    type Seed = ObjectSeed<PaymentReader<'de>>;
    fn at(&self, index: usize) -> Self::Seed {
        ObjectSeed(PaymentReader {
            record: self.0,
            index,
            date: None,
            amount: None,
            seen: SeenKeys::default(),
            first: None,
        })
    }
}

/// One property owner: a CPR number, or `None` for a value that is not one.
pub(crate) struct OwnerSeed {
    record: usize,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for OwnerSeed {
    type Value = Result<Option<Cpr>, Bad>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let v = Scalar::deserialize(d)?;
        Ok(party(&v).map_err(|msg| {
            (
                format!("records[{}].propertyOwners[{}]", self.record, self.index),
                msg,
            )
        }))
    }
}

pub(crate) struct Owners(usize);

impl<'de> Elements<'de> for Owners {
    type Item = Cpr;
    type Seed = OwnerSeed;
    fn at(&self, index: usize) -> OwnerSeed {
        OwnerSeed {
            record: self.0,
            index,
        }
    }
}

// ---------------------------------------------------------------- records

/// Which kind of record a field belongs to: its problems count only for that kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Applies {
    Both,
    Case,
    Benefit,
}

/// A field a record may carry, recognised once per key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Id,
    Kind,
    Kle,
    SourceSystem,
    Provider,
    Sensitivity,
    ReleasedToMinor,
    Excluded,
    Facet,
    Title,
    CreatedDate,
    Status,
    ClosedDate,
    PrimaryParty,
    PropertyOwners,
    TargetGroup,
    Hoi,
    Documents,
    CaseId,
    Name,
    Recipient,
    Economic,
    StartDate,
    EndDate,
    Payments,
}

impl Key {
    /// By length first: this runs for every key of every record.
    #[inline]
    fn parse(key: &str) -> Option<Key> {
        Some(match (key.len(), key) {
            (2, "id") => Key::Id,
            (3, "kle") => Key::Kle,
            (3, "hoi") => Key::Hoi,
            (4, "kind") => Key::Kind,
            (4, "name") => Key::Name,
            (5, "facet") => Key::Facet,
            (5, "title") => Key::Title,
            (6, "status") => Key::Status,
            (6, "caseId") => Key::CaseId,
            (7, "endDate") => Key::EndDate,
            (8, "provider") => Key::Provider,
            (8, "economic") => Key::Economic,
            (8, "payments") => Key::Payments,
            (9, "documents") => Key::Documents,
            (9, "recipient") => Key::Recipient,
            (9, "startDate") => Key::StartDate,
            (10, "closedDate") => Key::ClosedDate,
            (11, "sensitivity") => Key::Sensitivity,
            (11, "createdDate") => Key::CreatedDate,
            (11, "targetGroup") => Key::TargetGroup,
            (12, "sourceSystem") => Key::SourceSystem,
            (12, "primaryParty") => Key::PrimaryParty,
            (14, "propertyOwners") => Key::PropertyOwners,
            (15, "releasedToMinor") => Key::ReleasedToMinor,
            (19, "excludedFromCitizen") => Key::Excluded,
            _ => return None,
        })
    }

    fn applies(self) -> Applies {
        match self {
            Key::Id
            | Key::Kind
            | Key::Kle
            | Key::SourceSystem
            | Key::Provider
            | Key::Sensitivity
            | Key::ReleasedToMinor
            | Key::Excluded => Applies::Both,
            Key::Facet
            | Key::Title
            | Key::CreatedDate
            | Key::Status
            | Key::ClosedDate
            | Key::PrimaryParty
            | Key::PropertyOwners
            | Key::TargetGroup
            | Key::Hoi
            | Key::Documents => Applies::Case,
            Key::CaseId
            | Key::Name
            | Key::Recipient
            | Key::Economic
            | Key::StartDate
            | Key::EndDate
            | Key::Payments => Applies::Benefit,
        }
    }
}

/// Every field a record may carry, gathered in one pass.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    kind: Option<RecordKind>,
    kle: Option<Kle>,
    facet: Option<Facet>,
    title: Option<String>,
    source_system: Option<String>,
    provider: Option<String>,
    created_date: Option<NaiveDate>,
    status: Option<CaseStatus>,
    closed_date: Option<NaiveDate>,
    primary_party: Option<Cpr>,
    property_owners: Vec<Cpr>,
    sensitivity: Option<String>,
    target_group: Option<String>,
    released_to_minor: bool,
    hoi: bool,
    excluded: bool,
    documents: Vec<Document>,
    case_id: Option<String>,
    name: Option<String>,
    recipient: Option<Cpr>,
    economic: bool,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    payments: Vec<Payment>,
}

impl Fields {
    /// Reads one scalar field; the lists are read by `RecordReader::field`.
    fn scalar(&mut self, key: Key, v: &Scalar<'_>) -> Result<(), String> {
        match key {
            Key::Id => self.id = Some(non_empty(v)?),
            Key::Kind => self.kind = Some(kind(v)?),
            Key::Kle => self.kle = Some(emne(v)?),
            Key::SourceSystem => self.source_system = Some(owned_text(v)?),
            Key::Provider => self.provider = Some(owned_text(v)?),
            Key::Sensitivity => self.sensitivity = Some(sensitivity(v)?),
            Key::ReleasedToMinor => self.released_to_minor = flag(v)?,
            Key::Excluded => self.excluded = flag(v)?,
            Key::Facet => self.facet = Some(facet_code(v)?),
            Key::Title => self.title = Some(owned_text(v)?),
            Key::CreatedDate => self.created_date = Some(date(v)?),
            Key::Status => self.status = Some(status(v)?),
            Key::ClosedDate => self.closed_date = Some(date(v)?),
            Key::PrimaryParty => self.primary_party = party(v)?,
            Key::TargetGroup => self.target_group = Some(owned_text(v)?),
            Key::Hoi => self.hoi = flag(v)?,
            Key::CaseId => self.case_id = Some(owned_text(v)?),
            Key::Name => self.name = Some(owned_text(v)?),
            Key::Recipient => self.recipient = party(v)?,
            Key::Economic => self.economic = flag(v)?,
            Key::StartDate => self.start_date = Some(date(v)?),
            Key::EndDate => self.end_date = Some(date(v)?),
            Key::PropertyOwners | Key::Documents | Key::Payments => {}
        }
        Ok(())
    }
}

/// Reads record `index` of `records`.
pub(crate) struct RecordReader<'de> {
    index: usize,
    fields: Fields,
    seen: SeenKeys<'de>,
    /// Problems in document order, each with the kind of record it concerns.
    problems: Vec<(Applies, Bad)>,
    /// The values of a repeated `id` key after the first.
    other_ids: Vec<String>,
}

impl<'de> RecordReader<'de> {
    pub(crate) fn new(index: usize) -> RecordReader<'de> {
        RecordReader {
            index,
            fields: Fields::default(),
            seen: SeenKeys::default(),
            problems: Vec::new(),
            other_ids: Vec::new(),
        }
    }

    fn path(&self, key: &str) -> String {
        format!("records[{}].{key}", self.index)
    }

    fn list<A: MapAccess<'de>, E: Elements<'de>>(
        &mut self,
        map: &mut A,
        applies: Applies,
        seed: ListSeed<E>,
    ) -> Result<Vec<E::Item>, A::Error> {
        Ok(match map.next_value_seed(seed)? {
            Ok(items) => items,
            Err(bad) => {
                self.problems.push((applies, bad));
                Vec::new()
            }
        })
    }

    /// Reads the value of one field the engine knows.
    fn known<A: MapAccess<'de>>(
        &mut self,
        field: Key,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let record = self.index;
        let applies = field.applies();
        match field {
            Key::Documents => {
                let docs = self.list(
                    map,
                    applies,
                    ListSeed {
                        path: |d: &Documents| format!("records[{}].documents", d.0),
                        limit: limits::MAX_DOCUMENTS_PER_CASE,
                        elements: Documents(record),
                        not_a_list_is_empty: false,
                    },
                )?;
                self.fields.documents = docs;
            }
            Key::Payments => {
                let pays = self.list(
                    map,
                    applies,
                    ListSeed {
                        path: |p: &Payments| format!("records[{}].payments", p.0),
                        limit: limits::MAX_PAYMENTS_PER_BENEFIT,
                        elements: Payments(record),
                        not_a_list_is_empty: false,
                    },
                )?;
                self.fields.payments = pays;
            }
            Key::PropertyOwners => {
                let owners = self.list(
                    map,
                    applies,
                    ListSeed {
                        path: |o: &Owners| format!("records[{}].propertyOwners", o.0),
                        limit: limits::MAX_LIST_ENTRIES,
                        elements: Owners(record),
                        not_a_list_is_empty: true,
                    },
                )?;
                self.fields.property_owners = owners;
            }
            field => {
                let v: Scalar = map.next_value()?;
                // `null` means absent everywhere.
                if !matches!(v, Scalar::Null) {
                    if let Err(msg) = self.fields.scalar(field, &v) {
                        self.problems.push((applies, (self.path(key), msg)));
                    }
                }
            }
        }
        Ok(())
    }

    /// On error, also gives back the id (an invalid record keeps its id as its label).
    fn build(f: Fields, index: usize) -> Result<Record, (Bad, Option<String>)> {
        let required = |key: &str| {
            (
                format!("records[{index}].{key}"),
                format!("missing required field \"{key}\""),
            )
        };
        let Some(id) = f.id else {
            return Err((required("id"), None));
        };
        let missing = |key: &str, id: String| (required(key), Some(id));
        let Some(kind) = f.kind else {
            return Err(missing("kind", id));
        };
        let Some(kle) = f.kle else {
            return Err(missing("kle", id));
        };
        Ok(match kind {
            RecordKind::Case => {
                let Some(created_date) = f.created_date else {
                    return Err(missing("createdDate", id));
                };
                let Some(status) = f.status else {
                    return Err(missing("status", id));
                };
                Record::Case(Case {
                    id,
                    kle,
                    created_date,
                    status,
                    facet: f.facet,
                    title: f.title,
                    source_system: f.source_system,
                    provider: f.provider,
                    closed_date: f.closed_date,
                    primary_party: f.primary_party,
                    property_owners: f.property_owners,
                    sensitivity: f.sensitivity,
                    target_group: f.target_group,
                    released_to_minor: f.released_to_minor,
                    hoi: f.hoi,
                    excluded_from_citizen: f.excluded,
                    documents: f.documents,
                })
            }
            RecordKind::Benefit => {
                let Some(start_date) = f.start_date else {
                    return Err(missing("startDate", id));
                };
                Record::Benefit(Benefit {
                    id,
                    kle,
                    start_date,
                    case_id: f.case_id,
                    name: f.name,
                    recipient: f.recipient,
                    economic: f.economic,
                    end_date: f.end_date,
                    source_system: f.source_system,
                    provider: f.provider,
                    sensitivity: f.sensitivity,
                    released_to_minor: f.released_to_minor,
                    excluded_from_citizen: f.excluded,
                    payments: f.payments,
                })
            }
        })
    }
}

impl<'de> ObjectReader<'de> for RecordReader<'de> {
    /// `None` for a `null` record: absent (SPEC §8).
    type Out = Option<RecordInput>;

    fn field<A: MapAccess<'de>>(
        &mut self,
        key: &Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let field = Key::parse(key);
        if self.seen.repeated(field.map(|k| k as u32), key) {
            // Ambiguous: whichever value a reader took, another reader could take the other. A
            // second id is kept, so a benefit naming either id still follows this record.
            if field == Some(Key::Id) {
                if let Scalar::Str(id) = map.next_value::<Scalar>()? {
                    self.other_ids.push(id.into_owned());
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            self.problems
                .push((Applies::Both, (self.path(key), DUPLICATE_KEY.into())));
            return Ok(());
        }
        let Some(field) = field else {
            map.next_value::<IgnoredAny>()?;
            return Ok(());
        };
        self.known(field, key, map)
    }

    fn finish(self) -> Option<RecordInput> {
        let index = self.index;
        let kind = self.fields.kind;
        let concerns = |a: Applies| match (a, kind) {
            (Applies::Both, _) | (_, None) => true,
            (Applies::Case, Some(k)) => k == RecordKind::Case,
            (Applies::Benefit, Some(k)) => k == RecordKind::Benefit,
        };
        let first = self
            .problems
            .into_iter()
            .find(|(a, _)| concerns(*a))
            .map(|(_, bad)| bad);
        let built = match first {
            Some(bad) => Err((bad, self.fields.id)),
            None => RecordReader::build(self.fields, index),
        };
        Some(match built {
            Ok(record) => RecordInput::Valid(record),
            Err(((path, message), id)) => RecordInput::Invalid(InvalidRecord {
                has_id: id.is_some(),
                other_ids: self.other_ids,
                id: id.unwrap_or_else(|| format!("#{index}")),
                kind,
                path,
                message,
            }),
        })
    }

    fn not_object(self, got: &Scalar<'_>) -> Option<RecordInput> {
        if let Scalar::Null = got {
            return None;
        }
        let index = self.index;
        Some(RecordInput::Invalid(InvalidRecord {
            id: format!("#{index}"),
            has_id: false,
            other_ids: Vec::new(),
            kind: None,
            path: format!("records[{index}]"),
            message: wrong_type("an object", got),
        }))
    }
}

/// The records of a request: each read on its own, never failing the list.
pub(crate) struct Records;

pub(crate) struct RecordSeed(usize);

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Result<Option<RecordInput>, Bad>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        ObjectSeed(RecordReader::new(self.0)).deserialize(d).map(Ok)
    }
}

impl<'de> Elements<'de> for Records {
    type Item = RecordInput;
    type Seed = RecordSeed;
    fn at(&self, index: usize) -> RecordSeed {
        RecordSeed(index)
    }
}

/// One record from its own text (the fast reader's records with a problem: src/record/fast.rs);
/// `None` if the text is not one JSON value.
fn read_one(text: &str, index: usize) -> Option<RecordInput> {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = RecordSeed(index).deserialize(&mut de).ok()?;
    de.end().ok()?;
    read.ok().flatten()
}

/// The `records` list of a request, at most `MAX_RECORDS` long.
pub(crate) fn records_seed() -> ListSeed<Records> {
    ListSeed {
        path: |_| "records".to_owned(),
        limit: limits::MAX_RECORDS,
        elements: Records,
        not_a_list_is_empty: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unknown key seen twice is a duplicate wherever [`SeenKeys`] keeps it: in its short
    /// array, past it, and across the two.
    #[test]
    fn an_unknown_key_twice_is_a_duplicate_before_and_after_the_short_array_fills() {
        let keys: Vec<String> = (0..FEW_OTHER_KEYS + 3).map(|i| format!("x{i}")).collect();
        for repeat in 0..keys.len() {
            for after in repeat + 1..=keys.len() {
                let mut seen = SeenKeys::default();
                let mut order: Vec<&str> = keys.iter().map(String::as_str).collect();
                order.insert(after, keys[repeat].as_str());
                let dup: Vec<bool> = order
                    .iter()
                    .map(|k| seen.repeated(None, &Cow::Owned((*k).to_owned())))
                    .collect();
                let mut expected = vec![false; order.len()];
                expected[after] = true;
                assert_eq!(dup, expected, "{order:?}");
            }
        }
        let mut seen = SeenKeys::default();
        assert!(!seen.repeated(Some(3), &Cow::Borrowed("kind")));
        assert!(
            !seen.repeated(None, &Cow::Borrowed("kind")),
            "known and unknown apart"
        );
        assert!(seen.repeated(Some(3), &Cow::Borrowed("kind")));
    }
}
