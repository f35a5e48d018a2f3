//! Rules for schema objects, one function each, run in the order `schema` lists them.

use serde_yaml::{Mapping, Value};

use super::{describe, reference_as_all_of, Repairs};

/// The types of OpenAPI 3.0.
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

impl Repairs {
    /// The rules of a schema that is not a reference, in order (the order of their warnings).
    pub(super) fn schema(&mut self, mapping: &mut Mapping, pointer: &str) {
        self.schema_type(mapping, pointer);
        self.misplaced_composition(mapping, pointer);
        self.keyword_types(mapping, pointer);
        self.positive_multiple_of(mapping, pointer);
        // Numeric exclusive bounds (the 3.1 form) were read by `normalize`.
        self.boolean(mapping, pointer, "exclusiveMinimum");
        self.boolean(mapping, pointer, "exclusiveMaximum");
        self.integer_bounds(mapping, pointer);
        self.required_names(mapping, pointer);
        self.null_default(mapping, pointer);
        self.items_for_type(mapping, pointer);
        self.tuple_items(mapping, pointer);
        self.mapping_keywords(mapping, pointer);
        self.discriminator_property_name(mapping, pointer);
        self.discriminator_mapping(mapping, pointer);
        self.external_docs_url(mapping, pointer);
        self.additional_properties(mapping, pointer);
        self.enum_list(mapping, pointer);
        self.composition_lists(mapping, pointer);
        self.not_schema(mapping, pointer);
    }

    /// A schema that is not a mapping, read the way its author plainly meant: `true` (JSON
    /// Schema's "anything") as `{}`; `"$ref:…"` (a space forgotten after the colon) as that
    /// reference; a bare type name (`name: string`) as that type; anything else as `{}`.
    pub(super) fn schema_not_a_mapping(&mut self, node: &mut Value, pointer: &str) {
        match node {
            Value::Bool(true) => {
                *node = Value::Mapping(Mapping::new());
                self.warn(pointer, "`true` as a schema (JSON Schema style) was read as `{}`, any value");
            }
            Value::String(text) if text.starts_with("$ref:") => {
                let target = text["$ref:".len()..].trim().trim_matches(|c| c == '\'' || c == '"').to_string();
                *node = Value::Mapping(Mapping::from_iter([(Value::from("$ref"), Value::from(target.as_str()))]));
                self.warn(pointer, format!("a schema must be a mapping; the string `$ref:…` (a missing space after the colon) was read as `$ref: {target}`"));
            }
            Value::String(name) if TYPES.contains(&name.as_str()) => {
                let name = name.clone();
                *node = Value::Mapping(Mapping::from_iter([(Value::from("type"), Value::from(name.as_str()))]));
                self.warn(pointer, format!("a schema must be a mapping; `{name}` was read as `{{type: {name}}}`"));
            }
            _ => {
                let what = describe(node);
                *node = Value::Mapping(Mapping::new());
                self.warn(
                    pointer,
                    format!("a schema must be a mapping, not {what}; it was read as `{{}}`, any JSON value"),
                );
            }
        }
    }

    /// `{$ref: X, nullable: true}`: OpenAPI 3.0 ignores the siblings of `$ref`, but the author
    /// plainly means a nullable X; `allOf` with one member says so in a way that is read.
    pub(super) fn nullable_reference(&mut self, node: &mut Value, pointer: &str) {
        let Value::Mapping(mapping) = node else { return };
        if mapping.get("nullable") != Some(&Value::Bool(true)) {
            return;
        }
        reference_as_all_of(mapping);
        self.warn(
            pointer,
            "`nullable: true` next to `$ref` is ignored by OpenAPI 3.0; it was kept by reading the schema as `allOf: [{$ref}]` with `nullable: true`",
        );
    }

