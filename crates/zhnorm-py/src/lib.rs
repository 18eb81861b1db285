//! The `zhnorm` Python package (its extension module `zhnorm._zhnorm`): zhnorm from Python, one
//! document or an Arrow batch of pages at a time, and a MediaWiki dump read as Arrow batches,
//! whole or by ranges of its multistream streams, so that an engine such as Spark can split a
//! dump into tasks.
//!
//! - `normalize(text, *, title, format, variant, id, url, path)`: one document, as the JSON Lines
//!   record that `zhnorm normalize --output-format jsonl` writes for the same page, as a `dict`.
//! - `normalize_batch(batch, *, variant, jobs, path, namespaces, report)`: a `pyarrow.RecordBatch`
//!   or `Table` of pages in, a `pyarrow.RecordBatch` of the records of `zhnorm.record/1` out
//!   (`schema/zhnorm.record-1.md`). Data crosses through the Arrow C data interface; the GIL is
//!   released while a rayon pool of `jobs` threads works.
//! - `read_dump(path, *, streams, batch_pages)` and `dump_streams(path)`: pages of a dump through
//!   `zhnorm-dump`, and the streams its index lists.
//! - `corpus_summary(records)` and `check_corpus(summaries, redirects, *, report)`: the corpus
//!   step, over compact summaries of the documents of all tasks.
//!
//! Edges: every page is treated as `zhnorm normalize` treats it (`zhnorm_cli::page_item`,
//! `zhnorm_cli::record`), one document at a time. What needs the whole corpus is not done by
//! `normalize_batch`: ids stay `safe_id(title)` (the CLI suffixes a second `X` as `X~2`), and the
//! corpus rules (K001–K004) do not run. `check_corpus` does both, once, over the whole run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use arrow_pyarrow::ToPyArrow;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;
use zhnorm::{Options, Pipeline, Report, StreamItem, Variant};
use zhnorm_dataset::{ColumnBuilder, DocumentColumns, Documents, RecordKind};

mod corpus;
mod dump;
mod pages;

pub use pages::{PageRows, pages_schema};

/// The binary's allocator: the readers allocate one node at a time, and glibc's malloc costs a
/// quarter of their time (ARCHITECTURE.md, "Reading speed").
#[global_allocator]
static GLOBAL: zhnorm_cli::Allocator = zhnorm_cli::Allocator;

pyo3::create_exception!(
    _zhnorm,
    NormalizeError,
    PyException,
    "A document could not be normalized (empty, binary or undecodable text); the message names it."
);
pyo3::create_exception!(
    _zhnorm,
    DumpError,
    PyException,
    "A dump or its index could not be read; the message names the file, the byte offset and the last good page."
);

/// One pipeline per variant, built once per process: building the converter is not free.
fn pipeline(variant: &str) -> PyResult<Arc<Pipeline>> {
    static PIPELINES: OnceLock<Mutex<HashMap<String, Arc<Pipeline>>>> = OnceLock::new();
    let variant_tag: Variant = variant
        .parse()
        .map_err(|e| PyValueError::new_err(format!("variant `{variant}`: {e}")))?;
    let mut pipelines = PIPELINES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(pipeline) = pipelines.get(variant) {
        return Ok(pipeline.clone());
    }
    let options = Options {
        variant: variant_tag,
        ..Options::default()
    };
    let pipeline = Arc::new(
        Pipeline::new(options).map_err(|e| PyValueError::new_err(format!("setting up: {e}")))?,
    );
    pipelines.insert(variant.to_owned(), pipeline.clone());
    Ok(pipeline)
}

