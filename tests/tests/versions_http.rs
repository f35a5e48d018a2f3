//! Clients generated from documents that are not OpenAPI 3.0 — the `openapi31` fixture (OpenAPI
//! 3.1) and the `swagger2` fixture (Swagger 2.0) — against a local mock server: what the
//! normalising step read from each construct goes over the wire as the spec means it.

use pipeline_tests::http::{answer, header, only_request, received, server_answering_once};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

/// The body of a request, as JSON.
fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

mod openapi31 {
    use super::*;
    use fixture_openapi31::types::{
        BankTransfer, Card, CardType, GetPaymentParams, NewPayment, NewPaymentMethod, NewPaymentReference,
        PaymentChannel, PaymentMethod, Status,
    };
    use fixture_openapi31::{Client, Error};

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_openapi31, server, bearer("t0ken"))
    }

    fn card() -> NewPaymentMethod {
        NewPaymentMethod::Card(Card::builder().type_(CardType::Card).last4("4242").build().expect("a valid card"))
    }

    #[tokio::test]
    async fn a_body_with_type_lists_const_and_unions_goes_out_as_json() {
        let payment = json!({"id": "p1", "amount": 1200, "status": "pending", "settled_at": null, "fee": null,
            "method": {"type": "bank_transfer", "iban": "DE00"}});
        let server =
            server_answering_once("POST", "/payments", ResponseTemplate::new(201).set_body_json(&payment)).await;
        let body = NewPayment::builder()
            .amount(1200)
            .memo("rent")
            .method(card())
            .reference(NewPaymentReference::Integer(7))
            .metadata(
                [("category".to_string(), "home".to_string())]
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .split((600, "alice".to_string()))
            .build()
            .expect("a valid payment");
        let created = client(&server).create_payment(&body).await.expect("the call succeeds");
        assert_eq!(created.status, Status::Pending);
        assert_eq!(created.settled_at.as_option(), None);
        assert_eq!(created.fee.as_option(), None);
        // The constant `type` property chose the member.
        assert!(
            matches!(created.method, Some(PaymentMethod::BankTransfer(BankTransfer { ref iban, .. })) if iban == "DE00")
        );
        let request = only_request(&server).await;
        assert_eq!(header(&request, "authorization").as_deref(), Some("Bearer t0ken"));
        assert_eq!(
            body_json(&request),
            json!({"amount": 1200, "memo": "rent", "method": {"type": "card", "last4": "4242"}, "reference": 7,
                "metadata": {"category": "home"}, "split": [600, "alice"]})
        );
    }

    #[tokio::test]
    async fn numeric_exclusive_bounds_and_length_limits_are_checked_before_sending() {
        let server = MockServer::start().await;
        let zero = NewPayment::builder().amount(0).method(card()).build();
        let error = zero.expect_err("`exclusiveMinimum: 0` refuses 0");
        assert!(error.to_string().contains("amount"), "{error}");
        let long_memo = NewPayment {
            amount: 1,
            memo: "x".repeat(141).into(),
            method: card(),
            reference: None,
            metadata: None,
            receipt: None,
            split: None,
        };
        let error = client(&server).create_payment(&long_memo).await.expect_err("`maxLength` of a type list holds");
        assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "memo"), "{error:?}");
        // Each position of a tuple keeps its own rules.
        let bad_split = NewPayment {
            memo: fixture_openapi31::Nullable::Absent,
            split: Some((600, "far too long".to_string())),
            ..long_memo
        };
        let error =
            client(&server).create_payment(&bad_split).await.expect_err("the tuple's second position is checked");
        assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "split[1]"), "{error:?}");
        assert!(received(&server).await.is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn unknown_enum_values_from_defs_are_kept_and_an_optional_body_may_be_left_out() {
        let server = MockServer::start().await;
        answer(
            &server,
            "GET",
            "/payments/p2",
            ResponseTemplate::new(200).set_body_json(json!({"id": "p2", "amount": 5, "status": "disputed",
                "fee": {"amount": 1, "currency": "EUR"}, "note": null, "channel": 2})),
        )
        .await;
        answer(&server, "POST", "/pings", ResponseTemplate::new(204)).await;
        let client = client(&server);
        let params = GetPaymentParams::builder().id("p2").build().expect("valid parameters");
        let payment = client.get_payment(&params).await.expect("the call succeeds");
        assert_eq!(payment.status, Status::Unknown("disputed".into()));
        assert_eq!(payment.fee.map(|fee| fee.currency).into_option(), Some("EUR".to_string()));
        // An enum written as a union of constants, its variants named by the members' titles.
        assert_eq!(payment.channel, Some(PaymentChannel::PointOfSale));
        client.ping(None).await.expect("an operation without responses succeeds on 2xx");
        let ping = received(&server).await.pop().expect("the ping was sent");
        assert!(ping.body.is_empty(), "no body was sent");
    }

    #[test]
    fn webhooks_become_events_of_their_payload_types() {
        use fixture_openapi31::webhooks::WebhookEvent;
        let spec = pipeline_tests::workspace_root().join("tests/fixtures/openapi31/openapi.yaml");
        let loaded = generator::load::load(&spec).expect("the fixture loads");
        assert_eq!(loaded.version, generator::load::Version::OpenApi31);
        let hooks = loaded.document.extensions["x-webhooks"].as_object().expect("webhooks gathered");
        assert_eq!(hooks.keys().collect::<Vec<_>>(), ["payment.settled"]);
        let payment = serde_json::json!({"id": "p1", "amount": 5, "status": "settled"});
        let body = serde_json::json!({"type": "payment.settled", "payment": payment}).to_string();
        let event = WebhookEvent::parse(body.as_bytes()).expect("a payment event");
        assert_eq!(event.name(), Some("payment.settled"));
    }
}

