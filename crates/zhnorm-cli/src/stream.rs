//! `normalize` into shards: any input through the stream runner into JSONL or Parquet shards (or
//! JSON Lines on standard output), with the redirects table, `_report.json`,
//! `_diagnostics.sarif` and `_manifest.json`; `--resume` keeps the complete shards of an
//! interrupted run.
//!
//! Everything in a dataset folder that is not a document shard has a name starting with `_` or
//! `.`, the convention of Spark and Hive that pyarrow, pandas and Spark follow: the folder reads
//! as one dataset (`pandas.read_parquet(out)`), and the redirects as another
//! (`out/_redirects`).
//!
//! Shards of documents and of redirects are completed together: when a document shard is full,
//! the open redirect shard is closed too, and `_resume.json` records the checkpoint (input items
//! consumed) with what the report cannot rebuild from the shards (skipped pages, failures). A
//! resumed run keeps exactly the shards listed there, replays their documents into the ids, the
//! corpus rules, the report and the SARIF log, and reads on from the checkpoint, so its output
//! is byte-identical to a run that was never interrupted.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use zhnorm::{
    DocumentSink, Failure, PageItem, Prepared, Preparer, Redirect, Report, SinkError, StreamItem,
    StreamOptions, StreamState,
};
use zhnorm_check::{FileReport, SarifWriter};
use zhnorm_dataset::{
    DocumentRecord, Documents, JsonlWriter, Manifest, PageColumns, RecordKind, RedirectRecord,
    Redirects, ShardFormat, ShardInfo, ShardOptions, ShardWriter,
};
use zhnorm_doc::{Document, Format, PageInfo, codes};
use zhnorm_dump::{InputKind, OpenOptions, Page};

use crate::{Defaults, NormalizeArgs, OutputKind};

/// What a resumed run needs beyond the shards: written atomically at every checkpoint.
const RESUME_FILE: &str = "_resume.json";
const SARIF_TMP: &str = "._diagnostics.sarif.tmp";
const REPORT_FILE: &str = "_report.json";
const SARIF_FILE: &str = "_diagnostics.sarif";
/// The redirects table's folder. Its leading `_` keeps it out of the documents when a folder is
/// read as one dataset (`pyarrow.parquet.read_table(out)`, Spark), which skip `_` and `.` names.
const REDIRECTS_DIR: &str = "_redirects";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct ResumePoint {
    /// Input items consumed when the listed shards were complete.
    checkpoint: u64,
    documents: Vec<ShardInfo>,
    redirects: Vec<ShardInfo>,
    skipped: BTreeMap<String, usize>,
    failures: Vec<Failure>,
}

