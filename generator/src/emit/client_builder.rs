//! The `Environment` enum and the `ClientBuilder` of `src/client.rs`: where requests go and which
//! credentials they carry.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::ident;
use crate::model::{Api, Credential};

pub fn environment(api: &Api) -> TokenStream {
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

pub fn builder(api: &Api) -> TokenStream {
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
