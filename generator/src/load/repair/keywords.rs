//! Keywords of the wrong type (`minLength: "3"`, `nullable: "true"`): converted where the
//! meaning is plain, else dropped, each with a warning. Every object's rules use these.

use serde_yaml::{Mapping, Number, Value};

use super::{describe, Repairs};
use crate::load::escape_pointer_token;

impl Repairs {
    /// A boolean: the strings `"true"` and `"false"` are read as one; anything else is dropped.
    pub(super) fn boolean(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None | Some(Value::Bool(_)) => return,
            Some(Value::String(text)) if text == "true" || text == "false" => Some(text == "true"),
            Some(_) => None,
        };
        let at = format!("{pointer}/{}", escape_pointer_token(key));
        match fixed {
            Some(value) => {
                mapping.insert(Value::from(key), Value::Bool(value));
                self.warn(&at, format!("`{key}` must be a boolean; the string \"{value}\" was read as {value}"));
            }
            None => {
                let what = describe(&mapping[key]);
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a boolean, not {what}; it was dropped"));
            }
        }
    }

    /// A string: a number is read as its text (except a `pattern`, where that is rarely what was
    /// meant); anything else is dropped.
    pub(super) fn string(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        match mapping.get(key) {
            None | Some(Value::String(_)) => {}
            Some(Value::Number(number)) if key != "pattern" => {
                let text = number.to_string();
                mapping.insert(Value::from(key), Value::String(text));
                self.warn(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a string; the number was read as text"),
                );
            }
            Some(other) => {
                let what = describe(other);
                mapping.remove(key);
                self.warn(&format!("{pointer}/{key}"), format!("`{key}` must be a string, not {what}; it was dropped"));
            }
        }
    }

    /// A list of strings: other entries are dropped; a node that is not a list becomes empty.
    pub(super) fn strings(&mut self, node: &mut Value, pointer: &str) {
        match node {
            Value::Sequence(items) if items.iter().all(Value::is_string) => {}
            Value::Sequence(items) => {
                items.retain(Value::is_string);
                self.warn(pointer, "this list holds strings only; other entries were dropped");
            }
            other => {
                *other = Value::Sequence(Vec::new());
                self.warn(pointer, "this must be a list of strings; it was ignored");
            }
        }
    }

    /// A non-negative whole number (`minLength`, `maxItems`, …): a whole float or the text of a
    /// whole number is read as one; anything else is dropped.
    pub(super) fn count(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None => return,
            Some(Value::Number(number)) if number.is_u64() => return,
            Some(Value::Number(number)) => {
                number.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < u64::MAX as f64).map(|n| n as u64)
            }
            Some(Value::String(text)) => text.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        let at = format!("{pointer}/{key}");
        match fixed {
            Some(count) => {
                mapping.insert(Value::from(key), Value::Number(count.into()));
                self.warn(&at, format!("`{key}` must be a non-negative whole number; it was read as {count}"));
            }
            None => {
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a non-negative whole number; it was dropped"));
            }
        }
    }

    /// A number: the text of a finite number is read as one; anything else is dropped.
    pub(super) fn number(&mut self, mapping: &mut Mapping, pointer: &str, key: &str) {
        let fixed = match mapping.get(key) {
            None | Some(Value::Number(_)) => return,
            Some(Value::String(text)) => parse_number(text.trim()),
            Some(_) => None,
        };
        let at = format!("{pointer}/{key}");
        match fixed {
            Some(number) => {
                self.warn(&at, format!("`{key}` must be a number; the string was read as {number}"));
                mapping.insert(Value::from(key), Value::Number(number));
            }
            None => {
                mapping.remove(key);
                self.warn(&at, format!("`{key}` must be a number; it was dropped"));
            }
        }
    }
}

fn parse_number(text: &str) -> Option<Number> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(n.into());
    }
    if let Ok(n) = text.parse::<u64>() {
        return Some(n.into());
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite()).map(Number::from)
}
