//! `oneOf` / `anyOf` as Rust enums: one variant per member plus a catch-all. Serialization
//! writes the active member as is; deserialization chooses the member the model's
//! [`Selection`] says, so no member ever silently swallows another's values.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rust_type::{attribute_path, value_adapter, value_type};
use super::{debug, deprecated_attr, ident};
use crate::model::{Api, Selection, TypeDef, Union, UnionVariant};

pub fn union_item(api: &Api, def: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let catch_all = ident(&union.catch_all);
    let gates = super::serde_gates::SerdeGates::of(def);
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
        let with = variant_adapter(api, variant).map(|adapter| {
            let serialize = attribute_path(quote!(crate::mapped_serde::serialize::<#adapter, _, _>));
            gates.serde_attr(quote!(serialize_with = #serialize))
        });
        quote! {
            #doc
            #with
            #rust_name(#ty)
        }
    });
    let choose = choose_variant(api, union);
    // Deserialize is implemented below.
    let derives = super::types::extra_derives(def, &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    // The catch-all holds JSON no schema describes, so `Debug` is written out to hide it.
    let debug = debug::union_impl(def, union);
    let (derive_serialize, untagged) = (gates.derive_serialize(), gates.serde_attr(quote!(untagged)));
    let deserialize_cfg = gates.deserialize_cfg();
    quote! {
        #doc
        #deprecated
        #[derive(Clone, PartialEq #(, #derives)*)]
        #derive_serialize
        #untagged
        #[allow(clippy::large_enum_variant)] // values are held inline, as decoded; no box per value
        pub enum #name {
            #(#variants,)*
            /// A value that matches none of the variants, kept as the server sent it.
            #catch_all(serde_json::Value),
        }

        #deserialize_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #choose
            }
        }

        #debug
    }
}

/// The adapter through which a variant's value is (de)serialized, when it holds a `with` module.
fn variant_adapter(api: &Api, variant: &UnionVariant) -> Option<TokenStream> {
    let adapter = value_adapter(api, &variant.value)?;
    Some(if variant.boxed { quote!(crate::mapped_serde::BoxOf<#adapter>) } else { adapter })
}

/// An expression decoding the variant's type from the `serde_json::Value` `value` (moved), as a
/// `Result` whose error is `serde_json::Error`.
fn decode_value(api: &Api, variant: &UnionVariant, value: TokenStream) -> TokenStream {
    match variant_adapter(api, variant) {
        Some(adapter) => quote!(crate::mapped_serde::deserialize::<#adapter, _, _>(#value)),
        None => {
            let ty = variant_type(api, variant);
            quote!(serde_json::from_value::<#ty>(#value))
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
        let decoded = decode_value(api, variant, quote!(value));
        quote!(#decoded.map(Self::#rust_name).map_err(serde::de::Error::custom))
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
                let decoded = decode_value(api, variant, quote!(value.clone()));
                quote! {
                    if let Ok(decoded) = #decoded {
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
