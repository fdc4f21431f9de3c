//! Rule 3: the handlingsfacet filter (cases only; a benefit follows its case).

use super::{Detail, Findings};
use crate::kle::Facet;
use crate::reason::ReasonCode;
use crate::types::{Case, FacetFilter};

pub fn check(case: &Case, filter: Option<&FacetFilter>, out: &mut Findings<'_>) {
    let Some(filter) = filter else { return };
    let selected = |list: &[Facet]| {
        case.facet
            .is_some_and(|f| list.iter().any(|x| x.selects(&f)))
    };
    let filtered = match (&filter.allow, &filter.deny) {
        (Some(allow), _) => !selected(allow),
        (None, Some(deny)) => selected(deny),
        (None, None) => false,
    };
    if filtered {
        let detail = case.facet.map_or(Detail::None, Detail::Facet);
        out.push(ReasonCode::FacetFiltered, detail);
    }
}
