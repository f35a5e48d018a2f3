//! Personal data never reaches `Debug` output. A report served over HTTP carries a unique sentinel in
//! every personal field spec/codegen.toml marks (`[sensitive]`), at several depths, and in
//! properties no schema declares; the client decodes it, and neither `{:?}` nor `{:#?}` of the report,
//! or of any part of it, shows a sentinel, while the other values still show. The `profiles` fixture
//! does the same for what a spec marks itself (`format: password`, `x-sensitive` on a property, on
//! the schema it references and on array items) and for builders and unions.

use fixture_profiles::types::{GetProfileParams, Preferences, ProfileUpdate};
use pipeline_tests::plaid::{exchange, spec_example, Exchange};
use plaid_client::RetryPolicy;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Sets the value at a JSON pointer that exists in `value`.
#[track_caller]
fn set(value: &mut Value, pointer: &str, new: Value) {
    *value.pointer_mut(pointer).unwrap_or_else(|| panic!("the example has {pointer}")) = new;
}

/// Where the personal fields of the Plaid report are, each given its own sentinel.
const PERSONAL: &[&str] = &[
    "/items/0/accounts/0/owners/0/names/0",
    "/items/0/accounts/0/owners/0/phone_numbers/1/data",
    "/items/0/accounts/0/owners/0/emails/0/data",
    "/items/0/accounts/0/owners/0/addresses/0/data/street",
    "/items/0/accounts/0/owners/0/addresses/0/data/city",
    "/items/0/accounts/0/name",
    "/items/0/accounts/0/mask",
    "/items/0/accounts/0/consumer_disputes/0/statement",
    "/items/0/accounts/0/transactions/0/account_owner",
    "/items/0/accounts/0/transactions/0/name",
    "/items/0/accounts/0/transactions/0/original_description",
    "/items/0/accounts/0/transactions/1/location/address",
    "/items/0/accounts/0/transactions/1/location/postal_code",
    "/items/0/insights/income/income_sources/0/income_description",
    "/items/1/accounts/0/transactions/0/account_owner",
];

fn sentinel(index: usize) -> String {
    format!("SENTINEL-{index:02}-PERSONAL")
}

/// The example with a sentinel in each personal field, sentinel coordinates, and sentinels in
/// properties the schemas do not declare: at the top, in a transaction, and in an owner.
fn report_with_sentinels() -> Value {
    let mut report = spec_example();
    for (index, pointer) in PERSONAL.iter().enumerate() {
        set(&mut report, pointer, json!(sentinel(index)));
    }
    set(&mut report, "/items/0/accounts/0/transactions/1/location/lat", json!(12.3456789));
    set(&mut report, "/items/0/accounts/0/transactions/1/location/lon", json!(-98.7654321));
    report["undeclared_top"] = json!("SENTINEL-UNKNOWN-TOP");
    report["items"][0]["accounts"][0]["transactions"][2]["undeclared_nested"] =
        json!({"deep": ["SENTINEL-UNKNOWN-NESTED"]});
    report["items"][0]["accounts"][0]["owners"][0]["undeclared_owner"] = json!("SENTINEL-UNKNOWN-OWNER");
    report
}

#[track_caller]
fn assert_hidden(what: &str, debug: &str) {
    for (index, _) in PERSONAL.iter().enumerate() {
        assert!(!debug.contains(&sentinel(index)), "{what} shows {} ({}):\n{debug}", sentinel(index), PERSONAL[index]);
    }
    for leak in ["SENTINEL-UNKNOWN", "12.3456789", "-98.7654321"] {
        assert!(!debug.contains(leak), "{what} shows {leak}:\n{debug}");
    }
}

