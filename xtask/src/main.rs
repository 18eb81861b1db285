//! Project commands: `cargo xtask normalize`, `check`, `rules`, `test`, `bench`, `agree`, `schema`.
//!
//! Flags in, library call out: everything a library user would need lives in the `zhnorm`
//! crates; this binary only parses the command line, resolves paths and sets the exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use zhnorm::{CorpusOptions, EngineKind, Options, Pipeline, Variant};
use zhnorm_doc::Format;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "zhnorm project commands")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Normalize a corpus of zh.wikipedia articles (wikitext, scraped text, Markdown exports)
    /// into canonical JSON and Markdown, one pair of files per document, plus report.json.
    Normalize(NormalizeArgs),
    /// Run the consistency checks over a corpus without writing it; exit 1 when an
    /// error-severity diagnostic remains (or an input failed).
    Check(CheckArgs),
    /// Print the table of check rules: code, name, default severity, what it finds.
    Rules,
    /// Run every check CI runs: formatting, clippy with warnings denied, all tests (with the
    /// OpenCC reference engine when libopencc is installed), and `normalize --check`.
    Test,
    /// Run the benchmarks (reader and conversion throughput), in release mode.
    Bench,
    /// Cross-format agreement: normalize each article present in both folders (matched by file
    /// stem) and report the share of text characters, headings and wiki link targets in common.
    Agree {
        /// Folder of wikitext articles. Default: ../shared/corpus-dev/wikitext.
        #[arg(long, value_name = "DIR")]
        wikitext: Option<PathBuf>,
        /// Folder of Markdown exports of the same articles. Default: ../shared/corpus-dev/markdown.
        #[arg(long, value_name = "DIR")]
        markdown: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the JSON Schema of the canonical format to schema/zhnorm.doc-1.schema.json.
    Schema {
        /// Fail if the committed schema differs from the model instead of writing it.
        #[arg(long)]
        check: bool,
    },
}

/// What to read and how: shared by `normalize` and `check`.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Folder of input articles, read recursively (hidden files skipped). Default: corpus/raw.
    #[arg(long, value_name = "DIR")]
    input: Option<PathBuf>,
    /// Target script variant: zh-Hans (Simplified), zh-Hant (Traditional), zh-CN (mainland
    /// Simplified with mainland phrases), zh-TW (Taiwan Traditional with Taiwan phrases), zh-HK
    /// (Hong Kong Traditional).
    #[arg(long, default_value = "zh-Hans", value_name = "TAG")]
    variant: Variant,
    /// Read every input as this format instead of detecting it: wikitext, scraped, markdown or
    /// canonical (zhnorm's own Markdown view).
    #[arg(long, value_name = "FORMAT")]
    format: Option<Format>,
    /// Worker threads (default: one per core). Output is identical for any number.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Conversion engine: builtin (pure Rust, default) or opencc (the OpenCC C++ library; needs
    /// libopencc and a build with `--features opencc`).
    #[arg(long, default_value = "builtin", value_name = "ENGINE")]
    engine: EngineKind,
    /// Check configuration (a `[check]` table: select, ignore, severity). Default: zhnorm.toml
    /// in the project root, when it exists.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules (codes, prefixes such as `R`, or rule names), replacing the
    /// configuration's selection. Repeatable.
    #[arg(long, value_name = "RULE")]
    select: Vec<String>,
    /// Do not run these rules (codes, prefixes or names). Repeatable.
    #[arg(long, value_name = "RULE")]
    ignore: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct NormalizeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Folder for <id>.json, <id>.md, report.json, diagnostics.json and diagnostics.sarif.
    /// Default: corpus/canonical.
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Write nothing; fail if the output folder differs from what a run would write.
    #[arg(long)]
    check: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    /// rustc-style: code, message, the source line with a caret under the column.
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    run: RunArgs,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    output_format: OutputFormat,
    /// Colour the human output (default: when standard output is a terminal).
    #[arg(long)]
    color: Option<bool>,
}

/// The readers and stages build owned documents with one allocation per node; mimalloc makes
/// those allocations about three times cheaper than glibc's malloc (measured by the wikitext
/// reader benchmark, which runs with the same allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Normalize(args) => normalize(args),
        Task::Check(args) => check(args),
        Task::Rules => {
            print!("{}", zhnorm_check::rules_table());
            Ok(ExitCode::SUCCESS)
        }
        Task::Test => test(),
        Task::Bench => bench(),
        Task::Schema { check } => schema(check),
        Task::Agree {
            wikitext,
            markdown,
            json,
        } => agree(wikitext, markdown, json),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// How `source.path` names the input folder: relative to the project root when inside it, so
