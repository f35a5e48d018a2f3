//! Lowering of path, query, header and cookie parameters.
//!
//! An operation's parameters become one struct, `{OperationId}Params`, declared like any request
//! type (so it gets a builder and validation for free); [`Parameter`] records, per field, where
//! and how the value travels.

use openapiv3::{
    Parameter as SpecParameter, ParameterData, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
};

use super::naming;
use super::operations::resolve_item;
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// The operation whose parameters are lowered, and its two lists of parameters.
pub(super) struct OperationParameters<'d> {
    /// The path template, e.g. `/pets/{petId}`.
    pub path: &'d str,
    /// The operation's pointer, e.g. `#/paths/~1pets~1{petId}/get`.
    pub pointer: &'d str,
    /// What the types of its parameters are named after (its operation id as a type name).
    pub context: &'d str,
    /// The parameters of its path item, which every operation of the path shares.
    pub path_item: &'d [ReferenceOr<SpecParameter>],
    /// Its own parameters.
    pub own: &'d [ReferenceOr<SpecParameter>],
}

/// An operation's parameters, and the fields of its params struct, one for each, in order.
pub(super) struct LoweredParameters {
    pub parameters: Vec<Parameter>,
    pub fields: Vec<Field>,
}

/// Collects the parameters of an operation: those of its path item, then its own, an operation
/// parameter replacing a path-item parameter with the same name and location. Each placeholder
/// of the path that no parameter declares is added last, as a required string.
pub(super) fn lower_parameters(
    document: &openapiv3::OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    operation: &OperationParameters<'_>,
) -> LoweredParameters {
    let declared = declared_parameters(document, schemas, operation);
    let mut lowering = ParametersLowering {
        schemas,
        path: operation.path,
        placeholders: placeholders(operation.path),
        field_names: naming::Namespace::with_taken(naming::BUILDER_METHODS.iter().copied()),
        lowered: LoweredParameters { parameters: Vec::new(), fields: Vec::new() },
    };
    for parameter in declared {
        lowering.lower(&parameter, operation.context);
    }
    lowering.undeclared_placeholders(operation.pointer);
    lowering.lowered
}

/// A parameter as the spec declares it (its `$ref` resolved), and where.
struct Declared<'d> {
    pointer: String,
    parameter: &'d SpecParameter,
}

/// The parameters that apply to an operation, resolved, in order: its path item's, then its
/// own, where one of its own replaces a path item's of the same name and location. One whose
/// `$ref` does not resolve is left out, with an error.
fn declared_parameters<'d>(
    document: &'d openapiv3::OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    operation: &OperationParameters<'d>,
) -> Vec<Declared<'d>> {
    let lists = [
        (operation.path_item, path_item_parameters_pointer(operation.path)),
        (operation.own, format!("{}/parameters", operation.pointer)),
    ];
    let section = document.components.as_ref().map(|c| &c.parameters);
    let mut declared: Vec<Declared<'d>> = Vec::new();
    for (parameters, list_pointer) in &lists {
        for (index, parameter) in parameters.iter().enumerate() {
            let pointer = format!("{list_pointer}/{index}");
            let Some(parameter) = resolve_item(parameter, section, "parameters", &pointer, schemas) else {
                continue;
            };
            let key = identity(parameter);
            declared.retain(|existing| identity(existing.parameter) != key);
            declared.push(Declared { pointer, parameter });
        }
    }
    declared
}

/// What tells parameters apart: their name and location.
fn identity(parameter: &SpecParameter) -> (&str, &'static str) {
    (&parameter.parameter_data_ref().name, location_of(parameter))
}

/// The state of lowering one operation's parameters.
struct ParametersLowering<'s, 'l> {
    schemas: &'s mut SchemaLowering<'l>,
    path: &'s str,
    /// The names between braces in `path`.
    placeholders: Vec<&'s str>,
    /// The field names of the params struct taken so far.
    field_names: naming::Namespace,
    lowered: LoweredParameters,
}

