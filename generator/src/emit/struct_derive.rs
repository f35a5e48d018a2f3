//! Structs as they were before `struct_de.rs`: `#[derive(serde::Deserialize)]` with the field
//! attributes the derive needs, in place of the generated `impl Deserialize` and `impl
//! FromObject`. Only for testing: `cargo xtask difftest` builds a fixture both ways and checks
//! that the two decode the same inputs alike ([`crate::Options::derived_deserialize`]). The
//! struct's fields, its `Serialize` and its `Debug` are the same as in the usual output.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rust_type::{attribute_path, field_adapter, field_type, value_adapter, value_type};
use super::serde_gates::SerdeGates;
use super::{debug, deprecated_attr, ident};
use crate::model::{Api, Extra, Field, Shape, Struct, TypeDef};

/// A struct with derived `Serialize` and `Deserialize`.
pub(super) fn struct_item(api: &Api, def: &TypeDef, object: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let deprecated = deprecated_attr(def.deprecated);
    let gates = DeriveGates::of(def);
    let fields = object.fields.iter().map(|field| struct_field(api, def, field, gates));
    let extra = extra_field(api, &object.extra, gates);
    let derives = super::types::extra_derives(def, &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
    let derive_serialize = SerdeGates::of(def).derive_serialize();
    let derive_deserialize = gates.derive_deserialize();
    let any_present = object.fields.iter().any(is_any_present).then(|| any_present_fn(def, gates));
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
        #derive_deserialize
        pub struct #name {
            #(#fields,)*
            #extra
        }

        #any_present
        #debug_impl
    }
}

/// Which of the two derives wait for the `serde-all` feature (as [`SerdeGates`] decides), and
/// so under which `cfg` a `#[serde(…)]` attribute stands: it needs one of the derives.
#[derive(Clone, Copy)]
struct DeriveGates {
    serialize: bool,
    deserialize: bool,
}

impl DeriveGates {
    fn of(def: &TypeDef) -> Self {
        DeriveGates { serialize: !def.in_request, deserialize: !def.in_response && !def.in_unused }
    }

    fn derive_deserialize(self) -> TokenStream {
        if self.deserialize {
            quote!(#[cfg_attr(feature = "serde-all", derive(serde::Deserialize))])
        } else {
            quote!(#[derive(serde::Deserialize)])
        }
    }

    fn serde_attr(self, inner: TokenStream) -> TokenStream {
        if self.serialize && self.deserialize {
            quote!(#[cfg_attr(feature = "serde-all", serde(#inner))])
        } else {
            quote!(#[serde(#inner)])
        }
    }
}

/// An optional property of any JSON value, whose `null` is kept as `Some(Value::Null)`.
fn is_any_present(field: &Field) -> bool {
    !field.required && !field.tri_state && matches!(field.value.shape, Shape::Any)
}

/// The name of the function that reads such a property for struct `def`.
fn any_present_name(def: &TypeDef) -> String {
    format!("any_present_{}", def.name)
}

/// A value of any JSON for `deserialize_with`, as `Some` even when it is `null`.
fn any_present_fn(def: &TypeDef, gates: DeriveGates) -> TokenStream {
    let name = ident(&any_present_name(def));
    let cfg = if gates.deserialize { quote!(#[cfg(feature = "serde-all")]) } else { TokenStream::new() };
    quote! {
        #cfg
        #[allow(non_snake_case)]
        fn #name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error> {
            <serde_json::Value as serde::Deserialize>::deserialize(deserializer).map(Some)
        }
    }
}

fn struct_field(api: &Api, def: &TypeDef, field: &Field, gates: DeriveGates) -> TokenStream {
    let name = ident(&field.rust_name);
    let ty = field_type(api, field);
    let doc = doc_attrs(field.doc.as_deref());
    let deprecated = deprecated_attr(field.deprecated);
    let mut serde: Vec<TokenStream> = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        serde.push(quote!(rename = #wire));
    }
    if field.tri_state {
        serde.push(quote!(default, skip_serializing_if = "crate::Nullable::is_absent"));
    } else if !field.required {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
        if is_any_present(field) {
            let function = any_present_name(def);
            serde.push(quote!(deserialize_with = #function));
        }
    }
    if let Some(adapter) = field_adapter(api, field) {
        // A required nullable field that is absent decodes as `None`, as it does without `with`.
        if field.required && field.value.nullable {
            serde.push(quote!(default));
        }
        let serialize = attribute_path(quote!(crate::mapped_serde::serialize::<#adapter, _, _>));
        let deserialize = attribute_path(quote!(crate::mapped_serde::deserialize::<#adapter, _, _>));
        serde.push(quote!(serialize_with = #serialize, deserialize_with = #deserialize));
    }
    let serde = if serde.is_empty() { TokenStream::new() } else { gates.serde_attr(quote!(#(#serde),*)) };
    quote! {
        #doc
        #deprecated
        #serde
        pub #name: #ty
    }
}

fn extra_field(api: &Api, extra: &Extra, gates: DeriveGates) -> TokenStream {
    match extra {
        Extra::Ignored => TokenStream::new(),
        Extra::Kept { field } => {
            let name = ident(field);
            let flatten = gates.serde_attr(quote!(flatten));
            quote! {
                /// Properties the schema does not declare.
                #flatten
                pub #name: serde_json::Map<String, serde_json::Value>,
            }
        }
        Extra::Typed { field, value } => {
            let name = ident(field);
            let serde = match value_adapter(api, value) {
                Some(adapter) => {
                    let adapter = quote!(crate::mapped_serde::MapOf<#adapter>);
                    let serialize = attribute_path(quote!(crate::mapped_serde::serialize::<#adapter, _, _>));
                    let deserialize = attribute_path(quote!(crate::mapped_serde::deserialize::<#adapter, _, _>));
                    gates.serde_attr(quote!(flatten, serialize_with = #serialize, deserialize_with = #deserialize))
                }
                None => gates.serde_attr(quote!(flatten)),
            };
            let value = value_type(api, value);
            quote! {
                /// Properties beyond the declared ones, by name.
                #serde
                pub #name: std::collections::BTreeMap<String, #value>,
            }
        }
    }
}
