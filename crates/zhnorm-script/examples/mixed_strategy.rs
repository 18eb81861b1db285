//! Which strategy converts mixed Traditional/Simplified text best? A benchmark with ground truth.
//!
//! ```text
//! cargo run --release -p zhnorm-script --example mixed_strategy [DIR…]
//! ```
//!
//! Sentences come from the `.md`/`.txt` files of each `DIR` (default: `markdown/` and
//! `scraped/` of `../shared/corpus-dev` beside the repository when present, else the seeds in
//! `corpus/raw/`). Markdown link syntax
//! is stripped; a sentence is one run ending in 。！？ of at least 8 characters.
//!
//! - Traditional target: take the pure-Traditional sentences (some Traditional-only character,
//!   no Simplified-only one, by `char_script`), simplify every other one with `t2s`, convert the
//!   mix back with each strategy using `s2t`, and count the characters that differ from the
//!   original sentences.
//! - The mirror for Simplified targets: pure-Simplified sentences, every other one made
//!   Traditional with `s2t`, converted back with `t2s`.
//! - Mixed inside sentences: as the first, but every other clause (，、；：) is simplified, so
//!   each sentence holds both scripts.
//!
//! Strategies: whole text through one configuration; a pivot through the other script (`t2s`
//! then `s2t`); sentence-wise (a sentence goes through the configuration when most of its
//! script-only characters are of the other script); runs (`zhnorm_script::mixed::convert_runs`,
//! what the converter uses for Traditional targets and `zh-CN`). `zh-Hans` uses the whole text:
//! OpenCC defines its output, and a Simplified sentence left alone could still hold what `t2s`
//! changes (藉由 → 借由).

use std::path::{Path, PathBuf};

use zhnorm_script::builtin::BuiltinEngine;
use zhnorm_script::mixed::{self, Scripts};
use zhnorm_script::{CharScript, Engine, char_script};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        let dev = repo.join("../shared/corpus-dev");
        dirs = if dev.is_dir() {
            vec![dev.join("markdown"), dev.join("scraped")]
        } else {
            vec![repo.join("corpus/raw")]
        };
    }
    let mut text = String::new();
    for dir in &dirs {
        text.push_str(&read_texts(dir)?);
    }
    let sentences = sentences(&text);
    let t2s = BuiltinEngine::load("t2s")?;
    let s2t = BuiltinEngine::load("s2t")?;
    let classify = |c: char| char_script(c);

    let traditional: Vec<String> = sentences
        .iter()
        .filter(|s| is_pure(s, CharScript::TraditionalOnly))
        .cloned()
        .collect();
    let simplified: Vec<String> = sentences
        .iter()
        .filter(|s| is_pure(s, CharScript::SimplifiedOnly))
        .cloned()
        .collect();
    for dir in &dirs {
        println!("source: {}", dir.display());
    }
    println!(
        "{} sentences; {} pure Traditional ({} chars), {} pure Simplified ({} chars)\n",
        sentences.len(),
        traditional.len(),
        chars(&traditional),
        simplified.len(),
        chars(&simplified),
    );

    let to_traditional = Scripts {
        other: CharScript::SimplifiedOnly,
        classify: &classify,
    };
    let to_simplified = Scripts {
        other: CharScript::TraditionalOnly,
        classify: &classify,
    };

    let mix = |originals: &[String], engine: &dyn Engine| -> String {
        originals
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i % 2 == 1 {
                    engine.convert(s)
                } else {
                    s.clone()
                }
            })
            .collect()
    };
    report(
        "Traditional target (every other sentence simplified, back with s2t)",
        &traditional.concat(),
        &mix(&traditional, &t2s),
        &s2t,
        &t2s,
        to_traditional,
        "runs",
    );
    report(
        "Simplified target (every other sentence made Traditional, back with t2s)",
        &simplified.concat(),
        &mix(&simplified, &s2t),
        &t2s,
        &s2t,
        to_simplified,
        "whole text",
    );
    let clause_mixed: String = traditional
        .iter()
        .map(|s| {
            clauses(s)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 1 {
                        t2s.convert(c)
                    } else {
                        c.to_owned()
                    }
                })
                .collect::<String>()
        })
        .collect();
    report(
        "Traditional target, mixed inside sentences (every other clause simplified)",
        &traditional.concat(),
        &clause_mixed,
        &s2t,
        &t2s,
        to_traditional,
        "runs",
    );
    Ok(())
}

