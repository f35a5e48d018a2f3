//! The streams of pages and of items, and the rules for where paging stops.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{NextPage, Page, PageRequest, PaginationError};
use crate::error::Error;

/// A fetch of one page, as the stream keeps it.
type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, E>> + Send>>;
type FetchPage<T, E> = Box<dyn FnMut(PageRequest) -> PageFuture<T, E> + Send>;

/// How a stream finds the page after the one it has.
#[derive(Debug, Clone, Copy)]
enum Paging {
    /// Each page names the next (cursor, last id, URL or `Link` header).
    Named,
    /// By offset, this many items at a time when the caller set a limit.
    Offset { limit: Option<u64> },
}

/// Where a stream of pages is.
enum State<T, E> {
    /// The request for the next page, made when the stream is polled.
    Next(PageRequest),
    /// A fetch in flight, for this request.
    Fetching(PageRequest, PageFuture<T, E>),
    /// The last page yielded repeated a page token; the error comes next.
    Repeated,
    /// The last page yielded named a URL on another origin; the error comes next.
    Refused,
    /// Nothing more: the list ended, a limit was reached, or an error was yielded.
    Done,
}

/// The pages of a list operation, fetched one at a time as the stream is polled.
pub struct Pages<T, E = Error> {
    operation: &'static str,
    fetch: FetchPage<T, E>,
    state: State<T, E>,
    paging: Paging,
    requested: HashSet<PageRequest>,
    pages: u64,
    items: u64,
    max_pages: Option<u64>,
    max_items: Option<u64>,
    /// Which next-page URLs are followed.
    follow: Follow,
}

/// Which next-page URLs a stream follows.
enum Follow {
    /// Any, as the response names them (a stream that was given no base URL).
    Any,
    /// Those on the origin of this base URL, relative ones resolved against it.
    Within(reqwest::Url),
    /// None: the base URL did not parse.
    Nowhere,
}

