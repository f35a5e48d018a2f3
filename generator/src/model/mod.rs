//! Phase 2: the model, a plain description of the crate to generate.
//!
//! Lowering resolves every `$ref`, names every type, field and variant once (see [`naming`]),
//! boxes the fields that make types recursive (see [`cycles`]) and marks which types travel in
//! requests (they get builders and validation). The emitters read only this model, never the
//! OpenAPI document.

pub mod areas;
mod bodies;
pub mod cycles;
mod endpoints;
mod lower;
mod names;
pub mod naming;
mod operations;
pub mod pagination;
mod parameters;
mod schemas;
mod security;
mod streams;
mod validation;
pub mod webhooks;

/// A spec whose path template has doubled, unmatched and adjacent braces, for the tests of
/// the model and of emit that must read it the same way.
#[cfg(test)]
pub(crate) const ODD_TEMPLATE_SPEC: &str = test_spec!(
    r#"paths:
  /a/{{id}}/{id}x{y}/{z:
    get:
      operationId: weird
      parameters:
        - {name: y, in: path, required: true, schema: {type: integer}}
        - {name: y, in: query, schema: {type: integer}}
      responses:
        '204': {description: Nothing.}
"#
);

use std::collections::BTreeMap;

pub use crate::config::{Dependency, DerivePath, Mapping, Package, RustType, WithPath};
pub use endpoints::*;
pub use lower::{lower, lower_with_config, lower_with_warnings};
pub use names::API_ERROR_OTHER;
pub use names::{ApiErrorVariant, EnvVars, Flag, FlagTarget, OperationNames, Subcommand, TextForm, TextKind};
pub use schemas::{unused_mappings, MAX_WITH_TUPLE};
pub use streams::framing as stream_framing;

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Everything the emitters need to write a client crate.
#[derive(Debug, Clone)]
pub struct Api {
    /// Cargo package name, e.g. `plaid-client`.
    pub crate_name: String,
    /// The library's name in Rust paths: the package name with `_` for `-`, e.g. `plaid_client`.
    pub library_name: String,
    pub title: String,
    pub description: Option<String>,
    /// The spec's `info.version`.
    pub version: String,
    /// All named types, in a deterministic order (component schemas first, by spec order, then
    /// the inline types they contain).
    pub types: Vec<TypeDef>,
    /// Whether each type, by [`TypeId`], has a rule the client checks before sending (see
    /// [`Api::has_rules`]): only a type sent in a request, and only when some value of it can
    /// break a rule of the spec, itself or through a type it holds. Decided once, in lowering.
    pub validated: Vec<bool>,
    /// Component schemas that need no type of their own (strings, numbers, arrays, maps, and
    /// `allOf`s that only annotate another schema), kept as type aliases so that every schema
    /// has a name in the crate.
    pub aliases: Vec<Alias>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Base URLs from `servers`, each an environment the client can target.
    pub servers: Vec<Server>,
    /// Credentials the client can send, one per scheme of `securitySchemes`, in spec order.
    /// [`Operation::security`] refers to them by index.
    pub credentials: Vec<Credential>,
    /// The schema of error responses shared by every operation, when there is one. Otherwise
    /// the crate has an `ApiError` enum over the error types of [`Operation::errors`].
    pub error_type: Option<TypeId>,
    /// The prefix of the environment variables `Client::from_env` reads, e.g. `PLAID`
    /// (`info.x-env-prefix`, or the crate name in upper case).
    pub env_prefix: String,
    /// The environment variables `from_env` reads besides credentials.
    pub env_vars: EnvVars,
    /// The names of what is written for each operation besides its methods, in the order of
    /// [`Api::operations`].
    pub operation_names: Vec<OperationNames>,
    /// The variants of the `ApiError` enum, one per named error type, in order of first
    /// appearance; empty when the crate has no such enum (one shared error type, or none).
    pub api_error_variants: Vec<ApiErrorVariant>,
    /// What the generator could not express and left out (operations) or typed as JSON
    /// (schemas), in spec order; the crate docs list them.
    pub skipped: Vec<Skipped>,
    /// The package's metadata, from the config (`[package]`).
    pub package: Package,
    /// Dependencies the config adds for the types it maps, by name.
    pub dependencies: BTreeMap<String, Dependency>,
    /// The areas of the API, each a cargo feature gating its operations and the types only they
    /// use; `None` when the spec has fewer than two (see [`areas`]).
    pub areas: Option<areas::Areas>,
    /// The events the API sends to the user (webhooks, callbacks, payload schemas codegen.toml
    /// names), when there are any.
    pub events: Option<webhooks::Events>,
    /// One marker type per `with` module the config's mappings name, through which fields holding
    /// those values are (de)serialized; sorted by module path.
    pub serde_markers: Vec<SerdeMarker>,
    /// Not the spec's: `emit` writes structs with a derived `Deserialize`
    /// ([`crate::Options::derived_deserialize`], for `cargo xtask difftest`).
    #[doc(hidden)]
    pub derived_deserialize: bool,
}

/// A zero-sized type standing for a `with` module of codegen.toml: it implements the runtime's
/// `SerdeWith<T>` for each mapped type `T` the module is named with, by calling the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerdeMarker {
    /// The Rust name of the marker, in the `types` module's namespace.
    pub name: String,
    pub module: WithPath,
    /// The mapped types the module (de)serializes, each once, in order of first use.
    pub types: Vec<RustType>,
}

