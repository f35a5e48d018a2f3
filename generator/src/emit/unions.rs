//! `oneOf` / `anyOf` as Rust enums: one variant per member plus a catch-all. Serialization
//! writes the active member as is; deserialization chooses the member the model's
//! [`Selection`] says, so no member ever silently swallows another's values.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rust_type::value_type;
use super::{deprecated_attr, ident};
use crate::model::{Api, Selection, TypeDef, Union, UnionVariant};

pub fn union_item(api: &Api, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let catch_all = ident(&union.catch_all);
    let variants = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let ty = variant_type(api, variant);
        let doc = match (&union.selection, variant.tags.as_slice()) {
            (Selection::Discriminator(property), tags) if !tags.is_empty() => {
                let tags: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
                format!(" Chosen when `{property}` is {}.", tags.join(" or "))
            }
            (Selection::Status, tags) if !tags.is_empty() => format!(" Returned with status {}.", tags.join(" or ")),
            _ => match &variant.key {
                Some(key) => format!(" Chosen when the object has `{key}`."),
                None => String::new(),
            },
        };
        let doc = if doc.is_empty() { TokenStream::new() } else { quote!(#[doc = #doc]) };
        quote! {
            #doc
            #rust_name(#ty)
        }
    });
    let choose = choose_variant(api, union);
    // Deserialize is implemented below.
    let derives = super::types::extra_derives(def, &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, serde::Serialize #(, #derives)*)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)] // values are held inline, as decoded; no box per value
        pub enum #name {
            #(#variants,)*
            /// A value that matches none of the variants, kept as the server sent it.
            #catch_all(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #choose
            }
        }
    }
}

fn variant_type(api: &Api, variant: &UnionVariant) -> TokenStream {
    let ty = value_type(api, &variant.value);
    if variant.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// The body of `deserialize`, with the whole value in `value`.
fn choose_variant(api: &Api, union: &Union) -> TokenStream {
    let catch_all = ident(&union.catch_all);
    let decode = |variant: &UnionVariant| {
        let rust_name = ident(&variant.rust_name);
        let ty = variant_type(api, variant);
        quote!(serde_json::from_value::<#ty>(value).map(Self::#rust_name).map_err(serde::de::Error::custom))
    };
    match &union.selection {
        Selection::Discriminator(property) => {
            let arms = union.variants.iter().filter(|v| !v.tags.is_empty()).map(|variant| {
                let tags = &variant.tags;
                let decode = decode(variant);
                quote!(#(Some(#tags))|* => #decode)
            });
            quote! {
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms,)*
                    _ => Ok(Self::#catch_all(value)),
                }
            }
        }
        Selection::Keys => {
            let checks = union.variants.iter().filter_map(|variant| {
                let key = variant.key.as_ref()?;
                let decode = decode(variant);
                Some(quote! {
                    if value.get(#key).is_some() {
                        return #decode;
                    }
                })
            });
            quote! {
                #(#checks)*
                Ok(Self::#catch_all(value))
            }
        }
        Selection::FirstMatch | Selection::Status => {
            let attempts = union.variants.iter().map(|variant| {
                let rust_name = ident(&variant.rust_name);
                let ty = variant_type(api, variant);
                quote! {
                    if let Ok(decoded) = serde_json::from_value::<#ty>(value.clone()) {
                        return Ok(Self::#rust_name(decoded));
                    }
                }
            });
            quote! {
                #(#attempts)*
                Ok(Self::#catch_all(value))
            }
        }
    }
}
