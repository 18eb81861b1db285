//! The multistream dump read with its index: streams decoded and parsed on worker threads, pages
//! handed out in file order.
//!
//! The consumer keeps a queue of at most `threads × STREAMS_PER_THREAD` streams in flight: each is a
//! job on a channel the workers share, with a one-shot reply channel the consumer waits on in
//! order. Memory is bounded by that window: a stream in flight holds its pages (about a hundred);
//! a worker decodes and parses its stream through 256 kB buffers.
//!
//! Every stream is checked against the index: it must end exactly where the next indexed stream
//! starts, and hold the pages the index lists (count and first id).

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_channel::{Receiver, Sender};

use crate::bz2::{MultiBz, NO_HEADER};
use crate::error::{DumpError, DumpErrorKind};
use crate::index::StreamEntry;
use crate::page::Page;
use crate::xml::{Mode, XmlPages};

/// The read buffer of a worker (compressed bytes).
const READ_BUF: usize = 256 * 1024;

/// Streams in flight per worker thread.
pub(crate) const STREAMS_PER_THREAD: usize = 3;

pub(crate) type Item = Result<Page, DumpError>;

/// One stream to read.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub number: usize,
    pub entry: StreamEntry,
    /// Where the next stream starts (the next index entry, or the end of the file for the last one,
    /// which may be followed by the footer stream).
    pub end: u64,
    pub last: bool,
    /// Pages to skip at the start of this stream (resume).
    pub skip: u64,
}

struct Done {
    items: Vec<Item>,
    /// Where the stream ended in the file.
    end: u64,
}

struct Context {
    path: PathBuf,
    name: String,
    origin: Option<String>,
    /// Set when the iteration is dropped: the jobs still queued are not read.
    stopped: AtomicBool,
}

pub(crate) struct Parallel {
    ctx: Arc<Context>,
    jobs: Sender<(Job, Sender<Done>)>,
    plan: VecDeque<Job>,
    pending: VecDeque<Receiver<Done>>,
    window: usize,
    progress: Arc<AtomicU64>,
    /// Where the tail (after the last indexed stream) starts, once known; `None` if it is not read.
    read_tail: bool,
    tail_start: Option<u64>,
    tail_skip: u64,
    file_len: u64,
}

impl Parallel {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start(
        path: &Path,
        name: &str,
        origin: Option<String>,
        plan: Vec<Job>,
        threads: usize,
        progress: Arc<AtomicU64>,
        read_tail: bool,
        tail_skip: u64,
        file_len: u64,
    ) -> Parallel {
        let ctx = Arc::new(Context {
            path: path.to_owned(),
            name: name.to_owned(),
            origin,
            stopped: AtomicBool::new(false),
        });
        let (jobs, rx) = crossbeam_channel::unbounded::<(Job, Sender<Done>)>();
        for _ in 0..threads {
            let rx = rx.clone();
            let ctx = ctx.clone();
            std::thread::spawn(move || worker(&ctx, &rx));
        }
        Parallel {
            ctx,
            jobs,
            plan: plan.into(),
            pending: VecDeque::new(),
            window: threads * STREAMS_PER_THREAD,
            progress,
            read_tail,
            tail_start: None,
            tail_skip,
            file_len,
        }
    }

    fn dispatch(&mut self) {
        while self.pending.len() < self.window {
            let Some(job) = self.plan.pop_front() else {
                break;
            };
            let (tx, rx) = crossbeam_channel::bounded(1);
            if self.jobs.send((job, tx)).is_err() {
                break;
            }
            self.pending.push_back(rx);
        }
    }

    /// The pages of the next stream, in order; `None` when all are read.
    pub(crate) fn next_batch(&mut self) -> Option<Vec<Item>> {
        self.dispatch();
        if let Some(rx) = self.pending.pop_front() {
            let done = match rx.recv() {
                Ok(done) => done,
                Err(_) => {
                    let kind = DumpErrorKind::Io("a reader thread stopped unexpectedly".into());
                    return Some(vec![Err(DumpError::new(&self.ctx.name, kind))]);
                }
            };
            self.dispatch();
            self.progress.fetch_max(done.end, Ordering::Relaxed);
            self.tail_start = Some(done.end);
            return Some(done.items);
        }
        if self.read_tail {
            self.read_tail = false;
            let start = self.tail_start?;
            let items = self.tail(start);
            self.progress.fetch_max(self.file_len, Ordering::Relaxed);
            return Some(items);
        }
        None
    }

