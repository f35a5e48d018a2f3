//! What `Debug` shows in place of values it must not show.
//!
//! Response data is as sensitive as credentials, and `Debug` output ends up in logs. A type with
//! sensitive fields (`x-sensitive`, `format: password`, or codegen.toml's `[sensitive]`) prints
//! `Redacted` for them, whatever their type, so a sensitive object hides its whole subtree;
//! every type with sensitive fields does so, at any depth. Properties a schema does not declare
//! have unknown sensitivity: their names are shown (`UnknownKeys`), or only how many there
//! are when the names are data too (`Count`), never their values.
use std::fmt;

/// Prints `[redacted]`.
#[allow(dead_code, reason = "the generated `Debug` impls use it for sensitive fields and sensitive types")]
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Prints the keys of a map of properties the schema does not declare, as a set, without their
/// values: `UnknownKeys(extra.keys().collect())`.
#[allow(dead_code, reason = "the generated `Debug` impls use it for objects that keep undeclared properties")]
pub(crate) struct UnknownKeys<'a>(pub(crate) Vec<&'a String>);

impl fmt::Debug for UnknownKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

/// Prints how many entries a map has, for maps whose keys are data (`additionalProperties`
/// with a schema).
#[allow(dead_code, reason = "the generated `Debug` impls use it for objects with `additionalProperties` of a schema")]
pub(crate) struct Count(pub(crate) usize);

impl fmt::Debug for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} entries]", self.0)
    }
}

/// Prints what kind of JSON value a value is, without its contents: for values no schema
/// describes (a union's catch-all variant). An object shows its keys.
#[allow(dead_code, reason = "the generated `Debug` impls use it for unions, whose catch-all variant holds it")]
pub(crate) struct JsonShape<'a>(pub(crate) &'a serde_json::Value);

impl fmt::Debug for JsonShape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Object(map) => f.debug_set().entries(map.keys()).finish(),
            serde_json::Value::Array(items) => write!(f, "[array of {}]", items.len()),
            serde_json::Value::Null => f.write_str("null"),
            serde_json::Value::Bool(_) => f.write_str("[boolean]"),
            serde_json::Value::Number(_) => f.write_str("[number]"),
            serde_json::Value::String(_) => f.write_str("[string]"),
        }
    }
}
