//! Text repairs shared by the Markdown-export and scraped-text readers: joining hard-wrapped
//! lines, empty brackets, conversion markup, link trails swallowed by exports, half-width
//! punctuation. Each works on plain strings so that both readers (and their tests) can use it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{ConversionRule, Inline, VariantText};

/// True for characters of CJK text: Han, kana, Hangul, CJK and full-width punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'     // radicals
        | '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3100}'..='\u{312F}'   // bopomofo
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'   // compatibility forms
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms
        | '\u{20000}'..='\u{3FFFF}' // extensions B and later
        | '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{00B7}'
    )
}

/// True for Han characters only (no punctuation).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}'
    )
}

/// What a line break inside a paragraph becomes: nothing between two CJK characters (Chinese
/// is written without spaces), one space otherwise (`Windows\nDNA` is `Windows DNA`).
pub(crate) fn line_join(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(b), Some(a)) if is_cjk(b) || is_cjk(a) => "",
        (None, _) | (_, None) => "",
        _ => " ",
    }
}

static EMPTY_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    // Brackets holding nothing but separators: what a dropped `{{lang|…}}` leaves behind.
    Regex::new(r"（[\s，,；;、]*）|《\s*》|〈\s*〉|「\s*」|\([\s，,；;、]*\)").expect("valid regex")
});

/// Byte ranges of empty brackets in `text`. Half-width `()` count only next to CJK text, so
/// that code such as `f()` is left alone.
pub(crate) fn empty_brackets(text: &str) -> Vec<Range<usize>> {
    EMPTY_BRACKETS
        .find_iter(text)
        .filter(|m| {
            if !m.as_str().starts_with('(') {
                return true;
            }
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            before.is_none_or(is_cjk) && after.is_none_or(|c| is_cjk(c) || c.is_whitespace())
        })
        .map(|m| m.range())
        .collect()
}

/// Parses the body of `-{…}-` (without the delimiters) as MediaWiki reads it:
/// `flags|rest`, where `rest` is `variant:text;variant:text` or plain protected text.
pub(crate) fn parse_conversion(body: &str) -> ConversionRule {
    let mut rule = ConversionRule::default();
    let mut rest = body;
    if let Some((flags, after)) = body.split_once('|') {
        let flags_ok = !flags.is_empty()
            && flags
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '-' || c == ';' || c == ' ');
        if flags_ok {
            rule.flags = flags.trim().to_owned();
            rest = after;
        }
    }
    let variants: Vec<VariantText> = rest
        .split(';')
        .filter(|part| !part.trim().is_empty())
        .filter_map(|part| {
            let (from, part) = match part.split_once("=>") {
                Some((from, to)) => (Some(from.trim().to_owned()), to),
                None => (None, part),
            };
            let (code, text) = part.split_once(':')?;
            let code = code.trim().to_ascii_lowercase();
            is_variant_code(&code).then(|| VariantText {
                variant: code,
                text: text.trim().to_owned(),
                from,
            })
        })
        .collect();
    let parts = rest.split(';').filter(|p| !p.trim().is_empty()).count();
    if !variants.is_empty() && variants.len() == parts {
        rule.variants = variants;
    } else {
        rule.text = Some(rest.to_owned());
    }
    rule
}

/// The nodes that replace `before-{…}-after`, and how many of them precede `after`.
fn conversion_nodes(before: &str, rule: ConversionRule, after: &str) -> (Vec<Inline>, usize) {
    let mut nodes = Vec::with_capacity(3);
    if !before.is_empty() {
        nodes.push(Inline::text(before));
    }
    nodes.push(Inline::Conversion {
        rule: Box::new(rule),
    });
    let advance = nodes.len();
    if !after.is_empty() {
        nodes.push(Inline::text(after));
    }
    (nodes, advance)
}

fn is_variant_code(code: &str) -> bool {
    matches!(
        code,
        "zh" | "zh-hans" | "zh-hant" | "zh-cn" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-sg" | "zh-my"
    )
}

