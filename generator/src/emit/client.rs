//! `src/client.rs`: the `Client`, its send loop, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth;
use super::client_builder::{builder, environment};
use super::docs::doc_paragraphs;
use super::rust_type::qualified_value_type as value_type;
use super::validate::check_root;
use super::{deprecated_attr, ident, multipart, operation_cfg, params, streams, type_cfg};
use crate::model::{
    Api, BodyEncoding, ErrorResponse, ErrorStatus, Operation, OperationNames, RequestBody, ResponseBody, Selection,
    Shape, TypeKind, ValueType, API_ERROR_OTHER,
};

/// The methods `Client` has whatever the spec: written here, and those of its derives (`Debug`,
/// `Clone`, and `to_owned` of every `Clone` type). Operation methods avoid them.
pub const CLIENT_METHODS: &[&str] = &["base_url", "builder", "clone", "clone_from", "fmt", "to_owned"];

pub fn client_rs(api: &Api) -> TokenStream {
    let environment = environment(api);
    let builder = builder(api);
    let credentials = auth::credentials_struct(api);
    let methods = api.operations.iter().enumerate().map(|(index, operation)| operation_methods(api, index, operation));
    let shared_errors = api.api_error_variants.is_empty();
    let api_error_import = if shared_errors {
        TokenStream::new()
    } else {
        quote!(
            use crate::api_error::ApiError;
        )
    };
    let request_ids = request_id_impls(api);
    let body_request_id = if request_ids.is_empty() { TokenStream::new() } else { quote!(BodyRequestId,) };
    let decode_import = if api.operations.iter().any(|o| matches!(o.response, Some(ResponseBody::Json(_)))) {
        quote!(self,)
    } else {
        TokenStream::new()
    };
    let operation_infos =
        api.operations.iter().zip(&api.operation_names).enumerate().map(|(index, (operation, names))| {
            operation_info(api, operation, names, &operation_cfg(api, index), shared_errors)
        });
    let types_import = super::types_import(api.operations.iter().any(uses_types));
    quote! {
        //! The HTTP client: configuration, credentials, retries, and one method per operation.
        #![allow(deprecated)]

        use crate::error::{BuildError, Error};
        #api_error_import
        use crate::response::{#decode_import #body_request_id ApiResponse};
        use crate::transport::{Authenticate, OperationInfo, Transport};
        #types_import

        #environment

        /// A client for the API. Cloning is cheap: clones share one connection pool, the
        /// credentials and the cap on concurrent calls, so a configured copy for some calls
        /// (`with_timeout`, `with_retry_policy`, `with_deadline`) costs next to nothing.
        #[derive(Debug, Clone)]
        pub struct Client {
            /// Where requests go, and the timeout, retries and deadline of this copy.
            pub(crate) transport: Transport,
            /// The credentials, added to each attempt of the operations whose security accepts
            /// them. `Debug` does not show secret values.
            credentials: std::sync::Arc<Credentials>,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The URL every operation path is appended to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            #(#methods)*
        }

        #credentials

        #(#operation_infos)*

        #request_ids

        #builder
    }
}

fn operation_info(
    api: &Api,
    operation: &Operation,
    names: &OperationNames,
    cfg: &TokenStream,
    shared_errors: bool,
) -> TokenStream {
    let name = ident(&names.info);
    let id = &operation.operation_id;
    let method = operation.method.as_str();
    let path = &operation.path;
    let idempotent = operation.idempotent;
    let alternatives = operation.security.iter().map(|alternative| {
        let credentials = alternative.iter().map(|index| proc_macro2::Literal::usize_unsuffixed(*index));
        quote!(&[#(#credentials),*])
    });
    let request_id_property = match api.success_request_id_property(operation) {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let (decode_error, decoder) = if shared_errors {
        (quote!(crate::api_error::decode_error_body), TokenStream::new())
    } else {
        let function = ident(&names.error_decoder);
        let decoder = error_decoder(api, operation, &function);
        (quote!(#function), quote!(#cfg #decoder))
    };
    quote! {
        #cfg
        const #name: OperationInfo = OperationInfo {
            id: #id,
            method: #method,
            path: #path,
            idempotent: #idempotent,
            decode_error: #decode_error,
            security: &[#(#alternatives),*],
            request_id_property: #request_id_property,
        };
        #decoder
    }
}

/// Decodes a successful response: into the response type, or, when the operation declares
/// different bodies for different statuses, into the variant for the status that came back.
fn decode_success(api: &Api, response: &ValueType, info: &proc_macro2::Ident) -> TokenStream {
    let by_status = match response.shape {
        Shape::Named(id) => match &api.get(id).kind {
            TypeKind::Union(union) if union.selection == Selection::Status => Some((id, union)),
            _ => None,
        },
        _ => None,
    };
    let Some((id, union)) = by_status else {
        return quote!(self.transport.send(&*self.credentials, &#info, request, response::decode).await);
    };
    let name = ident(&api.get(id).name);
    let arms = union.variants.iter().filter(|v| !v.tags.is_empty()).map(|variant| {
        let codes =
            variant.tags.iter().filter_map(|tag| tag.parse::<u16>().ok()).map(proc_macro2::Literal::u16_unsuffixed);
        let rust_name = ident(&variant.rust_name);
        quote!(#(#codes)|* => response::decode(status, body).map(types::#name::#rust_name))
    });
    quote! {
        self.transport
            .send(&*self.credentials, &#info, request, |status, body| match status.as_u16() {
                #(#arms,)*
                _ => response::decode(status, body),
            })
            .await
    }
}

/// Decodes an operation's error body into the `ApiError` variant its status declares: exact
/// statuses first, then classes such as `4XX`, then `default`.
fn error_decoder(api: &Api, operation: &Operation, function: &proc_macro2::Ident) -> TokenStream {
    let mut errors: Vec<&ErrorResponse> = operation.errors.iter().collect();
    errors.sort_by_key(|error| error.status);
    let arms = errors.iter().map(|error| {
        let pattern = match error.status {
            ErrorStatus::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            ErrorStatus::Range(class) => {
                let low = proc_macro2::Literal::u16_unsuffixed(class.saturating_mul(100));
                let high = proc_macro2::Literal::u16_unsuffixed(class.saturating_mul(100).saturating_add(99));
                quote!(#low..=#high)
            }
            ErrorStatus::Default => quote!(_),
        };
        let decode = decode_error(api, &error.value);
        quote!(#pattern => #decode)
    });
    let fallback =
        if errors.iter().any(|e| e.status == ErrorStatus::Default) { TokenStream::new() } else { quote!(_ => None,) };
    match errors.as_slice() {
        [] => {
            return quote! {
                fn #function(_status: reqwest::StatusCode, _body: &[u8]) -> Option<ApiError> {
                    None
                }
            }
        }
        [only] if only.status == ErrorStatus::Default => {
            let decode = decode_error(api, &only.value);
            return quote! {
                fn #function(_status: reqwest::StatusCode, body: &[u8]) -> Option<ApiError> {
                    #decode
                }
            };
        }
        _ => {}
    }
    quote! {
        fn #function(status: reqwest::StatusCode, body: &[u8]) -> Option<ApiError> {
            match status.as_u16() {
                #(#arms,)*
                #fallback
            }
        }
    }
}

/// Decodes an error body into its `ApiError` variant: a named type's, or the catch-all.
fn decode_error(api: &Api, value: &ValueType) -> TokenStream {
    let variant = match value.shape {
        Shape::Named(id) => api.api_error_variants.iter().find(|variant| variant.type_id == id),
        _ => None,
    };
    let variant = ident(variant.map_or(API_ERROR_OTHER, |variant| variant.name.as_str()));
    quote!(serde_json::from_slice(body).ok().map(ApiError::#variant))
}

/// An operation's methods: the plain one and `…_with_response`, and the one returning its
/// stream, which is the only one when the stream is the operation's only answer.
fn operation_methods(api: &Api, index: usize, operation: &Operation) -> TokenStream {
    let stream = operation.stream.as_ref().map(|stream| streams::stream_method(api, index, operation, stream));
    match (&operation.response, stream) {
        (None, Some(stream)) => stream,
        (_, stream) => {
            let method = method(api, index, operation);
            quote!(#method #stream)
        }
    }
}

fn method(api: &Api, index: usize, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let with_response = ident(&operation.with_response_name);
    let cfg = operation_cfg(api, index);
    let feature = api.areas.as_ref().and_then(|areas| areas.of_operation(index).first().copied()).map(|feature| {
        let line = format!(" Compiled with the `{feature}` feature (on by default, through `full`).");
        quote!(#[doc = ""] #[doc = #line])
    });
    let info = ident(&api.operation_names[index].info);
    let MethodDocs { doc, separator, endpoint, retries, returns, body_doc, credentials, with_response_doc } =
        MethodDocs::of(api, operation);
    let deprecated = deprecated_attr(operation.deprecated);
    let Request { params_param, body_param, request } = request(api, operation);
    let Response { output, value, finish, unwrap, body_note } = response(api, operation, &info);
    let mut arguments = Vec::new();
    if operation.params_type.is_some() {
        arguments.push(quote!(params));
    }
    if let Some(body) = &operation.body {
        arguments.push(quote!(body));
        if body.content_type.is_some() {
            arguments.push(quote!(content_type));
        }
    }
    let body_note = body_note.map(|note| quote!(#[doc = ""] #[doc = #note]));
    quote! {
        #doc
        #separator
        #[doc = #endpoint]
        #[doc = ""]
        #[doc = #retries]
        #returns
        #body_doc
        #[doc = ""]
        #[doc = #credentials]
        #feature
        #cfg
        #deprecated
        pub async fn #name(&self, #params_param #body_param) -> Result<#output, Error> {
            self.#with_response(#(#arguments),*).await.map(#unwrap)
        }

        #[doc = #with_response_doc]
        #body_note
        #feature
        #cfg
        #deprecated
        pub async fn #with_response(&self, #params_param #body_param) -> Result<ApiResponse<#value>, Error> {
            #request
            #finish
        }
    }
}

/// The docs of an operation's two methods: the spec's summary and description, the endpoint,
/// retries, what is returned, the body, and the credentials it sends.
struct MethodDocs {
    doc: TokenStream,
    separator: TokenStream,
    endpoint: String,
    retries: &'static str,
    /// What is returned, when it is not the decoded value: a line of its own, or nothing.
    returns: TokenStream,
    body_doc: Option<TokenStream>,
    credentials: String,
    with_response_doc: String,
}

impl MethodDocs {
    fn of(api: &Api, operation: &Operation) -> Self {
        let doc = doc_paragraphs(&[operation.summary.as_deref(), operation.description.as_deref()]);
        let separator = if doc.is_empty() { TokenStream::new() } else { quote!(#[doc = ""]) };
        let returns = match &operation.response {
            Some(ResponseBody::Bytes { media_type }) => {
                Some(format!(" Returns the response body as bytes (`{media_type}`)."))
            }
            Some(ResponseBody::Text { media_type }) => {
                Some(format!(" Returns the response body as text (`{media_type}`)."))
            }
            _ => None,
        };
        let returns = returns.map(|line| quote!(#[doc = #line])).unwrap_or_default();
        let retries = if operation.idempotent {
            " Idempotent: timeouts and server errors are retried within the client's retry policy."
        } else {
            " Not idempotent: only failures the server cannot have acted on (connection errors, `429`) are retried."
        };
        MethodDocs {
            doc,
            separator,
            endpoint: format!(" `{} {}`", operation.method.as_str(), operation.path),
            retries,
            returns,
            body_doc: operation
                .body
                .as_ref()
                .map(body_doc)
                .filter(|doc| !doc.is_empty())
                .map(|doc| quote!(#[doc = #doc])),
            credentials: credentials_doc(api, operation),
            with_response_doc: format!(
                " Like [`Client::{}`], returning the response's status, headers, request id and body as \
                 received together with the value (see [`ApiResponse`]), for keeping a response exactly as it \
                 arrived. The body is not copied.",
                operation.rust_name
            ),
        }
    }
}

/// The parameters of an operation's methods besides `&self`, and the statements of the
/// `…_with_response` one that check the values and build `request`.
pub(super) struct Request {
    pub params_param: TokenStream,
    pub body_param: TokenStream,
    pub request: TokenStream,
}

fn request(api: &Api, operation: &Operation) -> Request {
    request_with(api, operation, None)
}

/// Like [`request`], with `attach` (an expression of `request` and `body`) in place of the
/// usual way of putting the body into the request.
pub(super) fn request_with(api: &Api, operation: &Operation, attach: Option<TokenStream>) -> Request {
    let http_method = ident(operation.method.as_str());
    let (params_param, params_check) = match operation.params_type {
        Some(id) => {
            let name = ident(&api.get(id).name);
            let value = ValueType { shape: Shape::Named(id), nullable: false };
            (quote!(params: &types::#name,), check_root(api, quote!(params), &value).unwrap_or_default())
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let build = params::build_request(api, operation, &quote!(#http_method));
    let Some(body) = &operation.body else {
        return Request { params_param, body_param: TokenStream::new(), request: quote!(#params_check #build) };
    };
    let (body_param, usual) = body_parts(api, body);
    let attach = attach.unwrap_or(usual);
    let text = body.encoding == BodyEncoding::Text;
    let check = match (text, body.required) {
        // A text body is taken as anything that converts into a `String`: checked once
        // converted.
        (true, true) => check_root(api, quote!(&body), &body.value).map(|check| {
            quote! {
                let body: String = body.into();
                #check
            }
        }),
        _ => check_root(api, quote!(body), &body.value),
    };
    // An optional JSON body is a `Copy` reference; an optional text body is owned.
    let optional_binding = if text { quote!(&body) } else { quote!(body) };
    let request = if body.required {
        quote! {
            #check
            #params_check
            #build
            let request = #attach;
        }
    } else {
        let check = check.map(|check| {
            quote! {
                if let Some(body) = #optional_binding {
                    #check
                }
            }
        });
        quote! {
            #check
            #params_check
            #build
            let request = match body {
                Some(body) => #attach,
                None => request,
            };
        }
    };
    Request { params_param, body_param, request }
}

/// What an operation's methods return: the plain method's output and the `ApiResponse`'s value,
/// how the `…_with_response` method sends and decodes, how the plain one takes its output out of
/// the `ApiResponse`, and a note on bodies that are not decoded.
struct Response {
    output: TokenStream,
    value: TokenStream,
    finish: TokenStream,
    unwrap: TokenStream,
    body_note: Option<&'static str>,
}

fn response(api: &Api, operation: &Operation, info: &proc_macro2::Ident) -> Response {
    // The `…_with_response` method sends; the plain one returns only its value.
    let send_raw = quote!(self.transport.send(&*self.credentials, &#info, request, crate::response::no_value).await);
    match &operation.response {
        Some(ResponseBody::Json(response)) => {
            let ty = value_type(api, response);
            Response {
                output: ty.clone(),
                value: ty,
                finish: decode_success(api, response, info),
                unwrap: quote!(ApiResponse::into_value),
                body_note: None,
            }
        }
        Some(ResponseBody::Bytes { .. }) => Response {
            output: quote!(Vec<u8>),
            value: quote!(()),
            finish: send_raw,
            unwrap: quote!(ApiResponse::into_body),
            body_note: Some(" The body is not decoded: the value is `()`, and the bytes are [`ApiResponse::body`]."),
        },
        Some(ResponseBody::Text { .. }) => Response {
            output: quote!(String),
            value: quote!(()),
            finish: send_raw,
            // Text is taken as UTF-8; bytes that are not are replaced rather than refused.
            unwrap: quote!(ApiResponse::into_text),
            body_note: Some(" The body is not decoded: the value is `()`, and the text is [`ApiResponse::text`]."),
        },
        None => Response {
            output: quote!(()),
            value: quote!(()),
            finish: send_raw,
            unwrap: quote!(ApiResponse::into_value),
            body_note: None,
        },
    }
}

/// The body parameter of an operation's method, and the expression that puts `body` into
/// `request`. JSON, form and multipart bodies are borrowed; text and bytes are taken by value
/// (anything that converts into a `String` or a `Binary`), as the request owns them.
fn body_parts(api: &Api, body: &RequestBody) -> (TokenStream, TokenStream) {
    let ty = value_type(api, &body.value);
    let raw = matches!(body.encoding, BodyEncoding::Text | BodyEncoding::Bytes);
    let param = match (raw, body.required) {
        (false, true) => quote!(body: &#ty,),
        (false, false) => quote!(body: Option<&#ty>,),
        (true, true) => quote!(body: impl Into<#ty>,),
        (true, false) => quote!(body: Option<#ty>,),
    };
    let owned = match (body.encoding, body.required) {
        (BodyEncoding::Bytes, true) => quote!(Into::<crate::Binary>::into(body).0),
        (BodyEncoding::Bytes, false) => quote!(body.0),
        (_, true) => quote!(Into::<String>::into(body)),
        (_, false) => quote!(body),
    };
    let media_type = &body.media_type;
    let content_type = match body.content_type {
        Some(id) => {
            let name = ident(&api.get(id).name);
            let param = quote!(content_type: Option<types::#name>,);
            let value = quote!(content_type.as_ref().map_or(#media_type, types::#name::as_str));
            (param, value)
        }
        None => (TokenStream::new(), quote!(#media_type)),
    };
    let (content_type_param, content_type) = content_type;
    let attach = match body.encoding {
        BodyEncoding::Form => quote!(request.form(body)),
        BodyEncoding::Multipart => {
            let form = multipart::form_expr(api, &body.value);
            quote!(request.multipart(#form))
        }
        // reqwest sends `application/json` unless told otherwise.
        BodyEncoding::Json if is_plain_json(media_type) => quote!(request.json(body)),
        BodyEncoding::Json => quote!(request.header(reqwest::header::CONTENT_TYPE, #media_type).json(body)),
        BodyEncoding::Text | BodyEncoding::Bytes => {
            quote!(request.header(reqwest::header::CONTENT_TYPE, #content_type).body(#owned))
        }
    };
    (quote!(#param #content_type_param), attach)
}

/// Whether a JSON media type is `application/json` itself, which reqwest sends by default.
fn is_plain_json(media_type: &str) -> bool {
    media_type.trim().eq_ignore_ascii_case("application/json")
}

/// How the method's documentation describes a text or bytes body.
fn body_doc(body: &RequestBody) -> String {
    let media_type = &body.media_type;
    let kind = match body.encoding {
        BodyEncoding::Text => "text",
        BodyEncoding::Bytes => "bytes",
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => return String::new(),
    };
    let sent = match body.content_type {
        Some(_) => format!(" The body is sent as {kind}, with the `Content-Type` given as `content_type` (`{media_type}` when `None`)."),
        None => format!(" The body is sent as {kind}, as `{media_type}`."),
    };
    if media_type.to_ascii_lowercase().contains("xml") {
        format!("{sent} The caller writes the XML: this crate does not serialize it.")
    } else {
        sent
    }
}

/// Whether a value's Rust type names something in `types`.
pub(super) fn names_a_type(value: &ValueType) -> bool {
    match &value.shape {
        Shape::Named(_) => true,
        Shape::Array { items: inner, .. } | Shape::Map { values: inner } => names_a_type(inner),
        Shape::Tuple(items) => items.iter().any(names_a_type),
        _ => false,
    }
}

/// Whether the operation's parameters or its JSON or form body name something in `types`: what
/// the command line and the mock decode a request into.
pub(super) fn request_names_a_type(operation: &Operation) -> bool {
    operation.params_type.is_some()
        || operation.body.as_ref().is_some_and(|body| {
            matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form) && names_a_type(&body.value)
        })
}

/// Whether an operation's method names something in `types`.
fn uses_types(operation: &Operation) -> bool {
    let body = operation.body.as_ref().is_some_and(|body| body.content_type.is_some() || names_a_type(&body.value));
    let response = matches!(&operation.response, Some(ResponseBody::Json(value)) if names_a_type(value));
    operation.params_type.is_some() || body || response
}
/// The method's line about credentials: which builder setters it needs.
fn credentials_doc(api: &Api, operation: &Operation) -> String {
    if operation.security.is_empty() {
        return " Sends no credentials.".to_string();
    }
    let alternatives: Vec<String> = operation
        .security
        .iter()
        .filter(|alternative| !alternative.is_empty())
        .map(|alternative| {
            let setters: Vec<String> = alternative
                .iter()
                .map(|index| format!("[`ClientBuilder::{}`]", api.credentials[*index].rust_name))
                .collect();
            setters.join(" and ")
        })
        .collect();
    if operation.security.iter().any(Vec::is_empty) {
        format!(" Credentials, sent when given: {}.", alternatives.join(", or "))
    } else {
        format!(" Credentials: {}.", alternatives.join(", or "))
    }
}

/// `BodyRequestId` for every named type a response decodes into (successes and declared
/// errors): the property [`Api::request_id_field`] names is the response's request id when no
/// header gives one.
fn request_id_impls(api: &Api) -> TokenStream {
    let mut ids: Vec<crate::model::TypeId> = Vec::new();
    let mut add = |value: &ValueType| {
        if let Shape::Named(id) = value.shape {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    };
    for operation in &api.operations {
        if let Some(ResponseBody::Json(response)) = &operation.response {
            add(response);
            if let Shape::Named(id) = response.shape {
                if let TypeKind::Union(union) = &api.get(id).kind {
                    union.variants.iter().for_each(|variant| add(&variant.value));
                }
            }
        }
        operation.errors.iter().for_each(|error| add(&error.value));
    }
    let impls = ids.iter().map(|id| {
        let def = api.get(*id);
        let name = ident(&def.name);
        let cfg = type_cfg(api, *id);
        match api.request_id_field(*id) {
            Some(field) => {
                let field_name = ident(&field.rust_name);
                let read = if field.is_option() {
                    quote!(self.#field_name.as_deref())
                } else {
                    quote!(Some(&self.#field_name))
                };
                quote! {
                    #cfg
                    impl BodyRequestId for crate::types::#name {
                        fn body_request_id(&self) -> Option<&str> {
                            #read
                        }
                    }
                }
            }
            None => quote!(#cfg impl BodyRequestId for crate::types::#name {}),
        }
    });
    quote!(#(#impls)*)
}
