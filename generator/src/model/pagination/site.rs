//! What pagination detection reads of one operation: the values its request can carry (query
//! parameters and the top-level properties of a JSON body), the fields of its success
//! body (top-level, or one level inside an object such as `meta`), its array of items, and
//! whether a success response declares a `Link` header.

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};

use super::{FieldPath, FieldStep, Holder, RequestSlot, SlotPlace, SlotValue};
use crate::model::{
    Api, BodyEncoding, Field, HttpMethod, Operation, ParameterLocation, ResponseBody, Shape, TypeKind, ValueType,
};

/// The kind of a paging value, read from its type. Anything else (a date, a secret, a type the
/// config maps) is never a paging value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Integer,
    Boolean,
}

/// Objects of a response whose fields are looked at too (`meta.next_cursor`).
const CONTAINERS: &[&str] = &[
    "meta",
    "metadata",
    "pagination",
    "paging",
    "page",
    "page_info",
    "pageInfo",
    "links",
    "_links",
    "response_metadata",
];

/// Parameters and body properties whose presence says an operation lists things in pages.
const HINTS: &[&str] = &[
    "limit",
    "page_size",
    "pageSize",
    "per_page",
    "perPage",
    "max_results",
    "maxResults",
    "offset",
    "page",
    "cursor",
    "after",
    "starting_after",
    "page_token",
    "pageToken",
    "iterator",
    "bookmark",
];

/// Common names of the array of items, when a response holds more than one array.
const ITEM_ARRAYS: &[&str] = &["data", "items", "results", "records", "entries", "elements", "values", "value"];

/// One operation, as pagination detection sees it.
pub(super) struct Site<'a> {
    pub api: &'a Api,
    pub operation: &'a Operation,
    /// The success body's fields, or `None` when the body is an array.
    body: Option<&'a [Field]>,
    /// The success body's type.
    response: &'a ValueType,
    /// The fields of the JSON request body (the pager takes a body even where the operation's
    /// is optional, when it carries a paging value).
    request_body: &'a [Field],
    /// Whether a success response declares a `Link` header.
    pub link_header: bool,
}

impl<'a> Site<'a> {
    /// The operation, if it can be paged at all: a GET, or a POST whose body (if any) is JSON,
    /// answering a JSON object or array.
    pub fn read(api: &'a Api, document: &OpenAPI, operation: &'a Operation) -> Result<Self, &'static str> {
        let request_body = match (&operation.body, operation.method) {
            (None, HttpMethod::Get | HttpMethod::Post) => &[][..],
            (Some(body), HttpMethod::Post) if body.encoding == BodyEncoding::Json => match body.value.shape {
                Shape::Named(id) => struct_fields(api, id).unwrap_or_default(),
                _ => &[][..],
            },
            _ => return Err("only a GET, or a POST with a JSON body, is paged"),
        };
        let Some(ResponseBody::Json(response)) = &operation.response else {
            return Err("the operation's success has no JSON body");
        };
        if response.nullable {
            return Err("the success body may be `null`");
        }
        let body = match &response.shape {
            Shape::Named(id) => Some(struct_fields(api, *id).ok_or("the success body is not an object")?),
            Shape::Array { .. } => None,
            _ => return Err("the success body is neither an object nor an array"),
        };
        let link_header = declares_link_header(document, operation);
        Ok(Site { api, operation, body, response, request_body, link_header })
    }

    /// The array of items: the one named `name`, else the body's only array, else the one
    /// with a common name; the body itself when it is an array.
    pub fn items(&self, name: Option<&str>) -> Option<(FieldPath, ValueType)> {
        let Some(fields) = self.body else {
            let Shape::Array { items, .. } = &self.response.shape else { return None };
            return name.is_none().then(|| (Vec::new(), (**items).clone()));
        };
        let arrays: Vec<&Field> =
            fields.iter().filter(|field| matches!(field.value.shape, Shape::Array { .. })).collect();
        let field = match (name, arrays.as_slice()) {
            (Some(name), _) => arrays.iter().find(|field| field.wire_name == name)?,
            (None, [only]) => only,
            (None, _) => {
                let mut named = arrays.iter().filter(|field| ITEM_ARRAYS.contains(&field.wire_name.as_str()));
                match (named.next(), named.next()) {
                    (Some(only), None) => only,
                    _ => return None,
                }
            }
        };
        let Shape::Array { items, .. } = &field.value.shape else { return None };
        Some((vec![step(field)], (**items).clone()))
    }

    /// Whether some query parameter or request body property has a name that paging uses.
    pub fn has_paging_hint(&self) -> bool {
        self.query_parameters().any(|(_, field)| HINTS.contains(&field.wire_name.as_str()))
            || self.request_body.iter().any(|field| HINTS.contains(&field.wire_name.as_str()))
    }

    /// The first of `names` the request carries with a value of one of `kinds`: a query
    /// parameter, else a property of the JSON body.
    pub fn request_slot(&self, names: &[&str], kinds: &[Kind]) -> Option<(RequestSlot, Kind)> {
        names.iter().find_map(|name| {
            let parameter = self.query_parameters().find(|(_, field)| field.wire_name == *name);
            let (place, field) = match parameter {
                Some((index, field)) => (SlotPlace::Parameter(index), field),
                None => (SlotPlace::Body, self.request_body.iter().find(|field| field.wire_name == *name)?),
            };
            let kind = kind_of(field).filter(|kind| kinds.contains(kind))?;
            let value = match kind {
                Kind::Text => SlotValue::Text,
                Kind::Integer => SlotValue::Integer,
                Kind::Boolean => return None,
            };
            Some((RequestSlot { place, field: step(field), value }, kind))
        })
    }

    /// The first of `names` the success body holds with a value of one of `kinds`: top-level
    /// fields first, then fields of the objects in [`CONTAINERS`]. A name with a dot
    /// (`meta.next`) is that path exactly.
    pub fn response_field(&self, names: &[&str], kinds: &[Kind]) -> Option<(FieldPath, Kind)> {
        let fields = self.body?;
        let top = names.iter().find_map(|name| match name.split_once('.') {
            Some((outer, inner)) => {
                let container = fields.iter().find(|field| field.wire_name == outer)?;
                let (field, kind) = find_field(self.nested(container)?, inner, kinds)?;
                Some((vec![step(container), step(field)], kind))
            }
            None => find_field(fields, name, kinds).map(|(field, kind)| (vec![step(field)], kind)),
        });
        top.or_else(|| {
            let containers = fields.iter().filter(|field| CONTAINERS.contains(&field.wire_name.as_str()));
            containers.flat_map(|container| Some((container, self.nested(container)?))).find_map(
                |(container, inner)| {
                    let found = names.iter().filter(|name| !name.contains('.'));
                    found
                        .into_iter()
                        .find_map(|name| find_field(inner, name, kinds))
                        .map(|(field, kind)| (vec![step(container), step(field)], kind))
                },
            )
        })
    }

    /// The first of `names` an item (a struct) holds with a value of one of `kinds`.
    pub fn item_field(&self, item: &ValueType, names: &[&str], kinds: &[Kind]) -> Option<FieldPath> {
        let (Shape::Named(id), false) = (&item.shape, item.nullable) else { return None };
        let fields = struct_fields(self.api, *id)?;
        names.iter().find_map(|name| find_field(fields, name, kinds)).map(|(field, _)| vec![step(field)])
    }

    /// The fields of an object field's struct.
    fn nested(&self, container: &Field) -> Option<&'a [Field]> {
        match container.value.shape {
            Shape::Named(id) => struct_fields(self.api, id),
            _ => None,
        }
    }

    /// The query parameters with their index and their field of the params struct.
    fn query_parameters(&self) -> impl Iterator<Item = (usize, &'a Field)> + '_ {
        let fields = self.operation.params_type.and_then(|id| struct_fields(self.api, id)).unwrap_or_default();
        self.operation
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, parameter)| parameter.location == ParameterLocation::Query)
            .filter_map(move |(index, parameter)| Some((index, fields.get(parameter.field)?)))
    }
}

