//! Project commands: `cargo xtask normalize`, `check`, `rules`, `test`, `bench`, `agree`, `schema`.
//!
//! Flags in, library call out: everything a library user would need lives in the `zhnorm`
//! crates; `normalize`, `check` and `rules` are the `zhnorm` binary's own commands (crate
//! `zhnorm-cli`, same flags), run with the project's `corpus/raw` and `corpus/canonical` as
//! default input and output.

mod bench;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use zhnorm::{Options, Pipeline};
use zhnorm_cli::Defaults;
use zhnorm_doc::Format;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "zhnorm project commands")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

// Parsed once per process: the size of the flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Task {
    #[command(flatten)]
    Zhnorm(zhnorm_cli::Command),
    /// Run every check CI runs: formatting, clippy with warnings denied, all tests (with the
    /// OpenCC reference engine when libopencc is installed), and `normalize --check`.
    Test,
    /// Run the benchmarks in release mode: `stages` (default: the wikitext reader alone),
    /// `pipeline` (the whole pipeline as a user runs it, on a zhwiki-shaped dump, against
    /// bz2 decoding and wtf_wikipedia in the same run) or `instructions` (the same pipeline's
    /// instructions per stage, counted by callgrind: the same on every run, where times on a
    /// shared machine are not).
    Bench {
        #[arg(value_enum, default_value = "stages")]
        what: BenchKind,
        /// Megabytes of article text in the dump: default 100 for `pipeline`, 5 for
        /// `instructions` (callgrind runs about fifty times slower).
        #[arg(long)]
        mb: Option<u32>,
        /// Runs of each measurement (the median is shown).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The target variant of `instructions`.
        #[arg(long, default_value = "zh-Hans")]
        variant: String,
    },
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
    /// Hand-written footnotes against their hand labels (issue 19): kind accuracy per kind and
    /// exact-match rates per field, short citations linked, and the counts of citations,
    /// sources and notes. Runs `crates/zhnorm-refs/examples/refs_truth.rs` in release mode.
    RefsTruth {
        /// Folder holding `refs-truth.jsonl` and `wikitext/`. Default: ../shared/corpus-dev.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write the JSON Schema of the canonical format to schema/zhnorm.doc-1.schema.json.
    Schema {
        /// Fail if the committed schema differs from the model instead of writing it.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum BenchKind {
    Stages,
    Pipeline,
    Instructions,
}

/// The readers and stages build owned documents with one allocation per node; mimalloc makes
/// those allocations about three times cheaper than glibc's malloc (measured by the wikitext
/// reader benchmark, which runs with the same allocator); see [`zhnorm_cli::Allocator`].
#[global_allocator]
static ALLOCATOR: zhnorm_cli::Allocator = zhnorm_cli::Allocator;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Zhnorm(command) => {
            let root = project_root();
            let defaults = Defaults {
                input: Some(root.join("corpus/raw")),
                output: Some(root.join("corpus/canonical")),
                root: Some(root),
            };
            zhnorm_cli::run(command, &defaults)
        }
        Task::Test => test(),
        Task::Bench {
            what,
            mb,
            runs,
            variant,
        } => match what {
            BenchKind::Stages => bench(),
            BenchKind::Pipeline => {
                bench::pipeline(mb.unwrap_or(100), runs).map(|()| ExitCode::SUCCESS)
            }
            BenchKind::Instructions => {
                bench::instructions(mb.unwrap_or(5), &variant).map(|()| ExitCode::SUCCESS)
            }
        },
        Task::Schema { check } => schema(check),
        Task::RefsTruth { dir } => refs_truth(dir),
        Task::Agree {
            wikitext,
            markdown,
            json,
        } => agree(wikitext, markdown, json),
    };
    zhnorm_cli::exit(result)
}

/// The workspace root: xtask lives one level below it. `cargo run` sets CARGO_MANIFEST_DIR for
/// the process too, and that one wins over the compile-time value: a build copied from another
/// checkout (a seeded target folder) must act on the checkout it is run from.
fn project_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
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

fn refs_truth(dir: Option<PathBuf>) -> Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| project_root().join("../shared/corpus-dev"));
    if !dir.join("refs-truth.jsonl").is_file() {
        bail!(
            "{} holds no refs-truth.jsonl: pass --dir with the hand labels",
            dir.display()
        );
    }
    let dir = dir.to_string_lossy();
    cargo(&[
        "run",
        "--release",
        "--quiet",
        "-p",
        "zhnorm-refs",
        "--example",
        "refs_truth",
        "--",
        &dir,
    ])?;
    Ok(ExitCode::SUCCESS)
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