pub(crate) fn normalize_stream(
    args: &NormalizeArgs,
    defaults: &Defaults,
    input: &Path,
    output: &Path,
    kind: OutputKind,
) -> Result<ExitCode> {
    let pipeline = args.run.pipeline(defaults)?;
    let jobs = args.run.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
    let to_stdout = output == Path::new("-");
    if to_stdout && kind != OutputKind::Jsonl {
        bail!("--output - writes JSON Lines: use --output-format jsonl");
    }
    let format = shard_format(kind, &args.compression)?;

    let mut state = StreamState::new(&pipeline);
    let mut resume = ResumePoint::default();
    let mut sarif = None;
    if !to_stdout {
        fs::create_dir_all(output).with_context(|| format!("creating {}", output.display()))?;
        refuse_output_inside_input(input, output)?;
        let mut writer = SarifWriter::new(BufWriter::new(
            File::create(output.join(SARIF_TMP))
                .with_context(|| format!("writing in {}", output.display()))?,
        ))?;
        if args.resume {
            resume = replay(output, format, &mut state, &mut writer)?;
        } else {
            clear_dataset(output)?;
        }
        sarif = Some(writer);
    }
    state.checkpoint = resume.checkpoint;
    state.report.skipped = resume.skipped.clone();
    for failure in &resume.failures {
        state.report.add_failure(failure.clone());
    }
    state.report.inputs += resume.failures.len();

    let opened = open_input(args, input, jobs, resume.checkpoint)?;
    let progress = Progress::start(
        args.quiet,
        opened.bytes_read.clone(),
        opened.total_bytes,
        opened.documents.clone(),
    );

    let outcome = if to_stdout {
        let stdout = io::stdout();
        let mut sink = StdoutSink {
            out: JsonlWriter::new(BufWriter::new(stdout.lock())),
            documents: opened.documents.clone(),
        };
        let outcome = zhnorm::run_stream(
            &pipeline,
            opened.items,
            &mut sink,
            StreamOptions { jobs, window: 0 },
            state,
        );
        let flushed = sink.out.finish();
        progress.stop();
        let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Err(error) = flushed
            && !error.is_broken_pipe()
        {
            return Err(error.into());
        }
        outcome
    } else {
        let mut sink = ShardSink::new(output, format, args, resume, opened.documents.clone())?;
        sink.sarif = sarif;
        let outcome = zhnorm::run_stream(
            &pipeline,
            opened.items,
            &mut sink,
            StreamOptions { jobs, window: 0 },
            state,
        );
        progress.stop();
        let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
        sink.finish(&outcome.report, &outcome.corpus_diagnostics, args, input)?;
        outcome
    };

    let report = &outcome.report;
    for failure in &report.failures {
        eprintln!(
            "error[{}]: {}: {}",
            failure.code, failure.path, failure.error
        );
    }
    if !args.quiet && !to_stdout {
        eprintln!(
            "normalized {} documents ({} redirects, {} skipped, {} failed) into {}",
            report.documents,
            report.redirects,
            report.skipped.values().sum::<usize>(),
            report.failed,
            output.display()
        );
    }
    Ok(if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn shard_format(kind: OutputKind, compression: &str) -> Result<ShardFormat> {
    Ok(match (kind, compression) {
        (OutputKind::Parquet, _) => ShardFormat::Parquet,
        (_, "zstd" | "zst") => ShardFormat::JsonlZst,
        (_, "gzip" | "gz") => ShardFormat::JsonlGz,
        (_, "none") => ShardFormat::Jsonl,
        (_, other) => bail!("unknown --compression `{other}` (zstd, gzip or none)"),
    })
}

/// An output folder inside the input folder would be read as input by a later run.
fn refuse_output_inside_input(input: &Path, output: &Path) -> Result<()> {
    if !input.is_dir() {
        return Ok(());
    }
    let (Ok(input), Ok(output)) = (input.canonicalize(), output.canonicalize()) else {
        return Ok(());
    };
    if output.starts_with(&input) {
        bail!(
            "the output folder {} is inside the input folder {}: choose another output",
            output.display(),
            input.display()
        );
    }
    Ok(())
}

/// Removes the shards and files of an earlier run (and only those), so that a new run never
/// mixes with an old one.
fn clear_dataset(output: &Path) -> Result<()> {
    let redirects = output.join(REDIRECTS_DIR);
    if redirects.is_dir() {
        fs::remove_dir_all(&redirects)
            .with_context(|| format!("removing {}", redirects.display()))?;
    }
    for entry in fs::read_dir(output)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with("part-")
            && [".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet"]
                .iter()
                .any(|ext| name.ends_with(ext))
            || name.starts_with(".part-")
            || [
                RESUME_FILE,
                zhnorm_dataset::MANIFEST_FILE,
                REPORT_FILE,
                SARIF_FILE,
            ]
            .contains(&name.as_str());
        if ours {
            fs::remove_file(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Keeps the shards an interrupted run completed (checked against their sha256), removes the
/// rest, and replays the kept documents and redirects into `state` and the SARIF log.
fn replay(
    output: &Path,
    format: ShardFormat,
    state: &mut StreamState,
    sarif: &mut SarifWriter<BufWriter<File>>,
) -> Result<ResumePoint> {
    let point: ResumePoint = match fs::read_to_string(output.join(RESUME_FILE)) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("reading {}", output.join(RESUME_FILE).display()))?,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if output.join(zhnorm_dataset::MANIFEST_FILE).exists() {
                eprintln!(
                    "note: the earlier run in {} was complete; running again",
                    output.display()
                );
            }
            clear_dataset(output)?;
            return Ok(ResumePoint::default());
        }
        Err(error) => return Err(error.into()),
    };
    let mut kept: Vec<String> = Vec::new();
    for shard in point.documents.iter().chain(&point.redirects) {
        let path = output.join(&shard.file);
        let sha = File::open(&path)
            .and_then(|mut f| zhnorm_dataset::sha256_of(&mut f))
            .with_context(|| format!("--resume: reading {}", path.display()))?;
        if sha != shard.sha256 || !shard.file.ends_with(format.extension()) {
            bail!(
                "--resume: {} does not match the earlier run (sha256 or format differs); run without --resume",
                path.display()
            );
        }
        kept.push(shard.file.clone());
    }
    // Anything else of ours is from after the checkpoint.
    for (folder, prefix) in [
        (output.to_path_buf(), ""),
        (output.join(REDIRECTS_DIR), "_redirects/"),
    ] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let shard_like = name.starts_with("part-") || name.starts_with(".part-");
            if shard_like && !kept.contains(&format!("{prefix}{name}")) {
                fs::remove_file(entry.path())?;
            }
        }
    }
    for shard in &point.documents {
        for document in zhnorm_dataset::read_documents(&output.join(&shard.file))? {
            state.replay_document(&document);
            sarif.add(&file_report(&document))?;
        }
    }
    for shard in &point.redirects {
        for redirect in zhnorm_dataset::read_redirects(&output.join(&shard.file))? {
            state.replay_redirect(&Redirect {
                title: redirect.title,
                target: redirect.target,
                namespace: redirect.namespace,
                page_id: redirect.page_id,
            });
        }
    }
    Ok(point)
}

