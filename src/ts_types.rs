//! TypeScript declarations of the JSON contract, generated with ts-rs (cargo feature `ts` only).
//!
//! Outputs (`Overview`, `Validation`, `Problem`, …) derive `TS` where they are defined, so their
//! declarations follow the Rust types. Inputs are read by hand-written readers from JSON values,
//! and the Rust `Policy`/`Request` types are the *effective*, fully-defaulted forms; so this module
//! describes the input documents as they are written (SPEC §2): settings with defaults are optional,
//! `null` is allowed wherever a field may be absent, records have the §2.2 shape. `tests/typescript.rs`
//! checks that every scenario the engine accepts also deserializes into these types, and writes
//! [`declarations`] to the file `scripts/build-wasm.sh` appends to the package's `.d.ts`.

use serde::Deserialize;
use ts_rs::{Config, TS};

use crate::types::{CaseStatus, Payment, TitleMode};

// ---------------------------------------------------------------- policy (SPEC §2.1)

/// A policy document: central rules (built-in ones where absent) and one municipality's settings.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Policy {
    /// Rules set nationally (KL/KOMBIT). Absent: the built-in central rules. Each section present
    /// replaces the built-in one whole.
    pub central: Option<Central>,
    pub municipality: Municipality,
}

/// Rules set nationally; every section is optional and replaces the built-in one whole.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Central {
    pub etaper: Option<Vec<Etape>>,
    pub minors: Option<Minors>,
    pub custody: Option<CustodyRules>,
    pub sensitivity: Option<SensitivityRules>,
}

/// A rollout stage (etape) that makes its areas mandatory from a date.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Etape {
    pub id: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub mandatory_from: String,
    pub areas: Vec<EtapeArea>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct EtapeArea {
    /// KLE selector: hovedgruppe `"27"`, gruppe `"27.36"` or emne `"27.36.04"`.
    pub kle: String,
    /// When set, the area covers only cases with one of these målgrupper (never a benefit).
    pub target_groups: Option<Vec<String>>,
}

/// Central rules for young viewers (SPEC rule 6).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Minors {
    /// Under this age a viewer sees nothing automatically.
    pub minimum_age: u32,
    /// From this age a viewer may see records a caseworker released (`releasedToMinor`).
    pub reviewed_minimum_age: u32,
    /// Per-area overrides of `minimumAge` (most specific wins).
    pub areas: Vec<MinorArea>,
    /// While under 18: hide records created before the viewer reached the access age.
    pub hide_history_before_access: bool,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MinorArea {
    pub kle: String,
    pub minimum_age: u32,
}

/// Central rules for parents viewing a child's overview (SPEC rule 7).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustodyRules {
    pub enabled: bool,
    /// ISO-8601 day period, e.g. `"P1D"`.
    pub max_verification_age: String,
    pub child_age_limit: u32,
    pub excluded_areas: Vec<KleArea>,
}

/// An area named only by its KLE selector.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KleArea {
    pub kle: String,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SensitivityRules {
    /// Sensitivity values that hide a record, e.g. `["VIP_SAGER"]`.
    pub hidden: Vec<String>,
}

/// One municipality's Borgerblik administration settings (also a document of its own for
/// `Engine.withMunicipality`).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Municipality {
    /// Municipality code, e.g. `"0390"`.
    pub code: Option<String>,
    pub name: Option<String>,
    pub areas: Vec<MunicipalityArea>,
}

/// A municipality area; every setting but `kle` is optional with the SPEC §2.1 default.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct MunicipalityArea {
    /// KLE selector: hovedgruppe, gruppe or emne.
    pub kle: String,
    /// `true` opens, `false` closes; absent inherits from the nearest broader entry.
    pub open: Option<bool>,
    /// Fradato `YYYY-MM-DD`: records created before it are hidden.
    pub from_date: Option<String>,
    /// Show cases that are not `Afsluttet` (and their benefits) despite `fromDate`. Default `false`.
    pub show_active_before_from_date: Option<bool>,
    /// `{ allow: [...] }` or `{ deny: [...] }`; a single letter selects a facet category.
    pub facets: Option<FacetFilter>,
    /// Fagsystemfilter; absent = every system.
    pub source_systems: Option<Vec<String>>,
    /// For KLE 15 jobcenter cases: only these målgrupper.
    pub target_groups: Option<Vec<String>>,
    /// Show document titles. Default `false`.
    pub show_documents: Option<bool>,
    /// `"kle"` (default) or `"source"`.
    pub title: Option<TitleMode>,
    /// Show ressourcemæssige og fysiske ydelser. Default `false`.
    pub show_non_economic_benefits: Option<bool>,
    /// May raise, never lower, the central minimum age for this area.
    pub minimum_age: Option<u32>,
}

/// Handlingsfacet filter: `allow` or `deny`, not both; `{}` is no filter.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FacetFilter {
    pub allow: Option<Vec<String>>,
    pub deny: Option<Vec<String>>,
}

// ---------------------------------------------------------------- request (SPEC §2.2)

