//! `src/mock.rs`: the typed mock server of the `mock` feature. The server itself is the
//! runtime's `mock_server.rs`; written here per spec are the operations' table (route,
//! credentials, success status, the spec's example), one function per operation that decodes a
//! request into the client's own types and checks it with their validation, and one typed
//! accessor per operation on `MockServer`; `credentials` writes what concerns credentials.

mod credentials;
mod pages;
mod streams;

use proc_macro2::TokenStream;
use quote::quote;

use self::credentials::{client_builder, credential_entry, expect_method};
use self::pages::{pages_doc, Paged};
use self::streams::{item_names_a_type, stream_accessor, stream_entry, streams_doc};
use super::client::{names_a_type, request_names_a_type};
use super::rust_type::qualified_value_type;
use super::validate::check_root;
use super::{examples, ident, operation_cfg};
use crate::model::{
    Api, ArrayStyle, BodyEncoding, Operation, ParameterEncoding, ParameterLocation, PathSegment, RequestBody,
    ResponseBody, TextKind,
};

/// The methods `MockServer` has whatever the spec: `client` and `client_builder` written here,
/// the others by the runtime's `mock_server.rs` (with `fmt` of its `Debug` and `drop` of its
/// `Drop`). The accessors of operations and the `expect_…` methods of credentials avoid them.
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "accept_any_credential_value",
    "client",
    "client_basic_credential",
    "client_builder",
    "client_credential",
    "drop",
    "expect_credential",
    "fmt",
    "operation",
    "routes",
    "serve",
    "start",
    "start_on_port",
    "stream_operation",
    "take_rejections",
    "uri",
];

