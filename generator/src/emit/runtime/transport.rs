//! `src/transport.rs` of the generated crate: reading responses (size limit, request id, error
//! bodies, decoding) and the tracing span of a call.

use proc_macro2::TokenStream;
use quote::quote;

/// `shared_errors`: whether one decoder serves every operation (one error schema, or none);
/// `path_parameters`: whether some operation fills in path placeholders.
pub fn transport_rs(shared_errors: bool, path_parameters: bool) -> TokenStream {
    let path_encoder = if path_parameters {
        quote! {
        /// Percent-encodes a path parameter so that it stays one path segment: everything but
        /// unreserved characters (RFC 3986) is escaped.
        pub(crate) fn encode_path_segment(text: &str) -> String {
            let mut encoded = String::with_capacity(text.len());
            for byte in text.bytes() {
                if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                    encoded.push(byte as char);
                } else {
                    encoded.push_str(&format!("%{byte:02X}"));
                }
            }
            encoded
        }
        }
    } else {
        TokenStream::new()
    };
    let shared_decoder = if shared_errors {
        quote! {
            /// Decodes an error body when the API has one error format for everything.
            pub(crate) fn decode_error_body(_status: reqwest::StatusCode, body: &[u8]) -> Option<ApiErrorBody> {
                serde_json::from_slice(body).ok()
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        //! Reading responses: the size limit, request ids, error bodies, decoding, and tracing.

        use crate::error::{excerpt, ApiErrorBody, Error};

        /// What the client needs to know about an operation to send it.
        #[derive(Debug, Clone, Copy)]
        pub(crate) struct OperationInfo {
            /// The spec's `operationId`.
            pub id: &'static str,
            pub method: &'static str,
            /// The path template, e.g. `/items/{id}`.
            pub path: &'static str,
            /// Whether the request may safely reach the server twice.
            pub idempotent: bool,
            /// Decodes an error body by the statuses the operation declares it for.
            pub decode_error: fn(reqwest::StatusCode, &[u8]) -> Option<ApiErrorBody>,
            /// The credentials the operation accepts: alternatives, each a combination of
            /// credential numbers (see `Credentials::is_set`). Empty when it needs none.
            pub security: &'static [&'static [usize]],
        }

        #shared_decoder

        /// How a call ended, as the hook set with `ClientBuilder::on_response` sees it.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct ResponseInfo<'a> {
            /// The spec's `operationId`.
            pub operation_id: &'static str,
            /// The HTTP status of the last response, if one arrived.
            pub status: Option<reqwest::StatusCode>,
            /// The request id of the last response, from its headers or body.
            pub request_id: Option<&'a str>,
            /// How many attempts the call took.
            pub attempts: u32,
            /// From the first attempt to the end of the last.
            pub latency: std::time::Duration,
        }

        /// A caller's callback for finished calls.
        #[derive(Clone)]
        pub struct ResponseHook(std::sync::Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>);

        impl ResponseHook {
            pub(crate) fn new(hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
                ResponseHook(std::sync::Arc::new(hook))
            }

            pub(crate) fn call(&self, info: &ResponseInfo<'_>) {
                (self.0)(info)
            }
        }

        impl std::fmt::Debug for ResponseHook {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("ResponseHook")
            }
        }

        /// A successful response, read in full.
        #[derive(Debug)]
        pub(crate) struct Success {
            pub status: reqwest::StatusCode,
            pub body: Vec<u8>,
            pub request_id: Option<String>,
        }

        /// Reads a response within `limit` bytes and sorts it into success or error.
        pub(crate) async fn read_response(
            mut response: reqwest::Response,
            limit: usize,
            operation: &OperationInfo,
        ) -> Result<Success, Error> {
            let status = response.status();
            let header_request_id = header_request_id(response.headers());
            let retry_after = crate::retry::retry_after(response.headers());
            if response.content_length().is_some_and(|length| length > limit as u64) {
                return Err(Error::ResponseTooLarge { status, limit });
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
                if body.len() + chunk.len() > limit {
                    return Err(Error::ResponseTooLarge { status, limit });
                }
                body.extend_from_slice(&chunk);
            }
            if status.is_success() {
                let request_id = header_request_id.or_else(|| body_request_id(&body));
                return Ok(Success { status, body, request_id });
            }
            let request_id = header_request_id.or_else(|| body_request_id(&body));
            Err(match (operation.decode_error)(status, &body) {
                Some(error) => Error::Api { status, error: Box::new(error), request_id, retry_after },
                None => Error::UnexpectedStatus { status, body: excerpt(&body), request_id, retry_after },
            })
        }

        /// Decodes a successful JSON body, naming the path of the first mismatch.
        pub(crate) fn decode<T: serde::de::DeserializeOwned>(success: Success) -> Result<T, Error> {
            let Success { status, body, request_id } = success;
            let fail = |path: String, source: serde_json::Error| Error::Decode {
                status,
                path,
                source,
                body: excerpt(&body),
                request_id: request_id.clone(),
            };
            let mut deserializer = serde_json::Deserializer::from_slice(&body);
            let value = serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|error| fail(error.path().to_string(), error.into_inner()))?;
            deserializer.end().map_err(|error| fail(String::new(), error))?;
            Ok(value)
        }

        #path_encoder

        /// A request id from the usual response headers.
        fn header_request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
            ["x-request-id", "request-id"]
                .iter()
                .find_map(|name| headers.get(*name))
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        }

        /// A top-level `request_id` property of a JSON body, as many APIs include one.
        fn body_request_id(body: &[u8]) -> Option<String> {
            #[derive(serde::Deserialize)]
            struct WithRequestId {
                request_id: Option<String>,
            }
            serde_json::from_slice::<WithRequestId>(body).ok()?.request_id
        }

        /// A short name for a failure, safe to log: no bodies, no values.
        #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
        fn failure_kind(error: &Error) -> String {
            match error {
                Error::Validation(_) => "validation".to_string(),
                Error::Api { status, .. } => format!("api error {}", status.as_u16()),
                Error::UnexpectedStatus { status, .. } => format!("unexpected status {}", status.as_u16()),
                Error::Decode { .. } => "decode".to_string(),
                Error::ResponseTooLarge { .. } => "response too large".to_string(),
                Error::Transport(error) if error.is_timeout() => "timeout".to_string(),
                Error::Transport(error) if error.is_connect() => "connect".to_string(),
                Error::Transport(_) => "transport".to_string(),
                Error::MissingCredentials { .. } | Error::Credential { .. } | Error::InvalidCredential { .. } => {
                    "credentials".to_string()
                }
            }
        }

        /// The tracing span of one call, across its attempts. It records the operation, method,
        /// path template, final status, attempts, request id and latency; never a body, a header
        /// value or a credential.
        #[cfg(feature = "tracing")]
        pub(crate) struct CallTrace {
            span: tracing::Span,
            started: std::time::Instant,
        }

        #[cfg(feature = "tracing")]
        impl CallTrace {
            pub fn start(operation: &OperationInfo) -> Self {
                let span = tracing::info_span!(
                    "api_call",
                    operation = operation.id,
                    http.method = operation.method,
                    http.path = operation.path,
                    http.status = tracing::field::Empty,
                    attempts = tracing::field::Empty,
                    request_id = tracing::field::Empty,
                    latency_ms = tracing::field::Empty,
                );
                CallTrace { span, started: std::time::Instant::now() }
            }

            pub fn retrying(&self, attempt: u32, error: &Error, delay: std::time::Duration) {
                let failure = failure_kind(error);
                tracing::warn!(parent: &self.span, attempt, failure, delay_ms = delay.as_millis() as u64, "retrying");
            }

            pub fn finish(&self, attempts: u32, result: Result<&Success, &Error>) {
                let latency_ms = self.started.elapsed().as_millis() as u64;
                self.span.record("attempts", attempts);
                self.span.record("latency_ms", latency_ms);
                match result {
                    Ok(success) => {
                        self.span.record("http.status", success.status.as_u16());
                        if let Some(request_id) = &success.request_id {
                            self.span.record("request_id", request_id.as_str());
                        }
                        tracing::info!(parent: &self.span, attempts, latency_ms, "call succeeded");
                    }
                    Err(error) => {
                        if let Some(status) = error.status() {
                            self.span.record("http.status", status.as_u16());
                        }
                        if let Some(request_id) = error.request_id() {
                            self.span.record("request_id", request_id);
                        }
                        let failure = failure_kind(error);
                        tracing::warn!(parent: &self.span, attempts, latency_ms, failure, "call failed");
                    }
                }
            }
        }

        /// Without the `tracing` feature, calls are not traced.
        #[cfg(not(feature = "tracing"))]
        pub(crate) struct CallTrace;

        #[cfg(not(feature = "tracing"))]
        impl CallTrace {
            pub fn start(_operation: &OperationInfo) -> Self {
                CallTrace
            }

            pub fn retrying(&self, _attempt: u32, _error: &Error, _delay: std::time::Duration) {}

            pub fn finish(&self, _attempts: u32, _result: Result<&Success, &Error>) {}
        }
    }
}
