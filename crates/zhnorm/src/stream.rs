//! The streaming corpus runner: pages flow from a source through worker threads to an ordered
//! sink, in bounded memory, whatever the size of the input.
//!
//! ```text
//! source (one thread) ─ bounded queue ─ workers (N threads) ─ reorder window ─ sink (caller's thread)
//! ```
//!
//! - **Bounded.** At most `window` items are between the source and the sink at any time (read,
//!   being normalized, or waiting in the reorder buffer): the source takes a token before it
//!   sends an item, the sink gives it back once the item is written. Nothing keeps documents:
//!   the corpus rules keep names ([`zhnorm_check::CorpusChecker`]), the report keeps counts.
//! - **Deterministic.** Items reach the sink in input order; ids are handed out and the corpus
//!   rules run there, so the output does not depend on the number of workers.
//! - **Resumable.** Each item carries its checkpoint, the number of input items consumed up to
//!   and including it; a sink that completes a shard records the checkpoint of its last item,
//!   and a later run can skip that many items ([`StreamState`] is rebuilt from the kept shards).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use zhnorm_check::{CorpusChecker, CorpusFinding, DocSummary};
use zhnorm_doc::{Diagnostic, Document, Format, PageInfo, codes};

use crate::id::IdAllocator;
use crate::pipeline::{Normalized, PageInput, Pipeline, StageTimings, sort_diagnostics};
use crate::report::{Failure, Report};

/// One page to normalize, owned (it crosses threads).
#[derive(Debug, Clone, Default)]
pub struct PageItem {
    /// How the document names its source: the input file's name.
    pub path: String,
    pub text: String,
    pub title: Option<String>,
    pub format: Option<Format>,
    pub info: Option<PageInfo>,
    /// The encoding a loose file was decoded from when it was not UTF-8 (`GB18030`, …).
    pub encoding: Option<&'static str>,
}

impl PageItem {
    /// The page as the pipeline takes it.
    pub fn input(&self) -> PageInput<'_> {
        PageInput {
            path: &self.path,
            text: &self.text,
            title: self.title.as_deref(),
            format: self.format,
            info: self.info.as_ref(),
            encoding: self.encoding,
        }
    }
}

/// A redirect page: not an article, but a name under which links resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redirect {
    pub title: String,
    pub target: String,
    pub namespace: i32,
    pub page_id: Option<u64>,
}

/// One item of an input, in input order.
#[derive(Debug, Clone)]
pub enum StreamItem {
    Page(Box<PageItem>),
    Redirect(Redirect),
    /// A page that is not normalized, counted by reason (`namespace`, `deleted`,
    /// `model:Scribunto`, …).
    Skipped(String),
    /// An input that could not be read (a bad line of a JSON Lines file, a bad file of a
    /// folder); the run goes on.
    Failed(Failure),
}

/// An input error that ends the input (a truncated or invalid dump): everything before it is
/// written, and the run reports it.
pub type FatalInputError = String;

/// What a sink's [`DocumentSink::preparer`] makes of a document on a worker thread (its
/// encoding, typically), handed back to the sink with the document.
pub type Prepared = Box<dyn std::any::Any + Send>;

/// A function the workers run on each finished document, in parallel.
pub type Preparer = std::sync::Arc<dyn Fn(&Document) -> Prepared + Send + Sync>;

/// Where finished documents and redirects go, in input order.
pub trait DocumentSink {
    /// Work on a document that can be done on the worker threads rather than in the ordered
    /// sink: encoding it, typically. The sink gets the result with the document, unless the
    /// runner changed the document after the workers (a suffixed id, a corpus finding), in
    /// which case it gets `None` and must do the work itself.
    fn preparer(&self) -> Option<Preparer> {
        None
    }
    /// `checkpoint`: input items consumed up to and including this one.
    fn document(
        &mut self,
        doc: &Document,
        prepared: Option<Prepared>,
        checkpoint: u64,
    ) -> Result<(), SinkError>;
    fn redirect(&mut self, redirect: &Redirect, checkpoint: u64) -> Result<(), SinkError>;
    /// A page that was not normalized, by reason: a sink that can be resumed records it.
    fn skipped(&mut self, _reason: &str, _checkpoint: u64) -> Result<(), SinkError> {
        Ok(())
    }
    /// An input that failed: a sink that can be resumed records it.
    fn failed(&mut self, _failure: &Failure, _checkpoint: u64) -> Result<(), SinkError> {
        Ok(())
    }
}

/// A sink could not write: the run stops. `Closed` is a reader that went away (a closed pipe):
/// not a failure of the run.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("the output was closed")]
    Closed,
    #[error("{0}")]
    Failed(String),
}

