//! KLE numbers and handlingsfacetter: parsing and prefix-boundary matching.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A KLE number: hovedgruppe `27`, gruppe `27.36` or emne `27.36.04`.
///
/// Stored as its two-digit parts so that matching is comparison of small integers, never of strings
/// (`27.36` must match `27.36.04` but not `27.360.1`, which string prefixes get wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kle {
    parts: [u8; 3],
    len: u8,
}

impl Kle {
    /// The selector of the settings a record gets when no municipality entry matches; never shown.
    pub const PLACEHOLDER: Kle = Kle {
        parts: [0, 0, 0],
        len: 1,
    };

    /// Parses `NN`, `NN.NN` or `NN.NN.NN`.
    pub fn parse(s: &str) -> Option<Kle> {
        let mut parts = [0u8; 3];
        let mut len = 0usize;
        for part in s.split('.') {
            let [a, b] = part.as_bytes() else {
                return None;
            };
            if !a.is_ascii_digit() || !b.is_ascii_digit() {
                return None;
            }
            *parts.get_mut(len)? = (a - b'0') * 10 + (b - b'0');
            len += 1;
        }
        // `split` yields at least one part, so len >= 1 here.
        Some(Kle {
            parts,
            len: len as u8,
        })
    }

    /// Parses an emne (`NN.NN.NN`), the only form a record may carry.
    pub fn parse_emne(s: &str) -> Option<Kle> {
        Kle::parse(s).filter(Kle::is_emne)
    }

    pub fn is_emne(&self) -> bool {
        self.len == 3
    }

    /// 1 = hovedgruppe, 2 = gruppe, 3 = emne.
    pub fn level(&self) -> usize {
        usize::from(self.len)
    }

    pub fn hovedgruppe(&self) -> u8 {
        let [hovedgruppe, ..] = self.parts;
        hovedgruppe
    }

    /// The selector of this number cut to `level` parts (`27.36.04` at level 2 is `27.36`).
    pub fn truncate(&self, level: usize) -> Kle {
        let [a, b, c] = self.parts;
        match level.clamp(1, self.level()) {
            1 => Kle {
                parts: [a, 0, 0],
                len: 1,
            },
            2 => Kle {
                parts: [a, b, 0],
                len: 2,
            },
            _ => Kle {
                parts: [a, b, c],
                len: 3,
            },
        }
    }

    /// The selectors that cover this number, most specific first (`27.36.04`, `27.36`, `27`).
    pub fn covering(&self) -> impl Iterator<Item = Kle> + '_ {
        (1..=self.level()).rev().map(|l| self.truncate(l))
    }

    /// True when `self` as a selector covers `other` on part boundaries (equal counts).
    pub fn contains(&self, other: &Kle) -> bool {
        self.len <= other.len
            && self
                .parts
                .iter()
                .zip(other.parts)
                .take(self.level())
                .all(|(a, b)| *a == b)
    }
}

impl Kle {
    /// The number as text, written by hand: it is formatted for every decision.
    pub fn as_text(&self) -> KleText {
        let mut bytes = [0u8; 8];
        let mut n = 0;
        for p in self.parts.iter().take(self.level()) {
            if n > 0 {
                if let Some(b) = bytes.get_mut(n) {
                    *b = b'.';
                }
                n += 1;
            }
            for digit in [p / 10, p % 10] {
                if let Some(b) = bytes.get_mut(n) {
                    *b = b'0' + digit;
                }
                n += 1;
            }
        }
        KleText { bytes, len: n }
    }
}

/// A KLE number's text on the stack (at most `NN.NN.NN`).
pub struct KleText {
    bytes: [u8; 8],
    len: usize,
}

impl KleText {
    pub fn to_owned_string(&self) -> String {
        self.as_str().to_owned()
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and dots are ever written.
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl Kle {
    /// The number as one integer, ordered as its parts then its length.
    fn packed(&self) -> u32 {
        let [a, b, c] = self.parts;
        u32::from_be_bytes([a, b, c, self.len])
    }
}

impl PartialOrd for Kle {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kle {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.packed().cmp(&other.packed())
    }
}

impl fmt::Display for Kle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_text().as_str())
    }
}

impl Serialize for Kle {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Kle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Kle::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("malformed KLE number {s:?}")))
    }
}

/// A handlingsfacet (`G01`, `Ø30`) or, in a filter, a whole facet category (`K`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Facet {
    letter: char,
    number: Option<u8>,
}

