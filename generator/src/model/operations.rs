//! Lowering of paths and operations into [`Operation`]s.

use openapiv3::{OpenAPI, Operation as SpecOperation, ReferenceOr, StatusCode};

use super::naming::{self, Namespace};
use super::parameters::{self, LoweredParameters, OperationParameters};
use super::schemas::{Mark, SchemaLowering};
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

pub(super) struct Lowered {
    pub operations: Vec<Operation>,
    /// Operations left out because something in them cannot be expressed.
    pub skipped: Vec<Skipped>,
}

pub(super) fn lower_operations(document: &OpenAPI, schemas: &mut SchemaLowering<'_>) -> Lowered {
    let mut names = Namespace::with_taken(naming::CLIENT_METHODS.iter().copied());
    let mut lowered = Lowered { operations: Vec::new(), skipped: Vec::new() };
    for (path, item) in &document.paths.paths {
        let path_pointer = format!("#/paths/{}", escape_pointer_token(path));
        let ReferenceOr::Item(item) = item else {
            skip_path_reference(schemas, path, path_pointer, &mut lowered.skipped);
            continue;
        };
        let methods = [
            ("get", HttpMethod::Get, &item.get),
            ("put", HttpMethod::Put, &item.put),
            ("post", HttpMethod::Post, &item.post),
            ("delete", HttpMethod::Delete, &item.delete),
            ("options", HttpMethod::Options, &item.options),
            ("head", HttpMethod::Head, &item.head),
            ("patch", HttpMethod::Patch, &item.patch),
            ("trace", HttpMethod::Trace, &item.trace),
        ];
        for (key, method, operation) in methods {
            let Some(operation) = operation else { continue };
            let source = OperationSource {
                path,
                path_parameters: &item.parameters,
                method,
                operation,
                pointer: format!("{path_pointer}/{key}"),
            };
            let mark = schemas.mark();
            let errors_before = schemas.errors.len();
            let operation = lower_operation(document, schemas, &mut names, source);
            if schemas.errors.len() > errors_before {
                skip(schemas, operation, mark, &mut lowered.skipped);
            } else {
                lowered.operations.push(operation);
            }
        }
    }
    // Claimed after every operation's own name, so that those never change because of these.
    for operation in &mut lowered.operations {
        operation.with_response_name =
            names.claim(format!("{}_with_response", operation.rust_name.trim_end_matches('_')));
    }
    lowered
}

/// Leaves out the operations of a path item given by `$ref` (which bundling inlines when it
/// can), with a warning.
fn skip_path_reference(schemas: &mut SchemaLowering<'_>, path: &str, pointer: String, skipped: &mut Vec<Skipped>) {
    let problem =
        SpecError::new(pointer.clone(), "path items given by `$ref` are not supported yet; write the path item inline");
    schemas.warnings.push(SpecError::new(
        pointer.clone(),
        format!("{}; so the operations of `{path}` are skipped", problem.message),
    ));
    skipped.push(Skipped { pointer, item: SkippedItem::Path { path: path.to_string() }, problems: vec![problem] });
}

/// Leaves out an operation whose lowering recorded errors: they become warnings, and what it
/// declared (its types, the schemas it typed as JSON) goes too, so that one construct the
/// generator cannot express costs that operation and not the whole spec.
fn skip(schemas: &mut SchemaLowering<'_>, operation: Operation, mark: Mark, skipped: &mut Vec<Skipped>) {
    let problems = schemas.give_up_since(mark);
    let Operation { operation_id, method, path, pointer, .. } = operation;
    for problem in &problems {
        schemas.warnings.push(SpecError::new(
            problem.pointer.clone(),
            format!("{}; so the operation `{operation_id}` (`{} {path}`) is skipped", problem.message, method.as_str()),
        ));
    }
    skipped.push(Skipped { pointer, item: SkippedItem::Operation { method, path, operation_id }, problems });
}

/// An operation of the spec, and where it stands.
struct OperationSource<'d> {
    path: &'d str,
    /// The parameters its path item declares for all its operations.
    path_parameters: &'d [ReferenceOr<openapiv3::Parameter>],
    method: HttpMethod,
    operation: &'d SpecOperation,
    /// The pointer of the operation object, e.g. `#/paths/~1pets/get`.
    pointer: String,
}

