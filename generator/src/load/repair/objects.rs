//! Rules for the document, operations, responses and request bodies.

use serde_yaml::{Mapping, Value};

use super::{describe, Repairs};
use crate::load::escape_pointer_token;

impl Repairs {
    /// A document without `paths` (allowed in 3.1, a mistake in 3.0) is read as one with no
    /// operations, so that its components can still be generated.
    pub(super) fn missing_paths(&mut self, root: &mut Mapping) {
        if !root.contains_key("paths") {
            root.insert(Value::from("paths"), Value::Mapping(Mapping::new()));
            self.warn("#", "there is no `paths` object; an empty one was assumed");
        }
    }

    /// Where only documentation can stand (`info`, `tags`, `servers`' descriptions), a node of
    /// the wrong kind, such as a `$ref` under `tags[].description`, is dropped: it can cost
    /// nothing but a doc comment.
    pub(super) fn documentation(&mut self, root: &mut Mapping) {
        if let Some(Value::Mapping(info)) = root.get_mut("info") {
            self.info_texts(info);
        }
        if let Some(Value::Sequence(tags)) = root.get_mut("tags") {
            self.tags(tags);
        }
        if let Some(Value::Sequence(servers)) = root.get_mut("servers") {
            for (index, server) in servers.iter_mut().enumerate() {
                if let Value::Mapping(server) = server {
                    self.string(server, &format!("#/servers/{index}"), "description");
                }
            }
        }
    }

    /// The texts of `info`: a description of the wrong kind is dropped; a `title` or `version`
    /// of the wrong kind (`version: 2`) is read as text, or left empty, since both are required.
    fn info_texts(&mut self, info: &mut Mapping) {
        for key in ["description", "termsOfService"] {
            self.string(info, "#/info", key);
        }
        for key in ["title", "version"] {
            if info.get(key).is_some_and(|value| !value.is_string()) {
                self.string(info, "#/info", key);
                if !info.contains_key(key) {
                    info.insert(Value::from(key), Value::from(""));
                }
            }
        }
    }

    /// A tag without a name names nothing and is dropped; a tag's description of the wrong kind
    /// and its `externalDocs` without a `url` are dropped.
    fn tags(&mut self, tags: &mut Vec<Value>) {
        let before = tags.len();
        tags.retain(|tag| tag.get("name").is_some_and(Value::is_string));
        if tags.len() != before {
            self.warn("#/tags", "a tag without a `name` (a string) was dropped");
        }
        for (index, tag) in tags.iter_mut().enumerate() {
            let Value::Mapping(tag) = tag else { continue };
            let at = format!("#/tags/{index}");
            self.string(tag, &at, "description");
            if tag.get("externalDocs").is_some_and(|docs| !docs.get("url").is_some_and(Value::is_string)) {
                tag.remove("externalDocs");
                self.warn(&format!("{at}/externalDocs"), "`externalDocs` without a `url` was dropped");
            }
        }
    }

    /// Entries of `content` that are not media type objects: dropped; a `description` written
    /// there (`content: {description: No Content}`) is the response's description.
    pub(super) fn media_types(&mut self, mapping: &mut Mapping, pointer: &str) {
        let Some(Value::Mapping(content)) = mapping.get_mut("content") else { return };
        let wrong: Vec<Value> =
            content.iter().filter(|(_, value)| !value.is_mapping()).map(|(key, _)| key.clone()).collect();
        let mut description = None;
        for key in wrong {
            let value = content.remove(&key);
            let name = key.as_str().unwrap_or_default().to_string();
            let at = format!("{pointer}/content/{}", escape_pointer_token(&name));
            if name == "description" {
                if let Some(Value::String(text)) = value {
                    description = Some(text);
                    self.warn(
                        &at,
                        "`description` belongs to the object that holds `content`, not inside it; it was moved there",
                    );
                    continue;
                }
            }
            self.warn(&at, "a media type object must be a mapping; this entry was dropped");
        }
        if let Some(description) = description {
            if !mapping.get("description").is_some_and(Value::is_string) {
                mapping.insert(Value::from("description"), Value::String(description));
            }
        }
    }