impl Facet {
    /// A facet code: one capital letter (Danish letters included) and two digits, or only the letter.
    pub fn parse(s: &str) -> Option<Facet> {
        let mut chars = s.chars();
        let letter = chars
            .next()
            .filter(|c| c.is_ascii_uppercase() || "ÆØÅ".contains(*c))?;
        let rest = chars.as_str().as_bytes();
        match rest {
            [] => Some(Facet {
                letter,
                number: None,
            }),
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Some(Facet {
                letter,
                number: Some((a - b'0') * 10 + (b - b'0')),
            }),
            _ => None,
        }
    }

    /// A record's facet must be a full code.
    pub fn parse_code(s: &str) -> Option<Facet> {
        Facet::parse(s).filter(|f| f.number.is_some())
    }

    /// True when this filter entry selects `code` (a letter selects its whole category).
    pub fn selects(&self, code: &Facet) -> bool {
        self.letter == code.letter && (self.number.is_none() || self.number == code.number)
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "{}{n:02}", self.letter),
            None => write!(f, "{}", self.letter),
        }
    }
}

impl Serialize for Facet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Facet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Facet::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("malformed facet {s:?}")))
    }
}

/// Settings keyed by selector, looked up by the most specific selector covering a record's emne.
///
/// A record has at most three covering selectors; each is a binary search in a small sorted vector
/// built once from the policy (no hashing per record).
#[derive(Debug, Clone)]
pub struct SelectorMap<T> {
    entries: Vec<(Kle, T)>,
}

impl<T> SelectorMap<T> {
    /// The entries, by selector.
    pub(crate) fn entries(&self) -> &[(Kle, T)] {
        &self.entries
    }

    /// The value of exactly this selector.
    pub(crate) fn get(&self, kle: &Kle) -> Option<&T> {
        self.entries
            .binary_search_by(|(k, _)| k.cmp(kle))
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, t)| t)
    }

    /// Every entry covering `kle`, most specific first.
    pub fn matching<'a>(&'a self, kle: &'a Kle) -> impl Iterator<Item = (Kle, &'a T)> + 'a {
        kle.covering()
            .filter_map(|sel| self.get(&sel).map(|t| (sel, t)))
    }

    pub fn most_specific(&self, kle: &Kle) -> Option<(Kle, &T)> {
        kle.covering()
            .find_map(|sel| self.get(&sel).map(|t| (sel, t)))
    }
}

/// Builds from `(selector, value)` pairs; the first of duplicate selectors wins (duplicates are
/// refused by validation anyway).
impl<T> FromIterator<(Kle, T)> for SelectorMap<T> {
    fn from_iter<I: IntoIterator<Item = (Kle, T)>>(iter: I) -> Self {
        let mut entries: Vec<(Kle, T)> = iter.into_iter().collect();
        // Stable: among equal selectors the first stays first, and dedup keeps it.
        crate::order::sort_by_key(&mut entries, |e| e.0);
        entries.dedup_by(|later, first| later.0 == first.0);
        SelectorMap { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Kle {
        Kle::parse(s).unwrap()
    }

    #[test]
    fn parses_the_three_levels_and_nothing_else() {
        for ok in ["27", "27.36", "27.36.04", "00.00.00"] {
            assert_eq!(k(ok).to_string(), ok);
        }
        for bad in [
            "",
            "2",
            "27.3",
            "27.360",
            "27.36.04.01",
            "27..36",
            "a7",
            "27.36.",
            " 27",
            "٢٧",
        ] {
            assert_eq!(Kle::parse(bad), None, "{bad}");
        }
        assert!(Kle::parse_emne("27.36").is_none());
    }

    #[test]
    fn matches_on_part_boundaries() {
        assert!(k("27.36").contains(&k("27.36.04")));
        assert!(k("27").contains(&k("27.36.04")));
        assert!(k("27.36.04").contains(&k("27.36.04")));
        assert!(!k("27.36").contains(&k("27.03.60")));
        assert!(!k("27.36.04").contains(&k("27.36")));
        assert!(!k("02").contains(&k("20.02.02")));
        let cover: Vec<String> = k("27.36.04").covering().map(|c| c.to_string()).collect();
        assert_eq!(cover, ["27.36.04", "27.36", "27"]);
    }

    #[test]
    fn facets_and_categories() {
        assert!(Facet::parse("K")
            .unwrap()
            .selects(&Facet::parse_code("K02").unwrap()));
        assert!(!Facet::parse("K03")
            .unwrap()
            .selects(&Facet::parse_code("K02").unwrap()));
        assert_eq!(Facet::parse("Ø30").unwrap().to_string(), "Ø30");
        for bad in ["g1", "G1", "g01", "G001", "", "01", "GG1"] {
            assert_eq!(Facet::parse(bad), None, "{bad}");
        }
        assert!(Facet::parse_code("G").is_none());
    }
}
