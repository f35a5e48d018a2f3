//! The command line's names: one subcommand per operation (its operationId in kebab case) with
//! its flags (the parameters, and the scalar properties of a JSON or form body), and the text
//! form of a value, which the command line and the mock's parameters share.

use super::super::naming::{self, Namespace};
use super::super::{
    Access, Api, BodyEncoding, Field, Flag, FlagTarget, Operation, Shape, Subcommand, TextForm, TextKind, TypeKind,
    ValueType,
};
use crate::emit::reserved;

impl Api {
    /// The text form of a value, looking through arrays when `list` allows: `None` for objects,
    /// maps, unions, tuples and bytes.
    pub fn text_form(&self, value: &ValueType, list: bool) -> Option<TextForm> {
        let form = |kind| TextForm { kind, values: Vec::new(), list: false };
        Some(match &value.shape {
            Shape::String(_) | Shape::Date | Shape::DateTime => form(TextKind::Text),
            Shape::Integer { .. } => form(TextKind::Integer),
            Shape::Number { .. } => form(TextKind::Number),
            Shape::Boolean => form(TextKind::Boolean),
            // A type the config chose: its text is JSON when it reads as JSON, else a string.
            Shape::Mapped(_) | Shape::Any => form(TextKind::Json),
            Shape::Named(id) => match &self.get(*id).kind {
                TypeKind::Enum(values) => TextForm {
                    kind: if values.all_strings() { TextKind::Text } else { TextKind::Json },
                    values: values.variants.iter().map(|variant| variant.wire_name.clone()).collect(),
                    list: false,
                },
                _ => return None,
            },
            Shape::Array { items, .. } if list => {
                return self.text_form(items, false).map(|form| TextForm { list: true, ..form })
            }
            Shape::Array { .. } | Shape::Map { .. } | Shape::Tuple(_) | Shape::Binary => return None,
        })
    }
}

/// Each operation's subcommand, in the order of `Api::operations`: its operationId in kebab
/// case, numbered (`get-item-2`) when another subcommand or a built-in one has it, since clap
/// refuses two of a name. Operations with a multipart body have none.
pub(super) fn subcommands(api: &Api) -> Vec<Option<Subcommand>> {
    let mut names = Namespace::with_taken(reserved::OTHER_SUBCOMMANDS.iter().copied());
    api.operations
        .iter()
        .map(|operation| {
            let multipart = operation.body.as_ref().is_some_and(|body| body.encoding == BodyEncoding::Multipart);
            if multipart {
                return None;
            }
            let name = naming::kebab_name(&operation.operation_id);
            let name = if name.is_empty() { naming::kebab_name(&operation.rust_name) } else { name };
            let mut flag_names = Namespace::with_taken(reserved::GLOBAL_FLAGS.iter().copied());
            let stream_switch = stream_switch(operation).then(|| flag_names.claim_numbered("stream".into(), "-"));
            let flags = flags(api, operation, &mut flag_names);
            Some(Subcommand { name: names.claim_numbered(name, "-"), flags, stream_switch })
        })
        .collect()
}

/// Whether the operation answers JSON or a stream by the request's `Accept` alone, so that its
/// subcommand needs a switch to ask for the stream (one asked by a body property has a flag
/// for that property already, and one that only streams needs nothing). The switch's name is
/// claimed before the other flags: `--stream`, unless a global flag has it.
fn stream_switch(operation: &Operation) -> bool {
    operation.response.is_some() && operation.stream.as_ref().is_some_and(|stream| stream.flag.is_none())
}

/// An operation's flags: every parameter (one without a text form of its own takes JSON text,
/// since a parameter has no `--body` to fall back on), then the properties of a JSON or form
/// body that have a text form and are sent. Each is the property in kebab case, numbered when a
/// global flag or an earlier flag has it.
fn flags(api: &Api, operation: &Operation, names: &mut Namespace) -> Vec<Flag> {
    let mut flags = Vec::new();
    if let Some(TypeKind::Struct(object)) = operation.params_type.map(|id| &api.get(id).kind) {
        for (index, field) in object.fields.iter().enumerate() {
            let text = api.text_form(&field.value, true).unwrap_or(TextForm {
                kind: TextKind::Json,
                values: Vec::new(),
                list: false,
            });
            let long = flag_name(names, field);
            flags.push(Flag { long, target: FlagTarget::Parameter, field: index, text, required: field.required });
        }
    }
    let Some(body) = &operation.body else { return flags };
    let Shape::Named(id) = body.value.shape else { return flags };
    let (BodyEncoding::Json | BodyEncoding::Form, TypeKind::Struct(object)) = (body.encoding, &api.get(id).kind) else {
        return flags;
    };
    for (index, field) in object.fields.iter().enumerate().filter(|(_, field)| field.access != Access::ReadOnly) {
        if let Some(text) = api.text_form(&field.value, true) {
            let long = flag_name(names, field);
            let required = field.required && body.required;
            flags.push(Flag { long, target: FlagTarget::Body, field: index, text, required });
        }
    }
    flags
}

fn flag_name(names: &mut Namespace, field: &Field) -> String {
    let name = naming::kebab_name(&field.wire_name);
    let name = if name.is_empty() { naming::kebab_name(&field.rust_name) } else { name };
    names.claim_numbered(name, "-")
}
