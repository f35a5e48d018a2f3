//! Lowering of schemas: `openapiv3::Schema` → [`ValueType`] and named [`TypeDef`]s.
//!
//! Component schemas that need a Rust type of their own (objects with properties, string enums,
//! `allOf` compositions) get a [`TypeId`] before anything is lowered, so references to them —
//! forward, backward or circular — resolve to an id. The others (plain strings, numbers, arrays,
//! maps) are "transparent": a `$ref` to them is replaced by their lowered value type.

use std::borrow::Cow;
use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::naming::{self, Namespace};
use super::*;
use crate::error::SpecError;

mod all_of;
mod components;
mod constraints;
mod enums;
#[cfg(test)]
mod field_tests;
mod mapped;
mod objects;
#[cfg(test)]
mod test_support;
mod unions;
mod value;
mod with;

use enums::{build_enum, EnumEntry};
pub use mapped::unused_mappings;
use mapped::Mappings;
use unions::{is_null_member, union_members};
pub use with::{serde_markers, MAX_WITH_TUPLE};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The component schema a `$ref` names, unescaped (`#/components/schemas/a~1b` is `a/b`);
/// `None` for a reference to anything else.
fn schema_name(reference: &str) -> Option<Cow<'_, str>> {
    crate::load::component_name(reference, "schemas")
}

/// What a component schema becomes.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    Named(TypeId),
    Transparent,
    /// The config maps the schema to this type: references to it are that type.
    Mapped(&'a Mapping),
}

pub(super) struct SchemaLowering<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    slots: HashMap<&'a str, Slot<'a>>,
    config: &'a crate::config::Config,
    /// The config's type mappings.
    mappings: Mappings<'a>,
    types: Vec<Option<TypeDef>>,
    type_names: Namespace,
    /// Transparent schemas being lowered, to turn a reference cycle among them into an error.
    resolving: Vec<String>,
    /// Inline schemas being lowered, by pointer, to stop one that contains itself.
    inline_stack: Vec<(String, TypeId)>,
    /// Type aliases for the transparent component schemas.
    pub aliases: Vec<Alias>,
    /// Problems that cost something (an operation, or a schema's type): lowering turns them into
    /// [`warnings`](Self::warnings) at the smallest part that contains them, see [`Self::or_json`].
    pub errors: Vec<SpecError>,
    /// Problems repaired or given up on; generation goes on (`--strict` refuses them).
    pub warnings: Vec<SpecError>,
    /// Schemas typed as `serde_json::Value` because they could not be expressed.
    pub degraded: Vec<Skipped>,
}

/// A point in lowering to go back to, see [`SchemaLowering::mark`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Mark {
    errors: usize,
    warnings: usize,
    degraded: usize,
    types: usize,
}

/// The parts of an object schema, gathered from `properties` or from every member of an `allOf`.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: IndexMap<String, (String, &'a ReferenceOr<Box<Schema>>)>,
    required: Vec<String>,
    additional: Option<(String, &'a AdditionalProperties)>,
}

impl<'a> SchemaLowering<'a> {
    pub fn new(components: &'a IndexMap<String, ReferenceOr<Schema>>, config: &'a crate::config::Config) -> Self {
        SchemaLowering {
            components,
            config,
            slots: HashMap::new(),
            mappings: Mappings::new(config),
            types: Vec::new(),
            type_names: Namespace::new(),
            resolving: Vec::new(),
            inline_stack: Vec::new(),
            aliases: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            degraded: Vec::new(),
        }
    }

