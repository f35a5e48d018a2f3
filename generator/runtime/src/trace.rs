//! The tracing span of a call, named after OpenTelemetry's conventions for HTTP clients: one
//! `api_call` span across all attempts and waits, and the request runs inside it.
//!
//! It records the operation, the method, the path template, the server's host and port, the
//! final status, how often the request was sent again, the kind of failure and the request id;
//! never a body, a header value, a parameter value or a credential.

use std::future::Future;
use std::time::Duration;

use crate::error::Error;
use crate::transport::OperationInfo;

/// The host and port requests go to, as traces name the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerAddress {
    pub host: String,
    pub port: u16,
}

impl ServerAddress {
    /// The host and port of a checked base URL.
    pub(crate) fn of(url: &reqwest::Url) -> Self {
        ServerAddress {
            host: url.host_str().unwrap_or_default().to_string(),
            port: url.port_or_known_default().unwrap_or_default(),
        }
    }
}

/// The span of one call, across its attempts.
#[cfg(feature = "tracing")]
pub(crate) struct CallTrace {
    span: tracing::Span,
}

#[cfg(feature = "tracing")]
impl CallTrace {
    pub fn start(operation: &OperationInfo, server: &ServerAddress) -> Self {
        let span = tracing::info_span!(
            "api_call",
            otel.name = %format_args!("{} {}", operation.method, operation.path),
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            operation = operation.id,
            http.request.method = operation.method,
            url.template = operation.path,
            server.address = server.host.as_str(),
            server.port = server.port,
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            error.type = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        CallTrace { span }
    }

    /// Runs `call` inside the span, so that whatever the request does is traced within it.
    pub fn instrument<F: Future>(&self, call: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(call, self.span.clone())
    }

    pub fn retrying(&self, attempt: u32, error: &Error, delay: Duration) {
        let failure = error_type(error);
        tracing::warn!(
            parent: &self.span,
            attempt,
            error.type = %failure,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
    }

    pub fn finish(
        &self,
        attempts: u32,
        latency: Duration,
        status: Option<reqwest::StatusCode>,
        request_id: Option<&str>,
        error: Option<&Error>,
    ) {
        let latency_ms = latency.as_millis() as u64;
        if let Some(status) = status {
            self.span.record("http.response.status_code", status.as_u16());
        }
        if attempts > 1 {
            self.span.record("http.request.resend_count", attempts - 1);
        }
        if let Some(request_id) = request_id {
            self.span.record("request_id", request_id);
        }
        match error {
            None => tracing::info!(parent: &self.span, attempts, latency_ms, "call succeeded"),
            Some(error) => {
                let failure = error_type(error);
                self.span.record("error.type", failure.as_str());
                self.span.record("otel.status_code", "ERROR");
                tracing::warn!(parent: &self.span, attempts, latency_ms, error.type = %failure, "call failed");
            }
        }
    }
}

/// A failure as traces name it (OpenTelemetry's `error.type`): the status for an error
/// status, else a short kind such as `timeout`, `tls` or `decode`. Never a value.
#[cfg(feature = "tracing")]
fn error_type(error: &Error) -> String {
    match error {
        Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => status.as_u16().to_string(),
        _ => error.kind().replace(' ', "_"),
    }
}

/// Without the `tracing` feature, calls are not traced.
#[cfg(not(feature = "tracing"))]
pub(crate) struct CallTrace;

#[cfg(not(feature = "tracing"))]
impl CallTrace {
    pub fn start(_operation: &OperationInfo, _server: &ServerAddress) -> Self {
        CallTrace
    }

    pub fn instrument<F: Future>(&self, call: F) -> F {
        call
    }

    pub fn retrying(&self, _attempt: u32, _error: &Error, _delay: Duration) {}

    pub fn finish(
        &self,
        _attempts: u32,
        _latency: Duration,
        _status: Option<reqwest::StatusCode>,
        _request_id: Option<&str>,
        _error: Option<&Error>,
    ) {
    }
}
