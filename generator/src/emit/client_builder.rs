//! The `Environment` enum and the `ClientBuilder` of `src/client.rs`: where requests go and which
//! credentials they carry.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth;
use super::docs::doc_attrs;
use super::ident;
use crate::model::Api;

/// The fields and methods `ClientBuilder` has whatever the spec: written here, and `fmt` and
/// `default` of its derives. Credential setters, and the fields holding their values, avoid
/// them.
pub const BUILDER_MEMBERS: &[&str] =
    &["base_url", "build", "default", "environment", "fmt", "from_env", "host", "settings"];

/// The method this file writes on `Client`.
pub const CLIENT_FROM_ENV: &[&str] = &["from_env"];

/// The methods the runtime's `settings.rs` adds to `ClientBuilder`: the settings every API has.
pub const RUNTIME_BUILDER_METHODS: &[&str] = &[
    "allow_base_url_from_env",
    "allow_insecure_http",
    "connect_timeout",
    "deadline",
    "max_concurrent_calls",
    "max_response_size",
    "on_response",
    "retry_policy",
    "timeout",
    "user_agent",
    "with_reqwest_client",
];

/// The methods the runtime's `settings.rs` adds to `Client`: copies with other settings, and
/// reading them back.
pub const RUNTIME_CLIENT_METHODS: &[&str] =
    &["deadline", "retry_policy", "timeout", "with_deadline", "with_retry_policy", "with_timeout"];

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
        let text = &server.env_name;
        quote!(#text => Some(Environment::#name))
    });
    // Without servers there is no name to match (and a lone `_` arm is a lint).
    let from_name = if api.servers.is_empty() {
        quote! {
            let _ = name;
            None
        }
    } else {
        quote! {
            match name.trim().to_ascii_lowercase().as_str() {
                #(#names,)*
                _ => None,
            }
        }
    };
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
                #from_name
            }
        }
    }
}

pub fn builder(api: &Api) -> TokenStream {
    let fields = api.credentials.iter().map(auth::builder_field);
    let setters = api.credentials.iter().map(auth::setters);
    let build_credentials = auth::build_credentials(api);
    let default_environment = match api.servers.as_slice() {
        [only] => {
            let name = ident(&only.rust_name);
            quote!(self.environment.or(Some(Environment::#name)))
        }
        _ => quote!(self.environment),
    };
    let Host { field: host_field, setter: host_setter, env: host_env, environment_url } = host(api);
    let from_env = from_env(api, host_env);
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
            /// Timeouts, retries and the other settings every API has (`settings.rs`).
            pub(crate) settings: crate::settings::Settings,
            #(#fields,)*
        }

        impl ClientBuilder {
            /// Sends requests to one of the spec's servers.
            pub fn environment(mut self, environment: Environment) -> Self {
                self.environment = Some(environment);
                self.base_url = None;
                self
            }

            /// Sends requests to another base URL, such as a local mock server or a proxy. The
            /// URL is used as given: it replaces the environment, host and server path. Plain
            /// `http://` is accepted only to this machine (`localhost`, `127.0.0.0/8`, `::1`)
            /// unless [`ClientBuilder::allow_insecure_http`] is called.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self.environment = None;
                self
            }

            #host_setter

            #(#setters)*

            #from_env

            /// Checks the configuration and creates the client: fails when no server is chosen,
            /// the base URL is not an absolute `https://` URL (or `http://` to this machine, see
            /// [`ClientBuilder::allow_insecure_http`]), or a credential that every operation
            /// needs and that has no default is missing.
            pub fn build(self) -> Result<Client, BuildError> {
                let base_url = match (self.base_url, #default_environment) {
                    (Some(url), _) => url,
                    (None, Some(environment)) => #environment_url,
                    (None, None) => return Err(BuildError::MissingBaseUrl),
                };
                let transport = self.settings.into_transport(base_url)?;
                #build_credentials
                Ok(Client { transport, credentials: std::sync::Arc::new(credentials) })
            }
        }
    }
}

