//! The rules of SPEC §3, one module per family. Each gate appends the reasons it finds to a list;
//! none stops at the first failure, so a hidden record lists every gate it fails.

pub mod age;
pub mod area;
pub mod custody;
pub mod facets;
pub mod fromdate;
pub mod links;
pub mod party;
pub mod sensitivity;
pub mod source;

use chrono::NaiveDate;

use crate::cpr::Cpr;
use crate::kle::Kle;
use crate::types::{Case, CaseStatus, Reason, RecordKind};

/// What the gates need to know about one record, whatever its kind.
pub struct Facts<'a> {
    pub kind: RecordKind,
    pub kle: Kle,
    /// The CPR numbers that may see the record (empty: none on the record).
    pub parties: &'a [Cpr],
    pub source_system: Option<&'a str>,
    pub sensitivity: Option<&'a str>,
    pub released_to_minor: bool,
    pub excluded_from_citizen: bool,
    /// A case's `createdDate`; a benefit's case's `createdDate`, else its `startDate`.
    pub created: NaiveDate,
    /// For fradato: a case not `Afsluttet`, or a benefit of such a case.
    pub active: bool,
    /// The case itself, for the gates that apply to cases only.
    pub case: Option<&'a Case>,
}

impl Facts<'_> {
    pub fn is_active(status: CaseStatus) -> bool {
        status != CaseStatus::Afsluttet
    }
}

/// Shorthand for a reason without detail.
pub(crate) fn reason(code: crate::reason::ReasonCode) -> Reason {
    Reason::new(code, None)
}
