//! `[streams]` of `codegen.toml`: what the spec cannot say about an operation whose response is
//! a stream of items, by operationId: the type of one item, the `data` that ends the stream,
//! and the request property that asks for a stream.

use serde::Deserialize;

/// `[streams.<operationId>]`. Every key is optional; what is left out is read from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StreamSettings {
    /// The component schema of one item, when the spec's schema is not it (or there is none).
    pub item: Option<String>,
    /// An event `data` (or a line) that ends the stream, e.g. `[DONE]`.
    pub terminator: Option<String>,
    /// The boolean property of the JSON request body that asks for a stream, when the
    /// operation answers JSON otherwise; `false` for none. Read from the spec when left out: a
    /// boolean property named `stream`.
    pub flag: Option<StreamFlagSetting>,
}

/// `flag = "name"` or `flag = false`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum StreamFlagSetting {
    Property(String),
    Off(bool),
}

impl StreamSettings {
    /// The checks of one operation's settings.
    pub(super) fn check(&self, operation: &str) -> Result<(), String> {
        match &self.flag {
            Some(StreamFlagSetting::Off(true)) => Err(format!(
                "[streams.{operation}] flag = true names no property; write the property's name, or false for none"
            )),
            Some(StreamFlagSetting::Property(name)) if name.is_empty() => {
                Err(format!("[streams.{operation}] flag is empty; write the property's name, or false for none"))
            }
            _ => Ok(()),
        }
    }
}
