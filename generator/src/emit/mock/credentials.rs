//! The credentials of `src/mock.rs`: each one's row of `MOCK_CREDENTIALS` (where it travels and
//! the value the server expects), `MockServer::client_builder` setting those values, and one
//! `expect_…` method per credential to change them.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::ident;
use crate::model::{Api, ApiKeyLocation, Credential, CredentialKind};

/// The value the mock's client sends for a credential and the server expects.
enum MadeUp {
    /// Made up from the setter's name, e.g. `mock-api-key`.
    Text(String),
    /// The spec's default of an API key, which the client sends by itself.
    Default(String),
    /// A username and a password made up from the setter's name.
    Basic(String, String),
}

impl MadeUp {
    fn of(credential: &Credential) -> MadeUp {
        let name = &credential.kebab_name;
        match &credential.kind {
            CredentialKind::ApiKey { default: Some(default), .. } => MadeUp::Default(default.clone()),
            CredentialKind::Basic => MadeUp::Basic(format!("mock-{name}-user"), format!("mock-{name}-password")),
            _ => MadeUp::Text(format!("mock-{name}")),
        }
    }

    fn tokens(&self) -> TokenStream {
        match self {
            MadeUp::Text(value) => quote!(MockValue::Text(#value)),
            MadeUp::Default(value) => quote!(MockValue::Default(#value)),
            MadeUp::Basic(username, password) => quote!(MockValue::Basic(#username, #password)),
        }
    }
}

/// A credential's row of `MOCK_CREDENTIALS`.
pub(super) fn credential_entry(credential: &Credential) -> TokenStream {
    let expect = &credential.mock_expect;
    let travels = match &credential.kind {
        CredentialKind::ApiKey { location, name, .. } => match location {
            ApiKeyLocation::Header => quote!(Travels::Header(#name)),
            ApiKeyLocation::Query => quote!(Travels::Query(#name)),
            ApiKeyLocation::Cookie => quote!(Travels::Cookie(#name)),
        },
        CredentialKind::Bearer { .. } => quote!(Travels::Authorization("Bearer")),
        CredentialKind::Basic => quote!(Travels::Authorization("Basic")),
        CredentialKind::Authorization { .. } => quote!(Travels::Authorization("")),
    };
    let value = MadeUp::of(credential).tokens();
    quote!(MockCredential { travels: #travels, value: #value, expect: #expect })
}

/// The body of `MockServer::client_builder`: the base URL, no retries, and each credential the
/// server expects, set with its setter.
pub(super) fn client_builder(api: &Api) -> TokenStream {
    let start = quote!(crate::Client::builder().base_url(self.uri()).retry_policy(crate::retry::RetryPolicy::none()));
    if api.credentials.is_empty() {
        return start;
    }
    let setters = api.credentials.iter().enumerate().map(|(index, credential)| {
        let setter = ident(&credential.rust_name);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        match credential.kind {
            CredentialKind::Basic => quote! {
                if let Some((username, password)) = self.client_basic_credential(#index) {
                    builder = builder.#setter(username, password);
                }
            },
            _ => quote! {
                if let Some(value) = self.client_credential(#index) {
                    builder = builder.#setter(value);
                }
            },
        }
    });
    quote! {
        let mut builder = #start;
        #(#setters)*
        builder
    }
}

/// `MockServer::expect_…`: the value the server expects for a credential from now on.
pub(super) fn expect_method(credential: &Credential, index: usize) -> TokenStream {
    let name = ident(&credential.mock_expect);
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    let setter = &credential.rust_name;
    let instead = match MadeUp::of(credential) {
        MadeUp::Text(value) => format!("the made-up `{value}`"),
        MadeUp::Default(value) => format!(
            "`{value}`, what the client sends when [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter}) is not set"
        ),
        MadeUp::Basic(username, password) => format!("the made-up `{username}` and `{password}`"),
    };
    let lead = match &credential.kind {
        CredentialKind::ApiKey { location, name: wire, .. } => {
            let place = match location {
                ApiKeyLocation::Header => format!("the `{wire}` header"),
                ApiKeyLocation::Query => format!("the `{wire}` query parameter"),
                ApiKeyLocation::Cookie => format!("the `{wire}` cookie"),
            };
            format!(" Expects `value` in {place} of the requests that need it, instead of {instead}.")
        }
        CredentialKind::Bearer { .. } => {
            format!(" Expects `value` as the token of `Authorization: Bearer …` in the requests that need it, instead of {instead}.")
        }
        CredentialKind::Basic => {
            format!(" Expects this username and password (`Authorization: Basic …`) in the requests that need them, instead of {instead}.")
        }
        CredentialKind::Authorization { .. } => {
            format!(" Expects `value` as the whole `Authorization` header of the requests that need it, instead of {instead}.")
        }
    };
    let docs = [
        lead,
        String::new(),
        format!(" For code under test that builds its own client with [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter});"),
        " a request with another value is refused (`401`). [`MockServer::client`] sends this value too.".to_string(),
    ];
    let (params, value) = match credential.kind {
        CredentialKind::Basic => (
            quote!(username: impl Into<String>, password: impl Into<crate::secret::Secret>),
            quote!(server::Expected::basic(username, password)),
        ),
        _ => (quote!(value: impl Into<crate::secret::Secret>), quote!(server::Expected::text(value))),
    };
    quote! {
        #(#[doc = #docs])*
        pub fn #name(&self, #params) -> &Self {
            self.expect_credential(#index, #value)
        }
    }
}
