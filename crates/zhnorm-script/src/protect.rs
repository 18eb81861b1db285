//! Spans of plain text that script conversion must leave alone: URLs written in the text.
//! (Link targets, code and math are protected by the document walk, which never gives them to
//! an engine; engines leave Latin, Cyrillic and other scripts alone by themselves.)

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// Splits `text` into pieces, each flagged `true` when it is a URL.
///
/// A URL starts at `http://`, `https://`, `ftp://` or `www.` and runs to the first whitespace,
/// full-width punctuation or `"<>`; Han characters inside it (zh.wikipedia.org/wiki/巴库) are
/// part of it. The pieces come one by one: most texts are one piece, and the document walk
/// asks for every stretch of text it converts.
pub(crate) fn split_urls(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest_start = 0;
    // A URL found after a plain piece, given on the next call.
    let mut url_next: Option<(usize, usize)> = None;
    std::iter::from_fn(move || {
        if let Some((start, end)) = url_next.take() {
            rest_start = end;
            return Some((&text[start..end], true));
        }
        if rest_start >= text.len() {
            return None;
        }
        let Some(found) = find_url_start(&text[rest_start..]) else {
            let piece = &text[rest_start..];
            rest_start = text.len();
            return Some((piece, false));
        };
        let start = rest_start + found;
        let end = url_end(text, start);
        if start > rest_start {
            url_next = Some((start, end));
            return Some((&text[rest_start..start], false));
        }
        rest_start = end;
        Some((&text[start..end], true))
    })
}

/// Whether [`split_urls`] finds a URL in `text` (when not, it gives `text` back whole).
pub(crate) fn holds_url(text: &str) -> bool {
    find_url_start(text).is_some()
}

fn find_url_start(text: &str) -> Option<usize> {
    // The first start of `http://`, `https://`, `ftp://` or `www.` not preceded by an ASCII
    // letter or digit. Every start holds `:` or `.`; most Chinese text has neither in ASCII,
    // and two searches (`://`, then the scheme before it, and `www.`) cost less than one per
    // prefix.
    // The searchers are built once: building one cost more than most searches.
    static SCHEME_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"://"));
    static WWW: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"www."));
    let bytes = text.as_bytes();
    memchr::memchr2(b':', b'.', bytes)?;
    let starts_here = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let scheme = SCHEME_END.find_iter(bytes).find_map(|colon| {
        ["https", "http", "ftp"].iter().find_map(|scheme| {
            let start = colon.checked_sub(scheme.len())?;
            (&bytes[start..colon] == scheme.as_bytes() && starts_here(start)).then_some(start)
        })
    });
    let www = WWW.find_iter(bytes).find(|&i| starts_here(i));
    match (scheme, www) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where the URL starting at byte `start` of `text` ends: at the first character that ends a
/// URL, or at the end of the text.
fn url_end(text: &str, start: usize) -> usize {
    start
        + text[start..]
            .char_indices()
            .find(|&(_, c)| ends_url(c))
            .map_or(text.len() - start, |(i, _)| i)
}

fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '<' | '>')
        || matches!(
            c,
            '，' | '。'
                | '；'
                | '：'
                | '！'
                | '？'
                | '、'
                | '（'
                | '）'
                | '「'
                | '」'
                | '『'
                | '』'
                | '《'
                | '》'
                | '“'
                | '”'
                | '【'
                | '】'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain statement of [`find_url_start`]: each prefix searched alone.
    fn find_url_start_by_prefix(text: &str) -> Option<usize> {
        ["http://", "https://", "ftp://", "www."]
            .iter()
            .filter_map(|p| {
                text.match_indices(p)
                    .map(|(i, _)| i)
                    .find(|&i| i == 0 || !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric()))
            })
            .min()
    }

    /// The plain statement of [`split_urls`]: the pieces collected in one list as the text is
    /// searched.
    fn split_urls_into_list(text: &str) -> Vec<(&str, bool)> {
        let mut pieces = Vec::new();
        let mut rest_start = 0;
        while let Some(found) = find_url_start(&text[rest_start..]) {
            let start = rest_start + found;
            let end = url_end(text, start);
            if start > rest_start {
                pieces.push((&text[rest_start..start], false));
            }
            pieces.push((&text[start..end], true));
            rest_start = end;
        }
        if rest_start < text.len() {
            pieces.push((&text[rest_start..], false));
        }
        pieces
    }

    proptest::proptest! {
        #[test]
        fn pieces_come_as_the_list_gives_them(
            picks in proptest::collection::vec(0..12usize, 0..30),
        ) {
            const PIECES: [&str; 12] =
                ["http", "https", "://", "www.", "x", ".", "/", "巴", " ", "，", "\"", "a"];
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(split_urls(&text).collect::<Vec<_>>(), split_urls_into_list(&text));
        }

        #[test]
        fn url_starts_are_the_first_of_any_prefix(
            picks in proptest::collection::vec(0..12usize, 0..30),
        ) {
            const PIECES: [&str; 12] =
                ["http", "https", "ftp", "://", "www.", "w", ".", ":", "/", "x", "巴", " "];
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(find_url_start(&text), find_url_start_by_prefix(&text));
        }
    }

    #[test]
    fn urls_are_cut_out() {
        assert_eq!(
            split_urls("見https://zh.wikipedia.org/wiki/巴庫，和www.x.com").collect::<Vec<_>>(),
            vec![
                ("見", false),
                ("https://zh.wikipedia.org/wiki/巴庫", true),
                ("，和", false),
                ("www.x.com", true),
            ]
        );
        assert_eq!(
            split_urls("沒有網址").collect::<Vec<_>>(),
            vec![("沒有網址", false)]
        );
        assert_eq!(
            split_urls("").collect::<Vec<_>>(),
            Vec::<(&str, bool)>::new()
        );
    }
}
