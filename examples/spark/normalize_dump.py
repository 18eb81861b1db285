"""Normalize a zh.wikipedia multistream dump with Spark and the zhnorm Python package.

    spark-submit examples/spark/normalize_dump.py DUMP OUT [--tasks N] [--variant zh-Hans]
    python examples/spark/normalize_dump.py DUMP OUT --master 'local[2]'

The driver reads the multistream index (`zhnorm.dump_streams`) and cuts the streams into ranges
of about equal page counts, one Spark task per range. Each task reads its streams
(`zhnorm.read_dump(dump, streams=(first, last))`, the index's byte offsets) and normalizes them
(`zhnorm.normalize_batch`) under `mapInArrow`: Arrow batches from the dump to Arrow files, no
Python objects per page. The tasks write their files themselves and hand Spark back only their
count of documents: moving the records into the JVM for Spark's own writer cost more than
normalizing them, and Spark has no unsigned integers (see `normalize_ranges`).

Each task keeps its records (an Arrow IPC file), its redirects, its report and the corpus
summaries of its documents under OUT/_tasks/ (named by its range, so a retried task overwrites
its own files). The driver then runs the corpus step over the summaries, in dump order
(`zhnorm.check_corpus`): the corpus rules (K001-K004) and the ids of the whole run. Their
findings are counted in the report, as the CLI counts them, and listed in OUT/_corpus.json: the
documents whose id the whole run changes (`X~2`) or that get findings, by input position, and
the findings about the corpus as a whole. A second Spark job writes each task's records, with
those ids and findings applied (`zhnorm.apply_corpus_findings`), as OUT/part-TTTTT.parquet (T:
the task's range's position in dump order; written under a temporary name and renamed when
complete), so the records are the ones `zhnorm normalize` writes, findings and ids included, in
the record schema exactly. The driver merges the tasks' redirects and reports, in dump order,
into OUT/_redirects/part-00000.parquet and OUT/_report.json, as `zhnorm normalize` lays them out.

The dump path must be readable by every executor (a shared file system; on one machine, any path).
"""

import argparse
import bisect
import itertools
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import zhnorm

TASKS_DIR = "_tasks"
# The parts' list items keep the record schema's name (`item`, not Parquet's `element`): read back,
# the parts are then in the record schema exactly, and `zhnorm.apply_corpus_findings` copies the
# records it does not change instead of rebuilding them.
PARQUET_OPTIONS = {"compression": "zstd", "use_compliant_nested_type": False}
# The records wait for the corpus step in Arrow IPC files, LZ4-compressed: cheap to write and read.
STAGING_COMPRESSION = "lz4"


def stream_ranges(streams, tasks):
    """Cuts the streams into at most `tasks` contiguous ranges of about equal page counts:
    [(first, last)], both included."""
    tasks = max(1, min(tasks, len(streams)))
    total = sum(count for _, _, count in streams)
    ranges, first, pages = [], 0, 0
    for number, (_, _, count) in enumerate(streams):
        pages += count
        left = len(streams) - number - 1
        # Close a range at its share of the pages, and keep one stream for each range still to come.
        share = total * (len(ranges) + 1) / tasks
        if len(ranges) < tasks - 1 and (pages >= share or left == tasks - 1 - len(ranges)):
            ranges.append((first, number))
            first = number + 1
    ranges.append((first, len(streams) - 1))
    return ranges


def redirects_of(pages, namespaces):
    """The redirect rows of a batch of pages, as the CLI's redirects table holds them."""
    table = pa.Table.from_batches([pages])
    keep = [
        redirect is not None and namespace in namespaces
        for redirect, namespace in zip(table.column("redirect").to_pylist(), table.column("namespace").to_pylist())
    ]
    table = table.filter(pa.array(keep, pa.bool_()))
    rows = table.num_rows
    return pa.table(
        {
            "title": table.column("title"),
            "target": table.column("redirect"),
            "namespace": table.column("namespace"),
            "page_id": table.column("id"),
            "revision_id": pa.nulls(rows, pa.uint64()),
            "timestamp": pa.nulls(rows, pa.string()),
        },
        schema=pa.schema(
            [
                pa.field("title", pa.string(), False),
                pa.field("target", pa.string(), False),
                pa.field("namespace", pa.int32(), False),
                pa.field("page_id", pa.uint64()),
                pa.field("revision_id", pa.uint64()),
                pa.field("timestamp", pa.string()),
            ]
        ),
    )


def temporary_of(path):
    """Where `path` is written until it is complete: a hidden name beside it, which readers of
    the folder skip."""
    return path.with_name("." + path.name + ".tmp")


def write_atomically(path, write):
    temporary = temporary_of(path)
    write(temporary)
    os.replace(temporary, path)


def part_name(task):
    """The part file of task `task` (its range's position in dump order)."""
    return f"part-{task:05d}.parquet"


