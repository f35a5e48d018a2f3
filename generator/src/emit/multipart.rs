//! `multipart/form-data` bodies: one part per property of the body's struct, files for
//! `format: binary`, text for scalars, JSON text for anything structured.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Field, Shape, TypeKind, ValueType};

/// An expression building a `reqwest::multipart::Form` from the struct bound to `body`.
pub fn form_expr(api: &Api, body: &ValueType) -> TokenStream {
    let fields: &[Field] = match body.shape {
        Shape::Named(id) => match &api.get(id).kind {
            TypeKind::Struct(object) => &object.fields,
            _ => &[],
        },
        _ => &[],
    };
    let parts = fields.iter().map(|field| {
        let rust_name = ident(&field.rust_name);
        let add = add_parts(&field.wire_name, &ValueType { nullable: false, ..field.value.clone() });
        if field.is_option() {
            let value = super::rust_type::present(field, quote!(body.#rust_name));
            quote! {
                if let Some(value) = #value {
                    #add
                }
            }
        } else {
            quote! {
                {
                    let value = &body.#rust_name;
                    #add
                }
            }
        }
    });
    quote! {
        {
            let mut form = reqwest::multipart::Form::new();
            #(#parts)*
            form
        }
    }
}

/// Statements adding the value bound to `value` to `form` under `name`.
fn add_parts(name: &str, value: &ValueType) -> TokenStream {
    match &value.shape {
        Shape::Array { items, .. } if !matches!(items.shape, Shape::Array { .. }) && !items.nullable => {
            let add = add_parts(name, items);
            quote! {
                for value in value.iter() {
                    #add
                }
            }
        }
        Shape::Binary => quote! {
            form = form.part(#name, reqwest::multipart::Part::bytes(value.0.clone()).file_name(#name));
        },
        Shape::String(_) => quote!(form = form.text(#name, value.clone());),
        Shape::DateTime => quote!(form = form.text(#name, value.to_rfc3339());),
        Shape::Integer { .. } | Shape::Number { .. } | Shape::Boolean | Shape::Date => {
            quote!(form = form.text(#name, value.to_string());)
        }
        _ => quote!(form = form.text(#name, serde_json::to_string(value).unwrap_or_default());),
    }
}