/// Lowers one operation: its names, its params struct, its request body, its responses and
/// its security. Errors recorded meanwhile cost the operation (see `skip`).
fn lower_operation(
    document: &OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    names: &mut Namespace,
    source: OperationSource<'_>,
) -> Operation {
    let OperationSource { path, path_parameters, method, operation, pointer } = source;
    let operation_id =
        operation.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
    let rust_name = names.claim(naming::snake_name(&operation_id));
    let context = naming::type_name(&operation_id);
    let spec_parameters = OperationParameters {
        path,
        pointer: &pointer,
        context: &context,
        path_item: path_parameters,
        own: &operation.parameters,
    };
    let LoweredParameters { parameters, fields } = parameters::lower_parameters(document, schemas, &spec_parameters);
    let params_type = (!fields.is_empty()).then(|| {
        let doc = format!("Parameters of `{operation_id}`, sent in the path, the query string or headers.");
        schemas.add_struct(&format!("{context} params"), doc, fields, format!("{pointer}/parameters"))
    });
    let body = operation.request_body.as_ref().and_then(|body| {
        let body_pointer = format!("{pointer}/requestBody");
        let section = document.components.as_ref().map(|c| &c.request_bodies);
        let body = resolve_item(body, section, "requestBodies", &body_pointer, schemas)?;
        let source = BodySource { body, pointer: &body_pointer, context: &context, operation_id: &operation_id };
        lower_request_body(schemas, &source)
    });
    let mut responses = lower_responses(document, schemas, operation, &pointer, &context);
    responses.merge_successes(schemas, &operation_id, &context, &pointer);
    let security = super::security::operation_security(document, operation.security.as_ref(), &pointer, schemas);
    Operation {
        operation_id,
        rust_name,
        with_response_name: String::new(),
        method,
        path: path.to_string(),
        path_template: parameters::path_template(path, &parameters),
        pointer,
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        deprecated: operation.deprecated,
        tags: operation.tags.clone(),
        parameters,
        params_type,
        idempotent: is_idempotent(method, operation),
        security,
        body,
        response: responses.success,
        response_examples: responses.examples,
        success_status: match responses.first_success_status {
            Some(StatusCode::Code(code)) => *code,
            _ => 200,
        },
        errors: responses.errors,
    }
}

/// Whether sending the operation twice is harmless: `x-idempotent` when the operation says,
/// else whether its method is (every method but POST and PATCH).
fn is_idempotent(method: HttpMethod, operation: &SpecOperation) -> bool {
    let declared = operation.extensions.get("x-idempotent").and_then(|v| v.as_bool());
    match method {
        HttpMethod::Post | HttpMethod::Patch => declared.unwrap_or(false),
        _ => declared.unwrap_or(true),
    }
}

/// What an operation's responses become, gathered in the order the spec lists them.
#[derive(Default)]
struct Responses<'d> {
    /// The body of the first success (a 2XX status), then, once every response is read, the
    /// success type (see `merge_successes`).
    success: Option<ResponseBody>,
    /// The status of the first success; `None` when there is none.
    first_success_status: Option<&'d StatusCode>,
    /// JSON successes after the first, by status, when an operation declares several.
    more_successes: Vec<(&'d StatusCode, ValueType)>,
    /// The examples of the first success when it is JSON.
    examples: Vec<(String, serde_json::Value)>,
    /// The JSON error bodies, by status.
    errors: Vec<ErrorResponse>,
}

/// One response of an operation, and what its types are named after.
struct ResponseSite<'a> {
    /// Its status as written (`200`, `4XX`, `default`).
    key: String,
    pointer: String,
    /// The operation's type-name context.
    context: &'a str,
}

/// Reads an operation's responses in order, each success and error in its own way; a response
/// whose `$ref` does not resolve is left out, with an error.
fn lower_responses<'d>(
    document: &'d OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    operation: &'d SpecOperation,
    pointer: &str,
    context: &str,
) -> Responses<'d> {
    let mut responses = Responses::default();
    let section = document.components.as_ref().map(|c| &c.responses);
    let by_status = operation.responses.responses.iter().map(|(status, response)| (Some(status), response));
    for (status, response) in by_status.chain(operation.responses.default.iter().map(|r| (None, r))) {
        let key = status.map_or_else(|| "default".to_string(), StatusCode::to_string);
        let site = ResponseSite { pointer: format!("{pointer}/responses/{key}"), key, context };
        let Some(response) = resolve_item(response, section, "responses", &site.pointer, schemas) else {
            continue;
        };
        match status {
            Some(status @ (StatusCode::Code(200..=299) | StatusCode::Range(2))) => {
                responses.success(schemas, status, response, &site);
            }
            _ => responses.error(schemas, status, response, &site),
        }
    }
    responses
}

