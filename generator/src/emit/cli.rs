//! `src/cli.rs` and `src/main.rs`: the command line of the `cli` feature. Each operation is a
//! subcommand named after its operationId in kebab case; its parameters and the scalar
//! properties of its JSON body are flags, and the whole body can be given with `--body`. The
//! table of subcommands is data ([`App`] in the runtime's `command.rs`); what is written per
//! operation is the call: decoding the arguments into the request types and calling the method.

mod calls;
mod paging;

use proc_macro2::TokenStream;
use quote::quote;

use self::calls::call_arm;
use super::{ident, operation_cfg};
use crate::model::{
    Api, ApiKeyLocation, BodyEncoding, CredentialKind, Field, Flag, FlagTarget, Operation, Shape, Subcommand, TextKind,
    TypeKind,
};

/// Subcommands the command line has besides the operations (the runtime's `command.rs`, and
/// `command_webhook.rs` in crates with events).
pub const OTHER_SUBCOMMANDS: &[&str] = &["help", "mock", "webhook"];

/// Flags of the runtime's `command.rs`, which an operation's own flags must not take: those
/// every subcommand has, and those of every paged operation's (`--all-pages`, `--max-items`).
pub const GLOBAL_FLAGS: &[&str] = &["body", "env", "base-url", "dry-run", "help", "version", "all-pages", "max-items"];

/// `src/cli.rs`.
pub fn cli_rs(api: &Api) -> TokenStream {
    let callable: Vec<(usize, &Operation, &Subcommand)> = api
        .operations
        .iter()
        .zip(&api.operation_names)
        .enumerate()
        .filter_map(|(index, (operation, names))| Some((index, operation, names.subcommand.as_ref()?)))
        .collect();
    let app = app_table(api, &callable);
    let table_imports = table_imports(&callable);
    let skipped_doc = skipped_doc(api);
    let environment = environment_choice(api);
    let send = send_fn(api, &callable);
    let dispatch = super::cli_webhooks::dispatch(api);
    let webhooks_doc = super::cli_webhooks::doc(api);
    let webhooks_import = super::cli_webhooks::import(api);
    let webhooks = super::cli_webhooks::items(api);
    let uses_types = callable.iter().any(|(_, operation, _)| super::client::request_names_a_type(operation));
    let types_import = super::types_import(uses_types);
    quote! {
        //! The command line (the `cli` feature): one subcommand per operation, named after its
        //! operationId in kebab case. Parameters and the scalar properties of a JSON body are
        //! flags; `--body` takes the whole body (JSON text, `@FILE`, or `-` for standard input).
        //! Credentials and the server come from the environment, as `Client::from_env` reads
        //! them, or from `--env` and `--base-url`. The response is printed as pretty JSON;
        //! `--dry-run` prints the request as a curl command instead, secrets redacted. Run the
        //! binary with `--help` for the list, and for the exit codes.
        #webhooks_doc
        #skipped_doc
        #![allow(deprecated)]

        use std::ffi::OsString;
        use std::process::ExitCode;

        use crate::client::{Client, ClientBuilder};
        use crate::command::{self, App, Call, Failure, Global, Output};
        #table_imports
        #webhooks_import
        use crate::error::BuildError;
        #types_import

        #app

        /// Runs the command line with the process's arguments: the binary's `main`.
        pub fn main() -> ExitCode {
            run(std::env::args_os())
        }

        /// Runs the command line with these arguments, the first being the program's name, and
        /// returns its exit code.
        pub fn run<I, T>(args: I) -> ExitCode
        where
            I: IntoIterator<Item = T>,
            T: Into<OsString> + Clone,
        {
            #dispatch
        }

        /// The client: `from_env`, then `--env` and `--base-url`.
        fn client(global: &Global) -> Result<Client, BuildError> {
            let mut builder = ClientBuilder::default().allow_base_url_from_env().from_env()?;
            #environment
            if let Some(url) = &global.base_url {
                builder = builder.base_url(url.as_str());
            }
            builder.settings.dry_run = global.dry_run;
            builder.build()
        }

        /// Decodes the arguments into the operation's request types and calls it.
        #send

        #webhooks
    }
}