/// How many workers, and how many items may be in flight.
#[derive(Debug, Clone, Copy)]
pub struct StreamOptions {
    pub jobs: usize,
    /// Items between source and sink at most; `0` picks three batches per worker.
    pub window: usize,
}

/// What a run has seen so far: ids handed out, the corpus rules' indexes and the report. A new
/// run starts empty; a resumed run starts from the documents of the shards it keeps.
#[derive(Debug)]
pub struct StreamState {
    pub ids: IdAllocator,
    pub checker: CorpusChecker,
    pub report: Report,
    /// Input items consumed so far.
    pub checkpoint: u64,
    /// The run's conversion groups, and the groups replayed documents name that they lack
    /// (reported with those the pipeline meets, so that a resumed run reports as a whole one).
    groups: Option<std::sync::Arc<crate::ConversionGroups>>,
    replayed_missing: std::collections::BTreeSet<String>,
}

impl StreamState {
    pub fn new(pipeline: &Pipeline) -> Self {
        let options = pipeline.options();
        StreamState {
            ids: IdAllocator::default(),
            checker: CorpusChecker::new(&options.checks),
            report: Report::new(options.variant.as_tag(), options.engine.as_str()),
            checkpoint: 0,
            groups: options.conversion_groups.clone(),
            replayed_missing: Default::default(),
        }
    }

    /// Takes in a document that an earlier run wrote (resume): its id stays as it was, and the
    /// corpus rules and the report see it as they saw it then.
    pub fn replay_document(&mut self, document: &Document) {
        // Ids were handed out in input order from titles: the same calls give the same ids.
        let _ = self.ids.allocate(&document.title);
        let _ = self.checker.observe(&DocSummary::of(document));
        self.report.inputs += 1;
        self.report.add_document(document, &StageTimings::default());
        if let Some(groups) = &self.groups {
            for name in &document.conversion.groups {
                if groups.rules(name).is_none() {
                    self.replayed_missing.insert(name.clone());
                }
            }
        }
    }