    /// `type: file` is Swagger 2.0 for bytes (`type: string, format: binary`); a type that is
    /// not one of OpenAPI 3.0's constrains nothing that can be read, so it is dropped.
    fn schema_type(&mut self, mapping: &mut Mapping, pointer: &str) {
        let at = format!("{pointer}/type");
        match mapping.get("type") {
            None => {}
            Some(Value::String(typ)) if TYPES.contains(&typ.as_str()) => {}
            Some(Value::String(typ)) if typ == "file" => {
                mapping.insert(Value::from("type"), Value::from("string"));
                mapping.insert(Value::from("format"), Value::from("binary"));
                self.warn(&at, "`type: file` is Swagger 2.0; it was read as `type: string, format: binary`");
            }
            Some(other) => {
                let what = match other {
                    Value::String(typ) => format!("`{typ}`"),
                    other => describe(other),
                };
                mapping.remove("type");
                self.warn(&at, format!("{what} is not a type (string, number, integer, boolean, array or object); the schema was read without a type"));
            }
        }
    }

    /// `properties: {allOf: [...]}`: a list is never a schema, so this `allOf` (or `oneOf`,
    /// `anyOf`) was meant for the schema itself.
    fn misplaced_composition(&mut self, mapping: &mut Mapping, pointer: &str) {
        for key in ["allOf", "oneOf", "anyOf"] {
            let Some(Value::Mapping(properties)) = mapping.get_mut("properties") else { return };
            if !properties.get(key).is_some_and(Value::is_sequence) {
                continue;
            }
            let Some(Value::Sequence(members)) = properties.remove(key) else { continue };
            match mapping.get_mut(key) {
                Some(Value::Sequence(existing)) => existing.extend(members),
                _ => {
                    mapping.insert(Value::from(key), Value::Sequence(members));
                }
            }
            self.warn(
                &format!("{pointer}/properties/{key}"),
                format!("`{key}` is written under `properties`, where a list cannot be a property schema; it was moved to the schema itself"),
            );
        }
    }

