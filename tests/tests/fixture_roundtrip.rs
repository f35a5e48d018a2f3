//! Every construct the generator handles has a fixture (`tests/fixtures/<name>/`) whose generated crate compiles as a
//! workspace member. These tests decode realistic JSON into each fixture's types, re-encode it, and check that
//! nothing was lost or altered, plus what is particular to the construct: which variant a value lands in, which Rust
//! type a property has, which builder checks fail and where.

use serde_json::{json, Value};

/// A copy of `value` in which a float with an integral value (`1.0`) is written as the integer (`1`), so that a
/// `type: number` field, decoded as `f64` and re-encoded as `1.0`, compares equal to the `1` it was sent as. Integers
/// themselves are left alone, so a large `int64` that lost precision would still show.
fn normalise(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        other => other.clone(),
    }
}

/// Asserts that two JSON values are equal up to the way a number is written.
#[track_caller]
fn assert_same_json(actual: &Value, expected: &Value) {
    assert_eq!(normalise(actual), normalise(expected), "\nre-encoded: {actual}\n     input: {expected}",);
}

/// Decodes `$json` as `$ty`, re-encodes it with `serde_json::to_value`, asserts that the result equals the input (up
/// to how numbers are written), and evaluates to the decoded value.
macro_rules! round_trip {
    ($ty:ty, $json:expr) => {{
        let input: Value = $json;
        let decoded: $ty = serde_json::from_value(input.clone())
            .unwrap_or_else(|e| panic!("{} does not decode as {}: {e}", input, stringify!($ty)));
        let encoded = serde_json::to_value(&decoded).expect("a decoded value encodes");
        assert_same_json(&encoded, &input);
        decoded
    }};
}

/// Decodes `$json` as `$ty`, expecting a failure, and evaluates to the error message.
macro_rules! decode_error {
    ($ty:ty, $json:expr) => {{
        let input: Value = $json;
        match serde_json::from_value::<$ty>(input.clone()) {
            Ok(decoded) => panic!("{input} decoded as {decoded:?}, expected an error"),
            Err(error) => error.to_string(),
        }
    }};
}

#[test]
fn the_normaliser_equates_integral_floats_only() {
    assert_eq!(normalise(&json!({"a": [1.0, 2.5]})), normalise(&json!({"a": [1, 2.5]})));
    assert_ne!(normalise(&json!(1.5)), normalise(&json!(1)));
    assert_ne!(normalise(&json!(9_007_199_254_740_993_i64)), normalise(&json!(9_007_199_254_740_992_i64)));
    assert_ne!(normalise(&json!("1")), normalise(&json!(1)));
}

mod objects {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use fixture_objects::types::{NullableOwner, Owner, Thing, ThingRequest};

    fn thing() -> Value {
        json!({
            "id": "thing_8f2b",
            "count": -42,
            "big": 9_007_199_254_740_993_i64,
            "plain_integer": 7,
            "ratio": 0.25,
            "precise": 1234.5678,
            "plain_number": 2,
            "active": true,
            "created": "2024-05-17T08:30:00Z",
            "day": "2024-05-17",
            "maybe_text": "hello",
            "optional_text": "present",
            "anything": {"nested": [1, "two", null, {"three": 3.5}], "flag": false},
            "owner": {"name": "Ann"},
            "nullable_owner": {"name": "Bob"}
        })
    }

    #[test]
    fn every_field_round_trips_with_its_rust_type() {
        let thing = round_trip!(Thing, thing());
        assert_eq!(thing.id, "thing_8f2b");
        let count: i32 = thing.count;
        assert_eq!(count, -42);
        let big: i64 = thing.big;
        assert_eq!(big, 9_007_199_254_740_993, "an int64 beyond 2^53 keeps every digit");
        assert_eq!(thing.plain_integer, Some(7_i64));
        let ratio: f32 = thing.ratio;
        assert_eq!(ratio, 0.25);
        let precise: f64 = thing.precise;
        assert_eq!(precise, 1234.5678);
        assert_eq!(thing.plain_number, Some(2.0_f64));
        assert!(thing.active);
        let created: chrono::DateTime<Utc> = thing.created;
        assert_eq!(created, Utc.with_ymd_and_hms(2024, 5, 17, 8, 30, 0).unwrap());
        let day: NaiveDate = thing.day;
        assert_eq!(day, NaiveDate::from_ymd_opt(2024, 5, 17).unwrap());
        assert_eq!(thing.maybe_text.as_deref(), Some("hello"));
        assert_eq!(thing.optional_text.as_deref(), Some("present"));
        assert_eq!(thing.owner, Some(Owner { name: "Ann".into() }));
        assert_eq!(thing.nullable_owner, fixture_objects::Nullable::Value(NullableOwner { name: Some("Bob".into()) }));
    }

    #[test]
    fn absent_optional_fields_stay_absent() {
        let mut input = thing();
        let map = input.as_object_mut().unwrap();
        for key in ["plain_integer", "plain_number", "optional_text", "anything", "owner", "nullable_owner"] {
            map.remove(key);
        }
        let thing = round_trip!(Thing, input);
        assert_eq!(thing.plain_integer, None);
        assert_eq!(thing.optional_text, None);
        assert_eq!(thing.anything, None);
        assert_eq!(thing.owner, None);
    }

    #[test]
    fn null_for_a_required_nullable_field_is_kept() {
        let mut input = thing();
        input["maybe_text"] = Value::Null;
        let thing = round_trip!(Thing, input);
        assert_eq!(thing.maybe_text, None);
        let encoded = serde_json::to_value(&thing).unwrap();
        assert_eq!(encoded.get("maybe_text"), Some(&Value::Null), "the null is sent back, not dropped");
    }

    #[test]
    fn anything_holds_any_json() {
        for anything in [
            json!("text"),
            json!(12),
            json!(-0.5),
            json!(true),
            json!([1, "a", [2], {"b": null}]),
            json!({"deep": {"deeper": {"deepest": [null, false]}}}),
            json!({}),
            json!([]),
        ] {
            let mut input = thing();
            input["anything"] = anything.clone();
            let thing = round_trip!(Thing, input);
            assert_eq!(thing.anything, Some(anything));
        }
    }

