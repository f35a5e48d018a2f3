//! Security schemes, the `security` requirements of operations, and `servers`.
//!
//! Every scheme of OpenAPI 3.0 becomes a [`Credential`]: `apiKey` in a header, the query or a
//! cookie; `http` `bearer`, `oauth2` and `openIdConnect` as bearer tokens; `http` `basic`; and any
//! other `http` scheme as an `Authorization` value the caller supplies. A scheme that cannot be
//! sent (a header name with spaces, …) is left out with a warning, and so are the alternatives
//! of `security` requirements that name it.

use heck::ToShoutySnakeCase;
use openapiv3::{APIKeyLocation, OAuth2Flows, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::naming::{self, Namespace};
use super::schemas::SchemaLowering;
use super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// Every name the generated `ClientBuilder` uses for its own methods and fields, and the suffixes
/// of the environment variables `from_env` reads besides credentials (`{PREFIX}_ENV`, …):
/// credential setters must not take them.
const BUILDER_NAMES: &[&str] = &[
    "base_url",
    "build",
    "clone",
    "connect_timeout",
    "credentials",
    "default",
    "env",
    "environment",
    "fmt",
    "from_env",
    "host",
    "http",
    "max_response_size",
    "new",
    "on_response",
    "retry",
    "retry_policy",
    "settings",
    "timeout",
    "user_agent",
    "with_reqwest_client",
];

/// The credentials of `components/securitySchemes`, in spec order. `required` is decided later,
/// once the operations are known (see [`mark_required`]).
pub(super) fn credentials(document: &OpenAPI, env_prefix: &str, warnings: &mut Vec<SpecError>) -> Vec<Credential> {
    let Some(components) = &document.components else { return Vec::new() };
    let mut names = Namespace::with_taken(
        BUILDER_NAMES.iter().chain(naming::CLIENT_BUILDER_NAMES).chain(naming::OPERATOR_METHODS).copied(),
    );
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
        let base = naming::snake_name(scheme);
        let rust_name = match kind {
            SchemeKind::Bearer { .. } => claim_group(&mut names, &base, &["", "_source"]),
            SchemeKind::Basic => claim_group(&mut names, &base, &["", "_username", "_password"]),
            _ => claim_group(&mut names, &base, &[""]),
        };
        let shouty = rust_name.trim_end_matches('_').to_shouty_snake_case();
        let env_var =
            if shouty.starts_with(&format!("{env_prefix}_")) { shouty } else { format!("{env_prefix}_{shouty}") };
        let kind = match kind {
            SchemeKind::ApiKey { location, name, default, sensitive } => {
                CredentialKind::ApiKey { location, name, default, sensitive }
            }
            SchemeKind::Bearer { format, obtain } => {
                CredentialKind::Bearer { source_setter: format!("{rust_name}_source"), format, obtain }
            }
            SchemeKind::Basic => CredentialKind::Basic,
            SchemeKind::Authorization { scheme } => CredentialKind::Authorization { scheme },
        };
        credentials.push(Credential { scheme: scheme.clone(), rust_name, doc, kind, env_var, required: false });
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
    let mut names = Namespace::new();
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
        servers.push(Server {
            rust_name: names.claim(naming::variant_name(&label)),
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

/// Claims `base` such that `base` + each suffix is free, all at once (`oauth`, `oauth_source`).
fn claim_group(names: &mut Namespace, base: &str, suffixes: &[&str]) -> String {
    let free = |names: &Namespace, candidate: &str| {
        suffixes.iter().all(|suffix| !names.is_taken(&format!("{candidate}{suffix}")))
    };
    let trimmed = base.trim_end_matches('_');
    let candidate = std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{trimmed}_{n}")))
        .find(|candidate| free(names, candidate))
        .unwrap_or_else(|| base.to_string());
    for suffix in suffixes {
        names.claim(format!("{candidate}{suffix}"));
    }
    candidate
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
            let target = reference
                .strip_prefix("#/components/securitySchemes/")
                .and_then(|name| document.components.as_ref()?.security_schemes.get(name)?.as_item());
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
            plain(SchemeKind::ApiKey { location, name: name.clone(), default, sensitive }, description)
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
  - http: []
  - missing: []
components:
  securitySchemes:
    http: {type: http, scheme: Bearer}
    http_source: {type: apiKey, in: query, name: key}
    bad: {type: apiKey, in: header, name: "has space"}
    digest: {type: http, scheme: digest}
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
        let credentials = credentials(&document(SPEC), "T", &mut warnings);
        let names: Vec<&str> = credentials.iter().map(|c| c.rust_name.as_str()).collect();
        // `http` is a builder field; its bearer setter pair must avoid `http_source` too.
        assert_eq!(names, ["http_2", "http_source", "digest"]);
        assert!(
            matches!(&credentials[0].kind, CredentialKind::Bearer { source_setter, .. } if source_setter == "http_2_source")
        );
        assert_eq!(credentials[0].env_var, "T_HTTP_2");
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/securitySchemes/bad/name", "#/components/securitySchemes/digest/scheme"]);
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
