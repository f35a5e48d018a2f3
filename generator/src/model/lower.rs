//! The entry point of the model phase: the whole document in, an [`Api`] (or every problem
//! found) out.

use heck::ToShoutySnakeCase;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::naming::{self, Namespace};
use super::operations::lower_operations;
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

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
        Some(name) => explicit_crate_name(name, "--crate-name", "#/info", &mut errors),
        None => match document.info.extensions.get("x-crate-name") {
            Some(name) => match name.as_str() {
                Some(name) => explicit_crate_name(name, "`x-crate-name`", "#/info/x-crate-name", &mut errors),
                None => {
                    errors.push(SpecError::new("#/info/x-crate-name", "`x-crate-name` must be a string"));
                    String::new()
                }
            },
            None => naming::crate_name_from_title(&document.info.title),
        },
    };
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
    let servers = servers(document, &mut errors);
    let credentials = credentials(document, &env_prefix, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }

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
    name_builders(&mut api);
    Ok(api)
}

/// Names the request builder of every struct sent in requests, in the same namespace as the
/// types: a schema that is already called `FooBuilder` keeps its name, and `Foo`'s builder
/// becomes `FooBuilder2`.
fn name_builders(api: &mut Api) {
    let taken: Vec<String> = api
        .types
        .iter()
        .map(|def| def.name.clone())
        .chain(api.aliases.iter().map(|alias| alias.name.clone()))
        .collect();
    let mut names = Namespace::with_taken(taken.iter().map(String::as_str));
    for def in &mut api.types {
        if def.in_request && matches!(def.kind, TypeKind::Struct(_)) {
            def.builder_name = Some(names.claim(format!("{}Builder", def.name)));
        }
    }
}

/// A crate name the user chose: used as given when it is valid, refused with what would be
/// valid otherwise (a chosen name is never silently changed).
fn explicit_crate_name(name: &str, source: &str, pointer: &str, errors: &mut Vec<SpecError>) -> String {
    if let Err(problem) = naming::check_crate_name(name) {
        errors.push(SpecError::new(
            pointer,
            format!(
                "`{name}` (from {source}) is not a valid crate name: {problem}; a crate name starts with an ASCII letter and continues with ASCII letters, digits, `-` and `_`, e.g. `{}`",
                naming::crate_name_from_title(name)
            ),
        ));
    }
    name.to_string()
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

fn servers(document: &OpenAPI, errors: &mut Vec<SpecError>) -> Vec<Server> {
    let mut names = Namespace::new();
    let mut servers = Vec::new();
    for (index, server) in document.servers.iter().enumerate() {
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            errors.push(SpecError::new(
                format!("#/servers/{index}/url"),
                format!("`{url}` is not an absolute http(s) URL; relative server URLs are not supported"),
            ));
            continue;
        }
        let label = server.description.clone().unwrap_or_else(|| format!("server {}", index + 1));
        servers.push(Server {
            rust_name: names.claim(naming::variant_name(&label)),
            url: url.trim_end_matches('/').to_string(),
            description: server.description.clone(),
        });
    }
    servers
}

fn credentials(document: &OpenAPI, env_prefix: &str, errors: &mut Vec<SpecError>) -> Vec<Credential> {
    let Some(components) = &document.components else { return Vec::new() };
    let mut names = Namespace::with_taken(naming::CLIENT_BUILDER_NAMES.iter().copied());
    let mut credentials = Vec::new();
    for (scheme, definition) in &components.security_schemes {
        let pointer = format!("#/components/securitySchemes/{}", escape_pointer_token(scheme));
        let ReferenceOr::Item(definition) = definition else {
            errors.push(SpecError::new(pointer, "security schemes given by `$ref` are not supported yet"));
            continue;
        };
        match definition {
            SecurityScheme::APIKey { location: APIKeyLocation::Header, name, description, extensions } => {
                if name.is_empty() || !name.bytes().all(is_header_name_byte) {
                    errors.push(SpecError::new(
                        format!("{pointer}/name"),
                        format!("`{name}` is not a valid HTTP header name; use letters, digits and `-`"),
                    ));
                    continue;
                }
                let rust_name = names.claim(naming::snake_name(scheme));
                let shouty = rust_name.trim_end_matches('_').to_shouty_snake_case();
                let env_var = if shouty.starts_with(&format!("{env_prefix}_")) {
                    shouty
                } else {
                    format!("{env_prefix}_{shouty}")
                };
                credentials.push(Credential {
                    scheme: scheme.clone(),
                    env_var,
                    rust_name,
                    header: name.clone(),
                    doc: description.clone(),
                    default: extensions.get("x-default").and_then(|v| v.as_str()).map(str::to_string),
                    sensitive: extensions.get("x-sensitive").and_then(|v| v.as_bool()).unwrap_or(true),
                });
            }
            _ => errors.push(SpecError::new(
                pointer,
                "only `apiKey` security schemes sent in a header are supported yet; remove this scheme to generate a client without it",
            )),
        }
    }
    credentials
}

/// Whether a byte may appear in an HTTP header name (an RFC 9110 token).
fn is_header_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
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
