//! The fast reading of dates and times against chrono's own parser.

use chrono::{DateTime, NaiveDate, Utc};

use crate::dates::{date, date_time, Date, DateTimeUtc};
use crate::mapped_serde::SerdeWith;

/// `text` decoded from a JSON string by chrono's `Deserialize`, as a value or its message.
fn chrono_date(text: &str) -> Result<NaiveDate, String> {
    serde_json::from_value::<NaiveDate>(text.into()).map_err(|error| error.to_string())
}

fn chrono_date_time(text: &str) -> Result<DateTime<Utc>, String> {
    serde_json::from_value::<DateTime<Utc>>(text.into()).map_err(|error| error.to_string())
}

/// `text` decoded from a JSON string by the adapters.
fn ours_date(text: &str) -> Result<NaiveDate, String> {
    Date::deserialize(serde_json::Value::from(text)).map_err(|error| error.to_string())
}

fn ours_date_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTimeUtc::deserialize(serde_json::Value::from(text)).map_err(|error| error.to_string())
}

#[test]
fn every_month_and_day_number_reads_as_chrono_reads_it() {
    let years = (0..40).chain(1890..2110).chain(9960..=9999).chain((0..10_000).step_by(97));
    for year in years {
        for month in 0..=13 {
            for day in 0..=32 {
                let text = format!("{year:04}-{month:02}-{day:02}");
                assert_eq!(ours_date(&text), chrono_date(&text), "{text}");
            }
        }
    }
}

#[test]
fn near_misses_go_to_chrono() {
    for text in ["2024-1-05", "2024-01-5", " 2024-01-05", "2024-01-05 ", "+2024-01-05", "2024/01/05", "", "20240105"] {
        assert_eq!(date(text.as_bytes()), None, "{text}");
        assert_eq!(ours_date(text), chrono_date(text), "{text}");
    }
}

/// Random texts built from the parts of a date and time, right and wrong, read alike.
#[test]
fn random_date_times_read_as_chrono_reads_them() {
    let mut random = fastrand::Rng::with_seed(0x0da7e);
    let pick = |random: &mut fastrand::Rng, parts: &[&str]| parts[random.usize(..parts.len())].to_owned();
    let mut fast = 0;
    for _ in 0..200_000 {
        let two = |random: &mut fastrand::Rng, high: u32| format!("{:02}", random.u32(..=high));
        let mut text = format!("{:04}-{}-{}", random.u32(..10_000), two(&mut random, 13), two(&mut random, 32));
        text += &pick(&mut random, &["T", "T", "T", "t", " ", ""]);
        text += &format!("{}:{}:{}", two(&mut random, 25), two(&mut random, 61), two(&mut random, 61));
        if random.bool() {
            let digits = random.usize(..12);
            text += ".";
            text.extend((0..digits).map(|_| char::from(b'0' + random.u8(..10))));
        }
        text += &match random.u8(..6) {
            0 => "Z".to_owned(),
            1 => pick(&mut random, &["z", "", " Z", "+0000", "UTC"]),
            _ => format!("{}{}:{}", pick(&mut random, &["+", "-"]), two(&mut random, 25), two(&mut random, 61)),
        };
        fast += usize::from(date_time(text.as_bytes()).is_some());
        assert_eq!(ours_date_time(&text), chrono_date_time(&text), "{text}");
    }
    assert!(fast > 20_000, "the fast path read only {fast} texts");
}

#[test]
fn edges_of_the_range_and_leap_seconds_read_as_chrono_reads_them() {
    for text in [
        "0000-01-01T00:00:00+00:01",
        "0000-01-01T00:00:00-23:59",
        "9999-12-31T23:59:59-00:01",
        "9999-12-31T23:59:59.999999999Z",
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:60.5+00:00",
        "2024-02-29T12:00:00.1Z",
        "2023-02-29T12:00:00Z",
    ] {
        assert_eq!(ours_date_time(text), chrono_date_time(text), "{text}");
    }
}

#[test]
fn values_of_the_wrong_type_are_reported_as_by_chrono() {
    for json in ["5", "true", "null", "[]", "{}", "1.5"] {
        let ours = Date::deserialize(&mut serde_json::Deserializer::from_str(json)).unwrap_err();
        let theirs = serde_json::from_str::<NaiveDate>(json).unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string());
        let ours = DateTimeUtc::deserialize(&mut serde_json::Deserializer::from_str(json)).unwrap_err();
        let theirs = serde_json::from_str::<DateTime<Utc>>(json).unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string());
    }
}
