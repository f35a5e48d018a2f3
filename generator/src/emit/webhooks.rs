//! `src/webhooks.rs`: the events the API sends, as one enum that parses a delivery's body, the
//! signature check codegen.toml configures, and (with the `mock` feature) a sender that
//! delivers typed, signed events to a receiver under test.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_paragraphs;
use super::ident;
use super::rust_type::qualified_value_type;
use crate::config::{HmacEncoding, HmacSigned, Signature};
use crate::model::webhooks::{Event, EventSelect, EventSource, Events, UNKNOWN_VARIANT};
use crate::model::Api;

/// The items of the module whatever the spec, which the model keeps event variants away from
/// only where they share a namespace (the enum's variants; see `model::webhooks`).
pub const WEBHOOK_ITEMS: &[&str] = &["WebhookEvent", "verifier", "MockSender", "ApiKeys", "SIGNATURE", "MOCK_SECRET"];

/// The module, when the spec describes events.
pub fn webhooks_rs(api: &Api) -> Option<TokenStream> {
    let events = api.events.as_ref()?;
    let doc = module_doc(api, events);
    let event_enum = event_enum(api, events);
    let parse = parse_fn(api, events);
    let name = name_fn(events);
    let serialize = serialize_impl(events);
    let verification = verification(api, events);
    let sender = mock_sender(api, events);
    Some(quote! {
        #doc
        #![allow(deprecated)]

        #[allow(unused_imports)]
        use crate::types;
        pub use crate::webhook::{UnknownEvent, WebhookError, WebhookHeaders};
        #[cfg(feature = "mock")]
        pub use crate::webhook::Delivery;

        #event_enum

        impl WebhookEvent {
            #parse
            #name
        }

        #serialize
        #verification
        #sender
    })
}

fn module_doc(api: &Api, events: &Events) -> TokenStream {
    let verify = match &events.signature {
        Some(Signature::Jwt(_)) => {
            " Check a delivery first with [`verifier`] (built from a [`Client`](crate::Client), which fetches the signing keys), passing its headers and its body as received; then [`WebhookEvent::parse`] the body."
        }
        Some(_) => {
            " Check a delivery first with a [`verifier`] built from your signing secret, passing its headers and its body as received; then [`WebhookEvent::parse`] the body."
        }
        None => {
            " The spec and codegen.toml say nothing about how deliveries are signed, so this crate cannot check them: [`WebhookEvent::parse`] reads a body as it is."
        }
    };
    let lines = [
        format!(" The events {} sends to you (webhooks), and how to read them.", api.title),
        String::new(),
        verify.to_string(),
        String::new(),
        " An event of a kind this crate does not know is [`WebhookEvent::Unknown`], never an error, so a receiver keeps working when the API adds events. Like responses, payloads keep properties they do not declare, and their `Debug` hides what the spec or codegen.toml marks sensitive; errors name fields, never values.".to_string(),
    ];
    quote!(#(#![doc = #lines])*)
}

fn event_enum(api: &Api, events: &Events) -> TokenStream {
    let variants = events.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let payload = qualified_value_type(api, &event.payload);
        let docs = event_docs(event);
        let deprecated = event.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            #variant(#payload),
        }
    });
    let unknown = ident(UNKNOWN_VARIANT);
    quote! {
        /// An event the API sends, one variant per kind of event the spec describes.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum WebhookEvent {
            #(#variants)*
            /// An event of a kind this crate does not know: its JSON, kept whole.
            #unknown(UnknownEvent),
        }
    }
}

fn event_docs(event: &Event) -> TokenStream {
    let origin = match &event.source {
        EventSource::Webhook => format!("The webhook `{}`.", event.name),
        EventSource::Callback { operation_id, expression } => {
            format!("The callback `{}` of `{operation_id}`, sent to the URL `{expression}` names.", event.name)
        }
        EventSource::Schema => format!("A delivery of the schema `{}`.", event.name),
    };
    let selected = match event.values.as_slice() {
        [] => None,
        values => Some(format!(
            "Picked when the payload says {}.",
            values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        )),
    };
    doc_paragraphs(&[
        event.summary.as_deref(),
        event.description.as_deref(),
        Some(origin.as_str()),
        selected.as_deref(),
    ])
}

