//! `Cargo.toml` of the generated crate. TOML, not Rust, so it is written as text; every value
//! that comes from the spec goes through [`toml_string`].

use super::Features;
use crate::model::Api;

pub fn cargo_toml(api: &Api, features: &Features) -> String {
    let reqwest_features =
        if features.multipart { r#"["form", "json", "multipart", "query"]"# } else { r#"["form", "json", "query"]"# };
    let reqwest =
        format!("reqwest = {{ version = \"0.13\", default-features = false, features = {reqwest_features} }}");
    let mut dependencies = vec![
        reqwest.as_str(),
        r#"secrecy = "0.10""#,
        r#"serde = { version = "1", features = ["derive"] }"#,
        r#"serde_json = "1""#,
        r#"serde_path_to_error = "0.1""#,
        r#"subtle = "2""#,
        r#"fastrand = "2""#,
        r#"httpdate = "1""#,
        r#"tokio = { version = "1", default-features = false, features = ["time"] }"#,
        r#"tracing = { version = "0.1", optional = true }"#,
    ];
    if features.dates {
        dependencies.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#);
    }
    if features.patterns {
        dependencies.push(r#"regex = "1""#);
    }
    if features.params.any() || features.path_parameters {
        dependencies.push(r#"percent-encoding = "2""#);
    }
    if features.basic_auth {
        dependencies.push(r#"base64 = "0.22""#);
    }
    dependencies.sort_unstable();
    let description = format!("Client for {} (generated from its OpenAPI description)", api.title.trim());
    format!(
        "[package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         rust-version = \"1.85\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [lib]\n\
         name = {lib}\n\
         \n\
         [features]\n\
         default = [\"rustls\", \"tracing\"]\n\
         # TLS with rustls, trusting the operating system's certificate store (through\n\
         # rustls-platform-verifier), so that corporate proxies that inspect TLS work too.\n\
         rustls = [\"reqwest/rustls\"]\n\
         # TLS with the platform's native library (OpenSSL, Secure Transport, SChannel) instead:\n\
         # turn off default features and enable this one.\n\
         native-tls = [\"reqwest/native-tls\"]\n\
         # One span per call (operation, method, path, status, attempts, request id, latency).\n\
         tracing = [\"dep:tracing\"]\n\
         \n\
         [dependencies]\n\
         {dependencies}\n\
         \n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        name = toml_string(&api.crate_name),
        lib = toml_string(&api.crate_name.replace('-', "_")),
        description = toml_string(&description),
        dependencies = dependencies.join("\n"),
    )
}

/// A TOML basic string holding `value`, escaped.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
