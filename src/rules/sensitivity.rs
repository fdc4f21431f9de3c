//! Rule 8: sensitivity levels hidden centrally, and the case system's "Visning undtaget for borger",
//! which no setting can override.

use super::{reason, Facts};
use crate::reason::ReasonCode;
use crate::types::Reason;

pub fn check(facts: &Facts<'_>, hidden: &[String], out: &mut Vec<Reason>) {
    if facts
        .sensitivity
        .is_some_and(|s| hidden.iter().any(|h| h == s))
    {
        out.push(reason(ReasonCode::SensitivityHidden));
    }
    if facts.excluded_from_citizen {
        out.push(reason(ReasonCode::ExcludedFromCitizen));
    }
}
