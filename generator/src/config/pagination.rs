//! `[pagination]` of `codegen.toml`: how an operation's pages are chained when the spec's names
//! do not say it plainly, or that an operation the generator would page is not paged.
//!
//! ```toml
//! [pagination.listCards]
//! pattern = "has-more"
//! cursor = "starting_after"
//! has-more = "has_more"
//! id = "token"
//!
//! [pagination.listThings]
//! pattern = "off"
//! ```
//!
//! Request names are query parameters or properties of the JSON request body (by wire name);
//! response names are properties of the success body, `meta.next` for one inside another.

use serde::Deserialize;

/// `[pagination.<operationId>]`: the pattern, and the names that pattern reads. A name left out
/// is looked for as the generator would without the entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PaginationSettings {
    pub pattern: PatternSetting,
    /// The array of items in the response (`cursor`, `offset`, `has-more`, `next-url`,
    /// `page-number` and `link-header` alike); by default the body's only array, or the body.
    pub items: Option<String>,
    /// The request's cursor (`cursor`), or the id of the last item seen (`has-more`).
    pub cursor: Option<String>,
    /// The response's next cursor (`cursor`) or next page's URL (`next-url`).
    pub next: Option<String>,
    /// The response's flag saying more pages follow (`has-more`, and `cursor`, where `false`
    /// ends the list).
    pub has_more: Option<String>,
    /// The response's flag saying the list is done (`cursor`, where `true` ends the list).
    pub done: Option<String>,
    /// The item's property the next request starts after (`has-more`).
    pub id: Option<String>,
    /// The request's offset (`offset`).
    pub offset: Option<String>,
    /// The request's page size (`offset`).
    pub limit: Option<String>,
    /// The response's count of all items (`offset`).
    pub total: Option<String>,
    /// The request's page number (`page-number`).
    pub page: Option<String>,
    /// The response's number of this page (`page-number`).
    pub current: Option<String>,
    /// The response's count of pages (`page-number`).
    pub pages: Option<String>,
}

/// `pattern = "…"`: how the next page is asked for, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatternSetting {
    Cursor,
    Offset,
    HasMore,
    NextUrl,
    LinkHeader,
    PageNumber,
    /// No pager for the operation.
    Off,
}

impl PatternSetting {
    /// The pattern as written in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            PatternSetting::Cursor => "cursor",
            PatternSetting::Offset => "offset",
            PatternSetting::HasMore => "has-more",
            PatternSetting::NextUrl => "next-url",
            PatternSetting::LinkHeader => "link-header",
            PatternSetting::PageNumber => "page-number",
            PatternSetting::Off => "off",
        }
    }

    /// The keys besides `pattern` the pattern reads.
    fn keys(self) -> &'static [&'static str] {
        match self {
            PatternSetting::Cursor => &["items", "cursor", "next", "has-more", "done"],
            PatternSetting::Offset => &["items", "offset", "limit", "total"],
            PatternSetting::HasMore => &["items", "cursor", "has-more", "id"],
            PatternSetting::NextUrl => &["items", "next"],
            PatternSetting::LinkHeader => &["items"],
            PatternSetting::PageNumber => &["items", "page", "current", "pages"],
            PatternSetting::Off => &[],
        }
    }
}

impl PaginationSettings {
    /// The names given, by key, in the order of the file's documentation.
    pub fn names(&self) -> [(&'static str, Option<&str>); 12] {
        [
            ("items", self.items.as_deref()),
            ("cursor", self.cursor.as_deref()),
            ("next", self.next.as_deref()),
            ("has-more", self.has_more.as_deref()),
            ("done", self.done.as_deref()),
            ("id", self.id.as_deref()),
            ("offset", self.offset.as_deref()),
            ("limit", self.limit.as_deref()),
            ("total", self.total.as_deref()),
            ("page", self.page.as_deref()),
            ("current", self.current.as_deref()),
            ("pages", self.pages.as_deref()),
        ]
    }

    /// The checks of one operation's settings: every name is one the pattern reads, and none
    /// is empty or more than two properties deep.
    pub(super) fn check(&self, operation: &str) -> Result<(), String> {
        let pattern = self.pattern.as_str();
        for (key, name) in self.names() {
            let Some(name) = name else { continue };
            if !self.pattern.keys().contains(&key) {
                let allowed = match self.pattern.keys() {
                    [] => "none".to_string(),
                    keys => keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", "),
                };
                return Err(format!(
                    "[pagination.{operation}] pattern = \"{pattern}\" does not read `{key}`; its keys are {allowed}"
                ));
            }
            if name.split('.').any(str::is_empty) || name.split('.').count() > 2 {
                return Err(format!(
                    "[pagination.{operation}] {key} = \"{name}\" is not a property name: write `name`, or `outer.name` for one inside another"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("codegen.toml"), text).map_err(|error| error.to_string())
    }

    #[test]
    fn patterns_and_their_names_are_read() {
        let config = parse(
            "[pagination.listCards]\npattern = \"has-more\"\ncursor = \"starting_after\"\nid = \"token\"\n\
             [pagination.listThings]\npattern = \"off\"\n[pagination.listUsers]\npattern = \"cursor\"\nnext = \"meta.next\"\n",
        )
        .unwrap();
        assert_eq!(config.pagination["listCards"].pattern.as_str(), "has-more");
        assert_eq!(config.pagination["listCards"].id.as_deref(), Some("token"));
        assert_eq!(config.pagination["listThings"].pattern.as_str(), "off");
        assert_eq!(config.pagination["listUsers"].next.as_deref(), Some("meta.next"));
    }

    #[test]
    fn names_the_pattern_does_not_read_and_bad_names_are_errors() {
        for (text, expected) in [
            ("pattern = \"cursor\"\noffset = \"skip\"", "pattern = \"cursor\" does not read `offset`"),
            ("pattern = \"off\"\nitems = \"data\"", "its keys are none"),
            ("pattern = \"cursor\"\nnext = \"a..b\"", "is not a property name"),
            ("pattern = \"next-url\"\nnext = \"a.b.c\"", "is not a property name"),
        ] {
            let error = parse(&format!("[pagination.op]\n{text}\n")).unwrap_err();
            assert!(error.contains(&format!("[pagination.op] {expected}")) || error.contains(expected), "{error}");
        }
        let error = parse("[pagination.op]\npattern = \"pages\"\n").unwrap_err();
        assert!(error.starts_with("codegen.toml:2:") && error.contains("unknown variant `pages`"), "{error}");
        let error = parse("[pagination.op]\npattern = \"cursor\"\ncursour = \"x\"\n").unwrap_err();
        assert!(error.contains("unknown field `cursour`"), "{error}");
        let error = parse("[pagination.op]\ncursor = \"x\"\n").unwrap_err();
        assert!(error.contains("missing field `pattern`"), "{error}");
    }
}
