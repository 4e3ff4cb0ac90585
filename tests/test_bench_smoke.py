"""Smoke test of the benchmark: ``bench/bench.py --quick`` on tiny inputs completes
and writes JSON with the required keys and sane types.

Deliberately no timing assertions: the figures depend on the machine and its load.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, corpus_or_skip

pytestmark = [pytest.mark.broker, pytest.mark.slow]

REQUIRED = ("text_docs_per_s_per_core", "html_docs_per_s_per_core", "trafilatura_docs_per_s_per_core",
            "kafka_vs_offline_ratio", "p99_latency_s", "peak_rss_mb")


def _positive(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def test_bench_quick_writes_results(tmp_path: Path):
    corpus_or_skip()
    out = tmp_path / "results.json"
    cmd = [sys.executable, str(REPO / "bench" / "bench.py"), "--quick", "--out", str(out),
           "--dragnet-text", "3", "--dragnet-html", "2", "--wcxb-html", "1", "--passes", "1",
           "--kafka-docs", "40", "--transport-docs", "200", "--kafka-bursts", "1", "--latency-runs", "1", "--latency-seconds", "1",
           "--mem-docs", "200", "--mem-sites", "20"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Targets" in proc.stdout  # the printed table

    res = json.loads(out.read_text())
    for key in REQUIRED:
        assert key in res, key
        if key == "trafilatura_docs_per_s_per_core" and res["baselines"]["trafilatura"].get("error"):
            continue  # the baseline's own dependencies missing: reported, not fatal
        assert _positive(res[key]), (key, res[key], res.get("errors"))
    assert res["errors"] == []

    assert res["mode"] == "quick"
    assert isinstance(res["date"], str) and res["date"][:2] == "20"
    assert res["machine"]["cores"] >= 1
    assert res["versions"]["faust-streaming"] and res["versions"]["aiokafka"]
    assert res["corpus"]["text"]["seed_and_text_dev"] >= 1
    assert res["corpus"]["html"]["dragnet"] == 2 and res["corpus"]["html"]["wcxb"] == 1

    # Offline: every timing has medians and spreads, min <= median <= max.
    for corpus in ("text", "html"):
        whole = res["offline"][corpus]["whole_path"]
        s = whole["docs_per_s_cpu"]
        assert s["min"] <= s["median"] <= s["max"]
        assert whole["docs"] >= 1 and len(whole["cpu_s"]) == 1
        assert set(res["offline"][corpus]["stage_runner"]) <= {"strip", "segment", "enrich"}

    # Kafka: the three configurations ran and latency percentiles are ordered.
    for name in ("transport", "all", "per_stage"):
        cfg = res["kafka"][name]
        assert "error" not in cfg, cfg.get("error")
        assert _positive(cfg["throughput_docs_per_s"]["median"])
        run = cfg["latency_runs"][0]
        assert run["p50_s"] <= run["p95_s"] <= run["p99_s"] <= run["max_s"]
    assert res["p50_latency_s"] <= res["p99_latency_s"]

    # Large pages through `winnow process` (quick: 1 MB only): measured, not judged here.
    large = res["memory"]["large_pages"]
    assert [r["size_mb"] for r in large["pages"]] == [1]
    assert large["baseline_rss_mb"] > 0 and large["pages"][0]["exit_code"] == 0
    assert large["pages"][0]["peak_rss_mb"] >= large["baseline_rss_mb"] * 0.5

    # Memory: per-worker peak RSS and the site-template bound, in Kafka and in-process.
    mem = res["memory"]
    assert set(mem["kafka"]["memory_mb"]) == {"worker-strip", "worker-segment", "worker-enrich"}
    assert mem["kafka"]["template_bound_ok"] is True
    assert mem["in_process_small_bound"]["bound_ok"] is True
    assert res["peak_rss_mb"] == max(res["peak_rss_mb_by_worker"].values())

    for key, t in res["targets"].items():
        assert t["met"] in (True, False), key
