//! The repair pass: fixes spec mistakes that have one obvious meaning in the raw tree, before
//! `openapiv3` sees it, each with a warning naming the node and what was done; and checks the
//! shape of the objects `openapiv3` reads through untagged enums, so that a malformed node is
//! reported at its own pointer instead of at `#/paths`.
//!
//! What is repaired (pointers name the node, messages say what changed):
//! - schemas: `required: true` (a Swagger 2 habit) dropped; `default: null` on a schema that is
//!   not nullable dropped; `type: array` without `items` gets `items: {}`; `items` under another
//!   type dropped; integer bounds outside
//!   the 64-bit range dropped (a bound beyond the type's range constrains nothing) or clamped;
//!   `{$ref, nullable: true}` becomes `{allOf: [{$ref}], nullable: true}` so the `nullable` is
//!   not silently lost; keywords of the wrong type (`minLength: "3"`, `nullable: "true"`)
//!   converted when the meaning is plain, else dropped; a schema written as a bare type name
//!   (`name: string`) becomes `{type: string}`.
//! - parameters and headers: schema keywords written on the parameter itself moved under
//!   `schema`; neither `schema` nor `content` → `schema: {type: string}`; both → `content`
//!   dropped; path parameters made `required`; a `style` the location does not allow dropped.
//! - a response without `description` gets an empty one; a request body without `content` and an
//!   operation without `responses` get empty ones.
//!
//! Examples, defaults and enum values are data and are never touched (an `example` that does not
//! match its schema is not an error anywhere).

use serde_yaml::{Mapping, Number, Value};

use super::walk::{extend_pointer, for_each_child, Obj};
use crate::error::SpecError;

#[derive(Default)]
pub(super) struct Repairs {
    pub warnings: Vec<SpecError>,
    pub errors: Vec<SpecError>,
}

/// Repairs `document` in place.
pub(super) fn repair(document: &mut Value) -> Repairs {
    let mut repairs = Repairs::default();
    if let Value::Mapping(root) = document {
        if !root.contains_key("paths") {
            root.insert(Value::from("paths"), Value::Mapping(Mapping::new()));
            repairs.warn("#", "there is no `paths` object; an empty one was assumed");
        }
    }
    if let Value::Mapping(root) = document {
        repairs.documentation(root);
    }
    repairs.walk(Obj::Document, document, "#");
    repairs
}

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

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

impl Repairs {
    /// Where only documentation can stand (`info`, `tags`, `servers`' descriptions), a node of
    /// the wrong kind, such as a `$ref` under `tags[].description`, is dropped: it can cost
    /// nothing but a doc comment.
    fn documentation(&mut self, root: &mut Mapping) {
        if let Some(Value::Mapping(info)) = root.get_mut("info") {
            for key in ["description", "termsOfService"] {
                self.string(info, "#/info", key);
            }
            for key in ["title", "version"] {
                if info.get(key).is_some_and(|value| !value.is_string()) {
                    self.string(info, "#/info", key);
                    if !info.contains_key(key) {
                        info.insert(Value::from(key), Value::from(""));
                    }
                }
            }
        }
        if let Some(Value::Sequence(tags)) = root.get_mut("tags") {
            let before = tags.len();
            tags.retain(|tag| tag.get("name").is_some_and(Value::is_string));
            if tags.len() != before {
                self.warn("#/tags", "a tag without a `name` (a string) was dropped");
            }
            for (index, tag) in tags.iter_mut().enumerate() {
                let Value::Mapping(tag) = tag else { continue };
                let at = format!("#/tags/{index}");
                self.string(tag, &at, "description");
                if tag.get("externalDocs").is_some_and(|docs| !docs.get("url").is_some_and(Value::is_string)) {
                    tag.remove("externalDocs");
                    self.warn(&format!("{at}/externalDocs"), "`externalDocs` without a `url` was dropped");
                }
            }
        }
        if let Some(Value::Sequence(servers)) = root.get_mut("servers") {
            for (index, server) in servers.iter_mut().enumerate() {
                if let Value::Mapping(server) = server {
                    self.string(server, &format!("#/servers/{index}"), "description");
                }
            }
        }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(SpecError::new(pointer, message));
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }

