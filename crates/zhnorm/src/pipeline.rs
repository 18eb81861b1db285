//! One document end to end: decode, detect, read, references, script, checks.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use zhnorm_check::FixSafety;
use zhnorm_doc::{Diagnostic, Document, Format, PageInfo, Source};
use zhnorm_script::{
    ConversionGroups, ConvertOptions, Converter, EngineKind, ScriptError, Variant,
};

use crate::decode::{DecodeError, Decoded, decode_any, decode_str};
use crate::id::safe_id;

/// What a run is asked to do, as the command line says it.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target variant: `zh-Hans` (default), `zh-Hant`, `zh-CN`, `zh-TW`, `zh-HK`, `zh-SG`,
    /// `zh-MY`, `zh-MO`, or `zh` (as written).
    pub variant: Variant,
    /// Skip detection and read every input as this format.
    pub format: Option<Format>,
    /// The conversion engine: builtin (default) or the OpenCC C++ library.
    pub engine: EngineKind,
    /// Conversion options beyond OpenCC's (quotation marks).
    pub conversion: ConvertOptions,
    /// Which check rules run and at which severity (`zhnorm.toml`, `[check]`).
    pub checks: zhnorm_check::Config,
    /// The public conversion groups `{{noteTA|G1=…}}` may name (`--conversion-groups`); `None`
    /// applies none and reports none missing.
    pub conversion_groups: Option<std::sync::Arc<ConversionGroups>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            variant: Variant::Hans,
            format: None,
            engine: EngineKind::Builtin,
            conversion: ConvertOptions::default(),
            checks: zhnorm_check::Config::default(),
            conversion_groups: None,
        }
    }
}

/// Why a pipeline could not be built (before any document is read).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("script conversion: {0}")]
    Script(#[from] ScriptError),
}

/// The per-document pipeline, built once per run and shared by all worker threads.
#[derive(Debug)]
pub struct Pipeline {
    options: Options,
    converter: Converter,
    /// Groups named by some document but not among `options.conversion_groups`: a set, so
    /// that what the run reports does not depend on the order workers met them.
    missing_groups: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

/// Wall-clock time spent in each stage of one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimings {
    pub decode: Duration,
    pub detect: Duration,
    pub read: Duration,
    pub references: Duration,
    pub script: Duration,
    pub checks: Duration,
    /// Rendering and writing the output (the stream runner's sink).
    pub write: Duration,
}

impl StageTimings {
    pub const NAMES: [&'static str; 7] = [
        "decode",
        "detect",
        "read",
        "references",
        "script",
        "checks",
        "write",
    ];

    pub fn as_array(&self) -> [Duration; 7] {
        [
            self.decode,
            self.detect,
            self.read,
            self.references,
            self.script,
            self.checks,
            self.write,
        ]
    }
}

/// One page of a dump or a JSON Lines record, as the stream runner hands it to the pipeline.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// How the document names its source (`source.path`): the input file's name.
    pub path: &'a str,
    pub text: &'a str,
    /// The page's title, which names the document.
    pub title: Option<&'a str>,
    /// The format the input states (a JSON Lines `format` field); `--format` still wins.
    pub format: Option<Format>,
    pub info: Option<&'a PageInfo>,
    /// The encoding `text` was decoded from when it was not UTF-8, for an `F005` note.
    pub encoding: Option<&'a str>,
}

/// One normalized document and what it cost.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub document: Document,
    pub timings: StageTimings,
}

