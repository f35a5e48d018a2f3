//! The client generated for the `bodies` fixture against a local mock server: request bodies of
//! media types other than JSON go out with their `Content-Type` and exactly the caller's bytes,
//! and text and binary responses come back as the server sent them.

use fixture_bodies::types::{
    GetJobParams, GetJobSuccess, Note, PatchNoteParams, PublishCertificateContentType, StoreBlobContentType, Stored,
    UploadFileParams,
};
use fixture_bodies::{Client, Error};
use pipeline_tests::http::{header, only_request, sent_by, server_answering_once};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    pipeline_tests::fixture_client!(fixture_bodies, server)
}

/// Bytes that are not UTF-8, so that nothing on the way may treat them as text.
const RAW: &[u8] = &[0x00, 0x9f, 0x92, 0x96, 0xff, b'\r', b'\n', 0x80];

#[tokio::test]
async fn octet_stream_body_is_sent_as_the_exact_bytes() {
    let server =
        server_answering_once("PUT", "/files/a%20b", ResponseTemplate::new(201).set_body_json(json!({"id": "f1"})))
            .await;
    let params = UploadFileParams::builder().name("a b").build().expect("valid parameters");

    let stored = client(&server).upload_file(&params, RAW.to_vec()).await.expect("the call succeeds");
    assert_eq!(stored, Stored { id: "f1".into(), size: None });

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/octet-stream"));
    assert_eq!(request.body, RAW);
}

#[tokio::test]
async fn non_json_error_bodies_are_reported_with_their_status() {
    let params = UploadFileParams::builder().name("f").build().expect("valid parameters");
    let cases = [(400, "text/plain", "name is taken"), (500, "text/html", "<html><body>Internal error</body></html>")];
    for (status, media_type, text) in cases {
        let server =
            server_answering_once("PUT", "/files/f", ResponseTemplate::new(status).set_body_raw(text, media_type))
                .await;
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
    let server = server_answering_once("PUT", "/avatar", ResponseTemplate::new(204)).await;

    client(&server).set_avatar(png).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("image/png"));
    assert_eq!(request.body, png);
}

#[tokio::test]
async fn optional_pdf_body_is_sent_when_given_and_left_out_when_not() {
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let server = server_answering_once("POST", "/reports", ResponseTemplate::new(204)).await;
    let request = sent_by(&server, client(&server).submit_report(Some(pdf.clone().into()))).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/pdf"));
    assert_eq!(request.body, pdf);

    let server = server_answering_once("POST", "/reports", ResponseTemplate::new(204)).await;
    let request = sent_by(&server, client(&server).submit_report(None)).await;
    assert_eq!(header(&request, "content-type"), None, "no body, no Content-Type");
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
        let server = server_answering_once(
            "POST",
            "/certificates",
            ResponseTemplate::new(201).set_body_json(json!({"id": "c1"})),
        )
        .await;
        let stored = client(&server).publish_certificate(pem, choice).await.expect("the call succeeds");
        assert_eq!(stored.id, "c1");
        let request = only_request(&server).await;
        assert_eq!(header(&request, "content-type").as_deref(), Some(expected));
        assert_eq!(request.body, pem.as_bytes());
    }
}

#[tokio::test]
async fn any_media_type_body_defaults_to_octet_stream_and_takes_the_callers_type() {
    let cases =
        [(None, "application/octet-stream"), (Some(StoreBlobContentType::Unknown("image/webp".into())), "image/webp")];
    for (choice, expected) in cases {
        let server = server_answering_once("POST", "/blobs", ResponseTemplate::new(204)).await;
        let request = sent_by(&server, client(&server).store_blob(RAW, choice)).await;
        assert_eq!(header(&request, "content-type").as_deref(), Some(expected));
        assert_eq!(request.body, RAW);
    }
}

#[tokio::test]
async fn text_body_is_sent_as_written_with_its_charset() {
    let lines = "cpu,host=a usage=0.5 1700000000\ncpu,host=b usage=0.25 1700000001\n";
    let server = server_answering_once("POST", "/write", ResponseTemplate::new(204)).await;

    client(&server).write_lines(lines).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(request.body, lines.as_bytes());
}

