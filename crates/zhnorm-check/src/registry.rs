//! The rule type and the registry of every rule, one per code of `zhnorm_doc::codes`.

use zhnorm_doc::codes::Code;
use zhnorm_doc::{Diagnostic, Document};

use crate::CorpusFinding;
use crate::context::{Context, DocSummary};
use crate::rules;
use crate::rules::corpus::{DocNo, SeenDocs};

/// Who finds the problem a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This crate's checks find it.
    Checks,
    /// Another stage emits it (the readers, the references stage, …); the checks pass its
    /// diagnostics through, applying the configuration.
    Emitted(&'static str),
    /// Another stage emits it where it can; the check finds it in documents that did not go
    /// through that stage. When the document already holds diagnostics of this code, the stage
    /// has spoken and the check's own findings are dropped, so nothing is reported twice.
    EmittedAndChecked(&'static str),
}

impl Origin {
    pub fn describe(self) -> String {
        match self {
            Origin::Checks => "checks".to_owned(),
            Origin::Emitted(by) => by.to_owned(),
            Origin::EmittedAndChecked(by) => format!("{by}; checks"),
        }
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FixSafety {
    /// Applied by `normalize`: it cannot change the meaning of the text.
    Safe,
    /// Offered only on request: it may remove or change something a person meant.
    Unsafe,
}

impl FixSafety {
    pub fn as_str(self) -> &'static str {
        match self {
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
        }
    }
}

/// A fix a rule offers: what it does and the function that does it (returns the edit count).
#[derive(Debug, Clone, Copy)]
pub struct Fix {
    pub safety: FixSafety,
    pub description: &'static str,
    pub apply: fn(&mut Document) -> usize,
}

/// How a rule looks for its problem.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// Over one document.
    Document(fn(&Context<'_>) -> Vec<Diagnostic>),
    /// Over all documents of a run, seen one by one in input order: makes the rule's state.
    Corpus(fn() -> Box<dyn CorpusRule>),
    /// Emitted by another stage: the diagnostics already in the document are passed through.
    PassThrough,
}

/// A corpus rule's state over the documents seen so far. It keeps compact indexes (names,
/// not documents), so that a run of any size can be checked as it streams.
pub trait CorpusRule: Send {
    /// One more document, in input order; findings about it (or an earlier one) go to `out`.
    /// `seen` names every document so far, this one (`no`) included: a rule keeps the
    /// [`DocNo`] of a document it may name later, not its id.
    fn observe(
        &mut self,
        doc: &DocSummary,
        no: DocNo,
        seen: &SeenDocs,
        out: &mut Vec<CorpusFinding>,
    );
    /// A redirect of the input (`from` → `to`): a name under which links resolve.
    fn observe_redirect(&mut self, _from: &str, _to: &str) {}
    /// The run is over: findings about the corpus as a whole.
    fn finish(&mut self, _out: &mut Vec<CorpusFinding>) {}
}

/// One rule: a code, how it is found, an optional fix, and its documentation.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static Code,
    pub origin: Origin,
    pub enabled_by_default: bool,
    pub check: Check,
    pub fix: Option<Fix>,
    /// The text of the rule's own source file; its `//!` header is the rule's documentation.
    pub(crate) source: &'static str,
}

impl Rule {
    /// The rule's documentation: the `//!` header of its file, as Markdown.
    pub fn documentation(&self) -> String {
        let mut doc = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            doc.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            doc.push('\n');
        }
        doc.trim_end().to_owned()
    }

    /// The family this rule's code belongs to, by its prefix letter.
    pub fn family(&self) -> &'static str {
        family_name(self.code.code)
    }
}

/// The family name of a code (`S003` → `structure`).
pub fn family_name(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'F') => "files",
        Some(b'M') => "markup",
        Some(b'S') => "structure",
        Some(b'R') => "references",
        Some(b'C') => "script",
        Some(b'T') => "typography",
        Some(b'K') => "corpus",
        _ => "other",
    }
}

/// Every rule, in code order (the order of `zhnorm_doc::codes::ALL`).
pub fn all_rules() -> &'static [&'static Rule] {
    rules::ALL
}

/// The rule of `code` (e.g. `S003`), if there is one.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    rules::ALL.iter().copied().find(|r| r.code.code == code)
}