/// Where a parameter travels and how it is written, as the spec declares it.
struct Placement {
    location: ParameterLocation,
    style: ParameterStyle,
    /// `explode` as written, or the style's default.
    explode: bool,
}

/// A parameter's value and how the spec describes it.
struct DeclaredValue {
    value: ValueType,
    /// Whether the value is described by `content` with a JSON media type (sent as JSON text).
    json_content: bool,
    /// The pointer of the schema the value was lowered from.
    schema_pointer: String,
}

impl ParametersLowering<'_, '_> {
    /// Lowers one declared parameter, or leaves it out: with an error when it cannot be sent
    /// (which costs the operation), with a warning when the path has no place for it.
    fn lower(&mut self, declared: &Declared<'_>, context: &str) {
        let Declared { pointer, parameter } = declared;
        let data = parameter.parameter_data_ref();
        let placement = placement(parameter);
        let Some(declared_value) = self.declared_value(data, pointer, &format!("{context} {}", data.name)) else {
            return;
        };
        if matches!(declared_value.value.shape, Shape::Binary) {
            unsupported(self.schemas, &declared_value.schema_pointer, "binary (`format: binary`) parameters");
            return;
        }
        if !self.sendable_name(data, placement.location, pointer) {
            return;
        }
        let wire_name = match placement.location {
            ParameterLocation::Path => match self.path_wire_name(&data.name, pointer) {
                Some(wire_name) => wire_name,
                None => return,
            },
            _ => data.name.clone(),
        };
        let encoding = self.encoding(&placement, &declared_value);
        let rust_name = self.claim_rust_name(&data.name, parameter);
        // The params struct's own (serde) name must be unique too.
        let field_wire_name = if self.lowered.fields.iter().any(|field| field.wire_name == wire_name) {
            rust_name.clone()
        } else {
            wire_name.clone()
        };
        let field = Field {
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            required: data.required || placement.location == ParameterLocation::Path,
            ..parameter_field(field_wire_name, rust_name, declared_value.value)
        };
        let style = array_style(&placement);
        let index = self.lowered.fields.len();
        self.push(Parameter { wire_name, field: index, location: placement.location, style, encoding }, field);
    }

    fn push(&mut self, parameter: Parameter, field: Field) {
        self.lowered.parameters.push(parameter);
        self.lowered.fields.push(field);
    }

