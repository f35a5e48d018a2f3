//! The `Deserialize` of each struct in `src/types.rs`: what is the struct's own of the runtime's
//! `FromObject` (`struct_de.rs`): which property names are its fields, how each field's value is
//! read, and how the struct is put together. The loop over the object's properties, the checks
//! and the errors are the runtime's, shared by every struct.
//!
//! This is what serde's derive would do for the struct, without the derive's buffering of every
//! property when unknown ones are kept (`#[serde(flatten)]`), its reading of a struct from a JSON
//! array, and its per-struct copies of the shared parts: a fraction of the code to compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::rust_type::{adapter_of_field, field_adapter, field_type, value_adapter, value_type};
use super::serde_gates::SerdeGates;
use crate::model::{Api, Extra, Field, Shape, Struct, TypeDef};

/// `impl Deserialize` and `impl FromObject` for a struct.
pub(super) fn struct_deserialize(api: &Api, def: &TypeDef, object: &Struct, gates: SerdeGates) -> TokenStream {
    let cfg = gates.deserialize_cfg();
    let name = ident(&def.name);
    let rust_name = &def.name;
    let reads: Vec<FieldRead> = object.fields.iter().map(|field| FieldRead::of(api, field)).collect();
    let others = Others::of(api, &object.extra);
    let slot_types = reads.iter().map(|read| &read.slot_type).chain(others.as_ref().map(|others| &others.ty));
    let empty = reads.iter().map(|_| quote!(None)).chain(others.as_ref().map(|_| quote!(Default::default())));
    let field_fn = field_fn(&reads);
    let read_field_fn = read_field_fn(&reads);
    let read_other_fn = others.as_ref().map(|others| others.read_fn(reads.len()));
    let finish_fn = finish_fn(&reads, others.as_ref());
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::struct_de::deserialize(deserializer)
            }
        }

        #cfg
        impl crate::struct_de::FromObject for #name {
            const NAME: &'static str = #rust_name;
            type Slots = (#(#slot_types,)*);

            #[inline]
            fn slots() -> Self::Slots {
                (#(#empty,)*)
            }

            #field_fn
            #read_field_fn
            #read_other_fn
            #finish_fn
        }
    }
}

/// How one field is read, and what its slot holds.
struct FieldRead {
    name: proc_macro2::Ident,
    wire_name: String,
    slot_type: TokenStream,
    /// The statement reading the value into slot `slot`.
    put: TokenStream,
    /// How the field's value comes from its slot, named after the field.
    value: FromSlot,
}

/// How `finish` turns a field's slot into its value.
enum FromSlot {
    /// The slot is the value.
    Itself,
    /// An absent value is the type's default (`None`, `Nullable::Absent`).
    OrDefault,
    /// The property is required: an empty slot is a missing field.
    Required,
}

