//! rustc-style text: `warning[M007]: message`, the file, and for located diagnostics with a
//! source text, the source line with a caret under the column (annotate-snippets).

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use zhnorm_doc::{Diagnostic, Severity, codes};

use super::{FileReport, counts};

/// Renders every diagnostic of `files`, then a summary line. `color` adds ANSI colours (ask for
/// it when writing to a terminal).
pub fn render_human(files: &[FileReport<'_>], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for file in files {
        for diagnostic in file.diagnostics {
            out.push_str(&renderer.render(&[group(file, diagnostic)]));
            out.push_str("\n\n");
        }
    }
    let (errors, warnings, infos) = counts(files);
    let with_diagnostics = files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    out.push_str(&format!(
        "{errors} error{}, {warnings} warning{}, {infos} info{} in {with_diagnostics} file{}\n",
        plural(errors),
        plural(warnings),
        plural(infos),
        plural(with_diagnostics)
    ));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn group<'a>(file: &'a FileReport<'a>, diagnostic: &'a Diagnostic) -> Group<'a> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str());
    let label = codes::lookup(&diagnostic.code).map(|c| c.name);
    let path = if file.path.is_empty() {
        "(corpus)"
    } else {
        file.path
    };
    match (diagnostic.line, diagnostic.column) {
        (Some(line), column) => {
            let column = column.unwrap_or(1);
            let source_line = file.source_text.and_then(|text| {
                let index = usize::try_from(line).ok()?.checked_sub(1)?;
                text.split('\n').nth(index)
            });
            match source_line {
                Some(source_line) => {
                    let source_line = source_line.strip_suffix('\r').unwrap_or(source_line);
                    let start = byte_of_column(source_line, column);
                    let end = source_line[start..]
                        .chars()
                        .next()
                        .map_or(start, |c| start + c.len_utf8());
                    let mut annotation = AnnotationKind::Primary.span(start..end);
                    if let Some(label) = label {
                        annotation = annotation.label(label);
                    }
                    title.element(
                        Snippet::source(source_line)
                            .line_start(usize::try_from(line).unwrap_or(usize::MAX))
                            .path(path)
                            .annotation(annotation),
                    )
                }
                None => title.element(
                    Origin::path(path)
                        .line(usize::try_from(line).unwrap_or(usize::MAX))
                        .char_column(usize::try_from(column).unwrap_or(1)),
                ),
            }
        }
        (None, _) => title.element(Origin::path(path)),
    }
}

/// The byte offset of the 1-based char `column` of `line`, clamped to the line's end.
fn byte_of_column(line: &str, column: u32) -> usize {
    let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i)
}
