//! What a malformed node costs. A problem `repair` cannot fix (a parameter without `in`, a
//! `responses` that is a list, a `security` of the wrong shape) would stop `openapiv3` from
//! reading the whole document. Instead, the smallest part that holds it is left out, the way
//! the model leaves out what it cannot express: the operation, the path item when the problem
//! is shared by its operations, or the component. Each problem becomes a warning saying what was
//! left out, and skipped operations are reported to the model's list of what is not generated.
//! Problems outside those parts (the document's own shape) stay errors.

use serde_yaml::Value;

use super::bundle::lookup;
use super::walk::METHODS;
use super::{escape_pointer_token, unescape_pointer_token};
use crate::error::SpecError;

/// An operation (or every operation of a path item, when `method` is `None`) left out of the
/// document because of problems in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    /// The operation's (or path item's) pointer in the converted tree.
    pub pointer: String,
    pub path: String,
    /// Lower-case method, or `None` for a whole path item.
    pub method: Option<String>,
    pub operation_id: Option<String>,
    pub problems: Vec<SpecError>,
}

/// What containing the problems gave: warnings for what was left out, the skipped operations,
/// and the problems that remain errors.
#[derive(Debug, Default)]
pub(super) struct Contained {
    pub warnings: Vec<SpecError>,
    pub skipped: Vec<SkippedOperation>,
    pub errors: Vec<SpecError>,
}

/// The part of the document a problem at `pointer` can cost.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Operation { path: String, method: String },
    PathItem { path: String },
    Component { kind: String, name: String },
}

