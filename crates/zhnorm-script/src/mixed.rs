//! Strategies for converting text that mixes Traditional and Simplified.
//!
//! OpenCC's configurations assume their input is in one script. `s2t` given Traditional text
//! damages it (遠征軍 → 遠徵軍: 征 is both a Traditional character and the Simplified form of 徵),
//! and zh.wikipedia sources mix the scripts, even inside one sentence. The strategies here are
//! measured against each other by `examples/mixed_strategy.rs` and by OpenCC 1.4.2 itself
//! (ARCHITECTURE.md, "Script conversion"); [`convert_sentence_pivot`] is the one the
//! [`Converter`](crate::Converter) uses for every target but `zh-Hans`.

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

impl Scripts<'_> {
    fn own(&self) -> CharScript {
        match self.other {
            CharScript::SimplifiedOnly => CharScript::TraditionalOnly,
            _ => CharScript::SimplifiedOnly,
        }
    }

    /// Counts of (other-script, own-script) characters in `text`.
    fn evidence(&self, text: &str) -> (usize, usize) {
        let (mut other, mut own) = (0, 0);
        let own_script = self.own();
        for c in text.chars() {
            let s = (self.classify)(c);
            if s == self.other {
                other += 1;
            } else if s == own_script {
                own += 1;
            }
        }
        (other, own)
    }
}

/// Whole text through `to_target` at once (what OpenCC alone does).
pub fn convert_whole(text: &str, to_target: &dyn Engine) -> String {
    to_target.convert(text)
}

/// A pivot: everything to the other script first with `to_other` (e.g. `t2s`), then all of it
/// to the target with `to_target` (e.g. `s2t`). Converts every character twice, so it is here
/// only to be measured.
pub fn convert_pivot(text: &str, to_other: &dyn Engine, to_target: &dyn Engine) -> String {
    to_target.convert(&to_other.convert(text))
}

