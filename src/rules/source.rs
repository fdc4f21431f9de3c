//! Rule 4: the fagsystem filter (cases and benefits) and the målgruppe filter (cases only).

use super::{Detail, Facts, Findings};
use crate::reason::ReasonCode;
use crate::types::AreaSettings;

pub fn check<'a>(facts: &Facts<'a>, settings: &AreaSettings, out: &mut Findings<'a>) {
    if let Some(systems) = &settings.source_systems {
        // A record without a source system cannot pass a filter (fail closed).
        if !facts
            .source_system
            .is_some_and(|s| systems.iter().any(|x| x == s))
        {
            let detail = facts.source_system.map_or(Detail::None, Detail::Text);
            out.push(ReasonCode::SourceSystemFiltered, detail);
        }
    }
    if let (Some(groups), Some(case)) = (&settings.target_groups, facts.case) {
        if !case
            .target_group
            .as_ref()
            .is_some_and(|g| groups.contains(g))
        {
            out.push(ReasonCode::TargetGroupFiltered, Detail::None);
        }
    }
}
