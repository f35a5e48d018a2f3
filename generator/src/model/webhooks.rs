//! Webhooks as events: the requests the API sends to the user, gathered from wherever the spec
//! describes them (OpenAPI 3.1 `webhooks` and `x-webhooks`, which `load` puts together under
//! `x-webhooks`; 3.0 `callbacks` of operations; component schemas codegen.toml names), each
//! with its payload lowered like any body, and how a receiver tells one from another.
//!
//! Events are told apart by properties whose values the payloads fix (`const`, a one-value
//! `enum`, or codegen.toml's `[webhooks.values]` where the spec leaves them open): the smallest
//! set of such properties whose values differ between every two events is the key. Without one,
//! each payload is tried in turn, with a warning.

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::bodies::{self, BodySource};
use super::naming::{self, Namespace};
use super::operations::resolve_item;
use super::schemas::SchemaLowering;
use super::*;
use crate::config::{self, Signature};
use crate::error::SpecError;
use crate::load::{component_name, escape_pointer_token, WEBHOOKS_KEY};

/// The events a crate receives, and how it tells them apart and checks their signatures.
#[derive(Debug, Clone)]
pub struct Events {
    pub events: Vec<Event>,
    pub select: EventSelect,
    /// How deliveries are signed (codegen.toml's `[webhooks.signature]`).
    pub signature: Option<Signature>,
    /// For a JWT signature, the operation that serves the keys.
    pub key_operation: Option<KeyOperation>,
}

impl Events {
    /// The order in which [`EventSelect::FirstMatch`] tries the payload types: the payload that
    /// requires the most properties first, since a payload with fewer requirements decodes more
    /// bodies (one whose properties are all optional decodes every JSON object); among equals,
    /// the spec's order.
    pub fn first_match_order<'a>(&'a self, types: &[TypeDef]) -> Vec<&'a Event> {
        let required = |event: &Event| match &event.payload.shape {
            Shape::Named(id) => match types.get(id.0).map(|def| &def.kind) {
                Some(TypeKind::Struct(object)) => object.fields.iter().filter(|field| field.required).count(),
                _ => 0,
            },
            _ => 0,
        };
        let mut order: Vec<&Event> = self.events.iter().collect();
        order.sort_by_key(|event| std::cmp::Reverse(required(event)));
        order
    }
}

/// One kind of event: a webhook, a callback or a payload schema codegen.toml names.
#[derive(Debug, Clone)]
pub struct Event {
    /// Its name in the spec: the webhook's key, the callback's name, or the schema's name.
    pub name: String,
    /// The variant of the event enum.
    pub variant: String,
    pub payload: ValueType,
    /// The values of the selecting properties, in [`EventSelect::Fields`] order.
    pub values: Vec<String>,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub source: EventSource,
}

/// Where the spec describes an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSource {
    /// OpenAPI 3.1 `webhooks`, or `x-webhooks`.
    Webhook,
    /// A callback of an operation: sent to the URL the runtime `expression` names.
    Callback { operation_id: String, expression: String },
    /// A component schema codegen.toml's `[webhooks] schemas` names.
    Schema,
}

/// How a received payload is matched to its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSelect {
    /// By the values of these properties (strings), in this order.
    Fields(Vec<String>),
    /// By trying each event's payload type in turn; the first that decodes wins.
    FirstMatch,
}

/// The operation that returns a signing key by its id, for verifying JWT signatures.
#[derive(Debug, Clone)]
pub struct KeyOperation {
    /// Index into [`Api::operations`].
    pub operation: usize,
    /// The request body's type and the Rust name of its key-id field.
    pub request: TypeId,
    pub key_id_field: String,
    /// The Rust name of the response field holding the key.
    pub key_field: String,
}

/// An event before the key is chosen: the event and the values its payload fixes.
pub(super) struct Found {
    event: Event,
    /// Property → value, for string properties the payload fixes, and codegen.toml's values.
    fixed: BTreeMap<String, String>,
}

