//! `src/client.rs` (the `Client`, its builder and one method per operation) and `src/lib.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_paragraphs, inner_doc_attrs};
use super::rust_type::qualified_value_type as value_type;
use super::{deprecated_attr, ident, Features};
use crate::model::{Api, Credential, HttpMethod, Operation};

pub fn lib_rs(api: &Api, _features: &Features) -> TokenStream {
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

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod validation;

        pub use client::{Client, ClientBuilder, Environment};
        pub use error::{BuildError, Error};
        pub use validation::{Validate, ValidationError};
    }
}

pub fn client_rs(api: &Api) -> TokenStream {
    let environment = environment(api);
    let builder = builder(api);
    let methods = api.operations.iter().map(|operation| method(api, operation));
    let credential_names = api.credentials.iter().map(|c| &c.rust_name);
    quote! {
        //! The HTTP client: configuration, credentials, and one method per operation.
        #![allow(deprecated)]

        use std::fmt;

        use reqwest::header::HeaderMap;

        use crate::error::{BuildError, Error};
        use crate::types;

        #environment

        /// The builder methods that set credentials; `Debug` lists these instead of the values.
        const CREDENTIAL_NAMES: &[&str] = &[#(#credential_names),*];

        /// A client for the API. Cloning is cheap: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            http: reqwest::Client,
            base_url: String,
            /// The credential headers sent with every request.
            credentials: HeaderMap,
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("credentials", &CREDENTIAL_NAMES)
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The URL every operation path is appended to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #(#methods)*

            fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
                self.http
                    .request(method, format!("{}{path}", self.base_url))
                    .headers(self.credentials.clone())
            }

            /// Sends a request and decodes a JSON response. The one place requests go out: the
            /// seam where retries and tracing belong.
            async fn send<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, Error> {
                let response = request.send().await.map_err(Error::Transport)?;
                let status = response.status();
                let body = response.bytes().await.map_err(Error::Transport)?;
                if !status.is_success() {
                    return Err(error_response(status, &body));
                }
                serde_json::from_slice(&body).map_err(|source| Error::decode(status, source, &body))
            }

            /// Sends a request whose successful response has no body to decode.
            #[allow(dead_code)]
            async fn send_without_content(&self, request: reqwest::RequestBuilder) -> Result<(), Error> {
                let response = request.send().await.map_err(Error::Transport)?;
                let status = response.status();
                if status.is_success() {
                    return Ok(());
                }
                let body = response.bytes().await.map_err(Error::Transport)?;
                Err(error_response(status, &body))
            }
        }

        fn error_response(status: reqwest::StatusCode, body: &[u8]) -> Error {
            match serde_json::from_slice(body) {
                Ok(error) => Error::Api { status, error: Box::new(error) },
                Err(_) => Error::unexpected_status(status, body),
            }
        }

        #builder
    }
}

