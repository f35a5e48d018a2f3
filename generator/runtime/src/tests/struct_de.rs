//! Structs read through `struct_de`, as the generated ones are, against the same structs with
//! serde's derive: the same values decode, the same errors (message and path) come out.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::struct_de::{self, FromObject};

/// A struct as the generator writes it: a required field, an optional one, a required
/// nullable one, an optional one of any JSON value, and the undeclared properties kept.
#[derive(Debug, PartialEq)]
struct Lean {
    id: String,
    count: Option<i64>,
    note: Option<String>,
    any: Option<Value>,
    extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for Lean {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct_de::deserialize(deserializer)
    }
}

impl FromObject for Lean {
    // Its derived twin's name, so that the messages compare equal.
    const NAME: &'static str = "Derived";
    const KEEPS_OTHERS: bool = true;
    type Slots = (Option<String>, Option<Option<i64>>, Option<Option<String>>, Option<Value>, Map<String, Value>);

    fn slots() -> Self::Slots {
        (None, None, None, None, Map::new())
    }

    fn field(name: &str) -> Option<u16> {
        match name {
            "id" => Some(0),
            "count" => Some(1),
            "note" => Some(2),
            "any" => Some(3),
            _ => None,
        }
    }

    fn read_field<'de, A: serde::de::MapAccess<'de>>(
        slots: &mut Self::Slots,
        field: u16,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match field {
            0 => struct_de::put(&mut slots.0, map, "id"),
            1 => struct_de::put(&mut slots.1, map, "count"),
            2 => struct_de::put(&mut slots.2, map, "note"),
            3 => struct_de::put(&mut slots.3, map, "any"),
            _ => Ok(()),
        }
    }

    fn read_other<'de, A: serde::de::MapAccess<'de>>(
        slots: &mut Self::Slots,
        name: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        struct_de::keep(&mut slots.4, name, map)
    }

    fn finish(slots: Self::Slots) -> Result<Self, &'static str> {
        let (id, count, note, any, extra) = slots;
        Ok(Lean { id: id.ok_or("id")?, count: count.unwrap_or_default(), note: note.unwrap_or_default(), any, extra })
    }
}

/// The same struct as serde's derive reads it.
#[derive(Debug, PartialEq, Deserialize)]
struct Derived {
    id: String,
    #[serde(default)]
    count: Option<i64>,
    note: Option<String>,
    #[serde(default, deserialize_with = "present")]
    any: Option<Value>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// A struct that keeps no undeclared property.
#[derive(Debug, PartialEq)]
struct Strict {
    inner: Lean,
}

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct_de::deserialize(deserializer)
    }
}

impl FromObject for Strict {
    const NAME: &'static str = "StrictDerived";
    type Slots = (Option<Lean>,);

    fn slots() -> Self::Slots {
        (None,)
    }

    fn field(name: &str) -> Option<u16> {
        (name == "inner").then_some(0)
    }

    fn read_field<'de, A: serde::de::MapAccess<'de>>(
        slots: &mut Self::Slots,
        _: u16,
        map: &mut A,
    ) -> Result<(), A::Error> {
        struct_de::put(&mut slots.0, map, "inner")
    }

    fn finish(slots: Self::Slots) -> Result<Self, &'static str> {
        Ok(Strict { inner: slots.0.ok_or("inner")? })
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct StrictDerived {
    inner: Derived,
}

/// What decoding `text` gave: the value's parts, or the error's path and message.
fn outcome<T: for<'de> Deserialize<'de>>(text: &str, parts: impl Fn(T) -> Value) -> Result<Value, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map(parts)
        .map_err(|error| (error.path().to_string(), error.inner().to_string()))
}

fn lean_parts(value: Lean) -> Value {
    json!([value.id, value.count, value.note, value.any.map(|any| json!({ "present": any })), value.extra])
}

fn derived_parts(value: Derived) -> Value {
    json!([value.id, value.count, value.note, value.any.map(|any| json!({ "present": any })), value.extra])
}

#[test]
fn the_generated_way_decodes_and_fails_as_the_derive_does() {
    let cases = [
        r#"{"id": "a"}"#,
        r#"{"id": "a", "count": 3, "note": "n", "any": {"x": [1]}, "other": true, "more": null}"#,
        r#"{"id": "a", "count": null, "note": null, "any": null}"#,
        r#"{"note": "n"}"#,
        r#"{"id": "a", "id": "b"}"#,
        r#"{"id": "a", "count": "3"}"#,
        r#"{"id": 7}"#,
        r#"{"id": "a", "count": 1.5}"#,
        r#"{"id": "a", "other": 1, "other": 2}"#,
        r#"{"id": "a", "n\u00e9": 1, "esc\"aped": 2}"#,
        r#"[]"#,
        r#"["a"]"#,
        r#""a""#,
        r#"null"#,
        r#"{"id": "a""#,
        r#"{}"#,
    ];
    for text in cases {
        assert_eq!(outcome::<Lean>(text, lean_parts), outcome::<Derived>(text, derived_parts), "{text}");
    }
}

#[test]
fn error_paths_go_through_nested_structs_as_the_derives_do() {
    let cases = [
        r#"{"inner": {"id": "a", "count": "x"}}"#,
        r#"{"inner": {"count": 1}}"#,
        r#"{"inner": {"id": "a"}, "skipped": {"deep": [1, 2]}}"#,
        r#"{"inner": {"id": "a"}, "inner": {"id": "b"}}"#,
        r#"{"inner": 3}"#,
        r#"{"skipped": 1}"#,
    ];
    for text in cases {
        let lean = outcome::<Strict>(text, |value| lean_parts(value.inner));
        let derived = outcome::<StrictDerived>(text, |value| derived_parts(value.inner));
        assert_eq!(lean, derived, "{text}");
    }
}
