use std::path::Path;

use openapiv3::{Parameter, PathStyle, QueryStyle, ReferenceOr, SecurityScheme};
use serde_json::{json, Value as Json};

use crate::load::normalize::{document, Normalizer};
use crate::load::test_support::{parse_ok, warnings};
use crate::load::{parse, Loaded};

/// Loads a Swagger 2.0 document whose lines after `info` are `body`.
fn load(body: &str) -> Loaded {
    parse_ok(&format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{body}"))
}

/// Loads a Swagger 2.0 document as [`load`] does, with the result as JSON to compare parts of
/// it by pointer.
fn convert(body: &str) -> (Loaded, Json) {
    let loaded = load(body);
    let document = json_of(&loaded);
    (loaded, document)
}

/// The loaded document as JSON.
fn json_of(loaded: &Loaded) -> Json {
    serde_json::to_value(&loaded.document).unwrap()
}

fn at<'a>(document: &'a Json, pointer: &str) -> &'a Json {
    document.pointer(pointer).unwrap_or_else(|| panic!("nothing at {pointer} in {document:#}"))
}

fn assert_warned(loaded: &Loaded, expected: &[&str]) {
    let warnings = warnings(loaded);
    for expected in expected {
        assert!(warnings.iter().any(|warning| warning.starts_with(expected)), "{expected}\n{warnings:#?}");
    }
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
}

fn parameters(loaded: &Loaded, path: &str, method: &str) -> Vec<Parameter> {
    let ReferenceOr::Item(item) = &loaded.document.paths.paths[path] else { panic!("{path} is a reference") };
    let operation = item.iter().find(|(name, _)| *name == method).map(|(_, operation)| operation).unwrap();
    operation.parameters.iter().map(|parameter| parameter.as_item().unwrap().clone()).collect()
}

#[test]
fn definitions_and_references_move_under_components() {
    let (loaded, document) = convert(
        "paths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      id: {type: integer}\n      friend: {$ref: '#/definitions/Pet'}\n      tags:\n        type: array\n        items: {$ref: '#/definitions/Tag'}\n        x-data: {$ref: '#/definitions/Pet'}\n    example: {$ref: '#/definitions/Pet'}\n  Tag: {type: string}\n",
    );
    assert_eq!(loaded.document.openapi, "3.0.3");
    assert_eq!(at(&document, "/components/schemas/Pet/properties/friend/$ref"), "#/components/schemas/Pet");
    assert_eq!(at(&document, "/components/schemas/Pet/properties/tags/items/$ref"), "#/components/schemas/Tag");
    // Data and extensions are not references.
    assert_eq!(at(&document, "/components/schemas/Pet/example/$ref"), "#/definitions/Pet");
    assert_eq!(at(&document, "/components/schemas/Pet/properties/tags/x-data/$ref"), "#/definitions/Pet");
    assert_eq!(loaded.origins.translate("#/components/schemas/Pet/properties/id"), "#/definitions/Pet/properties/id");
    assert_warned(&loaded, &[]);
}

#[test]
fn escaped_references_name_definitions_parameters_and_responses() {
    let (loaded, document) = convert(
        "produces: [application/json]\npaths:\n  /p:\n    post:\n      produces: [text/plain]\n      parameters:\n        - {$ref: '#/parameters/b~1ody'}\n        - {$ref: '#/parameters/q~0x'}\n      responses:\n        '200': {$ref: '#/responses/o~1k'}\ndefinitions:\n  a/b: {type: object, properties: {self: {$ref: '#/definitions/a~1b'}}}\nparameters:\n  b/ody: {name: b, in: body, schema: {$ref: '#/definitions/a~1b'}}\n  q~x: {name: q, in: query, type: string}\nresponses:\n  o/k: {description: ok, schema: {$ref: '#/definitions/a~1b'}}\n",
    );
    assert_eq!(at(&document, "/components/schemas/a~1b/properties/self/$ref"), "#/components/schemas/a~1b");
    // The body parameter is found by its unescaped name and becomes the request body.
    assert_eq!(at(&document, "/paths/~1p/post/requestBody/$ref"), "#/components/requestBodies/b~1ody");
    assert_eq!(at(&document, "/paths/~1p/post/parameters/0/$ref"), "#/components/parameters/q~0x");
    // The response is found by its unescaped name and inlined under the operation's media type.
    assert_eq!(
        at(&document, "/paths/~1p/post/responses/200/content/text~1plain/schema/$ref"),
        "#/components/schemas/a~1b"
    );
    assert_warned(&loaded, &[]);
}

