//! The mock server's paginated lists, in crates whose spec has pagers: a test gives a paged
//! operation the whole list and a page size (`mock.<operation>().paginate(items, 2)`), and the
//! mock answers each request with the page it asks for, the way the operation pages: it reads
//! the position from the request (a cursor, an offset, a page number, the last id seen, or for a
//! next URL or `Link` header, a mark in the URLs it hands out on its own origin), writes that
//! page's items where the response holds them, and says what comes next as the operation's
//! responses do, so that the client's pager reads the list back exactly once. A position the
//! mock did not hand out is refused with `400 Bad Request`.
//!
//! What varies by operation (where the position travels, the response's fields, the pattern) is
//! a [`MockPaging`] the crate's `mock.rs` writes; the rest is here.
#![cfg(feature = "mock")]

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value};

use crate::mock_server::{Computed, Incoming, MockOperationHandle};

/// A path of property names from a JSON value's root; empty for the value itself.
pub type FieldPath = &'static [&'static str];

/// The query parameter the mock adds to the next-page URLs it hands out: the page's number,
/// from 0.
const URL_MARK: &str = "mock_page";

/// How a paged operation's lists are served: where its responses hold the items, its pattern,
/// and whether its pages are built on the spec's example.
#[allow(dead_code, reason = "the generated `mock.rs` writes one for each paged operation")]
#[derive(Debug)]
pub struct MockPaging {
    /// The array of items in a response.
    pub items: FieldPath,
    pub pattern: PagePattern,
    /// Whether each page is the spec's example with paging's fields set (when the response
    /// type requires more than those), rather than an object of those fields only.
    pub on_example: bool,
}

/// How a request asks for a page, and what a response says of the next.
#[allow(dead_code, reason = "the generated `mock.rs` names the pattern of each paged operation")]
#[derive(Debug)]
pub enum PagePattern {
    /// The request carries the cursor the previous response named in `next` (a page number
    /// when `numbered`); `stop`, if any, says whether more pages follow.
    Cursor { cursor: PageSlot, next: NextField, numbered: bool, stop: Option<StopFlag> },
    /// The request skips `offset` items and asks for at most `limit`; `total` is the list's
    /// length.
    Offset { offset: PageSlot, limit: Option<PageSlot>, total: Option<FieldPath> },
    /// The request names in `after` the id (at `id` in an item) of the last item it has seen;
    /// `has_more` says whether more pages follow.
    LastId { after: PageSlot, has_more: FieldPath, id: FieldPath },
    /// The request asks for page `page`, from 1; the response gives its number (`current`)
    /// and how many pages there are (`pages`).
    PageNumber { page: PageSlot, current: FieldPath, pages: FieldPath },
    /// The response holds the next page's URL.
    NextUrl { next: NextField },
    /// The response's `Link` header names the next page (`rel="next"`).
    LinkHeader,
}

/// Where a request carries a paging value.
#[allow(dead_code, reason = "the generated `mock.rs` names where each paged operation's requests say their page")]
#[derive(Debug, Clone, Copy)]
pub enum PageSlot {
    /// A query parameter.
    Query(&'static str),
    /// A top-level property of the JSON body.
    Body(&'static str),
}

/// The response's field naming the next page, and whether the response must have it (written
/// empty, or `0`, on the last page; else left out).
#[allow(dead_code, reason = "the generated `mock.rs` writes it for paged operations that name the next page")]
#[derive(Debug, Clone, Copy)]
pub struct NextField {
    pub path: FieldPath,
    pub required: bool,
}

/// A boolean of the response that ends the list when it is `stops_when`.
#[allow(dead_code, reason = "the generated `mock.rs` writes it for paged operations with such a flag")]
#[derive(Debug, Clone, Copy)]
pub struct StopFlag {
    pub path: FieldPath,
    pub stops_when: bool,
}

/// The handle of a paged operation: everything a [`MockOperationHandle`] does (through
/// `Deref`), and [`paginate`](MockPagedHandle::paginate), which serves a whole list a page at
/// a time. `I` is the type of one item of the list.
pub struct MockPagedHandle<'a, R, T, I> {
    handle: MockOperationHandle<'a, R, T>,
    paging: &'static MockPaging,
    items: PhantomData<fn(I)>,
}

impl<'a, R, T> MockOperationHandle<'a, R, T> {
    /// This handle, with [`MockPagedHandle::paginate`] for the operation's lists.
    #[allow(dead_code, reason = "the generated accessors of paged operations call it")]
    pub(crate) fn paged<I>(self, paging: &'static MockPaging) -> MockPagedHandle<'a, R, T, I> {
        MockPagedHandle { handle: self, paging, items: PhantomData }
    }
}

impl<'a, R, T, I> Deref for MockPagedHandle<'a, R, T, I> {
    type Target = MockOperationHandle<'a, R, T>;