/// `static APP`: the command line as data, one entry per callable operation.
fn app_table(api: &Api, callable: &[(usize, &Operation, &Subcommand)]) -> TokenStream {
    let package = &api.crate_name;
    let about = format!("Calls the operations of {} from the command line.", api.title);
    let environment_help = environment_help(api);
    let environments = api.servers.iter().map(|server| &server.env_name);
    let secret_names = secret_locations(api);
    let operations =
        callable.iter().map(|(index, operation, subcommand)| operation_entry(api, *index, operation, subcommand));
    quote! {
        static APP: App = App {
            name: #package,
            version: env!("CARGO_PKG_VERSION"),
            about: #about,
            environment_help: #environment_help,
            environments: &[#(#environments),*],
            secret_names: &[#(#secret_names),*],
            operations: &[#(#operations),*],
        };
    }
}

/// The statement of `client` that takes `--env`, when the spec has servers to choose from.
fn environment_choice(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return TokenStream::new();
    }
    quote! {
        if let Some(environment) = global.environment.as_deref().and_then(crate::client::Environment::from_name) {
            builder = builder.environment(environment);
        }
    }
}

/// The table's imports: `Flag` when some subcommand has flags, `TextKind` when one of them is
/// not plain text.
fn table_imports(callable: &[(usize, &Operation, &Subcommand)]) -> TokenStream {
    let any_flags = callable.iter().any(|(_, operation, subcommand)| {
        !subcommand.flags.is_empty() || subcommand.stream_switch.is_some() || operation.pagination.is_some()
    });
    let text_kinds = callable.iter().flat_map(|(_, _, subcommand)| &subcommand.flags).any(names_kind);
    match (callable.is_empty(), any_flags, text_kinds) {
        (true, _, _) => TokenStream::new(),
        (false, false, _) => quote!(
            use crate::command::{Body, Operation};
        ),
        (false, true, false) => quote!(
            use crate::command::{Body, Flag, Operation};
        ),
        (false, true, true) => quote!(
            use crate::command::{Body, Flag, Operation};
            use crate::wire_text::TextKind;
        ),
    }
}

/// Whether a flag's entry names a `TextKind` (plain text is the default).
fn names_kind(flag: &Flag) -> bool {
    flag.text.kind != TextKind::Text
}

/// The crate docs' line on the operations that have no subcommand, if any.
fn skipped_doc(api: &Api) -> TokenStream {
    let skipped: Vec<String> = api
        .operations
        .iter()
        .zip(&api.operation_names)
        .filter(|(_, names)| names.subcommand.is_none())
        .map(|(operation, _)| format!("`{}`", operation.operation_id))
        .collect();
    if skipped.is_empty() {
        return TokenStream::new();
    }
    let line = format!(
        " Operations with a `multipart/form-data` body have no subcommand (call them from Rust): {}.",
        skipped.join(", ")
    );
    quote!(#![doc = ""] #![doc = #line])
}

/// `send`: one `match` arm per subcommand, calling its operation.
fn send_fn(api: &Api, callable: &[(usize, &Operation, &Subcommand)]) -> TokenStream {
    if callable.is_empty() {
        return quote! {
            async fn send(_client: Client, _call: Call) -> Result<Output, Failure> {
                Err(Failure::Invalid("the command line cannot call any operation of this API".to_string()))
            }
        };
    }
    let arms = callable.iter().map(|(index, operation, _)| call_arm(api, *index, operation));
    // With only some areas compiled, every arm may be left out.
    let partial = if api.areas.is_some() {
        quote!(#[cfg_attr(not(feature = "full"), allow(unused_variables, clippy::match_single_binding))])
    } else {
        TokenStream::new()
    };
    quote! {
        #partial
        async fn send(client: Client, call: Call) -> Result<Output, Failure> {
            match call.operation_id() {
                #(#arms)*
                _ => Err(Failure::Invalid("no such operation".to_string())),
            }
        }
    }
}

/// `src/main.rs`: the binary, named after the package.
pub fn main_rs(api: &Api) -> TokenStream {
    let library = ident(&api.library_name);
    let doc = format!(" The `{}` command line: see `{library}::cli`.", api.crate_name);
    quote! {
        #![doc = #doc]

        fn main() -> std::process::ExitCode {
            #library::cli::main()
        }
    }
}

/// What `--help` says about the environment: the variables `from_env` reads.
fn environment_help(api: &Api) -> String {
    let mut variables: Vec<&str> = super::client_builder::credential_env_vars(api).collect();
    if !api.servers.is_empty() {
        variables.push(&api.env_vars.environment);
    }
    if api.servers.iter().any(|server| server.relative) {
        variables.push(&api.env_vars.host);
    }
    variables.push(&api.env_vars.base_url);
    format!(
        "Credentials and the server are read from the environment: {}. --env and --base-url override the server.",
        variables.join(", ")
    )
}

/// The query parameters and cookies that carry credentials, which `--dry-run` redacts (header
/// credentials are marked sensitive by the client itself).
fn secret_locations(api: &Api) -> Vec<String> {
    api.credentials
        .iter()
        .filter_map(|credential| match &credential.kind {
            CredentialKind::ApiKey { location: ApiKeyLocation::Query | ApiKeyLocation::Cookie, name, .. } => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// An operation's entry in the table: its subcommand's name, help, flags and body.
fn operation_entry(api: &Api, index: usize, operation: &Operation, subcommand: &Subcommand) -> TokenStream {
    let cfg = operation_cfg(api, index);
    let name = &subcommand.name;
    let id = &operation.operation_id;
    let about = operation
        .summary
        .as_deref()
        .or(operation.description.as_deref())
        .map(first_sentence)
        .unwrap_or_else(|| format!("{} {}", operation.method.as_str(), operation.path));
    let streamed = stream_help(operation, subcommand);
    let long_about = [operation.summary.as_deref(), operation.description.as_deref()]
        .into_iter()
        .flatten()
        .chain(std::iter::once(format!("{} {}", operation.method.as_str(), operation.path).as_str()))
        .chain(streamed.as_deref())
        .chain(paging::help(operation))
        .collect::<Vec<_>>()
        .join("\n\n");
    let params = operation.params_type.map(|id| struct_fields(api, id)).unwrap_or_default();
    let secret_params = params.iter().filter(|field| field.sensitive).map(|field| &field.wire_name);
    let body_fields = operation.body.as_ref().map(|body| match body.value.shape {
        Shape::Named(id) => struct_fields(api, id),
        _ => &[],
    });
    let flags = subcommand.flags.iter().map(|flag| {
        let fields = match flag.target {
            FlagTarget::Parameter => params,
            FlagTarget::Body => body_fields.unwrap_or_default(),
        };
        flag_entry(flag, &fields[flag.field])
    });
    let switch = subcommand.stream_switch.as_ref().map(|long| {
        let help = "Ask for the answer as a stream: each item is printed as one line of JSON as it arrives";
        quote!(Flag { long: #long, help: #help, ..Flag::STREAM })
    });
    let flags = flags.chain(switch).chain(paging::flags(operation));
    let body = match &operation.body {
        None => quote!(Body::None),
        Some(body) => {
            let required = body.required;
            match body.encoding {
                BodyEncoding::Json | BodyEncoding::Form => quote!(Body::Json { required: #required }),
                BodyEncoding::Text => quote!(Body::Text { required: #required }),
                BodyEncoding::Bytes | BodyEncoding::Multipart => quote!(Body::Bytes { required: #required }),
            }
        }
    };
    quote! {
        #cfg
        Operation {
            name: #name,
            id: #id,
            about: #about,
            long_about: #long_about,
            flags: &[#(#flags),*],
            body: #body,
            secret_params: &[#(#secret_params),*],
        }
    }
}

/// What `--help` says of an operation's streamed answer, if it has one.
fn stream_help(operation: &Operation, subcommand: &Subcommand) -> Option<String> {
    let stream = operation.stream.as_ref()?;
    let asked = match (&operation.response, &stream.flag, &subcommand.stream_switch) {
        (None, _, _) => "The answer is a stream".to_string(),
        (Some(_), Some(flag), _) => format!("With `{}` set to true, the answer is a stream", flag.wire_name),
        (Some(_), None, Some(switch)) => format!("With --{switch}, the answer is a stream"),
        (Some(_), None, None) => return None,
    };
    Some(format!(
        "{asked}: each item is printed as soon as it arrives, as one line of JSON{}. An item that fails is reported on standard error and the stream goes on.",
        if stream.item.is_none() { " (an event's `event`, `id`, `data` and `retry`)" } else { "" }
    ))
}

/// The fields of a struct type; none for another type.
fn struct_fields(api: &Api, id: crate::model::TypeId) -> &[Field] {
    match &api.get(id).kind {
        TypeKind::Struct(object) => &object.fields,
        _ => &[],
    }
}

/// A flag's entry: only what differs from `Flag::BODY` / `Flag::PARAMETER` (optional text).
fn flag_entry(flag: &Flag, field: &Field) -> TokenStream {
    let long = &flag.long;
    let name = &field.wire_name;
    let help = field.doc.as_deref().map(first_sentence).unwrap_or_default();
    let kind = names_kind(flag).then(|| {
        let kind = ident(flag.text.kind.variant());
        quote!(kind: TextKind::#kind,)
    });
    let list = flag.text.list.then(|| quote!(list: true,));
    let required = flag.required.then(|| quote!(required: true,));
    let values = &flag.text.values;
    let values = (!values.is_empty()).then(|| quote!(values: &[#(#values),*],));
    let base = match flag.target {
        FlagTarget::Body => quote!(Flag::BODY),
        FlagTarget::Parameter => quote!(Flag::PARAMETER),
    };
    quote! {
        Flag {
            long: #long,
            name: #name,
            #kind
            #list
            #required
            #values
            help: #help,
            ..#base
        }
    }
}

/// The first sentence of a description, on one line, for short help.
fn first_sentence(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// operationIds that kebab-case alike or name a built-in subcommand, and properties named
    /// like the global flags or like a parameter, all get names of their own.
    const COLLISIONS: &str = r#"
openapi: 3.0.3
info: {title: Collisions, version: "1"}
paths:
  /help:
    get:
      operationId: help
      responses: {'204': {description: ok}}
  /items/{limit}:
    post:
      operationId: getItem
      parameters:
        - {name: limit, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                limit: {type: integer}
                body: {type: string}
                dry_run: {type: boolean}
      responses: {'204': {description: ok}}
  /items:
    get:
      operationId: get_item
      responses: {'204': {description: ok}}
"#;

    #[test]
    fn subcommands_and_flags_never_share_a_name() {
        let options = crate::Options { spec_label: "spec.yaml".to_string(), ..crate::Options::default() };
        let generated = crate::generate_from_text(Path::new("spec.yaml"), COLLISIONS, &options).unwrap();
        let cli = &generated.files.get("src/cli.rs").unwrap();
        let names: Vec<&str> = cli.lines().filter_map(|line| line.trim().strip_prefix("name: \"")).collect();
        for expected in ["help-2\",", "get-item\",", "get-item-2\","] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        let flags: Vec<&str> = cli.lines().filter_map(|line| line.trim().strip_prefix("long: \"")).collect();
        assert_eq!(flags, ["limit\",", "limit-2\",", "body-2\",", "dry-run-2\","]);
    }
}
