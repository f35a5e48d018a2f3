//! The entry point of the model phase: the whole document in, an [`Api`] (or every problem
//! found) out.

use openapiv3::OpenAPI;

use super::naming::Namespace;
use super::operations::lower_operations;
use super::schemas::{serde_markers, SchemaLowering};
use super::*;
use super::{names, security, streams, validation, webhooks};
use crate::config::{Config, EVERY_SCHEMA};
use crate::error::SpecError;

/// Lowers a document, like [`lower_with_warnings`], dropping the warnings.
pub fn lower(document: &OpenAPI, crate_name: Option<&str>) -> Result<Api, Vec<SpecError>> {
    lower_with_warnings(document, crate_name).map(|(api, _)| api)
}

/// Lowers a document without a config, like [`lower_with_config`].
pub fn lower_with_warnings(
    document: &OpenAPI,
    crate_name: Option<&str>,
) -> Result<(Api, Vec<SpecError>), Vec<SpecError>> {
    lower_with_config(document, crate_name, &Config::default())
}

/// Lowers a document. `crate_name` overrides the spec's `x-crate-name`; `config` maps values to
/// Rust types of the user's choosing, adds derives, and gives the package's metadata.
///
/// What cannot be expressed degrades instead of failing: an operation is left out, a schema is
/// typed as JSON, and each such loss is a warning (returned next to the model, and listed in
/// [`Api::skipped`]). Only problems with the document as a whole fail, and then every problem
/// found is returned, not just the first.
pub fn lower_with_config(
    document: &OpenAPI,
    crate_name: Option<&str>,
    config: &Config,
) -> Result<(Api, Vec<SpecError>), Vec<SpecError>> {
    let empty = indexmap::IndexMap::new();
    let components = document.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut schemas = SchemaLowering::new(components, config);
    schemas.lower_components();
    let lowered = lower_operations(document, &mut schemas);
    let found_events = webhooks::collect(document, &mut schemas, &config.webhooks);
    let mut errors = std::mem::take(&mut schemas.errors);
    let mut warnings = std::mem::take(&mut schemas.warnings);
    if lowered.operations.is_empty() && !lowered.skipped.is_empty() {
        // Nothing would be left of the client: that is a failure, not a degraded crate.
        errors.extend(lowered.skipped.iter().flat_map(|skipped| skipped.problems.iter().cloned()));
    }

    let crate_name = decide_crate_name(document, crate_name, &mut errors);
    let env_prefix = decide_env_prefix(document, &crate_name, &mut errors);
    let servers = security::servers(document, &mut warnings);
    let credentials = security::credentials(document, &mut warnings);
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut aliases = std::mem::take(&mut schemas.aliases);
    let mut skipped = lowered.skipped;
    skipped.append(&mut schemas.degraded);
    let mut operations = lowered.operations;
    let mut events = webhooks::decide(found_events, &config.webhooks, &mut warnings);
    let types = drop_empty_types(schemas.into_types(), &mut aliases, &mut operations, events.as_mut());
    let error_type = shared_error_type(&operations);
    let mut api = Api {
        crate_name,
        library_name: String::new(),
        title: document.info.title.clone(),
        description: document.info.description.clone(),
        version: document.info.version.clone(),
        types: Vec::new(),
        validated: Vec::new(),
        aliases,
        operations,
        servers,
        credentials,
        error_type,
        env_prefix,
        env_vars: EnvVars::default(),
        operation_names: Vec::new(),
        api_error_variants: Vec::new(),
        skipped,
        package: config.package.clone(),
        dependencies: config.dependencies.clone(),
        areas: None,
        events,
        serde_markers: Vec::new(),
        derived_deserialize: false,
    };
    let mut types = types;
    cycles::box_recursive_fields(&mut types);
    add_derives(&mut types, &config.derives);
    api.types = types;
    mark_request_types(&mut api);
    validation::mark_validated(&mut api);
    name_builders(&mut api);
    let (markers, marker_warnings) = serde_markers(&api);
    api.serde_markers = markers;
    warnings.extend(marker_warnings);
    security::mark_required(&mut api);
    security::warn_unused(&api, &mut warnings);
    api.areas = areas::areas(&api);
    pagination::detect(&mut api, document, &config.pagination, &mut warnings);
    // Before names: whether a request property asks for the stream decides the CLI's flags.
    streams::link_flags(&mut api, config, &mut warnings);
    names::decide(&mut api);
    webhooks::link_key_operation(&mut api, &mut warnings);
    Ok((api, dedup(warnings)))
}

/// The warnings in order, each once (a schema lowered at every use repeats its warnings).
fn dedup(warnings: Vec<SpecError>) -> Vec<SpecError> {
    let mut seen = std::collections::HashSet::new();
    warnings.into_iter().filter(|warning| seen.insert((warning.pointer.clone(), warning.message.clone()))).collect()
}

