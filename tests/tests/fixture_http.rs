//! The clients generated for the `parameters`, `one_of`, `multi_file` and `type_mappings` fixtures against a local mock server: how each kind of
//! parameter and body goes over the wire, and that an invalid request is refused before anything is sent.

use pipeline_tests::http::{answer, header_values, only_request, pairs, query_pairs, received, server_answering_once};
use serde_json::{json, Value};
use wiremock::http::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod parameters {
    use super::*;
    use fixture_parameters::types::{DownloadReceiptParams, GetItemParams, GetItemSort, Item, LoginRequest};
    use fixture_parameters::{Client, Error};

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_parameters, server)
    }

    #[tokio::test]
    async fn get_item_sends_every_parameter_in_its_style() {
        let server = server_answering_once(
            "GET",
            "/stores/s%2F1/items/42",
            ResponseTemplate::new(200).set_body_json(json!({"id": 42, "name": "Widget"})),
        )
        .await;
        let params = GetItemParams::builder()
            .store_id("s/1")
            .item_id(42_i64)
            .fields(vec!["a".to_string(), "b".to_string()])
            .tags(vec!["x".to_string(), "y".to_string()])
            .sizes(vec![1_i64, 2])
            .sort(GetItemSort::Asc)
            .limit(10)
            .x_trace_id("trace-7f3a")
            .type_(true)
            .build()
            .expect("the parameters are valid");

        let item = client(&server).get_item(&params).await.expect("the call succeeds");
        assert_eq!(item, Item { id: 42, name: Some("Widget".into()) });

        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/stores/s%2F1/items/42", "the `/` in the store id is percent-encoded");
        assert_eq!(
            query_pairs(&request),
            pairs(&[
                ("fields", "a"),
                ("fields", "b"),
                ("tags", "x,y"),
                ("sizes", "1|2"),
                ("sort", "asc"),
                ("limit", "10"),
                ("type", "true"),
            ]),
            "raw query: {:?}",
            request.url.query()
        );
        assert_eq!(header_values(&request, "x-trace-id"), ["trace-7f3a"]);
        assert!(request.body.is_empty(), "a GET has no body");
    }

    #[tokio::test]
    async fn unset_optional_parameters_are_absent() {
        let server = server_answering_once(
            "GET",
            "/stores/main/items/7",
            ResponseTemplate::new(200).set_body_json(json!({"id": 7})),
        )
        .await;
        let params = GetItemParams::builder().store_id("main").item_id(7_i64).limit(1).build().unwrap();

        let item = client(&server).get_item(&params).await.expect("the call succeeds");
        assert_eq!(item, Item { id: 7, name: None });

        let request = only_request(&server).await;
        assert_eq!(query_pairs(&request), pairs(&[("limit", "1")]), "raw query: {:?}", request.url.query());
        assert!(header_values(&request, "x-trace-id").is_empty());
    }

    #[tokio::test]
    async fn invalid_parameters_are_refused_before_sending() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
            .expect(0)
            .mount(&server)
            .await;
        let error = GetItemParams::builder().store_id("main").item_id(1_i64).limit(0).build().expect_err("limit ≥ 1");
        assert_eq!(error.path(), "limit");

        // Assembled by hand, the values skip the builder; the client checks them again.
        let valid = GetItemParams::builder().store_id("main").item_id(1_i64).limit(5).build().unwrap();
        let cases = [
            (GetItemParams { limit: 0, ..valid.clone() }, "limit"),
            (GetItemParams { limit: 101, ..valid.clone() }, "limit"),
            (GetItemParams { store_id: "m".into(), ..valid.clone() }, "storeId"),
            (GetItemParams { sort: Some(GetItemSort::Unknown("random".into())), ..valid.clone() }, "sort"),
        ];
        let client = client(&server);
        for (params, field) in cases {
            match client.get_item(&params).await {
                Err(Error::Validation(error)) => assert_eq!(error.path(), field, "{error}"),
                other => panic!("expected a validation error for `{field}`, got {other:?}"),
            }
        }
        assert!(received(&server).await.is_empty(), "no request may be sent");
    }

    #[tokio::test]
    async fn download_receipt_returns_the_exact_bytes() {
        let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        pdf.extend((0..=255u8).rev());
        pdf.extend_from_slice(b"\r\n%%EOF\n\0");
        let server = server_answering_once(
            "GET",
            "/stores/s1/receipts/r%209.pdf",
            ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"),
        )
        .await;
        let params = DownloadReceiptParams::builder().store_id("s1").receipt_id("r 9").build().unwrap();

        let bytes = client(&server).download_receipt(&params).await.expect("the call succeeds");
        assert_eq!(bytes, pdf);

        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/stores/s1/receipts/r%209.pdf");
        assert_eq!(request.url.query(), None);
    }

    #[tokio::test]
    async fn login_sends_a_form_and_accepts_204() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/login"))
            .respond_with(ResponseTemplate::new(204))
            .expect(2)
            .mount(&server)
            .await;
        let client = client(&server);
        let plain = LoginRequest::builder().username("ann").password("hunter2").build().unwrap();
        let awkward = LoginRequest::builder()
            .username("ann@example.test")
            .password("p&ss w=rd+%")
            .remember(true)
            .build()
            .unwrap();

        client.login(&plain).await.expect("204 is success");
        let result = client.login(&awkward).await;
        assert!(matches!(result, Ok(())), "204 is success: {result:?}");

        let requests = received(&server).await;
        assert_eq!(requests.len(), 2);
        for request in &requests {
            assert_eq!(header_values(request, "content-type"), ["application/x-www-form-urlencoded"]);
        }
        let form = |request: &Request| {
            let body = std::str::from_utf8(&request.body).expect("a form body is text");
            let url = Url::parse(&format!("http://form.invalid/?{body}")).expect("the body is a query string");
            url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect::<Vec<_>>()
        };
        assert_eq!(std::str::from_utf8(&requests[0].body).unwrap(), "username=ann&password=hunter2");
        assert_eq!(form(&requests[0]), pairs(&[("username", "ann"), ("password", "hunter2")]));
        assert_eq!(
            form(&requests[1]),
            pairs(&[("username", "ann@example.test"), ("password", "p&ss w=rd+%"), ("remember", "true")])
        );
    }
}

