//! The multistream index: `offset:page_id:title`, one line per page, in dump order.
//!
//! Only the streams are kept in memory (offset, first page id, page count: a few bytes per hundred
//! pages). Titles are read again from the file when asked for, as zhwiki's index has millions.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::bz2::MultiBz;
use crate::error::{DumpError, DumpErrorKind, InputFailure};

/// One compressed stream of a multistream dump, as the index lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamEntry {
    /// Byte offset of the stream in the `.xml.bz2` file.
    pub offset: u64,
    /// The id of the stream's first page.
    pub first_page_id: u64,
    /// How many pages the stream holds.
    pub page_count: u64,
}

/// A loaded multistream index.
#[derive(Debug, Clone)]
pub struct Index {
    path: PathBuf,
    streams: Vec<StreamEntry>,
    pages: u64,
}

impl Index {
    /// Reads an index (`.txt.bz2`, or plain text). Offsets must grow from stream to stream.
    pub fn load(path: &Path) -> Result<Index, DumpError> {
        let mut streams: Vec<StreamEntry> = Vec::new();
        let mut pages = 0;
        for_each_line(path, |line_no, offset, page_id, _title| {
            pages += 1;
            match streams.last_mut() {
                Some(last) if last.offset == offset => last.page_count += 1,
                Some(last) if last.offset > offset => {
                    let what = format!(
                        "offset {offset} is lower than the previous stream's {}",
                        last.offset
                    );
                    return Err(index_error(path, what, line_no));
                }
                _ => streams.push(StreamEntry {
                    offset,
                    first_page_id: page_id,
                    page_count: 1,
                }),
            }
            Ok(())
        })?;
        Ok(Index {
            path: path.to_owned(),
            streams,
            pages,
        })
    }

    /// The streams, in file order.
    pub fn streams(&self) -> &[StreamEntry] {
        &self.streams
    }

    /// How many pages the index lists.
    pub fn page_count(&self) -> u64 {
        self.pages
    }

    /// The file the index was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every page whose title satisfies `pred`: (stream offset, page id, title), in index order.
    /// Reads the index file again.
    pub fn find_titles(
        &self,
        pred: impl Fn(&str) -> bool,
    ) -> Result<Vec<(u64, u64, String)>, DumpError> {
        let mut found = Vec::new();
        for_each_line(&self.path, |_, offset, page_id, title| {
            if pred(title) {
                found.push((offset, page_id, title.to_owned()));
            }
            Ok(())
        })?;
        Ok(found)
    }
}

fn index_error(path: &Path, what: String, line: u64) -> DumpError {
    let mut err = DumpError::new(&path.display().to_string(), DumpErrorKind::Index(what));
    err.line = Some(line);
    err
}

/// Calls `f(line number, offset, page id, title)` for every line of the index.
fn for_each_line(
    path: &Path,
    mut f: impl FnMut(u64, u64, u64, &str) -> Result<(), DumpError>,
) -> Result<(), DumpError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| DumpError::io(&name, &e))?;
    let mut file = BufReader::with_capacity(256 * 1024, file);
    let compressed = file
        .fill_buf()
        .map_err(|e| DumpError::io(&name, &e))?
        .starts_with(b"BZh");
    let mut reader: Box<dyn BufRead> = if compressed {
        Box::new(MultiBz::new(file, 0))
    } else {
        Box::new(file)
    };
    let mut line = Vec::with_capacity(256);
    let mut line_no = 0;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| match InputFailure::find(&e) {
                Some(failure) => DumpError::new(&name, failure.kind.clone()).at(failure.offset),
                None => DumpError::io(&name, &e),
            })?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.is_empty() {
            continue;
        }
        let parsed = std::str::from_utf8(text).ok().and_then(|text| {
            let (offset, rest) = text.split_once(':')?;
            let (id, title) = rest.split_once(':')?;
            Some((offset.parse().ok()?, id.parse().ok()?, title))
        });
        match parsed {
            Some((offset, id, title)) => f(line_no, offset, id, title)?,
            None => {
                let what = format!(
                    "«{}» is not offset:page_id:title",
                    String::from_utf8_lossy(text)
                );
                return Err(index_error(path, what, line_no));
            }
        }
    }
}
