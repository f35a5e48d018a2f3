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
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::naming::{self, Namespace};
use super::*;
use crate::error::SpecError;
use crate::load::{escape_pointer_token, TUPLE_ITEMS};

mod enums;
#[cfg(test)]
mod field_tests;
mod mapped;
mod objects;
mod unions;
mod with;

use enums::{build_enum, enum_values, EnumEntry};
pub use mapped::unused_mappings;
use mapped::{mapped_alias_doc, Mappings};
use objects::AllOfParts;
use unions::{is_null_member, nullable_single, union_members};
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

    /// Assigns ids and names to the component schemas that become types, then lowers them all.
    pub fn lower_components(&mut self) {
        let components = self.components;
        let mut assigned = HashMap::new();
        let mut alias_names = HashMap::new();
        for (name, schema) in components {
            let mapped = self.mappings.schema(name);
            let slot = match schema {
                // A format the config maps makes the schema a plain value, whatever else it says.
                ReferenceOr::Item(schema)
                    if mapped.is_none() && self.mappings.format(schema).is_none() && needs_type(schema, components) =>
                {
                    let id = TypeId(self.types.len());
                    self.types.push(None);
                    assigned.insert(id, self.type_names.claim(naming::type_name(name)));
                    Slot::Named(id)
                }
                _ => {
                    alias_names.insert(name.as_str(), self.type_names.claim(naming::type_name(name)));
                    mapped.map_or(Slot::Transparent, Slot::Mapped)
                }
            };
            self.slots.insert(name.as_str(), slot);
        }
        for (name, schema) in components {
            let pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
            match (self.slots[name.as_str()], schema) {
                (Slot::Named(id), ReferenceOr::Item(schema)) => {
                    let mark = self.mark();
                    let def = self.named_type(assigned[&id].clone(), schema, &pointer);
                    if self.degrade_since(mark, &pointer) {
                        // The id stays empty: references to it become JSON too (see `lower`).
                        self.aliases.push(opaque_alias(assigned[&id].clone(), schema));
                    } else {
                        self.types[id.0] = Some(def);
                    }
                }
                // Uses lower it again in place; the alias gives it a name.
                (Slot::Transparent, schema) => {
                    let mark = self.mark();
                    let value = self.value_of_ref_or(schema, &pointer, name);
                    let target = match schema {
                        ReferenceOr::Item(schema) => Some(schema),
                        ReferenceOr::Reference { reference } => self.resolve_quietly(reference, &pointer),
                    };
                    if self.degrade_since(mark, &pointer) {
                        let name = alias_names[name.as_str()].clone();
                        match target {
                            Some(target) => self.aliases.push(opaque_alias(name, target)),
                            None => self.aliases.push(Alias {
                                name,
                                doc: Some(OPAQUE_NOTE.into()),
                                deprecated: false,
                                value: any(),
                            }),
                        }
                    } else {
                        self.aliases.push(Alias {
                            name: alias_names[name.as_str()].clone(),
                            doc: target.and_then(description),
                            deprecated: target.is_some_and(|schema| schema.schema_data.deprecated),
                            value,
                        });
                    }
                }
                (Slot::Mapped(ty), schema) => {
                    let (doc, deprecated, nullable) = match schema {
                        ReferenceOr::Item(schema) => {
                            self.warn_unchecked(schema, &pointer, ty);
                            (description(schema), schema.schema_data.deprecated, is_nullable(schema))
                        }
                        ReferenceOr::Reference { .. } => (None, false, false),
                    };
                    self.aliases.push(Alias {
                        name: alias_names[name.as_str()].clone(),
                        doc: Some(mapped_alias_doc(doc, ty)),
                        deprecated,
                        value: ValueType { shape: Shape::Mapped(ty.clone()), nullable },
                    });
                }
                (Slot::Named(_), ReferenceOr::Reference { .. }) => {}
            }
        }
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
        let id = TypeId(self.types.len());
        let name = self.type_names.claim(naming::type_name(context));
        self.types.push(Some(TypeDef {
            name,
            pointer,
            doc: Some(doc),
            deprecated: false,
            in_request: false,
            in_response: false,
            builder_name: None,
            derives: Vec::new(),
            sensitive: false,
            kind: TypeKind::Struct(Struct { fields, extra: Extra::Ignored }),
        }));
        id
    }

    /// Declares a string enum of the given values (with the usual catch-all variant), e.g. the
    /// media types a request body may be sent as.
    pub fn add_string_enum(&mut self, context: &str, doc: String, values: &[String], pointer: String) -> TypeId {
        let id = TypeId(self.types.len());
        let name = self.type_names.claim(naming::type_name(context));
        let values = values
            .iter()
            .map(|value| EnumEntry { value: EnumValue::String(value.clone()), name: None, doc: None })
            .collect();
        self.types.push(Some(TypeDef {
            name,
            pointer,
            doc: Some(doc),
            deprecated: false,
            in_request: false,
            in_response: false,
            builder_name: None,
            derives: Vec::new(),
            sensitive: false,
            kind: TypeKind::Enum(build_enum(values)),
        }));
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

    /// Lowers a schema found at `pointer`; `context` names inline types declared inside it.
    pub fn value_of_ref_or(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, context: &str) -> ValueType {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.value(schema, pointer, context),
        }
    }

    fn value_of_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, pointer: &str, context: &str) -> ValueType {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.value(schema, pointer, context),
        }
    }

    /// The schema a `$ref` points at, with its name; records an error when it dangles.
    fn resolve(&mut self, reference: &str, pointer: &str) -> Option<(&'a str, &'a Schema)> {
        let Some(name) = schema_name(reference) else {
            let message = if reference.starts_with(SCHEMA_PREFIX) {
                format!("`{reference}` points inside a component schema; only references to a whole schema under components/schemas are supported, so give the part it points at a schema of its own")
            } else {
                format!("`{reference}` is not a local schema reference; only `#/components/schemas/…` references are supported, so bundle external files into the spec first")
            };
            self.error(format!("{pointer}/$ref"), message);
            return None;
        };
        match self.components.get_key_value(name.as_ref()) {
            Some((name, ReferenceOr::Item(schema))) => Some((name.as_str(), schema)),
            Some((name, ReferenceOr::Reference { reference })) => {
                if self.resolving.iter().any(|n| n == name) {
                    self.error(
                        format!("{pointer}/$ref"),
                        format!("`{reference}` refers back to itself through aliases only"),
                    );
                    return None;
                }
                self.resolving.push(name.clone());
                let target_pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
                let resolved = self.resolve(reference, &target_pointer);
                self.resolving.pop();
                resolved
            }
            None => {
                self.error(
                    format!("{pointer}/$ref"),
                    format!(
                        "`{reference}` does not exist; define `{name}` under components/schemas or fix the reference"
                    ),
                );
                None
            }
        }
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> ValueType {
        if let Some(mapped) = self.mapped_reference(reference) {
            return mapped;
        }
        let Some((name, schema)) = self.resolve(reference, pointer) else {
            return any();
        };
        let nullable = is_nullable(schema);
        match self.slots.get(name).copied() {
            Some(Slot::Named(id)) => ValueType { shape: Shape::Named(id), nullable },
            _ => {
                if self.resolving.iter().any(|n| n == name) {
                    self.error(
                        format!("{pointer}/$ref"),
                        format!("`{reference}` contains itself without passing through an object; such a value has no finite shape"),
                    );
                    return any();
                }
                self.resolving.push(name.to_string());
                let target_pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
                let value = self.or_json(&target_pointer, |this| this.value(schema, &target_pointer, name));
                self.resolving.pop();
                value
            }
        }
    }

    /// Lowers an inline schema.
    fn value(&mut self, schema: &Schema, pointer: &str, context: &str) -> ValueType {
        let nullable = is_nullable(schema);
        if let Some((keyword, index, single)) = nullable_single(schema) {
            let inner = self.value_of_ref_or(single, &format!("{pointer}/{keyword}/{index}"), context);
            return ValueType { shape: inner.shape, nullable: true };
        }
        if let Some(ty) = self.mappings.format(schema) {
            self.warn_unchecked(schema, pointer, ty);
            return ValueType { shape: Shape::Mapped(ty.clone()), nullable };
        }
        if enum_values(schema).is_some() {
            let id = self.inline_type(context, schema, pointer);
            return ValueType { shape: Shape::Named(id), nullable };
        }
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Shape::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Shape::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Shape::Binary,
                _ => Shape::String(StringRules {
                    min_length: string.min_length,
                    max_length: string.max_length,
                    pattern: string.pattern.clone(),
                }),
            },
            SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
                bits: match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerBits::I32,
                    _ => IntegerBits::I64,
                },
                rules: NumberRules {
                    minimum: integer.minimum.map(|m| m as f64),
                    exclusive_minimum: integer.exclusive_minimum,
                    maximum: integer.maximum.map(|m| m as f64),
                    exclusive_maximum: integer.exclusive_maximum,
                },
            },
            SchemaKind::Type(Type::Number(number)) => Shape::Number {
                bits: match number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => FloatBits::F32,
                    _ => FloatBits::F64,
                },
                rules: NumberRules {
                    // An infinite bound constrains nothing (and has no Rust literal).
                    minimum: number.minimum.filter(|bound| bound.is_finite()),
                    exclusive_minimum: number.exclusive_minimum,
                    maximum: number.maximum.filter(|bound| bound.is_finite()),
                    exclusive_maximum: number.exclusive_maximum,
                },
            },
            SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
            SchemaKind::Type(Type::Array(_)) if schema.schema_data.extensions.contains_key(TUPLE_ITEMS) => {
                return self.tuple(schema, pointer, context);
            }
            SchemaKind::Type(Type::Array(array)) => {
                let items = match &array.items {
                    Some(items) => {
                        let items_pointer = format!("{pointer}/items");
                        self.or_json(&items_pointer, |this| {
                            this.value_of_boxed(items, &items_pointer, &format!("{context} item"))
                        })
                    }
                    None => any(),
                };
                Shape::Array {
                    items: Box::new(items),
                    rules: ArrayRules { min_items: array.min_items, max_items: array.max_items },
                }
            }
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    self.map_shape(object.additional_properties.as_ref(), pointer, context)
                } else {
                    let id = self.inline_type(context, schema, pointer);
                    Shape::Named(id)
                }
            }
            SchemaKind::AllOf { all_of } => {
                let parts = AllOfParts::of(all_of, self.components);
                if let Some((index, single)) = parts.single() {
                    return self.all_of_single(all_of, index, single, pointer, context, nullable || parts.nullable);
                }
                Shape::Named(self.inline_type(context, schema, pointer))
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                Shape::Named(self.inline_type(context, schema, pointer))
            }
            SchemaKind::Not { .. } => return self.unsupported(pointer, "not"),
            SchemaKind::Any(any_schema) => return self.any_schema(any_schema, schema, pointer, context),
        };
        ValueType { shape, nullable }
    }

    /// A tuple: one value per position, from the item schemas `load` keeps under
    /// [`TUPLE_ITEMS`].
    fn tuple(&mut self, schema: &Schema, pointer: &str, context: &str) -> ValueType {
        let nullable = is_nullable(schema);
        let items_pointer = format!("{pointer}/{TUPLE_ITEMS}");
        let items = schema.schema_data.extensions.get(TUPLE_ITEMS).cloned().unwrap_or_default();
        let Ok(items) = serde_json::from_value::<Vec<ReferenceOr<Schema>>>(items) else {
            self.errors.push(SpecError::new(items_pointer, "the positions of this tuple are not schemas"));
            return ValueType { shape: Shape::Any, nullable };
        };
        let values = items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let item_pointer = format!("{items_pointer}/{index}");
                self.or_json(&item_pointer, |this| {
                    this.value_of_ref_or(item, &item_pointer, &format!("{context} item {}", index + 1))
                })
            })
            .collect();
        ValueType { shape: Shape::Tuple(values), nullable }
    }

    /// A schema that mixes keywords of several types, or has no type at all.
    fn any_schema(&mut self, any_schema: &AnySchema, schema: &Schema, pointer: &str, context: &str) -> ValueType {
        let nullable = is_nullable(schema);
        if !any_schema.one_of.is_empty() || !any_schema.any_of.is_empty() {
            return ValueType { shape: Shape::Named(self.inline_type(context, schema, pointer)), nullable };
        }
        if any_schema.not.is_some() {
            return self.unsupported(pointer, "not");
        }
        if !any_schema.all_of.is_empty() && any_schema.properties.is_empty() {
            let parts = AllOfParts::of(&any_schema.all_of, self.components);
            if let Some((index, single)) = parts.single() {
                let all_of = &any_schema.all_of;
                return self.all_of_single(all_of, index, single, pointer, context, nullable || parts.nullable);
            }
        }
        let shape = if !any_schema.all_of.is_empty() || !any_schema.properties.is_empty() {
            Shape::Named(self.inline_type(context, schema, pointer))
        } else if let Some(items) = &any_schema.items {
            let items_pointer = format!("{pointer}/items");
            let items = self
                .or_json(&items_pointer, |this| this.value_of_boxed(items, &items_pointer, &format!("{context} item")));
            Shape::Array {
                items: Box::new(items),
                rules: ArrayRules { min_items: any_schema.min_items, max_items: any_schema.max_items },
            }
        } else if any_schema.additional_properties.is_some() || any_schema.typ.as_deref() == Some("object") {
            self.map_shape(any_schema.additional_properties.as_ref(), pointer, context)
        } else {
            match any_schema.typ.as_deref() {
                Some("string") => Shape::String(StringRules::default()),
                Some("integer") => Shape::Integer { bits: IntegerBits::I64, rules: NumberRules::default() },
                Some("number") => Shape::Number { bits: FloatBits::F64, rules: NumberRules::default() },
                Some("boolean") => Shape::Boolean,
                _ => Shape::Any,
            }
        };
        ValueType { shape, nullable }
    }

    /// An object without declared properties: a map from string keys to values.
    fn map_shape(&mut self, additional: Option<&AdditionalProperties>, pointer: &str, context: &str) -> Shape {
        let values = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let values_pointer = format!("{pointer}/additionalProperties");
                self.or_json(&values_pointer, |this| {
                    this.value_of_ref_or(schema, &values_pointer, &format!("{context} value"))
                })
            }
            _ => any(),
        };
        Shape::Map { values: Box::new(values) }
    }

    /// Declares a type for a schema written inline, named after where it appears. An inline
    /// schema that contains itself (an inline `allOf` over its own parent) gets no second type:
    /// that would never end, and is reported instead.
    fn inline_type(&mut self, context: &str, schema: &Schema, pointer: &str) -> TypeId {
        if let Some(&(_, id)) = self.inline_stack.iter().find(|(p, _)| p == pointer) {
            self.error(
                pointer,
                "this inline schema contains itself through `allOf`; move it under components/schemas and refer to it with `$ref`",
            );
            return id;
        }
        let id = TypeId(self.types.len());
        self.types.push(None);
        let name = self.type_names.claim(naming::type_name(context));
        self.inline_stack.push((pointer.to_string(), id));
        let mark = self.mark();
        let def = self.named_type(name, schema, pointer);
        self.inline_stack.pop();
        // A schema that cannot be expressed leaves its id empty; uses of it become JSON.
        if !self.degrade_since(mark, pointer) {
            self.types[id.0] = Some(def);
        }
        id
    }

    /// Builds the type definition of a schema that [`needs_type`].
    fn named_type(&mut self, name: String, schema: &Schema, pointer: &str) -> TypeDef {
        let kind = match (enum_values(schema), union_members(schema)) {
            (Some(values), _) => TypeKind::Enum(build_enum(values)),
            (None, Some((keyword, members))) => TypeKind::Union(self.union(
                &name,
                keyword,
                members,
                schema.schema_data.discriminator.as_ref(),
                pointer,
                &[],
            )),
            (None, None) if distributed(schema, self.components).is_some() => {
                let (all_of, index) = distributed(schema, self.components).expect("checked");
                self.distributed_union(&name, all_of, index, pointer)
            }
            (None, None) => {
                let mut parts = ObjectParts::default();
                self.collect_object(schema, pointer, &mut parts);
                TypeKind::Struct(self.object(&name, pointer, parts))
            }
        };
        TypeDef {
            name,
            pointer: pointer.to_string(),
            doc: description(schema),
            deprecated: schema.schema_data.deprecated,
            in_request: false,
            in_response: false,
            builder_name: None,
            derives: Vec::new(),
            sensitive: is_sensitive(schema),
            kind,
        }
    }

    /// Resolves a reference without recording an error (the caller already lowered it).
    fn resolve_quietly(&mut self, reference: &str, pointer: &str) -> Option<&'a Schema> {
        let errors_before = self.errors.len();
        let resolved = self.resolve(reference, pointer).map(|(_, schema)| schema);
        self.errors.truncate(errors_before);
        resolved
    }

    fn unsupported(&mut self, pointer: &str, keyword: &str) -> ValueType {
        self.error(pointer, format!("`{keyword}` cannot be expressed as a Rust type"));
        any()
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }
}

