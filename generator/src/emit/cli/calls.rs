//! The `match` arms of `send` in `src/cli.rs`: each decodes the arguments into the operation's
//! request types, calls its client method and hands back what to print. A streamed answer is
//! printed as it arrives, item by item; an operation that answers JSON or a stream calls its
//! stream method when the request asks for the stream (its body property, or the stream
//! switch); a paged operation calls its pager when asked to follow pages (`paging.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{ident, operation_cfg};
use crate::model::{Api, BodyEncoding, Operation, ResponseBody, StreamResponse};

/// The `match` arm that calls an operation.
pub(super) fn call_arm(api: &Api, index: usize, operation: &Operation) -> TokenStream {
    let cfg = operation_cfg(api, index);
    let id = &operation.operation_id;
    let (decode, arguments) = decode_arguments(api, operation);
    let whole = |response: &ResponseBody| {
        let method = ident(&operation.rust_name);
        whole_output(response, quote!(client.#method(#(#arguments),*).await?))
    };
    let output = match (&operation.stream, &operation.response) {
        (Some(stream), None) => streamed_output(stream, &arguments),
        (Some(stream), Some(response)) => {
            let flag = match &stream.flag {
                Some(flag) => {
                    let name = &flag.wire_name;
                    quote!(Some(#name))
                }
                None => quote!(None),
            };
            let streamed = streamed_output(stream, &arguments);
            let whole = whole(response);
            quote! {
                if call.wants_stream(#flag) {
                    #streamed
                } else {
                    #whole
                }
            }
        }
        (None, Some(response)) => whole(response),
        (None, None) => {
            let method = ident(&operation.rust_name);
            quote! {{
                client.#method(#(#arguments),*).await?;
                Ok(Output::Empty)
            }}
        }
    };
    let output = super::paging::output(api, operation, output);
    quote! {
        #cfg
        #id => {
            #(#decode)*
            #output
        }
    }
}

/// The statements that decode the arguments, and the arguments of the client's method.
fn decode_arguments(api: &Api, operation: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut arguments = Vec::new();
    let mut decode = Vec::new();
    if let Some(params) = operation.params_type {
        let name = ident(&api.get(params).name);
        decode.push(quote!(let params: types::#name = call.params()?;));
        arguments.push(quote!(&params));
    }
    let Some(body) = &operation.body else { return (decode, arguments) };
    let required = body.required;
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            let ty = super::super::rust_type::qualified_value_type(api, &body.value);
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
            } else {
                decode.push(quote!(let body = call.bytes_body().map(crate::Binary::from);));
            }
            arguments.push(quote!(body));
        }
    }
    if body.content_type.is_some() {
        arguments.push(quote!(None));
    }
    (decode, arguments)
}

/// What to print of a response read whole, from `call` (the method's awaited result).
fn whole_output(response: &ResponseBody, call: TokenStream) -> TokenStream {
    match response {
        ResponseBody::Json(_) => quote!(Output::json(&#call)),
        ResponseBody::Text { .. } => quote!(Ok(Output::Text(#call))),
        ResponseBody::Bytes { .. } => quote!(Ok(Output::Bytes(#call))),
    }
}

/// Calls the stream method and prints each item as it arrives.
fn streamed_output(stream: &StreamResponse, arguments: &[TokenStream]) -> TokenStream {
    let method = ident(&stream.method_name);
    let print = match &stream.item {
        Some(_) => quote!(print_items),
        None => quote!(print_events),
    };
    quote! {{
        let stream = client.#method(#(#arguments),*).await?;
        crate::command_stream::#print(stream).await
    }}
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// An operation that answers JSON or events by `Accept` alone: its subcommand has a
    /// `--stream` switch (a parameter named `stream` takes another name), its call asks for the
    /// stream by it, and the mock answers the stream to requests that accept it.
    const BY_ACCEPT: &str = r#"
openapi: 3.0.3
info: {title: Jobs, version: "1"}
paths:
  /jobs/{id}:
    get:
      operationId: getJob
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: stream, in: query, schema: {type: string}}
      responses:
        '200':
          description: The job, or its progress.
          content:
            application/json:
              schema: {type: object, properties: {state: {type: string}}}
            text/event-stream:
              schema: {type: object, properties: {percent: {type: integer}}}
"#;

    #[test]
    fn an_operation_streamed_by_accept_gets_a_switch_and_is_answered_by_accept() {
        let options = crate::Options { spec_label: "spec.yaml".to_string(), ..crate::Options::default() };
        let generated = crate::generate_from_text(Path::new("spec.yaml"), BY_ACCEPT, &options).unwrap();
        let cli = generated.files.get("src/cli.rs").unwrap();
        let longs: Vec<&str> = cli.lines().filter_map(|line| line.trim().strip_prefix("long: \"")).collect();
        assert_eq!(longs, ["id\",", "stream-2\",", "stream\","]);
        assert!(cli.contains("..Flag::STREAM"), "{cli}");
        assert!(cli.contains("if call.wants_stream(None) {"), "{cli}");
        assert!(cli.contains("client.get_job_stream(&params).await?"), "{cli}");
        let mock = generated.files.get("src/mock.rs").unwrap();
        assert!(mock.contains("asked_by: server::AskedBy::Accept"), "{mock}");
        assert!(mock.contains("pub fn get_job_stream("), "{mock}");
    }
}
