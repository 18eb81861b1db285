//! One key set compiled for longest-match lookups, with one answer column per dictionary that
//! uses it (shared with the build script).
//!
//! All keys that match at a text position are prefixes of the longest one, so whatever a group
//! of dictionaries answers there is a function of that longest key alone. Compiling a dictionary
//! (file or group) therefore means: take the union of its members' keys, evaluate the group's
//! rules once per key (see [`super::config::MatchPolicy`]), and store the answer (how many bytes
//! it consumes and the text it outputs). Several dictionaries can share one key set: the union of
//! all their keys, one answer column each (the answer of a dictionary on a key of the union is
//! the answer on that key's longest prefix it knows). A configuration's segmentation dictionary
//! and first conversion step share one table that way, so one trie walk serves both.
//!
//! Lookups: a dense table over the BMP says, per character, whether any key starts with it,
//! which key the character alone is, and whether longer keys start with it; only in that last
//! case does the lookup walk the `crawdad` double-array trie.

use std::collections::{BTreeSet, HashMap};

use super::config::{DictSpec, MatchPolicy};
use super::dictionary::Dictionary;

/// `crawdad` reserves this character as its end marker: keys never contain it and lookups stop
/// at it.
const TRIE_END_MARKER: char = '\u{FFFF}';
const MAGIC: &[u8; 8] = b"ZHNTAB05";
/// log2 of the number of bits of [`Table::pairs`]: about 32 bits per distinct pair of first
/// characters, so that under 3 % of the pairs a text holds find their bit set by another pair,
/// between these bounds. Sized per table: `s2t`'s phrases (tens of thousands of pairs) went 5 %
/// faster to zh-Hant with 2^20 bits than with 2^18, while a table of a few hundred phrases keeps
/// its bitset in the first-level cache.
const MIN_PAIR_BITS: u32 = 9;
const MAX_PAIR_BITS: u32 = 20;
const PAIR_BITS_PER_PAIR_LOG2: u32 = 5;
const BMP: usize = 0x1_0000;
/// In a [`Table::bmp`] entry: keys longer than this one character start with it.
const LONGER_KEYS: u32 = 1 << 31;

/// What a compiled dictionary answers when its longest key matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// Bytes of input the match consumes (may be shorter than the longest key: a group member
    /// with higher priority may have answered with a shorter key); 0 when this dictionary has no
    /// key that is a prefix of the key.
    pub consumed: u32,
    /// Start of the output in the value arena.
    pub value_start: u32,
    /// Byte length of the output.
    pub value_len: u32,
    /// The match is one character whose entry lists several candidates (OpenCC outputs the
    /// first).
    pub ambiguous: bool,
}

const NO_ANSWER: Answer = Answer {
    consumed: 0,
    value_start: 0,
    value_len: 0,
    ambiguous: false,
};

/// A compiled key set with its answer columns.
pub struct Table {
    trie: crawdad::Trie,
    /// `columns[column][key row]`.
    columns: Vec<Vec<Answer>>,
    values: String,
    /// Single-character keys: (character, key row).
    single_keys: Vec<(u32, u32)>,
    /// Characters that start keys of two or more characters, sorted.
    longer_starts: Vec<u32>,
    /// A bitset over a hash of the first two characters of every key of two or more characters:
    /// when the bit of a text position's two characters is clear, no longer key matches there
    /// and the trie walk is skipped (most positions where a phrase could start hold none).
    pairs: Vec<u64>,
    /// 32 less the log2 of the number of bits of `pairs` (see [`pair_bit`]).
    pair_shift: u32,
    /// Per BMP character: 0 when no key starts with it; otherwise key row + 1 when the character
    /// is a key (0 in the low bits when not), or'ed with [`LONGER_KEYS`].
    bmp: Vec<u32>,
    /// One bit per BMP character: whether `bmp` is not 0 there. The candidate scan asks it of
    /// every character first: 8 KiB stay in the first-level cache, where `bmp`'s 256 KiB do
    /// not, and most characters of a text start no key of most tables.
    bmp_starts: Vec<u64>,
    /// Characters outside the BMP that start a key, sorted.
    astral_starts: Vec<u32>,
    /// Per byte value: whether it is an ASCII character or UTF-8 lead byte that begins the first
    /// character of some key (continuation bytes never are).
    start_bytes: [bool; 256],
    /// The smallest byte of `start_bytes`: words of bytes below it are skipped whole.
    min_start_byte: u8,
    /// When at most four ASCII characters start keys: those bytes (repeated to fill the array;
    /// 0x80, which never occurs in ASCII text, when there are none), so that ASCII text is
    /// skipped a word at a time.
    ascii_start_set: Option<[u8; 4]>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("columns", &self.columns.len())
            .field("keys", &self.columns.first().map_or(0, Vec::len))
            .finish()
    }
}

