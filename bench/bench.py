"""Winnow benchmark: speed and memory, side by side with what users would pick instead.

    .venv/bin/python bench/bench.py [--quick] [--out bench/results.json] [--skip-kafka]

What it measures (docs/benchmark.md explains every figure; modules by what they measure:
``offline.py`` offline paths and baselines, ``kafkabench.py`` through Kafka (its
harness ``kafka_harness.py``), ``memory_pages.py`` large pages, ``report.py`` the printed report; ``loaders.py`` the
pages, ``stats.py`` timing statistics):

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
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
from workers.core.runner import StageRunner, process_values  # noqa: E402
from workers.settings import from_env  # noqa: E402



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


from bench.loaders import CORPUS, load_html_records, load_text_records, raw_values  # noqa: E402
from bench.offline import (  # noqa: E402
    html_baselines, offline_suite, profile_path, template_bound_in_process, template_memory_projection,
)
from bench.report import TARGETS, _m, code_digest, machine_info, print_report, versions  # noqa: E402
from bench.stats import log, timed  # noqa: E402


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


def _new_result(mode: str, size: dict, settings) -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": mode, "sizes": size, "machine": machine_info(), "versions": versions(),
        "settings": {"partitions": settings.partitions, "template_max_sites": settings.template_max_sites,
                     "template_max_lines": settings.template_max_lines,
                     "fetch_max_wait_ms": settings.fetch_max_wait_ms,
                     "producer_linger_ms": settings.producer_linger_ms,
                     "stage_timeout_s": settings.stage_timeout_s},
        "errors": [],
    }


def _load(res: dict[str, Any], size: dict) -> dict[str, Any]:
    """The benchmark's pages: text (seed + text-dev + flattened Dragnet) and HTML (Dragnet + WCXB)."""
    log(f"Loading corpora from {CORPUS} ...")
    gold, flat = load_text_records(size["dragnet_text"])
    dragnet_html, wcxb_html = load_html_records(size["dragnet_html"], size["wcxb_html"])
    pages = {"gold": gold, "text_values": raw_values(gold + flat), "html_records": dragnet_html + wcxb_html}
    pages["html_values"] = raw_values(pages["html_records"])
    res["corpus"] = {
        "path": str(CORPUS),
        "text": {"seed_and_text_dev": len(gold), "dragnet_flattened": len(flat),
                 "mb": sum(len(v) for _, v in pages["text_values"]) / 1e6},
        "html": {"dragnet": len(dragnet_html), "wcxb": len(wcxb_html),
                 "wcxb_page_types": sorted({r["page_type"] for r in wcxb_html}),
                 "mb": sum(len(v) for _, v in pages["html_values"]) / 1e6},
    }
    return pages


def _offline(res: dict[str, Any], args, size: dict, settings, pages: dict[str, Any]) -> None:
    """Offline cost of the whole path and each stage, the HTML baselines, and the profiles."""
    text_values, html_values = pages["text_values"], pages["html_values"]
    log("Offline stage cost (one core) ...")
    res["offline"] = {"text": offline_suite("text", text_values, size["passes"], settings)}
    gv = raw_values(pages["gold"])
    log(f"  text: whole process path on the seed + text-dev pages only ({len(gv)} docs) ...")
    res["offline"]["text"]["gold_only"] = timed(
        lambda vals: [None for _ in process_values(vals, settings, StageRunner(settings, dedupe_window=0))],
        [v for _, v in gv], max(size["passes"], 5))
    res["offline"]["html"] = offline_suite("html", html_values, size["html_passes"], settings)
    log("Baselines on the same HTML pages ...")
    res["baselines"] = html_baselines(pages["html_records"], size["baseline_passes"])
    if args.no_profile:
        return
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


def _offline_headlines(res: dict[str, Any]) -> None:
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


def _memory_in_process(res: dict[str, Any], args, settings, synth: list) -> None:
    log("Site-template state in-process: eviction with a small bound, object size with the configured bound ...")
    res["memory"] = {"in_process_small_bound": template_bound_in_process(synth[: min(len(synth), 4000)], 50, 16),
                     "in_process_projection": template_memory_projection(synth[: min(len(synth), 3000)], settings)}
    from bench import memory_pages

    log("Large plain-text pages through `winnow process`: peak RSS over the baseline (bench/memory_pages.py) ...")
    res["memory"]["large_pages"] = memory_pages.measure((1,) if args.quick else memory_pages.SIZES_MB)
    log(memory_pages.report(res["memory"]["large_pages"]))


