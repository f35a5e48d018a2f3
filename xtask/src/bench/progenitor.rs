//! progenitor, the baseline of the compile benchmark: finding or installing its CLI, and the
//! rewrites of a spec without which progenitor 0.15 rejects Plaid's or writes a crate that does
//! not compile.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_yaml::Value;

/// The version of cargo-progenitor installed when none is found, so that the baseline does not
/// change under us between runs.
pub(super) const PROGENITOR_VERSION: &str = "0.15.1";

/// The command that runs progenitor's CLI, up to its arguments: the copy installed in the
/// scratch workspace's `tools/`, else `cargo progenitor` when cargo finds one, else a copy
/// installed into `tools/` now from crates.io.
pub(super) fn command(scratch: &Path) -> Result<Command, String> {
    let tools = scratch.join("tools");
    let installed = tools.join("bin").join(format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX));
    let subcommand = |program: &Path| {
        let mut command = Command::new(program);
        // A cargo subcommand's binary is given its own name as its first argument.
        command.arg("progenitor");
        command
    };
    if installed.is_file() {
        return Ok(subcommand(&installed));
    }
    let on_path = Command::new(super::cargo())
        .args(["progenitor", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if on_path {
        let mut command = Command::new(super::cargo());
        command.arg("progenitor");
        return Ok(command);
    }
    eprintln!("installing cargo-progenitor {PROGENITOR_VERSION} into {}", tools.display());
    let status = Command::new(super::cargo())
        .args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR_VERSION, "--root"])
        .arg(&tools)
        // Its build goes to a target directory of its own, not the main workspace's.
        .env("CARGO_TARGET_DIR", tools.join("target"))
        .status()
        .map_err(|error| format!("cannot run cargo install: {error}"))?;
    if !status.success() || !installed.is_file() {
        return Err("`cargo install cargo-progenitor` failed".to_string());
    }
    let _ = std::fs::remove_dir_all(tools.join("target"));
    Ok(subcommand(&installed))
}

/// What [`rewrite`] changed.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Rewrites {
    /// `default` responses replaced by `4XX` and `5XX`.
    defaults_split: usize,
    /// Values that are not strings removed from `enum` lists.
    enum_values_dropped: usize,
    /// `enum` lists removed because nothing was left in them.
    enums_removed: usize,
    /// `title`s removed from nullable schemas.
    nullable_titles_dropped: usize,
    /// Nullable schemas whose `allOf` lost members that add nothing.
    nullable_all_ofs_trimmed: usize,
    /// Request-body `content` entries that are not media types.
    non_media_types_dropped: usize,
}

/// Rewrites an OpenAPI document into one progenitor 0.15 accepts and whose output compiles,
/// changing as little as it can. Found by running progenitor on the Plaid spec, then building
/// its crate, until both worked:
///
/// - **`default` responses** become `4XX` and `5XX` in operations that also have a success
///   response of another shape. progenitor counts `default` as a possible success as well as an
///   error, and panics (`assertion failed: response_types.len() <= 1`) when an operation's
///   successes have two types. Plaid's `default` is always its error object (`PlaidError`).
/// - **`enum` values that are not strings are dropped**, and an `enum` left empty is removed.
///   Plaid has `type: string` enums holding numbers (`3`, `4.1`), booleans and `null` (for
///   nullable ones). progenitor rejects the numbers and booleans (`BadValue("string",
///   Number(3))`); it takes `null`, but turns some of those enums into a type that contains
///   itself (`struct PayFrequencyValue(Option<PayFrequencyValue>)`), which does not compile.
/// - **Nullable schemas lose their `title`.** progenitor wraps a nullable schema in a newtype
///   around an `Option` of the inner type, which it names after the `title`; Plaid's titles
///   repeat the schema's own name or another schema's, so the crate defined those names twice
///   (3,500 errors: `AccountInsights(Option<AccountInsights>)` beside `struct AccountInsights`).
///   A title is documentation only.
/// - **Nullable `allOf` schemas lose the members that add nothing** (`type: object` with at
///   most `additionalProperties: true`, `nullable` and a `description`: Plaid's way of writing
///   "this reference, or null"), for the same name clash (`ItemStatusNullable`,
///   `ScopesNullable` and four more).
/// - **Request-body `content` keys that are not media types are dropped.** One Plaid operation
///   (`transferOriginatorGet`) has its `examples` misplaced beside `application/json`, which
///   progenitor takes for a second media type and does not support (`todo!`).
pub(super) fn rewrite(document: &mut Value) -> Rewrites {
    let mut rewrites = Rewrites::default();
    for section in ["paths", "components"] {
        if let Some(section) = document.get_mut(section) {
            rewrite_schemas(section, &mut rewrites);
        }
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return rewrites;
    };
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
            if !method.as_str().is_some_and(|method| METHODS.contains(&method)) {
                continue;
            }
            split_default_response(operation, &mut rewrites);
            drop_non_media_types(operation, &mut rewrites);
        }
    }
    rewrites
}

