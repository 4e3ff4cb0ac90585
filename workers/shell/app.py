"""The Faust side: one thin agent per stage around ``StageRunner.handle``.

    documents.raw ─▶ strip ─▶ documents.stripped ─▶ segment ─▶ documents.segmented
                  ─▶ enrich ─▶ documents.enriched + comments.enriched
    (any stage, bad record) ─▶ documents.dead-letter

Delivery: at-least-once. Values are read as raw bytes (decode errors are data, not
agent crashes), and every output is sent keyed by document id before the input
event is acknowledged. Faust's commit loop flushes the producer (waits for the
broker's acknowledgement of every buffered output) before it commits offsets, so an
offset is committed only after the outputs of the records before it are stored. A
crash therefore re-delivers, never loses; stages are deterministic, so a re-delivered
document gives byte-identical records with the same key. (``stream_publish_on_commit``
would give the same guarantee but holds every output until the next commit: measured
p50 0.5 s per hop at a 0.1 s commit interval, so it is off.)

Each worker process runs one stage (its own consumer group ``<app_id>-<stage>``)
or all three (group ``<app_id>-all``; do not mix both modes on one cluster).
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from typing import Any, Iterable

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from topics import SITE_TEMPLATES_CHANGELOG, STAGE_IO, STAGES, TOPICS, largest_message_bytes
from workers.core import metrics as M
from workers.core.runner import StageRunner
from workers.shell import faust_patch
from workers.shell.admin import admin_client
from workers.shell.connect import start_client
from workers.shell.lag import LagMonitor
from workers.settings import Settings

log = logging.getLogger("winnow.worker")

INGEST_HEADER = "winnow-ingest-ms"  # produce time (ms) of the raw record, carried along the flow

def _credentials(settings: Settings):
    proto = settings.security_protocol  # normalised to upper case by the settings
    if proto == "PLAINTEXT":
        return None
    ssl_ctx = settings.ssl_context()
    if proto == "SSL":
        return faust.SSLCredentials(ssl_ctx)
    return faust.SASLCredentials(username=settings.sasl_username, password=settings.sasl_password,
                                 ssl_context=ssl_ctx, mechanism=settings.sasl_mechanism)


def _header_ms(headers: Any) -> float | None:
    if not headers:
        return None
    items: Iterable = headers.items() if isinstance(headers, dict) else headers
    for k, v in items:
        if k == INGEST_HEADER and v:
            try:
                return float(v.decode() if isinstance(v, (bytes, bytearray)) else v)
            except ValueError:
                return None
    return None


class WorkerState:
    """What the health endpoints and the lag monitor need to know."""

    def __init__(self):
        self.started = time.time()
        self.assigned: set = set()
        self.last_ts: dict[tuple[str, int], float] = {}  # (topic, partition) -> last processed record ts (s)


def build_app(settings: Settings, stage: str = "all") -> faust.App:
    stages: tuple[str, ...] = STAGES if stage == "all" else (stage,)
    for s in stages:
        if s not in STAGE_IO:
            raise SystemExit(f"unknown stage {s!r} (choose from {', '.join(STAGES)} or all)")
    faust_patch.apply(settings.fetch_max_wait_ms)
    data_dir = settings.data_dir or tempfile.mkdtemp(prefix="winnow-faust-")
    max_bytes = largest_message_bytes(settings.max_message_bytes)
    app = faust.App(
        f"{settings.app_id}-{stage}",
        broker=[f"kafka://{b}" for b in settings.bootstrap_servers],
        broker_credentials=_credentials(settings),
        store="memory://",
        datadir=data_dir,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=False,
        topic_disable_leader=True,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_commit_interval=settings.commit_interval_s,
        broker_request_timeout=max(30.0, settings.session_timeout_s + 5),
        stream_wait_empty=False,
        stream_publish_on_commit=False,
        producer_linger=settings.producer_linger_ms / 1000.0,
        producer_max_batch_size=1024 * 1024,
        producer_max_request_size=max_bytes,
        consumer_max_fetch_size=max_bytes,
        producer_acks=-1,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
    )
    state = WorkerState()
    runner_store: dict[str, Any] | Any = {}
    if "strip" in stages:
        # Keys are site names as str (bytes keys break changelog recovery), values
        # the JSON profiles of workers.core.stages.templates.
        schema = faust.Schema(key_type=str, value_type=None, key_serializer="json", value_serializer="json")
        runner_store = app.Table(
            "site-templates",
            default=None,
            partitions=settings.partitions,
            schema=schema,
            changelog_topic=app.topic(SITE_TEMPLATES_CHANGELOG.name, partitions=settings.partitions,
                                      schema=schema, compacting=True),
        )
    runner = StageRunner(settings, profile_store=runner_store)
    # Imports and models load before the first record, not inside its time budget.
    log.info("stages warmed up in %.2f s", runner.warm_up())
    M.init_labels(stages, settings.partitions)

    topics = {t.name: app.topic(t.name, key_type=bytes, value_type=bytes, partitions=settings.partitions,
                                internal=False) for t in TOPICS if not t.internal}

    def make_agent(stage_name: str):
        src, _outs = STAGE_IO[stage_name]

        async def agent(stream):
            async for event in stream.events():
                msg = event.message
                M.records_in_flight.labels(stage_name).inc()
                try:
                    ingest_ms = _header_ms(event.headers)
                    if ingest_ms is None:
                        ingest_ms = (msg.timestamp or time.time()) * 1000.0
                    try:
                        outcome = runner.handle(stage_name, event.value, key=event.key, topic=msg.topic,
                                                partition=msg.partition, offset=msg.offset)
                    except Exception as exc:  # noqa: BLE001 - an escaped error would kill the agent
                        # (Faust acks the record and restarts the agent: the record would be lost).
                        log.error("%s: unexpected %s handling %s[%s]@%s; dead-lettered", stage_name,
                                  type(exc).__name__, msg.topic, msg.partition, msg.offset)
                        outcome = runner.dead_letter(stage_name, "internal_error", f"{type(exc).__name__}: {exc}",
                                                     event.value, key=event.key, topic=msg.topic,
                                                     partition=msg.partition, offset=msg.offset)
                    headers = {INGEST_HEADER: str(int(ingest_ms)).encode()}
                    for out in outcome.outputs:
                        await topics[out.topic].send(key=out.key.encode("utf-8"), value=out.value,
                                                     headers=headers)
                    now = time.time()
                    if outcome.outputs and outcome.dead_letter is None:
                        M.e2e_latency_seconds.labels(stage_name).observe(max(0.0, now - ingest_ms / 1000.0))
                    M.last_processed.labels(stage_name).set(now)
                    state.last_ts[(msg.topic, msg.partition)] = msg.timestamp or now
                finally:
                    M.records_in_flight.labels(stage_name).dec()

        agent.__name__ = f"{stage_name}_agent"
        return app.agent(topics[src.name], name=f"winnow.{stage_name}")(agent)

    for s in stages:
        make_agent(s)

    monitor = LagMonitor(settings, group_id=app.conf.id, stages=stages, state=state)

    @app.task
    async def _lag_loop():  # runs for the worker's lifetime
        await monitor.run()

    @app.timer(interval=max(1.0, settings.lag_interval_s))
    async def _table_size():
        if "strip" in stages:
            sites, entries = runner.profiles.sizes()
            M.site_templates_sites.set(sites)
            M.site_templates_entries.set(entries)

    @app.on_partitions_assigned.connect
    async def _assigned(sender, assigned, **kwargs):
        state.assigned = set(assigned)
        ready = 1 if assigned else 0
        for s in stages:
            M.worker_ready.labels(s).set(ready)

    @app.on_partitions_revoked.connect
    async def _revoked(sender, revoked, **kwargs):
        state.assigned = set()
        for s in stages:
            M.worker_ready.labels(s).set(0)

    @app.page("/metrics")
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(generate_latest(), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Request) -> Response:
            ok = monitor.broker_ok
            body = {"status": "ok" if ok else "broker-unreachable", "stages": list(stages),
                    "broker_up": ok, "last_broker_error": monitor.last_error}
            return self.json(body, status=200 if ok else 503)

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            input_topics = {STAGE_IO[s][0].name for s in stages}
            consuming = sorted(f"{tp.topic}:{tp.partition}" for tp in state.assigned if tp.topic in input_topics)
            ok = bool(consuming) and monitor.broker_ok
            return self.json({"ready": ok, "assigned": consuming}, status=200 if ok else 503)

    return app


_CONTENT_LOGGING_LIBRARIES = ("faust", "aiokafka", "mode", "kafka")


def _hard_exit_later(grace_s: float) -> None:
    def kill_later():
        time.sleep(grace_s)
        os._exit(0)

    threading.Thread(target=kill_later, name="winnow-shutdown-guard", daemon=True).start()


async def wait_for_broker(settings: Settings) -> None:
    """Block until the broker answers, retrying with backoff (up to 5 s apart) and
    saying so on stderr at each attempt: a worker started before its broker waits
    for it instead of dying."""
    def say(attempt: int, pause: float, exc: BaseException) -> None:
        print(f"winnow worker: broker {settings.broker} not reachable yet ({type(exc).__name__}); "
              f"retrying in {pause:.1f} s (attempt {attempt})", file=sys.stderr, flush=True)

    quiet = logging.getLogger("aiokafka")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its own line per failed attempt would repeat ours
    try:
        admin = await start_client(lambda: admin_client(settings), settings, timeout_s=float("inf"), on_retry=say)
        await admin.close()
    finally:
        quiet.setLevel(level)


def run_worker(settings: Settings, stage: str = "all") -> None:
    level = getattr(logging, settings.log_level.upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # At DEBUG, faust.topics and aiokafka log every key and value they send or fetch:
    # document content must never reach the log, so the libraries stay at INFO or above.
    for name in _CONTENT_LOGGING_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    asyncio.run(wait_for_broker(settings))
    app = build_app(settings, stage)
    from faust.worker import Worker

    class GuardedWorker(Worker):
        """Bound shutdown: if the worker is still alive ``shutdown_grace_s`` after the
        first SIGTERM/SIGINT (a known Faust hang), exit hard. Offsets of finished
        records were committed by then, or the records are re-delivered."""

        def _install_signal_handlers_unix(self) -> None:
            super()._install_signal_handlers_unix()
            # SIGHUP (terminal closed, some supervisors) stops cleanly like SIGTERM.
            self.loop.add_signal_handler(signal.SIGHUP, self._on_sigterm)

        def _schedule_shutdown(self, sig):  # noqa: D401 - mode hook
            if not self._signal_stop_time:
                _hard_exit_later(settings.shutdown_grace_s)
            super()._schedule_shutdown(sig)

    worker = GuardedWorker(app, loglevel=settings.log_level.lower(), quiet=True, redirect_stdouts=False,
                           override_logging=False)
    worker.execute_from_commandline()
