//! The time model of IMPORT.md §3: instants, Europe/Copenhagen dates without a time-zone database,
//! and the evaluation instant (00:00 Copenhagen on the day after `asOf`).
//!
//! Danish summer time is computed from its rule: the EU rule (last Sunday of March to last Sunday
//! of October, 01:00 UTC) from 1996, last Sunday of September as the end in 1980–1995, and no
//! summer time before 1980 (Denmark had none from 1949 to 1979). That is all a date needs; a
//! time-zone database would cost the wasm module size and change under the engine's feet.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// A point in time: seconds and nanoseconds since 1970-01-01T00:00:00Z. Ordered as time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    secs: i64,
    nanos: u32,
}

const HOUR: i64 = 3_600;

impl Instant {
    fn from_utc(dt: NaiveDateTime, nanos: u32) -> Instant {
        Instant {
            secs: dt.and_utc().timestamp(),
            nanos,
        }
    }

    fn utc(self) -> Option<NaiveDateTime> {
        chrono::DateTime::from_timestamp(self.secs, 0).map(|d| d.naive_utc())
    }

    /// The calendar date of this instant in Europe/Copenhagen.
    /// (`NaiveDate`'s `Display` writes it as `YYYY-MM-DD`, the form the records use.)
    pub fn copenhagen_date(self) -> Option<NaiveDate> {
        let offset = if is_summer_time(self) { 2 } else { 1 };
        let local = Instant {
            secs: self.secs.checked_add(offset * HOUR)?,
            nanos: 0,
        };
        local.utc().map(|d| d.date())
    }

    /// 00:00 Europe/Copenhagen on `date` (midnight is never in a summer-time gap: the clocks
    /// change at 02:00 and 03:00 local time).
    pub fn copenhagen_midnight(date: NaiveDate) -> Instant {
        copenhagen_wall_clock(date.and_time(NaiveTime::MIN), 0)
    }

    /// The evaluation instant t of IMPORT.md §3.1: 00:00 Copenhagen on the day after `as_of`.
    pub fn evaluation(as_of: NaiveDate) -> Instant {
        Instant::copenhagen_midnight(as_of.succ_opt().unwrap_or(as_of))
    }
}

/// Wall-clock time in Copenhagen to an instant. In the autumn hour that occurs twice the earlier
/// (summer-time) instant is taken; a time in the spring gap is read as winter time.
fn copenhagen_wall_clock(local: NaiveDateTime, nanos: u32) -> Instant {
    let summer = Instant::from_utc(local - Duration::hours(2), nanos);
    if is_summer_time(summer) {
        summer
    } else {
        Instant::from_utc(local - Duration::hours(1), nanos)
    }
}

/// The last `weekday` of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(Duration::days(i64::from(back)))
        .filter(|d| d.weekday() == Weekday::Sun)
}

