//! The citizen view: only the fields SPEC §4 allows, titles resolved, in the contract's order.

use std::borrow::Cow;

use crate::catalogue;
use crate::kle::Kle;
use crate::types::{Benefit, Case, TitleMode, ViewBenefit, ViewCase, ViewDocument};

/// Title of a HOI case, which shows only that a coordinated plan exists.
pub const HOI_TITLE: &str = "Helhedsorienteret indsats";

/// The KLE emne title (without its `[udgår]` marker), or the number when the catalogue lacks it.
/// Borrowed from the catalogue: most titles cost no allocation.
pub fn kle_title(kle: &Kle) -> Cow<'static, str> {
    let number = kle.as_text();
    match catalogue::title(number.as_str()) {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Owned(number.to_owned_string()),
    }
}

pub fn case(case: &Case, title: TitleMode, documents: Vec<ViewDocument>) -> ViewCase {
    let title = if case.hoi {
        Cow::Borrowed(HOI_TITLE)
    } else {
        match (title, case.title.as_deref()) {
            (TitleMode::Source, Some(t)) if !t.trim().is_empty() => Cow::Owned(t.to_owned()),
            _ => kle_title(&case.kle),
        }
    };
    ViewCase {
        id: case.id.clone(),
        title,
        kle: case.kle.as_text().to_owned_string(),
        status: Cow::Borrowed(case.status.shown()),
        created_date: case.created_date,
        closed_date: case.closed_date,
        provider: case.provider.clone(),
        documents,
    }
}

/// A benefit without a name is shown under its KLE title.
pub fn benefit(benefit: &Benefit) -> ViewBenefit {
    let mut payments = benefit.payments.clone();
    // Stable: equal dates keep input order.
    crate::order::sort_by_key(&mut payments, |p| std::cmp::Reverse(p.date));
    ViewBenefit {
        id: benefit.id.clone(),
        name: match benefit.name.as_deref() {
            Some(n) if !n.trim().is_empty() => Cow::Owned(n.to_owned()),
            _ => kle_title(&benefit.kle),
        },
        kle: benefit.kle.as_text().to_owned_string(),
        start_date: benefit.start_date,
        end_date: benefit.end_date,
        provider: benefit.provider.clone(),
        payments,
    }
}

/// Cases newest first by `createdDate`, benefits by `startDate`, then by id.
pub fn sort(cases: &mut Vec<ViewCase>, benefits: &mut Vec<ViewBenefit>) {
    crate::order::sort_by(cases, |a, b| {
        b.created_date
            .cmp(&a.created_date)
            .then_with(|| a.id.cmp(&b.id))
    });
    crate::order::sort_by(benefits, |a, b| {
        b.start_date
            .cmp(&a.start_date)
            .then_with(|| a.id.cmp(&b.id))
    });
}
