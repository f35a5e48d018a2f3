//! `oneOf` / `anyOf` and an operation's successes by status: unions of several types, and how
//! decoding tells their members apart.

use std::borrow::Cow;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming::{self, Namespace};
use super::super::*;
use super::{schema_name, SchemaLowering, SCHEMA_PREFIX};
use crate::load::escape_pointer_token;

impl<'a> SchemaLowering<'a> {
    /// Declares the enum of an operation's successful responses when they differ by status;
    /// each variant holds one status's body, and the client picks it by the status.
    pub fn add_status_union(
        &mut self,
        context: &str,
        doc: String,
        cases: &[(&openapiv3::StatusCode, ValueType)],
        pointer: String,
    ) -> TypeId {
        let mut names = Namespace::new();
        let variants = cases
            .iter()
            .map(|(status, value)| {
                let label = self.shape_label(&value.shape).unwrap_or_else(|| format!("status {status}"));
                let tags = match status {
                    openapiv3::StatusCode::Code(code) => vec![code.to_string()],
                    openapiv3::StatusCode::Range(_) => Vec::new(),
                };
                UnionVariant {
                    rust_name: names.claim(naming::variant_name(&label)),
                    value: value.clone(),
                    boxed: false,
                    tags,
                    key: None,
                }
            })
            .collect();
        let union = Union { variants, selection: Selection::Status, catch_all: names.claim("Unknown".to_string()) };
        self.declare(context, doc, pointer, TypeKind::Union(union))
    }

    /// Lowers the members of a `oneOf` / `anyOf` into union variants and decides how decoding
    /// tells them apart.
    pub(super) fn union(
        &mut self,
        type_name: &str,
        keyword: &str,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        pointer: &str,
        extras: &[(&Schema, String)],
    ) -> Union {
        let mut names = Namespace::new();
        let mut variants = Vec::with_capacity(members.len());
        let mut member_keys = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            if is_null_member(member) {
                // Makes the union nullable where it is used (see `is_nullable`).
                continue;
            }
            let member_pointer = format!("{pointer}/{keyword}/{index}");
            let lowered = match member {
                ReferenceOr::Reference { reference } => {
                    self.referenced_member(type_name, reference, &member_pointer, discriminator, extras)
                }
                ReferenceOr::Item(schema) => self.inline_member(type_name, schema, index, member_pointer, extras),
            };
            let label = lowered.label.unwrap_or_else(|| {
                self.shape_label(&lowered.value.shape).unwrap_or_else(|| format!("variant {}", index + 1))
            });
            member_keys.push(lowered.schema.and_then(|schema| self.object_keys(schema)));
            variants.push(UnionVariant {
                rust_name: names.claim(naming::variant_name(&label)),
                value: lowered.value,
                boxed: false,
                tags: lowered.tags,
                key: None,
            });
        }
        let selection = selection(discriminator, &mut variants, &member_keys);
        Union { variants, selection, catch_all: names.claim("Unknown".to_string()) }
    }

    /// A member given by a `$ref`: labelled and (without a discriminator mapping) tagged by the
    /// component schema it names.
    fn referenced_member(
        &mut self,
        type_name: &str,
        reference: &str,
        pointer: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        extras: &[(&Schema, String)],
    ) -> Member<'a> {
        let value = self.or_json(pointer, |this| this.reference(reference, pointer));
        let resolved = self.resolve_quietly(reference, pointer);
        let name = schema_name(reference).map(Cow::into_owned);
        let mut tags: Vec<String> = discriminator
            .map(|d| d.mapping.iter().filter(|(_, target)| *target == reference).map(|(tag, _)| tag.clone()).collect())
            .unwrap_or_default();
        if tags.is_empty() {
            tags.extend(name.clone());
        }
        let value = match (resolved, &name) {
            (Some(target), Some(name)) if !extras.is_empty() => {
                let target_pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
                self.merged_variant(type_name, name, (target, target_pointer), extras)
            }
            _ => value,
        };
        Member { label: name, value, schema: resolved, tags }
    }

    /// A member written inline: labelled by its title.
    fn inline_member<'s>(
        &mut self,
        type_name: &str,
        schema: &'s Schema,
        index: usize,
        pointer: String,
        extras: &[(&Schema, String)],
    ) -> Member<'s> {
        let title = schema.schema_data.title.clone();
        let label = title.clone().unwrap_or_else(|| format!("variant {}", index + 1));
        let value = if extras.is_empty() {
            self.or_json(&pointer, |this| this.value(schema, &pointer, &format!("{type_name} {label}")))
        } else {
            self.merged_variant(type_name, &label, (schema, pointer.clone()), extras)
        };
        Member { label: title, value, schema: Some(schema), tags: Vec::new() }
    }

    /// A union variant merged with the common properties around its union.
    fn merged_variant(
        &mut self,
        type_name: &str,
        label: &str,
        variant: (&Schema, String),
        extras: &[(&Schema, String)],
    ) -> ValueType {
        let mut schemas = vec![variant];
        schemas.extend(extras.iter().map(|(schema, pointer)| (*schema, pointer.clone())));
        let id = self.merged_object(&format!("{type_name} {label}"), &schemas);
        ValueType { shape: Shape::Named(id), nullable: false }
    }

    /// A variant name for a value without a schema name or title.
    pub(super) fn shape_label(&self, shape: &Shape) -> Option<String> {
        Some(match shape {
            Shape::String(_) => "String".into(),
            Shape::Date => "Date".into(),
            Shape::DateTime => "DateTime".into(),
            Shape::Binary => "Bytes".into(),
            Shape::Integer { .. } => "Integer".into(),
            Shape::Number { .. } => "Number".into(),
            Shape::Boolean => "Boolean".into(),
            Shape::Array { .. } => "List".into(),
            Shape::Map { .. } => "Map".into(),
            Shape::Tuple(_) => "Tuple".into(),
            Shape::Named(id) => self.types.get(id.0)?.as_ref()?.name.clone(),
            Shape::Mapped(ty) => ty.label(),
            Shape::Any => return None,
        })
    }

    /// The required and declared property names of an object schema (not looking into `allOf`).
    pub(super) fn object_keys(&mut self, schema: &Schema) -> Option<(Vec<String>, Vec<String>)> {
        let (required, properties) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (&object.required, &object.properties),
            SchemaKind::Any(any) if any.all_of.is_empty() && !any.properties.is_empty() => {
                (&any.required, &any.properties)
            }
            _ => return None,
        };
        Some((required.clone(), properties.keys().cloned().collect()))
    }
}

