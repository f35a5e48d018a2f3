//! Spec text → the raw tree every later step of loading works on.
//!
//! The raw tree is a `serde_yaml::Value` whose mapping keys are all strings: it keeps the order
//! of keys (which decides the order of fields and operations in the output) and `openapiv3`
//! deserializes from it directly. JSON is read by a JSON parser (so `\uD83D\uDE00`-style escapes
//! work), YAML by a YAML parser (anchors and aliases are expanded). Both go through the same
//! visitor, which also accepts what the parsers hand over but a plain tree cannot hold:
//! integers beyond 64 bits become floats, scalar keys (`200:`) become strings, YAML tags are
//! dropped, and each problem is reported with the pointer of its node.

use std::cell::RefCell;
use std::fmt;
use std::path::Path;

use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::{Mapping, Number, Value};

use super::escape_pointer_token;
use crate::error::{Error, SpecError};

/// A parsed file: its tree, and what was tolerated on the way.
#[derive(Debug)]
pub(super) struct Raw {
    pub value: Value,
    pub warnings: Vec<SpecError>,
    /// See `Sink::normalized`.
    pub normalized: bool,
}

/// Parses spec text as JSON when the file is `.json` (or, failing a YAML-only extension, when the
/// text starts with `{`), as YAML otherwise. Pointers in problems are prefixed by `prefix`
/// (empty for the root file, `file.yaml` for others).
pub(super) fn parse(path: &Path, text: &str, prefix: &str) -> Result<Raw, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (is_json_file, looks_like_json) = json_hints(path, text);
    let sink = RefCell::new(Sink::default());
    let root = Crumb::Root(prefix);
    let value = if is_json_file {
        parse_json(path, text, &root, &sink)?
    } else if looks_like_json {
        // JSON-looking text in a `.yaml` file: JSON is tried first (it reads escapes YAML does
        // not), YAML decides if that fails.
        match parse_json(path, text, &root, &sink) {
            Ok(value) => value,
            Err(_) => {
                *sink.borrow_mut() = Sink::default();
                parse_yaml(path, text, &root, &sink)?
            }
        }
    } else {
        parse_yaml(path, text, &root, &sink)?
    };
    let sink = sink.into_inner();
    if !sink.errors.is_empty() {
        return Err(Error::spec(path, sink.errors));
    }
    Ok(Raw { value, warnings: sink.warnings, normalized: sink.normalized })
}

/// Whether the file is `.json`, and whether its text starts like JSON.
fn json_hints(path: &Path, text: &str) -> (bool, bool) {
    let is_json_file = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    (is_json_file, text.trim_start().starts_with('{'))
}

/// Whether [`parse`] reads this text with the YAML parser only (no byte-order mark, not JSON),
/// so that `serde_yaml` reading it straight sees the same values.
pub(super) fn reads_as_yaml(path: &Path, text: &str) -> bool {
    !text.starts_with('\u{feff}') && json_hints(path, text) == (false, false)
}

fn parse_json(path: &Path, text: &str, root: &Crumb<'_>, sink: &RefCell<Sink>) -> Result<Value, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Node { at: root, sink }.deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    value.map_err(|error| Error::Syntax {
        path: path.to_path_buf(),
        line: Some(error.line()),
        column: Some(error.column()),
        message: strip_location(&error.to_string()),
    })
}

fn parse_yaml(path: &Path, text: &str, root: &Crumb<'_>, sink: &RefCell<Sink>) -> Result<Value, Error> {
    Node { at: root, sink }.deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|error| {
        let location = error.location();
        Error::Syntax {
            path: path.to_path_buf(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: strip_location(&error.to_string()),
        }
    })
}

/// The parsers append " at line L column C" to their messages; the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[derive(Default)]
struct Sink {
    errors: Vec<SpecError>,
    warnings: Vec<SpecError>,
    /// Whether a value was changed without a warning (a scalar key made a string, an integer
    /// beyond 64 bits made a float): the tree then differs from what `serde_yaml` reads.
    normalized: bool,
}

/// Where the visitor is, as a chain to the root; turned into a pointer only when there is
/// something to report.
enum Crumb<'a> {
    Root(&'a str),
    Key(&'a Crumb<'a>, &'a str),
    Index(&'a Crumb<'a>, usize),
}

impl Crumb<'_> {
    fn pointer(&self) -> String {
        match self {
            Crumb::Root(prefix) => format!("{prefix}#"),
            Crumb::Key(parent, key) => format!("{}/{}", parent.pointer(), escape_pointer_token(key)),
            Crumb::Index(parent, index) => format!("{}/{index}", parent.pointer()),
        }
    }
}

