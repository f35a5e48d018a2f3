//! Optional nullable properties, whose absence and explicit `null` mean different things.
//!
//! A property that may be left out and may also be `null` has three states on the wire, and
//! APIs give them different meanings: in an update (`PATCH`), leaving a property out keeps its
//! value while `null` clears it. `Option<T>` has room for two, so such a property is a
//! [`Nullable<T>`], and a response decoded and sent back says exactly what it said.
use std::ops::Deref;

/// A property that may be absent, `null`, or a value.
///
/// Decoding gives [`Nullable::Absent`] for a property that is not there and
/// [`Nullable::Null`] for an explicit `null`; encoding leaves an absent property out and writes
/// `null` for `Null`. Builders take a value (`.nickname("Sam")`) or `Nullable::Null` to send an
/// explicit `null` (`.nickname(Nullable::Null)`); leaving the setter out leaves the property out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// The property is not there (the default).
    #[default]
    Absent,
    /// The property is there with the value `null`.
    Null,
    /// The property has a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is not there.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is there with the value `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the property has a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value mutably, if there is one.
    pub fn as_option_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value dereferenced (`&str` for a `String`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.as_option().map(Deref::deref)
    }

    /// A reference to the value, in the same state.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Value(value) => Nullable::Value(value),
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
        }
    }

    /// The value transformed by `f`, in the same state.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Value(value) => Nullable::Value(f(value)),
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some` is a value and `None` an explicit `null`.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl From<&str> for Nullable<crate::secret::Secret> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.into())
    }
}

impl From<String> for Nullable<crate::secret::Secret> {
    fn from(value: String) -> Self {
        Nullable::Value(value.into())
    }
}

/// An absent property is left out by the field's `skip_serializing_if`; should it be written
/// anyway (inside a list), it is `null`.
impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// A property that is there decodes to `Null` or a value; one that is not is `Absent`, through
/// the field's `#[serde(default)]`.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}
