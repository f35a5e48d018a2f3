//! Multi-file specs: resolves `$ref`s to other files into one document.
//!
//! References are followed only where OpenAPI allows one (see [`walk`](super::walk)), never
//! inside example data, defaults or enums. A reference is resolved relative to the file it is
//! written in, and its target is read in the context of its own file, so the target's own
//! relative and local (`#/…`) references work as they would there.
//!
//! - A schema from another file is *hoisted*: copied under `components/schemas` with a name from
//!   the last token of its pointer (or the file's stem), made unique, and the reference rewritten
//!   to `#/components/schemas/<name>`. Every reference to the same target gets the same name, so
//!   recursive schemas stay recursive and types get names. A root component that is nothing but a
//!   reference to another file is replaced by its target and keeps its own name.
//! - Everything else (path items, parameters, responses, request bodies, headers, examples, …)
//!   is *inlined*: the reference object is replaced by a copy of its target. A cycle of such
//!   references cannot be inlined and is reported.
//! - Path items and callbacks given by a local reference (`$ref: '#/paths/~1other'`) are
//!   inlined too: the generator reads paths as written, and `openapiv3` reads an operation's
//!   callbacks only inline.
//! - A container given by reference where OpenAPI allows none (`content: {$ref: …}`, a whole
//!   `properties` map or parameter list in another file) is inlined, as bundlers do.
//!
//! Problems are reported with the pointer of the reference, prefixed by its file when that is
//! not the root file (`resources/a.yml#/properties/x/$ref`).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_yaml::{Mapping, Value};

