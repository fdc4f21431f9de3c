//! Every type of the JSON contract (SPEC.md sections 2 and 4), in one place.
//!
//! The same types serve Rust callers, the CLI and the wasm layer. Inputs are read by the hand-written
//! readers in `policy::parse` and `request` (every problem with its JSON path); outputs derive serde.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cpr::Cpr;
use crate::dates::Days;
use crate::kle::{Facet, Kle};
use crate::reason::ReasonCode;

// ---------------------------------------------------------------- policy

/// The effective policy: central rules (built-in sections filled in) and one municipality's settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub central: Central,
    pub municipality: Municipality,
}

/// Rules set nationally by KL/KOMBIT.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Central {
    pub etaper: Vec<Etape>,
    pub minors: Minors,
    pub custody: CustodyRules,
    pub sensitivity: SensitivityRules,
}

/// A rollout stage that makes its areas mandatory from a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Etape {
    pub id: String,
    pub name: String,
    pub mandatory_from: NaiveDate,
    pub areas: Vec<EtapeArea>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EtapeArea {
    pub kle: Kle,
    /// When set, the area covers only cases with one of these målgrupper (never a benefit).
    pub target_groups: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Minors {
    pub minimum_age: u32,
    pub reviewed_minimum_age: u32,
    pub areas: Vec<MinorArea>,
    pub hide_history_before_access: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinorArea {
    pub kle: Kle,
    pub minimum_age: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodyRules {
    pub enabled: bool,
    pub max_verification_age: Days,
    pub child_age_limit: u32,
    pub excluded_areas: Vec<KleArea>,
}

/// An area named only by its selector.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KleArea {
    pub kle: Kle,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SensitivityRules {
    pub hidden: Vec<String>,
}

/// One municipality's Borgerblik administration settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Municipality {
    pub code: Option<String>,
    pub name: Option<String>,
    pub areas: Vec<AreaSettings>,
}

/// A municipality area; every field but `kle` has the default SPEC §2.1 names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaSettings {
    pub kle: Kle,
    /// `None` inherits from the nearest broader entry (closed when there is none).
    pub open: Option<bool>,
    pub from_date: Option<NaiveDate>,
    pub show_active_before_from_date: bool,
    pub facets: Option<FacetFilter>,
    pub source_systems: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
    pub show_documents: bool,
    pub title: TitleMode,
    pub show_non_economic_benefits: bool,
    pub minimum_age: Option<u32>,
}

impl AreaSettings {
    /// An entry with every setting at its default: what a record gets when no entry matches.
    pub fn default_for(kle: Kle) -> AreaSettings {
        AreaSettings {
            kle,
            open: None,
            from_date: None,
            show_active_before_from_date: false,
            facets: None,
            source_systems: None,
            target_groups: None,
            show_documents: false,
            title: TitleMode::Kle,
            show_non_economic_benefits: false,
            minimum_age: None,
        }
    }
}

/// `{ "allow": [...] }` or `{ "deny": [...] }`; both at once is a validation error, `{}` is no filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FacetFilter {
    pub allow: Option<Vec<Facet>>,
    pub deny: Option<Vec<Facet>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum TitleMode {
    /// The KLE emne title from the embedded catalogue.
    Kle,
    /// The case system's own case title.
    Source,
}

// ---------------------------------------------------------------- request

/// One evaluation: whose overview, seen by whom, on which date, of which records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub as_of: NaiveDate,
    pub viewer: Person,
    /// `None`: the viewer's own overview.
    pub subject: Option<Person>,
    pub custody: Option<CustodyFacts>,
    pub records: Vec<RecordInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub cpr: Cpr,
    /// When absent, derived from the CPR number.
    pub birth_date: Option<NaiveDate>,
}

impl Person {
    pub fn birth(&self) -> Option<NaiveDate> {
        self.birth_date.or_else(|| self.cpr.birth_date())
    }
}

