//! Which operations are paged and how: each pattern found by its names and types, the near
//! misses that must not be, codegen.toml's patterns and names, and the pager methods' names.

use openapiv3::OpenAPI;

use super::*;
use crate::config::Config;
use crate::model::{lower_with_config, Api};

/// `spec` (YAML) lowered with `config` (codegen.toml text), and its warnings as text.
fn lowered(spec: &str, config: &str) -> (Api, Vec<String>) {
    let document: OpenAPI = serde_yaml::from_str(spec).expect("a valid document");
    let config = Config::parse(std::path::Path::new("codegen.toml"), config).expect("a valid config");
    let (api, warnings) = lower_with_config(&document, Some("t"), &config).expect("lowers");
    (api, warnings.iter().map(|warning| format!("{}: {}", warning.pointer, warning.message)).collect())
}

/// A spec with one `GET /things` (`operationId: list`) taking the query parameters given (YAML
/// flow mappings) and answering `response` (a schema, YAML flow style).
fn list_spec(parameters: &[&str], response: &str) -> String {
    let parameters: String = match parameters {
        [] => "        []\n".to_string(),
        _ => parameters.iter().map(|parameter| format!("        - {parameter}\n")).collect(),
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: list\n      parameters:\n{parameters}      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {response}}}}}\n"
    )
}

fn pattern_of(spec: &str) -> Option<PagePattern> {
    pagination_of(spec, "").map(|pagination| pagination.pattern)
}

fn pagination_of(spec: &str, config: &str) -> Option<Pagination> {
    lowered(spec, config).0.operations[0].pagination.clone()
}

fn path_names(path: &[FieldStep]) -> Vec<&str> {
    path.iter().map(|step| step.wire_name.as_str()).collect()
}

const STRING: &str = "{type: string}";
const ITEMS: &str = "{type: array, items: {type: object, properties: {id: {type: string}, token: {type: string}}}}";

fn object(properties: &[(&str, &str)]) -> String {
    let properties: Vec<String> = properties.iter().map(|(name, schema)| format!("{name}: {schema}")).collect();
    format!("{{type: object, properties: {{{}}}}}", properties.join(", "))
}

fn query(name: &str, schema: &str) -> String {
    format!("{{name: {name}, in: query, schema: {schema}}}")
}

#[test]
fn a_cursor_parameter_paired_with_a_next_cursor_is_a_cursor_with_its_stop_flag() {
    let meta = object(&[("next_cursor", STRING), ("has_more", "{type: boolean}")]);
    let spec = list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS), ("meta", &meta)]));
    let pagination = pagination_of(&spec, "").expect("paged");
    assert_eq!(path_names(&pagination.items), ["data"]);
    let PagePattern::Cursor { cursor, next, stop } = pagination.pattern else { panic!("{:?}", pagination.pattern) };
    assert_eq!(
        (cursor.place, cursor.field.wire_name.as_str(), cursor.value),
        (SlotPlace::Parameter(0), "cursor", SlotValue::Text)
    );
    assert_eq!(path_names(&next), ["meta", "next_cursor"]);
    let stop = stop.expect("has_more stops the list");
    assert_eq!((path_names(&stop.field), stop.stops_when), (vec!["meta", "has_more"], false));
    // A page number the response names is an integer cursor; `done` stops when true.
    let body = object(&[("items", ITEMS), ("next_page", "{type: integer}"), ("done", "{type: boolean}")]);
    let spec = list_spec(&[&query("page", "{type: integer}")], &body);
    let Some(PagePattern::Cursor { cursor, stop, .. }) = pattern_of(&spec) else { panic!("a cursor") };
    assert_eq!((cursor.value, stop.map(|stop| stop.stops_when)), (SlotValue::Integer, Some(true)));
}

