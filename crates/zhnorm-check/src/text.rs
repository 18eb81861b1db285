//! Character classes and excerpts for messages.

/// A Han ideograph (CJK Unified Ideographs and their extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}'
        | '\u{3007}')
}

/// A character that may stand right before a Chinese punctuation mark: a Han character or a
/// closing full-width bracket, quote or mark.
pub fn is_cjk_left(c: char) -> bool {
    is_han(c)
        || matches!(
            c,
            '”' | '’' | '」' | '』' | '）' | '》' | '】' | '〉' | '。' | '！' | '？'
        )
}

/// A character that may stand right after a Chinese punctuation mark: a Han character, an
/// opening full-width bracket or quote, or a full-width mark (`居民(据报道)。`).
pub fn is_cjk_right(c: char) -> bool {
    is_han(c)
        || matches!(
            c,
            '“' | '‘'
                | '「'
                | '『'
                | '（'
                | '《'
                | '【'
                | '〈'
                | '。'
                | '，'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
        )
}

/// Up to `width` characters either side of `text[start..end]`, with `…` where cut, line
/// breaks shown as spaces: a short quotation for a message.
pub fn excerpt(text: &str, start: usize, end: usize, width: usize) -> String {
    let before: String = {
        let chars: Vec<char> = text[..start].chars().rev().take(width + 1).collect();
        let cut = chars.len() > width;
        let mut s: String = chars
            .into_iter()
            .take(width)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if cut {
            s.insert(0, '…');
        }
        s
    };
    let after: String = {
        let mut chars = text[end..].chars();
        let mut s: String = chars.by_ref().take(width).collect();
        if chars.next().is_some() {
            s.push('…');
        }
        s
    };
    format!("{before}{}{after}", &text[start..end]).replace(['\n', '\r'], " ")
}

/// `text` cut to `width` characters with `…`, for naming long titles in messages.
pub fn shorten(text: &str, width: usize) -> String {
    let mut chars = text.chars();
    let mut s: String = chars.by_ref().take(width).collect();
    if chars.next().is_some() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_both_sides() {
        let text = "一二三四五六七八九十";
        let start = text.char_indices().nth(4).unwrap().0;
        let end = text.char_indices().nth(5).unwrap().0;
        assert_eq!(excerpt(text, start, end, 2), "…三四五六七…");
        assert_eq!(excerpt(text, 0, 3, 2), "一二三…");
    }
}
