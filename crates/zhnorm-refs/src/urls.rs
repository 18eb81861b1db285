//! URLs of references: parsed and serialized by the `url` crate (WHATWG rules: lower-case
//! scheme and host, default port dropped, non-ASCII percent-encoded), and Wayback Machine copies
//! told apart from the pages they archive.

use std::sync::LazyLock;

use regex::Regex;

use crate::pattern::Pattern;
use url::Url;

use crate::date::date_of_timestamp;

/// Why a URL text could not be normalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("`{0}` is not a URL: {1}")]
    Unparsable(String, url::ParseError),
    #[error("`{0}` is not a web address (scheme `{1}`)")]
    NotWeb(String, String),
}

/// The normalized form of a URL text.
///
/// Protocol-relative URLs (`//example.org/x`) get `https:`, and `www.`-addresses written without
/// a scheme get `http://`, as browsers would; anything else that is not an absolute `http`,
/// `https` or `ftp` URL with a host is an error (the caller keeps the text as it was).
///
/// ```
/// use zhnorm_refs::normalize_url;
/// assert_eq!(normalize_url("HTTP://Example.ORG:80/a b").unwrap(), "http://example.org/a%20b");
/// assert!(normalize_url("not a url").is_err());
/// ```
pub fn normalize_url(text: &str) -> Result<String, UrlError> {
    let trimmed = text.trim();
    let candidate = if trimmed.starts_with("//") {
        format!("https:{trimmed}")
    } else if trimmed
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        format!("http://{trimmed}")
    } else {
        trimmed.to_owned()
    };
    let url = Url::parse(&candidate).map_err(|e| UrlError::Unparsable(trimmed.to_owned(), e))?;
    if !matches!(url.scheme(), "http" | "https" | "ftp") || url.host_str().is_none_or(str::is_empty)
    {
        return Err(UrlError::NotWeb(
            trimmed.to_owned(),
            url.scheme().to_owned(),
        ));
    }
    Ok(url.to_string())
}

/// A Wayback Machine copy: the page it archives and the date of the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveCopy {
    pub original: String,
    /// ISO date from the copy's timestamp; partial when the timestamp is.
    pub date: Option<String>,
}

pub(crate) static WAYBACK: Pattern = Pattern::new_ignoring_case(
    r"(?i)^(?:https?:)?//(?:web\.|wayback\.|www\.)?archive\.org/web/(\d{4,14})(?:[a-z]{2}_)?/(.+)$",
    &["archive.org/web/"],
);
static COLLAPSED_SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(https?|ftp):/+").unwrap());

/// Splits a `web.archive.org/web/<timestamp>/<original>` URL into the original and the date.
///
/// ```
/// use zhnorm_refs::split_archive_url;
/// let copy = split_archive_url("https://web.archive.org/web/20140715021856/http://euroasia.cass.cn/news/105606.htm").unwrap();
/// assert_eq!(copy.original, "http://euroasia.cass.cn/news/105606.htm");
/// assert_eq!(copy.date.as_deref(), Some("2014-07-15"));
/// ```
pub fn split_archive_url(text: &str) -> Option<ArchiveCopy> {
    let captures = WAYBACK.captures(text.trim())?;
    let original = &captures[2];
    // The Wayback Machine accepts `http:/x` for `http://x`, and so do links to it.
    let original = if COLLAPSED_SCHEME.is_match(original) {
        COLLAPSED_SCHEME.replace(original, "$1://").into_owned()
    } else {
        format!("http://{original}")
    };
    Some(ArchiveCopy {
        original,
        date: date_of_timestamp(&captures[1]),
    })
}

/// The key under which two URLs count as the same source: scheme, `www.`, fragment and a
/// trailing slash do not matter.
pub(crate) fn dedup_key(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_fragment = without_scheme.split('#').next().unwrap_or_default();
    let host_first = without_fragment
        .strip_prefix("www.")
        .unwrap_or(without_fragment);
    host_first.trim_end_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        for (input, expected) in [
            ("http://example.org", Some("http://example.org/")),
            (
                " https://zh.wikipedia.org/wiki/巴库 ",
                Some("https://zh.wikipedia.org/wiki/%E5%B7%B4%E5%BA%93"),
            ),
            ("//example.org/x", Some("https://example.org/x")),
            ("www.example.org/x", Some("http://www.example.org/x")),
            (
                "http://gb.cri.cn/8606/2006/02/24/1825@915896.htm",
                Some("http://gb.cri.cn/8606/2006/02/24/1825@915896.htm"),
            ),
            ("mailto:a@b.c", None),
            ("http://", None),
            ("example", None),
        ] {
            assert_eq!(normalize_url(input).ok().as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn archive_copies() {
        let copy = split_archive_url(
            "http://web.archive.org/web/20111117140322id_/http:/ada.edu.az/a.pdf",
        )
        .unwrap();
        assert_eq!(copy.original, "http://ada.edu.az/a.pdf");
        assert_eq!(copy.date.as_deref(), Some("2011-11-17"));
        let bare = split_archive_url("https://web.archive.org/web/2014/example.org/x?y=1").unwrap();
        assert_eq!(bare.original, "http://example.org/x?y=1");
        assert_eq!(bare.date.as_deref(), Some("2014"));
        assert_eq!(split_archive_url("https://example.org/web/2014/x"), None);
    }

    #[test]
    fn dedup_keys() {
        assert_eq!(
            dedup_key("https://www.Example.org/a/#top"),
            dedup_key("http://example.org/a")
        );
    }
}