fn report(
    title: &str,
    original: &str,
    input: &str,
    to_target: &dyn Engine,
    to_other: &dyn Engine,
    scripts: Scripts<'_>,
    chosen: &str,
) {
    println!("## {title}");
    println!(
        "input differs from the original in {} characters",
        differing(original, input)
    );
    let strategies: [(&str, String); 4] = [
        (
            if chosen == "whole text" {
                "whole text (chosen)"
            } else {
                "whole text"
            },
            mixed::convert_whole(input, to_target),
        ),
        ("pivot", mixed::convert_pivot(input, to_other, to_target)),
        (
            "sentence-wise",
            mixed::convert_sentences(input, scripts, to_target, None),
        ),
        (
            if chosen == "runs" {
                "runs (chosen)"
            } else {
                "runs"
            },
            mixed::convert_runs(input, scripts, to_target, None),
        ),
    ];
    println!("| strategy | differing characters | examples |");
    println!("| --- | ---: | --- |");
    for (name, output) in strategies {
        let examples = examples(original, &output, 3).join(" ");
        println!("| {name} | {} | {examples} |", differing(original, &output));
    }
    println!();
}

fn chars(sentences: &[String]) -> usize {
    sentences.iter().map(|s| s.chars().count()).sum()
}

fn is_pure(sentence: &str, script: CharScript) -> bool {
    let mut has = false;
    for c in sentence.chars() {
        match char_script(c) {
            CharScript::Shared => {}
            s if s == script => has = true,
            _ => return false,
        }
    }
    has
}

/// The text of every `.md`/`.txt` file under `dir`, sorted by name.
fn read_texts(dir: &Path) -> std::io::Result<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    paths.sort();
    let mut text = String::new();
    for path in paths {
        text.push_str(&std::fs::read_to_string(path)?);
        text.push('\n');
    }
    Ok(text)
}

/// Sentences of visible text: Markdown links keep their text, other markup lines are skipped.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = strip_links(line);
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', '|', '<', '{', '!']) {
            continue;
        }
        let mut current = String::new();
        for c in line.chars() {
            current.push(c);
            if matches!(c, '。' | '！' | '？') {
                let sentence = std::mem::take(&mut current);
                let han = sentence
                    .chars()
                    .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                    .count();
                if sentence.chars().count() >= 8 && han * 2 >= sentence.chars().count() {
                    out.push(sentence.trim().to_owned());
                }
            }
        }
    }
    out
}

/// `[text](target "title")` → `text`; also drops `\[n\]` markers.
fn strip_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let close = after.find(')').map_or(after.len(), |j| j + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    let out = out.replace(['[', ']'], "");
    out.replace("\\", "")
}

fn clauses(sentence: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices() {
        if matches!(c, '，' | '、' | '；' | '：') {
            let end = i + c.len_utf8();
            pieces.push(&sentence[start..end]);
            start = end;
        }
    }
    pieces.push(&sentence[start..]);
    pieces
}

/// Characters that differ between `a` and `b`, compared sentence by sentence (by edit distance
/// where a sentence changed length).
fn differing(a: &str, b: &str) -> usize {
    let sa = split_sentences(a);
    let sb = split_sentences(b);
    let mut n = 0;
    for (x, y) in sa.iter().zip(&sb) {
        n += edit_distance(x, y);
    }
    n + sa.len().abs_diff(sb.len())
}

fn split_sentences(text: &str) -> Vec<Vec<char>> {
    let mut out = vec![Vec::new()];
    for c in text.chars() {
        out.last_mut().expect("never empty").push(c);
        if matches!(c, '。' | '！' | '？') {
            out.push(Vec::new());
        }
    }
    out
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    if a.len() == b.len() {
        return a.iter().zip(b).filter(|(x, y)| x != y).count();
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(x != y))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Up to `limit` examples of differing words: `original→output`.
fn examples(original: &str, output: &str, limit: usize) -> Vec<String> {
    let a: Vec<char> = original.chars().collect();
    let b: Vec<char> = output.chars().collect();
    if a.len() != b.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < a.len() && out.len() < limit {
        if a[i] != b[i] {
            let start = i.saturating_sub(1);
            let end = (i + 2).min(a.len());
            out.push(format!(
                "{}→{}",
                a[start..end].iter().collect::<String>(),
                b[start..end].iter().collect::<String>()
            ));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}
