//! Rust types for model value types.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{tuple_adapter, Api, Field, FloatBits, IntegerBits, Mapping, Shape, ValueType};

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

/// The type of a struct field: `Nullable<…>` when an absent property and `null` differ (see
/// [`Field::tri_state`]), `Option<…>` when the property may be absent or `null`, boxed when the
/// field makes its struct recursive.
pub fn field_type(api: &Api, field: &Field) -> TokenStream {
    let inner = field_inner_type(api, field);
    if field.tri_state {
        quote!(crate::Nullable<#inner>)
    } else if field.is_option() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// An `Option<&T>` of the value of a field that [`Field::is_option`], read through `expr` (such
/// as `self.name`): `as_option()` of a `Nullable`, `as_ref()` of an `Option`.
pub fn present(field: &Field, expr: TokenStream) -> TokenStream {
    if field.tri_state {
        quote!(#expr.as_option())
    } else {
        quote!(#expr.as_ref())
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

/// Whether a field holds a string the spec marks secret, typed as `Secret` (zeroized, compared
/// in constant time, hidden from `Debug`).
pub fn is_secret(field: &Field) -> bool {
    field.secret && matches!(field.value.shape, Shape::String(_))
}

/// The adapter (a type implementing the runtime's `mapped_serde::SerdeWith`) that (de)serializes
/// a field through codegen.toml's `with` modules, or `None` when its value holds none.
pub fn field_adapter(api: &Api, field: &Field) -> Option<TokenStream> {
    shape_adapter(api, &field.value.shape).map(|inner| adapter_of_field(field, inner))
}

/// The adapter for a field whose value goes through `inner`: `inner` carried through the
/// field's box, `Option` or `Nullable`.
pub fn adapter_of_field(field: &Field, inner: TokenStream) -> TokenStream {
    let inner = if field.boxed { quote!(crate::mapped_serde::BoxOf<#inner>) } else { inner };
    if field.tri_state {
        quote!(crate::mapped_serde::NullableOf<#inner>)
    } else if field.is_option() {
        quote!(crate::mapped_serde::OptionOf<#inner>)
    } else {
        inner
    }
}

/// The adapter for a value (`Option` when it is nullable), or `None` when it holds no `with`.
pub fn value_adapter(api: &Api, value: &ValueType) -> Option<TokenStream> {
    let inner = shape_adapter(api, &value.shape)?;
    Some(if value.nullable { quote!(crate::mapped_serde::OptionOf<#inner>) } else { inner })
}

fn shape_adapter(api: &Api, shape: &Shape) -> Option<TokenStream> {
    match shape {
        Shape::Mapped(Mapping { with: Some(with), .. }) => {
            let marker = api.serde_markers.iter().find(|marker| marker.module == *with)?;
            let marker = ident(&marker.name);
            Some(quote!(crate::types::#marker))
        }
        Shape::Array { items, .. } => value_adapter(api, items).map(|items| quote!(crate::mapped_serde::VecOf<#items>)),
        Shape::Map { values } => value_adapter(api, values).map(|values| quote!(crate::mapped_serde::MapOf<#values>)),
        Shape::Tuple(items) => {
            let tuple = ident(tuple_adapter(items.len())?);
            let adapters: Vec<Option<TokenStream>> = items.iter().map(|item| value_adapter(api, item)).collect();
            if adapters.iter().all(Option::is_none) {
                return None;
            }
            let adapters =
                adapters.into_iter().map(|adapter| adapter.unwrap_or_else(|| quote!(crate::mapped_serde::Own)));
            Some(quote!(crate::mapped_serde::#tuple<#(#adapters),*>))
        }
        _ => None,
    }
}

/// A path written as the text of a serde attribute (`serialize_with = "…"`), which serde parses
/// back: the tokens' text without the spaces printing puts between them.
pub fn attribute_path(path: TokenStream) -> String {
    path.to_string().chars().filter(|c| !c.is_whitespace()).collect()
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
