"""One thin Faust agent per stage around ``StageRunner.handle``: read raw bytes, run
the stage, send every output keyed by document id, then (by returning to the
stream) acknowledge the input. Nothing here decides what a record becomes."""
from __future__ import annotations

import logging
import time
from typing import Any, Iterable

import faust

from workers.core import metrics as M
from workers.core.flow import stage_named
from workers.core.runner import StageRunner
from workers.shell import faust_patch

log = logging.getLogger("winnow.worker")

INGEST_HEADER = "winnow-ingest-ms"  # produce time (ms) of the raw record, carried along the flow


class WorkerState:
    """What the health endpoints and the lag monitor need to know."""

    def __init__(self):
        self.started = time.time()
        self.assigned: set = set()
        # Partition assignments received so far (one per group join or rebalance): a
        # client waiting for the worker to re-join its group watches it grow (/readyz).
        self.assignments = 0
        self.last_ts: dict[tuple[str, int], float] = {}  # (topic, partition) -> last processed record ts (s)


def header_ms(headers: Any) -> float | None:
    """The ``winnow-ingest-ms`` header of a record, in ms, or None."""
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


def _outcome(runner: StageRunner, stage: str, event: Any):
    msg = event.message
    try:
        return runner.handle(stage, event.value, key=event.key, topic=msg.topic, partition=msg.partition,
                             offset=msg.offset)
    except Exception as exc:  # noqa: BLE001 - an escaped error would kill the agent
        # (Faust acks the record and restarts the agent: the record would be lost).
        log.error("%s: unexpected %s handling %s[%s]@%s; dead-lettered", stage, type(exc).__name__, msg.topic,
                  msg.partition, msg.offset)
        return runner.dead_letter(stage, "internal_error", f"{type(exc).__name__}: {exc}", event.value,
                                  key=event.key, topic=msg.topic, partition=msg.partition, offset=msg.offset)


def add_agent(app: faust.App, stage: str, runner: StageRunner, topics: dict[str, Any], state: WorkerState):
    """Register the agent of ``stage`` (reading the stage's input topic)."""
    src = stage_named(stage).source

    async def agent(stream):
        async for event in stream.events():
            msg = event.message
            M.records_in_flight.labels(stage).inc()
            try:
                ingest_ms = header_ms(event.headers)
                if ingest_ms is None:
                    ingest_ms = (msg.timestamp or time.time()) * 1000.0
                outcome = _outcome(runner, stage, event)
                headers = {INGEST_HEADER: str(int(ingest_ms)).encode()}
                for out in outcome.outputs:  # sent before this event is acknowledged
                    await topics[out.topic].send(key=out.key.encode("utf-8"), value=out.value, headers=headers)
                faust_patch.mark_handled(msg)  # only now may its offset be committed
                now = time.time()
                if outcome.outputs and outcome.dead_letter is None:
                    M.e2e_latency_seconds.labels(stage).observe(max(0.0, now - ingest_ms / 1000.0))
                M.last_processed.labels(stage).set(now)
                state.last_ts[(msg.topic, msg.partition)] = msg.timestamp or now
            finally:
                M.records_in_flight.labels(stage).dec()

    agent.__name__ = f"{stage}_agent"
    return app.agent(topics[src.name], name=f"winnow.{stage}")(agent)
