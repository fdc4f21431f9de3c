//! Reads a request: the envelope strictly (every problem with its path), each record leniently
//! (unknown fields ignored; an unreadable record becomes `INVALID_RECORD`, the others still count).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::cpr::Cpr;
use crate::error::{InputError, InputKind};
use crate::json::{
    as_array, as_array_max, as_bool, as_date, as_i64, as_object, as_str, as_string, fields,
    parse_document, quote, Path, Problems,
};
use crate::kle::{Facet, Kle};
use crate::limits;
use crate::policy::parse::{object, opt, req, unknown_fields, with};
use crate::types::{
    Benefit, Case, CaseStatus, CustodyFacts, CustodyRelation, Document, InvalidRecord, Payment,
    Person, Record, RecordInput, RecordKind, Request,
};

impl Request {
    pub fn from_json_str(text: &str) -> Result<Request, InputError> {
        let v = parse_document(text).map_err(|p| InputError::new(InputKind::Request, vec![p]))?;
        Request::from_value(&v)
    }

    pub fn from_value(v: &Value) -> Result<Request, InputError> {
        let mut p = Problems::default();
        let request = read_request(v, &Path::Root, &mut p);
        match request {
            Some(r) if p.0.is_empty() => Ok(r),
            _ => Err(InputError::new(InputKind::Request, p.0)),
        }
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Request::from_value(&v).map_err(serde::de::Error::custom)
    }
}

fn cpr(v: &Value) -> Result<Cpr, String> {
    Cpr::parse(as_str(v)?).ok_or_else(|| {
        format!(
            "malformed CPR number {}; expected 10 digits, optionally DDMMYY-SSSS",
            quote(v)
        )
    })
}

fn read_request(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Request> {
    let m = object(v, path, p)?;
    unknown_fields(
        m,
        path,
        &["asOf", "viewer", "subject", "custody", "records"],
        p,
    );
    let as_of = req(m, "asOf", path, p, with(as_date));
    let viewer = req(m, "viewer", path, p, read_person);
    let subject = opt(m, "subject", path, p, read_person);
    let custody = opt(m, "custody", path, p, read_custody);
    let records = req(m, "records", path, p, |v, path, p| {
        let items = p.take(path, as_array_max(v, limits::MAX_RECORDS))?;
        Some(
            items
                .iter()
                .enumerate()
                .map(|(i, r)| read_record(r, i))
                .collect(),
        )
    });
    Some(Request {
        as_of: as_of?,
        viewer: viewer?,
        subject: subject.ok()?,
        custody: custody.ok()?,
        records: records?,
    })
}

fn read_person(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Person> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["cpr", "birthDate"], p);
    let cpr = req(m, "cpr", path, p, with(cpr));
    let birth_date = opt(m, "birthDate", path, p, with(as_date));
    Some(Person {
        cpr: cpr?,
        birth_date: birth_date.ok()?,
    })
}

fn read_custody(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<CustodyFacts> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["verifiedAt", "relations"], p);
    let verified_at = opt(m, "verifiedAt", path, p, with(as_date));
    let relations = opt(m, "relations", path, p, |v, path, p| {
        let items = p.take(path, as_array(v))?;
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
    let kind = req(m, "type", path, p, with(as_string));
    let from = req(m, "validFrom", path, p, with(as_date));
    let to = opt(m, "validTo", path, p, with(as_date));
    Some(CustodyRelation {
        child_cpr: child?,
        relation_type: kind?,
        valid_from: from?,
        valid_to: to.ok()?,
    })
}

// ---------------------------------------------------------------- records

/// A record's first problem: path and message.
type Bad = (String, String);

/// Every field a record may carry, gathered in one pass over its keys in document order.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    kind: Option<RecordKind>,
    kle: Option<Kle>,
    facet: Option<Facet>,
    title: Option<String>,
    source_system: Option<String>,
    provider: Option<String>,
    created_date: Option<chrono::NaiveDate>,
    status: Option<CaseStatus>,
    closed_date: Option<chrono::NaiveDate>,
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
    start_date: Option<chrono::NaiveDate>,
    end_date: Option<chrono::NaiveDate>,
    payments: Vec<Payment>,
}

