//! Webhooks: requests the API sends to the user rather than receives. OpenAPI 3.1 declares
//! them under `webhooks`, some 3.0 specs under an `x-webhooks` extension; OpenAPI 3.0 (and so
//! `openapiv3`) has no place for them. Both are gathered under `x-webhooks`, the one key the
//! model reads (through `openapiv3::OpenAPI::extensions`): a name declared under both is kept
//! once, and a path item given by a local `$ref` is copied in, so the model reads plain path
//! items.

use serde_yaml::{Mapping, Value};

use super::super::bundle::lookup;
use super::super::escape_pointer_token;
use super::Normalizer;

/// The key the model reads webhooks from.
pub const WEBHOOKS_KEY: &str = "x-webhooks";

/// Moves `webhooks` into `x-webhooks` (the names `x-webhooks` already has win) and resolves
/// path items given by reference.
pub(super) fn gather(document: &mut Value, out: &mut Normalizer) {
    let Some(root) = document.as_mapping_mut() else { return };
    let declared = root.remove("webhooks");
    let extension = root.remove(WEBHOOKS_KEY);
    if declared.is_none() && extension.is_none() {
        return;
    }
    let mut gathered = Mapping::new();
    for (key, hooks) in [(WEBHOOKS_KEY, extension), ("webhooks", declared)] {
        let Some(Value::Mapping(hooks)) = hooks else { continue };
        for (name, item) in hooks {
            let Some(text) = name.as_str() else { continue };
            if gathered.contains_key(&name) {
                continue;
            }
            let pointer = format!("#/{key}/{}", escape_pointer_token(text));
            let by_reference = item.get("$ref").is_some();
            match resolve(document, item) {
                Some(item) => {
                    if key == "webhooks" {
                        let moved = format!("#/{WEBHOOKS_KEY}/{}", escape_pointer_token(text));
                        out.origins.record(moved, pointer);
                    }
                    out.changed |= by_reference;
                    gathered.insert(name, item);
                }
                None => out.warn(&pointer, "this webhook's `$ref` does not point into this document; it was left out"),
            }
        }
        if key == "webhooks" {
            out.changed = true;
        }
    }
    if let Some(root) = document.as_mapping_mut() {
        root.insert(Value::from(WEBHOOKS_KEY), Value::Mapping(gathered));
    }
}

/// The path item itself: a local `$ref` followed (once), anything else as written.
fn resolve(document: &Value, item: Value) -> Option<Value> {
    match item.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.strip_prefix('#').and_then(|fragment| lookup(document, fragment)).cloned(),
        None => Some(item),
    }
}

#[cfg(test)]
mod tests {
    use crate::load::test_support::parse_ok;

    #[test]
    fn webhooks_of_both_keys_are_gathered_once_each_under_the_extension() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  created:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/a~1b~0c'}\n      responses: {'200': {description: ok}}\n  deleted: {$ref: '#/components/pathItems/deleted'}\nx-webhooks:\n  created:\n    post: {responses: {'200': {description: first}}}\ncomponents:\n  pathItems:\n    deleted: {post: {responses: {'204': {description: gone}}}}\n  schemas:\n    a/b~c: {type: object, properties: {id: {type: string}}}\n";
        let loaded = parse_ok(text);
        let hooks = loaded.document.extensions["x-webhooks"].as_object().expect("a map of webhooks");
        let names: Vec<&str> = hooks.keys().map(String::as_str).collect();
        assert_eq!(names, ["created", "deleted"]);
        assert_eq!(hooks["created"]["post"]["responses"]["200"]["description"], "first");
        assert_eq!(hooks["deleted"]["post"]["responses"]["204"]["description"], "gone");
    }
}
