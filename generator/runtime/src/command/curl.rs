//! `--dry-run`'s output: the request as a curl command, its secrets redacted.

/// The request as a curl command, one option per line. Headers the client marks sensitive
/// (credentials), `Authorization`, and the query parameters, headers and cookies named in
/// `secrets` are redacted; secrets in the body were already serialized as a placeholder.
pub fn curl(request: &reqwest::Request, secrets: &[&str]) -> String {
    const REDACTED: &str = "[redacted]";
    let secret = |name: &str| secrets.iter().any(|secret| secret.eq_ignore_ascii_case(name));
    let mut url = request.url().clone();
    if url.query_pairs().any(|(name, _)| secret(&name)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret(&name) { REDACTED.into() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let mut lines = vec![format!("curl --request {} {}", request.method(), shell_quote(url.as_str()))];
    for (name, value) in request.headers() {
        let value = if value.is_sensitive()
            || name == reqwest::header::AUTHORIZATION
            || name == reqwest::header::PROXY_AUTHORIZATION
            || secret(name.as_str())
        {
            REDACTED.to_string()
        } else if name == reqwest::header::COOKIE {
            String::from_utf8_lossy(value.as_bytes())
                .split(';')
                .map(|pair| match pair.trim().split_once('=') {
                    Some((cookie, _)) if secret(cookie) => format!("{cookie}={REDACTED}"),
                    _ => pair.trim().to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        lines.push(format!("--header {}", shell_quote(&format!("{name}: {value}"))));
    }
    if let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) {
        match std::str::from_utf8(bytes) {
            Ok(text) => lines.push(format!("--data-binary {}", shell_quote(text))),
            Err(_) => lines.push(format!("--data-binary @-  # {} bytes, not shown", bytes.len())),
        }
    }
    lines.join(" \\\n  ")
}

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_redacts_credentials_and_quotes_for_the_shell() {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            reqwest::Url::parse("https://api.test/items?api_key=k3y&q=it's").unwrap(),
        );
        let mut secret = reqwest::header::HeaderValue::from_static("s3cret");
        secret.set_sensitive(true);
        request.headers_mut().insert("x-secret", secret);
        request.headers_mut().insert("cookie", reqwest::header::HeaderValue::from_static("session=abc; theme=dark"));
        request.headers_mut().insert("x-pin", reqwest::header::HeaderValue::from_static("1234"));
        *request.body_mut() = Some(reqwest::Body::from(r#"{"name":"O'Brien"}"#));
        let text = curl(&request, &["api_key", "session", "X-Pin"]);
        assert!(!text.contains("k3y") && !text.contains("s3cret") && !text.contains("abc"), "{text}");
        assert!(text.contains("--header 'x-pin: [redacted]'"), "{text}");
        assert!(text.contains("'https://api.test/items?api_key=%5Bredacted%5D&q=it%27s'"), "{text}");
        assert!(text.contains("--header 'x-secret: [redacted]'"), "{text}");
        assert!(text.contains("--header 'cookie: session=[redacted]; theme=dark'"), "{text}");
        assert!(text.contains(r#"--data-binary '{"name":"O'\''Brien"}'"#), "{text}");
    }
}
