//! Values that must not leak into logs, error messages or traces.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// A credential or other sensitive string: `format: password` and `x-sensitive` fields of the
/// spec, in requests and responses alike.
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable through
/// [`Secret::expose`]. Its memory is overwritten with zeros when it is dropped (through
/// `secrecy`), and comparing two secrets takes the same time wherever they differ. It
/// serializes as the plain string, since that is what the API expects.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The value itself, for the rare code that must see it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose().as_bytes().ct_eq(other.expose().as_bytes()).into()
    }
}

impl Eq for Secret {}

impl std::hash::Hash for Secret {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.expose().hash(state);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(SecretString::from(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(SecretString::from(value))
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "cli")]
        if redacting::active() {
            return serializer.serialize_str(redacting::PLACEHOLDER);
        }
        serializer.serialize_str(self.expose())
    }
}

/// The command line's `--dry-run` prints the request it would send; within
/// [`redacting::redacted`], secrets serialize as a placeholder, so that the printed body shows
/// where each one goes without showing it.
#[cfg(feature = "cli")]
pub(crate) mod redacting {
    use std::cell::Cell;

    /// What a secret serializes as while redacting.
    pub(crate) const PLACEHOLDER: &str = "[redacted]";

    thread_local! {
        static ACTIVE: Cell<bool> = const { Cell::new(false) };
    }

    /// Whether secrets serialize as [`PLACEHOLDER`] on this thread right now.
    pub(crate) fn active() -> bool {
        ACTIVE.with(Cell::get)
    }

    /// Runs `work` on this thread with secrets serializing as [`PLACEHOLDER`].
    pub(crate) fn redacted<T>(work: impl FnOnce() -> T) -> T {
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                ACTIVE.with(|active| active.set(self.0));
            }
        }
        let _restore = Restore(ACTIVE.with(|active| active.replace(true)));
        work()
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::from)
    }
}
