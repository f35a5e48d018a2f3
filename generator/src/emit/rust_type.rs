//! Rust types for model value types.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Field, FloatBits, IntegerBits, Shape, ValueType};

/// The type of a value, `Option<…>` when it may be `null`, written as code inside the `types`
/// module writes it.
pub fn value_type(api: &Api, value: &ValueType) -> TokenStream {
    value_type_from(api, value, &TokenStream::new())
}

/// The type of a value as code outside the `types` module writes it (`types::Foo`).
pub fn qualified_value_type(api: &Api, value: &ValueType) -> TokenStream {
    value_type_from(api, value, &quote!(types::))
}

/// The type of a value with named types written as `#prefix Name` (e.g. `my_crate::types::`).
pub fn value_type_with_prefix(api: &Api, value: &ValueType, prefix: &TokenStream) -> TokenStream {
    value_type_from(api, value, prefix)
}

fn value_type_from(api: &Api, value: &ValueType, prefix: &TokenStream) -> TokenStream {
    let shape = shape_type_from(api, &value.shape, prefix);
    if value.nullable {
        quote!(Option<#shape>)
    } else {
        shape
    }
}

/// The type of a struct field: `Option<…>` when the property may be absent or `null`, boxed when
/// the field makes its struct recursive.
pub fn field_type(api: &Api, field: &Field) -> TokenStream {
    let inner = field_inner_type(api, field);
    if field.is_option() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// The type of a field's value once present: what a builder setter takes, boxed if needed.
pub fn field_inner_type(api: &Api, field: &Field) -> TokenStream {
    let shape = field_plain_type(api, field);
    if field.boxed {
        quote!(Box<#shape>)
    } else {
        shape
    }
}

/// The type of a field's value as a caller provides it (never boxed).
pub fn field_plain_type(api: &Api, field: &Field) -> TokenStream {
    if is_secret(field) {
        return quote!(crate::secret::Secret);
    }
    shape_type(api, &field.value.shape)
}

/// Whether a field holds a sensitive string, typed as `Secret` so that `Debug` hides it.
pub fn is_secret(field: &Field) -> bool {
    field.sensitive && matches!(field.value.shape, Shape::String(_))
}

pub fn shape_type(api: &Api, shape: &Shape) -> TokenStream {
    shape_type_from(api, shape, &TokenStream::new())
}

/// A shape's type, with named types written as `#prefix Name`.
fn shape_type_from(api: &Api, shape: &Shape, prefix: &TokenStream) -> TokenStream {
    match shape {
        Shape::String(_) => quote!(String),
        Shape::Date => quote!(chrono::NaiveDate),
        Shape::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Shape::Binary => quote!(crate::Binary),
        Shape::Integer { bits: IntegerBits::I32, .. } => quote!(i32),
        Shape::Integer { bits: IntegerBits::I64, .. } => quote!(i64),
        Shape::Number { bits: FloatBits::F32, .. } => quote!(f32),
        Shape::Number { bits: FloatBits::F64, .. } => quote!(f64),
        Shape::Boolean => quote!(bool),
        Shape::Any => quote!(serde_json::Value),
        Shape::Array { items, .. } => {
            let items = value_type_from(api, items, prefix);
            quote!(Vec<#items>)
        }
        Shape::Map { values } => {
            let values = value_type_from(api, values, prefix);
            quote!(std::collections::BTreeMap<String, #values>)
        }
        Shape::Tuple(items) => {
            let items = items.iter().map(|item| value_type_from(api, item, prefix));
            quote!((#(#items,)*))
        }
        Shape::Named(id) => {
            let name = ident(&api.get(*id).name);
            quote!(#prefix #name)
        }
        // A path from a crate root, the same in every module.
        Shape::Mapped(ty) => ty.tokens(),
    }
}
