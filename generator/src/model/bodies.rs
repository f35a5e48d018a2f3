//! Request and response bodies: which media type an operation's body is sent as and how it is
//! typed (JSON, a form, text or bytes), and what a successful response carries.

use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// A request body of the spec, and the operation it belongs to.
pub(super) struct BodySource<'a> {
    pub body: &'a openapiv3::RequestBody,
    /// The pointer of the request body object.
    pub pointer: &'a str,
    /// What its types are named after (the operation id as a type name).
    pub context: &'a str,
    pub operation_id: &'a str,
}

/// Lowers a request body. Of several media types, JSON wins (the first JSON type listed), then
/// the first form type, then text or bytes: a body whose media types are all text (`text/*`,
/// XML) is a `String`, any other a `Binary`, sent with the `Content-Type` the caller picks among
/// the listed ones (the first by default).
pub(super) fn lower_request_body(schemas: &mut SchemaLowering<'_>, source: &BodySource<'_>) -> Option<RequestBody> {
    let content = &source.body.content;
    if let Some((media_type, media)) = content.iter().find(|(media_type, _)| is_json(media_type)) {
        return json_request_body(schemas, source, media_type, media);
    }
    let form = content.iter().find_map(|(media_type, media)| Some((form_encoding(media_type)?, media_type, media)));
    if let Some((encoding, media_type, media)) = form {
        return form_request_body(schemas, source, encoding, media_type, media);
    }
    // `content: {}` describes no body.
    if content.is_empty() {
        return None;
    }
    raw_request_body(schemas, source)
}

/// The pointer of one media type of a body's `content`.
fn media_pointer(body_pointer: &str, media_type: &str) -> String {
    format!("{body_pointer}/content/{}", escape_pointer_token(media_type))
}

/// A JSON body: its schema's type (any JSON value without one), sent as the media type listed.
fn json_request_body(
    schemas: &mut SchemaLowering<'_>,
    source: &BodySource<'_>,
    media_type: &str,
    media: &openapiv3::MediaType,
) -> Option<RequestBody> {
    let value = match &media.schema {
        Some(schema) => {
            let pointer = format!("{}/schema", media_pointer(source.pointer, media_type));
            schemas.value_of_ref_or(schema, &pointer, &format!("{} request", source.context))
        }
        // No schema: any JSON value.
        None => ValueType { shape: Shape::Any, nullable: false },
    };
    let media_type = header_safe(schemas, media_type, source.pointer)?;
    let required = source.body.required;
    Some(RequestBody { value, required, encoding: BodyEncoding::Json, media_type, content_type: None })
}

/// A form body (`application/x-www-form-urlencoded` or `multipart/form-data`): its schema is
/// required, and a multipart body's must be an object (one part per property).
fn form_request_body(
    schemas: &mut SchemaLowering<'_>,
    source: &BodySource<'_>,
    encoding: BodyEncoding,
    media_type: &str,
    media: &openapiv3::MediaType,
) -> Option<RequestBody> {
    let media_pointer = media_pointer(source.pointer, media_type);
    let Some(schema) = &media.schema else {
        schemas.errors.push(SpecError::new(media_pointer, "a form body needs a `schema`"));
        return None;
    };
    let schema_pointer = format!("{media_pointer}/schema");
    let value = schemas.value_of_ref_or(schema, &schema_pointer, &format!("{} request", source.context));
    if encoding == BodyEncoding::Multipart && !matches!(value.shape, Shape::Named(id) if schemas.is_struct(id)) {
        schemas.errors.push(SpecError::new(
            schema_pointer,
            "a multipart/form-data body must be an object schema, one part per property",
        ));
        return None;
    }
    let media_type = media_type.to_string();
    Some(RequestBody { value, required: source.body.required, encoding, media_type, content_type: None })
}