impl Pipeline {
    pub fn new(options: Options) -> Result<Self, SetupError> {
        let converter = Converter::new(options.variant, options.engine, options.conversion)?;
        Ok(Pipeline {
            options,
            converter,
            missing_groups: Default::default(),
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// One `C004` per conversion group that documents normalized so far (or `also`, the groups
    /// of documents a resumed run took over) named and the run's groups do not hold, by name:
    /// findings about the run, not about one page.
    pub fn missing_group_diagnostics(
        &self,
        mut also: std::collections::BTreeSet<String>,
    ) -> Vec<Diagnostic> {
        let set = self
            .missing_groups
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        also.extend(set.iter().cloned());
        also.iter()
            .map(|name| {
                Diagnostic::new(
                    &zhnorm_doc::codes::CONVERSION_GROUP_MISSING,
                    format!("conversion group `{name}` is named by noteTA but not among the groups given"),
                )
            })
            .collect()
    }

    /// Normalizes the bytes of one input file; `path` is how the document names its source.
    pub fn normalize_bytes(&self, path: &str, bytes: &[u8]) -> Result<Normalized, DecodeError> {
        let start = Instant::now();
        let Decoded { text, encoding } = decode_any(bytes)?;
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        let decode_time = start.elapsed();
        let staged = self.read_stage(path, &text, None, None, None, encoding);
        let mut normalized = self.after_reading(staged, &text);
        normalized.document.source.sha256 = sha256;
        normalized.timings.decode = decode_time;
        Ok(normalized)
    }

    /// Normalizes one page of a dump or a JSON Lines record: its title is the page's title (not
    /// the lead's bold term), and its metadata goes into `source.page`.
    pub fn normalize_page(&self, page: &PageInput<'_>) -> Result<Normalized, DecodeError> {
        let (text, staged) = self.decode_and_read(page)?;
        Ok(self.after_reading(staged, &text))
    }

    /// Normalizes one decoded text. The id is derived from the title; the corpus runner makes it
    /// unique across a run.
    pub fn normalize_text(&self, path: &str, text: &str) -> Normalized {
        let staged = self.read_stage(path, text, None, None, None, None);
        self.after_reading(staged, text)
    }

    /// Normalizes several pages, each as [`Pipeline::normalize_page`] would, one stage at a
    /// time over all of them: every stage's tables (the reader's, the references' patterns, the
    /// script engine's dictionaries, the rules') then stay in the core's cache from one page to
    /// the next, where running the pages one after the other evicts them between pages. The
    /// script stage alone ran about a quarter slower to zh-Hant when 4 MB of other data passed
    /// through the cache between documents (`examples/script_speed` with such a pass added), as
    /// in the pipeline. Results are in the order of `pages`.
    pub fn normalize_pages(&self, pages: &[PageInput<'_>]) -> Vec<Result<Normalized, DecodeError>> {
        let mut staged: Vec<_> = pages
            .iter()
            .map(|page| self.decode_and_read(page))
            .collect();
        for (_, staged) in staged.iter_mut().flatten() {
            self.references_stage(staged);
        }
        for (_, staged) in staged.iter_mut().flatten() {
            self.script_stage(staged);
        }
        for (text, staged) in staged.iter_mut().flatten() {
            self.checks_stage(staged, text);
        }
        staged
            .into_iter()
            .map(|staged| staged.map(|(_, staged)| staged.finish()))
            .collect()
    }

    /// A page decoded (its text, borrowed when it needs no change) and read.
    fn decode_and_read<'p>(
        &self,
        page: &PageInput<'p>,
    ) -> Result<(std::borrow::Cow<'p, str>, Staged), DecodeError> {
        let start = Instant::now();
        let text = decode_str(page.text)?;
        let sha256 = format!("{:x}", Sha256::digest(page.text.as_bytes()));
        let decode_time = start.elapsed();
        let mut staged = self.read_stage(
            page.path,
            &text,
            page.format,
            page.title,
            page.info.cloned(),
            page.encoding,
        );
        staged.document.source.sha256 = sha256;
        staged.timings.decode = decode_time;
        Ok((text, staged))
    }

    /// The stages after the reader, for one document; `text` is its decoded source.
    fn after_reading(&self, mut staged: Staged, text: &str) -> Normalized {
        self.references_stage(&mut staged);
        self.script_stage(&mut staged);
        self.checks_stage(&mut staged, text);
        staged.finish()
    }

    /// Format detection and the reader.
    fn read_stage(
        &self,
        path: &str,
        text: &str,
        format: Option<Format>,
        title: Option<&str>,
        page: Option<PageInfo>,
        encoding: Option<&str>,
    ) -> Staged {
        let mut timings = StageTimings::default();

        let start = Instant::now();
        let detection = match self.options.format.or(format) {
            Some(format) => zhnorm_doc::Detection {
                format,
                confidence: 1.0,
                evidence: vec![if self.options.format.is_some() {
                    "--format given".to_owned()
                } else {
                    "format given by the input".to_owned()
                }],
                overridden: true,
            },
            None => zhnorm_formats::detect(text),
        };
        timings.detect = start.elapsed();

        let start = Instant::now();
        let source = Source {
            path: path.to_owned(),
            format: detection.format,
            sha256: String::new(),
            detection,
            origin: None,
            page,
        };
        let parsed = zhnorm_formats::read_titled(text, source, title);
        let mut document = parsed.document;
        if let Some(encoding) = encoding {
            document.diagnostics.push(Diagnostic::new(
                &zhnorm_doc::codes::FILE_LEGACY_ENCODING,
                format!("decoded from {encoding}; line and column count its characters"),
            ));
        }
        if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
            // The dump's title is the page's name; the reader's guess (the lead's bold term, or
            // the file stem) is only a fallback, and its S007 no longer applies.
            if document.title != title {
                document.title = title.to_owned();
                document
                    .diagnostics
                    .retain(|d| d.code != zhnorm_doc::codes::NO_TITLE.code);
            }
        }
        timings.read = start.elapsed();
        Staged {
            document,
            raw_references: parsed.raw_references,
            timings,
        }
    }

    fn references_stage(&self, staged: &mut Staged) {
        let start = Instant::now();
        let raw_references = std::mem::take(&mut staged.raw_references);
        zhnorm_refs::normalize(&mut staged.document, raw_references);
        staged.timings.references = start.elapsed();
    }

    fn script_stage(&self, staged: &mut Staged) {
        let start = Instant::now();
        let document = &mut staged.document;
        match &self.options.conversion_groups {
            Some(groups) => {
                let missing =
                    zhnorm_script::convert_document_with_groups(document, &self.converter, groups);
                if !missing.is_empty() {
                    let mut set = self
                        .missing_groups
                        .lock()
                        .unwrap_or_else(|e| e.into_inner());
                    set.extend(missing);
                }
            }
            None => zhnorm_script::convert_document(document, &self.converter),
        }
        staged.timings.script = start.elapsed();
    }

    /// Safe fixes and the document's rules; `text` is the decoded source.
    fn checks_stage(&self, staged: &mut Staged, text: &str) {
        let start = Instant::now();
        let document = &mut staged.document;
        zhnorm_check::apply_fixes(document, &self.options.checks, FixSafety::Safe);
        zhnorm_check::finish_document(document, Some(text), &self.options.checks);
        sort_diagnostics(&mut document.diagnostics);
        cap_diagnostics(&mut document.diagnostics);
        staged.timings.checks = start.elapsed();
    }
}

/// A document between two stages of the pipeline.
struct Staged {
    document: Document,
    /// The reader's references, until the references stage takes them.
    raw_references: Vec<zhnorm_doc::RawReference>,
    timings: StageTimings,
}

impl Staged {
    fn finish(self) -> Normalized {
        let mut document = self.document;
        document.id = safe_id(&document.title);
        Normalized {
            document,
            timings: self.timings,
        }
    }
}

/// Source order first, then code: the order a person fixing the file wants.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.line, a.column, &a.code, &a.message).cmp(&(b.line, b.column, &b.code, &b.message))
    });
    diagnostics.dedup();
}