    fn walk(&mut self, obj: Obj, node: &mut Value, pointer: &str) {
        if !node.is_mapping() {
            self.not_a_mapping(obj, node, pointer);
            if !node.is_mapping() {
                return;
            }
        }
        if obj.may_be_reference() {
            if let Some(reference) = node.get("$ref") {
                if !reference.is_string() {
                    self.error(pointer, "`$ref` must be a string such as \"#/components/schemas/Pet\"");
                } else if obj == Obj::Schema {
                    self.nullable_reference(node, pointer);
                }
                return;
            }
        }
        let Value::Mapping(mapping) = node else { return };
        if matches!(obj, Obj::Response | Obj::RequestBody | Obj::Parameter | Obj::Header) {
            self.media_types(mapping, pointer);
        }
        match obj {
            Obj::Schema => self.schema(mapping, pointer),
            Obj::Parameter => self.parameter(mapping, pointer, false),
            Obj::Header => self.parameter(mapping, pointer, true),
            Obj::Response => {
                self.string(mapping, pointer, "description");
                if !mapping.contains_key("description") {
                    mapping.insert(Value::from("description"), Value::from(""));
                    self.warn(pointer, "this response has no `description`; an empty one was assumed");
                }
            }
            Obj::RequestBody => {
                match mapping.get("content") {
                    None => {
                        mapping.insert(Value::from("content"), Value::Mapping(Mapping::new()));
                        self.warn(pointer, "this request body has no `content`; it was read as having no body");
                    }
                    Some(content) if !content.is_mapping() => self.error(
                        &format!("{pointer}/content"),
                        format!(
                            "`content` must be a mapping from media types to media type objects, not {}",
                            describe(content)
                        ),
                    ),
                    Some(_) => {}
                }
                self.boolean(mapping, pointer, "required");
            }
            Obj::Operation => self.operation(mapping, pointer),
            _ => {}
        }
        for_each_child(obj, node, &mut |steps, child, value| {
            self.walk(child, value, &extend_pointer(pointer, steps));
        });
    }

    /// Entries of `content` that are not media type objects: dropped; a `description` written
    /// there (`content: {description: No Content}`) is the response's description.
    fn media_types(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(Value::Mapping(content)) = mapping.get_mut("content") else { return };
        let wrong: Vec<Value> =
            content.iter().filter(|(_, value)| !value.is_mapping()).map(|(key, _)| key.clone()).collect();
        let mut description = None;
        for key in wrong {
            let value = content.remove(&key);
            let name = key.as_str().unwrap_or_default().to_string();
            let at = format!("{pointer}/content/{}", super::escape_pointer_token(&name));
            if name == "description" {
                if let Some(Value::String(text)) = value {
                    description = Some(text);
                    self.warn(
                        &at,
                        "`description` belongs to the object that holds `content`, not inside it; it was moved there",
                    );
                    continue;
                }
            }
            self.warn(&at, "a media type object must be a mapping; this entry was dropped");
        }
        if let Some(description) = description {
            if !mapping.get("description").is_some_and(Value::is_string) {
                mapping.insert(Value::from("description"), Value::String(description));
            }
        }
    }

    fn not_a_mapping(&mut self, obj: Obj, node: &mut Value, pointer: &str) {
        if obj == Obj::Schema {
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
            return;
        }
        self.error(pointer, format!("a {} must be a mapping, not {}", obj.noun(), describe(node)));
    }