/// Custody as looked up in CPR, needed when the subject is not the viewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodyFacts {
    pub verified_at: Option<NaiveDate>,
    pub relations: Vec<CustodyRelation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodyRelation {
    pub child_cpr: Cpr,
    /// CPR's custody relation type; `0003`–`0006` give custody.
    #[serde(rename = "type")]
    pub relation_type: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A record as read from the request: readable, or hidden with `INVALID_RECORD`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum RecordInput {
    Valid(Record),
    Invalid(InvalidRecord),
}

/// A record that could not be read; kept so its decision can say why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidRecord {
    /// The record's id, or `#<index>` when it has no readable id.
    pub id: String,
    /// Whether `id` is the record's own id rather than its `#<index>` label, which is never a
    /// link target (SPEC §8).
    #[serde(skip)]
    pub has_id: bool,
    /// Further ids of a record whose `id` key appears more than once: a benefit naming any of
    /// them is `CASE_HIDDEN` (no reader may pick one of two ids).
    #[serde(skip)]
    pub other_ids: Vec<String>,
    /// The kind, when it could be read (an invalid case can still be a benefit's case).
    pub kind: Option<RecordKind>,
    /// Path of the first bad field in document order.
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RecordKind {
    Case,
    Benefit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Record {
    Case(Case),
    Benefit(Benefit),
}

/// The fields of a case the rules or the view use; all others are dropped when the record is read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: String,
    pub kle: Kle,
    pub facet: Option<Facet>,
    pub title: Option<String>,
    pub source_system: Option<String>,
    pub provider: Option<String>,
    pub created_date: NaiveDate,
    pub status: CaseStatus,
    pub closed_date: Option<NaiveDate>,
    /// `None` when absent or not a CPR number (a CVR, say).
    pub primary_party: Option<Cpr>,
    /// Only the values that are CPR numbers.
    pub property_owners: Vec<Cpr>,
    pub sensitivity: Option<String>,
    pub target_group: Option<String>,
    pub released_to_minor: bool,
    pub hoi: bool,
    pub excluded_from_citizen: bool,
    pub documents: Vec<Document>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub excluded_from_citizen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CaseStatus {
    Opstaaet,
    Oplyst,
    Afgjort,
    Afsluttet,
}

impl CaseStatus {
    /// The four statuses as the records and the index spell them.
    pub const NAMES: [&'static str; 4] = ["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"];

    pub fn parse(s: &str) -> Option<CaseStatus> {
        Some(match s {
            "Opstaaet" => CaseStatus::Opstaaet,
            "Oplyst" => CaseStatus::Oplyst,
            "Afgjort" => CaseStatus::Afgjort,
            "Afsluttet" => CaseStatus::Afsluttet,
            _ => return None,
        })
    }

    /// The status the citizen sees.
    pub fn shown(self) -> &'static str {
        match self {
            CaseStatus::Afsluttet => "Afsluttet",
            _ => "Under behandling",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Benefit {
    pub id: String,
    pub kle: Kle,
    pub case_id: Option<String>,
    pub name: Option<String>,
    pub recipient: Option<Cpr>,
    /// Absent means non-economic (fail closed).
    pub economic: bool,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub source_system: Option<String>,
    pub provider: Option<String>,
    pub sensitivity: Option<String>,
    pub released_to_minor: bool,
    pub excluded_from_citizen: bool,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    #[serde(serialize_with = "crate::dates::iso::serialize")]
    pub date: NaiveDate,
    pub gross_amount_ore: i64,
}

// ---------------------------------------------------------------- output

/// The answer to one request: the citizen's view, a decision per record, and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    #[serde(serialize_with = "crate::dates::iso::serialize")]
    pub as_of: NaiveDate,
    pub policy_fingerprint: String,
    pub view: View,
    pub decisions: Vec<Decision>,
    pub summary: Summary,
}

/// Exactly what the citizen sees. Every field here is allow-listed by SPEC §4; nothing else may be added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct View {
    pub cases: Vec<ViewCase>,
    pub benefits: Vec<ViewBenefit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ViewCase {
    pub id: String,
    pub title: std::borrow::Cow<'static, str>,
    pub kle: String,
    /// What [`CaseStatus::shown`] gives: the engine shows no other status.
    #[cfg_attr(feature = "ts", ts(type = r#""Under behandling" | "Afsluttet""#))]
    pub status: std::borrow::Cow<'static, str>,
    #[serde(serialize_with = "crate::dates::iso::serialize")]
    pub created_date: NaiveDate,
    #[serde(serialize_with = "crate::dates::iso::option::serialize")]
    pub closed_date: Option<NaiveDate>,
    pub provider: Option<String>,
    pub documents: Vec<ViewDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ViewDocument {
    pub title: Option<String>,
    #[serde(serialize_with = "crate::dates::iso::option::serialize")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ViewBenefit {
    pub id: String,
    pub name: std::borrow::Cow<'static, str>,
    pub kle: String,
    #[serde(serialize_with = "crate::dates::iso::serialize")]
    pub start_date: NaiveDate,
    #[serde(serialize_with = "crate::dates::iso::option::serialize")]
    pub end_date: Option<NaiveDate>,
    pub provider: Option<String>,
    pub payments: Vec<Payment>,
}

/// Why a record is or is not visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id: String,
    /// `None` only for an invalid record whose kind could not be read.
    pub kind: Option<RecordKind>,
    pub visible: bool,
    /// The selector that put the record in scope; `None` when out of scope.
    pub area: Option<String>,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: ReasonCode,
    pub detail: Option<String>,
    /// Danish, for a caseworker.
    pub message: std::borrow::Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub records: usize,
    pub visible: usize,
    pub hidden: usize,
    /// Each code counted once per record, over all decisions.
    pub by_reason: BTreeMap<ReasonCode, usize>,
}