    /// Takes in a redirect that an earlier run wrote (resume).
    pub fn replay_redirect(&mut self, redirect: &Redirect) {
        self.checker
            .observe_redirect(&redirect.title, &redirect.target);
        self.report.redirects += 1;
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct StreamOutcome {
    pub report: Report,
    /// Findings of the corpus rules about the corpus as a whole (not one document).
    pub corpus_diagnostics: Vec<Diagnostic>,
    /// The error that ended the input early, if one did.
    pub input_error: Option<FatalInputError>,
    /// True when the sink's reader went away (closed pipe) and the run stopped early.
    pub closed: bool,
}

/// Runs every item of `items` through `pipeline` into `sink`. Items `< skip_until` (by
/// checkpoint, counted from the state's checkpoint) are known to be written already and are not
/// normalized again.
pub fn run_stream<I>(
    pipeline: &Pipeline,
    items: I,
    sink: &mut dyn DocumentSink,
    options: StreamOptions,
    mut state: StreamState,
) -> Result<StreamOutcome, SinkError>
where
    I: Iterator<Item = Result<StreamItem, FatalInputError>> + Send,
{
    let jobs = options.jobs.max(1);
    let window = if options.window == 0 {
        WINDOW_PER_WORKER * jobs
    } else {
        options.window
    };
    let (token_tx, token_rx) = bounded::<()>(window);
    for _ in 0..window {
        token_tx
            .send(())
            .expect("the token channel holds the window");
    }
    let (work_tx, work_rx) = bounded::<(u64, StreamItem)>(window);
    let (done_tx, done_rx) = unbounded::<(u64, Processed)>();
    let input_error: Mutex<Option<FatalInputError>> = Mutex::new(None);
    let first = state.checkpoint;

    let result = std::thread::scope(|scope| {
        let input_error = &input_error;
        scope.spawn(move || {
            feed(items, first, &token_rx, &work_tx, input_error);
        });
        // With one worker, the ordered sink has time to spare (it compresses and writes) while
        // the worker is the run's bottleneck: the sink encodes documents itself. With more, the
        // workers share the encoding, which one sink thread could not keep up with.
        let preparer = if jobs > 1 { sink.preparer() } else { None };
        // Each worker gets back the documents it made once the sink is done with them, and
        // frees them itself: freed on the sink's thread, their memory went back to the
        // allocator's pages of another thread, and the worker's next pages were read into memory
        // fresh from the allocator rather than warm in its own cache (100 MB dump, `--jobs 1`:
        // the read stage 8 % faster, the script stage 2 %).
        let mut spent = Vec::with_capacity(jobs);
        for worker in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            let preparer = preparer.clone();
            let (spent_tx, spent_rx) = unbounded::<Document>();
            spent.push(spent_tx);
            scope.spawn(move || {
                let channels = WorkerChannels {
                    worker,
                    items: &work_rx,
                    done: &done_tx,
                    spent: &spent_rx,
                };
                work(pipeline, preparer.as_deref(), channels)
            });
        }
        drop(work_rx);
        drop(done_tx);
        let outcome = drain(&done_rx, &token_tx, first, sink, &mut state, &spent);
        drop(spent);
        // On a sink error, hang up: the source stops at its next token, the workers at their
        // next result.
        drop(token_tx);
        drop(done_rx);
        outcome
    });
    let closed = match result {
        Ok(()) => false,
        Err(SinkError::Closed) => true,
        Err(error) => return Err(error),
    };
    let input_error = input_error.into_inner().unwrap_or_else(|e| e.into_inner());
    let StreamState {
        checker,
        mut report,
        replayed_missing,
        ..
    } = state;
    let mut corpus_diagnostics: Vec<Diagnostic> = Vec::new();
    for CorpusFinding { diagnostic, .. } in checker.finish() {
        corpus_diagnostics.push(diagnostic);
    }
    // Documents replayed by `--resume` were not converted in this run: their missing groups
    // come from the state.
    corpus_diagnostics.extend(pipeline.missing_group_diagnostics(replayed_missing));
    sort_diagnostics(&mut corpus_diagnostics);
    report.add_corpus_diagnostics(&corpus_diagnostics);
    if let Some(error) = &input_error {
        // The reader's message starts with the file (`FILE: WHAT at byte …`); the failure names
        // the file once, in its path.
        let (path, what) = error.split_once(": ").unwrap_or(("", error.as_str()));
        report.add_failure(Failure {
            path: path.to_owned(),
            code: codes::FILE_UNREADABLE.code.to_owned(),
            error: what.to_owned(),
        });
    }
    Ok(StreamOutcome {
        report,
        corpus_diagnostics,
        input_error,
        closed,
    })
}

/// An item after the workers: a document, or what it was.
enum Processed {
    /// A document, what the sink's preparer made of it, and the worker that made it.
    Document(Box<Normalized>, Option<Prepared>, usize),
    Redirect(Redirect),
    Skipped(String),
    Failed(Failure),
}

fn feed<I>(
    items: I,
    first: u64,
    tokens: &Receiver<()>,
    work: &Sender<(u64, StreamItem)>,
    input_error: &Mutex<Option<FatalInputError>>,
) where
    I: Iterator<Item = Result<StreamItem, FatalInputError>>,
{
    for (sequence, item) in (first..).zip(items) {
        if tokens.recv().is_err() {
            return;
        }
        match item {
            Ok(item) => {
                if work.send((sequence, item)).is_err() {
                    return;
                }
            }
            Err(error) => {
                *input_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
                return;
            }
        }
    }
}

/// The default window per worker: a batch being normalized, the next one queued, and the last
/// one's documents on their way through the sink, so that the worker never waits for the sink
/// to hand back room for pages.
const WINDOW_PER_WORKER: usize = 3 * BATCH_PAGES;

/// Pages a worker takes from the queue at once (see [`Pipeline::normalize_pages`]), at most …
const BATCH_PAGES: usize = 8;
/// … and, past the first, only while the batch holds less than this many bytes of page text:
/// a batch's documents are in memory together.
const BATCH_BYTES: usize = 1 << 20;

/// A worker's ends of the run's channels.
struct WorkerChannels<'c> {
    /// The worker's index, which its documents carry to the sink and back.
    worker: usize,
    items: &'c Receiver<(u64, StreamItem)>,
    done: &'c Sender<(u64, Processed)>,
    /// The worker's documents the sink is done with, to be freed here.
    spent: &'c Receiver<Document>,
}

