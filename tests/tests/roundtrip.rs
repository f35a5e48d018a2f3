//! Decoding and re-encoding the spec's own example through the generated types: nothing the server sends may be
//! lost or altered on the way through the client.

use pipeline_tests::plaid::spec_example;
use plaid_client::types::{
    BaseReportTransaction, CraMonitoringInsightsGetResponse, MonitoringItemStatusCode, PlaidError, PlaidErrorType,
};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn decode(value: &Value) -> CraMonitoringInsightsGetResponse {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("the value does not decode: {e}"))
}

fn encode(response: &CraMonitoringInsightsGetResponse) -> Value {
    serde_json::to_value(response).expect("a decoded response encodes")
}

/// A copy of `value` in which every number is a float, so that `1` and `1.0` compare equal while any other
/// difference (a lost field, a changed string, an added null, another number) still shows.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64().expect("every JSON number has an f64 value")),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), numbers_as_floats(v))).collect()),
        other => other.clone(),
    }
}

/// Paths (`a.b[0].c`) of the first few places where two values differ, to make a failure readable.
fn differences(left: &Value, right: &Value) -> Vec<String> {
    fn walk(path: String, left: &Value, right: &Value, out: &mut Vec<String>) {
        match (left, right) {
            (Value::Object(l), Value::Object(r)) => {
                for key in l.keys().chain(r.keys().filter(|k| !l.contains_key(*k))) {
                    match (l.get(key), r.get(key)) {
                        (Some(a), Some(b)) => walk(format!("{path}.{key}"), a, b, out),
                        (Some(a), None) => out.push(format!("{path}.{key}: re-encoded as {a}, absent from the input")),
                        (None, Some(b)) => out.push(format!("{path}.{key}: absent after re-encoding, input {b}")),
                        (None, None) => {}
                    }
                }
            }
            (Value::Array(l), Value::Array(r)) if l.len() == r.len() => {
                for (i, (a, b)) in l.iter().zip(r).enumerate() {
                    walk(format!("{path}[{i}]"), a, b, out);
                }
            }
            (a, b) if a != b => out.push(format!("{path}: re-encoded as {a}, input {b}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(String::new(), left, right, &mut out);
    out.truncate(20);
    out
}

#[track_caller]
fn assert_same_json(actual: &Value, expected: &Value) {
    assert!(
        actual == expected,
        "re-encoded JSON differs from the input at:\n{}",
        differences(actual, expected).join("\n")
    );
}

#[test]
fn spec_example_round_trips_without_loss() {
    // `type: number` decodes to f64, so `1` comes back as `1.0`: the same JSON number, compared as such.
    let example = spec_example();
    let reencoded = encode(&decode(&example));
    assert_same_json(&numbers_as_floats(&reencoded), &numbers_as_floats(&example));
}

#[test]
fn spec_example_decodes_to_the_expected_values() {
    let report = decode(&spec_example());
    assert_eq!(report.request_id, "Tz8qW3mKp5Lx2Rb");
    assert_eq!(report.user_insights_id, "c3a9e1f4-72b0-4d5e-9a61-8f0b2d7c4e19");
    assert_eq!(report.items.len(), 2);
    assert!(report.extra.is_empty(), "no undeclared properties in the example: {:?}", report.extra);

    let first = &report.items[0];
    assert_eq!(first.item_id, "kJ4vRm8wQpTx2NbZ7cYdL1eHsA9fUg3oWi6E");
    assert_eq!(first.date_generated.to_rfc3339(), "2026-03-30T18:27:37+00:00");
    let insights = first.insights.as_ref().expect("the first item has insights");
    assert_eq!(insights.income.total_monthly_income.current_amount, Decimal::new(49515, 1));
    assert_eq!(insights.income.income_sources.len(), 2);
    let accounts = first.accounts.as_ref().expect("the first item has accounts");
    assert_eq!(accounts[0].transactions.len(), 3);
    assert_eq!(accounts[0].balances.limit, None);
    assert_eq!(accounts[0].balances.available, Some(Decimal::new(318427, 2)));

    assert_eq!(report.items[1].status.reason.as_deref().map(|r| r.starts_with("The latest refresh")), Some(true));
}

/// Money is a `rust_decimal::Decimal` (spec/codegen.toml): a JSON number decodes to exactly the decimal it
/// writes, sums stay exact, and it is sent back as the same JSON number, not as a string.
#[test]
fn money_decodes_exactly_and_encodes_as_a_json_number() {
    let transaction = |amount: Value| -> BaseReportTransaction {
        serde_json::from_value(json!({
            "account_id": "acc_1", "amount": amount, "iso_currency_code": "USD", "unofficial_currency_code": null,
            "original_description": "Coffee", "date": "2026-03-02", "pending": false, "transaction_id": "tx_1",
        }))
        .unwrap_or_else(|e| panic!("a transaction decodes: {e}"))
    };
    let decoded = transaction(json!(1234.56));
    assert_eq!(decoded.amount, Decimal::new(123456, 2));
    assert_eq!(decoded.amount.to_string(), "1234.56");
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert!(encoded["amount"].is_number(), "sent as a number: {}", encoded["amount"]);
    assert_eq!(encoded["amount"].to_string(), "1234.56");
    // The JSON number is the crate's own doing (`with = "rust_decimal::serde::float"` on its fields), not a
    // feature of rust_decimal: a `Decimal` on its own keeps rust_decimal's default, a string.
    assert_eq!(serde_json::to_string(&decoded.amount).unwrap(), "\"1234.56\"");

    // What f64 cannot do: 0.1 + 0.2 is exactly 0.3, and amounts with more digits survive as written.
    let sum = transaction(json!(0.1)).amount + transaction(json!(0.2)).amount;
    assert_eq!(sum, Decimal::new(3, 1));
    for written in ["-42.07", "0.01", "98765432.1", "1000000", "-0.5"] {
        let decoded = transaction(serde_json::from_str(written).unwrap());
        assert_eq!(decoded.amount.to_string(), written);
        // Sent as the same JSON number (an integral one may gain a `.0`).
        let sent = serde_json::to_value(&decoded).unwrap()["amount"].clone();
        assert!(sent.is_number() && sent.as_f64() == written.parse::<f64>().ok(), "{written} sent as {sent}");
    }
}

#[test]
fn known_enum_values_decode_to_their_named_variants() {
    let report = decode(&spec_example());
    assert_eq!(report.items[0].status.status_code, MonitoringItemStatusCode::Available);
    assert_eq!(report.items[1].status.status_code, MonitoringItemStatusCode::Pending);

    let failed: MonitoringItemStatusCode = serde_json::from_value(json!("FAILED")).unwrap();
    assert_eq!(failed, MonitoringItemStatusCode::Failed);
    assert_eq!(failed.as_str(), "FAILED");
    assert_eq!(serde_json::to_value(&failed).unwrap(), json!("FAILED"));
}

#[test]
fn unknown_enum_value_is_kept_in_the_catch_all_variant() {
    let mut example = spec_example();
    example["items"][0]["status"]["status_code"] = json!("PAUSED");

    let report = decode(&example);
    let code = &report.items[0].status.status_code;
    assert_eq!(*code, MonitoringItemStatusCode::Unknown("PAUSED".to_string()));
    assert_eq!(code.as_str(), "PAUSED");
    assert_eq!(code.to_string(), "PAUSED");

    let reencoded = encode(&report);
    assert_eq!(reencoded["items"][0]["status"]["status_code"], json!("PAUSED"));
    assert_same_json(&numbers_as_floats(&reencoded), &numbers_as_floats(&example));
}

#[test]
fn unknown_enum_value_spelled_like_a_known_one_in_another_case_is_not_mistaken_for_it() {
    let code: MonitoringItemStatusCode = serde_json::from_value(json!("available")).unwrap();
    assert_eq!(code, MonitoringItemStatusCode::Unknown("available".to_string()));
    assert_eq!(serde_json::to_value(&code).unwrap(), json!("available"));
}

#[test]
fn unknown_fields_are_kept_where_additional_properties_are_allowed() {
    let mut example = spec_example();
    example["items"][0]["brand_new_field"] = json!({"x": 1});
    example["brand_new_top_level"] = json!([1, "two", null]);
    example["items"][1]["status"]["brand_new_status_detail"] = json!("maybe");

    let report = decode(&example);
    assert_eq!(report.items[0].extra.get("brand_new_field"), Some(&json!({"x": 1})));
    assert_eq!(report.items[0].extra.len(), 1, "only the new field is extra: {:?}", report.items[0].extra);
    assert!(report.items[1].extra.is_empty());
    assert_eq!(report.extra.get("brand_new_top_level"), Some(&json!([1, "two", null])));
    assert_eq!(report.items[1].status.extra.get("brand_new_status_detail"), Some(&json!("maybe")));

    let reencoded = encode(&report);
    // The added values are integers/strings held as raw JSON, so they come back exactly.
    assert_eq!(reencoded["items"][0]["brand_new_field"], json!({"x": 1}));
    assert_eq!(reencoded["brand_new_top_level"], json!([1, "two", null]));
    assert_same_json(&numbers_as_floats(&reencoded), &numbers_as_floats(&example));
}

#[test]
fn missing_required_field_fails_to_decode() {
    let mut example = spec_example();
    example.as_object_mut().unwrap().remove("request_id").expect("the example has a request_id");
    let error = serde_json::from_value::<CraMonitoringInsightsGetResponse>(example).unwrap_err();
    assert!(error.to_string().contains("request_id"), "the error names the field: {error}");
}

#[test]
fn missing_required_nested_field_fails_to_decode() {
    let mut example = spec_example();
    example["items"][1]["status"].as_object_mut().unwrap().remove("status_code").unwrap();
    let error = serde_json::from_value::<CraMonitoringInsightsGetResponse>(example).unwrap_err();
    assert!(error.to_string().contains("status_code"), "the error names the field: {error}");
}

#[test]
fn required_nullable_field_accepts_null_and_keeps_it() {
    // `insights` is required but nullable: null must decode to None and be written back as null, not dropped.
    let mut example = spec_example();
    example["items"][1]["insights"] = Value::Null;
    let report = decode(&example);
    assert!(report.items[1].insights.is_none());
    let reencoded = encode(&report);
    assert_eq!(reencoded["items"][1].get("insights"), Some(&Value::Null));
}

#[test]
fn wrongly_typed_value_fails_to_decode() {
    let mut example = spec_example();
    example["items"][0]["date_generated"] = json!("yesterday");
    assert!(serde_json::from_value::<CraMonitoringInsightsGetResponse>(example).is_err());
}

fn plaid_error_body() -> Value {
    json!({
        "error_type": "INVALID_REQUEST",
        "error_code": "MISSING_FIELDS",
        "error_message": "the following required fields are missing: consumer_report_permissible_purpose",
        "display_message": null,
        "request_id": "req-abc",
        "causes": [{"item_id": "item-1", "error_code": "ITEM_LOGIN_REQUIRED"}],
        "documentation_url": "https://plaid.com/docs/errors/invalid-request/#missing_fields",
        "suggested_action": "Add the missing field and retry.",
        "required_account_subtypes": ["checking"],
        "provided_account_subtypes": [],
        "brand_new_error_field": {"nested": true}
    })
}

#[test]
fn plaid_error_round_trips() {
    let body = plaid_error_body();
    let error: PlaidError = serde_json::from_value(body.clone()).expect("the error body decodes");
    assert_eq!(error.error_type, PlaidErrorType::InvalidRequest);
    assert_eq!(error.error_code, "MISSING_FIELDS");
    assert_eq!(error.display_message, None);
    assert_eq!(error.request_id.as_deref(), Some("req-abc"));
    assert_eq!(error.causes.as_ref().map(Vec::len), Some(1));
    assert_eq!(error.provided_account_subtypes, Some(vec![]));
    assert_eq!(error.extra.get("brand_new_error_field"), Some(&json!({"nested": true})));

    let reencoded = serde_json::to_value(&error).unwrap();
    assert_same_json(&reencoded, &body);
}

#[test]
fn plaid_error_with_explicit_nulls_round_trips() {
    // The shape Plaid actually sends: optional nullable properties present with null.
    let body = json!({
        "error_type": "INVALID_REQUEST",
        "error_code": "MISSING_FIELDS",
        "error_code_reason": null,
        "error_message": "the following required fields are missing: consumer_report_permissible_purpose",
        "display_message": null,
        "request_id": "req-abc",
        "causes": [],
        "status": null,
        "documentation_url": "https://plaid.com/docs/errors/invalid-request/#missing_fields",
        "suggested_action": null
    });
    let error: PlaidError = serde_json::from_value(body.clone()).expect("the error body decodes");
    assert_same_json(&serde_json::to_value(&error).unwrap(), &body);
}

#[test]
fn plaid_error_with_unknown_error_type_is_kept() {
    let mut body = plaid_error_body();
    body["error_type"] = json!("QUANTUM_ERROR");
    let error: PlaidError = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(error.error_type, PlaidErrorType::Unknown("QUANTUM_ERROR".to_string()));
    assert_same_json(&serde_json::to_value(&error).unwrap(), &body);
}

#[test]
fn plaid_error_without_required_nullable_field_decodes_leniently() {
    // Responses are lenient: a required but nullable property that is absent decodes as `None`,
    // just as an explicit `null` would (a required non-nullable one, `request_id`, still fails).
    let mut body = plaid_error_body();
    body.as_object_mut().unwrap().remove("display_message");
    let error = serde_json::from_value::<PlaidError>(body).expect("lenient decode");
    assert_eq!(error.display_message, None);
}
