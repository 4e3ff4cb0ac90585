"""Shared fixtures: a real embedded Kafka-protocol broker (Tansu) per test, worker
subprocesses, and produce/consume helpers. Nothing here mocks Kafka."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Callable, Iterable

import orjson
import pytest

from workers.shell.admin import apply_topics_sync
from workers.shell.broker import EmbeddedBroker
from workers.shell.procs import WorkerProcess
from workers.settings import Settings, from_env

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_or_skip() -> Path:
    if not (CORPUS / "seed").is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


def gold_cases() -> list[dict]:
    """Seed + text-dev gold cases (input and expected), in file order."""
    root = corpus_or_skip()
    files = [root / "seed" / "southfront-ghouta.json", *sorted((root / "text-dev").glob("*.json"))]
    return [json.loads(f.read_text()) for f in files]


def deploy_static_helpers():
    """tests/test_deploy_static.py, imported once by path: its PromQL and config helpers
    are shared by the promtool and real-Prometheus tests."""
    import importlib.util
    import sys

    name = "_winnow_test_deploy_static"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("test_deploy_static.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


class Kafka:
    """Handle on a running embedded broker with the topics applied."""

    def __init__(self, broker: EmbeddedBroker, settings: Settings, tmp: Path):
        self.broker = broker
        self.settings = settings
        self.tmp = tmp

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap

    def produce(self, items: Iterable[tuple[str | None, bytes]]) -> int:
        from workers.shell.kafka_io import produce

        return asyncio.run(produce(self.settings, list(items)))

    def produce_records(self, records: Iterable[dict]) -> int:
        from workers.core.stages.ingest import derive_id

        items = []
        for r in records:
            key = r.get("id") or derive_id(r.get("url"), r["content"])
            items.append((key, orjson.dumps(r)))
        return self.produce(items)

    def consume(self, topic: str, *, count: int | None = None, timeout: float = 60.0,
                until: Callable[[list], bool] | None = None, idle: float | None = None) -> list[tuple]:
        """Read ``topic`` from the beginning until ``count`` records, ``until(records)``
        is true, or ``timeout`` seconds pass. Returns ``(key, value_obj, info)``."""
        from workers.shell.kafka_io import consume

        async def go():
            import time

            out: list[tuple] = []
            deadline = time.monotonic() + timeout
            while True:
                out.clear()
                async for key, value, info in consume(self.settings, topic, from_beginning=True,
                                                      timeout=idle or 1.0):
                    out.append((key, orjson.loads(value), info))
                    if count is not None and len(out) >= count:
                        return list(out)
                if until is not None and until(out):
                    return list(out)
                if count is None and until is None:
                    return list(out)
                if time.monotonic() > deadline:
                    return list(out)

        return asyncio.run(go())

    def worker(self, stage: str = "all", **env: str) -> WorkerProcess:
        log = self.tmp / f"worker-{stage}-{len(list(self.tmp.glob('worker-*.log')))}.log"
        w = WorkerProcess(stage=stage, broker=self.bootstrap, env=dict(env), log_path=str(log))
        _started.append(w)
        return w.start()


_started: list[WorkerProcess] = []


@pytest.fixture
def kafka(tmp_path: Path):
    """A fresh embedded broker on a free 127.0.0.1 port with every topic applied;
    stopped (with every worker started through it) at teardown."""
    broker = EmbeddedBroker(log_path=str(tmp_path / "broker.log")).start()
    try:
        settings = from_env(broker=broker.bootstrap)
        report = apply_topics_sync(settings)
        assert report.success, report.mismatched
        yield Kafka(broker, settings, tmp_path)
    finally:
        while _started:
            w = _started.pop()
            w.kill()
        broker.stop()


@pytest.fixture
def broker(kafka: Kafka) -> str:
    """Just the bootstrap address ("127.0.0.1:PORT") of a fresh broker with topics applied."""
    return kafka.bootstrap


@pytest.fixture(scope="session", autouse=True)
def no_processes_left_behind():
    """After the whole session, no broker, worker or Prometheus started by a test may
    still run: every test stops what it starts."""
    yield
    import time

    import psutil

    me = psutil.Process()
    deadline = time.monotonic() + 10
    left = []
    while time.monotonic() < deadline:
        left = [p for p in me.children(recursive=True) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not left:
            return
        time.sleep(0.2)
    names = [f"{p.pid}:{' '.join(p.cmdline()[:3])}" for p in left]
    for p in left:
        p.kill()
    pytest.fail(f"tests left processes running: {names}")
