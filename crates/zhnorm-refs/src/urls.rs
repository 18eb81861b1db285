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
    if is_normalized_url(trimmed) {
        return Ok(trimmed.to_owned());
    }
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

/// Whether `text` is certainly its own normalized form (what [`normalize_url`] gives back):
/// an absolute `http`, `https` or `ftp` URL written as the `url` crate serializes it. Judged
/// conservatively, by characters no step of the WHATWG parser changes: ASCII; a lower-case
/// scheme; a host of lower-case letters, digits, dots and hyphens, in labels that are not empty
/// nor punycode (`xn--`), the last beginning with a letter (so it is no IPv4 address); no port
/// and no user; a path that begins with `/`, with no `.` or `..` segment and no `%2e`; and in
/// path, query and fragment only characters that no percent-encode set holds. `false` means
/// "not known". Most references' URLs are written so, and parsing them was the largest part of
/// normalizing a reference's fields.
///
/// ```
/// use zhnorm_refs::is_normalized_url;
/// assert!(is_normalized_url("https://www.example.org/a/b.html?id=1&x=y#top"));
/// assert!(!is_normalized_url("https://Example.org/"));
/// assert!(!is_normalized_url("http://example.org"));
/// assert!(!is_normalized_url("http://example.org/a/../b"));
/// ```
pub fn is_normalized_url(text: &str) -> bool {
    let Some(rest) = ["http://", "https://", "ftp://"]
        .iter()
        .find_map(|scheme| text.strip_prefix(scheme))
    else {
        return false;
    };
    let bytes = rest.as_bytes();
    let host_end = bytes
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(bytes.len());
    let (host, rest) = rest.split_at(host_end);
    let mut labels = host.split('.');
    let Some(last) = labels.next_back() else {
        return false;
    };
    let plain_label = |label: &str| {
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !plain_label(last)
        || !last.starts_with(|c: char| c.is_ascii_lowercase())
        || !labels.all(plain_label)
    {
        return false;
    }
    // Without a path, the serialization adds `/`.
    if !rest.starts_with('/') {
        return false;
    }
    let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    // `?` stands as it is in the query and the fragment, where it begins nothing.
    let kept = |part: &str| part.bytes().all(|b| KEPT[usize::from(b)] || b == b'?');
    kept(query) && kept(fragment) && path_is_normalized(path)
}

/// Whether `path` (which begins with `/`) is kept by the parser as it is: only [`KEPT`] bytes,
/// no `.` or `..` segment and no `%2e` (a dot, to the parser). One pass over the bytes.
fn path_is_normalized(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !KEPT[usize::from(b)] {
            return false;
        }
        match b {
            b'%' if bytes.get(i + 1) == Some(&b'2')
                && bytes
                    .get(i + 2)
                    .is_some_and(|e| e.eq_ignore_ascii_case(&b'e')) =>
            {
                return false;
            }
            b'/' => {
                if matches!(&bytes[segment_start..i], b"." | b"..") {
                    return false;
                }
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    !matches!(&bytes[segment_start..], b"." | b"..")
}

/// Letters, digits and the marks that no percent-encode set of the path, the query or the
/// fragment holds, `/` included (`'` is in the query's, for special schemes): a table, since
/// [`is_normalized_url`] asks it of every byte of most URLs.
const KEPT: [bool; 256] = {
    let mut kept = [false; 256];
    let marks = b"-._~!$&()*+,;=:@/%";
    let mut i = 0;
    while i < marks.len() {
        kept[marks[i] as usize] = true;
        i += 1;
    }
    let mut b = 0;
    while b < 128 {
        kept[b] = kept[b] || (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    kept
};

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

    /// [`normalize_url`] without its shortcut: the `url` crate's parse and serialization.
    fn parsed_and_serialized(text: &str) -> Option<String> {
        let url = Url::parse(text).ok()?;
        (matches!(url.scheme(), "http" | "https" | "ftp")
            && url.host_str().is_some_and(|h| !h.is_empty()))
        .then(|| url.to_string())
    }

    #[test]
    fn normalized_urls_are_known_by_their_characters() {
        for text in [
            "https://www.example.org/",
            "http://gb.cri.cn/8606/2006/02/24/1825@915896.htm",
            "https://web.archive.org/web/20140715021856/http://euroasia.cass.cn/news/105606.htm",
            "ftp://ftp.example.org/pub/a%20b.txt",
            "https://example.org/a?b=c?d&e=/f#g?h",
            "https://a-b.example/x//y/",
        ] {
            assert!(is_normalized_url(text), "{text}");
            assert_eq!(parsed_and_serialized(text).as_deref(), Some(text));
        }
        for text in [
            "https://EXAMPLE.org/",
            "HTTPS://example.org/",
            "https://example.org",
            "https://example.org:443/",
            "https://user@example.org/",
            "https://127.0.0.1/",
            "https://example.0x1f/",
            "https://xn--fiqs8s.example/",
            "https://example..org/",
            "https://example.org/a/./b",
            "https://example.org/a/%2E%2e/b",
            "https://example.org/a b",
            "https://example.org/a\\b",
            "https://example.org/?a='b'",
            "https://example.org/巴库",
            "mailto:a@example.org",
        ] {
            assert!(!is_normalized_url(text), "{text}");
        }
    }

    /// URL-like texts, mostly of characters [`is_normalized_url`] accepts, with some of every
    /// kind it must refuse.
    fn url_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scheme = prop_oneof![
            8 => proptest::sample::select(vec!["http://", "https://", "ftp://"]),
            1 => proptest::sample::select(vec!["HTTP://", "ws://", "http:/", "https:"]),
        ];
        let label = prop_oneof![
            8 => "[a-z0-9-]{1,4}",
            1 => proptest::sample::select(vec!["", "xn--a", "0x1f", "1", "A", "a_b", "a@b", "a:80"])
                .prop_map(String::from),
        ];
        let host = proptest::collection::vec(label, 1..4).prop_map(|labels| labels.join("."));
        let piece = prop_oneof![
            8 => proptest::sample::select(vec![
                "/", "a", "Z", "0", "-", ".", "..", "~", "!", "$", "&", "(", "*", "+", ",", ";",
                "=", ":", "@", "%41", "%", "?", "#",
            ]),
            1 => proptest::sample::select(vec![
                "%2e", "%2E", "'", "\\", " ", "\t", "é", "[", "|", "`", "{", "^", "\"", "<",
            ]),
        ];
        let rest = proptest::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat());
        (scheme, host, rest).prop_map(|(scheme, host, rest)| format!("{scheme}{host}{rest}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn a_normalized_url_parses_to_itself(text in url_like()) {
            if is_normalized_url(&text) {
                proptest::prop_assert_eq!(parsed_and_serialized(&text), Some(text.clone()));
            }
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
