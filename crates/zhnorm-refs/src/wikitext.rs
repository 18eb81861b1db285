//! Citation templates of zh.wikipedia (`{{cite web}}`, `{{cite news}}`, …, `{{citation}}`) and
//! the helper templates that follow links (`{{webarchive}}`, `{{dead link}}`).
//!
//! Parameter names follow the CS1 templates zh.wikipedia uses, legacy aliases included
//! (`accessdate`, `archiveurl`, `deadurl`, …). Values are copied as written, minus wiki markup;
//! [`crate::normalize_record`] turns them into canonical forms afterwards.

use std::sync::LazyLock;

use foldhash::{HashMap, HashMapExt};
use regex::Regex;
use zhnorm_doc::{Name, Reference, Template};

use crate::language::known_code;
use crate::record::url_status;

/// The CSL type of a citation template, or `None` when the template is not one.
///
/// | template | CSL type |
/// | --- | --- |
/// | `cite web`, `webcite`, `cite press release`, `cite tweet`* | `webpage` (*`post`) |
/// | `cite news` | `article-newspaper` |
/// | `cite magazine` | `article-magazine` |
/// | `cite journal`, `cite arxiv` | `article-journal` |
/// | `cite book` (`chapter` for one with `chapter=`) | `book` |
/// | `cite report` | `report` |
/// | `cite thesis` | `thesis` |
/// | `cite conference` | `paper-conference` |
/// | `cite encyclopedia`, `cite SEP` | `entry-encyclopedia` |
/// | `cite dictionary` | `entry-dictionary` |
/// | `cite video`, `cite AV media` | `motion_picture` |
/// | `cite episode`, `cite podcast` | `broadcast` |
/// | `cite interview` | `interview` |
/// | `cite speech` | `speech` |
/// | `cite map` | `map` |
/// | `cite patent` | `patent` |
/// | `citation` | from its parameters: `journal` → `article-journal`, `newspaper` → `article-newspaper`, `work`/`website` → `webpage`, `isbn` → `book`, else `document` |
/// | any other `cite …` | `webpage` with a URL, else `document` |
pub fn csl_type(template: &Template) -> Option<&'static str> {
    let name = template.name.to_lowercase();
    let name = name.trim();
    let kind = match name {
        "citation" => {
            if template.param(&["journal"]).is_some() {
                "article-journal"
            } else if template.param(&["newspaper"]).is_some() {
                "article-newspaper"
            } else if template.param(&["work", "website"]).is_some() {
                "webpage"
            } else if template.param(&["isbn", "ISBN"]).is_some() {
                "book"
            } else {
                "document"
            }
        }
        "webcite" | "web cite" => "webpage",
        _ => {
            let kind = name.strip_prefix("cite ")?;
            match kind.trim() {
                "web" | "press release" => "webpage",
                "tweet" => "post",
                "news" => "article-newspaper",
                "magazine" => "article-magazine",
                "journal" | "arxiv" => "article-journal",
                "book" => "book",
                "report" => "report",
                "thesis" => "thesis",
                "conference" => "paper-conference",
                "encyclopedia" | "sep" => "entry-encyclopedia",
                "dictionary" => "entry-dictionary",
                "video" | "av media" => "motion_picture",
                "episode" | "podcast" => "broadcast",
                "interview" => "interview",
                "speech" => "speech",
                "map" => "map",
                "patent" => "patent",
                _ if template.param(&["url"]).is_some() => "webpage",
                _ => "document",
            }
        }
    };
    Some(kind)
}

