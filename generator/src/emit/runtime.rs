//! The support code every generated crate owns: its error types (`src/error.rs`) and the
//! validation machinery (`src/validation.rs`). Only the API's error type and the optional
//! pattern support vary with the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Features};
use crate::model::Api;

pub fn error_rs(api: &Api) -> TokenStream {
    let (api_error, api_error_doc) = match api.error_type {
        Some(id) => {
            let name = ident(&api.get(id).name);
            (
                quote!(crate::types::#name),
                format!(" The API answered with an error object ([`crate::types::{}`]).", api.get(id).name),
            )
        }
        None => (quote!(serde_json::Value), " The API answered with a JSON error body.".to_string()),
    };
    quote! {
        //! Errors returned by the client.

        use std::fmt;

        use crate::validation::ValidationError;

        /// How many bytes of an unexpected response body an error keeps.
        const BODY_EXCERPT_LIMIT: usize = 512;

        /// Everything that can go wrong when calling an operation.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// The request does not follow the spec; nothing was sent.
            Validation(ValidationError),
            #[doc = #api_error_doc]
            Api {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// The decoded error body.
                error: Box<#api_error>,
            },
            /// The API answered with an error status and a body that is not its error object.
            UnexpectedStatus {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// The start of the body, as text.
                body: String,
            },
            /// A successful response whose body does not match the spec.
            Decode {
                /// The HTTP status of the response.
                status: reqwest::StatusCode,
                /// What did not match.
                source: serde_json::Error,
                /// The start of the body, as text.
                body: String,
            },
            /// The request could not be sent or the response could not be read.
            Transport(reqwest::Error),
        }

        impl Error {
            pub(crate) fn unexpected_status(status: reqwest::StatusCode, body: &[u8]) -> Self {
                Error::UnexpectedStatus { status, body: excerpt(body) }
            }

            pub(crate) fn decode(status: reqwest::StatusCode, source: serde_json::Error, body: &[u8]) -> Self {
                Error::Decode { status, source, body: excerpt(body) }
            }

            /// The HTTP status of the response, when there was one.
            pub fn status(&self) -> Option<reqwest::StatusCode> {
                match self {
                    Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                        Some(*status)
                    }
                    Error::Transport(error) => error.status(),
                    Error::Validation(_) => None,
                }
            }
        }

        /// The first bytes of a body as text, cut at a character boundary.
        fn excerpt(body: &[u8]) -> String {
            let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT_LIMIT)]);
            let mut text = text.into_owned();
            if body.len() > BODY_EXCERPT_LIMIT {
                text.push('…');
            }
            text
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::Validation(error) => write!(f, "invalid request: {error}"),
                    Error::Api { status, .. } => write!(f, "the API returned an error (HTTP {status})"),
                    Error::UnexpectedStatus { status, body } => {
                        write!(f, "the API returned HTTP {status} with an unrecognised body: {body}")
                    }
                    Error::Decode { status, source, .. } => {
                        write!(f, "cannot decode the HTTP {status} response body: {source}")
                    }
                    Error::Transport(error) => write!(f, "request failed: {error}"),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Validation(error) => Some(error),
                    Error::Decode { source, .. } => Some(source),
                    Error::Transport(error) => Some(error),
                    Error::Api { .. } | Error::UnexpectedStatus { .. } => None,
                }
            }
        }

        impl From<ValidationError> for Error {
            fn from(error: ValidationError) -> Self {
                Error::Validation(error)
            }
        }

        /// Why a [`crate::Client`] could not be built.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum BuildError {
            /// Neither an environment nor a base URL was chosen.
            MissingBaseUrl,
            /// The base URL is not an absolute http or https URL.
            InvalidBaseUrl {
                /// The URL as given.
                url: String,
            },
            /// A credential without a default value was not set.
            MissingCredential {
                /// The builder method that sets it.
                name: &'static str,
                /// The header it is sent in.
                header: &'static str,
            },
            /// A credential contains characters that cannot be sent in an HTTP header.
            InvalidCredential {
                /// The builder method that sets it.
                name: &'static str,
            },
            /// The HTTP client could not be created.
            Http(reqwest::Error),
        }

        impl fmt::Display for BuildError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    BuildError::MissingBaseUrl => {
                        f.write_str("no server chosen: call `environment` or `base_url` on the builder")
                    }
                    BuildError::InvalidBaseUrl { url } => {
                        write!(f, "`{url}` is not an absolute http or https URL")
                    }
                    BuildError::MissingCredential { name, header } => {
                        write!(f, "no `{name}` set: call `{name}` on the builder (it is sent as the `{header}` header)")
                    }
                    BuildError::InvalidCredential { name } => {
                        write!(f, "the `{name}` value contains characters that cannot be sent in an HTTP header")
                    }
                    BuildError::Http(error) => write!(f, "cannot create the HTTP client: {error}"),
                }
            }
        }

        impl std::error::Error for BuildError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    BuildError::Http(error) => Some(error),
                    _ => None,
                }
            }
        }
    }
}

