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

use std::collections::BTreeSet;

use zhnorm_doc::{Diagnostic, LinkKind, codes};

use crate::CorpusFinding;
use crate::context::{CorpusContext, link_targets};
use crate::registry::{Check, Origin, Rule};
use crate::rules::corpus::{base_id, entity_key, fold_name, linked_article};

pub(crate) static RULE: Rule = Rule {
    code: &codes::WIKI_LINKS_RESOLVED,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(check),
    fix: None,
    source: include_str!("wiki_links_resolved.rs"),
};

fn check(cx: &CorpusContext<'_>) -> Vec<CorpusFinding> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut script_blind: BTreeSet<String> = BTreeSet::new();
    for doc in cx.docs {
        for name in [doc.title.as_str(), base_id(&doc.id)] {
            if !name.trim().is_empty() {
                names.insert(fold_name(name));
                script_blind.insert(entity_key(name));
            }
        }
    }
    let (mut total, mut resolved, mut resolved_blind) = (0usize, 0usize, 0usize);
    for doc in cx.docs {
        for target in link_targets(doc, LinkKind::Wiki) {
            let Some(article) = linked_article(target) else {
                continue;
            };
            total += 1;
            if names.contains(&fold_name(&article)) {
                resolved += 1;
            } else if script_blind.contains(&entity_key(&article)) {
                resolved_blind += 1;
            }
        }
    }
    if total == 0 {
        return Vec::new();
    }
    // Link counts are far below 2^52: the conversion to f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    let percent = resolved as f64 * 100.0 / total as f64;
    vec![CorpusFinding {
        doc_id: None,
        diagnostic: Diagnostic::new(
            &codes::WIKI_LINKS_RESOLVED,
            format!(
                "{resolved} of {total} wiki links ({percent:.1} %) resolve to a document of the corpus ({resolved_blind} more if script is ignored)"
            ),
        ),
    }]
}