def staged_name(task):
    """Where task `task` keeps its records until the corpus step has run, under OUT/_tasks/."""
    return f"records-{task:05d}.arrow"


class PartWriter:
    """Records into one Parquet file, written under a temporary name and renamed when complete (a
    retried task replaces its own part, never another's), in row groups of about
    `ROW_GROUP_ROWS` records or `ROW_GROUP_BYTES`, as `zhnorm normalize` writes its shards."""

    ROW_GROUP_ROWS = 10_000
    ROW_GROUP_BYTES = 64 << 20

    def __init__(self, path):
        self.path = path
        self.temporary = temporary_of(path)
        self.writer = None
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0

    def write(self, records):
        if not records.num_rows:
            return
        self.pending.append(records)
        self.pending_rows += records.num_rows
        self.pending_bytes += records.nbytes
        if self.pending_rows >= self.ROW_GROUP_ROWS or self.pending_bytes >= self.ROW_GROUP_BYTES:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        table = pa.Table.from_batches(self.pending)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.temporary, table.schema, **PARQUET_OPTIONS)
        self.writer.write_table(table, row_group_size=table.num_rows)
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0

    def close(self):
        self.flush()
        if self.writer is not None:
            self.writer.close()
            os.replace(self.temporary, self.path)


def normalize_ranges(dump, out, variant, namespaces, jobs):
    """The function each task of the first job runs under mapInArrow: rows of (task, first, last)
    in; the task reads and normalizes its streams, keeps its records, redirects, report and corpus
    summaries under OUT/_tasks/, and gives Spark one row back: (task, documents).

    The records wait in an Arrow IPC file (LZ4), not in Parquet: the corpus findings of a whole
    dump touch most parts, so every part is written once more after the corpus step, and
    compressing Parquet twice and reading it back cost more than the job's normalizing (13 of 89
    s on a 1 GB dump). Tasks write their files themselves (pyarrow, in the Python worker) instead
    of handing the records to Spark's writer: moving the records into the JVM and Spark's Parquet
    writer cost 7 s of the job's 18 s on a 100 MB dump, and Spark has no unsigned integers."""
    tasks_dir = Path(out) / TASKS_DIR

    def run(batches):
        for ranges in batches:
            for task, first, last in zip(
                ranges.column("task").to_pylist(), ranges.column("first").to_pylist(), ranges.column("last").to_pylist()
            ):
                reports, redirects, summaries = [], [], []
                staged = tasks_dir / staged_name(task)
                temporary = temporary_of(staged)
                documents = 0
                with pa.ipc.new_file(temporary, zhnorm.record_schema(), options=pa.ipc.IpcWriteOptions(compression=STAGING_COMPRESSION)) as writer:
                    for pages in zhnorm.read_dump(dump, streams=(first, last)):
                        records, report, summary = zhnorm.normalize_batch(
                            pages, variant=variant, jobs=jobs, namespaces=namespaces, report=True, summaries=True
                        )
                        reports.append(report)
                        redirects.append(redirects_of(pages, namespaces))
                        summaries.append(summary)
                        if records.num_rows:
                            writer.write_batch(records)
                            documents += records.num_rows
                os.replace(temporary, staged)
                name = f"{first:08d}-{last:08d}"
                report = zhnorm.merge_reports(reports)
                write_atomically(
                    tasks_dir / f"report-{name}.json",
                    lambda p: p.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8"),
                )
                write_atomically(
                    tasks_dir / f"summary-{name}.jsonl",
                    lambda p: p.write_text("".join(summaries), encoding="utf-8"),
                )
                table = pa.concat_tables(redirects)
                write_atomically(tasks_dir / f"redirects-{name}.parquet", lambda p: pq.write_table(table, p, compression="zstd"))
                yield pa.record_batch({"task": pa.array([task], pa.int32()), "documents": pa.array([documents], pa.int64())})

    return run


def write_parts(out):
    """The function each task of the second job runs: (task, changes) in, where `changes` are the
    corpus step's documents in that task's records (`row` counted from its first record); the
    task's staged records, with the changes applied, out as OUT/part-TTTTT.parquet."""

    def write(item):
        task, changes = item
        staged = Path(out) / TASKS_DIR / staged_name(task)
        part = PartWriter(Path(out) / part_name(task))
        changes = sorted(changes, key=lambda change: change["row"])
        with pa.ipc.open_file(staged) as reader:
            first, next_change = 0, 0
            for number in range(reader.num_record_batches):
                records = reader.get_batch(number)
                end = first + records.num_rows
                these = []
                while next_change < len(changes) and changes[next_change]["row"] < end:
                    these.append(dict(changes[next_change], row=changes[next_change]["row"] - first))
                    next_change += 1
                if these:
                    records = zhnorm.apply_corpus_findings(records, these)
                part.write(records)
                first = end
        part.close()

    return write