fn file_report(document: &Document) -> FileReport<'_> {
    FileReport {
        path: &document.source.path,
        id: &document.id,
        source_text: None,
        diagnostics: &document.diagnostics,
    }
}

/// An input opened as stream items, with what the progress display reads.
struct Opened {
    items: Box<dyn Iterator<Item = Result<StreamItem, String>> + Send>,
    bytes_read: Arc<AtomicU64>,
    total_bytes: Option<u64>,
    documents: Arc<AtomicU64>,
}

fn open_input(args: &NormalizeArgs, input: &Path, jobs: usize, skip: u64) -> Result<Opened> {
    let documents = Arc::new(AtomicU64::new(0));
    if input.is_dir() {
        let options = args
            .run
            .corpus_options(input.to_path_buf(), &Defaults::default());
        let items = zhnorm::folder_items(&options)?.skip(skip as usize);
        return Ok(Opened {
            items: Box::new(items),
            bytes_read: Arc::new(AtomicU64::new(0)),
            total_bytes: None,
            documents,
        });
    }
    let options = OpenOptions {
        kind: args
            .input_format
            .as_deref()
            .map(parse_input_kind)
            .transpose()?,
        index: args.index.clone(),
        threads: jobs,
        skip_pages: skip,
        ..OpenOptions::default()
    };
    let pages = if input == Path::new("-") {
        zhnorm_dump::from_reader(Box::new(io::stdin()), "-", &options)?
    } else {
        zhnorm_dump::open(input, &options)?
    };
    let name = if input == Path::new("-") {
        "-".to_owned()
    } else {
        input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let bytes_read = pages.progress();
    let total_bytes = pages.total_bytes();
    let namespaces = args.namespaces.clone();
    let items = pages.map(move |page| match page {
        Ok(page) => Ok(page_item(page, &name, &namespaces)),
        Err(error) if error.fatal => Err(error.to_string()),
        Err(error) => Ok(StreamItem::Failed(Failure {
            path: match error.line {
                Some(line) => format!("{name}:{line}"),
                None => name.clone(),
            },
            code: codes::FILE_UNREADABLE.code.to_owned(),
            error: error.to_string(),
        })),
    });
    Ok(Opened {
        items: Box::new(items),
        bytes_read,
        total_bytes,
        documents,
    })
}

fn parse_input_kind(name: &str) -> Result<InputKind> {
    Ok(match name {
        "xml" => InputKind::Xml,
        "xml-bz2" | "bz2" => InputKind::XmlBz2,
        "jsonl" => InputKind::Jsonl,
        "jsonl-gz" => InputKind::JsonlGz,
        "jsonl-zst" => InputKind::JsonlZst,
        other => {
            bail!("unknown --input-format `{other}` (xml, xml-bz2, jsonl, jsonl-gz or jsonl-zst)")
        }
    })
}

/// What the runner does with one page of a dump: normalize it, record it as a redirect, or
/// count it as skipped. `file` is how documents name their source (the input's file name).
/// Public so that other front ends (the Python package) treat pages exactly as `normalize` does.
pub fn page_item(page: Page, file: &str, namespaces: &[i32]) -> StreamItem {
    if !namespaces.contains(&page.namespace) {
        return StreamItem::Skipped("namespace".to_owned());
    }
    if let Some(target) = page.redirect {
        return StreamItem::Redirect(Redirect {
            title: page.title,
            target,
            namespace: page.namespace,
            page_id: page.id,
        });
    }
    let Some(text) = page.text else {
        return StreamItem::Skipped("deleted".to_owned());
    };
    if let Some(model) = page.model.as_deref().filter(|m| *m != "wikitext") {
        return StreamItem::Skipped(format!("model:{model}"));
    }
    // A dump page whose content model is wikitext is wikitext by definition: guessing its format
    // from its text could only get it wrong (a stub of plain sentences reads as scraped text), and
    // cost a pass over every page. JSON Lines carry no model: their `format`, else detection.
    let format = page
        .source_format
        .as_deref()
        .and_then(|f| f.parse::<Format>().ok())
        .or_else(|| (page.model.as_deref() == Some("wikitext")).then_some(Format::Wikitext));
    StreamItem::Page(Box::new(PageItem {
        path: file.to_owned(),
        text,
        title: Some(page.title),
        format,
        info: Some(PageInfo {
            namespace: page.namespace,
            id: page.id,
            key: page.key,
            revision_id: page.revision_id,
            parent_id: page.parent_id,
            timestamp: page.timestamp,
            model: page.model,
            content_format: page.content_format,
            url: page.url,
        }),
        encoding: None,
    }))
}

/// The dataset record of a document: its URL and page columns from `source.page`.
pub fn record(document: &Document) -> DocumentRecord<'_> {
    let page = document.source.page.as_ref();
    DocumentRecord::new(document)
        .with_url(page.and_then(|p| p.url.as_deref()))
        .with_page(page.map_or_else(PageColumns::default, |p| PageColumns {
            namespace: Some(p.namespace),
            id: p.id,
            revision_id: p.revision_id,
            parent_id: p.parent_id,
            timestamp: p.timestamp.as_deref(),
            model: p.model.as_deref(),
            content_format: p.content_format.as_deref(),
        }))
}

