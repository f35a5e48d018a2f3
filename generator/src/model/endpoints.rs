//! The model of operations: what each sends (parameters, a body, credentials) and what it
//! receives (a success body, declared errors), with the path template read once.

use super::{TypeId, ValueType};

/// One operation, i.e. one client method.
#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    /// The method name, e.g. `cra_monitoring_insights_get`.
    pub rust_name: String,
    /// The name of the method that also returns the response's status, headers, request id
    /// and raw body, e.g. `cra_monitoring_insights_get_with_response` (collision-free).
    pub with_response_name: String,
    pub method: HttpMethod,
    /// The path template as the spec writes it, e.g. `/pets/{petId}`, for docs and the mock's
    /// routes.
    pub path: String,
    /// The path template read once: literal text, and placeholders linked to the path
    /// parameters that fill them. What sends a request reads this, never `path`.
    pub path_template: Vec<PathSegment>,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The operation's `tags`, in order (the first decides its area, see [`areas`](crate::model::areas)).
    pub tags: Vec<String>,
    /// Whether sending the request twice is harmless, so that it may be retried after a timeout
    /// or a server error: GET, HEAD, PUT, DELETE, OPTIONS and TRACE are, other methods when the
    /// operation says `x-idempotent: true`.
    pub idempotent: bool,
    /// Which credentials the operation sends (its `security`, or the document's): alternatives,
    /// each a combination of indexes into
    /// [`Api::credentials`](crate::model::Api::credentials). Empty when it needs none; an empty
    /// alternative means the credentials are optional.
    pub security: Vec<Vec<usize>>,
    /// Path, query, header and cookie parameters, in declaration order.
    pub parameters: Vec<Parameter>,
    /// The struct holding the parameter values (`{OperationId}Params`), when there are any.
    pub params_type: Option<TypeId>,
    pub body: Option<RequestBody>,
    /// The body of a successful response; `None` when it has none.
    pub response: Option<ResponseBody>,
    /// Examples of the successful JSON response from the spec, by name.
    pub response_examples: Vec<(String, serde_json::Value)>,
    /// The status of a successful response: the first 2xx the spec lists (`200` for `2XX`, or
    /// when it lists none).
    pub success_status: u16,
    /// The JSON error bodies the operation declares, by status.
    pub errors: Vec<ErrorResponse>,
    /// A success body that arrives as a stream of items (server-sent events, JSON lines):
    /// instead of [`Operation::response`], or beside it when a request field chooses.
    pub stream: Option<StreamResponse>,
    /// How the pages of a list operation are chained, when they match a known pattern.
    pub pagination: Option<super::pagination::Pagination>,
}

/// A successful response read as a stream of items, each decoded as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamResponse {
    /// The client method that returns the stream: the operation's own name when the stream is
    /// its only answer, else `{name}_stream` (collision-free).
    pub method_name: String,
    pub framing: StreamFraming,
    /// The media type the spec names, e.g. `text/event-stream`; the request's `Accept`.
    pub media_type: String,
    /// The type of one item (an event's `data`, a line), or `None` for raw server-sent events.
    pub item: Option<ValueType>,
    /// An event `data` that ends the stream (e.g. `[DONE]`), not an item.
    pub terminator: Option<String>,
    /// When the operation answers JSON or a stream by a request field: that boolean property of
    /// the JSON request body. The client then has one method for each answer.
    pub flag: Option<StreamFlag>,
}

/// How a stream's bytes are cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFraming {
    /// `text/event-stream`: server-sent events.
    Sse,
    /// JSON lines (`application/x-ndjson`, `application/jsonl`, …): one JSON value per line.
    JsonLines,
    /// JSON text sequences (`application/json-seq`, RFC 7464).
    JsonSeq,
}

/// The request body's boolean property that asks for a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFlag {
    pub wire_name: String,
    pub rust_name: String,
}

/// A piece of an operation's path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is, e.g. `/pets/`.
    Literal(String),
    /// A placeholder (`{petId}`), filled with the value of the parameter at this index of
    /// [`Operation::parameters`] (a path parameter).
    Parameter(usize),
}