/// A party value that is not a CPR number (a CVR, say) counts as no CPR, not as a bad record.
fn party(v: &Value) -> Result<Option<Cpr>, String> {
    Ok(Cpr::parse(as_str(v)?))
}

fn kind(v: &Value) -> Result<RecordKind, String> {
    match as_str(v)? {
        "case" => Ok(RecordKind::Case),
        "benefit" => Ok(RecordKind::Benefit),
        _ => Err(format!(
            "unknown kind {}; expected \"case\" or \"benefit\"",
            quote(v)
        )),
    }
}

fn non_empty(v: &Value) -> Result<String, String> {
    let s = as_string(v)?;
    if s.is_empty() {
        return Err("expected a non-empty string".into());
    }
    Ok(s)
}

fn emne(v: &Value) -> Result<Kle, String> {
    Kle::parse_emne(as_str(v)?)
        .ok_or_else(|| format!("malformed KLE emne {}; expected NN.NN.NN", quote(v)))
}

fn facet_code(v: &Value) -> Result<Facet, String> {
    Facet::parse_code(as_str(v)?).ok_or_else(|| {
        format!(
            "malformed facet {}; expected a capital letter and two digits (G01)",
            quote(v)
        )
    })
}

fn status(v: &Value) -> Result<CaseStatus, String> {
    CaseStatus::parse(as_str(v)?).ok_or_else(|| {
        format!(
            "unknown status {}; expected Opstaaet, Oplyst, Afgjort or Afsluttet",
            quote(v)
        )
    })
}

/// Reads a list field whose items are objects, each through `item`; the first bad item wins.
fn items<T>(
    v: &Value,
    path: &Path<'_>,
    limit: usize,
    mut item: impl FnMut(&Map<String, Value>, &Path<'_>) -> Result<T, Bad>,
) -> Result<Vec<T>, Bad> {
    let list = as_array_max(v, limit).map_err(|m| (path.to_string(), m))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, it) in list.iter().enumerate() {
        let ip = path.index(i);
        let m = as_object(it).map_err(|msg| (ip.to_string(), msg))?;
        out.push(item(m, &ip)?);
    }
    Ok(out)
}

fn read_document(m: &Map<String, Value>, path: &Path<'_>) -> Result<Document, Bad> {
    let mut d = Document {
        id: None,
        title: None,
        date: None,
        excluded_from_citizen: false,
    };
    for (k, v) in fields(m) {
        let at = |msg: String| (path.key(k).to_string(), msg);
        match k {
            "id" => d.id = Some(as_string(v).map_err(at)?),
            "title" => d.title = Some(as_string(v).map_err(at)?),
            "date" => d.date = Some(as_date(v).map_err(at)?),
            "excludedFromCitizen" => d.excluded_from_citizen = as_bool(v).map_err(at)?,
            _ => {}
        }
    }
    Ok(d)
}

fn read_payment(m: &Map<String, Value>, path: &Path<'_>) -> Result<Payment, Bad> {
    let (mut date, mut amount) = (None, None);
    for (k, v) in fields(m) {
        let at = |msg: String| (path.key(k).to_string(), msg);
        match k {
            "date" => date = Some(as_date(v).map_err(at)?),
            "grossAmountOre" => amount = Some(as_i64(v).map_err(at)?),
            _ => {}
        }
    }
    let missing = |k: &str| {
        (
            path.key(k).to_string(),
            format!("missing required field \"{k}\""),
        )
    };
    Ok(Payment {
        date: date.ok_or_else(|| missing("date"))?,
        gross_amount_ore: amount.ok_or_else(|| missing("grossAmountOre"))?,
    })
}

