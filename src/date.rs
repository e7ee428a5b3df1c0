//! Publication dates as articles carry them and filters ask for them: a calendar day, or
//! only a month or a year when that is all the source says ([`Precision`]).
//!
//! Scrapers write dates many ways; [`Date::parse_scraped`] reads the common ones (ISO 8601
//! and RFC 3339 with a time and an offset, RFC 2822, `YYYY-MM-DD HH:MM[:SS]`, `YYYY/MM/DD`,
//! and partial `YYYY-MM` and `YYYY`). A date with a time is kept as the calendar date it
//! names where it was written (its local date): `2024-11-15T23:30:00-05:00` is 2024-11-15,
//! the day the outlet printed, not the UTC day.

use std::fmt;

use time::format_description::well_known::{Iso8601, Rfc2822, Rfc3339};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// A calendar day.
    Day,
    /// A month: the day is not known.
    Month,
    /// A year: month and day are not known.
    Year,
}

/// A proleptic Gregorian date with its [`Precision`]. A month or year is held as its first
/// day, which is where it sorts and how `since` compares it; [`Date::last_day`] ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
    precision: Precision,
}

impl Date {
    /// Builds a day, checking that it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date {
            year,
            month,
            day,
            precision: Precision::Day,
        })
    }

    /// A whole month.
    pub fn month(year: i32, month: u8) -> Option<Date> {
        Date::new(year, month, 1).map(|d| Date {
            precision: Precision::Month,
            ..d
        })
    }

    /// A whole year.
    pub fn year(year: i32) -> Option<Date> {
        Date::new(year, 1, 1).map(|d| Date {
            precision: Precision::Year,
            ..d
        })
    }

    /// How much of the date is known.
    pub fn precision(self) -> Precision {
        self.precision
    }

    /// The last day the date covers: itself for a day, the month's or the year's last day.
    pub fn last_day(self) -> Date {
        let (month, day) = match self.precision {
            Precision::Day => (self.month, self.day),
            Precision::Month => (self.month, days_in_month(self.year, self.month)),
            Precision::Year => (12, 31),
        };
        Date {
            year: self.year,
            month,
            day,
            precision: Precision::Day,
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` exactly (the forms byline writes and its
    /// filters take); the form sets the precision.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let year = i32::try_from(num(0..4)?).ok()?;
        match b.len() {
            4 => Date::year(year),
            7 if b[4] == b'-' => Date::month(year, u8::try_from(num(5..7)?).ok()?),
            10 if b[4] == b'-' && b[7] == b'-' => Date::new(
                year,
                u8::try_from(num(5..7)?).ok()?,
                u8::try_from(num(8..10)?).ok()?,
            ),
            _ => None,
        }
    }

    /// Parses a date as scrapers write it (see the module doc); None when it is none of
    /// those forms or names no real day.
    pub fn parse_scraped(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Some(d) = Date::parse(s) {
            return Some(d);
        }
        let from = |d: time::Date| Date::new(d.year(), u8::from(d.month()), d.day());
        if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
            return from(t.date());
        }
        if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc2822) {
            return from(t.date());
        }
        // RFC 2822 as scrapers often write it: "GMT" or "UTC" spelled out, no weekday.
        if let Some(d) = rfc2822_loose(s) {
            return Some(d);
        }
        if let Ok(t) = time::OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
            return from(t.date());
        }
        if let Ok(t) = time::PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
            return from(t.date());
        }
        // "2024-11-15 10:00", "2024-11-15 10:00:00", "2024/11/15", with an optional
        // fraction of a second, zone or offset after the time.
        let b = s.as_bytes();
        if b.len() >= 10 && (b[4] == b'/' && b[7] == b'/' || b[4] == b'-' && b[7] == b'-') {
            let rest = &s[10..];
            let day = Date::parse(&format!("{}-{}-{}", &s[..4], &s[5..7], &s[8..10]))?;
            if rest.is_empty() || is_time(rest) {
                return Some(day);
            }
        }
        None
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's civil-from-days inverse.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Seconds since the epoch at midnight UTC, for tantivy's date fields.
    pub fn timestamp_secs(self) -> i64 {
        self.days_since_epoch() * 86_400
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A time after a date: a space or `T`, `HH:MM`, optional `:SS` and fraction, then an
/// optional `Z`, zone name or offset.
fn is_time(rest: &str) -> bool {
    let Some(t) = rest.strip_prefix([' ', 'T']) else {
        return false;
    };
    let b = t.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if !(two(0) && b.get(2) == Some(&b':') && two(3)) {
        return false;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') && two(i + 1) {
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    let zone = t[i..].trim();
    zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || ["UTC", "GMT"].iter().any(|z| zone.eq_ignore_ascii_case(z))
        || (zone.starts_with(['+', '-'])
            && zone.len() <= 6
            && zone[1..].bytes().all(|c| c.is_ascii_digit() || c == b':'))
}

/// "Fri, 15 Nov 2024 10:00:00 UTC", "15 Nov 2024 10:00 +0000", "15 Nov 2024": the day,
/// month name and year of RFC 2822, without the parts scrapers get wrong.
fn rfc2822_loose(s: &str) -> Option<Date> {
    let s = s.split_once(',').map_or(s, |(_, rest)| rest).trim();
    let mut parts = s.split_whitespace();
    let day: u8 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i32 = parts.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = MONTHS
        .iter()
        .position(|name| month.len() >= 3 && month[..3].eq_ignore_ascii_case(name))?;
    let rest: Vec<&str> = parts.collect();
    if !rest.is_empty() && !is_time(&format!(" {}", rest.join(" "))) {
        return None;
    }
    Date::new(year, u8::try_from(m + 1).ok()?, day)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month),
            Precision::Year => write!(f, "{:04}", self.year),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_keep_their_precision_and_span_their_period() {
        let m = Date::parse("2024-02").unwrap();
        assert_eq!(
            (m.to_string(), m.precision()),
            ("2024-02".into(), Precision::Month)
        );
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(
            m.days_since_epoch(),
            Date::parse("2024-02-01").unwrap().days_since_epoch()
        );
        let y = Date::parse("2023").unwrap();
        assert_eq!(
            (y.to_string(), y.last_day().to_string()),
            ("2023".into(), "2023-12-31".into())
        );
        assert_eq!(
            Date::parse("2024-11-15").unwrap().precision(),
            Precision::Day
        );
    }

    #[test]
    fn scraped_dates_in_every_common_form_give_the_local_calendar_day() {
        for (given, want) in [
            ("2024-11-15T10:00:00Z", "2024-11-15"),
            ("2024-11-15T23:30:00-05:00", "2024-11-15"),
            ("2024-11-15T01:30:00.123+09:00", "2024-11-15"),
            ("2024-11-15T10:00", "2024-11-15"),
            ("Fri, 15 Nov 2024 10:00:00 GMT", "2024-11-15"),
            ("Fri, 15 Nov 2024 10:00:00 +0300", "2024-11-15"),
            ("15 Nov 2024 10:00 UTC", "2024-11-15"),
            ("2024-11-15 10:00", "2024-11-15"),
            ("2024-11-15 10:00:59", "2024-11-15"),
            ("2024-11-15 10:00:59.5 UTC", "2024-11-15"),
            ("2024/11/15", "2024-11-15"),
            (" 2024-11-15 ", "2024-11-15"),
            ("2024-11", "2024-11"),
            ("2024", "2024"),
        ] {
            let got = Date::parse_scraped(given).map(|d| d.to_string());
            assert_eq!(got.as_deref(), Some(want), "{given}");
        }
        for bad in [
            "Nov 15",
            "yesterday",
            "2024-11-15 soon",
            "2024-02-30T10:00:00Z",
            "15/11/2024",
            "",
        ] {
            assert_eq!(Date::parse_scraped(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_and_round_trips() {
        let d = Date::parse("2024-11-15").unwrap();
        assert_eq!(d.to_string(), "2024-11-15");
        assert_eq!(d.days_since_epoch(), 20_042);
        assert_eq!(Date::from_days_since_epoch(20_042), Some(d));
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::parse("2024-02-29").unwrap().days_since_epoch(),
            19_782
        );
    }

    #[test]
    fn rejects_what_is_not_a_day() {
        for bad in [
            "2024-13-01",
            "2023-02-29",
            "2024-11-1",
            "2024-13",
            "24",
            "15/11/2024",
            "",
            "2024-1a-01",
            "+024-11-15",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }
}
