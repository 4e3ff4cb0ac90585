"""The topic catalogue: the whole pipeline, top to bottom, in flow order.

    documents.raw ──strip──▶ documents.stripped ──segment──▶ documents.segmented
                  ──enrich──▶ documents.enriched  (+ comments.enriched, one per comment)
    any stage ──on bad input──▶ documents.dead-letter

One record type per topic. Every record is keyed by its document id. Which stage
reads and writes which topic is declared with the stages, in ``workers.core.flow``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from topics.records import (
    CommentRecord,
    DeadLetter,
    EnrichedDocument,
    RawDocument,
    SegmentedDocument,
    StrippedDocument,
)

DEFAULT_PARTITIONS = 4
DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024  # 8 MiB; WINNOW_MAX_MESSAGE_BYTES overrides
WEEK_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    record: type
    description: str
    partitions: int = DEFAULT_PARTITIONS
    retention_ms: int = WEEK_MS
    cleanup_policy: str = "delete"
    internal: bool = False
    # The dead-letter topic must hold an original payload plus its envelope (base64
    # when binary), so its size limit is a multiple of the input's.
    size_factor: int = 1
    extra_config: dict[str, str] = field(default_factory=dict)

    def max_message_bytes(self, base: int) -> int:
        return base * self.size_factor + (1024 * 1024 if self.size_factor > 1 else 0)

    def config(self, max_message_bytes: int) -> dict[str, str]:
        cfg = {
            "retention.ms": str(self.retention_ms),
            "cleanup.policy": self.cleanup_policy,
            "max.message.bytes": str(self.max_message_bytes(max_message_bytes)),
        }
        cfg.update(self.extra_config)
        return cfg


RAW = TopicSpec("documents.raw", RawDocument, "input: raw documents from crawlers and scrapers")
STRIPPED = TopicSpec("documents.stripped", StrippedDocument, "every line labelled: kept or boilerplate with a reason")
SEGMENTED = TopicSpec("documents.segmented", SegmentedDocument, "title, body paragraphs and comments split apart")
ENRICHED = TopicSpec("documents.enriched", EnrichedDocument, "the clean record: body, comments, removed, metadata")
COMMENTS = TopicSpec("comments.enriched", CommentRecord, "one record per comment, keyed by document id")
DEAD_LETTER = TopicSpec(
    "documents.dead-letter", DeadLetter, "what a stage could not process, with reason and original payload",
    retention_ms=4 * WEEK_MS, size_factor=2,
)
# Changelog of the strip stage's site-template table (Faust table "site-templates").
# Compacted: only the latest profile of each site matters.
SITE_TEMPLATES_CHANGELOG = TopicSpec(
    "winnow-site-templates-changelog", dict, "changelog of the site-template table (internal)",
    cleanup_policy="compact", retention_ms=-1, internal=True,
)

# Flow order. ``winnow topics apply`` creates exactly these.
TOPICS: tuple[TopicSpec, ...] = (RAW, STRIPPED, SEGMENTED, ENRICHED, COMMENTS, DEAD_LETTER, SITE_TEMPLATES_CHANGELOG)

def largest_message_bytes(base: int) -> int:
    """The largest record any topic may hold (clients' produce/fetch limits): the
    dead-letter topic's, which carries an original payload plus its envelope."""
    return max(t.max_message_bytes(base) for t in TOPICS)


def by_name(name: str) -> TopicSpec:
    for t in TOPICS:
        if t.name == name:
            return t
    raise KeyError(name)


__all__ = [
    "TopicSpec", "TOPICS", "RAW", "STRIPPED", "SEGMENTED", "ENRICHED",
    "COMMENTS", "DEAD_LETTER", "SITE_TEMPLATES_CHANGELOG", "by_name", "largest_message_bytes", "DEFAULT_PARTITIONS",
    "DEFAULT_MAX_MESSAGE_BYTES",
]
