//! The client generated for the `bodies` fixture against a local mock server: request bodies of
//! media types other than JSON go out with their `Content-Type` and exactly the caller's bytes,
//! and text and binary responses come back as the server sent them.

use fixture_bodies::types::{
    GetJobParams, GetJobSuccess, Note, PatchNoteParams, PublishCertificateContentType, StoreBlobContentType, Stored,
    UploadFileParams,
};
use fixture_bodies::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::none()).build().expect("the client builds")
}

/// The single request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
    requests.remove(0)
}

/// The request's `Content-Type`, if it has one.
fn content_type(request: &Request) -> Option<String> {
    let values: Vec<String> = request
        .headers
        .get_all("content-type")
        .iter()
        .map(|v| v.to_str().expect("header value is text").to_string())
        .collect();
    assert!(values.len() <= 1, "at most one Content-Type is sent, got {values:?}");
    values.into_iter().next()
}

/// A server answering `verb path` with `response`.
async fn server_answering(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb)).and(path(route)).respond_with(response).expect(1).mount(&server).await;
    server
}

/// Bytes that are not UTF-8, so that nothing on the way may treat them as text.
const RAW: &[u8] = &[0x00, 0x9f, 0x92, 0x96, 0xff, b'\r', b'\n', 0x80];

#[tokio::test]
async fn octet_stream_body_is_sent_as_the_exact_bytes() {
    let server =
        server_answering("PUT", "/files/a%20b", ResponseTemplate::new(201).set_body_json(json!({"id": "f1"}))).await;
    let params = UploadFileParams::builder().name("a b").build().expect("valid parameters");

    let stored = client(&server).upload_file(&params, RAW.to_vec()).await.expect("the call succeeds");
    assert_eq!(stored, Stored { id: "f1".into(), size: None });

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/octet-stream"));
    assert_eq!(request.body, RAW);
}

#[tokio::test]
async fn non_json_error_bodies_are_reported_with_their_status() {
    let params = UploadFileParams::builder().name("f").build().expect("valid parameters");
    let cases = [(400, "text/plain", "name is taken"), (500, "text/html", "<html><body>Internal error</body></html>")];
    for (status, media_type, text) in cases {
        let server =
            server_answering("PUT", "/files/f", ResponseTemplate::new(status).set_body_raw(text, media_type)).await;
        let error = client(&server).upload_file(&params, &b"x"[..]).await.expect_err("the call fails");
        let error_text = format!("{error} {error:?}");
        match error {
            Error::UnexpectedStatus { status: got, body, .. } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(body.excerpt(), text, "the error keeps the start of the body, on request");
                assert!(!format!("{error_text} {body:?}").contains(text), "but never shows it");
            }
            other => panic!("expected an unexpected status for {status}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn image_body_is_sent_as_its_media_type() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let server = server_answering("PUT", "/avatar", ResponseTemplate::new(204)).await;

    client(&server).set_avatar(png).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("image/png"));
    assert_eq!(request.body, png);
}

#[tokio::test]
async fn optional_pdf_body_is_sent_when_given_and_left_out_when_not() {
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let server = server_answering("POST", "/reports", ResponseTemplate::new(204)).await;
    client(&server).submit_report(Some(pdf.clone().into())).await.expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/pdf"));
    assert_eq!(request.body, pdf);

    let server = server_answering("POST", "/reports", ResponseTemplate::new(204)).await;
    client(&server).submit_report(None).await.expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), None, "no body, no Content-Type");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn certificate_body_is_sent_as_the_type_the_caller_picks_or_the_first_listed() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let cases = [
        (None, "application/x-x509-ca-cert"),
        (Some(PublishCertificateContentType::ApplicationXPemFile), "application/x-pem-file"),
        (Some(PublishCertificateContentType::ApplicationPkixCert), "application/pkix-cert"),
        (Some(PublishCertificateContentType::Unknown("application/pkcs7-mime".into())), "application/pkcs7-mime"),
    ];
    for (choice, expected) in cases {
        let server =
            server_answering("POST", "/certificates", ResponseTemplate::new(201).set_body_json(json!({"id": "c1"})))
                .await;
        let stored = client(&server).publish_certificate(pem, choice).await.expect("the call succeeds");
        assert_eq!(stored.id, "c1");
        let request = only_request(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some(expected));
        assert_eq!(request.body, pem.as_bytes());
    }
}

#[tokio::test]
async fn any_media_type_body_defaults_to_octet_stream_and_takes_the_callers_type() {
    let cases =
        [(None, "application/octet-stream"), (Some(StoreBlobContentType::Unknown("image/webp".into())), "image/webp")];
    for (choice, expected) in cases {
        let server = server_answering("POST", "/blobs", ResponseTemplate::new(204)).await;
        client(&server).store_blob(RAW, choice).await.expect("the call succeeds");
        let request = only_request(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some(expected));
        assert_eq!(request.body, RAW);
    }
}

