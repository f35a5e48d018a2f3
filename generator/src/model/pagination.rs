//! List operations whose responses come a page at a time: how the next page is asked for and
//! where the page's items are, so the client can offer every item across pages as one stream.
//!
//! Detection is conservative: an operation is paged only when its parameters and its success
//! type match one of the known patterns exactly, and codegen.toml can name the pattern for an
//! operation or turn paging off.

use super::ValueType;

/// How an operation's pages are chained, and where their items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub pattern: PagePattern,
    /// The array of items in the success body: the fields from the body's root to it (empty
    /// when the body is the array itself).
    pub items: FieldPath,
    /// The type of one item.
    pub item: ValueType,
}

/// The known ways of asking for the next page.
#[derive(Debug, Clone, PartialEq)]
pub enum PagePattern {
    /// The response names the next page's cursor, which the request carries in `cursor`.
    Cursor { cursor: RequestSlot, next: FieldPath },
    /// The request skips `offset` items and asks for `limit`; the response may give the total.
    Offset { offset: RequestSlot, limit: Option<RequestSlot>, total: Option<FieldPath> },
    /// The response says whether there are more (`has_more`); the next request names the last
    /// item's id (`id`, a field of the item) in `after`.
    HasMore { after: RequestSlot, has_more: FieldPath, id: FieldPath },
    /// The response holds the URL of the next page.
    NextUrl { next: FieldPath },
    /// The response's `Link` header names the next page (RFC 8288, `rel="next"`).
    LinkHeader,
}

/// Where a request carries a paging value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestSlot {
    /// The parameter at this index of [`Operation::parameters`](super::Operation::parameters).
    Parameter(usize),
    /// A top-level property of the JSON request body, by wire name and Rust field name.
    BodyField { wire_name: String, rust_name: String },
}

/// A path through the fields of a struct value, from its root: each step's wire name and Rust
/// field name, and whether the field is optional (held in an `Option`).
pub type FieldPath = Vec<FieldStep>;

/// One field of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub wire_name: String,
    pub rust_name: String,
    pub optional: bool,
}
