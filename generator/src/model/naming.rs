//! Rust names for spec names, decided once, during lowering.
//!
//! Every name goes through the same steps: characters that cannot appear in an identifier become
//! word breaks, heck converts the case, a name that would start with a digit gets a prefix, and
//! keywords are escaped. [`Namespace`] then makes names unique within their scope,
//! deterministically: the first name keeps its spelling, later ones get a number. A scope starts
//! with the names the emitted code has there whatever the spec: [`CLIENT_METHODS`] and
//! [`CLIENT_BUILDER_NAMES`] are made of the lists each emitter declares next to the code that
//! writes them (`crate::emit::reserved`), and a test checks those against a generated crate.

use std::collections::HashSet;
use std::sync::LazyLock;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::emit::reserved;

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
    // The generic parameters of the emitted serde impls (`D: Deserializer`, `S: Serializer`, …).
    "A",
    "D",
    "E",
    "S",
    "T",
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

/// Names an operation's methods on `Client` must not take: every method `Client` has whatever
/// the spec (written by the emitters, added by the runtime's `settings.rs`, derived, or had by
/// every type), `new` (clippy asks a method called so to return `Self`), and the methods the
/// client once had (see `RETIRED_CLIENT_METHODS`).
pub static CLIENT_METHODS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    [
        reserved::CLIENT_METHODS,
        reserved::CLIENT_FROM_ENV,
        reserved::RUNTIME_CLIENT_METHODS,
        BLANKET_METHODS,
        &["new"],
        RETIRED_CLIENT_METHODS,
    ]
    .concat()
});

/// Methods the generated `Client` had before they moved to the runtime's `Transport`: an
/// operation called so keeps the numbered name it was generated with (`request_2`), so that
/// regenerating a crate does not rename its methods.
const RETIRED_CLIENT_METHODS: &[&str] = &["attempt", "report", "request", "send"];

/// Methods every type has through the standard library's blanket impls (`From`, `Into`,
/// `TryFrom`, `TryInto`, `Borrow`, `BorrowMut`, `Any`): a method of the same name would shadow
/// them.
const BLANKET_METHODS: &[&str] = &["borrow", "borrow_mut", "from", "into", "try_from", "try_into", "type_id"];

/// Names of the std operator-trait methods whose signature (`fn(self, T) -> Self`) a setter
/// shares: clippy asks for the trait instead (`should_implement_trait`), so a setter named after
/// a property called `div` carries an allow, and a credential setter avoids them.
pub const OPERATOR_METHODS: &[&str] = &["add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub"];

/// Methods of every generated struct builder besides its setters: a field (and so its setter)
/// must not take one of these names.
pub use crate::emit::reserved::BUILDER_METHODS;

/// Names a credential's setters (and the builder fields holding their values) must not take:
/// every field and method the generated `ClientBuilder` has whatever the spec (written by the
/// emitters, added by the runtime's `settings.rs`, derived, or had by every type), and the
/// operator methods clippy would ask to be trait impls.
pub static CLIENT_BUILDER_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    [reserved::BUILDER_MEMBERS, reserved::RUNTIME_BUILDER_METHODS, BLANKET_METHODS, OPERATOR_METHODS].concat()
});

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

/// A kebab-case name for the command line (a subcommand or a flag), e.g. `get-item` for
/// `getItem`; empty when `raw` has no letter or digit.
pub fn kebab_name(raw: &str) -> String {
    raw.to_kebab_case()
}

/// The prefix of the crate's environment variables when the spec gives none: the crate name in
/// upper snake case (`plaid-client` → `PLAID_CLIENT`).
pub fn env_prefix(crate_name: &str) -> String {
    crate_name.to_shouty_snake_case()
}

/// The environment variable of a value named `name` (a snake-case setter): `{PREFIX}_{NAME}`,
/// or `{NAME}` alone when it already starts with the prefix (`PLAID_CLIENT_ID` for `client_id`
/// and for `plaid_client_id` alike); a keyword's escape is dropped (`TYPE` for `type_`).
pub fn env_var_name(prefix: &str, name: &str) -> String {
    let name = name.trim_end_matches('_').to_shouty_snake_case();
    if name.starts_with(&format!("{prefix}_")) {
        name
    } else {
        format!("{prefix}_{name}")
    }
}

/// A name with `suffix` (`_source`, `_error`) appended, a keyword's escape dropped first
/// (`type_source`, not `type__source`).
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{}{suffix}", name.trim_end_matches('_'))
}

/// A name with `prefix` (`check_`, `expect_`) put before it, a keyword's escape dropped
/// (`check_type` for `type_`).
pub fn prefixed(prefix: &str, name: &str) -> String {
    format!("{prefix}{}", name.trim_end_matches('_'))
}

/// An upper-case constant name for a snake-case name (`CRA_MONITORING_INSIGHTS_GET`), a
/// keyword's escape dropped (`TYPE` for `type_`).
pub fn constant_name(name: &str) -> String {
    name.trim_end_matches('_').to_ascii_uppercase()
}

