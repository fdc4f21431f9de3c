//! The import profile (IMPORT.md §4a): what the index cannot tell, supplied by the municipality —
//! Udbetaling Danmark's CVR numbers, the Visningsklasse role and class UUIDs, IT-system names, and
//! the owners of properties. Every key optional; unknown keys and duplicate keys are refused.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::xml::is_uuid;
use crate::cpr::Cpr;
use crate::json::Problem;

/// The profile as read and checked. UUIDs are lower-cased for case-insensitive comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub udk_cvr: BTreeSet<String>,
    pub visningsklasse_roles: BTreeSet<String>,
    /// `None`: every class under a Visningsklasse role excludes (fail closed).
    pub visningsklasse_classes: Option<BTreeSet<String>>,
    pub it_systems: BTreeMap<String, String>,
    /// `None`: the profile says nothing about owners, and cases carry no `propertyOwners`.
    pub property_owners: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Raw {
    #[serde(default)]
    udk_cvr: Vec<String>,
    #[serde(default)]
    visningsklasse: Option<RawVisning>,
    #[serde(default)]
    it_systems: Option<Unique<String>>,
    #[serde(default)]
    property_owners: Option<Unique<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVisning {
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    classes: Option<Vec<String>>,
}

/// A JSON object read in order, refusing a key given twice (no reader may pick one of two values).
struct Unique<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Unique<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Unique<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique<V>, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format_args!("duplicate key `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(Unique(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

fn problem(path: String, message: impl Into<String>) -> Problem {
    Problem {
        path,
        message: message.into(),
    }
}

impl Profile {
    /// Reads a profile from JSON text; every problem with its JSON path.
    pub fn from_json_str(text: &str) -> Result<Profile, Vec<Problem>> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            vec![problem(
                String::new(),
                format!(
                    "line {} column {}: {}",
                    e.line(),
                    e.column(),
                    strip_position(&e)
                ),
            )]
        })?;
        let mut problems = Vec::new();
        let mut profile = Profile::default();
        for (i, cvr) in raw.udk_cvr.iter().enumerate() {
            if cvr.len() == 8 && cvr.bytes().all(|b| b.is_ascii_digit()) {
                profile.udk_cvr.insert(cvr.clone());
            } else {
                problems.push(problem(
                    format!("udkCvr[{i}]"),
                    format!("{cvr:?} is not a CVR number (8 digits)"),
                ));
            }
        }
        let uuids = |list: &[String], path: &str, problems: &mut Vec<Problem>| {
            let mut set = BTreeSet::new();
            for (i, u) in list.iter().enumerate() {
                if is_uuid(u) {
                    set.insert(u.to_ascii_lowercase());
                } else {
                    problems.push(problem(
                        format!("{path}[{i}]"),
                        format!("{u:?} is not a UUID"),
                    ));
                }
            }
            set
        };
        if let Some(v) = &raw.visningsklasse {
            profile.visningsklasse_roles = uuids(&v.roles, "visningsklasse.roles", &mut problems);
            profile.visningsklasse_classes = v
                .classes
                .as_ref()
                .map(|c| uuids(c, "visningsklasse.classes", &mut problems));
        }
        for (uuid, name) in raw.it_systems.map(|m| m.0).unwrap_or_default() {
            if !is_uuid(&uuid) {
                problems.push(problem(
                    format!("itSystems.{uuid}"),
                    format!("{uuid:?} is not a UUID"),
                ));
            } else if name.trim().is_empty() {
                problems.push(problem(format!("itSystems.{uuid}"), "the name is empty"));
            } else {
                profile.it_systems.insert(uuid.to_ascii_lowercase(), name);
            }
        }
        if let Some(owners) = raw.property_owners {
            let mut map = BTreeMap::new();
            for (property, cprs) in owners.0 {
                if !property.starts_with("urn:") {
                    problems.push(problem(
                        format!("propertyOwners.{property}"),
                        format!("{property:?} is not a property reference URN (urn:oio:ejendom:bfe-nr:…)"),
                    ));
                    continue;
                }
                for (i, c) in cprs.iter().enumerate() {
                    if Cpr::parse(c).is_none() {
                        // The value is a CPR number or near one: never quoted.
                        problems.push(problem(
                            format!("propertyOwners.{property}[{i}]"),
                            "not a CPR number (10 digits, a hyphen after the 6th allowed)",
                        ));
                    }
                }
                map.insert(property, cprs);
            }
            profile.property_owners = Some(map);
        }
        if problems.is_empty() {
            Ok(profile)
        } else {
            Err(problems)
        }
    }

    /// `"UDK"` for an owner CVR in the profile's Udbetaling Danmark list, else `"kommune"`.
    pub fn provider(&self, cvr: Option<&str>) -> Option<&'static str> {
        let cvr = cvr?;
        Some(if self.udk_cvr.contains(cvr) {
            "UDK"
        } else {
            "kommune"
        })
    }
}

/// serde_json's message without its trailing " at line L column C" (the position is given apart).
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s.get(..i).unwrap_or_default().to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key_and_lower_cases_uuids() {
        let p = Profile::from_json_str(
            r#"{ "udkCvr": ["12345678"], "visningsklasse": { "roles": ["AAAAAAAA-0000-4000-8000-000000000001"] },
                 "itSystems": { "e0000000-0000-4000-8000-0000000000f1": "KMD Nova" },
                 "propertyOwners": { "urn:oio:ejendom:bfe-nr:100": ["0101900000"] } }"#,
        )
        .unwrap();
        assert!(p
            .visningsklasse_roles
            .contains("aaaaaaaa-0000-4000-8000-000000000001"));
        assert_eq!(p.visningsklasse_classes, None);
        assert_eq!(p.provider(Some("12345678")), Some("UDK"));
        assert_eq!(p.provider(Some("11111111")), Some("kommune"));
        assert_eq!(p.provider(None), None);
    }

    #[test]
    fn refuses_unknown_and_duplicate_keys_and_bad_values() {
        assert!(Profile::from_json_str(r#"{ "udkCVR": [] }"#).is_err());
        assert!(Profile::from_json_str(r#"{ "visningsklasse": { "role": [] } }"#).is_err());
        let e = Profile::from_json_str(r#"{ "itSystems": { "e0000000-0000-4000-8000-0000000000f1": "a", "e0000000-0000-4000-8000-0000000000f1": "b" } }"#).unwrap_err();
        assert!(e[0].message.contains("duplicate key"), "{e:?}");
        let e = Profile::from_json_str(
            r#"{ "udkCvr": ["1234"], "propertyOwners": { "urn:x": ["0101900000-1"] } }"#,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(!e[1].message.contains("0101900000"));
    }
}
