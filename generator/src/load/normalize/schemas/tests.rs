use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::load::test_support::{parse_ok, warnings};
use crate::load::Loaded;

fn load(version: &str, schemas: &str) -> Loaded {
    parse_ok(&format!(
        "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    ))
}

/// Loads as [`load`] does, and checks that nothing was warned about.
fn load_cleanly(version: &str, schemas: &str) -> Loaded {
    let loaded = load(version, schemas);
    assert!(warnings(&loaded).is_empty(), "{:?}", warnings(&loaded));
    loaded
}

fn schema<'a>(loaded: &'a Loaded, name: &str) -> &'a Schema {
    match &loaded.document.components.as_ref().unwrap().schemas[name] {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { .. } => panic!("{name} is a reference"),
    }
}

#[test]
fn type_lists_read_as_nullable_types_or_unions() {
    let schemas = "    A: {type: [string, 'null'], maxLength: 3}\n    B: {type: [string, integer], maxLength: 3, minimum: 1}\n    C: {type: 'null'}\n";
    let loaded = load_cleanly("3.1.0", schemas);
    let a = schema(&loaded, "A");
    assert!(a.schema_data.nullable);
    assert!(matches!(&a.schema_kind, SchemaKind::Type(Type::String(s)) if s.max_length == Some(3)));
    let SchemaKind::AnyOf { any_of } = &schema(&loaded, "B").schema_kind else { panic!("a union") };
    assert_eq!(any_of.len(), 2);
    assert!(
        matches!(&any_of[1], ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(1)))
    );
    assert!(schema(&loaded, "C").schema_data.nullable);
    // The same in a 3.0 file is read too, with a warning per construct.
    let loaded = load("3.0.3", schemas);
    let warnings = warnings(&loaded);
    assert!(
        warnings[0].starts_with("at #/components/schemas/A/type: a list of types is OpenAPI 3.1, not OpenAPI 3.0"),
        "{warnings:#?}"
    );
    assert!(warnings[0].ends_with("(and so is 1 more place in this file)"), "{warnings:#?}");
    assert_eq!(warnings.len(), 2, "one warning per construct: {warnings:#?}");
}

#[test]
fn const_examples_and_numeric_bounds() {
    let loaded = load_cleanly(
        "3.1.0",
        "    K: {type: string, const: card, examples: [card, other]}\n    N: {type: integer, exclusiveMinimum: 0, minimum: -5, exclusiveMaximum: 10}\n",
    );
    let k = schema(&loaded, "K");
    assert_eq!(k.schema_data.example, Some(serde_json::json!("card")));
    assert!(matches!(&k.schema_kind, SchemaKind::Type(Type::String(s)) if s.enumeration == [Some("card".to_string())]));
    let SchemaKind::Type(Type::Integer(n)) = &schema(&loaded, "N").schema_kind else { panic!("an integer") };
    assert_eq!((n.minimum, n.exclusive_minimum, n.maximum, n.exclusive_maximum), (Some(0), true, Some(10), true));
}

#[test]
fn nullable_in_three_one_is_read_with_a_warning() {
    let loaded = load("3.1.0", "    A: {type: string, nullable: true}\n");
    assert!(schema(&loaded, "A").schema_data.nullable);
    let warnings = warnings(&loaded);
    assert!(
        warnings[0].starts_with("at #/components/schemas/A: `nullable` is OpenAPI 3.0, not OpenAPI 3.1"),
        "{warnings:#?}"
    );
}

#[test]
fn reference_siblings_apply_in_three_one() {
    let loaded = load(
        "3.1.0",
        "    A: {type: string}\n    B:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/A', default: x, maxLength: 4}\n        d: {$ref: '#/components/schemas/A', description: docs only}\n",
    );
    let SchemaKind::Type(Type::Object(b)) = &schema(&loaded, "B").schema_kind else { panic!("an object") };
    let ReferenceOr::Item(a) = &b.properties["a"] else { panic!("wrapped in allOf") };
    assert!(
        matches!(&a.schema_kind, SchemaKind::AllOf { all_of } if all_of.len() == 1)
            || matches!(&a.schema_kind, SchemaKind::Any(any) if any.all_of.len() == 1 && any.max_length == Some(4)),
        "{a:?}"
    );
    assert_eq!(a.schema_data.default, Some(serde_json::json!("x")));
    assert!(matches!(&b.properties["d"], ReferenceOr::Reference { .. }), "documentation alone keeps the reference");
}

#[test]
fn defs_are_hoisted_and_references_follow() {
    let loaded = load(
        "3.1.0",
        "    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/A/$defs/B'}\n      $defs:\n        B: {type: string}\n",
    );
    assert!(matches!(&schema(&loaded, "B").schema_kind, SchemaKind::Type(Type::String(_))));
    let SchemaKind::Type(Type::Object(a)) = &schema(&loaded, "A").schema_kind else { panic!("an object") };
    assert!(
        matches!(&a.properties["b"], ReferenceOr::Reference { reference } if reference == "#/components/schemas/B")
    );
    assert_eq!(
        loaded.origins.translate("#/components/schemas/B/maxLength"),
        "#/components/schemas/A/$defs/B/maxLength"
    );
}

