//! Short citations and the sources they point at.
//!
//! zh.wikipedia's footnote templates (`{{sfn}}`, `{{sfnp}}`, `{{sfnm}}`, `{{harv}}`,
//! `{{harvnb}}`, `{{harvp}}`) name a source by its authors' surnames and year, and a place in
//! it (`p=`, `pp=`, `loc=`). The wiki finds the source by an anchor: `CITEREF` followed by
//! those surnames and the year, which a citation template sets with `ref=harv` (from its own
//! authors and year) or `ref={{sfnRef|…}}`. [`link`] does the same for every short record,
//! templates and hand-written short forms (`Forbes, 1909, pp. 147–150`) alike, and falls back
//! to the first author's family name and the year, or the title.

use foldhash::{HashMap, HashMapExt};

use zhnorm_doc::{Diagnostic, Name, RawReference, Reference, Template, codes};

use crate::folded;
use crate::footnote::{MULTI, NOTE, SHORT};
use crate::freetext::locator_of;

/// The short-citation templates, by the name MediaWiki matches.
const TEMPLATES: [&str; 9] = [
    "Sfn",
    "Sfnp",
    "Sfnm",
    "Harv",
    "Harvnb",
    "Harvp",
    "Harvtxt",
    "Harvcoltxt",
    "Harvard citation no brackets",
];

/// What a short-citation template says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShortRef {
    pub authors: Vec<String>,
    pub year: Option<String>,
    pub locator: Option<String>,
    pub label: Option<String>,
}

impl ShortRef {
    pub(crate) fn fill(self, record: &mut Reference) {
        record.kind = "document".to_owned();
        record.custom.kind = Some(SHORT.to_owned());
        record.author = self
            .authors
            .into_iter()
            .map(|family| Name::Structured {
                family,
                given: String::new(),
            })
            .collect();
        record.issued = self.year;
        record.custom.locator = self.locator;
        record.custom.locator_label = self.label;
    }
}

fn is_short_template(template: &Template) -> bool {
    let name = template.name.trim();
    TEMPLATES.iter().any(|t| t.eq_ignore_ascii_case(name))
}

fn looks_like_year(text: &str) -> bool {
    let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 4 && text.len() <= 6) || text.eq_ignore_ascii_case("n.d.") || text == "nd"
}

/// The short citation of a footnote that is a short-citation template, if it is one.
pub(crate) fn from_template(raw: &RawReference) -> Option<ShortRef> {
    let template = raw.templates.iter().find(|t| is_short_template(t))?;
    let multi = template.name.eq_ignore_ascii_case("sfnm");
    let mut authors = Vec::new();
    let mut year = None;
    if multi {
        // `{{sfnm|1a1=A|1a2=B|1y=2000|1p=5|2a1=…}}`: the first source only; the others are
        // kept in the raw text.
        for n in 1..=4 {
            if let Some(a) = template.param(&[&format!("1a{n}")]) {
                authors.push(a.to_owned());
            }
        }
        year = template.param(&["1y"]).map(str::to_owned);
    } else {
        for n in 1..=5 {
            let Some(value) = template.param(&[&n.to_string()]) else {
                continue;
            };
            if looks_like_year(value) && !authors.is_empty() {
                year = Some(value.to_owned());
                break;
            }
            // `{{sfn|拉德布魯赫 2011|p=22}}`: name and year in one argument.
            match value.rsplit_once(char::is_whitespace) {
                Some((name, y)) if looks_like_year(y.trim()) && year.is_none() => {
                    authors.push(name.trim().to_owned());
                    year = Some(y.trim().to_owned());
                    break;
                }
                _ => authors.push(value.to_owned()),
            }
        }
    }
    let prefix = if multi { "1" } else { "" };
    let page = |name: &str| {
        template
            .param(&[&format!("{prefix}{name}")])
            .map(str::to_owned)
    };
    let (locator, label) = if let Some(p) = page("p").or_else(|| page("page")) {
        (Some(p), Some("page".to_owned()))
    } else if let Some(pp) = page("pp").or_else(|| page("pages")) {
        (Some(pp), Some("page".to_owned()))
    } else if let Some(loc) = page("loc").or_else(|| page("at")) {
        match locator_of(&loc) {
            (Some(l), Some(label)) => (Some(l), Some(label.to_owned())),
            _ => (Some(loc), None),
        }
    } else {
        (None, None)
    };
    Some(ShortRef {
        authors,
        year: year.map(|y| {
            y.trim_end_matches(|c: char| c.is_ascii_lowercase())
                .to_owned()
        }),
        locator,
        label,
    })
}

/// The anchor a citation template sets (`ref=harv`, `ref={{sfnRef|…}}`, `ref=CITEREF…`), kept
/// in `custom.extra.anchor` as the names and year run together.
pub(crate) fn anchor_of_template(template: &Template, record: &Reference) -> Option<String> {
    let value = template.param(&["ref", "Ref"])?;
    if value.eq_ignore_ascii_case("harv") || value.eq_ignore_ascii_case("sfnref") {
        let mut key: String = record
            .author
            .iter()
            .take(4)
            .map(family)
            .collect::<Vec<_>>()
            .concat();
        key.push_str(
            record
                .issued
                .as_deref()
                .map_or("", |d| d.get(..4).unwrap_or(d)),
        );
        return (!key.is_empty()).then_some(key);
    }
    if value.eq_ignore_ascii_case("none") {
        return None;
    }
    let key = anchor_key(value.trim_start_matches("CITEREF"));
    (!key.is_empty()).then_some(key)
}

