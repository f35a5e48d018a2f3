//! `src/cli.rs` and `src/main.rs`: the command line of the `cli` feature. Each operation is a
//! subcommand named after its operationId in kebab case; its parameters and the scalar
//! properties of its JSON body are flags, and the whole body can be given with `--body`. The
//! table of subcommands is data ([`App`] in the runtime's `command.rs`); what is written per
//! operation is the call: decoding the arguments into the request types and calling the method.

use std::collections::BTreeSet;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, operation_cfg};
use crate::model::{
    naming, Access, Api, ApiKeyLocation, BodyEncoding, CredentialKind, Operation, ResponseBody, Shape, TypeKind,
    ValueType,
};

/// How a value given as text becomes JSON (the runtime's `TextKind`), and the enum values it
/// may take.
pub(super) struct Scalar {
    /// The `TextKind` variant, e.g. `Integer`.
    pub kind: proc_macro2::Ident,
    pub values: Vec<String>,
}

impl Scalar {
    fn json() -> Self {
        Scalar { kind: ident("Json"), values: Vec::new() }
    }
}

/// The text form of a value with one, looking through arrays when `list` is allowed: `None` for
/// objects, maps, unions and bytes. The `bool` says whether it is a list.
pub(super) fn scalar(api: &Api, value: &ValueType, list: bool) -> Option<(Scalar, bool)> {
    let kind = |name: &str| Scalar { kind: ident(name), values: Vec::new() };
    let found = match &value.shape {
        Shape::String(_) | Shape::Date | Shape::DateTime => kind("Text"),
        Shape::Integer { .. } => kind("Integer"),
        Shape::Number { .. } => kind("Number"),
        Shape::Boolean => kind("Boolean"),
        // A type the config chose: its text is JSON when it reads as JSON, else a string.
        Shape::Mapped(_) | Shape::Any => kind("Json"),
        Shape::Named(id) => match &api.get(*id).kind {
            TypeKind::Enum(values) => {
                let kind = if values.all_strings() { kind("Text") } else { kind("Json") };
                Scalar { values: values.variants.iter().map(|v| v.wire_name.clone()).collect(), ..kind }
            }
            _ => return None,
        },
        Shape::Array { items, .. } if list => return scalar(api, items, false).map(|(scalar, _)| (scalar, true)),
        Shape::Array { .. } | Shape::Map { .. } | Shape::Tuple(_) | Shape::Binary => return None,
    };
    Some((found, false))
}

/// Subcommands the command line has besides the operations.
const OTHER_SUBCOMMANDS: [&str; 2] = ["help", "mock"];

/// Each operation's subcommand: its operationId in kebab case, numbered when that is taken (by
/// another operation, or by `help` or `mock`), since clap refuses two of a name.
fn subcommand_names(operations: &[(usize, &Operation)]) -> Vec<String> {
    let mut taken: BTreeSet<String> = OTHER_SUBCOMMANDS.iter().map(|name| name.to_string()).collect();
    operations
        .iter()
        .map(|(_, operation)| {
            let base = operation.operation_id.to_kebab_case();
            claim(&mut taken, if base.is_empty() { operation.rust_name.to_kebab_case() } else { base })
        })
        .collect()
}

/// `base`, or `base-2`, `base-3`, … whichever is not taken yet; marked taken.
fn claim(taken: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut number = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{number}");
        number += 1;
    }
    name
}

/// Flags every subcommand has, which an operation's own flags must not take.
const GLOBAL_FLAGS: [&str; 6] = ["body", "env", "base-url", "dry-run", "help", "version"];

