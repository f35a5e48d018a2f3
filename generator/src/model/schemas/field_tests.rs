//! What a field knows about its value beyond its type: whether it is sensitive (and from where),
//! whether it is a `Secret`, whether absent and `null` are told apart, and the `with` modules of
//! codegen.toml with the warnings where they cannot apply.

use super::test_support::{field, lower_with};
use crate::error::SpecError;
use crate::model::*;

const SPEC: &str = test_spec!(
    r#"paths:
  /people:
    post:
      operationId: addPerson
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}
      responses:
        '200':
          description: The person.
          content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}
  /balance:
    get:
      operationId: getBalance
      responses:
        '200':
          description: A bare amount.
          content: {application/json: {schema: {type: number, format: decimal}}}
  /rate:
    get:
      operationId: getRate
      responses:
        '200':
          description: A rate.
          content: {application/json: {schema: {type: number, format: decimal}}}
        '202':
          description: Not yet.
          content: {application/json: {schema: {$ref: '#/components/schemas/Person'}}}
components:
  schemas:
    Person:
      type: object
      required: [name, nickname_required]
      properties:
        name: {type: string}
        password: {type: string, format: password}
        pin: {type: integer, x-sensitive: true}
        email: {$ref: '#/components/schemas/Email'}
        emails: {type: array, items: {$ref: '#/components/schemas/Email'}}
        address: {$ref: '#/components/schemas/Address'}
        nickname: {type: string, nullable: true}
        nickname_required: {type: string, nullable: true}
        anything: {}
        balance: {type: number, format: decimal, nullable: true}
        history: {type: array, items: {type: number, format: decimal}}
        phone: {type: string}
    Email: {type: string, x-sensitive: true}
    Address:
      type: object
      x-sensitive: true
      properties:
        city: {type: string}
"#
);

fn lower(config: &str) -> (Api, Vec<SpecError>) {
    lower_with(SPEC, config)
}

#[test]
fn the_spec_marks_fields_and_what_they_hold_sensitive() {
    let (api, _) = lower("");
    let marks = |name: &str| {
        let field = field(&api, "Person", name);
        (field.sensitive, field.secret)
    };
    assert_eq!(marks("name"), (false, false));
    assert_eq!(marks("password"), (true, true), "format: password");
    assert_eq!(marks("pin"), (true, true), "x-sensitive on a number (not a string, so not a `Secret`)");
    assert_eq!(marks("email"), (true, true), "x-sensitive on the schema it references");
    assert_eq!(marks("emails"), (true, false), "x-sensitive on its items: hidden, still a `Vec<String>`");
    assert_eq!(marks("address"), (true, true));
    let address = api.types.iter().find(|def| def.name == "Address").unwrap();
    assert!(address.sensitive, "a schema marked as a whole");
    assert!(!api.types.iter().find(|def| def.name == "Person").unwrap().sensitive);
}

#[test]
fn codegen_toml_marks_fields_by_schema_or_name_and_can_exempt_one() {
    let (api, warnings) = lower(
        "[sensitive]\n\"*\".phone = true\n\"*\".name = true\nPerson.name = false\nPerson.nope = true\nGhost.x = true\n",
    );
    assert_eq!((field(&api, "Person", "phone").sensitive, field(&api, "Person", "phone").secret), (true, false));
    assert!(!field(&api, "Person", "name").sensitive, "`false` for the schema wins over `*`");
    let found: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "at #/components/schemas/Ghost: codegen.toml [sensitive] names the schema `Ghost`, which the spec does not define",
            "at #/components/schemas/Person/properties/nope: codegen.toml [sensitive] names `Person.nope`, but `Person` has no property `nope`",
        ]
    );
}

#[test]
fn optional_nullable_properties_tell_absent_from_null() {
    let (api, _) = lower("");
    assert!(field(&api, "Person", "nickname").tri_state);
    assert!(!field(&api, "Person", "nickname_required").tri_state, "required: `null` or a value");
    assert!(!field(&api, "Person", "name").tri_state);
    assert!(!field(&api, "Person", "anything").tri_state, "any JSON holds `null` itself");
}

#[test]
fn with_modules_get_one_marker_each_and_a_warning_where_no_field_holds_the_value() {
    let config = "[formats]\ndecimal = { type = \"rust_decimal::Decimal\", with = \"rust_decimal::serde::float\" }\n\
                  [dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-with-float\"] }\n";
    let (api, warnings) = lower(config);
    assert_eq!(api.serde_markers.len(), 1);
    let marker = &api.serde_markers[0];
    assert_eq!(
        (marker.name.as_str(), marker.module.as_str()),
        ("WithRustDecimalSerdeFloat", "rust_decimal::serde::float")
    );
    assert_eq!(marker.types.iter().map(RustType::as_str).collect::<Vec<_>>(), ["rust_decimal::Decimal"]);
    let balance = field(&api, "Person", "balance");
    assert!(matches!(&balance.value.shape, Shape::Mapped(mapping) if mapping.with.is_some()) && balance.tri_state);
    // A bare amount as the body, alone or as one of the successes by status: the client decodes
    // such a body whole, outside any field.
    let pointers: Vec<&str> = warnings.iter().map(|warning| warning.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/paths/~1rate/get/responses", "#/paths/~1balance/get/responses"]);
    assert_eq!(
        warnings[1].message,
        "this success response holds `rust_decimal::Decimal` outside any generated type, and codegen.toml maps it with `rust_decimal::serde::float`; a `with` module applies to values in the fields of generated types, so here the type's own impls (de)serialize it"
    );
}

#[test]
fn a_feature_that_changes_a_shared_crate_is_a_warning() {
    let (_, warnings) = lower("[dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-float\"] }\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "#");
    assert!(warnings[0].message.contains("`serde-float`"), "{warnings:?}");
}
