//! `check`: the consistency rules over a folder, printed for people or tools.

use std::process::ExitCode;

use anyhow::Result;

use crate::{CheckArgs, CheckFormat, Defaults};

pub(crate) fn check(args: &CheckArgs, defaults: &Defaults) -> Result<ExitCode> {
    let result = args.run.run_folder(defaults)?;
    // Source lines are shown under located diagnostics; the files are read again here rather
    // than kept in memory through the whole run.
    let sources: Vec<Option<String>> = result
        .sources
        .iter()
        .map(|path| {
            std::fs::read(path)
                .ok()
                .and_then(|bytes| zhnorm::decode(&bytes).ok().map(|text| text.into_owned()))
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
        CheckFormat::Human => {
            use std::io::IsTerminal;
            zhnorm_check::render_human(
                &files,
                args.color
                    .unwrap_or_else(|| std::io::stdout().is_terminal()),
            )
        }
        CheckFormat::Json => zhnorm_check::render_json(&files),
        CheckFormat::Sarif => zhnorm_check::render_sarif(&files),
    };
    print!("{rendered}");
    let status = zhnorm_check::exit_status(files.iter().flat_map(|f| f.diagnostics));
    Ok(if status != 0 || result.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
