"""Normalize JSON Lines pages with Spark through the `zhnorm` binary alone, for clusters without
the zhnorm Python package: each partition's lines go through `zhnorm normalize` on standard input
and its records come back on standard output (`RDD.pipe`; Hadoop streaming works the same way).

    spark-submit examples/spark/pipe_jsonl.py PAGES.jsonl OUT [--zhnorm PATH] [--partitions N]
    python examples/spark/pipe_jsonl.py PAGES.jsonl OUT --master 'local[2]'

PAGES.jsonl holds one page per line, as `zhnorm normalize --input-format jsonl` reads them
(`title`, `text`, optional `id`, `url`, `format`, `revision`, `timestamp`). OUT receives Spark's
text part files, one record per line: the lines `zhnorm normalize --input - --output -` writes for
the same pages. The `zhnorm` binary must be on every executor (`--zhnorm` names it).

Every partition is its own zhnorm run, so the corpus rules (K001-K004), which need the whole
corpus, are switched off in the command (`--ignore K`): a partition's findings would be partial
and differ with the partitioning. Ids stay `safe_id(title)` unless two pages of one partition
share a title (see README.md, "Scaling out").
"""

import argparse
import os
import shlex
import sys


def pipe_command(zhnorm, variant="zh-Hans"):
    return " ".join(
        shlex.quote(part)
        for part in [
            zhnorm, "normalize", "--input", "-", "--input-format", "jsonl", "--output", "-",
            "--output-format", "jsonl", "--variant", variant, "--ignore", "K", "--quiet",
        ]
    )


def normalize_jsonl(spark, pages, out, *, zhnorm="zhnorm", partitions=None, variant="zh-Hans"):
    """Runs the job: `pages` (JSON Lines, any path Spark reads) into text part files in `out`."""
    context = spark.sparkContext
    lines = context.textFile(pages, minPartitions=partitions or context.defaultParallelism)
    lines.pipe(pipe_command(zhnorm, variant)).saveAsTextFile(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", help="JSON Lines pages")
    parser.add_argument("out", help="a new output folder")
    parser.add_argument("--zhnorm", default="zhnorm", help="the zhnorm binary on the executors")
    parser.add_argument("--partitions", type=int, help="at least this many partitions")
    parser.add_argument("--variant", default="zh-Hans")
    parser.add_argument("--master", help="a Spark master URL for a run outside spark-submit, e.g. local[2]")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("zhnorm pipe_jsonl")
    if args.master:
        builder = builder.master(args.master)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        normalize_jsonl(spark, args.pages, args.out, zhnorm=args.zhnorm, partitions=args.partitions, variant=args.variant)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