/// Evaluates `spec` on `key` with OpenCC's rules: the longest prefix of `key` that the
/// dictionary answers, as (bytes consumed, candidates).
pub fn evaluate<'d>(
    spec: &DictSpec,
    dictionaries: &'d HashMap<String, Dictionary>,
    key: &str,
) -> Option<(usize, &'d [String])> {
    match spec {
        DictSpec::File { file, .. } => {
            let dictionary = dictionaries.get(file)?;
            let mut end = key.len();
            loop {
                if let Some(values) = dictionary.get(&key[..end]) {
                    return Some((end, values));
                }
                end = key[..end].char_indices().next_back().map(|(i, _)| i)?;
                if end == 0 {
                    return None;
                }
            }
        }
        DictSpec::Group { policy, members } => {
            let mut best: Option<(usize, &'d [String])> = None;
            for member in members {
                if let Some(found) = evaluate(member, dictionaries, key) {
                    match policy {
                        MatchPolicy::ShortCircuit => return Some(found),
                        MatchPolicy::Union => {
                            if best.is_none_or(|(len, _)| found.0 > len) {
                                best = Some(found);
                            }
                        }
                    }
                }
            }
            best
        }
    }
}

impl Table {
    /// Compiles one dictionary; every file it names must be in `dictionaries` (by file name).
    #[allow(dead_code, reason = "used by the tests")]
    pub fn compile(
        spec: &DictSpec,
        dictionaries: &HashMap<String, Dictionary>,
    ) -> Result<Table, String> {
        Table::compile_columns(&[spec], dictionaries)
    }

    /// Compiles several dictionaries over the union of their keys, one answer column each in
    /// the order given.
    pub fn compile_columns(
        specs: &[&DictSpec],
        dictionaries: &HashMap<String, Dictionary>,
    ) -> Result<Table, String> {
        let mut files = Vec::new();
        for spec in specs {
            spec.files(&mut files);
        }
        let mut keys = BTreeSet::new();
        for (_, file) in &files {
            let dictionary = dictionaries
                .get(file)
                .ok_or_else(|| format!("dictionary {file} not loaded"))?;
            keys.extend(
                dictionary
                    .keys()
                    .filter(|k| !k.is_empty() && !k.contains(TRIE_END_MARKER))
                    .map(String::as_str),
            );
        }
        let mut columns: Vec<Vec<Answer>> = specs
            .iter()
            .map(|_| Vec::with_capacity(keys.len()))
            .collect();
        let mut values = String::new();
        let mut arena: HashMap<&str, u32> = HashMap::new();
        let mut single_keys = Vec::new();
        let mut longer_starts = BTreeSet::new();
        let mut first_pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
        for (row, key) in keys.iter().enumerate() {
            for (spec, column) in specs.iter().zip(&mut columns) {
                let Some((consumed, candidates)) = evaluate(spec, dictionaries, key) else {
                    column.push(NO_ANSWER);
                    continue;
                };
                let output = candidates[0].as_str();
                let value_start = *arena.entry(output).or_insert_with(|| {
                    let start = values.len() as u32;
                    values.push_str(output);
                    start
                });
                let single_char = key[..consumed].chars().count() == 1;
                column.push(Answer {
                    consumed: consumed as u32,
                    value_start,
                    value_len: output.len() as u32,
                    ambiguous: single_char && candidates.len() > 1,
                });
            }
            let mut chars = key.chars();
            if let Some(c) = chars.next() {
                match chars.next() {
                    None => single_keys.push((u32::from(c), row as u32)),
                    Some(second) => {
                        longer_starts.insert(u32::from(c));
                        first_pairs.insert((u32::from(c), utf8_word(second)));
                    }
                }
            }
        }
        let bits = (first_pairs.len().next_power_of_two().trailing_zeros()
            + PAIR_BITS_PER_PAIR_LOG2)
            .clamp(MIN_PAIR_BITS, MAX_PAIR_BITS);
        let mut pairs = vec![0u64; (1 << bits) / 64];
        for &(first, second) in &first_pairs {
            let bit = pair_bit(first, second, 32 - bits);
            pairs[bit / 64] |= 1 << (bit % 64);
        }
        let records = keys.iter().enumerate().map(|(i, k)| (*k, i as u32));
        let trie = if keys.is_empty() {
            crawdad::Trie::from_records([("\u{0}", 0u32)]).map_err(|e| e.to_string())?
        } else {
            crawdad::Trie::from_records(records).map_err(|e| e.to_string())?
        };
        Ok(Table::assemble(
            trie,
            columns,
            values,
            single_keys,
            longer_starts.into_iter().collect(),
            pairs,
        ))
    }

    fn assemble(
        trie: crawdad::Trie,
        columns: Vec<Vec<Answer>>,
        values: String,
        single_keys: Vec<(u32, u32)>,
        longer_starts: Vec<u32>,
        pairs: Vec<u64>,
    ) -> Table {
        let mut bmp = vec![0u32; BMP];
        let mut astral_starts = Vec::new();
        for &(c, row) in &single_keys {
            match bmp.get_mut(c as usize) {
                Some(entry) => *entry |= row + 1,
                None => astral_starts.push(c),
            }
        }
        for &c in &longer_starts {
            match bmp.get_mut(c as usize) {
                Some(entry) => *entry |= LONGER_KEYS,
                None => astral_starts.push(c),
            }
        }
        astral_starts.sort_unstable();
        astral_starts.dedup();
        let mut bmp_starts = vec![0u64; BMP / 64];
        for (c, _) in bmp.iter().enumerate().filter(|(_, entry)| **entry != 0) {
            bmp_starts[c / 64] |= 1 << (c % 64);
        }
        let mut start_bytes = [false; 256];
        for c in single_keys
            .iter()
            .map(|&(c, _)| c)
            .chain(longer_starts.iter().copied())
        {
            if let Some(c) = char::from_u32(c) {
                let mut buffer = [0u8; 4];
                start_bytes[usize::from(c.encode_utf8(&mut buffer).as_bytes()[0])] = true;
            }
        }
        let min_start_byte = start_bytes.iter().position(|&s| s).unwrap_or(255) as u8;
        let ascii_starts: Vec<u8> = (0u8..0x80)
            .filter(|&b| start_bytes[usize::from(b)])
            .collect();
        let ascii_start_set = match ascii_starts.as_slice() {
            [] => Some([0x80; 4]),
            [first, ..] if ascii_starts.len() <= 4 => {
                let mut set = [*first; 4];
                set[..ascii_starts.len()].copy_from_slice(&ascii_starts);
                Some(set)
            }
            _ => None,
        };
        let pair_shift = 32 - (pairs.len() * 64).trailing_zeros();
        Table {
            trie,
            columns,
            values,
            single_keys,
            longer_starts,
            pairs,
            pair_shift,
            bmp,
            bmp_starts,
            astral_starts,
            start_bytes,
            min_start_byte,
            ascii_start_set,
        }
    }

    /// Whether some key may start with `c`: exact in the BMP, `true` past it.
    #[inline(always)]
    fn may_start_key(&self, c: u32) -> bool {
        self.bmp_starts
            .get(c as usize / 64)
            .is_none_or(|word| word & (1 << (c % 64)) != 0)
    }

    #[inline(always)]
    fn starts_key(&self, c: u32) -> bool {
        match self.bmp.get(c as usize) {
            Some(&entry) => entry != 0,
            None => self.astral_starts.binary_search(&c).is_ok(),
        }
    }

    /// Whether a key may match where character `c` is followed by `bytes[next..]`, with no
    /// match reaching past `to`: `c` is a key, or starts longer keys and the pair bitset allows
    /// the next character. Computed without a branch on the answer: which characters start
    /// keys looks random to the branch predictor (most CJK characters start some phrase), while
    /// a possible phrase start is rare.
    #[inline(always)]
    fn may_match(&self, bytes: &[u8], next: usize, to: usize, c: u32) -> bool {
        match self.bmp.get(c as usize) {
            Some(&entry) => {
                let bit = pair_bit(c, utf8_word_at(bytes, next), self.pair_shift);
                let pair = self
                    .pairs
                    .get(bit / 64)
                    .map_or(1, |word| word >> (bit % 64))
                    & 1;
                let longer = u64::from(entry >> 31) & pair & u64::from(next < to);
                ((entry & !LONGER_KEYS) != 0) | (longer != 0)
            }
            None => self.astral_starts.binary_search(&c).is_ok(),
        }
    }

    /// Whether some key of two or more characters may start with `first` then the character
    /// whose [`utf8_word`] is `second`.
    #[inline(always)]
    fn pair_may_start(&self, first: u32, second: u32) -> bool {
        let bit = pair_bit(first, second, self.pair_shift);
        self.pairs
            .get(bit / 64)
            .is_none_or(|word| word & (1 << (bit % 64)) != 0)
    }

    /// The row of the longest key matching at `text[at..limit]`, whose first character is `c`
    /// (which starts a key).
    #[inline(always)]
    fn longest_row(&self, text: &str, at: usize, limit: usize, c: u32) -> Option<usize> {
        if let Some(&entry) = self.bmp.get(c as usize) {
            if entry & LONGER_KEYS == 0 {
                return entry.checked_sub(1).map(|row| row as usize);
            }
            // A BMP character: 1 to 3 bytes.
            let next = at + 1 + usize::from(c >= 0x80) + usize::from(c >= 0x800);
            let bytes = text.as_bytes();
            if next >= limit || !self.pair_may_start(c, utf8_word_at(bytes, next)) {
                return (entry & !LONGER_KEYS)
                    .checked_sub(1)
                    .map(|row| row as usize);
            }
        }
        let haystack = text
            .get(at..limit)
            .unwrap_or("")
            .chars()
            .take_while(|&c| c != TRIE_END_MARKER);
        let mut best = None;
        for (value, _) in self.trie.common_prefix_search(haystack) {
            best = Some(value as usize);
        }
        best
    }

    /// The answer of `column` at `text[at..limit]` (the first character is `c`), if any.
    #[inline(always)]
    fn answer(
        &self,
        column: &[Answer],
        text: &str,
        at: usize,
        limit: usize,
        c: u32,
    ) -> Option<Answer> {
        let row = self.longest_row(text, at, limit, c)?;
        column.get(row).copied().filter(|a| a.consumed != 0)
    }

    #[inline(always)]
    fn output(&self, answer: &Answer) -> &str {
        let start = answer.value_start as usize;
        self.values
            .get(start..start + answer.value_len as usize)
            .unwrap_or("")
    }

    /// Finds the first position in `from..to` (both character boundaries) where a key may
    /// match (see [`Table::may_match`]), or where a key of `guard`'s step may start: (position, character, character
    /// length).
    #[inline(always)]
    fn next_candidate(
        &self,
        bytes: &[u8],
        from: usize,
        to: usize,
        guard: Option<Guard<'_>>,
    ) -> Option<(usize, u32, usize)> {
        let guard_min = guard.map_or(NO_GUARD, |g| g.min);
        let min = self.min_start_byte.min(guard_min);
        let mut i = from;
        while i < to {
            let b = bytes[i];
            if b < 0x80 {
                if self.start_bytes[usize::from(b)] {
                    return Some((i, u32::from(b), 1));
                }
                i += 1;
                if let Some(set) = self.ascii_start_set {
                    // Skip words holding neither ASCII start bytes nor non-ASCII ones, then go
                    // to the first such byte.
                    while let Some(word) = bytes.get(i..i + 8).filter(|_| i + 8 <= to) {
                        let word = u64::from_le_bytes([
                            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
                        ]);
                        let found = (word & HIGH_BITS)
                            | zero_bytes(word ^ (ONE_BYTES * u64::from(set[0])))
                            | zero_bytes(word ^ (ONE_BYTES * u64::from(set[1])))
                            | zero_bytes(word ^ (ONE_BYTES * u64::from(set[2])))
                            | zero_bytes(word ^ (ONE_BYTES * u64::from(set[3])));
                        if found != 0 {
                            i += (found.trailing_zeros() / 8) as usize;
                            break;
                        }
                        i += 8;
                    }
                }
                continue;
            }
            if b < min {
                // Keys start only with characters above this one (e.g. CJK compatibility
                // ideographs): skip blocks of bytes below every start byte, continuation bytes
                // included; the byte loop then stops on a lead byte or ASCII, so `i` stays on a
                // character boundary.
                i += 1;
                // 32 bytes at a time (the compiler vectorizes the maximum), then 8.
                while let Some(block) = bytes.get(i..i + 32).filter(|_| i + 32 <= to) {
                    let Ok(block) = <&[u8; 32]>::try_from(block) else {
                        break;
                    };
                    if block.iter().fold(0, |max, &b| max.max(b)) >= min {
                        break;
                    }
                    i += 32;
                }
                while let Some(word) = bytes.get(i..i + 8).filter(|_| i + 8 <= to) {
                    let word = u64::from_le_bytes([
                        word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
                    ]);
                    if any_byte_at_least(word, min) {
                        break;
                    }
                    i += 8;
                }
                while i < to && bytes[i] < min && bytes[i] >= 0x80 {
                    i += 1;
                }
                continue;
            }
            if b & 0xF0 == 0xE0
                && let Ok(starts) = <&[u64; BMP / 64]>::try_from(self.bmp_starts.as_slice())
            {
                // A stretch of three-byte characters (CJK text), decoded without the general
                // cascade, with one length check a character (a BMP code point indexes `starts`
                // without one): most of them start no key, and this loop is most of the
                // engine's time on such text.
                let from = i;
                let window = bytes.get(..to).unwrap_or(bytes);
                while let Some(&[b0, b1, b2]) = window.get(i..).and_then(<[u8]>::first_chunk) {
                    if b0 & 0xF0 != 0xE0 {
                        break;
                    }
                    let c = three_byte_code(b0, b1, b2);
                    let may_start = starts[(c / 64) as usize] & (1 << (c % 64)) != 0;
                    if (may_start && self.may_match(bytes, i + 3, to, c))
                        || (b0 >= guard_min && guard.is_some_and(|g| g.table.starts_key(c)))
                    {
                        return Some((i, c, 3));
                    }
                    i += 3;
                }
                if i != from {
                    continue;
                }
            }
            // No shortcut for lead bytes that start no key (e.g. fullwidth punctuation between
            // CJK characters): a branch on them is mispredicted where they alternate, while
            // `may_match` answers them from the dense table like any other character.
            let (c, len) = decode_at(bytes, i);
            if (self.may_start_key(c) && self.may_match(bytes, i + len, to, c))
                || (b >= guard_min && guard.is_some_and(|g| g.table.starts_key(c)))
            {
                return Some((i, c, len));
            }
            i += len;
        }
        None
    }

    /// Converts `text[from..to]` with `column` by maximum match (no match extends past `to`),
    /// appending to `out`; returns the number of ambiguous matches.
    #[inline]
    fn convert_range(
        &self,
        column: usize,
        text: &str,
        from: usize,
        to: usize,
        out: &mut String,
    ) -> u32 {
        // Without a guard there is nothing to fail on.
        self.convert_range_with(column, text, from, to, out, None)
            .unwrap_or(0)
    }

    /// [`Table::convert_range`], failing as soon as `guard` finds that its step would change
    /// the text (see [`Guard`]).
    #[inline(always)]
    fn convert_range_with(
        &self,
        column: usize,
        text: &str,
        from: usize,
        to: usize,
        out: &mut String,
        guard: Option<Guard<'_>>,
    ) -> Result<u32, NeedsNormalization> {
        let answers = &self.columns[column];
        let bytes = text.as_bytes();
        let mut ambiguous = 0;
        let mut copied = from;
        let mut i = from;
        while let Some((at, c, char_len)) = self.next_candidate(bytes, i, to, guard) {
            if let Some(guard) = guard {
                guard.check(text, at, c)?;
            }
            match self.answer(answers, text, at, to, c) {
                Some(answer) => {
                    i = at + answer.consumed as usize;
                    if let Some(guard) = guard {
                        guard.check_inside(bytes, at + char_len, i)?;
                    }
                    out.push_str(&text[copied..at]);
                    out.push_str(self.output(&answer));
                    ambiguous += u32::from(answer.ambiguous);
                    copied = i;
                }
                None => i = at + char_len,
            }
        }
        out.push_str(&text[copied..to]);
        Ok(ambiguous)
    }

    /// Converts `text` with column 0 by maximum match, appending to `out`; returns the number of
    /// ambiguous matches.
    #[allow(dead_code, reason = "used by the tests")]
    pub fn convert_into(&self, text: &str, out: &mut String) -> u32 {
        self.convert_range(0, text, 0, text.len(), out)
    }

    /// [`Table::convert_into`] with a [`Guard`]: fails (leaving `out` partly written) when the
    /// guard's step would change `text`.
    pub fn convert_guarded(
        &self,
        text: &str,
        out: &mut String,
        guard: Option<Guard<'_>>,
    ) -> Result<u32, NeedsNormalization> {
        self.convert_range_with(0, text, 0, text.len(), out, guard)
    }

    /// Whether some key of `column` matches somewhere in `text` (a key whose value is itself
    /// counts too). When none does, converting `text` with `column` gives `text` back, with no
    /// ambiguous match: [`Table::convert_if_touched`] without building anything.
    pub fn touches(&self, column: usize, text: &str) -> bool {
        let answers = &self.columns[column];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some((at, c, char_len)) = self.next_candidate(bytes, i, text.len(), None) {
            if self.answer(answers, text, at, text.len(), c).is_some() {
                return true;
            }
            i = at + char_len;
        }
        false
    }

    /// Converts `text` with `column` unless no key matches anywhere in it (then `None`).
    pub fn convert_if_touched(&self, column: usize, text: &str) -> Option<(String, u32)> {
        let answers = &self.columns[column];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some((at, c, char_len)) = self.next_candidate(bytes, i, text.len(), None) {
            if self.answer(answers, text, at, text.len(), c).is_some() {
                let mut out = String::with_capacity(text.len() + text.len() / 8);
                out.push_str(&text[..at]);
                let ambiguous = self.convert_range(column, text, at, text.len(), &mut out);
                return Some((out, ambiguous));
            }
            i = at + char_len;
        }
        None
    }

    /// Converts `text`, made of segments ending at the byte offsets `ends` (ascending, the last
    /// one `text.len()`), with `column` by maximum match inside each segment, appending to
    /// `out`. When `out_ends` is given, the segments' ends in `out` are pushed onto it.
    pub fn convert_segments(
        &self,
        column: usize,
        text: &str,
        ends: &[u32],
        out: &mut String,
        mut out_ends: Option<&mut Vec<u32>>,
    ) -> u32 {
        let answers = &self.columns[column];
        let bytes = text.as_bytes();
        let mut ambiguous = 0;
        let mut copied = 0;
        let mut i = 0;
        let mut segment = 0;
        while let Some((at, c, char_len)) = self.next_candidate(bytes, i, text.len(), None) {
            // Matches never cross a segment end, so every end before `at` is at or after
            // `copied` and maps to the same distance past the output so far.
            while ends.get(segment).is_some_and(|&end| end as usize <= at) {
                if let Some(out_ends) = out_ends.as_deref_mut() {
                    out_ends.push((out.len() + ends[segment] as usize - copied) as u32);
                }
                segment += 1;
            }
            let limit = ends.get(segment).map_or(text.len(), |&end| end as usize);
            match self.answer(answers, text, at, limit, c) {
                Some(answer) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(self.output(&answer));
                    ambiguous += u32::from(answer.ambiguous);
                    i = at + answer.consumed as usize;
                    copied = i;
                }
                None => i = at + char_len,
            }
        }
        out.push_str(&text[copied..]);
        if let Some(out_ends) = out_ends {
            for &end in ends.get(segment..).unwrap_or_default() {
                out_ends.push((out.len() - (text.len() - end as usize)) as u32);
            }
        }
        ambiguous
    }

    /// OpenCC's `mmseg` segmentation with `segmentation_column`, followed by the conversion with
    /// `step_column` of each segment, in one pass: every segmentation match is a segment, and the
    /// runs of characters between matches are segments of their own (a run is never split).
    /// Appends the converted text to `out` and the segments' ends in `out` to `out_ends`.
    pub fn segment_and_convert(
        &self,
        segmentation_column: usize,
        step_column: usize,
        text: &str,
        out: &mut String,
        out_ends: &mut Vec<u32>,
        guard: Option<Guard<'_>>,
    ) -> Result<u32, NeedsNormalization> {
        let segmentation = &self.columns[segmentation_column];
        let step = &self.columns[step_column];
        let bytes = text.as_bytes();
        let mut ambiguous = 0;
        let mut run_start = 0;
        // The step's answers at the positions of the current run, in text order (see
        // `finish_run`): a buffer of this thread's, kept from call to call (growing a new one
        // per call was a tenth of the zh-TW stage's allocations).
        let mut pending = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        pending.clear();
        let mut i = 0;
        while let Some((at, c, char_len)) = self.next_candidate(bytes, i, text.len(), guard) {
            // Every position outside segmentation matches passes here (runs are visited
            // character by character); the inside of matches is checked below.
            if let Some(guard) = guard {
                guard.check(text, at, c)?;
            }
            let Some(row) = self.longest_row(text, at, text.len(), c) else {
                i = at + char_len;
                continue;
            };
            let segment_len = segmentation.get(row).map_or(0, |a| a.consumed);
            if segment_len == 0 {
                if let Some(answer) = step.get(row).filter(|a| a.consumed != 0) {
                    pending.push((at, *answer));
                }
                i = at + char_len;
                continue;
            }
            if run_start < at {
                ambiguous += self.finish_run(step_column, text, run_start, at, &pending, out);
                pending.clear();
                out_ends.push(out.len() as u32);
            }
            let end = at + segment_len as usize;
            if let Some(guard) = guard {
                guard.check_inside(bytes, at + char_len, end)?;
            }
            // The step's answer on the longest key is its answer inside the segment whenever
            // it does not reach past the segment (it then only looked at a prefix of it).
            match step.get(row) {
                Some(answer) if answer.consumed != 0 && answer.consumed <= segment_len => {
                    out.push_str(self.output(answer));
                    ambiguous += u32::from(answer.ambiguous);
                    let next = at + answer.consumed as usize;
                    if next < end {
                        ambiguous += self.convert_range(step_column, text, next, end, out);
                    }
                }
                _ => ambiguous += self.convert_range(step_column, text, at, end, out),
            }
            out_ends.push(out.len() as u32);
            i = end;
            run_start = end;
        }
        if run_start < text.len() {
            ambiguous += self.finish_run(step_column, text, run_start, text.len(), &pending, out);
            out_ends.push(out.len() as u32);
        }
        PENDING.with(|p| *p.borrow_mut() = pending);
        Ok(ambiguous)
    }

    /// Converts the run `text[start..end]` (a segment of characters where segmentation found no
    /// match) with `column`, given `pending`: the column's answer, without the run's end as a
    /// limit, at every position of the run where it has one. The segmentation pass visited
    /// every character of the run, so these are all the positions where the step can match;
    /// an answer that stays inside the run is the answer within the run too, and the first one
    /// that reaches past it is looked up again inside the run.
    fn finish_run(
        &self,
        column: usize,
        text: &str,
        start: usize,
        end: usize,
        pending: &[(usize, Answer)],
        out: &mut String,
    ) -> u32 {
        let mut ambiguous = 0;
        let mut copied = start;
        for &(at, answer) in pending {
            if at < copied {
                continue;
            }
            out.push_str(&text[copied..at]);
            if at + answer.consumed as usize > end {
                return ambiguous + self.convert_range(column, text, at, end, out);
            }
            out.push_str(self.output(&answer));
            ambiguous += u32::from(answer.ambiguous);
            copied = at + answer.consumed as usize;
        }
        out.push_str(&text[copied..end]);
        ambiguous
    }

    /// Serializes the table (the build script embeds the result).
    #[allow(dead_code, reason = "used by build.rs, which shares this file")]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        let trie = self.trie.serialize_to_vec();
        push_u32(&mut out, trie.len() as u32);
        out.extend_from_slice(&trie);
        push_u32(&mut out, self.columns.len() as u32);
        push_u32(&mut out, self.columns.first().map_or(0, Vec::len) as u32);
        for column in &self.columns {
            for a in column {
                push_u32(&mut out, a.consumed | if a.ambiguous { 1 << 31 } else { 0 });
                push_u32(&mut out, a.value_start);
                push_u32(&mut out, a.value_len);
            }
        }
        push_u32(&mut out, self.values.len() as u32);
        out.extend_from_slice(self.values.as_bytes());
        push_u32(&mut out, self.single_keys.len() as u32);
        for &(c, row) in &self.single_keys {
            push_u32(&mut out, c);
            push_u32(&mut out, row);
        }
        push_u32(&mut out, self.longer_starts.len() as u32);
        for &c in &self.longer_starts {
            push_u32(&mut out, c);
        }
        push_u32(&mut out, self.pairs.len() as u32);
        for &word in &self.pairs {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out
    }

    /// Reads a table written by [`Table::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Table, String> {
        let mut r = ByteReader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("bad magic".to_owned());
        }
        let trie_len = r.u32()? as usize;
        let trie_bytes = r.take(trie_len)?;
        let (trie, rest) = crawdad::Trie::deserialize_from_slice(trie_bytes);
        if !rest.is_empty() {
            return Err("trailing trie bytes".to_owned());
        }
        let column_count = r.u32()? as usize;
        let key_count = r.u32()? as usize;
        let mut columns = Vec::with_capacity(column_count.min(16));
        for _ in 0..column_count {
            let raw = r.take(key_count.checked_mul(12).ok_or("length overflow")?)?;
            let column: Vec<Answer> = raw
                .chunks_exact(12)
                .map(|a| {
                    let consumed = le_u32(&a[0..4]);
                    Answer {
                        consumed: consumed & !(1 << 31),
                        ambiguous: consumed & (1 << 31) != 0,
                        value_start: le_u32(&a[4..8]),
                        value_len: le_u32(&a[8..12]),
                    }
                })
                .collect();
            columns.push(column);
        }
        let values_len = r.u32()? as usize;
        let values = std::str::from_utf8(r.take(values_len)?)
            .map_err(|e| e.to_string())?
            .to_owned();
        for a in columns.iter().flatten() {
            let end = a.value_start as usize + a.value_len as usize;
            if !values.is_char_boundary(a.value_start as usize)
                || end > values.len()
                || !values.is_char_boundary(end)
            {
                return Err("answer outside the value arena".to_owned());
            }
        }
        let single_count = r.u32()? as usize;
        let raw = r.take(single_count.checked_mul(8).ok_or("length overflow")?)?;
        let single_keys: Vec<(u32, u32)> = raw
            .chunks_exact(8)
            .map(|p| (le_u32(&p[0..4]), le_u32(&p[4..8])))
            .collect();
        if single_keys
            .iter()
            .any(|&(c, row)| row as usize >= key_count || c >= 0x11_0000)
        {
            return Err("single-character key out of range".to_owned());
        }
        let longer_count = r.u32()? as usize;
        let raw = r.take(longer_count.checked_mul(4).ok_or("length overflow")?)?;
        let longer_starts: Vec<u32> = raw.chunks_exact(4).map(le_u32).collect();
        let pair_words = r.u32()? as usize;
        let pair_bits = (pair_words * 64).trailing_zeros();
        if !pair_words.is_power_of_two() || !(MIN_PAIR_BITS..=MAX_PAIR_BITS).contains(&pair_bits) {
            return Err("pair bitset of the wrong size".to_owned());
        }
        let pairs: Vec<u64> = r
            .take(pair_words * 8)?
            .chunks_exact(8)
            .map(|w| u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]))
            .collect();
        Ok(Table::assemble(
            trie,
            columns,
            values,
            single_keys,
            longer_starts,
            pairs,
        ))
    }
}

