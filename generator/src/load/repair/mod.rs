//! The repair pass: fixes spec mistakes that have one obvious meaning in the raw tree, before
//! `openapiv3` sees it, each with a warning naming the node and what was done; and checks the
//! shape of the objects `openapiv3` reads through untagged enums, so that a malformed node is
//! reported at its own pointer instead of at `#/paths`.
//!
//! What is repaired (pointers name the node, messages say what changed), one function per rule:
//! - schemas (`schema.rs`): `required: true` (a Swagger 2 habit) dropped; `default: null` on a
//!   schema that is not nullable dropped; `type: array` without `items` gets `items: {}`;
//!   `items` under another type dropped; integer bounds outside the 64-bit range dropped (a
//!   bound beyond the type's range constrains nothing) or clamped; `{$ref, nullable: true}`
//!   becomes `{allOf: [{$ref}], nullable: true}` so the `nullable` is not silently lost;
//!   keywords of the wrong type (`minLength: "3"`, `nullable: "true"`, see `keywords.rs`)
//!   converted when the meaning is plain, else dropped; a schema written as a bare type name
//!   (`name: string`) becomes `{type: string}`.
//! - parameters and headers (`parameter.rs`): schema keywords written on the parameter itself
//!   moved under `schema`; neither `schema` nor `content` → `schema: {type: string}`; both →
//!   `content` dropped; path parameters made `required`; a `style` the location does not allow
//!   dropped.
//! - the document, operations, responses and request bodies (`objects.rs`): a response without
//!   `description` gets an empty one; a request body without `content` and an operation without
//!   `responses` get empty ones; documentation of the wrong kind is dropped.
//!
//! The rules of one object run in a fixed order, which is the order of their warnings.
//!
//! Examples, defaults and enum values are data and are never touched (an `example` that does not
//! match its schema is not an error anywhere).

mod keywords;
mod objects;
mod parameter;
mod schema;

use serde_yaml::{Mapping, Value};

use self::parameter::ParameterKind;
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
        repairs.missing_paths(root);
        repairs.documentation(root);
    }
    repairs.walk(Obj::Document, document, "#");
    repairs
}

impl Repairs {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(SpecError::new(pointer, message));
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }

    /// Repairs one object and, depth first, the objects under it.
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
        self.object(obj, mapping, pointer);
        for_each_child(obj, node, &mut |steps, child, value| {
            self.walk(child, value, &extend_pointer(pointer, steps));
        });
    }

    /// The rules of one kind of object (not a reference), on the object itself.
    fn object(&mut self, obj: Obj, mapping: &mut Mapping, pointer: &str) {
        if matches!(obj, Obj::Response | Obj::RequestBody | Obj::Parameter | Obj::Header) {
            self.media_types(mapping, pointer);
        }
        match obj {
            Obj::Schema => self.schema(mapping, pointer),
            Obj::Parameter => self.parameter(mapping, pointer, ParameterKind::Parameter),
            Obj::Header => self.parameter(mapping, pointer, ParameterKind::Header),
            Obj::Response => self.response(mapping, pointer),
            Obj::RequestBody => self.request_body(mapping, pointer),
            Obj::Operation => self.operation(mapping, pointer),
            _ => {}
        }
    }

    /// A node that must be a mapping and is not: a schema is read the way its author plainly
    /// meant (see `schema_not_a_mapping`); any other object is an error, which costs what
    /// holds it.
    fn not_a_mapping(&mut self, obj: Obj, node: &mut Value, pointer: &str) {
        if obj == Obj::Schema {
            self.schema_not_a_mapping(node, pointer);
        } else {
            self.error(pointer, format!("a {} must be a mapping, not {}", obj.noun(), describe(node)));
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
    use crate::load::test_support::parse_ok;
    pub(super) use crate::load::test_support::warnings;
    use crate::load::Loaded;

    /// Loads a 3.0 document with no paths whose `components` are the YAML given.
    pub(super) fn load(components: &str) -> Loaded {
        parse_ok(&format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n{components}"))
    }

    #[test]
    fn malformed_objects_are_located_precisely() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: query, schema: {type: string}}\n        - {name: b, schema: {type: string}}\n      responses: {}\n";
        let loaded = parse_ok(text);
        assert!(warnings(&loaded)[0].starts_with("at #/paths/~1a/get/parameters/1: this parameter has no `in`"));
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, headers: {X: {schema: {type: string}, style: [1]}}}\n";
        let loaded = parse_ok(text);
        assert!(
            warnings(&loaded)[0].starts_with("at #/paths/~1a/get/responses/200/headers/X/style"),
            "{:?}",
            loaded.warnings
        );
        // Whatever repair does not know is still located below `#/paths`, and costs the operation.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      servers: 7\n      responses: {}\n";
        let loaded = parse_ok(text);
        let warning = &warnings(&loaded)[0];
        assert!(warning.starts_with("at #/paths/~1a/get/servers: invalid type"), "{warning}");
        // Where only documentation stands, a node of the wrong kind is dropped.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: 2, description: [1]}\ntags:\n  - {name: a, description: {$ref: 'docs.md'}}\n  - {description: nameless}\npaths: {}\n";
        let loaded = parse_ok(text);
        assert_eq!(loaded.document.info.version, "2");
        assert_eq!(loaded.document.tags.len(), 1);
        assert!(loaded.document.tags[0].description.is_none());
        assert_eq!(loaded.warnings.len(), 4, "{:?}", loaded.warnings);
        assert!(warning.ends_with("so the operation `get /a` (`GET /a`) is skipped"), "{warning}");
    }
}