/// One rayon pool per thread count, kept for the process: a batch is small work, and a pool per
/// call would start and stop threads every time.
fn pool(jobs: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let jobs = match jobs {
        Some(0) => return Err(PyValueError::new_err("jobs must be at least 1")),
        Some(jobs) => jobs,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(pool) = pools.get(&jobs) {
        return Ok(pool.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("zhnorm-{i}"))
        // The worker stack of the CLI's runner: documents are shallow within it (ARCHITECTURE.md,
        // "Documents are shallow").
        .stack_size(2 << 20)
        .build()
        .map_err(|e| PyValueError::new_err(format!("starting {jobs} threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.insert(jobs, pool.clone());
    Ok(pool)
}

/// What one page became, on a worker thread.
enum Outcome {
    Document {
        document: Box<zhnorm_doc::Document>,
        text: String,
        json: String,
        timings: zhnorm::StageTimings,
    },
    Redirect,
    Skipped(String),
    Failed(zhnorm::Failure),
}

fn normalize_item(pipeline: &Pipeline, item: StreamItem) -> Outcome {
    match item {
        StreamItem::Page(page) => match pipeline.normalize_page(&page.input()) {
            Ok(normalized) => {
                let document = normalized.document;
                let text = zhnorm_doc::article_text(&document);
                let json = serde_json::to_string(&document).unwrap_or_default();
                Outcome::Document {
                    document: Box::new(document),
                    text,
                    json,
                    timings: normalized.timings,
                }
            }
            Err(error) => Outcome::Failed(zhnorm::Failure {
                path: match &page.title {
                    Some(title) => format!("{}#{title}", page.path),
                    None => page.path.clone(),
                },
                code: error.code().code.to_owned(),
                error: error.to_string(),
            }),
        },
        StreamItem::Redirect(_) => Outcome::Redirect,
        StreamItem::Skipped(reason) => Outcome::Skipped(reason),
        StreamItem::Failed(failure) => Outcome::Failed(failure),
    }
}

/// Normalizes one document and returns the record that `zhnorm normalize --output-format jsonl`
/// writes for the same page of a JSON Lines input: `id, url, title, text`, then the canonical
/// document's keys.
///
/// `title` names the document (without it, the lead's bold term or `path`'s stem does); `format`
/// is `wikitext`, `scraped`, `markdown` or `canonical` (detected when `None`); `id` is the page id
/// (a number, or a key kept as a string) and `url` the page URL, as the JSON Lines fields of the
/// same names; `path` is how the document names its source (`source.path`, `-` by default, as
/// for standard input). Raises `NormalizeError` naming the document when its text cannot be
/// read (empty, binary, undecodable).
#[pyfunction]
#[pyo3(signature = (text, *, title=None, format=None, variant="zh-Hans", id=None, url=None, path="-"))]
#[allow(clippy::too_many_arguments)]
fn normalize<'py>(
    py: Python<'py>,
    text: String,
    title: Option<String>,
    format: Option<String>,
    variant: &str,
    id: Option<Bound<'py, PyAny>>,
    url: Option<String>,
    path: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let pipeline = pipeline(variant)?;
    let (page_id, key) = match id {
        None => (None, None),
        Some(id) => match id.extract::<u64>() {
            Ok(number) => (Some(number), None),
            Err(_) => pages::page_key(id.extract::<String>()?),
        },
    };
    let has_title = title.is_some();
    let page = zhnorm_dump::Page {
        title: title.unwrap_or_default(),
        id: page_id,
        key,
        text: Some(text),
        url,
        source_format: format,
        ..zhnorm_dump::Page::default()
    };
    let line = py.detach(|| -> Result<Vec<u8>, String> {
        let mut item = zhnorm_cli::page_item(page, path, &[0]);
        if !has_title && let StreamItem::Page(page) = &mut item {
            // No title given: the reader's guess names the document, and no page metadata
            // is invented for it unless an id or URL was given.
            page.title = None;
            if let Some(info) = &page.info
                && info.id.is_none()
                && info.key.is_none()
                && info.url.is_none()
            {
                page.info = None;
            }
        }
        match normalize_item(&pipeline, item) {
            Outcome::Document { document, text, .. } => {
                let mut line = Vec::new();
                <Documents as RecordKind>::write_json(
                    &zhnorm_cli::record(&document).with_text(&text),
                    &mut line,
                );
                Ok(line)
            }
            Outcome::Failed(failure) => Err(format!("{}: {}", failure.path, failure.error)),
            Outcome::Redirect | Outcome::Skipped(_) => Err("not a page to normalize".to_owned()),
        }
    });
    let line = line.map_err(NormalizeError::new_err)?;
    let json = py.import("json")?;
    json.call_method1("loads", (std::str::from_utf8(&line)?,))
}

/// Normalizes the pages of a `pyarrow.RecordBatch` or `Table` (or anything with the Arrow C
/// stream interface) and returns a `pyarrow.RecordBatch` of the record schema `zhnorm.record/1`.
///
/// Columns read: `title` and `text` (required), and when present `id`, `url`, `format`, and the
/// dump columns of `read_dump` (`namespace`, `revision_id`, `parent_id`, `timestamp`, `model`,
/// `content_format`, `redirect`). As in `zhnorm normalize`, redirects, pages outside
/// `namespaces`, deleted texts (`text` null) and pages whose model is not wikitext are not
/// documents. `path` is how documents name their source: by default the `zhnorm.source` of the
/// batch's schema metadata (`read_dump` sets it to the dump's file name), else `-`.
///
/// With `report=False` (default) a page that cannot be read raises `NormalizeError` naming it.
/// With `report=True` the call returns `(batch, report)` instead: `report` is this batch's
/// `_report.json` (`zhnorm.report/1`) as a `dict`, with the failures, the redirects and the
/// skipped pages counted, so that the reports of many batches can be summed.
///
/// With `summaries=True` the returned tuple ends with the records' corpus summaries: what
/// `corpus_summary` gives for the batch, made from the documents before they are written (a
/// distributed run's tasks need both; reading the records back costs a tenth of the task).
#[pyfunction]
#[pyo3(signature = (batch, *, variant="zh-Hans", jobs=None, path=None, namespaces=vec![0], report=false, summaries=false))]
#[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
fn normalize_batch<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    variant: &str,
    jobs: Option<usize>,
    path: Option<String>,
    namespaces: Vec<i32>,
    report: bool,
    summaries: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let pipeline = pipeline(variant)?;
    let pool = pool(jobs)?;
    let batches = pages::input_batches(batch)?;
    let path = path
        .or_else(|| pages::source_metadata(&batches))
        .unwrap_or_else(|| "-".to_owned());
    let rows = batches
        .iter()
        .map(PageRows::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(PyValueError::new_err)?;

    let (records, run_report, summary_lines) = py.detach(|| {
        let outcomes: Vec<Outcome> = pool.install(|| {
            rows.iter()
                .flat_map(|rows| (0..rows.len()).map(move |row| (rows, row)))
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|(rows, row)| {
                    let item = zhnorm_cli::page_item(rows.page(row), &path, &namespaces);
                    normalize_item(&pipeline, item)
                })
                .collect()
        });
        let mut columns = DocumentColumns::default();
        let mut summary_lines = String::new();
        let mut run_report = Report::new(
            pipeline.options().variant.as_tag(),
            pipeline.options().engine.as_str(),
        );
        for outcome in outcomes {
            match outcome {
                Outcome::Document {
                    document,
                    text,
                    json,
                    timings,
                } => {
                    run_report.inputs += 1;
                    run_report.add_document(&document, &timings);
                    if summaries {
                        corpus::push_summary(&document, &mut summary_lines);
                    }
                    columns.append(
                        &zhnorm_cli::record(&document)
                            .with_text(&text)
                            .with_document_json(&json),
                    );
                }
                Outcome::Redirect => run_report.redirects += 1,
                Outcome::Skipped(reason) => *run_report.skipped.entry(reason).or_default() += 1,
                Outcome::Failed(failure) => {
                    run_report.inputs += 1;
                    run_report.add_failure(failure);
                }
            }
        }
        (columns.finish(), run_report, summary_lines)
    });

    if !report && let Some(failure) = run_report.failures.first() {
        return Err(NormalizeError::new_err(format!(
            "{}: {}",
            failure.path, failure.error
        )));
    }
    let records = records.to_pyarrow(py)?;
    let report = if report {
        let json = py.import("json")?;
        Some(json.call_method1("loads", (run_report.to_json(),))?)
    } else {
        None
    };
    Ok(match (report, summaries) {
        (None, false) => records,
        (Some(report), false) => (records, report).into_pyobject(py)?.into_any(),
        (None, true) => (records, summary_lines).into_pyobject(py)?.into_any(),
        (Some(report), true) => (records, report, summary_lines)
            .into_pyobject(py)?
            .into_any(),
    })
}

/// The Arrow schema of the records (`zhnorm.record/1`), as a `pyarrow.Schema`.
#[pyfunction]
fn record_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    zhnorm_dataset::record_schema().as_ref().to_pyarrow(py)
}

#[pymodule]
fn _zhnorm(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(normalize, module)?)?;
    module.add_function(wrap_pyfunction!(normalize_batch, module)?)?;
    module.add_function(wrap_pyfunction!(record_schema, module)?)?;
    module.add_function(wrap_pyfunction!(dump::read_dump, module)?)?;
    module.add_function(wrap_pyfunction!(dump::dump_streams, module)?)?;
    module.add_function(wrap_pyfunction!(dump::pages_schema_py, module)?)?;
    module.add_function(wrap_pyfunction!(corpus::corpus_summary, module)?)?;
    module.add_function(wrap_pyfunction!(corpus::check_corpus, module)?)?;
    module.add_function(wrap_pyfunction!(corpus::apply_corpus_findings, module)?)?;
    module.add_class::<dump::DumpReader>()?;
    module.add("NormalizeError", module.py().get_type::<NormalizeError>())?;
    module.add("DumpError", module.py().get_type::<DumpError>())?;
    module.add("RECORD_SCHEMA", zhnorm_dataset::RECORD_SCHEMA)?;
    Ok(())
}
