//! Lowering of path, query and header parameters.
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

    let mut lowered = Vec::new();
    let mut field_names = naming::Namespace::new();
    for (pointer, parameter) in collected {
        let data = parameter.parameter_data_ref();
        let (location, style) = match parameter {
            SpecParameter::Path { style: PathStyle::Simple, .. } => (ParameterLocation::Path, ArrayStyle::Comma),
            SpecParameter::Query { style, .. } => {
                let style = match style {
                    QueryStyle::Form if data.explode.unwrap_or(true) => ArrayStyle::Repeat,
                    QueryStyle::Form => ArrayStyle::Comma,
                    QueryStyle::SpaceDelimited => ArrayStyle::Space,
                    QueryStyle::PipeDelimited => ArrayStyle::Pipe,
                    QueryStyle::DeepObject => {
                        unsupported(schemas, &pointer, "`style: deepObject` query parameters");
                        continue;
                    }
                };
                (ParameterLocation::Query, style)
            }
            SpecParameter::Header { .. } => (ParameterLocation::Header, ArrayStyle::Comma),
            SpecParameter::Path { .. } => {
                unsupported(schemas, &pointer, "`matrix` and `label` path parameters");
                continue;
            }
            SpecParameter::Cookie { .. } => {
                unsupported(schemas, &pointer, "cookie parameters");
                continue;
            }
        };
        let schema_pointer = format!("{pointer}/schema");
        let value = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                schemas.value_of_ref_or(schema, &schema_pointer, &format!("{context} {}", data.name))
            }
            ParameterSchemaOrContent::Content(_) => {
                unsupported(schemas, &pointer, "parameters described by `content`");
                continue;
            }
        };
        if !is_simple(&value, schemas) {
            unsupported(schemas, &schema_pointer, "object-valued parameters");
            continue;
        }
        if location == ParameterLocation::Header
            && !data.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            schemas.errors.push(SpecError::new(
                format!("{pointer}/name"),
                format!("`{}` is not a valid HTTP header name", data.name),
            ));
            continue;
        }
        let required = data.required || location == ParameterLocation::Path;
        if location == ParameterLocation::Path && !path.contains(&format!("{{{}}}", data.name)) {
            schemas.errors.push(SpecError::new(
                format!("{pointer}/name"),
                format!("the path `{path}` has no `{{{}}}` placeholder for this parameter", data.name),
            ));
            continue;
        }
        let rust_name = field_names.claim(naming::snake_name(&data.name));
        let field = Field {
            wire_name: data.name.clone(),
            rust_name: rust_name.clone(),
            doc: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            required,
            sensitive: false,
            access: Access::ReadWrite,
            boxed: false,
            value,
        };
        lowered.push((Parameter { wire_name: data.name.clone(), rust_name, location, style }, field));
    }

    for placeholder in placeholders(path) {
        let declared = lowered.iter().any(|(p, _)| p.location == ParameterLocation::Path && p.wire_name == placeholder);
        if !declared {
            schemas.errors.push(SpecError::new(
                format!("{operation_pointer}/parameters"),
                format!("the path placeholder `{{{placeholder}}}` has no path parameter; declare it with `in: path`"),
            ));
        }
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

/// Whether a value can be written as parameter text: a scalar, a string enum, or an array of them.
fn is_simple(value: &ValueType, schemas: &SchemaLowering<'_>) -> bool {
    match &value.shape {
        Shape::Array { items, .. } => !matches!(items.shape, Shape::Array { .. }) && is_simple(items, schemas),
        Shape::Named(id) => schemas.is_enum(*id),
        Shape::Map { .. } | Shape::Any | Shape::Binary => false,
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