/// A body of text or bytes: a `String` when every media type listed is text, else bytes; when
/// several media types (or a wildcard) are listed, the caller picks the `Content-Type` from an
/// enum of them.
fn raw_request_body(schemas: &mut SchemaLowering<'_>, source: &BodySource<'_>) -> Option<RequestBody> {
    let BodySource { body, pointer: body_pointer, context, operation_id } = *source;
    let mut listed = Vec::new();
    for media_type in body.content.keys() {
        listed.push(header_safe(schemas, media_type, body_pointer)?);
    }
    let (encoding, shape, fallback) = if listed.iter().all(|media_type| is_text(media_type)) {
        (BodyEncoding::Text, Shape::String(text_rules(&body.content)), "text/plain")
    } else {
        (BodyEncoding::Bytes, Shape::Binary, "application/octet-stream")
    };
    // Wildcards (`*/*`, `image/*`) are not sendable types; the caller names one.
    let mut choices: Vec<String> = listed.iter().filter(|media_type| !media_type.contains('*')).cloned().collect();
    if choices.is_empty() {
        choices.push(fallback.to_string());
    }
    let wildcard = listed.iter().any(|media_type| media_type.contains('*'));
    let content_type = (listed.len() > 1 || wildcard).then(|| {
        let doc = format!(
            "The media types the body of `{operation_id}` may be sent as (its `Content-Type`). Any other \
             type the API accepts goes in the last variant."
        );
        schemas.add_string_enum(&format!("{context} content type"), doc, &choices, format!("{body_pointer}/content"))
    });
    let media_type = choices.swap_remove(0);
    let value = ValueType { shape, nullable: false };
    Some(RequestBody { value, required: body.required, encoding, media_type, content_type })
}

/// The length and pattern rules of a text body: those of the first media type whose schema is
/// an inline `type: string` (an XML body's object schema describes the XML, not the text).
fn text_rules(content: &indexmap::IndexMap<String, openapiv3::MediaType>) -> StringRules {
    content
        .values()
        .find_map(|media| match media.schema.as_ref()?.as_item()?.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::String(ref string)) => Some(StringRules {
                min_length: string.min_length,
                max_length: string.max_length,
                pattern: string.pattern.clone(),
            }),
            _ => None,
        })
        .unwrap_or_default()
}

/// A media type that can be sent as a `Content-Type` header (visible ASCII), or an error.
fn header_safe(schemas: &mut SchemaLowering<'_>, media_type: &str, body_pointer: &str) -> Option<String> {
    if !media_type.is_empty() && media_type.bytes().all(|byte| byte == b' ' || byte == b'\t' || byte.is_ascii_graphic())
    {
        return Some(media_type.to_string());
    }
    schemas.errors.push(SpecError::new(
        format!("{body_pointer}/content"),
        "a media type must be visible ASCII text to be sent as the `Content-Type` header; fix its key",
    ));
    None
}

/// What a response's content becomes: JSON when some media type is JSON (`serde_json::Value`
/// when it has no schema), text when every media type is text, bytes otherwise; `None` when it
/// declares no content.
pub(super) fn response_body(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
    pointer: &str,
    schemas: &mut SchemaLowering<'_>,
    type_name: &str,
) -> Option<ResponseBody> {
    let first = content.keys().next()?;
    if let Some((media_type, media)) = content.iter().find(|(media_type, _)| is_json(media_type)) {
        let value = match &media.schema {
            Some(schema) => {
                let pointer = format!("{pointer}/content/{}/schema", escape_pointer_token(media_type));
                schemas.or_json(&pointer, |schemas| schemas.value_of_ref_or(schema, &pointer, type_name))
            }
            None => ValueType { shape: Shape::Any, nullable: false },
        };
        return Some(ResponseBody::Json(value));
    }
    let media_type = first.clone();
    if content.keys().all(|media_type| is_text(media_type)) {
        Some(ResponseBody::Text { media_type })
    } else {
        Some(ResponseBody::Bytes { media_type })
    }
}

/// The form encoding a media type names, if it is one.
fn form_encoding(media_type: &str) -> Option<BodyEncoding> {
    match essence(media_type).as_str() {
        "application/x-www-form-urlencoded" => Some(BodyEncoding::Form),
        "multipart/form-data" => Some(BodyEncoding::Multipart),
        _ => None,
    }
}

/// The type and subtype of a media type, lower case, without parameters.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Text the caller reads or writes as a `String`: `text/*` and XML.
fn is_text(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence.starts_with("text/") || essence == "application/xml" || essence.ends_with("+xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_classified_by_their_essence() {
        for json in ["application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"] {
            assert!(is_json(json), "{json}");
        }
        for text in ["text/plain", "text/csv; header=present", "text/*", "application/xml", "application/atom+xml"] {
            assert!(is_text(text) && !is_json(text), "{text}");
        }
        for bytes in ["application/octet-stream", "image/png", "application/pdf", "*/*", "application/x-pem-file"] {
            assert!(!is_text(bytes) && !is_json(bytes) && form_encoding(bytes).is_none(), "{bytes}");
        }
        assert_eq!(form_encoding("multipart/form-data; boundary=x"), Some(BodyEncoding::Multipart));
        assert_eq!(form_encoding("application/x-www-form-urlencoded"), Some(BodyEncoding::Form));
    }
}
