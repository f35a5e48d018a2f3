//! Comparing two surfaces, change by change, each judged for code using the generated client:
//! breaking when such code can stop compiling or start failing, compatible when the crate
//! absorbs it, docs when only documentation changed.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{FieldSurface, OperationSurface, Surface, TypeShape, TypeSurface};
use super::{Change, Impact};

/// What to leave out of a comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ignore {
    /// Descriptions, summaries and titles (documentation only).
    pub docs: bool,
    /// Whether a value is marked sensitive (`format: password`, `x-sensitive`, codegen.toml's
    /// `[sensitive]`): how the client holds and prints a value, not what the API sends.
    pub sensitivity: bool,
}

pub fn compare(old: &Surface, new: &Surface, ignore: Ignore) -> Vec<Change> {
    let mut changes = Changes { list: Vec::new(), ignore };
    for (id, change) in pair(&old.operations, &new.operations) {
        let subject = format!("operation `{id}`");
        match change {
            Pair::Removed => changes.push(Impact::Breaking, subject, "removed: code calling it stops compiling"),
            Pair::Added(_) => changes.push(Impact::Compatible, subject, "added"),
            Pair::Both(old, new) => changes.operation(&subject, old, new),
        }
    }
    for (name, change) in pair(&old.types, &new.types) {
        let subject = format!("type `{name}`");
        match change {
            Pair::Removed => changes.push(Impact::Breaking, subject, "removed: code naming it stops compiling"),
            Pair::Added(_) => changes.push(Impact::Compatible, subject, "added"),
            Pair::Both(old, new) => changes.type_(&subject, old, new),
        }
    }
    changes.list
}

struct Changes {
    list: Vec<Change>,
    ignore: Ignore,
}

impl Changes {
    fn push(&mut self, impact: Impact, subject: impl Into<String>, change: impl Into<String>) {
        self.list.push(Change { impact, subject: subject.into(), change: change.into() });
    }

    fn doc(&mut self, subject: &str, old: &str, new: &str) {
        if old != new && !self.ignore.docs {
            self.push(Impact::Docs, subject, "documentation changed");
        }
    }

    fn operation(&mut self, subject: &str, old: &OperationSurface, new: &OperationSurface) {
        if old.endpoint != new.endpoint {
            let change = format!("now `{}` (was `{}`); calls follow the spec", new.endpoint, old.endpoint);
            self.push(Impact::Compatible, subject, change);
        }
        for (name, change) in pair(&old.parameters, &new.parameters) {
            let subject = format!("{subject}: parameter `{name}`");
            match change {
                Pair::Removed => self.push(Impact::Breaking, subject, "removed: code setting it stops compiling"),
                Pair::Added(field) if field.required => {
                    self.push(Impact::Breaking, subject, "added, required: calls without it fail validation")
                }
                Pair::Added(_) => self.push(Impact::Compatible, subject, "added, optional"),
                Pair::Both(old, new) => self.field(&subject, old, new, true, false),
            }
        }
        match (&old.body, &new.body) {
            (Some(_), None) => {
                self.push(Impact::Breaking, subject, "request body removed: the method loses its argument")
            }
            (None, Some(_)) => self.push(Impact::Breaking, subject, "request body added: the method gains an argument"),
            (Some((old_ty, old_required)), Some((new_ty, new_required))) => {
                if old_ty != new_ty {
                    self.push(Impact::Breaking, subject, format!("request body is now `{new_ty}` (was `{old_ty}`)"));
                } else if old_required != new_required {
                    let now = if *new_required { "required" } else { "optional" };
                    self.push(
                        Impact::Breaking,
                        subject,
                        format!("request body is now {now}: the argument's type changes"),
                    );
                }
            }
            (None, None) => {}
        }
        if old.response != new.response {
            let text = |response: &Option<String>| response.clone().unwrap_or_else(|| "nothing".to_string());
            let change = format!("now returns `{}` (was `{}`)", text(&new.response), text(&old.response));
            self.push(Impact::Breaking, subject, change);
        }
        if !old.deprecated && new.deprecated {
            self.push(Impact::Compatible, subject, "deprecated: calls still compile, with a warning");
        }
        self.doc(subject, &old.doc, &new.doc);
    }

