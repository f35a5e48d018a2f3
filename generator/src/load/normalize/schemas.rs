//! JSON Schema 2020-12 (the schema language of OpenAPI 3.1) read as OpenAPI 3.0 schemas, on
//! every schema of the document, whatever version it declares: real files mix spellings.
//!
//! Each rule is one function that rewrites one node. A rule that reads a construct the declared
//! version does not have warns (`nullable` in a 3.1 file, a type list in a 3.0 file); a rule
//! that has to give meaning up warns whatever the version (a key pattern that is no longer
//! checked, `if`/`then`/`else`).

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::super::escape_pointer_token;
use super::super::repair::reference_as_all_of;
use super::super::walk::{extend_pointer, for_each_child, Obj};
use super::{describe, Normalizer, Version};
use crate::error::SpecError;

mod defs;
mod unions;

/// The extension a closed tuple's item schemas travel in to the model (OpenAPI 3.0 has no
/// tuples): one schema per position, in order.
pub const TUPLE_ITEMS: &str = "x-prefix-items";

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Keywords that only apply to one type, for splitting a schema with several types.
const STRING_KEYWORDS: [&str; 4] = ["minLength", "maxLength", "pattern", "format"];
const NUMBER_KEYWORDS: [&str; 6] =
    ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"];
const ARRAY_KEYWORDS: [&str; 4] = ["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYWORDS: [&str; 5] = ["properties", "required", "additionalProperties", "minProperties", "maxProperties"];

/// Keywords beside a `$ref` that change what the value is or how it is documented: in 3.1 they
/// apply together with the reference, so the schema becomes `allOf: [{$ref}]` with them.
const REFERENCE_SIBLINGS: [&str; 20] = [
    "description",
    "title",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "enum",
    "const",
    "type",
    "x-nullable",
];

/// Keywords 3.0 has no counterpart for and that constrain values: dropped with a warning.
const UNSUPPORTED: [(&str, &str); 11] = [
    ("if", "conditional schemas (`if`/`then`/`else`)"),
    ("then", "conditional schemas (`if`/`then`/`else`)"),
    ("else", "conditional schemas (`if`/`then`/`else`)"),
    ("dependentRequired", "`dependentRequired`"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("unevaluatedProperties", "`unevaluatedProperties`"),
    ("unevaluatedItems", "`unevaluatedItems`"),
    ("contains", "`contains`"),
    ("minContains", "`minContains`"),
    ("maxContains", "`maxContains`"),
    ("$dynamicRef", "`$dynamicRef`"),
];

/// Keywords that identify or annotate a schema and mean nothing for the generated code.
const IGNORED: [&str; 7] = ["$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "$vocabulary", "contentSchema"];

/// Applies the rules to every schema of `document`.
pub(super) fn normalize(document: &mut Value, out: &mut Normalizer) {
    let fixed = unions::fixed_properties(document);
    let hoisted = defs::hoist(document, out);
    let mut rules = Rules { out, hoisted, fixed, foreign: Vec::new() };
    rules.walk(Obj::Document, document, "#");
    rules.report_foreign();
}

struct Rules<'a> {
    out: &'a mut Normalizer,
    /// Where each hoisted `$defs` entry was (`#/components/schemas/A/$defs/B`) → its new
    /// reference.
    hoisted: HashMap<String, String>,
    /// Component schemas whose properties are fixed by `const`: name → (property, value).
    fixed: HashMap<String, Vec<(String, String)>>,
    /// Constructs of another version read so far: the construct, its first warning, and how
    /// many more places have it.
    foreign: Vec<(String, SpecError, usize)>,
}

impl Rules<'_> {
    fn version(&self) -> Version {
        self.out.version
    }

    fn walk(&mut self, obj: Obj, node: &mut Value, pointer: &str) {
        if obj == Obj::Schema {
            if *node == Value::Bool(true) && self.version() == Version::OpenApi31 {
                // `true` is the JSON Schema that allows anything.
                *node = Value::Mapping(Mapping::new());
            }
            self.schema(node, pointer);
        }
        for_each_child(obj, node, &mut |steps, child, value| {
            self.walk(child, value, &extend_pointer(pointer, steps));
        });
    }

    /// A construct the declared version does not have, read anyway. Such constructs come by
    /// the hundred in real files: one warning per construct names the first place and counts
    /// the others.
    fn foreign(&mut self, pointer: &str, construct: &str, reading: &str, native: Version) {
        if self.version() == native {
            return;
        }
        if let Some((_, _, more)) = self.foreign.iter_mut().find(|(known, _, _)| known == construct) {
            *more += 1;
            return;
        }
        let version = self.version().label();
        let original = self.out.original(pointer);
        let message = format!("{construct} is {}, not {version}; it was read as {reading}", native.label());
        self.foreign.push((construct.to_string(), SpecError::new(original, message), 0));
    }

    /// The warnings of [`Rules::foreign`], in the order first found.
    fn report_foreign(&mut self) {
        for (_, mut warning, more) in std::mem::take(&mut self.foreign) {
            match more {
                0 => {}
                1 => warning.message.push_str(" (and so is 1 more place in this file)"),
                n => warning.message.push_str(&format!(" (and so are {n} more places in this file)")),
            }
            self.out.warnings.push(warning);
        }
    }

    fn lost(&mut self, pointer: &str, message: String) {
        let original = self.out.original(pointer);
        self.out.warn(&original, message);
    }

    fn schema(&mut self, node: &mut Value, pointer: &str) {
        let Value::Mapping(mapping) = node else { return };
        if !mapping.iter().any(|(key, value)| self.concerns(key, value)) {
            // Most schemas of most specs: no rule has anything to do.
            return;
        }
        if mapping.contains_key("$ref") {
            self.reference(mapping);
            if mapping.contains_key("$ref") {
                return;
            }
        }
        for key in IGNORED {
            mapping.remove(key);
        }
        let wrote_nullable = mapping.get("nullable") == Some(&Value::Bool(true));
        if mapping.get("items") == Some(&Value::Bool(true)) {
            // `items: true`: items of any kind.
            mapping.insert(Value::from("items"), Value::Mapping(Mapping::new()));
        }
        self.extension_nullable(mapping, pointer);
        if unions::enum_of_constants(mapping) {
            self.foreign(pointer, "a union of `const` values", "an `enum`", Version::OpenApi31);
            self.out.changed = true;
        }
        self.type_list(mapping, pointer);
        self.constant(mapping, pointer);
        self.examples(mapping);
        self.exclusive_bound(mapping, pointer, "exclusiveMinimum", "minimum", |new, old| new >= old);
        self.exclusive_bound(mapping, pointer, "exclusiveMaximum", "maximum", |new, old| new <= old);
        self.content_encoding(mapping);
        self.prefix_items(mapping, pointer);
        self.pattern_properties(mapping, pointer);
        self.discriminator_name(mapping, pointer);
        self.unsupported(mapping, pointer);
        if self.version() == Version::OpenApi31 && wrote_nullable {
            self.foreign(pointer, "`nullable`", "allowing `null`", Version::OpenApi30);
        }
        unions::discriminate(mapping, &self.fixed);
    }

    /// Whether a rule acts on this keyword with this value (one look at each key instead of
    /// each rule's lookups, which on a large spec cost as much as reading it).
    fn concerns(&self, key: &Value, value: &Value) -> bool {
        let Some(key) = key.as_str() else { return false };
        match key {
            "type" => !value.as_str().is_some_and(|typ| TYPES.contains(&typ)),
            "items" => value.is_bool(),
            "exclusiveMinimum" | "exclusiveMaximum" => value.is_number() || self.version() == Version::OpenApi31,
            "discriminator" => value.is_string(),
            "nullable" => self.version() == Version::OpenApi31,
            "$ref" | "oneOf" | "anyOf" | "const" | "examples" | "contentEncoding" | "contentMediaType"
            | "prefixItems" | "patternProperties" | "propertyNames" | "x-nullable" | "x-isnullable" => true,
            _ => IGNORED.contains(&key) || UNSUPPORTED.iter().any(|(unsupported, _)| *unsupported == key),
        }
    }

    /// `$ref` into a hoisted `$defs` entry is pointed at its new place; in 3.1 the keywords
    /// beside a `$ref` apply with it, so the schema becomes `allOf: [{$ref}]` with them (3.0
    /// ignores them, and so does the generator for a 3.0 file, except `nullable`, see `repair`).
    fn reference(&mut self, mapping: &mut Mapping) {
        if let Some(Value::String(reference)) = mapping.get_mut("$ref") {
            if let Some(target) = defs::redirect(&self.hoisted, reference) {
                *reference = target;
            }
        }
        let nullable = ["x-nullable", "x-isnullable"].iter().any(|key| mapping.get(*key) == Some(&Value::Bool(true)));
        if nullable && mapping.get("nullable").is_none() {
            // `x-nullable` beside a `$ref` (Swagger 2.0) means a nullable reference.
            mapping.insert(Value::from("nullable"), Value::Bool(true));
        }
        for key in ["x-nullable", "x-isnullable"] {
            mapping.remove(key);
        }
        let applies = self.version() == Version::OpenApi31 || nullable;
        let siblings: Vec<Value> = mapping
            .keys()
            .filter(|key| key.as_str().is_some_and(|key| REFERENCE_SIBLINGS.contains(&key)))
            .cloned()
            .collect();
        if !applies || siblings.is_empty() {
            return;
        }
        if siblings.iter().all(|key| matches!(key.as_str(), Some("description" | "title"))) {
            // Documentation only: the referenced type keeps its own docs, as in 3.0.
            return;
        }
        // The wrapper is a schema of its own: the other rules apply to its keywords.
        reference_as_all_of(mapping);
    }

    /// `x-nullable: true` / `x-isnullable: true` (Swagger 2.0 vendor habits) mean `nullable`.
    fn extension_nullable(&mut self, mapping: &mut Mapping, pointer: &str) {
        for key in ["x-nullable", "x-isnullable"] {
            let Some(value) = mapping.remove(key) else { continue };
            if value == Value::Bool(true) {
                mapping.insert(Value::from("nullable"), Value::Bool(true));
                let construct = format!("the `{key}` extension");
                self.foreign(&format!("{pointer}/{key}"), &construct, "`nullable: true`", Version::Swagger2);
            }
        }
    }

    /// `type: [T, "null"]` is `type: T` with `nullable: true`; several types are a union of one
    /// schema per type, each with the keywords that apply to it.
    fn type_list(&mut self, mapping: &mut Mapping, pointer: &str) {
        let at = format!("{pointer}/type");
        match mapping.get("type") {
            Some(Value::String(typ)) if typ == "null" => {
                mapping.remove("type");
                mapping.insert(Value::from("nullable"), Value::Bool(true));
                self.foreign(&at, "`type: null`", "`nullable: true`", Version::OpenApi31);
                return;
            }
            Some(Value::String(typ)) if typ == "file" && self.version() == Version::Swagger2 => {
                // A file in a Swagger 2.0 response or form: bytes.
                mapping.insert(Value::from("type"), Value::from("string"));
                mapping.insert(Value::from("format"), Value::from("binary"));
                return;
            }
            Some(Value::Sequence(_)) => {}
            _ => return,
        }
        let Some(Value::Sequence(types)) = mapping.remove("type") else { return };
        let null = types.iter().any(|t| t.as_str() == Some("null"));
        let mut others: Vec<&str> = Vec::new();
        for typ in &types {
            match typ.as_str() {
                Some("null") => {}
                Some(typ) if TYPES.contains(&typ) => {
                    if !others.contains(&typ) {
                        others.push(typ);
                    }
                }
                _ => {
                    let what = typ.as_str().map_or_else(|| describe(typ).to_string(), |t| format!("`{t}`"));
                    self.lost(&at, format!("{what} in the list of types is not a type; it was ignored"));
                }
            }
        }
        // `integer` is a `number`: both listed is the wider one.
        if others.contains(&"integer") && others.contains(&"number") {
            others.retain(|typ| *typ != "integer");
        }
        if null {
            mapping.insert(Value::from("nullable"), Value::Bool(true));
        }
        match others.as_slice() {
            [] => {}
            [single] => {
                mapping.insert(Value::from("type"), Value::from(*single));
            }
            several => {
                let members = several.iter().map(|typ| Value::Mapping(split_member(mapping, typ))).collect();
                for key in STRING_KEYWORDS.iter().chain(&NUMBER_KEYWORDS).chain(&ARRAY_KEYWORDS).chain(&OBJECT_KEYWORDS)
                {
                    mapping.remove(*key);
                }
                mapping.insert(Value::from("anyOf"), Value::Sequence(members));
            }
        }
        let reading = match others.as_slice() {
            [single] => format!("`type: {single}`{}", if null { " with `nullable: true`" } else { "" }),
            [] => "`nullable: true`".to_string(),
            _ => "a union with one member per type".to_string(),
        };
        self.foreign(&at, "a list of types", &reading, Version::OpenApi31);
    }

    /// `const: X` is an enum of one value (`null` makes the schema nullable).
    fn constant(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(value) = mapping.remove("const") else { return };
        if value.is_null() {
            mapping.insert(Value::from("nullable"), Value::Bool(true));
        }
        if !mapping.contains_key("enum") {
            mapping.insert(Value::from("enum"), Value::Sequence(vec![value]));
        }
        self.foreign(&format!("{pointer}/const"), "`const`", "an `enum` of one value", Version::OpenApi31);
    }

    /// `examples: [a, b]` in a schema: the first is its `example`.
    fn examples(&mut self, mapping: &mut Mapping) {
        if !mapping.get("examples").is_some_and(Value::is_sequence) {
            return;
        }
        let Some(Value::Sequence(examples)) = mapping.remove("examples") else { return };
        // Silent, but the tree is no longer what the text says (see `Normalizer::changed`).
        self.out.changed = true;
        if let (false, Some(first)) = (mapping.contains_key("example"), examples.into_iter().next()) {
            mapping.insert(Value::from("example"), first);
        }
    }

    /// `exclusiveMinimum: 5` (a number, as in 3.1) is `minimum: 5` with `exclusiveMinimum:
    /// true`; beside a `minimum`, the stricter of the two bounds is kept.
    fn exclusive_bound(
        &mut self,
        mapping: &mut Mapping,
        pointer: &str,
        key: &str,
        bound: &str,
        stricter: fn(f64, f64) -> bool,
    ) {
        let at = format!("{pointer}/{key}");
        match mapping.get(key) {
            Some(Value::Number(number)) => {
                let number = number.clone();
                let keep = match mapping.get(bound).and_then(Value::as_f64) {
                    Some(old) => number.as_f64().is_some_and(|new| stricter(new, old)),
                    None => true,
                };
                if keep {
                    mapping.insert(Value::from(bound), Value::Number(number.clone()));
                    mapping.insert(Value::from(key), Value::Bool(true));
                } else {
                    mapping.remove(key);
                }
                let reading = format!("`{bound}: {number}` with `{key}: true`");
                self.foreign(&at, &format!("a numeric `{key}`"), &reading, Version::OpenApi31);
            }
            Some(Value::Bool(_)) if self.version() == Version::OpenApi31 => {
                self.foreign(&at, &format!("a boolean `{key}`"), &format!("qualifying `{bound}`"), Version::OpenApi30);
            }
            _ => {}
        }
    }

    /// `contentEncoding: base64` is `format: byte`; a string whose `contentMediaType` is not
    /// JSON or text is raw bytes (`format: binary`).
    fn content_encoding(&mut self, mapping: &mut Mapping) {
        let encoding = mapping.remove("contentEncoding");
        let media = mapping.remove("contentMediaType");
        if mapping.get("type").and_then(Value::as_str) != Some("string") || mapping.contains_key("format") {
            return;
        }
        let format = match (encoding.as_ref().and_then(Value::as_str), media.as_ref().and_then(Value::as_str)) {
            (Some(encoding), _) if encoding.eq_ignore_ascii_case("base64") => "byte",
            (None, Some(media)) if !media.contains("json") && !media.starts_with("text/") => "binary",
            _ => return,
        };
        mapping.insert(Value::from("format"), Value::from(format));
        self.out.changed = true;
    }

    /// `prefixItems` (a tuple): items that are all the same schema are a list of it; a tuple
    /// closed after its items (`items: false`, or `maxItems` its length) keeps one schema per
    /// position under [`TUPLE_ITEMS`] for the model; an open one is read as a list of any JSON
    /// values.
    fn prefix_items(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(prefix) = mapping.remove("prefixItems") else { return };
        self.out.changed = true;
        let Value::Sequence(mut prefix) = prefix else { return };
        let rest = mapping.remove("items");
        let closed = matches!(rest, None | Some(Value::Bool(false)))
            && (rest.is_some() || mapping.get("maxItems").and_then(Value::as_u64) == Some(prefix.len() as u64));
        let same = prefix.first().filter(|first| prefix.iter().all(|item| item == *first)).cloned();
        let items = match (same, rest) {
            (Some(first), None | Some(Value::Bool(false))) => first,
            (Some(first), Some(rest)) if rest == first => first,
            _ if closed && !prefix.is_empty() => {
                // The positions are schemas of their own: the rules apply to them here, since
                // the walk does not look into an extension.
                for (index, item) in prefix.iter_mut().enumerate() {
                    self.walk(Obj::Schema, item, &format!("{pointer}/prefixItems/{index}"));
                }
                let original = format!("{}/prefixItems", self.out.original(pointer));
                self.out.moved(format!("{pointer}/{TUPLE_ITEMS}"), original);
                mapping.insert(Value::from(TUPLE_ITEMS), Value::Sequence(prefix));
                Value::Mapping(Mapping::new())
            }
            _ => {
                self.lost(
                    &format!("{pointer}/prefixItems"),
                    "a tuple that allows more items than it lists (`prefixItems` without `items: false`) was read as a list of any JSON values".to_string(),
                );
                Value::Mapping(Mapping::new())
            }
        };
        mapping.insert(Value::from("items"), items);
        if !mapping.contains_key("type") {
            mapping.insert(Value::from("type"), Value::from("array"));
        }
    }

    /// `patternProperties`: the object is a map whose values follow the patterns' schemas (one
    /// schema, or a union of several); the key patterns themselves are not checked.
    /// `propertyNames` constrains only keys: dropped.
    fn pattern_properties(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.remove("propertyNames").is_some() {
            self.lost(
                &format!("{pointer}/propertyNames"),
                "`propertyNames` (a rule on keys) is not checked; the object was read without it".to_string(),
            );
        }
        let Some(Value::Mapping(patterns)) = mapping.remove("patternProperties") else { return };
        if let (1, Some(Value::String(pattern))) = (patterns.len(), patterns.keys().next()) {
            // The map's values are the one pattern's schema: later warnings name it there.
            let original =
                format!("{}/patternProperties/{}", self.out.original(pointer), escape_pointer_token(pattern));
            self.out.moved(format!("{pointer}/additionalProperties"), original);
        }
        let mut schemas: Vec<Value> = Vec::new();
        for (_, schema) in patterns {
            if !schemas.contains(&schema) {
                schemas.push(schema);
            }
        }
        if let Some(Value::Mapping(extra)) = mapping.get("additionalProperties") {
            let extra = Value::Mapping(extra.clone());
            if !schemas.contains(&extra) {
                schemas.push(extra);
            }
        }
        let values = match schemas.len() {
            0 => return,
            1 => schemas.remove(0),
            _ => Value::Mapping(Mapping::from_iter([(Value::from("anyOf"), Value::Sequence(schemas))])),
        };
        mapping.insert(Value::from("additionalProperties"), values);
        if !mapping.contains_key("type") {
            mapping.insert(Value::from("type"), Value::from("object"));
        }
        self.lost(
            &format!("{pointer}/patternProperties"),
            "the key patterns of `patternProperties` are not checked; the values were read as the map's values"
                .to_string(),
        );
    }

    /// `discriminator: kind` (Swagger 2.0 names the property only) is `{propertyName: kind}`.
    fn discriminator_name(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(Value::String(name)) = mapping.get("discriminator") else { return };
        let name = name.clone();
        let object = Mapping::from_iter([(Value::from("propertyName"), Value::from(name.as_str()))]);
        mapping.insert(Value::from("discriminator"), Value::Mapping(object));
        self.foreign(
            &format!("{pointer}/discriminator"),
            "a discriminator given as a property name",
            "`discriminator: {propertyName}`",
            Version::Swagger2,
        );
    }

    /// Keywords 3.0 cannot say: the schema is read without them.
    fn unsupported(&mut self, mapping: &mut Mapping, pointer: &str) {
        let mut reported: Vec<&str> = Vec::new();
        for (key, what) in UNSUPPORTED {
            // `if`, `then` and `else` are one construct: one warning.
            if mapping.remove(key).is_some() && !reported.contains(&what) {
                reported.push(what);
                let message =
                    format!("{what} cannot be expressed in the generated code; the schema was read without it");
                self.lost(&format!("{pointer}/{}", escape_pointer_token(key)), message);
            }
        }
    }
}

/// The member of a several-typed schema for one type: that type, with the keywords that apply
/// to it.
fn split_member(mapping: &Mapping, typ: &str) -> Mapping {
    let keywords: &[&str] = match typ {
        "string" => &STRING_KEYWORDS,
        "number" | "integer" => &NUMBER_KEYWORDS,
        "array" => &ARRAY_KEYWORDS,
        "object" => &OBJECT_KEYWORDS,
        _ => &[],
    };
    let mut member = Mapping::from_iter([(Value::from("type"), Value::from(typ))]);
    for key in keywords {
        if let Some(value) = mapping.get(*key) {
            member.insert(Value::from(*key), value.clone());
        }
    }
    member
}

#[cfg(test)]
mod tests;
