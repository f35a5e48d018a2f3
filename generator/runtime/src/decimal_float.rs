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
/// rounded, `m / 10^s == value` says exactly whether that decimal reads back as `value` (the
/// scale "fits"). The smallest scale that fits gives the fewest digits, which is the form
/// `f64`'s `Display` prints and rust_decimal parses.
///
/// Amounts of money mostly have two decimals, so scale 2 is tried first. Within the bound, a
/// scale that fits makes every larger one fit (the same decimal, with zeros appended), so:
/// when 2 fits, the smallest scale is 2 less one for each trailing zero of `m`, down to 0; when
/// it does not, the smallest is above 2; and only when `value × 100` is out of bounds are 0
/// and 1 tried on their own.
pub(crate) fn shortest(value: f64) -> Option<Decimal> {
    if value == 0.0 {
        // `-0.0` prints as `-0`, which rust_decimal reads as a negative zero.
        return value.is_sign_positive().then_some(Decimal::ZERO);
    }
    let (mantissa, scale) = match at_scale(value, 2) {
        Scaled::Fits(mantissa) => without_trailing_zeros(mantissa, 2),
        Scaled::Misses => smallest_fitting(value, 3..=MAX_SCALE)?,
        Scaled::OutOfBounds => smallest_fitting(value, 0..=1)?,
    };
    Some(Decimal::new(mantissa, scale))
}

/// The most decimals read without rust_decimal: money has two or three, rates a few more.
const MAX_SCALE: u32 = 9;

/// The bound on `value × 10^scale` (2^50) under which the fast reading is exact.
const LIMIT: f64 = 1_125_899_906_842_624.0;

/// `10^scale` for each scale up to [`MAX_SCALE`], all exact in an `f64`.
const POWERS_OF_TEN: [f64; MAX_SCALE as usize + 1] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// How `value` reads at one scale.
enum Scaled {
    /// `mantissa / 10^scale` reads back as `value`.
    Fits(i64),
    /// No decimal of this scale reads back as `value`.
    Misses,
    /// `value × 10^scale` is at or above the bound: the fast reading does not apply.
    OutOfBounds,
}

fn at_scale(value: f64, scale: u32) -> Scaled {
    let power = POWERS_OF_TEN[scale as usize];
    let scaled = value * power;
    if scaled.abs() >= LIMIT {
        return Scaled::OutOfBounds;
    }
    let mantissa = round(scaled);
    // `mantissa` is below 2^50 in magnitude: it is exact as an `f64`.
    if mantissa as f64 / power == value {
        Scaled::Fits(mantissa)
    } else {
        Scaled::Misses
    }
}

/// The smallest scale in `scales` that fits, and its mantissa; `None` when none does, or the
/// bound is reached first.
fn smallest_fitting(value: f64, scales: std::ops::RangeInclusive<u32>) -> Option<(i64, u32)> {
    for scale in scales {
        match at_scale(value, scale) {
            Scaled::Fits(mantissa) => return Some((mantissa, scale)),
            Scaled::Misses => {}
            Scaled::OutOfBounds => return None,
        }
    }
    None
}

fn without_trailing_zeros(mut mantissa: i64, mut scale: u32) -> (i64, u32) {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    (mantissa, scale)
}

/// `scaled` rounded half away from zero, as `f64::round` does, for `|scaled| < 2^50`: without
/// the call to the C library that `round` is on CPUs without SSE4.1. The cast truncates, and
/// the fraction left is exact (a multiple of the spacing at `scaled`, below 1).
pub(crate) fn round(scaled: f64) -> i64 {
    let whole = scaled as i64;
    let fraction = scaled - whole as f64;
    if fraction >= 0.5 {
        whole + 1
    } else if fraction <= -0.5 {
        whole - 1
    } else {
        whole
    }
}

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