/// `src/mock.rs`.
pub fn mock_rs(api: &Api) -> TokenStream {
    let OperationItems { entries, checks, accessors } = operation_items(api);
    let credentials = api.credentials.iter().map(credential_entry);
    let expectations = api.credentials.iter().enumerate().map(|(index, credential)| expect_method(credential, index));
    let client_builder = client_builder(api);
    let imports = imports(api);
    let example = module_example(api);
    let streams_doc = streams_doc(api);
    let pages_doc = pages_doc(api);
    quote! {
        //! A typed mock server for tests (the `mock` feature): a local HTTP server that speaks
        //! this API. Each operation answers with replies registered in the client's own types:
        //! one for every request (`mock.<operation>().respond(&value)`, or `respond_with` a
        //! [`MockReply`] with response headers and a delay), or a sequence, one reply per
        //! request (`respond_sequence([…])`, e.g. a `429` with `Retry-After`, then the value),
        //! after which it falls back to the reply for every request, or else the spec's example.
        //!
        //! Every request is checked against the spec as the server receives it: the route, the
        //! credentials (present, with the values the server expects: the made-up ones
        //! [`MockServer::client`] sends, or those a test sets with the `expect_…` methods), the
        //! parameters and the body, decoded into the types the client sends and validated by
        //! the same rules as the builders. Accepted requests are kept, decoded
        //! (`mock.<operation>().received()`); refused ones are answered with an error status
        //! and a reason that never shows a credential, and make the server panic when it is
        //! dropped, unless the test collected them with `take_rejections`.
        //!
        //! [`MockServer::client`] does not retry; a test of retries builds its client from
        //! [`MockServer::client_builder`] with a `retry_policy`.
        //!
        #streams_doc
        #pages_doc
        #(#![doc = #example])*
        #![allow(deprecated)]

        use std::any::Any;

        pub use crate::mock_server::{MockOperationHandle, MockReply, MockServer, Received};
        use crate::mock_server::{self as server, Incoming, MockCredential, MockOperation, PathPiece};
        #imports

        /// The operations the server answers.
        pub(crate) static MOCK_OPERATIONS: &[MockOperation] = &[#(#entries),*];

        /// Where each credential travels, by its number in the operations' `security`, and the
        /// value the server expects (and the mock's client sends) until a test expects another.
        pub(crate) static MOCK_CREDENTIALS: &[MockCredential] = &[#(#credentials),*];

        impl MockServer {
            /// A client builder pointed at this server that sends the credential values the
            /// server expects (made-up ones, unless an `expect_…` method set others; a
            /// credential with a default is left to the client, which sends its default) and
            /// never retries (`RetryPolicy::none()`): a test of retries sets its own policy
            /// with `.retry_policy(…)`.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                #client_builder
            }

            /// A client for this server (see [`MockServer::client_builder`]).
            ///
            /// # Panics
            ///
            /// Never in practice: the builder has every credential and a valid URL.
            pub fn client(&self) -> crate::Client {
                match self.client_builder().build() {
                    Ok(client) => client,
                    Err(error) => panic!("the mock server's client cannot be built: {error}"),
                }
            }

            #(#expectations)*

            #(#accessors)*
        }

        #(#checks)*
    }
}

/// What the module writes for each operation.
struct OperationItems {
    /// Its row of `MOCK_OPERATIONS`.
    entries: Vec<TokenStream>,
    /// The function that decodes and checks its requests.
    checks: Vec<TokenStream>,
    /// Its typed accessor on `MockServer`.
    accessors: Vec<TokenStream>,
}

fn operation_items(api: &Api) -> OperationItems {
    let mut items = OperationItems { entries: Vec::new(), checks: Vec::new(), accessors: Vec::new() };
    for (index, (operation, names)) in api.operations.iter().zip(&api.operation_names).enumerate() {
        let cfg = operation_cfg(api, index);
        let check = ident(&names.mock_check);
        let (request_type, check_fn) = check_function(api, operation, &check);
        items.checks.push(quote!(#cfg #check_fn));
        items.entries.push(table_entry(operation, &cfg, &check));
        let accessor_name = ident(&names.mock_accessor);
        // A stream that is the only answer takes the operation's accessor; one beside JSON, its own.
        match (&operation.stream, &operation.response, &names.mock_stream_accessor) {
            (Some(stream), None, _) => {
                items.accessors.push(stream_accessor(api, operation, stream, &cfg, &accessor_name, &request_type));
            }
            (Some(stream), Some(_), Some(name)) => {
                items.accessors.push(accessor(api, operation, &cfg, &accessor_name, request_type.clone()));
                items.accessors.push(stream_accessor(api, operation, stream, &cfg, &ident(name), &request_type));
            }
            _ => items.accessors.push(accessor(api, operation, &cfg, &accessor_name, request_type)),
        }
    }
    items
}

/// The imports the module needs beyond the server's own types: for credentials, for decoding
/// parameters, and `types`.
fn imports(api: &Api) -> TokenStream {
    let credential_import = if api.credentials.is_empty() {
        TokenStream::new()
    } else {
        quote!(
            use crate::mock_server::{MockValue, Travels};
        )
    };
    let decodes_params =
        api.operations.iter().any(|operation| mock_params(api, operation).is_some_and(|p| !p.is_empty()));
    let params_import = if decodes_params {
        quote! {
            use crate::mock_server::{Items, Location, MockParam};
            use crate::wire_text::TextKind;
        }
    } else {
        TokenStream::new()
    };
    let pages_import =
        if api.operations.iter().any(|operation| matches!(Paged::of(api, operation), Paged::Served { .. })) {
            quote! {
                pub use crate::mock_pages::MockPagedHandle;
                use crate::mock_pages as paging;
            }
        } else {
            TokenStream::new()
        };
    let types_import = super::types_import(api.operations.iter().any(uses_types));
    quote!(#credential_import #params_import #pages_import #types_import)
}

/// The module docs' example: starting a server and pointing a client at it.
fn module_example(api: &Api) -> [String; 7] {
    [
        " ```no_run".to_string(),
        " # async fn example() {".to_string(),
        format!(" let mock = {}::mock::MockServer::start().await;", api.library_name),
        " let client = mock.client();".to_string(),
        " // … call the code under test with `client`, then look at `mock.<operation>().received()`.".to_string(),
        " # }".to_string(),
        " ```".to_string(),
    ]
}

/// The operation's row of `MOCK_OPERATIONS`.
fn table_entry(operation: &Operation, cfg: &TokenStream, check: &proc_macro2::Ident) -> TokenStream {
    let id = &operation.operation_id;
    let method = operation.method.as_str();
    let path = &operation.path;
    let template = operation.path_template.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(PathPiece::Text(#text)),
        PathSegment::Parameter(index) => {
            let name = &operation.parameters[*index].wire_name;
            quote!(PathPiece::Param(#name))
        }
    });
    let alternatives = operation.security.iter().map(|alternative| {
        let credentials = alternative.iter().map(|index| proc_macro2::Literal::usize_unsuffixed(*index));
        quote!(&[#(#credentials),*])
    });
    let status = proc_macro2::Literal::u16_unsuffixed(operation.success_status);
    let content_type = response_content_type(operation);
    let stream = stream_entry(operation);
    let example = match (&operation.response, operation.response_examples.first()) {
        (Some(ResponseBody::Json(_)), Some((_, example))) => {
            let text = examples::raw_string(&serde_json::to_string(example).unwrap_or_default());
            quote!(Some(#text))
        }
        _ => quote!(None),
    };
    quote! {
        #cfg
        MockOperation {
            id: #id,
            method: #method,
            path: #path,
            template: &[#(#template),*],
            security: &[#(#alternatives),*],
            check: #check,
            status: #status,
            content_type: #content_type,
            example: #example,
            stream: #stream,
        }
    }
}

fn response_content_type(operation: &Operation) -> String {
    match &operation.response {
        Some(ResponseBody::Json(_)) => "application/json".to_string(),
        Some(ResponseBody::Text { media_type }) | Some(ResponseBody::Bytes { media_type }) => media_type.clone(),
        None => String::new(),
    }
}

/// The function that decodes and checks a request of the operation, and the type of the
/// request it keeps (`Received<P, B>`).
fn check_function(api: &Api, operation: &Operation, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let mut steps = Vec::new();
    let mut reads_params = false;
    let params_type = match (operation.params_type, mock_params(api, operation)) {
        (Some(id), Some(params)) => {
            reads_params = true;
            let ty = ident(&api.get(id).name);
            steps.push(quote!(let params: types::#ty = request.params(&[#(#params),*])?;));
            if api.is_validated(id) {
                steps.push(quote! {
                    crate::validation::Validate::validate(&params).map_err(|error| server::invalid("parameters", error))?;
                });
            }
            quote!(types::#ty)
        }
        // Parameters written in a style the mock cannot read back (objects) are not decoded.
        _ => {
            steps.push(quote!(let params = ();));
            quote!(())
        }
    };
    let body_type = match &operation.body {
        None => {
            steps.push(quote!(let body = ();));
            quote!(())
        }
        Some(body) => body_steps(api, body, &mut steps),
    };
    let request_type = quote!(Received<#params_type, #body_type>);
    let reads_request = operation.body.is_some() || reads_params;
    let request = if reads_request { quote!(request) } else { quote!(_request) };
    let function = quote! {
        fn #name(#request: &Incoming<'_>) -> Result<Box<dyn Any + Send>, String> {
            #(#steps)*
            Ok(Box::new(Received::new(params, body)))
        }
    };
    (request_type, function)
}

/// The steps that read and check a request's body, pushed onto `steps`; returns the body's type
/// in `Received`.
fn body_steps(api: &Api, body: &RequestBody, steps: &mut Vec<TokenStream>) -> TokenStream {
    let (ty, read, checked) = match body.encoding {
        BodyEncoding::Json => (qualified_value_type(api, &body.value), quote!(request.json_body()?), true),
        BodyEncoding::Form => (qualified_value_type(api, &body.value), quote!(request.form_body()?), true),
        BodyEncoding::Text => (quote!(String), quote!(request.text_body()?), true),
        BodyEncoding::Bytes | BodyEncoding::Multipart => (quote!(Vec<u8>), quote!(request.bytes_body()), false),
    };
    // The same checks as the client's method, in a function of their own so that any body (an
    // object, an array with `minItems`, a string with `maxLength`) is checked alike.
    let checks = if checked { check_root(api, quote!(body), &body.value) } else { None };
    let validate = checks.map(|checks| {
        quote! {
            #[allow(clippy::ptr_arg)]
            fn validate(body: &#ty) -> Result<(), crate::validation::ValidationError> {
                #checks
                Ok(())
            }
        }
    });
    let validated = validate.is_some();
    steps.extend(validate);
    if body.required {
        steps.push(quote!(let body: #ty = #read.ok_or_else(server::missing_body)?;));
        if validated {
            steps.push(quote!(validate(&body).map_err(|error| server::invalid("body", error))?;));
        }
        ty
    } else {
        steps.push(quote!(let body: Option<#ty> = #read;));
        if validated {
            steps.push(quote! {
                if let Some(body) = &body {
                    validate(body).map_err(|error| server::invalid("body", error))?;
                }
            });
        }
        quote!(Option<#ty>)
    }
}

/// How the mock reads each parameter back, or `None` when one is written in a style it cannot
/// read (an object in a query, header or path style).
fn mock_params(api: &Api, operation: &Operation) -> Option<Vec<TokenStream>> {
    let params = operation.params_type?;
    let crate::model::TypeKind::Struct(object) = &api.get(params).kind else { return None };
    operation
        .parameters
        .iter()
        .map(|parameter| {
            let field = object.fields.get(parameter.field)?;
            let (kind, items) = match parameter.encoding {
                ParameterEncoding::Json => (ident(TextKind::Json.variant()), quote!(Items::One)),
                ParameterEncoding::Styled { .. } => return None,
                ParameterEncoding::Text => {
                    let text = api.text_form(&field.value, true)?;
                    let items = match (text.list, parameter.style) {
                        (false, _) => quote!(Items::One),
                        (true, ArrayStyle::Repeat) if parameter.location == ParameterLocation::Query => {
                            quote!(Items::Repeated)
                        }
                        (true, ArrayStyle::Space) => quote!(Items::Joined(' ')),
                        (true, ArrayStyle::Pipe) => quote!(Items::Joined('|')),
                        (true, _) => quote!(Items::Joined(',')),
                    };
                    (ident(text.kind.variant()), items)
                }
            };
            let name = &parameter.wire_name;
            let location = match parameter.location {
                ParameterLocation::Path => quote!(Location::Path),
                ParameterLocation::Query => quote!(Location::Query),
                ParameterLocation::Header => quote!(Location::Header),
                ParameterLocation::Cookie => quote!(Location::Cookie),
            };
            Some(quote!(MockParam { name: #name, location: #location, kind: TextKind::#kind, items: #items }))
        })
        .collect()
}

/// The typed accessor of an operation on `MockServer`.
fn accessor(
    api: &Api,
    operation: &Operation,
    cfg: &TokenStream,
    name: &proc_macro2::Ident,
    request_type: TokenStream,
) -> TokenStream {
    let id = &operation.operation_id;
    let (response_type, encode) = match &operation.response {
        Some(ResponseBody::Json(value)) => (qualified_value_type(api, value), quote!(server::json_body)),
        Some(ResponseBody::Text { .. }) => (quote!(String), quote!(server::text_body)),
        Some(ResponseBody::Bytes { .. }) => (quote!(Vec<u8>), quote!(server::bytes_body)),
        None => (quote!(()), quote!(server::no_body)),
    };
    let doc = format!(
        " `{id}` (`{} {}`): register its replies, read the requests it received.",
        operation.method.as_str(),
        operation.path
    );
    let make = quote!(self.operation(#id, #encode));
    let (handle, make, notes) = Paged::of(api, operation).accessor(&request_type, &response_type, make);
    quote! {
        #[doc = #doc]
        #(#[doc = #notes])*
        #cfg
        pub fn #name(&self) -> #handle {
            #make
        }
    }
}

/// Whether the module names something in `types` for this operation.
fn uses_types(operation: &Operation) -> bool {
    request_names_a_type(operation)
        || matches!(&operation.response, Some(ResponseBody::Json(value)) if names_a_type(value))
        || item_names_a_type(operation)
}
