//! Telling the input formats apart.
//!
//! Each format leaves marks the others do not: wikitext has `[[…]]`, `{{…}}`, `<ref>` and
//! `== … ==`; Markdown exports have `](…"wikilink")`, `\[1\]` and `## `; scraped page text has
//! `[编辑]`, table residue and `^ ` reference lines but no markup. Every mark found adds to its
//! format's score; the confidence is the winner's share of all scores.

use regex::Regex;
use std::sync::LazyLock;
use zhnorm_doc::{Detection, Format};

struct Signal {
    format: Format,
    /// What one occurrence is worth; strong, unambiguous marks weigh more.
    weight: f64,
    /// At most this many occurrences count, so one long article does not drown the others.
    cap: usize,
    description: &'static str,
    pattern: Regex,
}

static SIGNALS: LazyLock<Vec<Signal>> = LazyLock::new(|| {
    let s = |format, weight, cap, description, pattern: &str| Signal {
        format,
        weight,
        cap,
        description,
        pattern: Regex::new(pattern).expect("detection pattern compiles"),
    };
    vec![
        s(
            Format::Canonical,
            50.0,
            1,
            "zhnorm front matter",
            r"\A---\nid: .*\ntitle: .*\nlang: ",
        ),
        s(
            Format::Wikitext,
            2.0,
            50,
            "[[…]] links",
            r"\[\[[^\[\]\n]+\]\]",
        ),
        s(
            Format::Wikitext,
            2.0,
            30,
            "{{…}} templates",
            r"\{\{[^{}\n|]+[|}]",
        ),
        s(Format::Wikitext, 3.0, 30, "<ref> tags", r"<ref[ >/]"),
        s(
            Format::Wikitext,
            3.0,
            20,
            "== … == headings",
            r"(?m)^={2,6}[^=\n]+={2,6}\s*$",
        ),
        s(Format::Wikitext, 1.0, 20, "''' bold", r"'''"),
        s(
            Format::Markdown,
            3.0,
            50,
            "\"wikilink\" links",
            r#"\]\([^)\s]+ "wikilink"\)"#,
        ),
        s(Format::Markdown, 3.0, 30, "\\[n\\] markers", r"\\\[\d+\\\]"),
        s(Format::Markdown, 3.0, 20, "## headings", r"(?m)^#{1,6} \S"),
        s(
            Format::Markdown,
            1.0,
            50,
            "[…](…) links",
            r"\]\((?:https?://|\.\./)[^)\s]*\)",
        ),
        s(Format::Markdown, 1.0, 10, "** bold", r"\*\*[^*\n]+\*\*"),
        s(Format::Scraped, 4.0, 30, "[编辑] markers", r"\[编辑\]"),
        s(
            Format::Scraped,
            3.0,
            10,
            "infobox table residue",
            r"(?m)\| ?\|{3,}",
        ),
        s(
            Format::Scraped,
            3.0,
            50,
            "^ reference lines",
            r"(?m)^(?:- )?\^ ",
        ),
        s(
            Format::Scraped,
            1.0,
            50,
            "[n] markers",
            r"[^\\\[]\[\d{1,3}\]",
        ),
        s(
            Format::Scraped,
            2.0,
            2,
            "contents list (目录/目次)",
            r"(?m)^(?:目录|目次|目錄)\s*$",
        ),
    ]
});

/// Decides the format of `text`, with a confidence between 0 and 1 and the evidence for it.
///
/// Text with no mark of any format is taken as scraped page text (plain text is what a scrape
/// gives), with a low confidence.
pub fn detect(text: &str) -> Detection {
    let mut scores: Vec<(Format, f64, Vec<String>)> = Vec::new();
    for signal in SIGNALS.iter() {
        let count = signal.pattern.find_iter(text).take(signal.cap).count();
        if count == 0 {
            continue;
        }
        let entry = match scores.iter_mut().position(|(f, _, _)| *f == signal.format) {
            Some(i) => &mut scores[i],
            None => {
                scores.push((signal.format, 0.0, Vec::new()));
                scores.last_mut().expect("just pushed")
            }
        };
        entry.1 += signal.weight * count as f64;
        entry.2.push(format!("{count} {}", signal.description));
    }
    let total: f64 = scores.iter().map(|(_, s, _)| s).sum();
    // Ties go to the format listed first in `Format::ALL`, so the result never depends on order.
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    match scores.into_iter().next() {
        Some((format, score, evidence)) => Detection {
            format,
            confidence: (score / total * 100.0).round() / 100.0,
            evidence,
            overridden: false,
        },
        None => Detection {
            format: Format::Scraped,
            confidence: 0.3,
            evidence: vec!["no markup of any format: plain text".to_owned()],
            overridden: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_with_evidence() {
        let cases = [
            (
                "'''甲'''是[[乙]]。<ref>x</ref>\n== 历史 ==\n",
                Format::Wikitext,
            ),
            (
                "**甲**是[乙](../Page/乙.md \"wikilink\")\\[1\\]。\n\n## 历史\n",
                Format::Markdown,
            ),
            (
                "甲\n历史\n[编辑]甲是乙。[1]\n参考资料\n- ^ 1.0 来源.\n",
                Format::Scraped,
            ),
            (
                "---\nid: 甲\ntitle: 甲\nlang: zh-Hans\n---\n\n# 甲\n",
                Format::Canonical,
            ),
        ];
        for (text, format) in cases {
            let d = detect(text);
            assert_eq!(d.format, format, "{text}: {d:?}");
            assert!(d.confidence > 0.5, "{d:?}");
            assert!(!d.evidence.is_empty());
        }
    }

    #[test]
    fn plain_text_is_scraped_with_low_confidence() {
        let d = detect("只有文字。");
        assert_eq!((d.format, d.confidence), (Format::Scraped, 0.3));
    }
}
