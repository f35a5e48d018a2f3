//! Between load and model: `--operation` keeps the named operations and only the component
//! schemas they reach, so a crate for five endpoints compiles five endpoints' worth of code.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};
use serde::Serialize;

use crate::error::SpecError;
use crate::load::unescape_pointer_token;

/// Keeps the operations `selectors` name (an `operationId`, a path such as
/// `/cra/monitoring_insights/get` for all its methods, or `METHOD /path`) and the schemas they
/// reach, besides the webhooks (`webhooks` and `x-webhooks`, which no selector names) and the
/// payload schemas `event_schemas` names (codegen.toml's `[webhooks] schemas`) with what they
/// reach. An empty selection keeps everything.
pub fn select_operations(
    document: &mut OpenAPI,
    selectors: &[String],
    event_schemas: &[String],
) -> Result<(), Vec<SpecError>> {
    if selectors.is_empty() {
        return Ok(());
    }
    keep_operations(document, selectors)?;
    let events = event_refs(document, event_schemas);
    keep_reachable_schemas(document, &events).map_err(|error| vec![error])
}

/// The local references the document's webhooks hold, and those of the component schemas named
/// in `event_schemas`: what a crate's events need whichever operations are selected.
pub fn event_refs(document: &OpenAPI, event_schemas: &[String]) -> Vec<String> {
    let mut refs: Vec<String> = event_schemas
        .iter()
        .map(|name| format!("#/components/schemas/{}", crate::load::escape_pointer_token(name)))
        .collect();
    if let Some(webhooks) = document.extensions.get(crate::load::WEBHOOKS_KEY) {
        collect_refs(webhooks, &mut refs);
    }
    refs.retain(|reference| component_of(reference).is_some());
    refs
}

/// The first half of [`select_operations`]: keeps the operations `selectors` name and leaves
/// the components as they are. An empty selection keeps everything.
pub fn keep_operations(document: &mut OpenAPI, selectors: &[String]) -> Result<(), Vec<SpecError>> {
    if selectors.is_empty() {
        return Ok(());
    }
    let mut matched: HashSet<&str> = HashSet::new();
    for (path, item) in document.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        let methods = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("options", &mut item.options),
            ("head", &mut item.head),
            ("patch", &mut item.patch),
            ("trace", &mut item.trace),
        ];
        for (method, slot) in methods {
            let Some(operation) = slot else { continue };
            let selector = selectors.iter().find(|selector| {
                let selector = selector.trim();
                operation.operation_id.as_deref() == Some(selector)
                    || selector == path
                    || selector.split_once(' ').is_some_and(|(m, p)| m.eq_ignore_ascii_case(method) && p.trim() == path)
            });
            match selector {
                Some(selector) => {
                    matched.insert(selector.as_str());
                }
                None => *slot = None,
            }
        }
    }
    let missing: Vec<SpecError> = selectors
        .iter()
        .filter(|selector| !matched.contains(selector.as_str()))
        .map(|selector| {
            SpecError::new(
                "#/paths",
                format!("no operation matches `{selector}`; name an operationId, a path, or `METHOD /path`"),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    document.paths.paths.retain(|_, item| match item {
        ReferenceOr::Item(item) => item.iter().next().is_some(),
        ReferenceOr::Reference { .. } => false,
    });
    Ok(())
}

/// The second half of [`select_operations`]: drops the component schemas that neither a
/// remaining operation (callbacks included) nor one of the local references in `also` reaches,
/// following `$ref`s through schemas, parameters, request bodies and responses. A reference in
/// `also` to a component the document lacks is passed over. Fails when a part of the document
/// does not convert to JSON, since what it refers to would then be unknown.
pub fn keep_reachable_schemas(document: &mut OpenAPI, also: &[String]) -> Result<(), SpecError> {
    let paths = to_json(&document.paths, "#/paths")?;
    let Some(components) = document.components.as_mut() else { return Ok(()) };
    let sections = to_json(&*components, "#/components")?;
    // Components by section and name, unescaped, as `components` holds them.
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pending: Vec<String> = also.to_vec();
    collect_refs(&paths, &mut pending);
    while let Some(reference) = pending.pop() {
        let Some((section, name)) = component_of(&reference) else { continue };
        if let Some(target) = sections.get(section).and_then(|s| s.get(name.as_ref())) {
            if reached.insert((section.to_string(), name.into_owned())) {
                collect_refs(target, &mut pending);
            }
        }
    }
    let schemas: BTreeSet<&str> =
        reached.iter().filter(|(section, _)| section == "schemas").map(|(_, name)| name.as_str()).collect();
    components.schemas.retain(|name, _| schemas.contains(name.as_str()));
    Ok(())
}

/// The local references (`#/components/...`) written in the callbacks of the document's
/// operations: their payload schemas, mostly. `spec-diff` keeps what these reach on both sides,
/// so a payload one spec sends through a callback is compared with the same-named component of a
/// spec that describes it only as a component.
pub fn callback_refs(document: &OpenAPI) -> Result<Vec<String>, SpecError> {
    let mut refs = Vec::new();
    for (path, item) in document.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            if operation.callbacks.is_empty() {
                continue;
            }
            let pointer = format!("#/paths/{}/{method}/callbacks", crate::load::escape_pointer_token(path));
            collect_refs(&to_json(&operation.callbacks, &pointer)?, &mut refs);
        }
    }
    refs.retain(|reference| component_of(reference).is_some());
    Ok(refs)
}

