//! Reading `format: date` and `format: date-time` fields: the common spellings (`2024-05-31`,
//! `2024-05-31T12:00:00Z`, `…T12:00:00.250+02:00`) are read here, digit by digit; anything
//! else goes to chrono's own parser, which gives the value or the error it always gave.
//!
//! chrono's `FromStr` runs a general format interpreter: for a date it costs several times the
//! reading of the string itself, and a response of transactions has one on every item. What is
//! read here is exactly what chrono reads for the same text (the tests compare the two), so a
//! field decodes to the same value and fails with the same message either way.
#![allow(dead_code, reason = "the generated structs use it; a crate whose areas hold no date field does not")]

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use serde::de::{Deserializer, Error, Visitor};
use serde::{Serialize, Serializer};

use crate::mapped_serde::SerdeWith;

/// A struct field's `NaiveDate` (the adapter `put_with` reads it through); written by chrono.
pub(crate) struct Date;

impl SerdeWith<NaiveDate> for Date {
    fn serialize<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }
}

/// A struct field's `DateTime<Utc>`; written by chrono.
pub(crate) struct DateTimeUtc;

impl SerdeWith<DateTime<Utc>> for DateTimeUtc {
    fn serialize<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    // chrono's words, so that a value of the wrong type is reported as chrono reports it.
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a formatted date string")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<NaiveDate, E> {
        match date(text.as_bytes()) {
            Some(date) => Ok(date),
            None => text.parse().map_err(E::custom),
        }
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
        match date_time(text.as_bytes()) {
            Some(instant) => Ok(instant),
            None => text.parse::<DateTime<FixedOffset>>().map(|instant| instant.with_timezone(&Utc)).map_err(E::custom),
        }
    }
}

/// `YYYY-MM-DD`, or `None` for any other text (or a day that does not exist).
pub(crate) fn date(text: &[u8]) -> Option<NaiveDate> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text else {
        return None;
    };
    let year = number(&[y1, y2, y3, y4])?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, number(&[m1, m2])?, number(&[d1, d2])?)
}

/// `YYYY-MM-DDTHH:MM:SS`, then a fraction of 1 to 9 digits or none, then `Z` or `±HH:MM`; `None`
/// for anything else.
pub(crate) fn date_time(text: &[u8]) -> Option<DateTime<Utc>> {
    let (day, rest) = text.split_at_checked(10)?;
    let &[b'T', h1, h2, b':', n1, n2, b':', s1, s2, ref rest @ ..] = rest else {
        return None;
    };
    let (nanos, offset) = match rest {
        [b'.', rest @ ..] => {
            let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            let scale = 10u32.pow(9 - u32::try_from(digits).ok()?);
            (number(&rest[..digits])? * scale, &rest[digits..])
        }
        _ => (0, rest),
    };
    let offset_seconds = match *offset {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[h1, h2])?, number(&[m1, m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    // A leap second (`:60`) is no time here (chrono spells it as 59 seconds and more than 10⁹
    // nanoseconds): chrono's parser reads it.
    let time = NaiveTime::from_hms_nano_opt(number(&[h1, h2])?, number(&[n1, n2])?, number(&[s1, s2])?, nanos)?;
    let local = NaiveDateTime::new(date(day)?, time);
    Some(local.checked_sub_signed(TimeDelta::seconds(offset_seconds))?.and_utc())
}

/// The number an ASCII decimal string spells, or `None` if any byte is not a digit.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &byte| {
        let digit = byte.wrapping_sub(b'0');
        (digit < 10).then(|| value * 10 + u32::from(digit))
    })
}
