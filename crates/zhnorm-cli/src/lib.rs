//! The zhnorm command line, as a library: the flags of `normalize`, `check` and `rules`, and
//! what each command does with them. The `zhnorm` binary and `cargo xtask` both parse these
//! same [`clap`] definitions and call [`run`]; they differ only in their [`Defaults`] (xtask
//! reads `corpus/raw` and writes `corpus/canonical` of the project when no folder is given).
//!
//! Two ways through a corpus:
//! - a **folder** of loose files written as a folder (`<id>.json`, `<id>.md`): the whole run is
//!   rendered in memory first, so that `--check` can compare it with committed output;
//! - anything else (a dump, JSON Lines, standard input, or a folder written as shards): the
//!   stream runner ([`zhnorm::run_stream`]), in bounded memory, into JSONL or Parquet shards.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use zhnorm::{CorpusOptions, EngineKind, Options, Pipeline, Variant};
use zhnorm_doc::Format;

mod allocator;
mod check;
mod normalize;
mod stream;

pub use allocator::Allocator;
pub use normalize::OutputKind;
pub use stream::{page_item, record};

/// The commands that the binary and xtask share.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Normalize a corpus of zh.wikipedia articles: a MediaWiki XML dump (plain, bz2 or
    /// multistream with its index), JSON Lines, standard input, or a folder of wikitext, scraped
    /// text and Markdown exports. Writes a folder of canonical JSON and Markdown, or JSONL or
    /// Parquet shards, plus report.json and the diagnostics.
    Normalize(NormalizeArgs),
    /// Run the consistency checks over a folder without writing it; exit 1 when an
    /// error-severity diagnostic remains (or an input failed).
    Check(CheckArgs),
    /// Print the table of check rules: code, name, default severity, what it finds.
    Rules,
}

/// What the caller's context supplies when a flag is not given.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// The input when `--input` is not given (xtask: `corpus/raw`); `None` makes it required.
    pub input: Option<PathBuf>,
    /// The output when `--output` is not given (xtask: `corpus/canonical`).
    pub output: Option<PathBuf>,
    /// The project whose `zhnorm.toml` applies and relative to which `source.path` names inputs
    /// inside it (xtask: the workspace root); `None` uses the current folder.
    pub root: Option<PathBuf>,
}

/// What to read and how: shared by `normalize` and `check`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The input: a folder (read recursively, hidden files skipped), a file (a MediaWiki XML
    /// dump `.xml`/`.xml.bz2`, with the multistream index beside it when there is one, or JSON
    /// Lines `.jsonl`/`.jsonl.gz`/`.jsonl.zst`), or `-` for standard input (XML or JSON Lines,
    /// detected).
    #[arg(long, value_name = "PATH")]
    pub input: Option<PathBuf>,
    /// Target script variant, as zh.wikipedia's variants: zh-Hans (Simplified, OpenCC t2s),
    /// zh-Hant (Traditional, s2t), zh-CN (mainland Simplified with mainland phrases, tw2sp),
    /// zh-SG and zh-MY (Simplified as zh-CN, with their own rule entries), zh-TW (Taiwan
    /// Traditional with Taiwan phrases, s2twp), zh-HK (Hong Kong Traditional, s2hk), zh-MO
    /// (as zh-HK, with its own rule entries, falling back to zh-HK's), or zh (the text as
    /// written: no conversion, only the markup resolved). Rule fallbacks: docs/conversion.md.
    #[arg(long, default_value = "zh-Hans", value_name = "TAG")]
    pub variant: Variant,
    /// Read every article as this format instead of detecting it: wikitext, scraped, markdown or
    /// canonical (zhnorm's own Markdown view).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Worker threads (default: one per core). Output is identical for any number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Conversion engine: builtin (pure Rust, default) or opencc (the OpenCC C++ library; needs
    /// libopencc and a build with `--features opencc`).
    #[arg(long, default_value = "builtin", value_name = "ENGINE")]
    pub engine: EngineKind,
    /// Check configuration (a `[check]` table: select, ignore, severity). Default: zhnorm.toml
    /// in the project root, when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules (codes, prefixes such as `R`, or rule names), replacing the
    /// configuration's selection. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (codes, prefixes or names). Repeatable.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// The public conversion groups that `{{noteTA|G1=…}}` names: a MediaWiki XML dump
    /// (`.xml`, `.xml.bz2`) or JSON Lines of pages holding the `Module:CGroup/…` and
    /// `Template:CGroup/…` pages, or a folder whose files are those pages, named by title
    /// (`Module:CGroup/IT.lua`). Groups named but not found are reported once per run (C004).
    /// Default: a multistream dump's own group pages, found by its index.
    #[arg(long, value_name = "PATH")]
    pub conversion_groups: Option<PathBuf>,
}

