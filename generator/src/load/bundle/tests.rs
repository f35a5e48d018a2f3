use std::path::PathBuf;

use crate::load::{load, Loaded};
use crate::Error;

/// A scratch directory holding `files` (path, text), emptied first.
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("load-bundle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn load_ok(dir: &std::path::Path) -> Loaded {
    load(&dir.join("openapi.yaml")).unwrap_or_else(|error| panic!("{error}"))
}

/// Loading the tree fails with a spec error that says each of `expected`.
fn assert_fails_saying(dir: &std::path::Path, expected: &[&str]) {
    let error = match load(&dir.join("openapi.yaml")) {
        Err(error @ Error::Spec { .. }) => error.to_string(),
        Err(other) => panic!("expected a spec error, got {other}"),
        Ok(_) => panic!("expected an error"),
    };
    for expected in expected {
        assert!(error.contains(expected), "{expected}\n{error}");
    }
}

fn schema_names(loaded: &Loaded) -> Vec<String> {
    loaded.document.components.as_ref().map(|c| c.schemas.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn schemas_from_other_files_are_hoisted_with_names_and_recursion() {
    let root = format!(
        "{HEAD}paths:\n  /pets:\n    $ref: paths/pets.yaml\ncomponents:\n  schemas:\n    Pet: {{$ref: 'schemas/pet.yaml'}}\n"
    );
    let dir = tree(
        "hoist",
        &[
            ("openapi.yaml", &root),
            (
                "paths/pets.yaml",
                "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas/list.yaml'}\n",
            ),
            ("schemas/list.yaml", "type: array\nitems: {$ref: 'pet.yaml'}\n"),
            (
                "schemas/pet.yaml",
                "type: object\nproperties:\n  owner: {$ref: '../shared/common.yaml#/components/schemas/Owner'}\n  kids: {type: array, items: {$ref: '#'}}\nexample: {owner: {$ref: 'nowhere.yaml'}}\n",
            ),
            (
                "shared/common.yaml",
                "components:\n  schemas:\n    Owner:\n      type: object\n      properties:\n        pet: {$ref: '../schemas/pet.yaml'}\n",
            ),
        ],
    );
    let loaded = load_ok(&dir);
    assert_eq!(schema_names(&loaded), ["Pet", "list", "Owner"]);
    let text = serde_json::to_string(&loaded.document).unwrap();
    assert!(text.contains(r##"{"$ref":"#/components/schemas/Owner"}"##), "{text}");
    assert!(text.contains(r##""items":{"$ref":"#/components/schemas/Pet"}"##), "recursion through `#`: {text}");
    assert!(text.contains(r##""example":{"owner":{"$ref":"nowhere.yaml"}}"##), "example data is not followed: {text}");
    assert!(loaded.document.paths.paths.contains_key("/pets"));
}

#[test]
fn a_missing_file_is_reported_by_file_and_pointer() {
    let root = format!("{HEAD}paths:\n  /a:\n    $ref: paths/a.yaml\n");
    let dir = tree(
        "missing",
        &[
            ("openapi.yaml", &root),
            ("paths/a.yaml", "get:\n  parameters:\n    - $ref: ../params/nope.yaml\n  responses: {}\n"),
        ],
    );
    assert_fails_saying(&dir, &["at paths/a.yaml#/get/parameters/0/$ref", "params/nope.yaml, which does not exist"]);
}

#[test]
fn a_missing_pointer_is_reported() {
    let root = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'common.yaml#/components/schemas/Nope'}}\n"
    );
    let dir = tree("pointer", &[("openapi.yaml", &root), ("common.yaml", "components: {schemas: {}}\n")]);
    assert_fails_saying(&dir, &["at #/components/schemas/A/$ref", "which does not exist in common.yaml"]);
}

#[test]
fn a_cycle_of_inlined_references_is_reported() {
    let root =
        format!("{HEAD}paths:\n  /a:\n    get:\n      parameters: [{{$ref: 'a.yaml'}}]\n      responses: {{}}\n");
    let dir = tree("cycle", &[("openapi.yaml", &root), ("a.yaml", "$ref: b.yaml\n"), ("b.yaml", "$ref: a.yaml\n")]);
    assert_fails_saying(&dir, &["at b.yaml#/$ref", "leads back to itself (a.yaml# → b.yaml# → a.yaml#)"]);
}

#[test]
fn local_path_item_references_and_referenced_containers_are_inlined() {
    let root = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{$ref: 'content.yaml'}}\n  /b:\n    $ref: '#/paths/~1a'\n"
    );
    let dir = tree(
        "containers",
        &[
            ("openapi.yaml", &root),
            ("content.yaml", "application/json:\n  schema: {$ref: 'thing.yaml'}\n"),
            ("thing.yaml", "type: string\n"),
        ],
    );
    let loaded = load_ok(&dir);
    assert_eq!(schema_names(&loaded), ["thing"]);
    let paths = &loaded.document.paths.paths;
    assert!(matches!(paths.get("/b"), Some(openapiv3::ReferenceOr::Item(item)) if item.get.is_some()));
}

#[test]
fn remote_references_are_refused() {
    let root = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'https://example.com/a.yaml'}}\n");
    let dir = tree("remote", &[("openapi.yaml", &root)]);
    assert_fails_saying(&dir, &["refers to a remote document"]);
}

#[test]
fn names_are_unique() {
    let root = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    pet: {{type: string}}\n    A: {{type: object, properties: {{x: {{$ref: 'a/pet.yaml'}}, y: {{$ref: 'b/pet.yaml'}}}}}}\n"
    );
    let dir =
        tree("names", &[("openapi.yaml", &root), ("a/pet.yaml", "type: string\n"), ("b/pet.yaml", "type: integer\n")]);
    assert_eq!(schema_names(&load_ok(&dir)), ["pet", "A", "a_pet", "b_pet"]);
}
