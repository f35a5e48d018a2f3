//! Sending an operation's parameters: the path with its placeholders filled in, query pairs and
//! headers, each value written as text the way its `style` asks.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{
    Api, ArrayStyle, Field, Operation, Parameter, ParameterLocation, Shape, TypeDef, TypeKind, ValueType,
};

/// The statements that build `request` for an operation, given the HTTP method tokens. With
/// parameters, a `params` variable holds the params struct.
pub fn build_request(api: &Api, operation: &Operation, http_method: &TokenStream) -> TokenStream {
    let authenticated = operation.authenticated;
    let fields = params_fields(api, operation);
    let (bindings, path) = path_expr(operation, fields);
    let query: Vec<TokenStream> = parameters_in(operation, fields, ParameterLocation::Query)
        .map(|(parameter, field)| query_pairs(parameter, field))
        .collect();
    let headers: Vec<TokenStream> = parameters_in(operation, fields, ParameterLocation::Header)
        .map(|(parameter, field)| header(parameter, field))
        .collect();
    let query = if query.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            let mut query: Vec<(&str, String)> = Vec::new();
            #(#query)*
            request = request.query(&query);
        }
    };
    if query.is_empty() && headers.is_empty() {
        return quote!(#bindings let request = self.request(reqwest::Method::#http_method, #path, #authenticated););
    }
    quote! {
        #bindings
        let mut request = self.request(reqwest::Method::#http_method, #path, #authenticated);
        #query
        #(#headers)*
    }
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
        .filter_map(move |p| fields.iter().find(|f| f.rust_name == p.rust_name).map(|f| (p, f)))
}

/// The path, with placeholders replaced by percent-encoded parameter values bound to local
/// variables first, joined from its pieces (spec text never becomes a format string).
fn path_expr(operation: &Operation, fields: &[Field]) -> (TokenStream, TokenStream) {
    let path = &operation.path;
    if !path.contains('{') {
        return (TokenStream::new(), quote!(#path));
    }
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut bindings = Vec::new();
    let mut rest = path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else { break };
        push_text(&mut pieces, &rest[..start]);
        let name = &rest[start + 1..start + length];
        match parameters_in(operation, fields, ParameterLocation::Path).find(|(p, _)| p.wire_name == name) {
            Some((parameter, field)) => {
                let variable = ident(&field.rust_name);
                pieces.push(quote!(#variable.as_str()));
                let rust_name = ident(&field.rust_name);
                let text = if field.is_option() {
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
                };
                bindings.push(quote!(let #variable = transport::encode_path_segment(#text);));
            }
            // The model checked that every placeholder has a parameter; keep the text otherwise.
            None => push_text(&mut pieces, &rest[start..=start + length]),
        }
        rest = &rest[start + length + 1..];
    }
    push_text(&mut pieces, rest);
    (quote!(#(#bindings)*), quote!(&[#(#pieces),*].concat()))
}

/// A literal piece of the path, as a string literal (left out when empty).
fn push_text(pieces: &mut Vec<TokenStream>, text: &str) {
    if !text.is_empty() {
        pieces.push(quote!(#text));
    }
}

fn query_pairs(parameter: &Parameter, field: &Field) -> TokenStream {
    let wire = &parameter.wire_name;
    let push = match (&field.value.shape, parameter.style) {
        (Shape::Array { items, .. }, ArrayStyle::Repeat) => {
            let text = scalar_text(items);
            quote! {
                for value in value.iter() {
                    query.push((#wire, #text));
                }
            }
        }
        _ => {
            let text = joined_text(&ValueType { nullable: false, ..field.value.clone() }, parameter.style);
            quote!(query.push((#wire, #text));)
        }
    };
    with_value(field, push)
}

fn header(parameter: &Parameter, field: &Field) -> TokenStream {
    let wire = &parameter.wire_name;
    let text = joined_text(&ValueType { nullable: false, ..field.value.clone() }, parameter.style);
    with_value(field, quote!(request = request.header(#wire, #text);))
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
            let separator = match style {
                ArrayStyle::Space => " ",
                ArrayStyle::Pipe => "|",
                ArrayStyle::Comma | ArrayStyle::Repeat => ",",
            };
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
