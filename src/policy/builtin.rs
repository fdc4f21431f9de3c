//! The built-in central rules of SPEC §5, used for every section a policy's `central` leaves out.

use chrono::NaiveDate;

use crate::dates::Days;
use crate::kle::Kle;
use crate::types::{
    Central, CustodyRules, Etape, EtapeArea, KleArea, MinorArea, Minors, SensitivityRules,
};

/// The 12 KLE 15 target groups of etape 2 (April 2021 Borgerblikket dialogue meeting).
pub const ETAPE_2_TARGET_GROUPS: [&str; 12] = [
    "Dagpengemodtagere",
    "Jobparate kontanthjælpsmodtagere",
    "Aktivitetsparate kontanthjælpsmodtagere",
    "Uddannelsesparate uddannelseshjælpsmodtagere",
    "Aktivitetsparate uddannelseshjælpsmodtagere",
    "Sygedagpenge",
    "Jobafklaringsforløb",
    "Ressourceforløb",
    "Fleksjobvisiterede",
    "Revalidering",
    "Selvforsørgede",
    "Selvforsørgelses-, hjemrejseprogram og introduktionsprogram",
];

const ETAPE_1_AREAS: [&str; 14] = [
    "32.30.04", "15.17.06", "32.24.04", "32.24.05", "32.24.06", "32.24.07", "32.24.32", "15.17.12",
    "32.24.08", "32.24.28", "32.24.30", "32.24.12", "32.27.10", "32.21.12",
];

const ETAPE_2_AREAS: [&str; 12] = [
    "27.36.04", "27.36.06", "27.36.24", "27.42.08", "27.45.04", "27.60.04", "27.60.08", "27.60.12",
    "27.60.16", "27.60.20", "27.60.24", "27.60.28",
];

/// Builds a selector from a literal of this file; the unit test below proves every literal parses.
fn kle(s: &str) -> Kle {
    Kle::parse(s).unwrap_or_else(|| unreachable!("built-in KLE literal {s} is malformed"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| unreachable!("built-in date {y}-{m}-{d}"))
}

fn areas(list: &[&str]) -> Vec<EtapeArea> {
    list.iter()
        .map(|s| EtapeArea {
            kle: kle(s),
            target_groups: None,
        })
        .collect()
}

pub fn etaper() -> Vec<Etape> {
    let mut etape2 = areas(&ETAPE_2_AREAS);
    etape2.push(EtapeArea {
        kle: kle("15"),
        target_groups: Some(
            ETAPE_2_TARGET_GROUPS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
    });
    vec![
        Etape {
            id: "etape-1".into(),
            name: "ØA2020".into(),
            mandatory_from: date(2020, 12, 31),
            areas: areas(&ETAPE_1_AREAS),
        },
        Etape {
            id: "etape-2".into(),
            name: "2021".into(),
            mandatory_from: date(2021, 12, 31),
            areas: etape2,
        },
    ]
}

pub fn minors() -> Minors {
    Minors {
        minimum_age: 15,
        reviewed_minimum_age: 13,
        areas: vec![
            MinorArea {
                kle: kle("34"),
                minimum_age: 18,
            },
            MinorArea {
                kle: kle("27.24"),
                minimum_age: 18,
            },
        ],
        hide_history_before_access: true,
    }
}

pub fn custody() -> CustodyRules {
    CustodyRules {
        enabled: false,
        max_verification_age: Days(1),
        child_age_limit: 18,
        excluded_areas: ["34.25", "27.24.27", "27.24.19"]
            .iter()
            .map(|s| KleArea { kle: kle(s) })
            .collect(),
    }
}

pub fn sensitivity() -> SensitivityRules {
    SensitivityRules {
        hidden: vec!["VIP_SAGER".into()],
    }
}

pub fn central() -> Central {
    Central {
        etaper: etaper(),
        minors: minors(),
        custody: custody(),
        sensitivity: sensitivity(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_are_as_specified() {
        let c = central();
        let e1: Vec<String> = c.etaper[0]
            .areas
            .iter()
            .map(|a| a.kle.to_string())
            .collect();
        assert_eq!(e1.len(), 14);
        assert!(e1.contains(&"32.24.05".to_string()) && e1.contains(&"32.21.12".to_string()));
        let fifteen = c.etaper[1]
            .areas
            .iter()
            .find(|a| a.kle.to_string() == "15")
            .unwrap();
        assert_eq!(fifteen.target_groups.as_ref().unwrap().len(), 12);
        assert_eq!(c.etaper[1].areas.len(), 13);
        assert_eq!(c.custody.excluded_areas.len(), 3);
        // Every built-in emne has a title (catalogue or seed), so the view never falls back to a number.
        for e in &c.etaper {
            for a in e.areas.iter().filter(|a| a.kle.is_emne()) {
                assert!(
                    crate::catalogue::title(&a.kle.to_string()).is_some(),
                    "{}",
                    a.kle
                );
            }
        }
    }
}
