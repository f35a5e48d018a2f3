//! Objects: properties gathered from `properties` and `allOf` members, fields and their
//! annotations, and the `allOf` members that only annotate another schema.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::{
    description, is_empty_schema, is_nullable, is_sensitive, schema_name, ObjectParts, SchemaLowering, SCHEMA_PREFIX,
};
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
            ReferenceOr::Reference { reference } => {
                let errors_before = self.errors.len();
                let resolved = self.resolve(reference, pointer).map(|(_, schema)| schema);
                // The dangling reference was already reported when the value was lowered.
                self.errors.truncate(errors_before);
                resolved
            }
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

/// What an `allOf` member contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MemberKind {
    /// Only annotations or constraints (`{readOnly: true}`, `{maxLength: 5}`, `{type: object}`).
    Annotation,
    /// An inline scalar type with its constraints (`{type: string, maxLength: 5}`).
    Scalar,
    /// Any other shape that is not an object: a reference to a string, an array, an enum.
    Shape,
    /// An object with properties, a map, or a composition of objects.
    Object,
    /// A `oneOf` / `anyOf`.
    Union,
}

/// How an `allOf` is read, decided from what its members contribute.
#[derive(Debug, Clone, Copy)]
pub(super) enum AllOfPlan<'s> {
    /// One member gives the shape; the others only annotate or constrain it (a string with a
    /// `maxLength`, a `$ref` with `readOnly: true`). The `allOf` is that member's type.
    Single(usize, &'s ReferenceOr<Schema>),
    /// Object members merged into one struct (also used when members conflict: gathering the
    /// properties then reports the member that is not an object).
    Composition,
    /// One `oneOf` / `anyOf` member next to object members that add common properties: a union
    /// whose every variant also carries those properties.
    Distribute(usize),
}

/// The members of an `allOf` and how they combine.
pub(super) struct AllOfParts<'s> {
    pub(super) plan: AllOfPlan<'s>,
    /// Whether a member that does not give the shape says `nullable: true`.
    pub(super) nullable: bool,
}

impl<'s> AllOfParts<'s> {
    pub(super) fn of(all_of: &'s [ReferenceOr<Schema>], components: &IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let kinds: Vec<MemberKind> = all_of.iter().map(|member| member_kind(member, components, 0)).collect();
        let count = |kind: MemberKind| kinds.iter().filter(|k| **k == kind).count();
        let first = |wanted: &[MemberKind]| kinds.iter().position(|k| wanted.contains(k)).map(|i| (i, &all_of[i]));
        let (objects, unions, shapes, scalars) =
            (count(MemberKind::Object), count(MemberKind::Union), count(MemberKind::Shape), count(MemberKind::Scalar));
        let plan = match (objects, unions) {
            (0, 0) => match first(&[MemberKind::Shape]).or_else(|| first(&[MemberKind::Scalar])) {
                Some((index, member)) => AllOfPlan::Single(index, member),
                None => AllOfPlan::Composition,
            },
            (1, 0) if shapes + scalars == 0 => {
                let (index, member) = first(&[MemberKind::Object]).expect("one object member");
                AllOfPlan::Single(index, member)
            }
            (0, 1) if shapes + scalars == 0 => {
                let (index, member) = first(&[MemberKind::Union]).expect("one union member");
                AllOfPlan::Single(index, member)
            }
            (_, 1) if shapes + scalars == 0 => {
                let (index, _) = first(&[MemberKind::Union]).expect("one union member");
                AllOfPlan::Distribute(index)
            }
            _ => AllOfPlan::Composition,
        };
        let shaping = match plan {
            AllOfPlan::Single(index, _) | AllOfPlan::Distribute(index) => Some(index),
            AllOfPlan::Composition => None,
        };
        let nullable = all_of.iter().enumerate().any(|(index, member)| {
            Some(index) != shaping
                && !matches!(kinds[index], MemberKind::Object)
                && matches!(member, ReferenceOr::Item(schema) if is_nullable(schema))
        });
        AllOfParts { plan, nullable }
    }

    /// The member that gives the whole `allOf` its type, when one does.
    pub(super) fn single(&self) -> Option<(usize, &'s ReferenceOr<Schema>)> {
        match self.plan {
            AllOfPlan::Single(index, member) => Some((index, member)),
            _ => None,
        }
    }
}

