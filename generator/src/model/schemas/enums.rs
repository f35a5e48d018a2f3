//! Enums: the values a schema lists (of any JSON type), or the values a `type: string` schema
//! documents as `properties`. The `x-enum-varnames` and `x-enum-descriptions` extensions (a
//! name and a description per value, in order) name and document the variants.

use openapiv3::{Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::description;

/// The values of an enum schema with their descriptions, or `None` when the schema is not an
/// enum. Besides `enum` on any type, a `type: string` schema whose `properties` describe its
/// values one by one (a documentation habit of some specs) is read as an enum of those names.
pub(super) fn enum_values(schema: &Schema) -> Option<Vec<EnumEntry>> {
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
    if values.is_empty() {
        return None;
    }
    let names = extension_texts(schema, "x-enum-varnames", values.len());
    let docs = extension_texts(schema, "x-enum-descriptions", values.len());
    let entries = values
        .into_iter()
        .enumerate()
        .map(|(index, (value, doc))| EnumEntry {
            value,
            name: names.as_ref().and_then(|names| names[index].clone()),
            doc: doc.or_else(|| docs.as_ref().and_then(|docs| docs[index].clone())),
        })
        .collect();
    Some(entries)
}

/// One value of an enum, with the name and description the spec gives it, if any.
pub(super) struct EnumEntry {
    pub value: EnumValue,
    pub name: Option<String>,
    pub doc: Option<String>,
}

/// A list extension with one text per enum value (empty texts are none), when it has exactly
/// one per value.
fn extension_texts(schema: &Schema, key: &str, count: usize) -> Option<Vec<Option<String>>> {
    let texts = schema.schema_data.extensions.get(key)?.as_array()?;
    let texts: Vec<Option<String>> =
        texts.iter().map(|text| text.as_str().filter(|text| !text.trim().is_empty()).map(str::to_string)).collect();
    (texts.len() == count).then_some(texts)
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

pub(super) fn build_enum(values: Vec<EnumEntry>) -> StringEnum {
    let mut names = Namespace::new();
    let mut variants: Vec<Variant> = Vec::new();
    for EnumEntry { value, name, doc } in values {
        let wire_name = match &value {
            EnumValue::String(text) => text.clone(),
            EnumValue::Integer(integer) => integer.to_string(),
            EnumValue::Float(float) => float.to_string(),
            EnumValue::Boolean(flag) => flag.to_string(),
        };
        if variants.iter().any(|v| v.wire_name == wire_name) {
            continue;
        }
        let rust_name = match (&name, &value) {
            (Some(name), _) => naming::variant_name(name),
            (None, EnumValue::String(text)) => naming::variant_name(text),
            (None, _) => naming::variant_name(&wire_name.replace('.', "_")),
        };
        variants.push(Variant { rust_name: names.claim(rust_name), wire_name, value, doc });
    }
    StringEnum { variants, catch_all: names.claim("Unknown".to_string()) }
}
