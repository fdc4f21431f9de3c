//! Rule 4: the fagsystem filter (cases and benefits) and the målgruppe filter (cases only).

use super::Facts;
use crate::reason::ReasonCode;
use crate::types::{AreaSettings, Reason};

pub fn check(facts: &Facts<'_>, settings: &AreaSettings, out: &mut Vec<Reason>) {
    if let Some(systems) = &settings.source_systems {
        // A record without a source system cannot pass a filter (fail closed).
        if !facts
            .source_system
            .is_some_and(|s| systems.iter().any(|x| x == s))
        {
            out.push(Reason::new(
                ReasonCode::SourceSystemFiltered,
                facts.source_system.map(str::to_owned),
            ));
        }
    }
    if let (Some(groups), Some(case)) = (&settings.target_groups, facts.case) {
        if !case
            .target_group
            .as_ref()
            .is_some_and(|g| groups.contains(g))
        {
            out.push(Reason::new(ReasonCode::TargetGroupFiltered, None));
        }
    }
}
