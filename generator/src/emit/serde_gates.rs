//! Which of a type's serde impls are compiled only with the `serde-all` feature: `Serialize`
//! for a type that is only received and `Deserialize` for one that is only sent, which the
//! client never calls. The mock server (which decodes requests and sends responses) and the
//! command line (which reads request bodies and prints responses) turn `serde-all` on; so can a
//! user who wants every type both ways. A type that is both sent and received has both impls
//! always. One that is neither (a schema no operation or webhook uses, such as the payload of a
//! webhook the spec lists only as a schema) decodes always, as users decode such values on
//! their own, and so does every type it holds; it serializes with the feature.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::TypeDef;

/// The feature that compiles the impls a type does not need.
const FEATURE: &str = "serde-all";

/// Which impls of a type wait for [`FEATURE`].
#[derive(Debug, Clone, Copy)]
pub(super) struct SerdeGates {
    serialize: bool,
    deserialize: bool,
}

impl SerdeGates {
    pub(super) fn of(def: &TypeDef) -> Self {
        SerdeGates { serialize: !def.in_request, deserialize: !def.in_response && !def.in_unused }
    }

    /// `#[derive(serde::Serialize)]`, under the feature if `Serialize` waits for it.
    pub(super) fn derive_serialize(self) -> TokenStream {
        if self.serialize {
            quote!(#[cfg_attr(feature = #FEATURE, derive(serde::Serialize))])
        } else {
            quote!(#[derive(serde::Serialize)])
        }
    }

    /// `#[serde(…)]` with `inner` for the derived `Serialize`, under the feature if the derive is.
    pub(super) fn serde_attr(self, inner: TokenStream) -> TokenStream {
        if self.serialize {
            quote!(#[cfg_attr(feature = #FEATURE, serde(#inner))])
        } else {
            quote!(#[serde(#inner)])
        }
    }

    /// The `cfg` of a hand-written `impl Serialize`: the feature's, or nothing.
    pub(super) fn serialize_cfg(self) -> TokenStream {
        if self.serialize {
            quote!(#[cfg(feature = #FEATURE)])
        } else {
            TokenStream::new()
        }
    }

    /// The `cfg` of `impl Deserialize` and what only it uses: the feature's, or nothing.
    pub(super) fn deserialize_cfg(self) -> TokenStream {
        if self.deserialize {
            quote!(#[cfg(feature = #FEATURE)])
        } else {
            TokenStream::new()
        }
    }
}
