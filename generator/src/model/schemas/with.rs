//! The `with` modules of codegen.toml's mappings: one marker type per module, named here, and
//! through it every field, typed additional property and union variant holding the mapped value
//! is (de)serialized by that module, however deep in `Option`, `Nullable`, `Vec`, maps, boxes or
//! tuples it sits (parameters too: they are fields of a params struct). Where no generated type
//! holds the value (a whole request or response body), the module cannot apply, and a warning
//! says so.

use std::collections::BTreeMap;

use super::super::naming::{self, Namespace};
use super::super::*;
use crate::error::SpecError;
use crate::load::escape_pointer_token;

/// Tuples up to this many positions are (de)serialized position by position; the runtime has an
/// adapter for each length.
pub const MAX_WITH_TUPLE: usize = 8;

/// Names a marker for every `with` module held by a field, a typed additional property or a
/// union variant, and warns where a mapped value with a `with` module is held by no generated
/// type, or sits in a tuple longer than [`MAX_WITH_TUPLE`].
pub fn serde_markers(api: &Api) -> (Vec<SerdeMarker>, Vec<SpecError>) {
    let mut modules: BTreeMap<&WithPath, Vec<RustType>> = BTreeMap::new();
    let mut warnings = Vec::new();
    for def in &api.types {
        for (value, pointer) in held_values(def) {
            let mut found = Vec::new();
            collect(value, &mut found, &mut |tuple_len| warnings.push(tuple_warning(pointer.clone(), tuple_len)));
            // The successes of an operation by status: the client decodes each variant's type as
            // a whole body, so a value it holds directly is outside the union's fields there.
            if let (TypeKind::Union(Union { selection: Selection::Status, .. }), Some((ty, with))) =
                (&def.kind, found.first())
            {
                warnings.push(body_warning(pointer.clone(), "success response", ty, with));
            }
            for (ty, with) in found {
                let types = modules.entry(with).or_default();
                if !types.contains(ty) {
                    types.push(ty.clone());
                }
            }
        }
    }
    warnings.extend(body_warnings(api));
    (markers(api, modules), warnings)
}

/// The values a type holds where a `with` module applies, each with its pointer: fields, typed
/// additional properties and union variants.
fn held_values(def: &TypeDef) -> Vec<(&ValueType, String)> {
    let mut held = Vec::new();
    match &def.kind {
        TypeKind::Struct(object) => {
            held.extend(object.fields.iter().map(|field| {
                (&field.value, format!("{}/properties/{}", def.pointer, escape_pointer_token(&field.wire_name)))
            }));
            if let Extra::Typed { value, .. } = &object.extra {
                held.push((value.as_ref(), format!("{}/additionalProperties", def.pointer)));
            }
        }
        TypeKind::Union(union) => {
            held.extend(union.variants.iter().map(|variant| (&variant.value, def.pointer.clone())))
        }
        TypeKind::Enum(_) => {}
    }
    held
}

/// The warnings for operation bodies that hold a value mapped with a `with` module outside any
/// generated type.
fn body_warnings(api: &Api) -> Vec<SpecError> {
    let mut warnings = Vec::new();
    for operation in &api.operations {
        let mut unheld: Vec<(&ValueType, String, &str)> = Vec::new();
        if let Some(body) = &operation.body {
            unheld.push((&body.value, format!("{}/requestBody", operation.pointer), "request body"));
        }
        if let Some(ResponseBody::Json(value)) = &operation.response {
            unheld.push((value, format!("{}/responses", operation.pointer), "success response"));
        }
        if let Some(item) = operation.stream.as_ref().and_then(|stream| stream.item.as_ref()) {
            unheld.push((item, format!("{}/responses", operation.pointer), "streamed item"));
        }
        for error in &operation.errors {
            unheld.push((&error.value, format!("{}/responses", operation.pointer), "error response"));
        }
        for (value, pointer, what) in unheld {
            let mut found = Vec::new();
            collect(value, &mut found, &mut |_| {});
            if let Some((ty, with)) = found.first() {
                warnings.push(body_warning(pointer, what, ty, with));
            }
        }
    }
    warnings
}

/// One marker per module, named apart from every type, builder and alias of the crate.
fn markers(api: &Api, modules: BTreeMap<&WithPath, Vec<RustType>>) -> Vec<SerdeMarker> {
    let taken: Vec<&str> = api
        .types
        .iter()
        .flat_map(|def| std::iter::once(def.name.as_str()).chain(def.builder_name.as_deref()))
        .chain(api.aliases.iter().map(|alias| alias.name.as_str()))
        .collect();
    let mut names = Namespace::with_taken(taken);
    modules
        .into_iter()
        .map(|(module, types)| {
            let name = names.claim(naming::type_name(&format!("with {}", module.segments().join(" "))));
            SerdeMarker { name, module: module.clone(), types }
        })
        .collect()
}

/// The warning for a tuple too long for the runtime's adapters that holds a value mapped with a
/// `with` module.
fn tuple_warning(pointer: String, tuple_len: usize) -> SpecError {
    SpecError::new(
        pointer,
        format!(
            "a tuple of {tuple_len} positions holds a value codegen.toml maps with a `with` module; tuples of up to {MAX_WITH_TUPLE} positions are supported, so this one is (de)serialized with the mapped type's own impls"
        ),
    )
}

/// The warning for a body that holds a value mapped with a `with` module outside any generated
/// type, where the module cannot apply.
fn body_warning(pointer: String, what: &str, ty: &RustType, with: &WithPath) -> SpecError {
    SpecError::new(
        pointer,
        format!(
            "this {what} holds `{}` outside any generated type, and codegen.toml maps it with `{}`; a `with` module applies to values in the fields of generated types, so here the type's own impls (de)serialize it",
            ty.as_str(),
            with.as_str()
        ),
    )
}

/// Pushes the mapped types with a `with` module that `value` holds, and reports tuples too long
/// to be taken apart.
fn collect<'a>(value: &'a ValueType, found: &mut Vec<(&'a RustType, &'a WithPath)>, too_long: &mut impl FnMut(usize)) {
    match &value.shape {
        Shape::Mapped(Mapping { ty, with: Some(with) }) => found.push((ty, with)),
        Shape::Array { items, .. } => collect(items, found, too_long),
        Shape::Map { values } => collect(values, found, too_long),
        Shape::Tuple(items) => {
            let before = found.len();
            items.iter().for_each(|item| collect(item, found, too_long));
            if items.len() > MAX_WITH_TUPLE && found.len() > before {
                found.truncate(before);
                too_long(items.len());
            }
        }
        _ => {}
    }
}