/// A byte no UTF-8 text holds: the smallest start byte of no guard.
const NO_GUARD: u8 = 0xFF;

/// The conversion found that the guard's step (normalization) would change the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsNormalization;

/// A whole-text step that usually changes nothing (OpenCC's normalization: CJK compatibility
/// ideographs), checked during the first conversion pass instead of in a pass of its own: the
/// pass fails at the first position where the step has a match, and the caller then runs the
/// step first. Only for steps whose keys all start with a character of three or more bytes, so
/// that the candidate scan can stop on their lead bytes without touching ASCII skipping.
#[derive(Debug, Clone, Copy)]
pub struct Guard<'g> {
    table: &'g Table,
    min: u8,
}

impl<'g> Guard<'g> {
    /// A guard for column 0 of `table`, if its keys allow one.
    pub fn new(table: &'g Table) -> Option<Guard<'g>> {
        let min = table.min_start_byte;
        (table.columns.len() == 1 && (0xE0..NO_GUARD).contains(&min))
            .then_some(Guard { table, min })
    }

    /// Fails when the step has a match at `at` (whose character is `c`). A step that changes
    /// nothing has no match anywhere, and its first match is at the first position where it has
    /// one, so checking positions in any order is exact.
    #[inline(always)]
    fn check(&self, text: &str, at: usize, c: u32) -> Result<(), NeedsNormalization> {
        if text.as_bytes().get(at).is_some_and(|&b| b >= self.min)
            && self.table.starts_key(c)
            && self
                .table
                .answer(&self.table.columns[0], text, at, text.len(), c)
                .is_some()
        {
            return Err(NeedsNormalization);
        }
        Ok(())
    }

    /// Fails when `bytes[from..to]` (the inside of a match, which the scan skips) holds any
    /// byte that may begin one of the step's keys (conservative: the caller then takes the
    /// exact path).
    #[inline(always)]
    fn check_inside(&self, bytes: &[u8], from: usize, to: usize) -> Result<(), NeedsNormalization> {
        match bytes.get(from..to) {
            Some(inside) if inside.iter().all(|&b| b < self.min) => Ok(()),
            _ => Err(NeedsNormalization),
        }
    }
}

/// A character's UTF-8 bytes as a little-endian word, zero-padded (the second character's half of
/// [`pair_bit`]: taken from the text with a load and a mask, no decoding).
fn utf8_word(c: char) -> u32 {
    let mut buffer = [0u8; 4];
    c.encode_utf8(&mut buffer);
    u32::from_le_bytes(buffer)
}

/// Per lead byte: the mask keeping a character's bytes in a little-endian word of four.
const UTF8_WORD_MASK: [u32; 256] = {
    let mut masks = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        masks[b] = match b {
            0x00..0xC0 => 0xFF,
            0xC0..0xE0 => 0xFFFF,
            0xE0..0xF0 => 0xFF_FFFF,
            _ => 0xFFFF_FFFF,
        };
        b += 1;
    }
    masks
};

