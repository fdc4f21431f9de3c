//! Rule 1: only a party sees a record (a building case: its property owners).

use super::{reason, Facts};
use crate::cpr::Cpr;
use crate::reason::ReasonCode;
use crate::types::Reason;

/// KLE hovedgruppe 02 (Byggeri): such cases are seen by the property owners.
pub const BUILDING: u8 = 2;

pub fn check(facts: &Facts<'_>, subject: &Cpr, out: &mut Vec<Reason>) {
    if facts.parties.is_empty() {
        out.push(reason(ReasonCode::NoCpr));
    } else if !facts.parties.contains(subject) {
        out.push(reason(ReasonCode::NotParty));
    }
}
