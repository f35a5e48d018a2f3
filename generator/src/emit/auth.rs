//! The credentials part of `src/client.rs`: the builder's fields and setters for each security
//! scheme, reading them in `from_env`, checking them in `build()`, and the client's
//! `Credentials`, which chooses an operation's security alternative and adds it to each attempt.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::ident;
use crate::model::{Api, ApiKeyLocation, Credential, CredentialKind};

/// Whether some credential is a bearer token (the crate then has `TokenSource`).
pub fn has_bearer(api: &Api) -> bool {
    api.credentials.iter().any(|c| matches!(c.kind, CredentialKind::Bearer { .. }))
}

/// Whether some credential is HTTP basic authentication.
pub fn has_basic(api: &Api) -> bool {
    api.credentials.iter().any(|c| matches!(c.kind, CredentialKind::Basic))
}

/// How a credential is sent, for docs and errors, e.g. ``the `X-Api-Key` header``.
pub fn sent_as(credential: &Credential) -> String {
    match &credential.kind {
        CredentialKind::ApiKey { location: ApiKeyLocation::Header, name, .. } => format!("the `{name}` header"),
        CredentialKind::ApiKey { location: ApiKeyLocation::Query, name, .. } => {
            format!("the `{name}` query parameter")
        }
        CredentialKind::ApiKey { location: ApiKeyLocation::Cookie, name, .. } => format!("the `{name}` cookie"),
        CredentialKind::Bearer { .. } => "a bearer token in the `Authorization` header".to_string(),
        CredentialKind::Basic => "HTTP basic authentication in the `Authorization` header".to_string(),
        CredentialKind::Authorization { .. } => "the `Authorization` header".to_string(),
    }
}

