//! Credentials on the mock server: where each travels, the value the server expects (the one
//! the mock's own client sends, unless a test says otherwise), and the check of a request
//! against an operation's security. A refusal names the credential, never a value.

use std::collections::BTreeMap;

use super::{Incoming, MockOperation};
use crate::secret::Secret;

/// Where a credential travels.
#[allow(dead_code, reason = "the generated `MOCK_CREDENTIALS` names the ways its spec's credentials travel")]
#[derive(Debug, Clone, Copy)]
pub enum Travels {
    Header(&'static str),
    Query(&'static str),
    Cookie(&'static str),
    /// `Authorization: <scheme> …`, e.g. `Bearer`; with an empty scheme, the whole value.
    Authorization(&'static str),
}

/// The value of a credential that the mock's client sends and the server expects, until a test
/// expects another.
#[allow(dead_code, reason = "the generated `MOCK_CREDENTIALS` names the kinds of value its spec's credentials have")]
#[derive(Debug, Clone, Copy)]
pub enum MockValue {
    /// A made-up value, which the mock's client sets.
    Text(&'static str),
    /// The value the client sends by itself when none is set (the spec's default); the mock's
    /// client leaves the credential unset, so that what the client really sends is compared.
    Default(&'static str),
    /// A made-up username and password.
    Basic(&'static str, &'static str),
}

/// A credential of the API, as the mock server knows it.
#[derive(Debug)]
pub struct MockCredential {
    pub travels: Travels,
    pub value: MockValue,
    /// The `MockServer` method that changes the value expected, e.g. `expect_api_key`.
    pub expect: &'static str,
}

/// A credential value the server expects, kept as secrets.
#[derive(Clone)]
pub enum Expected {
    Text(Secret),
    Basic { username: Secret, password: Secret },
}

impl Expected {
    pub fn text(value: impl Into<Secret>) -> Self {
        Expected::Text(value.into())
    }

    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Expected::Basic { username: Secret::new(username), password: password.into() }
    }

    fn of(value: MockValue) -> Self {
        match value {
            MockValue::Text(text) | MockValue::Default(text) => Expected::text(text),
            MockValue::Basic(username, password) => Expected::basic(username, password),
        }
    }
}

/// The values the server compares credentials with.
pub(super) struct Expectations<'a> {
    pub(super) credentials: &'static [MockCredential],
    /// What tests expected instead of the table's values, by credential.
    pub(super) changed: &'a BTreeMap<usize, Expected>,
    /// Whether any value is accepted (the command line's `mock`, used with real credentials).
    pub(super) any_value: bool,
}

impl Expectations<'_> {
    /// The value expected for a credential; `None` when any value will do.
    fn expected(&self, index: usize, credential: &MockCredential) -> Option<Expected> {
        if self.any_value {
            return None;
        }
        Some(self.changed.get(&index).cloned().unwrap_or_else(|| Expected::of(credential.value)))
    }

    /// What the mock's client sets for a credential: `None` for one it leaves to the client's
    /// default.
    pub(super) fn client_value(&self, index: usize) -> Option<Expected> {
        match (self.changed.get(&index), self.credentials.get(index)?.value) {
            (Some(changed), _) => Some(changed.clone()),
            (None, MockValue::Default(_)) => None,
            (None, value) => Some(Expected::of(value)),
        }
    }
}

/// How a credential is found in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Missing,
    /// Present, with another value than the one expected.
    Wrong,
    Right,
}

/// Whether the request carries, with the expected values, every credential of one of the
/// operation's alternatives; otherwise why not.
pub(super) fn check(
    expectations: &Expectations<'_>,
    operation: &MockOperation,
    incoming: &Incoming<'_>,
) -> Result<(), String> {
    if operation.security.is_empty() || operation.security.iter().any(|alternative| alternative.is_empty()) {
        return Ok(());
    }
    let found = |index: &usize| match expectations.credentials.get(*index) {
        Some(credential) => find(credential, expectations.expected(*index, credential).as_ref(), incoming),
        None => Found::Missing,
    };
    let outcomes: Vec<Vec<Found>> =
        operation.security.iter().map(|alternative| alternative.iter().map(found).collect()).collect();
    if outcomes.iter().any(|outcome| outcome.iter().all(|found| *found == Found::Right)) {
        return Ok(());
    }
    // An alternative whose credentials are all there, with some value wrong: say which.
    let sent = operation.security.iter().zip(&outcomes).find(|(_, outcome)| !outcome.contains(&Found::Missing));
    if let Some((alternative, outcome)) = sent {
        let wrong: Vec<String> = alternative
            .iter()
            .zip(outcome)
            .filter(|(_, found)| **found == Found::Wrong)
            .filter_map(|(index, _)| expectations.credentials.get(*index))
            .map(|credential| format!("{} (see `MockServer::{}`)", describe(credential.travels), credential.expect))
            .collect();
        return Err(format!("wrong credentials: not the value the server expects in {}", wrong.join(" and ")));
    }
    let alternatives: Vec<String> = operation
        .security
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .filter_map(|index| expectations.credentials.get(*index))
                .map(|credential| describe(credential.travels))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Err(format!("missing credentials: expected {}", alternatives.join(", or ")))
}

fn describe(travels: Travels) -> String {
    match travels {
        Travels::Header(name) => format!("the `{name}` header"),
        Travels::Query(name) => format!("the `{name}` query parameter"),
        Travels::Cookie(name) => format!("the `{name}` cookie"),
        Travels::Authorization("") => "an `Authorization` header".to_string(),
        Travels::Authorization(scheme) => format!("an `Authorization: {scheme}` header"),
    }
}

/// Looks for a credential in a request and compares it with the value expected (`None`: any).
fn find(credential: &MockCredential, expected: Option<&Expected>, incoming: &Incoming<'_>) -> Found {
    let sent = match credential.travels {
        Travels::Header(name) => incoming.header(name).map(str::to_string),
        Travels::Query(name) => incoming.query(name).into_iter().next(),
        Travels::Cookie(name) => incoming.cookie(name),
        Travels::Authorization(scheme) => incoming.header("authorization").and_then(|value| {
            if scheme.is_empty() {
                return Some(value.to_string());
            }
            let named = value.get(..scheme.len()).is_some_and(|start| start.eq_ignore_ascii_case(scheme));
            let rest = value.get(scheme.len()..).unwrap_or_default();
            (named && rest.starts_with(' ')).then(|| rest.trim_start().to_string())
        }),
    };
    let Some(sent) = sent.filter(|sent| !sent.is_empty()).map(Secret::new) else { return Found::Missing };
    let right = match expected {
        None => true,
        Some(Expected::Text(value)) => sent == *value,
        Some(Expected::Basic { username, password }) => {
            sent == Secret::new(base64(format!("{}:{}", username.expose(), password.expose()).as_bytes()))
        }
    };
    if right {
        Found::Right
    } else {
        Found::Wrong
    }
}

/// Standard base64 with padding, as HTTP basic authentication writes `username:password`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |at: usize| u32::from(chunk.get(at).copied().unwrap_or_default());
        let group = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for at in 0..4 {
            let sextet = (group >> (18 - 6 * at)) & 63;
            text.push(if at <= chunk.len() { char::from(ALPHABET[sextet as usize]) } else { '=' });
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_pads_like_basic_authentication() {
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }
}
