//! The one table of what each known template does to the document.
//!
//! zhnorm does not expand templates (that needs the wiki's template pages); instead this registry
//! says, for each template it knows, whether it shows some of its arguments as text, becomes
//! structure (an infobox, reference material, conversion rules) or leaves nothing. A template
//! not listed here leaves nothing and is reported with [`zhnorm_doc::codes::UNKNOWN_TEMPLATE`]
//! so that a corpus report can rank which templates to support next.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use crate::wikitext::scan::OffsetHasher;

/// What a template does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Shows the first non-empty of these positional arguments (1-based) as text.
    Show(&'static [usize]),
    /// Shows its last positional argument (`{{color|grey|text}}`).
    ShowLast,
    /// Shows fixed text.
    Literal(&'static str),
    /// A date given as year, month, day arguments, shown as `2002年2月13日`.
    Date,
    /// `{{convert|10|km|…}}`: the number and its unit.
    Convert,
    /// `{{URL|https://…|text}}`: an external link.
    Url,
    /// A citation template: reference material, shown as a plain citation.
    Cite,
    /// Reference material that shows no text of its own (`webarchive`, `dead link`, language marks).
    ReferenceNote,
    /// The reference list; may carry list-defined references in `refs=`.
    Reflist,
    /// A footnote given as a template (`{{efn|…}}`), like `<ref group=…>`.
    Footnote,
    /// A short citation (`{{sfn|Name|2011|p=22}}`): a footnote of its own outside `<ref>`,
    /// reference material inside one.
    ShortCite,
    /// `{{sfnRef|Name|2011}}`: the anchor a citation template's `ref=` sets, shown as its
    /// arguments joined by spaces.
    Anchor,
    /// An infobox: its fields become `document.infobox`.
    Infobox,
    /// Page-level conversion groups and rules.
    NoteTa,
    /// A hatnote (`{{Main|A|B}}`): a paragraph of its own with this label and links to its
    /// positional arguments, as zh.wikipedia shows it.
    Hatnote(&'static str),
    /// Leaves nothing: navigation boxes, maintenance tags, layout.
    Nothing,
}

use Action::*;

/// Templates by the name MediaWiki matches (first letter upper-case, `_` as space).
const EXACT: &[(&str, Action)] = &[
    // Text-showing templates.
    ("Lang", Show(&[2])),
    ("Link", Show(&[1])),
    // `{{tsl|lang|foreign title|local title|shown text}}`
    ("Tsl", Show(&[4, 3, 2])),
    ("Ill", Show(&[1])),
    ("Interlanguage link", Show(&[1])),
    ("Le", Show(&[1])),
    ("Internal link helper", Show(&[1])),
    ("Nowrap", Show(&[1])),
    ("Nobr", Show(&[1])),
    ("Small", Show(&[1])),
    ("Smaller", Show(&[1])),
    ("Big", Show(&[1])),
    ("Larger", Show(&[1])),
    ("Tooltip", Show(&[1])),
    ("Abbr", Show(&[1])),
    ("Center", Show(&[1])),
    ("Centre", Show(&[1])),
    ("Bold", Show(&[1])),
    ("Italic", Show(&[1])),
    ("Sup", Show(&[1])),
    ("Sub", Show(&[1])),
    ("Ruby", Show(&[1])),
    ("Ruby-py", Show(&[1])),
    ("Ruby-zh-p", Show(&[1])),
    ("Val", Show(&[1])),
    ("Nts", Show(&[1])),
    ("Ntsh", Show(&[1])),
    ("Flag", Show(&[2, 1])),
    ("Flagcountry", Show(&[1])),
    ("Flagu", Show(&[1])),
    ("Le-zh", Show(&[1])),
    ("Color", ShowLast),
    ("Colour", ShowLast),
    ("Font color", ShowLast),
    ("Font", Show(&[1])),
    ("Highlight", Show(&[1])),
    ("Hide", Show(&[2])),
    ("Not a typo", Show(&[1])),
    ("Transl", ShowLast),
    ("Audio", Show(&[2])),
    ("IPA", ShowLast),
    ("IPAc-en", Nothing),
    ("Quote", Show(&[1])),
    ("Cquote", Show(&[1])),
    ("Blockquote", Show(&[1])),
    ("!", Literal("|")),
    ("=", Literal("=")),
    ("·", Literal("·")),
    ("•", Literal("•")),
    ("Dot", Literal("·")),
    ("Middot", Literal("·")),
    ("Snd", Literal(" – ")),
    ("Ndash", Literal("–")),
    ("Mdash", Literal("—")),
    ("Spaces", Literal(" ")),
    ("Nbsp", Literal("\u{a0}")),
    ("Sp", Literal(" ")),
    ("N/A", Literal("N/A")),
    ("NA", Literal("N/A")),
    ("Yes", Literal("是")),
    ("No", Literal("否")),
    ("PRC", Literal("中华人民共和国")),
    ("ROC", Literal("中華民國")),
    ("USA", Literal("美国")),
    ("UK", Literal("英国")),
    ("JPN", Literal("日本")),
    ("RUS", Literal("俄罗斯")),
    ("CHN", Literal("中国")),
    // Dates and numbers.
    ("Start date", Date),
    ("Start date and age", Date),
    ("End date", Date),
    ("End date and age", Date),
    ("Release date", Date),
    ("Release date and age", Date),
    ("Birth date", Date),
    ("Birth date and age", Date),
    ("Death date", Date),
    ("Death date and age", Date),
    ("Film date", Date),
    ("Dts", Date),
    ("Date", Show(&[1])),
    ("Convert", Convert),
    ("Cvt", Convert),
    ("URL", Url),
    ("Url", Url),
    ("Official website", Url),
    ("Official", Url),
    // Reference material.
    ("Citation", Cite),
    ("Newsrelease", Cite),
    ("News release", Cite),
    ("Webarchive", ReferenceNote),
    ("Wayback", ReferenceNote),
    ("WebCite", ReferenceNote),
    ("Webcite", ReferenceNote),
    ("Archive", ReferenceNote),
    ("Dead link", ReferenceNote),
    ("Deadlink", ReferenceNote),
    ("失效链接", ReferenceNote),
    ("Cbignore", ReferenceNote),
    ("Rp", ReferenceNote),
    ("En", ReferenceNote),
    ("EN", ReferenceNote),
    ("En icon", ReferenceNote),
    ("Zh", ReferenceNote),
    ("Zh-cn", ReferenceNote),
    ("Zh-tw", ReferenceNote),
    ("Zh-hk", ReferenceNote),
    ("Zh-cn icon", ReferenceNote),
    ("Zh icon", ReferenceNote),
    ("Ja", ReferenceNote),
    ("Ja icon", ReferenceNote),
    ("Ru", ReferenceNote),
    ("Ru icon", ReferenceNote),
    ("Fr", ReferenceNote),
    ("De", ReferenceNote),
    ("Ko", ReferenceNote),
    ("In lang", ReferenceNote),
    ("Languageicon", ReferenceNote),
    ("Reflist", Reflist),
    ("References", Reflist),
    ("Notelist", Reflist),
    ("Notes", Reflist),
    ("Refbegin", Nothing),
    ("Refend", Nothing),
    ("Sfn", ShortCite),
    ("Sfnp", ShortCite),
    ("Sfnm", ShortCite),
    ("Harv", ShortCite),
    ("Harvnb", ShortCite),
    ("Harvp", ShortCite),
    ("Harvtxt", ShortCite),
    ("Harvcoltxt", ShortCite),
    ("Harvard citation no brackets", ShortCite),
    ("SfnRef", Anchor),
    ("Sfnref", Anchor),
    ("Harvid", Anchor),
    ("Efn", Footnote),
    ("Efn-ua", Footnote),
    ("Efn-la", Footnote),
    ("NoteTag", Footnote),
    ("Notetag", Footnote),
    ("Ref label", Nothing),
    ("Note label", Nothing),
    ("NoteTA", NoteTa),
    ("Geobox", Infobox),
    // Hatnotes, maintenance, layout.
    ("Main", Hatnote("主条目：")),
    ("Main article", Hatnote("主条目：")),
    ("See also", Hatnote("参见：")),
    ("Seealso", Hatnote("参见：")),
    ("Also", Hatnote("参见：")),
    ("Further", Hatnote("进一步信息：")),
    ("Details", Hatnote("详细信息：")),
    ("Otheruses", Nothing),
    ("Other uses", Nothing),
    ("About", Nothing),
    ("For", Nothing),
    ("Redirect", Nothing),
    ("Redirect2", Nothing),
    ("Distinguish", Nothing),
    ("Dablink", Nothing),
    ("Hatnote", Nothing),
    ("Expert", Nothing),
    ("Update", Nothing),
    ("Refimprove", Nothing),
    ("More citations needed", Nothing),
    ("Unreferenced", Nothing),
    ("Multiple issues", Nothing),
    ("多個問題", Nothing),
    ("多个问题", Nothing),
    ("Split section", Nothing),
    ("Prose", Nothing),
    ("Expand", Nothing),
    ("Expand section", Nothing),
    ("Cleanup", Nothing),
    ("Copyedit", Nothing),
    ("Citation needed", Nothing),
    ("Cn", Nothing),
    ("Fact", Nothing),
    ("来源请求", Nothing),
    ("來源請求", Nothing),
    ("Clarify", Nothing),
    ("Who", Nothing),
    ("When", Nothing),
    ("Not", Nothing),
    ("Portal box", Nothing),
    ("Portal", Nothing),
    ("Portal bar", Nothing),
    ("Wikisource", Nothing),
    ("Commons", Nothing),
    ("Commons category", Nothing),
    ("Commonscat", Nothing),
    ("Wiktionary", Nothing),
    ("Authority control", Nothing),
    ("Coord", Nothing),
    ("Coor dms", Nothing),
    ("-", Nothing),
    ("Clear", Nothing),
    ("Clr", Nothing),
    ("Clear left", Nothing),
    ("Clear right", Nothing),
    ("TOC", Nothing),
    ("TOC right", Nothing),
    ("Toc right", Nothing),
    ("TOC left", Nothing),
    ("Col-begin", Nothing),
    ("Col-break", Nothing),
    ("Col-end", Nothing),
    ("Div col", Nothing),
    ("Div col end", Nothing),
    ("Stub", Nothing),
    ("Image label begin", Nothing),
    ("Image label", Nothing),
    ("Image label end", Nothing),
    ("Geographic Location", Nothing),
    ("Geographic location", Nothing),
    ("Timatic Visa Policy", Nothing),
    ("Current", Nothing),
    ("Featured article", Nothing),
    ("Good article", Nothing),
    ("Pp-semi", Nothing),
    ("Pp", Nothing),
    ("Short description", Nothing),
    ("DEFAULTSORT", Nothing),
    ("Flagicon", Nothing),
    ("Lang-en-short", Nothing),
];

/// Templates recognised by the beginning of their name, in lower case.
const PREFIXES: &[(&str, Action)] = &[
    ("lang-", Show(&[1])),
    ("link-", Show(&[1])),
    ("cite ", Cite),
    ("cite-", Cite),
    ("infobox", Infobox),
    ("navbox", Nothing),
    ("sidebar", Nothing),
    ("succession", Nothing),
    ("s-", Nothing),
    ("portal", Nothing),
];

/// Templates recognised by the end of their name: navigation boxes named after their topic.
const SUFFIXES: &[(&str, Action)] = &[
    ("信息框", Infobox),
    ("資訊框", Infobox),
    (" icon", ReferenceNote),
    ("外交", Nothing),
    ("行政区划", Nothing),
    ("行政區劃", Nothing),
    ("水系", Nothing),
    (" topics", Nothing),
    ("导航", Nothing),
    ("導航", Nothing),
    ("navbox", Nothing),
];

/// Template names are short; the offset hasher's multiply per byte beats SipHash on them.
type NameMap = HashMap<String, Action, BuildHasherDefault<OffsetHasher>>;

static BY_NAME: LazyLock<NameMap> = LazyLock::new(|| {
    let mut map = NameMap::default();
    for &(name, action) in EXACT {
        map.entry(name.to_owned()).or_insert(action);
    }
    map
});

static BY_FOLDED_NAME: LazyLock<NameMap> = LazyLock::new(|| {
    let mut map = NameMap::default();
    for &(name, action) in EXACT {
        map.entry(name.to_lowercase()).or_insert(action);
    }
    map
});

/// The name as MediaWiki matches it: `Template:`/`模板:` prefix removed, `_` as space, runs of
/// spaces collapsed, first letter upper-case.
pub(crate) fn normalize_name(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    match name_shape(trimmed) {
        NameShape::Normal => return Cow::Borrowed(trimmed),
        NameShape::LowerAsciiFirst => {
            // `cite web` → `Cite web`: one copy, no character-by-character rebuild.
            let mut name = trimmed.to_owned();
            name[..1].make_ascii_uppercase();
            return Cow::Owned(name);
        }
        NameShape::Other => {}
    }
    let mut name = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.trim().chars() {
        if c == '_' || c.is_whitespace() {
            space = true;
        } else {
            if space && !name.is_empty() {
                name.push(' ');
            }
            space = false;
            name.push(c);
        }
    }
    for prefix in ["Template:", "template:", "模板:", "模板：", "T:"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.trim().to_owned();
            break;
        }
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => {
            Cow::Owned(first.to_uppercase().chain(chars).collect())
        }
        _ => Cow::Owned(name),
    }
}

/// How far `trimmed` is from what [`normalize_name`] makes of it.
enum NameShape {
    /// Already normal (most names in real articles): no `_`, no white space but single
    /// spaces, no namespace prefix, no lower-case first letter.
    Normal,
    /// Normal but for an ASCII lower-case first letter (`cite web`).
    LowerAsciiFirst,
    /// Anything else: rebuilt character by character.
    Other,
}

fn name_shape(trimmed: &str) -> NameShape {
    let mut previous_space = false;
    for c in trimmed.chars() {
        if c == '_' || (c.is_whitespace() && (c != ' ' || previous_space)) {
            return NameShape::Other;
        }
        previous_space = c == ' ';
    }
    let prefixed = ["Template:", "template:", "模板:", "模板：", "T:"]
        .iter()
        .any(|prefix| trimmed.starts_with(prefix));
    if prefixed {
        NameShape::Other
    } else if trimmed
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_lowercase)
    {
        NameShape::LowerAsciiFirst
    } else if trimmed.chars().next().is_some_and(char::is_lowercase) {
        NameShape::Other
    } else {
        NameShape::Normal
    }
}

