//! Parameter styles and percent-encoding (OpenAPI 3.0, "Style Values").

use serde_json::json;

use crate::params::{deep_object_pairs, encode, form_pairs, label_text, matrix_text, simple_text};

fn pairs(query: &[(String, String)]) -> Vec<(&str, &str)> {
    query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[test]
fn path_segments_are_percent_encoded() {
    assert_eq!(encode("a/b c?d#é~._-"), "a%2Fb%20c%3Fd%23%C3%A9~._-");
}

#[test]
fn form_style_explodes_arrays_and_objects() {
    let mut query = Vec::new();
    form_pairs("id", &json!([3, 4]), true, ",", &mut query);
    form_pairs("color", &json!({"R": 100, "G": 200}), false, ",", &mut query);
    form_pairs("f", &json!({"size": "L", "tags": ["a", "b"]}), true, ",", &mut query);
    form_pairs("none", &json!(null), true, ",", &mut query);
    assert_eq!(
        pairs(&query),
        [("id", "3"), ("id", "4"), ("color", "G,200,R,100"), ("size", "L"), ("tags", "a"), ("tags", "b")]
    );
}

#[test]
fn deep_objects_nest_in_brackets() {
    let mut query = Vec::new();
    deep_object_pairs("f".to_string(), &json!({"a": {"b": 1}, "tags": ["x", "y"], "gone": null}), &mut query);
    assert_eq!(pairs(&query), [("f[a][b]", "1"), ("f[tags][]", "x"), ("f[tags][]", "y")]);
}

#[test]
fn simple_label_and_matrix_styles() {
    let object = json!({"role": "admin", "first": "Alex"});
    assert_eq!(simple_text(&object, false, false), "first,Alex,role,admin");
    assert_eq!(simple_text(&object, true, false), "first=Alex,role=admin");
    assert_eq!(label_text(&json!([3, 4]), true), ".3.4");
    assert_eq!(matrix_text("id", &json!([3, 4]), false), ";id=3,4");
    assert_eq!(matrix_text("id", &json!("a b"), false), ";id=a%20b");
    assert_eq!(label_text(&json!([3, 4]), false), ".3,4");
    assert_eq!(label_text(&object, false), ".first,Alex,role,admin");
    assert_eq!(label_text(&object, true), ".first=Alex.role=admin");
    assert_eq!(matrix_text("id", &json!([3, 4]), true), ";id=3;id=4");
    assert_eq!(matrix_text("id", &object, false), ";id=first,Alex,role,admin");
    assert_eq!(matrix_text("id", &object, true), ";first=Alex;role=admin");
}
