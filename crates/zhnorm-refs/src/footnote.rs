//! Footnotes written by hand, told apart and read: a full citation, a short citation, several
//! citations in one footnote, a citation with the editor's comment, a labelled link alone, or
//! an explanatory note.
//!
//! The kind goes into `custom.kind`. Several citations become several records, all cited from
//! the footnote's marker; a comment after (or before) a citation becomes the record's `note`;
//! an explanatory note keeps its text as `note` and is not made a source.

use std::sync::LazyLock;

use regex::Regex;

use crate::pattern::Pattern;
use zhnorm_doc::{Name, RawReference, Reference};

use crate::freetext::{self, EM_CLOSE, EM_OPEN, Flat, strip_marks};

/// The footnote kinds, as `custom.kind` spells them.
pub(crate) const CITATION: &str = "citation";
pub(crate) const SHORT: &str = "short";
pub(crate) const MULTI: &str = "multi";
pub(crate) const MIXED: &str = "mixed";
pub(crate) const LINK: &str = "link";
pub(crate) const NOTE: &str = "note";

static POINTER_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:部分|章节|章節|条目|條目|一节|一節|小节|小節)$").unwrap());
pub(crate) static CHAPTER_POINTER: Pattern = Pattern::new(
    r"^([^\s，,：:]{2,20})\s+第\s*[0-9一二三四五六七八九十百]+\s*章\s*[，,：:]?\s*(\S.*)$",
    &["章"],
);
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:e\.g\.,?|see also|see|cf\.|also quoted in|quoted in|also)\s+").unwrap()
});
static SEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:見|见|參見|参见|參看|参看|詳見|详见|摘自|引自|出自)[：:]?").unwrap()
});
/// True when the reader gave the footnote's inlines, which [`read`] needs (emphasis and links
/// mark titles); a reference with raw text only is read as a link or as text.
pub(crate) fn readable(raw: &RawReference) -> bool {
    !zhnorm_doc::plain_text(&raw.inlines).trim().is_empty()
}