/// A document encoded on a worker thread: the JSON Lines line, or the two large Parquet
/// columns, so that the ordered writer only compresses, hashes and writes.
#[derive(Default)]
struct Encoded {
    line: Vec<u8>,
    text: String,
    document_json: String,
}

fn prepare(format: ShardFormat) -> Preparer {
    Arc::new(move |doc: &Document| -> Prepared {
        let mut encoded = Encoded::default();
        if format == ShardFormat::Parquet {
            encoded.text = zhnorm_doc::article_text(doc);
            encoded.document_json = serde_json::to_string(doc).unwrap_or_default();
        } else {
            <Documents as RecordKind>::write_json(&record(doc), &mut encoded.line);
        }
        Box::new(encoded)
    })
}

/// JSON Lines on standard output; a closed pipe ends the run quietly.
struct StdoutSink<W: Write> {
    out: JsonlWriter<Documents, W>,
    documents: Arc<AtomicU64>,
}

impl<W: Write> DocumentSink for StdoutSink<W> {
    fn preparer(&self) -> Option<Preparer> {
        Some(prepare(ShardFormat::Jsonl))
    }

    fn document(
        &mut self,
        doc: &Document,
        prepared: Option<Prepared>,
        _checkpoint: u64,
    ) -> Result<(), SinkError> {
        self.documents.fetch_add(1, Ordering::Relaxed);
        let written = match prepared.and_then(|p| p.downcast::<Encoded>().ok()) {
            Some(encoded) => self.out.write_line(&encoded.line),
            None => self.out.write(&record(doc)),
        };
        written.map_err(|error| {
            if error.is_broken_pipe() {
                SinkError::Closed
            } else {
                SinkError::Failed(error.to_string())
            }
        })
    }

    fn redirect(&mut self, _redirect: &Redirect, _checkpoint: u64) -> Result<(), SinkError> {
        Ok(())
    }
}

/// Shards of documents and redirects in a folder, the manifest and the resume point kept up to
/// date at every completed shard.
struct ShardSink {
    dir: PathBuf,
    format: ShardFormat,
    documents: ShardWriter<Documents>,
    redirects: Option<ShardWriter<Redirects>>,
    redirect_options: ShardOptions,
    manifest: Manifest,
    point: ResumePoint,
    sarif: Option<SarifWriter<BufWriter<File>>>,
    skipped: BTreeMap<String, usize>,
    failures: Vec<Failure>,
    documents_written: Arc<AtomicU64>,
}

fn sink_error(error: impl std::fmt::Display) -> SinkError {
    SinkError::Failed(error.to_string())
}

