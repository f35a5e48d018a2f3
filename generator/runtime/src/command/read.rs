//! What clap matched, read into a [`Call`]: the operation, the global options, the parameters
//! as a JSON object, the body, and how the answer is asked for (streamed, or across pages);
//! then decoded into the operation's request types by the generated `send`.

use std::io::Read;
use std::process::ExitCode;

use clap::ArgMatches;
use serde_json::{Map, Value};

use super::{App, Body, Failure, Flag, Global, Invocation, Operation, Target, EXIT_INVALID};
use crate::wire_text::decode_json;

/// An operation to call, its arguments read and checked.
pub struct Call {
    pub operation: &'static Operation,
    pub global: Global,
    params: Map<String, Value>,
    body: Option<Input>,
    /// Whether the stream switch was given.
    stream: bool,
    /// Whether pages are to be followed, and how far.
    paging: Option<Paging>,
}

/// How far to follow the pages of a paged operation: `--all-pages`, or `--max-items N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// `--max-items`: stop after this many items; `None` follows every page.
    pub max_items: Option<u64>,
}

/// A body as given.
enum Input {
    Json(Value),
    Bytes(Vec<u8>),
}

impl Global {
    /// The global options as a subcommand received them.
    pub fn of(arguments: &ArgMatches) -> Global {
        Global {
            environment: arguments.try_get_one::<String>("env").ok().flatten().cloned(),
            base_url: arguments.get_one::<String>("base-url").cloned(),
            dry_run: arguments.get_flag("dry-run"),
        }
    }
}

