//! Areas of the API: the parts a downstream crate can compile on their own, each a cargo
//! feature of the generated crate.
//!
//! An operation's area is its first tag when the spec's operations use at least two different
//! first tags, and otherwise the first segment of its path (Plaid tags everything `plaid`, but
//! its paths start with `cra`, `transfer`, `credit`, …). A type belongs to every area whose
//! operations reach it; types only error bodies reach, and types every area reaches, are
//! always compiled, as are the payloads of webhooks (every event is parsed by one enum).
//! Component schemas no operation or event reaches form one more area, [`OTHER_TYPES`]. A spec with fewer than two areas gets no area features.

use std::collections::BTreeSet;

use super::{naming, visit_reachable, Api, Operation, ResponseBody, TypeId};

/// The feature gating component schemas that no operation uses.
pub const OTHER_TYPES: &str = "other-types";

/// The cargo features every generated crate declares besides its areas (`emit::manifest` writes
/// them from [`CrateFeature::ALL`]). An area never takes one of their names, nor
/// [`OTHER_TYPES`]: it gets `_api` appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateFeature {
    /// What `cargo build` turns on: TLS, tracing, and `full` when there are areas.
    Default,
    Rustls,
    NativeTls,
    Tracing,
    /// The command line.
    Cli,
    /// The typed mock server.
    Mock,
    /// Builders for the types only received.
    Fixtures,
    /// `Serialize` for the types only received, `Deserialize` for those only sent.
    SerdeAll,
    /// Every area (declared only when there are areas).
    Full,
}

impl CrateFeature {
    /// Every one, in the order `Cargo.toml` lists them (`full` last, before the areas).
    pub const ALL: [CrateFeature; 9] = [
        CrateFeature::Default,
        CrateFeature::Rustls,
        CrateFeature::NativeTls,
        CrateFeature::Tracing,
        CrateFeature::Cli,
        CrateFeature::Mock,
        CrateFeature::Fixtures,
        CrateFeature::SerdeAll,
        CrateFeature::Full,
    ];

    /// Its name in `[features]`.
    pub fn name(self) -> &'static str {
        match self {
            CrateFeature::Default => "default",
            CrateFeature::Rustls => "rustls",
            CrateFeature::NativeTls => "native-tls",
            CrateFeature::Tracing => "tracing",
            CrateFeature::Cli => "cli",
            CrateFeature::Mock => "mock",
            CrateFeature::Fixtures => "fixtures",
            CrateFeature::SerdeAll => "serde-all",
            CrateFeature::Full => "full",
        }
    }
}

/// Whether a feature name is one the crate declares for something other than an area.
fn is_taken(name: &str) -> bool {
    name == OTHER_TYPES || CrateFeature::ALL.iter().any(|feature| feature.name() == name)
}

/// The area features of a crate, and which items each gates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    /// Every area feature, sorted, [`OTHER_TYPES`] last when there is one.
    pub features: Vec<String>,
    /// The area of each operation (an index into `features`), in the order of `Api::operations`.
    of_operation: Vec<usize>,
    /// The areas that need each type (by `TypeId`); empty when the type is always compiled.
    of_type: Vec<Vec<usize>>,
    /// The areas that need each alias (by index into `Api::aliases`); empty when always compiled.
    of_alias: Vec<Vec<usize>>,
}

impl Areas {
    /// The feature an operation is compiled under.
    pub fn of_operation(&self, index: usize) -> Vec<&str> {
        self.of_operation.get(index).map(|&area| vec![self.features[area].as_str()]).unwrap_or_default()
    }

    /// The features any of which compiles a type; empty when it is always compiled.
    pub fn of_type(&self, id: TypeId) -> Vec<&str> {
        self.names(self.of_type.get(id.0))
    }

    /// The features any of which compiles an alias; empty when it is always compiled.
    pub fn of_alias(&self, index: usize) -> Vec<&str> {
        self.names(self.of_alias.get(index))
    }

    fn names(&self, areas: Option<&Vec<usize>>) -> Vec<&str> {
        areas.map(|areas| areas.iter().map(|&area| self.features[area].as_str()).collect()).unwrap_or_default()
    }
}

