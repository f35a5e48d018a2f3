//! `src/types.rs`: one struct or enum per named schema.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{RustType, WithPath};
use crate::Error;

use super::docs::doc_attrs;
use super::format::Rendered;
use super::rust_type::{attribute_path, field_adapter, field_type, value_adapter, value_type};
use super::serde_gates::SerdeGates;
use super::{builders, cfg_any, debug, deprecated_attr, format, ident, struct_de, unions, validate};
use crate::model::{
    Access, Alias, Api, EnumValue, Extra, Field, SerdeMarker, StringEnum, Struct, TypeDef, TypeId, TypeKind, Variant,
};

/// One item of `src/types.rs`.
enum Item<'a> {
    Type(TypeId, &'a TypeDef),
    Alias(usize, &'a Alias),
    /// A `with` module's marker, through which fields (de)serialize the values it is named for.
    Marker(&'a SerdeMarker),
}

impl<'a> Item<'a> {
    fn all(api: &'a Api) -> Vec<Item<'a>> {
        let types = api.types.iter().enumerate().map(|(index, def)| Item::Type(TypeId(index), def));
        let aliases = api.aliases.iter().enumerate().map(|(index, alias)| Item::Alias(index, alias));
        types.chain(aliases).chain(api.serde_markers.iter().map(Item::Marker)).collect()
    }

    /// The area features any of which compiles the item (none: always compiled).
    fn areas(&self, api: &'a Api) -> Vec<&'a str> {
        let Some(areas) = api.areas.as_ref() else { return Vec::new() };
        match *self {
            Item::Type(id, _) => areas.of_type(id),
            Item::Alias(index, _) => areas.of_alias(index),
            Item::Marker(_) => Vec::new(),
        }
    }

    fn tokens(&self, api: &Api) -> TokenStream {
        match *self {
            Item::Type(_, def) => type_items(api, def),
            Item::Alias(_, alias) => alias_item(api, alias),
            Item::Marker(marker) => marker_item(marker),
        }
    }

    /// The item's tokens, under the `cfg` of the area features that need it.
    fn render(&self, api: &Api) -> Rendered {
        Rendered { tokens: self.tokens(api), cfg: cfg_any(&self.areas(api)) }
    }
}

/// `src/types.rs`, and a file under `src/types/` for each set of areas that compiles types,
/// printed (they are most of a large crate, so each is printed on several threads).
///
/// `src/types.rs` holds the types every area compiles. The others are grouped by the areas that
/// need them, each group a module whose `mod` line carries the areas' `cfg`: rustc does not even
/// read the file of a module that is off, which would otherwise be most of what compiling one
/// area of a large API costs. The modules are private and their types re-exported, so every type
/// is named `crate::types::Name` whichever file holds it.
pub fn types_files(api: &Api) -> Result<Vec<(String, String)>, Error> {
    let mut by_areas: BTreeMap<Vec<&str>, Vec<Item>> = BTreeMap::new();
    for item in Item::all(api) {
        by_areas.entry(item.areas(api)).or_default().push(item);
    }
    let always = by_areas.remove(&Vec::new()).unwrap_or_default();
    let modules = area_modules(by_areas.keys());
    let header = types_header(&modules);
    let text = format::format_in_parallel("src/types.rs", header, &always, |item| item.render(api))?;
    let mut files = vec![("src/types.rs".to_string(), text)];
    for (items, module) in by_areas.values().zip(&modules) {
        let path = format!("src/types/{}.rs", module.name);
        let text = format::format_in_parallel(&path, module.header(), items, |item| Rendered::from(item.tokens(api)))?;
        files.push((path, text));
    }
    Ok(files)
}

/// The module of the types a set of areas compiles: the areas' features, and the module's name
/// (the features in snake case joined by `_and_`, or the first and a count when that is long,
/// made an identifier and unique).
struct AreaModule<'a> {
    features: &'a [&'a str],
    name: String,
}

impl AreaModule<'_> {
    /// The module's docs, and the import of the types every area compiles.
    fn header(&self) -> TokenStream {
        let features: Vec<String> = self.features.iter().map(|feature| format!("`{feature}`")).collect();
        let doc = match &features[..] {
            [feature] => format!(" The types that only the {feature} feature compiles (see [`crate::types`])."),
            _ => format!(
                " The types that the features {} compile, and no other (see [`crate::types`]).",
                features.join(", ")
            ),
        };
        quote! {
            #![doc = #doc]

            #[allow(unused_imports, reason = "the types every area compiles, which some name none of")]
            use super::*;
        }
    }

    /// The `mod` line and the re-export of its types, under the areas' `cfg`.
    fn declaration(&self) -> TokenStream {
        let name = ident(&self.name);
        let cfg = cfg_any(self.features);
        quote! {
            #cfg
            mod #name;
            #cfg
            pub use #name::*;
        }
    }
}

/// How long a module's name may grow before the features after the first are only counted.
const MODULE_NAME_LIMIT: usize = 48;

fn area_modules<'a>(sets: impl Iterator<Item = &'a Vec<&'a str>>) -> Vec<AreaModule<'a>> {
    let mut taken = BTreeSet::new();
    sets.map(|features| {
        let snake: Vec<String> = features.iter().map(|feature| feature.to_snake_case()).collect();
        let mut name = snake.join("_and_");
        if name.len() > MODULE_NAME_LIMIT {
            name = format!("{}_and_{}_more", snake[0], snake.len() - 1);
        }
        if syn::parse_str::<syn::Ident>(&name).is_err() {
            name = format!("area_{name}");
        }
        let base = name.clone();
        for number in 2.. {
            if taken.insert(name.clone()) {
                break;
            }
            name = format!("{base}_{number}");
        }
        AreaModule { features, name }
    })
    .collect()
}

/// The module documentation and attributes of `src/types.rs`, and the modules of the types
/// only some areas compile.
fn types_header(modules: &[AreaModule]) -> TokenStream {
    let modules = modules.iter().map(AreaModule::declaration);
    quote! {
        //! Request and response types, one for each schema of the spec.
        //!
        //! Responses decode leniently: properties a type does not declare are ignored, or kept
        //! when the schema allows additional properties, and enum values this crate does not know
        //! land in a catch-all variant.
        //!
        //! Every struct has a builder (`Type::builder()`, one setter per property, then `build()`).
        //! For types sent in requests, `build()` checks the spec's rules before anything is sent.
        //! The builders of the other types, with the `fixtures` feature (which `mock` turns on),
        //! check only that required properties are set: use them to make values in tests, where
        //! they keep compiling when the spec adds optional properties (a struct literal would not).
        //!
        //! A property that may be left out is an `Option`; one that may also be `null` is a
        //! [`Nullable`](crate::Nullable), which tells the two apart (`Absent`, `Null` or a
        //! `Value`), so that an update can clear a value by sending `null` and a response says
        //! exactly what the server sent.
        //!
        //! `Debug` never prints what the spec or codegen.toml marks sensitive (`[redacted]` in its
        //! place), nor the values of properties a schema does not declare (only their names).
        #![allow(deprecated)]

        #(#modules)*
    }
}

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

/// The whole of `src/types.rs` as one token stream: what [`types_file`] prints in parallel,
/// kept to check that printing in runs gives the same text.
#[cfg(test)]
fn types_rs(api: &Api) -> TokenStream {
    let header = types_header(&[]);
    let items = api.types.iter().map(|def| type_items(api, def));
    let aliases = api.aliases.iter().map(|alias| alias_item(api, alias));
    let markers = api.serde_markers.iter().map(marker_item);
    quote! {
        #header
        #(#items)*
        #(#aliases)*
        #(#markers)*
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

fn enum_item(def: &TypeDef, string_enum: &StringEnum) -> TokenStream {
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

/// The config's derives for `def` (see [`TypeDef::derives`]), to follow the item's own in its
/// `#[derive(…)]`, leaving out the traits it derives or implements already (`present`, by name).
pub(super) fn extra_derives(def: &TypeDef, present: &[&str]) -> Vec<TokenStream> {
    def.derives.iter().filter(|derive| !present.contains(&derive.name())).map(|derive| derive.tokens()).collect()
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

/// An enum whose values include numbers or booleans. Serde attributes cannot express those, so
/// the impls are written out: a value decodes from its JSON literal or from the same text as a
/// string, and anything else is kept, as JSON, in the catch-all variant.
/// The `cfg`s of a type's hand-written `impl Serialize` and `impl Deserialize`.
fn serde_cfgs(def: &TypeDef) -> (TokenStream, TokenStream) {
    let gates = SerdeGates::of(def);
    (gates.serialize_cfg(), gates.deserialize_cfg())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_in_runs_gives_the_same_text_as_printing_at_once() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
        let document = crate::load::load(&spec).expect("the spec loads").document;
        let mut api = crate::model::lower(&document, None).expect("the spec lowers");
        // `types_rs` leaves out the areas' `cfg`s, which the printer adds per item.
        api.areas = None;
        let at_once = format::format_rust("src/types.rs", types_rs(&api)).expect("prints");
        let in_runs =
            format::format_in_chunks("src/types.rs", types_header(&[]), &Item::all(&api), |item| item.render(&api), 7)
                .expect("prints");
        assert_eq!(in_runs, at_once);
        assert_eq!(types_files(&api).expect("prints"), [("src/types.rs".to_string(), at_once)]);
    }
}
