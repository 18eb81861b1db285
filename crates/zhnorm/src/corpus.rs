//! The corpus runner: every file of an input folder through the pipeline, in parallel, into one
//! output folder.
//!
//! Each file yields its own result; a bad file is reported and counted, never fatal to the run.
//! Results are collected in path order before ids are handed out and anything is written, so the
//! output is byte-identical whatever the thread count.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zhnorm_check::FileReport;
use zhnorm_doc::{Diagnostic, Document, codes};

use crate::id::IdAllocator;
use crate::pipeline::{Normalized, Pipeline, sort_diagnostics};
use crate::report::{Failure, NONDETERMINISTIC_FIELD, Report};

/// Where a corpus run reads and writes.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub input: PathBuf,
    pub output: PathBuf,
    /// Worker threads; `None` uses one per core.
    pub jobs: Option<usize>,
    /// How documents name the input folder in `source.path` (e.g. `corpus/raw`), so that output
    /// does not depend on where the corpus lies on this machine. `None` shows `input` as given.
    pub source_prefix: Option<String>,
}

/// A problem with the run itself (not with one input): the folders cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    // The cause is the error's source: `{:#}` (anyhow) prints it once after the path.
    #[error("cannot read input folder {path}")]
    ReadInput {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the output folder {output} is inside the input folder {input}: a second run would read the outputs as inputs; choose an output folder outside it"
    )]
    OutputInsideInput { input: PathBuf, output: PathBuf },
    #[error("cannot start {jobs} worker threads: {source}")]
    Threads {
        jobs: usize,
        source: rayon::ThreadPoolBuildError,
    },
}

/// Everything a run produces, in memory. Each document's files (`<id>.json`, `<id>.md`) are
/// rendered only when written or compared, one at a time: rendered up front, the canonical JSON
/// alone (about four times the article's bytes, pretty-printed) held the peak of a run over one
/// large article at about twice its size.
#[derive(Debug, Clone)]
pub struct CorpusOutput {
    pub documents: Vec<Document>,
    /// The input file of each document, in the same order (for showing source lines).
    pub sources: Vec<PathBuf>,
    /// Findings of the corpus rules about the corpus as a whole, not one document.
    pub corpus_diagnostics: Vec<Diagnostic>,
    /// The files about the run as a whole (report, diagnostics), by name, rendered.
    pub run_files: BTreeMap<String, String>,
    pub report: Report,
}

/// What one output file holds.
#[derive(Debug, Clone, Copy)]
enum OutputFile<'a> {
    Json(&'a Document),
    Markdown(&'a Document),
    Run(&'a str),
}

impl OutputFile<'_> {
    fn render(self) -> String {
        match self {
            OutputFile::Json(document) => zhnorm_doc::to_canonical_json(document),
            OutputFile::Markdown(document) => zhnorm_doc::to_markdown(document),
            OutputFile::Run(text) => text.to_owned(),
        }
    }
}

impl CorpusOutput {
    /// True when some input failed: the exit code must say so.
    pub fn has_failures(&self) -> bool {
        self.report.failed > 0
    }

    /// Every output file's name (relative to the output folder), in name order.
    pub fn file_names(&self) -> Vec<String> {
        self.output_files().into_keys().collect()
    }

    /// The contents of the output file `name`, rendered now; `None` if the run has no such file.
    pub fn render(&self, name: &str) -> Option<String> {
        self.output_files().remove(name).map(OutputFile::render)
    }

    /// Every output file rendered, by name: for small corpora and tests. Writing a corpus goes
    /// through [`write_output`], which holds one file at a time.
    pub fn files(&self) -> BTreeMap<String, String> {
        self.output_files()
            .into_iter()
            .map(|(name, file)| (name, file.render()))
            .collect()
    }

    fn output_files(&self) -> BTreeMap<String, OutputFile<'_>> {
        let mut files = BTreeMap::new();
        for document in &self.documents {
            files.insert(format!("{}.json", document.id), OutputFile::Json(document));
            files.insert(
                format!("{}.md", document.id),
                OutputFile::Markdown(document),
            );
        }
        for (name, text) in &self.run_files {
            files.insert(name.clone(), OutputFile::Run(text));
        }
        files
    }
}