    /// Flags, texts, counts and numbers of the wrong type (`nullable: "true"`, `minLength: "3"`)
    /// are read when the meaning is plain, else dropped (see `keywords.rs`).
    fn keyword_types(&mut self, mapping: &mut Mapping, pointer: &str) {
        for key in ["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"] {
            self.boolean(mapping, pointer, key);
        }
        for key in ["title", "description", "pattern", "format"] {
            self.string(mapping, pointer, key);
        }
        for key in ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] {
            self.count(mapping, pointer, key);
        }
        for key in ["minimum", "maximum", "multipleOf"] {
            self.number(mapping, pointer, key);
        }
    }

    /// `multipleOf: 0` (or less) admits no value at all, which no author means: dropped.
    fn positive_multiple_of(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("multipleOf").and_then(Value::as_f64).is_some_and(|m| m <= 0.0) {
            mapping.remove("multipleOf");
            self.warn(&format!("{pointer}/multipleOf"), "`multipleOf` must be greater than 0; it was dropped");
        }
    }

    /// `openapiv3` holds integer bounds as `i64`; a bound it cannot hold turns the whole schema
    /// untyped. A bound beyond the 64-bit range constrains nothing an `i64` can hold: dropped.
    /// One on the far side is clamped (the schema then admits at most that extreme).
    fn integer_bounds(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(number)) = mapping.get(key) else { continue };
            if number.is_i64() {
                continue;
            }
            let written = number.to_string();
            let Some(value) = number.as_f64() else { continue };
            if value.fract() == 0.0 && (LOW..HIGH).contains(&value) && (key != "multipleOf" || value >= 1.0) {
                // A whole number written as a float (`100.0`): the same bound.
                mapping.insert(Value::from(key), Value::Number((value as i64).into()));
                continue;
            }
            let at = format!("{pointer}/{key}");
            match integer_bound(key, value) {
                None => {
                    mapping.remove(key);
                    let why = match key {
                        "multipleOf" => {
                            "is not a whole number in the 64-bit range, which an integer `multipleOf` must be"
                        }
                        "maximum" => "is above the largest 64-bit integer, so it constrains nothing",
                        _ => "is below the smallest 64-bit integer, so it constrains nothing",
                    };
                    self.warn(&at, format!("`{key}: {written}` {why}; it was dropped"));
                }
                Some(replacement) => {
                    mapping.insert(Value::from(key), Value::Number(replacement.into()));
                    if value.fract() != 0.0 {
                        // x < 1.5 and x <= 1.5 both mean x <= 1 for an integer.
                        mapping.remove(format!("exclusive{}", capitalize(key)).as_str());
                    }
                    self.warn(&at, format!("`{key}: {written}` is not a 64-bit integer; it was read as `{key}: {replacement}`, the same bound for integers"));
                }
            }
        }
    }

    /// `required: true` on a property schema is Swagger 2.0 style and means nothing in 3.0;
    /// `required` of another kind names no property. Both are dropped (or, in a list, the
    /// entries that are not names).
    fn required_names(&mut self, mapping: &mut Mapping, pointer: &str) {
        match mapping.get("required") {
            Some(Value::Bool(_)) => {
                mapping.remove("required");
                self.warn(
                    &format!("{pointer}/required"),
                    "`required: true` inside a schema is Swagger 2.0 style; list required properties in the parent's `required` instead (this one was dropped)",
                );
            }
            Some(Value::Sequence(names)) if !names.iter().all(Value::is_string) => {
                if let Some(Value::Sequence(names)) = mapping.get_mut("required") {
                    names.retain(Value::is_string);
                }
                self.warn(
                    &format!("{pointer}/required"),
                    "`required` lists only property names; entries that are not strings were dropped",
                );
            }
            Some(Value::Sequence(_)) | None => {}
            Some(other) => {
                let what = describe(other);
                mapping.remove("required");
                self.warn(
                    &format!("{pointer}/required"),
                    format!("`required` must be a list of property names, not {what}; it was dropped"),
                );
            }
        }
    }

    /// `default: null` on a schema that does not admit `null` is a default no value can take;
    /// it is what authors write for "no default", so it is dropped.
    fn null_default(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("default").is_some_and(Value::is_null) && !admits_null(mapping) {
            mapping.remove("default");
            self.warn(&format!("{pointer}/default"), "`default: null` on a schema that is not nullable was dropped");
        }
    }

    /// `type: array` without `items` (required in 3.0) holds any values: `items: {}`. `items`
    /// under another type describes nothing: dropped.
    fn items_for_type(&mut self, mapping: &mut Mapping, pointer: &str) {
        match mapping.get("type").and_then(Value::as_str) {
            Some("array") if !mapping.contains_key("items") => {
                mapping.insert(Value::from("items"), Value::Mapping(Mapping::new()));
                self.warn(
                    pointer,
                    "`type: array` without `items`; the items were read as any JSON value (`items: {}`)",
                );
            }
            Some(typ) if typ != "array" && mapping.contains_key("items") => {
                let message = format!("`items` under `type: {typ}` means nothing and was dropped");
                mapping.remove("items");
                self.warn(&format!("{pointer}/items"), message);
            }
            _ => {}
        }
    }

    /// A tuple (`items: [A, B]`) is JSON Schema draft 4, not OpenAPI 3.0: its items are read as
    /// any JSON value.
    fn tuple_items(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("items").is_some_and(Value::is_sequence) {
            mapping.insert(Value::from("items"), Value::Mapping(Mapping::new()));
            self.warn(
                &format!("{pointer}/items"),
                "`items` must be one schema, not a list; the items were read as any JSON value",
            );
        }
    }

    /// `properties`, `discriminator` and `externalDocs` that are not mappings hold nothing that
    /// can be read: dropped.
    fn mapping_keywords(&mut self, mapping: &mut Mapping, pointer: &str) {
        for key in ["properties", "discriminator", "externalDocs"] {
            if mapping.get(key).is_some_and(|value| !value.is_mapping()) {
                let what = describe(&mapping[key]);
                mapping.remove(key);
                self.warn(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a mapping, not {what}; it was dropped"),
                );
            }
        }
    }

    /// A discriminator without `propertyName` names no property to look at: dropped.
    fn discriminator_property_name(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("discriminator").is_some_and(|d| !d.get("propertyName").is_some_and(Value::is_string)) {
            mapping.remove("discriminator");
            self.warn(&format!("{pointer}/discriminator"), "a discriminator without `propertyName` was dropped");
        }
    }

    /// A discriminator `mapping` names schemas by `$ref` text: entries that are not text, or a
    /// `mapping` that is not a mapping, are dropped (the variants' names are used instead).
    fn discriminator_mapping(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(Value::Mapping(discriminator)) = mapping.get_mut("discriminator") else { return };
        if let Some(Value::Mapping(targets)) = discriminator.get_mut("mapping") {
            let before = targets.len();
            targets.retain(|_, target| target.is_string());
            if targets.len() != before {
                self.warn(
                    &format!("{pointer}/discriminator/mapping"),
                    "discriminator mapping values must be strings; the others were dropped",
                );
            }
        } else if discriminator.get("mapping").is_some_and(|m| !m.is_mapping()) {
            discriminator.remove("mapping");
            self.warn(
                &format!("{pointer}/discriminator/mapping"),
                "the discriminator `mapping` must be a mapping; it was dropped",
            );
        }
    }

    /// `externalDocs` without a `url` (required) links nowhere: dropped.
    fn external_docs_url(&mut self, mapping: &mut Mapping, pointer: &str) {
        if let Some(Value::Mapping(docs)) = mapping.get("externalDocs") {
            if !docs.get("url").is_some_and(Value::is_string) {
                mapping.remove("externalDocs");
                self.warn(&format!("{pointer}/externalDocs"), "`externalDocs` without a `url` was dropped");
            }
        }
    }

    /// `additionalProperties` is a boolean or a schema; anything else has no plain meaning:
    /// dropped (the default, any additional property, applies).
    fn additional_properties(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("additionalProperties").is_some_and(|a| !a.is_bool() && !a.is_mapping()) {
            mapping.remove("additionalProperties");
            self.warn(
                &format!("{pointer}/additionalProperties"),
                "`additionalProperties` must be a boolean or a schema; it was dropped",
            );
        }
    }

    /// An `enum` that is not a list lists no values: dropped.
    fn enum_list(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("enum").is_some_and(|e| !e.is_sequence()) {
            mapping.remove("enum");
            self.warn(&format!("{pointer}/enum"), "`enum` must be a list of values; it was dropped");
        }
    }

    /// `allOf`, `oneOf` and `anyOf` are lists of schemas: one schema written without the list is
    /// read as a list of one; anything else is dropped.
    fn composition_lists(&mut self, mapping: &mut Mapping, pointer: &str) {
        for key in ["allOf", "oneOf", "anyOf"] {
            match mapping.get_mut(key) {
                Some(Value::Mapping(_)) => {
                    if let Some(single) = mapping.remove(key) {
                        mapping.insert(Value::from(key), Value::Sequence(vec![single]));
                    }
                    self.warn(
                        &format!("{pointer}/{key}"),
                        format!("`{key}` must be a list of schemas; the one schema given was read as a list of one"),
                    );
                }
                Some(Value::Sequence(_)) | None => {}
                Some(_) => {
                    mapping.remove(key);
                    self.warn(
                        &format!("{pointer}/{key}"),
                        format!("`{key}` must be a list of schemas; it was dropped"),
                    );
                }
            }
        }
    }

    /// `not` is one schema; anything else has no plain meaning: dropped.
    fn not_schema(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("not").is_some_and(|n| !n.is_mapping()) {
            mapping.remove("not");
            self.warn(&format!("{pointer}/not"), "`not` must be a schema; it was dropped");
        }
    }
}

