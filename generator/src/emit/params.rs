//! Sending an operation's parameters: the path with its placeholders filled in, query pairs,
//! headers and the `Cookie` header, each value written as text the way its `style` asks. Scalars
//! and arrays of them are written directly; objects, maps, unions and `content` parameters go
//! through JSON and the helpers of the generated `src/params.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::rust_type::{field_adapter, value_adapter};
use crate::model::{
    Api, ArrayStyle, Field, Operation, Parameter, ParameterEncoding, ParameterLocation, ParameterStyle, PathSegment,
    Shape, TypeDef, TypeKind, ValueType,
};

/// The statements that build `request` for an operation, given the HTTP method tokens. With
/// parameters, a `params` variable holds the params struct.
pub fn build_request(api: &Api, operation: &Operation, http_method: &TokenStream) -> TokenStream {
    let fields = params_fields(api, operation);
    let (bindings, path) = path_expr(api, operation, fields);
    let query: Vec<TokenStream> = parameters_in(operation, fields, ParameterLocation::Query)
        .map(|(parameter, field)| query_pairs(api, parameter, field))
        .collect();
    let headers: Vec<TokenStream> = parameters_in(operation, fields, ParameterLocation::Header)
        .map(|(parameter, field)| header(api, parameter, field))
        .collect();
    let cookies: Vec<TokenStream> = parameters_in(operation, fields, ParameterLocation::Cookie)
        .map(|(parameter, field)| cookie(api, parameter, field))
        .collect();
    let query = if query.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            let mut query: Vec<(String, String)> = Vec::new();
            #(#query)*
            request = request.query(&query);
        }
    };
    // Every cookie parameter goes into one `Cookie` header, `name=value; name2=value2`.
    let cookies = if cookies.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            let mut cookies: Vec<String> = Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                request = request.header(reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    };
    if query.is_empty() && headers.is_empty() && cookies.is_empty() {
        return quote!(#bindings let request = self.transport.request(reqwest::Method::#http_method, #path););
    }
    quote! {
        #bindings
        let mut request = self.transport.request(reqwest::Method::#http_method, #path);
        #query
        #(#headers)*
        #cookies
    }
}

/// Which runtime helpers of `src/params.rs` the operations use.
/// Which styles of parameter values some operation writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParamHelpers {
    /// `form`, `spaceDelimited` and `pipeDelimited` query parameters.
    pub form: bool,
    /// `deepObject` query parameters.
    pub deep_object: bool,
    /// `simple` path and header parameters, and cookies.
    pub simple: bool,
    /// `label` path parameters.
    pub label: bool,
    /// `matrix` path parameters.
    pub matrix: bool,
}

impl ParamHelpers {
    /// Whether the crate needs any of them.
    pub fn any(self) -> bool {
        self.form || self.deep_object || self.simple || self.label || self.matrix
    }
}

pub fn helpers(api: &Api) -> ParamHelpers {
    let mut helpers = ParamHelpers::default();
    for parameter in api.operations.iter().flat_map(|o| &o.parameters) {
        match (parameter.location, parameter.encoding) {
            (ParameterLocation::Cookie, _) => helpers.simple = true,
            (_, ParameterEncoding::Styled { style: ParameterStyle::DeepObject, .. }) => helpers.deep_object = true,
            (_, ParameterEncoding::Styled { style: ParameterStyle::Label, .. }) => helpers.label = true,
            (_, ParameterEncoding::Styled { style: ParameterStyle::Matrix, .. }) => helpers.matrix = true,
            (ParameterLocation::Query, ParameterEncoding::Styled { .. }) => helpers.form = true,
            (_, ParameterEncoding::Styled { .. }) => helpers.simple = true,
            _ => {}
        }
    }
    helpers
}

