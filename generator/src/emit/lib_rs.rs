//! `src/lib.rs`: the crate root, its documentation and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inner_doc_attrs;
use super::Features;
use crate::model::Api;

pub fn lib_rs(api: &Api, features: &Features) -> TokenStream {
    let binary = if features.binary {
        quote! {
            #[rustfmt::skip]
            mod binary;
        }
    } else {
        TokenStream::new()
    };
    let binary_export = if features.binary {
        quote!(
            pub use binary::Binary;
        )
    } else {
        TokenStream::new()
    };
    let mixed_errors = api.error_type.is_none() && !super::runtime::error_variants(api).is_empty();
    let api_error = if mixed_errors {
        quote!(
            pub use error::{ApiError, ApiErrorBody, BuildError, Error};
        )
    } else {
        quote!(
            pub use error::{ApiErrorBody, BuildError, Error};
        )
    };
    let title = format!(" {}", api.title);
    let description = inner_doc_attrs(api.description.as_deref());
    let generated = format!(
        " A client for version `{}` of this API, generated from its OpenAPI description. Start with [`Client::builder`].",
        api.version
    );
    quote! {
        #![doc = #title]
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = #generated]
        #![forbid(unsafe_code)]
        // Descriptions come from the spec, written as web Markdown rather than rustdoc.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]
        #![allow(rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        #binary
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod retry;
        #[rustfmt::skip]
        mod secret;
        #[rustfmt::skip]
        mod transport;
        #[rustfmt::skip]
        pub mod validation;

        #binary_export
        pub use client::{Client, ClientBuilder, Environment};
        #api_error
        pub use retry::RetryPolicy;
        pub use secret::Secret;
        pub use transport::ResponseInfo;
        pub use validation::{Validate, ValidationError};
    }
}
