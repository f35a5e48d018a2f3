//! Objects: properties gathered from `properties` and `allOf` members, and fields with their
//! annotations (see `all_of.rs` for how the members of an `allOf` combine).

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::all_of::{member_kind_of_item, MemberKind};
use super::{description, is_empty_schema, is_sensitive, schema_name, ObjectParts, SchemaLowering, SCHEMA_PREFIX};
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

    /// The struct of an object schema at `object_pointer`, from its gathered parts.
    pub(super) fn object(&mut self, type_name: &str, object_pointer: &str, parts: ObjectParts<'_>) -> Struct {
        let mut field_names = Namespace::with_taken(naming::BUILDER_METHODS.iter().copied());
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, (pointer, property)) in &parts.properties {
            let rust_name = field_names.claim(naming::snake_name(wire_name));
            let context = format!("{type_name} {wire_name}");
            let value = match self.mapped_property(object_pointer, pointer, wire_name, property) {
                Some(mapped) => mapped,
                None => self.or_json(pointer, |this| this.value_of_boxed(property, pointer, &context)),
            };
            let notes = self.field_annotations(property, pointer);
            // A read-only property is absent from requests and a write-only one from responses,
            // so neither can be required of a type that serves both.
            let required = parts.required.contains(wire_name) && notes.access == Access::ReadWrite;
            // Absent and `null` differ for an optional nullable property. JSON of any shape holds
            // `null` itself, so an optional one stays an `Option` that keeps a `null` it is sent.
            let tri_state = !required && value.nullable && !matches!(value.shape, Shape::Any);
            let sensitive =
                notes.secret || notes.holds_sensitive || self.mappings.sensitive(object_pointer, pointer, wire_name);
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                doc: notes.doc,
                deprecated: notes.deprecated,
                required,
                access: notes.access,
                sensitive,
                secret: notes.secret,
                tri_state,
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
            // A dangling reference was already reported when the value was lowered.
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference, pointer),
        };
        let Some(schema) = schema else {
            return FieldNotes {
                doc: None,
                deprecated: false,
                secret: false,
                holds_sensitive: false,
                access: Access::ReadWrite,
            };
        };
        // An `allOf` wrapper often carries its annotations in a member: `[{$ref}, {readOnly: true}]`.
        let all_of: &[ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) if any.properties.is_empty() => &any.all_of,
            _ => &[],
        };
        let members: Vec<&Schema> = std::iter::once(schema)
            .chain(
                all_of
                    .iter()
                    .filter_map(|member| member.as_item())
                    .filter(|member| !matches!(member_kind_of_item(member), MemberKind::Object | MemberKind::Union)),
            )
            .collect();
        let data = &schema.schema_data;
        let mut doc = members.iter().find_map(|member| description(member));
        if let Some(default) = members.iter().find_map(|member| member.schema_data.default.as_ref()) {
            let note = format!("Defaults to `{default}` when not set.");
            doc = Some(doc.map_or(note.clone(), |doc| format!("{doc}\n\n{note}")));
        }
        let read_only = members.iter().any(|member| member.schema_data.read_only);
        let write_only = members.iter().any(|member| member.schema_data.write_only);
        let access = match (read_only, write_only) {
            (true, false) => Access::ReadOnly,
            (false, true) => Access::WriteOnly,
            _ => Access::ReadWrite,
        };
        let deprecated = data.deprecated || members.iter().any(|member| member.schema_data.deprecated);
        let secret = members.iter().any(|member| is_sensitive(member));
        let holds_sensitive = holds_sensitive(schema, self.components, 0);
        FieldNotes { doc, deprecated, secret, holds_sensitive, access }
    }
}

/// The annotations of a property that shape its field.
pub(super) struct FieldNotes {
    doc: Option<String>,
    deprecated: bool,
    /// `format: password` or `x-sensitive` on the property or the schema it references.
    secret: bool,
    /// The same on what it holds: the items of an array, the values of a map, the schemas an
    /// `allOf` refers to, at any depth.
    holds_sensitive: bool,
    access: Access,
}

/// Whether something a schema holds or refers to (array items, map values, `allOf` members, at
/// any depth up to a limit) is marked sensitive.
fn holds_sensitive(schema: &Schema, components: &IndexMap<String, ReferenceOr<Schema>>, depth: usize) -> bool {
    fn marked(
        reference_or: Option<&Schema>,
        reference: Option<&str>,
        components: &IndexMap<String, ReferenceOr<Schema>>,
        depth: usize,
    ) -> bool {
        if depth > 16 {
            return false;
        }
        if let Some(schema) = reference_or {
            return is_sensitive(schema) || holds_sensitive(schema, components, depth + 1);
        }
        let target = reference.and_then(schema_name).and_then(|name| components.get(name.as_ref()));
        match target {
            Some(ReferenceOr::Item(schema)) => is_sensitive(schema) || holds_sensitive(schema, components, depth + 1),
            Some(ReferenceOr::Reference { reference }) => marked(None, Some(reference), components, depth + 1),
            None => false,
        }
    }
    let boxed = |item: &ReferenceOr<Box<Schema>>| match item {
        ReferenceOr::Item(schema) => marked(Some(schema), None, components, depth),
        ReferenceOr::Reference { reference } => marked(None, Some(reference), components, depth),
    };
    let plain = |item: &ReferenceOr<Schema>| match item {
        ReferenceOr::Item(schema) => marked(Some(schema), None, components, depth),
        ReferenceOr::Reference { reference } => marked(None, Some(reference), components, depth),
    };
    let additional = |additional: Option<&AdditionalProperties>| match additional {
        Some(AdditionalProperties::Schema(schema)) => plain(schema),
        _ => false,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref().is_some_and(boxed),
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
            additional(object.additional_properties.as_ref())
        }
        SchemaKind::AllOf { all_of } => all_of.iter().any(plain),
        SchemaKind::Any(any) => {
            any.items.as_ref().is_some_and(boxed)
                || (any.properties.is_empty() && additional(any.additional_properties.as_ref()))
                || any.all_of.iter().any(plain)
        }
        _ => false,
    }
}
