//! Security schemes, the `security` requirements of operations, and `servers`.
//!
//! Every scheme of OpenAPI 3.0 becomes a [`Credential`]: `apiKey` in a header, the query or a
//! cookie; `http` `bearer`, `oauth2` and `openIdConnect` as bearer tokens; `http` `basic`; and any
//! other `http` scheme as an `Authorization` value the caller supplies. A scheme that cannot be
//! sent (a header name with spaces, …) is left out with a warning, and so are the alternatives
//! of `security` requirements that name it.

use openapiv3::{APIKeyLocation, OAuth2Flows, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::naming::{self, Namespace};
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// The credentials of `components/securitySchemes`, in spec order, each with its setters named
/// so that they clash with no member of the `ClientBuilder` nor with each other. `required` is
/// decided later, once the operations are known (see [`mark_required`]), and so are the names
/// of environment variables and of the mock's methods (`names.rs`).
pub(super) fn credentials(document: &OpenAPI, warnings: &mut Vec<SpecError>) -> Vec<Credential> {
    let Some(components) = &document.components else { return Vec::new() };
    let mut names = Namespace::with_taken(naming::CLIENT_BUILDER_NAMES.iter().copied());
    let mut credentials = Vec::new();
    for (scheme, definition) in &components.security_schemes {
        let pointer = scheme_pointer(scheme);
        let (kind, doc) = match lower_scheme(document, definition, &pointer) {
            Ok(Lowered { kind, doc, warning }) => {
                warnings.extend(warning);
                (kind, doc)
            }
            Err(error) => {
                warnings.push(error);
                continue;
            }
        };
        // A bearer token has a second setter, for a token source.
        let suffixes: &[&str] = if matches!(kind, SchemeKind::Bearer { .. }) { &["", "_source"] } else { &[""] };
        let rust_name = names.claim_group(&naming::snake_name(scheme), "_", suffixes, setter_name);
        let kind = match kind {
            SchemeKind::ApiKey { location, name, default, sensitive } => {
                CredentialKind::ApiKey { location, name, default, sensitive }
            }
            SchemeKind::Bearer { format, obtain } => {
                CredentialKind::Bearer { source_setter: setter_name(&rust_name, "_source"), format, obtain }
            }
            SchemeKind::Basic => CredentialKind::Basic,
            SchemeKind::Authorization { scheme } => CredentialKind::Authorization { scheme },
        };
        credentials.push(Credential {
            scheme: scheme.clone(),
            kebab_name: rust_name.trim_end_matches('_').replace('_', "-"),
            rust_name,
            doc,
            kind,
            env_vars: Vec::new(),
            mock_expect: String::new(),
            required: false,
        });
    }
    credentials
}

/// Marks the credentials every operation needs: without them the client can do nothing, so
/// `build()` asks for them.
pub(super) fn mark_required(api: &mut Api) {
    if api.operations.is_empty() {
        return;
    }
    for (index, credential) in api.credentials.iter_mut().enumerate() {
        credential.required = api.operations.iter().all(|operation| {
            !operation.security.is_empty() && operation.security.iter().all(|alternative| alternative.contains(&index))
        });
    }
}

impl Credential {
    /// Whether the scheme gives a value sent when the caller sets none (an API key's
    /// `x-default`).
    pub fn has_default(&self) -> bool {
        matches!(self.kind, CredentialKind::ApiKey { default: Some(_), .. })
    }

    /// Whether the caller must supply a value: every operation needs it ([`required`]) and the
    /// spec gives no default, so `build()` and `from_env` fail without one.
    ///
    /// [`required`]: Credential::required
    pub fn must_be_supplied(&self) -> bool {
        self.required && !self.has_default()
    }

    /// Whether a built client always holds a value for it: one the caller must supply, or the
    /// default.
    pub fn always_present(&self) -> bool {
        self.required || self.has_default()
    }
}

/// Warns about schemes that no operation uses: the builder offers them, but nothing sends them.
pub(super) fn warn_unused(api: &Api, warnings: &mut Vec<SpecError>) {
    for (index, credential) in api.credentials.iter().enumerate() {
        if !api.operations.iter().flat_map(|o| &o.security).any(|alternative| alternative.contains(&index)) {
            warnings.push(SpecError::new(
                scheme_pointer(&credential.scheme),
                "no `security` requirement names this scheme, so no operation sends it; add it to the document's \
                 or the operations' `security` if the API expects it",
            ));
        }
    }
}

/// An operation's security alternatives as indexes into the credentials: its own `security`, or
/// the document's. An alternative naming a scheme that cannot be sent is left out with a
/// warning; when none is left, the operation cannot be called and that is an error.
pub(super) fn operation_security(
    document: &OpenAPI,
    own: Option<&Vec<SecurityRequirement>>,
    pointer: &str,
    schemas: &mut SchemaLowering<'_>,
) -> Vec<Vec<usize>> {
    let (requirements, base) = match (own, &document.security) {
        (Some(own), _) => (own, format!("{pointer}/security")),
        (None, Some(shared)) => (shared, "#/security".to_string()),
        (None, None) => return Vec::new(),
    };
    if requirements.is_empty() {
        return Vec::new();
    }
    let usable = usable_schemes(document);
    let mut alternatives: Vec<Vec<usize>> = Vec::new();
    for (position, requirement) in requirements.iter().enumerate() {
        let mut alternative = Vec::new();
        let mut complete = true;
        for name in requirement.keys() {
            match scheme_named(&usable, name, &format!("{base}/{position}/{}", escape_pointer_token(name)), schemas) {
                Some(index) if !alternative.contains(&index) => alternative.push(index),
                Some(_) => {}
                None => {
                    complete = false;
                    let warning = SpecError::new(
                        format!("{base}/{position}/{}", escape_pointer_token(name)),
                        format!(
                            "`{name}` is not a security scheme the client can send (it is not under \
                             `components/securitySchemes`, or was left out); this alternative is left out"
                        ),
                    );
                    if !schemas.warnings.contains(&warning) {
                        schemas.warnings.push(warning);
                    }
                }
            }
        }
        if complete && !alternatives.contains(&alternative) {
            alternatives.push(alternative);
        }
    }
    if alternatives.is_empty() {
        // Under the operation's pointer even when the requirements are the document's, so that
        // the error costs this operation only.
        let (pointer, whose) = if own.is_some() { (base, "its") } else { (pointer.to_string(), "the document's") };
        schemas.errors.push(SpecError::new(
            pointer,
            format!(
                "none of {whose} security requirements names only schemes the client can send, so the operation \
                 cannot be authorized; fix the scheme names or the schemes"
            ),
        ));
    }
    alternatives
}

/// The index of the usable scheme a requirement names: the one of that name, or else the only
/// one whose name differs in case alone (a common slip, e.g. `GoogleOpenID` for `GoogleOpenId`),
/// taken with a warning.
fn scheme_named(usable: &[&str], name: &str, pointer: &str, schemas: &mut SchemaLowering<'_>) -> Option<usize> {
    if let Some(index) = usable.iter().position(|usable| *usable == name) {
        return Some(index);
    }
    let mut folded = usable.iter().enumerate().filter(|(_, usable)| usable.eq_ignore_ascii_case(name));
    let (index, scheme) = folded.next()?;
    if folded.next().is_some() {
        return None;
    }
    let warning = SpecError::new(
        pointer,
        format!("no security scheme is named `{name}`; `{scheme}` differs only in case and was taken instead"),
    );
    if !schemas.warnings.contains(&warning) {
        schemas.warnings.push(warning);
    }
    Some(index)
}

/// The base URLs of `servers`, with variables set to their defaults. A relative URL
/// (`/api/v1`) is kept as a path the user completes with a host; a URL that is neither is left
/// out with a warning (the user can still call `base_url`).
pub(super) fn servers(document: &OpenAPI, warnings: &mut Vec<SpecError>) -> Vec<Server> {
    let (mut names, mut env_names) = (Namespace::new(), Namespace::new());
    let mut servers = Vec::new();
    for (index, server) in document.servers.iter().enumerate() {
        let mut url = server.url.trim().to_string();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        let pointer = format!("#/servers/{index}/url");
        let absolute = url.starts_with("http://") || url.starts_with("https://");
        let relative = !absolute && !url.contains("://") && !url.starts_with("//");
        let unusable = if url.contains(['{', '}']) {
            Some("has a variable without a value in `variables`")
        } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("contains white space")
        } else if !(absolute || relative) {
            Some("is neither an http(s) URL nor a path relative to the spec's host")
        } else {
            None
        };
        if let Some(reason) = unusable {
            warnings.push(SpecError::new(
                pointer,
                format!("the server URL `{url}` {reason}; it is left out (callers can still set `base_url`)"),
            ));
            continue;
        }
        let url = if relative {
            let path = url.trim_start_matches("./").trim_start_matches('.').trim_start_matches('/');
            format!("/{path}").trim_end_matches('/').to_string()
        } else {
            url.trim_end_matches('/').to_string()
        };
        let label = server.description.clone().unwrap_or_else(|| format!("server {}", index + 1));
        let rust_name = names.claim(naming::variant_name(&label));
        servers.push(Server {
            env_name: env_names.claim(naming::snake_name(&rust_name)),
            rust_name,
            url,
            relative,
            description: server.description.clone(),
        });
    }
    servers
}

