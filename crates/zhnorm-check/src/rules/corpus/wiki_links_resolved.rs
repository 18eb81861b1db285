//! Reports the share of wiki links that resolve to a document of the run: their target,
//! folded like titles (dashes, widths, `_`, case), is the title or id of a document. Links to
//! files, categories, other namespaces, other wikis and same-page anchors are not counted.
//! Also says how many more would resolve if script differences were ignored.
//!
//! **Why it matters.** The figure says how self-contained the corpus is (how many links a
//! reader of the corpus can follow) and, with the script-blind count, how many links are lost
//! only to spelling. One informational diagnostic for the whole corpus.
//!
//! **Example.** `12 of 230 wiki links (5.2 %) resolve to a document of the corpus (3 more if
//! script is ignored)`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::DocSummary;
use crate::key_index::reserve_by_eighths;
use crate::registry::{Check, CorpusRule, Origin, Rule};
use crate::rules::corpus::{DocNo, SeenDocs, base_id, entity_key, fold_name, rule_key};
use crate::{CorpusFinding, KeyIndex};

pub(crate) static RULE: Rule = Rule {
    code: &codes::WIKI_LINKS_RESOLVED,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(|| Box::<WikiLinksResolved>::default()),
    fix: None,
    source: include_str!("wiki_links_resolved.rs"),
};

/// The names of the documents seen (folded, and script-blind), the redirects, and how often
/// each link target was linked: links are counted at the end, when every name is known.
#[derive(Default)]
struct WikiLinksResolved {
    /// [`rule_key`]s of the folded names of the corpus, and of their script-blind forms.
    names: KeyIndex<u64, ()>,
    script_blind: KeyIndex<u64, ()>,
    /// Redirects: the folded and script-blind keys of their name, the folded key of their target.
    redirects: Vec<(u64, u64, u64)>,
    /// Each distinct link target: its folded and script-blind keys, and how often it is linked.
    links: KeyIndex<u64, (u64, u64, usize)>,
}

impl CorpusRule for WikiLinksResolved {
    fn observe(
        &mut self,
        doc: &DocSummary,
        _no: DocNo,
        _seen: &SeenDocs,
        _out: &mut Vec<CorpusFinding>,
    ) {
        for name in [doc.title.as_str(), base_id(&doc.id)] {
            if !name.trim().is_empty() {
                self.names.insert(rule_key(&fold_name(name)), ());
                self.script_blind.insert(rule_key(&entity_key(name)), ());
            }
        }
        for article in &doc.links {
            // The folded and script-blind forms are made once per distinct target.
            self.links
                .get_or_insert_with(rule_key(article), || {
                    (
                        rule_key(&fold_name(article)),
                        rule_key(&entity_key(article)),
                        0,
                    )
                })
                .2 += 1;
        }
    }

    fn observe_redirect(&mut self, from: &str, to: &str) {
        let from = fold_name(from);
        reserve_by_eighths(&mut self.redirects, 1);
        self.redirects.push((
            rule_key(&from),
            rule_key(&entity_key(&from)),
            rule_key(&fold_name(to)),
        ));
    }

    fn finish(&mut self, out: &mut Vec<CorpusFinding>) {
        // A redirect is a name of the corpus when it leads to a document of the corpus.
        for (from, from_blind, to) in std::mem::take(&mut self.redirects) {
            if self.names.contains_key(&to) {
                self.script_blind.insert(from_blind, ());
                self.names.insert(from, ());
            }
        }
        let (mut total, mut resolved, mut resolved_blind) = (0usize, 0usize, 0usize);
        for (_, &(folded, blind, count)) in self.links.iter() {
            total += count;
            if self.names.contains_key(&folded) {
                resolved += count;
            } else if self.script_blind.contains_key(&blind) {
                resolved_blind += count;
            }
        }
        if total == 0 {
            return;
        }
        // Link counts are far below 2^52: the conversion to f64 is exact.
        #[allow(clippy::cast_precision_loss)]
        let percent = resolved as f64 * 100.0 / total as f64;
        out.push(CorpusFinding {
            doc_id: None,
            diagnostic: Diagnostic::new(
                &codes::WIKI_LINKS_RESOLVED,
                format!(
                    "{resolved} of {total} wiki links ({percent:.1} %) resolve to a document of the corpus ({resolved_blind} more if script is ignored)"
                ),
            ),
        });
    }
}
