//! `plaid-client` writes money as JSON numbers without changing how the rest of the service's
//! build writes `rust_decimal::Decimal`: its amounts go through `rust_decimal::serde::float`
//! field by field (codegen.toml's `with`), and it turns on no behaviour-changing feature of
//! rust_decimal (cargo would turn it on for every crate of the build). This crate's own
//! decimals keep rust_decimal's default, a JSON string, while the report's amounts decode
//! exactly and travel as JSON numbers. (In the workspace, `cargo test --workspace` builds every
//! member together, so a member enabling `serde-float` would fail this test too.)

use plaid_client::mock::MockServer;
use plaid_client::types::CraMonitoringInsightsGetResponse;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A type of the service itself, holding a decimal.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Invoice {
    total: Decimal,
}

#[test]
fn the_services_own_decimals_keep_rust_decimals_default_a_json_string() {
    let invoice = Invoice { total: Decimal::new(123456, 2) };
    assert_eq!(serde_json::to_value(&invoice).unwrap(), json!({"total": "1234.56"}));
    assert_eq!(serde_json::to_string(&Decimal::new(1000000, 0)).unwrap(), "\"1000000\"");
    let read: Invoice = serde_json::from_value(json!({"total": "0.30"})).unwrap();
    assert_eq!(read.total.to_string(), "0.30", "the scale written is kept, as with a string");
}

/// The amounts of a report, wherever they are, as (JSON pointer, value) pairs.
fn amounts(value: &Value, at: String, found: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{key}");
                if ["amount", "current_amount", "baseline_amount", "available", "current"].contains(&key.as_str()) {
                    found.push((here.clone(), child.clone()));
                }
                amounts(child, here, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                amounts(item, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_reports_amounts_decode_exactly_and_travel_as_json_numbers() {
    let mock = MockServer::start().await;
    // The spec's example, over HTTP from the mock, decoded by the client.
    let request = plaid_client::types::CraMonitoringInsightsGetRequest::builder()
        .user_id("usr_1")
        .consumer_report_permissible_purpose(
            plaid_client::types::MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit,
        )
        .build()
        .unwrap();
    let report = mock.client().cra_monitoring_insights_get(&request).await.unwrap();
    let insights = report.items[0].insights.as_ref().expect("the example has insights");
    let current = insights.income.total_monthly_income.current_amount;
    assert_eq!(current, Decimal::new(49515, 1), "4951.5 decoded exactly");
    let accounts = report.items[0].accounts.as_ref().expect("the example has accounts");
    let sum: Decimal = accounts[0].transactions.iter().map(|transaction| transaction.amount).sum();
    let written: Decimal = ["-2450.0", "84.16", "1250.0"].iter().map(|amount| amount.parse::<Decimal>().unwrap()).sum();
    assert_eq!(sum, written, "the example's transactions add up exactly");

    // Sent back (the report re-encoded, as a service forwarding it would): numbers, not strings.
    let encoded = serde_json::to_value(&report).unwrap();
    let mut found = Vec::new();
    amounts(&encoded, String::new(), &mut found);
    assert!(found.len() >= 10, "the example has amounts: {found:?}");
    for (pointer, amount) in &found {
        assert!(amount.is_number() || amount.is_null(), "{pointer} is sent as {amount}");
    }
    assert_eq!(encoded.pointer("/items/0/insights/income/total_monthly_income/current_amount"), Some(&json!(4951.5)));

    // A report the service builds itself, with ten significant digits, goes over HTTP as a
    // JSON number and comes back as exactly that decimal.
    let mut built: CraMonitoringInsightsGetResponse = report.clone();
    let precise = "98765432.17".parse::<Decimal>().unwrap();
    built.items[0].accounts.as_mut().unwrap()[0].transactions[0].amount = precise;
    mock.cra_monitoring_insights_get().respond(&built);
    // Sent by hand, to see the body as it is on the wire, with the credentials the mock expects.
    mock.expect_client_id("id").expect_secret("secret");
    let raw = plaid_client::reqwest::Client::new()
        .post(format!("{}/cra/monitoring_insights/get", mock.uri()))
        .header("PLAID-CLIENT-ID", "id")
        .header("PLAID-SECRET", "secret")
        .header("Plaid-Version", "2020-09-14")
        .json(&json!({"user_id": "usr_1", "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(raw.contains("\"amount\":98765432.17"), "a JSON number on the wire: {}", &raw[..raw.len().min(400)]);
    assert!(!raw.contains("\"98765432.17\""), "not a string");
    let again = mock.client().cra_monitoring_insights_get(&request).await.unwrap();
    assert_eq!(again.items[0].accounts.as_ref().unwrap()[0].transactions[0].amount, precise);
}