    /// `{$ref: X, nullable: true}`: OpenAPI 3.0 ignores the siblings of `$ref`, but the author
    /// plainly means a nullable X; `allOf` with one member says so in a way that is read.
    fn nullable_reference(&mut self, node: &mut Value, pointer: &str) {
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

    fn operation(&mut self, mapping: &mut Mapping, pointer: &str) {
        match mapping.get("responses") {
            None => {
                mapping.insert(Value::from("responses"), Value::Mapping(Mapping::new()));
                self.warn(pointer, "this operation has no `responses`; it was read as declaring none");
            }
            Some(responses) if !responses.is_mapping() => self.error(
                &format!("{pointer}/responses"),
                format!("`responses` must be a mapping from status codes to responses, not {}", describe(responses)),
            ),
            Some(_) => {}
        }
        for key in ["operationId", "summary", "description"] {
            self.string(mapping, pointer, key);
        }
        self.boolean(mapping, pointer, "deprecated");
        if let Some(tags) = mapping.get_mut("tags") {
            self.strings(tags, &format!("{pointer}/tags"));
        }
        if mapping.get("parameters").is_some_and(|p| !p.is_sequence()) {
            mapping.remove("parameters");
            self.warn(&format!("{pointer}/parameters"), "`parameters` must be a list; it was ignored");
        }
        let security_ok = mapping.get("security").is_none_or(|security| {
            security.as_sequence().is_some_and(|alternatives| {
                alternatives.iter().all(|alternative| {
                    alternative.as_mapping().is_some_and(|schemes| {
                        schemes.values().all(|scopes| {
                            scopes.as_sequence().is_some_and(|scopes| scopes.iter().all(Value::is_string))
                        })
                    })
                })
            })
        });
        if !security_ok {
            self.error(
                &format!("{pointer}/security"),
                "`security` must be a list of mappings from scheme names to lists of scopes, e.g. `[{api_key: []}]`",
            );
        }
    }

    fn parameter(&mut self, mapping: &mut Mapping, pointer: &str, is_header: bool) {
        let location = mapping.get("in").and_then(Value::as_str).map(str::to_string);
        if !is_header {
            match location.as_deref() {
                Some("query" | "header" | "path" | "cookie") => {}
                Some("body" | "formData") => {
                    return self.error(
                        &format!("{pointer}/in"),
                        "`in: body` and `in: formData` are Swagger 2.0; in OpenAPI 3.0 the body is the operation's `requestBody`",
                    )
                }
                Some(other) => {
                    return self.error(
                        &format!("{pointer}/in"),
                        format!("`in: {other}` is not a parameter location; use query, header, path or cookie"),
                    )
                }
                None => {
                    return self.error(pointer, "this parameter has no `in` (query, header, path or cookie)");
                }
            }
            if !mapping.get("name").is_some_and(Value::is_string) {
                return self.error(pointer, "this parameter has no `name` (a string)");
            }
        }
        let noun = if is_header { "header" } else { "parameter" };
        self.string(mapping, pointer, "description");
        for key in ["deprecated", "explode", "allowReserved", "allowEmptyValue"] {
            self.boolean(mapping, pointer, key);
        }
        if mapping.get("required").is_some_and(|r| !r.is_bool()) {
            if mapping.get("required").is_some_and(Value::is_sequence) && !mapping.contains_key("schema") {
                // A schema's `required` list, moved below with the other schema keywords.
            } else {
                self.boolean(mapping, pointer, "required");
            }
        }
        if location.as_deref() == Some("path") && mapping.get("required") != Some(&Value::Bool(true)) {
            mapping.insert(Value::from("required"), Value::Bool(true));
            self.warn(pointer, "a path parameter is always required; `required: true` was assumed");
        }
        if mapping.get("content").is_some_and(|c| !c.is_mapping()) {
            mapping.remove("content");
            self.warn(&format!("{pointer}/content"), "`content` must be a mapping of media types; it was ignored");
        }
        match (mapping.contains_key("schema"), mapping.contains_key("content")) {
            (true, true) => {
                mapping.remove("content");
                self.warn(
                    pointer,
                    format!("a {noun} has either `schema` or `content`, not both; `content` was dropped"),
                );
            }
            (false, false) => {
                let mut schema = Mapping::new();
                let keys: Vec<Value> = mapping
                    .keys()
                    .filter(|key| key.as_str().is_some_and(|key| SCHEMA_KEYWORDS.contains(&key)))
                    .cloned()
                    .collect();
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
        if let Some(style) = mapping.get("style") {
            let allowed: &[&str] = match (is_header, location.as_deref()) {
                (true, _) | (false, Some("header")) => &["simple"],
                (false, Some("query")) => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                (false, Some("path")) => &["matrix", "label", "simple"],
                _ => &["form"],
            };
            if !style.as_str().is_some_and(|style| allowed.contains(&style)) {
                let written = style.as_str().map_or_else(|| describe(style), |s| format!("`{s}`"));
                mapping.remove("style");
                self.warn(
                    &format!("{pointer}/style"),
                    format!(
                        "style {written} is not allowed here (only {}); the default style is used",
                        allowed.join(", ")
                    ),
                );
            }
        }
        if mapping.get("examples").is_some_and(|e| !e.is_mapping()) {
            mapping.remove("examples");
            self.warn(&format!("{pointer}/examples"), "`examples` must be a mapping of named examples; it was ignored");
        }
    }

    fn schema(&mut self, mapping: &mut Mapping, pointer: &str) {
        self.schema_type(mapping, pointer);
        self.misplaced_composition(mapping, pointer);
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
        if mapping.get("multipleOf").and_then(Value::as_f64).is_some_and(|m| m <= 0.0) {
            mapping.remove("multipleOf");
            self.warn(&format!("{pointer}/multipleOf"), "`multipleOf` must be greater than 0; it was dropped");
        }
        // Numeric exclusive bounds (the 3.1 form) were read by `normalize`.
        self.boolean(mapping, pointer, "exclusiveMinimum");
        self.boolean(mapping, pointer, "exclusiveMaximum");
        let typ = mapping.get("type").and_then(Value::as_str).map(str::to_string);
        if typ.as_deref() == Some("integer") {
            self.integer_bounds(mapping, pointer);
        }
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
        if mapping.get("default").is_some_and(Value::is_null) && !admits_null(mapping) {
            mapping.remove("default");
            self.warn(&format!("{pointer}/default"), "`default: null` on a schema that is not nullable was dropped");
        }
        match typ.as_deref() {
            Some("array") if !mapping.contains_key("items") => {
                mapping.insert(Value::from("items"), Value::Mapping(Mapping::new()));
                self.warn(
                    pointer,
                    "`type: array` without `items`; the items were read as any JSON value (`items: {}`)",
                );
            }
            Some(typ) if typ != "array" && mapping.contains_key("items") => {
                mapping.remove("items");
                self.warn(
                    &format!("{pointer}/items"),
                    format!("`items` under `type: {typ}` means nothing and was dropped"),
                );
            }
            _ => {}
        }
        if mapping.get("items").is_some_and(Value::is_sequence) {
            // A tuple (`items: [A, B]`) is JSON Schema draft 4, not OpenAPI 3.0.
            mapping.insert(Value::from("items"), Value::Mapping(Mapping::new()));
            self.warn(
                &format!("{pointer}/items"),
                "`items` must be one schema, not a list; the items were read as any JSON value",
            );
        }
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
        if mapping.get("discriminator").is_some_and(|d| !d.get("propertyName").is_some_and(Value::is_string)) {
            mapping.remove("discriminator");
            self.warn(&format!("{pointer}/discriminator"), "a discriminator without `propertyName` was dropped");
        }
        if let Some(Value::Mapping(discriminator)) = mapping.get_mut("discriminator") {
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
        if let Some(Value::Mapping(docs)) = mapping.get("externalDocs") {
            if !docs.get("url").is_some_and(Value::is_string) {
                mapping.remove("externalDocs");
                self.warn(&format!("{pointer}/externalDocs"), "`externalDocs` without a `url` was dropped");
            }
        }
        if mapping.get("additionalProperties").is_some_and(|a| !a.is_bool() && !a.is_mapping()) {
            mapping.remove("additionalProperties");
            self.warn(
                &format!("{pointer}/additionalProperties"),
                "`additionalProperties` must be a boolean or a schema; it was dropped",
            );
        }
        if mapping.get("enum").is_some_and(|e| !e.is_sequence()) {
            mapping.remove("enum");
            self.warn(&format!("{pointer}/enum"), "`enum` must be a list of values; it was dropped");
        }
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
        if mapping.get("not").is_some_and(|n| !n.is_mapping()) {
            mapping.remove("not");
            self.warn(&format!("{pointer}/not"), "`not` must be a schema; it was dropped");
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

    /// `openapiv3` holds integer bounds as `i64`; a bound it cannot hold turns the whole schema
    /// untyped. A bound beyond the 64-bit range constrains nothing an `i64` can hold: dropped.
    /// One on the far side is clamped (the schema then admits at most that extreme).
    fn integer_bounds(&mut self, mapping: &mut Mapping, pointer: &str) {
        const LOW: f64 = i64::MIN as f64; // exactly -2^63
        const HIGH: f64 = i64::MAX as f64; // rounds to 2^63
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(number)) = mapping.get(key) else { continue };
            if number.is_i64() {
                continue;
            }
            let at = format!("{pointer}/{key}");
            let written = number.to_string();
            let Some(value) = number.as_f64() else { continue };
            if value.fract() == 0.0 && (LOW..HIGH).contains(&value) && (key != "multipleOf" || value >= 1.0) {
                // A whole number written as a float (`100.0`): the same bound.
                mapping.insert(Value::from(key), Value::Number((value as i64).into()));
                continue;
            }
            let replacement = match key {
                "multipleOf" => None,
                "maximum" if value >= HIGH => None,
                "minimum" if value <= LOW => None,
                "maximum" if value < LOW => Some(i64::MIN),
                "minimum" if value >= HIGH => Some(i64::MAX),
                "maximum" => Some(value.floor() as i64),
                _ => Some(value.ceil() as i64),
            };
            let exclusive = format!("exclusive{}", capitalize(key));
            match replacement {
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
                        mapping.remove(exclusive.as_str());
                    }
                    self.warn(&at, format!("`{key}: {written}` is not a 64-bit integer; it was read as `{key}: {replacement}`, the same bound for integers"));
                }
            }
        }
    }

    fn boolean(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None | Some(Value::Bool(_)) => return,
            Some(Value::String(text)) if text == "true" || text == "false" => Some(text == "true"),
            Some(_) => None,
        };
        let at = format!("{pointer}/{}", super::escape_pointer_token(key));
        match fixed {
            Some(value) => {
                mapping.insert(Value::from(key), Value::Bool(value));
                self.warn(&at, format!("`{key}` must be a boolean; the string \"{value}\" was read as {value}"));
            }
            None => {
                let what = describe(&mapping[key]);
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a boolean, not {what}; it was dropped"));
            }
        }
    }

    fn string(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        match mapping.get(key) {
            None | Some(Value::String(_)) => {}
            Some(Value::Number(number)) if key != "pattern" => {
                let text = number.to_string();
                mapping.insert(Value::from(key), Value::String(text));
                self.warn(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a string; the number was read as text"),
                );
            }
            Some(other) => {
                let what = describe(other);
                mapping.remove(key);
                self.warn(&format!("{pointer}/{key}"), format!("`{key}` must be a string, not {what}; it was dropped"));
            }
        }
    }

    fn strings(&mut self, node: &mut Value, pointer: &str) {
        match node {
            Value::Sequence(items) if items.iter().all(Value::is_string) => {}
            Value::Sequence(items) => {
                items.retain(Value::is_string);
                self.warn(pointer, "this list holds strings only; other entries were dropped");
            }
            other => {
                *other = Value::Sequence(Vec::new());
                self.warn(pointer, "this must be a list of strings; it was ignored");
            }
        }
    }

    /// A non-negative whole number (`minLength`, `maxItems`, …).
    fn count(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None => return,
            Some(Value::Number(number)) if number.is_u64() => return,
            Some(Value::Number(number)) => {
                number.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < u64::MAX as f64).map(|n| n as u64)
            }
            Some(Value::String(text)) => text.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        let at = format!("{pointer}/{key}");
        match fixed {
            Some(count) => {
                mapping.insert(Value::from(key), Value::Number(count.into()));
                self.warn(&at, format!("`{key}` must be a non-negative whole number; it was read as {count}"));
            }
            None => {
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a non-negative whole number; it was dropped"));
            }
        }
    }

