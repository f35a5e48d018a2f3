//! The enums of string (or literal) values: the variants, their `Serialize` and `Deserialize`
//! written out, and a catch-all variant for values the spec does not list.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::docs::doc_attrs;
use super::super::serde_gates::SerdeGates;
use super::super::{debug, deprecated_attr, ident};
use super::extra_derives;
use crate::model::{EnumValue, StringEnum, TypeDef, Variant};

pub(super) fn enum_item(def: &TypeDef, string_enum: &StringEnum) -> TokenStream {
    if !string_enum.all_strings() {
        return literal_enum_item(def, string_enum);
    }
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let catch_all = ident(&string_enum.catch_all);
    let (serialize_cfg, deserialize_cfg) = serde_cfgs(def);
    let variants = variant_declarations(string_enum);
    let arms = string_enum.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = &variant.wire_name;
        quote!(Self::#rust_name => #wire)
    });
    let listed = if string_enum.variants.is_empty() {
        quote!(|_| None)
    } else {
        let arms = string_enum.variants.iter().map(|variant| {
            let rust_name = ident(&variant.rust_name);
            let wire = &variant.wire_name;
            quote!(#wire => Some(Self::#rust_name))
        });
        quote! {
            |value| match value {
                #(#arms,)*
                _ => None,
            }
        }
    };
    let derives = extra_derives(def, &["Debug", "Clone", "PartialEq", "Eq", "Hash", "Serialize", "Deserialize"]);
    let (derive_debug, debug_impl) = enum_debug(def);
    // Serde by hand: one `match` on the string as read (copied only for the catch-all), where a
    // derived enum with an untagged catch-all buffers every value and tries each variant in turn.
    quote! {
        #doc
        #deprecated
        #[derive(#derive_debug Clone, PartialEq, Eq, Hash #(, #derives)*)]
        pub enum #name {
            #(#variants,)*
            /// A value the spec does not list, kept as the server sent it.
            #catch_all(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms,)*
                    Self::#catch_all(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #serialize_cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #deserialize_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::struct_de::string_enum(deserializer, #listed, Self::#catch_all)
            }
        }

        #debug_impl
    }
}

/// `Debug,` to derive, or (for a schema marked sensitive) a `Debug` impl that prints no value.
fn enum_debug(def: &TypeDef) -> (TokenStream, TokenStream) {
    if def.sensitive {
        (TokenStream::new(), debug::whole_value_redacted(def))
    } else {
        (quote!(Debug,), TokenStream::new())
    }
}

/// The variants of an enum, each with its docs.
fn variant_declarations(string_enum: &StringEnum) -> Vec<TokenStream> {
    string_enum
        .variants
        .iter()
        .map(|variant| {
            let rust_name = ident(&variant.rust_name);
            let doc = variant_doc(variant);
            quote!(#doc #rust_name)
        })
        .collect()
}

/// `"wire" => Self::Variant`: the arms that decode a value from its text.
fn decode_arms(string_enum: &StringEnum) -> Vec<TokenStream> {
    string_enum
        .variants
        .iter()
        .map(|variant| {
            let rust_name = ident(&variant.rust_name);
            let wire = &variant.wire_name;
            quote!(#wire => Self::#rust_name)
        })
        .collect()
}

/// `Self::Variant => serializer.serialize_…(value)`: each listed value written as its JSON type.
fn literal_serialize_arms(literal_enum: &StringEnum) -> Vec<TokenStream> {
    literal_enum
        .variants
        .iter()
        .map(|variant| {
            let rust_name = ident(&variant.rust_name);
            let call = match &variant.value {
                EnumValue::String(text) => quote!(serializer.serialize_str(#text)),
                EnumValue::Integer(integer) => quote!(serializer.serialize_i64(#integer)),
                EnumValue::Float(float) => {
                    let float = proc_macro2::Literal::f64_unsuffixed(*float);
                    quote!(serializer.serialize_f64(#float))
                }
                EnumValue::Boolean(flag) => quote!(serializer.serialize_bool(#flag)),
            };
            quote!(Self::#rust_name => #call)
        })
        .collect()
}

fn variant_doc(variant: &Variant) -> TokenStream {
    match &variant.doc {
        Some(doc) => {
            let doc = doc_attrs(Some(doc));
            let value = format!(" Sent as `{}`.", variant.wire_name);
            quote!(#doc #[doc = ""] #[doc = #value])
        }
        None => {
            let value = format!(" `{}`", variant.wire_name);
            quote!(#[doc = #value])
        }
    }
}

/// The `cfg`s of a type's hand-written `impl Serialize` and `impl Deserialize`.
fn serde_cfgs(def: &TypeDef) -> (TokenStream, TokenStream) {
    let gates = SerdeGates::of(def);
    (gates.serialize_cfg(), gates.deserialize_cfg())
}

/// An enum whose values include numbers or booleans. Serde attributes cannot express those, so
/// the impls are written out: a value decodes from its JSON literal or from the same text as a
/// string, and anything else is kept, as JSON, in the catch-all variant.
fn literal_enum_item(def: &TypeDef, literal_enum: &StringEnum) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let catch_all = ident(&literal_enum.catch_all);
    let (serialize_cfg, deserialize_cfg) = serde_cfgs(def);
    let variants = variant_declarations(literal_enum);
    let serialize_arms = literal_serialize_arms(literal_enum);
    let text_arms = decode_arms(literal_enum);
    let as_text_arms = literal_enum.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = &variant.wire_name;
        quote!(Self::#rust_name => std::borrow::Cow::Borrowed(#wire))
    });
    // Serialize and Deserialize are implemented below.
    let derives = extra_derives(def, &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    let (derive_debug, debug_impl) = enum_debug(def);
    quote! {
        #doc
        #deprecated
        #[derive(#derive_debug Clone, PartialEq #(, #derives)*)]
        pub enum #name {
            #(#variants,)*
            /// A value the spec does not list, kept as the server sent it.
            #catch_all(serde_json::Value),
        }

        impl #name {
            /// The value as text: a string as is, a number or boolean as its JSON literal.
            pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
                match self {
                    #(#as_text_arms,)*
                    Self::#catch_all(serde_json::Value::String(text)) => std::borrow::Cow::Borrowed(text),
                    Self::#catch_all(value) => std::borrow::Cow::Owned(value.to_string()),
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.as_text())
            }
        }

        #serialize_cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms,)*
                    Self::#catch_all(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #deserialize_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let text = match &value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                Ok(match text.as_str() {
                    #(#text_arms,)*
                    _ => Self::#catch_all(value),
                })
            }
        }

        #debug_impl
    }
}