impl ShardSink {
    fn new(
        dir: &Path,
        format: ShardFormat,
        args: &NormalizeArgs,
        point: ResumePoint,
        documents_written: Arc<AtomicU64>,
    ) -> Result<Self> {
        let mut options = ShardOptions::new(format);
        options.max_bytes = Some(args.shard_mb << 20);
        options.max_records = args.shard_docs;
        options.first_index = u32::try_from(point.documents.len())?;
        // A Parquet row group is held in memory until it is complete; documents are large (the
        // `document` column is about five times the text), so their row groups are kept small
        // enough for the run's memory to stay flat at any input size.
        options.row_group_bytes = 16 << 20;
        let mut redirect_options = ShardOptions::new(format);
        // Redirect shards close with document shards, so both end at one checkpoint.
        redirect_options.max_bytes = None;
        redirect_options.first_index = u32::try_from(point.redirects.len())?;
        redirect_options.prefix = Some("part".to_owned());
        let mut manifest = Manifest::new(env!("CARGO_PKG_VERSION"), format);
        manifest.options = run_options(args);
        manifest.documents = point.documents.clone();
        manifest.redirects = point.redirects.clone();
        Ok(ShardSink {
            dir: dir.to_path_buf(),
            format,
            documents: ShardWriter::new(dir, options)?,
            redirects: None,
            redirect_options,
            manifest,
            skipped: point.skipped.clone(),
            failures: point.failures.clone(),
            point,
            sarif: None,
            documents_written,
        })
    }

    /// A document shard is complete: close the redirect shard too and record the checkpoint.
    fn checkpoint(&mut self, shard: ShardInfo) -> Result<(), SinkError> {
        let checkpoint = shard.checkpoint;
        self.manifest.documents.push(shard);
        if let Some(redirects) = self.redirects.take() {
            if let Some(info) = redirects.finish().map_err(sink_error)? {
                self.redirect_options.first_index += 1;
                self.manifest.redirects.push(in_redirects_dir(info));
            }
        }
        self.point = ResumePoint {
            checkpoint,
            documents: self.manifest.documents.clone(),
            redirects: self.manifest.redirects.clone(),
            skipped: self.skipped.clone(),
            failures: self.failures.clone(),
        };
        self.manifest.write(&self.dir).map_err(sink_error)?;
        zhnorm_dataset::write_atomically(
            &self.dir.join(RESUME_FILE),
            serde_json::to_string_pretty(&self.point)
                .map_err(sink_error)?
                .as_bytes(),
        )
        .map_err(sink_error)
    }

    fn finish(
        mut self,
        report: &Report,
        corpus: &[zhnorm_doc::Diagnostic],
        args: &NormalizeArgs,
        input: &Path,
    ) -> Result<()> {
        if let Some(info) = self.documents.finish()? {
            self.manifest.documents.push(info);
        }
        if let Some(redirects) = self.redirects.take()
            && let Some(info) = redirects.finish()?
        {
            self.manifest.redirects.push(in_redirects_dir(info));
        }
        if let Some(mut sarif) = self.sarif.take() {
            sarif.add(&FileReport {
                path: "",
                id: "",
                source_text: None,
                diagnostics: corpus,
            })?;
            let mut file = sarif.finish()?;
            file.flush()?;
            file.get_ref().sync_all()?;
            fs::rename(self.dir.join(SARIF_TMP), self.dir.join(SARIF_FILE))?;
        }
        zhnorm_dataset::write_atomically(&self.dir.join(REPORT_FILE), report.to_json().as_bytes())?;
        self.manifest.inputs = vec![zhnorm_dataset::Input {
            path: if input == Path::new("-") {
                "-".to_owned()
            } else {
                input
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            },
            bytes: fs::metadata(input)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len()),
            sha256: None,
        }];
        self.manifest.options = run_options(args);
        self.manifest.complete = true;
        self.manifest.write(&self.dir)?;
        let _ = fs::remove_file(self.dir.join(RESUME_FILE));
        Ok(())
    }
}

impl DocumentSink for ShardSink {
    fn preparer(&self) -> Option<Preparer> {
        Some(prepare(self.format))
    }

