//! The docs of the pages methods: what they yield, how the operation's pattern chains its pages,
//! and where paging stops. Spec names appear only inside code spans.

use crate::model::pagination::{FieldStep, PagePattern, Pagination, RequestSlot};
use crate::model::Operation;

/// The pages method's docs: what it yields, how the pattern chains pages, and the limits.
pub(super) fn pages_doc(operation: &Operation, pagination: &Pagination) -> Vec<String> {
    let wire = |path: &[FieldStep]| path.iter().map(|step| step.wire_name.as_str()).collect::<Vec<_>>().join(".");
    let slot = |slot: &RequestSlot| slot.field.wire_name.clone();
    let how = match &pagination.pattern {
        PagePattern::Cursor { cursor, next, stop } => {
            let stop = stop.as_ref().map_or(String::new(), |stop| {
                format!(", or when its `{}` is `{}`", wire(&stop.field), stop.stops_when)
            });
            format!("Each request after the first sets `{}` to the previous response's `{}`; the list ends when a response names none{stop}.", slot(cursor), wire(next))
        }
        PagePattern::Offset { offset, limit, total } => {
            let limit = limit.as_ref().map_or(String::new(), |limit| format!(", `{}` at a time as the caller set it", slot(limit)));
            let total = total.as_ref().map_or(String::new(), |total| format!(" at the response's `{}`,", wire(total)));
            format!("Each request after the first sets `{}` past the items received so far{limit}; the list ends{total} at a page shorter than the limit, or at an empty page.", slot(offset))
        }
        PagePattern::HasMore { after, has_more, id } => format!(
            "While a response's `{}` is `true`, the next request sets `{}` to the `{}` of its last item.",
            wire(has_more),
            slot(after),
            wire(id)
        ),
        PagePattern::NextUrl { next } => format!("Each page after the first is a `GET` of the URL in the previous response's `{}`, followed only on the origin of the client's base URL (another is an [`Error::Pagination`](crate::Error::Pagination)).", wire(next)),
        PagePattern::LinkHeader => "Each page after the first is a `GET` of the URL the previous response's `Link` header names as `rel=\"next\"`, followed only on the origin of the client's base URL (another is an [`Error::Pagination`](crate::Error::Pagination)).".to_string(),
        PagePattern::PageNumber { page, current, pages } => format!(
            "While a response's `{}` is below its `{}`, the next request sets `{}` to the page after it.",
            wire(current),
            wire(pages),
            slot(page)
        ),
    };
    vec![
        format!(" The pages of [`Client::{}`], fetched one at a time as the stream is polled.", operation.rust_name),
        String::new(),
        format!(" {how}"),
        String::new(),
        " Each page is one call, validated and retried like the method's. The first error ends the stream, and so does a"
            .to_string(),
        " response that names a page already asked for ([`Error::Pagination`](crate::Error::Pagination)), so paging"
            .to_string(),
        " never loops. [`Pages::max_pages`](crate::pages::Pages::max_pages) and".to_string(),
        " [`Pages::max_items`](crate::pages::Pages::max_items) set limits.".to_string(),
    ]
}
