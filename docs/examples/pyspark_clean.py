"""Clean an archive with Winnow inside PySpark: ``mapPartitions`` over JSON Lines of raw
records (the documents.raw format), the stream's own stages via ``workers.clean``.

    pip install pyspark            # 4.x needs Java 17+; not part of Winnow's dependencies
    python docs/examples/pyspark_clean.py pages.jsonl out/          # local mode, all cores
    spark-submit --master yarn docs/examples/pyspark_clean.py hdfs:///crawl/pages.jsonl hdfs:///crawl/clean

Writes ``out/documents`` (enriched records), ``out/comments`` (comment records) and
``out/dead-letters`` (inputs that could not be cleaned, with the reason), as JSON Lines,
one part file per partition. Pages are partitioned by site, and each partition keeps
one ``SiteTemplates``, so the strip stage learns a site's repeated lines as a worker
does. Every executor needs Winnow installed (``pip install`` the project).
"""
from __future__ import annotations

import os
import sys
import zlib
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import orjson

DOCUMENTS, COMMENTS, DEAD = "documents", "comments", "dead-letters"


def site_of(line: str) -> str:
    """The site of a raw JSON line (host of its url), for partitioning; "" if none."""
    try:
        url = orjson.loads(line).get("url") or ""
        return (urlsplit(url).hostname or "") if isinstance(url, str) else ""
    except (orjson.JSONDecodeError, AttributeError, ValueError):
        return ""


def site_partition(site: str) -> int:
    """Stable across Python processes (the built-in str hash is salted per process)."""
    return zlib.crc32(site.encode("utf-8"))


def clean_partition(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(kind, JSON line) for every input line of one partition: kind is "documents",
    "comments" or "dead-letters". Pure Python: no Spark needed to run or test it."""
    from workers import CleanError, SiteTemplates, clean

    templates = SiteTemplates()  # one per partition: Spark runs a partition in one thread
    for line in lines:
        try:
            doc, comments = clean(line.encode("utf-8"), templates=templates)
        except CleanError as exc:
            yield DEAD, orjson.dumps(exc.dead_letter).decode()
            continue
        yield DOCUMENTS, orjson.dumps(doc).decode()
        for c in comments:
            yield COMMENTS, orjson.dumps(c).decode()


def run(spark, src: str, out: str, partitions: int | None = None) -> dict[str, int]:
    """Clean ``src`` (JSON Lines) into ``out``; returns the number of records of each kind."""
    lines = spark.sparkContext.textFile(src)
    n = partitions or lines.getNumPartitions()
    by_site = (lines.filter(lambda s: s.strip())
               .keyBy(site_of)
               .partitionBy(n, site_partition)
               .values())
    results = by_site.mapPartitions(clean_partition).cache()
    counts = dict(results.countByKey())
    for kind in (DOCUMENTS, COMMENTS, DEAD):
        results.filter(lambda kv, k=kind: kv[0] == k).values().saveAsTextFile(f"{out}/{kind}")
    results.unpersist()
    return {k: counts.get(k, 0) for k in (DOCUMENTS, COMMENTS, DEAD)}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: pyspark_clean.py INPUT.jsonl OUTPUT_DIR", file=sys.stderr)
        return 2
    from pyspark.sql import SparkSession

    # Local mode: the Python workers run this interpreter (the one with Winnow installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.appName("winnow-clean").getOrCreate()  # master: spark-submit's, else local[*]
    try:
        counts = run(spark, argv[0], argv[1])
    finally:
        spark.stop()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