/// What the arguments clap matched ask for: an operation to call or the mock server. `Err` is
/// the exit code after saying what is wrong with them.
pub fn invocation(app: &'static App, matches: &ArgMatches) -> Result<Invocation, ExitCode> {
    let Some((name, arguments)) = matches.subcommand() else {
        return Err(ExitCode::from(EXIT_INVALID));
    };
    #[cfg(feature = "mock")]
    if name == "mock" {
        let port = arguments.get_one::<u16>("port").copied().unwrap_or(0);
        return Ok(Invocation::Mock { port });
    }
    let Some(operation) = app.operations.iter().find(|operation| operation.name == name) else {
        return Err(ExitCode::from(EXIT_INVALID));
    };
    let global = Global::of(arguments);
    let switch =
        |target: Target| operation.flags.iter().any(|flag| flag.target == target && arguments.get_flag(flag.long));
    let stream = switch(Target::Stream);
    let max_items = operation
        .flags
        .iter()
        .filter(|flag| flag.target == Target::MaxItems)
        .find_map(|flag| arguments.get_one::<u64>(flag.long).copied());
    let paging = (switch(Target::AllPages) || max_items.is_some()).then_some(Paging { max_items });
    match read_call(operation, arguments) {
        Ok((params, body)) => Ok(Invocation::Call(Call { operation, global, params, body, stream, paging })),
        Err(message) => {
            eprintln!("error: {message}");
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

/// Reads an operation's flags and body into the parameters' JSON object and the body.
fn read_call(operation: &Operation, arguments: &ArgMatches) -> Result<(Map<String, Value>, Option<Input>), String> {
    let mut body = match arguments.try_get_one::<String>("body").ok().flatten() {
        None => None,
        Some(given) => {
            let bytes = read_body(given)?;
            Some(match operation.body {
                Body::Json { .. } => Input::Json(serde_json::from_slice(&bytes).map_err(|error| {
                    format!("--body is not JSON (line {}, column {})", error.line(), error.column())
                })?),
                _ => Input::Bytes(bytes),
            })
        }
    };
    let mut params = Map::new();
    for flag in operation.flags.iter().filter(|flag| flag.target.sets_request()) {
        let value = if flag.list {
            let Some(values) = arguments.get_many::<String>(flag.long) else { continue };
            let items = values.map(|text| to_json(flag, text)).collect::<Result<Vec<_>, _>>()?;
            Value::Array(items)
        } else {
            let Some(text) = arguments.get_one::<String>(flag.long) else { continue };
            to_json(flag, text)?
        };
        if flag.target == Target::Parameter {
            params.insert(flag.name.to_string(), value);
            continue;
        }
        match body.get_or_insert_with(|| Input::Json(Value::Object(Map::new()))) {
            Input::Json(Value::Object(object)) => {
                object.insert(flag.name.to_string(), value);
            }
            _ => return Err(format!("--{} sets a property of the body, but --body is not a JSON object", flag.long)),
        }
    }
    for flag in operation.flags.iter().filter(|flag| flag.required) {
        let given = match (flag.target, &body) {
            (Target::Parameter, _) => params.contains_key(flag.name),
            (Target::Body, Some(Input::Json(Value::Object(object)))) => object.contains_key(flag.name),
            _ => false,
        };
        if !given {
            return Err(match flag.target {
                Target::Body => format!("--{} is required (or `{}` in --body)", flag.long, flag.name),
                _ => format!("--{} is required", flag.long),
            });
        }
    }
    let body_required = matches!(
        operation.body,
        Body::Json { required: true } | Body::Text { required: true } | Body::Bytes { required: true }
    );
    if body_required && body.is_none() {
        return Err("--body is required".into());
    }
    Ok((params, body))
}

fn to_json(flag: &Flag, text: &str) -> Result<Value, String> {
    flag.kind.to_json(text).map_err(|expected| format!("--{} expects {expected}", flag.long))
}

/// A body argument: `@FILE`, `-` for standard input, or the text itself.
fn read_body(given: &str) -> Result<Vec<u8>, String> {
    if given == "-" {
        return read_stdin();
    }
    match given.strip_prefix('@') {
        Some(path) => std::fs::read(path).map_err(|error| format!("cannot read the body from {path}: {error}")),
        None => Ok(given.as_bytes().to_vec()),
    }
}

/// Reads standard input to its end.
pub fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the body from standard input: {error}"))?;
    Ok(bytes)
}

impl Call {
    /// The flag that sets `name`, or where to put it in `--body`.
    fn flag(&self, target: Target, name: &str) -> String {
        match self.operation.flags.iter().find(|flag| flag.target == target && flag.name == name) {
            Some(flag) => format!("--{}", flag.long),
            None => "--body".to_string(),
        }
    }
}

/// What the generated `send` reads of a call: the operation, its parameters and its body.
#[allow(dead_code, reason = "the generated `send` picks the operation and reads what it takes: parameters, a body")]
impl Call {
    /// The spec's operationId of the operation to call.
    pub fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// The parameters, decoded into the operation's parameter type.
    pub fn params<T: serde::de::DeserializeOwned>(&self) -> Result<T, Failure> {
        decode_json(Value::Object(self.params.clone())).map_err(|(path, mismatch)| {
            let name = path.split(['.', '[']).next().unwrap_or_default();
            let flag = self.flag(Target::Parameter, name);
            Failure::Invalid(format!("{flag}: {mismatch}"))
        })
    }

    /// The JSON body, decoded into the operation's body type; `None` when none was given.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let Some(Input::Json(value)) = &self.body else { return Ok(None) };
        self.decode_body(value.clone()).map(Some)
    }

    /// The JSON body, or an empty JSON object when none was given, decoded into the body's
    /// type: for a pager, which sets its paging value in a body the operation makes optional.
    pub fn json_body_or_empty<T: serde::de::DeserializeOwned>(&self) -> Result<T, Failure> {
        match &self.body {
            Some(Input::Json(value)) => self.decode_body(value.clone()),
            _ => self.decode_body(Value::Object(Map::new())),
        }
    }

    fn decode_body<T: serde::de::DeserializeOwned>(&self, value: Value) -> Result<T, Failure> {
        decode_json(value).map_err(|(path, mismatch)| {
            let name = path.split(['.', '[']).next().unwrap_or_default();
            let place = if path.is_empty() { "--body".to_string() } else { self.flag(Target::Body, name) };
            let at =
                if path.is_empty() || !place.starts_with("--body") { String::new() } else { format!(" at `{path}`") };
            Failure::Invalid(format!("{place}{at}: {mismatch}"))
        })
    }

    /// The text body; `None` when none was given.
    pub fn text_body(&self) -> Result<Option<String>, Failure> {
        match &self.body {
            Some(Input::Bytes(bytes)) => String::from_utf8(bytes.clone())
                .map(Some)
                .map_err(|_| Failure::Invalid("--body is not UTF-8 text".into())),
            _ => Ok(None),
        }
    }

    /// The bytes body; `None` when none was given.
    pub fn bytes_body(&self) -> Option<Vec<u8>> {
        match &self.body {
            Some(Input::Bytes(bytes)) => Some(bytes.clone()),
            _ => None,
        }
    }

    /// Whether the answer is asked for as a stream: by the stream switch, or, for an
    /// operation that streams when a property of its JSON body is `true`, by that property
    /// (`flag`), set by its own flag or in `--body`.
    pub fn wants_stream(&self, flag: Option<&str>) -> bool {
        let property = flag.is_some_and(|name| match &self.body {
            Some(Input::Json(body)) => body.get(name) == Some(&Value::Bool(true)),
            _ => false,
        });
        self.stream || property
    }

    /// Whether, and how far, to follow the pages of a paged operation (`--all-pages`,
    /// `--max-items`); `None` asks for the one page the request names, printed whole.
    pub fn paging(&self) -> Option<Paging> {
        self.paging
    }
}