    /// The value of a parameter, from its `schema` or from the first media type of its
    /// `content`; `None`, with an error, when `content` names no media type with a schema.
    fn declared_value(&mut self, data: &ParameterData, pointer: &str, context: &str) -> Option<DeclaredValue> {
        let (schema, schema_pointer, json_content) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (schema, format!("{pointer}/schema"), false),
            ParameterSchemaOrContent::Content(content) => {
                let Some((media_type, media)) = content.first() else {
                    self.schemas.errors.push(SpecError::new(
                        format!("{pointer}/content"),
                        "a parameter's `content` needs one media type with a `schema`",
                    ));
                    return None;
                };
                let media_pointer = format!("{pointer}/content/{}", escape_pointer_token(media_type));
                let Some(schema) = &media.schema else {
                    self.schemas.errors.push(SpecError::new(media_pointer, "this media type needs a `schema`"));
                    return None;
                };
                (schema, format!("{media_pointer}/schema"), is_json(media_type))
            }
        };
        let value = self.schemas.value_of_ref_or(schema, &schema_pointer, context);
        Some(DeclaredValue { value, json_content, schema_pointer })
    }

    /// Whether a header's or cookie's name can be sent (an HTTP token); if not, an error.
    fn sendable_name(&mut self, data: &ParameterData, location: ParameterLocation, pointer: &str) -> bool {
        let what = match location {
            ParameterLocation::Header => "HTTP header",
            ParameterLocation::Cookie => "cookie",
            ParameterLocation::Path | ParameterLocation::Query => return true,
        };
        let is_token = data.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !is_token {
            self.schemas
                .errors
                .push(SpecError::new(format!("{pointer}/name"), format!("`{}` is not a valid {what} name", data.name)));
        }
        is_token
    }

    /// The placeholder a path parameter fills: its own name, or the placeholder spelled the same
    /// but for case (with a warning); `None`, with a warning, when the path has no place for it.
    fn path_wire_name(&mut self, name: &str, pointer: &str) -> Option<String> {
        if self.placeholders.contains(&name) {
            return Some(name.to_string());
        }
        let path = self.path;
        let placeholder = self.placeholders.iter().find(|p| p.eq_ignore_ascii_case(name)).map(|p| p.to_string());
        let message = match &placeholder {
            Some(placeholder) => {
                format!("the path `{path}` spells this parameter `{{{placeholder}}}`; it is sent in that place")
            }
            None => format!("the path `{path}` has no `{{{name}}}` placeholder for this parameter; it is left out"),
        };
        self.schemas.warnings.push(SpecError::new(format!("{pointer}/name"), message));
        placeholder
    }

    /// How a parameter's value becomes text: JSON text for JSON `content`; written directly when
    /// the value is simple and the style writes it plainly; otherwise by its style.
    fn encoding(&self, placement: &Placement, declared: &DeclaredValue) -> ParameterEncoding {
        let Placement { location, style, explode } = *placement;
        let plain_style = matches!(
            style,
            ParameterStyle::Form
                | ParameterStyle::SpaceDelimited
                | ParameterStyle::PipeDelimited
                | ParameterStyle::Simple
        );
        if declared.json_content {
            ParameterEncoding::Json
        } else if location != ParameterLocation::Cookie && plain_style && is_simple(&declared.value, self.schemas) {
            ParameterEncoding::Text
        } else {
            ParameterEncoding::Styled { style, explode }
        }
    }

    /// The field name of a parameter; a name two locations share (a path and a query `id`)
    /// tells them apart by location.
    fn claim_rust_name(&mut self, name: &str, parameter: &SpecParameter) -> String {
        let mut rust_name = naming::snake_name(name);
        if self.field_names.is_taken(&rust_name) {
            rust_name = format!("{}_{}", rust_name.trim_end_matches('_'), location_of(parameter));
        }
        self.field_names.claim(rust_name)
    }

    /// Each placeholder of the path that no path parameter fills becomes a required string
    /// parameter, with a warning (the request could not be sent without it).
    fn undeclared_placeholders(&mut self, operation_pointer: &str) {
        for placeholder in self.placeholders.clone() {
            let declared = self
                .lowered
                .parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.wire_name == placeholder);
            if declared {
                continue;
            }
            self.schemas.warnings.push(SpecError::new(
                format!("{operation_pointer}/parameters"),
                format!(
                    "the path placeholder `{{{placeholder}}}` has no path parameter; it is taken as a required string \
                     (declare it with `in: path`)"
                ),
            ));
            let rust_name = self.field_names.claim(naming::snake_name(placeholder));
            let field = Field {
                doc: Some(format!("The `{{{placeholder}}}` segment of the path (not declared by the spec).")),
                required: true,
                ..parameter_field(
                    placeholder.to_string(),
                    rust_name,
                    ValueType { shape: Shape::String(StringRules::default()), nullable: false },
                )
            };
            let parameter = Parameter {
                wire_name: placeholder.to_string(),
                field: self.lowered.fields.len(),
                location: ParameterLocation::Path,
                style: ArrayStyle::Comma,
                encoding: ParameterEncoding::Text,
            };
            self.push(parameter, field);
        }
    }
}

