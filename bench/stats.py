"""Timing statistics of the benchmark: median and spread over passes, and ``timed``
(a warm-up, then CPU and wall time per pass)."""
from __future__ import annotations

import gc
import time
from typing import Any, Callable


def log(msg: str) -> None:
    print(msg, flush=True)


def median(xs: list[float]) -> float | None:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def _pct(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(q / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def spread(xs: list[float]) -> dict[str, float | None]:
    xs = [x for x in xs if x is not None]
    return {"median": median(xs), "min": min(xs) if xs else None, "max": max(xs) if xs else None, "n": len(xs)}


WARMUP_DOCS = 10


def timed(fn: Callable[[list], Any], items: list, passes: int, n_bytes: int | None = None) -> dict[str, Any]:
    """``fn(items)`` once on the first few items (warm-up: lazy imports, models, caches),
    then ``passes`` timed passes over all items (CPU and wall)."""
    n_docs = len(items)
    if n_bytes is None:
        n_bytes = sum(len(x if isinstance(x, (bytes, str)) else x[1]) for x in items)
    fn(items[:WARMUP_DOCS])
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(passes):
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        fn(items)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    mb = n_bytes / 1e6
    return {
        "docs": n_docs, "input_mb": mb, "passes": passes,
        "cpu_s": cpu, "wall_s": wall,
        "docs_per_s_cpu": spread([n_docs / c for c in cpu if c > 0]),
        "docs_per_s_wall": spread([n_docs / w for w in wall if w > 0]),
        "cpu_ms_per_doc": spread([1000.0 * c / n_docs for c in cpu]),
        "input_mb_per_s_cpu": spread([mb / c for c in cpu if c > 0]),
    }