/// The section of `components` a local reference points into, and the name of the component
/// there, unescaped (`#/components/schemas/a~1b/properties/c` is the schema `a/b`).
fn component_of(reference: &str) -> Option<(&str, Cow<'_, str>)> {
    let mut tokens = reference.strip_prefix("#/components/")?.split('/');
    let section = tokens.next()?;
    let name = tokens.next()?;
    Some((section, unescape_pointer_token(name)))
}

/// A part of the document (at `pointer`) as JSON, to look for references in.
fn to_json<T: Serialize>(part: &T, pointer: &str) -> Result<serde_json::Value, SpecError> {
    serde_json::to_value(part).map_err(|error| {
        SpecError::new(
            pointer,
            format!(
                "cannot find the schemas the selected operations use: this part of the spec does not convert to JSON ({error}); generate without `--operation`"
            ),
        )
    })
}

fn collect_refs(value: &serde_json::Value, into: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(reference)) => into.push(reference.clone()),
                    _ => collect_refs(value, into),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_refs(item, into)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_that_does_not_convert_to_json_is_an_error_naming_it() {
        struct Unconvertible;
        impl Serialize for Unconvertible {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no JSON here"))
            }
        }
        let error = to_json(&Unconvertible, "#/components").unwrap_err();
        assert_eq!(error.pointer, "#/components");
        assert!(error.message.contains("(no JSON here)") && error.message.contains("without `--operation`"), "{error}");
    }

    #[test]
    fn webhook_payloads_and_named_event_schemas_outlive_the_selection() {
        let spec = test_spec!(
            r#"paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: A.
          content: {application/json: {schema: {$ref: '#/components/schemas/Answer'}}}
  /b:
    get:
      operationId: getB
      responses:
        '200':
          description: B.
          content: {application/json: {schema: {$ref: '#/components/schemas/Unused'}}}
x-webhooks:
  thing.done:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Done'}}}
      responses: {'200': {description: Taken.}}
components:
  schemas:
    Answer: {type: string}
    Unused: {type: string}
    Done: {type: object, properties: {thing: {$ref: '#/components/schemas/Thing'}}}
    Thing: {type: string}
    Sent: {type: object, properties: {at: {$ref: '#/components/schemas/When'}}}
    When: {type: string}
"#
        );
        let mut document: OpenAPI = serde_yaml::from_str(spec).unwrap();
        select_operations(&mut document, &["getA".to_string()], &["Sent".to_string()]).unwrap();
        let kept: Vec<&str> = document.components.as_ref().unwrap().schemas.keys().map(String::as_str).collect();
        assert_eq!(kept, ["Answer", "Done", "Thing", "Sent", "When"]);
    }

    #[test]
    fn references_name_components_unescaped() {
        assert_eq!(component_of("#/components/schemas/a~1b"), Some(("schemas", Cow::Borrowed("a/b"))));
        assert_eq!(component_of("#/components/schemas/x~0y/properties/c"), Some(("schemas", Cow::Borrowed("x~y"))));
        assert_eq!(component_of("#/components/responses/Bad"), Some(("responses", Cow::Borrowed("Bad"))));
        assert_eq!(component_of("#/paths/~1a"), None);
        assert_eq!(component_of("#/components/schemas"), None);
    }
}
