"""The Spark route's wall time against the `zhnorm` binary's, on one dump, as a user runs each.

    python3 ../shared/tools/make_dump.py DIR 1000     # a zhwiki-shaped multistream dump
    cargo build --release -p zhnorm-cli
    (cd crates/zhnorm-py && maturin build --release --out DIST) && pip install DIST/zhnorm-*.whl
    pip install pyspark 'pandas<3'                    # and Java 17
    python crates/zhnorm-py/benches/spark.py DIR/zhwiki-test-pages-articles-multistream.xml.bz2 \
        --zhnorm target/release/zhnorm --jobs 2 --runs 3

Each run, in turn (so that a noisy machine weighs on both alike):
- `cli`: `zhnorm normalize DUMP --output-format parquet --jobs N`;
- `spark`: `python examples/spark/normalize_dump.py DUMP OUT --master local[N]`, a new process
  each time: the session's start, the job, the merge and the corpus step, all counted.
Prints every run and the medians, and Spark's throughput as a share of the CLI's. Both must
write the same documents; the run stops if their counts differ.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def documents(out):
    return json.loads((Path(out) / "_report.json").read_text(encoding="utf-8"))["documents"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump")
    parser.add_argument("--zhnorm", default="zhnorm")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    walls = {"cli": [], "spark": []}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as scratch:
            cli_out, spark_out = Path(scratch, "cli"), Path(scratch, "spark")
            walls["cli"].append(timed([
                args.zhnorm, "normalize", "--input", args.dump, "--output", cli_out,
                "--output-format", "parquet", "--jobs", str(args.jobs), "--quiet",
            ]))
            walls["spark"].append(timed([
                sys.executable, REPO / "examples" / "spark" / "normalize_dump.py", args.dump, spark_out,
                "--master", f"local[{args.jobs}]",
            ]))
            if documents(cli_out) != documents(spark_out):
                raise SystemExit(f"the CLI wrote {documents(cli_out)} documents, Spark {documents(spark_out)}")
        print(f"run {run + 1}: cli {walls['cli'][-1]:.1f} s, spark {walls['spark'][-1]:.1f} s", flush=True)
    cli, spark = statistics.median(walls["cli"]), statistics.median(walls["spark"])
    print(f"medians: cli {cli:.1f} s, spark local[{args.jobs}] {spark:.1f} s: "
          f"Spark's throughput is {100 * cli / spark:.0f} % of the CLI's")


if __name__ == "__main__":
    main()
