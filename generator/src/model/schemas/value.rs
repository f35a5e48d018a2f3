//! One schema lowered to a [`ValueType`]: references, scalars with their rules, arrays, maps,
//! tuples, and the types declared for schemas written inline.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, IntegerType, NumberFormat, NumberType, ReferenceOr, Schema,
    SchemaKind, StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};

use super::super::naming;
use super::super::*;
use super::all_of::{AllOfParts, AllOfPlan};
use super::enums::{build_enum, enum_values};
use super::unions::{nullable_single, union_members};
use super::{
    any, description, is_nullable, is_sensitive, plain_def, schema_name, ObjectParts, SchemaLowering, Slot,
    SCHEMA_PREFIX,
};
use crate::error::SpecError;
use crate::load::{escape_pointer_token, TUPLE_ITEMS};

impl<'a> SchemaLowering<'a> {
    /// Lowers a schema found at `pointer`; `context` names inline types declared inside it.
    pub fn value_of_ref_or(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, context: &str) -> ValueType {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.value(schema, pointer, context),
        }
    }

    pub(in crate::model) fn value_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        context: &str,
    ) -> ValueType {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.value(schema, pointer, context),
        }
    }

    /// The schema a `$ref` points at, with its name; records an error when it dangles.
    pub(super) fn resolve(&mut self, reference: &str, pointer: &str) -> Option<(&'a str, &'a Schema)> {
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

    pub(super) fn reference(&mut self, reference: &str, pointer: &str) -> ValueType {
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
    pub(super) fn value(&mut self, schema: &Schema, pointer: &str, context: &str) -> ValueType {
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
            SchemaKind::Type(Type::String(string)) => string_shape(string),
            SchemaKind::Type(Type::Integer(integer)) => integer_shape(integer),
            SchemaKind::Type(Type::Number(number)) => number_shape(number),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
            SchemaKind::Type(Type::Array(_)) if schema.schema_data.extensions.contains_key(TUPLE_ITEMS) => {
                return self.tuple(schema, pointer, context);
            }
            SchemaKind::Type(Type::Array(array)) => {
                let rules = ArrayRules { min_items: array.min_items, max_items: array.max_items };
                self.array_shape(array.items.as_ref(), rules, pointer, context)
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
        } else if any_schema.items.is_some() {
            let rules = ArrayRules { min_items: any_schema.min_items, max_items: any_schema.max_items };
            self.array_shape(any_schema.items.as_ref(), rules, pointer, context)
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

    /// An array of `items` (any JSON when it says none).
    fn array_shape(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        rules: ArrayRules,
        pointer: &str,
        context: &str,
    ) -> Shape {
        let items = match items {
            Some(items) => {
                let items_pointer = format!("{pointer}/items");
                self.or_json(&items_pointer, |this| {
                    this.value_of_boxed(items, &items_pointer, &format!("{context} item"))
                })
            }
            None => any(),
        };
        Shape::Array { items: Box::new(items), rules }
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

    /// Builds the type definition of a schema that needs a type of its own (`needs_type`).
    pub(super) fn named_type(&mut self, name: String, schema: &Schema, pointer: &str) -> TypeDef {
        let kind = if let Some(values) = enum_values(schema) {
            TypeKind::Enum(build_enum(values))
        } else if let Some((keyword, members)) = union_members(schema) {
            let discriminator = schema.schema_data.discriminator.as_ref();
            TypeKind::Union(self.union(&name, keyword, members, discriminator, pointer, &[]))
        } else if let Some((all_of, index)) = distributed(schema, self.components) {
            self.distributed_union(&name, all_of, index, pointer)
        } else {
            let mut parts = ObjectParts::default();
            self.collect_object(schema, pointer, &mut parts);
            TypeKind::Struct(self.object(&name, pointer, parts))
        };
        TypeDef {
            deprecated: schema.schema_data.deprecated,
            sensitive: is_sensitive(schema),
            ..plain_def(name, pointer.to_string(), description(schema), kind)
        }
    }

    /// Resolves a reference without recording an error (the caller already lowered it).
    pub(super) fn resolve_quietly(&mut self, reference: &str, pointer: &str) -> Option<&'a Schema> {
        let errors_before = self.errors.len();
        let resolved = self.resolve(reference, pointer).map(|(_, schema)| schema);
        self.errors.truncate(errors_before);
        resolved
    }
}

fn string_shape(string: &StringType) -> Shape {
    match &string.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Shape::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Shape::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Shape::Binary,
        _ => Shape::String(StringRules {
            min_length: string.min_length,
            max_length: string.max_length,
            pattern: string.pattern.clone(),
        }),
    }
}

fn integer_shape(integer: &IntegerType) -> Shape {
    Shape::Integer {
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
    }
}

fn number_shape(number: &NumberType) -> Shape {
    Shape::Number {
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
        AllOfPlan::Distribute(index) => Some((all_of.as_slice(), index)),
        _ => None,
    }
}