fn scheme_pointer(scheme: &str) -> String {
    format!("#/components/securitySchemes/{}", escape_pointer_token(scheme))
}

/// The name of a credential's setter: the base itself, or the base with a suffix (`oauth_source`,
/// and `type_source` for the keyword `type_`).
fn setter_name(base: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        base.to_string()
    } else {
        naming::suffixed(base, suffix)
    }
}

/// The names of the schemes that can be sent, in spec order: their positions are the indexes
/// of [`Api::credentials`].
fn usable_schemes(document: &OpenAPI) -> Vec<&str> {
    let Some(components) = &document.components else { return Vec::new() };
    components
        .security_schemes
        .iter()
        .filter(|(scheme, definition)| lower_scheme(document, definition, &scheme_pointer(scheme)).is_ok())
        .map(|(scheme, _)| scheme.as_str())
        .collect()
}

/// A scheme before names are decided.
enum SchemeKind {
    ApiKey { location: ApiKeyLocation, name: String, default: Option<String>, sensitive: bool },
    Bearer { format: Option<String>, obtain: Vec<String> },
    Basic,
    Authorization { scheme: String },
}

struct Lowered {
    kind: SchemeKind,
    doc: Option<String>,
    warning: Option<SpecError>,
}

/// How a scheme is sent, or why it cannot be. Pure: the same definition always gives the same
/// answer, so [`usable_schemes`] and [`credentials`] agree on the indexes.
fn lower_scheme(
    document: &OpenAPI,
    definition: &ReferenceOr<SecurityScheme>,
    pointer: &str,
) -> Result<Lowered, SpecError> {
    let definition = match definition {
        ReferenceOr::Item(definition) => definition,
        ReferenceOr::Reference { reference } => {
            let target = crate::load::component_name(reference, "securitySchemes")
                .and_then(|name| document.components.as_ref()?.security_schemes.get(name.as_ref())?.as_item());
            match target {
                Some(definition) => definition,
                None => {
                    return Err(SpecError::new(
                        pointer,
                        format!(
                            "`{reference}` does not point to a security scheme written out under \
                             `#/components/securitySchemes`; the scheme is left out"
                        ),
                    ))
                }
            }
        }
    };
    let plain = |kind, doc: &Option<String>| Ok(Lowered { kind, doc: doc.clone(), warning: None });
    match definition {
        SecurityScheme::APIKey { location, name, description, extensions } => {
            plain(lower_api_key(location, name, extensions, pointer)?, description)
        }
        SecurityScheme::HTTP { scheme, bearer_format, description, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => plain(SchemeKind::Bearer { format: bearer_format.clone(), obtain: Vec::new() }, description),
            "basic" => plain(SchemeKind::Basic, description),
            other if !other.is_empty() && other.bytes().all(is_token_byte) => Ok(Lowered {
                kind: SchemeKind::Authorization { scheme: scheme.clone() },
                doc: description.clone(),
                warning: Some(SpecError::new(
                    format!("{pointer}/scheme"),
                    format!(
                        "the `{scheme}` HTTP authentication scheme is not implemented by the client; callers \
                         supply the whole `Authorization` header value"
                    ),
                )),
            }),
            _ => Err(SpecError::new(
                format!("{pointer}/scheme"),
                format!("`{scheme}` is not an HTTP authentication scheme name; the scheme is left out"),
            )),
        },
        SecurityScheme::OAuth2 { flows, description, .. } => {
            plain(SchemeKind::Bearer { format: None, obtain: oauth2_flows(flows) }, description)
        }
        SecurityScheme::OpenIDConnect { open_id_connect_url, description, .. } => plain(
            SchemeKind::Bearer {
                format: None,
                obtain: vec![format!(
                    "OpenID Connect: the provider's configuration is at <{}>.",
                    open_id_connect_url.trim()
                )],
            },
            description,
        ),
    }
}