struct Node<'a> {
    at: &'a Crumb<'a>,
    sink: &'a RefCell<Sink>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Node<'_> {
    fn error(&self, message: String) {
        self.sink.borrow_mut().errors.push(SpecError::new(self.at.pointer(), message));
    }

    fn warning(&self, message: String) {
        self.sink.borrow_mut().warnings.push(SpecError::new(self.at.pointer(), message));
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        // Beyond 64 bits: kept as the nearest float, as a JSON parser would.
        Ok(Value::Number(match i64::try_from(v) {
            Ok(v) => v.into(),
            Err(_) => {
                self.sink.borrow_mut().normalized = true;
                Number::from(v as f64)
            }
        }))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(match u64::try_from(v) {
            Ok(v) => v.into(),
            Err(_) => {
                self.sink.borrow_mut().normalized = true;
                Number::from(v as f64)
            }
        }))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        if !v.is_finite() {
            self.error(format!(
                "`{}` is not a JSON number; use a finite number or leave the keyword out",
                Number::from(v)
            ));
            return Ok(Value::Null);
        }
        Ok(Value::Number(Number::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let at = Crumb::Index(self.at, items.len());
            match seq.next_element_seed(Node { at: &at, sink: self.sink })? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        let mut index = 0usize;
        while let Some(key) = map.next_key_seed(Key { at: self.at, index, sink: self.sink })? {
            index += 1;
            let at = Crumb::Key(self.at, &key);
            let value = map.next_value_seed(Node { at: &at, sink: self.sink })?;
            if mapping.contains_key(key.as_str()) {
                Node { at: &at, sink: self.sink }
                    .warning("this key appears twice in the same mapping; the later value is used".to_string());
            }
            mapping.insert(Value::String(key), value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML tag such as `!Thing value`: the tag means nothing in OpenAPI; the value stays.
        let (tag, variant) = data.variant::<String>()?;
        self.warning(format!("the YAML tag `!{tag}` means nothing in OpenAPI and was ignored"));
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key: scalars become their text (`200:` is the string "200"); a mapping or sequence
/// used as a key is reported.
struct Key<'a> {
    at: &'a Crumb<'a>,
    index: usize,
    sink: &'a RefCell<Sink>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Key<'_> {
    /// A key that was not a string in the text, as its text.
    fn normalized(&self, text: String) -> String {
        self.sink.borrow_mut().normalized = true;
        text
    }

    fn complex(&self) -> String {
        self.sink.borrow_mut().errors.push(SpecError::new(
            self.at.pointer(),
            format!("key number {} of this mapping is a mapping or a list; OpenAPI keys are strings", self.index + 1),
        ));
        format!("\u{0}invalid-key-{}", self.index)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(self.normalized(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(self.normalized(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(self.normalized(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(self.normalized(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(self.normalized(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(self.normalized(Number::from(v).to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok(self.normalized("null".to_string()))
    }

    fn visit_none<E>(self) -> Result<String, E> {
        Ok(self.normalized("null".to_string()))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(self.complex())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(self.complex())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Raw {
        parse(Path::new("spec.yaml"), text, "").unwrap_or_else(|error| panic!("{error}"))
    }

    fn json(text: &str) -> Raw {
        parse(Path::new("spec.json"), text, "").unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn json_surrogate_pairs_are_decoded() {
        let raw = json(r#"{"title": "smile \uD83D\uDE00 \u0026 \/"}"#);
        assert_eq!(raw.value["title"], Value::String("smile \u{1F600} & /".to_string()));
    }

    #[test]
    fn json_text_in_a_yaml_file_is_read_as_json() {
        let raw = parse(Path::new("spec.yaml"), "{\"a\": \"\\uD83D\\uDE00\"}", "").unwrap();
        assert_eq!(raw.value["a"], Value::String("\u{1F600}".to_string()));
    }

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let raw = yaml("max: 18446744073709552000\nmin: -9223372036854776000\nu: 18446744073709551615\n");
        assert_eq!(raw.value["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(raw.value["min"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(raw.value["u"].as_u64(), Some(u64::MAX));
        let raw = json(r#"{"max": 18446744073709552000, "min": -9223372036854776000}"#);
        assert_eq!(raw.value["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(raw.value["min"].as_f64(), Some(-9223372036854776000.0));
    }

    #[test]
    fn scalar_keys_become_strings_and_order_is_kept() {
        let raw = yaml("responses:\n  200: {description: ok}\n  true: x\n  1.5: y\nz: 1\na: 2\n");
        let keys: Vec<_> = raw.value.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["responses", "z", "a"]);
        let responses = raw.value["responses"].as_mapping().unwrap();
        let keys: Vec<_> = responses.keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["200", "true", "1.5"]);
    }

    #[test]
    fn complex_keys_and_infinities_are_located() {
        let error = parse(Path::new("spec.yaml"), "a:\n  ? [1, 2]\n  : x\nb: [1, .inf]\n", "").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("at #/a: key number 1"), "{text}");
        assert!(text.contains("at #/b/1: `.inf` is not a JSON number"), "{text}");
    }

    #[test]
    fn anchors_and_aliases_are_expanded() {
        let raw = yaml("a: &shared {type: string}\nb: *shared\n");
        assert_eq!(raw.value["a"], raw.value["b"]);
    }

    #[test]
    fn duplicate_keys_and_tags_are_warnings() {
        let raw = yaml("a: 1\na: 2\nb: !custom 3\n");
        assert_eq!(raw.value["a"].as_u64(), Some(2));
        assert_eq!(raw.value["b"].as_u64(), Some(3));
        let text: Vec<String> = raw.warnings.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|w| w.starts_with("at #/a: this key appears twice")), "{text:?}");
        assert!(text.iter().any(|w| w.starts_with("at #/b: the YAML tag `!custom`")), "{text:?}");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        for (name, text) in [("spec.yaml", "a: [unclosed\n"), ("spec.json", "{\"a\": }")] {
            match parse(Path::new(name), text, "") {
                Err(Error::Syntax { line: Some(_), column: Some(_), .. }) => {}
                Err(other) => panic!("expected a syntax error, got {other:?}"),
                Ok(_) => panic!("expected a syntax error"),
            }
        }
    }
}
