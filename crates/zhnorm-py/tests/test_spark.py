"""Both Spark routes of examples/spark with real PySpark in local[2] over the small multistream
dump that `dump_fixture.py` writes: the records, sorted by id, equal `zhnorm normalize` on the same
input, byte for byte (the `document` column is the canonical JSON itself).

- `normalize_dump.py` (mapInArrow over ranges of streams) against `zhnorm normalize DUMP
  --output-format parquet`: records, the redirects table and the report.
- `pipe_jsonl.py` (`RDD.pipe` through the binary) against `zhnorm normalize --input - --output -`
  on the same JSON Lines: every line.

`normalize_dump.py` runs the corpus rules as a step over the tasks' summaries and applies their
findings: its records, report and `_corpus.json` are compared with a run with the corpus rules.
The pipe route has no corpus step: it is compared with a run with `--ignore K`.
Skipped, and said so, when PySpark (with pandas) or Java is missing.
"""

import json
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import zhnorm
from dump_fixture import ARTICLES, PERL, REPO, run_cli, write_dump, zhnorm_binary

sys.path.insert(0, str(REPO / "examples" / "spark"))


def missing():
    """Why Spark cannot run here, or None."""
    try:
        import pandas  # noqa: F401  (mapInArrow needs it)
        import pyspark  # noqa: F401
    except ImportError as error:
        return f"PySpark or pandas is not installed ({error})"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java (PySpark needs Java 17)"
    return None


SKIP = missing()
if SKIP:
    print(f"SKIPPED: Spark routes with PySpark in local[2]: {SKIP}", file=sys.stderr)


class StagedPartsTest(unittest.TestCase):
    """The second job's task of `normalize_dump.py` without Spark: staged records in several
    batches, findings in more than one of them, into one part."""

    def test_a_part_is_its_staged_records_with_the_findings_applied(self):
        from normalize_dump import TASKS_DIR, part_name, staged_name, write_parts

        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch)
            dump, _ = write_dump(out, articles=ARTICLES + [PERL])
            batches = [zhnorm.normalize_batch(pages) for pages in zhnorm.read_dump(dump, batch_pages=2)]
            batches = [b for b in batches if b.num_rows]
            self.assertGreater(len(batches), 2)
            (out / TASKS_DIR).mkdir()
            with pa.ipc.new_file(out / TASKS_DIR / staged_name(3), zhnorm.record_schema()) as writer:
                for batch in batches:
                    writer.write_batch(batch)
            records = pa.Table.from_batches(batches)
            finding = {"code": "K004", "severity": "warning", "message": "present twice"}
            # Rows out of order, in the first and the last batch.
            last = records.num_rows - 1
            changes = [
                {"row": last, "id": "PERL~2", "diagnostics": [finding]},
                {"row": 0, "id": records.column("id")[0].as_py(), "diagnostics": [finding]},
            ]
            write_parts(str(out))((3, changes))

            part = pq.read_table(out / part_name(3))
            expected = pa.Table.from_batches([zhnorm.apply_corpus_findings(records, changes)])
            self.assertTrue(part.equals(expected))
            self.assertEqual(part.column("id")[last].as_py(), "PERL~2")
            self.assertEqual([d["code"] for d in part.column("diagnostics")[0].as_py() if d["code"].startswith("K")], ["K004"])
            self.assertEqual(sorted(p.name for p in out.glob("*part-*")), [part_name(3)])