mod one_of {
    use super::*;
    use fixture_one_of::types::{Adoption, Cat, Circle, Dog, Expr, ExprLiteral, Pet, Shape, Sum, TagId};
    use fixture_one_of::{Client, Error};
    use wiremock::matchers::body_json;

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_one_of, server)
    }

    /// Answers with the body it received, as a server storing the record would.
    fn echo(request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(request.body.clone(), "application/json")
    }

    fn adoption() -> Adoption {
        Adoption::builder()
            .pet(Pet::Dog(Dog::builder().pet_type("puppy").bark("yip").build().unwrap()))
            .shape(Shape::Circle(Circle { radius: 2.5 }))
            .tag(TagId::Integer(17))
            .formula(Expr::Sum(Box::new(Sum {
                left: Box::new(Expr::Literal(ExprLiteral { value: 1.0 })),
                right: Box::new(Expr::Literal(ExprLiteral { value: 0.5 })),
            })))
            .build()
            .expect("the adoption is valid")
    }

    #[tokio::test]
    async fn adopt_pet_round_trips_a_pet() {
        let server = MockServer::start().await;
        let wire = json!({
            "pet": {"petType": "puppy", "bark": "yip"},
            "shape": {"radius": 2.5},
            "tag": 17,
            "formula": {"left": {"value": 1.0}, "right": {"value": 0.5}}
        });
        Mock::given(method("POST"))
            .and(path("/pets/adopt"))
            .and(body_json(&wire))
            .respond_with(echo)
            .expect(1)
            .mount(&server)
            .await;

        let sent = adoption();
        let returned = client(&server).adopt_pet(&sent).await.expect("the call succeeds");
        assert_eq!(returned, sent);
        assert!(matches!(&returned.pet, Pet::Dog(dog) if dog.pet_type == "puppy"));

        let request = only_request(&server).await;
        assert_eq!(header_values(&request, "content-type"), ["application/json"]);
    }

    #[tokio::test]
    async fn a_cat_and_an_unknown_pet_in_responses() {
        let unknown = json!({"petType": "parrot", "words": ["hello"]});
        let server = server_answering_once(
            "POST",
            "/pets/adopt",
            ResponseTemplate::new(200).set_body_json(json!({"pet": unknown, "tag": "t-1"})),
        )
        .await;
        let cat = Adoption::builder().pet(Pet::Cat(Cat { pet_type: "cat".into(), lives: 9 })).build().unwrap();

        let returned = client(&server).adopt_pet(&cat).await.expect("an unknown pet in a response still decodes");
        assert_eq!(returned.pet, Pet::Unknown(unknown));
        assert_eq!(returned.tag, Some(TagId::String("t-1".into())));
        let request = only_request(&server).await;
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body, json!({"pet": {"petType": "cat", "lives": 9}}));
    }

    #[tokio::test]
    async fn invalid_pets_are_refused_before_sending() {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(echo).expect(0).mount(&server).await;
        let client = client(&server);
        let cases = [
            (Adoption { pet: Pet::Unknown(json!({"petType": "parrot"})), ..adoption() }, "pet"),
            (Adoption { pet: Pet::Cat(Cat { pet_type: "cat".into(), lives: 10 }), ..adoption() }, "pet.lives"),
            (Adoption { tag: Some(TagId::Unknown(json!(1.5))), ..adoption() }, "tag"),
        ];
        for (adoption, field) in cases {
            match client.adopt_pet(&adoption).await {
                Err(Error::Validation(error)) => assert_eq!(error.path(), field, "{error}"),
                other => panic!("expected a validation error for `{field}`, got {other:?}"),
            }
        }
        assert!(received(&server).await.is_empty(), "no request may be sent");
    }
}

