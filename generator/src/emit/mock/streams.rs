//! The streamed answers of `src/mock.rs`: each streamed operation's `MockStream` (framing,
//! media type, terminator, how a request asks for it), the typed accessor of its stream (items
//! of the stream's item type, or whole `SseEvent`s), and the module docs' words on them.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::client::names_a_type;
use super::super::rust_type::qualified_value_type;
use crate::model::{Api, Operation, StreamFraming, StreamResponse};

/// The operation's `stream` in `MOCK_OPERATIONS`: `None` unless its success is a stream.
pub(super) fn stream_entry(operation: &Operation) -> TokenStream {
    let Some(stream) = &operation.stream else { return quote!(None) };
    let framing = match (stream.framing, &stream.item) {
        (StreamFraming::Sse, Some(_)) => quote!(Sse),
        (StreamFraming::Sse, None) => quote!(SseEvents),
        (StreamFraming::JsonLines, _) => quote!(JsonLines),
        (StreamFraming::JsonSeq, _) => quote!(JsonSeq),
    };
    let media_type = stream.media_type.split(';').next().unwrap_or_default().trim();
    let terminator = match &stream.terminator {
        Some(end) => quote!(Some(#end)),
        None => quote!(None),
    };
    let asked_by = match (&operation.response, &stream.flag) {
        (None, _) => quote!(Always),
        (Some(_), Some(flag)) => {
            let name = &flag.wire_name;
            quote!(Flag(#name))
        }
        (Some(_), None) => quote!(Accept),
    };
    quote! {
        Some(server::MockStream {
            framing: server::MockFraming::#framing,
            media_type: #media_type,
            terminator: #terminator,
            asked_by: server::AskedBy::#asked_by,
        })
    }
}

/// The accessor of an operation's streamed answer: its items' type and encoder.
pub(super) fn stream_accessor(
    api: &Api,
    operation: &Operation,
    stream: &StreamResponse,
    cfg: &TokenStream,
    name: &Ident,
    request_type: &TokenStream,
) -> TokenStream {
    let id = &operation.operation_id;
    let (item, encode) = match &stream.item {
        Some(item) => (qualified_value_type(api, item), quote!(server::json_body)),
        None => (quote!(crate::SseEvent), quote!(crate::mock_stream::sse_event)),
    };
    let asked = match (&operation.response, &stream.flag) {
        (None, _) => String::new(),
        (Some(_), Some(flag)) => format!(", answered to requests whose body sets `{}` to `true`", flag.wire_name),
        (Some(_), None) => format!(", answered to requests that accept `{}`", stream.media_type),
    };
    let register = if stream.item.is_some() { "items" } else { "events" };
    let doc = format!(
        " `{id}` (`{} {}`), its streamed answer{asked}: register its replies (`{register}([…])`), read the requests it received.",
        operation.method.as_str(),
        operation.path
    );
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(&self) -> MockOperationHandle<'_, #request_type, #item> {
            self.stream_operation(#id, #encode)
        }
    }
}

/// Whether the operation's stream items name something in `types`.
pub(super) fn item_names_a_type(operation: &Operation) -> bool {
    let item = operation.stream.as_ref().and_then(|stream| stream.item.as_ref());
    item.is_some_and(names_a_type)
}

/// The module docs' paragraph on streamed answers, when the spec has some.
pub(super) fn streams_doc(api: &Api) -> TokenStream {
    if api.operations.iter().all(|operation| operation.stream.is_none()) {
        return TokenStream::new();
    }
    let lines = [
        " An operation whose success is a stream of items answers with the items a test gives",
        " (`mock.<stream method>().items([…])`), in its framing (server-sent events, JSON lines or a",
        " JSON text sequence) and ending with its terminator, or with a stream of none until then;",
        " [`MockReply::items`] with [`MockReply::delay_between`] sends them over time, each item",
        " written as soon as it is due. An operation that answers JSON or a stream as the request",
        " asks has one accessor for each answer, named like the client's two methods.",
        "",
    ];
    quote!(#(#![doc = #lines])*)
}
