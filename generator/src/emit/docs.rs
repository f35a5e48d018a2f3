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
    let mut out: Vec<String> = Vec::new();
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
        } else {
            let line = if line.starts_with("    ") { trimmed.trim_end() } else { line.trim_end() };
            // Inside a fence, text is shown as written.
            let in_fence = out.iter().filter(|l| l.starts_with("```")).count() % 2 == 1;
            out.push(if in_fence { line.to_string() } else { escape_brackets(line) });
        }
    }
    out.join("\n")
}

/// Escapes square brackets that are not an inline Markdown link (`[text](url)`), outside code
/// spans: in spec prose they are literal (`filter[color]=red`), and rustdoc would read them as
/// links to items that do not exist.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut link_close: Option<usize> = None;
    for (index, &c) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code => {
                let close = chars[index + 1..].iter().position(|&c| c == ']').map(|offset| index + 1 + offset);
                if let Some(close) = close.filter(|close| chars.get(close + 1) == Some(&'(')) {
                    link_close = Some(close);
                } else {
                    out.push('\\');
                }
            }
            ']' if !in_code => {
                if link_close == Some(index) {
                    link_close = None;
                } else {
                    out.push('\\');
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_are_escaped_unless_they_make_a_link() {
        assert_eq!(escape_brackets("filter[color]=red"), "filter\\[color\\]=red");
        assert_eq!(escape_brackets("see [the docs](https://x.y) or `a[0]`"), "see [the docs](https://x.y) or `a[0]`");
        assert_eq!(escape_brackets("[a] and [b](u)"), "\\[a\\] and [b](u)");
    }

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