/// The builder's field for a credential, as the caller gave it.
pub fn builder_field(credential: &Credential) -> TokenStream {
    let name = ident(&credential.rust_name);
    let ty = match &credential.kind {
        CredentialKind::ApiKey { sensitive: false, .. } => quote!(String),
        CredentialKind::ApiKey { .. } | CredentialKind::Authorization { .. } => quote!(crate::secret::Secret),
        CredentialKind::Bearer { .. } => quote!(crate::token::Token),
        CredentialKind::Basic => quote!((crate::secret::Secret, crate::secret::Secret)),
    };
    quote!(#name: Option<#ty>)
}

/// The builder's setters for a credential (two for a bearer token: fixed, or a source).
pub fn setters(credential: &Credential) -> TokenStream {
    let docs = SetterDocs::of(credential);
    match &credential.kind {
        CredentialKind::ApiKey { default, sensitive, .. } => api_key_setter(credential, &docs, default, *sensitive),
        CredentialKind::Bearer { source_setter, format, obtain } => {
            bearer_setters(credential, &docs, source_setter, format.as_deref(), obtain)
        }
        CredentialKind::Basic => {
            let SetterDocs { doc, separator, common } = &docs;
            let name = ident(&credential.rust_name);
            quote! {
                #doc
                #separator
                #[doc = " Sent as `Authorization: Basic …` (HTTP basic authentication)."]
                #common
                pub fn #name(mut self, username: impl Into<String>, password: impl Into<crate::secret::Secret>) -> Self {
                    self.#name = Some((crate::secret::Secret::new(username.into()), password.into()));
                    self
                }
            }
        }
        CredentialKind::Authorization { scheme } => {
            let SetterDocs { doc, separator, common } = &docs;
            let name = ident(&credential.rust_name);
            let sent = format!(
                " The whole `Authorization` header value for the `{scheme}` HTTP authentication scheme, e.g. \
                 `{scheme} <credentials>`; the client sends it as given and does not implement the scheme itself."
            );
            quote! {
                #doc
                #separator
                #[doc = #sent]
                #common
                pub fn #name(mut self, value: impl Into<crate::secret::Secret>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        }
    }
}

/// What every setter's docs say: the scheme's description, then (after how it is sent) which
/// scheme it is, whether operations need it, and where `from_env` reads it.
struct SetterDocs {
    doc: TokenStream,
    separator: TokenStream,
    common: TokenStream,
}

impl SetterDocs {
    fn of(credential: &Credential) -> Self {
        let doc = doc_attrs(credential.doc.as_deref());
        let separator = if credential.doc.is_some() { quote!(#[doc = ""]) } else { TokenStream::new() };
        let required = match (credential.required, credential.has_default()) {
            (true, true) => " Every operation sends it: without a value set here, the default is sent.",
            (true, false) => " Every operation needs it: `build()` fails without it.",
            (false, true) => " Sent by the operations whose security accepts it: without a value set here, the default is sent.",
            (false, false) => {
                " Sent by the operations whose security accepts it; calling one that needs it without it fails before sending."
            }
        };
        let scheme = format!(" The spec's `{}` security scheme.{required}", credential.scheme);
        let variables: Vec<String> = credential.env_vars.iter().map(|variable| format!("`{variable}`")).collect();
        let env = format!(" [`ClientBuilder::from_env`] reads it from {}.", variables.join(" and "));
        let common = quote! {
            #[doc = ""]
            #[doc = #scheme]
            #[doc = #env]
        };
        SetterDocs { doc, separator, common }
    }
}

/// The setter of an API key: a `Secret`, or a plain `String` when the scheme says it is not
/// sensitive.
fn api_key_setter(
    credential: &Credential,
    docs: &SetterDocs,
    default: &Option<String>,
    sensitive: bool,
) -> TokenStream {
    let SetterDocs { doc, separator, common } = docs;
    let name = ident(&credential.rust_name);
    let sent = match default {
        Some(default) => format!(" Sent as {}; defaults to `{default}`.", sent_as(credential)),
        None => format!(" Sent as {}.", sent_as(credential)),
    };
    let ty = if sensitive { quote!(crate::secret::Secret) } else { quote!(String) };
    quote! {
        #doc
        #separator
        #[doc = #sent]
        #common
        pub fn #name(mut self, value: impl Into<#ty>) -> Self {
            self.#name = Some(value.into());
            self
        }
    }
}

/// The two setters of a bearer token: a fixed token, and a source asked before every attempt.
fn bearer_setters(
    credential: &Credential,
    docs: &SetterDocs,
    source_setter: &str,
    format: Option<&str>,
    obtain: &[String],
) -> TokenStream {
    let SetterDocs { doc, separator, common } = docs;
    let name = ident(&credential.rust_name);
    let source = ident(source_setter);
    let format = match format {
        Some(format) => format!(" Sent as `Authorization: Bearer <token>`; the token is a {format}."),
        None => " Sent as `Authorization: Bearer <token>`.".to_string(),
    };
    let refresh = format!(" For tokens that expire, use [`ClientBuilder::{source_setter}`] instead.");
    let obtain_doc = if obtain.is_empty() {
        TokenStream::new()
    } else {
        let lines = obtain.iter().map(|line| format!(" - {line}"));
        quote! {
            #[doc = ""]
            #[doc = " How to obtain a token:"]
            #[doc = ""]
            #(#[doc = #lines])*
        }
    };
    let source_doc = format!(
        " Like [`ClientBuilder::{}`], with the token asked of `source` before every attempt (retries \
         included): for OAuth2 access tokens that expire, a source keeps its token and refreshes it \
         when it is about to. Any closure returning a future of `Result<Secret, TokenError>` is a source.",
        credential.rust_name
    );
    let source_error = " If the source fails, the call fails with [`Error::Credential`] and nothing is sent.";
    quote! {
        #doc
        #separator
        #[doc = #format]
        #[doc = #refresh]
        #obtain_doc
        #common
        pub fn #name(mut self, token: impl Into<crate::secret::Secret>) -> Self {
            self.#name = Some(crate::token::Token::Fixed(token.into()));
            self
        }

        #[doc = #source_doc]
        #[doc = ""]
        #[doc = #source_error]
        pub fn #source(mut self, source: impl crate::token::TokenSource) -> Self {
            self.#name = Some(crate::token::Token::Source(std::sync::Arc::new(source)));
            self
        }
    }
}

/// Statements of `from_env` for a credential: a variable that is set overrides the builder;
/// a credential every operation needs must be somewhere.
pub fn env_read(credential: &Credential) -> TokenStream {
    let name = ident(&credential.rust_name);
    let required = credential.must_be_supplied();
    match credential.env_vars.as_slice() {
        [username, password] => {
            let missing = if required {
                quote! {
                    (None, None) if self.#name.is_none() => return Err(BuildError::MissingEnv { var: #username }),
                }
            } else {
                TokenStream::new()
            };
            quote! {
                // One variable alone replaces its half of what the builder has.
                match (crate::settings::read_env(#username), crate::settings::read_env(#password)) {
                    (Some(username), Some(password)) => self = self.#name(username, password),
                    (Some(username), None) => match self.#name.take() {
                        Some((_, password)) => self.#name = Some((crate::secret::Secret::new(username), password)),
                        None => return Err(BuildError::MissingEnv { var: #password }),
                    },
                    (None, Some(password)) => match self.#name.take() {
                        Some((username, _)) => self.#name = Some((username, crate::secret::Secret::new(password))),
                        None => return Err(BuildError::MissingEnv { var: #username }),
                    },
                    #missing
                    (None, None) => {}
                }
            }
        }
        [variable] if required => quote! {
            if let Some(value) = crate::settings::read_env(#variable) {
                self = self.#name(value);
            } else if self.#name.is_none() {
                return Err(BuildError::MissingEnv { var: #variable });
            }
        },
        [variable] => quote! {
            if let Some(value) = crate::settings::read_env(#variable) {
                self = self.#name(value);
            }
        },
        _ => TokenStream::new(),
    }
}

/// The `Credentials` field and its value in `build()`: checked, and ready to send.
fn prepared(credential: &Credential) -> (TokenStream, TokenStream) {
    let name = ident(&credential.rust_name);
    let label = &credential.rust_name;
    let missing = missing(credential);
    let present = credential.always_present();
    match &credential.kind {
        CredentialKind::ApiKey { location, default, sensitive, .. } => {
            api_key_prepared(credential, *location, default.as_deref(), *sensitive)
        }
        CredentialKind::Bearer { .. } => {
            let value =
                if credential.must_be_supplied() { quote!(Some(self.#name #missing)) } else { quote!(self.#name) };
            (
                quote!(#name: Option<crate::token::Token>),
                quote! {{
                    if let Some(crate::token::Token::Fixed(token)) = &self.#name {
                        crate::token::bearer_header(token).ok_or(BuildError::InvalidCredential { name: #label })?;
                    }
                    #value
                }},
            )
        }
        CredentialKind::Basic => {
            let convert = quote! {
                crate::basic_auth::basic_header(value.0.expose(), value.1.expose())
                    .ok_or(BuildError::InvalidCredential { name: #label })
            };
            (
                quote!(#name: Option<reqwest::header::HeaderValue>),
                finish(present, quote!(self.#name.as_ref() #missing), convert, true),
            )
        }
        CredentialKind::Authorization { .. } => (
            quote!(#name: Option<reqwest::header::HeaderValue>),
            finish(
                present,
                quote!(self.#name.as_ref().map(crate::secret::Secret::expose) #missing),
                quote!(crate::settings::header_value(#label, value, true)),
                true,
            ),
        ),
    }
}

/// What follows the read of a credential the caller must supply: `build()` fails without it.
fn missing(credential: &Credential) -> TokenStream {
    if credential.must_be_supplied() {
        let label = &credential.rust_name;
        let sent = sent_as(credential);
        quote!(.ok_or(BuildError::MissingCredential { name: #label, sent_as: #sent })?)
    } else {
        TokenStream::new()
    }
}

/// The stored value of a credential read by `read` into `value`: converted by `convert` (which
/// returns a `Result` when `fallible`), a plain value (or an error) when it is always
/// [present](Credential::always_present), else still optional.
fn finish(present: bool, read: TokenStream, convert: TokenStream, fallible: bool) -> TokenStream {
    match (present, fallible) {
        (true, true) => quote!({ let value = #read; Some(#convert?) }),
        (true, false) => quote!({ let value = #read; Some(#convert) }),
        (false, true) => quote!(#read.map(|value| #convert).transpose()?),
        (false, false) => quote!(#read.map(|value| #convert)),
    }
}

/// [`prepared`] for an API key: a header value, a query parameter or a cookie value, the
/// default in place of a value the caller did not set.
fn api_key_prepared(
    credential: &Credential,
    location: ApiKeyLocation,
    default: Option<&str>,
    sensitive: bool,
) -> (TokenStream, TokenStream) {
    let name = ident(&credential.rust_name);
    let label = &credential.rust_name;
    let present = credential.always_present();
    let read = if sensitive {
        quote!(self.#name.as_ref().map(crate::secret::Secret::expose))
    } else {
        quote!(self.#name.as_deref())
    };
    let read = match default {
        Some(default) => quote!(#read.unwrap_or(#default)),
        None => {
            let missing = missing(credential);
            quote!(#read #missing)
        }
    };
    match location {
        ApiKeyLocation::Header => (
            quote!(#name: Option<reqwest::header::HeaderValue>),
            finish(present, read, quote!(crate::settings::header_value(#label, value, #sensitive)), true),
        ),
        ApiKeyLocation::Query => (
            quote!(#name: Option<crate::secret::Secret>),
            match (present, sensitive) {
                (true, _) => finish(present, read, quote!(crate::secret::Secret::new(value)), false),
                (false, true) => quote!(self.#name),
                (false, false) => quote!(self.#name.map(crate::secret::Secret::new)),
            },
        ),
        ApiKeyLocation::Cookie => (
            quote!(#name: Option<crate::secret::Secret>),
            finish(present, read, quote!(crate::settings::cookie_value(#label, value)), true),
        ),
    }
}

/// `let credentials = Credentials { … };` in `build()`, and the helpers it needs.
pub fn build_credentials(api: &Api) -> TokenStream {
    let fields = api.credentials.iter().map(|credential| {
        let name = ident(&credential.rust_name);
        let (_, value) = prepared(credential);
        quote!(#name: #value)
    });
    quote!(let credentials = Credentials { #(#fields,)* };)
}

/// The client's `Credentials`: the configured credentials, ready to send, and how an
/// operation's security alternative is chosen and added to a request.
pub fn credentials_struct(api: &Api) -> TokenStream {
    let fields = api.credentials.iter().map(|credential| prepared(credential).0);
    let setters = api.credentials.iter().map(|credential| credential.rust_name.as_str());
    let is_set = if api.credentials.is_empty() {
        quote! {
            fn is_set(&self, _credential: usize) -> bool {
                false
            }
        }
    } else {
        let arms = api.credentials.iter().enumerate().map(|(index, credential)| {
            let name = ident(&credential.rust_name);
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote!(#index => self.#name.is_some())
        });
        quote! {
            fn is_set(&self, credential: usize) -> bool {
                match credential {
                    #(#arms,)*
                    _ => false,
                }
            }
        }
    };
    let apply = apply(api);
    quote! {
        /// The credentials the client was given, checked and ready to send, one field per
        /// security scheme. `Debug` shows no secret value.
        #[derive(Debug, Clone)]
        struct Credentials {
            #(#fields,)*
        }

        impl Authenticate for Credentials {
            const SETTERS: &'static [&'static str] = &[#(#setters),*];

            #is_set

            #apply
        }
    }
}

/// `Credentials::apply`: adds the chosen credentials to one attempt.
fn apply(api: &Api) -> TokenStream {
    if api.credentials.is_empty() {
        return quote! {
            async fn apply(&self, _credentials: &[usize], _request: &mut reqwest::Request) -> Result<(), Error> {
                Ok(())
            }
        };
    }
    let cookies = api
        .credentials
        .iter()
        .any(|c| matches!(c.kind, CredentialKind::ApiKey { location: ApiKeyLocation::Cookie, .. }));
    let arms = api.credentials.iter().enumerate().map(|(index, credential)| {
        let name = ident(&credential.rust_name);
        let label = &credential.rust_name;
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let body = match &credential.kind {
            CredentialKind::ApiKey { location: ApiKeyLocation::Header, name: header, .. } => {
                let header = header.to_ascii_lowercase();
                quote! {
                    request.headers_mut().insert(reqwest::header::HeaderName::from_static(#header), value.clone());
                }
            }
            CredentialKind::ApiKey { location: ApiKeyLocation::Query, name: parameter, .. } => quote! {
                request.url_mut().query_pairs_mut().append_pair(#parameter, value.expose());
            },
            CredentialKind::ApiKey { location: ApiKeyLocation::Cookie, name: cookie, .. } => quote! {
                cookies.push(format!("{}={}", #cookie, value.expose()));
            },
            CredentialKind::Bearer { .. } => quote! {
                let value = value.header(#label).await?;
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
            },
            CredentialKind::Basic | CredentialKind::Authorization { .. } => quote! {
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, value.clone());
            },
        };
        quote! {
            if credentials.contains(&#index) {
                if let Some(value) = &self.#name {
                    #body
                }
            }
        }
    });
    let (cookie_jar, cookie_header) = if cookies {
        (
            quote!(let mut cookies: Vec<String> = Vec::new();),
            quote! {
                if !cookies.is_empty() {
                    // One `Cookie` header in all: the operation's cookie parameters come first.
                    if let Some(parameters) =
                        request.headers().get(reqwest::header::COOKIE).and_then(|value| value.to_str().ok())
                    {
                        cookies.insert(0, parameters.to_string());
                    }
                    let mut value = reqwest::header::HeaderValue::from_str(&cookies.join("; "))
                        .map_err(|_| Error::InvalidCredential { name: "cookie" })?;
                    value.set_sensitive(true);
                    request.headers_mut().insert(reqwest::header::COOKIE, value);
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        async fn apply(&self, credentials: &[usize], request: &mut reqwest::Request) -> Result<(), Error> {
            #cookie_jar
            #(#arms)*
            #cookie_header
            Ok(())
        }
    }
}