/// Replaces `-{…}-` in a list of inlines by [`Inline::Conversion`] nodes. The markup may span
/// several nodes (an export keeps bold text inside it); the body is then their plain text.
/// Returns the number of `-{` left unclosed.
pub(crate) fn group_conversions(list: &mut Vec<Inline>) -> usize {
    let mut unclosed = 0;
    let mut i = 0;
    while i < list.len() {
        let Some(open) = text_of(&list[i]).and_then(|t| t.find("-{")) else {
            i += 1;
            continue;
        };
        // Look for the closing `}-`, first in the same node, then in later ones.
        let mut body = String::new();
        let first = text_of(&list[i]).unwrap_or_default().to_owned();
        let after_open = &first[open + 2..];
        if let Some(close) = after_open.find("}-") {
            let (replacement, advance) = conversion_nodes(
                &first[..open],
                parse_conversion(&after_open[..close]),
                &after_open[close + 2..],
            );
            list.splice(i..=i, replacement);
            i += advance;
            continue;
        }
        body.push_str(after_open);
        let mut end = None;
        for (j, node) in list.iter().enumerate().skip(i + 1) {
            if let Some(text) = text_of(node)
                && let Some(close) = text.find("}-")
            {
                body.push_str(&text[..close]);
                end = Some((j, text[close + 2..].to_owned()));
                break;
            }
            body.push_str(&zhnorm_doc::plain_text(std::slice::from_ref(node)));
        }
        let Some((j, after)) = end else {
            unclosed += 1;
            i += 1;
            continue;
        };
        let (replacement, advance) =
            conversion_nodes(&first[..open], parse_conversion(&body), &after);
        list.splice(i..=j, replacement);
        i += advance;
    }
    unclosed
}

fn text_of(inline: &Inline) -> Option<&str> {
    match inline {
        Inline::Text { text } => Some(text),
        _ => None,
    }
}

/// Merges adjacent text nodes and drops empty ones, recursively.
pub(crate) fn merge_texts(list: &mut Vec<Inline>) {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for mut inline in list.drain(..) {
        match &mut inline {
            Inline::Text { text } if text.is_empty() => continue,
            Inline::Link { inlines, .. }
            | Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Superscript { inlines }
            | Inline::Subscript { inlines } => merge_texts(inlines),
            _ => {}
        }
        if let (Some(Inline::Text { text: previous }), Inline::Text { text }) =
            (out.last_mut(), &inline)
        {
            previous.push_str(text);
            continue;
        }
        out.push(inline);
    }
    *list = out;
}

/// Trims white space at both ends of a list of inlines (a paragraph's edges).
pub(crate) fn trim_edges(list: &mut Vec<Inline>) {
    while let Some(Inline::Text { text }) = list.first_mut() {
        let trimmed = text.trim_start().to_owned();
        if trimmed.is_empty() {
            list.remove(0);
        } else {
            *text = trimmed;
            break;
        }
    }
    while let Some(Inline::Text { text }) = list.last_mut() {
        let trimmed = text.trim_end().to_owned();
        if trimmed.is_empty() {
            list.pop();
        } else {
            *text = trimmed;
            break;
        }
    }
    while matches!(list.last(), Some(Inline::LineBreak)) {
        list.pop();
    }
}

/// The page title a wiki link target names: no `#section`, `_` read as a space.
pub(crate) fn title_of(target: &str) -> String {
    let page = target.split('#').next().unwrap_or_default();
    page.replace('_', " ").trim().to_owned()
}

/// Where the title of `target` ends in a link text that swallowed what followed the link
/// (`阿塞拜疆共和国和` for `阿塞拜疆共和国`): the byte index to split at, if the text starts with the
/// title (or the title without its disambiguation, `锦江` for `锦江 (赣江支流)`) and goes on.
pub(crate) fn swallowed_split(text: &str, target: &str) -> Option<usize> {
    let title = title_of(target);
    let mut candidates = vec![title.clone()];
    for open in [" (", "（", "("] {
        if let Some(at) = title.find(open)
            && at > 0
            && (title.ends_with(')') || title.ends_with('）'))
        {
            candidates.push(title[..at].trim_end().to_owned());
        }
    }
    candidates.into_iter().find_map(|title| {
        let end = prefix_modulo_script(text, &title)?;
        (end < text.len() && !title.is_empty()).then_some(end)
    })
}

/// If `text` starts with `prefix` (comparing characters modulo script), the byte length of
/// that start in `text`.
fn prefix_modulo_script(text: &str, prefix: &str) -> Option<usize> {
    let mut text_chars = text.char_indices();
    for p in prefix.chars() {
        let (_, t) = text_chars.next()?;
        if !same_modulo_script(t, p) {
            return None;
        }
    }
    Some(text_chars.next().map_or(text.len(), |(i, _)| i))
}

