"""Consumer lag, computed (aiokafka exposes none) and the broker's reachability.

Every ``lag_interval_s`` the monitor asks the broker for the end offset of each
partition of the input topics (read from the broker's metadata, so partitions added
later count too) and for the group's committed offset, and sets

- ``winnow_consumer_lag_messages`` = end offset - committed offset (0 when none committed
  and the partition is empty);
- ``winnow_consumer_lag_seconds`` = now - timestamp of the last record this worker
  processed on that partition, while the lag is > 0 (0 when caught up): how far
  behind the stream the group is;
- ``winnow_broker_up`` = 1 when those requests succeed, 0 when they fail; the
  worker's /healthz reports the same.

It uses its own small clients (no group membership), so it keeps working while the
Faust consumer is rebalancing, and it is the worker's probe of the broker.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from workers.core.flow import stage_named
from workers.core import metrics as M
from workers.settings import Settings

log = logging.getLogger("winnow.lag")


class LagMonitor:
    def __init__(self, settings: Settings, group_id: str, stages: tuple[str, ...], state: Any):
        self.settings = settings
        self.group_id = group_id
        self.stages = stages
        self.state = state
        self.broker_ok = False
        self.last_error: str | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._admin: AIOKafkaAdminClient | None = None

    async def _clients(self) -> tuple[AIOKafkaConsumer, AIOKafkaAdminClient]:
        if self._consumer is None or self._admin is None:
            kw = self.settings.kafka_security_kwargs()
            consumer = AIOKafkaConsumer(bootstrap_servers=self.settings.bootstrap_servers, group_id=None,
                                        enable_auto_commit=False, request_timeout_ms=5000, **kw)
            admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.bootstrap_servers,
                                        request_timeout_ms=5000, **kw)
            try:
                await consumer.start()
                await admin.start()
            except BaseException:
                await self._close(consumer, admin)
                raise
            self._consumer, self._admin = consumer, admin
        return self._consumer, self._admin

    @staticmethod
    async def _close(consumer, admin) -> None:
        for c in (consumer, admin):
            if c is None:
                continue
            try:
                await asyncio.wait_for(c.stop() if hasattr(c, "stop") else c.close(), 3)
            except BaseException:  # noqa: BLE001 - best effort on a broken connection
                pass

    async def poll_once(self) -> dict[tuple[str, int], int]:
        consumer, admin = await self._clients()
        result: dict[tuple[str, int], int] = {}
        now = time.time()
        await consumer.topics()  # refresh the metadata: partitions added since start are counted
        for stage in self.stages:
            src = stage_named(stage).source.name
            # The topic's own partitions (a topic grown past WINNOW_PARTITIONS is consumed
            # whole by Faust, so its lag must be too); the setting only when it is unknown.
            parts = consumer.partitions_for_topic(src) or range(self.settings.partitions)
            tps = [TopicPartition(src, p) for p in sorted(parts)]
            ends = await consumer.end_offsets(tps)
            committed = await admin.list_consumer_group_offsets(self.group_id, partitions=tps)
            for tp in tps:
                end = ends.get(tp, 0) or 0
                meta = committed.get(tp)
                done = meta.offset if meta is not None and meta.offset is not None and meta.offset >= 0 else 0
                lag = max(0, end - done)
                result[(src, tp.partition)] = lag
                M.consumer_lag_messages.labels(stage, src, str(tp.partition)).set(lag)
                if lag > 0:
                    since = self.state.last_ts.get((src, tp.partition), self.state.started)
                    M.consumer_lag_seconds.labels(stage, src, str(tp.partition)).set(max(0.0, now - since))
                else:
                    M.consumer_lag_seconds.labels(stage, src, str(tp.partition)).set(0)
        return result

    async def run(self) -> None:
        interval = max(0.5, self.settings.lag_interval_s)
        while True:
            try:
                await asyncio.wait_for(self.poll_once(), timeout=max(5.0, interval * 2))
                self.broker_ok = True
                self.last_error = None
                M.broker_up.set(1)
            except asyncio.CancelledError:
                await self._close(self._consumer, self._admin)
                raise
            except Exception as exc:  # broker down, timeouts, ...: report and retry
                self.broker_ok = False
                self.last_error = type(exc).__name__
                M.broker_up.set(0)
                log.warning("broker probe failed: %s", type(exc).__name__)
                await self._close(self._consumer, self._admin)
                self._consumer = self._admin = None
            await asyncio.sleep(interval)
