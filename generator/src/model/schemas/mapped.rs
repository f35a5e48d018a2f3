//! Values typed by the config (`codegen.toml`) rather than by their schema: by `format`, by
//! component schema, or by property. A mapped value is [`Shape::Mapped`]; the constraints its
//! schema gives cannot be checked on a type the generator knows nothing about, so they are
//! dropped with a warning at the schema that states them.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::super::*;
use super::unions::nullable_single;
use super::{is_nullable, schema_name, SchemaLowering, Slot, SCHEMA_PREFIX};
use crate::config::{Config, EVERY_SCHEMA};
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// Entries of the config keyed `Schema.property` or `"*".property` (`[fields]`, `[sensitive]`),
/// arranged for lookup while lowering.
struct ByProperty<'a, T> {
    /// Entries of named schemas, by the pointer of the property they name
    /// (`#/components/schemas/Account/properties/balance`).
    named: HashMap<String, &'a T>,
    /// `"*"`: by property name.
    every_schema: Option<&'a BTreeMap<String, T>>,
}

impl<'a, T> ByProperty<'a, T> {
    fn new(section: &'a BTreeMap<String, BTreeMap<String, T>>) -> Self {
        let mut named = HashMap::new();
        for (schema, properties) in section.iter().filter(|(schema, _)| *schema != EVERY_SCHEMA) {
            for (property, entry) in properties {
                named.insert(property_pointer(&schema_pointer(schema), property), entry);
            }
        }
        ByProperty { named, every_schema: section.get(EVERY_SCHEMA) }
    }

    /// The entry for a property: by the struct it is a field of (`object_pointer`), then by the
    /// schema that declares it (`declared_at`, the property's pointer, which differs for
    /// properties an `allOf` brings in), then by its name alone (`*`).
    fn get(&self, object_pointer: &str, declared_at: &str, name: &str) -> Option<&'a T> {
        self.named
            .get(&property_pointer(object_pointer, name))
            .or_else(|| self.named.get(declared_at))
            .copied()
            .or_else(|| self.every_schema.and_then(|properties| properties.get(name)))
    }
}

/// The config's type mappings and sensitive properties, arranged for lookup while lowering.
pub(super) struct Mappings<'a> {
    formats: &'a BTreeMap<String, Mapping>,
    schemas: &'a BTreeMap<String, Mapping>,
    fields: ByProperty<'a, Mapping>,
    sensitive: ByProperty<'a, bool>,
}

impl<'a> Mappings<'a> {
    pub(super) fn new(config: &'a Config) -> Self {
        Mappings {
            formats: &config.formats,
            schemas: &config.schemas,
            fields: ByProperty::new(&config.fields),
            sensitive: ByProperty::new(&config.sensitive),
        }
    }

    /// The type the config gives the component schema `name`.
    pub(super) fn schema(&self, name: &str) -> Option<&'a Mapping> {
        self.schemas.get(name)
    }

    /// The type the config gives values with the schema's `format`.
    pub(super) fn format(&self, schema: &Schema) -> Option<&'a Mapping> {
        format_name(schema).and_then(|format| self.formats.get(format))
    }

    /// The type the config gives a property (see [`ByProperty::get`]).
    fn field(&self, object_pointer: &str, declared_at: &str, name: &str) -> Option<&'a Mapping> {
        self.fields.get(object_pointer, declared_at, name)
    }

    /// Whether `[sensitive]` marks a property (see [`ByProperty::get`]).
    pub(super) fn sensitive(&self, object_pointer: &str, declared_at: &str, name: &str) -> bool {
        self.sensitive.get(object_pointer, declared_at, name).copied().unwrap_or(false)
    }
}

impl<'a> SchemaLowering<'a> {
    /// A reference to a component schema the config maps (directly, or through references to
    /// it): the mapped type, nullable when the schema says so.
    pub(super) fn mapped_reference(&self, reference: &str) -> Option<ValueType> {
        let mut reference = reference;
        // Each step follows one reference; a cycle among them ends when the steps run out.
        for _ in 0..=self.components.len() {
            let (name, schema) = self.components.get_key_value(schema_name(reference)?.as_ref())?;
            if let Some(Slot::Mapped(ty)) = self.slots.get(name.as_str()) {
                let nullable = matches!(schema, ReferenceOr::Item(schema) if is_nullable(schema));
                return Some(ValueType { shape: Shape::Mapped((*ty).clone()), nullable });
            }
            match schema {
                ReferenceOr::Reference { reference: next } => reference = next,
                ReferenceOr::Item(_) => return None,
            }
        }
        None
    }

