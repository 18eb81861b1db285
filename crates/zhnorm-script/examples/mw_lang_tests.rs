//! Measures zhnorm's reading of conversion markup against MediaWiki's own parser tests: every
//! Chinese test (`language=zh`) of the parser-test files in a folder, in every variant the test
//! names, read as wikitext and converted as `normalize` does, compared on visible text with the
//! HTML MediaWiki renders.
//!
//! ```text
//! cargo run --release -p zhnorm-script --example mw_lang_tests -- DIR [--failures]
//! ```
//!
//! `DIR` holds MediaWiki's parser-test files (`*.txt`, e.g. `langParserTests.txt` and
//! `langParserTests2.txt` of `tests/parser/` in mediawiki-services-parsoid). They are not part of
//! this project; fetch them yourself. `--failures` prints each failing pair with both texts.
//!
//! A test runs in each variant of its `htmlVariantLanguage` option (a comma-separated list), or
//! in base `zh` when it names none. The expected text is that of `html/php` (the legacy
//! parser, which converts), else `html/parsoid+langconv`; a test with neither is skipped, as
//! are tests whose wikitext holds no Chinese-converter construct and that are in another
//! language. Visible text: tags stripped (block tags count as a space), entities decoded,
//! white space collapsed. Variants zhnorm does not know are counted as "cannot run".

use std::collections::BTreeMap;
use std::path::PathBuf;

use zhnorm_doc::{Format, Source};
use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant, convert_document};

/// One parser test, by its sections.
#[derive(Debug, Default)]
struct Case {
    file: String,
    name: String,
    sections: BTreeMap<String, String>,
}

