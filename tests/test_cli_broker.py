"""The CLI against a real embedded broker: topics apply, produce, consume, run."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from workers.shell.broker import EmbeddedBroker

pytestmark = pytest.mark.broker
REPO = Path(__file__).resolve().parents[1]


def _winnow(*args, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workers.cli.main", *args], capture_output=True, cwd=REPO,
                          timeout=timeout, **kw)


def test_topics_apply_is_idempotent_and_reports_mismatches(tmp_path):
    with EmbeddedBroker(log_path=str(tmp_path / "b.log")) as b:
        # A topic created by someone else with the wrong partition count.
        async def precreate():
            admin = AIOKafkaAdminClient(bootstrap_servers=b.bootstrap)
            await admin.start()
            try:
                await admin.create_topics([NewTopic("documents.enriched", num_partitions=2, replication_factor=1)])
            finally:
                await admin.close()

        asyncio.run(precreate())
        first = _winnow("topics", "apply", "--broker", b.bootstrap)
        assert first.returncode == 1
        assert b"MISMATCH documents.enriched: 2 partitions, expected 4" in first.stderr
        assert first.stdout.count(b"created") == 6
        again = _winnow("topics", "apply", "--broker", b.bootstrap)
        assert again.returncode == 1 and b"created" not in again.stdout
        listing = _winnow("topics", "list", "--broker", b.bootstrap)
        assert listing.returncode == 0 and b"documents.raw" in listing.stdout


def test_produce_requires_topics_instead_of_auto_creating(tmp_path):
    sample = REPO / "workers" / "samples" / "harbour-library-reopens.txt"
    with EmbeddedBroker(log_path=str(tmp_path / "b.log")) as b:
        r = _winnow("produce", str(sample), "--broker", b.bootstrap)
        assert r.returncode == 1 and b"winnow topics apply" in r.stderr
        listing = _winnow("topics", "list", "--broker", b.bootstrap)
        assert b"\xe2\x9c\x93" not in listing.stdout  # no topic got auto-created


def test_produce_and_consume_commands(kafka):
    samples = sorted(str(p) for p in (REPO / "workers" / "samples").glob("*.*") if p.suffix != ".py")
    r = _winnow("produce", *samples, "--broker", kafka.bootstrap)
    assert r.returncode == 0, r.stderr
    r = _winnow("consume", "documents.raw", "--from-beginning", "--timeout", "2", "--with-key",
                "--broker", kafka.bootstrap)
    assert r.returncode == 0
    rows = [orjson.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == len(samples)
    for row in rows:
        assert row["key"] == row["value"]["id"]
    r = _winnow("consume", "documents.raw", "--from-beginning", "--limit", "1", "--broker", kafka.bootstrap)
    assert len(r.stdout.splitlines()) == 1


def test_run_main_job_on_samples():
    samples = sorted(str(p) for p in (REPO / "workers" / "samples").glob("*.*") if p.suffix != ".py")
    r = _winnow("run", "--one-process", *samples, timeout=240)
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert f"■ {len(samples)} documents enriched" in out
    # the services are stopped when the summary ends: no URLs of stopped services
    assert "/metrics" not in out and "broker and workers stopped" in out
    # Every sample's summary is printed with its title line.
    assert out.count("━━ ") == len(samples)
