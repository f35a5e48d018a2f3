//! Phase 3: the model becomes Rust source, built as tokens with `quote!` and printed with
//! prettyplease. One module per kind of output: `types` (structs and enums), `builders`,
//! `validate`, `client`, `runtime` (error and validation support the crate owns) and
//! `manifest` (Cargo.toml).

mod api_error;
mod area_files;
mod auth;
mod builders;
mod cli;
mod cli_webhooks;
mod client;
mod client_builder;
mod debug;
mod docs;
mod examples;
mod format;
mod lib_rs;
mod manifest;
mod mock;
mod multipart;
mod pagers;
mod params;
#[cfg(test)]
mod reserved_tests;
mod runtime;
mod rust_type;
mod serde_gates;
mod streams;
mod struct_de;
mod struct_derive;
mod types;
mod unions;
mod validate;
mod webhooks;

/// The names the emitted code defines whatever the spec, by scope, each declared next to the
/// code that writes it: the model keeps the names it decides for the spec out of them (see
/// `model::naming` and `model::names`).
pub mod reserved {
    pub use super::builders::BUILDER_METHODS;
    pub use super::cli::{GLOBAL_FLAGS, OTHER_SUBCOMMANDS};
    pub use super::client::CLIENT_METHODS;
    pub use super::client_builder::{
        BUILDER_MEMBERS, CLIENT_FROM_ENV, RUNTIME_BUILDER_METHODS, RUNTIME_CLIENT_METHODS,
    };
    pub use super::mock::MOCK_SERVER_METHODS;
    pub use super::webhooks::WEBHOOK_ITEMS;
}

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, ResponseBody, Shape, TypeKind, ValueType};
use crate::output::GeneratedFiles;
use crate::Error;

/// Renders every file of the client crate.
pub fn emit(api: &Api, spec_label: &str) -> Result<GeneratedFiles, Error> {
    let features = Features::of(api);
    let mut files = GeneratedFiles::default();
    let rust_preamble = preamble("//", spec_label);
    // `types.rs` is printed by workers of its own; the other files are rendered and printed on
    // one more thread meanwhile (`client.rs` is the second largest file).
    let (types, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            let rust_files = [
                ("src/lib.rs", lib_rs::lib_rs(api, &features)),
                ("src/client.rs", pagers::with_pagers(api, client::client_rs(api))),
                ("src/api_error.rs", api_error::api_error_rs(api)),
                ("src/cli.rs", cli::cli_rs(api)),
                ("src/main.rs", cli::main_rs(api)),
                ("src/mock.rs", mock::mock_rs(api)),
            ];
            let example_tests = examples::spec_examples_rs(api).map(|tokens| ("tests/spec_examples.rs", tokens));
            let webhooks = webhooks::webhooks_rs(api).map(|tokens| ("src/webhooks.rs", tokens));
            rust_files
                .into_iter()
                .chain(webhooks)
                .chain(example_tests)
                .map(|(path, tokens)| format::format_rust(path, tokens).map(|text| (path, text)))
                .collect::<Result<Vec<_>, Error>>()
        });
        let types = types::types_files(api);
        let others = others.join().unwrap_or_else(|_| {
            Err(Error::Internal {
                file: "src/client.rs".to_string(),
                message: "the printing thread panicked".to_string(),
            })
        });
        (types, others)
    });
    for (path, text) in types? {
        files.insert(&path, format!("{rust_preamble}\n{text}"));
    }
    for (path, text) in others? {
        files.insert(path, format!("{rust_preamble}\n{text}"));
    }
    for file in runtime::runtime_files(&features) {
        files.insert(&file.path(), format!("{}\n{}", runtime_preamble(file.module), file.text));
    }
    files.insert("Cargo.toml", format!("{}\n{}", preamble("#", spec_label), manifest::cargo_toml(api, &features)));
    Ok(files)
}

/// Optional parts of the crate, switched on by what the spec uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    /// Some schema has `format: date` or `date-time`, or a mapped type names chrono (the crate
    /// depends on chrono).
    pub dates: bool,
    /// Some request type has a `pattern` (the crate depends on regex).
    pub patterns: bool,
    /// Some schema has `format: binary` (the crate has a `Binary` type).
    pub binary: bool,
    /// Some operation sends a `multipart/form-data` body (reqwest's `multipart` feature).
    pub multipart: bool,
    /// The styles of parameter values some operation writes (`src/params.rs`).
    pub params: params::ParamHelpers,
    /// Some operation fills in path placeholders (`src/params.rs` percent-encodes them).
    pub path_parameters: bool,
    /// Some credential is a bearer token (`src/token.rs`).
    pub bearer: bool,
    /// Some credential is HTTP basic authentication (`src/basic_auth.rs`).
    pub basic_auth: bool,
    /// Some mapping of codegen.toml names a `with` module (`src/mapped_serde.rs`).
    pub mapped_serde: bool,
    /// Some `with` module has the runtime's faster reading of its type
    /// (`src/decimal_float.rs`).
    pub decimal_float: bool,
    /// The spec describes events (`src/webhooks.rs`, `src/webhook.rs`).
    pub events: bool,
    /// How deliveries are signed, when codegen.toml says (one of `src/webhook_*.rs`, and
    /// aws-lc-rs for the cryptography).
    pub signature: Option<SignatureScheme>,
    /// Some operation has pagers (`src/pages.rs` and its parts, and futures-core).
    pub pages: bool,
    /// Some operation's success is a stream of items (`src/event_stream.rs`, `src/sse.rs` and
    /// `src/transport_stream.rs`, and futures-core).
    pub streams: bool,
}

