//! OpenAPI 3.1 → OpenAPI 3.0, for what is not a schema (the schema rules are in `schemas`,
//! since they apply to every version): the parts of a 3.1 document that 3.0 requires and 3.1
//! made optional, and the objects 3.0 has no place for.

use serde_yaml::{Mapping, Value};

use super::super::walk::{extend_pointer, for_each_child, Obj};
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
    walk(Obj::Document, document, "#");
}

/// `responses` is optional on a 3.1 operation: none declared means none described.
fn walk(obj: Obj, node: &mut Value, pointer: &str) {
    if obj == Obj::Operation {
        if let Value::Mapping(operation) = node {
            if !operation.contains_key("responses") {
                operation.insert(Value::from("responses"), Value::Mapping(Mapping::new()));
            }
        }
    }
    for_each_child(obj, node, &mut |steps, child, value| walk(child, value, &extend_pointer(pointer, steps)));
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