/// Classifies an `allOf` member, following references (a bounded number of hops, so that a
/// cycle of references cannot loop).
pub(super) fn member_kind(
    member: &ReferenceOr<Schema>,
    components: &IndexMap<String, ReferenceOr<Schema>>,
    depth: usize,
) -> MemberKind {
    match member {
        ReferenceOr::Item(schema) => schema_kind(schema, components, depth),
        ReferenceOr::Reference { reference } => {
            let target = schema_name(reference).and_then(|name| components.get(name.as_ref()));
            match target {
                Some(target) if depth < 16 => match member_kind(target, components, depth + 1) {
                    // A reference always gives a shape, even to a schema that only annotates.
                    MemberKind::Scalar | MemberKind::Annotation => MemberKind::Shape,
                    kind => kind,
                },
                _ => MemberKind::Shape,
            }
        }
    }
}

fn schema_kind(schema: &Schema, components: &IndexMap<String, ReferenceOr<Schema>>, depth: usize) -> MemberKind {
    if let Some((_, _, single)) = super::unions::nullable_single(schema) {
        return member_kind(single, components, depth + 1);
    }
    if super::unions::union_members(schema).is_some() {
        return MemberKind::Union;
    }
    if super::enums::enum_values(schema).is_some() {
        return MemberKind::Shape;
    }
    let nested = |all_of: &[ReferenceOr<Schema>]| {
        if depth >= 16 {
            return MemberKind::Object;
        }
        match AllOfParts::of_depth(all_of, components, depth + 1) {
            Some(kind) => kind,
            None => MemberKind::Object,
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            if object.properties.is_empty() && object.additional_properties.is_none() {
                MemberKind::Annotation
            } else {
                MemberKind::Object
            }
        }
        SchemaKind::Type(Type::String(_) | Type::Number(_) | Type::Integer(_) | Type::Boolean(_)) => MemberKind::Scalar,
        SchemaKind::Type(Type::Array(_)) | SchemaKind::Not { .. } => MemberKind::Shape,
        SchemaKind::AllOf { all_of } => nested(all_of),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => MemberKind::Union,
        SchemaKind::Any(any) => {
            if !any.properties.is_empty() || any.additional_properties.is_some() {
                MemberKind::Object
            } else if !any.all_of.is_empty() {
                nested(&any.all_of)
            } else if any.items.is_some() || any.not.is_some() {
                MemberKind::Shape
            } else {
                match any.typ.as_deref() {
                    Some("string" | "number" | "integer" | "boolean") => MemberKind::Scalar,
                    Some("array") => MemberKind::Shape,
                    _ => MemberKind::Annotation,
                }
            }
        }
    }
}

impl AllOfParts<'_> {
    /// The kind of a nested `allOf` as a member of another: the kind of its single shaping
    /// member, or `None` for an object composition.
    fn of_depth(
        all_of: &[ReferenceOr<Schema>],
        components: &IndexMap<String, ReferenceOr<Schema>>,
        depth: usize,
    ) -> Option<MemberKind> {
        let kinds: Vec<MemberKind> = all_of.iter().map(|member| member_kind(member, components, depth)).collect();
        let has = |kind: MemberKind| kinds.contains(&kind);
        if has(MemberKind::Object) {
            None
        } else if has(MemberKind::Union) {
            Some(MemberKind::Union)
        } else if has(MemberKind::Shape) || has(MemberKind::Scalar) {
            Some(MemberKind::Shape)
        } else {
            Some(MemberKind::Annotation)
        }
    }
}

/// The kind of an inline member, without following references (enough to tell annotations).
fn member_kind_of_item(schema: &Schema) -> MemberKind {
    schema_kind(schema, &IndexMap::new(), 0)
}

/// Whether an inline member that is not an object with properties says `nullable: true` (the
/// `allOf: [{$ref: …}, {nullable: true}]` idiom), without resolving references.
pub(super) fn annotates_nullable(all_of: &[ReferenceOr<Schema>]) -> bool {
    all_of.iter().any(|member| {
        matches!(member, ReferenceOr::Item(schema) if schema.schema_data.nullable && match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => object.properties.is_empty(),
            SchemaKind::Any(any) => any.properties.is_empty(),
            _ => true,
        })
    })
}