mod security {
    use super::*;

    /// Credentials from `securitySchemes` go with every operation, except one whose `security`
    /// is `[]`; a non-sensitive scheme's `x-default` is sent when none is set.
    #[tokio::test]
    async fn credentials_are_sent_except_where_the_spec_exempts_the_operation() {
        let server = MockServer::start().await;
        answer(&server, "POST", "/widgets/fetch", ResponseTemplate::new(200).set_body_json(json!({"value": "w"})))
            .await;
        answer(&server, "GET", "/health", ResponseTemplate::new(204)).await;
        let client = pipeline_tests::fixture_client!(fixture_names, server, api_key("key-789"));

        #[allow(deprecated)]
        let body = fixture_names::types::Type::builder().build().expect("every field is optional");
        #[allow(deprecated)]
        let widget = client.fetch_widget(&body).await.expect("the call succeeds");
        assert_eq!(widget.value.as_deref(), Some("w"));
        client.health().await.expect("the health check succeeds");

        let requests = received(&server).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(header_values(&requests[0], "x-api-key"), ["key-789"]);
        assert_eq!(header_values(&requests[0], "x-app-id"), ["demo-app"]);
        assert!(header_values(&requests[1], "x-api-key").is_empty(), "the exempt operation gets no credentials");
        assert!(header_values(&requests[1], "x-app-id").is_empty());
        assert!(!format!("{client:?}").contains("key-789"));
    }
}

mod multipart {
    use super::*;
    use fixture_multipart::types::Upload;
    use fixture_multipart::Binary;

    /// A `multipart/form-data` body: the binary property as a file part with its exact bytes,
    /// scalars as text parts, a list as repeated parts, an object as JSON text.
    #[tokio::test]
    async fn upload_sends_one_part_per_property() {
        let server = MockServer::start().await;
        answer(
            &server,
            "POST",
            "/documents/upload",
            ResponseTemplate::new(200).set_body_json(json!({"id": "doc-1", "size": 4, "checksum": "abc"})),
        )
        .await;
        let client = pipeline_tests::fixture_client!(fixture_multipart, server);
        let upload = Upload::builder()
            .file(Binary(vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff]))
            .title("Lease")
            .pages(3)
            .labels(vec!["home".to_string(), "2026".to_string()])
            .build()
            .expect("a valid upload");

        let stored = client.upload_document(&upload).await.expect("the upload succeeds");
        assert_eq!(stored.id, "doc-1");
        assert_eq!(stored.checksum, Some(Binary(b"abc".to_vec())), "bytes in JSON are read from text");

