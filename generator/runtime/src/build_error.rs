//! Why a client could not be built: [`BuildError`], from `ClientBuilder::build` and
//! `ClientBuilder::from_env`.

use std::fmt;

/// Why a [`crate::Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither an environment nor a base URL was chosen.
    MissingBaseUrl,
    /// The base URL is not an absolute http or https URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// The base URL is plain `http://` to a host other than this machine (`localhost`,
    /// `127.0.0.0/8`, `::1`), which would send credentials and data unencrypted; allowed only
    /// after `ClientBuilder::allow_insecure_http`.
    InsecureBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// A credential that every operation needs was not set.
    MissingCredential {
        /// The builder method that sets it.
        name: &'static str,
        /// How it is sent, e.g. ``the `X-Api-Key` header``.
        sent_as: &'static str,
    },
    /// The chosen server is relative to the host serving the API, and no host was given.
    MissingHost {
        /// The server's path, e.g. `/api/v1`.
        path: &'static str,
    },
    /// A credential contains characters that cannot be sent in an HTTP header.
    InvalidCredential {
        /// The builder method that sets it.
        name: &'static str,
    },
    /// A variable `Client::from_env` needs is not set.
    MissingEnv {
        /// The variable's name.
        var: &'static str,
    },
    /// A variable `Client::from_env` read has a value it cannot use.
    InvalidEnv {
        /// The variable's name.
        var: &'static str,
        /// What the value should be.
        expected: &'static str,
    },
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no server chosen: call `environment` or `base_url` on the builder"),
            BuildError::InvalidBaseUrl { url } => write!(f, "`{url}` is not an absolute http or https URL"),
            BuildError::InsecureBaseUrl { url } => write!(
                f,
                "`{url}` is plain http to another machine, which would send credentials unencrypted: use https, or call `allow_insecure_http` on the builder for a trusted network"
            ),
            BuildError::MissingCredential { name, sent_as } => {
                write!(f, "no `{name}` set: call `{name}` on the builder (it is sent as {sent_as})")
            }
            BuildError::MissingHost { path } => write!(
                f,
                "the server `{path}` is relative to the API's host: call `host` on the builder with its scheme and host, e.g. `https://api.example.com`"
            ),
            BuildError::InvalidCredential { name } => {
                write!(f, "the `{name}` value contains characters that cannot be sent in an HTTP request")
            }
            BuildError::MissingEnv { var } => write!(f, "the environment variable `{var}` is not set"),
            BuildError::InvalidEnv { var, expected } => write!(f, "the environment variable `{var}` must be {expected}"),
            BuildError::Http(error) => write!(f, "cannot create the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            _ => None,
        }
    }
}
