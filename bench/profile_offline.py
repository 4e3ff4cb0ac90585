"""Where the offline path spends its time, by sampling (py-spy), not instrumenting.

    .venv/bin/python bench/profile_offline.py [--corpus text|html] [--seconds 15] [--top 15]

Runs the whole offline path (``process_values``) over the benchmark's pages in a
loop under ``py-spy record`` (a sampling profiler: it does not slow Python calls
down the way cProfile does, so call-heavy code such as the re2 wrapper is not
over-weighted), then prints own-time shares by function and inclusive shares of
the project's functions. ``bench/bench.py --py-spy`` calls ``summarize`` and stores
the result in results.json.

``--child`` is the profiled loop itself (what py-spy starts).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if os.environ.get("WINNOW_BENCH_CODE"):  # bench/bench.py's snapshot of workers/ and topics/
    sys.path.insert(0, os.environ["WINNOW_BENCH_CODE"])


def py_spy() -> str | None:
    cand = Path(sys.executable).parent / "py-spy"
    return str(cand) if cand.exists() else shutil.which("py-spy")


def _child(corpus: str, seconds: float, n_dragnet: int) -> None:
    from bench.loaders import corpus_values
    from workers.core.runner import process_values
    from workers.settings import from_env

    values = corpus_values(corpus, n_dragnet, max(7, n_dragnet // 3))
    settings = from_env()
    for _ in process_values(values[:5], settings):  # warm-up (lazy imports, models)
        pass
    print("profiling", flush=True)
    _profiled_loop(values, settings, seconds)


def _profiled_loop(values: list[bytes], settings, seconds: float) -> None:
    """The measured loop: only samples under this function are summarized."""
    from workers.core.runner import StageRunner, process_values

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for _ in process_values(values, settings, StageRunner(settings, dedupe_window=0)):
            if time.monotonic() > deadline:
                break


def summarize(raw_path: str, top: int = 15) -> dict:
    """Collapsed stacks (py-spy ``--format raw``) -> own-time and inclusive shares.
    Only samples taken inside ``_profiled_loop`` count (loading and warm-up do not)."""
    own: Counter = Counter()
    incl: Counter = Counter()
    by_proj: Counter = Counter()
    total = 0
    for line in Path(raw_path).read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        names = [_frame(f) for f in frames]
        if not any(n.startswith("_profiled_loop ") for n in names):
            continue
        n = int(count)
        total += n
        own[names[-1]] += n
        # The deepest project frame: library and C time charged to the project code calling it.
        proj = next((x for x in reversed(names) if x.split(" ", 1)[-1].startswith(("(workers/", "(topics/"))), "?")
        by_proj[proj] += n
        for name in set(names):
            if name.split(" ", 1)[-1].startswith(("(workers/", "(topics/")):
                incl[name] += n
    if not total:
        return {"samples": 0}
    return {
        "samples": total,
        "top_own": [{"func": k, "share": round(v / total, 4)} for k, v in own.most_common(top)],
        "top_self_project": [{"func": k, "share": round(v / total, 4)} for k, v in by_proj.most_common(top)],
        "top_inclusive_project": [{"func": k, "share": round(v / total, 4)} for k, v in incl.most_common(top + 3)
                                  if not k.startswith(("process_values ", "handle ", "<genexpr>"))][:top],
    }


def _frame(f: str) -> str:
    # py-spy raw frames look like "func (path/to/file.py:123)"; keep func and a short path.
    f = f.strip()
    if " (" in f:
        func, _, loc = f.partition(" (")
        loc = loc.rstrip(")")
        path = loc.rsplit(":", 1)[0]
        snap = os.environ.get("WINNOW_BENCH_CODE")
        for marker in ("site-packages/", str(ROOT) + "/", *([snap + "/"] if snap else [])):
            if marker in path:
                path = path.split(marker, 1)[1]
        if path.startswith("/"):
            path = "stdlib/" + path.rsplit("/", 1)[-1]
        return f"{func} ({path})"
    return f


def record(corpus: str, seconds: float, n_dragnet: int, rate: int = 250) -> dict:
    exe = py_spy()
    if not exe:
        return {"error": "py-spy not installed (pip install py-spy)"}
    with tempfile.TemporaryDirectory(prefix="winnow-pyspy-") as tmp:
        out = os.path.join(tmp, "stacks.txt")
        cmd = [exe, "record", "--format", "raw", "--rate", str(rate), "-o", out, "--",
               sys.executable, str(Path(__file__).resolve()), "--child", "--corpus", corpus,
               "--seconds", str(seconds), "--dragnet", str(n_dragnet)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 180)
        if proc.returncode != 0 or not os.path.exists(out):
            return {"error": f"py-spy failed ({proc.returncode}): {proc.stderr.strip()[-500:]}"}
        res = summarize(out)
        res.update({"corpus": corpus, "seconds": seconds, "rate_hz": rate})
        return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Sampling profile of the offline path (py-spy).")
    p.add_argument("--corpus", choices=["text", "html"], default="text")
    p.add_argument("--seconds", type=float, default=15.0)
    p.add_argument("--dragnet", type=int, default=200, help="Dragnet pages to use (text: flattened)")
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        _child(a.corpus, a.seconds, a.dragnet)
        return 0
    res = record(a.corpus, a.seconds, a.dragnet)
    if "error" in res:
        print(res["error"], file=sys.stderr)
        return 1
    print(f"{res['samples']} samples in the offline path ({a.corpus} pages)")
    print("own time:")
    for t in res["top_own"][: a.top]:
        print(f"  {100 * t['share']:5.1f}%  {t['func']}")
    print("own time charged to the deepest project function (library and C time included):")
    for t in res["top_self_project"][: a.top]:
        print(f"  {100 * t['share']:5.1f}%  {t['func']}")
    print("inclusive, project functions:")
    for t in res["top_inclusive_project"][: a.top]:
        print(f"  {100 * t['share']:5.1f}%  {t['func']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