/// Fills `record` from a citation template.
pub(crate) fn from_cite_template(template: &Template, kind: &str, record: &mut Reference) {
    // About sixty names are looked up below: each by hash instead of by a scan of every
    // parameter (the scans were a third of this function's time).
    let params = ParamIndex::of(template);
    let value = |names: &[&str]| {
        params
            .first(names)
            .map(|v| {
                // Most values hold no template: no search, and one copy.
                if v.contains("{{") {
                    clean_value(&date_template_as_text(v))
                } else {
                    clean_value(v)
                }
            })
            .filter(|v| !v.is_empty())
    };
    record.kind = kind.to_owned();
    record.title = value(&["title"]).or_else(|| {
        // `script-title=ja:…` holds the title in its original script, after a language prefix.
        value(&["script-title"]).map(|t| match t.split_once(':') {
            Some((lang, rest)) if lang.len() <= 3 => rest.trim().to_owned(),
            _ => t,
        })
    });
    record.url = value(&["url", "URL"]);
    if record.url.is_none() && template.name.eq_ignore_ascii_case("cite sep") {
        record.url =
            value(&["url-id"]).map(|id| format!("https://plato.stanford.edu/entries/{id}/"));
    }
    if let Some(chapter) = value(&["chapter", "contribution", "entry", "article", "section"]) {
        if kind == "book" {
            record.kind = "chapter".to_owned();
        }
        record.container_title = record.title.take();
        record.title = Some(chapter);
        if let Some(url) = value(&["chapter-url", "chapterurl"]) {
            record.url = Some(url);
        }
    }
    if record.container_title.is_none() {
        record.container_title = value(&[
            "work",
            "website",
            "newspaper",
            "journal",
            "magazine",
            "periodical",
            "encyclopedia",
            "encyclopaedia",
            "dictionary",
            "series",
        ]);
    }
    if kind == "entry-encyclopedia"
        && record.container_title.is_none()
        && template.name.eq_ignore_ascii_case("cite sep")
    {
        record.container_title = Some("Stanford Encyclopedia of Philosophy".to_owned());
    }
    record.publisher = value(&["publisher", "institution", "agency"]);
    record.author = authors(template);
    record.editor = editors(template);
    record.issued = value(&[
        "date",
        "publication-date",
        "publicationdate",
        "air-date",
        "airdate",
    ])
    .or_else(|| {
        let year = value(&["year"])?;
        Some(match value(&["month"]) {
            Some(month) => format!("{month} {year}"),
            None => year,
        })
    });
    record.accessed = value(&["access-date", "accessdate", "accessed"]);
    record.custom.archive_url = value(&["archive-url", "archiveurl"]);
    record.custom.archive_date = value(&["archive-date", "archivedate"]);
    record.custom.url_status =
        value(&["url-status", "dead-url", "deadurl"]).map(|s| url_status(&s));
    record.language = value(&["language", "lang"]);
    record.isbn = value(&["isbn", "ISBN", "isbn13"]);
    record.issn = value(&["issn", "ISSN", "eissn"]);
    record.doi = value(&["doi", "DOI"]);
    record.page = value(&["pages", "page", "pp", "p", "at"]);
    record.volume = value(&["volume"]);
    record.issue = value(&["issue", "number"]);
    for (extra, names) in [
        ("trans-title", &["trans-title", "trans_title"][..]),
        (
            "publisher-place",
            &["location", "place", "publication-place"],
        ),
        ("edition", &["edition"]),
        ("via", &["via"]),
        ("format", &["format"]),
        ("arxiv", &["arxiv", "eprint"]),
        ("bibcode", &["bibcode"]),
        ("pmid", &["pmid"]),
        ("pmc", &["pmc"]),
        ("oclc", &["oclc"]),
        ("quote", &["quote"]),
        ("time", &["time", "minutes"]),
    ] {
        if let Some(v) = value(names) {
            record.custom.extra.insert(extra.to_owned(), v);
        }
    }
}

