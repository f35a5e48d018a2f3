//! The patterns, each matched by name and type against a [`Site`]: strictest first when
//! detecting (a cursor the response names, `has_more` and the last id, a next URL, offsets, page
//! numbers, a `Link` header), or the one codegen.toml names, with its names.

use super::site::{Kind, Site};
use super::{PagePattern, Pagination, StopFlag};
use crate::config::{PaginationSettings, PatternSetting};

/// Request values that carry a text cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation",
    "continuation_token",
    "continuationToken",
    "iterator",
    "bookmark",
    "marker",
    "page_cursor",
    "starting_after",
    "startingAfter",
    "after",
    "next",
];
/// Response values that name the next text cursor. Not `next`, which is more often a URL.
const NEXT_CURSORS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation",
    "continuation_token",
    "continuationToken",
    "iterator",
    "bookmark",
    "next_marker",
    "nextMarker",
    "end_cursor",
    "endCursor",
    "cursor",
];
/// Request values that carry a page number, and response values that name the next one.
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const NEXT_PAGES: &[&str] = &["next_page", "nextPage"];
/// Response flags: more pages follow while one of these is true; the list is done once one of
/// those is.
const MORE_FLAGS: &[&str] =
    &["has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage", "is_truncated", "isTruncated"];
const DONE_FLAGS: &[&str] = &["done", "is_last", "isLast"];
/// Request values that carry the id of the last item seen, and the item's id.
const AFTER_PARAMS: &[&str] = &["starting_after", "startingAfter", "after", "after_id", "afterId"];
const ITEM_IDS: &[&str] = &["id", "token"];
/// Response values holding the next page's URL; the first are plainly URLs, the last three
/// only in an operation that takes paging values.
const NEXT_URLS: &[&str] =
    &["next_url", "nextUrl", "next_page_url", "nextPageUrl", "next_link", "nextLink", "@odata.nextLink"];
const MAYBE_NEXT_URLS: &[&str] = &["next", "next_page", "nextPage"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
const LIMIT_PARAMS: &[&str] =
    &["limit", "page_size", "pageSize", "per_page", "perPage", "max_results", "maxResults", "size", "top"];
const TOTALS: &[&str] = &[
    "total",
    "total_count",
    "totalCount",
    "total_entries",
    "totalEntries",
    "total_results",
    "totalResults",
    "total_items",
    "totalItems",
    "total_elements",
    "totalElements",
];
const CURRENT_PAGES: &[&str] = &["page", "current_page", "currentPage", "page_number", "pageNumber"];
const PAGE_COUNTS: &[&str] = &["pages", "total_pages", "totalPages", "page_count", "pageCount"];

const TEXT_OR_INTEGER: &[Kind] = &[Kind::Text, Kind::Integer];

/// The pattern the operation matches, if any, strictest first.
pub(super) fn detect(site: &Site<'_>) -> Option<Pagination> {
    let names = Names(None);
    let (items, item) = site.items(None)?;
    let matchers: [Matcher; 6] = [cursor, has_more, next_url, offset, page_number, link_header];
    let pattern = matchers.iter().find_map(|matcher| matcher(site, &names, &item).ok())?;
    Some(Pagination { pattern, items, item, pages_method: String::new(), items_method: String::new() })
}

/// The pattern codegen.toml names, with its names; why it does not fit, if it does not.
pub(super) fn configured(site: &Site<'_>, settings: &PaginationSettings) -> Result<Pagination, String> {
    let names = Names(Some(settings));
    let Some((items, item)) = site.items(settings.items.as_deref()) else {
        return Err(match &settings.items {
            Some(name) => format!("the success body has no array `{name}`"),
            None => "found no array of items in the success body; name it with `items = \"…\"`".to_string(),
        });
    };
    let matcher: Matcher = match settings.pattern {
        PatternSetting::Cursor => cursor,
        PatternSetting::Offset => offset,
        PatternSetting::HasMore => has_more,
        PatternSetting::NextUrl => next_url,
        PatternSetting::LinkHeader => |_, _, _| Ok(PagePattern::LinkHeader),
        PatternSetting::PageNumber => page_number,
        PatternSetting::Off => return Err("paging is off".to_string()),
    };
    let pattern = matcher(site, &names, &item)?;
    Ok(Pagination { pattern, items, item, pages_method: String::new(), items_method: String::new() })
}

type Matcher = fn(&Site<'_>, &Names<'_>, &crate::model::ValueType) -> Result<PagePattern, String>;

/// The names a pattern looks for: codegen.toml's, or the usual ones.
struct Names<'s>(Option<&'s PaginationSettings>);

impl Names<'_> {
    fn configured(&self, key: &str) -> Option<&str> {
        let settings = self.0?;
        settings.names().into_iter().find(|(name, _)| *name == key).and_then(|(_, value)| value)
    }

    fn or<'d>(&'d self, key: &str, defaults: &'d [&'d str]) -> Vec<&'d str> {
        self.configured(key).map_or_else(|| defaults.to_vec(), |name| vec![name])
    }

    /// Why a value was not found: the configured name is missing, or none of the usual ones
    /// is there.
    fn missing(&self, key: &str, what: &str) -> String {
        match self.configured(key) {
            Some(name) => format!("the operation has no {what} `{name}` of a type that fits"),
            None => format!("found no {what} for `{key}`; name it with `{key} = \"…\"`"),
        }
    }
}