/// What the template of normalized `name` does, if zhnorm knows it. Exact names are matched as
/// MediaWiki matches them; failing that, case is ignored (zh.wikipedia keeps redirects for the
/// usual case variants, e.g. `Cite Web`).
pub(crate) fn lookup(name: &str) -> Option<Action> {
    if let Some(&action) = BY_NAME.get(name) {
        return Some(action);
    }
    // ASCII names (most of them) are folded on the stack instead of in a new String.
    let mut buffer = [0u8; 64];
    let folded: Cow<'_, str> = match buffer.get_mut(..name.len()) {
        Some(slot) if name.is_ascii() => {
            slot.copy_from_slice(name.as_bytes());
            slot.make_ascii_lowercase();
            Cow::Borrowed(std::str::from_utf8(slot).unwrap_or(name))
        }
        _ => Cow::Owned(name.to_lowercase()),
    };
    let folded: &str = &folded;
    if let Some(&action) = BY_FOLDED_NAME.get(folded) {
        return Some(action);
    }
    for &(prefix, action) in PREFIXES {
        if folded.starts_with(prefix) {
            return Some(action);
        }
    }
    for &(suffix, action) in SUFFIXES {
        if folded.ends_with(suffix) {
            return Some(action);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_mediawiki_does() {
        assert_eq!(normalize_name(" template:cite_web "), "Cite web");
        assert_eq!(normalize_name("模板:俄羅斯外交"), "俄羅斯外交");
        assert_eq!(lookup("Cite web"), Some(Cite));
        assert_eq!(lookup("Cite Web"), Some(Cite));
        assert_eq!(lookup("Lang-ru"), Some(Show(&[1])));
        assert_eq!(lookup("Link-en"), Some(Show(&[1])));
        assert_eq!(lookup("俄羅斯外交"), Some(Nothing));
        assert_eq!(lookup("Infobox Bilateral relations"), Some(Infobox));
        assert_eq!(lookup("Zh-cn icon"), Some(ReferenceNote));
        assert_eq!(lookup("Totally unknown"), None);
    }
}