/// Normalizes every file under `options.input` (recursively, hidden files skipped, in path order).
pub fn normalize_corpus(
    pipeline: &Pipeline,
    options: &CorpusOptions,
) -> Result<CorpusOutput, CorpusError> {
    refuse_output_inside_input(&options.input, &options.output)?;
    let inputs = list_inputs(&options.input)?;
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    let pool = builder.build().map_err(|source| CorpusError::Threads {
        jobs: options.jobs.unwrap_or(0),
        source,
    })?;
    let results: Vec<(String, Result<Normalized, Failure>)> = pool.install(|| {
        inputs
            .par_iter()
            .map(|(relative, path)| {
                let shown =
                    display_path(options.source_prefix.as_deref(), &options.input, relative);
                let result = match fs::read(path) {
                    Ok(bytes) => {
                        pipeline
                            .normalize_bytes(&shown, &bytes)
                            .map_err(|error| Failure {
                                path: shown.clone(),
                                code: error.code().code.to_owned(),
                                error: error.to_string(),
                            })
                    }
                    Err(error) => Err(Failure {
                        path: shown.clone(),
                        code: codes::FILE_UNREADABLE.code.to_owned(),
                        error: error.to_string(),
                    }),
                };
                (shown, result)
            })
            .collect()
    });

    let options_used = pipeline.options();
    let mut report = Report::new(options_used.variant.as_tag(), options_used.engine.as_str());
    report.inputs = results.len();
    let mut ids = IdAllocator::default();
    let mut documents = Vec::new();
    let mut sources = Vec::new();
    for ((_, path), (_, result)) in inputs.iter().zip(results) {
        match result {
            Ok(Normalized {
                mut document,
                timings,
            }) => {
                // A collision is reported by the corpus rules (K001, or K004 when both inputs
                // are the same article).
                document.id = ids.allocate(&document.title).0;
                documents.push((document, timings));
                sources.push(path.clone());
            }
            Err(failure) => report.add_failure(failure),
        }
    }
    let findings = {
        let all: Vec<&Document> = documents.iter().map(|(d, _)| d).collect();
        zhnorm_check::check_corpus_with(&all, &options_used.checks)
    };
    let mut corpus_diagnostics = Vec::new();
    for finding in findings {
        match finding
            .doc_id
            .and_then(|id| documents.iter_mut().find(|(d, _)| d.id == id))
        {
            Some((document, _)) => document.diagnostics.push(finding.diagnostic),
            None => corpus_diagnostics.push(finding.diagnostic),
        }
    }
    corpus_diagnostics.extend(pipeline.missing_group_diagnostics(Default::default()));
    sort_diagnostics(&mut corpus_diagnostics);
    let documents: Vec<Document> = documents
        .into_iter()
        .map(|(mut document, timings)| {
            sort_diagnostics(&mut document.diagnostics);
            report.add_document(&document, &timings);
            document
        })
        .collect();
    report.add_corpus_diagnostics(&corpus_diagnostics);

    let mut run_files = BTreeMap::new();
    let file_reports: Vec<FileReport<'_>> = documents
        .iter()
        .map(|d| FileReport {
            path: &d.source.path,
            id: &d.id,
            source_text: None,
            diagnostics: &d.diagnostics,
        })
        .chain(std::iter::once(FileReport {
            path: "",
            id: "",
            source_text: None,
            diagnostics: &corpus_diagnostics,
        }))
        .collect();
    run_files.insert(
        DIAGNOSTICS_JSON_FILE.to_owned(),
        zhnorm_check::render_json(&file_reports),
    );
    run_files.insert(
        DIAGNOSTICS_SARIF_FILE.to_owned(),
        zhnorm_check::render_sarif(&file_reports),
    );
    run_files.insert(REPORT_FILE.to_owned(), report.to_json());
    Ok(CorpusOutput {
        documents,
        sources,
        corpus_diagnostics,
        run_files,
        report,
    })
}