/// How many diagnostics of one code a document lists.
pub const MAX_DIAGNOSTICS_PER_CODE: usize = 100;

/// Keeps the first [`MAX_DIAGNOSTICS_PER_CODE`] diagnostics of each code (in source order) and
/// counts the rest in one more diagnostic of that code, where the first one left out stands.
/// A hostile page of 200,000 unclosed `{{` would otherwise carry 200,000 diagnostics into the
/// canonical JSON, `diagnostics.json` and the SARIF log: 50 MB of output and 2.3 GB of memory
/// for a 1 MB input.
pub fn cap_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut first_left_out: Vec<Diagnostic> = Vec::new();
    diagnostics.retain(|d| {
        let count = seen.entry(d.code.clone()).or_default();
        *count += 1;
        if *count == MAX_DIAGNOSTICS_PER_CODE + 1 {
            first_left_out.push(d.clone());
        }
        *count <= MAX_DIAGNOSTICS_PER_CODE
    });
    if first_left_out.is_empty() {
        return;
    }
    for mut summary in first_left_out {
        let more = seen[&summary.code] - MAX_DIAGNOSTICS_PER_CODE;
        summary.message = format!(
            "{more} more {} diagnostics from here on are not listed (at most {MAX_DIAGNOSTICS_PER_CODE} of one code per document)",
            summary.code
        );
        diagnostics.push(summary);
    }
    sort_diagnostics(diagnostics);
}
