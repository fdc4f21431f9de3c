//! The embedded KLE catalogue: numbers and titles of hovedgrupper, grupper and emner.
//!
//! The engine needs titles for the citizen view (`title: "kle"`) and must warn about unknown or
//! retired KLE numbers in a policy, without any I/O, so the catalogue is compiled in.
//! `data.rs` is generated from the OS2 KLE data by `scripts/gen_catalogue.py` (MPL-2.0, see NOTICE).

mod data;

use std::sync::OnceLock;

/// Every entry of the generated data, built once from its compact tables (`data.rs` keeps each
/// number in 3 bytes, stored column by column, and each title as a length into one string, which
/// makes the wasm module ~70 KB smaller than a static `[Entry]` of string slices). Sorted by number.
fn table() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let [first, second, third] = data::NUMBER_PARTS;
        let mut numbers = String::with_capacity(first.len() * 8);
        let mut ends = Vec::with_capacity(first.len());
        for ((&a, &b), &c) in first.iter().zip(second).zip(third) {
            let parts = [a, b, c];
            for (i, &part) in parts.iter().take_while(|&&p| p != 255).enumerate() {
                if i > 0 {
                    numbers.push('.');
                }
                numbers.push(char::from(b'0' + part / 10));
                numbers.push(char::from(b'0' + part % 10));
            }
            ends.push(numbers.len());
        }
        let numbers: &'static str = Box::leak(numbers.into_boxed_str());
        let (mut number_at, mut title_at) = (0, 0);
        let mut out: Vec<Entry> = ends
            .into_iter()
            .zip(data::TITLE_LENS)
            .map(|(number_end, &len)| {
                let title_end = title_at + usize::from(len);
                let entry = Entry {
                    number: numbers.get(number_at..number_end).unwrap_or_default(),
                    title: data::TITLES.get(title_at..title_end).unwrap_or_default(),
                    retired: None,
                };
                (number_at, title_at) = (number_end, title_end);
                entry
            })
            .collect();
        for &(i, year) in data::RETIRED {
            if let Some(e) = out.get_mut(usize::from(i)) {
                e.retired = Some(year);
            }
        }
        out
    })
}

/// One catalogue entry; `'static` so lookups hand out references without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "KleEntry"))]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// `"27"`, `"27.36"` or `"27.36.04"`.
    pub number: &'static str,
    /// Title without any `[udgår YYYY]` marker, ready to show a citizen.
    pub title: &'static str,
    /// Year the emne is retired (the `[udgår YYYY]` marker), so policies using it can be warned about.
    pub retired: Option<u16>,
}

/// Level of a KLE number; selectors may name any level, records only emner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// `NN`
    Hovedgruppe,
    /// `NN.NN`
    Gruppe,
    /// `NN.NN.NN`
    Emne,
}

impl Entry {
    /// Level, from the shape of the number.
    pub fn level(&self) -> Level {
        match self.number.len() {
            2 => Level::Hovedgruppe,
            5 => Level::Gruppe,
            _ => Level::Emne,
        }
    }
}

/// Emner the built-in rules use that the OS2 data lacks (SPEC §8); used only where the data has
/// no entry of that number. Sorted by number, so `entries()` can merge without allocating.
const SEEDS: &[Entry] = &[
    Entry {
        number: "27.24.19",
        title: "Bistand til børn og unge ved afhøringer og varetægtsfængslinger",
        retired: None,
    },
    Entry {
        number: "27.24.27",
        title: "Anbringelse uden for hjemmet uden samtykke",
        retired: None,
    },
    Entry {
        number: "27.60.12",
        title: "Hjælpemidler (ikke kropsbårne eller mobilitetshjælpemidler)",
        retired: None,
    },
    Entry {
        number: "32.24.32",
        title: "Uddannelseshjælp",
        retired: None,
    },
];

/// Binary search in the generated data only.
fn data_lookup(number: &str) -> Option<&'static Entry> {
    table()
        .binary_search_by(|e| e.number.cmp(number))
        .ok()
        .and_then(|i| table().get(i))
}

/// Every entry (data + seeds), sorted by number.
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    let mut data = table().iter().peekable();
    let mut seeds = SEEDS
        .iter()
        .filter(|s| data_lookup(s.number).is_none())
        .peekable();
    std::iter::from_fn(move || match (data.peek(), seeds.peek()) {
        (Some(d), Some(s)) if s.number < d.number => seeds.next(),
        (Some(_), _) => data.next(),
        (None, _) => seeds.next(),
    })
}

/// Lower case for matching: ASCII and Latin-1 letters (ÆØÅ → æøå, É → é, …), which is every
/// letter of the catalogue; without `str::to_lowercase`'s Unicode tables (wasm size).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => {
                char::from_u32(u32::from(c) + 0x20).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Exact lookup of "27", "27.36" or "27.36.04"; falls back to SEEDS.