/// A part of the spec the generator gave up on instead of refusing the whole spec.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Where it is in the spec, as a JSON pointer.
    pub pointer: String,
    pub item: SkippedItem,
    /// The problems that caused it, each with its own pointer.
    pub problems: Vec<crate::error::SpecError>,
}

/// What was given up.
#[derive(Debug, Clone)]
pub enum SkippedItem {
    /// An operation left out of the client.
    Operation { method: HttpMethod, path: String, operation_id: String },
    /// A whole path item (all its operations) left out of the client.
    Path { path: String },
    /// A schema typed as `serde_json::Value` instead of a type of its own.
    Schema,
}

impl From<crate::load::SkippedOperation> for Skipped {
    fn from(skipped: crate::load::SkippedOperation) -> Self {
        let crate::load::SkippedOperation { pointer, path, method, operation_id, problems } = skipped;
        let item = match method.as_deref().and_then(HttpMethod::from_key) {
            Some(method) => {
                let operation_id =
                    operation_id.unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
                SkippedItem::Operation { method, path, operation_id }
            }
            None => SkippedItem::Path { path },
        };
        Skipped { pointer, item, problems }
    }
}

impl Api {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// The component schema a type was lowered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentOrigin<'a> {
    /// The schema's name under `components/schemas`, unescaped.
    pub name: std::borrow::Cow<'a, str>,
    /// Whether the type is an inline schema nested in it rather than the schema itself.
    pub nested: bool,
}

impl TypeDef {
    /// The component schema the type is, or is nested in; `None` for a type declared elsewhere
    /// (an operation's parameters, an inline body or response). The one place that reads a
    /// type's origin from its pointer.
    pub fn component(&self) -> Option<ComponentOrigin<'_>> {
        ComponentOrigin::of(&self.pointer)
    }
}

impl<'a> ComponentOrigin<'a> {
    /// The component schema a pointer is, or is nested in (also for skipped schemas, which
    /// have a pointer but no type).
    pub fn of(pointer: &'a str) -> Option<Self> {
        let rest = pointer.strip_prefix("#/components/schemas/")?;
        let (token, nested) = rest.split_once('/').map_or((rest, false), |(token, _)| (token, true));
        (!token.is_empty()).then(|| ComponentOrigin { name: crate::load::unescape_pointer_token(token), nested })
    }
}

/// `pub type Name = …;` for a component schema that is not a type of its own.
#[derive(Debug, Clone)]
pub struct Alias {
    pub name: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub value: ValueType,
}

