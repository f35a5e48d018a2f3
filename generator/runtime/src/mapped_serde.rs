//! Values (de)serialized by a module of the user's choosing: codegen.toml's
//! `{ type = "…", with = "…" }`, for a type whose own impls are not the ones the API wants
//! (`rust_decimal::serde::float` writes a `Decimal` as a JSON number).
//!
//! The module applies to this crate's own values only, wherever they sit: the generated crate
//! has one zero-sized marker per module implementing `SerdeWith`, and the adapters below carry
//! it through `Option`, `Nullable`, `Vec`, maps, boxes and tuples.
//! A field names the combination in `#[serde(serialize_with = "…", deserialize_with = "…")]`,
//! through `serialize` and `deserialize`. Unlike a feature of the mapped type's crate, this
//! changes nothing for the other values of that type in the user's build.
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A way to serialize and deserialize values of `T` other than `T`'s own impls.
pub(crate) trait SerdeWith<T> {
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// `serialize_with` for a field: serializes `value` through `W`.
#[allow(dead_code, reason = "the generated types that hold values of a `with` module name it, in the areas built")]
pub(crate) fn serialize<W: SerdeWith<T>, T, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    W::serialize(value, serializer)
}

/// `deserialize_with` for a field: deserializes through `W`.
#[allow(dead_code, reason = "the generated types that hold values of a `with` module name it, in the areas built")]
pub(crate) fn deserialize<'de, W: SerdeWith<T>, T, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    W::deserialize(deserializer)
}

/// A borrowed value that serializes through `W`.
#[allow(dead_code, reason = "the adapters of containers and tuples use it, when the generated types name one")]
struct Ser<'a, W, T>(&'a T, PhantomData<W>);

#[allow(dead_code, reason = "the adapters of containers and tuples use it, when the generated types name one")]
impl<'a, W, T> Ser<'a, W, T> {
    fn new(value: &'a T) -> Self {
        Ser(value, PhantomData)
    }
}

impl<W: SerdeWith<T>, T> Serialize for Ser<'_, W, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        W::serialize(self.0, serializer)
    }
}

/// A value that deserializes through `W`.
#[allow(dead_code, reason = "the adapters of containers and tuples use it, when the generated types name one")]
struct De<W, T>(T, PhantomData<W>);

impl<'de, W: SerdeWith<T>, T> Deserialize<'de> for De<W, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        W::deserialize(deserializer).map(|value| De(value, PhantomData))
    }
}

/// Like `struct_de::put`, reading a struct field's value through adapter `W`.
#[allow(dead_code, reason = "the generated types name it for fields that hold values of a `with` module")]
#[inline]
pub(crate) fn put_with<'de, W: SerdeWith<T>, T, A: serde::de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    use serde::de::Error as _;
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<De<W, T>>()?.0);
    Ok(())
}

/// Like `struct_de::keep`, reading the value of a property a struct does not declare through
/// adapter `W`.
#[allow(dead_code, reason = "the generated types name it for maps of undeclared properties of a `with` module")]
pub(crate) fn keep_with<'de, W: SerdeWith<T>, T, A: serde::de::MapAccess<'de>>(
    others: &mut impl Extend<(String, T)>,
    name: String,
    map: &mut A,
) -> Result<(), A::Error> {
    others.extend([(name, map.next_value::<De<W, T>>()?.0)]);
    Ok(())
}

/// `T`'s own impls, for the positions of a tuple that need no module.
#[allow(dead_code, reason = "the generated types name it for tuples that hold values of a `with` module")]
pub(crate) struct Own;

