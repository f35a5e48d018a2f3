//! A builder for every struct: one setter per field and a `build` that checks required fields.
//! A request type's `build` also checks the spec's constraints, so nothing invalid is sent; any
//! other type's builder is how tests and fixtures make values that keep compiling when the spec
//! adds optional fields (a struct literal would not).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rust_type::field_plain_type;
use super::{debug, deprecated_attr, ident};
use crate::model::{naming, Access, Api, Extra, Field, Struct, TypeDef};

/// Methods every builder has besides its setters: a field (and so its setter) never takes one
/// of these names.
pub const BUILDER_METHODS: &[&str] = &["build"];

pub fn builder(api: &Api, def: &TypeDef, object: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let builder_name = ident(def.builder_name.as_deref().unwrap_or("Builder"));
    let docs = BuilderDocs::of(def);
    let (start_doc, builder_doc, build_doc) = (&docs.start, &docs.builder, docs.build);
    let check =
        if def.in_request { quote!(crate::validation::Validate::validate(&value)?;) } else { TokenStream::new() };
    // Only tests build values of the other types, so their builders are compiled only for them.
    let gate = if def.in_request { TokenStream::new() } else { quote!(#[cfg(feature = "fixtures")]) };
    // A request-only type leaves out what the server sets; a value that is also received (or a
    // fixture) may need it.
    let skips_read_only = def.in_request && !def.in_response;
    let slots = object.fields.iter().map(|field| slot(api, field));
    let setters = object
        .fields
        .iter()
        .filter(|field| !(skips_read_only && field.access == Access::ReadOnly))
        .map(|field| setter(api, field));
    let inits = object.fields.iter().map(init);
    // Sensitive values set so far must not show in the builder's `Debug` either.
    let (derive_debug, debug_impl) = match &def.builder_name {
        Some(builder) if debug::builder_needs_impl(def, object) => {
            (TokenStream::new(), debug::builder_impl(def, object, builder))
        }
        _ => (quote!(Debug,), TokenStream::new()),
    };
    let extra = match &object.extra {
        Extra::Ignored => TokenStream::new(),
        Extra::Kept { field } | Extra::Typed { field, .. } => {
            let rust_name = ident(field);
            quote!(#rust_name: Default::default(),)
        }
    };

    let debug_impl = if debug_impl.is_empty() { debug_impl } else { quote!(#gate #debug_impl) };
    quote! {
        #gate
        impl #name {
            #[doc = #start_doc]
            #[inline]
            pub fn builder() -> #builder_name {
                <#builder_name as Default>::default()
            }
        }

        #[doc = #builder_doc]
        #gate
        #[derive(#derive_debug Clone, Default)]
        pub struct #builder_name {
            #(#slots,)*
        }

        #debug_impl

        #gate
        impl #builder_name {
            #(#setters)*

            #[doc = #build_doc]
            #[inline]
            pub fn build(self) -> Result<#name, crate::validation::ValidationError> {
                let value = #name {
                    #(#inits,)*
                    #extra
                };
                #check
                Ok(value)
            }
        }
    }
}

/// The docs of a builder, of the type's `builder()` and of `build`: a request type's builder
/// checks the spec's constraints, any other's is for fixtures.
struct BuilderDocs {
    builder: String,
    start: String,
    build: &'static str,
}

impl BuilderDocs {
    fn of(def: &TypeDef) -> Self {
        let builder_name = def.builder_name.as_deref().unwrap_or("Builder");
        if def.in_request {
            BuilderDocs {
                builder: format!(" Builds a [`{}`], checking it against the spec before handing it out.", def.name),
                start: format!(" Starts a [`{builder_name}`]; `build` checks required fields and constraints."),
                build: " Checks that every required field is set and every value follows the spec's constraints, and returns the value.",
            }
        } else {
            BuilderDocs {
                builder: format!(
                    " Builds a [`{}`], e.g. as a fixture in tests: unlike a struct literal, code that builds values this way keeps compiling when the spec adds optional properties. With the `fixtures` feature (which `mock` turns on).",
                    def.name
                ),
                start: format!(" Starts a [`{builder_name}`]; `build` checks that required fields are set."),
                build: " Checks that every required field is set and returns the value; like a value received from the server, it is not checked against the spec's other constraints.",
            }
        }
    }
}

/// The builder's field for a struct field: what was set so far.
fn slot(api: &Api, field: &Field) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    let plain = field_plain_type(api, field);
    if field.tri_state {
        quote!(#rust_name: crate::Nullable<#plain>)
    } else if field.required && field.value.nullable {
        quote!(#rust_name: Option<Option<#plain>>)
    } else {
        quote!(#rust_name: Option<#plain>)
    }
}

/// The setter of a field: a value, a `Nullable` for a tri-state one, an `Option` for a required
/// nullable one.
fn setter(api: &Api, field: &Field) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    let plain = field_plain_type(api, field);
    let doc = doc_attrs(field.doc.as_deref());
    let deprecated = deprecated_attr(field.deprecated);
    let deprecated = if naming::OPERATOR_METHODS.contains(&field.rust_name.as_str()) {
        // A setter named after the property, not an operator.
        quote!(#deprecated #[allow(clippy::should_implement_trait)])
    } else {
        deprecated
    };
    if field.tri_state {
        let how = if field.doc.is_some() { quote!(#[doc = ""]) } else { TokenStream::new() };
        quote! {
            #doc
            #how
            #[doc = " A value, or [`Nullable::Null`](crate::Nullable::Null) to send `null`; without a call, the property is left out."]
            #deprecated
            pub fn #rust_name(mut self, value: impl Into<crate::Nullable<#plain>>) -> Self {
                self.#rust_name = value.into();
                self
            }
        }
    } else if field.required && field.value.nullable {
        quote! {
            #doc
            #deprecated
            pub fn #rust_name(mut self, value: Option<#plain>) -> Self {
                self.#rust_name = Some(value);
                self
            }
        }
    } else {
        quote! {
            #doc
            #deprecated
            pub fn #rust_name(mut self, value: impl Into<#plain>) -> Self {
                self.#rust_name = Some(value.into());
                self
            }
        }
    }
}

/// A field's value in `build`: required ones checked, boxed ones boxed.
fn init(field: &Field) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    let wire = &field.wire_name;
    match (field.required, field.boxed) {
        (true, false) => quote!(#rust_name: crate::validation::required(self.#rust_name, #wire)?),
        // A required nullable value is an `Option` once it is known to be set.
        (true, true) if field.value.nullable => {
            quote!(#rust_name: crate::validation::required(self.#rust_name, #wire)?.map(Box::new))
        }
        (true, true) => quote!(#rust_name: Box::new(crate::validation::required(self.#rust_name, #wire)?)),
        // `Option::map` and `Nullable::map` alike.
        (false, true) => quote!(#rust_name: self.#rust_name.map(Box::new)),
        (false, false) => quote!(#rust_name: self.#rust_name),
    }
}
