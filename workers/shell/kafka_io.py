"""Producing to and consuming from the topics (the ``produce``/``consume``/``run`` commands).

Records are keyed by document id. ``produce`` picks the partition from the
document's site (host, else source), so every page of a site goes to one partition
in order: the strip stage's site-template table then sees a site's pages in the
order they were produced, as the offline mode does.
"""
from __future__ import annotations

import asyncio
import time
import zlib
from typing import AsyncIterator, Callable, Iterable

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from topics import RAW, largest_message_bytes
from workers.shell.admin import existing_topics
from workers.shell.connect import start_client
from workers.settings import Settings
from workers.core.stages.ingest import site_key


RECORD_OVERHEAD = 1024  # record batch and record headers, key, our header: margin under the message limit


class TopicMissing(Exception):
    pass


def partition_for(value: bytes, partitions: int) -> int:
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        obj = None
    if isinstance(obj, dict):
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        source = obj.get("source") if isinstance(obj.get("source"), str) else None
        basis = site_key(url, source).encode()
    else:
        basis = value[:256]
    return zlib.crc32(basis) % partitions


def producer(settings: Settings) -> AIOKafkaProducer:
    max_bytes = largest_message_bytes(settings.max_message_bytes)
    return AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=max_bytes,
                            linger_ms=settings.producer_linger_ms, acks="all",
                            **settings.kafka_security_kwargs())


def _consumer(settings: Settings) -> AIOKafkaConsumer:
    max_bytes = largest_message_bytes(settings.max_message_bytes)
    return AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None, enable_auto_commit=False,
                            max_partition_fetch_bytes=max_bytes, fetch_max_bytes=max_bytes * 2,
                            fetch_max_wait_ms=100, **settings.kafka_security_kwargs())


async def require_topics(settings: Settings, names: Iterable[str]) -> None:
    present = await existing_topics(settings)
    missing = [n for n in names if n not in present]
    if missing:
        raise TopicMissing(f"topic(s) {', '.join(missing)} do not exist on {settings.broker}: "
                           f"run `winnow topics apply --broker {settings.broker}` first")


async def produce(settings: Settings, items: Iterable[tuple[str | None, bytes]], topic: str = RAW.name,
                  on_sent=None) -> int:
    """Send ``(key, value)`` pairs; returns the count. Waits for every acknowledgement."""
    await require_topics(settings, [topic])
    prod = await start_client(lambda: producer(settings), settings)
    count = 0
    try:
        partitions = len(await prod.partitions_for(topic))  # the topic's own count, from metadata
        pending = []
        for key, value in items:
            part = partition_for(value, partitions)
            fut = await prod.send(topic, value=value, key=key.encode() if key else None, partition=part)
            pending.append(fut)
            count += 1
            if on_sent:
                on_sent(len(value))
            if len(pending) >= 500:
                await asyncio.gather(*pending)
                pending.clear()
        if pending:
            await asyncio.gather(*pending)
    finally:
        await prod.stop()
    return count


async def consume(settings: Settings, topic: str, *, from_beginning: bool = True, limit: int | None = None,
                  timeout: float | None = 10.0, on_ready: Callable[[int], None] | None = None) -> AsyncIterator[tuple[str | None, bytes, dict]]:
    """Yield ``(key, value, info)`` from every partition of ``topic`` (read from the
    broker's metadata; no consumer group). Without ``from_beginning``, only records
    produced after the call. Stops after ``limit`` records or ``timeout`` seconds
    without a record."""
    await require_topics(settings, [topic])
    started_ms = time.time() * 1000.0
    c = await start_client(lambda: _consumer(settings), settings)
    try:
        await c.topics()  # loads the metadata
        tps = [TopicPartition(topic, p) for p in sorted(c.partitions_for_topic(topic) or ())]
        c.assign(tps)
        if from_beginning:
            await c.seek_to_beginning(*tps)
            skip_older_ms = None
        else:
            # Kafka's end offset is where new records start. Some brokers (Tansu 0.6)
            # report the base offset of the last record batch + 1 instead: records of
            # that batch still follow, so records read right after the seek that were
            # produced before this call (by their timestamp) are skipped.
            await c.seek_to_end(*tps)
            skip_older_ms = started_ms
        if on_ready is not None:
            on_ready(len(tps))  # positioned: records produced from now on will be read
        n = 0
        last = time.monotonic()
        while limit is None or n < limit:
            batch = await c.getmany(timeout_ms=200, max_records=500)
            got = False
            for tp, msgs in batch.items():
                for m in msgs:
                    got = True
                    if skip_older_ms is not None and m.timestamp is not None and m.timestamp < skip_older_ms:
                        continue
                    n += 1
                    info = {"topic": m.topic, "partition": m.partition, "offset": m.offset,
                            "timestamp": m.timestamp, "headers": {k: v.decode("utf-8", "replace")
                                                                  for k, v in (m.headers or ())}}
                    yield (m.key.decode("utf-8", "replace") if m.key else None), m.value, info
                    if limit is not None and n >= limit:
                        return
            if got:
                last = time.monotonic()
            else:
                skip_older_ms = None  # caught up with what was there before the call
                if timeout is not None and time.monotonic() - last > timeout:
                    return
    finally:
        await c.stop()