impl<T: Serialize + for<'de> Deserialize<'de>> SerdeWith<T> for Own {
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// `Option<T>`: `None` is `null`, a value goes through `W`.
#[allow(dead_code, reason = "the generated types name it for optional or nullable values of a `with` module")]
pub(crate) struct OptionOf<W>(PhantomData<W>);

impl<W: SerdeWith<T>, T> SerdeWith<Option<T>> for OptionOf<W> {
    fn serialize<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&Ser::<W, T>::new(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        Option::<De<W, T>>::deserialize(deserializer).map(|value| value.map(|De(value, _)| value))
    }
}

/// `Nullable<T>`: `Null` (and `Absent`, when written at all) is `null`, a value goes through `W`.
#[allow(dead_code, reason = "the generated types name it for optional nullable properties of a `with` module")]
pub(crate) struct NullableOf<W>(PhantomData<W>);

impl<W: SerdeWith<T>, T> SerdeWith<crate::nullable::Nullable<T>> for NullableOf<W> {
    fn serialize<S: Serializer>(value: &crate::nullable::Nullable<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value.as_option() {
            Some(value) => serializer.serialize_some(&Ser::<W, T>::new(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<crate::nullable::Nullable<T>, D::Error> {
        OptionOf::<W>::deserialize(deserializer).map(crate::nullable::Nullable::from)
    }
}

/// `Vec<T>`: each item through `W`.
#[allow(dead_code, reason = "the generated types name it for arrays of values of a `with` module")]
pub(crate) struct VecOf<W>(PhantomData<W>);

impl<W: SerdeWith<T>, T> SerdeWith<Vec<T>> for VecOf<W> {
    fn serialize<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(value.iter().map(Ser::<W, T>::new))
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        Vec::<De<W, T>>::deserialize(deserializer).map(|items| items.into_iter().map(|De(item, _)| item).collect())
    }
}

/// `BTreeMap<String, T>`: each value through `W`.
#[allow(dead_code, reason = "the generated types name it for maps of values of a `with` module")]
pub(crate) struct MapOf<W>(PhantomData<W>);

impl<W: SerdeWith<T>, T> SerdeWith<BTreeMap<String, T>> for MapOf<W> {
    fn serialize<S: Serializer>(value: &BTreeMap<String, T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(value.iter().map(|(key, value)| (key, Ser::<W, T>::new(value))))
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, T>, D::Error> {
        BTreeMap::<String, De<W, T>>::deserialize(deserializer)
            .map(|map| map.into_iter().map(|(key, De(value, _))| (key, value)).collect())
    }
}

/// `Box<T>`: the boxed value through `W`.
#[allow(dead_code, reason = "the generated types name it for boxed (recursive) values of a `with` module")]
pub(crate) struct BoxOf<W>(PhantomData<W>);

impl<W: SerdeWith<T>, T> SerdeWith<Box<T>> for BoxOf<W> {
    fn serialize<S: Serializer>(value: &Box<T>, serializer: S) -> Result<S::Ok, S::Error> {
        W::serialize(value, serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<T>, D::Error> {
        W::deserialize(deserializer).map(Box::new)
    }
}

/// Tuples, each position through its own adapter ([`Own`] where it needs none).
macro_rules! tuple_of {
    ($name:ident, $length:literal: $($adapter:ident $value:ident $index:tt),+) => {
        #[allow(dead_code, reason = "the generated types name it for tuples of its length holding `with` values")]
        pub(crate) struct $name<$($adapter),+>(PhantomData<($($adapter,)+)>);

        impl<$($value, $adapter: SerdeWith<$value>),+> SerdeWith<($($value,)+)> for $name<$($adapter),+> {
            fn serialize<S: Serializer>(value: &($($value,)+), serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut tuple = serializer.serialize_tuple($length)?;
                $(tuple.serialize_element(&Ser::<$adapter, $value>::new(&value.$index))?;)+
                tuple.end()
            }

            fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<($($value,)+), D::Error> {
                let decoded = <($(De<$adapter, $value>,)+)>::deserialize(deserializer)?;
                Ok(($(decoded.$index.0,)+))
            }
        }
    };
}

tuple_of!(Tuple1Of, 1: A1 T1 0);
tuple_of!(Tuple2Of, 2: A1 T1 0, A2 T2 1);
tuple_of!(Tuple3Of, 3: A1 T1 0, A2 T2 1, A3 T3 2);
tuple_of!(Tuple4Of, 4: A1 T1 0, A2 T2 1, A3 T3 2, A4 T4 3);
tuple_of!(Tuple5Of, 5: A1 T1 0, A2 T2 1, A3 T3 2, A4 T4 3, A5 T5 4);
tuple_of!(Tuple6Of, 6: A1 T1 0, A2 T2 1, A3 T3 2, A4 T4 3, A5 T5 4, A6 T6 5);
tuple_of!(Tuple7Of, 7: A1 T1 0, A2 T2 1, A3 T3 2, A4 T4 3, A5 T5 4, A6 T6 5, A7 T7 6);
tuple_of!(Tuple8Of, 8: A1 T1 0, A2 T2 1, A3 T3 2, A4 T4 3, A5 T5 4, A6 T6 5, A7 T7 6, A8 T8 7);
