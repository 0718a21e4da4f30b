//! Timestamps as event logs write them, hand-parsed (no date crate needed).

use std::fmt;

use serde::{Serialize, Serializer};

/// A point in time with one-second precision, as an event or a client wrote it.
///
/// `utc` says whether the source stated the zone (XML `SystemTime`, .evtx records, ISO 8601 with
/// `Z` or an offset). Event Viewer's text `Date:` and the client timestamps inside 12288/12289/12290
/// carry no zone; they are kept as written and compared as if they were UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    secs: i64,
    utc: bool,
}

impl Timestamp {
    /// From seconds since 1970-01-01 00:00:00.
    pub const fn from_unix(secs: i64, utc: bool) -> Self {
        Self { secs, utc }
    }

    /// From calendar fields; `None` when a field is out of range.
    pub fn from_civil(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        utc: bool,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
            || !(1601..=9999).contains(&year)
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let secs =
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Some(Self { secs, utc })
    }

    /// Seconds since 1970-01-01 00:00:00 (in UTC when [`Timestamp::is_utc`]).
    pub const fn unix(self) -> i64 {
        self.secs
    }

    /// Whether the source stated the time zone (and the value was converted to UTC).
    pub const fn is_utc(self) -> bool {
        self.utc
    }

    /// The calendar fields: year, month, day, hour, minute, second.
    pub fn civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let rem = rem as u32;
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// Parses the forms event logs use, tolerant of surrounding white space:
    ///
    /// - ISO 8601: `2026-11-24T14:14:58.1234567Z`, `2026-11-24 14:14:58`, `…+08:00`;
    /// - client timestamps of 12288/12289/12290: `2026/11/24 14:14` (seconds optional);
    /// - Event Viewer (en-US): `11/24/2026 2:14:58 PM`;
    /// - Event Viewer (zh-TW): `2026/11/24 下午 02:14:58`.
    ///
    /// Day-first dates (`24/11/2026`) are read as day-first only when the first number cannot be
    /// a month.
    ///
    /// ```
    /// use volact_core::event::Timestamp;
    /// let t = Timestamp::parse("11/24/2026 2:14:58 PM").unwrap();
    /// assert_eq!(t.to_string(), "2026-11-24T14:14:58");
    /// assert_eq!(Timestamp::parse("2026/11/24 下午 02:14:58"), Some(t));
    /// assert!(Timestamp::parse("2026-11-24T14:14:58.5Z").unwrap().is_utc());
    /// ```
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        // `to_ascii_uppercase().contains("PM")`, without allocating.
        let has = |pat: &[u8]| s.as_bytes().windows(2).any(|w| w.eq_ignore_ascii_case(pat));
        let pm = has(b"PM") || (!s.is_ascii() && s.contains("下午"));
        let am = has(b"AM") || (!s.is_ascii() && s.contains("上午"));
        // Split date and time at the first 'T' following digits, or at white space.
        let bytes = s.as_bytes();
        let mut split = None;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b' ' || b == b'\t' || (b == b'T' && i > 0 && bytes[i - 1].is_ascii_digit()) {
                split = Some(i);
                break;
            }
        }
        let (date, rest) = match split {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s, ""),
        };
        let (year, month, day) = parse_date(date)?;
        // The usual `H:MM:SS` needs no replacing (and no allocation).
        let marker = !rest.is_ascii()
            || rest
                .bytes()
                .any(|b| matches!(b, b'P' | b'p' | b'A' | b'a' | b'M' | b'm'));
        let rest: std::borrow::Cow<'_, str> = if marker {
            rest.replace("下午", " ")
                .replace("上午", " ")
                .replace(['P', 'p', 'A', 'a'], " ")
                .replace(['M', 'm'], " ")
                .into()
        } else {
            rest.into()
        };
        let rest = rest.trim();
        let (mut hour, minute, second, offset) = if rest.is_empty() {
            (0, 0, 0, None)
        } else {
            parse_time(rest)?
        };
        if pm || am {
            if hour == 0 || hour > 12 {
                return None;
            }
            if pm && hour < 12 {
                hour += 12;
            } else if am && hour == 12 {
                hour = 0;
            }
        }
        let t = Self::from_civil(year, month, day, hour, minute, second, offset.is_some())?;
        Some(Self {
            secs: t.secs - offset.unwrap_or(0),
            utc: t.utc,
        })
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date(date: &str) -> Option<(i64, u32, u32)> {
    let sep = if date.contains('-') {
        '-'
    } else if date.contains('/') {
        '/'
    } else if date.contains('.') {
        '.'
    } else {
        return None;
    };
    let mut parts = date.split(sep);
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let (a_n, b_n, c_n) = (digits(a)?, digits(b)?, digits(c)?);
    if a.len() == 4 {
        Some((i64::from(a_n), b_n, c_n))
    } else if c.len() == 4 {
        if sep == '.' || (a_n > 12 && b_n <= 12) {
            Some((i64::from(c_n), b_n, a_n))
        } else {
            Some((i64::from(c_n), a_n, b_n))
        }
    } else {
        None
    }
}

/// `H:MM[:SS[.frac]][Z|±hh[:mm]]` → hour, minute, second, offset in seconds (east positive).
fn parse_time(t: &str) -> Option<(u32, u32, u32, Option<i64>)> {
    let t = t.trim();
    let (clock, offset) = if let Some(c) = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')) {
        (c, Some(0))
    } else if let Some(i) = t.rfind(['+', '-']) {
        let (c, off) = t.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off[1..].replace(':', "");
        if (off.len() != 4 && off.len() != 2) || !off.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let h = i64::from(digits(&off[..2])?);
        let m = if off.len() == 4 {
            i64::from(digits(&off[2..])?)
        } else {
            0
        };
        if h > 14 || m > 59 {
            return None;
        }
        (c, Some(sign * (h * 3600 + m * 60)))
    } else {
        (t, None)
    };
    let clock = clock.trim();
    let mut parts = clock.split(':');
    let h = digits(parts.next()?)?;
    let m = digits(parts.next()?)?;
    let s = match parts.next() {
        Some(sec) => {
            let whole = sec.split(['.', ',']).next()?;
            let frac = sec.get(whole.len() + 1..).unwrap_or("");
            if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            digits(whole)?
        }
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, s, offset))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if self.utc {
            f.write_str("Z")?;
        }
        Ok(())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests;
