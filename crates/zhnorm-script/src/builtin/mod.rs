//! The pure-Rust default engine: OpenCC's algorithm on double-array tries, with OpenCC 1.4.2's
//! dictionaries compiled in.
//!
//! What it reproduces, per OpenCC configuration (`t2s`, `s2twp`, …): the `normalization` steps
//! over the whole text (OpenCC 1.4), then maximum-match segmentation on the segmentation
//! dictionary (the whole text is one segment when the configuration has none), then the
//! conversion chain applied to each segment in turn, so that no step matches across a segment
//! boundary. Each step and each group of dictionaries is compiled into one table
//! (`table.rs`): a dense first-character table over the BMP, a `crawdad` double-array trie over
//! every key of the group, and the group's precomputed answer per key. The segmentation
//! dictionary shares one table with the first conversion step (one answer column each), so
//! segmentation and the first step run in one pass and load one trie; the later steps run over
//! the whole text with the list of segment ends, never matching across one. Normalization
//! (CJK compatibility ideographs) almost never changes real text, so the first pass checks for
//! it on the way (`table::Guard`) and the text is normalized first only when it does.
//!
//! The data: OpenCC 1.4.2's `.ocd2` dictionaries and `.json` configurations as shipped in the
//! `opencc-rust` 2.0.2 package, read by `build.rs` (never linked, nothing copied into this
//! repository) and embedded as prebuilt tables, so [`BuiltinEngine::load`] only deserializes
//! them (well under 10 ms, once per process). [`BuiltinEngine::load_from_dir`] compiles any
//! OpenCC data directory instead (the parity test uses the system's).
//!
//! Edges: this module knows nothing of documents, variants or MediaWiki rules (`lib.rs`); it
//! converts strings as OpenCC would. Unlike OpenCC's C library it treats NUL as an ordinary
//! character and never panics on any `&str`.

mod config;
mod dictionary;
mod error;
mod table;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use error::LoadError;

use crate::{CharScript, Engine};
use config::{ConfigSpec, DictSpec, parse_config};
use dictionary::{Dictionary, read_dictionary};
use table::{Guard, NeedsNormalization, Table};

/// One embedded configuration: indices into [`data::TABLES`].
struct BuiltinConfig {
    name: &'static str,
    normalization: &'static [usize],
    /// The first conversion step; with `segmented`, a two-column table whose column 0 is the
    /// segmentation dictionary and column 1 the first step.
    first: usize,
    segmented: bool,
    rest: &'static [usize],
}

#[allow(clippy::all, missing_docs)]
mod data {
    use super::BuiltinConfig;
    include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));
}

/// The OpenCC release whose dictionaries [`BuiltinEngine::load`] uses.
pub const OPENCC_DATA_VERSION: &str = data::OPENCC_VERSION;

/// The configurations [`BuiltinEngine::load`] knows, sorted.
pub fn builtin_configs() -> Vec<&'static str> {
    data::CONFIGS.iter().map(|c| c.name).collect()
}

/// An OpenCC configuration ready to convert text.
#[derive(Debug, Clone)]
pub struct BuiltinEngine {
    name: String,
    /// Whole-text steps (column 0 of each table).
    normalization: Vec<Arc<Table>>,
    /// The first conversion step: column 0 of this table, or, when `segmented`, column 1 with
    /// column 0 as the segmentation dictionary.
    first: Arc<Table>,
    segmented: bool,
    /// The rest of the conversion chain (column 0 of each table).
    rest: Vec<Arc<Table>>,
}

/// Column of a segmented configuration's first table holding the segmentation dictionary.
const SEGMENTATION_COLUMN: usize = 0;
/// Column of a segmented configuration's first table holding the first conversion step.
const FIRST_STEP_COLUMN: usize = 1;

fn config_name(config: &str) -> &str {
    config.strip_suffix(".json").unwrap_or(config)
}

