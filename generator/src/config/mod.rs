//! `codegen.toml`: what the spec cannot say about the crate to generate. Rust types chosen for a
//! format, a component schema or a property; extra derives; the package's metadata; and the
//! dependencies the chosen types need.
//!
//! The file sits beside the spec ([`beside`]). Everything in it is checked when it is read:
//! unknown keys, type paths that do not parse, crates no dependency provides. Each error names
//! the file, and the line and column when there is one.

mod mapping;
mod package;
mod pagination;
mod paths;
mod streams;
mod webhooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use mapping::Mapping;
pub use package::{
    Dependency, Edition, Needed, OwnDependency, Package, Publish, RustVersion, Version, OWN_DEPENDENCIES,
};
pub use pagination::{PaginationSettings, PatternSetting};
pub use paths::{DerivePath, RustType, WithPath};
pub use streams::{StreamFlagSetting, StreamSettings};
pub use webhooks::{HmacEncoding, HmacSignature, HmacSigned, JwtSignature, Signature, Webhooks};

use crate::Error;

/// The name of the file looked for beside the spec.
pub const FILE_NAME: &str = "codegen.toml";

/// The key in `[fields]` and `[derives]` that stands for every schema.
pub const EVERY_SCHEMA: &str = "*";

/// Crates every generated crate can name in a type besides its own dependencies that are always
/// there ([`OwnDependency::nameable`]).
const STANDARD_CRATES: &[&str] = &["std", "core"];

/// The parsed `codegen.toml`. `Config::default()` is what generation uses without a file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[package]`: the generated crate's metadata.
    #[serde(default)]
    pub package: Package,
    /// `[formats]`: a schema `format` (`decimal`, `uuid`, `double`) → the Rust type of every
    /// value with that format.
    #[serde(default)]
    pub formats: BTreeMap<String, Mapping>,
    /// `[schemas]`: a component schema's name → the Rust type used wherever it is referenced;
    /// the schema gets no type of its own, only an alias.
    #[serde(default)]
    pub schemas: BTreeMap<String, Mapping>,
    /// `[fields]`: schema name (or `*` for every schema) → property name → the Rust type of that
    /// field, written `Schema.property = "…"` under `[fields]`.
    #[serde(default)]
    pub fields: BTreeMap<String, BTreeMap<String, Mapping>>,
    /// `[sensitive]`: schema name (or `*`) → property name → whether the field's value is hidden
    /// from `Debug` output and error messages (personal data the spec does not mark), written
    /// `Schema.property = true`. `false` exempts a property from a `*` entry; it cannot unmark
    /// what the spec marks (`x-sensitive`, `format: password`).
    #[serde(default)]
    pub sensitive: BTreeMap<String, BTreeMap<String, bool>>,
    /// `[derives]`: schema name (or `*`) → derive macros added to its generated types.
    #[serde(default)]
    pub derives: BTreeMap<String, Vec<DerivePath>>,
    /// `[dependencies]`: extra dependencies of the generated crate, by name.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Dependency>,
    /// `[webhooks]`: payloads the spec leaves unmarked, how events are told apart, and how
    /// deliveries are signed.
    #[serde(default)]
    pub webhooks: Webhooks,
    /// `[streams]`: operationId → what the spec leaves unsaid about its streamed response.
    #[serde(default)]
    pub streams: BTreeMap<String, StreamSettings>,
    /// `[pagination]`: operationId → the pattern of its pages (or `off`), and the names it reads.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationSettings>,
}

/// `codegen.toml` in the spec's directory, when there is one.
pub fn beside(spec: &Path) -> Option<PathBuf> {
    let path = spec.parent().unwrap_or(Path::new(".")).join(FILE_NAME);
    path.is_file().then_some(path)
}