fn parse_file(file: &str, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    let mut section: Option<String> = None;
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("!!") {
            let head = head.trim().to_owned();
            match head.as_str() {
                "test" => {
                    current = Some(Case {
                        file: file.to_owned(),
                        ..Case::default()
                    });
                    section = Some("test".to_owned());
                }
                "end" => {
                    if let Some(case) = current.take() {
                        cases.push(case);
                    }
                    section = None;
                }
                _ => {
                    section = current.as_ref().map(|_| head);
                }
            }
            continue;
        }
        if let (Some(case), Some(name)) = (current.as_mut(), &section) {
            if name == "test" {
                if !case.name.is_empty() {
                    case.name.push(' ');
                }
                case.name.push_str(line.trim());
            } else {
                let body = case.sections.entry(name.clone()).or_default();
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    cases
}

/// The `key=value` options of a case (values may be quoted or comma lists).
fn options(case: &Case) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let text = case.sections.get("options").map_or("", String::as_str);
    for word in text.split_whitespace() {
        match word.split_once('=') {
            Some((k, v)) => out.insert(k.to_owned(), v.trim_matches('"').to_owned()),
            None => out.insert(word.to_owned(), String::new()),
        };
    }
    out
}

/// MediaWiki's variant code for a BCP 47 or MediaWiki code (`zh-Hant-TW` → `zh-tw`).
fn mediawiki_code(code: &str) -> String {
    match code.to_ascii_lowercase().as_str() {
        "zh-hans-cn" => "zh-cn".to_owned(),
        "zh-hans-sg" => "zh-sg".to_owned(),
        "zh-hans-my" => "zh-my".to_owned(),
        "zh-hant-tw" => "zh-tw".to_owned(),
        "zh-hant-hk" => "zh-hk".to_owned(),
        "zh-hant-mo" => "zh-mo".to_owned(),
        other => other.to_owned(),
    }
}

/// zhnorm's tag for a MediaWiki code, as `--variant` takes it.
fn zhnorm_tag(code: &str) -> String {
    match code {
        "zh-hans" => "zh-Hans".to_owned(),
        "zh-hant" => "zh-Hant".to_owned(),
        "zh" => "zh".to_owned(),
        other => match other.split_once('-') {
            Some((lang, region)) => format!("{lang}-{}", region.to_ascii_uppercase()),
            None => other.to_owned(),
        },
    }
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "td",
    "th",
    "tr",
    "table",
    "tbody",
    "caption",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "figure",
    "figcaption",
    "blockquote",
    "hr",
];

/// The visible text of an HTML fragment: tags stripped (attribute values may hold `>`),
/// entities decoded, white space collapsed.
fn visible_html(html: &str) -> String {
    let mut out = String::new();
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '<' {
            out.push(c);
            continue;
        }
        let mut quote: Option<char> = None;
        let mut end = html.len();
        for (j, d) in chars.by_ref() {
            match quote {
                Some(q) if d == q => quote = None,
                Some(_) => {}
                None if d == '"' || d == '\'' => quote = Some(d),
                None if d == '>' => {
                    end = j;
                    break;
                }
                None => {}
            }
        }
        let tag = html[i + 1..end.max(i + 1)]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // Section edit links are page chrome, not the article's text.
        if html[i..end.max(i)].contains("class=\"mw-editsection\"") {
            let mut depth = 1;
            let mut rest = &html[end.min(html.len())..];
            while depth > 0 && !rest.is_empty() {
                let open = rest.find("<span").unwrap_or(rest.len());
                let close = rest.find("</span>").unwrap_or(rest.len());
                if open < close {
                    depth += 1;
                    rest = &rest[open + 5..];
                } else if close < rest.len() {
                    depth -= 1;
                    rest = &rest[close + 7..];
                } else {
                    rest = "";
                }
            }
            let skip_to = html.len() - rest.len();
            while chars.peek().is_some_and(|(j, _)| *j < skip_to) {
                chars.next();
            }
            continue;
        }
        if BLOCK_TAGS.contains(&tag.as_str()) {
            out.push(' ');
        }
    }
    collapse(&decode_entities(&out))
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The visible text zhnorm gives `wikitext` in variant `tag`, or why it cannot run.
fn zhnorm_text(wikitext: &str, variant: Variant) -> String {
    let converter = Converter::new(variant, EngineKind::Builtin, ConvertOptions::default())
        .expect("the builtin engine loads");
    let mut text = wikitext.to_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let parsed = zhnorm_formats::read(&text, Source::given("Parser test", Format::Wikitext));
    let mut doc = parsed.document;
    convert_document(&mut doc, &converter);
    collapse(&zhnorm_doc::article_text(&doc))
}

#[derive(Default)]
struct Tally {
    pass: usize,
    total: usize,
    cannot_run: usize,
}

fn main() -> std::io::Result<()> {
    let mut dir: Option<PathBuf> = None;
    let mut show_failures = false;
    for arg in std::env::args().skip(1) {
        if arg == "--failures" {
            show_failures = true;
        } else {
            dir = Some(PathBuf::from(arg));
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: mw_lang_tests DIR [--failures]");
        std::process::exit(2);
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut tests = 0;
    for path in &paths {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(path)?;
        for case in parse_file(&file, &text) {
            let opts = options(&case);
            if opts.get("language").map(String::as_str) != Some("zh")
                || opts.contains_key("disabled")
            {
                continue;
            }
            let Some(expected) = case
                .sections
                .get("html/php")
                .or_else(|| case.sections.get("html/parsoid+langconv"))
                .or_else(|| case.sections.get("html"))
            else {
                continue;
            };
            let Some(wikitext) = case.sections.get("wikitext") else {
                continue;
            };
            tests += 1;
            let expected = visible_html(expected);
            let codes: Vec<String> = opts
                .get("htmlVariantLanguage")
                .or_else(|| opts.get("variant"))
                .map_or_else(
                    || vec!["zh".to_owned()],
                    |list| list.split(',').map(mediawiki_code).collect(),
                );
            for code in codes {
                let tally = tallies.entry(code.clone()).or_default();
                tally.total += 1;
                let Ok(variant) = zhnorm_tag(&code).parse::<Variant>() else {
                    tally.cannot_run += 1;
                    continue;
                };
                let got = zhnorm_text(wikitext, variant);
                if got == expected {
                    tally.pass += 1;
                } else if show_failures {
                    println!("FAIL {} :: {} [{code}]", case.file, case.name);
                    println!("  wikitext: {:?}", wikitext.trim_end());
                    println!("  expected: {expected:?}");
                    println!("  got:      {got:?}");
                }
            }
        }
    }
    println!("{tests} Chinese tests with a rendered output");
    println!("| variant | pass | pairs | cannot run |");
    println!("| --- | ---: | ---: | ---: |");
    let (mut pass, mut total, mut cannot) = (0, 0, 0);
    for (code, t) in &tallies {
        println!("| {code} | {} | {} | {} |", t.pass, t.total, t.cannot_run);
        pass += t.pass;
        total += t.total;
        cannot += t.cannot_run;
    }
    println!("| all | {pass} | {total} | {cannot} |");
    Ok(())
}
