"""The transport ceiling: a bare aiokafka pass-through, no processing, no Faust.

    python bench/passthrough.py --broker HOST:PORT --src documents.raw --dst bench.passthrough

Reads every partition of ``--src`` from its current end (no consumer group) and
writes each record unchanged (key, value, headers, same partition) to ``--dst``;
after each fetched batch it waits for the broker's acknowledgement of every record
sent for it, the at-least-once discipline a real forwarder (and Faust's
``stream_publish_on_commit``) follows. Prints ``ready`` once its positions are
resolved, then runs until SIGTERM. ``bench/bench.py`` starts it as a subprocess so
it costs a process of its own, exactly like a worker.
"""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def run(broker: str, src: str, dst: str, partitions: int, max_bytes: int, fetch_wait_ms: int,
              linger_ms: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, group_id=None, enable_auto_commit=False,
                                max_partition_fetch_bytes=max_bytes, fetch_max_bytes=max_bytes * 2,
                                fetch_max_wait_ms=fetch_wait_ms)
    producer = AIOKafkaProducer(bootstrap_servers=broker, linger_ms=linger_ms, acks="all",
                                max_request_size=max_bytes, max_batch_size=1024 * 1024)
    await consumer.start()
    await producer.start()
    try:
        tps = [TopicPartition(src, p) for p in range(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        for tp in tps:
            await consumer.position(tp)
        print("ready", flush=True)
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100, max_records=1000)
            futures = []
            for tp, msgs in batch.items():
                for m in msgs:
                    futures.append(await producer.send(dst, value=m.value, key=m.key, partition=m.partition,
                                                       headers=list(m.headers or ())))
            if futures:
                await asyncio.gather(*futures)
    finally:
        await producer.stop()
        await consumer.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--broker", required=True)
    p.add_argument("--src", default="documents.raw")
    p.add_argument("--dst", default="bench.passthrough")
    p.add_argument("--partitions", type=int, default=4)
    p.add_argument("--max-bytes", type=int, default=8 * 1024 * 1024)
    p.add_argument("--fetch-wait-ms", type=int, default=100, help="same default as the workers")
    p.add_argument("--linger-ms", type=int, default=5, help="same default as the workers")
    a = p.parse_args(argv)
    asyncio.run(run(a.broker, a.src, a.dst, a.partitions, a.max_bytes, a.fetch_wait_ms, a.linger_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
