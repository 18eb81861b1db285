//! Finds sections with no content: a heading followed directly by a heading of the same or a
//! higher level, or by the end of the article.
//!
//! **Why it matters.** An empty section is a stub left by an editor or content a reader lost
//! (a dropped table, an unknown template); either way the outline promises text that is not
//! there. Reference sections (`参考资料`, `注释`, …) are not reported when the document has
//! references, since their content lives in the reference list.
//!
//! **Example.** `== 参见 ==` directly followed by `== 外部链接 ==`.

use zhnorm_doc::{Block, Diagnostic, codes, plain_text};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::EMPTY_SECTION,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("empty_section.rs"),
};

/// Headings whose content is the reference list, in both scripts.
const REFERENCE_SECTIONS: &[&str] = &[
    "参考资料",
    "參考資料",
    "参考文献",
    "參考文獻",
    "参考",
    "參考",
    "注释",
    "註釋",
    "注釋",
    "脚注",
    "腳註",
    "注解",
    "註解",
    "资料来源",
    "資料來源",
    "来源",
    "來源",
    "引用",
    "注脚",
    "參考來源",
    "参考来源",
];

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let blocks = &cx.doc.blocks;
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let Block::Heading { level, inlines } = block else {
            continue;
        };
        let empty = match blocks.get(i + 1) {
            None => true,
            Some(Block::Heading { level: next, .. }) => next <= level,
            Some(_) => false,
        };
        let text = plain_text(inlines).trim().to_owned();
        let holds_references =
            !cx.doc.references.is_empty() && REFERENCE_SECTIONS.contains(&text.as_str());
        if empty && !holds_references {
            out.push(Diagnostic::new(
                &codes::EMPTY_SECTION,
                format!("section “{text}” has no content"),
            ));
        }
    }
    out
}
