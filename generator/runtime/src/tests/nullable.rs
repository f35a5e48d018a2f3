//! `Nullable`, the `with` adapters of `mapped_serde`, and what `redact` prints, through serde
//! derives shaped as the generated types use them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::mapped_serde::{self, BoxOf, MapOf, NullableOf, OptionOf, Own, SerdeWith, Tuple2Of, VecOf};
use crate::nullable::Nullable;
use crate::redact::{Count, JsonShape, Redacted, UnknownKeys};

/// A `with` module: a number written as a string, so the marker visibly takes over.
mod as_text {
    pub fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The marker a generated crate would emit for `with = "as_text"`.
struct AsText;

impl SerdeWith<u32> for AsText {
    fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        as_text::serialize(value, serializer)
    }

    fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        as_text::deserialize(deserializer)
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    nickname: Nullable<String>,
    #[serde(
        default,
        skip_serializing_if = "Nullable::is_absent",
        serialize_with = "mapped_serde::serialize::<NullableOf<AsText>, _, _>",
        deserialize_with = "mapped_serde::deserialize::<NullableOf<AsText>, _, _>"
    )]
    amount: Nullable<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "mapped_serde::serialize::<OptionOf<VecOf<OptionOf<AsText>>>, _, _>",
        deserialize_with = "mapped_serde::deserialize::<OptionOf<VecOf<OptionOf<AsText>>>, _, _>"
    )]
    history: Option<Vec<Option<u32>>>,
    #[serde(
        serialize_with = "mapped_serde::serialize::<MapOf<BoxOf<AsText>>, _, _>",
        deserialize_with = "mapped_serde::deserialize::<MapOf<BoxOf<AsText>>, _, _>"
    )]
    by_day: BTreeMap<String, Box<u32>>,
    #[serde(
        serialize_with = "mapped_serde::serialize::<Tuple2Of<AsText, Own>, _, _>",
        deserialize_with = "mapped_serde::deserialize::<Tuple2Of<AsText, Own>, _, _>"
    )]
    pair: (u32, u32),
    #[serde(flatten)]
    extra: serde_json::Map<String, Value>,
}

fn decode(value: Value) -> Patch {
    serde_json::from_value(value).expect("decodes")
}

#[test]
fn absent_null_and_a_value_are_three_states_that_survive_a_round_trip() {
    let full = json!({
        "nickname": null,
        "amount": "12",
        "history": ["1", null],
        "by_day": {"mon": "3"},
        "pair": ["4", 5],
        "later": true
    });
    let patch = decode(full.clone());
    assert_eq!(patch.nickname, Nullable::Null);
    assert_eq!(patch.amount, Nullable::Value(12));
    assert_eq!(patch.history, Some(vec![Some(1), None]));
    assert_eq!(*patch.by_day["mon"], 3);
    assert_eq!(patch.pair, (4, 5));
    assert_eq!(serde_json::to_value(&patch).unwrap(), full);

    let sparse = json!({"amount": null, "by_day": {}, "pair": ["0", 0]});
    let patch = decode(sparse.clone());
    assert!(patch.nickname.is_absent() && patch.amount.is_null() && patch.history.is_none());
    assert_eq!(serde_json::to_value(&patch).unwrap(), sparse, "absent stays absent, null stays null");
}

#[test]
fn the_module_decides_the_wire_form_and_its_errors() {
    let error = serde_json::from_value::<Patch>(json!({"amount": 12, "by_day": {}, "pair": ["0", 0]}));
    assert!(error.is_err(), "a number where the module wants text is refused");
}

#[test]
fn nullable_reads_like_an_option() {
    let nickname: Nullable<String> = "Sam".into();
    assert_eq!(nickname.as_deref(), Some("Sam"));
    assert_eq!(nickname.as_option().map(String::len), Some(3));
    assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
    assert_eq!(Nullable::from(Some(2)).map(|n: u8| n * 2).into_option(), Some(4));
    assert_eq!(Nullable::<u8>::default(), Nullable::Absent);
    assert_eq!(Nullable::<u8>::Null.as_option(), None);
    let secret: Nullable<crate::Secret> = "hunter2".into();
    assert!(secret.is_value() && !secret.is_null());
}

#[test]
fn redacted_debug_shows_no_values() {
    let map = json!({"ssn": "123-45-6789", "name": "Ada"});
    let keys: Vec<&String> = map.as_object().unwrap().keys().collect();
    let printed = format!("{:?} {:?} {:?} {:?}", Redacted, UnknownKeys(keys), Count(2), JsonShape(&map));
    assert_eq!(printed, r#"[redacted] {"name", "ssn"} [2 entries] {"name", "ssn"}"#);
    assert_eq!(format!("{:?}", JsonShape(&json!(["Ada", "Lovelace"]))), "[array of 2]");
    assert_eq!(format!("{:?}", JsonShape(&json!("Ada"))), "[string]");
}
