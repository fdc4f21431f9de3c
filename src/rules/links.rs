//! Rule 9: what hangs on what: a benefit on its case, documents on their case's visibility and
//! settings, non-economic benefits on their area's setting.

use super::reason;
use crate::reason::ReasonCode;
use crate::types::{AreaSettings, Benefit, Case, Reason, ViewDocument};

/// `case_visible`: the visibility of the case the benefit's `caseId` names, if it names one.
pub fn check_benefit(
    benefit: &Benefit,
    case_visible: Option<bool>,
    settings: &AreaSettings,
    out: &mut Vec<Reason>,
) {
    if case_visible == Some(false) {
        out.push(reason(ReasonCode::CaseHidden));
    }
    if !benefit.economic && !settings.show_non_economic_benefits {
        out.push(reason(ReasonCode::NonEconomicBenefit));
    }
}

/// The documents a visible case shows, newest first (undated last, then id, then input order), and
/// whether any were withheld (`DOCUMENTS_NOT_SHOWN`). A HOI case shows only that it exists.
pub fn documents(case: &Case, settings: &AreaSettings) -> (Vec<ViewDocument>, bool) {
    let allowed = settings.show_documents && !case.hoi;
    let mut shown: Vec<_> = case
        .documents
        .iter()
        .filter(|d| allowed && !d.excluded_from_citizen)
        .collect();
    let withheld = shown.len() < case.documents.len();
    crate::order::sort_by(&mut shown, |a, b| {
        let newest_first = match (a.date, b.date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        newest_first.then_with(|| a.id.cmp(&b.id))
    });
    let view = shown
        .into_iter()
        .map(|d| ViewDocument {
            title: d.title.clone(),
            date: d.date,
        })
        .collect();
    (view, withheld)
}
