//! JSON Lines to any writer (`--output -`): no shards, no files.

use std::fmt;
use std::io::{BufWriter, Write};
use std::marker::PhantomData;
use std::path::Path;

use crate::error::{Error, Result};
use crate::record::RecordKind;

/// Writes records as JSON Lines to a stream such as standard output.
///
/// A reader that closes the stream (`| head`) makes [`JsonlWriter::write`] or
/// [`JsonlWriter::finish`] return [`Error::BrokenPipe`], so the caller can stop quietly.
pub struct JsonlWriter<K: RecordKind, W: Write> {
    out: BufWriter<W>,
    line: Vec<u8>,
    records: u64,
    kind: PhantomData<K>,
}

impl<K: RecordKind, W: Write> fmt::Debug for JsonlWriter<K, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonlWriter")
            .field("records", &self.records)
            .finish()
    }
}

/// How the stream is named in errors.
const STREAM: &str = "-";

impl<K: RecordKind, W: Write> JsonlWriter<K, W> {
    pub fn new(out: W) -> Self {
        JsonlWriter {
            out: BufWriter::with_capacity(1 << 16, out),
            line: Vec::with_capacity(1 << 16),
            records: 0,
            kind: PhantomData,
        }
    }

    /// Writes one record as one line.
    pub fn write(&mut self, record: &K::Record<'_>) -> Result<()> {
        self.line.clear();
        K::write_json(record, &mut self.line);
        self.line.push(b'\n');
        self.out
            .write_all(&self.line)
            .map_err(|e| Error::io(Path::new(STREAM), e))?;
        self.records += 1;
        Ok(())
    }

    /// Writes one record already encoded by [`RecordKind::write_json`] (without its newline),
    /// so that a pipeline can encode in its worker threads.
    pub fn write_line(&mut self, line: &[u8]) -> Result<()> {
        self.out
            .write_all(line)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|e| Error::io(Path::new(STREAM), e))?;
        self.records += 1;
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Flushes the stream and hands it back.
    pub fn finish(self) -> Result<W> {
        self.out
            .into_inner()
            .map_err(|e| Error::io(Path::new(STREAM), e.into_error()))
    }
}