    fn type_(&mut self, subject: &str, old: &TypeSurface, new: &TypeSurface) {
        // A type used both ways is judged by the stricter rule of each.
        let request = old.in_request || new.in_request;
        let response = old.in_response || new.in_response;
        match (&old.kind, &new.kind) {
            (TypeShape::Struct { fields: old_fields, extra: old_extra }, TypeShape::Struct { fields, extra }) => {
                for (name, change) in pair(old_fields, fields) {
                    let subject = format!("{subject}: field `{name}`");
                    match change {
                        Pair::Removed => {
                            self.push(Impact::Breaking, subject, "removed: code naming it stops compiling")
                        }
                        Pair::Added(field) if request && field.required => self.push(
                            Impact::Breaking,
                            subject,
                            "added to a request, required: building the value without it fails",
                        ),
                        Pair::Added(_) => self.push(Impact::Compatible, subject, "added, optional"),
                        Pair::Both(old, new) => self.field(&subject, old, new, request, response),
                    }
                }
                if old_extra != extra {
                    let text = |extra: &Option<String>| extra.clone().unwrap_or_else(|| "ignored".to_string());
                    let change = format!("undeclared properties: now {} (was {})", text(extra), text(old_extra));
                    self.push(Impact::Breaking, subject, change);
                }
            }
            (TypeShape::Enum { values: old_values }, TypeShape::Enum { values }) => {
                for removed in old_values.difference(values) {
                    let change = format!("enum value `{removed}` removed: code naming its variant stops compiling");
                    self.push(Impact::Breaking, subject, change);
                }
                for added in values.difference(old_values) {
                    let why = if response { "responses keep unknown values anyway" } else { "a new choice" };
                    self.push(Impact::Compatible, subject, format!("enum value `{added}` added ({why})"));
                }
            }
            (TypeShape::Union { variants: old_variants }, TypeShape::Union { variants }) => {
                for (name, change) in pair(old_variants, variants) {
                    match change {
                        Pair::Removed => self.push(
                            Impact::Breaking,
                            subject,
                            format!("variant `{name}` removed: code naming it stops compiling"),
                        ),
                        Pair::Added(_) => self.push(Impact::Compatible, subject, format!("variant `{name}` added")),
                        Pair::Both(old, new) if old != new => self.push(
                            Impact::Breaking,
                            subject,
                            format!("variant `{name}` is now `{new}` (was `{old}`)"),
                        ),
                        Pair::Both(..) => {}
                    }
                }
            }
            (TypeShape::Alias { value: old_value }, TypeShape::Alias { value }) => {
                if old_value != value {
                    self.push(Impact::Breaking, subject, format!("now an alias of `{value}` (was `{old_value}`)"));
                }
            }
            (old_kind, kind) => {
                let change = format!("is now {} (was {})", kind_name(kind), kind_name(old_kind));
                self.push(Impact::Breaking, subject, change);
            }
        }
        if !old.deprecated && new.deprecated {
            self.push(Impact::Compatible, subject, "deprecated: code still compiles, with a warning");
        }
        self.doc(subject, &old.doc, &new.doc);
    }

    /// A field (or parameter) in both: its type, whether it may be absent or `null`, and its
    /// sensitivity. `request` and `response` say which ways its type travels.
    fn field(&mut self, subject: &str, old: &FieldSurface, new: &FieldSurface, request: bool, response: bool) {
        if old.ty != new.ty {
            let change = format!("type is now `{}` (was `{}`)", new.ty, old.ty);
            self.push(Impact::Breaking, subject, change);
        } else if old.rules != new.rules {
            // Requests are validated before they are sent; responses are not.
            let (impact, why) = if request {
                (Impact::Breaking, "requests are checked against them")
            } else {
                (Impact::Compatible, "responses are not checked")
            };
            let change = format!("rules are now `{}` (were `{}`); {why}", new.rules, old.rules);
            self.push(impact, subject, change);
        }
        let was_option = !old.required || old.nullable;
        let is_option = !new.required || new.nullable;
        let describe = |field: &FieldSurface| {
            let presence = if field.required { "required" } else { "optional" };
            if field.nullable {
                format!("{presence}, nullable")
            } else {
                presence.to_string()
            }
        };
        if describe(old) != describe(new) {
            let change = format!("now {} (was {})", describe(new), describe(old));
            let (old_form, new_form) = (old.rust_form(), new.rust_form());
            let reason = if response && old_form != new_form {
                // The Rust field changes between `T`, `Option<T>` and `Nullable<T>`.
                format!("; code reading it sees its type change from `{old_form}` to `{new_form}`")
            } else if request && was_option && !is_option {
                "; requests without it fail validation".to_string()
            } else {
                String::new()
            };
            let impact = if reason.is_empty() { Impact::Compatible } else { Impact::Breaking };
            self.push(impact, subject, format!("{change}{reason}"));
        }
        if !self.ignore.sensitivity {
            if old.secret != new.secret {
                let change = if new.secret {
                    "now sensitive (a `Secret`): its Rust type changes"
                } else {
                    "no longer sensitive (no longer a `Secret`): its Rust type changes"
                };
                self.push(Impact::Breaking, subject, change);
            } else if old.sensitive != new.sensitive {
                let change = if new.sensitive {
                    "now sensitive: `Debug` hides its value"
                } else {
                    "no longer sensitive: `Debug` shows its value"
                };
                self.push(Impact::Compatible, subject, change);
            }
        }
        if !old.deprecated && new.deprecated {
            self.push(Impact::Compatible, subject, "deprecated");
        }
        self.doc(subject, &old.doc, &new.doc);
    }
}

fn kind_name(kind: &TypeShape) -> &'static str {
    match kind {
        TypeShape::Struct { .. } => "a struct",
        TypeShape::Enum { .. } => "an enum",
        TypeShape::Union { .. } => "a union",
        TypeShape::Alias { .. } => "an alias",
    }
}

/// One key of two maps: only in the old, only in the new, or in both.
enum Pair<'a, V> {
    Removed,
    Added(&'a V),
    Both(&'a V, &'a V),
}

/// The keys of both maps, sorted, each with its values.
fn pair<'a, V>(old: &'a BTreeMap<String, V>, new: &'a BTreeMap<String, V>) -> Vec<(&'a str, Pair<'a, V>)> {
    let keys: BTreeSet<&str> = old.keys().chain(new.keys()).map(String::as_str).collect();
    keys.into_iter()
        .filter_map(|key| {
            let pair = match (old.get(key), new.get(key)) {
                (Some(old), Some(new)) => Pair::Both(old, new),
                (Some(_), None) => Pair::Removed,
                (None, Some(new)) => Pair::Added(new),
                (None, None) => return None,
            };
            Some((key, pair))
        })
        .collect()
}
