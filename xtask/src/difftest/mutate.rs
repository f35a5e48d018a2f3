//! The inputs made from one value of a struct: the value itself and its mutations (a property
//! dropped, added, `null`, of the wrong kind or written twice; the whole value of another kind),
//! on the object and on the objects of its properties one level down. An input is JSON text:
//! a key written twice cannot be a `serde_json::Value`.

use generator::model::{Api, Field, Shape, Struct, TypeKind};
use serde_json::{json, Value};

/// One input of a struct type.
#[derive(Debug, Clone)]
pub struct Input {
    /// What was done to the value, for reports.
    pub what: String,
    pub value: Value,
    /// The object (by path) and the property in it whose key is written twice.
    pub duplicate: Option<(Vec<Step>, String)>,
    /// An array stands where an object is expected: serde's derive reads a struct from an
    /// array by position, which the generated `Deserialize` deliberately does not.
    pub array_for_object: bool,
}

/// A step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Input {
    pub fn plain(what: impl Into<String>, value: Value) -> Self {
        Input { what: what.into(), value, duplicate: None, array_for_object: false }
    }

    /// The input as JSON text on one line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let duplicate = self.duplicate.as_ref().map(|(path, key)| (path.as_slice(), key.as_str()));
        write_value(&mut out, &self.value, duplicate);
        out
    }
}

/// `value` as JSON, the key `duplicate` names (relative to `value`) written twice.
fn write_value(out: &mut String, value: &Value, duplicate: Option<(&[Step], &str)>) {
    let here = |step: Step| match duplicate {
        Some(([first, rest @ ..], key)) if *first == step => Some((rest, key)),
        _ => None,
    };
    match value {
        Value::Object(map) => {
            out.push('{');
            for (number, (key, item)) in map.iter().enumerate() {
                let twice = matches!(duplicate, Some(([], name)) if name == key);
                for copy in 0..if twice { 2 } else { 1 } {
                    if number > 0 || copy > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    write_value(out, item, here(Step::Key(key.clone())));
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(out, item, here(Step::Index(index)));
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// `base` (an object of `object`) and its mutations, with those of the objects its properties
/// hold one level down.
pub fn inputs(api: &Api, object: &Struct, base: &Value, what: &str) -> Vec<Input> {
    let mut inputs = vec![Input::plain(what, base.clone())];
    inputs.extend(object_mutations(object, base, what));
    inputs.extend(whole_value_mutations(object, base, what));
    let Value::Object(map) = base else { return inputs };
    for field in &object.fields {
        let Some(value) = map.get(&field.wire_name) else { continue };
        let Some((nested, path)) = nested_object(api, field, value) else { continue };
        let mut path_in_base = vec![Step::Key(field.wire_name.clone())];
        path_in_base.extend(path.iter().cloned());
        let nested_value = lookup(base, &path_in_base).cloned().unwrap_or(Value::Null);
        let label = format!("{what}, at {}", describe(&path_in_base));
        let mutations =
            object_mutations(nested, &nested_value, &label).chain(whole_value_mutations(nested, &nested_value, &label));
        for mutation in mutations {
            let mut value = base.clone();
            if let Some(slot) = lookup_mut(&mut value, &path_in_base) {
                *slot = mutation.value;
            }
            let duplicate = mutation.duplicate.map(|(inner, key)| {
                let mut full = path_in_base.clone();
                full.extend(inner);
                (full, key)
            });
            inputs.push(Input { what: mutation.what, value, duplicate, array_for_object: mutation.array_for_object });
        }
    }
    inputs
}

/// The struct a property's value holds, and where in the value (itself, its first item or its
/// first map value), when that holds an object.
fn nested_object<'a>(api: &'a Api, field: &Field, value: &Value) -> Option<(&'a Struct, Vec<Step>)> {
    let (shape, path) = match (&field.value.shape, value) {
        (Shape::Named(_), Value::Object(_)) => (&field.value.shape, Vec::new()),
        (Shape::Array { items, .. }, Value::Array(values)) if values.first().is_some_and(Value::is_object) => {
            (&items.shape, vec![Step::Index(0)])
        }
        (Shape::Map { values }, Value::Object(map)) => {
            let key = map.iter().find(|(_, value)| value.is_object())?.0;
            (&values.shape, vec![Step::Key(key.clone())])
        }
        _ => return None,
    };
    let Shape::Named(id) = shape else { return None };
    match &api.types.get(id.0)?.kind {
        TypeKind::Struct(object) => Some((object, path)),
        _ => None,
    }
}

/// The mutations of one object's properties.
fn object_mutations<'a>(object: &'a Struct, base: &'a Value, what: &'a str) -> impl Iterator<Item = Input> + 'a {
    let map = base.as_object().cloned().unwrap_or_default();
    let mut inputs = Vec::new();
    let with = |change: &dyn Fn(&mut serde_json::Map<String, Value>), label: String| {
        let mut changed = map.clone();
        change(&mut changed);
        Input::plain(format!("{what}: {label}"), Value::Object(changed))
    };
    for key in map.keys() {
        inputs.push(with(&|map| drop(map.remove(key)), format!("without `{key}`")));
        let mut twice = Input::plain(format!("{what}: `{key}` twice"), base.clone());
        twice.duplicate = Some((Vec::new(), key.clone()));
        inputs.push(twice);
    }
    inputs.push(with(&|map| drop(map.insert("zz_unknown".into(), json!(1))), "an unknown number property".into()));
    inputs.push(with(&|map| drop(map.insert("zz_text".into(), json!("x"))), "an unknown text property".into()));
    for field in &object.fields {
        let key = &field.wire_name;
        inputs.push(with(&|map| drop(map.insert(key.clone(), Value::Null)), format!("`{key}` null")));
        for wrong in wrong_kinds(&field.value.shape) {
            let label = format!("`{key}` as {wrong}");
            let mut input = with(&|map| drop(map.insert(key.clone(), wrong.clone())), label);
            input.array_for_object = wrong.is_array() && matches!(field.value.shape, Shape::Named(_));
            inputs.push(input);
        }
    }
    inputs.into_iter()
}

/// The whole value as something other than an object (an array: empty, and the properties'
/// values in the order of the fields).
fn whole_value_mutations<'a>(object: &Struct, base: &Value, what: &'a str) -> impl Iterator<Item = Input> + 'a {
    let positional: Vec<Value> =
        object.fields.iter().map(|field| base.get(&field.wire_name).cloned().unwrap_or(Value::Null)).collect();
    let others = [json!("text"), json!(7), json!(null), json!(true)];
    let arrays = [json!([]), Value::Array(positional)];
    let others = others.into_iter().map(move |value| Input::plain(format!("{what}: as {value}"), value));
    let arrays = arrays.into_iter().map(move |value| Input {
        array_for_object: true,
        ..Input::plain(format!("{what}: as the array {value}"), value)
    });
    others.chain(arrays)
}

