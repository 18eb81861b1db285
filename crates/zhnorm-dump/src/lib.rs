//! Reads the inputs of a corpus run as raw pages, in input order: MediaWiki XML dumps (export
//! schemas 0.10 and 0.11; plain `.xml`, single-stream `.xml.bz2`, and the multistream `.xml.bz2`,
//! whose streams are decoded and parsed in parallel when its `-index.txt.bz2` is beside it) and
//! JSON Lines (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`), from a file or any reader (standard input).
//!
//! [`open`] and [`from_reader`] return [`Pages`], an iterator of `Result<Page, DumpError>`. A
//! fatal error (truncated or corrupt data, invalid XML, an index that disagrees with the dump) is
//! yielded once, after every complete page before it, and ends the iteration; a malformed JSON
//! line is a non-fatal item and the iteration goes on.
//!
//! Edges: this crate neither normalizes nor filters pages (namespaces, redirects, deleted texts and
//! content models are the caller's choice); it never expands DTDs or entities beyond the five of XML
//! and character references; its memory is bounded by a few batches or streams in flight, and by
//! limits on what one XML event (64 MiB), one JSON line (256 MiB) or the dump's header (16 MiB) may
//! hold.
//!
//! ```
//! use zhnorm_dump::{OpenOptions, from_reader};
//!
//! let xml = r#"<mediawiki xml:lang="zh"><siteinfo><base>https://zh.wikipedia.org/wiki/A</base></siteinfo>
//!   <page><title>北京</title><ns>0</ns><id>12</id>
//!     <revision><id>120</id><model>wikitext</model><text>'''北京''' &amp;lt;ref&amp;gt;</text></revision></page>
//! </mediawiki>"#;
//! let mut pages = from_reader(Box::new(xml.as_bytes()), "-", &OpenOptions::default())?;
//! assert_eq!(pages.siteinfo().unwrap().lang.as_deref(), Some("zh"));
//! let page = pages.next().unwrap()?;
//! assert_eq!((page.id, page.title.as_str()), (Some(12), "北京"));
//! assert_eq!(page.text.as_deref(), Some("'''北京''' &lt;ref&gt;"));
//! assert_eq!(page.url.as_deref(), Some("https://zh.wikipedia.org/wiki/%E5%8C%97%E4%BA%AC"));
//! assert!(pages.next().is_none());
//! # Ok::<(), zhnorm_dump::DumpError>(())
//! ```
//!
//! Inside: `detect` tells the kind, `xml` folds quick-xml events into pages, `bz2` decodes streams,
//! `index` reads the multistream index, `parallel` runs the workers, `jsonl` reads lines.

// A `DumpError` (136 bytes) is returned at most once per input, and the iterator's item is as large
// as a `Page` anyway; boxing it would only add an allocation to every error and a field access to
// the public type.
#![allow(clippy::result_large_err)]

mod bz2;
mod detect;
mod error;
mod index;
mod jsonl;
mod page;
mod parallel;
mod xml;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::Receiver;

pub use crate::detect::{HEAD_LEN, InputKind, detect_kind};
pub use crate::error::{DumpError, DumpErrorKind};
pub use crate::index::{Index, StreamEntry};
pub use crate::page::{Page, SiteInfo, page_url};

use crate::bz2::MultiBz;
use crate::jsonl::JsonlPages;
use crate::parallel::{Item, Job, Parallel};
use crate::xml::{Mode, Plain, XmlInput, XmlPages};

/// How to open an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// Force the kind instead of detecting it.
    pub kind: Option<InputKind>,
    /// The multistream index; `None` looks beside the dump (`X-multistream.xml.bz2` →
    /// `X-multistream-index.txt.bz2`).
    pub index: Option<PathBuf>,
    /// Whether to use the index (and so read in parallel) when there is one.
    pub use_index: bool,
    /// Worker threads for the multistream dump with its index; 0 means one per core.
    pub threads: usize,
    /// Resume: skip this many pages (all namespaces, redirects included). With the index, whole
    /// streams are skipped without decoding them. Malformed JSON lines are not pages: those before
    /// the last skipped page are not reported again.
    pub skip_pages: u64,
    /// Only these streams of the index (its stream numbers, from 0), to split a dump into tasks.
    /// Needs the index; the header is still read for the site information.
    pub streams: Option<Range<usize>>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            kind: None,
            index: None,
            use_index: true,
            threads: 0,
            skip_pages: 0,
            streams: None,
        }
    }
}

