//! Clients generated from documents that are not OpenAPI 3.0 — the `openapi31` fixture (OpenAPI
//! 3.1) and the `swagger2` fixture (Swagger 2.0) — against a local mock server: what the
//! normalising step read from each construct goes over the wire as the spec means it.

use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every request the server received.
async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The single request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
    requests.remove(0)
}

fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

mod openapi31 {
    use super::*;
    use fixture_openapi31::types::{
        BankTransfer, Card, CardType, GetPaymentParams, NewPayment, NewPaymentMethod, NewPaymentReference,
        PaymentMethod, Status,
    };
    use fixture_openapi31::{Client, Error, RetryPolicy};

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .bearer("t0ken")
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("the client builds")
    }

    fn card() -> NewPaymentMethod {
        NewPaymentMethod::Card(Card::builder().type_(CardType::Card).last4("4242").build().expect("a valid card"))
    }

    #[tokio::test]
    async fn a_body_with_type_lists_const_and_unions_goes_out_as_json() {
        let server = MockServer::start().await;
        let payment = json!({"id": "p1", "amount": 1200, "status": "pending", "settled_at": null, "fee": null,
            "method": {"type": "bank_transfer", "iban": "DE00"}});
        Mock::given(method("POST"))
            .and(path("/payments"))
            .and(header("authorization", "Bearer t0ken"))
            .respond_with(ResponseTemplate::new(201).set_body_json(&payment))
            .expect(1)
            .mount(&server)
            .await;
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
        assert_eq!(created.settled_at, None);
        assert_eq!(created.fee, None);
        // The constant `type` property chose the member.
        assert!(
            matches!(created.method, Some(PaymentMethod::BankTransfer(BankTransfer { ref iban, .. })) if iban == "DE00")
        );
        let sent = body_json(&only_request(&server).await);
        assert_eq!(
            sent,
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
            memo: Some("x".repeat(141)),
            method: card(),
            reference: None,
            metadata: None,
            receipt: None,
            split: None,
        };
        let error = client(&server).create_payment(&long_memo).await.expect_err("`maxLength` of a type list holds");
        assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "memo"), "{error:?}");
        // Each position of a tuple keeps its own rules.
        let bad_split = NewPayment { memo: None, split: Some((600, "far too long".to_string())), ..long_memo };
        let error =
            client(&server).create_payment(&bad_split).await.expect_err("the tuple's second position is checked");
        assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "split[1]"), "{error:?}");
        assert!(received(&server).await.is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn unknown_enum_values_from_defs_are_kept_and_an_optional_body_may_be_left_out() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/payments/p2"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": "p2", "amount": 5, "status": "disputed",
                "fee": {"amount": 1, "currency": "EUR"}, "note": null})),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST")).and(path("/pings")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let client = client(&server);
        let params = GetPaymentParams::builder().id("p2").build().expect("valid parameters");
        let payment = client.get_payment(&params).await.expect("the call succeeds");
        assert_eq!(payment.status, Status::Unknown("disputed".into()));
        assert_eq!(payment.fee.map(|fee| fee.currency), Some("EUR".to_string()));
        client.ping(None).await.expect("an operation without responses succeeds on 2xx");
        let ping = received(&server).await.pop().expect("the ping was sent");
        assert!(ping.body.is_empty(), "no body was sent");
    }

    #[test]
    fn webhooks_are_read_as_plain_data() {
        let spec = pipeline_tests::workspace_root().join("tests/fixtures/openapi31/openapi.yaml");
        let loaded = generator::load::load(&spec).expect("the fixture loads");
        assert_eq!(loaded.version, generator::load::Version::OpenApi31);
        let hooks: Vec<_> =
            loaded.webhooks.iter().map(|h| (h.name.as_str(), h.method.as_str(), h.payload_schema.as_deref())).collect();
        assert_eq!(hooks, [("payment.settled", "post", Some("PaymentEvent"))]);
    }
}
