//! Reads a policy document, collecting every structural problem with its JSON path.

use serde_json::{Map, Value};

use super::builtin;
use crate::dates::Days;
use crate::json::{
    as_array, as_bool, as_date, as_object, as_str, as_string, as_string_list, as_u32, quote, Path,
    Problems,
};
use crate::kle::{Facet, Kle};
use crate::types::{
    AreaSettings, Central, CustodyRules, Etape, EtapeArea, FacetFilter, KleArea, MinorArea, Minors,
    Municipality, Policy, SensitivityRules, TitleMode,
};

/// Reports every key of `m` not in `allowed`, suggesting the intended spelling when it is only
/// a matter of case (`fromdate` for `fromDate`).
pub(crate) fn unknown_fields(
    m: &Map<String, Value>,
    path: &Path<'_>,
    allowed: &[&str],
    p: &mut Problems,
) {
    for key in m.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let hint = match allowed.iter().find(|a| a.eq_ignore_ascii_case(key)) {
            Some(a) => format!("did you mean \"{a}\"?"),
            None => format!("expected one of: {}", allowed.join(", ")),
        };
        p.push(&path.key(key), format!("unknown field \"{key}\"; {hint}"));
    }
}

/// An object's field: `Ok(None)` when absent or null, `Err(())` when present but unreadable
/// (its problem is already recorded).
pub(crate) fn opt<T>(
    m: &Map<String, Value>,
    key: &str,
    path: &Path<'_>,
    p: &mut Problems,
    read: impl FnOnce(&Value, &Path<'_>, &mut Problems) -> Option<T>,
) -> Result<Option<T>, ()> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v, &path.key(key), p).map(Some).ok_or(()),
    }
}

/// A required field: recorded as missing when absent.
pub(crate) fn req<T>(
    m: &Map<String, Value>,
    key: &str,
    path: &Path<'_>,
    p: &mut Problems,
    read: impl FnOnce(&Value, &Path<'_>, &mut Problems) -> Option<T>,
) -> Option<T> {
    match opt(m, key, path, p, read) {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            p.push(&path.key(key), format!("missing required field \"{key}\""));
            None
        }
        Err(()) => None,
    }
}

/// Lifts a plain conversion into a field reader.
pub(crate) fn with<T>(
    f: impl FnOnce(&Value) -> Result<T, String>,
) -> impl FnOnce(&Value, &Path<'_>, &mut Problems) -> Option<T> {
    move |v, path, p| p.take(path, f(v))
}

pub(crate) fn object<'v>(
    v: &'v Value,
    path: &Path<'_>,
    p: &mut Problems,
) -> Option<&'v Map<String, Value>> {
    p.take(path, as_object(v))
}

