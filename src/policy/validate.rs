//! The semantic checks of SPEC §6 and §8 on a structurally sound policy: errors refuse the policy,
//! warnings (unknown or retired KLE numbers) are reported and never change a decision.

use std::collections::HashMap;

use crate::catalogue;
use crate::dates::end_of_year;
use crate::json::{finish_capped, push_capped, quote, Problem};
use crate::kle::{Kle, SelectorMap};
use crate::record::SENSITIVITIES;
use crate::rules::age;
use crate::types::{Central, Policy};

/// Problems found: `errors` refuse the policy, `warnings` do not.
#[derive(Debug, Default)]
pub struct Findings {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// `Findings` while they are gathered: each list capped at [`crate::limits::MAX_PROBLEMS`].
#[derive(Default)]
struct Gather {
    errors: Vec<Problem>,
    more_errors: usize,
    warnings: Vec<Problem>,
    more_warnings: usize,
}

impl Gather {
    fn error(&mut self, path: String, message: String) {
        push_capped(
            &mut self.errors,
            &mut self.more_errors,
            Problem { path, message },
        );
    }

    fn warning(&mut self, path: String, message: String) {
        push_capped(
            &mut self.warnings,
            &mut self.more_warnings,
            Problem { path, message },
        );
    }

    fn finish(self) -> Findings {
        Findings {
            errors: finish_capped(self.errors, self.more_errors),
            warnings: finish_capped(self.warnings, self.more_warnings),
        }
    }
}

pub fn validate(policy: &Policy) -> Findings {
    let identity: Vec<usize> = (0..policy.municipality.areas.len()).collect();
    validate_indexed(policy, &identity)
}

/// Validates a policy whose municipality areas stood at `area_index[i]` in the document (some
/// unreadable areas may have been left out), so paths name the right entry.
pub(crate) fn validate_indexed(policy: &Policy, area_index: &[usize]) -> Findings {
    let mut f = Gather::default();
    check_central(&policy.central, &mut f);
    check_municipality(policy, area_index, &mut f);
    f.finish()
}

/// Reports every repeat of a key after its first occurrence.
fn report_duplicates(
    keys: impl Iterator<Item = String>,
    path: impl Fn(usize) -> String,
    what: &str,
    f: &mut Gather,
) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, key) in keys.enumerate() {
        if let Some(j) = first.get(&key) {
            f.error(
                path(i),
                format!("duplicate {what} \"{key}\" (first at index {j})"),
            );
        } else {
            first.insert(key, i);
        }
    }
}

fn check_central(c: &Central, f: &mut Gather) {
    report_duplicates(
        c.etaper.iter().map(|e| e.id.clone()),
        |i| format!("central.etaper[{i}].id"),
        "etape id",
        f,
    );
    report_duplicates(
        c.minors.areas.iter().map(|a| a.kle.to_string()),
        |i| format!("central.minors.areas[{i}].kle"),
        "selector",
        f,
    );
    report_duplicates(
        c.custody.excluded_areas.iter().map(|a| a.kle.to_string()),
        |i| format!("central.custody.excludedAreas[{i}].kle"),
        "selector",
        f,
    );
    check_sensitivity(&c.sensitivity.hidden, f);
}

/// `central.sensitivity.hidden` may name only the four sensitivity values of SPEC §2.2, spelt
/// exactly as a record must spell them: a misspelt `"vip_sager"` would hide nothing and so silently
/// show every VIP case, the failure SPEC §8 closes for records. Repeats are refused like the other
/// duplicates of §8 (README, "Decisions where the spec is silent").
fn check_sensitivity(hidden: &[String], f: &mut Gather) {
    for (i, value) in hidden.iter().enumerate() {
        if !SENSITIVITIES.contains(&value.as_str()) {
            f.error(
                format!("central.sensitivity.hidden[{i}]"),
                format!(
                    "unknown sensitivity {}; expected one of {}, spelt exactly",
                    quote(&serde_json::Value::from(value.as_str())),
                    SENSITIVITIES.join(", ")
                ),
            );
        }
    }
    report_duplicates(
        hidden.iter().cloned(),
        |i| format!("central.sensitivity.hidden[{i}]"),
        "sensitivity",
        f,
    );
}

/// The etape areas indexed by selector, so each municipality entry finds the areas it contains (a
/// range of the sorted list) and those that contain it (at most three lookups) without scanning
/// every etape area: validation stays near-linear in the size of the policy (issue 11).
struct EtapeIndex {
    /// (selector, etape index, position in the etape), sorted: equal to the etapes' own order
    /// among equal selectors.
    areas: Vec<(Kle, usize, usize)>,
}

/// What an entry's selector means for the etape areas, worked out once per distinct selector.
struct Overlap {
    /// The etape areas the selector equals or contains, the first few in policy order, as
    /// `kle (etape-id), …`, how many are named, and how many there are.
    contained: String,
    contained_named: usize,
    contained_count: usize,
    /// The strictest fradato limit of the etape areas it equals, contains or lies inside.
    strictest: Option<(chrono::NaiveDate, Kle, usize)>,
}

impl EtapeIndex {
    fn new(c: &Central) -> EtapeIndex {
        let mut areas = Vec::new();
        for (e, etape) in c.etaper.iter().enumerate() {
            for (i, a) in etape.areas.iter().enumerate() {
                areas.push((a.kle, e, i));
            }
        }
        crate::order::sort_by(&mut areas, |a, b| a.cmp(b));
        EtapeIndex { areas }
    }