impl<'d> Responses<'d> {
    /// A successful response: the first gives the success type and its examples; later ones
    /// are kept only when they and the first are JSON, in case their types differ.
    fn success(
        &mut self,
        schemas: &mut SchemaLowering<'_>,
        status: &'d StatusCode,
        response: &openapiv3::Response,
        site: &ResponseSite<'_>,
    ) {
        if self.first_success_status.is_none() {
            self.first_success_status = Some(status);
            let type_name = format!("{} response", site.context);
            self.success = response_body(&response.content, &site.pointer, schemas, &type_name);
            if let Some(ResponseBody::Json(_)) = self.success {
                self.examples = json_examples(&response.content);
            }
            return;
        }
        let json = response.content.keys().any(|media_type| is_json(media_type));
        if !json || !matches!(self.success, Some(ResponseBody::Json(_))) {
            return;
        }
        let type_name = format!("{} response {}", site.context, site.key);
        if let Some(ResponseBody::Json(value)) = response_body(&response.content, &site.pointer, schemas, &type_name) {
            self.more_successes.push((status, value));
        }
    }

    /// An error response (any status but 2XX, or `default`): its body is typed when it is JSON.
    /// Error bodies of other media types are not typed: the error keeps their bytes.
    fn error(
        &mut self,
        schemas: &mut SchemaLowering<'_>,
        status: Option<&StatusCode>,
        response: &openapiv3::Response,
        site: &ResponseSite<'_>,
    ) {
        if !response.content.keys().any(|media_type| is_json(media_type)) {
            return;
        }
        let type_name = format!("{} error {}", site.context, site.key);
        let Some(ResponseBody::Json(value)) = response_body(&response.content, &site.pointer, schemas, &type_name)
        else {
            return;
        };
        let status = match status {
            Some(StatusCode::Code(code)) => ErrorStatus::Code(*code),
            Some(StatusCode::Range(class)) => ErrorStatus::Range(*class),
            None => ErrorStatus::Default,
        };
        self.errors.push(ErrorResponse { status, value });
    }

    /// When the JSON successes' types differ by status, the success type becomes an enum of
    /// them, picked by the status.
    fn merge_successes(&mut self, schemas: &mut SchemaLowering<'_>, operation_id: &str, context: &str, pointer: &str) {
        let (Some(ResponseBody::Json(first)), Some(first_status)) = (&self.success, self.first_success_status) else {
            return;
        };
        if self.more_successes.iter().all(|(_, value)| value == first) {
            return;
        }
        let mut cases = vec![(first_status, first.clone())];
        cases.extend(std::mem::take(&mut self.more_successes));
        let doc = format!("The successful responses of `{operation_id}`, by status.");
        let id = schemas.add_status_union(&format!("{context} success"), doc, &cases, format!("{pointer}/responses"));
        self.success = Some(ResponseBody::Json(ValueType { shape: Shape::Named(id), nullable: false }));
    }
}

/// The examples of a JSON response, by name (`example` is named `example`); references to
/// `components/examples` are left out.
fn json_examples(content: &indexmap::IndexMap<String, openapiv3::MediaType>) -> Vec<(String, serde_json::Value)> {
    let Some((_, media)) = content.iter().find(|(media_type, _)| is_json(media_type)) else { return Vec::new() };
    let single = media.example.iter().map(|value| ("example".to_string(), value.clone()));
    let named = media.examples.iter().filter_map(|(name, example)| {
        let value = example.as_item()?.value.clone()?;
        Some((name.clone(), value))
    });
    single.chain(named).collect()
}

/// A request body of the spec, and the operation it belongs to.
struct BodySource<'a> {
    body: &'a openapiv3::RequestBody,
    /// The pointer of the request body object.
    pointer: &'a str,
    /// What its types are named after (the operation id as a type name).
    context: &'a str,
    operation_id: &'a str,
}

