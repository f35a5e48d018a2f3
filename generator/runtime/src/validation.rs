//! Client-side checks of request values against the spec's rules.
//!
//! Builders run them in `build`, and the client runs them again before sending, so a value
//! assembled by hand cannot slip past.

use std::fmt;

/// Checks a value against the constraints of its schema.
pub trait Validate {
    /// Checks the value, naming the offending field in the error.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&FieldPath::root())
    }

    /// Checks the value found at `path` inside a larger value.
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        T::validate_at(self, path)
    }
}

/// The location of a value inside a request, built up as validation descends and only
/// rendered as text when something is wrong.
#[derive(Debug, Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'static str),
    Index(usize),
    Key(&'a str),
}

impl<'a> FieldPath<'a> {
    /// The path of the value being validated.
    pub fn root() -> Self {
        FieldPath { parent: None, segment: Segment::Root }
    }

    /// The path of a property of this value.
    pub fn field(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Field(name) }
    }

    /// The path of an element of this array.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Index(index) }
    }

    /// The path of an entry of this map.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Key(key) }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            fmt::Display::fmt(parent, f)?;
        }
        let at_root = matches!(self.parent, None | Some(FieldPath { segment: Segment::Root, .. }));
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Field(name) if at_root => f.write_str(name),
            Segment::Field(name) => write!(f, ".{name}"),
            Segment::Index(index) => write!(f, "[{index}]"),
            Segment::Key(key) => write!(f, "[{key:?}]"),
        }
    }
}

/// A request value that breaks a rule of the spec. It names the field and the rule, never the
/// value itself (which may be personal data).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    path: String,
    problem: Problem,
}

/// What rule a value breaks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// A required field was not set.
    Missing,
    /// A string has fewer characters than `minLength`.
    TooShort { min: usize, actual: usize },
    /// A string has more characters than `maxLength`.
    TooLong { max: usize, actual: usize },
    /// A string does not match `pattern`.
    PatternMismatch { pattern: &'static str },
    /// A number is below `minimum`.
    BelowMinimum { min: f64, exclusive: bool },
    /// A number is above `maximum`.
    AboveMaximum { max: f64, exclusive: bool },
    /// An array has fewer elements than `minItems`.
    TooFewItems { min: usize, actual: usize },
    /// An array has more elements than `maxItems`.
    TooManyItems { max: usize, actual: usize },
    /// An enum holds a value the spec does not list.
    NotListed,
}

impl ValidationError {
    /// An error for `problem` at `path`.
    pub fn new(path: &FieldPath<'_>, problem: Problem) -> Self {
        ValidationError { path: path.to_string(), problem }
    }

    /// A required field at `path` was not set.
    pub fn missing(path: &FieldPath<'_>) -> Self {
        Self::new(path, Problem::Missing)
    }

    /// An enum at `path` holds a value the spec does not list.
    pub fn not_listed(path: &FieldPath<'_>) -> Self {
        Self::new(path, Problem::NotListed)
    }

    /// Where the offending value is, e.g. `items[2].name`; empty for the whole value.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What rule the value breaks.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "value" } else { &self.path };
        write!(f, "{path}: ")?;
        match &self.problem {
            Problem::Missing => f.write_str("is required but was not set"),
            Problem::TooShort { min, actual } => {
                write!(f, "must have at least {min} characters, has {actual}")
            }
            Problem::TooLong { max, actual } => {
                write!(f, "must have at most {max} characters, has {actual}")
            }
            Problem::PatternMismatch { pattern } => {
                write!(f, "must match the pattern `{pattern}`")
            }
            Problem::BelowMinimum { min, exclusive: false } => {
                write!(f, "must be at least {min}")
            }
            Problem::BelowMinimum { min, exclusive: true } => {
                write!(f, "must be greater than {min}")
            }
            Problem::AboveMaximum { max, exclusive: false } => {
                write!(f, "must be at most {max}")
            }
            Problem::AboveMaximum { max, exclusive: true } => {
                write!(f, "must be less than {max}")
            }
            Problem::TooFewItems { min, actual } => {
                write!(f, "must have at least {min} elements, has {actual}")
            }
            Problem::TooManyItems { max, actual } => {
                write!(f, "must have at most {max} elements, has {actual}")
            }
            Problem::NotListed => {
                write!(f, "is not one of the values the spec allows")
            }
        }
    }
}

impl std::error::Error for ValidationError {}

/// The value a builder holds for the required property `name`, or the error naming it.
pub fn required<T>(value: Option<T>, name: &'static str) -> Result<T, ValidationError> {
    value.ok_or_else(|| ValidationError::missing(&FieldPath::root().field(name)))
}

/// Checks `minLength` (counted in characters, as JSON Schema does).
pub fn min_length(value: &str, min: usize, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    let actual = value.chars().count();
    if actual < min {
        return Err(ValidationError::new(path, Problem::TooShort { min, actual }));
    }
    Ok(())
}

/// Checks `maxLength` (counted in characters, as JSON Schema does).
pub fn max_length(value: &str, max: usize, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::new(path, Problem::TooLong { max, actual }));
    }
    Ok(())
}

/// Checks `minimum` and `exclusiveMinimum`.
pub fn minimum(actual: f64, min: f64, exclusive: bool, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    if actual < min || (exclusive && actual == min) {
        return Err(ValidationError::new(path, Problem::BelowMinimum { min, exclusive }));
    }
    Ok(())
}

/// Checks `maximum` and `exclusiveMaximum`.
pub fn maximum(actual: f64, max: f64, exclusive: bool, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    if actual > max || (exclusive && actual == max) {
        return Err(ValidationError::new(path, Problem::AboveMaximum { max, exclusive }));
    }
    Ok(())
}

/// Checks `minItems`.
pub fn min_items(actual: usize, min: usize, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    if actual < min {
        return Err(ValidationError::new(path, Problem::TooFewItems { min, actual }));
    }
    Ok(())
}

/// Checks `maxItems`.
pub fn max_items(actual: usize, max: usize, path: &FieldPath<'_>) -> Result<(), ValidationError> {
    if actual > max {
        return Err(ValidationError::new(path, Problem::TooManyItems { max, actual }));
    }
    Ok(())
}