/// The report's file name in the output folder.
pub const REPORT_FILE: &str = "report.json";
/// All diagnostics of a run, as JSON and as SARIF 2.1.0, beside the report.
pub const DIAGNOSTICS_JSON_FILE: &str = "diagnostics.json";
pub const DIAGNOSTICS_SARIF_FILE: &str = "diagnostics.sarif";

/// Writes every file of `output` into `folder` atomically (a temporary file renamed into place),
/// and removes outputs of earlier runs that this run no longer produces.
pub fn write_output(output: &CorpusOutput, folder: &Path) -> Result<(), CorpusError> {
    let write_error = |path: &Path, source| CorpusError::Write {
        path: path.to_owned(),
        source,
    };
    fs::create_dir_all(folder).map_err(|e| write_error(folder, e))?;
    // The report goes last: a run killed half-way leaves no report, so a folder with a report
    // is a complete run.
    let files = output.output_files();
    let report_last = files
        .iter()
        .filter(|(name, _)| name.as_str() != REPORT_FILE)
        .chain(files.get_key_value(REPORT_FILE));
    for (name, contents) in report_last {
        let target = folder.join(name);
        let temporary = folder.join(format!(".{name}.tmp"));
        let file = fs::File::create(&temporary).map_err(|e| write_error(&temporary, e))?;
        let mut writer = std::io::BufWriter::new(file);
        let written = match contents {
            // Straight into the file: the pretty JSON of a large article is never held whole.
            OutputFile::Json(document) => zhnorm_doc::write_canonical_json(&mut writer, document),
            OutputFile::Markdown(document) => {
                writer.write_all(zhnorm_doc::to_markdown(document).as_bytes())
            }
            OutputFile::Run(text) => writer.write_all(text.as_bytes()),
        };
        written
            .and_then(|()| writer.into_inner().map_err(|e| e.into_error()))
            .and_then(|file| file.sync_all())
            .map_err(|e| write_error(&temporary, e))?;
        fs::rename(&temporary, &target).map_err(|e| write_error(&target, e))?;
    }
    for stale in stale_outputs(output, folder) {
        let path = folder.join(&stale);
        fs::remove_file(&path).map_err(|e| write_error(&path, e))?;
    }
    Ok(())
}

/// What differs between `output` and the files in `folder`: names of files that are missing,
/// different, or left over from an earlier run. The report's timings are not compared.
pub fn compare_output(output: &CorpusOutput, folder: &Path) -> Vec<String> {
    let mut differences = Vec::new();
    // One listing, each file rendered as it is compared: asking `render` by name would list the
    // files again for each one.
    for (name, file) in output.output_files() {
        let path = folder.join(&name);
        let expected = file.render();
        match fs::read_to_string(&path) {
            Err(_) => differences.push(format!("missing: {name}")),
            Ok(actual) if name == REPORT_FILE => {
                if without_timings(&actual) != without_timings(&expected) {
                    differences.push(format!("differs: {name}"));
                }
            }
            Ok(actual) if actual != expected => differences.push(format!("differs: {name}")),
            Ok(_) => {}
        }
    }
    differences.extend(
        stale_outputs(output, folder)
            .into_iter()
            .map(|name| format!("left over: {name}")),
    );
    differences
}

fn without_timings(report: &str) -> Option<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_str(report).ok()?;
    value.as_object_mut()?.remove(NONDETERMINISTIC_FIELD);
    Some(value)
}

/// Files in `folder` that an earlier zhnorm run wrote and this run does not produce: canonical
/// JSON documents (recognised by their schema line) and the Markdown view beside each. Nothing
/// else in the folder is ever touched.
fn stale_outputs(output: &CorpusOutput, folder: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let files = output.output_files();
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        if files.contains_key(&name) || name == REPORT_FILE || name == DIAGNOSTICS_JSON_FILE {
            continue;
        }
        let ours = fs::read_to_string(entry.path()).is_ok_and(|text| {
            text.starts_with(&format!("{{\n  \"schema\": \"{}\"", zhnorm_doc::SCHEMA))
        });
        if ours {
            stale.push(name.clone());
            let markdown = format!("{stem}.md");
            if folder.join(&markdown).exists() && !files.contains_key(&markdown) {
                stale.push(markdown);
            }
        }
    }
    stale.sort();
    stale
}

