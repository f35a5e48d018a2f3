//! Rules for parameters and headers (a header object is a parameter without `name` and `in`).

use serde_yaml::{Mapping, Value};

use super::{describe, Repairs};

/// Keywords that only a schema has: on a parameter they mean the author forgot `schema:`.
const SCHEMA_KEYWORDS: [&str; 22] = [
    "type",
    "format",
    "items",
    "properties",
    "additionalProperties",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "nullable",
    "allOf",
    "oneOf",
    "anyOf",
];

/// Which of the two objects that share the parameter rules is repaired.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ParameterKind {
    /// A parameter object, which must say its `name` and `in`.
    Parameter,
    /// A header object, named by its key and always sent in a header.
    Header,
}

impl ParameterKind {
    /// What it is called in messages.
    fn noun(self) -> &'static str {
        match self {
            ParameterKind::Parameter => "parameter",
            ParameterKind::Header => "header",
        }
    }
}

impl Repairs {
    /// The rules of a parameter or header, in order; a parameter that cannot be identified (no
    /// `name` or no valid `in`) is an error and nothing else is checked.
    pub(super) fn parameter(&mut self, mapping: &mut Mapping, pointer: &str, kind: ParameterKind) {
        let location = mapping.get("in").and_then(Value::as_str).map(str::to_string);
        let location = location.as_deref();
        if kind == ParameterKind::Parameter && !self.parameter_identified(mapping, pointer, location) {
            return;
        }
        self.string(mapping, pointer, "description");
        for key in ["deprecated", "explode", "allowReserved", "allowEmptyValue"] {
            self.boolean(mapping, pointer, key);
        }
        self.required_flag(mapping, pointer);
        self.path_parameter_required(mapping, pointer, location);
        self.parameter_content_mapping(mapping, pointer);
        self.schema_or_content(mapping, pointer, kind);
        self.allowed_style(mapping, pointer, kind, location);
        self.parameter_examples_mapping(mapping, pointer);
    }

    /// A parameter needs a valid `in` and a `name` to be sent at all; without them (or with
    /// Swagger 2.0's `in: body`) there is nothing to guess: an error, which costs the operation.
    fn parameter_identified(&mut self, mapping: &Mapping, pointer: &str, location: Option<&str>) -> bool {
        match location {
            Some("query" | "header" | "path" | "cookie") => {}
            Some("body" | "formData") => {
                self.error(
                    &format!("{pointer}/in"),
                    "`in: body` and `in: formData` are Swagger 2.0; in OpenAPI 3.0 the body is the operation's `requestBody`",
                );
                return false;
            }
            Some(other) => {
                self.error(
                    &format!("{pointer}/in"),
                    format!("`in: {other}` is not a parameter location; use query, header, path or cookie"),
                );
                return false;
            }
            None => {
                self.error(pointer, "this parameter has no `in` (query, header, path or cookie)");
                return false;
            }
        }
        if !mapping.get("name").is_some_and(Value::is_string) {
            self.error(pointer, "this parameter has no `name` (a string)");
            return false;
        }
        true
    }

    /// `required` of the wrong type is read or dropped, except a list with no `schema` beside
    /// it: that is a schema's `required`, which `schema_or_content` moves under `schema`.
    fn required_flag(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(required) = mapping.get("required") else { return };
        let schema_list = required.is_sequence() && !mapping.contains_key("schema");
        if !required.is_bool() && !schema_list {
            self.boolean(mapping, pointer, "required");
        }
    }

    /// A path parameter is always required (the path cannot be written without it), whatever
    /// the spec says.
    fn path_parameter_required(&mut self, mapping: &mut Mapping, pointer: &str, location: Option<&str>) {
        if location == Some("path") && mapping.get("required") != Some(&Value::Bool(true)) {
            mapping.insert(Value::from("required"), Value::Bool(true));
            self.warn(pointer, "a path parameter is always required; `required: true` was assumed");
        }
    }

    /// `content` that is not a mapping names no media type: ignored (the parameter is then read
    /// from its `schema`, or as a string).
    fn parameter_content_mapping(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("content").is_some_and(|c| !c.is_mapping()) {
            mapping.remove("content");
            self.warn(&format!("{pointer}/content"), "`content` must be a mapping of media types; it was ignored");
        }
    }