impl<'a> SchemaLowering<'a> {
    /// An `allOf` whose type comes from one member: that member's type, with the constraints of
    /// the other members merged in (`maxLength` on a referenced string, `minimum` on an integer).
    /// Members that give a different kind of value conflict, and are reported.
    pub(super) fn all_of_single(
        &mut self,
        all_of: &[ReferenceOr<Schema>],
        index: usize,
        single: &ReferenceOr<Schema>,
        pointer: &str,
        context: &str,
        nullable: bool,
    ) -> ValueType {
        let mut value = self.value_of_ref_or(single, &format!("{pointer}/allOf/{index}"), context);
        value.nullable |= nullable;
        for (other, member) in all_of.iter().enumerate() {
            if other == index {
                continue;
            }
            let member_pointer = format!("{pointer}/allOf/{other}");
            if let (Shape::Mapped(ty), ReferenceOr::Item(schema)) = (&value.shape, member) {
                // Constraints beside a mapped type: it cannot be checked against them.
                if matches!(member_kind(member, self.components, 0), MemberKind::Annotation | MemberKind::Scalar) {
                    let ty = ty.clone();
                    self.warn_unchecked(schema, &member_pointer, &ty);
                    continue;
                }
            }
            match (member, member_kind(member, self.components, 0)) {
                (ReferenceOr::Item(schema), MemberKind::Annotation | MemberKind::Scalar) => {
                    if !merge_constraints(&mut value.shape, schema) {
                        self.error(
                            member_pointer,
                            "this `allOf` member's type conflicts with the type of the member that gives the value its shape",
                        );
                    }
                }
                (_, MemberKind::Annotation) => {}
                _ => {
                    let other_value = self.value_of_ref_or(member, &member_pointer, context);
                    // A named type next to a string (`allOf: [{$ref: a string}, {enum: [...]}]`)
                    // narrows the string: the value takes the named type. An untyped member
                    // allows anything and keeps the shaping member's type.
                    if matches!((&value.shape, &other_value.shape), (Shape::String(_) | Shape::Any, Shape::Named(_))) {
                        value.shape = other_value.shape;
                        continue;
                    }
                    let narrows = matches!(
                        (&other_value.shape, &value.shape),
                        (Shape::String(_) | Shape::Any, Shape::Named(_)) | (Shape::Any, _)
                    );
                    if !narrows
                        && (std::mem::discriminant(&other_value.shape) != std::mem::discriminant(&value.shape)
                            || matches!((&other_value.shape, &value.shape), (Shape::Named(a), Shape::Named(b)) if a != b))
                    {
                        self.error(
                            member_pointer,
                            "this `allOf` member gives a different type than another member; a value cannot be both",
                        );
                    }
                }
            }
        }
        value
    }
}

/// Merges the constraints of an annotating `allOf` member into a shape, keeping the stricter
/// bound. Returns false when the member's type contradicts the shape.
fn merge_constraints(shape: &mut Shape, member: &Schema) -> bool {
    use openapiv3::{IntegerType, NumberType, StringType};
    let (string, number, items): (Option<StringRules>, Option<NumberRules>, Option<ArrayRules>) = match &member
        .schema_kind
    {
        SchemaKind::Type(Type::String(StringType { min_length, max_length, pattern, .. })) => {
            if !matches!(
                shape,
                Shape::String(_) | Shape::Date | Shape::DateTime | Shape::Binary | Shape::Named(_) | Shape::Any
            ) {
                return false;
            }
            let rules = StringRules { min_length: *min_length, max_length: *max_length, pattern: pattern.clone() };
            (Some(rules), None, None)
        }
        SchemaKind::Type(Type::Integer(IntegerType {
            minimum, maximum, exclusive_minimum, exclusive_maximum, ..
        })) => {
            if !matches!(shape, Shape::Integer { .. } | Shape::Number { .. } | Shape::Named(_) | Shape::Any) {
                return false;
            }
            let rules = NumberRules {
                minimum: minimum.map(|m| m as f64),
                exclusive_minimum: *exclusive_minimum,
                maximum: maximum.map(|m| m as f64),
                exclusive_maximum: *exclusive_maximum,
            };
            (None, Some(rules), None)
        }
        SchemaKind::Type(Type::Number(NumberType {
            minimum, maximum, exclusive_minimum, exclusive_maximum, ..
        })) => {
            if !matches!(shape, Shape::Integer { .. } | Shape::Number { .. } | Shape::Named(_) | Shape::Any) {
                return false;
            }
            let rules = NumberRules {
                minimum: minimum.filter(|m| m.is_finite()),
                exclusive_minimum: *exclusive_minimum,
                maximum: maximum.filter(|m| m.is_finite()),
                exclusive_maximum: *exclusive_maximum,
            };
            (None, Some(rules), None)
        }
        SchemaKind::Type(Type::Boolean(_)) => {
            return matches!(shape, Shape::Boolean | Shape::Named(_) | Shape::Any);
        }
        SchemaKind::Any(any) => (
            Some(StringRules { min_length: any.min_length, max_length: any.max_length, pattern: any.pattern.clone() }),
            Some(NumberRules {
                minimum: any.minimum.filter(|m| m.is_finite()),
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                maximum: any.maximum.filter(|m| m.is_finite()),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            }),
            Some(ArrayRules { min_items: any.min_items, max_items: any.max_items }),
        ),
        // `{type: object}` next to a reference, and anything else that only annotates.
        _ => return true,
    };
    match shape {
        Shape::String(rules) => {
            if let Some(extra) = string {
                rules.min_length = stricter(rules.min_length, extra.min_length, usize::max);
                rules.max_length = stricter(rules.max_length, extra.max_length, usize::min);
                rules.pattern = rules.pattern.take().or(extra.pattern);
            }
        }
        Shape::Integer { rules, .. } | Shape::Number { rules, .. } => {
            if let Some(extra) = number {
                if let Some(minimum) = extra.minimum {
                    if rules.minimum.is_none_or(|current| minimum > current) {
                        rules.minimum = Some(minimum);
                        rules.exclusive_minimum = extra.exclusive_minimum;
                    }
                }
                if let Some(maximum) = extra.maximum {
                    if rules.maximum.is_none_or(|current| maximum < current) {
                        rules.maximum = Some(maximum);
                        rules.exclusive_maximum = extra.exclusive_maximum;
                    }
                }
            }
        }
        Shape::Array { rules, .. } => {
            if let Some(extra) = items {
                rules.min_items = stricter(rules.min_items, extra.min_items, usize::max);
                rules.max_items = stricter(rules.max_items, extra.max_items, usize::min);
            }
        }
        _ => {}
    }
    true
}