#[test]
fn has_more_with_a_last_id_parameter_reads_the_items_id() {
    let body = object(&[("data", ITEMS), ("has_more", "{type: boolean}")]);
    let spec = list_spec(&[&query("starting_after", STRING), &query("limit", "{type: integer}")], &body);
    let Some(PagePattern::HasMore { after, has_more, id }) = pattern_of(&spec) else { panic!("has-more") };
    assert_eq!(
        (after.field.wire_name.as_str(), path_names(&has_more), path_names(&id)),
        ("starting_after", vec!["has_more"], vec!["id"])
    );
}

#[test]
fn next_urls_offsets_page_numbers_and_link_headers_are_found() {
    let links = object(&[("next", "{type: string, format: uri}")]);
    let spec = list_spec(&[&query("limit", "{type: integer}")], &object(&[("results", ITEMS), ("links", &links)]));
    let Some(PagePattern::NextUrl { next }) = pattern_of(&spec) else { panic!("a next URL") };
    assert_eq!(path_names(&next), ["links", "next"]);
    let spec = list_spec(&[], &object(&[("results", ITEMS), ("next_page_url", STRING)]));
    assert!(matches!(pattern_of(&spec), Some(PagePattern::NextUrl { .. })), "a plain URL name needs no hint");

    let (offset, limit) = (query("offset", "{type: integer}"), query("limit", "{type: integer}"));
    let offsets = [offset.as_str(), limit.as_str()];
    let spec = list_spec(&offsets, &object(&[("entries", ITEMS), ("total_entries", "{type: integer}")]));
    let Some(PagePattern::Offset { offset, limit, total }) = pattern_of(&spec) else { panic!("offsets") };
    assert_eq!((offset.field.wire_name.as_str(), limit.is_some()), ("offset", true));
    assert_eq!(path_names(&total.expect("a total")), ["total_entries"]);
    // An array body pages by offset too, ending at a short page.
    assert!(matches!(pattern_of(&list_spec(&offsets, ITEMS)), Some(PagePattern::Offset { total: None, .. })));

    let numbers = object(&[("data", ITEMS), ("page", "{type: integer}"), ("pages", "{type: integer}")]);
    let spec = list_spec(&[&query("page", "{type: integer}"), &query("page_size", "{type: integer}")], &numbers);
    assert!(matches!(pattern_of(&spec), Some(PagePattern::PageNumber { .. })));

    let spec = list_spec(&[&query("after", STRING), &query("limit", "{type: integer}")], ITEMS).replace(
        "description: ok\n",
        "description: ok\n          headers: {link: {$ref: '#/components/headers/Link'}}\n",
    ) + "components:\n  headers:\n    Link: {schema: {type: string}}\n";
    let pagination = pagination_of(&spec, "").expect("paged by Link header");
    assert_eq!((pagination.pattern, pagination.items.len()), (PagePattern::LinkHeader, 0));
}

#[test]
fn near_misses_are_not_paged() {
    let integer = "{type: integer}";
    let cases = [
        // A cursor parameter, but nothing in the response names the next cursor.
        list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS)])),
        // A page size only.
        list_spec(&[&query("limit", integer)], &object(&[("data", ITEMS), ("count", integer)])),
        // `next` as an integer, and as a string in an operation that takes no paging value.
        list_spec(&[&query("limit", integer)], &object(&[("data", ITEMS), ("next", integer)])),
        list_spec(&[], &object(&[("steps", ITEMS), ("next", STRING)])),
        // A date called `after` and an iterator field: the types do not match.
        list_spec(
            &[&query("after", "{type: string, format: date-time}")],
            &object(&[("data", ITEMS), ("iterator", STRING)]),
        ),
        // An offset without a page size.
        list_spec(&[&query("offset", integer)], &object(&[("data", ITEMS), ("total", integer)])),
        // Two arrays, neither with a common name for items.
        list_spec(
            &[&query("cursor", STRING)],
            &object(&[("added", ITEMS), ("removed", ITEMS), ("next_cursor", STRING)]),
        ),
        // has_more, but the items have no id to start after.
        list_spec(
            &[&query("starting_after", STRING)],
            &object(&[("data", "{type: array, items: {type: string}}"), ("has_more", "{type: boolean}")]),
        ),
        // A secret cursor is never a paging value.
        list_spec(
            &[&query("cursor", STRING)],
            &object(&[("data", ITEMS), ("next_cursor", "{type: string, format: password}")]),
        ),
    ];
    for spec in cases {
        assert_eq!(pattern_of(&spec), None, "{spec}");
    }
    // A PUT or DELETE is never paged, however it looks.
    let spec = list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS), ("next_cursor", STRING)]));
    assert!(pattern_of(&spec).is_some());
    assert_eq!(pattern_of(&spec.replace("    get:", "    put:")), None);
    // A `Link` header without a paging parameter.
    let spec = list_spec(&[], ITEMS)
        .replace("description: ok\n", "description: ok\n          headers: {Link: {schema: {type: string}}}\n");
    assert_eq!(pattern_of(&spec), None);
}

