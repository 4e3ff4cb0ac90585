"""The lag monitor reads the input topic's partitions from the broker's metadata: a
topic with more partitions than WINNOW_PARTITIONS (grown after it was created) is
consumed whole by Faust, so its lag is reported whole too, on the real broker."""
from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import NewTopic

from topics import STRIPPED
from workers.shell.admin import admin_client
from workers.shell.agents import WorkerState
from workers.shell.lag import LagMonitor

pytestmark = pytest.mark.broker

WIDER = 6  # partitions of the re-created input topic; the settings say 4


async def _widen_and_fill(settings, counts: dict[int, int]) -> None:
    admin = admin_client(settings)
    await admin.start()
    try:
        await admin.delete_topics([STRIPPED.name])
        await admin.create_topics([NewTopic(STRIPPED.name, num_partitions=WIDER, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    await producer.start()
    try:
        for partition, n in counts.items():
            for i in range(n):  # one batch per record: the embedded broker's end offset counts batches
                await producer.send_and_wait(STRIPPED.name, b"{}", key=f"k{i}".encode(), partition=partition)
    finally:
        await producer.stop()


def test_lag_covers_partitions_beyond_the_setting(kafka):
    assert kafka.settings.partitions < WIDER
    counts = {1: 2, WIDER - 1: 3}
    asyncio.run(_widen_and_fill(kafka.settings, counts))
    monitor = LagMonitor(kafka.settings, group_id="winnow-lag-test", stages=("segment",), state=WorkerState())

    async def poll():
        try:
            return await monitor.poll_once()
        finally:
            await monitor._close(monitor._consumer, monitor._admin)

    lag = asyncio.run(poll())
    assert sorted(p for t, p in lag if t == STRIPPED.name) == list(range(WIDER))
    assert {p: n for (t, p), n in lag.items() if n} == counts