/// `serde_json::Value` of the value bound to `expr`, through codegen.toml's `with` modules when
/// `adapter` carries them. Serializing the crate's own types to a JSON value cannot fail (every
/// map key is a string).
fn json(adapter: &Option<TokenStream>, expr: TokenStream) -> TokenStream {
    match adapter {
        Some(adapter) => {
            quote!(crate::mapped_serde::serialize::<#adapter, _, _>(#expr, serde_json::value::Serializer).unwrap_or_default())
        }
        None => quote!(serde_json::to_value(#expr).unwrap_or_default()),
    }
}

/// The JSON text of the value bound to `expr`, for parameters described by `content`.
fn json_text(adapter: &Option<TokenStream>, expr: TokenStream) -> TokenStream {
    match adapter {
        Some(_) => {
            let value = json(adapter, expr);
            quote!(#value.to_string())
        }
        None => quote!(serde_json::to_string(#expr).unwrap_or_default()),
    }
}

/// The `with` adapter of a parameter's value once present (the `value` the writers bind).
fn present_adapter(api: &Api, field: &Field) -> Option<TokenStream> {
    value_adapter(api, &ValueType { nullable: false, ..field.value.clone() })
}

fn params_fields<'a>(api: &'a Api, operation: &Operation) -> &'a [Field] {
    match operation.params_type.map(|id| api.get(id)) {
        Some(TypeDef { kind: TypeKind::Struct(object), .. }) => &object.fields,
        _ => &[],
    }
}

fn parameters_in<'a>(
    operation: &'a Operation,
    fields: &'a [Field],
    location: ParameterLocation,
) -> impl Iterator<Item = (&'a Parameter, &'a Field)> {
    operation
        .parameters
        .iter()
        .filter(move |p| p.location == location)
        .filter_map(move |p| fields.get(p.field).map(|f| (p, f)))
}

/// The path, with placeholders replaced by percent-encoded parameter values bound to local
/// variables first, joined from its pieces (spec text never becomes a format string).
fn path_expr(api: &Api, operation: &Operation, fields: &[Field]) -> (TokenStream, TokenStream) {
    if !operation.has_path_parameters() {
        let path = &operation.path;
        return (TokenStream::new(), quote!(#path));
    }
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut bindings = Vec::new();
    for segment in &operation.path_template {
        let filled = match segment {
            PathSegment::Literal(text) => {
                push_text(&mut pieces, text);
                continue;
            }
            PathSegment::Parameter(index) => operation.parameters.get(*index),
        };
        let Some((parameter, field)) = filled.and_then(|p| fields.get(p.field).map(|f| (p, f))) else { continue };
        let variable = ident(&field.rust_name);
        pieces.push(quote!(#variable.as_str()));
        let value = path_value(api, parameter, field);
        bindings.push(quote!(let #variable = #value;));
    }
    (quote!(#(#bindings)*), quote!(&[#(#pieces),*].concat()))
}

/// The percent-encoded text of a path parameter's value.
fn path_value(api: &Api, parameter: &Parameter, field: &Field) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    match parameter.encoding {
        ParameterEncoding::Text => {
            let text = path_text(parameter, field);
            quote!(crate::params::encode(#text))
        }
        ParameterEncoding::Json => {
            let text = json_text(&field_adapter(api, field), quote!(&params.#rust_name));
            quote!(crate::params::encode(&#text))
        }
        // The helpers percent-encode the values and keep the style's punctuation.
        ParameterEncoding::Styled { style, explode } => {
            let value = json(&field_adapter(api, field), quote!(&params.#rust_name));
            let wire = &parameter.wire_name;
            match style {
                ParameterStyle::Label => quote!(crate::params::label_text(&#value, #explode)),
                ParameterStyle::Matrix => quote!(crate::params::matrix_text(#wire, &#value, #explode)),
                _ => quote!(crate::params::simple_text(&#value, #explode, true)),
            }
        }
    }
}

/// The text of a scalar (or array) path parameter, before percent-encoding.
fn path_text(parameter: &Parameter, field: &Field) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    if field.is_option() {
        let text = joined_text(&ValueType { nullable: false, ..field.value.clone() }, parameter.style);
        quote!(&params.#rust_name.as_ref().map(|value| #text).unwrap_or_default())
    } else if matches!(field.value.shape, Shape::String(_)) {
        quote!(&params.#rust_name)
    } else if matches!(field.value.shape, Shape::DateTime) {
        quote!(&params.#rust_name.to_rfc3339())
    } else if !matches!(field.value.shape, Shape::Array { .. }) {
        quote!(&params.#rust_name.to_string())
    } else {
        let text = joined_text(&field.value, parameter.style);
        quote!(&{ let value = &params.#rust_name; #text })
    }
}

/// A literal piece of the path, as a string literal (left out when empty).
fn push_text(pieces: &mut Vec<TokenStream>, text: &str) {
    if !text.is_empty() {
        pieces.push(quote!(#text));
    }
}

fn query_pairs(api: &Api, parameter: &Parameter, field: &Field) -> TokenStream {
    let wire = &parameter.wire_name;
    let adapter = present_adapter(api, field);
    let push = match (&field.value.shape, parameter.encoding, parameter.style) {
        (_, ParameterEncoding::Json, _) => {
            let text = json_text(&adapter, quote!(value));
            quote!(query.push((#wire.to_owned(), #text));)
        }
        (_, ParameterEncoding::Styled { style: ParameterStyle::DeepObject, .. }, _) => {
            let value = json(&adapter, quote!(value));
            quote!(crate::params::deep_object_pairs(#wire.to_owned(), &#value, &mut query);)
        }
        (_, ParameterEncoding::Styled { explode, .. }, style) => {
            let value = json(&adapter, quote!(value));
            let separator = separator(style);
            quote!(crate::params::form_pairs(#wire, &#value, #explode, #separator, &mut query);)
        }
        (Shape::Array { items, .. }, ParameterEncoding::Text, ArrayStyle::Repeat) => {
            let text = scalar_text(items);
            quote! {
                for value in value.iter() {
                    query.push((#wire.to_owned(), #text));
                }
            }
        }
        (_, ParameterEncoding::Text, _) => {
            let text = joined_text(&ValueType { nullable: false, ..field.value.clone() }, parameter.style);
            quote!(query.push((#wire.to_owned(), #text));)
        }
    };
    with_value(field, push)
}

fn header(api: &Api, parameter: &Parameter, field: &Field) -> TokenStream {
    let wire = &parameter.wire_name;
    let adapter = present_adapter(api, field);
    let text = match parameter.encoding {
        ParameterEncoding::Text => joined_text(&ValueType { nullable: false, ..field.value.clone() }, parameter.style),
        ParameterEncoding::Json => json_text(&adapter, quote!(value)),
        ParameterEncoding::Styled { explode, .. } => {
            let value = json(&adapter, quote!(value));
            quote!(crate::params::simple_text(&#value, #explode, false))
        }
    };
    with_value(field, quote!(request = request.header(#wire, #text);))
}

/// Pushes `name=value` onto `cookies`, the value percent-encoded (arrays and objects
/// comma-separated, as the `form` style without explode writes them).
fn cookie(api: &Api, parameter: &Parameter, field: &Field) -> TokenStream {
    let wire = &parameter.wire_name;
    let adapter = present_adapter(api, field);
    let value = match parameter.encoding {
        ParameterEncoding::Json => {
            let text = json_text(&adapter, quote!(value));
            quote!(serde_json::Value::String(#text))
        }
        _ => json(&adapter, quote!(value)),
    };
    let text = quote!(crate::params::simple_text(&#value, false, true));
    with_value(field, quote!(cookies.push(#wire.to_owned() + "=" + &#text);))
}

fn separator(style: ArrayStyle) -> &'static str {
    match style {
        ArrayStyle::Space => " ",
        ArrayStyle::Pipe => "|",
        ArrayStyle::Comma | ArrayStyle::Repeat => ",",
    }
}

/// Runs `body` with `value` bound to a reference to the field's value, when it has one.
fn with_value(field: &Field, body: TokenStream) -> TokenStream {
    let rust_name = ident(&field.rust_name);
    if field.is_option() {
        quote! {
            if let Some(value) = &params.#rust_name {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &params.#rust_name;
                #body
            }
        }
    }
}

/// A `String` for the value bound to `value`; arrays are joined with the style's separator.
fn joined_text(value: &ValueType, style: ArrayStyle) -> TokenStream {
    match &value.shape {
        Shape::Array { items, .. } => {
            let separator = separator(style);
            if matches!(items.shape, Shape::String(_)) && !items.nullable {
                return quote!(value.join(#separator));
            }
            let text = scalar_text(items);
            quote!(value.iter().map(|value| #text).collect::<Vec<_>>().join(#separator))
        }
        _ => scalar_text(value),
    }
}

/// A `String` for the scalar (or enum) value bound to `value`.
fn scalar_text(value: &ValueType) -> TokenStream {
    let text = match &value.shape {
        Shape::String(_) => quote!(value.clone()),
        Shape::DateTime => quote!(value.to_rfc3339()),
        Shape::Named(_) => quote!(value.to_string()),
        _ => quote!(value.to_string()),
    };
    if value.nullable {
        quote!(value.as_ref().map(|value| #text).unwrap_or_default())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_filled_in_where_the_model_read_its_placeholders() {
        let document: openapiv3::OpenAPI =
            serde_yaml::from_str(crate::model::ODD_TEMPLATE_SPEC).expect("a valid document");
        let api = crate::model::lower(&document, Some("t")).expect("lowers");
        let operation = &api.operations[0];
        let (bindings, path) = path_expr(&api, operation, params_fields(&api, operation));
        // `{{id}}` is `{`, the placeholder `id`, `}`; `{z` has no `}` and is text.
        let expected = quote!(&["/a/{", id.as_str(), "}/", id.as_str(), "x", y.as_str(), "/{z"].concat());
        assert_eq!(path.to_string(), expected.to_string());
        let bindings = bindings.to_string();
        assert!(bindings.contains("let id =") && bindings.contains("let y ="), "{bindings}");
    }
}