/// `ClientBuilder::from_env`: credentials, the host of relative servers (`host_env`), then the
/// base URL when allowed, else the environment.
fn from_env(api: &Api, host_env: TokenStream) -> TokenStream {
    let env_reads = api.credentials.iter().map(auth::env_read);
    let (env_var, base_url_var) = (&api.env_vars.environment, &api.env_vars.base_url);
    let environment_names: Vec<&str> = api.servers.iter().map(|server| server.env_name.as_str()).collect();
    let expected = format!("one of {}", environment_names.join(", "));
    let (from_env_doc, base_url_doc) = from_env_docs(api);
    quote! {
        /// Takes settings from environment variables. A variable that is set replaces what the
        /// builder had; one that is not set leaves it as it was. A credential every operation
        /// needs must be set on the builder or in its variable.
        ///
        #[doc = #from_env_doc]
        #[doc = #base_url_doc]
        pub fn from_env(mut self) -> Result<Self, BuildError> {
            #(#env_reads)*
            #host_env
            let base_url = if self.settings.base_url_from_env { crate::settings::read_env(#base_url_var) } else { None };
            if let Some(url) = base_url {
                self = self.base_url(url);
            } else if let Some(name) = crate::settings::read_env(#env_var) {
                let environment = Environment::from_name(&name)
                    .ok_or(BuildError::InvalidEnv { var: #env_var, expected: #expected })?;
                self = self.environment(environment);
            }
            Ok(self)
        }
    }
}

/// The docs of `from_env`: the variables it reads, and the base-URL variable it reads only when
/// allowed.
fn from_env_docs(api: &Api) -> (String, String) {
    let environment_names: Vec<&str> = api.servers.iter().map(|server| server.env_name.as_str()).collect();
    let mut documented_vars: Vec<String> = credential_env_vars(api).map(|variable| format!("`{variable}`")).collect();
    documented_vars.push(format!("`{}` ({})", api.env_vars.environment, environment_names.join(" or ")));
    if api.servers.iter().any(|server| server.relative) {
        documented_vars.push(format!("`{}`", api.env_vars.host));
    }
    let from_env_doc = format!(" Reads {}.", documented_vars.join(", "));
    let base_url_doc = format!(
        " `{}`, a base URL that replaces the environment, is read only after \
         [`ClientBuilder::allow_base_url_from_env`]; otherwise it is ignored, so that a stray \
         variable cannot send requests and credentials elsewhere.",
        api.env_vars.base_url
    );
    (from_env_doc, base_url_doc)
}

/// What the builder has for servers the spec gives relative to its host: the `host` field and
/// setter, reading `{PREFIX}_HOST`, and joining the host and the server's path in `build()`.
/// Without such servers, only the environment's URL.
struct Host {
    field: TokenStream,
    setter: TokenStream,
    env: TokenStream,
    environment_url: TokenStream,
}

fn host(api: &Api) -> Host {
    if !api.servers.iter().any(|server| server.relative) {
        return Host {
            field: TokenStream::new(),
            setter: TokenStream::new(),
            env: TokenStream::new(),
            environment_url: quote!(environment.base_url().to_string()),
        };
    }
    let host_var = &api.env_vars.host;
    Host {
        field: quote!(host: Option<String>,),
        setter: quote! {
            /// The scheme and host (and port, if any) of the API, e.g.
            /// `https://api.example.com`, for servers the spec gives relative to where it is
            /// served (see [`Environment::is_relative`]): requests go to this host followed by
            /// the server's path. Servers with a whole URL ignore it.
            pub fn host(mut self, host: impl Into<String>) -> Self {
                self.host = Some(host.into());
                self
            }
        },
        env: quote! {
            if let Some(host) = crate::settings::read_env(#host_var) {
                self = self.host(host);
            }
        },
        environment_url: quote! {
            if environment.is_relative() {
                let host = self.host.as_deref().ok_or(BuildError::MissingHost { path: environment.base_url() })?;
                format!("{}{}", host.trim_end_matches('/'), environment.base_url())
            } else {
                environment.base_url().to_string()
            }
        },
    }
}

/// The environment variables `from_env` reads credentials from, in order (a basic-auth pair as
/// its `…_USERNAME` and `…_PASSWORD`).
pub(super) fn credential_env_vars(api: &Api) -> impl Iterator<Item = &str> {
    api.credentials.iter().flat_map(|credential| credential.env_vars.iter().map(String::as_str))
}