/// An `apiKey` scheme: where it travels under which name, its default (`x-default`) and whether
/// it is sensitive (`x-sensitive`, true unless `false`). A name that cannot be sent, or a
/// default that cannot, is an error.
fn lower_api_key(
    location: &APIKeyLocation,
    name: &str,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    pointer: &str,
) -> Result<SchemeKind, SpecError> {
    let location = match location {
        APIKeyLocation::Header => ApiKeyLocation::Header,
        APIKeyLocation::Query => ApiKeyLocation::Query,
        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
    };
    let valid = match location {
        ApiKeyLocation::Header | ApiKeyLocation::Cookie => !name.is_empty() && name.bytes().all(is_token_byte),
        ApiKeyLocation::Query => !name.is_empty(),
    };
    if !valid {
        return Err(SpecError::new(
            format!("{pointer}/name"),
            format!(
                "`{name}` is not a valid {} name; use letters, digits and `-` (the scheme is left out)",
                match location {
                    ApiKeyLocation::Header => "HTTP header",
                    ApiKeyLocation::Cookie => "cookie",
                    ApiKeyLocation::Query => "query parameter",
                }
            ),
        ));
    }
    let default = extensions.get("x-default").and_then(|v| v.as_str()).map(str::to_string);
    if let Some(default) = &default {
        if default.chars().any(|c| c.is_control() || (location == ApiKeyLocation::Cookie && c == ';')) {
            return Err(SpecError::new(
                format!("{pointer}/x-default"),
                "the default contains characters that cannot be sent; the scheme is left out",
            ));
        }
    }
    let sensitive = extensions.get("x-sensitive").and_then(|v| v.as_bool()).unwrap_or(true);
    Ok(SchemeKind::ApiKey { location, name: name.to_string(), default, sensitive })
}