    #[test]
    fn explicit_null_in_optional_fields_survives_a_round_trip() {
        let mut input = thing();
        input["anything"] = Value::Null;
        input["nullable_owner"] = Value::Null;
        round_trip!(Thing, input);
    }

    #[test]
    fn a_date_time_with_an_offset_is_read_as_the_same_instant_in_utc() {
        let mut input = thing();
        input["created"] = json!("2024-05-17T10:30:00+02:00");
        let thing: Thing = serde_json::from_value(input).unwrap();
        assert_eq!(thing.created, Utc.with_ymd_and_hms(2024, 5, 17, 8, 30, 0).unwrap());
        assert_eq!(serde_json::to_value(&thing).unwrap()["created"], "2024-05-17T08:30:00Z");
    }

    #[test]
    fn a_missing_required_field_fails() {
        for key in ["id", "count", "big", "ratio", "precise", "active", "created", "day"] {
            let mut input = thing();
            input.as_object_mut().unwrap().remove(key);
            let error = decode_error!(Thing, input);
            assert!(error.contains(key), "the error for a missing `{key}` names it: {error}");
        }
    }

    #[test]
    fn values_of_the_wrong_shape_fail() {
        for (key, bad) in [
            ("count", json!(3_000_000_000_i64)),
            ("count", json!("12")),
            ("created", json!("yesterday")),
            ("day", json!("2024-02-30")),
            ("active", json!("true")),
        ] {
            let mut input = thing();
            input[key] = bad;
            decode_error!(Thing, input);
        }
    }

    #[test]
    fn the_request_type_round_trips_and_builds() {
        let request = round_trip!(ThingRequest, json!({"id": "thing_8f2b", "as_of": "2023-12-31"}));
        assert_eq!(request.as_of, NaiveDate::from_ymd_opt(2023, 12, 31));
        let built = ThingRequest::builder()
            .id("thing_8f2b")
            .as_of(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap())
            .build()
            .expect("a complete request builds");
        assert_eq!(built, request);
        let error = ThingRequest::builder().build().expect_err("`id` is required");
        assert_eq!(error.path(), "id");
    }
}

mod enums {
    use super::*;
    use fixture_enums::types::{Color, MaybeColor, Palette, PaletteShade, PlanKind};
    use fixture_enums::Nullable;

    #[test]
    fn known_values_land_in_their_variants() {
        let palette = round_trip!(
            Palette,
            json!({"primary": "DARK_BLUE", "secondary": "magenta", "plan": "roth 401k", "shade": "dark"})
        );
        assert_eq!(palette.primary, Color::DarkBlue);
        assert_eq!(palette.secondary, Nullable::Value(MaybeColor::Magenta));
        assert_eq!(palette.plan, Some(PlanKind::Roth401k));
        assert_eq!(palette.shade, Some(PaletteShade::Dark));
        assert_eq!(palette.primary.to_string(), "DARK_BLUE");
    }

    #[test]
    fn unknown_values_land_in_the_catch_all_and_are_sent_back_unchanged() {
        let palette = round_trip!(
            Palette,
            json!({"primary": "ULTRAVIOLET", "secondary": "teal", "plan": "403b", "shade": "medium"})
        );
        assert_eq!(palette.primary, Color::Unknown("ULTRAVIOLET".into()));
        assert_eq!(palette.secondary, Nullable::Value(MaybeColor::Unknown("teal".into())));
        assert_eq!(palette.plan, Some(PlanKind::Unknown2("403b".into())));
        assert_eq!(palette.shade, Some(PaletteShade::Unknown("medium".into())));
        assert_eq!(palette.primary.as_str(), "ULTRAVIOLET");
        // Values differing only in case are not the listed ones.
        assert_eq!(round_trip!(Color, json!("red")), Color::Unknown("red".into()));
    }

    #[test]
    fn a_nullable_enum_accepts_null() {
        let palette: Palette = serde_json::from_value(json!({"primary": "RED", "secondary": null})).unwrap();
        assert_eq!(palette.primary, Color::Red);
        assert_eq!(palette.secondary, Nullable::Null, "an explicit null, told apart from an absent value");
        let secondary: Option<MaybeColor> = serde_json::from_value(Value::Null).unwrap();
        assert_eq!(secondary, None);
    }

    #[test]
    fn awkward_values_have_usable_variant_names() {
        for (wire, variant) in [
            ("401k", PlanKind::V401k),
            ("roth 401k", PlanKind::Roth401k),
            ("529", PlanKind::V529),
            ("+", PlanKind::Plus),
            ("-", PlanKind::Minus),
            ("self", PlanKind::Self_),
            ("type", PlanKind::Type),
            ("unknown", PlanKind::Unknown),
        ] {
            assert_eq!(round_trip!(PlanKind, json!(wire)), variant, "{wire}");
            assert_eq!(variant.as_str(), wire);
            assert_eq!(serde_json::to_value(&variant).unwrap(), json!(wire));
        }
        assert_eq!(round_trip!(PlanKind, json!("roth ira")), PlanKind::Unknown2("roth ira".into()));
    }

    #[test]
    fn the_missing_required_enum_fails() {
        let error = decode_error!(Palette, json!({"secondary": "cyan"}));
        assert!(error.contains("primary"), "{error}");
    }

    #[test]
    fn builders_reject_unlisted_values() {
        let error = Palette::builder().primary(Color::Unknown("PINK".into())).build().expect_err("PINK is not listed");
        assert_eq!(error.path(), "primary");
        let error = Palette::builder()
            .primary(Color::Green)
            .plan(PlanKind::Unknown2("403b".into()))
            .build()
            .expect_err("403b is not listed");
        assert_eq!(error.path(), "plan");
        let palette = Palette::builder().primary(Color::Green).plan(PlanKind::Unknown).build().expect("valid");
        assert_eq!(serde_json::to_value(&palette).unwrap(), json!({"primary": "GREEN", "plan": "unknown"}));
    }
}

mod all_of {
    use super::*;
    use fixture_all_of::types::{Animal, Dog, Trainer};

    fn dog() -> Value {
        json!({
            "name": "Rex",
            "age": 4,
            "breed": "collie",
            "trainer": {"certified": true},
            "coach": {"certified": false},
            "nickname": "Rexy"
        })
    }

