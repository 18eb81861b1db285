//! Judges the wikitext reader by MediaWiki's own parser tests: for each test, the visible text of
//! the HTML that MediaWiki renders against the text zhnorm reads from the same wikitext.
//!
//! `cargo run --release -p zhnorm-formats --example parser_tests -- DIR [--magic] [--failures]
//! [--only FILE_STEM]`
//!
//! DIR holds MediaWiki's `tests/parser/*.txt` (the search tool's `fetch` of
//! `wikimedia/mediawiki-services-parsoid` brings them; nothing of them is in this repository).
//!
//! The selection is the one issue 20 names: render mode (no `pst`, `msg`, `section`, … option),
//! the default title and English content language (no `title=`, `language=`, `variant=`), no
//! `!! config`, and an `html/php` or `html` expectation. Without `--magic`, the template-free tests
//! (no `{{` in the wikitext); with it, those whose every `{{…}}` is a parser function or a magic
//! word, also counted for the subset that issue 20's item 3 covers.
//!
//! Visible text: tags stripped (block-level tags as a space), entities decoded, white space
//! collapsed. Three departures that zhnorm makes on purpose are removed from MediaWiki's side before
//! comparing, because they are not text a reader of the article sees as content: the `[1]`
//! citation markers and the reference list (references are structured records in zhnorm), the table
//! of contents, the `[edit]` links of headings, and the `[1]` numbers of unlabeled external links.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regex::Regex;
use zhnorm_doc::{Format, PageInfo, Source, article_text};
use zhnorm_formats::wikitext::{ContentLanguage, Page};

/// Options that put a test outside the selection: another mode, title, language or output.
const EXCLUDING_OPTIONS: &[&str] = &[
    "title",
    "language",
    "variant",
    "userlanguage",
    "htmlVariantLanguage",
    "pst",
    "msg",
    "section",
    "replace",
    "comment",
    "preload",
    "showtitle",
    "showflags",
    "showindicators",
    "showmedia",
    "showtocdata",
    "cat",
    "ill",
    "local",
    "subpage",
    "disabled",
    "nohtml",
    "djvu",
    "externallinktarget",
    "lastsavedrevision",
    "wrapclass",
];

/// Parser functions and magic words whose value follows from the page alone (issue 20, item 3).
const ITEM_THREE: &[&str] = &[
    "#tag",
    "#if",
    "#ifeq",
    "#switch",
    "#expr",
    "#ifexpr",
    "lc",
    "uc",
    "lcfirst",
    "ucfirst",
    "formatnum",
    "padleft",
    "padright",
    "#language",
    "PAGENAME",
    "PAGENAMEE",
    "FULLPAGENAME",
    "FULLPAGENAMEE",
    "BASEPAGENAME",
    "BASEPAGENAMEE",
    "SUBPAGENAME",
    "SUBPAGENAMEE",
    "ROOTPAGENAME",
    "ROOTPAGENAMEE",
    "ARTICLEPAGENAME",
    "ARTICLEPAGENAMEE",
    "SUBJECTPAGENAME",
    "SUBJECTPAGENAMEE",
    "TALKPAGENAME",
    "TALKPAGENAMEE",
    "NAMESPACE",
    "NAMESPACEE",
    "NAMESPACENUMBER",
    "CURRENTYEAR",
    "CURRENTMONTH",
    "CURRENTMONTH1",
    "CURRENTMONTH2",
    "CURRENTMONTHNAME",
    "CURRENTMONTHNAMEGEN",
    "CURRENTMONTHABBREV",
    "CURRENTDAY",
    "CURRENTDAY2",
    "CURRENTDOW",
    "CURRENTDAYNAME",
    "CURRENTTIME",
    "CURRENTHOUR",
    "CURRENTWEEK",
    "CURRENTTIMESTAMP",
    "LOCALYEAR",
    "LOCALMONTH",
    "LOCALMONTH1",
    "LOCALMONTH2",
    "LOCALMONTHNAME",
    "LOCALMONTHNAMEGEN",
    "LOCALMONTHABBREV",
    "LOCALDAY",
    "LOCALDAY2",
    "LOCALDOW",
    "LOCALDAYNAME",
    "LOCALTIME",
    "LOCALHOUR",
    "LOCALWEEK",
    "LOCALTIMESTAMP",
];

