//! Consistency checks over zhnorm documents and corpora: a registry of rules with stable codes,
//! their fixes, their configuration, and reporters for people and machines.
//!
//! Every code of `zhnorm_doc::codes` has one rule here, in its own file under
//! `src/rules/<family>/<rule_name>.rs`, whose `//!` header is its documentation (`docs/rules.md`
//! is generated from them by [`rules_markdown`]). Some codes are emitted by other stages — the
//! readers (`M…`, with source line and column), the references stage (part of `R…`), the script
//! stage (`C003`), the pipeline (`F…`): their rules document them and pass their diagnostics
//! through the configuration. This crate reads documents; it never converts script or parses
//! source formats.
//!
//! ```
//! use zhnorm_doc::{Block, Document, Format, Inline, Source};
//!
//! let mut doc = Document::new(Source::given("a.md", Format::Markdown));
//! doc.title = "例子".into();
//! doc.lang = "zh-Hans".into();
//! doc.blocks.push(Block::Paragraph { inlines: vec![Inline::text("甲,乙（）。")] });
//! let config = zhnorm_check::Config::default();
//! assert_eq!(zhnorm_check::apply_fixes(&mut doc, &config, zhnorm_check::FixSafety::Safe), 1);
//! zhnorm_check::finish_document(&mut doc, None, &config);
//! let codes: Vec<_> = doc.diagnostics.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["S005"]);
//! ```

mod config;
mod context;
mod date;
mod docs;
mod key_index;
mod registry;
mod report;
mod rules;
mod text;

pub use config::{Config, ConfigError};
use context::text_runs;
pub use context::{Context, DocSummary};
pub use date::PartialDate;
pub use docs::{rules_markdown, rules_table};
pub use key_index::KeyIndex;
pub use registry::{Check, CorpusRule, Fix, FixSafety, Origin, Rule, all_rules, rule_by_code};
pub use report::{FileReport, SarifWriter, exit_status, render_human, render_json, render_sarif};
pub use rules::corpus::{DocNo, SeenDocs, name_key};

use std::collections::HashSet;

use zhnorm_doc::{Diagnostic, Document};

/// What the document rules look at: the document, and its source text when the caller has it.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub doc: &'a Document,
    pub source_text: Option<&'a str>,
}

/// A finding of a corpus rule: the document it is about (`None` for the corpus as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFinding {
    pub doc_id: Option<String>,
    pub diagnostic: Diagnostic,
}

/// The new findings of the default configuration's document rules on `doc` (diagnostics
/// already in the document are not repeated). Add them to `doc.diagnostics`, or call
/// [`finish_document`] to do that and apply a configuration to the readers' diagnostics too.
pub fn check_document(doc: &Document) -> Vec<Diagnostic> {
    check(
        &CheckInput {
            doc,
            source_text: None,
        },
        &Config::default(),
    )
}

/// The new findings of the enabled document rules, at their configured severities, not
/// repeating any diagnostic the document already holds.
pub fn check(input: &CheckInput<'_>, config: &Config) -> Vec<Diagnostic> {
    let runs = text_runs(input.doc);
    let cx = Context {
        doc: input.doc,
        source_text: input.source_text,
        today: config.today(),
        runs: &runs,
    };
    let existing = &input.doc.diagnostics;
    let mut found = Vec::new();
    for rule in all_rules() {
        let Check::Document(run) = rule.check else {
            continue;
        };
        if !config.is_enabled(rule.code) {
            continue;
        }
        if matches!(rule.origin, Origin::EmittedAndChecked(_))
            && existing.iter().any(|d| d.code == rule.code.code)
        {
            continue;
        }
        for mut diagnostic in run(&cx) {
            diagnostic.severity = config.severity(rule.code);
            found.push(diagnostic);
        }
    }
    // The first of equal findings, and none the document holds already. Through sets: a long
    // article has a hundred thousand findings before they are capped, and comparing each with
    // every other took 30 of the 40 seconds of a 100 MB article.
    // foldhash, not SipHash: the sets are a document's own findings, and hashing them with
    // SipHash showed in the checks' profile.
    let existing: HashSet<&Diagnostic, foldhash::fast::RandomState> = existing.iter().collect();
    let mut seen: HashSet<&Diagnostic, foldhash::fast::RandomState> = HashSet::default();
    let keep: Vec<bool> = found
        .iter()
        .map(|d| !existing.contains(d) && seen.insert(d))
        .collect();
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(false));
    found
}

