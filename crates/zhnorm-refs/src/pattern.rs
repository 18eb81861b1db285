//! Regular expressions that are skipped on texts they cannot match.
//!
//! Most of the references stage's patterns look for something most footnotes do not have (an
//! ISBN, a DOI, a year in brackets, a chapter). The regex engine still pays per search for
//! setting up, for the lazy DFA's states and, for groups, for allocating them; over all the
//! footnotes of a dump that is a sixth of the stage. A [`Pattern`] names words of which every
//! match holds at least one, and answers "no match" without the engine when the text holds
//! none of them (one Aho-Corasick scan for all of them, with SIMD prefilters where the words allow).

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::{Captures, Match, Regex};

/// A regular expression, compiled on first use, with the words one of which each of its
/// matches contains.
pub(crate) struct Pattern {
    source: &'static str,
    /// Every match contains one of these; empty: no such words are known.
    needs: &'static [&'static str],
    /// The words are compared ignoring ASCII case only (for a `(?i)` pattern). They must then
    /// be free of `k` and `s`, which `(?i)` also matches by non-ASCII letters (`K` KELVIN
    /// SIGN, `ſ` LONG S) that an ASCII comparison would miss.
    ascii_case_insensitive: bool,
    regex: OnceLock<Regex>,
    words: OnceLock<AhoCorasick>,
}

impl Pattern {
    /// A pattern every match of which contains one of `needs`, as written.
    pub(crate) const fn new(source: &'static str, needs: &'static [&'static str]) -> Pattern {
        Pattern {
            source,
            needs,
            ascii_case_insensitive: false,
            regex: OnceLock::new(),
            words: OnceLock::new(),
        }
    }

    /// A pattern every match of which contains one of `needs` in any ASCII case.
    pub(crate) const fn new_ignoring_case(
        source: &'static str,
        needs: &'static [&'static str],
    ) -> Pattern {
        Pattern {
            source,
            needs,
            ascii_case_insensitive: true,
            regex: OnceLock::new(),
            words: OnceLock::new(),
        }
    }

    pub(crate) fn regex(&self) -> &Regex {
        self.regex
            .get_or_init(|| Regex::new(self.source).expect("a valid pattern"))
    }

    /// False when `text` cannot hold a match.
    pub(crate) fn may_match(&self, text: &str) -> bool {
        self.needs.is_empty()
            || self
                .words
                .get_or_init(|| {
                    AhoCorasick::builder()
                        .ascii_case_insensitive(self.ascii_case_insensitive)
                        .build(self.needs)
                        .expect("a few short words")
                })
                .is_match(text)
    }

    pub(crate) fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        self.may_match(text)
            .then(|| self.regex().captures(text))
            .flatten()
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.regex().is_match(text)
    }

    pub(crate) fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.may_match(text)
            .then(|| self.regex().find(text))
            .flatten()
    }

    pub(crate) fn replace_all<'t>(&self, text: &'t str, with: &str) -> Cow<'t, str> {
        if self.may_match(text) {
            self.regex().replace_all(text, with)
        } else {
            Cow::Borrowed(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pattern of the crate that names its words.
    fn all() -> [&'static Pattern; 15] {
        use crate::{date, footnote, freetext, urls};
        [
            &date::CJK,
            &footnote::CHAPTER_POINTER,
            &freetext::AUTHOR_YEAR_SHORT,
            &freetext::BARE_URL,
            &freetext::CJK_PLAIN,
            &freetext::DOI,
            &freetext::GBT_CODE,
            &freetext::ISBN,
            &freetext::ONCE_12,
            &freetext::PAGES,
            &freetext::PUBLISHER_CJK,
            &freetext::VOLUME,
            &freetext::VOL_ISSUE,
            &freetext::YEAR_PAREN,
            &urls::WAYBACK,
        ]
    }

    /// Pieces of the texts these patterns look for, in the spellings that test their words:
    /// other cases, full-width brackets, `ſ` for `s`.
    const PIECES: &[&str] = &[
        "ISBN",
        "isbn",
        "IſBN",
        "Isbn-13:",
        "978-7-",
        "0-19-2",
        "p.",
        "Pp.",
        "PAGES",
        "pg.",
        "頁",
        "页",
        "第",
        "章",
        "卷",
        "冊",
        "vol.",
        "Vol",
        "V.",
        "v.",
        "Volume",
        "10.",
        "1234",
        "1999",
        "2001",
        "doi:",
        "DOI：",
        "https://",
        "ftp://",
        "http://dx.doi.org/",
        "ARCHIVE.org/web/",
        "//web.",
        "20140101",
        "/",
        "(",
        ")",
        "（",
        "）",
        "年",
        "月",
        "日",
        "号",
        " ",
        ",",
        "，",
        "：",
        ":",
        "eds.",
        "ed.",
        "编",
        "編",
        "出版社",
        "書局",
        "文化",
        "北京",
        "Zhang",
        "Smith",
        "A",
        "x",
        "[M]",
        "[EB/OL]",
        "[J]",
        "三",
        "3",
        "12",
        ".",
    ];

    proptest! {
        /// A text the pattern matches always holds one of its words.
        #[test]
        fn words_are_in_every_match(pieces in proptest::collection::vec(0..PIECES.len(), 1..14)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            for pattern in all() {
                if pattern.regex().is_match(&text) {
                    prop_assert!(pattern.may_match(&text), "{} matches {text:?}", pattern.source);
                }
            }
        }
    }

    #[test]
    fn a_text_without_the_words_is_not_searched() {
        let pattern = Pattern::new(r"\d+章", &["章"]);
        assert!(pattern.find("第3章").is_some());
        assert!(pattern.find("第3节").is_none());
        assert!(
            pattern.regex.get().is_some(),
            "compiled by the first search"
        );
        let lazy = Pattern::new(r"\d+章", &["章"]);
        assert!(!lazy.is_match("第3节"));
        let any_case = Pattern::new_ignoring_case(r"(?i)doi:\d", &["doi:"]);
        assert!(any_case.is_match("DoI:7"));
        assert!(!any_case.may_match("D O I 7"));
        assert!(
            lazy.regex.get().is_none(),
            "a text without 章 never compiles it"
        );
    }
}
