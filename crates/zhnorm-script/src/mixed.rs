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
    /// The character classifier; `None` is [`crate::char_script`], called directly (the
    /// strategy asks it of every character).
    pub classify: Option<&'a (dyn Fn(char) -> CharScript + Sync)>,
}

impl Scripts<'_> {
    /// The script class of `c`.
    #[inline]
    pub fn class(&self, c: char) -> CharScript {
        match self.classify {
            None => crate::char_script(c),
            Some(classify) => classify(c),
        }
    }

    /// Whether `text` holds a character of class `script`, stopping at the first one.
    fn holds(&self, text: &str, script: CharScript) -> bool {
        match self.classify {
            None => crate::builtin::holds_script(text, script),
            Some(classify) => text.chars().any(|c| classify(c) == script),
        }
    }

    /// Whether `text` holds a Traditional-only character, and a Simplified-only one.
    fn held(&self, text: &str) -> (bool, bool) {
        let mut held = (false, false);
        let mut see = |class: CharScript| match class {
            CharScript::TraditionalOnly => held.0 = true,
            CharScript::SimplifiedOnly => held.1 = true,
            CharScript::Shared => {}
        };
        match self.classify {
            // The class table read from the bytes (`crate::builtin::for_each_script_character`).
            None => crate::builtin::for_each_script_character(text, |_, _, class| see(class)),
            Some(classify) => text.chars().for_each(|c| see(classify(c))),
        }
        held
    }
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
///   text, and `s2t` given Traditional text damages it (遠征軍 → 遠徵軍). Where OpenCC's direct
///   conversion leaves it as written, it is kept; otherwise it is made Simplified by `pivot`,
///   then converted (远征军 → 遠征軍; a Simplified leftover such as 后 in 文化大革命后 gets its
///   phrase context back), and where the direct conversion keeps a character as written and
///   the pivot changes it (貍 → 狸 → 狸), the character is kept. Any
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
///
/// The direct conversion comes first, and the pivot only where it may change the answer: most
/// Traditional sentences OpenCC leaves as written, and nearly every mixed one has no shared
/// character to keep. Into a Traditional target, the direct conversion of the whole text is the
/// answer when no sentence needs the pivot (one pass over the text and its conversion in step,
/// `any_needs_pivot`, decides).
///
/// The sentences one engine converts are converted in one call, whatever stands between them:
/// no key or value of any built-in dictionary holds a sentence end or a closing mark (a test
/// of `builtin` checks it), so no match spans a sentence end and the engines copy every such
/// mark as it is. The conversion of sentences joined is then the conversion of each, joined,
/// and it splits back at the same marks. A call per sentence cost more than the conversion of
/// its text; where the output does not split back into as many sentences (an engine whose
/// dictionaries break that rule), each sentence is converted alone (and the one-to-many count
/// also holds the joined call's).
pub fn convert_sentence_pivot(
    text: &str,
    scripts: Scripts<'_>,
    to_target: &dyn Engine,
    pivot: &dyn Engine,
) -> String {
    let traditional_target = scripts.other == CharScript::SimplifiedOnly;
    // No sentence can go another way than by `to_target` alone. (Without Traditional-only
    // characters, a zh-CN text may still hold sentences of shared characters only, which go
    // by `tw2sp`.)
    let decisive = if traditional_target {
        CharScript::TraditionalOnly
    } else {
        CharScript::SimplifiedOnly
    };
    if !scripts.holds(text, decisive) {
        return to_target.convert(text);
    }
    // Into a Traditional target every sentence goes directly first: one call over the whole
    // text, which is the answer unless some sentence needs its Simplified form (see below).
    let whole = traditional_target.then(|| to_target.convert(text));
    let whole = match whole {
        Some(whole) if any_needs_pivot(text, &whole, scripts) == Some(false) => return whole,
        whole => whole,
    };
    let (sentences, ways): (Vec<&str>, Vec<Way>) = sentences_with_scripts(text, scripts)
        .into_iter()
        .map(|(sentence, has_traditional, has_simplified)| {
            let way = match (traditional_target, has_traditional, has_simplified) {
                (true, true, false) => Way::Traditional,
                (true, true, true) => Way::Mixed,
                (false, false, true) => Way::Pivot,
                _ => Way::Target,
            };
            (sentence, way)
        })
        .unzip();
    let select = |keep: &dyn Fn(usize) -> bool| -> Vec<&str> {
        (0..sentences.len())
            .filter(|&i| keep(i))
            .map(|i| sentences[i])
            .collect()
    };
    // OpenCC's direct conversion first, of every sentence but the mainland ones: it is the
    // answer of most sentences, and it tells which of the others need their Simplified form.
    // Into a Traditional target, the whole text's, split back at the sentence ends.
    let whole_pieces = whole
        .as_deref()
        .map(|whole| split_keeping(whole, is_sentence_end))
        .filter(|pieces| pieces.len() == sentences.len());
    let owned: Vec<String>;
    let direct: Vec<Option<&str>> = match whole_pieces {
        Some(pieces) => pieces.into_iter().map(Some).collect(),
        None => {
            owned = convert_sentences(&select(&|i| ways[i] != Way::Pivot), &|t| {
                to_target.convert(t)
            });
            let mut owned = owned.iter();
            ways.iter()
                .map(|way| match way {
                    Way::Pivot => None,
                    Way::Target | Way::Traditional | Way::Mixed => owned.next().map(String::as_str),
                })
                .collect()
        }
    };
    // By the Simplified form: a Traditional sentence OpenCC changes (one it keeps as written
    // is kept: every character of it is one OpenCC keeps), and a mixed one where the pivot may
    // keep a shared character OpenCC changes. Most Traditional sentences and nearly all mixed
    // ones need neither pass of the pivot.
    let needs_pivot: Vec<bool> = (0..sentences.len())
        .map(|i| {
            let sentence = sentences[i];
            let direct = direct[i].unwrap_or(sentence);
            match ways[i] {
                Way::Traditional => direct != sentence,
                Way::Mixed => keeps_any_in_traditional(sentence, direct, scripts),
                Way::Target | Way::Pivot => false,
            }
        })
        .collect();
    let needs_pivot = |i: usize| needs_pivot[i];
    let by_pivot = select(&needs_pivot);
    let pivoted = convert_sentences(&by_pivot, &|t| to_target.convert(&pivot.convert(t)));
    let by_pivot_alone = select(&|i| ways[i] == Way::Pivot);
    let pivot_alone = convert_sentences(&by_pivot_alone, &|t| pivot.convert(t));
    let (mut pivoted, mut pivot_alone) = (pivoted.iter(), pivot_alone.iter());

    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, sentence) in sentences.iter().enumerate() {
        let direct = direct[i].unwrap_or("");
        match ways[i] {
            Way::Pivot => out.push_str(pivot_alone.next().map_or("", String::as_str)),
            Way::Target => out.push_str(direct),
            Way::Traditional if direct == *sentence => out.push_str(sentence),
            Way::Traditional => {
                let pivoted = pivoted.next().map_or("", String::as_str);
                merge_pivoted(sentence, direct, pivoted, &mut out);
            }
            Way::Mixed if needs_pivot(i) => {
                let pivoted = pivoted.next().map_or("", String::as_str);
                merge_mixed(sentence, direct, pivoted, scripts, &mut out);
            }
            Way::Mixed => out.push_str(direct),
        }
    }
    out
}

