//! `src/api_error.rs`: the type of `Error::Api`'s body, decoded from the error responses the spec
//! declares, and which of its fields errors may show.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Shape, TypeId, TypeKind};

pub fn api_error_rs(api: &Api) -> TokenStream {
    let (body, shared) = match api.error_type {
        Some(id) => (shared_type(api, id), true),
        None if api.api_error_variants.is_empty() => (undeclared_body(), true),
        None => (error_enum(api), false),
    };
    let (imports, decoder) = if shared {
        let decoder = quote! {
            /// Decodes an error body; the API has one error format for every operation.
            pub(crate) fn decode_error_body(_status: reqwest::StatusCode, body: &[u8]) -> Option<ApiErrorBody> {
                serde_json::from_slice(body).ok()
            }
        };
        (
            quote!(
                use std::fmt;
                use crate::error::ErrorFields;
            ),
            decoder,
        )
    } else {
        (
            quote!(
                use std::fmt;
                use crate::error::ErrorFields;
                use crate::response::BodyRequestId;
            ),
            TokenStream::new(),
        )
    };
    quote! {
        //! The error bodies the API declares: the type of [`crate::Error::Api`]'s body, and the
        //! fields of it that error messages show (those the spec declares with scalar values;
        //! never undeclared fields or nested data).

        #imports

        #body

        #decoder
    }
}

/// One error schema for every operation: `ApiErrorBody` names it.
fn shared_type(api: &Api, id: TypeId) -> TokenStream {
    let name = ident(&api.get(id).name);
    let fields = error_fields(api, id);
    quote! {
        /// The error body the API sends.
        pub type ApiErrorBody = crate::types::#name;

        #fields
    }
}

/// No error schema at all: the body stays JSON and errors show none of it.
fn undeclared_body() -> TokenStream {
    quote! {
        /// The error body the API sends; the spec declares no schema for it.
        pub type ApiErrorBody = serde_json::Value;

        /// The spec declares no fields, so errors show none of an undeclared body.
        impl ErrorFields for serde_json::Value {
            fn fmt_fields(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(" (body not shown)")
            }
        }
    }
}

/// Several error schemas: `ApiError` has a variant for each, plus `Other`.
fn error_enum(api: &Api) -> TokenStream {
    let variants = &api.api_error_variants;
    let names: Vec<_> = variants.iter().map(|variant| ident(&variant.name)).collect();
    let labels: Vec<&str> = variants.iter().map(|variant| variant.name.as_str()).collect();
    let types: Vec<_> = variants.iter().map(|variant| ident(&api.get(variant.type_id).name)).collect();
    let docs = variants.iter().map(|variant| format!(" A [`crate::types::{}`].", api.get(variant.type_id).name));
    let fields = variants.iter().map(|variant| error_fields(api, variant.type_id));
    quote! {
        /// The error body the API sends.
        pub type ApiErrorBody = ApiError;

        /// The error bodies the spec declares, decoded by the status each operation lists them for.
        ///
        /// `Debug` shows the variant and the fields the spec declares with scalar values, as
        /// errors do; the other fields, which may quote the request, only through the
        /// variant's own value. It serializes (as the body itself) with the `serde-all` feature,
        /// as the types of error bodies, only received, do.
        #[derive(Clone, PartialEq)]
        #[cfg_attr(feature = "serde-all", derive(serde::Serialize), serde(untagged))]
        // `Error::Api` boxes it, so the size of its largest variant costs nothing.
        #[allow(clippy::large_enum_variant)]
        pub enum ApiError {
            #(#[doc = #docs] #names(crate::types::#types),)*
            /// An error body whose schema is not one of the named types.
            Other(serde_json::Value),
        }

        impl ErrorFields for ApiError {
            fn fmt_fields(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(ApiError::#names(error) => error.fmt_fields(f),)*
                    ApiError::Other(_) => f.write_str(" (body not shown)"),
                }
            }
        }

        impl fmt::Debug for ApiError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let variant = match self {
                    #(ApiError::#names(_) => #labels,)*
                    ApiError::Other(_) => "Other",
                };
                write!(f, "{variant} {{")?;
                self.fmt_fields(f)?;
                f.write_str(" }")
            }
        }

        impl BodyRequestId for ApiError {
            fn body_request_id(&self) -> Option<&str> {
                match self {
                    #(ApiError::#names(error) => error.body_request_id(),)*
                    ApiError::Other(_) => None,
                }
            }
        }

        #(#fields)*
    }
}

/// `ErrorFields` for a named error type: its declared fields with scalar values, as
/// `name=value`, skipping absent and sensitive ones.
fn error_fields(api: &Api, id: TypeId) -> TokenStream {
    let def = api.get(id);
    let name = ident(&def.name);
    let writes: Vec<TokenStream> = match &def.kind {
        TypeKind::Struct(object) => object
            .fields
            .iter()
            .filter(|field| !field.sensitive && !field.boxed && is_scalar(api, &field.value.shape))
            .map(|field| {
                let field_name = ident(&field.rust_name);
                // The wire name is spec text: written as a string, never part of a format string.
                let label = format!(" {}=", field.wire_name);
                if field.is_option() {
                    let value = super::rust_type::present(field, quote!(self.#field_name));
                    quote! {
                        if let Some(value) = #value {
                            f.write_str(#label)?;
                            write!(f, "{}", value)?;
                        }
                    }
                } else {
                    quote! {
                        f.write_str(#label)?;
                        write!(f, "{}", self.#field_name)?;
                    }
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = if writes.is_empty() { quote!(f.write_str(" (body not shown)")) } else { quote!(#(#writes)* Ok(())) };
    quote! {
        impl ErrorFields for crate::types::#name {
            fn fmt_fields(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #body
            }
        }
    }
}

/// Whether a value prints as one short piece of text: a string, number, boolean, date or enum.
fn is_scalar(api: &Api, shape: &Shape) -> bool {
    match shape {
        Shape::String(_)
        | Shape::Date
        | Shape::DateTime
        | Shape::Integer { .. }
        | Shape::Number { .. }
        | Shape::Boolean => true,
        Shape::Named(id) => matches!(api.get(*id).kind, TypeKind::Enum(_)),
        _ => false,
    }
}