    /// What follows the last indexed stream: the footer `</mediawiki>`, and pages the index missed.
    fn tail(&self, start: u64) -> Vec<Item> {
        let ctx = &self.ctx;
        if self.file_len <= start {
            return Vec::new();
        }
        let file = match File::open(&ctx.path)
            .and_then(|mut f| f.seek(SeekFrom::Start(start)).map(|_| f))
        {
            Ok(file) => BufReader::with_capacity(256 * 1024, file),
            Err(e) => return vec![Err(DumpError::io(&ctx.name, &e).at(start))],
        };
        let mut parser = XmlPages::new(
            MultiBz::new(file, start),
            &ctx.name,
            Mode::Tail,
            ctx.origin.clone(),
        );
        parser.skip = self.tail_skip;
        let mut items = Vec::new();
        while let Some(item) = parser.next_page() {
            items.push(item);
        }
        items
    }
}

impl Drop for Parallel {
    fn drop(&mut self) {
        self.ctx.stopped.store(true, Ordering::Relaxed);
    }
}

fn worker(ctx: &Context, jobs: &Receiver<(Job, Sender<Done>)>) {
    let mut file = None;
    while let Ok((job, reply)) = jobs.recv() {
        if ctx.stopped.load(Ordering::Relaxed) {
            return;
        }
        let done = read_stream(ctx, &mut file, &job);
        // The consumer may be gone (the iteration was dropped): then nothing waits for this.
        let _ = reply.send(done);
    }
}

/// Decodes and parses one stream as it is read (in 256 kB pieces, which stay in the core's cache),
/// then checks it against the index.
fn read_stream(ctx: &Context, file: &mut Option<File>, job: &Job) -> Done {
    let offset = job.entry.offset;
    let error = |kind: DumpErrorKind, at: u64| DumpError::new(&ctx.name, kind).at(at);
    let index_error = |what: String, at: u64| {
        error(
            DumpErrorKind::Index(format!("stream {} {what}", job.number)),
            at,
        )
    };
    let f = match file {
        Some(f) => f,
        None => match File::open(&ctx.path) {
            Ok(f) => file.insert(f),
            Err(e) => {
                return Done {
                    items: vec![Err(error(DumpErrorKind::Io(e.to_string()), offset))],
                    end: offset,
                };
            }
        },
    };
    if let Err(e) = f.seek(SeekFrom::Start(offset)) {
        return Done {
            items: vec![Err(error(DumpErrorKind::Io(e.to_string()), offset))],
            end: offset,
        };
    }
    let len = job.end.saturating_sub(offset);
    let input = BufReader::with_capacity(READ_BUF, (&*f).take(len));
    let mut parser = XmlPages::new(
        MultiBz::single(input, offset),
        &ctx.name,
        Mode::Pages,
        ctx.origin.clone(),
    );
    parser.skip = job.skip;
    let mut items = Vec::with_capacity(job.entry.page_count as usize);
    while let Some(item) = parser.next_page() {
        items.push(item);
    }
    let end = parser.input().compressed_pos();
    if let Some(Err(err)) = items.last_mut() {
        // Decoding failures that mean the index is wrong, not the data.
        let index_kind = match (&err.kind, err.offset) {
            (DumpErrorKind::CorruptBz2(what), Some(at)) if at == offset && what == NO_HEADER => {
                Some(("does not start a bz2 stream".to_owned(), offset))
            }
            // The whole range up to the next indexed stream was read, and the stream goes on.
            (DumpErrorKind::TruncatedBz2, Some(at)) if !job.last && at == job.end => Some((
                "runs past where the index puts the next stream".to_owned(),
                job.end,
            )),
            _ => None,
        };
        if let Some((what, at)) = index_kind {
            let last_good = err.last_good_page.take();
            *err = index_error(what, at);
            err.last_good_page = last_good;
        }
        return Done { items, end: offset };
    }
    let mut problem = None;
    if !job.last && end != job.end {
        problem = Some((
            format!("ends before the next indexed stream (byte {})", job.end),
            end,
        ));
    } else {
        let (count, first) = (parser.pages_read(), parser.first_page_id());
        if count != job.entry.page_count || first != Some(job.entry.first_page_id) {
            let first = first.map_or_else(|| "none".to_owned(), |id| id.to_string());
            let what = format!(
                "holds {count} pages from id {first}; the index lists {} from id {}",
                job.entry.page_count, job.entry.first_page_id
            );
            problem = Some((what, offset));
        }
    }
    if let Some((what, at)) = problem {
        let mut err = index_error(what, at);
        err.last_good_page = parser.last_good();
        items.push(Err(err));
    }
    Done { items, end }
}