/// Whether some sentence of `text` needs its Simplified form to go into a Traditional target,
/// `whole` being OpenCC's direct conversion of `text`: a Traditional sentence OpenCC changes,
/// or a mixed one where [`merge_mixed`] may keep a character. `None` when `whole` does not
/// split into as many sentences. One pass over both texts, in step, allocating nothing, that
/// looks for sentence ends only around the places where the texts differ: the answer is "no"
/// for most texts, which are then the direct conversion whole.
fn any_needs_pivot(text: &str, whole: &str, scripts: Scripts<'_>) -> Option<bool> {
    let (mut from, mut whole_from) = (0, 0);
    while from < text.len() {
        if whole_from >= whole.len() {
            return None;
        }
        // The sentences OpenCC leaves as written need nothing (most of a Traditional text's):
        // skip what both texts share, up to the last sentence end in it, without looking for
        // the sentence ends before that one.
        let (rest, whole_rest) = (&text.as_bytes()[from..], &whole.as_bytes()[whole_from..]);
        let shared = common_prefix(rest, whole_rest);
        if shared == rest.len() && shared == whole_rest.len() {
            return Some(false);
        }
        if let Some(skip) = last_sentence_end_within(text, from, from + shared) {
            (from, whole_from) = (skip, whole_from + (skip - from));
            continue;
        }
        let end = sentence_end(text, from);
        let whole_end = sentence_end(whole, whole_from);
        if sentence_needs_pivot(&text[from..end], &whole[whole_from..whole_end], scripts) {
            return Some(true);
        }
        (from, whole_from) = (end, whole_end);
    }
    (whole_from == whole.len()).then_some(false)
}