/// `src/cli.rs`.
pub fn cli_rs(api: &Api) -> TokenStream {
    let package = &api.crate_name;
    let about = format!("Calls the operations of {} from the command line.", api.title);
    let environment_help = environment_help(api);
    let environments: Vec<String> = api.servers.iter().map(|server| naming::snake_name(&server.rust_name)).collect();
    let secret_names = secret_locations(api);
    let callable: Vec<(usize, &Operation)> =
        api.operations.iter().enumerate().filter(|(_, operation)| has_subcommand(operation)).collect();
    let (operations, flag_counts): (Vec<TokenStream>, Vec<(usize, bool)>) = callable
        .iter()
        .zip(subcommand_names(&callable))
        .map(|((index, operation), name)| operation_entry(api, *index, operation, &name))
        .unzip();
    let any_flags = flag_counts.iter().any(|(count, _)| *count > 0);
    let text_kinds = if flag_counts.iter().any(|(_, kinds)| *kinds) {
        quote!(
            use crate::wire_text::TextKind;
        )
    } else {
        TokenStream::new()
    };
    let table_imports = match (operations.is_empty(), any_flags) {
        (true, _) => TokenStream::new(),
        (false, false) => quote!(
            use crate::command::{Body, Operation};
        ),
        (false, true) => quote!(
            use crate::command::{Body, Flag, Operation};
            #text_kinds
        ),
    };
    let arms: Vec<TokenStream> = callable.iter().map(|(index, operation)| call_arm(api, *index, operation)).collect();
    let skipped: Vec<String> =
        api.operations.iter().filter(|operation| !has_subcommand(operation)).map(|o| o.operation_id.clone()).collect();
    let skipped_doc = if skipped.is_empty() {
        TokenStream::new()
    } else {
        let line = format!(
            " Operations with a `multipart/form-data` body have no subcommand (call them from Rust): {}.",
            skipped.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
        );
        quote!(#![doc = ""] #![doc = #line])
    };
    let environment = if environments.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            if let Some(environment) = global.environment.as_deref().and_then(crate::client::Environment::from_name) {
                builder = builder.environment(environment);
            }
        }
    };
    let send = if callable.is_empty() {
        quote! {
            async fn send(_client: Client, _call: Call) -> Result<Output, Failure> {
                Err(Failure::Invalid("the command line cannot call any operation of this API".to_string()))
            }
        }
    } else {
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
    };
    let base_url_var = format!("{}_BASE_URL", api.env_prefix);
    let mock_arm = quote! {
        #[cfg(feature = "mock")]
        Ok(command::Invocation::Mock { port }) => crate::mock_server::serve_examples(port, #base_url_var),
    };
    let uses_types = callable.iter().any(|(_, operation)| super::client::request_names_a_type(operation));
    let types_import = if uses_types {
        quote!(
            use crate::types;
        )
    } else {
        TokenStream::new()
    };
    quote! {
        //! The command line (the `cli` feature): one subcommand per operation, named after its
        //! operationId in kebab case. Parameters and the scalar properties of a JSON body are
        //! flags; `--body` takes the whole body (JSON text, `@FILE`, or `-` for standard input).
        //! Credentials and the server come from the environment, as `Client::from_env` reads
        //! them, or from `--env` and `--base-url`. The response is printed as pretty JSON;
        //! `--dry-run` prints the request as a curl command instead, secrets redacted. Run the
        //! binary with `--help` for the list, and for the exit codes.
        #skipped_doc
        #![allow(deprecated)]

        use std::ffi::OsString;
        use std::process::ExitCode;

        use crate::client::{Client, ClientBuilder};
        use crate::command::{self, App, Call, Failure, Global, Output};
        #table_imports
        use crate::error::BuildError;
        #types_import

        static APP: App = App {
            name: #package,
            version: env!("CARGO_PKG_VERSION"),
            about: #about,
            environment_help: #environment_help,
            environments: &[#(#environments),*],
            secret_names: &[#(#secret_names),*],
            operations: &[#(#operations),*],
        };

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
            match command::parse(&APP, args) {
                Ok(command::Invocation::Call(call)) => command::execute(&APP, call, client, send),
                #mock_arm
                Err(exit) => exit,
            }
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
    }
}

/// `src/main.rs`: the binary, named after the package.
pub fn main_rs(api: &Api) -> TokenStream {
    let library = ident(&api.crate_name.replace('-', "_"));
    let doc = format!(" The `{}` command line: see `{library}::cli`.", api.crate_name);
    quote! {
        #![doc = #doc]

        fn main() -> std::process::ExitCode {
            #library::cli::main()
        }
    }
}

/// Whether an operation gets a subcommand: every one but those with a multipart body, whose
/// files have no form on the command line yet.
fn has_subcommand(operation: &Operation) -> bool {
    operation.body.as_ref().is_none_or(|body| body.encoding != BodyEncoding::Multipart)
}

/// What `--help` says about the environment: the variables `from_env` reads.
fn environment_help(api: &Api) -> String {
    let mut variables = super::client_builder::credential_env_vars(api);
    if !api.servers.is_empty() {
        variables.push(format!("{}_ENV", api.env_prefix));
    }
    if api.servers.iter().any(|server| server.relative) {
        variables.push(format!("{}_HOST", api.env_prefix));
    }
    variables.push(format!("{}_BASE_URL", api.env_prefix));
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

/// An operation's entry in the table (names, help, flags and body), how many flags it has, and
/// whether one of them names a `TextKind`.
fn operation_entry(api: &Api, index: usize, operation: &Operation, name: &str) -> (TokenStream, (usize, bool)) {
    let cfg = operation_cfg(api, index);
    let id = &operation.operation_id;
    let about = operation
        .summary
        .as_deref()
        .or(operation.description.as_deref())
        .map(first_sentence)
        .unwrap_or_else(|| format!("{} {}", operation.method.as_str(), operation.path));
    let long_about = [operation.summary.as_deref(), operation.description.as_deref()]
        .into_iter()
        .flatten()
        .chain(std::iter::once(format!("{} {}", operation.method.as_str(), operation.path).as_str()))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut taken: BTreeSet<String> = GLOBAL_FLAGS.iter().map(|flag| flag.to_string()).collect();
    let mut flags = Vec::new();
    let mut names_kind = false;
    let mut secret_params = Vec::new();
    if let Some(params) = operation.params_type {
        if let TypeKind::Struct(object) = &api.get(params).kind {
            secret_params.extend(object.fields.iter().filter(|field| field.sensitive).map(|field| &field.wire_name));
            for field in &object.fields {
                // A parameter has no `--body` to fall back on: values without a text form are JSON.
                let (scalar, list) = scalar(api, &field.value, true).unwrap_or_else(|| (Scalar::json(), false));
                names_kind |= scalar.kind != "Text";
                flags.push(flag(&mut taken, field, Target::Parameter, scalar, list, field.required));
            }
        }
    }
    let body = match &operation.body {
        None => quote!(Body::None),
        Some(body) => {
            let required = body.required;
            match body.encoding {
                BodyEncoding::Json | BodyEncoding::Form => {
                    if let Shape::Named(id) = body.value.shape {
                        if let TypeKind::Struct(object) = &api.get(id).kind {
                            for field in object.fields.iter().filter(|field| field.access != Access::ReadOnly) {
                                if let Some((scalar, list)) = scalar(api, &field.value, true) {
                                    let required = field.required && body.required;
                                    names_kind |= scalar.kind != "Text";
                                    flags.push(flag(&mut taken, field, Target::Body, scalar, list, required));
                                }
                            }
                        }
                    }
                    quote!(Body::Json { required: #required })
                }
                BodyEncoding::Text => quote!(Body::Text { required: #required }),
                BodyEncoding::Bytes | BodyEncoding::Multipart => quote!(Body::Bytes { required: #required }),
            }
        }
    };
    let count = (flags.len(), names_kind);
    let entry = quote! {
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
    };
    (entry, count)
}

/// One flag, named after the property in kebab case (with a number when that is taken).
fn flag(
    taken: &mut BTreeSet<String>,
    field: &crate::model::Field,
    target: Target,
    scalar: Scalar,
    list: bool,
    required: bool,
) -> TokenStream {
    let base = field.wire_name.to_kebab_case();
    let long = claim(taken, if base.is_empty() { field.rust_name.to_kebab_case() } else { base });
    let name = &field.wire_name;
    let help = field.doc.as_deref().map(first_sentence).unwrap_or_default();
    // Only what differs from `Flag::BODY` / `Flag::PARAMETER` (optional text).
    let kind = (scalar.kind != "Text").then(|| {
        let kind = scalar.kind;
        quote!(kind: TextKind::#kind,)
    });
    let list = list.then(|| quote!(list: true,));
    let required = required.then(|| quote!(required: true,));
    let values = scalar.values;
    let values = (!values.is_empty()).then(|| quote!(values: &[#(#values),*],));
    let base = match target {
        Target::Body => quote!(Flag::BODY),
        Target::Parameter => quote!(Flag::PARAMETER),
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

/// Where a flag's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Parameter,
    Body,
}

/// The first sentence of a description, on one line, for short help.
fn first_sentence(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line,
    }
}

/// The `match` arm that calls an operation.
fn call_arm(api: &Api, index: usize, operation: &Operation) -> TokenStream {
    let cfg = operation_cfg(api, index);
    let id = &operation.operation_id;
    let method = ident(&operation.rust_name);
    let mut arguments = Vec::new();
    let mut decode = Vec::new();
    if let Some(params) = operation.params_type {
        let name = ident(&api.get(params).name);
        decode.push(quote!(let params: types::#name = call.params()?;));
        arguments.push(quote!(&params));
    }
    if let Some(body) = &operation.body {
        let required = body.required;
        match body.encoding {
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                let ty = super::rust_type::qualified_value_type(api, &body.value);
                if required {
                    decode.push(quote!(let body: #ty = call.json_body()?.ok_or_else(command::missing_body)?;));
                    arguments.push(quote!(&body));
                } else {
                    decode.push(quote!(let body: Option<#ty> = call.json_body()?;));
                    arguments.push(quote!(body.as_ref()));
                }
            }
            BodyEncoding::Text => {
                if required {
                    decode.push(quote!(let body = call.text_body()?.ok_or_else(command::missing_body)?;));
                } else {
                    decode.push(quote!(let body = call.text_body()?;));
                }
                arguments.push(quote!(body));
            }
            BodyEncoding::Bytes => {
                if required {
                    decode.push(quote!(let body = call.bytes_body().ok_or_else(command::missing_body)?;));
                    arguments.push(quote!(body));
                } else {
                    decode.push(quote!(let body = call.bytes_body().map(crate::Binary::from);));
                    arguments.push(quote!(body));
                }
            }
        }
        if body.content_type.is_some() {
            arguments.push(quote!(None));
        }
    }
    let call = quote!(client.#method(#(#arguments),*).await?);
    let output = match &operation.response {
        Some(ResponseBody::Json(_)) => quote!(Output::json(&#call)),
        Some(ResponseBody::Text { .. }) => quote!(Ok(Output::Text(#call))),
        Some(ResponseBody::Bytes { .. }) => quote!(Ok(Output::Bytes(#call))),
        None => quote! {{
            #call;
            Ok(Output::Empty)
        }},
    };
    quote! {
        #cfg
        #id => {
            #(#decode)*
            #output
        }
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
