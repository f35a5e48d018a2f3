//! `src/secret.rs` of the generated crate: a string that never prints itself.

use proc_macro2::TokenStream;
use quote::quote;

pub fn secret_rs() -> TokenStream {
    quote! {
        //! Values that must not leak into logs, error messages or traces.

        use std::fmt;

        /// A credential or other sensitive string. `Debug` and `Display` print `[redacted]`; the
        /// value is only reachable through [`Secret::expose`]. It serializes as the plain string.
        #[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct Secret(String);

        impl Secret {
            /// Wraps a sensitive value.
            pub fn new(value: impl Into<String>) -> Self {
                Secret(value.into())
            }

            /// The value itself, for the rare code that must see it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for Secret {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl fmt::Display for Secret {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl From<String> for Secret {
            fn from(value: String) -> Self {
                Secret(value)
            }
        }

        impl From<&str> for Secret {
            fn from(value: &str) -> Self {
                Secret(value.to_string())
            }
        }
    }
}
