//! Writing parameter values into paths, queries, headers and cookies: percent-encoding, and
//! values that are objects, maps or unions written the way the spec's `style` and `explode`
//! ask (OpenAPI 3.0, "Style Values"). Styled values arrive as JSON; properties are written in
//! the order of their names, and absent (`null`) ones are left out.
//!
//! Every client has this module when its spec has parameters, but uses only the styles its
//! spec declares, each in the methods of the operations that have them (of the areas built).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes everything but unreserved characters, so that a path parameter stays one
/// path segment and a cookie value cannot end early.
#[allow(dead_code, reason = "the generated client calls it for path parameters written as plain text or JSON")]
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// The text of a scalar; a value nested deeper than a style can express is JSON text.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The present properties of an object, by name (whatever order the map keeps).
fn entries(properties: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = properties.iter().filter(|(_, value)| !value.is_null()).collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// The query pairs of a `form` (`separator` `,`), `spaceDelimited` (` `) or
/// `pipeDelimited` (`|`) parameter. Exploded, an array repeats `name=item` and an
/// object sends one pair per property (`color=red&size=L`); otherwise both are one
/// pair, `name=a,b` or `name=color,red,size,L`. `null` sends nothing.
#[allow(dead_code, reason = "the generated client calls it for `form` and delimited query parameters")]
pub(crate) fn form_pairs(name: &str, value: &Value, explode: bool, separator: &str, query: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) if explode => {
            query.extend(items.iter().map(|item| (name.to_owned(), scalar(item))));
        }
        Value::Array(items) => {
            let text = items.iter().map(scalar).collect::<Vec<_>>().join(separator);
            query.push((name.to_owned(), text));
        }
        Value::Object(properties) if explode => {
            for (key, value) in entries(properties) {
                match value {
                    Value::Array(items) => {
                        query.extend(items.iter().map(|item| (key.clone(), scalar(item))));
                    }
                    value => query.push((key.clone(), scalar(value))),
                }
            }
        }
        Value::Object(properties) => {
            let parts: Vec<String> =
                entries(properties).flat_map(|(key, value)| [key.clone(), scalar(value)]).collect();
            query.push((name.to_owned(), parts.join(separator)));
        }
        value => query.push((name.to_owned(), scalar(value))),
    }
}

/// The query pairs of a `deepObject` parameter: `name[key]=value`, nested objects as
/// `name[a][b]=value`, arrays of scalars as `name[key][]=item` and arrays holding
/// objects or arrays by index, `name[key][0][a]=value` (the bracket convention of
/// Rack, PHP and `qs`). `null` and absent properties send nothing.
#[allow(dead_code, reason = "the generated client calls it for `deepObject` query parameters")]
pub(crate) fn deep_object_pairs(name: String, value: &Value, query: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(properties) => {
            for (key, value) in entries(properties) {
                deep_object_pairs(format!("{name}[{key}]"), value, query);
            }
        }
        Value::Array(items) if items.iter().any(|item| item.is_object() || item.is_array()) => {
            for (index, item) in items.iter().enumerate() {
                deep_object_pairs(format!("{name}[{index}]"), item, query);
            }
        }
        Value::Array(items) => {
            query.extend(items.iter().map(|item| (format!("{name}[]"), scalar(item))));
        }
        value => query.push((name, scalar(value))),
    }
}

/// The text of a `simple` parameter (path, header; cookies too): `a,b` for an
/// array, `color,red,size,L` for an object, or `color=red,size=L` exploded.
/// `encoded` percent-encodes each key and value (paths and cookies).
#[allow(dead_code, reason = "the generated client calls it for `simple` path and header parameters, and cookies")]
pub(crate) fn simple_text(value: &Value, explode: bool, encoded: bool) -> String {
    let text = |text: String| if encoded { encode(&text) } else { text };
    match value {
        Value::Array(items) => items.iter().map(|item| text(scalar(item))).collect::<Vec<_>>().join(","),
        Value::Object(properties) => entries(properties)
            .map(|(key, value)| {
                let separator = if explode { "=" } else { "," };
                format!("{}{separator}{}", text(key.clone()), text(scalar(value)))
            })
            .collect::<Vec<_>>()
            .join(","),
        value => text(scalar(value)),
    }
}

/// The percent-encoded text of a `label` path parameter: `.a.b` (exploded) or
/// `.a,b`; an object as `.color=red.size=L` (exploded) or `.color,red,size,L`.
#[allow(dead_code, reason = "the generated client calls it for `label` path parameters")]
pub(crate) fn label_text(value: &Value, explode: bool) -> String {
    match value {
        Value::Null => String::new(),
        Value::Array(items) if explode => {
            format!(".{}", items.iter().map(|item| encode(&scalar(item))).collect::<Vec<_>>().join("."))
        }
        Value::Object(properties) if explode => led_pairs(properties, "."),
        value => format!(".{}", simple_text(value, false, true)),
    }
}

/// The percent-encoded text of a `matrix` path parameter: `;name=a;name=b`
/// (exploded) or `;name=a,b`; an object as `;color=red;size=L` (exploded) or
/// `;name=color,red,size,L`.
#[allow(dead_code, reason = "the generated client calls it for `matrix` path parameters")]
pub(crate) fn matrix_text(name: &str, value: &Value, explode: bool) -> String {
    let name = encode(name);
    match value {
        Value::Null => format!(";{name}"),
        Value::Array(items) if explode => {
            items.iter().map(|item| format!(";{name}={}", encode(&scalar(item)))).collect()
        }
        Value::Object(properties) if explode => led_pairs(properties, ";"),
        value => format!(";{name}={}", simple_text(value, false, true)),
    }
}

/// An exploded object of a `label` or `matrix` parameter: `key=value` for each property,
/// percent-encoded, each led by `lead`.
fn led_pairs(properties: &Map<String, Value>, lead: &str) -> String {
    entries(properties).map(|(key, value)| format!("{lead}{}={}", encode(key), encode(&scalar(value)))).collect()
}
