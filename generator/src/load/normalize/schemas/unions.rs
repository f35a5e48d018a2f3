//! Unions of constants:
//! - an enum written as a union with one member per value (`oneOf: [{const: 0, title:
//!   GUILD_TEXT, description: …}, …]`), the 3.1 way to document each value, is an `enum` whose
//!   variants are named and documented by the members (`x-enum-varnames`,
//!   `x-enum-descriptions`);
//! - generated 3.1 specs often give each member of a `oneOf` a property fixed with `const`
//!   (`type: {const: card}`) instead of a `discriminator`. When every member is a reference to a
//!   component that fixes the same property to a different value, that property is the
//!   discriminator, which lets decoding pick the member by it.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::super::super::component_name;

/// For each component schema, the properties it fixes with a string `const` (directly or in an
/// inline `allOf` member), with their values.
pub(super) fn fixed_properties(document: &Value) -> HashMap<String, Vec<(String, String)>> {
    let mut fixed = HashMap::new();
    let Some(Value::Mapping(schemas)) = document.get("components").and_then(|c| c.get("schemas")) else {
        return fixed;
    };
    for (name, schema) in schemas {
        let Some(name) = name.as_str() else { continue };
        let mut found = Vec::new();
        constants(schema, &mut found);
        if let Some(Value::Sequence(members)) = schema.get("allOf") {
            for member in members {
                constants(member, &mut found);
            }
        }
        if !found.is_empty() {
            fixed.insert(name.to_string(), found);
        }
    }
    fixed
}

fn constants(schema: &Value, found: &mut Vec<(String, String)>) {
    let Some(Value::Mapping(properties)) = schema.get("properties") else { return };
    for (property, definition) in properties {
        if let (Some(property), Some(Value::String(value))) = (property.as_str(), definition.get("const")) {
            found.push((property.to_string(), value.clone()));
        }
    }
}

/// Adds a discriminator to a `oneOf`/`anyOf` whose members are references to components that
/// each fix one property to a different constant.
pub(super) fn discriminate(mapping: &mut Mapping, fixed: &HashMap<String, Vec<(String, String)>>) {
    if fixed.is_empty() || mapping.contains_key("discriminator") {
        return;
    }
    let Some(Value::Sequence(members)) = mapping.get("oneOf").or_else(|| mapping.get("anyOf")) else { return };
    let mut targets = Vec::new();
    for member in members {
        match member.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let fixes = component_name(reference, "schemas").and_then(|name| fixed.get(name.as_ref()));
                targets.push((reference.to_string(), fixes));
            }
            // A member that only allows `null` takes no part in the choice.
            None if only_null(member) => {}
            None => return,
        }
    }
    if targets.len() < 2 {
        return;
    }
    let Some((_, Some(first))) = targets.first() else { return };
    'property: for (property, _) in first.iter() {
        let mut tags: Vec<(String, String)> = Vec::new();
        for (reference, fixes) in &targets {
            let value = fixes.and_then(|fixes| fixes.iter().find(|(name, _)| name == property).map(|(_, v)| v));
            match value {
                Some(value) if !tags.iter().any(|(tag, _)| tag == value) => {
                    tags.push((value.clone(), reference.clone()))
                }
                _ => continue 'property,
            }
        }
        let mapping_values = tags.into_iter().map(|(tag, reference)| (Value::from(tag), Value::from(reference)));
        let discriminator = Mapping::from_iter([
            (Value::from("propertyName"), Value::from(property.as_str())),
            (Value::from("mapping"), Value::Mapping(Mapping::from_iter(mapping_values))),
        ]);
        mapping.insert(Value::from("discriminator"), Value::Mapping(discriminator));
        return;
    }
}

/// Whether a member only allows `null` (`{type: 'null'}`, or 3.0's `{nullable: true}`).
fn only_null(member: &Value) -> bool {
    match member.get("type") {
        Some(Value::String(typ)) => typ == "null",
        Some(_) => false,
        None => member.get("nullable") == Some(&Value::Bool(true)),
    }
}

/// Keywords a member of an enum written as a union may have besides `const`.
const CONSTANT_MEMBER_KEYS: [&str; 6] = ["const", "title", "description", "type", "deprecated", "format"];

/// `oneOf`/`anyOf` whose members each allow one constant (and `null`) → an `enum` of those values,
/// named and documented by the members' titles and descriptions.
/// Returns whether it did.
pub(super) fn enum_of_constants(mapping: &mut Mapping) -> bool {
    let keyword = if mapping.contains_key("oneOf") { "oneOf" } else { "anyOf" };
    let Some(Value::Sequence(members)) = mapping.get(keyword) else { return false };
    let mut values = Vec::new();
    let (mut names, mut docs) = (Vec::new(), Vec::new());
    let mut null = false;
    for member in members {
        if only_null(member) {
            null = true;
            continue;
        }
        let Value::Mapping(member) = member else { return false };
        let plain = member
            .keys()
            .all(|key| key.as_str().is_some_and(|key| CONSTANT_MEMBER_KEYS.contains(&key) || key.starts_with("x-")));
        match member.get("const") {
            Some(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) if plain => values.push(value.clone()),
            _ => return false,
        }
        let text = |key: &str| Value::from(member.get(key).and_then(Value::as_str).unwrap_or_default());
        names.push(text("title"));
        docs.push(text("description"));
    }
    if values.len() < 2 {
        return false;
    }
    let typ = common_type(&values);
    mapping.remove(keyword);
    if let (Some(typ), false) = (typ, mapping.contains_key("type")) {
        mapping.insert(Value::from("type"), Value::from(typ));
    }
    if null {
        mapping.insert(Value::from("nullable"), Value::Bool(true));
    }
    for (key, texts) in [("x-enum-varnames", names), ("x-enum-descriptions", docs)] {
        if texts.iter().any(|text| text.as_str().is_some_and(|text| !text.is_empty())) {
            mapping.insert(Value::from(key), Value::Sequence(texts));
        }
    }
    mapping.insert(Value::from("enum"), Value::Sequence(values));
    true
}

/// The JSON type all the values share, if they share one.
fn common_type(values: &[Value]) -> Option<&'static str> {
    let type_of = |value: &Value| match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    };
    let first = type_of(values.first()?)?;
    values.iter().all(|value| type_of(value) == Some(first)).then_some(first)
}