impl<T: Send + 'static, E: From<PaginationError> + 'static> Pages<T, E> {
    /// Pages that each name the next (by cursor, `has_more` and the last id, URL or `Link`
    /// header), starting with [`PageRequest::First`].
    pub fn new<F, Fut>(operation: &'static str, fetch: F) -> Self
    where
        F: FnMut(PageRequest) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
    {
        Self::starting(operation, PageRequest::First, Paging::Named, fetch)
    }

    /// Pages by offset from `start`, `limit` items at a time when a limit is set (which lets a
    /// short page end the list when the responses give no total).
    pub fn offsets<F, Fut>(operation: &'static str, start: u64, limit: Option<u64>, fetch: F) -> Self
    where
        F: FnMut(PageRequest) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
    {
        Self::starting(operation, PageRequest::Offset { offset: start, limit }, Paging::Offset { limit }, fetch)
    }

    fn starting<F, Fut>(operation: &'static str, first: PageRequest, paging: Paging, mut fetch: F) -> Self
    where
        F: FnMut(PageRequest) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
    {
        Pages {
            operation,
            fetch: Box::new(move |request| Box::pin(fetch(request))),
            requested: HashSet::from([first.clone()]),
            state: State::Next(first),
            paging,
            pages: 0,
            items: 0,
            max_pages: None,
            max_items: None,
            follow: Follow::Any,
        }
    }

    /// Follows next-page URLs (a `next` field, a `Link` header) only on the origin of
    /// `base_url`, the client's: relative ones are resolved against it, and one on another
    /// scheme, host or port ends the stream with a [`PaginationError`] instead of being
    /// fetched, so that no credential goes elsewhere.
    pub fn same_origin_as(mut self, base_url: &str) -> Self {
        self.follow = super::url::base(base_url).map_or(Follow::Nowhere, Follow::Within);
        self
    }

    /// Fetches at most this many pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Fetches no page once this many items have arrived ([`Items`] also yields no more).
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// The items of these pages, one at a time.
    pub fn items(self) -> Items<T, E> {
        let remaining = self.max_items;
        Items { pages: self, current: Vec::new().into_iter(), remaining }
    }

    /// The next page; `None` once the list (or a limit) is reached or after an error.
    pub async fn next(&mut self) -> Option<Result<Page<T>, E>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Page<T>, E>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Repeated => {
                    let error = PaginationError::new(self.operation, self.pages);
                    return Poll::Ready(Some(Err(error.into())));
                }
                State::Refused => {
                    let error = PaginationError::foreign_url(self.operation, self.pages);
                    return Poll::Ready(Some(Err(error.into())));
                }
                State::Next(_) if self.limit_reached() => return Poll::Ready(None),
                State::Next(request) => {
                    let fetch = (self.fetch)(request.clone());
                    self.state = State::Fetching(request, fetch);
                }
                State::Fetching(request, mut fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(request, fetch);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(page)) => return Poll::Ready(Some(Ok(self.accept(page, &request)))),
                },
            }
        }
    }

    /// Numbers a fetched page, works out the request after it and what the stream does next.
    fn accept(&mut self, mut page: Page<T>, request: &PageRequest) -> Page<T> {
        self.pages += 1;
        self.items = self.items.saturating_add(page.items.len() as u64);
        page.number = self.pages;
        page.next = self.after(&page, request);
        let refused = self.resolve(&mut page.next);
        self.state = match &page.next {
            None if refused => State::Refused,
            None => State::Done,
            Some(_) if self.limit_reached() => State::Done,
            Some(next) if !self.requested.insert(next.clone()) => State::Repeated,
            Some(next) => State::Next(next.clone()),
        };
        page
    }

    /// The request for the page after `page`, fetched with `request`, or `None` at the end.
    fn after(&self, page: &Page<T>, request: &PageRequest) -> Option<PageRequest> {
        if page.items.is_empty() {
            return None;
        }
        let count = page.items.len() as u64;
        if let Paging::Offset { limit } = self.paging {
            let offset = request.offset().unwrap_or(0).saturating_add(count);
            let more = match (page.total, limit) {
                (Some(total), _) => offset < total,
                (None, Some(limit)) => count >= limit,
                (None, None) => true,
            };
            return more.then_some(PageRequest::Offset { offset, limit });
        }
        match &page.said {
            NextPage::Unsaid => None,
            NextPage::Token(cursor) => cursor.clone().map(PageRequest::Cursor),
            NextPage::Url(url) => url.clone().map(PageRequest::Url),
        }
    }

    /// Resolves a next page's URL against the base, when there is one; a URL on another
    /// origin is dropped, and the answer is whether one was.
    fn resolve(&self, next: &mut Option<PageRequest>) -> bool {
        let Some(PageRequest::Url(url)) = &next else { return false };
        let resolved = match &self.follow {
            Follow::Any => return false,
            Follow::Within(base) => super::url::same_origin(base, url),
            Follow::Nowhere => None,
        };
        match resolved {
            Some(resolved) => {
                *next = Some(PageRequest::Url(resolved.into()));
                false
            }
            None => {
                *next = None;
                true
            }
        }
    }

    fn limit_reached(&self) -> bool {
        self.max_pages.is_some_and(|max| self.pages >= max) || self.max_items.is_some_and(|max| self.items >= max)
    }
}

impl<T: Send + 'static, E: From<PaginationError> + 'static> futures_core::Stream for Pages<T, E> {
    type Item = Result<Page<T>, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("pages", &self.pages)
            .field("items", &self.items)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

/// The items of a list operation across its pages; the next page is fetched only once the
/// items of the current one have been taken.
pub struct Items<T, E = Error> {
    pages: Pages<T, E>,
    current: std::vec::IntoIter<T>,
    /// How many more items [`Pages::max_items`] allows.
    remaining: Option<u64>,
}

impl<T: Send + 'static, E: From<PaginationError> + 'static> Items<T, E> {
    /// Fetches at most this many pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// Yields at most this many items.
    pub fn max_items(mut self, items: u64) -> Self {
        self.pages = self.pages.max_items(items);
        self.remaining = Some(items);
        self
    }

    /// The next item; `None` at the end of the list or a limit, and after an error.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, E>>> {
        if self.remaining == Some(0) {
            return Poll::Ready(None);
        }
        loop {
            if let Some(item) = self.current.next() {
                self.remaining = self.remaining.map(|remaining| remaining - 1);
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(self.pages.poll_page(cx)) {
                Some(Ok(page)) => self.current = page.items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T: Send + 'static, E: From<PaginationError> + 'static> futures_core::Stream for Items<T, E> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// No field is ever pinned in place: the page future is boxed.
impl<T, E> Unpin for Items<T, E> {}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}