/// The schema-level rewrites, applied to every mapping under `value`, recursively (so to
/// schemas wherever they are: components, parameters, bodies, responses): non-string `enum`
/// values, and the `title` and empty `allOf` members of nullable schemas.
fn rewrite_schemas(value: &mut Value, rewrites: &mut Rewrites) {
    match value {
        Value::Mapping(mapping) => {
            if let Some(Value::Sequence(values)) = mapping.get_mut("enum") {
                let before = values.len();
                values.retain(Value::is_string);
                rewrites.enum_values_dropped += before - values.len();
                if values.is_empty() {
                    mapping.remove("enum");
                    rewrites.enums_removed += 1;
                }
            }
            if mapping.get("nullable") == Some(&Value::Bool(true)) {
                if mapping.get("title").is_some_and(Value::is_string) {
                    mapping.remove("title");
                    rewrites.nullable_titles_dropped += 1;
                }
                if let Some(Value::Sequence(members)) = mapping.get_mut("allOf") {
                    let before = members.len();
                    members.retain(|member| !adds_nothing(member));
                    rewrites.nullable_all_ofs_trimmed += usize::from(members.len() < before);
                }
            }
            mapping.values_mut().for_each(|value| rewrite_schemas(value, rewrites));
        }
        Value::Sequence(values) => values.iter_mut().for_each(|value| rewrite_schemas(value, rewrites)),
        Value::Tagged(tagged) => rewrite_schemas(&mut tagged.value, rewrites),
        _ => {}
    }
}

/// Whether an `allOf` member constrains nothing: `type: object`, with at most
/// `additionalProperties: true` (the default), `nullable` and a `description` besides.
fn adds_nothing(member: &Value) -> bool {
    let Some(member) = member.as_mapping() else { return false };
    member.get("type").and_then(Value::as_str) == Some("object")
        && member.iter().all(|(key, value)| match key.as_str() {
            Some("type" | "nullable" | "description") => true,
            Some("additionalProperties") => *value == Value::Bool(true),
            _ => false,
        })
}

/// Replaces the operation's `default` response with `4XX` and `5XX` (keeping any already there)
/// when a success response (`101`, `2XX`, `200`–`299`) differs from it.
fn split_default_response(operation: &mut Value, rewrites: &mut Rewrites) {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_mapping_mut) else { return };
    let Some(default) = responses.get("default").cloned() else { return };
    let is_success = |status: &Value| {
        let code = match status {
            Value::Number(number) => number.as_u64(),
            Value::String(text) if text.eq_ignore_ascii_case("2XX") => return true,
            Value::String(text) => text.parse().ok(),
            _ => None,
        };
        matches!(code, Some(101 | 200..=299))
    };
    let conflicts = responses.iter().any(|(status, response)| is_success(status) && *response != default);
    if !conflicts {
        return;
    }
    responses.remove("default");
    for range in ["4XX", "5XX"] {
        if !responses.contains_key(range) {
            responses.insert(range.into(), default.clone());
        }
    }
    rewrites.defaults_split += 1;
}

/// Removes request-body `content` entries whose key has no `/` and so is no media type.
fn drop_non_media_types(operation: &mut Value, rewrites: &mut Rewrites) {
    let Some(content) =
        operation.get_mut("requestBody").and_then(|body| body.get_mut("content")).and_then(Value::as_mapping_mut)
    else {
        return;
    };
    let before = content.len();
    content.retain(|key, _| key.as_str().is_some_and(|key| key.contains('/')));
    rewrites.non_media_types_dropped += before - content.len();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_is_rewritten_the_way_progenitor_needs() {
        let mut document: Value = serde_yaml::from_str(
            r#"
info: { title: Items, version: '1', nullable: true }
paths:
  /items/get:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
          examples: { one: { value: {} } }
      responses:
        '200':
          content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } }
        default:
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
  /items/ping:
    get:
      responses:
        default:
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
components:
  schemas:
    Item:
      title: Item
      type: object
      properties:
        version: { type: string, nullable: true, enum: ['4.1', 4.1, 4, null] }
        flag: { type: string, enum: [true, false] }
    ItemNullable:
      title: Item
      nullable: true
      allOf:
        - $ref: '#/components/schemas/Item'
        - { type: object, additionalProperties: true, description: An item. }
        - { type: object, properties: { extra: { type: string } } }
    Error: { type: object }
"#,
        )
        .unwrap();
        let rewrites = rewrite(&mut document);
        assert_eq!(
            rewrites,
            Rewrites {
                defaults_split: 1,
                enum_values_dropped: 5,
                enums_removed: 1,
                nullable_titles_dropped: 1,
                nullable_all_ofs_trimmed: 1,
                non_media_types_dropped: 1,
            }
        );

        let operation = &document["paths"]["/items/get"]["post"];
        let responses = operation["responses"].as_mapping().unwrap();
        let statuses: Vec<&str> = responses.keys().filter_map(Value::as_str).collect();
        assert_eq!(statuses, ["200", "4XX", "5XX"]);
        assert_eq!(responses["4XX"], responses["5XX"]);
        assert_eq!(responses["4XX"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error");
        let content = operation["requestBody"]["content"].as_mapping().unwrap();
        assert_eq!(content.keys().filter_map(Value::as_str).collect::<Vec<_>>(), ["application/json"]);

        // Nothing else is a success here, so `default` conflicts with nothing and stays.
        assert!(document["paths"]["/items/ping"]["get"]["responses"].get("default").is_some());

        let schemas = &document["components"]["schemas"];
        let properties = &schemas["Item"]["properties"];
        assert_eq!(properties["version"]["enum"], serde_yaml::from_str::<Value>("['4.1']").unwrap());
        assert!(properties["flag"].get("enum").is_none());
        assert_eq!(properties["flag"]["type"], "string");

        // Only nullable schemas lose their title; only the empty `allOf` member goes.
        assert_eq!(schemas["Item"]["title"], "Item");
        assert!(schemas["ItemNullable"].get("title").is_none());
        let members = schemas["ItemNullable"]["allOf"].as_sequence().unwrap();
        assert_eq!(members.len(), 2);
        assert!(members[1]["properties"].get("extra").is_some());
        // `info` is no schema.
        assert_eq!(document["info"]["title"], "Items");
    }
}
