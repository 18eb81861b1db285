//! Hand-written citations: the text of a footnote that is not a citation template, read into
//! CSL fields.
//!
//! Covers the styles zh.wikipedia's editors write by hand:
//!
//! | style | shape |
//! | --- | --- |
//! | GB/T 7714 | `作者. 题名[J]. 刊名, 年, 卷(期): 页码.` with a type code `[M] [J] [N] [EB/OL] [D] [C] …` |
//! | Chinese | `作者著，《书名》〈篇名〉，北京：出版社，1997年，第302页。` |
//! | APA, Harvard | `Family, G. (1998). "Title", Journal, 36(3), pp. 1–2.` |
//! | Chicago | `Given Family, ''Title'' (Place: Publisher, 1999), p. 1.` and `Family, Given. 1994. ''Title''. Place: Publisher.` |
//! | author–year short forms | `Alter 1994, 1`, `Kenny, ''Title'', p. 211`, `Forbes, 1909, pp. 147–150` |
//!
//! The reader's inlines are the input (so that the same code serves every format): emphasis
//! marks the titles of Latin-script citations, external links give URLs and their labels the
//! text. A field is left empty rather than guessed; the raw text stays in `custom.raw`.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Inline, LinkKind, Name, Reference};

use crate::pattern::Pattern;

/// Opens and closes an emphasized span in [`Flat::text`] (private-use characters, which never
/// occur in articles).
pub(crate) const EM_OPEN: char = '\u{E000}';
pub(crate) const EM_CLOSE: char = '\u{E001}';

/// A footnote's inlines as one line of text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Flat {
    /// The visible text, with emphasis marked by [`EM_OPEN`] and [`EM_CLOSE`].
    pub text: String,
    /// External links in order: URL and the byte range of their label in `text`.
    pub links: Vec<(String, std::ops::Range<usize>)>,
    /// Citations of other footnotes inside this one, mathematics: marks of an explanatory note.
    pub nested_cites: usize,
    pub math: usize,
}

impl Flat {
    pub(crate) fn of(inlines: &[Inline]) -> Flat {
        let mut flat = Flat::default();
        flat.push(inlines);
        let collapsed = collapse_spaces(&flat.text);
        if collapsed.len() != flat.text.len() {
            // Link ranges are found again in the collapsed text by their labels.
            let old = std::mem::take(&mut flat.text);
            let mut links = Vec::new();
            let mut from = 0;
            for (url, range) in std::mem::take(&mut flat.links) {
                let label = collapse_spaces(&old[range]);
                let label = label.trim();
                let (start, end) = match collapsed[from..].find(label) {
                    Some(i) => (from + i, from + i + label.len()),
                    None => (from, from),
                };
                links.push((url, start..end));
                from = end;
            }
            flat.links = links;
            flat.text = collapsed;
        }
        flat
    }

    fn push(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.text.push_str(text),
                Inline::Link {
                    kind: LinkKind::External,
                    target,
                    inlines,
                } => {
                    let start = self.text.len();
                    self.push(inlines);
                    self.links.push((target.clone(), start..self.text.len()));
                }
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => self.push(inlines),
                Inline::Emphasis { inlines } => {
                    self.text.push(EM_OPEN);
                    self.push(inlines);
                    self.text.push(EM_CLOSE);
                }
                Inline::Cite { .. } => self.nested_cites += 1,
                Inline::Math { tex } => {
                    self.math += 1;
                    self.text.push_str(tex);
                }
                Inline::Code { text } => self.text.push_str(text),
                Inline::LineBreak => self.text.push(' '),
                Inline::Conversion { rule } => {
                    if let Some(text) = &rule.text {
                        self.text.push_str(text);
                    } else if let Some(first) = rule.variants.first() {
                        self.text.push_str(&first.text);
                    }
                }
            }
        }
    }

    /// The text without emphasis marks.
    pub(crate) fn plain(&self) -> String {
        strip_marks(&self.text)
    }
}

/// The words of `text` joined by single spaces.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

pub(crate) fn strip_marks(text: &str) -> String {
    // Both marks start with the byte 0xEE (U+E000–U+EFFF), which articles hardly hold: most
    // texts are copied whole instead of character by character.
    if memchr::memchr(0xEE, text.as_bytes()).is_none() {
        return text.to_owned();
    }
    // The stretches between marks copied whole: collecting the other characters one by one
    // cost a footnote with emphasis about twenty instructions a character.
    let mut out = String::with_capacity(text.len());
    for stretch in text.split([EM_OPEN, EM_CLOSE]) {
        out.push_str(stretch);
    }
    out
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

/// True when capture `group` holds at most `max` characters: the bound of a repetition left
/// out of a pattern (see the note above [`CJK_PLAIN`]).
fn within(captures: &regex::Captures, group: usize, max: usize) -> bool {
    captures
        .get(group)
        .is_none_or(|m| m.as_str().chars().count() <= max)
}

pub(crate) static GBT_CODE: Pattern = Pattern::new(
    r"\[(M|J|N|C|D|R|S|P|G|Z|A|EB|DB|CP|DS)(?:/(OL|CD|MT|DK))?\]",
    &["["],
);
pub(crate) static YEAR_PAREN: Pattern =
    Pattern::new(r"[(（]\s*((?:1[4-9]|20)\d\d)[a-z]?\s*[)）]", &["(", "（"]);
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[^\d])((?:1[4-9]|20)\d\d)(?:[^\d]|$)"));
static CJK_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?"));
pub(crate) static PAGES: Pattern = Pattern::new_ignoring_case(
    r"(?i)(?:\bpp?\.|\bpages?|\bpg\.|頁|页)\s*((?:[0-9]+|[ivxlc]+)(?:\s*(?:[-–—－~～]|and|,)\s*(?:[0-9]+|[ivxlc]+))?)\b",
    &["p.", "page", "pg.", "頁", "页"],
);
static CJK_PAGES: LazyLock<Regex> =
    LazyLock::new(|| re(r"第\s*(\d+(?:\s*[-–—－~～至]\s*\d+)?)\s*[页頁]"));
