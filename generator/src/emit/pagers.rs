//! The pagers of paged operations: for each, `{method}_pages` (a stream of pages, each with what
//! the response said about the next) and `{method}_items` (the items across pages). They are
//! appended to `src/client.rs` as one more `impl Client` block, since a next page's URL is sent
//! through the client's own transport and credentials. Each page is one call of the operation's
//! method (or, for a URL, one send with its `OperationInfo`), so validation, retries and the
//! deadline apply per page; the stream logic is the runtime's (`pages.rs`).

mod docs;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::value_type_with_prefix;
use super::{deprecated_attr, ident, operation_cfg};
use crate::model::pagination::{
    FieldPath, FieldStep, Holder, PagePattern, Pagination, RequestSlot, SlotPlace, SlotValue, StopFlag,
};
use crate::model::{Api, Operation};

/// `client` (the tokens of `src/client.rs`) followed by the pagers, if the spec has any.
pub fn with_pagers(api: &Api, client: TokenStream) -> TokenStream {
    let methods: Vec<TokenStream> = api
        .operations
        .iter()
        .enumerate()
        .filter_map(|(index, operation)| Some(pager_methods(api, index, operation, operation.pagination.as_ref()?)))
        .collect();
    if methods.is_empty() {
        return client;
    }
    quote! {
        #client

        /// The pagers of the list operations.
        impl Client {
            #(#methods)*
        }
    }
}

fn pager_methods(api: &Api, index: usize, operation: &Operation, pagination: &Pagination) -> TokenStream {
    let (pages, items) = (ident(&pagination.pages_method), ident(&pagination.items_method));
    let cfg = operation_cfg(api, index);
    let deprecated = deprecated_attr(operation.deprecated);
    let item = value_type_with_prefix(api, &pagination.item, &quote!(crate::types::));
    let inputs = Inputs::of(api, operation, &pagination.pattern);
    let Inputs { declared, passed, .. } = &inputs;
    let stream = stream(api, index, operation, pagination, &inputs);
    let pages_doc = docs::pages_doc(operation, pagination);
    let items_doc = format!(
        " The items of [`Client::{}`] across its pages, one at a time: the next page is fetched only \
         once the items of this one are taken. Paging works as [`Client::{}`] says.",
        operation.rust_name, pagination.pages_method
    );
    quote! {
        #(#[doc = #pages_doc])*
        #cfg
        #deprecated
        #[inline]
        pub fn #pages(&self, #declared) -> crate::pages::Pages<#item> {
            #stream
        }

        #[doc = #items_doc]
        #cfg
        #deprecated
        #[inline]
        pub fn #items(&self, #declared) -> crate::pages::Items<#item> {
            self.#pages(#passed).items()
        }
    }
}

/// What a pager takes and hands on: the operation's parameters and JSON body.
struct Inputs {
    /// The parameters besides `&self`, e.g. `params: &crate::types::ListParams,`.
    declared: TokenStream,
    /// The same, passed on to the pages method.
    passed: TokenStream,
    /// Owned copies, taken when the stream is made.
    owned: TokenStream,
    /// Each fetch's own copies (mutable where a paging value is set).
    per_fetch: TokenStream,
    /// The arguments of the operation's method.
    call: TokenStream,
}

