"""Produce and consume for the Kafka benchmark (``bench/kafkabench.py``): a harness that
sends documents to ``documents.raw`` in bursts or at a paced rate and times their arrival on
the output topic (and on the intermediate topics), plus the /proc readings of processes."""
from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from topics import largest_message_bytes
from workers.shell.agents import INGEST_HEADER
from workers.shell.kafka_io import partition_for
from workers.settings import Settings

CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- /proc readings ------------------------------------------------------------------

def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (seconds), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def mem_status(pid: int) -> dict[str, float]:
    """VmHWM (peak RSS) and VmRSS in MB, from /proc/<pid>/status."""
    out: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0]) / 1024.0
    except OSError:
        pass
    return out


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(q / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def parse_metric(text: str, name: str) -> float | None:
    m = re.search(rf"^{re.escape(name)}(?:\{{[^}}]*\}})? ([0-9.eE+-]+)$", text, re.M)
    return float(m.group(1)) if m else None


# --- produce / consume ---------------------------------------------------------------

def _max_bytes(settings: Settings) -> int:
    return largest_message_bytes(settings.max_message_bytes)


async def _create_scratch_topic(settings: Settings, name: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=10000)
    await admin.start()
    try:
        if name not in set(await admin.list_topics()):
            await admin.create_topics([NewTopic(name=name, num_partitions=settings.partitions,
                                                replication_factor=settings.replication_factor)])
    finally:
        await admin.close()


@dataclass
class Flow:
    sent: int = 0
    received: int = 0
    first_send: float | None = None
    last_send: float | None = None
    last_receive: float | None = None
    latencies: list[float] = field(default_factory=list)
    timed_out: bool = False
    ignored: int = 0
    hops: dict[str, list[float]] = field(default_factory=dict)  # intermediate topic -> latencies

    @property
    def throughput(self) -> float | None:
        if not self.received or self.first_send is None or self.last_receive is None:
            return None
        return self.received / max(1e-9, self.last_receive - self.first_send)


def _ingest_ms(m) -> float:
    """The raw record's produce time (ms) a worker carried along, else the Kafka timestamp."""
    for k, v in m.headers or ():
        if k == INGEST_HEADER:
            try:
                return float(v.decode())
            except ValueError:
                break
    return float(m.timestamp)


class Harness:
    """Producer to documents.raw and consumer of the output topic, in this process."""

    def __init__(self, settings: Settings, out_topic: str, hop_topics: Sequence[str] = ()):
        self.settings = settings
        self.out_topic = out_topic
        self.hop_topics = tuple(hop_topics)
        mb = _max_bytes(settings)
        self.producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=5, acks="all",
                                         max_request_size=mb, max_batch_size=1024 * 1024)
        # A short fetch wait so the harness adds little to the measured latency.
        self.consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None,
                                         enable_auto_commit=False, max_partition_fetch_bytes=mb,
                                         fetch_max_bytes=mb * 2, fetch_max_wait_ms=10)

    async def start(self) -> None:
        await self.producer.start()
        await self.consumer.start()
        self.tps = [TopicPartition(t, p) for t in (self.out_topic, *self.hop_topics)
                    for p in range(self.settings.partitions)]
        self.consumer.assign(self.tps)

    async def stop(self) -> None:
        await self.producer.stop()
        await self.consumer.stop()

    async def _at_end(self) -> None:
        await self.consumer.seek_to_end(*self.tps)
        for tp in self.tps:
            await self.consumer.position(tp)

    async def _send(self, key: str, value: bytes) -> Any:
        now = time.time()
        ms = int(now * 1000)
        return await self.producer.send("documents.raw", value=value, key=key.encode(),
                                        partition=partition_for(value, self.settings.partitions),
                                        timestamp_ms=ms, headers=[(INGEST_HEADER, str(ms).encode())])

    async def _receive(self, flow: Flow, items: list[tuple[str, bytes]], idle_timeout: float) -> None:
        """Count each expected key once. Anything else (a record of an earlier burst
        still in flight, a redelivery) is ignored, so it cannot skew counts or latency."""
        pending = {k.encode() for k, _ in items}
        ours = frozenset(pending)
        expected = len(pending)
        last_progress = time.monotonic()
        while flow.received < expected:
            batch = await self.consumer.getmany(timeout_ms=100, max_records=2000)
            now = time.time()
            got = 0
            for msgs in batch.values():
                for m in msgs:
                    if m.topic != self.out_topic:
                        if m.key in ours:
                            flow.hops.setdefault(m.topic, []).append(max(0.0, now - _ingest_ms(m) / 1000.0))
                        continue
                    if m.key not in pending:
                        flow.ignored += 1
                        continue
                    pending.discard(m.key)
                    got += 1
                    flow.latencies.append(max(0.0, now - _ingest_ms(m) / 1000.0))
            if got:
                flow.received += got
                flow.last_receive = now
                last_progress = time.monotonic()
            elif time.monotonic() - last_progress > idle_timeout:
                flow.timed_out = True
                return

    async def burst(self, items: list[tuple[str, bytes]], idle_timeout: float = 30.0) -> Flow:
        """Send every item as fast as possible; wait until as many outputs arrived."""
        await self._at_end()
        flow = Flow()
        recv = asyncio.create_task(self._receive(flow, items, idle_timeout))
        flow.first_send = time.time()
        futures = []
        for key, value in items:
            futures.append(await self._send(key, value))
            if len(futures) >= 1000:
                await asyncio.gather(*futures)
                futures.clear()
        await asyncio.gather(*futures)
        flow.sent = len(items)
        flow.last_send = time.time()
        await recv
        return flow

    async def paced(self, items: list[tuple[str, bytes]], rate: float, idle_timeout: float = 30.0) -> Flow:
        """Offer the items at ``rate`` per second (paced in 5 ms ticks)."""
        await self._at_end()
        flow = Flow()
        recv = asyncio.create_task(self._receive(flow, items, idle_timeout))
        t0 = time.monotonic()
        flow.first_send = time.time()
        futures = []
        i = 0
        while i < len(items):
            due = min(len(items), int((time.monotonic() - t0) * rate) + 1)
            while i < due:
                key, value = items[i]
                futures.append(await self._send(key, value))
                i += 1
            await asyncio.sleep(0.005)
        await asyncio.gather(*futures)
        flow.sent = len(items)
        flow.last_send = time.time()
        await recv
        return flow


def tag_items(values: list[tuple[str, bytes]], tag: str, n: int) -> list[tuple[str, bytes]]:
    """``n`` records cycled from ``values`` with fresh, unique ids (``<id>~<tag>~<i>``)."""
    out = []
    for i in range(n):
        key, value = values[i % len(values)]
        obj = orjson.loads(value)
        obj["id"] = f"{key}~{tag}~{i}"
        out.append((obj["id"], orjson.dumps(obj)))
    return out
