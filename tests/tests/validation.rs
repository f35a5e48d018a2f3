//! Request builders and client-side validation of the generated request type.

use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetRequestBuilder, MonitoringConsumerReportPermissiblePurpose,
};
use plaid_client::validation::Problem;
use plaid_client::Validate;
use serde_json::json;

const PURPOSE_FIELD: &str = "consumer_report_permissible_purpose";

/// A builder with its one required field set: the purpose is an account review.
fn account_review() -> CraMonitoringInsightsGetRequestBuilder {
    CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
}

#[test]
fn builder_without_required_field_fails_naming_it() {
    let error = CraMonitoringInsightsGetRequest::builder().user_id("usr_123").build().unwrap_err();
    assert_eq!(error.path(), PURPOSE_FIELD);
    assert_eq!(*error.problem(), Problem::Missing);
    let message = error.to_string();
    assert!(message.contains(PURPOSE_FIELD), "the message names the field: {message}");
}

#[test]
fn empty_builder_fails_on_the_required_field() {
    let error = CraMonitoringInsightsGetRequest::builder().build().unwrap_err();
    assert_eq!(error.path(), PURPOSE_FIELD);
}

#[test]
fn builder_with_required_field_serializes_only_the_set_fields() {
    let request = account_review().user_id("usr_123").build().expect("all required fields are set");
    assert_eq!(
        request.consumer_report_permissible_purpose,
        MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit
    );
    assert_eq!(request.user_id.as_deref(), Some("usr_123"));
    assert_eq!(request.client_id, None);
    assert_eq!(request.secret, None);
    assert_eq!(request.user_token, None);

    // Unset optional fields are left out, not sent as null.
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body, json!({"consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT", "user_id": "usr_123"}));
    let text = serde_json::to_string(&request).unwrap();
    assert!(!text.contains("null"), "no nulls in {text}");
}

#[test]
fn builder_with_only_the_required_field_serializes_just_it() {
    let request = CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::WrittenInstructionOther)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"consumer_report_permissible_purpose": "WRITTEN_INSTRUCTION_OTHER"})
    );
}

#[test]
fn builder_with_every_field_serializes_every_field() {
    let request = CraMonitoringInsightsGetRequest::builder()
        .client_id("cid")
        .secret("sec")
        .user_id("usr_1")
        .user_token("tok_1")
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::WrittenInstructionOther)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "client_id": "cid",
            "secret": "sec",
            "user_id": "usr_1",
            "user_token": "tok_1",
            "consumer_report_permissible_purpose": "WRITTEN_INSTRUCTION_OTHER"
        })
    );
    assert!(request.validate().is_ok());
}

#[test]
fn built_request_passes_validation() {
    let request = account_review().build().unwrap();
    assert_eq!(request.validate(), Ok(()));
}

fn hand_made_request_with_unknown_purpose() -> CraMonitoringInsightsGetRequest {
    CraMonitoringInsightsGetRequest {
        client_id: None,
        secret: None,
        user_id: Some("usr_123".to_string()),
        consumer_report_permissible_purpose: MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into()),
        user_token: None,
    }
}

#[test]
fn hand_made_request_with_unknown_enum_value_fails_validation() {
    let error = hand_made_request_with_unknown_purpose().validate().unwrap_err();
    assert_eq!(error.path(), PURPOSE_FIELD);
    assert_eq!(*error.problem(), Problem::NotListed);
    let message = error.to_string();
    assert!(
        message.contains(PURPOSE_FIELD) && !message.contains("NOPE") && !format!("{error:?}").contains("NOPE"),
        "the message names the field, never the value: {message}"
    );
}

#[test]
fn builder_with_unknown_enum_value_fails_at_build() {
    let error = CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into()))
        .user_id("usr_123")
        .build()
        .unwrap_err();
    assert_eq!(error.path(), PURPOSE_FIELD);
    assert_eq!(*error.problem(), Problem::NotListed);
}

#[test]
fn unknown_wire_value_deserializes_to_the_catch_all_and_is_caught_by_validation() {
    // A value arriving through serde (e.g. from a config file) cannot slip past validation either.
    let request: CraMonitoringInsightsGetRequest =
        serde_json::from_value(json!({"consumer_report_permissible_purpose": "NOPE"})).unwrap();
    assert_eq!(
        request.consumer_report_permissible_purpose,
        MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into())
    );
    assert_eq!(request.validate().unwrap_err().path(), PURPOSE_FIELD);
}

#[test]
fn debug_of_request_and_builder_hides_the_secret() {
    let builder = account_review().user_id("usr_123").secret("s3cr3t-value");
    let builder_debug = format!("{builder:?}");
    let builder_pretty = format!("{builder:#?}");
    let request = builder.build().unwrap();
    let request_debug = format!("{request:?}");
    let request_pretty = format!("{request:#?}");

    // The other fields are still shown, so the check below is not passing because Debug prints nothing.
    assert!(request_debug.contains("usr_123"), "{request_debug}");
    assert!(builder_debug.contains("usr_123"), "{builder_debug}");
    for text in [&builder_debug, &builder_pretty, &request_debug, &request_pretty] {
        assert!(!text.contains("s3cr3t-value"), "the secret leaks through Debug: {text}");
    }
    // The secret is still sent: redaction is for Debug only.
    assert_eq!(serde_json::to_value(&request).unwrap()["secret"], json!("s3cr3t-value"));
}

#[test]
fn the_user_token_is_a_secret_in_debug_but_sent_as_is() {
    let request = account_review().user_token("user-sandbox-0f1e2d3c").build().expect("a valid request");
    let debug = format!("{request:?}");
    assert!(!debug.contains("user-sandbox-0f1e2d3c") && debug.contains("[redacted]"), "{debug}");
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["user_token"], "user-sandbox-0f1e2d3c");
}