/// Whether a component schema becomes a Rust type of its own rather than being inlined.
fn needs_type(schema: &Schema, components: &IndexMap<String, ReferenceOr<Schema>>) -> bool {
    if nullable_single(schema).is_some() {
        return false;
    }
    if enum_values(schema).is_some() || union_members(schema).is_some() {
        return true;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::AllOf { all_of } => AllOfParts::of(all_of, components).single().is_none(),
        SchemaKind::Any(any_schema) => {
            any_schema.one_of.is_empty()
                && any_schema.any_of.is_empty()
                && (!any_schema.properties.is_empty()
                    || (!any_schema.all_of.is_empty()
                        && AllOfParts::of(&any_schema.all_of, components).single().is_none()))
        }
        _ => false,
    }
}

/// The members of an `allOf` that is one `oneOf` / `anyOf` plus common properties, with the
/// index of the union member.
fn distributed<'s>(
    schema: &'s Schema,
    components: &IndexMap<String, ReferenceOr<Schema>>,
) -> Option<(&'s [ReferenceOr<Schema>], usize)> {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) if any.properties.is_empty() => &any.all_of,
        _ => return None,
    };
    match AllOfParts::of(all_of, components).plan {
        objects::AllOfPlan::Distribute(index) => Some((all_of.as_slice(), index)),
        _ => None,
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
        || matches!(&schema.schema_kind, SchemaKind::AllOf { all_of } if objects::annotates_nullable(all_of))
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

/// The documentation of a component schema typed as JSON.
const OPAQUE_NOTE: &str = "The generator cannot express this schema as a Rust type, so it is any JSON value; the crate documentation lists why.";

/// `pub type Name = serde_json::Value;` for a component schema that could not be expressed.
fn opaque_alias(name: String, schema: &Schema) -> Alias {
    let doc = match description(schema) {
        Some(doc) => format!("{doc}\n\n{OPAQUE_NOTE}"),
        None => OPAQUE_NOTE.to_string(),
    };
    Alias { name, doc: Some(doc), deprecated: schema.schema_data.deprecated, value: any() }
}

fn any() -> ValueType {
    ValueType { shape: Shape::Any, nullable: false }
}
