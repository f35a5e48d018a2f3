//! `--all-pages` and `--max-items` on the subcommands of paged operations: the two flags in the
//! table (the runtime's `Flag::ALL_PAGES` and `Flag::MAX_ITEMS`), a paragraph of help, and the
//! call, which prints the items of the operation's `{method}_items` pager as their pages
//! arrive when either flag is given (the runtime's `command_pages.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::ident;
use crate::model::pagination::{PagePattern, SlotPlace};
use crate::model::{Api, Operation};

/// The flags a paged operation's subcommand gets besides its own; none for another.
pub(super) fn flags(operation: &Operation) -> Vec<TokenStream> {
    if operation.pagination.is_none() {
        return Vec::new();
    }
    vec![quote!(Flag::ALL_PAGES), quote!(Flag::MAX_ITEMS)]
}

/// What `--help` says of following a paged operation's pages, if it is paged.
pub(super) fn help(operation: &Operation) -> Option<&'static str> {
    operation.pagination.as_ref()?;
    Some(
        "With --all-pages or --max-items, the pages are followed: each item is printed as one line of JSON \
         as soon as its page arrives. A failure stops paging, and the items printed before it stay printed; \
         --dry-run prints the first page's request.",
    )
}

/// The call of a paged operation: its items across pages when the arguments ask for them,
/// `whole` (the call of one page) otherwise. For another operation, `whole` as it is.
pub(super) fn output(api: &Api, operation: &Operation, whole: TokenStream) -> TokenStream {
    let Some(pagination) = &operation.pagination else { return whole };
    let method = ident(&pagination.items_method);
    let mut prepare = TokenStream::new();
    let mut arguments = Vec::new();
    if operation.params_type.is_some() {
        arguments.push(quote!(&params));
    }
    if let Some(body) = &operation.body {
        let sets_body = matches!(slot_place(&pagination.pattern), Some(SlotPlace::Body));
        // The pager takes the body as the operation does, but needs one to set its paging
        // value in: an optional body not given is then an empty object.
        if body.required {
            arguments.push(quote!(&body));
        } else if sets_body {
            let ty = super::super::rust_type::qualified_value_type(api, &body.value);
            prepare = quote!(let body: #ty = call.json_body_or_empty()?;);
            arguments.push(quote!(&body));
        } else {
            arguments.push(quote!(body.as_ref()));
        }
    }
    quote! {
        if let Some(paging) = call.paging() {
            #prepare
            let items = client.#method(#(#arguments),*);
            crate::command_pages::print_items(items, paging).await
        } else {
            #whole
        }
    }
}

/// Where the pattern sets its paging value in each request, if it sets one.
fn slot_place(pattern: &PagePattern) -> Option<&SlotPlace> {
    match pattern {
        PagePattern::Cursor { cursor: slot, .. }
        | PagePattern::Offset { offset: slot, .. }
        | PagePattern::HasMore { after: slot, .. }
        | PagePattern::PageNumber { page: slot, .. } => Some(&slot.place),
        PagePattern::NextUrl { .. } | PagePattern::LinkHeader => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A list whose cursor travels in an optional JSON body, and one that is not paged.
    const OPTIONAL_BODY: &str = r#"
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                query: {type: string}
                cursor: {type: string}
      responses:
        '200':
          description: A page of matches.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  next_cursor: {type: string}
  /count:
    get:
      operationId: count
      responses:
        '200':
          description: A count.
          content:
            application/json:
              schema: {type: integer}
"#;

    #[test]
    fn a_pager_that_sets_an_optional_body_gets_an_empty_one_and_unpaged_operations_no_flags() {
        let options = crate::Options { spec_label: "spec.yaml".to_string(), ..crate::Options::default() };
        let generated = crate::generate_from_text(Path::new("spec.yaml"), OPTIONAL_BODY, &options).unwrap();
        let cli = generated.files.get("src/cli.rs").unwrap();
        assert!(cli.contains("let body: types::SearchRequest = call.json_body_or_empty()?;"), "{cli}");
        assert!(cli.contains("let items = client.search_items(&body);"), "{cli}");
        assert_eq!(cli.matches("Flag::ALL_PAGES,").count(), 1, "{cli}");
        assert_eq!(cli.matches("Flag::MAX_ITEMS,").count(), 1, "{cli}");
        assert_eq!(cli.matches("call.paging()").count(), 1, "{cli}");
    }
}
