"""zhnorm from Python: normalize Chinese Wikipedia articles one at a time or as Arrow batches,
and read MediaWiki dumps as Arrow batches, whole or by ranges of multistream streams.

The work is done by the Rust crates of zhnorm (the extension module ``zhnorm._zhnorm``); a
document here is byte for byte the record ``zhnorm normalize`` writes for the same page.
"""

from zhnorm._zhnorm import (
    RECORD_SCHEMA,
    apply_corpus_findings,
    check_corpus,
    corpus_summary,
    DumpError,
    DumpReader,
    NormalizeError,
    dump_streams,
    normalize,
    normalize_batch,
    pages_schema,
    read_dump,
    record_schema,
)



def merge_reports(reports):
    """One ``zhnorm.report/1`` from the reports of many batches or tasks (``normalize_batch(...,
    report=True)``), in the order given: counts are summed, failures listed in order, and
    ``redirects`` and ``skipped`` left out when empty, as ``zhnorm normalize`` writes
    ``_report.json``. ``corpus`` (the corpus rules' findings) is not a sum: it stays empty.
    """
    merged = None
    for report in reports:
        if merged is None:
            merged = {key: report[key] for key in ("schema", "variant", "engine")}
            merged.update(inputs=0, documents=0, failed=0, references=0, citations=0, redirects=0)
            for key in ("formats", "diagnostics", "severities", "repairs", "skipped", "timings_ms"):
                merged[key] = {}
            merged["failures"] = []
            merged["corpus"] = []
        elif (report["variant"], report["engine"]) != (merged["variant"], merged["engine"]):
            raise ValueError("reports of different variants or engines do not merge")
        for key in ("inputs", "documents", "failed", "references", "citations", "redirects"):
            merged[key] += report.get(key, 0)
        for key in ("formats", "diagnostics", "severities", "repairs", "skipped", "timings_ms"):
            for name, count in report.get(key, {}).items():
                merged[key][name] = merged[key].get(name, 0) + count
        merged["failures"].extend(report.get("failures", []))
    if merged is None:
        raise ValueError("no report to merge")
    if not merged["redirects"]:
        del merged["redirects"]
    if not merged["skipped"]:
        del merged["skipped"]
    return dict(sorted(merged.items()))


__all__ = [
    "RECORD_SCHEMA",
    "apply_corpus_findings",
    "check_corpus",
    "corpus_summary",
    "DumpError",
    "DumpReader",
    "NormalizeError",
    "dump_streams",
    "merge_reports",
    "normalize",
    "normalize_batch",
    "pages_schema",
    "read_dump",
    "record_schema",
]
