//! Lowering of paths and operations into [`Operation`]s.

use openapiv3::{OpenAPI, Operation as SpecOperation, ReferenceOr, StatusCode};

use super::bodies::{self, is_json, response_body, BodySource};
use super::naming::{self, Namespace};
use super::parameters::{self, LoweredParameters, OperationParameters};
use super::schemas::{Mark, SchemaLowering};
use super::streams::{self, StreamSite};
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
    unique_operation_ids(&mut lowered.operations, &mut schemas.warnings);
    // Claimed after every operation's own name, so that those never change because of these.
    for operation in &mut lowered.operations {
        operation.with_response_name =
            names.claim(format!("{}_with_response", operation.rust_name.trim_end_matches('_')));
        if let Some(stream) = &mut operation.stream {
            stream.method_name = match operation.response {
                None => operation.rust_name.clone(),
                Some(_) => names.claim(format!("{}_stream", operation.rust_name.trim_end_matches('_'))),
            };
        }
    }
    lowered
}

/// Gives an operation whose `operationId` an earlier one already has an id of its own
/// (`Id_2`), with a warning: the command line, the mock and traces tell operations apart by
/// it, and the spec requires it to be unique.
fn unique_operation_ids(operations: &mut [Operation], warnings: &mut Vec<SpecError>) {
    let mut taken: std::collections::BTreeSet<String> =
        operations.iter().map(|operation| operation.operation_id.clone()).collect();
    let mut seen = std::collections::BTreeMap::new();
    for operation in operations {
        let Some(first) = seen.get(&operation.operation_id) else {
            seen.insert(operation.operation_id.clone(), operation.pointer.clone());
            continue;
        };
        let id =
            (2..).map(|n| format!("{}_{n}", operation.operation_id)).find(|id| !taken.contains(id)).unwrap_or_default();
        warnings.push(SpecError::new(
            format!("{}/operationId", operation.pointer),
            format!(
                "operationId `{}` is also the id of {first}; operationIds must be unique, so this \
                 operation is `{id}` in the generated crate (its command-line subcommand, mock \
                 and traces): give it an id of its own in the spec",
                operation.operation_id
            ),
        ));
        taken.insert(id.clone());
        operation.operation_id = id;
    }
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
        bodies::lower_request_body(schemas, &source)
    });
    let mut responses = lower_responses(document, schemas, operation, &pointer, (&context, &operation_id));
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
        stream: responses.stream,
        pagination: None,
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
    /// The first success's streamed body, when one of its media types is a stream.
    stream: Option<StreamResponse>,
}

/// One response of an operation, and what its types are named after.
struct ResponseSite<'a> {
    /// Its status as written (`200`, `4XX`, `default`).
    key: String,
    pointer: String,
    /// The operation's type-name context.
    context: &'a str,
    operation_id: &'a str,
}

/// Reads an operation's responses in order, each success and error in its own way; a response
/// whose `$ref` does not resolve is left out, with an error.
fn lower_responses<'d>(
    document: &'d OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    operation: &'d SpecOperation,
    pointer: &str,
    (context, operation_id): (&str, &str),
) -> Responses<'d> {
    let mut responses = Responses::default();
    let section = document.components.as_ref().map(|c| &c.responses);
    let by_status = operation.responses.responses.iter().map(|(status, response)| (Some(status), response));
    for (status, response) in by_status.chain(operation.responses.default.iter().map(|r| (None, r))) {
        let key = status.map_or_else(|| "default".to_string(), StatusCode::to_string);
        let site = ResponseSite { pointer: format!("{pointer}/responses/{key}"), key, context, operation_id };
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
            let stream_site = StreamSite {
                content: &response.content,
                pointer: &site.pointer,
                operation_id: site.operation_id,
                context: site.context,
            };
            self.stream = streams::stream_response(schemas, &stream_site);
            // The other answers, besides the stream (none when the stream is all there is).
            let mut content = response.content.clone();
            content.retain(|media_type, _| streams::framing(media_type).is_none());
            self.success = response_body(&content, &site.pointer, schemas, &type_name);
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
    fn a_repeated_operation_id_gets_one_of_its_own_with_a_warning() {
        let yaml = test_spec!(
            r#"paths:
  /a:
    get:
      operationId: read
      responses: {'204': {description: Nothing.}}
  /b:
    get:
      operationId: read
      responses: {'204': {description: Nothing.}}
  /c:
    get:
      operationId: read_2
      responses: {'204': {description: Nothing.}}
"#
        );
        let document: OpenAPI = serde_yaml::from_str(yaml).expect("a valid document");
        let (empty, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&empty, &config);
        let lowered = lower_operations(&document, &mut schemas);
        let ids: Vec<&str> = lowered.operations.iter().map(|o| o.operation_id.as_str()).collect();
        assert_eq!(ids, ["read", "read_3", "read_2"]);
        assert_eq!(schemas.warnings.len(), 1, "{:?}", schemas.warnings);
        assert_eq!(schemas.warnings[0].pointer, "#/paths/~1b/get/operationId");
        assert!(schemas.warnings[0].message.contains("also the id of #/paths/~1a/get"), "{:?}", schemas.warnings);
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
