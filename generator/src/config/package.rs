//! `[package]` and `[dependencies]` of `codegen.toml`: the generated crate's metadata and the
//! crates its mapped types come from.

use serde::Deserialize;

/// The generated package's metadata (`[package]`); what is not set keeps its default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Package {
    /// Default `0.1.0`.
    pub version: Version,
    /// Default 2021.
    pub edition: Edition,
    /// The oldest Rust the crate builds with; default `1.85`.
    pub rust_version: RustVersion,
    /// An SPDX expression such as `MIT OR Apache-2.0`; default none.
    pub license: Option<String>,
    /// Default `false`.
    pub publish: Publish,
    /// Default: "Client for {title} (generated from its OpenAPI description)".
    pub description: Option<String>,
    pub repository: Option<String>,
}

impl Default for Package {
    fn default() -> Self {
        Package {
            version: Version("0.1.0".into()),
            edition: Edition::E2021,
            rust_version: RustVersion("1.85".into()),
            license: None,
            publish: Publish::Never,
            description: None,
            repository: None,
        }
    }
}

/// A semantic version, `MAJOR.MINOR.PATCH` with an optional `-pre` and `+build`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Version(String);

impl Version {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Version {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let (core, rest) = match text.find(['-', '+']) {
            Some(at) => text.split_at(at),
            None => (text.as_str(), ""),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let suffix_ok =
            rest.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')) && rest.len() != 1;
        if numbers.len() == 3 && numbers.iter().all(numeric) && suffix_ok {
            Ok(Version(text))
        } else {
            Err(format!("`{text}` is not a semantic version such as `1.2.3` or `0.4.0-beta.1`"))
        }
    }
}

/// A Rust edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Edition {
    #[serde(rename = "2015")]
    E2015,
    #[serde(rename = "2018")]
    E2018,
    #[serde(rename = "2021")]
    E2021,
    #[serde(rename = "2024")]
    E2024,
}

impl Edition {
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2015 => "2015",
            Edition::E2018 => "2018",
            Edition::E2021 => "2021",
            Edition::E2024 => "2024",
        }
    }

    /// The first Rust release that knows the edition, as (major, minor).
    pub(super) fn first_release(self) -> (u64, u64) {
        match self {
            Edition::E2015 => (1, 0),
            Edition::E2018 => (1, 31),
            Edition::E2021 => (1, 56),
            Edition::E2024 => (1, 85),
        }
    }
}

/// A Rust release, `1.85` or `1.85.1`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct RustVersion(String);

impl RustVersion {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// (major, minor).
    pub(super) fn release(&self) -> (u64, u64) {
        let mut numbers = self.0.split('.').map(|n| n.parse::<u64>().unwrap_or(0));
        (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
    }
}

impl TryFrom<String> for RustVersion {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('.').collect();
        let numeric =
            parts.iter().all(|part| !part.is_empty() && part.len() < 10 && part.bytes().all(|b| b.is_ascii_digit()));
        if (2..=3).contains(&parts.len()) && numeric {
            Ok(RustVersion(text))
        } else {
            Err(format!("`{text}` is not a Rust version such as `1.85` or `1.85.1`"))
        }
    }
}

/// Where the crate may be published: nowhere, any registry, or the registries named.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub enum Publish {
    Never,
    Anywhere,
    To(Vec<String>),
}

impl TryFrom<toml::Value> for Publish {
    type Error = String;

    fn try_from(value: toml::Value) -> Result<Self, String> {
        let registries = match value {
            toml::Value::Boolean(true) => return Ok(Publish::Anywhere),
            toml::Value::Boolean(false) => return Ok(Publish::Never),
            toml::Value::Array(registries) => registries,
            _ => return Err("`publish` is `true`, `false`, or a list of registry names".into()),
        };
        let names: Option<Vec<String>> = registries
            .into_iter()
            .map(|registry| registry.as_str().filter(|name| is_bare_key(name)).map(str::to_string))
            .collect();
        names.map(Publish::To).ok_or_else(|| "`publish` lists registry names, such as `[\"my-registry\"]`".into())
    }
}

/// An extra dependency of the generated crate, as Cargo reads it: a version (`"1"`) or a table
/// (`{ version = "1", features = ["serde-float"] }`), written into `Cargo.toml` as given.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct Dependency(toml::Value);

impl Dependency {
    /// The dependency as TOML values: a string, or a table of strings, booleans, integers and
    /// arrays of them.
    pub fn value(&self) -> &toml::Value {
        &self.0
    }
}

