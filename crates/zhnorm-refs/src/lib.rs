//! Reference normalization for zhnorm documents: raw reference material from any reader
//! becomes CSL-JSON records, and every citation points at one of them.
//!
//! Owns: structuring ([`structure`]) of wikitext citation templates and links, zh.wikipedia's
//! rendered reference text (scraped pages) and Markdown reference lists; normalizing fields
//! ([`normalize_record`]: dates, languages, URLs, identifiers); deduplication, ids and citation
//! linking ([`normalize`]). Does not own: finding references in the source (the readers do, and
//! hand over [`RawReference`]s), script conversion of titles (the script stage), or checks on
//! finished records such as missing titles (the check crate).
//!
//! # Sources
//!
//! | raw reference | read as |
//! | --- | --- |
//! | a citation template (`{{cite web}}`, …, `{{citation}}`; see [`csl_type`]) | its parameters, legacy aliases included; `{{webarchive}}`, `{{wayback}}`, `{{dead link}}` and `{{en}}` beside it add to it |
//! | scraped text | zh.wikipedia's rendering `Author. Title. Work. Date [Accessed]. ISSN … (语言)`, with `（原始内容存档于…）`; `custom.url-lost` says the URL is gone |
//! | a link (`[url title]`, `[title](url)`, `<url>`, a bare URL) | URL and title; the text after it is the note, its first date the issue date |
//! | a short-citation template (`{{sfn}}`, `{{sfnp}}`, `{{sfnm}}`, `{{harv}}`, `{{harvnb}}`, `{{harvp}}`) | a `short` record with its authors, year and locator, pointing at its source (`custom.source`; see `short.rs`) |
//! | a hand-written wikitext footnote | told apart (`custom.kind`: `citation`, `short`, `multi`, `mixed`, `link`, `note`) and read into CSL fields (`footnote.rs`, `freetext.rs`: GB/T 7714, the Chinese 《》/〈〉 style, APA/Chicago/Harvard-like, author–year short forms) |
//! | a reference line of zhnorm's own Markdown view (format `canonical`) | the title, URL, container, publisher, date and archive URL it was written from (`view.rs`) |
//! | anything else | its text, as the title (a note's text as `note`) |
//!
//! A citation template outside `<ref>` (a bibliography entry, [`RawReference::listed`]) is a
//! source that footnotes may point at; when nothing cites it, it is not reported. So is a
//! hand-written entry of a list under a bibliography heading (参考文献, 来源, Bibliography …;
//! `bibliography.rs`) that reads as a citation with an author, a year and a title.
//!
//! Every field is then normalized ([`normalize_record`]): dates to ISO 8601 ([`normalize_date`];
//! an ambiguous `07/03/2025` is kept as `custom.extra.issued-raw` with
//! [`codes::AMBIGUOUS_DATE`]), languages to BCP 47 ([`normalize_language`]), URLs by the `url`
//! crate ([`normalize_url`]; malformed ones kept as written with [`codes::MALFORMED_URL`]), and
//! Wayback Machine URLs split into the page and its archive copy ([`split_archive_url`]).
//!
//! # Ids and links
//!
//! Records get `r1`, `r2`, … (sources) and `n1`, `n2`, … (references in a group, such as the
//! `注` notes; a reference whose page label is `注 1`, `註 2`, … is taken to be in the group its
//! label names) in order of first citation in document order; references that nothing cites
//! follow in the order the reader found them, with a [`codes::REFERENCE_NEVER_CITED`] warning.
//! When the page numbered its sources itself (every source has a numeric label, as in scraped
//! pages and Markdown exports), sources take the page's order instead, so that `r6` is the
//! page's reference 6: MediaWiki numbers by first citation on the original page, which is the
//! better witness when a scraped page lost some markers (e.g. in infobox residue).
//!
//! A source that repeats an earlier one (same URL, the same title and container, or the same
//! text, unless both have URLs and they differ) is merged into it
//! ([`codes::DUPLICATE_REFERENCE`]), and its citations point at the earlier record. Citations
//! of keys that no raw reference has are removed, each key reported once as
//! [`codes::CITATION_WITHOUT_REFERENCE`], so that every `cite` in the output names a record.
//! An empty reference still becomes a record (so that its citations resolve), with
//! [`codes::EMPTY_REFERENCE`].
//!
//! ```
//! use zhnorm_doc::{Block, Document, Format, Inline, RawReference, Source, Template};
//!
//! let mut doc = Document::new(Source::given("a.txt", Format::Wikitext));
//! doc.blocks.push(Block::Paragraph {
//!     inlines: vec![Inline::text("甲。"), Inline::Cite { reference: "k".into() }],
//! });
//! let cite = Template {
//!     name: "Cite news".into(),
//!     params: vec![
//!         ("author".into(), "李忠庆".into()),
//!         ("title".into(), "俄罗斯与阿塞拜疆重视发展双边关系".into()),
//!         ("url".into(), "http://gb.cri.cn/8606/2006/02/24/1825@915896.htm".into()),
//!         ("accessdate".into(), "2014-07-06".into()),
//!         ("newspaper".into(), "国际在线".into()),
//!         ("date".into(), "2006年2月24日".into()),
//!     ],
//! };
//! let raw = RawReference {
//!     key: "k".into(),
//!     format: Some(Format::Wikitext),
//!     raw: "{{cite news|…}}".into(),
//!     templates: vec![cite],
//!     ..RawReference::default()
//! };
//! zhnorm_refs::normalize(&mut doc, vec![raw]);
//!
//! let record = &doc.references[0];
//! assert_eq!(record.id, "r1");
//! assert_eq!(record.kind, "article-newspaper");
//! assert_eq!(record.container_title.as_deref(), Some("国际在线"));
//! assert_eq!(record.issued.as_deref(), Some("2006-02-24"));
//! assert_eq!(record.custom.raw, "{{cite news|…}}");
//! assert!(matches!(&doc.blocks[0], Block::Paragraph { inlines } if inlines[1] == Inline::Cite { reference: "r1".into() }));
//! ```

