//! The shape of an OpenAPI 3.0 document as far as loading needs it: which object sits under
//! which key, and where a `$ref` may stand. Bundling and repair both walk the raw tree with it,
//! so neither follows a `$ref` key inside example data, defaults or enums.

use serde_yaml::Value;

/// Where a media type keeps the schema of one item of a streamed body: OpenAPI 3.2's
/// `itemSchema`, under a name OpenAPI 3.0 allows (or written so by a 3.0 document's author).
pub const ITEM_SCHEMA_KEY: &str = "x-item-schema";

/// The methods a path item may hold, each the key of an operation.
pub(super) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The kinds of OpenAPI object the walk distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Obj {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Responses,
    Response,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Callback,
    Schema,
    Example,
    Link,
    SecurityScheme,
}

/// How children of one kind sit under a key.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    /// The key holds one object.
    One(Obj),
    /// The key holds a mapping of objects.
    Map(Obj),
    /// The key holds a list of objects.
    List(Obj),
}

impl Obj {
    /// Whether `$ref` may stand in place of this object.
    pub fn may_be_reference(self) -> bool {
        !matches!(
            self,
            Obj::Document
                | Obj::Components
                | Obj::Paths
                | Obj::Operation
                | Obj::Responses
                | Obj::MediaType
                | Obj::Encoding
        )
    }

    /// What a component of this kind is called under `components` (and in messages).
    pub fn noun(self) -> &'static str {
        match self {
            Obj::Document => "document",
            Obj::Components => "components object",
            Obj::Paths => "paths object",
            Obj::PathItem => "path item",
            Obj::Operation => "operation",
            Obj::Responses => "responses object",
            Obj::Response => "response",
            Obj::Parameter => "parameter",
            Obj::Header => "header",
            Obj::RequestBody => "request body",
            Obj::MediaType => "media type object",
            Obj::Encoding => "encoding object",
            Obj::Callback => "callback",
            Obj::Schema => "schema",
            Obj::Example => "example",
            Obj::Link => "link",
            Obj::SecurityScheme => "security scheme",
        }
    }

    fn slots(self) -> &'static [(&'static str, Slot)] {
        use Obj::*;
        use Slot::*;
        match self {
            Document => &[
                ("paths", One(Paths)),
                ("components", One(Components)),
                ("webhooks", Map(PathItem)),
                ("x-webhooks", Map(PathItem)),
            ],
            Components => &[
                ("schemas", Map(Schema)),
                ("responses", Map(Response)),
                ("parameters", Map(Parameter)),
                ("examples", Map(Example)),
                ("requestBodies", Map(RequestBody)),
                ("headers", Map(Header)),
                ("securitySchemes", Map(SecurityScheme)),
                ("links", Map(Link)),
                ("callbacks", Map(Callback)),
            ],
            PathItem => &[
                ("get", One(Operation)),
                ("put", One(Operation)),
                ("post", One(Operation)),
                ("delete", One(Operation)),
                ("options", One(Operation)),
                ("head", One(Operation)),
                ("patch", One(Operation)),
                ("trace", One(Operation)),
                ("parameters", List(Parameter)),
            ],
            Operation => &[
                ("parameters", List(Parameter)),
                ("requestBody", One(RequestBody)),
                ("responses", One(Responses)),
                ("callbacks", Map(Callback)),
            ],
            Response => &[("headers", Map(Header)), ("content", Map(MediaType)), ("links", Map(Link))],
            Parameter | Header => &[("schema", One(Schema)), ("content", Map(MediaType)), ("examples", Map(Example))],
            RequestBody => &[("content", Map(MediaType))],
            // `itemSchema` (OpenAPI 3.2): the schema of one item of a streamed body, kept as
            // `x-item-schema` (see `normalize::openapi31`).
            MediaType => &[
                ("schema", One(Schema)),
                ("itemSchema", One(Schema)),
                (ITEM_SCHEMA_KEY, One(Schema)),
                ("examples", Map(Example)),
                ("encoding", Map(Encoding)),
            ],
            Encoding => &[("headers", Map(Header))],
            Schema => &[
                ("properties", Map(Schema)),
                ("items", One(Schema)),
                ("additionalProperties", One(Schema)),
                ("allOf", List(Schema)),
                ("oneOf", List(Schema)),
                ("anyOf", List(Schema)),
                ("not", One(Schema)),
                // JSON Schema 2020-12 (OpenAPI 3.1): walked for bundling; `normalize` turns
                // them into the keywords above.
                ("prefixItems", List(Schema)),
                ("$defs", Map(Schema)),
                ("patternProperties", Map(Schema)),
            ],
            Paths | Responses | Callback | Example | Link | SecurityScheme => &[],
        }
    }

    /// The object every non-extension key of this kind holds (`paths`, `responses`, callbacks).
    fn keyed_children(self) -> Option<Obj> {
        match self {
            Obj::Paths | Obj::Callback => Some(Obj::PathItem),
            Obj::Responses => Some(Obj::Response),
            _ => None,
        }
    }
}

