//! What a streamed response's items are: from the event's `data`, the schema itself, the items
//! of an array for JSON lines, or codegen.toml; and which request property asks for the stream.

use openapiv3::OpenAPI;

use super::*;
use crate::config::Config;

/// The first operation of `spec` (YAML, after the `paths:` key) lowered with `config`.
fn operation_of(paths: &str, schemas: &str, config: &str) -> (Api, Vec<String>) {
    let spec = format!("{}{paths}components:\n  schemas:\n{schemas}", test_spec!("paths:\n"));
    let document: OpenAPI = serde_yaml::from_str(&spec).expect("a valid document");
    let config = Config::parse(std::path::Path::new("codegen.toml"), config).expect("a valid config");
    let (api, warnings) = lower_with_config(&document, Some("t"), &config).expect("lowers");
    (api, warnings.iter().map(|warning| format!("{}: {}", warning.pointer, warning.message)).collect())
}

/// A POST `/chat` whose 200 lists `content` (YAML flow style), with a body of `Request`.
fn chat(content: &str) -> String {
    format!(
        "  /chat:\n    post:\n      operationId: chat\n      requestBody:\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Request'}}}}}}\n      responses:\n        '200':\n          description: The answer.\n          content: {content}\n"
    )
}

const SCHEMAS: &str = "    Request: {type: object, properties: {prompt: {type: string}, stream: {type: boolean}}}
    Answer: {type: object, properties: {text: {type: string}}}
    Chunk: {type: object, properties: {delta: {type: string}}}
    ChunkEvent: {type: object, required: [data], properties: {data: {$ref: '#/components/schemas/Chunk'}}}
    Sentinel: {type: object, required: [data], properties: {data: {type: string, enum: ['[DONE]']}}}
    Events: {oneOf: [{$ref: '#/components/schemas/ChunkEvent'}, {$ref: '#/components/schemas/Sentinel'}]}
";

fn type_name(api: &Api, value: &ValueType) -> String {
    match value.shape {
        Shape::Named(id) => api.types[id.0].name.clone(),
        ref other => format!("{other:?}"),
    }
}

#[test]
fn an_event_schema_gives_its_data_as_the_item_and_its_sentinel_as_the_end() {
    let content = "{application/json: {schema: {$ref: '#/components/schemas/Answer'}}, text/event-stream: {schema: {$ref: '#/components/schemas/Events'}}}";
    let (api, warnings) = operation_of(&chat(content), SCHEMAS, "");
    let operation = &api.operations[0];
    let stream = operation.stream.as_ref().expect("a stream");
    assert_eq!(stream.framing, StreamFraming::Sse);
    assert_eq!(type_name(&api, stream.item.as_ref().unwrap()), "Chunk");
    assert_eq!(stream.terminator.as_deref(), Some("[DONE]"));
    assert_eq!(stream.flag, Some(StreamFlag { wire_name: "stream".into(), rust_name: "stream".into() }));
    assert!(matches!(&operation.response, Some(ResponseBody::Json(value)) if type_name(&api, value) == "Answer"));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_schema_that_is_not_an_event_is_the_data_itself() {
    let content = "{text/event-stream: {schema: {$ref: '#/components/schemas/Chunk'}}}";
    let (api, _) = operation_of(&chat(content), SCHEMAS, "");
    let operation = &api.operations[0];
    let stream = operation.stream.as_ref().unwrap();
    assert_eq!(type_name(&api, stream.item.as_ref().unwrap()), "Chunk");
    assert_eq!((stream.terminator.as_deref(), &stream.flag), (None, &None), "no JSON answer, so no flag");
    assert!(operation.response.is_none(), "the stream is the only answer");
}

#[test]
fn json_lines_of_an_array_schema_are_its_items_and_untyped_lines_are_json() {
    let content = "{application/x-ndjson: {schema: {type: array, items: {$ref: '#/components/schemas/Chunk'}}}}";
    let (api, _) = operation_of(&chat(content), SCHEMAS, "");
    let stream = api.operations[0].stream.as_ref().unwrap();
    assert_eq!(
        (stream.framing, type_name(&api, stream.item.as_ref().unwrap())),
        (StreamFraming::JsonLines, "Chunk".into())
    );
    let (api, _) = operation_of(&chat("{application/json-seq: {}}"), SCHEMAS, "");
    let stream = api.operations[0].stream.as_ref().unwrap();
    assert_eq!(
        (stream.framing, stream.item.as_ref().map(|item| &item.shape)),
        (StreamFraming::JsonSeq, Some(&Shape::Any))
    );
    // Server-sent events without a schema are handed over raw.
    let (api, _) = operation_of(&chat("{text/event-stream: {}}"), SCHEMAS, "");
    assert_eq!(api.operations[0].stream.as_ref().unwrap().item, None);
}

#[test]
fn codegen_toml_names_the_item_the_end_and_the_flag() {
    let content = "{application/json: {schema: {$ref: '#/components/schemas/Answer'}}, text/event-stream: {}}";
    let config = "[streams.chat]\nitem = \"Chunk\"\nterminator = \"END\"\nflag = \"prompt\"\n";
    let (api, _) = operation_of(&chat(content), SCHEMAS, config);
    let stream = api.operations[0].stream.as_ref().unwrap();
    assert_eq!(type_name(&api, stream.item.as_ref().unwrap()), "Chunk");
    assert_eq!(stream.terminator.as_deref(), Some("END"));
    assert_eq!(stream.flag.as_ref().map(|flag| flag.wire_name.as_str()), Some("prompt"));
    let (api, _) = operation_of(&chat(content), SCHEMAS, "[streams.chat]\nflag = false\n");
    assert_eq!(api.operations[0].stream.as_ref().unwrap().flag, None);
    let (_, warnings) = operation_of(&chat(content), SCHEMAS, "[streams.chat]\nitem = \"Missing\"\nflag = \"nope\"\n");
    assert!(warnings.iter().any(|w| w.contains("`Missing`, which is not a component schema")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("`nope`, which the JSON request body does not have")), "{warnings:?}");
}

#[test]
fn an_item_schema_wins_over_the_schema_of_the_whole_body() {
    let content = "{text/event-stream: {schema: {type: string}, x-item-schema: {$ref: '#/components/schemas/Chunk'}}}";
    let (api, warnings) = operation_of(&chat(content), SCHEMAS, "");
    let stream = api.operations[0].stream.as_ref().unwrap();
    assert_eq!(type_name(&api, stream.item.as_ref().unwrap()), "Chunk");
    assert!(warnings.is_empty(), "{warnings:?}");
}