fn builtin_table(index: usize) -> Result<Arc<Table>, LoadError> {
    static CACHE: OnceLock<Vec<OnceLock<Arc<Table>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| data::TABLES.iter().map(|_| OnceLock::new()).collect());
    let slot = cache.get(index).ok_or_else(|| LoadError::DamagedTable {
        index,
        reason: "no such table".to_owned(),
    })?;
    if let Some(table) = slot.get() {
        return Ok(Arc::clone(table));
    }
    let table = Table::from_bytes(data::TABLES[index])
        .map_err(|reason| LoadError::DamagedTable { index, reason })?;
    Ok(Arc::clone(slot.get_or_init(|| Arc::new(table))))
}

impl BuiltinEngine {
    /// Loads an embedded configuration by OpenCC name (`t2s`, `s2twp`, … or `t2s.json`).
    pub fn load(config: &str) -> Result<BuiltinEngine, LoadError> {
        let name = config_name(config);
        let builtin = data::CONFIGS
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| LoadError::UnknownConfig(config.to_owned()))?;
        let tables = |indices: &[usize]| {
            indices
                .iter()
                .map(|&i| builtin_table(i))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(BuiltinEngine {
            name: name.to_owned(),
            normalization: tables(builtin.normalization)?,
            first: builtin_table(builtin.first)?,
            segmented: builtin.segmented,
            rest: tables(builtin.rest)?,
        })
    }