/// Refuses an output folder inside the input folder (or equal to it): the next run would read
/// this run's outputs as articles. Both paths are resolved through symbolic links; the output
/// folder need not exist yet.
/// An empty output path (a caller that writes elsewhere, or to standard output) is not checked.
pub fn refuse_output_inside_input(input: &Path, output: &Path) -> Result<(), CorpusError> {
    if output.as_os_str().is_empty() || output == Path::new("-") {
        return Ok(());
    }
    let Ok(resolved_input) = fs::canonicalize(input) else {
        // An input folder that cannot be resolved gets its own error when it is read.
        return Ok(());
    };
    if resolve_maybe_missing(output).starts_with(&resolved_input) {
        return Err(CorpusError::OutputInsideInput {
            input: input.to_path_buf(),
            output: output.to_path_buf(),
        });
    }
    Ok(())
}

/// `path` made absolute with its longest existing ancestor resolved through symbolic links.
fn resolve_maybe_missing(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(resolved) = fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(resolved, |path: PathBuf, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Input files under `root`, as (path relative to `root` with `/` separators, full path), sorted.
/// Symbolic links are followed, but a folder is entered once, by its resolved path, so a link
/// loop ends.
fn list_inputs(root: &Path) -> Result<Vec<(String, PathBuf)>, CorpusError> {
    let mut found = Vec::new();
    let mut entered = std::collections::HashSet::new();
    if let Ok(resolved) = fs::canonicalize(root) {
        entered.insert(resolved);
    }
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(&folder).map_err(|source| CorpusError::ReadInput {
            path: folder.clone(),
            source,
        })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| CorpusError::ReadInput {
                path: folder.clone(),
                source,
            })?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                paths.push(entry.path());
            }
        }
        // In name order, so that which of two links to one folder is followed is always the same.
        paths.sort();
        for path in paths {
            if path.is_dir() {
                if fs::canonicalize(&path).is_ok_and(|resolved| entered.insert(resolved)) {
                    folders.push(path);
                }
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// How a document names its source: the input folder as given, then the relative path.
fn display_path(prefix: Option<&str>, root: &Path, relative: &str) -> String {
    let root = prefix.map_or_else(|| root.to_string_lossy().replace('\\', "/"), str::to_owned);
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        relative.to_owned()
    } else {
        format!("{root}/{relative}")
    }
}

/// The files of an input folder as stream items, in path order, for the stream runner (used
/// when a folder is written as shards rather than as a folder). A file that cannot be read or
/// decoded becomes a failure naming it; the others go on.
pub fn folder_items(
    options: &CorpusOptions,
) -> Result<
    impl Iterator<Item = Result<crate::StreamItem, crate::FatalInputError>> + Send + use<>,
    CorpusError,
> {
    refuse_output_inside_input(&options.input, &options.output)?;
    let inputs = list_inputs(&options.input)?;
    let prefix = options.source_prefix.clone();
    let root = options.input.clone();
    Ok(inputs.into_iter().map(move |(relative, path)| {
        let shown = display_path(prefix.as_deref(), &root, &relative);
        let failure = |code: &codes::Code, error: String| {
            Ok(crate::StreamItem::Failed(Failure {
                path: shown.clone(),
                code: code.code.to_owned(),
                error,
            }))
        };
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => return failure(&codes::FILE_UNREADABLE, error.to_string()),
        };
        match crate::decode_any(&bytes) {
            Ok(decoded) => Ok(crate::StreamItem::Page(Box::new(crate::PageItem {
                path: shown.clone(),
                text: decoded.text.into_owned(),
                encoding: decoded.encoding,
                ..crate::PageItem::default()
            }))),
            Err(error) => failure(error.code(), error.to_string()),
        }
    }))
}