    #[test]
    fn the_merged_type_has_the_fields_of_every_member() {
        let dog = round_trip!(Dog, dog());
        assert_eq!(dog.name, "Rex");
        assert_eq!(dog.age, Some(4));
        assert_eq!(dog.breed, "collie");
        let trainer: Option<Trainer> = dog.trainer;
        assert_eq!(trainer, Some(Trainer { certified: Some(true) }));
        let coach: fixture_all_of::Nullable<Trainer> = dog.coach;
        assert_eq!(coach, fixture_all_of::Nullable::Value(Trainer { certified: Some(false) }));
        let nickname: Option<String> = dog.nickname;
        assert_eq!(nickname.as_deref(), Some("Rexy"));
    }

    #[test]
    fn only_the_required_fields_of_both_members_are_needed() {
        let dog = round_trip!(Dog, json!({"name": "Rex", "breed": "collie"}));
        assert_eq!((dog.age, dog.trainer, dog.nickname), (None, None, None));
        assert!(dog.coach.is_absent());
        let error = decode_error!(Dog, json!({"name": "Rex"}));
        assert!(error.contains("breed"), "{error}");
        let error = decode_error!(Dog, json!({"breed": "collie"}));
        assert!(error.contains("name"), "{error}");
    }

    #[test]
    fn a_dog_is_also_readable_as_its_base_animal() {
        let animal: Animal = serde_json::from_value(dog()).unwrap();
        assert_eq!(animal, Animal { name: "Rex".into(), age: Some(4) });
        round_trip!(Animal, json!({"name": "Tom", "age": 2}));
    }

    #[test]
    fn scalar_members_merge_into_one_constrained_value() {
        use fixture_all_of::types::{Kennel, KennelResident, KennelResidentBird, KennelResidentCat};
        let kennel = round_trip!(
            Kennel,
            json!({"id": "k-1", "code": "AB", "capacity": 8, "image": "x.png",
                   "resident": {"kind": "cat", "lives": 9, "since": "2020"}})
        );
        let id: Option<String> = kennel.id.clone();
        assert_eq!(id.as_deref(), Some("k-1"));
        let code: String = kennel.code.clone();
        assert_eq!(code, "AB");
        let capacity: Option<i64> = kennel.capacity;
        assert_eq!(capacity, Some(8));
        // The union keeps its discriminator; every variant also has the common `since`.
        assert_eq!(
            kennel.resident,
            Some(KennelResident::Cat(KennelResidentCat {
                kind: "cat".into(),
                lives: Some(9),
                since: Some("2020".into())
            }))
        );
        let bird = round_trip!(Kennel, json!({"code": "B", "resident": {"kind": "bird", "wingspan": 0.5}}));
        assert!(matches!(bird.resident, Some(KennelResident::Bird(KennelResidentBird { since: None, .. }))));
        // The constraints of every member are checked before sending.
        let too_long = Kennel::builder().code("ABCDEF").build().unwrap_err().to_string();
        assert!(too_long.contains("code"), "{too_long}");
        let too_big = Kennel::builder().code("A").capacity(51).build().unwrap_err().to_string();
        assert!(too_big.contains("capacity"), "{too_big}");
        assert!(Kennel::builder().code("A").capacity(50).build().is_ok());
    }
}

mod collections {
    use super::*;
    use fixture_collections::types::{Closed, Inventory, Labels};
    use std::collections::BTreeMap;

    fn inventory() -> Value {
        json!({
            "tags": ["fruit", "organic"],
            "nested": [[1, 2, 3], [], [-4]],
            "nullable_items": ["a", null, "c"],
            "counts": {"apples": 12, "pears": 0, "plums": -3},
            "free_form": {"color": "red", "sizes": [1, 2], "meta": {"ok": true}, "none": null},
            "labels": {"main": "produce", "aisle": "7", "zone": "north"},
            "closed": {"only": "this"},
            "warehouse": "east",
            "audit": {"by": "bob", "at": [2024, 5]}
        })
    }

    #[test]
    fn arrays_maps_and_extra_properties_round_trip() {
        let inventory = round_trip!(Inventory, inventory());
        assert_eq!(inventory.tags, ["fruit", "organic"]);
        assert_eq!(inventory.nested, Some(vec![vec![1, 2, 3], vec![], vec![-4]]));
        assert_eq!(inventory.nullable_items, Some(vec![Some("a".to_string()), None, Some("c".to_string())]));
        let counts: &BTreeMap<String, i64> = &inventory.counts;
        assert_eq!(counts.get("apples"), Some(&12));
        assert_eq!(counts.get("plums"), Some(&-3));
        let free_form = inventory.free_form.as_ref().expect("free_form decoded");
        assert_eq!(free_form.get("meta"), Some(&json!({"ok": true})));
        assert_eq!(free_form.get("none"), Some(&Value::Null));
        let labels = inventory.labels.as_ref().expect("labels decoded");
        assert_eq!(labels.main.as_deref(), Some("produce"));
        let extra: &BTreeMap<String, String> = &labels.extra;
        assert_eq!(extra, &BTreeMap::from([("aisle".to_string(), "7".to_string()), ("zone".into(), "north".into())]));
        assert_eq!(inventory.closed, Some(Closed { only: Some("this".into()) }));
        assert_eq!(inventory.extra.len(), 2, "only undeclared properties land in extra: {:?}", inventory.extra);
        assert_eq!(inventory.extra.get("warehouse"), Some(&json!("east")));
        assert_eq!(inventory.extra.get("audit"), Some(&json!({"by": "bob", "at": [2024, 5]})));
    }

    #[test]
    fn empty_collections_round_trip() {
        let inventory = round_trip!(Inventory, json!({"tags": [], "counts": {}}));
        assert!(inventory.tags.is_empty() && inventory.counts.is_empty() && inventory.extra.is_empty());
        round_trip!(Labels, json!({}));
    }

    #[test]
    fn maps_hold_integers_only() {
        decode_error!(Inventory, json!({"tags": [], "counts": {"apples": "many"}}));
        decode_error!(Inventory, json!({"tags": [], "counts": {"apples": 1.5}}));
        decode_error!(Inventory, json!({"tags": [1], "counts": {}}));
    }