fn work(
    pipeline: &Pipeline,
    preparer: Option<&(dyn Fn(&Document) -> Prepared + Send + Sync)>,
    channels: WorkerChannels<'_>,
) {
    let WorkerChannels {
        worker,
        items,
        done,
        spent,
    } = channels;
    let page_bytes = |item: &StreamItem| match item {
        StreamItem::Page(page) => page.text.len(),
        _ => 0,
    };
    let mut batch: Vec<(u64, StreamItem)> = Vec::with_capacity(BATCH_PAGES);
    // A batch is what the queue holds when the worker is free, never waited for: a worker
    // with nothing queued behind its page goes on at once.
    while let Ok(first) = items.recv() {
        while let Ok(document) = spent.try_recv() {
            drop(document);
        }
        let mut bytes = page_bytes(&first.1);
        batch.push(first);
        while batch.len() < BATCH_PAGES && bytes < BATCH_BYTES {
            let Ok(next) = items.try_recv() else {
                break;
            };
            bytes += page_bytes(&next.1);
            batch.push(next);
        }
        let inputs: Vec<PageInput<'_>> = batch
            .iter()
            .filter_map(|(_, item)| match item {
                StreamItem::Page(page) => Some(page.input()),
                _ => None,
            })
            .collect();
        let mut results = pipeline.normalize_pages(&inputs).into_iter();
        for (sequence, item) in batch.drain(..) {
            let processed = match item {
                StreamItem::Page(page) => {
                    // One result per page, in order (`normalize_pages`'s contract).
                    let result = results
                        .next()
                        .unwrap_or_else(|| pipeline.normalize_page(&page.input()));
                    match result {
                        Ok(normalized) => {
                            let prepared = preparer.map(|prepare| prepare(&normalized.document));
                            Processed::Document(Box::new(normalized), prepared, worker)
                        }
                        Err(error) => Processed::Failed(Failure {
                            path: describe_page(&page),
                            code: error.code().code.to_owned(),
                            error: error.to_string(),
                        }),
                    }
                }
                StreamItem::Redirect(redirect) => Processed::Redirect(redirect),
                StreamItem::Skipped(reason) => Processed::Skipped(reason),
                StreamItem::Failed(failure) => Processed::Failed(failure),
            };
            if done.send((sequence, processed)).is_err() {
                return;
            }
        }
    }
}

/// `file` or `file#title` for a page of a dump, naming it in failures.
fn describe_page(page: &PageItem) -> String {
    match &page.title {
        Some(title) if page.info.is_some() => format!("{}#{title}", page.path),
        _ => page.path.clone(),
    }
}

fn drain(
    done: &Receiver<(u64, Processed)>,
    tokens: &Sender<()>,
    first: u64,
    sink: &mut dyn DocumentSink,
    state: &mut StreamState,
    spent: &[Sender<Document>],
) -> Result<(), SinkError> {
    let mut waiting: BTreeMap<u64, Processed> = BTreeMap::new();
    let mut next = first;
    for (sequence, processed) in done {
        waiting.insert(sequence, processed);
        while let Some(processed) = waiting.remove(&next) {
            next += 1;
            state.checkpoint = next;
            if let Some((document, worker)) = emit(processed, next, sink, state)? {
                // Once its worker has stopped (end of input), the send fails and the document
                // is dropped here.
                if let Some(spent) = spent.get(worker) {
                    let _ = spent.send(document);
                }
            }
            // The source may have stopped (end of input): a missing receiver is not an error.
            let _ = tokens.send(());
        }
    }
    Ok(())
}

/// Writes `processed` to the sink; a document written comes back with the worker that made it.
fn emit(
    processed: Processed,
    checkpoint: u64,
    sink: &mut dyn DocumentSink,
    state: &mut StreamState,
) -> Result<Option<(Document, usize)>, SinkError> {
    match processed {
        Processed::Document(normalized, mut prepared, worker) => {
            let Normalized {
                mut document,
                timings,
            } = *normalized;
            state.report.inputs += 1;
            let id = state.ids.allocate(&document.title).0;
            if id != document.id {
                prepared = None;
                document.id = id;
            }
            let findings = state.checker.observe(&DocSummary::of(&document));
            if !findings.is_empty() {
                prepared = None;
                document
                    .diagnostics
                    .extend(findings.into_iter().map(|f| f.diagnostic));
                sort_diagnostics(&mut document.diagnostics);
            }
            let start = Instant::now();
            sink.document(&document, prepared, checkpoint)?;
            let mut timings = timings;
            timings.write = start.elapsed();
            state.report.add_document(&document, &timings);
            return Ok(Some((document, worker)));
        }
        Processed::Redirect(redirect) => {
            state
                .checker
                .observe_redirect(&redirect.title, &redirect.target);
            state.report.redirects += 1;
            sink.redirect(&redirect, checkpoint)?;
        }
        Processed::Skipped(reason) => {
            sink.skipped(&reason, checkpoint)?;
            *state.report.skipped.entry(reason).or_default() += 1;
        }
        Processed::Failed(failure) => {
            sink.failed(&failure, checkpoint)?;
            state.report.inputs += 1;
            state.report.add_failure(failure);
        }
    }
    Ok(None)
}