/// Reads a hand-written footnote into `record` (its first citation) and returns the records
/// of any further citations it holds.
pub(crate) fn read(raw: &RawReference, record: &mut Reference) -> Vec<Reference> {
    let flat = Flat::of(&raw.inlines);
    let plain = flat.plain();
    let plain = plain.trim();
    if plain.is_empty() {
        record.kind = "document".to_owned();
        return Vec::new();
    }
    if flat.nested_cites > 0 || flat.math > 0 {
        return note(plain, record);
    }
    // A labelled link (or a bare URL) and nothing else.
    if let Some((url, range)) = flat.links.first() {
        let label = strip_marks(flat.text.get(range.clone()).unwrap_or_default());
        let rest = format!(
            "{}{}",
            &flat.text[..range.start.min(flat.text.len())],
            &flat.text[range.end.min(flat.text.len())..]
        );
        let rest = strip_marks(&rest);
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || ".,;:，。；：".contains(c));
        if flat.links.len() == 1 && rest.is_empty() {
            // `[url Cornell, "Small nations…", Richmond: Curzon Press, 2001, pp. 324–345.]`: a
            // whole citation as the label.
            let label_flat = Flat {
                text: flat.text.get(range.clone()).unwrap_or_default().to_owned(),
                ..Flat::default()
            };
            let parsed = freetext::parse(&label_flat);
            if parsed.year.is_some() && parsed.title.is_some() && !parsed.authors.is_empty() {
                citation(&label_flat, record, false);
                record.url = Some(url.clone());
                crate::wikitext::apply_link_helpers(&raw.templates, record);
                record.custom.kind = Some(CITATION.to_owned());
                return Vec::new();
            }
            record.custom.kind = Some(LINK.to_owned());
            record.kind = "webpage".to_owned();
            record.url = Some(url.clone());
            let title = unbracketed(label.trim());
            record.title = (!title.is_empty() && title != *url).then_some(title);
            crate::wikitext::apply_link_helpers(&raw.templates, record);
            return Vec::new();
        }
        // `[url Title，Author] 关于…，可参阅`: a link and a comment.
        let first_in_text = strip_marks(&flat.text[..range.start.min(flat.text.len())])
            .trim()
            .is_empty();
        if first_in_text && is_prose(rest) {
            record.custom.kind = Some(MIXED.to_owned());
            record.kind = "webpage".to_owned();
            record.url = Some(url.clone());
            let (title, author) = match label.rsplit_once(['，', ',']) {
                Some((title, author)) if author.trim().chars().count() <= 4 => {
                    (title.trim(), Some(author.trim()))
                }
                _ => (label.trim(), None),
            };
            record.title = Some(unbracketed(title));
            record.author = author.map(freetext::name_of).into_iter().collect();
            record.note = Some(rest.to_owned());
            return Vec::new();
        }
        // `[url Title] {{Wayback…}}, Site, 2014`: a web citation opening with its link.
        let label_is_title = label.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && freetext::locator_of(&label).0.is_none();
        let label_is_url = label.trim().is_empty() || label.trim() == url;
        if first_in_text && (label_is_title || label_is_url) && crate::links::from_link(raw, record)
        {
            crate::wikitext::apply_link_helpers(&raw.templates, record);
            record.custom.kind = Some(CITATION.to_owned());
            return Vec::new();
        }
    } else if plain.starts_with("http") && !plain.contains(char::is_whitespace) {
        record.custom.kind = Some(LINK.to_owned());
        record.kind = "webpage".to_owned();
        let url = plain.trim_end_matches(|c: char| "。.,;，；、)）".contains(c));
        record.url = Some(url.to_owned());
        return Vec::new();
    }
    if let Some(pointer) = encyclopedia_pointer(plain) {
        record.custom.kind = Some(SHORT.to_owned());
        record.kind = pointer.kind.to_owned();
        record.title = pointer.title;
        record.container_title = pointer.container;
        record.author = pointer.author.into_iter().collect();
        if pointer.kind == "entry-encyclopedia" {
            let state = if pointer.certain { "certain" } else { "open" };
            record
                .custom
                .extra
                .insert(POINTER.to_owned(), state.to_owned());
        }
        return Vec::new();
    }
    // Several citations separated by `;`.
    // Without a `;` there is one part, and nothing to split.
    let parts = if flat.text.contains([';', '；']) {
        split_citations(&flat.text)
    } else {
        Vec::new()
    };
    if parts.len() >= 2 && parts.iter().all(|p| looks_like_citation(p)) {
        let mut records = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let mut one = Reference {
                custom: record.custom.clone(),
                ..Reference::default()
            };
            one.custom.kind = Some(MULTI.to_owned());
            if i > 0 {
                one.custom
                    .extra
                    .insert("part".to_owned(), (i + 1).to_string());
            }
            let part_flat = Flat {
                text: part.clone(),
                links: links_within(&flat, part),
                ..Flat::default()
            };
            citation(&part_flat, &mut one, true);
            one.custom.kind = Some(MULTI.to_owned());
            records.push(one);
        }
        let first = records.remove(0);
        *record = first;
        return records;
    }
    // Prose, then `見…` and a citation.
    if let Some(m) = SEE.find(&flat.text) {
        let before = strip_marks(&flat.text[..m.start()]);
        if is_prose(&before) && before.chars().count() >= 12 {
            let cited = Flat {
                text: flat.text[m.end()..].to_owned(),
                links: links_within(&flat, &flat.text[m.end()..]),
                ..Flat::default()
            };
            citation(&cited, record, false);
            record.custom.kind = Some(MIXED.to_owned());
            record.note = Some(before.trim().to_owned());
            return Vec::new();
        }
    }
    // Parsed once here and handed on: parsing is the costly part of a footnote.
    let parsed = freetext::parse(&flat);
    if is_prose(plain) && !plain.contains(['《', '〈']) && freetext::author_year(plain).is_none()
    {
        let cited = parsed.title.is_some() && (parsed.year.is_some() || !parsed.authors.is_empty());
        if !cited || starts_with_prose(plain) {
            return note(plain, record);
        }
    }
    if parsed.title.is_none() && parsed.authors.is_empty() && parsed.year.is_none() {
        // Nothing bibliographic in it: a remark, not a source.
        return note(plain, record);
    }
    citation_parsed(&flat, record, false, Some(parsed));
    Vec::new()
}

fn note(text: &str, record: &mut Reference) -> Vec<Reference> {
    record.custom.kind = Some(NOTE.to_owned());
    record.kind = "document".to_owned();
    record.title = None;
    record.note = Some(text.to_owned());
    Vec::new()
}