/// A cargo feature name for a tag or path segment: snake case, braces dropped, `root` when
/// nothing is left.
pub fn feature_name(text: &str) -> String {
    let name = text.trim_matches(|c| c == '{' || c == '}').to_snake_case();
    if name.is_empty() {
        "root".to_string()
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

/// Library names Cargo or Rust refuse besides keywords.
const RESERVED_LIBRARY_NAMES: &[&str] = &["test", "std", "core", "alloc", "proc_macro"];

/// Whether `name` can be a Cargo package name whose library name (`-` replaced by `_`) is a
/// usable Rust identifier; the reason when it cannot.
pub fn check_crate_name(name: &str) -> Result<(), &'static str> {
    let Some(first) = name.chars().next() else { return Err("it is empty") };
    if !first.is_ascii_alphabetic() {
        return Err("it does not start with an ASCII letter");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("it contains a character other than ASCII letters, digits, `-` and `_`");
    }
    let library = name.replace('-', "_");
    if KEYWORDS.contains(&library.as_str()) || library == "Self" || RESERVED_LIBRARY_NAMES.contains(&library.as_str()) {
        return Err("its library name is a Rust keyword or a name Cargo reserves");
    }
    Ok(())
}

/// A valid crate name derived from the spec's title: its ASCII words in kebab case (`Pet Store
/// API` → `pet-store-api`). A title that gives no word becomes `api-client`; one that starts
/// with a digit gets an `api-` prefix (`3scale API` → `api-3scale-api`); one whose library name
/// would be a keyword or reserved gets a `-client` suffix (`Self` → `self-client`).
pub fn crate_name_from_title(title: &str) -> String {
    use heck::ToKebabCase;
    let ascii: String = title.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let name = ascii.to_kebab_case();
    let name = if name.is_empty() {
        "api-client".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    };
    if check_crate_name(&name).is_ok() {
        name
    } else {
        format!("{name}-client")
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
        let separator = if name.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        self.claim_numbered(name, separator)
    }

    /// Claims `name`, or the first of `name{separator}2`, `name{separator}3`, … that is free (a
    /// keyword's escape dropped before the number): `-` for the command line's kebab case, `_`
    /// for upper-case environment variables.
    pub fn claim_numbered(&mut self, name: String, separator: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }

    /// Claims `name`, or `name` with `suffix` appended as many times as it takes to be free
    /// (`send`, `send_operation`).
    pub fn claim_appending(&mut self, name: String, suffix: &str) -> String {
        let mut name = name;
        while !self.taken.insert(name.clone()) {
            name.push_str(suffix);
        }
        name
    }

    /// Claims a group of names at once: the first base (`name`, then `name_2`, … as
    /// [`Namespace::claim_numbered`] numbers) for which `member(base, suffix)` is free for every
    /// suffix, e.g. a bearer token's setter and its source setter (`oauth`, `oauth_source`).
    /// Returns the base.
    pub fn claim_group(
        &mut self,
        name: &str,
        separator: &str,
        suffixes: &[&str],
        member: impl Fn(&str, &str) -> String,
    ) -> String {
        let trimmed = name.trim_end_matches('_');
        let base = std::iter::once(name.to_string())
            .chain((2..).map(|n| format!("{trimmed}{separator}{n}")))
            .find(|base| suffixes.iter().all(|suffix| !self.is_taken(&member(base, suffix))))
            .unwrap_or_else(|| name.to_string());
        for suffix in suffixes {
            self.taken.insert(member(&base, suffix));
        }
        base
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
    fn crate_names() {
        assert_eq!(crate_name_from_title("Pet Store API"), "pet-store-api");
        assert_eq!(crate_name_from_title("3scale API"), "api-3scale-api");
        assert_eq!(crate_name_from_title("api.example.com v2"), "api-example-com-v2");
        assert_eq!(crate_name_from_title("Données ouvertes"), "donn-es-ouvertes");
        assert_eq!(crate_name_from_title("日本"), "api-client");
        assert_eq!(crate_name_from_title(""), "api-client");
        assert_eq!(crate_name_from_title("Self"), "self-client");
        assert_eq!(crate_name_from_title("test"), "test-client");
        for title in ["Pet Store API", "3scale API", "", "crate", "{x}", "--", "Ünïcode ✓"] {
            assert_eq!(check_crate_name(&crate_name_from_title(title)), Ok(()), "{title}");
        }
        assert!(check_crate_name("3scale").is_err());
        assert!(check_crate_name("my.crate").is_err());
        assert!(check_crate_name("my crate").is_err());
        assert!(check_crate_name("").is_err());
        assert!(check_crate_name("self").is_err());
        assert!(check_crate_name("crate").is_err());
        assert!(check_crate_name("café").is_err());
        assert_eq!(check_crate_name("my-crate_2"), Ok(()));
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
