//! Rule 2: scope (mandatory etape areas, then the municipality's open/closed entries) and which
//! municipality entry supplies a record's settings.

use chrono::NaiveDate;

use super::{Detail, Facts};
use crate::kle::{Kle, SelectorMap};
use crate::reason::ReasonCode;
use crate::types::{Etape, RecordKind};

/// Why a record is in scope, or that it is not.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope<'p> {
    Mandatory {
        etape: &'p Etape,
        index: usize,
        area: Kle,
    },
    Opened(Kle),
    NotOpen,
}

impl Scope<'_> {
    /// `decisions[].area`: the selector that put the record in scope.
    pub fn area(&self) -> Option<Kle> {
        match self {
            Scope::Mandatory { area, .. } | Scope::Opened(area) => Some(*area),
            Scope::NotOpen => None,
        }
    }

    /// The scope's finding: `MANDATORY_AREA` with the etape, `OPENED_AREA` with the selector, or
    /// `AREA_NOT_OPEN`.
    pub fn finding(&self) -> (ReasonCode, Detail<'static>) {
        match self {
            Scope::Mandatory { index, .. } => (ReasonCode::MandatoryArea, Detail::Etape(*index)),
            Scope::Opened(sel) => (ReasonCode::OpenedArea, Detail::Selector(*sel)),
            Scope::NotOpen => (ReasonCode::AreaNotOpen, Detail::None),
        }
    }
}

/// One etape area, indexed by its selector.
#[derive(Debug, Clone)]
pub struct EtapeAreaRef {
    pub etape: usize,
    pub target_groups: Option<Vec<String>>,
}

/// Finds the scope of a record. Mandatory scope wins and cannot be closed; among mandatory areas
/// the etape with the earliest `mandatoryFrom` (then the first listed) gives the reason, and within
/// it the most specific area. Otherwise the most specific municipality entry stating `open` decides.
pub fn scope<'p>(
    facts: &Facts<'_>,
    as_of: NaiveDate,
    etaper: &'p [Etape],
    etape_areas: &SelectorMap<Vec<EtapeAreaRef>>,
    opens: &SelectorMap<bool>,
) -> Scope<'p> {
    let target_group = facts.case.and_then(|c| c.target_group.as_deref());
    let mut best: Option<(&'p Etape, usize, Kle)> = None;
    for (sel, refs) in etape_areas.matching(&facts.kle) {
        for r in refs {
            let Some(etape) = etaper.get(r.etape) else {
                continue;
            };
            if etape.mandatory_from > as_of {
                continue;
            }
            if let Some(groups) = &r.target_groups {
                // An etape area with target groups covers only cases of those groups.
                let covered = facts.kind == RecordKind::Case
                    && target_group.is_some_and(|g| groups.iter().any(|x| x == g));
                if !covered {
                    continue;
                }
            }
            // `matching` runs most specific first, so a strictly earlier etape is needed to replace.
            let better = match best {
                None => true,
                Some((b, bi, _)) => (etape.mandatory_from, r.etape) < (b.mandatory_from, bi),
            };
            if better {
                best = Some((etape, r.etape, sel));
            }
        }
    }
    if let Some((etape, index, area)) = best {
        return Scope::Mandatory { etape, index, area };
    }
    match opens.most_specific(&facts.kle) {
        Some((sel, true)) => Scope::Opened(sel),
        _ => Scope::NotOpen,
    }
}