/// Reads each element of an array; `None` if the value is not an array or any element failed.
fn list<T>(
    v: &Value,
    path: &Path<'_>,
    p: &mut Problems,
    mut read: impl FnMut(&Value, &Path<'_>, &mut Problems) -> Option<T>,
) -> Option<Vec<T>> {
    let items = p.take(path, as_array(v))?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match read(item, &path.index(i), p) {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

pub(crate) fn kle_selector(v: &Value) -> Result<Kle, String> {
    let s = as_str(v)?;
    Kle::parse(s).ok_or_else(|| {
        format!(
            "malformed KLE selector {}; expected NN, NN.NN or NN.NN.NN",
            quote(v)
        )
    })
}

fn facet(v: &Value) -> Result<Facet, String> {
    let s = as_str(v)?;
    Facet::parse(s).ok_or_else(|| {
        format!(
            "malformed facet code {}; expected a capital letter and two digits (G01) or a letter alone (K)",
            quote(v)
        )
    })
}

fn days(v: &Value) -> Result<Days, String> {
    let s = as_str(v)?;
    Days::parse(s).ok_or_else(|| {
        format!(
            "malformed duration {}; expected whole days P<n>D with n >= 0 (P1D)",
            quote(v)
        )
    })
}

fn title_mode(v: &Value) -> Result<TitleMode, String> {
    match as_str(v)? {
        "kle" => Ok(TitleMode::Kle),
        "source" => Ok(TitleMode::Source),
        _ => Err(format!("expected \"kle\" or \"source\", got {}", quote(v))),
    }
}

/// What reading a policy document produced: the policy as far as it could be read, the original
/// index of each municipality area kept (unreadable areas are left out), and the problems.
struct Read {
    policy: Option<Policy>,
    area_index: Vec<usize>,
    problems: Problems,
}

impl Read {
    /// Ok only when nothing was wrong. Otherwise every structural problem, followed by the semantic
    /// problems of the parts that could be read, so the policy is refused with every problem at once.
    fn finish(mut self) -> Result<Policy, Vec<crate::json::Problem>> {
        match self.policy {
            Some(policy) if self.problems.is_empty() => Ok(policy),
            Some(policy) => {
                let findings = super::validate::validate_indexed(&policy, &self.area_index);
                self.problems.extend(findings.errors);
                Err(self.problems.into_vec())
            }
            None => Err(self.problems.into_vec()),
        }
    }
}

/// Reads a policy document. `central` sections that are absent take the built-in rules.
pub fn read_policy(v: &Value) -> Result<Policy, Vec<crate::json::Problem>> {
    let mut p = Problems::default();
    let mut area_index = Vec::new();
    let policy = read_policy_into(v, &Path::Root, &mut p, &mut area_index);
    Read {
        policy,
        area_index,
        problems: p,
    }
    .finish()
}

fn read_policy_into(
    v: &Value,
    path: &Path<'_>,
    p: &mut Problems,
    index: &mut Vec<usize>,
) -> Option<Policy> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["central", "municipality"], p);
    let central = opt(m, "central", path, p, read_central);
    let municipality = req(m, "municipality", path, p, |v, path, p| {
        read_municipality(v, path, p, index)
    });
    Some(Policy {
        // An unreadable `central` is reported; the permissive stand-in only lets the municipality's
        // own semantic problems be found too, and never makes a policy valid.
        central: match central {
            Ok(c) => c.unwrap_or_else(builtin::central),
            Err(()) => permissive_central(),
        },
        municipality: municipality?,
    })
}

/// Reads a municipality document on its own (the CLI's `--municipality`). Its paths carry the
/// `municipality.` prefix, as they would inside a policy, so every problem reads the same way.
pub fn read_municipality_document(v: &Value) -> Result<Policy, Vec<crate::json::Problem>> {
    let mut p = Problems::default();
    let mut area_index = Vec::new();
    let root = Path::Root;
    let path = root.key("municipality");
    let municipality = read_municipality(v, &path, &mut p, &mut area_index);
    Read {
        policy: municipality.map(Policy::with_municipality),
        area_index,
        problems: p,
    }
    .finish()
}

/// Central rules that can find no fault with a municipality: the stand-in for an unreadable section.
fn permissive_central() -> Central {
    Central {
        etaper: Vec::new(),
        minors: permissive_minors(),
        custody: CustodyRules {
            enabled: false,
            max_verification_age: Days(0),
            child_age_limit: 0,
            excluded_areas: Vec::new(),
        },
        sensitivity: SensitivityRules { hidden: Vec::new() },
    }
}

fn permissive_minors() -> Minors {
    Minors {
        minimum_age: 0,
        reviewed_minimum_age: 0,
        areas: Vec::new(),
        hide_history_before_access: false,
    }
}

fn read_central(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Central> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["etaper", "minors", "custody", "sensitivity"], p);
    let etaper = opt(m, "etaper", path, p, |v, path, p| {
        list(v, path, p, read_etape)
    });
    let minors = opt(m, "minors", path, p, read_minors);
    let custody = opt(m, "custody", path, p, read_custody);
    let sensitivity = opt(m, "sensitivity", path, p, read_sensitivity);
    let stand_in = permissive_central();
    Some(Central {
        etaper: etaper.map_or(stand_in.etaper, |e| e.unwrap_or_else(builtin::etaper)),
        minors: minors.map_or(stand_in.minors, |m| m.unwrap_or_else(builtin::minors)),
        custody: custody.map_or(stand_in.custody, |c| c.unwrap_or_else(builtin::custody)),
        sensitivity: sensitivity.map_or(stand_in.sensitivity, |s| {
            s.unwrap_or_else(builtin::sensitivity)
        }),
    })
}

fn read_etape(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Etape> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["id", "name", "mandatoryFrom", "areas"], p);
    let id = req(m, "id", path, p, with(as_string));
    let name = req(m, "name", path, p, with(as_string));
    let mandatory_from = req(m, "mandatoryFrom", path, p, with(as_date));
    let areas = req(m, "areas", path, p, |v, path, p| {
        list(v, path, p, read_etape_area)
    });
    Some(Etape {
        id: id?,
        name: name?,
        mandatory_from: mandatory_from?,
        areas: areas?,
    })
}

fn read_etape_area(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<EtapeArea> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["kle", "targetGroups"], p);
    let kle = req(m, "kle", path, p, with(kle_selector));
    let target_groups = opt(m, "targetGroups", path, p, as_string_list);
    Some(EtapeArea {
        kle: kle?,
        target_groups: target_groups.ok()?,
    })
}