pub(crate) static VOLUME: Pattern = Pattern::new(
    r"(?:\b(?:[Vv]ol\.|[Vv]\.|Volume|Vol)\s*([0-9]+|[IVXLC]+|One|Two|Three|Four|Five)\b|第\s*([0-9一二三四五六七八九十]+)\s*[卷冊册])",
    &["Vol", "vol", "v.", "V.", "卷", "冊", "册"],
);
static CJK_ISSUE: LazyLock<Regex> = LazyLock::new(|| re(r"第\s*(\d+)\s*期"));
pub(crate) static VOL_ISSUE: Pattern = Pattern::new(
    r"(?:^|[\s,，])(\d{1,4})\s*\((\d{1,4}(?:[-–]\d{1,4})?)\)",
    &["("],
);
// `bn`, not `isbn`: `(?i)` lets `ſ` (LONG S) stand for the `s`.
pub(crate) static ISBN: Pattern = Pattern::new_ignoring_case(
    r"(?i)ISBN(?:-1[03])?[:：]?\s*((?:97[89][-\s]?)?\d[\d\s-]{7,15}[\dX])",
    &["bn"],
);
pub(crate) static DOI: Pattern = Pattern::new(
    r#"(?i)(?:doi[:：]\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s"<>，。]+[^\s"<>，。.,;])"#,
    &["10."],
);
pub(crate) static BARE_URL: Pattern = Pattern::new(
    r"(?:https?|ftp)://[^\s<>\[\]{}|）」』，。]+[^\s<>\[\]{}|）」』.,;:!?。，、]",
    &["://"],
);
// `出版` stands for its longer forms.
pub(crate) static PUBLISHER_CJK: Pattern = Pattern::new(
    r"(?:([\p{Han}]{2,6})\s*[：:]\s*)?([\p{Han}A-Za-z]{2,20}?(?:出版社|出版公司|出版集团|印书馆|印書館|书局|書局|书店|書店|出版|文化|學院|学院))",
    &[
        "出版",
        "印书馆",
        "印書館",
        "书局",
        "書局",
        "书店",
        "書店",
        "文化",
        "學院",
        "学院",
    ],
);
/// `Place: Publisher`, whole; see [`place_publisher`] for the bound on the place's name.
static PLACE_PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([A-Z]([\w .'-]+?)(?:, [A-Z][\w.]*)?)\s*:\s*([^:]{2,80})$"));
pub(crate) static AUTHOR_YEAR_SHORT: Pattern = Pattern::new(
    r"^(\p{Lu}[\p{L}'’-]+(?:(?:\s+(?:and|&)\s+|,\s*|\s+et al\.?)\p{Lu}?[\p{L}'’.-]*)*?)[,，]?\s+[(（]?((?:1[4-9]|20)\d\d)[a-z]?[)）]?(?:\s*[,，:：]\s*(.*))?$",
    &["1", "2"],
);
// Length bounds on a repeated character class are checked in code where the class is large
// (`[^,]`, `.`, `\w`, `[^\s]`): `{3,120}` compiles to 120 copies of it, millions of
// instructions per pattern when the process starts. Each such group is delimited by what
// follows it, or is lazy, so the unbounded pattern's match is the bounded one's whenever the
// group is within the bound, and the bounded pattern has none when it is not ([`within`]).
pub(crate) static CJK_PLAIN: Pattern = Pattern::new(
    r"^(\p{Han}{2,4})[\s\u{3000}]+(\p{Han}[^\s]+)\s+(\d{4})\s*年(?:\s*(第\s*\d+\s*版))?\s*[.。]?$",
    &["年"],
);
static FAMILY_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(\p{Lu}[\p{L}'’-]+(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'’-]+)?),\s+([^,]{3,}),\s+(?:vol\.|pp?\.|pages?|ch\.|chapter)",
    )
});
static LEADING_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?i:see also|see|cf\.|e\.g\.,?|quoted in|also|ibid\.?,?)\s+|^(?:參見|参见|參看|参看|見|见|引自|转引自|轉引自|详见|詳見|出自)[：:]?\s*",
    )
});
static ROLE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s*(?:[(（]\s*(?:eds?\.?|编|編|主编|主編)\s*[)）]|,?\s*eds?\.|等?(?:主编|主編|编著|編著|编|編|著|撰|原著|编撰|編撰|等著))\s*$",
    )
});
static CJK_AUTHOR_ROLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:主编|主編|编著|編著|编|編|著|撰|等著|等)\s*$"));

// Patterns used in one place each, compiled once.
static PLACE_COLON_PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[.,]\s*)([A-Z][A-Za-z .]{2,30}):\s*([A-Z][^.,:]{2,60})"));
static PLACE_BEFORE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[.,]\s*)([A-Z][A-Za-z .]{2,30})\s*\((?:1[4-9]|20)\d\d\)"));
static AUTHOR_YEAR_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(.{2,}?)[.,]?\s*[(（]?((?:1[4-9]|20)\d\d)[a-z]?[)）]?\s*[.,:]\s+(.+)$"));
static ONCE_1: LazyLock<Regex> = LazyLock::new(|| re(r"(\d+)?\s*\((\d+)\)"));
static ONCE_2: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{4})-(\d{1,2})-(\d{1,2})"));
static ONCE_3: LazyLock<Regex> = LazyLock::new(|| re(r"[(（](\d+)[)）]"));
static ONCE_4: LazyLock<Regex> = LazyLock::new(|| re(r"[(（](\d{4}-\d{1,2}-\d{1,2})[)）]"));
static ONCE_5: LazyLock<Regex> = LazyLock::new(|| re(r"[(（]作者[：:]([^)）]+)[)）]"));
static ONCE_6: LazyLock<Regex> =
    LazyLock::new(|| re(r"^第[0-9一二三四五六七八九十百]+[章节節篇卷回]\s*[，,：:]?\s*"));
static ONCE_7: LazyLock<Regex> = LazyLock::new(|| re(r"[(（]([^()（）]{3,})[)）]"));
static ONCE_8: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*?)\s+(\d+)$"));
static ONCE_9: LazyLock<Regex> = LazyLock::new(|| re(r"\)\s*[,:]\s*(\d+\s*[-–]\s*\d+)"));
static ONCE_10: LazyLock<Regex> =
    LazyLock::new(|| re(r"([A-Z][A-Za-z .,]{1,40}):\s*([^.:]{2,60})"));
static ONCE_11: LazyLock<Regex> = LazyLock::new(|| re(r"^([A-Z][A-Za-z. ]+?)\s+(\d+)\s+(\d+)$"));
pub(crate) static ONCE_12: Pattern =
    Pattern::new(r"[(（]\s*(?:eds?\.?|编|編)\s*[)）]", &["(", "（"]);
static ONCE_13: LazyLock<Regex> =
    LazyLock::new(|| re(r"^第\s*([0-9一二三四五六七八九十百]+)\s*[章]"));
static ONCE_14: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:ch(?:apter|ap)?\.?)\s*(\S+)"));
static ONCE_15: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:§|sec(?:tion|t)?\.?)\s*(\S+)"));
static ONCE_16: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^((?:[0-9]+|[ivxlc]+)(?:\s*[-–—－]\s*(?:[0-9]+|[ivxlc]+))?)$"));