/// Features of shared crates that change how that crate behaves for every crate of the user's
/// build (cargo turns a feature on for all who depend on the crate): crate, feature, what it
/// changes, what to use instead.
const SHARED_BEHAVIOUR_FEATURES: &[(&str, &str, &str, &str)] = &[
    (
        "rust_decimal",
        "serde-float",
        "makes every `rust_decimal::Decimal` in the build serialize as a JSON number rather than a string",
        "turn on `serde-with-float` instead and map the values with `{ type = \"rust_decimal::Decimal\", with = \"rust_decimal::serde::float\" }`",
    ),
    (
        "rust_decimal",
        "serde-str",
        "makes every `rust_decimal::Decimal` in the build deserialize from strings only",
        "turn on `serde-with-str` instead and map the values with `with = \"rust_decimal::serde::str\"`",
    ),
    (
        "rust_decimal",
        "serde-bincode",
        "turns on `serde-str`, which makes every `rust_decimal::Decimal` in the build deserialize from strings only",
        "turn on `serde-with-str` instead and map the values with `with = \"rust_decimal::serde::str\"`",
    ),
    (
        "rust_decimal",
        "serde-arbitrary-precision",
        "changes how every `rust_decimal::Decimal` in the build serializes, and turns on serde_json's `arbitrary_precision`, which changes how every `serde_json` number is held",
        "turn on `serde-with-float` or `serde-with-str` and map the values with `with = \"rust_decimal::serde::float\"` or `\"rust_decimal::serde::str\"`",
    ),
    (
        "rust_decimal",
        "serde-with-arbitrary-precision",
        "turns on serde_json's `arbitrary_precision`, which changes how every `serde_json` number in the build is held",
        "turn on `serde-with-float` or `serde-with-str` and map the values with `with = \"rust_decimal::serde::float\"` or `\"rust_decimal::serde::str\"`",
    ),
    (
        "serde_json",
        "arbitrary_precision",
        "changes how every `serde_json` number in the build is held (as text) and written",
        "leave it off and map the values that need exact numbers to a type with a `with` module",
    ),
    (
        "serde_json",
        "preserve_order",
        "changes every `serde_json::Map` in the build to keep insertion order",
        "leave it off; the generated crate keeps unknown properties either way",
    ),
];

impl Dependency {
    /// The crate this entry stands for: its `package`, or its name.
    fn package<'a>(&'a self, name: &'a str) -> &'a str {
        self.0.get("package").and_then(toml::Value::as_str).unwrap_or(name)
    }

    /// The features the entry turns on.
    fn features(&self) -> Vec<&str> {
        let listed = self.0.get("features").and_then(toml::Value::as_array);
        listed.into_iter().flatten().filter_map(toml::Value::as_str).collect()
    }

    /// A warning for each feature the entry (under `name`) turns on that changes a shared crate's
    /// behaviour in the user's whole build, saying what to do instead.
    pub(super) fn feature_warnings(&self, name: &str) -> Vec<String> {
        let package = self.package(name).replace('-', "_");
        let features = self.features();
        SHARED_BEHAVIOUR_FEATURES
            .iter()
            .filter(|(krate, feature, _, _)| *krate == package && features.contains(feature))
            .map(|(krate, feature, changes, instead)| {
                format!(
                    "codegen.toml [dependencies] {name}: the feature `{feature}` of `{krate}` {changes}, since cargo turns a feature on for every crate of a build, not only the generated one; {instead}"
                )
            })
            .collect()
    }
}

impl TryFrom<toml::Value> for Dependency {
    type Error = String;

    fn try_from(value: toml::Value) -> Result<Self, String> {
        fn plain(value: &toml::Value) -> bool {
            match value {
                toml::Value::String(_) | toml::Value::Boolean(_) | toml::Value::Integer(_) => true,
                toml::Value::Array(items) => items.iter().all(plain),
                toml::Value::Table(table) => table.values().all(plain),
                _ => false,
            }
        }
        match &value {
            toml::Value::String(_) => Ok(Dependency(value)),
            toml::Value::Table(table) if table.values().all(plain) => Ok(Dependency(value)),
            _ => Err("a dependency is a version string (`\"1\"`) or a table such as `{ version = \"1\", features = [\"serde\"] }`".into()),
        }
    }
}

/// When the generated crate has one of its own dependencies, or turns on one of their features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    Always,
    /// Some value is a date or a date-time, or a type codegen.toml maps names `chrono`.
    Dates,
    /// Some value of a request has a `pattern` to check.
    Patterns,
    /// Some operation sends a `multipart/form-data` body.
    Multipart,
    /// Some path, query, header or cookie value is percent-encoded.
    Encoding,
    /// Some credential is HTTP basic authentication, or webhooks are signed.
    Base64,
    /// Webhook deliveries are signed (HMAC, ECDSA and SHA-256 from aws-lc-rs, which rustls
    /// already builds).
    Signatures,
    /// Some operation returns a stream (the pages of a list): the `Stream` trait.
    Streams,
}

/// A dependency of the generated crate's own, as its `Cargo.toml` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnDependency {
    /// The key under `[dependencies]`, which is the crate's name.
    pub name: &'static str,
    pub version: &'static str,
    /// Compiled only when a feature of the generated crate turns it on (`dep:…`).
    pub optional: bool,
    pub default_features: bool,
    /// The features turned on, each with when.
    pub features: &'static [(&'static str, Needed)],
    /// When the crate has the dependency at all.
    pub needed: Needed,
}

