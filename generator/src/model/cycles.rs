//! Boxing of recursive fields.
//!
//! A struct that contains itself, directly or through other structs, has infinite size unless
//! some field on the cycle is behind a pointer. Arrays and maps already are; a field whose type
//! is another struct (optional or not) is stored inline. We find the strongly connected
//! components of the "stores inline" graph (Tarjan's algorithm) and box every inline field that
//! points into its own component: the fewest boxes that need no choice about where a cycle starts,
//! so the result does not depend on the order of the spec.

use super::{Shape, TypeDef, TypeId, TypeKind};

/// Marks `Field::boxed` on every field that makes its struct recursive.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types.iter().map(inline_targets).collect();
    let component = strongly_connected_components(&edges);
    for (index, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(object) => {
                for field in &mut object.fields {
                    if let Shape::Named(target) = field.value.shape {
                        field.boxed = component[target.0] == component[index];
                    }
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    if let Shape::Named(target) = variant.value.shape {
                        variant.boxed = component[target.0] == component[index];
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
}

/// The types a type stores inline, one entry per field.
fn inline_targets(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(object) => object
            .fields
            .iter()
            .filter_map(|field| match field.value.shape {
                Shape::Named(target) => Some(target),
                _ => None,
            })
            .collect(),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .filter_map(|variant| match variant.value.shape {
                Shape::Named(target) => Some(target),
                _ => None,
            })
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative so that deep schemas cannot overflow the stack. Returns the
/// component number of every node.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; count];
    let mut next_index = 0;
    let mut next_component = 0;

    for root in 0..count {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame is a node and the position of the next edge to follow.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = frames.last_mut() {
            if let Some(&TypeId(target)) = edges[node].get(*edge) {
                *edge += 1;
                if target >= count {
                    continue;
                }
                if index[target] == UNVISITED {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    frames.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(targets: &[usize]) -> Vec<TypeId> {
        targets.iter().copied().map(TypeId).collect()
    }

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 only leads into it; 4 points at itself.
        let edges = vec![ids(&[1]), ids(&[2]), ids(&[0]), ids(&[0]), ids(&[4])];
        let component = strongly_connected_components(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[3], component[0]);
        assert_ne!(component[4], component[0]);
        assert_ne!(component[4], component[3]);
    }
}
