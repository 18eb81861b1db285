"""Normalize a zh.wikipedia multistream dump with Spark and the zhnorm Python package.

    spark-submit examples/spark/normalize_dump.py DUMP OUT [--tasks N] [--variant zh-Hans]
    python examples/spark/normalize_dump.py DUMP OUT --master 'local[2]'

The driver reads the multistream index (`zhnorm.dump_streams`) and cuts the streams into ranges
of about equal page counts, one Spark task per range. Each task reads its streams
(`zhnorm.read_dump(dump, streams=(first, last))`, the index's byte offsets) and normalizes them
(`zhnorm.normalize_batch`) under `mapInArrow`: Arrow batches from the dump to Spark's writer, no
Python objects per page. Spark writes the records as Parquet into OUT.

Each task also writes its redirects, its report and the corpus summaries of its documents under
OUT/_tasks/ (named by its range, so a retried task overwrites its own files). At the end the driver
merges them, in dump order, into OUT/_redirects/part-00000.parquet and OUT/_report.json, as
`zhnorm normalize` lays them out, and runs the corpus step over the summaries
(`zhnorm.check_corpus`): the corpus rules (K001-K004) and the ids of the whole run. Their
findings are counted in the report, as the CLI counts them, and listed in OUT/_corpus.json: the
documents whose id the whole run changes (`X~2`) or that get findings, by input position, and
the findings about the corpus as a whole. The driver then rewrites the part files that hold those
documents (`zhnorm.apply_corpus_findings`), so the records are the ones `zhnorm normalize`
writes, findings and ids included.

Spark has no unsigned integers: the record columns `page_id`, `revision_id`, `parent_id` (uint64)
and the diagnostics' `line` and `column` (uint32) are written as int64; cast them back with
`table.cast(zhnorm.record_schema())`.

The dump path must be readable by every executor (a shared file system; on one machine, any path).
"""

import argparse
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import zhnorm

TASKS_DIR = "_tasks"


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


def spark_type(arrow_type):
    """The Spark SQL type of an Arrow type of the record schema (unsigned integers widened)."""
    from pyspark.sql import types as T

    if pa.types.is_string(arrow_type):
        return T.StringType()
    if pa.types.is_int32(arrow_type):
        return T.IntegerType()
    if pa.types.is_uint32(arrow_type) or pa.types.is_uint64(arrow_type) or pa.types.is_int64(arrow_type):
        return T.LongType()
    if pa.types.is_list(arrow_type):
        item = arrow_type.value_field
        return T.ArrayType(spark_type(item.type), containsNull=item.nullable)
    if pa.types.is_struct(arrow_type):
        return T.StructType([T.StructField(f.name, spark_type(f.type), f.nullable) for f in arrow_type])
    raise TypeError(f"no Spark type for {arrow_type}")


def spark_schema(schema):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(f.name, spark_type(f.type), f.nullable) for f in schema])


def widened(schema):
    """The Arrow schema of `schema` with unsigned integers as int64, as Spark reads batches."""

    def widen(arrow_type):
        if pa.types.is_uint32(arrow_type) or pa.types.is_uint64(arrow_type):
            return pa.int64()
        if pa.types.is_list(arrow_type):
            item = arrow_type.value_field
            return pa.list_(item.with_type(widen(item.type)))
        if pa.types.is_struct(arrow_type):
            return pa.struct([f.with_type(widen(f.type)) for f in arrow_type])
        return arrow_type

    return pa.schema([f.with_type(widen(f.type)) for f in schema])


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


def write_atomically(path, write):
    temporary = path.with_name("." + path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)


def normalize_ranges(dump, out, variant, namespaces, jobs):
    """The function each task runs under mapInArrow: rows of (first, last) in, records out."""
    target = widened(zhnorm.record_schema())
    tasks_dir = Path(out) / TASKS_DIR

    def run(batches):
        for ranges in batches:
            for first, last in zip(ranges.column("first").to_pylist(), ranges.column("last").to_pylist()):
                reports, redirects, summaries = [], [], []
                for pages in zhnorm.read_dump(dump, streams=(first, last)):
                    records, report = zhnorm.normalize_batch(
                        pages, variant=variant, jobs=jobs, namespaces=namespaces, report=True
                    )
                    reports.append(report)
                    redirects.append(redirects_of(pages, namespaces))
                    summaries.append(zhnorm.corpus_summary(records))
                    if records.num_rows:
                        yield from pa.Table.from_batches([records]).cast(target).to_batches()
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

    return run


def merge_task_outputs(out, ranges):
    """The tasks' reports and redirects, in dump order, into `_report.json` and `_redirects/`."""
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
    counts = [len((tasks_dir / f"summary-{n}.jsonl").read_text(encoding="utf-8").splitlines()) for n in names]
    apply_findings(out, corpus["documents"], counts)
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


def apply_findings(out, documents, counts):
    """Rewrites the part files holding documents that the corpus step renamed or found something
    in, so that their records are those `zhnorm normalize` writes. Task `k` (range `k`, partition
    `k`) wrote `part-0000k-*`, its documents in input order; `counts[k]` is how many."""
    first_index = [sum(counts[:k]) for k in range(len(counts))]
    by_task = {}
    for document in documents:
        task = max(k for k in range(len(counts)) if first_index[k] <= document["index"])
        change = dict(document, row=document["index"] - first_index[task])
        by_task.setdefault(task, []).append(change)
    for task, changes in sorted(by_task.items()):
        (part,) = Path(out).glob(f"part-{task:05d}-*.parquet")
        written = pq.read_table(part)
        fixed = pa.Table.from_batches([zhnorm.apply_corpus_findings(written, changes)])
        fixed = fixed.cast(written.schema)
        write_atomically(part, lambda p: pq.write_table(fixed, p, compression="zstd"))
        # Hadoop's local file system keeps a checksum beside each file; it no longer matches.
        part.with_name(f".{part.name}.crc").unlink(missing_ok=True)


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
    rows = spark.sparkContext.parallelize(ranges, len(ranges))
    frame = spark.createDataFrame(rows, "first int, last int")
    records = frame.mapInArrow(
        normalize_ranges(dump, str(out), variant, list(namespaces), jobs),
        spark_schema(widened(zhnorm.record_schema())),
    )
    # `append`: OUT holds only the tasks' side files, which Spark's readers skip (`_` names).
    records.write.mode("append").option("compression", "zstd").parquet(str(out))
    return merge_task_outputs(out, ranges)


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