/// Reads the fields a record of `kind` uses (both kinds' when the kind is unknown), stopping at the
/// first bad one in document order.
fn read_fields(m: &Map<String, Value>, path: &Path<'_>, f: &mut Fields) -> Result<(), Bad> {
    let case = f.kind != Some(RecordKind::Benefit);
    let benefit = f.kind != Some(RecordKind::Case);
    for (k, v) in fields(m) {
        let kp = path.key(k);
        let at = |msg: String| (kp.to_string(), msg);
        match k {
            "id" => f.id = Some(non_empty(v).map_err(at)?),
            "kind" => f.kind = Some(kind(v).map_err(at)?),
            "kle" => f.kle = Some(emne(v).map_err(at)?),
            "sourceSystem" => f.source_system = Some(as_string(v).map_err(at)?),
            "provider" => f.provider = Some(as_string(v).map_err(at)?),
            "sensitivity" => f.sensitivity = Some(as_string(v).map_err(at)?),
            "releasedToMinor" => f.released_to_minor = as_bool(v).map_err(at)?,
            "excludedFromCitizen" => f.excluded = as_bool(v).map_err(at)?,
            "facet" if case => f.facet = Some(facet_code(v).map_err(at)?),
            "title" if case => f.title = Some(as_string(v).map_err(at)?),
            "createdDate" if case => f.created_date = Some(as_date(v).map_err(at)?),
            "status" if case => f.status = Some(status(v).map_err(at)?),
            "closedDate" if case => f.closed_date = Some(as_date(v).map_err(at)?),
            "primaryParty" if case => f.primary_party = party(v).map_err(at)?,
            "propertyOwners" if case => {
                let list = as_array(v).map_err(at)?;
                for (i, o) in list.iter().enumerate() {
                    let owner = party(o).map_err(|msg| (kp.index(i).to_string(), msg))?;
                    f.property_owners.extend(owner);
                }
            }
            "targetGroup" if case => f.target_group = Some(as_string(v).map_err(at)?),
            "hoi" if case => f.hoi = as_bool(v).map_err(at)?,
            "documents" if case => {
                f.documents = items(v, &kp, limits::MAX_DOCUMENTS_PER_CASE, read_document)?
            }
            "caseId" if benefit => f.case_id = Some(as_string(v).map_err(at)?),
            "name" if benefit => f.name = Some(as_string(v).map_err(at)?),
            "recipient" if benefit => f.recipient = party(v).map_err(at)?,
            "economic" if benefit => f.economic = as_bool(v).map_err(at)?,
            "startDate" if benefit => f.start_date = Some(as_date(v).map_err(at)?),
            "endDate" if benefit => f.end_date = Some(as_date(v).map_err(at)?),
            "payments" if benefit => {
                f.payments = items(v, &kp, limits::MAX_PAYMENTS_PER_BENEFIT, read_payment)?
            }
            _ => {}
        }
    }
    Ok(())
}

fn required<T>(v: Option<T>, path: &Path<'_>, key: &str) -> Result<T, Bad> {
    v.ok_or_else(|| {
        (
            path.key(key).to_string(),
            format!("missing required field \"{key}\""),
        )
    })
}

fn build(f: Fields, path: &Path<'_>) -> Result<Record, Bad> {
    let id = required(f.id, path, "id")?;
    let kind = required(f.kind, path, "kind")?;
    let kle = required(f.kle, path, "kle")?;
    Ok(match kind {
        RecordKind::Case => Record::Case(Case {
            id,
            kle,
            created_date: required(f.created_date, path, "createdDate")?,
            status: required(f.status, path, "status")?,
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
        }),
        RecordKind::Benefit => Record::Benefit(Benefit {
            id,
            kle,
            start_date: required(f.start_date, path, "startDate")?,
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
        }),
    })
}

/// Reads record `index` of `records`; never fails, an unreadable record is returned as `Invalid`.
pub fn read_record(v: &Value, index: usize) -> RecordInput {
    let root = Path::Root;
    let records = root.key("records");
    let path = records.index(index);
    let Some(m) = v.as_object() else {
        return RecordInput::Invalid(InvalidRecord {
            id: format!("#{index}"),
            kind: None,
            path: path.to_string(),
            message: crate::json::expected("an object", v),
        });
    };
    // The label and kind are read first so that an invalid record is still reported by its id
    // and, if it is a case, still hides the benefits that name it.
    let label = m
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("#{index}"), str::to_owned);
    let mut f = Fields {
        kind: m.get("kind").and_then(|k| kind(k).ok()),
        ..Fields::default()
    };
    let kind_read = f.kind;
    match read_fields(m, &path, &mut f).and_then(|()| build(f, &path)) {
        Ok(record) => RecordInput::Valid(record),
        Err((bad_path, message)) => RecordInput::Invalid(InvalidRecord {
            id: label,
            kind: kind_read,
            path: bad_path,
            message,
        }),
    }
}
