//! The fixed runtime every generated crate carries: the files of `generator/runtime/src`,
//! copied byte for byte behind a preamble. That crate compiles, tests and lints them where they
//! are written; here they are only chosen. Everything that varies with the spec is built as
//! tokens elsewhere (`client.rs`, `api_error.rs`, `types.rs`, `lib_rs.rs`).

use super::Features;

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
}

macro_rules! runtime_file {
    ($module:literal) => {
        RuntimeFile { module: $module, text: include_str!(concat!("../../runtime/src/", $module, ".rs")) }
    };
}

/// Errors, `Error::Api`'s display, `SensitiveBody`.
const ERROR: RuntimeFile = runtime_file!("error");
const RETRY: RuntimeFile = runtime_file!("retry");
const SECRET: RuntimeFile = runtime_file!("secret");
const SETTINGS: RuntimeFile = runtime_file!("settings");
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
const MOCK_SERVER: RuntimeFile = runtime_file!("mock_server");
const WIRE_TEXT: RuntimeFile = runtime_file!("wire_text");

/// The runtime files a crate with these features needs, in module order.
pub fn runtime_files(features: &Features) -> Vec<RuntimeFile> {
    let optional = [
        (features.basic_auth, BASIC_AUTH),
        (features.binary, BINARY),
        (features.params.any() || features.path_parameters, PARAMS),
        (features.patterns, PATTERN),
        (features.bearer, TOKEN),
    ];
    let mut files = vec![COMMAND, ERROR, MOCK_SERVER, RETRY, SECRET, SETTINGS, TRANSPORT, VALIDATION, WIRE_TEXT];
    files.extend(optional.into_iter().filter(|(wanted, _)| *wanted).map(|(_, file)| file));
    files.sort_by_key(|file| file.module);
    files
}
