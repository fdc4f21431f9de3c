//! A synthetic municipality for benchmarks and what-if runs: deterministic requests with a
//! realistic mix (ages 0–100, mandatory and voluntary areas, facets, source systems, dates either
//! side of a fradato, documents, benefits with payments, parents viewing children, invalid records).
//!
//! Uses its own small PRNG (SplitMix64) rather than a crate, so the same seed gives the same
//! requests whatever the dependency versions.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{json, Value};

/// SplitMix64: tiny, fast, and stable forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// Areas a municipality's records fall in: the built-in mandatory ones and common voluntary ones.
const EMNER: [&str; 24] = [
    "32.30.04", "15.17.06", "32.24.04", "32.24.05", "32.24.06", "32.24.08", "32.24.12", "32.27.10",
    "32.21.12", "27.36.04", "27.36.06", "27.60.04", "27.60.08", "27.42.08", "15.20.10", "15.17.12",
    "27.24.03", "27.24.27", "34.25.01", "34.01.02", "02.34.02", "00.17.15", "32.21.16", "27.12.04",
];
const FACETS: [&str; 8] = ["G01", "G01", "G01", "K02", "K03", "A53", "Ø30", "P15"];
const SYSTEMS: [&str; 5] = ["KMD Nova ESDH", "SBSYS", "Acadre", "KY", "Fasit"];
const SENSITIVITY: [&str; 4] = [
    "FORTROLIGE_PERSONOPLYSNINGER",
    "FORTROLIGE_PERSONOPLYSNINGER",
    "IKKE_FORTROLIGE_DATA",
    "FOELSOMME_PERSONOPLYSNINGER",
];
const TARGET_GROUPS: [&str; 4] = [
    "Sygedagpenge",
    "Jobafklaringsforløb",
    "Fleksjobvisiterede",
    "Ledige",
];
const DOCUMENTS: [&str; 5] = [
    "Afgørelse",
    "Partshøring",
    "Indkaldelse til samtale",
    "Kvittering",
    "Brev",
];

fn day(base: NaiveDate, offset: u64) -> NaiveDate {
    base.checked_add_days(Days::new(offset)).unwrap_or(base)
}

/// A CPR number for a birth date, with a seventh digit that encodes the right century.
fn cpr_for(rng: &mut Rng, birth: NaiveDate) -> String {
    let yy = birth.year() % 100;
    let seventh = if birth.year() >= 2000 {
        4
    } else {
        rng.below(4)
    };
    format!(
        "{:02}{:02}{:02}{}{:03}",
        birth.day(),
        birth.month(),
        yy,
        seventh,
        rng.below(1000)
    )
}

/// The requests of `citizens` citizens as of `as_of`, one JSON value each.
pub fn requests(citizens: u64, seed: u64, as_of: NaiveDate) -> impl Iterator<Item = Value> {
    let mut rng = Rng::new(seed);
    (0..citizens).map(move |i| request(&mut rng, i, as_of))
}