/// One line per OAuth2 flow: its URLs and scopes.
fn oauth2_flows(flows: &OAuth2Flows) -> Vec<String> {
    fn line(
        flow: &str,
        authorization: Option<&str>,
        token: Option<&str>,
        refresh: Option<&str>,
        scopes: &indexmap::IndexMap<String, String>,
    ) -> String {
        let mut parts = Vec::new();
        if let Some(url) = authorization {
            parts.push(format!("authorization URL <{}>", url.trim()));
        }
        if let Some(url) = token {
            parts.push(format!("token URL <{}>", url.trim()));
        }
        if let Some(url) = refresh {
            parts.push(format!("refresh URL <{}>", url.trim()));
        }
        let scopes: Vec<String> = scopes
            .iter()
            .map(|(scope, about)| {
                let about = about.split_whitespace().collect::<Vec<_>>().join(" ");
                if about.is_empty() {
                    format!("`{scope}`")
                } else {
                    format!("`{scope}` ({about})")
                }
            })
            .collect();
        if !scopes.is_empty() {
            parts.push(format!("scopes {}", scopes.join(", ")));
        }
        format!("OAuth2 {flow} flow: {}.", parts.join("; "))
    }
    let mut lines = Vec::new();
    if let Some(flow) = &flows.authorization_code {
        lines.push(line(
            "authorization code",
            Some(&flow.authorization_url),
            Some(&flow.token_url),
            flow.refresh_url.as_deref(),
            &flow.scopes,
        ));
    }
    if let Some(flow) = &flows.client_credentials {
        lines.push(line("client credentials", None, Some(&flow.token_url), flow.refresh_url.as_deref(), &flow.scopes));
    }
    if let Some(flow) = &flows.password {
        lines.push(line("password", None, Some(&flow.token_url), flow.refresh_url.as_deref(), &flow.scopes));
    }
    if let Some(flow) = &flows.implicit {
        lines.push(line("implicit", Some(&flow.authorization_url), None, flow.refresh_url.as_deref(), &flow.scopes));
    }
    lines
}

/// Whether a byte may appear in an HTTP header or cookie name (an RFC 9110 token).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).expect("a valid test document")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: /api/v1/
  - url: "{scheme}://example.test"
    variables: {scheme: {default: https}}
  - url: ftp://files.example.test
