//! The strategy for converting text that mixes Traditional and Simplified.
//!
//! OpenCC's configurations assume their input is in one script. `s2t` given Traditional text
//! damages it (遠征軍 → 遠徵軍: 征 is both a Traditional character and the Simplified form of 徵),
//! and zh.wikipedia sources mix the scripts, even inside one sentence. The strategy here was
//! chosen among candidates measured against OpenCC 1.4.2 itself (ARCHITECTURE.md, "Script
//! conversion strategy", by `differential/opencc_differential.py`): [`convert_sentence_pivot`]
//! is what the [`Converter`](crate::Converter) uses for every target but `zh-Hans`.

use crate::{CharScript, Engine};

/// Which script counts as "the other one" (the one to convert away from), and how to classify a
/// character.
#[derive(Clone, Copy)]
pub struct Scripts<'a> {
    /// The script of characters that must not remain in the output, e.g.
    /// [`CharScript::SimplifiedOnly`] for a Traditional target.
    pub other: CharScript,
    /// The character classifier, normally [`crate::char_script`].
    pub classify: &'a (dyn Fn(char) -> CharScript + Sync),
}

impl std::fmt::Debug for Scripts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scripts")
            .field("other", &self.other)
            .finish_non_exhaustive()
    }
}

/// Sentence by sentence, each judged by its own characters only, through OpenCC whole: the
/// strategy the [`Converter`](crate::Converter) uses for every target but `zh-Hans`.
///
/// - Traditional targets (`to_target` is `s2t`, `s2twp` or `s2hk`; `pivot` is `t2s`): a
///   sentence with some Traditional-only character and no Simplified-only one is Traditional
///   text, and `s2t` given Traditional text damages it (遠征軍 → 遠徵軍). It is first made
///   Simplified by `pivot`, then converted (远征军 → 遠征軍; a Simplified leftover such as 后 in
///   文化大革命后 gets its phrase context back); where OpenCC's direct conversion keeps a
///   character as written and the pivot changes it (貍 → 狸 → 狸), the character is kept. Any
///   other sentence (Simplified, or only characters both scripts share) goes through
///   `to_target` whole, so its output is OpenCC's own (我干什么 → 我幹什麼). So does a mixed
///   sentence (OpenCC's dictionaries hold mixed-script phrases such as 吃茶小舖), except for
///   shared characters standing between Traditional ones (see `merge_mixed`).
/// - `zh-CN` (`to_target` is `tw2sp`, `pivot` is `t2s`): a sentence with a Simplified-only
///   character and no Traditional-only one goes through `t2s` alone, so that mainland text
///   keeps mainland words `tw2sp` would take for Taiwan ones (程序设计 → 进程设计); any other
///   (Traditional, mixed, or only characters both scripts share, such as 演算法) through
///   `tw2sp`.
///
/// Every sentence is split after 。！？；!?; or a line end, and its conversion depends on
/// nothing outside it.
pub fn convert_sentence_pivot(
    text: &str,
    scripts: Scripts<'_>,
    to_target: &dyn Engine,
    pivot: &dyn Engine,
) -> String {
    let traditional_target = scripts.other == CharScript::SimplifiedOnly;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Consecutive sentences that one engine converts whole are converted in one call: no
    // dictionary phrase spans a sentence end, and a call per sentence cost more than the
    // conversion itself.
    let mut batch: Option<(usize, usize, bool)> = None;
    let flush = |batch: &mut Option<(usize, usize, bool)>, out: &mut String| {
        if let Some((start, end, by_pivot)) = batch.take() {
            let engine = if by_pivot { pivot } else { to_target };
            out.push_str(&engine.convert(&text[start..end]));
        }
    };
    let mut at = 0;
    for sentence in split_keeping(text, is_sentence_end) {
        let range = (at, at + sentence.len());
        at = range.1;
        let (mut has_traditional, mut has_simplified) = (false, false);
        for c in sentence.chars() {
            match (scripts.classify)(c) {
                CharScript::TraditionalOnly => has_traditional = true,
                CharScript::SimplifiedOnly => has_simplified = true,
                CharScript::Shared => {}
            }
        }
        let whole_by = match (traditional_target, has_traditional, has_simplified) {
            // Traditional: OpenCC's conversion of its Simplified form, keeping what OpenCC
            // keeps as written.
            (true, true, false) => {
                flush(&mut batch, &mut out);
                let pivoted = to_target.convert(&pivot.convert(sentence));
                if pivoted == sentence {
                    // Nothing changed: the direct conversion could only keep characters.
                    out.push_str(sentence);
                } else {
                    let direct = to_target.convert(sentence);
                    merge_pivoted(sentence, &direct, &pivoted, &mut out);
                }
                continue;
            }
            // Mixed: OpenCC's own conversion, except inside Traditional stretches.
            (true, true, true) => {
                flush(&mut batch, &mut out);
                let direct = to_target.convert(sentence);
                let pivoted = to_target.convert(&pivot.convert(sentence));
                merge_mixed(sentence, &direct, &pivoted, scripts, &mut out);
                continue;
            }
            // Mainland Simplified into zh-CN.
            (false, false, true) => true,
            // Anything else: OpenCC's own conversion.
            _ => false,
        };
        match &mut batch {
            Some((_, end, by_pivot)) if *by_pivot == whole_by => *end = range.1,
            _ => {
                flush(&mut batch, &mut out);
                batch = Some((range.0, range.1, whole_by));
            }
        }
    }
    flush(&mut batch, &mut out);
    out
}

