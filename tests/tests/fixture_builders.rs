//! Builders for the types a client receives: how a test makes a response fixture without a struct
//! literal, so that it keeps compiling when the spec adds optional properties.
//!
//! - `a_report_built_from_builders_travels_through_the_mock_unchanged`
//! - `a_missing_required_property_is_named_by_its_wire_name`
//! - `received_types_can_set_what_the_server_sets`
//! - `boxed_recursive_properties_take_plain_values`
//! - `a_fixture_builder_redacts_sensitive_values_it_holds`

use chrono::{TimeZone, Utc};
use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetResponse, CraMonitoringInsightsItem,
    MonitoringConsumerReportPermissiblePurpose, MonitoringInsightsItemStatus, MonitoringItemStatusCode,
};
use plaid_client::Nullable;

fn item(name: &str) -> CraMonitoringInsightsItem {
    CraMonitoringInsightsItem::builder()
        .date_generated(Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap())
        .item_id(format!("item-{name}"))
        .institution_id("ins_1")
        .institution_name(name)
        // Required but nullable: a fixture says `null` explicitly, as the server must.
        .insights(None)
        .status(
            MonitoringInsightsItemStatus::builder()
                .status_code(MonitoringItemStatusCode::Available)
                .reason(Nullable::Null)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_report_built_from_builders_travels_through_the_mock_unchanged() {
    let report = CraMonitoringInsightsGetResponse::builder()
        .request_id("req-fixture")
        .user_insights_id("insights-1")
        .items(vec![item("First Bank"), item("Second Bank")])
        .build()
        .unwrap();
    let mock = plaid_client::mock::MockServer::start().await;
    mock.cra_monitoring_insights_get().respond(&report);
    let request = CraMonitoringInsightsGetRequest::builder()
        .user_id("user-1")
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .build()
        .unwrap();
    let received = mock.client().cra_monitoring_insights_get(&request).await.unwrap();
    assert_eq!(received, report);
    // Left-out optional properties stay absent on the wire, as the server would leave them out.
    let raw = mock.client().cra_monitoring_insights_get_with_response(&request).await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(raw.body()).unwrap();
    assert!(json["items"][0]["insights"].is_null());
    assert!(json["items"][0].get("accounts").is_none());
    assert!(json["items"][0]["status"]["reason"].is_null());
}

#[test]
fn a_missing_required_property_is_named_by_its_wire_name() {
    let error = CraMonitoringInsightsGetResponse::builder().request_id("req").items(Vec::new()).build().unwrap_err();
    assert_eq!(error.path(), "user_insights_id");
    assert!(matches!(error.problem(), plaid_client::validation::Problem::Missing));
}

#[test]
fn received_types_can_set_what_the_server_sets() {
    // `Account` is sent and received: its read-only `id` and `api_token` can be set for a
    // fixture of what the server returns.
    let account = fixture_access::types::Account::builder()
        .id("acc-1")
        .name("ann")
        .password("pw")
        .api_token("token-value")
        .build()
        .unwrap();
    assert_eq!(account.id.as_deref(), Some("acc-1"));
    assert!(account.api_token.is_some());
}

#[test]
fn boxed_recursive_properties_take_plain_values() {
    use fixture_recursion::types::{Link, Node};
    let leaf = Node::builder().value("leaf").build().unwrap();
    // `target` is required and boxed, `parent` optional and boxed.
    let link = Link::builder().target(leaf.clone()).build().unwrap();
    assert_eq!(*link.target, leaf);
    let root = Node::builder().value("root").parent(leaf.clone()).link(link).build().unwrap();
    assert_eq!(root.parent.as_deref(), Some(&leaf));
    assert_eq!(Link::builder().build().unwrap_err().path(), "target");
}

#[test]
fn a_fixture_builder_redacts_sensitive_values_it_holds() {
    let builder = fixture_access::types::Account::builder().name("ann").api_token("sentinel-token-4417");
    let shown = format!("{builder:?}");
    assert!(!shown.contains("sentinel-token-4417"), "{shown}");
    assert!(shown.contains("ann"), "{shown}");
}