    /// A parameter has exactly one of `schema` and `content`. With both, `schema` (the common
    /// case) wins. With neither, schema keywords written on the parameter itself (a Swagger 2.0
    /// habit) are moved under `schema`, and a parameter without any is read as a string.
    fn schema_or_content(&mut self, mapping: &mut Mapping, pointer: &str, kind: ParameterKind) {
        let noun = kind.noun();
        match (mapping.contains_key("schema"), mapping.contains_key("content")) {
            (true, true) => {
                mapping.remove("content");
                self.warn(
                    pointer,
                    format!("a {noun} has either `schema` or `content`, not both; `content` was dropped"),
                );
            }
            (false, false) => {
                let mut schema = take_schema_keywords(mapping);
                if schema.is_empty() {
                    schema.insert(Value::from("type"), Value::from("string"));
                    self.warn(
                        pointer,
                        format!("this {noun} has neither `schema` nor `content`; it was read as a string"),
                    );
                } else {
                    let moved: Vec<&str> = schema.keys().filter_map(Value::as_str).collect();
                    self.warn(
                        pointer,
                        format!(
                            "schema keywords ({}) are written on the {noun} itself; they were moved under `schema`",
                            moved.join(", ")
                        ),
                    );
                }
                mapping.insert(Value::from("schema"), Value::Mapping(schema));
            }
            _ => {}
        }
    }

    /// A `style` the location does not allow (or that is not a string) cannot be sent as
    /// written: dropped, so the location's default style is used.
    fn allowed_style(&mut self, mapping: &mut Mapping, pointer: &str, kind: ParameterKind, location: Option<&str>) {
        let Some(style) = mapping.get("style") else { return };
        let allowed = allowed_styles(kind, location);
        if style.as_str().is_some_and(|style| allowed.contains(&style)) {
            return;
        }
        let written = style.as_str().map_or_else(|| describe(style), |s| format!("`{s}`"));
        mapping.remove("style");
        self.warn(
            &format!("{pointer}/style"),
            format!("style {written} is not allowed here (only {}); the default style is used", allowed.join(", ")),
        );
    }

    /// `examples` that are not a mapping of named examples only document: ignored.
    fn parameter_examples_mapping(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("examples").is_some_and(|e| !e.is_mapping()) {
            mapping.remove("examples");
            self.warn(&format!("{pointer}/examples"), "`examples` must be a mapping of named examples; it was ignored");
        }
    }
}

/// Removes the schema keywords written on a parameter (and a `required` list, which only a
/// schema has) and returns them as a schema, in the order written.
fn take_schema_keywords(mapping: &mut Mapping) -> Mapping {
    let mut schema = Mapping::new();
    let keys: Vec<Value> =
        mapping.keys().filter(|key| key.as_str().is_some_and(|key| SCHEMA_KEYWORDS.contains(&key))).cloned().collect();
    for key in &keys {
        if let Some(value) = mapping.remove(key) {
            schema.insert(key.clone(), value);
        }
    }
    if mapping.get("required").is_some_and(Value::is_sequence) {
        if let Some(required) = mapping.remove("required") {
            schema.insert(Value::from("required"), required);
        }
    }
    schema
}

/// The styles OpenAPI 3.0 allows for a header or a parameter in `location`.
fn allowed_styles(kind: ParameterKind, location: Option<&str>) -> &'static [&'static str] {
    match (kind, location) {
        (ParameterKind::Header, _) | (ParameterKind::Parameter, Some("header")) => &["simple"],
        (ParameterKind::Parameter, Some("query")) => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        (ParameterKind::Parameter, Some("path")) => &["matrix", "label", "simple"],
        _ => &["form"],
    }
}

#[cfg(test)]
mod tests {
    use openapiv3::{ReferenceOr, SchemaKind, Type};

    use super::super::tests::{load, warnings};

    #[test]
    fn parameters_without_schema_are_repaired() {
        let loaded = load(
            "  parameters:\n    Sort:\n      name: sort\n      in: query\n      style: deepObject\n      type: object\n      properties: {field: {type: string}}\n    Bare:\n      name: bare\n      in: query\n    Id:\n      name: id\n      in: path\n      schema: {type: string}\n",
        );
        let warnings = warnings(&loaded);
        assert!(
            warnings[0].starts_with("at #/components/parameters/Sort: schema keywords (type, properties)"),
            "{warnings:#?}"
        );
        assert!(
            warnings[1].starts_with("at #/components/parameters/Bare: this parameter has neither"),
            "{warnings:#?}"
        );
        assert!(
            warnings[2].starts_with("at #/components/parameters/Id: a path parameter is always required"),
            "{warnings:#?}"
        );
        let parameters = &loaded.document.components.as_ref().unwrap().parameters;
        let ReferenceOr::Item(sort) = &parameters["Sort"] else { panic!() };
        assert!(matches!(
            &sort.parameter_data_ref().format,
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema))
                if matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_)))
        ));
    }
}
