//! The client methods of operations whose success arrives as a stream of items: one method
//! returning an `ItemStream`, the operation's only method when the stream is its only answer,
//! else `…_stream` beside the JSON one.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{request_with, Request};
use super::docs::doc_paragraphs;
use super::rust_type::qualified_value_type as value_type;
use super::{deprecated_attr, ident, operation_cfg};
use crate::model::{Api, Operation, StreamFraming, StreamResponse};

/// The method of operation `index` that returns its stream.
pub(super) fn stream_method(api: &Api, index: usize, operation: &Operation, stream: &StreamResponse) -> TokenStream {
    let name = ident(&stream.method_name);
    let info = ident(&api.operation_names[index].info);
    let cfg = operation_cfg(api, index);
    let deprecated = deprecated_attr(operation.deprecated);
    let attach = stream.flag.as_ref().zip(operation.body.as_ref()).map(|(flag, body)| {
        let wire_name = &flag.wire_name;
        let media_type = &body.media_type;
        let with_flag = quote!(crate::transport_stream::with_flag(body, #wire_name, true));
        if media_type.trim().eq_ignore_ascii_case("application/json") {
            quote!(request.json(&#with_flag))
        } else {
            quote!(request.header(reqwest::header::CONTENT_TYPE, #media_type).json(&#with_flag))
        }
    });
    let Request { params_param, body_param, request } = request_with(api, operation, attach);
    let accept = stream.media_type.split(';').next().unwrap_or_default().trim().to_string();
    let framing = match stream.framing {
        StreamFraming::Sse => quote!(crate::event_stream::Framing::Sse),
        StreamFraming::JsonLines => quote!(crate::event_stream::Framing::JsonLines),
        StreamFraming::JsonSeq => quote!(crate::event_stream::Framing::JsonSeq),
    };
    let (item, items) = match &stream.item {
        Some(item) => {
            let ty = value_type(api, item);
            (ty.clone(), quote!(start.items::<#ty>(#framing)))
        }
        None => (quote!(crate::SseEvent), quote!(start.events())),
    };
    let terminator = stream.terminator.as_ref().map(|end| quote!(.terminator(#end)));
    let docs = docs(api, index, operation, stream);
    quote! {
        #docs
        #cfg
        #deprecated
        pub async fn #name(&self, #params_param #body_param) -> Result<crate::ItemStream<#item>, Error> {
            #request
            let start = self.transport.send_stream(&self.credentials, &#info, request, #accept).await?;
            Ok(#items #terminator)
        }
    }
}

/// The method's documentation: the spec's words when the stream is the only answer, a pointer
/// to the JSON method otherwise; then how the stream is read and ends.
fn docs(api: &Api, index: usize, operation: &Operation, stream: &StreamResponse) -> TokenStream {
    let intro = match (&operation.response, &stream.flag) {
        (None, _) => doc_paragraphs(&[operation.summary.as_deref(), operation.description.as_deref()]),
        (Some(_), Some(flag)) => {
            let line = format!(
                " Like [`Client::{}`], with the body's `{}` set to `true`: the answer arrives as a stream of items, each handed over as soon as it is complete.",
                operation.rust_name, flag.wire_name
            );
            quote!(#[doc = #line])
        }
        (Some(_), None) => {
            let line = format!(
                " Like [`Client::{}`], asking for the answer as a stream (`Accept: {}`): each item is handed over as soon as it is complete.",
                operation.rust_name, stream.media_type
            );
            quote!(#[doc = #line])
        }
    };
    let endpoint = format!(" `{} {}`", operation.method.as_str(), operation.path);
    let framing = match stream.framing {
        StreamFraming::Sse => "server-sent events (`text/event-stream`), each event's `data` one item",
        StreamFraming::JsonLines => "JSON lines, one item per line",
        StreamFraming::JsonSeq => "a JSON text sequence (RFC 7464), one item per entry",
    };
    let item = match &stream.item {
        Some(_) => "An item that does not decode is an `Error::StreamItem` naming the item, and the stream goes on.",
        None => "The events are handed over as they came (`SseEvent`), not decoded.",
    };
    let reading = format!(
        " The body is read as {framing}. {item} Retries, the deadline and the client's timeout cover the call until the response's head arrives, never the stream, which may last as long as the server sends."
    );
    let ending = stream.terminator.as_ref().map(|end| {
        let line = format!(" The stream ends at an item `{end}`, which is not handed over.");
        quote!(#[doc = ""] #[doc = #line])
    });
    let resuming = matches!(stream.framing, StreamFraming::Sse).then(|| {
        let line = " To resume after a lost connection with the last event id as `Last-Event-ID`, where the server supports it, call `.reconnect(Reconnect::new())` on the stream (see [`crate::Reconnect`]).";
        quote!(#[doc = ""] #[doc = #line])
    });
    let feature = api.areas.as_ref().and_then(|areas| areas.of_operation(index).first().copied()).map(|feature| {
        let line = format!(" Compiled with the `{feature}` feature (on by default, through `full`).");
        quote!(#[doc = ""] #[doc = #line])
    });
    quote! {
        #intro
        #[doc = ""]
        #[doc = #endpoint]
        #[doc = ""]
        #[doc = #reading]
        #ending
        #resuming
        #feature
    }
}