    fn deref(&self) -> &Self::Target {
        &self.handle
    }
}

#[allow(dead_code, reason = "a crate whose paged operations the mock cannot page does not use it")]
impl<R: Clone + 'static, T: serde::de::DeserializeOwned, I: serde::Serialize> MockPagedHandle<'_, R, T, I> {
    /// Answers every later request with its page of `items`, `page_size` items a page (an
    /// offset operation's request may ask for fewer), once the queued replies are used up (a
    /// test can queue an error for one page with `respond_once`). The first request (the
    /// caller's own) gets the first page; each response says what comes next as the
    /// operation's responses do, so that the client's pager reads the list once and stops.
    /// An empty list is one page without items. A request for a position the mock did not
    /// hand out (an unknown cursor or id, a page or offset past the end) is refused with
    /// `400 Bad Request` and kept for `take_rejections`.
    ///
    /// # Panics
    ///
    /// When `page_size` is 0, or when a page does not decode as the operation's response (the
    /// spec's example, which a page is built on when the response requires more than paging's
    /// fields, does not match the spec).
    #[track_caller]
    pub fn paginate(&self, items: impl IntoIterator<Item = I>, page_size: usize) -> &Self {
        let Some((operation, origin)) = self.handle.served() else { return self };
        assert!(page_size > 0, "paginate: the page size of `{}` must be at least 1", operation.id);
        let base = match operation.example.filter(|_| self.paging.on_example) {
            Some(example) => serde_json::from_str(example).unwrap_or_else(|_| Value::Object(Map::new())),
            None => Value::Object(Map::new()),
        };
        let items = items.into_iter().map(|item| serde_json::to_value(item).unwrap_or(Value::Null)).collect();
        let origin = reqwest::Url::parse(&origin).ok();
        let list = MockList { items, page_size, paging: self.paging, base, origin };
        let first = list.serve(&Asked::default()).map(|served| serde_json::from_value::<T>(served.body));
        if let Ok(Err(error)) = first {
            panic!("paginate: a page of `{}` does not decode as its response: {error}", operation.id);
        }
        self.handle.respond_computed(Arc::new(move |request: &Incoming<'_>| {
            let served = list.serve(&list.asked(request))?;
            let body = serde_json::to_vec(&served.body).unwrap_or_default();
            let link = served.link.map(|url| format!("<{url}>; rel=\"next\""));
            let link = link.and_then(|link| HeaderValue::from_str(&link).ok());
            let headers = link.map(|link| (HeaderName::from_static("link"), link)).into_iter().collect();
            Ok(Computed { body, headers })
        }));
        self
    }
}

/// A list the mock serves, as JSON.
struct MockList {
    items: Vec<Value>,
    page_size: usize,
    paging: &'static MockPaging,
    /// What each page is built on: an empty object, or the spec's example.
    base: Value,
    /// The server's base URL, which next-page URLs are on.
    origin: Option<reqwest::Url>,
}

/// What a request asks for: the position it carries (its text), the limit of an offset
/// operation, and its URL (for next-page URLs).
#[derive(Debug, Default)]
struct Asked {
    position: Option<String>,
    limit: Option<String>,
    url: Option<reqwest::Url>,
}

/// A page: the response's body, and the next page's URL for a `Link` header.
#[derive(Debug)]
struct Served {
    body: Value,
    link: Option<String>,
}

impl MockList {
    /// What `request` asks for.
    fn asked(&self, request: &Incoming<'_>) -> Asked {
        let read = |slot: &PageSlot| match *slot {
            PageSlot::Query(name) => request.query(name).into_iter().next(),
            PageSlot::Body(name) => {
                let body: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
                body.get(name).and_then(text)
            }
        };
        let (position, limit) = match &self.paging.pattern {
            PagePattern::Cursor { cursor: slot, .. }
            | PagePattern::LastId { after: slot, .. }
            | PagePattern::PageNumber { page: slot, .. } => (read(slot), None),
            PagePattern::Offset { offset, limit, .. } => (read(offset), limit.as_ref().and_then(read)),
            PagePattern::NextUrl { .. } | PagePattern::LinkHeader => (request.query(URL_MARK).into_iter().next(), None),
        };
        Asked { position, limit, url: Some(request.url().clone()) }
    }