/// A named Rust type: a struct or an enum.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, e.g. `CraMonitoringInsightsItem`.
    pub name: String,
    /// Where the schema lives in the spec, as a JSON pointer.
    pub pointer: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Whether values of this type are sent in a request body: such types get a builder (objects)
    /// and client-side validation.
    pub in_request: bool,
    /// Whether values of this type arrive in a response body (success or error), or in a
    /// webhook.
    pub in_response: bool,
    /// Whether a schema no operation or webhook uses reaches this type: such schemas (often
    /// webhook payloads a spec lists without declaring them) are decoded by users on their own.
    pub in_unused: bool,
    /// The name of the struct's builder (`{Name}Builder`, or numbered when a schema already has
    /// that name); decided after all type names. Every struct has one: a request type's builder
    /// checks the spec's rules, any other's is for building values in tests and fixtures.
    pub builder_name: Option<String>,
    /// Derive macros the config adds (`[derives]`), in order, each once; the emitters leave out
    /// the ones they derive or implement anyway.
    pub derives: Vec<DerivePath>,
    /// Whether the schema itself is marked sensitive (`x-sensitive: true`): no value of the type
    /// appears in `Debug` output, wherever it is held.
    pub sensitive: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    /// `oneOf` / `anyOf`: one of several types.
    Union(Union),
}

/// A value that is one of several types (`oneOf`, `anyOf`). Decoding picks the variant by the
/// discriminator property when there is one, by a required property only one variant has when
/// that settles it, and otherwise tries the variants in order; a value that fits none lands in
/// the catch-all variant, as JSON.
#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub selection: Selection,
    /// The name of the catch-all variant.
    pub catch_all: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub value: ValueType,
    /// Set by [`cycles`] when the variant would otherwise contain its own union.
    pub boxed: bool,
    /// With a discriminator: the property values that select this variant.
    pub tags: Vec<String>,
    /// Without one: a required property that only this variant has.
    pub key: Option<String>,
}

/// How decoding chooses a variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// By the value of this property (`discriminator.propertyName`).
    Discriminator(String),
    /// By which variant's `key` property is present.
    Keys,
    /// The first variant that decodes.
    FirstMatch,
    /// By the HTTP status of the response (`tags` hold the status codes): the successful
    /// responses of an operation that declares different bodies for different statuses. Decoding
    /// without a status tries the variants in order.
    Status,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// What happens to properties the schema does not list.
    pub extra: Extra,
}

/// How an object treats properties beyond the ones it declares (`additionalProperties`).
#[derive(Debug, Clone)]
pub enum Extra {
    /// Not declared or `false`: unknown properties are ignored when decoding.
    Ignored,
    /// `true` or `{}`: unknown properties are kept as JSON values in a field of this name.
    Kept { field: String },
    /// A schema: extra properties are kept, typed, in a map in a field of this name.
    Typed { field: String, value: Box<ValueType> },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name, e.g. `type_` for `type`.
    pub rust_name: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub required: bool,
    /// Whether the value must not appear in `Debug` output or error messages: `format: password`
    /// or `x-sensitive` on the property, the schema it references or its items, or codegen.toml's
    /// `[sensitive]`.
    pub sensitive: bool,
    /// Whether the spec itself marks the value secret (`format: password` or `x-sensitive` on the
    /// property or the schema it references): a string is then held as a `Secret`.
    pub secret: bool,
    /// Whether an absent property and an explicit `null` are told apart: an optional nullable
    /// property of a schema, held as `Nullable<T>` (absent, null or a value). Parameters never
    /// are (a query cannot say `null`).
    pub tri_state: bool,
    /// `readOnly` (set by the server, never sent) or `writeOnly` (sent, never returned).
    pub access: Access,
    /// Set by [`cycles`] when the field's type would otherwise contain itself.
    pub boxed: bool,
    pub value: ValueType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
    WriteOnly,
}

