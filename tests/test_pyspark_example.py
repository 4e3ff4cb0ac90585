"""docs/examples/pyspark_clean.py: the partition function on its own (always), and the whole
job in Spark local mode when pyspark is installed (it is not a Winnow dependency: a
434 MB download; docs/library.md has the figures of a run)."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import orjson
import pytest

from tests.conftest import gold_cases

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "pyspark_clean.py"


def example():
    spec = importlib.util.spec_from_file_location("pyspark_clean", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _lines() -> list[str]:
    lines = [orjson.dumps(c["input"]).decode() for c in gold_cases()]
    return [*lines, "not json", '{"id": "empty", "content": "  "}']


def test_partition_function_gives_the_library_records():
    from workers import SiteTemplates, clean

    ex = example()
    lines = _lines()
    got = list(ex.clean_partition(iter(lines)))
    templates = SiteTemplates()
    want = []
    for line in lines[:-2]:
        doc, comments = clean(orjson.loads(line), templates=templates)
        want.append((ex.DOCUMENTS, orjson.dumps(doc).decode()))
        want.extend((ex.COMMENTS, orjson.dumps(c).decode()) for c in comments)
    assert [kv for kv in got if kv[0] != ex.DEAD] == want
    dead = [orjson.loads(v) for k, v in got if k == ex.DEAD]
    assert [d["reason"] for d in dead] == ["invalid_json", "empty_document"]
    assert dead[0]["payload"] == "not json"


def test_site_partitioning_is_stable_and_by_host():
    ex = example()
    assert ex.site_of('{"url": "https://www.example.org/a?b"}') == "www.example.org"
    assert ex.site_of("not json") == "" and ex.site_of('{"content": "x"}') == ""
    assert ex.site_partition("www.example.org") == ex.site_partition("www.example.org") == 947207901


def test_spark_local_mode(tmp_path, monkeypatch):
    pytest.importorskip("pyspark")
    if not shutil.which("java"):
        pytest.skip("no Java runtime for Spark")
    from pyspark.sql import SparkSession

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)

    ex = example()
    lines = _lines()
    src = tmp_path / "pages.jsonl"
    src.write_text("\n".join(lines) + "\n")
    spark = (SparkSession.builder.master("local[2]").appName("winnow-test")
             .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    gateway = spark.sparkContext._gateway
    try:
        counts = ex.run(spark, str(src), str(tmp_path / "out"), partitions=2)
    finally:
        spark.stop()
        # spark.stop() leaves the JVM running until Python exits; the tests stop what they start.
        from pyspark import SparkContext

        gateway.shutdown()
        if getattr(gateway, "proc", None) is not None:
            gateway.proc.terminate()
            gateway.proc.wait(60)
        SparkContext._gateway = SparkContext._jvm = None
    want = list(ex.clean_partition(iter(lines)))
    assert counts == {k: sum(1 for kind, _ in want if kind == k) for k in (ex.DOCUMENTS, ex.COMMENTS, ex.DEAD)}
    for kind in (ex.DOCUMENTS, ex.COMMENTS):
        written = sorted(line for part in (tmp_path / "out" / kind).glob("part-*")
                         for line in part.read_text().splitlines())
        assert written == sorted(v for k, v in want if k == kind)
