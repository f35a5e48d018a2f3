//! How events are told apart: by the properties every payload fixes, by codegen.toml's
//! `select` and `values`, or by trying each payload, strictest first.

use openapiv3::OpenAPI;

use super::*;
use crate::config::Config;

/// The events of `spec` (YAML) lowered with `config` (codegen.toml text), and the warnings.
fn events_of(spec: &str, config: &str) -> (Api, Vec<String>) {
    let document: OpenAPI = serde_yaml::from_str(spec).expect("a valid document");
    let config = Config::parse(std::path::Path::new("codegen.toml"), config).expect("a valid config");
    let (api, warnings) = lower_with_config(&document, Some("t"), &config).expect("lowers");
    (api, warnings.iter().map(|warning| format!("{}: {}", warning.pointer, warning.message)).collect())
}

/// A spec with one operation and the `x-webhooks` named in `hooks`, each posting the inline
/// object schema given (YAML flow style).
fn spec_with(hooks: &[(&str, &str)], schemas: &str) -> String {
    let mut spec = String::from(test_spec!(
        "paths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {description: Pong.}\n"
    ));
    spec.push_str("x-webhooks:\n");
    for (name, schema) in hooks {
        spec.push_str(&format!(
            "  {name}:\n    post:\n      requestBody:\n        content: {{application/json: {{schema: {schema}}}}}\n      responses:\n        '200': {{description: Taken.}}\n"
        ));
    }
    spec.push_str(schemas);
    spec
}

fn select(api: &Api) -> &EventSelect {
    &api.events.as_ref().expect("events").select
}

#[test]
fn one_fixed_property_that_differs_everywhere_is_the_key() {
    let spec = spec_with(
        &[
            (
                "created",
                "{type: object, properties: {type: {type: string, enum: [thing.created]}, id: {type: string}}}",
            ),
            (
                "deleted",
                "{type: object, properties: {type: {type: string, enum: [thing.deleted]}, id: {type: string}}}",
            ),
        ],
        "",
    );
    let (api, warnings) = events_of(&spec, "");
    assert_eq!(select(&api), &EventSelect::Fields(vec!["type".into()]));
    let values: Vec<_> = api.events.as_ref().unwrap().events.iter().map(|event| event.values.clone()).collect();
    assert_eq!(values, [vec!["thing.created".to_string()], vec!["thing.deleted".to_string()]]);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_pair_is_chosen_when_no_single_property_tells_every_event_apart() {
    let object = |kind: &str, code: &str| {
        format!("{{type: object, properties: {{kind: {{type: string, enum: [{kind}]}}, code: {{type: string, enum: [{code}]}}}}}}")
    };
    let (a, b, c) = (object("ITEM", "READY"), object("ITEM", "GONE"), object("USER", "READY"));
    let spec = spec_with(&[("item_ready", &a), ("item_gone", &b), ("user_ready", &c)], "");
    let (api, _) = events_of(&spec, "");
    assert_eq!(select(&api), &EventSelect::Fields(vec!["code".into(), "kind".into()]));
}

#[test]
fn codegen_toml_values_fill_properties_the_spec_leaves_open() {
    let open = "{type: object, properties: {kind: {type: string}}}";
    let spec = spec_with(&[("first", open), ("second", open), ("third", open)], "");
    let config = "[webhooks]\nselect = [\"kind\"]\n[webhooks.values]\nfirst = [\"one\"]\nsecond = [\"two\"]\n";
    let (api, warnings) = events_of(&spec, config);
    assert_eq!(select(&api), &EventSelect::Fields(vec!["kind".into()]));
    // The third names no value: it is never picked, and the warning points at it.
    assert!(
        warnings.iter().any(|w| w.starts_with("#/x-webhooks/third") && w.contains("[webhooks.values]")),
        "{warnings:?}"
    );
}

#[test]
fn without_a_key_payloads_are_tried_with_the_strictest_first() {
    let loose = "{type: object, properties: {note: {type: string}}}";
    let strict = "{type: object, required: [id, at], properties: {id: {type: string}, at: {type: string}}}";
    let middle = "{type: object, required: [id], properties: {id: {type: string}}}";
    let spec = spec_with(&[("a_loose", loose), ("b_strict", strict), ("c_middle", middle)], "");
    let (api, warnings) = events_of(&spec, "");
    assert_eq!(select(&api), &EventSelect::FirstMatch);
    assert!(warnings.iter().any(|w| w.contains("tries each payload type in turn")), "{warnings:?}");
    let events = api.events.as_ref().unwrap();
    let order: Vec<&str> = events.first_match_order(&api.types).iter().map(|event| event.name.as_str()).collect();
    assert_eq!(order, ["b_strict", "c_middle", "a_loose"]);
    // The enum keeps the order of the document (`x-webhooks` by name).
    let names: Vec<&str> = events.events.iter().map(|event| event.name.as_str()).collect();
    assert_eq!(names, ["a_loose", "b_strict", "c_middle"]);
}

#[test]
fn one_event_needs_no_key_and_no_warning() {
    let spec = spec_with(&[("only", "{type: object, properties: {id: {type: string}}}")], "");
    let (api, warnings) = events_of(&spec, "");
    assert_eq!(select(&api), &EventSelect::FirstMatch);
    assert!(warnings.is_empty(), "{warnings:?}");
}
