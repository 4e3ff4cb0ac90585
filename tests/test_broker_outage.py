"""Broker trouble: the broker stops for ~10 s and comes back on the same port (memory
storage: empty, so the topics are applied again). The worker keeps running, reports
the outage (/healthz 503, winnow_broker_up 0), recovers (200, 1) and processes new
documents afterwards."""
from __future__ import annotations

import json
import re
import time

import pytest

from workers.shell.admin import apply_topics_sync

pytestmark = pytest.mark.broker

OUTAGE_S = 10.0


def docs(prefix: str, n: int) -> list[dict]:
    return [{"id": f"{prefix}-{i}", "url": f"https://outage{i % 3}.example/{prefix}/{i}",
             "content": f"Title {prefix} {i}\n\nSome body text number {i} about the harbour and the ferry.\n"}
            for i in range(n)]


def broker_up(w) -> float | None:
    try:
        status, body = w.get("/metrics", timeout=2)
    except OSError:
        return None
    m = re.search(r"^winnow_broker_up ([0-9.]+)$", body.decode(), re.M)
    return float(m.group(1)) if m else None


def health(w) -> int | None:
    try:
        return w.get("/healthz", timeout=2)[0]
    except OSError:
        return None


def wait_for(pred, timeout: float, step: float = 0.25) -> float | None:
    """Seconds until pred() is true, or None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return time.monotonic() - t0
        time.sleep(step)
    return None


def test_worker_survives_broker_outage(kafka):
    w = kafka.worker("all", WINNOW_LAG_INTERVAL_S="0.5")
    assert w.wait_ready(90)
    before = docs("before", 5)
    kafka.produce_records(before)
    assert len(kafka.consume("documents.enriched", count=5, timeout=60)) == 5
    assert wait_for(lambda: health(w) == 200 and broker_up(w) == 1.0, 30) is not None

    port = kafka.broker.port
    kafka.broker.stop()
    stopped_at = time.monotonic()
    detected = wait_for(lambda: health(w) == 503 and broker_up(w) == 0.0, 30)
    assert detected is not None, f"outage not reported: /healthz {health(w)}, broker_up {broker_up(w)}"
    status, body = w.get("/healthz", timeout=2)
    assert status == 503 and json.loads(body)["broker_up"] is False
    while time.monotonic() - stopped_at < OUTAGE_S:  # the worker keeps running through the outage
        assert w.alive(), "worker exited during the broker outage"
        assert health(w) == 503
        time.sleep(0.5)

    kafka.broker.start()
    assert kafka.broker.port == port
    restarted_at = time.monotonic()
    report = apply_topics_sync(kafka.settings)  # memory storage: the topics are gone
    assert report.success, report.mismatched
    healthy = wait_for(lambda: health(w) == 200 and broker_up(w) == 1.0, 60)
    assert healthy is not None, f"not healthy after the outage: /healthz {health(w)}, broker_up {broker_up(w)}"

    after = docs("after", 5)
    kafka.produce_records(after)
    got = kafka.consume("documents.enriched", count=5, timeout=120)
    processed_at = time.monotonic()
    assert sorted(k for k, _, _ in got) == sorted(d["id"] for d in after)
    assert w.alive()
    print(f"\noutage: reported after {detected:.1f} s, healthy {healthy:.1f} s after the broker restart, "
          f"new documents enriched {processed_at - restarted_at:.1f} s after the restart")
