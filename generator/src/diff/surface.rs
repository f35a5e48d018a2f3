//! The public surface of a generated client, computed from the model: what code using the
//! client can name or depend on, in a form two specs can be compared by. Types are keyed by
//! their Rust name, fields and enum values by their wire name, operations by their operationId.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    visit_reachable, Api, EnumValue, Extra, Field, FloatBits, IntegerBits, Operation, ResponseBody, Shape, TypeId,
    TypeKind, ValueType,
};

/// Everything a user of the crate sees.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Surface {
    pub operations: BTreeMap<String, OperationSurface>,
    pub types: BTreeMap<String, TypeSurface>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationSurface {
    /// `POST /cra/monitoring_insights/get`.
    pub endpoint: String,
    /// The parameters, by wire name.
    pub parameters: BTreeMap<String, FieldSurface>,
    /// The request body's type, and whether it is required.
    pub body: Option<(String, bool)>,
    /// The success response's type (`text`, `bytes` or a type), if any.
    pub response: Option<String>,
    pub deprecated: bool,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeSurface {
    pub kind: TypeShape,
    /// Whether values of the type are sent (requests are validated, and built by callers).
    pub in_request: bool,
    /// Whether values of the type are received (responses are decoded leniently).
    pub in_response: bool,
    pub deprecated: bool,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeShape {
    /// Fields by wire name; `extra` says whether undeclared properties are kept.
    Struct { fields: BTreeMap<String, FieldSurface>, extra: Option<String> },
    /// The values listed, as they are on the wire.
    Enum { values: BTreeSet<String> },
    /// The variants' types, by variant name.
    Union { variants: BTreeMap<String, String> },
    /// `pub type Name = …`.
    Alias { value: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldSurface {
    /// The value's type, spec-level: `string`, `integer (i64)`, `array of Foo`, `Foo`, ….
    pub ty: String,
    /// The type with its validation rules: `string, maxLength 64`.
    pub rules: String,
    pub required: bool,
    pub nullable: bool,
    /// `format: password`, `x-sensitive` or codegen.toml's `[sensitive]`: `Debug` and error
    /// messages hide the value.
    pub sensitive: bool,
    /// A string the spec marks secret (`format: password`, `x-sensitive`): the field is a
    /// `Secret`.
    pub secret: bool,
    pub deprecated: bool,
    pub doc: String,
}

impl Surface {
    pub fn of(api: &Api) -> Surface {
        let in_response = response_types(api);
        let mut types = BTreeMap::new();
        for (index, def) in api.types.iter().enumerate() {
            let kind = type_shape(api, &def.kind);
            let surface = TypeSurface {
                kind,
                in_request: def.in_request,
                in_response: in_response.contains(&index),
                deprecated: def.deprecated,
                doc: def.doc.clone().unwrap_or_default(),
            };
            types.insert(def.name.clone(), surface);
        }
        for alias in &api.aliases {
            let surface = TypeSurface {
                kind: TypeShape::Alias { value: value_text(api, &alias.value) },
                in_request: false,
                in_response: false,
                deprecated: alias.deprecated,
                doc: alias.doc.clone().unwrap_or_default(),
            };
            types.insert(alias.name.clone(), surface);
        }
        let operations = api
            .operations
            .iter()
            .map(|operation| (operation.operation_id.clone(), operation_surface(api, operation)))
            .collect();
        Surface { operations, types }
    }
}

fn type_shape(api: &Api, kind: &TypeKind) -> TypeShape {
    match kind {
        TypeKind::Struct(object) => TypeShape::Struct {
            fields: object.fields.iter().map(|field| (field.wire_name.clone(), field_surface(api, field))).collect(),
            extra: match &object.extra {
                Extra::Ignored => None,
                Extra::Kept { .. } => Some("any".to_string()),
                Extra::Typed { value, .. } => Some(value_text(api, value)),
            },
        },
        TypeKind::Enum(values) => {
            TypeShape::Enum { values: values.variants.iter().map(|variant| enum_value_text(&variant.value)).collect() }
        }
        TypeKind::Union(union) => TypeShape::Union {
            variants: union
                .variants
                .iter()
                .map(|variant| (variant.rust_name.clone(), value_text(api, &variant.value)))
                .collect(),
        },
    }
}

fn operation_surface(api: &Api, operation: &Operation) -> OperationSurface {
    let parameters = operation
        .params_type
        .map(|id| match &api.get(id).kind {
            TypeKind::Struct(object) => {
                object.fields.iter().map(|f| (f.wire_name.clone(), field_surface(api, f))).collect()
            }
            _ => BTreeMap::new(),
        })
        .unwrap_or_default();
    OperationSurface {
        endpoint: format!("{} {}", operation.method.as_str(), operation.path),
        parameters,
        body: operation.body.as_ref().map(|body| (value_text(api, &body.value), body.required)),
        response: operation.response.as_ref().map(|response| match response {
            ResponseBody::Json(value) => value_text(api, value),
            ResponseBody::Text { .. } => "text".to_string(),
            ResponseBody::Bytes { .. } => "bytes".to_string(),
        }),
        deprecated: operation.deprecated,
        doc: [operation.summary.as_deref(), operation.description.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

fn field_surface(api: &Api, field: &Field) -> FieldSurface {
    FieldSurface {
        ty: describe(api, &field.value, false),
        rules: value_text(api, &field.value),
        required: field.required,
        nullable: field.value.nullable,
        sensitive: field.sensitive,
        secret: field.secret && matches!(field.value.shape, Shape::String(_)),
        deprecated: field.deprecated,
        doc: field.doc.clone().unwrap_or_default(),
    }
}

impl FieldSurface {
    /// The form of the Rust field: `T` (required, never `null`), `Nullable<T>` (optional and
    /// nullable, absent told from `null`; not for any JSON, which holds `null` itself) or
    /// `Option<T>`.
    pub fn rust_form(&self) -> &'static str {
        if self.required && !self.nullable {
            "T"
        } else if !self.required && self.nullable && self.ty != "any" {
            "Nullable<T>"
        } else {
            "Option<T>"
        }
    }
}

/// A value's type as text with its validation rules, without its nullability (reported on its
/// own).
fn value_text(api: &Api, value: &ValueType) -> String {
    describe(api, value, true)
}

/// A value's type as text, with or without its validation rules (`string, maxLength 64`).
fn describe(api: &Api, value: &ValueType, with_rules: bool) -> String {
    let rules_of = |text: String| if with_rules { text } else { String::new() };
    match &value.shape {
        Shape::String(rules) if !with_rules || rules.is_empty() => "string".to_string(),
        Shape::String(rules) => {
            let mut text = "string".to_string();
            if let Some(n) = rules.min_length {
                text.push_str(&format!(", minLength {n}"));
            }
            if let Some(n) = rules.max_length {
                text.push_str(&format!(", maxLength {n}"));
            }
            if let Some(pattern) = &rules.pattern {
                text.push_str(&format!(", pattern {pattern}"));
            }
            text
        }
        Shape::Date => "date".to_string(),
        Shape::DateTime => "date-time".to_string(),
        Shape::Binary => "binary".to_string(),
        Shape::Integer { bits, rules } => {
            let bits = match bits {
                IntegerBits::I32 => "i32",
                IntegerBits::I64 => "i64",
            };
            format!("integer ({bits}){}", rules_of(number_rules(rules)))
        }
        Shape::Number { bits, rules } => {
            let bits = match bits {
                FloatBits::F32 => "f32",
                FloatBits::F64 => "f64",
            };
            format!("number ({bits}){}", rules_of(number_rules(rules)))
        }
        Shape::Boolean => "boolean".to_string(),
        Shape::Any => "any".to_string(),
        Shape::Array { items, rules } => {
            let mut text = format!(
                "array of {}{}",
                describe(api, items, with_rules),
                if items.nullable { " or null" } else { "" }
            );
            if !with_rules {
                return text;
            }
            if let Some(n) = rules.min_items {
                text.push_str(&format!(", minItems {n}"));
            }
            if let Some(n) = rules.max_items {
                text.push_str(&format!(", maxItems {n}"));
            }
            text
        }
        Shape::Map { values } => {
            format!("map of {}{}", describe(api, values, with_rules), if values.nullable { " or null" } else { "" })
        }
        Shape::Tuple(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| {
                    format!("{}{}", describe(api, item, with_rules), if item.nullable { " or null" } else { "" })
                })
                .collect();
            format!("tuple ({})", items.join(", "))
        }
        Shape::Named(id) => api.get(*id).name.clone(),
        Shape::Mapped(ty) => ty.as_str().to_string(),
    }
}

fn number_rules(rules: &crate::model::NumberRules) -> String {
    let mut text = String::new();
    if let Some(minimum) = rules.minimum {
        text.push_str(&format!(", {} {minimum}", if rules.exclusive_minimum { ">" } else { ">=" }));
    }
    if let Some(maximum) = rules.maximum {
        text.push_str(&format!(", {} {maximum}", if rules.exclusive_maximum { "<" } else { "<=" }));
    }
    text
}

fn enum_value_text(value: &EnumValue) -> String {
    match value {
        EnumValue::String(text) => text.clone(),
        EnumValue::Integer(number) => number.to_string(),
        EnumValue::Float(number) => number.to_string(),
        EnumValue::Boolean(value) => value.to_string(),
    }
}

/// The indexes of the types a response (success or error) reaches.
fn response_types(api: &Api) -> BTreeSet<usize> {
    let mut pending: Vec<TypeId> = Vec::new();
    for operation in &api.operations {
        if let Some(ResponseBody::Json(value)) = &operation.response {
            value.collect_named(&mut pending);
        }
        for error in &operation.errors {
            error.value.collect_named(&mut pending);
        }
    }
    let mut seen = BTreeSet::new();
    visit_reachable(&api.types, pending, &mut |id| seen.insert(id.0));
    seen
}