    /// How many pages the list has when it is cut `page_size` items a page: at least one (an
    /// empty list is one empty page). Offsets cut pages of their own.
    fn pages(&self) -> usize {
        self.items.len().div_ceil(self.page_size).max(1)
    }

    /// The items of page `index`, from 0.
    fn page(&self, index: usize) -> &[Value] {
        let start = (index * self.page_size).min(self.items.len());
        &self.items[start..(start + self.page_size).min(self.items.len())]
    }

    /// The page a position names, from 0: page numbers from `first` to the last, or none.
    fn numbered(&self, position: &str, first: usize) -> Result<usize, String> {
        let page = position.parse::<usize>().ok().and_then(|page| page.checked_sub(first));
        page.filter(|page| *page < self.pages())
            .ok_or_else(|| format!("page `{position}` is not one the mock handed out (it has {} pages)", self.pages()))
    }

    /// The response to a request that asks for `asked`, or why it is refused.
    fn serve(&self, asked: &Asked) -> Result<Served, String> {
        let position = asked.position.as_deref().filter(|position| !position.is_empty());
        let mut body = self.base.clone();
        let mut link = None;
        let page = match &self.paging.pattern {
            PagePattern::Cursor { next, numbered, stop, .. } => {
                self.by_cursor(position, &mut body, next, *numbered, stop.as_ref())?
            }
            PagePattern::Offset { total, .. } => {
                let start = match position {
                    None => 0,
                    Some(position) => {
                        position.parse::<usize>().ok().filter(|start| *start <= self.items.len()).ok_or_else(|| {
                            format!("the offset `{position}` is past the end of the list ({} items)", self.items.len())
                        })?
                    }
                };
                let limit =
                    asked.limit.as_deref().and_then(|limit| limit.parse::<usize>().ok()).filter(|limit| *limit > 0);
                let end = start.saturating_add(limit.map_or(self.page_size, |limit| limit.min(self.page_size)));
                if let Some(total) = total {
                    set(&mut body, total, Value::from(self.items.len()));
                }
                &self.items[start..end.min(self.items.len())]
            }
            PagePattern::LastId { has_more, id, .. } => {
                let index = match position {
                    None => 0,
                    Some(position) => {
                        1 + (0..self.pages() - 1)
                            .find(|index| {
                                self.page(*index).last().and_then(|item| at(item, id)).as_deref() == Some(position)
                            })
                            .ok_or_else(|| {
                                format!("`{position}` is not the id of the last item of a page the mock served")
                            })?
                    }
                };
                set(&mut body, has_more, Value::Bool(index + 1 < self.pages()));
                self.page(index)
            }
            PagePattern::PageNumber { current, pages, .. } => {
                let index = position.map_or(Ok(0), |position| self.numbered(position, 1))?;
                set(&mut body, current, Value::from(index + 1));
                set(&mut body, pages, Value::from(self.pages()));
                self.page(index)
            }
            PagePattern::NextUrl { next } => {
                let index = position.map_or(Ok(0), |position| self.numbered(position, 0))?;
                let url = (index + 1 < self.pages()).then(|| self.next_url(asked, index + 1)).flatten();
                set_next(&mut body, next, url.map(Value::from), false);
                self.page(index)
            }
            PagePattern::LinkHeader => {
                let index = position.map_or(Ok(0), |position| self.numbered(position, 0))?;
                link = (index + 1 < self.pages()).then(|| self.next_url(asked, index + 1)).flatten();
                self.page(index)
            }
        };
        let items = Value::Array(page.to_vec());
        match self.paging.items {
            [] => body = items,
            path => set(&mut body, path, items),
        }
        Ok(Served { body, link })
    }