#[test]
fn a_body_parameter_becomes_the_request_body_under_each_consumed_media_type() {
    let (loaded, document) = convert(
        "paths:\n  /pets:\n    post:\n      consumes: [application/json, application/xml]\n      parameters:\n        - {name: pet, in: body, required: true, description: The pet., x-kind: new, schema: {type: object}}\n        - {name: dry, in: query, type: boolean}\n      responses: {'204': {description: done}}\n    put:\n      parameters:\n        - {name: pet, in: body, schema: {type: string}}\n      responses: {'204': {description: done}}\n",
    );
    let body = at(&document, "/paths/~1pets/post/requestBody");
    assert_eq!(
        body,
        &json!({"description": "The pet.", "required": true, "x-kind": "new", "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/xml": {"schema": {"type": "object"}}}})
    );
    // Without `consumes`, JSON.
    assert_eq!(
        at(&document, "/paths/~1pets/put/requestBody/content"),
        &json!({"application/json": {"schema": {"type": "string"}}})
    );
    let post = parameters(&loaded, "/pets", "post");
    assert_eq!(post.len(), 1);
    assert_eq!(post[0].parameter_data_ref().name, "dry");
    assert!(at(&document, "/paths/~1pets/post").get("consumes").is_none());
    let origins = &loaded.origins;
    assert_eq!(origins.translate("#/paths/~1pets/post/parameters/0/schema"), "#/paths/~1pets/post/parameters/1");
    assert_eq!(
        origins.translate("#/paths/~1pets/post/requestBody/content/application~1xml/schema/properties"),
        "#/paths/~1pets/post/parameters/0/schema/properties"
    );
    assert_eq!(
        origins.translate("#/paths/~1pets/post/requestBody/description"),
        "#/paths/~1pets/post/parameters/0/description"
    );
    assert_warned(&loaded, &[]);
}

#[test]
fn form_parameters_become_one_object_schema() {
    let (loaded, document) = convert(
        "paths:\n  /url:\n    post:\n      parameters:\n        - {name: a, in: formData, type: string, required: true, description: The a.}\n        - {name: b, in: formData, type: array, items: {type: integer}}\n        - {name: c, in: formData, type: array, items: {type: integer}, collectionFormat: multi}\n      responses: {'204': {description: done}}\n  /file:\n    post:\n      parameters:\n        - {name: f, in: formData, type: file}\n      responses: {'204': {description: done}}\n  /both:\n    post:\n      consumes: [multipart/form-data, application/x-www-form-urlencoded]\n      parameters:\n        - {name: a, in: formData, type: string}\n      responses: {'204': {description: done}}\n",
    );
    assert_eq!(
        at(&document, "/paths/~1url/post/requestBody"),
        &json!({"required": true, "content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "string", "description": "The a."},
                "b": {"type": "array", "items": {"type": "integer"}},
                "c": {"type": "array", "items": {"type": "integer"}}}},
            "encoding": {"b": {"style": "form", "contentType": null}}}}})
    );
    assert_eq!(
        at(&document, "/paths/~1file/post/requestBody/content"),
        &json!({"multipart/form-data": {"schema": {"type": "object", "properties": {
            "f": {"type": "string", "format": "binary"}}}}})
    );
    let ReferenceOr::Item(item) = &loaded.document.paths.paths["/both"] else { panic!("a path item") };
    let Some(ReferenceOr::Item(both)) = item.post.as_ref().and_then(|post| post.request_body.as_ref()) else {
        panic!("a request body")
    };
    assert_eq!(both.content.keys().collect::<Vec<_>>(), ["multipart/form-data", "application/x-www-form-urlencoded"]);
    assert!(at(&document, "/paths/~1url/post").get("parameters").is_none());
    assert_eq!(
        loaded.origins.translate(
            "#/paths/~1url/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/b/items"
        ),
        "#/paths/~1url/post/parameters/1/items"
    );
    assert_warned(&loaded, &[]);
}

