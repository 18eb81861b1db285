//! The first two passes of the wikitext reader: comment removal and bracket matching.
//!
//! MediaWiki decides the extent of comments and extension tags (`<ref>`, `<nowiki>`, `<math>`, …)
//! before anything else, then pairs `{{`/`}}`, `[[`/`]]` and `-{`/`}-` with a stack. This module
//! does the same in one linear pass with an explicit stack (so nesting depth never touches the
//! call stack) and records, for each opener, where its closer is. Later passes jump over a whole
//! construct in O(1) with these tables; every unmatched token is recorded for a diagnostic.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use wide::u8x16;

/// Hashes byte offsets with one multiplication: the maps below are keyed by offsets, and the
/// default SipHash showed up in profiles.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct OffsetHasher(u64);

impl Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map keyed by byte offsets.
pub(crate) type OffsetMap<V> = HashMap<usize, V, BuildHasherDefault<OffsetHasher>>;
/// The table of `bytes`: `true` at each of them. A `const fn`, so that the byte classes of the
/// scanners are computed at compile time.
pub(crate) const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// A set of byte offsets.
pub(crate) type OffsetSet = std::collections::HashSet<usize, BuildHasherDefault<OffsetHasher>>;

/// Bytes that can start a token of the matching pass.
const SPECIAL: ByteSet<7> = ByteSet::new(*b"[]{}-<\n");

/// A small set of ASCII bytes, searched for sixteen bytes at a time.
#[derive(Debug)]
pub(crate) struct ByteSet<const N: usize> {
    bytes: [u8; N],
    table: [bool; 256],
}

impl<const N: usize> ByteSet<N> {
    pub(crate) const fn new(bytes: [u8; N]) -> Self {
        let mut table = [false; 256];
        let mut i = 0;
        while i < N {
            assert!(bytes[i].is_ascii(), "the sets hold ASCII bytes only");
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet { bytes, table }
    }

    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.table[byte as usize]
    }
}

/// The offset of the first byte in `from..end` that is in `set`, or `end`. Every scan of the
/// reader goes through here, over every byte of the article: sixteen bytes are compared with each
/// byte of the set at once (SSE2 on x86-64, through `wide`; a portable fallback elsewhere), and
/// only the last few bytes are looked up one by one. It replaced an eight-byte skip over
/// non-ASCII bytes with a table lookup per ASCII byte, the largest single cost in profiles of the
/// ASCII-heavy template and reference markup (about 10 % faster overall, A/B in one session).
#[inline]
pub(crate) fn next_marked<const N: usize>(
    bytes: &[u8],
    from: usize,
    end: usize,
    set: &ByteSet<N>,
) -> usize {
    let end = end.min(bytes.len());
    let mut i = from;
    // Filled in a loop: `array::map` went through an out-of-line `try_map` on every call (about
    // fifty instructions, 3 % of the reader's on the bracket scans alone).
    let mut needles = [u8x16::ZERO; N];
    for (needle, &byte) in needles.iter_mut().zip(&set.bytes) {
        *needle = u8x16::splat(byte);
    }
    while let Some(chunk) = bytes.get(i..end).and_then(<[u8]>::first_chunk::<16>) {
        let chunk = u8x16::new(*chunk);
        let hits = needles
            .iter()
            .fold(u8x16::ZERO, |hits, &needle| hits | chunk.simd_eq(needle));
        let mask = hits.to_bitmask();
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < end {
        if set.contains(bytes[i]) {
            return i;
        }
        i += 1;
    }
    end
}

/// The text with comments removed, and a map back to offsets of the original.
#[derive(Debug)]
pub(crate) struct Stripped<'a> {
    /// Borrowed when the text holds no comment (the common case: no copy).
    pub text: std::borrow::Cow<'a, str>,
    /// `(offset in stripped text, bytes removed before it)`, sorted; empty when nothing was removed.
    shifts: Vec<(usize, usize)>,
    /// Offsets (in the original) of `<!--` without `-->`.
    pub unclosed_comments: Vec<usize>,
}

impl Stripped<'_> {
    /// The offset in the original text of `offset` in the stripped text.
    pub fn original(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(at, _)| at <= offset);
        if i == 0 {
            offset
        } else {
            offset + self.shifts[i - 1].1
        }
    }
}

