//! Responses: `schema` and `examples` go under `content`, one entry per produced media type;
//! headers get a `schema` like parameters.

use serde_yaml::{Mapping, Value};

use super::{describe, escape, key, referenced, same_set, Converter};

impl Converter<'_> {
    /// The responses of an operation at `at`.
    pub(super) fn responses(&mut self, operation: &mut Mapping, at: &str, produces: &[String]) {
        let Some(Value::Mapping(responses)) = operation.get_mut("responses") else { return };
        for (status, response) in responses.iter_mut() {
            let (Some(status), Value::Mapping(response)) = (status.as_str(), response) else { continue };
            // Extensions sit beside the status codes and are no responses.
            if status.starts_with("x-") {
                continue;
            }
            let at = format!("{at}/responses/{}", escape(status));
            match referenced(response, "#/responses/") {
                // The component carries the document's media types: elsewhere it is inlined.
                Some(name) if !same_set(produces, &self.produces) => {
                    let target = self.responses.get(name.as_str()).and_then(Value::as_mapping).cloned();
                    if let Some(target) = target.filter(|target| target.contains_key("schema")) {
                        *response = target;
                        let from = format!("#/responses/{}", escape(&name));
                        self.out.moved(at.clone(), from.clone());
                        self.response(response, &at, &from, produces);
                    }
                }
                Some(_) => {}
                None => self.response(response, &at, &at, produces),
            }
        }
    }

    /// One response, now at `at`, written at `from`.
    pub(super) fn response(&mut self, response: &mut Mapping, at: &str, from: &str, produces: &[String]) {
        let schema = response.shift_remove("schema");
        let examples = response.shift_remove("examples");
        let mut content = match response.shift_remove("content") {
            Some(Value::Mapping(content)) => content,
            Some(other) => {
                let message =
                    format!("`content` must be a mapping of media types, not {}; it was ignored", describe(&other));
                self.out.warn(&format!("{from}/content"), message);
                Mapping::new()
            }
            None => Mapping::new(),
        };
        // 2.0 gives one schema for every media type the operation produces.
        if let Some(schema) = &schema {
            for media in produces {
                self.media(&mut content, media, schema, at, from);
            }
        } else {
            // Without a schema a 2.0 response has no body, but a stream (server-sent events,
            // JSON lines) cannot be given one: a produced stream type stays, untyped.
            for media in produces.iter().filter(|media| crate::model::stream_framing(media).is_some()) {
                content.entry(key(media)).or_insert_with(|| Value::Mapping(Mapping::new()));
            }
        }
        self.examples(&mut content, examples, schema.as_ref(), at, from);
        if !content.is_empty() {
            response.insert(key("content"), Value::Mapping(content));
        }
        if let Some(Value::Mapping(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let (Some(name), Value::Mapping(header)) = (name.as_str(), header) else { continue };
                let name = escape(name);
                self.header(header, &format!("{at}/headers/{name}"), &format!("{from}/headers/{name}"));
            }
        }
    }

    /// A media type entry with the response's schema, unless there is one already.
    fn media(&mut self, content: &mut Mapping, media: &str, schema: &Value, at: &str, from: &str) {
        if content.contains_key(media) {
            return;
        }
        self.out.moved(format!("{at}/content/{}/schema", escape(media)), format!("{from}/schema"));
        content.insert(key(media), Value::Mapping(Mapping::from_iter([(key("schema"), schema.clone())])));
    }

    /// 2.0 `examples` map media types to example values: each is the `example` of that entry
    /// (an entry the operation does not produce is added, with the schema).
    fn examples(
        &mut self,
        content: &mut Mapping,
        examples: Option<Value>,
        schema: Option<&Value>,
        at: &str,
        from: &str,
    ) {
        let examples = match examples {
            None => return,
            Some(Value::Mapping(examples)) => examples,
            Some(other) => {
                let message = format!(
                    "response `examples` must map media types to example values, not {}; they were dropped",
                    describe(&other)
                );
                return self.out.warn(&format!("{from}/examples"), message);
            }
        };
        for (media, example) in examples {
            let Some(media) = media.as_str() else { continue };
            match schema {
                Some(schema) => self.media(content, media, schema, at, from),
                None if !content.contains_key(media) => {
                    content.insert(key(media), Value::Mapping(Mapping::new()));
                }
                None => {}
            }
            if let Some(Value::Mapping(entry)) = content.get_mut(media) {
                entry.insert(key("example"), example);
                let media = escape(media);
                self.out.moved(format!("{at}/content/{media}/example"), format!("{from}/examples/{media}"));
            }
        }
    }
}
