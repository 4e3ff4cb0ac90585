"""No loss on a crash: SIGKILL the worker in the middle of a stream, start it again
(same consumer group), SIGKILL the new one later, start it again, and every input id
reaches documents.enriched. Duplicates are allowed (at-least-once) and must be
byte-identical with the same key. (`make crash-test` does this at random points, 20
times per mode, half of them under a CPU hog.)"""
from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict

import orjson
import pytest

from workers.samples.synthetic import synthetic_documents
from workers.shell.kafka_io import consume

pytestmark = pytest.mark.broker

N_DOCS = 2400
KILL_AT = (N_DOCS // 8, N_DOCS // 2)  # enriched records when the first and the second SIGKILL land


def enriched_count(settings) -> int:
    """Records on documents.enriched, counted by reading them (Tansu's ListOffsets
    under-reports the end offset: base offset of the last batch + 1)."""
    async def go():
        return sum([1 async for _ in consume(settings, "documents.enriched", timeout=0.3)])

    return asyncio.run(go())


def read_all(settings, topic: str) -> list[tuple[str | None, bytes]]:
    async def go():
        return [(k, v) async for k, v, _ in consume(settings, topic, timeout=1.5)]

    return asyncio.run(go())


def test_sigkill_mid_stream_loses_nothing(kafka):
    docs = synthetic_documents(N_DOCS)
    sizes = [len(orjson.dumps(d)) for d in docs]
    assert 150 <= min(sizes) and max(sizes) <= 1200, (min(sizes), max(sizes))

    w = kafka.worker("all")
    assert w.wait_ready(90), "worker did not become ready"

    # a stream, not a batch: the inputs arrive over several seconds (and keep arriving
    # while the worker is dead)
    def produce_stream():
        for i in range(0, N_DOCS, 100):
            kafka.produce_records(docs[i:i + 100])
            time.sleep(0.3)

    producer = threading.Thread(target=produce_stream, name="crash-test-producer")
    producer.start()
    at_kill = []
    try:
        for kill_at in KILL_AT:
            # kill once some but not all enriched outputs exist (the second time, the
            # restarted worker, after it rejoined and made progress)
            seen = kafka.consume("documents.enriched", count=kill_at, timeout=180)
            assert len(seen) == kill_at
            w.kill()  # SIGKILL to the process group
            killed_at = time.monotonic()
            at_kill.append(enriched_count(kafka.settings))
            assert 0 < at_kill[-1] < N_DOCS, f"kill was not mid-stream: {at_kill[-1]} of {N_DOCS} enriched"
            # restart the same group (winnow-all): it rejoins once the dead member's session expires
            w = kafka.worker("all")
            restarted_at = time.monotonic()
    finally:
        producer.join(120)

    want = {d["id"] for d in docs}
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if {k for k, _ in read_all(kafka.settings, "documents.enriched")} >= want:
            break
        time.sleep(1.0)
    recovered_at = time.monotonic()

    records = read_all(kafka.settings, "documents.enriched")
    by_key: dict[str, list[bytes]] = defaultdict(list)
    for key, value in records:
        by_key[key].append(value)
    missing = want - set(by_key)
    assert not missing, f"{len(missing)} ids lost, e.g. {sorted(missing)[:5]}"
    assert set(by_key) == want
    duplicates = len(records) - len(by_key)
    for key, values in by_key.items():
        assert len(set(values)) == 1, f"duplicates of {key} differ"
        assert orjson.loads(values[0])["id"] == key
    assert read_all(kafka.settings, "documents.dead-letter") == []
    assert w.alive()
    print(f"\ncrash test: N={N_DOCS}, enriched at the kills={at_kill}, records after restart={len(records)}, "
          f"duplicates={duplicates}, restart->all enriched={recovered_at - restarted_at:.1f} s "
          f"(kill->all enriched {recovered_at - killed_at:.1f} s)")
