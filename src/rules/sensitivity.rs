//! Rule 8: sensitivity levels hidden centrally, and the case system's "Visning undtaget for borger",
//! which no setting can override.

use super::{Detail, Facts, Findings};
use crate::reason::ReasonCode;

pub fn check(facts: &Facts<'_>, hidden: &[String], out: &mut Findings<'_>) {
    if facts
        .sensitivity
        .is_some_and(|s| hidden.iter().any(|h| h == s))
    {
        out.push(ReasonCode::SensitivityHidden, Detail::None);
    }
    if facts.excluded_from_citizen {
        out.push(ReasonCode::ExcludedFromCitizen, Detail::None);
    }
}