    fn document(
        &mut self,
        doc: &Document,
        prepared: Option<Prepared>,
        checkpoint: u64,
    ) -> Result<(), SinkError> {
        self.documents_written.fetch_add(1, Ordering::Relaxed);
        if let Some(sarif) = &mut self.sarif {
            sarif.add(&file_report(doc)).map_err(sink_error)?;
        }
        let encoded = prepared.and_then(|p| p.downcast::<Encoded>().ok());
        let written = match encoded.as_deref() {
            Some(encoded) if self.format != ShardFormat::Parquet => {
                self.documents.write_line(&encoded.line, checkpoint)
            }
            Some(encoded) => self.documents.write(
                &record(doc)
                    .with_text(&encoded.text)
                    .with_document_json(&encoded.document_json),
                checkpoint,
            ),
            None => self.documents.write(&record(doc), checkpoint),
        };
        if let Some(shard) = written.map_err(sink_error)? {
            self.checkpoint(shard)?;
        }
        Ok(())
    }

    fn redirect(&mut self, redirect: &Redirect, checkpoint: u64) -> Result<(), SinkError> {
        if self.redirects.is_none() {
            self.redirects = Some(
                ShardWriter::new(self.dir.join(REDIRECTS_DIR), self.redirect_options.clone())
                    .map_err(sink_error)?,
            );
        }
        let record = RedirectRecord {
            title: &redirect.title,
            target: &redirect.target,
            namespace: redirect.namespace,
            page_id: redirect.page_id,
            revision_id: None,
            timestamp: None,
        };
        self.redirects
            .as_mut()
            .expect("opened above")
            .write(&record, checkpoint)
            .map_err(sink_error)?;
        Ok(())
    }

    fn skipped(&mut self, reason: &str, _checkpoint: u64) -> Result<(), SinkError> {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
        Ok(())
    }

    fn failed(&mut self, failure: &Failure, _checkpoint: u64) -> Result<(), SinkError> {
        self.failures.push(failure.clone());
        Ok(())
    }
}

/// A redirect shard as the manifest names it: relative to the output folder.
fn in_redirects_dir(mut info: ShardInfo) -> ShardInfo {
    info.file = format!("{REDIRECTS_DIR}/{}", info.file);
    info
}

/// The options that change a run's output, as the manifest records them.
fn run_options(args: &NormalizeArgs) -> BTreeMap<String, serde_json::Value> {
    let mut options = BTreeMap::new();
    options.insert("variant".to_owned(), args.run.variant.as_tag().into());
    options.insert(
        "format".to_owned(),
        args.run.format.map(|f| f.as_str().to_owned()).into(),
    );
    options.insert("engine".to_owned(), args.run.engine.as_str().into());
    options.insert("namespaces".to_owned(), args.namespaces.clone().into());
    options.insert("shard_mb".to_owned(), args.shard_mb.into());
    options.insert("shard_docs".to_owned(), args.shard_docs.into());
    options
}

/// Progress on standard error: a bar on a terminal, a line every ten seconds otherwise, nothing
/// with `--quiet`.
struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(
        quiet: bool,
        bytes_read: Arc<AtomicU64>,
        total: Option<u64>,
        documents: Arc<AtomicU64>,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        if quiet {
            return Progress { stop, thread: None };
        }
        let stopped = stop.clone();
        let terminal = io::stderr().is_terminal();
        let thread = std::thread::spawn(move || {
            let bar = if terminal {
                let bar = match total {
                    Some(total) => indicatif::ProgressBar::new(total),
                    None => indicatif::ProgressBar::no_length(),
                };
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{elapsed_precise} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                Some(bar)
            } else {
                None
            };
            let start = Instant::now();
            let mut last_line = Instant::now();
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let read = bytes_read.load(Ordering::Relaxed);
                let docs = documents.load(Ordering::Relaxed);
                if let Some(bar) = &bar {
                    bar.set_position(read);
                    bar.set_message(format!("{docs} documents"));
                } else if last_line.elapsed() >= Duration::from_secs(10) {
                    last_line = Instant::now();
                    let seconds = start.elapsed().as_secs_f64();
                    let percent = total
                        .filter(|t| *t > 0)
                        .map(|t| format!(" ({:.1} %)", read as f64 * 100.0 / t as f64))
                        .unwrap_or_default();
                    eprintln!(
                        "progress: {docs} documents, {:.1} MB read{percent}, {:.1} MB/s, {:.0} s",
                        read as f64 / 1e6,
                        read as f64 / 1e6 / seconds.max(1e-9),
                        seconds
                    );
                }
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        });
        Progress {
            stop,
            thread: Some(thread),
        }
    }

    fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
