//! Paginated list operations as lazy streams: [`Pages`] yields each page with what the API said
//! about the next one, [`Items`] yields the items across pages.
//!
//! A generated list method supplies a closure that fetches one page through the client's normal
//! call path (so retries and deadlines apply per page): it receives the [`PageRequest`] to ask
//! for, sets it on the operation's parameters, and describes the response as a [`Page`]:
//!
//! ```ignore
//! let client = self.clone();
//! Pages::new("list_items", move |request: PageRequest| {
//!     let (client, mut params) = (client.clone(), params.clone());
//!     async move {
//!         if let Some(cursor) = request.cursor() {
//!             params.cursor = Some(cursor.to_owned());
//!         }
//!         let body = client.list_items(&params).await?;
//!         Ok(Page::new(body.data).next_cursor(body.next_cursor))
//!     }
//! })
//! ```
//!
//! A page is fetched only when the stream is polled past the items already fetched. Paging
//! stops when a page is empty or names no next page, when the offset reaches the total or a page
//! is shorter than the limit, or at [`Pages::max_pages`] / [`Pages::max_items`]. A next page the
//! stream has already asked for ends it with a [`PaginationError`], so it never loops. An error
//! from a fetch is yielded once, and then the stream ends.
//!
//! A pager given the client's base URL ([`Pages::same_origin_as`]) follows next-page URLs only
//! on its origin, resolving relative ones against it.
//!
//! The streams are in `stream`, the `Link` header parser in `link`, next-page URLs in `url`.

mod link;
mod stream;
mod url;

use std::fmt;

pub use crate::error::PaginationError;
pub use crate::stream_error::PaginationProblem;
pub use link::{next_link, parse_link_header, Link};
pub use stream::{Items, Pages};

/// The page a fetch asks for.
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageRequest {
    /// The first page: the request as the caller wrote it.
    First,
    /// A page token: the previous page's next cursor, or the id of its last item (for APIs that
    /// answer `has_more` and take the last id seen).
    Cursor(String),
    /// Items from `offset` on, `limit` at a time when the caller set a limit.
    Offset {
        /// How many items to skip.
        offset: u64,
        /// The page size the caller asked for.
        limit: Option<u64>,
    },
    /// A URL the previous response named: a `next` field or a `Link` header's `rel="next"`.
    Url(String),
}

impl PageRequest {
    /// The page token to send, if this request carries one.
    pub fn cursor(&self) -> Option<&str> {
        match self {
            PageRequest::Cursor(cursor) => Some(cursor),
            _ => None,
        }
    }

    /// The offset to send, if this request carries one.
    pub fn offset(&self) -> Option<u64> {
        match self {
            PageRequest::Offset { offset, .. } => Some(*offset),
            _ => None,
        }
    }

    /// The URL to fetch instead of the operation's own, if this request carries one.
    pub fn url(&self) -> Option<&str> {
        match self {
            PageRequest::Url(url) => Some(url),
            _ => None,
        }
    }
}

impl fmt::Debug for PageRequest {
    /// Shows the kind of request and the length of a cursor or URL, never its text: cursors may
    /// encode data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageRequest::First => f.write_str("First"),
            PageRequest::Cursor(cursor) => write!(f, "Cursor(<{} bytes>)", cursor.len()),
            PageRequest::Offset { offset, limit } => {
                f.debug_struct("Offset").field("offset", offset).field("limit", limit).finish()
            }
            PageRequest::Url(url) => write!(f, "Url(<{} bytes>)", url.len()),
        }
    }
}

/// What a response said about the page after it.
#[derive(Clone, Default)]
enum NextPage {
    /// Nothing: this is the last page (unless paging by offset).
    #[default]
    Unsaid,
    /// A page token, or the last item's id when the response said there are more.
    Token(Option<String>),
    /// A URL.
    Url(Option<String>),
}

/// One page of a list: its items and what the response said about the next page.
#[derive(Clone)]
pub struct Page<T> {
    items: Vec<T>,
    said: NextPage,
    total: Option<u64>,
    number: u64,
    next: Option<PageRequest>,
}

impl<T> Page<T> {
    /// A page of these items; the builder methods below add what the response says next.
    pub fn new(items: Vec<T>) -> Self {
        Page { items, said: NextPage::Unsaid, total: None, number: 0, next: None }
    }

    /// The response's next cursor; none or an empty one means this is the last page.
    pub fn next_cursor(mut self, cursor: Option<String>) -> Self {
        self.said = NextPage::Token(cursor.filter(|cursor| !cursor.is_empty()));
        self
    }

    /// The response's `has_more` flag; while it is true, the next page starts after the id of
    /// this page's last item, which `id` reads.
    pub fn has_more(self, has_more: bool, id: impl FnOnce(&T) -> String) -> Self {
        let last_id = if has_more { self.items.last().map(id) } else { None };
        self.next_cursor(last_id)
    }

    /// The response's URL of the next page; none or an empty one means this is the last page.
    pub fn next_url(mut self, url: Option<String>) -> Self {
        self.said = NextPage::Url(url.filter(|url| !url.is_empty()));
        self
    }

    /// The next page named by the response's `Link` headers (`rel="next"`, RFC 8288).
    pub fn link_header(self, headers: &reqwest::header::HeaderMap) -> Self {
        self.next_url(next_link(headers))
    }

    /// How many items the whole list has, as the response says.
    pub fn total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// The items of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the items of this page.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The page's place in the stream, from 1.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// How many items the whole list has, when the response said so.
    pub fn total_items(&self) -> Option<u64> {
        self.total
    }

    /// The request for the page after this one, or `None` when this is the last page. A stream
    /// stopped by a limit can be resumed with it.
    pub fn next_request(&self) -> Option<&PageRequest> {
        self.next.as_ref()
    }
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    /// Shows the items and the page's place, but not the cursor or URL the response named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("number", &self.number)
            .field("items", &self.items)
            .field("total", &self.total)
            .field("next", &self.next)
            .finish()
    }
}
