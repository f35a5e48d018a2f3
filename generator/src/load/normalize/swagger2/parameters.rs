//! Path, query, header and cookie parameters, and response headers: 2.0 writes their schema
//! keywords on the parameter itself, 3.0 under `schema`; `collectionFormat` becomes a style.

use serde_yaml::{Mapping, Value};

use super::{key, shown, Converter};

/// Keywords of a 2.0 parameter or header that describe its value: together they are its schema.
const SCHEMA_KEYWORDS: [&str; 28] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
    "x-isnullable",
    "nullable",
    "title",
    "readOnly",
    "properties",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "allOf",
    "oneOf",
    "anyOf",
];

impl Converter<'_> {
    /// A path, query, header or cookie parameter, now at `at`, written at `from`.
    pub(super) fn parameter(&mut self, parameter: &mut Mapping, at: &str, from: &str) {
        let location = super::location(parameter).unwrap_or_default().to_string();
        self.styled(parameter, &location, at, from);
    }

    /// A response header: a parameter whose location (`header`) goes without saying.
    pub(super) fn header(&mut self, header: &mut Mapping, at: &str, from: &str) {
        self.styled(header, "header", at, from);
    }

    fn styled(&mut self, node: &mut Mapping, location: &str, at: &str, from: &str) {
        // On anything but an array `collectionFormat` means nothing.
        let format = node.shift_remove("collectionFormat");
        // A parameter written the 3.0 way already has its schema (or content).
        if !node.contains_key("schema") && !node.contains_key("content") {
            let schema = self.take_schema(node, from);
            if schema.is_empty() {
                // Neither schema nor type: repair reads it as a string, with a warning.
                return;
            }
            node.insert(key("schema"), Value::Mapping(schema));
            self.out.moved(format!("{at}/schema"), from.to_string());
        }
        if is_array(node.get("schema")) && !node.contains_key("style") {
            let (style, explode) = self.style(location, format.as_ref(), from);
            node.insert(key("style"), Value::from(style));
            if let Some(explode) = explode {
                node.insert(key("explode"), Value::Bool(explode));
            }
        }
    }

    /// Moves the schema keywords of a parameter (or form field) into a schema of their own.
    pub(super) fn take_schema(&mut self, node: &mut Mapping, from: &str) -> Mapping {
        if let Some(Value::Mapping(schema)) = node.get("schema") {
            return schema.clone();
        }
        let mut schema = Mapping::new();
        for keyword in SCHEMA_KEYWORDS {
            if let Some(value) = node.shift_remove(keyword) {
                schema.insert(key(keyword), value);
            }
        }
        self.nested_formats(&mut schema, from);
        schema
    }

    /// `collectionFormat` inside `items` (arrays in arrays): 3.0 styles the outer array only,
    /// and nested arrays are comma-separated, so only another format loses meaning.
    fn nested_formats(&mut self, schema: &mut Mapping, from: &str) {
        let Some(Value::Mapping(items)) = schema.get_mut("items") else { return };
        let from = format!("{from}/items");
        if let Some(format) = items.shift_remove("collectionFormat") {
            if format.as_str() != Some("csv") {
                self.out.warn(
                    &format!("{from}/collectionFormat"),
                    format!(
                        "OpenAPI 3.0 has no style for arrays inside arrays; collectionFormat {} was dropped and the inner array is comma-separated",
                        shown(&format)
                    ),
                );
            }
        }
        self.nested_formats(items, &from);
    }

    /// The style (and `explode`) that writes an array at `location` as `collectionFormat`
    /// says. `csv` is the 2.0 default, while a 3.0 query array repeats the name by default.
    /// Form fields are styled like query parameters.
    pub(super) fn style(&mut self, location: &str, format: Option<&Value>, from: &str) -> (&'static str, Option<bool>) {
        let csv = if matches!(location, "path" | "header") { ("simple", None) } else { ("form", Some(false)) };
        let Some(format) = format else { return csv };
        let name = format.as_str().unwrap_or_default();
        let message = match (name, location) {
            ("csv", _) => return csv,
            ("ssv", "query") => return ("spaceDelimited", Some(false)),
            ("pipes", "query") => return ("pipeDelimited", Some(false)),
            ("multi", "query") => return ("form", Some(true)),
            ("tsv", _) => "collectionFormat `tsv` (tab-separated) has no OpenAPI 3.0 style; the array is written comma-separated".to_string(),
            ("ssv" | "pipes" | "multi", _) => format!(
                "collectionFormat `{name}` is only allowed in query and form parameters; the array is written comma-separated"
            ),
            _ => format!(
                "collectionFormat {} is not one of csv, ssv, tsv, pipes or multi; the array is written comma-separated",
                shown(format)
            ),
        };
        self.out.warn(&format!("{from}/collectionFormat"), message);
        csv
    }
}

/// Whether a schema is an array's.
pub(super) fn is_array(schema: Option<&Value>) -> bool {
    schema.and_then(|schema| schema.get("type")).and_then(Value::as_str) == Some("array")
}