/// Lowers a request body. Of several media types, JSON wins (the first JSON type listed), then
/// the first form type, then text or bytes: a body whose media types are all text (`text/*`,
/// XML) is a `String`, any other a `Binary`, sent with the `Content-Type` the caller picks among
/// the listed ones (the first by default).
fn lower_request_body(schemas: &mut SchemaLowering<'_>, source: &BodySource<'_>) -> Option<RequestBody> {
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
fn response_body(
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

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Text the caller reads or writes as a `String`: `text/*` and XML.
fn is_text(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence.starts_with("text/") || essence == "application/xml" || essence.ends_with("+xml")
}

/// The item itself, or the entry of a `components` section (`section_name`, e.g.
/// `requestBodies`) its `$ref` names (one level: no references to references); a reference that
/// does not resolve is recorded as an error.
pub(super) fn resolve_item<'d, T>(
    item: &'d ReferenceOr<T>,
    section: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
    section_name: &str,
    pointer: &str,
    schemas: &mut SchemaLowering<'_>,
) -> Option<&'d T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => resolve_component(section, reference, section_name, pointer, schemas),
    }
}

/// Follows a `$ref` into one section of `components` (one level: no references to references),
/// its name unescaped (`#/components/requestBodies/a~1b` is `a/b`).
fn resolve_component<'d, T>(
    section: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
    reference: &str,
    section_name: &str,
    pointer: &str,
    schemas: &mut SchemaLowering<'_>,
) -> Option<&'d T> {
    let found = crate::load::component_name(reference, section_name)
        .and_then(|name| section?.get(name.as_ref()))
        .and_then(ReferenceOr::as_item);
    if found.is_none() {
        schemas.errors.push(SpecError::new(
            format!("{pointer}/$ref"),
            format!(
                "`{reference}` does not resolve; it must name an entry under `#/components/{section_name}/` that is \
                 not itself a reference"
            ),
        ));
    }
    found
}

impl Api {
    /// The field of a named response type that holds the response's request id: a top-level
    /// text property called `request_id` or `requestId`, stored inline.
    pub fn request_id_field(&self, id: TypeId) -> Option<&Field> {
        match &self.get(id).kind {
            TypeKind::Struct(object) => object.fields.iter().find(|field| {
                matches!(field.wire_name.as_str(), "request_id" | "requestId")
                    && matches!(field.value.shape, Shape::String(_))
                    && !field.boxed
            }),
            _ => None,
        }
    }

    /// The property of an operation's successful JSON body that holds its request id: the
    /// response type's, or for responses that differ by status, the first variant's that has
    /// one. The client reads it from the bytes of a body that fails to decode.
    pub fn success_request_id_property(&self, operation: &Operation) -> Option<&str> {
        let Some(ResponseBody::Json(ValueType { shape: Shape::Named(id), .. })) = &operation.response else {
            return None;
        };
        if let Some(field) = self.request_id_field(*id) {
            return Some(&field.wire_name);
        }
        let TypeKind::Union(union) = &self.get(*id).kind else { return None };
        union.variants.iter().find_map(|variant| match variant.value.shape {
            Shape::Named(id) => self.request_id_field(id).map(|field| field.wire_name.as_str()),
            _ => None,
        })
    }
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

    #[test]
    fn a_request_body_given_by_reference_is_found_under_its_unescaped_name() {
        let yaml = test_spec!(
            r#"paths:
  /a:
    post:
      operationId: send
      requestBody: {$ref: '#/components/requestBodies/a~1b'}
      responses:
        '204': {description: Nothing.}
components:
  requestBodies:
    a/b:
      required: true
      content: {text/plain: {schema: {type: string}}}
"#
        );
        let document: OpenAPI = serde_yaml::from_str(yaml).expect("a valid document");
        let (empty, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&empty, &config);
        let lowered = lower_operations(&document, &mut schemas);
        assert!(schemas.errors.is_empty() && lowered.skipped.is_empty(), "{:?}", schemas.warnings);
        let body = lowered.operations[0].body.as_ref().expect("the body is found");
        assert!(body.required && body.encoding == BodyEncoding::Text);
    }
}
