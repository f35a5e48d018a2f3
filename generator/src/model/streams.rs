//! Successful responses that arrive as a stream of items: server-sent events, JSON lines and
//! JSON text sequences. What one item is comes, in order, from codegen.toml's `[streams]`, the
//! media type's `itemSchema` (OpenAPI 3.2), the schema on the streaming media type, or nothing
//! (raw events; JSON values for lines).
//!
//! A schema for `text/event-stream` may describe the event rather than its data: an object
//! whose properties are the event's fields (`data`, `event`, `id`, `retry`), or a `oneOf` of
//! such objects. The item is then the type of `data`, and a variant whose `data` is a single
//! string (`[DONE]`) is the stream's end, not an item.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::{component_name, escape_pointer_token, ITEM_SCHEMA_KEY};

/// The fields of a server-sent event.
const EVENT_FIELDS: [&str; 4] = ["data", "event", "id", "retry"];

/// How a media type's body is cut into items, when it is a stream.
pub fn framing(media_type: &str) -> Option<StreamFraming> {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(StreamFraming::Sse),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(StreamFraming::JsonLines),
        "application/json-seq" => Some(StreamFraming::JsonSeq),
        _ => None,
    }
}

/// Where the streamed response is read from: its content and pointer, and the operation.
pub(super) struct StreamSite<'s> {
    pub content: &'s indexmap::IndexMap<String, openapiv3::MediaType>,
    /// The response's pointer.
    pub pointer: &'s str,
    pub operation_id: &'s str,
    /// The name inline item types are named after.
    pub context: &'s str,
}

/// The streamed success a response's content describes, if one of its media types is a stream.
pub(super) fn stream_response(schemas: &mut SchemaLowering<'_>, site: &StreamSite<'_>) -> Option<StreamResponse> {
    let (media_type, media) = site.content.iter().find(|(media_type, _)| framing(media_type).is_some())?;
    let framing = framing(media_type)?;
    let settings = schemas.config().streams.get(site.operation_id);
    let media_pointer = format!("{}/content/{}", site.pointer, escape_pointer_token(media_type));
    let context = format!("{} stream item", site.context);
    let mut terminator = None;
    let named = settings.and_then(|settings| settings.item.as_deref());
    let item_schema = item_schema(schemas, media, &media_pointer);
    let item = match (named, item_schema, &media.schema) {
        (Some(name), _, _) => named_item(schemas, name, &media_pointer, site.operation_id),
        (None, Some(item), _) => {
            let pointer = format!("{media_pointer}/{ITEM_SCHEMA_KEY}");
            Some(schemas.or_json(&pointer, |schemas| schemas.value_of_ref_or(&item, &pointer, &context)))
        }
        (None, None, Some(schema)) => {
            let pointer = format!("{media_pointer}/schema");
            match framing {
                StreamFraming::Sse => event_data(schemas, schema, &pointer, &context, &mut terminator),
                StreamFraming::JsonLines | StreamFraming::JsonSeq => {
                    Some(line_item(schemas, schema, &pointer, &context))
                }
            }
        }
        (None, None, None) => None,
    };
    let item = match (item, framing) {
        (None, StreamFraming::JsonLines | StreamFraming::JsonSeq) => {
            Some(ValueType { shape: Shape::Any, nullable: false })
        }
        (item, _) => item,
    };
    if let Some(configured) = settings.and_then(|settings| settings.terminator.clone()) {
        terminator = Some(configured);
    }
    Some(StreamResponse {
        method_name: String::new(),
        framing,
        media_type: media_type.clone(),
        item,
        terminator,
        flag: None,
    })
}

/// The media type's item schema (OpenAPI 3.2's `itemSchema`, which loading keeps as
/// `x-item-schema`); one that is not a schema is a warning.
fn item_schema(
    schemas: &mut SchemaLowering<'_>,
    media: &openapiv3::MediaType,
    pointer: &str,
) -> Option<ReferenceOr<Schema>> {
    let value = media.extensions.get(ITEM_SCHEMA_KEY)?;
    match serde_json::from_value(value.clone()) {
        Ok(schema) => Some(schema),
        Err(error) => {
            schemas.warnings.push(SpecError::new(
                format!("{pointer}/{ITEM_SCHEMA_KEY}"),
                format!("this item schema is not a valid schema ({error}); the stream's items are read as the media type's `schema` says"),
            ));
            None
        }
    }
}

/// The component schema codegen.toml names as the item; a name the spec lacks is a warning.
fn named_item(schemas: &mut SchemaLowering<'_>, name: &str, pointer: &str, operation_id: &str) -> Option<ValueType> {
    if !schemas.components().contains_key(name) {
        schemas.warnings.push(SpecError::new(
            pointer,
            format!("codegen.toml's [streams.{operation_id}] item names `{name}`, which is not a component schema of the spec; the stream's items are left untyped"),
        ));
        return None;
    }
    let reference =
        ReferenceOr::Reference { reference: format!("#/components/schemas/{}", escape_pointer_token(name)) };
    Some(schemas.or_json(pointer, |schemas| schemas.value_of_ref_or(&reference, pointer, name)))
}

/// One JSON line's type: the items of an array schema (a stream described as the array it
/// adds up to), else the schema itself.
fn line_item(
    schemas: &mut SchemaLowering<'_>,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
    context: &str,
) -> ValueType {
    if let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Array(array)), .. }) = schema {
        if let Some(items) = &array.items {
            let pointer = format!("{pointer}/items");
            return schemas.or_json(&pointer, |schemas| schemas.value_of_boxed(items, &pointer, context));
        }
    }
    schemas.or_json(pointer, |schemas| schemas.value_of_ref_or(schema, pointer, context))
}