    #[test]
    fn typed_extra_properties_of_labels() {
        let labels = round_trip!(Labels, json!({"env": "prod", "team": "core"}));
        assert_eq!(labels.main, None);
        assert_eq!(labels.extra.len(), 2);
        assert_eq!(labels.extra["env"], "prod");
        let built = Labels { main: Some("x".into()), extra: BTreeMap::from([("k".to_string(), "v".to_string())]) };
        assert_eq!(serde_json::to_value(&built).unwrap(), json!({"main": "x", "k": "v"}));
    }

    #[test]
    fn closed_objects_ignore_unknown_properties() {
        let closed: Closed = serde_json::from_value(json!({"only": "kept", "surprise": 1})).expect("lenient decode");
        assert_eq!(closed, Closed { only: Some("kept".into()) });
        assert_eq!(serde_json::to_value(&closed).unwrap(), json!({"only": "kept"}));
        let mut input = inventory();
        input["closed"]["surprise"] = json!([1, 2]);
        let inventory: Inventory = serde_json::from_value(input).unwrap();
        assert_eq!(inventory.closed, Some(Closed { only: Some("this".into()) }));
        assert!(!inventory.extra.contains_key("surprise"));
    }

    #[test]
    fn missing_required_collections_fail() {
        let error = decode_error!(Inventory, json!({"counts": {}}));
        assert!(error.contains("tags"), "{error}");
        let error = decode_error!(Inventory, json!({"tags": []}));
        assert!(error.contains("counts"), "{error}");
    }
}

mod recursion {
    use super::*;
    use fixture_recursion::types::{Link, Node};

    /// A chain of `depth` nodes, each the `parent` of the one before.
    fn chain(depth: usize) -> Value {
        let mut node = json!({"value": format!("n{depth}")});
        for level in (1..depth).rev() {
            node = json!({"value": format!("n{level}"), "parent": node});
        }
        node
    }

    #[test]
    fn deep_nesting_through_a_box() {
        let node = round_trip!(Node, chain(60));
        let parent: Option<Box<Node>> = node.parent.clone();
        assert_eq!(parent.map(|parent| parent.value), Some("n2".to_string()));
        let mut depth = 1;
        let mut current = &node;
        while let Some(parent) = current.parent.as_deref() {
            current = parent;
            depth += 1;
        }
        assert_eq!(depth, 60);
        assert_eq!(current.value, "n60");
        // Straight from text too, within serde_json's recursion limit.
        let text = chain(60).to_string();
        let decoded: Node = serde_json::from_str(&text).expect("deep text decodes");
        assert_eq!(decoded, node);
    }

    #[test]
    fn trees_and_mutual_recursion() {
        let node = round_trip!(
            Node,
            json!({
                "value": "root",
                "children": [
                    {"value": "a", "children": [{"value": "a1"}, {"value": "a2", "children": []}]},
                    {"value": "b", "link": {"target": {"value": "b-target", "link": {"target": {"value": "end"}}}}}
                ],
                "link": {"target": {"value": "elsewhere", "parent": {"value": "up"}}}
            })
        );
        let children = node.children.as_ref().unwrap();
        assert_eq!(children[0].children.as_ref().unwrap()[1].value, "a2");
        let link: &Link = node.link.as_deref().unwrap();
        let target: &Node = &link.target;
        assert_eq!(target.value, "elsewhere");
        assert_eq!(target.parent.as_ref().unwrap().value, "up");
        let inner = children[1].link.as_ref().unwrap().target.link.as_ref().unwrap();
        assert_eq!(inner.target.value, "end");
        let error = decode_error!(Link, json!({"target": {"children": []}}));
        assert!(error.contains("value"), "{error}");
    }

    #[test]
    fn recursive_values_can_be_built_by_hand() {
        let leaf = Node { value: "leaf".into(), parent: None, children: None, link: None };
        let node = Node {
            value: "top".into(),
            parent: Some(Box::new(leaf.clone())),
            children: Some(vec![leaf.clone()]),
            link: Some(Box::new(Link { target: Box::new(leaf) })),
        };
        let encoded = serde_json::to_value(&node).unwrap();
        assert_eq!(
            encoded,
            json!({"value": "top", "parent": {"value": "leaf"}, "children": [{"value": "leaf"}],
                   "link": {"target": {"value": "leaf"}}})
        );
        assert_eq!(serde_json::from_value::<Node>(encoded).unwrap(), node);
    }
}

mod constraints {
    use super::*;
    use fixture_constraints::types::{Address, NewUser, NewUserBuilder};
    use fixture_constraints::validation::Problem;
    use fixture_constraints::{Validate, ValidationError};

    fn valid() -> NewUserBuilder {
        NewUser::builder()
            .handle("ann_1")
            .age(30)
            .score(0.5)
            .tags(vec!["a".to_string(), "b".to_string()])
            .address(Address { zip: "12345".into() })
    }

    #[track_caller]
    fn expect_error(builder: NewUserBuilder, path: &str) -> ValidationError {
        let error = builder.build().expect_err("the value breaks a constraint");
        assert_eq!(error.path(), path, "{error}");
        error
    }

    #[test]
    fn a_valid_value_builds_and_round_trips() {
        let user = valid().build().expect("the value follows every constraint");
        let encoded = serde_json::to_value(&user).unwrap();
        assert_eq!(
            encoded,
            json!({"handle": "ann_1", "age": 30, "score": 0.5, "tags": ["a", "b"], "address": {"zip": "12345"}})
        );
        assert_eq!(round_trip!(NewUser, encoded), user);
        // The boundaries themselves are allowed (score's minimum is exclusive, its maximum is not).
        let edge = NewUser::builder()
            .handle("abc")
            .age(13)
            .score(1.0)
            .tags(vec!["12345678".to_string(); 3])
            .build()
            .expect("boundary values are valid");
        assert_eq!(edge.age, 13);
        NewUser::builder().handle("a23456789012").age(130).score(0.000_1).build().expect("upper boundaries");
        NewUser::builder().handle("bob").age(20).build().expect("only the required fields");
    }

    #[test]
    fn string_lengths_and_pattern() {
        let error = expect_error(valid().handle("ab"), "handle");
        assert_eq!(error.problem(), &Problem::TooShort { min: 3, actual: 2 });
        let error = expect_error(valid().handle("abcdefghijklm"), "handle");
        assert_eq!(error.problem(), &Problem::TooLong { max: 12, actual: 13 });
        for bad in ["Ann_1", "1ann", "ann-1", "ann 1", "_ann"] {
            let error = expect_error(valid().handle(bad), "handle");
            assert!(matches!(error.problem(), Problem::PatternMismatch { .. }), "{bad}: {error}");
        }
        assert!(expect_error(valid().handle("Bad"), "handle").to_string().contains("handle"));
    }

