"""The Faust side: settings -> Faust app (``faust_app``), one thin agent per stage
around ``StageRunner.handle`` (``workers/shell/agents.py``), lag monitor and web views
(``workers/shell/web.py``); ``build_app`` puts them together, ``run_worker`` runs it.

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
import threading
import time
import faust

from topics import TOPICS, largest_message_bytes
from workers.core import metrics as M
from workers.core.flow import FLOW, STAGE_NAMES, Stage
from workers.core.runner import StageRunner
from workers.shell import faust_patch
from workers.shell.admin import admin_client
from workers.shell.agents import WorkerState, add_agent
from workers.shell.connect import start_client
from workers.shell.lag import LagMonitor
from workers.shell.procs import remove_temp_data_dirs, temp_data_dir
from workers.shell.web import add_web_views
from workers.settings import Settings

log = logging.getLogger("winnow.worker")

def _credentials(settings: Settings):
    proto = settings.security_protocol  # normalised to upper case by the settings
    if proto == "PLAINTEXT":
        return None
    ssl_ctx = settings.ssl_context()
    if proto == "SSL":
        return faust.SSLCredentials(ssl_ctx)
    return faust.SASLCredentials(username=settings.sasl_username, password=settings.sasl_password,
                                 ssl_context=ssl_ctx, mechanism=settings.sasl_mechanism)


def faust_app(settings: Settings, stage: str) -> faust.App:
    """Settings -> the Faust app of one stage (or ``all``): group ``<app_id>-<stage>``,
    raw bytes in and out, acks from all replicas, group timings and limits from the
    settings, no topic declaration (``winnow topics apply`` creates them)."""
    max_bytes = largest_message_bytes(settings.max_message_bytes)
    return faust.App(
        f"{settings.app_id}-{stage}",
        broker=[f"kafka://{b}" for b in settings.bootstrap_servers],
        broker_credentials=_credentials(settings),
        store="memory://",
        datadir=settings.data_dir or temp_data_dir(),
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


def state_tables(app: faust.App, settings: Settings, flow: tuple[Stage, ...]) -> dict[str, faust.Table]:
    """Each stateful stage's state as a Faust table, by stage name (the strip stage's
    site templates: changelog ``winnow-site-templates-changelog``). Keys are str (bytes
    keys break changelog recovery), values plain JSON (see workers.core.state)."""
    schema = faust.Schema(key_type=str, value_type=None, key_serializer="json", value_serializer="json")
    return {st.name: app.Table(st.state.table, default=None, partitions=settings.partitions, schema=schema,
                               changelog_topic=app.topic(st.state.changelog.name, partitions=settings.partitions,
                                                         schema=schema, compacting=True))
            for st in flow if st.state is not None}


def add_monitoring(app: faust.App, settings: Settings, stages: tuple[str, ...], state: WorkerState,
                   runner: StageRunner) -> LagMonitor:
    """Lag and broker probe (a task for the worker's lifetime), the stages' state
    size gauges, and readiness from partition assignment."""
    monitor = LagMonitor(settings, group_id=app.conf.id, stages=stages, state=state)

    @app.task
    async def _lag_loop():
        await monitor.run()

    @app.timer(interval=max(1.0, settings.lag_interval_s))
    async def _table_size():
        runner.measure_states()

    @app.on_partitions_assigned.connect
    async def _assigned(sender, assigned, **kwargs):
        state.assigned = set(assigned)
        state.assignments += 1
        for s in stages:
            M.worker_ready.labels(s).set(1 if assigned else 0)

    @app.on_partitions_revoked.connect
    async def _revoked(sender, revoked, **kwargs):
        state.assigned = set()
        for s in stages:
            M.worker_ready.labels(s).set(0)

    return monitor


def build_app(settings: Settings, stage: str = "all") -> faust.App:
    """The worker's Faust app: the app from the settings, one agent per stage of the
    flow, the lag monitor and the web views."""
    stages: tuple[str, ...] = STAGE_NAMES if stage == "all" else (stage,)
    for s in stages:
        if s not in STAGE_NAMES:
            raise SystemExit(f"unknown stage {s!r} (choose from {', '.join(STAGE_NAMES)} or all)")
    flow = tuple(st for st in FLOW if st.name in stages)
    faust_patch.apply(settings.fetch_max_wait_ms, guarded_topics={st.source.name for st in flow})
    app = faust_app(settings, stage)
    state = WorkerState()
    runner = StageRunner(settings, stores=state_tables(app, settings, flow), flow=flow)
    # Imports and models load before the first record, not inside its time budget.
    log.info("stages warmed up in %.2f s", runner.warm_up())
    M.init_labels(flow, settings.partitions, settings.labeller)
    topics = {t.name: app.topic(t.name, key_type=bytes, value_type=bytes, partitions=settings.partitions,
                                internal=False) for t in TOPICS if not t.internal}
    for s in stages:
        add_agent(app, s, runner, topics, state)
    monitor = add_monitoring(app, settings, stages, state, runner)
    add_web_views(app, stages, state, monitor)
    return app


_CONTENT_LOGGING_LIBRARIES = ("faust", "aiokafka", "mode", "kafka")


def _hard_exit_later(grace_s: float) -> None:
    def kill_later():
        time.sleep(grace_s)
        remove_temp_data_dirs(os.getpid())
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
    try:
        worker.execute_from_commandline()
    finally:
        remove_temp_data_dirs(os.getpid())
