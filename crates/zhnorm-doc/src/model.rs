//! The document model: what every reader builds and every later stage transforms.
//!
//! Field order here is the key order of the canonical JSON, so reordering fields changes the
//! output format. Maps are `BTreeMap`s so that their key order is stable too.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::SCHEMA;

/// One article, in any script variant, from any source format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always [`SCHEMA`] for documents written by this version.
    pub schema: String,
    /// A file-name-safe identifier, unique within a corpus run.
    pub id: String,
    pub title: String,
    /// BCP 47 tag of the script variant of all visible text: `zh-Hans`, `zh-Hant`, `zh-CN`, `zh-TW`, `zh-HK`.
    /// Empty until the script stage has run.
    pub lang: String,
    pub source: Source,
    pub blocks: Vec<Block>,
    pub references: Vec<Reference>,
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infobox: Option<Infobox>,
    /// Links to the same article in other languages' Wikipedias, recorded rather than shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interlanguage: Vec<InterlanguageLink>,
    /// Page-level script-conversion rules and what the script stage did.
    #[serde(default, skip_serializing_if = "Conversion::is_empty")]
    pub conversion: Conversion,
    /// Counts of repairs that readers made (e.g. `swallowed_link_text`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub repairs: BTreeMap<String, u32>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// An empty document read from `source`, with no id or title yet.
    pub fn new(source: Source) -> Self {
        Document {
            schema: SCHEMA.to_owned(),
            id: String::new(),
            title: String::new(),
            lang: String::new(),
            source,
            blocks: Vec::new(),
            references: Vec::new(),
            categories: Vec::new(),
            infobox: None,
            interlanguage: Vec::new(),
            conversion: Conversion::default(),
            repairs: BTreeMap::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Adds one to the repair counter `name`.
    pub fn count_repair(&mut self, name: &str) {
        *self.repairs.entry(name.to_owned()).or_default() += 1;
    }
}

/// Where a document came from and how its format was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The input path relative to the corpus input folder, with `/` separators.
    pub path: String,
    pub format: Format,
    /// Lower-case hex SHA-256 of the input bytes as read from disk.
    pub sha256: String,
    pub detection: Detection,
    /// Provenance stated by the input itself, e.g. the banner of a Markdown export
    /// (`本文内容由[X](…)转换而来。`), kept as metadata rather than text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// What a dump or a JSON Lines input says of the page: namespace, ids, revision, URL.
    /// Absent for loose files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageInfo>,
}

/// A page's metadata as a MediaWiki dump (or a JSON Lines record) gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PageInfo {
    /// MediaWiki namespace number (0 for articles).
    pub namespace: i32,
    /// The page id (`<page><id>`), or the numeric `id` of a JSON Lines record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// A JSON Lines record's `id` when it is not a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<u64>,
    /// The revision's timestamp, as the dump writes it (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Content model (`wikitext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Content format (`text/x-wiki`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_format: Option<String>,
    /// The page's URL, from the dump's `<base>` or the record's `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Source {
    /// A source whose format was given, not detected (tests, library users reading one string).
    pub fn given(path: impl Into<String>, format: Format) -> Self {
        Source {
            path: path.into(),
            format,
            sha256: String::new(),
            detection: Detection {
                format,
                confidence: 1.0,
                evidence: vec!["format given by the caller".to_owned()],
                overridden: true,
            },
            origin: None,
            page: None,
        }
    }
}

/// The input formats zhnorm reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// MediaWiki source, from dumps, the API or mirrors.
    Wikitext,
    /// Text scraped from a rendered zh.wikipedia page.
    Scraped,
    /// Markdown exported by pandoc-like converters.
    Markdown,
    /// zhnorm's own Markdown view, read back.
    Canonical,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Wikitext,
        Format::Scraped,
        Format::Markdown,
        Format::Canonical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Wikitext => "wikitext",
            Format::Scraped => "scraped",
            Format::Markdown => "markdown",
            Format::Canonical => "canonical",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!("unknown format `{s}` (expected wikitext, scraped, markdown or canonical)")
            })
    }
}

