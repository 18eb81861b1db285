//! Spans of plain text that script conversion must leave alone: URLs written in the text.
//! (Link targets, code and math are protected by the document walk, which never gives them to
//! an engine; engines leave Latin, Cyrillic and other scripts alone by themselves.)

/// Splits `text` into pieces, each flagged `true` when it is a URL.
///
/// A URL starts at `http://`, `https://`, `ftp://` or `www.` and runs to the first whitespace,
/// full-width punctuation or `"<>`; Han characters inside it (zh.wikipedia.org/wiki/巴库) are
/// part of it.
pub(crate) fn split_urls(text: &str) -> Vec<(&str, bool)> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut search = 0;
    while let Some(found) = find_url_start(&text[search..]) {
        let start = search + found;
        let end = start
            + text[start..]
                .char_indices()
                .find(|&(_, c)| ends_url(c))
                .map_or(text.len() - start, |(i, _)| i);
        if start > rest_start {
            pieces.push((&text[rest_start..start], false));
        }
        pieces.push((&text[start..end], true));
        rest_start = end;
        search = end;
    }
    if rest_start < text.len() {
        pieces.push((&text[rest_start..], false));
    }
    pieces
}

fn find_url_start(text: &str) -> Option<usize> {
    // Every start holds `:` or `.`; most Chinese text has neither in ASCII, and one pass over
    // its bytes is cheaper than four substring searchers.
    if !text.bytes().any(|b| b == b':' || b == b'.') {
        return None;
    }
    ["http://", "https://", "ftp://", "www."]
        .iter()
        .filter_map(|p| {
            text.match_indices(p)
                .map(|(i, _)| i)
                .find(|&i| i == 0 || !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .min()
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

    #[test]
    fn urls_are_cut_out() {
        assert_eq!(
            split_urls("見https://zh.wikipedia.org/wiki/巴庫，和www.x.com"),
            vec![
                ("見", false),
                ("https://zh.wikipedia.org/wiki/巴庫", true),
                ("，和", false),
                ("www.x.com", true),
            ]
        );
        assert_eq!(split_urls("沒有網址"), vec![("沒有網址", false)]);
        assert_eq!(split_urls(""), Vec::<(&str, bool)>::new());
    }
}