/// The slots of `node` (a node of kind `obj`) that hold a `$ref` where OpenAPI allows none: a
/// whole `content` or `properties` map, a list of parameters, a `responses` object. Many specs
/// split files this way, and bundlers resolve such references like any other.
pub(super) fn container_references(obj: Obj, node: &Value) -> Vec<(&'static str, Slot)> {
    let Value::Mapping(mapping) = node else { return Vec::new() };
    obj.slots()
        .iter()
        .filter(|(key, slot)| {
            let holds_reference = mapping.get(*key).and_then(reference_of).is_some();
            holds_reference && !matches!(slot, Slot::One(child) if child.may_be_reference())
        })
        .copied()
        .collect()
}

/// One step from a node to a child: a key, then possibly a key or an index below it.
#[derive(Debug, Clone)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// Calls `visit` for every child object of `node` (a node of kind `obj` that is not a `$ref`),
/// with the steps that lead to it. Children of the wrong shape (a list where a mapping belongs)
/// are skipped: repair reports them.
pub(super) fn for_each_child(obj: Obj, node: &mut Value, visit: &mut dyn FnMut(&[Step], Obj, &mut Value)) {
    let Value::Mapping(mapping) = node else { return };
    if let Some(child) = obj.keyed_children() {
        for (key, value) in mapping.iter_mut() {
            if let Some(key) = key.as_str().filter(|key| !key.starts_with("x-")) {
                visit(&[Step::Key(key.to_string())], child, value);
            }
        }
        return;
    }
    for &(key, slot) in obj.slots() {
        let Some(value) = mapping.get_mut(key) else { continue };
        match slot {
            Slot::One(child) => {
                // `additionalProperties: true` is not a schema to walk.
                if value.is_mapping() {
                    visit(&[Step::Key(key.to_string())], child, value);
                }
            }
            Slot::Map(child) => {
                if let Value::Mapping(children) = value {
                    for (name, value) in children.iter_mut() {
                        if let Some(name) = name.as_str() {
                            visit(&[Step::Key(key.to_string()), Step::Key(name.to_string())], child, value);
                        }
                    }
                }
            }
            Slot::List(child) => {
                if let Value::Sequence(children) = value {
                    for (index, value) in children.iter_mut().enumerate() {
                        visit(&[Step::Key(key.to_string()), Step::Index(index)], child, value);
                    }
                }
            }
        }
    }
}

/// Appends steps to a pointer.
pub(super) fn extend_pointer(pointer: &str, steps: &[Step]) -> String {
    let mut pointer = pointer.to_string();
    for step in steps {
        pointer.push('/');
        match step {
            Step::Key(key) => pointer.push_str(&super::escape_pointer_token(key)),
            Step::Index(index) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

/// The `$ref` of a node, if it is a reference object.
pub(super) fn reference_of(node: &Value) -> Option<&str> {
    node.as_mapping()?.get("$ref")?.as_str()
}
