//! Area features: one cargo feature per area of the API (an operation's first tag, or the first
//! segment of its path when the spec has fewer than two tags), gating its operations and the
//! types only they use, so a downstream crate compiles the part it needs.
//!
//! - `areas_follow_tags_and_types_follow_their_operations`: which `cfg` each item gets.
//! - `areas_fall_back_to_path_segments_and_one_area_has_no_features`.
//! - `every_area_compiles_alone`: the generated crate is checked with a real `cargo clippy
//!   --no-default-features --features …` for each area, none, and all (`-D warnings`), in the
//!   target directory the other compiled crates share.

use std::path::Path;

use generator::{GeneratedFiles, Options};
use pipeline_tests::scratch::ScratchCrate;

/// Two tagged areas (`pets`, `stores`), a type both use, a shared error body, and a schema no
/// operation uses that refers to a type of one area.
const TAGGED: &str = r##"
openapi: 3.0.3
info: {title: Areas, version: "1.0"}
paths:
  /pets/get:
    post:
      operationId: getPet
      tags: [Pets, Extra]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/PetQuery'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /stores/get:
    get:
      operationId: getStore
      tags: [Stores]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    PetQuery:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
    Pet:
      type: object
      properties:
        name: {type: string}
        address: {$ref: '#/components/schemas/Address'}
    Store:
      type: object
      properties:
        address: {$ref: '#/components/schemas/Address'}
    Address:
      type: object
      properties:
        city: {type: string}
    Problem:
      type: object
      properties:
        code: {$ref: '#/components/schemas/ProblemCode'}
    ProblemCode:
      type: string
      enum: [bad, worse]
    PetEvent:
      description: A webhook payload no operation returns.
      type: object
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
"##;

fn generate(text: &str, crate_name: &str) -> GeneratedFiles {
    let options =
        Options { crate_name: Some(crate_name.to_string()), spec_label: "spec.yaml".to_string(), ..Options::default() };
    generator::generate_from_text(Path::new("spec.yaml"), text, &options).expect("the spec generates").files
}

/// The `#[cfg(…)]` line right before `pub struct Name`/`pub enum Name` (after its docs), if any.
fn cfg_of(types: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = types.lines().collect();
    let at = lines
        .iter()
        .position(|line| {
            line.starts_with(&format!("pub struct {name} ")) || line.starts_with(&format!("pub enum {name} "))
        })
        .unwrap_or_else(|| panic!("no type {name}"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|line| line.starts_with('#'))
        .find(|line| line.starts_with("#[cfg("))
        .map(|line| line.to_string())
}

#[test]
fn areas_follow_tags_and_types_follow_their_operations() {
    let files = generate(TAGGED, "areas-client");
    let types = files.get("src/types.rs").unwrap();
    // A type only some areas compile is in the module of those areas, whose `mod` line has
    // their `cfg` (so that rustc does not read the file when they are off).
    for (module, cfg) in [
        ("pets", r#"#[cfg(feature = "pets")]"#),
        ("stores", r#"#[cfg(feature = "stores")]"#),
        ("other_types", r#"#[cfg(feature = "other-types")]"#),
        ("pets_and_other_types", r#"#[cfg(any(feature = "pets", feature = "other-types"))]"#),
    ] {
        for line in [format!("mod {module};"), format!("pub use {module}::*;")] {
            assert!(types.contains(&format!("{cfg}\n{line}")), "{cfg} {line} missing:\n{types}");
        }
    }
    let module_of = |name: &str| {
        let holding: Vec<&str> = files
            .iter()
            .filter(|file| file.path.starts_with("src/types"))
            .filter(|file| {
                file.contents.lines().any(|line| {
                    line.starts_with(&format!("pub struct {name} ")) || line.starts_with(&format!("pub enum {name} "))
                })
            })
            .map(|file| file.path)
            .collect();
        assert_eq!(holding.len(), 1, "{name} is in {holding:?}");
        holding[0].to_string()
    };
    assert_eq!(module_of("PetQuery"), "src/types/pets.rs");
    assert_eq!(module_of("Store"), "src/types/stores.rs");
    // The webhook payload reaches `Pet`, so `Pet` also compiles for `other-types`.
    assert_eq!(module_of("Pet"), "src/types/pets_and_other_types.rs");
    assert_eq!(module_of("PetEvent"), "src/types/other_types.rs");
    // Used by every area, or by the error body every operation shares: always compiled.
    for name in ["Address", "Problem", "ProblemCode"] {
        assert_eq!(module_of(name), "src/types.rs");
        assert_eq!(cfg_of(types, name), None);
    }
    // Within an area's module, nothing has a `cfg` of areas: the module has it.
    let pets = files.get("src/types/pets.rs").unwrap();
    assert_eq!(cfg_of(pets, "PetQuery"), None);
    assert!(pets.contains("\nimpl crate::validation::Validate for PetQuery"), "{pets}");

    let client = files.get("src/client.rs").unwrap();
    assert!(client.contains("    #[cfg(feature = \"pets\")]\n    pub async fn get_pet("), "{client}");
    assert!(client.contains("#[cfg(feature = \"stores\")]\nconst GET_STORE: OperationInfo"), "{client}");

    let manifest = files.get("Cargo.toml").unwrap();
    for line in [
        r#"default = ["rustls", "tracing", "full"]"#,
        r#"full = ["pets", "stores", "other-types"]"#,
        "pets = []",
        "stores = []",
        "other-types = []",
    ] {
        assert!(manifest.contains(line), "{line} missing:\n{manifest}");
    }
    let lib = files.get("src/lib.rs").unwrap();
    assert!(lib.contains("//! - `pets`: 1 operation"), "{lib}");
    assert!(lib.contains(r#"features = ["rustls", "pets"]"#), "{lib}");
}

#[test]
fn areas_fall_back_to_path_segments_and_one_area_has_no_features() {
    // One tag for everything (as Plaid does): the first path segment decides.
    let one_tag = TAGGED.replace("tags: [Pets, Extra]", "tags: [api]").replace("tags: [Stores]", "tags: [api]");
    let manifest = generate(&one_tag, "areas-client").get("Cargo.toml").unwrap().to_string();
    assert!(manifest.contains(r#"full = ["pets", "stores", "other-types"]"#), "{manifest}");

    // A single area: nothing to choose between, so no features and no `cfg`.
    let one_area = one_tag.replace("/stores/get", "/pets/store");
    let files = generate(&one_area, "areas-client");
    assert!(!files.get("Cargo.toml").unwrap().contains("full ="));
    // (The builders of response-only types are behind `fixtures`, and the serde impls a type
    // does not need behind `serde-all`: neither is an area.)
    let types = files.get("src/types.rs").unwrap();
    let types = types.replace(r#"#[cfg(feature = "fixtures")]"#, "").replace(r#"#[cfg(feature = "serde-all")]"#, "");
    assert!(!types.contains("#[cfg(feature"));
    assert!(!files.get("src/client.rs").unwrap().contains("#[cfg(feature"));
}

#[test]
fn every_area_compiles_alone() {
    let scratch = ScratchCrate::write(&generate(TAGGED, "areas-client"), "areas-compile");
    for features in [None, Some("rustls"), Some("rustls,pets"), Some("rustls,stores"), Some("rustls,other-types")] {
        let flags = match features {
            Some(features) => vec!["--no-default-features", "--features", features],
            None => Vec::new(),
        };
        if let Err(stderr) = scratch.clippy(&flags) {
            panic!("features {features:?} do not compile:\n{stderr}");
        }
    }
}
