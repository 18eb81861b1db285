//! Links: internal links `[[…]]` (categories and interlanguage links too; files go to
//! [`super::media`]), external links `[…]` and bare URLs.
//!
//! Invariants: link targets are percent- and entity-decoded as MediaWiki decodes them; an
//! invalid one loses its brackets (a departure, see docs/wikitext.md). URLs end where MediaWiki
//! ends them, and show with the characters MediaWiki percent-encodes (`|`, `[`, `]`, controls)
//! encoded. Categories and interlanguage links leave the text for the document's `categories`
//! and `interlanguage`. Inside link text, nested links show their text only (zh.wikipedia has no
//! link trail).

use super::blocks::BlockSink;
use super::entities::{decode_entities, decode_entity};
use super::inline::BEHAVIOUR_SWITCHES;
use super::inline::Inl;
use super::media::FILE_NAMESPACES;
use super::{Ctx, MAX_DEPTH, Reader, is_ws};
use zhnorm_doc::{Inline, InterlanguageLink, LinkKind, codes};
pub(super) const CATEGORY_NAMESPACES: &[&str] = &["category", "分类", "分類"];
/// Language codes of interlanguage links (`[[en:Foo]]`).
const INTERLANGUAGE: &[&str] = &[
    "en",
    "ja",
    "ko",
    "fr",
    "de",
    "es",
    "ru",
    "it",
    "pt",
    "nl",
    "pl",
    "sv",
    "uk",
    "vi",
    "ar",
    "fa",
    "he",
    "hi",
    "id",
    "ms",
    "th",
    "tr",
    "cs",
    "fi",
    "no",
    "nb",
    "nn",
    "da",
    "hu",
    "ro",
    "el",
    "bg",
    "sr",
    "hr",
    "sk",
    "sl",
    "lt",
    "lv",
    "et",
    "ca",
    "eu",
    "gl",
    "simple",
    "zh-yue",
    "yue",
    "wuu",
    "gan",
    "zh-classical",
    "lzh",
    "zh-min-nan",
    "nan",
    "hak",
    "cdo",
    "bo",
    "ug",
    "mn",
    "kk",
    "ky",
    "uz",
    "az",
    "hy",
    "ka",
    "be",
    "tl",
    "ta",
    "te",
    "bn",
    "ur",
    "la",
    "eo",
    "is",
    "ga",
    "cy",
    "af",
    "sw",
    "sq",
    "mk",
    "bs",
    "lb",
    "sh",
    "ceb",
    "war",
    "my",
    "km",
    "lo",
    "si",
    "ne",
    "mr",
    "gu",
    "pa",
    "kn",
    "ml",
    "jv",
    "su",
    "ps",
    "ku",
    "tt",
    "ba",
    "ce",
    "os",
    "tg",
    "tk",
    "ast",
    "oc",
    "an",
    "br",
    "fy",
    "io",
    "ia",
    "vo",
    "sco",
    "als",
    "arz",
    "azb",
    "pnb",
    "new",
    "bpy",
];
impl<'a> Reader<'a> {
    /// Reads `[[…]]` at `open` whose `]]` is at `close`; returns where to continue.
    pub(super) fn link(
        &mut self,
        open: usize,
        close: usize,
        limit: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> usize {
        let after = close + 2;
        if ctx.depth >= MAX_DEPTH {
            return after;
        }
        let inner = (open + 2, close);
        let bar = self.first_top_level(inner.0, inner.1, b'|');
        let target_end = bar.unwrap_or(inner.1);
        let raw_target = self.src[inner.0..target_end].trim();
        if raw_target
            .bytes()
            .any(|b| matches!(b, b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'\n'))
        {
            // Not a valid title: MediaWiki shows the brackets as text; zhnorm drops them
            // (the matching pass reported nothing, so say so here) and reads what is inside.
            self.diagnose(
                &codes::UNBALANCED_LINK_BRACKETS,
                "`[[…]]` around something that is not a page title; brackets dropped".to_owned(),
                open,
            );
            self.sub_inlines_into(inner.0, inner.1, ctx, out);
            return after;
        }
        // Titles of zh.wikipedia mostly start with a CJK character: no scheme to look for.
        if raw_target
            .as_bytes()
            .first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/')
            && (raw_target.starts_with("//") || raw_target.as_bytes().contains(&b':'))
            && has_url_scheme(raw_target.as_bytes())
        {
            // `[[http://x text]]` is no internal link: MediaWiki shows `[`, the external link
            // `[http://x text]` and `]`.
            out.push_str("[");
            let mut run = open + 1;
            if let Some(link_end) = self.external_link(open + 1, close + 1, ctx, out, run) {
                run = link_end;
            }
            self.sub_inlines_into(run, close + 1, ctx, out);
            out.push_str("]");
            return after;
        }
        // As MediaWiki: a target holding `%` is percent-decoded, then entities are decoded;
        // the link text of `[[…]]` without `|` is the decoded target as written.
        let decoded = if raw_target.bytes().any(|b| b == b'%' || b == b'&') {
            std::borrow::Cow::Owned(decode_title(raw_target))
        } else {
            std::borrow::Cow::Borrowed(raw_target)
        };
        // (Only decoding can bring these in: the raw target was checked above.)
        if matches!(decoded, std::borrow::Cow::Owned(_))
            && (decoded
                .bytes()
                .any(|b| matches!(b, b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'|' | b'\n'))
                || has_percent_escape(&decoded))
        {
            self.diagnose(
                &codes::UNBALANCED_LINK_BRACKETS,
                "`[[…]]` around something that is not a page title; brackets dropped".to_owned(),
                open,
            );
            self.sub_inlines_into(inner.0, inner.1, ctx, out);
            return after;
        }
        let raw_target: &str = &decoded;
        let colon_link = raw_target.starts_with(':');
        let target = raw_target.trim_start_matches(':').trim();
        if !colon_link && let Some((ns, rest)) = target.split_once([':', '：']) {
            let ns_lower = ns.trim().to_lowercase();
            if FILE_NAMESPACES.contains(&ns_lower.as_str()) {
                return self.figure(open, close, rest.trim(), limit, ctx, out, sink);
            }
            if CATEGORY_NAMESPACES.contains(&ns_lower.as_str()) {
                let name = normalize_title(rest);
                if !name.is_empty() && !self.categories.contains(&name) {
                    self.categories.push(name);
                }
                return after;
            }
            if INTERLANGUAGE.contains(&ns.trim()) && !rest.trim().is_empty() {
                self.interlanguage.push(InterlanguageLink {
                    lang: ns.trim().to_owned(),
                    target: normalize_title(rest),
                });
                return after;
            }
        }
        // A target taken as written needs only its `_` replaced (the common case, without a
        // pass over its characters); a decoded one may hold any space separator.
        let target = match decoded {
            std::borrow::Cow::Borrowed(_) if target.contains('_') => target.replace('_', " "),
            std::borrow::Cow::Borrowed(_) => target.to_owned(),
            std::borrow::Cow::Owned(_) => normalize_title(target),
        };
        let inlines = match bar {
            Some(bar) if bar + 1 == close => {
                // The pipe trick: `[[巴库 (城市)|]]` shows `巴库`.
                let shown = target.rsplit_once(':').map_or(target.as_str(), |(_, t)| t);
                let shown = shown.split(" (").next().unwrap_or(shown).trim();
                vec![Inline::text(shown)]
            }
            Some(bar) => {
                let (ts, te) = self.trim(bar + 1, close);
                self.sub_inlines(
                    ts,
                    te,
                    Ctx {
                        in_link: true,
                        ..ctx
                    },
                )
            }
            None => vec![Inline::text(raw_target.trim_start_matches(':').trim())],
        };
        if ctx.in_link || target.is_empty() {
            out.extend(inlines);
        } else {
            out.push(Inline::Link {
                kind: LinkKind::Wiki,
                target,
                inlines,
            });
        }
        after
    }

    /// The `]` that closes an external link's text, given the first one found (`close`): as
    /// MediaWiki (whose sanitizer escapes brackets in attributes first), a `]` inside an HTML
    /// tag's attributes (`<span title="[x]">`) does not close the link.
    fn close_past_tags(&self, from: usize, mut close: usize, end: usize) -> usize {
        let bytes = self.bytes;
        let mut i = from;
        while let Some(p) = memchr::memchr(b'<', &bytes[i..close.min(end)]) {
            let lt = i + p;
            i = lt + 1;
            // A tag: `<name` or `</name` followed by a space, `/` or `>`.
            let name_start = lt + 1 + usize::from(bytes.get(lt + 1) == Some(&b'/'));
            let name_len = bytes[name_start..end]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0
                || !bytes
                    .get(name_start + name_len)
                    .is_some_and(|&b| matches!(b, b' ' | b'\t' | b'/' | b'>'))
            {
                continue;
            }
            let Some(gt) = memchr::memchr2(b'>', b'\n', &bytes[lt..end]).map(|q| lt + q) else {
                break;
            };
            if bytes[gt] == b'\n' || gt < close {
                continue;
            }
            // The tag holds the `]`: look for the next one after it.
            i = gt + 1;
            close = memchr::memchr2(b']', b'\n', &bytes[i..end]).map_or(end, |q| i + q);
        }
        close
    }

    /// Reads `[url text]` at `at`; returns where to continue, or `None` when it is not one.
    pub(super) fn external_link(
        &mut self,
        at: usize,
        end: usize,
        ctx: Ctx,
        out: &mut Inl,
        run: usize,
    ) -> Option<usize> {
        let bytes = self.bytes;
        let url_start = at + 1;
        if !has_url_scheme(&bytes[url_start..end]) {
            return None;
        }
        let url_end = bracketed_url_end(self.src, url_start, end);
        // The first `]` or newline after the URL, past any `[[…]]` (remembered, so that many
        // `[http` stay linear).
        let close = if self.bracket_memo.0 <= url_end && url_end <= self.bracket_memo.1 {
            self.bracket_memo.1
        } else {
            let mut found = url_end;
            loop {
                found = memchr::memchr3(b']', b'\n', b'[', &bytes[found..end])
                    .map_or(end, |p| found + p);
                if found < end
                    && bytes[found] == b'['
                    && let Some(link_end) = self.construct_end(found, end)
                {
                    found = link_end;
                    continue;
                }
                if found < end && bytes[found] == b'[' {
                    found += 1;
                    continue;
                }
                break;
            }
            self.bracket_memo = (url_end, found);
            found
        };
        let close = self.close_past_tags(url_end, close, end);
        if close >= end || bytes[close] != b']' {
            return None;
        }
        if run < at {
            out.push_str(&self.src[run..at]);
        }
        let text_start = skip_space_separators(self.src, url_end, close);
        // MediaWiki's link text holds no controls (a backspace after the URL leaves
        // `[http://x\u{8} text]` as text).
        if self.src[text_start..close]
            .chars()
            .any(|c| (c < ' ' && c != '\t') || c == '\u{fffd}')
        {
            return None;
        }
        let url = url_text(&self.src[url_start..url_end]);
        let inlines = if ctx.depth < MAX_DEPTH {
            self.sub_inlines(
                text_start,
                close,
                Ctx {
                    in_link: true,
                    ..ctx
                },
            )
        } else {
            Vec::new()
        };
        if ctx.in_link {
            out.extend(inlines);
        } else {
            out.push(Inline::Link {
                kind: LinkKind::External,
                target: url,
                inlines,
            });
        }
        Some(close + 1)
    }
}

const SCHEMES: &[&[u8]] = &[
    b"http://",
    b"https://",
    b"ftp://",
    b"//",
    b"mailto:",
    b"news:",
    b"irc://",
    b"ircs://",
    b"sftp://",
    b"git://",
    b"svn://",
    b"telnet://",
    b"gopher://",
    b"nntp://",
    b"urn:",
];

pub(super) fn has_url_scheme(bytes: &[u8]) -> bool {
    SCHEMES.iter().any(|s| {
        bytes.len() > s.len() && bytes[..s.len()].eq_ignore_ascii_case(s) && !is_ws(bytes[s.len()])
    })
}

/// The start of a URL scheme (`http`, `https`, `ftp`, `irc` …) just before `colon`, if a bare
/// URL starts there.
#[inline]
pub(super) fn url_scheme_before(bytes: &[u8], run: usize, colon: usize) -> Option<usize> {
    // (MediaWiki links every protocol of `$wgUrlProtocols` that has `//`; these are the ones
    // seen in articles.)
    for scheme in [
        &b"https"[..],
        b"http",
        b"ftp",
        b"ftps",
        b"sftp",
        b"irc",
        b"ircs",
        b"git",
        b"svn",
    ] {
        if colon >= run + scheme.len() {
            let start = colon - scheme.len();
            if bytes[start..colon].eq_ignore_ascii_case(scheme)
                && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            {
                return Some(start);
            }
        }
    }
    None
}

/// A link target as MediaWiki reads it: percent-decoded when it holds `%` (and the result is
/// UTF-8), then with its entities decoded.
fn decode_title(raw: &str) -> String {
    let unescaped = if raw.contains('%') {
        percent_decode(raw).unwrap_or_else(|| raw.to_owned())
    } else {
        raw.to_owned()
    };
    decode_entities(&unescaped)
}

/// `%XX` sequences decoded; `None` when the bytes are not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            // (Two hex digits: `from_str_radix` would also take `+a`.)
            && hex.iter().all(u8::is_ascii_hexdigit)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// True when `text` still holds a `%XX` escape (after one decoding, an invalid title).
fn has_percent_escape(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// A page title as MediaWiki normalizes it: `_` and every space separator (no-break space,
/// U+3000 …) are one space, none at the ends.
fn normalize_title(title: &str) -> String {
    if is_normal_title(title) {
        return title.to_owned();
    }
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in title.chars() {
        if c == '_' || c.is_whitespace() || is_space_separator(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// True when [`normalize_title`] would not change `title` (one pass over its bytes: CJK
/// characters start with bytes past the space separators' lead bytes).
fn is_normal_title(title: &str) -> bool {
    let bytes = title.as_bytes();
    let mut prev_space = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            b'_' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return false,
            // The lead bytes of U+00A0, U+1680, U+2000–U+205F and U+3000: look at the char.
            0xc2 | 0xe1..=0xe3 => {
                if title[i..].chars().next().is_some_and(is_space_separator) {
                    return false;
                }
                prev_space = false;
            }
            _ => prev_space = false,
        }
    }
    !prev_space || bytes.is_empty()
}

/// The end of a bare URL whose scheme ends at `from`: as MediaWiki's free links, the URL ends
/// at a space (any Unicode space separator, U+3000 included), a control character, `[]<>"{}`,
/// or an entity that stands for `<`, `>` or a space (`&lt;`, `&nbsp;`); trailing punctuation
/// is the sentence's, except the `;` of an entity. (Past MediaWiki, zhnorm also ends it at a
/// CJK character: the text shown is the same, and the link target is the one meant.)
#[inline]
pub(super) fn bare_url_end(bytes: &[u8], from: usize, end: usize) -> usize {
    let mut i = from;
    while i < end {
        let b = bytes[i];
        if b >= 0x80
            || b <= b' '
            || b == 0x7f
            || matches!(b, b'[' | b']' | b'<' | b'>' | b'"' | b'{' | b'}')
        {
            if b == 0 {
                // MediaWiki removes NUL from the text before reading.
                i += 1;
                continue;
            }
            break;
        }
        if b == b'&' && ends_url(&bytes[i..end]) {
            break;
        }
        // `''` is italics (MediaWiki reads quotes before URLs), and a behaviour switch
        // (`__TOC__`) is gone before URLs are read.
        if (b == b'\'' && bytes.get(i + 1) == Some(&b'\''))
            || (b == b'_' && bytes.get(i + 1) == Some(&b'_') && is_behaviour_switch(&bytes[i..end]))
        {
            break;
        }
        i += 1;
    }
    // Trailing punctuation is the sentence's, not the URL's.
    let has_paren = bytes[from..i].contains(&b'(');
    while i > from {
        match bytes[i - 1] {
            b';' if ends_with_entity(&bytes[from..i]) => break,
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' => i -= 1,
            b')' if !has_paren => i -= 1,
            _ => break,
        }
    }
    i
}

/// True when the entity at the start of `bytes` ends a bare URL: as MediaWiki's free links,
/// only one that stands for `<`, `>` or a no-break space (`&#x5B;` is part of the URL, shown
/// percent-encoded).
fn ends_url(bytes: &[u8]) -> bool {
    let Some((decoded, _)) = decode_entity(bytes) else {
        return false;
    };
    let mut text = String::new();
    decoded.push_to(&mut text);
    text.chars()
        .next()
        .is_some_and(|c| matches!(c, '<' | '>' | '\u{a0}'))
}

/// Characters outside MediaWiki's URL character class.
fn ends_url_char(c: char) -> bool {
    matches!(c, '[' | ']' | '<' | '>' | '"' | '\u{7f}' | '\u{fffd}')
        // (NUL is no end: MediaWiki removes it from the text before reading.)
        || (c <= ' ' && c != '\0')
        || is_space_separator(c)
}

/// Unicode's space separators (general category Zs).
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// True when `bytes` ends with an entity (`&amp;`, `&#38;`), whose `;` is no punctuation.
fn ends_with_entity(bytes: &[u8]) -> bool {
    let Some(amp) = memchr::memrchr(b'&', bytes) else {
        return false;
    };
    let body = &bytes[amp + 1..bytes.len() - 1];
    !body.is_empty()
        && match body.strip_prefix(b"#") {
            Some(num) => num
                .strip_prefix(b"x")
                .or_else(|| num.strip_prefix(b"X"))
                .map_or(
                    !num.is_empty() && num.iter().all(u8::is_ascii_digit),
                    |hex| !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
                ),
            None => body.iter().all(u8::is_ascii_alphanumeric),
        }
}

/// The end of the URL of `[url text]` starting at `from`: at the first character outside
/// MediaWiki's URL class (ASCII space, U+3000 and the other space separators, `[]<>"`, controls,
/// U+FFFD), or at `&lt;`/`&gt;`.
fn bracketed_url_end(src: &str, from: usize, end: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = from;
    // An IPv6 host in brackets (`http://[::1]/`) is part of the URL.
    if let Some(p) = memchr::memmem::find(&bytes[from..end.min(from + 12)], b"://[") {
        let host = from + p + 4;
        let len = bytes[host..end]
            .iter()
            .take_while(|&&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            .count();
        if len > 0 && host + len < end && bytes[host + len] == b']' {
            i = host + len + 1;
        }
    }
    while i < end {
        let b = bytes[i];
        if b < 0x80 {
            // Here only `&lt;`/`&gt;` end the URL: MediaWiki reads `[http://&#x20;x text]` as
            // one URL.
            if ends_url_char(b as char)
                || (b == b'&'
                    && (bytes[i..end].starts_with(b"&lt;") || bytes[i..end].starts_with(b"&gt;")))
                // `''` is italics (MediaWiki reads quotes before links).
                || (b == b'\'' && bytes.get(i + 1) == Some(&b'\''))
            {
                return i;
            }
            i += 1;
            continue;
        }
        let c = src[i..].chars().next().unwrap_or(' ');
        if ends_url_char(c) {
            return i;
        }
        i += c.len_utf8();
    }
    end
}

/// Skips the space separators (U+3000 too) between a bracketed URL and its text.
fn skip_space_separators(src: &str, mut from: usize, end: usize) -> usize {
    while from < end
        && let Some(c) = src[from..].chars().next()
        && is_space_separator(c)
    {
        from += c.len_utf8();
    }
    from
}

/// A URL as MediaWiki shows and links it: entities decoded, then the characters that may not
/// stand in a URL (`|`, `[`, `]`, controls, spaces) percent-encoded, and the characters IDN
/// ignores (`&zwnj;`, soft hyphen …) taken out of the host. Only entities and `|` (which a bare
/// URL may hold: `ftp://|x` shows `ftp://%7Cx`) can bring these in; NUL is removed (MediaWiki
/// removes it before reading).
pub(super) fn url_text(raw: &str) -> String {
    if memchr::memchr3(b'&', 0, b'|', raw.as_bytes()).is_none() {
        return raw.to_owned();
    }
    let decoded = decode_entities(raw);
    let host_start = decoded.find("//").map_or(0, |p| p + 2);
    let host_end = decoded[host_start..]
        .find(['/', '?', '#'])
        .map_or(decoded.len(), |p| host_start + p);
    let mut out = String::with_capacity(decoded.len());
    for (i, c) in decoded.char_indices() {
        if c == '\0' || ((host_start..host_end).contains(&i) && is_idn_ignored(c)) {
            continue;
        }
        if c <= ' ' || matches!(c, '|' | '[' | ']' | '\u{7f}') {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters IDNA maps to nothing, which MediaWiki strips from a URL's host.
fn is_idn_ignored(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{180b}'..='\u{180d}'
            | '\u{200b}'..='\u{200d}'
            | '\u{2060}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
    )
}

/// True when `bytes` starts with a behaviour switch (`__TOC__`, any case).
fn is_behaviour_switch(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"__") {
        return false;
    }
    let word = bytes[2..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    word > 0
        && bytes[2 + word..].starts_with(b"__")
        && BEHAVIOUR_SWITCHES
            .iter()
            .any(|s| s.as_bytes().eq_ignore_ascii_case(&bytes[2..2 + word]))
}
