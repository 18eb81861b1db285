//! One dictionary (file or group) compiled for longest-match lookups (shared with the build
//! script).
//!
//! All keys that match at a text position are prefixes of the longest one, so whatever a group
//! of dictionaries answers there is a function of that longest key alone. Compiling a group
//! therefore means: take the union of its members' keys, evaluate the group's rules once per key
//! (see [`super::config::MatchPolicy`]), and store the answer (how many bytes it consumes and the
//! text it outputs). Lookups then need one longest match in one double-array trie (`crawdad`),
//! guarded by a bitset of the characters that start any key.

use std::collections::{BTreeSet, HashMap};

use super::config::{DictSpec, MatchPolicy};
use super::dictionary::Dictionary;

/// `crawdad` reserves this character as its end marker: keys never contain it and lookups stop
/// at it.
const TRIE_END_MARKER: char = '\u{FFFF}';
const BITSET_WORDS: usize = 0x11_0000 / 64;
const MAGIC: &[u8; 8] = b"ZHNTAB01";

/// What a compiled dictionary answers when its longest key matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// Bytes of input the match consumes (may be shorter than the longest key: a group member
    /// with higher priority may have answered with a shorter key).
    pub consumed: u32,
    /// Start of the output in the value arena.
    pub value_start: u32,
    /// Byte length of the output.
    pub value_len: u32,
    /// The match is one character whose entry lists several candidates (OpenCC outputs the
    /// first).
    pub ambiguous: bool,
}

/// A compiled dictionary.
pub struct Table {
    trie: crawdad::Trie,
    answers: Vec<Answer>,
    values: String,
    first_chars: Vec<u32>,
    first_bitset: Vec<u64>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("keys", &self.answers.len())
            .field("first_chars", &self.first_chars.len())
            .finish()
    }
}