/// that committed output never holds a path of this machine.
fn source_prefix(input: &Path) -> Option<String> {
    let absolute = std::path::absolute(input).ok()?;
    let root = std::path::absolute(project_root()).ok()?;
    let relative = absolute.strip_prefix(&root).ok()?;
    Some(relative.to_string_lossy().replace('\\', "/"))
}

impl RunArgs {
    fn input(&self) -> PathBuf {
        self.input
            .clone()
            .unwrap_or_else(|| project_root().join("corpus/raw"))
    }

    fn pipeline(&self) -> Result<Pipeline> {
        let mut checks = match &self.config {
            Some(path) => read_config(path)?,
            None => {
                let default = project_root().join("zhnorm.toml");
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
        let options = Options {
            variant: self.variant,
            format: self.format,
            engine: self.engine,
            checks,
            ..Options::default()
        };
        Pipeline::new(options).context("setting up the pipeline")
    }

    fn run(&self) -> Result<zhnorm::CorpusOutput> {
        let input = self.input();
        let corpus = CorpusOptions {
            source_prefix: source_prefix(&input),
            input,
            output: PathBuf::new(),
            jobs: self.jobs,
        };
        let result = zhnorm::normalize_corpus(&self.pipeline()?, &corpus)?;
        for failure in &result.report.failures {
            eprintln!(
                "error[{}]: {}: {}",
                failure.code, failure.path, failure.error
            );
        }
        Ok(result)
    }
}

fn read_config(path: &Path) -> Result<zhnorm_check::Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    zhnorm_check::Config::from_toml_str(&text).with_context(|| format!("in {}", path.display()))
}

fn normalize(args: NormalizeArgs) -> Result<ExitCode> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| project_root().join("corpus/canonical"));
    let result = args.run.run()?;
    if args.check {
        let differences = zhnorm::compare_output(&result, &output);
        if !differences.is_empty() {
            for difference in &differences {
                eprintln!("stale: {difference}");
            }
            bail!(
                "{} is stale ({} differences); run `cargo xtask normalize` and commit the result",
                output.display(),
                differences.len()
            );
        }
        println!(
            "{} is up to date ({} documents)",
            output.display(),
            result.report.documents
        );
    } else {
        zhnorm::write_output(&result, &output)?;
        let report = &result.report;
        println!(
            "normalized {} of {} inputs into {} ({} references, {} citations, {} diagnostics)",
            report.documents,
            report.inputs,
            output.display(),
            report.references,
            report.citations,
            report.diagnostics.values().sum::<usize>()
        );
    }
    Ok(if result.has_failures() {
        eprintln!("{} input(s) failed; see report.json", result.report.failed);
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// True when the OpenCC C library can be linked, so the reference engine can be built and tested.
fn check(args: CheckArgs) -> Result<ExitCode> {
    let result = args.run.run()?;
    // Source lines are shown under located diagnostics; the files are read again here rather
    // than kept in memory through the whole run.
    let sources: Vec<Option<String>> = result
        .sources
        .iter()
        .map(|path| {
            std::fs::read(path)
                .ok()
                .and_then(|bytes| zhnorm::decode(&bytes).ok())
        })
        .collect();
    let mut files: Vec<zhnorm_check::FileReport<'_>> = result
        .documents
        .iter()
        .zip(&sources)
        .map(|(doc, text)| zhnorm_check::FileReport {
            path: &doc.source.path,
            id: &doc.id,
            source_text: text.as_deref(),
            diagnostics: &doc.diagnostics,
        })
        .collect();
    files.push(zhnorm_check::FileReport {
        path: "",
        id: "",
        source_text: None,
        diagnostics: &result.corpus_diagnostics,
    });
    let rendered = match args.output_format {
        OutputFormat::Human => {
            use std::io::IsTerminal;
            zhnorm_check::render_human(
                &files,
                args.color
                    .unwrap_or_else(|| std::io::stdout().is_terminal()),
            )
        }
        OutputFormat::Json => zhnorm_check::render_json(&files),
        OutputFormat::Sarif => zhnorm_check::render_sarif(&files),
    };
    print!("{rendered}");
    let status = zhnorm_check::exit_status(files.iter().flat_map(|f| f.diagnostics));
    Ok(if status != 0 || result.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn opencc_available() -> bool {
    Command::new("pkg-config")
        .args(["--exists", "opencc"])
        .status()
        .is_ok_and(|s| s.success())
}

fn cargo(args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    println!("$ cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .current_dir(project_root())
        .status()?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn test() -> Result<ExitCode> {
    let features: &[&str] = if opencc_available() {
        &["--features", "zhnorm/opencc"]
    } else {
        println!(
            "note: OpenCC's C library was not found (pkg-config opencc): the tests of the opencc reference \
             engine are SKIPPED. Install it (Debian: apt-get install pkg-config libopencc-dev) to run them."
        );
        &[]
    };
    cargo(&["fmt", "--all", "--check"])?;
    cargo(
        &[
            &["clippy", "--workspace", "--all-targets", "--locked"],
            features,
            &["--", "-D", "warnings"],
        ]
        .concat(),
    )?;
    cargo(&[&["test", "--workspace", "--locked"], features].concat())?;
    cargo(&[
        "run",
        "--quiet",
        "--locked",
        "--package",
        "xtask",
        "--",
        "normalize",
        "--check",
    ])?;
    cargo(&[
        "run",
        "--quiet",
        "--locked",
        "--package",
        "xtask",
        "--",
        "schema",
        "--check",
    ])?;
    Ok(ExitCode::SUCCESS)
}

fn bench() -> Result<ExitCode> {
    cargo(&[
        "bench",
        "--package",
        "zhnorm-formats",
        "--bench",
        "wikitext",
    ])?;
    Ok(ExitCode::SUCCESS)
}

const SCHEMA_FILE: &str = "schema/zhnorm.doc-1.schema.json";

fn schema(check: bool) -> Result<ExitCode> {
    let path = project_root().join(SCHEMA_FILE);
    let expected = zhnorm_doc::json_schema_text();
    if check {
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            bail!("{SCHEMA_FILE} is stale; run `cargo xtask schema` and commit it");
        }
        println!("{SCHEMA_FILE} is up to date");
    } else {
        std::fs::write(&path, expected).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {SCHEMA_FILE}");
    }
    Ok(ExitCode::SUCCESS)
}

fn agree(wikitext: Option<PathBuf>, markdown: Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let shared = project_root().join("../shared/corpus-dev");
    let wikitext = wikitext.unwrap_or_else(|| shared.join("wikitext"));
    let markdown = markdown.unwrap_or_else(|| shared.join("markdown"));
    let stems = |dir: &Path| -> Result<std::collections::BTreeMap<String, PathBuf>> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        Ok(entries
            .flatten()
            .map(|e| e.path())
            .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
            .collect())
    };
    let read = |path: &Path, format: Format| -> Result<zhnorm_doc::Document> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let options = Options {
            format: Some(format),
            ..Options::default()
        };
        let pipeline = Pipeline::new(options)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        Ok(pipeline
            .normalize_bytes(&name, &bytes)
            .with_context(|| path.display().to_string())?
            .document)
    };
    let markdown_files = stems(&markdown)?;
    let mut rows = Vec::new();
    for (stem, wikitext_path) in stems(&wikitext)? {
        let Some(markdown_path) = markdown_files.get(&stem) else {
            continue;
        };
        let a = read(&wikitext_path, Format::Wikitext)?;
        let b = read(markdown_path, Format::Markdown)?;
        rows.push((stem, zhnorm::agree::agreement(&a, &b)));
    }
    if json {
        let map: std::collections::BTreeMap<_, _> = rows.into_iter().collect();
        println!("{}", serde_json::to_string_pretty(&map)?);
    } else {
        println!(
            "{:<24} {:>8} {:>8} {:>10} {:>8}",
            "article", "text", "4-grams", "headings", "links"
        );
        for (stem, a) in &rows {
            let pct = |r: f64| format!("{:.1} %", r * 100.0);
            println!(
                "{:<24} {:>8} {:>8} {:>10} {:>8}",
                stem,
                pct(a.text.ratio),
                pct(a.text_4grams.ratio),
                pct(a.headings.ratio),
                pct(a.links.ratio)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