/// Every event the document and codegen.toml describe, payloads lowered, in the order: webhooks,
/// callbacks (by path and method), named schemas. An event with no JSON payload is left out,
/// with a warning.
pub(super) fn collect(document: &OpenAPI, schemas: &mut SchemaLowering<'_>, config: &config::Webhooks) -> Vec<Found> {
    let mut found = Vec::new();
    let mut sources = Vec::new();
    if let Some(serde_json::Value::Object(hooks)) = document.extensions.get(WEBHOOKS_KEY) {
        for (name, item) in hooks {
            let pointer = format!("#/{WEBHOOKS_KEY}/{}", escape_pointer_token(name));
            match serde_json::from_value::<openapiv3::PathItem>(item.clone()) {
                Ok(item) => sources.push((name.clone(), pointer, item, EventSource::Webhook)),
                Err(error) => schemas.warnings.push(SpecError::new(
                    pointer,
                    format!("this webhook is not a valid path item ({error}); it was left out of the events"),
                )),
            }
        }
    }
    for (path, item) in &document.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let operation_pointer = format!("#/paths/{}/{method}", escape_pointer_token(path));
            for (name, callback) in &operation.callbacks {
                for (expression, item) in callback {
                    let pointer = format!(
                        "{operation_pointer}/callbacks/{}/{}",
                        escape_pointer_token(name),
                        escape_pointer_token(expression)
                    );
                    let operation_id = operation.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                    let source = EventSource::Callback { operation_id, expression: expression.clone() };
                    sources.push((name.clone(), pointer, item.clone(), source));
                }
            }
        }
    }
    for (name, pointer, item, source) in sources {
        for (method, operation) in item.iter() {
            let pointer = format!("{pointer}/{method}");
            let errors = schemas.errors.len();
            let event = from_operation(document, schemas, &name, operation, &pointer, source.clone());
            // What cannot be read (a body `$ref` that does not resolve) costs the event only.
            for problem in schemas.errors.split_off(errors) {
                let message = format!("{}; so the webhook `{name}` is left out of the events", problem.message);
                schemas.warnings.push(SpecError::new(problem.pointer, message));
            }
            found.extend(event);
        }
    }
    for name in &config.schemas {
        match from_schema(schemas, name) {
            Some(event) => found.push(event),
            None => schemas.warnings.push(SpecError::new(
                "#/components/schemas",
                format!("codegen.toml [webhooks] schemas names `{name}`, which is not a component schema of the spec"),
            )),
        }
    }
    for event in &mut found {
        let names = [Some(event.event.name.as_str()), event.fixed.get(SCHEMA_NAME).map(String::as_str)];
        let configured = names.into_iter().flatten().find_map(|name| config.values.get(name));
        if let Some(values) = configured {
            event.fixed.extend(config.select.iter().cloned().zip(values.iter().cloned()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|event| seen.insert(event.event.name.clone()));
    found
}

/// The key under which [`Found::fixed`] remembers the payload's component schema (not a
/// property: property names never start with a space).
const SCHEMA_NAME: &str = " schema";

/// The event a webhook or callback operation describes: its request body's JSON schema, or, for
/// specs that put it there, its first successful response's.
fn from_operation(
    document: &OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    name: &str,
    operation: &openapiv3::Operation,
    pointer: &str,
    source: EventSource,
) -> Option<Found> {
    let context = format!("{name} webhook");
    let (schema, schema_pointer) = match &operation.request_body {
        Some(body) => {
            let body_pointer = format!("{pointer}/requestBody");
            let section = document.components.as_ref().map(|c| &c.request_bodies);
            let body = resolve_item(body, section, "requestBodies", &body_pointer, schemas)?;
            let Some((media_type, media)) = body.content.iter().find(|(media, _)| bodies::is_json(media)) else {
                let lowered = {
                    let source = BodySource { body, pointer: &body_pointer, context: &context, operation_id: name };
                    bodies::lower_request_body(schemas, &source)
                };
                let what = if lowered.is_some() { "is not JSON" } else { "is empty" };
                schemas.warnings.push(SpecError::new(
                    body_pointer,
                    format!(
                        "this webhook's payload {what}; it was left out of the events (a receiver reads it as bytes)"
                    ),
                ));
                return None;
            };
            let schema_pointer = format!("{body_pointer}/content/{}/schema", escape_pointer_token(media_type));
            (media.schema.clone(), schema_pointer)
        }
        None => response_payload(operation, pointer, schemas)?,
    };
    let Some(schema) = schema else {
        schemas.warnings.push(SpecError::new(
            schema_pointer,
            "this webhook's payload has no schema; the event keeps it as JSON".to_string(),
        ));
        return Some(Found {
            event: event(name, pointer, operation, source, ValueType { shape: Shape::Any, nullable: false }),
            fixed: BTreeMap::new(),
        });
    };
    let payload =
        schemas.or_json(&schema_pointer, |schemas| schemas.value_of_ref_or(&schema, &schema_pointer, &context));
    let mut fixed = fixed_values(&schema, schemas.components(), 0);
    if let ReferenceOr::Reference { reference } = &schema {
        if let Some(component) = component_name(reference, "schemas") {
            fixed.insert(SCHEMA_NAME.to_string(), component.into_owned());
        }
    }
    Some(Found { event: event(name, pointer, operation, source, payload), fixed })
}

/// The payload of a webhook that declares no request body but a JSON response (some 3.0
/// `x-webhooks` describe the delivery that way), with a warning.
fn response_payload(
    operation: &openapiv3::Operation,
    pointer: &str,
    schemas: &mut SchemaLowering<'_>,
) -> Option<(Option<ReferenceOr<Schema>>, String)> {
    let found = operation.responses.responses.iter().find_map(|(status, response)| {
        let response = response.as_item()?;
        let (media_type, media) = response.content.iter().find(|(media, _)| bodies::is_json(media))?;
        let status = status.to_string();
        status.starts_with('2').then(|| (status, media_type.clone(), media.schema.clone()))
    });
    let Some((status, media_type, schema)) = found else {
        schemas.warnings.push(SpecError::new(
            pointer,
            "this webhook declares no request body; it was left out of the events (add a `requestBody` with its JSON payload)",
        ));
        return None;
    };
    let schema_pointer = format!("{pointer}/responses/{status}/content/{}/schema", escape_pointer_token(&media_type));
    schemas.warnings.push(SpecError::new(
        &schema_pointer,
        "this webhook declares no request body, so its JSON response is read as the payload; a webhook's payload belongs in `requestBody`",
    ));
    Some((schema, schema_pointer))
}

fn event(
    name: &str,
    pointer: &str,
    operation: &openapiv3::Operation,
    source: EventSource,
    payload: ValueType,
) -> Event {
    Event {
        name: name.to_string(),
        variant: String::new(),
        payload,
        values: Vec::new(),
        pointer: pointer.to_string(),
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        deprecated: operation.deprecated,
        source,
    }
}

/// The event of a component schema codegen.toml names as a payload.
fn from_schema(schemas: &mut SchemaLowering<'_>, name: &str) -> Option<Found> {
    let pointer = format!("#/components/schemas/{}", escape_pointer_token(name));
    let schema = ReferenceOr::Reference { reference: pointer.clone() };
    let component = schemas.components().get(name)?;
    let (description, deprecated) = match component.as_item() {
        Some(schema) => (schema.schema_data.description.clone(), schema.schema_data.deprecated),
        None => (None, false),
    };
    let payload = schemas.or_json(&pointer, |schemas| schemas.value_of_ref_or(&schema, &pointer, name));
    let mut fixed = fixed_values(&schema, schemas.components(), 0);
    fixed.insert(SCHEMA_NAME.to_string(), name.to_string());
    let event = Event {
        name: name.to_string(),
        variant: String::new(),
        payload,
        values: Vec::new(),
        pointer,
        summary: None,
        description,
        deprecated,
        source: EventSource::Schema,
    };
    Some(Found { event, fixed })
}

/// The string properties a schema fixes to one value (`const`, or an `enum` of one), through
/// `$ref`s and `allOf`.
fn fixed_values(
    schema: &ReferenceOr<Schema>,
    components: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
    depth: usize,
) -> BTreeMap<String, String> {
    let mut fixed = BTreeMap::new();
    let Some(schema) = resolve_schema(schema, components, depth) else { return fixed };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for (property, value) in &object.properties {
                let value = value.clone().unbox();
                if let Some(only) = resolve_schema(&value, components, depth + 1).and_then(single_string) {
                    fixed.insert(property.clone(), only);
                }
            }
        }
        SchemaKind::AllOf { all_of } => {
            for member in all_of {
                fixed.extend(fixed_values(member, components, depth + 1));
            }
        }
        _ => {}
    }
    fixed
}

