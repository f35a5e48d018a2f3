//! Files per set of areas: the types that only some area features compile go in files of their
//! own (`src/types/<areas>.rs`), each declared by a `mod` line under those features' `cfg`, so
//! that rustc does not even read the files of the areas that are off.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

/// How long a module's name may grow before the features after the first are only counted.
const MODULE_NAME_LIMIT: usize = 48;

/// Names an area's module cannot have: the module it is declared in (`types`), and the crates
/// and primitive types the generated code names by path (`serde::Deserialize`, `u64::MAX`),
/// which a module of the same name would shadow in `src/types.rs` and, through `use super::*`,
/// in the other areas' files.
const TAKEN: &str = "types std core alloc serde serde_json serde_path_to_error reqwest chrono rust_decimal tokio \
                     tracing secrecy futures_core base64 clap hyper http \
                     bool char str f32 f64 i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize";

/// A module name for each set of features, in order: the features in snake case joined by
/// `_and_` (the first and a count of the others when that is long), made an identifier
/// (`area_` before a keyword, a name in [`TAKEN`] or one of `crates`, those codegen.toml adds
/// for the types it maps) and unique.
pub(super) fn module_names<'a>(sets: impl Iterator<Item = &'a [&'a str]>, crates: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    sets.map(|features| {
        let snake: Vec<String> = features.iter().map(|feature| feature.to_snake_case()).collect();
        let mut name = snake.join("_and_");
        if name.len() > MODULE_NAME_LIMIT {
            name = format!("{}_and_{}_more", snake[0], snake.len() - 1);
        }
        let shadows = TAKEN.split_whitespace().any(|taken| taken == name) || crates.contains(&name);
        if syn::parse_str::<syn::Ident>(&name).is_err() || shadows {
            name = format!("area_{name}");
        }
        let base = name.clone();
        for number in 2.. {
            if taken.insert(name.clone()) {
                break;
            }
            name = format!("{base}_{number}");
        }
        name
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_are_identifiers_apart_from_their_parents_and_each_other() {
        let sets: [&[&str]; 6] = [&["types"], &["type"], &["pets", "stores"], &["pets-stores"], &["serde"], &["u64"]];
        let names = module_names(sets.into_iter(), &[]);
        assert_eq!(names, ["area_types", "area_type", "pets_and_stores", "pets_stores", "area_serde", "area_u64"]);
        // A crate codegen.toml adds for a mapped type (`uuid::Uuid`) is taken too.
        let mapped: [&[&str]; 2] = [&["uuid"], &["time"]];
        assert_eq!(module_names(mapped.into_iter(), &["uuid".to_string()]), ["area_uuid", "time"]);
        let many: Vec<&str> = vec!["accounts", "balances", "credits", "identities", "investments", "liabilities"];
        assert_eq!(
            module_names([many.as_slice(), &many[..5]].into_iter(), &[]),
            ["accounts_and_5_more", "accounts_and_4_more"]
        );
        let twice: [&[&str]; 2] = [&["a-b"], &["a_b"]];
        assert_eq!(module_names(twice.into_iter(), &[]), ["a_b", "a_b_2"]);
    }
}
