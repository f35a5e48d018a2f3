//! Where a node of the converted tree came from in the user's own file.
//!
//! Converting Swagger 2.0 moves objects (`#/definitions/Pet` becomes
//! `#/components/schemas/Pet`, a body parameter becomes the operation's `requestBody`), and
//! splitting a 3.1 schema moves parts of it. Every later phase names nodes by their pointer in
//! the converted tree; [`Origins::translate`] turns such a pointer back into one the user can
//! find in their file.

use crate::error::SpecError;

/// Moves recorded while normalizing: each maps a pointer prefix in the converted tree to the
/// pointer of the node it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    moves: Vec<(String, String)>,
}

impl Origins {
    /// Records that the node now at `converted` was written at `original`.
    pub(super) fn record(&mut self, converted: String, original: String) {
        if converted != original {
            self.moves.push((converted, original));
        }
    }

    /// Whether nothing was moved.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// The pointer in the user's file of the node at `pointer` in the converted tree: the
    /// longest recorded prefix (ending at a token boundary) is replaced by its origin.
    pub fn translate(&self, pointer: &str) -> String {
        let best = self
            .moves
            .iter()
            .filter(|(converted, _)| {
                pointer.strip_prefix(converted.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(converted, _)| converted.len());
        match best {
            Some((converted, original)) => format!("{original}{}", &pointer[converted.len()..]),
            None => pointer.to_string(),
        }
    }

    /// Translates the pointer of every problem.
    pub fn translate_all(&self, problems: &mut [SpecError]) {
        if self.is_empty() {
            return;
        }
        for problem in problems {
            problem.pointer = self.translate(&problem.pointer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_at_a_token_boundary_wins() {
        let mut origins = Origins::default();
        origins.record("#/components/schemas".into(), "#/definitions".into());
        origins.record(
            "#/paths/~1a/post/requestBody/content/application~1json/schema".into(),
            "#/paths/~1a/post/parameters/1/schema".into(),
        );
        origins.record("#/components/schemasX".into(), "#/elsewhere".into());
        assert_eq!(origins.translate("#/components/schemas/Pet/properties/id"), "#/definitions/Pet/properties/id");
        assert_eq!(origins.translate("#/components/schemas"), "#/definitions");
        assert_eq!(origins.translate("#/components/schemasY"), "#/components/schemasY");
        assert_eq!(
            origins.translate("#/paths/~1a/post/requestBody/content/application~1json/schema/items"),
            "#/paths/~1a/post/parameters/1/schema/items"
        );
        assert_eq!(origins.translate("#/info"), "#/info");
    }
}
