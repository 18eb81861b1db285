//! The raw page the readers yield, the dump's site information, and page URLs.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// One page as the input holds it: nothing is normalized or converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The full title, with its namespace prefix (`Template:Infobox`), entities decoded.
    pub title: String,
    /// The namespace number (`<ns>`); 0 for JSON Lines.
    pub namespace: i32,
    /// The page id (`<id>` of the page; a numeric JSON Lines `id`).
    pub id: Option<u64>,
    /// A JSON Lines `id` that is not a number.
    pub key: Option<String>,
    /// The revision id (`<revision><id>`; JSON Lines `revision`).
    pub revision_id: Option<u64>,
    /// The parent revision id (`<parentid>`).
    pub parent_id: Option<u64>,
    /// The revision's timestamp as written (`2026-01-10T00:10:00Z`).
    pub timestamp: Option<String>,
    /// The content model: `wikitext`, `Scribunto`, `css`, `json` …
    pub model: Option<String>,
    /// The content format: `text/x-wiki`, `text/plain` …
    pub content_format: Option<String>,
    /// The target title of `<redirect title=…/>`.
    pub redirect: Option<String>,
    /// The revision text, entities decoded. `None` when it was deleted or is absent.
    pub text: Option<String>,
    /// The JSON Lines `url`, or the page URL built from the siteinfo `<base>`.
    pub url: Option<String>,
    /// The JSON Lines `format` (`wikitext`, `scraped`, `markdown`).
    pub source_format: Option<String>,
    /// Where the page starts in the input: the byte offset of its bz2 stream (compressed files), of
    /// its `<page>` element (plain XML) or of its line (JSON Lines, in decompressed bytes).
    pub offset: u64,
}

/// The `<siteinfo>` of a dump, and the `xml:lang` of its root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInfo {
    /// `<sitename>` (`Wikipedia`).
    pub sitename: Option<String>,
    /// `<dbname>` (`zhwiki`).
    pub dbname: Option<String>,
    /// `<base>`: the URL of the main page.
    pub base: Option<String>,
    /// `xml:lang` of `<mediawiki>` (`zh`).
    pub lang: Option<String>,
    /// Namespace number → its local name (`""` for the main namespace).
    pub namespaces: BTreeMap<i32, String>,
}

impl SiteInfo {
    /// `scheme://host` of `<base>`, the prefix of every page URL.
    pub fn origin(&self) -> Option<&str> {
        let base = self.base.as_deref()?;
        let after_scheme = base.find("://")? + 3;
        let end = base[after_scheme..]
            .find('/')
            .map_or(base.len(), |i| after_scheme + i);
        Some(&base[..end])
    }

    /// The URL of a page: origin + `/wiki/` + the title with spaces as `_`, percent-encoded as
    /// MediaWiki's `wfUrlencode` does.
    pub fn page_url(&self, title: &str) -> Option<String> {
        Some(page_url(self.origin()?, title))
    }
}

/// What MediaWiki's `wfUrlencode` leaves unencoded besides letters, digits and `-_.`: PHP's
/// `urlencode` encodes them, and MediaWiki turns them back.
const TITLE_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b';')
    .remove(b'@')
    .remove(b'$')
    .remove(b'!')
    .remove(b'*')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'/')
    .remove(b'~')
    .remove(b':');

/// `origin` + `/wiki/` + the encoded title.
pub fn page_url(origin: &str, title: &str) -> String {
    let mut url = String::with_capacity(origin.len() + 6 + title.len() * 3);
    url.push_str(origin);
    url.push_str("/wiki/");
    let underscored;
    let title = if title.contains(' ') {
        underscored = title.replace(' ', "_");
        underscored.as_str()
    } else {
        title
    };
    url.extend(utf8_percent_encode(title, TITLE_KEEP));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_encoded_as_mediawiki_does() {
        let site = SiteInfo {
            base: Some("https://zh.wikipedia.org/wiki/Wikipedia:%E9%A6%96%E9%A1%B5".into()),
            ..SiteInfo::default()
        };
        assert_eq!(site.origin(), Some("https://zh.wikipedia.org"));
        assert_eq!(
            site.page_url("Template:Infobox country/0").unwrap(),
            "https://zh.wikipedia.org/wiki/Template:Infobox_country/0"
        );
        assert_eq!(
            site.page_url("中国").unwrap(),
            "https://zh.wikipedia.org/wiki/%E4%B8%AD%E5%9B%BD"
        );
        assert_eq!(
            site.page_url("A&B (x)?#1+2'\"%").unwrap(),
            "https://zh.wikipedia.org/wiki/A%26B_(x)%3F%231%2B2%27%22%25"
        );
        assert_eq!(SiteInfo::default().page_url("X"), None);
        let bare = SiteInfo {
            base: Some("http://localhost".into()),
            ..SiteInfo::default()
        };
        assert_eq!(bare.page_url("X").unwrap(), "http://localhost/wiki/X");
    }
}