/// Names and year run together, without spaces: how the wiki's anchors compare.
fn anchor_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The family name of a name as short forms write it: a structured family, the last segment of
/// a transliterated name (`安东尼·肯尼` → `肯尼`), the last word of a Latin literal.
pub(crate) fn family(name: &Name) -> String {
    let whole = match name {
        Name::Structured { family, .. } => family.clone(),
        Name::Literal { literal } => literal.clone(),
    };
    if let Some((_, last)) = whole.rsplit_once(['·', '・', '•']) {
        return last.trim().to_owned();
    }
    match name {
        Name::Literal { literal } if literal.contains(' ') => literal
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned(),
        _ => whole,
    }
}

fn year(record: &Reference) -> Option<&str> {
    record.issued.as_deref().and_then(|d| d.get(..4))
}

/// Points every short record of `references` at the source it names (`custom.source`), and
/// reports those that name a source the document does not have.
pub(crate) fn link(references: &mut [Reference]) -> Vec<Diagnostic> {
    // A part of a footnote of several citations is a short form when it names no title.
    let multi_short = |r: &Reference| {
        r.custom.kind.as_deref() == Some(MULTI) && r.title.is_none() && r.custom.locator.is_some()
    };
    let is_source = |r: &Reference| {
        !multi_short(r)
            && (!matches!(r.custom.kind.as_deref(), Some(SHORT) | Some(NOTE))
                && r.custom.group.is_none()
                || (r.custom.group.is_some() && r.custom.kind.is_none() && !r.author.is_empty()))
    };
    let is_short = |r: &Reference| r.custom.kind.as_deref() == Some(SHORT) || multi_short(r);
    // Most articles have no short citation: then there is nothing to index.
    if !references.iter().any(is_short) {
        return Vec::new();
    }
    let mut by_anchor: HashMap<String, usize> = HashMap::new();
    let mut by_family_year: HashMap<(String, String), usize> = HashMap::new();
    let mut by_family: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in references.iter().enumerate() {
        if !is_source(r) {
            continue;
        }
        if let Some(anchor) = r.custom.extra.get("anchor") {
            by_anchor.entry(anchor_key(anchor)).or_insert(i);
        }
        if let Some(first) = r.author.first().or(r.editor.first()) {
            let fam = family(first).to_lowercase();
            if let Some(y) = year(r) {
                by_family_year
                    .entry((fam.clone(), y.to_owned()))
                    .or_insert(i);
            }
            by_family.entry(fam).or_default().push(i);
        }
    }
    // Only a short citation without an author is looked up by its title (rare): the titles
    // are folded when the first one is.
    let mut by_title: Option<HashMap<String, usize>> = None;
    let mut diagnostics = Vec::new();
    let mut links = Vec::new();
    for (i, r) in references.iter().enumerate() {
        if !is_short(r) {
            continue;
        }
        let families: Vec<String> = r.author.iter().map(family).collect();
        let y = year(r).map(str::to_owned);
        let anchor = format!("{}{}", families.concat(), y.as_deref().unwrap_or_default());
        let first = families.first().map(|f| f.to_lowercase());
        let title = r.title.as_deref().map(folded);
        let found = by_anchor
            .get(&anchor_key(&anchor))
            .copied()
            .or_else(|| {
                let first = first.clone()?;
                match &y {
                    Some(y) => by_family_year.get(&(first, y.clone())).copied(),
                    None => {
                        let candidates = by_family.get(&first)?;
                        // The one with the same title, else the only one.
                        candidates
                            .iter()
                            .copied()
                            .find(|&c| {
                                title.is_some()
                                    && references[c].title.as_deref().map(folded) == title
                            })
                            .or_else(|| (candidates.len() == 1).then(|| candidates[0]))
                    }
                }
            })
            .or_else(|| {
                if first.is_some() {
                    return None;
                }
                let t = title.as_ref()?;
                let by_title = by_title.get_or_insert_with(|| {
                    let mut by_title = HashMap::new();
                    for (i, r) in references.iter().enumerate() {
                        if let Some(title) = r.title.as_deref().filter(|_| is_source(r)) {
                            by_title.entry(folded(title)).or_insert(i);
                        }
                    }
                    by_title
                });
                by_title.get(t).copied()
            });
        match found {
            Some(source) if source != i => links.push((i, references[source].id.clone())),
            _ if first.is_some() => {
                let what = if y.is_some() {
                    anchor
                } else {
                    families.join(" ")
                };
                diagnostics.push(Diagnostic::new(
                    &codes::CITATION_WITHOUT_REFERENCE,
                    format!(
                        "short citation {} ({what}) names no source of the article; kept as written",
                        r.id
                    ),
                ));
            }
            _ => {}
        }
    }
    for (i, id) in links {
        references[i].custom.source = Some(id);
    }
    diagnostics
}
