"""`read_dump` and `dump_streams` over a small multistream dump that this test writes itself
(bz2 streams and the index, `dump_fixture.py`), and `normalize_batch` over its batches against
`zhnorm normalize` on the same dump."""

import bz2
import json
import tempfile
import unittest
from pathlib import Path

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

import zhnorm
from dump_fixture import ARTICLES, PERL, run_cli, write_dump


class DumpTest(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.folder = Path(self.scratch.name)
        self.dump, self.streams = write_dump(self.folder)

    def tearDown(self):
        self.scratch.cleanup()

    def pages(self, **options):
        return pa.Table.from_batches(list(zhnorm.read_dump(self.dump, **options)), schema=None)

    def test_dump_streams_lists_the_index(self):
        self.assertEqual(zhnorm.dump_streams(self.dump), self.streams)
        self.assertEqual([count for _, _, count in self.streams], [3, 3, 3, 1])
        self.assertEqual(zhnorm.dump_streams(self.dump, index=self.dump.with_name(self.dump.name.replace(".xml", "-index.txt"))), self.streams)

    def test_read_dump_gives_every_page(self):
        pages = self.pages()
        self.assertTrue(pages.schema.remove_metadata().equals(zhnorm.pages_schema()))
        self.assertEqual(pages.schema.metadata, {b"zhnorm.source": self.dump.name.encode()})
        self.assertEqual(pages.column("title").to_pylist(), [a[0] for a in ARTICLES])
        self.assertEqual(pages.column("namespace").to_pylist(), [a[1] for a in ARTICLES])
        self.assertEqual(pages.column("id").to_pylist(), [a[2] for a in ARTICLES])
        self.assertEqual(pages.column("text").to_pylist(), [a[3] for a in ARTICLES])
        self.assertEqual(pages.column("model").to_pylist(), [a[4] for a in ARTICLES])
        self.assertEqual(pages.column("redirect").to_pylist(), [a[5] for a in ARTICLES])
        self.assertEqual(pages.column("revision_id").to_pylist()[:2], [110, 120])
        self.assertEqual(pages.column("timestamp").to_pylist()[0], "2026-01-11T00:10:00Z")
        # Page URLs are percent-encoded as MediaWiki writes them.
        self.assertEqual(pages.column("url").to_pylist()[0], "https://zh.wikipedia.org/wiki/%E5%B7%B4%E5%BA%93")
        self.assertEqual(pages.column("url").to_pylist()[3], "https://zh.wikipedia.org/wiki/Wikipedia:%E5%85%B3%E4%BA%8E")
        offsets = [offset for offset, _, count in self.streams for _ in range(count)]
        self.assertEqual(pages.column("offset").to_pylist(), offsets)

    def test_read_dump_by_streams(self):
        self.assertEqual(self.pages(streams=(1, 2)).column("id").to_pylist(), [14, 15, 16, 17, 18, 19])
        self.assertEqual(self.pages(streams=(3, 3)).column("id").to_pylist(), [20])
        self.assertEqual(self.pages(streams=(0, 0)).column("title").to_pylist(), ["巴库", "阿塞拜疆", "塔林"])
        # Ranges that cover the streams give every page once.
        ids = [i for first, last in [(0, 1), (2, 3)] for i in self.pages(streams=(first, last)).column("id").to_pylist()]
        self.assertEqual(ids, [a[2] for a in ARTICLES])
        with self.assertRaises(ValueError):
            zhnorm.read_dump(self.dump, streams=(2, 1))

    def test_batch_pages(self):
        batches = list(zhnorm.read_dump(self.dump, batch_pages=4))
        self.assertEqual([b.num_rows for b in batches], [4, 4, 2])

    def test_normalize_batch_over_the_dump_equals_the_cli(self):
        out = self.folder / "out"
        run_cli("normalize", "--input", self.dump, "--output", out, "--output-format", "parquet", "--ignore", "K", "--quiet")
        cli = pq.read_table(out).sort_by("id")
        cli_report = json.loads((out / "_report.json").read_text(encoding="utf-8"))
        records, reports = [], []
        for first, last in [(0, 1), (2, 3)]:
            for pages in zhnorm.read_dump(self.dump, streams=(first, last), batch_pages=2):
                batch, report = zhnorm.normalize_batch(pages, jobs=2, report=True)
                records.append(batch)
                reports.append(report)
        mine = pa.Table.from_batches(records).sort_by("id")
        self.assertEqual(mine.num_rows, 6)
        self.assertTrue(mine.equals(cli), "records differ from zhnorm normalize's")
        self.assertEqual(mine.column("source_path").to_pylist(), [self.dump.name] * 6)
        merged = zhnorm.merge_reports(reports)
        self.assertEqual(
            {k: v for k, v in merged.items() if k != "timings_ms"},
            {k: v for k, v in cli_report.items() if k != "timings_ms"},
        )
        self.assertEqual((merged["documents"], merged["redirects"], merged["skipped"]), (6, 1, {"deleted": 1, "namespace": 2}))
        # Other namespaces on request, as the CLI's --namespaces.
        batch = zhnorm.normalize_batch(self.pages(streams=(1, 1)), namespaces=[0, 4])
        self.assertEqual(batch.column("title").to_pylist(), ["Wikipedia:关于"])

    def test_corpus_step_over_task_summaries_equals_the_cli(self):
        # A second Perl whose id collides case-insensitively: the whole run names it PERL~2, and
        # finds the same title twice (K004) and spelled two ways (K002).
        articles = ARTICLES + [PERL]
        dump, streams = write_dump(self.folder, articles=articles, name="collide")
        out = self.folder / "collide-out"
        run_cli("normalize", "--input", dump, "--output", out, "--output-format", "parquet", "--quiet")
        cli = pq.read_table(out)
        cli_report = json.loads((out / "_report.json").read_text(encoding="utf-8"))

        summaries, redirects, reports, records = [], [], [], []
        for task, (first, last) in enumerate([(0, 1), (2, 3)]):
            task_records, task_redirects = [], []
            for pages in zhnorm.read_dump(dump, streams=(first, last)):
                batch, report = zhnorm.normalize_batch(pages, report=True)
                reports.append(report)
                task_records.append(batch)
                task_redirects.append(pages.filter(pa.compute.and_(pa.compute.is_valid(pages.column("redirect")), pa.compute.equal(pages.column("namespace"), 0))))
            summary = self.folder / f"summary-{task}.jsonl"
            summary.write_text("".join(zhnorm.corpus_summary(b) for b in task_records), encoding="utf-8")
            # The summaries normalize_batch makes on the way are those of its records.
            made = "".join(zhnorm.normalize_batch(pages, summaries=True)[1] for pages in zhnorm.read_dump(dump, streams=(first, last)))
            self.assertEqual(made, summary.read_text(encoding="utf-8"))
            summaries.append(summary)
            table = pa.Table.from_batches(task_redirects)
            redirect_file = self.folder / f"redirects-{task}.parquet"
            pq.write_table(pa.table({"title": table.column("title"), "target": table.column("redirect"), "namespace": table.column("namespace"), "page_id": table.column("id")}), redirect_file, compression="zstd")
            redirects.append(redirect_file)
            records += task_records

        result = zhnorm.check_corpus(summaries, redirects, report=zhnorm.merge_reports(reports))
        self.assertEqual(
            {k: v for k, v in result["report"].items() if k != "timings_ms"},
            {k: v for k, v in cli_report.items() if k != "timings_ms"},
        )
        self.assertEqual(result["report"]["diagnostics"], {"K002": 2, "K003": 1, "K004": 1})
        self.assertEqual([d["code"] for d in result["corpus"]], ["K003"])
        self.assertEqual(cli_report["corpus"], [d["message"] for d in result["corpus"]])
        # Ids and the findings of each document, as the CLI's records carry them.
        ids = [i for b in records for i in b.column("id").to_pylist()]
        findings = [[] for _ in ids]
        for document in result["documents"]:
            ids[document["index"]] = document["id"]
            findings[document["index"]] = document["diagnostics"]
        cli_findings = [
            [{k: v for k, v in d.items() if v is not None} for d in diagnostics if d["code"].startswith("K")]
            for diagnostics in cli.column("diagnostics").to_pylist()
        ]
        self.assertEqual(ids, cli.column("id").to_pylist())
        self.assertEqual(findings, cli_findings)
        self.assertEqual(ids[-1], "PERL~2")
        self.assertEqual([d["code"] for d in findings[-1]], ["K002", "K004"])
        # Applied to the records, the findings and ids give the CLI's records.
        changes = [dict(d, row=d["index"]) for d in result["documents"]]
        fixed = zhnorm.apply_corpus_findings(pa.Table.from_batches(records), changes)
        self.assertTrue(pa.Table.from_batches([fixed]).equals(cli))
        # Records another writer widened (uint64 as int64, as Spark writes them) are all rebuilt,
        # into the record schema.
        table = pa.Table.from_batches(records)
        widened = table.cast(pa.schema([f.with_type(pa.int64()) if pa.types.is_uint64(f.type) else f for f in table.schema]))
        fixed = zhnorm.apply_corpus_findings(widened, changes)
        self.assertEqual(fixed.schema.field("page_id").type, pa.uint64())
        self.assertTrue(pa.Table.from_batches([fixed]).equals(cli))
        with self.assertRaises(ValueError):
            zhnorm.apply_corpus_findings(pa.Table.from_batches(records), [dict(changes[0], row=99)])

    def test_truncated_dump_raises_after_the_complete_pages(self):
        data = self.dump.read_bytes()
        cut = self.folder / "cut.xml.bz2"
        cut.write_bytes(data[: self.streams[2][0] + 40])
        titles = []
        with self.assertRaises(zhnorm.DumpError) as caught:
            for batch in zhnorm.read_dump(cut, batch_pages=1):
                titles += batch.column("title").to_pylist()
        self.assertEqual(titles, [a[0] for a in ARTICLES[:6]])
        self.assertIn("cut.xml.bz2", str(caught.exception))

    def test_missing_index(self):
        plain = self.folder / "plain.xml"
        plain.write_bytes(bz2.decompress(self.dump.read_bytes()))
        with self.assertRaises(zhnorm.DumpError):
            zhnorm.dump_streams(plain)
        with self.assertRaises(zhnorm.DumpError):
            list(zhnorm.read_dump(plain, streams=(0, 0)))
        self.assertEqual(self.pages_of(plain), [a[0] for a in ARTICLES])

    def pages_of(self, path):
        return [t for b in zhnorm.read_dump(path) for t in b.column("title").to_pylist()]


if __name__ == "__main__":
    unittest.main()