#[tokio::test]
async fn json_error_without_a_schema_decodes_as_any_json() {
    let server = server_answering_once(
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
        server_answering_once("POST", "/orders", ResponseTemplate::new(200).set_body_raw(reply, "application/xml"))
            .await;

    let text = client(&server).place_order(order).await.expect("the call succeeds");
    assert_eq!(text, reply);

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/xml"));
    assert_eq!(request.body, order.as_bytes());
}

#[tokio::test]
async fn a_body_offering_json_and_text_is_sent_as_json() {
    let server = server_answering_once("POST", "/notes", ResponseTemplate::new(204)).await;
    let note = Note::builder().text("hello").build().expect("a valid note");

    client(&server).add_note(&note).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"text": "hello"}));
}

#[tokio::test]
async fn a_json_media_type_other_than_application_json_is_sent_as_declared() {
    let server = server_answering_once("PATCH", "/notes/n1", ResponseTemplate::new(204)).await;
    let params = PatchNoteParams::builder().id("n1").build().expect("valid parameters");
    let note = Note::builder().text("patched").build().expect("a valid note");

    client(&server).patch_note(&params, &note).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/merge-patch+json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"text": "patched"}));
}

#[tokio::test]
async fn json_without_a_schema_is_any_json_both_ways() {
    let value = json!({"nested": {"list": [1, "two", null]}, "flag": true});
    let server =
        server_answering_once("POST", "/anything", ResponseTemplate::new(200).set_body_json(value.clone())).await;

    let echoed = client(&server).echo_anything(Some(&value)).await.expect("the call succeeds");
    assert_eq!(echoed, value);

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type").as_deref(), Some("application/json"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), value);
}

/// A server that answers one `GET route` with `body`, of type `media_type`.
async fn serving(route: &str, body: &[u8], media_type: &str) -> MockServer {
    server_answering_once("GET", route, ResponseTemplate::new(200).set_body_raw(body, media_type)).await
}

#[tokio::test]
async fn text_responses_are_returned_as_strings() {
    let csv = "id,name\n1,\"Widget, large\"\n2,Gadget\n";
    let server = serving("/export", csv.as_bytes(), "text/csv").await;
    assert_eq!(client(&server).export_csv().await.expect("the call succeeds"), csv);

    let html = "<!doctype html><p>caf\u{e9} \u{2603}</p>";
    let server = serving("/page", html.as_bytes(), "text/html; charset=utf-8").await;
    assert_eq!(client(&server).get_page().await.expect("the call succeeds"), html);
}

#[tokio::test]
async fn text_that_is_not_utf8_is_returned_with_replacements() {
    let server = serving("/export", b"a\xffb", "text/csv").await;
    assert_eq!(client(&server).export_csv().await.expect("the call succeeds"), "a\u{fffd}b");
}

#[tokio::test]
async fn binary_responses_are_returned_as_the_exact_bytes() {
    let server = serving("/logo", RAW, "image/png").await;
    assert_eq!(client(&server).get_logo().await.expect("the call succeeds"), RAW);

    let server = serving("/download", RAW, "application/octet-stream").await;
    assert_eq!(client(&server).download().await.expect("the call succeeds"), RAW);
}

#[tokio::test]
async fn successes_with_different_bodies_decode_by_status() {
    let params = GetJobParams::builder().id("j1").build().expect("valid parameters");
    let server = server_answering_once(
        "GET",
        "/jobs/j1",
        ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "size": 7})),
    )
    .await;
    let done = client(&server).get_job(&params).await.expect("the call succeeds");
    assert_eq!(done, GetJobSuccess::Stored(Stored { id: "j1".into(), size: Some(7) }));

    let server =
        server_answering_once("GET", "/jobs/j1", ResponseTemplate::new(202).set_body_json(json!({"text": "running"})))
            .await;
    let pending = client(&server).get_job(&params).await.expect("the call succeeds");
    assert_eq!(pending, GetJobSuccess::Note(Note { text: Some("running".into()) }));
}