/// Sentence by sentence: a sentence with more characters of the other script than of the
/// target's goes through `to_target`, the others through `same_script` (or are kept).
pub fn convert_sentences(
    text: &str,
    scripts: Scripts<'_>,
    to_target: &dyn Engine,
    same_script: Option<&dyn Engine>,
) -> String {
    let mut out = String::with_capacity(text.len());
    for sentence in split_keeping(text, is_sentence_end) {
        let (other, own) = scripts.evidence(sentence);
        if other > own {
            out.push_str(&to_target.convert(sentence));
        } else {
            out.push_str(&keep(sentence, same_script));
        }
    }
    out
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
    for sentence in split_keeping(text, is_sentence_end) {
        let (mut has_traditional, mut has_simplified) = (false, false);
        for c in sentence.chars() {
            match (scripts.classify)(c) {
                CharScript::TraditionalOnly => has_traditional = true,
                CharScript::SimplifiedOnly => has_simplified = true,
                CharScript::Shared => {}
            }
        }
        match (traditional_target, has_traditional, has_simplified) {
            // Traditional: OpenCC's conversion of its Simplified form, keeping what OpenCC
            // keeps as written.
            (true, true, false) => {
                let direct = to_target.convert(sentence);
                let pivoted = to_target.convert(&pivot.convert(sentence));
                merge_pivoted(sentence, &direct, &pivoted, &mut out);
            }
            // Mainland Simplified into zh-CN.
            (false, false, true) => out.push_str(&pivot.convert(sentence)),
            // Mixed: OpenCC's own conversion, except inside Traditional stretches.
            (true, true, true) => {
                let direct = to_target.convert(sentence);
                let pivoted = to_target.convert(&pivot.convert(sentence));
                merge_mixed(sentence, &direct, &pivoted, scripts, &mut out);
            }
            // Anything else: OpenCC's own conversion.
            _ => out.push_str(&to_target.convert(sentence)),
        }
    }
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

/// Converts only what is written in the other script, with its sentence as context.
///
/// A sentence with no character of the other script goes through `same_script` (or is kept).
/// Any other sentence is converted whole by `to_target`, so that phrases see their context,
/// and the result is taken character by character where the conversion kept the length:
/// a character of the other script takes the converted character; a character both scripts
/// share takes it when its clause's script-only characters are mostly of the other script, or,
/// in a clause without a majority, when the nearest script-only character (before or after it)
/// is; otherwise it keeps the same-script form (遠征军: 征's nearest script-only neighbours are
/// 遠 and 军, a tie, so 征 stays). Where the conversion changed the length (a phrase such as
/// 源碼 → 原始碼), the conversion is aligned with the sentence on their unchanged characters
/// and each changed stretch decided the same way (one of another length is taken whole from
/// the side most of its characters are on); a span too long to align is split into clauses,
/// and a clause whose length still changes is taken whole from its majority script.
pub fn convert_runs(
    text: &str,
    scripts: Scripts<'_>,
    to_target: &dyn Engine,
    same_script: Option<&dyn Engine>,
) -> String {
    let mut out = String::with_capacity(text.len());
    for sentence in split_keeping(text, is_sentence_end) {
        convert_span(sentence, scripts, to_target, same_script, true, &mut out);
    }
    out
}

fn convert_span(
    span: &str,
    scripts: Scripts<'_>,
    to_target: &dyn Engine,
    same_script: Option<&dyn Engine>,
    may_split: bool,
    out: &mut String,
) {
    let (other, own) = scripts.evidence(span);
    if other == 0 {
        out.push_str(&keep(span, same_script));
        return;
    }
    let converted = to_target.convert(span);
    if own == 0 {
        out.push_str(&converted);
        return;
    }
    let kept = keep(span, same_script);
    let source: Vec<char> = span.chars().collect();
    let converted_chars: Vec<char> = converted.chars().collect();
    let kept_chars: Vec<char> = kept.chars().collect();
    if converted_chars.len() == source.len() && kept_chars.len() == source.len() {
        let sides = nearest_script_side(&source, scripts);
        for (i, side_is_other) in sides.into_iter().enumerate() {
            out.push(if side_is_other {
                converted_chars[i]
            } else {
                kept_chars[i]
            });
        }
    } else if kept_chars.len() == source.len()
        && source.len().saturating_mul(converted_chars.len()) <= MAX_ALIGNMENT_CELLS
    {
        let sides = nearest_script_side(&source, scripts);
        merge_aligned(&source, &converted_chars, &kept_chars, &sides, out);
    } else if may_split {
        for clause in split_keeping(span, is_clause_end) {
            convert_span(clause, scripts, to_target, same_script, false, out);
        }
    } else if other > own {
        out.push_str(&converted);
    } else {
        out.push_str(&kept);
    }
}

/// Above this many cells (source × converted characters) a span is split into clauses instead
/// of aligned, so that a long text without sentence ends costs no quadratic time.
const MAX_ALIGNMENT_CELLS: usize = 1 << 20;

/// Merges a conversion that changed the length (源碼 → 原始碼) back into the source: the two
/// are aligned on their unchanged characters (longest common subsequence); a changed stretch
/// of the same length is taken character by character, one of another length whole, from the
/// side most of its characters are on.
fn merge_aligned(
    source: &[char],
    converted: &[char],
    kept: &[char],
    sides: &[bool],
    out: &mut String,
) {
    let (n, m) = (source.len(), converted.len());
    // lcs[i][j]: length of the longest common subsequence of source[i..] and converted[j..].
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if source[i] == converted[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut changed_i, mut changed_j) = (0, 0);
    let flush = |i0: usize, i1: usize, j0: usize, j1: usize, out: &mut String| {
        if i1 - i0 == j1 - j0 {
            for k in 0..i1 - i0 {
                out.push(if sides[i0 + k] {
                    converted[j0 + k]
                } else {
                    kept[i0 + k]
                });
            }
            return;
        }
        let other = sides[i0..i1].iter().filter(|s| **s).count();
        let take_converted = if i1 > i0 {
            other * 2 > i1 - i0
        } else {
            // An insertion: the side of the character before it (or after it, at the start).
            sides
                .get(i0.wrapping_sub(1))
                .or(sides.get(i0))
                .copied()
                .unwrap_or(false)
        };
        if take_converted {
            out.extend(&converted[j0..j1]);
        } else {
            out.extend(&kept[i0..i1]);
        }
    };
    while i < n && j < m {
        if source[i] == converted[j] {
            flush(changed_i, i, changed_j, j, out);
            out.push(if sides[i] { converted[j] } else { kept[i] });
            i += 1;
            j += 1;
            changed_i = i;
            changed_j = j;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    flush(changed_i, n, changed_j, m, out);
}

/// For each character: is it (or its nearest script-only neighbour) of the other script?
fn nearest_script_side(chars: &[char], scripts: Scripts<'_>) -> Vec<bool> {
    let own_script = scripts.own();
    let marks: Vec<Option<bool>> = chars
        .iter()
        .map(|&c| {
            let s = (scripts.classify)(c);
            if s == scripts.other {
                Some(true)
            } else if s == own_script {
                Some(false)
            } else {
                None
            }
        })
        .collect();
    // Distance to and side of the nearest mark on the left, then on the right.
    let mut left: Vec<Option<(usize, bool)>> = vec![None; chars.len()];
    let mut last: Option<(usize, bool)> = None;
    for (i, m) in marks.iter().enumerate() {
        if let Some(side) = m {
            last = Some((i, *side));
        }
        left[i] = last;
    }
    // The clause's majority, where its script-only characters lean one way.
    let mut clause_side: Vec<Option<bool>> = vec![None; chars.len()];
    let mut start = 0;
    for end in 1..=chars.len() {
        if end == chars.len() || is_clause_end(chars[end - 1]) {
            let other = marks[start..end]
                .iter()
                .filter(|m| **m == Some(true))
                .count();
            let own = marks[start..end]
                .iter()
                .filter(|m| **m == Some(false))
                .count();
            let side = (other != own).then_some(other > own);
            clause_side[start..end].fill(side);
            start = end;
        }
    }
    let mut sides = vec![false; chars.len()];
    let mut next: Option<(usize, bool)> = None;
    for i in (0..chars.len()).rev() {
        if let Some(side) = marks[i] {
            next = Some((i, side));
        }
        if let (None, Some(side)) = (marks[i], clause_side[i]) {
            sides[i] = side;
            continue;
        }
        sides[i] = match (left[i], next) {
            (Some((l, ls)), Some((r, rs))) => {
                let (dl, dr) = (i - l, r - i);
                if dl < dr {
                    ls
                } else if dr < dl {
                    rs
                } else {
                    // A tie between the two scripts keeps the character as written.
                    ls && rs
                }
            }
            (Some((_, s)), None) | (None, Some((_, s))) => s,
            (None, None) => false,
        };
    }
    sides
}

fn keep(text: &str, same_script: Option<&dyn Engine>) -> String {
    match same_script {
        Some(engine) => engine.convert(text),
        None => text.to_owned(),
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | '、' | '：' | ',' | ':' | '（' | '）' | '(' | ')')
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

    #[test]
    fn split_keeps_closing_marks_with_their_sentence() {
        assert_eq!(
            split_keeping("他說：「好。」然後走了。餘", is_sentence_end),
            vec!["他說：「好。」", "然後走了。", "餘"]
        );
        assert_eq!(split_keeping("", is_sentence_end), Vec::<&str>::new());
    }
}