/// How the format was decided: by detection with a confidence and evidence, or overridden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Detection {
    pub format: Format,
    /// Between 0 and 1; rounded to two decimals so that output is stable.
    pub confidence: f64,
    /// The signals that decided it, most telling first (e.g. `12 [[…]] links`).
    pub evidence: Vec<String>,
    /// True when `--format` (or the caller) chose the format instead of detection.
    #[serde(default)]
    pub overridden: bool,
}

/// A block-level node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading {
        /// 2 to 6 as in wikitext (`==` is 2); the article title is not a heading.
        level: u8,
        inlines: Vec<Inline>,
    },
    Paragraph {
        inlines: Vec<Inline>,
    },
    List {
        ordered: bool,
        items: Vec<ListItem>,
    },
    Table {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        caption: Vec<Inline>,
        rows: Vec<TableRow>,
    },
    Figure {
        /// The file name without namespace, e.g. `Vladimir Putin in Azerbaijan.jpg`.
        target: String,
        caption: Vec<Inline>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alt: Option<String>,
    },
    Code {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        text: String,
    },
    /// Display mathematics, kept as TeX.
    Math {
        tex: String,
    },
    Quote {
        blocks: Vec<Block>,
    },
    /// A horizontal rule (`----`).
    Rule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListItem {
    /// For definition lists (`;term`), the term; the item's blocks are its definition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub term: Vec<Inline>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableRow {
    pub cells: Vec<TableCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableCell {
    #[serde(default)]
    pub header: bool,
    pub inlines: Vec<Inline>,
}

/// An inline node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Link {
        kind: LinkKind,
        /// Wiki links: the page title (with `#section` if any), never script-converted.
        /// External links: the URL.
        target: String,
        inlines: Vec<Inline>,
    },
    /// A citation of the reference whose `id` is `ref`.
    Cite {
        #[serde(rename = "ref")]
        reference: String,
    },
    Strong {
        inlines: Vec<Inline>,
    },
    Emphasis {
        inlines: Vec<Inline>,
    },
    Superscript {
        inlines: Vec<Inline>,
    },
    Subscript {
        inlines: Vec<Inline>,
    },
    Code {
        text: String,
    },
    Math {
        tex: String,
    },
    LineBreak,
    /// MediaWiki conversion markup (`-{…}-`) as read; the script stage resolves it into text
    /// (or into page rules), so canonical output after that stage holds none.
    Conversion {
        // Boxed (not in the schema: a plain comment): a rule is larger than every other
        // inline, and an article has ten times more text nodes than rules (72 bytes a node
        // unboxed, 56 boxed).
        rule: Box<ConversionRule>,
    },
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Wiki,
    External,
}

/// A link to the same article in another language edition (`[[en:Foo]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InterlanguageLink {
    pub lang: String,
    pub target: String,
}

/// An infobox: its template name and its fields in source order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Infobox {
    #[serde(rename = "type")]
    pub kind: String,
    /// Field name to plain visible text. Positional parameters are named `1`, `2`, ….
    pub fields: BTreeMap<String, String>,
}

/// Script-conversion rules of a page and what the script stage did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conversion {
    /// Public conversion groups named by `{{noteTA|G1=地名}}`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Page rules: `noteTA`'s manual rules, and the `-{H|…}-`, `-{A|…}-`, `-{T|…}-` and
    /// `-{-|…}-` that also stand in the text as `Inline::Conversion` (where they act from), in
    /// source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ConversionRule>,
    /// `__NOCONTENTCONVERT__` / `__NOCC__`: the page's text is not converted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_content_conversion: bool,
    /// `__NOTITLECONVERT__` / `__NOTC__`: the page's title is not converted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_title_conversion: bool,
    /// The engine and configuration chain that converted the text, e.g. `builtin:t2s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// Characters converted through a one-to-many mapping (worth a review).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ambiguous: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Conversion {
    pub fn is_empty(&self) -> bool {
        self == &Conversion::default()
    }
}