#[test]
fn parameter_keywords_move_under_schema_and_collection_formats_become_styles() {
    let loaded = load(
        "paths:\n  /a/{p}:\n    get:\n      parameters:\n        - {name: p, in: path, required: true, type: array, items: {type: string}}\n        - {name: csv, in: query, type: array, items: {type: string, enum: [x, y]}, maxItems: 3}\n        - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi}\n        - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}\n        - {name: pipes, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n        - {name: tsv, in: query, type: array, items: {type: string}, collectionFormat: tsv}\n        - {name: H, in: header, type: array, items: {type: string}, collectionFormat: ssv}\n        - {name: n, in: query, type: array, items: {type: array, items: {type: integer}, collectionFormat: pipes}}\n        - {name: i, in: query, type: integer, minimum: 1, default: 2, x-nullable: true, x-doc: kept, allowEmptyValue: true}\n      responses: {'204': {description: done}}\n",
    );
    let styles: Vec<(String, String, Option<bool>)> = parameters(&loaded, "/a/{p}", "get")
        .iter()
        .map(|parameter| {
            let style = match parameter {
                Parameter::Query { style: QueryStyle::Form, .. } => "form",
                Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => "spaceDelimited",
                Parameter::Query { style: QueryStyle::PipeDelimited, .. } => "pipeDelimited",
                Parameter::Path { style: PathStyle::Simple, .. } | Parameter::Header { .. } => "simple",
                other => panic!("{other:?}"),
            };
            let data = parameter.parameter_data_ref();
            (data.name.clone(), style.to_string(), data.explode)
        })
        .collect();
    let expected = [
        ("p", "simple", None),
        ("csv", "form", Some(false)),
        ("multi", "form", Some(true)),
        ("ssv", "spaceDelimited", Some(false)),
        ("pipes", "pipeDelimited", Some(false)),
        ("tsv", "form", Some(false)),
        ("H", "simple", None),
        ("n", "form", Some(false)),
        ("i", "form", None),
    ];
    let expected: Vec<_> = expected.iter().map(|(n, s, e)| (n.to_string(), s.to_string(), *e)).collect();
    assert_eq!(styles, expected);
    let document = json_of(&loaded);
    let parameter = at(&document, "/paths/~1a~1{p}/get/parameters/1");
    assert_eq!(
        parameter["schema"],
        json!({"type": "array", "items": {"type": "string", "enum": ["x", "y"]}, "maxItems": 3})
    );
    let integer = at(&document, "/paths/~1a~1{p}/get/parameters/8");
    assert_eq!(integer["schema"], json!({"type": "integer", "minimum": 1, "default": 2, "nullable": true}));
    assert_eq!((&integer["x-doc"], &integer["allowEmptyValue"]), (&json!("kept"), &json!(true)));
    assert_eq!(
        at(&document, "/paths/~1a~1{p}/get/parameters/7/schema/items"),
        &json!({"type": "array", "items": {"type": "integer"}})
    );
    assert_eq!(
        loaded.origins.translate("#/paths/~1a~1{p}/get/parameters/1/schema/items"),
        "#/paths/~1a~1{p}/get/parameters/1/items"
    );
    assert_warned(
        &loaded,
        &[
            "at #/paths/~1a~1{p}/get/parameters/5/collectionFormat: collectionFormat `tsv` (tab-separated) has no OpenAPI 3.0 style",
            "at #/paths/~1a~1{p}/get/parameters/6/collectionFormat: collectionFormat `ssv` is only allowed in query",
            "at #/paths/~1a~1{p}/get/parameters/7/items/collectionFormat: OpenAPI 3.0 has no style for arrays inside arrays",
        ],
    );
}

