//! Rule 1: only a party sees a record (a building case: its property owners).

use super::{Detail, Facts, Findings};
use crate::cpr::Cpr;
use crate::reason::ReasonCode;

/// KLE hovedgruppe 02 (Byggeri): such cases are seen by the property owners.
pub const BUILDING: u8 = 2;

pub fn check(facts: &Facts<'_>, subject: &Cpr, out: &mut Findings<'_>) {
    if facts.parties.is_empty() {
        out.push(ReasonCode::NoCpr, Detail::None);
    } else if !facts.parties.contains(subject) {
        out.push(ReasonCode::NotParty, Detail::None);
    }
}