/// Runs the checks and leaves `doc.diagnostics` complete: the diagnostics other stages put
/// there, filtered and re-graded by `config`, then the checks' new findings.
pub fn finish_document(doc: &mut Document, source_text: Option<&str>, config: &Config) {
    let found = check(&CheckInput { doc, source_text }, config);
    let existing = std::mem::take(&mut doc.diagnostics);
    doc.diagnostics = config.apply(existing);
    doc.diagnostics.extend(found);
}

/// Applies the fixes of the enabled rules up to `safety` (`Safe` applies safe fixes only,
/// `Unsafe` both kinds); counts each rule's edits in `doc.repairs` under `fixed-<rule name>`
/// and returns the total.
pub fn apply_fixes(doc: &mut Document, config: &Config, safety: FixSafety) -> usize {
    let mut total = 0;
    for rule in all_rules() {
        let Some(fix) = rule.fix else { continue };
        if fix.safety > safety || !config.is_enabled(rule.code) {
            continue;
        }
        let edits = (fix.apply)(doc);
        if edits > 0 {
            let key = format!("fixed-{}", rule.code.name);
            *doc.repairs.entry(key).or_default() += u32::try_from(edits).unwrap_or(u32::MAX);
            total += edits;
        }
    }
    total
}

/// Applies the safe fixes of the default configuration; returns the number of edits.
pub fn apply_safe_fixes(doc: &mut Document) -> usize {
    apply_fixes(doc, &Config::default(), FixSafety::Safe)
}

/// The findings of the default configuration's corpus rules over all documents of a run.
pub fn check_corpus(docs: &[&Document]) -> Vec<CorpusFinding> {
    check_corpus_with(docs, &Config::default())
}

/// The findings of the enabled corpus rules, at their configured severities.
pub fn check_corpus_with(docs: &[&Document], config: &Config) -> Vec<CorpusFinding> {
    let mut checker = CorpusChecker::new(config);
    let mut found = Vec::new();
    for doc in docs {
        found.extend(checker.observe(&DocSummary::of(doc)));
    }
    found.extend(checker.finish());
    found
}

/// The corpus rules over a stream of documents: feed each document's [`DocSummary`] in input
/// order, then [`CorpusChecker::finish`]. Gives the same findings as [`check_corpus_with`] over
/// the same documents, holding names rather than documents.
pub struct CorpusChecker {
    rules: Vec<(&'static zhnorm_doc::codes::Code, Box<dyn CorpusRule>)>,
    seen: SeenDocs,
    config: Config,
}

impl std::fmt::Debug for CorpusChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusChecker")
            .field(
                "rules",
                &self.rules.iter().map(|(c, _)| c.code).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl CorpusChecker {
    pub fn new(config: &Config) -> Self {
        let rules = all_rules()
            .iter()
            .filter(|rule| config.is_enabled(rule.code))
            .filter_map(|rule| match rule.check {
                Check::Corpus(make) => Some((rule.code, make())),
                _ => None,
            })
            .collect();
        CorpusChecker {
            rules,
            seen: SeenDocs::default(),
            config: config.clone(),
        }
    }

    /// The findings that this document brings (about it, as documents come in input order).
    pub fn observe(&mut self, doc: &DocSummary) -> Vec<CorpusFinding> {
        let mut found = Vec::new();
        if self.rules.is_empty() {
            return found;
        }
        let no = self.seen.push(doc);
        for (code, rule) in &mut self.rules {
            let start = found.len();
            rule.observe(doc, no, &self.seen, &mut found);
            for finding in &mut found[start..] {
                finding.diagnostic.severity = self.config.severity(code);
            }
        }
        found
    }

    /// A redirect of the input: links to `from` resolve to `to`.
    pub fn observe_redirect(&mut self, from: &str, to: &str) {
        for (_, rule) in &mut self.rules {
            rule.observe_redirect(from, to);
        }
    }

    /// The findings about the corpus as a whole, once every document has been seen.
    pub fn finish(mut self) -> Vec<CorpusFinding> {
        let mut found = Vec::new();
        for (code, rule) in &mut self.rules {
            let start = found.len();
            rule.finish(&mut found);
            for finding in &mut found[start..] {
                finding.diagnostic.severity = self.config.severity(code);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests;
