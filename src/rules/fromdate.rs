//! Rule 5: fradato, with "show active cases (and their benefits) before fradato".

use super::{reason, Facts};
use crate::reason::ReasonCode;
use crate::types::{AreaSettings, Reason};

pub fn check(facts: &Facts<'_>, settings: &AreaSettings, out: &mut Vec<Reason>) {
    let Some(from) = settings.from_date else {
        return;
    };
    if facts.created >= from {
        return;
    }
    if settings.show_active_before_from_date && facts.active {
        out.push(reason(ReasonCode::ActiveBeforeFromDate));
    } else {
        out.push(Reason::new(
            ReasonCode::BeforeFromDate,
            Some(from.to_string()),
        ));
    }
}