    /// The etape areas from the first whose selector is not below `sel` while `keep` holds: with
    /// `contains`, the areas `sel` equals or contains (the order is by parts, then length, so
    /// they follow each other); with equality, those whose selector is exactly `sel`.
    fn from(&self, sel: &Kle, keep: impl Fn(&Kle) -> bool) -> &[(Kle, usize, usize)] {
        let start = self.areas.partition_point(|(k, _, _)| k < sel);
        let rest = self.areas.get(start..).unwrap_or_default();
        let end = rest.iter().take_while(|(k, _, _)| keep(k)).count();
        rest.get(..end).unwrap_or_default()
    }

    fn overlap(&self, c: &Central, sel: &Kle) -> Overlap {
        let within = self.from(sel, |k| sel.contains(k));
        // The strictest limit of the areas it equals, contains or lies inside; among equal
        // limits the first in policy order, as the messages always named it.
        let mut strictest: Option<((chrono::NaiveDate, usize, usize), Kle)> = None;
        let mut consider = |list: &[(Kle, usize, usize)]| {
            for &(k, e, i) in list {
                if let Some(etape) = c.etaper.get(e) {
                    let limit = (end_of_year(etape.mandatory_from), e, i);
                    if strictest.is_none_or(|(l, _)| limit < l) {
                        strictest = Some((limit, k));
                    }
                }
            }
        };
        consider(within);
        for k in sel.covering().skip(1) {
            consider(self.from(&k, |x| *x == k));
        }
        // The first few in policy order (etape, then position), kept in order as they are found.
        let mut first: Vec<(usize, usize, Kle)> = Vec::new();
        for &(k, e, i) in within {
            let at = first.partition_point(|f| (f.0, f.1) < (e, i));
            if at < crate::limits::MAX_AREAS_NAMED {
                first.insert(at, (e, i, k));
                first.truncate(crate::limits::MAX_AREAS_NAMED);
            }
        }
        // Written out here rather than joined: one `join` over `String`s less in the browser module.
        let mut contained = String::new();
        let mut contained_named = 0;
        for (e, _, k) in &first {
            if let Some(etape) = c.etaper.get(*e) {
                if contained_named > 0 {
                    contained.push_str(", ");
                }
                contained.push_str(&format!("{k} ({})", etape.id));
                contained_named += 1;
            }
        }
        Overlap {
            contained,
            contained_named,
            contained_count: within.len(),
            strictest: strictest.map(|((date, e, _), kle)| (date, kle, e)),
        }
    }
}

fn check_municipality(policy: &Policy, area_index: &[usize], f: &mut Gather) {
    let c = &policy.central;
    let areas = &policy.municipality.areas;
    let original = |i: usize| area_index.get(i).copied().unwrap_or(i);
    let minor_areas = age::minor_areas(&c.minors);
    report_duplicates(
        areas.iter().map(|a| a.kle.to_string()),
        |i| format!("municipality.areas[{}].kle", original(i)),
        "selector",
        f,
    );
    let index = EtapeIndex::new(c);
    // One look-up per distinct selector: duplicates (refused, but still checked) share it.
    // Indexed as the engine indexes its settings (`Engine::new`): the distinct selectors.
    let selectors: SelectorMap<usize> = areas.iter().enumerate().map(|(i, a)| (a.kle, i)).collect();
    let mut overlaps = Vec::new();
    for (k, _) in selectors.entries() {
        overlaps.push(index.overlap(c, k));
    }
    for (i, a) in areas.iter().enumerate() {
        let i = original(i);
        let at = |field: &str| format!("municipality.areas[{i}].{field}");
        let Some(overlap) = selectors
            .entries()
            .binary_search_by(|(k, _)| k.cmp(&a.kle))
            .ok()
            .and_then(|j| overlaps.get(j))
        else {
            continue;
        };
        if a.open == Some(false) && overlap.contained_count > 0 {
            let mut named = overlap.contained.clone();
            let rest = overlap.contained_count - overlap.contained_named;
            if rest > 0 {
                named.push_str(&format!(" and {rest} more"));
            }
            f.error(
                at("open"),
                format!(
                    "\"{}\" may not be closed: it contains the mandatory area(s) {named}",
                    a.kle
                ),
            );
        }
        if let (Some(from), Some((limit, area, etape))) = (a.from_date, overlap.strictest) {
            if from > limit {
                let etape = c.etaper.get(etape).map_or("", |e| e.id.as_str());
                f.error(
                    at("fromDate"),
                    format!(
                        "fromDate \"{from}\" is after {limit}, the last fradato allowed for the mandatory area {area} of {etape}"
                    ),
                );
            }
        }
        if let Some(min) = a.minimum_age {
            let central = age::central_minimum_age(&c.minors, &minor_areas, &a.kle);
            if min < central {
                f.error(
                    at("minimumAge"),
                    format!(
                        "minimumAge {min} is below the central minimum age {central} for \"{}\"",
                        a.kle
                    ),
                );
            }
        }
        if let Some(fc) = &a.facets {
            if fc.allow.is_some() && fc.deny.is_some() {
                f.error(
                    at("facets"),
                    "facets may have \"allow\" or \"deny\", not both".into(),
                );
            }
        }
        let number = a.kle.to_string();
        match catalogue::lookup(&number) {
            Some(entry) => {
                if let Some(year) = entry.retired {
                    f.warning(
                        at("kle"),
                        format!("KLE {number} \"{}\" is retired (udgår {year})", entry.title),
                    );
                }
            }
            None if !catalogue::has_children(&number) => f.warning(
                at("kle"),
                format!("KLE {number} is not in the embedded KLE catalogue"),
            ),
            None => {}
        }
    }
}