impl Inputs {
    fn of(api: &Api, operation: &Operation, pattern: &PagePattern) -> Self {
        let set = set_slots(pattern);
        let sets = |place: fn(&SlotPlace) -> bool| set.iter().any(|slot| place(&slot.place));
        let mut inputs = Inputs {
            declared: TokenStream::new(),
            passed: TokenStream::new(),
            owned: quote!(let client = self.clone();),
            per_fetch: quote!(let client = client.clone();),
            call: TokenStream::new(),
        };
        if let Some(id) = operation.params_type {
            let name = ident(&api.get(id).name);
            let binding = if sets(|place| matches!(place, SlotPlace::Parameter(_))) { quote!(mut) } else { quote!() };
            inputs.declared.extend(quote!(params: &crate::types::#name,));
            inputs.passed.extend(quote!(params,));
            inputs.owned.extend(quote!(let params = params.clone();));
            inputs.per_fetch.extend(quote!(let #binding params = params.clone();));
            inputs.call.extend(quote!(&params,));
        }
        if let Some(body) = &operation.body {
            let ty = value_type_with_prefix(api, &body.value, &quote!(crate::types::));
            let mutated = sets(|place| *place == SlotPlace::Body);
            let binding = if mutated { quote!(mut) } else { quote!() };
            let (declared, owned, call) = match (body.required, mutated) {
                (true, _) => (quote!(&#ty), quote!(body.clone()), quote!(&body)),
                (false, true) => (quote!(&#ty), quote!(body.clone()), quote!(Some(&body))),
                (false, false) => (quote!(Option<&#ty>), quote!(body.cloned()), quote!(body.as_ref())),
            };
            inputs.declared.extend(quote!(body: #declared,));
            inputs.passed.extend(quote!(body,));
            inputs.owned.extend(quote!(let body = #owned;));
            inputs.per_fetch.extend(quote!(let #binding body = body.clone();));
            inputs.call.extend(quote!(#call,));
        }
        inputs
    }
}

/// The request values a pattern sets for each page.
fn set_slots(pattern: &PagePattern) -> Vec<&RequestSlot> {
    match pattern {
        PagePattern::Cursor { cursor: slot, .. }
        | PagePattern::Offset { offset: slot, .. }
        | PagePattern::HasMore { after: slot, .. }
        | PagePattern::PageNumber { page: slot, .. } => vec![slot],
        PagePattern::NextUrl { .. } | PagePattern::LinkHeader => Vec::new(),
    }
}

/// The body of the pages method: the stream over one fetch per page.
fn stream(api: &Api, index: usize, operation: &Operation, pagination: &Pagination, inputs: &Inputs) -> TokenStream {
    let id = &operation.operation_id;
    let Inputs { owned, per_fetch, .. } = inputs;
    let (set, fetch, describe) = page_parts(api, index, operation, pagination, inputs);
    let fetch_page = quote! {
        move |request: crate::pages::PageRequest| {
            #per_fetch
            async move {
                #set
                #fetch
                #describe
            }
        }
    };
    match &pagination.pattern {
        PagePattern::Offset { offset, limit, .. } => {
            let start = read_slot(offset);
            let limit = match limit {
                Some(limit) => {
                    let read = read_slot(limit);
                    quote!(let limit = #read; let limit = limit.and_then(|limit| u64::try_from(*limit).ok());)
                }
                None => quote!(let limit = None;),
            };
            quote! {
                let start = #start;
                let start = start.and_then(|offset| u64::try_from(*offset).ok()).unwrap_or(0);
                #limit
                #owned
                crate::pages::Pages::offsets(#id, start, limit, #fetch_page)
            }
        }
        PagePattern::NextUrl { .. } | PagePattern::LinkHeader => quote! {
            #owned
            crate::pages::Pages::new(#id, #fetch_page).same_origin_as(self.base_url())
        },
        _ => quote! {
            #owned
            crate::pages::Pages::new(#id, #fetch_page)
        },
    }
}

/// A fetch's three parts: setting the request's paging value, sending, and describing the
/// response as a `Page` (with `Ok`). Each value read from the response is bound before it is
/// used: a read of a plain field is `Some(&field)`.
fn page_parts(
    api: &Api,
    index: usize,
    operation: &Operation,
    pagination: &Pagination,
    inputs: &Inputs,
) -> (TokenStream, TokenStream, TokenStream) {
    let method = ident(&operation.rust_name);
    let call = &inputs.call;
    let send = quote!(let response = client.#method(#call).await?;);
    let items = take_items(&pagination.items);
    match &pagination.pattern {
        PagePattern::Cursor { cursor, next, stop } => {
            (set_from_cursor(cursor), send, cursor_page(next, stop.as_ref(), &items))
        }
        PagePattern::HasMore { after, has_more, id } => {
            (set_from_cursor(after), send, last_id_page(has_more, id, &items))
        }
        PagePattern::Offset { offset, total, .. } => (set_offset(offset), send, offset_page(total.as_ref(), &items)),
        PagePattern::PageNumber { page, current, pages } => {
            (set_from_cursor(page), send, page_number_page(current, pages, &items))
        }
        PagePattern::NextUrl { next } => {
            let next = read(quote!(response), next);
            let describe = quote! {
                let response = response.into_value();
                let next = #next;
                let next = next.map(ToString::to_string);
                let items = #items;
                let page = crate::pages::Page::new(items).next_url(next);
                Ok::<_, Error>(page)
            };
            (TokenStream::new(), send_url(api, index, operation, call), describe)
        }
        PagePattern::LinkHeader => {
            let describe = quote! {
                let next = crate::pages::next_link(response.headers());
                let response = response.into_value();
                let items = #items;
                let page = crate::pages::Page::new(items).next_url(next);
                Ok::<_, Error>(page)
            };
            (TokenStream::new(), send_url(api, index, operation, call), describe)
        }
    }
}

fn cursor_page(next: &[FieldStep], stop: Option<&StopFlag>, items: &TokenStream) -> TokenStream {
    let next = read(quote!(response), next);
    let stop = stop.map(|stop| {
        let (flag, stops_when) = (read(quote!(response), &stop.field), stop.stops_when);
        quote! {
            let flag = #flag;
            let next = next.filter(|_| flag != Some(&#stops_when));
        }
    });
    quote! {
        let next = #next;
        let next = next.map(ToString::to_string);
        #stop
        let items = #items;
        let page = crate::pages::Page::new(items).next_cursor(next);
        Ok::<_, Error>(page)
    }
}

fn last_id_page(has_more: &[FieldStep], id: &[FieldStep], items: &TokenStream) -> TokenStream {
    let (flag, id) = (read(quote!(response), has_more), read(quote!(item), id));
    quote! {
        let has_more = #flag;
        let has_more = has_more == Some(&true);
        let items = #items;
        let page = crate::pages::Page::new(items).has_more(has_more, |item| {
            let id = #id;
            id.map(ToString::to_string).unwrap_or_default()
        });
        Ok::<_, Error>(page)
    }
}

fn set_offset(offset: &RequestSlot) -> TokenStream {
    let assign = assign(offset, quote!(value));
    quote! {
        if let Some(offset) = request.offset() {
            if let Ok(value) = offset.try_into() {
                #assign
            }
        }
    }
}

fn offset_page(total: Option<&FieldPath>, items: &TokenStream) -> TokenStream {
    let (total, with_total) = match total {
        Some(total) => {
            let read = read(quote!(response), total);
            (quote!(let total = #read;), quote!(.total(total.and_then(|total| u64::try_from(*total).ok()))))
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        #total
        let items = #items;
        let page = crate::pages::Page::new(items) #with_total;
        Ok::<_, Error>(page)
    }
}

fn page_number_page(current: &[FieldStep], pages: &[FieldStep], items: &TokenStream) -> TokenStream {
    let (current, pages) = (read(quote!(response), current), read(quote!(response), pages));
    quote! {
        let (current, pages) = (#current, #pages);
        let next = match (current, pages) {
            (Some(current), Some(pages)) if current < pages => current.checked_add(1).map(|page| page.to_string()),
            _ => None,
        };
        let items = #items;
        let page = crate::pages::Page::new(items).next_cursor(next);
        Ok::<_, Error>(page)
    }
}

/// Sends the first page with the operation's `…_with_response` method, and a next page's URL
/// with the operation's credentials and decoding: `response` is an `ApiResponse`.
fn send_url(api: &Api, index: usize, operation: &Operation, call: &TokenStream) -> TokenStream {
    let id = &operation.operation_id;
    let info = ident(&api.operation_names[index].info);
    let with_response = ident(&operation.with_response_name);
    quote! {
        let response = match request.url() {
            Some(url) => {
                let get = client.transport.page_request(#id, url)?;
                client.transport.send(&*client.credentials, &#info, get, crate::response::decode).await?
            }
            None => client.#with_response(#call).await?,
        };
    }
}

/// Sets a slot from the request's cursor (text, parsed for an integer slot).
fn set_from_cursor(slot: &RequestSlot) -> TokenStream {
    let set = match slot.value {
        SlotValue::Text => assign(slot, quote!(cursor.to_owned())),
        SlotValue::Integer => {
            let assign = assign(slot, quote!(value));
            quote!(if let Ok(value) = cursor.parse() { #assign })
        }
    };
    quote! {
        if let Some(cursor) = request.cursor() {
            #set
        }
    }
}

/// `params.field = Some(value);` (or `body.…`, as the field holds it).
fn assign(slot: &RequestSlot, value: TokenStream) -> TokenStream {
    let (root, field) = (slot_root(slot), ident(&slot.field.rust_name));
    let value = match slot.field.holder {
        Holder::Plain => value,
        Holder::Option => quote!(Some(#value)),
        Holder::Nullable => quote!(crate::Nullable::Value(#value)),
    };
    quote!(#root.#field = #value;)
}

/// An `Option<&T>` of a slot's value in the caller's request.
fn read_slot(slot: &RequestSlot) -> TokenStream {
    read(slot_root(slot), std::slice::from_ref(&slot.field))
}

fn slot_root(slot: &RequestSlot) -> TokenStream {
    match slot.place {
        SlotPlace::Parameter(_) => quote!(params),
        SlotPlace::Body => quote!(body),
    }
}

/// An `Option<&T>` of the value at `path` from `root`.
fn read(root: TokenStream, path: &[FieldStep]) -> TokenStream {
    let Some((first, rest)) = path.split_first() else { return quote!(Some(&#root)) };
    let field = ident(&first.rust_name);
    let mut read = match first.holder {
        Holder::Plain => quote!(Some(&#root.#field)),
        Holder::Option => quote!(#root.#field.as_ref()),
        Holder::Nullable => quote!(#root.#field.as_option()),
    };
    for step in rest {
        let field = ident(&step.rust_name);
        read = match step.holder {
            Holder::Plain => quote!(#read.map(|value| &value.#field)),
            Holder::Option => quote!(#read.and_then(|value| value.#field.as_ref())),
            Holder::Nullable => quote!(#read.and_then(|value| value.#field.as_option())),
        };
    }
    read
}

/// The page's items, moved out of `response`.
fn take_items(path: &[FieldStep]) -> TokenStream {
    let Some(step) = path.first() else { return quote!(response) };
    let field = ident(&step.rust_name);
    match step.holder {
        Holder::Plain => quote!(response.#field),
        Holder::Option => quote!(response.#field.unwrap_or_default()),
        Holder::Nullable => quote!(response.#field.into_option().unwrap_or_default()),
    }
}
