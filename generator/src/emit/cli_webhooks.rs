//! The `webhook` subcommands of `src/cli.rs`, when the spec describes events: the `WEBHOOKS`
//! table (the event type's `parse` and `name`, and how `webhook verify` checks a signature),
//! the check itself, which calls the crate's `webhooks::verifier`, and `run`'s `match`, which
//! parses with the runtime's `command_webhook.rs` so that it knows the `webhook` subcommands.
//! That file does the rest: arguments, standard input, output and exit codes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::Signature;
use crate::model::webhooks::Events;
use crate::model::Api;

/// `run`'s `match` on what the arguments ask for. Without events it is `command::parse`'s;
/// with them, `command_webhook::parse`'s, whose other subcommands are `command`'s wrapped.
pub fn dispatch(api: &Api) -> TokenStream {
    let base_url_var = &api.env_vars.base_url;
    let events = api.events.is_some();
    let wrap = |pattern: TokenStream| {
        if events {
            quote!(command_webhook::Invocation::Command(#pattern))
        } else {
            pattern
        }
    };
    let call = wrap(quote!(command::Invocation::Call(call)));
    let mock = wrap(quote!(command::Invocation::Mock { port }));
    let call_arm = quote!(Ok(#call) => command::execute(&APP, call, client, send),);
    let mock_arm = quote! {
        #[cfg(feature = "mock")]
        Ok(#mock) => crate::mock_server::serve_examples(port, #base_url_var),
    };
    if !events {
        return quote! {
            match command::parse(&APP, args) {
                #call_arm
                #mock_arm
                Err(exit) => exit,
            }
        };
    }
    // The mock's arm first: its `cfg` would otherwise follow an arm's block, which the printer
    // sets apart with a blank line, as between items.
    quote! {
        match command_webhook::parse(&APP, &WEBHOOKS, args) {
            #mock_arm
            #call_arm
            Ok(command_webhook::Invocation::Webhook(call)) => command_webhook::execute(&WEBHOOKS, call),
            Err(exit) => exit,
        }
    }
}

/// The import of the runtime's module, when the spec describes events.
pub fn import(api: &Api) -> TokenStream {
    match api.events {
        Some(_) => quote!(
            use crate::command_webhook;
        ),
        None => TokenStream::new(),
    }
}

/// The crate docs' lines on the `webhook` subcommands, when the spec describes events.
pub fn doc(api: &Api) -> TokenStream {
    let Some(events) = &api.events else { return TokenStream::new() };
    let verify = match verification(api, events) {
        None => " There is no `webhook verify`: the spec and codegen.toml say nothing about how deliveries are signed.".to_string(),
        Some(Verification { keys: Keys::Secrets, .. }) => format!(
            " `webhook verify --header 'Name: value' …` checks its signature with the secrets of `{}` (or of the variable `--secret-env` names; several, comma-separated, while rotating); `--parse` prints the event too.",
            secret_env(api)
        ),
        Some(Verification { keys: Keys::Client, .. }) => " `webhook verify --header 'Name: value' …` checks its signature with the keys the API serves, fetched with the client the other subcommands build; `--parse` prints the event too.".to_string(),
    };
    let parse =
        " `webhook parse` reads a delivery's body from standard input and prints its event's name and payload as JSON.";
    quote! {
        #![doc = ""]
        #![doc = #parse]
        #![doc = #verify]
    }
}

/// The environment variable holding the signing secrets: the crate's prefix, then
/// `_WEBHOOK_SECRET`.
fn secret_env(api: &Api) -> String {
    format!("{}_WEBHOOK_SECRET", api.env_prefix)
}

/// What `webhook verify` checks signatures with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Secrets from the environment (Standard Webhooks, HMAC).
    Secrets,
    /// Keys the API serves (JWT), fetched with the client.
    Client,
}

/// How a crate checks signatures: its keys, the body of its check, and the area features that
/// compile the key operation (empty when always compiled).
struct Verification<'a> {
    keys: Keys,
    check: TokenStream,
    features: Vec<&'a str>,
}

/// The crate's verification, when its deliveries are signed and it can check them (for JWT,
/// when the spec has the operation serving the keys; `webhooks::verifier` exists exactly then).
fn verification<'a>(api: &'a Api, events: &Events) -> Option<Verification<'a>> {
    let secrets = |check| Some(Verification { keys: Keys::Secrets, check, features: Vec::new() });
    match events.signature.as_ref()? {
        Signature::StandardWebhooks { .. } => secrets(quote! {
            let (first, rest) = call.secrets()?;
            let mut verifier = crate::webhooks::verifier(first)?;
            for secret in rest {
                verifier = verifier.with_secret(secret)?;
            }
            verifier.verify(call.headers(), body)?;
            Ok(())
        }),
        Signature::Hmac(_) => secrets(quote! {
            let (first, rest) = call.secrets()?;
            let mut verifier = crate::webhooks::verifier(first);
            for secret in rest {
                verifier = verifier.with_secret(secret);
            }
            verifier.verify(call.headers(), body)?;
            Ok(())
        }),
        Signature::Jwt(_) => {
            let key = events.key_operation.as_ref()?;
            let features = api.areas.as_ref().map(|areas| areas.of_operation(key.operation)).unwrap_or_default();
            let check = quote! {
                let client = client(call.global()).map_err(command_webhook::VerifyError::Build)?;
                crate::webhooks::verifier(&client).verify(call.headers(), body).await?;
                Ok(())
            };
            Some(Verification { keys: Keys::Client, check, features })
        }
    }
}

/// `static WEBHOOKS` and `check_signature`, when the spec describes events.
pub fn items(api: &Api) -> TokenStream {
    let Some(events) = &api.events else { return TokenStream::new() };
    let event = quote!(crate::webhooks::WebhookEvent);
    let Some(verification) = verification(api, events) else {
        return quote! {
            /// The `webhook` subcommands: how a delivery's body is read. Deliveries are not
            /// signed, as far as the spec and codegen.toml say, so there is no `verify`.
            static WEBHOOKS: command_webhook::Webhooks<#event> = command_webhook::Webhooks {
                parse: #event::parse,
                name: #event::name,
                verify: None,
            };
        };
    };
    let keys = match verification.keys {
        Keys::Secrets => {
            let env = secret_env(api);
            quote!(command_webhook::Keys::Secrets { env: #env })
        }
        Keys::Client => quote!(command_webhook::Keys::Client),
    };
    let verify = quote!(Some(command_webhook::Verify { keys: #keys, check: check_signature }));
    let (verify_field, cfg) = match feature_predicate(&verification.features) {
        None => (quote!(verify: #verify,), TokenStream::new()),
        Some(predicate) => (
            quote! {
                #[cfg(#predicate)]
                verify: #verify,
                #[cfg(not(#predicate))]
                verify: None,
            },
            quote!(#[cfg(#predicate)]),
        ),
    };
    let check_doc = match verification.keys {
        Keys::Secrets => " `webhook verify`'s check: the crate's verifier with the signing secrets of the environment (the first, and any others while rotating).",
        Keys::Client => " `webhook verify`'s check: the crate's verifier, whose keys the client fetches from the API.",
    };
    let check = verification.check;
    quote! {
        /// The `webhook` subcommands: how a delivery's body is read and its signature checked.
        static WEBHOOKS: command_webhook::Webhooks<#event> = command_webhook::Webhooks {
            parse: #event::parse,
            name: #event::name,
            #verify_field
        };

        #[doc = #check_doc]
        #cfg
        fn check_signature<'a>(call: &'a command_webhook::VerifyCall, body: &'a [u8]) -> command_webhook::Checking<'a> {
            Box::pin(async move {
                #check
            })
        }
    }
}

/// `feature = "a"`, or `any(feature = "a", feature = "b")`; `None` for no features.
fn feature_predicate(features: &[&str]) -> Option<TokenStream> {
    match features {
        [] => None,
        [feature] => Some(quote!(feature = #feature)),
        features => Some(quote!(any(#(feature = #features),*))),
    }
}
