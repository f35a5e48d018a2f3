//! Rust types and derive macros named in `codegen.toml`, checked when the file is read: each must
//! parse, be a type a struct field can hold (or a derive path), and name only crates the
//! generated crate can reach.

use proc_macro2::TokenStream;
use quote::ToTokens;
use serde::Deserialize;
use syn::{GenericArgument, PathArguments, Type};

/// Names a type may use without a path: primitives and the prelude's owned types.
const PRELUDE_TYPES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "String", "Vec", "Box", "Option",
];

/// Derive macros that are in scope everywhere.
const PRELUDE_DERIVES: &[&str] = &["Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default"];

/// A Rust type chosen in `codegen.toml` (`rust_decimal::Decimal`, `Vec<u8>`), known to parse as a
/// type a field can hold. The only way to make one is [`RustType::new`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct RustType {
    text: String,
    crates: Vec<String>,
}

impl RustType {
    /// Checks `text` and keeps it; the error says what is wrong, lower-case.
    pub fn new(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let ty = syn::parse_str::<Type>(text).map_err(|error| format!("`{text}` is not a Rust type: {error}"))?;
        if matches!(&ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("str")) {
            return Err(format!("`{text}` has no size, so no field can hold it; use `String`"));
        }
        let mut crates = Vec::new();
        check_type(&ty, &mut crates).map_err(|problem| format!("`{text}` cannot be a field's type: {problem}"))?;
        crates.sort();
        crates.dedup();
        Ok(RustType { text: text.to_string(), crates })
    }

    /// The type as written in the config.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The crates the type's paths start from (`rust_decimal` for `rust_decimal::Decimal`).
    pub fn crates(&self) -> &[String] {
        &self.crates
    }

    /// The type as tokens.
    pub fn tokens(&self) -> TokenStream {
        syn::parse_str::<Type>(&self.text).expect("the text parsed as a type when it was checked").into_token_stream()
    }

    /// The last name in the type's path (`Decimal`), to name things after it.
    pub fn label(&self) -> String {
        match syn::parse_str::<Type>(&self.text) {
            Ok(Type::Path(path)) => path.path.segments.last().map(|segment| segment.ident.to_string()),
            _ => None,
        }
        .unwrap_or_else(|| "Value".to_string())
    }
}

impl TryFrom<String> for RustType {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        RustType::new(&text)
    }
}

/// A derive macro named in `codegen.toml` (`Eq`, `schemars::JsonSchema`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct DerivePath {
    text: String,
    crates: Vec<String>,
}

impl DerivePath {
    pub fn new(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let path =
            syn::parse_str::<syn::Path>(text).map_err(|error| format!("`{text}` is not a derive path: {error}"))?;
        if path.segments.iter().any(|segment| !segment.arguments.is_none()) {
            return Err(format!("`{text}` is not a derive path: a derive takes no generic arguments"));
        }
        let mut crates = Vec::new();
        check_path_root(&path, PRELUDE_DERIVES, &mut crates)
            .map_err(|problem| format!("`{text}` cannot be derived: {problem}"))?;
        Ok(DerivePath { text: text.to_string(), crates })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn crates(&self) -> &[String] {
        &self.crates
    }

    /// The macro's own name, the last segment (`JsonSchema`).
    pub fn name(&self) -> &str {
        self.text.rsplit("::").next().unwrap_or(&self.text).trim()
    }

    pub fn tokens(&self) -> TokenStream {
        syn::parse_str::<syn::Path>(&self.text)
            .expect("the text parsed as a path when it was checked")
            .into_token_stream()
    }
}

impl TryFrom<String> for DerivePath {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        DerivePath::new(&text)
    }
}

/// A module named by a mapping's `with` in `codegen.toml` (`rust_decimal::serde::float`): it
/// has `serialize(&T, S)` and `deserialize(D) -> T` for the mapped type `T`, as serde's own
/// `#[serde(with = "…")]` expects. Known to parse as a path from a crate in reach.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct WithPath {
    text: String,
    crates: Vec<String>,
}

impl WithPath {
    /// Checks `text` and keeps it; the error says what is wrong, lower-case.
    pub fn new(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let path =
            syn::parse_str::<syn::Path>(text).map_err(|error| format!("`{text}` is not a module path: {error}"))?;
        if path.segments.iter().any(|segment| !segment.arguments.is_none()) {
            return Err(format!("`{text}` is not a module path: a module takes no generic arguments"));
        }
        let mut crates = Vec::new();
        check_path_root(&path, &[], &mut crates)
            .map_err(|problem| format!("`{text}` cannot be a `with` module: {problem}"))?;
        Ok(WithPath { text: path.to_token_stream().to_string().replace(' ', ""), crates })
    }

    /// The path as written in the config (without spaces).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The crate the path starts from (`rust_decimal`), if it is not `crate`.
    pub fn crates(&self) -> &[String] {
        &self.crates
    }

    /// The path as tokens.
    pub fn tokens(&self) -> TokenStream {
        syn::parse_str::<syn::Path>(&self.text)
            .expect("the text parsed as a path when it was checked")
            .into_token_stream()
    }

    /// The path's segments (`["rust_decimal", "serde", "float"]`), to name things after it.
    pub fn segments(&self) -> Vec<&str> {
        self.text.split("::").filter(|segment| !segment.is_empty()).collect()
    }
}

impl TryFrom<String> for WithPath {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        WithPath::new(&text)
    }
}