@unittest.skipIf(SKIP, f"SKIPPED: Spark routes: {SKIP}")
class SparkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from pyspark.sql import SparkSession

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        cls.spark = (
            SparkSession.builder.master("local[2]")
            .appName("zhnorm tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        cls.spark.sparkContext.setLogLevel("ERROR")

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()

    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.folder = Path(self.scratch.name)
        # One page per stream: eleven streams, cut into four tasks. The last page's id collides
        # with Perl's: the corpus step renames it PERL~2, as the CLI does.
        self.dump, self.streams = write_dump(self.folder, pages_per_stream=1, articles=ARTICLES + [PERL])

    def tearDown(self):
        self.scratch.cleanup()

    def test_stream_ranges(self):
        from normalize_dump import stream_ranges

        ten = [(offset, offset, 1) for offset in range(10)]
        self.assertEqual(stream_ranges(ten, 4), [(0, 2), (3, 4), (5, 7), (8, 9)])
        self.assertEqual(stream_ranges(ten, 1), [(0, 9)])
        self.assertEqual(stream_ranges(ten[:2], 8), [(0, 0), (1, 1)])
        self.assertEqual(stream_ranges(self.streams, 4), [(0, 2), (3, 5), (6, 8), (9, 10)])
        uneven = [(0, 1, 100), (1, 2, 1), (2, 3, 1), (3, 4, 1)]
        self.assertEqual(stream_ranges(uneven, 2), [(0, 0), (1, 3)])

    def test_map_in_arrow_route_equals_the_cli(self):
        from normalize_dump import normalize_dump

        out = self.folder / "spark"
        report = normalize_dump(self.spark, self.dump, out, tasks=4)

        records = pq.read_table(out).sort_by("id")
        # The tasks write the record schema itself, unsigned integers included.
        self.assertEqual([str(f.type) for f in records.schema], [str(f.type) for f in zhnorm.record_schema()])
        self.assertEqual(records.num_rows, 7)
        self.assertIn("PERL~2", records.column("id").to_pylist())
        # Four tasks, a part each, named by task; the one of streams 3-5 (a project page and a
        # deleted text) has no document and writes none. No temporary file is left.
        self.assertEqual(sorted(p.name for p in out.glob("*part-*")), ["part-00000.parquet", "part-00002.parquet", "part-00003.parquet"])
        # With the corpus step applied, the records are those of a run with the corpus rules.
        full_out = self.folder / "cli-full"
        run_cli("normalize", "--input", self.dump, "--output", full_out, "--output-format", "parquet", "--quiet")
        self.assertTrue(records.equals(pq.read_table(full_out).sort_by("id")), "Spark's records differ from zhnorm normalize's")
        # Spark reads the rewritten part files back.
        self.assertEqual(self.spark.read.parquet(str(out)).count(), 7)
        self.assertTrue(pq.read_table(out / "_redirects").equals(pq.read_table(full_out / "_redirects")))
        # The report with the corpus step's findings equals that of a run with the corpus rules.
        cli_report = json.loads((full_out / "_report.json").read_text(encoding="utf-8"))
        self.assertEqual(cli_report["diagnostics"], {"K002": 2, "K003": 1, "K004": 1})
        written = json.loads((out / "_report.json").read_text(encoding="utf-8"))
        for merged in (report, written):
            self.assertEqual(
                {k: v for k, v in merged.items() if k != "timings_ms"},
                {k: v for k, v in cli_report.items() if k != "timings_ms"},
            )
        self.assertFalse((out / "_tasks").exists())
        # The findings the CLI puts in its documents, by input position.
        full = pq.read_table(full_out)
        corpus = json.loads((out / "_corpus.json").read_text(encoding="utf-8"))
        expected = [
            {"index": index, "id": id, "title": title, "diagnostics": [
                {k: v for k, v in d.items() if v is not None} for d in diagnostics if d["code"].startswith("K")
            ]}
            for index, (id, title, diagnostics) in enumerate(
                zip(full.column("id").to_pylist(), full.column("title").to_pylist(), full.column("diagnostics").to_pylist())
            )
            if any(d["code"].startswith("K") for d in diagnostics)
        ]
        self.assertEqual(corpus["documents"], expected)
        self.assertEqual([d["message"] for d in corpus["corpus"]], cli_report["corpus"])

    def test_pipe_route_equals_the_cli(self):
        from pipe_jsonl import normalize_jsonl

        pages = [
            {"id": page_id, "title": title, "text": text, "revision": page_id * 10}
            for title, namespace, page_id, text, _, redirect in ARTICLES
            if namespace == 0 and redirect is None and text is not None
        ]
        jsonl = self.folder / "pages.jsonl"
        jsonl.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
        out = self.folder / "piped"
        normalize_jsonl(self.spark, str(jsonl), str(out), zhnorm=zhnorm_binary(), partitions=3)

        def by_id(lines):
            return sorted(lines, key=lambda line: json.loads(line)["id"])

        piped = [line for part in sorted(out.glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]
        cli = run_cli(
            "normalize", "--input", "-", "--input-format", "jsonl", "--output", "-", "--output-format", "jsonl",
            "--ignore", "K", "--quiet", stdin=jsonl.read_bytes(),
        ).decode().splitlines()
        self.assertEqual(len(piped), len(pages))
        self.assertGreater(len(list(out.glob("part-*"))), 1)
        self.assertEqual(by_id(piped), by_id(cli))


if __name__ == "__main__":
    unittest.main()