fn request(rng: &mut Rng, index: u64, as_of: NaiveDate) -> Value {
    let epoch = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap_or(as_of);
    let born = |rng: &mut Rng, min_age: u64, max_age: u64| {
        let age_days = (min_age * 365) + rng.below((max_age - min_age) * 365 + 1);
        as_of.checked_sub_days(Days::new(age_days)).unwrap_or(epoch)
    };
    let birth = born(rng, 0, 100);
    let person = cpr_for(rng, birth);
    // One in twenty requests is a parent viewing a child's overview.
    let custody = rng.chance(5);
    let (viewer, subject, subject_birth) = if custody {
        let child_birth = born(rng, 0, 19);
        let child = cpr_for(rng, child_birth);
        let parent_birth = born(rng, 25, 60);
        (cpr_for(rng, parent_birth), Some(child), child_birth)
    } else {
        (person.clone(), None, birth)
    };
    let owner = subject.clone().unwrap_or_else(|| person.clone());
    let adult_since = day(subject_birth, 18 * 365);
    let first = if adult_since < as_of {
        adult_since.min(day(as_of, 0))
    } else {
        subject_birth
    };
    let span = (as_of - first).num_days().max(1) as u64;
    let count = match rng.below(10) {
        0..=3 => rng.below(3),
        4..=7 => 2 + rng.below(8),
        _ => 8 + rng.below(25),
    };
    let mut records = Vec::with_capacity(count as usize);
    let mut case_ids = Vec::new();
    for r in 0..count {
        let id = format!("C{index}-{r}");
        let created = day(
            first,
            rng.below(span.min(12 * 365)) + span.saturating_sub(12 * 365),
        );
        let kle = rng.pick(&EMNER).copied().unwrap_or("32.30.04");
        let mut record = if rng.chance(70) {
            case_ids.push(id.clone());
            let status = rng
                .pick(&crate::types::CaseStatus::NAMES)
                .copied()
                .unwrap_or("Oplyst");
            let documents: Vec<Value> = (0..rng.below(6))
                .map(|d| {
                    json!({ "id": format!("{id}-D{d}"), "title": rng.pick(&DOCUMENTS).copied().unwrap_or("Brev"),
                            "date": day(created, rng.below(200)), "type": "Brev, udgaaende",
                            "content": "…", "excludedFromCitizen": rng.chance(5) })
                })
                .collect();
            json!({ "kind": "case", "id": id, "kle": kle,
                "facet": if rng.chance(90) { rng.pick(&FACETS).copied() } else { None },
                "title": format!("Sag om {kle}"), "sourceSystem": rng.pick(&SYSTEMS).copied(),
                "provider": if rng.chance(90) { "kommune" } else { "UDK" },
                "createdDate": created, "status": status,
                "closedDate": (status == "Afsluttet").then(|| day(created, 30 + rng.below(300))),
                "primaryParty": owner, "propertyOwners": if kle.starts_with("02.") { vec![owner.clone()] } else { vec![] },
                "sensitivity": if rng.chance(2) { "VIP_SAGER" } else { rng.pick(&SENSITIVITY).copied().unwrap_or("FORTROLIGE_PERSONOPLYSNINGER") },
                "targetGroup": kle.starts_with("15.").then(|| rng.pick(&TARGET_GROUPS).copied()).flatten(),
                "releasedToMinor": rng.chance(20), "hoi": rng.chance(2), "excludedFromCitizen": rng.chance(3),
                "caseNumber": format!("{}-{r}", created.year()), "caseworker": "Sagsbehandler",
                "documents": documents })
        } else {
            let payments: Vec<Value> = (0..rng.below(25))
                .map(|m| json!({ "date": day(created, 30 * m), "grossAmountOre": 50_000 + rng.below(2_000_000) }))
                .collect();
            json!({ "kind": "benefit", "id": id, "kle": kle,
                "caseId": if rng.chance(60) { rng.pick(&case_ids).cloned() } else { None },
                "name": format!("Ydelse {kle}"), "recipient": owner, "economic": rng.chance(85),
                "startDate": created, "endDate": rng.chance(40).then(|| day(created, 60 + rng.below(700))),
                "sourceSystem": rng.pick(&SYSTEMS).copied(), "provider": "kommune",
                "sensitivity": rng.pick(&SENSITIVITY).copied(), "excludedFromCitizen": rng.chance(2),
                "payments": payments })
        };
        // About one record in a hundred comes broken from its source system.
        if let Some(fields) = record.as_object_mut().filter(|_| rng.chance(1)) {
            fields.insert("createdDate".into(), json!("2021-02-30"));
            fields.insert("startDate".into(), json!("2021-13-01"));
        }
        records.push(record);
    }
    let mut req = json!({ "asOf": as_of, "viewer": { "cpr": viewer }, "records": records });
    if let (Some(child), Some(fields)) = (subject, req.as_object_mut()) {
        fields.insert("subject".into(), json!({ "cpr": child }));
        fields.insert("custody".into(), json!({ "verifiedAt": day(as_of, 0).checked_sub_days(Days::new(rng.below(3))),
            "relations": [ { "childCpr": child, "type": "0003", "validFrom": subject_birth, "validTo": null } ] }));
    }
    req
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Request;

    #[test]
    fn deterministic_and_readable() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let a: Vec<Value> = requests(200, 7, as_of).collect();
        let b: Vec<Value> = requests(200, 7, as_of).collect();
        assert_eq!(a, b);
        assert_ne!(a, requests(200, 8, as_of).collect::<Vec<_>>());
        let records: usize = a
            .iter()
            .map(|r| Request::from_value(r).unwrap().records.len())
            .sum();
        assert!(records > 500, "{records}");
        assert!(a.iter().any(|r| r.get("subject").is_some()));
    }
}