/// The type of an event's data: of the `data` property when the schema describes the event,
/// else the schema itself. Sets `terminator` from a variant whose `data` is one string.
fn event_data(
    schemas: &mut SchemaLowering<'_>,
    schema: &ReferenceOr<Schema>,
    pointer: &str,
    context: &str,
    terminator: &mut Option<String>,
) -> Option<ValueType> {
    let components = schemas.components();
    let Some((resolved, at)) = resolve(schema, pointer, components) else {
        return Some(schemas.or_json(pointer, |schemas| schemas.value_of_ref_or(schema, pointer, context)));
    };
    let variants: Vec<(&ReferenceOr<Schema>, String)> = match &resolved.schema_kind {
        SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list } => {
            let key = if matches!(resolved.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
            list.iter().enumerate().map(|(index, variant)| (variant, format!("{at}/{key}/{index}"))).collect()
        }
        _ => vec![(schema, pointer.to_string())],
    };
    let mut data = Vec::new();
    for (variant, variant_pointer) in &variants {
        let (event, event_pointer) = resolve(variant, variant_pointer, components)?;
        let Some(field) = event_data_field(event) else {
            // Not the shape of an event: the schema describes the data itself.
            return Some(schemas.or_json(pointer, |schemas| schemas.value_of_ref_or(schema, pointer, context)));
        };
        match single_string(field, components) {
            Some(end) => *terminator = Some(end),
            None => data.push((field, format!("{event_pointer}/properties/data"))),
        }
    }
    match data.as_slice() {
        [(field, field_pointer)] => {
            Some(schemas.or_json(field_pointer, |schemas| schemas.value_of_boxed(field, field_pointer, context)))
        }
        [] => None,
        _ => {
            schemas.warnings.push(SpecError::new(
                pointer,
                "the events of this stream carry data of several types; items are handed over as raw events. Name the item's schema under [streams.<operationId>] item in codegen.toml",
            ));
            None
        }
    }
}

/// The `data` property of an object schema whose properties are all fields of an event.
fn event_data_field(schema: &Schema) -> Option<&ReferenceOr<Box<Schema>>> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    let all_event_fields = object.properties.keys().all(|name| EVENT_FIELDS.contains(&name.as_str()));
    if !all_event_fields {
        return None;
    }
    object.properties.get("data")
}

/// The one string a schema allows, if it allows exactly one.
fn single_string(
    schema: &ReferenceOr<Box<Schema>>,
    components: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
) -> Option<String> {
    let schema = match schema {
        ReferenceOr::Item(schema) => schema.as_ref(),
        ReferenceOr::Reference { reference } => {
            components.get(component_name(reference, "schemas")?.as_ref())?.as_item()?
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(only)] => Some(only.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The schema itself or the component it names (one level), with its pointer.
fn resolve<'s>(
    schema: &'s ReferenceOr<Schema>,
    pointer: &str,
    components: &'s indexmap::IndexMap<String, ReferenceOr<Schema>>,
) -> Option<(&'s Schema, String)> {
    match schema {
        ReferenceOr::Item(schema) => Some((schema, pointer.to_string())),
        ReferenceOr::Reference { reference } => {
            let name = component_name(reference, "schemas")?;
            let schema = components.get(name.as_ref())?.as_item()?;
            Some((schema, format!("#/components/schemas/{}", escape_pointer_token(&name))))
        }
    }
}

/// Decides, once types are final, which request property asks for the stream of an operation
/// that answers JSON too: codegen.toml's `flag`, else a boolean property named `stream`.
pub(super) fn link_flags(api: &mut Api, config: &crate::config::Config, warnings: &mut Vec<SpecError>) {
    for index in 0..api.operations.len() {
        let operation = &api.operations[index];
        let (Some(_), Some(ResponseBody::Json(_))) = (&operation.stream, &operation.response) else { continue };
        let wanted = match config.streams.get(&operation.operation_id).and_then(|settings| settings.flag.clone()) {
            Some(crate::config::StreamFlagSetting::Off(_)) => continue,
            Some(crate::config::StreamFlagSetting::Property(name)) => Some(name),
            None => None,
        };
        let field = body_fields(api, operation).and_then(|fields| match &wanted {
            Some(name) => fields.iter().find(|field| &field.wire_name == name),
            None => fields.iter().find(|field| field.wire_name == "stream" && field.value.shape == Shape::Boolean),
        });
        let flag =
            field.map(|field| StreamFlag { wire_name: field.wire_name.clone(), rust_name: field.rust_name.clone() });
        if let (Some(name), None) = (&wanted, &flag) {
            warnings.push(SpecError::new(
                &operation.pointer,
                format!("codegen.toml's [streams.{}] flag names `{name}`, which the JSON request body does not have; the stream is asked for by its `Accept` header only", operation.operation_id),
            ));
        }
        if let Some(stream) = &mut api.operations[index].stream {
            stream.flag = flag;
        }
    }
}

/// The fields of an operation's JSON request body, when it is a struct.
fn body_fields<'a>(api: &'a Api, operation: &Operation) -> Option<&'a [Field]> {
    let body = operation.body.as_ref().filter(|body| body.encoding == BodyEncoding::Json)?;
    let Shape::Named(id) = body.value.shape else { return None };
    match &api.types.get(id.0)?.kind {
        TypeKind::Struct(object) => Some(&object.fields),
        _ => None,
    }
}

#[cfg(test)]
#[path = "streams_tests.rs"]
mod tests;