        let request = only_request(&server).await;
        let content_type = header_values(&request, "content-type").join("");
        assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
        let body = &request.body;
        let contains = |needle: &[u8]| body.windows(needle.len()).any(|window| window == needle);
        assert!(contains(b"name=\"file\"; filename=\"file\""), "the file part");
        assert!(contains(&[0x25, 0x50, 0x44, 0x46, 0x00, 0xff]), "the file's exact bytes");
        assert!(contains(b"name=\"title\"\r\n\r\nLease\r\n"));
        assert!(contains(b"name=\"pages\"\r\n\r\n3\r\n"));
        assert!(contains(b"name=\"labels\"\r\n\r\nhome\r\n") && contains(b"name=\"labels\"\r\n\r\n2026\r\n"));
        assert!(!contains(b"name=\"meta\""), "unset optional properties send no part");
    }

    #[tokio::test]
    async fn an_invalid_upload_is_refused_before_sending() {
        let server = MockServer::start().await;
        let client = pipeline_tests::fixture_client!(fixture_multipart, server);
        let upload = Upload { file: Binary::from("x"), title: "t".repeat(41), pages: None, labels: None, meta: None };
        let error = client.upload_document(&upload).await.unwrap_err();
        assert!(matches!(error, fixture_multipart::Error::Validation(_)), "{error:?}");
        assert!(received(&server).await.is_empty());
    }
}

mod responses {
    use super::*;
    use fixture_responses::{ApiError, Client, Error};

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_responses, server)
    }

    /// Each error status decodes into the schema the operation declares for it: the exact code
    /// first, then the status class, then `default`.
    #[tokio::test]
    async fn errors_decode_by_the_status_the_operation_declares() {
        let cases = [
            (404, json!({"missing": "w-9"}), "NotFound"),
            (409, json!({"title": "conflict", "status": 409}), "Problem"),
            (503, json!({"code": 7}), "ServerFault"),
        ];
        for (status, body, expected) in cases {
            let server = MockServer::start().await;
            answer(&server, "POST", "/widgets/get", ResponseTemplate::new(status).set_body_json(&body)).await;
            let error = client(&server).get_widget().await.unwrap_err();
            let Error::Api { status: got, error, .. } = error else { panic!("expected Error::Api, got {error:?}") };
            assert_eq!(got.as_u16(), status);
            let variant = match *error {
                ApiError::NotFound(ref e) => {
                    assert_eq!(e.missing, "w-9");
                    "NotFound"
                }
                ApiError::Problem(ref e) => {
                    assert_eq!(e.title, "conflict");
                    "Problem"
                }
                ApiError::ServerFault(ref e) => {
                    assert_eq!(e.code, 7);
                    "ServerFault"
                }
                ApiError::Other(ref value) => panic!("undeclared body {value}"),
            };
            assert_eq!(variant, expected, "status {status}");
        }
    }

    /// An operation with different bodies for 200 and 202 returns the variant of the status
    /// that came back, even when one body would also fit the other variant.
    #[tokio::test]
    async fn successes_decode_by_status() {
        use fixture_responses::types::RefreshWidgetSuccess;
        for (status, body) in [(200, json!({"id": "w-1"})), (202, json!({"job_id": "j-1", "id": "w-1"}))] {
            let server = MockServer::start().await;
            answer(&server, "POST", "/widgets/refresh", ResponseTemplate::new(status).set_body_json(&body)).await;
            let success = client(&server).refresh_widget().await.expect("a success");
            match (status, success) {
                (200, RefreshWidgetSuccess::Widget(widget)) => assert_eq!(widget.id, "w-1"),
                (202, RefreshWidgetSuccess::Job(job)) => assert_eq!(job.job_id, "j-1"),
                (status, other) => panic!("status {status} decoded as {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_201_is_a_success_and_a_body_of_the_wrong_shape_is_an_unexpected_status() {
        let server = MockServer::start().await;
        answer(&server, "POST", "/widgets/create", ResponseTemplate::new(201).set_body_json(json!({"id": "w-1"})))
            .await;
        answer(&server, "POST", "/widgets/get", ResponseTemplate::new(404).set_body_json(json!({"unrelated": true})))
            .await;
        let client = client(&server);
        assert_eq!(client.create_widget().await.expect("201 is a success").id, "w-1");
        let error = client.get_widget().await.unwrap_err();
        assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    }
}

/// A spec split over several files: operations, parameters and schemas from other files work as
/// if written inline, and schemas hoisted from files keep their names and their recursion.
mod multi_file {
    use super::*;
    use fixture_multi_file::types::{GetPetParams, ListPetsParams, NewPet, Owner, Pet};
    use fixture_multi_file::Client;

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_multi_file, server)
    }

    #[tokio::test]
    async fn operations_from_other_files_go_over_the_wire() {
        let server = MockServer::start().await;
        let rex = json!({"id": 1, "name": "Rex", "owner": {"name": "Ann", "pets": [{"id": 2, "name": "Tom"}]},
                         "friends": [{"id": 3, "name": "Kit"}]});
        answer(
            &server,
            "GET",
            "/pets",
            ResponseTemplate::new(200).set_body_json(json!({"items": [rex.clone()], "next": null})),
        )
        .await;
        answer(&server, "GET", "/pets/1", ResponseTemplate::new(200).set_body_json(rex.clone())).await;
        answer(&server, "POST", "/pets", ResponseTemplate::new(201).set_body_json(json!({"id": 9, "name": "Bo"})))
            .await;
        let client = client(&server);

        let page = client
            .list_pets(&ListPetsParams::builder().limit(5).build().expect("valid"))
            .await
            .expect("the list call succeeds");
        let first: &Pet = &page.items[0];
        assert_eq!(first.name, "Rex");
        let owner: &Owner = first.owner.as_ref().expect("the owner, a schema from common.yaml");
        assert_eq!(owner.pets.as_ref().map(|pets| pets[0].name.as_str()), Some("Tom"));
        assert_eq!(first.friends.as_ref().map(|friends| friends[0].id), Some(3), "pet.yaml refers to itself");

        let pet = client.get_pet(&GetPetParams::builder().pet_id(1_i64).build().expect("valid")).await.expect("get");
        assert_eq!(&pet, first);

        let created = client
            .create_pet(&NewPet::builder().name("Bo").build().expect("valid"))
            .await
            .expect("the create call succeeds");
        assert_eq!(created.id, 9);

        let requests = received(&server).await;
        assert_eq!(query_pairs(&requests[0]), pairs(&[("limit", "5")]), "the parameter from common.yaml");
        let body: Value = serde_json::from_slice(&requests[2].body).expect("a JSON body");
        assert_eq!(body, json!({"name": "Bo"}));
        // The constraint written in new_pet.yaml is checked before anything is sent.
        assert!(NewPet::builder().name("").build().is_err());
        assert!(ListPetsParams::builder().limit(0).build().is_err(), "`minimum: 1` from common.yaml");
    }
}