impl Config {
    /// Reads and checks the config file at `path`.
    pub fn read(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read the config: {source}"),
        })?;
        Config::parse(path, &text)
    }

    /// Parses and checks config text; `path` labels errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Error> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((None, None), |span| {
                let (line, column) = line_and_column(text, span.start);
                (Some(line), Some(column))
            });
            Error::Config { path: path.to_path_buf(), line, column, message }
        };
        let config: Config =
            toml::from_str(text).map_err(|e| error(e.span(), e.message().trim_end_matches('.').to_string()))?;
        config.check().map_err(|message| error(None, message))?;
        Ok(config)
    }

    /// The checks that look at more than one value: crates named by types must be dependencies,
    /// dependencies must not clash with the crate's own, and the edition must fit the Rust
    /// version.
    fn check(&self) -> Result<(), String> {
        self.webhooks.check()?;
        for (operation, settings) in &self.streams {
            settings.check(operation)?;
        }
        for (operation, settings) in &self.pagination {
            settings.check(operation)?;
        }
        for name in self.dependencies.keys() {
            if !package::is_bare_key(name) {
                return Err(format!(
                    "`{name}` is not a crate name; a dependency's name is ASCII letters, digits, `-` and `_`"
                ));
            }
            if let Some(own) = OwnDependency::named(name) {
                return Err(own_dependency_clash(name, own));
            }
        }
        let declared: Vec<String> = self.dependencies.keys().map(|name| name.replace('-', "_")).collect();
        let available = |name: &String| {
            STANDARD_CRATES.contains(&name.as_str()) || OwnDependency::named(name).is_some_and(OwnDependency::nameable)
        };
        for (place, crates, text) in self.named_crates() {
            if let Some(missing) = crates.iter().find(|name| !available(name) && !declared.contains(name)) {
                return Err(format!(
                    "{place}: `{text}` uses the crate `{missing}`, which the generated crate does not depend on; add it under [dependencies]"
                ));
            }
        }
        let package = &self.package;
        let (major, minor) = package.edition.first_release();
        if package.rust_version.release() < (major, minor) {
            return Err(format!(
                "[package] edition {} needs Rust {major}.{minor} or later, but rust-version is {}",
                package.edition.as_str(),
                package.rust_version.as_str()
            ));
        }
        Ok(())
    }

    /// Every type and derive with where it is in the file and the crates it names.
    fn named_crates(&self) -> Vec<(String, &[String], &str)> {
        let mut mappings: Vec<(String, &Mapping)> = Vec::new();
        mappings.extend(self.formats.iter().map(|(format, mapping)| (format!("[formats] {format}"), mapping)));
        mappings.extend(self.schemas.iter().map(|(schema, mapping)| (format!("[schemas] {schema}"), mapping)));
        for (schema, properties) in &self.fields {
            mappings.extend(
                properties.iter().map(|(property, mapping)| (format!("[fields] {schema}.{property}"), mapping)),
            );
        }
        let mut named: Vec<(String, &[String], &str)> = Vec::new();
        for (place, mapping) in mappings {
            named.push((place.clone(), mapping.ty.crates(), mapping.ty.as_str()));
            if let Some(with) = &mapping.with {
                named.push((place, with.crates(), with.as_str()));
            }
        }
        for (schema, derives) in &self.derives {
            for derive in derives {
                named.push((format!("[derives] {schema}"), derive.crates(), derive.as_str()));
            }
        }
        named
    }
}

impl Config {
    /// What the file asks for that is allowed but probably unwanted, each a sentence naming the
    /// entry and what to do instead: dependency features that change how a shared crate behaves
    /// in the user's whole build (cargo unifies features).
    pub fn warnings(&self) -> Vec<String> {
        self.dependencies.iter().flat_map(|(name, dependency)| dependency.feature_warnings(name)).collect()
    }
}

/// Why `[dependencies] {name}` cannot be: the generated crate's `Cargo.toml` lists `own` itself
/// (always, or when the spec needs it), and a crate cannot be listed twice under one name.
fn own_dependency_clash(name: &str, own: &OwnDependency) -> String {
    let krate = own.name;
    let (has, naming) = if own.nameable() {
        (
            "already depends on",
            format!("the types codegen.toml maps may name `{krate}` without this entry, so remove it; "),
        )
    } else {
        ("may depend on", String::new())
    };
    format!(
        "[dependencies] {name}: the generated crate {has} `{krate}` itself, and its Cargo.toml cannot list the crate twice; {naming}to use other features or another version of it, add it under another name with `package = \"{krate}\"`"
    )
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("spec/codegen.toml"), text).map_err(|error| error.to_string())
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            r#"
[package]
version = "2.0.0-rc.1"
edition = "2024"
rust-version = "1.85"
license = "MIT"
publish = ["internal"]
description = "Our client"
repository = "https://example.test/client"

[formats]
decimal = "rust_decimal::Decimal"

[schemas]
Id = "std::net::IpAddr"

[fields]
"*".amount = { type = "rust_decimal::Decimal", with = "rust_decimal::serde::float" }
Account.balance = "Option<rust_decimal::Decimal>"

[sensitive]
"*".email = true
Account.email = false

[derives]
"*" = ["Eq"]
Account = ["Hash", "serde_json::Foo"]

