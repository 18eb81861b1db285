//! Quotation marks: `“”‘’` in Simplified variants, `「」『』` in Traditional ones, as
//! zh.wikipedia shows them. OpenCC leaves quotation marks alone, so this is an option of ours.

use crate::Variant;

/// Which quotation marks the output uses around Chinese text.
///
/// Only a matched pair whose content holds a Han character is changed: quotes around Latin
/// text, apostrophes and unmatched marks stay as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QuoteStyle {
    /// As zh.wikipedia shows each variant (the default): `“”`/`‘’` in `zh-Hans` and `zh-CN`,
    /// `「」`/`『』` in `zh-Hant`, `zh-TW` and `zh-HK`.
    #[default]
    Variant,
    /// Leave quotation marks as written (what OpenCC alone does).
    Keep,
    /// Always `“”` and `‘’`.
    Curly,
    /// Always `「」` and `『』`.
    Corner,
}

/// The marks to convert into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    Curly,
    Corner,
}

impl QuoteStyle {
    /// The marks this style asks for in `variant`, or `None` to leave quotes alone.
    pub fn target(self, variant: Variant) -> Option<Marks> {
        match self {
            QuoteStyle::Keep => None,
            QuoteStyle::Curly => Some(Marks::Curly),
            QuoteStyle::Corner => Some(Marks::Corner),
            // `zh` keeps the text as written, its quotation marks too.
            QuoteStyle::Variant if !variant.converts_script() => None,
            QuoteStyle::Variant if variant.is_traditional() => Some(Marks::Corner),
            QuoteStyle::Variant => Some(Marks::Curly),
        }
    }
}

impl std::str::FromStr for QuoteStyle {
    type Err = crate::ScriptError;
    fn from_str(s: &str) -> Result<Self, crate::ScriptError> {
        match s.trim() {
            "variant" => Ok(QuoteStyle::Variant),
            "keep" => Ok(QuoteStyle::Keep),
            "curly" => Ok(QuoteStyle::Curly),
            "corner" => Ok(QuoteStyle::Corner),
            other => Err(crate::ScriptError::UnknownQuoteStyle(other.to_owned())),
        }
    }
}

/// Whether `text` holds a quotation mark of another style than `target`: without one, [`convert`]
/// gives the text back whatever the pairs (it writes `target`'s marks only, each in place of a
/// mark of the same level and direction).
pub(crate) fn has_marks_other_than(text: &str, target: Marks) -> bool {
    // A mark of `target`'s style is its own replacement, so only the other style's marks count,
    // and they share one lead byte: curly marks are `E2 80 98`–`9D`, corner ones `E3 80 8C`–`8F`.
    // One byte is searched instead of two (the conversion stage asks this of every text).
    let (lead, last): (u8, &[u8]) = match target {
        Marks::Curly => (0xE3, &[0x8C, 0x8D, 0x8E, 0x8F]),
        Marks::Corner => (0xE2, &[0x98, 0x99, 0x9C, 0x9D]),
    };
    let bytes = text.as_bytes();
    memchr::memchr_iter(lead, bytes).any(|i| {
        bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2).is_some_and(|b| last.contains(b))
    })
}

/// The quotation marks of `text`: byte offset, mark, double?, opens?. Every mark is
/// `E2 80 98`–`9D` or `E3 80 8C`–`8F` in UTF-8: the bytes are searched instead of decoding
/// every character (the conversion stage asks this of every text).
fn marks_in(text: &str) -> impl Iterator<Item = (usize, char, bool, bool)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xE2, 0xE3, bytes).filter_map(move |i| {
        // Most hits are other punctuation (、。《》 are `E3 80 …` too): told apart by their
        // bytes before any character is decoded.
        let c = match bytes.get(i..i + 3)? {
            [0xE2, 0x80, 0x98] => '‘',
            [0xE2, 0x80, 0x99] => '’',
            [0xE2, 0x80, 0x9C] => '“',
            [0xE2, 0x80, 0x9D] => '”',
            [0xE3, 0x80, 0x8C] => '「',
            [0xE3, 0x80, 0x8D] => '」',
            [0xE3, 0x80, 0x8E] => '『',
            [0xE3, 0x80, 0x8F] => '』',
            _ => return None,
        };
        classify(c).map(|(double, opens)| (i, c, double, opens))
    })
}

/// Double (true) or single (false) level, and whether the mark opens.
fn classify(c: char) -> Option<(bool, bool)> {
    match c {
        '“' | '「' => Some((true, true)),
        '”' | '」' => Some((true, false)),
        '‘' | '『' => Some((false, true)),
        '’' | '』' => Some((false, false)),
        _ => None,
    }
}

