//! Values that arrive as text — a command-line flag, or a parameter in a request's path, query,
//! headers or cookies — turned back into the JSON their type decodes from. Shared by the command
//! line (`cli` feature) and the mock server (`mock` feature).

/// What JSON a piece of text stands for, decided from the spec's type of the value.
#[allow(dead_code, reason = "the generated `cli.rs` and `mock.rs` tables name the kinds of their values")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A string, an enum value, a date or anything else written as it is.
    Text,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// JSON text, for objects, unions and other values with no plain text form (or a string,
    /// when the text is not JSON).
    Json,
}

impl TextKind {
    /// The JSON value `text` stands for, or what was expected instead (never the text itself,
    /// which may be personal data).
    pub fn to_json(self, text: &str) -> Result<serde_json::Value, &'static str> {
        use serde_json::Value;
        match self {
            TextKind::Text => Ok(Value::String(text.to_string())),
            TextKind::Integer => text
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| text.trim().parse::<u64>().map(Value::from))
                .map_err(|_| "a whole number"),
            TextKind::Number => match serde_json::from_str::<serde_json::Number>(text.trim()) {
                Ok(number) => Ok(Value::Number(number)),
                Err(_) => Err("a number"),
            },
            TextKind::Boolean => match text.trim() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err("`true` or `false`"),
            },
            // Text that is not JSON is taken as a string, so that `--id abc` works for a type
            // the config chose (a UUID, say) as well as `--amount 12.5`.
            TextKind::Json => Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))),
        }
    }

    /// A placeholder for the value in help text, e.g. `<INTEGER>`.
    #[cfg(feature = "cli")]
    pub fn value_name(self) -> &'static str {
        match self {
            TextKind::Text => "TEXT",
            TextKind::Integer => "INTEGER",
            TextKind::Number => "NUMBER",
            TextKind::Boolean => "BOOL",
            TextKind::Json => "JSON",
        }
    }
}

/// A value decoded from JSON into its type, or where and how it failed: the path in the value
/// (`items[0].name`) and the kind of mismatch, never the value.
pub fn decode_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let mismatch = crate::error::Mismatch::of(&error.into_inner());
        (if path == "." { String::new() } else { path }, mismatch.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::TextKind;
    use serde_json::json;

    #[test]
    fn text_becomes_the_json_of_its_kind() {
        assert_eq!(TextKind::Text.to_json("12"), Ok(json!("12")));
        assert_eq!(TextKind::Integer.to_json("12"), Ok(json!(12)));
        assert_eq!(TextKind::Integer.to_json("1.5"), Err("a whole number"));
        assert_eq!(TextKind::Number.to_json("1.25"), Ok(json!(1.25)));
        assert_eq!(TextKind::Boolean.to_json("true"), Ok(json!(true)));
        assert_eq!(TextKind::Boolean.to_json("yes"), Err("`true` or `false`"));
        assert_eq!(TextKind::Json.to_json(r#"{"a":[1]}"#), Ok(json!({"a": [1]})));
        assert_eq!(TextKind::Json.to_json("abc"), Ok(json!("abc")));
    }
}