[dependencies]
rust_decimal = { version = "1", features = ["serde-with-float"] }
"#,
        )
        .unwrap();
        assert_eq!(config.package.version.as_str(), "2.0.0-rc.1");
        assert_eq!(config.package.edition, Edition::E2024);
        assert_eq!(config.package.publish, Publish::To(vec!["internal".into()]));
        assert_eq!(config.formats["decimal"].as_str(), "rust_decimal::Decimal");
        assert_eq!(config.fields["*"]["amount"].as_str(), "rust_decimal::Decimal");
        assert_eq!(
            config.fields["*"]["amount"].with.as_ref().map(WithPath::as_str),
            Some("rust_decimal::serde::float")
        );
        assert_eq!(config.fields["Account"]["balance"].crates(), ["rust_decimal"]);
        assert_eq!((config.sensitive["*"]["email"], config.sensitive["Account"]["email"]), (true, false));
        assert!(config.warnings().is_empty());
        assert_eq!(config.derives["Account"].len(), 2);
        assert!(config.dependencies["rust_decimal"].value().is_table());
    }

    #[test]
    fn an_empty_file_is_the_default() {
        let config = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.package.rust_version.as_str(), "1.85");
        assert_eq!(config.package.publish, Publish::Never);
    }

    #[test]
    fn unknown_keys_name_the_file_and_line() {
        let error = parse("[package]\nversion = \"1.0.0\"\nlicence = \"MIT\"\n").unwrap_err();
        assert!(error.starts_with("spec/codegen.toml:3:1: unknown field `licence`"), "{error}");
        let error = parse("[formats]\ndecimal = \"x::Y\"\n\n[typo]\n").unwrap_err();
        assert!(error.starts_with("spec/codegen.toml:4:"), "{error}");
        assert!(error.contains("unknown field `typo`"), "{error}");
    }

    #[test]
    fn bad_values_name_the_line_and_say_why() {
        for (text, line, reason) in [
            ("[formats]\nuuid = \"Vec<\"\n", 2, "`Vec<` is not a Rust type"),
            ("[schemas]\nId = \"Uuid\"\n", 2, "not in scope"),
            ("[fields]\nA.b = \"&str\"\n", 2, "reference"),
            ("[derives]\n\"*\" = [\"Foo<T>\"]\n", 2, "generic"),
            ("[package]\nversion = \"1.0\"\n", 2, "semantic version"),
            ("[package]\nedition = \"2022\"\n", 2, "2022"),
            ("[package]\npublish = \"yes\"\n", 2, "`publish` is"),
            ("\n[dependencies]\nfoo = 1.5\n", 3, "a dependency is"),
            ("[fields]\nA.b = { type = \"u8\", with = \"float\" }\n", 2, "not in scope"),
            ("[fields]\nA.b = { with = \"a::b\" }\n", 2, "needs `type`"),
            ("[sensitive]\nA.b = \"yes\"\n", 2, "expected a boolean"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.starts_with(&format!("spec/codegen.toml:{line}:")), "{text}: {error}");
            assert!(error.contains(reason), "{text}: {error}");
        }
    }

    #[test]
    fn crates_must_be_dependencies_and_not_clash_with_the_crates_own() {
        let error = parse("[formats]\ndecimal = \"rust_decimal::Decimal\"\n").unwrap_err();
        assert!(error.contains("[formats] decimal: `rust_decimal::Decimal` uses the crate `rust_decimal`"), "{error}");
        assert!(error.contains("add it under [dependencies]"), "{error}");
        let ok = "[formats]\ndecimal = \"rust-decimal::Decimal\"\n[dependencies]\nrust-decimal = \"1\"\n";
        assert!(parse(&ok.replace("rust-decimal::", "rust_decimal::")).is_ok());
        for available in ["std::net::IpAddr", "serde_json::Value", "chrono::NaiveTime", "crate::Binary"] {
            assert!(parse(&format!("[schemas]\nX = \"{available}\"\n")).is_ok(), "{available}");
        }
        let error =
            parse("[formats]\ndecimal = { type = \"String\", with = \"rust_decimal::serde::str\" }\n").unwrap_err();
        assert!(
            error.contains("[formats] decimal: `rust_decimal::serde::str` uses the crate `rust_decimal`"),
            "{error}"
        );
        let error = parse("[dependencies]\nserde_json = \"1\"\n").unwrap_err();
        assert!(error.contains("already depends on `serde_json`") && error.contains("package = "), "{error}");
        let error = parse("[dependencies]\n\"a b\" = \"1\"\n").unwrap_err();
        assert!(error.contains("`a b` is not a crate name"), "{error}");
    }

    #[test]
    fn every_dependency_of_the_generated_crate_is_refused_by_name() {
        // The first two were always refused; the others were once left out of Cargo.toml silently.
        for name in ["reqwest", "serde-json", "fastrand", "httpdate", "secrecy", "percent_encoding", "base64", "hyper"]
        {
            let error = parse(&format!("[dependencies]\n{name} = \"1\"\n")).unwrap_err();
            assert!(
                error.starts_with(&format!("spec/codegen.toml: [dependencies] {name}: the generated crate")),
                "{name}: {error}"
            );
            assert!(error.contains("package = "), "{name}: {error}");
        }
        let renamed = "[dependencies]\nrandom = { version = \"2\", package = \"fastrand\" }\n";
        assert!(parse(renamed).is_ok());
    }

    #[test]
    fn features_that_change_shared_crates_are_warnings() {
        let config =
            parse("[dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-float\"] }\n").unwrap();
        let warnings = config.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("`serde-float`") && warnings[0].contains("serde-with-float"), "{warnings:?}");
    }

    #[test]
    fn the_edition_must_fit_the_rust_version() {
        let error = parse("[package]\nedition = \"2024\"\nrust-version = \"1.80\"\n").unwrap_err();
        assert_eq!(
            error,
            "spec/codegen.toml: [package] edition 2024 needs Rust 1.85 or later, but rust-version is 1.80"
        );
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let error = Config::read(Path::new("/nonexistent/codegen.toml")).unwrap_err().to_string();
        assert!(error.starts_with("/nonexistent/codegen.toml: cannot read the config"), "{error}");
    }
}