#[tokio::test]
async fn a_reports_personal_data_and_undeclared_values_never_show_in_debug() {
    let response = ResponseTemplate::new(200).set_body_json(report_with_sentinels());
    let Exchange { result, .. } = exchange(response, RetryPolicy::none()).await;
    let report = result.expect("the call succeeds");

    // The values are all there, unchanged, for code that reads them.
    let account = &report.items[0].accounts.as_ref().unwrap()[0];
    assert_eq!(account.owners[0].names[0], sentinel(0));
    assert_eq!(account.transactions[0].account_owner.as_deref(), Some(sentinel(8).as_str()));
    assert_eq!(report.extra["undeclared_top"], json!("SENTINEL-UNKNOWN-TOP"));

    for debug in [format!("{report:?}"), format!("{report:#?}")] {
        assert_hidden("the report", &debug);
        // What is not personal still shows, and so do the names of undeclared properties.
        for shown in [
            "kJ4vRm8wQpTx2NbZ7cYdL1eHsA9fUg3oWi6E",
            "Greenleaf Grocers",
            "Platypus Plus Interest Checking",
            "Portland",
            "undeclared_top",
            "undeclared_nested",
            "undeclared_owner",
            "[redacted]",
        ] {
            assert!(debug.contains(shown), "`{shown}` shows:\n{debug}");
        }
    }
    // Any part printed on its own hides the same: an owner, one phone number, a transaction.
    let parts = [
        format!("{:#?}", account.owners[0]),
        format!("{:?}", account.owners[0].phone_numbers[1]),
        format!("{:?}", account.owners[0].emails[0]),
        format!("{:?}", account.owners[0].addresses[0]),
        format!("{:?}", account.transactions),
        format!("{:?}", account.transactions[1].location),
        format!("{:?}", account.consumer_disputes),
        format!("{:?}", report.items[0].insights),
    ];
    for part in &parts {
        assert_hidden("a part of the report", part);
    }
}

/// A profile with a sentinel in every value its spec or codegen.toml marks.
fn profile() -> Value {
    json!({
        "id": "prof_1",
        "display_name": "Shown Name",
        "legal_name": "SENTINEL-LEGAL-NAME",
        "password": "SENTINEL-PASSWORD",
        "tax_id": "SENTINEL-TAX-ID",
        "pin": 987654321,
        "contact": {"email": "SENTINEL-CONTACT-EMAIL", "phone": "SENTINEL-CONTACT-PHONE"},
        "recovery_codes": ["SENTINEL-RECOVERY-1", "SENTINEL-RECOVERY-2"],
        "nickname": null,
        "preferences": {"language": "en-GB", "security_question": "SENTINEL-QUESTION"},
        "devices": {"dev_1": {"label": "Laptop", "last_ip": "SENTINEL-LAST-IP"}},
        "avatar": {"data_uri": "SENTINEL-AVATAR-UNKNOWN-MEMBER"},
        "undeclared": {"ssn": "SENTINEL-UNDECLARED"}
    })
}

#[tokio::test]
async fn what_a_spec_marks_never_shows_in_debug_at_any_depth() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/profiles/prof_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(profile()))
        .mount(&server)
        .await;
    let client = pipeline_tests::fixture_client!(fixture_profiles, server);
    let params = GetProfileParams::builder().id("prof_1").build().expect("valid parameters");
    let profile = client.get_profile(&params).await.expect("the call succeeds");
    assert_eq!(profile.password.as_ref().map(|password| password.expose()), Some("SENTINEL-PASSWORD"));
    assert_eq!(profile.pin, Some(987654321));
    for debug in [format!("{profile:?}"), format!("{profile:#?}")] {
        assert!(!debug.contains("SENTINEL") && !debug.contains("987654321"), "{debug}");
        for shown in ["prof_1", "Shown Name", "en-GB", "Laptop", "dev_1", "undeclared", "data_uri", "Null"] {
            assert!(debug.contains(shown), "`{shown}` shows:\n{debug}");
        }
    }
    let contact = profile.contact.as_ref().expect("a contact");
    assert_eq!(format!("{contact:?}"), "Contact([redacted])", "a schema marked as a whole");
    assert_eq!(contact.email.as_deref(), Some("SENTINEL-CONTACT-EMAIL"));

    // Builders of request types hide the same values.
    let update = ProfileUpdate::builder()
        .legal_name("SENTINEL-NEW-LEGAL-NAME")
        .password("SENTINEL-NEW-PASSWORD")
        .preferences(Preferences::builder().security_question("SENTINEL-NEW-QUESTION").build().unwrap());
    let built = update.clone().build().expect("a valid update");
    for debug in [format!("{update:?}"), format!("{update:#?}"), format!("{built:?}"), format!("{built:#?}")] {
        assert!(!debug.contains("SENTINEL"), "{debug}");
    }
}