/// Authors in numbered order: `lastN`/`firstN` as structured names, `authorN` as literals, then
/// the free-text `authors`/`coauthors` lists (`;`-separated) and Vancouver `vauthors`.
fn authors(template: &Template) -> Vec<Name> {
    // Every name looked up below starts with one of these; without them the lookups of the
    // first two numbers would format two dozen names for nothing.
    let stems = [
        "last", "surname", "author", "coauthor", "people", "vauthors",
    ];
    if !template
        .params
        .iter()
        .any(|(k, _)| stems.iter().any(|s| k.starts_with(s)))
    {
        return Vec::new();
    }
    let cleaned = |raw: Option<&str>| raw.map(clean_value).filter(|v| !v.is_empty());
    let mut out = Vec::new();
    for n in 1..=30 {
        // Each name of a further author holds its number: none, and the list has ended.
        let number = n.to_string();
        if n > 1 && !template.params.iter().any(|(k, _)| k.contains(&number)) {
            break;
        }
        let named = |prefix: &str, suffix: &str| numbered_param(template, prefix, &number, suffix);
        // The first author may also be written without its number (`last`, `author`).
        let bare = |name: &str| (n == 1).then(|| exact_param(template, name)).flatten();
        // `{stem}{n}`, then `{alternative}{n}` (each also bare for the first author), then
        // `author{n}{dashed}` or `{prefixed}{n}`.
        let part = |stem: &str, alternative: &str, dashed: &str, prefixed: &str| {
            cleaned(
                named(stem, "")
                    .or_else(|| bare(stem))
                    .or_else(|| named(alternative, ""))
                    .or_else(|| bare(alternative)),
            )
            .or_else(|| cleaned(named("author", dashed).or_else(|| named(prefixed, ""))))
        };
        let last = part("last", "surname", "-last", "author-last");
        let first = part("first", "given", "-first", "author-first");
        if let Some(family) = last {
            out.push(Name::Structured {
                family,
                given: first.unwrap_or_default(),
            });
        } else if let Some(literal) = cleaned(named("author", "").or_else(|| bare("author"))) {
            out.push(Name::Literal { literal });
        } else if n > 1 {
            break;
        }
    }
    let value = |name: &str| cleaned(exact_param(template, name));
    for list in ["authors", "coauthors", "coauthor", "people"] {
        if let Some(names) = value(list) {
            out.extend(split_names(&names, &[';', '；', '、', '，']));
        }
    }
    if let Some(names) = value("vauthors") {
        out.extend(split_names(&names, &[',']));
    }
    out
}

/// The role written after an editor's name: `, ed.`, `(eds.)`, `(编)`.
static EDITOR_ROLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[,，]?\s*[(（]?(?:eds?|编|編|主编|主編)\.?[)）]?$").unwrap());

/// Editors in numbered order: `editorN-last`/`editorN-first` (or `editor-lastN`,
/// `editor-firstN`) as structured names, `editorN` as literals, then the `editors` list.
fn editors(template: &Template) -> Vec<Name> {
    // Every name looked up below starts so; most templates name no editor, and the lookups
    // format about a dozen names.
    if !template.params.iter().any(|(k, _)| k.starts_with("editor")) {
        return Vec::new();
    }
    let cleaned = |raw: Option<&str>| raw.map(clean_value).filter(|v| !v.is_empty());
    let mut out = Vec::new();
    for n in 1..=30 {
        let number = n.to_string();
        let bare = |name: &str| (n == 1).then(|| exact_param(template, name)).flatten();
        // `editor{n}-{part}`, `editor-{part}{n}`, and for the first editor `editor-{part}`.
        let part = |part: &str| {
            let suffix = format!("-{part}");
            let prefix = format!("editor-{part}");
            cleaned(
                numbered_param(template, "editor", &number, &suffix)
                    .or_else(|| numbered_param(template, &prefix, &number, ""))
                    .or_else(|| bare(&prefix)),
            )
        };
        let literal = numbered_param(template, "editor", &number, "").or_else(|| bare("editor"));
        if let Some(family) = part("last").or_else(|| part("surname")) {
            out.push(Name::Structured {
                family,
                given: part("first").or_else(|| part("given")).unwrap_or_default(),
            });
        } else if let Some(literal) = cleaned(literal) {
            // `editor=A.C. Grayling, ed.`: the role is said by the field.
            let name = EDITOR_ROLE.replace(&literal, "").trim().to_owned();
            out.push(Name::Literal {
                literal: if name.is_empty() { literal } else { name },
            });
        } else if n > 1 {
            break;
        }
    }
    if let Some(names) = cleaned(exact_param(template, "editors")) {
        out.extend(split_names(&names, &[';', '；', '、', '，']));
    }
    out
}

