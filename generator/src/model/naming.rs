//! Rust names for spec names, decided once, during lowering.
//!
//! Every name goes through the same steps: characters that cannot appear in an identifier become
//! word breaks, heck converts the case, a name that would start with a digit gets a prefix, and
//! keywords are escaped. [`Namespace`] then makes names unique within their scope,
//! deterministically: the first name keeps its spelling, later ones get a number.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of Rust 2021, strict and reserved, in their lower-case form.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated modules use unqualified (the prelude, mostly); a schema with one of
/// these names gets a suffix instead of shadowing them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Default",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Unpin",
];

/// A PascalCase type name for a schema name or a path of words.
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = if name.is_empty() { "Type".to_string() } else { name };
    let name = prefix_digit(name, "Type");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// A PascalCase enum variant name for an enum value.
pub fn variant_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = if name.is_empty() { "Empty".to_string() } else { name };
    let name = prefix_digit(name, "V");
    if name == "Self" {
        "Self_".to_string()
    } else {
        name
    }
}

/// A snake_case name for a property, parameter, operation or credential.
pub fn snake_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    let name = if name.is_empty() { "value".to_string() } else { name };
    let name = prefix_digit(name, "n");
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Turns anything that cannot be part of an identifier into a word break, and spells out a name
/// made only of symbols (`+` becomes `plus`) so that it still means something.
fn words(raw: &str) -> String {
    let replaced: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    if !replaced.trim().is_empty() {
        return replaced;
    }
    raw.chars().filter_map(symbol_word).collect::<Vec<_>>().join(" ")
}

fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '.' => "dot",
        '=' => "equals",
        '<' => "less than",
        '>' => "greater than",
        '!' => "not",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '_' => "underscore",
        '~' => "tilde",
        _ => return None,
    })
}

fn prefix_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        if prefix.chars().all(|c| c.is_ascii_lowercase()) {
            format!("{prefix}_{name}")
        } else {
            format!("{prefix}{name}")
        }
    } else {
        name
    }
}

/// The names already taken in one scope (a module, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `names` are already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Namespace { taken: names.into_iter().map(str::to_string).collect() }
    }

    /// Claims `name`, or the first of `name2`, `name3`, … that is free. Snake-case names get an
    /// underscore before the number (`foo_bar_2`).
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("CraMonitoringInsightsGetRequest"), "CraMonitoringInsightsGetRequest");
        assert_eq!(type_name("APIClientID"), "ApiClientId");
        assert_eq!(type_name("foo.bar-baz"), "FooBarBaz");
        assert_eq!(type_name("3dSecure"), "Type3dSecure");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name(""), "Type");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("ACCOUNT_REVIEW_CREDIT"), "AccountReviewCredit");
        assert_eq!(variant_name("cash isa"), "CashIsa");
        assert_eq!(variant_name("401k"), "V401k");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("fooBar"), "foo_bar");
        assert_eq!(snake_name("craMonitoringInsightsGet"), "cra_monitoring_insights_get");
        assert_eq!(snake_name("30d"), "n_30d");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("Plaid-Version"), "plaid_version");
    }

    #[test]
    fn collisions_get_numbers_in_order() {
        let mut fields = Namespace::new();
        assert_eq!(fields.claim(snake_name("foo_bar")), "foo_bar");
        assert_eq!(fields.claim(snake_name("fooBar")), "foo_bar_2");
        assert_eq!(fields.claim(snake_name("FooBar")), "foo_bar_3");
        let mut types = Namespace::new();
        assert_eq!(types.claim(type_name("foo_bar")), "FooBar");
        assert_eq!(types.claim(type_name("fooBar")), "FooBar2");
    }
}
