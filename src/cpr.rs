//! CPR numbers: normalisation and the birth date they encode.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A CPR number normalised to its ten digits (`DDMMYY-SSSS` and `DDMMYYSSSS` compare equal).
///
/// No modulus-11 check: CPR numbers issued since 2007 need not pass it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cpr([u8; 10]);

impl Cpr {
    pub fn parse(s: &str) -> Option<Cpr> {
        let b = s.as_bytes();
        let hyphen = match b.len() {
            10 => None,
            11 => Some(6),
            _ => return None,
        };
        let mut out = [0u8; 10];
        let mut digits = out.iter_mut();
        for (i, &c) in b.iter().enumerate() {
            if Some(i) == hyphen {
                if c != b'-' {
                    return None;
                }
                continue;
            }
            if !c.is_ascii_digit() {
                return None;
            }
            *digits.next()? = c - b'0';
        }
        Some(Cpr(out))
    }

    fn two(a: u8, b: u8) -> u32 {
        u32::from(a) * 10 + u32::from(b)
    }

    /// The birth date encoded in DDMMYY and the seventh digit (the century table of SPEC §3 rule 6);
    /// `None` when the date part is not a real date.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let [d1, d2, m1, m2, y1, y2, seventh, ..] = self.0;
        let (day, month, yy) = (Cpr::two(d1, d2), Cpr::two(m1, m2), Cpr::two(y1, y2));
        let century = match seventh {
            0..=3 => 1900,
            4 | 9 if yy <= 36 => 2000,
            4 | 9 => 1900,
            _ if yy <= 57 => 2000,
            _ => 1800,
        };
        NaiveDate::from_ymd_opt(century + yy as i32, month, day)
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl Serialize for Cpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cpr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cpr::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("malformed CPR number {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn born(cpr: &str) -> Option<String> {
        Cpr::parse(cpr).unwrap().birth_date().map(|d| d.to_string())
    }

    #[test]
    fn century_table() {
        assert_eq!(born("1506061234").as_deref(), Some("1906-06-15"));
        assert_eq!(born("1506063234").as_deref(), Some("1906-06-15"));
        assert_eq!(born("1506364234").as_deref(), Some("2036-06-15"));
        assert_eq!(born("1506374234").as_deref(), Some("1937-06-15"));
        assert_eq!(born("1506579234").as_deref(), Some("1957-06-15"));
        assert_eq!(born("1506089234").as_deref(), Some("2008-06-15"));
        assert_eq!(born("1506575234").as_deref(), Some("2057-06-15"));
        assert_eq!(born("1506588234").as_deref(), Some("1858-06-15"));
    }

    #[test]
    fn hyphen_and_bad_dates() {
        assert_eq!(Cpr::parse("150608-4321"), Cpr::parse("1506084321"));
        assert!(Cpr::parse("15060-84321").is_none());
        assert!(Cpr::parse("12345678").is_none());
        assert!(Cpr::parse("15060843210").is_none());
        assert_eq!(born("3102084321"), None);
        assert_eq!(born("2902044321").as_deref(), Some("2004-02-29"));
        assert_eq!(born("2902054321"), None);
    }
}