    /// Loads configuration `config` (e.g. `t2s`) from an OpenCC data directory holding its
    /// `.json` file and the dictionaries it names (`.ocd2` or text), compiling the tables.
    pub fn load_from_dir(config: &str, dir: &Path) -> Result<BuiltinEngine, LoadError> {
        let name = config_name(config);
        let path = dir.join(format!("{name}.json"));
        if !path.is_file() {
            return Err(LoadError::UnknownConfig(config.to_owned()));
        }
        let json = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        let spec: ConfigSpec = parse_config(&json, &path)?;
        let mut dictionaries: HashMap<String, Dictionary> = HashMap::new();
        let mut files = Vec::new();
        for dict in spec
            .normalization
            .iter()
            .chain(&spec.segmentation)
            .chain(&spec.chain)
        {
            dict.files(&mut files);
        }
        for (kind, file) in files {
            if let std::collections::hash_map::Entry::Vacant(slot) = dictionaries.entry(file) {
                let dictionary = read_dictionary(&dir.join(slot.key()), &kind)?;
                slot.insert(dictionary);
            }
        }
        let mut compiled: Vec<(Vec<DictSpec>, Arc<Table>)> = Vec::new();
        let mut table = |columns: Vec<&DictSpec>| -> Result<Arc<Table>, LoadError> {
            if let Some((_, table)) = compiled
                .iter()
                .find(|(c, _)| c.iter().eq(columns.iter().copied()))
            {
                return Ok(Arc::clone(table));
            }
            let table = Arc::new(Table::compile_columns(&columns, &dictionaries).map_err(
                |reason| LoadError::InvalidConfig {
                    path: path.clone(),
                    reason,
                },
            )?);
            compiled.push((columns.into_iter().cloned().collect(), Arc::clone(&table)));
            Ok(table)
        };
        let (first_step, rest) =
            spec.chain
                .split_first()
                .ok_or_else(|| LoadError::InvalidConfig {
                    path: path.clone(),
                    reason: "empty `conversion_chain`".to_owned(),
                })?;
        let first_columns = match &spec.segmentation {
            Some(segmentation) => vec![segmentation, first_step],
            None => vec![first_step],
        };
        Ok(BuiltinEngine {
            name: name.to_owned(),
            normalization: spec
                .normalization
                .iter()
                .map(|d| table(vec![d]))
                .collect::<Result<_, _>>()?,
            first: table(first_columns)?,
            segmented: spec.segmentation.is_some(),
            rest: rest
                .iter()
                .map(|d| table(vec![d]))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The configuration name, e.g. `t2s`.
    pub fn config(&self) -> &str {
        &self.name
    }

    /// Converts `text` and counts the characters converted through a one-to-many character
    /// mapping (see [`BuiltinEngine::ambiguous_count`]).
    pub fn convert_counting(&self, text: &str) -> (String, u32) {
        // A third of the texts a Traditional target's stage converts are ASCII (link targets,
        // names, numbers), which no dictionary changes: they skip the buffers and passes of a
        // conversion (0.7 % of the zh-TW stage's instructions).
        if text.is_ascii() && self.changes_nothing(text) {
            return (text.to_owned(), 0);
        }
        // Usually normalization changes nothing: the first conversion pass checks that on the
        // way instead of a pass of its own, and fails when it finds otherwise.
        if let [only] = self.normalization.as_slice() {
            if let Some(guard) = Guard::new(only) {
                if let Ok(done) = self.convert_normalized(text, Some(guard)) {
                    return done;
                }
            }
        }
        let mut ambiguous = 0;
        let mut normalized = Cow::Borrowed(text);
        for step in &self.normalization {
            if let Some((out, count)) = step.convert_if_touched(0, &normalized) {
                ambiguous += count;
                normalized = Cow::Owned(out);
            }
        }
        match self.convert_normalized(&normalized, None) {
            Ok((out, count)) => (out, ambiguous + count),
            // Only a guard makes the conversion fail.
            Err(NeedsNormalization) => (String::new(), ambiguous),
        }
    }

    /// Segmentation and the conversion chain over normalized `text` (or text that `guard`, the
    /// normalization step, finds unchanged on the way).
    fn convert_normalized(
        &self,
        text: &str,
        guard: Option<Guard<'_>>,
    ) -> Result<(String, u32), NeedsNormalization> {
        let capacity = text.len() + text.len() / 8;
        let mut out = String::with_capacity(capacity);
        let mut ambiguous = 0;
        // Segment ends (byte offsets into `out`): later steps never match across them. The
        // buffers between steps are this thread's, kept from call to call: allocating and
        // growing them per call showed in the zh-TW stage's profile.
        let Scratch {
            mut ends,
            mut next_ends,
            mut next,
        } = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        ends.clear();
        if self.segmented {
            ambiguous += self.first.segment_and_convert(
                SEGMENTATION_COLUMN,
                FIRST_STEP_COLUMN,
                text,
                &mut out,
                &mut ends,
                guard,
            )?;
        } else {
            ambiguous += self.first.convert_guarded(text, &mut out, guard)?;
            ends.push(out.len() as u32);
        }
        for (i, step) in self.rest.iter().enumerate() {
            let last = i + 1 == self.rest.len();
            next.clear();
            next.reserve(capacity);
            next_ends.clear();
            ambiguous +=
                step.convert_segments(0, &out, &ends, &mut next, (!last).then_some(&mut next_ends));
            std::mem::swap(&mut out, &mut next);
            std::mem::swap(&mut ends, &mut next_ends);
        }
        SCRATCH.with(|s| {
            *s.borrow_mut() = Scratch {
                ends,
                next_ends,
                next,
            }
        });
        Ok((out, ambiguous))
    }

    /// Whether converting `text` certainly gives `text` back: no key of any step matches
    /// anywhere in it. Exact in one direction only (a match whose value is its key answers
    /// `false`). No step then changes the text, so every later step sees the same text and one
    /// check of each step on `text` decides; segmentation only limits where matches may be.
    pub fn changes_nothing(&self, text: &str) -> bool {
        let first_column = if self.segmented { FIRST_STEP_COLUMN } else { 0 };
        !self.first.touches(first_column, text)
            && self.normalization.iter().all(|step| !step.touches(0, text))
            && self.rest.iter().all(|step| !step.touches(0, text))
    }

    /// How many characters of `text` this configuration converts through a one-to-many
    /// character mapping: single-character matches, in any step, whose dictionary entry lists
    /// several candidates (e.g. 发 → 發 髮 in `s2t`; OpenCC outputs the first). A character
    /// that two steps both convert that way counts twice.
    pub fn ambiguous_count(&self, text: &str) -> u32 {
        self.convert_counting(text).1
    }
}

impl Engine for BuiltinEngine {
    fn convert(&self, text: &str) -> String {
        self.convert_counting(text).0
    }

    fn name(&self) -> String {
        format!("builtin:{}", self.name)
    }
}

/// [`BuiltinEngine::convert_normalized`]'s buffers between the steps of the chain.
#[derive(Default)]
struct Scratch {
    ends: Vec<u32>,
    next_ends: Vec<u32>,
    next: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The system's OpenCC data directory: `share/opencc` under `pkg-config --variable=prefix
/// opencc`, when pkg-config knows OpenCC and the directory exists.
pub fn system_data_dir() -> Option<PathBuf> {
    let output = std::process::Command::new("pkg-config")
        .args(["--variable=prefix", "opencc"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let prefix = String::from_utf8(output.stdout).ok()?;
    let dir = Path::new(prefix.trim()).join("share").join("opencc");
    dir.is_dir().then_some(dir)
}

/// The script class of `c` by OpenCC's character tables (`TSCharacters`, `STCharacters`):
///
/// - [`CharScript::TraditionalOnly`]: a key of `TSCharacters` (t2s converts it) that no
///   `TSCharacters` entry lists as a candidate (so it is never a Simplified form, not even of
///   itself) and that is not a key of `STCharacters` (s2t does not treat it as Simplified).
///   Examples: 這 後 麵 幹 裡.
/// - [`CharScript::SimplifiedOnly`]: the mirror: a key of `STCharacters` that no
///   `STCharacters` entry lists as a candidate and that is not a key of `TSCharacters`.
///   Examples: 这 关 国 发.
/// - [`CharScript::Shared`]: everything else, notably characters legitimate in both scripts
///   because OpenCC lists them among their own candidates: 后 (皇后), 干 (干涉), 面, 乾 (乾坤).
#[inline]
pub fn char_script(c: char) -> CharScript {
    let code = u32::from(c);
    let classes = script_classes();
    // Below the tables' first code point (ASCII, Latin, punctuation…) and past their last one,
    // everything is shared; between them, one byte per code point answers.
    let class = code
        .checked_sub(classes.first)
        .and_then(|i| classes.class.get(i as usize));
    script_of_class(class.copied().unwrap_or(SHARED))
}

/// How many characters of `text` are [`CharScript::TraditionalOnly`] and how many
/// [`CharScript::SimplifiedOnly`]: [`char_script`] over a whole text (the mixed-script check
/// counts every character of every source).
pub fn count_scripts(text: &str) -> (usize, usize) {
    // Indexed by class byte (0 shared, 1 Traditional-only, 2 Simplified-only): counted without
    // a branch on the class, which follows the text's characters and so looks random to the
    // branch predictor.
    let mut counts = [0usize; 4];
    let _ = try_scan_classes(
        text,
        |_| true,
        |_, _, class| {
            counts[usize::from(class & 3)] += 1;
            ControlFlow::<()>::Continue(())
        },
    );
    (counts[1], counts[2])
}

/// Calls `visit(offset, character, script)` for every character of `text` that is
/// Traditional-only or Simplified-only by [`char_script`], in order; shared ones are skipped.
///
/// The code points are read from the UTF-8 bytes here rather than by `chars()`, with the class
/// table fetched once: ASCII (most of a wikitext source's markup) is skipped a word at a time,
/// stretches of three-byte characters (CJK text) are decoded without the general cascade, and
/// decoding the rest by `chars()` was a third of the checks' instructions for this. `text` is
/// valid UTF-8, so every lead byte has its continuation bytes.
pub fn for_each_script_character(text: &str, mut visit: impl FnMut(usize, char, CharScript)) {
    let _ = try_scan_classes(
        text,
        |class| class != SHARED,
        |at, code, class| {
            if let Some(c) = char::from_u32(code) {
                visit(at, c, script_of_class(class));
            }
            ControlFlow::<()>::Continue(())
        },
    );
}

/// Calls `visit(offset, character)` for every character of `text` of class `script` (not
/// [`CharScript::Shared`]) by [`char_script`], in order: [`for_each_script_character`] for one
/// class, whose test then rarely passes (a converted text holds few characters of the other
/// script), so the scan's branch is predicted.
pub fn for_each_character_of(text: &str, script: CharScript, mut visit: impl FnMut(usize, char)) {
    let Some(wanted) = class_of_script(script) else {
        return;
    };
    let _ = try_scan_classes(
        text,
        |class| class == wanted,
        |at, code, _| {
            if let Some(c) = char::from_u32(code) {
                visit(at, c);
            }
            ControlFlow::<()>::Continue(())
        },
    );
}

/// Whether `text` holds a character of class `script` (not [`CharScript::Shared`]), by
/// [`char_script`]: the scan of [`for_each_character_of`], stopping at the first one.
pub fn holds_script(text: &str, script: CharScript) -> bool {
    let Some(wanted) = class_of_script(script) else {
        return false;
    };
    try_scan_classes(
        text,
        |class| class == wanted,
        |_, _, _| ControlFlow::Break(()),
    )
    .is_break()
}

/// Class bytes of [`ScriptClasses::class`].
const SHARED: u8 = 0;
const TRADITIONAL_ONLY: u8 = 1;
const SIMPLIFIED_ONLY: u8 = 2;

#[inline(always)]
fn script_of_class(class: u8) -> CharScript {
    match class {
        TRADITIONAL_ONLY => CharScript::TraditionalOnly,
        SIMPLIFIED_ONLY => CharScript::SimplifiedOnly,
        _ => CharScript::Shared,
    }
}

fn class_of_script(script: CharScript) -> Option<u8> {
    match script {
        CharScript::TraditionalOnly => Some(TRADITIONAL_ONLY),
        CharScript::SimplifiedOnly => Some(SIMPLIFIED_ONLY),
        CharScript::Shared => None,
    }
}

/// Calls `visit(offset, code point, class byte)` for every character of `text` whose class
/// byte `wanted` accepts, in order, stopping where `visit` breaks. Every character outside the
/// class table's range is [`SHARED`].
#[inline(always)]
fn try_scan_classes<B>(
    text: &str,
    wanted: impl Fn(u8) -> bool,
    mut visit: impl FnMut(usize, u32, u8) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let classes = script_classes();
    let class_table = classes.class.as_slice();
    let class_of = |code: u32| {
        class_table
            .get(code.wrapping_sub(classes.first) as usize)
            .copied()
            .unwrap_or(SHARED)
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if lead < 0x80 {
            at += 1;
            // The rest of a stretch of ASCII (most of a wikitext source's markup) a word at a
            // time.
            while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
                if u64::from_le_bytes(*word) & 0x8080_8080_8080_8080 != 0 {
                    break;
                }
                at += 8;
            }
            continue;
        }
        if lead & 0xF0 == 0xE0 {
            // A stretch of three-byte characters (CJK text, most of an article's prose), one
            // length check a character.
            while let Some(&[b0, b1, b2]) = bytes.get(at..).and_then(<[u8]>::first_chunk) {
                if b0 & 0xF0 != 0xE0 {
                    break;
                }
                let code = table::three_byte_code(b0, b1, b2);
                let class = class_of(code);
                if wanted(class) {
                    visit(at, code, class)?;
                }
                at += 3;
            }
            continue;
        }
        let (code, width) = table::decode_at(bytes, at);
        let class = class_of(code);
        if wanted(class) {
            visit(at, code, class)?;
        }
        at += width;
    }
    ControlFlow::Continue(())
}

/// The script classes of every code point from the tables' first to their last, one byte each
/// (0 shared, 1 Traditional-only, 2 Simplified-only): the conversion stage asks for every
/// character it converts, and two binary searches per character were a tenth of its time.
struct ScriptClasses {
    first: u32,
    class: Vec<u8>,
}

fn script_classes() -> &'static ScriptClasses {
    static CLASSES: OnceLock<ScriptClasses> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let all = || {
            data::TRADITIONAL_ONLY
                .iter()
                .chain(data::SIMPLIFIED_ONLY)
                .copied()
        };
        let (Some(first), Some(last)) = (all().min(), all().max()) else {
            return ScriptClasses {
                first: 0,
                class: Vec::new(),
            };
        };
        let mut class = vec![0u8; (last - first + 1) as usize];
        for &code in data::SIMPLIFIED_ONLY {
            class[(code - first) as usize] = SIMPLIFIED_ONLY;
        }
        // As before: a code point in both lists counts as Traditional-only.
        for &code in data::TRADITIONAL_ONLY {
            class[(code - first) as usize] = TRADITIONAL_ONLY;
        }
        ScriptClasses { first, class }
    })
}

#[cfg(test)]
mod tests;
