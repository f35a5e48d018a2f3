//! OpenAPI 3.1 → OpenAPI 3.0, for what is not a schema (the schema rules are in `schemas`,
//! since they apply to every version): the parts of a 3.1 document that 3.0 requires and 3.1
//! made optional, and the objects 3.0 has no place for.

use serde_yaml::{Mapping, Value};

use super::super::walk::{extend_pointer, for_each_child, Obj};
use super::super::ITEM_SCHEMA_KEY;
use super::Normalizer;

/// Applies the document rules of 3.1 (after bundling, so referenced path items are inline).
pub(super) fn convert(document: &mut Value, out: &mut Normalizer) {
    let Value::Mapping(root) = document else { return };
    // `paths` is optional in 3.1: a document may declare only webhooks or components.
    if !root.contains_key("paths") {
        root.insert(Value::from("paths"), Value::Mapping(Mapping::new()));
    }
    if let Some(Value::Mapping(components)) = root.get_mut("components") {
        security_schemes(components, out);
    }
    walk(Obj::Document, document, "#", out);
}

/// `responses` is optional on a 3.1 operation: none declared means none described. A media
/// type's `itemSchema` (3.2), which 3.0 has no place for, becomes `x-item-schema`.
fn walk(obj: Obj, node: &mut Value, pointer: &str, out: &mut Normalizer) {
    match (obj, &mut *node) {
        (Obj::Operation, Value::Mapping(operation)) if !operation.contains_key("responses") => {
            operation.insert(Value::from("responses"), Value::Mapping(Mapping::new()));
        }
        (Obj::MediaType, Value::Mapping(media)) => {
            if let Some(schema) = media.shift_remove("itemSchema") {
                media.insert(Value::from(ITEM_SCHEMA_KEY), schema);
                out.moved(format!("{pointer}/{ITEM_SCHEMA_KEY}"), format!("{pointer}/itemSchema"));
            }
        }
        _ => {}
    }
    for_each_child(obj, node, &mut |steps, child, value| walk(child, value, &extend_pointer(pointer, steps), out));
}

/// `mutualTLS` (new in 3.1) is a client certificate, which is set up on the TLS connection, not
/// sent with each request: the scheme is left out, and operations that accept only it are
/// generated without a credential.
fn security_schemes(components: &mut Mapping, out: &mut Normalizer) {
    let Some(Value::Mapping(schemes)) = components.get_mut("securitySchemes") else { return };
    let mutual: Vec<Value> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in mutual {
        schemes.remove(&name);
        let pointer = format!(
            "#/components/securitySchemes/{}",
            super::super::escape_pointer_token(name.as_str().unwrap_or_default())
        );
        out.warn(
            &pointer,
            "a `mutualTLS` scheme is a client certificate, which the generated client does not configure; it was left out (set the certificate on the HTTP client yourself)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::load::test_support::parse_ok;
    use crate::load::ITEM_SCHEMA_KEY;

    #[test]
    fn an_item_schema_is_kept_under_a_name_3_0_allows_and_its_pointer_is_the_users() {
        let loaded = parse_ok(
            "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths:\n  /e:\n    get:\n      responses:\n        '200':\n          description: events\n          content:\n            text/event-stream:\n              itemSchema: {type: object, properties: {n: {type: [integer, 'null']}}}\n",
        );
        let operation = loaded.document.paths.paths["/e"].as_item().unwrap().get.as_ref().unwrap();
        let response = operation.responses.responses.values().next().unwrap().as_item().unwrap();
        let item = &response.content["text/event-stream"].extensions[ITEM_SCHEMA_KEY];
        // The 3.1 schema rules reached it: the list of types became a nullable integer.
        assert_eq!(item["properties"]["n"], serde_json::json!({"type": "integer", "nullable": true}));
        let converted = format!("#/paths/~1e/get/responses/200/content/text~1event-stream/{ITEM_SCHEMA_KEY}");
        assert_eq!(
            loaded.origins.translate(&converted),
            "#/paths/~1e/get/responses/200/content/text~1event-stream/itemSchema"
        );
    }
}
