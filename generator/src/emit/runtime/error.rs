//! `src/error.rs` of the generated crate: `Error` and `BuildError`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::ident;
use crate::model::{Api, Shape};

pub fn error_rs(api: &Api) -> TokenStream {
    let api_error_doc = " The API answered with one of the error bodies the spec declares.";
    let api_error_body = api_error_body(api);
    quote! {
        //! Errors returned by the client.

        use std::fmt;
        use std::time::Duration;

        use crate::validation::ValidationError;

        /// How many bytes of an unexpected response body an error keeps.
        const BODY_EXCERPT_LIMIT: usize = 512;

        #api_error_body

        /// Everything that can go wrong when calling an operation.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// The request does not follow the spec; nothing was sent.
            Validation(ValidationError),
            #[doc = #api_error_doc]
            Api {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// The decoded error body.
                error: Box<ApiErrorBody>,
                /// The request id the server gave the response, if any.
                request_id: Option<String>,
                /// How long the server asked the client to wait before trying again.
                retry_after: Option<Duration>,
            },
            /// The API answered with an error status and a body that is not its error object.
            UnexpectedStatus {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// The start of the body, as text.
                body: String,
                /// The request id the server gave the response, if any.
                request_id: Option<String>,
                /// How long the server asked the client to wait before trying again.
                retry_after: Option<Duration>,
            },
            /// A successful response whose body does not match the spec.
            Decode {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// Where in the body decoding failed, e.g. `items[0].status` (the message names a missing field).
                path: String,
                /// What did not match.
                source: serde_json::Error,
                /// The start of the body, as text.
                body: String,
                /// The request id the server gave the response, if any.
                request_id: Option<String>,
            },
            /// The response body is larger than the client accepts.
            ResponseTooLarge {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// The limit, in bytes (see `ClientBuilder::max_response_size`).
                limit: usize,
            },
            /// The request could not be sent or the response could not be read, including
            /// timeouts (see [`Error::is_timeout`]).
            Transport(reqwest::Error),
            /// The operation needs credentials the client was not given; nothing was sent.
            MissingCredentials {
                /// The spec's `operationId`.
                operation: &'static str,
                /// The builder setters of each alternative the spec accepts; setting every
                /// credential of one alternative is enough.
                alternatives: Vec<Vec<&'static str>>,
            },
            /// The token source of a bearer credential failed; nothing was sent.
            Credential {
                /// The builder setter of the credential.
                name: &'static str,
                /// What the token source reported.
                source: Box<dyn std::error::Error + Send + Sync>,
            },
            /// A token source returned a token that cannot be sent in an HTTP header.
            InvalidCredential {
                /// The builder setter of the credential.
                name: &'static str,
            },
        }

        impl Error {
            /// The HTTP status of the response, when there was one.
            pub fn status(&self) -> Option<reqwest::StatusCode> {
                match self {
                    Error::Api { status, .. }
                    | Error::UnexpectedStatus { status, .. }
                    | Error::Decode { status, .. }
                    | Error::ResponseTooLarge { status, .. } => Some(*status),
                    Error::Transport(error) => error.status(),
                    Error::Validation(_)
                    | Error::MissingCredentials { .. }
                    | Error::Credential { .. }
                    | Error::InvalidCredential { .. } => None,
                }
            }

            /// The request id of the response, from its headers or its body, when there is one.
            pub fn request_id(&self) -> Option<&str> {
                match self {
                    Error::Api { request_id, .. }
                    | Error::UnexpectedStatus { request_id, .. }
                    | Error::Decode { request_id, .. } => request_id.as_deref(),
                    _ => None,
                }
            }

            /// Whether the request timed out.
            pub fn is_timeout(&self) -> bool {
                matches!(self, Error::Transport(error) if error.is_timeout())
            }

            /// Whether the failure is transient, so that the same request may succeed later:
            /// connection failures, timeouts, `429` and `500`/`502`/`503`/`504`. The client
            /// retries these by itself within its [`crate::RetryPolicy`] (timeouts and server
            /// errors only for idempotent operations).
            pub fn is_retryable(&self) -> bool {
                self.may_retry(true)
            }

            /// Whether the client may retry after this error; `idempotent` says whether the
            /// request may safely reach the server twice.
            pub(crate) fn may_retry(&self, idempotent: bool) -> bool {
                match self {
                    Error::Transport(error) if error.is_connect() => true,
                    Error::Transport(error) => idempotent && (error.is_timeout() || error.is_request() || error.is_body()),
                    Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => match status.as_u16() {
                        429 => true,
                        500 | 502 | 503 | 504 => idempotent,
                        _ => false,
                    },
                    _ => false,
                }
            }

            /// How long the server asked the client to wait before trying again.
            pub(crate) fn retry_after(&self) -> Option<Duration> {
                match self {
                    Error::Api { retry_after, .. } | Error::UnexpectedStatus { retry_after, .. } => *retry_after,
                    _ => None,
                }
            }
        }

        /// The first bytes of a body as text, cut at a character boundary.
        pub(crate) fn excerpt(body: &[u8]) -> String {
            let mut end = body.len().min(BODY_EXCERPT_LIMIT);
            while end < body.len() && end > 0 && (body[end] & 0b1100_0000) == 0b1000_0000 {
                end -= 1;
            }
            let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
            if end < body.len() {
                text.push('…');
            }
            text
        }

        fn request_id_suffix(request_id: &Option<String>) -> String {
            request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default()
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::Validation(error) => write!(f, "invalid request, not sent: {error}"),
                    Error::Api { status, error, request_id, .. } => {
                        let details = serde_json::to_string(error).unwrap_or_default();
                        write!(f, "the API returned an error (HTTP {status}{}): {details}", request_id_suffix(request_id))
                    }
                    Error::UnexpectedStatus { status, body, request_id, .. } => write!(
                        f,
                        "the API returned HTTP {status}{} with a body that is not its error format: {body}",
                        request_id_suffix(request_id)
                    ),
                    Error::Decode { status, path, source, body, request_id } => {
                        let path = if path.is_empty() || path == "." { "the body" } else { path };
                        write!(
                            f,
                            "cannot decode the HTTP {status} response{}: {path}: {source}; the body starts with: {body}",
                            request_id_suffix(request_id)
                        )
                    }
                    Error::ResponseTooLarge { status, limit } => write!(
                        f,
                        "the HTTP {status} response is larger than {limit} bytes; raise the limit with `ClientBuilder::max_response_size`"
                    ),
                    Error::Transport(error) if error.is_timeout() => {
                        write!(f, "the request timed out; raise the limit with `ClientBuilder::timeout` if the API needs longer")
                    }
                    Error::Transport(error) if error.is_connect() => {
                        write!(f, "cannot connect to the API; check the base URL and the network")
                    }
                    Error::Transport(_) => write!(f, "the request failed before a complete response arrived"),
                    Error::MissingCredentials { operation, alternatives } => {
                        let alternatives: Vec<String> = alternatives
                            .iter()
                            .map(|setters| setters.iter().map(|setter| format!("`{setter}`")).collect::<Vec<_>>().join(" and "))
                            .collect();
                        write!(
                            f,
                            "`{operation}` needs credentials the client does not have, so nothing was sent: set {} on the client builder",
                            alternatives.join(", or ")
                        )
                    }
                    Error::Credential { name, .. } => {
                        write!(f, "the token source set with `{name}` failed, so nothing was sent")
                    }
                    Error::InvalidCredential { name } => {
                        write!(f, "the `{name}` token contains characters that cannot be sent in an HTTP header")
                    }
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Validation(error) => Some(error),
                    Error::Decode { source, .. } => Some(source),
                    Error::Transport(error) => Some(error),
                    Error::Credential { source, .. } => Some(source.as_ref()),
                    _ => None,
                }
            }
        }

        impl From<ValidationError> for Error {
            fn from(error: ValidationError) -> Self {
                Error::Validation(error)
            }
        }

        /// Why a [`crate::Client`] could not be built.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum BuildError {
            /// Neither an environment nor a base URL was chosen.
            MissingBaseUrl,
            /// The base URL is not an absolute http or https URL.
            InvalidBaseUrl {
                /// The URL as given.
                url: String,
            },
            /// A credential that every operation needs was not set.
            MissingCredential {
                /// The builder method that sets it.
                name: &'static str,
                /// How it is sent, e.g. ``the `X-Api-Key` header``.
                sent_as: &'static str,
            },
            /// The chosen server is relative to the host serving the API, and no host was given.
            MissingHost {
                /// The server's path, e.g. `/api/v1`.
                path: &'static str,
            },
            /// A credential contains characters that cannot be sent in an HTTP header.
            InvalidCredential {
                /// The builder method that sets it.
                name: &'static str,
            },
            /// A variable `Client::from_env` needs is not set.
            MissingEnv {
                /// The variable's name.
                var: &'static str,
            },
            /// A variable `Client::from_env` read has a value it cannot use.
            InvalidEnv {
                /// The variable's name.
                var: &'static str,
                /// What the value should be.
                expected: &'static str,
            },
            /// The HTTP client could not be created.
            Http(reqwest::Error),
        }

        impl fmt::Display for BuildError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    BuildError::MissingBaseUrl => {
                        f.write_str("no server chosen: call `environment` or `base_url` on the builder")
                    }
                    BuildError::InvalidBaseUrl { url } => {
                        write!(f, "`{url}` is not an absolute http or https URL")
                    }
                    BuildError::MissingCredential { name, sent_as } => {
                        write!(f, "no `{name}` set: call `{name}` on the builder (it is sent as {sent_as})")
                    }
                    BuildError::MissingHost { path } => write!(
                        f,
                        "the server `{path}` is relative to the API's host: call `host` on the builder with its scheme and host, e.g. `https://api.example.com`"
                    ),
                    BuildError::InvalidCredential { name } => {
                        write!(f, "the `{name}` value contains characters that cannot be sent in an HTTP request")
                    }
                    BuildError::MissingEnv { var } => write!(f, "the environment variable `{var}` is not set"),
                    BuildError::InvalidEnv { var, expected } => {
                        write!(f, "the environment variable `{var}` must be {expected}")
                    }
                    BuildError::Http(error) => write!(f, "cannot create the HTTP client: {error}"),
                }
            }
        }

        impl std::error::Error for BuildError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    BuildError::Http(error) => Some(error),
                    _ => None,
                }
            }
        }
    }
}

