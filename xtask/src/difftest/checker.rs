//! The checker of one fixture: a binary depending on the fixture's crate twice, as `lean` (the
//! checked-in crate, whose structs read through the runtime's `struct_de`) and as `derived`
//! (generated with `derived_deserialize`). For each line `Type<TAB>json` of its inputs file it
//! prints one JSON line `[lean, derived]`, each `{"ok": value as serialized again}` or
//! `{"err": {"path", "message"}}` (the path from `serde_path_to_error`).

use std::path::Path;

use proc_macro2::{Ident, Span};
use quote::quote;

/// `Cargo.toml` of the checker `package`.
pub fn manifest(package: &str, lean: &Path, lean_package: &str, derived_package: &str, features: &str) -> String {
    format!(
        "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         lean = {{ package = \"{lean_package}\", path = {lean:?}, default-features = false, features = [{features}] }}\n\
         derived = {{ package = \"{derived_package}\", path = \"../../derived/{derived_package}\", \
         default-features = false, features = [{features}] }}\n\
         serde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n",
    )
}

/// `src/main.rs` of the checker, for the struct types named `types`.
pub fn main_rs(types: &[&str]) -> Result<String, syn::Error> {
    let arms = types.iter().map(|name| {
        let ty = Ident::new(name, Span::call_site());
        quote! {
            #name => [decode::<lean::types::#ty>(text), decode::<derived::types::#ty>(text)]
        }
    });
    let tokens = quote! {
        //! Written by `cargo xtask difftest`: each input decoded by both crates' types.
        #![allow(deprecated)]

        use std::io::Write;

        fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> serde_json::Value {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Ok(value) => match serde_json::to_value(&value) {
                    Ok(value) => serde_json::json!({ "ok": value }),
                    Err(error) => serde_json::json!({ "unserializable": error.to_string() }),
                },
                Err(error) => serde_json::json!({
                    "err": { "path": error.path().to_string(), "message": error.inner().to_string() }
                }),
            }
        }

        fn main() {
            let path = std::env::args().nth(1).expect("the inputs file is named");
            let inputs = std::fs::read_to_string(&path).expect("the inputs file is read");
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in inputs.lines() {
                let (ty, text) = line.split_once('\t').expect("a line is a type and an input");
                let results = match ty {
                    #(#arms,)*
                    _ => panic!("unknown type {ty}"),
                };
                writeln!(out, "{}", serde_json::Value::from(results.to_vec())).expect("stdout is written");
            }
        }
    };
    Ok(prettyplease::unparse(&syn::parse2(tokens)?))
}