/// Pages gathered before they are handed from the reading thread to the iterator.
const BATCH_PAGES: usize = 256;
const BATCH_BYTES: usize = 4 << 20;
/// Batches in the channel between the reading thread and the iterator.
const BATCHES_IN_FLIGHT: usize = 4;

/// The pages of one input, in input order.
pub struct Pages {
    file: String,
    kind: InputKind,
    /// Whether the streams are read in parallel with the index.
    indexed: bool,
    siteinfo: Option<SiteInfo>,
    progress: Arc<AtomicU64>,
    total: Option<u64>,
    current: std::vec::IntoIter<Item>,
    /// The last page of the batches read so far, and of those before the current batch.
    last_good: Option<(Option<u64>, String)>,
    before_batch: Option<(Option<u64>, String)>,
    source: Source,
    done: bool,
}

enum Source {
    Thread(Receiver<Vec<Item>>),
    Parallel(Box<Parallel>),
}

impl fmt::Debug for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match self.source {
            Source::Thread(_) => "sequential",
            Source::Parallel(_) => "parallel",
        };
        f.debug_struct("Pages")
            .field("file", &self.file)
            .field("kind", &self.kind)
            .field("source", &source)
            .field("progress", &self.progress.load(Ordering::Relaxed))
            .field("total", &self.total)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Pages {
    /// The dump's `<siteinfo>` (`None` for JSON Lines and for bare `<page>` files).
    pub fn siteinfo(&self) -> Option<&SiteInfo> {
        self.siteinfo.as_ref()
    }

    /// Input bytes consumed so far (compressed bytes for compressed input), for a progress bar.
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.progress.clone()
    }

    /// The input's size in bytes, when known (files).
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }

    /// The input's name as errors give it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The kind of the input, detected or forced.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// Whether a multistream dump is read with its index (in parallel).
    pub fn indexed(&self) -> bool {
        self.indexed
    }

    fn next_batch(&mut self) -> Option<Vec<Item>> {
        match &mut self.source {
            Source::Thread(rx) => match rx.recv() {
                // The reading thread's mark of a clean end.
                Ok(batch) if batch.is_empty() => None,
                Ok(batch) => Some(batch),
                Err(_) => {
                    let kind = DumpErrorKind::Io("the reading thread stopped unexpectedly".into());
                    Some(vec![Err(DumpError::new(&self.file, kind))])
                }
            },
            Source::Parallel(parallel) => parallel.next_batch(),
        }
    }
}

impl Iterator for Pages {
    type Item = Result<Page, DumpError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(match item {
                    Ok(page) => Ok(page),
                    Err(mut err) => {
                        // Producers name the last good page when they read one before the error;
                        // otherwise it is the last page of the batches before this one.
                        if err.last_good_page.is_none() {
                            err.last_good_page = self.before_batch.clone();
                        }
                        if err.fatal {
                            self.done = true;
                            self.current = Vec::new().into_iter();
                        }
                        Err(err)
                    }
                });
            }
            if self.done {
                return None;
            }
            let Some(batch) = self.next_batch() else {
                self.done = true;
                return None;
            };
            // One title cloned per batch, not per page.
            let last = batch.iter().rev().find_map(|item| item.as_ref().ok());
            if let Some(page) = last {
                self.before_batch = self.last_good.replace((page.id, page.title.clone()));
            } else {
                self.before_batch = self.last_good.clone();
            }
            self.current = batch.into_iter();
        }
    }
}

/// Counts the bytes read from the input, for [`Pages::progress`].
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const READ_BUF: usize = 256 * 1024;
/// The most the part of a multistream dump before its first indexed stream (the header: the root's
/// start and the site information, a few kB compressed) may be; it is read into memory.
const MAX_HEADER: u64 = 16 << 20;

