//! Reading the generated structs from JSON objects, and string enums from strings: what their
//! `Deserialize` impls share.
//!
//! Each struct implements `FromObject` with what is its own (which property names are its
//! fields, how each field's value is read, and how the struct is put together), and its
//! `Deserialize` calls `deserialize`. Properties the struct does not declare are read straight
//! into its map of them, or skipped, as the struct says; no property is buffered.
//!
//! What decodes, and the errors, are those of serde's derive for the same struct: a missing
//! field that is not an `Option` is "missing field `name`", a field given twice is "duplicate
//! field `name`", `null` or an absent property is `None` for an `Option`, and error paths (with
//! `serde_path_to_error`) name the property as the derive's do.
#![allow(dead_code, reason = "the generated structs use it; a crate whose areas hold no struct does not")]

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// A struct read from a JSON object, property by property; implemented by each generated struct.
pub(crate) trait FromObject: Sized {
    /// The struct's name, for the message of a value that is not an object.
    const NAME: &'static str;
    /// Whether the properties the struct does not declare are kept ([`FromObject::read_other`]).
    const KEEPS_OTHERS: bool = false;
    /// The values read so far: an `Option` for each field, and the properties kept.
    type Slots;

    /// The slots before any property is read.
    fn slots() -> Self::Slots;

    /// The number of the field a property name is, if any (its place in the slots). The
    /// generated `match` is `#[inline]`: it compiles into the loop that reads keys.
    fn field(name: &str) -> Option<u16> {
        let _ = name;
        None
    }

    /// Reads the value of field `field` into its slot.
    fn read_field<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, field: u16, map: &mut A) -> Result<(), A::Error>;

    /// Reads the value of a property the struct does not declare: keeps it, if the struct
    /// keeps such properties, or else skips it.
    fn read_other<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, name: String, map: &mut A) -> Result<(), A::Error> {
        let _ = (slots, name);
        map.next_value::<IgnoredAny>().map(drop)
    }

    /// The struct from its slots, once the object has ended, or the name of a required field
    /// that is missing.
    fn finish(slots: Self::Slots) -> Result<Self, &'static str>;
}

/// Reads a `T` from a JSON object (what each generated struct's `Deserialize` does).
pub(crate) fn deserialize<'de, T: FromObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Reads the value of a field into its slot; a second value for the same field is an error.
#[inline]
pub(crate) fn put<'de, T: serde::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps a property the struct does not declare in its map of them.
#[allow(dead_code, reason = "used by crates with a struct that keeps undeclared properties")]
pub(crate) fn keep<'de, V: serde::Deserialize<'de>, A: MapAccess<'de>>(
    others: &mut impl Extend<(String, V)>,
    name: String,
    map: &mut A,
) -> Result<(), A::Error> {
    others.extend([(name, map.next_value()?)]);
    Ok(())
}

/// Reads a string enum: a listed value (`listed` names its variant) without copying the
/// string, any other into the catch-all variant `other`. A value that is not a string is the
/// error `String`'s `Deserialize` gives ("expected a string").
pub(crate) fn string_enum<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    listed: impl FnOnce(&str) -> Option<T>,
    other: impl FnOnce(String) -> T,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(StringEnum { listed, other })
}

/// The visitor of [`string_enum`], generic over the enum's two functions so that they compile
/// into it rather than being called through pointers.
struct StringEnum<L, O> {
    listed: L,
    other: O,
}

impl<T, L: FnOnce(&str) -> Option<T>, O: FnOnce(String) -> T> Visitor<'_> for StringEnum<L, O> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(match (self.listed)(value) {
            Some(listed) => listed,
            None => (self.other)(value.to_owned()),
        })
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        let Self { listed, other } = self;
        Ok(match listed(&value) {
            Some(listed) => listed,
            None => other(value),
        })
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::slots();
        // The name of the last property kept, set by `KeySeed`: outside `Key`, so that the
        // key's result stays small enough to return in registers.
        let mut other = String::new();
        while let Some(key) = map.next_key_seed(KeySeed::<T> { other: &mut other, of: PhantomData })? {
            match key {
                Key::Field(field) => T::read_field(&mut slots, field, &mut map)?,
                Key::Other => T::read_other(&mut slots, std::mem::take(&mut other), &mut map)?,
                Key::Skipped => map.next_value::<IgnoredAny>().map(drop)?,
            }
        }
        T::finish(slots).map_err(A::Error::missing_field)
    }
}

/// What a property name is to the struct being read.
enum Key {
    Field(u16),
    /// A property the struct keeps (its name is in `KeySeed::other`).
    Other,
    /// A property the struct does not keep.
    Skipped,
}

/// Reads a property name and tells what it is, without copying it unless it is kept.
struct KeySeed<'a, T> {
    /// Where the name of a property the struct keeps goes.
    other: &'a mut String,
    of: PhantomData<T>,
}

impl<'de, T: FromObject> DeserializeSeed<'de> for KeySeed<'_, T> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: FromObject> Visitor<'_> for KeySeed<'_, T> {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Key, E> {
        Ok(match T::field(name) {
            Some(field) => Key::Field(field),
            None if T::KEEPS_OTHERS => {
                name.clone_into(self.other);
                Key::Other
            }
            None => Key::Skipped,
        })
    }

    fn visit_bytes<E: Error>(self, name: &[u8]) -> Result<Key, E> {
        self.visit_str(&String::from_utf8_lossy(name))
    }
}
