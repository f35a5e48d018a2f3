//! `src/auth.rs` of the generated crate: bearer tokens (fixed, or from a caller's token source)
//! and the `Authorization` value of HTTP basic authentication. Emitted for specs with such
//! schemes; each half only when the spec needs it.

use proc_macro2::TokenStream;
use quote::quote;

pub fn auth_rs(bearer: bool, basic: bool) -> TokenStream {
    let tokens = if bearer {
        quote! {
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
            /// Any closure returning a future of `Result<Secret, TokenError>` is a token source:
            ///
            /// ```ignore
            /// builder.bearer_auth_source(|| async { Ok::<_, TokenError>(Secret::new(fetch_token().await?)) })
            /// ```
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
            pub(crate) enum Token {
                Fixed(Secret),
                Source(Arc<dyn TokenSource>),
            }

            impl Token {
                /// The `Authorization` value to send now; `name` is the credential's setter.
                pub(crate) async fn header(&self, name: &'static str) -> Result<reqwest::header::HeaderValue, Error> {
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
            pub(crate) fn bearer_header(token: &Secret) -> Option<reqwest::header::HeaderValue> {
                let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()?;
                value.set_sensitive(true);
                Some(value)
            }
        }
    } else {
        TokenStream::new()
    };
    let basic = if basic {
        quote! {
            /// `Basic <base64 of username:password>` (RFC 7617), marked sensitive; `None` when it
            /// cannot be sent in a header.
            pub(crate) fn basic_header(username: &str, password: &str) -> Option<reqwest::header::HeaderValue> {
                const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                let credentials = format!("{username}:{password}");
                let mut encoded = String::from("Basic ");
                for chunk in credentials.as_bytes().chunks(3) {
                    let byte = |index: usize| u32::from(chunk.get(index).copied().unwrap_or(0));
                    let group = (byte(0) << 16) | (byte(1) << 8) | byte(2);
                    for position in 0..4 {
                        if position <= chunk.len() {
                            let sextet = (group >> (18 - 6 * position)) & 63;
                            encoded.push(char::from(ALPHABET[sextet as usize]));
                        } else {
                            encoded.push('=');
                        }
                    }
                }
                let mut value = reqwest::header::HeaderValue::from_str(&encoded).ok()?;
                value.set_sensitive(true);
                Some(value)
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        //! Credentials that need work before they are sent.

        #tokens
        #basic
    }
}
