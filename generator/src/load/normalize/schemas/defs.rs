//! `$defs`: schemas defined inside another schema (JSON Schema 2020-12). OpenAPI 3.0 has only
//! `components/schemas`, so each definition is hoisted there under a name of its own, and every
//! `$ref` into it is pointed at its new place.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::super::super::walk::{extend_pointer, for_each_child, Obj};
use super::super::super::{escape_pointer_token, unescape_pointer_token};
use super::super::Normalizer;

const SCHEMAS: &str = "#/components/schemas/";

/// Moves every `$defs` entry to `components/schemas`; returns where each was → its reference.
pub(super) fn hoist(document: &mut Value, out: &mut Normalizer) -> HashMap<String, String> {
    let mut moved = HashMap::new();
    if !has_defs(document) {
        return moved;
    }
    // Definitions can hold definitions: each round hoists one level.
    for _ in 0..8 {
        let mut found = Vec::new();
        take(Obj::Document, document, "#", &mut found);
        if found.is_empty() {
            break;
        }
        let Value::Mapping(root) = document else { break };
        let components = root.entry(Value::from("components")).or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(components) = components else { break };
        let schemas = components.entry(Value::from("schemas")).or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(schemas) = schemas else { break };
        for (pointer, name, schema) in found {
            let name = unique(schemas, &name, &pointer);
            let target = format!("{SCHEMAS}{}", escape_pointer_token(&name));
            let original = out.original(&pointer);
            out.moved(target.clone(), original);
            moved.insert(pointer, target);
            schemas.insert(Value::from(name), schema);
        }
        out.changed = true;
    }
    moved
}

/// The reference `reference` becomes once the definitions it points into are hoisted.
pub(super) fn redirect(moved: &HashMap<String, String>, reference: &str) -> Option<String> {
    if moved.is_empty() {
        return None;
    }
    let mut current = reference.to_string();
    let mut changed = false;
    for _ in 0..8 {
        let best = moved
            .iter()
            .filter(|(from, _)| {
                current.strip_prefix(from.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(from, _)| from.len());
        let Some((from, to)) = best else { break };
        current = format!("{to}{}", &current[from.len()..]);
        changed = true;
    }
    changed.then_some(current)
}

/// Whether a `$defs` key stands anywhere (a quick look before the walk that builds pointers).
fn has_defs(node: &Value) -> bool {
    match node {
        Value::Mapping(mapping) => mapping.iter().any(|(key, value)| key.as_str() == Some("$defs") || has_defs(value)),
        Value::Sequence(items) => items.iter().any(has_defs),
        _ => false,
    }
}

/// Takes the `$defs` out of every schema under `node`, with the pointer each had.
fn take(obj: Obj, node: &mut Value, pointer: &str, found: &mut Vec<(String, String, Value)>) {
    if obj == Obj::Schema {
        if let Value::Mapping(mapping) = node {
            if mapping.get("$defs").is_some_and(Value::is_mapping) {
                if let Some(Value::Mapping(defs)) = mapping.remove("$defs") {
                    for (name, schema) in defs {
                        let Some(name) = name.as_str() else { continue };
                        let at = format!("{pointer}/$defs/{}", escape_pointer_token(name));
                        found.push((at, name.to_string(), schema));
                    }
                }
            }
        }
    }
    for_each_child(obj, node, &mut |steps, child, value| take(child, value, &extend_pointer(pointer, steps), found));
}

/// The definition's own name when no component has it, else the owner's name before it.
fn unique(schemas: &Mapping, name: &str, pointer: &str) -> String {
    let owner = pointer
        .strip_prefix(SCHEMAS)
        .and_then(|rest| rest.split('/').next())
        .map_or("Defs".into(), unescape_pointer_token);
    let candidates = [name.to_string(), format!("{owner}{name}")];
    for candidate in candidates.iter().chain(std::iter::empty()) {
        if !schemas.contains_key(candidate.as_str()) {
            return candidate.clone();
        }
    }
    (2..)
        .map(|n| format!("{owner}{name}{n}"))
        .find(|candidate| !schemas.contains_key(candidate.as_str()))
        .unwrap_or_default()
}
