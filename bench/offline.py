"""Offline measurements: the whole process path, each stage through the runner, the pure
stage functions, HTML baselines, a cProfile of the path, and the site-template bound."""
from __future__ import annotations

import cProfile
import logging
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any, Callable

import orjson

from bench.stats import _pct, log, timed
from workers.core.errors import BadInput
from workers.core.flow import FLOW
from workers.core.runner import StageRunner, process_values
from workers.core.stages import encode, enrich_stage, segment_stage, strip_stage
from workers.settings import from_env, with_overrides

ROOT = Path(__file__).resolve().parent.parent
CODE_SNAPSHOT = os.environ.get("WINNOW_BENCH_CODE")  # bench.py's snapshot of workers/ and topics/, if any



def enriched_records(values: list[bytes], settings, runner: StageRunner) -> tuple[dict[str, dict], float]:
    """Raw values through the offline path: each enriched record (decoded) by its key, and
    the seconds it took. Dead-lettered documents are simply absent."""
    from topics import ENRICHED

    results: dict[str, dict] = {}
    t0 = time.perf_counter()
    for stage, outcome in process_values(values, settings, runner):
        if stage != "enrich" or outcome.dead_letter is not None:
            continue
        for out in outcome.outputs:
            if out.topic == ENRICHED.name:
                results[out.key] = orjson.loads(out.value)
    return results, time.perf_counter() - t0

def html_values(pages: list[dict], html_of: Callable[[dict], str] | None = None) -> list[bytes]:
    """The raw ``text/html`` records of corpus pages (``id``, ``url``, ``html``): each page's own
    HTML, or ``html_of(page)`` (a changed copy of it)."""
    return [orjson.dumps({"id": p["id"], "url": p.get("url"), "content_type": "text/html",
                          "content": p["html"] if html_of is None else html_of(p)}) for p in pages]


def quality_records(values: list[bytes], labeller: str | None = None) -> tuple[dict[str, dict], float]:
    """``enriched_records`` of raw values for quality figures: a stage timeout no loaded machine
    reaches, no dedupe window (every page is scored); ``labeller``: WINNOW_LABELLER's value
    (None: the default)."""
    settings = from_env(env={}, labeller=labeller, stage_timeout_s=60.0)
    return enriched_records(values, settings, StageRunner(settings, dedupe_window=0))


def html_records(pages: list[dict], html_of: Callable[[dict], str] | None = None,
                 labeller: str | None = None) -> tuple[dict[str, dict], float]:
    """``quality_records`` of corpus HTML pages (``html_values``)."""
    return quality_records(html_values(pages, html_of), labeller)


def _stage_inputs(raw: list[bytes], settings) -> tuple[dict[str, int], dict[str, list[tuple[str | None, bytes]]]]:
    """The outcome of each document on the whole path, and each stage's input (key, wire
    value), computed once along the declared flow so each stage can be timed on its own."""
    runner = StageRunner(settings, dedupe_window=0)
    outcome_counts: dict[str, int] = {}
    for stage, out in process_values(raw, settings, runner):
        key = stage if out.dead_letter is None else f"dead-letter at {stage}: {out.dead_letter.reason}"
        outcome_counts[key] = outcome_counts.get(key, 0) + 1
    inputs: dict[str, list[tuple[str | None, bytes]]] = {FLOW[0].name: [(None, v) for v in raw]}
    for stage, nxt in zip(FLOW, FLOW[1:]):
        inputs[nxt.name] = []
        for k, v in inputs[stage.name]:
            o = runner.handle(stage.name, v, key=k)
            if o.dead_letter is None:
                inputs[nxt.name].extend((out.key, out.value) for out in o.outputs if out.topic == nxt.source.name)
    return outcome_counts, inputs


