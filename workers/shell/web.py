"""The worker's HTTP endpoints (Faust's web server, bound to WINNOW_WEB_HOST):
``/metrics`` (Prometheus), ``/healthz`` (200 while the broker answers the lag probe,
503 otherwise) and ``/readyz`` (200 once the worker consumes partitions of its input
topics; ``assignments`` counts the partition assignments received, one per group join)."""
from __future__ import annotations

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from workers.core.flow import stage_named
from workers.shell.agents import WorkerState
from workers.shell.lag import LagMonitor


def add_web_views(app: faust.App, stages: tuple[str, ...], state: WorkerState, monitor: LagMonitor) -> None:
    input_topics = {stage_named(s).source.name for s in stages}

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
            consuming = sorted(f"{tp.topic}:{tp.partition}" for tp in state.assigned if tp.topic in input_topics)
            ok = bool(consuming) and monitor.broker_ok
            return self.json({"ready": ok, "assigned": consuming, "assignments": state.assignments},
                             status=200 if ok else 503)
