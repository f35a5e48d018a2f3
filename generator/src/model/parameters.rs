//! Lowering of path, query, header and cookie parameters.
//!
//! An operation's parameters become one struct, `{OperationId}Params`, declared like any request
//! type (so it gets a builder and validation for free); [`Parameter`] records, per field, where
//! and how the value travels.

use openapiv3::{Parameter as SpecParameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};

use super::naming;
use super::operations::resolve_item;
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// Collects the parameters of an operation: those of its path item, then its own, an operation
/// parameter replacing a path-item parameter with the same name and location.
pub(super) fn lower_parameters(
    document: &openapiv3::OpenAPI,
    schemas: &mut SchemaLowering<'_>,
    path: &str,
    sources: [(&[ReferenceOr<SpecParameter>], String); 2],
    context: &str,
    operation_pointer: &str,
) -> Vec<(Parameter, Field)> {
    let mut collected: Vec<(String, &SpecParameter)> = Vec::new();
    for (parameters, pointer) in &sources {
        for (index, parameter) in parameters.iter().enumerate() {
            let parameter_pointer = format!("{pointer}/{index}");
            let section = document.components.as_ref().map(|c| &c.parameters);
            let Some(parameter) =
                resolve_item(parameter, section, "#/components/parameters/", &parameter_pointer, schemas)
            else {
                continue;
            };
            let key = (parameter.parameter_data_ref().name.clone(), location_of(parameter));
            collected
                .retain(|(_, existing)| (existing.parameter_data_ref().name.clone(), location_of(existing)) != key);
            collected.push((parameter_pointer, parameter));
        }
    }

    let mut lowered: Vec<(Parameter, Field)> = Vec::new();
    let mut field_names = naming::Namespace::with_taken(naming::BUILDER_METHODS.iter().copied());
    let placeholders = placeholders(path);
    for (pointer, parameter) in collected {
        let data = parameter.parameter_data_ref();
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
        let explode = data.explode.unwrap_or(default_explode);
        let context = format!("{context} {}", data.name);
        let (value, json, schema_pointer) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_pointer = format!("{pointer}/schema");
                (schemas.value_of_ref_or(schema, &schema_pointer, &context), false, schema_pointer)
            }
            ParameterSchemaOrContent::Content(content) => {
                let Some((media_type, media)) = content.first() else {
                    schemas.errors.push(SpecError::new(
                        format!("{pointer}/content"),
                        "a parameter's `content` needs one media type with a `schema`",
                    ));
                    continue;
                };
                let media_pointer = format!("{pointer}/content/{}", escape_pointer_token(media_type));
                let Some(schema) = &media.schema else {
                    schemas.errors.push(SpecError::new(media_pointer, "this media type needs a `schema`"));
                    continue;
                };
                let schema_pointer = format!("{media_pointer}/schema");
                (schemas.value_of_ref_or(schema, &schema_pointer, &context), is_json(media_type), schema_pointer)
            }
        };
        if matches!(value.shape, Shape::Binary) {
            unsupported(schemas, &schema_pointer, "binary (`format: binary`) parameters");
            continue;
        }
        let name_is_token = data.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if matches!(location, ParameterLocation::Header | ParameterLocation::Cookie) && !name_is_token {
            let what = if location == ParameterLocation::Header { "HTTP header" } else { "cookie" };
            schemas
                .errors
                .push(SpecError::new(format!("{pointer}/name"), format!("`{}` is not a valid {what} name", data.name)));
            continue;
        }
        let mut wire_name = data.name.clone();
        if location == ParameterLocation::Path && !placeholders.contains(&data.name.as_str()) {
            match placeholders.iter().find(|p| p.eq_ignore_ascii_case(&data.name)) {
                Some(placeholder) => {
                    schemas.warnings.push(SpecError::new(
                        format!("{pointer}/name"),
                        format!(
                            "the path `{path}` spells this parameter `{{{placeholder}}}`; it is sent in that place"
                        ),
                    ));
                    wire_name = placeholder.to_string();
                }
                None => {
                    schemas.warnings.push(SpecError::new(
                        format!("{pointer}/name"),
                        format!(
                            "the path `{path}` has no `{{{}}}` placeholder for this parameter; it is left out",
                            data.name
                        ),
                    ));
                    continue;
                }
            }
        }
        let required = data.required || location == ParameterLocation::Path;
        let simple_style = matches!(
            style,
            ParameterStyle::Form
                | ParameterStyle::SpaceDelimited
                | ParameterStyle::PipeDelimited
                | ParameterStyle::Simple
        );
        let encoding = if json {
            ParameterEncoding::Json
        } else if location != ParameterLocation::Cookie && simple_style && is_simple(&value, schemas) {
            ParameterEncoding::Text
        } else {
            ParameterEncoding::Styled { style, explode }
        };
        let array_style = match style {
            ParameterStyle::Form if location == ParameterLocation::Query && explode => ArrayStyle::Repeat,
            ParameterStyle::SpaceDelimited => ArrayStyle::Space,
            ParameterStyle::PipeDelimited => ArrayStyle::Pipe,
            _ => ArrayStyle::Comma,
        };
        // A name two locations share (a path and a query `id`) tells them apart by location.
        let mut rust_name = naming::snake_name(&data.name);
        if field_names.is_taken(&rust_name) {
            rust_name = format!("{}_{}", rust_name.trim_end_matches('_'), location_of(parameter));
        }
        let rust_name = field_names.claim(rust_name);
        // The params struct's own (serde) name must be unique too.
        let field_wire_name = if lowered.iter().any(|(_, field)| field.wire_name == wire_name) {
            rust_name.clone()
        } else {
            wire_name.clone()
        };
        let field = Field {
            wire_name: field_wire_name,
            rust_name: rust_name.clone(),
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            required,
            sensitive: false,
            secret: false,
            tri_state: false,
            access: Access::ReadWrite,
            boxed: false,
            value,
        };
        lowered.push((Parameter { wire_name, rust_name, location, style: array_style, encoding }, field));
    }

    for placeholder in placeholders {
        let declared = lowered.iter().any(|(p, _)| p.location == ParameterLocation::Path && p.wire_name == placeholder);
        if declared {
            continue;
        }
        schemas.warnings.push(SpecError::new(
            format!("{operation_pointer}/parameters"),
            format!(
                "the path placeholder `{{{placeholder}}}` has no path parameter; it is taken as a required string \
                 (declare it with `in: path`)"
            ),
        ));
        let rust_name = field_names.claim(naming::snake_name(placeholder));
        let field = Field {
            wire_name: placeholder.to_string(),
            rust_name: rust_name.clone(),
            doc: Some(format!("The `{{{placeholder}}}` segment of the path (not declared by the spec).")),
            deprecated: false,
            required: true,
            sensitive: false,
            secret: false,
            tri_state: false,
            access: Access::ReadWrite,
            boxed: false,
            value: ValueType { shape: Shape::String(StringRules::default()), nullable: false },
        };
        let parameter = Parameter {
            wire_name: placeholder.to_string(),
            rust_name,
            location: ParameterLocation::Path,
            style: ArrayStyle::Comma,
            encoding: ParameterEncoding::Text,
        };
        lowered.push((parameter, field));
    }
    lowered
}

