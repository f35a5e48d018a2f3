//! `Cargo.toml` of the generated crate. TOML, not Rust, so it is written as text; every value
//! that comes from the spec or the config goes through [`toml_string`] or [`toml_value`].

use super::Features;
use crate::config::{Needed, OwnDependency, Publish, OWN_DEPENDENCIES};
use crate::model::areas::{CrateFeature, OTHER_TYPES};
use crate::model::Api;

pub fn cargo_toml(api: &Api, features: &Features) -> String {
    let needs = |needed: Needed| match needed {
        Needed::Always => true,
        Needed::Dates => features.dates,
        Needed::Patterns => features.patterns,
        Needed::Multipart => features.multipart,
        Needed::Encoding => features.params.any() || features.path_parameters,
        Needed::Base64 => features.basic_auth || features.signature.is_some(),
        Needed::Signatures => features.signature.is_some(),
        Needed::Streams => features.pages || features.streams,
    };
    let mut dependencies: Vec<String> =
        OWN_DEPENDENCIES.iter().filter(|own| needs(own.needed)).map(|own| own_dependency(own, needs)).collect();
    dependencies.sort_unstable();
    format!(
        "[package]\n\
         {package}\
         \n\
         [lib]\n\
         name = {lib}\n\
         \n\
         [[bin]]\n\
         name = {bin_name}\n\
         path = \"src/main.rs\"\n\
         required-features = [{cli}]\n\
         \n\
         [features]\n\
         {features}\
         \n\
         [dependencies]\n\
         {dependencies}\n\
         {extra}\
         \n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        package = package_keys(api),
        cli = toml_string(CrateFeature::Cli.name()),
        features = CrateFeature::ALL.map(|feature| feature_entry(api, feature)).concat(),
        lib = toml_string(&api.crate_name.replace('-', "_")),
        bin_name = toml_string(&api.crate_name),
        dependencies = dependencies.join("\n"),
        extra = extra_dependencies(api),
    )
}

/// The lines of `[features]` for one of the features every crate has, each ending in a newline:
/// comments saying what it is for, then `name = [what it enables]`.
fn feature_entry(api: &Api, feature: CrateFeature) -> String {
    let cli = format!("The `{}` command line: one subcommand per operation.", api.crate_name);
    let (comment, enables): (Vec<&str>, Vec<&str>) = match feature {
        CrateFeature::Default => {
            let full = api.areas.is_some().then_some(CrateFeature::Full.name());
            (Vec::new(), [CrateFeature::Rustls.name(), CrateFeature::Tracing.name()].into_iter().chain(full).collect())
        }
        CrateFeature::Rustls => (
            vec![
                "TLS with rustls, trusting the operating system's certificate store (through",
                "rustls-platform-verifier), so that corporate proxies that inspect TLS work too.",
            ],
            vec!["reqwest/rustls"],
        ),
        CrateFeature::NativeTls => (
            vec![
                "TLS with the platform's native library (OpenSSL, Secure Transport, SChannel) instead:",
                "turn off default features and enable this one.",
            ],
            vec!["reqwest/native-tls"],
        ),
        CrateFeature::Tracing => (
            vec![
                "One `api_call` span per call, with OpenTelemetry's HTTP client attributes (method, URL",
                "template, server, status, resend count, error type) and the request id.",
            ],
            vec!["dep:tracing"],
        ),
        CrateFeature::Cli => (vec![cli.as_str()], vec!["dep:clap", "tokio/rt", CrateFeature::SerdeAll.name()]),
        CrateFeature::Mock => (
            vec!["`mock::MockServer`, a local server that speaks the API, for tests."],
            vec![
                "dep:hyper",
                "dep:hyper-util",
                "dep:serde_urlencoded",
                "tokio/net",
                "tokio/rt",
                CrateFeature::Fixtures.name(),
                CrateFeature::SerdeAll.name(),
            ],
        ),
        CrateFeature::Fixtures => {
            (vec!["Builders for the types that are only received, to make response values in tests."], Vec::new())
        }
        CrateFeature::SerdeAll => (
            vec![
                "`Serialize` for the types only received or used by no operation, and `Deserialize`",
                "for those only sent: what the client itself never calls (`cli` and `mock` turn it on).",
            ],
            Vec::new(),
        ),
        CrateFeature::Full => return area_features(api),
    };
    let enables: Vec<String> = enables.iter().map(|item| toml_string(item)).collect();
    let comment: String = comment.iter().map(|line| format!("# {line}\n")).collect();
    format!("{comment}{} = [{}]\n", toml_key(feature.name()), enables.join(", "))
}

/// `full` and one feature per area of the API, each gating its operations and the types only
/// they use (none when the spec has fewer than two areas).
fn area_features(api: &Api) -> String {
    let Some(areas) = &api.areas else { return String::new() };
    let all: Vec<String> = areas.features.iter().map(|feature| toml_string(feature)).collect();
    let mut text = format!(
        "# Every area of the API. To compile only some, turn off default features and list\n\
         # the areas wanted (and `rustls` or `native-tls`).\n\
         {} = [{}]\n",
        CrateFeature::Full.name(),
        all.join(", ")
    );
    for feature in &areas.features {
        if feature == OTHER_TYPES {
            text.push_str("# The schemas no operation uses.\n");
        }
        text.push_str(&format!("{} = []\n", toml_key(feature)));
    }
    text
}

