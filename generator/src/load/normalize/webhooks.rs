//! Webhooks: requests the API sends to the user rather than receives. OpenAPI 3.1 declares
//! them under `webhooks`, some 3.0 specs under an `x-webhooks` extension; OpenAPI 3.0 (and so
//! `openapiv3`) has no place for them. They are read here as plain data for the model, and the
//! tree keeps them where they are (`openapiv3` ignores the key).

use std::borrow::Cow;

use serde_yaml::Value;

use super::super::bundle::lookup;
use super::super::walk::METHODS;
use super::super::{component_name, escape_pointer_token};
use super::Normalizer;

/// One webhook the API sends: its name, the method and operation that describe the request,
/// and the component schema of its JSON payload when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The key under `webhooks` (an event name such as `invoice.created`).
    pub name: String,
    /// Lower-case HTTP method (`post`).
    pub method: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The name of the component schema the payload is given by (`$ref`), if any.
    pub payload_schema: Option<String>,
    /// Where the webhook's operation is in the user's file.
    pub pointer: String,
}

/// Reads `webhooks` and `x-webhooks` into [`Normalizer::webhooks`] (a name declared under both
/// is read once).
pub(super) fn take(document: &Value, out: &mut Normalizer) {
    for key in ["webhooks", "x-webhooks"] {
        let Some(Value::Mapping(hooks)) = document.get(key) else { continue };
        for (name, item) in hooks {
            let Some(name) = name.as_str() else { continue };
            let item_pointer = format!("#/{key}/{}", escape_pointer_token(name));
            let item = match item.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference.strip_prefix('#').and_then(|fragment| lookup(document, fragment)) {
                    Some(target) => target,
                    None => {
                        out.warn(
                            &item_pointer,
                            "this webhook's `$ref` does not point into this document; it was left out",
                        );
                        continue;
                    }
                },
                None => item,
            };
            for method in METHODS {
                let Some(operation) = item.get(method).filter(|operation| operation.is_mapping()) else { continue };
                if out.webhooks.iter().any(|hook| hook.name == name && hook.method == method) {
                    continue;
                }
                let text = |field: &str| operation.get(field).and_then(Value::as_str).map(str::to_string);
                out.webhooks.push(Webhook {
                    name: name.to_string(),
                    method: method.to_string(),
                    operation_id: text("operationId"),
                    summary: text("summary"),
                    description: text("description"),
                    payload_schema: payload_schema(document, operation),
                    pointer: format!("{item_pointer}/{method}"),
                });
            }
        }
    }
}

/// The component schema a webhook's JSON body names, following one `$ref` to a request body.
fn payload_schema(document: &Value, operation: &Value) -> Option<String> {
    let mut body = operation.get("requestBody")?;
    if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
        body = lookup(document, reference.strip_prefix('#')?)?;
    }
    let content = body.get("content")?.as_mapping()?;
    let media = content
        .iter()
        .find(|(media, _)| media.as_str().is_some_and(|media| media.contains("json")))
        .or_else(|| content.iter().next())?
        .1;
    let reference = media.get("schema")?.get("$ref")?.as_str()?;
    component_name(reference, "schemas").map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use crate::load::test_support::parse_ok;

    #[test]
    fn a_payload_schema_is_named_by_its_unescaped_reference() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  created:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/a~1b~0c'}\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    a/b~c: {type: object, properties: {id: {type: string}}}\n";
        let loaded = parse_ok(text);
        let payloads: Vec<_> = loaded.webhooks.iter().map(|hook| hook.payload_schema.as_deref()).collect();
        assert_eq!(payloads, [Some("a/b~c")]);
    }
}
