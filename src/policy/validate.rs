//! The semantic checks of SPEC §6 and §8 on a structurally sound policy: errors refuse the policy,
//! warnings (unknown or retired KLE numbers) are reported and never change a decision.

use std::collections::HashMap;

use crate::catalogue;
use crate::dates::end_of_year;
use crate::json::Problem;
use crate::kle::Kle;
use crate::rules::age;
use crate::types::{Central, Policy};

/// Problems found: `errors` refuse the policy, `warnings` do not.
#[derive(Debug, Default)]
pub struct Findings {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Findings {
    fn error(&mut self, path: String, message: String) {
        self.errors.push(Problem { path, message });
    }
}

pub fn validate(policy: &Policy) -> Findings {
    let identity: Vec<usize> = (0..policy.municipality.areas.len()).collect();
    validate_indexed(policy, &identity)
}

/// Validates a policy whose municipality areas stood at `area_index[i]` in the document (some
/// unreadable areas may have been left out), so paths name the right entry.
pub(crate) fn validate_indexed(policy: &Policy, area_index: &[usize]) -> Findings {
    let mut f = Findings::default();
    check_central(&policy.central, &mut f);
    check_municipality(policy, area_index, &mut f);
    f
}

/// Reports every repeat of a key after its first occurrence.
fn report_duplicates(
    keys: impl Iterator<Item = String>,
    path: impl Fn(usize) -> String,
    what: &str,
    f: &mut Findings,
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

fn check_central(c: &Central, f: &mut Findings) {
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
}

fn check_municipality(policy: &Policy, area_index: &[usize], f: &mut Findings) {
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
    for (i, a) in areas.iter().enumerate() {
        let i = original(i);
        let at = |field: &str| format!("municipality.areas[{i}].{field}");
        // Etape areas this entry contains (may not be closed) or overlaps (its fradato is limited).
        let mut contained = Vec::new();
        let mut strictest: Option<(chrono::NaiveDate, &Kle, &str)> = None;
        for e in &c.etaper {
            for ea in &e.areas {
                if a.kle.contains(&ea.kle) {
                    contained.push(format!("{} ({})", ea.kle, e.id));
                }
                if a.kle.contains(&ea.kle) || ea.kle.contains(&a.kle) {
                    let limit = end_of_year(e.mandatory_from);
                    if strictest.is_none_or(|(l, _, _)| limit < l) {
                        strictest = Some((limit, &ea.kle, &e.id));
                    }
                }
            }
        }
        if a.open == Some(false) && !contained.is_empty() {
            f.error(
                at("open"),
                format!(
                    "\"{}\" may not be closed: it contains the mandatory area(s) {}",
                    a.kle,
                    contained.join(", ")
                ),
            );
        }
        if let (Some(from), Some((limit, area, etape))) = (a.from_date, strictest) {
            if from > limit {
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
                    f.warnings.push(Problem {
                        path: at("kle"),
                        message: format!(
                            "KLE {number} \"{}\" is retired (udgår {year})",
                            entry.title
                        ),
                    });
                }
            }
            None if !catalogue::has_children(&number) => f.warnings.push(Problem {
                path: at("kle"),
                message: format!("KLE {number} is not in the embedded KLE catalogue"),
            }),
            None => {}
        }
    }
}
