//! The entry point of the model phase: the whole document in, an [`Api`] (or every problem
//! found) out.

use heck::{ToKebabCase, ToShoutySnakeCase};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::naming::{self, Namespace};
use super::operations::lower_operations;
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// Lowers a document, like [`lower_with_warnings`], dropping the warnings.
pub fn lower(document: &OpenAPI, crate_name: Option<&str>) -> Result<Api, Vec<SpecError>> {
    lower_with_warnings(document, crate_name).map(|(api, _)| api)
}

/// Lowers a document. `crate_name` overrides the spec's `x-crate-name`.
///
/// What cannot be expressed degrades instead of failing: an operation is left out, a schema is
/// typed as JSON, and each such loss is a warning (returned next to the model, and listed in
/// [`Api::skipped`]). Only problems with the document as a whole fail, and then every problem
/// found is returned, not just the first.
pub fn lower_with_warnings(
    document: &OpenAPI,
    crate_name: Option<&str>,
) -> Result<(Api, Vec<SpecError>), Vec<SpecError>> {
    let empty = indexmap::IndexMap::new();
    let components = document.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut schemas = SchemaLowering::new(components);
    schemas.lower_components();
    let lowered = lower_operations(document, &mut schemas);
    let mut errors = std::mem::take(&mut schemas.errors);
    let mut warnings = std::mem::take(&mut schemas.warnings);
    if lowered.operations.is_empty() && !lowered.skipped.is_empty() {
        // Nothing would be left of the client: that is a failure, not a degraded crate.
        errors.extend(lowered.skipped.iter().flat_map(|skipped| skipped.problems.iter().cloned()));
    }

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
    let mut server_problems = Vec::new();
    let servers = servers(document, &mut server_problems);
    warnings.extend(server_problems.into_iter().map(|problem| given_up(problem, "so this server is left out")));
    let mut credential_problems = Vec::new();
    let credentials = credentials(document, &env_prefix, &mut credential_problems);
    warnings.extend(
        credential_problems.into_iter().map(|problem| given_up(problem, "so the client cannot send this credential")),
    );
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut aliases = std::mem::take(&mut schemas.aliases);
    let mut skipped = lowered.skipped;
    skipped.append(&mut schemas.degraded);
    let mut operations = lowered.operations;
    let types = drop_empty_types(schemas.into_types(), &mut aliases, &mut operations);
    let error_type = shared_error_type(&operations);
    let mut api = Api {
        crate_name,
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        version: document.info.version.clone(),
        types: Vec::new(),
        aliases,
        operations,
        servers,
        credentials,
        error_type,
        env_prefix,
        skipped,
    };
    let mut types = types;
    cycles::box_recursive_fields(&mut types);
    api.types = types;
    mark_request_types(&mut api);
    Ok((api, dedup(warnings)))
}

/// A problem the generator works around, as a warning saying what it cost.
fn given_up(problem: SpecError, consequence: &str) -> SpecError {
    SpecError { message: format!("{}; {consequence}", problem.message), pointer: problem.pointer }
}

/// The warnings in order, each once (a schema lowered at every use repeats its warnings).
fn dedup(warnings: Vec<SpecError>) -> Vec<SpecError> {
    let mut seen = std::collections::HashSet::new();
    warnings.into_iter().filter(|warning| seen.insert((warning.pointer.clone(), warning.message.clone()))).collect()
}

/// Compacts the types, leaving out the empty slots (types given up on, or declared by skipped
/// operations), renumbers every reference, and turns references to a missing type into JSON.
fn drop_empty_types(slots: Vec<Option<TypeDef>>, aliases: &mut [Alias], operations: &mut [Operation]) -> Vec<TypeDef> {
    let mut next = 0;
    let renumbered: Vec<Option<TypeId>> = slots
        .iter()
        .map(|slot| {
            slot.as_ref().map(|_| {
                next += 1;
                TypeId(next - 1)
            })
        })
        .collect();
    let retarget = |value: &mut ValueType| retarget(value, &renumbered);
    let mut types: Vec<TypeDef> = slots.into_iter().flatten().collect();
    for def in &mut types {
        match &mut def.kind {
            TypeKind::Struct(object) => {
                object.fields.iter_mut().for_each(|field| retarget(&mut field.value));
                if let Extra::Typed { value, .. } = &mut object.extra {
                    retarget(value);
                }
            }
            TypeKind::Union(union) => union.variants.iter_mut().for_each(|variant| retarget(&mut variant.value)),
            TypeKind::Enum(_) => {}
        }
    }
    aliases.iter_mut().for_each(|alias| retarget(&mut alias.value));
    for operation in operations {
        operation.params_type = operation.params_type.and_then(|id| renumbered[id.0]);
        if let Some(body) = &mut operation.body {
            retarget(&mut body.value);
        }
        if let Some(ResponseBody::Json(value)) = &mut operation.response {
            retarget(value);
        }
        operation.errors.iter_mut().for_each(|error| retarget(&mut error.value));
    }
    types
}

fn retarget(value: &mut ValueType, renumbered: &[Option<TypeId>]) {
    match &mut value.shape {
        Shape::Named(id) => match renumbered[id.0] {
            Some(new) => *id = new,
            None => value.shape = Shape::Any,
        },
        Shape::Array { items, .. } => retarget(items, renumbered),
        Shape::Map { values } => retarget(values, renumbered),
        _ => {}
    }
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
    let mut names = Namespace::with_taken(["environment", "base_url", "build", "with_reqwest_client"]);
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