/// Where a parameter travels, its style, and whether it is exploded (the style's default unless
/// the spec says).
fn placement(parameter: &SpecParameter) -> Placement {
    let (location, style, default_explode) = match parameter {
        SpecParameter::Path { style, .. } => {
            let style = match style {
                PathStyle::Simple => ParameterStyle::Simple,
                PathStyle::Label => ParameterStyle::Label,
                PathStyle::Matrix => ParameterStyle::Matrix,
            };
            (ParameterLocation::Path, style, false)
        }
        SpecParameter::Query { style, .. } => {
            let style = match style {
                QueryStyle::Form => ParameterStyle::Form,
                QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                QueryStyle::DeepObject => ParameterStyle::DeepObject,
            };
            (ParameterLocation::Query, style, style == ParameterStyle::Form || style == ParameterStyle::DeepObject)
        }
        SpecParameter::Header { .. } => (ParameterLocation::Header, ParameterStyle::Simple, false),
        SpecParameter::Cookie { .. } => (ParameterLocation::Cookie, ParameterStyle::Form, true),
    };
    let explode = parameter.parameter_data_ref().explode.unwrap_or(default_explode);
    Placement { location, style, explode }
}

/// How an array value is written: repeated for an exploded query form, else joined.
fn array_style(placement: &Placement) -> ArrayStyle {
    match placement.style {
        ParameterStyle::Form if placement.location == ParameterLocation::Query && placement.explode => {
            ArrayStyle::Repeat
        }
        ParameterStyle::SpaceDelimited => ArrayStyle::Space,
        ParameterStyle::PipeDelimited => ArrayStyle::Pipe,
        _ => ArrayStyle::Comma,
    }
}

/// The field of the params struct that holds a parameter: optional and undocumented until the
/// caller says otherwise, and never sensitive, secret, tri-state or boxed.
fn parameter_field(wire_name: String, rust_name: String, value: ValueType) -> Field {
    Field {
        wire_name,
        rust_name,
        doc: None,
        deprecated: false,
        required: false,
        sensitive: false,
        secret: false,
        tri_state: false,
        access: Access::ReadWrite,
        boxed: false,
        value,
    }
}

/// A piece of a path template as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TemplatePiece<'p> {
    Text(&'p str),
    /// The name between a `{` and the next `}`.
    Placeholder(&'p str),
}

/// Reads a path template, once for the whole model: a placeholder is a `{`, a name, and the
/// next `}`. A `{` with no `}` after it, or with another `{` first, is text, and so is a `}`
/// outside a placeholder: `/a/{{id}}` is `/a/{`, `{id}`, `}`.
fn template_pieces(path: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(open) = path[at..].find('{').map(|offset| at + offset) {
        let after = &path[open + 1..];
        match after.find(['{', '}']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                if text_start < open {
                    pieces.push(TemplatePiece::Text(&path[text_start..open]));
                }
                pieces.push(TemplatePiece::Placeholder(&after[..close]));
                at = open + 1 + close + 1;
                text_start = at;
            }
            // Another `{` first: this one is text, and the scan goes on from the next.
            Some(_) => at = open + 1,
            None => break,
        }
    }
    if text_start < path.len() {
        pieces.push(TemplatePiece::Text(&path[text_start..]));
    }
    pieces
}

/// The names of the placeholders of a path template, in order.
fn placeholders(path: &str) -> Vec<&str> {
    template_pieces(path)
        .into_iter()
        .filter_map(|piece| match piece {
            TemplatePiece::Placeholder(name) => Some(name),
            TemplatePiece::Text(_) => None,
        })
        .collect()
}

