//! Body and form parameters: 3.0 sends them as the operation's `requestBody`.

use serde_yaml::{Mapping, Value};

use super::parameters::is_array;
use super::{escape, key, location, referenced, same_set, shown, Converter};

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// The body a path item or an operation declares through its parameters.
#[derive(Debug, Clone, Default)]
pub(super) struct Payload {
    body: Option<Body>,
    /// Form fields, each with the pointer it was written at.
    forms: Vec<(Mapping, String)>,
}

#[derive(Debug, Clone)]
enum Body {
    /// A body parameter, with the pointer it was written at.
    Inline(Mapping, String),
    /// A reference to the top-level body parameter of this name, with the reference's pointer.
    Component(String, String),
}

/// One entry of a parameter list, sorted by where it travels.
enum Entry {
    /// Stays a parameter (or is left for repair to report).
    Parameter(Value),
    Body(Body),
    /// A form field, with the pointer it was written at.
    Form(Mapping, String),
}

impl Converter<'_> {
    /// Takes the body and form parameters out of the `parameters` of `owner` (at `at`),
    /// converts the others and records where each of them now stands.
    pub(super) fn split_parameters(&mut self, owner: &mut Mapping, at: &str) -> Payload {
        let mut payload = Payload::default();
        let Some(Value::Sequence(list)) = owner.get_mut("parameters") else { return payload };
        let mut kept = Vec::new();
        for (index, entry) in std::mem::take(list).into_iter().enumerate() {
            let from = format!("{at}/parameters/{index}");
            match self.sort(entry, &from) {
                Entry::Parameter(mut entry) => {
                    let to = format!("{at}/parameters/{}", kept.len());
                    self.out.moved(to.clone(), from.clone());
                    if let Value::Mapping(parameter) = &mut entry {
                        if !parameter.contains_key("$ref") {
                            self.parameter(parameter, &to, &from);
                        }
                    }
                    kept.push(entry);
                }
                Entry::Body(body) if payload.body.is_none() => payload.body = Some(body),
                Entry::Body(_) => self.out.warn(&from, "there can be only one body parameter; this one was dropped"),
                Entry::Form(field, from) => payload.forms.push((field, from)),
            }
        }
        if kept.is_empty() {
            owner.shift_remove("parameters");
        } else {
            owner.insert(key("parameters"), Value::Sequence(kept));
        }
        payload
    }

    /// Where a parameter list entry travels, following references to top-level parameters.
    fn sort(&self, entry: Value, from: &str) -> Entry {
        let Value::Mapping(mapping) = entry else { return Entry::Parameter(entry) };
        if let Some(name) = referenced(&mapping, "#/parameters/") {
            let target = self.parameters.get(name.as_str()).and_then(Value::as_mapping);
            return match target.and_then(location) {
                Some("body") => Entry::Body(Body::Component(name, from.to_string())),
                Some("formData") => {
                    let field = target.cloned().unwrap_or_default();
                    Entry::Form(field, format!("#/parameters/{}", escape(&name)))
                }
                _ => Entry::Parameter(Value::Mapping(mapping)),
            };
        }
        match location(&mapping) {
            Some("body") => Entry::Body(Body::Inline(mapping, from.to_string())),
            Some("formData") => Entry::Form(mapping, from.to_string()),
            _ => Entry::Parameter(Value::Mapping(mapping)),
        }
    }

    /// The `requestBody` of the operation at `at`, from its own body or form parameters and
    /// those of its path item it does not override (a body replaces the body, a form field
    /// the field of the same name).
    pub(super) fn request_body(
        &mut self,
        operation: &mut Mapping,
        at: &str,
        own: Payload,
        shared: &Payload,
        consumes: &[String],
    ) {
        let body = own.body.or_else(|| shared.body.clone());
        let mut forms = shared.forms.clone();
        for (field, from) in own.forms {
            match forms.iter_mut().find(|(shared, _)| shared.get("name") == field.get("name")) {
                Some(slot) => *slot = (field, from),
                None => forms.push((field, from)),
            }
        }
        if body.is_none() && forms.is_empty() {
            return;
        }
        // A 2.0 file that also wrote a `requestBody` meant it.
        if operation.contains_key("requestBody") {
            let message = "this operation has a `requestBody`; its body and form parameters were dropped";
            return self.out.warn(at, message);
        }
        let to = format!("{at}/requestBody");
        let request = match body {
            Some(body) => {
                if let Some((_, from)) = forms.first() {
                    let message =
                        "an operation has either a body parameter or form parameters; the form parameters were dropped";
                    self.out.warn(from, message);
                }
                self.body(body, &to, consumes)
            }
            None => self.form(&forms, &to, at, consumes),
        };
        operation.insert(key("requestBody"), request);
    }

    fn body(&mut self, body: Body, at: &str, consumes: &[String]) -> Value {
        match body {
            Body::Inline(parameter, from) => self.inline_body(&parameter, at, &from, consumes),
            // The component carries the document's media types: elsewhere it is inlined.
            Body::Component(name, from) if same_set(consumes, &self.consumes) => {
                self.out.moved(at.to_string(), from);
                let reference = format!("#/components/requestBodies/{}", escape(&name));
                Value::Mapping(Mapping::from_iter([(key("$ref"), Value::String(reference))]))
            }
            Body::Component(name, _) => {
                let parameter = self.parameters.get(name.as_str()).and_then(Value::as_mapping).cloned();
                let from = format!("#/parameters/{}", escape(&name));
                self.inline_body(&parameter.unwrap_or_default(), at, &from, consumes)
            }
        }
    }

    /// A body parameter as a request body: its schema under every media type it may be sent as.
    pub(super) fn inline_body(&mut self, parameter: &Mapping, at: &str, from: &str, consumes: &[String]) -> Value {
        self.out.moved(at.to_string(), from.to_string());
        let mut body = Mapping::new();
        for (name, value) in parameter {
            if name.as_str().is_some_and(|name| ["description", "required"].contains(&name) || name.starts_with("x-")) {
                body.insert(name.clone(), value.clone());
            }
        }
        let schema = parameter.get("schema").cloned().unwrap_or_else(|| {
            self.out.warn(from, "this body parameter has no `schema`; the body was read as any JSON value");
            Value::Mapping(Mapping::new())
        });
        let mut content = Mapping::new();
        for media in consumes {
            self.out.moved(format!("{at}/content/{}/schema", escape(media)), format!("{from}/schema"));
            content.insert(key(media), Value::Mapping(Mapping::from_iter([(key("schema"), schema.clone())])));
        }
        body.insert(key("content"), Value::Mapping(content));
        Value::Mapping(body)
    }

    /// Form fields as one object schema, its properties the fields' schemas.
    fn form(&mut self, fields: &[(Mapping, String)], at: &str, operation: &str, consumes: &[String]) -> Value {
        let media = form_media(consumes, fields.iter().any(|(field, _)| is_file(field)));
        self.out.moved(at.to_string(), format!("{operation}/parameters"));
        let (mut properties, mut required, mut encoding) = (Mapping::new(), Vec::new(), Mapping::new());
        for (field, from) in fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else {
                self.out.warn(from, "this form parameter has no `name`; it was dropped");
                continue;
            };
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::from(name));
            }
            let mut field = field.clone();
            let format = field.shift_remove("collectionFormat");
            let schema = self.field_schema(&mut field, from);
            if is_array(Some(&schema)) {
                if let Some(style) = self.field_encoding(&media, format.as_ref(), from) {
                    encoding.insert(key(name), style);
                }
            }
            for media in &media {
                let at = format!("{at}/content/{}/schema/properties/{}", escape(media), escape(name));
                self.out.moved(at, from.clone());
            }
            properties.insert(key(name), schema);
        }
        let mut schema =
            Mapping::from_iter([(key("type"), key("object")), (key("properties"), Value::Mapping(properties))]);
        let mut body = Mapping::new();
        if !required.is_empty() {
            schema.insert(key("required"), Value::Sequence(required));
            // A body with a required field must be sent.
            body.insert(key("required"), Value::Bool(true));
        }
        let mut content = Mapping::new();
        for media in media {
            let mut entry = Mapping::from_iter([(key("schema"), Value::Mapping(schema.clone()))]);
            if media == URLENCODED && !encoding.is_empty() {
                entry.insert(key("encoding"), Value::Mapping(encoding.clone()));
            }
            content.insert(key(media), Value::Mapping(entry));
        }
        body.insert(key("content"), Value::Mapping(content));
        Value::Mapping(body)
    }

    /// A form field's property schema: its schema keywords, description and extensions; a
    /// `file` is bytes.
    fn field_schema(&mut self, field: &mut Mapping, from: &str) -> Value {
        let mut schema = self.take_schema(field, from);
        for (name, value) in field.iter() {
            if name.as_str().is_some_and(|name| name == "description" || name.starts_with("x-")) {
                schema.insert(name.clone(), value.clone());
            }
        }
        binary(&mut schema);
        Value::Mapping(schema)
    }

    /// How an array field is written: URL-encoded forms take the query styles (the encoding
    /// object says which, unless it is the default of repeating the name); multipart sends
    /// each item as a part, which only `multi` says.
    fn field_encoding(&mut self, media: &[&str], format: Option<&Value>, from: &str) -> Option<Value> {
        if media.contains(&MULTIPART) && format.is_some_and(|format| format.as_str() != Some("multi")) {
            let message = format!(
                "multipart/form-data sends each item of an array as a part of its own; collectionFormat {} could not be kept",
                format.map(shown).unwrap_or_default()
            );
            self.out.warn(&format!("{from}/collectionFormat"), message);
        }
        if !media.contains(&URLENCODED) {
            return None;
        }
        match self.style("query", format, from) {
            ("form", Some(true)) => None,
            (style, explode) => {
                let mut encoding = Mapping::from_iter([(key("style"), Value::from(style))]);
                if let Some(explode) = explode {
                    encoding.insert(key("explode"), Value::Bool(explode));
                }
                Some(Value::Mapping(encoding))
            }
        }
    }
}

/// The form media types: those `consumes` lists, multipart alone when a file is sent, and
/// URL-encoded when `consumes` lists neither.
fn form_media(consumes: &[String], file: bool) -> Vec<&'static str> {
    let mut media = Vec::new();
    for listed in consumes {
        let essence = listed.split(';').next().unwrap_or_default().trim();
        for form in [MULTIPART, URLENCODED] {
            if essence.eq_ignore_ascii_case(form) && !media.contains(&form) && !(file && form == URLENCODED) {
                media.push(form);
            }
        }
    }
    if media.is_empty() {
        media.push(if file { MULTIPART } else { URLENCODED });
    }
    media
}

/// Whether a form field is a file (or a list of files).
fn is_file(field: &Mapping) -> bool {
    let file = |node: &Value| node.get("type").and_then(Value::as_str) == Some("file");
    field.get("type").and_then(Value::as_str) == Some("file") || field.get("items").is_some_and(file)
}

/// `type: file` is `type: string, format: binary` in 3.0, in the field or its items.
fn binary(schema: &mut Mapping) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert(key("type"), key("string"));
        schema.insert(key("format"), key("binary"));
    }
    if let Some(Value::Mapping(items)) = schema.get_mut("items") {
        binary(items);
    }
}
