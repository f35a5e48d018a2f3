//! The entry point of the model phase: the whole document in, an [`Api`] (or every problem
//! found) out.

use heck::{ToKebabCase, ToShoutySnakeCase};
use openapiv3::OpenAPI;

use super::operations::lower_operations;
use super::schemas::SchemaLowering;
use super::security;
use super::*;
use crate::error::SpecError;

/// Lowers a document. `crate_name` overrides the spec's `x-crate-name`. On failure, returns
/// every problem found, not just the first.
pub fn lower(document: &OpenAPI, crate_name: Option<&str>) -> Result<Api, Vec<SpecError>> {
    let empty = indexmap::IndexMap::new();
    let components = document.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut schemas = SchemaLowering::new(components);
    schemas.lower_components();
    let lowered = lower_operations(document, &mut schemas);
    let mut errors = std::mem::take(&mut schemas.errors);

    let crate_name = match crate_name {
        Some(name) => name.to_string(),
        None => document
            .info
            .extensions
            .get("x-crate-name")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| document.info.title.to_kebab_case()),
    };
    if crate_name.is_empty() || !crate_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        errors.push(SpecError::new(
            "#/info/x-crate-name",
            format!(
                "`{crate_name}` is not a valid crate name; use letters, digits, `-` and `_` (or pass --crate-name)"
            ),
        ));
    }
    let env_prefix = match document.info.extensions.get("x-env-prefix").and_then(|v| v.as_str()) {
        Some(prefix) => prefix.to_string(),
        None => crate_name.to_shouty_snake_case(),
    };
    if env_prefix.is_empty() || !env_prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        errors.push(SpecError::new(
            "#/info/x-env-prefix",
            format!("`{env_prefix}` cannot start an environment variable name; use letters, digits and `_`"),
        ));
    }
    let servers = security::servers(document, &mut schemas.warnings);
    let credentials = security::credentials(document, &env_prefix, &mut schemas.warnings);
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut warnings = std::mem::take(&mut schemas.warnings);
    let aliases = std::mem::take(&mut schemas.aliases);
    let mut types = schemas.into_types();
    let error_type = shared_error_type(&lowered.operations);
    let mut api = Api {
        crate_name,
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        version: document.info.version.clone(),
        types: Vec::new(),
        aliases,
        operations: lowered.operations,
        servers,
        credentials,
        error_type,
        env_prefix,
    };
    cycles::box_recursive_fields(&mut types);
    api.types = types;
    mark_request_types(&mut api);
    security::mark_required(&mut api);
    security::warn_unused(&api, &mut warnings);
    // Warnings are collected here; reporting them is the caller's (see the degrade step).
    drop(warnings);
    Ok(api)
}

/// The error type when every operation that declares an error body declares the same named one.
fn shared_error_type(operations: &[Operation]) -> Option<TypeId> {
    let mut shared = None;
    for value in operations.iter().flat_map(|o| &o.errors).map(|e| &e.value) {
        match (value.shape.clone(), shared) {
            (Shape::Named(id), None) => shared = Some(id),
            (Shape::Named(id), Some(existing)) if id == existing => {}
            _ => return None,
        }
    }
    shared
}

/// Marks every type reachable from a request body: those get builders and validation.
fn mark_request_types(api: &mut Api) {
    let mut pending: Vec<TypeId> = Vec::new();
    for operation in &api.operations {
        if let Some(body) = &operation.body {
            collect_named(&body.value, &mut pending);
        }
        pending.extend(operation.params_type);
    }
    while let Some(id) = pending.pop() {
        let def = &mut api.types[id.0];
        if def.in_request {
            continue;
        }
        def.in_request = true;
        match &def.kind {
            TypeKind::Struct(object) => {
                for field in &object.fields {
                    collect_named(&field.value, &mut pending);
                }
                if let Extra::Typed { value, .. } = &object.extra {
                    collect_named(value, &mut pending);
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    collect_named(&variant.value, &mut pending);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
}

fn collect_named(value: &ValueType, into: &mut Vec<TypeId>) {
    match &value.shape {
        Shape::Named(id) => into.push(*id),
        Shape::Array { items, .. } => collect_named(items, into),
        Shape::Map { values } => collect_named(values, into),
        _ => {}
    }
}
