//! Graceful degradation, on the `degrade` fixture: what the generator cannot express costs only
//! the operation (skipped) or the schema (typed as `serde_json::Value`), with a warning naming the
//! pointer; `strict` refuses instead; the crate documents what it left out; and the rest of the
//! client works over HTTP.

use std::path::PathBuf;

use generator::{Error, Options, Summary};
use pipeline_tests::workspace_root;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn spec() -> PathBuf {
    workspace_root().join("tests/fixtures/degrade/openapi.yaml")
}

fn options(strict: bool) -> Options {
    Options {
        crate_name: Some("fixture-degrade".into()),
        spec_label: "tests/fixtures/degrade/openapi.yaml".into(),
        strict,
        ..Options::default()
    }
}

#[test]
fn generation_succeeds_with_a_warning_per_loss_naming_its_pointer() {
    let generated = generator::generate(&spec(), &options(false)).unwrap_or_else(|error| panic!("{error}"));
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let expected = [
        ("at #/components/schemas/Item/properties/weird: `not`", "so this schema is typed as JSON"),
        ("at #/components/schemas/Shape: `not`", "so this schema is typed as JSON"),
        ("at #/components/schemas/Mixed/allOf/1: `not`", "so `#/components/schemas/Mixed` is typed as JSON"),
        (
            "at #/paths/~1items~1{id}~1tags/get/parameters/1/schema: binary (`format: binary`) parameters",
            "so the operation `listItemTags` (`GET /items/{id}/tags`) is skipped",
        ),
        ("at #/paths/~1mixed/post/responses/200/content/application~1json/schema/items: `not`", "typed as JSON"),
    ];
    for (start, consequence) in expected {
        assert!(
            warnings.iter().any(|w| w.starts_with(start) && w.contains(consequence)),
            "no warning `{start}…{consequence}` in {warnings:#?}"
        );
    }
    assert_eq!(
        generated.summary,
        Summary {
            operations_generated: 2,
            operations_skipped: 1,
            schemas_typed: 2,
            schemas_opaque: 4,
            warnings: generated.warnings.len(),
            paged_operations: Vec::new(),
        }
    );
    assert_eq!(
        generated.summary.to_string(),
        format!("generated 2 of 3 operations (1 skipped), 2 schemas typed, 4 as JSON, {} warnings", warnings.len())
    );
}

#[test]
fn strict_turns_the_warnings_into_an_error() {
    match generator::generate(&spec(), &options(true)) {
        Err(Error::Strict { warnings, .. }) => {
            let lenient = generator::generate(&spec(), &options(false)).unwrap();
            assert_eq!(warnings, lenient.warnings);
        }
        other => panic!("expected Error::Strict, got {other:?}"),
    }
}

#[test]
fn the_crate_docs_list_what_was_not_generated() {
    let generated = generator::generate(&spec(), &options(false)).unwrap();
    let lib = generated.files.get("src/lib.rs").expect("src/lib.rs is generated");
    for line in [
        "//! # Not generated",
        "//! - `GET /items/{id}/tags` (`listItemTags`): binary (`format: binary`) parameters are not supported yet",
        "//! - `#/components/schemas/Shape`: `not` cannot be expressed as a Rust type",
        "//! - `#/components/schemas/Mixed`: `not` cannot be expressed as a Rust type (at `#/components/schemas/Mixed/allOf/1`)",
    ] {
        assert!(lib.lines().any(|l| l.starts_with(line)), "`{line}` missing from:\n{lib}");
    }
    let types = generated.files.get("src/types.rs").unwrap();
    assert!(types.contains("pub type Shape = serde_json::Value;"), "{types}");
    assert!(!types.contains("ListItemTags"), "the skipped operation's types are gone too: {types}");
}

/// An operation without `operationId` is named by its method and path, and `{id}` in that name
/// must not become a format argument of the example test's `panic!` (the fixture's
/// `tests/spec_examples.rs` compiles and passes as a workspace member; this checks the shape).
#[test]
fn spec_text_is_never_a_format_string() {
    let generated = generator::generate(&spec(), &options(false)).unwrap();
    let examples = generated.files.get("tests/spec_examples.rs").expect("the fixture has an example");
    assert!(examples.contains("\"{}: {error}\""), "{examples}");
    assert!(examples.contains("\"the `example` example of `get /items/{id}` does not decode\""), "{examples}");
    let client = generated.files.get("src/client.rs").unwrap();
    assert!(!client.contains("format!(\"/items"), "the path is joined, not formatted: {client}");
}

#[tokio::test]
async fn the_operations_left_work_over_http() {
    use fixture_degrade::types::{GetItemsIdParams, Mixed};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/%7Bid%7D"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a", "weird": [1], "shape": {"x": 1}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/mixed"))
        .and(body_json(json!({"kind": "k", "more": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([1, "two"])))
        .expect(1)
        .mount(&server)
        .await;
    let client = fixture_degrade::Client::builder().base_url(server.uri()).build().unwrap();
    let params = GetItemsIdParams::builder().id("{id}").build().unwrap();
    let item = client.get_items_id(&params).await.unwrap();
    assert_eq!(item.weird, Some(json!([1])));
    assert_eq!(item.shape, Some(json!({"x": 1})));
    let body: Mixed = json!({"kind": "k", "more": true});
    assert_eq!(client.create_mixed(&body).await.unwrap(), vec![json!(1), json!("two")]);
}