/// Accepts the types a serde struct field can hold: paths (with their generic arguments),
/// tuples and arrays of them. Collects the crates named.
fn check_type(ty: &Type, crates: &mut Vec<String>) -> Result<(), String> {
    match ty {
        Type::Path(path) => {
            if let Some(qself) = &path.qself {
                check_type(&qself.ty, crates)?;
            } else {
                check_path_root(&path.path, PRELUDE_TYPES, crates)?;
            }
            for segment in &path.path.segments {
                match &segment.arguments {
                    PathArguments::None => {}
                    PathArguments::AngleBracketed(arguments) => {
                        for argument in &arguments.args {
                            check_argument(argument, crates)?;
                        }
                    }
                    PathArguments::Parenthesized(_) => {
                        return Err("function-style arguments (`Fn(…)`) only appear in trait bounds".to_string())
                    }
                }
            }
            Ok(())
        }
        Type::Tuple(tuple) => tuple.elems.iter().try_for_each(|element| check_type(element, crates)),
        Type::Array(array) => check_type(&array.elem, crates),
        Type::Paren(inner) => check_type(&inner.elem, crates),
        Type::Group(inner) => check_type(&inner.elem, crates),
        Type::Reference(_) => {
            Err("a reference needs a lifetime the generated types do not have; use an owned type".into())
        }
        Type::ImplTrait(_) | Type::TraitObject(_) => Err("a trait is not a type a field can hold".into()),
        Type::Infer(_) => Err("`_` leaves the type to inference, which a field does not allow".into()),
        Type::Never(_) => Err("`!` has no values".into()),
        Type::Slice(_) => Err("a slice has no size; use `Vec<…>`".into()),
        Type::Ptr(_) | Type::BareFn(_) => Err("pointers cannot be serialized".into()),
        _ => Err("this kind of type is not supported".into()),
    }
}

fn check_argument(argument: &GenericArgument, crates: &mut Vec<String>) -> Result<(), String> {
    match argument {
        GenericArgument::Type(ty) => check_type(ty, crates),
        GenericArgument::Lifetime(lifetime) if lifetime.ident == "static" => Ok(()),
        GenericArgument::Lifetime(lifetime) => {
            Err(format!("the lifetime `'{}` is not declared by the generated types; only `'static` is", lifetime.ident))
        }
        GenericArgument::AssocType(assoc) => check_type(&assoc.ty, crates),
        _ => Ok(()),
    }
}

/// A path must start from a crate (`rust_decimal::Decimal`, `::uuid::Uuid`, `crate::…`) or be
/// one of the names in scope everywhere (`prelude`).
fn check_path_root(path: &syn::Path, prelude: &[&str], crates: &mut Vec<String>) -> Result<(), String> {
    let Some(first) = path.segments.first() else {
        return Err("the path is empty".into());
    };
    let first = first.ident.to_string();
    if path.leading_colon.is_none() && path.segments.len() == 1 {
        return if prelude.contains(&first.as_str()) {
            Ok(())
        } else {
            Err(format!(
                "`{first}` is not in scope in the generated crate; write its whole path from the crate that defines it, e.g. `my_crate::{first}`"
            ))
        };
    }
    match first.as_str() {
        "self" | "super" | "Self" => Err(
            "a path relative to a module means different things in different generated files; start it from a crate"
                .into(),
        ),
        "crate" => Ok(()),
        _ => {
            crates.push(first);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_owned_types_and_collects_their_crates() {
        let ty = RustType::new(" rust_decimal::Decimal ").unwrap();
        assert_eq!(
            (ty.as_str(), ty.crates(), ty.label().as_str()),
            ("rust_decimal::Decimal", &["rust_decimal".to_string()][..], "Decimal")
        );
        let ty = RustType::new("std::collections::HashMap<String, Vec<::uuid::Uuid>>").unwrap();
        assert_eq!(ty.crates(), ["std", "uuid"]);
        for ok in ["u64", "Vec<u8>", "(i32, String)", "[u8; 16]", "std::borrow::Cow<'static, str>", "crate::Binary"] {
            assert!(RustType::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_what_no_field_can_hold_with_a_reason() {
        for (bad, reason) in [
            ("Vec<", "is not a Rust type"),
            ("&str", "reference"),
            ("str", "no size"),
            ("Decimal", "not in scope"),
            ("Vec<Decimal>", "not in scope"),
            ("dyn std::fmt::Debug", "trait"),
            ("Box<dyn Fn(u8)>", "trait"),
            ("std::borrow::Cow<'a, str>", "lifetime `'a`"),
            ("_", "inference"),
            ("[u8]", "slice"),
            ("super::Thing", "relative"),
            ("fn(u8)", "pointers"),
        ] {
            let error = RustType::new(bad).unwrap_err();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }

    #[test]
    fn with_paths() {
        let with = WithPath::new(" rust_decimal :: serde::float ").unwrap();
        assert_eq!((with.as_str(), with.crates()), ("rust_decimal::serde::float", &["rust_decimal".to_string()][..]));
        assert_eq!(with.segments(), ["rust_decimal", "serde", "float"]);
        assert_eq!(WithPath::new("::chrono::serde::ts_seconds").unwrap().crates(), ["chrono"]);
        for (bad, reason) in [
            ("float", "not in scope"),
            ("a::b<T>", "generic"),
            ("a b", "not a module path"),
            ("super::float", "relative"),
            ("", "not a module path"),
        ] {
            let error = WithPath::new(bad).unwrap_err();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }

    #[test]
    fn derive_paths() {
        assert_eq!(DerivePath::new("Eq").unwrap().name(), "Eq");
        let derive = DerivePath::new("schemars::JsonSchema").unwrap();
        assert_eq!((derive.name(), derive.crates()), ("JsonSchema", &["schemars".to_string()][..]));
        assert!(DerivePath::new("JsonSchema").unwrap_err().contains("not in scope"));
        assert!(DerivePath::new("Foo<T>").unwrap_err().contains("generic"));
        assert!(DerivePath::new("a b").unwrap_err().contains("not a derive path"));
    }
}