mod bibliography;
mod date;
mod footnote;
mod freetext;
mod language;
mod links;
mod pattern;
mod record;
mod scraped;
mod short;
mod urls;
mod view;
mod wikitext;

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

pub use date::{DateOutcome, normalize_date};
pub use language::normalize_language;
pub use record::normalize_record;
pub use urls::{ArchiveCopy, UrlError, is_normalized_url, normalize_url, split_archive_url};
pub use wikitext::{clean_value, csl_type};

use zhnorm_doc::{
    Diagnostic, Document, Format, Inline, Location, Name, RawReference, Reference, codes,
    for_each_inline, for_each_inline_mut, plain_text,
};

/// Makes the records of `doc` from `raw_references` and points every citation at one.
///
/// See the crate documentation for the id scheme and what happens to duplicates, uncited
/// references and citations of unknown keys. Diagnostics are appended to `doc.diagnostics`,
/// at the raw reference's location when the reader knew it.
pub fn normalize(doc: &mut Document, raw_references: Vec<RawReference>) {
    let cited_keys = citation_order(doc, &raw_references);
    let cited: HashSet<&str> = cited_keys.iter().map(String::as_str).collect();

    // Structure every raw reference; a key seen twice (a reader's mistake) keeps the first.
    // Reserved at once: an entry holds a whole record (about 800 bytes), and growing the vector
    // step by step moved them into fresh memory again and again (a tenth of this stage's time,
    // `perf record` on a 5 MB dump).
    let mut entries: Vec<Entry> = Vec::with_capacity(raw_references.len());
    let mut index_of_key: HashMap<String, usize> = HashMap::with_capacity(raw_references.len());
    for raw in raw_references {
        if index_of_key.contains_key(&raw.key) {
            doc.diagnostics.push(located(
                Diagnostic::new(
                    &codes::DUPLICATE_REFERENCE,
                    format!(
                        "a second reference with the key `{}`; the first one is kept",
                        raw.key
                    ),
                ),
                raw.location,
            ));
            continue;
        }
        let (record, further, diagnostics) = structure_all(&raw);
        index_of_key.insert(raw.key.clone(), entries.len());
        // How a reader of the source would recognize the reference in a message.
        let shown = match (&raw.name, &raw.label) {
            (Some(name), _) => format!("<ref name=\"{name}\">"),
            (None, Some(label)) => format!("[{label}]"),
            (None, None) => format!("`{}`", raw.key),
        };
        entries.push(Entry {
            keeps_key: raw.format == Some(Format::Canonical),
            key: raw.key,
            shown,
            location: raw.location,
            empty: diagnostics
                .iter()
                .any(|d| d.code == codes::EMPTY_REFERENCE.code),
            listed: raw.listed,
            record,
            further,
            diagnostics,
        });
    }

    // Cited ones in order of first citation, then the others in reader order; when the page
    // numbered its sources itself (scraped pages, Markdown exports), in the page's order.
    let mut order: Vec<usize> = cited_keys
        .iter()
        .filter_map(|k| index_of_key.get(k).copied())
        .collect();
    order.extend((0..entries.len()).filter(|i| !cited.contains(entries[*i].key.as_str())));
    let page_number = |entry: &Entry| {
        entry
            .record
            .custom
            .label
            .as_deref()
            .and_then(|l| l.trim().parse::<u32>().ok())
    };
    let sources = || entries.iter().filter(|e| e.record.custom.group.is_none());
    if sources().next().is_some() && sources().all(|e| page_number(e).is_some()) {
        order.sort_by_key(|&i| {
            (
                entries[i].record.custom.group.is_some(),
                page_number(&entries[i]),
            )
        });
    }

    // zhnorm's own view lists its references in the document's order already.
    if !entries.is_empty() && entries.iter().all(|e| e.keeps_key) {
        order = (0..entries.len()).collect();
    }

    doc.references
        .reserve(entries.len() + entries.iter().map(|e| e.further.len()).sum::<usize>());
    let mut used_ids: HashSet<String> = doc.references.iter().map(|r| r.id.clone()).collect();
    let mut counters: HashMap<&'static str, usize> = HashMap::new();
    let mut id_of_key: HashMap<String, String> = HashMap::new();
    // Further citations of one footnote, cited from its marker after the first.
    let mut further_of_key: HashMap<String, Vec<String>> = HashMap::new();
    let mut record_of_dedup_key: HashMap<String, usize> = HashMap::new();
    for i in order {
        let entry = &mut entries[i];
        let mut record = std::mem::take(&mut entry.record);
        let mut diagnostics = std::mem::take(&mut entry.diagnostics);
        let keys = if entry.empty || entry.keeps_key || record.custom.group.is_some() {
            Vec::new()
        } else {
            dedup_keys(&record)
        };
        // Two pages with the same title on the same site (`存档副本` on MSDN) are not one
        // source when their URLs differ.
        let url_key = record.url.as_deref().map(urls::dedup_key);
        let same_source = |existing: &usize| {
            let other = doc.references[*existing]
                .url
                .as_deref()
                .map(urls::dedup_key);
            url_key.is_none() || other.is_none() || url_key == other
        };
        let duplicate_of = keys
            .iter()
            .filter_map(|k| record_of_dedup_key.get(k))
            .find(|existing| same_source(existing));
        if let Some(&existing) = duplicate_of {
            let kept = &mut doc.references[existing];
            diagnostics.push(Diagnostic::new(
                &codes::DUPLICATE_REFERENCE,
                format!(
                    "reference {} is the same source as {}; merged into it",
                    entry.shown, kept.id
                ),
            ));
            merge_into(kept, record);
            id_of_key.insert(entry.key.clone(), kept.id.clone());
        } else {
            let prefix = if record.custom.group.is_some()
                || record.custom.kind.as_deref() == Some(footnote::NOTE)
            {
                "n"
            } else {
                "r"
            };
            let counter = counters.entry(prefix).or_default();
            record.id = if entry.keeps_key && used_ids.insert(entry.key.clone()) {
                entry.key.clone()
            } else {
                loop {
                    *counter += 1;
                    let id = format!("{prefix}{counter}");
                    if used_ids.insert(id.clone()) {
                        break id;
                    }
                }
            };
            // A bibliography entry that nothing cites is a listed source, not a mistake.
            if !cited.contains(entry.key.as_str()) && !entry.listed {
                diagnostics.push(Diagnostic::new(
                    &codes::REFERENCE_NEVER_CITED,
                    format!("reference {} ({}) is never cited", entry.shown, record.id),
                ));
            }
            for key in keys {
                record_of_dedup_key
                    .entry(key)
                    .or_insert(doc.references.len());
            }
            id_of_key.insert(entry.key.clone(), record.id.clone());
            doc.references.push(record);
            for mut other in std::mem::take(&mut entry.further) {
                let counter = counters.entry("r").or_default();
                other.id = loop {
                    *counter += 1;
                    let id = format!("r{counter}");
                    if used_ids.insert(id.clone()) {
                        break id;
                    }
                };
                further_of_key
                    .entry(entry.key.clone())
                    .or_default()
                    .push(other.id.clone());
                doc.references.push(other);
            }
        }
        doc.diagnostics
            .extend(diagnostics.into_iter().map(|d| located(d, entry.location)));
    }

    // Hand-written bibliography entries: listed sources, after the others. zhnorm's own view
    // lists every record of its document in its reference list already.
    let listed = if doc.source.format == Format::Canonical {
        Vec::new()
    } else {
        bibliography::entries(doc)
    };
    doc.references.reserve(listed.len());
    for mut entry in listed {
        let diagnostics = normalize_record(&mut entry);
        let counter = counters.entry("r").or_default();
        entry.id = loop {
            *counter += 1;
            let id = format!("r{counter}");
            if used_ids.insert(id.clone()) {
                break id;
            }
        };
        doc.diagnostics.extend(diagnostics);
        doc.references.push(entry);
    }
    footnote::resolve_pointers(&mut doc.references);
    doc.diagnostics.extend(short::link(&mut doc.references));

    // Point citations at ids; drop those that name no reference. A footnote holding several
    // citations is cited once per record.
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    for_each_inline_mut(&mut doc.blocks, &mut |list| {
        let has_further = !further_of_key.is_empty()
            && list.iter().any(|inline| {
                matches!(inline, Inline::Cite { reference } if further_of_key.contains_key(reference))
            });
        if has_further {
            let old = std::mem::take(list);
            for inline in old {
                if let Inline::Cite { reference } = &inline {
                    if let Some(more) = further_of_key.get(reference) {
                        list.push(inline.clone());
                        list.extend(more.iter().map(|id| Inline::Cite {
                            reference: format!("\u{1}{id}"),
                        }));
                        continue;
                    }
                }
                list.push(inline);
            }
        }
        list.retain_mut(|inline| match inline {
            // Already an id (a further citation of a footnote).
            Inline::Cite { reference } if reference.starts_with('\u{1}') => {
                reference.remove(0);
                true
            }
            Inline::Cite { reference } => match id_of_key.get(reference.as_str()) {
                Some(id) => {
                    *reference = id.clone();
                    true
                }
                None => {
                    unknown.insert(reference.clone());
                    false
                }
            },
            _ => true,
        });
    });
    for key in unknown {
        doc.diagnostics.push(Diagnostic::new(
            &codes::CITATION_WITHOUT_REFERENCE,
            format!("citation of `{key}`, which no reference has; the citation was removed"),
        ));
    }
}

