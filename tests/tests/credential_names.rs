//! Security schemes named like what the generated crate already has, and schemes whose names
//! would give two credentials (or a credential and the environment) one environment variable.
//!
//! - `credential_names_never_clash`: the schemes `settings` (a field of `ClientBuilder`),
//!   `transport`, `type` (a keyword, whose token-source setter must not be `type__source`),
//!   `http`, `credential` (the mock's `expect_credential`) and `clash_env`, `key` and
//!   `clash_key` (which, with the prefix `CLASH`, would read `CLASH_ENV` and `CLASH_KEY` twice),
//!   with operations named `client`, `send` and `timeout`: every variable `from_env` reads is
//!   read once, and the crate passes `cargo clippy --all-targets --features cli,mock -- -D
//!   warnings`.

use std::collections::BTreeMap;
use std::path::Path;

use generator::Options;
use pipeline_tests::scratch::ScratchCrate;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Clash, version: "1", x-env-prefix: CLASH}
servers:
  - url: https://api.example.test
    description: production
  - url: https://sandbox.example.test
    description: sandbox
security:
  - settings: []
  - transport: []
  - type: []
  - http: []
  - credential: []
  - clash_env: []
  - key: []
  - clash_key: []
paths:
  /client:
    get:
      operationId: client
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
              example: {id: a}
  /send:
    post:
      operationId: send
      responses: {'204': {description: ok}}
  /timeout:
    get:
      operationId: timeout
      parameters:
        - {name: settings, in: query, schema: {type: string}}
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    settings: {type: apiKey, in: header, name: X-Settings}
    transport: {type: http, scheme: bearer}
    type: {type: oauth2, flows: {}}
    http: {type: http, scheme: basic}
    credential: {type: apiKey, in: cookie, name: session}
    clash_env: {type: apiKey, in: query, name: env_key}
    key: {type: apiKey, in: header, name: X-Key}
    clash_key: {type: apiKey, in: header, name: X-Other-Key}
"#;

#[test]
fn credential_names_never_clash() {
    let options = Options {
        crate_name: Some("credential-names".to_string()),
        spec_label: "credential_names.yaml".to_string(),
        ..Options::default()
    };
    let generated = generator::generate_from_text(Path::new("credential_names.yaml"), SPEC, &options)
        .unwrap_or_else(|error| panic!("the spec does not generate: {error}"));
    let client = generated.files.get("src/client.rs").expect("client.rs is generated");
    let mut reads: BTreeMap<&str, usize> = BTreeMap::new();
    for read in client.split("read_env(\"").skip(1) {
        let variable = read.split('"').next().unwrap_or_default();
        *reads.entry(variable).or_default() += 1;
    }
    assert!(reads.contains_key("CLASH_ENV") && reads.contains_key("CLASH_KEY"), "{reads:?}");
    let twice: Vec<_> = reads.iter().filter(|(_, count)| **count > 1).collect();
    assert!(twice.is_empty(), "variables read for two settings: {twice:?}");

    let scratch = ScratchCrate::write(&generated.files, "credential-names");
    if let Err(stderr) = scratch.clippy(&["--features", "cli,mock"]) {
        panic!("the crate does not compile:\n{stderr}");
    }
}
