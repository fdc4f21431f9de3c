//! Rule 9: what hangs on what: a benefit on its case, documents on their case's visibility and
//! settings, non-economic benefits on their area's setting.

use super::{Detail, Findings};
use crate::reason::ReasonCode;
use crate::types::{AreaSettings, Benefit, Case, ViewDocument};

/// `case_visible`: the visibility of the case the benefit's `caseId` names, if it names one.
pub fn check_benefit(
    benefit: &Benefit,
    case_visible: Option<bool>,
    settings: &AreaSettings,
    out: &mut Findings<'_>,
) {
    if case_visible == Some(false) {
        out.push(ReasonCode::CaseHidden, Detail::None);
    }
    if !benefit.economic && !settings.show_non_economic_benefits {
        out.push(ReasonCode::NonEconomicBenefit, Detail::None);
    }
}

/// Documents are shown only in an area with `showDocuments`, and never for a HOI case, which shows
/// only that it exists.
fn shows_documents(case: &Case, settings: &AreaSettings) -> bool {
    settings.show_documents && !case.hoi
}

/// True when a case has documents the citizen does not see (`DOCUMENTS_NOT_SHOWN`).
pub fn withheld(case: &Case, settings: &AreaSettings) -> bool {
    let shows = shows_documents(case, settings);
    case.documents
        .iter()
        .any(|d| !shows || d.excluded_from_citizen)
}

/// The documents a visible case shows, newest first (undated last, then id, then input order).
pub fn documents(case: &Case, settings: &AreaSettings) -> Vec<ViewDocument> {
    let shows = shows_documents(case, settings);
    let mut shown: Vec<_> = case
        .documents
        .iter()
        .filter(|d| shows && !d.excluded_from_citizen)
        .collect();
    crate::order::sort_by(&mut shown, |a, b| {
        let newest_first = match (a.date, b.date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        newest_first.then_with(|| a.id.cmp(&b.id))
    });
    shown
        .into_iter()
        .map(|d| ViewDocument {
            title: d.title.clone(),
            date: d.date,
        })
        .collect()
}