#[tokio::test]
async fn text_body_is_sent_as_written_with_its_charset() {
    let lines = "cpu,host=a usage=0.5 1700000000\ncpu,host=b usage=0.25 1700000001\n";
    let server = server_answering("POST", "/write", ResponseTemplate::new(204)).await;

    client(&server).write_lines(lines).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(request.body, lines.as_bytes());
}

#[tokio::test]
async fn json_error_without_a_schema_decodes_as_any_json() {
    let server = server_answering(
        "POST",
        "/write",
        ResponseTemplate::new(401).set_body_json(json!({"code": "unauthorized", "detail": [1, 2]})),
    )
    .await;
    let error = client(&server).write_lines(String::from("x")).await.expect_err("the call fails");
    match error {
        Error::Api { status, error, .. } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(*error, json!({"code": "unauthorized", "detail": [1, 2]}));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn xml_goes_out_and_comes_back_as_text() {
    let order = r#"<?xml version="1.0"?><Stored><id>o-1</id></Stored>"#;
    let reply = "<Stored><id>o-1</id><size>3</size></Stored>";
    let server =
        server_answering("POST", "/orders", ResponseTemplate::new(200).set_body_raw(reply, "application/xml")).await;

    let text = client(&server).place_order(order).await.expect("the call succeeds");
    assert_eq!(text, reply);

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/xml"));
    assert_eq!(request.body, order.as_bytes());
}

#[tokio::test]
async fn a_body_offering_json_and_text_is_sent_as_json() {
    let server = server_answering("POST", "/notes", ResponseTemplate::new(204)).await;
    let note = Note::builder().text("hello").build().expect("a valid note");

    client(&server).add_note(&note).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"text": "hello"}));
}

#[tokio::test]
async fn a_json_media_type_other_than_application_json_is_sent_as_declared() {
    let server = server_answering("PATCH", "/notes/n1", ResponseTemplate::new(204)).await;
    let params = PatchNoteParams::builder().id("n1").build().expect("valid parameters");
    let note = Note::builder().text("patched").build().expect("a valid note");

    client(&server).patch_note(&params, &note).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/merge-patch+json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"text": "patched"}));
}

#[tokio::test]
async fn json_without_a_schema_is_any_json_both_ways() {
    let value = json!({"nested": {"list": [1, "two", null]}, "flag": true});
    let server = server_answering("POST", "/anything", ResponseTemplate::new(200).set_body_json(value.clone())).await;

    let echoed = client(&server).echo_anything(Some(&value)).await.expect("the call succeeds");
    assert_eq!(echoed, value);

    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), value);
}

#[tokio::test]
async fn text_responses_are_returned_as_strings() {
    let csv = "id,name\n1,\"Widget, large\"\n2,Gadget\n";
    let server = server_answering("GET", "/export", ResponseTemplate::new(200).set_body_raw(csv, "text/csv")).await;
    assert_eq!(client(&server).export_csv().await.expect("the call succeeds"), csv);

    let html = "<!doctype html><p>caf\u{e9} \u{2603}</p>";
    let server =
        server_answering("GET", "/page", ResponseTemplate::new(200).set_body_raw(html, "text/html; charset=utf-8"))
            .await;
    assert_eq!(client(&server).get_page().await.expect("the call succeeds"), html);
}

#[tokio::test]
async fn text_that_is_not_utf8_is_returned_with_replacements() {
    let server =
        server_answering("GET", "/export", ResponseTemplate::new(200).set_body_raw(&b"a\xffb"[..], "text/csv")).await;
    assert_eq!(client(&server).export_csv().await.expect("the call succeeds"), "a\u{fffd}b");
}

#[tokio::test]
async fn binary_responses_are_returned_as_the_exact_bytes() {
    let server = server_answering("GET", "/logo", ResponseTemplate::new(200).set_body_raw(RAW, "image/png")).await;
    assert_eq!(client(&server).get_logo().await.expect("the call succeeds"), RAW);

    let server =
        server_answering("GET", "/download", ResponseTemplate::new(200).set_body_raw(RAW, "application/octet-stream"))
            .await;
    assert_eq!(client(&server).download().await.expect("the call succeeds"), RAW);
}

#[tokio::test]
async fn successes_with_different_bodies_decode_by_status() {
    let params = GetJobParams::builder().id("j1").build().expect("valid parameters");
    let server =
        server_answering("GET", "/jobs/j1", ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "size": 7})))
            .await;
    let done = client(&server).get_job(&params).await.expect("the call succeeds");
    assert_eq!(done, GetJobSuccess::Stored(Stored { id: "j1".into(), size: Some(7) }));

    let server =
        server_answering("GET", "/jobs/j1", ResponseTemplate::new(202).set_body_json(json!({"text": "running"}))).await;
    let pending = client(&server).get_job(&params).await.expect("the call succeeds");
    assert_eq!(pending, GetJobSuccess::Note(Note { text: Some("running".into()) }));
}
