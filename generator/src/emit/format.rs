//! Printing: tokens → a parsed `syn::File` → prettyplease → blank lines between items.

use proc_macro2::TokenStream;

use crate::Error;

/// Parses emitted tokens as a Rust file and pretty-prints them.
pub fn format_rust(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|error| Error::Internal { file: path.to_string(), message: error.to_string() })?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// Like [`format_rust`] for a file made of many independent items: `header` (the module's inner
/// attributes and docs) and one rendering per item. Items are rendered, parsed and printed on
/// several threads, each taking one contiguous run of items, and the texts are joined in order,
/// so the output is the same as printing the whole file at once.
pub fn format_in_parallel<T: Sync>(
    path: &str,
    header: TokenStream,
    items: &[T],
    render: impl Fn(&T) -> TokenStream + Sync,
) -> Result<String, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    // Threads pay off only for large files; a spec of a few dozen schemas prints on this one.
    format_in_chunks(path, header, items, render, items.len().div_ceil(threads).max(256))
}

/// [`format_in_parallel`] with runs of `chunk_size` items per thread.
pub fn format_in_chunks<T: Sync>(
    path: &str,
    header: TokenStream,
    items: &[T],
    render: impl Fn(&T) -> TokenStream + Sync,
    chunk_size: usize,
) -> Result<String, Error> {
    let print = |tokens: TokenStream| -> Result<String, String> {
        let file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
        Ok(prettyplease::unparse(&file))
    };
    let render = &render;
    let chunk_size = chunk_size.max(1);
    let chunks: Vec<Result<String, String>> = if items.len() <= chunk_size {
        vec![print(items.iter().map(render).collect())]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk_size)
                .map(|chunk| scope.spawn(move || print(chunk.iter().map(render).collect())))
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|_| Err("a formatting thread panicked".into())))
                .collect()
        })
    };
    let mut text = print(header).map_err(|message| Error::Internal { file: path.to_string(), message })?;
    for chunk in chunks {
        text.push_str(&chunk.map_err(|message| Error::Internal { file: path.to_string(), message })?);
    }
    Ok(space_items(&text))
}

/// prettyplease puts no blank line between items; add one after every item that closes a block,
/// at any depth, and before a module's items after its inner attributes, as rustfmt'd code has.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(index + 1) else { continue };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let closes_item = matches!(line.trim(), "}" | "};") && next_indent == indent && starts_item(next.trim_start());
        let ends_header =
            line.starts_with("#![") && line.ends_with(']') && !next.starts_with("#![") && !next.trim().is_empty();
        let ends_uses = line.starts_with("use ") && !next.starts_with("use ") && !next.trim().is_empty();
        let item_after_field = line.trim_end().ends_with(';')
            && next_indent == indent
            && indent == 0
            && (next.starts_with("///") || next.starts_with("#[") || next.starts_with("impl") || is_definition(next));
        if closes_item || ends_header || ends_uses || item_after_field {
            out.push('\n');
        }
    }
    out
}

/// Whether a line (without indentation) starts an item or its documentation.
fn starts_item(line: &str) -> bool {
    line.starts_with("///")
        || line.starts_with("//")
        || line.starts_with("#[")
        || line.starts_with("impl")
        || line.starts_with("pub ")
        || line.starts_with("async fn")
        || line.starts_with("mod ")
        || is_definition(line)
}

fn is_definition(line: &str) -> bool {
    ["pub struct", "pub enum", "pub fn", "pub trait", "struct", "enum", "fn", "trait", "const", "static"]
        .iter()
        .any(|keyword| line.starts_with(keyword))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_separated_but_match_arms_are_not() {
        let tokens: TokenStream = "struct A { x: u8 } impl A { fn f(&self) -> u8 { match self.x { 0 => { 1 } _ => 2 } } fn g() {} } struct B;"
            .parse()
            .unwrap();
        let text = format_rust("test.rs", tokens).unwrap();
        assert!(text.contains("}\n\nimpl A {"), "{text}");
        assert!(text.contains("    }\n\n    fn g()"), "{text}");
        assert!(!text.contains("}\n\n            _ =>"), "{text}");
    }
}
