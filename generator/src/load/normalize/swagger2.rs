//! Swagger 2.0 → OpenAPI 3.0, in place, before bundling.
//!
//! - `swagger: "2.0"` becomes `openapi: 3.0.3`; `host`, `basePath` and `schemes` become `servers`.
//! - `definitions`, top-level `parameters` and `responses`, and `securityDefinitions` (see
//!   [`security`]) move under `components`, and every local `$ref` to them follows.
//! - Body and form parameters become the operation's `requestBody` (see [`bodies`]), under the
//!   media types of `consumes`; other parameters and response headers get a `schema` and the
//!   style of their `collectionFormat` (see [`parameters`]); responses get `content` under the
//!   media types of `produces` (see [`responses`]).
//!
//! What cannot be said in 3.0 is a warning naming the node in the user's file; every move is
//! recorded in [`Origins`](super::Origins) so later phases can name the original node too.

mod bodies;
mod parameters;
mod responses;
mod security;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde_yaml::{Mapping, Value};

use super::super::walk::{for_each_child, Obj, METHODS};
use super::super::{escape_pointer_token as escape, name_under};
use super::{describe, Normalizer};

/// What Swagger 2.0 assumes when neither the operation nor the document lists media types.
const JSON: &str = "application/json";

/// Converts a Swagger 2.0 document into the OpenAPI 3.0 shape, in place.
pub(super) fn convert(document: &mut Value, out: &mut Normalizer) {
    let Value::Mapping(root) = document else { return };
    let mut converter = Converter::new(root, out);
    if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            // Extensions sit beside the paths and are no path items.
            let (Some(path), Value::Mapping(item)) = (path.as_str(), item) else { continue };
            if !path.starts_with("x-") {
                converter.path_item(item, &format!("#/paths/{}", escape(path)));
            }
        }
    }
    let components = converter.components(root);
    let schemes = converter.schemes.clone();
    let servers = converter.servers(&schemes);
    *root = assemble(std::mem::take(root), servers, components);
    rewrite_references(Obj::Document, document);
}

/// The document-wide facts operations fall back on, and the top-level objects references name.
struct Converter<'a> {
    out: &'a mut Normalizer,
    /// The top-level `parameters` as written: references to body and form parameters need them.
    parameters: Mapping,
    /// The top-level `responses` as written, for operations that produce other media types.
    responses: Mapping,
    /// The document's `consumes` and `produces` (or `application/json`).
    consumes: Vec<String>,
    produces: Vec<String>,
    host: Option<String>,
    /// `basePath` with a leading and without a trailing slash (`""` for the root).
    base_path: String,
    /// The document's `schemes` (or `https`).
    schemes: Vec<String>,
}

impl<'a> Converter<'a> {
    /// Takes the document-wide fields out of the root.
    fn new(root: &mut Mapping, out: &'a mut Normalizer) -> Self {
        let mut converter = Converter {
            out,
            parameters: Mapping::new(),
            responses: Mapping::new(),
            consumes: Vec::new(),
            produces: Vec::new(),
            host: None,
            base_path: String::new(),
            schemes: Vec::new(),
        };
        converter.parameters = converter.mapping(root.shift_remove("parameters"), "#/parameters");
        converter.responses = converter.mapping(root.shift_remove("responses"), "#/responses");
        converter.consumes = converter.list(root.shift_remove("consumes"), "#/consumes").unwrap_or_else(json);
        converter.produces = converter.list(root.shift_remove("produces"), "#/produces").unwrap_or_else(json);
        // 2.0 lets a client pick any scheme it likes when none is listed; https is the safe one.
        converter.schemes =
            converter.list(root.shift_remove("schemes"), "#/schemes").unwrap_or_else(|| vec!["https".to_string()]);
        converter.host = converter.text(root.shift_remove("host"), "#/host");
        let base_path = converter.text(root.shift_remove("basePath"), "#/basePath").unwrap_or_default();
        converter.base_path = format!("/{}", base_path.trim_matches('/'));
        if converter.base_path == "/" {
            converter.base_path.clear();
        }
        converter
    }

    /// A mapping of named objects (top-level `parameters`, `responses`, …); anything else is
    /// dropped with a warning.
    fn mapping(&mut self, value: Option<Value>, from: &str) -> Mapping {
        match value {
            None => Mapping::new(),
            Some(Value::Mapping(mapping)) => mapping,
            Some(other) => {
                self.out.warn(from, format!("this must be a mapping, not {}; it was ignored", describe(&other)));
                Mapping::new()
            }
        }
    }