/// Whether `sentence`, whose direct conversion is `direct`, needs its Simplified form to go
/// into a Traditional target: a Traditional sentence OpenCC changes, or a mixed one where
/// [`merge_mixed`] may keep a character.
fn sentence_needs_pivot(sentence: &str, direct: &str, scripts: Scripts<'_>) -> bool {
    sentence != direct
        && match scripts.held(sentence) {
            (true, false) => true,
            (true, true) => keeps_any_in_traditional(sentence, direct, scripts),
            _ => false,
        }
}

/// Where the sentence starting at `from` ends in `text`: after its sentence end and the
/// closing marks that follow it, or at the end of the text (as [`split_keeping`] splits with
/// [`is_sentence_end`]). Found by searching the bytes that may begin a sentence end rather than
/// decoding every character (most of a Chinese text's bytes cannot): `。` is `E3 80 82`, and
/// `！` `？` `；` are `EF BC 81`, `EF BC 9F`, `EF BC 9B`.
fn sentence_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        let wide = memchr::memchr3(0xE3, 0xEF, b'\n', rest);
        let before_wide = rest.get(..wide.unwrap_or(rest.len())).unwrap_or_default();
        if let Some(i) = memchr::memchr3(b'!', b'?', b';', before_wide) {
            return after_closing_marks(bytes, at + i + 1);
        }
        let Some(i) = wide else {
            return text.len();
        };
        let found = at + i;
        match bytes.get(found..(found + 3).min(bytes.len())) {
            Some([b'\n', ..]) => return after_closing_marks(bytes, found + 1),
            Some([0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B]) => {
                return after_closing_marks(bytes, found + 3);
            }
            // A lead byte of another character: go on from its first continuation byte.
            _ => at = found + 1,
        }
    }
}