/// Opens a file (or, for a multistream dump with its index, the dump and its index) and starts
/// reading. The kind comes from `options.kind`, or from the first bytes and the name.
pub fn open(path: &Path, options: &OpenOptions) -> Result<Pages, DumpError> {
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| DumpError::io(&name, &e))?;
    let total = file.metadata().ok().map(|m| m.len());
    let mut head = Vec::with_capacity(HEAD_LEN);
    file.by_ref()
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| DumpError::io(&name, &e))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| DumpError::io(&name, &e))?;
    let kind = options.kind.or_else(|| detect_kind(&name, &head));
    let kind = kind.ok_or_else(|| DumpError::new(&name, DumpErrorKind::UnknownKind))?;
    if kind == InputKind::XmlBz2 && options.use_index {
        let index = match &options.index {
            Some(index) => Some(index.clone()),
            None => beside_index(path).filter(|p| p.is_file()),
        };
        if let Some(index) = index {
            let index = Index::load(&index)?;
            if !index.streams().is_empty() {
                return open_parallel(path, &name, &index, options, total.unwrap_or(0));
            }
        }
    }
    if options.streams.is_some() {
        let what = "reading chosen streams needs the multistream index".to_owned();
        return Err(DumpError::new(&name, DumpErrorKind::Index(what)));
    }
    sequential(file, &name, kind, options, total)
}

/// Reads from any reader (standard input): the kind comes from `options.kind`, or from the first
/// bytes and `name`. Multistream dumps are decoded sequentially.
pub fn from_reader(
    mut reader: Box<dyn Read + Send>,
    name: &str,
    options: &OpenOptions,
) -> Result<Pages, DumpError> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    reader
        .by_ref()
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| DumpError::io(name, &e))?;
    let kind = options.kind.or_else(|| detect_kind(name, &head));
    let kind = kind.ok_or_else(|| DumpError::new(name, DumpErrorKind::UnknownKind))?;
    if options.streams.is_some() {
        let what = "reading chosen streams needs the multistream index".to_owned();
        return Err(DumpError::new(name, DumpErrorKind::Index(what)));
    }
    sequential(
        io::Cursor::new(head).chain(reader),
        name,
        kind,
        options,
        None,
    )
}

/// The index beside a multistream dump: `X-multistream.xml.bz2` → `X-multistream-index.txt.bz2`,
/// and for the dumps split in parts, `X-multistream3.xml-p1p9.bz2` → `X-multistream-index3.txt-p1p9.bz2`.
pub fn beside_index(path: &Path) -> Option<PathBuf> {
    let file_name = path.file_name()?.to_str()?;
    let at = file_name.rfind("-multistream")? + "-multistream".len();
    let (stem, rest) = file_name.split_at(at);
    let part_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (part, rest) = rest.split_at(part_len);
    let tail = rest.strip_prefix(".xml")?;
    Some(path.with_file_name(format!("{stem}-index{part}.txt{tail}")))
}

fn sequential<R: Read + Send + 'static>(
    reader: R,
    name: &str,
    kind: InputKind,
    options: &OpenOptions,
    total: Option<u64>,
) -> Result<Pages, DumpError> {
    let progress = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        inner: reader,
        count: progress.clone(),
    };
    let buffered = BufReader::with_capacity(READ_BUF, counting);
    let (siteinfo, rx) = match kind {
        InputKind::Xml => xml_thread(Plain { inner: buffered }, name, options)?,
        InputKind::XmlBz2 => xml_thread(MultiBz::new(buffered, 0), name, options)?,
        InputKind::Jsonl => (None, jsonl_thread(buffered, name, false, options)),
        InputKind::JsonlGz => {
            let decoder = flate2::bufread::MultiGzDecoder::new(buffered);
            (
                None,
                jsonl_thread(
                    BufReader::with_capacity(READ_BUF, decoder),
                    name,
                    true,
                    options,
                ),
            )
        }
        InputKind::JsonlZst => {
            let decoder =
                zstd::Decoder::with_buffer(buffered).map_err(|e| DumpError::io(name, &e))?;
            (
                None,
                jsonl_thread(
                    BufReader::with_capacity(READ_BUF, decoder),
                    name,
                    true,
                    options,
                ),
            )
        }
    };
    Ok(Pages {
        file: name.to_owned(),
        kind,
        indexed: false,
        siteinfo,
        progress,
        total,
        current: Vec::new().into_iter(),
        last_good: None,
        before_batch: None,
        source: Source::Thread(rx),
        done: false,
    })
}