/// An operation's path template, each placeholder linked to the path parameter that fills it
/// (the first, should two fill the same). Lowering gives every placeholder a parameter; one
/// that has none all the same (never, barring a bug) stays text as written.
pub(super) fn path_template(path: &str, parameters: &[Parameter]) -> Vec<PathSegment> {
    fn push_text(segments: &mut Vec<PathSegment>, text: &str) {
        match segments.last_mut() {
            Some(PathSegment::Literal(last)) => last.push_str(text),
            _ => segments.push(PathSegment::Literal(text.to_string())),
        }
    }
    let mut segments: Vec<PathSegment> = Vec::new();
    for piece in template_pieces(path) {
        match piece {
            TemplatePiece::Text(text) => push_text(&mut segments, text),
            TemplatePiece::Placeholder(name) => {
                let filled_by =
                    parameters.iter().position(|p| p.location == ParameterLocation::Path && p.wire_name == name);
                match filled_by {
                    Some(index) => segments.push(PathSegment::Parameter(index)),
                    None => push_text(&mut segments, &format!("{{{name}}}")),
                }
            }
        }
    }
    segments
}

fn location_of(parameter: &SpecParameter) -> &'static str {
    match parameter {
        SpecParameter::Path { .. } => "path",
        SpecParameter::Query { .. } => "query",
        SpecParameter::Header { .. } => "header",
        SpecParameter::Cookie { .. } => "cookie",
    }
}

/// Whether a media type is JSON (`application/json`, `…+json`).
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a value can be written as parameter text: a scalar, a string enum, or an array of them.
fn is_simple(value: &ValueType, schemas: &SchemaLowering<'_>) -> bool {
    match &value.shape {
        Shape::Array { items, .. } => !matches!(items.shape, Shape::Array { .. }) && is_simple(items, schemas),
        Shape::Named(id) => schemas.is_enum(*id),
        // A mapped type may not implement `Display`; it is written from its JSON form.
        Shape::Map { .. } | Shape::Tuple(_) | Shape::Any | Shape::Binary | Shape::Mapped(_) => false,
        _ => true,
    }
}

fn unsupported(schemas: &mut SchemaLowering<'_>, pointer: &str, what: &str) {
    schemas.errors.push(SpecError::new(pointer, format!("{what} are not supported yet")));
}

fn path_item_parameters_pointer(path: &str) -> String {
    format!("#/paths/{}/parameters", escape_pointer_token(path))
}

#[cfg(test)]
mod tests {
    use super::super::operations::lower_operations;
    use super::*;

    /// What lowering the operations of a spec gives.
    struct Lowered {
        operations: Vec<Operation>,
        errors: Vec<SpecError>,
        warnings: Vec<SpecError>,
        types: Vec<Option<TypeDef>>,
    }

    /// Lowers the operations of a YAML spec.
    fn lower_spec(yaml: &str) -> Lowered {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(yaml).expect("a valid document");
        let (empty, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&empty, &config);
        let operations = lower_operations(&document, &mut schemas).operations;
        let errors = std::mem::take(&mut schemas.errors);
        let warnings = std::mem::take(&mut schemas.warnings);
        Lowered { operations, errors, warnings, types: schemas.into_types() }
    }

    /// The fields of an operation's params struct.
    fn params_fields<'a>(lowered: &'a Lowered, operation: &Operation) -> &'a [Field] {
        let id = operation.params_type.expect("the operation has parameters");
        match &lowered.types[id.0] {
            Some(TypeDef { kind: TypeKind::Struct(object), .. }) => &object.fields,
            _ => panic!("the params type is a struct"),
        }
    }

    const PATH_MISTAKES: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /codes/{shortCode}/users/{userId}/orders/{orderId}:
    get:
      operationId: getOrder
      parameters:
        - {name: shortCode, in: path, required: true, schema: {type: string}}
        - {name: shortCode, in: query, schema: {type: string}}
        - {name: userid, in: path, required: true, schema: {type: string}}
        - {name: ghost, in: path, required: true, schema: {type: string}}
        - {name: where, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: tracking, in: cookie, schema: {type: string}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {a: {type: string}}}}
      responses:
        '204': {description: Nothing.}