fn read_minors(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Minors> {
    let m = object(v, path, p)?;
    unknown_fields(
        m,
        path,
        &[
            "minimumAge",
            "reviewedMinimumAge",
            "areas",
            "hideHistoryBeforeAccess",
        ],
        p,
    );
    let minimum_age = req(m, "minimumAge", path, p, with(as_u32));
    let reviewed = req(m, "reviewedMinimumAge", path, p, with(as_u32));
    let areas = req(m, "areas", path, p, |v, path, p| {
        list(v, path, p, |v, path, p| {
            let m = object(v, path, p)?;
            unknown_fields(m, path, &["kle", "minimumAge"], p);
            let kle = req(m, "kle", path, p, with(kle_selector));
            let minimum_age = req(m, "minimumAge", path, p, with(as_u32));
            Some(MinorArea {
                kle: kle?,
                minimum_age: minimum_age?,
            })
        })
    });
    let hide = req(m, "hideHistoryBeforeAccess", path, p, with(as_bool));
    Some(Minors {
        minimum_age: minimum_age?,
        reviewed_minimum_age: reviewed?,
        areas: areas?,
        hide_history_before_access: hide?,
    })
}

fn read_kle_areas(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Vec<KleArea>> {
    list(v, path, p, |v, path, p| {
        let m = object(v, path, p)?;
        unknown_fields(m, path, &["kle"], p);
        Some(KleArea {
            kle: req(m, "kle", path, p, with(kle_selector))?,
        })
    })
}

fn read_custody(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<CustodyRules> {
    let m = object(v, path, p)?;
    unknown_fields(
        m,
        path,
        &[
            "enabled",
            "maxVerificationAge",
            "childAgeLimit",
            "excludedAreas",
        ],
        p,
    );
    let enabled = req(m, "enabled", path, p, with(as_bool));
    let max_age = req(m, "maxVerificationAge", path, p, with(days));
    let limit = req(m, "childAgeLimit", path, p, with(as_u32));
    let excluded = req(m, "excludedAreas", path, p, read_kle_areas);
    Some(CustodyRules {
        enabled: enabled?,
        max_verification_age: max_age?,
        child_age_limit: limit?,
        excluded_areas: excluded?,
    })
}

fn read_sensitivity(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<SensitivityRules> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["hidden"], p);
    Some(SensitivityRules {
        hidden: req(m, "hidden", path, p, as_string_list)?,
    })
}

/// Reads the areas one by one: an unreadable area is reported and left out (its original index is
/// kept in `index`), so the readable ones can still be checked.
fn read_municipality(
    v: &Value,
    path: &Path<'_>,
    p: &mut Problems,
    index: &mut Vec<usize>,
) -> Option<Municipality> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["code", "name", "areas"], p);
    let code = opt(m, "code", path, p, with(as_string));
    let name = opt(m, "name", path, p, with(as_string));
    let areas = req(m, "areas", path, p, |v, path, p| {
        let items = p.take(path, as_array(v))?;
        let mut areas = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(a) = read_area(item, &path.index(i), p) {
                areas.push(a);
                index.push(i);
            }
        }
        Some(areas)
    });
    Some(Municipality {
        code: code.ok().flatten(),
        name: name.ok().flatten(),
        areas: areas?,
    })
}

const AREA_FIELDS: [&str; 11] = [
    "kle",
    "open",
    "fromDate",
    "showActiveBeforeFromDate",
    "facets",
    "sourceSystems",
    "targetGroups",
    "showDocuments",
    "title",
    "showNonEconomicBenefits",
    "minimumAge",
];

fn read_area(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<AreaSettings> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &AREA_FIELDS, p);
    let kle = req(m, "kle", path, p, with(kle_selector));
    let open = opt(m, "open", path, p, with(as_bool));
    let from_date = opt(m, "fromDate", path, p, with(as_date));
    let active = opt(m, "showActiveBeforeFromDate", path, p, with(as_bool));
    let facets = opt(m, "facets", path, p, read_facets);
    let sources = opt(m, "sourceSystems", path, p, as_string_list);
    let groups = opt(m, "targetGroups", path, p, as_string_list);
    let docs = opt(m, "showDocuments", path, p, with(as_bool));
    let title = opt(m, "title", path, p, with(title_mode));
    let non_economic = opt(m, "showNonEconomicBenefits", path, p, with(as_bool));
    let minimum_age = opt(m, "minimumAge", path, p, with(as_u32));
    // An unreadable optional field is already reported; it is read as absent so that the area's other
    // settings can still be checked. Such a policy is refused anyway.
    Some(AreaSettings {
        kle: kle?,
        open: open.ok().flatten(),
        from_date: from_date.ok().flatten(),
        show_active_before_from_date: active.ok().flatten().unwrap_or(false),
        facets: facets.ok().flatten().flatten(),
        source_systems: sources.ok().flatten(),
        target_groups: groups.ok().flatten(),
        show_documents: docs.ok().flatten().unwrap_or(false),
        title: title.ok().flatten().unwrap_or(TitleMode::Kle),
        show_non_economic_benefits: non_economic.ok().flatten().unwrap_or(false),
        minimum_age: minimum_age.ok().flatten(),
    })
}

/// `{}` (and `{ "allow": null }`) is no filter, read as `None`.
fn read_facets(v: &Value, path: &Path<'_>, p: &mut Problems) -> Option<Option<FacetFilter>> {
    let m = object(v, path, p)?;
    unknown_fields(m, path, &["allow", "deny"], p);
    let codes = |v: &Value, path: &Path<'_>, p: &mut Problems| {
        list(v, path, p, |v, path, p| p.take(path, facet(v)))
    };
    let allow = opt(m, "allow", path, p, codes);
    let deny = opt(m, "deny", path, p, codes);
    let (allow, deny) = (allow.ok()?, deny.ok()?);
    if allow.is_none() && deny.is_none() {
        return Some(None);
    }
    Some(Some(FacetFilter { allow, deny }))
}