/// Other parser functions and magic words: a test using only these and item three's is in the
/// magic-word selection, but outside item three's subset.
const OTHER_MAGIC: &[&str] = &[
    "!",
    "=",
    "#time",
    "#timel",
    "#rel2abs",
    "#titleparts",
    "#ifexist",
    "#iferror",
    "#special",
    "#speciale",
    "#formal",
    "#bcp47",
    "#dir",
    "#interwikilink",
    "#interlanguagelink",
    "#invoke",
    "urlencode",
    "anchorencode",
    "localurl",
    "localurle",
    "fullurl",
    "fullurle",
    "canonicalurl",
    "canonicalurle",
    "ns",
    "nse",
    "int",
    "plural",
    "grammar",
    "gender",
    "bidi",
    "filepath",
    "DISPLAYTITLE",
    "DEFAULTSORT",
    "DEFAULTSORTKEY",
    "DEFAULTCATEGORYSORT",
    "SITENAME",
    "SERVER",
    "SERVERNAME",
    "SCRIPTPATH",
    "STYLEPATH",
    "DIRECTIONMARK",
    "DIRMARK",
    "CONTENTLANGUAGE",
    "CONTENTLANG",
    "PAGELANGUAGE",
    "NUMBEROFARTICLES",
    "NUMBEROFPAGES",
    "NUMBEROFFILES",
    "NUMBEROFUSERS",
    "NUMBEROFEDITS",
    "NUMBEROFADMINS",
    "NUMBEROFACTIVEUSERS",
    "NUMBERINGROUP",
    "PAGESINCATEGORY",
    "PAGESIZE",
    "PROTECTIONLEVEL",
    "PROTECTIONEXPIRY",
    "CASCADINGSOURCES",
    "REVISIONID",
    "REVISIONDAY",
    "REVISIONDAY2",
    "REVISIONMONTH",
    "REVISIONMONTH1",
    "REVISIONYEAR",
    "REVISIONTIMESTAMP",
    "REVISIONUSER",
    "REVISIONSIZE",
    "PAGEID",
    "TALKSPACE",
    "TALKSPACEE",
    "SUBJECTSPACE",
    "SUBJECTSPACEE",
    "NAMESPACEE",
    "CURRENTVERSION",
    "subst",
    "safesubst",
    "msgnw",
    "raw",
    "msg",
    "nowiki",
    "formatdate",
    "#formatdate",
    "noexternallanglinks",
    "#property",
    "#statements",
];

struct Case {
    file: String,
    name: String,
    options: String,
    config: bool,
    wikitext: String,
    html: Option<String>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let (mut magic, mut failures, mut only) = (false, false, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--magic" => magic = true,
            "--failures" => failures = true,
            "--only" => only = args.next(),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "usage: parser_tests DIR [--magic] [--failures] [--only FILE_STEM] (DIR: MediaWiki's tests/parser)"
        );
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();