    /// A list of strings (`consumes`, `produces`, `schemes`); `None` when absent or empty, so the
    /// caller falls back on the default. A single string is read as a list of one.
    fn list(&mut self, value: Option<Value>, from: &str) -> Option<Vec<String>> {
        let items = match value? {
            Value::Sequence(items) => items,
            Value::String(one) => vec![Value::String(one)],
            other => {
                self.out
                    .warn(from, format!("this must be a list of strings, not {}; it was ignored", describe(&other)));
                return None;
            }
        };
        let mut listed: Vec<String> = Vec::new();
        for item in &items {
            match item.as_str() {
                Some(text) if !listed.iter().any(|seen| seen == text) => listed.push(text.to_string()),
                Some(_) => {}
                None => self.out.warn(from, format!("{} in this list is not a string; it was ignored", describe(item))),
            }
        }
        (!listed.is_empty()).then_some(listed)
    }

    /// A string field (`host`, `basePath`); anything else is ignored with a warning.
    fn text(&mut self, value: Option<Value>, from: &str) -> Option<String> {
        match value? {
            Value::String(text) => Some(text),
            other => {
                self.out.warn(from, format!("this must be a string, not {}; it was ignored", describe(&other)));
                None
            }
        }
    }

    /// One server per scheme on `host`; without a host, the base path relative to wherever the
    /// document is served (and no server at all for the root, which is what none means).
    fn servers(&self, schemes: &[String]) -> Vec<Value> {
        let urls: Vec<String> = match &self.host {
            Some(host) => schemes.iter().map(|scheme| format!("{scheme}://{host}{}", self.base_path)).collect(),
            None if self.base_path.is_empty() => Vec::new(),
            None => vec![self.base_path.clone()],
        };
        urls.into_iter().map(|url| Value::Mapping(Mapping::from_iter([(key("url"), Value::String(url))]))).collect()
    }

    /// A path item: its shared parameters, then each operation.
    fn path_item(&mut self, item: &mut Mapping, at: &str) {
        let shared = self.split_parameters(item, at);
        for method in METHODS {
            if let Some(Value::Mapping(operation)) = item.get_mut(method) {
                self.operation(operation, &format!("{at}/{method}"), &shared);
            }
        }
    }

    /// An operation: parameters, request body, responses; its media types and schemes are read
    /// here and leave the operation.
    fn operation(&mut self, operation: &mut Mapping, at: &str, shared: &bodies::Payload) {
        let consumes = self.list(operation.shift_remove("consumes"), &format!("{at}/consumes"));
        let produces = self.list(operation.shift_remove("produces"), &format!("{at}/produces"));
        let schemes = self.list(operation.shift_remove("schemes"), &format!("{at}/schemes"));
        let consumes = consumes.unwrap_or_else(|| self.consumes.clone());
        let produces = produces.unwrap_or_else(|| self.produces.clone());
        let own = self.split_parameters(operation, at);
        self.request_body(operation, at, own, shared, &consumes);
        self.responses(operation, at, &produces);
        // Schemes of its own (`wss` beside `https`) are servers of its own; without a host
        // there is only a relative server, which any scheme serves.
        if let Some(schemes) = schemes.filter(|schemes| self.host.is_some() && !same_set(schemes, &self.schemes)) {
            if !operation.contains_key("servers") {
                operation.insert(key("servers"), Value::Sequence(self.servers(&schemes)));
            }
        }
    }

    /// `definitions`, top-level parameters and responses, and `securityDefinitions`, as
    /// `components` (merged into one the document may already have).
    fn components(&mut self, root: &mut Mapping) -> Mapping {
        let mut components = self.mapping(root.shift_remove("components"), "#/components");
        let definitions = self.mapping(root.shift_remove("definitions"), "#/definitions");
        self.out.moved("#/components/schemas".into(), "#/definitions".into());
        self.merge(&mut components, "schemas", definitions, "#/definitions");
        let (parameters, bodies) = self.component_parameters();
        self.merge(&mut components, "parameters", parameters, "#/parameters");
        self.merge(&mut components, "requestBodies", bodies, "#/parameters");
        let responses = self.component_responses();
        self.merge(&mut components, "responses", responses, "#/responses");
        let definitions = self.mapping(root.shift_remove("securityDefinitions"), "#/securityDefinitions");
        let schemes = self.security_schemes(definitions);
        self.merge(&mut components, "securitySchemes", schemes, "#/securityDefinitions");
        components
    }

    /// Adds `entries` (written under `from`) to `components/<section>`; an entry the document
    /// already has there (a 2.0 file with 3.0 components) wins.
    fn merge(&mut self, components: &mut Mapping, section: &str, entries: Mapping, from: &str) {
        let Some(Value::Mapping(existing)) = components.get_mut(section) else {
            if !entries.is_empty() {
                components.insert(key(section), Value::Mapping(entries));
            }
            return;
        };
        for (name, value) in entries {
            if existing.contains_key(&name) {
                let at = format!("{from}/{}", escape(name.as_str().unwrap_or_default()));
                let message = format!("`components/{section}` has an entry of this name; this one was dropped");
                self.out.warn(&at, message);
            } else {
                existing.insert(name, value);
            }
        }
    }