/// One evaluation: whose overview, seen by whom, on which date, of which records.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Request {
    /// Evaluation date `YYYY-MM-DD`; never the machine clock.
    pub as_of: String,
    pub viewer: Person,
    /// Whose overview; absent = the viewer's own.
    pub subject: Option<Person>,
    /// Custody as looked up in CPR; needed when the subject is not the viewer.
    pub custody: Option<CustodyFacts>,
    /// A `null` element is absent.
    pub records: Vec<Option<Record>>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Person {
    /// 10 digits, optionally `DDMMYY-SSSS`.
    pub cpr: String,
    /// `YYYY-MM-DD`; derived from the CPR number when absent.
    pub birth_date: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CustodyFacts {
    /// When CPR custody was looked up, `YYYY-MM-DD`.
    pub verified_at: Option<String>,
    pub relations: Option<Vec<CustodyRelation>>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CustodyRelation {
    pub child_cpr: String,
    /// CPR's custody relation type; `"0003"`–`"0006"` give custody.
    #[serde(rename = "type")]
    pub relation_type: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// A case or a benefit from the indexes. Unknown fields are ignored by the engine (they can never
/// reach the view); a record that cannot be read is hidden with `INVALID_RECORD`.
///
/// Named `RequestRecord` in TypeScript so it does not shadow the built-in `Record<K, V>`.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(rename = "RequestRecord")]
pub enum Record {
    Case(CaseRecord),
    Benefit(BenefitRecord),
}

/// A case (sag). Fields the citizen never sees (`caseNumber`, `description`, `caseworker`, a
/// document's `type` and `content`) may be present and are ignored.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields = nullable)]
pub struct CaseRecord {
    pub id: String,
    /// KLE emne `NN.NN.NN`.
    pub kle: String,
    /// Handlingsfacet, e.g. `"G01"`.
    pub facet: Option<String>,
    /// The case system's own title (shown only with `title: "source"`).
    pub title: Option<String>,
    pub source_system: Option<String>,
    /// `"kommune"` or `"UDK"`.
    pub provider: Option<String>,
    pub created_date: String,
    pub status: CaseStatus,
    pub closed_date: Option<String>,
    /// CPR; records not registered on a CPR are never shown.
    pub primary_party: Option<String>,
    /// CPRs; for building cases (KLE hovedgruppe 02) these see the case. A `null` element is
    /// absent.
    pub property_owners: Option<Vec<Option<String>>>,
    /// `IKKE_FORTROLIGE_DATA`, `FORTROLIGE_PERSONOPLYSNINGER`, `FOELSOMME_PERSONOPLYSNINGER`, `VIP_SAGER`.
    pub sensitivity: Option<String>,
    /// Målgruppe (KLE 15 jobcenter cases).
    pub target_group: Option<String>,
    pub released_to_minor: Option<bool>,
    /// Helhedsorienteret indsats: only the existence of a coordinated plan is shown.
    pub hoi: Option<bool>,
    /// The index's Visningsklasse "Visning undtaget for borger".
    pub excluded_from_citizen: Option<bool>,
    /// Never shown.
    pub case_number: Option<String>,
    /// Never shown.
    pub description: Option<String>,
    /// Never shown.
    pub caseworker: Option<String>,
    /// A `null` element is absent.
    pub documents: Option<Vec<Option<DocumentRecord>>>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields = nullable)]
pub struct DocumentRecord {
    pub id: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// Never shown.
    #[serde(rename = "type")]
    pub document_type: Option<String>,
    /// Never shown.
    pub content: Option<String>,
    pub excluded_from_citizen: Option<bool>,
}

/// A benefit (ydelse) with its payments.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields = nullable)]
pub struct BenefitRecord {
    pub id: String,
    /// KLE emne `NN.NN.NN`.
    pub kle: String,
    /// The id of the benefit's case, when it has one.
    pub case_id: Option<String>,
    pub name: Option<String>,
    /// CPR of the recipient.
    pub recipient: Option<String>,
    /// Absent means non-economic (fail closed).
    pub economic: Option<bool>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub source_system: Option<String>,
    pub provider: Option<String>,
    pub sensitivity: Option<String>,
    pub released_to_minor: Option<bool>,
    pub excluded_from_citizen: Option<bool>,
    /// A `null` element is absent.
    pub payments: Option<Vec<Option<Payment>>>,
}

// ---------------------------------------------------------------- the declaration file

const HEADER: &str = "\
// ---------------------------------------------------------------------------------------------
// Types of the borgerblik JSON contract (SPEC.md sections 2 and 4), generated from the Rust types
// with ts-rs by tests/typescript.rs. Do not edit by hand.
// Dates are `YYYY-MM-DD` strings; amounts (`grossAmountOre`) are whole øre as JS numbers.
// ---------------------------------------------------------------------------------------------

";

/// Every declaration of the contract, inputs then outputs, as one `.d.ts` fragment of `export type`s.
pub fn declarations() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(HEADER);
    macro_rules! declare {
        ($($t:ty),* $(,)?) => {$(
            if let Some(docs) = <$t as TS>::docs() {
                out.push_str(&docs);
            }
            out.push_str("export ");
            out.push_str(&<$t as TS>::decl(&cfg));
            out.push_str("\n\n");
        )*};
    }
    declare!(
        // inputs
        Policy,
        Central,
        Etape,
        EtapeArea,
        Minors,
        MinorArea,
        CustodyRules,
        KleArea,
        SensitivityRules,
        Municipality,
        MunicipalityArea,
        FacetFilter,
        TitleMode,
        Request,
        Person,
        CustodyFacts,
        CustodyRelation,
        Record,
        CaseRecord,
        DocumentRecord,
        BenefitRecord,
        CaseStatus,
        // outputs
        crate::types::Overview,
        crate::types::View,
        crate::types::ViewCase,
        crate::types::ViewDocument,
        crate::types::ViewBenefit,
        Payment,
        crate::types::Decision,
        crate::types::RecordKind,
        crate::types::Reason,
        crate::reason::ReasonCode,
        crate::types::Summary,
        crate::engine::Validation,
        crate::json::Problem,
        crate::error::InputError,
        crate::error::InputKind,
        crate::explain::Change,
        crate::explain::Counts,
        crate::explain::DiffSummary,
        crate::catalogue::Entry,
    );
    out
}