    /// The page of a cursor operation the position names, with the next cursor (and the
    /// flag, if any) written into `body`.
    fn by_cursor(
        &self,
        position: Option<&str>,
        body: &mut Value,
        next: &NextField,
        numbered: bool,
        stop: Option<&StopFlag>,
    ) -> Result<&[Value], String> {
        let index = match (position, numbered) {
            (None, _) => 0,
            (Some(position), true) => self.numbered(position, 1)?,
            (Some(position), false) => (1..self.pages())
                .find(|index| cursor(*index) == position)
                .ok_or_else(|| format!("the cursor `{position}` is not one the mock handed out"))?,
        };
        let more = index + 1 < self.pages();
        let value = match numbered {
            true => more.then(|| Value::from(index + 2)),
            false => more.then(|| Value::from(cursor(index + 1))),
        };
        set_next(body, next, value, numbered);
        if let Some(stop) = stop {
            set(body, stop.path, Value::Bool(more != stop.stops_when));
        }
        Ok(self.page(index))
    }

    /// The URL of page `index`: the request's, on the server's origin, with the page's mark.
    fn next_url(&self, asked: &Asked, index: usize) -> Option<String> {
        let (origin, asked) = (self.origin.as_ref()?, asked.url.as_ref()?);
        let mut url = origin.join(asked.path()).ok()?;
        let kept: Vec<(String, String)> = asked
            .query_pairs()
            .filter(|(name, _)| name != URL_MARK)
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(kept).append_pair(URL_MARK, &index.to_string());
        Some(url.into())
    }
}

/// The text cursor the mock hands out for page `index`.
fn cursor(index: usize) -> String {
    format!("mock-page-{index}")
}

/// A JSON value as the text a request or pager would carry: a string's own text, a number's
/// digits; `None` for `null`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// The text of the value at `path` in `value`.
fn at(value: &Value, path: FieldPath) -> Option<String> {
    path.iter().try_fold(value, |value, name| value.get(name)).and_then(text)
}

/// Sets the value at `path` in `body`, making the objects on the way.
fn set(body: &mut Value, path: FieldPath, value: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut object = body;
    for name in parents {
        let Value::Object(map) = object else { return };
        let child = map.entry(*name).or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        object = child;
    }
    if let Value::Object(map) = object {
        map.insert((*last).to_owned(), value);
    }
}

/// Sets the next page's field, or on the last page, leaves it out (an empty text, or `0`,
/// where the response requires it).
fn set_next(body: &mut Value, next: &NextField, value: Option<Value>, numbered: bool) {
    match (value, next.required, numbered) {
        (Some(value), _, _) => set(body, next.path, value),
        (None, true, true) => set(body, next.path, Value::from(0)),
        (None, true, false) => set(body, next.path, Value::from("")),
        // The objects on the way are made all the same: the response may require them.
        (None, false, _) => {
            set(body, next.path, Value::Null);
            let Some((last, parents)) = next.path.split_last() else { return };
            let parent = parents.iter().try_fold(&mut *body, |value, name| value.get_mut(name));
            if let Some(Value::Object(map)) = parent {
                map.remove(*last);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{Asked, MockList, MockPaging, NextField, PagePattern, PageSlot, StopFlag};

    fn list(paging: &'static MockPaging, count: usize, page_size: usize) -> MockList {
        let items = (0..count).map(|index| json!({ "id": format!("t{index}") })).collect();
        let origin = reqwest::Url::parse("http://127.0.0.1:9").ok();
        MockList { items, page_size, paging, base: json!({}), origin }
    }

    /// Reads `list` back as a pager would, with `next` giving the position after each page, and
    /// returns the pages' ids.
    fn read_back(list: &MockList, next: impl Fn(&Value, Option<String>) -> Option<String>) -> Vec<Vec<String>> {
        let mut asked =
            Asked { url: reqwest::Url::parse("http://127.0.0.1:9/things?limit=5").ok(), ..Asked::default() };
        let mut pages = Vec::new();
        loop {
            let served = list.serve(&asked).expect("the mock serves the page it handed out");
            let items = served.body["data"].as_array().cloned().unwrap_or_default();
            pages.push(items.iter().map(|item| item["id"].as_str().unwrap_or_default().to_owned()).collect());
            match next(&served.body, served.link).filter(|_| !items.is_empty()) {
                Some(position) => asked.position = Some(position),
                None => return pages,
            }
            assert!(pages.len() < 10, "the pages never end");
        }
    }

    static CURSOR: MockPaging = MockPaging {
        items: &["data"],
        pattern: PagePattern::Cursor {
            cursor: PageSlot::Query("cursor"),
            next: NextField { path: &["meta", "next"], required: false },
            numbered: false,
            stop: Some(StopFlag { path: &["has_more"], stops_when: false }),
        },
        on_example: false,
    };

    #[test]
    fn a_cursor_list_is_read_back_once_and_unknown_cursors_are_refused() {
        let next = |body: &Value, _| body["meta"]["next"].as_str().map(str::to_owned);
        let ids = |pages: Vec<Vec<String>>| pages.into_iter().map(|page| page.join(",")).collect::<Vec<_>>();
        assert_eq!(ids(read_back(&list(&CURSOR, 5, 2), next)), ["t0,t1", "t2,t3", "t4"]);
        assert_eq!(ids(read_back(&list(&CURSOR, 4, 2), next)), ["t0,t1", "t2,t3"]);
        assert_eq!(ids(read_back(&list(&CURSOR, 0, 2), next)), [""]);
        let last = list(&CURSOR, 4, 2).serve(&Asked { position: Some("mock-page-1".into()), ..Asked::default() });
        assert_eq!(
            last.unwrap().body,
            json!({ "data": [{ "id": "t2" }, { "id": "t3" }], "meta": {}, "has_more": false })
        );
        let unknown = list(&CURSOR, 4, 2).serve(&Asked { position: Some("mock-page-2".into()), ..Asked::default() });
        assert!(unknown.unwrap_err().contains("not one the mock handed out"));
    }

    static LAST_ID: MockPaging = MockPaging {
        items: &["data"],
        pattern: PagePattern::LastId { after: PageSlot::Query("after"), has_more: &["has_more"], id: &["id"] },
        on_example: false,
    };

    static OFFSET: MockPaging = MockPaging {
        items: &["data"],
        pattern: PagePattern::Offset { offset: PageSlot::Query("offset"), limit: None, total: Some(&["total"]) },
        on_example: false,
    };

    #[test]
    fn a_page_built_on_the_example_keeps_its_other_fields() {
        let list = MockList { base: json!({ "count": 7, "data": ["example"] }), ..list(&OFFSET, 1, 2) };
        let served = list.serve(&Asked::default()).unwrap();
        assert_eq!(served.body, json!({ "count": 7, "data": [{ "id": "t0" }], "total": 1 }));
    }

    static LINK: MockPaging = MockPaging { items: &["data"], pattern: PagePattern::LinkHeader, on_example: false };

    #[test]
    fn last_ids_offsets_and_links_name_the_next_page() {
        let after_last = |body: &Value, _| {
            let last = body["data"].as_array()?.last()?["id"].as_str()?.to_owned();
            (body["has_more"] == json!(true)).then_some(last)
        };
        assert_eq!(read_back(&list(&LAST_ID, 3, 2), after_last).concat(), ["t0", "t1", "t2"]);
        let refused = list(&LAST_ID, 3, 2).serve(&Asked { position: Some("t0".into()), ..Asked::default() });
        assert!(refused.is_err(), "only the last id of a page is handed out");

        let offsets = list(&OFFSET, 5, 2);
        let served = offsets.serve(&Asked { position: Some("4".into()), ..Asked::default() }).unwrap();
        assert_eq!(served.body, json!({ "data": [{ "id": "t4" }], "total": 5 }));
        let fewer = offsets.serve(&Asked { position: Some("1".into()), limit: Some("1".into()), ..Asked::default() });
        assert_eq!(fewer.unwrap().body["data"], json!([{ "id": "t1" }]));
        assert!(offsets.serve(&Asked { position: Some("6".into()), ..Asked::default() }).is_err());

        let mark = |_: &Value, link: Option<String>| {
            let url = reqwest::Url::parse(&link?).ok()?;
            assert_eq!(url.path(), "/things");
            assert!(url.query_pairs().any(|(name, value)| name == "limit" && value == "5"));
            url.query_pairs().find(|(name, _)| name == "mock_page").map(|(_, value)| value.into_owned())
        };
        assert_eq!(read_back(&list(&LINK, 5, 2), mark).len(), 3);
    }
}