/// Pairs of Traditional and Simplified characters, enough to compare link texts with their
/// targets. zhnorm-formats cannot depend on the script crate (readers know nothing of OpenCC),
/// so this is a small table written for what the exports need: the frequent characters of
/// names of countries, organisations and places in these articles, plus those the development
/// corpus showed (`金砖四国` linking `金磚四國`). A pair missing here only means a swallowed link
/// text in mixed script goes unrepaired.
const TRADITIONAL_SIMPLIFIED: &[(char, char)] = &[
    ('國', '国'),
    ('磚', '砖'),
    ('關', '关'),
    ('係', '系'),
    ('亞', '亚'),
    ('羅', '罗'),
    ('聯', '联'),
    ('蘇', '苏'),
    ('東', '东'),
    ('區', '区'),
    ('華', '华'),
    ('語', '语'),
    ('們', '们'),
    ('為', '为'),
    ('與', '与'),
    ('說', '说'),
    ('體', '体'),
    ('會', '会'),
    ('義', '义'),
    ('歐', '欧'),
    ('爾', '尔'),
    ('蘭', '兰'),
    ('倫', '伦'),
    ('麗', '丽'),
    ('盧', '卢'),
    ('薩', '萨'),
    ('魯', '鲁'),
    ('濟', '济'),
    ('經', '经'),
    ('貿', '贸'),
    ('軍', '军'),
    ('戰', '战'),
    ('爭', '争'),
    ('統', '统'),
    ('總', '总'),
    ('議', '议'),
    ('員', '员'),
    ('長', '长'),
    ('務', '务'),
    ('黨', '党'),
    ('選', '选'),
    ('舉', '举'),
    ('權', '权'),
    ('約', '约'),
    ('條', '条'),
    ('協', '协'),
    ('組', '组'),
    ('織', '织'),
    ('際', '际'),
    ('開', '开'),
    ('發', '发'),
    ('過', '过'),
    ('時', '时'),
    ('間', '间'),
    ('門', '门'),
    ('問', '问'),
    ('題', '题'),
    ('學', '学'),
    ('歷', '历'),
    ('書', '书'),
    ('報', '报'),
    ('電', '电'),
    ('視', '视'),
    ('網', '网'),
    ('絡', '络'),
    ('資', '资'),
    ('訊', '讯'),
    ('軟', '软'),
    ('計', '计'),
    ('機', '机'),
    ('數', '数'),
    ('據', '据'),
    ('庫', '库'),
    ('樂', '乐'),
    ('藝', '艺'),
    ('術', '术'),
    ('圖', '图'),
    ('館', '馆'),
    ('畫', '画'),
    ('詩', '诗'),
    ('詞', '词'),
    ('漢', '汉'),
    ('韓', '韩'),
    ('滿', '满'),
    ('遼', '辽'),
    ('豐', '丰'),
    ('陽', '阳'),
    ('陰', '阴'),
    ('灣', '湾'),
    ('臺', '台'),
    ('島', '岛'),
    ('嶺', '岭'),
    ('灘', '滩'),
    ('湧', '涌'),
    ('鐵', '铁'),
    ('鋼', '钢'),
    ('銀', '银'),
    ('錢', '钱'),
    ('號', '号'),
    ('幣', '币'),
    ('廣', '广'),
    ('場', '场'),
    ('衛', '卫'),
    ('護', '护'),
    ('醫', '医'),
    ('藥', '药'),
    ('獨', '独'),
    ('運', '运'),
    ('動', '动'),
    ('勞', '劳'),
    ('農', '农'),
    ('業', '业'),
    ('產', '产'),
    ('貨', '货'),
    ('銷', '销'),
    ('購', '购'),
    ('愛', '爱'),
    ('亂', '乱'),
    ('擊', '击'),
    ('殺', '杀'),
    ('傷', '伤'),
    ('難', '难'),
    ('將', '将'),
    ('師', '师'),
    ('帥', '帅'),
    ('陣', '阵'),
    ('隊', '队'),
    ('邊', '边'),
    ('鄉', '乡'),
    ('縣', '县'),
    ('鎮', '镇'),
    ('這', '这'),
    ('對', '对'),
    ('應', '应'),
    ('當', '当'),
    ('個', '个'),
    ('來', '来'),
    ('後', '后'),
    ('從', '从'),
    ('無', '无'),
    ('維', '维'),
    ('納', '纳'),
    ('馬', '马'),
    ('憲', '宪'),
    ('歲', '岁'),
    ('齊', '齐'),
    ('楊', '杨'),
    ('劉', '刘'),
    ('陳', '陈'),
    ('張', '张'),
    ('趙', '赵'),
    ('鄧', '邓'),
    ('蔣', '蒋'),
    ('錫', '锡'),
    ('葉', '叶'),
    ('萬', '万'),
    ('億', '亿'),
    ('兩', '两'),
    ('雙', '双'),
    ('貝', '贝'),
    ('達', '达'),
    ('邁', '迈'),
    ('塊', '块'),
    ('瑪', '玛'),
    ('簽', '签'),
    ('證', '证'),
    ('訪', '访'),
    ('談', '谈'),
    ('節', '节'),
    ('紀', '纪'),
    ('麥', '麦'),
];

