"""Topic administration: create the catalogue's topics, idempotently and explicitly.

Never rely on broker auto-creation (Tansu creates any unknown topic it is asked
about with 4 partitions; Kafka may be configured likewise): ``apply`` lists the
topics first, describes only those that exist, creates the missing ones with the
catalogue's partitions and config, and reports topics that exist with the wrong
partition count or config instead of silently using them.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from topics import TOPICS, TopicSpec
from workers.shell.connect import start_client
from workers.settings import Settings

# Configs compared on existing topics (others may legitimately differ per cluster).
CHECKED_CONFIGS = ("cleanup.policy", "max.message.bytes", "retention.ms")


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    ok: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)  # human-readable problems

    @property
    def success(self) -> bool:
        return not self.mismatched


def admin_client(settings: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=10000,
                               **settings.kafka_security_kwargs())


async def existing_topics(settings: Settings) -> set[str]:
    admin = await start_client(lambda: admin_client(settings), settings)
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def _partition_counts(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, int]:
    if not names:
        return {}
    out: dict[str, int] = {}
    for desc in await admin.describe_topics(names):
        out[desc["topic"]] = len(desc.get("partitions") or [])
    return out


async def _configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    if not names:
        return out
    resources = [ConfigResource(ConfigResourceType.TOPIC, n) for n in names]
    for resp in await admin.describe_configs(resources):
        for res in resp.resources:
            # (error_code, error_message, resource_type, resource_name, config_entries)
            name = res[3]
            entries = res[4]
            out[name] = {e[0]: e[1] for e in entries}
    return out


async def apply_topics(settings: Settings, specs: tuple[TopicSpec, ...] = TOPICS) -> ApplyReport:
    report = ApplyReport()
    admin = await start_client(lambda: admin_client(settings), settings)
    try:
        present = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in present]
        if missing:
            await admin.create_topics([
                NewTopic(name=s.name, num_partitions=settings.partitions,
                         replication_factor=settings.replication_factor,
                         topic_configs=s.config(settings.max_message_bytes))
                for s in missing
            ])
            report.created.extend(s.name for s in missing)
        existing = [s for s in specs if s.name in present]
        counts = await _partition_counts(admin, [s.name for s in existing])
        try:
            configs = await _configs(admin, [s.name for s in existing])
        except Exception:  # noqa: BLE001 - a broker without DescribeConfigs: partitions still checked
            configs = {}
        for s in existing:
            problems = []
            if counts.get(s.name) != settings.partitions:
                problems.append(f"{counts.get(s.name)} partitions, expected {settings.partitions}")
            want = s.config(settings.max_message_bytes)
            have = configs.get(s.name, {})
            for key in CHECKED_CONFIGS:
                if key in have and have[key] is not None and str(have[key]) != want[key]:
                    problems.append(f"{key}={have[key]}, expected {want[key]}")
            if problems:
                report.mismatched.append(f"{s.name}: " + "; ".join(problems))
            else:
                report.ok.append(s.name)
    finally:
        await admin.close()
    return report


def apply_topics_sync(settings: Settings) -> ApplyReport:
    return asyncio.run(apply_topics(settings))
