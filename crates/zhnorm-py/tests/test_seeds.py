"""`normalize` and `normalize_batch` on the seeds of `corpus/raw` give the documents the CLI
writes: the committed `corpus/canonical`, and `zhnorm normalize` over the same pages as JSON
Lines and as Parquet, run here.

The package normalizes one document at a time, so the corpus rules (K001-K004, which need the
whole corpus) are left to a step over the corpus: the CLI runs here with `--ignore K`, and the
committed documents are compared without their K findings.
"""

import json
import tempfile
import unittest
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import zhnorm
from dump_fixture import REPO, run_cli

RAW = REPO / "corpus" / "raw"
CANONICAL = REPO / "corpus" / "canonical"


def ordered(text):
    """JSON parsed with key order kept (lists of pairs), so that comparing also compares order."""
    return json.loads(text, object_pairs_hook=list)


def committed_documents():
    """The committed canonical documents, by the seed file they come from."""
    documents = {}
    for path in sorted(CANONICAL.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("schema") == "zhnorm.doc/1":
            documents[document["source"]["path"]] = document
    return documents


def seed_pages():
    """Every seed as a JSON Lines page: its title from the committed document, a page id and URL."""
    pages = []
    for number, (source, document) in enumerate(sorted(committed_documents().items()), start=1):
        pages.append(
            {
                "title": document["title"],
                "text": (REPO / source).read_text(encoding="utf-8"),
                "id": number,
                "url": f"https://zh.wikipedia.org/wiki/{document['id']}",
            }
        )
    return pages


class SeedsTest(unittest.TestCase):
    def test_seeds_exist(self):
        self.assertEqual(len(committed_documents()), len(list(RAW.iterdir())))
        self.assertGreaterEqual(len(seed_pages()), 3)

    def test_normalize_matches_committed_documents(self):
        for source, committed in committed_documents().items():
            with self.subTest(source=source):
                text = (REPO / source).read_text(encoding="utf-8")
                record = zhnorm.normalize(text, path=source)
                self.assertEqual(list(record)[:4], ["id", "url", "title", "text"])
                self.assertIsNone(record.pop("url"))
                self.assertTrue(record.pop("text"))
                expected = dict(committed)
                expected["diagnostics"] = [d for d in committed["diagnostics"] if not d["code"].startswith("K")]
                self.assertEqual(record, expected)
                # The record's keys after the four dataset columns are the document's, in its order.
                self.assertEqual(list(record)[2:], [k for k in committed if k not in ("id", "title")])

    def test_normalize_matches_cli_jsonl(self):
        pages = seed_pages()
        stdin = "".join(json.dumps(page, ensure_ascii=False) + "\n" for page in pages).encode()
        cli = run_cli(
            "normalize", "--input", "-", "--input-format", "jsonl", "--output", "-",
            "--output-format", "jsonl", "--ignore", "K", "--quiet", stdin=stdin,
        ).decode()
        lines = cli.splitlines()
        self.assertEqual(len(lines), len(pages))
        for page, line in zip(pages, lines):
            with self.subTest(title=page["title"]):
                record = zhnorm.normalize(page["text"], title=page["title"], id=page["id"], url=page["url"])
                mine = json.dumps(record, ensure_ascii=False)
                self.assertEqual(ordered(mine), ordered(line))
                self.assertEqual(record["title"], page["title"])
                self.assertEqual(record["source"]["page"]["id"], page["id"])

    def test_normalize_batch_matches_cli_parquet(self):
        pages = seed_pages()
        with tempfile.TemporaryDirectory() as scratch:
            jsonl = Path(scratch) / "seeds.jsonl"
            jsonl.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
            out = Path(scratch) / "out"
            run_cli("normalize", "--input", jsonl, "--output", out, "--output-format", "parquet", "--ignore", "K", "--quiet")
            cli = pq.read_table(out)
            cli_report = json.loads((out / "_report.json").read_text(encoding="utf-8"))
        table = pa.Table.from_pylist(pages)
        for jobs in (1, 2):
            with self.subTest(jobs=jobs):
                batch, report = zhnorm.normalize_batch(table, jobs=jobs, path="seeds.jsonl", report=True)
                self.assertTrue(batch.schema.equals(zhnorm.record_schema()))
                self.assertTrue(pa.Table.from_batches([batch]).equals(cli), "records differ from the CLI's")
                self.assertEqual(
                    {k: v for k, v in report.items() if k != "timings_ms"},
                    {k: v for k, v in cli_report.items() if k != "timings_ms"},
                )
        # A record batch in is the same as a table in.
        batch = zhnorm.normalize_batch(table.to_batches()[0], path="seeds.jsonl")
        self.assertTrue(pa.Table.from_batches([batch]).equals(cli))

    def test_errors_name_the_document(self):
        with self.assertRaises(zhnorm.NormalizeError) as caught:
            zhnorm.normalize("   \n", title="空白", path="pages.jsonl")
        self.assertEqual(str(caught.exception), "pages.jsonl#空白: empty file (no text after removing whitespace)")
        table = pa.table({"title": ["甲", "空白"], "text": ["'''甲'''是字。", ""]})
        with self.assertRaises(zhnorm.NormalizeError) as caught:
            zhnorm.normalize_batch(table, path="pages.jsonl")
        self.assertIn("pages.jsonl#空白", str(caught.exception))
        batch, report = zhnorm.normalize_batch(table, path="pages.jsonl", report=True)
        self.assertEqual(batch.column("title").to_pylist(), ["甲"])
        self.assertEqual((report["documents"], report["failed"], report["failures"][0]["path"]), (1, 1, "pages.jsonl#空白"))

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            zhnorm.normalize("甲", variant="zh-XX")
        with self.assertRaises(ValueError):
            zhnorm.normalize_batch(pa.table({"name": ["甲"]}))
        with self.assertRaises(TypeError):
            zhnorm.normalize_batch([{"title": "甲", "text": "乙"}])
        with self.assertRaises(ValueError):
            zhnorm.normalize_batch(pa.table({"title": ["甲"], "text": ["乙"]}), jobs=0)


if __name__ == "__main__":
    unittest.main()
