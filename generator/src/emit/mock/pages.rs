//! The paginated lists of `src/mock.rs`: a paged operation's accessor returns a
//! `MockPagedHandle`, whose `paginate(items, page_size)` serves a whole list a page at a time,
//! with the operation's facts written here as a `MockPaging` (where a request carries its
//! position, where the response holds the items and what it says of the next page); the
//! serving is the runtime's `mock_pages.rs`. An operation whose page the mock cannot build
//! keeps the plain handle, and its accessor's docs say why.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::rust_type::qualified_value_type;
use crate::model::pagination::{FieldStep, Holder, PagePattern, Pagination, RequestSlot, SlotPlace, SlotValue};
use crate::model::{Api, Field, Operation, ResponseBody, Shape, TypeKind};

/// What a paged operation's JSON accessor becomes.
pub(super) enum Paged {
    /// Not a paged operation.
    No,
    /// A paged operation whose pages the mock cannot build, and why.
    Refused(String),
    /// A paged operation the mock pages: the item's type and the `MockPaging` value.
    Served { item: TokenStream, paging: TokenStream },
}

impl Paged {
    pub(super) fn of(api: &Api, operation: &Operation) -> Paged {
        let Some(pagination) = &operation.pagination else { return Paged::No };
        match buildable(api, operation, pagination) {
            Ok(on_example) => Paged::Served {
                item: qualified_value_type(api, &pagination.item),
                paging: paging(operation, pagination, on_example),
            },
            Err(reason) => Paged::Refused(reason),
        }
    }

