//! The constraints an `allOf` member that only annotates adds to the shape another member gives
//! (`maxLength` on a referenced string, `minimum` on an integer), the stricter bound winning.

use openapiv3::{IntegerType, NumberType, Schema, SchemaKind, StringType, Type};

use super::super::*;

/// The rules an annotating member states, by the kind of value they constrain.
#[derive(Default)]
struct MemberRules {
    string: Option<StringRules>,
    number: Option<NumberRules>,
    items: Option<ArrayRules>,
}

/// Merges the constraints of an annotating `allOf` member into a shape, keeping the stricter
/// bound. Returns false when the member's type contradicts the shape.
pub(super) fn merge_constraints(shape: &mut Shape, member: &Schema) -> bool {
    match member_rules(shape, member) {
        Some(rules) => {
            tighten(shape, rules);
            true
        }
        None => false,
    }
}

/// The rules of an annotating member, or `None` when its type contradicts `shape`.
fn member_rules(shape: &Shape, member: &Schema) -> Option<MemberRules> {
    let holds_text = matches!(
        shape,
        Shape::String(_) | Shape::Date | Shape::DateTime | Shape::Binary | Shape::Named(_) | Shape::Any
    );
    let holds_number = matches!(shape, Shape::Integer { .. } | Shape::Number { .. } | Shape::Named(_) | Shape::Any);
    let rules = match &member.schema_kind {
        SchemaKind::Type(Type::String(StringType { min_length, max_length, pattern, .. })) => {
            let rules = StringRules { min_length: *min_length, max_length: *max_length, pattern: pattern.clone() };
            holds_text.then_some(MemberRules { string: Some(rules), ..MemberRules::default() })?
        }
        SchemaKind::Type(Type::Integer(IntegerType {
            minimum, maximum, exclusive_minimum, exclusive_maximum, ..
        })) => {
            let rules = NumberRules {
                minimum: minimum.map(|m| m as f64),
                exclusive_minimum: *exclusive_minimum,
                maximum: maximum.map(|m| m as f64),
                exclusive_maximum: *exclusive_maximum,
            };
            holds_number.then_some(MemberRules { number: Some(rules), ..MemberRules::default() })?
        }
        SchemaKind::Type(Type::Number(NumberType {
            minimum, maximum, exclusive_minimum, exclusive_maximum, ..
        })) => {
            let rules = NumberRules {
                minimum: minimum.filter(|m| m.is_finite()),
                exclusive_minimum: *exclusive_minimum,
                maximum: maximum.filter(|m| m.is_finite()),
                exclusive_maximum: *exclusive_maximum,
            };
            holds_number.then_some(MemberRules { number: Some(rules), ..MemberRules::default() })?
        }
        SchemaKind::Type(Type::Boolean(_)) => {
            matches!(shape, Shape::Boolean | Shape::Named(_) | Shape::Any).then(MemberRules::default)?
        }
        SchemaKind::Any(any) => MemberRules {
            string: Some(StringRules {
                min_length: any.min_length,
                max_length: any.max_length,
                pattern: any.pattern.clone(),
            }),
            number: Some(NumberRules {
                minimum: any.minimum.filter(|m| m.is_finite()),
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                maximum: any.maximum.filter(|m| m.is_finite()),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            }),
            items: Some(ArrayRules { min_items: any.min_items, max_items: any.max_items }),
        },
        // `{type: object}` next to a reference, and anything else that only annotates.
        _ => MemberRules::default(),
    };
    Some(rules)
}

/// Applies a member's rules to the shape they constrain, keeping the stricter bound.
fn tighten(shape: &mut Shape, member: MemberRules) {
    match shape {
        Shape::String(rules) => {
            if let Some(extra) = member.string {
                rules.min_length = stricter(rules.min_length, extra.min_length, usize::max);
                rules.max_length = stricter(rules.max_length, extra.max_length, usize::min);
                rules.pattern = rules.pattern.take().or(extra.pattern);
            }
        }
        Shape::Integer { rules, .. } | Shape::Number { rules, .. } => {
            if let Some(extra) = member.number {
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
            if let Some(extra) = member.items {
                rules.min_items = stricter(rules.min_items, extra.min_items, usize::max);
                rules.max_items = stricter(rules.max_items, extra.max_items, usize::min);
            }
        }
        _ => {}
    }
}

fn stricter(current: Option<usize>, extra: Option<usize>, pick: fn(usize, usize) -> usize) -> Option<usize> {
    match (current, extra) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}
