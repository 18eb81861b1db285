//! HTML entities: every HTML5 named character reference (`&nbsp;`, `&eacute;`, `&acE;` …, from
//! the `htmlize` crate's table), MediaWiki's own `&רלמ;`/`&رلم;`, and numeric references
//! `&#…;`/`&#x…;`, decoded to text as MediaWiki's sanitizer decodes them.
//!
//! Invariants: only references closed by `;` are decoded (MediaWiki does not decode the legacy
//! forms without it); a numeric reference to a code point MediaWiki refuses (NUL, C0 and C1
//! controls other than tab and newline, surrogates, U+FFFE/U+FFFF, past U+10FFFF) and an unknown
//! name are left as text, byte for byte.

/// The longest name in HTML5's table, with its `&` and `;` (`&CounterClockwiseContourIntegral;`).
const LONGEST_NAMED: usize = htmlize::ENTITY_MAX_LENGTH;

/// Decodes one HTML entity at the start of `bytes` (which starts with `&`); returns its text and
/// its length in bytes.
pub(super) fn decode_entity(bytes: &[u8]) -> Option<(Decoded, usize)> {
    if bytes.get(1) == Some(&b'#') {
        return decode_numeric(bytes);
    }
    let window = &bytes[..bytes.len().min(LONGEST_NAMED + 1)];
    let semi = window.iter().position(|&b| b == b';')?;
    let reference = &bytes[..=semi];
    // The references articles use most, without hashing.
    let common = match reference {
        b"&nbsp;" => Some("\u{a0}"),
        b"&amp;" => Some("&"),
        b"&lt;" => Some("<"),
        b"&gt;" => Some(">"),
        b"&quot;" => Some("\""),
        b"&ndash;" => Some("–"),
        b"&mdash;" => Some("—"),
        _ => None,
    };
    if let Some(text) = common {
        return Some((Decoded::Static(text), semi + 1));
    }
    if let Some(text) = htmlize::ENTITIES.get(reference) {
        let text = std::str::from_utf8(text).ok()?;
        return Some((Decoded::Static(text), semi + 1));
    }
    // MediaWiki's two aliases of `&rlm;`, in Hebrew and Arabic letters.
    let aliases = ["&רלמ;".as_bytes(), "&رلم;".as_bytes()];
    aliases
        .contains(&reference)
        .then_some((Decoded::Char('\u{200f}'), semi + 1))
}

/// A decoded reference: a character, or the text of a named one (some are two characters).
#[derive(Debug, Clone, Copy)]
pub(super) enum Decoded {
    Char(char),
    Static(&'static str),
}

impl Decoded {
    pub(super) fn push_to(self, out: &mut String) {
        match self {
            Decoded::Char(c) => out.push(c),
            Decoded::Static(s) => out.push_str(s),
        }
    }
}

/// `&#123;` or `&#x7B;`: any number of digits, as MediaWiki reads them.
fn decode_numeric(bytes: &[u8]) -> Option<(Decoded, usize)> {
    let (hex, digits_start) = match bytes.get(2) {
        Some(b'x' | b'X') => (true, 3),
        _ => (false, 2),
    };
    let digits = bytes[digits_start..]
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    let semi = digits_start + digits;
    if digits == 0 || bytes.get(semi) != Some(&b';') {
        return None;
    }
    let text = std::str::from_utf8(&bytes[digits_start..semi]).ok()?;
    let text = text.trim_start_matches('0');
    let code = if text.is_empty() {
        0
    } else if text.len() > 8 {
        return None;
    } else {
        u32::from_str_radix(text, if hex { 16 } else { 10 }).ok()?
    };
    if !is_allowed_code_point(code) {
        return None;
    }
    Some((Decoded::Char(char::from_u32(code)?), semi + 1))
}

/// The code points MediaWiki's sanitizer lets a numeric reference stand for.
fn is_allowed_code_point(code: u32) -> bool {
    matches!(code, 0x09 | 0x0a | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x1_0000..=0x10_ffff)
}

/// `text` with every entity decoded (see the module docs for which).
pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        match decode_entity(&rest.as_bytes()[p..]) {
            Some((decoded, len)) => {
                decoded.push_to(&mut out);
                rest = &rest[p + len..];
            }
            None => {
                out.push('&');
                rest = &rest[p + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::decode_entities;

    #[test]
    fn decodes_as_mediawiki_does() {
        for (given, expected) in [
            ("Pok&eacute;mon", "Pokémon"),
            ("北京&nbsp;市", "北京\u{a0}市"),
            ("Main&#160;Page", "Main\u{a0}Page"),
            ("&#x0000000074;", "t"),
            ("&acE;", "∾\u{333}"),
            (
                "&#00; &#xC; &#x7F; &#xD83D; &#xfffe;",
                "&#00; &#xC; &#x7F; &#xD83D; &#xfffe;",
            ),
            ("&#x10fffd;", "\u{10fffd}"),
            ("&eacute &unknown; &", "&eacute &unknown; &"),
            ("&רלמ;", "\u{200f}"),
        ] {
            assert_eq!(decode_entities(given), expected, "{given}");
        }
    }
}