/// One piece of MediaWiki conversion markup, `-{flags|body}-`, or one `noteTA` rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct ConversionRule {
    /// The flags before `|`, e.g. `H`, `A`, `R`, `T`, `D`, `-`, `N`, variant codes
    /// (`zh-hans;zh-hant`); empty for plain `-{…}-`. Two are zhnorm's own: `nowiki` marks literal
    /// text a reader kept (`R;nowiki`, an unclosed `-{`), `langconvert` a `<langconvert to=…>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub flags: String,
    /// The protected text of `-{text}-` or `-{R|text}-`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Variant texts (`zh-hans:A;zh-hant:B`), in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantText>,
}

impl ConversionRule {
    /// The rule written back as MediaWiki markup: `-{flags|variant:text;…}-` or `-{text}-`.
    pub fn to_markup(&self) -> String {
        let mut body = String::new();
        if !self.flags.is_empty() {
            body.push_str(&self.flags);
            body.push('|');
        }
        match &self.text {
            Some(text) => body.push_str(text),
            None => {
                let parts: Vec<String> = self
                    .variants
                    .iter()
                    .map(|v| match &v.from {
                        Some(from) => format!("{from}=>{}:{}", v.variant, v.text),
                        None => format!("{}:{}", v.variant, v.text),
                    })
                    .collect();
                body.push_str(&parts.join(";"));
            }
        }
        format!("-{{{body}}}-")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct VariantText {
    /// Lower-case variant code: `zh`, `zh-hans`, `zh-hant`, `zh-cn`, `zh-tw`, `zh-hk`, `zh-mo`, `zh-sg`, `zh-my`.
    pub variant: String,
    pub text: String,
    /// For a one-way rule (`from=>zh-cn:to`), the text it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// A reference as a CSL-JSON item; archive copies and provenance go under `custom`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    pub id: String,
    /// CSL item type: `webpage`, `article-newspaper`, `book`, `article-journal`, `document`, ….
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Name>,
    /// Editors (CSL `editor`): a scraped citation marks them `(编)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<Name>,
    #[serde(
        rename = "container-title",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// ISO 8601 date, possibly partial (`2025-07-01`, `2025-07`, `2025`). Written as a CSL date
    /// (`{"date-parts": [[2025, 7, 1]]}`, see [`csl_date`]); read from either form.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "csl_date")]
    #[schemars(with = "Option<CslDate>")]
    pub issued: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "csl_date")]
    #[schemars(with = "Option<CslDate>")]
    pub accessed: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// BCP 47 tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(rename = "ISSN", default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    #[serde(rename = "ISBN", default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub custom: ReferenceCustom,
}

/// What CSL has no field for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferenceCustom {
    /// The reference as it stood in the source, verbatim.
    pub raw: String,
    #[serde(
        rename = "archive-url",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub archive_url: Option<String>,
    #[serde(
        rename = "archive-date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub archive_date: Option<String>,
    /// `live`, `dead`, `unfit` or `usurped`, as the source said.
    #[serde(
        rename = "url-status",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub url_status: Option<String>,
    /// The reference group (`注` for notes); absent for ordinary sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The label the source page gave it (`8`, `注 1`, `a`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What kind of footnote a hand-written reference is: `citation`, `short` (a short form
    /// pointing at a fuller entry), `multi` (one of several citations in one footnote), `mixed`
    /// (a citation followed by the editor's comment, kept as `note`), `link` (a labelled link
    /// alone) or `note` (explanatory prose, not a source). Absent for citation templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// For a short citation, the id of the record it points at (found by its `ref=` anchor, or
    /// by the authors' family names and the year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For a short citation, the place in the source it cites (`22`, `147–150`), in CSL's
    /// citation-item terms, with its [`ReferenceCustom::locator_label`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// CSL locator label of `locator`: `page`, `chapter`, `section`, `volume`, ….
    #[serde(
        rename = "locator-label",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub locator_label: Option<String>,
    /// True when the source format cannot carry URLs (scraped text), so a missing `URL` is not a defect.
    #[serde(rename = "url-lost", default, skip_serializing_if = "is_false")]
    pub url_lost: bool,
    /// Anything else worth keeping (e.g. `trans-title`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A date as the CSL data schema models it: `date-parts` (year, month, day, the last two
/// optional), or the text as written (`raw`) when it is not an ISO date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CslDate {
    #[serde(
        rename = "date-parts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_parts: Option<Vec<Vec<u32>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