/// The offset of the next `<!--` at or after `from` (a SIMD substring search: this pass reads
/// every byte of the article).
fn find_comment(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(&bytes[from..], b"<!--").map(|at| from + at)
}

/// Removes `<!-- … -->`, and the transclusion markup as a page view shows it: the tags
/// `<noinclude>`, `<onlyinclude>` and their closing tags go (their content stays), and
/// `<includeonly>…</includeonly>` goes with its content (unclosed: to the end of the text), before
/// anything else is read, as MediaWiki's preprocessor does (so `<includeonly/>== x ==` is a
/// heading). A stray `</includeonly>` stays text. A line holding nothing but comments disappears
/// with its newline, as in MediaWiki, so that a comment alone on a line does not split a
/// paragraph. An unclosed comment hides the rest of the text (MediaWiki does the same) and is
/// reported.
pub(crate) fn strip_comments(text: &str) -> Stripped<'_> {
    let mut stripped = Stripped {
        text: std::borrow::Cow::Borrowed(text),
        shifts: Vec::new(),
        unclosed_comments: Vec::new(),
    };
    let bytes = text.as_bytes();
    let mut next_comment = find_comment(bytes, 0);
    let mut next_transclusion = find_transclusion(bytes, 0);
    if next_comment.is_none() && next_transclusion.is_none() {
        return stripped;
    }
    let mut out = String::with_capacity(text.len());
    let mut removed = 0usize;
    let mut pos = 0usize;
    loop {
        if next_comment.is_some_and(|c| c < pos) {
            next_comment = find_comment(bytes, pos);
        }
        if next_transclusion.is_some_and(|(t, _)| t < pos) {
            next_transclusion = find_transclusion(bytes, pos);
        }
        let (start, mut end, is_comment) = match (next_comment, next_transclusion) {
            (Some(c), Some((t, _))) if t < c => {
                let (_, e) = next_transclusion.unwrap_or_default();
                (t, e, false)
            }
            (Some(c), _) => {
                let (e, closed) = match memchr::memmem::find(&bytes[c + 4..], b"-->") {
                    Some(e) => (c + 4 + e + 3, true),
                    None => (text.len(), false),
                };
                if !closed {
                    stripped.unclosed_comments.push(c);
                }
                (c, e, true)
            }
            (None, Some((t, e))) => (t, e, false),
            (None, None) => break,
        };
        let mut cut_start = start;
        if is_comment && end < text.len() {
            // A comment that is alone on its line takes the line's newline with it.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let before_blank =
                text[line_start..start].trim().is_empty() && out.len() >= start - pos;
            if before_blank {
                let rest = &text[end..];
                let line_rest = rest.find('\n').map_or(rest, |i| &rest[..i]);
                if line_rest.trim().is_empty() && rest.len() > line_rest.len() {
                    // Drop the whitespace before the comment and the line's remainder with its
                    // newline.
                    cut_start = line_start.max(pos);
                    end += line_rest.len() + 1;
                }
            }
        }
        out.push_str(&text[pos..cut_start]);
        removed += end - cut_start;
        stripped.shifts.push((out.len(), removed));
        pos = end;
    }
    out.push_str(&text[pos..]);
    stripped.text = std::borrow::Cow::Owned(out);
    stripped
}

/// The next transclusion tag at or after `from` (see [`strip_comments`]), with the end of what
/// goes with it.
fn find_transclusion(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    // Every name holds `include`: a substring search instead of a look at every `<` (articles
    // have thousands, from references). Written in lower or upper case, as they are in practice.
    let find =
        |needle: &[u8], at: usize| memchr::memmem::find(&bytes[at..], needle).map(|p| at + p);
    let mut search = from;
    let (mut lower, mut upper) = (find(b"include", from), find(b"INCLUDE", from));
    loop {
        // Each needle is searched again only once its last hit is passed: linear.
        if lower.is_some_and(|l| l < search) {
            lower = find(b"include", search);
        }
        if upper.is_some_and(|u| u < search) {
            upper = find(b"INCLUDE", search);
        }
        let hit = lower.into_iter().chain(upper).min()?;
        // The tag's `<` is at most `</only` (6 bytes) before the hit.
        let window_start = hit.saturating_sub(6).max(search);
        if let Some(found) = transclusion_tag_at(bytes, window_start, hit + 7) {
            return Some(found);
        }
        search = hit + 7;
    }
}