impl Field {
    /// Whether the property may be absent or `null`: the Rust field is an `Option`, or a
    /// `Nullable` when it is [`tri_state`](Field::tri_state). Code reading either kind writes
    /// `field.as_option()` for `Nullable` and `field.as_ref()` for `Option` (see
    /// `emit::rust_type::present`).
    pub fn is_option(&self) -> bool {
        !self.required || self.value.nullable
    }
}

/// The type of a value together with whether `null` is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueType {
    pub shape: Shape,
    pub nullable: bool,
}

/// Visits `roots` and every type they contain, through fields, typed additional properties and
/// union variants; `visit` returns whether the type was new to it (only then is it followed).
pub fn visit_reachable(types: &[TypeDef], mut pending: Vec<TypeId>, visit: &mut impl FnMut(TypeId) -> bool) {
    while let Some(id) = pending.pop() {
        let Some(def) = types.get(id.0) else { continue };
        if !visit(id) {
            continue;
        }
        match &def.kind {
            TypeKind::Struct(object) => {
                for field in &object.fields {
                    field.value.collect_named(&mut pending);
                }
                if let Extra::Typed { value, .. } = &object.extra {
                    value.collect_named(&mut pending);
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    variant.value.collect_named(&mut pending);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
}

impl ValueType {
    /// Pushes the named types this value holds directly (itself, or its items or map values),
    /// not those inside them.
    pub fn collect_named(&self, into: &mut Vec<TypeId>) {
        match &self.shape {
            Shape::Named(id) => into.push(*id),
            Shape::Array { items, .. } => items.collect_named(into),
            Shape::Map { values } => values.collect_named(into),
            Shape::Tuple(items) => items.iter().for_each(|item| item.collect_named(into)),
            _ => {}
        }
    }
}

/// The runtime's adapters (`mapped_serde::Tuple1Of`, …) through which a tuple whose positions
/// hold values of `with` modules is (de)serialized, by length.
const TUPLE_ADAPTERS: [&str; MAX_WITH_TUPLE] =
    ["Tuple1Of", "Tuple2Of", "Tuple3Of", "Tuple4Of", "Tuple5Of", "Tuple6Of", "Tuple7Of", "Tuple8Of"];

/// The name of the runtime's adapter for a tuple of `len` positions; `None` for an empty tuple
/// or one longer than [`MAX_WITH_TUPLE`] (whose values use their own impls).
pub fn tuple_adapter(len: usize) -> Option<&'static str> {
    TUPLE_ADAPTERS.get(len.checked_sub(1)?).copied()
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    String(StringRules),
    /// `format: date`, a calendar date.
    Date,
    /// `format: date-time`, an RFC 3339 timestamp.
    DateTime,
    /// `format: binary`: raw bytes (a file in a multipart body).
    Binary,
    Integer {
        bits: IntegerBits,
        rules: NumberRules,
    },
    Number {
        bits: FloatBits,
        rules: NumberRules,
    },
    Boolean,
    /// Any JSON value (a schema without a type).
    Any,
    Array {
        items: Box<ValueType>,
        rules: ArrayRules,
    },
    /// A JSON array of a fixed length whose positions have types of their own (a tuple: the
    /// `prefixItems` of OpenAPI 3.1).
    Tuple(Vec<ValueType>),
    /// A JSON object with arbitrary keys (`additionalProperties` without `properties`).
    Map {
        values: Box<ValueType>,
    },
    Named(TypeId),
    /// A Rust type the config chose for this value (by its format, its schema or its field),
    /// used as written, (de)serialized by the mapping's `with` module when it names one. Its
    /// constraints are not checked by the client.
    Mapped(Mapping),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerBits {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatBits {
    F32,
    F64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringRules {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberRules {
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArrayRules {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl StringRules {
    pub fn is_empty(&self) -> bool {
        self.min_length.is_none() && self.max_length.is_none() && self.pattern.is_none()
    }
}

impl NumberRules {
    pub fn is_empty(&self) -> bool {
        self.minimum.is_none() && self.maximum.is_none()
    }
}

impl ArrayRules {
    pub fn is_empty(&self) -> bool {
        self.min_items.is_none() && self.max_items.is_none()
    }
}

/// An enum. Decoding is lenient: a value the spec does not list lands in the catch-all variant
/// named `catch_all`, holding the string (or, when some values are not strings, the JSON value).
#[derive(Debug, Clone)]
pub struct StringEnum {
    pub variants: Vec<Variant>,
    pub catch_all: String,
}

impl StringEnum {
    /// Whether every value is a string, the common case that plain serde attributes can express.
    pub fn all_strings(&self) -> bool {
        self.variants.iter().all(|v| matches!(v.value, EnumValue::String(_)))
    }
}

#[derive(Debug, Clone)]
pub struct Variant {
    /// The value as text: the string itself, or the JSON text of a number or boolean.
    pub wire_name: String,
    pub rust_name: String,
    pub value: EnumValue,
    pub doc: Option<String>,
}

/// One value an enum lists. Specs list numbers and booleans too, even under `type: string`.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
}

/// One base URL from `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// The variant name of the `Environment` enum, e.g. `Sandbox`.
    pub rust_name: String,
    /// Its name in `{PREFIX}_ENV` and the command line's `--env`: the variant in snake case,
    /// e.g. `sandbox`.
    pub env_name: String,
    /// The URL with its variables set to their defaults, without a trailing `/`. A relative
    /// URL (`/api/v1`, see `relative`) is a path starting with `/`, or empty for `/`.
    pub url: String,
    /// Whether the spec gives the URL relative to where the spec is served: the user supplies
    /// the scheme and host (`ClientBuilder::host`).
    pub relative: bool,
    pub description: Option<String>,
}

/// A credential the client can send: one security scheme of the spec.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The scheme's key under `securitySchemes`.
    pub scheme: String,
    /// The builder setter, and the field holding the value, e.g. `client_id`.
    pub rust_name: String,
    pub doc: Option<String>,
    pub kind: CredentialKind,
    /// The environment variables `Client::from_env` reads it from: one, e.g. `PLAID_CLIENT_ID`,
    /// or for HTTP basic the username's and the password's (`…_USERNAME`, `…_PASSWORD`).
    pub env_vars: Vec<String>,
    /// The mock's `MockServer` method that sets the value the server expects, e.g.
    /// `expect_client_id`.
    pub mock_expect: String,
    /// The setter's name in kebab case, e.g. `client-id`, from which the mock makes up the
    /// values its client sends (`mock-client-id`).
    pub kebab_name: String,
    /// Whether every operation needs this credential, so that a client without it is useless
    /// and `build()` refuses to create one. Other credentials are checked when an operation
    /// that needs them is called.
    pub required: bool,
}

/// How a credential travels.
#[derive(Debug, Clone)]
pub enum CredentialKind {
    /// `apiKey`: a value in a header, a query parameter or a cookie called `name`.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        /// The value sent when the caller sets none (the scheme's `x-default` extension).
        default: Option<String>,
        /// Whether the value is hidden from `Debug` (true unless `x-sensitive: false`).
        sensitive: bool,
    },
    /// `Authorization: Bearer <token>`: `http` `bearer`, `oauth2` and `openIdConnect`. The token
    /// is fixed, or asked of a token source before each attempt.
    Bearer {
        /// The setter that takes a token source, e.g. `oauth_source`.
        source_setter: String,
        /// `bearerFormat`, e.g. `JWT`.
        format: Option<String>,
        /// How to obtain a token, one line each, for the setter's docs: OAuth2 flows with their
        /// URLs and scopes, or the OpenID Connect discovery URL.
        obtain: Vec<String>,
    },
    /// `http` `basic`: a username and a password.
    Basic,
    /// Any other `http` scheme (`digest`, `negotiate`, …): the caller supplies the whole
    /// `Authorization` header value.
    Authorization {
        /// The scheme's name, e.g. `negotiate`.
        scheme: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}