def merge_task_outputs(spark, out, ranges, counts):
    """The tasks' reports and redirects, in dump order, into `_report.json` and `_redirects/`;
    the corpus step over their summaries. `counts[k]`: the documents task `k` wrote."""
    out = Path(out)
    tasks_dir = out / TASKS_DIR
    names = [f"{first:08d}-{last:08d}" for first, last in ranges]
    reports = [json.loads((tasks_dir / f"report-{n}.json").read_text(encoding="utf-8")) for n in names]
    # The corpus step: ids and corpus rules over the summaries of all tasks, in dump order.
    corpus = zhnorm.check_corpus(
        [tasks_dir / f"summary-{n}.jsonl" for n in names],
        [tasks_dir / f"redirects-{n}.parquet" for n in names],
        report=zhnorm.merge_reports(reports),
    )
    report = corpus.pop("report")
    apply_findings(spark, out, corpus["documents"], counts)
    (out / "_corpus.json").write_text(json.dumps(corpus, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    redirects = pa.concat_tables([pq.read_table(tasks_dir / f"redirects-{n}.parquet") for n in names])
    (out / "_redirects").mkdir(exist_ok=True)
    if redirects.num_rows:
        pq.write_table(redirects, out / "_redirects" / "part-00000.parquet", compression="zstd")
    for path in tasks_dir.iterdir():
        path.unlink()
    tasks_dir.rmdir()
    return report


def apply_findings(spark, out, documents, counts):
    """Writes the part of every task with documents from its staged records, with the corpus
    step's ids and findings applied, so that the records are those `zhnorm normalize` writes: a
    Spark task per part. Task `k` staged its documents in input order; `counts[k]` is how many."""
    first_index = list(itertools.accumulate(counts, initial=0))[:-1]
    by_task = {task: [] for task, count in enumerate(counts) if count}
    for document in documents:
        task = bisect.bisect_right(first_index, document["index"]) - 1
        # A task without documents starts where the next one does: `bisect_right` takes the
        # last task starting at or before the document, the one that wrote it.
        by_task[task].append(dict(document, row=document["index"] - first_index[task]))
    if by_task:
        parts = sorted(by_task.items())
        spark.sparkContext.parallelize(parts, len(parts)).foreach(write_parts(str(out)))


def normalize_dump(spark, dump, out, *, tasks=None, variant="zh-Hans", namespaces=(0,), jobs=1):
    """Runs the whole job; returns the merged report."""
    dump = str(Path(dump).resolve())
    out = Path(out).resolve()
    # A folder holding only the side files of a failed run is taken over; anything else is not.
    if out.exists() and any(p.name != TASKS_DIR for p in out.iterdir()):
        raise SystemExit(f"{out} is not empty: choose a new output folder")
    streams = zhnorm.dump_streams(dump)
    tasks = tasks or 4 * spark.sparkContext.defaultParallelism
    ranges = stream_ranges(streams, tasks)
    (out / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    # The task function is pickled by reference to this module: the executors need the file.
    spark.sparkContext.addPyFile(__file__)
    rows = [(task, first, last) for task, (first, last) in enumerate(ranges)]
    frame = spark.createDataFrame(spark.sparkContext.parallelize(rows, len(rows)), "task int, first int, last int")
    written = frame.mapInArrow(
        normalize_ranges(dump, str(out), variant, list(namespaces), jobs), "task int, documents long"
    ).collect()
    counts = [0] * len(ranges)
    for row in written:
        counts[row["task"]] = row["documents"]
    return merge_task_outputs(spark, out, ranges, counts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", help="the multistream .xml.bz2, its -index.txt.bz2 beside it")
    parser.add_argument("out", help="the output folder (new, or empty)")
    parser.add_argument("--tasks", type=int, help="Spark tasks (default: 4 per core of the cluster)")
    parser.add_argument("--variant", default="zh-Hans")
    parser.add_argument("--namespaces", default="0", help="comma-separated namespace numbers")
    parser.add_argument("--jobs", type=int, default=1, help="threads per task (default 1: Spark runs a task per core)")
    parser.add_argument("--master", help="a Spark master URL for a run outside spark-submit, e.g. local[2]")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("zhnorm normalize_dump")
    if args.master:
        builder = builder.master(args.master)
        # Outside spark-submit, the Python workers run this interpreter (and its zhnorm, pyarrow).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        namespaces = [int(n) for n in args.namespaces.split(",")]
        report = normalize_dump(
            spark, args.dump, args.out, tasks=args.tasks, variant=args.variant, namespaces=namespaces, jobs=args.jobs
        )
    finally:
        spark.stop()
    print(
        f"normalized {report['documents']} documents ({report.get('redirects', 0)} redirects, "
        f"{sum(report.get('skipped', {}).values())} skipped, {report['failed']} failed) into {args.out}",
        file=sys.stderr,
    )
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