/// The model keeps dates as ISO 8601 text (what checks and columns compare); CSL-JSON, which
/// citeproc-js, pandoc and Zotero read, wants `{"date-parts": [[y, m, d]]}`. This module
/// converts at the serde boundary, and reads the older string form too.
pub mod csl_date {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::CslDate;

    /// `2025-07-01` → `[2025, 7, 1]`; `None` when the text is not an ISO date.
    pub fn parts(text: &str) -> Option<Vec<u32>> {
        let pieces: Vec<&str> = text.split('-').collect();
        let lengths_ok =
            pieces.len() <= 3 && pieces[0].len() == 4 && pieces[1..].iter().all(|p| p.len() == 2);
        if !lengths_ok || !pieces.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        pieces.iter().map(|p| p.parse().ok()).collect()
    }

    /// The CSL date of a model date.
    pub fn to_csl(text: &str) -> CslDate {
        match parts(text) {
            Some(parts) => CslDate {
                date_parts: Some(vec![parts]),
                raw: None,
                literal: None,
            },
            None => CslDate {
                date_parts: None,
                raw: Some(text.to_owned()),
                literal: None,
            },
        }
    }

    /// The model date of a CSL date: ISO text from its first `date-parts`, else its text.
    pub fn from_csl(date: &CslDate) -> Option<String> {
        let first = date.date_parts.as_ref().and_then(|d| d.first());
        if let Some(parts) = first.filter(|p| !p.is_empty()) {
            let mut text = format!("{:04}", parts[0]);
            for part in &parts[1..parts.len().min(3)] {
                text.push_str(&format!("-{part:02}"));
            }
            return Some(text);
        }
        date.raw.clone().or_else(|| date.literal.clone())
    }

    pub fn serialize<S: Serializer>(
        value: &Option<String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_deref().map(to_csl).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Csl(CslDate),
        }
        Ok(match Option::<Either>::deserialize(deserializer)? {
            None => None,
            Some(Either::Text(text)) => Some(text),
            Some(Either::Csl(date)) => from_csl(&date),
        })
    }
}

/// A CSL name: structured when the source says which part is the family name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Name {
    Structured {
        family: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        given: String,
    },
    Literal {
        literal: String,
    },
}

/// Raw reference material as a reader found it, before the references stage structures it.
///
/// Citations in the document point at [`RawReference::key`] until the references stage
/// replaces keys with the ids of the records it makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawReference {
    pub key: String,
    pub format: Option<Format>,
    /// The source text of the reference, verbatim.
    pub raw: String,
    /// The label the page gave it (`8`, `注 1`, `a`) where the format numbers references.
    pub label: Option<String>,
    pub group: Option<String>,
    /// `name` of a wikitext `<ref name=…>`.
    pub name: Option<String>,
    /// Templates found in it (`cite web`, `webarchive`, …), in source order.
    pub templates: Vec<Template>,
    /// Its visible content as read, links keeping their URLs.
    pub inlines: Vec<Inline>,
    /// Back-links the page shows for it (`8.0 8.1 8.2` is 3), when the format shows them.
    pub backlinks: u32,
    /// A bibliography entry: a citation template in a list outside `<ref>` (under 参考书目,
    /// 来源 …), a source of the article that footnotes may point at but need not cite.
    pub listed: bool,
    pub location: Option<Location>,
}

/// A template call with its parameters in source order; positional ones are named `1`, `2`, ….
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    /// The name as MediaWiki matches it: no `Template:` prefix, `_` as space, first letter upper-case.
    pub name: String,
    pub params: Vec<(String, String)>,
}

impl Template {
    /// The value of the first non-empty parameter among `names`.
    pub fn param(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.params
                .iter()
                .find(|(k, v)| k == n && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
        })
    }
}

/// A line and column in the source file, both 1-based; the column counts Unicode scalar values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Something still wrong with a document, or something a stage repaired and wants known.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Diagnostic {
    /// A stable code from [`crate::codes`].
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Position in the source file, when the diagnostic is about the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Diagnostic {
    pub fn new(code: &crate::codes::Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.code.to_owned(),
            severity: code.severity,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.line = Some(location.line);
        self.column = Some(location.column);
        self
    }
}
