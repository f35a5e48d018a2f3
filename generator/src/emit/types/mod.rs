//! The types of `src/types.rs` and `src/types/`: one struct, enum or union per named schema,
//! with its builder and `Validate`; aliases; the markers of codegen.toml's `with` modules.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{RustType, WithPath};

use super::docs::doc_attrs;
use super::rust_type::{attribute_path, field_adapter, field_type, value_adapter, value_type};
use super::serde_gates::SerdeGates;
use super::{builders, debug, deprecated_attr, ident, struct_de, unions, validate};
use crate::model::{Access, Alias, Api, Extra, Field, SerdeMarker, Struct, TypeDef, TypeKind};

mod enums;
mod files;

use enums::enum_item;
pub use files::types_files;

fn type_items(api: &Api, def: &TypeDef) -> TokenStream {
    let definition = match &def.kind {
        TypeKind::Struct(object) => struct_item(api, def, object),
        TypeKind::Enum(string_enum) => enum_item(def, string_enum),
        TypeKind::Union(union) => unions::union_item(api, def, union),
    };
    let builder = match &def.kind {
        TypeKind::Struct(object) => builders::builder(api, def, object),
        _ => TokenStream::new(),
    };
    let validate = if def.in_request { validate::impl_validate(api, def) } else { TokenStream::new() };
    quote! { #definition #builder #validate }
}

fn alias_item(api: &Api, alias: &Alias) -> TokenStream {
    let name = ident(&alias.name);
    let doc = doc_attrs(alias.doc.as_deref());
    let deprecated = deprecated_attr(alias.deprecated);
    let value = value_type(api, &alias.value);
    quote! {
        #doc
        #deprecated
        pub type #name = #value;
    }
}

/// The marker of a `with` module: a zero-sized type implementing the runtime's `SerdeWith` for
/// each type the module is named for, by calling the module.
fn marker_item(marker: &SerdeMarker) -> TokenStream {
    let name = ident(&marker.name);
    let module = marker.module.tokens();
    let doc = format!(
        " (De)serializes the values codegen.toml maps with `{}`, wherever this crate's types hold them.",
        marker.module.as_str()
    );
    let impls = marker.types.iter().map(|ty| {
        let read = runtime_reader(&marker.module, ty).unwrap_or_else(|| quote!(#module::deserialize));
        let ty = ty.tokens();
        quote! {
            impl crate::mapped_serde::SerdeWith<#ty> for #name {
                fn serialize<S: serde::Serializer>(value: &#ty, serializer: S) -> Result<S::Ok, S::Error> {
                    #module::serialize(value, serializer)
                }

                fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<#ty, D::Error> {
                    #read(deserializer)
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        pub(crate) struct #name;

        #(#impls)*
    }
}

/// The runtime's own reading of a type a `with` module maps, where it has one: the module's
/// values and errors, faster (the runtime's tests compare the two). Writing always goes through
/// the module.
pub(super) fn runtime_reader(module: &WithPath, ty: &RustType) -> Option<TokenStream> {
    match (module.as_str(), ty.as_str()) {
        // Money as JSON numbers: rust_decimal prints each `f64` and parses the text.
        ("rust_decimal::serde::float", "rust_decimal::Decimal") => Some(quote!(crate::decimal_float::deserialize)),
        _ => None,
    }
}

fn struct_item(api: &Api, def: &TypeDef, object: &Struct) -> TokenStream {
    if api.derived_deserialize {
        return super::struct_derive::struct_item(api, def, object);
    }
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let gates = SerdeGates::of(def);
    let fields = object.fields.iter().map(|field| struct_field(api, field, gates));
    let extra = extra_field(api, &object.extra, gates);
    let derives = extra_derives(def, &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    // Read from JSON by the runtime's shared loop, with only the per-field parts generated.
    let deserialize = struct_de::struct_deserialize(api, def, object, gates);
    let derive_serialize = gates.derive_serialize();
    // Sensitive fields and undeclared properties must not show in `Debug`: it is written out.
    let (derive_debug, debug_impl) = if debug::struct_needs_impl(def, object) {
        (TokenStream::new(), debug::struct_impl(def, object))
    } else {
        (quote!(Debug,), TokenStream::new())
    };
    quote! {
        #doc
        #deprecated
        #[derive(#derive_debug Clone, PartialEq #(, #derives)*)]
        #derive_serialize
        pub struct #name {
            #(#fields,)*
            #extra
        }

        #deserialize
        #debug_impl
    }
}

fn struct_field(api: &Api, field: &Field, gates: SerdeGates) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type(api, field);
    let doc = doc_attrs(field.doc.as_deref());
    let access = match field.access {
        Access::ReadWrite => TokenStream::new(),
        Access::ReadOnly => quote!(#[doc = ""] #[doc = " Read-only: the server sets it; requests leave it out."]),
        Access::WriteOnly => quote!(#[doc = ""] #[doc = " Write-only: sent in requests, never returned."]),
    };
    let doc = quote!(#doc #access);
    let deprecated = deprecated_attr(field.deprecated);
    let rename = if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        gates.serde_attr(quote!(rename = #wire))
    } else {
        TokenStream::new()
    };
    // How the derived `Serialize` writes the field: `skip_serializing_if` for what may be
    // absent, and the `with` module's adapter: one `#[serde(…)]`. (`Deserialize` is generated,
    // in `struct_de.rs`.)
    let mut serde: Vec<TokenStream> = Vec::new();
    if field.tri_state {
        serde.push(quote!(skip_serializing_if = "crate::Nullable::is_absent"));
    } else if !field.required {
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if let Some(adapter) = field_adapter(api, field) {
        let serialize = attribute_path(quote!(crate::mapped_serde::serialize::<#adapter, _, _>));
        serde.push(quote!(serialize_with = #serialize));
    }
    let serde = if serde.is_empty() { TokenStream::new() } else { gates.serde_attr(quote!(#(#serde),*)) };
    quote! {
        #doc
        #deprecated
        #rename
        #serde
        pub #name: #ty
    }
}

fn extra_field(api: &Api, extra: &Extra, gates: SerdeGates) -> TokenStream {
    let flatten = gates.serde_attr(quote!(flatten));
    match extra {
        Extra::Ignored => TokenStream::new(),
        Extra::Kept { field } => {
            let name = ident(field);
            quote! {
                /// Properties the schema does not declare, kept as sent so that they survive a
                /// round trip.
                #flatten
                pub #name: serde_json::Map<String, serde_json::Value>,
            }
        }
        Extra::Typed { field, value } => {
            let name = ident(field);
            let with = value_adapter(api, value).map(|adapter| {
                let adapter = quote!(crate::mapped_serde::MapOf<#adapter>);
                let serialize = attribute_path(quote!(crate::mapped_serde::serialize::<#adapter, _, _>));
                gates.serde_attr(quote!(serialize_with = #serialize))
            });
            let value = value_type(api, value);
            quote! {
                /// Properties beyond the declared ones, by name.
                #flatten
                #with
                pub #name: std::collections::BTreeMap<String, #value>,
            }
        }
    }
}

/// The config's derives for `def` (see [`TypeDef::derives`]), to follow the item's own in its
/// `#[derive(…)]`, leaving out the traits it derives or implements already (`present`, by name).
pub(super) fn extra_derives(def: &TypeDef, present: &[&str]) -> Vec<TokenStream> {
    def.derives.iter().filter(|derive| !present.contains(&derive.name())).map(|derive| derive.tokens()).collect()
}