mod type_mappings {
    use super::*;
    use fixture_type_mappings::types::{Order, SearchOrdersParams};
    use fixture_type_mappings::Client;
    use rust_decimal::Decimal;

    fn client(server: &MockServer) -> Client {
        pipeline_tests::fixture_client!(fixture_type_mappings, server)
    }

    #[tokio::test]
    async fn a_mapped_query_parameter_is_sent_as_its_json_text_and_money_comes_back_exact() {
        let order = json!({"id": "ord_1", "total": 1234.56, "lines": [], "placed_from": "192.0.2.1"});
        let server =
            server_answering_once("GET", "/orders/search", ResponseTemplate::new(200).set_body_json(json!([order])))
                .await;
        let params = SearchOrdersParams::builder().min_total(Decimal::new(1250, 2)).build().expect("valid");
        let orders: Vec<Order> = client(&server).search_orders(&params).await.expect("the call succeeds");
        assert_eq!(orders[0].total, Decimal::new(123456, 2));
        assert_eq!(query_pairs(&only_request(&server).await), pairs(&[("min_total", "12.5")]));
    }

    #[tokio::test]
    async fn a_body_with_mapped_types_is_sent_as_the_json_the_spec_describes() {
        let sent = json!({"id": "ord_2", "total": 10.05, "lines": [{"sku": "A", "quantity": 1, "unit_price": 10.05}],
                          "placed_from": "::1", "tags": ["a", "b"]});
        let server =
            server_answering_once("POST", "/orders", ResponseTemplate::new(200).set_body_json(sent.clone())).await;
        let order: Order = serde_json::from_value(sent.clone()).unwrap();
        let stored = client(&server).create_order(&order).await.expect("the call succeeds");
        assert_eq!(stored, order);
        let body: Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
        assert_eq!(body, sent);
    }
}