/// How many bytes `a` and `b` share from their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 16;
    let chunks = a
        .chunks_exact(CHUNK)
        .zip(b.chunks_exact(CHUNK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = chunks * CHUNK;
    at + a[at..]
        .iter()
        .zip(&b[at..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The end of the last sentence of `text` that starts at or after `from` and ends, with the
/// bytes [`sentence_end`] looks at after it, before `limit`: where [`sentence_end`] would end
/// some sentence when walking from `from`, judged by the bytes of `text[from..limit]` alone.
/// `None` when there is none. Searched backwards from `limit`, by the bytes that may end a
/// sentence, as [`sentence_end`] searches forwards.
fn last_sentence_end_within(text: &str, from: usize, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // `after_closing_marks` looks at up to three bytes after an end.
    let mut before = limit.checked_sub(3)?;
    while before > from {
        let window = bytes.get(from..before)?;
        let wide = memchr::memrchr3(0xE3, 0xEF, b'\n', window);
        let after_wide = wide.map_or(0, |w| w + 1);
        let ascii = memchr::memrchr3(b'!', b'?', b';', window.get(after_wide..)?);
        let (at, end) = match (ascii, wide) {
            (Some(i), _) => (after_wide + i, after_wide + i + 1),
            (None, None) => return None,
            (None, Some(w)) => match window.get(w..(w + 3).min(window.len())) {
                Some([b'\n', ..]) => (w, w + 1),
                Some([0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B]) => (w, w + 3),
                _ => {
                    before = from + w;
                    continue;
                }
            },
        };
        let end = after_closing_marks(bytes, from + end);
        if end + 3 <= limit {
            return Some(end);
        }
        before = from + at;
    }
    None
}

/// `end` moved past the closing marks ([`is_closing_mark`]) standing there, by their bytes.
fn after_closing_marks(bytes: &[u8], mut end: usize) -> usize {
    loop {
        match bytes.get(end..(end + 3).min(bytes.len())) {
            Some([b')', ..]) => end += 1,
            // 」 』 》, ” ’, ）.
            Some(
                [0xE3, 0x80, 0x8D | 0x8F | 0x8B] | [0xE2, 0x80, 0x9D | 0x99] | [0xEF, 0xBC, 0x89],
            ) => end += 3,
            _ => return end,
        }
    }
}

/// How [`convert_sentence_pivot`] converts one sentence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    /// By `to_target` alone: OpenCC's own conversion.
    Target,
    /// By `pivot` alone (mainland Simplified into zh-CN).
    Pivot,
    /// Traditional text into a Traditional target: by its Simplified form, keeping what OpenCC
    /// keeps as written.
    Traditional,
    /// Both scripts into a Traditional target: OpenCC's own, except inside Traditional
    /// stretches.
    Mixed,
}

/// [`split_keeping`] at sentence ends, each sentence with whether it holds a character of
/// the Traditional-only and of the Simplified-only class: one pass over the characters.
fn sentences_with_scripts<'t>(text: &'t str, scripts: Scripts<'_>) -> Vec<(&'t str, bool, bool)> {
    let mut sentences = Vec::new();
    // (holds a Traditional-only character, holds a Simplified-only one)
    let mut held = (false, false);
    split_visiting(text, is_sentence_end, |seen| match seen {
        // ASCII is shared by both scripts.
        Seen::Char(c) if !c.is_ascii() => match scripts.class(c) {
            CharScript::TraditionalOnly => held.0 = true,
            CharScript::SimplifiedOnly => held.1 = true,
            CharScript::Shared => {}
        },
        Seen::Char(_) => {}
        Seen::Piece(sentence) => {
            sentences.push((sentence, held.0, held.1));
            held = (false, false);
        }
    });
    sentences
}

/// `convert` of each sentence, by one call over all of them (see [`convert_sentence_pivot`]).
fn convert_sentences(sentences: &[&str], convert: &dyn Fn(&str) -> String) -> Vec<String> {
    match sentences {
        [] => Vec::new(),
        [one] => vec![convert(one)],
        _ => {
            let converted = convert(&sentences.concat());
            let pieces = split_keeping(&converted, is_sentence_end);
            if pieces.len() == sentences.len() {
                pieces.into_iter().map(str::to_owned).collect()
            } else {
                sentences.iter().map(|sentence| convert(sentence)).collect()
            }
        }
    }
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
    let n = sentence.chars().count();
    let Some(in_traditional) = changed_in_traditional(sentence, direct, scripts) else {
        out.push_str(direct);
        return;
    };
    if pivoted.chars().count() != n {
        out.push_str(direct);
        return;
    }
    for (((s, d), p), in_traditional) in sentence
        .chars()
        .zip(direct.chars())
        .zip(pivoted.chars())
        .zip(in_traditional)
    {
        out.push(if in_traditional && p == s { s } else { d });
    }
}

/// Whether [`merge_mixed`] may keep some character of `sentence` that its direct conversion
/// changes: only then does a mixed sentence need its pivoted conversion.
///
/// [`changed_in_traditional`] holds a `true`, computed in one pass without allocating: a
/// shared character changed while the nearest script-only character on its left (if any) is
/// Traditional is pending until the next script-only character says whether it stands in
/// Traditional text.
fn keeps_any_in_traditional(sentence: &str, direct: &str, scripts: Scripts<'_>) -> bool {
    if sentence == direct {
        return false;
    }
    let mut left: Option<CharScript> = None;
    let (mut pending, mut found) = (false, false);
    let (mut source, mut converted) = (sentence.chars(), direct.chars());
    loop {
        match (source.next(), converted.next()) {
            (Some(s), Some(d)) => match scripts.class(s) {
                CharScript::Shared => {
                    pending |= d != s && left.is_none_or(|c| c == CharScript::TraditionalOnly);
                }
                class => {
                    found |= pending && class == CharScript::TraditionalOnly;
                    pending = false;
                    left = Some(class);
                }
            },
            (None, None) => break,
            // Another number of characters: nothing lines up.
            _ => return false,
        }
    }
    found || (pending && left.is_some())
}

/// Per character of `sentence`: a shared character that `direct` changes and whose nearest
/// script-only neighbours are all Traditional. `None` when `direct` has another number of
/// characters (its characters do not line up with the sentence's).
fn changed_in_traditional(sentence: &str, direct: &str, scripts: Scripts<'_>) -> Option<Vec<bool>> {
    let source: Vec<char> = sentence.chars().collect();
    let n = source.len();
    if direct.chars().count() != n {
        return None;
    }
    let class: Vec<CharScript> = source.iter().map(|&c| scripts.class(c)).collect();
    let nearest = |range: &mut dyn Iterator<Item = usize>| {
        range.map(|k| class[k]).find(|c| *c != CharScript::Shared)
    };
    let found = direct
        .chars()
        .enumerate()
        .map(|(i, d)| {
            d != source[i] && class[i] == CharScript::Shared && {
                let left = nearest(&mut (0..i).rev());
                let right = nearest(&mut (i + 1..n));
                (left.is_some() || right.is_some())
                    && left.is_none_or(|c| c == CharScript::TraditionalOnly)
                    && right.is_none_or(|c| c == CharScript::TraditionalOnly)
            }
        })
        .collect();
    Some(found)
}

pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// A mark that closes what a sentence end stands in: it stays with that sentence.
pub(crate) fn is_closing_mark(c: char) -> bool {
    matches!(c, '」' | '』' | '”' | '’' | '）' | ')' | '》')
}

/// Splits after every character where `is_end` holds, keeping closing quotes and brackets that
/// follow it with the piece they close.
pub(crate) fn split_keeping(text: &str, is_end: fn(char) -> bool) -> Vec<&str> {
    let mut pieces = Vec::new();
    split_visiting(text, is_end, |seen| {
        if let Seen::Piece(piece) = seen {
            pieces.push(piece);
        }
    });
    pieces
}

/// What [`split_visiting`] reports, in text order: each character, then each piece once all its
/// characters were reported.
enum Seen<'t> {
    Char(char),
    Piece(&'t str),
}

/// The walk behind [`split_keeping`]: reports every character and every piece to `visit`.
fn split_visiting<'t>(text: &'t str, is_end: fn(char) -> bool, mut visit: impl FnMut(Seen<'t>)) {
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        visit(Seen::Char(c));
        if !is_end(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if !is_closing_mark(next) {
                break;
            }
            visit(Seen::Char(next));
            end = j + next.len_utf8();
            chars.next();
        }
        visit(Seen::Piece(&text[start..end]));
        start = end;
    }
    if start < text.len() {
        visit(Seen::Piece(&text[start..]));
    }
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
            classify: None,
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

    fn to_cn(text: &str) -> String {
        let tw2sp = BuiltinEngine::load("tw2sp").unwrap();
        let t2s = BuiltinEngine::load("t2s").unwrap();
        let scripts = Scripts {
            other: CharScript::TraditionalOnly,
            classify: None,
        };
        convert_sentence_pivot(text, scripts, &tw2sp, &t2s)
    }

    /// Characters of every kind the sentence helpers tell apart: sentence ends (ASCII and
    /// full-width), closing marks, bytes that begin them without being them (、 「 ｛), and
    /// Traditional-only, Simplified-only and shared characters.
    const PIECES: &str = "。！？；!?;\n」』”’）)》、「｛遠征軍远征军干后面貍a ";

    fn text_of(picks: &[usize]) -> String {
        let pieces: Vec<char> = PIECES.chars().collect();
        picks.iter().map(|&i| pieces[i % pieces.len()]).collect()
    }

    fn sentences_by_end(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut from = 0;
        while from < text.len() {
            let end = sentence_end(text, from);
            out.push(&text[from..end]);
            from = end;
        }
        out
    }

    /// The plain statement of [`any_needs_pivot`]: every sentence of both texts, in step, each
    /// judged by [`sentence_needs_pivot`].
    fn any_needs_pivot_by_sentences(text: &str, whole: &str, scripts: Scripts<'_>) -> Option<bool> {
        let (mut from, mut whole_from) = (0, 0);
        while from < text.len() {
            if whole_from >= whole.len() {
                return None;
            }
            let end = sentence_end(text, from);
            let whole_end = sentence_end(whole, whole_from);
            if sentence_needs_pivot(&text[from..end], &whole[whole_from..whole_end], scripts) {
                return Some(true);
            }
            (from, whole_from) = (end, whole_end);
        }
        (whole_from == whole.len()).then_some(false)
    }

    proptest::proptest! {
        /// Skipping what the texts share answers as going sentence by sentence does, the
        /// conversion changing some characters, adding some and dropping some.
        #[test]
        fn skipping_the_shared_stretches_changes_no_answer(
            picks in proptest::collection::vec(0usize..64, 0..60),
            edits in proptest::collection::vec((0usize..60, 0usize..4, 0usize..64), 0..4),
        ) {
            let text = text_of(&picks);
            let mut whole: Vec<char> = text.chars().collect();
            for &(at, kind, pick) in &edits {
                let at = at.min(whole.len());
                let c = text_of(&[pick]).chars().next().unwrap();
                match kind {
                    0 if at < whole.len() => whole[at] = '變',
                    1 => whole.insert(at, c),
                    2 if at < whole.len() => {
                        whole.remove(at);
                    }
                    _ => whole.insert(at, '變'),
                }
            }
            let whole: String = whole.into_iter().collect();
            let scripts = Scripts { other: CharScript::SimplifiedOnly, classify: None };
            proptest::prop_assert_eq!(
                any_needs_pivot(&text, &whole, scripts),
                any_needs_pivot_by_sentences(&text, &whole, scripts)
            );
        }

        /// The byte scan finds the sentences the character walk finds.
        #[test]
        fn sentence_ends_split_as_split_keeping(picks in proptest::collection::vec(0usize..64, 0..40)) {
            let text = text_of(&picks);
            proptest::prop_assert_eq!(sentences_by_end(&text), split_keeping(&text, is_sentence_end));
        }

        /// The one-pass test agrees with the characters `merge_mixed` would keep.
        #[test]
        fn keeps_any_agrees_with_the_characters_kept(
            source in proptest::collection::vec(0usize..64, 0..16),
            changes in proptest::collection::vec(proptest::bool::ANY, 0..16),
            longer in proptest::bool::ANY,
        ) {
            let sentence = text_of(&source);
            let mut direct: String = sentence
                .chars()
                .zip(changes.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &change)| if change { '變' } else { c })
                .collect();
            if longer {
                direct.push('長');
            }
            let scripts = Scripts { other: CharScript::SimplifiedOnly, classify: None };
            let expected = sentence != direct
                && changed_in_traditional(&sentence, &direct, scripts)
                    .is_some_and(|found| found.contains(&true));
            proptest::prop_assert_eq!(keeps_any_in_traditional(&sentence, &direct, scripts), expected);
        }

        /// Sentences converted together give what each gives alone, whatever the sentences
        /// around them and whichever way each one goes.
        #[test]
        fn sentences_convert_as_they_do_alone(
            picks in proptest::collection::vec(0..SENTENCES.len(), 1..6),
            cut in proptest::bool::ANY,
        ) {
            let mut sentences: Vec<String> = picks.iter().map(|&i| SENTENCES[i].to_owned()).collect();
            if cut {
                // The last sentence without its end.
                let last = sentences.last_mut().unwrap();
                last.truncate(last.trim_end_matches(['。', '」', '！', '\n']).len());
            }
            for convert in [to_hant, to_cn] {
                let alone: String = sentences.iter().map(|s| convert(s)).collect();
                proptest::prop_assert_eq!(convert(&sentences.concat()), alone);
            }
        }
    }

    /// Simplified, Traditional (kept, and changed by its Simplified form), mixed, shared-only
    /// and mainland sentences, with the marks that end them.
    const SENTENCES: [&str; 9] = [
        "我干什么不干你事。",
        "東干語！",
        "貍貓在擡頭。",
        "他说貍貓在擡頭；",
        "遠征軍與远征军。",
        "程序设计很重要\n",
        "演算法「很好。」",
        "文化大革命後的裡面?",
        "abc 123.",
    ];

    #[test]
    fn split_keeps_closing_marks_with_their_sentence() {
        assert_eq!(
            split_keeping("他說：「好。」然後走了。餘", is_sentence_end),
            vec!["他說：「好。」", "然後走了。", "餘"]
        );
        assert_eq!(split_keeping("", is_sentence_end), Vec::<&str>::new());
    }
}
