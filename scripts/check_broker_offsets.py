#!/usr/bin/env python3
"""Rules the embedded broker (Tansu 0.6) in or out as a cause of lost records, with
plain aiokafka (no Faust): a committed offset in the middle of a record batch is
resumed exactly, a fetch from the middle of a batch starts at that record, and a
fetch beyond the (under-reported) end offset still returns the records there.

    .venv/bin/python scripts/check_broker_offsets.py
Prints one line per check and exits 1 if any fails. On Tansu 0.6.0 all pass; the
only difference from Kafka is the end offset (ListOffsets latest = base offset of
the last batch + 1), which Winnow does not use for delivery.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # noqa: E402

from workers.shell.broker import EmbeddedBroker  # noqa: E402

TP = TopicPartition("offsets-check", 0)


async def fill(bs: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bs)
    await admin.start()
    await admin.create_topics([NewTopic(TP.topic, 1, 1)])
    await admin.close()
    prod = AIOKafkaProducer(bootstrap_servers=bs, linger_ms=50)
    await prod.start()
    for n in (20, 7):  # two record batches: offsets 0..19 and 20..26
        await asyncio.gather(*[await prod.send(TP.topic, b"v", partition=0) for _ in range(n)])
    await prod.stop()


async def read_from(bs: str, group: str | None, start: int | None) -> list[int]:
    c = AIOKafkaConsumer(bootstrap_servers=bs, group_id=group, enable_auto_commit=False,
                         auto_offset_reset="earliest")
    await c.start()
    try:
        c.assign([TP])
        if start is not None:
            c.seek(TP, start)
        got: list[int] = []
        for _ in range(6):
            got += [m.offset for m in (await c.getmany(timeout_ms=300)).get(TP, [])]
        return got
    finally:
        await c.stop()


async def commit(bs: str, group: str, offset: int) -> None:
    c = AIOKafkaConsumer(bootstrap_servers=bs, group_id=group, enable_auto_commit=False)
    await c.start()
    c.assign([TP])
    await c.commit({TP: offset})
    await c.stop()


async def main(bs: str) -> int:
    await fill(bs)
    failures = 0
    c = AIOKafkaConsumer(bootstrap_servers=bs)
    await c.start()
    end = (await c.end_offsets([TP]))[TP]
    await c.stop()
    print(f"end offset reported: {end} (27 records; Kafka would say 27)")
    for start in (0, 5, 19, 20, 23, 26):
        got = await read_from(bs, None, start)
        ok = got == list(range(start, 27))
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} fetch from {start:2d}: {got[:3]}... {len(got)} records")
    for offset in (5, 20, 23, 26):
        group = f"check-{offset}"
        await commit(bs, group, offset)
        got = await read_from(bs, group, None)
        ok = got == list(range(offset, 27))
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} resume after commit {offset:2d}: {got[:3]}... {len(got)} records")
    return 1 if failures else 0


if __name__ == "__main__":
    with EmbeddedBroker() as broker:
        sys.exit(asyncio.run(main(broker.bootstrap)))