/// The smallest `i64`, exactly -2^63.
const LOW: f64 = i64::MIN as f64;
/// The largest `i64` as a float, which rounds to 2^63.
const HIGH: f64 = i64::MAX as f64;

/// The `i64` an integer schema's `key` bound of `value` (not a whole `i64`) is read as: the same
/// bound for integers, clamped to the 64-bit range; `None` when it constrains nothing (or, for
/// `multipleOf`, cannot be expressed) and is dropped.
fn integer_bound(key: &str, value: f64) -> Option<i64> {
    match key {
        "multipleOf" => None,
        "maximum" if value >= HIGH => None,
        "minimum" if value <= LOW => None,
        "maximum" if value < LOW => Some(i64::MIN),
        "minimum" if value >= HIGH => Some(i64::MAX),
        "maximum" => Some(value.floor() as i64),
        _ => Some(value.ceil() as i64),
    }
}

/// Whether a schema admits `null`: `nullable: true`, `null` among its `enum` values, or a
/// member of its `anyOf`/`oneOf` that does.
fn admits_null(mapping: &Mapping) -> bool {
    mapping.get("nullable") == Some(&Value::Bool(true))
        || mapping.get("enum").and_then(Value::as_sequence).is_some_and(|values| values.iter().any(Value::is_null))
        || ["anyOf", "oneOf"].iter().any(|key| {
            mapping
                .get(*key)
                .and_then(Value::as_sequence)
                .is_some_and(|members| members.iter().any(|member| member.as_mapping().is_some_and(admits_null)))
        })
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use openapiv3::{ReferenceOr, SchemaKind, Type};

    use super::super::tests::{load, warnings};
    use crate::load::{parse, Loaded};

    fn schema<'a>(loaded: &'a Loaded, name: &str) -> &'a openapiv3::Schema {
        match &loaded.document.components.as_ref().unwrap().schemas[name] {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { .. } => panic!("{name} is a reference"),
        }
    }

    #[test]
    fn schema_mistakes_become_warnings() {
        let loaded = load(
            "  schemas:\n    A:\n      type: object\n      required: true\n      properties:\n        s: {type: string, default: null, items: {type: string}, example: 12}\n        l: {type: array}\n        n: {$ref: '#/components/schemas/A', nullable: true}\n",
        );
        let warnings = warnings(&loaded);
        for expected in [
            "at #/components/schemas/A/required: `required: true` inside a schema",
            "at #/components/schemas/A/properties/s/default: `default: null`",
            "at #/components/schemas/A/properties/s/items: `items` under `type: string`",
            "at #/components/schemas/A/properties/l: `type: array` without `items`",
            "at #/components/schemas/A/properties/n: `nullable: true` next to `$ref`",
        ] {
            assert!(warnings.iter().any(|w| w.starts_with(expected)), "{expected}\n{warnings:#?}");
        }
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        let SchemaKind::Type(Type::Object(object)) = &schema(&loaded, "A").schema_kind else { panic!("an object") };
        let ReferenceOr::Item(n) = &object.properties["n"] else { panic!("wrapped") };
        assert!(n.schema_data.nullable && matches!(&n.schema_kind, SchemaKind::AllOf { all_of } if all_of.len() == 1));
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_dropped_and_the_rest_kept() {
        let loaded = load(
            "  schemas:\n    U:\n      type: integer\n      minimum: 0\n      maximum: 18446744073709552000\n    S:\n      type: integer\n      minimum: -9223372036854776000\n      maximum: 100.0\n    F:\n      type: integer\n      minimum: 1.5\n      exclusiveMinimum: true\n",
        );
        let integer = |name| match &schema(&loaded, name).schema_kind {
            SchemaKind::Type(Type::Integer(integer)) => integer.clone(),
            other => panic!("{name} is not an integer schema: {other:?}"),
        };
        assert_eq!((integer("U").minimum, integer("U").maximum), (Some(0), None), "minimum: 0 still validated");
        assert_eq!((integer("S").minimum, integer("S").maximum), (Some(i64::MIN), Some(100)));
        assert_eq!((integer("F").minimum, integer("F").exclusive_minimum), (Some(2), false), "x > 1.5 is x >= 2");
        let warnings = warnings(&loaded);
        assert!(
            warnings[0].starts_with("at #/components/schemas/U/maximum: `maximum: 1.8446744073709552e19` is above"),
            "{warnings:#?}"
        );
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
    }

    #[test]
    fn json_specs_with_surrogate_pairs_and_huge_bounds_load() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "smile \uD83D\uDE00", "version": "1"}, "paths": {},
            "components": {"schemas": {"N": {"type": "integer", "maximum": 18446744073709552000}}}}"#;
        let loaded = parse(Path::new("spec.json"), text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(loaded.document.info.title, "smile \u{1F600}");
    }
}