fn split_names(names: &str, separators: &[char]) -> impl Iterator<Item = Name> {
    names
        .split(separators)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| Name::Literal {
            literal: n.to_owned(),
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// The non-empty parameters of one template by name, for many lookups; the first of a name
/// wins, as in [`Template::param`].
struct ParamIndex<'t> {
    values: HashMap<&'t str, &'t str>,
}

impl<'t> ParamIndex<'t> {
    fn of(template: &'t Template) -> Self {
        let mut values = HashMap::with_capacity(template.params.len());
        for (name, value) in &template.params {
            let value = value.trim();
            if !value.is_empty() {
                values.entry(name.as_str()).or_insert(value);
            }
        }
        ParamIndex { values }
    }

    /// The value of the first of `names` that has one.
    fn first(&self, names: &[&str]) -> Option<&'t str> {
        names.iter().find_map(|name| self.values.get(name).copied())
    }
}

/// The trimmed value of the first non-empty parameter named `name`.
fn exact_param<'t>(template: &'t Template, name: &str) -> Option<&'t str> {
    template.param(&[name])
}

/// The trimmed value of the first non-empty parameter named `{prefix}{number}{suffix}`, found
/// without formatting that name (numbered names are tried by the dozen per template).
fn numbered_param<'t>(
    template: &'t Template,
    prefix: &str,
    number: &str,
    suffix: &str,
) -> Option<&'t str> {
    template.params.iter().find_map(|(name, value)| {
        let matches = name.len() == prefix.len() + number.len() + suffix.len()
            && name.starts_with(prefix)
            && name.ends_with(suffix)
            && name[prefix.len()..].starts_with(number);
        let value = value.trim();
        (matches && !value.is_empty()).then_some(value)
    })
}

/// What `{{webarchive}}` and `{{dead link}}` say about the link they follow.
pub(crate) fn apply_link_helpers(templates: &[Template], record: &mut Reference) {
    for template in templates {
        match template.name.to_lowercase().as_str() {
            // `{{wayback}}` names the archived page and the copy's timestamp, not the copy.
            "wayback" => {
                if let (None, Some(page)) = (&record.custom.archive_url, template.param(&["url"])) {
                    let stamp = template.param(&["date"]).unwrap_or("*");
                    record.custom.archive_url =
                        Some(format!("https://web.archive.org/web/{stamp}/{page}"));
                }
            }
            "webarchive" | "web archive" => {
                if record.custom.archive_url.is_none() {
                    record.custom.archive_url = template.param(&["url", "url1"]).map(str::to_owned);
                }
                if record.custom.archive_date.is_none() {
                    record.custom.archive_date =
                        template.param(&["date", "date1"]).map(str::to_owned);
                }
            }
            "dead link" | "deadlink" | "死链" | "死鏈" | "失效链接" | "失效連結" | "dl" =>
            {
                record.custom.url_status = Some("dead".to_owned());
            }
            name => {
                // `{{en}}`, `{{Ru icon}}`: the language of the linked page.
                let code = name.strip_suffix(" icon").unwrap_or(name);
                if record.language.is_none() {
                    record.language = known_code(code);
                }
            }
        }
    }
}

static DATE_TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\{\{\s*(?:start |end |release |publication )?date(?: and age)?\s*\|\s*(\d{4})\s*(?:\|\s*(\d{1,2})\s*)?(?:\|\s*(\d{1,2})\s*)?(?:\|[^{}]*)?\}\}").unwrap()
});

/// `{{Start date|2020|1|19}}` and its kin as `2020-1-19`, so that dates given through them
/// survive the removal of templates.
fn date_template_as_text(value: &str) -> String {
    DATE_TEMPLATE
        .replace_all(value, |c: &regex::Captures<'_>| {
            [c.get(1), c.get(2), c.get(3)]
                .into_iter()
                .flatten()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join("-")
        })
        .into_owned()
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?(?:-->|$)").unwrap());
static WIKILINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\[(?:[^\]|]*\|)?([^\]|]*)\]\]").unwrap());
static EXTERNAL_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(?:https?:)?//[^\s\]]+\s*([^\]]*)\]").unwrap());
static CONVERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-\{(?:[^{}|]*\|)?([^{}]*)\}-").unwrap());
static LANG_TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\{\{\s*lang\s*\|[^|{}]*\|([^|{}]*)(?:\|[^{}]*)?\}\}").unwrap()
});
// A tag name followed by attributes, `/` or `>`: `<https://…>` autolinks are not tags.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>").unwrap());
static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").unwrap());