/// The schema itself, or the component its `$ref` names (at most a few levels deep).
fn resolve_schema<'s>(
    schema: &'s ReferenceOr<Schema>,
    components: &'s indexmap::IndexMap<String, ReferenceOr<Schema>>,
    depth: usize,
) -> Option<&'s Schema> {
    const DEEPEST: usize = 8;
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } if depth < DEEPEST => {
            let name = component_name(reference, "schemas")?;
            resolve_schema(components.get(name.as_ref())?, components, depth + 1)
        }
        ReferenceOr::Reference { .. } => None,
    }
}

/// The one string value a schema allows, if it allows exactly one.
fn single_string(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(only)] => Some(only.clone()),
            _ => None,
        },
        SchemaKind::Any(any) => match any.enumeration.as_slice() {
            [serde_json::Value::String(only)] => Some(only.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Chooses how events are told apart and names their variants; `None` without events.
pub(super) fn decide(found: Vec<Found>, config: &config::Webhooks, warnings: &mut Vec<SpecError>) -> Option<Events> {
    if found.is_empty() {
        return None;
    }
    let select = choose_select(&found, config, warnings);
    let mut variants = Namespace::with_taken([UNKNOWN_VARIANT]);
    let events = found
        .into_iter()
        .map(|Found { mut event, fixed }| {
            event.variant = variants.claim(naming::variant_name(&event.name));
            if let EventSelect::Fields(fields) = &select {
                event.values = fields.iter().filter_map(|field| fixed.get(field).cloned()).collect();
            }
            event
        })
        .collect();
    Some(Events { events, select, signature: config.signature.clone(), key_operation: None })
}

/// The catch-all variant: an event of a kind the spec does not describe.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// codegen.toml's `select` when it names one; else the smallest set (of up to three) of the
/// properties every event fixes whose values tell every two events apart; else trying each.
fn choose_select(found: &[Found], config: &config::Webhooks, warnings: &mut Vec<SpecError>) -> EventSelect {
    let tuple = |event: &Found, fields: &[String]| -> Option<Vec<String>> {
        fields.iter().map(|field| event.fixed.get(field).cloned()).collect()
    };
    if !config.select.is_empty() {
        let mut seen: BTreeMap<Vec<String>, &str> = BTreeMap::new();
        for event in found {
            match tuple(event, &config.select) {
                None => warnings.push(SpecError::new(
                    &event.event.pointer,
                    format!(
                        "the payload of `{}` fixes no value for every property of [webhooks] select ({}); it is never picked when parsing. Give its values under [webhooks.values] in codegen.toml",
                        event.event.name,
                        config.select.join(", ")
                    ),
                )),
                Some(values) => {
                    if let Some(first) = seen.insert(values, &event.event.name) {
                        warnings.push(SpecError::new(
                            &event.event.pointer,
                            format!("`{}` has the same values of [webhooks] select as `{first}`; `{first}` is picked first", event.event.name),
                        ));
                    }
                }
            }
        }
        return EventSelect::Fields(config.select.clone());
    }
    let candidates: Vec<String> = found[0]
        .fixed
        .keys()
        .filter(|field| *field != SCHEMA_NAME && found.iter().all(|event| event.fixed.contains_key(*field)))
        .cloned()
        .collect();
    for size in 1..=candidates.len().min(3) {
        for fields in subsets(&candidates, size) {
            let mut tuples: Vec<Vec<String>> = found.iter().filter_map(|event| tuple(event, &fields)).collect();
            tuples.sort();
            tuples.dedup();
            if tuples.len() == found.len() {
                return EventSelect::Fields(fields);
            }
        }
    }
    if found.len() > 1 {
        warnings.push(SpecError::new(
            &found[0].event.pointer,
            "no property fixed by every webhook payload (`const` or a one-value `enum`) tells the events apart, so parsing tries each payload type in turn, the one that requires the most properties first, and the first that decodes wins; name the properties and their values under [webhooks] select and [webhooks.values] in codegen.toml",
        ));
    }
    EventSelect::FirstMatch
}

/// Every `size`-element subset of `items`, in order.
fn subsets(items: &[String], size: usize) -> Vec<Vec<String>> {
    if size == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for (at, item) in items.iter().enumerate() {
        for mut rest in subsets(&items[at + 1..], size - 1) {
            rest.insert(0, item.clone());
            all.push(rest);
        }
    }
    all
}

/// Finds the operation a JWT signature's keys come from, and its request and response fields;
/// a mismatch is a warning and leaves verification out.
pub(super) fn link_key_operation(api: &mut Api, warnings: &mut Vec<SpecError>) {
    let Some(events) = &api.events else { return };
    let Some(Signature::Jwt(jwt)) = &events.signature else { return };
    let found = find_key_operation(api, jwt);
    let Some(events) = api.events.as_mut() else { return };
    match found {
        Ok(key) => events.key_operation = Some(key),
        Err(problem) => {
            warnings.push(SpecError::new(
                "#/paths",
                format!(
                    "codegen.toml [webhooks.signature]: {problem}; the crate parses events but does not verify them"
                ),
            ));
            events.signature = None;
        }
    }
}

fn find_key_operation(api: &Api, jwt: &config::JwtSignature) -> Result<KeyOperation, String> {
    let wanted = &jwt.key_operation;
    let operation = api
        .operations
        .iter()
        .position(|operation| operation.operation_id == *wanted)
        .ok_or_else(|| format!("no operation has the id `{wanted}` (key-operation)"))?;
    let struct_of = |value: Option<&ValueType>| match value.map(|value| &value.shape) {
        Some(Shape::Named(id)) => match &api.types[id.0].kind {
            TypeKind::Struct(object) => Some((*id, object)),
            _ => None,
        },
        _ => None,
    };
    let found = &api.operations[operation];
    let (request, body) = struct_of(found.body.as_ref().map(|body| &body.value))
        .ok_or_else(|| format!("`{wanted}` takes no JSON object to put the key id in"))?;
    let field = |object: &Struct, wire: &str| {
        object.fields.iter().find(|field| field.wire_name == wire).map(|field| field.rust_name.clone())
    };
    let key_id_field = field(body, &jwt.key_id_field)
        .ok_or_else(|| format!("`{wanted}`'s request has no property `{}` (key-id-field)", jwt.key_id_field))?;
    let response = match &found.response {
        Some(ResponseBody::Json(value)) => struct_of(Some(value)),
        _ => None,
    };
    let (_, response) = response.ok_or_else(|| format!("`{wanted}` returns no JSON object holding a key"))?;
    let key_field = field(response, &jwt.key_field)
        .ok_or_else(|| format!("`{wanted}`'s response has no property `{}` (key-field)", jwt.key_field))?;
    Ok(KeyOperation { operation, request, key_id_field, key_field })
}

#[cfg(test)]
#[path = "webhooks_tests.rs"]
mod tests;
