//! The fixed runtime every generated crate carries: the files of `generator/runtime/src`,
//! copied byte for byte behind a preamble. That crate compiles, tests and lints them where they
//! are written; here they are only chosen. Everything that varies with the spec is built as
//! tokens elsewhere (`client.rs`, `api_error.rs`, `types.rs`, `lib_rs.rs`).

use super::{Features, SignatureScheme};

/// A runtime file: where it goes in the generated crate, its text, and the module it is.
#[derive(Debug, Clone, Copy)]
pub struct RuntimeFile {
    pub module: &'static str,
    pub text: &'static str,
}

impl RuntimeFile {
    /// The file's path in the generated crate, e.g. `src/error.rs`.
    pub fn path(&self) -> String {
        format!("src/{}.rs", self.module)
    }

    /// Whether the file is a submodule (`mock_server/reply`), declared by its parent rather
    /// than by `lib.rs`.
    pub fn is_submodule(&self) -> bool {
        self.module.contains('/')
    }
}

macro_rules! runtime_file {
    ($module:literal) => {
        RuntimeFile { module: $module, text: include_str!(concat!("../../runtime/src/", $module, ".rs")) }
    };
}

/// Errors and `Error::Api`'s display; `BuildError`; `Mismatch` and `SensitiveBody`.
const ERROR: RuntimeFile = runtime_file!("error");
const BUILD_ERROR: RuntimeFile = runtime_file!("build_error");
const MISMATCH: RuntimeFile = runtime_file!("mismatch");
/// The errors of streamed items and of pagers, which `Error` holds in every crate.
const STREAM_ERROR: RuntimeFile = runtime_file!("stream_error");
/// What the generated structs' `Deserialize` impls share.
const STRUCT_DE: RuntimeFile = runtime_file!("struct_de");
/// `ApiResponse`, reading and decoding responses, request ids.
const RESPONSE: RuntimeFile = runtime_file!("response");
const RETRY: RuntimeFile = runtime_file!("retry");
const SECRET: RuntimeFile = runtime_file!("secret");
const SETTINGS: RuntimeFile = runtime_file!("settings");
/// The `api_call` tracing span.
const TRACE: RuntimeFile = runtime_file!("trace");
const TRANSPORT: RuntimeFile = runtime_file!("transport");
const VALIDATION: RuntimeFile = runtime_file!("validation");
const PARAMS: RuntimeFile = runtime_file!("params");
const PATTERN: RuntimeFile = runtime_file!("pattern");
const TOKEN: RuntimeFile = runtime_file!("token");
const BASIC_AUTH: RuntimeFile = runtime_file!("basic_auth");
const BINARY: RuntimeFile = runtime_file!("binary");
/// The command line (`cli` feature), the mock server (`mock`) and what they share; every crate
/// carries them, compiled only with those features.
const COMMAND: RuntimeFile = runtime_file!("command");
/// The command line's parts, which `command.rs` declares itself.
const COMMAND_PARTS: [RuntimeFile; 4] = [
    runtime_file!("command/build"),
    runtime_file!("command/curl"),
    runtime_file!("command/output"),
    runtime_file!("command/read"),
];
/// The command line's `webhook` subcommands, in crates with events (compiled with `cli` only:
/// the file says so itself).
const COMMAND_WEBHOOK: RuntimeFile = runtime_file!("command_webhook");
const MOCK_SERVER: RuntimeFile = runtime_file!("mock_server");
/// The mock server's submodules, which `mock_server.rs` declares itself.
const MOCK_SERVER_PARTS: [RuntimeFile; 6] = [
    runtime_file!("mock_server/credentials"),
    runtime_file!("mock_server/handle"),
    runtime_file!("mock_server/http"),
    runtime_file!("mock_server/reply"),
    runtime_file!("mock_server/request"),
    runtime_file!("mock_server/stream"),
];
const WIRE_TEXT: RuntimeFile = runtime_file!("wire_text");
/// Optional nullable properties (`Nullable`), and `Debug` in place of values it must not show.
const NULLABLE: RuntimeFile = runtime_file!("nullable");
const REDACT: RuntimeFile = runtime_file!("redact");
/// codegen.toml's `with` modules, carried through `Option`, `Vec`, maps and the like.
const MAPPED_SERDE: RuntimeFile = runtime_file!("mapped_serde");
/// The fast reading of dates and date-times in struct fields, which goes through `mapped_serde`.
const DATES: RuntimeFile = runtime_file!("dates");
/// `rust_decimal::serde::float`'s reading of a `Decimal`, without printing each `f64`.
const DECIMAL_FLOAT: RuntimeFile = runtime_file!("decimal_float");

