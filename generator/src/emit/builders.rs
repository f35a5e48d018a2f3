//! A builder for every struct: one setter per field and a `build` that checks required fields.
//! A request type's `build` also checks the spec's constraints, so nothing invalid is sent; any
//! other type's builder is how tests and fixtures make values that keep compiling when the spec
//! adds optional fields (a struct literal would not).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::rust_type::field_plain_type;
use super::{debug, deprecated_attr, ident};
use crate::model::{naming, Access, Api, Extra, Struct, TypeDef};

pub fn builder(api: &Api, def: &TypeDef, object: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let builder_name = format_ident!("{}", def.builder_name.as_deref().unwrap_or("Builder"));
    let (builder_doc, start_doc, build_doc, check) = if def.in_request {
        (
            format!(" Builds a [`{}`], checking it against the spec before handing it out.", def.name),
            format!(" Starts a [`{builder_name}`]; `build` checks required fields and constraints."),
            " Checks that every required field is set and every value follows the spec's constraints, and returns the value.",
            quote!(crate::validation::Validate::validate(&value)?;),
        )
    } else {
        (
            format!(
                " Builds a [`{}`], e.g. as a fixture in tests: unlike a struct literal, code that builds values this way keeps compiling when the spec adds optional properties. With the `fixtures` feature (which `mock` turns on).",
                def.name
            ),
            format!(" Starts a [`{builder_name}`]; `build` checks that required fields are set."),
            " Checks that every required field is set and returns the value; like a value received from the server, it is not checked against the spec's other constraints.",
            TokenStream::new(),
        )
    };
    // Only tests build values of the other types, so their builders are compiled only for them.
    let gate = if def.in_request { TokenStream::new() } else { quote!(#[cfg(feature = "fixtures")]) };
    // A request-only type leaves out what the server sets; a value that is also received (or a
    // fixture) may need it.
    let skips_read_only = def.in_request && !def.in_response;

    let slots = object.fields.iter().map(|field| {
        let rust_name = ident(&field.rust_name);
        let plain = field_plain_type(api, field);
        if field.tri_state {
            quote!(#rust_name: crate::Nullable<#plain>)
        } else if field.required && field.value.nullable {
            quote!(#rust_name: Option<Option<#plain>>)
        } else {
            quote!(#rust_name: Option<#plain>)
        }
    });
    let setters = object.fields.iter().filter(|field| !(skips_read_only && field.access == Access::ReadOnly)).map(|field| {
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
    });
    let inits = object.fields.iter().map(|field| {
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
    });
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
