//! The importer (IMPORT.md): SF1470 v6 Sags- og Dokumentindeks and Ydelsesindeks v6 documents in,
//! one request document (SPEC §2.2) for one evaluation date out, plus per-object problems.
//!
//! Pure: bytes and options in, JSON-ready values out; no clock, no file system, no network. The CLI
//! (`borgerblik import`) and the wasm `importIndex` both call [`import`], so they give the same bytes.
//!
//! - `xml`: refusals (size, UTF-8, DOCTYPE, well-formedness, depth, root) and namespace-aware reading
//! - `time`: instants, Copenhagen dates, the evaluation instant
//! - `slice`: latest Registrering, Virkning, the slice in force, parties
//! - `sag`: Sag and Dokument objects → case records
//! - `ydelse`: Bevilling and effektuering objects → benefit records
//! - `profile`: what the index cannot tell; `money`: kroner → øre

mod money;
mod profile;
mod sag;
mod slice;
pub mod synthetic;
mod time;
mod tree;
mod wellformed;
pub(crate) mod xml;
mod ydelse;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::cpr::Cpr;
use crate::limits::{MAX_RECORDS, MAX_XML_FILES, MAX_XML_TOTAL_BYTES};
pub use money::{kroner_to_ore, MoneyError};
pub use profile::Profile;
pub use time::{parse_date, parse_date_time, Instant};

/// One input file: a name for messages and its bytes.
pub struct ImportFile<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
}

/// What the request is for: the evaluation date, the viewer, the subject and the profile.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub as_of: NaiveDate,
    pub viewer: String,
    pub subject: Option<String>,
    pub profile: Profile,
}

impl ImportOptions {
    /// Checks `asOf` (`YYYY-MM-DD`) and the CPR numbers (10 digits, a hyphen after the 6th
    /// allowed). Problems never quote a CPR number.
    pub fn new(
        as_of: &str,
        viewer: &str,
        subject: Option<&str>,
        profile: Profile,
    ) -> Result<ImportOptions, Vec<crate::Problem>> {
        let mut problems = Vec::new();
        // Exactly YYYY-MM-DD (time::parse_date, not chrono's format parser: the wasm module's size).
        let as_of_date = Some(as_of).filter(|s| s.len() == 10).and_then(parse_date);
        if as_of_date.is_none() {
            problems.push(crate::Problem {
                path: "asOf".into(),
                message: format!("{as_of:?} is not a date (YYYY-MM-DD)"),
            });
        }
        for (path, cpr) in [("viewer", Some(viewer)), ("subject", subject)] {
            if cpr.is_some_and(|c| Cpr::parse(c).is_none()) {
                problems.push(crate::Problem {
                    path: path.into(),
                    message: "not a CPR number (10 digits, a hyphen after the 6th allowed)".into(),
                });
            }
        }
        match as_of_date {
            Some(as_of) if problems.is_empty() => Ok(ImportOptions {
                as_of,
                viewer: viewer.to_owned(),
                subject: subject.map(str::to_owned),
                profile,
            }),
            _ => Err(problems),
        }
    }
}

/// A per-object import problem: the file, the XML path (IMPORT.md §4a prefixes) and a message that
/// starts with the object's UUID. Never a CPR number, never a record's free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    pub file: String,
    pub path: String,
    pub message: String,
}

/// A file that cannot be imported at all (IMPORT.md §5): the run is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refusal {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The refused files of a run: one refused file refuses the whole run, every one is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{} file(s) cannot be imported", refusals.len())]
pub struct ImportError {
    pub refusals: Vec<Refusal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub cpr: String,
}

/// The request document (SPEC §2.2): `asOf`, `viewer`, `subject` when given, `records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedRequest {
    pub as_of: String,
    pub viewer: Person,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Person>,
    pub records: Vec<Record>,
}

/// What an import gives: the request and the problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub request: ImportedRequest,
    pub problems: Vec<Problem>,
}

impl Imported {
    /// The request as compact JSON: the CLI's stdout and the wasm `request`, byte for byte.
    pub fn request_json(&self) -> String {
        crate::to_json(&self.request)
    }
}

/// A record as IMPORT.md §4a lists it: every key written, `null` when nothing is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Record {
    Case(sag::CaseRecord),
    Benefit(ydelse::BenefitRecord),
}