/// One raw reference on its way to becoming a record.
struct Entry {
    key: String,
    /// zhnorm's own Markdown view read back: its keys are already final ids and are kept, so
    /// that reading the view gives back the document's citations unchanged.
    keeps_key: bool,
    shown: String,
    location: Option<Location>,
    empty: bool,
    /// A bibliography entry (a citation template in a list outside `<ref>`).
    listed: bool,
    record: Reference,
    further: Vec<Reference>,
    diagnostics: Vec<Diagnostic>,
}

/// The distinct citation keys of `doc`, in order of first citation; then those cited only from
/// inside other references (a note citing a source), in the order of those references.
fn citation_order(doc: &Document, raw_references: &[RawReference]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut visit = |inline: &Inline| {
        if let Inline::Cite { reference } = inline {
            if seen.insert(reference.clone()) {
                order.push(reference.clone());
            }
        }
    };
    for_each_inline(&doc.blocks, &mut visit);
    for raw in raw_references {
        zhnorm_doc::for_each_inline_in(&raw.inlines, &mut visit);
    }
    order
}

fn located(diagnostic: Diagnostic, location: Option<Location>) -> Diagnostic {
    match location {
        Some(location) => diagnostic.at(location),
        None => diagnostic,
    }
}

/// Makes one record (without id) from one raw reference, with what could not be normalized.
///
/// Citation templates win over links, links over text; scraped text is read as zh.wikipedia's
/// rendering of a citation. Every field is normalized by [`normalize_record`].
pub fn structure(raw: &RawReference) -> (Reference, Vec<Diagnostic>) {
    let (record, _, diagnostics) = structure_all(raw);
    (record, diagnostics)
}