fn stricter(current: Option<usize>, extra: Option<usize>, pick: fn(usize, usize) -> usize) -> Option<usize> {
    match (current, extra) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

impl<'a> SchemaLowering<'a> {
    /// An `allOf` of one `oneOf` / `anyOf` and objects that add common properties, read as the
    /// union of its variants each merged with those objects (`allOf` distributes over `oneOf`).
    /// The discriminator of the union still selects the variant.
    pub(super) fn distributed_union(
        &mut self,
        type_name: &str,
        all_of: &[ReferenceOr<Schema>],
        index: usize,
        pointer: &str,
    ) -> TypeKind {
        let member_pointer = format!("{pointer}/allOf/{index}");
        let (union_schema, union_pointer): (&Schema, String) = match &all_of[index] {
            ReferenceOr::Item(schema) => (schema, member_pointer),
            ReferenceOr::Reference { reference } => match self.resolve(reference, &member_pointer) {
                Some((name, schema)) => (schema, format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name))),
                None => return TypeKind::Struct(Struct { fields: Vec::new(), extra: Extra::Ignored }),
            },
        };
        let Some((keyword, members)) = super::unions::union_members(union_schema) else {
            self.error(
                union_pointer,
                "a `oneOf` nested in `allOf` members is not supported yet; refer to the `oneOf` schema directly",
            );
            return TypeKind::Struct(Struct { fields: Vec::new(), extra: Extra::Ignored });
        };
        let mut extras: Vec<(&Schema, String)> = Vec::new();
        for (other, member) in all_of.iter().enumerate() {
            if other == index {
                continue;
            }
            let other_pointer = format!("{pointer}/allOf/{other}");
            match member {
                ReferenceOr::Item(schema) => extras.push((schema, other_pointer)),
                ReferenceOr::Reference { reference } => {
                    if let Some((name, schema)) = self.resolve(reference, &other_pointer) {
                        extras.push((schema, format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name))));
                    }
                }
            }
        }
        let discriminator = union_schema.schema_data.discriminator.as_ref();
        TypeKind::Union(self.union(type_name, keyword, members, discriminator, &union_pointer, &extras))
    }

    /// Declares a struct holding the properties of several object schemas (a union variant
    /// merged with the common properties of the `allOf` around the union).
    pub(super) fn merged_object(&mut self, context: &str, schemas: &[(&Schema, String)]) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(None);
        let name = self.type_names.claim(naming::type_name(context));
        let mut parts = ObjectParts::default();
        for (schema, pointer) in schemas {
            self.collect_object(schema, pointer, &mut parts);
        }
        let (first, pointer) = &schemas[0];
        let kind = TypeKind::Struct(self.object(&name, pointer, parts));
        self.types[id.0] = Some(TypeDef {
            name,
            pointer: pointer.clone(),
            doc: description(first),
            deprecated: first.schema_data.deprecated,
            in_request: false,
            in_response: false,
            builder_name: None,
            derives: Vec::new(),
            sensitive: schemas.iter().any(|(schema, _)| is_sensitive(schema)),
            kind,
        });
        id
    }
}
