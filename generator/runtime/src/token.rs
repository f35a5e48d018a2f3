//! Bearer tokens: fixed, or asked of a caller's token source before every attempt.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::Error;
use crate::secret::Secret;

/// Why a [`TokenSource`] could not supply a token; the call fails with
/// [`Error::Credential`], which keeps it as its source.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// Supplies bearer tokens, such as OAuth2 access tokens that expire and must be
/// refreshed. The client asks for a token before every attempt, retries included, so a
/// source should keep its token and fetch a new one only when it is about to expire.
///
/// Any closure returning a future of `Result<Secret, TokenError>` is a token source; the
/// builder's `…_source` setters take one (each has an example).
pub trait TokenSource: Send + Sync + 'static {
    /// A token to send now.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut> TokenSource for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Secret, TokenError>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self())
    }
}

/// A bearer token: fixed, or asked of a source before each attempt.
#[derive(Clone)]
pub enum Token {
    Fixed(Secret),
    Source(Arc<dyn TokenSource>),
}

impl Token {
    /// The `Authorization` value to send now; `name` is the credential's setter.
    pub async fn header(&self, name: &'static str) -> Result<reqwest::header::HeaderValue, Error> {
        let header = match self {
            Token::Fixed(token) => bearer_header(token),
            Token::Source(source) => {
                let token = source.token().await.map_err(|source| Error::Credential { name, source })?;
                bearer_header(&token)
            }
        };
        header.ok_or(Error::InvalidCredential { name })
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Fixed(_) => f.write_str("Token::Fixed([redacted])"),
            Token::Source(_) => f.write_str("Token::Source(..)"),
        }
    }
}

/// `Bearer <token>`, marked sensitive; `None` when the token cannot be sent in a header.
pub fn bearer_header(token: &Secret) -> Option<reqwest::header::HeaderValue> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()?;
    value.set_sensitive(true);
    Some(value)
}
