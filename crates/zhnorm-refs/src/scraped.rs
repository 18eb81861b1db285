//! References as zh.wikipedia renders them, scraped as text.
//!
//! The citation templates (`cite web`, `cite news`, `cite book`, `cite journal`) render on
//! zh.wikipedia, in CJK and Latin script alike, as fields joined by `. `:
//!
//! ```text
//! Authors. Editors (编). Title. Container. Publisher. Date [Accessed]. IDs (语言). （原始内容存档于…）.
//! ```
//!
//! Authors are separated by `; ` (`Family, Given` or `Given Family`), editors carry `(编)`;
//! the container is the site, newspaper or journal, a book shows its publisher in its place.
//! The fields are found from the ends inwards: the trailing parentheses (language, archive
//! note), identifiers, the date segment; then the authors at the front, by what names look like
//! (initials such as `J.R.` or `Michael A.` do not end a field); what is left is
//! `title[. container[. publisher]]`. Which of two segments is an author and which a container
//! is told by what they look like: `MSDN Library`, `新华网`, `microsoft.com` are places of
//! publication, `杭州市地名委员会` or `.NET Team` are authors.
//!
//! A hand-written reference does not follow the grammar; a title is only taken from it where the
//! text marks one: a link's text ended by ` ,` (`Title , Site, date`), or a rendering ending in
//! `.`. Otherwise the reference is a note and gets no title. The URLs are gone in this format;
//! the record says so (`custom.url-lost`) unless the text itself carries one.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Name, Reference};

use crate::date::{DateOutcome, normalize_date};
use crate::language::normalize_language;

static BACKLINKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-*]\s+)?(?:\^\s*(?:[a-z](?:\s+|$))*)?(?:\d+\.0\s+(?:\d+\.\d+(?:\s+|$))+)?")
        .unwrap()
});
static TRAILING_PARENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[（(]([^()（）]*(?:[（(][^()（）]*[)）][^()（）]*)*)[)）]\s*[.。]?\s*$")
        .unwrap()
});
static ARCHIVE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"原始内容.*?存档于\s*(.+?)\s*$|存档").unwrap());
static ISSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[.,，]\s*|\s)ISSN\s+(\d{4}-?\d{3}[\dXx])").unwrap());
static ISBN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.,，]\s*|\s)ISBN\s+((?:97[89][- ]?)?[\d-]{9,13}[\dXx])").unwrap()
});
static DOI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[.,，]\s*|\s)doi:\s*(10\.\S+?)(?:[.,]?\s|[.,]?$)").unwrap());
static URL_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://[^\s<>\]）)]+").unwrap());
static SEGMENT_BREAK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.\s+").unwrap());
static DATE_SEGMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<date>[^\[\]:：]*?)(?:\s*[:：]\s*(?P<pages>[^\[\]]+?))?\s*(?:\[(?P<accessed>[^\[\]]+)\])?$").unwrap()
});
static PLACE_PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^:：\d]{1,24}[:：]\s*(.+)$").unwrap());
/// `Michael A. Nielsen`, `J.R. Nielsen`, `W.M. de Muynck`, `E. Joos et al.`, `LUIGI VILLARI`.
static LATIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:von|van|de|der|den|da|di|du|la|le|del)\s+)?\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?:von|van|de|der|den|da|di|du|la|le|del)\s+)?\p{Lu}[\p{L}'’.-]*){0,4}(?:\s+et al\.?)?$").unwrap()
});
static FAMILY_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:(?:von|van|de|der|den|da|di|du|la|le|del)\s+)?\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*)?),\s*(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,2})$").unwrap()
});
/// Initials before a period that does not end a field: `J`, `J.R`, `A`.
static INITIALS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Lu}(?:\.\p{Lu})*$").unwrap());
/// The end of a link's text in a hand-written reference: `Title , Site, 2015`.
static LINK_TEXT_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S(\s+[,，])").unwrap());
/// A place of publication in Latin script: a site, a blog, a newspaper, a journal.
static LATIN_CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:blogs?|library|news|center|centre|today|times|post|journal|review|digest|daily|magazine|online|tv|radio|network|press|gazette|herald|tribune|weekly|monthly|encyclopa?edia|wiki|website)\b").unwrap()
});
/// An author that is an organization, in Latin script.
static LATIN_ORGANIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:team|inc|ltd|agency|agencies|office|ministry|department|council|committee|association|institute|foundation|bureau|group)\.?$").unwrap()
});
static HAN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Han}·・]{2,6}(?:\s+[\p{Han}·・]{2,6})?$").unwrap());
/// How a scraped citation marks an editor: `吴舟 (编)`, `Fennig, Charles D. (ed.)`.
static EDITOR_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[(（](?:编|編|主编|主編|eds?\.?)[)）]\s*$").unwrap());
/// A publisher of books.
static PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:press|books|publishing|publishers|verlag)\b|(?:出版社|书局|書局|出版公司)$",
    )
    .unwrap()
});
static DOMAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$").unwrap());
static VOLUME_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+)\s*[(（](\d+)[)）]\s*[:：]\s*(?:pp?\.\s*)?(\d+(?:[-–~]\d+)?)").unwrap()
});