fn environment(api: &Api) -> TokenStream {
    let variants = api.servers.iter().map(|server| {
        let name = ident(&server.rust_name);
        let doc = format!(" `{}`", server.url);
        let description = doc_attrs(server.description.as_deref());
        quote! {
            #description
            #[doc = ""]
            #[doc = #doc]
            #name
        }
    });
    let arms = api.servers.iter().map(|server| {
        let name = ident(&server.rust_name);
        let url = &server.url;
        quote!(Environment::#name => #url)
    });
    let base_url_body = if api.servers.is_empty() { quote!(match self {}) } else { quote!(match self { #(#arms,)* }) };
    quote! {
        /// The servers the API is served from, as listed in the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Environment {
            #(#variants,)*
        }

        impl Environment {
            /// The base URL of this environment.
            pub fn base_url(self) -> &'static str {
                #base_url_body
            }
        }
    }
}

fn builder(api: &Api) -> TokenStream {
    let fields = api.credentials.iter().map(|c| {
        let name = ident(&c.rust_name);
        quote!(#name: Option<String>)
    });
    let setters = api.credentials.iter().map(credential_setter);
    let inserts = api.credentials.iter().map(credential_insert);
    let debug_fields = api.credentials.iter().map(|c| {
        let name = ident(&c.rust_name);
        let label = &c.rust_name;
        if c.sensitive {
            quote!(.field(#label, &self.#name.as_ref().map(|_| "[redacted]")))
        } else {
            quote!(.field(#label, &self.#name))
        }
    });
    let credential_header = if api.credentials.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            fn credential_header(
                name: &'static str,
                value: &str,
                sensitive: bool,
            ) -> Result<reqwest::header::HeaderValue, BuildError> {
                let mut value =
                    reqwest::header::HeaderValue::from_str(value).map_err(|_| BuildError::InvalidCredential { name })?;
                value.set_sensitive(sensitive);
                Ok(value)
            }
        }
    };
    let credentials_binding = if api.credentials.is_empty() {
        quote!(let credentials = HeaderMap::new();)
    } else {
        quote!(let mut credentials = HeaderMap::new();)
    };
    let default_base_url = match api.servers.as_slice() {
        [only] => {
            let url = &only.url;
            quote!(.unwrap_or_else(|| #url.to_string()))
        }
        _ => quote!(.ok_or(BuildError::MissingBaseUrl)?),
    };
    quote! {
        /// Configures a [`Client`]: where to send requests and which credentials to send.
        #[derive(Default)]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            #(#fields,)*
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    #(#debug_fields)*
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            /// Sends requests to one of the spec's servers.
            pub fn environment(mut self, environment: Environment) -> Self {
                self.base_url = Some(environment.base_url().to_string());
                self
            }

            /// Sends requests to another base URL, such as a local mock server or a proxy.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            /// Uses a `reqwest::Client` configured by the caller (timeouts, proxies, TLS, …).
            pub fn with_reqwest_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            #(#setters)*

            /// Checks the configuration and creates the client.
            pub fn build(self) -> Result<Client, BuildError> {
                let base_url = self.base_url #default_base_url;
                let base_url = base_url.trim_end_matches('/').to_string();
                match reqwest::Url::parse(&base_url) {
                    Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
                    _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
                }
                #credentials_binding
                #(#inserts)*
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder().build().map_err(BuildError::Http)?,
                };
                Ok(Client { http, base_url, credentials })
            }
        }

        #credential_header
    }
}

fn credential_setter(credential: &Credential) -> TokenStream {
    let name = ident(&credential.rust_name);
    let doc = doc_attrs(credential.doc.as_deref());
    let header_doc = match &credential.default {
        Some(default) => format!(" Sent as the `{}` header; defaults to `{default}`.", credential.header),
        None => format!(" Sent as the `{}` header.", credential.header),
    };
    quote! {
        #doc
        #[doc = ""]
        #[doc = #header_doc]
        pub fn #name(mut self, value: impl Into<String>) -> Self {
            self.#name = Some(value.into());
            self
        }
    }
}

fn credential_insert(credential: &Credential) -> TokenStream {
    let name = ident(&credential.rust_name);
    let label = &credential.rust_name;
    let header = &credential.header;
    let header_lower = credential.header.to_ascii_lowercase();
    let sensitive = credential.sensitive;
    let value = match &credential.default {
        Some(default) => quote!(self.#name.as_deref().unwrap_or(#default)),
        None => quote! {
            self.#name.as_deref().ok_or(BuildError::MissingCredential { name: #label, header: #header })?
        },
    };
    quote! {
        credentials.insert(
            reqwest::header::HeaderName::from_static(#header_lower),
            credential_header(#label, #value, #sensitive)?,
        );
    }
}

fn method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let doc = doc_paragraphs(&[operation.summary.as_deref(), operation.description.as_deref()]);
    let endpoint = format!(" `{} {}`", operation.method.as_str(), operation.path);
    let deprecated = deprecated_attr(operation.deprecated);
    let http_method = format_ident!("{}", http_method(operation.method));
    let path = &operation.path;
    let (body_param, attach_body) = match &operation.body {
        Some(body) if body.required => {
            let ty = value_type(api, &body.value);
            (
                quote!(body: &#ty,),
                quote!(crate::validation::Validate::validate(body)?; let request = request.json(body);),
            )
        }
        Some(body) => {
            let ty = value_type(api, &body.value);
            (
                quote!(body: Option<&#ty>,),
                quote! {
                    let request = match body {
                        Some(body) => {
                            crate::validation::Validate::validate(body)?;
                            request.json(body)
                        }
                        None => request,
                    };
                },
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let (output, send) = match &operation.response {
        Some(response) => (value_type(api, response), quote!(self.send(request).await)),
        None => (quote!(()), quote!(self.send_without_content(request).await)),
    };
    quote! {
        #doc
        #[doc = ""]
        #[doc = #endpoint]
        #deprecated
        pub async fn #name(&self, #body_param) -> Result<#output, Error> {
            let request = self.request(reqwest::Method::#http_method, #path);
            #attach_body
            #send
        }
    }
}

fn http_method(method: HttpMethod) -> &'static str {
    method.as_str()
}