    let strip = Stripper::new();
    let mut per_file: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut item_three_total, mut item_three_pass) = (0, 0);
    let mut excluded: BTreeMap<&'static str, usize> = BTreeMap::new();
    for path in &files {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if only.as_ref().is_some_and(|o| *o != stem) {
            continue;
        }
        let bytes = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for case in cases(&stem, &text) {
            let Some(html) = &case.html else {
                *excluded
                    .entry("no html/php or html expectation")
                    .or_default() += 1;
                continue;
            };
            if case.config {
                *excluded.entry("!! config").or_default() += 1;
                continue;
            }
            if let Some(option) = excluding_option(&case.options) {
                *excluded.entry(option).or_default() += 1;
                continue;
            }
            let calls = braces(&case.wikitext);
            let in_item_three = if magic {
                let Some(names) = calls else {
                    *excluded.entry("a template").or_default() += 1;
                    continue;
                };
                if names.is_empty() {
                    continue;
                }
                names.iter().all(|n| ITEM_THREE.contains(&n.as_str()))
            } else {
                if !calls.as_ref().is_some_and(Vec::is_empty) {
                    continue;
                }
                false
            };
            let expected = strip.visible(html);
            let got = zhnorm_text(&case.wikitext);
            let pass = expected == got;
            let entry = per_file.entry(case.file.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(pass);
            if in_item_three {
                item_three_total += 1;
                item_three_pass += usize::from(pass);
            }
            if failures && !pass {
                let mark = if in_item_three { " [item 3]" } else { "" };
                println!("--- {} :: {}{mark}", case.file, case.name);
                println!("wikitext: {:?}", case.wikitext);
                println!("expected: {expected:?}");
                println!("got:      {got:?}");
            }
        }
    }
    let (total, pass) = per_file
        .values()
        .fold((0, 0), |(t, p), (ft, fp)| (t + ft, p + fp));
    println!("| construct (test file) | pass | tests | rate |");
    println!("| --- | ---: | ---: | ---: |");
    for (file, (t, p)) in &per_file {
        println!("| {file} | {p} | {t} | {:.1} % |", percent(*p, *t));
    }
    println!(
        "| **all** | {pass} | {total} | {:.1} % |",
        percent(pass, total)
    );
    if magic {
        println!(
            "\nissue 20 item three (only the functions and words it names): {item_three_pass} of {item_three_total} ({:.1} %)",
            percent(item_three_pass, item_three_total)
        );
    }
    println!("\nleft out of the selection: {excluded:?}");
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// MediaWiki's parser tests run at a fixed clock: `ParserTestRunner::getFakeTimestamp` gives
/// 123 seconds after the epoch, which the date magic words show.
const PARSER_TESTS_CLOCK: &str = "1970-01-01T00:02:03Z";

/// The visible text zhnorm reads from `wikitext`, white space collapsed: read as the page
/// `Parser test` (the tests' default title), in English, at the tests' clock.
fn zhnorm_text(wikitext: &str) -> String {
    let mut source = Source::given("Parser test.wiki", Format::Wikitext);
    source.page = Some(PageInfo {
        timestamp: Some(PARSER_TESTS_CLOCK.to_owned()),
        ..Default::default()
    });
    let parsed = zhnorm_formats::wikitext::read_page(
        wikitext,
        source,
        Page {
            title: Some("Parser test"),
            language: ContentLanguage::English,
        },
    );
    collapse(&article_text(&parsed.document))
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The names of every `{{…}}` in `wikitext`: `None` when one of them is a template (or a
/// template parameter), empty when there is none.
fn braces(wikitext: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = wikitext;
    while let Some(at) = rest.find("{{") {
        rest = &rest[at + 2..];
        if rest.starts_with('{') {
            // `{{{…}}}` is a template parameter, `{{{{` nests a call: neither renders alone.
            return None;
        }
        let end = rest.find([':', '|', '}', '\n']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        let name = if name.starts_with('#') {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        };
        let known = |list: &[&str]| {
            list.iter().any(|k| {
                *k == name
                    || (k.chars().all(|c| c.is_ascii_lowercase()) && k.eq_ignore_ascii_case(&name))
            })
        };
        if !(known(ITEM_THREE) || known(OTHER_MAGIC)) {
            return None;
        }
        names.push(
            ITEM_THREE
                .iter()
                .chain(OTHER_MAGIC)
                .find(|k| k.eq_ignore_ascii_case(&name))
                .map_or(name.clone(), |k| (*k).to_owned()),
        );
    }
    Some(names)
}

fn excluding_option(options: &str) -> Option<&'static str> {
    let options = without_parsoid_json(options);
    EXCLUDING_OPTIONS.iter().copied().find(|key| {
        options
            .split(|c: char| c.is_whitespace())
            .any(|word| word == *key || word.strip_prefix(key).is_some_and(|r| r.starts_with('=')))
    })
}

/// The options without `parsoid=…` (a JSON object or one word), whose keys are Parsoid's own.
fn without_parsoid_json(options: &str) -> String {
    let Some(at) = options.find("parsoid") else {
        return options.to_owned();
    };
    let after = options[at + "parsoid".len()..].trim_start();
    let Some(value) = after.strip_prefix('=') else {
        return options.to_owned();
    };
    let value = value.trim_start();
    let consumed = if value.starts_with('{') {
        let mut depth = 0;
        let mut end = value.len();
        for (i, c) in value.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        end
    } else {
        value.find(char::is_whitespace).unwrap_or(value.len())
    };
    let rest = &value[consumed..];
    format!("{} {}", &options[..at], without_parsoid_json(rest))
}

/// The tests of one file. Articles (`!! article`) and hooks are skipped: they define the
/// templates and extensions of other tests.
fn cases(file: &str, text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut current: Option<Case> = None;
    let mut section = String::new();
    let mut body = String::new();
    let flush = |case: &mut Option<Case>, section: &str, body: &mut String| {
        let value = body.strip_suffix('\n').unwrap_or(body).to_owned();
        body.clear();
        let Some(case) = case.as_mut() else { return };
        match section {
            "test" => case.name = value.trim().to_owned(),
            "options" => case.options = value,
            "config" => case.config = true,
            "wikitext" => case.wikitext = value,
            "html/php" => case.html = Some(value),
            "html" if case.html.is_none() => case.html = Some(value),
            _ => {}
        }
    };
    for line in text.split_inclusive('\n') {
        let Some(marker) = line.strip_prefix("!!") else {
            body.push_str(line);
            continue;
        };
        let marker = marker.trim().to_ascii_lowercase();
        flush(&mut current, &section, &mut body);
        match marker.as_str() {
            "test" => {
                current = Some(Case {
                    file: file.to_owned(),
                    name: String::new(),
                    options: String::new(),
                    config: false,
                    wikitext: String::new(),
                    html: None,
                });
            }
            "end" => {
                if let Some(case) = current.take() {
                    out.push(case);
                }
            }
            _ => {}
        }
        section = marker;
    }
    out
}

/// MediaWiki's HTML to visible text.
struct Stripper {
    comment: Regex,
    citation_marker: Regex,
    autonumber: Regex,
    tag: Regex,
}

/// Elements that start a new line when rendered: their tags become a space.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "pre",
    "blockquote",
    "figure",
    "figcaption",
    "hr",
    "center",
    "tbody",
    "thead",
    "tfoot",
    "section",
    "hgroup",
];

impl Stripper {
    fn new() -> Self {
        Stripper {
            comment: Regex::new(r"(?s)<!--.*?-->").unwrap(),
            citation_marker: Regex::new(
                r#"(?s)<sup[^>]*class="[^"]*\breference\b[^"]*"[^>]*>.*?</sup>"#,
            )
            .unwrap(),
            autonumber: Regex::new(r#"(?s)<a[^>]*class="[^"]*\bautonumber\b[^"]*"[^>]*>.*?</a>"#)
                .unwrap(),
            tag: Regex::new(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>").unwrap(),
        }
    }

    fn visible(&self, html: &str) -> String {
        let html = self.comment.replace_all(html, "");
        let html = self.citation_marker.replace_all(&html, "");
        let html = self.autonumber.replace_all(&html, "");
        let html = without_element(&html, "<ol class=\"references\"", "ol");
        let html = without_element(&html, "<div class=\"mw-references-wrap", "div");
        let html = without_element(&html, "<div id=\"toc\"", "div");
        let html = without_element(&html, "<div class=\"toc\"", "div");
        let html = without_element(&html, "<style", "style");
        let html = without_element(&html, "<span class=\"mw-editsection", "span");
        let html = without_hidden_figcaptions(&html);
        let text = self.tag.replace_all(&html, |c: &regex::Captures| {
            if BLOCK_TAGS.contains(&c[1].to_ascii_lowercase().as_str()) {
                " "
            } else {
                ""
            }
        });
        collapse(&htmlize::unescape(text.as_ref()))
    }
}

/// `html` without the captions MediaWiki renders but hides: a `<figure>` that is neither a
/// thumbnail nor framed (`typeof="mw:File"`, `mw:File/Frameless`) keeps its caption in a
/// `<figcaption>` that MediaWiki's own style sheet hides (`display: none`), so no reader sees it.
/// (Stripping tags alone showed it, and counted `[[File:x.jpg|right|Caption]]` as showing
/// `Caption`, which a MediaWiki page does not.)
fn without_hidden_figcaptions(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<figure") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |p| at + p + 1);
        let start_tag = &rest[at..tag_end];
        let framed = start_tag
            .split(['"', ' '])
            .any(|token| token == "mw:File/Thumb" || token == "mw:File/Frame");
        out.push_str(&rest[..tag_end]);
        rest = &rest[tag_end..];
        if framed {
            continue;
        }
        let figure_end = rest.find("</figure>").unwrap_or(rest.len());
        if let Some(caption) = rest[..figure_end].find("<figcaption")
            && let Some(caption_end) = rest[caption..figure_end].find("</figcaption>")
        {
            out.push_str(&rest[..caption]);
            rest = &rest[caption + caption_end + "</figcaption>".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// `html` without every element that starts with `opening` (a prefix of its start tag), up to
/// the end tag of `name` that closes it (nesting of `name` counted).
fn without_element(html: &str, opening: &str, name: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    while let Some(at) = rest.find(opening) {
        out.push_str(&rest[..at]);
        let mut depth = 0usize;
        let mut i = at;
        let mut end = rest.len();
        while i < rest.len() {
            if rest[i..].starts_with(&close) {
                depth = depth.saturating_sub(1);
                i += close.len();
                if depth == 0 {
                    end = i;
                    break;
                }
            } else if rest[i..].starts_with(&open) {
                depth += 1;
                i += open.len();
            } else {
                i += rest[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