/// The visible text of a template parameter value: wiki links show their label, external
/// links their text, `{{lang|xx|text}}` its text, `-{…}-` its body (the first variant of a
/// variant list), other templates, tags, comments and bold/italic quotes nothing.
///
/// Hand-written because the readers hand over parameter values as source text, and a full
/// wikitext parser would be far more than these few shapes need.
pub fn clean_value(value: &str) -> String {
    // Most values (names, dates, publishers, identifiers) hold no markup at all: the passes below
    // would each copy them for nothing (this function was 5 % of the pipeline's time).
    if !value
        .bytes()
        .any(|b| matches!(b, b'<' | b'[' | b'{' | b'\'' | b'&'))
    {
        return collapse_spaces(value.trim());
    }
    // Each pass runs only where the text, as the passes before left it, holds what every match
    // of it contains: a value with an apostrophe or a tag alone (most that come here) no longer
    // pays for every search and copy.
    let mut text = value.to_owned();
    let mut pass = |needle: &str, apply: &dyn Fn(&str) -> String| {
        if text.contains(needle) {
            text = apply(&text);
        }
    };
    pass("<!--", &|t| COMMENT.replace_all(t, "").into_owned());
    pass("[[", &|t| WIKILINK.replace_all(t, "$1").into_owned());
    pass("//", &|t| EXTERNAL_LINK.replace_all(t, "$1").into_owned());
    pass("{{", &|t| LANG_TEMPLATE.replace_all(t, "$1").into_owned());
    pass("{{", &without_templates);
    pass("-{", &|t| {
        CONVERSION
            .replace_all(t, |c: &regex::Captures<'_>| first_variant(&c[1]))
            .into_owned()
    });
    pass("<", &|t| TAG.replace_all(t, " ").into_owned());
    pass("''", &|t| t.replace("'''", "").replace("''", ""));
    pass("&", &|t| {
        t.replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#124;", "|")
    });
    collapse_spaces(text.trim())
}

/// Every run of white space as one space (`\s+` → ` `), without a regex search when the text
/// has no run to collapse.
fn collapse_spaces(text: &str) -> String {
    let mut previous_space = false;
    for c in text.chars() {
        let space = c.is_whitespace();
        if space && (c != ' ' || previous_space) {
            return SPACES.replace_all(text, " ").into_owned();
        }
        previous_space = space;
    }
    text.to_owned()
}

/// The text outside `{{…}}`, nested or not, in one pass (repeatedly removing innermost
/// templates would be quadratic on deep nesting). An unclosed `{{` hides the rest.
fn without_templates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") {
            depth += 1;
            rest = &rest[2..];
        } else if depth > 0 && rest.starts_with("}}") {
            depth -= 1;
            rest = &rest[2..];
        } else {
            if depth == 0 {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// `zh-hans:甲;zh-hant:乙` → `甲`; plain text stays as it is.
fn first_variant(body: &str) -> String {
    let first = body.split(';').next().unwrap_or(body);
    match first.split_once(':') {
        Some((variant, text)) if variant.trim().starts_with("zh") => text.trim().to_owned(),
        _ => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        for (input, expected) in [
            ("[[簡體中文]]", "簡體中文"),
            ("[[国际在线|国际在线网]]", "国际在线网"),
            ("''The Times''", "The Times"),
            ("[http://x.org 标题]", "标题"),
            ("标题<!-- 注释 -->", "标题"),
            ("{{lang|en|Title}} 续", "Title 续"),
            ("{{Release date and age|2020|1|1}}", ""),
            ("-{zh-hans:甲;zh-hant:乙}-与-{丙}-", "甲与丙"),
            ("a<br />b", "a b"),
            ("前{{a|{{b|c}}|d}}后}}", "前后}}"),
            ("未闭合{{a|b", "未闭合"),
        ] {
            assert_eq!(clean_value(input), expected, "{input}");
        }
    }

    /// Every pass of `clean_value`, each run whatever the text holds.
    fn clean_value_by_every_pass(value: &str) -> String {
        let text = COMMENT.replace_all(value, "");
        let text = WIKILINK.replace_all(&text, "$1");
        let text = EXTERNAL_LINK.replace_all(&text, "$1");
        let text = LANG_TEMPLATE.replace_all(&text, "$1");
        let text = without_templates(&text);
        let text = CONVERSION.replace_all(&text, |c: &regex::Captures<'_>| first_variant(&c[1]));
        let text = TAG.replace_all(&text, " ");
        let text = text
            .replace("'''", "")
            .replace("''", "")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#124;", "|");
        collapse_spaces(text.trim())
    }

    proptest::proptest! {
        /// Skipping the passes whose marker a text lacks changes nothing.
        #[test]
        fn passes_skipped_change_nothing(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<!--", "-->", "[[", "]]", "|", "[", "]", "http://", "//", " ", "{{", "}}",
                "lang|en|", "-{", "}-", "zh-hans:", ";", "<br />", "<b>", "</b>", "<", ">",
                "'", "''", "'''", "&", "&nbsp;", "&amp;", "&quot;", "&#124;", "&nb", "sp;",
                "甲", "a", "\n",
            ]), 0..16)
        ) {
            let value = parts.concat();
            proptest::prop_assert_eq!(clean_value(&value), clean_value_by_every_pass(&value));
        }
    }

    fn template(params: &[(&str, &str)]) -> Template {
        Template {
            name: "cite book".to_owned(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn structured(family: &str, given: &str) -> Name {
        Name::Structured {
            family: family.to_owned(),
            given: given.to_owned(),
        }
    }

    fn literal(literal: &str) -> Name {
        Name::Literal {
            literal: literal.to_owned(),
        }
    }

    #[test]
    fn every_spelling_of_a_numbered_author_in_its_order() {
        let cite = template(&[
            ("surname", "Bare"),
            ("last1", " "),
            ("given1", "Given"),
            ("author-last2", "Second"),
            ("author2-first", "Two"),
            ("author3", "Third Author"),
            ("last10", "Tenth"),
            ("last4", "Fourth"),
            ("authors", "甲；乙"),
        ]);
        assert_eq!(
            authors(&cite),
            [
                structured("Bare", "Given"),
                structured("Second", "Two"),
                literal("Third Author"),
                structured("Fourth", ""),
                literal("甲"),
                literal("乙"),
            ]
        );
        // A number that no parameter holds ends the list (`last10` is not `last1`).
        assert_eq!(
            authors(&template(&[("last10", "Tenth")])),
            Vec::<Name>::new()
        );
    }

    #[test]
    fn every_spelling_of_a_numbered_editor_in_its_order() {
        let cite = template(&[
            ("editor-last", "Bare"),
            ("editor-given", "Given"),
            ("editor-surname2", "Second"),
            ("editor2-first", "Two"),
            ("editor3", "Third, ed."),
            ("editors", "丙、丁"),
        ]);
        assert_eq!(
            editors(&cite),
            [
                structured("Bare", "Given"),
                structured("Second", "Two"),
                literal("Third"),
                literal("丙"),
                literal("丁"),
            ]
        );
    }

    #[test]
    fn the_first_of_several_names_with_a_value_wins() {
        let cite = template(&[("website", "Site"), ("work", ""), ("work", "Work")]);
        let index = ParamIndex::of(&cite);
        assert_eq!(index.first(&["work", "website"]), Some("Work"));
        assert_eq!(index.first(&["journal", "website"]), Some("Site"));
        assert_eq!(index.first(&["journal"]), None);
    }
}