/// Compacts the types, leaving out the empty slots (types given up on, or declared by skipped
/// operations), renumbers every reference, and turns references to a missing type into JSON.
fn drop_empty_types(
    slots: Vec<Option<TypeDef>>,
    aliases: &mut [Alias],
    operations: &mut [Operation],
    events: Option<&mut webhooks::Events>,
) -> Vec<TypeDef> {
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
            body.content_type = body.content_type.and_then(|id| renumbered[id.0]);
        }
        if let Some(ResponseBody::Json(value)) = &mut operation.response {
            retarget(value);
        }
        if let Some(item) = operation.stream.as_mut().and_then(|stream| stream.item.as_mut()) {
            retarget(item);
        }
        operation.errors.iter_mut().for_each(|error| retarget(&mut error.value));
    }
    for event in events.into_iter().flat_map(|events| &mut events.events) {
        retarget(&mut event.payload);
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
        Shape::Tuple(items) => items.iter_mut().for_each(|item| retarget(item, renumbered)),
        _ => {}
    }
}

/// Gives every type the derives the config asks for: those for every schema (`*`), then those
/// for the component schema it is or is nested in (an inline type must implement what its
/// parent derives). Each derive once, by name.
fn add_derives(types: &mut [TypeDef], derives: &BTreeMap<String, Vec<DerivePath>>) {
    for def in types {
        for (schema, wanted) in derives {
            let applies = schema == EVERY_SCHEMA || def.component().is_some_and(|origin| origin.name == *schema);
            for derive in wanted.iter().filter(|_| applies) {
                if !def.derives.iter().any(|known| known.name() == derive.name()) {
                    def.derives.push(derive.clone());
                }
            }
        }
    }
}

/// Names the builder of every struct, in the same namespace as the types: a schema that is
/// already called `FooBuilder` keeps its name, and `Foo`'s builder becomes `FooBuilder2`.
fn name_builders(api: &mut Api) {
    let taken: Vec<String> = api
        .types
        .iter()
        .map(|def| def.name.clone())
        .chain(api.aliases.iter().map(|alias| alias.name.clone()))
        .collect();
    let mut names = Namespace::with_taken(taken.iter().map(String::as_str));
    for def in &mut api.types {
        if matches!(def.kind, TypeKind::Struct(_)) {
            def.builder_name = Some(names.claim(format!("{}Builder", def.name)));
        }
    }
}

/// The package name: `--crate-name`, else the spec's `x-crate-name`, else one made from the
/// title. A name the user chose that is not valid is an error.
fn decide_crate_name(document: &OpenAPI, crate_name: Option<&str>, errors: &mut Vec<SpecError>) -> String {
    match crate_name {
        Some(name) => explicit_crate_name(name, "--crate-name", "#/info", errors),
        None => match document.info.extensions.get("x-crate-name") {
            Some(name) => match name.as_str() {
                Some(name) => explicit_crate_name(name, "`x-crate-name`", "#/info/x-crate-name", errors),
                None => {
                    errors.push(SpecError::new("#/info/x-crate-name", "`x-crate-name` must be a string"));
                    String::new()
                }
            },
            None => naming::crate_name_from_title(&document.info.title),
        },
    }
}

/// The prefix of the environment variables: the spec's `x-env-prefix`, else the crate name in
/// upper case. One that cannot start a variable name is an error.
fn decide_env_prefix(document: &OpenAPI, crate_name: &str, errors: &mut Vec<SpecError>) -> String {
    let env_prefix = match document.info.extensions.get("x-env-prefix").and_then(|v| v.as_str()) {
        Some(prefix) => prefix.to_string(),
        None => naming::env_prefix(crate_name),
    };
    if env_prefix.is_empty() || !env_prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        errors.push(SpecError::new(
            "#/info/x-env-prefix",
            format!("`{env_prefix}` cannot start an environment variable name; use letters, digits and `_`"),
        ));
    }
    env_prefix
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

/// Marks every type reachable from a request (those get validation), every type reachable
/// from a response, and every type reachable from a schema neither reaches.
fn mark_request_types(api: &mut Api) {
    let mut sent: Vec<TypeId> = Vec::new();
    let mut received: Vec<TypeId> = Vec::new();
    for operation in &api.operations {
        if let Some(body) = &operation.body {
            body.value.collect_named(&mut sent);
        }
        sent.extend(operation.params_type);
        if let Some(ResponseBody::Json(value)) = &operation.response {
            value.collect_named(&mut received);
        }
        if let Some(item) = operation.stream.as_ref().and_then(|stream| stream.item.as_ref()) {
            item.collect_named(&mut received);
        }
        for error in &operation.errors {
            error.value.collect_named(&mut received);
        }
    }
    for event in api.events.iter().flat_map(|events| &events.events) {
        event.payload.collect_named(&mut received);
    }
    let in_request = reachable(&api.types, sent);
    let in_response = reachable(&api.types, received);
    for ((def, sent), received) in api.types.iter_mut().zip(in_request).zip(in_response) {
        def.in_request |= sent;
        def.in_response |= received;
    }
    let unused: Vec<TypeId> = (0..api.types.len())
        .map(TypeId)
        .filter(|id| !api.types[id.0].in_request && !api.types[id.0].in_response)
        .collect();
    let in_unused = reachable(&api.types, unused);
    for (def, reached) in api.types.iter_mut().zip(in_unused) {
        def.in_unused |= reached;
    }
}

/// Which types `roots` reach, by index.
fn reachable(types: &[TypeDef], roots: Vec<TypeId>) -> Vec<bool> {
    let mut reached = vec![false; types.len()];
    visit_reachable(types, roots, &mut |id| !std::mem::replace(&mut reached[id.0], true));
    reached
}