/// The transclusion tag whose `<` is in `from..to`, with the end of what goes with it.
fn transclusion_tag_at(bytes: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
    for at in memchr::memchr_iter(b'<', &bytes[from..to]).map(|p| from + p) {
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name = ["noinclude", "onlyinclude", "includeonly"]
            .into_iter()
            .find(|name| {
                bytes
                    .get(name_start..name_start + name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
                    && bytes
                        .get(name_start + name.len())
                        .is_none_or(|&b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n'))
            });
        let Some(name) = name else {
            continue;
        };
        let Some(gt) = memchr::memchr(b'>', &bytes[name_start..]).map(|p| name_start + p + 1)
        else {
            continue;
        };
        if name != "includeonly" {
            return Some((at, gt));
        }
        if closing {
            // A stray `</includeonly>` is text.
            continue;
        }
        if bytes[gt - 2] == b'/' {
            return Some((at, gt));
        }
        let end =
            find_close_tag(bytes, "includeonly", gt, bytes.len()).map_or(bytes.len(), |(_, e)| e);
        return Some((at, end));
    }
    None
}

/// The kinds of paired brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bracket {
    /// `[[` … `]]`
    Link,
    /// `{{` … `}}`
    Template,
    /// `-{` … `}-`
    Conversion,
}

/// An extension tag whose extent is decided before brackets (`<ref>`, `<nowiki>`, …).
#[derive(Debug, Clone)]
pub(crate) struct TagSpan {
    /// Lower-case tag name.
    pub name: &'static str,
    /// The attribute text between the name and `>` (or `/>`).
    pub attrs: (usize, usize),
    pub self_closing: bool,
    /// The content between the opening and the closing tag.
    pub content: (usize, usize),
    /// Offset just past the closing tag (or past the opening tag when self-closing).
    pub end: usize,
}

/// Extension tags whose content is not wikitext: brackets inside do not count.
const OPAQUE_TAGS: &[&str] = &[
    "nowiki",
    "pre",
    "math",
    "chem",
    "ce",
    "syntaxhighlight",
    "source",
    "score",
    "timeline",
    "templatedata",
    "graph",
    "mapframe",
    "maplink",
    "includeonly",
    "hiero",
    "inputbox",
    "categorytree",
];

/// Extension tags whose content is wikitext of its own: brackets pair only inside.
/// (`<indicator>` is page chrome, never text; `<langconvert>` holds text to convert.)
const CONTAINER_TAGS: &[&str] = &[
    "ref",
    "references",
    "poem",
    "gallery",
    "indicator",
    "langconvert",
];

/// How many stack entries a closer may look past to find its opener. Bounded so that the pass
/// stays linear on adversarial input; the openers it skips are unmatched.
const CLOSER_REACH: usize = 6;

/// What the matching pass found.
#[derive(Debug, Default)]
pub(crate) struct Structure {
    /// Opener offset to closer offset (the closer's first byte).
    pub pairs: OffsetMap<usize>,
    /// Extension tags by the offset of their `<`.
    pub tags: OffsetMap<TagSpan>,
    /// Offsets of top-level-or-not tags of kind `ref`, sorted (for refs inside dropped templates).
    pub ref_tags: Vec<usize>,
    /// Unmatched tokens, sorted by offset after [`match_brackets`] returns.
    pub unmatched: Vec<(usize, Unmatched)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unmatched {
    Opener(Bracket),
    Closer(Bracket),
    /// An extension tag without its closing tag.
    Tag(&'static str),
}

enum Entry {
    Open(Bracket, usize),
    /// Inside a container tag (its content ends at the top of `barrier_ends`); scanning resumes
    /// at this offset, past the closing tag.
    Barrier(usize),
}

/// Case-insensitive search for `</name` followed by optional spaces and `>`, from `from` up to `limit`.
/// Returns the offset of `<` and the offset past `>`.
fn find_close_tag(bytes: &[u8], name: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    let mut pos = from;
    let name = name.as_bytes();
    while pos < limit {
        let rel = memchr::memchr(b'<', &bytes[pos..limit])?;
        let at = pos + rel;
        let after = at + 2 + name.len();
        if bytes.get(at + 1) == Some(&b'/')
            && after <= limit
            && bytes[at + 2..after].eq_ignore_ascii_case(name)
        {
            let mut k = after;
            while k < limit && bytes[k] == b' ' {
                k += 1;
            }
            if k < limit && bytes[k] == b'>' {
                return Some((at, k + 1));
            }
        }
        pos = at + 1;
    }
    None
}

/// One remembered search: from, limit, and the closing tag found (its `<` and the offset past `>`).
pub(crate) type CloseSearch = (usize, usize, Option<(usize, usize)>);

/// Remembers the last search for each closing tag so that many unclosed tags cost linear time.
#[derive(Default)]
struct CloseTagMemo {
    /// name → (searched from, searched up to, result)
    last: foldhash::HashMap<&'static str, CloseSearch>,
}

impl CloseTagMemo {
    fn find(
        &mut self,
        bytes: &[u8],
        name: &'static str,
        from: usize,
        limit: usize,
    ) -> Option<(usize, usize)> {
        if let Some(&(s, l, result)) = self.last.get(name)
            && from >= s
            && limit == l
        {
            match result {
                None => return None,
                Some((at, end)) if at >= from => return Some((at, end)),
                _ => {}
            }
        }
        let result = find_close_tag(bytes, name, from, limit);
        self.last.insert(name, (from, limit, result));
        result
    }
}

/// Reads `<name attrs>` or `<name attrs/>` at `at`, for a known tag name. Returns the name,
/// the attribute range, whether it is self-closing and the offset past `>`.
pub(crate) fn open_tag(
    bytes: &[u8],
    at: usize,
    names: &[&'static str],
) -> Option<(&'static str, (usize, usize), bool, usize)> {
    let start = at + 1;
    let mut k = start;
    while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
        k += 1;
    }
    if k == start {
        return None;
    }
    let word = &bytes[start..k];
    let name = names
        .iter()
        .find(|n| n.as_bytes().eq_ignore_ascii_case(word))?;
    match bytes.get(k) {
        Some(b'>' | b'/' | b' ' | b'\t' | b'\n') => {}
        _ => return None,
    }
    // The tag ends at the first `>`, as MediaWiki's preprocessor reads an extension tag (its
    // attributes may hold `<`: `<pre <pre>` opens one `<pre>`); attributes do not span more
    // than a few lines.
    let window_end = bytes.len().min(k + 2000);
    let gt = k + memchr::memchr(b'>', &bytes[k..window_end])?;
    let self_closing = gt > k && bytes[gt - 1] == b'/';
    let attrs_end = if self_closing { gt - 1 } else { gt };
    Some((name, (k, attrs_end), self_closing, gt + 1))
}

/// Offset of the next `<ref` opening tag (not `<references`) at or after `from`, before `limit`.
fn next_ref_open(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut pos = from;
    while pos < limit {
        let at = pos + memchr::memchr(b'<', &bytes[pos..limit])?;
        if at + 4 <= limit
            && bytes[at + 1..at + 4].eq_ignore_ascii_case(b"ref")
            && matches!(bytes.get(at + 4), Some(b' ' | b'>' | b'/' | b'\t' | b'\n'))
        {
            return Some(at);
        }
        pos = at + 1;
    }
    None
}

/// Pairs brackets and finds extension tags in one pass.
pub(crate) fn match_brackets(text: &str) -> Structure {
    let bytes = text.as_bytes();
    let mut structure = Structure::default();
    // Real articles have a construct every 50 to 100 bytes; reserving saves the rehashing.
    structure.pairs.reserve(bytes.len() / 64);
    let mut stack: Vec<Entry> = Vec::new();
    let mut memo = CloseTagMemo::default();
    let mut ref_memo: Option<(usize, usize, Option<usize>)> = None;
    let mut barrier_ends: Vec<usize> = Vec::new();
    // The last `[[` found to hold a `|` while open at a line's end.
    let mut piped_link: Option<usize> = None;
    let mut all_tags: Vec<&'static str> = OPAQUE_TAGS.to_vec();
    all_tags.extend_from_slice(CONTAINER_TAGS);
    let n = bytes.len();
    let mut i = 0usize;

    // Pops everything above the innermost barrier as unmatched, then the barrier itself.
    // Returns the offset where scanning resumes after the container's closing tag.
    fn close_barrier(stack: &mut Vec<Entry>, unmatched: &mut Vec<(usize, Unmatched)>) -> usize {
        while let Some(entry) = stack.pop() {
            match entry {
                Entry::Open(kind, at) => unmatched.push((at, Unmatched::Opener(kind))),
                Entry::Barrier(resume) => return resume,
            }
        }
        0
    }

    // Finds an opener of `kind` within reach; pops and reports the openers above it.
    fn close(
        stack: &mut Vec<Entry>,
        kind: Bracket,
        unmatched: &mut Vec<(usize, Unmatched)>,
    ) -> Option<usize> {
        let mut depth = 0;
        let mut found = None;
        for (index, entry) in stack.iter().enumerate().rev() {
            match entry {
                Entry::Barrier(..) => break,
                Entry::Open(k, at) => {
                    if *k == kind {
                        found = Some((index, *at));
                        break;
                    }
                }
            }
            depth += 1;
            if depth >= CLOSER_REACH {
                break;
            }
        }
        let (index, at) = found?;
        for entry in stack.drain(index + 1..) {
            if let Entry::Open(k, a) = entry {
                unmatched.push((a, Unmatched::Opener(k)));
            }
        }
        stack.pop();
        Some(at)
    }

    while i < n {
        i = next_marked(bytes, i, n, &SPECIAL);
        if i >= n {
            break;
        }
        let b = bytes[i];
        // Barriers end on `<` or a newline, both special bytes.
        if barrier_ends.last().is_some_and(|&end| i >= end) {
            let resume = close_barrier(&mut stack, &mut structure.unmatched);
            barrier_ends.pop();
            i = i.max(resume);
            continue;
        }
        match b {
            b'[' if bytes.get(i + 1) == Some(&b'[') => {
                if bytes.get(i + 2) == Some(&b'[') {
                    i += 1;
                    continue;
                }
                stack.push(Entry::Open(Bracket::Link, i));
                i += 2;
            }
            b']' if bytes.get(i + 1) == Some(&b']') => {
                match close(&mut stack, Bracket::Link, &mut structure.unmatched) {
                    Some(at) => {
                        structure.pairs.insert(at, i);
                    }
                    None => structure
                        .unmatched
                        .push((i, Unmatched::Closer(Bracket::Link))),
                }
                i += 2;
            }
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                // `{{{` is a template parameter: the first brace is literal here.
                if bytes.get(i + 2) == Some(&b'{') && bytes.get(i + 3) != Some(&b'{') {
                    i += 1;
                    continue;
                }
                stack.push(Entry::Open(Bracket::Template, i));
                i += 2;
            }
            b'-' if bytes.get(i + 1) == Some(&b'{') => {
                stack.push(Entry::Open(Bracket::Conversion, i));
                i += 2;
            }
            b'}' if matches!(bytes.get(i + 1), Some(b'}' | b'-')) => {
                let next = bytes[i + 1];
                if next == b'}' {
                    if let Some(at) = close(&mut stack, Bracket::Template, &mut structure.unmatched)
                    {
                        structure.pairs.insert(at, i);
                        i += 2;
                        continue;
                    }
                    // `}}-` may close a conversion with its second brace.
                    if bytes.get(i + 2) == Some(&b'-') {
                        i += 1;
                        continue;
                    }
                    structure
                        .unmatched
                        .push((i, Unmatched::Closer(Bracket::Template)));
                    i += 2;
                } else {
                    match close(&mut stack, Bracket::Conversion, &mut structure.unmatched) {
                        Some(at) => {
                            structure.pairs.insert(at, i);
                        }
                        None => structure
                            .unmatched
                            .push((i, Unmatched::Closer(Bracket::Conversion))),
                    }
                    i += 2;
                }
            }
            b'\n' => {
                // A title does not span lines, but the text after its `|` may (MediaWiki reads
                // `[[File:x.jpg|thumb|a⏎b]]` and `[[x|a⏎b]]` as links), up to a blank line: an
                // open `[[` on top of the stack without a `|` yet is unmatched. Each opener's
                // text is searched for its `|` once (`piped_link`), so this stays linear.
                let blank_line = bytes.get(i + 1) == Some(&b'\n');
                while let Some(&Entry::Open(Bracket::Link, at)) = stack.last() {
                    if !blank_line
                        && (piped_link == Some(at) || memchr::memchr(b'|', &bytes[at..i]).is_some())
                    {
                        piped_link = Some(at);
                        break;
                    }
                    structure
                        .unmatched
                        .push((at, Unmatched::Opener(Bracket::Link)));
                    stack.pop();
                }
                i += 1;
            }
            b'<' => {
                let limit = barrier_ends.last().copied().unwrap_or(n);
                let Some((name, attrs, self_closing, after)) = open_tag(bytes, i, &all_tags) else {
                    i += 1;
                    continue;
                };
                if name == "ref" {
                    structure.ref_tags.push(i);
                }
                if self_closing {
                    structure.tags.insert(
                        i,
                        TagSpan {
                            name,
                            attrs,
                            self_closing,
                            content: (after, after),
                            end: after,
                        },
                    );
                    i = after;
                    continue;
                }
                let mut close_at = memo.find(bytes, name, after, limit);
                let mut next_ref = None;
                if name == "ref" {
                    // A `<ref>` whose `</ref>` comes after the next `<ref` is unclosed.
                    let next_open = match ref_memo {
                        Some((from, l, found))
                            if after >= from && l == limit && found.is_none_or(|f| f >= after) =>
                        {
                            found
                        }
                        _ => {
                            let found = next_ref_open(bytes, after, limit);
                            ref_memo = Some((after, limit, found));
                            found
                        }
                    };
                    next_ref = next_open;
                    if let (Some((c, _)), Some(o)) = (close_at, next_open)
                        && o < c
                    {
                        // Self-closing reuses inside a ref are fine; only an opening ref breaks it.
                        let self_closing_next = open_tag(bytes, o, &["ref"]).is_some_and(|t| t.2);
                        if !self_closing_next {
                            close_at = None;
                        }
                    }
                }
                let is_opaque = OPAQUE_TAGS.contains(&name);
                match close_at {
                    Some((content_end, end)) => {
                        structure.tags.insert(
                            i,
                            TagSpan {
                                name,
                                attrs,
                                self_closing,
                                content: (after, content_end),
                                end,
                            },
                        );
                        if is_opaque {
                            i = end;
                        } else {
                            stack.push(Entry::Barrier(end));
                            barrier_ends.push(content_end);
                            i = after;
                        }
                    }
                    None => {
                        structure.unmatched.push((i, Unmatched::Tag(name)));
                        if name == "ref" {
                            // Recover: the reference runs to the end of its line or the next `<ref`.
                            // (Searching only up to the next `<ref` keeps many unclosed refs linear.)
                            let stop = next_ref.unwrap_or(limit);
                            let next = memchr::memchr(b'\n', &bytes[after..stop])
                                .map_or(stop, |p| after + p);
                            structure.tags.insert(
                                i,
                                TagSpan {
                                    name,
                                    attrs,
                                    self_closing,
                                    content: (after, next),
                                    end: next,
                                },
                            );
                            if next > after {
                                stack.push(Entry::Barrier(next));
                                barrier_ends.push(next);
                            }
                            i = after;
                            if next == after {
                                continue;
                            }
                        } else {
                            // Other unclosed tags are dropped; their content reads as wikitext.
                            i = after;
                        }
                    }
                }
            }
            _ => i += 1,
        }
    }
    while let Some(entry) = stack.pop() {
        if let Entry::Open(kind, at) = entry {
            structure.unmatched.push((at, Unmatched::Opener(kind)));
        }
    }
    structure.unmatched.sort_by_key(|&(at, _)| at);
    structure
}

#[cfg(test)]
mod tests {
    use super::{SPECIAL, next_marked};

    #[test]
    fn next_marked_finds_the_first_marked_byte_in_every_chunk_position() {
        // Chinese (three bytes a character), ASCII and mixed runs, with the marked byte at each
        // offset from 0 to 20 so that it falls at every position of an eight-byte chunk.
        for filler in ["中", "a", "中a"] {
            for at in 0..21 {
                let mut text = filler.repeat(at);
                let before = text.len();
                text.push('[');
                text.push_str(&filler.repeat(5));
                let bytes = text.as_bytes();
                assert_eq!(next_marked(bytes, 0, bytes.len(), &SPECIAL), before);
                // Bounded by `end`, and `end` when nothing is marked.
                assert_eq!(next_marked(bytes, 0, before, &SPECIAL), before);
                assert_eq!(
                    next_marked(bytes, before + 1, bytes.len(), &SPECIAL),
                    bytes.len()
                );
            }
        }
    }
}