/// The signature schemes, each a runtime file of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    StandardWebhooks,
    Hmac,
    Jwt,
}

impl Features {
    fn of(api: &Api) -> Self {
        let mut features = Features {
            params: params::helpers(api),
            path_parameters: api.operations.iter().any(|o| o.has_path_parameters()),
            bearer: auth::has_bearer(api),
            basic_auth: auth::has_basic(api),
            mapped_serde: !api.serde_markers.is_empty(),
            decimal_float: api
                .serde_markers
                .iter()
                .any(|marker| marker.types.iter().any(|ty| types::runtime_reader(&marker.module, ty).is_some())),
            events: api.events.is_some(),
            pages: api.operations.iter().any(|operation| operation.pagination.is_some()),
            streams: api.operations.iter().any(|operation| operation.stream.is_some()),
            signature: api.events.as_ref().and_then(|events| match &events.signature {
                Some(crate::config::Signature::StandardWebhooks { .. }) => Some(SignatureScheme::StandardWebhooks),
                Some(crate::config::Signature::Hmac(_)) => Some(SignatureScheme::Hmac),
                Some(crate::config::Signature::Jwt(_)) => events.key_operation.as_ref().map(|_| SignatureScheme::Jwt),
                None => None,
            }),
            ..Features::default()
        };
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(object) => {
                    for field in &object.fields {
                        features.visit(&field.value, def.in_request);
                    }
                    if let crate::model::Extra::Typed { value, .. } = &object.extra {
                        features.visit(value, def.in_request);
                    }
                }
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        features.visit(&variant.value, def.in_request);
                    }
                }
                TypeKind::Enum(_) => {}
            }
        }
        for alias in &api.aliases {
            features.visit(&alias.value, false);
        }
        for operation in &api.operations {
            if let Some(body) = &operation.body {
                features.visit(&body.value, true);
                features.multipart |= body.encoding == crate::model::BodyEncoding::Multipart;
            }
            if let Some(ResponseBody::Json(response)) = &operation.response {
                features.visit(response, false);
            }
        }
        features
    }

    fn visit(&mut self, value: &ValueType, in_request: bool) {
        match &value.shape {
            Shape::Date | Shape::DateTime => self.dates = true,
            Shape::Binary => self.binary = true,
            Shape::String(rules) => self.patterns |= in_request && rules.pattern.is_some(),
            Shape::Array { items, .. } => self.visit(items, in_request),
            Shape::Map { values } => self.visit(values, in_request),
            Shape::Tuple(items) => items.iter().for_each(|item| self.visit(item, in_request)),
            // A mapped chrono type needs the dependency a date would bring.
            Shape::Mapped(ty) => self.dates |= ty.crates().iter().any(|name| name == "chrono"),
            _ => {}
        }
    }
}

/// The preamble of a runtime file: where it comes from, since it does not vary with the spec.
fn runtime_preamble(module: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen`: the generator's runtime/src/{module}.rs, copied as is.\n\
         // Do not edit this file by hand: change the runtime and regenerate.\n"
    )
}

fn preamble(comment: &str, spec_label: &str) -> String {
    format!(
        "{comment} @generated by `cargo xtask codegen` from {spec_label}.\n\
         {comment} Do not edit this file by hand: change the spec and regenerate.\n"
    )
}

/// An identifier for a name the model produced (always a valid identifier by construction).
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`, for the area
/// features any of which compiles an item; nothing when the item is always compiled.
fn cfg_any(features: &[&str]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [feature] => quote!(#[cfg(feature = #feature)]),
        features => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// The `cfg` of the area feature an operation (by index) is compiled under, if any.
fn operation_cfg(api: &Api, index: usize) -> TokenStream {
    cfg_any(&api.areas.as_ref().map(|areas| areas.of_operation(index)).unwrap_or_default())
}

/// The `cfg` of the area features any of which compiles a type, if any.
fn type_cfg(api: &Api, id: crate::model::TypeId) -> TokenStream {
    cfg_any(&api.areas.as_ref().map(|areas| areas.of_type(id)).unwrap_or_default())
}

/// `use crate::types;` when the file names a type of the spec.
fn types_import(used: bool) -> TokenStream {
    if used {
        quote!(
            use crate::types;
        )
    } else {
        TokenStream::new()
    }
}

/// `#[deprecated]` when `deprecated` holds.
fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}