/// Pagers: the streams of pages and items, and their parts, which `pages.rs` declares itself.
const PAGES: RuntimeFile = runtime_file!("pages");
const PAGES_PARTS: [RuntimeFile; 3] =
    [runtime_file!("pages/link"), runtime_file!("pages/stream"), runtime_file!("pages/url")];
/// `--all-pages` and `--max-items` on the command line (compiled with `cli` only: the file says
/// so itself).
const COMMAND_PAGES: RuntimeFile = runtime_file!("command_pages");

/// Streamed responses: the server-sent events decoder, the typed item stream and how it cuts
/// bytes into items, and the transport's sending for a stream.
const SSE: RuntimeFile = runtime_file!("sse");
const EVENT_STREAM: RuntimeFile = runtime_file!("event_stream");
const EVENT_FRAMES: RuntimeFile = runtime_file!("event_frames");
const EVENT_RECONNECT: RuntimeFile = runtime_file!("event_reconnect");
const TRANSPORT_STREAM: RuntimeFile = runtime_file!("transport_stream");
/// Streams in the mock server (`mock`) and on the command line (`cli`); each file says so.
const MOCK_STREAM: RuntimeFile = runtime_file!("mock_stream");
/// Paginated lists in the mock server (`mock`, as the file says), for crates with pagers.
const MOCK_PAGES: RuntimeFile = runtime_file!("mock_pages");
const COMMAND_STREAM: RuntimeFile = runtime_file!("command_stream");

/// Webhooks: errors, header lookup and the catch-all event; then one file per signature scheme.
const WEBHOOK: RuntimeFile = runtime_file!("webhook");
const WEBHOOK_STANDARD: RuntimeFile = runtime_file!("webhook_standard");
const WEBHOOK_HMAC: RuntimeFile = runtime_file!("webhook_hmac");
const WEBHOOK_JWT: RuntimeFile = runtime_file!("webhook_jwt");

/// The runtime files a crate with these features needs, in module order.
pub fn runtime_files(features: &Features) -> Vec<RuntimeFile> {
    let optional = [
        (features.basic_auth, BASIC_AUTH),
        (features.binary, BINARY),
        (features.params.any() || features.path_parameters, PARAMS),
        (features.patterns, PATTERN),
        (features.bearer, TOKEN),
        (features.mapped_serde || features.dates, MAPPED_SERDE),
        (features.dates, DATES),
        (features.decimal_float, DECIMAL_FLOAT),
        (features.pages, PAGES),
        (features.pages, MOCK_PAGES),
        (features.pages, COMMAND_PAGES),
        (features.streams, SSE),
        (features.streams, EVENT_STREAM),
        (features.streams, EVENT_FRAMES),
        (features.streams, EVENT_RECONNECT),
        (features.streams, TRANSPORT_STREAM),
        (features.streams, MOCK_STREAM),
        (features.streams, COMMAND_STREAM),
        (features.events, WEBHOOK),
        (features.events, COMMAND_WEBHOOK),
        (features.signature == Some(SignatureScheme::StandardWebhooks), WEBHOOK_STANDARD),
        (features.signature == Some(SignatureScheme::Hmac), WEBHOOK_HMAC),
        (features.signature == Some(SignatureScheme::Jwt), WEBHOOK_JWT),
    ];
    let mut files = vec![
        BUILD_ERROR,
        COMMAND,
        ERROR,
        MISMATCH,
        MOCK_SERVER,
        RESPONSE,
        RETRY,
        SECRET,
        SETTINGS,
        STREAM_ERROR,
        STRUCT_DE,
        TRACE,
        TRANSPORT,
        VALIDATION,
        WIRE_TEXT,
    ];
    files.extend(COMMAND_PARTS);
    files.extend(MOCK_SERVER_PARTS);
    if features.pages {
        files.extend(PAGES_PARTS);
    }
    files.extend([NULLABLE, REDACT]);
    files.extend(optional.into_iter().filter(|(wanted, _)| *wanted).map(|(_, file)| file));
    files.sort_by_key(|file| file.module);
    files
}