/// The fields of a struct type, or `None` for another kind of type.
fn struct_fields(api: &Api, id: crate::model::TypeId) -> Option<&[Field]> {
    match &api.types.get(id.0)?.kind {
        TypeKind::Struct(object) => Some(&object.fields),
        _ => None,
    }
}

fn find_field<'f>(fields: &'f [Field], name: &str, kinds: &[Kind]) -> Option<(&'f Field, Kind)> {
    let field = fields.iter().find(|field| field.wire_name == name)?;
    kind_of(field).filter(|kind| kinds.contains(kind)).map(|kind| (field, kind))
}

/// The kind of a field's value, if it can be a paging value.
fn kind_of(field: &Field) -> Option<Kind> {
    if field.secret {
        return None;
    }
    match field.value.shape {
        Shape::String(_) => Some(Kind::Text),
        Shape::Integer { .. } => Some(Kind::Integer),
        Shape::Boolean => Some(Kind::Boolean),
        _ => None,
    }
}

/// A field as one step of a path.
pub(super) fn step(field: &Field) -> FieldStep {
    let holder = match (field.tri_state, field.is_option()) {
        (true, _) => Holder::Nullable,
        (false, true) => Holder::Option,
        (false, false) => Holder::Plain,
    };
    FieldStep { wire_name: field.wire_name.clone(), rust_name: field.rust_name.clone(), holder }
}

/// Whether a 2xx response of the operation declares a `Link` header (itself or through a
/// `$ref` to `components/responses`).
fn declares_link_header(document: &OpenAPI, operation: &Operation) -> bool {
    let Some(ReferenceOr::Item(item)) = document.paths.paths.get(&operation.path) else { return false };
    let spec_operation = match operation.method {
        HttpMethod::Get => item.get.as_ref(),
        HttpMethod::Post => item.post.as_ref(),
        _ => None,
    };
    let Some(spec_operation) = spec_operation else { return false };
    spec_operation.responses.responses.iter().any(|(status, response)| {
        let success = match status {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(class) => *class == 2,
        };
        let response = match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/responses/")
                .and_then(|name| {
                    document.components.as_ref()?.responses.get(&*crate::load::unescape_pointer_token(name))
                })
                .and_then(|response| response.as_item()),
        };
        success
            && response.is_some_and(|response| response.headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
    })
}
