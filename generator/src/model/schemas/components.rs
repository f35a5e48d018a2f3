//! Component schemas: each is given its slot (a type of its own with an id, a transparent value,
//! or a mapped type) before anything is lowered, then lowered to its type or its alias.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::super::naming;
use super::super::*;
use super::all_of::AllOfParts;
use super::enums::enum_values;
use super::mapped::mapped_alias_doc;
use super::unions::{nullable_single, union_members};
use super::{any, description, is_nullable, SchemaLowering, Slot, SCHEMA_PREFIX};
use crate::load::escape_pointer_token;

/// The Rust names decided for the component schemas: of the types by id, of the aliases by
/// schema name.
type ComponentNames<'a> = (HashMap<TypeId, String>, HashMap<&'a str, String>);

impl<'a> SchemaLowering<'a> {
    /// Assigns ids and names to the component schemas that become types, then lowers them all.
    pub fn lower_components(&mut self) {
        let components = self.components;
        let (type_names, alias_names) = self.assign_slots();
        for (name, schema) in components {
            let pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
            match (self.slots[name.as_str()], schema) {
                (Slot::Named(id), ReferenceOr::Item(schema)) => {
                    self.lower_named_component(id, type_names[&id].clone(), schema, &pointer)
                }
                // Uses lower it again in place; the alias gives it a name.
                (Slot::Transparent, schema) => {
                    let alias = alias_names[name.as_str()].clone();
                    self.lower_transparent_component(alias, name, schema, &pointer)
                }
                (Slot::Mapped(ty), schema) => {
                    self.lower_mapped_component(alias_names[name.as_str()].clone(), ty, schema, &pointer)
                }
                (Slot::Named(_), ReferenceOr::Reference { .. }) => {}
            }
        }
    }

    /// Decides each component schema's slot, in the spec's order, with its Rust name.
    fn assign_slots(&mut self) -> ComponentNames<'a> {
        let components = self.components;
        let mut type_names = HashMap::new();
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
                    type_names.insert(id, self.type_names.claim(naming::type_name(name)));
                    Slot::Named(id)
                }
                _ => {
                    alias_names.insert(name.as_str(), self.type_names.claim(naming::type_name(name)));
                    mapped.map_or(Slot::Transparent, Slot::Mapped)
                }
            };
            self.slots.insert(name.as_str(), slot);
        }
        (type_names, alias_names)
    }

    /// A component that becomes a type of its own, declared under its id.
    fn lower_named_component(&mut self, id: TypeId, name: String, schema: &Schema, pointer: &str) {
        let mark = self.mark();
        let def = self.named_type(name.clone(), schema, pointer);
        if self.degrade_since(mark, pointer) {
            // The id stays empty: references to it become JSON too (see `lower`).
            self.aliases.push(opaque_alias(name, schema));
        } else {
            self.types[id.0] = Some(def);
        }
    }

    /// A transparent component: an alias of its lowered value.
    fn lower_transparent_component(&mut self, alias: String, name: &str, schema: &ReferenceOr<Schema>, pointer: &str) {
        let mark = self.mark();
        let value = self.value_of_ref_or(schema, pointer, name);
        let target = match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference, pointer),
        };
        let alias = if self.degrade_since(mark, pointer) {
            match target {
                Some(target) => opaque_alias(alias, target),
                None => Alias { name: alias, doc: Some(OPAQUE_NOTE.into()), deprecated: false, value: any() },
            }
        } else {
            Alias {
                name: alias,
                doc: target.and_then(description),
                deprecated: target.is_some_and(|schema| schema.schema_data.deprecated),
                value,
            }
        };
        self.aliases.push(alias);
    }

    /// A component the config maps to a type: an alias of that type.
    fn lower_mapped_component(&mut self, alias: String, ty: &Mapping, schema: &ReferenceOr<Schema>, pointer: &str) {
        let (doc, deprecated, nullable) = match schema {
            ReferenceOr::Item(schema) => {
                self.warn_unchecked(schema, pointer, ty);
                (description(schema), schema.schema_data.deprecated, is_nullable(schema))
            }
            ReferenceOr::Reference { .. } => (None, false, false),
        };
        self.aliases.push(Alias {
            name: alias,
            doc: Some(mapped_alias_doc(doc, ty)),
            deprecated,
            value: ValueType { shape: Shape::Mapped(ty.clone()), nullable },
        });
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