/// Evaluates `spec` on `key` with OpenCC's rules: the longest prefix of `key` that the
/// dictionary answers, as (bytes consumed, candidates).
pub fn evaluate<'d>(
    spec: &DictSpec,
    dictionaries: &'d HashMap<String, Dictionary>,
    key: &str,
) -> Option<(usize, &'d [String])> {
    match spec {
        DictSpec::File { file, .. } => {
            let dictionary = dictionaries.get(file)?;
            let mut end = key.len();
            loop {
                if let Some(values) = dictionary.get(&key[..end]) {
                    return Some((end, values));
                }
                end = key[..end].char_indices().next_back().map(|(i, _)| i)?;
                if end == 0 {
                    return None;
                }
            }
        }
        DictSpec::Group { policy, members } => {
            let mut best: Option<(usize, &'d [String])> = None;
            for member in members {
                if let Some(found) = evaluate(member, dictionaries, key) {
                    match policy {
                        MatchPolicy::ShortCircuit => return Some(found),
                        MatchPolicy::Union => {
                            if best.is_none_or(|(len, _)| found.0 > len) {
                                best = Some(found);
                            }
                        }
                    }
                }
            }
            best
        }
    }
}

impl Table {
    /// Compiles `spec`; every file it names must be in `dictionaries` (by file name).
    pub fn compile(
        spec: &DictSpec,
        dictionaries: &HashMap<String, Dictionary>,
    ) -> Result<Table, String> {
        let mut files = Vec::new();
        spec.files(&mut files);
        let mut keys = BTreeSet::new();
        for (_, file) in &files {
            let dictionary = dictionaries
                .get(file)
                .ok_or_else(|| format!("dictionary {file} not loaded"))?;
            keys.extend(
                dictionary
                    .keys()
                    .filter(|k| !k.is_empty() && !k.contains(TRIE_END_MARKER))
                    .map(String::as_str),
            );
        }
        let mut answers = Vec::with_capacity(keys.len());
        let mut values = String::new();
        let mut arena: HashMap<&str, u32> = HashMap::new();
        let mut first: BTreeSet<u32> = BTreeSet::new();
        for key in &keys {
            let (consumed, candidates) = evaluate(spec, dictionaries, key)
                .ok_or_else(|| format!("key {key} has no answer"))?;
            let output = candidates[0].as_str();
            let value_start = *arena.entry(output).or_insert_with(|| {
                let start = values.len() as u32;
                values.push_str(output);
                start
            });
            let single_char = key[..consumed].chars().count() == 1;
            answers.push(Answer {
                consumed: consumed as u32,
                value_start,
                value_len: output.len() as u32,
                ambiguous: single_char && candidates.len() > 1,
            });
            if let Some(c) = key.chars().next() {
                first.insert(u32::from(c));
            }
        }
        let records = keys.iter().enumerate().map(|(i, k)| (*k, i as u32));
        let trie = if answers.is_empty() {
            crawdad::Trie::from_records([("\u{0}", 0u32)]).map_err(|e| e.to_string())?
        } else {
            crawdad::Trie::from_records(records).map_err(|e| e.to_string())?
        };
        Ok(Table::assemble(
            trie,
            answers,
            values,
            first.into_iter().collect(),
        ))
    }

    fn assemble(
        trie: crawdad::Trie,
        answers: Vec<Answer>,
        values: String,
        first_chars: Vec<u32>,
    ) -> Table {
        let mut first_bitset = vec![0u64; BITSET_WORDS];
        for &c in &first_chars {
            if let Some(word) = first_bitset.get_mut((c / 64) as usize) {
                *word |= 1 << (c % 64);
            }
        }
        Table {
            trie,
            answers,
            values,
            first_chars,
            first_bitset,
        }
    }

    #[inline(always)]
    fn starts_key(&self, c: u32) -> bool {
        // Code points are < 0x110000, so the index is always in range.
        self.first_bitset[(c >> 6) as usize] & (1 << (c & 63)) != 0
    }

    /// Whether any character of `text` starts a key.
    pub fn touches(&self, text: &str) -> bool {
        text.chars().any(|c| self.starts_key(u32::from(c)))
    }

    /// The answer of the longest key matching at the start of `text`, if any.
    #[inline]
    pub fn longest(&self, text: &str) -> Option<&Answer> {
        let mut best = None;
        let haystack = text.chars().take_while(|&c| c != TRIE_END_MARKER);
        for (value, _) in self.trie.common_prefix_search(haystack) {
            best = Some(value);
        }
        best.and_then(|v| self.answers.get(v as usize))
    }

    #[inline]
    fn output(&self, answer: &Answer) -> &str {
        let start = answer.value_start as usize;
        self.values
            .get(start..start + answer.value_len as usize)
            .unwrap_or("")
    }

    /// Finds the next position at or after `from` where a key may start; `text.len()` if none.
    #[inline(always)]
    fn next_candidate(&self, text: &str, from: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            let (c, len) = decode_at(bytes, i);
            if self.starts_key(c) {
                return (i, len);
            }
            i += len;
        }
        (bytes.len(), 0)
    }

    /// Converts `text` by maximum match, appending to `out`; returns the number of ambiguous
    /// matches.
    pub fn convert_into(&self, text: &str, out: &mut String) -> u32 {
        let mut ambiguous = 0;
        let mut copied = 0;
        let mut i = 0;
        while i < text.len() {
            let (at, char_len) = self.next_candidate(text, i);
            if at >= text.len() {
                break;
            }
            match self.longest(&text[at..]) {
                Some(answer) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(self.output(answer));
                    ambiguous += u32::from(answer.ambiguous);
                    i = at + answer.consumed as usize;
                    copied = i;
                }
                None => i = at + char_len,
            }
        }
        out.push_str(&text[copied..]);
        ambiguous
    }

    /// Maximum-match segmentation as OpenCC's `mmseg`: every match is a segment, and the runs of
    /// characters between matches are segments of their own (a run is never split).
    pub fn segment<'t>(&self, text: &'t str, mut each: impl FnMut(&'t str)) {
        let mut run_start = 0;
        let mut i = 0;
        while i < text.len() {
            let (at, char_len) = self.next_candidate(text, i);
            if at >= text.len() {
                break;
            }
            match self.longest(&text[at..]) {
                Some(answer) => {
                    if run_start < at {
                        each(&text[run_start..at]);
                    }
                    let end = at + answer.consumed as usize;
                    each(&text[at..end]);
                    i = end;
                    run_start = end;
                }
                None => i = at + char_len,
            }
        }
        if run_start < text.len() {
            each(&text[run_start..]);
        }
    }

    /// Serializes the table (the build script embeds the result).
    #[allow(dead_code, reason = "used by build.rs, which shares this file")]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        let trie = self.trie.serialize_to_vec();
        push_u32(&mut out, trie.len() as u32);
        out.extend_from_slice(&trie);
        push_u32(&mut out, self.answers.len() as u32);
        for a in &self.answers {
            push_u32(&mut out, a.consumed | if a.ambiguous { 1 << 31 } else { 0 });
            push_u32(&mut out, a.value_start);
            push_u32(&mut out, a.value_len);
        }
        push_u32(&mut out, self.values.len() as u32);
        out.extend_from_slice(self.values.as_bytes());
        push_u32(&mut out, self.first_chars.len() as u32);
        for &c in &self.first_chars {
            push_u32(&mut out, c);
        }
        out
    }

    /// Reads a table written by [`Table::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Table, String> {
        let mut r = ByteReader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("bad magic".to_owned());
        }
        let trie_len = r.u32()? as usize;
        let trie_bytes = r.take(trie_len)?;
        let (trie, rest) = crawdad::Trie::deserialize_from_slice(trie_bytes);
        if !rest.is_empty() {
            return Err("trailing trie bytes".to_owned());
        }
        let count = r.u32()? as usize;
        let mut answers = Vec::with_capacity(count);
        for _ in 0..count {
            let consumed = r.u32()?;
            answers.push(Answer {
                consumed: consumed & !(1 << 31),
                ambiguous: consumed & (1 << 31) != 0,
                value_start: r.u32()?,
                value_len: r.u32()?,
            });
        }
        let values_len = r.u32()? as usize;
        let values = String::from_utf8(r.take(values_len)?.to_vec()).map_err(|e| e.to_string())?;
        for a in &answers {
            let end = a.value_start as usize + a.value_len as usize;
            if !values.is_char_boundary(a.value_start as usize)
                || end > values.len()
                || !values.is_char_boundary(end)
            {
                return Err("answer outside the value arena".to_owned());
            }
        }
        let first_count = r.u32()? as usize;
        let mut first_chars = Vec::with_capacity(first_count);
        for _ in 0..first_count {
            first_chars.push(r.u32()?);
        }
        Ok(Table::assemble(trie, answers, values, first_chars))
    }
}

/// Decodes the character starting at byte `i` of valid UTF-8: (code point, byte length).
#[inline(always)]
fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[i]);
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (u32::from(bytes[i + 1]) & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12)
                | ((u32::from(bytes[i + 1]) & 0x3F) << 6)
                | (u32::from(bytes[i + 2]) & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((u32::from(bytes[i + 1]) & 0x3F) << 12)
                | ((u32::from(bytes[i + 2]) & 0x3F) << 6)
                | (u32::from(bytes[i + 3]) & 0x3F),
            4,
        )
    }
}

#[allow(dead_code, reason = "used by build.rs, which shares this file")]
fn push_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

struct ByteReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(len).ok_or("length overflow")?;
        let slice = self.bytes.get(self.at..end).ok_or("truncated table")?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let raw = self.take(4)?;
        Ok(u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
    }
}
