//! Printing: tokens → a parsed `syn::File` → prettyplease → blank lines between items.

use proc_macro2::TokenStream;

use crate::Error;

/// Parses emitted tokens as a Rust file and pretty-prints them.
pub fn format_rust(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|error| Error::Internal { file: path.to_string(), message: error.to_string() })?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// One item of a file printed by [`format_in_parallel`]: its tokens (one or more Rust items),
/// and the `#[cfg(…)]` attribute every one of those items gets (empty for none).
pub struct Rendered {
    pub tokens: TokenStream,
    pub cfg: TokenStream,
}

impl From<TokenStream> for Rendered {
    fn from(tokens: TokenStream) -> Self {
        Rendered { tokens, cfg: TokenStream::new() }
    }
}

/// Items per unit of work: small enough that only a few hundred items' tokens and syntax trees
/// are alive at once (they take many times the memory of the text they print as), large
/// enough that handing out work costs nothing.
const CHUNK: usize = 48;

/// Like [`format_rust`] for a file made of many independent items: `header` (the module's inner
/// attributes and docs) and one rendering per item. Runs of items are rendered, parsed and
/// printed on every core, each run's tokens dropped once printed, and the texts are joined in
/// order, so the output is the same as printing the whole file at once.
pub fn format_in_parallel<T: Sync>(
    path: &str,
    header: TokenStream,
    items: &[T],
    render: impl Fn(&T) -> Rendered + Sync,
) -> Result<String, Error> {
    format_in_chunks(path, header, items, render, CHUNK)
}

/// [`format_in_parallel`] with runs of `chunk_size` items.
pub fn format_in_chunks<T: Sync>(
    path: &str,
    header: TokenStream,
    items: &[T],
    render: impl Fn(&T) -> Rendered + Sync,
    chunk_size: usize,
) -> Result<String, Error> {
    let internal = |message: String| Error::Internal { file: path.to_string(), message };
    let chunks: Vec<&[T]> = items.chunks(chunk_size.max(1)).collect();
    let print_chunk = |chunk: &[T]| print_items(chunk.iter().map(&render));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(chunks.len());
    let printed: Vec<Result<String, String>> = if threads <= 1 {
        chunks.iter().map(|chunk| print_chunk(chunk)).collect()
    } else {
        // Workers take the next run until none is left; each keeps its texts by run index.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(index) else { return done };
                done.push((index, print_chunk(chunk)));
            }
        };
        let mut slots: Vec<Option<Result<String, String>>> = (0..chunks.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
            for handle in handles {
                match handle.join() {
                    Ok(done) => done.into_iter().for_each(|(index, text)| slots[index] = Some(text)),
                    Err(_) => slots.push(Some(Err("a formatting thread panicked".to_string()))),
                }
            }
        });
        slots.into_iter().map(|slot| slot.unwrap_or_else(|| Err("a run of items was not printed".into()))).collect()
    };
    let mut text = print_items(std::iter::once(Rendered::from(header))).map_err(internal)?;
    for chunk in printed {
        text.push_str(&chunk.map_err(internal)?);
    }
    Ok(space_items(&text))
}

/// Parses and prints a run of items. Items without a `cfg` are parsed together; an item with
/// one is parsed on its own and the attribute added to each of its items (after their docs).
fn print_items(items: impl Iterator<Item = Rendered>) -> Result<String, String> {
    let parse = |tokens: TokenStream| syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string());
    let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
    let mut plain = TokenStream::new();
    for Rendered { tokens, cfg } in items {
        if cfg.is_empty() {
            plain.extend(tokens);
            continue;
        }
        let attributes = syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg).map_err(|e| e.to_string())?;
        let parsed = parse(std::mem::take(&mut plain))?;
        file.attrs.extend(parsed.attrs);
        file.items.extend(parsed.items);
        for mut item in parse(tokens)?.items {
            // An item left ungated would break the crate built without its feature.
            let attrs = item_attrs(&mut item).ok_or("an emitted item of a kind that cannot take a `cfg`")?;
            let after_docs = attrs.iter().take_while(|attr| attr.path().is_ident("doc")).count();
            attrs.splice(after_docs..after_docs, attributes.iter().cloned());
            file.items.push(item);
        }
    }
    let parsed = parse(plain)?;
    file.attrs.extend(parsed.attrs);
    file.items.extend(parsed.items);
    Ok(prettyplease::unparse(&file))
}

/// The outer attributes of an item, for the kinds of item the emitters write.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        _ => return None,
    })
}

/// prettyplease puts no blank line between items; add one after every item that closes a block,
/// at any depth, and before a module's items after its inner attributes, as rustfmt'd code has.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // Inside a `use` that prettyplease wrapped over several lines (`use a::{` … `};`).
    let mut in_use = false;
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(index + 1) else { continue };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let closes_item = matches!(line.trim(), "}" | "};") && next_indent == indent && starts_item(next.trim_start());
        let ends_header =
            line.starts_with("#![") && line.ends_with(']') && !next.starts_with("#![") && !next.trim().is_empty();
        let opens_use = line.starts_with("use ") && !line.ends_with(';');
        let ends_use = (line.starts_with("use ") && !opens_use) || (in_use && *line == "};");
        in_use = (in_use || opens_use) && *line != "};";
        let ends_uses = ends_use && !next.starts_with("use ") && !next.trim().is_empty();
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
    fn a_cfg_goes_on_every_item_of_its_rendering_after_the_docs() {
        let items = [("/// A.\n#[derive(Debug)] struct A; impl A {}", "#[cfg(feature = \"a\")]"), ("struct B;", "")];
        let render =
            |(tokens, cfg): &(&str, &str)| Rendered { tokens: tokens.parse().unwrap(), cfg: cfg.parse().unwrap() };
        let text = format_in_chunks("test.rs", TokenStream::new(), &items, render, 1).unwrap();
        assert!(text.contains("/// A.\n#[cfg(feature = \"a\")]\n#[derive(Debug)]\nstruct A;"), "{text}");
        assert!(text.contains("#[cfg(feature = \"a\")]\nimpl A {}"), "{text}");
        assert!(text.contains("\nstruct B;"), "{text}");
        assert!(!text.contains("]\nstruct B;"), "{text}");
    }

    #[test]
    fn a_use_wrapped_over_lines_is_spaced_after_it_ends() {
        let text = space_items("use a::{\n    b, c,\n};\nuse d;\nfn f() {}\n");
        assert_eq!(text, "use a::{\n    b, c,\n};\nuse d;\n\nfn f() {}\n");
        let text = space_items("use a::{\n    b, c,\n};\nfn f() {}\n");
        assert_eq!(text, "use a::{\n    b, c,\n};\n\nfn f() {}\n");
    }

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