/// The conversion groups of a multistream dump, found by title in the index beside it and read
/// from their streams alone, before the run; `None` without an index or when the dump holds no
/// group page (then no group is applied, and none is reported missing).
pub fn groups_by_index(dump: &Path) -> Result<Option<zhnorm::ConversionGroups>> {
    let Some(index) = zhnorm_dump::beside_index(dump).filter(|p| p.is_file()) else {
        return Ok(None);
    };
    let index = zhnorm_dump::Index::load(&index)?;
    let found = index.find_titles(zhnorm::ConversionGroups::is_group_page)?;
    if found.is_empty() {
        return Ok(None);
    }
    let mut offsets: Vec<u64> = found.iter().map(|(offset, _, _)| *offset).collect();
    offsets.dedup();
    let mut groups = zhnorm::ConversionGroups::new();
    for page in zhnorm_dump::read_streams(dump, &offsets)? {
        if let Some(text) = &page.text {
            groups.add_page(&page.title, text);
        }
    }
    Ok(Some(groups))
}

/// Reads the conversion groups of `path` (see [`RunArgs::conversion_groups`]).
pub fn load_conversion_groups(path: &Path) -> Result<zhnorm::ConversionGroups> {
    let mut groups = zhnorm::ConversionGroups::new();
    if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries =
                std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
            for entry in entries {
                let file = entry?.path();
                if file.is_dir() {
                    stack.push(file);
                    continue;
                }
                let relative = file.strip_prefix(path).unwrap_or(&file).with_extension("");
                let title = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                groups.add_page(&title, &text);
            }
        }
    } else {
        let pages = zhnorm_dump::open(path, &zhnorm_dump::OpenOptions::default())
            .with_context(|| format!("reading conversion groups from {}", path.display()))?;
        for page in pages {
            let page =
                page.with_context(|| format!("reading conversion groups from {}", path.display()))?;
            if let Some(text) = &page.text {
                groups.add_page(&page.title, text);
            }
        }
    }
    Ok(groups)
}

/// The flags of `normalize`.
#[derive(Debug, clap::Args)]
pub struct NormalizeArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Where to write: a folder, or `-` for JSON Lines on standard output.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// folder (`<id>.json` and `<id>.md` per document), jsonl or parquet (shards). Default:
    /// folder for a folder input, jsonl otherwise.
    #[arg(long, value_enum, value_name = "KIND")]
    pub output_format: Option<OutputKind>,
    /// Compression of JSONL shards: zstd (default), gzip or none.
    #[arg(long, value_name = "C", default_value = "zstd")]
    pub compression: String,
    /// Start a new shard after about this many megabytes.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub shard_mb: u64,
    /// Start a new shard after this many documents (instead of by size).
    #[arg(long, value_name = "N")]
    pub shard_docs: Option<u64>,
    /// Namespaces of a dump to normalize, by number (comma-separated).
    #[arg(long, value_name = "NS", value_delimiter = ',', default_value = "0")]
    pub namespaces: Vec<i32>,
    /// The kind of the input file instead of detecting it from its name and first bytes: xml,
    /// xml-bz2, jsonl, jsonl-gz or jsonl-zst.
    #[arg(long, value_name = "KIND")]
    pub input_format: Option<String>,
    /// The multistream index of a `.xml.bz2` dump, when it is not beside the dump.
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Keep the complete shards of an interrupted run into the same output (checked against
    /// the sha256 in its manifest) and do the rest.
    #[arg(long)]
    pub resume: bool,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write nothing; fail if the output folder differs from what a run would write (folder
    /// output only).
    #[arg(long)]
    pub check: bool,
}

/// How `check` prints the diagnostics.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CheckFormat {
    /// rustc-style: code, message, the source line with a caret under the column.
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// The flags of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub output_format: CheckFormat,
    /// Colour the human output (default: when standard output is a terminal).
    #[arg(long)]
    pub color: Option<bool>,
}