    /// The value of a property the config maps, when it does: the mapped type, nullable as the
    /// property's schema says. The schema is not lowered, so it declares no types.
    pub(super) fn mapped_property(
        &mut self,
        object_pointer: &str,
        pointer: &str,
        wire_name: &str,
        property: &ReferenceOr<Box<Schema>>,
    ) -> Option<ValueType> {
        let ty = self.mappings.field(object_pointer, pointer, wire_name)?;
        let nullable = match property {
            ReferenceOr::Item(schema) => {
                self.warn_unchecked(schema, pointer, ty);
                is_nullable(schema) || nullable_single(schema).is_some()
            }
            ReferenceOr::Reference { reference } => {
                let errors = self.errors.len();
                let target = self.resolve(reference, pointer);
                self.errors.truncate(errors);
                match target {
                    Some((name, schema)) => {
                        self.warn_unchecked(schema, &schema_pointer(name), ty);
                        is_nullable(schema)
                    }
                    None => false,
                }
            }
        };
        Some(ValueType { shape: Shape::Mapped(ty.clone()), nullable })
    }

    /// Warns about the constraints of `schema` (at `pointer`) that a value of the mapped type
    /// `ty` is not checked against.
    pub(super) fn warn_unchecked(&mut self, schema: &Schema, pointer: &str, ty: &Mapping) {
        let rules = unchecked_rules(schema);
        if rules.is_empty() {
            return;
        }
        let rules: Vec<String> = rules.iter().map(|rule| format!("`{rule}`")).collect();
        self.warnings.push(SpecError::new(
            pointer,
            format!(
                "{} cannot be checked on `{}`, the type codegen.toml gives this value, so the client does not check {}",
                rules.join(", "),
                ty.as_str(),
                if rules.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
}

/// The documentation of the alias a mapped component schema gets.
pub(super) fn mapped_alias_doc(description: Option<String>, ty: &Mapping) -> String {
    let note = match &ty.with {
        Some(with) => format!(
            "codegen.toml maps this schema to `{}`, which this crate's types (de)serialize with `{}`.",
            ty.as_str(),
            with.as_str()
        ),
        None => format!("codegen.toml maps this schema to `{}`.", ty.as_str()),
    };
    match description {
        Some(doc) => format!("{doc}\n\n{note}"),
        None => note,
    }
}

/// Entries of the config that name a schema or property the spec does not have (likely typos),
/// and dependency features that change shared crates (see [`Config::warnings`]), reported as
/// warnings. Looks at the whole document, before any `--operation` selection.
pub fn unused_mappings(document: &OpenAPI, config: &Config) -> Vec<SpecError> {
    let empty = IndexMap::new();
    let components = document.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut warnings = Vec::new();
    let missing = |section: &str, schema: &str| {
        SpecError::new(
            schema_pointer(schema),
            format!("codegen.toml [{section}] names the schema `{schema}`, which the spec does not define"),
        )
    };
    for schema in config.schemas.keys().filter(|schema| !components.contains_key(*schema)) {
        warnings.push(missing("schemas", schema));
    }
    // `[fields]` and `[sensitive]`, both keyed `Schema.property`.
    let fields = config.fields.iter().map(|(schema, properties)| ("fields", schema, properties.keys().collect()));
    let sensitive =
        config.sensitive.iter().map(|(schema, properties)| ("sensitive", schema, properties.keys().collect()));
    for (section, schema, properties) in fields.chain(sensitive) {
        let properties: Vec<&String> = properties;
        if schema == EVERY_SCHEMA {
            continue;
        }
        let Some(target) = components.get(schema) else {
            warnings.push(missing(section, schema));
            continue;
        };
        for property in properties.into_iter().filter(|property| !declares(target, property, components, 0)) {
            warnings.push(SpecError::new(
                property_pointer(&schema_pointer(schema), property),
                format!(
                    "codegen.toml [{section}] names `{schema}.{property}`, but `{schema}` has no property `{property}`"
                ),
            ));
        }
    }
    for schema in config.derives.keys().filter(|s| *s != EVERY_SCHEMA && !components.contains_key(*s)) {
        warnings.push(missing("derives", schema));
    }
    warnings.extend(config.warnings().into_iter().map(|message| SpecError::new("#", message)));
    warnings
}

/// Whether a schema has the property `name`, itself or through its `allOf` members.
fn declares(
    schema: &ReferenceOr<Schema>,
    name: &str,
    components: &IndexMap<String, ReferenceOr<Schema>>,
    depth: usize,
) -> bool {
    let schema = match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => {
            let target = schema_name(reference).and_then(|name| components.get(name.as_ref()));
            return depth < 16 && target.is_some_and(|target| declares(target, name, components, depth + 1));
        }
    };
    let (properties, all_of) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => (Some(&object.properties), &[][..]),
        SchemaKind::AllOf { all_of } => (None, &all_of[..]),
        SchemaKind::Any(any) => (Some(&any.properties), &any.all_of[..]),
        _ => (None, &[][..]),
    };
    properties.is_some_and(|properties| properties.contains_key(name))
        || (depth < 16 && all_of.iter().any(|member| declares(member, name, components, depth + 1)))
}

/// The `format` of a scalar schema, as written in the spec.
fn format_name(schema: &Schema) -> Option<&str> {
    fn named<T>(format: &VariantOrUnknownOrEmpty<T>, name: fn(&T) -> &'static str) -> Option<&str> {
        match format {
            VariantOrUnknownOrEmpty::Item(known) => Some(name(known)),
            VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => named(&string.format, |format| match format {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }),
        SchemaKind::Type(Type::Number(number)) => named(&number.format, |format| match format {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }),
        SchemaKind::Type(Type::Integer(integer)) => named(&integer.format, |format| match format {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }),
        SchemaKind::Any(any) => any.format.as_deref(),
        _ => None,
    }
}

/// The keywords of a schema the generated client would check, were the value not mapped.
fn unchecked_rules(schema: &Schema) -> Vec<&'static str> {
    let mut rules = Vec::new();
    let mut note = |present: bool, rule: &'static str| {
        if present {
            rules.push(rule);
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            note(string.min_length.is_some(), "minLength");
            note(string.max_length.is_some(), "maxLength");
            note(string.pattern.is_some(), "pattern");
            note(!string.enumeration.is_empty(), "enum");
        }
        SchemaKind::Type(Type::Number(number)) => {
            note(number.minimum.is_some(), "minimum");
            note(number.maximum.is_some(), "maximum");
            note(!number.enumeration.is_empty(), "enum");
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            note(integer.minimum.is_some(), "minimum");
            note(integer.maximum.is_some(), "maximum");
            note(!integer.enumeration.is_empty(), "enum");
        }
        SchemaKind::Type(Type::Array(array)) => {
            note(array.min_items.is_some(), "minItems");
            note(array.max_items.is_some(), "maxItems");
        }
        SchemaKind::Any(any) => {
            note(any.min_length.is_some(), "minLength");
            note(any.max_length.is_some(), "maxLength");
            note(any.pattern.is_some(), "pattern");
            note(any.minimum.is_some(), "minimum");
            note(any.maximum.is_some(), "maximum");
            note(any.min_items.is_some(), "minItems");
            note(any.max_items.is_some(), "maxItems");
            note(!any.enumeration.is_empty(), "enum");
        }
        _ => {}
    }
    rules
}

fn schema_pointer(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name))
}