/// A parsed file waiting for the second pass (documents and payments may sit in other files).
struct Parsed<'a> {
    name: &'a str,
    doc: xml::Tree<'a>,
    root: u32,
    kind: xml::Kind,
}

fn refusal(file: &str, r: xml::Refusal) -> Refusal {
    Refusal {
        file: file.to_owned(),
        line: r.line,
        column: r.column,
        message: r.message,
    }
}

/// Imports the files for one evaluation date. Files may mix Sag/Dokument and Ydelse documents;
/// documents, effektueringer and their Sag/Bevilling are joined across all of them. Records come
/// in file order, then document order.
pub fn import(files: &[ImportFile<'_>], options: &ImportOptions) -> Result<Imported, ImportError> {
    let mut refusals = Vec::new();
    if files.len() > MAX_XML_FILES {
        refusals.push(Refusal {
            file: files
                .get(MAX_XML_FILES)
                .map(|f| f.name.to_owned())
                .unwrap_or_default(),
            line: 1,
            column: 1,
            message: format!("more than {MAX_XML_FILES} files in one import"),
        });
        return Err(ImportError { refusals });
    }
    let mut total = 0usize;
    let mut parsed = Vec::with_capacity(files.len());
    for f in files {
        total = total.saturating_add(f.data.len());
        if total > MAX_XML_TOTAL_BYTES {
            refusals.push(Refusal {
                file: f.name.to_owned(),
                line: 1,
                column: 1,
                message: format!(
                    "the files of one import are over the limit of {} MiB together",
                    MAX_XML_TOTAL_BYTES >> 20
                ),
            });
            continue;
        }
        let text = match xml::text(f.data) {
            Ok(t) => t,
            Err(r) => {
                refusals.push(refusal(f.name, r));
                continue;
            }
        };
        let doc = match xml::parse(text) {
            Ok(d) => d,
            Err(r) => {
                refusals.push(refusal(f.name, r));
                continue;
            }
        };
        match xml::root(&doc) {
            Ok((root, kind)) => {
                let root = root.id();
                parsed.push(Parsed {
                    name: f.name,
                    doc,
                    root,
                    kind,
                });
            }
            Err(r) => refusals.push(refusal(f.name, r)),
        }
    }
    if !refusals.is_empty() {
        return Err(ImportError { refusals });
    }

    let t = Instant::evaluation(options.as_of);
    let mut problems = Vec::new();
    // First pass: the objects other objects point at, from every file.
    let mut dokumenter = HashMap::new();
    let mut payments = ydelse::Payments::default();
    for p in &parsed {
        let Some(root) = p.doc.get(p.root) else {
            continue;
        };
        match p.kind {
            xml::Kind::SagDokument => {
                sag::read_dokumenter(root, p.name, t, options, &mut dokumenter, &mut problems)
            }
            xml::Kind::Ydelse => {
                ydelse::read_payments(root, p.name, t, &mut payments, &mut problems)
            }
        }
    }
    // Second pass: the records.
    let mut records = Vec::new();
    for p in &parsed {
        let Some(root) = p.doc.get(p.root) else {
            continue;
        };
        match p.kind {
            xml::Kind::SagDokument => sag::read_sager(
                root,
                p.name,
                t,
                options,
                &dokumenter,
                &mut records,
                &mut problems,
            ),
            xml::Kind::Ydelse => ydelse::read_bevillinger(
                root,
                p.name,
                t,
                options,
                &payments,
                &mut records,
                &mut problems,
            ),
        }
    }
    if records.len() > MAX_RECORDS {
        return Err(ImportError {
            refusals: vec![Refusal {
                file: parsed.last().map(|p| p.name.to_owned()).unwrap_or_default(),
                line: 1,
                column: 1,
                message: format!(
                    "more than {MAX_RECORDS} records (the engine's limit for one request)"
                ),
            }],
        });
    }
    Ok(Imported {
        request: ImportedRequest {
            as_of: options.as_of.to_string(),
            viewer: Person {
                cpr: options.viewer.clone(),
            },
            subject: options.subject.clone().map(|cpr| Person { cpr }),
            records,
        },
        problems,
    })
}
