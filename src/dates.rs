//! Calendar arithmetic the rules share: whole-year ages and ISO-8601 day periods.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Age in whole years on `on`. A person born on 29 February becomes a year older on 1 March in
/// non-leap years, which comparing (month, day) pairs gives directly.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The day a person born on `birth` turns `age` (1 March for a 29 February birthday in a non-leap year).
pub fn birthday(birth: NaiveDate, age: u32) -> Option<NaiveDate> {
    let year = birth.year().checked_add(i32::try_from(age).ok()?)?;
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

/// 31 December of the year of `d`.
pub fn end_of_year(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d)
}

/// An ISO-8601 period in whole days (`P1D`, `P30D`, `P0D`): the only form the policy uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(pub u32);

impl Days {
    pub fn parse(s: &str) -> Option<Days> {
        let n = s.strip_prefix('P')?.strip_suffix('D')?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n.parse().ok().map(Days)
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}D", self.0)
    }
}

impl Serialize for Days {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Days::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("malformed duration {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ages_and_leap_days() {
        assert_eq!(age_on(d("2006-06-15"), d("2021-06-15")), Some(15));
        assert_eq!(age_on(d("2006-06-15"), d("2021-06-14")), Some(14));
        assert_eq!(age_on(d("2004-02-29"), d("2019-02-28")), Some(14));
        assert_eq!(age_on(d("2004-02-29"), d("2019-03-01")), Some(15));
        assert_eq!(age_on(d("2004-02-29"), d("2020-02-29")), Some(16));
        assert_eq!(age_on(d("2021-06-16"), d("2021-06-15")), None);
        assert_eq!(birthday(d("2004-02-29"), 15), Some(d("2019-03-01")));
        assert_eq!(birthday(d("2004-02-29"), 16), Some(d("2020-02-29")));
    }

    #[test]
    fn day_periods() {
        assert_eq!(Days::parse("P1D"), Some(Days(1)));
        assert_eq!(Days::parse("P0D"), Some(Days(0)));
        for bad in ["P-1D", "P1W", "1D", "PD", "P1.5D", "p1d", "P1DT1H", ""] {
            assert_eq!(Days::parse(bad), None, "{bad}");
        }
    }
}

/// Writes a date as `YYYY-MM-DD` straight from its digits. The overview carries many dates (every
/// payment's), and chrono's `Display` through serde's `collect_str` was a visible share of writing it.
/// Years outside 0–9999 (never read from input) fall back to chrono's own form.
pub(crate) mod iso {
    use chrono::{Datelike, NaiveDate};
    use serde::{Serialize, Serializer};

    pub(crate) fn digits(d: NaiveDate) -> Option<[u8; 10]> {
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (m, day) = (d.month(), d.day());
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }

    /// The date as text, as chrono's `Display` writes it.
    pub(crate) fn text(d: NaiveDate) -> String {
        match digits(d) {
            Some(b) => b.iter().map(|&c| char::from(c)).collect(),
            None => d.to_string(),
        }
    }

    pub(crate) fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        match digits(*d) {
            Some(b) => match std::str::from_utf8(&b) {
                Ok(text) => s.serialize_str(text),
                Err(_) => d.serialize(s),
            },
            None => d.serialize(s),
        }
    }

    pub(crate) mod option {
        use chrono::NaiveDate;
        use serde::Serializer;

        pub(crate) fn serialize<S: Serializer>(
            d: &Option<NaiveDate>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use chrono::NaiveDate;

        #[test]
        fn same_text_as_chrono() {
            for (y, m, d) in [
                (2026, 11, 22),
                (1, 1, 1),
                (999, 12, 31),
                (9999, 2, 28),
                (0, 3, 1),
                (10000, 1, 1),
                (-1, 6, 9),
            ] {
                let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
                let mut ours = serde_json::Serializer::new(Vec::new());
                super::serialize(&date, &mut ours).unwrap();
                assert_eq!(
                    String::from_utf8(ours.into_inner()).unwrap(),
                    serde_json::to_string(&date).unwrap()
                );
                assert_eq!(super::text(date), date.to_string());
            }
        }
    }
}
