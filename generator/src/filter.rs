//! Between load and model: `--operation` keeps the named operations and only the component
//! schemas they reach, so a crate for five endpoints compiles five endpoints' worth of code.

use std::collections::{BTreeSet, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::SpecError;

/// Keeps the operations `selectors` name (an `operationId`, a path such as
/// `/cra/monitoring_insights/get` for all its methods, or `METHOD /path`) and the schemas they
/// reach. An empty selection keeps everything.
pub fn select_operations(document: &mut OpenAPI, selectors: &[String]) -> Result<(), Vec<SpecError>> {
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
    keep_reachable_schemas(document);
    Ok(())
}

/// Drops the component schemas that no remaining operation reaches, following `$ref`s through
/// schemas, parameters, request bodies and responses.
fn keep_reachable_schemas(document: &mut OpenAPI) {
    let Ok(paths) = serde_json::to_value(&document.paths) else { return };
    let Some(components) = document.components.as_mut() else { return };
    let Ok(sections) = serde_json::to_value(&*components) else { return };
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    collect_refs(&paths, &mut pending);
    while let Some(reference) = pending.pop() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        let mut parts = reference.trim_start_matches("#/components/").splitn(2, '/');
        let (Some(section), Some(name)) = (parts.next(), parts.next()) else { continue };
        let name = name.replace("~1", "/").replace("~0", "~");
        if let Some(target) = sections.get(section).and_then(|s| s.get(&name)) {
            collect_refs(target, &mut pending);
        }
    }
    components.schemas.retain(|name, _| reached.contains(&format!("#/components/schemas/{name}")));
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