    fn number(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None | Some(Value::Number(_)) => return,
            Some(Value::String(text)) => parse_number(text.trim()),
            Some(_) => None,
        };
        let at = format!("{pointer}/{key}");
        match fixed {
            Some(number) => {
                self.warn(&at, format!("`{key}` must be a number; the string was read as {number}"));
                mapping.insert(Value::from(key), Value::Number(number));
            }
            None => {
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a number; it was dropped"));
            }
        }
    }
}

/// `{$ref: X, …siblings}` → `{allOf: [{$ref: X}], …siblings}`: a schema of its own, whose
/// keywords apply together with the reference (OpenAPI 3.0 ignores the siblings of a `$ref`).
pub(super) fn reference_as_all_of(mapping: &mut Mapping) {
    let Some(reference) = mapping.remove("$ref") else { return };
    let member = Value::Mapping(Mapping::from_iter([(Value::from("$ref"), reference)]));
    let mut wrapped = Mapping::from_iter([(Value::from("allOf"), Value::Sequence(vec![member]))]);
    wrapped.extend(std::mem::take(mapping));
    *mapping = wrapped;
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

fn parse_number(text: &str) -> Option<Number> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(n.into());
    }
    if let Ok(n) = text.parse::<u64>() {
        return Some(n.into());
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite()).map(Number::from)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// What a value is, for messages: never its content (a spec may hold anything).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(_) => "a number".to_string(),
        Value::String(_) => "a string".to_string(),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(_) => "a tagged value".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use openapiv3::{ReferenceOr, SchemaKind, Type};

    use crate::load::{parse, Loaded};

    fn load(components: &str) -> Loaded {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n{components}");
        parse(Path::new("spec.yaml"), &text).unwrap_or_else(|error| panic!("{error}"))
    }

    fn warnings(loaded: &Loaded) -> Vec<String> {
        loaded.warnings.iter().map(ToString::to_string).collect()
    }

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

    #[test]
    fn malformed_objects_are_located_precisely() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: query, schema: {type: string}}\n        - {name: b, schema: {type: string}}\n      responses: {}\n";
        let loaded = parse(Path::new("spec.yaml"), text).unwrap_or_else(|error| panic!("{error}"));
        assert!(warnings(&loaded)[0].starts_with("at #/paths/~1a/get/parameters/1: this parameter has no `in`"));
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, headers: {X: {schema: {type: string}, style: [1]}}}\n";
        let loaded = parse(Path::new("spec.yaml"), text).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            warnings(&loaded)[0].starts_with("at #/paths/~1a/get/responses/200/headers/X/style"),
            "{:?}",
            loaded.warnings
        );
        // Whatever repair does not know is still located below `#/paths`, and costs the operation.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      servers: 7\n      responses: {}\n";
        let loaded = parse(Path::new("spec.yaml"), text).unwrap_or_else(|error| panic!("{error}"));
        let warning = &warnings(&loaded)[0];
        assert!(warning.starts_with("at #/paths/~1a/get/servers: invalid type"), "{warning}");
        // Where only documentation stands, a node of the wrong kind is dropped.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: 2, description: [1]}\ntags:\n  - {name: a, description: {$ref: 'docs.md'}}\n  - {description: nameless}\npaths: {}\n";
        let loaded = parse(Path::new("spec.yaml"), text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(loaded.document.info.version, "2");
        assert_eq!(loaded.document.tags.len(), 1);
        assert!(loaded.document.tags[0].description.is_none());
        assert_eq!(loaded.warnings.len(), 4, "{:?}", loaded.warnings);
        assert!(warning.ends_with("so the operation `get /a` (`GET /a`) is skipped"), "{warning}");
    }
}
