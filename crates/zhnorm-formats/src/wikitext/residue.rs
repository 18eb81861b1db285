//! The last guard against markup residue: tokens (`[[`, `]]`, `{{`, `}}`, `-{`, `}-`, `'''`,
//! `{|`, `|}`, `<ref`) that still reach a text node are removed and counted in
//! `repairs["markup_residue_removed"]`.
//!
//! Invariant: only dropped markup that joins bracket characters, or `<nowiki>` text, can leave
//! such a token; ordinary text is never changed.

use super::scan;
use super::scan::ByteSet;
use zhnorm_doc::{Block, Inline};

/// Tokens that must never reach a text node.
const RESIDUE: &[&str] = &[
    "[[", "]]", "{{", "}}", "-{", "}-", "'''", "{|", "|}", "<ref",
];

/// True when `text` may hold one of [`RESIDUE`] (a quick test on byte pairs).
fn has_residue(text: &[u8]) -> bool {
    // Every token holds a bracket, `<` or an apostrophe, which Chinese text rarely has; the
    // pair test starts just before the first such byte. (Most text nodes are short: an inline
    // scan beats the dispatch of a SIMD search here.)
    let mut i = 0;
    loop {
        i = scan::next_marked(text, i, text.len(), &RESIDUE_BYTES);
        let Some(&here) = text.get(i) else {
            return false;
        };
        // `-{` and `|}` have their bracket second; every other token starts with its own.
        if i > 0 && matches!((text[i - 1], here), (b'-', b'{') | (b'|', b'}')) {
            return true;
        }
        if let Some(&next) = text.get(i + 1)
            && matches!(
                (here, next),
                (b'[', b'[')
                    | (b']', b']')
                    | (b'{', b'{' | b'|')
                    | (b'}', b'}' | b'-')
                    | (b'\'', b'\'')
                    | (b'<', b'r' | b'R')
            )
        {
            return true;
        }
        i += 1;
    }
}

/// Bytes one of which every token of [`RESIDUE`] holds.
const RESIDUE_BYTES: ByteSet<6> = ByteSet::new(*b"[]{}<'");

/// Removes markup tokens that text pieces formed only once the markup between them was dropped
/// (`]</pre>]`), or that `<nowiki>` kept on purpose; returns how many it removed. Every construct
/// is read (or reported) before this point, so what is left here is literal bracket text.
pub(super) fn scrub_residue(blocks: &mut [Block]) -> u32 {
    let mut removed = 0;
    zhnorm_doc::for_each_inline_mut(blocks, &mut |list| {
        for inline in list.iter_mut() {
            if let Inline::Text { text } = inline
                && has_residue(text.as_bytes())
            {
                // One pass: a token is removed as soon as it forms at the end of the output,
                // so removals that make new tokens are caught too, in linear time.
                let mut clean = String::with_capacity(text.len());
                for c in text.chars() {
                    clean.push(c);
                    if let Some(token) = RESIDUE.iter().find(|t| clean.ends_with(**t)) {
                        clean.truncate(clean.len() - token.len());
                        removed += 1;
                    }
                }
                *text = clean;
            }
        }
    });
    removed
}

#[cfg(test)]
mod tests {
    use super::has_residue;

    #[test]
    fn residue_is_found_wherever_the_token_stands() {
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("中文", false),
            ("it's a [link] {x} <b>", false),
            ("[[", true),
            ("文字]]", true),
            ("a-{", true),
            ("尾巴|}", true),
            ("表{|", true),
            ("x}-y", true),
            ("'''粗'''", true),
            ("他说<ref>", true),
            ("中文中文中文中文中文-{中文", true),
            ("长长长长长长长长长长长长长长长长的英文 words then }}", true),
        ];
        for &(text, expected) in cases {
            assert_eq!(has_residue(text.as_bytes()), expected, "{text:?}");
        }
    }
}