/// Reads the header on this thread (so that the site information is there when `open` returns),
/// then the pages on a thread of their own, in batches.
fn xml_thread<R: XmlInput + Send + 'static>(
    input: R,
    name: &str,
    options: &OpenOptions,
) -> Result<(Option<SiteInfo>, Receiver<Vec<Item>>), DumpError> {
    let mut parser = XmlPages::new(input, name, Mode::Document, None);
    parser.skip = options.skip_pages;
    let (tx, rx) = crossbeam_channel::bounded(BATCHES_IN_FLIGHT);
    if let Err(err) = parser.read_header() {
        // Reported by the iteration, like any other error, after no page.
        let _ = tx.send(vec![Err(err)]);
        return Ok((None, rx));
    }
    let siteinfo = parser.siteinfo().cloned();
    std::thread::spawn(move || batches(|| parser.next_page(), &tx));
    Ok((siteinfo, rx))
}

fn jsonl_thread<R: BufRead + Send + 'static>(
    reader: R,
    name: &str,
    compressed: bool,
    options: &OpenOptions,
) -> Receiver<Vec<Item>> {
    let mut lines = JsonlPages::new(reader, name, compressed);
    lines.skip = options.skip_pages;
    let (tx, rx) = crossbeam_channel::bounded(BATCHES_IN_FLIGHT);
    std::thread::spawn(move || batches(|| lines.next_item(), &tx));
    rx
}

/// Sends the items of `next` in batches until it ends, a fatal error, or the iterator is dropped.
/// An empty batch marks the end, so that a thread that died is not taken for the end of the input.
fn batches(mut next: impl FnMut() -> Option<Item>, tx: &crossbeam_channel::Sender<Vec<Item>>) {
    let mut batch = Vec::with_capacity(BATCH_PAGES);
    let mut bytes = 0;
    loop {
        let item = next();
        let end = match &item {
            None => true,
            Some(Ok(page)) => {
                bytes += page.text.as_ref().map_or(0, String::len);
                false
            }
            Some(Err(err)) => err.fatal,
        };
        if let Some(item) = item {
            batch.push(item);
        }
        if end || batch.len() >= BATCH_PAGES || bytes >= BATCH_BYTES {
            if !batch.is_empty() && tx.send(std::mem::take(&mut batch)).is_err() {
                return;
            }
            bytes = 0;
        }
        if end {
            let _ = tx.send(Vec::new());
            return;
        }
    }
}

fn threads(options: &OpenOptions) -> usize {
    match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
}