mod swagger2 {
    use super::*;
    use fixture_swagger2::types::{
        DownloadNoteParams, ListNotesParams, NewNote, SetLabelParams, SetLabelRequest, SetLabelRequestColor,
        UploadAttachmentParams, UploadAttachmentRequest,
    };
    use fixture_swagger2::{Binary, Client, Environment, Error};

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_swagger2, server, api_key("k3y"))
    }

    #[test]
    fn the_server_comes_from_host_base_path_and_schemes() {
        assert_eq!(Environment::Server1.base_url(), "https://api.example.test/v2");
    }

    #[tokio::test]
    async fn collection_formats_go_out_as_swagger_two_wrote_them() {
        let notes = json!([{"id": "n1", "text": "hi", "archived_at": null}]);
        let response = ResponseTemplate::new(200).insert_header("x-total-count", "1").set_body_json(notes);
        let server = server_answering_once("GET", "/notes", response).await;
        let params = ListNotesParams::builder()
            .page_size(20)
            .tag(vec!["a".to_string(), "b c".to_string()])
            .ids(vec![1_i64, 2])
            .fields(vec!["id".to_string(), "text".to_string()])
            .build()
            .expect("valid parameters");
        let notes = client(&server).list_notes(&params).await.expect("the call succeeds");
        assert_eq!(notes[0].id, "n1");
        assert_eq!(notes[0].archived_at.as_option(), None, "`x-nullable` read as nullable");
        let request = only_request(&server).await;
        assert_eq!(header(&request, "x-api-key").as_deref(), Some("k3y"));
        // `multi` repeats the name, `csv` (the 2.0 default) joins with commas, `pipes` with `|`.
        assert_eq!(request.url.query(), Some("page_size=20&tag=a&tag=b+c&ids=1%2C2&fields=id%7Ctext"));
    }

    #[tokio::test]
    async fn a_shared_parameter_keeps_its_rules() {
        let server = MockServer::start().await;
        let params = ListNotesParams { page_size: Some(101), tag: None, ids: None, fields: None };
        let error = client(&server).list_notes(&params).await.expect_err("`maximum: 100` holds");
        assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "page_size"), "{error:?}");
        assert!(received(&server).await.is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn a_body_parameter_is_the_json_body_and_shared_responses_are_errors() {
        let server = server_answering_once(
            "POST",
            "/notes",
            ResponseTemplate::new(404).set_body_json(json!({"message": "no such list"})),
        )
        .await;
        let note = NewNote::builder().text("buy milk").pinned(true).build().expect("a valid note");
        let error = client(&server).create_note(&note).await.expect_err("the server says 404");
        match error {
            Error::Api { status, error, .. } => {
                assert_eq!(status.as_u16(), 404);
                assert_eq!(error.message.as_deref(), Some("no such list"));
            }
            other => panic!("expected the shared 404 response, got {other:?}"),
        }
        let request = only_request(&server).await;
        assert_eq!(request.headers.get("content-type").map(|v| v.to_str().unwrap()), Some("application/json"));
        assert_eq!(body_json(&request), json!({"text": "buy milk", "pinned": true}));
    }

    #[tokio::test]
    async fn form_data_with_a_file_is_multipart_and_without_one_is_url_encoded() {
        let server = MockServer::start().await;
        answer(
            &server,
            "POST",
            "/notes/n1/attachments",
            ResponseTemplate::new(201).set_body_json(json!({"id": "a1", "size": 3})),
        )
        .await;
        answer(&server, "PUT", "/notes/n1/label", ResponseTemplate::new(204)).await;
        let client = client(&server);
        let note = UploadAttachmentParams::builder().id("n1").build().expect("valid parameters");
        let upload = UploadAttachmentRequest::builder()
            .file(Binary(vec![0xff, 0x00, 0x7f]))
            .caption("scan")
            .build()
            .expect("a valid upload");
        let stored = client.upload_attachment(&note, &upload).await.expect("the upload succeeds");
        assert_eq!(stored.size, 3);
        let label = SetLabelParams::builder().id("n1").build().expect("valid parameters");
        let form = SetLabelRequest::builder().label("urgent").color(SetLabelRequestColor::Red).build().expect("valid");
        client.set_label(&label, &form).await.expect("the form is accepted");

        let requests = received(&server).await;
        let (multipart, urlencoded) = (&requests[0], &requests[1]);
        let content_type = multipart.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
        let contains = |needle: &[u8]| multipart.body.windows(needle.len()).any(|window| window == needle);
        assert!(contains(b"name=\"file\"; filename=\"file\""), "the file part");
        assert!(contains(&[0xff, 0x00, 0x7f]), "the file's exact bytes");
        assert!(contains(b"name=\"caption\"\r\n\r\nscan\r\n"));
        assert_eq!(
            urlencoded.headers.get("content-type").map(|v| v.to_str().unwrap()),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(urlencoded.body, b"label=urgent&color=red");
    }

    #[tokio::test]
    async fn a_file_response_is_bytes() {
        let server = MockServer::start().await;
        answer(
            &server,
            "GET",
            "/notes/n1/raw",
            ResponseTemplate::new(200).set_body_raw(vec![0x00, 0xfe], "application/octet-stream"),
        )
        .await;
        let params = DownloadNoteParams::builder().id("n1").build().expect("valid parameters");
        let bytes = client(&server).download_note(&params).await.expect("the download succeeds");
        assert_eq!(bytes, vec![0x00, 0xfe]);
    }
}
