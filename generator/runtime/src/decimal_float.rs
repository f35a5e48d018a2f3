//! `rust_decimal::serde::float`'s reading of a `Decimal`, made fast for the numbers money is
//! written in: the generated crate reads through this module wherever codegen.toml maps a
//! `rust_decimal::Decimal` with that `with` module, and writes through rust_decimal's.
//!
//! rust_decimal reads a JSON number such as `1234.56` (which arrives as an `f64`) by printing
//! it, in its shortest form, and parsing the text: an allocation and two conversions for every
//! amount. Here, an `f64` whose shortest form has a few decimals is turned into the same
//! `Decimal` (the same digits and scale) directly; every other value, and every other kind of
//! input, goes to rust_decimal itself. The tests compare the two on a large sample of values.
#![allow(dead_code, reason = "the generated types use it where they hold a mapped `Decimal`, in the areas built")]

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{Deserializer, Error, IntoDeserializer, MapAccess, Visitor};

/// Reads a `Decimal` as `rust_decimal::serde::float::deserialize` does.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(FloatVisitor)
}

/// The `Decimal` that rust_decimal reads from `value` (its shortest decimal form), when that
/// form has at most [`MAX_SCALE`] decimals and comfortably fewer digits than an `f64` holds;
/// `None` otherwise.
///
/// For a scale `s` with `|value| × 10^s < 2^50`, `m = round(value × 10^s)` is the only integer
/// whose `m / 10^s` can be `value` once rounded to an `f64`: the gap between neighbouring
/// decimals of scale `s` is then more than four times the `f64` spacing at `value`, and the
/// product is rounded by less than an eighth. Division of two exact `f64`s being correctly
/// rounded, `m / 10^s == value` says exactly whether that decimal reads back as `value`. The
/// smallest such `s` gives the fewest digits, which is the form `f64`'s `Display` prints and
/// rust_decimal parses.
pub(crate) fn shortest(value: f64) -> Option<Decimal> {
    if value == 0.0 {
        // `-0.0` prints as `-0`, which rust_decimal reads as a negative zero.
        return value.is_sign_positive().then_some(Decimal::ZERO);
    }
    let mut power = 1.0_f64;
    for scale in 0..=MAX_SCALE {
        let scaled = value * power;
        if scaled.abs() >= LIMIT {
            return None;
        }
        let mantissa = scaled.round();
        if mantissa / power == value {
            // `mantissa` is an integer below 2^50 in magnitude: the cast is exact.
            return Some(Decimal::new(mantissa as i64, scale));
        }
        power *= 10.0;
    }
    None
}

/// The most decimals read without rust_decimal: money has two or three, rates a few more.
const MAX_SCALE: u32 = 9;

/// The bound on `value × 10^scale` (2^50) under which the fast reading is exact.
const LIMIT: f64 = 1_125_899_906_842_624.0;

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = Decimal;

    // rust_decimal's words, so that a value of the wrong kind is reported as rust_decimal does.
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a Decimal type representing a fixed-point number")
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<Decimal, E> {
        match shortest(value) {
            Some(decimal) => Ok(decimal),
            None => rust_decimal::serde::float::deserialize(value.into_deserializer()),
        }
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<Decimal, E> {
        rust_decimal::serde::float::deserialize(value.into_deserializer())
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<Decimal, E> {
        rust_decimal::serde::float::deserialize(value.into_deserializer())
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Decimal, E> {
        rust_decimal::serde::float::deserialize(value.into_deserializer())
    }

    // A number under serde_json's `arbitrary_precision`, which rust_decimal reads when a crate
    // in the build turns on its `serde-with-arbitrary-precision`.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
        rust_decimal::serde::float::deserialize(serde::de::value::MapAccessDeserializer::new(map))
    }
}