    /// The document's component schemas.
    pub fn components(&self) -> &'a IndexMap<String, ReferenceOr<Schema>> {
        self.components
    }

    /// The codegen.toml generation reads.
    pub fn config(&self) -> &'a crate::config::Config {
        self.config
    }

    /// Whether a type declared so far is a struct.
    pub fn is_struct(&self, id: TypeId) -> bool {
        matches!(self.types.get(id.0), Some(Some(TypeDef { kind: TypeKind::Struct(_), .. })))
    }

    /// Whether a type declared so far is an enum.
    pub fn is_enum(&self, id: TypeId) -> bool {
        matches!(self.types.get(id.0), Some(Some(TypeDef { kind: TypeKind::Enum(_), .. })))
    }

    /// Declares a struct the spec does not name as a schema (an operation's parameters).
    pub fn add_struct(&mut self, context: &str, doc: String, fields: Vec<Field>, pointer: String) -> TypeId {
        self.declare(context, doc, pointer, TypeKind::Struct(Struct { fields, extra: Extra::Ignored }))
    }

    /// Declares a string enum of the given values (with the usual catch-all variant), e.g. the
    /// media types a request body may be sent as.
    pub fn add_string_enum(&mut self, context: &str, doc: String, values: &[String], pointer: String) -> TypeId {
        let values = values
            .iter()
            .map(|value| EnumEntry { value: EnumValue::String(value.clone()), name: None, doc: None })
            .collect();
        self.declare(context, doc, pointer, TypeKind::Enum(build_enum(values)))
    }

    /// Declares a type the spec does not name as a schema, named after `context`.
    fn declare(&mut self, context: &str, doc: String, pointer: String, kind: TypeKind) -> TypeId {
        let id = TypeId(self.types.len());
        let name = self.type_names.claim(naming::type_name(context));
        self.types.push(Some(plain_def(name, pointer, Some(doc), kind)));
        id
    }

    /// The types by id; an empty slot is a type given up on (typed as JSON) or declared by a
    /// skipped operation.
    pub fn into_types(self) -> Vec<Option<TypeDef>> {
        self.types
    }

    /// Empties the types declared from id `start` on (those of a part given up on): nothing
    /// outside that part refers to them.
    fn forget_types_since(&mut self, start: usize) {
        for slot in self.types.iter_mut().skip(start) {
            *slot = None;
        }
    }

    /// Lowers a value with `lower`; when that records errors, they become warnings and the value
    /// is JSON (`serde_json::Value`). `pointer` is the schema this gives up on: the smallest
    /// part of the spec that contains the problem, so one bad property costs only its own type.
    pub fn or_json(&mut self, pointer: &str, lower: impl FnOnce(&mut Self) -> ValueType) -> ValueType {
        let mark = self.mark();
        let value = lower(self);
        if self.degrade_since(mark, pointer) {
            ValueType { shape: Shape::Any, nullable: value.nullable }
        } else {
            value
        }
    }

    /// How far lowering has got, to give up on what comes after.
    pub fn mark(&self) -> Mark {
        Mark {
            errors: self.errors.len(),
            warnings: self.warnings.len(),
            degraded: self.degraded.len(),
            types: self.types.len(),
        }
    }

    /// Takes back what was recorded since `mark` except the errors, and returns those: the part
    /// lowered since is given up, so the types it declared (referred to by nothing else) and the
    /// warnings and losses inside it are dropped too.
    pub fn give_up_since(&mut self, mark: Mark) -> Vec<SpecError> {
        let problems = self.errors.drain(mark.errors..).collect();
        self.warnings.truncate(mark.warnings);
        self.degraded.truncate(mark.degraded);
        self.forget_types_since(mark.types);
        problems
    }

    /// Turns the errors recorded since `mark` into warnings saying that the schema at `pointer`
    /// is typed as JSON, and records that schema; returns whether there were any.
    fn degrade_since(&mut self, mark: Mark, pointer: &str) -> bool {
        if self.errors.len() <= mark.errors {
            return false;
        }
        let problems = self.give_up_since(mark);
        for problem in &problems {
            let consequence = if problem.pointer == pointer {
                "so this schema is typed as JSON (`serde_json::Value`)".to_string()
            } else {
                format!("so `{pointer}` is typed as JSON (`serde_json::Value`)")
            };
            self.warnings.push(SpecError::new(problem.pointer.clone(), format!("{}; {consequence}", problem.message)));
        }
        if !self.degraded.iter().any(|skipped| skipped.pointer == pointer) {
            self.degraded.push(Skipped { pointer: pointer.to_string(), item: SkippedItem::Schema, problems });
        }
        true
    }

    fn unsupported(&mut self, pointer: &str, keyword: &str) -> ValueType {
        self.error(pointer, format!("`{keyword}` cannot be expressed as a Rust type"));
        any()
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }
}

fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Boolean(b)) => b.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
            _ => false,
        }
        || matches!(&schema.schema_kind, SchemaKind::AllOf { all_of } if all_of::annotates_nullable(all_of))
        || union_members(schema).is_some_and(|(_, members)| members.iter().any(is_null_member))
}

fn is_sensitive(schema: &Schema) -> bool {
    let password = matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s)) if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
    );
    password || schema.schema_data.extensions.get("x-sensitive").and_then(|v| v.as_bool()) == Some(true)
}

fn is_empty_schema(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(any), .. }) if *any == AnySchema::default())
}

fn description(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .as_deref()
        .or(schema.schema_data.title.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

/// A type definition with nothing marked yet: not deprecated nor sensitive, and not yet known
/// to travel in requests or responses.
fn plain_def(name: String, pointer: String, doc: Option<String>, kind: TypeKind) -> TypeDef {
    TypeDef {
        name,
        pointer,
        doc,
        deprecated: false,
        in_request: false,
        in_response: false,
        in_unused: false,
        builder_name: None,
        derives: Vec::new(),
        sensitive: false,
        kind,
    }
}

fn any() -> ValueType {
    ValueType { shape: Shape::Any, nullable: false }
}