/// [`utf8_word`] of the character at byte `i` of valid UTF-8 (0 at the end), without branching
/// on its length: ASCII and CJK alternate unpredictably in wiki text.
#[inline(always)]
fn utf8_word_at(bytes: &[u8], i: usize) -> u32 {
    let word = match bytes.get(i..i + 4) {
        Some(&[b0, b1, b2, b3]) => u32::from_le_bytes([b0, b1, b2, b3]),
        _ => {
            let mut buffer = [0u8; 4];
            let tail = bytes.get(i..).unwrap_or_default();
            let n = tail.len().min(4);
            buffer[..n].copy_from_slice(&tail[..n]);
            u32::from_le_bytes(buffer)
        }
    };
    word & UTF8_WORD_MASK[(word & 0xFF) as usize]
}

/// The bit of [`Table::pairs`] for a key starting with `first` then the character whose
/// [`utf8_word`] is `second`, in a bitset of `2^(32 - shift)` bits.
#[inline(always)]
fn pair_bit(first: u32, second: u32, shift: u32) -> usize {
    let hash = (first.wrapping_mul(0x9E37_79B1) ^ second).wrapping_mul(0x85EB_CA6B);
    (hash >> shift) as usize
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const ONE_BYTES: u64 = 0x0101_0101_0101_0101;

/// A mask whose lowest set bit is the high bit of the first zero byte of `word` (0 when there is
/// none; bits above the first zero byte may be spurious, so only the lowest one is meaningful).
#[inline(always)]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONE_BYTES) & !word & HIGH_BITS
}