/// One member of a union, lowered: its label (a schema name or title), its value, the schema
/// it resolves to, and the discriminator values that select it.
struct Member<'s> {
    label: Option<String>,
    value: ValueType,
    schema: Option<&'s Schema>,
    tags: Vec<String>,
}

/// How decoding picks a variant: by the discriminator when it tags some variant, else by a
/// property only one variant requires (set as each variant's key), else the first that decodes.
fn selection(
    discriminator: Option<&openapiv3::Discriminator>,
    variants: &mut [UnionVariant],
    member_keys: &[Option<(Vec<String>, Vec<String>)>],
) -> Selection {
    // A discriminator that tags no variant (no mapping, and no variant a `$ref` could name)
    // cannot choose; the variants are then told apart as if there were none.
    if let Some(discriminator) = discriminator.filter(|_| variants.iter().any(|variant| !variant.tags.is_empty())) {
        return Selection::Discriminator(discriminator.property_name.clone());
    }
    match distinguishing_keys(member_keys) {
        Some(keys) => {
            for (variant, key) in variants.iter_mut().zip(keys) {
                variant.key = Some(key);
            }
            Selection::Keys
        }
        None => Selection::FirstMatch,
    }
}

/// Whether a union member only says that the value may be `null` (`anyOf: [{$ref: …},
/// {nullable: true}]`, the OpenAPI 3.0 spelling of an optional reference).
pub(super) fn is_null_member(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema) if schema.schema_data.nullable
        && matches!(&schema.schema_kind, SchemaKind::Any(any) if any.typ.is_none()
            && any.properties.is_empty() && any.items.is_none() && any.enumeration.is_empty()
            && any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty()
            && any.additional_properties.is_none()))
}

/// The one member of a union whose other members only allow `null`, with its keyword and index:
/// such a union is that member's type, nullable.
pub(super) fn nullable_single(schema: &Schema) -> Option<(&'static str, usize, &ReferenceOr<Schema>)> {
    let (keyword, members) = union_members(schema)?;
    let mut rest = members.iter().enumerate().filter(|(_, member)| !is_null_member(member));
    match (rest.next(), rest.next()) {
        (Some((index, member)), None) if members.len() > 1 => Some((keyword, index, member)),
        _ => None,
    }
}

/// The members of a `oneOf` or `anyOf`, with the keyword.
pub(super) fn union_members(schema: &Schema) -> Option<(&'static str, &[ReferenceOr<Schema>])> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Some(("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } => Some(("anyOf", any_of)),
        SchemaKind::Any(any) if !any.one_of.is_empty() => Some(("oneOf", &any.one_of)),
        SchemaKind::Any(any) if !any.any_of.is_empty() => Some(("anyOf", &any.any_of)),
        _ => None,
    }
}

/// For each member, a property it requires that no other member declares, if every member has
/// one: then the presence of that property identifies the member.
pub(super) fn distinguishing_keys(members: &[Option<(Vec<String>, Vec<String>)>]) -> Option<Vec<String>> {
    let mut keys = Vec::with_capacity(members.len());
    for (index, member) in members.iter().enumerate() {
        let (required, _) = member.as_ref()?;
        let key = required.iter().find(|key| {
            members.iter().enumerate().all(|(other, keys)| {
                other == index || keys.as_ref().is_some_and(|(_, properties)| !properties.contains(key))
            })
        })?;
        keys.push(key.clone());
    }
    (keys.len() > 1).then_some(keys)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{lower_with, spec_answering};
    use crate::model::{TypeKind, Union};

    const SCHEMAS: &str = r#"
    Holder:
      type: object
      properties:
        inner: {type: object, properties: {n: {type: integer}}}
    card/v2:
      type: object
      properties: {kind: {type: string}}
    Either:
      oneOf:
        - $ref: '#/components/schemas/card~1v2'
        - $ref: '#/components/schemas/Holder/properties/inner'
      discriminator: {propertyName: kind}
"#;

    #[test]
    fn a_member_is_tagged_by_the_component_schema_its_reference_names() {
        let (api, _) = lower_with(&spec_answering("Either", SCHEMAS), "");
        let def = api.types.iter().find(|def| def.name == "Either").expect("the union");
        let TypeKind::Union(Union { variants, .. }) = &def.kind else { panic!("a union") };
        let tags: Vec<&[String]> = variants.iter().map(|variant| variant.tags.as_slice()).collect();
        // A reference into a component's property names no schema, so it gives no tag.
        assert_eq!(tags, [&["card/v2".to_string()][..], &[][..]]);
    }
}
