//! `allOf`: what each member contributes, and how the members combine: one member gives the
//! shape and the others annotate or constrain it, objects merge into one struct, or a `oneOf`
//! among objects becomes a union whose variants carry their common properties.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming;
use super::super::*;
use super::constraints::merge_constraints;
use super::{
    description, is_nullable, is_sensitive, plain_def, schema_name, ObjectParts, SchemaLowering, SCHEMA_PREFIX,
};
use crate::load::escape_pointer_token;

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
pub(super) fn member_kind_of_item(schema: &Schema) -> MemberKind {
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
            deprecated: first.schema_data.deprecated,
            sensitive: schemas.iter().any(|(schema, _)| is_sensitive(schema)),
            ..plain_def(name, pointer.clone(), description(first), kind)
        });
        id
    }
}