impl FieldRead {
    fn of(api: &Api, field: &Field) -> Self {
        let name = ident(&field.rust_name);
        let wire_name = field.wire_name.clone();
        let ty = field_type(api, field);
        // An optional property of any JSON value keeps a `null` sent as `Some(Value::Null)`:
        // its slot is the field itself.
        let present = !field.required && !field.tri_state && matches!(field.value.shape, Shape::Any);
        let adapter = field_adapter(api, field).or_else(|| date_adapter(field));
        let (slot_type, value) = if present {
            (ty, FromSlot::Itself)
        } else if field.tri_state || field.is_option() {
            (quote!(Option<#ty>), FromSlot::OrDefault)
        } else {
            (quote!(Option<#ty>), FromSlot::Required)
        };
        let put = match adapter {
            Some(adapter) => quote!(crate::mapped_serde::put_with::<#adapter, _, _>),
            None => quote!(crate::struct_de::put),
        };
        FieldRead { name, wire_name, slot_type, put, value }
    }
}

/// For a field that holds a date or a date-time, the runtime's reading of the usual spellings
/// (`dates.rs`), which chrono's general parser takes several times as long over.
fn date_adapter(field: &Field) -> Option<TokenStream> {
    let inner = match field.value.shape {
        Shape::Date => quote!(crate::dates::Date),
        Shape::DateTime => quote!(crate::dates::DateTimeUtc),
        _ => return None,
    };
    Some(adapter_of_field(field, inner))
}

/// The properties a struct keeps beyond its fields: their map's type and how a value is read.
struct Others {
    name: proc_macro2::Ident,
    ty: TokenStream,
    keep: TokenStream,
}

impl Others {
    fn of(api: &Api, extra: &Extra) -> Option<Self> {
        match extra {
            Extra::Ignored => None,
            Extra::Kept { field } => Some(Others {
                name: ident(field),
                ty: quote!(serde_json::Map<String, serde_json::Value>),
                keep: quote!(crate::struct_de::keep),
            }),
            Extra::Typed { field, value } => {
                let item = value_type(api, value);
                let keep = match value_adapter(api, value) {
                    Some(adapter) => quote!(crate::mapped_serde::keep_with::<#adapter, _, _>),
                    None => quote!(crate::struct_de::keep),
                };
                Some(Others { name: ident(field), ty: quote!(std::collections::BTreeMap<String, #item>), keep })
            }
        }
    }

    /// `KEEPS_OTHERS` and `read_other`, the map being slot `slot`.
    fn read_fn(&self, slot: usize) -> TokenStream {
        let slot = syn::Index::from(slot);
        let keep = &self.keep;
        quote! {
            const KEEPS_OTHERS: bool = true;

            fn read_other<'de, A: serde::de::MapAccess<'de>>(
                slots: &mut Self::Slots,
                name: String,
                map: &mut A,
            ) -> Result<(), A::Error> {
                #keep(&mut slots.#slot, name, map)
            }
        }
    }
}

/// `field`: a property name to its field's number. It is `#[inline]` so that the caller's copy
/// of the runtime's key reading compiles the `match` in place: a few length tests and compares
/// against constants, as serde's derive has.
fn field_fn(reads: &[FieldRead]) -> Option<TokenStream> {
    if reads.is_empty() {
        return None;
    }
    let arms = reads.iter().enumerate().map(|(number, read)| {
        let wire_name = &read.wire_name;
        let number = field_number(number);
        quote!(#wire_name => Some(#number))
    });
    Some(quote! {
        #[inline]
        fn field(name: &str) -> Option<u16> {
            match name {
                #(#arms,)*
                _ => None,
            }
        }
    })
}

/// `read_field`: a field's value read into its slot. `#[inline]`, so that in an optimised
/// build it compiles into the struct's key loop, as the derive's field `match` does.
fn read_field_fn(reads: &[FieldRead]) -> TokenStream {
    if reads.is_empty() {
        return quote! {
            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                _: &mut Self::Slots,
                _: u16,
                _: &mut A,
            ) -> Result<(), A::Error> {
                Ok(())
            }
        };
    }
    let arms = reads.iter().enumerate().map(|(number, read)| {
        let slot = syn::Index::from(number);
        let number = field_number(number);
        let (put, wire_name) = (&read.put, &read.wire_name);
        quote!(#number => #put(&mut slots.#slot, map, #wire_name))
    });
    quote! {
        #[inline]
        fn read_field<'de, A: serde::de::MapAccess<'de>>(
            slots: &mut Self::Slots,
            field: u16,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match field {
                #(#arms,)*
                _ => Ok(()),
            }
        }
    }
}

/// `finish`: the struct from its slots.
fn finish_fn(reads: &[FieldRead], others: Option<&Others>) -> TokenStream {
    if reads.is_empty() && others.is_none() {
        return quote! {
            #[inline]
            fn finish(_: Self::Slots) -> Result<Self, &'static str> {
                Ok(Self {})
            }
        };
    }
    let names = reads.iter().map(|read| &read.name).chain(others.map(|others| &others.name));
    // A `let … else` per required field, in order, so that the first one missing is named:
    // plain matches, where `ok_or(…)?` would instantiate `ok_or` and `?`'s conversions.
    let required = reads.iter().filter(|read| matches!(read.value, FromSlot::Required)).map(|read| {
        let (name, wire_name) = (&read.name, &read.wire_name);
        quote!(let Some(#name) = #name else { return Err(#wire_name) };)
    });
    let values = reads.iter().map(|read| {
        let name = &read.name;
        match read.value {
            FromSlot::OrDefault => quote!(#name: #name.unwrap_or_default()),
            FromSlot::Itself | FromSlot::Required => quote!(#name),
        }
    });
    let others = others.map(|others| &others.name);
    quote! {
        #[inline]
        fn finish(slots: Self::Slots) -> Result<Self, &'static str> {
            let (#(#names,)*) = slots;
            #(#required)*
            Ok(Self {
                #(#values,)*
                #others
            })
        }
    }
}

/// A field's number as the generated code writes it (`0u16` would be noise: `u16` is the
/// type of the arms).
fn field_number(number: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(u16::try_from(number).unwrap_or(u16::MAX))
}