    /// A response's `description` is required but only documents: one of the wrong kind is read
    /// as text or dropped, and a missing one is taken as empty.
    pub(super) fn response(&mut self, mapping: &mut Mapping, pointer: &str) {
        self.string(mapping, pointer, "description");
        if !mapping.contains_key("description") {
            mapping.insert(Value::from("description"), Value::from(""));
            self.warn(pointer, "this response has no `description`; an empty one was assumed");
        }
    }

    /// A request body without `content` is read as no body; `content` that is not a mapping has
    /// no meaning to guess (an error); `required` of the wrong type is read or dropped.
    pub(super) fn request_body(&mut self, mapping: &mut Mapping, pointer: &str) {
        let absent = "this request body has no `content`; it was read as having no body";
        self.mapping_or_empty(mapping, pointer, "content", absent, "a mapping from media types to media type objects");
        self.boolean(mapping, pointer, "required");
    }

    /// The rules of an operation, in order: its `responses`, its texts and flags, `tags`,
    /// `parameters` and `security`.
    pub(super) fn operation(&mut self, mapping: &mut Mapping, pointer: &str) {
        self.operation_responses(mapping, pointer);
        for key in ["operationId", "summary", "description"] {
            self.string(mapping, pointer, key);
        }
        self.boolean(mapping, pointer, "deprecated");
        if let Some(tags) = mapping.get_mut("tags") {
            self.strings(tags, &format!("{pointer}/tags"));
        }
        self.parameters_list(mapping, pointer);
        self.security_requirements(mapping, pointer);
    }

    /// An operation without `responses` (optional in 3.1) is read as declaring none; responses
    /// that are not a mapping have no meaning to guess (an error).
    fn operation_responses(&mut self, mapping: &mut Mapping, pointer: &str) {
        let absent = "this operation has no `responses`; it was read as declaring none";
        self.mapping_or_empty(mapping, pointer, "responses", absent, "a mapping from status codes to responses");
    }

    /// `key` of the object at `pointer`, which holds a mapping: absent, it is read as an empty
    /// one (the warning `absent`); of another kind it has no meaning to guess (an error saying
    /// it must be `expected`).
    fn mapping_or_empty(&mut self, mapping: &mut Mapping, pointer: &str, key: &str, absent: &str, expected: &str) {
        match mapping.get(key) {
            None => {
                mapping.insert(Value::from(key), Value::Mapping(Mapping::new()));
                self.warn(pointer, absent);
            }
            Some(value) if !value.is_mapping() => {
                self.error(&format!("{pointer}/{key}"), format!("`{key}` must be {expected}, not {}", describe(value)))
            }
            Some(_) => {}
        }
    }

    /// `parameters` that are not a list hold no parameter that could be read: ignored.
    fn parameters_list(&mut self, mapping: &mut Mapping, pointer: &str) {
        if mapping.get("parameters").is_some_and(|p| !p.is_sequence()) {
            mapping.remove("parameters");
            self.warn(&format!("{pointer}/parameters"), "`parameters` must be a list; it was ignored");
        }
    }

    /// `security` of the wrong shape cannot be guessed, and dropping it could send a request
    /// without credentials: an error, which costs the operation.
    fn security_requirements(&mut self, mapping: &Mapping, pointer: &str) {
        let well_formed = mapping.get("security").is_none_or(|security| {
            security.as_sequence().is_some_and(|alternatives| alternatives.iter().all(is_security_requirement))
        });
        if !well_formed {
            self.error(
                &format!("{pointer}/security"),
                "`security` must be a list of mappings from scheme names to lists of scopes, e.g. `[{api_key: []}]`",
            );
        }
    }
}

/// Whether a value is a security requirement: a mapping from scheme names to lists of scopes.
fn is_security_requirement(requirement: &Value) -> bool {
    requirement.as_mapping().is_some_and(|schemes| {
        schemes.values().all(|scopes| scopes.as_sequence().is_some_and(|scopes| scopes.iter().all(Value::is_string)))
    })
}
