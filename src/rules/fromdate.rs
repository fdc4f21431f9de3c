//! Rule 5: fradato, with "show active cases (and their benefits) before fradato".

use super::{Detail, Facts, Findings};
use crate::reason::ReasonCode;
use crate::types::AreaSettings;

pub fn check(facts: &Facts<'_>, settings: &AreaSettings, out: &mut Findings<'_>) {
    let Some(from) = settings.from_date else {
        return;
    };
    if facts.created >= from {
        return;
    }
    if settings.show_active_before_from_date && facts.active {
        out.push(ReasonCode::ActiveBeforeFromDate, Detail::None);
    } else {
        out.push(ReasonCode::BeforeFromDate, Detail::Date(from));
    }
}
