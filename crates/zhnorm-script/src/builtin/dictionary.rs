//! OpenCC dictionary files: the `.ocd2` binary format and the `.txt` text format, read into a
//! plain key → candidates map (shared with the build script).
//!
//! `.ocd2` is the header `OPENCC_MARISA_0.2.5`, a marisa-trie (decoded by the pure-Rust
//! `rsmarisa`), then the candidate lists indexed by the trie's key ids: `u32` entry count,
//! `u32` byte length of a buffer of NUL-terminated values, the buffer, and per entry a `u16`
//! value count followed by one `u16` byte length (NUL included) per value, all little-endian.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use super::error::LoadError;

/// One dictionary: key → candidates, in OpenCC's order (the first candidate is the one OpenCC
/// outputs).
pub type Dictionary = HashMap<String, Vec<String>>;

const OCD2_HEADER: &[u8] = b"OPENCC_MARISA_0.2.5";

/// Reads a dictionary file; the format is chosen by OpenCC's `type` (`ocd2` or `text`).
pub fn read_dictionary(path: &Path, kind: &str) -> Result<Dictionary, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let invalid = |reason: String| LoadError::InvalidDictionary {
        path: path.to_owned(),
        reason,
    };
    match kind {
        "ocd2" => decode_ocd2(&bytes).map_err(invalid),
        "text" => {
            let text = String::from_utf8(bytes).map_err(|e| invalid(e.to_string()))?;
            Ok(parse_text(&text))
        }
        other => Err(invalid(format!("unsupported dictionary type `{other}`"))),
    }
}

/// Parses OpenCC's text format: `key<TAB>candidate candidate …` per line.
pub fn parse_text(text: &str) -> Dictionary {
    let mut dictionary = Dictionary::new();
    for line in text.lines() {
        let Some((key, values)) = line.split_once('\t') else {
            continue;
        };
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        let values: Vec<String> = values
            .split(' ')
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if !values.is_empty() {
            dictionary.entry(key.to_owned()).or_insert(values);
        }
    }
    dictionary
}

/// Decodes an `.ocd2` file.
pub fn decode_ocd2(bytes: &[u8]) -> Result<Dictionary, String> {
    let body = bytes
        .strip_prefix(OCD2_HEADER)
        .ok_or_else(|| "missing OPENCC_MARISA_0.2.5 header".to_owned())?;
    let mut cursor = Cursor::new(body);
    let mut trie = rsmarisa::Trie::new();
    {
        let mut reader = rsmarisa::grimoire::io::Reader::from_reader(&mut cursor);
        trie.read(&mut reader)
            .map_err(|e| format!("marisa trie: {e}"))?;
    }
    let offset = usize::try_from(cursor.position()).map_err(|e| e.to_string())?;
    let mut values = ValueReader {
        bytes: &body[offset..],
        at: 0,
    };
    let entry_count = values.u32()? as usize;
    let buffer_len = values.u32()? as usize;
    let buffer = values.take(buffer_len)?;
    let mut buffer_at = 0usize;
    let mut candidates: Vec<Vec<String>> = Vec::with_capacity(entry_count);
    for _ in 0..entry_count {
        let count = values.u16()?;
        let mut entry = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let len = usize::from(values.u16()?);
            let raw = buffer
                .get(buffer_at..buffer_at + len)
                .ok_or_else(|| "value outside the value buffer".to_owned())?;
            buffer_at += len;
            // Each value is stored with its terminating NUL.
            let raw = raw.strip_suffix(b"\0").unwrap_or(raw);
            entry.push(String::from_utf8(raw.to_vec()).map_err(|e| e.to_string())?);
        }
        candidates.push(entry);
    }
    let mut dictionary = Dictionary::with_capacity(entry_count);
    let mut agent = rsmarisa::Agent::new();
    agent.set_query_str("");
    while trie.predictive_search(&mut agent) {
        let key = agent.key();
        let entry = candidates
            .get(key.id())
            .filter(|entry| !entry.is_empty())
            .ok_or_else(|| format!("key id {} without candidates", key.id()))?;
        let key = String::from_utf8(key.as_bytes().to_vec()).map_err(|e| e.to_string())?;
        dictionary.insert(key, entry.clone());
    }
    Ok(dictionary)
}

struct ValueReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> ValueReader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let slice = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or_else(|| "truncated value table".to_owned())?;
        self.at += len;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let raw = self.take(4)?;
        Ok(u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
    }

    fn u16(&mut self) -> Result<u16, String> {
        let raw = self.take(2)?;
        Ok(u16::from_le_bytes([raw[0], raw[1]]))
    }
}
