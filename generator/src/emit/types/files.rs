//! How the types are laid out in files: `src/types.rs` for the types every area compiles, and
//! one file under `src/types/` per set of areas, declared under those areas' `cfg`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::format::{self, Rendered};
use super::super::{cfg_any, ident};
use super::{alias_item, marker_item, type_items};
use crate::model::{Alias, Api, SerdeMarker, TypeDef, TypeId};
use crate::Error;

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
    let mapped_crates: Vec<String> = api.dependencies.keys().map(|name| name.replace('-', "_")).collect();
    let modules = area_modules(by_areas.keys(), &mapped_crates);
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

fn area_modules<'a>(sets: impl Iterator<Item = &'a Vec<&'a str>> + Clone, crates: &[String]) -> Vec<AreaModule<'a>> {
    let names = super::super::area_files::module_names(sets.clone().map(Vec::as_slice), crates);
    sets.zip(names).map(|(features, name)| AreaModule { features, name }).collect()
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
