//! `src/client.rs`: the `Client` and one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client_builder::{builder, environment};
use super::docs::doc_paragraphs;
use super::rust_type::qualified_value_type as value_type;
use super::{deprecated_attr, ident};
use crate::model::{Api, HttpMethod, Operation};

pub fn client_rs(api: &Api) -> TokenStream {
    let environment = environment(api);
    let builder = builder(api);
    let methods = api.operations.iter().map(|operation| method(api, operation));
    let credential_names = api.credentials.iter().map(|c| &c.rust_name);
    let decode = decode_helper(api);
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

            /// Sends a request and returns the body of a successful response. The one place
            /// requests go out: the seam where retries and tracing belong.
            async fn send(&self, request: reqwest::RequestBuilder) -> Result<(reqwest::StatusCode, bytes::Bytes), Error> {
                let response = request.send().await.map_err(Error::Transport)?;
                let status = response.status();
                let body = response.bytes().await.map_err(Error::Transport)?;
                if !status.is_success() {
                    return Err(match serde_json::from_slice(&body) {
                        Ok(error) => Error::Api { status, error: Box::new(error) },
                        Err(_) => Error::unexpected_status(status, &body),
                    });
                }
                Ok((status, body))
            }
        }

        #decode
        #builder
    }
}

/// Decoding of JSON success bodies, emitted when some operation has one.
fn decode_helper(api: &Api) -> TokenStream {
    if api.operations.iter().all(|o| o.response.is_none()) {
        return TokenStream::new();
    }
    quote! {
        /// Decodes the body of a successful response.
        fn decode<T: serde::de::DeserializeOwned>((status, body): (reqwest::StatusCode, bytes::Bytes)) -> Result<T, Error> {
            serde_json::from_slice(&body).map_err(|source| Error::decode(status, source, &body))
        }
    }
}

fn method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.rust_name);
    let doc = doc_paragraphs(&[operation.summary.as_deref(), operation.description.as_deref()]);
    let endpoint = format!(" `{} {}`", operation.method.as_str(), operation.path);
    let deprecated = deprecated_attr(operation.deprecated);
    let http_method = format_ident!("{}", http_method(operation.method));
    let path = &operation.path;
    let (body_param, body) = match &operation.body {
        Some(body) if body.required => {
            let ty = value_type(api, &body.value);
            let body = quote! {
                crate::validation::Validate::validate(body)?;
                let request = self.request(reqwest::Method::#http_method, #path).json(body);
            };
            (quote!(body: &#ty,), body)
        }
        Some(body) => {
            let ty = value_type(api, &body.value);
            let body = quote! {
                let mut request = self.request(reqwest::Method::#http_method, #path);
                if let Some(body) = body {
                    crate::validation::Validate::validate(body)?;
                    request = request.json(body);
                }
            };
            (quote!(body: Option<&#ty>,), body)
        }
        None => (TokenStream::new(), quote!(let request = self.request(reqwest::Method::#http_method, #path);)),
    };
    let (output, send) = match &operation.response {
        Some(response) => (value_type(api, response), quote!(decode(self.send(request).await?))),
        None => (quote!(()), quote!(self.send(request).await.map(drop))),
    };
    quote! {
        #doc
        #[doc = ""]
        #[doc = #endpoint]
        #deprecated
        pub async fn #name(&self, #body_param) -> Result<#output, Error> {
            #body
            #send
        }
    }
}

fn http_method(method: HttpMethod) -> &'static str {
    method.as_str()
}