/// `parse`: by the selecting properties' values, or by trying each payload in turn.
fn parse_fn(api: &Api, events: &Events) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let body = match &events.select {
        EventSelect::Fields(fields) => {
            let arms = field_arms(api, events, fields.len());
            if arms.is_empty() {
                quote! {
                    let value = crate::webhook::parse_json(body)?;
                    Ok(Self::#unknown(UnknownEvent::new(value)))
                }
            } else {
                let reads = fields.iter().map(|field| quote!(crate::webhook::text_field(&value, #field)));
                let scrutinee = if fields.len() == 1 { quote!(#(#reads)*) } else { quote!((#(#reads),*)) };
                quote! {
                    let value = crate::webhook::parse_json(body)?;
                    match #scrutinee {
                        #(#arms)*
                        _ => Ok(Self::#unknown(UnknownEvent::new(value))),
                    }
                }
            }
        }
        EventSelect::FirstMatch => {
            let tries = events.first_match_order(&api.types).into_iter().map(|event| {
                let variant = ident(&event.variant);
                let payload = qualified_value_type(api, &event.payload);
                quote! {
                    if let Ok(payload) = crate::webhook::decode_event::<#payload>(body) {
                        return Ok(Self::#variant(payload));
                    }
                }
            });
            quote! {
                #(#tries)*
                let value = crate::webhook::parse_json(body)?;
                Ok(Self::#unknown(UnknownEvent::new(value)))
            }
        }
    };
    let how = match &events.select {
        EventSelect::Fields(fields) => format!(
            " The event is picked by the payload's {}; a payload that names no known event is [`WebhookEvent::Unknown`]. A body that is not JSON, or that names an event but does not decode as its payload, is an error naming the field, never a value.",
            fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
        ),
        EventSelect::FirstMatch => " Nothing in the payloads tells the events apart, so each payload type is tried in turn, the one that requires the most properties first; the first that decodes wins, and a body none decodes is [`WebhookEvent::Unknown`].".to_string(),
    };
    quote! {
        /// Reads a delivery's body. Check its signature first: the body says what it is, so it
        /// is only as trustworthy as its sender.
        #[doc = ""]
        #[doc = #how]
        pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
            #body
        }
    }
}

/// One arm per event with a full set of values, the first of events that share them.
fn field_arms(api: &Api, events: &Events, width: usize) -> Vec<TokenStream> {
    let mut seen: Vec<&[String]> = Vec::new();
    let mut arms = Vec::new();
    for event in &events.events {
        if event.values.len() != width || seen.contains(&event.values.as_slice()) {
            continue;
        }
        seen.push(&event.values);
        let values = event.values.iter().map(|value| quote!(Some(#value)));
        let pattern = if width == 1 { quote!(#(#values)*) } else { quote!((#(#values),*)) };
        let variant = ident(&event.variant);
        let payload = qualified_value_type(api, &event.payload);
        arms.push(quote! {
            #pattern => crate::webhook::decode_event::<#payload>(body).map(Self::#variant),
        });
    }
    arms
}

fn name_fn(events: &Events) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let arms = events.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let name = &event.name;
        quote!(Self::#variant(_) => Some(#name),)
    });
    quote! {
        /// The event's name in the spec (its webhook, callback or schema), or `None` for an
        /// unknown event.
        pub fn name(&self) -> Option<&'static str> {
            match self {
                #(#arms)*
                Self::#unknown(_) => None,
            }
        }
    }
}

fn serialize_impl(events: &Events) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let arms = events.events.iter().map(|event| {
        let variant = ident(&event.variant);
        quote!(Self::#variant(payload) => payload.serialize(serializer),)
    });
    quote! {
        /// Writes the payload alone, as the API sends it. With the `serde-all` feature (which
        /// `mock` turns on), as the payload types only received serialize only with it.
        #[cfg(feature = "serde-all")]
        impl serde::Serialize for WebhookEvent {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                    Self::#unknown(event) => event.json().serialize(serializer),
                }
            }
        }
    }
}

/// The configured signature scheme's settings and `verifier`.
fn verification(api: &Api, events: &Events) -> TokenStream {
    match &events.signature {
        None => TokenStream::new(),
        Some(Signature::StandardWebhooks { tolerance_seconds }) => {
            let tolerance_seconds = proc_macro2::Literal::u64_unsuffixed(*tolerance_seconds);
            quote! {
            pub use crate::webhook_standard::StandardWebhooks;

            /// How far a delivery's `webhook-timestamp` may be from now, in seconds.
            pub const TOLERANCE_SECONDS: u64 = #tolerance_seconds;

            /// A verifier of the Standard Webhooks signatures made with `secret` (`whsec_…`),
            /// and the next secret added with [`StandardWebhooks::with_secret`] while rotating.
            pub fn verifier(secret: impl Into<crate::Secret>) -> Result<StandardWebhooks, WebhookError> {
                Ok(StandardWebhooks::new(secret)?.tolerance(std::time::Duration::from_secs(TOLERANCE_SECONDS)))
            }
            }
        }
        Some(Signature::Hmac(hmac)) => {
            let header = &hmac.header;
            let prefix = &hmac.prefix;
            let encoding = match hmac.encoding {
                HmacEncoding::Hex => quote!(SignatureEncoding::Hex),
                HmacEncoding::Base64 => quote!(SignatureEncoding::Base64),
            };
            let signed = match hmac.signed {
                HmacSigned::Body => quote!(SignedContent::Body),
                HmacSigned::TimestampDotBody => quote!(SignedContent::TimestampDotBody),
            };
            let timestamp = match &hmac.timestamp_header {
                Some(header) => quote!(Some(#header)),
                None => quote!(None),
            };
            let tolerance = proc_macro2::Literal::u64_unsuffixed(hmac.tolerance_seconds);
            quote! {
                pub use crate::webhook_hmac::{HmacFormat, HmacVerifier, SignatureEncoding, SignedContent};

                /// How deliveries are signed: an HMAC-SHA256 in the header `#header`.
                pub const SIGNATURE: HmacFormat = HmacFormat {
                    header: #header,
                    prefix: #prefix,
                    encoding: #encoding,
                    signed: #signed,
                    timestamp_header: #timestamp,
                    tolerance_seconds: #tolerance,
                };

                /// A verifier of the signatures made with `secret`; add the next secret with
                /// [`HmacVerifier::with_secret`] while rotating.
                pub fn verifier(secret: impl Into<crate::Secret>) -> HmacVerifier {
                    HmacVerifier::new(SIGNATURE, secret)
                }
            }
        }
        Some(Signature::Jwt(jwt)) => jwt_verification(api, events, jwt),
    }
}

fn jwt_verification(api: &Api, events: &Events, jwt: &crate::config::JwtSignature) -> TokenStream {
    let Some(key) = &events.key_operation else { return TokenStream::new() };
    let operation = &api.operations[key.operation];
    let method = ident(&operation.with_response_name);
    let request = ident(&api.types[key.request.0].name);
    let key_id = ident(&key.key_id_field);
    let key_field = &jwt.key_field;
    let header = &jwt.header;
    let max_age = proc_macro2::Literal::u64_unsuffixed(jwt.max_age_seconds);
    let digest = match &jwt.body_digest_claim {
        Some(claim) => quote!(Some(#claim)),
        None => quote!(None),
    };
    let operation_id = &operation.operation_id;
    let area = key_operation_cfg(api, key.operation);
    let fetch_doc = format!(
        " The keys deliveries are signed with, fetched by key id through `{operation_id}` ([`Client::{}`](crate::Client::{})) and kept once fetched.",
        operation.rust_name, operation.rust_name
    );
    quote! {
        pub use crate::webhook_jwt::{Jwk, JwtFormat, JwtVerifier, KeySource};

        /// How deliveries are signed: an ES256 JWT in the header `#header`.
        pub const SIGNATURE: JwtFormat = JwtFormat {
            header: #header,
            max_age_seconds: #max_age,
            body_digest_claim: #digest,
        };

        #[doc = #fetch_doc]
        #area
        #[derive(Debug, Clone)]
        pub struct ApiKeys {
            client: crate::Client,
        }

        #area
        impl ApiKeys {
            /// Keys fetched with `client`.
            pub fn new(client: crate::Client) -> Self {
                ApiKeys { client }
            }
        }

        #area
        impl KeySource for ApiKeys {
            fn fetch_key<'a>(
                &'a self,
                kid: &'a str,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Jwk, WebhookError>> + Send + 'a>> {
                Box::pin(async move {
                    let request = types::#request::builder()
                        .#key_id(kid)
                        .build()
                        .map_err(|error| WebhookError::KeyFetch(Box::new(crate::Error::from(error))))?;
                    let response = self
                        .client
                        .#method(&request)
                        .await
                        .map_err(|error| WebhookError::KeyFetch(Box::new(error)))?;
                    Jwk::from_body(response.body(), #key_field)
                })
            }
        }

        /// A verifier of the deliveries' signatures, whose keys `client` fetches from the API.
        #area
        pub fn verifier(client: &crate::Client) -> JwtVerifier<ApiKeys> {
            JwtVerifier::new(SIGNATURE, ApiKeys::new(client.clone()))
        }
    }
}

/// `MockSender` (feature `mock`): delivers events to a URL, signed as the API signs them.
fn mock_sender(api: &Api, events: &Events) -> TokenStream {
    let deliver_doc = " Sends `event` to `url` as the API would, signed as `delivery` says (a valid signature, a body altered after signing, a stale timestamp, another secret, or none), and returns the status the receiver answered.";
    let (fields, new, sign) = match &events.signature {
        None => return unsigned_mock_sender(),
        Some(Signature::StandardWebhooks { .. }) => (
            quote!(signer: StandardWebhooks, next_id: std::sync::atomic::AtomicU64,),
            quote! {
                /// A sender that signs with [`MOCK_SECRET`].
                pub fn new() -> Self {
                    MockSender {
                        signer: StandardWebhooks::new(MOCK_SECRET).expect("MOCK_SECRET is a valid secret"),
                        next_id: std::sync::atomic::AtomicU64::new(1),
                    }
                }
            },
            quote! {
                let id = format!("msg_mock_{}", self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
                self.signer.headers_for(delivery, &id, &body)
            },
        ),
        Some(Signature::Hmac(_)) => (
            quote!(signer: HmacVerifier,),
            quote! {
                /// A sender that signs with [`MOCK_SECRET`].
                pub fn new() -> Self {
                    MockSender { signer: verifier(MOCK_SECRET) }
                }
            },
            quote!(self.signer.headers_for(delivery, &body, crate::webhook::now_seconds())),
        ),
        Some(Signature::Jwt(_)) => return jwt_mock_sender(api, events, deliver_doc),
    };
    let secret = match &events.signature {
        Some(Signature::StandardWebhooks { .. }) => "whsec_bW9jay1zZXJ2ZXItd2ViaG9vay1zZWNyZXQtMDE=",
        _ => "mock-server-webhook-secret-01",
    };
    quote! {
        /// The secret [`MockSender`] signs with: build the receiver's [`verifier`] from it in tests.
        #[cfg(feature = "mock")]
        pub const MOCK_SECRET: &str = #secret;

        /// Delivers events to a receiver under test, signed as the API signs them.
        #[cfg(feature = "mock")]
        #[derive(Debug)]
        pub struct MockSender {
            #fields
        }

        #[cfg(feature = "mock")]
        impl Default for MockSender {
            fn default() -> Self {
                Self::new()
            }
        }

        #[cfg(feature = "mock")]
        impl MockSender {
            #new

            #[doc = #deliver_doc]
            pub async fn deliver(&self, url: &str, event: &WebhookEvent, delivery: Delivery) -> Result<u16, crate::Error> {
                let body = crate::webhook::event_body(event);
                let (headers, body) = { #sign };
                crate::webhook::post_delivery(url, headers, body).await
            }
        }
    }
}

fn jwt_mock_sender(api: &Api, events: &Events, deliver_doc: &str) -> TokenStream {
    let Some(key) = &events.key_operation else { return TokenStream::new() };
    let operation = &api.operations[key.operation];
    let operation_id = &operation.operation_id;
    let area = key_operation_cfg(api, key.operation);
    let accessor = ident(&api.operation_names[key.operation].mock_accessor);
    let wire_key_field = match &events.signature {
        Some(Signature::Jwt(jwt)) => jwt.key_field.as_str(),
        _ => "key",
    };
    let new_doc = format!(
        " A sender with a fresh signing key, which `mock` serves from `{operation_id}`: a [`verifier`] built from `mock.client()` accepts what it signs."
    );
    quote! {
        /// Delivers events to a receiver under test, signed as the API signs them.
        #[cfg(feature = "mock")]
        #area
        #[derive(Debug)]
        pub struct MockSender {
            signer: crate::webhook_jwt::JwtSigner,
        }

        #[cfg(feature = "mock")]
        #area
        impl MockSender {
            #[doc = #new_doc]
            pub fn new(mock: &crate::mock::MockServer) -> Self {
                let signer = crate::webhook_jwt::JwtSigner::generate("mock-webhook-key");
                let example = crate::mock::MOCK_OPERATIONS
                    .iter()
                    .find(|operation| operation.id == #operation_id)
                    .and_then(|operation| operation.example);
                let reply = crate::webhook_jwt::key_reply(example, #wire_key_field, &signer.jwk());
                mock.#accessor().respond_with_status(200, &reply);
                MockSender { signer }
            }

            #[doc = #deliver_doc]
            pub async fn deliver(&self, url: &str, event: &WebhookEvent, delivery: Delivery) -> Result<u16, crate::Error> {
                let body = crate::webhook::event_body(event);
                let (headers, body) =
                    self.signer.headers_for(&SIGNATURE, delivery, &body, crate::webhook::now_seconds());
                crate::webhook::post_delivery(url, headers, body).await
            }
        }
    }
}

/// The area features that compile the key operation (nothing when it is always compiled): what
/// calls it is compiled with it.
fn key_operation_cfg(api: &Api, operation: usize) -> TokenStream {
    let features = api.areas.as_ref().map(|areas| areas.of_operation(operation)).unwrap_or_default();
    super::cfg_any(&features)
}

/// `MockSender` for a crate whose deliveries are not signed.
fn unsigned_mock_sender() -> TokenStream {
    quote! {
        /// Delivers events to a receiver under test, as the API would.
        #[cfg(feature = "mock")]
        #[derive(Debug, Clone, Default)]
        pub struct MockSender;

        #[cfg(feature = "mock")]
        impl MockSender {
            /// A sender.
            pub fn new() -> Self {
                MockSender
            }

            /// Sends `event` to `url` as the API would, and returns the status the
            /// receiver answered.
            pub async fn deliver(&self, url: &str, event: &WebhookEvent) -> Result<u16, crate::Error> {
                let body = crate::webhook::event_body(event);
                crate::webhook::post_delivery(url, Vec::new(), body).await
            }
        }
    }
}