def _kafka(res: dict[str, Any], args, size: dict, settings, text_values: list, synth: list) -> None:
    """Throughput and latency through the embedded broker, then memory of the Kafka workers."""
    res["kafka"] = {}
    if args.skip_kafka:
        return
    tmp = Path(tempfile.mkdtemp(prefix="winnow-bench-"))
    res["kafka_logs"] = str(tmp)
    # Only pages that reach documents.enriched offline (a dead-lettered page gives no output).
    ok_values = []
    for (key, v), (stage, out) in zip(text_values, process_values([v for _, v in text_values], settings,
                                                                 StageRunner(settings, dedupe_window=0))):
        if stage == "enrich" and out.dead_letter is None:
            ok_values.append((key, v))
    # A burst lasts about burst_seconds at the offline speed (the stages may be slow).
    text_cps = res["text_all_docs_per_s_per_core"]
    burst_docs = int(min(size["kafka_docs"], max(100, (text_cps or 100) * size["burst_seconds"])))
    res["kafka_burst_docs"] = burst_docs
    log(f"Through Kafka: {len(ok_values)} distinct text pages cycled, {burst_docs} docs per burst, "
        f"{size['kafka_bursts']} bursts per configuration (logs in {tmp}, kept if a run fails) ...")
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
    if not res["errors"]:  # the broker and worker logs are kept only when something failed
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        res["kafka_logs"] = None


def _kafka_headlines(res: dict[str, Any]) -> None:
    k = res["kafka"]
    text_cps = res["text_all_docs_per_s_per_core"]
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
    per_stage = k.get("per_stage") or {}
    for q in ("p99", "p50", "p95"):
        res[f"{q}_latency_s"] = (per_stage.get(f"latency_{q}_s") or {}).get("median")
    rss = {}
    for key, c in list(k.items()) + [("memory", (res["memory"].get("kafka") or {})),
                                     ("memory_all", (res["memory"].get("kafka_all") or {}))]:
        for name, m in (c.get("memory_mb") or {}).items():
            if name.startswith("worker-") and "VmHWM" in m:
                rss[f"{key}/{name}"] = m["VmHWM"]
    res["peak_rss_mb_by_worker"] = rss
    res["peak_rss_mb"] = max(rss.values()) if rss else None


def _targets(res: dict[str, Any]) -> None:
    res["targets"] = {}
    for key, (op, target, what) in TARGETS.items():
        v = res.get(key)
        met = None if v is None else (v >= target if op == ">=" else v <= target)
        miss = None
        if met is False:
            miss = target / v if op == ">=" and v else v / target
        res["targets"][key] = {"value": v, "op": op, "target": target, "what": what, "met": met, "miss_factor": miss}


def _finish(res: dict[str, Any], started: float, out_path: Path) -> None:
    res["machine"]["loadavg_end"] = os.getloadavg()
    # With a snapshot the measured code cannot change; report whether the tree did.
    res["versions"]["tree_digest_end"] = code_digest()
    res["tree_changed_during_run"] = res["versions"]["tree_digest_end"] != res["versions"]["code_digest"]
    res["code_changed_during_run"] = (not CODE_SNAPSHOT) and res["tree_changed_during_run"]
    res["elapsed_s"] = time.monotonic() - started
    print_report(res)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(orjson.dumps(res, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY))
    log(f"wrote {out_path} ({res['elapsed_s']:.0f} s)")


def _run(args, mode: str, size: dict, out_path: Path) -> int:
    """The benchmark's phases, in order; each fills its part of the result."""
    started = time.monotonic()
    settings = from_env()
    res = _new_result(mode, size, settings)
    pages = _load(res, size)
    _offline(res, args, size, settings, pages)
    _offline_headlines(res)
    synth = list(synthetic.pages(size["mem_docs"], size["mem_sites"]))
    _memory_in_process(res, args, settings, synth)
    _kafka(res, args, size, settings, pages["text_values"], synth)
    _kafka_headlines(res)
    _targets(res)
    _finish(res, started, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
