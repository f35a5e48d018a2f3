//! `tests/spec_examples.rs`: every response example in the spec must decode into the generated
//! type, so `cargo test` on the generated crate checks the types against the spec's own data.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::rust_type::value_type_with_prefix;
use crate::model::{Api, ResponseBody};

/// The test file, or `None` when the spec has no response examples.
pub fn spec_examples_rs(api: &Api) -> Option<TokenStream> {
    let library = ident(&api.library_name);
    let prefix = quote!(#library::types::);
    let mut tests = Vec::new();
    for (index, (operation, names)) in api.operations.iter().zip(&api.operation_names).enumerate() {
        let Some(ResponseBody::Json(response)) = &operation.response else { continue };
        let cfg = super::operation_cfg(api, index);
        let ty = value_type_with_prefix(api, response, &prefix);
        for ((name, example), test) in operation.response_examples.iter().zip(&names.example_tests) {
            let test = ident(test);
            let text = raw_string(&serde_json::to_string(example).unwrap_or_default());
            // Spec text is an argument of `panic!`, never its format string.
            let message = format!("the `{name}` example of `{}` does not decode", operation.operation_id);
            tests.push(quote! {
                #[test]
                #cfg
                fn #test() {
                    let example = #text;
                    if let Err(error) = serde_json::from_str::<#ty>(example) {
                        panic!("{}: {error}", #message);
                    }
                }
            });
        }
    }
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        //! The spec's response examples decode into the generated types.
        #![allow(deprecated)]

        #[rustfmt::skip]
        mod examples {
            #(#tests)*
        }
    })
}

/// A raw string literal (`r#"…"#`) holding `text`, with enough `#`s to enclose it, so that JSON
/// reads as JSON in the test rather than as a wall of escapes.
pub(super) fn raw_string(text: &str) -> proc_macro2::Literal {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(text))
}