/// The names between braces in a path template.
pub fn placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
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

pub(super) fn parameters_pointer(pointer: &str) -> String {
    format!("{pointer}/parameters")
}

pub(super) fn path_item_parameters_pointer(path: &str) -> String {
    format!("#/paths/{}/parameters", escape_pointer_token(path))
}

#[cfg(test)]
mod tests {
    use super::super::operations::lower_operations;
    use super::*;

    /// Lowers the operations of a YAML spec: (operations, errors, warnings).
    fn lower_spec(yaml: &str) -> (Vec<Operation>, Vec<SpecError>, Vec<SpecError>) {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(yaml).expect("a valid document");
        let (empty, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&empty, &config);
        let lowered = lower_operations(&document, &mut schemas);
        (lowered.operations, schemas.errors, schemas.warnings)
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
        let (operations, errors, warnings) = lower_spec(PATH_MISTAKES);
        assert!(errors.is_empty(), "{errors:?}");
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        let base = "#/paths/~1codes~1{shortCode}~1users~1{userId}~1orders~1{orderId}/get/parameters";
        assert_eq!(pointers, [format!("{base}/2/name"), format!("{base}/3/name"), base.to_string()]);
        assert!(warnings[1].message.contains("left out"), "{}", warnings[1].message);
        assert!(warnings[2].message.contains("`{orderId}`"), "{}", warnings[2].message);

        let parameters = &operations[0].parameters;
        let summary: Vec<(&str, &str, ParameterLocation)> =
            parameters.iter().map(|p| (p.wire_name.as_str(), p.rust_name.as_str(), p.location)).collect();
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
        let (operations, errors, warnings) = lower_spec(&yaml);
        assert!(operations.is_empty() && errors.is_empty(), "{errors:?}");
        let refusal = warnings.iter().find(|w| w.pointer.ends_with("/parameters/5/schema"));
        assert!(refusal.is_some_and(|w| w.message.contains("skipped")), "{warnings:?}");
    }
}