    #[test]
    fn number_bounds() {
        let error = expect_error(valid().age(12), "age");
        assert!(matches!(error.problem(), Problem::BelowMinimum { exclusive: false, .. }), "{error}");
        let error = expect_error(valid().age(131), "age");
        assert!(matches!(error.problem(), Problem::AboveMaximum { exclusive: false, .. }), "{error}");
        let error = expect_error(valid().score(0.0), "score");
        assert!(matches!(error.problem(), Problem::BelowMinimum { exclusive: true, .. }), "{error}");
        expect_error(valid().score(-0.5), "score");
        let error = expect_error(valid().score(1.01), "score");
        assert!(matches!(error.problem(), Problem::AboveMaximum { .. }), "{error}");
    }

    #[test]
    fn array_sizes_and_items() {
        let error = expect_error(valid().tags(Vec::<String>::new()), "tags");
        assert_eq!(error.problem(), &Problem::TooFewItems { min: 1, actual: 0 });
        let error = expect_error(valid().tags(vec!["t".to_string(); 4]), "tags");
        assert_eq!(error.problem(), &Problem::TooManyItems { max: 3, actual: 4 });
        let error = expect_error(valid().tags(vec!["ok".to_string(), "too_long_tag".to_string()]), "tags[1]");
        assert_eq!(error.problem(), &Problem::TooLong { max: 8, actual: 12 });
    }

    #[test]
    fn nested_objects_name_the_full_path() {
        let error = expect_error(valid().address(Address { zip: "1234".into() }), "address.zip");
        assert_eq!(error.problem(), &Problem::TooShort { min: 5, actual: 4 });
        expect_error(valid().address(Address { zip: "123456".into() }), "address.zip");
        let error = Address::builder().zip("12").build().expect_err("too short");
        assert_eq!(error.path(), "zip");
        Address::builder().zip("54321").build().expect("valid");
    }

    #[test]
    fn missing_required_fields() {
        let error = expect_error(NewUser::builder().age(20), "handle");
        assert_eq!(error.problem(), &Problem::Missing);
        expect_error(NewUser::builder().handle("bob"), "age");
    }

    #[test]
    fn decoded_values_are_checked_by_validate() {
        let user: NewUser =
            serde_json::from_value(json!({"handle": "ok_name", "age": 40, "tags": ["fine", "much_too_long"]})).unwrap();
        let error = user.validate().expect_err("a decoded value can still break the rules");
        assert_eq!(error.path(), "tags[1]");
        let user = round_trip!(NewUser, json!({"handle": "ok_name", "age": 40, "score": 1}));
        user.validate().expect("valid");
    }
}

#[allow(deprecated)]
mod names {
    use super::*;
    use fixture_names::types::{StringType, Type};
    use fixture_names::Secret;

    fn widget_json() -> Value {
        json!({
            "type": "widget",
            "ref": "#/a/b",
            "self": "https://example.test/widgets/1",
            "foo_bar": "snake",
            "fooBar": "camel",
            "2fa": true,
            "old": "legacy",
            "password": "hunter2"
        })
    }

    #[test]
    fn keyword_and_clashing_names_map_to_their_wire_names() {
        let widget = round_trip!(Type, widget_json());
        assert_eq!(widget.type_.as_deref(), Some("widget"));
        assert_eq!(widget.ref_.as_deref(), Some("#/a/b"));
        assert_eq!(widget.self_.as_deref(), Some("https://example.test/widgets/1"));
        assert_eq!(widget.foo_bar.as_deref(), Some("snake"));
        assert_eq!(widget.foo_bar_2.as_deref(), Some("camel"));
        assert_eq!(widget.n_2fa, Some(true));
        assert_eq!(widget.old.as_deref(), Some("legacy"));
        let built = Type::builder()
            .type_("widget")
            .ref_("#/a/b")
            .self_("https://example.test/widgets/1")
            .foo_bar("snake")
            .foo_bar_2("camel")
            .n_2fa(true)
            .old("legacy")
            .password("hunter2")
            .build()
            .expect("no constraints to break");
        assert_eq!(built, widget);
        assert_same_json(&serde_json::to_value(&built).unwrap(), &widget_json());
    }

    #[test]
    fn a_schema_named_string_does_not_shadow_the_prelude() {
        let value = round_trip!(StringType, json!({"value": "text"}));
        assert_eq!(value, StringType { value: Some(String::from("text")) });
        round_trip!(StringType, json!({}));
    }

