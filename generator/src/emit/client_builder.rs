//! The `Environment` enum and the `ClientBuilder` of `src/client.rs`: where requests go and which
//! credentials they carry.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth;
use super::docs::doc_attrs;
use super::ident;
use crate::model::{naming, Api, CredentialKind};

pub fn environment(api: &Api) -> TokenStream {
    let variants = api.servers.iter().map(|server| {
        let name = ident(&server.rust_name);
        let doc = if server.relative {
            format!(" `{}`, relative to the API's host (see [`ClientBuilder::host`])", server.url)
        } else {
            format!(" `{}`", server.url)
        };
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
    let relative: Vec<_> = api.servers.iter().filter(|s| s.relative).map(|s| ident(&s.rust_name)).collect();
    let is_relative = if relative.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Whether the spec gives this server relative to the API's host, so that
            /// [`ClientBuilder::host`] must say which host that is.
            pub fn is_relative(self) -> bool {
                matches!(self, #(Environment::#relative)|*)
            }
        }
    };
    let names = api.servers.iter().map(|server| {
        let name = ident(&server.rust_name);
        let text = naming::snake_name(&server.rust_name);
        quote!(#text => Some(Environment::#name))
    });
    quote! {
        /// The servers the API is served from, as listed in the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Environment {
            #(#variants,)*
        }

        impl Environment {
            /// The base URL of this environment, as the spec gives it (a path such as `/api/v1`
            /// for a server relative to the API's host).
            pub fn base_url(self) -> &'static str {
                #base_url_body
            }

            #is_relative

            /// The environment with this name in snake case (as `from_env` reads it), if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name.trim().to_ascii_lowercase().as_str() {
                    #(#names,)*
                    _ => None,
                }
            }
        }
    }
}

