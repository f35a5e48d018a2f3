//! `[webhooks]` of `codegen.toml`: what the spec cannot say about the webhooks the API sends.
//! Which component schemas are webhook payloads when the spec describes them only as
//! components, which properties tell the events apart and their values when the spec does not
//! fix them, and how deliveries are signed.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[webhooks]`. Every key is optional; an empty section changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Webhooks {
    /// Component schemas the API sends as webhooks although no `webhooks`, `x-webhooks` or
    /// `callbacks` of the spec names them.
    pub schemas: Vec<String>,
    /// The properties whose values tell one event from another, in order (e.g.
    /// `["webhook_type", "webhook_code"]`). Without it, they are found from what the payloads
    /// fix (`const`, a one-value `enum`).
    pub select: Vec<String>,
    /// The values of `select` for an event, by its payload schema's name or its webhook's name,
    /// for payloads whose schema leaves the properties open (plain strings).
    pub values: BTreeMap<String, Vec<String>>,
    /// How deliveries are signed; without it the crate parses events but verifies nothing.
    pub signature: Option<Signature>,
}

/// `[webhooks.signature]`: the scheme, by `scheme = "…"`, and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Signature {
    /// The Standard Webhooks scheme: `webhook-id`, `webhook-timestamp` and `webhook-signature`
    /// headers, an HMAC-SHA256 of `{id}.{timestamp}.{body}` under a `whsec_` secret.
    StandardWebhooks {
        /// How far a delivery's timestamp may be from now; default 300.
        #[serde(default = "default_tolerance", rename = "tolerance-seconds")]
        tolerance_seconds: u64,
    },
    /// An HMAC-SHA256 in a header of the vendor's choosing.
    Hmac(HmacSignature),
    /// A signed JWT (ES256) in a header, whose key the API itself serves by key id.
    Jwt(JwtSignature),
}

/// `scheme = "hmac"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HmacSignature {
    /// The header holding the signature.
    pub header: String,
    /// Text before the signature in the header (`sha256=`); default none.
    #[serde(default)]
    pub prefix: String,
    /// `hex` (default) or `base64`.
    #[serde(default)]
    pub encoding: HmacEncoding,
    /// `body` (default) or `timestamp.body` (the timestamp header's value, a dot, the body).
    #[serde(default)]
    pub signed: HmacSigned,
    /// The header holding the delivery's Unix time, checked against the tolerance.
    pub timestamp_header: Option<String>,
    /// How far the timestamp may be from now; default 300.
    #[serde(default = "default_tolerance")]
    pub tolerance_seconds: u64,
}

/// How an HMAC signature is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HmacEncoding {
    #[default]
    Hex,
    Base64,
}

/// What an HMAC signature is computed over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum HmacSigned {
    #[default]
    #[serde(rename = "body")]
    Body,
    #[serde(rename = "timestamp.body")]
    TimestampDotBody,
}

/// `scheme = "jwt"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct JwtSignature {
    /// The header holding the token.
    pub header: String,
    /// How old the token's `iat` may be; default 300.
    #[serde(default = "default_tolerance")]
    pub max_age_seconds: u64,
    /// The claim holding the hex SHA-256 of the body, when the token covers the body.
    pub body_digest_claim: Option<String>,
    /// The operationId of the operation that returns a key by its id.
    pub key_operation: String,
    /// The request property of that operation that takes the key id.
    pub key_id_field: String,
    /// The response property that holds the key (a JWK).
    pub key_field: String,
}

fn default_tolerance() -> u64 {
    300
}

impl Webhooks {
    /// The checks within the section: each entry of `values` has one value per `select`
    /// property, and `values` needs `select`.
    pub(super) fn check(&self) -> Result<(), String> {
        for (name, values) in &self.values {
            if values.len() != self.select.len() {
                return Err(format!(
                    "[webhooks.values] {name} has {} value(s), but [webhooks] select names {} propert{}; give one value per property, in the same order",
                    values.len(),
                    self.select.len(),
                    if self.select.len() == 1 { "y" } else { "ies" }
                ));
            }
        }
        if let Some(Signature::Hmac(hmac)) = &self.signature {
            if hmac.signed == HmacSigned::TimestampDotBody && hmac.timestamp_header.is_none() {
                return Err(
                    "[webhooks.signature] signs `timestamp.body` but names no `timestamp-header`; add the header that carries the timestamp".into(),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Webhooks, String> {
        let webhooks: Webhooks = toml::from_str(text).map_err(|e| e.message().to_string())?;
        webhooks.check().map(|()| webhooks)
    }

    #[test]
    fn each_scheme_reads_with_its_defaults() {
        let standard = parse("signature = { scheme = \"standard-webhooks\" }").unwrap();
        assert_eq!(standard.signature, Some(Signature::StandardWebhooks { tolerance_seconds: 300 }));
        let hmac = parse("signature = { scheme = \"hmac\", header = \"X-Sig\", prefix = \"sha256=\" }").unwrap();
        let Some(Signature::Hmac(hmac)) = hmac.signature else { panic!("not hmac") };
        assert_eq!(
            (hmac.encoding, hmac.signed, hmac.prefix.as_str()),
            (HmacEncoding::Hex, HmacSigned::Body, "sha256=")
        );
        let jwt = parse(
            "[signature]\nscheme = \"jwt\"\nheader = \"Plaid-Verification\"\nkey-operation = \"keyGet\"\nkey-id-field = \"key_id\"\nkey-field = \"key\"\nbody-digest-claim = \"request_body_sha256\"\n",
        )
        .unwrap();
        let Some(Signature::Jwt(jwt)) = jwt.signature else { panic!("not jwt") };
        assert_eq!((jwt.max_age_seconds, jwt.body_digest_claim.as_deref()), (300, Some("request_body_sha256")));
    }

    #[test]
    fn values_must_match_the_selected_properties() {
        let error = parse("select = [\"a\", \"b\"]\nvalues = { Foo = [\"x\"] }").unwrap_err();
        assert!(error.contains("Foo has 1 value(s)"), "{error}");
        assert!(parse("signature = { scheme = \"hmac\", header = \"X\", signed = \"timestamp.body\" }").is_err());
        assert!(parse("signature = { scheme = \"rot13\" }").is_err());
        assert!(parse("selct = []").is_err());
    }
}