    #[test]
    fn passwords_are_secrets() {
        let widget = round_trip!(Type, widget_json());
        let password: &Secret = widget.password.as_ref().expect("password decoded");
        assert_eq!(password.expose(), "hunter2");
        assert_eq!(format!("{password:?}"), "[redacted]");
        assert_eq!(format!("{password}"), "[redacted]");
        for text in [format!("{widget:?}"), format!("{widget:#?}")] {
            assert!(!text.contains("hunter2"), "the password leaks through Debug: {text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
        assert_eq!(serde_json::to_value(&widget).unwrap()["password"], "hunter2", "the real value is sent");
        assert_eq!(serde_json::to_value(Secret::new("s3")).unwrap(), json!("s3"));
    }
}

mod one_of {
    use super::*;
    use fixture_one_of::types::{Adoption, Cat, Circle, Dog, Expr, ExprLiteral, Pet, Shape, Square, Sum, TagId};
    use fixture_one_of::validation::Problem;

    #[test]
    fn the_discriminator_chooses_the_variant() {
        let adoption = round_trip!(Adoption, json!({"pet": {"petType": "dog", "bark": "woof"}}));
        assert_eq!(adoption.pet, Pet::Dog(Dog { pet_type: "dog".into(), bark: "woof".into() }));
        let pet = round_trip!(Pet, json!({"petType": "cat", "lives": 7}));
        assert_eq!(pet, Pet::Cat(Cat { pet_type: "cat".into(), lives: 7 }));
    }

    #[test]
    fn a_mapping_alias_chooses_its_schema() {
        let pet = round_trip!(Pet, json!({"petType": "puppy", "bark": "yip"}));
        assert_eq!(pet, Pet::Dog(Dog { pet_type: "puppy".into(), bark: "yip".into() }));
    }

    #[test]
    fn an_unknown_or_missing_tag_is_kept_as_json() {
        let parrot = json!({"petType": "parrot", "words": ["hello", "cracker"], "age": 3});
        assert_eq!(round_trip!(Pet, parrot.clone()), Pet::Unknown(parrot));
        let untagged = json!({"bark": "woof"});
        assert_eq!(round_trip!(Pet, untagged.clone()), Pet::Unknown(untagged));
        let adoption = round_trip!(Adoption, json!({"pet": {"petType": "fish", "fins": 2}}));
        assert!(matches!(adoption.pet, Pet::Unknown(_)));
    }

    #[test]
    fn a_known_tag_with_a_bad_body_fails() {
        decode_error!(Pet, json!({"petType": "dog"}));
        decode_error!(Pet, json!({"petType": "cat", "lives": "nine"}));
        decode_error!(Adoption, json!({"shape": {"radius": 1}}));
    }

    #[test]
    fn shapes_are_chosen_by_their_distinguishing_property() {
        let shape = round_trip!(Shape, json!({"radius": 2.5}));
        assert_eq!(shape, Shape::Circle(Circle { radius: 2.5 }));
        let shape = round_trip!(Shape, json!({"side": 3}));
        assert_eq!(shape, Shape::Square(Square { side: 3.0 }));
        let other = json!({"width": 1, "height": 2});
        assert_eq!(round_trip!(Shape, other.clone()), Shape::Unknown(other));
        decode_error!(Shape, json!({"radius": "big"}));
    }

    #[test]
    fn tag_ids_are_strings_or_integers() {
        assert_eq!(round_trip!(TagId, json!("abc")), TagId::String("abc".into()));
        assert_eq!(round_trip!(TagId, json!("42")), TagId::String("42".into()));
        assert_eq!(round_trip!(TagId, json!(42)), TagId::Integer(42));
        assert_eq!(round_trip!(TagId, json!(-7)), TagId::Integer(-7));
        assert_eq!(round_trip!(TagId, json!(1.5)), TagId::Unknown(json!(1.5)));
        assert_eq!(round_trip!(TagId, json!(true)), TagId::Unknown(json!(true)));
    }

    #[test]
    fn recursive_expressions() {
        let formula = json!({
            "left": {"value": 1},
            "right": {"left": {"value": 2.5}, "right": {"left": {"value": -3}, "right": {"value": 4}}}
        });
        let expr = round_trip!(Expr, formula.clone());
        let Expr::Sum(sum) = expr.clone() else { panic!("a sum: {expr:?}") };
        let sum: Box<Sum> = sum;
        assert_eq!(*sum.left, Expr::Literal(ExprLiteral { value: 1.0 }));
        let Expr::Sum(right) = &*sum.right else { panic!("a nested sum: {:?}", sum.right) };
        assert_eq!(*right.left, Expr::Literal(ExprLiteral { value: 2.5 }));
        let adoption = round_trip!(
            Adoption,
            json!({"pet": {"petType": "cat", "lives": 9}, "shape": {"side": 1.5}, "tag": 17, "formula": formula})
        );
        assert_eq!(adoption.formula, Some(expr));
        assert_eq!(adoption.tag, Some(TagId::Integer(17)));
        assert_eq!(adoption.shape, Some(Shape::Square(Square { side: 1.5 })));
    }

    #[test]
    fn an_unknown_pet_fails_validation() {
        let error = Adoption::builder()
            .pet(Pet::Unknown(json!({"petType": "parrot"})))
            .build()
            .expect_err("an unknown pet cannot be sent");
        assert_eq!(error.path(), "pet");
        assert!(matches!(error.problem(), Problem::NotListed), "{error}");
        let error = Adoption::builder()
            .pet(Pet::Dog(Dog { pet_type: "dog".into(), bark: "b".into() }))
            .tag(TagId::Unknown(json!(1.5)))
            .build()
            .expect_err("an unknown tag cannot be sent");
        assert_eq!(error.path(), "tag");
    }

    #[test]
    fn member_constraints_are_checked_through_the_union() {
        let error = Adoption::builder()
            .pet(Pet::Cat(Cat { pet_type: "cat".into(), lives: 12 }))
            .build()
            .expect_err("a cat has at most 9 lives");
        assert_eq!(error.path(), "pet.lives");
        assert!(matches!(error.problem(), Problem::AboveMaximum { .. }), "{error}");
        let error = Adoption::builder()
            .pet(Pet::Cat(Cat { pet_type: "cat".into(), lives: 0 }))
            .build()
            .expect_err("a cat has at least 1 life");
        assert_eq!(error.path(), "pet.lives");
        let error = Adoption::builder()
            .pet(Pet::Dog(Dog { pet_type: "dog".into(), bark: "woofwoofwoof".into() }))
            .build()
            .expect_err("a bark has at most 10 characters");
        assert_eq!(error.path(), "pet.bark");
        let adoption = Adoption::builder()
            .pet(Pet::Cat(Cat::builder().pet_type("cat").lives(9).build().unwrap()))
            .shape(Shape::Circle(Circle { radius: 1.0 }))
            .tag(TagId::String("t".into()))
            .formula(Expr::Sum(Box::new(Sum {
                left: Box::new(Expr::Literal(ExprLiteral { value: 1.0 })),
                right: Box::new(Expr::Literal(ExprLiteral { value: 2.0 })),
            })))
            .build()
            .expect("a valid adoption");
        assert_same_json(
            &serde_json::to_value(&adoption).unwrap(),
            &json!({"pet": {"petType": "cat", "lives": 9}, "shape": {"radius": 1}, "tag": "t",
                    "formula": {"left": {"value": 1}, "right": {"value": 2}}}),
        );
    }
}

mod literal_enums {
    use super::*;
    use fixture_literal_enums::types::{AccountKind, Flag, Level, ModelVersion, Ratio, Settings};

    #[test]
    fn settings_round_trip() {
        let settings = round_trip!(
            Settings,
            json!({"level": 2, "ratio": 0.5, "flag": true, "version": "beta", "account": "credit card"})
        );
        assert_eq!(settings.level, Some(Level::V2));
        assert_eq!(settings.ratio, Some(Ratio::V05));
        assert_eq!(settings.flag, Some(Flag::True));
        assert_eq!(settings.version, fixture_literal_enums::Nullable::Value(ModelVersion::Beta));
        assert_eq!(settings.account, Some(AccountKind::CreditCard));
        round_trip!(Settings, json!({}));
    }

    #[test]
    fn numbers_and_booleans_choose_their_variants() {
        assert_eq!(round_trip!(Level, json!(1)), Level::V1);
        assert_eq!(round_trip!(Level, json!(2)), Level::V2);
        assert_eq!(round_trip!(Level, json!(3)), Level::V3);
        assert_eq!(round_trip!(Ratio, json!(0.5)), Ratio::V05);
        assert_eq!(round_trip!(Ratio, json!(1.5)), Ratio::V15);
        assert_eq!(round_trip!(Flag, json!(true)), Flag::True);
        assert_eq!(serde_json::to_value(Level::V3).unwrap(), json!(3));
        assert_eq!(serde_json::to_value(Ratio::V05).unwrap(), json!(0.5));
        assert_eq!(serde_json::to_value(Flag::True).unwrap(), json!(true));
        assert_eq!(Level::V2.to_string(), "2");
    }

    #[test]
    fn unknown_literals_are_kept_as_sent() {
        let level = round_trip!(Level, json!(5));
        assert_eq!(level, Level::Unknown(json!(5)));
        assert_eq!(serde_json::to_value(&level).unwrap(), json!(5));
        assert_eq!(round_trip!(Ratio, json!(0.75)), Ratio::Unknown(json!(0.75)));
        assert_eq!(round_trip!(Flag, json!(false)), Flag::Unknown(json!(false)));
        let settings = round_trip!(Settings, json!({"level": 5, "version": 5.0}));
        assert_eq!(settings.level, Some(Level::Unknown(json!(5))));
    }

    #[test]
    fn model_version_accepts_numbers_and_strings() {
        let settings: Settings = serde_json::from_value(json!({"version": 4.1})).unwrap();
        assert_eq!(settings.version.as_option(), Some(&ModelVersion::V41));
        let settings: Settings = serde_json::from_value(json!({"version": "4.1"})).unwrap();
        assert_eq!(settings.version.as_option(), Some(&ModelVersion::V41));
        round_trip!(Settings, json!({"version": 4.1}));
        assert_eq!(round_trip!(ModelVersion, json!(4)), ModelVersion::V4);
        assert_eq!(round_trip!(ModelVersion, json!("beta")), ModelVersion::Beta);
        assert_eq!(round_trip!(ModelVersion, json!("gamma")), ModelVersion::Unknown(json!("gamma")));
        assert_eq!(ModelVersion::V41.to_string(), "4.1");
        let settings: Settings = serde_json::from_value(json!({"version": null})).unwrap();
        assert!(settings.version.is_null());
    }

    #[test]
    fn a_string_schema_with_documented_properties_is_an_enum() {
        assert_eq!(round_trip!(AccountKind, json!("credit card")), AccountKind::CreditCard);
        assert_eq!(round_trip!(AccountKind, json!("checking")), AccountKind::Checking);
        assert_eq!(round_trip!(AccountKind, json!("savings")), AccountKind::Unknown("savings".into()));
        assert_eq!(AccountKind::CreditCard.as_str(), "credit card");
    }
}

mod access {
    use super::*;
    use fixture_access::types::Account;

    #[test]
    fn a_response_round_trips_without_the_write_only_password() {
        let account = round_trip!(Account, json!({"id": "acc_1", "name": "Ann", "currency": "EUR", "limit": 250}));
        assert_eq!(account.id.as_deref(), Some("acc_1"));
        assert_eq!(account.password, None);
        assert_eq!(account.currency.as_deref(), Some("EUR"));
        assert_eq!(account.limit, Some(250));
    }

    #[test]
    fn defaults_are_not_filled_in() {
        let account = round_trip!(Account, json!({"id": "acc_2", "name": "Bo"}));
        assert_eq!(account.currency, None);
        assert_eq!(account.limit, None);
    }

    #[test]
    fn a_request_is_built_without_the_read_only_id() {
        // The builder has no `id` setter: the request is complete without one.
        let account = Account::builder()
            .name("Ann")
            .password("s3cret-pass")
            .currency("USD")
            .limit(100_i64)
            .build()
            .expect("id is read-only, so not needed");
        assert_eq!(account.id, None);
        assert_eq!(
            serde_json::to_value(&account).unwrap(),
            json!({"name": "Ann", "password": "s3cret-pass", "currency": "USD", "limit": 100})
        );
        let error = Account::builder().password("p").build().expect_err("name is required");
        assert_eq!(error.path(), "name");
    }

    #[test]
    fn the_write_only_password_is_a_secret() {
        let account = round_trip!(Account, json!({"name": "Ann", "password": "s3cret-pass"}));
        let password: &fixture_access::Secret = account.password.as_ref().unwrap();
        assert_eq!(password.expose(), "s3cret-pass");
        let debug = format!("{account:?}");
        assert!(!debug.contains("s3cret-pass") && debug.contains("[redacted]"), "{debug}");
    }

    #[test]
    fn an_x_sensitive_response_field_is_a_secret_too() {
        let account = round_trip!(Account, json!({"id": "acc_1", "name": "Ann", "api_token": "tok-live-123"}));
        let token: &fixture_access::Secret = account.api_token.as_ref().unwrap();
        assert_eq!(token.expose(), "tok-live-123");
        let debug = format!("{account:?}");
        assert!(!debug.contains("tok-live-123"), "{debug}");
    }
}

mod type_mappings {
    use super::*;
    use fixture_type_mappings::types::{
        ClientAddress, LineItem, LineItemDiscount, Metadata, Order, OrderRefund, Totals,
    };
    use rust_decimal::Decimal;
    use std::collections::{BTreeSet, HashSet};
    use std::net::IpAddr;
    use std::num::NonZeroU32;

    fn order() -> Value {
        json!({
            "id": "ord_1",
            "total": 1234.56,
            "shipping": 4.5,
            "lines": [
                {"sku": "MUG-01", "quantity": 2, "unit_price": 19.99, "tags": ["fragile", "gift"],
                 "discount": {"code": "SPRING", "percent": 12.5}},
                {"sku": "TEA-07", "quantity": 1, "unit_price": 0.1}
            ],
            "placed_from": "2001:db8::7",
            "metadata": {"channel": "web", "campaign": {"id": 7, "tags": ["x"]}},
            "tags": ["priority", "repeat"]
        })
    }

    #[test]
    fn an_order_round_trips_through_the_mapped_types() {
        let order = round_trip!(Order, order());
        // Each value has the type codegen.toml gives it: by format, by schema, by field, by `*`.
        let total: Decimal = order.total;
        assert_eq!(total, Decimal::new(123456, 2));
        assert_eq!(order.shipping.into_option(), Some(Decimal::new(45, 1)));
        let placed_from: IpAddr = order.placed_from;
        assert_eq!(placed_from, "2001:db8::7".parse::<IpAddr>().unwrap());
        let metadata: &serde_json::Map<String, Value> = order.metadata.as_ref().unwrap();
        assert_eq!(metadata["campaign"]["id"], json!(7));
        let tags: &BTreeSet<String> = order.tags.as_ref().unwrap();
        assert!(tags.contains("priority"));
        let line = &order.lines[0];
        let quantity: NonZeroU32 = line.quantity;
        assert_eq!(quantity.get(), 2);
        assert_eq!(line.unit_price * Decimal::from(quantity.get()), Decimal::new(3998, 2));
        let discount: &LineItemDiscount = line.discount.as_ref().unwrap();
        assert_eq!(discount.percent, Some(Decimal::new(125, 1)));
    }

    /// `with = "rust_decimal::serde::float"` reaches a mapped value wherever lowering puts it: a
    /// field, a nullable one (absent, null or a value), list items that may be null, map values,
    /// a union member and typed additional properties. Each is a JSON number on the wire, and a
    /// `Decimal` in Rust.
    #[test]
    fn the_with_module_applies_at_every_depth() {
        let mut input = order();
        input["shipping"] = Value::Null;
        input["adjustments"] = json!([-1.5, null, 0.1]);
        input["taxes"] = json!({"CA": 7.25, "NY": 8.875});
        input["refund"] = json!(12.3);
        input["totals"] = json!({"net": 1200.01, "fees": 0.1, "tips": 0.2});
        let order = round_trip!(Order, input);
        assert!(order.shipping.is_null(), "an explicit null stays null");
        assert_eq!(order.adjustments, Some(vec![Some(Decimal::new(-15, 1)), None, Some(Decimal::new(1, 1))]));
        assert_eq!(order.taxes.as_ref().unwrap()["NY"], Decimal::new(8875, 3));
        assert_eq!(order.refund, Some(OrderRefund::Decimal(Decimal::new(123, 1))));
        let totals: &Totals = order.totals.as_ref().unwrap();
        assert_eq!((totals.net, totals.extra["fees"]), (Decimal::new(120001, 2), Decimal::new(1, 1)));
        let sum: Decimal = totals.extra.values().sum();
        assert_eq!(sum, Decimal::new(3, 1), "exact, where f64 gives 0.30000000000000004");

        // A string is not a decimal to the union, which tries its members in order.
        let mut reason = order_json_with("refund", json!("damaged in transit"));
        reason["shipping"] = json!(4.5);
        let order = round_trip!(Order, reason);
        assert_eq!(order.refund, Some(OrderRefund::String("damaged in transit".into())));
        // Values built in Rust are sent as numbers too.
        let built = Order { adjustments: Some(vec![Some(Decimal::new(1000000, 0))]), ..order };
        assert_eq!(serde_json::to_value(&built).unwrap()["adjustments"], json!([1000000.0]));
    }

    fn order_json_with(key: &str, value: Value) -> Value {
        let mut input = order();
        input[key] = value;
        input
    }

    #[test]
    fn mapped_schemas_are_aliases_of_the_chosen_types() {
        let address: ClientAddress = IpAddr::from([192, 0, 2, 10]);
        assert_eq!(serde_json::to_value(address).unwrap(), json!("192.0.2.10"));
        let metadata: Metadata = serde_json::Map::new();
        assert!(metadata.is_empty());
    }

    #[test]
    fn the_mapped_types_decide_what_decodes() {
        let mut zero = order();
        zero["lines"][1]["quantity"] = json!(0);
        let error = decode_error!(Order, zero);
        assert!(error.contains("nonzero"), "{error}");
        let mut not_an_address = order();
        not_an_address["placed_from"] = json!("somewhere");
        assert!(decode_error!(Order, not_an_address).contains("address"));
        // A set keeps each tag once, in order.
        let mut repeated = order();
        repeated["tags"] = json!(["b", "a", "b"]);
        let order: Order = serde_json::from_value(repeated).unwrap();
        assert_eq!(serde_json::to_value(&order.tags).unwrap(), json!(["a", "b"]));
    }

    #[test]
    fn derives_from_the_config_apply_to_the_types_and_those_nested_in_them() {
        fn eq<T: Eq>() {}
        fn hash<T: Eq + std::hash::Hash>() {}
        eq::<Order>();
        hash::<LineItem>();
        hash::<LineItemDiscount>();
        let order: Order = serde_json::from_value(order()).unwrap();
        let lines: HashSet<LineItem> = order.lines.iter().cloned().chain(order.lines.iter().cloned()).collect();
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn builders_take_the_mapped_types_and_check_nothing_the_types_cannot() {
        let line = LineItem::builder()
            .sku("MUG-01")
            .quantity(NonZeroU32::new(3).unwrap())
            .unit_price(Decimal::new(1999, 2))
            .build()
            .expect("a complete line");
        // The spec's `minimum: 0` on `total` was dropped with a warning: a `Decimal` is not checked.
        let order = Order::builder()
            .id("ord_2")
            .total(Decimal::new(-5, 0))
            .lines(vec![line])
            .placed_from(IpAddr::from([127, 0, 0, 1]))
            .build()
            .expect("nothing to check on mapped values");
        assert_eq!(
            serde_json::to_value(&order).unwrap(),
            json!({"id": "ord_2", "total": -5.0, "lines": [{"sku": "MUG-01", "quantity": 3, "unit_price": 19.99}],
                   "placed_from": "127.0.0.1"})
        );
    }
}