fn property_pointer(object_pointer: &str, property: &str) -> String {
    format!("{object_pointer}/properties/{}", escape_pointer_token(property))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{field, lower_with, spec_answering};
    use super::*;

    const SCHEMAS: &str = r#"
    Parent:
      type: object
      properties:
        price: {type: number, minimum: 0}
        code: {type: string, format: uuid, enum: [a, b]}
    Child:
      allOf:
        - $ref: '#/components/schemas/Parent'
        - type: object
          required: [note, money]
          properties:
            note: {type: string, maxLength: 3}
            money: {$ref: '#/components/schemas/Money'}
            via: {$ref: '#/components/schemas/MoneyAgain'}
            inner:
              type: object
              properties:
                price: {type: number}
    Money: {type: string, nullable: true, pattern: '^[0-9.]+$'}
    MoneyAgain: {$ref: '#/components/schemas/Money'}
"#;

    fn lower(config: &str) -> (Api, Vec<SpecError>) {
        lower_with(&spec_answering("Child", SCHEMAS), config)
    }

    fn mapped(field: &Field) -> Option<(&str, bool)> {
        match &field.value.shape {
            Shape::Mapped(ty) => Some((ty.as_str(), field.value.nullable)),
            _ => None,
        }
    }

    #[test]
    fn a_schema_mapping_reaches_references_through_aliases_and_leaves_an_alias() {
        let (api, warnings) = lower("[schemas]\nMoney = \"std::net::IpAddr\"\n");
        assert_eq!(mapped(field(&api, "Child", "money")), Some(("std::net::IpAddr", true)));
        assert_eq!(mapped(field(&api, "Child", "via")), Some(("std::net::IpAddr", true)));
        let alias = api.aliases.iter().find(|alias| alias.name == "Money").expect("an alias");
        assert!(matches!(alias.value.shape, Shape::Mapped(_)));
        assert!(alias.doc.as_deref().is_some_and(|doc| doc.contains("maps this schema to `std::net::IpAddr`")));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/schemas/Money"], "{warnings:?}");
        assert!(warnings[0].message.starts_with("`pattern` cannot be checked on `std::net::IpAddr`"));
    }

    #[test]
    fn a_format_mapping_wins_over_an_enum() {
        let (api, warnings) = lower("[formats]\nuuid = \"std::net::IpAddr\"\n");
        assert_eq!(mapped(field(&api, "Child", "code")), Some(("std::net::IpAddr", false)));
        assert!(!api.types.iter().any(|def| def.name.contains("Code")), "no enum is generated");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/components/schemas/Parent/properties/code");
        assert!(warnings[0].message.contains("`enum`"));
    }

    #[test]
    fn fields_are_found_by_their_struct_their_declaring_schema_or_their_name() {
        let config = "[fields]\nChild.note = \"u8\"\nParent.price = \"u16\"\n\"*\".price = \"u32\"\n";
        let (api, warnings) = lower(config);
        assert_eq!(mapped(field(&api, "Child", "note")), Some(("u8", false)));
        // `price` comes into `Child` from `Parent` through `allOf`.
        assert_eq!(mapped(field(&api, "Child", "price")), Some(("u16", false)));
        assert_eq!(mapped(field(&api, "ChildInner", "price")), Some(("u32", false)));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/components/schemas/Parent/properties/price", "#/components/schemas/Child/allOf/1/properties/note"]
        );
    }

    #[test]
    fn names_the_spec_does_not_have_are_warnings() {
        let config =
            "[schemas]\nMony = \"u8\"\n[fields]\nChild.price = \"u8\"\nChild.nope = \"u8\"\nGhost.x = \"u8\"\n\
                      \"*\".anything = \"u8\"\n[derives]\nGhost = [\"Eq\"]\n\"*\" = [\"Eq\"]\n";
        let (_, warnings) = lower(config);
        let found: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "at #/components/schemas/Parent/properties/price: `minimum` cannot be checked on `u8`, the type codegen.toml gives this value, so the client does not check it",
                "at #/components/schemas/Mony: codegen.toml [schemas] names the schema `Mony`, which the spec does not define",
                "at #/components/schemas/Child/properties/nope: codegen.toml [fields] names `Child.nope`, but `Child` has no property `nope`",
                "at #/components/schemas/Ghost: codegen.toml [fields] names the schema `Ghost`, which the spec does not define",
                "at #/components/schemas/Ghost: codegen.toml [derives] names the schema `Ghost`, which the spec does not define",
            ]
        );
    }

    #[test]
    fn derives_reach_nested_types_once_each() {
        let (api, _) = lower("[derives]\n\"*\" = [\"Eq\"]\nChild = [\"Hash\", \"std::cmp::Eq\"]\n");
        let derives = |name: &str| -> Vec<String> {
            let def = api.types.iter().find(|def| def.name == name).expect("the type");
            def.derives.iter().map(|derive| derive.as_str().to_string()).collect()
        };
        assert_eq!(derives("Child"), ["Eq", "Hash"]);
        assert_eq!(derives("ChildInner"), ["Eq", "Hash"]);
        assert_eq!(derives("Parent"), ["Eq"]);
    }
}
