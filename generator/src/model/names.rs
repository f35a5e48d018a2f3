//! The names of what the emitters write besides types, fields and methods: the library name,
//! environment variables, the items written per operation (its `OperationInfo` constant, its
//! error decoder, the mock's accessor and check, the command line's subcommand and flags, the
//! example tests) and the variants of `ApiError`. Decided once the rest of the model is, each
//! scope with one [`Namespace`] that starts with the names the emitted code defines there
//! whatever the spec (`crate::emit::reserved`); the emitters only read them.

mod cli;

use super::naming::{self, Namespace};
use super::{Api, CredentialKind, ResponseBody, Shape, TypeId};
use crate::emit::reserved;

/// The catch-all variant of `ApiError`, holding an error body of no named type: a named error
/// type never takes its name.
pub const API_ERROR_OTHER: &str = "Other";

/// Decides the names of `api` that depend on the whole model.
pub(super) fn decide(api: &mut Api) {
    api.library_name = api.crate_name.replace('-', "_");
    name_env_vars(api);
    api.operation_names = operation_names(api);
    name_mock_methods(api);
    name_pagers(api);
    api.api_error_variants = api_error_variants(api);
}

/// The client methods of each paged operation, `{method}_pages` and `{method}_items`, after
/// every operation's own methods and streams (which never change because of them), numbered
/// when taken.
fn name_pagers(api: &mut Api) {
    let operations = api.operations.iter();
    let taken = operations.flat_map(|operation| {
        let stream = operation.stream.as_ref().map(|stream| stream.method_name.as_str());
        [operation.rust_name.as_str(), operation.with_response_name.as_str()].into_iter().chain(stream)
    });
    let mut names = Namespace::with_taken(naming::CLIENT_METHODS.iter().copied().chain(taken));
    for operation in &mut api.operations {
        let base = operation.rust_name.trim_end_matches('_').to_string();
        if let Some(pagination) = &mut operation.pagination {
            pagination.pages_method = names.claim(format!("{base}_pages"));
            pagination.items_method = names.claim(format!("{base}_items"));
        }
    }
}

/// The environment variables `from_env` reads: `{PREFIX}_ENV`, `{PREFIX}_BASE_URL` and
/// `{PREFIX}_HOST`, then one per credential (two for HTTP basic), each named after its setter
/// and numbered when another variable has that name.
fn name_env_vars(api: &mut Api) {
    let prefix = &api.env_prefix;
    let fixed = EnvVars {
        environment: format!("{prefix}_ENV"),
        base_url: format!("{prefix}_BASE_URL"),
        host: format!("{prefix}_HOST"),
    };
    let mut names = Namespace::with_taken([fixed.environment.as_str(), fixed.base_url.as_str(), fixed.host.as_str()]);
    for credential in &mut api.credentials {
        let suffixes: &[&str] =
            if matches!(credential.kind, CredentialKind::Basic) { &["_USERNAME", "_PASSWORD"] } else { &[""] };
        let name = naming::env_var_name(prefix, &credential.rust_name);
        let base = names.claim_group(&name, "_", suffixes, |base, suffix| format!("{base}{suffix}"));
        credential.env_vars = suffixes.iter().map(|suffix| format!("{base}{suffix}")).collect();
    }
    api.env_vars = fixed;
}