/// Like [`structure`], with the records of the further citations a hand-written footnote
/// holds (`custom.kind` `multi`), each already normalized.
pub fn structure_all(raw: &RawReference) -> (Reference, Vec<Reference>, Vec<Diagnostic>) {
    // A page that labels a reference `注 1` shows a reference of the group `注`.
    let group = raw.group.clone().or_else(|| {
        // zhnorm's own view labels references with their ids (`r1`, `n1`), not with groups.
        if raw.format == Some(Format::Canonical) {
            return None;
        }
        let label = raw.label.as_deref()?.trim();
        let prefix = label
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end();
        (!prefix.is_empty()
            && prefix.len() < label.len()
            && !prefix.contains(|c: char| c.is_ascii_digit()))
        .then(|| prefix.to_owned())
    });
    let mut record = Reference {
        custom: zhnorm_doc::ReferenceCustom {
            raw: raw.raw.clone(),
            group: group.clone(),
            label: raw.label.clone(),
            ..Default::default()
        },
        ..Reference::default()
    };
    let nothing_visible = raw.raw.trim().is_empty() && plain_text(&raw.inlines).trim().is_empty();
    if nothing_visible && raw.templates.is_empty() {
        record.kind = "document".to_owned();
        record.custom.url_lost = raw.format == Some(Format::Scraped);
        let what = raw
            .label
            .as_deref()
            .map_or(String::new(), |l| format!(" {l}"));
        let empty = Diagnostic::new(&codes::EMPTY_REFERENCE, format!("reference{what} is empty"));
        return (record, Vec::new(), vec![empty]);
    }
    let mut further = Vec::new();
    // A note in a group is its text, unless it is nothing but a citation template.
    let note_text = group.is_some() && !raw.raw.trim_start().starts_with("{{");
    let cite = raw
        .templates
        .iter()
        .find_map(|t| csl_type(t).map(|kind| (t, kind)))
        .filter(|_| !note_text);
    if let Some(found) = short::from_template(raw) {
        found.fill(&mut record);
    } else if let Some((template, kind)) = cite {
        wikitext::from_cite_template(template, kind, &mut record);
        wikitext::apply_link_helpers(&raw.templates, &mut record);
        if let Some(anchor) = short::anchor_of_template(template, &record) {
            record.custom.extra.insert("anchor".to_owned(), anchor);
        }
    } else if raw.format == Some(Format::Canonical) && view::read(raw, &mut record) {
        // zhnorm's own reference line, read back into the fields it was written from.
    } else if raw.format == Some(Format::Wikitext) && footnote::readable(raw) {
        further = footnote::read(raw, &mut record);
    } else if group.is_some() {
        links::from_plain_text(raw, &mut record);
    } else if raw.format == Some(Format::Scraped) {
        if raw.raw.trim().is_empty() {
            scraped::from_rendered(&links::visible_text(raw), &mut record);
        } else {
            scraped::from_rendered(&raw.raw, &mut record);
        }
    } else if links::from_link(raw, &mut record) {
        wikitext::apply_link_helpers(&raw.templates, &mut record);
    } else {
        links::from_plain_text(raw, &mut record);
    }
    if raw.format == Some(Format::Scraped) && record.url.is_none() {
        record.custom.url_lost = true;
    }
    let mut diagnostics = normalize_record(&mut record);
    for other in &mut further {
        diagnostics.extend(normalize_record(other));
    }
    (record, further, diagnostics)
}