/// Values of a kind a property of `shape` does not take.
fn wrong_kinds(shape: &Shape) -> Vec<Value> {
    match shape {
        Shape::String(_) | Shape::Date | Shape::DateTime | Shape::Binary => vec![json!(7)],
        Shape::Integer { .. } => vec![json!("7"), json!(1.5)],
        Shape::Number { .. } => vec![json!("7.5")],
        Shape::Boolean => vec![json!("true")],
        Shape::Any => Vec::new(),
        Shape::Array { .. } | Shape::Tuple(_) => vec![json!({"a": 1})],
        Shape::Map { .. } => vec![json!("text")],
        Shape::Named(_) => vec![json!(7), json!([])],
        Shape::Mapped(_) => vec![json!(false)],
    }
}

fn lookup<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get(key),
        Step::Index(index) => value.get(index),
    })
}

fn lookup_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key),
        Step::Index(index) => value.get_mut(index),
    })
}

fn describe(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => key.clone(),
            Step::Index(index) => index.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_is_written_twice_where_the_path_says() {
        let mut input = Input::plain("t", json!({"a": 1, "b": {"c": [{"d": true}]}}));
        input.duplicate = Some((vec![Step::Key("b".into()), Step::Key("c".into()), Step::Index(0)], "d".into()));
        assert_eq!(input.text(), r#"{"a":1,"b":{"c":[{"d":true,"d":true}]}}"#);
        input.duplicate = Some((Vec::new(), "a".into()));
        assert_eq!(input.text(), r#"{"a":1,"a":1,"b":{"c":[{"d":true}]}}"#);
    }

    #[test]
    fn mutations_reach_one_level_down() {
        let spec = concat!(
            "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n",
            "    Outer:\n      type: object\n      required: [inner]\n      properties:\n",
            "        inner: {$ref: '#/components/schemas/Inner'}\n",
            "    Inner:\n      type: object\n      properties:\n        n: {type: integer}\n",
        );
        let document = generator::load::parse(std::path::Path::new("t.yaml"), spec).expect("loads").document;
        let (api, _) = generator::model::lower_with_config(&document, Some("t"), &Default::default()).expect("lowers");
        let outer = api.types.iter().find(|def| def.name == "Outer").expect("Outer");
        let TypeKind::Struct(object) = &outer.kind else { panic!("a struct") };
        let inputs = inputs(&api, object, &json!({"inner": {"n": 1}}), "base");
        let texts: Vec<String> = inputs.iter().map(Input::text).collect();
        for expected in [
            r#"{"inner":{"n":1}}"#,
            r#"{"inner":{"n":1},"inner":{"n":1}}"#,
            r#"{"inner":{"n":1,"n":1}}"#,
            r#"{"inner":{"n":null}}"#,
            r#"{"inner":{"n":"7"}}"#,
            r#"{"inner":[]}"#,
            r#"{"inner":{}}"#,
            r#""text""#,
        ] {
            assert!(texts.iter().any(|text| text == expected), "{expected} is missing from {texts:#?}");
        }
        let arrays: Vec<&str> = inputs.iter().filter(|input| input.array_for_object).map(|i| i.what.as_str()).collect();
        assert!(arrays.iter().any(|what| what.contains("`inner` as []")), "{arrays:?}");
    }
}