/// Whether any byte of `word` is `>= threshold` (SWAR: no carry crosses a byte, since every sum
/// below stays under 0x100).
#[inline(always)]
fn any_byte_at_least(word: u64, threshold: u8) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = word & LOW7;
    if threshold <= 0x80 {
        // b >= t  <=>  high bit set, or low7 + (0x80 - t) reaches 0x80.
        ((low + ONES * u64::from(0x80 - threshold)) | word) & HIGH != 0
    } else {
        // b >= t  <=>  high bit set and low7 + (0x100 - t) reaches 0x80.
        (low + ONES * (0x100 - u64::from(threshold))) & word & HIGH != 0
    }
}

thread_local! {
    /// [`Table::segment_and_convert`]'s buffer of answers within a run.
    static PENDING: std::cell::RefCell<Vec<(usize, Answer)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The code point of the three-byte UTF-8 sequence `b0 b1 b2` (`b0` in 0xE0..=0xEF).
#[inline(always)]
pub(super) fn three_byte_code(b0: u8, b1: u8, b2: u8) -> u32 {
    (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F)
}

/// Decodes the character starting at byte `i` of valid UTF-8: (code point, byte length).
#[inline(always)]
pub(super) fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[i]);
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (u32::from(bytes[i + 1]) & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12)
                | ((u32::from(bytes[i + 1]) & 0x3F) << 6)
                | (u32::from(bytes[i + 2]) & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((u32::from(bytes[i + 1]) & 0x3F) << 12)
                | ((u32::from(bytes[i + 2]) & 0x3F) << 6)
                | (u32::from(bytes[i + 3]) & 0x3F),
            4,
        )
    }
}

fn le_u32(raw: &[u8]) -> u32 {
    u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]])
}

#[allow(dead_code, reason = "used by build.rs, which shares this file")]
fn push_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

struct ByteReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(len).ok_or("length overflow")?;
        let slice = self.bytes.get(self.at..end).ok_or("truncated table")?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(le_u32(self.take(4)?))
    }
}