def _per_doc_cpu_ms(raw: list[bytes], settings) -> dict[str, float | None]:
    """Per-document CPU cost of the whole path (one pass): the tail sets the latency floor."""
    per_doc = []
    t = time.thread_time()
    for _ in process_values(raw, settings, StageRunner(settings, dedupe_window=0)):
        now = time.thread_time()
        per_doc.append(1000.0 * (now - t))
        t = now
    per_doc.sort()
    return {"p50": _pct(per_doc, 50), "p90": _pct(per_doc, 90), "p99": _pct(per_doc, 99),
            "max": per_doc[-1] if per_doc else None}


def _pure_functions(settings) -> dict[str, Callable[[list], None]]:
    """The pure stage functions + the wire encoding (no metrics, no time budget, no dedupe
    digest, strip without site-template lookup/learning), by stage name."""
    def pure_strip(items):
        for _, v in items:
            try:
                encode(strip_stage(v, None, settings.max_document_bytes, settings.labeller))
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

    return {"strip": pure_strip, "segment": pure_segment, "enrich": pure_enrich}


def offline_suite(name: str, values: list[tuple[str, bytes]], passes: int, settings) -> dict[str, Any]:
    """Whole path, each stage through the runner, each pure stage function, orjson floor."""
    raw = [v for _, v in values]
    n, nbytes = len(raw), sum(len(v) for v in raw)
    res: dict[str, Any] = {"docs": n, "input_mb": nbytes / 1e6, "mean_doc_kb": nbytes / n / 1024 if n else 0}
    outcome_counts, stages_in = _stage_inputs(raw, settings)
    res["outcomes"] = outcome_counts
    res["enriched"] = outcome_counts.get("enrich", 0)

    def whole(vals):
        for _ in process_values(vals, settings, StageRunner(settings, dedupe_window=0)):
            pass

    log(f"  {name}: whole process path ({n} docs, {nbytes / 1e6:.2f} MB) ...")
    res["whole_path"] = timed(whole, raw, passes)
    res["per_doc_cpu_ms"] = _per_doc_cpu_ms(raw, settings)

    def via_runner(stage: str):
        def go(items):
            r = StageRunner(settings, dedupe_window=0)
            for k, v in items:
                r.handle(stage, v, key=k)
        return go

    res["stage_runner"] = {}
    for stage, items in stages_in.items():
        if items:
            res["stage_runner"][stage] = timed(via_runner(stage), items, passes)
    res["stage_function"] = {}
    for stage, fn in _pure_functions(settings).items():
        items = stages_in.get(stage)
        if not items:
            continue
        try:
            res["stage_function"][stage] = timed(fn, items, passes)
        except Exception as exc:  # noqa: BLE001 - reported, the rest of the benchmark goes on
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

    def per_page(extract: Callable[[str], Any]) -> dict[str, Any]:
        """``extract`` timed on every page (``stats.timed``)."""
        def run(hs: list[str]) -> None:
            for h in hs:
                extract(h)
        return timed(run, htmls, passes, nbytes)

    try:
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        from trafilatura import bare_extraction

        log(f"  baseline trafilatura.bare_extraction(include_comments=True) ({n} pages) ...")
        out["trafilatura"] = per_page(lambda h: bare_extraction(h, include_comments=True))
    except Exception as exc:  # noqa: BLE001
        out["trafilatura"] = {"error": f"{type(exc).__name__}: {exc}"}
        log(f"  baseline trafilatura unavailable: {out['trafilatura']['error']}")

    try:
        from resiliparse.extract.html2text import extract_plain_text

        log(f"  baseline resiliparse.extract_plain_text(main_content=True) ({n} pages) ...")
        out["resiliparse"] = per_page(lambda h: extract_plain_text(h, main_content=True))
    except Exception as exc:  # noqa: BLE001
        out["resiliparse"] = {"error": f"{type(exc).__name__}: {exc}"}

    from workers.core.stages.html import flatten_html, html_page

    out["winnow_flatten_html"] = per_page(flatten_html)
    out["winnow_html_page"] = per_page(html_page)
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