/// True when `a` and `b` are the same character or a Traditional/Simplified pair of
/// [`TRADITIONAL_SIMPLIFIED`].
pub(crate) fn same_modulo_script(a: char, b: char) -> bool {
    a == b
        || TRADITIONAL_SIMPLIFIED
            .iter()
            .any(|&(t, s)| (a == t && b == s) || (a == s && b == t))
}

/// Half-width punctuation between CJK text and its full-width form.
fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '.' => '。',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Normalizes half-width punctuation inside Chinese sentences to full-width: a `,` `.` `:` `;`
/// `!` `?` right after a CJK character (or before one, for `(`), and brackets whose content
/// starts or ends with CJK. Numbers (`1,000`, `3.5`), Latin text and URLs are left alone
/// because the character before the mark is then not CJK. Returns the text and the count.
pub(crate) fn full_width_punctuation(text: &str) -> (String, u32) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut open_parens: Vec<usize> = Vec::new();
    let mut pieces: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let cjk_before = before.is_some_and(is_han_or_cjk_punct);
        let replace = match c {
            ',' | ':' | ';' | '!' | '?' => cjk_before && after.is_none_or(|a| !a.is_ascii_digit()),
            // A full stop after CJK, followed by the end, a space, a line end or CJK text
            // (`3.5` and `example.org` are left alone).
            '.' => {
                cjk_before
                    && after.is_none_or(|a| a.is_whitespace() || is_han_or_cjk_punct(a))
                    && before.is_some_and(is_han)
            }
            '(' => {
                open_parens.push(pieces.len());
                false
            }
            ')' => {
                if let Some(open) = open_parens.pop() {
                    let inner_first = pieces.get(open + 1).copied();
                    let outer_before = open.checked_sub(1).map(|j| pieces[j]);
                    let cjk = outer_before.is_some_and(is_han)
                        || (inner_first.is_some_and(is_han) && before.is_some_and(is_han));
                    if cjk {
                        pieces[open] = '（';
                        count += 2;
                        pieces.push('）');
                        continue;
                    }
                }
                false
            }
            _ => false,
        };
        if replace && let Some(full) = full_width(c) {
            pieces.push(full);
            count += 1;
            // The space an English-style writer put after the mark goes with it.
            continue;
        }
        pieces.push(c);
    }
    out.extend(pieces);
    (out, count)
}

fn is_han_or_cjk_punct(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_cjk_lines_without_space() {
        assert_eq!(line_join(Some('中'), Some('文')), "");
        assert_eq!(line_join(Some('s'), Some('D')), " ");
        assert_eq!(line_join(Some('，'), Some('a')), "");
    }

    #[test]
    fn finds_empty_brackets() {
        let text = "甲（）乙（；）丙《》丁f()";
        let found: Vec<&str> = empty_brackets(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, vec!["（）", "（；）", "《》"]);
    }

    #[test]
    fn parses_conversion_bodies() {
        let rule = parse_conversion("zh-hans:千米;zh-hant:公里");
        assert_eq!(rule.variants.len(), 2);
        assert_eq!(rule.variants[1].text, "公里");
        assert_eq!(parse_conversion("贑").text.as_deref(), Some("贑"));
        let rule = parse_conversion("H|zh-cn:A;zh-tw:B");
        assert_eq!(rule.flags, "H");
        assert_eq!(rule.to_markup(), "-{H|zh-cn:A;zh-tw:B}-");
    }

    #[test]
    fn splits_swallowed_text_modulo_script() {
        assert_eq!(
            swallowed_split("阿塞拜疆共和国和", "阿塞拜疆共和国"),
            Some(21)
        );
        assert_eq!(swallowed_split("金砖四国的研究表明", "金磚四國"), Some(12));
        assert_eq!(swallowed_split("锦江汇入", "锦江_(赣江支流)"), Some(6));
        assert_eq!(swallowed_split("塔林", "塔林"), None);
        assert_eq!(swallowed_split("平臺獨立性和", "跨平臺"), None);
    }

    #[test]
    fn normalizes_half_width_punctuation_in_chinese_only() {
        let (text, n) =
            full_width_punctuation("始于2025年6月,当时1,000人(CSTO)的成员国(估计)。See a.b, c.");
        assert_eq!(
            text,
            "始于2025年6月，当时1,000人（CSTO）的成员国（估计）。See a.b, c."
        );
        assert_eq!(n, 5);
    }
}