/// The pivoted conversion of a sentence holding Traditional characters, except where OpenCC's
/// direct conversion keeps a character as written and the pivot does not: the pivot loses
/// distinctions the Simplified form does not make (彆 and 別 are both 别, 擡 and 抬 both 抬), and
/// what OpenCC keeps as written it judged right. Where the lengths differ (a phrase such as
/// 滑鼠 ↔ 鼠标 changed), the pivoted conversion is taken whole.
fn merge_pivoted(sentence: &str, direct: &str, pivoted: &str, out: &mut String) {
    let n = sentence.chars().count();
    if direct.chars().count() != n || pivoted.chars().count() != n {
        out.push_str(pivoted);
        return;
    }
    for ((s, d), p) in sentence.chars().zip(direct.chars()).zip(pivoted.chars()) {
        out.push(if d == s && p != s { s } else { p });
    }
}

/// OpenCC's direct conversion of a mixed sentence, except for a shared character that it
/// changes, the pivot keeps, and whose nearest script-only neighbours are all Traditional: OpenCC
/// reads it as Simplified when it stands in Traditional text (遠征軍與远征军: 遠徵軍 in OpenCC,
/// 遠征軍 here; 拜访吃茶小舖 keeps OpenCC's 喫, its left neighbour 访 being Simplified).
fn merge_mixed(
    sentence: &str,
    direct: &str,
    pivoted: &str,
    scripts: Scripts<'_>,
    out: &mut String,
) {
    let source: Vec<char> = sentence.chars().collect();
    let n = source.len();
    if direct.chars().count() != n || pivoted.chars().count() != n {
        out.push_str(direct);
        return;
    }
    let class: Vec<CharScript> = source.iter().map(|&c| (scripts.classify)(c)).collect();
    let nearest = |range: &mut dyn Iterator<Item = usize>| {
        range.map(|k| class[k]).find(|c| *c != CharScript::Shared)
    };
    for (i, (d, p)) in direct.chars().zip(pivoted.chars()).enumerate() {
        let s = source[i];
        let in_traditional = d != s && p == s && class[i] == CharScript::Shared && {
            let left = nearest(&mut (0..i).rev());
            let right = nearest(&mut (i + 1..n));
            (left.is_some() || right.is_some())
                && left.is_none_or(|c| c == CharScript::TraditionalOnly)
                && right.is_none_or(|c| c == CharScript::TraditionalOnly)
        };
        out.push(if in_traditional { s } else { d });
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Splits after every character where `is_end` holds, keeping closing quotes and brackets that
/// follow it with the piece they close.
pub(crate) fn split_keeping(text: &str, is_end: fn(char) -> bool) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_end(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if matches!(next, '」' | '』' | '”' | '’' | '）' | ')' | '》') {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::builtin::BuiltinEngine;

    fn to_hant(text: &str) -> String {
        let s2t = BuiltinEngine::load("s2t").unwrap();
        let t2s = BuiltinEngine::load("t2s").unwrap();
        let scripts = Scripts {
            other: CharScript::SimplifiedOnly,
            classify: &crate::char_script,
        };
        convert_sentence_pivot(text, scripts, &s2t, &t2s)
    }

    #[test]
    fn traditional_sentences_keep_what_opencc_keeps() {
        // OpenCC's s2t: 東幹語 (damage); the pivot alone: 狸貓, 抬頭 (distinctions lost).
        assert_eq!(to_hant("東干語。貍貓在擡頭。"), "東干語。貍貓在擡頭。");
        // A mixed sentence is OpenCC's own (说 → 說), and its Traditional words stay.
        assert_eq!(to_hant("他说貍貓在擡頭。"), "他說貍貓在擡頭。");
        // A sentence of shared characters is OpenCC's own, whatever its neighbours.
        assert_eq!(to_hant("遠征軍。我干什么。"), "遠征軍。我幹什麼。");
        assert_eq!(to_hant("远征军。我干什么。"), "遠征軍。我幹什麼。");
    }

    #[test]
    fn split_keeps_closing_marks_with_their_sentence() {
        assert_eq!(
            split_keeping("他說：「好。」然後走了。餘", is_sentence_end),
            vec!["他說：「好。」", "然後走了。", "餘"]
        );
        assert_eq!(split_keeping("", is_sentence_end), Vec::<&str>::new());
    }
}