#[test]
fn codegen_toml_names_a_pattern_or_turns_paging_off() {
    let spec = list_spec(
        &[&query("from", STRING)],
        &object(&[("things", ITEMS), ("resume", STRING), ("next_cursor", STRING)]),
    );
    let config = "[pagination.list]\npattern = \"cursor\"\ncursor = \"from\"\nnext = \"resume\"\n";
    let Some(PagePattern::Cursor { cursor, next, .. }) = pagination_of(&spec, config).map(|p| p.pattern) else {
        panic!()
    };
    assert_eq!((cursor.field.wire_name.as_str(), path_names(&next)), ("from", vec!["resume"]));
    let spec = list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS), ("next_cursor", STRING)]));
    assert!(pagination_of(&spec, "[pagination.list]\npattern = \"off\"\n").is_none());
    let (api, warnings) = lowered(&spec, "");
    assert!(warnings.is_empty() && api.operations[0].pagination.is_some(), "{warnings:?}");
}

#[test]
fn a_config_naming_what_the_operation_lacks_is_a_warning_at_its_pointer() {
    let spec = list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS), ("next_cursor", STRING)]));
    for (config, problem) in [
        ("pattern = \"cursor\"\nnext = \"meta.next\"", "the operation has no property of the success body `meta.next`"),
        ("pattern = \"offset\"", "found no query parameter or JSON body property for `offset`"),
        ("pattern = \"cursor\"\nitems = \"rows\"", "the success body has no array `rows`"),
    ] {
        let (api, warnings) = lowered(&spec, &format!("[pagination.list]\n{config}\n"));
        assert!(api.operations[0].pagination.is_none(), "{config}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("#/paths/~1things/get: codegen.toml [pagination.list] pattern = "),
            "{warnings:?}"
        );
        assert!(
            warnings[0].contains(problem) && warnings[0].ends_with("so the operation has no pager"),
            "{warnings:?}"
        );
    }
    let (_, warnings) = lowered(&spec, "[pagination.missing]\npattern = \"off\"\n");
    assert_eq!(warnings, ["#/paths: codegen.toml [pagination.missing] names an operation the spec does not have"]);
}

#[test]
fn pager_methods_avoid_every_method_the_client_has() {
    let spec = list_spec(&[&query("cursor", STRING)], &object(&[("data", ITEMS), ("next_cursor", STRING)]))
        + "  /taken:\n    get:\n      operationId: list_pages\n      responses: {'204': {description: ok}}\n";
    let (api, _) = lowered(&spec, "");
    let pagination = api.operations[0].pagination.as_ref().expect("paged");
    assert_eq!((pagination.pages_method.as_str(), pagination.items_method.as_str()), ("list_pages_2", "list_items"));
    assert_eq!(api.paged_operations().into_iter().collect::<Vec<_>>(), [("cursor", 1)]);
}