impl Part {
    fn of(pointer: &str) -> Option<Part> {
        let tokens: Vec<String> =
            pointer.strip_prefix("#/")?.split('/').map(|token| unescape_pointer_token(token).into_owned()).collect();
        match tokens.as_slice() {
            [paths, path, method, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => {
                Some(Part::Operation { path: path.clone(), method: method.clone() })
            }
            [paths, path, ..] if paths == "paths" => Some(Part::PathItem { path: path.clone() }),
            [components, kind, name, ..] if components == "components" => {
                Some(Part::Component { kind: kind.clone(), name: name.clone() })
            }
            _ => None,
        }
    }

    fn pointer(&self) -> String {
        match self {
            Part::Operation { path, method } => format!("#/paths/{}/{method}", escape_pointer_token(path)),
            Part::PathItem { path } => format!("#/paths/{}", escape_pointer_token(path)),
            Part::Component { kind, name } => {
                format!("#/components/{}/{}", escape_pointer_token(kind), escape_pointer_token(name))
            }
        }
    }

    /// Whether the problem at this part also lies inside `other` (a path item holds its
    /// operations).
    fn within(&self, other: &Part) -> bool {
        matches!((self, other), (Part::Operation { path, .. }, Part::PathItem { path: item }) if path == item)
    }
}

/// Leaves out the parts of `document` that hold `errors`.
pub(super) fn contain(document: &mut Value, errors: Vec<SpecError>) -> Contained {
    let mut contained = Contained::default();
    let mut parts: Vec<(Part, Vec<SpecError>)> = Vec::new();
    for error in errors {
        match Part::of(&error.pointer) {
            Some(part) => match parts.iter_mut().find(|(known, _)| *known == part) {
                Some((_, problems)) => problems.push(error),
                None => parts.push((part, vec![error])),
            },
            None => contained.errors.push(error),
        }
    }
    // A path item left out as a whole takes its operations' problems along.
    let items: Vec<Part> =
        parts.iter().filter(|(part, _)| matches!(part, Part::PathItem { .. })).map(|(p, _)| p.clone()).collect();
    let mut merged: Vec<(Part, Vec<SpecError>)> = Vec::new();
    for (part, problems) in parts {
        match items.iter().find(|item| part.within(item)) {
            Some(item) => match merged.iter_mut().find(|(known, _)| known == item) {
                Some((_, known)) => known.extend(problems),
                None => merged.push((item.clone(), problems)),
            },
            None => match merged.iter_mut().find(|(known, _)| *known == part) {
                Some((_, known)) => known.extend(problems),
                None => merged.push((part, problems)),
            },
        }
    }
    for (part, problems) in merged {
        leave_out(document, part, problems, &mut contained);
    }
    contained
}

fn leave_out(document: &mut Value, part: Part, problems: Vec<SpecError>, contained: &mut Contained) {
    let pointer = part.pointer();
    let consequence = match &part {
        Part::Operation { path, method } => {
            let operation_id = lookup(document, &pointer[1..])
                .and_then(|operation| operation.get("operationId"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let name = operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
            contained.skipped.push(SkippedOperation {
                pointer: pointer.clone(),
                path: path.clone(),
                method: Some(method.clone()),
                operation_id,
                problems: problems.clone(),
            });
            format!("so the operation `{name}` (`{} {path}`) is skipped", method.to_ascii_uppercase())
        }
        Part::PathItem { path } => {
            contained.skipped.push(SkippedOperation {
                pointer: pointer.clone(),
                path: path.clone(),
                method: None,
                operation_id: None,
                problems: problems.clone(),
            });
            format!("so the operations of `{path}` are skipped")
        }
        Part::Component { .. } => "so this component is left out, and what refers to it is reported there".to_string(),
    };
    remove(document, &part);
    for problem in problems {
        contained.warnings.push(SpecError::new(problem.pointer, format!("{}; {consequence}", problem.message)));
    }
}

fn remove(document: &mut Value, part: &Part) {
    let (container, key): (Option<&mut Value>, &str) = match part {
        Part::Operation { path, method } => (document.get_mut("paths").and_then(|p| p.get_mut(path.as_str())), method),
        Part::PathItem { path } => (document.get_mut("paths"), path),
        Part::Component { kind, name } => (document.get_mut("components").and_then(|c| c.get_mut(kind.as_str())), name),
    };
    if let Some(Value::Mapping(container)) = container {
        container.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::test_support::{parse_ok, warnings};

    #[test]
    fn a_malformed_operation_costs_only_itself() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: b, schema: {type: string}}\n      responses: {'200': {description: ok}}\n    post:\n      responses: {'204': {description: ok}}\n  /b:\n    parameters:\n      - {in: query, name: q, schema: {type: string}}\n      - {name: nameless}\n    get:\n      responses: [1]\n  /c:\n    get:\n      security: x\n      responses: {'204': {description: ok}}\n";
        let loaded = parse_ok(text);
        let paths = &loaded.document.paths.paths;
        let a = paths["/a"].as_item().expect("inline");
        assert!(a.get.is_none() && a.post.is_some(), "only the broken operation is left out");
        assert!(!paths.contains_key("/b"), "a problem shared by the path item's operations costs the item");
        assert!(paths["/c"].as_item().is_some_and(|c| c.get.is_none()));
        let warnings = warnings(&loaded);
        assert!(
            warnings.iter().any(|w| w.starts_with("at #/paths/~1a/get/parameters/0: this parameter has no `in`")
                && w.ends_with("so the operation `getA` (`GET /a`) is skipped")),
            "{warnings:#?}"
        );
        assert!(warnings.iter().any(|w| w.ends_with("so the operations of `/b` are skipped")), "{warnings:#?}");
        assert_eq!(loaded.skipped.len(), 3, "{:?}", loaded.skipped);
    }

    #[test]
    fn a_malformed_component_with_an_escaped_name_is_left_out() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  parameters:\n    a/b~c: {name: nameless}\n    ok: {in: query, name: q, schema: {type: string}}\n";
        let loaded = parse_ok(text);
        let parameters = &loaded.document.components.as_ref().expect("components").parameters;
        assert_eq!(parameters.keys().collect::<Vec<_>>(), ["ok"]);
        let warnings = warnings(&loaded);
        assert!(
            warnings.iter().any(|w| w.starts_with("at #/components/parameters/a~1b~0c")
                && w.ends_with("so this component is left out, and what refers to it is reported there")),
            "{warnings:#?}"
        );
    }

    #[test]
    fn skipped_operations_are_listed_and_none_left_is_an_error() {
        let options = crate::Options { crate_name: Some("t".into()), ..Default::default() };
        let good = "  /ok:\n    get:\n      responses: {'204': {description: ok}}\n";
        let bad = "  /a:\n    get:\n      operationId: getA\n      parameters: [{name: x}]\n      responses: {'200': {description: ok}}\n";
        let spec = |paths: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        let generated = crate::generate_from_text(Path::new("spec.yaml"), &spec(&format!("{good}{bad}")), &options)
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((generated.summary.operations_generated, generated.summary.operations_skipped), (1, 1));
        let lib = generated.files.iter().find(|file| file.path == "src/lib.rs").expect("a crate root");
        assert!(lib.contents.contains("getA"), "the crate docs list the skipped operation");
        let error = crate::generate_from_text(Path::new("spec.yaml"), &spec(bad), &options).unwrap_err();
        assert!(error.to_string().contains("this parameter has no `in`"), "{error}");
    }
}