"#;

    #[test]
    fn path_mistakes_are_tolerated_with_warnings() {
        let lowered = lower_spec(PATH_MISTAKES);
        let Lowered { operations, errors, warnings, .. } = &lowered;
        assert!(errors.is_empty(), "{errors:?}");
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        let base = "#/paths/~1codes~1{shortCode}~1users~1{userId}~1orders~1{orderId}/get/parameters";
        assert_eq!(pointers, [format!("{base}/2/name"), format!("{base}/3/name"), base.to_string()]);
        assert!(warnings[1].message.contains("left out"), "{}", warnings[1].message);
        assert!(warnings[2].message.contains("`{orderId}`"), "{}", warnings[2].message);

        let parameters = &operations[0].parameters;
        let fields = params_fields(&lowered, &operations[0]);
        let summary: Vec<(&str, &str, ParameterLocation)> =
            parameters.iter().map(|p| (p.wire_name.as_str(), fields[p.field].rust_name.as_str(), p.location)).collect();
        assert_eq!(
            summary,
            [
                ("shortCode", "short_code", ParameterLocation::Path),
                ("shortCode", "short_code_query", ParameterLocation::Query),
                ("userId", "userid", ParameterLocation::Path),
                ("where", "where_", ParameterLocation::Query),
                ("tracking", "tracking", ParameterLocation::Cookie),
                ("filter", "filter", ParameterLocation::Query),
                ("orderId", "order_id", ParameterLocation::Path),
            ]
        );
        assert_eq!(parameters[3].encoding, ParameterEncoding::Json);
        assert_eq!(parameters[4].encoding, ParameterEncoding::Styled { style: ParameterStyle::Form, explode: true });
        assert_eq!(
            parameters[5].encoding,
            ParameterEncoding::Styled { style: ParameterStyle::DeepObject, explode: true }
        );
    }

    #[test]
    fn binary_parameters_cost_their_operation() {
        let yaml = PATH_MISTAKES.replace(
            "{name: tracking, in: cookie, schema: {type: string}}",
            "{name: tracking, in: cookie, schema: {type: string, format: binary}}",
        );
        let Lowered { operations, errors, warnings, .. } = lower_spec(&yaml);
        assert!(operations.is_empty() && errors.is_empty(), "{errors:?}");
        let refusal = warnings.iter().find(|w| w.pointer.ends_with("/parameters/5/schema"));
        assert!(refusal.is_some_and(|w| w.message.contains("skipped")), "{warnings:?}");
    }

    #[test]
    fn path_templates_are_read_once_braces_and_all() {
        use TemplatePiece::{Placeholder, Text};
        assert_eq!(template_pieces("/a/{{id}}"), [Text("/a/{"), Placeholder("id"), Text("}")]);
        assert_eq!(template_pieces("/a/{id}x{y}"), [Text("/a/"), Placeholder("id"), Text("x"), Placeholder("y")]);
        assert_eq!(template_pieces("/a/{id"), [Text("/a/{id")]);
        assert_eq!(template_pieces("/a/{b{c}/d"), [Text("/a/{b"), Placeholder("c"), Text("/d")]);
        assert_eq!(template_pieces("/a}/{}"), [Text("/a}/"), Placeholder("")]);
        assert_eq!(template_pieces("/plain"), [Text("/plain")]);
    }

    #[test]
    fn path_segments_name_the_parameters_that_fill_them() {
        let lowered = lower_spec(crate::model::ODD_TEMPLATE_SPEC);
        let operation = &lowered.operations[0];
        let fields = params_fields(&lowered, operation);
        let text = |text: &str| PathSegment::Literal(text.to_string());
        // `y` is declared; the two `{id}` are one undeclared placeholder, added after it.
        assert_eq!(
            operation.path_template,
            [
                text("/a/{"),
                PathSegment::Parameter(2),
                text("}/"),
                PathSegment::Parameter(2),
                text("x"),
                PathSegment::Parameter(0),
                text("/{z"),
            ]
        );
        let names: Vec<&str> = operation.parameters.iter().map(|p| fields[p.field].rust_name.as_str()).collect();
        assert_eq!(names, ["y", "y_query", "id"]);
    }
}