/// The keys under which two records count as the same source.
fn dedup_keys(record: &Reference) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(url) = &record.url {
        keys.push(format!("url:{}", urls::dedup_key(url)));
    }
    let title = record.title.as_deref().map(folded).unwrap_or_default();
    let container = record
        .container_title
        .as_deref()
        .map(folded)
        .unwrap_or_default();
    if !title.is_empty() && !container.is_empty() {
        keys.push(format!("title:{title}\u{1f}{container}"));
    }
    let mut raw = String::with_capacity(record.custom.raw.len() + 4);
    raw.push_str("raw:");
    for word in record.custom.raw.split_whitespace() {
        if raw.len() > 4 {
            raw.push(' ');
        }
        raw.push_str(word);
    }
    if raw.len() > 4 {
        keys.push(raw);
    }
    keys
}

/// Case and punctuation do not tell titles apart.
pub(crate) fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // ASCII is most of a Latin title and has its own cheap tests.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Fills what `kept` lacks from its duplicate.
fn merge_into(kept: &mut Reference, duplicate: Reference) {
    fn fill(kept: &mut Option<String>, other: Option<String>) {
        if kept.is_none() {
            *kept = other;
        }
    }
    fill(&mut kept.title, duplicate.title);
    fill(&mut kept.container_title, duplicate.container_title);
    fill(&mut kept.publisher, duplicate.publisher);
    fill(&mut kept.issued, duplicate.issued);
    fill(&mut kept.accessed, duplicate.accessed);
    fill(&mut kept.url, duplicate.url);
    fill(&mut kept.language, duplicate.language);
    fill(&mut kept.issn, duplicate.issn);
    fill(&mut kept.isbn, duplicate.isbn);
    fill(&mut kept.doi, duplicate.doi);
    fill(&mut kept.page, duplicate.page);
    fill(&mut kept.volume, duplicate.volume);
    fill(&mut kept.issue, duplicate.issue);
    fill(&mut kept.custom.archive_url, duplicate.custom.archive_url);
    fill(&mut kept.custom.archive_date, duplicate.custom.archive_date);
    fill(&mut kept.custom.url_status, duplicate.custom.url_status);
    if kept.author.is_empty() {
        kept.author = duplicate.author;
    }
    if kept.url.is_some() {
        kept.custom.url_lost = false;
    }
    for (k, v) in duplicate.custom.extra {
        kept.custom.extra.entry(k).or_insert(v);
    }
}

/// The display form of a name, for messages and measurements.
pub fn display_name(name: &Name) -> String {
    match name {
        Name::Structured { family, given } if given.is_empty() => family.clone(),
        Name::Structured { family, given } => format!("{family}, {given}"),
        Name::Literal { literal } => literal.clone(),
    }
}
