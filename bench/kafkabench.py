"""The Kafka half of the benchmark: throughput, latency, CPU and memory of the
worker processes on an embedded Tansu broker. Used by ``bench/bench.py``; the
producing and consuming harness is ``bench/kafka_harness.py``.

Every configuration gets a fresh broker (a new consumer group on an old broker
would start from the earliest offset and reprocess everything), its topics
applied explicitly (Tansu auto-creates unknown topics with 4 partitions), and its
workers started as real subprocesses (``workers.shell.procs.WorkerProcess``).

* Maximum throughput: with the workers ready and idle, one burst of N documents is
  produced as fast as the client can; throughput = documents received on the output
  topic / (last receive time − first send time). Repeated, after a warm-up burst.
* Latency: documents offered at a fixed rate (about half the measured maximum), each
  raw record carrying its produce time (Kafka timestamp and the ``winnow-ingest-ms``
  header the workers copy onto every output); latency = receive time on the output
  topic − that produce time.
* CPU: utime+stime of every worker process and of the broker from /proc/<pid>/stat,
  before and after the bursts; memory: VmHWM (peak RSS) from /proc/<pid>/status.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.kafka_harness import (
    Flow, Harness, _create_scratch_topic, _max_bytes, cpu_seconds, mem_status, parse_metric, percentile, tag_items,
)
from topics import ENRICHED, SEGMENTED, STRIPPED
from workers.core.flow import STAGE_NAMES
from workers.shell.admin import apply_topics_sync
from workers.shell.broker import EmbeddedBroker
from workers.shell.procs import WorkerProcess
from workers.settings import Settings, from_env

SCRATCH_TOPIC = "bench.passthrough"
HERE = Path(__file__).resolve().parent


# --- one configuration -------------------------------------------------------------------

def _stats(values: list[float]) -> dict[str, float | None]:
    vs = sorted(v for v in values if v is not None)
    if not vs:
        return {"median": None, "min": None, "max": None, "n": 0}
    mid = vs[len(vs) // 2] if len(vs) % 2 else (vs[len(vs) // 2 - 1] + vs[len(vs) // 2]) / 2
    return {"median": mid, "min": vs[0], "max": vs[-1], "n": len(vs)}


class Config:
    """A fresh broker with topics, and the processes of one configuration."""

    def __init__(self, name: str, kind: str, tmp: Path, worker_env: dict[str, str] | None = None):
        self.name = name
        self.kind = kind  # "transport" | "all" | "per-stage"
        self.tmp = tmp
        self.worker_env = dict(worker_env or {})
        self.broker: EmbeddedBroker | None = None
        self.workers: list[WorkerProcess] = []
        self.passthrough: subprocess.Popen | None = None
        self.settings: Settings | None = None
        self.startup_s: float | None = None

    @property
    def out_topic(self) -> str:
        return SCRATCH_TOPIC if self.kind == "transport" else ENRICHED.name

    def pids(self) -> dict[str, int]:
        out = {f"worker-{w.stage}": w.pid for w in self.workers if w.proc is not None}
        if self.passthrough is not None:
            out["passthrough"] = self.passthrough.pid
        return out

    def start(self) -> None:
        t0 = time.monotonic()
        self.broker = EmbeddedBroker(log_path=str(self.tmp / f"broker-{self.name}.log")).start()
        self.settings = from_env(broker=self.broker.bootstrap)
        report = apply_topics_sync(self.settings)
        if not report.success:
            raise RuntimeError(f"topics: {report.mismatched}")
        if self.kind == "transport":
            asyncio.run(_create_scratch_topic(self.settings, SCRATCH_TOPIC))
            log = open(self.tmp / "passthrough.log", "ab")
            self.passthrough = subprocess.Popen(
                [sys.executable, str(HERE / "passthrough.py"), "--broker", self.broker.bootstrap,
                 "--partitions", str(self.settings.partitions), "--max-bytes", str(_max_bytes(self.settings)),
                 "--fetch-wait-ms", str(self.settings.fetch_max_wait_ms),
                 "--linger-ms", str(self.settings.producer_linger_ms)],
                stdout=subprocess.PIPE, stderr=log, start_new_session=True)
            line = self.passthrough.stdout.readline()
            if b"ready" not in line:
                raise RuntimeError("pass-through did not start (see passthrough.log)")
        else:
            stages = ["all"] if self.kind == "all" else list(STAGE_NAMES)
            for s in stages:
                w = WorkerProcess(stage=s, broker=self.broker.bootstrap, env=self.worker_env,
                                  log_path=str(self.tmp / f"worker-{self.name}-{s}.log"))
                self.workers.append(w.start())
            for w in self.workers:
                if not w.wait_ready(90):
                    raise RuntimeError(f"worker {w.stage} not ready within 90 s (see {w.log_path})")
        self.startup_s = time.monotonic() - t0

    def cpu(self) -> dict[str, float | None]:
        out = {name: cpu_seconds(pid) for name, pid in self.pids().items()}
        if self.broker is not None and self.broker.proc is not None:
            out["broker"] = cpu_seconds(self.broker.proc.pid)
        return out

    def memory(self) -> dict[str, dict[str, float]]:
        return {name: mem_status(pid) for name, pid in self.pids().items()}

    def metrics(self, stage: str) -> str:
        for w in self.workers:
            if w.stage == stage:
                status, body = w.get("/metrics", timeout=5.0)
                return body.decode() if status == 200 else ""
        return ""

    def stop(self) -> None:
        for w in self.workers:  # one at a time: Tansu wedges a group whose leader leaves mid-rebalance
            if w.stop(timeout=12.0) is None:
                w.kill()
        if self.passthrough is not None and self.passthrough.poll() is None:
            self.passthrough.terminate()
            try:
                self.passthrough.wait(10)
            except subprocess.TimeoutExpired:
                self.passthrough.kill()
                self.passthrough.wait(5)
        if self.broker is not None:
            self.broker.stop()


def _hop_stats(f: Flow) -> dict[str, dict[str, float | None]]:
    """Latency from produce to each intermediate topic (cumulative, not per hop)."""
    out = {}
    for topic, vals in f.hops.items():
        v = sorted(vals)
        out[topic] = {"n": len(v), "p50_s": percentile(v, 50), "p99_s": percentile(v, 99)}
    return out


def _cpu_delta(before: dict, after: dict) -> dict[str, float | None]:
    return {k: (after[k] - before[k]) if before.get(k) is not None and after.get(k) is not None else None
            for k in before}


async def _throughput(h: Harness, cfg: Config, values: list[tuple[str, bytes]], result: dict[str, Any], *,
                      burst_docs: int, bursts: int, log) -> None:
    """A warm-up burst, then ``bursts`` bursts at full speed, with the CPU of every process."""
    name = cfg.name
    warm = await h.burst(tag_items(values, f"{name}-warm", max(50, burst_docs // 5)))
    result["warmup_docs_per_s"] = warm.throughput
    flows = []
    cpu0 = cfg.cpu()
    harness0 = time.process_time()
    for b in range(bursts):
        f = await h.burst(tag_items(values, f"{name}-b{b}", burst_docs))
        flows.append(f)
        log(f"    {name}: burst {b + 1}/{bursts}: {f.received}/{f.sent} docs, "
            f"{(f.throughput or 0):,.0f} docs/s{' (TIMED OUT)' if f.timed_out else ''}")
    cpu1 = cfg.cpu()
    harness_cpu = time.process_time() - harness0
    received = sum(f.received for f in flows)
    result["throughput_docs_per_s"] = _stats([f.throughput for f in flows if f.throughput])
    result["bursts"] = [{"sent": f.sent, "received": f.received, "docs_per_s": f.throughput,
                         "burst_latency_p50_s": percentile(sorted(f.latencies), 50),
                         "ignored": f.ignored, "timed_out": f.timed_out} for f in flows]
    delta = _cpu_delta(cpu0, cpu1)
    procs_cpu = sum(v for k, v in delta.items() if v is not None and k != "broker")
    broker_cpu = delta.get("broker") or 0.0
    result["cpu_s"] = delta
    result["harness_cpu_s"] = harness_cpu
    if received:
        result["cpu_ms_per_doc_workers"] = 1000.0 * procs_cpu / received
        result["cpu_ms_per_doc_broker"] = 1000.0 * broker_cpu / received
        result["cpu_ms_per_doc_harness"] = 1000.0 * harness_cpu / received
        result["docs_per_cpu_s_workers_and_broker"] = received / max(1e-9, procs_cpu + broker_cpu)


async def _latency(h: Harness, name: str, values: list[tuple[str, bytes]], result: dict[str, Any], *,
                   latency_runs: int, latency_seconds: float, log) -> None:
    """Latency runs at about half the measured maximum, then one at a low rate."""
    tput = result["throughput_docs_per_s"]["median"] or 0.0
    rate = max(10.0, 0.5 * tput)
    result["latency_offered_docs_per_s"] = rate
    lat_runs = []
    for r in range(latency_runs):
        n = max(20, int(rate * latency_seconds))
        f = await h.paced(tag_items(values, f"{name}-lat{r}", n), rate)
        lat = sorted(f.latencies)
        run = {"docs": f.received, "sent": f.sent, "timed_out": f.timed_out, "ignored": f.ignored,
               "achieved_docs_per_s": f.throughput,
               "p50_s": percentile(lat, 50), "p95_s": percentile(lat, 95),
               "p99_s": percentile(lat, 99), "max_s": lat[-1] if lat else None,
               "hops": _hop_stats(f)}
        lat_runs.append(run)
        log(f"    {name}: latency run {r + 1}/{latency_runs} at {rate:,.0f} docs/s: "
            f"p50 {1000 * (run['p50_s'] or 0):.0f} ms, p95 {1000 * (run['p95_s'] or 0):.0f} ms, "
            f"p99 {1000 * (run['p99_s'] or 0):.0f} ms")
    result["latency_runs"] = lat_runs
    # The same at a low rate: the pipeline's own hop latency, without queueing.
    low_rate = min(5.0, rate)
    f = await h.paced(tag_items(values, f"{name}-low", max(10, int(low_rate * latency_seconds))), low_rate)
    lat = sorted(f.latencies)
    result["latency_low_load"] = {
        "offered_docs_per_s": low_rate, "docs": f.received, "p50_s": percentile(lat, 50),
        "p95_s": percentile(lat, 95), "p99_s": percentile(lat, 99), "max_s": lat[-1] if lat else None,
        "hops": _hop_stats(f)}
    log(f"    {name}: low load ({low_rate:.0f} docs/s): p50 {1000 * (percentile(lat, 50) or 0):.0f} ms, "
        f"p99 {1000 * (percentile(lat, 99) or 0):.0f} ms")
    for q in ("p50_s", "p95_s", "p99_s", "max_s"):
        result[f"latency_{q}"] = _stats([r[q] for r in lat_runs if r[q] is not None])


def run_config(name: str, kind: str, values: list[tuple[str, bytes]], tmp: Path, *, burst_docs: int,
               bursts: int, latency_runs: int, latency_seconds: float, log=print) -> dict[str, Any]:
    """Throughput bursts, then latency at about half the measured maximum."""
    cfg = Config(name, kind, tmp)
    result: dict[str, Any] = {"name": name, "kind": kind, "loadavg_start": os.getloadavg()}
    try:
        cfg.start()
        result["startup_s"] = cfg.startup_s
        settings = cfg.settings
        assert settings is not None

        async def go() -> None:
            hops = () if kind == "transport" else (STRIPPED.name, SEGMENTED.name)
            h = Harness(settings, cfg.out_topic, hops)
            await h.start()
            try:
                await _throughput(h, cfg, values, result, burst_docs=burst_docs, bursts=bursts, log=log)
                await _latency(h, name, values, result, latency_runs=latency_runs,
                               latency_seconds=latency_seconds, log=log)
            finally:
                await h.stop()

        asyncio.run(go())
        result["memory_mb"] = cfg.memory()
        result["loadavg_end"] = os.getloadavg()
    except Exception as exc:  # noqa: BLE001 - reported, the rest of the benchmark goes on
        result["error"] = f"{type(exc).__name__}: {exc}"
        log(f"    {name}: FAILED: {result['error']}")
    finally:
        cfg.stop()
    return result


def run_memory(records: list[dict], tmp: Path, settings: Settings, kind: str = "per-stage", log=print
               ) -> dict[str, Any]:
    """Workers of one configuration (``per-stage`` or ``all``), ``records`` (synthetic
    pages of many sites) at full speed; then peak RSS per worker and the site-template
    gauges of the worker that runs the strip stage."""
    env = {"WINNOW_LAG_INTERVAL_S": "1"}
    cfg = Config(f"memory-{kind}", kind, tmp, worker_env=env)
    strip_worker = "strip" if kind == "per-stage" else "all"
    result: dict[str, Any] = {"kind": kind, "loadavg_start": os.getloadavg(), "docs": len(records),
                              "sites": len({r["url"].split("/")[2] for r in records}),
                              "template_max_sites": settings.template_max_sites,
                              "template_max_lines": settings.template_max_lines}
    try:
        cfg.start()
        assert cfg.settings is not None
        items = [(r["id"], orjson.dumps(r)) for r in records]

        async def go() -> Flow:
            h = Harness(cfg.settings, ENRICHED.name)
            await h.start()
            try:
                return await h.burst(items, idle_timeout=60.0)
            finally:
                await h.stop()

        flow = asyncio.run(go())
        result["received"] = flow.received
        result["docs_per_s"] = flow.throughput
        time.sleep(2.5)  # the strip worker refreshes its table-size gauges every second
        text = cfg.metrics(strip_worker)
        sites = parse_metric(text, "winnow_site_templates_sites")
        entries = parse_metric(text, "winnow_site_templates_entries")
        result["site_templates_sites"] = sites
        result["site_templates_entries"] = entries
        result["template_bound_ok"] = (
            sites is not None and entries is not None and sites <= settings.template_max_sites
            and entries <= settings.template_max_sites * settings.template_max_lines)
        result["memory_mb"] = cfg.memory()
        result["loadavg_end"] = os.getloadavg()
        log(f"    memory ({kind}): {flow.received}/{len(items)} docs at {(flow.throughput or 0):,.0f} docs/s; "
            f"site templates: {sites} sites, {entries} entries")
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"{type(exc).__name__}: {exc}"
        log(f"    memory ({kind}): FAILED: {result['error']}")
    finally:
        cfg.stop()
    return result
