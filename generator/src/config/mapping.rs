//! A type mapping of `codegen.toml` (`[formats]`, `[schemas]`, `[fields]`): a Rust type, written
//! as a string, or a table that also names the module serializing it:
//!
//! ```toml
//! "*".amount = "rust_decimal::Decimal"
//! "*".amount = { type = "rust_decimal::Decimal", with = "rust_decimal::serde::float" }
//! ```
//!
//! A `with` module changes how the generated crate's own values are written, and nothing else:
//! unlike a dependency feature such as rust_decimal's `serde-float`, it does not reach the other
//! values of that type in the user's build.

use proc_macro2::TokenStream;
use serde::Deserialize;

use super::paths::{RustType, WithPath};

/// The Rust type a value takes, and the module that (de)serializes it when its own impls are
/// not the ones wanted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct Mapping {
    pub ty: RustType,
    /// `with`: a module with `serialize(&T, S)` and `deserialize(D) -> T`.
    pub with: Option<WithPath>,
}

impl Mapping {
    /// A mapping to `ty`, (de)serialized by its own impls.
    pub fn plain(ty: RustType) -> Self {
        Mapping { ty, with: None }
    }

    /// The type as written in the config.
    pub fn as_str(&self) -> &str {
        self.ty.as_str()
    }

    /// The crates the type and the `with` module name.
    pub fn crates(&self) -> Vec<String> {
        let mut crates = self.ty.crates().to_vec();
        crates.extend(self.with.iter().flat_map(|with| with.crates().iter().cloned()));
        crates.sort();
        crates.dedup();
        crates
    }

    /// The type as tokens.
    pub fn tokens(&self) -> TokenStream {
        self.ty.tokens()
    }

    /// The last name in the type's path (`Decimal`), to name things after it.
    pub fn label(&self) -> String {
        self.ty.label()
    }

    /// How the mapping reads in messages: the type, and its `with` module if any.
    pub fn describe(&self) -> String {
        match &self.with {
            Some(with) => format!("`{}` (with `{}`)", self.ty.as_str(), with.as_str()),
            None => format!("`{}`", self.ty.as_str()),
        }
    }
}

const SHAPE: &str =
    "a mapping is a type (`\"rust_decimal::Decimal\"`) or a table `{ type = \"rust_decimal::Decimal\", with = \"rust_decimal::serde::float\" }`";

impl TryFrom<toml::Value> for Mapping {
    type Error = String;

    fn try_from(value: toml::Value) -> Result<Self, String> {
        let table = match value {
            toml::Value::String(text) => return RustType::new(&text).map(Mapping::plain),
            toml::Value::Table(table) => table,
            _ => return Err(SHAPE.to_string()),
        };
        let mut ty = None;
        let mut with = None;
        for (key, value) in table {
            let toml::Value::String(text) = value else {
                return Err(format!("`{key}` of a mapping is a string; {SHAPE}"));
            };
            match key.as_str() {
                "type" => ty = Some(RustType::new(&text)?),
                "with" => with = Some(WithPath::new(&text)?),
                _ => return Err(format!("unknown key `{key}` in a mapping, expected `type` or `with`; {SHAPE}")),
            }
        }
        let ty = ty.ok_or_else(|| format!("a mapping table needs `type`; {SHAPE}"))?;
        Ok(Mapping { ty, with })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> Result<Mapping, String> {
        #[derive(Deserialize)]
        struct Holder {
            value: Mapping,
        }
        toml::from_str::<Holder>(&format!("value = {text}")).map(|holder| holder.value).map_err(|e| e.to_string())
    }

    #[test]
    fn a_string_or_a_table() {
        let plain = mapping("\"rust_decimal::Decimal\"").unwrap();
        assert_eq!((plain.as_str(), plain.with.as_ref()), ("rust_decimal::Decimal", None));
        let with = mapping("{ type = \"rust_decimal::Decimal\", with = \"rust_decimal::serde::float\" }").unwrap();
        assert_eq!(with.with.as_ref().map(WithPath::as_str), Some("rust_decimal::serde::float"));
        assert_eq!(with.crates(), ["rust_decimal"]);
        let chrono = mapping("{ type = \"i64\", with = \"chrono::serde::ts_seconds\" }").unwrap();
        assert_eq!(chrono.crates(), ["chrono"]);
        assert_eq!(chrono.describe(), "`i64` (with `chrono::serde::ts_seconds`)");
    }

    #[test]
    fn what_is_wrong_is_named() {
        for (text, reason) in [
            ("{ with = \"a::b\" }", "needs `type`"),
            ("{ type = \"u8\", width = \"a::b\" }", "unknown key `width`"),
            ("{ type = \"u8\", with = 3 }", "`with` of a mapping is a string"),
            ("{ type = \"u8\", with = \"float\" }", "not in scope"),
            ("{ type = \"Vec<\" }", "not a Rust type"),
            ("42", "a mapping is a type"),
        ] {
            let error = mapping(text).unwrap_err();
            assert!(error.contains(reason), "{text}: {error}");
        }
    }
}
