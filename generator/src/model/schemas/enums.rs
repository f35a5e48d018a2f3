//! Enums: the values a schema lists (of any JSON type), or the values a `type: string` schema
//! documents as `properties`.

use openapiv3::{Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::description;

/// The values of an enum schema with their descriptions, or `None` when the schema is not an
/// enum. Besides `enum` on any type, a `type: string` schema whose `properties` describe its
/// values one by one (a documentation habit of some specs) is read as an enum of those names.
pub(super) fn enum_values(schema: &Schema) -> Option<Vec<(EnumValue, Option<String>)>> {
    let values: Vec<(EnumValue, Option<String>)> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.iter().flatten().map(|v| (EnumValue::String(v.clone()), None)).collect()
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().flatten().map(|v| (EnumValue::Integer(*v), None)).collect()
        }
        SchemaKind::Type(Type::Number(number)) => number
            .enumeration
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .map(|v| (EnumValue::Float(*v), None))
            .collect(),
        SchemaKind::Type(Type::Boolean(boolean)) => {
            boolean.enumeration.iter().flatten().map(|v| (EnumValue::Boolean(*v), None)).collect()
        }
        SchemaKind::Any(any) if !any.enumeration.is_empty() => {
            any.enumeration.iter().filter_map(|v| json_enum_value(v).map(|v| (v, None))).collect()
        }
        SchemaKind::Any(any) if any.typ.as_deref() == Some("string") && !any.properties.is_empty() => any
            .properties
            .iter()
            .map(|(name, property)| {
                let doc = property.as_item().and_then(|p| description(p));
                (EnumValue::String(name.clone()), doc)
            })
            .collect(),
        _ => Vec::new(),
    };
    (!values.is_empty()).then_some(values)
}

pub(super) fn json_enum_value(value: &serde_json::Value) -> Option<EnumValue> {
    match value {
        serde_json::Value::String(text) => Some(EnumValue::String(text.clone())),
        serde_json::Value::Bool(flag) => Some(EnumValue::Boolean(*flag)),
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(integer) => Some(EnumValue::Integer(integer)),
            None => number.as_f64().filter(|f| f.is_finite()).map(EnumValue::Float),
        },
        _ => None,
    }
}

pub(super) fn build_enum(values: Vec<(EnumValue, Option<String>)>) -> StringEnum {
    let mut names = Namespace::new();
    let mut variants: Vec<Variant> = Vec::new();
    for (value, doc) in values {
        let wire_name = match &value {
            EnumValue::String(text) => text.clone(),
            EnumValue::Integer(integer) => integer.to_string(),
            EnumValue::Float(float) => float.to_string(),
            EnumValue::Boolean(flag) => flag.to_string(),
        };
        if variants.iter().any(|v| v.wire_name == wire_name) {
            continue;
        }
        let rust_name = match &value {
            EnumValue::String(text) => naming::variant_name(text),
            _ => naming::variant_name(&wire_name.replace('.', "_")),
        };
        variants.push(Variant { rust_name: names.claim(rust_name), wire_name, value, doc });
    }
    StringEnum { variants, catch_all: names.claim("Unknown".to_string()) }
}