/// Decides the areas of `api`; `None` when it has fewer than two.
pub fn areas(api: &Api) -> Option<Areas> {
    let names = operation_areas(&api.operations);
    let mut features: Vec<String> = names.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    if features.len() < 2 {
        return None;
    }
    let of_operation: Vec<usize> =
        names.iter().map(|name| features.iter().position(|feature| feature == name).unwrap_or(0)).collect();
    let operation_areas = features.len();

    // Which areas reach each type, and which types error bodies reach (always compiled).
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    let mut always = vec![false; api.types.len()];
    for (operation, &area) in api.operations.iter().zip(&of_operation) {
        let mut roots = Vec::new();
        operation_roots(operation, &mut roots);
        visit_reachable(&api.types, roots, &mut |id| reached[id.0].insert(area));
        let mut errors = Vec::new();
        for error in &operation.errors {
            error.value.collect_named(&mut errors);
        }
        visit_reachable(&api.types, errors, &mut |id| !std::mem::replace(&mut always[id.0], true));
    }
    // Event payloads are always compiled: the `webhooks` module parses every event.
    let mut payloads = Vec::new();
    for event in api.events.iter().flat_map(|events| &events.events) {
        event.payload.collect_named(&mut payloads);
    }
    visit_reachable(&api.types, payloads, &mut |id| !std::mem::replace(&mut always[id.0], true));

    // Schemas no operation reaches, and aliases of named types, make up one more area.
    let mut other = Vec::new();
    other.extend((0..api.types.len()).filter(|&index| reached[index].is_empty() && !always[index]).map(TypeId));
    let mut alias_refs = Vec::new();
    for alias in &api.aliases {
        alias.value.collect_named(&mut alias_refs);
    }
    other.extend(alias_refs.iter().copied());
    if !other.is_empty() {
        features.push(OTHER_TYPES.to_string());
        visit_reachable(&api.types, other, &mut |id| reached[id.0].insert(operation_areas));
    }

    let every_area: BTreeSet<usize> = (0..operation_areas).collect();
    let of_type = reached
        .into_iter()
        .zip(always)
        .map(
            |(areas, always)| {
                if always || areas.is_superset(&every_area) {
                    Vec::new()
                } else {
                    areas.into_iter().collect()
                }
            },
        )
        .collect();
    let of_alias = api
        .aliases
        .iter()
        .map(|alias| {
            let mut refs = Vec::new();
            alias.value.collect_named(&mut refs);
            if refs.is_empty() {
                Vec::new()
            } else {
                vec![operation_areas]
            }
        })
        .collect();
    Some(Areas { features, of_operation, of_type, of_alias })
}

/// The area name of each operation: its first tag when the operations use two or more
/// different first tags, else the first segment of its path.
fn operation_areas(operations: &[Operation]) -> Vec<String> {
    let first_tags: BTreeSet<&str> = operations.iter().filter_map(|o| o.tags.first()).map(String::as_str).collect();
    let by_tag = first_tags.len() >= 2;
    operations
        .iter()
        .map(|operation| {
            let tag = operation.tags.first().filter(|_| by_tag);
            let segment = operation.path.trim_start_matches('/').split('/').next().unwrap_or("");
            feature_name(tag.map_or(segment, String::as_str))
        })
        .collect()
}

/// A cargo feature name for a tag or path segment: snake case, never one the crate uses for
/// something else.
fn feature_name(text: &str) -> String {
    let name = naming::feature_name(text);
    if is_taken(&name) {
        format!("{name}_api")
    } else {
        name
    }
}

/// The named types an operation's own values use: its parameters, body, success response and
/// the items of its streamed success.
fn operation_roots(operation: &Operation, into: &mut Vec<TypeId>) {
    into.extend(operation.params_type);
    if let Some(body) = &operation.body {
        body.value.collect_named(into);
        into.extend(body.content_type);
    }
    if let Some(ResponseBody::Json(value)) = &operation.response {
        value.collect_named(into);
    }
    if let Some(item) = operation.stream.as_ref().and_then(|stream| stream.item.as_ref()) {
        item.collect_named(into);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_snake_case_and_never_taken() {
        assert_eq!(feature_name("link_delivery"), "link_delivery");
        assert_eq!(feature_name("Pet Store"), "pet_store");
        assert_eq!(feature_name("{id}"), "id");
        assert_eq!(feature_name(""), "root");
        assert_eq!(feature_name("default"), "default_api");
        assert_eq!(feature_name("tracing"), "tracing_api");
        assert_eq!(feature_name("native-tls"), "native_tls");
        assert_eq!(feature_name("other types"), "other_types");
        // Snake case never spells a name with `-`; every other fixed name is avoided.
        for name in CrateFeature::ALL.map(CrateFeature::name).into_iter().filter(|name| !name.contains('-')) {
            assert_eq!(feature_name(name), format!("{name}_api"));
        }
    }
}
