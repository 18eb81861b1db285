//! JSON Lines: one page object a line, the columns of the `wikimedia/wikipedia` dataset plus ours.
//!
//! `{"id": "12" | 12, "url": …, "title": …, "text": …, "format": …, "revision": …, "timestamp": …}`:
//! `title` and `text` are required (`text` may be `null`), the rest optional, unknown keys ignored.
//! A line that is not such an object is a non-fatal error item; reading goes on with the next line.

use std::io::{BufRead, Read};

use serde::Deserialize;

use crate::error::{DumpError, DumpErrorKind};
use crate::page::Page;

/// The longest line read: a page is at most a few MB (MediaWiki caps an article at 2 MB).
const MAX_LINE: u64 = 256 << 20;

#[derive(Deserialize)]
struct Line {
    title: String,
    // Required, though it may be `null`: without `deserialize_with`, serde would let it be absent.
    #[serde(deserialize_with = "Option::deserialize")]
    text: Option<String>,
    #[serde(default)]
    id: Option<IdValue>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    revision: Option<IdValue>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Number(u64),
    Text(String),
}

pub(crate) struct JsonlPages<R> {
    reader: R,
    file: String,
    compressed: bool,
    line: Vec<u8>,
    line_no: u64,
    pos: u64,
    pub skip: u64,
    last_good: Option<(Option<u64>, String)>,
    done: bool,
}

impl<R: BufRead> JsonlPages<R> {
    pub(crate) fn new(reader: R, file: &str, compressed: bool) -> Self {
        JsonlPages {
            reader,
            file: file.to_owned(),
            compressed,
            line: Vec::with_capacity(64 * 1024),
            line_no: 0,
            pos: 0,
            skip: 0,
            last_good: None,
            done: false,
        }
    }

    /// The next page or error item; `None` at the end or after a fatal error.
    pub(crate) fn next_item(&mut self) -> Option<Result<Page, DumpError>> {
        while !self.done {
            self.line.clear();
            let start = self.pos;
            let n = match (&mut self.reader)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut self.line)
            {
                Ok(n) if n as u64 > MAX_LINE => {
                    self.done = true;
                    let what = format!("a line longer than {} MiB", MAX_LINE >> 20);
                    let kind = DumpErrorKind::JsonLine(what);
                    return Some(Err(self.error(kind, start, true)));
                }
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    let kind = if self.compressed {
                        DumpErrorKind::Decompress(e.to_string())
                    } else {
                        DumpErrorKind::Io(e.to_string())
                    };
                    return Some(Err(self.error(kind, start, false)));
                }
            };
            if n == 0 {
                self.done = true;
                return None;
            }
            self.pos += n as u64;
            self.line_no += 1;
            let mut text = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            text = text.strip_suffix(b"\r").unwrap_or(text);
            if self.line_no == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match parse_line(text) {
                Ok(mut page) => {
                    page.offset = start;
                    self.last_good = Some((page.id, page.title.clone()));
                    if self.skip > 0 {
                        self.skip -= 1;
                        continue;
                    }
                    return Some(Ok(page));
                }
                // A malformed line among the skipped pages was reported by the run being resumed.
                Err(_) if self.skip > 0 => continue,
                Err(what) => {
                    let mut err = self.error(DumpErrorKind::JsonLine(what), start, true);
                    err.fatal = false;
                    return Some(Err(err));
                }
            }
        }
        None
    }

    fn error(&self, kind: DumpErrorKind, offset: u64, with_line: bool) -> DumpError {
        let mut err = DumpError::new(&self.file, kind);
        if with_line {
            err.line = Some(self.line_no);
        }
        if !self.compressed || with_line {
            err.offset = Some(offset);
        }
        err.last_good_page = self.last_good.clone();
        err
    }
}

fn parse_line(text: &[u8]) -> Result<Page, String> {
    let line: Line = serde_json::from_slice(text).map_err(|e| {
        // serde_json ends its message with the line and column in the JSON text: one line here.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        format!("{message} (column {})", e.column())
    })?;
    let (id, key) = match line.id {
        None => (None, None),
        Some(IdValue::Number(n)) => (Some(n), None),
        // Only a number written as such ("12", not "012" or "+12") is an id: the key is kept exactly.
        Some(IdValue::Text(s)) => match s.parse::<u64>() {
            Ok(n) if n.to_string() == s => (Some(n), None),
            _ => (None, Some(s)),
        },
    };
    let revision_id = match line.revision {
        None => None,
        Some(IdValue::Number(n)) => Some(n),
        Some(IdValue::Text(s)) => Some(
            s.parse::<u64>()
                .map_err(|_| format!("`revision` is not a number: «{s}»"))?,
        ),
    };
    Ok(Page {
        title: line.title,
        namespace: 0,
        id,
        key,
        revision_id,
        timestamp: line.timestamp,
        text: line.text,
        url: line.url,
        source_format: line.format,
        ..Page::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_numbers_and_keys() {
        let page = parse_line(br#"{"id":"12","title":"A","text":"x","revision":"7"}"#).unwrap();
        assert_eq!(
            (page.id, page.key, page.revision_id),
            (Some(12), None, Some(7))
        );
        let page = parse_line(r#"{"id":"zh/甲","title":"A","text":null}"#.as_bytes()).unwrap();
        assert_eq!(
            (page.id, page.key.as_deref(), page.text),
            (None, Some("zh/甲"), None)
        );
        let page = parse_line(br#"{"id":"012","title":"A","text":""}"#).unwrap();
        assert_eq!((page.id, page.key.as_deref()), (None, Some("012")));
        let page = parse_line(br#"{"id":5,"title":"A","text":"","extra":[1]}"#).unwrap();
        assert_eq!(page.id, Some(5));
        assert_eq!(
            parse_line(br#"{"title":"A"}"#).unwrap_err(),
            "missing field `text` (column 13)"
        );
        assert_eq!(
            parse_line(br#"{"title":"A","text":"","revision":"x"}"#).unwrap_err(),
            "`revision` is not a number: «x»"
        );
    }
}