/// The names of each operation's items. `client.rs` holds the `OperationInfo` constants and the
/// error decoders, `mock.rs` the check functions, `tests/spec_examples.rs` the example tests:
/// each file is one scope. The mock's accessors are named in [`name_mock_methods`].
fn operation_names(api: &Api) -> Vec<OperationNames> {
    let mut client_items = Namespace::new();
    let mut mock_items = Namespace::new();
    let mut example_tests = Namespace::new();
    let mut subcommands = cli::subcommands(api).into_iter();
    api.operations
        .iter()
        .map(|operation| {
            let examples = match operation.response {
                Some(ResponseBody::Json(_)) => operation
                    .response_examples
                    .iter()
                    .map(|(name, _)| {
                        example_tests.claim(naming::snake_name(&format!("{} {name}", operation.rust_name)))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            OperationNames {
                info: client_items.claim(naming::constant_name(&operation.rust_name)),
                error_decoder: client_items.claim(naming::suffixed(&operation.rust_name, "_error")),
                mock_accessor: String::new(),
                mock_stream_accessor: None,
                mock_check: mock_items.claim(naming::prefixed("check_", &operation.rust_name)),
                subcommand: subcommands.next().flatten(),
                example_tests: examples,
            }
        })
        .collect()
}

/// The methods of `MockServer` for the spec: one accessor per operation (its method's name,
/// with `_operation` appended while that is taken), one per streamed answer beside a JSON one
/// (its stream method's name, likewise), then one `expect_…` per credential (with
/// `_credential` appended likewise), after the accessors so that no accessor changes name for a
/// credential.
fn name_mock_methods(api: &mut Api) {
    let mut names = Namespace::with_taken(reserved::MOCK_SERVER_METHODS.iter().copied());
    for (operation, operation_names) in api.operations.iter().zip(&mut api.operation_names) {
        operation_names.mock_accessor = names.claim_appending(operation.rust_name.clone(), "_operation");
    }
    // The streamed answer of an operation that also answers JSON: after every operation's own.
    for (operation, operation_names) in api.operations.iter().zip(&mut api.operation_names) {
        let Some(stream) = operation.stream.as_ref().filter(|_| operation.response.is_some()) else { continue };
        operation_names.mock_stream_accessor = Some(names.claim_appending(stream.method_name.clone(), "_operation"));
    }
    for credential in &mut api.credentials {
        credential.mock_expect =
            names.claim_appending(naming::prefixed("expect_", &credential.rust_name), "_credential");
    }
}

/// The variants of `ApiError`: every named error type, in order of first appearance, under its
/// type name (numbered if it is [`API_ERROR_OTHER`]). None when one error type is shared.
fn api_error_variants(api: &Api) -> Vec<ApiErrorVariant> {
    if api.error_type.is_some() {
        return Vec::new();
    }
    let mut names = Namespace::with_taken([API_ERROR_OTHER]);
    let mut variants: Vec<ApiErrorVariant> = Vec::new();
    for error in api.operations.iter().flat_map(|operation| &operation.errors) {
        if let Shape::Named(id) = error.value.shape {
            if !variants.iter().any(|variant| variant.type_id == id) {
                variants.push(ApiErrorVariant { name: names.claim(api.get(id).name.clone()), type_id: id });
            }
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(yaml: &str) -> Api {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(yaml).expect("a valid test document");
        crate::model::lower(&document, None).expect("the document lowers")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Names, version: "1", x-env-prefix: T}
servers: [{url: "https://a.test", description: Live}]
security: [{t_key: [], key: [], env: [], http: []}]
paths:
  /a:
    get:
      operationId: type
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}, example: x}}}
        '400': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}
  /b:
    get:
      operationId: client
      responses: {'204': {description: ok}}
components:
  schemas:
    Other: {type: object, properties: {code: {type: string}}}
    Missing: {type: object, properties: {code: {type: string}}}
  securitySchemes:
    t_key: {type: apiKey, in: header, name: X-A}
    key: {type: apiKey, in: header, name: X-B}
    env: {type: apiKey, in: header, name: X-C}
    http: {type: http, scheme: basic}
"#;

    #[test]
    fn environment_variables_are_each_read_for_one_value() {
        let api = lowered(SPEC);
        assert_eq!(
            (api.env_vars.environment.as_str(), api.env_vars.base_url.as_str(), api.env_vars.host.as_str()),
            ("T_ENV", "T_BASE_URL", "T_HOST")
        );
        let variables: Vec<&[String]> = api.credentials.iter().map(|c| c.env_vars.as_slice()).collect();
        // `t_key` and `key` both give `T_KEY`; `env` gives the environment's `T_ENV`.
        assert_eq!(variables, [&["T_KEY"][..], &["T_KEY_2"], &["T_ENV_2"], &["T_HTTP_USERNAME", "T_HTTP_PASSWORD"]]);
        assert_eq!(api.servers[0].env_name, "live");
    }

    #[test]
    fn operation_items_and_mock_methods_avoid_what_is_taken() {
        let api = lowered(SPEC);
        let names = &api.operation_names[0];
        assert_eq!((api.operations[0].rust_name.as_str(), names.info.as_str()), ("type_", "TYPE"));
        assert_eq!((names.error_decoder.as_str(), names.mock_check.as_str()), ("type_error", "check_type"));
        assert_eq!(names.example_tests, ["type_example"]);
        assert_eq!(names.subcommand.as_ref().map(|s| s.name.as_str()), Some("type"));
        // `client` is a method of `MockServer`.
        assert_eq!(api.operation_names[1].mock_accessor, "client_operation");
        let expects: Vec<&str> = api.credentials.iter().map(|c| c.mock_expect.as_str()).collect();
        assert_eq!(expects, ["expect_t_key", "expect_key", "expect_env", "expect_http"]);
        assert_eq!(api.library_name, "names");
    }

    #[test]
    fn an_error_type_named_like_the_catch_all_gets_a_variant_of_its_own() {
        let api = lowered(SPEC);
        let variants: Vec<&str> = api.api_error_variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["Other2", "Missing"]);
    }
}