/// Reads one citation (full or short) into `record`.
fn citation(flat: &Flat, record: &mut Reference, in_multi: bool) {
    citation_parsed(flat, record, in_multi, None);
}

/// [`citation`], with the text already parsed when the caller has done it.
fn citation_parsed(
    flat: &Flat,
    record: &mut Reference,
    in_multi: bool,
    parsed: Option<freetext::Parsed>,
) {
    let plain = flat.plain();
    if let Some(short) = freetext::author_year(&plain) {
        record.custom.kind = Some(SHORT.to_owned());
        record.kind = "document".to_owned();
        record.author = short
            .authors
            .iter()
            .map(|family| Name::Structured {
                family: family.clone(),
                given: String::new(),
            })
            .collect();
        record.issued = short.year;
        record.custom.locator = short.locator;
        record.custom.locator_label = short.label.map(str::to_owned);
        return;
    }
    let mut parsed = parsed.unwrap_or_else(|| freetext::parse(flat));
    let comment = trailing_comment(&flat.text);
    let short = !parsed.has_publication && (parsed.title.is_some() || !parsed.authors.is_empty());
    let kind = if short {
        SHORT
    } else if comment.is_some() && !in_multi {
        MIXED
    } else {
        CITATION
    };
    if kind == SHORT {
        // The page of a short form is where it points, not the extent of a work.
        record.custom.locator = parsed.pages.take();
        record.custom.locator_label = record.custom.locator.as_ref().map(|_| "page".to_owned());
    }
    parsed.fill(record);
    if record.custom.locator.is_some() && kind == SHORT {
        record.page = None;
    }
    if kind == MIXED {
        record.note = comment;
    }
    record.custom.kind = Some(kind.to_owned());
}

/// A comment after a citation: a sentence of ten or more words after the last citation part.
fn trailing_comment(text: &str) -> Option<String> {
    let plain = strip_marks(text);
    for (i, _) in plain.match_indices(". ") {
        let rest = plain[i + 2..].trim();
        // The cheap tests first: this runs once per sentence of the footnote.
        if !rest.starts_with(|c: char| c.is_uppercase()) || rest.contains(['"', '“']) {
            continue;
        }
        let (mut words, mut lower_words) = (0, 0);
        for w in rest.split_whitespace() {
            words += 1;
            lower_words += usize::from(w.starts_with(|c: char| c.is_lowercase()));
        }
        if words >= 10 && lower_words * 2 >= words {
            return Some(rest.to_owned());
        }
    }
    None
}

/// Prose: a sentence with clause punctuation outside quotations, not a bibliographic line.
///
/// Counted in one pass over the text outside `"…"`, `“…”`, `「…」` and `''…''` (an emphasis
/// mark opens a quotation, so none is outside one); words are those of that outside text
/// joined, as if the quotations were cut out.
fn is_prose(text: &str) -> bool {
    let (mut cjk_clauses, mut cjk, mut latin_words) = (0, 0, 0);
    let mut title_mark = false;
    let (mut in_word, mut word_lower) = (false, true);
    let mut closer: Option<char> = None;
    for c in text.chars() {
        match closer {
            Some(close) if c == close => {
                closer = None;
                continue;
            }
            Some(_) => continue,
            None => {
                closer = match c {
                    '"' => Some('"'),
                    '“' => Some('”'),
                    '「' => Some('」'),
                    EM_OPEN => Some(EM_CLOSE),
                    _ => None,
                };
                if closer.is_some() {
                    continue;
                }
            }
        }
        cjk_clauses += usize::from(matches!(c, '，' | '。' | '；'));
        cjk += usize::from(is_cjk(c));
        title_mark |= matches!(c, '《' | '〈');
        if c.is_whitespace() {
            latin_words += usize::from(in_word && word_lower);
            in_word = false;
        } else {
            word_lower = (word_lower || !in_word) && c.is_lowercase();
            in_word = true;
        }
    }
    latin_words += usize::from(in_word && word_lower);
    (cjk >= 8 && cjk_clauses >= 1 && !title_mark) || latin_words >= 8
}