/// The keys of `[package]`, each line ending in a newline: the config's metadata or defaults.
fn package_keys(api: &Api) -> String {
    let package = &api.package;
    let description = match &package.description {
        Some(description) => description.clone(),
        None => format!("Client for {} (generated from its OpenAPI description)", api.title.trim()),
    };
    let mut keys = vec![
        ("name", toml_string(&api.crate_name)),
        ("version", toml_string(package.version.as_str())),
        ("edition", toml_string(package.edition.as_str())),
        ("rust-version", toml_string(package.rust_version.as_str())),
        ("description", toml_string(&description)),
    ];
    if let Some(license) = &package.license {
        keys.push(("license", toml_string(license)));
    }
    if let Some(repository) = &package.repository {
        keys.push(("repository", toml_string(repository)));
    }
    let publish = match &package.publish {
        Publish::Never => "false".to_string(),
        Publish::Anywhere => "true".to_string(),
        Publish::To(registries) => {
            let registries: Vec<String> = registries.iter().map(|registry| toml_string(registry)).collect();
            format!("[{}]", registries.join(", "))
        }
    };
    keys.push(("publish", publish));
    keys.iter().map(|(key, value)| format!("{key} = {value}\n")).collect()
}

/// One of the crate's own dependencies, as a line of `[dependencies]`: `name = "version"`, or an
/// inline table when it is optional or has features.
fn own_dependency(own: &OwnDependency, needs: impl Fn(Needed) -> bool) -> String {
    let features: Vec<String> =
        own.features.iter().filter(|(_, needed)| needs(*needed)).map(|(feature, _)| toml_string(feature)).collect();
    if !own.optional && own.default_features && features.is_empty() {
        return format!("{} = {}", own.name, toml_string(own.version));
    }
    let mut keys = vec![format!("version = {}", toml_string(own.version))];
    if own.optional {
        keys.push("optional = true".to_string());
    }
    if !own.default_features {
        keys.push("default-features = false".to_string());
    }
    if !features.is_empty() {
        keys.push(format!("features = [{}]", features.join(", ")));
    }
    format!("{} = {{ {} }}", own.name, keys.join(", "))
}

/// The config's dependencies (for the types it maps), after the crate's own, each line ending in
/// a newline. None has the name of one of the crate's own: the config refuses those when it is
/// read ([`crate::config::Config::parse`]).
fn extra_dependencies(api: &Api) -> String {
    let lines: Vec<String> = api
        .dependencies
        .iter()
        .map(|(name, dependency)| format!("{name} = {}\n", version_first(dependency.value())))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("# For the types codegen.toml maps.\n{}", lines.concat())
}

/// A dependency written inline, its `version` (if any) before the other keys.
fn version_first(dependency: &toml::Value) -> String {
    let Some(table) = dependency.as_table() else {
        return toml_value(dependency);
    };
    let entries: Vec<String> = table
        .iter()
        .filter(|(key, _)| *key == "version")
        .chain(table.iter().filter(|(key, _)| *key != "version"))
        .map(|(key, value)| format!("{} = {}", toml_key(key), toml_value(value)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

/// A TOML value written inline: strings escaped, tables as `{ key = value, … }` in key order.
fn toml_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => toml_string(text),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Boolean(flag) => flag.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Datetime(datetime) => datetime.to_string(),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(table) => {
            let entries: Vec<String> =
                table.iter().map(|(key, value)| format!("{} = {}", toml_key(key), toml_value(value))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// A key, bare when TOML allows it.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        key.to_string()
    } else {
        toml_string(key)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn api(config: &str) -> Api {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";
        let document = serde_yaml::from_str(spec).expect("the spec parses");
        let config = Config::parse(std::path::Path::new("codegen.toml"), config).expect("the config is read");
        crate::model::lower_with_config(&document, Some("t"), &config).expect("lowers").0
    }

    /// The lines of `[dependencies]`, up to the next section.
    fn dependencies(manifest: &str) -> Vec<&str> {
        let start = manifest.find("[dependencies]\n").expect("a [dependencies] section") + "[dependencies]\n".len();
        manifest[start..].lines().take_while(|line| !line.starts_with('[')).filter(|line| !line.is_empty()).collect()
    }

    #[test]
    fn the_own_dependencies_are_the_table_and_the_configs_follow() {
        let everything = Features {
            dates: true,
            patterns: true,
            multipart: true,
            basic_auth: true,
            path_parameters: true,
            signature: Some(super::super::SignatureScheme::Jwt),
            pages: true,
            ..Features::default()
        };
        let config = "[dependencies]\nrust_decimal = { features = [\"serde-with-float\"], version = \"1\" }\n";
        let manifest = cargo_toml(&api(config), &everything);
        let lines = dependencies(&manifest);
        let names: Vec<&str> = lines.iter().filter_map(|line| line.split(' ').next()).collect();
        let mut own: Vec<&str> = OWN_DEPENDENCIES.iter().map(|own| own.name).collect();
        own.sort_unstable();
        assert_eq!(names[..own.len()], own[..], "{manifest}");
        assert!(lines.contains(&r#"reqwest = { version = "0.13", default-features = false, features = ["form", "json", "multipart", "query"] }"#));
        assert!(lines.contains(&r#"tracing = { version = "0.1", optional = true }"#));
        assert!(lines.contains(&r#"base64 = "0.22""#));
        assert_eq!(
            lines[own.len()..],
            [
                "# For the types codegen.toml maps.",
                r#"rust_decimal = { version = "1", features = ["serde-with-float"] }"#
            ]
        );
        let plain = cargo_toml(&api(""), &Features::default());
        let names: Vec<&str> = dependencies(&plain).iter().filter_map(|line| line.split(' ').next()).collect();
        for conditional in ["chrono", "regex", "percent-encoding", "base64", "futures-core"] {
            assert!(!names.contains(&conditional), "{plain}");
        }
        assert!(plain.contains(r#"features = ["form", "json", "query"] }"#), "{plain}");
    }
}