/// What [`parse`] found.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub authors: Vec<Name>,
    pub editors: Vec<Name>,
    pub title: Option<String>,
    pub container: Option<String>,
    pub year: Option<String>,
    pub date: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub edition: Option<String>,
    pub isbn: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub kind: Option<&'static str>,
    /// True when the text says where the source was published (publisher, place, container or
    /// a date), so that it is a full citation rather than a short form.
    pub has_publication: bool,
}

impl Parsed {
    /// Copies what was found into `record`.
    pub(crate) fn fill(self, record: &mut Reference) {
        record.kind = self.kind.unwrap_or("document").to_owned();
        record.author = self.authors;
        record.editor = self.editors;
        record.title = self.title;
        record.container_title = self.container;
        record.issued = self.date.or(self.year);
        record.volume = self.volume;
        record.issue = self.issue;
        record.page = self.pages;
        record.publisher = self.publisher;
        record.isbn = self.isbn;
        record.doi = self.doi;
        if record.url.is_none() {
            record.url = self.url;
        }
        if let Some(place) = self.place {
            record
                .custom
                .extra
                .insert("publisher-place".to_owned(), place);
        }
        if let Some(edition) = self.edition {
            record.custom.extra.insert("edition".to_owned(), edition);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Trims spaces and the punctuation that separates citation parts.
fn trim_parts(text: &str) -> &str {
    text.trim_matches(|c: char| {
        c.is_whitespace() || ".,;:，。；：、/=".contains(c) || c == EM_OPEN || c == EM_CLOSE
    })
}

fn some(text: &str) -> Option<String> {
    let text = trim_parts(text);
    (!text.is_empty()).then(|| text.to_owned())
}

/// Reads one hand-written citation.
pub(crate) fn parse(flat: &Flat) -> Parsed {
    let text = flat.text.as_str();
    let mut parsed = Parsed {
        url: flat
            .links
            .first()
            .map(|(url, _)| url.clone())
            .or_else(|| BARE_URL.find(text).map(|m| m.as_str().to_owned())),
        ..Parsed::default()
    };
    parsed.isbn = ISBN
        .captures(text)
        .map(|c| c[1].split_whitespace().collect::<Vec<_>>().join(""));
    parsed.doi = DOI.captures(text).map(|c| c[1].to_owned());
    if let Some(code) = GBT_CODE.find(text) {
        gbt(text, code.start(), code.end(), &mut parsed);
    } else if text.contains(['《', '〈']) {
        chinese(flat, &mut parsed);
    } else if let Some(c) = CJK_PLAIN.captures(text).filter(|c| within(c, 2, 41)) {
        // `周星　民族學新論 1992年 第1版`: name, title and year parted by spaces.
        parsed.authors = split_authors(&c[1]);
        parsed.title = Some(c[2].to_owned());
        parsed.year = Some(c[3].to_owned());
        parsed.edition = c.get(4).map(|m| m.as_str().to_owned());
    } else if latin_script(text) || text.contains(EM_OPEN) {
        latin(flat, &mut parsed);
    }
    if parsed.kind.is_none() {
        parsed.kind = Some(if parsed.container.is_some() && is_journal(&parsed) {
            "article-journal"
        } else if parsed.container.is_some() {
            "chapter"
        } else if parsed.url.is_some() && parsed.publisher.is_none() && parsed.isbn.is_none() {
            "webpage"
        } else if parsed.title.is_some() {
            "book"
        } else {
            "document"
        });
    }
    parsed.has_publication |= parsed.publisher.is_some()
        || parsed.place.is_some()
        || parsed.container.is_some()
        || parsed.isbn.is_some()
        || parsed.doi.is_some()
        || parsed.year.is_some();
    parsed
}

/// More Latin letters than CJK characters: quotation marks then mark titles, not quotations.
fn latin_script(text: &str) -> bool {
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    latin > cjk
}

fn is_journal(parsed: &Parsed) -> bool {
    let container = parsed.container.as_deref().unwrap_or_default();
    parsed.issue.is_some()
        || [
            "学报",
            "學報",
            "学刊",
            "學刊",
            "期刊",
            "杂志",
            "雜誌",
            "Journal",
            "Review",
            "Rev.",
            "Phys",
            "Physics",
            "Quarterly",
            "季刊",
            "研究",
        ]
        .iter()
        .any(|w| container.contains(w))
}

/// GB/T 7714: `作者. 题名[J]. 刊名, 年, 卷(期): 页码.`
fn gbt(text: &str, code_start: usize, code_end: usize, parsed: &mut Parsed) {
    let code = &text[code_start + 1..code_end - 1];
    let main = code.split('/').next().unwrap_or(code);
    let plain_before = strip_marks(&text[..code_start]);
    // Authors end at the first `. ` (or `．`), the title runs to the type code.
    let split = plain_before
        .char_indices()
        .find(|&(i, c)| {
            (c == '.' && plain_before[i + 1..].starts_with(' '))
                || c == '．'
                || (c == '.' && plain_before[i + 1..].starts_with(|n: char| is_cjk(n)))
        })
        .map(|(i, c)| (i, i + c.len_utf8()));
    let (authors, title) = match split {
        Some((a, b)) => (&plain_before[..a], &plain_before[b..]),
        None => ("", plain_before.as_str()),
    };
    parsed.authors = split_authors(authors);
    parsed.title = some(title);
    let after = strip_marks(&text[code_end..]);
    // `[C]//会议录.`: the work a contribution is in (the slashes are not separators).
    let in_work = after.trim_start().starts_with("//");
    let after = trim_parts(&after).to_owned();
    parsed.kind = Some(match main {
        "J" => "article-journal",
        "N" => "article-newspaper",
        "M" => "book",
        "C" | "A" => "paper-conference",
        "D" => "thesis",
        "R" => "report",
        "P" => "patent",
        "S" => "standard",
        "EB" | "DB" | "CP" => "webpage",
        _ => "document",
    });
    if let Some(c) = CJK_DATE.captures(&after) {
        parsed.year = Some(c[1].to_owned());
    }
    match main {
        "J" => {
            // 刊名, 年, 卷(期): 页码
            let parts: Vec<&str> = after.splitn(2, [',', '，']).collect();
            parsed.container = parts.first().and_then(|p| some(p));
            let rest = parts.get(1).copied().unwrap_or_default();
            if let Some(c) = YEAR.captures(rest) {
                parsed.year = Some(c[1].to_owned());
            }
            let volume_issue = &*ONCE_1;
            if let Some(c) = volume_issue.captures(rest) {
                parsed.volume = c.get(1).map(|m| m.as_str().to_owned());
                parsed.issue = Some(c[2].to_owned());
            }
            if let Some((_, pages)) = rest.rsplit_once([':', '：']) {
                parsed.pages = some(pages);
            }
        }
        "N" => {
            // 报纸名, 出版日期(版次).
            let parts: Vec<&str> = after.splitn(2, [',', '，']).collect();
            parsed.container = parts.first().and_then(|p| some(p));
            let rest = parts.get(1).copied().unwrap_or_default();
            let date = &*ONCE_2;
            if let Some(c) = date.captures(rest) {
                parsed.date = Some(c[0].to_owned());
                parsed.year = Some(c[1].to_owned());
            }
            if let Some(c) = ONCE_3.captures(rest) {
                parsed.pages = Some(c[1].to_owned());
            }
        }
        "EB" | "DB" | "CP" => {
            // (更新日期)[引用日期]. URL
            if let Some(c) = ONCE_4.captures(&after) {
                parsed.date = Some(c[1].to_owned());
                parsed.year = Some(c[1][..4].to_owned());
            }
            let head = after.split(['(', '（', '[']).next().unwrap_or_default();
            if let Some((place, publisher)) = head.split_once([':', '：']) {
                parsed.place = some(place);
                parsed.publisher = some(publisher.split([',', '，']).next().unwrap_or_default());
            }
            if parsed.url.is_none() {
                parsed.url = BARE_URL.find(&after).map(|m| m.as_str().to_owned());
            }
        }
        _ => {
            // [//会议录.] 出版地: 出版者, 年: 页码
            let mut rest = after.as_str();
            if in_work {
                // `//主要责任者. 会议录. 出版地: 出版者, 年: 页码`: the segment before the
                // place is the work.
                let segments: Vec<&str> = rest.split(['.', '．']).collect();
                let place_at = segments
                    .iter()
                    .position(|p| p.contains([':', '：']))
                    .unwrap_or(segments.len());
                if place_at > 0 {
                    parsed.container = some(segments[place_at - 1]);
                    let consumed: usize = segments[..place_at].iter().map(|p| p.len() + 1).sum();
                    rest = rest.get(consumed.min(rest.len())..).unwrap_or_default();
                }
            }
            if let Some((place, tail)) = rest.split_once([':', '：']) {
                parsed.place = some(place);
                let publisher = tail.split([',', '，']).next().unwrap_or_default();
                parsed.publisher = some(publisher);
                if let Some((_, pages)) = tail.split_once([':', '：']) {
                    parsed.pages = some(pages);
                }
            }
            if let Some(c) = YEAR.captures(rest) {
                parsed.year = Some(c[1].to_owned());
            }
        }
    }
    parsed.has_publication = true;
}

/// Chinese styles: `作者著，《书名》〈篇名〉，地：出版社，1997年，第302页。`
fn chinese(flat: &Flat, parsed: &mut Parsed) {
    let text = strip_marks(&flat.text);
    let open = text.find(['《', '〈']).unwrap_or(0);
    // Titles: the first `《…》` (or `〈…〉`), then any that follow it directly.
    let mut titles: Vec<(char, String, usize)> = Vec::new();
    let mut rest_at = open;
    let mut at = open;
    while let Some(start) = text[at..].find(['《', '〈']).map(|i| at + i) {
        let opener = text[start..].chars().next().unwrap_or('《');
        let closer = if opener == '《' { '》' } else { '〉' };
        let Some(len) = text[start..].find(closer) else {
            break;
        };
        let inner = &text[start + opener.len_utf8()..start + len];
        let end = start + len + closer.len_utf8();
        let gap = trim_parts(&text[rest_at..start]);
        if !titles.is_empty()
            && !gap.is_empty()
            && ![
                "出自",
                "载",
                "載",
                "见",
                "見",
                "收入",
                "收录於",
                "收录于",
                "刊於",
                "刊于",
            ]
            .iter()
            .any(|w| gap.ends_with(w))
        {
            break;
        }
        if !titles.is_empty() && !gap.is_empty() {
            // `《篇》，出自《刊》`: the second title is where the first was published.
            titles.push(('@', inner.to_owned(), end));
        } else {
            titles.push((opener, inner.to_owned(), end));
        }
        rest_at = end;
        at = end;
    }
    let mut before = &text[..open];
    // `定义（摘自《…》`: what precedes a `摘自`, `见` or an opening bracket is not the author.
    for marker in [
        "摘自", "出自", "引自", "參見", "参见", "見", "见", "（", "(",
    ] {
        if let Some(at) = before.rfind(marker) {
            before = &before[at + marker.len()..];
        }
    }
    let before = LEADING_WORDS.replace(before.trim(), "");
    // `柯林武德著，何兆武、张文杰译，`: translators are not authors.
    let authors: Vec<&str> = before
        .split(['，', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.ends_with('译') && !p.ends_with('譯'))
        .collect();
    if let Some(first) = authors.first() {
        let name = CJK_AUTHOR_ROLE.replace(first, "");
        let name = name.trim_end_matches(['：', ':']).trim();
        if !name.is_empty() && name.chars().count() <= 30 {
            parsed.authors = split_authors(name);
        }
    }
    match titles.as_slice() {
        [] => {}
        [(_, only, _)] => split_dotted(only, parsed),
        [(_, first, _), (marker, second, _), ..] if *marker == '@' => {
            parsed.title = some(first);
            parsed.container = some(second);
        }
        [(_, first, _), .., (_, last, _)] => {
            parsed.container = some(first.split(['·', '‧']).next().unwrap_or(first));
            parsed.title = some(&chapter_title(last));
        }
    }
    let after = &text[rest_at.min(text.len())..];
    // Authors written after the title: `（作者：芝加哥大学东亚研究所，谭中）`.
    if parsed.authors.is_empty() {
        if let Some(c) = ONCE_5.captures(after) {
            let last = c[1].rsplit(['，', ',']).next().unwrap_or_default();
            parsed.authors = split_authors(last);
        }
    }
    if let Some(c) = CJK_DATE.captures(after) {
        parsed.year = Some(c[1].to_owned());
    } else if let Some(c) = YEAR.captures(after) {
        parsed.year = Some(c[1].to_owned());
    }
    if let Some(c) = CJK_PAGES.captures(after).or_else(|| PAGES.captures(after)) {
        parsed.pages = Some(c[1].to_owned());
    }
    if let Some(c) = VOLUME.captures(after) {
        parsed.volume = c.get(1).or(c.get(2)).map(|m| m.as_str().to_owned());
    }
    if let Some(c) = CJK_ISSUE.captures(after) {
        parsed.issue = Some(c[1].to_owned());
    }
    if let Some(c) = PUBLISHER_CJK.captures(after) {
        parsed.place = c.get(1).map(|m| m.as_str().to_owned());
        parsed.publisher = Some(c[2].to_owned());
    }
    // `，河北学刊，2004年`: a container named between the title and the date.
    if parsed.container.is_none() && parsed.publisher.is_none() {
        let first = after
            .split(['，', ','])
            .map(trim_parts)
            .find(|p| !p.is_empty());
        if let Some(part) = first {
            let named = [
                "学刊", "學刊", "学报", "學報", "杂志", "雜誌", "日报", "日報", "报", "報",
            ]
            .iter()
            .any(|w| part.ends_with(w));
            if named && part.chars().count() <= 20 {
                parsed.container = Some(part.to_owned());
            }
        }
    }
    if parsed.kind.is_none() && parsed.container.is_some() && !is_journal(parsed) {
        parsed.kind = Some("chapter");
    }
    // A work named in 《》 is cited in full: Chinese short forms are pointers, read apart.
    parsed.has_publication |= parsed.title.is_some();
}

/// `三國志·吴书·吴主传` names a part of a book: the book and the part.
fn split_dotted(title: &str, parsed: &mut Parsed) {
    match title.split_once(['·', '‧']) {
        Some((book, rest)) if !book.is_empty() && !rest.is_empty() && title.chars().count() > 4 => {
            let last = rest.rsplit(['·', '‧']).next().unwrap_or(rest);
            parsed.container = some(book);
            parsed.title = some(&chapter_title(last));
        }
        _ => parsed.title = some(title),
    }
}

/// `第十三章 欧美史学史概述` → `欧美史学史概述`.
fn chapter_title(text: &str) -> String {
    let chapter = &*ONCE_6;
    let stripped = chapter.replace(text.trim(), "");
    if stripped.trim().is_empty() {
        text.trim().to_owned()
    } else {
        stripped.trim().to_owned()
    }
}

/// Latin-script citations (APA, Chicago, Harvard and their loose kin).
fn latin(flat: &Flat, parsed: &mut Parsed) {
    let text = flat.text.as_str();
    let text = LEADING_WORDS.replace(text, "");
    let text = text.as_ref();
    // The title: an emphasized span, or a quoted one; a quoted title followed by an emphasized
    // one is a chapter or article in that work.
    let quoted = find_quoted(text);
    let emphasized = find_emphasized(text);
    // Link ranges are offsets in `flat.text`; `text` lost a prefix (`See `).
    let shift = flat.text.len() - text.len();
    let link_label = flat
        .links
        .first()
        .map(|(_, r)| r.start.saturating_sub(shift)..r.end.saturating_sub(shift))
        .filter(|r| {
            text.get(r.clone())
                .is_some_and(|label| label.chars().any(char::is_alphabetic))
        });
    let title_link = link_label.clone().filter(|r| {
        let label = text.get(r.clone()).unwrap_or_default();
        label.split_whitespace().count() > 1 && !PAGES.is_match(label)
    });
    let (title_range, container_range) = match (quoted.clone(), emphasized.clone()) {
        // `Author, [url Title], ''Journal''`: the link names the article.
        (None, Some(e)) if title_link.as_ref().is_some_and(|l| l.end <= e.start) => {
            (title_link.clone(), Some(e))
        }
        (Some(q), Some(e)) if q.start < e.start => (Some(q), Some(e)),
        // A quotation after the title is a quotation from the source.
        (Some(_), Some(e)) => (Some(e), None),
        (Some(q), None) if is_quotation(text, &q) => (None, None),
        (Some(q), None) => (Some(q), None),
        (None, Some(e)) => (Some(e), None),
        (None, None) => (None, None),
    };
    let title_range = title_range.or_else(|| {
        // `Author. [url Title]`: a link whose label is words, not a page number.
        link_label.filter(|r| {
            let label = &text.get(r.clone()).unwrap_or_default();
            label.split_whitespace().count() > 1 && !PAGES.is_match(label)
        })
    });
    let (head, tail) = match &title_range {
        Some(r) => (&text[..r.start], &text[r.end.min(text.len())..]),
        None => ("", text),
    };
    if let Some(r) = &title_range {
        parsed.title = some(&strip_marks(&unquote(&text[r.clone()])));
    }
    if let Some(r) = container_range {
        let container = strip_marks(&text[r]);
        parsed.container = some(&container);
        let between = &text[title_range.as_ref().map_or(0, |t| t.end)..];
        if between
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .starts_with("in ")
        {
            parsed.kind = Some("chapter");
        }
    }
    let head = strip_marks(head);
    let tail = strip_marks(tail);
    // Year: `(1998)` after the authors, else the last plausible year of the text.
    let year = YEAR_PAREN
        .captures(&head)
        .or_else(|| YEAR_PAREN.captures(&tail))
        .or_else(|| YEAR.captures(&tail))
        .or_else(|| YEAR.captures(&head))
        .map(|c| c[1].to_owned());
    parsed.year = year;
    let ibid = || {
        ["ibid", "Ibid", "同上", "op. cit"]
            .iter()
            .find_map(|w| text.find(w))
    };
    let authors_text = if title_range.is_some() {
        head.clone()
    } else if let Some(at) = ibid() {
        // `Copleston, ''ibid.'': …`: the work cited just before.
        strip_marks(&text[..at])
    } else {
        // No marked title: `Family, Given. 1994. Title. Place: Publisher.` or `Family, G. (1998). Title.`
        untitled_latin(&tail, parsed)
    };
    let (authors, editors_in_author_place) = latin_authors(&authors_text);
    if editors_in_author_place {
        parsed.editors = authors.clone();
    }
    parsed.authors = authors;
    // `in Name and Name (eds.), ''Book''`: the work the chapter is in.
    if let Some((_, editors)) = head.split_once(" in ") {
        let (names, _) = latin_authors(editors);
        if !names.is_empty() {
            parsed.editors = names;
            if parsed.container.is_none() {
                parsed.container = parsed.title.take();
                parsed.kind = Some("chapter");
            }
        }
    }
    if parsed.title.is_none() {
        return;
    }
    let tail_plain = tail.as_str();
    if let Some(c) = PAGES.captures(tail_plain) {
        parsed.pages = Some(c[1].to_owned());
    }
    if let Some(c) = VOLUME
        .captures(tail_plain)
        .or_else(|| VOLUME.captures(&head))
    {
        parsed.volume = c.get(1).or(c.get(2)).map(|m| m.as_str().to_owned());
    }
    // `(Place: Publisher, 1999)` or `（Publisher, 1999, pages 1–2）`.
    let paren = &*ONCE_7;
    for c in paren.captures_iter(tail_plain) {
        if !within(&c, 1, 120) {
            continue;
        }
        let inner = c[1].trim();
        if !YEAR.is_match(inner) || inner.starts_with("from ") {
            continue;
        }
        let before_year = YEAR.find(inner).map_or(inner, |m| &inner[..m.start()]);
        let before_year = trim_parts(before_year);
        if before_year.is_empty() {
            // `New York (1972)`: the place stands before the year.
            let head_of_paren = trim_parts(&tail_plain[..c.get(0).map_or(0, |m| m.start())]);
            let place = head_of_paren
                .rsplit([',', '，'])
                .next()
                .unwrap_or_default()
                .trim();
            if looks_like_place(place) {
                parsed.place = Some(place.to_owned());
            }
        } else if let Some((place, publisher)) = place_publisher(before_year) {
            parsed.place = Some(place.trim().to_owned());
            parsed.publisher = some(publisher);
        } else {
            parsed.publisher = some(before_year);
        }
        break;
    }
    // `Journal of Economic Literature, 36(3), pp. 1465–1495` after a quoted title.
    let after_title = trim_parts(tail_plain);
    if parsed.container.is_none() && quoted.is_some() && emphasized.is_none() {
        if let Some(first) = after_title.split([',', '，']).next() {
            let first = trim_parts(first);
            let words = first.split_whitespace().count();
            // `Richmond : Curzon Press` names a publisher; `The New Palgrave: A Dictionary`
            // a work with a subtitle.
            let found = place_publisher(first.trim())
                .filter(|(place, _)| looks_like_place(place.trim()) && !place.starts_with("The "));
            let place_and_publisher = found.is_some();
            if let Some((place, publisher)) = found {
                parsed.place.get_or_insert_with(|| place.trim().to_owned());
                parsed
                    .publisher
                    .get_or_insert_with(|| publisher.trim().to_owned());
            }
            if !place_and_publisher
                && (1..=12).contains(&words)
                && first.starts_with(|c: char| c.is_uppercase())
                && !YEAR.is_match(first)
                && !VOLUME.is_match(first)
                && !PAGES.is_match(first)
            {
                // `Phys. Rev. A 85, 062116 (2012)`: the volume follows the journal's name.
                // Only a name that ends in a digit can end in a volume.
                let volume_after = first
                    .ends_with(|c: char| c.is_numeric())
                    .then(|| ONCE_8.captures(first))
                    .flatten();
                match volume_after {
                    Some(c) => {
                        parsed.container = some(&c[1]);
                        parsed.volume.get_or_insert_with(|| c[2].to_owned());
                        if parsed.pages.is_none() {
                            let rest = after_title
                                .find(first)
                                .and_then(|i| after_title.get(i + first.len()..))
                                .unwrap_or_default()
                                .trim_start_matches([',', ' ']);
                            let page = rest.split([',', ' ', '(']).next().unwrap_or_default();
                            if page.chars().all(|c| c.is_ascii_digit() || "–-".contains(c)) {
                                parsed.pages = some(page);
                            }
                        }
                    }
                    None => parsed.container = Some(first.to_owned()),
                }
            }
        }
    }
    if let Some(c) = VOL_ISSUE.captures(tail_plain) {
        parsed.volume.get_or_insert_with(|| c[1].to_owned());
        parsed.issue.get_or_insert_with(|| c[2].to_owned());
    }
    if parsed.pages.is_none() {
        // `36(3), 1465–1495` in a journal citation.
        if let Some(c) = ONCE_9.captures(tail_plain) {
            parsed.pages = Some(c[1].to_owned());
        }
    }
    if parsed.place.is_none() && parsed.publisher.is_none() {
        // `, New York (1972)` / `. London: Verso.`
        if let Some(c) = PLACE_COLON_PUBLISHER.captures(tail_plain) {
            parsed.place = Some(c[1].trim().to_owned());
            parsed.publisher = Some(c[2].trim().to_owned());
        } else if let Some(c) = PLACE_BEFORE_YEAR.captures(tail_plain) {
            parsed.place = Some(c[1].trim().to_owned());
        }
    }
}

/// `Richmond : Curzon Press` → the place (with `, State` when written) and the publisher.
///
/// The place's name runs to at most 40 characters after its capital. That bound is checked
/// here rather than written `{1,40}?` in the pattern: a bounded repetition of `\w` compiles
/// to forty copies of Unicode's word class, which took about 100 M instructions, more than the
/// references stage spends on all the citations of a 5 MB dump. The same pattern with `+?`
/// finds the shortest name that lets the rest match, so its match is the bounded pattern's
/// whenever the name is within the bound, and there is none when it is not.
fn place_publisher(text: &str) -> Option<(&str, &str)> {
    let c = PLACE_PUBLISHER.captures(text)?;
    let (place, name, publisher) = (c.get(1)?, c.get(2)?, c.get(3)?);
    (name.as_str().chars().count() <= 40).then(|| (place.as_str(), publisher.as_str()))
}

fn looks_like_place(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=3).contains(&words)
        && text.starts_with(|c: char| c.is_uppercase())
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// A Latin citation without a marked title; returns the authors' text and fills the rest.
fn untitled_latin(text: &str, parsed: &mut Parsed) -> String {
    // `Nadler, A Companion to Early Modern Philosophy, p. 3.`
    if let Some(c) = FAMILY_TITLE.captures(text).filter(|c| within(c, 2, 120)) {
        parsed.title = some(&c[2]);
        let after = &text[c.get(2).map_or(0, |m| m.end())..];
        if let Some(p) = PAGES.captures(after) {
            parsed.pages = Some(p[1].to_owned());
        }
        if let Some(v) = VOLUME.captures(after) {
            parsed.volume = v.get(1).or(v.get(2)).map(|m| m.as_str().to_owned());
        }
        return c[1].to_owned();
    }
    // `Family, Given (1998). Title. …` / `Family, Given. 1998. Title. Place: Publisher.`
    // Most texts do not have this shape: the search for a match alone is several times
    // cheaper than the one for its groups, which this pattern's lazy groups make slow.
    let author_year = AUTHOR_YEAR_TITLE
        .is_match(text)
        .then(|| AUTHOR_YEAR_TITLE.captures(text))
        .flatten();
    if let Some(c) = author_year.filter(|c| within(c, 1, 120)) {
        let rest = &c[3];
        let title = rest.split(". ").next().unwrap_or(rest);
        parsed.title = some(title);
        let after = rest.get(title.len()..).unwrap_or_default();
        if let Some(c2) = PAGES.captures(after) {
            parsed.pages = Some(c2[1].to_owned());
        }
        if let Some(c2) = ONCE_10.captures(after) {
            parsed.place = Some(c2[1].trim().to_owned());
            parsed.publisher = Some(c2[2].trim().to_owned());
        }
        return c[1].to_owned();
    }
    // `Bell, John. On the … Paradox, Physics 1 3, 195-200, Nov. 1964`
    let sentences: Vec<&str> = text.split(". ").collect();
    if sentences.len() >= 2 {
        let first = sentences[0];
        if latin_authors(first).0.len() == 1 && first.contains(',') {
            let rest = text[first.len() + 2..].to_owned();
            let parts: Vec<&str> = rest.split(", ").collect();
            parsed.title = parts.first().and_then(|p| some(p));
            if let Some(second) = parts.get(1) {
                let journal = &*ONCE_11;
                if let Some(c) = journal.captures(second.trim()) {
                    parsed.container = Some(c[1].to_owned());
                    parsed.volume = Some(c[2].to_owned());
                    parsed.issue = Some(c[3].to_owned());
                    parsed.kind = Some("article-journal");
                }
            }
            if let Some(third) = parts.get(2) {
                let third = third.trim();
                if third
                    .chars()
                    .all(|c| c.is_ascii_digit() || "-–".contains(c))
                {
                    parsed.pages = Some(third.to_owned());
                }
            }
            if let Some(c) = YEAR.captures(&rest) {
                parsed.year = Some(c[1].to_owned());
            }
            return first.to_owned();
        }
    }
    String::new()
}

/// A quoted span that quotes the source (after a colon, or a sentence long) rather than
/// naming a title.
fn is_quotation(text: &str, range: &std::ops::Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let inner = &text[range.clone()];
    before.ends_with([':', '：'])
        && !before.is_empty()
        && range.start > 0
        && inner.split_whitespace().count() > 6
        || inner.split_whitespace().count() > 18
}

/// A span in `"…"` or `“…”` (not inside emphasis).
fn find_quoted(text: &str) -> Option<std::ops::Range<usize>> {
    for (open, close) in [('"', '"'), ('“', '”'), ('「', '」')] {
        if let Some(start) = text.find(open) {
            let from = start + open.len_utf8();
            if let Some(len) = text[from..].find(close) {
                let inner = &text[from..from + len];
                if inner.trim().len() > 1 && inner.split_whitespace().count() <= 30 {
                    return Some(start..from + len + close.len_utf8());
                }
            }
        }
    }
    None
}

fn find_emphasized(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find(EM_OPEN)?;
    let len = text[start..].find(EM_CLOSE)?;
    let inner = &text[start + EM_OPEN.len_utf8()..start + len];
    (!trim_parts(inner).is_empty() && !is_ibid(inner))
        .then(|| start..start + len + EM_CLOSE.len_utf8())
}

fn is_ibid(text: &str) -> bool {
    let t = trim_parts(text).to_lowercase();
    t == "ibid" || t == "ibid." || t == "op. cit" || t == "同上"
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('「', '」')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|x| x.strip_suffix(close)) {
            return inner.trim().to_owned();
        }
    }
    t.to_owned()
}

/// Names of Latin-script authors before a title; true when they are marked as editors.
pub(crate) fn latin_authors(text: &str) -> (Vec<Name>, bool) {
    let text = LEADING_WORDS.replace(text.trim(), "");
    let text = text.split(" in ").next().unwrap_or_default();
    let text = YEAR_PAREN.replace_all(text, "");
    // `Alter, Peter. 1994.`: the year after the names is not part of them.
    let text = match YEAR.find(&text) {
        Some(m) if m.start() > 0 => text[..m.start()].to_owned(),
        _ => text.into_owned(),
    };
    let editors = ROLE_SUFFIX.is_match(text.trim())
        || text.contains("(eds")
        || text.contains("（eds")
        || text.contains("(ed.");
    let text = ONCE_12.replace_all(&text, "");
    let text = ROLE_SUFFIX.replace(text.trim(), "");
    let text = trim_parts(&text).to_owned();
    if text.is_empty() || text.chars().count() > 150 {
        return (Vec::new(), editors);
    }
    (split_authors(&text), editors)
}

/// Splits an author list: `A and B`, `A, B, and C`, `A & B`, `A；B`, `甲、乙`; `Family, Given`
/// (one inverted name) stays one name.
pub(crate) fn split_authors(text: &str) -> Vec<Name> {
    let text = trim_parts(text);
    if text.is_empty() {
        return Vec::new();
    }
    // Most lists have one name or none of these separators: no copies then.
    let separated = text.contains(" and ")
        || text.contains(" & ")
        || text.contains(", &")
        || text.contains(['、', '；']);
    let normalized = if separated {
        text.replace(", and ", ";")
            .replace(" and ", ";")
            .replace(" & ", ";")
            .replace(", &", ";")
            .replace(['、', '；'], ";")
    } else {
        text.to_owned()
    };
    let mut parts: Vec<String> = normalized
        .split(';')
        .map(|p| trim_parts(p).to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    // `Copenhaver, Brian, Charles Schmitt` is rare; a comma between Latin words usually
    // inverts one name (`Carr, Edward H.`) unless both sides hold several words.
    if parts.len() == 1 && parts[0].contains(',') && !parts[0].contains(is_cjk) {
        let pieces: Vec<&str> = parts[0].split(',').map(str::trim).collect();
        let all_full = pieces.iter().all(|p| p.split_whitespace().count() >= 2);
        if all_full && pieces.len() >= 2 {
            parts = pieces.iter().map(|p| (*p).to_owned()).collect();
        }
    }
    parts.iter().map(|p| name_of(p)).collect()
}

/// One name: `Family, Given`, `Given Family`, `弗朗斯瓦·魁奈`, `谭中`.
pub(crate) fn name_of(text: &str) -> Name {
    let text = text.trim();
    if text.contains(is_cjk) {
        if let Some((given, family)) = text.rsplit_once(['·', '・', '•']) {
            if !given.is_empty() && !family.is_empty() {
                return Name::Structured {
                    family: family.trim().to_owned(),
                    given: given.trim().to_owned(),
                };
            }
        }
        return Name::Literal {
            literal: text.to_owned(),
        };
    }
    if let Some((family, given)) = text.split_once(',') {
        let family = family.trim();
        if !family.is_empty() && !family.contains(' ')
            || family.split_whitespace().count() <= 2 && !given.trim().is_empty()
        {
            return Name::Structured {
                family: family.to_owned(),
                given: given.trim().to_owned(),
            };
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [] => Name::Literal {
            literal: String::new(),
        },
        [one] => Name::Structured {
            family: (*one).to_owned(),
            given: String::new(),
        },
        [given @ .., family] => Name::Structured {
            family: (*family).to_owned(),
            given: given.join(" "),
        },
    }
}

/// A short citation: `Alter 1994, 1`, `Forbes, 1909, pp. 147–150`, `Gracia, p. 1`.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Short {
    pub authors: Vec<String>,
    pub year: Option<String>,
    pub title: Option<String>,
    pub locator: Option<String>,
    pub label: Option<&'static str>,
}

/// Reads an author–year short form; `None` when the text is not one.
pub(crate) fn author_year(text: &str) -> Option<Short> {
    let text = strip_marks(text);
    let text = LEADING_WORDS.replace(text.trim(), "");
    let text = trim_parts(&text);
    let c = AUTHOR_YEAR_SHORT.captures(text)?;
    let authors: Vec<String> = c[1]
        .replace(" et al.", "")
        .replace(" et al", "")
        .split([',', '&'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let rest = c.get(3).map_or("", |m| m.as_str());
    let rest = trim_parts(rest);
    if rest.split_whitespace().count() > 6 {
        return None;
    }
    let (locator, label) = locator_of(rest);
    Some(Short {
        authors,
        year: Some(c[2].to_owned()),
        title: None,
        locator,
        label,
    })
}

/// `p. 22`, `pp. 147–150`, `第5章`, `vii`, `15` → the locator and its CSL label.
pub(crate) fn locator_of(text: &str) -> (Option<String>, Option<&'static str>) {
    let text = trim_parts(text);
    if text.is_empty() {
        return (None, None);
    }
    if let Some(c) = PAGES.captures(text).or_else(|| CJK_PAGES.captures(text)) {
        return (Some(c[1].to_owned()), Some("page"));
    }
    if let Some(c) = ONCE_13.captures(text) {
        return (Some(c[1].to_owned()), Some("chapter"));
    }
    if let Some(c) = ONCE_14.captures(text) {
        return (Some(c[1].to_owned()), Some("chapter"));
    }
    if let Some(c) = ONCE_15.captures(text) {
        return (Some(c[1].to_owned()), Some("section"));
    }
    let page = &*ONCE_16;
    if let Some(c) = page.captures(text) {
        return (Some(c[1].to_owned()), Some("page"));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(text: &str) -> Flat {
        Flat {
            text: text.to_owned(),
            ..Flat::default()
        }
    }

    #[test]
    fn strip_marks_removes_both_marks_only() {
        let text = format!("{EM_OPEN}中国史{EM_CLOSE}，第{EM_OPEN}2{EM_CLOSE}卷\u{E002}");
        assert_eq!(strip_marks(&text), "中国史，第2卷\u{E002}");
        assert_eq!(strip_marks("无标记"), "无标记");
    }

    proptest::proptest! {
        #[test]
        fn strip_marks_keeps_every_other_character(
            text in "[a\u{E000}\u{E001}\u{E002}中，]{0,40}"
        ) {
            let expected: String =
                text.chars().filter(|c| *c != EM_OPEN && *c != EM_CLOSE).collect();
            proptest::prop_assert_eq!(strip_marks(&text), expected);
        }
    }

    fn family(name: &Name) -> &str {
        match name {
            Name::Structured { family, .. } => family,
            Name::Literal { literal } => literal,
        }
    }

    #[test]
    fn styles() {
        let cases: &[(&str, &str, &str, &str, &str, &str)] = &[
            // text, first family, year, title, container, pages
            (
                "Schmalensee, Richard (1987). \"Industrial Organization\", The New Palgrave: A Dictionary of Economics, v. 2, pp. 803–808.",
                "Schmalensee",
                "1987",
                "Industrial Organization",
                "The New Palgrave: A Dictionary of Economics",
                "803–808",
            ),
            (
                "Jenny Teichmann and Katherine C. Evans, \u{E000}Philosophy: A Beginner's Guide\u{E001}（Blackwell Publishing, 1999）, p. 1",
                "Teichmann",
                "1999",
                "Philosophy: A Beginner's Guide",
                "",
                "1",
            ),
            (
                "柯林武德著，何兆武、张文杰译，《历史的观念》，北京：商务印书馆，1997年，第302－303页。",
                "柯林武德",
                "1997",
                "历史的观念",
                "",
                "302－303",
            ),
            (
                "王明. 中国古代史研究[J]. 历史研究, 2001, 12(3): 45-60.",
                "王明",
                "2001",
                "中国古代史研究",
                "历史研究",
                "45-60",
            ),
            (
                "Carr, Edward H. (1961). \u{E000}What is History?\u{E001}, p.108, ISBN 978-0-14-020652-4",
                "Carr",
                "1961",
                "What is History?",
                "",
                "108",
            ),
        ];
        for (text, fam, year, title, container, pages) in cases {
            let p = parse(&flat(text));
            assert_eq!(
                p.authors.first().map(family).unwrap_or_default(),
                *fam,
                "{text}"
            );
            assert_eq!(p.year.as_deref().unwrap_or_default(), *year, "{text}");
            assert_eq!(p.title.as_deref().unwrap_or_default(), *title, "{text}");
            assert_eq!(
                p.container.as_deref().unwrap_or_default(),
                *container,
                "{text}"
            );
            assert_eq!(p.pages.as_deref().unwrap_or_default(), *pages, "{text}");
        }
    }

    #[test]
    fn place_and_publisher_within_the_bound() {
        let cases = [
            (
                "Richmond : Curzon Press",
                Some(("Richmond", "Curzon Press")),
            ),
            (
                "New York, NY: W. W. Norton",
                Some(("New York, NY", "W. W. Norton")),
            ),
            ("London: Verso: Books", None),
        ];
        for (text, expected) in cases {
            assert_eq!(place_publisher(text), expected, "{text}");
        }
        // A place of 41 characters after its capital is not a place.
        let place = format!("A{}", "b".repeat(40));
        assert!(place_publisher(&format!("{place}: Publisher")).is_some());
        assert!(place_publisher(&format!("{place}b: Publisher")).is_none());
    }

    #[test]
    fn short_forms() {
        let s = author_year("Alter 1994，1").unwrap();
        assert_eq!(
            (s.authors, s.year.as_deref(), s.locator.as_deref()),
            (vec!["Alter".to_owned()], Some("1994"), Some("1"))
        );
        let s = author_year("Forbes, 1909, pp. 147–150").unwrap();
        assert_eq!(
            (s.authors, s.locator.as_deref()),
            (vec!["Forbes".to_owned()], Some("147–150"))
        );
        let s = author_year("McKim and McMahan 1997, 156-7").unwrap();
        assert_eq!(s.authors, vec!["McKim".to_owned(), "McMahan".to_owned()]);
        assert_eq!(
            author_year("Religious thinkers were among those influenced in 1920 by him"),
            None
        );
    }
}