/// `ApiErrorBody`: the type of `Error::Api`'s body. One shared error schema is used as is;
/// several become an `ApiError` enum with a variant per schema; none leaves raw JSON.
fn api_error_body(api: &Api) -> TokenStream {
    if let Some(id) = api.error_type {
        let name = ident(&api.get(id).name);
        return quote! {
            /// The error body the API sends.
            pub type ApiErrorBody = crate::types::#name;
        };
    }
    let variants = error_variants(api);
    if variants.is_empty() {
        return quote! {
            /// The error body the API sends; the spec declares no schema for it.
            pub type ApiErrorBody = serde_json::Value;
        };
    }
    let variants = variants.iter().map(|(variant, ty)| {
        let variant = ident(variant);
        let doc = format!(" A [`crate::types::{ty}`].");
        let ty = ident(ty);
        quote!(#[doc = #doc] #variant(crate::types::#ty))
    });
    quote! {
        /// The error body the API sends.
        pub type ApiErrorBody = ApiError;

        /// The error bodies the spec declares, decoded by the status each operation lists them for.
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum ApiError {
            #(#variants,)*
            /// An error body whose schema is not one of the named types.
            Other(serde_json::Value),
        }
    }
}

/// The distinct named error types across all operations, as (variant name, type name), in order
/// of first appearance. Names are type names, which are unique, so variants are too.
pub fn error_variants(api: &Api) -> Vec<(String, String)> {
    let mut variants: Vec<(String, String)> = Vec::new();
    for error in api.operations.iter().flat_map(|o| &o.errors) {
        if let Shape::Named(id) = error.value.shape {
            let name = &api.get(id).name;
            if name != "Other" && !variants.iter().any(|(_, existing)| existing == name) {
                variants.push((name.clone(), name.clone()));
            }
        }
    }
    variants
}
