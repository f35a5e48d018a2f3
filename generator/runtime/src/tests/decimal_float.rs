//! The fast reading of `Decimal`s against rust_decimal's own `serde::float`.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::decimal_float::{deserialize, round, shortest};

/// What rust_decimal reads from `value`: the `Decimal` of its shortest printed form.
fn rust_decimal_reads(value: f64) -> Decimal {
    Decimal::from_str(&value.to_string()).expect("an f64 prints as a decimal")
}

/// Checks that the fast reading of `value`, where it applies, is rust_decimal's to the digit
/// and the scale; says whether it applied.
fn agrees(value: f64) -> bool {
    let Some(fast) = shortest(value) else { return false };
    let theirs = rust_decimal_reads(value);
    assert_eq!((fast.mantissa(), fast.scale()), (theirs.mantissa(), theirs.scale()), "{value:?}");
    assert_eq!(fast.to_string(), theirs.to_string(), "{value:?}");
    true
}

#[test]
fn amounts_of_money_read_as_rust_decimal_reads_them() {
    let mut random = fastrand::Rng::with_seed(0xdec1);
    let mut fast = 0;
    let total = 300_000;
    for _ in 0..total {
        let scale = random.u32(..=4);
        let magnitude = 10_i64.pow(random.u32(1..=12));
        let mantissa = random.i64(-magnitude..=magnitude);
        let text = Decimal::new(mantissa, scale).to_string();
        let value: f64 = text.parse().expect("a decimal parses as an f64");
        fast += usize::from(agrees(value));
    }
    // Amounts with up to 14 significant digits: nearly all are read without rust_decimal.
    assert!(fast > total * 9 / 10, "only {fast} of {total} read fast");
}

#[test]
fn any_f64_reads_as_rust_decimal_reads_it_or_goes_to_it() {
    let mut random = fastrand::Rng::with_seed(0xf64);
    for _ in 0..300_000 {
        agrees(f64::from_bits(random.u64(..)).clamp(-1e300, 1e300));
        agrees(random.f64() * 10_f64.powi(random.i32(-12..=18)));
        // Decimals with more digits than the fast reading takes, and near its bounds.
        agrees(random.i64(..) as f64 / 10_f64.powi(random.i32(0..=12)));
    }
    // Written as text, as they arrive: some have more digits than an `f64` holds.
    let edges = "0 1 0.1 0.3 1.15 2.675 1e-9 1.5e-9 1e-10 999999999.9999999 1e15 1125899906842624 \
                 9007199254740993 281474976710656 28147497671065.6 11258999068426.25 0.000123456789 123456789.12345678 2.2250738585072014e-308 1.7976931348623157e308";
    for value in edges.split_whitespace().map(|text| text.parse::<f64>().expect("a number")) {
        agrees(value);
        agrees(-value);
    }
}

/// The rounding without the C library's `round`, at halves and on random values in its range.
#[test]
fn rounding_is_f64_round() {
    let mut random = fastrand::Rng::with_seed(0x0dd);
    let halves = (0..2000).map(|whole| f64::from(whole) - 1000.5);
    let spread = (0..300_000).map(|_| (random.f64() * 2.0 - 1.0) * 2_f64.powi(random.i32(-4..=49)));
    for value in halves.chain(spread).chain([0.49999999999999994, -0.49999999999999994, 1_125_899_906_842_623.5]) {
        assert_eq!(round(value) as f64, value.round(), "{value:?}");
    }
}

#[test]
fn negative_zero_goes_to_rust_decimal() {
    assert_eq!(shortest(-0.0), None);
    assert_eq!(shortest(0.0).map(|zero| (zero.mantissa(), zero.scale())), Some((0, 0)));
}

/// Whole JSON values, numbers or not: the same `Decimal` or the same message.
#[test]
fn json_values_read_as_rust_decimal_reads_them() {
    let values = r#"1234.56 -0.01 0 -0.0 17 -17 18446744073709551615 1e300 1.5e-30 123456789.987654321
                    "12.30" "1e3" "abc" "" true null [] {}"#;
    for json in values.split_whitespace() {
        let ours = deserialize(&mut serde_json::Deserializer::from_str(json));
        let theirs = rust_decimal::serde::float::deserialize(&mut serde_json::Deserializer::from_str(json));
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!((ours.mantissa(), ours.scale()), (theirs.mantissa(), theirs.scale()), "{json}");
                assert_eq!(ours.is_sign_negative(), theirs.is_sign_negative(), "{json}");
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string(), "{json}"),
            (ours, theirs) => panic!("{json}: {ours:?} against {theirs:?}"),
        }
    }
}