/// The environment variables `ClientBuilder::from_env` reads besides credentials.
#[derive(Debug, Clone, Default)]
pub struct EnvVars {
    /// The name of the environment to target (`{PREFIX}_ENV`).
    pub environment: String,
    /// A base URL that replaces the environment, read only when the caller allows it
    /// (`{PREFIX}_BASE_URL`).
    pub base_url: String,
    /// The host of the servers the spec gives relative to where it is served (`{PREFIX}_HOST`).
    pub host: String,
}

/// A variant of the `ApiError` enum: a named error type, under a name that never clashes with
/// the catch-all [`API_ERROR_OTHER`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorVariant {
    pub name: String,
    pub type_id: TypeId,
}

/// The names of what the emitters write for one operation besides its two methods on `Client`.
#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    /// Its `OperationInfo` constant in `client.rs`, e.g. `CRA_MONITORING_INSIGHTS_GET`.
    pub info: String,
    /// The function of `client.rs` that decodes its error bodies into `ApiError`, e.g.
    /// `cra_monitoring_insights_get_error`.
    pub error_decoder: String,
    /// Its accessor on the mock's `MockServer`, e.g. `cra_monitoring_insights_get`.
    pub mock_accessor: String,
    /// The accessor of its streamed answer, when it also answers JSON: named after the client's
    /// stream method, e.g. `chat_stream`.
    pub mock_stream_accessor: Option<String>,
    /// The function of `mock.rs` that decodes and checks a request, e.g.
    /// `check_cra_monitoring_insights_get`.
    pub mock_check: String,
    /// Its subcommand on the command line; `None` for an operation with a `multipart/form-data`
    /// body, whose files have no form on the command line yet.
    pub subcommand: Option<Subcommand>,
    /// The test of `tests/spec_examples.rs` for each of its response examples, in the order of
    /// [`Operation::response_examples`](crate::model::Operation::response_examples); empty
    /// unless the response is JSON.
    pub example_tests: Vec<String>,
}

/// An operation's subcommand on the command line (the `cli` feature).
#[derive(Debug, Clone)]
pub struct Subcommand {
    /// The operationId in kebab case, numbered when another subcommand has it, e.g. `get-item`.
    pub name: String,
    /// Its flags: the parameters, then the scalar properties of a JSON or form body.
    pub flags: Vec<Flag>,
    /// The switch (without `--`) that asks for the streamed answer, for an operation that
    /// answers JSON or a stream by the request's `Accept`.
    pub stream_switch: Option<String>,
}

/// A flag of a subcommand: one parameter, or one property of the body.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The flag's name without `--`: the property in kebab case, numbered when taken.
    pub long: String,
    pub target: FlagTarget,
    /// Its field: an index into the fields of the parameters' struct or of the body's.
    pub field: usize,
    /// How its text becomes JSON. A parameter without a text form of its own is JSON text.
    pub text: TextForm,
    pub required: bool,
}

/// Where a flag's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagTarget {
    Parameter,
    Body,
}

/// How a value written as text (a flag, a parameter the mock reads back) becomes JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextForm {
    pub kind: TextKind,
    /// The values an enum allows, as written on the wire; empty for any other value.
    pub values: Vec<String>,
    /// Whether the value is an array of such values.
    pub list: bool,
}

/// The kinds of text of the runtime's `TextKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Text,
    Integer,
    Number,
    Boolean,
    /// JSON text (objects, arrays, any value), or a string when it does not read as JSON.
    Json,
}

impl TextKind {
    /// The runtime's variant name, e.g. `Integer`.
    pub fn variant(self) -> &'static str {
        match self {
            TextKind::Text => "Text",
            TextKind::Integer => "Integer",
            TextKind::Number => "Number",
            TextKind::Boolean => "Boolean",
            TextKind::Json => "Json",
        }
    }
}