/// Runs one command.
pub fn run(command: Command, defaults: &Defaults) -> Result<ExitCode> {
    match command {
        Command::Normalize(args) => normalize::normalize(&args, defaults),
        Command::Check(args) => check::check(&args, defaults),
        Command::Rules => {
            print!("{}", zhnorm_check::rules_table());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The process exit code of a command's result, printing the error if there is one.
pub fn exit(result: Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

impl RunArgs {
    fn input(&self, defaults: &Defaults) -> Result<PathBuf> {
        match (&self.input, &defaults.input) {
            (Some(input), _) | (None, Some(input)) => Ok(input.clone()),
            (None, None) => bail!("--input is required (a folder, a dump, a .jsonl file or -)"),
        }
    }

    fn pipeline(&self, defaults: &Defaults) -> Result<Pipeline> {
        let mut checks = match &self.config {
            Some(path) => read_config(path)?,
            None => {
                let root = defaults.root.clone().unwrap_or_default();
                let default = root.join("zhnorm.toml");
                if default.exists() {
                    read_config(&default)?
                } else {
                    zhnorm_check::Config::default()
                }
            }
        };
        if !self.select.is_empty() {
            checks.select(&self.select)?;
        }
        for rule in &self.ignore {
            checks.ignore(rule)?;
        }
        let conversion_groups = match &self.conversion_groups {
            Some(path) => Some(load_conversion_groups(path)?),
            None => match self.input(defaults) {
                Ok(input) if input.is_file() => groups_by_index(&input)?,
                _ => None,
            },
        };
        let conversion_groups = conversion_groups.map(std::sync::Arc::new);
        let options = Options {
            variant: self.variant,
            format: self.format,
            engine: self.engine,
            checks,
            conversion_groups,
            ..Options::default()
        };
        Pipeline::new(options).context("setting up the pipeline")
    }

    fn corpus_options(&self, input: PathBuf, defaults: &Defaults) -> CorpusOptions {
        CorpusOptions {
            source_prefix: source_prefix(&input, defaults.root.as_deref()),
            input,
            output: PathBuf::new(),
            jobs: self.jobs,
        }
    }

    /// The folder runner over a folder input, failures printed as they are reported.
    fn run_folder(&self, defaults: &Defaults) -> Result<zhnorm::CorpusOutput> {
        let input = self.input(defaults)?;
        let corpus = self.corpus_options(input, defaults);
        let result = zhnorm::normalize_corpus(&self.pipeline(defaults)?, &corpus)?;
        for failure in &result.report.failures {
            eprintln!(
                "error[{}]: {}: {}",
                failure.code, failure.path, failure.error
            );
        }
        Ok(result)
    }
}

/// How `source.path` names the input folder: relative to the project root when inside it, so
/// that committed output never holds a path of this machine.
fn source_prefix(input: &Path, root: Option<&Path>) -> Option<String> {
    let absolute = std::path::absolute(input).ok()?;
    let root = std::path::absolute(root?).ok()?;
    let relative = absolute.strip_prefix(&root).ok()?;
    Some(relative.to_string_lossy().replace('\\', "/"))
}

fn read_config(path: &Path) -> Result<zhnorm_check::Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    zhnorm_check::Config::from_toml_str(&text).with_context(|| format!("in {}", path.display()))
}
