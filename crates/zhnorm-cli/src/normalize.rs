//! `normalize`: a folder into a folder (rendered in memory, `--check` possible), or any input
//! into shards through the stream runner.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::{Defaults, NormalizeArgs};

/// What `normalize` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputKind {
    /// `<id>.json` and `<id>.md` per document, in one folder (small corpora).
    Folder,
    /// JSON Lines shards (`part-00000.jsonl.zst`), one record per document.
    Jsonl,
    /// Parquet shards (`part-00000.parquet`).
    Parquet,
}

pub(crate) fn normalize(args: &NormalizeArgs, defaults: &Defaults) -> Result<ExitCode> {
    let input = args.run.input(defaults)?;
    let folder_input = input.is_dir();
    let kind = args.output_format.unwrap_or(if folder_input {
        OutputKind::Folder
    } else {
        OutputKind::Jsonl
    });
    let output = match (&args.output, &defaults.output) {
        (Some(output), _) | (None, Some(output)) => output.clone(),
        (None, None) => bail!("--output is required (a folder, or - for standard output)"),
    };
    if folder_input {
        zhnorm::refuse_output_inside_input(&input, &output)?;
    }
    if kind == OutputKind::Folder {
        if !folder_input {
            bail!(
                "--output-format folder needs a folder as input; {} is not one (use jsonl or parquet)",
                input.display()
            );
        }
        return normalize_folder(args, defaults, output);
    }
    if args.check {
        bail!("--check compares a folder output; it does not apply to shards");
    }
    crate::stream::normalize_stream(args, defaults, &input, &output, kind)
}

fn normalize_folder(
    args: &NormalizeArgs,
    defaults: &Defaults,
    output: PathBuf,
) -> Result<ExitCode> {
    let result = args.run.run_folder(defaults)?;
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