fn open_parallel(
    path: &Path,
    name: &str,
    index: &Index,
    options: &OpenOptions,
    file_len: u64,
) -> Result<Pages, DumpError> {
    let streams = index.streams();
    let first = streams[0].offset;
    if first > MAX_HEADER {
        let what = format!(
            "the first indexed stream starts at byte {first}: a dump's header is never that long"
        );
        return Err(DumpError::new(name, DumpErrorKind::Index(what)));
    }
    // The header: everything before the first indexed stream (the root's start and siteinfo).
    let mut header = Vec::new();
    File::open(path)
        .and_then(|f| f.take(first).read_to_end(&mut header))
        .map_err(|e| DumpError::io(name, &e))?;
    let mut parser = XmlPages::new(MultiBz::new(&header[..], 0), name, Mode::Header, None);
    let mut skip = options.skip_pages;
    parser.skip = skip;
    let mut header_items = Vec::new();
    match parser.read_header() {
        Ok(()) => {
            while let Some(item) = parser.next_page() {
                header_items.push(item);
            }
        }
        Err(err) => header_items.push(Err(err)),
    }
    // A header stream cut at the first indexed offset: that offset is inside it.
    for item in &mut header_items {
        if let Err(err) = item
            && err.kind == DumpErrorKind::TruncatedBz2
            && err.offset == Some(first)
        {
            let what = "stream 0 starts inside the dump's header stream".to_owned();
            err.kind = DumpErrorKind::Index(what);
        }
    }
    skip = parser.skip;
    let origin = parser.origin().map(str::to_owned);
    let siteinfo = parser.into_siteinfo();
    if options.streams.is_some() {
        header_items.retain(Result::is_err);
    }

    let range = options.streams.clone().unwrap_or(0..streams.len());
    let range = range.start.min(streams.len())..range.end.min(streams.len());
    let read_tail = range.end == streams.len() && !range.is_empty();
    let mut plan = Vec::with_capacity(range.len());
    for number in range.clone() {
        let entry = streams[number];
        let last = number + 1 == streams.len();
        // Whole streams are skipped unread, but the last one is read to find where the tail starts.
        if skip >= entry.page_count && !last {
            skip -= entry.page_count;
            continue;
        }
        let end = streams.get(number + 1).map_or(file_len, |next| next.offset);
        let stream_skip = skip.min(entry.page_count);
        skip -= stream_skip;
        plan.push(Job {
            number,
            entry,
            end,
            last,
            skip: stream_skip,
        });
    }
    let progress = Arc::new(AtomicU64::new(
        plan.first().map_or(first, |job| job.entry.offset),
    ));
    let header_failed = header_items
        .iter()
        .any(|item| item.as_ref().is_err_and(|e| e.fatal));
    let (plan, read_tail, threads) = if header_failed {
        (Vec::new(), false, 0)
    } else {
        (plan, read_tail, threads(options))
    };
    let parallel = Parallel::start(
        path,
        name,
        origin,
        plan,
        threads,
        progress.clone(),
        read_tail,
        skip,
        file_len,
    );
    Ok(Pages {
        file: name.to_owned(),
        kind: InputKind::XmlBz2,
        indexed: true,
        siteinfo,
        progress,
        total: Some(file_len),
        current: header_items.into_iter(),
        last_good: None,
        before_batch: None,
        source: Source::Parallel(Box::new(parallel)),
        done: false,
    })
}

/// The pages of just the streams at these offsets of a multistream dump (to read a few pages, such
/// as `Module:CGroup/…`, before the rest): found with [`Index::find_titles`]. Page URLs come from
/// the dump's header.
pub fn read_streams(path: &Path, offsets: &[u64]) -> Result<Vec<Page>, DumpError> {
    let name = path.display().to_string();
    // The one bz2 stream at `offset`.
    let open_at = |offset: u64| -> Result<MultiBz<BufReader<File>>, DumpError> {
        let mut file = File::open(path).map_err(|e| DumpError::io(&name, &e))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| DumpError::io(&name, &e).at(offset))?;
        Ok(MultiBz::single(
            BufReader::with_capacity(READ_BUF, file),
            offset,
        ))
    };
    let mut parser = XmlPages::new(open_at(0)?, &name, Mode::Header, None);
    parser.read_header()?;
    let origin = parser.origin().map(str::to_owned);
    let mut pages = Vec::new();
    for &offset in offsets {
        let mut parser = XmlPages::new(open_at(offset)?, &name, Mode::Pages, origin.clone());
        while let Some(page) = parser.next_page() {
            pages.push(page?);
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_beside_a_dump() {
        let beside = |name: &str| beside_index(Path::new(name)).map(|p| p.display().to_string());
        assert_eq!(
            beside("d/zhwiki-20240101-pages-articles-multistream.xml.bz2").as_deref(),
            Some("d/zhwiki-20240101-pages-articles-multistream-index.txt.bz2")
        );
        assert_eq!(
            beside("zhwiki-20240101-pages-articles-multistream3.xml-p1p187712.bz2").as_deref(),
            Some("zhwiki-20240101-pages-articles-multistream-index3.txt-p1p187712.bz2")
        );
        assert_eq!(beside("zhwiki-20240101-pages-articles.xml.bz2"), None);
        assert_eq!(beside("x-multistream.json"), None);
    }
}
