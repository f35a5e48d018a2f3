//! Spec prose as rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for a description, one per line. Spec prose is Markdown written for a
/// website, so code fences lose any language tag (rustdoc would compile them as doctests) and
/// indentation that would start a code block is dropped.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    lines_to_attrs(&sanitize(text))
}

/// `#![doc]` attributes for a description: documentation of the enclosing module or crate.
pub fn inner_doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    let sanitized = sanitize(text);
    let lines = sanitized.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #![doc = #lines] )* }
}

/// Two descriptions as separate paragraphs (e.g. an operation's summary and description).
pub fn doc_paragraphs(parts: &[Option<&str>]) -> TokenStream {
    let text: Vec<String> = parts.iter().flatten().map(|part| sanitize(part)).filter(|p| !p.is_empty()).collect();
    lines_to_attrs(&text.join("\n\n"))
}

fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    // Tabs in doc comments are a clippy lint (`tabs_in_doc_comments`), and render unevenly.
    let text = text.replace('\t', "    ");
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            let fence =
                if rest.trim().is_empty() || !rest.trim().eq_ignore_ascii_case("text") { "```text" } else { "```" };
            // A closing fence has nothing after it; only opening fences carry a language.
            out.push(
                if rest.trim().is_empty() && out.iter().filter(|l: &&String| l.starts_with("```")).count() % 2 == 1 {
                    "```".to_string()
                } else {
                    fence.to_string()
                },
            );
        } else if line.starts_with("    ") || line.starts_with('\t') {
            out.push(trimmed.trim_end().to_string());
        } else {
            out.push(line.trim_end().to_string());
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_blocks() {
        assert_eq!(sanitize("a\n```\nx = 1\n```\nb"), "a\n```text\nx = 1\n```\nb");
        assert_eq!(sanitize("```json\n{}\n```"), "```text\n{}\n```");
    }

    #[test]
    fn indentation_is_dropped() {
        assert_eq!(sanitize("a\n    b"), "a\nb");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(sanitize("a\tb\n\tc\n```\n{\n\t\"k\": 1\n}\n```"), "a    b\nc\n```text\n{\n\"k\": 1\n}\n```");
    }
}
