"""normalize_batch's throughput against the `zhnorm` binary at the same thread count, on one dump.

    python3 ../shared/tools/make_dump.py DIR 100      # a 100 MB zhwiki-shaped multistream dump
    cargo build --release -p zhnorm-cli
    (cd crates/zhnorm-py && maturin build --release --out DIST) && pip install DIST/zhnorm-*.whl
    python crates/zhnorm-py/benches/throughput.py DIR/zhwiki-test-pages-articles-multistream.xml.bz2 \
        --zhnorm target/release/zhnorm --jobs 2

MB are megabytes (10^6 bytes) of page text (UTF-8) of the pages normalized, so that both sides are
measured on the same figure whatever the compression. Printed, for the same `--jobs`:
- `cli`: `zhnorm normalize DUMP --output-format parquet --jobs N` (reading, normalizing, writing);
- `read_dump + normalize_batch`: the dump read by ranges of streams and normalized batch by batch
  (what a Spark task does, without Spark's writing);
- `normalize_batch`: the pages already in memory, normalization alone.
Timings measure a machine that is otherwise idle: run nothing else meanwhile.
"""

import argparse
import subprocess
import tempfile
import time

import pyarrow as pa

import zhnorm


def text_mb(batches):
    total = 0
    for batch in batches:
        keep = pa.compute.and_(pa.compute.equal(batch.column("namespace"), 0), pa.compute.is_null(batch.column("redirect")))
        texts = batch.column("text").filter(keep)
        total += sum(len(t.as_py().encode()) for t in texts if t.is_valid)
    return total / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump")
    parser.add_argument("--zhnorm", default="zhnorm")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    pages = list(zhnorm.read_dump(args.dump, threads=args.jobs))
    mb = text_mb(pages)
    print(f"{mb:.1f} MB of page text in {sum(b.num_rows for b in pages)} pages")

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [args.zhnorm, "normalize", "--input", args.dump, "--output", out, "--output-format", "parquet",
             "--jobs", str(args.jobs), "--quiet"],
            check=True,
        )
        cli = time.perf_counter() - start
    print(f"cli ({args.jobs} jobs): {cli:.2f} s, {mb / cli:.2f} MB/s")

    start = time.perf_counter()
    documents = 0
    for batch in zhnorm.read_dump(args.dump, threads=1):
        documents += zhnorm.normalize_batch(batch, jobs=args.jobs).num_rows
    both = time.perf_counter() - start
    print(f"read_dump + normalize_batch ({args.jobs} jobs): {both:.2f} s, {mb / both:.2f} MB/s, "
          f"{100 * cli / both:.0f} % of the CLI's MB/s ({documents} documents)")

    start = time.perf_counter()
    for batch in pages:
        zhnorm.normalize_batch(batch, jobs=args.jobs)
    alone = time.perf_counter() - start
    print(f"normalize_batch alone ({args.jobs} jobs): {alone:.2f} s, {mb / alone:.2f} MB/s, "
          f"{100 * cli / alone:.0f} % of the CLI's MB/s")


if __name__ == "__main__":
    import pyarrow.compute  # noqa: F401  (pa.compute)

    main()