const REQUEST: &str = "query parameter or JSON body property";
const RESPONSE: &str = "property of the success body";

fn cursor(site: &Site<'_>, names: &Names<'_>, _: &crate::model::ValueType) -> Result<PagePattern, String> {
    let text = (names.or("cursor", CURSOR_PARAMS), names.or("next", NEXT_CURSORS));
    let integer = (names.or("cursor", PAGE_PARAMS), names.or("next", NEXT_PAGES));
    let found = [(text, Kind::Text), (integer, Kind::Integer)].into_iter().find_map(|((params, nexts), kind)| {
        let kinds = if names.0.is_some() { TEXT_OR_INTEGER } else { std::slice::from_ref(&kind) };
        let (slot, slot_kind) = site.request_slot(&params, kinds)?;
        let (next, next_kind) = site.response_field(&nexts, &[slot_kind])?;
        (next_kind == slot_kind).then_some((slot, next, slot_kind))
    });
    let Some((cursor, next, _)) = found else {
        return Err(match site.request_slot(&names.or("cursor", CURSOR_PARAMS), TEXT_OR_INTEGER) {
            Some(_) => names.missing("next", RESPONSE),
            None => names.missing("cursor", REQUEST),
        });
    };
    let flag = |key: &str, defaults: &[&str], stops_when: bool| {
        let found = site.response_field(&names.or(key, defaults), &[Kind::Boolean]);
        match (found, names.configured(key)) {
            (Some((field, _)), _) => Ok(Some(StopFlag { field, stops_when })),
            (None, Some(_)) => Err(names.missing(key, RESPONSE)),
            (None, None) => Ok(None),
        }
    };
    let (more, done) = (flag("has-more", MORE_FLAGS, false)?, flag("done", DONE_FLAGS, true)?);
    let stop = if names.configured("done").is_some() { done } else { more.or(done) };
    Ok(PagePattern::Cursor { cursor, next, stop })
}

fn has_more(site: &Site<'_>, names: &Names<'_>, item: &crate::model::ValueType) -> Result<PagePattern, String> {
    let (after, _) = site
        .request_slot(&names.or("cursor", AFTER_PARAMS), TEXT_OR_INTEGER)
        .ok_or_else(|| names.missing("cursor", REQUEST))?;
    let (has_more, _) = site
        .response_field(&names.or("has-more", MORE_FLAGS), &[Kind::Boolean])
        .ok_or_else(|| names.missing("has-more", RESPONSE))?;
    let id = site
        .item_field(item, &names.or("id", ITEM_IDS), TEXT_OR_INTEGER)
        .ok_or_else(|| names.missing("id", "property of the items"))?;
    Ok(PagePattern::HasMore { after, has_more, id })
}

fn next_url(site: &Site<'_>, names: &Names<'_>, _: &crate::model::ValueType) -> Result<PagePattern, String> {
    let plain = site.response_field(&names.or("next", NEXT_URLS), &[Kind::Text]);
    let maybe = || {
        let hinted = names.0.is_some() || site.has_paging_hint();
        hinted.then(|| site.response_field(MAYBE_NEXT_URLS, &[Kind::Text])).flatten()
    };
    let found = if names.configured("next").is_some() { plain } else { plain.or_else(maybe) };
    let (next, _) = found.ok_or_else(|| names.missing("next", RESPONSE))?;
    Ok(PagePattern::NextUrl { next })
}

fn offset(site: &Site<'_>, names: &Names<'_>, _: &crate::model::ValueType) -> Result<PagePattern, String> {
    let (offset, _) = site
        .request_slot(&names.or("offset", OFFSET_PARAMS), &[Kind::Integer])
        .ok_or_else(|| names.missing("offset", REQUEST))?;
    let limit = site.request_slot(&names.or("limit", LIMIT_PARAMS), &[Kind::Integer]).map(|(slot, _)| slot);
    // Without a page size, only an empty page would end the list: not paging by offset then,
    // unless codegen.toml says so.
    if limit.is_none() && (names.0.is_none() || names.configured("limit").is_some()) {
        return Err(names.missing("limit", REQUEST));
    }
    let total = site.response_field(&names.or("total", TOTALS), &[Kind::Integer]).map(|(field, _)| field);
    if total.is_none() && names.configured("total").is_some() {
        return Err(names.missing("total", RESPONSE));
    }
    Ok(PagePattern::Offset { offset, limit, total })
}

fn page_number(site: &Site<'_>, names: &Names<'_>, _: &crate::model::ValueType) -> Result<PagePattern, String> {
    let (page, _) = site
        .request_slot(&names.or("page", PAGE_PARAMS), &[Kind::Integer])
        .ok_or_else(|| names.missing("page", REQUEST))?;
    let (current, _) = site
        .response_field(&names.or("current", CURRENT_PAGES), &[Kind::Integer])
        .ok_or_else(|| names.missing("current", RESPONSE))?;
    let (pages, _) = site
        .response_field(&names.or("pages", PAGE_COUNTS), &[Kind::Integer])
        .ok_or_else(|| names.missing("pages", RESPONSE))?;
    Ok(PagePattern::PageNumber { page, current, pages })
}

fn link_header(site: &Site<'_>, _: &Names<'_>, _: &crate::model::ValueType) -> Result<PagePattern, String> {
    if site.link_header && site.has_paging_hint() {
        Ok(PagePattern::LinkHeader)
    } else {
        Err("no success response declares a `Link` header".to_string())
    }
}
