//! The reserved names of [`super::reserved`] against a generated crate: every member that
//! `ClientBuilder`, `Client` and `MockServer` have whatever the spec (in the emitted files and in
//! the runtime's, derived or implemented) is reserved, so no name decided for the spec can clash
//! with one; and every reserved name of the emitters' and the runtime's is such a member, so the
//! lists hold nothing stale.

use std::collections::BTreeSet;
use std::path::Path;

use super::reserved;
use crate::model::naming;

/// Every kind of credential and a relative server (so that `host` exists), with names that mark
/// what comes from the spec: setters start with `scheme_`, operation methods with `op_`.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Reserved, version: "1"}
servers:
  - url: /api
    description: relative
  - url: https://api.example.test
    description: absolute
paths:
  /things:
    get:
      operationId: op_list
      security: [{scheme_key: []}, {scheme_bearer: []}, {scheme_basic: []}, {scheme_other: []}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
    post:
      operationId: op_create
      requestBody:
        content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    scheme_key: {type: apiKey, in: header, name: X-Key}
    scheme_bearer: {type: http, scheme: bearer}
    scheme_basic: {type: http, scheme: basic}
    scheme_other: {type: http, scheme: negotiate}
"#;

/// The members of a type across every file of the crate: the functions of its `impl` blocks
/// (inherent or of a trait) and the methods of the traits it derives, and with `fields` its
/// fields. (A method may share a field's name: `Client`'s fields constrain no operation, while
/// `ClientBuilder`'s fields sit beside those holding credentials.)
#[derive(Default)]
struct Members(BTreeSet<String>);

impl Members {
    fn of(files: &[syn::File], ty: &str, fields: bool) -> Members {
        let mut members = Members::default();
        for item in files.iter().flat_map(|file| &file.items) {
            match item {
                syn::Item::Struct(item) if item.ident == ty => {
                    if fields {
                        let names = item.fields.iter().filter_map(|field| Some(field.ident.as_ref()?.to_string()));
                        members.0.extend(names);
                    }
                    members.add_derives(&item.attrs);
                }
                syn::Item::Impl(item) if names(&item.self_ty, ty) => {
                    for member in &item.items {
                        if let syn::ImplItem::Fn(function) = member {
                            members.0.insert(function.sig.ident.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        members
    }

    fn add_derives(&mut self, attrs: &[syn::Attribute]) {
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
            let _ = attr.parse_nested_meta(|derive| {
                let methods: &[&str] = match derive.path.get_ident().map(ToString::to_string).as_deref() {
                    Some("Debug") => &["fmt"],
                    Some("Default") => &["default"],
                    // `to_owned` through `ToOwned`'s impl for every `Clone` type.
                    Some("Clone") => &["clone", "clone_from", "to_owned"],
                    _ => &[],
                };
                self.0.extend(methods.iter().map(ToString::to_string));
                Ok(())
            });
        }
    }

    /// The members that do not come from the spec (setters, the mock's `expect_scheme_…`,
    /// operation methods and accessors).
    fn fixed(&self) -> BTreeSet<&str> {
        self.0.iter().map(String::as_str).filter(|name| !name.contains("scheme_") && !name.starts_with("op_")).collect()
    }
}

/// Whether a type is `ty` (as `Foo`, `crate::Foo` or `crate::client::Foo`).
fn names(self_ty: &syn::Type, ty: &str) -> bool {
    matches!(self_ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == ty))
}

fn generated_files() -> Vec<syn::File> {
    let options = crate::Options { spec_label: "reserved.yaml".to_string(), ..crate::Options::default() };
    let generated = crate::generate_from_text(Path::new("reserved.yaml"), SPEC, &options).expect("the spec generates");
    generated
        .files
        .iter()
        .filter(|file| file.path.ends_with(".rs"))
        .map(|file| syn::parse_file(file.contents).unwrap_or_else(|error| panic!("{}: {error}", file.path)))
        .collect()
}

fn set<'a>(lists: &[&[&'a str]]) -> BTreeSet<&'a str> {
    lists.iter().flat_map(|list| list.iter().copied()).collect()
}

#[test]
fn every_fixed_member_is_reserved_and_every_reserved_name_is_one() {
    let files = generated_files();

    let builder = Members::of(&files, "ClientBuilder", true);
    for member in builder.fixed() {
        assert!(naming::CLIENT_BUILDER_NAMES.contains(&member), "`ClientBuilder::{member}` is not reserved");
    }
    assert_eq!(builder.fixed(), set(&[reserved::BUILDER_MEMBERS, reserved::RUNTIME_BUILDER_METHODS]));

    let client = Members::of(&files, "Client", false);
    for member in client.fixed() {
        assert!(naming::CLIENT_METHODS.contains(&member), "`Client::{member}` is not reserved");
    }
    let written = [reserved::CLIENT_METHODS, reserved::CLIENT_FROM_ENV, reserved::RUNTIME_CLIENT_METHODS];
    assert_eq!(client.fixed(), set(&written));

    let mock = Members::of(&files, "MockServer", false);
    assert_eq!(mock.fixed(), set(&[reserved::MOCK_SERVER_METHODS]));

    // The spec's own names are there too: the test looks at the right types.
    assert!(builder.0.contains("scheme_bearer_source") && client.0.contains("op_create_with_response"));
    assert!(mock.0.contains("op_list") && mock.0.contains("expect_scheme_basic"));
}