impl Operation {
    /// Whether some placeholder of the path is filled with a parameter's value.
    pub fn has_path_parameters(&self) -> bool {
        self.path_template.iter().any(|segment| matches!(segment, PathSegment::Parameter(_)))
    }
}

/// A declared error response with a JSON body.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    pub status: ErrorStatus,
    pub value: ValueType,
}

/// Which statuses an error response covers, most specific first when sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorStatus {
    /// One status, e.g. `404`.
    Code(u16),
    /// A class, e.g. `4XX` (holding 4).
    Range(u16),
    /// `default`: every status not listed.
    Default,
}

/// What a successful response carries.
#[derive(Debug, Clone)]
pub enum ResponseBody {
    /// JSON, decoded into this type.
    Json(ValueType),
    /// Text (`text/plain`, `text/csv`, `text/html`, XML, …), handed over as a `String`; XML is
    /// not parsed.
    Text {
        /// The media type the spec names, e.g. `text/plain`.
        media_type: String,
    },
    /// Anything else (a PDF, a ZIP, an image, `*/*`, …), handed over as bytes.
    Bytes {
        /// The media type the spec names, e.g. `application/pdf`.
        media_type: String,
    },
}

/// A parameter: one field of the operation's params struct, sent in the path, the query, a
/// header or the `Cookie` header.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire_name: String,
    /// Its field: an index into the fields of the operation's params struct
    /// ([`Operation::params_type`]), which holds its Rust name and value.
    pub field: usize,
    pub location: ParameterLocation,
    /// How an array value is written, for [`ParameterEncoding::Text`].
    pub style: ArrayStyle,
    /// How the value becomes text.
    pub encoding: ParameterEncoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    /// Sent as `name=value` in the request's one `Cookie` header.
    Cookie,
}

/// How a parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterEncoding {
    /// A scalar, an enum or an array of them, written directly from its Rust value with
    /// [`Parameter::style`].
    Text,
    /// Any value (objects, maps, unions, …), turned into JSON first and then written the way
    /// the spec's `style` and `explode` say.
    Styled { style: ParameterStyle, explode: bool },
    /// A parameter described by `content: {application/json: …}`: the value's JSON text.
    Json,
}

/// The `style` of a parameter (OpenAPI 3.0 "Style Values").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    /// Query and cookie: `name=value`, objects as `k=v` pairs (exploded) or `name=k,v`.
    Form,
    SpaceDelimited,
    PipeDelimited,
    /// Query: `name[key]=value`, nested objects as `name[a][b]=value`.
    DeepObject,
    /// Path and header: `a,b`, objects as `k,v` or `k=v` (exploded).
    Simple,
    /// Path: `.a.b` / `.a,b`.
    Label,
    /// Path: `;name=a;name=b` / `;name=a,b`.
    Matrix,
}

/// How an array parameter is written: repeated (`a=1&a=2`, `explode: true` forms) or joined
/// into one value with a separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    Repeat,
    Comma,
    Space,
    Pipe,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    /// The caller's value: the body's schema for JSON and forms, a `String` for text, `Binary`
    /// for bytes.
    pub value: ValueType,
    pub required: bool,
    pub encoding: BodyEncoding,
    /// The `Content-Type` sent: the JSON media type listed (`application/json`, or e.g.
    /// `application/merge-patch+json`), or for text and bytes the first concrete media type
    /// listed (the default when the caller may pick another, see `content_type`).
    pub media_type: String,
    /// For a text or bytes body that lists several media types, or a wildcard such as `*/*`: the
    /// enum of media types the caller picks the `Content-Type` from (`None` in a call sends
    /// `media_type`).
    pub content_type: Option<TypeId>,
}

/// How a request body is written. When a body lists several media types, JSON wins, then the
/// first form type listed (`application/x-www-form-urlencoded` or `multipart/form-data`), then
/// text or bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` or `*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property of the body's object.
    Multipart,
    /// Text the caller writes, sent as it is: `text/*`, and XML (`application/xml`, `*+xml`),
    /// which the crate does not serialize.
    Text,
    /// Raw bytes the caller provides, sent as they are: every other media type
    /// (`application/octet-stream`, `image/png`, `application/pdf`, `*/*`, …).
    Bytes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `post`, …).
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}
