"""Peak memory and time of ``winnow process`` on one large plain-text page (1, 4 and
8 MB), over the same command on a small page (the baseline: interpreter, imports,
models). Target: peak RSS over the baseline <= 50 MB + 20 x the page size, and time
linear in the size. Each run is a fresh process; its peak RSS comes from wait4().

    .venv/bin/python bench/memory_pages.py          # prints a table, returns the figures
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES_MB = (1, 4, 8)
WORDS = ("river harbour council budget school library festival market railway bridge garden museum weather "
         "storm volunteers ferry mayor residents").split()
# Limits raised so the big pages go through every stage instead of being dead-lettered
# as too_large or timeout: this measures the stages' memory, not the limits.
ENV = {"WINNOW_MAX_DOCUMENT_BYTES": str(64 << 20), "WINNOW_MAX_MESSAGE_BYTES": str(256 << 20),
       "WINNOW_STAGE_TIMEOUT_S": "600"}


def page(size_bytes: int, seed: int = 1) -> str:
    """Plain text of about ``size_bytes``: lines of 3-20 words, a blank line now and then."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < size_bytes:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20)))
        out.append(line)
        size += len(line) + 1
        if rng.random() < 0.3:
            out.append("")
            size += 1
    return "\n".join(out) + "\n"


def run_process(path: Path) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit code) of ``winnow process path``."""
    env = dict(os.environ, **ENV)
    start = time.perf_counter()
    # Started from a small launcher process: a child's peak RSS (ru_maxrss) starts from the
    # RSS of the process that forked it, so forking straight from this (large) benchmark
    # process would report the benchmark's own memory for every page.
    cmd = [sys.executable, "-m", "workers.cli.main", "process", str(path), "-o", os.devnull]
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], env=env, capture_output=True, text=True,
                         check=True)
    elapsed = time.perf_counter() - start
    maxrss_kb, code = (int(x) for x in out.stdout.split())
    return maxrss_kb / 1024.0, elapsed, code


_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(proc.pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(sizes_mb=SIZES_MB) -> dict:
    with tempfile.TemporaryDirectory(prefix="winnow-bench-mem-") as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text(page(2_000))
        base_rss, base_s, _ = run_process(small)
        rows = []
        for mb in sizes_mb:
            path = Path(tmp) / f"page-{mb}mb.txt"
            path.write_text(page(mb << 20))
            rss, secs, code = run_process(path)
            over = rss - base_rss
            rows.append({"size_mb": mb, "peak_rss_mb": round(rss, 1), "over_baseline_mb": round(over, 1),
                         "target_mb": 50 + 20 * mb, "seconds": round(secs - base_s, 2), "exit_code": code,
                         "within_target": over <= 50 + 20 * mb and code == 0})
    return {"baseline_rss_mb": round(base_rss, 1), "baseline_seconds": round(base_s, 2), "pages": rows}


def report(result: dict) -> str:
    lines = [f"large plain-text pages in `winnow process` (baseline: {result['baseline_rss_mb']} MB peak RSS, "
             f"{result['baseline_seconds']} s on a small page)",
             "  size   peak RSS   over baseline   target   time over baseline   ok"]
    for r in result["pages"]:
        lines.append(f"  {r['size_mb']:>2} MB  {r['peak_rss_mb']:>7.1f} MB  {r['over_baseline_mb']:>10.1f} MB"
                     f"   {r['target_mb']:>4} MB  {r['seconds']:>12.2f} s        "
                     f"{'yes' if r['within_target'] else 'NO'}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(measure()))