/// Danish summer time at this instant (see the module comment for the rule by year).
fn is_summer_time(t: Instant) -> bool {
    let Some(utc) = t.utc() else { return false };
    let year = utc.year();
    let end_month = match year {
        ..=1979 => return false,
        1980..=1995 => 9,
        _ => 10,
    };
    let one_am = NaiveTime::from_hms_opt(1, 0, 0).unwrap_or(NaiveTime::MIN);
    match (last_sunday(year, 3), last_sunday(year, end_month)) {
        (Some(start), Some(end)) => {
            let start = Instant::from_utc(start.and_time(one_am), 0);
            let end = Instant::from_utc(end.and_time(one_am), 0);
            start <= t && t < end
        }
        _ => false,
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |n, &d| {
        n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

/// `YYYY-MM-DD` (four-digit year) at the start of `s`; the rest is returned.
fn date_prefix(s: &[u8]) -> Option<(NaiveDate, &[u8])> {
    let (head, rest) = (s.get(..10)?, s.get(10..)?);
    if head.get(4) != Some(&b'-') || head.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(head.get(..4)?)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(head.get(5..7)?)?, digits(head.get(8..10)?)?)?;
    Some((date, rest))
}

/// An `xs:dateTime` (`2021-02-01T09:30:00.000+01:00`, `…Z`, or without an offset = Copenhagen wall
/// clock). A bare date is malformed (IMPORT.md §4a). Whitespace around the value is XML's to drop.
pub fn parse_date_time(s: &str) -> Option<Instant> {
    let s = s.trim().as_bytes();
    let (date, rest) = date_prefix(s)?;
    let rest = rest.strip_prefix(b"T")?;
    let time = rest.get(..8)?;
    let mut rest = rest.get(8..)?;
    if time.get(2) != Some(&b':') || time.get(5) != Some(&b':') {
        return None;
    }
    let (h, m, sec) = (
        digits(time.get(..2)?)?,
        digits(time.get(3..5)?)?,
        digits(time.get(6..8)?)?,
    );
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for (i, &d) in frac.iter().take(n.min(9)).enumerate() {
            nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = frac.get(n..)?;
    }
    // 24:00:00 is the end of the day (xs:dateTime allows it, only with a zero fraction).
    let (date, h) = if h == 24 && m == 0 && sec == 0 && nanos == 0 {
        (date.succ_opt()?, 0)
    } else {
        (date, h)
    };
    let local = date.and_time(NaiveTime::from_hms_opt(h, m, sec)?);
    match rest {
        b"" => Some(copenhagen_wall_clock(local, nanos)),
        b"Z" => Some(Instant::from_utc(local, nanos)),
        [sign @ (b'+' | b'-'), hh1, hh2, b':', mm1, mm2] => {
            let (oh, om) = (digits(&[*hh1, *hh2])?, digits(&[*mm1, *mm2])?);
            if oh > 14 || om > 59 {
                return None;
            }
            let offset = Duration::minutes(i64::from(oh * 60 + om));
            let utc = if *sign == b'+' {
                local - offset
            } else {
                local + offset
            };
            Some(Instant::from_utc(utc, nanos))
        }
        _ => None,
    }
}

/// An `xs:date` (`2021-03-05`, optionally with a time-zone suffix, which is ignored: a letter's
/// date is taken as it is, IMPORT.md §3.2).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let (date, rest) = date_prefix(s.trim().as_bytes())?;
    match rest {
        b"" | b"Z" => Some(date),
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            (digits(&[*h1, *h2])? <= 14 && digits(&[*m1, *m2])? <= 59).then_some(date)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn local(s: &str) -> NaiveDate {
        parse_date_time(s).unwrap().copenhagen_date().unwrap()
    }

    #[test]
    fn utc_late_evening_is_the_next_copenhagen_day_winter_and_summer() {
        assert_eq!(local("2021-03-31T23:30:00Z"), d("2021-04-01")); // summer: +2
        assert_eq!(local("2021-03-31T21:59:59Z"), d("2021-03-31"));
        assert_eq!(local("2021-03-31T22:00:00Z"), d("2021-04-01"));
        assert_eq!(local("2021-01-15T22:59:59Z"), d("2021-01-15")); // winter: +1
        assert_eq!(local("2021-01-15T23:00:00Z"), d("2021-01-16"));
    }

    #[test]
    fn summer_time_starts_and_ends_at_one_utc_on_the_last_sundays() {
        // 2021: 28 March and 31 October.
        assert_eq!(local("2021-03-28T00:59:59Z"), d("2021-03-28"));
        assert!(!is_summer_time(
            parse_date_time("2021-03-28T00:59:59Z").unwrap()
        ));
        assert!(is_summer_time(
            parse_date_time("2021-03-28T01:00:00Z").unwrap()
        ));
        assert!(is_summer_time(
            parse_date_time("2021-10-31T00:59:59Z").unwrap()
        ));
        assert!(!is_summer_time(
            parse_date_time("2021-10-31T01:00:00Z").unwrap()
        ));
        // 1995 ended on the last Sunday of September (24 September); 1979 had none.
        assert!(!is_summer_time(
            parse_date_time("1995-10-01T12:00:00Z").unwrap()
        ));
        assert!(is_summer_time(
            parse_date_time("1996-10-01T12:00:00Z").unwrap()
        ));
        assert!(!is_summer_time(
            parse_date_time("1979-07-01T12:00:00Z").unwrap()
        ));
    }

    #[test]
    fn offsets_and_wall_clock_compare_as_instants() {
        let a = parse_date_time("2021-06-30T15:00:00.000+02:00").unwrap();
        let b = parse_date_time("2021-06-30T13:00:00Z").unwrap();
        let c = parse_date_time("2021-06-30T15:00:00").unwrap(); // Copenhagen wall clock
        assert_eq!(a, b);
        assert_eq!(a, c);
        let w = parse_date_time("2021-01-30T15:00:00").unwrap();
        assert_eq!(w, parse_date_time("2021-01-30T14:00:00Z").unwrap());
        assert!(parse_date_time("2021-06-30T15:00:00.5Z").unwrap() > b);
        assert_eq!(
            parse_date_time("2021-06-30T24:00:00Z"),
            parse_date_time("2021-07-01T00:00:00Z")
        );
    }

    #[test]
    fn dates_are_written_as_iso_calendar_dates() {
        assert_eq!(local("0999-03-01T12:00:00Z").to_string(), "0999-03-01");
        assert_eq!(local("2021-03-31T23:30:00Z").to_string(), "2021-04-01");
    }

    #[test]
    fn evaluation_instant_is_the_next_copenhagen_midnight() {
        let t = Instant::evaluation(d("2021-06-30"));
        assert_eq!(t, parse_date_time("2021-06-30T22:00:00Z").unwrap());
        let t = Instant::evaluation(d("2021-01-15"));
        assert_eq!(t, parse_date_time("2021-01-15T23:00:00Z").unwrap());
    }

    #[test]
    fn malformed_values_are_refused() {
        for s in [
            "2021-02-01",
            "2021-02-01T09:30",
            "2021-02-30T09:30:00Z",
            "2021-02-01T25:00:00Z",
            "2021-02-01T09:30:00.Z",
            "2021-02-01T09:30:00+1:00",
            "21-02-01T09:30:00Z",
            "2021-02-01T09:30:00ZZ",
            "",
        ] {
            assert_eq!(parse_date_time(s), None, "{s}");
        }
        assert_eq!(parse_date("2021-03-05"), Some(d("2021-03-05")));
        assert_eq!(parse_date("2021-03-05+01:00"), Some(d("2021-03-05")));
        assert_eq!(parse_date("2021-03-05T00:00:00"), None);
    }
}
