//! Validation errors name the field and the rule, never the value.

use crate::pattern::Pattern;
use crate::validation::{maximum, min_length, minimum, FieldPath, Problem, ValidationError};

#[test]
fn paths_render_fields_indexes_and_keys() {
    let root = FieldPath::root();
    let items = root.field("items");
    let second = items.index(2);
    let tags = second.field("tags");
    let key = tags.key("a b");
    assert_eq!(key.to_string(), "items[2].tags[\"a b\"]");
    assert_eq!(ValidationError::missing(&root).to_string(), "value: is required but was not set");
}

#[test]
fn number_bounds_name_the_bound_not_the_value() {
    let path = FieldPath::root();
    let amount = path.field("amount");
    let error = minimum(-12345.67, 0.0, false, &amount).expect_err("below the minimum");
    assert_eq!(error.to_string(), "amount: must be at least 0");
    assert!(!format!("{error:?}").contains("12345"));
    let error = maximum(10.0, 10.0, true, &amount).expect_err("not below an exclusive maximum");
    assert_eq!(*error.problem(), Problem::AboveMaximum { max: 10.0, exclusive: true });
    assert!(min_length("ab", 2, &amount).is_ok());
}

#[test]
fn patterns_compile_once_and_skip_what_regex_cannot_read() {
    static DIGITS: Pattern = Pattern::new("^[0-9]+$");
    static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a$");
    let path = FieldPath::root();
    assert!(DIGITS.check("123", &path).is_ok());
    let error = DIGITS.check("12a-secret", &path).expect_err("no match");
    assert!(!error.to_string().contains("secret"), "{error}");
    assert!(LOOKAHEAD.check("anything", &path).is_ok(), "not checked client-side");
}
