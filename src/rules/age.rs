//! Rule 6: young people's own logins. Applies only when the viewer is the subject.

use chrono::NaiveDate;

use super::{Detail, Facts, Findings};
use crate::dates::birthday;
use crate::kle::{Kle, SelectorMap};
use crate::reason::ReasonCode;
use crate::types::Minors;

/// The central minimum age for `kle` (a record's emne or a municipality selector): the most specific
/// `minors.areas` entry covering it, else `minors.minimumAge`. `areas` indexes `minors.areas`.
pub fn central_minimum_age(minors: &Minors, areas: &SelectorMap<u32>, kle: &Kle) -> u32 {
    areas
        .most_specific(kle)
        .map_or(minors.minimum_age, |(_, &age)| age)
}

/// Indexes `minors.areas` by selector, once per policy.
pub fn minor_areas(minors: &Minors) -> SelectorMap<u32> {
    minors
        .areas
        .iter()
        .map(|a| (a.kle, a.minimum_age))
        .collect()
}

/// The viewer's age facts, worked out once per request.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub birth: NaiveDate,
    pub age: u32,
}

/// `minimum_age` is the area's: the most specific central `minors.areas` entry (else the central
/// minimum age), raised to the municipality entry's `minimumAge`.
pub fn check(
    facts: &Facts<'_>,
    viewer: Option<Viewer>,
    minors: &Minors,
    minimum_age: u32,
    out: &mut Findings<'_>,
) {
    let Some(viewer) = viewer else {
        out.push(ReasonCode::AgeUnknown, Detail::None);
        return;
    };
    // A record a caseworker released counts from the reviewed age, also once the viewer has passed the
    // area's minimum age: otherwise reaching (or lowering) the minimum age would hide released history
    // again, and raising it would reveal records — a tighter setting must never show more.
    let released = facts.released_to_minor && viewer.age >= minors.reviewed_minimum_age;
    let access_age = if released {
        minors.reviewed_minimum_age.min(minimum_age)
    } else {
        minimum_age
    };
    if viewer.age < minimum_age {
        if released {
            out.push(ReasonCode::ReleasedToMinor, Detail::None);
        } else {
            out.push(ReasonCode::UnderMinimumAge, Detail::Age(minimum_age));
        }
    }
    // History before access is hidden while the viewer is under 18. It is its own gate: an under-age
    // record lists it too (with the future access date), since it would still be hidden on the day
    // the viewer reaches the minimum age.
    if viewer.age < 18 && minors.hide_history_before_access {
        if let Some(access) = birthday(viewer.birth, access_age) {
            if facts.created < access {
                out.push(ReasonCode::BeforeAccessAge, Detail::Date(access));
            }
        }
    }
}