    /// Top-level parameters: body ones become request bodies, form ones were inlined where
    /// used (a form body is built per operation), the others stay parameters.
    fn component_parameters(&mut self) -> (Mapping, Mapping) {
        let (mut parameters, mut bodies) = (Mapping::new(), Mapping::new());
        self.out.moved("#/components/parameters".into(), "#/parameters".into());
        for (name, parameter) in std::mem::take(&mut self.parameters) {
            let Some(text) = name.as_str() else { continue };
            let from = format!("#/parameters/{}", escape(text));
            match parameter {
                Value::Mapping(parameter) if location(&parameter) == Some("body") => {
                    let at = format!("#/components/requestBodies/{}", escape(text));
                    let consumes = self.consumes.clone();
                    bodies.insert(name, self.inline_body(&parameter, &at, &from, &consumes));
                }
                Value::Mapping(parameter) if location(&parameter) == Some("formData") => {}
                Value::Mapping(mut parameter) => {
                    self.parameter(&mut parameter, &format!("#/components/parameters/{}", escape(text)), &from);
                    parameters.insert(name, Value::Mapping(parameter));
                }
                other => {
                    parameters.insert(name, other);
                }
            }
        }
        (parameters, bodies)
    }

    /// Top-level responses, converted with the document's `produces`.
    fn component_responses(&mut self) -> Mapping {
        self.out.moved("#/components/responses".into(), "#/responses".into());
        let mut responses = std::mem::take(&mut self.responses);
        for (name, response) in responses.iter_mut() {
            let (Some(name), Value::Mapping(response)) = (name.as_str(), response) else { continue };
            let produces = self.produces.clone();
            let at = format!("#/components/responses/{}", escape(name));
            self.response(response, &at, &format!("#/responses/{}", escape(name)), &produces);
        }
        responses
    }
}

/// The root in 3.0 order: `openapi` first, `servers` after `info`, `components` last.
fn assemble(old: Mapping, servers: Vec<Value>, components: Mapping) -> Mapping {
    let mut root = Mapping::new();
    root.insert(key("openapi"), Value::from("3.0.3"));
    let mut servers = (!servers.is_empty()).then_some(Value::Sequence(servers));
    // A 2.0 file that also wrote `servers` meant them.
    if old.contains_key("servers") {
        servers = None;
    }
    for (name, value) in old {
        if name.as_str() == Some("swagger") {
            continue;
        }
        let info = name.as_str() == Some("info");
        root.insert(name, value);
        if info {
            if let Some(servers) = servers.take() {
                root.insert(key("servers"), servers);
            }
        }
    }
    if let Some(servers) = servers {
        root.insert(key("servers"), servers);
    }
    if !components.is_empty() {
        root.insert(key("components"), Value::Mapping(components));
    }
    root
}

/// Points every local `$ref` to the 2.0 places at the 3.0 ones, wherever an OpenAPI object may
/// be a reference (never inside examples, defaults, enums or extensions).
fn rewrite_references(obj: Obj, node: &mut Value) {
    if obj.may_be_reference() {
        if let Some(Value::String(reference)) = node.get_mut("$ref") {
            if let Some(rewritten) = rewritten(reference) {
                *reference = rewritten;
            }
            return;
        }
    }
    for_each_child(obj, node, &mut |_, child, value| rewrite_references(child, value));
}

/// The 3.0 form of a local reference into `definitions`, `parameters` or `responses`.
fn rewritten(reference: &str) -> Option<String> {
    [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ]
    .iter()
    .find_map(|(old, new)| reference.strip_prefix(old).map(|rest| format!("{new}{rest}")))
}

/// The name a local reference gives under a top-level section (`#/parameters/` …).
fn referenced(node: &Mapping, prefix: &str) -> Option<String> {
    name_under(node.get("$ref")?.as_str()?, prefix).map(Cow::into_owned)
}

/// The `in` of a parameter.
fn location(parameter: &Mapping) -> Option<&str> {
    parameter.get("in").and_then(Value::as_str)
}

fn key(name: &str) -> Value {
    Value::from(name)
}

fn json() -> Vec<String> {
    vec![JSON.to_string()]
}

/// Whether two lists name the same strings, in any order.
fn same_set(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

/// A scalar as a message shows it (`ssv`), or its kind.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => describe(other).to_string(),
    }
}