pub fn validation_rs(features: &Features) -> TokenStream {
    let pattern = if features.patterns { pattern_support() } else { TokenStream::new() };
    quote! {
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

        /// A request value that breaks a rule of the spec.
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
            BelowMinimum { min: f64, exclusive: bool, actual: f64 },
            /// A number is above `maximum`.
            AboveMaximum { max: f64, exclusive: bool, actual: f64 },
            /// An array has fewer elements than `minItems`.
            TooFewItems { min: usize, actual: usize },
            /// An array has more elements than `maxItems`.
            TooManyItems { max: usize, actual: usize },
            /// An enum holds a value the spec does not list.
            NotListed { value: String },
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
            pub fn not_listed(path: &FieldPath<'_>, value: &str) -> Self {
                Self::new(path, Problem::NotListed { value: value.to_string() })
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
                    Problem::TooShort { min, actual } => write!(f, "must have at least {min} characters, has {actual}"),
                    Problem::TooLong { max, actual } => write!(f, "must have at most {max} characters, has {actual}"),
                    Problem::PatternMismatch { pattern } => write!(f, "must match the pattern `{pattern}`"),
                    Problem::BelowMinimum { min, exclusive: false, actual } => write!(f, "must be at least {min}, is {actual}"),
                    Problem::BelowMinimum { min, exclusive: true, actual } => write!(f, "must be greater than {min}, is {actual}"),
                    Problem::AboveMaximum { max, exclusive: false, actual } => write!(f, "must be at most {max}, is {actual}"),
                    Problem::AboveMaximum { max, exclusive: true, actual } => write!(f, "must be less than {max}, is {actual}"),
                    Problem::TooFewItems { min, actual } => write!(f, "must have at least {min} elements, has {actual}"),
                    Problem::TooManyItems { max, actual } => write!(f, "must have at most {max} elements, has {actual}"),
                    Problem::NotListed { value } => write!(f, "`{value}` is not one of the values the spec allows"),
                }
            }
        }

        impl std::error::Error for ValidationError {}

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
                return Err(ValidationError::new(path, Problem::BelowMinimum { min, exclusive, actual }));
            }
            Ok(())
        }

        /// Checks `maximum` and `exclusiveMaximum`.
        pub fn maximum(actual: f64, max: f64, exclusive: bool, path: &FieldPath<'_>) -> Result<(), ValidationError> {
            if actual > max || (exclusive && actual == max) {
                return Err(ValidationError::new(path, Problem::AboveMaximum { max, exclusive, actual }));
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

        #pattern
    }
}

fn pattern_support() -> TokenStream {
    quote! {
        /// A `pattern` from the spec, compiled on first use.
        pub struct Pattern {
            source: &'static str,
            compiled: std::sync::OnceLock<Option<regex::Regex>>,
        }

        impl Pattern {
            /// A pattern that is compiled the first time it is checked.
            pub const fn new(source: &'static str) -> Self {
                Pattern { source, compiled: std::sync::OnceLock::new() }
            }

            /// Checks that `value` matches. A pattern the `regex` crate cannot compile (such as
            /// one using look-around) is not checked: the server still enforces it.
            pub fn check(&self, value: &str, path: &FieldPath<'_>) -> Result<(), ValidationError> {
                let compiled = self.compiled.get_or_init(|| regex::Regex::new(self.source).ok());
                match compiled {
                    Some(regex) if !regex.is_match(value) => {
                        Err(ValidationError::new(path, Problem::PatternMismatch { pattern: self.source }))
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}