fn mark(double: bool, open: bool, marks: Marks) -> char {
    match (marks, double, open) {
        (Marks::Curly, true, true) => '“',
        (Marks::Curly, true, false) => '”',
        (Marks::Curly, false, true) => '‘',
        (Marks::Curly, false, false) => '’',
        (Marks::Corner, true, true) => '「',
        (Marks::Corner, true, false) => '」',
        (Marks::Corner, false, true) => '『',
        (Marks::Corner, false, false) => '』',
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Converts matched pairs of quotation marks in `text` to `target`; `protected(i)` tells
/// whether the `i`-th character must stay as written. The output has the input's byte length
/// (every mark and its replacement are three bytes), which the document walk relies on.
pub(crate) fn convert(
    text: &str,
    target: Option<Marks>,
    protected: &dyn Fn(usize) -> bool,
) -> String {
    let Some(target) = target else {
        return text.to_owned();
    };
    // Open marks waiting for their closing mark: (byte offset, double?).
    let mut open: Vec<(usize, bool)> = Vec::new();
    // Pairs: (byte offset of the opening mark, of the closing one, double?).
    let mut pairs = Vec::new();
    let (mut counted_to, mut char_index) = (0, 0);
    for (at, _, double, opens) in marks_in(text) {
        char_index += text[counted_to..at].chars().count();
        counted_to = at;
        if protected(char_index) {
            continue;
        }
        if opens {
            open.push((at, double));
        } else if let Some(pos) = open.iter().rposition(|&(_, d)| d == double) {
            let (start, _) = open[pos];
            open.truncate(pos);
            pairs.push((start, at, double));
        }
    }
    // Every mark is three bytes, and so is its replacement.
    let mut replaced: Vec<(usize, char)> = Vec::new();
    for (start, end, double) in pairs {
        if text[start + 3..end].chars().any(is_han) {
            replaced.push((start, mark(double, true, target)));
            replaced.push((end, mark(double, false, target)));
        }
    }
    replaced.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, mark) in replaced {
        out.push_str(&text[copied..at]);
        out.push(mark);
        copied = at + 3;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pairs_around_chinese_change() {
        let none = |_| false;
        assert_eq!(
            convert("他說“你好‘世界’”，don’t “OK”", Some(Marks::Corner), &none),
            "他說「你好『世界』」，don’t “OK”"
        );
        assert_eq!(
            convert("「中文」『引』", Some(Marks::Curly), &none),
            "“中文”‘引’"
        );
        assert_eq!(convert("“中文", Some(Marks::Corner), &none), "“中文");
        assert_eq!(convert("“中文”", None, &none), "“中文”");
    }

    /// The plain statement of [`convert`]: character by character.
    fn convert_by_chars(text: &str, target: Marks, protected: &dyn Fn(usize) -> bool) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut pairs = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            match classify(c) {
                Some(_) if protected(i) => {}
                Some((double, true)) => open.push((i, double)),
                Some((double, false)) => {
                    if let Some(pos) = open.iter().rposition(|&(_, d)| d == double) {
                        pairs.push((open[pos].0, i, double));
                        open.truncate(pos);
                    }
                }
                None => {}
            }
        }
        for (start, end, double) in pairs {
            if chars[start + 1..end].iter().any(|&c| is_han(c)) {
                chars[start] = mark(double, true, target);
                chars[end] = mark(double, false, target);
            }
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        #[test]
        fn convert_is_its_plain_statement(
            picks in proptest::collection::vec(0..14usize, 0..24),
            protected in proptest::collection::vec(proptest::bool::ANY, 24),
            corner in proptest::bool::ANY,
        ) {
            const CHARS: [char; 14] =
                ['“', '”', '‘', '’', '「', '」', '『', '』', '中', '文', 'a', ' ', '。', '\u{2014}'];
            let text: String = picks.iter().map(|&i| CHARS[i]).collect();
            let target = if corner { Marks::Corner } else { Marks::Curly };
            let is_protected = |i: usize| protected[i];
            let converted = convert(&text, Some(target), &is_protected);
            proptest::prop_assert_eq!(converted.len(), text.len());
            proptest::prop_assert_eq!(converted, convert_by_chars(&text, target, &is_protected));
            proptest::prop_assert_eq!(
                has_marks_other_than(&text, target),
                text.chars().any(|c| classify(c)
                    .is_some_and(|(double, opens)| mark(double, opens, target) != c))
            );
        }
    }

    #[test]
    fn marks_of_the_target_style_are_left_as_they_are() {
        assert!(!has_marks_other_than("他说“你好‘世界’”", Marks::Curly));
        assert!(has_marks_other_than("他说“你好」", Marks::Curly));
        assert!(has_marks_other_than("他说“你好”", Marks::Corner));
        assert!(!has_marks_other_than("没有引号", Marks::Corner));
    }
}
