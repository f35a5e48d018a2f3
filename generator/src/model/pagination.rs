//! List operations whose responses come a page at a time: how the next page is asked for and
//! where the page's items are, so the client can offer every item across pages as one stream.
//!
//! Detection is conservative: an operation is paged only when its parameters and its success
//! type match one of the known patterns by name and type (`site.rs` reads the operation,
//! `patterns.rs` matches the patterns, strictest first), and codegen.toml can name the pattern
//! for an operation or turn paging off. Runs once the types are final, before the names of the
//! pager methods are claimed (`names.rs`).

mod patterns;
mod site;

use std::collections::BTreeMap;

use openapiv3::OpenAPI;

use super::{Api, ValueType};
use crate::config::{PaginationSettings, PatternSetting};
use crate::error::SpecError;

/// How an operation's pages are chained, and where their items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub pattern: PagePattern,
    /// The array of items in the success body: the fields from the body's root to it (empty
    /// when the body is the array itself).
    pub items: FieldPath,
    /// The type of one item.
    pub item: ValueType,
    /// The client method that yields the pages, e.g. `list_cards_pages` (decided in `names.rs`).
    pub pages_method: String,
    /// The client method that yields the items across pages, e.g. `list_cards_items`.
    pub items_method: String,
}

/// The known ways of asking for the next page.
#[derive(Debug, Clone, PartialEq)]
pub enum PagePattern {
    /// The response names the next page's cursor (`next`, text or a page number), which the
    /// request carries in `cursor`; a flag may say that the list is done whatever the cursor.
    Cursor { cursor: RequestSlot, next: FieldPath, stop: Option<StopFlag> },
    /// The request skips `offset` items and asks for `limit`; the response may give the total.
    Offset { offset: RequestSlot, limit: Option<RequestSlot>, total: Option<FieldPath> },
    /// The response says whether there are more (`has_more`); the next request names the last
    /// item's id (`id`, a field of the item) in `after`.
    HasMore { after: RequestSlot, has_more: FieldPath, id: FieldPath },
    /// The response holds the URL of the next page.
    NextUrl { next: FieldPath },
    /// The response's `Link` header names the next page (RFC 8288, `rel="next"`).
    LinkHeader,
    /// The request asks for page `page` (an integer); the response gives its own number
    /// (`current`) and how many pages there are (`pages`).
    PageNumber { page: RequestSlot, current: FieldPath, pages: FieldPath },
}

impl PagePattern {
    /// The pattern's name, as codegen.toml writes it.
    pub fn name(&self) -> &'static str {
        self.setting().as_str()
    }

    fn setting(&self) -> PatternSetting {
        match self {
            PagePattern::Cursor { .. } => PatternSetting::Cursor,
            PagePattern::Offset { .. } => PatternSetting::Offset,
            PagePattern::HasMore { .. } => PatternSetting::HasMore,
            PagePattern::NextUrl { .. } => PatternSetting::NextUrl,
            PagePattern::LinkHeader => PatternSetting::LinkHeader,
            PagePattern::PageNumber { .. } => PatternSetting::PageNumber,
        }
    }
}

/// A boolean of the response that ends the list whatever the cursor says: `has_more` when it
/// is `false`, `done` when it is `true`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopFlag {
    pub field: FieldPath,
    /// The value that ends the list.
    pub stops_when: bool,
}

/// Where a request carries a paging value: a field of the operation's params struct or of its
/// JSON body, and what the value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSlot {
    pub place: SlotPlace,
    /// The field, of the params struct or of the body.
    pub field: FieldStep,
    pub value: SlotValue,
}

/// Where a [`RequestSlot`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotPlace {
    /// The parameter at this index of [`Operation::parameters`](super::Operation::parameters).
    Parameter(usize),
    /// A top-level property of the JSON request body.
    Body,
}

/// What a [`RequestSlot`] holds: text (a cursor, an id), or an integer (an offset, a page
/// number, a numeric id); a text cursor the response names is parsed into an integer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotValue {
    Text,
    Integer,
}

/// A path through the fields of a struct value, from its root.
pub type FieldPath = Vec<FieldStep>;

/// One field of a [`FieldPath`]: its wire name, its Rust name and how the value is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub wire_name: String,
    pub rust_name: String,
    pub holder: Holder,
}

/// How a struct holds a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// As it is (required and not nullable).
    Plain,
    /// In an `Option`.
    Option,
    /// In a `Nullable` (optional and nullable).
    Nullable,
}

/// Finds the paged operations of `api`, or takes codegen.toml's word for them. A configured
/// pattern the operation does not fit, or an operationId the spec lacks, is a warning.
pub(super) fn detect(
    api: &mut Api,
    document: &OpenAPI,
    config: &BTreeMap<String, PaginationSettings>,
    warnings: &mut Vec<SpecError>,
) {
    for operation_id in config.keys() {
        if !api.operations.iter().any(|operation| operation.operation_id == *operation_id) {
            warnings.push(SpecError::new(
                "#/paths",
                format!("codegen.toml [pagination.{operation_id}] names an operation the spec does not have"),
            ));
        }
    }
    let found: Vec<Option<Pagination>> = api
        .operations
        .iter()
        .map(|operation| {
            let settings = config.get(&operation.operation_id);
            let found = match settings {
                Some(settings) if settings.pattern == PatternSetting::Off => return None,
                None => return site::Site::read(api, document, operation).ok().and_then(|site| patterns::detect(&site)),
                Some(settings) => site::Site::read(api, document, operation)
                    .map_err(str::to_string)
                    .and_then(|site| patterns::configured(&site, settings)),
            };
            found
                .map_err(|problem| {
                    let (id, pattern) = (&operation.operation_id, settings.map_or("", |s| s.pattern.as_str()));
                    warnings.push(SpecError::new(
                        operation.pointer.clone(),
                        format!("codegen.toml [pagination.{id}] pattern = \"{pattern}\": {problem}; so the operation has no pager"),
                    ));
                })
                .ok()
        })
        .collect();
    for (operation, pagination) in api.operations.iter_mut().zip(found) {
        operation.pagination = pagination;
    }
}

impl Api {
    /// How many operations have pagers, by pattern name, in a fixed order.
    pub fn paged_operations(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for pagination in self.operations.iter().filter_map(|operation| operation.pagination.as_ref()) {
            *counts.entry(pagination.pattern.name()).or_insert(0) += 1;
        }
        counts
    }
}

#[cfg(test)]
#[path = "pagination_tests.rs"]
mod tests;