/// A footnote that opens with a sentence of its own, not with a name or a title.
fn starts_with_prose(text: &str) -> bool {
    let first = &text[..text.find(['，', '。', ',', '.']).unwrap_or(text.len())];
    first.chars().filter(|c| is_cjk(*c)).count() >= 6 || first.split_whitespace().count() >= 6
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Splits on `;`/`；` outside quotations, brackets and emphasis.
fn split_citations(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '“' | '「' | '《' | '(' | '（' | EM_OPEN => depth += 1,
            '”' | '」' | '》' | ')' | '）' | EM_CLOSE => depth -= 1,
            _ => {}
        }
        if (c == ';' || c == '；') && depth <= 0 && !quoted {
            parts.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A part of a footnote that can stand as a citation of its own.
fn looks_like_citation(part: &str) -> bool {
    let plain = strip_marks(part);
    // `also quoted in The New Quantum Universe (2003)`: the connecting words go first.
    let plain = LEADING.replace(plain.trim(), "");
    let plain = plain.trim();
    if freetext::author_year(plain).is_some() {
        return true;
    }
    let words = plain.split_whitespace().count();
    let capitalized = plain
        .trim_start_matches(|c: char| !c.is_alphanumeric() && !is_cjk(c))
        .split_whitespace()
        .next()
        .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase() || is_cjk(c)));
    let has_year = plain.contains(|c: char| c.is_ascii_digit());
    capitalized && (words >= 3 || has_year) && !is_prose(plain)
}

fn links_within(flat: &Flat, part: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let Some(offset) = flat.text.find(part) else {
        return Vec::new();
    };
    flat.links
        .iter()
        .filter(|(_, r)| r.start >= offset && r.end <= offset + part.len())
        .map(|(url, r)| (url.clone(), r.start - offset..r.end - offset))
        .collect()
}

/// `《标题》`, `〈标题〉`, `"Title"` without their marks.
fn unbracketed(text: &str) -> String {
    let t = text.trim();
    for (open, close) in [
        ('《', '》'),
        ('〈', '〉'),
        ('"', '"'),
        ('“', '”'),
        ('「', '」'),
    ] {
        if let Some(inner) = t.strip_prefix(open).and_then(|x| x.strip_suffix(close)) {
            if !inner.contains([open, close]) {
                return inner.trim().to_owned();
            }
        }
    }
    t.to_owned()
}

/// A pointer into a reference work: `西方哲学史条目…部分`, `条目：西方哲学…章节`,
/// `帝國之弧 第五章，篇名`.
struct Pointer {
    title: Option<String>,
    container: Option<String>,
    author: Option<Name>,
    kind: &'static str,
    /// True when the text marks where the work's name ends.
    certain: bool,
}

fn encyclopedia_pointer(text: &str) -> Option<Pointer> {
    let text = text.trim().trim_end_matches(['。', '.']);
    // `书名 第五章，篇名`: a chapter of a book.
    if let Some(c) = CHAPTER_POINTER.captures(text) {
        return Some(Pointer {
            title: Some(c[2].trim().to_owned()),
            container: Some(c[1].to_owned()),
            author: None,
            kind: "chapter",
            certain: true,
        });
    }
    if text.contains(|c: char| c.is_ascii_alphabetic()) || text.chars().count() > 60 {
        return None;
    }
    if !(POINTER_END.is_match(text) || text.contains("条目") || text.contains("條目")) {
        return None;
    }
    if text.contains(['，', '。']) && !text.starts_with("条目") {
        return None;
    }
    let (author, rest) = match text
        .split_once("条目：")
        .or_else(|| text.split_once("條目："))
    {
        Some((author, rest)) => (Some(author), rest),
        None => (None, text),
    };
    // The work's name ends where the text says so (`…条目`, `…之…`); otherwise the article's
    // other pointers tell ([`resolve_pointers`]).
    let (title, certain) =
        if let Some((before, _)) = rest.split_once("条目").or_else(|| rest.split_once("條目")) {
            (before, true)
        } else if let Some((before, _)) = rest.split_once('之') {
            (before, true)
        } else {
            (rest, false)
        };
    let title = title.trim_end_matches(|c: char| "部分章节章節".contains(c));
    let author = author.filter(|a| !a.is_empty());
    Some(Pointer {
        title: (!title.is_empty()).then(|| title.to_owned()),
        container: None,
        author: author.map(|a| Name::Literal {
            literal: a.to_owned(),
        }),
        kind: "entry-encyclopedia",
        certain,
    })
}

