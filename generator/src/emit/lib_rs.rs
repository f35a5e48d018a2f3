//! `src/lib.rs`: the crate root, its documentation and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inner_doc_attrs;
use super::Features;
use crate::model::{Api, Credential, SkippedItem};

pub fn lib_rs(api: &Api, features: &Features) -> TokenStream {
    let modules = modules(features);
    let exports = exports(api, features);
    let title = format!(" {}", api.title);
    let description = inner_doc_attrs(api.description.as_deref());
    let generated = format!(
        " A client for version `{}` of this API, generated from its OpenAPI description. Start with [`Client::builder`].",
        api.version
    );
    let quick_start = quick_start(api);
    let not_generated = not_generated(api);
    let webhooks = webhooks(api);
    let area_features = area_features(api);
    let tools = tools(api);
    // With only some areas compiled, some shared helpers go unused.
    let partial = if api.areas.is_some() {
        quote!(#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))])
    } else {
        TokenStream::new()
    };
    quote! {
        #![doc = #title]
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = #generated]
        #quick_start
        #tools
        #area_features
        #webhooks
        #not_generated
        #![forbid(unsafe_code)]
        #partial
        // Descriptions come from the spec, written as web Markdown rather than rustdoc.
        #![allow(rustdoc::bare_urls)]
        #![allow(rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // Field types spell out the spec's nesting (`Option<BTreeMap<String, Vec<…>>>`) where it
        // is; an alias per field would only move the nesting elsewhere.
        #![allow(clippy::type_complexity)]

        #(#modules)*

        #exports
    }
}

/// The crate root's re-exports: the runtime's public types and the client.
fn exports(api: &Api, features: &Features) -> TokenStream {
    let token_export = if features.bearer {
        quote!(
            pub use token::{TokenError, TokenFuture, TokenSource};
        )
    } else {
        TokenStream::new()
    };
    // Two lines, each in its place: rustfmt keeps `pub use` lines sorted.
    let (item_stream_export, sse_export) = if features.streams {
        (
            quote!(
                pub use event_stream::{ItemStream, Reconnect};
            ),
            quote!(
                pub use sse::SseEvent;
            ),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let binary_export = if features.binary {
        quote!(
            pub use binary::Binary;
        )
    } else {
        TokenStream::new()
    };
    let api_error = if api.api_error_variants.is_empty() {
        quote!(
            pub use api_error::ApiErrorBody;
        )
    } else {
        quote!(
            pub use api_error::{ApiError, ApiErrorBody};
        )
    };
    quote! {
    #api_error
    #binary_export
    pub use client::{Client, ClientBuilder, Environment};
    pub use error::{BuildError, Error, Mismatch, SensitiveBody};
    pub use error::{PaginationError, StreamItemError};
    #item_stream_export
    pub use nullable::Nullable;
    /// The HTTP client this crate is built on. `Error::Transport`, `BuildError::Http` and
    /// `ClientBuilder::with_reqwest_client` use its types: name them through this re-export
    /// so that they always match.
    pub use reqwest;
    pub use response::{ApiResponse, ResponseParts};
    pub use retry::RetryPolicy;
    pub use secret::Secret;
    #sse_export
    pub use stream_error::PaginationProblem;
    #token_export
    pub use transport::ResponseInfo;
    pub use validation::{Validate, ValidationError};
    }
}

/// The crate's modules, sorted: the runtime's files and the generated ones, those of the `cli`
/// and `mock` features behind them.
fn modules(features: &Features) -> Vec<TokenStream> {
    let mut modules: Vec<(&str, bool)> = super::runtime::runtime_files(features)
        .iter()
        .filter(|file| !file.is_submodule())
        .map(|file| (file.module, matches!(file.module, "pages" | "validation")))
        .collect();
    modules.extend([("api_error", false), ("cli", true), ("client", false), ("mock", true), ("types", true)]);
    if features.events {
        modules.push(("webhooks", true));
    }
    modules.sort_unstable();
    modules
        .iter()
        .map(|(module, public)| {
            let cfg = match *module {
                "cli" | "command" => quote!(#[cfg(feature = "cli")]),
                "mock" | "mock_server" => quote!(#[cfg(feature = "mock")]),
                "wire_text" => quote!(#[cfg(any(feature = "cli", feature = "mock"))]),
                _ => TokenStream::new(),
            };
            let module = super::ident(module);
            let visibility = if *public { quote!(pub) } else { TokenStream::new() };
            quote! {
                #cfg
                #[rustfmt::skip]
                #visibility mod #module;
            }
        })
        .collect()
}

/// The "Command line and mock server" section: the `cli` and `mock` features.
fn tools(api: &Api) -> TokenStream {
    let package = &api.crate_name;
    let lines = [
        String::new(),
        " # Command line and mock server".to_string(),
        String::new(),
        format!(" With the `cli` feature, the package has a binary, `{package}`, with one subcommand per operation"),
        " (`--help` lists them, their flags and the exit codes). It reads credentials and the server".to_string(),
        " as `Client::from_env` does (and, being a tool for trying the API out, honours the base-URL".to_string(),
        " variable as if `allow_base_url_from_env` had been called), prints the response as JSON, and with `--dry-run` prints the".to_string(),
        " request as a curl command instead of sending it, secrets redacted.".to_string(),
        String::new(),
        " With the `mock` feature, `mock::MockServer` is a local server that speaks this API, for tests:".to_string(),
        " it answers with typed responses or the spec's examples, checks every request against the".to_string(),
        " spec and keeps them, decoded, for the test to look at. With both features, the binary's".to_string(),
        " `mock --port N` serves the spec's examples.".to_string(),
    ];
    quote!(#(#![doc = #lines])*)
}

/// The "Cargo features" section: one feature per area of the API, and how to compile only some.
fn area_features(api: &Api) -> TokenStream {
    let Some(areas) = &api.areas else { return TokenStream::new() };
    let mut counts = vec![0usize; areas.features.len()];
    for index in 0..api.operations.len() {
        for feature in areas.of_operation(index) {
            if let Some(position) = areas.features.iter().position(|f| f == feature) {
                counts[position] += 1;
            }
        }
    }
    let example = areas.features.first().map_or("", String::as_str);
    let mut lines = vec![
        String::new(),
        " # Cargo features".to_string(),
        String::new(),
        " Each area of the API is a feature that compiles its operations and the types only they use;".to_string(),
        " `full`, on by default, enables them all. A crate that needs one area compiles only that:".to_string(),
        String::new(),
        " ```toml".to_string(),
        format!(
            " {} = {{ version = \"{}\", default-features = false, features = [\"rustls\", \"{example}\"] }}",
            api.crate_name,
            api.package.version.as_str()
        ),
        " ```".to_string(),
        String::new(),
    ];
    for (feature, count) in areas.features.iter().zip(counts) {
        lines.push(if feature == crate::model::areas::OTHER_TYPES {
            format!(" - `{feature}`: the schemas no operation uses")
        } else {
            format!(" - `{feature}`: {count} operation{}", if count == 1 { "" } else { "s" })
        });
    }
    quote!(#(#![doc = #lines])*)
}

/// The "Webhooks" section: the events the API sends to the user, one line each, pointing to
/// the `webhooks` module that parses (and verifies) them.
fn webhooks(api: &Api) -> TokenStream {
    let Some(events) = &api.events else { return TokenStream::new() };
    let mut lines = vec![
        String::new(),
        " # Webhooks".to_string(),
        String::new(),
        " The API sends these events to you; [`webhooks`] parses them into a [`webhooks::WebhookEvent`].".to_string(),
        String::new(),
    ];
    for event in &events.events {
        let summary = event.summary.as_deref().map_or_else(String::new, |summary| format!(": {}", one_line(summary)));
        lines.push(format!(" - `{}` ([`webhooks::WebhookEvent::{}`]){summary}", one_line(&event.name), event.variant));
    }
    quote!(#(#![doc = #lines])*)
}

/// The "Not generated" section: the operations left out and the schemas typed as JSON, with
/// why. Each entry is one line of text (spec text cannot start a code block or a doctest there).
fn not_generated(api: &Api) -> TokenStream {
    if api.skipped.is_empty() {
        return TokenStream::new();
    }
    let reasons = |skipped: &crate::model::Skipped| {
        let reasons: Vec<String> = skipped
            .problems
            .iter()
            .map(|problem| match problem.pointer == skipped.pointer {
                true => problem.message.clone(),
                false => format!("{} (at `{}`)", problem.message, problem.pointer),
            })
            .collect();
        one_line(&reasons.join("; "))
    };
    let mut lines = vec![
        String::new(),
        " # Not generated".to_string(),
        String::new(),
        " The generator could not express these parts of the API description; codegen warned about each.".to_string(),
    ];
    let operations: Vec<String> = api
        .skipped
        .iter()
        .filter_map(|skipped| match &skipped.item {
            SkippedItem::Operation { method, path, operation_id } => Some(format!(
                " - `{} {}` (`{}`): {}",
                method.as_str(),
                one_line(path),
                one_line(operation_id),
                reasons(skipped)
            )),
            SkippedItem::Path { path } => {
                Some(format!(" - `{}` (every operation): {}", one_line(path), reasons(skipped)))
            }
            SkippedItem::Schema => None,
        })
        .collect();
    if !operations.is_empty() {
        lines.extend([String::new(), " Operations left out of [`Client`]:".to_string(), String::new()]);
        lines.extend(operations);
    }
    let schemas: Vec<String> = api
        .skipped
        .iter()
        .filter(|skipped| matches!(skipped.item, SkippedItem::Schema))
        .map(|skipped| format!(" - `{}`: {}", one_line(&skipped.pointer), reasons(skipped)))
        .collect();
    if !schemas.is_empty() {
        lines.extend([
            String::new(),
            " Schemas typed as any JSON value (`serde_json::Value`):".to_string(),
            String::new(),
        ]);
        lines.extend(schemas);
    }
    quote!(#(#![doc = #lines])*)
}

/// Text on one line, whitespace collapsed: in a list item it cannot open a code block.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A compiled (`no_run`) example in the crate docs: configuring a client for this spec. The
/// snippet is built as tokens and printed with prettyplease like every other piece of code.
fn quick_start(api: &Api) -> TokenStream {
    let library = super::ident(&api.library_name);
    let target = match api.servers.first() {
        Some(server) if server.relative => {
            let variant = super::ident(&server.rust_name);
            quote!(.environment(#library::Environment::#variant).host("https://api.example.com"))
        }
        Some(server) => {
            let variant = super::ident(&server.rust_name);
            quote!(.environment(#library::Environment::#variant))
        }
        None => quote!(.base_url("https://api.example.com")),
    };
    // The credentials every operation needs, or else those of the first operation that needs some.
    let required: Vec<&Credential> = api.credentials.iter().filter(|c| c.must_be_supplied()).collect();
    let shown: Vec<&Credential> = if required.is_empty() {
        let first = api.operations.iter().flat_map(|o| &o.security).find(|alternative| !alternative.is_empty());
        first.into_iter().flatten().map(|index| &api.credentials[*index]).collect()
    } else {
        required
    };
    let credentials = shown.into_iter().map(|credential| {
        let setter = super::ident(&credential.rust_name);
        let variables = &credential.env_vars;
        quote!(.#setter(#(std::env::var(#variables)?),*))
    });
    let snippet = quote! {
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            let client = #library::Client::builder() #target #(#credentials)* .build()?;
            println!("calling {}", client.base_url());
            Ok(())
        }
    };
    let Ok(file) = syn::parse2::<syn::File>(snippet) else { return TokenStream::new() };
    let code = prettyplease::unparse(&file);
    let mut lines = vec![String::new(), " # Quick start".to_string(), String::new(), " ```no_run".to_string()];
    lines.extend(code.lines().map(|line| format!(" {line}")));
    lines.push(" ```".to_string());
    let lines = lines.iter().map(|line| if line.trim().is_empty() { String::new() } else { line.clone() });
    quote!(#(#![doc = #lines])*)
}
