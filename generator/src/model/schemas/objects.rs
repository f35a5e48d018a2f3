//! Objects: properties gathered from `properties` and `allOf` members, fields and their
//! annotations, and the `allOf` members that only annotate another schema.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::{description, is_empty_schema, is_nullable, is_sensitive, ObjectParts, SchemaLowering, SCHEMA_PREFIX};
use crate::load::escape_pointer_token;

impl<'a> SchemaLowering<'a> {
    /// Gathers properties, required names and `additionalProperties` from an object schema,
    /// following `allOf` members (and the references among them) in order.
    pub(super) fn collect_object<'s>(&mut self, schema: &'s Schema, pointer: &str, parts: &mut ObjectParts<'s>)
    where
        'a: 's,
    {
        let (properties, required, additional, all_of): (_, &[String], _, &[ReferenceOr<Schema>]) = match &schema
            .schema_kind
        {
            SchemaKind::Type(Type::Object(object)) => {
                (Some(&object.properties), &object.required, object.additional_properties.as_ref(), &[])
            }
            SchemaKind::AllOf { all_of } => (None, &[], None, all_of),
            SchemaKind::Any(any_schema) => (
                Some(&any_schema.properties),
                &any_schema.required,
                any_schema.additional_properties.as_ref(),
                &any_schema.all_of,
            ),
            SchemaKind::OneOf { .. } => {
                self.unsupported(pointer, "oneOf");
                return;
            }
            SchemaKind::AnyOf { .. } => {
                self.unsupported(pointer, "anyOf");
                return;
            }
            SchemaKind::Not { .. } => {
                self.unsupported(pointer, "not");
                return;
            }
            SchemaKind::Type(_) => {
                self.error(pointer, "an `allOf` member must be an object schema; move scalar constraints onto the property that uses them");
                return;
            }
        };
        for (index, member) in all_of.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{index}");
            match member {
                ReferenceOr::Item(member) => self.collect_object(member, &member_pointer, parts),
                ReferenceOr::Reference { reference } => {
                    if let Some((name, target)) = self.resolve(reference, &member_pointer) {
                        if self.resolving.iter().any(|n| n == name) {
                            self.error(format!("{member_pointer}/$ref"), "this `allOf` includes itself");
                            continue;
                        }
                        self.resolving.push(name.to_string());
                        let target_pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
                        self.collect_object(target, &target_pointer, parts);
                        self.resolving.pop();
                    }
                }
            }
        }
        for (wire_name, property) in properties.into_iter().flatten() {
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer_token(wire_name));
            // The first declaration of a property wins; `allOf` members usually repeat it unchanged.
            parts.properties.entry(wire_name.clone()).or_insert((property_pointer, property));
        }
        for name in required {
            if !parts.required.contains(name) {
                parts.required.push(name.clone());
            }
        }
        if let Some(additional) = additional {
            parts.additional = Some((format!("{pointer}/additionalProperties"), additional));
        }
    }

    pub(super) fn object(&mut self, type_name: &str, parts: ObjectParts<'_>) -> Struct {
        let mut field_names = Namespace::new();
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, (pointer, property)) in &parts.properties {
            let rust_name = field_names.claim(naming::snake_name(wire_name));
            let context = format!("{type_name} {wire_name}");
            let value = self.or_json(pointer, |this| this.value_of_boxed(property, pointer, &context));
            let notes = self.field_annotations(property, pointer);
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                doc: notes.doc,
                deprecated: notes.deprecated,
                // A read-only property is absent from requests and a write-only one from
                // responses, so neither can be required of a type that serves both.
                required: parts.required.contains(wire_name) && notes.access == Access::ReadWrite,
                access: notes.access,
                sensitive: notes.sensitive,
                boxed: false,
                value,
            });
        }
        let extra = match parts.additional {
            None | Some((_, AdditionalProperties::Any(false))) => Extra::Ignored,
            Some((_, AdditionalProperties::Any(true))) => Extra::Kept { field: field_names.claim("extra".into()) },
            Some((_, AdditionalProperties::Schema(schema))) if is_empty_schema(schema) => {
                Extra::Kept { field: field_names.claim("extra".into()) }
            }
            Some((pointer, AdditionalProperties::Schema(schema))) => {
                let value = self
                    .or_json(&pointer, |this| this.value_of_ref_or(schema, &pointer, &format!("{type_name} extra")));
                Extra::Typed { field: field_names.claim("extra".into()), value: Box::new(value) }
            }
        };
        Struct { fields, extra }
    }

    /// Documentation, deprecation, access and sensitivity of a property, looking through a
    /// `$ref` (a bare `$ref` cannot carry annotations of its own).
    pub(super) fn field_annotations(&mut self, property: &ReferenceOr<Box<Schema>>, pointer: &str) -> FieldNotes {
        let schema: Option<&Schema> = match property {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => {
                let errors_before = self.errors.len();
                let resolved = self.resolve(reference, pointer).map(|(_, schema)| schema);
                // The dangling reference was already reported when the value was lowered.
                self.errors.truncate(errors_before);
                resolved
            }
        };
        let Some(schema) = schema else {
            return FieldNotes { doc: None, deprecated: false, sensitive: false, access: Access::ReadWrite };
        };
        let data = &schema.schema_data;
        let mut doc = description(schema);
        if let Some(default) = &data.default {
            let note = format!("Defaults to `{default}` when not set.");
            doc = Some(doc.map_or(note.clone(), |doc| format!("{doc}\n\n{note}")));
        }
        let access = match (data.read_only, data.write_only) {
            (true, false) => Access::ReadOnly,
            (false, true) => Access::WriteOnly,
            _ => Access::ReadWrite,
        };
        FieldNotes { doc, deprecated: data.deprecated, sensitive: is_sensitive(schema), access }
    }
}

/// The annotations of a property that shape its field.
pub(super) struct FieldNotes {
    doc: Option<String>,
    deprecated: bool,
    sensitive: bool,
    access: Access,
}

/// The members of an `allOf` that give it a shape, as opposed to ones that only annotate it
/// (`{description: …}`, `{type: object, nullable: true}`, `{type: string}` next to a `$ref`).
pub(super) struct AllOfParts<'s> {
    /// The one member that gives the shape, with its index, when there is exactly one: the
    /// `allOf` is then that member's type, not a composition.
    pub(super) single: Option<(usize, &'s ReferenceOr<Schema>)>,
    /// Whether an annotating member says `nullable: true`.
    pub(super) nullable: bool,
}

impl<'s> AllOfParts<'s> {
    pub(super) fn of(all_of: &'s [ReferenceOr<Schema>]) -> Self {
        let mut shaping = all_of.iter().enumerate().filter(|(_, member)| !is_annotation(member));
        let single = match (shaping.next(), shaping.next()) {
            (Some(first), None) => Some(first),
            _ => None,
        };
        let nullable = all_of
            .iter()
            .any(|member| matches!(member, ReferenceOr::Item(schema) if is_annotation(member) && is_nullable(schema)));
        AllOfParts { single, nullable }
    }
}

/// Whether an inline `allOf` member only annotates: no properties, items, enum values or
/// compositions of its own.
pub(super) fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else { return false };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => string.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(_) | Type::Integer(_) | Type::Boolean(_)) => true,
        SchemaKind::Type(Type::Array(_)) => false,
        SchemaKind::Any(any) => {
            any.properties.is_empty()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}