/// Where an open pointer is kept until the article's pointers are compared; removed then.
pub(crate) const POINTER: &str = "\u{1}pointer";

/// Common Chinese surnames: a pointer that opens with one of them and two more characters
/// may open with its author's name.
const SURNAMES: &str = "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯";

/// Names the works of an article's reference-work pointers (`条目：西方哲学主要发展阶段…部分`)
/// by comparing them: a name some pointer marks (`西方哲学史条目…`) is a work wherever it
/// opens a pointer; otherwise the shortest part a pointer shares with its neighbours is the
/// work, and an author a pointer names (`高怀民条目：…`) is recognized where others open with it.
pub(crate) fn resolve_pointers(records: &mut [Reference]) {
    let pointers: Vec<usize> = (0..records.len())
        .filter(|&i| records[i].custom.extra.contains_key(POINTER))
        .collect();
    let literal = |name: &Name| match name {
        Name::Literal { literal } => literal.clone(),
        Name::Structured { family, .. } => family.clone(),
    };
    let authors: Vec<String> = pointers
        .iter()
        .filter_map(|&i| records[i].author.first().map(literal))
        .collect();
    let certain: Vec<String> = pointers
        .iter()
        .filter(|&&i| records[i].custom.extra.get(POINTER).map(String::as_str) == Some("certain"))
        .filter_map(|&i| records[i].title.clone())
        .collect();
    let surname = |text: &str| text.chars().next().is_some_and(|c| SURNAMES.contains(c));
    // Bodies without a known author in front.
    let mut bodies: Vec<(usize, String, bool)> = Vec::new();
    for &i in &pointers {
        let is_certain =
            records[i].custom.extra.get(POINTER).map(String::as_str) == Some("certain");
        let mut body = records[i].title.clone().unwrap_or_default();
        if let Some(author) = authors
            .iter()
            .find(|a| body.starts_with(a.as_str()) && body.len() > a.len())
        {
            body = body[author.len()..].to_owned();
            records[i].author = vec![Name::Literal {
                literal: author.clone(),
            }];
        } else if records[i].author.is_empty() && surname(&body) {
            // `黄庆明哲学`: a surname, a given name and a work named elsewhere.
            for len in [3, 2] {
                let split = body.char_indices().nth(len).map(|(b, _)| b);
                if let Some(b) = split {
                    if certain.iter().any(|t| *t == body[b..]) {
                        records[i].author = vec![Name::Literal {
                            literal: body[..b].to_owned(),
                        }];
                        body = body[b..].to_owned();
                        break;
                    }
                }
            }
        }
        bodies.push((i, body, is_certain));
    }
    let open: Vec<String> = bodies
        .iter()
        .filter(|b| !b.2)
        .map(|b| b.1.clone())
        .collect();
    for (i, body, is_certain) in &bodies {
        let mut title = body.clone();
        if !is_certain {
            if let Some(known) = certain
                .iter()
                .filter(|t| t.chars().count() >= 2 && body.starts_with(t.as_str()))
                .max_by_key(|t| t.len())
            {
                title = known.clone();
            } else {
                let shared = open
                    .iter()
                    .filter(|other| *other != body)
                    .map(|other| common_prefix(body, other))
                    .filter(|p| p.chars().count() >= 2)
                    .min_by_key(|p| p.len());
                if let Some(shared) = shared {
                    title = shared.to_owned();
                    // `西方哲学袁保新…`: a name after the work, shared with another pointer.
                    let rest = &body[shared.len()..];
                    let name: String = rest.chars().take(3).collect();
                    let named_again = open
                        .iter()
                        .filter(|o| o.get(shared.len()..).is_some_and(|r| r.starts_with(&name)))
                        .count()
                        >= 2;
                    if records[*i].author.is_empty()
                        && surname(rest)
                        && named_again
                        && name.chars().count() == 3
                    {
                        records[*i].author = vec![Name::Literal { literal: name }];
                    }
                }
            }
        }
        let record = &mut records[*i];
        record.title = (!title.is_empty()).then_some(title);
        record.custom.extra.remove(POINTER);
    }
}

fn common_prefix<'t>(a: &'t str, b: &str) -> &'t str {
    let mut end = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            break;
        }
        end = i + x.len_utf8();
    }
    &a[..end]
}
