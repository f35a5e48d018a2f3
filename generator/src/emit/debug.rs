//! Hand-written `Debug` impls for the types whose derived `Debug` would print what it must not:
//! sensitive fields (`x-sensitive`, `format: password`, codegen.toml's `[sensitive]`) print
//! `[redacted]` whatever their type, properties the schema does not declare print their names
//! (or how many there are) but never their values, a union's catch-all prints only the shape of
//! the JSON it holds, and a schema marked sensitive as a whole prints nothing of its values. The
//! helpers printed in place of values are the runtime's `redact` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Extra, Field, Struct, TypeDef, Union};

/// Whether a struct's `Debug` is written by hand rather than derived.
pub fn struct_needs_impl(def: &TypeDef, object: &Struct) -> bool {
    def.sensitive || !matches!(object.extra, Extra::Ignored) || object.fields.iter().any(|field| field.sensitive)
}

/// `Debug` for a struct whose derived one would show sensitive or undeclared values.
pub fn struct_impl(def: &TypeDef, object: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    if def.sensitive {
        return whole_value_redacted(def);
    }
    let fields = object.fields.iter().map(|field| field_entry(field, quote!(self)));
    let extra = match &object.extra {
        Extra::Ignored => TokenStream::new(),
        Extra::Kept { field } => {
            let rust_name = ident(field);
            quote!(.field(#field, &crate::redact::UnknownKeys(self.#rust_name.keys().collect())))
        }
        Extra::Typed { field, .. } => {
            let rust_name = ident(field);
            quote!(.field(#field, &crate::redact::Count(self.#rust_name.len())))
        }
    };
    quote! {
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    #extra
                    .finish()
            }
        }
    }
}

/// `Debug` for the builder of a struct with sensitive fields: the values set so far,
/// the sensitive ones redacted.
pub fn builder_impl(def: &TypeDef, object: &Struct, builder_name: &str) -> TokenStream {
    let name = ident(builder_name);
    let fields = object.fields.iter().map(|field| {
        if def.sensitive {
            let label = &field.rust_name;
            quote!(.field(#label, &crate::redact::Redacted))
        } else {
            field_entry(field, quote!(self))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#builder_name)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

/// Whether a builder's `Debug` is written by hand.
pub fn builder_needs_impl(def: &TypeDef, object: &Struct) -> bool {
    def.sensitive || object.fields.iter().any(|field| field.sensitive)
}

/// `Debug` for a union: each variant as derived, except the catch-all, which holds JSON no
/// schema describes and prints only its shape.
pub fn union_impl(def: &TypeDef, union: &Union) -> TokenStream {
    if def.sensitive {
        return whole_value_redacted(def);
    }
    let name = ident(&def.name);
    let arms = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let label = &variant.rust_name;
        quote!(Self::#rust_name(value) => f.debug_tuple(#label).field(value).finish())
    });
    let catch_all = ident(&union.catch_all);
    let catch_all_label = &union.catch_all;
    quote! {
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#arms,)*
                    Self::#catch_all(value) => f.debug_tuple(#catch_all_label).field(&crate::redact::JsonShape(value)).finish(),
                }
            }
        }
    }
}

/// `Debug` for a type whose schema is marked sensitive as a whole: `Name([redacted])`.
pub fn whole_value_redacted(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    quote! {
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(#label).field(&crate::redact::Redacted).finish()
            }
        }
    }
}

/// `.field("name", &…)` for one field of `owner`, `[redacted]` when it is sensitive.
fn field_entry(field: &Field, owner: TokenStream) -> TokenStream {
    let label = &field.rust_name;
    if field.sensitive {
        return quote!(.field(#label, &crate::redact::Redacted));
    }
    let rust_name = ident(&field.rust_name);
    quote!(.field(#label, &#owner.#rust_name))
}
