//! Which values the client checks before sending: an analysis of the model, made once in
//! lowering ([`Api::validated`]) and read by every emitter that writes or calls a check (the
//! types' `Validate` impls, the client's methods, the mock's request checks).

use super::{Api, Extra, Shape, TypeDef, TypeId, TypeKind, ValueType};

/// Decides [`Api::validated`]: a type sent in a request is checked when it is an enum or a union
/// (a value it does not list is refused), or when a field or additional property holds a value
/// with a rule. Rules reach a type through the types it holds, so this iterates to a fixed point.
pub(super) fn mark_validated(api: &mut Api) {
    let mut validated = vec![false; api.types.len()];
    loop {
        let mut changed = false;
        for (index, def) in api.types.iter().enumerate() {
            if def.in_request && !validated[index] && type_has_rules(def, &validated) {
                validated[index] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    api.validated = validated;
}

impl Api {
    /// Whether values of a type are checked before sending (see [`Api::validated`]).
    pub fn is_validated(&self, id: TypeId) -> bool {
        self.validated.get(id.0).copied().unwrap_or(false)
    }

    /// Whether a value has a rule the client checks: a length, a bound, a pattern or an item
    /// count on it or on what it holds, or a type that is [validated](Api::validated).
    /// `emit::validate` writes a check exactly for such values.
    pub fn has_rules(&self, value: &ValueType) -> bool {
        value_has_rules(value, &self.validated)
    }
}

fn type_has_rules(def: &TypeDef, validated: &[bool]) -> bool {
    match &def.kind {
        TypeKind::Enum(_) | TypeKind::Union(_) => true,
        TypeKind::Struct(object) => {
            object.fields.iter().any(|field| value_has_rules(&field.value, validated))
                || matches!(&object.extra, Extra::Typed { value, .. } if value_has_rules(value, validated))
        }
    }
}

fn value_has_rules(value: &ValueType, validated: &[bool]) -> bool {
    match &value.shape {
        Shape::Named(id) => validated.get(id.0).copied().unwrap_or(false),
        Shape::String(rules) => !rules.is_empty(),
        Shape::Integer { rules, .. } | Shape::Number { rules, .. } => !rules.is_empty(),
        Shape::Array { items, rules } => !rules.is_empty() || value_has_rules(items, validated),
        Shape::Tuple(items) => items.iter().any(|item| value_has_rules(item, validated)),
        Shape::Map { values } => value_has_rules(values, validated),
        // A mapped type's constraints were dropped, with a warning, when it was lowered.
        Shape::Date | Shape::DateTime | Shape::Binary | Shape::Boolean | Shape::Any | Shape::Mapped(_) => false,
    }
}

#[cfg(test)]
mod tests {
    const SPEC: &str = test_spec!(
        r#"paths:
  /a:
    post:
      operationId: send
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Outer'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Received'}}}
components:
  schemas:
    Outer:
      type: object
      properties:
        middle: {type: array, items: {$ref: '#/components/schemas/Middle'}}
        plain: {$ref: '#/components/schemas/Plain'}
    Middle:
      type: object
      properties:
        inner: {$ref: '#/components/schemas/Inner'}
    Inner:
      type: object
      properties:
        name: {type: string, maxLength: 3}
    Plain:
      type: object
      properties:
        note: {type: string}
    Received:
      type: object
      properties:
        name: {type: string, maxLength: 3}
"#
    );

    #[test]
    fn rules_reach_the_request_types_that_hold_them_and_no_others() {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(SPEC).expect("a valid document");
        let api = crate::model::lower(&document, Some("t")).expect("lowers");
        let validated = |name: &str| {
            let index = api.types.iter().position(|def| def.name == name).expect("the type exists");
            api.validated[index]
        };
        // A rule two types down reaches the body; a request type without rules and a type only
        // received are not checked.
        assert!(validated("Outer") && validated("Middle") && validated("Inner"));
        assert!(!validated("Plain") && !validated("Received"));
    }
}