    /// The accessor's return type and body, from those of the plain handle, and its extra doc
    /// lines.
    pub(super) fn accessor(
        self,
        request_type: &TokenStream,
        response_type: &TokenStream,
        make: TokenStream,
    ) -> (TokenStream, TokenStream, Vec<String>) {
        let handle = quote!(MockOperationHandle<'_, #request_type, #response_type>);
        match self {
            Paged::No => (handle, make, Vec::new()),
            Paged::Refused(reason) => {
                let note = format!(" The mock does not serve its lists a page at a time: {reason}.");
                (handle, make, vec![String::new(), note])
            }
            Paged::Served { item, paging } => {
                let handle = quote!(MockPagedHandle<'_, #request_type, #response_type, #item>);
                let make = quote! {
                    static PAGING: paging::MockPaging = #paging;
                    #make.paged(&PAGING)
                };
                let note = " `paginate(items, page_size)` serves a whole list a page at a time, as its pager reads it.";
                (handle, make, vec![String::new(), note.to_string()])
            }
        }
    }
}

/// Whether the mock can build the operation's pages: `Ok(false)` from paging's fields alone,
/// `Ok(true)` on the spec's example (the response requires other fields too), or why not.
fn buildable(api: &Api, operation: &Operation, pagination: &Pagination) -> Result<bool, String> {
    if let PagePattern::Cursor { cursor, next, stop: None } = &pagination.pattern {
        let required = next.last().is_some_and(|step| step.holder == Holder::Plain);
        if cursor.value == SlotValue::Integer && required {
            let name = next.iter().map(|step| step.wire_name.as_str()).collect::<Vec<_>>().join(".");
            return Err(format!("its response requires `{name}`, a page number that never says the list is done"));
        }
    }
    let Some(ResponseBody::Json(response)) = &operation.response else {
        return Err("its success has no JSON body".to_string());
    };
    let written = written_paths(pagination);
    let mut missing = Vec::new();
    if let Shape::Named(id) = response.shape {
        unwritten(api, struct_fields(api, id), &written, "", &mut missing);
    }
    if missing.is_empty() {
        return Ok(false);
    }
    match operation.response_examples.first() {
        Some((_, example)) if example.is_object() => Ok(true),
        _ => Err(format!(
            "its response requires {}, which paging does not set, and the spec has no example to take {} from",
            missing.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        )),
    }
}

/// The paths of the response the mock writes, as wire names.
fn written_paths(pagination: &Pagination) -> Vec<Vec<&str>> {
    let mut paths: Vec<&[FieldStep]> = vec![&pagination.items];
    match &pagination.pattern {
        PagePattern::Cursor { next, stop, .. } => {
            paths.push(next);
            paths.extend(stop.as_ref().map(|stop| stop.field.as_slice()));
        }
        PagePattern::Offset { total, .. } => paths.extend(total.as_deref()),
        PagePattern::HasMore { has_more, .. } => paths.push(has_more),
        PagePattern::PageNumber { current, pages, .. } => paths.extend([current.as_slice(), pages.as_slice()]),
        PagePattern::NextUrl { next } => paths.push(next),
        PagePattern::LinkHeader => {}
    }
    paths.iter().map(|path| path.iter().map(|step| step.wire_name.as_str()).collect()).collect()
}

/// Pushes onto `missing` the required fields of a struct (and of the structs of its written
/// fields) that no written path sets, each with its path from the response's root.
fn unwritten(api: &Api, fields: &[Field], written: &[Vec<&str>], prefix: &str, missing: &mut Vec<String>) {
    for field in fields {
        let name = field.wire_name.as_str();
        let below: Vec<Vec<&str>> =
            written.iter().filter(|path| path.first() == Some(&name)).map(|path| path[1..].to_vec()).collect();
        if below.is_empty() {
            if !field.is_option() {
                missing.push(format!("{prefix}{name}"));
            }
        } else if below.iter().all(|rest| !rest.is_empty()) {
            if let Shape::Named(id) = field.value.shape {
                unwritten(api, struct_fields(api, id), &below, &format!("{prefix}{name}."), missing);
            }
        }
    }
}

fn struct_fields(api: &Api, id: crate::model::TypeId) -> &[Field] {
    match &api.get(id).kind {
        TypeKind::Struct(object) => &object.fields,
        _ => &[],
    }
}

/// The operation's `MockPaging`.
fn paging(operation: &Operation, pagination: &Pagination, on_example: bool) -> TokenStream {
    let items = path(&pagination.items);
    let pattern = match &pagination.pattern {
        PagePattern::Cursor { cursor, next, stop } => {
            let (slot, next, numbered) =
                (slot(operation, cursor), next_field(next), cursor.value == SlotValue::Integer);
            let stop = match stop {
                Some(stop) => {
                    let (path, stops_when) = (path(&stop.field), stop.stops_when);
                    quote!(Some(paging::StopFlag { path: #path, stops_when: #stops_when }))
                }
                None => quote!(None),
            };
            quote!(Cursor { cursor: #slot, next: #next, numbered: #numbered, stop: #stop })
        }
        PagePattern::Offset { offset, limit, total } => {
            let offset = slot(operation, offset);
            let limit = match limit {
                Some(limit) => {
                    let limit = slot(operation, limit);
                    quote!(Some(#limit))
                }
                None => quote!(None),
            };
            let total = match total {
                Some(total) => {
                    let total = path(total);
                    quote!(Some(#total))
                }
                None => quote!(None),
            };
            quote!(Offset { offset: #offset, limit: #limit, total: #total })
        }
        PagePattern::HasMore { after, has_more, id } => {
            let (after, has_more, id) = (slot(operation, after), path(has_more), path(id));
            quote!(LastId { after: #after, has_more: #has_more, id: #id })
        }
        PagePattern::PageNumber { page, current, pages } => {
            let (page, current, pages) = (slot(operation, page), path(current), path(pages));
            quote!(PageNumber { page: #page, current: #current, pages: #pages })
        }
        PagePattern::NextUrl { next } => {
            let next = next_field(next);
            quote!(NextUrl { next: #next })
        }
        PagePattern::LinkHeader => quote!(LinkHeader),
    };
    quote!(paging::MockPaging { items: #items, pattern: paging::PagePattern::#pattern, on_example: #on_example })
}

/// Where a request carries a paging value: a query parameter or a property of the JSON body.
fn slot(operation: &Operation, slot: &RequestSlot) -> TokenStream {
    match slot.place {
        SlotPlace::Parameter(index) => {
            let name = operation.parameters.get(index).map_or(slot.field.wire_name.as_str(), |p| &p.wire_name);
            quote!(paging::PageSlot::Query(#name))
        }
        SlotPlace::Body => {
            let name = &slot.field.wire_name;
            quote!(paging::PageSlot::Body(#name))
        }
    }
}

fn next_field(next: &[FieldStep]) -> TokenStream {
    let (path, required) = (path(next), next.last().is_some_and(|step| step.holder == Holder::Plain));
    quote!(paging::NextField { path: #path, required: #required })
}

/// A path's wire names, as `&["meta", "next_cursor"]`.
fn path(steps: &[FieldStep]) -> TokenStream {
    let names = steps.iter().map(|step| &step.wire_name);
    quote!(&[#(#names),*])
}

/// The module docs' paragraph on paginated lists, when the mock pages some operation.
pub(super) fn pages_doc(api: &Api) -> TokenStream {
    if !api.operations.iter().any(|operation| matches!(Paged::of(api, operation), Paged::Served { .. })) {
        return TokenStream::new();
    }
    let lines = [
        " A paged operation serves a whole list a page at a time (`mock.<operation>().paginate(items,",
        " page_size)`), reading the position each request asks for as the operation pages (a cursor,",
        " an offset, a page number, the last id seen, or the next-page URLs and `Link` headers it hands",
        " out), so that the client's `…_items` pager reads the list back once and stops; a position it",
        " did not hand out is refused with `400 Bad Request`.",
        "",
    ];
    quote!(#(#![doc = #lines])*)
}

#[cfg(test)]
mod tests {
    use super::{buildable, Paged};
    use crate::config::Config;
    use crate::model::{lower_with_config, Api};

    /// Three lists paged by cursor: one whose response also requires `count`, the same with an
    /// example, and one whose required `next_page` is a page number without a flag to end it.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /counted:
    get:
      operationId: counted
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, count]
                properties:
                  data: {type: array, items: {type: string}}
                  next_cursor: {type: string}
                  count: {type: integer}
  /counted-example:
    get:
      operationId: countedExample
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, count]
                properties:
                  data: {type: array, items: {type: string}}
                  next_cursor: {type: string}
                  count: {type: integer}
              example: {data: [], count: 7}
  /numbered:
    get:
      operationId: numbered
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, next_page]
                properties:
                  data: {type: array, items: {type: string}}
                  next_page: {type: integer}
"#;

    fn api() -> Api {
        let document = serde_yaml::from_str(SPEC).expect("a valid document");
        let config = Config::parse(std::path::Path::new("codegen.toml"), "").expect("a valid config");
        lower_with_config(&document, Some("t"), &config).expect("lowers").0
    }

    #[test]
    fn a_page_needs_every_required_field_from_paging_or_the_example() {
        let api = api();
        let built: Vec<Result<bool, String>> = api
            .operations
            .iter()
            .map(|operation| buildable(&api, operation, operation.pagination.as_ref().expect("paged")))
            .collect();
        assert_eq!(
            built,
            [
                Err("its response requires `count`, which paging does not set, and the spec has no example to take it from"
                    .to_string()),
                Ok(true),
                Err("its response requires `next_page`, a page number that never says the list is done".to_string()),
            ]
        );
        assert!(matches!(Paged::of(&api, &api.operations[0]), Paged::Refused(_)));
        assert!(matches!(Paged::of(&api, &api.operations[1]), Paged::Served { .. }));
    }
}