#[test]
fn constants_make_a_discriminator() {
    let loaded = load(
        "3.1.0",
        "    Card: {type: object, properties: {kind: {const: card}, n: {type: string}}}\n    Bank: {type: object, properties: {kind: {const: bank}}}\n    Either:\n      oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Bank'}, {type: 'null'}]\n",
    );
    let either = schema(&loaded, "Either");
    let discriminator = either.schema_data.discriminator.as_ref().expect("a discriminator");
    assert_eq!(discriminator.property_name, "kind");
    assert_eq!(discriminator.mapping["bank"], "#/components/schemas/Bank");
}

#[test]
fn constants_make_a_discriminator_over_escaped_references() {
    let loaded = load(
        "3.1.0",
        "    card/v2: {type: object, properties: {kind: {const: card}}}\n    bank~v1: {type: object, properties: {kind: {const: bank}}}\n    Either:\n      oneOf: [{$ref: '#/components/schemas/card~1v2'}, {$ref: '#/components/schemas/bank~0v1'}]\n",
    );
    let either = schema(&loaded, "Either");
    let discriminator = either.schema_data.discriminator.as_ref().expect("a discriminator");
    assert_eq!(discriminator.mapping["card"], "#/components/schemas/card~1v2");
    assert_eq!(discriminator.mapping["bank"], "#/components/schemas/bank~0v1");
}

#[test]
fn a_hoisted_definition_is_qualified_by_its_owners_unescaped_name() {
    let loaded = load(
        "3.1.0",
        "    B: {type: integer}\n    a/b:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/a~1b/$defs/B'}\n      $defs:\n        B: {type: string}\n",
    );
    assert!(matches!(&schema(&loaded, "a/bB").schema_kind, SchemaKind::Type(Type::String(_))));
    let SchemaKind::Type(Type::Object(owner)) = &schema(&loaded, "a/b").schema_kind else { panic!("an object") };
    assert!(
        matches!(&owner.properties["b"], ReferenceOr::Reference { reference } if reference == "#/components/schemas/a~1bB")
    );
}

#[test]
fn tuples_maps_and_unsupported_keywords() {
    let loaded = load(
        "3.1.0",
        "    Pair: {type: array, prefixItems: [{type: string}, {type: string}], minItems: 2, maxItems: 2}\n    Mixed: {type: array, prefixItems: [{type: string}, {type: integer}]}\n    Tuple: {type: array, prefixItems: [{type: [string, 'null']}, {type: integer}], items: false}\n    M: {type: object, patternProperties: {'^a': {type: integer}}, additionalProperties: false}\n    If: {type: object, if: {required: [a]}, then: {required: [b]}, $schema: 'https://json-schema.org/draft/2020-12/schema'}\n    Blob: {type: string, contentMediaType: application/octet-stream}\n    B64: {type: string, contentEncoding: base64}\n",
    );
    let SchemaKind::Type(Type::Array(pair)) = &schema(&loaded, "Pair").schema_kind else { panic!("an array") };
    assert!(
        matches!(&pair.items, Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_))))
    );
    let tuple = &schema(&loaded, "Tuple").schema_data.extensions[super::TUPLE_ITEMS];
    assert_eq!(tuple, &serde_json::json!([{"type": "string", "nullable": true}, {"type": "integer"}]));
    let SchemaKind::Type(Type::Object(m)) = &schema(&loaded, "M").schema_kind else { panic!("an object") };
    assert!(matches!(&m.additional_properties, Some(openapiv3::AdditionalProperties::Schema(_))));
    let format = |name| match &schema(&loaded, name).schema_kind {
        SchemaKind::Type(Type::String(s)) => s.format.clone(),
        _ => panic!("a string"),
    };
    assert_eq!(format("Blob"), openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary));
    assert_eq!(format("B64"), openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte));
    let warnings = warnings(&loaded);
    for expected in [
        "at #/components/schemas/Mixed/prefixItems: a tuple that allows more items",
        "at #/components/schemas/M/patternProperties: the key patterns",
        "at #/components/schemas/If/if: conditional schemas",
    ] {
        assert!(warnings.iter().any(|w| w.starts_with(expected)), "{expected}\n{warnings:#?}");
    }
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn a_union_of_constants_is_an_enum_with_named_values() {
    let loaded = load_cleanly(
        "3.1.0",
        "    Kind:\n      oneOf:\n        - {const: 0, title: GUILD_TEXT, description: A text channel.}\n        - {const: 2, title: GUILD_VOICE}\n        - {type: 'null'}\n      format: int32\n",
    );
    let kind = schema(&loaded, "Kind");
    assert!(kind.schema_data.nullable);
    assert!(
        matches!(&kind.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.enumeration == [Some(0), Some(2)]),
        "{kind:?}"
    );
    assert_eq!(kind.schema_data.extensions["x-enum-varnames"], serde_json::json!(["GUILD_TEXT", "GUILD_VOICE"]));
    assert_eq!(kind.schema_data.extensions["x-enum-descriptions"], serde_json::json!(["A text channel.", ""]));
}

#[test]
fn silent_rules_on_a_three_zero_file_keep_the_tree_from_being_bypassed() {
    // No warning is due, but the tree differs from what `openapiv3` reads from the text.
    let loaded = load_cleanly(
        "3.0.3",
        "    A: {type: string, examples: [first, second]}\n    B: {type: string, contentEncoding: base64}\n",
    );
    assert_eq!(schema(&loaded, "A").schema_data.example, Some(serde_json::json!("first")));
    let SchemaKind::Type(Type::String(b)) = &schema(&loaded, "B").schema_kind else { panic!("a string") };
    assert_eq!(b.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte));
}