///
/// Called per record, so it is a binary search with no allocation.
pub fn lookup(number: &str) -> Option<&'static Entry> {
    data_lookup(number).or_else(|| SEEDS.iter().find(|e| e.number == number))
}

/// True when some entry lies below `number` (`27.24` has emner although the group list lacks it),
/// so a selector naming it is a real KLE number.
pub fn has_children(number: &str) -> bool {
    let prefix = format!("{number}.");
    let i = table().partition_point(|e| e.number < prefix.as_str());
    table()
        .get(i)
        .is_some_and(|e| e.number.starts_with(&prefix))
        || SEEDS.iter().any(|e| e.number.starts_with(&prefix))
}

/// Title for the citizen view: catalogue title (marker already stripped), else None.
pub fn title(number: &str) -> Option<&'static str> {
    lookup(number).map(|e| e.title)
}

/// Case-insensitive search for the preview page: number-prefix matches first, then titles
/// starting with the query, then titles containing it; ties by number; at most `limit`.
///
/// Uses `to_lowercase` so Danish `ÆØÅ` match `æøå`. An empty or blank query finds nothing.
pub fn search(query: &str, limit: usize) -> Vec<&'static Entry> {
    let q = fold(query.trim());
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits: Vec<(u8, &'static Entry)> = entries()
        .filter_map(|e| {
            if e.number.starts_with(&q) {
                return Some((0, e));
            }
            let t = fold(e.title);
            if t.starts_with(&q) {
                Some((1, e))
            } else if t.contains(&q) {
                Some((2, e))
            } else {
                None
            }
        })
        .collect();
    // Stable sort: entries() is already in number order, which breaks ties.
    crate::order::sort_by_key(&mut hits, |&(rank, _)| rank);
    hits.into_iter().take(limit).map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_real_emne() {
        let e = lookup("27.36.04").expect("27.36.04 in catalogue");
        assert_eq!(e.title, "Personlig og praktisk hjælp");
        assert_eq!(e.retired, None);
        assert_eq!(e.level(), Level::Emne);
        assert_eq!(title("32.30.04"), Some("Udbetaling af sygedagpenge"));
    }

    #[test]
    fn retired_emne_has_year_and_no_marker() {
        let e = lookup("05.14.21").expect("05.14.21 in catalogue");
        assert_eq!(e.title, "Tankanlæg - råden over vejareal");
        assert_eq!(e.retired, Some(2026));
        let e = lookup("32.24.30").expect("32.24.30 in catalogue");
        assert_eq!(e.title, "Ressourceforløbsydelse, jobafklaringsforløb");
        assert_eq!(e.retired, Some(2028));
        assert_eq!(entries().filter(|e| e.retired.is_some()).count(), 17);
        for e in entries() {
            assert!(!e.title.contains("udgår"), "marker left in {e:?}");
            assert_eq!(e.title, e.title.trim(), "untrimmed title in {e:?}");
            assert!(!e.title.is_empty(), "empty title in {e:?}");
        }
    }

    #[test]
    fn groups_have_titles() {
        let g = lookup("27.36").expect("gruppe 27.36");
        assert_eq!(g.title, "Personlig hjælp, omsorg og pleje m.v.");
        assert_eq!(g.level(), Level::Gruppe);
        let h = lookup("27").expect("hovedgruppe 27");
        assert_eq!(h.title, "Social Service");
        assert_eq!(h.level(), Level::Hovedgruppe);
        // KLE-groups.tsv lists 28.77 twice; the generator keeps the spelling its emner use.
        assert_eq!(
            title("28.77"),
            Some("Betaling for dag-, fritids- og klubtilbud mv.")
        );
    }

    #[test]
    fn unknown_numbers_are_none() {
        for n in [
            "27.360",
            "99.99.99",
            "",
            "27.36.4",
            " 27.36.04",
            "27.36.04 ",
            "99",
        ] {
            assert_eq!(lookup(n), None, "{n:?}");
            assert_eq!(title(n), None, "{n:?}");
        }
    }

    #[test]
    fn seeds_are_found_and_absent_from_data() {
        for s in SEEDS {
            assert!(
                data_lookup(s.number).is_none(),
                "{} is now in the data; drop the seed",
                s.number
            );
            assert_eq!(lookup(s.number), Some(s));
            assert_eq!(s.level(), Level::Emne);
        }
        assert_eq!(
            title("27.60.12"),
            Some("Hjælpemidler (ikke kropsbårne eller mobilitetshjælpemidler)")
        );
        assert_eq!(
            title("27.24.27"),
            Some("Anbringelse uden for hjemmet uden samtykke")
        );
        assert_eq!(
            title("27.24.19"),
            Some("Bistand til børn og unge ved afhøringer og varetægtsfængslinger")
        );
        assert_eq!(title("32.24.32"), Some("Uddannelseshjælp"));
        assert!(SEEDS.windows(2).all(|w| w[0].number < w[1].number));
    }

    #[test]
    fn entries_strictly_sorted_without_duplicates() {
        assert!(table().windows(2).all(|w| w[0].number < w[1].number));
        let all: Vec<_> = entries().collect();
        assert!(all.windows(2).all(|w| w[0].number < w[1].number));
        for s in SEEDS {
            assert!(all.contains(&s), "{} missing from entries()", s.number);
        }
        for e in &all {
            assert_eq!(lookup(e.number), Some(*e));
        }
    }

    #[test]
    fn counts_match_data() {
        let count = |l: Level| table().iter().filter(|e| e.level() == l).count();
        assert_eq!(count(Level::Emne), 2390);
        assert_eq!(count(Level::Hovedgruppe) + count(Level::Gruppe), 400);
        assert_eq!(count(Level::Hovedgruppe), 34);
        assert_eq!(entries().count(), 2390 + 400 + SEEDS.len());
    }

    #[test]
    fn search_finds_sygedagpenge_early() {
        let hits = search("sygedag", 10);
        assert!(hits.len() <= 10);
        let pos = hits.iter().position(|e| e.number == "32.30.04");
        assert!(
            pos.is_some_and(|p| p < 5),
            "32.30.04 not in {:?}",
            hits.iter().map(|e| e.number).collect::<Vec<_>>()
        );
        // Titles starting with the query come before titles merely containing it.
        assert!(hits[0].title.to_lowercase().starts_with("sygedag"));
    }

    #[test]
    fn search_number_prefix_first() {
        let hits = search("32.30", 5);
        assert_eq!(hits.len(), 5);
        assert_eq!(hits[0].number, "32.30");
        assert!(hits.iter().all(|e| e.number.starts_with("32.30")));
        assert!(hits.windows(2).all(|w| w[0].number < w[1].number));
    }

    #[test]
    fn search_is_case_insensitive_for_danish_letters() {
        let hits = search("  ØKONOMISK FRIPLADSTILSKUD ", 3);
        assert_eq!(hits.first().map(|e| e.number), Some("28.77.08"));
        assert!(search("ÆLDRE", 50)
            .iter()
            .any(|e| e.title.contains("ældre")));
    }

    #[test]
    fn search_empty_query_or_zero_limit_is_empty() {
        assert!(search("", 10).is_empty());
        assert!(search("   \t", 10).is_empty());
        assert!(search("sygedag", 0).is_empty());
        assert!(search("ingen-titel-hedder-sådan", 10).is_empty());
    }

    #[test]
    fn serializes_camel_case_and_lowercase_level() {
        let e = lookup("05.14.21").unwrap();
        assert_eq!(
            serde_json::to_string(e).unwrap(),
            r#"{"number":"05.14.21","title":"Tankanlæg - råden over vejareal","retired":2026}"#
        );
        assert_eq!(
            serde_json::to_string(&Level::Hovedgruppe).unwrap(),
            r#""hovedgruppe""#
        );
    }

    /// Read back through the compact tables, every emne of the source file has its number, title
    /// and retirement year (the generator's parsing, redone independently).
    #[test]
    fn every_emne_of_the_source_decodes_with_its_title() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Ok(text) = std::fs::read_to_string(root.join("../shared/data/OS2KLE.txt")) else {
            eprintln!("skipping: ../shared/data/OS2KLE.txt not found");
            return;
        };
        let mut seen = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let rest = line.strip_prefix("KLENummer='").unwrap();
            let (number, rest) = rest.split_once("':KLETitel='").unwrap();
            let (raw, _) = rest.split_once("':Keywords[Weight]=").unwrap();
            let (title, retired) = match raw.split_once("[udgår ") {
                Some((title, year)) => (
                    title,
                    year.trim().strip_suffix(']').map(|y| y.parse().unwrap()),
                ),
                None => (raw, None),
            };
            let entry = data_lookup(number).unwrap_or_else(|| panic!("{number} missing"));
            assert_eq!(
                (entry.title, entry.retired),
                (title.trim(), retired),
                "{number}"
            );
            seen += 1;
        }
        assert_eq!(
            seen,
            table().iter().filter(|e| e.level() == Level::Emne).count()
        );
    }

    /// The committed data.rs must be what the generator makes of the shared data.
    #[test]
    fn data_rs_matches_generator() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        if !root.join("../shared/data/OS2KLE.txt").exists() {
            eprintln!("skipping: ../shared/data/OS2KLE.txt not found");
            return;
        }
        let out = std::process::Command::new("python3")
            .arg("scripts/gen_catalogue.py")
            .arg("--check")
            .current_dir(root)
            .output()
            .expect("run python3 scripts/gen_catalogue.py --check");
        assert!(
            out.status.success(),
            "src/catalogue/data.rs is stale:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
