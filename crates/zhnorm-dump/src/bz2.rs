//! bz2 decoding: a buffered multi-stream reader that knows where each compressed stream starts, and
//! the decoding of one stream held in memory (for the parallel multistream reader).
//!
//! `bzip2::read::MultiBzDecoder` decodes concatenated streams too, but it cannot say at which
//! compressed offset the stream that produced a given byte starts, which the pages' offsets and the
//! error messages need; so the loop over `bzip2::Decompress` is written here.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use bzip2::{Decompress, Status};

use crate::error::{DumpErrorKind, InputFailure};

/// The size of the decoded buffer of [`MultiBz`].
const OUT_BUF: usize = 256 * 1024;

/// What a corrupt-data error says when no bz2 stream starts where decoding began.
pub(crate) const NO_HEADER: &str = "no bz2 stream header here";

/// Decodes concatenated bz2 streams as one byte sequence (`BufRead`), remembering where each stream
/// starts in the compressed input so that a decoded position maps back to its stream's offset.
pub(crate) struct MultiBz<R> {
    inner: R,
    /// Stop after the first stream (a multistream stream read on its own).
    single: bool,
    dec: Decompress,
    in_stream: bool,
    /// Compressed bytes consumed so far.
    in_pos: u64,
    stream_start: u64,
    /// Decoded bytes produced so far.
    produced: u64,
    /// (decoded position where a stream starts, its compressed offset), oldest first.
    starts: VecDeque<(u64, u64)>,
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
}

impl<R: BufRead> MultiBz<R> {
    /// `base` is the compressed offset of the first byte `inner` yields.
    pub(crate) fn new(inner: R, base: u64) -> Self {
        MultiBz {
            inner,
            single: false,
            dec: Decompress::new(false),
            in_stream: false,
            in_pos: base,
            stream_start: base,
            produced: 0,
            starts: VecDeque::new(),
            out: vec![0; OUT_BUF].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
        }
    }

    /// Decodes only the stream at the start of `inner`.
    pub(crate) fn single(inner: R, base: u64) -> Self {
        MultiBz {
            single: true,
            ..MultiBz::new(inner, base)
        }
    }

    /// Compressed bytes consumed so far, from the base: where the input stands.
    pub(crate) fn compressed_pos(&self) -> u64 {
        self.in_pos
    }

    /// Whether only one stream is decoded.
    pub(crate) fn is_single(&self) -> bool {
        self.single
    }

    /// The compressed offset of the stream holding decoded position `pos` (positions asked for
    /// never go backwards).
    pub(crate) fn stream_offset(&mut self, pos: u64) -> u64 {
        while self.starts.len() > 1 && self.starts[1].0 <= pos {
            self.starts.pop_front();
        }
        self.starts.front().map_or(self.stream_start, |s| s.1)
    }

    fn refill(&mut self) -> io::Result<()> {
        loop {
            if !self.in_stream && self.single && !self.starts.is_empty() {
                return Ok(());
            }
            let input = self.inner.fill_buf()?;
            if !self.in_stream {
                if input.is_empty() {
                    return Ok(());
                }
                self.dec = Decompress::new(false);
                self.in_stream = true;
                self.stream_start = self.in_pos;
                self.starts.push_back((self.produced, self.in_pos));
            }
            let (in_before, out_before) = (self.dec.total_in(), self.dec.total_out());
            let status = self.dec.decompress(input, &mut self.out);
            let consumed = (self.dec.total_in() - in_before) as usize;
            let written = (self.dec.total_out() - out_before) as usize;
            let input_empty = input.is_empty();
            self.inner.consume(consumed);
            self.in_pos += consumed as u64;
            self.produced += written as u64;
            self.out_start = 0;
            self.out_end = written;
            match status {
                Err(e) => {
                    let kind = DumpErrorKind::CorruptBz2(describe(&e));
                    return Err(InputFailure {
                        kind,
                        offset: self.stream_start,
                    }
                    .into_io());
                }
                Ok(Status::StreamEnd) => self.in_stream = false,
                Ok(_) if consumed == 0 && written == 0 && input_empty => {
                    return Err(InputFailure {
                        kind: DumpErrorKind::TruncatedBz2,
                        offset: self.in_pos,
                    }
                    .into_io());
                }
                Ok(_) => {}
            }
            if written > 0 {
                return Ok(());
            }
        }
    }
}

impl<R: BufRead> Read for MultiBz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for MultiBz<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.out_start == self.out_end {
            self.refill()?;
        }
        Ok(&self.out[self.out_start..self.out_end])
    }

    fn consume(&mut self, amt: usize) {
        self.out_start = (self.out_start + amt).min(self.out_end);
    }
}

fn describe(e: &bzip2::Error) -> String {
    match e {
        bzip2::Error::DataMagic => NO_HEADER.to_owned(),
        bzip2::Error::Data => "bad data or checksum".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bzip2::Compression;
    use bzip2::write::BzEncoder;
    use std::io::Write;

    pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
        let mut enc = BzEncoder::new(Vec::new(), Compression::new(1));
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn streams_map_back_to_their_offsets() {
        let (a, b) = (compress(b"first stream "), compress(b"second"));
        let mut all = a.clone();
        all.extend_from_slice(&b);
        let mut dec = MultiBz::new(&all[..], 0);
        let mut text = Vec::new();
        dec.read_to_end(&mut text).unwrap();
        assert_eq!(text, b"first stream second");
        let mut dec = MultiBz::new(&all[..], 100);
        assert_eq!(dec.fill_buf().unwrap(), b"first stream ");
        assert_eq!(dec.stream_offset(5), 100);
        dec.consume(13);
        assert_eq!(dec.fill_buf().unwrap(), b"second");
        assert_eq!(dec.stream_offset(13), 100 + a.len() as u64);
        dec.consume(6);
        assert_eq!(dec.fill_buf().unwrap(), b"");
        assert_eq!(dec.in_pos, 100 + all.len() as u64);
    }

    #[test]
    fn truncated_and_corrupt_streams_fail_with_offsets() {
        let data = compress(b"some text that is long enough");
        let cut = &data[..data.len() - 5];
        let err = MultiBz::new(cut, 0)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        let failure = InputFailure::find(&err).unwrap();
        assert_eq!(
            (&failure.kind, failure.offset),
            (&DumpErrorKind::TruncatedBz2, cut.len() as u64)
        );
        let mut garbage = data.clone();
        garbage.extend_from_slice(b"not bz2 at all");
        let err = MultiBz::new(&garbage[..], 0)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        let failure = InputFailure::find(&err).unwrap();
        assert_eq!(
            failure.kind,
            DumpErrorKind::CorruptBz2("no bz2 stream header here".into())
        );
        assert_eq!(failure.offset, data.len() as u64);

        // One stream alone, followed by another: decoding stops at its end.
        let mut dec = MultiBz::single(&garbage[..], 7);
        let mut text = Vec::new();
        dec.read_to_end(&mut text).unwrap();
        assert_eq!(
            (text.as_slice(), dec.compressed_pos()),
            (&b"some text that is long enough"[..], 7 + data.len() as u64)
        );
        let err = MultiBz::single(&b"BZh9xxxxxxxxxxxx"[..], 0)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        let failure = InputFailure::find(&err).unwrap();
        assert_eq!(
            failure.kind,
            DumpErrorKind::CorruptBz2("bad data or checksum".into())
        );
    }
}
