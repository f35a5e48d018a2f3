//! Values of a fixture's types made up from the model with a seeded generator, and the spec's
//! own examples of them.

use generator::model::{Api, EnumValue, Extra, Shape, Struct, TypeId, TypeKind, ValueType};
use serde_json::{json, Map, Value};

/// A small deterministic generator (SplitMix64): the same seed gives the same inputs on every
/// machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `bound` (at least 1).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Which optional properties a made-up object has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Every property, none `null`.
    All,
    /// Only the required ones.
    Required,
    /// Each optional one by chance, and `null` by chance where it is allowed.
    Random,
}

/// Below this depth objects have only their required properties and collections are empty.
const DEEP: usize = 3;
/// Past this depth every value is `null` (only a recursive required chain gets there).
const DEEPEST: usize = 8;

pub struct Synth<'a> {
    api: &'a Api,
    pub rng: Rng,
}

impl<'a> Synth<'a> {
    pub fn new(api: &'a Api, seed: u64) -> Self {
        Synth { api, rng: Rng::new(seed) }
    }

    /// An object of struct `object`.
    pub fn object(&mut self, object: &Struct, fill: Fill, depth: usize) -> Value {
        let fill = if depth >= DEEP { Fill::Required } else { fill };
        let mut map = Map::new();
        for field in &object.fields {
            let present = match fill {
                Fill::All => true,
                Fill::Required => field.required,
                Fill::Random => field.required || self.rng.chance(70),
            };
            if !present {
                continue;
            }
            let null = fill == Fill::Random && (field.value.nullable || field.tri_state) && self.rng.chance(25);
            let value = if null { Value::Null } else { self.value(&field.value, fill, depth + 1) };
            map.insert(field.wire_name.clone(), value);
        }
        let others = match fill {
            Fill::All => 1,
            Fill::Required => 0,
            Fill::Random => self.rng.below(3),
        };
        for number in 0..others {
            let value = match &object.extra {
                Extra::Typed { value, .. } => self.value(value, fill, depth + 1),
                _ => self.any(),
            };
            map.insert(format!("undeclared_{number}"), value);
        }
        Value::Object(map)
    }

    /// A value of `value`'s type (never `null` at the top).
    pub fn value(&mut self, value: &ValueType, fill: Fill, depth: usize) -> Value {
        if depth >= DEEPEST {
            return Value::Null;
        }
        let shallow = depth < DEEP;
        match &value.shape {
            Shape::String(rules) => {
                let len = rules.min_length.unwrap_or(1).max(self.rng.below(6));
                Value::String((0..len).map(|i| char::from(b'a' + ((i + self.rng.below(26)) % 26) as u8)).collect())
            }
            Shape::Date => json!("2024-03-05"),
            Shape::DateTime => json!(format!("2024-03-05T06:07:{:02}Z", self.rng.below(60))),
            Shape::Binary => json!("Ynl0ZXM="),
            Shape::Integer { .. } => json!(self.rng.below(1000)),
            Shape::Number { .. } => json!(self.rng.below(400) as f64 / 4.0),
            Shape::Boolean => json!(self.rng.chance(50)),
            Shape::Any => self.any(),
            Shape::Array { items, .. } => {
                let len = if shallow { self.rng.below(3) + usize::from(fill == Fill::All) } else { 0 };
                Value::Array((0..len).map(|_| self.value(items, fill, depth + 1)).collect())
            }
            Shape::Tuple(items) => Value::Array(items.iter().map(|item| self.value(item, fill, depth + 1)).collect()),
            Shape::Map { values } => {
                let len = if shallow { self.rng.below(3) } else { 0 };
                Value::Object((0..len).map(|i| (format!("key{i}"), self.value(values, fill, depth + 1))).collect())
            }
            Shape::Named(id) => self.named(*id, fill, depth),
            Shape::Mapped(mapping) => mapped(mapping.as_str()),
        }
    }

    fn named(&mut self, id: TypeId, fill: Fill, depth: usize) -> Value {
        let Some(def) = self.api.types.get(id.0) else { return Value::Null };
        match &def.kind {
            TypeKind::Struct(object) => self.object(object, fill, depth),
            TypeKind::Enum(listed) => {
                if listed.variants.is_empty() || self.rng.chance(10) {
                    return json!("not-listed");
                }
                match &listed.variants[self.rng.below(listed.variants.len())].value {
                    EnumValue::String(text) => json!(text),
                    EnumValue::Integer(integer) => json!(integer),
                    EnumValue::Float(float) => json!(float),
                    EnumValue::Boolean(flag) => json!(flag),
                }
            }
            TypeKind::Union(union) => match union.variants.get(self.rng.below(union.variants.len())) {
                Some(variant) => self.value(&variant.value, fill, depth + 1),
                None => self.any(),
            },
        }
    }

    /// A small JSON value of any kind.
    fn any(&mut self) -> Value {
        match self.rng.below(6) {
            0 => Value::Null,
            1 => json!(self.rng.below(100)),
            2 => json!("text"),
            3 => json!(true),
            4 => json!({"nested": [1, "two"]}),
            _ => json!([1.5, null]),
        }
    }
}

/// A value of a type codegen.toml maps, by the type's name (the fixtures map money, addresses,
/// maps, non-zero numbers, sets and dates).
fn mapped(rust_type: &str) -> Value {
    let known = [
        ("Decimal", json!(12.5)),
        ("IpAddr", json!("192.0.2.1")),
        ("Map<", json!({"key": "value"})),
        ("NonZero", json!(3)),
        ("Set<", json!(["a", "b"])),
        ("Vec<", json!(["a", "b"])),
        ("NaiveDate", json!("2024-03-05")),
        ("DateTime", json!("2024-03-05T06:07:08Z")),
        ("Uuid", json!("67e55044-10b1-426f-9247-bb680e5fe0c8")),
        ("bool", json!(true)),
        ("u64", json!(7)),
        ("i64", json!(7)),
        ("f64", json!(7.5)),
    ];
    known.into_iter().find(|(name, _)| rust_type.contains(name)).map_or_else(|| json!("text"), |(_, value)| value)
}

/// The spec's examples of struct types: the schema's own `example` (found in the loaded document
/// at the type's pointer) and the response examples of operations that answer with the type or
/// an array of it.
pub fn examples(api: &Api, document: &Value) -> Vec<(TypeId, Value)> {
    let mut found = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        if !matches!(def.kind, TypeKind::Struct(_)) {
            continue;
        }
        let pointer = def.pointer.trim_start_matches('#');
        if let Some(example) = document.pointer(&format!("{pointer}/example")) {
            found.push((TypeId(index), example.clone()));
        }
    }
    for operation in &api.operations {
        let Some(generator::model::ResponseBody::Json(response)) = &operation.response else { continue };
        for (_, example) in &operation.response_examples {
            match (&response.shape, example) {
                (Shape::Named(id), _) => found.push((*id, example.clone())),
                (Shape::Array { items, .. }, Value::Array(values)) => {
                    if let Shape::Named(id) = items.shape {
                        found.extend(values.iter().map(|value| (id, value.clone())));
                    }
                }
                _ => {}
            }
        }
    }
    found.retain(|(id, _)| matches!(api.types.get(id.0).map(|def| &def.kind), Some(TypeKind::Struct(_))));
    found
}