pub fn builder(api: &Api) -> TokenStream {
    let fields = api.credentials.iter().map(auth::builder_field);
    let setters = api.credentials.iter().map(auth::setters);
    let env_reads = api.credentials.iter().map(auth::env_read);
    let build_credentials = auth::build_credentials(api);
    let build_helpers = auth::build_helpers(api);
    let relative = api.servers.iter().any(|s| s.relative);
    let env_var = format!("{}_ENV", api.env_prefix);
    let base_url_var = format!("{}_BASE_URL", api.env_prefix);
    let host_var = format!("{}_HOST", api.env_prefix);
    let environment_names: Vec<String> = api.servers.iter().map(|s| naming::snake_name(&s.rust_name)).collect();
    let expected = format!("one of {}", environment_names.join(", "));
    let mut documented_vars: Vec<String> = Vec::new();
    for credential in &api.credentials {
        match credential.kind {
            CredentialKind::Basic => {
                documented_vars.push(format!("`{0}_USERNAME`, `{0}_PASSWORD`", credential.env_var));
            }
            _ => documented_vars.push(format!("`{}`", credential.env_var)),
        }
    }
    documented_vars.push(format!("`{env_var}` ({})", environment_names.join(" or ")));
    if relative {
        documented_vars.push(format!("`{host_var}`"));
    }
    documented_vars.push(format!("or `{base_url_var}`"));
    let from_env_doc = format!(" Reads {}.", documented_vars.join(", "));
    let default_environment = match api.servers.as_slice() {
        [only] => {
            let name = ident(&only.rust_name);
            quote!(self.environment.or(Some(Environment::#name)))
        }
        _ => quote!(self.environment),
    };
    let (host_field, host_setter, host_env, environment_url) = if relative {
        (
            quote!(host: Option<String>,),
            quote! {
                /// The scheme and host (and port, if any) of the API, e.g.
                /// `https://api.example.com`, for servers the spec gives relative to where it is
                /// served (see [`Environment::is_relative`]): requests go to this host followed by
                /// the server's path. Servers with a whole URL ignore it.
                pub fn host(mut self, host: impl Into<String>) -> Self {
                    self.host = Some(host.into());
                    self
                }
            },
            quote! {
                if let Some(host) = read_env(#host_var) {
                    self = self.host(host);
                }
            },
            quote! {
                if environment.is_relative() {
                    let host = self.host.as_deref().ok_or(BuildError::MissingHost { path: environment.base_url() })?;
                    format!("{}{}", host.trim_end_matches('/'), environment.base_url())
                } else {
                    environment.base_url().to_string()
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new(), TokenStream::new(), quote!(environment.base_url().to_string()))
    };
    quote! {
        impl Client {
            /// Configures a client from environment variables (see [`ClientBuilder::from_env`]).
            pub fn from_env() -> Result<Client, BuildError> {
                ClientBuilder::default().from_env()?.build()
            }
        }

        /// Configures a [`Client`]: where to send requests, which credentials to send, and how
        /// patiently. `Debug` never shows secret values.
        #[derive(Debug, Default)]
        pub struct ClientBuilder {
            environment: Option<Environment>,
            base_url: Option<String>,
            #host_field
            http: Option<reqwest::Client>,
            timeout: Option<Duration>,
            connect_timeout: Option<Duration>,
            retry: Option<RetryPolicy>,
            user_agent: Option<String>,
            max_response_size: Option<usize>,
            on_response: Option<ResponseHook>,
            #(#fields,)*
        }

        impl ClientBuilder {
            /// The default limit for one attempt, from connecting to the end of the body.
            pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
            /// The default limit for opening a connection.
            pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
            /// The default limit on the size of a response body: 64 MiB.
            pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

            /// Sends requests to one of the spec's servers.
            pub fn environment(mut self, environment: Environment) -> Self {
                self.environment = Some(environment);
                self.base_url = None;
                self
            }

            /// Sends requests to another base URL, such as a local mock server or a proxy. The
            /// URL is used as given: it replaces the environment, host and server path.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self.environment = None;
                self
            }

            #host_setter

            /// Limits each attempt, from connecting until the whole body has arrived (default
            /// 30 s). A retried call can take longer in total; see [`RetryPolicy`].
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// Limits opening a connection (default 10 s). Ignored when the caller brings their
            /// own `reqwest::Client`, which has its own setting.
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.connect_timeout = Some(timeout);
                self
            }

            /// Sets when and how failed requests are retried (default: [`RetryPolicy::default`]).
            pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
                self.retry = Some(policy);
                self
            }

            /// Sets the `User-Agent` header (default: this crate's name and version).
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = Some(user_agent.into());
                self
            }

            /// Limits the size of a response body (default 64 MiB); a larger one is an
            /// [`Error::ResponseTooLarge`] and is not read into memory.
            pub fn max_response_size(mut self, bytes: usize) -> Self {
                self.max_response_size = Some(bytes);
                self
            }

            /// Calls `hook` when each call ends, successful or not, with its operation, status,
            /// request id, attempts and latency: a place for metrics, or for logging request ids
            /// of successful calls.
            pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
                self.on_response = Some(ResponseHook::new(hook));
                self
            }

            /// Uses a `reqwest::Client` configured by the caller (proxies, TLS, pools, …).
            pub fn with_reqwest_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            #(#setters)*

            /// Takes settings from environment variables; a variable that is set overrides what
            /// the builder had.
            ///
            #[doc = #from_env_doc]
            pub fn from_env(mut self) -> Result<Self, BuildError> {
                #(#env_reads)*
                #host_env
                if let Some(url) = read_env(#base_url_var) {
                    self = self.base_url(url);
                } else if let Some(name) = read_env(#env_var) {
                    let environment = Environment::from_name(&name)
                        .ok_or(BuildError::InvalidEnv { var: #env_var, expected: #expected })?;
                    self = self.environment(environment);
                }
                Ok(self)
            }

            /// Checks the configuration and creates the client.
            pub fn build(self) -> Result<Client, BuildError> {
                let base_url = match (self.base_url, #default_environment) {
                    (Some(url), _) => url,
                    (None, Some(environment)) => #environment_url,
                    (None, None) => return Err(BuildError::MissingBaseUrl),
                };
                let base_url = base_url.trim_end_matches('/').to_string();
                match reqwest::Url::parse(&base_url) {
                    Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
                    _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
                }
                let user_agent = self.user_agent.as_deref().unwrap_or(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                let user_agent = reqwest::header::HeaderValue::from_str(user_agent)
                    .map_err(|_| BuildError::InvalidCredential { name: "user_agent" })?;
                #build_credentials
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder()
                        .connect_timeout(self.connect_timeout.unwrap_or(Self::DEFAULT_CONNECT_TIMEOUT))
                        .build()
                        .map_err(BuildError::Http)?,
                };
                Ok(Client {
                    http,
                    base_url,
                    user_agent,
                    credentials,
                    timeout: self.timeout.unwrap_or(Self::DEFAULT_TIMEOUT),
                    retry: self.retry.unwrap_or_default(),
                    max_response_size: self.max_response_size.unwrap_or(Self::DEFAULT_MAX_RESPONSE_SIZE),
                    on_response: self.on_response,
                })
            }
        }

        /// A non-empty environment variable.
        fn read_env(var: &str) -> Option<String> {
            std::env::var(var).ok().filter(|value| !value.trim().is_empty())
        }

        #build_helpers
    }
}