/// Every dependency a generated crate may have of its own: `Cargo.toml` lists those its spec
/// needs (in name order), and `codegen.toml` may add none of them under the same name.
pub const OWN_DEPENDENCIES: &[OwnDependency] = &[
    own("reqwest", "0.13", Needed::Always).no_default_features().features(&[
        ("form", Needed::Always),
        ("json", Needed::Always),
        ("multipart", Needed::Multipart),
        ("query", Needed::Always),
    ]),
    own("secrecy", "0.10", Needed::Always),
    own("serde", "1", Needed::Always).features(&[("derive", Needed::Always)]),
    own("serde_json", "1", Needed::Always),
    own("serde_path_to_error", "0.1", Needed::Always),
    own("subtle", "2", Needed::Always),
    own("fastrand", "2", Needed::Always),
    own("httpdate", "1", Needed::Always),
    own("tokio", "1", Needed::Always)
        .no_default_features()
        .features(&[("sync", Needed::Always), ("time", Needed::Always)]),
    own("tracing", "0.1", Needed::Always).optional(),
    own("clap", "4.5", Needed::Always).optional().no_default_features().features(&[
        ("std", Needed::Always),
        ("help", Needed::Always),
        ("usage", Needed::Always),
        ("error-context", Needed::Always),
        ("suggestions", Needed::Always),
    ]),
    own("serde_urlencoded", "0.7", Needed::Always).optional(),
    own("hyper", "1", Needed::Always)
        .optional()
        .no_default_features()
        .features(&[("http1", Needed::Always), ("server", Needed::Always)]),
    own("hyper-util", "0.1", Needed::Always).optional().no_default_features().features(&[("tokio", Needed::Always)]),
    own("chrono", "0.4", Needed::Dates)
        .no_default_features()
        .features(&[("serde", Needed::Always), ("std", Needed::Always)]),
    own("regex", "1", Needed::Patterns),
    own("percent-encoding", "2", Needed::Encoding),
    own("base64", "0.22", Needed::Base64),
    own("futures-core", "0.3", Needed::Streams).no_default_features().features(&[("std", Needed::Always)]),
    own("aws-lc-rs", "1", Needed::Signatures).no_default_features().features(&[("aws-lc-sys", Needed::Always)]),
];

/// An entry of [`OWN_DEPENDENCIES`] with default features and no others.
const fn own(name: &'static str, version: &'static str, needed: Needed) -> OwnDependency {
    OwnDependency { name, version, optional: false, default_features: true, features: &[], needed }
}

impl OwnDependency {
    const fn optional(self) -> Self {
        OwnDependency { optional: true, ..self }
    }

    const fn no_default_features(self) -> Self {
        OwnDependency { default_features: false, ..self }
    }

    const fn features(self, features: &'static [(&'static str, Needed)]) -> Self {
        OwnDependency { features, ..self }
    }

    /// The dependency named `name` in Rust code (where `-` is `_`), if the crate has one.
    pub fn named(name: &str) -> Option<&'static OwnDependency> {
        let name = name.replace('-', "_");
        OWN_DEPENDENCIES.iter().find(|own| own.name.replace('-', "_") == name)
    }

    /// Whether every generated crate that names the crate in a mapped type has it, so that
    /// codegen.toml's types may name it without a `[dependencies]` entry.
    pub fn nameable(&self) -> bool {
        !self.optional && matches!(self.needed, Needed::Always | Needed::Dates)
    }
}

/// A name TOML can write without quotes, which is also what Cargo allows for a dependency key.
pub(super) fn is_bare_key(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_that_change_shared_crates_are_named_with_what_to_use_instead() {
        let dependency = |text: &str| Dependency::try_from(toml::from_str::<toml::Value>(text).unwrap()["d"].clone());
        let float = dependency("d = { version = \"1\", features = [\"serde-float\", \"maths\"] }").unwrap();
        let warnings = float.feature_warnings("rust_decimal");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("codegen.toml [dependencies] rust_decimal: the feature `serde-float`"));
        assert!(warnings[0].contains("`serde-with-float`") && warnings[0].contains("rust_decimal::serde::float"));
        let renamed = dependency(
            "d = { version = \"1\", package = \"serde_json\", features = [\"preserve_order\", \"arbitrary_precision\"] }",
        )
        .unwrap();
        assert_eq!(renamed.feature_warnings("json").len(), 2);
        let with = dependency("d = { version = \"1\", features = [\"serde-with-float\"] }").unwrap();
        assert!(with.feature_warnings("rust_decimal").is_empty());
        assert!(dependency("d = \"1\"").unwrap().feature_warnings("rust_decimal").is_empty());
    }

    #[test]
    fn versions() {
        for ok in ["0.1.0", "1.2.3-beta.1", "1.0.0+build.5", "10.20.30-rc1+meta"] {
            assert!(Version::try_from(ok.to_string()).is_ok(), "{ok}");
        }
        for bad in ["1.0", "1.0.0.0", "v1.0.0", "1.0.0-", "1.x.0", "1.0.0-é"] {
            assert!(Version::try_from(bad.to_string()).is_err(), "{bad}");
        }
        assert_eq!(RustVersion::try_from("1.85.1".to_string()).unwrap().release(), (1, 85));
        for bad in ["1", "1.85.0.1", "one.85", "1..2"] {
            assert!(RustVersion::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }
}