#[test]
fn top_level_parameters_and_responses_become_components() {
    let (loaded, document) = convert(
        "parameters:\n  Limit: {name: limit, in: query, type: integer}\n  Pet: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}\n  Note: {name: note, in: formData, type: string}\nresponses:\n  Error: {description: failed, schema: {$ref: '#/definitions/Pet'}}\npaths:\n  /pets:\n    post:\n      parameters:\n        - $ref: '#/parameters/Limit'\n        - $ref: '#/parameters/Pet'\n      responses: {default: {$ref: '#/responses/Error'}}\n    put:\n      consumes: [application/xml]\n      produces: [application/xml]\n      parameters: [{$ref: '#/parameters/Pet'}]\n      responses: {default: {$ref: '#/responses/Error'}}\n  /notes:\n    post:\n      parameters: [{$ref: '#/parameters/Note'}]\n      responses: {'204': {description: done}}\ndefinitions:\n  Pet: {type: object}\n",
    );
    let components = at(&document, "/components");
    assert_eq!(components["parameters"]["Limit"]["schema"], json!({"type": "integer"}));
    assert!(components["parameters"].get("Pet").is_none() && components["parameters"].get("Note").is_none());
    assert_eq!(
        components["requestBodies"]["Pet"],
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
    );
    assert_eq!(
        components["responses"]["Error"],
        json!({"description": "failed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
    );
    let post = at(&document, "/paths/~1pets/post");
    assert_eq!(post["parameters"], json!([{"$ref": "#/components/parameters/Limit"}]));
    assert_eq!(post["requestBody"], json!({"$ref": "#/components/requestBodies/Pet"}));
    assert_eq!(post["responses"]["default"], json!({"$ref": "#/components/responses/Error"}));
    // Other media types than the document's: the component is inlined with them.
    let put = at(&document, "/paths/~1pets/put");
    assert_eq!(put["requestBody"]["content"]["application/xml"]["schema"]["$ref"], "#/components/schemas/Pet");
    assert_eq!(put["responses"]["default"]["content"]["application/xml"]["schema"]["$ref"], "#/components/schemas/Pet");
    // Form parameters are inlined where they are used.
    assert_eq!(
        at(&document, "/paths/~1notes/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties"),
        &json!({"note": {"type": "string"}})
    );
    let origins = &loaded.origins;
    assert_eq!(origins.translate("#/components/parameters/Limit/schema"), "#/parameters/Limit");
    assert_eq!(
        origins.translate("#/components/requestBodies/Pet/content/application~1json/schema"),
        "#/parameters/Pet/schema"
    );
    assert_eq!(
        origins.translate("#/components/responses/Error/content/application~1json/schema"),
        "#/responses/Error/schema"
    );
    assert_eq!(origins.translate("#/paths/~1pets/put/requestBody"), "#/parameters/Pet");
    assert_eq!(origins.translate("#/paths/~1pets/post/requestBody"), "#/paths/~1pets/post/parameters/1");
    assert_warned(&loaded, &[]);
}

#[test]
fn path_item_body_and_form_parameters_apply_to_each_operation() {
    let (loaded, document) = convert(
        "paths:\n  /a:\n    parameters:\n      - {name: body, in: body, schema: {type: string}}\n      - {name: q, in: query, type: string}\n    post:\n      responses: {'204': {description: done}}\n    put:\n      parameters: [{name: own, in: body, schema: {type: integer}}]\n      responses: {'204': {description: done}}\n  /b:\n    parameters:\n      - {name: x, in: formData, type: string}\n      - {name: y, in: formData, type: string}\n    post:\n      parameters: [{name: y, in: formData, type: integer}]\n      responses: {'204': {description: done}}\n",
    );
    assert_eq!(
        at(&document, "/paths/~1a/post/requestBody/content/application~1json/schema"),
        &json!({"type": "string"})
    );
    assert_eq!(
        at(&document, "/paths/~1a/put/requestBody/content/application~1json/schema"),
        &json!({"type": "integer"})
    );
    assert_eq!(
        at(&document, "/paths/~1a/parameters"),
        &json!([{"name": "q", "in": "query", "style": "form", "schema": {"type": "string"}}])
    );
    assert_eq!(loaded.origins.translate("#/paths/~1a/parameters/0"), "#/paths/~1a/parameters/1");
    assert_eq!(
        at(&document, "/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties"),
        &json!({"x": {"type": "string"}, "y": {"type": "integer"}})
    );
    assert_warned(&loaded, &[]);
}

#[test]
fn responses_get_content_examples_and_header_schemas() {
    let (loaded, document) = convert(
        "produces: [application/json, application/xml]\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema: {type: string}\n          examples: {application/json: hello, text/plain: hi}\n          headers:\n            X-Ids: {type: array, items: {type: integer}, description: The ids.}\n            X-Rate: {type: integer}\n        '404': {description: missing}\n        '400': {description: bad, examples: {application/json: {error: x}}}\n        x-note: ignored\n",
    );
    let ok = at(&document, "/paths/~1a/get/responses/200");
    assert_eq!(
        ok["content"],
        json!({
            "application/json": {"schema": {"type": "string"}, "example": "hello"},
            "application/xml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}, "example": "hi"}})
    );
    assert_eq!(
        ok["headers"]["X-Ids"],
        json!({"description": "The ids.", "style": "simple", "schema": {"type": "array", "items": {"type": "integer"}}})
    );
    assert_eq!(ok["headers"]["X-Rate"]["schema"], json!({"type": "integer"}));
    assert!(at(&document, "/paths/~1a/get/responses/404").get("content").is_none());
    assert_eq!(
        at(&document, "/paths/~1a/get/responses/400/content"),
        &json!({"application/json": {"example": {"error": "x"}}})
    );
    let origins = &loaded.origins;
    assert_eq!(
        origins.translate("#/paths/~1a/get/responses/200/content/application~1xml/schema"),
        "#/paths/~1a/get/responses/200/schema"
    );
    assert_eq!(
        origins.translate("#/paths/~1a/get/responses/200/content/text~1plain/example"),
        "#/paths/~1a/get/responses/200/examples/text~1plain"
    );
    assert_eq!(
        origins.translate("#/paths/~1a/get/responses/200/headers/X-Ids/schema/items"),
        "#/paths/~1a/get/responses/200/headers/X-Ids/items"
    );
    assert_warned(&loaded, &[]);
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    let urls = |loaded: &Loaded| loaded.document.servers.iter().map(|server| server.url.clone()).collect::<Vec<_>>();
    let both = load("host: api.test\nbasePath: /v1/\nschemes: [http, https]\npaths: {}\n");
    assert_eq!(urls(&both), ["http://api.test/v1", "https://api.test/v1"]);
    assert_eq!(urls(&load("host: api.test:8080\npaths: {}\n")), ["https://api.test:8080"]);
    assert_eq!(urls(&load("basePath: /v2\npaths: {}\n")), ["/v2"]);
    assert!(urls(&load("basePath: /\npaths: {}\n")).is_empty());
    let own = load(
        "host: api.test\nschemes: [https]\npaths:\n  /ws:\n    get:\n      schemes: [wss]\n      responses: {'101': {description: upgraded}}\n    post:\n      schemes: [https]\n      responses: {'204': {description: done}}\n",
    );
    let document = json_of(&own);
    assert_eq!(at(&document, "/paths/~1ws/get/servers"), &json!([{"url": "wss://api.test"}]));
    assert!(at(&document, "/paths/~1ws/post").get("servers").is_none());
    for key in ["host", "basePath", "schemes", "swagger", "consumes", "produces"] {
        assert!(document.get(key).is_none(), "{key}");
    }
    assert_warned(&own, &[]);
}

#[test]
fn security_definitions_become_security_schemes() {
    let (loaded, document) = convert(
        "paths: {}\nsecurityDefinitions:\n  basic: {type: basic, description: Who you are.}\n  key: {type: apiKey, name: X-Key, in: header}\n  implicit: {type: oauth2, flow: implicit, authorizationUrl: 'https://a.test/auth', scopes: {read: Read.}}\n  password: {type: oauth2, flow: password, tokenUrl: 'https://a.test/token'}\n  application: {type: oauth2, flow: application, tokenUrl: 'https://a.test/token', scopes: {}}\n  code: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a.test/auth', tokenUrl: 'https://a.test/token', scopes: {}}\n  odd: {type: oauth2, flow: device}\nsecurity: [{basic: []}, {implicit: [read]}]\n",
    );
    let schemes = at(&document, "/components/securitySchemes");
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic", "description": "Who you are."}));
    assert_eq!(schemes["key"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
    assert_eq!(
        schemes["implicit"]["flows"],
        json!({"implicit": {"authorizationUrl": "https://a.test/auth", "scopes": {"read": "Read."}}})
    );
    assert_eq!(schemes["password"]["flows"], json!({"password": {"tokenUrl": "https://a.test/token", "scopes": {}}}));
    assert_eq!(
        schemes["application"]["flows"],
        json!({"clientCredentials": {"tokenUrl": "https://a.test/token", "scopes": {}}})
    );
    assert_eq!(
        schemes["code"]["flows"],
        json!({"authorizationCode": {"authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": {}}})
    );
    let components = loaded.document.components.as_ref().unwrap();
    assert!(matches!(&components.security_schemes["odd"], ReferenceOr::Item(SecurityScheme::OAuth2 { .. })));
    assert_eq!(loaded.document.security.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        loaded.origins.translate("#/components/securitySchemes/code/flows/authorizationCode/tokenUrl"),
        "#/securityDefinitions/code/tokenUrl"
    );
    assert_eq!(loaded.origins.translate("#/components/securitySchemes/key/name"), "#/securityDefinitions/key/name");
    assert_warned(&loaded, &["at #/securityDefinitions/odd: oauth2 with flow `device` names no OAuth 2.0 flow"]);
}

#[test]
fn lossy_conversions_warn_at_the_original_node() {
    let (loaded, document) = convert(
        "paths:\n  /a:\n    post:\n      consumes: [multipart/form-data]\n      parameters:\n        - {name: x, in: formData, type: array, items: {type: string}, collectionFormat: csv}\n        - {name: b, in: body, schema: {type: string}}\n        - {name: c, in: body, schema: {type: string}}\n      responses: {'204': {description: done}}\n  /b:\n    post:\n      parameters:\n        - {name: b, in: body}\n      responses: {'200': {description: ok, examples: text}}\n",
    );
    assert_eq!(
        at(&document, "/paths/~1a/post/requestBody/content"),
        &json!({"multipart/form-data": {"schema": {"type": "string"}}})
    );
    assert_eq!(at(&document, "/paths/~1b/post/requestBody/content/application~1json/schema"), &json!({}));
    assert_warned(
        &loaded,
        &[
            "at #/paths/~1a/post/parameters/2: there can be only one body parameter",
            "at #/paths/~1a/post/parameters/0: an operation has either a body parameter or form parameters",
            "at #/paths/~1b/post/parameters/0: this body parameter has no `schema`",
            "at #/paths/~1b/post/responses/200/examples: response `examples` must map media types",
        ],
    );
    // A parameter repair rejects is named where it was written, not where it moved.
    let rejected = parse(
        Path::new("spec.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /b:\n    post:\n      parameters:\n        - {name: b, in: body, schema: {}}\n        - {in: query, type: string}\n      responses: {}\n",
    );
    let reported = match rejected {
        Ok(loaded) => warnings(&loaded).join("\n"),
        Err(error) => error.to_string(),
    };
    assert!(reported.contains("at #/paths/~1b/post/parameters/1: this parameter has no `name`"), "{reported}");
}

#[test]
fn malformed_documents_do_not_panic() {
    let bodies = [
        "paths: []\n",
        "paths: {/a: 3, x-y: {get: 1}}\nparameters: []\nresponses: 4\ndefinitions: x\nsecurityDefinitions: [1]\n",
        "consumes: 5\nproduces: {a: b}\nschemes: [1, http]\nhost: [x]\nbasePath: 7\npaths: {}\n",
        "paths:\n  /a:\n    parameters: {x: 1}\n    get:\n      parameters: [1, [2], {$ref: 3}, {$ref: '#/parameters/missing'}, {in: formData}, {name: f, in: formData, type: array, collectionFormat: 9}]\n      responses: [1]\n",
        "paths:\n  /a:\n    get:\n      responses:\n        '200': {schema: 1, examples: {1: 2}, headers: {X: 1, Y: {type: array, collectionFormat: [1]}}, content: 3}\n        '201': 7\n",
        "parameters: {P: {in: body}, Q: 3, R: {in: formData}}\npaths:\n  /a:\n    post:\n      parameters: [{$ref: '#/parameters/P'}, {$ref: '#/parameters/R'}, {$ref: '#/parameters/Q'}]\n      consumes: [application/xml]\n      responses: {}\n",
        "securityDefinitions: {a: {type: oauth2}, b: {type: basic}, c: {type: 3}, d: 4}\npaths: {}\n",
        "components: {schemas: {A: {}}}\ndefinitions: {A: {type: string}, B: {}}\nservers: [{url: /x}]\nhost: h\npaths: {}\n",
    ];
    for body in bodies {
        let text = format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{body}");
        let _ = parse(Path::new("spec.yaml"), &text);
        let mut tree: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let _: Result<Normalizer, _> = document(&mut tree);
    }
    for scalar in ["swagger: '2.0'", "[1, 2]", "7"] {
        let _ = document(&mut serde_yaml::from_str(scalar).unwrap());
    }
}

#[test]
fn the_fixture_converts_without_warnings() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/swagger2/openapi.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else { return };
    let loaded = parse(&path, &text).unwrap_or_else(|error| panic!("{error}"));
    assert!(loaded.warnings.is_empty(), "{:#?}", warnings(&loaded));
    let document = json_of(&loaded);
    assert_eq!(at(&document, "/servers"), &json!([{"url": "https://api.example.test/v2"}]));
    assert_eq!(
        at(&document, "/paths/~1notes/post/requestBody"),
        &json!({"$ref": "#/components/requestBodies/NoteBody"})
    );
}

#[test]
fn a_produced_stream_without_a_schema_stays_as_untyped_content() {
    let (_, document) = convert(
        "paths:\n  /events:\n    get:\n      produces: [application/json, text/event-stream]\n      responses:\n        '200': {description: events}\n",
    );
    // Only the stream: a JSON body without a schema is still no body.
    assert_eq!(at(&document, "/paths/~1events/get/responses/200/content"), &json!({"text/event-stream": {}}));
}
