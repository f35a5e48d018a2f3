//! The client generated for the `object_params` fixture against a local mock server: object,
//! map and union parameters in every style, parameters given by `content`, cookies, label and
//! matrix paths, and the path mistakes real specs make, checked on the wire.

use std::collections::BTreeMap;

use fixture_object_params::types::{
    GetCodeOrderParams, GetPointConsistency, GetPointConsistencyVariant2, GetPointParams, GetTileLayers, GetTileParams,
    PointId, ProductFilter, ProductFilterPrice, ProductFilterSize, ProductFilterVariantsItem, SearchProductsBounds,
    SearchProductsPage, SearchProductsParams, SearchProductsTheme, SearchProductsWhere, SearchProductsXContext,
};
use fixture_object_params::Client;
use pipeline_tests::http::{header_values, only_request, pairs, query_pairs, sent_by};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    pipeline_tests::fixture_client!(fixture_object_params, server)
}

/// A server that answers every request with `status` (and an empty JSON object for 200).
async fn mock_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let response = ResponseTemplate::new(status);
    let response = if status == 200 { response.set_body_json(json!({})) } else { response };
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    server
}

fn filter() -> ProductFilter {
    ProductFilter {
        color: Some("red & blue".into()),
        size: Some(ProductFilterSize::L),
        price: Some(ProductFilterPrice { min: Some(1), max: None }),
        tags: Some(vec!["a=b".into(), "c".into()]),
        variants: Some(vec![
            ProductFilterVariantsItem { sku: Some("X-1".into()) },
            ProductFilterVariantsItem { sku: Some("Y/2".into()) },
        ]),
    }
}

#[tokio::test]
async fn object_parameters_are_sent_in_their_styles() {
    let server = mock_server(204).await;
    let metadata: BTreeMap<String, String> =
        [("order id".to_string(), "7#1".to_string()), ("kind".to_string(), "gift".to_string())].into();
    let params = SearchProductsParams::builder()
        .shop_id("main")
        .filter(filter())
        .metadata(metadata)
        .page(SearchProductsPage { number: Some(2), size: Some(50) })
        .bounds(SearchProductsBounds { lat: 1.5, lng: -2.0 })
        .where_(SearchProductsWhere { name: Some("café".into()), stock: Some(3) })
        .x_context(SearchProductsXContext { locale: Some("en-GB".into()), tenant: Some("t1".into()) })
        .x_query(vec!["a".to_string(), "b\"c".to_string()])
        .session("s3cr3t; x=1")
        .theme(SearchProductsTheme::Dark)
        .build()
        .expect("the parameters are valid");

    client(&server).search_products(&params).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/shops/main/products");
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            // deepObject: nested objects in brackets, scalar arrays with `[]`, arrays of objects
            // by index; absent properties (`price.max`) are left out.
            ("filter[color]", "red & blue"),
            ("filter[price][min]", "1"),
            ("filter[size]", "L"),
            ("filter[tags][]", "a=b"),
            ("filter[tags][]", "c"),
            ("filter[variants][0][sku]", "X-1"),
            ("filter[variants][1][sku]", "Y/2"),
            // A map in deepObject style.
            ("metadata[kind]", "gift"),
            ("metadata[order id]", "7#1"),
            // Exploded form object: one pair per property.
            ("number", "2"),
            ("size", "50"),
            // Form object without explode.
            ("bounds", "lat,1.5,lng,-2.0"),
            // By `content`: the JSON text.
            ("where", r#"{"name":"café","stock":3}"#),
        ])
    );
    // Reserved characters in keys and values are percent-encoded on the wire.
    let raw = request.url.query().expect("a query string");
    assert!(raw.contains("filter%5Bcolor%5D=red+%26+blue"), "{raw}");
    assert!(raw.contains("filter%5Btags%5D%5B%5D=a%3Db"), "{raw}");
    assert!(raw.contains("metadata%5Border+id%5D=7%231"), "{raw}");
    assert!(raw.contains("where=%7B%22name%22%3A%22caf%C3%A9%22"), "{raw}");

    assert_eq!(header_values(&request, "X-Context"), ["locale,en-GB,tenant,t1"]);
    assert_eq!(header_values(&request, "X-Query"), [r#"["a","b\"c"]"#]);
    // Both cookies in one header, values percent-encoded so they cannot end the cookie.
    assert_eq!(header_values(&request, "cookie"), ["session=s3cr3t%3B%20x%3D1; theme=dark"]);
}

#[tokio::test]
async fn absent_optional_parameters_send_nothing() {
    let server = mock_server(204).await;
    let params = SearchProductsParams::builder()
        .shop_id("main")
        .filter(ProductFilter { color: None, size: None, price: None, tags: None, variants: None })
        .page(SearchProductsPage { number: None, size: Some(5) })
        .session("abc")
        .build()
        .unwrap();

    client(&server).search_products(&params).await.expect("the call succeeds");

    let request = only_request(&server).await;
    assert_eq!(query_pairs(&request), pairs(&[("size", "5")]));
    assert!(header_values(&request, "X-Context").is_empty());
    assert_eq!(header_values(&request, "cookie"), ["session=abc"]);
}

#[tokio::test]
async fn union_parameters_are_written_as_their_variant() {
    let uuid = "550e8400-e29b-41d4-a716-446655440000";
    let majority = GetPointConsistency::GetPointConsistencyVariant2(GetPointConsistencyVariant2::Majority);
    let cases = [
        (PointId::String(uuid.into()), majority, format!("/points/{uuid}"), "majority"),
        (PointId::Integer(42), GetPointConsistency::Integer(3), "/points/42".to_string(), "3"),
    ];
    for (point_id, consistency, expected_path, expected_consistency) in cases {
        let server = mock_server(200).await;
        let params = GetPointParams::builder().point_id(point_id).consistency(consistency).build().unwrap();
        let request = sent_by(&server, client(&server).get_point(&params)).await;
        assert_eq!(request.url.path(), expected_path);
        assert_eq!(query_pairs(&request), pairs(&[("consistency", expected_consistency)]));
    }
}

#[tokio::test]
async fn label_and_matrix_path_parameters() {
    let server = mock_server(204).await;
    let params = GetTileParams::builder()
        .coords(vec![3_i64, 4, 5])
        .layers(GetTileLayers { base: Some("road map".into()), overlay: Some("traffic".into()) })
        .build()
        .unwrap();
    let request = sent_by(&server, client(&server).get_tile(&params)).await;
    assert_eq!(request.url.path(), "/tiles/.3.4.5/;layers=base,road%20map,overlay,traffic");
}

#[tokio::test]
async fn path_mistakes_of_real_specs_are_tolerated() {
    let server = mock_server(204).await;
    // `shortCode` is both a path and a query parameter; `userid` is spelled `{userId}` in the
    // path; `{orderId}` is not declared at all; `ghost` names no placeholder and is left out.
    let params = GetCodeOrderParams::builder()
        .short_code("A/1")
        .short_code_query("B 2")
        .userid("u1")
        .order_id("o9")
        .build()
        .unwrap();
    let request = sent_by(&server, client(&server).get_code_order(&params)).await;
    assert_eq!(request.url.path(), "/codes/A%2F1/users/u1/orders/o9");
    assert_eq!(query_pairs(&request), pairs(&[("shortCode", "B 2")]));
}