/// Fills `record` from the rendered text of one reference.
pub(crate) fn from_rendered(text: &str, record: &mut Reference) {
    let mut rest = BACKLINKS.replace(text.trim(), "").trim().to_owned();

    if let Some(url) = URL_IN_TEXT.find(&rest) {
        record.url = Some(url.as_str().to_owned());
        rest = format!("{}{}", &rest[..url.start()], &rest[url.end()..])
            .trim()
            .to_owned();
    }

    // Trailing parentheses, innermost last: `（原始内容存档于2020-01-07） （中文）.`
    // At most a few: each pass scans the whole text.
    for _ in 0..6 {
        let Some(c) = TRAILING_PARENS.captures(&rest) else {
            break;
        };
        let inner = c[1].trim().to_owned();
        let start = c.get(0).map_or(rest.len(), |m| m.start());
        if let Some(note) = ARCHIVE_NOTE.captures(&inner) {
            if let Some(date) = note.get(1) {
                record.custom.archive_date = Some(date.as_str().to_owned());
            }
            record.custom.extra.insert("archive-note".to_owned(), inner);
        } else if let Some(tag) = normalize_language(&inner) {
            record.language.get_or_insert(tag);
        } else if inner.eq_ignore_ascii_case("pdf") {
            record
                .custom
                .extra
                .insert("format".to_owned(), "PDF".to_owned());
        } else {
            break;
        }
        rest.truncate(start);
    }

    for (regex, field) in [(&*ISSN, "ISSN"), (&*ISBN, "ISBN"), (&*DOI, "DOI")] {
        let found: Vec<(usize, usize, String)> = regex
            .captures_iter(&rest)
            .filter_map(|c| Some((c.get(0)?.start(), c.get(0)?.end(), c[1].to_owned())))
            .collect();
        if let Some((_, _, first)) = found.first() {
            let slot = match field {
                "ISSN" => &mut record.issn,
                "ISBN" => &mut record.isbn,
                _ => &mut record.doi,
            };
            *slot = Some(first.clone());
        }
        for (start, end, _) in found.into_iter().rev() {
            rest.replace_range(start..end, ".");
        }
    }

    if let Some(c) = VOLUME_ISSUE.captures(&rest) {
        record.volume = Some(c[1].to_owned());
        record.issue = Some(c[2].to_owned());
        record.page = Some(c[3].to_owned());
        record.kind = "article-journal".to_owned();
        // `Journal. 2019, 12 (3): pp. 45–67 [2025-07-07]`: what is left is the date segment.
        if let Some(m) = c.get(0) {
            let after = rest[m.end()..].trim_start().to_owned();
            let before = rest[..m.start()].trim_end().trim_end_matches([',', '，']);
            rest = if after.is_empty() || after.starts_with(['.', '。']) {
                format!("{before}{after}")
            } else {
                format!("{before} {after}")
            };
        }
    }

    // Every rendered citation ends with a period (a Chinese sentence ends with `。`).
    let rendered = text.trim_end().ends_with('.');
    let sentence = rest.trim().to_owned();
    let rest = rest.trim().trim_end_matches(['.', '。', ' ']).to_owned();

    // A hand-written reference around a link's text: `Title , Site, 26 November 2015`.
    let archived = record.custom.extra.contains_key("archive-note");
    if !rest.contains('[')
        && !archived
        && let Some(end) = LINK_TEXT_END
            .captures(&rest)
            .and_then(|c| c.get(1))
            .map(|m| m.start())
        && rest[end..]
            .split([',', '，'])
            .filter(|p| !p.trim().is_empty())
            .count()
            >= 2
    {
        link_text(&rest[..end], &rest[end..], record);
        finish(record);
        return;
    }

    let mut segments = segments(&rest);

    // The date segment: `2024-12-26 [2025-07-07]`, `[2025-07-07]`, `2005: 113–114 [2015-01-02]`.
    if let Some(i) = segments.iter().rposition(|s| date_segment(s, record)) {
        segments.truncate(i);
    }
    let dated = record.issued.is_some() || record.accessed.is_some();
    // Text that is not rendered like a citation (no closing period, no date, no archive note)
    // is a note written by hand: `参见《伯克利物理学教程》第四卷第24页`.
    let identified = record.url.is_some()
        || record.volume.is_some()
        || record.isbn.is_some()
        || record.issn.is_some()
        || record.doi.is_some();
    if !rendered && !dated && !archived && !identified {
        // Except a work named alone: `《汉语大词典》`.
        if rest.starts_with('《') && rest.ends_with('》') && rest.matches('《').count() == 1 {
            record.title = Some(rest);
            finish(record);
            return;
        }
        record.note = Some(sentence).filter(|n| !n.is_empty());
        finish(record);
        return;
    }

    // A title in 《》 marks the fields around it: authors before, work and publisher after.
    let bracketed = segments
        .iter()
        .position(|s| s.starts_with('《') && s.ends_with('》') && s.matches('《').count() == 1);
    if let Some(i) = bracketed.filter(|&i| i > 0) {
        let before: Vec<String> = segments.drain(..i).collect();
        record.author = vec![Name::Literal {
            literal: before.join(". "),
        }];
    }
    let author = !record.author.is_empty() || leading_authors(&segments);
    if author && record.author.is_empty() {
        let first = segments.remove(0);
        match names(&first) {
            Some(found) => {
                record.author = found.authors;
                record.editor = found.editors;
            }
            None => record.author = vec![Name::Literal { literal: first }],
        }
    }
    // Editors stand in a segment of their own after the authors: `张三 (编). Title. …`.
    if segments.len() >= 2
        && let Some(found) = names(&segments[0])
        && found.authors.is_empty()
        && !found.editors.is_empty()
    {
        record.editor.extend(found.editors);
        segments.remove(0);
    }
    match segments.len() {
        0 => {}
        // A line of text alone is a note, unless it is rendered like a citation.
        1 if !(author || dated || rendered || identified) => record.note = segments.pop(),
        1 => record.title = segments.pop(),
        _ if !author => {
            // Without an author, `. ` inside the title cannot be told from a field break, except
            // for a domain before the last segment (`Title. example.org. Publisher`).
            let n = segments.len();
            if n >= 3 && DOMAIN.is_match(&segments[n - 2]) {
                record.publisher = segments.pop();
            }
            record.container_title = segments.pop();
            record.title = Some(segments.join(". "));
        }
        _ => {
            record.title = Some(segments.remove(0));
            record.container_title = Some(segments.remove(0));
            if !segments.is_empty() {
                record.publisher = Some(segments.join(". "));
            }
        }
    }
    // `广州: 广州出版社` is a place and a publisher, which only books show.
    if record.publisher.is_none() {
        if let Some((place, publisher)) =
            record.container_title.as_deref().and_then(place_publisher)
        {
            record.container_title = None;
            record.publisher = Some(publisher);
            record
                .custom
                .extra
                .insert("publisher-place".to_owned(), place);
            record.kind = "book".to_owned();
        }
    } else if let Some((place, publisher)) = record.publisher.as_deref().and_then(place_publisher) {
        record.publisher = Some(publisher);
        record
            .custom
            .extra
            .insert("publisher-place".to_owned(), place);
        record.kind = "book".to_owned();
    }
    // `Language and linguistics, 2009, 10(2):205-237`: the journal, its year, volume and issue.
    if record.volume.is_some() {
        if let Some(container) = record.container_title.take() {
            let cut = VOLUME_ISSUE
                .find(&container)
                .map_or(container.len(), |m| m.start());
            let mut journal = Vec::new();
            for part in container[..cut]
                .split([',', '，'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match normalize_date(part) {
                    DateOutcome::Iso(_) if record.issued.is_none() => {
                        record.issued = Some(part.to_owned())
                    }
                    _ => journal.push(part),
                }
            }
            record.container_title = Some(journal.join(", "));
        }
    }
    // A book shows its publisher where a web page shows its site.
    if record.publisher.is_none()
        && record
            .container_title
            .as_deref()
            .is_some_and(|c| PUBLISHER.is_match(c))
    {
        record.publisher = record.container_title.take();
        record.kind = "book".to_owned();
    }
    if record.isbn.is_some() && record.publisher.is_none() {
        record.publisher = record.container_title.take();
        record.kind = "book".to_owned();
    }
    finish(record);
}

/// The type of the record, and what the text says of its URL and format.
fn finish(record: &mut Reference) {
    if let Some(title) = &mut record.title {
        if let Some(stripped) = title.strip_suffix(" (PDF)") {
            *title = stripped.to_owned();
            record
                .custom
                .extra
                .insert("format".to_owned(), "PDF".to_owned());
        }
    }

    if record.kind.is_empty() {
        record.kind = if record.isbn.is_some() {
            "book"
        } else if record.container_title.is_some() || record.url.is_some() {
            "webpage"
        } else {
            "document"
        }
        .to_owned();
    }
    record.custom.url_lost = record.url.is_none();
}

/// Splits a rendered citation at its `. ` field breaks. A period after initials followed by
/// more of a name (`J.R. Nielsen`, `Michael A. Nielsen; Isaac L. Chuang`) breaks nothing; one
/// after an abbreviation (`7th ed.`, `et al.`, `Inc.`) stays with its field. A parenthesis does
/// not start a field (`Sagart et al. (2019)`).
fn segments(text: &str) -> Vec<String> {
    let mut segments: Vec<String> = Vec::new();
    let mut start = 0;
    let push = |segment: &str, segments: &mut Vec<String>| {
        let bare = segment.trim().trim_end_matches('.').trim_end();
        let keep_period = bare.len() < segment.trim().len()
            && bare
                .rsplit([' ', '('])
                .next()
                .is_some_and(|word| ABBREVIATIONS.contains(&word));
        let segment = if keep_period {
            format!("{bare}.")
        } else {
            bare.to_owned()
        };
        match segments.last_mut() {
            Some(last) if segment.starts_with(['(', '（']) => {
                last.push_str(if last.ends_with('.') { " " } else { ". " });
                last.push_str(&segment);
            }
            _ if segment.is_empty() => {}
            _ => segments.push(segment),
        }
    };
    for m in SEGMENT_BREAK.find_iter(text) {
        if m.start() < start {
            continue;
        }
        let word = text[start..m.start()]
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        // `pp. 45`, `vol. 2`, `No. 3`: a number follows, the field goes on.
        if ["pp", "p", "vol", "Vol", "no", "No"].contains(&word)
            && text[m.end()..].starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        // Names come first: initials further on are a field's end (`"Hidden Variables" I.`).
        if segments.is_empty() && INITIALS.is_match(word) && continues_name(&text[m.end()..]) {
            continue;
        }
        // `et al.. Title`: the field ends at the second period.
        push(&text[start..=m.start()], &mut segments);
        start = m.end();
    }
    push(&text[start..], &mut segments);
    segments
}

/// Abbreviations whose period belongs to the field they end.
const ABBREVIATIONS: &[&str] = &[
    "ed", "eds", "al", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "St",
];

/// Whether `text` (after a period) goes on with a name: capitalized words, initials or
/// particles up to the next `;`, `,` or field break.
fn continues_name(text: &str) -> bool {
    let end = text
        .find([';', ',', '，'])
        .into_iter()
        .chain(SEGMENT_BREAK.find(text).map(|m| m.start()))
        .min()
        .unwrap_or(text.len());
    let part = text[..end].trim();
    !part.is_empty()
        && part.split_whitespace().count() <= 4
        && part.split_whitespace().all(|word| {
            word.starts_with(|c: char| c.is_uppercase())
                || matches!(
                    word,
                    "von"
                        | "van"
                        | "de"
                        | "der"
                        | "den"
                        | "da"
                        | "di"
                        | "du"
                        | "la"
                        | "le"
                        | "del"
                        | "et"
                        | "al"
                        | "al."
                )
        })
        && !part.contains(':')
}

/// Whether the first of `segments` is the authors: it reads as names (or an organization), and,
/// when only one segment follows, that one does not read as a place of publication.
fn leading_authors(segments: &[String]) -> bool {
    let Some(first) = segments.first() else {
        return false;
    };
    if segments.len() < 2 {
        return false;
    }
    let found = names(first);
    if found.as_ref().is_some_and(|n| n.authors.is_empty()) {
        // Editors alone: not authors.
        return false;
    }
    let strong = found.as_ref().is_some_and(|n| n.structured);
    if found.is_none() && !organization(first) {
        return false;
    }
    if segments.len() >= 3 || strong || !container(&segments[1]) {
        return true;
    }
    // An organization before something named like a place of publication: a title is the
    // longer of the two (`俄罗斯卫星通讯社. 巴库关闭卫星社办公室.`).
    found.is_none() && segments[1].chars().count() > first.chars().count()
}

/// Whether `segment` reads as a site, a newspaper, a journal or a publisher.
fn container(segment: &str) -> bool {
    let segment = segment.trim();
    DOMAIN.is_match(&segment.to_lowercase())
        || (!segment.contains(char::is_whitespace) && segment.is_ascii())
        || LATIN_CONTAINER.is_match(segment)
        || [
            "网",
            "網",
            "报",
            "報",
            "刊",
            "之音",
            "在线",
            "在線",
            "新闻",
            "新聞",
            "电视台",
            "電視台",
            "通讯社",
            "通訊社",
            "杂志",
            "雜誌",
            "网站",
            "網站",
            "政府",
            "部",
            "局",
            "会",
            "會",
            "社",
            "台",
            "署",
        ]
        .iter()
        .any(|suffix| segment.ends_with(suffix))
}

/// Whether `segment` reads as an organization that wrote something.
fn organization(segment: &str) -> bool {
    // `教育部2011年第1次新闻发布会` is an event.
    if segment.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    LATIN_ORGANIZATION.is_match(segment)
        || [
            "委员会",
            "委員會",
            "馆",
            "館",
            "局",
            "部",
            "会",
            "會",
            "所",
            "院",
            "社",
            "中心",
            "政府",
            "公司",
            "集团",
            "集團",
            "协会",
            "協會",
            "学会",
            "學會",
            "大学",
            "大學",
            "组织",
            "組織",
            "办公室",
            "辦公室",
            "银行",
            "銀行",
        ]
        .iter()
        .any(|suffix| segment.ends_with(suffix))
}

/// A hand-written reference whose title is a link's text: `head` up to the link's end (maybe
/// with authors before the title), `tail` the rest (`, Site, 26 November 2015`).
fn link_text(head: &str, tail: &str, record: &mut Reference) {
    let head_segments = segments(head);
    let joined;
    let mut title = head.trim();
    // `Weinberg, S. "Title"`, `H. Dieter Zeh, Title`.
    if let [authors, rest @ ..] = head_segments.as_slice()
        && !rest.is_empty()
        && let Some(found) = names(authors)
    {
        record.author = found.authors;
        joined = rest.join(". ");
        title = &joined;
    } else if let Some((authors, rest)) = title.split_once(", ")
        && LATIN_NAME.is_match(authors.trim())
        && authors.split_whitespace().count() >= 2
    {
        record.author = vec![Name::Literal {
            literal: authors.trim().to_owned(),
        }];
        title = rest.trim();
    }
    record.title = Some(title.to_owned());
    let parts: Vec<&str> = tail
        .split([',', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(last) = parts.last()
        && !matches!(normalize_date(last), DateOutcome::Unrecognized)
    {
        record.issued = Some((*last).to_owned());
    }
    if let Some(first) = parts.first()
        && record.issued.as_deref() != Some(*first)
    {
        record.container_title = Some((*first).to_owned());
    }
}

/// Reads a date segment into `record`; false when `segment` is not one.
fn date_segment(segment: &str, record: &mut Reference) -> bool {
    let Some(c) = DATE_SEGMENT.captures(segment) else {
        return false;
    };
    let date = c.name("date").map_or("", |m| m.as_str().trim());
    let accessed = c.name("accessed").map(|m| m.as_str().trim());
    let readable = |t: &str| !matches!(normalize_date(t), DateOutcome::Unrecognized);
    let date_ok = !date.is_empty() && readable(date);
    let accessed_ok = accessed.is_some_and(readable);
    if !(date_ok && (accessed.is_none() || accessed_ok) || date.is_empty() && accessed_ok) {
        return false;
    }
    if date_ok {
        record.issued = Some(date.to_owned());
    }
    if let Some(accessed) = accessed {
        record.accessed = Some(accessed.to_owned());
    }
    if let Some(pages) = c.name("pages") {
        record.page = Some(pages.as_str().trim().to_owned());
    }
    true
}

/// `广州: 广州出版社` → (`广州`, `广州出版社`).
fn place_publisher(text: &str) -> Option<(String, String)> {
    let c = PLACE_PUBLISHER.captures(text)?;
    let publisher = c[1].trim();
    let place = text[..text.len() - c[1].len()]
        .trim_end_matches([':', '：', ' '])
        .trim();
    Some((place.to_owned(), publisher.to_owned()))
}

/// The names of a segment that reads as a list of names.
#[derive(Debug, Default)]
struct Names {
    authors: Vec<Name>,
    editors: Vec<Name>,
    /// Written `Family, Given` or as a `; ` list: strong evidence of names.
    structured: bool,
}

/// The names of a segment that reads as a list of names, or `None` when it does not:
/// `Bagirova, Nailia; Stolyarov, Gleb`, `Oleh Pavlyuk`, `李敬忠`, `J.R. Nielsen`,
/// `François Pellegrino, Christophe Coupé and Egidio Marsico`, `吴舟 (编); 林洪熙 (编); 杨军`.
fn names(segment: &str) -> Option<Names> {
    let segment = segment.trim();
    let mut found = Names::default();
    let listed = segment.contains("; ");
    let parts: Vec<&str> = if listed {
        segment.split(';').map(str::trim).collect()
    } else {
        vec![segment]
    };
    for part in parts {
        let (part, editor) = match EDITOR_MARK.find(part) {
            Some(m) => (part[..m.start()].trim(), true),
            None => (part, false),
        };
        let names: Vec<Name> = if let Some(c) = FAMILY_GIVEN.captures(part) {
            found.structured = true;
            vec![Name::Structured {
                family: c[1].trim().to_owned(),
                given: c[2].trim().to_owned(),
            }]
        } else if let Some((family, given)) = part.split_once([',', '，'])
            && HAN_NAME.is_match(family.trim())
            && HAN_NAME.is_match(given.trim())
        {
            found.structured = true;
            vec![Name::Structured {
                family: family.trim().to_owned(),
                given: given.trim().to_owned(),
            }]
        } else if listed || editor {
            // One name of a `; ` list: any short run of words without digits.
            let words = part.split_whitespace().count();
            if words == 0 || words > 5 || part.contains(|c: char| c.is_ascii_digit() || c == ':') {
                return None;
            }
            found.structured |= listed;
            vec![Name::Literal {
                literal: part.to_owned(),
            }]
        } else {
            let pieces: Vec<&str> = part
                .split([',', '，', '、', '&'])
                .flat_map(|p| p.split(" and "))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if pieces.is_empty()
                || !pieces
                    .iter()
                    .all(|p| LATIN_NAME.is_match(p) || HAN_NAME.is_match(p))
            {
                return None;
            }
            pieces
                .into_iter()
                .map(|p| Name::Literal {
                    literal: p.to_owned(),
                })
                .collect()
        };
        if editor {
            found.editors.extend(names);
        } else {
            found.authors.extend(names);
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (authors, editors, structured) of a segment read as names.
    fn shape(segment: &str) -> Option<(usize, usize, bool)> {
        names(segment).map(|n| (n.authors.len(), n.editors.len(), n.structured))
    }

    #[test]
    fn names_are_recognized() {
        assert_eq!(shape("Oleh Pavlyuk"), Some((1, 0, false)));
        assert_eq!(
            shape("Bagirova, Nailia; Stolyarov, Gleb"),
            Some((2, 0, true))
        );
        assert_eq!(shape("李敬忠"), Some((1, 0, false)));
        assert_eq!(
            shape("François Pellegrino, Christophe Coupé and Egidio Marsico"),
            Some((3, 0, false))
        );
        assert_eq!(shape("J.R. Nielsen"), Some((1, 0, false)));
        assert_eq!(shape("W.M. de Muynck"), Some((1, 0, false)));
        assert_eq!(shape("von Neumann, John"), Some((1, 0, true)));
        assert_eq!(shape("E. Joos et al."), Some((1, 0, false)));
        assert_eq!(shape("AFP; jt"), Some((2, 0, true)));
        assert_eq!(shape("费曼, 理查; 雷顿, 罗伯"), Some((2, 0, true)));
        assert_eq!(shape("吴舟 (编); 林洪熙 (编); 杨军"), Some((1, 2, true)));
        assert_eq!(
            shape("Tensions are rising between Russia and Azerbaijan"),
            None
        );
        assert_eq!(shape("俄方希望阿塞拜疆尽快释放被拘留的俄记者"), None);
    }

    #[test]
    fn initials_do_not_end_a_field() {
        assert_eq!(
            segments("Michael A. Nielsen; Isaac L. Chuang. Quantum Computation. Cambridge"),
            [
                "Michael A. Nielsen; Isaac L. Chuang",
                "Quantum Computation",
                "Cambridge"
            ]
        );
        assert_eq!(
            segments("Aspect A. Bell's inequality test: more ideal than ever. Nature"),
            [
                "Aspect A",
                "Bell's inequality test: more ideal than ever",
                "Nature"
            ]
        );
        assert_eq!(
            segments("E. Joos et al.. Decoherence. Springer"),
            ["E. Joos et al.", "Decoherence", "Springer"]
        );
        assert_eq!(
            segments("Bohm, David. Terms of \"Hidden Variables\" I. Physical Review"),
            [
                "Bohm, David",
                "Terms of \"Hidden Variables\" I",
                "Physical Review"
            ]
        );
        assert_eq!(
            segments("Oxtoby, David. Principles of Modern Chemistry, 7th ed. Cengage Learning"),
            [
                "Oxtoby, David",
                "Principles of Modern Chemistry, 7th ed.",
                "Cengage Learning"
            ]
        );
    }
}