use super::walk::{container_references, extend_pointer, for_each_child, reference_of, Obj, Slot, Step};
use super::{escape_pointer_token, raw, unescape_pointer_token};
use crate::error::{Error, SpecError};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Resolves the external references of `document` (the root file at `path`) in place.
/// Returns the warnings of the files read, or every problem found.
pub(super) fn bundle(path: &Path, document: &mut Value) -> Result<Vec<SpecError>, Vec<SpecError>> {
    if !needed(document) {
        return Ok(Vec::new());
    }
    let root_path = canonical(path).unwrap_or_else(|| path.to_path_buf());
    let root_dir = root_path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = Rc::new(File { path: root_path.clone(), label: String::new(), is_root: true });
    let mut bundler = Bundler {
        root_dir,
        root_path: root_path.clone(),
        files: HashMap::new(),
        names: HashMap::new(),
        taken: HashSet::new(),
        in_place: HashSet::new(),
        hoisted: IndexMap::new(),
        inlining: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    bundler.files.insert(root_path, Some(Rc::new(document.clone())));
    bundler.claim_root_components(document, &root);
    bundler.walk(Obj::Document, document, &root, "#");
    if !bundler.errors.is_empty() {
        return Err(bundler.errors);
    }
    if !bundler.hoisted.is_empty() {
        append_schemas(document, bundler.hoisted);
    }
    Ok(bundler.warnings)
}

/// Whether the document refers to other files (or gives a path item by reference), so that
/// [`bundle`] changes it.
pub(super) fn needed(document: &mut Value) -> bool {
    needs_bundling(Obj::Document, document)
}

/// Whether anything in the document needs this pass: a reference to another file, or a path
/// item given by reference. Single-file specs (the common case) skip the copy bundling needs.
fn needs_bundling(obj: Obj, node: &mut Value) -> bool {
    if obj.may_be_reference() {
        if let Some(reference) = reference_of(node) {
            return inlined_always(obj) || !reference.starts_with('#');
        }
    }
    if obj == Obj::Schema && mapping_refs(node).any(|target| !target.starts_with('#')) {
        return true;
    }
    if !container_references(obj, node).is_empty() {
        return true;
    }
    let mut found = false;
    for_each_child(obj, node, &mut |_, child, value| found = found || needs_bundling(child, value));
    found
}

/// Path items and callbacks given by a local reference are inlined too: the generator reads
/// paths as written, and `openapiv3` reads an operation's callbacks only inline.
fn inlined_always(obj: Obj) -> bool {
    matches!(obj, Obj::PathItem | Obj::Callback)
}

/// The values of a schema's `discriminator.mapping` that are references rather than names.
fn mapping_refs(node: &Value) -> impl Iterator<Item = &str> {
    node.get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flat_map(|mapping| mapping.values())
        .filter_map(Value::as_str)
        .filter(|target| looks_like_reference(target))
}

fn looks_like_reference(target: &str) -> bool {
    target.contains('#') || [".yaml", ".yml", ".json"].iter().any(|ext| target.to_ascii_lowercase().ends_with(ext))
}

/// Appends hoisted schemas to the root's `components/schemas`, creating the maps if needed.
fn append_schemas(document: &mut Value, hoisted: IndexMap<String, Value>) {
    let Value::Mapping(root) = document else { return };
    let components = root.entry(Value::from("components")).or_insert_with(|| Value::Mapping(Mapping::new()));
    if !components.is_mapping() {
        *components = Value::Mapping(Mapping::new());
    }
    let Value::Mapping(components) = components else { return };
    let schemas = components.entry(Value::from("schemas")).or_insert_with(|| Value::Mapping(Mapping::new()));
    if !schemas.is_mapping() {
        *schemas = Value::Mapping(Mapping::new());
    }
    let Value::Mapping(schemas) = schemas else { return };
    for (name, schema) in hoisted {
        schemas.insert(Value::String(name), schema);
    }
}

/// A file taking part in the bundle.
struct File {
    path: PathBuf,
    /// How pointers into this file are prefixed: empty for the root, else its path relative to
    /// the root file's directory.
    label: String,
    is_root: bool,
}

struct Bundler {
    root_dir: PathBuf,
    root_path: PathBuf,
    /// Parsed files by canonical path; `None` when reading or parsing failed (reported once).
    files: HashMap<PathBuf, Option<Rc<Value>>>,
    /// The component name given to each hoisted schema: (file, pointer) → name.
    names: HashMap<(PathBuf, String), String>,
    taken: HashSet<String>,
    /// Root components that are references to other files, replaced by their targets in place.
    in_place: HashSet<String>,
    /// Hoisted schemas, in order of first use; `Null` while being resolved.
    hoisted: IndexMap<String, Value>,
    /// Inlined references being resolved, outermost first: a repeat is a cycle.
    inlining: Vec<(PathBuf, String, String)>,
    errors: Vec<SpecError>,
    warnings: Vec<SpecError>,
}

/// Where a reference leads.
struct Target {
    file: Rc<File>,
    /// The JSON pointer inside the file, without `#` (empty for the whole file).
    fragment: String,
}

impl Bundler {
    fn claim_root_components(&mut self, document: &Value, root: &Rc<File>) {
        let Some(schemas) = document.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_mapping)
        else {
            return;
        };
        for name in schemas.keys().filter_map(Value::as_str) {
            self.taken.insert(name.to_string());
        }
        for (name, schema) in schemas {
            let (Some(name), Some(reference)) = (name.as_str(), reference_of(schema)) else { continue };
            if reference.starts_with('#') {
                continue;
            }
            let pointer = format!("{SCHEMA_PREFIX}{}", escape_pointer_token(name));
            // Errors are reported when the walk reaches the reference.
            let errors = self.errors.len();
            if let Some(target) = self.target(reference, root, &pointer) {
                let key = (target.file.path.clone(), target.fragment.clone());
                if !target.file.is_root && !self.names.contains_key(&key) {
                    self.names.insert(key, name.to_string());
                    self.in_place.insert(name.to_string());
                }
            }
            self.errors.truncate(errors);
        }
    }

    fn walk(&mut self, obj: Obj, node: &mut Value, file: &Rc<File>, pointer: &str) {
        if obj.may_be_reference() && reference_of(node).is_some() {
            self.reference(obj, node, file, pointer);
            return;
        }
        if obj == Obj::Schema {
            self.discriminator_mapping(node, file, pointer);
        }
        let inlined = self.containers(obj, node, file, pointer);
        for_each_child(obj, node, &mut |steps, child, value| {
            if let Some(Step::Key(key)) = steps.first() {
                if inlined.contains(&key.as_str()) {
                    return;
                }
            }
            self.walk(child, value, file, &extend_pointer(pointer, steps));
        });
    }

    /// Inlines the containers given by reference (see [`container_references`]) and walks their
    /// contents in the context of the file they come from; returns their keys, which the caller
    /// must not walk again.
    fn containers(&mut self, obj: Obj, node: &mut Value, file: &Rc<File>, pointer: &str) -> Vec<&'static str> {
        let slots = container_references(obj, node);
        let mut done = Vec::new();
        for (key, slot) in slots {
            let Some(slot_node) = node.get_mut(key) else { continue };
            let slot_pointer = format!("{pointer}/{key}");
            let ref_pointer = format!("{}{slot_pointer}/$ref", file.label);
            let Some(reference) = reference_of(slot_node).map(str::to_string) else { continue };
            let Some(target) = self.target(&reference, file, &ref_pointer) else { continue };
            let Some(mut content) = self.resolve(&target, &reference, &ref_pointer) else { continue };
            let label = format!("{}#{}", target.file.label, target.fragment);
            if self.is_cycle(&target, &label, &ref_pointer, "container") {
                continue;
            }
            self.inlining.push((target.file.path.clone(), target.fragment.clone(), label));
            let target_pointer = format!("#{}", target.fragment);
            match slot {
                Slot::One(child) => self.walk(child, &mut content, &target.file, &target_pointer),
                Slot::Map(child) => {
                    if let Value::Mapping(entries) = &mut content {
                        for (name, value) in entries.iter_mut() {
                            let at = extend_pointer(
                                &target_pointer,
                                &[Step::Key(name.as_str().unwrap_or_default().to_string())],
                            );
                            self.walk(child, value, &target.file, &at);
                        }
                    }
                }
                Slot::List(child) => {
                    if let Value::Sequence(items) = &mut content {
                        for (index, value) in items.iter_mut().enumerate() {
                            self.walk(child, value, &target.file, &format!("{target_pointer}/{index}"));
                        }
                    }
                }
            }
            self.inlining.pop();
            *slot_node = content;
            done.push(key);
        }
        done
    }

    /// Reports a reference that leads back into one being inlined.
    fn is_cycle(&mut self, target: &Target, label: &str, ref_pointer: &str, noun: &str) -> bool {
        let same = |(path, fragment, _): &&(PathBuf, String, String)| {
            *path == target.file.path && *fragment == target.fragment
        };
        if !self.inlining.iter().any(|entry| same(&entry)) {
            return false;
        }
        let mut chain: Vec<&str> =
            self.inlining.iter().skip_while(|entry| !same(entry)).map(|(_, _, label)| label.as_str()).collect();
        chain.push(label);
        let message = format!(
            "this {noun} reference leads back to itself ({}); a {noun} cannot contain itself, break the cycle",
            chain.join(" → ")
        );
        self.errors.push(SpecError::new(ref_pointer, message));
        true
    }

    fn reference(&mut self, obj: Obj, node: &mut Value, file: &Rc<File>, pointer: &str) {
        let Some(reference) = reference_of(node).map(str::to_string) else { return };
        let ref_pointer = format!("{}{pointer}/$ref", file.label);
        if file.is_root && reference.starts_with('#') && !inlined_always(obj) {
            return;
        }
        let Some(target) = self.target(&reference, file, &ref_pointer) else { return };
        if target.file.is_root && !inlined_always(obj) {
            // Back into the root document: a local reference there.
            set_reference(node, format!("#{}", target.fragment));
            return;
        }
        let Some(mut content) = self.resolve(&target, &reference, &ref_pointer) else { return };
        let target_pointer = format!("#{}", target.fragment);
        if obj == Obj::Schema {
            let key = (target.file.path.clone(), target.fragment.clone());
            let name = match self.names.get(&key) {
                Some(name) => name.clone(),
                None => {
                    let name = self.unique_name(&target);
                    self.names.insert(key, name.clone());
                    name
                }
            };
            let own_slot = file.is_root && pointer == format!("{SCHEMA_PREFIX}{}", escape_pointer_token(&name));
            if own_slot && self.in_place.remove(&name) {
                self.walk(Obj::Schema, &mut content, &target.file, &target_pointer);
                *node = content;
                return;
            }
            set_reference(node, format!("{SCHEMA_PREFIX}{}", escape_pointer_token(&name)));
            if !self.in_place.contains(&name) && !self.hoisted.contains_key(&name) {
                self.hoisted.insert(name.clone(), Value::Null);
                self.walk(Obj::Schema, &mut content, &target.file, &target_pointer);
                self.hoisted.insert(name, content);
            }
            return;
        }
        let label = format!("{}#{}", target.file.label, target.fragment);
        if self.is_cycle(&target, &label, &ref_pointer, obj.noun()) {
            return;
        }
        self.inlining.push((target.file.path.clone(), target.fragment.clone(), label));
        self.walk(obj, &mut content, &target.file, &target_pointer);
        self.inlining.pop();
        *node = content;
    }

    /// Rewrites `discriminator.mapping` values that point into other files.
    fn discriminator_mapping(&mut self, node: &mut Value, file: &Rc<File>, pointer: &str) {
        let targets: Vec<(String, String)> = match node.get("discriminator").and_then(|d| d.get("mapping")) {
            Some(Value::Mapping(mapping)) => mapping
                .iter()
                .filter_map(|(key, value)| Some((key.as_str()?.to_string(), value.as_str()?.to_string())))
                .filter(|(_, target)| looks_like_reference(target) && !(file.is_root && target.starts_with('#')))
                .collect(),
            _ => return,
        };
        for (key, target) in targets {
            let mut reference = Value::Mapping(Mapping::from_iter([(Value::from("$ref"), Value::from(target))]));
            let at = format!("{pointer}/discriminator/mapping/{}", escape_pointer_token(&key));
            // The reference object stands in for the mapping value; its pointer ends in `/$ref`.
            self.reference(Obj::Schema, &mut reference, file, &at);
            if let (Some(rewritten), Some(Value::Mapping(mapping))) = (
                reference_of(&reference).map(str::to_string),
                node.get_mut("discriminator").and_then(|d| d.get_mut("mapping")),
            ) {
                mapping.insert(Value::String(key), Value::String(rewritten));
            }
        }
    }

    /// Finds the file and pointer a reference written in `file` leads to.
    fn target(&mut self, reference: &str, file: &Rc<File>, ref_pointer: &str) -> Option<Target> {
        let (location, fragment) = match reference.split_once('#') {
            Some((location, fragment)) => (location, percent_decode(fragment)),
            None => (reference, String::new()),
        };
        if location.is_empty() {
            return Some(Target { file: file.clone(), fragment });
        }
        if location.contains("://") {
            self.errors.push(SpecError::new(
                ref_pointer,
                format!("`{reference}` refers to a remote document, which is not fetched; download it and refer to it by a relative path"),
            ));
            return None;
        }
        let location = percent_decode(location);
        let directory = file.path.parent().unwrap_or(Path::new(""));
        let joined = normalize(&directory.join(&location));
        let Some(path) = canonical(&joined) else {
            self.errors.push(SpecError::new(
                ref_pointer,
                format!(
                    "`{reference}` refers to the file {}, which does not exist; references are resolved relative to the file they are written in",
                    self.label_of(&joined)
                ),
            ));
            return None;
        };
        if path == self.root_path {
            return Some(Target { file: Rc::new(File { path, label: String::new(), is_root: true }), fragment });
        }
        let label = self.label_of(&path);
        Some(Target { file: Rc::new(File { path, label, is_root: false }), fragment })
    }

    /// The node a target names, reading its file if needed.
    fn resolve(&mut self, target: &Target, reference: &str, ref_pointer: &str) -> Option<Value> {
        let document = self.read(&target.file, ref_pointer)?;
        match lookup(&document, &target.fragment) {
            Some(node) => Some(node.clone()),
            None => {
                let file =
                    if target.file.is_root { "the root document".to_string() } else { target.file.label.clone() };
                self.errors.push(SpecError::new(
                    ref_pointer,
                    format!("`{reference}` points to `#{}`, which does not exist in {file}", target.fragment),
                ));
                None
            }
        }
    }

    fn read(&mut self, file: &File, ref_pointer: &str) -> Option<Rc<Value>> {
        if let Some(cached) = self.files.get(&file.path) {
            return cached.clone();
        }
        let parsed = match std::fs::read_to_string(&file.path) {
            Err(error) => {
                self.errors.push(SpecError::new(ref_pointer, format!("cannot read {}: {error}", file.label)));
                None
            }
            Ok(text) => match raw::parse(&file.path, &text, &file.label) {
                Ok(parsed) => {
                    self.warnings.extend(parsed.warnings);
                    Some(Rc::new(parsed.value))
                }
                Err(Error::Spec { errors, .. }) => {
                    self.errors.extend(errors);
                    None
                }
                Err(Error::Syntax { line, column, message, .. }) => {
                    let at = match (line, column) {
                        (Some(line), Some(column)) => format!(":{line}:{column}"),
                        _ => String::new(),
                    };
                    self.errors.push(SpecError::new(
                        ref_pointer,
                        format!("the referenced file {}{at} is not valid YAML or JSON: {message}", file.label),
                    ));
                    None
                }
                Err(other) => {
                    self.errors.push(SpecError::new(ref_pointer, other.to_string()));
                    None
                }
            },
        };
        self.files.insert(file.path.clone(), parsed.clone());
        parsed
    }

    /// A component name for a hoisted schema: the last token of its pointer, or the file's stem;
    /// on a clash, qualified by the file stem (or directory), then numbered.
    fn unique_name(&mut self, target: &Target) -> String {
        let stem = target.file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let directory = target
            .file
            .path
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let last = target
            .fragment
            .rsplit('/')
            .next()
            .map(|token| unescape_pointer_token(token).into_owned())
            .filter(|token| !token.is_empty());
        let (base, qualified) = match last {
            Some(last) => (sanitize(&last), sanitize(&format!("{stem}_{last}"))),
            None => (sanitize(&stem), sanitize(&format!("{directory}_{stem}"))),
        };
        let name = [base.clone(), qualified].into_iter().find(|name| !self.taken.contains(name)).unwrap_or_else(|| {
            (2..).map(|n| format!("{base}_{n}")).find(|name| !self.taken.contains(name)).unwrap_or(base)
        });
        self.taken.insert(name.clone());
        name
    }

    fn label_of(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root_dir).unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    }
}

fn set_reference(node: &mut Value, reference: String) {
    if let Value::Mapping(mapping) = node {
        mapping.insert(Value::String("$ref".into()), Value::String(reference));
    }
}

/// Follows a JSON pointer (without `#`) into a tree.
pub(super) fn lookup<'a>(document: &'a Value, fragment: &str) -> Option<&'a Value> {
    if fragment.is_empty() || fragment == "/" {
        return Some(document);
    }
    let mut node = document;
    for token in fragment.strip_prefix('/')?.split('/') {
        let token = unescape_pointer_token(token);
        node = match node {
            Value::Mapping(mapping) => mapping.get(&*token)?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Decodes `%XX` escapes (references are URIs); anything malformed is kept as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[index + 1]), hex(bytes[index + 2])) {
                out.push((high * 16 + low) as u8);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok().filter(|path| path.is_file())
}

/// Keeps a component name to the characters OpenAPI allows in one (`[A-Za-z0-9._-]`).
fn sanitize(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    let cleaned = cleaned.trim_matches('_').to_string();
    if cleaned.is_empty() {
        "Schema".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests;
