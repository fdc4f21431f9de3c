//! Rule 7: a parent viewing a child's overview.

use chrono::NaiveDate;

use super::{Detail, Findings};
use crate::dates::age_on;
use crate::kle::{Kle, SelectorMap};
use crate::reason::ReasonCode;
use crate::types::{CustodyFacts, CustodyRules, Person};

/// CPR relation types that carry custody (forældremyndighed).
const CUSTODY_TYPES: [&str; 4] = ["0003", "0004", "0005", "0006"];

/// The gates that depend only on the request, worked out once and shared by every record.
pub fn request_reasons(
    rules: &CustodyRules,
    facts: Option<&CustodyFacts>,
    subject: &Person,
    as_of: NaiveDate,
) -> Findings<'static> {
    let mut out = Findings::default();
    if !rules.enabled {
        out.push(ReasonCode::CustodyDisabled, Detail::None);
    }
    let held = facts.is_some_and(|f| {
        f.relations.iter().any(|r| {
            r.child_cpr == subject.cpr
                && CUSTODY_TYPES.contains(&r.relation_type.as_str())
                && r.valid_from <= as_of
                && r.valid_to.is_none_or(|to| as_of < to)
        })
    });
    if !held {
        out.push(ReasonCode::CustodyNotHeld, Detail::None);
    }
    let verified = facts.and_then(|f| f.verified_at);
    // A lookup after asOf counts as fresh; exactly maxVerificationAge old is still fresh.
    let fresh = verified
        .is_some_and(|at| (as_of - at).num_days() <= i64::from(rules.max_verification_age.0));
    if !fresh {
        out.push(
            ReasonCode::CustodyStale,
            verified.map_or(Detail::None, Detail::Date),
        );
    }
    match subject.birth().and_then(|b| age_on(b, as_of)) {
        None => out.push(ReasonCode::AgeUnknown, Detail::None),
        Some(age) if age >= rules.child_age_limit => out.push(ReasonCode::ChildOfAge, Detail::None),
        Some(_) => {}
    }
    out
}

pub fn check_area(kle: &Kle, excluded: &SelectorMap<()>, out: &mut Findings<'_>) {
    if excluded.most_specific(kle).is_some() {
        out.push(ReasonCode::CustodyExcludedArea, Detail::None);
    }
}
