//! What the lowering tests share: a spec lowered with a codegen.toml, and a struct's field.

use openapiv3::OpenAPI;

use crate::config::Config;
use crate::error::SpecError;
use crate::model::{lower_with_config, unused_mappings, Api, Field, TypeKind};

/// Lowers `spec` (YAML) with `config` (codegen.toml text); the warnings include those about
/// config entries naming what the spec lacks.
pub(super) fn lower_with(spec: &str, config: &str) -> (Api, Vec<SpecError>) {
    let document: OpenAPI = serde_yaml::from_str(spec).expect("a valid document");
    let config = Config::parse(std::path::Path::new("codegen.toml"), config).expect("a valid config");
    let (api, mut warnings) = lower_with_config(&document, Some("t"), &config).expect("lowers");
    warnings.extend(unused_mappings(&document, &config));
    (api, warnings)
}

/// The field of the struct `type_name` whose wire name is `name`.
pub(super) fn field<'a>(api: &'a Api, type_name: &str, name: &str) -> &'a Field {
    let def = api.types.iter().find(|def| def.name == type_name).expect("the type");
    let TypeKind::Struct(object) = &def.kind else { panic!("{type_name} is a struct") };
    object.fields.iter().find(|field| field.wire_name == name).expect("the field")
}

/// A spec whose one operation, `getA`, answers with the component schema `answer`, beside the
/// component schemas `schemas` (YAML lines indented by four spaces).
pub(super) fn spec_answering(answer: &str, schemas: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{title: T, version: "1"}}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: The answer.
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/{answer}'}}}}}}
components:
  schemas:
{schemas}"#
    )
}