paths: {}
security:
  - settings: []
  - missing: []
components:
  securitySchemes:
    settings: {type: http, scheme: Bearer}
    settings_source: {type: apiKey, in: query, name: key}
    bad: {type: apiKey, in: header, name: "has space"}
    digest: {type: http, scheme: digest}
    type: {type: oauth2, flows: {}}
"#;

    #[test]
    fn relative_servers_are_paths_and_unusable_ones_are_warnings() {
        let mut warnings = Vec::new();
        let servers = servers(&document(SPEC), &mut warnings);
        let urls: Vec<(&str, bool)> = servers.iter().map(|s| (s.url.as_str(), s.relative)).collect();
        assert_eq!(urls, [("/api/v1", true), ("https://example.test", false)]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/servers/2/url");
    }

    #[test]
    fn schemes_avoid_builder_names_and_unusable_ones_are_left_out() {
        let mut warnings = Vec::new();
        let credentials = credentials(&document(SPEC), &mut warnings);
        let names: Vec<&str> = credentials.iter().map(|c| c.rust_name.as_str()).collect();
        // `settings` is a builder field; its bearer setter pair must avoid `settings_source` too.
        assert_eq!(names, ["settings_2", "settings_source", "digest", "type_"]);
        assert!(
            matches!(&credentials[0].kind, CredentialKind::Bearer { source_setter, .. } if source_setter == "settings_2_source")
        );
        // A keyword's escape is not doubled before the suffix.
        assert!(
            matches!(&credentials[3].kind, CredentialKind::Bearer { source_setter, .. } if source_setter == "type_source")
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/securitySchemes/bad/name", "#/components/securitySchemes/digest/scheme"]);
    }

    #[test]
    fn a_scheme_given_by_reference_is_found_under_its_unescaped_name() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  securitySchemes:
    a/b: {type: apiKey, in: header, name: X-Key}
    alias: {$ref: '#/components/securitySchemes/a~1b'}
"#;
        let mut warnings = Vec::new();
        let credentials = credentials(&document(yaml), &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        let schemes: Vec<&str> = credentials.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["a/b", "alias"]);
        assert!(matches!(&credentials[1].kind, CredentialKind::ApiKey { name, .. } if name == "X-Key"));
    }

    #[test]
    fn unknown_schemes_drop_their_alternative_and_none_left_is_an_error() {
        let document = document(SPEC);
        let (components, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&components, &config);
        let security = operation_security(&document, None, "#/paths/~1a/get", &mut schemas);
        assert_eq!(security, vec![vec![0]]);
        assert_eq!(schemas.warnings.len(), 1);
        assert_eq!(schemas.warnings[0].pointer, "#/security/1/missing");
        assert!(schemas.errors.is_empty());
        let only_missing: Vec<SecurityRequirement> = vec![[("missing".to_string(), Vec::new())].into_iter().collect()];
        let security = operation_security(&document, Some(&only_missing), "#/paths/~1a/get", &mut schemas);
        assert!(security.is_empty());
        assert_eq!(schemas.errors.len(), 1);
        assert_eq!(schemas.errors[0].pointer, "#/paths/~1a/get/security");
        assert!(operation_security(&document, Some(&Vec::new()), "#/paths/~1a/get", &mut schemas).is_empty());
    }

    #[test]
    fn a_scheme_named_in_another_case_is_taken_with_a_warning() {
        let document = document(SPEC);
        let (components, config) = (indexmap::IndexMap::new(), crate::config::Config::default());
        let mut schemas = SchemaLowering::new(&components, &config);
        let requirement: Vec<SecurityRequirement> = vec![[("Digest".to_string(), Vec::new())].into_iter().collect()];
        let security = operation_security(&document, Some(&requirement), "#/paths/~1a/get", &mut schemas);
        // `bad` cannot be sent, so `digest` is the third usable scheme.
        assert_eq!(security, vec![vec![2]]);
        assert!(schemas.errors.is_empty(), "{:?}", schemas.errors);
        assert_eq!(schemas.warnings.len(), 1);
        assert_eq!(schemas.warnings[0].pointer, "#/paths/~1a/get/security/0/Digest");
        assert!(
            schemas.warnings[0].message.contains("`digest` differs only in case"),
            "{}",
            schemas.warnings[0].message
        );
    }
}
