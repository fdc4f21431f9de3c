//! Rule 3: the handlingsfacet filter (cases only; a benefit follows its case).

use crate::reason::ReasonCode;
use crate::types::{Case, FacetFilter, Reason};

pub fn check(case: &Case, filter: Option<&FacetFilter>, out: &mut Vec<Reason>) {
    let Some(filter) = filter else { return };
    let selected = |list: &[crate::kle::Facet]| {
        case.facet
            .is_some_and(|f| list.iter().any(|x| x.selects(&f)))
    };
    let filtered = match (&filter.allow, &filter.deny) {
        (Some(allow), _) => !selected(allow),
        (None, Some(deny)) => selected(deny),
        (None, None) => false,
    };
    if filtered {
        out.push(Reason::new(
            ReasonCode::FacetFiltered,
            case.facet.map(|f| f.to_string()),
        ));
    }
}
