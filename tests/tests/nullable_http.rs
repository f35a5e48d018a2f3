//! Optional nullable properties over HTTP: a PATCH built with the builder sends `null` for
//! `Nullable::Null`, leaves out what was never set, and sends values as they are; a response that
//! says `null` and one that leaves the property out decode to different states; and the Plaid
//! client's error bodies keep their explicit nulls.

use fixture_profiles::types::{Preferences, ProfileUpdate, UpdateProfileParams};
use fixture_profiles::{Client, Error, Nullable};
use pipeline_tests::http::{answer, received};
use pipeline_tests::plaid::{exchange, Exchange};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    pipeline_tests::fixture_client!(fixture_profiles, server)
}

/// Serves `reply` to the PATCH and returns what each request sent.
async fn patch_server(reply: Value) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, "PATCH", "/profiles/prof_1", ResponseTemplate::new(200).set_body_json(reply)).await;
    server
}

async fn sent_bodies(server: &MockServer) -> Vec<Value> {
    let requests: Vec<Request> = received(server).await;
    requests.iter().map(|request| serde_json::from_slice(&request.body).expect("a JSON body")).collect()
}

/// An update that sets nothing.
fn nothing() -> ProfileUpdate {
    ProfileUpdate::builder().build().expect("nothing is required")
}

fn params() -> UpdateProfileParams {
    UpdateProfileParams::builder().id("prof_1").build().expect("valid parameters")
}

#[tokio::test]
async fn a_patch_sends_null_to_clear_leaves_out_what_was_not_set_and_sends_values() {
    let server = patch_server(json!({"id": "prof_1", "display_name": "Sam", "nickname": null})).await;
    let client = client(&server);
    let clear = ProfileUpdate::builder()
        .nickname(Nullable::Null)
        .preferences(Nullable::Null)
        .birth_year(1984)
        .build()
        .expect("a valid update");
    let updated = client.update_profile(&params(), &clear).await.expect("the call succeeds");
    assert!(updated.nickname.is_null(), "the response's explicit null is kept");
    assert!(updated.legal_name.is_none());

    let set = ProfileUpdate::builder()
        .nickname("Sammy")
        .preferences(Preferences::builder().language("cy").build().unwrap())
        .build()
        .expect("a valid update");
    client.update_profile(&params(), &set).await.expect("the call succeeds");
    // An update that sets nothing sends an empty object: every property stays as it is.
    client.update_profile(&params(), &nothing()).await.expect("the call succeeds");

    assert_eq!(
        sent_bodies(&server).await,
        [
            json!({"nickname": null, "birth_year": 1984, "preferences": null}),
            json!({"nickname": "Sammy", "preferences": {"language": "cy"}}),
            json!({}),
        ]
    );
}

#[tokio::test]
async fn absent_and_null_decode_to_different_states() {
    for (reply, absent, null) in [
        (json!({"id": "p", "display_name": "Sam"}), true, false),
        (json!({"id": "p", "display_name": "Sam", "nickname": null}), false, true),
    ] {
        let server = patch_server(reply.clone()).await;
        let profile = client(&server).update_profile(&params(), &nothing()).await.unwrap();
        assert_eq!((profile.nickname.is_absent(), profile.nickname.is_null()), (absent, null), "{reply}");
        assert_eq!(serde_json::to_value(&profile).unwrap(), reply, "re-encoded as it came");
    }
    let server = patch_server(json!({"id": "p", "display_name": "Sam", "nickname": "Sammy"})).await;
    let profile = client(&server).update_profile(&params(), &nothing()).await.unwrap();
    assert_eq!(profile.nickname.as_deref(), Some("Sammy"));
}

#[tokio::test]
async fn a_value_set_to_null_is_not_checked_and_a_value_is() {
    let server = patch_server(json!({"id": "p", "display_name": "Sam"})).await;
    // Assembled by hand, past the builder: the client checks it before sending.
    let too_long = ProfileUpdate { nickname: "a nickname far longer than twenty".into(), ..nothing() };
    let error = client(&server).update_profile(&params(), &too_long).await.expect_err("`maxLength: 20`");
    assert!(matches!(&error, Error::Validation(invalid) if invalid.path() == "nickname"), "{error:?}");
    let error = ProfileUpdate::builder().birth_year(1800).build().expect_err("`minimum: 1900`");
    assert_eq!(error.path(), "birth_year");
    assert!(ProfileUpdate::builder().birth_year(Nullable::Null).build().is_ok(), "`null` has no rules to break");
    assert!(sent_bodies(&server).await.is_empty(), "nothing invalid was sent");
}

#[tokio::test]
async fn a_plaid_error_with_explicit_nulls_reaches_the_caller_as_sent() {
    let body = json!({
        "error_type": "INVALID_REQUEST",
        "error_code": "MISSING_FIELDS",
        "error_code_reason": null,
        "error_message": "the following required fields are missing: user_id",
        "display_message": null,
        "request_id": "req-nulls",
        "status": null,
        "suggested_action": null
    });
    let response = ResponseTemplate::new(400).set_body_json(body.clone());
    let Exchange { result, .. } = exchange(response, plaid_client::RetryPolicy::none()).await;
    let error = result.expect_err("a 400");
    let plaid = error.api_error().expect("the declared error body");
    assert!(plaid.suggested_action.is_null() && plaid.status.is_null() && plaid.error_code_reason.is_null());
    assert_eq!(serde_json::to_value(plaid).unwrap(), body);
}
